/** Canonical ledger columns (docs/contract.md §2). */
export const REQUIRED_COLUMNS = ['transaction_id', 'occurred_at', 'facility_code', 'channel', 'service', 'amount_xof'] as const
export const OPTIONAL_COLUMNS = ['line_no', 'updated_at', 'type', 'status', 'product_code', 'product_name', 'quantity', 'unit'] as const
/** Personal or internal: may be read, never copied to a line, a quarantine entry or a report. */
export const PERSONAL_COLUMNS = ['payer_msisdn', 'patient_id', 'cashier_id', 'receipt_no', 'operator_ref'] as const
/**
 * Personal columns read for local reconciliation only (docs/contract.md §7): a line keeps a keyed
 * hash of them (never the value), and only when the state supplies the key.
 */
export const MATCH_COLUMNS = ['operator_ref', 'cashier_id'] as const

/** The columns of a ledger line, in docs/contract.md §2 order. */
export const LINE_COLUMNS = [
    'transaction_id',
    'line_no',
    'occurred_at',
    'updated_at',
    'facility_code',
    'channel',
    'service',
    'amount_xof',
    'type',
    'status',
    'product_code',
    'product_name',
    'quantity',
    'unit',
] as const
/** The columns a quarantine entry may keep (allow-list: unknown columns may hold personal data too). */
export const KEPT_COLUMNS: readonly string[] = LINE_COLUMNS
const KEPT = new Set(KEPT_COLUMNS)
export const KNOWN_COLUMNS: ReadonlySet<string> = new Set([...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS, ...PERSONAL_COLUMNS])

/** A raw value kept for re-ingestion is cut here: no real ledger cell is this long. */
export const MAX_KEPT_VALUE = 500

/** Header cell → canonical name: BOM, surrounding spaces and case ignored; inner spaces or '-' read as '_'. */
export function canonicalHeader(cell: string): string {
    return cell.replace(/\uFEFF/g, '').trim().toLowerCase().replace(/[\s-]+/g, '_')
}

/** The raw row as a quarantine entry keeps it: allowed columns only, each value cut at MAX_KEPT_VALUE. */
export function keptRaw(raw: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {}
    for (const [k, v] of Object.entries(raw)) {
        if (!KEPT.has(k) || typeof v !== 'string') continue
        out[k] = v.length > MAX_KEPT_VALUE ? v.slice(0, MAX_KEPT_VALUE) : v
    }
    return out
}

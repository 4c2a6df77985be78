import { STATEMENT_CHANNELS, type StatementChannel } from '../../contract/reconciliation'
import { localFields } from '../aggregate/tz'
import type { LineType } from '../../contract/codes'
import type { LedgerLine } from '../domain/line'

/**
 * The ledger side of reconciliation (docs/contract.md §7): an *attempt* is (transaction_id ×
 * channel) as in §3, one per type — its SUCCESS PAYMENT lines summed, its SUCCESS REFUND lines
 * summed apart. Pure.
 */
export interface LedgerAttempt {
    transactionId: string
    channel: StatementChannel
    type: LineType
    facilityCode: string
    /** Has at least one SUCCESS line of this type. */
    success: boolean
    /** SUCCESS lines summed; for an attempt without any, all its lines summed (for pairing). */
    amount: number
    /** Earliest SUCCESS line (else earliest line), UTC ISO: where the attempt sits in time. */
    at: string
    /** Local month (YYYY-MM) of `at` in the facility's zone: the period of the ledger line. */
    month: string
    /** SUCCESS, or the status of its earliest line when none succeeded. */
    status: string
    /** Keyed hash of its operator_ref (bridge/reconcile/keys.ts), or null. */
    refKey: string | null
}

const MOBILE_OR_CARD: ReadonlySet<string> = new Set(STATEMENT_CHANNELS)

export function localMonth(iso: string, zone: string): string {
    const f = localFields(Date.parse(iso), zone)
    return `${String(f.year).padStart(4, '0')}-${String(f.month).padStart(2, '0')}`
}

export function localDay(iso: string, zone: string): string {
    const f = localFields(Date.parse(iso), zone)
    return `${String(f.year).padStart(4, '0')}-${String(f.month).padStart(2, '0')}-${String(f.day).padStart(2, '0')}`
}

/** Lines (latest versions, any order, duplicates of the same line_no tolerated) → attempts, sorted by time then id. */
export function attemptsOf(lines: readonly LedgerLine[], zoneFor: (facility: string) => string): LedgerAttempt[] {
    const groups = new Map<string, Map<number, LedgerLine>>()
    for (const l of lines) {
        if (!MOBILE_OR_CARD.has(l.channel)) continue
        const k = `${l.type}\u0000${l.channel}\u0000${l.transactionId}`
        let g = groups.get(k)
        if (!g) groups.set(k, (g = new Map()))
        g.set(l.lineNo, l)
    }
    const out: LedgerAttempt[] = []
    for (const g of groups.values()) {
        const ls = [...g.values()].sort((a, b) => a.lineNo - b.lineNo)
        const ok = ls.filter((l) => l.status === 'SUCCESS')
        const basis = ok.length ? ok : ls
        const first = basis.reduce((a, b) => (Date.parse(b.occurredAt) < Date.parse(a.occurredAt) ? b : a))
        const ref = ls.find((l) => l.operatorRefKey)?.operatorRefKey ?? null
        out.push({
            transactionId: first.transactionId,
            channel: first.channel as StatementChannel,
            type: first.type,
            facilityCode: first.facilityCode,
            success: ok.length > 0,
            amount: basis.reduce((s, l) => s + l.amountXof, 0),
            at: first.occurredAt,
            month: localMonth(first.occurredAt, zoneFor(first.facilityCode)),
            status: ok.length ? 'SUCCESS' : first.status,
            refKey: ref,
        })
    }
    return out.sort((a, b) => cmp(a.at, b.at) || cmp(a.transactionId, b.transactionId) || cmp(a.type, b.type) || cmp(a.channel, b.channel))
}

export const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

import { z } from 'zod'
import { STATEMENT_CHANNELS, type StatementChannel } from '../../contract/reconciliation'
import { LINE_TYPES, STATUSES, type LineType, type Status } from '../../contract/codes'
import type { Bilingual, QuarantineEntry } from '../domain/line'
import { channelTable, type AliasTable } from '../ledger/aliases'
import { MAX_KEPT_VALUE } from '../ledger/columns'
import { parseDateTime } from '../ledger/datetime'
import { parseAmount } from '../ledger/numbers'
import type { NormaliseContext, RowPosition } from '../ledger/normalise'
import type { RowKind } from '../ledger/sources/kind'
import { foldKey, quoteValue } from '../ledger/text'
import { localFields } from '../aggregate/tz'

/**
 * Operator statement rows and cash counts (docs/contract.md §7), read by the ledger's readers
 * through their own row kinds. Distinct types from LedgerLine by construction: nothing here can
 * reach the line store, so a statement is never revenue.
 */

export const STATEMENT_COLUMNS = ['reference', 'occurred_at', 'amount_xof', 'fee_xof', 'type', 'status', 'channel', 'facility_code', 'msisdn'] as const
export const STATEMENT_REQUIRED = ['reference', 'occurred_at', 'amount_xof', 'channel', 'facility_code'] as const
export const STATEMENT_TARGETS = [...STATEMENT_COLUMNS, 'occurred_at_time'] as const

export const CASH_COLUMNS = ['facility_code', 'date', 'counted_xof', 'cashier_id'] as const
export const CASH_REQUIRED = ['facility_code', 'date', 'counted_xof'] as const
export const CASH_TARGETS = [...CASH_COLUMNS, 'date_time'] as const

export const statementRowSchema = z.object({
    reference: z.string().min(1),
    /** UTC instant, ISO with milliseconds and Z. */
    occurredAt: z.string(),
    amountXof: z.number().int().min(0),
    /** The operator's commission on the row; negative when a refund gives it back. */
    feeXof: z.number().int(),
    type: z.enum(LINE_TYPES),
    status: z.enum(STATUSES),
    channel: z.enum(STATEMENT_CHANNELS),
    facilityCode: z.string().min(1),
    /** Only the last four digits, masked (••••1234): the number itself is never kept. */
    msisdn: z.string().nullable(),
    /** Where the row was read (file or source name, line): detail exports and duplicate order. */
    source: z.string(),
    line: z.number().int(),
})
export type StatementRow = z.infer<typeof statementRowSchema>

export const cashCountSchema = z.object({
    facilityCode: z.string().min(1),
    /** Local day, YYYY-MM-DD. */
    date: z.string(),
    /** Net of the till's float: negative when the day paid out more (refunds) than it took. */
    countedXof: z.number().int(),
    cashierId: z.string().nullable(),
    source: z.string(),
    line: z.number().int(),
})
export type CashCount = z.infer<typeof cashCountSchema>

class RowError {
    constructor(
        readonly column: string,
        readonly reason: Bilingual
    ) {}
}

function need(raw: Record<string, string>, column: string): string {
    const v = raw[column]?.trim()
    if (!v) {
        throw new RowError(
            column,
            column in raw
                ? { fr: `Valeur obligatoire manquante dans « ${column} »`, en: `Required value missing in "${column}"` }
                : { fr: `Colonne obligatoire « ${column} » absente`, en: `Required column "${column}" is missing` }
        )
    }
    return v
}

function amountOf(text: string, column: string): number {
    const a = parseAmount(text)
    if (!a.ok) throw new RowError(column, a.reason)
    return a.value
}

function enumOf<T extends string>(values: readonly T[], text: string | undefined, fallback: T, column: string): T {
    const t = text?.trim()
    if (!t) return fallback
    const k = foldKey(t).replace(/ /g, '_').toUpperCase()
    if ((values as readonly string[]).includes(k)) return k as T
    const q = quoteValue(t)
    throw new RowError(column, { fr: `Valeur inconnue « ${q} » dans ${column} : attendu ${values.join(', ')}`, en: `Unknown value "${q}" in ${column}: expected ${values.join(', ')}` })
}

/**
 * A signed whole FCFA amount: an acquirer writes the commission it gives back on a refund as
 * -375,00; a cash count net of the float is negative on a day that paid out more than it took.
 */
function signedAmount(text: string, column: string): number {
    const m = /^[-\u2212]\s*(.*)$/.exec(text)
    const v = amountOf(m ? m[1] : text, column)
    return m && v ? -v : v
}

/** ••••1234: the last four digits of a phone number, or null. */
export function maskMsisdn(text: string | undefined): string | null {
    const digits = (text ?? '').replace(/\D/g, '')
    return digits ? `••••${digits.slice(-4)}` : null
}

const channelTables = new WeakMap<object, AliasTable<string>>()
const NO_ALIASES = {}

function statementChannel(text: string, ctx: NormaliseContext): StatementChannel {
    const key = ctx.channelAliases ?? NO_ALIASES
    let table = channelTables.get(key)
    if (!table) channelTables.set(key, (table = channelTable(ctx.channelAliases)))
    const c = table.resolve(text)
    if (c && (STATEMENT_CHANNELS as readonly string[]).includes(c)) return c as StatementChannel
    const q = quoteValue(text)
    throw new RowError('channel', {
        fr: `Moyen de paiement « ${q} » impossible sur un relevé : attendu ${STATEMENT_CHANNELS.join(', ')} (ou son orthographe : OM, Moov, Sama, Carte…)`,
        en: `Payment channel "${q}" cannot be on a statement: expected ${STATEMENT_CHANNELS.join(', ')} (or a spelling of it: OM, Moov, Sama, Carte…)`,
    })
}

/** The raw row kept with a quarantine entry: the kind's columns without the personal one, values cut. */
function keptWithout(columns: readonly string[], personal: string) {
    return (texts: Record<string, string>): Record<string, string> => {
        const out: Record<string, string> = {}
        for (const c of columns) {
            const v = texts[c]
            if (c !== personal && typeof v === 'string') out[c] = v.length > MAX_KEPT_VALUE ? v.slice(0, MAX_KEPT_VALUE) : v
        }
        return out
    }
}

function wrap<T>(build: () => T, pos: RowPosition, raw: Record<string, string>, kept: (t: Record<string, string>) => Record<string, string>): { ok: true; value: T } | { ok: false; entry: QuarantineEntry } {
    try {
        return { ok: true, value: build() }
    } catch (e) {
        if (!(e instanceof RowError)) throw e
        return { ok: false, entry: { file: pos.file, line: pos.line, column: e.column, reason: e.reason, raw: kept(raw) } }
    }
}

const statementKept = keptWithout(STATEMENT_COLUMNS, 'msisdn')

export const STATEMENT_KIND: RowKind<StatementRow> = {
    name: 'statement',
    required: STATEMENT_REQUIRED,
    targets: new Set(STATEMENT_TARGETS),
    known: new Set(STATEMENT_COLUMNS),
    personal: new Set(['msisdn']),
    kept: new Set(STATEMENT_COLUMNS),
    quarantineRaw: statementKept,
    normalise: (raw, pos, ctx) =>
        wrap(
            () => {
                const reference = need(raw, 'reference')
                const occurredText = need(raw, 'occurred_at')
                const amountXof = amountOf(need(raw, 'amount_xof'), 'amount_xof')
                const channel = statementChannel(need(raw, 'channel'), ctx)
                const facilityCode = need(raw, 'facility_code')
                const at = parseDateTime(occurredText, ctx.zoneFor(facilityCode), 'occurred_at')
                if (!at.ok) throw new RowError('occurred_at', at.reason)
                const fee = raw.fee_xof?.trim()
                return {
                    reference,
                    occurredAt: at.value,
                    amountXof,
                    feeXof: fee ? signedAmount(fee, 'fee_xof') : 0,
                    type: enumOf<LineType>(LINE_TYPES, raw.type, 'PAYMENT', 'type'),
                    status: enumOf<Status>(STATUSES, raw.status, 'SUCCESS', 'status'),
                    channel,
                    facilityCode,
                    msisdn: maskMsisdn(raw.msisdn),
                    source: pos.file,
                    line: pos.line,
                }
            },
            pos,
            raw,
            statementKept
        ),
}

const cashKept = keptWithout(CASH_COLUMNS, 'cashier_id')

/** A count's local day: a date alone as written, a date-time's day in the facility's zone. */
function localDay(text: string, zone: string): string {
    const p = parseDateTime(text, zone, 'date')
    if (!p.ok) throw new RowError('date', p.reason)
    if (/^\d{4}-\d{2}-\d{2}$/.test(text.trim())) return text.trim()
    const f = localFields(Date.parse(p.value), zone)
    return `${String(f.year).padStart(4, '0')}-${String(f.month).padStart(2, '0')}-${String(f.day).padStart(2, '0')}`
}

export const CASH_KIND: RowKind<CashCount> = {
    name: 'cash-count',
    required: CASH_REQUIRED,
    targets: new Set(CASH_TARGETS),
    known: new Set(CASH_COLUMNS),
    personal: new Set(['cashier_id']),
    kept: new Set(CASH_COLUMNS),
    quarantineRaw: cashKept,
    normalise: (raw, pos, ctx) =>
        wrap(
            () => {
                const facilityCode = need(raw, 'facility_code')
                const date = localDay(need(raw, 'date'), ctx.zoneFor(facilityCode))
                return {
                    facilityCode,
                    date,
                    countedXof: signedAmount(need(raw, 'counted_xof'), 'counted_xof'),
                    cashierId: raw.cashier_id?.trim() || null,
                    source: pos.file,
                    line: pos.line,
                }
            },
            pos,
            raw,
            cashKept
        ),
}

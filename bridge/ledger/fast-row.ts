import { LINE_TYPES, STATUSES, type Channel, type LineType, type Service, type Status } from '../../contract/codes'
import type { LedgerLine } from '../domain/line'
import { quickDateTimeAt } from './datetime'
import { COL, compiled, enumValue, type ColumnIndex, type NormaliseContext } from './normalise'

/**
 * A CSV line read whole, without splitting it into cells first: what normaliseCells would give
 * for it, or null to let the general path (split, normaliseCells) read it — and word any fault.
 *
 * Why: on a million-line ledger, splitting each line into its 18 cells (strings) and trimming
 * every cell cost more than reading the values themselves. Here the delimiters are found with
 * native searches, numbers and dates are read in place, and only the texts the line keeps
 * (transaction id, facility, product) are cut out.
 *
 * Only values whose reading is plain are taken: every required value present, no cell to trim,
 * dates in the quick shapes of parseDateTime, amounts and numbers in plain digits, channels and
 * services resolved by the same alias tables. Anything else returns null before the line is
 * built, and the general path reads the row from the start (so its checks, their order and the
 * quarantine reasons are unchanged). fast-row.test.ts compares both paths.
 */
export function fastLine(s: string, delimiter: string, at: ColumnIndex, fieldCount: number, ctx: NormaliseContext): LedgerLine | null {
    if (!cut(s, delimiter, fieldCount)) return null
    const transactionId = requiredText(s, at[COL.transaction_id])
    const facilityCode = requiredText(s, at[COL.facility_code])
    if (transactionId === null || facilityCode === null) return null
    const occurredAt = at[COL.occurred_at]
    const amountAt = at[COL.amount_xof]
    if (occurredAt < 0 || amountAt < 0) return null
    const amount = digits(s, starts[amountAt], ends[amountAt])
    if (amount < 0) return null

    let lineNo = 1
    const lineNoAt = at[COL.line_no]
    if (lineNoAt >= 0 && ends[lineNoAt] > starts[lineNoAt]) {
        lineNo = digits(s, starts[lineNoAt], ends[lineNoAt])
        if (lineNo < 1) return null
    }
    let quantity: number | null = null
    const quantityAt = at[COL.quantity]
    if (quantityAt >= 0 && ends[quantityAt] > starts[quantityAt]) {
        quantity = digits(s, starts[quantityAt], ends[quantityAt])
        if (quantity < 1) return null
    }

    const tables = compiled(ctx)
    const channel = resolveAt(s, at[COL.channel], tables.channels.fixed, tables.channels.resolve)
    const service = resolveAt(s, at[COL.service], tables.services.fixed, tables.services.resolve)
    if (channel === null || service === null) return null
    const type = enumAt(s, at[COL.type], LINE_TYPES, 'PAYMENT')
    const status = enumAt(s, at[COL.status], STATUSES, 'SUCCESS')
    if (type === null || status === null) return null
    const productCode = optionalText(s, at[COL.product_code])
    const productName = optionalText(s, at[COL.product_name])
    const unit = optionalText(s, at[COL.unit])
    if (productCode === undefined || productName === undefined || unit === undefined) return null
    // Keyed only when the reconciliation asks for it; both texts checked before either is keyed.
    const keyed = ctx.matchKey && at.length > COL.cashier_id
    const ref = keyed ? optionalText(s, at[COL.operator_ref]) : null
    const cashier = keyed ? optionalText(s, at[COL.cashier_id]) : null
    if (ref === undefined || cashier === undefined) return null

    const zone = ctx.zoneFor(facilityCode)
    const occurred = quickDateTimeAt(s, starts[occurredAt], ends[occurredAt] - starts[occurredAt], zone)
    if (occurred === null) return null
    let updatedAt: string | null = null
    const updatedAt_ = at[COL.updated_at]
    if (updatedAt_ >= 0 && ends[updatedAt_] > starts[updatedAt_]) {
        updatedAt = quickDateTimeAt(s, starts[updatedAt_], ends[updatedAt_] - starts[updatedAt_], zone)
        if (updatedAt === null) return null
    }

    // Same fields, same order as normalise.ts build().
    const line: LedgerLine = {
        transactionId,
        lineNo,
        occurredAt: occurred,
        updatedAt,
        facilityCode,
        channel,
        service,
        amountXof: amount,
        type,
        status,
        productCode,
        productName,
        quantity,
        unit,
    }
    if (ref) line.operatorRefKey = ctx.matchKey!(ref)
    if (cashier) line.cashierKey = ctx.matchKey!(cashier)
    return line
}

/** Start and end of each cell of the line being read (grown for wider headers). */
let starts = new Int32Array(32)
let ends = new Int32Array(32)

/** Finds the cells; false unless the line has exactly fieldCount of them. */
function cut(s: string, delimiter: string, fieldCount: number): boolean {
    if (starts.length < fieldCount) {
        starts = new Int32Array(fieldCount * 2)
        ends = new Int32Array(fieldCount * 2)
    }
    let p = 0
    for (let k = 0; k < fieldCount - 1; k++) {
        const c = s.indexOf(delimiter, p)
        if (c < 0) return false
        starts[k] = p
        ends[k] = c
        p = c + 1
    }
    if (s.indexOf(delimiter, p) >= 0) return false
    starts[fieldCount - 1] = p
    ends[fieldCount - 1] = s.length
    return true
}

/**
 * A character that String#trim never removes, among the usual ones: visible ASCII and the
 * Latin letters with accents (U+00C0–U+024F). Others (spaces, controls, U+00A0…) go the general way.
 */
function plainEdge(c: number): boolean {
    return (c > 0x20 && c < 0x7f) || (c >= 0xc0 && c <= 0x24f)
}

/** The cell as normaliseCells reads it when it needs no trimming: '' when empty or absent, undefined when it needs trimming. */
function optionalText(s: string, i: number): string | null | undefined {
    if (i < 0) return null
    const a = starts[i]
    const b = ends[i]
    if (a === b) return null
    return plainEdge(s.charCodeAt(a)) && plainEdge(s.charCodeAt(b - 1)) ? s.slice(a, b) : undefined
}

function requiredText(s: string, i: number): string | null {
    return optionalText(s, i) ?? null
}

/** A value of 1–15 ASCII digits (what parseAmount and parseLineNo read first), or -1. */
function digits(s: string, a: number, b: number): number {
    if (b <= a || b - a > 15) return -1
    let v = 0
    for (let k = a; k < b; k++) {
        const c = s.charCodeAt(k) - 48
        if (c < 0 || c > 9) return -1
        v = v * 10 + c
    }
    return v
}

/** A channel or service: a canonical name compared in place, else the cell through the alias table. */
function resolveAt<T extends Channel | Service>(s: string, i: number, fixed: readonly T[], resolve: (value: string) => T | null): T | null {
    if (i < 0) return null
    const a = starts[i]
    const n = ends[i] - a
    for (let k = 0; k < fixed.length; k++) if (fixed[k].length === n && s.startsWith(fixed[k], a)) return fixed[k]
    const text = optionalText(s, i)
    return text ? resolve(text) : null
}

/** type or status: the default when empty, a canonical value compared in place, else enumValue. */
function enumAt<T extends LineType | Status>(s: string, i: number, values: readonly T[], empty: T): T | null {
    if (i < 0) return empty
    const a = starts[i]
    const n = ends[i] - a
    if (n === 0) return empty
    for (let k = 0; k < values.length; k++) if (values[k].length === n && s.startsWith(values[k], a)) return values[k]
    const text = optionalText(s, i)
    return text ? enumValue(values, text) : null
}

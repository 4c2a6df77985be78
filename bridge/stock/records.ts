import { parseIsoUtc } from '../aggregate/instant'
import { isValidZone, localFields } from '../aggregate/tz'
import type { LedgerLine } from '../domain/line'
import type { ProductCatalog } from './config'

/**
 * Pure computation of stock-outflow records (docs/contract.md §4): one per facility × product × local day,
 * the absolute quantity dispensed against successful payments minus goods returned.
 */

export const OUTFLOW_REASON = 'DISPENSED_SALE'

/** The content of a record: everything but its revision and the facility's org unit. */
export interface RecordContent {
    facility: string
    /** MEDEXIS product code. */
    product: string
    productName: string | null
    /** Local date of the facility, YYYY-MM-DD. */
    date: string
    quantity: number
    unit: string | null
    amountXof: number
    ledgerLines: number
}

export interface ComputedRecord extends RecordContent {
    id: string
    /** Ledger product codes that fed the record (several when the mapping merges codes). */
    ledgerCodes: string[]
    /** Payments − refunds was below 0 and was clamped to 0. */
    negative: boolean
    /** The lines disagree on the unit (and the mapping names none). */
    mixedUnits: boolean
}

/** The JSON body sent to MEDEXIS (docs/contract.md §4 shape; no personal data). */
export interface OutflowBody {
    id: string
    revision: number
    facility: { code: string; orgUnit: string | null }
    product: { code: string; name: string | null }
    date: string
    quantity: number
    unit: string | null
    reason: typeof OUTFLOW_REASON
    amountXof: number
    ledgerLines: number
}

/** Characters kept as they are in an id part; everything else is percent-encoded (UTF-8). */
const SAFE = /[A-Za-z0-9._~-]/

function encodePart(s: string): string {
    let out = ''
    for (const ch of s) {
        if (SAFE.test(ch)) out += ch
        else out += Array.from(Buffer.from(ch, 'utf8'), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('')
    }
    return out
}

/**
 * Stable record id: `{facility}:{product}:{YYYY-MM-DD}`, each code percent-encoded outside
 * `A–Z a–z 0–9 . _ ~ -` (so `:` inside a code cannot be confused with the separator).
 * E.g. `ML-BKO-HDB:AMOX500C:2025-03-14`. The product is the MEDEXIS product code.
 */
export function recordId(facility: string, product: string, date: string): string {
    return `${encodePart(facility)}:${encodePart(product)}:${date}`
}

/** The id as one URL path segment: only `%` needs escaping, the rest is already URL-safe. */
export function idPathSegment(id: string): string {
    return id.replace(/%/g, '%25')
}

/** Local calendar date of a UTC instant in a time zone. */
export function localDate(instantUtcIso: string, zone: string): string {
    // By arithmetic (aggregate/tz), not luxon: this runs for every pharmacy line of every recomputed scope.
    const ms = parseIsoUtc(instantUtcIso)
    if (Number.isNaN(ms) || !isValidZone(zone)) throw new Error(`invalid instant ${instantUtcIso} in ${zone}`)
    const f = localFields(ms, zone)
    if (f.year < 0 || f.year > 9999) throw new Error(`invalid instant ${instantUtcIso} in ${zone}`)
    return `${String(f.year).padStart(4, '0')}-${f.month < 10 ? '0' : ''}${f.month}-${f.day < 10 ? '0' : ''}${f.day}`
}

/** Quantities may be fractional (half a bottle); sums are rounded to kill float noise. */
const round = (n: number) => Math.round(n * 1e6) / 1e6

export interface ComputeContext {
    zoneFor(facilityCode: string): string
    catalog: ProductCatalog
}

export interface ComputeResult {
    records: ComputedRecord[]
    /** Counted pharmacy lines (SUCCESS payment or refund) without product code or quantity. */
    missingProduct: number
}

/** A pharmacy line that would count, if it named its product and quantity. */
function counts(line: LedgerLine): boolean {
    return line.service === 'PHARMACY' && line.status === 'SUCCESS' && (line.type === 'PAYMENT' || line.type === 'REFUND')
}

/** A line that would count but names no product or quantity (ComputeResult.missingProduct). */
export function lacksProduct(line: LedgerLine): boolean {
    return counts(line) && (!line.productCode?.trim() || line.quantity === null)
}

/**
 * Records of the given lines. Lines are deduplicated by (transaction_id, line_no), the last one
 * given winning; PENDING, FAILED, EXPIRED, CANCELLED and REVERSED lines count nowhere, so a line
 * later reversed simply stops counting on its own day.
 */
export function computeRecords(lines: Iterable<LedgerLine>, ctx: ComputeContext): ComputeResult {
    const unique = new Map<string, LedgerLine>()
    for (const l of lines) unique.set(`${l.transactionId}\u0000${l.lineNo}`, l)
    interface Acc {
        facility: string
        product: string
        date: string
        paid: number
        returned: number
        amountPaid: number
        amountReturned: number
        lines: number
        ledgerCodes: Set<string>
        units: Map<string, number>
        /** Latest product name by occurred_at, then transaction and line for ties. */
        name: { at: string; tie: string; value: string } | null
    }
    const groups = new Map<string, Acc>()
    let missingProduct = 0
    for (const line of unique.values()) {
        if (!counts(line)) continue
        const ledgerCode = line.productCode?.trim() || null
        if (!ledgerCode || line.quantity === null) {
            missingProduct++
            continue
        }
        const product = ctx.catalog.medexisCode(ledgerCode)
        const date = localDate(line.occurredAt, ctx.zoneFor(line.facilityCode))
        const key = `${line.facilityCode}\u0000${product}\u0000${date}`
        let acc = groups.get(key)
        if (!acc) {
            acc = { facility: line.facilityCode, product, date, paid: 0, returned: 0, amountPaid: 0, amountReturned: 0, lines: 0, ledgerCodes: new Set(), units: new Map(), name: null }
            groups.set(key, acc)
        }
        acc.lines++
        acc.ledgerCodes.add(ledgerCode)
        if (line.type === 'PAYMENT') {
            acc.paid += line.quantity
            acc.amountPaid += line.amountXof
        } else {
            acc.returned += line.quantity
            acc.amountReturned += line.amountXof
        }
        const unit = line.unit?.trim()
        if (unit) acc.units.set(unit, (acc.units.get(unit) ?? 0) + 1)
        const name = line.productName?.trim()
        if (name) {
            const tie = `${line.transactionId}\u0000${String(line.lineNo).padStart(10, '0')}`
            if (!acc.name || line.occurredAt > acc.name.at || (line.occurredAt === acc.name.at && tie > acc.name.tie)) {
                acc.name = { at: line.occurredAt, tie, value: name }
            }
        }
    }
    const records: ComputedRecord[] = []
    for (const acc of groups.values()) {
        const mapping = ctx.catalog.byMedexisCode(acc.product)
        const net = round(acc.paid - acc.returned)
        // Most frequent ledger unit, alphabetical on ties, unless the mapping fixes it.
        const ledgerUnit = [...acc.units.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0]?.[0] ?? null
        records.push({
            id: recordId(acc.facility, acc.product, acc.date),
            facility: acc.facility,
            product: acc.product,
            productName: mapping?.name ?? acc.name?.value ?? null,
            date: acc.date,
            quantity: Math.max(0, net),
            unit: mapping?.unit ?? ledgerUnit,
            amountXof: Math.max(0, acc.amountPaid - acc.amountReturned),
            ledgerLines: acc.lines,
            ledgerCodes: [...acc.ledgerCodes].sort(),
            negative: net < 0,
            mixedUnits: !mapping?.unit && acc.units.size > 1,
        })
    }
    records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    return { records, missingProduct }
}

/** Canonical text of the content: equal text ⇔ same revision. */
export function contentKey(c: RecordContent): string {
    return JSON.stringify([c.facility, c.product, c.productName, c.date, c.quantity, c.unit, c.amountXof, c.ledgerLines])
}

export function buildBody(c: RecordContent & { id: string }, revision: number, orgUnit: string | null): OutflowBody {
    return {
        id: c.id,
        revision,
        facility: { code: c.facility, orgUnit },
        product: { code: c.product, name: c.productName },
        date: c.date,
        quantity: c.quantity,
        unit: c.unit,
        reason: OUTFLOW_REASON,
        amountXof: c.amountXof,
        ledgerLines: c.ledgerLines,
    }
}

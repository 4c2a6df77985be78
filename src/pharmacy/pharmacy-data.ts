import {
    RECONCILE_FLAGS,
    STOCK_RECONCILE_KEY_PREFIX,
    stockReconcileEntrySchema,
    type LmisOperand,
    type ReconcileFlag,
    type StockReconcileEntry,
} from '@recettes/contract'
import { analyticsResponseSchema, UnexpectedResponseError, type Fact } from '../analytics/parse'
import type { AnalyticsParams } from '../analytics/requests'
import { isoMonth, monthsOf, type MonthRange } from '../compute/periods'
import { dataStoreEntriesSchema } from '../shared/data/datastore-entries'
import { keys } from '../shared/data/keys'
import type { OrgUnitRef, PayrevMetadata } from '../shared/metadata/metadata'

/**
 * Pure side of "Pharmacie et stock": which requests to make and how the answers combine.
 *   - drug revenue: PAYREV_GROSS × service PHARMACY by month (analytics);
 *   - what the LMIS says (dispensed, stock on hand, stock-out days): analytics on the data element
 *     operands the bridge published, whatever the shape of the national LMIS data set;
 *   - what the ledger sold per product and the reconciliation flags: the bridge's data store
 *     entries `payrev/stock-reconcile-<orgUnit>` (quantities per product are not in analytics).
 */

export type { ReconcileFlag, StockReconcileEntry }
export { RECONCILE_FLAGS }

/** The LMIS variables the view reads from analytics. */
export const VIEW_VARIABLES = ['dispensed', 'stockOnHand', 'stockOutDays'] as const
export type ViewVariable = (typeof VIEW_VARIABLES)[number]

// ---- data store ----------------------------------------------------------------------------

/**
 * The reconciliation entries of the facilities under the selection, in one request
 * (`GET /api/dataStore/payrev?fields=.&filter=…`): the data store's query API keeps the
 * payload to the facilities asked for.
 */
export const reconcileEntriesKey = (orgUnits: readonly string[]) => keys.dataStoreEntries(['kind:eq:stock-reconcile', `orgUnit:in:[${orgUnits.join(',')}]`])

/** The org units whose entries the view needs: the facilities under the selection, and the selection itself. */
export function reconcileOrgUnits(meta: PayrevMetadata, ou: OrgUnitRef): string[] {
    const under = meta.facilities.filter((f) => f.id === ou.id || f.path.split('/').includes(ou.id)).map((f) => f.id)
    return [...new Set([ou.id, ...under])].sort()
}

export interface ParsedEntries {
    entries: StockReconcileEntry[]
    /** Keys of the namespace that look like ours but do not match the schema (shown, not hidden). */
    invalidKeys: string[]
}

export function parseReconcileEntries(raw: unknown, wanted: readonly string[]): ParsedEntries {
    const list = dataStoreEntriesSchema.parse(raw)
    const keep = new Set(wanted)
    const entries: StockReconcileEntry[] = []
    const invalidKeys: string[] = []
    for (const { key, value } of list) {
        const parsed = stockReconcileEntrySchema.safeParse(value)
        if (parsed.success) {
            // A server that ignores the filter still gives the right answer.
            if (keep.has(parsed.data.orgUnit)) entries.push(parsed.data)
        } else if (key.startsWith(STOCK_RECONCILE_KEY_PREFIX)) invalidKeys.push(key)
    }
    return { entries, invalidKeys }
}

/** product → operands, the most recently published entry winning. */
export function lmisOperands(entries: readonly StockReconcileEntry[]): Map<string, Partial<Record<ViewVariable, LmisOperand>>> {
    const out = new Map<string, Partial<Record<ViewVariable, LmisOperand>>>()
    for (const e of [...entries].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1))) {
        for (const [product, vars] of Object.entries(e.lmis)) {
            if (out.has(product)) continue
            const picked: Partial<Record<ViewVariable, LmisOperand>> = {}
            for (const v of VIEW_VARIABLES) if (vars[v]) picked[v] = vars[v]
            out.set(product, picked)
        }
    }
    return out
}

// ---- analytics ----------------------------------------------------------------------------

/** Drug revenue: gross revenue of the pharmacy service, by month, over the window. */
export function drugRevenueRequest(meta: PayrevMetadata, ouId: string, months: MonthRange): AnalyticsParams {
    return {
        dimension: [
            `dx:${meta.dataElements.PAYREV_GROSS}`,
            `${meta.serviceCategory}:${meta.serviceOptions.PHARMACY}`,
            `pe:${monthsOf(months).map(isoMonth).join(';')}`,
        ],
        filter: [`ou:${ouId}`],
    }
}

export const operandId = (o: LmisOperand): string => `${o.dataElement}.${o.categoryOptionCombo}`

/** The LMIS variables of every mapped product by month, for the selected unit; null when nothing is mapped. */
export function lmisRequest(operands: Map<string, Partial<Record<ViewVariable, LmisOperand>>>, ouId: string, range: MonthRange): AnalyticsParams | null {
    const ids = [...new Set([...operands.values()].flatMap((vars) => VIEW_VARIABLES.map((v) => vars[v]).filter((o): o is LmisOperand => !!o).map(operandId)))].sort()
    if (ids.length === 0) return null
    return { dimension: [`dx:${ids.join(';')}`, `pe:${monthsOf(range).map(isoMonth).join(';')}`], filter: [`ou:${ouId}`] }
}

/** `${product}|${variable}` → month (`yyyyMM`) → value. */
export type LmisFigures = Map<string, Map<string, number>>

export function parseLmisAnalytics(raw: unknown, operands: Map<string, Partial<Record<ViewVariable, LmisOperand>>>): LmisFigures {
    const parsed = analyticsResponseSchema.safeParse(raw)
    if (!parsed.success) throw new UnexpectedResponseError(`analytics: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
    const res = parsed.data
    const col = (name: string) => res.headers.findIndex((h) => h.name === name)
    const dx = col('dx')
    const pe = col('pe')
    const val = col('value')
    if (dx < 0 || pe < 0 || val < 0) throw new UnexpectedResponseError('analytics: no dx, pe or value column')
    // One operand may serve several products (ledger codes sharing an LMIS line): each gets it.
    const targets = new Map<string, string[]>()
    for (const [product, vars] of operands) {
        for (const v of VIEW_VARIABLES) {
            const o = vars[v]
            if (o) targets.set(operandId(o), [...(targets.get(operandId(o)) ?? []), `${product}|${v}`])
        }
    }
    const out: LmisFigures = new Map()
    for (const row of res.rows ?? []) {
        const value = Number(row[val])
        if (row[val] === null || row[val] === '' || !Number.isFinite(value)) continue
        for (const key of targets.get(row[dx] ?? '') ?? []) {
            const byMonth = out.get(key) ?? new Map<string, number>()
            byMonth.set(row[pe] ?? '', (byMonth.get(row[pe] ?? '') ?? 0) + value)
            out.set(key, byMonth)
        }
    }
    return out
}

// ---- combining ----------------------------------------------------------------------------

export const monthKey = (pe: string): string => `${pe.slice(0, 4)}-${pe.slice(4, 6)}`

export interface ProductRow {
    product: string
    /** LMIS data element of the product's "dispensed" figure, for its name; null when unmapped. */
    dataElement: string | null
    mapped: boolean
    /** Sold according to the ledger, in LMIS units when mapped (else ledger units); null when nothing was published. */
    sold: number | null
    lmisUnit: string | null
    amountXof: number
    /** LMIS, summed over the months of the selection (stock-out days: over facilities too). */
    dispensed: number | null
    /** LMIS stock on hand at the end of the last month of the selection that has one. */
    stockOnHand: number | null
    stockOnHandMonth: string | null
    stockOutDays: number | null
    /** |sold − dispensed| / dispensed (ratio), null when it cannot be computed. */
    gap: number | null
    /** Facility-months flagged, per flag. */
    flags: Partial<Record<ReconcileFlag, number>>
}

export interface FlaggedRow {
    orgUnit: string
    facility: string
    month: string
    product: string
    sold: number
    dispensed: number | null
    stockOutDays: number | null
    available: number | null
    gapPercent: number | null
    flags: ReconcileFlag[]
}

export interface PharmacyFigures {
    products: ProductRow[]
    flagged: FlaggedRow[]
    /** Ledger codes without an LMIS mapping, sold in the selection. */
    unmapped: string[]
    /** Months of the selection with a published reconciliation (any facility). */
    monthsCovered: string[]
    /** Whether the LMIS was read for every published month (else some figures are sales only). */
    lmisReadEverywhere: boolean
}

const inRange = (month: string, range: MonthRange): boolean => monthsOf(range).some((i) => monthKey(isoMonth(i)) === month)

export function pharmacyFigures(
    entries: readonly StockReconcileEntry[],
    operands: Map<string, Partial<Record<ViewVariable, LmisOperand>>>,
    lmis: LmisFigures | null,
    range: MonthRange
): PharmacyFigures {
    const months = monthsOf(range).map(isoMonth)
    const byProduct = new Map<string, ProductRow>()
    const flagged: FlaggedRow[] = []
    const unmapped = new Set<string>()
    const covered = new Set<string>()
    let lmisReadEverywhere = true
    const row = (product: string): ProductRow => {
        let r = byProduct.get(product)
        if (!r) {
            const ops = operands.get(product)
            r = {
                product,
                dataElement: ops?.dispensed?.dataElement ?? ops?.stockOnHand?.dataElement ?? null,
                mapped: !!ops,
                sold: null,
                lmisUnit: null,
                amountXof: 0,
                dispensed: null,
                stockOnHand: null,
                stockOnHandMonth: null,
                stockOutDays: null,
                gap: null,
                flags: {},
            }
            byProduct.set(product, r)
        }
        return r
    }
    for (const e of entries) {
        for (const m of e.months) {
            if (!inRange(m.month, range)) continue
            covered.add(m.month)
            if (!m.lmisRead) lmisReadEverywhere = false
            for (const x of m.rows) {
                const r = row(x.product)
                const sold = x.soldLmisUnits ?? x.sold
                r.sold = (r.sold ?? 0) + sold
                r.amountXof += x.amountXof
                r.lmisUnit = r.lmisUnit ?? x.lmisUnit
                if (x.flags.includes('UNMAPPED_PRODUCT')) {
                    r.mapped = false
                    x.ledgerCodes.forEach((c) => unmapped.add(c))
                }
                for (const f of x.flags) r.flags[f] = (r.flags[f] ?? 0) + 1
                const significant = x.flags.filter((f) => f !== 'UNMAPPED_PRODUCT')
                if (significant.length > 0) {
                    flagged.push({
                        orgUnit: e.orgUnit,
                        facility: e.facility,
                        month: m.month,
                        product: x.product,
                        sold,
                        dispensed: x.dispensed,
                        stockOutDays: x.stockOutDays,
                        available: x.openingBalance === null && x.received === null ? null : (x.openingBalance ?? 0) + (x.received ?? 0),
                        gapPercent: x.gapPercent,
                        flags: significant,
                    })
                }
            }
        }
    }
    // Products the LMIS reports without any sale in the selection still show.
    for (const product of operands.keys()) {
        if (lmis && VIEW_VARIABLES.some((v) => (lmis.get(`${product}|${v}`)?.size ?? 0) > 0)) row(product)
    }
    for (const r of byProduct.values()) {
        if (!lmis || !r.mapped) continue
        const series = (v: ViewVariable) => lmis.get(`${r.product}|${v}`) ?? new Map<string, number>()
        const sum = (v: ViewVariable) => {
            const s = series(v)
            const vals = months.filter((pe) => s.has(pe)).map((pe) => s.get(pe)!)
            return vals.length ? vals.reduce((a, b) => a + b, 0) : null
        }
        r.dispensed = sum('dispensed')
        r.stockOutDays = sum('stockOutDays')
        const soh = series('stockOnHand')
        const last = [...months].reverse().find((pe) => soh.has(pe))
        r.stockOnHand = last ? soh.get(last)! : null
        r.stockOnHandMonth = last ?? null
        if (r.dispensed !== null && r.sold !== null && r.dispensed > 0) r.gap = Math.abs(r.sold - r.dispensed) / r.dispensed
    }
    const products = [...byProduct.values()].sort((a, b) => b.amountXof - a.amountXof || (a.product < b.product ? -1 : 1))
    flagged.sort((a, b) => (a.month === b.month ? (a.facility === b.facility ? (a.product < b.product ? -1 : 1) : a.facility < b.facility ? -1 : 1) : a.month < b.month ? 1 : -1))
    return { products, flagged, unmapped: [...unmapped].sort(), monthsCovered: [...covered].sort(), lmisReadEverywhere }
}

/** Drug revenue per month (yyyyMM) from the PAYREV facts. */
export function drugRevenueByMonth(facts: readonly Fact[], window: MonthRange): Array<{ pe: string; value: number }> {
    return monthsOf(window).map((i) => {
        const pe = isoMonth(i)
        return { pe, value: facts.filter((f) => f.de === 'PAYREV_GROSS' && f.service === 'PHARMACY' && f.pe === pe).reduce((a, f) => a + f.value, 0) }
    })
}

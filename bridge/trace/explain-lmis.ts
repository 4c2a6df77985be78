import type { LedgerLine } from '../domain/line'
import type { SendRow, TracedLine } from '../state/lineage'
import { computeRecords, lacksProduct, localDate, type ComputeContext } from '../stock/records'
import { byTime, replacedVersion, shown, stateTotals, STATUS_REASONS, type ExcludedLine, type ExplainedLine, type ExplainResult } from './explain'

/**
 * `explain` of an LMIS value (docs/traceability.md), without I/O: the monthly quantity dispensed
 * of a data element (docs/contract.md §4) back to the pharmacy lines behind it. The counting is
 * the stock leg's own: computeRecords makes the daily records (facility × product × local day,
 * payments − returns, below 0 clamped to 0) and the value is Σ over the element's products of
 * factor × the month's records, rounded as lmisMonthTotals rounds it.
 */

/** One LMIS value of the state (dhis2_values, family lmis): one per data element × option combo. */
export interface LmisStateValue {
    key: string
    coc: string | null
    desired: number | null
    accepted: number | null
}

/** A MEDEXIS product whose dispensed quantity the value sums, with its LMIS factor (LMIS units per ledger unit). */
export interface LmisProduct {
    product: string
    factor: number
}

export interface ExplainedLmisProduct {
    product: string
    name: string | null
    factor: number
    /** Σ of the month's daily records, ledger units. */
    quantity: number
    records: Array<{ date: string; quantity: number; ledgerLines: number; negative: boolean }>
}

export interface LmisExplainResult extends ExplainResult {
    products: ExplainedLmisProduct[]
    /** The month's pharmacy lines of these products without a quantity: revenue, not stock. */
    withoutQuantity: number
}

const round = (n: number) => Math.round(n * 1e6) / 1e6
const lineId = (l: LedgerLine) => `${l.transactionId}\u0000${l.lineNo}`

export function explainLmisValue(input: {
    facility: string
    /** YYYY-MM */
    month: string
    values: LmisStateValue[]
    products: LmisProduct[]
    /** The lines of the facility's scopes that hold a day of the month, and their replaced versions. */
    traced: TracedLine[]
    replaced: TracedLine[]
    sends: SendRow[]
    ctx: ComputeContext
}): LmisExplainResult {
    const { facility, month, ctx } = input
    const factors = new Map(input.products.map((p) => [p.product, p.factor]))
    /** A pharmacy line of this facility, month and one of the value's products. */
    const relevant = (l: LedgerLine) => {
        if (l.service !== 'PHARMACY' || l.facilityCode !== facility) return false
        const code = l.productCode?.trim()
        if (!code || !factors.has(ctx.catalog.medexisCode(code))) return false
        return localDate(l.occurredAt, ctx.zoneFor(l.facilityCode)).startsWith(`${month}-`)
    }
    const seen = new Set<string>()
    const current = input.traced.filter((t) => relevant(t.line) && !seen.has(lineId(t.line)) && seen.add(lineId(t.line)))
    const { records } = computeRecords(
        current.map((t) => t.line),
        ctx
    )

    const products: ExplainedLmisProduct[] = input.products.map((p) => {
        const own = records.filter((r) => r.product === p.product)
        return {
            product: p.product,
            name: own.find((r) => r.productName)?.productName ?? null,
            factor: p.factor,
            quantity: round(own.reduce((s, r) => s + r.quantity, 0)),
            records: own.map((r) => ({ date: r.date, quantity: r.quantity, ledgerLines: r.ledgerLines, negative: r.negative })),
        }
    })
    // lmisMonthTotals: products without counted lines add nothing; the running sum is rounded at each step.
    const computed = products.filter((p) => p.records.length).reduce((v, p) => round(v + p.quantity * p.factor), 0)

    const lines: Array<ExplainedLine & { productCode: string | null; quantity: number | null }> = []
    const excluded: Array<ExcludedLine & { productCode: string | null; quantity: number | null }> = []
    let withoutQuantity = 0
    for (const t of current) {
        const l = t.line
        const withProduct = { ...shown(t), productCode: l.productCode, quantity: l.quantity }
        if (l.status === 'SUCCESS' && !lacksProduct(l)) lines.push(withProduct)
        else if (l.status === 'SUCCESS') {
            withoutQuantity++
            excluded.push({ ...withProduct, reason: { code: 'NO_QUANTITY', fr: 'sans quantité : comptée dans les recettes, pas dans les sorties de stock', en: 'no quantity: counted as revenue, not as a stock outflow' } })
        } else excluded.push({ ...withProduct, reason: { code: l.status as ExcludedLine['reason']['code'], ...(STATUS_REASONS[l.status] ?? { fr: l.status, en: l.status }) } })
    }
    for (const r of input.replaced) if (relevant(r.line)) excluded.push({ ...replacedVersion(r), productCode: r.line.productCode, quantity: r.line.quantity })
    lines.sort(byTime)
    excluded.sort(byTime)

    return {
        ...stateTotals(input.values),
        method: 'QUANTITY',
        computed,
        keys: input.values.map((v) => v.key).sort(),
        sends: input.sends.map((s) => ({
            runId: s.runId,
            at: s.at,
            value: s.value,
            outcome: s.outcome,
            errorCode: s.errorCode,
            channel: null,
            service: null,
            repeats: s.repeats,
            lastRunId: s.lastRunId,
            lastAt: s.lastAt,
            linesBrought: new Set([...lines.filter((l) => l.runId === s.runId), ...excluded.filter((l) => l.runId === s.runId || l.replacedByRun === s.runId)].map((l) => `${l.transactionId}\u0000${l.lineNo}`)).size,
        })),
        lines,
        excluded,
        products,
        withoutQuantity,
    }
}

import type { PeriodType } from '../../contract/codes'
import { periodsOfMonth } from '../aggregate/periods'
import type { LedgerLine } from '../domain/line'
import type { StateDb } from '../state/db'
import { LineStore, scopesWithLines } from '../state/lines'
import { computeRecords, lacksProduct, localDate, type ComputeContext, type ComputeResult } from './records'

/**
 * The ledger side of the reconciliation (docs/contract.md §4): a month's sales per facility ×
 * MEDEXIS product, assembled scope by scope from the scopes' records. A local day lies in one
 * period, so a record (facility × product × day) comes whole from one scope — the stock leg
 * relies on the same when it computes and stores records scope by scope.
 */
export interface MonthSale {
    facility: string
    product: string
    productName: string | null
    ledgerCodes: string[]
    /** Σ daily quantities, ledger units. */
    sold: number
    amountXof: number
    ledgerLines: number
}

/** One facility × product's records of a month within one scope. */
interface SalePart {
    facility: string
    product: string
    firstDate: string
    /** Each record's quantity in date order: summed at the end in the order of one pass over the month (float rounding). */
    quantities: number[]
    /** The last product name given, in date order. */
    productName: string | null
    ledgerCodes: Set<string>
    amountXof: number
    ledgerLines: number
}

/** A scope's share of one month. */
export interface MonthShare {
    parts: Map<string, SalePart>
    /** Counted pharmacy lines of the month without product code or quantity. */
    missingProduct: number
}

const round = (n: number) => Math.round(n * 1e6) / 1e6
const emptyShare = (): MonthShare => ({ parts: new Map(), missingProduct: 0 })

/** A scope's records (computeRecords of `lines`, the scope's pharmacy lines), split by the month of their local date. */
function sharesByMonth(lines: readonly LedgerLine[], result: ComputeResult, zoneFor: (facility: string) => string): Map<string, MonthShare> {
    const shares = new Map<string, MonthShare>()
    const shareOf = (month: string) => {
        let share = shares.get(month)
        if (!share) shares.set(month, (share = emptyShare()))
        return share
    }
    // Records come sorted by id: within a facility × product, by date.
    for (const r of result.records) {
        const share = shareOf(r.date.slice(0, 7))
        const key = `${r.facility}\u0000${r.product}`
        let part = share.parts.get(key)
        if (!part) {
            part = { facility: r.facility, product: r.product, firstDate: r.date, quantities: [], productName: null, ledgerCodes: new Set(), amountXof: 0, ledgerLines: 0 }
            share.parts.set(key, part)
        }
        part.quantities.push(r.quantity)
        if (r.productName) part.productName = r.productName
        for (const code of r.ledgerCodes) part.ledgerCodes.add(code)
        part.amountXof += r.amountXof
        part.ledgerLines += r.ledgerLines
    }
    // Lines without product make no record; their month is only needed when there are some.
    if (result.missingProduct > 0) {
        for (const l of lines) if (lacksProduct(l)) shareOf(localDate(l.occurredAt, zoneFor(l.facilityCode)).slice(0, 7)).missingProduct++
    }
    return shares
}

/**
 * What the stock leg computed for each scope of a run, kept by month until the reconciliation
 * of that month takes it: the reconciliation then reads again only the scopes this run did not
 * compute. Small (facilities × products × months, plus one number per record), and bounded
 * to the newest `keepMonths` months (the reconciliation publishes no older ones; a forgotten
 * month is read from the state as before).
 */
export class MonthSalesMemo {
    private readonly computed = new Set<string>()
    /** month → scope → share */
    private readonly months = new Map<string, Map<string, MonthShare>>()
    private readonly forgotten = new Set<string>()

    constructor(
        private readonly zoneFor: (facility: string) => string,
        private readonly keepMonths: number
    ) {}

    /** The stock leg computed `result` from `lines`, all the pharmacy lines of `scope`. */
    remember(scope: string, lines: readonly LedgerLine[], result: ComputeResult): void {
        this.computed.add(scope)
        for (const [month, share] of sharesByMonth(lines, result, this.zoneFor)) {
            if (this.forgotten.has(month)) continue
            let scopes = this.months.get(month)
            if (!scopes) this.months.set(month, (scopes = new Map()))
            scopes.set(scope, share)
        }
        while (this.months.size > this.keepMonths) {
            const oldest = [...this.months.keys()].sort()[0]
            this.months.delete(oldest)
            this.forgotten.add(oldest)
        }
    }

    /** The scope's share of the month, forgotten once taken; undefined when this run did not compute it. */
    take(scope: string, month: string): MonthShare | undefined {
        if (!this.computed.has(scope) || this.forgotten.has(month)) return undefined
        const scopes = this.months.get(month)
        const share = scopes?.get(scope) ?? emptyShare()
        scopes?.delete(scope)
        if (scopes?.size === 0) this.months.delete(month)
        return share
    }
}

/**
 * A month's sales and its pharmacy lines without product, through the scopes whose period holds
 * a day of the month (the scope index), not a pass over every line: a first sync reconciles up to
 * 26 months. Scopes in `memo` are not read again.
 */
export function monthSales(
    db: StateDb,
    month: string,
    ctx: ComputeContext,
    periodType: PeriodType,
    memo?: MonthSalesMemo
): { sales: MonthSale[]; missingProduct: number } {
    const store = new LineStore(db)
    const byKey = new Map<string, SalePart[]>()
    let missingProduct = 0
    for (const scope of scopesWithLines(db, periodsOfMonth(month, periodType))) {
        let share = memo?.take(scope, month)
        if (!share) {
            const lines = store.pharmacyLines(scope)
            share = sharesByMonth(lines, computeRecords(lines, ctx), ctx.zoneFor).get(month) ?? emptyShare()
        }
        missingProduct += share.missingProduct
        for (const [key, part] of share.parts) {
            const parts = byKey.get(key)
            if (parts) parts.push(part)
            else byKey.set(key, [part])
        }
    }
    const sales: MonthSale[] = []
    for (const parts of byKey.values()) {
        // Several parts only when a period is shorter than a month (weeks, days): date order.
        parts.sort((a, b) => (a.firstDate < b.firstDate ? -1 : a.firstDate > b.firstDate ? 1 : 0))
        const sale: MonthSale = { facility: parts[0].facility, product: parts[0].product, productName: null, ledgerCodes: [], sold: 0, amountXof: 0, ledgerLines: 0 }
        const codes = new Set<string>()
        for (const part of parts) {
            for (const q of part.quantities) sale.sold = round(sale.sold + q)
            if (part.productName) sale.productName = part.productName
            for (const code of part.ledgerCodes) codes.add(code)
            sale.amountXof += part.amountXof
            sale.ledgerLines += part.ledgerLines
        }
        sale.ledgerCodes = [...codes].sort()
        sales.push(sale)
    }
    return { sales, missingProduct }
}

import { parseScopeId } from '../aggregate'
import type { ResolvedConfig } from '../config/load'
import type { LedgerLine } from '../domain/line'
import { Dhis2AuthError, Dhis2Client, Dhis2ResponseError, Dhis2UnreachableError } from '../dhis2/client'
import { OrgUnitResolver } from '../dhis2/org-units'
import type { StateDb } from '../state/db'
import { productCatalog, type ProductCatalog } from './config'
import { MonthSalesMemo } from './month-sales'
import { RECONCILED_MONTHS } from './publish'
import { computeRecords } from './records'
import { StockStore } from './store'

/**
 * Step 1 of the stock leg (docs/contract.md §4): the stock-outflow records of the recomputed
 * scopes, one scope at a time, from that scope's own pharmacy lines (latest versions). A sync
 * hands each scope's lines over from the revenue recompute, which has just read them (one read
 * of a scope for both: the second read was 1.2–1.5 s of a 1 M-line first sync); the stock
 * command reads them itself. Memory follows the largest scope, not the ledger.
 */
export class StockRecorder {
    /** Records written (those that fell to 0 included), and those created or whose revision went up. */
    records = 0
    changed = 0
    /** Counted pharmacy lines without product code or quantity. */
    missingProduct = 0
    readonly negatives: string[] = []
    readonly mixed: string[] = []
    /** Ledger product codes of the records that have no LMIS mapping. */
    readonly unmapped = new Set<string>()
    /** facility → months (`YYYY-MM`) whose records were written. */
    readonly touchedMonths = new Map<string, Set<string>>()

    constructor(
        readonly store: StockStore,
        readonly catalog: ProductCatalog,
        private readonly rc: ResolvedConfig,
        private readonly orgUnits: ReadonlyMap<string, string | null>,
        /** The reconciliation after the push takes these scopes' sales from here instead of reading their lines again. */
        readonly memo: MonthSalesMemo | undefined,
        private readonly iso: () => string
    ) {}

    /** The records of one scope from all its own pharmacy lines; in the caller's transaction. */
    scope(scope: string, pharmacyLines: LedgerLine[]): void {
        const result = computeRecords(pharmacyLines, { zoneFor: this.rc.zoneFor, catalog: this.catalog })
        this.memo?.remember(scope, pharmacyLines, result)
        const plan = this.store.planScope(scope, result.records, (f) => this.orgUnits.get(f) ?? null)
        this.store.applyPlan(plan, this.iso())
        this.records += plan.upserts.length
        this.changed += plan.upserts.filter((u) => u.isNew || u.bumped).length
        this.missingProduct += result.missingProduct
        for (const r of result.records) {
            if (r.negative) this.negatives.push(r.id)
            if (r.mixedUnits) this.mixed.push(r.id)
            if (!this.catalog.byMedexisCode(r.product)?.lmis) r.ledgerCodes.forEach((c) => this.unmapped.add(c))
        }
        for (const u of plan.upserts) {
            const months = this.touchedMonths.get(u.row.facility) ?? new Set<string>()
            months.add(u.row.date.slice(0, 7))
            this.touchedMonths.set(u.row.facility, months)
        }
    }
}

/**
 * A recorder for these scopes: their facilities' organisation units asked once (a courtesy in
 * each record's body: without DHIS2, what the state remembers will do).
 */
export async function startStockRecorder(input: {
    db: StateDb
    rc: ResolvedConfig
    client: Dhis2Client | null
    scopes: readonly string[]
    dryRun: boolean
    now: () => Date
    /** The run's store and catalog, when the caller has them already. */
    store?: StockStore
    catalog?: ProductCatalog
}): Promise<StockRecorder> {
    const { db, rc, client } = input
    const iso = () => input.now().toISOString()
    const facilities = new Set(input.scopes.map((scope) => parseScopeId(scope).facilityCode))
    const orgUnits = new Map<string, string | null>()
    let resolver = new OrgUnitResolver(client, db, rc.orgUnitRefFor, iso)
    try {
        await resolver.prefetch([...facilities])
    } catch (e) {
        if (!(e instanceof Dhis2UnreachableError || e instanceof Dhis2AuthError || e instanceof Dhis2ResponseError)) throw e
        resolver = new OrgUnitResolver(null, db, rc.orgUnitRefFor, iso)
    }
    for (const f of facilities) {
        let ou: Awaited<ReturnType<OrgUnitResolver['resolve']>> = null
        try {
            ou = await resolver.resolve(f)
        } catch {
            ou = null
        }
        orgUnits.set(f, ou && ou !== 'unknown' ? ou.id : null)
    }
    const memo = !input.dryRun && client ? new MonthSalesMemo(rc.zoneFor, RECONCILED_MONTHS) : undefined
    return new StockRecorder(input.store ?? new StockStore(db), input.catalog ?? productCatalog(rc.config.stock), rc, orgUnits, memo, iso)
}

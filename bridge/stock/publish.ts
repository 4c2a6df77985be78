import type { ResolvedConfig } from '../config/load'
import type { Bilingual } from '../domain/line'
import { Dhis2AuthError, Dhis2ResponseError, Dhis2UnreachableError, type Dhis2Client } from '../dhis2/client'
import type { StateDb } from '../state/db'
import type { MonthSalesMemo } from './month-sales'
import { runReconcile, type ReconcileReport } from './reconcile'
import { DATASTORE_NAMESPACE, datastoreResource, stockReconcileKey } from '../../contract/datastore'
import { PUBLISHED_MONTHS, stockReconcileEntrySchema, type PublishedMonth, type StockReconcileEntry } from '../../contract/stock-reconcile'

/**
 * The reconciliation reaches the dashboards through the DHIS2 data store: quantities sold per
 * product are not in DHIS2 analytics (only revenue is). One entry per facility
 * (`payrev/stock-reconcile-<orgUnitUid>`), months merged into what is already there.
 */

/** The entries the reports give, one per org unit (pure). Facilities DHIS2 does not know are left out. */
export function buildEntries(reports: readonly ReconcileReport[], previous: (orgUnit: string) => StockReconcileEntry | null, nowIso: string): StockReconcileEntry[] {
    const byOrgUnit = new Map<string, { facility: string; months: PublishedMonth[]; report: ReconcileReport }>()
    for (const report of reports) {
        const perUnit = new Map<string, { facility: string; rows: PublishedMonth['rows'] }>()
        for (const row of report.rows) {
            if (!row.orgUnit) continue
            const slot = perUnit.get(row.orgUnit) ?? { facility: row.facility, rows: [] }
            // Codes and figures only: the product name stays out, the app names products from DHIS2.
            slot.rows.push({
                product: row.product,
                ledgerCodes: row.ledgerCodes,
                sold: row.sold,
                soldLmisUnits: row.soldLmisUnits,
                factor: row.factor,
                lmisUnit: row.lmisUnit,
                amountXof: row.amountXof,
                ledgerLines: row.ledgerLines,
                dispensed: row.dispensed,
                stockOnHand: row.stockOnHand,
                stockOutDays: row.stockOutDays,
                openingBalance: row.openingBalance,
                received: row.received,
                gapPercent: row.gapPercent,
                flags: row.flags,
            })
            perUnit.set(row.orgUnit, slot)
        }
        for (const [orgUnit, slot] of perUnit) {
            const acc = byOrgUnit.get(orgUnit) ?? { facility: slot.facility, months: [], report }
            acc.months.push({ month: report.month, lmisRead: report.lmisRead, reconciledAt: nowIso, rows: slot.rows })
            // The latest month's report carries the freshest mapping.
            if (report.month >= acc.report.month) acc.report = report
            byOrgUnit.set(orgUnit, acc)
        }
    }
    const out: StockReconcileEntry[] = []
    for (const [orgUnit, acc] of byOrgUnit) {
        const before = previous(orgUnit)
        const fresh = acc.report.lmisOperands ?? {}
        const lmis = Object.keys(fresh).length > 0 || !before ? fresh : before.lmis
        out.push(
            stockReconcileEntrySchema.parse({
                kind: 'stock-reconcile',
                schemaVersion: 1,
                orgUnit,
                facility: acc.facility,
                updatedAt: nowIso,
                dataSet: acc.report.dataSet,
                gapThresholdPercent: acc.report.gapThresholdPercent,
                lmis,
                months: mergeMonths(before?.months ?? [], acc.months),
            })
        )
    }
    return out.sort((a, b) => (a.orgUnit < b.orgUnit ? -1 : 1))
}

export interface PublishOutcome {
    /** Data store entries written. */
    entries: number
    months: string[]
    /** Why nothing (or not everything) was published; the run's outcome does not depend on it. */
    warning: Bilingual | null
}

async function readEntry(client: Dhis2Client, orgUnit: string): Promise<StockReconcileEntry | null> {
    try {
        const res = await client.get<unknown>(datastoreResource(stockReconcileKey(orgUnit)))
        const parsed = stockReconcileEntrySchema.safeParse(res.data)
        // An entry of another shape (older bridge, hand edit) is replaced rather than merged.
        return parsed.success ? parsed.data : null
    } catch (e) {
        if (e instanceof Dhis2ResponseError && e.status === 404) return null
        throw e
    }
}

/** Write the reports' months to the data store, merged with what each facility's entry holds. */
export async function publishReconciliation(client: Dhis2Client, reports: readonly ReconcileReport[], now: () => Date): Promise<PublishOutcome> {
    const months = [...new Set(reports.map((r) => r.month))].sort()
    try {
        const units = [...new Set(reports.flatMap((r) => r.rows.map((row) => row.orgUnit)).filter((o): o is string => !!o))].sort()
        const previous = new Map<string, StockReconcileEntry | null>()
        for (const ou of units) previous.set(ou, await readEntry(client, ou))
        const entries = buildEntries(reports, (ou) => previous.get(ou) ?? null, now().toISOString())
        for (const e of entries) await client.put(datastoreResource(stockReconcileKey(e.orgUnit)), e)
        return { entries: entries.length, months, warning: null }
    } catch (e) {
        if (e instanceof Dhis2UnreachableError || e instanceof Dhis2AuthError || e instanceof Dhis2ResponseError) {
            return {
                entries: 0,
                months,
                warning: {
                    fr: `Rapprochement non publié pour les tableaux de bord (magasin de données « ${DATASTORE_NAMESPACE} ») : ${e.reason.fr}`,
                    en: `Reconciliation not published for the dashboards (data store "${DATASTORE_NAMESPACE}"): ${e.reason.en}`,
                },
            }
        }
        throw e
    }
}

/** The most months a sync reconciles: what the dashboards keep, plus the running and last month. */
export const RECONCILED_MONTHS = PUBLISHED_MONTHS + 2

/**
 * After a sync: reconcile the months the run touched (the newest ones) and publish
 * them. Reading the LMIS for a month that DHIS2 cannot serve leaves that month as sales only.
 */
export async function reconcileAndPublish(args: {
    db: StateDb
    rc: ResolvedConfig
    client: Dhis2Client
    months: Iterable<string>
    now: () => Date
    /** What the stock leg of this run computed (runReconcile). */
    memo?: MonthSalesMemo
}): Promise<PublishOutcome> {
    // A first sync over years of history: the newest months only (plus the running and last month, which may have no rows).
    const months = [...new Set(args.months)].sort().slice(-RECONCILED_MONTHS)
    const reports: ReconcileReport[] = []
    try {
        for (const month of months) reports.push(await runReconcile({ db: args.db, rc: args.rc, client: args.client, month, now: args.now, memo: args.memo }))
    } catch (e) {
        if (e instanceof Dhis2AuthError || e instanceof Dhis2ResponseError) {
            return { entries: 0, months, warning: { fr: `Rapprochement non publié : ${e.reason.fr}`, en: `Reconciliation not published: ${e.reason.en}` } }
        }
        throw e
    }
    // A month whose LMIS read failed for want of DHIS2 is not worth publishing over a good one.
    const usable = reports.filter((r) => r.exitCode !== 4)
    if (usable.length === 0) return { entries: 0, months, warning: reports.length ? { fr: 'Rapprochement non publié : DHIS2 injoignable', en: 'Reconciliation not published: DHIS2 unreachable' } : null }
    return publishReconciliation(args.client, usable, args.now)
}

/** Merge new months into an entry: a month reconciled again replaces the old one; the newest PUBLISHED_MONTHS stay. */
export function mergeMonths(previous: readonly PublishedMonth[], next: readonly PublishedMonth[]): PublishedMonth[] {
    const byMonth = new Map(previous.map((m) => [m.month, m]))
    for (const m of next) byMonth.set(m.month, m)
    return [...byMonth.values()].sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0)).slice(-PUBLISHED_MONTHS)
}

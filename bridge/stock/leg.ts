import { DateTime } from 'luxon'
import type { ResolvedConfig } from '../config/load'
import type { Bilingual, LedgerLine } from '../domain/line'
import { Dhis2AuthError, Dhis2Client, Dhis2ResponseError, Dhis2UnreachableError } from '../dhis2/client'
import { ImportSummaryMissing } from '../dhis2/data-values'
import { Outbox } from '../dhis2/outbox'
import type { ConflictReport } from '../report/conflict'
import type { StateDb } from '../state/db'
import { productCatalog, type StockConfig } from './config'
import { lmisMonthTotals, monthlyPeriod } from './lmis'
import { bridgeConflict, lmisKey, lmisScope, pushLmis, type LmisOutcome } from './lmis-push'
import { SendLog } from '../state/lineage'
import { MedexisConfigError, MedexisSink, medexisTarget } from './medexis'
import type { MonthSalesMemo } from './month-sales'
import { reconcileAndPublish } from './publish'
import { startStockRecorder, type StockRecorder } from './recorder'
import { StockStore } from './store'
import { describe, EXIT } from '../errors'

/** Step 1's input: the records the sync's recompute wrote already, or each scope's own pharmacy lines to write them here. */
export type StockLegInput = StockLegCommon &
    (
        | {
              /** Every scope of `scopes` fed to this recorder (the sync's recompute does it). */
              recorded: StockRecorder
              pharmacyLines?: never
          }
        | {
              /** The scope's own pharmacy lines (LineStore.pharmacyLines). */
              pharmacyLines(scope: string): LedgerLine[]
              recorded?: never
          }
    )

interface StockLegCommon {
    db: StateDb
    rc: ResolvedConfig
    /** null when DHIS2 is unreachable. */
    client: Dhis2Client | null
    /** facility|period scopes recomputed in this run. */
    scopes: string[]
    dryRun: boolean
    now: () => Date
    log?: (m: Bilingual) => void
    /** MEDEXIS_* variables; process.env when absent. */
    env?: NodeJS.ProcessEnv
    /** The sync run, to record the LMIS values' sends (docs/traceability.md); absent, nothing is recorded. */
    runId?: number
}

export interface StockLegReport {
    /** Records of the recomputed scopes (those that fell to 0 included). */
    records: number
    /** Records created or whose revision went up. */
    changed: number
    /** PUTs MEDEXIS accepted in this run (2xx or 409). */
    sent: number
    /** Records MEDEXIS refused in this run (4xx other than 401/403/408/409/429): not retried until their content changes. */
    rejected: Array<{ id: string; revision: number; status: number | null; reason: Bilingual }>
    /** Records in the MEDEXIS outbox after the run. */
    waiting: number
    /** Ledger product codes of this run's records that have no LMIS mapping. */
    unmappedProducts: string[]
    /** Counted pharmacy lines without product code or quantity. */
    missingProduct: number
    /** Records whose refunds exceeded the sales of the day (clamped to 0). */
    negativeDays: number
    /** null when no facility has the LMIS sink enabled. */
    lmis: LmisOutcome | null
    medexisUnreachable: boolean
    /** LMIS values wait because DHIS2 could not be reached (no client, 5xx, time-outs). */
    lmisUnreachable: boolean
    /** Whether the MEDEXIS sink is on (MEDEXIS_BASE_URL or stock.medexis). */
    medexisEnabled: boolean
    /** --dry-run: the records MEDEXIS would receive. */
    wouldSend?: Array<{ id: string; revision: number; quantity: number }>
    warnings: Bilingual[]
    /** The MEDEXIS settings are unusable (e.g. enabled without an address): nothing can go until they are fixed. */
    configError: Bilingual | null
    /** Data store entries written for the dashboards (`payrev/stock-reconcile-<ou>`); null when not attempted (dry run, DHIS2 unreachable). */
    reconciliationPublished?: { entries: number; months: number } | null
    /** 2 for unusable MEDEXIS settings, else 4 if a target stayed unreachable, else 3 if something was rejected, else 0 (docs/contract.md §5). */
    exitCode: 0 | 2 | 3 | 4
}


/**
 * The stock leg of a sync: recompute the stock-outflow records of the recomputed scopes, then
 * hand them to the enabled sinks (MEDEXIS HTTP, DHIS2 LMIS). Call it after the scopes were
 * recomputed and before they are cleared. A dry run changes nothing in the state and sends nothing.
 */
export async function runStockLeg(input: StockLegInput): Promise<StockLegReport> {
    const { db, rc, client, dryRun } = input
    const cfg: StockConfig = rc.config.stock
    const iso = () => input.now().toISOString()
    const log = input.log ?? (() => undefined)
    const warnings: Bilingual[] = []
    // The recorder's, when the sync's recompute wrote the records: one catalog and one store per run.
    const catalog = input.recorded?.catalog ?? productCatalog(cfg)
    const store = input.recorded?.store ?? new StockStore(db)
    const lmisOutbox = new Outbox(db, 'lmis')
    const report: StockLegReport = {
        records: 0,
        changed: 0,
        sent: 0,
        rejected: [],
        waiting: 0,
        unmappedProducts: [],
        missingProduct: 0,
        negativeDays: 0,
        lmis: null,
        medexisUnreachable: false,
        lmisUnreachable: false,
        medexisEnabled: false,
        configError: null,
        warnings,
        exitCode: 0,
    }

    let target = null
    try {
        target = medexisTarget(cfg, input.env ?? process.env)
    } catch (e) {
        if (!(e instanceof MedexisConfigError)) throw e
        report.configError = e.reason
        warnings.push(e.reason)
    }
    report.medexisEnabled = target !== null

    let monthsToPublish = new Map<string, Set<string>>()
    let memo: MonthSalesMemo | undefined
    // A dry run works on a savepoint that is rolled back: same code path, nothing kept.
    if (dryRun) db.exec('SAVEPOINT stock_leg_dry_run')
    try {
        // 1. Records of the recomputed scopes: written already when the sync's recompute fed the
        // recorder, else here, one scope's lines at a time.
        let recorder: StockRecorder
        if (input.recorded) recorder = input.recorded
        else {
            const pharmacyLines = input.pharmacyLines
            const fresh = await startStockRecorder({ db, rc, client, scopes: input.scopes, dryRun, now: input.now, store, catalog })
            db.transaction(() => {
                for (const scope of input.scopes) fresh.scope(scope, pharmacyLines(scope))
            })()
            recorder = fresh
        }
        const { negatives, mixed, unmapped, touchedMonths } = recorder
        monthsToPublish = touchedMonths
        memo = recorder.memo
        report.records = recorder.records
        report.changed = recorder.changed
        report.missingProduct = recorder.missingProduct
        report.negativeDays = negatives.length
        report.unmappedProducts = [...unmapped].sort()
        if (report.missingProduct) {
            warnings.push({
                fr: `${report.missingProduct} ligne(s) de pharmacie sans produit ou sans quantité : comptées dans les recettes, absentes des sorties de stock`,
                en: `${report.missingProduct} pharmacy line(s) without product or quantity: counted as revenue, left out of the stock outflows`,
            })
        }
        if (negatives.length) {
            warnings.push({
                fr: `${negatives.length} jour(s) où les retours dépassent les ventes, ramenés à 0 : ${negatives.slice(0, 10).join(', ')}${negatives.length > 10 ? '…' : ''}`,
                en: `${negatives.length} day(s) where returns exceed sales, clamped to 0: ${negatives.slice(0, 10).join(', ')}${negatives.length > 10 ? '…' : ''}`,
            })
        }
        if (mixed.length) {
            warnings.push({
                fr: `Unités différentes pour un même produit et un même jour (fixez « unit » dans stock.products) : ${mixed.slice(0, 10).join(', ')}`,
                en: `Different units for one product on one day (set "unit" in stock.products): ${mixed.slice(0, 10).join(', ')}`,
            })
        }
        log({ fr: `Stock : ${report.records} enregistrement(s) recalculé(s), ${report.changed} modifié(s)`, en: `Stock: ${report.records} record(s) recomputed, ${report.changed} changed` })

        // 2. MEDEXIS: the outbox first, then every record whose latest revision MEDEXIS does not hold.
        if (target) {
            const pending = store.pending()
            if (dryRun) {
                report.wouldSend = pending.map((r) => ({ id: r.id, revision: r.revision, quantity: r.quantity }))
            } else {
                const sink = new MedexisSink(target)
                let down: Bilingual | null = null
                let next = 0
                // A few PUTs in flight; the outbox is at the head of the queue, so it goes first.
                const worker = async () => {
                    while (next < pending.length) {
                        const rec = pending[next++]
                        if (down) {
                            store.queue(rec.id, iso(), { status: null, error: 'not tried: MEDEXIS unreachable', attempts: 0, maybeDelivered: false })
                            continue
                        }
                        const outcome = await sink.put(rec.body)
                        if (outcome.kind === 'delivered') {
                            store.markDelivered(rec.id, rec.revision, iso())
                            report.sent++
                        } else if (outcome.kind === 'rejected') {
                            store.markRejected(rec.id, rec.revision, outcome.status, outcome.reason)
                            report.rejected.push({ id: rec.id, revision: rec.revision, status: outcome.status, reason: outcome.reason })
                        } else {
                            store.queue(rec.id, iso(), { status: outcome.status, error: outcome.reason.en, attempts: outcome.attempts, maybeDelivered: outcome.maybeDelivered })
                            // One record that cannot get through after its retries: the others wait too.
                            if (!down) {
                                down = outcome.reason
                                report.medexisUnreachable = true
                                warnings.push({
                                    fr: `${outcome.reason.fr} — les enregistrements restent dans la file d'attente et partiront à la prochaine exécution`,
                                    en: `${outcome.reason.en} — the records stay in the outbox and go at the next run`,
                                })
                            }
                        }
                    }
                }
                await Promise.all(Array.from({ length: Math.min(target.concurrency, Math.max(pending.length, 1)) }, worker))
                report.rejected.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
                if (pending.length) log({ fr: `MEDEXIS : ${report.sent} envoyé(s), ${report.rejected.length} refusé(s)`, en: `MEDEXIS: ${report.sent} sent, ${report.rejected.length} rejected` })
            }
            report.waiting = store.outboxSize()
        }

        // 3. DHIS2 LMIS: monthly absolute totals, for the facilities that enabled it.
        const lmisFacilities = new Set(cfg.lmis.facilities)
        if (lmisFacilities.size > 0) {
            const conflicts: ConflictReport[] = []
            const lmis: NonNullable<StockLegReport['lmis']> = { valuesSent: 0, conflicts, waiting: 0 }
            report.lmis = lmis
            // A monthly LMIS report is for a closed month (the data set opens a month once it has
            // ended): the running month waits, and the first run after the month ends writes it
            // (last month is recomputed every run; applyMonth only queues what changed).
            db.transaction(() => {
                for (const facility of lmisFacilities) {
                    const zoneNow = DateTime.fromJSDate(input.now(), { zone: rc.zoneFor(facility) })
                    const running = zoneNow.toFormat('yyyy-MM')
                    const months = new Set([...(touchedMonths.get(facility) ?? []), zoneNow.minus({ months: 1 }).toFormat('yyyy-MM')])
                    for (const month of months) {
                        if (month >= running) continue
                        const { totals } = lmisMonthTotals(cfg, catalog, store.monthTotals(facility, month))
                        const period = monthlyPeriod(month)
                        lmisOutbox.replaceScope(
                            lmisScope(facility, period),
                            totals.map((t) => ({ key: lmisKey(facility, t.dataElement, t.coc, period), facility, dataElement: t.dataElement, coc: t.coc, period, detail: t.products, value: t.value }))
                        )
                    }
                }
            })()
            const lmisPending = () => lmisOutbox.pending().filter((v) => lmisFacilities.has(v.facility))
            const pending = lmisPending()
            if (pending.length && !client) {
                report.lmisUnreachable = true
                warnings.push({ fr: `DHIS2 injoignable : ${pending.length} valeur(s) LMIS attendent`, en: `DHIS2 unreachable: ${pending.length} LMIS value(s) wait` })
            } else if (pending.length && client) {
                try {
                    await pushLmis(db, client, rc, cfg, pending, lmisOutbox, lmis, dryRun, iso, log, input.runId === undefined ? undefined : { log: new SendLog(db, 'lmis'), runId: input.runId })
                } catch (e) {
                    if (e instanceof Dhis2UnreachableError) {
                        report.lmisUnreachable = true
                        warnings.push({ fr: `${e.reason.fr} — les valeurs LMIS attendent la prochaine exécution`, en: `${e.reason.en} — the LMIS values wait for the next run` })
                    } else if (e instanceof Dhis2AuthError || e instanceof Dhis2ResponseError || e instanceof ImportSummaryMissing) {
                        const why = describe(e)
                        conflicts.push(bridgeConflict(null, null, null, null, 'BRIDGE_LMIS', why))
                    } else throw e
                }
            }
            lmis.waiting = lmisPending().length
        }
    } finally {
        if (dryRun) db.exec('ROLLBACK TO stock_leg_dry_run; RELEASE stock_leg_dry_run')
    }
    if (dryRun) report.waiting = store.outboxSize()
    // 4. The dashboards' copy of the reconciliation: the months this run touched, and the last
    // closed and the running month (LMIS reports are entered after the month ends).
    if (!dryRun && client) {
        const months = new Set([...monthsToPublish.values()].flatMap((m) => [...m]))
        const zoneNow = DateTime.fromJSDate(input.now(), { zone: rc.defaultTimeZone })
        if (months.size > 0 || store.hasRecords()) {
            months.add(zoneNow.toFormat('yyyy-MM'))
            months.add(zoneNow.minus({ months: 1 }).toFormat('yyyy-MM'))
        }
        const published = await reconcileAndPublish({ db, rc, client, months, now: input.now, memo })
        report.reconciliationPublished = { entries: published.entries, months: published.months.length }
        if (published.warning) warnings.push(published.warning)
        if (published.entries) log({ fr: `Rapprochement publié pour ${published.entries} établissement(s)`, en: `Reconciliation published for ${published.entries} facility(ies)` })
    }
    report.exitCode = stockExitCode(report)
    return report
}

/** The stock leg's own outcome (also the `stock` commands'): 2 for unusable MEDEXIS settings, else 4 if a target stayed unreachable, else 3 if something was rejected, else 0. */
export function stockExitCode(r: Pick<StockLegReport, 'configError' | 'medexisUnreachable' | 'lmisUnreachable' | 'rejected' | 'lmis'>): StockLegReport['exitCode'] {
    if (r.configError) return EXIT.CONFIG
    if (r.medexisUnreachable || r.lmisUnreachable) return EXIT.UNREACHABLE
    return r.rejected.length || r.lmis?.conflicts.length ? EXIT.PARTIAL : EXIT.OK
}

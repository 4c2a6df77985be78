import { bridgeVersion } from '../../cli/version'
import type { FacilityRunSummary } from '../../../contract/run-summary'
import { publishRunSummaries } from '../../dhis2/run-summary'
import { describe } from '../../errors'
import { getMeta, setMeta } from '../../state/db'
import { revenueExitCode } from '../exit-code'
import type { Run, SyncContext } from '../run'
import { publishLineageOfRun } from '../../trace/publish'

/**
 * Stage 6 — publish: one data store entry per facility for the dashboards' freshness view
 * (docs/contract.md §5); a failure here is only a warning.
 */
export async function publish(ctx: SyncContext, run: Run): Promise<void> {
    const at = ctx.iso()
    const exitCode = revenueExitCode(run)
    const summaries: FacilityRunSummary[] = []
    const newRows = newlyQuarantinedByFacility(ctx, run)
    for (const [code, t] of run.perFacility) {
        if (!code) continue
        const ou = await ctx.resolver.resolve(code)
        if (!ou || ou === 'unknown') continue
        const status = t.conflicts ? 'CONFLICTS' : t.quarantined ? 'QUARANTINE' : 'OK'
        const successKey = `facility_last_success:${code}`
        if (exitCode === 0 || status === 'OK') setMeta(ctx.db, successKey, at)
        // Health words (contract/health.ts): delivered = nothing refused, nothing waiting for this
        // facility, whatever rows were quarantined; clean = delivered with no row quarantined.
        const delivered = t.conflicts === 0 && ctx.values.pendingFor(code) === 0
        if (delivered) setMeta(ctx.db, `facility_last_delivery:${code}`, at)
        if (delivered && t.quarantined === 0) setMeta(ctx.db, `facility_last_clean:${code}`, at)
        const fresh = Math.min(newRows.get(code) ?? 0, t.quarantined)
        summaries.push({
            orgUnit: ou.id,
            orgUnitCode: ou.code ?? null,
            lastRunAt: at,
            lastSuccessAt: getMeta(ctx.db, successKey),
            lastRunStatus: status,
            valuesSent: t.valuesSent,
            conflicts: t.conflicts,
            quarantined: t.quarantined,
            linesRead: t.linesRead,
            bridgeVersion: bridgeVersion(),
            lastDeliveryAt: getMeta(ctx.db, `facility_last_delivery:${code}`),
            lastCleanRunAt: getMeta(ctx.db, `facility_last_clean:${code}`),
            newProblems: t.conflicts + fresh,
            stillQuarantined: t.quarantined - fresh,
        })
    }
    try {
        await publishRunSummaries(ctx.client, summaries, ctx.rc.config.dhis2.concurrency)
    } catch (e) {
        const why = describe(e)
        run.warnings.push({ fr: `Résumé non publié dans le magasin de données DHIS2 : ${why.fr}`, en: `Run summary not published to the DHIS2 data store: ${why.en}` })
    }
    // The « D'où vient ce chiffre ? » entries of the facilities this run sent values of (docs/traceability.md).
    const lineage = await publishLineageOfRun(ctx.client, ctx.db, ctx.rc, run.id, at, { runId: run.id, linesRead: run.counts.read, quarantined: run.quarantine.length, exitCode })
    if (lineage) run.warnings.push(lineage)
}

/** Rows this run quarantined that the previous run had not, per facility code of the row. */
function newlyQuarantinedByFacility(ctx: SyncContext, run: Run): Map<string, number> {
    const out = new Map<string, number>()
    for (const q of run.newlyQuarantined(ctx.db)) {
        const code = q.raw.facility_code ?? ''
        out.set(code, (out.get(code) ?? 0) + 1)
    }
    return out
}

import { describe, exitCodeOf } from '../errors'
import { RunStore } from '../state/runs'
import { publishLineageOfRun } from '../trace/publish'
import { runStockLeg, type StockLegInput, type StockLegReport } from './leg'

/**
 * `stock push` is a run (docs/traceability.md), as a sync or a reconcile: `runs` lists it, the
 * LMIS values it sends are in the send history under its id, and the dashboards' lineage entry
 * of each facility it sent LMIS values of is published again. Its summary keeps counts only. A
 * dry run records no run.
 */
export async function stockPushAsRun(input: StockLegInput): Promise<StockLegReport & { runId: number | null }> {
    if (input.dryRun) return { ...(await runStockLeg(input)), runId: null }
    const iso = () => input.now().toISOString()
    const runs = new RunStore(input.db)
    const runId = runs.start('stock push', iso())
    try {
        const report = await runStockLeg({ ...input, runId })
        runs.finish(runId, iso(), report.exitCode, runSummary(report))
        const problem = input.client && (await publishLineageOfRun(input.client, input.db, input.rc, runId, iso()))
        if (problem) report.warnings.push(problem)
        return { ...report, runId }
    } catch (e) {
        runs.finish(runId, iso(), exitCodeOf(e), { error: describe(e) })
        throw e
    }
}

function runSummary(r: StockLegReport): Record<string, unknown> {
    return {
        records: r.records,
        recordsChanged: r.changed,
        medexisSent: r.sent,
        medexisRefused: r.rejected.length,
        medexisWaiting: r.waiting,
        valuesSent: r.lmis?.valuesSent ?? 0,
        valuesWaiting: r.lmis?.waiting ?? 0,
        conflicts: r.lmis?.conflicts ?? [],
        warnings: r.warnings,
        exitCode: r.exitCode,
    }
}

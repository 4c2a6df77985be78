import type { ResolvedConfig } from '../config/load'
import type { Bilingual } from '../domain/line'
import type { Dhis2Client } from '../dhis2/client'
import { describe, exitCodeOf } from '../errors'
import type { StateDb } from '../state/db'
import { RunStore } from '../state/runs'
import { publishLineageOfRun } from '../trace/publish'
import { publishRecon, type PublishOutcome } from './publish'
import { runReconcile, type ReconcileOptions, type ReconcileResult } from './run'

/**
 * A reconciliation that may send (the reconcile command, the scheduler after a sync) is a run
 * (docs/traceability.md): `runs` lists it, its sends are in the send history under its id, like
 * a sync's, and its summary keeps counts only — the items name transactions and operator
 * references, which stay in the report printed to the finance office. The dashboards' lineage
 * entries of the facilities it sent totals of are published again.
 */
export async function reconcileAsRun(
    rc: ResolvedConfig,
    db: StateDb,
    client: Dhis2Client | null,
    input: ReconcileOptions,
    opts: { log?: (m: Bilingual) => void; now?: () => Date } = {}
): Promise<{ result: ReconcileResult; sent: PublishOutcome; runId: number }> {
    const iso = () => (opts.now ?? (() => new Date()))().toISOString()
    const runs = new RunStore(db)
    const runId = runs.start('reconcile', iso())
    try {
        const result = await runReconcile(rc, db, input)
        const sent = await publishRecon(db, rc, client, result.values, result.months, { log: opts.log, runId })
        runs.finish(runId, iso(), sent.exitCode, runSummary(result, sent))
        // The dashboards' « D'où vient ce chiffre ? » entries of the facilities whose totals it sent.
        const problem = client && (await publishLineageOfRun(client, db, rc, runId, iso()))
        if (problem) sent.warnings.push(problem)
        return { result, sent, runId }
    } catch (e) {
        runs.finish(runId, iso(), exitCodeOf(e), { error: describe(e) })
        throw e
    }
}

function runSummary(result: ReconcileResult, sent: PublishOutcome): Record<string, unknown> {
    const { report } = result
    return {
        month: report.month,
        months: report.months,
        facility: report.facility,
        items: report.items.length,
        discrepancies: report.items.filter((i) => i.category !== 'MATCHED').length,
        cashDiscrepancies: report.cash.filter((c) => c.flag !== 'OK').length,
        quarantined: report.quarantined,
        valuesSent: sent.valuesSent,
        valuesWaiting: sent.valuesWaiting,
        conflicts: sent.conflicts,
        warnings: [...result.warnings, ...sent.warnings],
        exitCode: sent.exitCode,
    }
}

import type { SyncReport } from '../../report/schema'
import { exitCode } from '../exit-code'
import type { Run, SyncContext } from '../run'

/**
 * Stage 7 — report (docs/contract.md §5): the run as one document, recorded in the state with
 * its quarantine; a dry run's transaction is rolled back here, so the state is untouched.
 */
export function report(ctx: SyncContext, run: Run): SyncReport {
    const { opts, rc, client } = ctx
    const code = exitCode(run)
    if (run.retries.size) {
        const list = [...run.retries].map(([reason, n]) => `${reason} ×${n}`).join(', ')
        const total = [...run.retries.values()].reduce((a, b) => a + b, 0)
        run.warnings.push({ fr: `${total} requête(s) DHIS2 refaite(s) après un échec passager : ${list}`, en: `${total} DHIS2 request(s) retried after a transient failure: ${list}` })
    }
    const finished = ctx.now()
    const out: SyncReport = {
        command: 'sync',
        runId: opts.dryRun ? null : run.id,
        dryRun: opts.dryRun,
        startedAt: run.started.toISOString(),
        finishedAt: finished.toISOString(),
        durationMs: finished.getTime() - run.started.getTime(),
        dhis2: { baseUrl: rc.baseUrl, version: run.version, reachable: !run.unreachable },
        files: run.files,
        linesRead: run.counts.read,
        linesNew: run.counts.new,
        linesChanged: run.counts.changed,
        linesUnchanged: run.counts.unchanged,
        linesStale: run.counts.stale,
        quarantined: run.quarantine.length,
        quarantinedNew: run.newlyQuarantined(ctx.db).length,
        quarantine: run.quarantine.map((q) => ({ file: q.file, line: q.line, column: q.column, reason: q.reason })),
        periodsRecomputed: run.recomputed,
        valuesSent: run.totals.sent,
        valuesAccepted: run.totals.accepted,
        valuesRejected: run.totals.rejected,
        valuesWaiting: ctx.values.counts().pending,
        imported: run.totals.imported,
        updated: run.totals.updated,
        ignored: run.totals.ignored,
        deleted: run.totals.deleted,
        conflicts: run.conflicts,
        requests: client.requests.count,
        bytesSent: client.requests.bytesSent,
        metadataInstalled: run.metadataInstalled,
        assignedOrgUnits: run.assigned,
        warnings: run.warnings,
        errors: run.errors,
        diff: run.diff,
        stock: run.stock ?? undefined,
        exitCode: code,
    }
    ctx.runs.quarantine(run.id, run.quarantine, ctx.iso())
    ctx.runs.finish(run.id, finished.toISOString(), code, { ...out, quarantine: undefined })
    if (opts.dryRun) ctx.db.exec('ROLLBACK')
    ctx.db.close()
    return out
}

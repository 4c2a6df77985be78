import { runStockLeg } from '../../stock/leg'
import type { Run, SyncContext } from '../run'

/**
 * Stage 5 — the stock leg (docs/contract.md §4): pharmacy sales of the recomputed scopes →
 * stock-outflow records for MEDEXIS (which does not depend on DHIS2) and monthly LMIS values
 * (through the DHIS2 outbox). Runs after the recomputation, before the revenue push.
 */
export async function stockLeg(ctx: SyncContext, run: Run): Promise<void> {
    run.stock = await runStockLeg({
        db: ctx.db,
        rc: ctx.rc,
        client: run.online ? ctx.client : null,
        scopes: run.scopes,
        pharmacyLines: (s) => ctx.lines.pharmacyLines(s),
        dryRun: ctx.opts.dryRun,
        now: ctx.now,
        log: ctx.log,
        runId: run.id,
    })
}

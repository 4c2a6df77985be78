import { runStockLeg } from '../../stock/leg'
import { startStockRecorder, type StockRecorder } from '../../stock/recorder'
import type { Run, SyncContext } from '../run'

/**
 * Stage 5a — before the recompute: the stock leg's recorder for the scopes to recompute (their
 * organisation units asked once), which the recompute feeds scope by scope from its own read.
 */
export async function stockRecorder(ctx: SyncContext, run: Run): Promise<StockRecorder> {
    return startStockRecorder({ db: ctx.db, rc: ctx.rc, client: run.online ? ctx.client : null, scopes: run.scopes, dryRun: ctx.opts.dryRun, now: ctx.now })
}

/**
 * Stage 5 — the stock leg (docs/contract.md §4): pharmacy sales of the recomputed scopes →
 * stock-outflow records for MEDEXIS (which does not depend on DHIS2) and monthly LMIS values
 * (through the DHIS2 outbox). The records were written with the recomputation; this sends them,
 * before the revenue push.
 */
export async function stockLeg(ctx: SyncContext, run: Run, recorded: StockRecorder): Promise<void> {
    run.stock = await runStockLeg({
        db: ctx.db,
        rc: ctx.rc,
        client: run.online ? ctx.client : null,
        scopes: run.scopes,
        recorded,
        dryRun: ctx.opts.dryRun,
        now: ctx.now,
        log: ctx.log,
        runId: run.id,
    })
}

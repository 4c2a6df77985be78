import type { ResolvedConfig } from '../config/load'
import { clientFromConfig } from '../dhis2/client-factory'
import { Dhis2UnreachableError } from '../dhis2/client'
import { targetCodes } from '../dhis2/metadata'
import { Outbox } from '../dhis2/outbox'
import { EXIT } from '../errors'
import type { SyncReport } from '../report/schema'
import { getMeta, openState, setMeta, type StateDb } from '../state/db'
import { LineStore } from '../state/lines'
import { acquireLock } from '../state/lock'
import { RunStore } from '../state/runs'
import { isDiskFull, StateDiskFull } from '../state/disk-full'
import { endsWithReport } from './exit-code'
import { Run, type SyncContext, type SyncOptions } from './run'
import { SyncAbort } from './sync-abort'
import { ingest, recompute, scopesToRecompute } from './stages/ingest'
import { plan, resolveOrgUnits } from './stages/plan'
import { meetDhis2, orgUnitResolver, preflight } from './stages/preflight'
import { publish } from './stages/publish'
import { push } from './stages/push'
import { report } from './stages/report'
import { stockLeg, stockRecorder } from './stages/stock'

export { SyncAbort }
export type { SyncOptions }

/** One sync at a time per state directory (a second process gets LockBusyError). The scheduler holds the lock for its whole life and calls runSyncLocked. */
export async function runSync(rc: ResolvedConfig, opts: SyncOptions): Promise<SyncReport> {
    const release = acquireLock(rc.stateDir)
    try {
        return await runSyncLocked(rc, opts)
    } finally {
        release()
    }
}

/**
 * One sync (docs/contract.md §2–§5): ingest the sources into the line store; recompute the
 * touched totals and, from the same read, their stock records; the stock leg's sends; plan what
 * DHIS2 should receive (pure); preflight (assignments, period checks); push through the outbox; publish the dashboards' summaries; report. DHIS2
 * unreachable: lines are still read and kept, and sending waits. The exit code is exit-code.ts's.
 */
export async function runSyncLocked(rc: ResolvedConfig, opts: SyncOptions): Promise<SyncReport> {
    const { ctx, run } = begin(rc, opts)
    try {
        await meetDhis2(ctx, run)
        const full: SyncContext = { ...ctx, resolver: await orgUnitResolver(ctx, run) }
        try {
            await ingest(full, run)
            scopesToRecompute(full, run)
            const stock = await stockRecorder(full, run)
            recompute(full, run, stock)
            await stockLeg(full, run, stock)
            if (!run.online) return report(full, run)
            const live = run.live!
            const pending = full.values.pending()
            const orgUnits = await resolveOrgUnits(full.resolver, [...run.perFacility.keys()], pending)
            const planned = plan({ pending, live, codes: full.codes, facilitiesSeen: [...run.perFacility.keys()], orgUnits })
            await preflight(full, run, planned, live)
            await push(full, run, planned, live)
            if (!opts.dryRun) await publish(full, run)
            return report(full, run)
        } catch (e) {
            return stop(full, run, e)
        }
    } catch (e) {
        return stop({ ...ctx, resolver: null as never }, run, e)
    }
}

/** The state opened and checked, the run started, the client built. */
function begin(rc: ResolvedConfig, opts: SyncOptions): { ctx: Omit<SyncContext, 'resolver'>; run: Run } {
    const now = opts.now ?? (() => new Date())
    const iso = () => now().toISOString()
    const log = opts.log ?? (() => undefined)
    const started = now()
    const db = openState(rc.stateDir)
    checkAggregation(db, rc)
    // A dry run does everything in one transaction and rolls it back: the state is untouched.
    if (opts.dryRun) db.exec('BEGIN')
    const runs = new RunStore(db)
    const values = new Outbox(db, 'revenue')
    // A run that never finished was killed (power cut, kill -9): say so, once.
    const interrupted = runs.takeInterrupted()
    const unconfirmed = interrupted.length ? values.unconfirmed() : 0
    const run = new Run(runs.start('sync', iso()), started, rc.warnings ?? [])
    for (const r of interrupted) {
        run.warnings.push({
            fr: `L'exécution n° ${r.id} (commencée le ${r.startedAt}) a été interrompue avant la fin ; ce qu'elle n'a pas terminé est repris (${unconfirmed} valeur(s) envoyée(s) sans réponse de DHIS2 sont renvoyées)`,
            en: `Run #${r.id} (started ${r.startedAt}) was interrupted before it finished; what it left undone is taken up again (${unconfirmed} value(s) sent without an answer from DHIS2 are sent again)`,
        })
    }
    setMeta(db, 'aggregation', aggregationSignature(rc))
    const client = clientFromConfig(rc, {
        onRetry: (r) => {
            run.retried(r.reason)
            log({ fr: `Nouvel essai ${r.attempt} dans ${r.delayMs} ms (${r.reason}) : ${r.path}`, en: `Retry ${r.attempt} in ${r.delayMs} ms (${r.reason}): ${r.path}` })
        },
    })
    const aggCtx = { periodType: rc.config.periodType, zoneFor: rc.zoneFor }
    return { ctx: { rc, opts, db, runs, lines: new LineStore(db), values, client, codes: targetCodes(rc.config), aggCtx, now, iso, log }, run }
}

/** An error stopped the run: recorded with its exit code; a bug is recorded as exit 1 and thrown on. */
function stop(ctx: SyncContext, run: Run, e: unknown): SyncReport {
    if (isDiskFull(e)) return stopDiskFull(ctx, run)
    if (endsWithReport(e)) {
        if (e instanceof Dhis2UnreachableError) run.unreachable = true
        run.errors.push(e.reason)
        run.stoppedWith = e.exitCode
        return report(ctx, run)
    }
    run.errors.push({ fr: `Erreur inattendue : ${(e as Error).message}`, en: `Unexpected error: ${(e as Error).message}` })
    if (ctx.db.inTransaction && !ctx.opts.dryRun) ctx.db.exec('COMMIT')
    run.stoppedWith = EXIT.UNEXPECTED
    report(ctx, run)
    throw e
}

/**
 * The state's disk full: a known condition (bridge/state/disk-full.ts, exit 2), reported like the
 * others when the report still fits on the disk, else thrown as a BridgeError for the CLI to say.
 */
function stopDiskFull(ctx: SyncContext, run: Run): SyncReport {
    const full = new StateDiskFull(ctx.rc.stateDir)
    run.errors.push(full.reason)
    run.stoppedWith = full.exitCode
    try {
        return report(ctx, run)
    } catch {
        if (ctx.db.open) ctx.db.close()
        throw full
    }
}

/** The state is built for one way of cutting periods; a different cut needs a fresh state. */
function aggregationSignature(rc: ResolvedConfig): string {
    const zones = rc.config.facilities.filter((f) => f.timeZone).map((f) => `${f.code}=${f.timeZone}`).sort()
    return JSON.stringify({ periodType: rc.config.periodType, zone: rc.defaultTimeZone, zones })
}

function checkAggregation(db: StateDb, rc: ResolvedConfig): void {
    const signature = aggregationSignature(rc)
    const previous = getMeta(db, 'aggregation')
    if (!previous || previous === signature) return
    db.close()
    throw new SyncAbort(
        {
            fr: `L'état ${rc.stateDir} a été construit avec un autre découpage (${previous}) que la configuration actuelle (${signature}) : utilisez un nouveau BRIDGE_STATE_DIR`,
            en: `The state in ${rc.stateDir} was built with another period cut (${previous}) than the current configuration (${signature}): use a new BRIDGE_STATE_DIR`,
        },
        EXIT.CONFIG
    )
}

export type { StateDb }

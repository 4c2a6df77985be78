import fs from 'node:fs'
import type http from 'node:http'
import path from 'node:path'
import cron from 'node-cron'
import type { Health } from '../../contract/health'
import { bridgeVersion } from '../cli/version'
import { quarantineCsv } from '../cli/operator'
import { ConfigError, type ResolvedConfig } from '../config/load'
import type { Bilingual } from '../domain/line'
import { reconcileAfterSync } from '../reconcile/scheduled'
import { clientFromConfig } from '../dhis2/client-factory'
import { describe, exitCodeOf } from '../errors'
import { registerSecret } from '../report/redact'
import { openState, type StateDb } from '../state/db'
import { acquireLock } from '../state/lock'
import { listOutbox, listQuarantine } from '../state/operator'
import { runSyncLocked } from '../sync/sync'
import { AlertPolicy, sendAlert } from './alerts'
import { failedInARow as failedRunsInARow, readHealth, runHistory } from './health'
import { isLoopback, startHttp } from './http'
import { BridgeMetrics } from './metrics'
import type { PageData } from './page'
import { lastVerify } from '../trace/publish'
import { runVerifyLocked } from '../trace/verify-run'

export interface SchedulerHandle {
    /** Resolves when the scheduler has stopped (after SIGTERM/SIGINT or stop()). */
    done: Promise<void>
    stop(): Promise<void>
    /** The address of the page, /healthz and /metrics, when enabled. */
    address: string | null
    metrics: BridgeMetrics
    health(): Health
    /** Starts a run now unless one is running (the page's buttons); resolves when it ends. */
    runNow(kind: 'sync' | 'retry'): Promise<boolean>
}

/** The operator page's token: BRIDGE_HTTP_TOKEN, else schedule.http.tokenFile; required off loopback. */
function pageToken(rc: ResolvedConfig, env: NodeJS.ProcessEnv): string | null {
    const http = rc.config.schedule.http
    let token = env.BRIDGE_HTTP_TOKEN?.trim() || null
    if (!token && http.tokenFile) {
        const file = path.resolve(rc.configFile ? path.dirname(rc.configFile) : '.', http.tokenFile)
        try {
            token = fs.readFileSync(file, 'utf8').trim() || null
        } catch (e) {
            throw new ConfigError({ fr: `schedule.http.tokenFile illisible « ${file} » : ${(e as Error).message}`, en: `schedule.http.tokenFile unreadable "${file}": ${(e as Error).message}` })
        }
    }
    if (!token && !isLoopback(http.host)) {
        throw new ConfigError({
            fr: `schedule.http.host = ${http.host} n'est pas la boucle locale : la page de suivi exige un jeton (schedule.http.tokenFile ou BRIDGE_HTTP_TOKEN), ou gardez 127.0.0.1`,
            en: `schedule.http.host = ${http.host} is not loopback: the status page needs a token (schedule.http.tokenFile or BRIDGE_HTTP_TOKEN), or keep 127.0.0.1`,
        })
    }
    if (token && token.length < 16) throw new ConfigError({ fr: 'Le jeton de la page de suivi doit faire au moins 16 caractères', en: 'The status page token must be at least 16 characters long' })
    registerSecret(token)
    return token
}

/**
 * `revenue-bridge schedule`: sync at start (what waits in the state goes out first), then on the
 * configured cron, never two runs at once, one scheduler per state directory. SIGTERM lets the
 * running sync finish (its batches are committed as they are accepted) before leaving.
 */
export async function startScheduler(rc: ResolvedConfig, log: (m: Bilingual) => void, env: NodeJS.ProcessEnv = process.env): Promise<SchedulerHandle> {
    const sched = rc.config.schedule
    const token = sched.http.port !== 0 ? pageToken(rc, env) : null
    const release = acquireLock(rc.stateDir)
    const metrics = new BridgeMetrics()
    const policy = new AlertPolicy(sched.alerts.repeatEveryMinutes)
    const alertClient = clientFromConfig(rc, { retries: 1, retryBaseDelayMs: 1000 })
    let current: Promise<void> | null = null
    let stopping = false
    let task: ReturnType<typeof cron.schedule> | null = null

    const withState = <T>(f: (db: StateDb) => T): T => {
        const db = openState(rc.stateDir, { readonly: true })
        try {
            return f(db)
        } finally {
            db.close()
        }
    }
    // Counted from the stored runs at start, so that a restart (systemd, reboot) does not reset
    // a failing streak; then kept here, where a run that threw before it was stored counts too.
    let failedInARow = withState(failedRunsInARow)
    const health = (): Health =>
        withState((db) =>
            readHealth(db, {
                running: current !== null,
                failedInARow,
                afterFailedRuns: sched.alerts.afterFailedRuns,
                waitingLongerThanMinutes: sched.alerts.waitingLongerThanMinutes,
                nextRunAt: task?.getNextRun() ?? null,
                now: new Date(),
            })
        )

    const runNow = async (kind: 'sync' | 'retry'): Promise<boolean> => {
        if (current || stopping) {
            metrics.ticksSkipped.inc()
            return false
        }
        current = (async () => {
            try {
                const report = await runSyncLocked(rc, { ledgerPaths: [], dryRun: false, skipLedger: kind === 'retry' }) // "retry" sends what waits, reads no ledger
                metrics.record(report)
                failedInARow = report.exitCode === 1 || report.exitCode === 4 ? failedInARow + 1 : 0
                log({
                    fr: `Synchronisation terminée : code ${report.exitCode}, ${report.valuesSent} valeurs envoyées, ${report.valuesWaiting} en attente`,
                    en: `Sync finished: exit ${report.exitCode}, ${report.valuesSent} values sent, ${report.valuesWaiting} waiting`,
                })
                // recon hook: statements and cash counts reconciled after each sync (docs/reconciliation.md).
                await reconcileAfterSync(rc, log)
            } catch (e) {
                failedInARow++
                metrics.recordFailure(exitCodeOf(e))
                const why = describe(e)
                log({ fr: `Échec de la synchronisation : ${why.fr}`, en: `Sync failed: ${why.en}` })
            }
        })()
        await current
        current = null
        await afterRun()
        return true
    }

    const afterRun = async () => {
        const h = health()
        metrics.setHealth(h)
        const a = sched.alerts
        if (!a.webhookUrl && !a.dhis2UserGroup) return
        const alert = policy.decide(h, new Date())
        if (!alert) return
        const problems = await sendAlert(alert, { webhookUrl: a.webhookUrl, dhis2UserGroup: a.dhis2UserGroup, client: alertClient, timeoutMs: 10_000 })
        problems.forEach(log)
    }

    let server: http.Server | null = null
    let address: string | null = null
    if (sched.http.port !== 0) {
        const page = (): PageData =>
            withState((db) => {
                const outbox = listOutbox(db)
                const quarantine = listQuarantine(db)
                return {
                    health: health(),
                    runs: runHistory(db, 30),
                    outbox: outbox.slice(0, 200),
                    outboxTotal: outbox.length,
                    quarantine: quarantine.slice(0, 200).map(({ raw: _raw, ...q }) => q),
                    quarantineTotal: quarantine.length,
                    verify: verifyOf(db),
                    access: token ? 'token' : 'loopback',
                    bind: `${sched.http.host}:${sched.http.port}`,
                    zone: sched.timeZone ?? rc.defaultTimeZone,
                    version: bridgeVersion(),
                }
            })
        const started = await startHttp(
            { host: sched.http.host, port: sched.http.port, token },
            {
                health: () => {
                    const h = health()
                    metrics.setHealth(h)
                    return h
                },
                metrics: async () => {
                    metrics.setHealth(health())
                    return { body: await metrics.render(), contentType: metrics.contentType }
                },
                page,
                quarantineCsv: () => withState((db) => quarantineCsv(listQuarantine(db))),
                action: (kind) => {
                    if (current || stopping) {
                        metrics.ticksSkipped.inc()
                        return false
                    }
                    void runNow(kind)
                    return true
                },
            }
        )
        server = started.server
        address = started.address
    }

    task = cron.schedule(sched.cron, () => runNow('sync').then(() => undefined), { timezone: sched.timeZone ?? rc.defaultTimeZone, noOverlap: true, name: 'revenue-bridge-sync' })
    // node-cron skips a tick while the previous one still runs (noOverlap): count it too.
    task.on('execution:overlap', () => metrics.ticksSkipped.inc())
    // trace: verify --repair on its own cron, never while a sync runs (docs/traceability.md).
    const verifyTick = async () => {
        if (current || stopping) return
        current = (async () => {
            try {
                const r = await runVerifyLocked(rc, { repair: true })
                metrics.recordVerify(r.drifted.length - r.repaired.length, new Date(r.finishedAt))
                log({
                    fr: `Vérification terminée : ${r.checked} valeurs, ${r.drifted.length} écart(s), ${r.repaired.length} réparé(s)`,
                    en: `Verify finished: ${r.checked} values, ${r.drifted.length} drifted, ${r.repaired.length} repaired`,
                })
            } catch (e) {
                const why = describe(e)
                log({ fr: `Échec de la vérification : ${why.fr}`, en: `Verify failed: ${why.en}` })
            }
        })()
        await current
        current = null
        metrics.setHealth(health())
    }
    const verifyTask = sched.verify ? cron.schedule(sched.verify, () => verifyTick(), { timezone: sched.timeZone ?? rc.defaultTimeZone, noOverlap: true, name: 'revenue-bridge-verify' }) : null
    let resolveDone!: () => void
    const done = new Promise<void>((r) => (resolveDone = r))
    const stop = async () => {
        if (stopping) return done
        stopping = true
        await task?.stop()
        await verifyTask?.stop()
        if (current) {
            log({ fr: 'Arrêt demandé : la synchronisation en cours se termine…', en: 'Stop requested: letting the running sync finish…' })
            await current
        }
        await new Promise<void>((r) => (server ? server.close(() => r()) : r()))
        server?.closeAllConnections()
        release()
        resolveDone()
        return done
    }
    process.once('SIGTERM', stop)
    process.once('SIGINT', stop)
    metrics.setHealth(health())
    void runNow('sync')
    return { done, stop, address, metrics, health, runNow }
}

/** The last verify's counts for the page (docs/traceability.md), without its per-scope detail. */
function verifyOf(db: StateDb): PageData['verify'] {
    const v = lastVerify(db)
    return v ? { at: v.at, checked: v.checked, drifted: v.drifted, left: v.left, repaired: v.repaired } : null
}

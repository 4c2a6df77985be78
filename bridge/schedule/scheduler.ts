import http from 'node:http'
import cron from 'node-cron'
import type { ResolvedConfig } from '../config/load'
import type { Bilingual } from '../domain/line'
import type { SyncReport } from '../report/schema'
import { acquireLock } from '../state/lock'
import { runSyncLocked } from '../sync/sync'
import { sendAlert } from './alerts'
import { BridgeMetrics } from './metrics'
import { clientFromConfig } from '../dhis2/client-factory'
import { describe } from '../errors'
import { runVerifyLocked } from '../trace/verify-run'

export interface SchedulerHandle {
    /** Resolves when the scheduler has stopped (after SIGTERM/SIGINT or stop()). */
    done: Promise<void>
    stop(): Promise<void>
    /** The loopback address of /healthz and /metrics, when enabled. */
    address: string | null
    metrics: BridgeMetrics
}

/**
 * `revenue-bridge schedule`: sync at start (what waits in the state goes out first), then on the
 * configured cron, never two runs at once, one scheduler per state directory. SIGTERM lets the
 * running sync finish (its batches are committed as they are accepted) before leaving.
 */
export async function startScheduler(rc: ResolvedConfig, log: (m: Bilingual) => void): Promise<SchedulerHandle> {
    const release = acquireLock(rc.stateDir)
    const metrics = new BridgeMetrics()
    const sched = rc.config.schedule
    const alertClient = clientFromConfig(rc, { retries: 1, retryBaseDelayMs: 1000 })
    let failedInARow = 0
    let current: Promise<void> | null = null
    let stopping = false
    let lastReport: SyncReport | null = null

    const tick = async () => {
        if (current || stopping) return // no overlap
        metrics.running = true
        current = (async () => {
            try {
                const report = await runSyncLocked(rc, { ledgerPaths: [], dryRun: false })
                lastReport = report
                metrics.record(report)
                failedInARow = report.exitCode === 1 || report.exitCode === 4 ? failedInARow + 1 : 0
                log({
                    fr: `Synchronisation terminée : code ${report.exitCode}, ${report.valuesSent} valeurs envoyées, ${report.valuesWaiting} en attente`,
                    en: `Sync finished: exit ${report.exitCode}, ${report.valuesSent} values sent, ${report.valuesWaiting} waiting`,
                })
            } catch (e) {
                failedInARow++
                metrics.recordFailure(1, new Date())
                const why = describe(e)
                log({ fr: `Échec de la synchronisation : ${why.fr}`, en: `Sync failed: ${why.en}` })
            }
            await maybeAlert()
        })()
        await current
        current = null
        metrics.running = false
    }

    const maybeAlert = async () => {
        const a = sched.alerts
        if (!a.webhookUrl && !a.dhis2UserGroup) return
        const waitingSince = metrics.lastSuccess ?? null
        const waitingTooLong =
            (lastReport?.valuesWaiting ?? 0) > 0 && waitingSince !== null && Date.now() / 1000 - waitingSince > a.waitingLongerThanMinutes * 60
        if (failedInARow !== a.afterFailedRuns && !waitingTooLong) return
        const problems = await sendAlert(
            {
                subject: { fr: 'Pont des recettes : synchronisation en échec', en: 'Revenue bridge: sync failing' },
                text: {
                    fr: `${failedInARow} exécution(s) en échec de suite ; ${lastReport?.valuesWaiting ?? '?'} valeur(s) en attente d'envoi vers DHIS2.`,
                    en: `${failedInARow} failed run(s) in a row; ${lastReport?.valuesWaiting ?? '?'} value(s) waiting to be sent to DHIS2.`,
                },
            },
            { webhookUrl: a.webhookUrl, dhis2UserGroup: a.dhis2UserGroup, client: alertClient, timeoutMs: 10_000 }
        )
        problems.forEach(log)
    }

    let server: http.Server | null = null
    let address: string | null = null
    if (sched.http.port !== 0) {
        server = http.createServer((req, res) => {
            if (req.url === '/metrics') {
                res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' })
                return res.end(metrics.render())
            }
            if (req.url === '/healthz') {
                const healthy = failedInARow < sched.alerts.afterFailedRuns
                res.writeHead(healthy ? 200 : 503, { 'Content-Type': 'application/json' })
                return res.end(JSON.stringify({ status: healthy ? 'ok' : 'failing', running: metrics.running, failedInARow, outboxDepth: metrics.outboxDepth, lastSuccess: metrics.lastSuccess }))
            }
            res.writeHead(404).end()
        })
        await new Promise<void>((resolve, reject) => {
            server!.once('error', reject)
            server!.listen(sched.http.port, sched.http.host, resolve)
        })
        const a = server.address()
        address = a && typeof a === 'object' ? `http://${a.address}:${a.port}` : null
    }

    const task = cron.schedule(sched.cron, () => tick(), { timezone: sched.timeZone ?? rc.defaultTimeZone, noOverlap: true, name: 'revenue-bridge-sync' })
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
    }
    const verifyTask = sched.verify ? cron.schedule(sched.verify, () => verifyTick(), { timezone: sched.timeZone ?? rc.defaultTimeZone, noOverlap: true, name: 'revenue-bridge-verify' }) : null
    let resolveDone!: () => void
    const done = new Promise<void>((r) => (resolveDone = r))
    const stop = async () => {
        if (stopping) return done
        stopping = true
        await task.stop()
        await verifyTask?.stop()
        if (current) {
            log({ fr: 'Arrêt demandé : la synchronisation en cours se termine…', en: 'Stop requested: letting the running sync finish…' })
            await current
        }
        await new Promise<void>((r) => (server ? server.close(() => r()) : r()))
        release()
        resolveDone()
        return done
    }
    process.once('SIGTERM', stop)
    process.once('SIGINT', stop)
    void tick()
    return { done, stop, address, metrics }
}

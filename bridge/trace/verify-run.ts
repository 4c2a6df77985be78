import type { ResolvedConfig } from '../config/load'
import type { Bilingual } from '../domain/line'
import { clientFromConfig } from '../dhis2/client-factory'
import { describe, exitCodeOf } from '../errors'
import { openState, setMeta, type StateDb } from '../state/db'
import { acquireLock } from '../state/lock'
import { RunStore } from '../state/runs'
import { runSyncLocked } from '../sync/sync'
import { liveMetadata, readCurrentValues, resolveKeys, type StateKey } from './dhis2-values'
import { countByScope, findDrift, type Drift } from './verify'
import { LAST_VERIFY_META, publishLineage, type VerifyMeta } from './publish'

export interface VerifyOptions {
    repair: boolean
    now?: () => Date
    log?: (m: Bilingual) => void
}

export interface VerifyReport {
    command: 'verify'
    runId: number
    startedAt: string
    finishedAt: string
    durationMs: number
    /** Values DHIS2 had accepted from the bridge and that were compared. */
    checked: number
    matching: number
    drifted: Drift[]
    /** Drifted values sent again and accepted by DHIS2 (--repair). */
    repaired: Drift[]
    /** Drifted values DHIS2 refused to take back (locked period…): reported, not retried in a loop. */
    refused: Array<Drift & { errorCode: string | null; message: string | null }>
    /** Keys the server no longer knows how to name (org unit, element or combo missing). */
    unresolved: number
    /** GET /api/dataValueSets requests of the comparison; `requests` counts every request of the command. */
    readRequests: number
    requests: number
    repairRunId: number | null
    warnings: Bilingual[]
    exitCode: number
}

export async function runVerify(rc: ResolvedConfig, opts: VerifyOptions): Promise<VerifyReport> {
    const release = acquireLock(rc.stateDir)
    try {
        return await runVerifyLocked(rc, opts)
    } finally {
        release()
    }
}

/** Under the state lock (the scheduler holds it for its whole life). */
export async function runVerifyLocked(rc: ResolvedConfig, opts: VerifyOptions): Promise<VerifyReport> {
    const now = opts.now ?? (() => new Date())
    const iso = () => now().toISOString()
    const started = now()
    const warnings: Bilingual[] = []
    const client = clientFromConfig(rc)
    const db = openState(rc.stateDir)
    const runs = new RunStore(db)
    const runId = runs.start('verify', iso())
    try {
        const live = await liveMetadata(client, rc)
        const rows = db
            .prepare("SELECT key, data_element AS dataElement, period, facility, channel, service, accepted FROM dhis2_values WHERE family = 'revenue' AND accepted IS NOT NULL ORDER BY key")
            .all() as Array<StateKey & { accepted: number }>
        const { resolved, unresolved } = await resolveKeys(client, rc, db, live, rows, iso)
        if (unresolved.length) {
            warnings.push({
                fr: `${unresolved.length} valeur(s) non vérifiée(s) : leur établissement, élément ou combinaison n'existe plus dans DHIS2`,
                en: `${unresolved.length} value(s) not checked: their facility, element or combo no longer exists in DHIS2`,
            })
        }
        const acceptedOf = new Map(rows.map((r) => [r.key, r.accepted]))
        const read = await readCurrentValues(client, live.dataSet.id, resolved)
        const comparison = findDrift(
            resolved.map((k) => ({ key: k, expected: acceptedOf.get(k.key)! })),
            read.values
        )
        const repaired: VerifyReport['repaired'] = []
        const repairedKeys = new Set<string>()
        const refused: VerifyReport['refused'] = []
        let repairRunId: number | null = null
        let exitCode = comparison.drifted.length ? 3 : 0
        if (opts.repair && comparison.drifted.length) {
            const outcome = await repair(rc, db, comparison.drifted, { now, log: opts.log })
            repaired.push(...outcome.repaired)
            outcome.repairedKeys.forEach((k) => repairedKeys.add(k))
            refused.push(...outcome.refused)
            repairRunId = outcome.runId
            warnings.push(...outcome.warnings)
            exitCode = outcome.unreachable ? 4 : refused.length ? 3 : 0
        }
        const strip = ({ key: _key, ...d }: Drift & { key: string }): Drift => d
        const drifted = comparison.drifted.map(strip)
        const left = comparison.drifted.filter((d) => !repairedKeys.has(d.key)).map(strip)
        const finished = now()
        const report: VerifyReport = {
            command: 'verify',
            runId,
            startedAt: started.toISOString(),
            finishedAt: finished.toISOString(),
            durationMs: finished.getTime() - started.getTime(),
            checked: comparison.checked,
            matching: comparison.matching,
            drifted,
            repaired,
            refused,
            unresolved: unresolved.length,
            readRequests: read.requests,
            requests: client.requests.count,
            repairRunId,
            warnings,
            exitCode,
        }
        const leftByScope = countByScope(left)
        const summary: VerifyMeta = { at: report.finishedAt, runId, checked: report.checked, drifted: drifted.length, left: left.length, repaired: repaired.length, leftByScope }
        setMeta(db, LAST_VERIFY_META, JSON.stringify(summary))
        // For the dashboards' panel: drift per facility × period (counts only). A failure is a warning.
        const facilities = db.prepare("SELECT DISTINCT facility FROM dhis2_values WHERE family = 'revenue' AND accepted IS NOT NULL ORDER BY 1").pluck().all() as string[]
        const problem = await publishLineage(client, db, rc, facilities, report.finishedAt)
        if (problem) warnings.push(problem)
        report.requests = client.requests.count
        runs.finish(runId, report.finishedAt, exitCode, report)
        return report
    } catch (e) {
        runs.finish(runId, iso(), exitCodeOf(e), { error: describe(e) })
        throw e
    } finally {
        db.close()
    }
}

/**
 * --repair: the drifted keys go back to the outbox (their "accepted" forgotten) and the sync's
 * send path sends what waits, by the same rules as a sync, without reading the ledger. A value
 * DHIS2 refuses (a locked period) gets its "accepted" back: the state keeps saying what DHIS2
 * should hold, the next verify reports it again, and no run loops on sending it.
 */
async function repair(
    rc: ResolvedConfig,
    db: StateDb,
    drifted: Array<Drift & { key: string }>,
    opts: { now: () => Date; log?: (m: Bilingual) => void }
): Promise<{ repaired: Drift[]; repairedKeys: Set<string>; refused: VerifyReport['refused']; runId: number | null; unreachable: boolean; warnings: Bilingual[] }> {
    const forget = db.prepare("UPDATE dhis2_values SET accepted = NULL, accepted_at = NULL WHERE family = 'revenue' AND key = ?")
    db.transaction(() => drifted.forEach((d) => forget.run(d.key)))()
    const sync = await runSyncLocked(rc, { ledgerPaths: [], dryRun: false, skipLedger: true, now: opts.now, log: opts.log })
    const state = db.prepare("SELECT desired, accepted, last_error_code AS errorCode, last_error_message AS message FROM dhis2_values WHERE family = 'revenue' AND key = ?")
    const restore = db.prepare("UPDATE dhis2_values SET accepted = ? WHERE family = 'revenue' AND key = ? AND accepted IS NULL")
    const repaired: Drift[] = []
    const repairedKeys = new Set<string>()
    const refused: VerifyReport['refused'] = []
    db.transaction(() => {
        for (const { key, ...d } of drifted) {
            const row = state.get(key) as { desired: number | null; accepted: number | null; errorCode: string | null; message: string | null } | undefined
            if (row && row.accepted !== null && row.accepted === row.desired) {
                repaired.push(d)
                repairedKeys.add(key)
                continue
            }
            // Refused by DHIS2: back to what it should hold (not resent by every sync). No answer at all: left in the outbox.
            if (row?.errorCode) restore.run(d.expected, key)
            refused.push({ ...d, errorCode: row?.errorCode ?? null, message: row?.message ?? null })
        }
    })()
    return { repaired, repairedKeys, refused, runId: sync.runId, unreachable: sync.exitCode === 4, warnings: [...sync.warnings, ...sync.errors] }
}

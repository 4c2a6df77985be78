import type { ResolvedConfig } from '../config/load'
import type { Bilingual } from '../domain/line'
import { clientFromConfig } from '../dhis2/client-factory'
import { describe, exitCodeOf } from '../errors'
import type { ValueFamily } from '../dhis2/outbox'
import { openState, setMeta } from '../state/db'
import { acquireLock } from '../state/lock'
import { RunStore } from '../state/runs'
import { readCurrentValues } from './dhis2-values'
import { countByScope, findDrift, type Drift } from './verify'
import { acceptedRows, familyKeys, VERIFIED_FAMILIES } from './verify-families'
import { familyKey, repairDrift, type Refused } from './verify-repair'
import { LAST_VERIFY_META, publishLineage, type VerifyMeta } from './publish'

export interface VerifyOptions {
    repair: boolean
    now?: () => Date
    log?: (m: Bilingual) => void
}

/** One family's part of a verify (the report's top-level counts are their sums). */
export interface FamilyCheck {
    family: ValueFamily
    checked: number
    matching: number
    drifted: number
    repaired: number
    refused: number
    unresolved: number
    readRequests: number
    /** Why the family was not checked (its data set not configured or not installed); null when it was. */
    skipped: Bilingual | null
}

export interface VerifyReport {
    command: 'verify'
    runId: number
    startedAt: string
    finishedAt: string
    durationMs: number
    /** Values DHIS2 had accepted from the bridge and that were compared, all families. */
    checked: number
    matching: number
    drifted: Drift[]
    /** Drifted values sent again and accepted by DHIS2 (--repair). */
    repaired: Drift[]
    /** Drifted values DHIS2 refused to take back (locked period…): reported, not retried in a loop. */
    refused: Refused[]
    /** Keys the server no longer knows how to name (org unit, element or combo missing). */
    unresolved: number
    /** GET /api/dataValueSets requests of the comparison; `requests` counts every request of the command. */
    readRequests: number
    requests: number
    /** The sync run that sent revenue and LMIS values again (reconciliation values go through their own push). */
    repairRunId: number | null
    /** Per family: revenue, lmis (pharmacy sales), recon (reconciliation). */
    families: FamilyCheck[]
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
        const families: FamilyCheck[] = []
        const found: Array<Drift & { key: string }> = []
        let readRequests = 0
        let unresolvedAll = 0
        for (const family of VERIFIED_FAMILIES) {
            const rows = acceptedRows(db, family)
            const check: FamilyCheck = { family, checked: 0, matching: 0, drifted: 0, repaired: 0, refused: 0, unresolved: 0, readRequests: 0, skipped: null }
            families.push(check)
            // Revenue is always looked at (its package missing is exit 2); the others only once DHIS2 accepted some of their values.
            if (family !== 'revenue' && !rows.length) continue
            const keys = await familyKeys(family, client, rc, db, rows, iso)
            if ('skipped' in keys) {
                check.skipped = keys.skipped
                warnings.push(keys.skipped)
                continue
            }
            check.unresolved = keys.unresolved
            unresolvedAll += keys.unresolved
            const acceptedOf = new Map(rows.map((r) => [r.key, r.accepted]))
            const read = keys.resolved.length ? await readCurrentValues(client, keys.dataSetId, keys.resolved) : { values: new Map<string, string | null>(), requests: 0 }
            const comparison = findDrift(
                family,
                keys.resolved.map((k) => ({ key: k, expected: acceptedOf.get(k.key)! })),
                read.values
            )
            Object.assign(check, { checked: comparison.checked, matching: comparison.matching, drifted: comparison.drifted.length, readRequests: read.requests })
            readRequests += read.requests
            found.push(...comparison.drifted)
        }
        if (unresolvedAll) {
            warnings.push({
                fr: `${unresolvedAll} valeur(s) non vérifiée(s) : leur établissement, élément ou combinaison n'existe plus dans DHIS2`,
                en: `${unresolvedAll} value(s) not checked: their facility, element or combo no longer exists in DHIS2`,
            })
        }
        const repaired: VerifyReport['repaired'] = []
        const repairedKeys = new Set<string>()
        const refused: VerifyReport['refused'] = []
        let repairRunId: number | null = null
        let exitCode = found.length ? 3 : 0
        if (opts.repair && found.length) {
            const outcome = await repairDrift(rc, db, client, found, { now, log: opts.log, runId })
            repaired.push(...outcome.repaired)
            outcome.repairedKeys.forEach((k) => repairedKeys.add(k))
            refused.push(...outcome.refused)
            repairRunId = outcome.runId
            warnings.push(...outcome.warnings)
            exitCode = outcome.unreachable ? 4 : refused.length ? 3 : 0
            for (const check of families) {
                check.repaired = repaired.filter((d) => d.family === check.family).length
                check.refused = refused.filter((d) => d.family === check.family).length
            }
        }
        const strip = ({ key: _key, ...d }: Drift & { key: string }): Drift => d
        const drifted = found.map(strip)
        const left = found.filter((d) => !repairedKeys.has(familyKey(d))).map(strip)
        const finished = now()
        const report: VerifyReport = {
            command: 'verify',
            runId,
            startedAt: started.toISOString(),
            finishedAt: finished.toISOString(),
            durationMs: finished.getTime() - started.getTime(),
            checked: families.reduce((n, f) => n + f.checked, 0),
            matching: families.reduce((n, f) => n + f.matching, 0),
            drifted,
            repaired,
            refused,
            unresolved: unresolvedAll,
            readRequests,
            requests: client.requests.count,
            repairRunId,
            families,
            warnings,
            exitCode,
        }
        // The dashboards' panel counts each family's values per facility × period: each family's drift apart.
        const leftByScope = countByScope(left.filter((d) => d.family === 'revenue'))
        const lmisLeftByScope = countByScope(left.filter((d) => d.family === 'lmis'))
        const reconLeftByScope = countByScope(left.filter((d) => d.family === 'recon'))
        const summary: VerifyMeta = { at: report.finishedAt, runId, checked: report.checked, drifted: drifted.length, left: left.length, repaired: repaired.length, leftByScope, lmisLeftByScope, reconLeftByScope }
        setMeta(db, LAST_VERIFY_META, JSON.stringify(summary))
        // For the dashboards' panel: drift per facility × period (counts only). A failure is a warning.
        const facilities = db.prepare("SELECT DISTINCT facility FROM dhis2_values WHERE accepted IS NOT NULL ORDER BY 1").pluck().all() as string[]
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

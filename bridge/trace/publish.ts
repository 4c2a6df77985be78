import path from 'node:path'
import { datastoreResource } from '../../contract/datastore'
import { facilityLineageSchema, lineageKey, type FacilityLineage } from '../../contract/lineage'
import { parseScopeId } from '../aggregate'
import { bridgeVersion } from '../cli/version'
import type { ResolvedConfig } from '../config/load'
import type { Bilingual } from '../domain/line'
import type { Dhis2Client } from '../dhis2/client'
import { describe } from '../errors'
import { getMeta, type StateDb } from '../state/db'
import { SendLog, sourcesOfScope } from '../state/lineage'

/** A source as the dashboards may show it: a file name without the hospital's folder layout. */
export function publicSourceName(name: string): string {
    return /[\\/]/.test(name) ? path.basename(name) : name
}

/** The counts of the run still in progress (its summary is not in the runs table yet). */
export interface CurrentRun {
    runId: number
    linesRead: number
    quarantined: number
    exitCode: number
}

/** What the last verify left, as stored in the state's meta (see verify-run.ts). */
export interface VerifyMeta {
    at: string
    runId: number
    checked: number
    drifted: number
    left: number
    repaired: number
    /** Drift left, per scope id (facility|period). */
    leftByScope: Record<string, number>
}

export const LAST_VERIFY_META = 'last_verify'

export function lastVerify(db: StateDb): VerifyMeta | null {
    const raw = getMeta(db, LAST_VERIFY_META)
    return raw ? (JSON.parse(raw) as VerifyMeta) : null
}

/** The panel entry of one facility, from the state alone. */
export function facilityLineage(db: StateDb, facility: string, orgUnit: { id: string; code: string | null }, at: string, current?: CurrentRun): FacilityLineage {
    const sends = new SendLog(db)
    const summary = db.prepare('SELECT exit_code AS exitCode, summary FROM runs WHERE id = ?')
    const runCounts = new Map<number, { linesRead: number | null; quarantined: number | null; exitCode: number | null }>()
    const countsOf = (runId: number) => {
        if (current && runId === current.runId) return current
        let c = runCounts.get(runId)
        if (!c) {
            const row = summary.get(runId) as { exitCode: number | null; summary: string | null } | undefined
            const s = row?.summary ? (JSON.parse(row.summary) as { linesRead?: number; quarantined?: number }) : {}
            c = { linesRead: s.linesRead ?? null, quarantined: s.quarantined ?? null, exitCode: row?.exitCode ?? null }
            runCounts.set(runId, c)
        }
        return c
    }
    const verify = lastVerify(db)
    const scopes = db
        .prepare("SELECT scope, SUM(CASE WHEN accepted IS NOT NULL THEN 1 ELSE 0 END) AS n FROM dhis2_values WHERE family = 'revenue' AND facility = ? GROUP BY scope ORDER BY scope")
        .all(facility) as Array<{ scope: string; n: number }>
    const periods: FacilityLineage['periods'] = {}
    for (const { scope, n } of scopes) {
        const runs = sends
            .runsForScope(scope)
            .slice(-10)
            .map((r) => {
                const c = countsOf(r.runId)
                return { runId: r.runId, at: r.at, valuesSent: r.values, linesRead: c.linesRead, quarantined: c.quarantined, exitCode: c.exitCode }
            })
        periods[parseScopeId(scope).period] = {
            runs,
            sources: [...new Set(sourcesOfScope(db, scope).map(publicSourceName))].sort(),
            values: n,
            drifted: verify?.leftByScope[scope] ?? 0,
        }
    }
    const facilityDrift = Object.entries(verify?.leftByScope ?? {}).reduce((s, [scope, k]) => s + (parseScopeId(scope).facilityCode === facility ? k : 0), 0)
    return facilityLineageSchema.parse({
        orgUnit: orgUnit.id,
        orgUnitCode: orgUnit.code,
        updatedAt: at,
        verify: verify ? { at: verify.at, runId: verify.runId, checked: scopes.reduce((s, x) => s + x.n, 0), drifted: facilityDrift } : null,
        periods,
        bridgeVersion: bridgeVersion(),
    })
}

/**
 * One data store entry per facility (after a sync, the facilities it sent to; after a verify,
 * every facility with values). A failure is a warning: the figures in DHIS2 do not depend on it.
 */
export async function publishLineage(client: Dhis2Client, db: StateDb, rc: Pick<ResolvedConfig, 'orgUnitRefFor'>, facilities: readonly string[], at: string, current?: CurrentRun): Promise<Bilingual | null> {
    const orgUnitOf = db.prepare('SELECT id, code FROM org_units WHERE ref = ?')
    try {
        for (const facility of facilities) {
            const ou = orgUnitOf.get(rc.orgUnitRefFor(facility)) as { id: string; code: string | null } | undefined
            if (!ou) continue
            await client.put(datastoreResource(lineageKey(ou.id)), facilityLineage(db, facility, ou, at, current))
        }
        return null
    } catch (e) {
        const w = describe(e)
        return { fr: `Traçabilité non publiée dans le magasin de données DHIS2 : ${w.fr}`, en: `Lineage not published to the DHIS2 data store: ${w.en}` }
    }
}

/** The facilities a run sent values of. */
export function facilitiesSentBy(db: StateDb, runId: number): string[] {
    return db
        .prepare(
            `SELECT DISTINCT dv.facility FROM value_sends vs JOIN dhis2_values dv ON dv.family = vs.family AND dv.key = vs.key
              WHERE vs.family = 'revenue' AND (vs.run_id = ? OR vs.last_run_id = ?) ORDER BY 1`
        )
        .pluck()
        .all(runId, runId) as string[]
}

import path from 'node:path'
import { datastoreResource } from '../../contract/datastore'
import { facilityLineageSchema, lineageKey, type FacilityLineage } from '../../contract/lineage'
import { parseScopeId } from '../aggregate'
import { bridgeVersion } from '../cli/version'
import type { ResolvedConfig } from '../config/load'
import type { Bilingual } from '../domain/line'
import type { Dhis2Client } from '../dhis2/client'
import { mapInFlight } from '../dhis2/in-flight'
import { VALUE_FAMILIES, type ValueFamily } from '../dhis2/outbox'
import { describe } from '../errors'
import { getMeta, type StateDb } from '../state/db'
import { SendLog, sourcesByScope } from '../state/lineage'

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
    /** Revenue drift left, per scope id (facility|period). */
    leftByScope: Record<string, number>
    /** LMIS and reconciliation drift left, per scope id (absent from what verify left before their panels). */
    lmisLeftByScope?: Record<string, number>
    reconLeftByScope?: Record<string, number>
}

export const LAST_VERIFY_META = 'last_verify'

export function lastVerify(db: StateDb): VerifyMeta | null {
    const raw = getMeta(db, LAST_VERIFY_META)
    return raw ? (JSON.parse(raw) as VerifyMeta) : null
}


/**
 * The panel entries of these facilities, from the state alone: the state is read once for all of
 * them (values per scope and family, the runs that sent them, the sources), then each entry is built apart.
 */
export function lineageOfFacilities(db: StateDb, facilities: readonly string[], current?: CurrentRun): (facility: string, orgUnit: { id: string; code: string | null }, at: string) => FacilityLineage {
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
    // Every family of the outbox has its part in the panel: revenue at the top level, the others apart.
    // Per facility, its scopes in order, with the accepted values of each family there.
    const scopesOf = new Map<string, Map<string, Partial<Record<ValueFamily, number>>>>()
    const valueRows = db
        .prepare(
            `SELECT family, facility, scope, SUM(CASE WHEN accepted IS NOT NULL THEN 1 ELSE 0 END) AS n FROM dhis2_values
              WHERE facility IN (SELECT value FROM json_each(?)) GROUP BY facility, scope, family ORDER BY scope`
        )
        .all(JSON.stringify(facilities)) as Array<{ family: ValueFamily; facility: string; scope: string; n: number }>
    for (const { family, facility, scope, n } of valueRows) {
        let scopes = scopesOf.get(facility)
        if (!scopes) scopesOf.set(facility, (scopes = new Map()))
        scopes.set(scope, { ...scopes.get(scope), [family]: n })
    }
    const runsOf = Object.fromEntries(VALUE_FAMILIES.map((f) => [f, new SendLog(db, f).runsByScope(facilities)])) as Record<ValueFamily, ReturnType<SendLog['runsByScope']>>
    const sourcesOf = sourcesByScope(db)
    const sentAt = (family: ValueFamily, scope: string, values: number) => ({
        runs: (runsOf[family].get(scope) ?? []).slice(-10).map((r) => {
            const c = countsOf(r.runId)
            return { runId: r.runId, at: r.at, valuesSent: r.values, linesRead: c.linesRead, quarantined: c.quarantined, exitCode: c.exitCode }
        }),
        values,
    })
    // A verify of an earlier bridge kept revenue's drift per month only: the others' is not known (null).
    const otherAt = (scope: string, values: number | undefined, family: 'lmis' | 'recon', left: Record<string, number> | undefined) =>
        values === undefined ? {} : { [family]: { ...sentAt(family, scope, values), drifted: verify && !left ? null : (left?.[scope] ?? 0) } }

    return (facility, orgUnit, at) => {
        const scopes = [...(scopesOf.get(facility) ?? new Map<string, Partial<Record<ValueFamily, number>>>())]
        const periods: FacilityLineage['periods'] = {}
        for (const [scope, n] of scopes) {
            periods[parseScopeId(scope).period] = {
                ...sentAt('revenue', scope, n.revenue ?? 0),
                drifted: verify?.leftByScope[scope] ?? 0,
                sources: [...new Set((sourcesOf.get(scope) ?? []).map(publicSourceName))].sort(),
                ...otherAt(scope, n.lmis, 'lmis', verify?.lmisLeftByScope),
                ...otherAt(scope, n.recon, 'recon', verify?.reconLeftByScope),
            }
        }
        const facilityDrift = Object.entries(verify?.leftByScope ?? {}).reduce((s, [scope, k]) => s + (parseScopeId(scope).facilityCode === facility ? k : 0), 0)
        return facilityLineageSchema.parse({
            orgUnit: orgUnit.id,
            orgUnitCode: orgUnit.code,
            updatedAt: at,
            verify: verify ? { at: verify.at, runId: verify.runId, checked: scopes.reduce((s, [, n]) => s + (n.revenue ?? 0), 0), drifted: facilityDrift } : null,
            periods,
            bridgeVersion: bridgeVersion(),
        })
    }
}

/**
 * One data store entry per facility (after a sync, the facilities it sent to; after a verify,
 * every facility with values). A failure is a warning: the figures in DHIS2 do not depend on it.
 */
export async function publishLineage(
    client: Dhis2Client,
    db: StateDb,
    rc: Pick<ResolvedConfig, 'orgUnitRefFor'> & { config: { dhis2: { concurrency: number } } },
    facilities: readonly string[],
    at: string,
    current?: CurrentRun
): Promise<Bilingual | null> {
    const orgUnitOf = db.prepare('SELECT id, code FROM org_units WHERE ref = ?')
    try {
        const entryOf = lineageOfFacilities(db, facilities, current)
        const known = facilities.flatMap((facility) => {
            const ou = orgUnitOf.get(rc.orgUnitRefFor(facility)) as { id: string; code: string | null } | undefined
            return ou ? [{ facility, ou }] : []
        })
        // A few at a time, as the run summaries: over a slow link one after the other is a round trip each.
        await mapInFlight(known, rc.config.dhis2.concurrency, ({ facility, ou }) => client.put(datastoreResource(lineageKey(ou.id)), entryOf(facility, ou, at)))
        return null
    } catch (e) {
        const w = describe(e)
        return { fr: `Traçabilité non publiée dans le magasin de données DHIS2 : ${w.fr}`, en: `Lineage not published to the DHIS2 data store: ${w.en}` }
    }
}

/** After a run (sync, reconcile, stock push): the entries of the facilities it sent values of, if any. */
export async function publishLineageOfRun(
    client: Dhis2Client,
    db: StateDb,
    rc: Parameters<typeof publishLineage>[2],
    runId: number,
    at: string,
    current?: CurrentRun
): Promise<Bilingual | null> {
    const facilities = facilitiesSentBy(db, runId)
    return facilities.length ? publishLineage(client, db, rc, facilities, at, current) : null
}

/** The facilities a run sent values of (any family: each has its part in the panel). */
export function facilitiesSentBy(db: StateDb, runId: number): string[] {
    return db
        .prepare(
            `SELECT DISTINCT dv.facility FROM value_sends vs JOIN dhis2_values dv ON dv.family = vs.family AND dv.key = vs.key
              WHERE vs.run_id = ? OR vs.last_run_id = ? ORDER BY 1`
        )
        .pluck()
        .all(runId, runId) as string[]
}

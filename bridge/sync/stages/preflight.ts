import { DateTime } from 'luxon'
import type { Dhis2Client } from '../../dhis2/client'
import { Dhis2AuthError, Dhis2ResponseError, Dhis2UnreachableError } from '../../dhis2/client'
import { installPackage } from '../../dhis2/install'
import { assignOrgUnit, loadLiveMetadata, type LiveMetadata } from '../../dhis2/metadata'
import { mapInFlight } from '../../dhis2/in-flight'
import { OrgUnitResolver } from '../../dhis2/org-units'
import { getMeta, setMeta } from '../../state/db'
import { periodProblems } from '../period-checks'
import type { Run, SyncContext } from '../run'
import { SyncAbort } from '../sync-abort'
import type { Plan, PlanNote } from './plan'

type Connect = Omit<SyncContext, 'resolver'>

/**
 * Stage 0 — who is DHIS2 and what does it hold (docs/contract.md §3): its version, the live
 * metadata (the package is installed on a fresh server), and whether it is still the server the
 * state remembers. Unreachable: a warning, the lines are still read and kept.
 */
export async function meetDhis2(ctx: Connect, run: Run): Promise<void> {
    try {
        const info = await ctx.client.get<{ version?: string }>('system/info', { fields: 'version' })
        run.version = info.data?.version ?? null
        run.live = await ensureMetadata(ctx, run)
        forgetAcceptedIfTargetChanged(ctx, run, run.live.dataSet.id)
    } catch (e) {
        if (!(e instanceof Dhis2UnreachableError)) throw e
        run.unreachable = true
        run.warnings.push({
            fr: `${e.reason.fr} — les lignes sont lues et gardées ; l'envoi attendra la prochaine exécution`,
            en: `${e.reason.en} — lines are read and kept; sending waits for the next run`,
        })
    }
}

/** Org units by facility code: DHIS2 when reachable, else what the state remembers. */
export async function orgUnitResolver(ctx: Connect, run: Run): Promise<OrgUnitResolver> {
    const resolver = new OrgUnitResolver(run.unreachable ? null : ctx.client, ctx.db, ctx.rc.orgUnitRefFor, ctx.iso)
    try {
        await resolver.prefetchRemembered()
    } catch (e) {
        // A courtesy: each facility is then asked for when its first line is read, errors handled there.
        if (!(e instanceof Dhis2UnreachableError || e instanceof Dhis2AuthError || e instanceof Dhis2ResponseError)) throw e
    }
    return resolver
}

async function ensureMetadata(ctx: Connect, run: Run): Promise<LiveMetadata> {
    const { client, codes, rc, opts } = ctx
    let loaded = await loadLiveMetadata(client, codes)
    const usesPackage = !rc.config.metadata.dataSet
    if (!loaded.dataSet && usesPackage) {
        // A fresh server: install the package of docs/contract.md §3 so that sync works from the environment alone.
        const result = await installPackage(client, { dryRun: opts.dryRun, periodType: rc.config.periodType, assignOrgUnitIds: [] })
        if (result.errors.length) throw new SyncAbort(result.errors[0], 1)
        run.metadataInstalled = true
        run.warnings.push({
            fr: opts.dryRun ? 'Le paquet de métadonnées PAYREV est absent de DHIS2 : il serait installé' : 'Paquet de métadonnées PAYREV installé dans DHIS2 (il était absent)',
            en: opts.dryRun ? 'The PAYREV metadata package is missing from DHIS2: it would be installed' : 'PAYREV metadata package installed in DHIS2 (it was missing)',
        })
        if (opts.dryRun) {
            throw new SyncAbort({ fr: 'Exécution à blanc : lancez « revenue-bridge setup » pour installer les métadonnées', en: 'Dry run: run "revenue-bridge setup" to install the metadata' }, 0)
        }
        loaded = await loadLiveMetadata(client, codes)
    }
    if (!loaded.dataSet || loaded.missing.length) {
        throw new SyncAbort(
            {
                fr: `Métadonnées DHIS2 introuvables : ${loaded.missing.join(', ')}. Lancez « revenue-bridge setup » ou corrigez « metadata » dans la configuration`,
                en: `DHIS2 metadata not found: ${loaded.missing.join(', ')}. Run "revenue-bridge setup" or fix "metadata" in the configuration`,
            },
            2
        )
    }
    return loaded as LiveMetadata
}

/**
 * What DHIS2 "accepted" was accepted by the data set the state remembers. Another data set
 * UID means another or a rebuilt DHIS2 (restored from an empty database, package installed
 * again, new server): nothing it holds can be assumed, so every total goes out again.
 */
function forgetAcceptedIfTargetChanged(ctx: Connect, run: Run, dataSetId: string): void {
    const before = getMeta(ctx.db, 'dhis2_data_set')
    if (before && before !== dataSetId) {
        const n = ctx.values.forgetAccepted()
        run.warnings.push({
            fr: `Le jeu de données ${ctx.codes.dataSet} n'a plus le même identifiant dans DHIS2 (${before} → ${dataSetId}) : serveur réinstallé, restauré ou changé ; les ${n} valeur(s) déjà envoyée(s) sont renvoyées`,
            en: `Data set ${ctx.codes.dataSet} no longer has the same identifier in DHIS2 (${before} → ${dataSetId}): the server was reinstalled, restored or changed; the ${n} value(s) sent before are sent again`,
        })
    }
    setMeta(ctx.db, 'dhis2_data_set', dataSetId)
}

/**
 * Stage 3 — preflight: what the plan noted, in its order — assign the facilities to the data set
 * (a dry run only says it would), and the period checks DHIS2 will make, as warnings.
 */
export async function preflight(ctx: SyncContext, run: Run, p: Plan, live: LiveMetadata): Promise<void> {
    const { rc, opts, codes } = ctx
    const today = DateTime.fromJSDate(ctx.now(), { zone: rc.defaultTimeZone }).toISODate()!
    const failures = opts.dryRun ? new Map<PlanNote, unknown>() : await assignAll(ctx.client as Dhis2Client, live.dataSet.id, p.notes, rc.config.dhis2.concurrency)
    for (const note of p.notes) {
        if (note.kind === 'period') {
            run.warnings.push(...periodProblems(note.period, { dataSet: live.dataSet, periodType: rc.config.periodType, today, zone: rc.defaultTimeZone }))
            continue
        }
        const ou = note.orgUnit
        run.assigned.push(ou.code ?? ou.id)
        if (failures.has(note)) throw failures.get(note)
        run.warnings.push({
            fr: `${opts.dryRun ? 'Affecterait' : 'Affecté'} le jeu ${codes.dataSet} à l'établissement ${ou.code ?? ou.id} (${ou.name ?? ''})`,
            en: `${opts.dryRun ? 'Would assign' : 'Assigned'} data set ${codes.dataSet} to facility ${ou.code ?? ou.id} (${ou.name ?? ''})`,
        })
    }
}

/**
 * The assignments of a first sync (one request per facility), `inFlight` at a time: a round trip
 * each over a slow link (bench/README.md (6a)). After a failure no new one starts; the failures
 * come back by note, and the caller reports in the plan's order and stops at the first, as a
 * sequential loop did (every note started after a failure comes later in that order).
 */
async function assignAll(client: Dhis2Client, dataSetId: string, notes: PlanNote[], inFlight: number): Promise<Map<PlanNote, unknown>> {
    const failures = new Map<PlanNote, unknown>()
    await mapInFlight(
        notes.filter((n) => n.kind === 'assign'),
        inFlight,
        async (note) => {
            if (failures.size || note.kind !== 'assign') return
            try {
                await assignOrgUnit(client, dataSetId, note.orgUnit.id)
            } catch (e) {
                failures.set(note, e)
            }
        }
    )
    return failures
}

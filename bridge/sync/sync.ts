import { DateTime } from 'luxon'
import { computeTotals, lineScope, valueKeyId, type AggregationContext } from '../aggregate'
import type { ResolvedConfig } from '../config/load'
import type { Channel, DataElementCode, Service } from '../../contract/codes'
import type { Bilingual, LedgerLine, QuarantineEntry } from '../domain/line'
import { Dhis2AuthError, Dhis2Client, Dhis2ResponseError, Dhis2UnreachableError } from '../dhis2/client'
import { postDataValues, ImportSummaryMissing } from '../dhis2/data-values'
import { judgeBatch } from '../dhis2/import-summary'
import { installPackage } from '../dhis2/install'
import { assignOrgUnit, loadLiveMetadata, targetCodes, type LiveMetadata } from '../dhis2/metadata'
import { OrgUnitResolver } from '../dhis2/org-units'
import { LedgerPathError } from '../ledger/paths'
import { openLedgerSources } from '../ledger/sources'
import type { Lang } from '../report/lang'
import type { ConflictReport, DiffEntry, SyncReport } from '../report/schema'
import { getMeta, openState, setMeta, type StateDb } from '../state/db'
import { acquireLock } from '../state/lock'
import { LineStore } from '../state/lines'
import { RunStore } from '../state/runs'
import { ValueStore, type StoredValue } from '../state/values'
import { periodProblems } from './preflight'
import { runStockLeg, type StockLegReport } from '../stock/leg'
import type { FacilityRunSummary } from '../../contract/run-summary'
import { publishRunSummaries } from '../dhis2/run-summary'
import { bridgeVersion } from '../cli/version'
import { commitInterval, crashPoint } from './crash-points'

export interface SyncOptions {
    ledgerPaths: string[]
    dryRun: boolean
    /** Progress for people (stderr); silent in --json mode. */
    log?: (m: Bilingual) => void
    /** Rows per second and time left on stderr for long reads: only in a terminal, never with --json or the scheduler. */
    progress?: boolean
    lang?: Lang
    now?: () => Date
}

/**
 * Lines written between two commits: bounds what a power cut makes the next run read again
 * (never loses: a source's cursor moves only with committed lines), keeps ingestion fast.
 * 20 000 rather than 2 000: each commit rewrites the index pages it touched, and a 1 M-line
 * first sync spent a fifth of its time committing (bench/README.md).
 */
const COMMIT_EVERY = 20_000

export class SyncAbort extends Error {
    constructor(readonly reason: Bilingual, readonly exitCode: number) {
        super(reason.en)
    }
}

interface Outgoing {
    stored: StoredValue
    dataElement: string
    period: string
    orgUnit: string
    categoryOptionCombo: string
    value: string
    /** For the report: codes where known. */
    codes: { dataElement: string; orgUnit: string; coc: string }
}

/** The state is built for one way of cutting periods; a different cut needs a fresh state. */
function aggregationSignature(rc: ResolvedConfig): string {
    const zones = rc.config.facilities.filter((f) => f.timeZone).map((f) => `${f.code}=${f.timeZone}`).sort()
    return JSON.stringify({ periodType: rc.config.periodType, zone: rc.defaultTimeZone, zones })
}

/** One sync at a time per state directory (a second process gets LockBusyError). The scheduler holds the lock for its whole life and calls runSyncLocked. */
export async function runSync(rc: ResolvedConfig, opts: SyncOptions): Promise<SyncReport> {
    const release = acquireLock(rc.stateDir)
    try {
        return await runSyncLocked(rc, opts)
    } finally {
        release()
    }
}

export async function runSyncLocked(rc: ResolvedConfig, opts: SyncOptions): Promise<SyncReport> {
    const now = opts.now ?? (() => new Date())
    const iso = () => now().toISOString()
    const log = opts.log ?? (() => undefined)
    const started = now()
    const warnings: Bilingual[] = [...(rc.warnings ?? [])]
    const errors: Bilingual[] = []
    const conflicts: ConflictReport[] = []
    const quarantine: QuarantineEntry[] = []
    const counts = { read: 0, new: 0, changed: 0, unchanged: 0, stale: 0 }
    const totals = { imported: 0, updated: 0, ignored: 0, deleted: 0, sent: 0, accepted: 0, rejected: 0 }
    let unreachable = false
    let metadataInstalled = false
    const assigned: string[] = []
    let diff: DiffEntry[] | undefined
    let files: string[] = []
    let recomputed = 0
    let stock: StockLegReport | null = null
    /** Per facility code, for the data store run summaries the dashboards read. */
    const perFacility = new Map<string, { linesRead: number; quarantined: number; valuesSent: number; conflicts: number }>()
    const tally = (code: string | undefined) => {
        const k = code ?? ''
        if (!perFacility.has(k)) perFacility.set(k, { linesRead: 0, quarantined: 0, valuesSent: 0, conflicts: 0 })
        return perFacility.get(k)!
    }

    const db = openState(rc.stateDir)
    const signature = aggregationSignature(rc)
    const previous = getMeta(db, 'aggregation')
    if (previous && previous !== signature) {
        db.close()
        throw new SyncAbort(
            {
                fr: `L'état ${rc.stateDir} a été construit avec un autre découpage (${previous}) que la configuration actuelle (${signature}) : utilisez un nouveau BRIDGE_STATE_DIR`,
                en: `The state in ${rc.stateDir} was built with another period cut (${previous}) than the current configuration (${signature}): use a new BRIDGE_STATE_DIR`,
            },
            2
        )
    }
    // A dry run does everything in one transaction and rolls it back: the state is untouched.
    if (opts.dryRun) db.exec('BEGIN')
    const runs = new RunStore(db)
    const lines = new LineStore(db)
    const values = new ValueStore(db)
    // A run that never finished was killed (power cut, kill -9): say so, once.
    const interrupted = db.prepare("SELECT id, started_at AS startedAt FROM runs WHERE command = 'sync' AND finished_at IS NULL AND summary IS NULL ORDER BY id").all() as Array<{ id: number; startedAt: string }>
    if (interrupted.length) {
        const unconfirmed = (db.prepare('SELECT COUNT(*) AS n FROM data_values WHERE sent_unconfirmed = 1').get() as { n: number }).n
        db.prepare(`UPDATE runs SET summary = '{"interrupted":true}' WHERE id IN (${interrupted.map((r) => r.id).join(',')})`).run()
        for (const r of interrupted) {
            warnings.push({
                fr: `L'exécution n° ${r.id} (commencée le ${r.startedAt}) a été interrompue avant la fin ; ce qu'elle n'a pas terminé est repris (${unconfirmed} valeur(s) envoyée(s) sans réponse de DHIS2 sont renvoyées)`,
                en: `Run #${r.id} (started ${r.startedAt}) was interrupted before it finished; what it left undone is taken up again (${unconfirmed} value(s) sent without an answer from DHIS2 are sent again)`,
            })
        }
    }
    const runId = runs.start('sync', iso())
    /** Retries per reason, for the report: a run that recovered still says what it went through. */
    const retries = new Map<string, number>()
    setMeta(db, 'aggregation', signature)

    const client = new Dhis2Client({
        baseUrl: rc.baseUrl,
        credentials: rc.credentials,
        timeoutMs: rc.config.dhis2.timeoutMs,
        retries: rc.config.dhis2.retries,
        retryBaseDelayMs: rc.config.dhis2.retryBaseDelayMs,
        ca: rc.dhis2Ca,
        onRetry: (r) => {
            retries.set(r.reason, (retries.get(r.reason) ?? 0) + 1)
            log({
                fr: `Nouvel essai ${r.attempt} dans ${r.delayMs} ms (${r.reason}) : ${r.path}`,
                en: `Retry ${r.attempt} in ${r.delayMs} ms (${r.reason}): ${r.path}`,
            })
        },
    })
    const codes = targetCodes(rc.config)
    let version: string | null = null
    let live: LiveMetadata | null = null

    const finish = (revenueExitCode: number): SyncReport => {
        // The stock leg's outcome joins the revenue's: 4 wins over 3; 1 and 2 stay as they are.
        let exitCode = revenueExitCode
        if (stock && exitCode !== 1 && exitCode !== 2) exitCode = stock.exitCode === 2 ? 2 : Math.max(exitCode, stock.exitCode)
        if (retries.size) {
            const list = [...retries].map(([reason, n]) => `${reason} ×${n}`).join(', ')
            const total = [...retries.values()].reduce((a, b) => a + b, 0)
            warnings.push({ fr: `${total} requête(s) DHIS2 refaite(s) après un échec passager : ${list}`, en: `${total} DHIS2 request(s) retried after a transient failure: ${list}` })
        }
        const finished = now()
        const report: SyncReport = {
            command: 'sync',
            runId: opts.dryRun ? null : runId,
            dryRun: opts.dryRun,
            startedAt: started.toISOString(),
            finishedAt: finished.toISOString(),
            durationMs: finished.getTime() - started.getTime(),
            dhis2: { baseUrl: rc.baseUrl, version, reachable: !unreachable },
            files,
            linesRead: counts.read,
            linesNew: counts.new,
            linesChanged: counts.changed,
            linesUnchanged: counts.unchanged,
            linesStale: counts.stale,
            quarantined: quarantine.length,
            quarantine: quarantine.map((q) => ({ file: q.file, line: q.line, column: q.column, reason: q.reason })),
            periodsRecomputed: recomputed,
            valuesSent: totals.sent,
            valuesAccepted: totals.accepted,
            valuesRejected: totals.rejected,
            valuesWaiting: values.counts().pending,
            imported: totals.imported,
            updated: totals.updated,
            ignored: totals.ignored,
            deleted: totals.deleted,
            conflicts,
            requests: client.requests.count,
            bytesSent: client.requests.bytesSent,
            metadataInstalled,
            assignedOrgUnits: assigned,
            warnings,
            errors,
            diff,
            stock: stock ?? undefined,
            exitCode,
        }
        runs.quarantine(runId, quarantine, iso())
        runs.finish(runId, finished.toISOString(), exitCode, { ...report, quarantine: undefined })
        if (opts.dryRun) db.exec('ROLLBACK')
        db.close()
        return report
    }


    // 1. Who is DHIS2, and what does it hold?
    try {
        const info = await client.get<{ version?: string }>('system/info', { fields: 'version' })
        version = info.data?.version ?? null
        live = await ensureMetadata()
        forgetAcceptedIfTargetChanged(live.dataSet.id)
    } catch (e) {
        if (e instanceof SyncAbort) {
            errors.push(e.reason)
            return finish(e.exitCode)
        }
        if (!(e instanceof Dhis2UnreachableError)) {
            finish(1)
            throw e
        }
        unreachable = true
        warnings.push({
            fr: `${e.reason.fr} — les lignes sont lues et gardées ; l'envoi attendra la prochaine exécution`,
            en: `${e.reason.en} — lines are read and kept; sending waits for the next run`,
        })
    }

    /** Data store entries for the dashboards' freshness view; a failure here is only a warning. */
    async function publishSummaries(exitCode: number): Promise<void> {
        const at = iso()
        const summaries: FacilityRunSummary[] = []
        for (const [code, t] of perFacility) {
            if (!code) continue
            const ou = await resolver.resolve(code)
            if (!ou || ou === 'unknown') continue
            const status = t.conflicts ? 'CONFLICTS' : t.quarantined ? 'QUARANTINE' : 'OK'
            const successKey = `facility_last_success:${code}`
            if (exitCode === 0 || status === 'OK') setMeta(db, successKey, at)
            summaries.push({
                orgUnit: ou.id,
                orgUnitCode: ou.code ?? null,
                lastRunAt: at,
                lastSuccessAt: getMeta(db, successKey),
                lastRunStatus: status,
                valuesSent: t.valuesSent,
                conflicts: t.conflicts,
                quarantined: t.quarantined,
                linesRead: t.linesRead,
                bridgeVersion: bridgeVersion(),
            })
        }
        try {
            await publishRunSummaries(client, summaries)
        } catch (e) {
            const why = (e as { reason?: Bilingual }).reason ?? { fr: String(e), en: String(e) }
            warnings.push({ fr: `Résumé non publié dans le magasin de données DHIS2 : ${why.fr}`, en: `Run summary not published to the DHIS2 data store: ${why.en}` })
        }
    }

    /**
     * What DHIS2 "accepted" was accepted by the data set the state remembers. Another data set
     * UID means another or a rebuilt DHIS2 (restored from an empty database, package installed
     * again, new server): nothing it holds can be assumed, so every total goes out again.
     */
    function forgetAcceptedIfTargetChanged(dataSetId: string): void {
        const before = getMeta(db, 'dhis2_data_set')
        if (before && before !== dataSetId) {
            const n = db.prepare('UPDATE data_values SET accepted = NULL, accepted_at = NULL, sent_unconfirmed = 0 WHERE accepted IS NOT NULL OR sent_unconfirmed = 1').run().changes
            warnings.push({
                fr: `Le jeu de données ${codes.dataSet} n'a plus le même identifiant dans DHIS2 (${before} → ${dataSetId}) : serveur réinstallé, restauré ou changé ; les ${n} valeur(s) déjà envoyée(s) sont renvoyées`,
                en: `Data set ${codes.dataSet} no longer has the same identifier in DHIS2 (${before} → ${dataSetId}): the server was reinstalled, restored or changed; the ${n} value(s) sent before are sent again`,
            })
        }
        setMeta(db, 'dhis2_data_set', dataSetId)
    }

    async function ensureMetadata(): Promise<LiveMetadata> {
        let loaded = await loadLiveMetadata(client, codes)
        const usesPackage = !rc.config.metadata.dataSet
        if (!loaded.dataSet && usesPackage) {
            // A fresh server: install the package of SPEC §3 so that sync works from the environment alone.
            const result = await installPackage(client, { dryRun: opts.dryRun, periodType: rc.config.periodType, assignOrgUnitIds: [] })
            if (result.errors.length) throw new SyncAbort(result.errors[0], 1)
            metadataInstalled = true
            warnings.push({
                fr: opts.dryRun ? 'Le paquet de métadonnées PAYREV est absent de DHIS2 : il serait installé' : 'Paquet de métadonnées PAYREV installé dans DHIS2 (il était absent)',
                en: opts.dryRun ? 'The PAYREV metadata package is missing from DHIS2: it would be installed' : 'PAYREV metadata package installed in DHIS2 (it was missing)',
            })
            if (opts.dryRun) {
                throw new SyncAbort(
                    { fr: 'Exécution à blanc : lancez « revenue-bridge setup » pour installer les métadonnées', en: 'Dry run: run "revenue-bridge setup" to install the metadata' },
                    0
                )
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

    const resolver = new OrgUnitResolver(unreachable ? null : client, db, rc.orgUnitRefFor, iso)
    try {
        await resolver.prefetchRemembered()
    } catch (e) {
        // A courtesy: each facility is then asked for when its first line is read, errors handled there.
        if (!(e instanceof Dhis2UnreachableError || e instanceof Dhis2AuthError || e instanceof Dhis2ResponseError)) throw e
    }
    const aggCtx: AggregationContext = { periodType: rc.config.periodType, zoneFor: rc.zoneFor }

    try {
        // 2. Read the ledger into the state, version by version.
        // Canonical files, mapped files and statements, watched folders, SQL, HTTP: one stream of items.
        const sources = await openLedgerSources(rc, opts.ledgerPaths, db, { progress: opts.progress, lang: opts.lang, log, now })
        files = sources.map((s) => s.name)
        const normaliseCtx = { zoneFor: rc.zoneFor, channelAliases: rc.config.aliases.channel, serviceAliases: rc.config.aliases.service }
        let sinceCommit = 0
        const commitEvery = commitInterval(COMMIT_EVERY)
        const begin = () => !opts.dryRun && db.exec('BEGIN')
        const commit = () => !opts.dryRun && db.exec('COMMIT')
        for (const source of sources) {
            log({ fr: `Lecture de ${source.name}`, en: `Reading ${source.name}` })
            let complete = false
            begin()
            try {
                for await (const item of source.read(normaliseCtx)) {
                    counts.read++
                    if (item.kind === 'quarantine') {
                        quarantine.push(item.entry)
                        const t = tally(item.entry.raw.facility_code)
                        t.linesRead++
                        t.quarantined++
                        continue
                    }
                    const line = item.line
                    tally(line.facilityCode).linesRead++
                    const ou = await resolver.resolve(line.facilityCode)
                    if (ou === null) {
                        quarantine.push(unknownFacility(line, item.pos))
                        continue
                    }
                    counts[lines.ingest(line, lineScope(line, aggCtx), runId)]++
                    if (++sinceCommit >= commitEvery) {
                        commit()
                        crashPoint('ingest-commit')
                        begin()
                        sinceCommit = 0
                    }
                }
                complete = true
            } catch (e) {
                const reason = (e as { reason?: Bilingual }).reason
                if (!reason) throw e
                // A source that cannot be read (missing file, refused connection, wrong column type):
                // reported, its cursor stays where it was, the other sources go on.
                quarantine.push({ file: source.name, line: 0, column: null, reason, raw: {} })
            } finally {
                commit()
            }
            // The cursor (SQL, HTTP) or file hash (watched folder) moves only once its lines are committed.
            if (complete && !opts.dryRun) source.commit(db)
        }

        // 3. Recompute the absolute totals of every touched period.
        const scopes = lines.dirtyScopes()
        recomputed = scopes.length
        const recompute = () => {
            for (const scope of scopes) {
                const scopeLines = lines.linesForScope(scope)
                values.applyTotals(scope, computeTotals(scopeLines, aggCtx, new Set([scope])), valueKeyId)
            }
            lines.clearDirty()
        }
        if (opts.dryRun) recompute()
        else db.transaction(recompute)()
        crashPoint('after-recompute')

        // 3b. Pharmacy sales → stock-outflow records (MEDEXIS does not depend on DHIS2).
        stock = await runStockLeg({
            db,
            rc,
            client: unreachable || !live ? null : client,
            scopes,
            pharmacyLines: (s) => lines.pharmacyLines(s),
            dryRun: opts.dryRun,
            now,
            log,
        })

        // 4. Send what DHIS2 does not hold yet.
        if (unreachable || !live) {
            return finish(4)
        }
        const pending = values.pending()
        await resolver.prefetch([...new Set(pending.map((p) => p.facility))])
        const outgoing: Outgoing[] = []
        const today = DateTime.fromJSDate(now(), { zone: rc.defaultTimeZone }).toISODate()!
        const assignedIds = new Set(live.dataSet.organisationUnits.map((o) => o.id))
        const periodWarned = new Set<string>()
        const localRejections: Array<{ key: string; code: string | null; message: string }> = []
        const dataSetId = live.dataSet.id
        const ensureAssigned = async (ou: { id: string; code?: string | null; name?: string | null }) => {
            if (assignedIds.has(ou.id)) return
            assignedIds.add(ou.id)
            assigned.push(ou.code ?? ou.id)
            if (!opts.dryRun) await assignOrgUnit(client, dataSetId, ou.id)
            warnings.push({
                fr: `${opts.dryRun ? 'Affecterait' : 'Affecté'} le jeu ${codes.dataSet} à l'établissement ${ou.code ?? ou.id} (${ou.name ?? ''})`,
                en: `${opts.dryRun ? 'Would assign' : 'Assigned'} data set ${codes.dataSet} to facility ${ou.code ?? ou.id} (${ou.name ?? ''})`,
            })
        }
        // Every facility met in this run's ledger is assigned, even with nothing new to send
        // (an administrator may have taken it out of the data set since the values went in).
        for (const code of perFacility.keys()) {
            const ou = code ? await resolver.resolve(code) : null
            if (ou && ou !== 'unknown') await ensureAssigned(ou)
        }
        for (const p of pending) {
            const de = p.dataElement as DataElementCode
            const ou = await resolver.resolve(p.facility)
            const deId = live.dataElementIds.get(de)
            const coc = live.coc(de, p.channel as Channel, p.service as Service | null)
            const problem = !ou || ou === 'unknown'
                ? { code: 'BRIDGE_ORG_UNIT', fr: `Aucune unité d'organisation DHIS2 pour l'établissement « ${p.facility} »`, en: `No DHIS2 organisation unit for facility "${p.facility}"` }
                : !deId
                  ? { code: 'BRIDGE_DATA_ELEMENT', fr: `Élément de données ${codes.dataElement(de)} introuvable`, en: `Data element ${codes.dataElement(de)} not found` }
                  : !coc
                    ? { code: 'BRIDGE_CATEGORY_OPTION_COMBO', fr: `Aucune combinaison de catégories pour ${p.channel}${p.service ? ` × ${p.service}` : ''} dans ${codes.dataElement(de)} : relancez « setup »`, en: `No category option combo for ${p.channel}${p.service ? ` × ${p.service}` : ''} in ${codes.dataElement(de)}: run "setup" again` }
                    : null
            if (problem || !ou || ou === 'unknown' || !deId || !coc) {
                const message = `${problem!.fr} / ${problem!.en}`
                localRejections.push({ key: p.key, code: problem!.code, message })
                conflicts.push({ dataElement: codes.dataElement(de), period: p.period, orgUnit: p.facility, categoryOptionCombo: null, channel: p.channel, service: p.service, value: String(p.desired), errorCode: problem!.code, message, source: 'bridge' })
                continue
            }
            await ensureAssigned(ou)
            if (!periodWarned.has(p.period)) {
                periodWarned.add(p.period)
                warnings.push(...periodProblems(p.period, { dataSet: live.dataSet, periodType: rc.config.periodType, today, zone: rc.defaultTimeZone }))
            }
            outgoing.push({
                stored: p,
                dataElement: deId,
                period: p.period,
                orgUnit: ou.id,
                categoryOptionCombo: coc.id,
                value: String(p.desired),
                codes: { dataElement: codes.dataElement(de), orgUnit: ou.code ?? ou.id, coc: coc.code ?? coc.id },
            })
        }
        totals.rejected += localRejections.length
        if (!opts.dryRun) values.markRejected(localRejections)

        if (opts.dryRun) {
            diff = await diffAgainstServer(client, live.dataSet.id, outgoing)
            return finish(localRejections.length || quarantine.length ? 3 : 0)
        }

        const batchSize = rc.config.dhis2.batchSize
        for (let start = 0; start < outgoing.length; start += batchSize) {
            const batch = outgoing.slice(start, start + batchSize)
            log({ fr: `Envoi de ${batch.length} valeurs (${start + batch.length}/${outgoing.length})`, en: `Sending ${batch.length} values (${start + batch.length}/${outgoing.length})` })
            values.markSent(batch.map((o) => o.stored.key))
            crashPoint('after-mark-sent')
            const summary = await postDataValues(
                client,
                {
                    dataSet: live.dataSet.id,
                    dataValues: batch.map((o) => ({ dataElement: o.dataElement, period: o.period, orgUnit: o.orgUnit, categoryOptionCombo: o.categoryOptionCombo, value: o.value })),
                },
                { asyncAbove: rc.config.dhis2.asyncAbove, pollIntervalMs: rc.config.dhis2.asyncPollMs, maxWaitMs: rc.config.dhis2.asyncMaxWaitMs }
            )
            totals.sent += batch.length
            for (const o of batch) tally(o.stored.facility).valuesSent++
            crashPoint('after-post')
            const verdict = judgeBatch(summary, batch.length)
            if (!verdict.aborted) {
                totals.imported += verdict.counts.imported
                totals.updated += verdict.counts.updated
                totals.ignored += verdict.counts.ignored
                totals.deleted += verdict.counts.deleted
            }
            const accepted: Array<{ key: string; value: number }> = []
            const rejected: Array<{ key: string; code: string | null; message: string }> = []
            batch.forEach((o, i) => {
                if (!verdict.rejected.has(i)) {
                    accepted.push({ key: o.stored.key, value: o.stored.desired })
                    return
                }
                const cs = verdict.conflictsByIndex.get(i) ?? verdict.generalConflicts
                const first = cs[0]
                rejected.push({ key: o.stored.key, code: first?.errorCode ?? null, message: first?.value ?? 'rejected' })
                tally(o.stored.facility).conflicts++
                for (const c of cs.length ? cs : [{ value: 'rejected', errorCode: undefined }]) {
                    conflicts.push({
                        dataElement: o.codes.dataElement,
                        period: o.period,
                        orgUnit: o.codes.orgUnit,
                        categoryOptionCombo: o.codes.coc,
                        channel: o.stored.channel,
                        service: o.stored.service,
                        value: o.value,
                        errorCode: c.errorCode ?? null,
                        message: c.value ?? '',
                        source: 'dhis2',
                    })
                }
            })
            // Conflicts that name no value and rejected nothing (e.g. completeness) are still reported.
            if (!verdict.aborted) {
                for (const c of verdict.generalConflicts) {
                    conflicts.push({ dataElement: null, period: null, orgUnit: null, categoryOptionCombo: null, channel: null, service: null, value: null, errorCode: c.errorCode ?? null, message: c.value ?? '', source: 'dhis2' })
                }
            }
            values.markAccepted(accepted, iso())
            values.markRejected(rejected)
            crashPoint('after-accept')
            totals.accepted += accepted.length
            totals.rejected += rejected.length
        }
        const exitCode = totals.rejected || quarantine.length ? 3 : 0
        await publishSummaries(exitCode)
        return finish(exitCode)
    } catch (e) {
        if (e instanceof Dhis2UnreachableError) {
            unreachable = true
            errors.push(e.reason)
            return finish(4)
        }
        if (e instanceof SyncAbort) {
            errors.push(e.reason)
            return finish(e.exitCode)
        }
        if (e instanceof LedgerPathError) {
            errors.push(e.reason)
            return finish(2)
        }
        if (e instanceof ImportSummaryMissing) {
            errors.push(e.reason)
            return finish(1)
        }
        errors.push({ fr: `Erreur inattendue : ${(e as Error).message}`, en: `Unexpected error: ${(e as Error).message}` })
        if (db.inTransaction && !opts.dryRun) db.exec('COMMIT')
        finish(1)
        throw e
    }
}

function unknownFacility(line: LedgerLine, pos: { file: string; line: number }): QuarantineEntry {
    return {
        file: pos.file,
        line: pos.line,
        column: 'facility_code',
        reason: {
            fr: `Établissement inconnu « ${line.facilityCode.slice(0, 60)} » : aucune unité d'organisation DHIS2 n'a ce code (ajoutez-la ou une correspondance dans « facilities », puis réintégrez la ligne)`,
            en: `Unknown facility "${line.facilityCode.slice(0, 60)}": no DHIS2 organisation unit has this code (add it, or a mapping under "facilities", then re-ingest the row)`,
        },
        raw: lineToRaw(line),
    }
}

/** The canonical columns of a line, for re-ingestion once the problem is fixed. */
function lineToRaw(line: LedgerLine): Record<string, string> {
    const raw: Record<string, string> = {
        transaction_id: line.transactionId,
        line_no: String(line.lineNo),
        occurred_at: line.occurredAt,
        facility_code: line.facilityCode,
        channel: line.channel,
        service: line.service,
        amount_xof: String(line.amountXof),
        type: line.type,
        status: line.status,
    }
    if (line.updatedAt) raw.updated_at = line.updatedAt
    if (line.productCode) raw.product_code = line.productCode
    if (line.productName) raw.product_name = line.productName
    if (line.quantity !== null) raw.quantity = String(line.quantity)
    if (line.unit) raw.unit = line.unit
    return raw
}

/** --dry-run: what DHIS2 holds now for the keys the run would send. */
async function diffAgainstServer(client: Dhis2Client, dataSetId: string, outgoing: Outgoing[]): Promise<DiffEntry[]> {
    const current = new Map<string, string>()
    const byPeriod = new Map<string, Set<string>>()
    for (const o of outgoing) {
        if (!byPeriod.has(o.period)) byPeriod.set(o.period, new Set())
        byPeriod.get(o.period)!.add(o.orgUnit)
    }
    for (const [period, ous] of byPeriod) {
        const res = await client.get<{ dataValues?: Array<{ dataElement: string; period: string; orgUnit: string; categoryOptionCombo: string; value: string | null }> }>(
            'dataValueSets',
            { dataSet: dataSetId, period, orgUnit: [...ous] }
        )
        for (const v of res.data?.dataValues ?? []) {
            current.set(`${v.dataElement}|${v.period}|${v.orgUnit}|${v.categoryOptionCombo}`, v.value ?? '')
        }
    }
    return outgoing.map((o) => ({
        dataElement: o.codes.dataElement,
        period: o.period,
        orgUnit: o.codes.orgUnit,
        categoryOptionCombo: o.codes.coc,
        channel: o.stored.channel,
        service: o.stored.service,
        current: current.get(`${o.dataElement}|${o.period}|${o.orgUnit}|${o.categoryOptionCombo}`) ?? null,
        next: o.value,
    }))
}

export type { StateDb }

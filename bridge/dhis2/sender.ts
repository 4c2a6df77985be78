import type { Bilingual } from '../domain/line'
import type { ConflictReport } from '../report/conflict'
import { crashPoint, type CrashPoint } from '../sync/crash-points'
import type { Dhis2Client } from './client'
import { readCurrentValues } from './current-values'
import { postDataValues } from './data-values'
import { judgeBatch } from './import-summary'
import type { Outbox, Rejection } from './outbox'
import type { SendLog } from '../state/lineage'

/**
 * The one way aggregate values go to DHIS2, whatever their family (outbox.ts): batches of
 * `dataValueSets`, the import summary judged per value (judgeBatch), conflicts mapped back to the
 * values that caused them, the outbox marked sent → accepted / rejected. A dry run asks DHIS2 what
 * it holds for the same keys instead (previewAgainstServer).
 */

/** A pending value resolved against live metadata: ready to POST. */
export interface ResolvedValue {
    key: string
    /** Ledger facility code, for per-facility tallies. */
    facility: string
    /** UIDs. */
    dataElement: string
    period: string
    orgUnit: string
    categoryOptionCombo: string
    /** The number sent, and recorded as accepted. */
    value: number
    /** For reports: codes where known. */
    codes: { dataElement: string; orgUnit: string; coc: string }
    channel: string | null
    service: string | null
}

/** A value the bridge itself refuses before sending (no org unit, unknown data element…). */
export interface LocalRefusal {
    key: string
    code: string
    why: Bilingual
    conflict: ConflictReport
}

export interface SendSettings {
    dataSet: string
    batchSize: number
    asyncAbove: number
    asyncPollMs: number
    asyncMaxWaitMs: number
    iso: () => string
    /** Crash points of the fault tests (revenue values only: the kill tests aim at them). */
    crashPoints?: boolean
    /** Conflicts that name no value and reject nothing (e.g. completeness) are reported too. */
    reportGeneralConflicts?: boolean
    /** Progress lines, before and after each batch. */
    before?: (size: number, done: number, total: number) => Bilingual | null
    after?: (accepted: number, rejected: number) => Bilingual | null
    log?: (m: Bilingual) => void
    /** Per batch, once DHIS2 answered the POST; and per value DHIS2 refused (tallies). */
    onPosted?: (batch: ResolvedValue[]) => void
    onRefused?: (value: ResolvedValue) => void
    /** Lineage (docs/traceability.md): each send and DHIS2's answer, recorded for the run that sends. */
    sends?: { log: SendLog; runId: number }
}

/** The batching settings of the configuration, the same for every family of values. */
export function batchSettings(dhis2: { batchSize: number; asyncAbove: number; asyncPollMs: number; asyncMaxWaitMs: number }, dataSet: string): Pick<SendSettings, 'dataSet' | 'batchSize' | 'asyncAbove' | 'asyncPollMs' | 'asyncMaxWaitMs'> {
    return { dataSet, batchSize: dhis2.batchSize, asyncAbove: dhis2.asyncAbove, asyncPollMs: dhis2.asyncPollMs, asyncMaxWaitMs: dhis2.asyncMaxWaitMs }
}

/** What a push went through; updated batch by batch, so that a push cut short still reports what it did. */
export interface SendTally {
    sent: number
    accepted: number
    rejected: number
    imported: number
    updated: number
    ignored: number
    deleted: number
    conflicts: ConflictReport[]
}

export const emptyTally = (conflicts: ConflictReport[] = []): SendTally => ({ sent: 0, accepted: 0, rejected: 0, imported: 0, updated: 0, ignored: 0, deleted: 0, conflicts })

function conflictOf(v: Pick<ResolvedValue, 'codes' | 'period' | 'channel' | 'service'> & { value: number | string }, c: { errorCode?: string | null; value?: string | null }): ConflictReport {
    return {
        dataElement: v.codes.dataElement,
        period: v.period,
        orgUnit: v.codes.orgUnit,
        categoryOptionCombo: v.codes.coc,
        channel: v.channel,
        service: v.service,
        value: String(v.value),
        errorCode: c.errorCode ?? null,
        message: c.value ?? '',
        source: 'dhis2',
    }
}

/** Record the bridge's own refusals in the outbox (not in a dry run). */
export function refuseLocally(outbox: Outbox, refusals: LocalRefusal[], dryRun: boolean): void {
    if (!dryRun) outbox.markRejected(refusals.map((r) => ({ key: r.key, code: r.code, message: `${r.why.fr} / ${r.why.en}` })))
}

/** Send resolved values in batches; `out` is updated as each batch is judged. */
export async function sendValues(client: Dhis2Client, outbox: Outbox, values: ResolvedValue[], s: SendSettings, out: SendTally = emptyTally()): Promise<SendTally> {
    const crash = (name: CrashPoint) => s.crashPoints && crashPoint(name)
    const log = (m: Bilingual | null | undefined) => m && s.log?.(m)
    for (let start = 0; start < values.length; start += s.batchSize) {
        const batch = values.slice(start, start + s.batchSize)
        log(s.before?.(batch.length, start + batch.length, values.length))
        outbox.markSent(batch.map((v) => v.key))
        const sendRows = s.sends?.log.waiting(s.sends.runId, s.iso(), batch)
        crash('after-mark-sent')
        const summary = await postDataValues(
            client,
            { dataSet: s.dataSet, dataValues: batch.map((v) => ({ dataElement: v.dataElement, period: v.period, orgUnit: v.orgUnit, categoryOptionCombo: v.categoryOptionCombo, value: String(v.value) })) },
            { asyncAbove: s.asyncAbove, pollIntervalMs: s.asyncPollMs, maxWaitMs: s.asyncMaxWaitMs }
        )
        out.sent += batch.length
        s.onPosted?.(batch)
        crash('after-post')
        const verdict = judgeBatch(summary, batch.length)
        if (!verdict.aborted) {
            out.imported += verdict.counts.imported
            out.updated += verdict.counts.updated
            out.ignored += verdict.counts.ignored
            out.deleted += verdict.counts.deleted
        }
        const accepted: Array<{ key: string; value: number }> = []
        const rejected: Rejection[] = []
        batch.forEach((v, i) => {
            if (!verdict.rejected.has(i)) return void accepted.push({ key: v.key, value: v.value })
            const cs = verdict.conflictsByIndex.get(i) ?? verdict.generalConflicts
            rejected.push({ key: v.key, code: cs[0]?.errorCode ?? null, message: cs[0]?.value ?? 'rejected' })
            s.onRefused?.(v)
            for (const c of cs.length ? cs : [{ value: 'rejected', errorCode: undefined }]) out.conflicts.push(conflictOf(v, c))
        })
        if (s.reportGeneralConflicts && !verdict.aborted) {
            for (const c of verdict.generalConflicts) {
                out.conflicts.push({ dataElement: null, period: null, orgUnit: null, categoryOptionCombo: null, channel: null, service: null, value: null, errorCode: c.errorCode ?? null, message: c.value ?? '', source: 'dhis2' })
            }
        }
        outbox.markAccepted(accepted, s.iso())
        outbox.markRejected(rejected)
        if (sendRows)
            s.sends!.log.settle(sendRows, s.sends!.runId, s.iso(), [
                ...accepted.map((a) => ({ key: a.key, outcome: 'ACCEPTED' as const, errorCode: null })),
                ...rejected.map((r) => ({ key: r.key, outcome: 'REFUSED' as const, errorCode: r.code })),
            ])
        crash('after-accept')
        out.accepted += accepted.length
        out.rejected += rejected.length
        log(s.after?.(accepted.length, rejected.length))
    }
    return out
}

/** --dry-run: what DHIS2 holds now for the keys a run would send (null where it holds nothing). */
export async function previewAgainstServer(client: Dhis2Client, dataSetId: string, values: ResolvedValue[]): Promise<Array<{ value: ResolvedValue; current: string | null }>> {
    const { values: held } = await readCurrentValues(client, dataSetId, values)
    return values.map((v) => ({ value: v, current: held.get(v.key) ?? null }))
}

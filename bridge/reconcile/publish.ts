import { RECON_DATASET, type ReconDataElement, type StatementChannel } from '../../contract/reconciliation'
import type { ResolvedConfig } from '../config/load'
import { scopeId } from '../aggregate'
import type { Bilingual } from '../domain/line'
import { Dhis2UnreachableError, type Dhis2Client } from '../dhis2/client'
import { assignOrgUnit, targetCodes } from '../dhis2/metadata'
import { OrgUnitResolver } from '../dhis2/org-units'
import { Outbox, type DesiredValue, type OutboxValue } from '../dhis2/outbox'
import { isProblem, noOrgUnit, type FamilyTargets } from '../dhis2/targets'
import { emptyTally, refuseLocally, sendValues, type LocalRefusal, type ResolvedValue, batchSettings } from '../dhis2/sender'
import { EXIT } from '../errors'
import type { ConflictReport } from '../report/conflict'
import type { StateDb } from '../state/db'
import { SendLog } from '../state/lineage'
import { loadReconMetadata } from './live'
import type { ReconValue } from './summary'

/**
 * The reconciliation totals (docs/contract.md §7) → the one DHIS2 outbox, family `recon`, and out
 * through the one sender (batches, import summaries judged per value, conflicts mapped back).
 * Scope = facility × month: every covered month is replaced as a whole, so a late statement or a
 * late ledger change updates its month, a discrepancy that disappears is sent as 0, and months
 * whose totals did not change send nothing.
 */
export const reconKey = (facility: string, dataElement: string, channel: string | null, period: string): string => JSON.stringify([facility, dataElement, channel, period])
const periodOfMonth = (month: string) => month.replace('-', '')

export interface PublishOutcome {
    valuesSent: number
    valuesWaiting: number
    conflicts: ConflictReport[]
    warnings: Bilingual[]
    exitCode: number
}

/** Record the desired totals of the covered months (one transaction). */
export function recordReconValues(db: StateDb, values: readonly ReconValue[], months: readonly string[]): Outbox {
    const outbox = new Outbox(db, 'recon')
    const periods = new Set(months.map(periodOfMonth))
    const byScope = new Map<string, DesiredValue[]>()
    for (const v of values) {
        const period = periodOfMonth(v.month)
        if (!periods.has(period)) continue
        const scope = scopeId(v.facility, period)
        const list = byScope.get(scope) ?? []
        list.push({ key: reconKey(v.facility, v.dataElement, v.channel, period), facility: v.facility, dataElement: v.dataElement, period, channel: v.channel, value: v.value })
        byScope.set(scope, list)
    }
    // Scopes of these months that held values before and hold none now fall to 0 (replaceScope's zero rule).
    const held = (db.prepare("SELECT DISTINCT scope, period FROM dhis2_values WHERE family = 'recon'").all() as Array<{ scope: string; period: string }>).filter((r) => periods.has(r.period))
    db.transaction(() => {
        for (const scope of new Set([...byScope.keys(), ...held.map((r) => r.scope)])) outbox.replaceScope(scope, byScope.get(scope) ?? [])
    })()
    return outbox
}

const bridgeConflict = (p: { dataElement: string; period: string; facility: string; channel: string | null; desired: number | null }, code: string, why: Bilingual): ConflictReport => ({
    dataElement: p.dataElement,
    period: p.period,
    orgUnit: p.facility,
    categoryOptionCombo: null,
    channel: p.channel,
    service: null,
    value: p.desired === null ? null : String(p.desired),
    errorCode: code,
    message: `${why.fr} / ${why.en}`,
    source: 'bridge',
})

/** What a reconciliation value names: a facility, a §7 data element and a channel (null for cash). */
export type ReconValueRef = Pick<OutboxValue, 'facility' | 'dataElement' | 'channel'>

/**
 * The reconciliation values' cells in PAYREV_RECON_MONTHLY: element by code, combo by channel
 * option, org unit by facility. The push and `verify` both resolve through it; `missing` when the
 * data set itself is not installed. `assigned`: the org units the data set has now.
 */
export async function reconTargets(
    db: StateDb,
    client: Dhis2Client,
    rc: ResolvedConfig,
    values: readonly ReconValueRef[],
    iso: () => string
): Promise<(FamilyTargets<ReconValueRef> & { assigned: string[] }) | { missing: string[] }> {
    const codes = targetCodes(rc.config)
    const live = await loadReconMetadata(client, (c) => codes.channelOption(c))
    if (!('dataSet' in live)) return live
    const resolver = new OrgUnitResolver(client, db, rc.orgUnitRefFor, iso)
    await resolver.prefetch([...new Set(values.map((v) => v.facility))])
    return {
        dataSetId: live.dataSet.id,
        assigned: live.dataSet.organisationUnits.map((o) => o.id),
        async resolve(v) {
            const ou = await resolver.resolve(v.facility)
            if (!ou || ou === 'unknown') return noOrgUnit(v.facility)
            const target = live.resolve(v.dataElement as ReconDataElement, v.channel as StatementChannel | null)
            if (!target) {
                return {
                    code: 'BRIDGE_DATA_ELEMENT',
                    why: { fr: `${v.dataElement} ${v.channel ?? ''} introuvable dans ${RECON_DATASET} : lancez « revenue-bridge setup »`, en: `${v.dataElement} ${v.channel ?? ''} not found in ${RECON_DATASET}: run "revenue-bridge setup"` },
                }
            }
            return { dataElement: target.dataElement, categoryOptionCombo: target.categoryOptionCombo, orgUnit: ou.id, codes: { ...target.codes, orgUnit: ou.code ?? ou.id } }
        },
    }
}

/**
 * The reconciliation totals into the recon outbox, then what waits to DHIS2 by the one sender.
 * `runId`: the run the sends are recorded under (docs/traceability.md, value_sends); none in a dry run.
 */
export async function publishRecon(
    db: StateDb,
    rc: ResolvedConfig,
    client: Dhis2Client | null,
    values: ReconValue[],
    months: string[],
    opts: { log?: (m: Bilingual) => void; runId?: number } = {}
): Promise<PublishOutcome> {
    const log = opts.log ?? (() => undefined)
    const outbox = recordReconValues(db, values, months)
    const pending = outbox.pending()
    const out: PublishOutcome = { valuesSent: 0, valuesWaiting: pending.length, conflicts: [], warnings: [], exitCode: EXIT.OK }
    if (!pending.length) return out
    if (!client) {
        out.warnings.push({ fr: `DHIS2 non configuré : ${pending.length} valeur(s) de rapprochement attendent`, en: `DHIS2 not configured: ${pending.length} reconciliation value(s) wait` })
        return out
    }
    const iso = () => new Date().toISOString()
    try {
        const targets = await reconTargets(db, client, rc, pending, iso)
        if ('missing' in targets) {
            out.warnings.push({ fr: `Métadonnées absentes de DHIS2 : ${targets.missing.join(', ')}. Lancez « revenue-bridge setup »`, en: `Metadata missing in DHIS2: ${targets.missing.join(', ')}. Run "revenue-bridge setup"` })
            out.exitCode = EXIT.CONFIG
            return out
        }
        const assigned = new Set(targets.assigned)
        const outgoing: ResolvedValue[] = []
        const refusals: LocalRefusal[] = []
        for (const p of pending) {
            const target = await targets.resolve(p)
            if (isProblem(target)) {
                const conflict = bridgeConflict(p, target.code, target.why)
                out.conflicts.push(conflict)
                refusals.push({ key: p.key, code: target.code, why: target.why, conflict })
                continue
            }
            // A facility the reconciliation data set is not assigned to yet is assigned, as sync does for the revenue one.
            if (!assigned.has(target.orgUnit)) {
                await assignOrgUnit(client, targets.dataSetId, target.orgUnit)
                assigned.add(target.orgUnit)
                out.warnings.push({ fr: `${RECON_DATASET} affecté à ${p.facility}`, en: `${RECON_DATASET} assigned to ${p.facility}` })
            }
            outgoing.push({
                key: p.key,
                facility: p.facility,
                value: p.desired!,
                dataElement: target.dataElement,
                categoryOptionCombo: target.categoryOptionCombo,
                orgUnit: target.orgUnit,
                period: p.period,
                codes: target.codes,
                channel: p.channel,
                service: null,
            })
        }
        refuseLocally(outbox, refusals, false)
        const tally = await sendValues(
            client,
            outbox,
            outgoing,
            {
                ...batchSettings(rc.config.dhis2, targets.dataSetId),
                iso,
                log,
                after: (accepted, rejected) => ({ fr: `Rapprochement : ${accepted} valeur(s) acceptée(s), ${rejected} refusée(s)`, en: `Reconciliation: ${accepted} value(s) accepted, ${rejected} rejected` }),
                sends: opts.runId === undefined ? undefined : { log: new SendLog(db, 'recon'), runId: opts.runId },
            },
            emptyTally(out.conflicts)
        )
        out.valuesSent = tally.sent
        out.valuesWaiting = outbox.pending().length
        if (tally.rejected || refusals.length) out.exitCode = EXIT.PARTIAL
    } catch (e) {
        if (e instanceof Dhis2UnreachableError) {
            out.warnings.push(e.reason)
            out.valuesWaiting = outbox.pending().length
            out.exitCode = EXIT.UNREACHABLE
            return out
        }
        throw e
    }
    return out
}

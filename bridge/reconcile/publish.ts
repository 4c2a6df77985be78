import { RECON_DATASET } from '../../contract/reconciliation'
import type { ResolvedConfig } from '../config/load'
import { scopeId } from '../aggregate'
import type { Bilingual } from '../domain/line'
import { Dhis2UnreachableError, type Dhis2Client } from '../dhis2/client'
import { assignOrgUnit, targetCodes } from '../dhis2/metadata'
import { OrgUnitResolver } from '../dhis2/org-units'
import { Outbox, type DesiredValue } from '../dhis2/outbox'
import { emptyTally, refuseLocally, sendValues, type LocalRefusal, type ResolvedValue, batchSettings } from '../dhis2/sender'
import { EXIT } from '../errors'
import type { ConflictReport } from '../report/schema'
import type { StateDb } from '../state/db'
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

export async function publishRecon(db: StateDb, rc: ResolvedConfig, client: Dhis2Client | null, values: ReconValue[], months: string[], log: (m: Bilingual) => void = () => undefined): Promise<PublishOutcome> {
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
        const codes = targetCodes(rc.config)
        const live = await loadReconMetadata(client, (c) => codes.channelOption(c))
        if (!('dataSet' in live)) {
            out.warnings.push({ fr: `Métadonnées absentes de DHIS2 : ${live.missing.join(', ')}. Lancez « revenue-bridge setup »`, en: `Metadata missing in DHIS2: ${live.missing.join(', ')}. Run "revenue-bridge setup"` })
            out.exitCode = EXIT.CONFIG
            return out
        }
        const resolver = new OrgUnitResolver(client, db, rc.orgUnitRefFor, iso)
        await resolver.prefetch([...new Set(pending.map((p) => p.facility))])
        const assigned = new Set(live.dataSet.organisationUnits.map((o) => o.id))
        const outgoing: ResolvedValue[] = []
        const refusals: LocalRefusal[] = []
        for (const p of pending) {
            const ou = await resolver.resolve(p.facility)
            const target = live.resolve(p.dataElement as Parameters<typeof live.resolve>[0], p.channel as Parameters<typeof live.resolve>[1])
            let problem: { code: string; why: Bilingual } | null = null
            if (!ou || ou === 'unknown') problem = { code: 'BRIDGE_ORG_UNIT', why: { fr: `Aucune unité d'organisation DHIS2 pour l'établissement « ${p.facility} »`, en: `No DHIS2 organisation unit for facility "${p.facility}"` } }
            else if (!target) problem = { code: 'BRIDGE_DATA_ELEMENT', why: { fr: `${p.dataElement} ${p.channel ?? ''} introuvable dans ${RECON_DATASET} : lancez « revenue-bridge setup »`, en: `${p.dataElement} ${p.channel ?? ''} not found in ${RECON_DATASET}: run "revenue-bridge setup"` } }
            if (problem || !ou || ou === 'unknown' || !target) {
                const conflict = bridgeConflict(p, problem!.code, problem!.why)
                out.conflicts.push(conflict)
                refusals.push({ key: p.key, code: problem!.code, why: problem!.why, conflict })
                continue
            }
            // A facility the reconciliation data set is not assigned to yet is assigned, as sync does for the revenue one.
            if (!assigned.has(ou.id)) {
                await assignOrgUnit(client, live.dataSet.id, ou.id)
                assigned.add(ou.id)
                out.warnings.push({ fr: `${RECON_DATASET} affecté à ${p.facility}`, en: `${RECON_DATASET} assigned to ${p.facility}` })
            }
            outgoing.push({
                key: p.key,
                facility: p.facility,
                value: p.desired!,
                dataElement: target.dataElement,
                categoryOptionCombo: target.categoryOptionCombo,
                orgUnit: ou.id,
                period: p.period,
                codes: { dataElement: target.codes.dataElement, coc: target.codes.coc, orgUnit: ou.code ?? ou.id },
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
                ...batchSettings(rc.config.dhis2, live.dataSet.id),
                iso,
                log,
                after: (accepted, rejected) => ({ fr: `Rapprochement : ${accepted} valeur(s) acceptée(s), ${rejected} refusée(s)`, en: `Reconciliation: ${accepted} value(s) accepted, ${rejected} rejected` }),
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

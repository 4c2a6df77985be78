import type { ResolvedConfig } from '../config/load'
import type { Bilingual } from '../domain/line'
import type { Dhis2Client } from '../dhis2/client'
import { OrgUnitResolver } from '../dhis2/org-units'
import type { Outbox, OutboxValue } from '../dhis2/outbox'
import { emptyTally, previewAgainstServer, refuseLocally, sendValues, type LocalRefusal, type ResolvedValue, type SendSettings, batchSettings } from '../dhis2/sender'
import type { ConflictReport } from '../report/schema'
import type { StateDb } from '../state/db'
import type { StockConfig } from './config'
import { configuredRefs, isWhole, loadLmisMetadata } from './lmis'

/** The `lmis` family's key: one value per facility, data element, option combo and month. */
export const lmisKey = (facility: string, dataElement: string, coc: string | null, period: string): string => JSON.stringify([facility, dataElement, coc, period])

/** The `lmis` family's scope: one facility × month, replaced together. */
export const lmisScope = (facility: string, period: string): string => `${facility}|${period}`

export interface LmisPreviewEntry {
    dataElement: string
    period: string
    orgUnit: string
    categoryOptionCombo: string
    current: string | null
    next: string
}

export interface LmisOutcome {
    valuesSent: number
    conflicts: ConflictReport[]
    waiting: number
    preview?: LmisPreviewEntry[]
}

export function bridgeConflict(dataElement: string | null, period: string | null, orgUnit: string | null, value: string | null, code: string, why: Bilingual): ConflictReport {
    return { dataElement, period, orgUnit, categoryOptionCombo: null, channel: null, service: null, value, errorCode: code, message: `${why.fr} / ${why.en}`, source: 'bridge' }
}

/** The LMIS values of the outbox, resolved against the LMIS data set and sent (or previewed) through the one sender. */
export async function pushLmis(
    db: StateDb,
    client: Dhis2Client,
    rc: ResolvedConfig,
    cfg: StockConfig,
    pending: OutboxValue[],
    outbox: Outbox,
    out: LmisOutcome,
    dryRun: boolean,
    iso: () => string,
    log: (m: Bilingual) => void,
    /** Lineage: each send and DHIS2's answer (docs/traceability.md). */
    sends?: SendSettings['sends']
): Promise<void> {
    const refs = [...configuredRefs(cfg), ...pending.map((p) => ({ dataElement: p.dataElement, categoryOptionCombo: p.coc }))]
    const live = await loadLmisMetadata(client, cfg.lmis.dataSet!, refs)
    if ('problem' in live) {
        out.conflicts.push(bridgeConflict(null, null, null, null, 'BRIDGE_LMIS_DATA_SET', live.problem))
        return
    }
    const resolver = new OrgUnitResolver(client, db, rc.orgUnitRefFor, iso)
    await resolver.prefetch([...new Set(pending.map((p) => p.facility))])
    const outgoing: ResolvedValue[] = []
    const refusals: LocalRefusal[] = []
    for (const p of pending) {
        const desired = p.desired!
        const ou = await resolver.resolve(p.facility)
        const resolved = live.resolve({ dataElement: p.dataElement, categoryOptionCombo: p.coc })
        let problem: { code: string; why: Bilingual } | null = null
        if (!ou || ou === 'unknown') problem = { code: 'BRIDGE_ORG_UNIT', why: { fr: `Aucune unité d'organisation DHIS2 pour l'établissement « ${p.facility} »`, en: `No DHIS2 organisation unit for facility "${p.facility}"` } }
        else if ('problem' in resolved) problem = { code: 'BRIDGE_DATA_ELEMENT', why: resolved.problem }
        else if (!isWhole(desired)) {
            const products = (p.detail as string[]).join(', ')
            problem = {
                code: 'BRIDGE_UNIT_CONVERSION',
                why: {
                    fr: `Quantité convertie non entière (${desired}) pour ${products} : vérifiez « factor » dans stock.products`,
                    en: `Converted quantity is not whole (${desired}) for ${products}: check "factor" in stock.products`,
                },
            }
        }
        if (problem || !ou || ou === 'unknown' || 'problem' in resolved) {
            out.conflicts.push(bridgeConflict(p.dataElement, p.period, p.facility, String(desired), problem!.code, problem!.why))
            refusals.push({ key: p.key, code: problem!.code, why: problem!.why, conflict: out.conflicts[out.conflicts.length - 1] })
            continue
        }
        outgoing.push({
            key: p.key,
            facility: p.facility,
            value: Math.round(desired),
            dataElement: resolved.dataElement,
            categoryOptionCombo: resolved.categoryOptionCombo,
            orgUnit: ou.id,
            period: p.period,
            codes: { dataElement: resolved.dataElementCode, coc: resolved.cocCode, orgUnit: ou.code ?? ou.id },
            channel: null,
            service: null,
        })
    }
    refuseLocally(outbox, refusals, dryRun)
    if (dryRun) {
        const preview = await previewAgainstServer(client, live.dataSet.id, outgoing)
        out.preview = preview.map(({ value: v, current }) => ({ dataElement: v.codes.dataElement, period: v.period, orgUnit: v.codes.orgUnit, categoryOptionCombo: v.codes.coc, current, next: String(v.value) }))
        return
    }
    await sendValues(
        client,
        outbox,
        outgoing,
        {
        ...batchSettings(rc.config.dhis2, live.dataSet.id),
        iso,
        log,
        onPosted: (batch) => (out.valuesSent += batch.length),
        sends,
        after: (accepted, rejected) => ({ fr: `LMIS : ${accepted} valeur(s) acceptée(s), ${rejected} refusée(s)`, en: `LMIS: ${accepted} value(s) accepted, ${rejected} rejected` }),
        },
        emptyTally(out.conflicts)
    )
}

import type { ResolvedConfig } from '../config/load'
import type { Bilingual } from '../domain/line'
import type { Dhis2Client } from '../dhis2/client'
import { OrgUnitResolver } from '../dhis2/org-units'
import type { Outbox, OutboxValue } from '../dhis2/outbox'
import { emptyTally, previewAgainstServer, refuseLocally, sendValues, type LocalRefusal, type ResolvedValue, type SendSettings, batchSettings } from '../dhis2/sender'
import type { ConflictReport } from '../report/conflict'
import type { StateDb } from '../state/db'
import type { StockConfig } from './config'
import { isProblem, noOrgUnit, type FamilyTargets, type TargetProblem } from '../dhis2/targets'
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

/** What an LMIS value names: a facility, a data element and an option combo reference. */
export type LmisValueRef = Pick<OutboxValue, 'facility' | 'dataElement' | 'coc'>

/**
 * The LMIS values' cells: the data set of stock.lmis.dataSet, elements and combos by the
 * configured references (code, UID or name), org units by facility. The push and `verify` both
 * resolve through it, so verify reads back exactly the cell the push wrote.
 */
export async function lmisTargets(db: StateDb, client: Dhis2Client, rc: ResolvedConfig, cfg: StockConfig, values: readonly LmisValueRef[], iso: () => string): Promise<FamilyTargets<LmisValueRef> | { problem: Bilingual }> {
    if (!cfg.lmis.dataSet) return { problem: { fr: 'Aucun jeu de données LMIS configuré (stock.lmis.dataSet)', en: 'No LMIS data set configured (stock.lmis.dataSet)' } }
    const refs = [...configuredRefs(cfg), ...values.map((v) => ({ dataElement: v.dataElement, categoryOptionCombo: v.coc }))]
    const live = await loadLmisMetadata(client, cfg.lmis.dataSet, refs)
    if ('problem' in live) return live
    const resolver = new OrgUnitResolver(client, db, rc.orgUnitRefFor, iso)
    await resolver.prefetch([...new Set(values.map((v) => v.facility))])
    return {
        dataSetId: live.dataSet.id,
        async resolve(v) {
            const ou = await resolver.resolve(v.facility)
            if (!ou || ou === 'unknown') return noOrgUnit(v.facility)
            const r = live.resolve({ dataElement: v.dataElement, categoryOptionCombo: v.coc })
            if ('problem' in r) return { code: 'BRIDGE_DATA_ELEMENT', why: r.problem }
            return { dataElement: r.dataElement, categoryOptionCombo: r.categoryOptionCombo, orgUnit: ou.id, codes: { dataElement: r.dataElementCode, coc: r.cocCode, orgUnit: ou.code ?? ou.id } }
        },
    }
}

const notWhole = (desired: number, products: string[]): TargetProblem => ({
    code: 'BRIDGE_UNIT_CONVERSION',
    why: {
        fr: `Quantité convertie non entière (${desired}) pour ${products.join(', ')} : vérifiez « factor » dans stock.products`,
        en: `Converted quantity is not whole (${desired}) for ${products.join(', ')}: check "factor" in stock.products`,
    },
})

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
    const targets = await lmisTargets(db, client, rc, cfg, pending, iso)
    if ('problem' in targets) {
        out.conflicts.push(bridgeConflict(null, null, null, null, 'BRIDGE_LMIS_DATA_SET', targets.problem))
        return
    }
    const outgoing: ResolvedValue[] = []
    const refusals: LocalRefusal[] = []
    for (const p of pending) {
        const desired = p.desired!
        const target = await targets.resolve(p)
        // The cell first, then the value: a quantity that is not whole cannot go to an INTEGER element.
        const problem = isProblem(target) ? target : isWhole(desired) ? null : notWhole(desired, p.detail as string[])
        if (problem || isProblem(target)) {
            const { code, why } = problem ?? (target as TargetProblem)
            out.conflicts.push(bridgeConflict(p.dataElement, p.period, p.facility, String(desired), code, why))
            refusals.push({ key: p.key, code, why, conflict: out.conflicts[out.conflicts.length - 1] })
            continue
        }
        outgoing.push({
            key: p.key,
            facility: p.facility,
            value: Math.round(desired),
            dataElement: target.dataElement,
            categoryOptionCombo: target.categoryOptionCombo,
            orgUnit: target.orgUnit,
            period: p.period,
            codes: target.codes,
            channel: null,
            service: null,
        })
    }
    refuseLocally(outbox, refusals, dryRun)
    if (dryRun) {
        const preview = await previewAgainstServer(client, targets.dataSetId, outgoing)
        out.preview = preview.map(({ value: v, current }) => ({ dataElement: v.codes.dataElement, period: v.period, orgUnit: v.codes.orgUnit, categoryOptionCombo: v.codes.coc, current, next: String(v.value) }))
        return
    }
    await sendValues(
        client,
        outbox,
        outgoing,
        {
        ...batchSettings(rc.config.dhis2, targets.dataSetId),
        iso,
        log,
        onPosted: (batch) => (out.valuesSent += batch.length),
        sends,
        after: (accepted, rejected) => ({ fr: `LMIS : ${accepted} valeur(s) acceptée(s), ${rejected} refusée(s)`, en: `LMIS: ${accepted} value(s) accepted, ${rejected} rejected` }),
        },
        emptyTally(out.conflicts)
    )
}

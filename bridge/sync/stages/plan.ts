import type { DataElementCode } from '../../../contract/codes'
import type { Bilingual } from '../../domain/line'
import { revenueCell, type LiveMetadata, type LiveOrgUnit, type ResolvedOrgUnit, type TargetCodes } from '../../dhis2/metadata'
import type { OrgUnitResolver } from '../../dhis2/org-units'
import type { OutboxValue } from '../../dhis2/outbox'
import type { LocalRefusal, ResolvedValue } from '../../dhis2/sender'

export type { ResolvedOrgUnit }

export interface PlanInput {
    /** The revenue values DHIS2 does not hold yet. */
    pending: OutboxValue[]
    live: LiveMetadata
    codes: TargetCodes
    /** Facility codes met in this run's ledger, in the order met ('' for rows without one). */
    facilitiesSeen: string[]
    /** Org units of those facilities and of the pending values' facilities. */
    orgUnits: ReadonlyMap<string, ResolvedOrgUnit>
}

/** What the preflight must do before the push, in the order the plan met it. */
export type PlanNote = { kind: 'assign'; orgUnit: LiveOrgUnit } | { kind: 'period'; period: string }

export interface Plan {
    outgoing: ResolvedValue[]
    refusals: LocalRefusal[]
    notes: PlanNote[]
}

/**
 * Stage 2 — plan (docs/contract.md §3), pure: the changed totals and the live metadata in, the
 * values to send (UIDs resolved) and the bridge's own refusals out (no org unit, data element or
 * category option combo for a key). Every facility met in the run is assigned to the data set,
 * even with nothing new to send (an administrator may have taken it out since the values went in).
 */
export function plan(input: PlanInput): Plan {
    const { live, codes } = input
    const out: Plan = { outgoing: [], refusals: [], notes: [] }
    const assigned = new Set(live.dataSet.organisationUnits.map((o) => o.id))
    const periods = new Set<string>()
    const ensureAssigned = (ou: LiveOrgUnit) => {
        if (assigned.has(ou.id)) return
        assigned.add(ou.id)
        out.notes.push({ kind: 'assign', orgUnit: ou })
    }
    for (const code of input.facilitiesSeen) {
        const ou = code ? input.orgUnits.get(code) : null
        if (ou && ou !== 'unknown') ensureAssigned(ou)
    }
    for (const p of input.pending) {
        const cell = revenueCell(live, input.orgUnits.get(p.facility) ?? null, p)
        if (!cell.ok) {
            out.refusals.push(refuse(p, codes, cell.code))
            continue
        }
        const { orgUnit: ou, dataElement: deId, coc } = cell
        const de = p.dataElement as DataElementCode
        ensureAssigned(ou)
        if (!periods.has(p.period)) {
            periods.add(p.period)
            out.notes.push({ kind: 'period', period: p.period })
        }
        out.outgoing.push({
            key: p.key,
            facility: p.facility,
            dataElement: deId,
            period: p.period,
            orgUnit: ou.id,
            categoryOptionCombo: coc.id,
            value: p.desired!,
            codes: { dataElement: codes.dataElement(de), orgUnit: ou.code ?? ou.id, coc: coc.code ?? coc.id },
            channel: p.channel,
            service: p.service,
        })
    }
    return out
}

function refuse(p: OutboxValue, codes: TargetCodes, code: 'BRIDGE_ORG_UNIT' | 'BRIDGE_DATA_ELEMENT' | 'BRIDGE_CATEGORY_OPTION_COMBO'): LocalRefusal {
    const de = codes.dataElement(p.dataElement as DataElementCode)
    const combo = `${p.channel}${p.service ? ` × ${p.service}` : ''}`
    const why: Bilingual =
        code === 'BRIDGE_ORG_UNIT'
            ? { fr: `Aucune unité d'organisation DHIS2 pour l'établissement « ${p.facility} »`, en: `No DHIS2 organisation unit for facility "${p.facility}"` }
            : code === 'BRIDGE_DATA_ELEMENT'
              ? { fr: `Élément de données ${de} introuvable`, en: `Data element ${de} not found` }
              : { fr: `Aucune combinaison de catégories pour ${combo} dans ${de} : relancez « setup »`, en: `No category option combo for ${combo} in ${de}: run "setup" again` }
    const message = `${why.fr} / ${why.en}`
    return {
        key: p.key,
        code,
        why,
        conflict: { dataElement: de, period: p.period, orgUnit: p.facility, categoryOptionCombo: null, channel: p.channel, service: p.service, value: String(p.desired), errorCode: code, message, source: 'bridge' },
    }
}

/** The org units the plan needs, read once (the resolver caches; the pending facilities are prefetched). */
export async function resolveOrgUnits(resolver: OrgUnitResolver, facilitiesSeen: string[], pending: OutboxValue[]): Promise<Map<string, ResolvedOrgUnit>> {
    await resolver.prefetch([...new Set(pending.map((p) => p.facility))])
    const out = new Map<string, ResolvedOrgUnit>()
    for (const code of [...facilitiesSeen.filter((c) => c), ...pending.map((p) => p.facility)]) {
        if (!out.has(code)) out.set(code, await resolver.resolve(code))
    }
    return out
}

import type { Bilingual } from '../domain/line'

/**
 * Where one outbox value lands in DHIS2, as a family resolves it against live metadata. The
 * family's push sends to it and `verify` reads it back: one resolution, so both name the same
 * cell (docs/traceability.md).
 */
export interface ValueTarget {
    /** UIDs. */
    dataElement: string
    categoryOptionCombo: string
    orgUnit: string
    /** For people: codes where the server has them. */
    codes: { dataElement: string; coc: string; orgUnit: string }
}

/** Why a value has no target (the push refuses it locally; verify counts it unresolved). */
export interface TargetProblem {
    code: string
    why: Bilingual
}

/** A family's resolution: the data set its values belong to, and each value's cell. */
export interface FamilyTargets<V> {
    dataSetId: string
    resolve(value: V): Promise<ValueTarget | TargetProblem>
}

export const isProblem = (t: ValueTarget | TargetProblem): t is TargetProblem => 'why' in t

export const noOrgUnit = (facility: string): TargetProblem => ({
    code: 'BRIDGE_ORG_UNIT',
    why: { fr: `Aucune unité d'organisation DHIS2 pour l'établissement « ${facility} »`, en: `No DHIS2 organisation unit for facility "${facility}"` },
})

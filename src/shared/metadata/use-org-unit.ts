import { keys } from '../data/keys'
import { useDhis2Query } from '../data/use-dhis2-query'
import { toOrgUnitRef, type OrgUnitRef, type RawOrgUnit } from './metadata'

const selectOrgUnit = (raw: unknown) => toOrgUnitRef(raw as RawOrgUnit)

/** A unit named in the URL or a dashboard filter that the app does not know yet (roots, facilities, tree picks). */
export function useOrgUnitLookup(id: string | null, known: OrgUnitRef | null) {
    const { data, error, loading } = useDhis2Query(id && !known ? keys.orgUnit(id) : null, selectOrgUnit)
    return { unit: data ?? null, error, loading }
}

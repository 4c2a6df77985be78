import { keys } from '../data/keys'
import { useDhis2Query } from '../data/use-dhis2-query'
import { toOrgUnitRef, type OrgUnitRef, type RawOrgUnit } from './metadata'

const selectOrgUnit = (raw: unknown) => toOrgUnitRef(raw as RawOrgUnit)

/** A unit named in the URL or a dashboard filter that the app does not know yet (roots, facilities, tree picks). */
export function useOrgUnitLookup(id: string | null, known: OrgUnitRef | null) {
    const { data, error, loading } = useDhis2Query(id && !known ? keys.orgUnit(id) : null, selectOrgUnit)
    return { unit: data ?? null, error, loading }
}

/**
 * The unit a link names (`#/overview?ou=…`), asked for beside the metadata instead of after it:
 * the same query key as useOrgUnitLookup, so the dashboard finds it answered. One round trip less
 * before the first figure (300 ms on a 3G link, bench/README.md rows (7)); a unit that turns out
 * to be a root or a facility cost one request in parallel.
 */
export function useEarlyOrgUnit(linked: string | null): void {
    useDhis2Query(linked ? keys.orgUnit(linked) : null, selectOrgUnit)
}

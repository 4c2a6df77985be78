import { useEffect, useMemo } from 'react'
import { useBrowserStore } from '../data/browser-store'
import { keys } from '../data/keys'
import { useDhis2Query } from '../data/use-dhis2-query'
import { toOrgUnitRef, type OrgUnitRef, type RawOrgUnit } from './metadata'

const selectOrgUnit = (raw: unknown) => toOrgUnitRef(raw as RawOrgUnit)

/**
 * A unit's name and place in the tree change rarely: an answer stays current for five minutes, so
 * the dashboard takes the early ask's answer instead of asking again as it mounts (one request
 * less on a first visit).
 */
const ORG_UNIT_STALE_MS = 5 * 60_000

/**
 * A unit named in the URL or a dashboard filter that the app does not know yet (roots, facilities,
 * tree picks). The units looked up before are kept in the browser (./../data/browser-store.ts) and
 * shown while the request runs again: a repeat visit's analytics need not wait for it.
 */
export function useOrgUnitLookup(id: string | null, known: OrgUnitRef | null) {
    const store = useBrowserStore<Record<string, OrgUnitRef>>('orgUnits.v1')
    const kept = id ? store.remembered?.[id] : undefined
    // Memoised on the kept unit: a new object each render would make every view's memos parse again.
    const placeholder = useMemo<RawOrgUnit | undefined>(() => kept && { id: kept.id, displayName: kept.name, path: kept.path, level: kept.level ?? undefined }, [kept])
    const { data, error, loading, fresh } = useDhis2Query(id && !known ? keys.orgUnit(id) : null, selectOrgUnit, placeholder, ORG_UNIT_STALE_MS)
    useEffect(() => {
        if (data && fresh) store.keep((prev) => ({ ...prev, [data.id]: data }))
    }, [data, fresh, store])
    return { unit: data ?? null, error, loading }
}

/**
 * The unit a link names (`#/overview?ou=…`), asked for beside the metadata instead of after it:
 * the same query key as useOrgUnitLookup, so the dashboard finds it answered. One round trip less
 * before the first figure (300 ms on a 3G link, bench/README.md rows (7)); a unit that turns out
 * to be a root or a facility cost one request in parallel.
 */
export function useEarlyOrgUnit(linked: string | null): void {
    useDhis2Query(linked ? keys.orgUnit(linked) : null, selectOrgUnit, undefined, ORG_UNIT_STALE_MS)
}

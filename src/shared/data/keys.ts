import { datastoreResource } from '@recettes/contract'
import type { AnalyticsParams } from '../../analytics/requests'

/**
 * A query key is one app-runtime resource query: `[{ resource, id?, params? }]`. The key is also
 * what the fetch asks (./use-dhis2-query.ts), so two views asking the same thing share one request
 * and one cache entry, and a key compares by content (no JSON.stringify, no memo on bounds).
 */
export interface ResourceQuery {
    resource: string
    id?: string
    params?: Record<string, unknown>
}
export type Dhis2QueryKey = readonly [ResourceQuery]

const key = (q: ResourceQuery): Dhis2QueryKey => [q]

export const keys = {
    analytics: (params: AnalyticsParams): Dhis2QueryKey => key({ resource: 'analytics', params }),
    /** Entries of the `payrev` namespace (`fields=.`), narrowed by data store query filters. */
    dataStoreEntries: (filter: string | string[]): Dhis2QueryKey =>
        key({ resource: datastoreResource(), params: { fields: '.', paging: false, filter } }),
    /** One entry of the `payrev` namespace (key builders in contract/datastore.ts). */
    dataStoreEntry: (entryKey: string): Dhis2QueryKey => key({ resource: datastoreResource(entryKey) }),
    orgUnit: (id: string): Dhis2QueryKey => key({ resource: 'organisationUnits', id, params: { fields: 'id,displayName,path,level' } }),
    dataElementNames: (ids: readonly string[]): Dhis2QueryKey =>
        key({ resource: 'dataElements', params: { filter: `id:in:[${ids.join(',')}]`, fields: 'id,displayName', paging: false } }),
}

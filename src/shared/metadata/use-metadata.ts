import { useEffect, useMemo } from 'react'
import { CATEGORY_CHANNEL, CATEGORY_SERVICE, DATASET_CODE, DATA_ELEMENTS } from '@recettes/contract'
import { useBrowserStore } from '../data/browser-store'
import type { Dhis2QueryKey } from '../data/keys'
import { useDhis2Queries } from '../data/use-dhis2-query'
import { resolveMetadata, type MetadataResult } from './metadata'

const ORG_UNIT_FIELDS = 'id,displayName,path,level'

/**
 * One query at start-up (four resources, fetched in parallel): the user's org unit roots and the
 * PAYREV codes → UIDs. The data set's org units are the facilities the bridge reports for.
 */
const METADATA_KEYS = {
    me: [{ resource: 'me', params: { fields: `id,displayName,organisationUnits[${ORG_UNIT_FIELDS}],dataViewOrganisationUnits[${ORG_UNIT_FIELDS}]` } }],
    dataElements: [{ resource: 'dataElements', params: { filter: `code:in:[${DATA_ELEMENTS.join(',')}]`, fields: 'id,code,displayName', paging: false } }],
    categories: [
        {
            resource: 'categories',
            params: {
                filter: `code:in:[${CATEGORY_CHANNEL},${CATEGORY_SERVICE}]`,
                fields: 'id,code,displayName,categoryOptions[id,code,displayName]',
                paging: false,
            },
        },
    ],
    dataSets: [
        {
            resource: 'dataSets',
            params: { filter: `code:eq:${DATASET_CODE}`, fields: `id,code,displayName,periodType,organisationUnits[${ORG_UNIT_FIELDS}]`, paging: false },
        },
    ],
} satisfies Record<string, Dhis2QueryKey>

const asIs = (raw: unknown) => raw

export interface MetadataState {
    loading: boolean
    error: unknown
    result: MetadataResult | null
    refetch: () => void
}

type MetadataAnswers = Record<keyof typeof METADATA_KEYS, unknown>

export function useMetadata(): MetadataState {
    // The four answers are resolved together (codes → UIDs across resources), once all are in.
    // The last visit's answers are shown while the requests run again (a changed UID changes the
    // analytics' keys once the fresh answers arrive, and those ask again).
    const store = useBrowserStore<MetadataAnswers>('metadata.v1')
    const { loading, error, data, refetch, fresh } = useDhis2Queries(METADATA_KEYS, asIs, store.remembered)
    useEffect(() => {
        if (data && fresh) store.keep(() => data as MetadataAnswers)
    }, [data, fresh, store])
    const parsed = useMemo((): { result: MetadataResult | null; error: unknown } => {
        if (!data) return { result: null, error: null }
        try {
            return { result: resolveMetadata(data as Parameters<typeof resolveMetadata>[0]), error: null }
        } catch (e) {
            return { result: null, error: Object.assign(new Error(`metadata: ${(e as Error).message}`), { name: 'UnexpectedResponseError' }) }
        }
    }, [data])
    return { loading, error: error ?? parsed.error, result: parsed.result, refetch }
}

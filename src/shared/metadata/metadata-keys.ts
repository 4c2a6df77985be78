import { CATEGORY_CHANNEL, CATEGORY_SERVICE, DATASET_CODE, DATA_ELEMENTS } from '@recettes/contract'
import type { Dhis2QueryKey } from '../data/keys'

const ORG_UNIT_FIELDS = 'id,displayName,path,level'

/**
 * One query at start-up (four resources, fetched in parallel): the user's org unit roots and the
 * PAYREV codes → UIDs. The data set's org units are the facilities the bridge reports for.
 * Asked by ./use-metadata.ts, and by the early start (src/early/) before the app runs.
 */
export const METADATA_KEYS = {
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

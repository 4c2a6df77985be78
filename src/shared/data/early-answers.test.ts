// @ts-ignore -- the data engine's own path builder, to check ours against (no types for this file)
import { queryToResourcePath } from '@dhis2/data-engine/build/cjs/links/RestAPILink/queryToResourcePath'
import { overviewRequests } from '../../analytics/requests'
import { resolvePeriod } from '../../compute/periods'
import { UIDS, OU } from '../../test-utils/fake-dhis2'
import type { PayrevMetadata } from '../metadata/metadata'
import { METADATA_KEYS } from '../metadata/metadata-keys'
import { queryText, resourcePath } from './early-answers'
import { keys, type ResourceQuery } from './keys'

const meta = {
    dataElements: UIDS.de,
    channelCategory: UIDS.channelCategory,
    serviceCategory: UIDS.serviceCategory,
    channelOptions: UIDS.channel,
    serviceOptions: UIDS.service,
} as unknown as PayrevMetadata

const link = { versionedApiPath: 'api/40', unversionedApiPath: 'api', config: {} }

describe('early answers', () => {
    const queries: ResourceQuery[] = [
        ...Object.values(METADATA_KEYS).map(([q]) => q),
        keys.orgUnit(OU.BKO)[0],
        ...Object.values(overviewRequests(meta, OU.ML, resolvePeriod('202610', new Date(2026, 10, 23))!)).map((p) => keys.analytics(p)[0]),
    ]

    it.each(queries.map((q) => [q.resource, q]))('asks %s with the same path and query string as the data engine', (_name, q) => {
        expect(`api/40/${resourcePath(q as ResourceQuery)}`).toBe(queryToResourcePath(link, q, 'read'))
    })

    it('names a query by its content, whatever the order of its parameters', () => {
        expect(queryText({ resource: 'me', params: { a: 1, b: [2, 3] } })).toBe(queryText({ resource: 'me', params: { b: [2, 3], a: 1 } }))
        expect(queryText({ resource: 'me', params: { a: 1 } })).not.toBe(queryText({ resource: 'me', params: { a: 2 } }))
    })
})

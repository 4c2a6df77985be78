import { useCallback } from 'react'
import { parseAnalytics, type ParsedAnalytics } from '../analytics/parse'
import type { AnalyticsParams } from '../analytics/requests'
import { keys, type Dhis2QueryKey } from './data/keys'
import { useDhis2Queries } from './data/use-dhis2-query'
import type { PayrevMetadata } from './metadata/metadata'

export interface AnalyticsState<K extends string> {
    loading: boolean
    error: unknown
    results: Record<K, ParsedAnalytics> | null
    refetch: () => void
}

/**
 * Runs one or more analytics requests together (one HTTP request each, in parallel) and parses
 * the answers. `requests` null = nothing to ask (e.g. no facility under the selection). The
 * requests may be rebuilt on every render: the query keys compare by content.
 */
export function useAnalytics<K extends string>(requests: Record<K, AnalyticsParams> | null, meta: PayrevMetadata): AnalyticsState<K> {
    const named = requests ? (Object.fromEntries(Object.entries(requests).map(([k, p]) => [k, keys.analytics(p as AnalyticsParams)])) as Record<K, Dhis2QueryKey>) : null
    const select = useCallback((raw: unknown) => parseAnalytics(raw, meta), [meta])
    const { loading, error, data, refetch } = useDhis2Queries(named, select)
    return { loading, error, results: data ?? null, refetch }
}

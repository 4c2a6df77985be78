import { useDataQuery } from '@dhis2/app-runtime'
import { useEffect, useMemo } from 'react'
import { parseAnalytics, type ParsedAnalytics } from '../analytics/parse'
import type { AnalyticsParams } from '../analytics/requests'
import type { PayrevMetadata } from './metadata/metadata'

export interface AnalyticsState<K extends string> {
    loading: boolean
    error: unknown
    results: Record<K, ParsedAnalytics> | null
    refetch: () => void
}

/**
 * Runs one or more analytics requests together (one HTTP request each, in parallel) and parses
 * the answers. `requests` null = nothing to ask (e.g. no facility under the selection).
 * The query is lazy and re-run whenever the requests change.
 */
export function useAnalytics<K extends string>(requests: Record<K, AnalyticsParams> | null, meta: PayrevMetadata): AnalyticsState<K> {
    const names = useMemo(() => (requests ? (Object.keys(requests).sort() as K[]) : []), [requests])
    const query = useMemo(
        () =>
            Object.fromEntries(
                names.map((k) => [k, { resource: 'analytics', params: (vars: Record<string, unknown>) => vars[k] as AnalyticsParams }])
            ),
        // the set of names of a view never changes
        // eslint-disable-next-line react-hooks/exhaustive-deps
        [names.join(',')]
    )
    const { loading, called, error, data, refetch } = useDataQuery(query, { lazy: true })
    const key = JSON.stringify(requests)
    useEffect(() => {
        if (requests) void refetch(requests as unknown as Record<string, unknown>)
        // `key` stands for `requests`' content
        // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [key])
    const parsed = useMemo((): { results: Record<K, ParsedAnalytics> | null; error: unknown } => {
        if (!data || !requests) return { results: null, error: null }
        try {
            const out = {} as Record<K, ParsedAnalytics>
            for (const k of names) out[k] = parseAnalytics((data as Record<string, unknown>)[k], meta)
            return { results: out, error: null }
        } catch (e) {
            return { results: null, error: e }
        }
        // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [data, meta])
    return {
        loading: requests !== null && (!called || loading),
        error: error ?? parsed.error,
        results: parsed.results,
        refetch: () => {
            if (requests) void refetch(requests as unknown as Record<string, unknown>)
        },
    }
}

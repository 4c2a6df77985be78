import { useDataEngine } from '@dhis2/app-runtime'
import { useQuery, type UseQueryResult } from '@tanstack/react-query'
import { useCallback } from 'react'
import { takeEarly } from './early-answers'
import type { Dhis2QueryKey, ResourceQuery } from './keys'

type Engine = ReturnType<typeof useDataEngine>

/**
 * The app's one fetch: a resource query run by the app-runtime data engine (base URL, API
 * version, authentication and errors as the platform handles them), cancelled when react-query
 * drops the query. The pattern of DHIS2's aggregate data entry app. A query the early start asked
 * already is answered from there, once.
 */
async function fetchResource(engine: Engine, query: ResourceQuery, signal?: AbortSignal): Promise<unknown> {
    const early = await takeEarly(query)
    if (early?.ok) return early.data
    const { result } = await engine.query({ result: query } as never, { signal })
    return result
}

export interface Dhis2QueryState<T> {
    /** True while an enabled query has no answer yet (a null key is never loading). */
    loading: boolean
    error: unknown
    data: T | undefined
    refetch: () => void
}

const DISABLED: Dhis2QueryKey = [{ resource: '' }]

// A disabled query (v4) reports `isLoading` until enabled; the views want "not loading, no data".
const stateOf = <T,>(q: UseQueryResult<T>, enabled: boolean): Dhis2QueryState<T> => ({
    loading: enabled && q.isLoading,
    error: q.error ?? null,
    data: enabled ? q.data : undefined,
    refetch: () => void q.refetch(),
})

/**
 * One DHIS2 request: `key` from ./keys.ts (null = nothing to ask), `select` parses the raw answer
 * (a throw becomes the query's error). Keep `select` stable (module level or useCallback): it runs
 * again whenever its identity changes. `placeholder`: a raw answer shown while the request runs
 * (`fresh` false then), e.g. remembered from the last visit. `staleTimeMs`: how long an answer is
 * taken as current by another component asking the same key (react-query's default, 0, asks again).
 */
export function useDhis2Query<T>(key: Dhis2QueryKey | null, select: (raw: unknown) => T, placeholder?: unknown, staleTimeMs = 0): Dhis2QueryState<T> & { fresh: boolean } {
    const engine = useDataEngine()
    const q = useQuery({
        queryKey: key ?? DISABLED,
        queryFn: ({ queryKey: [query], signal }) => fetchResource(engine, query, signal),
        enabled: key !== null,
        select,
        placeholderData: placeholder ?? undefined,
        staleTime: staleTimeMs,
    })
    return { ...stateOf(q, key !== null), fresh: !q.isPlaceholderData }
}

/**
 * Several requests that belong together (one view's figures), fetched in parallel as one query:
 * `data` once every one has answered, each answer parsed by `select`; one failure fails them all.
 */
export function useDhis2Queries<K extends string, T>(
    named: Record<K, Dhis2QueryKey> | null,
    select: (raw: unknown) => T,
    /** Raw answers shown while the request runs (`data` then, `fresh` false), e.g. remembered from the last visit. */
    placeholder?: Record<K, unknown> | null
): Dhis2QueryState<Record<K, T>> & { fresh: boolean } {
    const engine = useDataEngine()
    const queries = named ? Object.fromEntries(Object.entries<Dhis2QueryKey>(named).map(([k, [q]]) => [k, q])) : null
    const selectAll = useCallback((raw: Record<string, unknown>) => Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, select(v)])) as Record<K, T>, [select])
    const q = useQuery({
        queryKey: [queries ?? {}] as const,
        queryFn: async ({ queryKey: [qs], signal }) => {
            const names = Object.keys(qs)
            const answers = await Promise.all(names.map((k) => fetchResource(engine, (qs as Record<string, ResourceQuery>)[k], signal)))
            return Object.fromEntries(names.map((k, i) => [k, answers[i]]))
        },
        enabled: named !== null,
        select: selectAll,
        placeholderData: placeholder ?? undefined,
    })
    return { ...stateOf(q, named !== null), fresh: !q.isPlaceholderData }
}

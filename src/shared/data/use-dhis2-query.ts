import { useDataEngine } from '@dhis2/app-runtime'
import { useQueries, useQuery, type QueryFunctionContext } from '@tanstack/react-query'
import type { Dhis2QueryKey } from './keys'

/**
 * The app's one fetch: the query key's resource query, run by the app-runtime data engine (base
 * URL, API version, authentication and errors as the platform handles them), cancelled when
 * react-query drops the query. The pattern of DHIS2's aggregate data entry app.
 */
type Engine = ReturnType<typeof useDataEngine>
const engineQueryFn =
    (engine: Engine) =>
    async ({ queryKey: [query], signal }: QueryFunctionContext<Dhis2QueryKey>): Promise<unknown> => {
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

/**
 * One DHIS2 request: `key` from ./keys.ts (null = nothing to ask), `select` parses the raw answer
 * (a throw becomes the query's error). Keep `select` stable (module level or useCallback): it runs
 * again whenever its identity changes.
 */
export function useDhis2Query<T>(key: Dhis2QueryKey | null, select: (raw: unknown) => T): Dhis2QueryState<T> {
    const engine = useDataEngine()
    const q = useQuery({ queryKey: key ?? DISABLED, queryFn: engineQueryFn(engine), enabled: key !== null, select })
    return { loading: key !== null && q.isLoading, error: q.error ?? null, data: key ? q.data : undefined, refetch: () => void q.refetch() }
}

/** Several requests at once (in parallel), named; `data` once every one has answered. */
export function useDhis2Queries<K extends string, T>(named: Record<K, Dhis2QueryKey> | null, select: (raw: unknown) => T): Dhis2QueryState<Record<K, T>> {
    const engine = useDataEngine()
    const names = (named ? Object.keys(named).sort() : []) as K[]
    const results = useQueries({
        queries: names.map((k) => ({ queryKey: named![k], queryFn: engineQueryFn(engine), select })),
    })
    const error = results.find((r) => r.error)?.error ?? null
    const complete = named !== null && results.every((r) => r.data !== undefined)
    // Each answer keeps its identity between renders (react-query's structural sharing and select memo).
    const data = complete ? (Object.fromEntries(names.map((k, i) => [k, results[i].data])) as Record<K, T>) : undefined
    return {
        loading: named !== null && results.some((r) => r.isLoading),
        error,
        data,
        refetch: () => results.forEach((r) => void r.refetch()),
    }
}

const DISABLED: Dhis2QueryKey = [{ resource: '' }]

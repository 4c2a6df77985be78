import type { ResourceQuery } from './keys'

/**
 * Answers asked for before the app runs, taken by the app's one fetch (./use-dhis2-query.ts)
 * instead of asking again. Why: the platform's shell renders the app only after its own start-up
 * requests (`system/info` and `me`, then `userSettings`), so on a 3G link the app's first request
 * left after the whole JavaScript had arrived and two more round trips. The early start
 * (src/early/early-start.ts, a small script of index.html) asks the overview's requests while the
 * shell loads (bench/README.md, row 7). No React, no platform code here: it runs before them.
 */
export type EarlyAnswer = { ok: true; data: unknown } | { ok: false }

// On globalThis: the early script and the app share it even if a bundler duplicated this module.
const REGISTRY = '__payrevEarlyAnswers'
function registry(): Map<string, Promise<EarlyAnswer>> {
    const g = globalThis as unknown as Record<string, Map<string, Promise<EarlyAnswer>> | undefined>
    return (g[REGISTRY] ??= new Map())
}

/** The query as a text, parameters sorted: what the app and the early start both compute. */
export function queryText(q: ResourceQuery): string {
    const params = Object.keys(q.params ?? {})
        .sort()
        .map((k) => [k, q.params![k]])
    return JSON.stringify([q.resource, q.id ?? null, params])
}

// The same encoding as the app-runtime data engine's (@dhis2/data-engine queryToResourcePath):
// arrays joined with commas, `filter` repeated, null and undefined left out.
const encodeValue = (v: unknown): string =>
    Array.isArray(v) ? v.map(encodeValue).join(',') : typeof v === 'string' ? encodeURIComponent(v) : String(v)

/** `resource[/id][?params]`, relative to `api/`. */
export function resourcePath(q: ResourceQuery): string {
    const parts: string[] = []
    for (const [k, v] of Object.entries(q.params ?? {})) {
        if (k === 'filter' && Array.isArray(v)) for (const f of v) parts.push(`filter=${encodeValue(f)}`)
        else if (v !== null && v !== undefined) parts.push(`${encodeURIComponent(k)}=${encodeValue(v)}`)
    }
    const base = [q.resource, q.id].filter(Boolean).join('/')
    return parts.length ? `${base}?${parts.join('&')}` : base
}

/**
 * Asks `q` now, as the data engine would (session cookie, `X-Requested-With` so that an expired
 * session answers 401 rather than the login page), on the unversioned API: the server's version is
 * not known yet, and these resources answer the same. Anything but a JSON 2xx is no answer: the app
 * then asks itself, and shows the error as it always has.
 */
export function askEarly(baseUrl: string, q: ResourceQuery): Promise<EarlyAnswer> {
    const answer = fetch(`${baseUrl.replace(/\/+$/, '')}/api/${resourcePath(q)}`, {
        credentials: 'include',
        headers: { 'X-Requested-With': 'XMLHttpRequest', Accept: 'application/json' },
    })
        .then(async (res): Promise<EarlyAnswer> => {
            if (!res.ok || !/^application\/json\b/i.test(res.headers.get('Content-Type') ?? '')) return { ok: false }
            return { ok: true, data: await res.json() }
        })
        .catch((): EarlyAnswer => ({ ok: false }))
    registry().set(queryText(q), answer)
    return answer
}

/** The early answer to `q`, once: a later fetch of the same query (a refetch) asks the server. */
export function takeEarly(q: ResourceQuery): Promise<EarlyAnswer> | undefined {
    const key = queryText(q)
    const answer = registry().get(key)
    registry().delete(key)
    return answer
}

/** For tests. */
export function clearEarly(): void {
    registry().clear()
}

import axios, { type AxiosError, type AxiosInstance } from 'axios'
import type { HttpRequestConfig } from '../../config/sources'
import { registerSecret } from '../../report/redact'
import { LedgerSourceError, sourceError } from './errors'

/**
 * Calling a JSON API page by page, shared by the ledger's HTTP sources (http.ts) and the
 * statements' (bridge/reconcile/http-statements.ts): bearer or Basic credentials from the
 * environment (registered for redaction, never kept in an error), retries with back-off on
 * 5xx/429/network failures, paging by page number, offset or next-page cursor.
 */

/** The value at a dotted path ('' = the value itself). */
export function getPath(value: unknown, dotted: string): unknown {
    if (!dotted) return value
    let cur = value
    for (const k of dotted.split('.')) {
        if (cur === null || typeof cur !== 'object') return undefined
        cur = (cur as Record<string, unknown>)[k]
    }
    return cur
}

/** Nested objects → dotted keys; arrays and scalars stay values. */
export function flatten(value: unknown, prefix = '', out: Record<string, unknown> = {}): Record<string, unknown> {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, prefix ? `${prefix}.${k}` : k, out)
    } else if (prefix) out[prefix] = value
    return out
}

const MAX_PAGES = 100_000
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export function authHeader(cfg: HttpRequestConfig, env: NodeJS.ProcessEnv): string | null {
    const a = cfg.auth
    const need = (v: string) => {
        const value = env[v]
        if (!value) throw sourceError(cfg.name, `la variable d'environnement ${v} n'est pas définie (auth)`, `the environment variable ${v} is not set (auth)`)
        registerSecret(value)
        return value
    }
    if (a.type === 'bearer') return `Bearer ${need(a.tokenEnv)}`
    if (a.type === 'basic') {
        const user = a.usernameEnv ? need(a.usernameEnv) : (a.username ?? '')
        const basic = Buffer.from(`${user}:${need(a.passwordEnv)}`).toString('base64')
        registerSecret(basic)
        return `Basic ${basic}`
    }
    return null
}

async function getJson(cfg: HttpRequestConfig, http: AxiosInstance, params: Record<string, unknown>): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
        let failure: string
        try {
            const res = await http.get('', { params })
            if (res.status >= 200 && res.status < 300) {
                try {
                    return typeof res.data === 'string' ? JSON.parse(res.data) : res.data
                } catch {
                    throw sourceError(cfg.name, `réponse qui n'est pas du JSON de ${cfg.url}`, `response from ${cfg.url} is not JSON`)
                }
            }
            if (res.status === 401 || res.status === 403) {
                const which = cfg.auth.type === 'bearer' ? cfg.auth.tokenEnv : cfg.auth.type === 'basic' ? cfg.auth.passwordEnv : null
                throw sourceError(
                    cfg.name,
                    `accès refusé par ${cfg.url} (HTTP ${res.status}) : ${which ? `vérifiez le secret dans la variable d'environnement ${which}` : 'cette API demande une authentification (auth)'}`,
                    `access denied by ${cfg.url} (HTTP ${res.status}): ${which ? `check the secret in the environment variable ${which}` : 'this API needs authentication (auth)'}`
                )
            }
            if (res.status < 500 && res.status !== 429) {
                throw sourceError(cfg.name, `${cfg.url} répond HTTP ${res.status} : vérifiez « url » et « query »`, `${cfg.url} answers HTTP ${res.status}: check "url" and "query"`)
            }
            failure = `HTTP ${res.status}`
        } catch (e) {
            if (e instanceof LedgerSourceError) throw e
            // Never keep axios' error: it carries the request and its Authorization header.
            const ae = e as AxiosError
            failure = ae.code === 'ECONNABORTED' ? 'timeout' : (ae.code ?? 'network error')
        }
        if (attempt >= cfg.retries) {
            throw sourceError(
                cfg.name,
                `${cfg.url} injoignable (${failure}) après ${attempt + 1} essai(s) : le service tourne-t-il ? (timeoutMs = ${cfg.timeoutMs})`,
                `${cfg.url} unreachable (${failure}) after ${attempt + 1} attempt(s): is the service running? (timeoutMs = ${cfg.timeoutMs})`
            )
        }
        await sleep(Math.min(500 * 2 ** attempt, 10_000))
    }
}

/** Every item of every page; `extra` query parameters are added to each request. */
export async function* httpItems(cfg: HttpRequestConfig, env: NodeJS.ProcessEnv, extra: Record<string, unknown>, onTotal?: (total: number | null) => void): AsyncGenerator<unknown> {
    const auth = authHeader(cfg, env)
    const http = axios.create({
        baseURL: cfg.url,
        timeout: cfg.timeoutMs,
        validateStatus: () => true,
        maxRedirects: 3,
        responseType: 'text',
        transformResponse: [(d) => d],
        headers: { Accept: 'application/json', ...cfg.headers, ...(auth ? { Authorization: auth } : {}) },
    })
    const paging = cfg.paging
    let page = paging.type === 'page' ? paging.first : 0
    let offset = 0
    let cursor: string | null = null
    const seenCursors = new Set<string>()
    for (let pages = 0; pages < MAX_PAGES; pages++) {
        const params: Record<string, unknown> = { ...cfg.query, ...extra }
        if (paging.type === 'page') Object.assign(params, { [paging.param]: page, [paging.sizeParam]: paging.size })
        if (paging.type === 'offset') Object.assign(params, { [paging.param]: offset, [paging.sizeParam]: paging.size })
        if (paging.type === 'cursor') {
            if (cursor) params[paging.param] = cursor
            if (paging.sizeParam) params[paging.sizeParam] = paging.size
        }
        const body = await getJson(cfg, http, params)
        const items = getPath(body, cfg.items)
        if (!Array.isArray(items)) {
            throw sourceError(
                cfg.name,
                `la réponse n'a pas de liste à « ${cfg.items || '(racine)'} » : corrigez « items » (chemin pointé vers la liste des paiements)`,
                `the response has no list at "${cfg.items || '(root)'}": fix "items" (dotted path to the list of payments)`
            )
        }
        if (cfg.total) {
            const t = Number(getPath(body, cfg.total))
            onTotal?.(Number.isFinite(t) ? t : null)
        }
        yield* items
        if (paging.type === 'none') break
        if (paging.type === 'cursor') {
            const next = getPath(body, paging.next)
            if (next === null || next === undefined || next === '' || items.length === 0) break
            const key = String(next)
            if (seenCursors.has(key)) {
                throw sourceError(cfg.name, `l'API renvoie deux fois le même curseur de page (${paging.next}) : lecture arrêtée`, `the API returned the same page cursor twice (${paging.next}): read stopped`)
            }
            seenCursors.add(key)
            cursor = key
            continue
        }
        if (items.length < paging.size) break
        page++
        offset += items.length
    }
}

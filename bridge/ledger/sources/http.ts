import { createHash } from 'node:crypto'
import axios, { type AxiosError, type AxiosInstance } from 'axios'
import type { HttpSourceConfig } from '../../config/sources'
import { registerSecret } from '../../report/redact'
import type { StateDb } from '../../state/db'
import type { LedgerItem } from '../csv-source'
import { normaliseRow, type NormaliseContext } from '../normalise'
import { LedgerSourceError, sourceError } from './errors'
import { RecordMapper, resolveMapping } from './mapping'
import type { LedgerSource, SourceDeps } from './source'
import { loadCursor, saveCursor } from './state'
import { newStats, type SourceStats } from './tabular'

/**
 * A billing system's REST API returning JSON: paged by page number, offset or a next-page
 * cursor; bearer or Basic credentials from the environment; items flattened to dotted paths
 * (`facility.code`) and mapped like any other source; optionally one row per element of an
 * array inside each item (a receipt's lines). The since-cursor — the largest value of
 * `since.field` read — is sent as `since.param` next time, once commit() has stored it.
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

/** Later of two since values: ISO date-times by instant, numbers by value, else text order. */
export function laterOf(a: string | number | null, b: string | number): string | number {
    if (a === null) return b
    if (typeof a === 'number' && typeof b === 'number') return b > a ? b : a
    const ta = Date.parse(String(a))
    const tb = Date.parse(String(b))
    if (!Number.isNaN(ta) && !Number.isNaN(tb)) return tb > ta ? b : a
    return String(b) > String(a) ? b : a
}

const MAX_PAGES = 100_000
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export class HttpSource implements LedgerSource {
    readonly stats: SourceStats
    private readonly mapper: RecordMapper
    private readonly signature: string
    private pending: string | number | null = null
    private reached: string | number | null = null
    remaining: number | null = null
    readonly kind = 'http' as const

    constructor(
        private readonly cfg: HttpSourceConfig,
        private readonly db: StateDb,
        private readonly deps: SourceDeps
    ) {
        const mapping = resolveMapping(cfg.preset, cfg.mapping)
        this.mapper = new RecordMapper(mapping, { spreadsheet: false })
        this.stats = newStats(mapping.exclude.length)
        this.signature = createHash('sha256')
            .update(JSON.stringify({ url: cfg.url, since: cfg.since ?? null, items: cfg.items, explode: cfg.explode ?? null }))
            .digest('hex')
            .slice(0, 16)
    }

    get name(): string {
        return this.cfg.name
    }

    position(): string | number | null {
        return this.since()
    }

    /** The since value the next request starts from (stored, or since.start). */
    since(): string | number | null {
        if (!this.cfg.since) return null
        const stored = loadCursor(this.db, this.cfg.name)
        if (stored && stored.signature === this.signature) return (JSON.parse(stored.position) as { since: string | number }).since
        if (stored) {
            this.deps.log({
                fr: `Source ${this.cfg.name} : l'adresse ou le curseur a changé depuis la dernière lecture, tout est relu`,
                en: `Source ${this.cfg.name}: the address or cursor changed since the last read, everything is read again`,
            })
        }
        return this.cfg.since.start ?? null
    }

    private authHeader(): string | null {
        const a = this.cfg.auth
        const env = this.deps.env
        const need = (v: string) => {
            const value = env[v]
            if (!value) throw sourceError(this.cfg.name, `la variable d'environnement ${v} n'est pas définie (auth)`, `the environment variable ${v} is not set (auth)`)
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

    private async get(http: AxiosInstance, params: Record<string, unknown>): Promise<unknown> {
        const cfg = this.cfg
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

    async *read(ctx: NormaliseContext): AsyncGenerator<LedgerItem> {
        const cfg = this.cfg
        this.pending = null
        this.reached = null
        const auth = this.authHeader()
        const http = axios.create({
            baseURL: cfg.url,
            timeout: cfg.timeoutMs,
            validateStatus: () => true,
            maxRedirects: 3,
            responseType: 'text',
            transformResponse: [(d) => d],
            headers: { Accept: 'application/json', ...cfg.headers, ...(auth ? { Authorization: auth } : {}) },
        })
        const since = this.since()
        const meter = this.deps.progress?.(cfg.name) ?? null
        const paging = cfg.paging
        let page = paging.type === 'page' ? paging.first : 0
        let offset = 0
        let cursor: string | null = null
        const seenCursors = new Set<string>()
        let n = 0
        try {
            for (let pages = 0; pages < MAX_PAGES; pages++) {
                const params: Record<string, unknown> = { ...cfg.query }
                if (since !== null && cfg.since) params[cfg.since.param] = since
                if (paging.type === 'page') Object.assign(params, { [paging.param]: page, [paging.sizeParam]: paging.size })
                if (paging.type === 'offset') Object.assign(params, { [paging.param]: offset, [paging.sizeParam]: paging.size })
                if (paging.type === 'cursor') {
                    if (cursor) params[paging.param] = cursor
                    if (paging.sizeParam) params[paging.sizeParam] = paging.size
                }
                const body = await this.get(http, params)
                const items = getPath(body, cfg.items)
                if (!Array.isArray(items)) {
                    throw sourceError(
                        cfg.name,
                        `la réponse n'a pas de liste à « ${cfg.items || '(racine)'} » : corrigez « items » (chemin pointé vers la liste des paiements)`,
                        `the response has no list at "${cfg.items || '(root)'}": fix "items" (dotted path to the list of payments)`
                    )
                }
                if (cfg.total && this.remaining === null) {
                    const t = Number(getPath(body, cfg.total))
                    this.remaining = Number.isFinite(t) ? t : null
                }
                for (const it of items) {
                    for (const item of this.items(it, ++n, ctx)) yield item
                    if (cfg.since) {
                        const v = getPath(it, cfg.since.field)
                        if (typeof v === 'string' || typeof v === 'number') this.reached = laterOf(this.reached, v)
                    }
                    meter?.update(n, this.remaining ? Math.min(1, n / this.remaining) : null)
                }
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
            this.pending = this.reached !== null ? laterOf(since, this.reached) : null
        } finally {
            meter?.done()
        }
    }

    /** One API item → one ledger row, or one per element of `explode`. */
    private *items(it: unknown, n: number, ctx: NormaliseContext): Generator<LedgerItem> {
        const cfg = this.cfg
        const records: Array<{ rec: Record<string, unknown>; lineNo?: string }> = []
        if (cfg.explode) {
            const parent = { ...(it as Record<string, unknown>) }
            const lines = getPath(it, cfg.explode)
            // Remove the array from the parent so that only its elements' fields are mapped.
            const top = cfg.explode.split('.')
            let holder: Record<string, unknown> = parent
            for (let i = 0; i < top.length - 1; i++) {
                holder[top[i]] = { ...(holder[top[i]] as Record<string, unknown>) }
                holder = holder[top[i]] as Record<string, unknown>
            }
            delete holder[top[top.length - 1]]
            const base = flatten(parent)
            if (Array.isArray(lines)) {
                lines.forEach((line, i) => records.push({ rec: { ...base, ...flatten(line, cfg.explode) }, lineNo: String(i + 1) }))
            }
        } else records.push({ rec: flatten(it) })
        for (const { rec, lineNo } of records) {
            this.stats.rows++
            const pos = { file: cfg.name, line: n }
            const out = this.mapper.map(rec, lineNo ? { line_no: lineNo } : undefined)
            if (out.kind === 'excluded') {
                this.stats.excluded++
                this.stats.excludedByRule[out.rule]++
                continue
            }
            if (out.kind === 'error') {
                this.stats.quarantined++
                yield { kind: 'quarantine', entry: { file: pos.file, line: n, column: out.column, reason: out.reason, raw: out.raw } }
                continue
            }
            const r = normaliseRow(out.raw, pos, ctx)
            if (r.ok) this.stats.lines++
            else this.stats.quarantined++
            yield r.ok ? { kind: 'line', line: r.line, pos } : { kind: 'quarantine', entry: r.entry }
        }
    }

    commit(db: StateDb): void {
        if (this.pending === null) return
        saveCursor(db, this.cfg.name, this.signature, JSON.stringify({ since: this.pending }), this.deps.now().toISOString())
        this.pending = null
    }
}

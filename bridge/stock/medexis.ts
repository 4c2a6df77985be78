import axios, { type AxiosError, type AxiosInstance } from 'axios'
import type { Bilingual } from '../domain/line'
import type { StockConfig } from './config'
import { idPathSegment, type OutflowBody } from './records'
import { BridgeError, EXIT } from '../errors'

/**
 * The MEDEXIS HTTP sink (docs/contract.md §4, our documented contract — MEDEXIS publishes no API):
 * `PUT {baseUrl}{path with {id}}`, body = the record, `Idempotency-Key: {id}:{revision}`.
 * 2xx and 409 (already held) are success; 408, 429, 5xx, time-outs and cut connections are
 * retried with back-off; any other 4xx rejects the record.
 */

export interface MedexisCredentials {
    kind: 'bearer' | 'basic' | 'none'
    token?: string
    username?: string
    password?: string
}

export interface MedexisTarget {
    baseUrl: string
    path: string
    credentials: MedexisCredentials
    timeoutMs: number
    retries: number
    retryBaseDelayMs: number
    concurrency: number
}

/** Bad MEDEXIS settings: a configuration problem (exit 2). */
export class MedexisConfigError extends BridgeError {
    constructor(reason: Bilingual) {
        super(reason, EXIT.CONFIG)
    }
}

/** The sink's settings from the configuration and the environment; null when the sink is off. */
export function medexisTarget(cfg: StockConfig, env: NodeJS.ProcessEnv = process.env): MedexisTarget | null {
    const m = cfg.medexis
    const raw = env.MEDEXIS_BASE_URL?.trim() || m.baseUrl
    if (m.enabled === false || !raw) {
        if (m.enabled === true && !raw) {
            throw new MedexisConfigError({
                fr: 'Puits MEDEXIS activé sans adresse : définissez MEDEXIS_BASE_URL ou stock.medexis.baseUrl',
                en: 'MEDEXIS sink enabled without an address: set MEDEXIS_BASE_URL or stock.medexis.baseUrl',
            })
        }
        return null
    }
    let baseUrl: string
    try {
        const u = new URL(raw)
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('protocol')
        baseUrl = u.toString().replace(/\/+$/, '')
    } catch {
        // Never echo credentials someone put in the URL.
        const shown = raw.replace(/\/\/[^/@]*@/, '//***@')
        throw new MedexisConfigError({
            fr: `MEDEXIS_BASE_URL invalide « ${shown} » : attendu http(s)://hote[/chemin]`,
            en: `Invalid MEDEXIS_BASE_URL "${shown}": expected http(s)://host[/path]`,
        })
    }
    const token = env.MEDEXIS_TOKEN?.trim()
    const username = env.MEDEXIS_USERNAME?.trim()
    const password = env.MEDEXIS_PASSWORD
    let credentials: MedexisCredentials = { kind: 'none' }
    const want = m.auth
    if ((want === 'auto' || want === 'bearer') && token) credentials = { kind: 'bearer', token }
    else if ((want === 'auto' || want === 'basic') && username && password) credentials = { kind: 'basic', username, password }
    else if (want === 'bearer' || want === 'basic') {
        throw new MedexisConfigError({
            fr: want === 'bearer' ? 'Authentification MEDEXIS « bearer » : définissez MEDEXIS_TOKEN' : 'Authentification MEDEXIS « basic » : définissez MEDEXIS_USERNAME et MEDEXIS_PASSWORD',
            en: want === 'bearer' ? 'MEDEXIS "bearer" authentication: set MEDEXIS_TOKEN' : 'MEDEXIS "basic" authentication: set MEDEXIS_USERNAME and MEDEXIS_PASSWORD',
        })
    }
    return { baseUrl, path: m.path, credentials, timeoutMs: m.timeoutMs, retries: m.retries, retryBaseDelayMs: m.retryBaseDelayMs, concurrency: m.concurrency }
}

export type PutOutcome =
    | { kind: 'delivered'; status: number; attempts: number }
    | { kind: 'rejected'; status: number; reason: Bilingual; attempts: number }
    /** Still failing after the retries. `maybeDelivered`: the server may have stored it (no answer came back). */
    | { kind: 'unreachable'; status: number | null; reason: Bilingual; attempts: number; maybeDelivered: boolean; auth?: boolean }

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A short, safe excerpt of a refusal body for the report (never headers, never the request). */
function excerpt(data: unknown): string {
    if (typeof data !== 'string' || !data.trim()) return ''
    let text = data.trim()
    try {
        const j = JSON.parse(text) as Record<string, unknown>
        const msg = j.message ?? j.error ?? j.detail ?? j.title
        if (typeof msg === 'string') text = msg
    } catch {
        /* plain text */
    }
    text = text.replace(/\s+/g, ' ')
    return text.length > 200 ? `${text.slice(0, 200)}…` : text
}

export class MedexisSink {
    private readonly http: AxiosInstance
    readonly requests = { count: 0 }

    constructor(private readonly target: MedexisTarget) {
        const headers: Record<string, string> = { Accept: 'application/json', 'Content-Type': 'application/json' }
        const c = target.credentials
        if (c.kind === 'bearer') headers.Authorization = `Bearer ${c.token}`
        if (c.kind === 'basic') headers.Authorization = `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`
        this.http = axios.create({
            timeout: target.timeoutMs,
            maxRedirects: 0,
            validateStatus: () => true,
            responseType: 'text',
            transformResponse: [(d) => d],
            headers,
        })
    }

    pathFor(id: string): string {
        return this.target.path.replace('{id}', idPathSegment(id))
    }

    /** One record, with its retries. Never throws for HTTP or network trouble. */
    async put(body: OutflowBody): Promise<PutOutcome> {
        const url = this.pathFor(body.id)
        const payload = JSON.stringify(body)
        const key = `${body.id}:${body.revision}`
        const maxDelay = Math.max(this.target.retryBaseDelayMs * 32, 1_000)
        let maybeDelivered = false
        for (let attempt = 0; ; attempt++) {
            let status: number | null = null
            let failure: string
            let data: unknown
            try {
                this.requests.count++
                const res = await this.http.request<string>({ method: 'PUT', url: this.target.baseUrl + url, data: payload, headers: { 'Idempotency-Key': key } })
                status = res.status
                data = res.data
                failure = `HTTP ${status}`
            } catch (e) {
                // axios' error carries the request and its Authorization header: keep only the code.
                const err = e as AxiosError
                failure = err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT' ? 'timeout' : (err.code ?? 'network error')
                // No answer: the server may have stored the record before the connection went.
                if (failure !== 'ECONNREFUSED' && failure !== 'ENOTFOUND' && failure !== 'EAI_AGAIN') maybeDelivered = true
            }
            if (status !== null && ((status >= 200 && status < 300) || status === 409)) return { kind: 'delivered', status, attempts: attempt + 1 }
            const transient = status === null || status >= 500 || status === 408 || status === 429
            if (status !== null && !transient) {
                const detail = excerpt(data)
                if (status === 401 || status === 403) {
                    // Not the record's fault: it waits in the outbox until the credentials are fixed.
                    return {
                        kind: 'unreachable',
                        status,
                        attempts: attempt + 1,
                        maybeDelivered,
                        auth: true,
                        reason: {
                            fr: `MEDEXIS a refusé l'authentification (HTTP ${status}) : vérifiez MEDEXIS_TOKEN ou MEDEXIS_USERNAME/MEDEXIS_PASSWORD${detail ? ` — ${detail}` : ''}`,
                            en: `MEDEXIS refused the authentication (HTTP ${status}): check MEDEXIS_TOKEN or MEDEXIS_USERNAME/MEDEXIS_PASSWORD${detail ? ` — ${detail}` : ''}`,
                        },
                    }
                }
                return {
                    kind: 'rejected',
                    status,
                    attempts: attempt + 1,
                    reason: { fr: `MEDEXIS a refusé l'enregistrement (HTTP ${status})${detail ? ` : ${detail}` : ''}`, en: `MEDEXIS refused the record (HTTP ${status})${detail ? `: ${detail}` : ''}` },
                }
            }
            if (attempt >= this.target.retries) {
                return {
                    kind: 'unreachable',
                    status,
                    attempts: attempt + 1,
                    maybeDelivered,
                    auth: false,
                    reason: {
                        fr: `MEDEXIS injoignable (${failure}) pour PUT ${url} après ${attempt + 1} tentative(s)`,
                        en: `MEDEXIS unreachable (${failure}) for PUT ${url} after ${attempt + 1} attempt(s)`,
                    },
                }
            }
            const backoff = Math.min(this.target.retryBaseDelayMs * 2 ** attempt, maxDelay)
            await sleep(Math.round(backoff / 2 + Math.random() * (backoff / 2)))
        }
    }
}

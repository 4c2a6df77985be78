import https from 'node:https'
import tls from 'node:tls'
import axios, { AxiosError, type AxiosInstance, type AxiosResponse, type Method } from 'axios'
import type { Dhis2Credentials } from '../config/load'
import type { Bilingual } from '../domain/line'
import { BridgeError, EXIT } from '../errors'

/** DHIS2 could not be reached (network, time-out, 5xx, 429) even after the retries: exit 4. */
export class Dhis2UnreachableError extends BridgeError {
    constructor(reason: Bilingual, readonly status?: number) {
        super(reason, EXIT.UNREACHABLE)
    }
}
/** DHIS2 refused who we are (401) or what we asked (403): a configuration problem, exit 2. */
export class Dhis2AuthError extends BridgeError {
    constructor(reason: Bilingual, readonly status: number) {
        super(reason, EXIT.CONFIG)
    }
}
/**
 * DHIS2's TLS certificate was not trusted (self-signed, private CA, wrong host name, expired).
 * Verification is never turned off: a configuration problem (dhis2.caFile), exit 2, not retried.
 */
export class Dhis2TlsError extends Dhis2AuthError {}

/** OpenSSL / Node codes of a certificate that does not verify. */
const TLS_TRUST_CODES = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|HOSTNAME_MISMATCH/
/** Any other answer the bridge cannot use (4xx other than 409, HTML instead of JSON…): exit 1. */
export class Dhis2ResponseError extends BridgeError {
    constructor(reason: Bilingual, readonly status: number, readonly body?: unknown) {
        super(reason, EXIT.UNEXPECTED)
    }
}

export interface Dhis2ClientOptions {
    baseUrl: string
    credentials: Dhis2Credentials
    timeoutMs: number
    retries: number
    retryBaseDelayMs: number
    /** PEM bundle of a private CA, trusted in addition to the usual roots (dhis2.caFile). */
    ca?: string
    /** Called before each retry, for the run report. */
    onRetry?: (info: { attempt: number; delayMs: number; reason: string; path: string }) => void
}

export interface Dhis2Response<T = unknown> {
    status: number
    data: T
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function authHeader(c: Dhis2Credentials): string {
    if (c.kind === 'token') return `ApiToken ${c.token}`
    return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`
}

/** Retry-After is seconds or an HTTP date; capped so a hostile header cannot park the bridge. */
function retryAfterMs(value: unknown, cap: number): number | null {
    if (typeof value !== 'string' || !value.trim()) return null
    const seconds = Number(value)
    if (Number.isFinite(seconds)) return Math.min(Math.max(0, seconds * 1000), cap)
    const at = Date.parse(value)
    return Number.isNaN(at) ? null : Math.min(Math.max(0, at - Date.now()), cap)
}

function describeNetworkError(e: AxiosError): string {
    if (e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT') return 'timeout'
    return e.code ?? e.message
}

/**
 * Thin HTTP client for the DHIS2 Web API: absolute /api paths under the base URL (which may
 * carry a context path), JSON only, no redirects followed (an anonymous request is answered
 * with a 302 to the login page, which fetch/axios would otherwise turn into a 200 HTML page),
 * and bounded retries with exponential back-off and jitter on what a later try may fix.
 */
export class Dhis2Client {
    private readonly http: AxiosInstance
    readonly requests = { count: 0, bytesSent: 0 }

    constructor(private readonly opts: Dhis2ClientOptions) {
        this.http = axios.create({
            baseURL: `${opts.baseUrl.replace(/\/+$/, '')}/api/`,
            timeout: opts.timeoutMs,
            maxRedirects: 0,
            // Never rejectUnauthorized: false. A private CA is added to the usual roots, not put in their place.
            httpsAgent: opts.ca ? new https.Agent({ ca: [...tls.rootCertificates, opts.ca], keepAlive: true }) : undefined,
            validateStatus: () => true,
            // Parse ourselves: an HTML login page must be recognised, not silently accepted.
            responseType: 'text',
            transformResponse: [(d) => d],
            headers: {
                Accept: 'application/json',
                'X-Requested-With': 'XMLHttpRequest',
                Authorization: authHeader(opts.credentials),
            },
        })
    }

    get<T = unknown>(path: string, params?: Record<string, string | number | boolean | string[]>) {
        return this.request<T>('GET', path, undefined, params)
    }

    post<T = unknown>(path: string, body: unknown, params?: Record<string, string | number | boolean>) {
        return this.request<T>('POST', path, body, params)
    }

    put<T = unknown>(path: string, body: unknown, params?: Record<string, string | number | boolean>) {
        return this.request<T>('PUT', path, body, params)
    }

    /**
     * One logical request. Resolves with any 2xx and with 409 (DHIS2 answers partial imports
     * and business errors with 409 and a JSON body that the caller must judge); throws typed
     * errors for everything else.
     */
    async request<T>(
        method: Method,
        path: string,
        body?: unknown,
        params?: Record<string, string | number | boolean | string[]>
    ): Promise<Dhis2Response<T>> {
        const relative = path.replace(/^\/+/, '').replace(/^api\//, '')
        const payload = body === undefined ? undefined : JSON.stringify(body)
        const maxDelay = Math.max(this.opts.retryBaseDelayMs * 32, 1_000)
        for (let attempt = 0; ; attempt++) {
            let res: AxiosResponse<string> | undefined
            let failure: string
            let hintedDelay: number | null = null
            try {
                this.requests.count++
                this.requests.bytesSent += payload ? Buffer.byteLength(payload) : 0
                res = await this.http.request<string>({
                    method,
                    url: relative,
                    params,
                    paramsSerializer: { indexes: null },
                    data: payload,
                    headers: payload ? { 'Content-Type': 'application/json' } : undefined,
                })
            } catch (e) {
                // Never let axios' error (which carries the request config and its
                // Authorization header) escape: keep only the code.
                failure = describeNetworkError(e as AxiosError)
                res = undefined
                if (TLS_TRUST_CODES.test(failure)) {
                    throw new Dhis2TlsError(
                        {
                            fr: `Certificat TLS de DHIS2 refusé (${failure}) pour ${method} /api/${relative} : la vérification reste active ; si le serveur utilise une autorité de certification privée, indiquez son certificat (PEM) dans dhis2.caFile`,
                            en: `DHIS2's TLS certificate was refused (${failure}) for ${method} /api/${relative}: verification stays on; if the server uses a private certificate authority, give its certificate (PEM) in dhis2.caFile`,
                        },
                        0
                    )
                }
            }
            if (res) {
                const status = res.status
                if (status === 429 || status >= 500) {
                    failure = `HTTP ${status}`
                    hintedDelay = retryAfterMs(res.headers['retry-after'], maxDelay * 4)
                } else {
                    return this.interpret<T>(method, relative, res)
                }
            }
            if (attempt >= this.opts.retries) {
                throw new Dhis2UnreachableError(
                    {
                        fr: `DHIS2 injoignable (${failure!}) pour ${method} /api/${relative} après ${attempt + 1} tentative(s)`,
                        en: `DHIS2 unreachable (${failure!}) for ${method} /api/${relative} after ${attempt + 1} attempt(s)`,
                    },
                    res?.status
                )
            }
            const backoff = Math.min(this.opts.retryBaseDelayMs * 2 ** attempt, maxDelay)
            const delayMs = hintedDelay ?? Math.round(backoff / 2 + Math.random() * (backoff / 2))
            this.opts.onRetry?.({ attempt: attempt + 1, delayMs, reason: failure!, path: `/api/${relative}` })
            await sleep(delayMs)
        }
    }

    private interpret<T>(method: Method, path: string, res: AxiosResponse<string>): Dhis2Response<T> {
        const status = res.status
        const type = String(res.headers['content-type'] ?? '')
        const text = res.data ?? ''
        if (status >= 300 && status < 400) {
            throw new Dhis2AuthError(
                {
                    fr: `DHIS2 a redirigé ${method} /api/${path} vers ${res.headers.location ?? 'une page de connexion'} : identifiants refusés ou absents`,
                    en: `DHIS2 redirected ${method} /api/${path} to ${res.headers.location ?? 'a login page'}: credentials missing or refused`,
                },
                status
            )
        }
        let data: unknown = undefined
        if (text.length > 0) {
            if (!/json/i.test(type) && /^\s*</.test(text)) {
                throw new Dhis2ResponseError(
                    {
                        fr: `DHIS2 a répondu par une page HTML (HTTP ${status}) à ${method} /api/${path} : mauvaise adresse DHIS2_BASE_URL ou page de connexion`,
                        en: `DHIS2 answered ${method} /api/${path} with an HTML page (HTTP ${status}): wrong DHIS2_BASE_URL or a login page`,
                    },
                    status
                )
            }
            try {
                data = JSON.parse(text)
            } catch {
                throw new Dhis2ResponseError(
                    {
                        fr: `Réponse DHIS2 illisible (HTTP ${status}) à ${method} /api/${path}`,
                        en: `Unreadable DHIS2 response (HTTP ${status}) to ${method} /api/${path}`,
                    },
                    status
                )
            }
        }
        const message = (data as { message?: string } | undefined)?.message
        if (status === 401 || status === 403) {
            const what = status === 401 ? { fr: 'identifiants refusés', en: 'credentials refused' } : { fr: 'accès refusé', en: 'access denied' }
            throw new Dhis2AuthError(
                {
                    fr: `DHIS2 : ${what.fr} (HTTP ${status}) pour ${method} /api/${path}${message ? ` : ${message}` : ''}`,
                    en: `DHIS2: ${what.en} (HTTP ${status}) for ${method} /api/${path}${message ? `: ${message}` : ''}`,
                },
                status
            )
        }
        if (status >= 400 && status !== 409) {
            throw new Dhis2ResponseError(
                {
                    fr: `DHIS2 a refusé ${method} /api/${path} (HTTP ${status})${message ? ` : ${message}` : ''}`,
                    en: `DHIS2 refused ${method} /api/${path} (HTTP ${status})${message ? `: ${message}` : ''}`,
                },
                status,
                data
            )
        }
        return { status, data: data as T }
    }
}

import crypto from 'node:crypto'
import http from 'node:http'
import type { Health } from '../../contract/health'
import type { Bilingual } from '../domain/line'
import type { PageData, PageLang } from './page'
import { renderMain, renderPage } from './page'

/**
 * The scheduler's HTTP port (docs/installing.md §6): `/` the IT officer's page, `/healthz`,
 * `/metrics`, `/quarantine.csv`, and two POST actions. Loopback by default; bound elsewhere, every
 * request needs the configured token (Bearer header, or `?token=` once, which sets a cookie).
 * The actions are protected against cross-site requests: same origin (Origin / Sec-Fetch-Site)
 * and a per-process CSRF token that only the page carries.
 */
export interface HttpHandlers {
    health(): Health
    metrics(): Promise<{ body: string; contentType: string }>
    page(): PageData
    quarantineCsv(): string
    /** Starts a run; false when one is already running. */
    action(kind: 'sync' | 'retry'): boolean
}

export interface HttpOptions {
    host: string
    port: number
    /** Required when host is not loopback (checked by the caller). */
    token: string | null
}

export function isLoopback(host: string): boolean {
    return host === 'localhost' || host === '::1' || /^127\./.test(host)
}

const COOKIE = 'revenue_bridge_token'

function sameToken(a: string, b: string): boolean {
    const x = Buffer.from(a)
    const y = Buffer.from(b)
    return x.length === y.length && crypto.timingSafeEqual(x, y)
}

function pickPageLang(req: http.IncomingMessage, url: URL): PageLang {
    const q = url.searchParams.get('lang')
    if (q === 'fr' || q === 'en') return q
    return /^en\b/i.test(req.headers['accept-language'] ?? '') ? 'en' : 'fr'
}

function readBody(req: http.IncomingMessage): Promise<string> {
    return new Promise((resolve) => {
        let body = ''
        req.on('data', (c) => {
            if (body.length < 4096) body += c
        })
        req.on('end', () => resolve(body))
    })
}

export async function startHttp(opts: HttpOptions, h: HttpHandlers): Promise<{ server: http.Server; address: string }> {
    const csrf = crypto.randomBytes(24).toString('base64url')

    const authorised = (req: http.IncomingMessage, url: URL): 'ok' | 'set-cookie' | 'no' => {
        if (!opts.token) return 'ok'
        const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]
        if (bearer && sameToken(bearer, opts.token)) return 'ok'
        const cookie = (req.headers.cookie ?? '').split(/;\s*/).find((c) => c.startsWith(`${COOKIE}=`))?.slice(COOKIE.length + 1)
        if (cookie && sameToken(decodeURIComponent(cookie), opts.token)) return 'ok'
        const q = url.searchParams.get('token')
        if (q && req.method === 'GET' && sameToken(q, opts.token)) return 'set-cookie'
        return 'no'
    }

    /** Same origin only: a browser sends Origin and Sec-Fetch-Site on a POST; another site's form fails both. */
    const sameOrigin = (req: http.IncomingMessage): boolean => {
        const site = req.headers['sec-fetch-site']
        if (site && site !== 'same-origin' && site !== 'none') return false
        const origin = req.headers.origin
        if (origin && origin !== `http://${req.headers.host}`) return false
        return true
    }

    const server = http.createServer(async (req, res) => {
        try {
            const url = new URL(req.url ?? '/', 'http://bridge.invalid')
            const lang = pickPageLang(req, url)
            const auth = authorised(req, url)
            if (auth === 'no') {
                res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Bearer' })
                return res.end('Jeton requis : ouvrez /?token=… (schedule.http.tokenFile) / Token required: open /?token=… (schedule.http.tokenFile)\n')
            }
            if (auth === 'set-cookie') {
                // The token leaves the address bar at once; the cookie is for this site and HTTP only.
                res.writeHead(303, { Location: `/?lang=${lang}`, 'Set-Cookie': `${COOKIE}=${encodeURIComponent(opts.token!)}; HttpOnly; SameSite=Strict; Path=/` })
                return res.end()
            }
            const common = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' }
            if (req.method === 'GET' && url.pathname === '/metrics') {
                const m = await h.metrics()
                res.writeHead(200, { ...common, 'Content-Type': m.contentType })
                return res.end(m.body)
            }
            if (req.method === 'GET' && url.pathname === '/healthz') {
                const health = h.health()
                res.writeHead(health.status === 'failing' ? 503 : 200, { ...common, 'Content-Type': 'application/json' })
                return res.end(JSON.stringify(health))
            }
            if (req.method === 'GET' && (url.pathname === '/' || url.pathname === '/fragment')) {
                const data = h.page()
                const html = url.pathname === '/' ? renderPage(data, lang, csrf) : renderMain(data, lang)
                res.writeHead(200, {
                    ...common,
                    'Content-Type': 'text/html; charset=utf-8',
                    'Content-Security-Policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
                    'X-Frame-Options': 'DENY',
                    'Referrer-Policy': 'no-referrer',
                })
                return res.end(html)
            }
            if (req.method === 'GET' && url.pathname === '/quarantine.csv') {
                res.writeHead(200, { ...common, 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="quarantaine.csv"' })
                return res.end(h.quarantineCsv())
            }
            const action = /^\/actions\/(sync|retry)$/.exec(url.pathname)?.[1] as 'sync' | 'retry' | undefined
            if (req.method === 'POST' && action) {
                const body = await readBody(req)
                const token = (req.headers['x-csrf-token'] as string | undefined) ?? new URLSearchParams(body).get('csrf') ?? ''
                if (!sameOrigin(req) || !sameToken(token, csrf)) {
                    res.writeHead(403, { ...common, 'Content-Type': 'application/json' })
                    const message: Bilingual = { fr: 'Requête refusée (origine ou jeton de formulaire)', en: 'Request refused (origin or form token)' }
                    return res.end(JSON.stringify({ started: false, message }))
                }
                const started = h.action(action)
                const message: Bilingual = started
                    ? action === 'sync'
                        ? { fr: 'Synchronisation lancée', en: 'Sync started' }
                        : { fr: 'Renvoi des valeurs en attente lancé', en: 'Resending the values waiting' }
                    : { fr: 'Une synchronisation est déjà en cours', en: 'A sync is already running' }
                // The page's script asks for JSON; a form posted without script comes back to the page.
                if (req.headers['x-csrf-token']) {
                    res.writeHead(started ? 202 : 409, { ...common, 'Content-Type': 'application/json' })
                    return res.end(JSON.stringify({ started, message }))
                }
                res.writeHead(303, { ...common, Location: `/?lang=${lang}` })
                return res.end()
            }
            res.writeHead(404, common).end()
        } catch (e) {
            res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String((e as Error).message ?? e))
        }
    })
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(opts.port, opts.host, resolve)
    })
    const a = server.address()
    const address = a && typeof a === 'object' ? `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}` : ''
    return { server, address }
}

/**
 * Test faults and request recording: `failNext` bursts (nginx-like HTML for 502/503/504, JSON
 * otherwise, optional Retry-After), `dropNext` (socket destroyed after the body is read), a
 * latency added to every response (a test's, plus the link's: standin/link.ts), and the log of every request (Authorization removed).
 */
import type { NextFunction, Request, Response } from 'express'
import { REASON, webMessage } from './http'
import { type Link, slowLink } from './link'

export interface FailNext {
    count: number
    status: number
    path?: string
    retryAfter?: number
    body?: string
}

export interface DropNext {
    count: number
    path?: string
}

export interface FaultsConfig {
    failNext?: FailNext
    dropNext?: DropNext
    latencyMs?: number
    clear?: boolean
}

export interface RecordedRequest {
    method: string
    path: string
    query: Record<string, unknown>
    headers: Record<string, string | string[] | undefined>
    body: string
    time: string
}

const NGINX_TITLE: Record<number, string> = { 502: '502 Bad Gateway', 503: '503 Service Temporarily Unavailable', 504: '504 Gateway Time-out' }

export function nginxPage(status: number): string {
    const title = NGINX_TITLE[status] ?? `${status} ${REASON[status] ?? 'Error'}`
    return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`
}

/** Login bodies carry passwords: never keep them in the log. */
function redact(path: string, body: string): string {
    if (/\/auth\/login$/.test(path)) return body.replace(/("password"\s*:\s*")((?:[^"\\]|\\.)*)"/g, '$1[redacted]"')
    if (/login\.action$/.test(path)) return body.replace(/(j_password=)[^&]*/g, '$1[redacted]')
    return body
}

export class Faults {
    fail: FailNext[] = []
    drop: DropNext[] = []
    latencyMs = 0
    requests: RecordedRequest[] = []

    /** The link's own latency (an option of the stand-in): kept by clear(), unlike a test's `latencyMs`. */
    constructor(readonly link: Link = slowLink(0)) {}

    configure(cfg: FaultsConfig): void {
        if (cfg.clear) this.clear()
        if (cfg.failNext) {
            const f = cfg.failNext
            if (!(f.count > 0) || !(f.status >= 100 && f.status <= 599)) throw new Error('failNext needs count > 0 and an HTTP status')
            this.fail.push({ ...f })
        }
        if (cfg.dropNext) {
            if (!(cfg.dropNext.count > 0)) throw new Error('dropNext needs count > 0')
            this.drop.push({ ...cfg.dropNext })
        }
        if (cfg.latencyMs !== undefined) this.latencyMs = Math.max(0, Number(cfg.latencyMs) || 0)
    }

    clear(): void {
        this.fail = []
        this.drop = []
        this.latencyMs = 0
    }

    private take<T extends { count: number; path?: string }>(list: T[], paths: string[]): T | undefined {
        const rule = list.find((r) => r.count > 0 && (!r.path || paths.some((p) => p.startsWith(r.path!))))
        if (rule) {
            rule.count--
            if (rule.count <= 0) list.splice(list.indexOf(rule), 1)
        }
        return rule
    }

    /** Runs after the body was read and before routing. */
    middleware() {
        return (req: Request, res: Response, next: NextFunction) => {
            if (req.path.startsWith('/__standin')) return next()
            const headers = { ...req.headers }
            delete headers.authorization
            this.requests.push({
                method: req.method,
                path: req.path,
                query: { ...(req.query as Record<string, unknown>) },
                headers,
                body: redact(req.path, req.rawBody ?? ''),
                time: new Date().toISOString(),
            })
            const normalised = req.path.replace(/^\/api\/\d+(?=\/|$)/, '/api')
            const paths = [req.path, normalised]
            const proceed = () => {
                if (this.take(this.drop, paths)) {
                    req.socket.destroy()
                    return
                }
                const fail = this.take(this.fail, paths)
                if (fail) {
                    if (fail.retryAfter !== undefined) res.setHeader('Retry-After', String(fail.retryAfter))
                    res.status(fail.status)
                    if (fail.body !== undefined) {
                        res.setHeader('Content-Type', fail.body.trim().startsWith('{') ? 'application/json;charset=UTF-8' : 'text/html')
                        return res.send(fail.body)
                    }
                    if (fail.status === 502 || fail.status === 503 || fail.status === 504) {
                        res.setHeader('Content-Type', 'text/html')
                        return res.send(nginxPage(fail.status))
                    }
                    res.setHeader('Content-Type', 'application/json;charset=UTF-8')
                    return res.send(JSON.stringify(webMessage(fail.status, 'ERROR', REASON[fail.status] ?? 'Error', { errorCode: null })))
                }
                next()
            }
            const wait = this.latencyMs + this.link.delayFor(req)
            if (wait > 0) setTimeout(proceed, wait)
            else proceed()
        }
    }
}

/**
 * A fault-injecting HTTP proxy in front of the DHIS2 stand-in, for the faults the stand-in's own
 * hooks cannot express: a fault on one path only (latency on POST /api/dataValueSets but not on
 * /api/system/info), a request held in flight until the test lets it go, an answer computed by the
 * server but never delivered, a hook when the n-th answer has been written, and the server "going
 * away" (listening socket closed, then opened again on the same port, the stand-in's state kept).
 * The bridge talks to the proxy exactly as to DHIS2; the stand-in still does all the DHIS2 work.
 */
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo, Socket } from 'node:net'

export interface Match {
    method?: string
    /** Prefix of the path (query excluded), e.g. '/api/dataValueSets'. */
    path: string
}

interface Rule {
    match: Match
    /** How many requests it still applies to. */
    remaining: number
    kind: 'delay' | 'hold' | 'swallowAnswer' | 'afterAnswer'
    delayMs?: number
    /** afterAnswer: called once the answer has been written to the client. */
    onAnswered?: (n: number) => void
    /** afterAnswer: the answer count that triggers onAnswered (1-based), counting matching answers. */
    nth?: number
    seen?: number
}

export interface Held {
    method: string
    path: string
    /** Forward it to the stand-in now (the server does the work even if the client is gone). */
    release(): Promise<void>
    /** Never forward it (as if the request was lost before the server): the client's socket is destroyed. */
    drop(): void
}

function matches(m: Match, req: http.IncomingMessage): boolean {
    const path = (req.url ?? '').split('?')[0]
    return (!m.method || m.method === req.method) && path.startsWith(m.path)
}

export class FaultProxy {
    private server: http.Server | null = null
    private readonly sockets = new Set<Socket>()
    private rules: Rule[] = []
    private holdWaiters: Array<{ match: Match; resolve: (h: Held) => void }> = []
    /** Requests forwarded and not yet answered by the stand-in (to wait for stragglers). */
    private inFlight = new Set<Promise<unknown>>()
    readonly log: Array<{ method: string; path: string; at: number; outcome: string }> = []
    port = 0

    /** With `tls` (key and certificate, PEM), the proxy speaks HTTPS to its clients. */
    constructor(
        private readonly target: string,
        private readonly tls?: { key: string; cert: string }
    ) {}

    get url(): string {
        return `${this.tls ? 'https' : 'http'}://127.0.0.1:${this.port}`
    }

    async start(port = this.port): Promise<void> {
        const handler = (req: http.IncomingMessage, res: http.ServerResponse) => this.handle(req, res)
        const server = this.tls ? https.createServer(this.tls, handler) : http.createServer(handler)
        server.on('connection', (s) => {
            this.sockets.add(s)
            s.on('close', () => this.sockets.delete(s))
        })
        await new Promise<void>((resolve, reject) => {
            server.once('error', reject)
            server.listen(port, '127.0.0.1', () => resolve())
        })
        this.server = server
        this.port = (server.address() as AddressInfo).port
    }

    /** The server goes away: no more connections accepted, open ones cut. */
    async stop(): Promise<void> {
        const s = this.server
        this.server = null
        if (!s) return
        for (const sock of this.sockets) sock.destroy()
        await new Promise<void>((r) => s.close(() => r()))
    }

    clear(): void {
        this.rules = []
    }

    /** Adds `ms` before forwarding the next `count` matching requests. */
    delay(match: Match, ms: number, count = Infinity): void {
        this.rules.push({ match, remaining: count, kind: 'delay', delayMs: ms })
    }

    /** The server computes the answer to the next `count` matching requests, and the connection drops before it is delivered. */
    swallowAnswer(match: Match, count = 1): void {
        this.rules.push({ match, remaining: count, kind: 'swallowAnswer' })
    }

    /** Calls `fn` right after the n-th matching answer was written to the client. */
    afterAnswer(match: Match, nth: number, fn: (n: number) => void): void {
        this.rules.push({ match, remaining: Infinity, kind: 'afterAnswer', nth, seen: 0, onAnswered: fn })
    }

    /** Holds the next matching request; resolves when it arrives. */
    hold(match: Match): Promise<Held> {
        this.rules.push({ match, remaining: 1, kind: 'hold' })
        return new Promise((resolve) => this.holdWaiters.push({ match, resolve }))
    }

    /** Waits until every request forwarded to the stand-in has been answered by it. */
    async drain(): Promise<void> {
        while (this.inFlight.size) await Promise.allSettled([...this.inFlight])
    }

    private take(req: http.IncomingMessage, kind: Rule['kind']): Rule | undefined {
        const rule = this.rules.find((r) => r.kind === kind && r.remaining > 0 && matches(r.match, req))
        if (rule && rule.kind !== 'afterAnswer') {
            rule.remaining--
            if (rule.remaining <= 0) this.rules.splice(this.rules.indexOf(rule), 1)
        }
        return rule
    }

    private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
        const chunks: Buffer[] = []
        req.on('data', (c: Buffer) => chunks.push(c))
        req.on('end', () => {
            const body = Buffer.concat(chunks)
            const entry = { method: req.method ?? '', path: (req.url ?? '').split('?')[0], at: Date.now(), outcome: 'forwarded' }
            this.log.push(entry)
            const hold = this.take(req, 'hold')
            const delay = this.take(req, 'delay')
            const swallow = this.take(req, 'swallowAnswer')
            const after = this.take(req, 'afterAnswer')
            const go = () => this.forward(req, body, res, { swallow: !!swallow, after })
            if (hold) {
                entry.outcome = 'held'
                const i = this.holdWaiters.findIndex((w) => matches(w.match, req))
                const waiter = this.holdWaiters.splice(i, 1)[0]
                waiter.resolve({
                    method: entry.method,
                    path: entry.path,
                    release: () => go(),
                    drop: () => {
                        entry.outcome = 'dropped'
                        req.socket.destroy()
                    },
                })
                return
            }
            if (delay) {
                entry.outcome = `delayed ${delay.delayMs} ms`
                setTimeout(() => void go(), delay.delayMs)
                return
            }
            void go()
        })
    }

    /** Forwards to the stand-in; the stand-in's work happens whether or not the client is still there. */
    private forward(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse, opts: { swallow: boolean; after?: Rule }): Promise<void> {
        const p = new Promise<void>((resolve) => {
            const headers = { ...req.headers, host: new URL(this.target).host, 'content-length': String(body.length) }
            const upstream = http.request(`${this.target}${req.url}`, { method: req.method, headers }, (up) => {
                const parts: Buffer[] = []
                up.on('data', (c: Buffer) => parts.push(c))
                up.on('end', () => {
                    resolve()
                    if (opts.swallow) {
                        req.socket.destroy()
                        return
                    }
                    if (res.destroyed || req.socket.destroyed) return
                    const out = Buffer.concat(parts)
                    const h = { ...up.headers }
                    delete h['transfer-encoding']
                    h['content-length'] = String(out.length)
                    res.writeHead(up.statusCode ?? 502, h)
                    res.end(out, () => {
                        const rule = opts.after
                        if (!rule) return
                        rule.seen = (rule.seen ?? 0) + 1
                        if (rule.seen === rule.nth) rule.onAnswered?.(rule.seen)
                    })
                })
            })
            upstream.on('error', () => {
                resolve()
                req.socket.destroy()
            })
            upstream.end(body)
        })
        this.inFlight.add(p)
        void p.finally(() => this.inFlight.delete(p))
        return p
    }
}

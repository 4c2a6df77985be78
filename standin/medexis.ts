import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import express, { type Request, type Response } from 'express'
import { slowLink } from './link'

/**
 * A small recording MEDEXIS endpoint for tests and the demo (MEDEXIS publishes no API; this
 * follows the bridge's documented contract, docs/contract.md §4):
 * `PUT /stock-outflows/:id` (any path with the id as one of its segments is accepted), JSON body, header
 * `Idempotency-Key: {id}:{revision}`. Answers 201 for a new id, 200 for a new revision of a
 * known id, 409 for an idempotency key it already holds (whatever the body), 400 for a body that
 * is not a record, 401 without the expected bearer token or Basic credentials (when set).
 * Every PUT received is recorded in order, faults included, without its Authorization header.
 */

export interface RecordedPut {
    method: string
    path: string
    /** Lower-case header names; Authorization is never kept. */
    headers: Record<string, string>
    body: unknown
    /** What the recorder answered; null when it cut the connection. */
    status: number | null
    at: string
}

export interface MedexisRecorder {
    url: string
    close(): Promise<void>
    records: RecordedPut[]
    /** Latest body held per record id (what a real MEDEXIS would hold). */
    held: Map<string, unknown>
    hooks: {
        /** Answer the next `count` PUTs with `status` (e.g. 503, 422) without storing them. */
        failNext(count: number, status: number): void
        /** Cut the connection of the next `count` PUTs without answering. */
        dropNext(count: number): void
        /** Wait this long before answering every request. */
        setLatency(ms: number): void
        reset(): void
    }
}

export interface MedexisRecorderOptions {
    port?: number
    host?: string
    /** Expect `Authorization: Bearer {token}`. */
    token?: string
    /** Expect `Authorization: Basic …` with these credentials (instead of a token). */
    basic?: { username: string; password: string }
    /** Round trip of a slow link (standin/link.ts), kept by `hooks.reset()`. Default 0. */
    latencyMs?: number
}

export async function startMedexisRecorder(opts: MedexisRecorderOptions = {}): Promise<MedexisRecorder> {
    const expectedAuth = opts.token
        ? `Bearer ${opts.token}`
        : opts.basic
          ? `Basic ${Buffer.from(`${opts.basic.username}:${opts.basic.password}`).toString('base64')}`
          : null
    const records: RecordedPut[] = []
    const held = new Map<string, unknown>()
    const keys = new Set<string>()
    const faults = { fail: [] as number[], drop: 0, latency: 0 }
    const app = express()
    app.use(express.json({ limit: '1mb', type: () => true }))

    const link = slowLink(opts.latencyMs)
    app.use(async (req: Request, res: Response, next) => {
        const wait = faults.latency + link.delayFor(req)
        if (wait > 0) await new Promise((r) => setTimeout(r, wait))
        next()
    })

    app.put(/.*/, (req: Request, res: Response) => {
        const headers: Record<string, string> = {}
        for (const [k, v] of Object.entries(req.headers)) {
            if (k.toLowerCase() === 'authorization' || v === undefined) continue
            headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v
        }
        const entry: RecordedPut = { method: req.method, path: req.originalUrl, headers, body: req.body, status: null, at: new Date().toISOString() }
        records.push(entry)
        const answer = (status: number, body: unknown) => {
            entry.status = status
            res.status(status).json(body)
        }
        if (faults.drop > 0) {
            faults.drop--
            req.socket.destroy()
            return
        }
        const failing = faults.fail.shift()
        if (failing !== undefined) return answer(failing, { message: `injected fault ${failing}` })
        if (expectedAuth && req.headers.authorization !== expectedAuth) return answer(401, { message: 'unauthorized' })
        const segments = req.path.split('/').map((x) => decodeURIComponent(x))
        const body = req.body as { id?: unknown; revision?: unknown } | undefined
        if (!body || typeof body !== 'object' || typeof body.id !== 'string' || typeof body.revision !== 'number') return answer(400, { message: 'body is not a stock-outflow record' })
        if (!segments.includes(body.id)) return answer(400, { message: `the path ${req.path} does not name the record ${body.id}` })
        const key = headers['idempotency-key']
        if (!key || key !== `${body.id}:${body.revision}`) return answer(400, { message: 'Idempotency-Key must be {id}:{revision}' })
        if (keys.has(key)) return answer(409, { message: 'already held' })
        keys.add(key)
        const isNew = !held.has(body.id)
        held.set(body.id, body)
        answer(isNew ? 201 : 200, { id: body.id, revision: body.revision })
    })

    app.use((req: Request, res: Response) => {
        res.status(404).json({ message: 'not found' })
    })

    const server: Server = await new Promise((resolve, reject) => {
        const s = app.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)))
    })
    const { port } = server.address() as AddressInfo
    return {
        url: `http://${opts.host ?? '127.0.0.1'}:${port}`,
        records,
        held,
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections?.()
                server.close(() => resolve())
            }),
        hooks: {
            failNext(count, status) {
                for (let i = 0; i < count; i++) faults.fail.push(status)
            },
            dropNext(count) {
                faults.drop += count
            },
            setLatency(ms) {
                faults.latency = ms
            },
            reset() {
                faults.fail = []
                faults.drop = 0
                faults.latency = 0
            },
        },
    }
}

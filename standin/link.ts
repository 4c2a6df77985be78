/**
 * A slow link between the bridge and a server (e.g. 200 ms between a district hospital and a
 * national server): every request waits one round trip before it is handled, and the first
 * request on a new connection one more (the TCP handshake's), so that keep-alive and the number
 * of requests in flight show in the measurement as they would on the real link. Bandwidth is not
 * modelled (the bridge's requests and answers are small; the browser measurement throttles it).
 */
import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'

export interface Link {
    readonly latencyMs: number
    /** Milliseconds to wait before handling this request. */
    delayFor(req: IncomingMessage): number
}

export function slowLink(latencyMs = 0): Link {
    const ms = Math.max(0, Number(latencyMs) || 0)
    const seen = new WeakSet<Socket>()
    return {
        latencyMs: ms,
        delayFor(req) {
            if (ms === 0) return 0
            const fresh = !seen.has(req.socket)
            seen.add(req.socket)
            return fresh ? 2 * ms : ms
        },
    }
}

/** `--latency-ms N` or the environment variable, for the CLIs. */
export function latencyFrom(argValue: string | undefined, env: string | undefined): number | undefined {
    const v = argValue ?? env
    if (v === undefined || v === '') return undefined
    const n = Number(v)
    if (!Number.isFinite(n) || n < 0) throw new Error(`latency: expected milliseconds ≥ 0, got ${v}`)
    return n
}

import http from 'node:http'
import { startMedexisRecorder } from '../../standin/medexis'
import { latencyFrom } from '../../standin/link'
import { ADMIN, start } from './helpers'

// A slow link: each request waits one round trip, a new connection one more (its handshake).
// Lower bounds only: the machine may add time, never remove it.

const LATENCY = 150

/** Two requests on one kept-alive connection, each timed from the client. */
async function twoOnOneConnection(url: string, method: string, headers: Record<string, string>, body?: string): Promise<number[]> {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
    const times: number[] = []
    try {
        for (let i = 0; i < 2; i++) {
            const t0 = performance.now()
            await new Promise<void>((resolve, reject) => {
                const req = http.request(url, { method, agent, headers }, (res) => {
                    res.resume()
                    res.on('end', resolve)
                })
                req.on('error', reject)
                req.end(body)
            })
            times.push(performance.now() - t0)
        }
    } finally {
        agent.destroy()
    }
    return times
}

test('stand-in: latencyMs delays every request, a new connection once more; kept when test faults are cleared', async () => {
    const { standin } = await start({ latencyMs: LATENCY })
    try {
        standin.hooks.clearFaults()
        const [first, second] = await twoOnOneConnection(`${standin.url}/api/system/info`, 'GET', { Authorization: ADMIN })
        expect(first).toBeGreaterThanOrEqual(2 * LATENCY - 5)
        expect(second).toBeGreaterThanOrEqual(LATENCY - 5)
    } finally {
        await standin.close()
    }
})

test('recording MEDEXIS: the same link option, kept by hooks.reset()', async () => {
    const rec = await startMedexisRecorder({ latencyMs: LATENCY })
    try {
        rec.hooks.reset()
        const body = JSON.stringify({ id: 'R1', revision: 1 })
        const [first, second] = await twoOnOneConnection(`${rec.url}/stock-outflows/R1`, 'PUT', { 'Content-Type': 'application/json', 'Idempotency-Key': 'R1:1' }, body)
        expect(first).toBeGreaterThanOrEqual(2 * LATENCY - 5)
        expect(second).toBeGreaterThanOrEqual(LATENCY - 5)
        expect(rec.records.map((r) => r.status)).toEqual([201, 409])
    } finally {
        await rec.close()
    }
})

test('--latency-ms or the environment variable, checked', () => {
    expect(latencyFrom('200', undefined)).toBe(200)
    expect(latencyFrom(undefined, '50')).toBe(50)
    expect(latencyFrom(undefined, undefined)).toBeUndefined()
    expect(() => latencyFrom('-1', undefined)).toThrow(/latency/)
    expect(() => latencyFrom('soon', undefined)).toThrow(/latency/)
})

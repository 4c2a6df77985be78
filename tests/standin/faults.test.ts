/**
 * Test hooks over HTTP: 503 bursts with Retry-After, dropped connections, latency, the request
 * log (no Authorization), "today", reset, data set patches; loopback-only.
 */
import http from 'node:http'
import type { Standin } from '../../standin'
import { Api, BRIDGE, installDvsFixtureMetadata, start } from './helpers'

async function hook(standin: Standin, path: string, body?: unknown, method = 'POST') {
    const res = await fetch(`${standin.url}/__standin/${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
    return { status: res.status, body: await res.json() }
}

/** Raw request: resolves with the status, or rejects when the socket is destroyed. */
function rawPost(url: string, body: string): Promise<number> {
    return new Promise((resolve, reject) => {
        const req = http.request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: BRIDGE } }, (res) => {
            res.resume()
            res.on('end', () => resolve(res.statusCode ?? 0))
        })
        req.on('error', reject)
        req.end(body)
    })
}

describe('fault hooks', () => {
    let standin: Standin
    let api: Api
    beforeAll(async () => {
        ;({ standin, api } = await start())
    })
    afterAll(() => standin.close())
    afterEach(() => standin.hooks.clearFaults())

    test('failNext: a 503 burst on one path prefix, nginx HTML and Retry-After; other paths unaffected', async () => {
        expect((await hook(standin, 'faults', { failNext: { count: 2, status: 503, path: '/api/dataValueSets', retryAfter: 3 } })).status).toBe(200)
        const other = await api.get('/api/41/system/info?fields=version')
        expect(other.status).toBe(200)
        for (let i = 0; i < 2; i++) {
            const res = await api.post('/api/41/dataValueSets', {})
            expect(res.status).toBe(503)
            expect(res.headers.get('retry-after')).toBe('3')
            expect(res.headers.get('content-type')).toMatch(/text\/html/)
            expect(res.text).toContain('<center><h1>503 Service Temporarily Unavailable</h1></center>')
        }
        expect((await api.post('dataValueSets', {})).status).toBe(200)
    })

    test('failNext with another status answers a JSON WebMessage; custom body', async () => {
        standin.hooks.failNext({ count: 1, status: 500 })
        const res = await api.get('system/info')
        expect(res.status).toBe(500)
        expect(res.body).toEqual({ httpStatus: 'Internal Server Error', httpStatusCode: 500, status: 'ERROR', message: 'Internal Server Error' })
        standin.hooks.failNext({ count: 1, status: 502, body: 'upstream down' })
        expect((await api.get('system/info')).text).toBe('upstream down')
    })

    test('dropNext destroys the socket after reading the body', async () => {
        await hook(standin, 'faults', { dropNext: { count: 1, path: '/api/dataValueSets' } })
        await expect(rawPost(`${standin.url}/api/dataValueSets`, '{"dataValues":[]}')).rejects.toThrow()
        expect(await rawPost(`${standin.url}/api/dataValueSets`, '{"dataValues":[]}')).toBe(200)
        // the dropped request was read and recorded
        const dropped = standin.hooks.requests().filter((r) => r.path === '/api/dataValueSets')
        expect(dropped.length).toBeGreaterThanOrEqual(2)
    })

    test('latency delays every response; clear removes it', async () => {
        await hook(standin, 'faults', { latencyMs: 300 })
        const t0 = Date.now()
        await api.get('system/info')
        expect(Date.now() - t0).toBeGreaterThanOrEqual(280)
        await hook(standin, 'faults', { clear: true })
        const t1 = Date.now()
        await api.get('system/info')
        expect(Date.now() - t1).toBeLessThan(250)
    })

    test('the request log keeps method, path, query, headers without Authorization, body text; DELETE clears it', async () => {
        await hook(standin, 'requests', undefined, 'DELETE')
        await api.as(BRIDGE).post('/api/41/dataValueSets?dryRun=true', { dataValues: [] })
        const log = await fetch(`${standin.url}/__standin/requests`).then((r) => r.json() as Promise<any>)
        expect(log).toHaveLength(1)
        expect(log[0]).toMatchObject({ method: 'POST', path: '/api/41/dataValueSets', query: { dryRun: 'true' }, body: '{"dataValues":[]}' })
        expect(log[0].headers.authorization).toBeUndefined()
        expect(JSON.stringify(log)).not.toContain('Bridge-2024!')
    })

    test('today and reset', async () => {
        await installDvsFixtureMetadata(api)
        expect((await api.post('dataValueSets', { dataValues: [{ dataElement: 'f7n9E0hX8qk', period: '202401', orgUnit: 'DiszpKrYNg8', value: '1' }] })).body.response.importCount.imported).toBe(1)
        await hook(standin, 'today', { date: '2030-01-15' })
        expect((await api.get('system/info?fields=serverDate')).body.serverDate).toMatch(/^2030-01-15T/)
        const state = standin.state
        await hook(standin, 'reset')
        expect(standin.state).toBe(state)
        expect(state.dataValues.size).toBe(0)
        expect((await api.get('dataElements/f7n9E0hX8qk')).status).toBe(404)
        expect((await api.get('system/info?fields=serverDate')).body.serverDate).toMatch(/^2026-11-23T/)
        expect(standin.hooks.requests().map((r) => r.path)).toEqual(['/api/dataElements/f7n9E0hX8qk', '/api/system/info'])
    })

    test('POST /__standin/dataSets/{code} patches expiry and future periods', async () => {
        const res = await hook(standin, 'dataSets/Enrolment', { expiryDays: 10, openFuturePeriods: 2 })
        expect(res.status).toBe(200)
        expect((await api.get('dataSets/tS4D4c2HiTk?fields=expiryDays,openFuturePeriods')).body).toEqual({ expiryDays: 10, openFuturePeriods: 2 })
    })

    test('hooks are refused from a non-loopback address', async () => {
        const { standin: open } = await start({ host: '0.0.0.0' })
        try {
            const ip = Object.values((await import('node:os')).networkInterfaces())
                .flat()
                .find((i) => i && i.family === 'IPv4' && !i.internal)?.address
            if (!ip) return
            const res = await fetch(`http://${ip}:${open.port}/__standin/requests`)
            expect(res.status).toBe(403)
        } finally {
            await open.close()
        }
    })
})

import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Dhis2AuthError, Dhis2Client, Dhis2ResponseError, Dhis2UnreachableError } from './client'

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void

async function serve(handler: Handler): Promise<{ url: string; close: () => Promise<void>; seen: http.IncomingHttpHeaders[] }> {
    const seen: http.IncomingHttpHeaders[] = []
    const server = http.createServer((req, res) => {
        seen.push(req.headers)
        handler(req, res, seen.length)
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const { port } = server.address() as AddressInfo
    return { url: `http://127.0.0.1:${port}/dhis`, seen, close: () => new Promise((r) => server.close(() => r())) }
}

const client = (url: string, retries = 2) =>
    new Dhis2Client({ baseUrl: url, credentials: { kind: 'token', token: 'd2p_secretsecret' }, timeoutMs: 500, retries, retryBaseDelayMs: 5 })

describe('DHIS2 HTTP client', () => {
    test('keeps the context path, sends ApiToken and X-Requested-With', async () => {
        let path = ''
        const s = await serve((req, res) => {
            path = req.url!
            res.setHeader('Content-Type', 'application/json')
            res.end('{"version":"2.41.3"}')
        })
        const r = await client(s.url).get('system/info', { fields: 'version' })
        expect(r.data).toEqual({ version: '2.41.3' })
        expect(path).toBe('/dhis/api/system/info?fields=version')
        expect(s.seen[0].authorization).toBe('ApiToken d2p_secretsecret')
        expect(s.seen[0]['x-requested-with']).toBe('XMLHttpRequest')
        await s.close()
    })

    test('a 302 to the login page is a credentials error, not a page to parse', async () => {
        const s = await serve((_req, res) => {
            res.writeHead(302, { Location: '/dhis-web-login/' })
            res.end()
        })
        await expect(client(s.url).get('me')).rejects.toBeInstanceOf(Dhis2AuthError)
        await s.close()
    })

    test('an HTML 200 (wrong base URL, proxy page) is refused', async () => {
        const s = await serve((_req, res) => {
            res.setHeader('Content-Type', 'text/html')
            res.end('<!doctype html><title>Login</title>')
        })
        await expect(client(s.url).get('me')).rejects.toBeInstanceOf(Dhis2ResponseError)
        await s.close()
    })

    test('5xx then success: retried, and honours Retry-After on 429', async () => {
        const s = await serve((_req, res, n) => {
            if (n === 1) {
                res.writeHead(503, { 'Content-Type': 'text/html' })
                return res.end('<html>busy</html>')
            }
            if (n === 2) {
                res.writeHead(429, { 'Retry-After': '0' })
                return res.end()
            }
            res.setHeader('Content-Type', 'application/json')
            res.end('{"ok":true}')
        })
        const retries: string[] = []
        const c = new Dhis2Client({ baseUrl: s.url, credentials: { kind: 'basic', username: 'u', password: 'p' }, timeoutMs: 500, retries: 3, retryBaseDelayMs: 5, onRetry: (r) => retries.push(r.reason) })
        await expect(c.get('x')).resolves.toMatchObject({ data: { ok: true } })
        expect(retries).toEqual(['HTTP 503', 'HTTP 429'])
        await s.close()
    })

    test('unreachable after the retries, and the error carries no secret', async () => {
        const s = await serve((req) => req.socket.destroy())
        const err = await client(s.url, 1).post('dataValueSets', { dataValues: [] }).catch((e) => e)
        expect(err).toBeInstanceOf(Dhis2UnreachableError)
        expect(JSON.stringify(err) + String(err) + err.stack).not.toContain('secretsecret')
        await s.close()
    })

    test('a time-out is retried then reported unreachable', async () => {
        const s = await serve(() => undefined)
        const err = await client(s.url, 1).get('me').catch((e) => e)
        expect(err).toBeInstanceOf(Dhis2UnreachableError)
        expect(err.reason.en).toMatch(/timeout/)
        await s.close()
    })

    test('409 is returned to the caller with its body (partial imports are judged by their summary)', async () => {
        const s = await serve((_req, res) => {
            res.writeHead(409, { 'Content-Type': 'application/json' })
            res.end('{"httpStatusCode":409,"status":"WARNING","response":{"status":"WARNING"}}')
        })
        const r = await client(s.url).post('dataValueSets', {})
        expect(r.status).toBe(409)
        await s.close()
    })

    test('401 with the DHIS2 envelope is an auth error carrying the server message', async () => {
        const s = await serve((_req, res) => {
            res.writeHead(401, { 'Content-Type': 'application/json' })
            res.end('{"httpStatus":"Unauthorized","httpStatusCode":401,"status":"ERROR","message":"The API token does not exists"}')
        })
        const err = await client(s.url).get('me').catch((e) => e)
        expect(err).toBeInstanceOf(Dhis2AuthError)
        expect(err.reason.en).toContain('The API token does not exists')
        expect(err.reason.fr).toContain('identifiants refusés')
        await s.close()
    })
})

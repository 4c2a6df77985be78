/**
 * The DHIS2 client's errors, dumped every way a careless caller could (util.inspect with hidden
 * properties, JSON, the stack), hold no credential on any failure path; and the CLI's last line
 * of defence (bridge/report/redact.ts) masks a registered secret even when an axios error with
 * its Authorization header is left unhandled.
 */
import { spawnSync } from 'node:child_process'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import util from 'node:util'
import { Dhis2Client } from '../../bridge/dhis2/client'
import { redact, registerSecret } from '../../bridge/report/redact'
import { ensureFreshBuild, REPO } from '../faults/helpers'

const TOKEN = 'd2p_SecretTokenValue0123456789abcdefABCDEF0123456789'
const PASSWORD = 'Pa55-word-only-I-know'

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void
async function serve(handler: Handler): Promise<{ url: string; close: () => Promise<void> }> {
    const server = http.createServer(handler)
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const { port } = server.address() as AddressInfo
    return {
        url: `http://127.0.0.1:${port}`,
        close: () =>
            new Promise((r) => {
                server.closeAllConnections()
                server.close(() => r())
            }),
    }
}

const failures: Array<[string, Handler | 'closed']> = [
    ['connection refused', 'closed'],
    ['connection reset', (req) => req.socket.destroy()],
    ['time-out', () => undefined],
    ['401 with a server message', (_q, r) => r.writeHead(401, { 'Content-Type': 'application/json' }).end('{"status":"ERROR","message":"Bad credentials"}')],
    ['403', (_q, r) => r.writeHead(403, { 'Content-Type': 'application/json' }).end('{"status":"ERROR"}')],
    ['302 to the login page', (_q, r) => r.writeHead(302, { Location: '/dhis-web-login/' }).end()],
    ['an HTML page', (_q, r) => r.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>login</html>')],
    ['unreadable JSON', (_q, r) => r.writeHead(200, { 'Content-Type': 'application/json' }).end('{"half":')],
    ['500 until the retries run out', (_q, r) => r.writeHead(500, { 'Content-Type': 'text/html' }).end('<html>oops</html>')],
    ['400 with a body', (_q, r) => r.writeHead(400, { 'Content-Type': 'application/json' }).end('{"message":"bad request"}')],
]

describe.each([
    ['a token', { kind: 'token' as const, token: TOKEN }, [TOKEN]],
    ['a password', { kind: 'basic' as const, username: 'bridge', password: PASSWORD }, [PASSWORD, Buffer.from(`bridge:${PASSWORD}`).toString('base64')]],
])('DHIS2 client errors with %s', (_label, credentials, secrets) => {
    test.each(failures)('%s: the thrown error holds no secret', async (_name, handler) => {
        const s = await serve(handler === 'closed' ? () => undefined : handler)
        const url = s.url
        if (handler === 'closed') await s.close()
        const client = new Dhis2Client({ baseUrl: url, credentials, timeoutMs: 300, retries: 1, retryBaseDelayMs: 1 })
        const err = await client.post('dataValueSets', { dataValues: [] }).then(
            () => null,
            (e) => e
        )
        if (handler !== 'closed') await s.close()
        expect(err).toBeInstanceOf(Error)
        const dump = [util.inspect(err, { showHidden: true, depth: null }), JSON.stringify(err), String(err), err.stack ?? '', JSON.stringify(err.reason ?? null)].join('\n')
        for (const secret of secrets) expect(dump).not.toContain(secret)
        expect(dump).not.toMatch(/authorization/i)
    })
})

describe('output redaction (the last line of defence)', () => {
    test('registered secrets and Authorization headers are masked in any text', () => {
        registerSecret('a-registered-secret-value')
        expect(redact('token a-registered-secret-value here')).toBe('token [secret] here')
        expect(redact('{"Authorization":"ApiToken d2p_unregistered123"}')).toBe('{"Authorization":"[secret]"}')
        expect(redact("authorization: 'Basic YnJpZGdlOnB3'")).toBe("authorization: '[secret]'")
        expect(redact('nothing to hide')).toBe('nothing to hide')
    })

    test('the CLI process: an unhandled axios error with its request headers is printed masked, exit 1', () => {
        ensureFreshBuild()
        const redactJs = path.join(REPO, 'dist', 'bridge', 'report', 'redact.js')
        const script = `
            const { registerSecret, installOutputRedaction } = require(${JSON.stringify(redactJs)})
            const { AxiosError } = require('axios')
            registerSecret(process.env.SECRET)
            installOutputRedaction()
            process.stdout.write('report: ' + process.env.SECRET + '\\n')
            process.stderr.write(Buffer.from('log: ' + process.env.SECRET + '\\n'))
            const e = new AxiosError('Request failed ' + process.env.SECRET, 'ECONNRESET', { headers: { Authorization: 'ApiToken ' + process.env.SECRET } })
            Promise.reject(e)
        `
        const r = spawnSync(process.execPath, ['-e', script], { cwd: REPO, env: { PATH: process.env.PATH, SECRET: TOKEN }, encoding: 'utf8' })
        expect(r.status).toBe(1)
        expect(r.stdout).toContain('report: [secret]')
        expect(r.stderr).toContain('log: [secret]')
        expect(r.stderr).toMatch(/Unexpected error: AxiosError: Request failed \[secret\]/)
        expect(r.stdout + r.stderr).not.toContain(TOKEN)
        // Without the guard Node would dump the whole error, headers included: the guard is what this test proves.
        const unguarded = spawnSync(process.execPath, ['-e', script.replace('installOutputRedaction()', '')], { cwd: REPO, env: { PATH: process.env.PATH, SECRET: TOKEN }, encoding: 'utf8' })
        expect(unguarded.stderr).toContain(TOKEN)
    })
})


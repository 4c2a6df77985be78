/**
 * Secrets never leave the bridge: not on stdout or stderr (JSON and text reports, log lines,
 * error messages), not in the operator commands' output or exports, not in any byte of the
 * state directory (bridge.sqlite, its -wal and -shm, the lock). Checked with a personal access
 * token and with a password, on success and on every failure path: 401, unreachable, an HTML
 * page, time-outs, 5xx, dropped connections, an untrusted TLS certificate; then the secret
 * files (dhis2.tokenFile / dhis2.passwordFile), a password put in DHIS2_BASE_URL, TLS with a
 * private CA (dhis2.caFile), and the scheduler's log and alert webhook.
 */
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { generateDemoLedger, demoLedgerCsv } from '../../demo/generate-ledger'
import { seedTokenFor } from '../../standin'
import { mintV2 } from '../../standin/pat'
import { FaultProxy } from '../faults/proxy'
import { ensureFreshBuild, runCli, spawnCli, tempDir, VERSION, world, type World } from '../faults/helpers'
import { leaks, secretForms, stateFiles } from './helpers'

const FIXTURES = path.join(__dirname, 'fixtures')
const TOKEN = seedTokenFor(VERSION)
const PASSWORD = 'Bridge-2024!'
const WRONG_TOKEN = mintV2('not-a-token-of-this-server')
const WRONG_PASSWORD = 'Wrong-Secret-2024!'

interface Creds {
    label: string
    env: Record<string, string>
    forms: string[]
}
const good: Creds[] = [
    { label: 'token', env: { DHIS2_TOKEN: TOKEN }, forms: secretForms(TOKEN) },
    { label: 'password', env: { DHIS2_USERNAME: 'bridge', DHIS2_PASSWORD: PASSWORD }, forms: secretForms(PASSWORD, 'bridge') },
]
const wrong: Creds[] = [
    { label: 'token', env: { DHIS2_TOKEN: WRONG_TOKEN }, forms: secretForms(WRONG_TOKEN) },
    { label: 'password', env: { DHIS2_USERNAME: 'bridge', DHIS2_PASSWORD: WRONG_PASSWORD }, forms: secretForms(WRONG_PASSWORD, 'bridge') },
]

let ledger: string
const worlds: World[] = []
beforeAll(() => {
    ensureFreshBuild()
    // Two months of the demo ledger, deliberately bad rows included (quarantine in the state and the report).
    ledger = path.join(tempDir('security-ledger-'), 'export.csv')
    fs.writeFileSync(ledger, demoLedgerCsv(generateDemoLedger({ seed: 3, endDate: '2026-10-31', months: 2 })))
})
afterEach(async () => {
    while (worlds.length) await worlds.pop()!.close()
})

/**
 * Runs sync, then (full) a text-mode sync and the operator commands; returns every output, the
 * quarantine export and the state files.
 */
async function everythingWritten(w: World, env: Record<string, string>, full = true): Promise<{ places: Record<string, string | Buffer>; codes: number[] }> {
    const places: Record<string, string | Buffer> = {}
    const codes: number[] = []
    const record = async (name: string, args: string[]) => {
        const r = await runCli(args, env)
        places[`${name} stdout`] = r.stdout
        places[`${name} stderr`] = r.stderr
        codes.push(r.code)
        return r
    }
    await record('sync --json', ['sync', '--config', w.config, '--json', '--ledger', ledger])
    if (!full) {
        for (const f of stateFiles(w.stateDir)) places[`state ${f.name}`] = f.bytes
        return { places, codes }
    }
    await record('sync (text)', ['sync', '--config', w.config, '--lang', 'en', '--ledger', ledger])
    await record('status', ['status', '--config', w.config, '--json'])
    await record('outbox list', ['outbox', 'list', '--config', w.config])
    await record('quarantine list', ['quarantine', 'list', '--config', w.config, '--json'])
    const out = path.join(w.dir, 'quarantine.csv')
    await record('quarantine export', ['quarantine', 'export', '--config', w.config, '--out', out])
    if (fs.existsSync(out)) places['quarantine export file'] = fs.readFileSync(out)
    for (const f of stateFiles(w.stateDir)) places[`state ${f.name}`] = f.bytes
    return { places, codes }
}

async function openWorld(config = {}): Promise<World> {
    const w = await world(config)
    worlds.push(w)
    return w
}

describe.each(good.map((c, i) => [c.label, c, wrong[i]] as const))('with a %s', (_label, creds, bad) => {
    test('a successful run (with quarantined rows): no secret anywhere', async () => {
        const w = await openWorld()
        const env = { ...w.env, DHIS2_USERNAME: '', DHIS2_PASSWORD: '', ...creds.env }
        expect((await runCli(['setup', '--config', w.config, '--ledger', ledger], env)).code).toBe(0)
        const { places, codes } = await everythingWritten(w, env)
        expect(codes[0]).toBe(3) // quarantine
        expect(Object.keys(places).some((p) => p.startsWith('state bridge.sqlite'))).toBe(true)
        expect(leaks(places, creds.forms)).toEqual([])
    })

    test('killed mid-run (kill -9 after an accepted batch): the WAL left behind holds no secret either', async () => {
        const w = await openWorld({ batchSize: 50 })
        const env = { ...w.env, DHIS2_USERNAME: '', DHIS2_PASSWORD: '', ...creds.env }
        const killed = await runCli(['sync', '--config', w.config, '--json', '--ledger', ledger], { ...env, BRIDGE_TEST_CRASH_AT: 'after-accept:2' })
        expect(killed.code).toBe(137)
        const files = stateFiles(w.stateDir)
        expect(files.find((f) => f.name === 'bridge.sqlite-wal')?.bytes.length).toBeGreaterThan(0)
        expect(leaks({ stdout: killed.stdout, stderr: killed.stderr, ...Object.fromEntries(files.map((f) => [f.name, f.bytes])) }, creds.forms)).toEqual([])
    })

    test('401 (credentials refused): exit 2, the refused secret not printed nor stored', async () => {
        const w = await openWorld()
        const env = { ...w.env, DHIS2_USERNAME: '', DHIS2_PASSWORD: '', ...bad.env }
        const { places, codes } = await everythingWritten(w, env)
        expect(codes[0]).toBe(2)
        expect(String(places['sync --json stdout'])).toMatch(/credentials refused|identifiants refusés/)
        expect(leaks(places, bad.forms)).toEqual([])
    })

    test.each([
        ['unreachable (connection refused)', 4],
        ['an HTML page instead of JSON', 1],
        ['time-outs while sending', 4],
        ['503 until the retries run out', 4],
        ['connections dropped while sending', 4],
        ['an untrusted TLS certificate', 2],
    ])('%s: exit %d, no secret anywhere', async (fault, code) => {
        const w = await openWorld({ timeoutMs: 400, retries: 1, retryBaseDelayMs: 5 })
        let env: Record<string, string> = { ...w.env, DHIS2_USERNAME: '', DHIS2_PASSWORD: '', ...creds.env }
        if (fault.startsWith('unreachable')) {
            await w.proxy.stop()
        } else if (fault.startsWith('an HTML')) {
            w.standin.hooks.failNext({ count: 100, status: 200, body: '<!doctype html><html><title>DHIS2 login</title></html>', path: '/api/system/info' })
        } else if (fault.startsWith('time-outs')) {
            w.proxy.delay({ method: 'POST', path: '/api/dataValueSets' }, 1000)
        } else if (fault.startsWith('503')) {
            w.standin.hooks.failNext({ count: 1000, status: 503, path: '/api/dataValueSets' })
        } else if (fault.startsWith('connections')) {
            w.standin.hooks.dropNext({ count: 1000, path: '/api/dataValueSets' })
        } else {
            const tlsProxy = new FaultProxy(w.standin.url, { key: fs.readFileSync(path.join(FIXTURES, 'server.key'), 'utf8'), cert: fs.readFileSync(path.join(FIXTURES, 'server.pem'), 'utf8') })
            await tlsProxy.start()
            worlds.push({ ...w, close: () => tlsProxy.stop() })
            env = { ...env, DHIS2_BASE_URL: tlsProxy.url }
        }
        const { places, codes } = await everythingWritten(w, env, false)
        expect(codes[0]).toBe(code)
        expect(leaks(places, creds.forms)).toEqual([])
        await w.proxy.drain()
    })
})

describe('secret files, and secrets where they do not belong', () => {
    function configWith(dir: string, dhis2: Record<string, unknown>): string {
        const file = path.join(dir, 'bridge.json')
        fs.writeFileSync(file, JSON.stringify({ dhis2: { retries: 1, retryBaseDelayMs: 5, timeoutMs: 3000, ...dhis2 } }))
        return file
    }
    const noCreds = { DHIS2_TOKEN: '', DHIS2_USERNAME: '', DHIS2_PASSWORD: '' }

    test('dhis2.tokenFile: read at start (relative to the configuration), trailing newline ignored; a warning in both languages when others may read it', async () => {
        const w = await openWorld()
        const dir = tempDir('secret-file-')
        fs.writeFileSync(path.join(dir, 'dhis2.token'), `${TOKEN}\n`, { mode: 0o644 })
        fs.chmodSync(path.join(dir, 'dhis2.token'), 0o644)
        const config = configWith(dir, { tokenFile: 'dhis2.token' })
        const env = { ...w.env, ...noCreds }
        const loose = await runCli(['sync', '--config', config, '--json', '--ledger', ledger], env)
        expect(loose.code).toBe(3) // it worked: only the quarantined rows
        const report = loose.json<any>()
        const warning = report.warnings.find((m: any) => /readable by other users/.test(m.en))
        expect(warning?.en).toMatch(/dhis2\.tokenFile.*mode 644.*chmod 600/)
        expect(warning?.fr).toMatch(/lisible par d'autres utilisateurs \(droits 644\).*chmod 600/)
        expect(loose.stderr).toMatch(/readable by other users|lisible par d'autres utilisateurs/)

        fs.chmodSync(path.join(dir, 'dhis2.token'), 0o600)
        const tight = await runCli(['sync', '--config', config, '--json', '--ledger', ledger], env)
        expect(tight.json<any>().warnings.some((m: any) => /readable by other users/.test(m.en))).toBe(false)
        expect(leaks({ loose: loose.stdout + loose.stderr, tight: tight.stdout + tight.stderr, ...Object.fromEntries(stateFiles(w.stateDir).map((f) => [f.name, f.bytes])) }, secretForms(TOKEN))).toEqual([])
    })

    test('dhis2.passwordFile with dhis2.username; the environment still wins over the file', async () => {
        const w = await openWorld()
        const dir = tempDir('secret-file-')
        fs.writeFileSync(path.join(dir, 'password'), WRONG_PASSWORD, { mode: 0o600 })
        const config = configWith(dir, { username: 'bridge', passwordFile: path.join(dir, 'password') })
        // The file holds a wrong password: refused (proves the file is what was used)…
        const fromFile = await runCli(['sync', '--config', config, '--json'], { ...w.env, ...noCreds })
        expect(fromFile.code).toBe(2)
        // …and with the right one in the environment, the environment wins.
        const fromEnv = await runCli(['sync', '--config', config, '--json', '--ledger', ledger], { ...w.env, ...noCreds, DHIS2_USERNAME: 'bridge', DHIS2_PASSWORD: PASSWORD })
        expect(fromEnv.code).toBe(3)
        fs.writeFileSync(path.join(dir, 'password'), PASSWORD)
        const fixed = await runCli(['sync', '--config', config, '--json'], { ...w.env, ...noCreds })
        expect(fixed.code).toBe(0)
        expect(leaks({ a: fromFile.stdout + fromFile.stderr, b: fromEnv.stdout + fromEnv.stderr, c: fixed.stdout + fixed.stderr }, [...secretForms(PASSWORD, 'bridge'), ...secretForms(WRONG_PASSWORD, 'bridge')])).toEqual([])
    })

    test('an unreadable or empty secret file, or a token with a line break: exit 2, never the content', async () => {
        const dir = tempDir('secret-file-')
        const env = { DHIS2_BASE_URL: 'http://127.0.0.1:9', BRIDGE_STATE_DIR: path.join(dir, 'state'), ...noCreds }
        const missing = await runCli(['sync', '--config', configWith(dir, { tokenFile: 'nope.token' }), '--json'], env)
        expect(missing.code).toBe(2)
        expect(missing.json<any>().error.en).toMatch(/Cannot read secret file \(tokenFile\) ".*nope\.token" \(ENOENT\)/)
        fs.writeFileSync(path.join(dir, 'empty'), '\n')
        expect((await runCli(['sync', '--config', configWith(dir, { tokenFile: 'empty' }), '--json'], env)).json<any>().error.fr).toMatch(/est vide/)
        fs.writeFileSync(path.join(dir, 'two-lines'), `${TOKEN}\n${TOKEN}\n`)
        const twoLines = await runCli(['sync', '--config', configWith(dir, { tokenFile: 'two-lines' }), '--json'], env)
        expect(twoLines.code).toBe(2)
        expect(twoLines.json<any>().error.en).toMatch(/line break/)
        const envBreak = await runCli(['sync', '--json'], { ...env, DHIS2_TOKEN: `${TOKEN}\nX-Other: 1` })
        expect(envBreak.code).toBe(2)
        expect(leaks({ a: missing.stdout + missing.stderr, b: twoLines.stdout + twoLines.stderr, c: envBreak.stdout + envBreak.stderr }, secretForms(TOKEN))).toEqual([])
    })

    test('a password written into DHIS2_BASE_URL: refused with exit 2, the password not echoed, nothing stored', async () => {
        const w = await openWorld()
        const url = new URL(w.proxy.url)
        url.username = 'bridge'
        url.password = PASSWORD
        const r = await runCli(['sync', '--json', '--ledger', ledger], { ...w.env, DHIS2_BASE_URL: url.toString() })
        expect(r.code).toBe(2)
        expect(r.json<any>().error.en).toMatch(/carries credentials: remove "user:password@"/)
        expect(r.json<any>().error.fr).toMatch(/contient des identifiants/)
        expect(leaks({ out: r.stdout + r.stderr, ...Object.fromEntries(stateFiles(w.stateDir).map((f) => [f.name, f.bytes])) }, secretForms(PASSWORD, 'bridge'))).toEqual([])
    })
})

describe('TLS: verification stays on; a private CA is trusted through dhis2.caFile', () => {
    async function tlsWorld(cert: string): Promise<{ w: World; proxy: FaultProxy }> {
        const w = await openWorld()
        const proxy = new FaultProxy(w.standin.url, { key: fs.readFileSync(path.join(FIXTURES, 'server.key'), 'utf8'), cert: fs.readFileSync(path.join(FIXTURES, cert), 'utf8') })
        await proxy.start()
        worlds.push({ ...w, close: () => proxy.stop() })
        return { w, proxy }
    }
    const configCa = (ca: string | null) => {
        const file = path.join(tempDir('tls-'), 'bridge.json')
        fs.writeFileSync(file, JSON.stringify({ dhis2: { retries: 1, retryBaseDelayMs: 5, ...(ca ? { caFile: ca } : {}) } }))
        return file
    }

    test('without the CA: refused with exit 2 and a pointer to dhis2.caFile, not retried; with it: the run works', async () => {
        const { w, proxy } = await tlsWorld('server.pem')
        const env = { ...w.env, DHIS2_BASE_URL: proxy.url }
        const refused = await runCli(['sync', '--config', configCa(null), '--json', '--ledger', ledger], env)
        expect(refused.code).toBe(2)
        const error = refused.json<any>().error
        expect(error.en).toMatch(/TLS certificate was refused \((SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\).*dhis2\.caFile/)
        expect(error.fr).toMatch(/Certificat TLS de DHIS2 refusé.*dhis2\.caFile/)
        expect(proxy.log).toHaveLength(0) // the handshake failed: no request ever reached the server, and none was retried

        const trusted = await runCli(['sync', '--config', configCa(path.join(FIXTURES, 'ca.pem')), '--json', '--ledger', ledger], env)
        expect(trusted.code).toBe(3) // only the quarantined rows
        expect(trusted.json<any>().valuesAccepted).toBeGreaterThan(0)
    })

    test('a certificate for another host name is refused even with the right CA', async () => {
        const { w, proxy } = await tlsWorld('wrong-host.pem')
        const r = await runCli(['sync', '--config', configCa(path.join(FIXTURES, 'ca.pem')), '--json'], { ...w.env, DHIS2_BASE_URL: proxy.url })
        expect(r.code).toBe(2)
        expect(r.json<any>().error.en).toMatch(/ERR_TLS_CERT_ALTNAME_INVALID/)
    })

    test('a caFile that holds no certificate: exit 2', async () => {
        const r = await runCli(['sync', '--config', configCa(path.join(FIXTURES, 'server.key')), '--json'], { DHIS2_BASE_URL: 'https://127.0.0.1:9', DHIS2_TOKEN: TOKEN, BRIDGE_STATE_DIR: tempDir('tls-') })
        expect(r.code).toBe(2)
        expect(r.json<any>().error.en).toMatch(/holds no PEM certificate/)
        expect(r.stdout + r.stderr).not.toContain('PRIVATE KEY')
    })
})

test('the scheduler: log lines and the alert webhook carry no secret (nor the webhook URL)', async () => {
    const w = await openWorld()
    const hits: string[] = []
    const hook = http.createServer((req, res) => {
        let body = ''
        req.on('data', (c) => (body += c))
        req.on('end', () => {
            hits.push(`${req.url} ${JSON.stringify(req.headers)} ${body}`)
            res.end('ok')
        })
    })
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r))
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/alert?key=webhook-secret-key`
    const config = path.join(w.dir, 'schedule.json')
    fs.writeFileSync(
        config,
        JSON.stringify({
            dhis2: { retries: 0, retryBaseDelayMs: 5, timeoutMs: 2000 },
            ledger: { paths: [ledger] },
            schedule: { cron: '0 0 1 1 *', http: { port: 0 }, alerts: { webhookUrl: hookUrl, dhis2UserGroup: 'PAYREV_ALERTS', afterFailedRuns: 1 } },
        })
    )
    const run = spawnCli(['schedule', '--config', config, '--lang', 'en'], { ...w.env, DHIS2_USERNAME: 'bridge', DHIS2_PASSWORD: WRONG_PASSWORD })
    const end = Date.now() + 20_000
    while (!hits.length && Date.now() < end) await new Promise((r) => setTimeout(r, 50))
    run.child.kill('SIGTERM')
    const r = await run.done
    await new Promise<void>((res) => hook.close(() => res()))
    expect(hits).toHaveLength(1)
    expect(r.stderr).toMatch(/Sync failed: DHIS2: credentials refused/)
    expect(r.stderr).toMatch(/DHIS2 message not sent/)
    expect(leaks({ stderr: r.stderr, stdout: r.stdout, webhook: hits.join('\n'), ...Object.fromEntries(stateFiles(w.stateDir).map((f) => [f.name, f.bytes])) }, secretForms(WRONG_PASSWORD, 'bridge'))).toEqual([])
    expect(r.stderr + r.stdout).not.toContain('webhook-secret-key')
})

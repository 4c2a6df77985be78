/**
 * `schedule.verify` (docs/traceability.md): the scheduler runs `verify --repair` on its own cron,
 * a value typed over in DHIS2 is put back, and /metrics shows the drift left (0).
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { startStandin, type Standin } from '../../standin'
import { api, key, readPayrevValues } from './dhis2-reader'
import { CLI, ensureBuilt, LEDGERS, REPO, runCli, tempStateDir } from './harness'

/** A loopback port free right now (port 0 would switch /metrics off). */
function freePort(): Promise<number> {
    return new Promise((resolve) => {
        const srv = net.createServer().listen(0, '127.0.0.1', () => {
            const port = (srv.address() as net.AddressInfo).port
            srv.close(() => resolve(port))
        })
    })
}

let standin: Standin
let env: Record<string, string>

beforeAll(async () => {
    ensureBuilt()
    standin = await startStandin({ version: '2.41.3', today: '2026-11-23' })
    env = { DHIS2_BASE_URL: standin.url, DHIS2_USERNAME: 'bridge', DHIS2_PASSWORD: 'Bridge-2024!', BRIDGE_STATE_DIR: tempStateDir(), LANG: 'en_GB.UTF-8' }
    const ledger = path.join(LEDGERS, 'a-september-october.csv')
    await runCli(['setup', '--ledger', ledger], env)
    await runCli(['sync', '--ledger', ledger], env)
}, 60_000)
afterAll(() => standin.close())

test('the scheduler verifies on its cron and repairs a value typed over; /metrics shows the drift left', async () => {
    const k = key('PAYREV_GROSS', '202609', 'ML-BKO-HDB', 'CASH', 'CONSULTATION')
    const before = await readPayrevValues(standin.url)
    expect(before[k]).toBe('3000')
    // The administrator types over the value.
    const ids = async (p: string) => (await api(standin.url, p)).body
    const de = (await ids('dataElements?filter=code:eq:PAYREV_GROSS&fields=id')).dataElements[0].id
    const ou = (await ids('organisationUnits?filter=code:eq:ML-BKO-HDB&fields=id')).organisationUnits[0].id
    const cocs = (await ids('categoryOptionCombos?fields=id,categoryOptions[code]&paging=false')).categoryOptionCombos
    const coc = cocs.find((c: any) => c.categoryOptions.map((o: any) => o.code).sort().join('+') === 'PAYREV_CH_CASH+PAYREV_SV_CONSULTATION').id
    await api(standin.url, 'dataValueSets', { method: 'POST', body: JSON.stringify({ dataValues: [{ dataElement: de, period: '202609', orgUnit: ou, categoryOptionCombo: coc, value: '9999' }] }) })
    expect((await readPayrevValues(standin.url))[k]).toBe('9999')

    const dir = fs.mkdtempSync(path.join(REPO, 'tests', 'integration', '.tmp-schedule-'))
    const config = path.join(dir, 'bridge.json')
    // Sync never (1 January at midnight), verify every two seconds.
    fs.writeFileSync(config, JSON.stringify({ schedule: { cron: '0 0 1 1 *', verify: '*/2 * * * * *', http: { port: await freePort() } } }))
    const child = spawn(process.execPath, [CLI, 'schedule', '--config', config], { cwd: REPO, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    try {
        const deadline = Date.now() + 30_000
        let metrics = ''
        while (Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 300))
            const address = /(http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(stderr)?.[1]
            if (!address || !/Verify finished/.test(stderr)) continue
            metrics = await (await fetch(`${address}/metrics`)).text()
            if (/revenue_bridge_drifted_values/.test(metrics)) break
        }
        if (!metrics) throw new Error(stderr)
        expect(stderr).toMatch(/Verify finished: \d+ values, 1 drifted, 1 repaired/)
        expect(metrics).toMatch(/^revenue_bridge_drifted_values 0$/m)
        expect((await readPayrevValues(standin.url))[k]).toBe('3000')
    } finally {
        child.kill('SIGTERM')
        await new Promise((r) => child.once('exit', r))
        fs.rmSync(dir, { recursive: true, force: true })
    }
}, 60_000)

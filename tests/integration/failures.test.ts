import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startStandin, type Standin } from '../../standin'
import { api, key, readPayrevValues } from './dhis2-reader'
import { ensureBuilt, LEDGERS, runCli, tempStateDir } from './harness'

const LEDGER_A = path.join(LEDGERS, 'a-september-october.csv')
const LEDGER_C = path.join(LEDGERS, 'c-locked-and-open.csv')

/** Fast retries so the unreachable case takes milliseconds, not the production back-off. */
function fastConfig(): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-config-')), 'bridge.json')
    fs.writeFileSync(file, JSON.stringify({ dhis2: { retries: 2, retryBaseDelayMs: 10, timeoutMs: 5000 } }))
    return file
}

async function hook(standin: Standin, body: unknown): Promise<void> {
    const res = await fetch(`${standin.url}/__standin/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
    expect(res.ok).toBe(true)
}

describe('failures are reported value by value, with the contract exit codes', () => {
    let standin: Standin
    let env: Record<string, string>
    const config = fastConfig()

    beforeAll(async () => {
        ensureBuilt()
        standin = await startStandin({ version: '2.40.3', today: '2026-11-23' })
        env = { DHIS2_BASE_URL: standin.url, DHIS2_USERNAME: 'bridge', DHIS2_PASSWORD: 'Bridge-2024!', BRIDGE_STATE_DIR: tempStateDir() }
        const setup = await runCli(['setup', '--config', config, '--ledger', LEDGER_C], env)
        expect(setup.code).toBe(0)
    })
    afterAll(() => standin.close())

    test('a locked period: the partial import (409 WARNING) is judged by its summary, each refusal reported with its reason', async () => {
        // The administrator locks periods 10 days after they end.
        const ds = await api(standin.url, 'dataSets?filter=code:eq:PAYREV_MONTHLY&fields=:owner')
        const dataSet = { ...ds.body.dataSets[0], expiryDays: 10 }
        const post = await api(standin.url, 'metadata', { method: 'POST', body: JSON.stringify({ dataSets: [dataSet] }) })
        expect(post.status).toBe(200)

        const r = await runCli(['sync', '--config', config, '--json', '--ledger', LEDGER_C], env)
        const report = r.json<any>()
        expect(r.code).toBe(3)
        expect(report.valuesSent).toBe(6)
        expect(report.valuesAccepted).toBe(4)
        expect(report.valuesRejected).toBe(2)
        expect(report.conflicts).toHaveLength(2)
        for (const c of report.conflicts) {
            expect(c).toMatchObject({ period: '202609', orgUnit: 'ML-BKO-CHUGT', errorCode: 'E7640', channel: 'CASH' })
            expect(['PAYREV_GROSS', 'PAYREV_PAYMENTS']).toContain(c.dataElement)
            expect(c.message).toContain('202609')
        }
        // The pre-flight said it before sending.
        expect(report.warnings.map((w: any) => w.en).join('\n')).toMatch(/Period 202609 locked/)
        const values = await readPayrevValues(standin.url)
        expect(values[key('PAYREV_GROSS', '202611', 'ML-BKO-CHUGT', 'ORANGE_MONEY', 'EXAM')]).toBe('20000')
        expect(values[key('PAYREV_GROSS', '202609', 'ML-BKO-CHUGT', 'CASH', 'CONSULTATION')]).toBeUndefined()

        const text = await runCli(['sync', '--config', config, '--lang', 'en', '--ledger', LEDGER_C], env)
        expect(text.code).toBe(3)
        expect(text.stdout).toMatch(/Rejected values \(2\)/)
        expect(text.stdout).toMatch(/E7640 Current date is past expiry days for period: `202609`/)

        // The administrator opens the period again: the next run sends what was refused.
        const reopened = await api(standin.url, 'metadata', { method: 'POST', body: JSON.stringify({ dataSets: [{ ...dataSet, expiryDays: 0 }] }) })
        expect(reopened.status).toBe(200)
        const again = await runCli(['sync', '--config', config, '--json'], env)
        expect(again.code).toBe(0)
        expect(again.json<any>().valuesSent).toBe(2)
        expect((await readPayrevValues(standin.url))[key('PAYREV_GROSS', '202609', 'ML-BKO-CHUGT', 'CASH', 'CONSULTATION')]).toBe('4000')
    })

    test('DHIS2 unreachable: exit 4, the totals wait in the state and go out on the next run', async () => {
        await hook(standin, { failNext: { count: 100, status: 503 } })
        const down = await runCli(['sync', '--config', config, '--json', '--ledger', LEDGER_A], env)
        expect(down.code).toBe(4)
        const report = down.json<any>()
        expect(report.dhis2.reachable).toBe(false)
        expect(report.linesRead).toBe(12)
        expect(report.valuesWaiting).toBeGreaterThan(0)
        await hook(standin, { clear: true })
        const up = await runCli(['sync', '--config', config, '--json'], env)
        const after = up.json<any>()
        expect(after.valuesSent).toBeGreaterThanOrEqual(report.valuesWaiting - 2)
        const values = await readPayrevValues(standin.url)
        expect(values[key('PAYREV_GROSS', '202609', 'ML-BKO-HDB', 'ORANGE_MONEY', 'EXAM')]).toBe('12500')
    })

    test('wrong credentials: exit 2 with a message in French and English, the password never printed', async () => {
        const r = await runCli(['sync', '--config', config, '--json', '--ledger', LEDGER_C], { ...env, DHIS2_PASSWORD: 'wrong-secret-123' })
        expect(r.code).toBe(2)
        const out = r.json<any>()
        expect(out.error.fr).toMatch(/identifiants refusés/)
        expect(out.error.en).toMatch(/credentials refused/)
        expect(r.stdout + r.stderr).not.toContain('wrong-secret-123')
    })

    test('a personal access token works (Authorization: ApiToken)', async () => {
        const minted = await api(standin.url, 'apiToken', { method: 'POST', body: '{}' })
        const token = minted.body.response.key
        const r = await runCli(['status', '--json'], { BRIDGE_STATE_DIR: env.BRIDGE_STATE_DIR })
        expect(r.code).toBe(0)
        const s = await runCli(['sync', '--config', config, '--json', '--ledger', LEDGER_C], { DHIS2_BASE_URL: standin.url, DHIS2_TOKEN: token, BRIDGE_STATE_DIR: env.BRIDGE_STATE_DIR })
        expect([0, 3]).toContain(s.code)
        expect(s.stdout + s.stderr).not.toContain(token)
    })

    test('missing configuration: exit 2', async () => {
        const r = await runCli(['sync', '--ledger', LEDGER_C], { BRIDGE_STATE_DIR: tempStateDir() })
        expect(r.code).toBe(2)
        expect(r.stderr).toMatch(/DHIS2_BASE_URL/)
        const bad = await runCli(['sync', '--no-such-flag'], env)
        expect(bad.code).toBe(2)
    })
})

import path from 'node:path'
import { seedTokenFor, startStandin } from '../../standin'
import { api, key, readPayrevValues } from './dhis2-reader'
import { ensureBuilt, LEDGERS, runCli, tempStateDir } from './harness'

const LEDGER_A = path.join(LEDGERS, 'a-september-october.csv')
const LEDGER_C = path.join(LEDGERS, 'c-locked-and-open.csv')

/** The same bridge, unchanged, against every DHIS2 line it supports (reference §13). */
describe.each(['2.39.1', '2.40.0', '2.41.3', '2.42.1'])('DHIS2 %s', (version) => {
    test('setup, sync, partial import and re-sync behave the same', async () => {
        ensureBuilt()
        const standin = await startStandin({ version, today: '2026-11-23' })
        try {
            // A personal access token in the format this version mints.
            const env = { DHIS2_BASE_URL: standin.url, DHIS2_TOKEN: seedTokenFor(version), BRIDGE_STATE_DIR: tempStateDir() }
            expect((await runCli(['setup', '--ledger', LEDGER_C], env)).code).toBe(0)
            const ds = await api(standin.url, 'dataSets?filter=code:eq:PAYREV_MONTHLY&fields=:owner')
            await api(standin.url, 'metadata', { method: 'POST', body: JSON.stringify({ dataSets: [{ ...ds.body.dataSets[0], expiryDays: 10 }] }) })

            const first = await runCli(['sync', '--json', '--ledger', LEDGER_C], env)
            const report = first.json<any>()
            // The token's owner is not a superuser: September is locked (E7640), November goes in.
            expect(first.code).toBe(3)
            expect(report.valuesAccepted).toBe(4)
            expect(report.conflicts.map((c: any) => c.errorCode)).toEqual(['E7640', 'E7640'])
            const values = await readPayrevValues(standin.url)
            expect(values[key('PAYREV_GROSS', '202611', 'ML-BKO-CHUGT', 'CARD', 'HOSPITALISATION')]).toBe('60000')

            const second = await runCli(['sync', '--json', '--ledger', LEDGER_C], env)
            expect(second.json<any>().valuesAccepted).toBe(0)
            expect(second.json<any>().linesUnchanged).toBe(3)
        } finally {
            await standin.close()
        }
    })
})

test('an unknown facility in the ledger on a 2.41 server with Basic auth is quarantined, the rest goes in', async () => {
    ensureBuilt()
    const standin = await startStandin({ version: '2.41.0', today: '2026-11-23' })
    try {
        const env = { DHIS2_BASE_URL: standin.url, DHIS2_USERNAME: 'admin', DHIS2_PASSWORD: 'district', BRIDGE_STATE_DIR: tempStateDir() }
        // No setup: a sync from the environment alone installs the package on a fresh server.
        const r = await runCli(['sync', '--json', '--ledger', LEDGER_A], env)
        const report = r.json<any>()
        expect(report.metadataInstalled).toBe(true)
        expect(report.assignedOrgUnits.sort()).toEqual(['ML-BKO-HDB', 'ML-SIK-HRS'])
        expect(report.quarantine.find((q: any) => q.column === 'facility_code').reason.en).toMatch(/ML-XXX-NOPE/)
        expect(report.valuesAccepted).toBe(11)
        expect(r.code).toBe(3)
    } finally {
        await standin.close()
    }
})

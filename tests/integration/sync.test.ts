import fs from 'node:fs'
import path from 'node:path'
import { startStandin, type Standin } from '../../standin'
import { api, key, readPayrevValues } from './dhis2-reader'
import { ensureBuilt, LEDGERS, runCli, tempStateDir } from './harness'

const LEDGER_A = path.join(LEDGERS, 'a-september-october.csv')
const LEDGER_B = path.join(LEDGERS, 'b-late-changes.csv')

// Expected totals, worked out by hand from the two ledgers (docs/contract.md §3).
const AFTER_A: Record<string, string> = {
    [key('PAYREV_GROSS', '202609', 'ML-BKO-HDB', 'CASH', 'CONSULTATION')]: '3000',
    [key('PAYREV_GROSS', '202609', 'ML-BKO-HDB', 'CASH', 'PHARMACY')]: '1500',
    [key('PAYREV_GROSS', '202609', 'ML-BKO-HDB', 'ORANGE_MONEY', 'EXAM')]: '12500',
    [key('PAYREV_PAYMENTS', '202609', 'ML-BKO-HDB', 'CASH')]: '1',
    [key('PAYREV_PAYMENTS', '202609', 'ML-BKO-HDB', 'ORANGE_MONEY')]: '1',
    [key('PAYREV_GROSS', '202610', 'ML-BKO-HDB', 'CARD', 'HOSPITALISATION')]: '75000',
    [key('PAYREV_GROSS', '202610', 'ML-BKO-HDB', 'SAMA_MONEY', 'CONSULTATION')]: '0',
    [key('PAYREV_REFUNDS', '202610', 'ML-BKO-HDB', 'CASH', 'PHARMACY')]: '1500',
    [key('PAYREV_PAYMENTS', '202610', 'ML-BKO-HDB', 'CARD')]: '1',
    [key('PAYREV_PAYMENTS', '202610', 'ML-BKO-HDB', 'SAMA_MONEY')]: '1',
    [key('PAYREV_FAILED', '202610', 'ML-SIK-HRS', 'ORANGE_MONEY')]: '1',
}
const AFTER_B: Record<string, string> = {
    ...AFTER_A,
    // T3 PENDING → SUCCESS (newer updated_at)
    [key('PAYREV_GROSS', '202609', 'ML-BKO-HDB', 'MOOV_MONEY', 'CONSULTATION')]: '5000',
    [key('PAYREV_PAYMENTS', '202609', 'ML-BKO-HDB', 'MOOV_MONEY')]: '1',
    // T4 reversed: the keys had values, they go to 0
    [key('PAYREV_GROSS', '202610', 'ML-BKO-HDB', 'CARD', 'HOSPITALISATION')]: '0',
    [key('PAYREV_PAYMENTS', '202610', 'ML-BKO-HDB', 'CARD')]: '0',
    // T5 cancelled (the later updated_at wins over the row after it)
    [key('PAYREV_PAYMENTS', '202610', 'ML-BKO-HDB', 'SAMA_MONEY')]: '0',
    // T6 retried with success: one payment, no longer a failure
    [key('PAYREV_FAILED', '202610', 'ML-SIK-HRS', 'ORANGE_MONEY')]: '0',
    [key('PAYREV_PAYMENTS', '202610', 'ML-SIK-HRS', 'ORANGE_MONEY')]: '1',
    [key('PAYREV_GROSS', '202610', 'ML-SIK-HRS', 'ORANGE_MONEY', 'CONSULTATION')]: '2000',
}

describe('revenue-bridge against the DHIS2 stand-in over HTTP', () => {
    let standin: Standin
    let env: Record<string, string>

    beforeAll(async () => {
        ensureBuilt()
        standin = await startStandin({ version: '2.41.3', today: '2026-11-23' })
        env = {
            DHIS2_BASE_URL: standin.url,
            DHIS2_USERNAME: 'bridge',
            DHIS2_PASSWORD: 'Bridge-2024!',
            BRIDGE_STATE_DIR: tempStateDir(),
            LANG: 'fr_FR.UTF-8',
        }
    })
    afterAll(() => standin.close())

    test('setup --dry-run lists the package and changes nothing', async () => {
        const r = await runCli(['setup', '--dry-run', '--json', '--ledger', LEDGER_A], env)
        expect(r.code).toBe(0)
        const report = r.json<{ changes: Array<{ type: string; code: string; action: string }>; metadataPosted: boolean }>()
        expect(report.metadataPosted).toBe(false)
        expect(report.changes.filter((c) => c.action === 'create').map((c) => c.code)).toEqual(
            expect.arrayContaining(['PAYREV_GROSS', 'PAYREV_MONTHLY', 'PAYREV_CC_CHANNEL_SERVICE', 'PAYREV_CH_ORANGE_MONEY', 'PAYREV_SV_EXAM'])
        )
        // 11 options, 2 categories, 2 combos, 4 + 7 data elements (§3, §7), 2 data sets (PAYREV_MONTHLY,
        // PAYREV_RECON_MONTHLY); then (docs/contract.md §8) 2 indicator types, 6 indicators, 1 indicator group.
        expect(report.changes).toHaveLength(11 + 2 + 2 + 4 + 7 + 2 + 2 + 6 + 1)
        const ds = await api(standin.url, 'dataSets?filter=code:eq:PAYREV_MONTHLY')
        expect(ds.body.dataSets).toHaveLength(0)
    })

    test('setup installs the package; the server generates the category option combos', async () => {
        const r = await runCli(['setup', '--json', '--ledger', LEDGER_A], env)
        const report = r.json<{ categoryOptionCombos: Record<string, number>; facilities: Array<{ code: string; assigned: string }> }>()
        // ML-XXX-NOPE is in the ledger but not in DHIS2: setup says so and exits 3.
        expect(report.facilities.find((f) => f.code === 'ML-XXX-NOPE')?.assigned).toBe('missing')
        expect(r.code).toBe(3)
        expect(report.categoryOptionCombos).toEqual({ PAYREV_CC_CHANNEL_SERVICE: 30, PAYREV_CC_CHANNEL: 6 })
        const ds = await api(standin.url, 'dataSets?filter=code:eq:PAYREV_MONTHLY&fields=periodType,openFuturePeriods,organisationUnits[code],dataSetElements[dataElement[code,valueType,zeroIsSignificant,aggregationType]]')
        const set = ds.body.dataSets[0]
        expect(set.periodType).toBe('Monthly')
        expect(set.openFuturePeriods).toBeGreaterThanOrEqual(1)
        expect(set.organisationUnits.map((o: { code: string }) => o.code).sort()).toEqual(['ML-BKO-HDB', 'ML-SIK-HRS'])
        for (const e of set.dataSetElements) {
            expect(e.dataElement).toMatchObject({ valueType: 'INTEGER_ZERO_OR_POSITIVE', zeroIsSignificant: true, aggregationType: 'SUM' })
        }
        const de = await api(standin.url, 'dataElements?filter=code:eq:PAYREV_GROSS&fields=name,translations')
        expect(de.body.dataElements[0].name).toBe('Recettes encaissées (FCFA)')
        expect(de.body.dataElements[0].translations).toEqual(expect.arrayContaining([{ property: 'NAME', locale: 'en', value: 'Revenue collected (FCFA)' }]))
    })

    test('setup again changes nothing', async () => {
        const r = await runCli(['setup', '--json'], env)
        expect(r.code).toBe(0)
        const report = r.json<{ changes: Array<{ action: string }>; metadataPosted: boolean }>()
        expect(report.metadataPosted).toBe(false)
        expect(report.changes.every((c) => c.action === 'unchanged')).toBe(true)
    })

    test('sync pushes absolute totals and quarantines bad rows with their position and reason', async () => {
        const r = await runCli(['sync', '--json', '--ledger', LEDGER_A], env)
        const report = r.json<any>()
        expect(report.linesRead).toBe(12)
        expect(report.quarantined).toBe(3)
        const lines = report.quarantine.map((q: any) => [q.line, q.column]).sort()
        expect(lines).toEqual([
            [11, 'facility_code'],
            [12, 'occurred_at'],
            [13, 'amount_xof'],
        ])
        for (const q of report.quarantine) {
            expect(q.file).toContain('a-september-october.csv')
            expect(q.reason.fr.length).toBeGreaterThan(10)
            expect(q.reason.en.length).toBeGreaterThan(10)
        }
        expect(report.valuesSent).toBe(Object.keys(AFTER_A).length)
        expect(report.imported).toBe(Object.keys(AFTER_A).length)
        expect(report.conflicts).toEqual([])
        expect(report.exitCode).toBe(3)
        expect(r.code).toBe(3)
        expect(await readPayrevValues(standin.url)).toEqual(AFTER_A)
    })

    test('a second sync of the same ledger sends nothing', async () => {
        const r = await runCli(['sync', '--json', '--ledger', LEDGER_A], env)
        const report = r.json<any>()
        expect(report.valuesSent).toBe(0)
        expect(report.linesUnchanged).toBe(9)
        // the bad rows of a file read again are quarantined again
        expect(report.quarantined).toBe(3)
        expect(r.code).toBe(3)
        expect(await readPayrevValues(standin.url)).toEqual(AFTER_A)
    })

    test('--dry-run shows the difference with DHIS2 and records nothing', async () => {
        const r = await runCli(['sync', '--dry-run', '--json', '--ledger', LEDGER_B], env)
        const report = r.json<any>()
        expect(r.code).toBe(0)
        const card = report.diff.find((d: any) => d.dataElement === 'PAYREV_GROSS' && d.channel === 'CARD')
        expect(card).toMatchObject({ period: '202610', orgUnit: 'ML-BKO-HDB', current: '75000', next: '0' })
        expect(await readPayrevValues(standin.url)).toEqual(AFTER_A)
        const again = await runCli(['sync', '--dry-run', '--json', '--ledger', LEDGER_B], env)
        expect(again.json<any>().diff).toHaveLength(report.diff.length)
    })

    test('a second ledger with late changes converges (status changes, reversal, zero after a value)', async () => {
        const r = await runCli(['sync', '--json', '--ledger', LEDGER_B], env)
        const report = r.json<any>()
        expect(r.code).toBe(0)
        expect(report.linesRead).toBe(6)
        expect(report.linesStale).toBe(1)
        expect(report.valuesSent).toBe(8)
        expect(await readPayrevValues(standin.url)).toEqual(AFTER_B)
    })

    test('the text report is French by default and English with --lang en', async () => {
        const fr = await runCli(['sync', '--ledger', LEDGER_B], env)
        expect(fr.stdout).toContain('Rapport de synchronisation')
        expect(fr.stdout).toContain('Lignes lues: 6')
        const en = await runCli(['sync', '--lang', 'en', '--ledger', LEDGER_B], env)
        expect(en.stdout).toContain('Sync report')
        expect(en.stdout).toContain('Lines read: 6')
    })

    test('status reads the state', async () => {
        const r = await runCli(['status', '--json'], env)
        expect(r.code).toBe(0)
        const s = r.json<any>()
        expect(s.values.pending).toBe(0)
        expect(s.runs.length).toBeGreaterThanOrEqual(4)
        expect(s.lines).toBe(10)
    })

    test('no phone number, patient id or name was ever sent to DHIS2', async () => {
        const res = await fetch(`${standin.url}/__standin/requests`)
        const requests = (await res.json()) as Array<{ body?: string; path: string; query?: unknown }>
        expect(requests.length).toBeGreaterThan(10)
        const everything = JSON.stringify(requests)
        for (const secret of ['+223', '76 00 00 01', 'P-0001', 'P-0004', 'payer_msisdn', 'patient_id', 'Bridge-2024!']) {
            expect(everything).not.toContain(secret)
        }
    })

    test('a later sync asks for the facilities it already knows in one request, not one per facility', async () => {
        await fetch(`${standin.url}/__standin/requests`, { method: 'DELETE' })
        const r = await runCli(['sync', '--json', '--ledger', LEDGER_B], env)
        expect(r.code).toBe(0)
        const requests = (await (await fetch(`${standin.url}/__standin/requests`)).json()) as Array<{ method: string; path: string }>
        const orgUnitReads = requests.filter((q) => q.method === 'GET' && /^\/api\/(\d+\/)?organisationUnits/.test(q.path))
        const [header, ...rows] = fs.readFileSync(LEDGER_B, 'utf8').split('\n').filter(Boolean)
        const at = header.split(',').indexOf('facility_code')
        expect(new Set(rows.map((l) => l.split(',')[at])).size).toBe(2) // both met by earlier syncs
        expect(orgUnitReads).toHaveLength(1)
    })
})

/**
 * verify covers every family the bridge writes through the outbox (docs/traceability.md): revenue,
 * lmis (pharmacy sales → the LMIS data set) and recon (reconciliation totals →
 * PAYREV_RECON_MONTHLY). An LMIS value and a reconciliation value typed over by hand in the
 * stand-in are each drift with their family, key codes, expected and actual; --repair sends them
 * again through their own push; a family whose data set is not configured is skipped with a
 * warning. Apart from trace.test.ts, whose counts are revenue's alone.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startStandin, type Standin } from '../../standin'
import { installLmis } from '../stock/lmis-metadata'
import { api, readPayrevValues } from './dhis2-reader'
import { ensureBuilt, runCli, tempStateDir } from './harness'

const HDB = 'ML-BKO-HDB'
const LEDGER = [
    'transaction_id,line_no,occurred_at,facility_code,channel,service,amount_xof,type,status,operator_ref,cashier_id,product_code,quantity,unit',
    `T1,1,2026-10-10T10:00,${HDB},ORANGE_MONEY,CONSULTATION,5000,PAYMENT,SUCCESS,OM-1,C1,,,`,
    `T2,1,2026-10-11T09:00,${HDB},MOOV_MONEY,PHARMACY,3000,PAYMENT,SUCCESS,MV-77,C2,AMOX500C,30,gélule`,
    `T3,1,2026-10-12T09:00,${HDB},CASH,PHARMACY,2000,PAYMENT,SUCCESS,,C1,AMOX500C,20,gélule`,
].join('\n')
const STATEMENTS = [
    'reference,occurred_at,amount_xof,fee_xof,type,status,channel,facility_code,msisdn',
    `OM-1,2026-10-10T10:01,5000,50,PAYMENT,SUCCESS,ORANGE_MONEY,${HDB},`,
    `MV-77,2026-10-11T09:05,3000,30,PAYMENT,SUCCESS,MOOV_MONEY,${HDB},`,
].join('\n')

const STOCK = {
    medexis: { enabled: false },
    lmis: {
        dataSet: 'LMIS_MONTHLY',
        facilities: [HDB],
        categoryOptionCombos: { openingBalance: 'Stock initial', received: 'Quantité reçue', dispensed: 'Quantité distribuée', stockOnHand: 'Stock disponible utilisable', stockOutDays: 'Jours de rupture' },
    },
    products: [{ ledgerCode: 'AMOX500C', lmis: { dataElement: 'LMIS_AMOX500', unit: 'gélule' } }],
}

interface DriftJson {
    family: string
    dataElement: string
    period: string
    orgUnit: string
    categoryOptionCombo: string
    channel: string | null
    expected: number
    actual: number | string | null
}
interface VerifyJson {
    checked: number
    drifted: DriftJson[]
    repaired: DriftJson[]
    refused: DriftJson[]
    families: Array<{ family: string; checked: number; drifted: number; repaired: number; skipped: { fr: string; en: string } | null }>
    warnings: Array<{ fr: string; en: string }>
    repairRunId: number | null
}

const LMIS_KEY = `LMIS_AMOX500|202610|${HDB}|LMIS_DIST`
const RECON_KEY = `PAYREV_RECON_MATCHED|202610|${HDB}|PAYREV_CH_ORANGE_MONEY`

describe('verify across the revenue, LMIS and reconciliation families', () => {
    let standin: Standin
    let env: Record<string, string>
    let dir: string
    let config: string
    let lmisBefore: Record<string, string>
    let reconBefore: Record<string, string>
    const file = (name: string, text: string) => {
        const f = path.join(dir, name)
        fs.writeFileSync(f, text + '\n')
        return f
    }
    const verify = async (...args: string[]) => {
        const r = await runCli(['verify', '--json', '--config', config, ...args], env)
        return { code: r.code, report: r.json<VerifyJson>() }
    }
    /** An administrator types over one value of a data set, found by its codes in what the server holds now. */
    const typeOver = async (dataSetCode: string, deCode: string, optionCode: string, value: string) => {
        const ds = await api(standin.url, `dataSets?filter=code:eq:${dataSetCode}&fields=id`)
        const de = await api(standin.url, `dataElements?filter=code:eq:${deCode}&fields=id`)
        const ou = await api(standin.url, `organisationUnits?filter=code:eq:${HDB}&fields=id`)
        const cocs = await api(standin.url, 'categoryOptionCombos?fields=id,categoryOptions[code]&paging=false')
        const coc = cocs.body.categoryOptionCombos.find((c: any) => c.categoryOptions.length === 1 && c.categoryOptions[0].code === optionCode).id
        const uids = { dataElement: de.body.dataElements[0].id, period: '202610', orgUnit: ou.body.organisationUnits[0].id, categoryOptionCombo: coc }
        const held = await api(standin.url, `dataValueSets?dataSet=${ds.body.dataSets[0].id}&period=202610&orgUnit=${uids.orgUnit}`)
        expect(held.body.dataValues.some((v: any) => v.dataElement === uids.dataElement && v.categoryOptionCombo === coc)).toBe(true)
        const r = await api(standin.url, 'dataValueSets', { method: 'POST', body: JSON.stringify({ dataValues: [{ ...uids, value }] }) })
        expect(r.body.response?.status ?? r.body.status).toBe('SUCCESS')
    }

    beforeAll(async () => {
        ensureBuilt()
        standin = await startStandin({ version: '2.41.3', today: '2026-11-23' })
        await installLmis(standin)
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-families-'))
        config = file('bridge.json', JSON.stringify({ stock: STOCK }))
        env = { DHIS2_BASE_URL: standin.url, DHIS2_USERNAME: 'bridge', DHIS2_PASSWORD: 'Bridge-2024!', BRIDGE_STATE_DIR: tempStateDir(), LANG: 'C' }
        const ledger = file('ledger.csv', LEDGER)
        expect((await runCli(['setup', '--config', config, '--ledger', ledger], env)).code).toBe(0)
        expect((await runCli(['sync', '--config', config, '--ledger', ledger], env)).code).toBe(0)
        expect((await runCli(['reconcile', '--config', config, '--month', '2026-10', '--statements', file('statements.csv', STATEMENTS)], env)).code).toBe(0)
        lmisBefore = await readPayrevValues(standin.url, 'LMIS_MONTHLY')
        reconBefore = await readPayrevValues(standin.url, 'PAYREV_RECON_MONTHLY')
        // 30 + 20 gélules dispensed in October; 5 000 matched by Orange Money.
        expect(lmisBefore[LMIS_KEY]).toBe('50')
        expect(reconBefore[RECON_KEY]).toBe('5000')
    }, 120_000)
    afterAll(() => standin.close())

    test('after the pushes, each family is checked and nothing drifted', async () => {
        const { code, report } = await verify()
        expect(code).toBe(0)
        expect(report.drifted).toEqual([])
        const of = (f: string) => report.families.find((x) => x.family === f)!
        expect(of('lmis')).toMatchObject({ checked: Object.keys(lmisBefore).length, drifted: 0, skipped: null })
        expect(of('recon')).toMatchObject({ checked: Object.keys(reconBefore).length, drifted: 0, skipped: null })
        expect(of('revenue').checked).toBeGreaterThan(0)
        expect(report.checked).toBe(report.families.reduce((n, f) => n + f.checked, 0))
    })

    /** The dashboards' « D'où vient ce chiffre ? » entry of the hospital (contract/lineage.ts). */
    const lineageEntry = async () => {
        const ou = await api(standin.url, `organisationUnits?filter=code:eq:${HDB}&fields=id`)
        return (await api(standin.url, `dataStore/payrev/lineage-${ou.body.organisationUnits[0].id}`)).body
    }

    test("the dashboards' lineage entry carries the LMIS values of the month apart from revenue's: the sync that sent them, how many DHIS2 holds", async () => {
        const entry = await lineageEntry()
        const october = entry.periods['202610']
        const syncRun = (await runCli(['runs', '--json'], env)).json<{ runs: Array<{ id: number; command: string }> }>().runs.find((r) => r.command === 'sync')!.id
        const lmisValues = Object.keys(lmisBefore).filter((k) => k.includes('|202610|')).length
        expect(lmisValues).toBeGreaterThan(0)
        expect(october.lmis).toEqual({ runs: [expect.objectContaining({ runId: syncRun, valuesSent: lmisValues })], values: lmisValues, drifted: 0 })
        // Revenue keeps its own count: the month's PAYREV values, not the LMIS ones.
        expect(october.runs).toEqual([expect.objectContaining({ runId: syncRun })])
        expect(october.values).toBeGreaterThan(0)
        expect(october.runs[0].valuesSent).toBe(october.values)
        expect(october.sources).toEqual(['ledger.csv'])
        // The reconciliation totals: the reconcile run sent them (it publishes the entry again).
        const reconRun = (await runCli(['runs', '--json'], env)).json<{ runs: Array<{ id: number; command: string }> }>().runs.find((r) => r.command === 'reconcile')!.id
        const reconValues = Object.keys(reconBefore).filter((k) => k.includes('|202610|')).length
        expect(reconValues).toBeGreaterThan(0)
        expect(october.recon).toEqual({ runs: [expect.objectContaining({ runId: reconRun, valuesSent: reconValues })], values: reconValues, drifted: 0 })
    })

    test('an LMIS value and a reconciliation value typed over: each is drift with its family; --repair restores both; a second verify finds nothing', async () => {
        await typeOver('LMIS_MONTHLY', 'LMIS_AMOX500', 'LMIS_DIST', '45')
        await typeOver('PAYREV_RECON_MONTHLY', 'PAYREV_RECON_MATCHED', 'PAYREV_CH_ORANGE_MONEY', '5100')

        const found = await verify()
        expect(found.code).toBe(3)
        expect(found.report.drifted).toHaveLength(2)
        expect(found.report.drifted).toContainEqual(
            expect.objectContaining({ family: 'lmis', dataElement: 'LMIS_AMOX500', period: '202610', orgUnit: HDB, categoryOptionCombo: 'Quantité distribuée', channel: null, expected: 50, actual: 45 })
        )
        expect(found.report.drifted).toContainEqual(expect.objectContaining({ family: 'recon', dataElement: 'PAYREV_RECON_MATCHED', period: '202610', orgUnit: HDB, channel: 'ORANGE_MONEY', expected: 5000, actual: 5100 }))
        expect(found.report.families.map((f) => [f.family, f.drifted])).toEqual([
            ['revenue', 0],
            ['lmis', 1],
            ['recon', 1],
        ])
        // The panel's entry: each family's drift apart — LMIS on the pharmacy's side, recon on the reconciliation's, none on revenue's.
        const drifted = (await lineageEntry()).periods['202610']
        expect([drifted.drifted, drifted.lmis.drifted, drifted.recon.drifted]).toEqual([0, 1, 1])
        const text = await runCli(['verify', '--config', config, '--lang', 'en'], env)
        expect(text.stdout).toMatch(/\[lmis\] LMIS_AMOX500 202610 ML-BKO-HDB/)
        expect(text.stdout).toMatch(/\[recon\] PAYREV_RECON_MATCHED 202610 ML-BKO-HDB/)

        const repaired = await verify('--repair')
        expect(repaired.code).toBe(0)
        expect(repaired.report.repaired.map((d) => d.family).sort()).toEqual(['lmis', 'recon'])
        expect(repaired.report.refused).toEqual([])
        expect(await readPayrevValues(standin.url, 'LMIS_MONTHLY')).toEqual(lmisBefore)
        expect(await readPayrevValues(standin.url, 'PAYREV_RECON_MONTHLY')).toEqual(reconBefore)

        const again = await verify()
        expect(again.code).toBe(0)
        expect(again.report.drifted).toEqual([])

        // runs show tells the verify's families.
        const runs = (await runCli(['runs', '--json'], env)).json<{ runs: Array<{ id: number; command: string }> }>().runs
        const repairRun = runs.filter((r) => r.command === 'verify')[1]
        const shown = await runCli(['runs', 'show', String(repairRun.id), '--lang', 'en'], env)
        expect(shown.stdout).toMatch(/LMIS \(pharmacy sales\): \d+ compared, 1 drifted, 1 repaired, 0 refused/)
        // The reconciliation value sent again is in the send history under the verify run (LMIS: under its repair sync):
        // the same value with the same answer as its last send, so counted as a repeat of that row.
        const detail = (await runCli(['runs', 'show', String(repairRun.id), '--json'], env)).json<{ sent: { values: number; repeats: number } }>()
        expect(detail.sent).toMatchObject({ values: 0, repeats: 1 })
        const repairSync = (await runCli(['runs', 'show', String(repaired.report.repairRunId), '--json'], env)).json<{ command: string; sent: { values: number; repeats: number } }>()
        expect(repairSync).toMatchObject({ command: 'sync', sent: { values: 0, repeats: 1 } })
    }, 90_000)

    test('explain an LMIS value: its daily records, the pharmacy lines behind them, its sends; --check reads DHIS2', async () => {
        const r = await runCli(['explain', '--json', '--check', '--config', config, '--data-element', 'LMIS_AMOX500', '--period', '202610', '--facility', HDB], env)
        expect(r.code).toBe(0)
        const report = r.json<any>()
        expect(report).toMatchObject({ family: 'lmis', dataElement: 'LMIS_AMOX500', period: '202610', facility: HDB, value: 50, computed: 50, method: 'QUANTITY', channel: null })
        expect(report.products).toEqual([
            expect.objectContaining({
                product: 'AMOX500C',
                factor: 1,
                quantity: 50,
                records: [
                    { date: '2026-10-11', quantity: 30, ledgerLines: 1, negative: false },
                    { date: '2026-10-12', quantity: 20, ledgerLines: 1, negative: false },
                ],
            }),
        ])
        expect(report.lines.map((l: any) => [l.transactionId, l.quantity, path.basename(l.source), l.position])).toEqual([
            ['T2', 30, 'ledger.csv', 3],
            ['T3', 20, 'ledger.csv', 4],
        ])
        expect(report.sends.length).toBeGreaterThan(0)
        expect(report.sends[0]).toMatchObject({ value: 50, outcome: 'ACCEPTED' })
        // The value in DHIS2, read back through the LMIS family's own resolution.
        expect(report.dhis2).toMatchObject({ current: 50, matches: true })
        const text = await runCli(['explain', '--config', config, '--data-element', 'lmis_amox500', '--period', '202610', '--facility', HDB], env)
        expect(text.code).toBe(0)
        expect(text.stdout).toMatch(/LMIS, quantité distribuée/)
        expect(text.stdout).toMatch(/2026-10-11 : 30 \(1 ligne\(s\)\)/)
        // --csv: every line with its product and quantity.
        const csv = path.join(dir, 'lmis-explain.csv')
        expect((await runCli(['explain', '--config', config, '--data-element', 'LMIS_AMOX500', '--period', '202610', '--facility', HDB, '--csv', csv], env)).code).toBe(0)
        const rows = fs.readFileSync(csv, 'utf8').trim().split('\n')
        expect(rows[0]).toMatch(/,product_code,quantity$/)
        expect(rows.slice(1).map((r) => r.split(',')).map((c) => [c[0], c[2], c[c.length - 2], c[c.length - 1]])).toEqual([
            ['yes', 'T2', 'AMOX500C', '30'],
            ['yes', 'T3', 'AMOX500C', '20'],
        ])
        // No channel on an LMIS value; a month only; an unknown element names the LMIS ones too.
        const channel = await runCli(['explain', '--config', config, '--data-element', 'LMIS_AMOX500', '--period', '202610', '--facility', HDB, '--channel', 'CASH'], env)
        expect(channel.code).toBe(2)
        expect(channel.stderr).toMatch(/ni par moyen de paiement/)
        const week = await runCli(['explain', '--config', config, '--data-element', 'LMIS_AMOX500', '--period', '2026W42', '--facility', HDB], env)
        expect(week.code).toBe(2)
        const unknown = await runCli(['explain', '--config', config, '--data-element', 'LMIS_NOPE', '--period', '202610', '--facility', HDB], env)
        expect(unknown.code).toBe(2)
        expect(unknown.stderr).toMatch(/attendu PAYREV_GROSS, .*LMIS_AMOX500/)
        // A reconciliation total is explained by the reconciliation's own items.
        const recon = await runCli(['explain', '--config', config, '--data-element', 'PAYREV_RECON_MATCHED', '--period', '202610', '--facility', HDB], env)
        expect(recon.code).toBe(2)
        expect(recon.stderr).toMatch(/revenue-bridge reconcile --month 2026-10 --facility ML-BKO-HDB --out detail.csv/)
    })

    test('a family whose data set is not configured is skipped with a warning in French and English, not an error', async () => {
        const bare = file('bare.json', JSON.stringify({}))
        const r = await runCli(['verify', '--json', '--config', bare], env)
        expect(r.code).toBe(0)
        const report = r.json<VerifyJson>()
        const lmis = report.families.find((f) => f.family === 'lmis')!
        expect(lmis.checked).toBe(0)
        expect(lmis.skipped?.fr).toMatch(/valeur\(s\) LMIS .*non vérifiée\(s\).*stock\.lmis\.dataSet/)
        expect(lmis.skipped?.en).toMatch(/LMIS .*value\(s\) not checked.*stock\.lmis\.dataSet/)
        expect(report.warnings).toContainEqual(lmis.skipped)
        expect(report.families.find((f) => f.family === 'recon')!.checked).toBeGreaterThan(0)

        // Configured but not installed in DHIS2: skipped the same way.
        const absent = file('absent.json', JSON.stringify({ stock: { ...STOCK, lmis: { ...STOCK.lmis, dataSet: 'LMIS_ABSENT' } } }))
        const r2 = await runCli(['verify', '--json', '--config', absent], env)
        expect(r2.code).toBe(0)
        const skipped = r2.json<VerifyJson>().families.find((f) => f.family === 'lmis')!.skipped
        expect(skipped?.fr).toMatch(/LMIS_ABSENT.*introuvable/)
        expect(skipped?.en).toMatch(/LMIS_ABSENT.*not found/)
    })

    test('LMIS drift of a facility no longer in stock.lmis.facilities is reported by --repair, not sent, and still drift', async () => {
        await typeOver('LMIS_MONTHLY', 'LMIS_AMOX500', 'LMIS_DIST', '44')
        const disabled = file('disabled.json', JSON.stringify({ stock: { ...STOCK, lmis: { ...STOCK.lmis, facilities: [] } } }))
        const r = await runCli(['verify', '--json', '--repair', '--config', disabled], env)
        expect(r.code).toBe(3)
        const report = r.json<VerifyJson & { refused: Array<DriftJson & { errorCode: string }> }>()
        expect(report.refused).toEqual([expect.objectContaining({ family: 'lmis', dataElement: 'LMIS_AMOX500', expected: 50, actual: 44, errorCode: 'BRIDGE_LMIS_FACILITY' })])
        expect(report.repaired).toEqual([])
        // Enabled again, the same drift is found and repaired.
        const fixed = await verify('--repair')
        expect(fixed.code).toBe(0)
        expect(fixed.report.repaired).toEqual([expect.objectContaining({ family: 'lmis', expected: 50, actual: 44 })])
        expect(await readPayrevValues(standin.url, 'LMIS_MONTHLY')).toEqual(lmisBefore)
    })
})

describe('a server without the PAYREV package', () => {
    let standin: Standin
    beforeAll(async () => {
        ensureBuilt()
        standin = await startStandin({ version: '2.41.3', today: '2026-11-23' })
    })
    afterAll(() => standin.close())

    test('verify stops with exit 2, the reason and what to do (the CLI prints a BridgeError’s todo)', async () => {
        const env = { DHIS2_BASE_URL: standin.url, DHIS2_USERNAME: 'bridge', DHIS2_PASSWORD: 'Bridge-2024!', BRIDGE_STATE_DIR: tempStateDir(), LANG: 'C' }
        const text = await runCli(['verify', '--lang', 'en'], env)
        expect(text.code).toBe(2)
        expect(text.stderr).toMatch(/^DHIS2 metadata not found: .*PAYREV/m)
        expect(text.stderr).toMatch(/^→ Run "revenue-bridge setup"$/m)
        const json = await runCli(['verify', '--json'], env)
        expect(json.code).toBe(2)
        expect(json.json()).toMatchObject({ exitCode: 2, todo: { fr: 'Lancez « revenue-bridge setup »', en: 'Run "revenue-bridge setup"' } })
    })
})

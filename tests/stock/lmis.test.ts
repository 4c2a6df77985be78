import { startStandin, type Standin } from '../../standin'
import { Dhis2Client } from '../../bridge/dhis2/client'
import { runReconcile } from '../../bridge/stock/reconcile'
import { renderRun } from '../../bridge/trace/render'
import { showRun } from '../../bridge/trace/runs'
import fs from 'node:fs'
import path from 'node:path'
import { line, runStockCli, StockHarness } from './helpers'
import { adminApi, installLmis } from './lmis-metadata'

/**
 * The DHIS2 LMIS sink and the reconciliation against the stand-in: an LMIS data set in the shape
 * "one data element per product, one category option per stock variable" (reference §2.1), created
 * here through POST /api/metadata.
 */

let standin: Standin
const api = <T = any>(method: string, path: string, body?: unknown) => adminApi<T>(standin, method, path, body)

let dataSetId = ''

const stockConfig = (lmisFacilities: string[], extraProducts: unknown[] = []) => ({
    facilities: [{ code: 'ML-BKO-HDB' }, { code: 'ML-SIK-HRS' }, { code: 'ML-BKO-CHUGT' }],
    stock: {
        medexis: { enabled: false },
        lmis: {
            dataSet: 'LMIS_MONTHLY',
            facilities: lmisFacilities,
            categoryOptionCombos: { openingBalance: 'Stock initial', received: 'Quantité reçue', dispensed: 'Quantité distribuée', stockOnHand: 'Stock disponible utilisable', stockOutDays: 'Jours de rupture' },
        },
        products: [
            { ledgerCode: 'AMOX500C', lmis: { dataElement: 'LMIS_AMOX500', unit: 'gélule' } },
            // The cashier sells boxes of 100; the LMIS counts tablets.
            { ledgerCode: 'PARA-B100', medexisCode: 'PARA500', name: 'Paracétamol 500 mg, boîte de 100', unit: 'boîte', lmis: { dataElement: 'LMIS_PARA500', factor: 100, unit: 'comprimé' } },
            ...extraProducts,
        ],
    },
})

function client(): Dhis2Client {
    return new Dhis2Client({ baseUrl: standin.url, credentials: { kind: 'basic', username: 'admin', password: 'district' }, timeoutMs: 10_000, retries: 1, retryBaseDelayMs: 1 })
}

/** Data values of the LMIS data set for one org unit and month, by "ELEMENT/variable name". */
async function lmisValues(orgUnitCode: string, period: string): Promise<Record<string, string>> {
    const ous = await api('GET', `organisationUnits?filter=code:eq:${orgUnitCode}&fields=id`)
    const cocs = await api('GET', 'categoryOptionCombos?fields=id,name&paging=false')
    const des = await api('GET', 'dataElements?filter=code:like:LMIS_&fields=id,code&paging=false')
    const cocName = new Map(cocs.body.categoryOptionCombos.map((c: any) => [c.id, c.name]))
    const deCode = new Map(des.body.dataElements.map((d: any) => [d.id, d.code]))
    const res = await api('GET', `dataValueSets?dataSet=${dataSetId}&period=${period}&orgUnit=${ous.body.organisationUnits[0].id}&idScheme=UID`)
    const out: Record<string, string> = {}
    for (const v of res.body.dataValues ?? []) out[`${deCode.get(v.dataElement)}/${cocName.get(v.categoryOptionCombo)}`] = v.value
    return out
}

/** LMIS figures as a storekeeper enters them. */
async function enterLmis(orgUnitCode: string, period: string, values: Array<[string, string, number]>): Promise<void> {
    const res = await api('POST', 'dataValueSets?dataElementIdScheme=CODE&orgUnitIdScheme=CODE&categoryOptionComboIdScheme=NAME', {
        dataSet: dataSetId,
        dataValues: values.map(([de, coc, value]) => ({ dataElement: de, categoryOptionCombo: coc, orgUnit: orgUnitCode, period, value: String(value) })),
    })
    const summary = res.body.response ?? res.body
    if (summary.status !== 'SUCCESS') throw new Error(`enter LMIS values: ${JSON.stringify(res.body)}`)
}

let h: StockHarness

beforeAll(async () => {
    standin = await startStandin({ today: '2025-04-10', seedFixtures: false })
    dataSetId = await installLmis(standin)
})
afterAll(async () => {
    await standin.close()
})
afterEach(() => h?.close())

describe('DHIS2 LMIS sink', () => {
    it('writes monthly dispensed totals, converted to LMIS units, for the enabled facilities only', async () => {
        h = new StockHarness(stockConfig(['ML-BKO-HDB']))
        h.ingest([
            line({ occurredAt: '2025-03-03T08:00:00.000Z', quantity: 200 }),
            line({ occurredAt: '2025-03-20T08:00:00.000Z', quantity: 40 }),
            line({ occurredAt: '2025-03-20T09:00:00.000Z', type: 'REFUND', quantity: 10 }),
            line({ occurredAt: '2025-03-21T08:00:00.000Z', productCode: 'PARA-B100', quantity: 2, unit: 'boîte' }),
            line({ occurredAt: '2025-02-28T08:00:00.000Z', quantity: 7 }),
            line({ occurredAt: '2025-03-05T08:00:00.000Z', productCode: 'IBU400', quantity: 3 }),
            // Not enabled for the LMIS: nothing written for it.
            line({ facilityCode: 'ML-SIK-HRS', occurredAt: '2025-03-05T08:00:00.000Z', quantity: 9 }),
        ])
        const report = await h.run({ client: client() })
        expect(report.lmis).toMatchObject({ valuesSent: 3, conflicts: [], waiting: 0 })
        expect(report.unmappedProducts).toEqual(['IBU400'])
        expect(report.exitCode).toBe(0)
        expect(await lmisValues('ML-BKO-HDB', '202503')).toEqual({ 'LMIS_AMOX500/Quantité distribuée': '230', 'LMIS_PARA500/Quantité distribuée': '200' })
        expect(await lmisValues('ML-BKO-HDB', '202502')).toEqual({ 'LMIS_AMOX500/Quantité distribuée': '7' })
        expect(await lmisValues('ML-SIK-HRS', '202503')).toEqual({})

        // Unchanged: nothing sent. A reversal lowers the month: its new absolute total is sent.
        const quiet = await h.run({ client: client() })
        expect(quiet.lmis).toMatchObject({ valuesSent: 0 })
        const reversed = line({ occurredAt: '2025-03-21T08:00:00.000Z', productCode: 'PARA-B100', quantity: 2, unit: 'boîte' })
        h.ingest([reversed])
        await h.run({ client: client() })
        expect((await lmisValues('ML-BKO-HDB', '202503'))['LMIS_PARA500/Quantité distribuée']).toBe('400')
        h.ingest([{ ...reversed, status: 'REVERSED', updatedAt: '2025-04-01T08:00:00.000Z' }])
        const again = await h.run({ client: client() })
        expect(again.lmis).toMatchObject({ valuesSent: 1, conflicts: [] })
        expect((await lmisValues('ML-BKO-HDB', '202503'))['LMIS_PARA500/Quantité distribuée']).toBe('200')
    })

    it('dry run shows what would be written and writes nothing', async () => {
        h = new StockHarness(stockConfig(['ML-SIK-HRS']))
        h.ingest([line({ facilityCode: 'ML-SIK-HRS', occurredAt: '2025-01-10T08:00:00.000Z', quantity: 12 })])
        const dry = await h.run({ client: client(), dryRun: true })
        expect(dry.lmis?.valuesSent).toBe(0)
        expect(dry.lmis?.preview).toEqual([{ dataElement: 'LMIS_AMOX500', period: '202501', orgUnit: 'ML-SIK-HRS', categoryOptionCombo: 'Quantité distribuée', current: null, next: '12' }])
        expect(await lmisValues('ML-SIK-HRS', '202501')).toEqual({})
        expect(h.db.prepare("SELECT COUNT(*) AS n FROM dhis2_values WHERE family = 'lmis'").get()).toEqual({ n: 0 })
    })

    it('refuses a total that does not convert to whole LMIS units, and reports DHIS2 conflicts', async () => {
        // The pharmacy directorate opened only three months for entry; 2024-11 is closed (E7643).
        standin.hooks.patchDataSet(dataSetId, {
            dataInputPeriods: ['202411', '202412', '202502'].map((pe) => ({
                period: { id: pe },
                openingDate: '2024-01-01T00:00:00.000',
                closingDate: pe === '202411' ? '2025-01-31T00:00:00.000' : '2025-12-31T00:00:00.000',
            })),
        })
        try {
            // A strip of 10 sold as 0.5: the LMIS counts strips of 10 → 1.5 + 1 = 2.5 strips.
            h = new StockHarness(stockConfig(['ML-BKO-HDB'], [{ ledgerCode: 'SRO-1', lmis: { dataElement: 'LMIS_SRO', factor: 0.5 } }]))
            h.ingest([
                line({ occurredAt: '2024-12-10T08:00:00.000Z', productCode: 'SRO-1', quantity: 3 }),
                line({ occurredAt: '2024-12-11T08:00:00.000Z', productCode: 'SRO-1', quantity: 2 }),
                line({ occurredAt: '2024-11-10T08:00:00.000Z', quantity: 4 }),
                line({ occurredAt: '2025-02-10T08:00:00.000Z', quantity: 6 }),
            ])
            const r = await h.run({ client: client() })
            const codes = r.lmis!.conflicts.map((c) => [c.orgUnit, c.dataElement, c.errorCode, c.source])
            expect(codes).toContainEqual(['ML-BKO-HDB', 'LMIS_SRO', 'BRIDGE_UNIT_CONVERSION', 'bridge'])
            expect(codes).toContainEqual(['ML-BKO-HDB', 'LMIS_AMOX500', 'E7643', 'dhis2'])
            expect(r.lmis!.conflicts.find((c) => c.errorCode === 'E7643')).toMatchObject({ period: '202411', categoryOptionCombo: 'Quantité distribuée', value: '4' })
            expect(r.exitCode).toBe(3)
            // The rest of the batch went through.
            expect(await lmisValues('ML-BKO-HDB', '202502')).toEqual({ 'LMIS_AMOX500/Quantité distribuée': '6' })
            // Rejected values are tried again at the next run (like revenue values).
            const again = await h.run({ client: client() })
            expect(again.lmis?.valuesSent).toBe(1)
            expect(again.lmis?.conflicts.map((c) => c.errorCode).sort()).toEqual(['BRIDGE_UNIT_CONVERSION', 'E7643'])
        } finally {
            standin.hooks.patchDataSet(dataSetId, { dataInputPeriods: [] })
        }
    })

    it('writes closed months only: the running month waits until it ends, then goes out', async () => {
        h = new StockHarness(stockConfig(['ML-BKO-HDB']))
        h.ingest([
            line({ occurredAt: '2024-08-28T08:00:00.000Z', quantity: 5 }),
            line({ occurredAt: '2024-09-01T08:00:00.000Z', quantity: 8 }), // the running month (now = 2024-09-02)
            line({ occurredAt: '2025-01-10T08:00:00.000Z', quantity: 4 }), // a wrong date in the future
        ])
        const r = await h.run({ client: client(), now: new Date('2024-09-02T08:00:00Z') })
        expect(r.lmis).toMatchObject({ valuesSent: 1, conflicts: [], waiting: 0 })
        expect(await lmisValues('ML-BKO-HDB', '202408')).toEqual({ 'LMIS_AMOX500/Quantité distribuée': '5' })
        expect(await lmisValues('ML-BKO-HDB', '202409')).toEqual({})
        expect(await lmisValues('ML-BKO-HDB', '202501')).toEqual({})
        // First run after September ends, with no new line: September goes out, January still waits.
        const october = await h.run({ client: client(), now: new Date('2024-10-01T08:00:00Z') })
        expect(october.lmis).toMatchObject({ valuesSent: 1, conflicts: [] })
        expect(await lmisValues('ML-BKO-HDB', '202409')).toEqual({ 'LMIS_AMOX500/Quantité distribuée': '8' })
        expect(await lmisValues('ML-BKO-HDB', '202501')).toEqual({})
    })

    it('keeps the values waiting when DHIS2 is unreachable', async () => {
        h = new StockHarness(stockConfig(['ML-BKO-HDB']))
        h.ingest([line({ occurredAt: '2024-10-10T08:00:00.000Z', quantity: 12 })])
        const off = await h.run({ client: null })
        expect(off.lmis).toMatchObject({ valuesSent: 0, waiting: 1 })
        expect(off).toMatchObject({ lmisUnreachable: true, exitCode: 4 })
        const on = await h.run({ client: client() })
        expect(on.lmis).toMatchObject({ valuesSent: 1, waiting: 0 })
        expect(on.exitCode).toBe(0)
        expect(await lmisValues('ML-BKO-HDB', '202410')).toEqual({ 'LMIS_AMOX500/Quantité distribuée': '12' })
    })
})

describe('reconciliation against the LMIS data set', () => {
    it('flags each rule from the storekeeper’s figures', async () => {
        // LMIS writing stays off here: the figures are the storekeeper's.
        h = new StockHarness(stockConfig([], [{ ledgerCode: 'SRO', lmis: { dataElement: 'LMIS_SRO' } }]))
        h.ingest([
            line({ facilityCode: 'ML-SIK-HRS', occurredAt: '2025-02-03T08:00:00.000Z', quantity: 50 }),
            line({ facilityCode: 'ML-SIK-HRS', occurredAt: '2025-02-17T08:00:00.000Z', quantity: 10 }),
            line({ facilityCode: 'ML-SIK-HRS', occurredAt: '2025-02-10T08:00:00.000Z', productCode: 'PARA-B100', quantity: 3 }),
            line({ facilityCode: 'ML-SIK-HRS', occurredAt: '2025-02-11T08:00:00.000Z', productCode: 'SRO', quantity: 100 }),
            line({ facilityCode: 'ML-SIK-HRS', occurredAt: '2025-02-12T08:00:00.000Z', productCode: 'IBU400', quantity: 4 }),
            line({ facilityCode: 'ML-SIK-HRS', occurredAt: '2025-03-01T08:00:00.000Z', quantity: 500 }),
        ])
        await h.run()
        await enterLmis('ML-SIK-HRS', '202502', [
            // Amoxicilline: 60 sold, 60 dispensed, but 5 days of stock-out.
            ['LMIS_AMOX500', 'Quantité distribuée', 60],
            ['LMIS_AMOX500', 'Jours de rupture', 5],
            ['LMIS_AMOX500', 'Stock disponible utilisable', 0],
            // Paracétamol: 300 tablets sold, only 100 + 150 available; dispensed 300.
            ['LMIS_PARA500', 'Stock initial', 100],
            ['LMIS_PARA500', 'Quantité reçue', 150],
            ['LMIS_PARA500', 'Quantité distribuée', 300],
            ['LMIS_PARA500', 'Jours de rupture', 0],
            // SRO: 100 sold, 80 dispensed: 25 % gap.
            ['LMIS_SRO', 'Quantité distribuée', 80],
        ])
        const report = await runReconcile({ db: h.db, rc: h.rc, client: client(), month: '2025-02', now: () => new Date('2025-03-05T08:00:00Z') })
        expect(report.lmisRead).toBe(true)
        const rows = Object.fromEntries(report.rows.map((r) => [r.product, r]))
        expect(Object.keys(rows).sort()).toEqual(['AMOX500C', 'IBU400', 'PARA500', 'SRO'])
        expect(rows.AMOX500C).toMatchObject({ facility: 'ML-SIK-HRS', sold: 60, dispensed: 60, stockOutDays: 5, stockOnHand: 0, flags: ['SALE_DURING_STOCKOUT'] })
        expect(rows.PARA500).toMatchObject({ sold: 3, soldLmisUnits: 300, openingBalance: 100, received: 150, flags: ['SALES_EXCEED_AVAILABLE'] })
        expect(rows.SRO).toMatchObject({ sold: 100, dispensed: 80, gapPercent: 25, flags: ['SALES_DISPENSED_GAP'] })
        expect(rows.IBU400).toMatchObject({ sold: 4, flags: ['UNMAPPED_PRODUCT'] })
        expect(report.flagged).toBe(4)
        expect(report.flagCounts).toEqual({ SALE_DURING_STOCKOUT: 1, SALES_EXCEED_AVAILABLE: 1, SALES_DISPENSED_GAP: 1, UNMAPPED_PRODUCT: 1 })
    })

    it('stock reconcile reads DHIS2 from the environment and flags a stock-out sale, for people and in JSON', async () => {
        const raw = stockConfig([])
        h = new StockHarness(raw)
        const configFile = path.join(h.dir, 'config.json')
        fs.writeFileSync(configFile, JSON.stringify(raw))
        h.ingest([line({ facilityCode: 'ML-BKO-HDB', occurredAt: '2025-01-20T08:00:00.000Z', quantity: 8 })])
        await enterLmis('ML-BKO-HDB', '202501', [
            ['LMIS_AMOX500', 'Quantité distribuée', 8],
            ['LMIS_AMOX500', 'Jours de rupture', 12],
        ])
        const saved = { ...process.env }
        process.env = { PATH: saved.PATH, BRIDGE_STATE_DIR: h.dir, DHIS2_BASE_URL: standin.url, DHIS2_USERNAME: 'admin', DHIS2_PASSWORD: 'district' }
        try {
            const json = await runStockCli(['reconcile', '--config', configFile, '--month', '2025-01', '--json'])
            expect(json.code).toBe(0)
            const report = JSON.parse(json.stdout)
            expect(report.lmisRead).toBe(true)
            expect(report.rows).toEqual([expect.objectContaining({ facility: 'ML-BKO-HDB', product: 'AMOX500C', sold: 8, dispensed: 8, stockOutDays: 12, flags: ['SALE_DURING_STOCKOUT'] })])
            const fr = await runStockCli(['reconcile', '--config', configFile, '--month', '2025-01'])
            expect(fr.stdout).toContain('⚠ SALE_DURING_STOCKOUT: vendu pendant une rupture de stock')
            expect(fr.stdout).toContain('jours de rupture 12')
            const en = await runStockCli(['reconcile', '--config', configFile, '--month', '2025-01', '--lang', 'en'])
            expect(en.stdout).toContain('sold during a stock-out')
            expect(en.stdout + en.stderr).not.toContain('district')
        } finally {
            process.env = saved
        }
    })

    it("stock push is a run: the LMIS values it sends are in the send history under its id, runs show names them, and the facility's lineage entry carries them", async () => {
        const raw = stockConfig(['ML-BKO-HDB'])
        h = new StockHarness(raw)
        const configFile = path.join(h.dir, 'config.json')
        fs.writeFileSync(configFile, JSON.stringify(raw))
        h.ingest([line({ occurredAt: '2025-03-03T08:00:00.000Z', quantity: 200 }), line({ occurredAt: '2025-03-04T08:00:00.000Z', productCode: 'PARA-B100', quantity: 1, unit: 'boîte' })])
        const saved = { ...process.env }
        process.env = { PATH: saved.PATH, BRIDGE_STATE_DIR: h.dir, DHIS2_BASE_URL: standin.url, DHIS2_USERNAME: 'admin', DHIS2_PASSWORD: 'district' }
        try {
            // A dry run records no run.
            expect((await runStockCli(['push', '--config', configFile, '--dry-run', '--json'])).code).toBe(0)
            expect(h.db.prepare('SELECT COUNT(*) FROM runs').pluck().get()).toBe(0)

            const pushed = await runStockCli(['push', '--config', configFile, '--json'])
            expect(pushed.code).toBe(0)
            const report = JSON.parse(pushed.stdout)
            expect(report.lmis).toMatchObject({ valuesSent: 2, conflicts: [] })
            expect(report.runId).toEqual(expect.any(Number))
            expect(h.db.prepare('SELECT command, exit_code AS exitCode FROM runs').all()).toEqual([{ command: 'stock push', exitCode: 0 }])
            // Its summary: counts, and the conflicts as a sync keeps them (status and runs show count them).
            expect(JSON.parse(h.db.prepare('SELECT summary FROM runs').pluck().get() as string)).toMatchObject({ records: 2, valuesSent: 2, valuesWaiting: 0, conflicts: [] })
            expect(h.db.prepare('SELECT family, run_id AS runId, value, outcome FROM value_sends ORDER BY value').all()).toEqual([
                { family: 'lmis', runId: report.runId, value: 100, outcome: 'ACCEPTED' },
                { family: 'lmis', runId: report.runId, value: 200, outcome: 'ACCEPTED' },
            ])
            const text = renderRun(showRun(h.db, report.runId), 'fr')
            expect(text).toContain('stock push')
            expect(text).toContain('Stock : 2 enregistrement(s) recalculé(s)')
            expect(text).toContain('[lmis] ML-BKO-HDB 202503 : 2')

            const ou = (await api('GET', 'organisationUnits?filter=code:eq:ML-BKO-HDB&fields=id')).body.organisationUnits[0].id
            const entry = (await api('GET', `dataStore/payrev/lineage-${ou}`)).body
            expect(entry.periods['202503'].lmis).toEqual({ runs: [expect.objectContaining({ runId: report.runId, valuesSent: 2 })], values: 2, drifted: 0 })
            // No revenue value was sent by this state: the month has empty revenue fields.
            expect(entry.periods['202503']).toMatchObject({ runs: [], values: 0 })
        } finally {
            process.env = saved
        }
    })

    it('shows sales alone when DHIS2 is not available', async () => {
        h = new StockHarness(stockConfig([]))
        h.ingest([line({ occurredAt: '2025-02-03T08:00:00.000Z', quantity: 5 })])
        const report = await runReconcile({ db: h.db, rc: h.rc, client: null, month: '2025-02', now: () => new Date() })
        expect(report.lmisRead).toBe(false)
        expect(report.rows.map((r) => [r.product, r.sold, r.dispensed, r.flags])).toEqual([['AMOX500C', 5, null, []]])
        expect(report.warnings[0].en).toContain('DHIS2')
    })
})

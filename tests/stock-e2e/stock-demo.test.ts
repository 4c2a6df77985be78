import fs from 'node:fs'
import Database from 'better-sqlite3'
import os from 'node:os'
import path from 'node:path'
import { seedTokenFor, startStandin, type Standin } from '../../standin'
import { orgUnitUid } from '../../standin/seed'
import { LMIS_VARIABLE_OPTIONS } from '../../standin/seed-lmis'
import { demoLedgerCsv, generateDemoLedger, type DemoLedger } from '../../demo/generate-ledger'
import { pharmacySales, prepareStockDemo, type StockDemo } from '../../demo/stock-demo'
import { ensureBuilt, runCli } from '../integration/harness'

/**
 * The stock leg end to end, as the demo runs it: the demo ledger (fixed seed and end date), the
 * DHIS2 stand-in with the LMIS seed, the recording MEDEXIS endpoint, and the real CLI
 * (`setup`, `sync`, `stock reconcile`) with the demo's stock configuration.
 */

const SEED = 42
const END = '2026-10-31'
const MONTHS = 24
const TODAY = '2026-11-23'

interface Body {
    id: string
    revision: number
    facility: { code: string; orgUnit: string | null }
    product: { code: string }
    date: string
    quantity: number
    amountXof: number
}

describe('stock leg end to end with the demo ledger', () => {
    let standin: Standin
    let stock: StockDemo
    let ledger: DemoLedger
    let env: Record<string, string>
    let workDir: string
    let ledgerDir: string
    let syncReport: any

    beforeAll(async () => {
        ensureBuilt()
        workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stock-e2e-'))
        ledgerDir = path.join(workDir, 'ledger')
        fs.mkdirSync(ledgerDir)
        ledger = generateDemoLedger({ seed: SEED, endDate: END, months: MONTHS })
        fs.writeFileSync(path.join(ledgerDir, `export-caisse-${END}.csv`), demoLedgerCsv(ledger), 'utf8')
        standin = await startStandin({ version: '2.41.3', today: TODAY })
        stock = await prepareStockDemo({ standin, workDir, endDate: END, seed: SEED, months: MONTHS, ledger })
        env = {
            DHIS2_BASE_URL: standin.url,
            DHIS2_TOKEN: seedTokenFor('2.41.3'),
            BRIDGE_STATE_DIR: path.join(workDir, 'state'),
            ...stock.env,
        }
        const setup = await runCli(['setup', '--ledger', ledgerDir, '--config', stock.configFile, '--json'], env, 120_000)
        expect(setup.code).toBe(0)
        const sync = await runCli(['sync', '--ledger', ledgerDir, '--config', stock.configFile, '--json'], env, 300_000)
        // The demo ledger holds deliberately bad rows: quarantine makes it 3.
        expect([0, 3]).toContain(sync.code)
        syncReport = sync.json()
    }, 420_000)

    afterAll(async () => {
        await stock?.close()
        await standin?.close()
        fs.rmSync(workDir, { recursive: true, force: true })
    })

    test('sync sends every stock-outflow record to MEDEXIS once, authenticated, and none is refused', () => {
        expect(syncReport.stock.medexisEnabled).toBe(true)
        expect(syncReport.stock.rejected).toEqual([])
        expect(syncReport.stock.waiting).toBe(0)
        const puts = stock.recorder.records
        expect(puts.length).toBeGreaterThan(1000)
        expect(puts.every((p) => p.status === 201)).toBe(true)
        expect(syncReport.stock.sent).toBe(puts.length)
        expect(new Set(puts.map((p) => p.headers['idempotency-key'])).size).toBe(puts.length)
        // No personal data leaves the bridge.
        const text = JSON.stringify(puts.map((p) => p.body))
        for (const leak of ['P-HD', '+223', 'CAISSE-', 'REC-']) expect(text).not.toContain(leak)
    })

    test("one record's quantity is the ledger's own sum for that facility, product and day", () => {
        // The busiest AMOX500C day of the Bamako dermatology hospital in October 2026, summed from the rows.
        const latest = new Map<string, Record<string, string>>()
        for (const r of ledger.rows) if (r.transaction_id) latest.set(`${r.transaction_id}|${r.line_no}`, r)
        const byDay = new Map<string, number>()
        for (const r of latest.values()) {
            if (r.facility_code !== 'ML-BKO-HDB' || r.product_code !== 'AMOX500C' || r.status !== 'SUCCESS' || !r.occurred_at.startsWith('2026-10')) continue
            const day = r.occurred_at.slice(0, 10)
            byDay.set(day, (byDay.get(day) ?? 0) + (r.type === 'REFUND' ? -1 : 1) * Number(r.quantity))
        }
        const [day, quantity] = [...byDay.entries()].sort((a, b) => b[1] - a[1])[0]
        const held = stock.recorder.held.get(`ML-BKO-HDB:AMOX500C:${day}`) as Body
        expect(held).toBeDefined()
        expect(held.quantity).toBe(quantity)
        expect(held.date).toBe(day)
        expect(held.facility.orgUnit).toBe(orgUnitUid('ML-BKO-HDB'))

        // And every record MEDEXIS holds agrees with the same reading of the ledger.
        const daily = pharmacySales(ledger, 'day')
        let compared = 0
        for (const [id, body] of stock.recorder.held) {
            const b = body as Body
            expect([id, b.quantity]).toEqual([id, Math.max(0, daily.get(`${b.facility.code}|${b.product.code}|${b.date}`) ?? 0)])
            compared++
        }
        expect(compared).toBe(stock.recorder.held.size)
    })

    test('the monthly dispensed totals of the facility that writes to the LMIS reached DHIS2', () => {
        const monthly = pharmacySales(ledger, 'month')
        const dispensedCoc = stock.lmis.categoryOptionCombos.dispensed
        const value = (facility: string, product: string, period: string) =>
            [...standin.state.dataValues.values()].find(
                (v) => v.orgUnit === orgUnitUid(facility) && v.dataElement === stock.lmis.dataElements[product] && v.period === period && v.categoryOptionCombo === dispensedCoc
            )?.value
        expect(syncReport.stock.lmis.valuesSent).toBeGreaterThan(0)
        expect(syncReport.stock.lmis.conflicts).toEqual([])
        for (const product of ['AMOX500C', 'ARTLUM20', 'SERGLU5']) {
            for (const month of ['2025-03', '2026-10']) {
                expect([product, month, value('ML-BKO-HDB', product, month.replace('-', ''))]).toEqual([product, month, String(monthly.get(`ML-BKO-HDB|${product}|${month}`))])
            }
        }
        // Lineage (docs/traceability.md): each LMIS value sent is in the send history, accepted.
        const db = new Database(path.join(workDir, 'state', 'bridge.sqlite'), { readonly: true })
        const sends = db.prepare("SELECT outcome, COUNT(*) AS n FROM value_sends WHERE family = 'lmis' GROUP BY outcome").all()
        db.close()
        expect(sends).toEqual([{ outcome: 'ACCEPTED', n: syncReport.stock.lmis.valuesSent }])
        // The other facilities only read the LMIS: their seeded figures stay (sold plus a little free care).
        const chugt = Number(value('ML-BKO-CHUGT', 'AMOX500C', '202610'))
        const sold = monthly.get('ML-BKO-CHUGT|AMOX500C|2026-10')!
        expect(chugt).toBeGreaterThanOrEqual(sold)
        expect(chugt).toBeLessThanOrEqual(Math.round(sold * 1.07))
    })

    test('stock reconcile flags the sale during the seeded stock-out, and the other seeded anomalies', async () => {
        const r = await runCli(['stock', 'reconcile', '--month', '2026-10', '--json', '--config', stock.configFile], env, 120_000)
        expect(r.code).toBe(0)
        const report = r.json<any>()
        expect(report.lmisRead).toBe(true)
        const row = (facility: string, product: string) => report.rows.find((x: any) => x.facility === facility && x.product === product)
        const stockOut = row('ML-BKO-HDB', 'ARTLUM20')
        expect(stockOut.sold).toBeGreaterThan(0)
        expect(stockOut.stockOutDays).toBe(6)
        expect(stockOut.flags).toEqual(['SALE_DURING_STOCKOUT'])
        expect(row('ML-SIK-HRS', 'CEFTRI1G').flags).toContain('SALES_EXCEED_AVAILABLE')
        expect(row('ML-BKO-HDB', 'HYDROC1').flags).toEqual(['UNMAPPED_PRODUCT'])
        // An ordinary month of an ordinary product is quiet: the seed follows the ledger.
        for (const f of ['ML-BKO-HDB', 'ML-BKO-CHUGT', 'ML-BKO-CSREF4', 'ML-KAY-HRK']) expect([f, row(f, 'AMOX500C').flags]).toEqual([f, []])
        expect(report.flagCounts.SALE_DURING_STOCKOUT).toBe(1)
        expect(report.published.entries).toBe(5)

        const sept = (await runCli(['stock', 'reconcile', '--month', '2026-09', '--json', '--config', stock.configFile], env, 120_000)).json<any>()
        const gap = sept.rows.find((x: any) => x.facility === 'ML-BKO-CHUGT' && x.product === 'PARA500T')
        expect(gap.flags).toEqual(['SALES_DISPENSED_GAP'])
        expect(gap.gapPercent).toBeGreaterThan(30)
    })

    test('the dashboards find the reconciliation in the data store: counts and codes only', async () => {
        const res = await fetch(`${standin.url}/api/dataStore/payrev/stock-reconcile-${orgUnitUid('ML-BKO-HDB')}`, {
            headers: { Authorization: `Basic ${Buffer.from('admin:district').toString('base64')}` },
        })
        expect(res.status).toBe(200)
        const entry = (await res.json()) as any
        expect(entry.kind).toBe('stock-reconcile')
        expect(entry.facility).toBe('ML-BKO-HDB')
        // The sync published the months it touched: the ledger's 24 months.
        const expected = Array.from({ length: 24 }, (_, i) => new Date(Date.UTC(2024, 10 + i, 1)).toISOString().slice(0, 7))
        expect(entry.months.map((m: any) => m.month)).toEqual(expected)
        const october = entry.months.find((m: any) => m.month === '2026-10')
        expect(october.lmisRead).toBe(true)
        expect(october.rows.find((x: any) => x.product === 'ARTLUM20').flags).toEqual(['SALE_DURING_STOCKOUT'])
        // Where the app finds each LMIS variable in analytics.
        const optionName = (v: string) => LMIS_VARIABLE_OPTIONS.find((o) => o.variable === v)!.name
        expect(entry.lmis.ARTLUM20.stockOutDays).toEqual({ dataElement: stock.lmis.dataElements.ARTLUM20, categoryOptionCombo: stock.lmis.categoryOptionCombos.stockOutDays })
        expect(optionName('stockOutDays')).toBe('Jours de rupture')
        const text = JSON.stringify(entry)
        for (const leak of ['P-HD', '+223', 'CAISSE-', 'REC-', 'Amoxicilline']) expect(text).not.toContain(leak)
    })
})

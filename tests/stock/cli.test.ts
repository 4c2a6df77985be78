import fs from 'node:fs'
import path from 'node:path'
import { startMedexisRecorder, type MedexisRecorder } from '../../standin/medexis'
import { line, runStockCli, StockHarness } from './helpers'

/** The `stock` commands, run in-process as the CLI would run them. */

let h: StockHarness
let rec: MedexisRecorder
let configFile: string
const savedEnv = { ...process.env }

const cli = runStockCli

beforeEach(async () => {
    rec = await startMedexisRecorder()
    const raw = { facilities: [{ code: 'ML-BKO-HDB' }], stock: { medexis: { retries: 1, retryBaseDelayMs: 1, concurrency: 1 } } }
    h = new StockHarness(raw)
    configFile = path.join(h.dir, 'config.json')
    fs.writeFileSync(configFile, JSON.stringify(raw))
    process.env = { PATH: savedEnv.PATH, BRIDGE_STATE_DIR: h.dir, MEDEXIS_BASE_URL: rec.url, LANG: 'fr_FR.UTF-8' }
    h.ingest([
        line({ occurredAt: '2025-03-14T08:00:00.000Z', quantity: 20, amountXof: 3000 }),
        line({ occurredAt: '2025-03-15T08:00:00.000Z', productCode: 'XSS', productName: '=HYPERLINK("http://evil")', quantity: 1, amountXof: 100 }),
        line({ occurredAt: '2025-04-02T08:00:00.000Z', quantity: 3, amountXof: 450 }),
    ])
})

afterEach(async () => {
    process.env = { ...savedEnv }
    h.close()
    await rec.close()
})

describe('revenue-bridge stock', () => {
    it('push recomputes every record from the stored ledger and sends them; status shows the state', async () => {
        const dry = await cli(['push', '--config', configFile, '--dry-run', '--json'])
        expect(dry.code).toBe(0)
        expect(JSON.parse(dry.stdout)).toMatchObject({ command: 'stock push', dryRun: true, records: 3, sent: 0 })
        expect(rec.records).toHaveLength(0)

        const run = await cli(['push', '--config', configFile, '--json'])
        expect(run.code).toBe(0)
        expect(JSON.parse(run.stdout)).toMatchObject({ records: 3, changed: 3, sent: 3, waiting: 0, exitCode: 0 })
        expect(rec.records).toHaveLength(3)

        const again = await cli(['push', '--config', configFile, '--json'])
        expect(JSON.parse(again.stdout)).toMatchObject({ records: 3, changed: 0, sent: 0 })
        expect(rec.records).toHaveLength(3)

        const status = await cli(['status', '--config', configFile, '--json'])
        expect(JSON.parse(status.stdout)).toMatchObject({ records: 3, pending: 0, waiting: 0, rejected: 0 })
    })

    it('push exits 4 when MEDEXIS stays unreachable, 3 when it rejects, and says so in French by default', async () => {
        rec.hooks.failNext(2, 503)
        const down = await cli(['push', '--config', configFile])
        expect(down.code).toBe(4)
        expect(down.stdout).toContain('en attente')
        expect(down.stdout).toContain('injoignable')
        rec.hooks.failNext(1, 400)
        const rejected = await cli(['push', '--config', configFile, '--lang', 'en'])
        expect(rejected.code).toBe(3)
        expect(rejected.stdout).toContain('MEDEXIS refused the record (HTTP 400)')
        const status = await cli(['status', '--config', configFile])
        expect(status.stdout).toContain('refusés : 1')
    })

    it('export writes the records as CSV, safe for spreadsheets, filtered by dates', async () => {
        await cli(['push', '--config', configFile, '--json'])
        const all = await cli(['export', '--config', configFile])
        expect(all.code).toBe(0)
        expect(all.stdout.startsWith('\ufeffid,revision,facility_code,org_unit,date,product_code,product_name')).toBe(true)
        const rows = all.stdout.trim().split('\r\n')
        expect(rows).toHaveLength(4)
        expect(rows[1]).toBe('ML-BKO-HDB:AMOX500C:2025-03-14,1,ML-BKO-HDB,,2025-03-14,AMOX500C,Amoxicilline 500 mg gélule,AMOX500C,20,gélule,DISPENSED_SALE,3000,1,,delivered,1')
        // A product name that a spreadsheet would run as a formula is neutralised.
        expect(rows.find((r) => r.includes('XSS'))).toContain(`"'=HYPERLINK(""http://evil"")"`)

        const out = path.join(h.dir, 'march.csv')
        const march = await cli(['export', '--config', configFile, '--from', '2025-03-01', '--to', '2025-03-31', '--delimiter', ';', '--out', out])
        expect(march.code).toBe(0)
        const text = fs.readFileSync(out, 'utf8')
        expect(text.startsWith('\ufeffid;revision;')).toBe(true)
        expect(text.trim().split('\r\n').map((r) => r.split(';')[0])).toEqual(['id', 'ML-BKO-HDB:AMOX500C:2025-03-14', 'ML-BKO-HDB:XSS:2025-03-15'])
    })

    it('refuses bad arguments with exit 2', async () => {
        const bad = await cli(['export', '--config', configFile, '--from', '2025-02-30'])
        expect(bad.code).toBe(2)
        expect(bad.stderr).toContain('--from invalide')
        const month = await cli(['reconcile', '--config', configFile, '--month', '2025-13', '--json'])
        expect(month.code).toBe(2)
        expect(JSON.parse(month.stdout).error.en).toContain('--month')
    })

    it('reconcile without DHIS2 shows the month’s sales', async () => {
        const r = await cli(['reconcile', '--config', configFile, '--month', '2025-03', '--json'])
        expect(r.code).toBe(0)
        const report = JSON.parse(r.stdout)
        expect(report).toMatchObject({ month: '2025-03', lmisRead: false })
        expect(report.rows.map((x: { product: string; sold: number; flags: string[] }) => [x.product, x.sold, x.flags])).toEqual([
            ['AMOX500C', 20, ['UNMAPPED_PRODUCT']],
            ['XSS', 1, ['UNMAPPED_PRODUCT']],
        ])
        const text = await cli(['reconcile', '--config', configFile, '--month', '2025-04'])
        expect(text.stdout).toContain('Rapprochement ventes / stock — 2025-04')
        expect(text.stdout).toContain('vendu 3')
    })
})

import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { startStandin, type Standin } from '../../standin'
import { ensureBuilt, LEDGERS, runCli, tempStateDir } from './harness'

/**
 * `setup --ledger` reads ledgers through the same sources as `sync` (canonical CSV and XLSX,
 * mapped exports): a valid ledger saved from a spreadsheet names the same facilities as its CSV.
 */
const LEDGER_A = path.join(LEDGERS, 'a-september-october.csv')

async function asWorkbook(csv: string, file: string): Promise<string> {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('Export')
    const text = fs.readFileSync(csv, 'utf8').replace(/^\uFEFF/, '')
    for (const line of text.split(/\r?\n/).filter((l) => l.trim())) ws.addRow(line.split(';'))
    await wb.xlsx.writeFile(file)
    return file
}

describe('setup reads ledgers like sync', () => {
    let standin: Standin
    const env = () => ({ DHIS2_BASE_URL: standin.url, DHIS2_USERNAME: 'bridge', DHIS2_PASSWORD: 'Bridge-2024!', BRIDGE_STATE_DIR: tempStateDir(), LANG: 'fr_FR.UTF-8' })

    beforeAll(async () => {
        ensureBuilt()
        standin = await startStandin({ version: '2.41.3', today: '2026-11-23' })
    })
    afterAll(() => standin.close())

    test('setup --ledger export.xlsx names the same facilities as the CSV', async () => {
        const xlsx = await asWorkbook(LEDGER_A, path.join(tempStateDir(), 'export.xlsx'))
        type Report = { facilities: Array<{ code: string; assigned: string }> }
        const fromCsv = await runCli(['setup', '--dry-run', '--json', '--ledger', LEDGER_A], env())
        const fromXlsx = await runCli(['setup', '--dry-run', '--json', '--ledger', xlsx], env())
        const csvFacilities = fromCsv.json<Report>().facilities
        expect(csvFacilities.map((f) => f.code)).toEqual(expect.arrayContaining(['ML-BKO-HDB', 'ML-SIK-HRS', 'ML-XXX-NOPE']))
        expect(fromXlsx.json<Report>().facilities).toEqual(csvFacilities)
        expect(fromXlsx.code).toBe(fromCsv.code)
    })
})

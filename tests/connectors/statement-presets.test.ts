import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { writeReconDetail } from '../../bridge/reconcile/export'
import { readReconInputs } from '../../bridge/reconcile/sources'
import { configFromYaml, ctx, EXAMPLES } from './helpers'

/**
 * Each operator statement preset against its example statement (tests/connectors/examples/):
 * French headers, title blocks, DD/MM/YYYY dates, "12 500" amounts, accents, windows-1252 —
 * read as statement rows (bridge/reconcile/rows.ts), never as ledger lines. Expected values are
 * read off the example files by hand. The layouts are those examples, not verified exports.
 */
const ex = (f: string) => JSON.stringify(path.join(EXAMPLES, f))

async function read(yaml: string) {
    const { config } = configFromYaml(yaml)
    const r = await readReconInputs(config.reconciliation, { statements: [], cashCounts: [] }, ctx)
    return { ...r.statements, json: JSON.stringify(r.statements) }
}

describe('statement presets and their example statements', () => {
    test('orange-money: title block, signed amounts, fees column, masked phone numbers', async () => {
        const r = await read(`
reconciliation:
  statements:
    - paths: [${ex('orange-money-releve.csv')}]
      preset: orange-money
      facility: ML-BKO-HDB
`)
        expect(r.quarantine).toEqual([])
        expect(r.rows.map((l) => [l.reference, l.amountXof, l.feeXof, l.type, l.status, l.occurredAt, l.msisdn])).toEqual([
            ['MP240315.0842.A10001', 12500, 0, 'PAYMENT', 'SUCCESS', '2024-03-15T08:42:10.000Z', '••••3456'],
            ['MP240315.0915.A10002', 7500, 0, 'PAYMENT', 'SUCCESS', '2024-03-15T09:15:33.000Z', '••••4433'],
            ['MP240315.1001.A10003', 3000, 0, 'PAYMENT', 'FAILED', '2024-03-15T10:01:02.000Z', '••••1122'],
            ['RB240315.1103.A10004', 2000, 0, 'REFUND', 'SUCCESS', '2024-03-15T11:03:55.000Z', '••••3456'],
            ['MP240315.1200.A10005', 15000, 0, 'PAYMENT', 'PENDING', '2024-03-15T12:00:00.000Z', '••••2233'],
            ['MP240317.0805.A10006', 10000, 0, 'PAYMENT', 'SUCCESS', '2024-03-17T08:05:41.000Z', '••••3322'],
        ])
        expect(new Set(r.rows.map((l) => `${l.facilityCode}/${l.channel}`))).toEqual(new Set(['ML-BKO-HDB/ORANGE_MONEY']))
        // Positions are the file's physical lines (the header is line 5); the withdrawal is left out.
        expect(r.rows[0].line).toBe(6)
        expect(r.excluded).toBe(1)
        expect(r.json).not.toMatch(/76123456|66554433/)
    })

    test('orange-money without a facility: every row says what is missing', async () => {
        const r = await read(`
reconciliation:
  statements:
    - paths: [${ex('orange-money-releve.csv')}]
      preset: orange-money
`)
        expect(r.rows).toEqual([])
        expect(r.quarantine).toHaveLength(7)
        expect(new Set(r.quarantine.map((q) => q.column))).toEqual(new Set(['facility_code']))
        expect(r.quarantine[0].reason.en).toMatch(/Required column missing from the header: facility_code .*mapping\.defaults/)
        expect(r.quarantine[0].reason.fr).toMatch(/facility_code/)
        expect(r.quarantine[0].line).toBe(6)
        // Quarantined rows keep no phone number.
        expect(JSON.stringify(r.quarantine)).not.toMatch(/76123456/)
    })

    test('moov-money: debit and credit columns, DD-MM-YYYY dates, comma-separated', async () => {
        const r = await read(`
reconciliation:
  statements:
    - paths: [${ex('moov-money-releve.csv')}]
      preset: moov-money
      facility: ML-SIK-HRS
`)
        expect(r.quarantine).toEqual([])
        expect(r.rows.map((l) => [l.reference, l.amountXof, l.type, l.status, l.occurredAt, l.channel])).toEqual([
            ['MM240315091500123', 7500, 'PAYMENT', 'SUCCESS', '2024-03-15T09:15:00.000Z', 'MOOV_MONEY'],
            ['MM240315104000456', 12000, 'PAYMENT', 'SUCCESS', '2024-03-15T10:40:00.000Z', 'MOOV_MONEY'],
            ['MM240315142200789', 2000, 'REFUND', 'SUCCESS', '2024-03-15T14:22:00.000Z', 'MOOV_MONEY'],
            ['MM240316093000222', 5000, 'PAYMENT', 'FAILED', '2024-03-16T09:30:00.000Z', 'MOOV_MONEY'],
        ])
        expect(r.excluded).toBe(1)
    })

    test('sama-money: windows-1252 text, "15/03/2024 à 10:20" dates, "15 000 F" amounts, C/D direction', async () => {
        const yaml = (encoding: string) => `
reconciliation:
  statements:
    - paths: [${ex('sama-money-historique.csv')}]
      preset: sama-money
      facility: ML-BKO-CSREF4
      mapping:
        ${encoding}
`
        const r = await read(yaml('encoding: windows-1252'))
        expect(r.quarantine).toEqual([])
        expect(r.rows.map((l) => [l.reference, l.amountXof, l.type, l.status, l.occurredAt])).toEqual([
            ['SM-88812001', 15000, 'PAYMENT', 'SUCCESS', '2024-03-15T10:20:00.000Z'],
            ['SM-88812002', 4500, 'PAYMENT', 'SUCCESS', '2024-03-15T11:45:00.000Z'],
            ['SM-88812003', 1500, 'REFUND', 'SUCCESS', '2024-03-15T15:00:00.000Z'],
            ['SM-88812004', 6000, 'PAYMENT', 'EXPIRED', '2024-03-16T09:12:00.000Z'],
        ])
        expect(r.excluded).toBe(1)
        // Without the encoding, the accented header cells are not UTF-8: rows are quarantined with the fix.
        const bad = await read(yaml('headerRow: 2'))
        expect(bad.rows).toEqual([])
        expect(bad.quarantine[0].reason.en).toMatch(/windows-1252/)
    })

    test('card-acquirer: terminals mapped to facilities, cancellations as refunds, commission as the fee', async () => {
        const r = await read(`
reconciliation:
  statements:
    - paths: [${ex('carte-acquereur-remise.csv')}]
      preset: card-acquirer
      mapping:
        values:
          facility_code: { TPE00123: ML-BKO-HDB, TPE00124: ML-BKO-HDB }
`)
        expect(r.quarantine).toEqual([])
        expect(r.rows.map((l) => [l.reference, l.facilityCode, l.amountXof, l.feeXof, l.type, l.channel, l.status])).toEqual([
            ['RT24031500001', 'ML-BKO-HDB', 25000, 375, 'PAYMENT', 'CARD', 'SUCCESS'],
            ['RT24031500002', 'ML-BKO-HDB', 60000, 900, 'PAYMENT', 'CARD', 'SUCCESS'],
            // The commission given back on a cancellation is a negative fee.
            ['RT24031500003', 'ML-BKO-HDB', 25000, -375, 'REFUND', 'CARD', 'SUCCESS'],
            // An unmapped terminal stays as written (not reconciled against any facility's ledger).
            ['RT24031600004', 'TPE00999', 10000, 150, 'PAYMENT', 'CARD', 'SUCCESS'],
        ])
        expect(r.excluded).toBe(1)
        expect(r.json).not.toMatch(/XXXXXX/)
    })

    test('a source mapping adds to its preset and wins over it', async () => {
        const r = await read(`
reconciliation:
  statements:
    - paths: [${ex('orange-money-releve.csv')}]
      preset: orange-money
      facility: ML-BKO-HDB
      mapping:
        values:
          status: { "en attente": SUCCESS }
`)
        expect(r.rows.find((l) => l.reference === 'MP240315.1200.A10005')).toMatchObject({ status: 'SUCCESS' })
        expect(r.rows.find((l) => l.reference === 'MP240315.1001.A10003')).toMatchObject({ status: 'FAILED' })
    })
})

describe('statements and the detail as XLSX', () => {
    test('an Orange Money statement saved as XLSX (dates as spreadsheet dates) reads like the CSV', async () => {
        const ExcelJS = (await import('exceljs')).default
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stmt-xlsx-'))
        const file = path.join(dir, 'releve.xlsx')
        const wb = new ExcelJS.Workbook()
        const ws = wb.addWorksheet('Relevé')
        ws.addRow(['Orange Money Mali — Relevé de transactions marchand'])
        ws.addRow([])
        ws.addRow(['Date', 'Heure', 'Référence', 'Type de transaction', 'Numéro client', 'Montant (FCFA)', 'Frais (FCFA)', 'Statut'])
        ws.addRow([new Date(Date.UTC(2024, 2, 15)), '08:42:10', 'MP1', 'Paiement marchand', '76123456', 12500, 125, 'Succès'])
        ws.addRow(['15/03/2024', '11:03', 'RB1', 'Remboursement', '76123456', -2000, 0, 'Succès'])
        ws.getColumn(1).numFmt = 'dd/mm/yyyy'
        await wb.xlsx.writeFile(file)
        const r = await read(`
reconciliation:
  statements:
    - paths: [${JSON.stringify(file)}]
      preset: orange-money
      facility: ML-BKO-HDB
`)
        expect(r.quarantine).toEqual([])
        expect(r.rows.map((l) => [l.reference, l.occurredAt, l.amountXof, l.feeXof, l.type, l.msisdn])).toEqual([
            ['MP1', '2024-03-15T08:42:10.000Z', 12500, 125, 'PAYMENT', '••••3456'],
            ['RB1', '2024-03-15T11:03:00.000Z', 2000, 0, 'REFUND', '••••3456'],
        ])
        fs.rmSync(dir, { recursive: true, force: true })
    })

    test('--out FILE.xlsx: a sheet of items and a sheet of cash, formula-leading text escaped', async () => {
        const ExcelJS = (await import('exceljs')).default
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'detail-xlsx-'))
        const file = path.join(dir, 'detail.xlsx')
        const item = { category: 'STATEMENT_ONLY', facility: 'F1', channel: 'ORANGE_MONEY', type: 'PAYMENT', matchedBy: null, transactionId: null, reference: '=cmd|x', ledgerAmount: null, statementAmount: 17350, amount: 17350, gap: null, fee: 174, ledgerStatus: null, statementStatus: 'SUCCESS', ledgerAt: null, statementAt: '2026-11-12T10:17:00.000Z', msisdn: '••••4433' } as const
        const cash = { facility: 'F1', date: '2026-11-05', cashier: 'CAISSE-02', expected: 13130, counted: 10630, variance: -2500, flag: 'CASH_SHORT' } as const
        expect(await writeReconDetail(file, [item], [cash], 'fr')).toEqual([file])
        const wb = new ExcelJS.Workbook()
        await wb.xlsx.readFile(file)
        expect(wb.worksheets.map((w) => w.name)).toEqual(['Détail', 'Caisse'])
        const rows = wb.worksheets.map((w) => w.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1)))
        expect(rows[0][0]).toContain('référence (relevé)')
        expect(rows[0][1]).toEqual(expect.arrayContaining(['STATEMENT_ONLY', 'Encaissé sans reçu (relevé seul)', "'=cmd|x", 17350, '••••4433']))
        expect(rows[1][1]).toEqual(['F1', '2026-11-05', 'CAISSE-02', 13130, 10630, -2500, 'CASH_SHORT'])
        fs.rmSync(dir, { recursive: true, force: true })
    })
})

import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { LedgerFileError } from '../../bridge/ledger/csv-source'
import { EXAMPLES, collect, ctx, omLedgerMapping, open, readAll, stateDb, tmpDir } from './helpers'

/** XLSX workbooks written here with exceljs, read back with the streaming reader. */
async function workbook(file: string, sheets: Array<{ name: string; rows: unknown[][]; formats?: Record<number, string> }>): Promise<string> {
    const wb = new ExcelJS.Workbook()
    for (const s of sheets) {
        const ws = wb.addWorksheet(s.name)
        for (const r of s.rows) ws.addRow(r)
        for (const [col, fmt] of Object.entries(s.formats ?? {})) ws.getColumn(Number(col)).numFmt = fmt
    }
    await wb.xlsx.writeFile(file)
    return file
}

const CANON = ['transaction_id', 'line_no', 'occurred_at', 'updated_at', 'facility_code', 'channel', 'service', 'amount_xof', 'type', 'status', 'product_code', 'quantity', 'payer_msisdn']
const wall = (y: number, m: number, d: number, h = 0, mi = 0, s = 0) => new Date(Date.UTC(y, m - 1, d, h, mi, s))

describe('XLSX files', () => {
    test('a canonical workbook on --ledger: date cells are wall-clock times of the facility, numbers are amounts', async () => {
        const dir = tmpDir()
        const file = await workbook(path.join(dir, 'caisse.xlsx'), [
            {
                name: 'Export',
                rows: [
                    CANON,
                    ['R1', 1, wall(2024, 3, 15, 10, 30), '2024-03-15T11:00:00+01:00', 'PAR', 'Espèces', 'Consultation', 5000, 'PAYMENT', 'SUCCESS', null, null, '76000000'],
                    ['R2', 1, wall(2024, 3, 15), null, 'BKO', 'OM', { richText: [{ text: 'Pharma' }, { text: 'cie' }] }, { formula: 'H2*3', result: 15000 }, null, null, 'PARA500T', 2.5, null],
                    // Formulas leave float noise; whole FCFA once rounded to 1e-7.
                    ['R3', 2, wall(2024, 3, 16, 23, 59, 59), null, 'BKO', 'Carte', 'Examens', 12499.999999999998, 'REFUND', 'SUCCESS', null, null, null],
                    ['R4', 1, wall(2024, 3, 16, 8), null, 'BKO', 'Espèces', 'Consultation', 2500.5, null, null, null, null, null],
                    ['R5', 1, wall(2024, 3, 16, 8), null, 'BKO', 'Espèces', 'Consultation', true, null, null, null, null, null],
                ],
            },
            { name: 'Autre', rows: [['ignored'], ['x']] },
        ])
        const zoned = { zoneFor: (code: string) => (code === 'PAR' ? 'Europe/Paris' : 'Africa/Bamako') }
        const [src] = await open('{}', stateDb(), [file])
        expect(src.name).toBe(file)
        const r = await collect(src, zoned)
        expect(r.lines.map((l) => [l.transactionId, l.lineNo, l.occurredAt, l.updatedAt, l.channel, l.service, l.amountXof, l.type])).toEqual([
            ['R1', 1, '2024-03-15T09:30:00.000Z', '2024-03-15T10:00:00.000Z', 'CASH', 'CONSULTATION', 5000, 'PAYMENT'],
            ['R2', 1, '2024-03-15T00:00:00.000Z', null, 'ORANGE_MONEY', 'PHARMACY', 15000, 'PAYMENT'],
            ['R3', 2, '2024-03-16T23:59:59.000Z', null, 'CARD', 'EXAM', 12500, 'REFUND'],
        ])
        expect(r.lines[1]).toMatchObject({ productCode: 'PARA500T', quantity: 2.5 })
        expect(r.quarantine.map((q) => [q.line, q.column])).toEqual([
            [5, 'amount_xof'],
            [6, 'amount_xof'],
        ])
        expect(r.quarantine[0].reason.en).toMatch(/no minor unit/)
        expect(r.quarantine[1].reason.en).toMatch(/Unexpected type for amount_xof: a boolean/)
        expect(r.quarantine[1].reason.fr).toMatch(/booléen/)
        expect(r.json).not.toMatch(/76000000/)
    })

    test('a folder holds CSV and XLSX: both read, in file-name order', async () => {
        const dir = tmpDir()
        fs.writeFileSync(path.join(dir, 'b.csv'), 'transaction_id,occurred_at,facility_code,channel,service,amount_xof\nB1,2024-03-02,BKO,CASH,EXAM,100\n')
        await workbook(path.join(dir, 'a.xlsx'), [{ name: 'S', rows: [CANON.slice(0, 10), ['A1', 1, '2024-03-01', null, 'BKO', 'CASH', 'EXAM', 200, 'PAYMENT', 'SUCCESS']] }])
        fs.writeFileSync(path.join(dir, '~$a.xlsx'), 'lock file')
        fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a ledger')
        const sources = await open('{}', stateDb(), [dir])
        expect(sources.map((s) => path.basename(s.name))).toEqual(['a.xlsx', 'b.csv'])
        const r = await readAll(sources)
        expect(r.lines.map((l) => l.transactionId)).toEqual(['A1', 'B1'])
    })

    test('a mapped statement workbook: sheet chosen by name, title block, date and time cells, negative amounts', async () => {
        const dir = tmpDir()
        const file = await workbook(path.join(dir, 'om-mars.xlsx'), [
            { name: 'Synthèse', rows: [['Total', 1000]] },
            {
                name: 'Relevé',
                rows: [
                    ['Orange Money Mali — Relevé de transactions marchand'],
                    ['Compte marchand', '7012345'],
                    [],
                    ['Date', 'Heure', 'Référence', 'Type de transaction', 'Numéro client', 'Montant (FCFA)', 'Statut'],
                    [wall(2024, 3, 15), 0.36261574074074074 /* 08:42:10 */, 'MP1', 'Paiement marchand', '76123456', 12500, 'Succès'],
                    [wall(2024, 3, 15), 0.4604166666666667 /* 11:03 */, 'RB1', 'Remboursement', '76123456', -2000, 'Succès'],
                    [wall(2024, 3, 16), 0.7291666666666666 /* 17:30 */, 'CO1', 'Retrait vers compte bancaire', null, -500000, 'Succès'],
                    ['17/03/2024', '08:05', 'MP2', 'Paiement marchand', '65443322', '10 000', 'En attente'],
                ],
                formats: { 1: 'dd/mm/yyyy', 2: 'hh:mm:ss' },
            },
        ])
        const yaml = (sheet: string) => `
ledger:
  sources:
    - type: file
      paths: [${JSON.stringify(file)}]
      sheet: ${sheet}
      mapping: ${omLedgerMapping('ML-BKO-HDB')}
`
        const [src] = await open(yaml('Relevé'))
        const r = await collect(src)
        expect(r.quarantine).toEqual([])
        expect(r.lines.map((l) => [l.transactionId, l.occurredAt, l.amountXof, l.type, l.status])).toEqual([
            ['MP1', '2024-03-15T08:42:10.000Z', 12500, 'PAYMENT', 'SUCCESS'],
            ['RB1', '2024-03-15T11:03:00.000Z', 2000, 'REFUND', 'SUCCESS'],
            ['MP2', '2024-03-17T08:05:00.000Z', 10000, 'PAYMENT', 'PENDING'],
        ])
        expect(src.stats).toMatchObject({ excluded: 1, preamble: 2 })
        // By position: the second sheet.
        const [byPos] = await open(yaml('2'))
        expect((await collect(byPos)).lines).toHaveLength(3)
        // A sheet that does not exist: the file is reported with the sheets it has.
        const [missing] = await open(yaml('Avril'))
        const err = await collect(missing).catch((e) => e)
        expect(err).toBeInstanceOf(LedgerFileError)
        expect(err.reason.fr).toMatch(/Feuille « Avril » absente.*« Synthèse », « Relevé »/)
        expect(err.reason.en).toMatch(/Sheet "Avril" not found.*"Synthèse", "Relevé"/)
    })

    test('a file that is not a workbook is reported, not thrown as a crash', async () => {
        const dir = tmpDir()
        const file = path.join(dir, 'faux.xlsx')
        fs.copyFileSync(path.join(EXAMPLES, 'caisse-generique.csv'), file)
        const [src] = await open('{}', stateDb(), [file])
        const err = await collect(src, ctx).catch((e) => e)
        expect(err).toBeInstanceOf(LedgerFileError)
        expect(err.reason.en).toMatch(/unreadable XLSX workbook/)
        expect(err.reason.fr).toMatch(/classeur XLSX illisible/)
    })
})

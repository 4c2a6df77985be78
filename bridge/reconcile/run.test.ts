import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { ledgerLine } from '../../tests/fixtures/ledger-line'
import { scopeId } from '../aggregate/keys'
import { periodOf } from '../aggregate/periods'
import { configSchema } from '../config/schema'
import type { LedgerLine } from '../domain/line'
import { openState, type StateDb } from '../state/db'
import { LineStore } from '../state/lines'
import { writeReconDetail } from './export'
import { matchKeyFor } from './keys'
import { renderReconReport } from './render'
import { runReconcile } from './run'

let dir: string
let db: StateDb
const zone = 'Africa/Bamako'
const rc = (reconciliation: object = {}) => ({ config: configSchema.parse({ reconciliation }), zoneFor: () => zone })

function ingest(lines: Array<Partial<LedgerLine> & { ref?: string; cashier?: string }>): void {
    const key = matchKeyFor(db)!
    const store = new LineStore(db)
    lines.forEach((p, k) => {
        const { ref, cashier, ...rest } = p
        const l = ledgerLine({ transactionId: `T${k}`, occurredAt: '2026-10-10T10:00:00.000Z', facilityCode: 'F1', channel: 'ORANGE_MONEY', amountXof: 5000, ...rest })
        if (ref) l.operatorRefKey = key(ref)
        if (cashier) l.cashierKey = key(cashier)
        store.ingest(l, scopeId(l.facilityCode, periodOf(l.occurredAt, zone, 'Monthly')), 1)
    })
}

function file(name: string, text: string): string {
    const f = path.join(dir, name)
    fs.writeFileSync(f, text)
    return f
}

beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recon-run-'))
    db = openState(path.join(dir, 'state'))
})
afterEach(() => {
    db.close()
    fs.rmSync(dir, { recursive: true, force: true })
})

test('canonical statement and cash-count files against the stored ledger: the §7 JSON keys, the text report and the detail', async () => {
    ingest([
        { transactionId: 'A', ref: 'OM-1' },
        { transactionId: 'B', amountXof: 12000, ref: 'OM-2' },
        { transactionId: 'C', occurredAt: '2026-10-11T08:00:00.000Z' },
        { transactionId: 'K', channel: 'CASH', amountXof: 20000, cashier: 'CAISSE-01' },
        { transactionId: 'S', channel: 'SAMA_MONEY' },
    ])
    const statements = file(
        'om.csv',
        'reference;occurred_at;amount_xof;fee_xof;type;status;channel;facility_code;msisdn\n' +
            ' om-1 ;2026-10-10 10:05;5 000;50;;;OM;F1;+22376001234\n' +
            'OM-2;2026-10-10 10:06;1200;12;PAYMENT;SUCCESS;Orange Money;F1;\n' +
            'OM-9;2026-10-12 09:00;=1+1;0;;;OM;F1;\n' +
            'OM-7;2026-10-13 09:00;3000;30;;;OM;F1;76009999\n'
    )
    const counts = file('caisse.csv', 'facility_code,date,counted_xof,cashier_id\nF1,2026-10-10,19500,CAISSE-01\n')
    const r = await runReconcile(rc(), db, { statements: [statements], cashCounts: [counts] })
    expect(r.report.month).toBe('2026-10')
    expect(r.report.channels).toEqual([
        {
            facility: 'F1',
            channel: 'ORANGE_MONEY',
            ledgerCount: 3,
            ledgerAmount: 22000,
            statementCount: 3,
            statementAmount: 9200,
            fees: 92,
            categories: {
                MATCHED: { count: 1, amount: 5000 },
                AMOUNT_MISMATCH: { count: 1, amount: 1200, gap: -10800 },
                LEDGER_ONLY: { count: 1, amount: 5000 },
                STATEMENT_ONLY: { count: 1, amount: 3000 },
                STATUS_MISMATCH: { count: 0, amount: 0 },
                DUPLICATE_STATEMENT: { count: 0, amount: 0 },
            },
        },
    ])
    expect(r.report.cash).toEqual([{ facility: 'F1', date: '2026-10-10', cashier: 'CAISSE-01', expected: 20000, counted: 19500, variance: -500, flag: 'CASH_SHORT' }])
    // The bad amount is quarantined with its position and a reason in both languages; the run went on.
    expect(r.report.quarantine).toEqual([{ file: statements, line: 4, column: 'amount_xof', reason: { fr: expect.any(String), en: expect.any(String) } }])
    // The SAMA_MONEY payment has no statement source: not reconciled.
    expect(r.report.items.map((i) => i.channel)).not.toContain('SAMA_MONEY')
    expect(r.report.items.find((i) => i.category === 'STATEMENT_ONLY')?.msisdn).toBe('••••9999')

    const text = renderReconReport(r.report, 'fr').replace(/[\u202f\u00a0]/g, ' ')
    expect(text).toContain('F1 — Orange Money')
    expect(text).toContain('Non réglé (registre seul) : 1, 5 000 FCFA')
    expect(text).toMatch(/CAISSE-01 · attendu 20 000 FCFA · compté 19 500 FCFA · écart -500 FCFA · Manquant de caisse/)

    const out = path.join(dir, 'detail.csv')
    const files = await writeReconDetail(out, r.report.items, r.report.cash, 'fr')
    expect(files).toEqual([out, path.join(dir, 'detail-caisse.csv')])
    const csv = fs.readFileSync(out, 'utf8')
    expect(csv).toContain('••••9999')
    expect(csv).not.toContain('76009999')
    expect(csv).not.toContain('22376001234')

    expect(r.values.filter((v) => v.facility === 'F1' && v.month === '2026-10').map((v) => [v.dataElement, v.channel, v.value])).toEqual([
        ['PAYREV_CASH_OVER', null, 0],
        ['PAYREV_CASH_SHORT', null, 500],
        ['PAYREV_FEES', 'ORANGE_MONEY', 92],
        ['PAYREV_RECON_AMOUNT_GAP', 'ORANGE_MONEY', 10800],
        ['PAYREV_RECON_LEDGER_ONLY', 'ORANGE_MONEY', 5000],
        ['PAYREV_RECON_MATCHED', 'ORANGE_MONEY', 5000],
        ['PAYREV_RECON_STATEMENT_ONLY', 'ORANGE_MONEY', 3000],
    ])
})

test('formula-leading cells are escaped in the CSV detail', async () => {
    ingest([])
    const statements = file('s.csv', 'reference,occurred_at,amount_xof,channel,facility_code\n=HYPERLINK(1),2026-10-10T10:00,100,CARD,F1\n')
    const r = await runReconcile(rc(), db, { statements: [statements], cashCounts: [] })
    const out = path.join(dir, 'd.csv')
    await writeReconDetail(out, r.report.items, r.report.cash, 'en')
    expect(fs.readFileSync(out, 'utf8')).toContain("'=HYPERLINK(1)")
})

test('a statement preset through the configuration: Orange Money example, title block, fees, signed refunds', async () => {
    ingest([])
    const example = path.join(__dirname, '../../tests/connectors/examples/orange-money-releve.csv')
    const r = await runReconcile(rc({ statements: [{ paths: [example], preset: 'orange-money', facility: 'ML-BKO-HDB' }] }), db, { statements: [], cashCounts: [] })
    expect(r.report.quarantined).toBe(0)
    expect(r.report.channels.map((c) => [c.facility, c.channel])).toEqual([['ML-BKO-HDB', 'ORANGE_MONEY']])
    // SUCCESS rows: three payments and the refund (−2 000 read as a REFUND of 2 000); the failed and
    // pending rows are not money, the withdrawal is excluded by the preset.
    expect(r.report.channels[0]).toMatchObject({ statementCount: 4, statementAmount: 32000, fees: 0 })
    expect(r.report.items.filter((i) => i.type === 'REFUND').map((i) => [i.reference, i.amount])).toEqual([['RB240315.1103.A10004', 2000]])
})

import type { LedgerLine } from '../domain/line'
import { ledgerLine } from '../../tests/fixtures/ledger-line'
import { reconcileCash } from './cash'
import type { CashCount } from './rows'
import { reconValues } from './summary'

const norm = (s: string) => `k:${s.trim().toLowerCase()}`
const o = { zoneFor: () => 'Africa/Bamako', keyOf: norm }
let seq = 0
const cash = (p: Partial<LedgerLine> & { cashier?: string }): LedgerLine => {
    const { cashier, ...rest } = p
    const l = ledgerLine({ transactionId: `C${++seq}`, occurredAt: '2026-10-10T10:00:00.000Z', facilityCode: 'F1', amountXof: 5000, ...rest })
    if (cashier) l.cashierKey = norm(cashier)
    return l
}
const count = (p: Partial<CashCount>): CashCount => ({ facilityCode: 'F1', date: '2026-10-10', countedXof: 0, cashierId: null, source: 'c.csv', line: 2, ...p })

test('per day: expected = cash payments − cash refunds (SUCCESS only); variance and flags', () => {
    const lines = [
        cash({ amountXof: 10000 }),
        cash({ amountXof: 2000, type: 'REFUND' }),
        cash({ amountXof: 7000, status: 'FAILED' }),
        cash({ amountXof: 9000, channel: 'ORANGE_MONEY' }),
        cash({ amountXof: 4000, occurredAt: '2026-10-11T09:00:00.000Z' }),
        cash({ amountXof: 1000, occurredAt: '2026-10-12T09:00:00.000Z' }),
        cash({ amountXof: 3000, occurredAt: '2026-10-13T09:00:00.000Z' }),
    ]
    const counts = [count({ countedXof: 7500 }), count({ date: '2026-10-11', countedXof: 4500 }), count({ date: '2026-10-12', countedXof: 1000 })]
    expect(reconcileCash(lines, counts, o)).toEqual([
        { facility: 'F1', date: '2026-10-10', cashier: null, expected: 8000, counted: 7500, variance: -500, flag: 'CASH_SHORT' },
        { facility: 'F1', date: '2026-10-11', cashier: null, expected: 4000, counted: 4500, variance: 500, flag: 'CASH_OVER' },
        { facility: 'F1', date: '2026-10-12', cashier: null, expected: 1000, counted: 1000, variance: 0, flag: 'OK' },
        { facility: 'F1', date: '2026-10-13', cashier: null, expected: 3000, counted: null, variance: null, flag: 'CASH_NOT_COUNTED' },
    ])
})

test('the local day follows the facility’s zone (a line at 23:30 UTC is the next day in UTC+1)', () => {
    const rows = reconcileCash([cash({ occurredAt: '2026-10-10T23:30:00.000Z' })], [count({ date: '2026-10-11', countedXof: 5000 })], { ...o, zoneFor: () => 'Africa/Lagos' })
    expect(rows.map((r) => [r.date, r.flag])).toEqual([['2026-10-11', 'OK']])
})

test('per cashier when the counts name one; uncounted cashiers together, never named', () => {
    const lines = [cash({ amountXof: 6000, cashier: 'CAISSE-01' }), cash({ amountXof: 3000, cashier: ' caisse-02' }), cash({ amountXof: 1000, cashier: 'CAISSE-03' }), cash({ amountXof: 500 })]
    const counts = [count({ cashierId: 'CAISSE-01', countedXof: 5000 }), count({ cashierId: 'CAISSE-02', countedXof: 3000 })]
    expect(reconcileCash(lines, counts, o)).toEqual([
        { facility: 'F1', date: '2026-10-10', cashier: null, expected: 1500, counted: null, variance: null, flag: 'CASH_NOT_COUNTED' },
        { facility: 'F1', date: '2026-10-10', cashier: 'CAISSE-01', expected: 6000, counted: 5000, variance: -1000, flag: 'CASH_SHORT' },
        { facility: 'F1', date: '2026-10-10', cashier: 'CAISSE-02', expected: 3000, counted: 3000, variance: 0, flag: 'OK' },
    ])
})

test('facility × months without any count are not reconciled (no flood of not-counted days)', () => {
    const lines = [cash({ occurredAt: '2026-09-10T10:00:00.000Z' }), cash({ occurredAt: '2026-10-03T10:00:00.000Z' })]
    expect(reconcileCash(lines, [count({ countedXof: 0 })], o).map((r) => [r.date, r.flag])).toEqual([
        ['2026-10-03', 'CASH_NOT_COUNTED'],
        ['2026-10-10', 'OK'],
    ])
})

test('facilities without any count are not reconciled; month and facility filters', () => {
    const lines = [cash({ facilityCode: 'F2' }), cash({ occurredAt: '2026-11-02T10:00:00.000Z' })]
    expect(reconcileCash(lines, [count({ countedXof: 0 })], { ...o, month: '2026-10' }).map((r) => [r.facility, r.date, r.flag])).toEqual([['F1', '2026-10-10', 'OK']])
    expect(reconcileCash(lines, [count({ countedXof: 0 })], { ...o, facility: 'F9' })).toEqual([])
})

test('DHIS2 cash totals: shortages and surpluses per facility × month, both ≥ 0', () => {
    const rows = reconcileCash(
        [cash({ amountXof: 1000 }), cash({ amountXof: 1000, occurredAt: '2026-10-11T10:00:00.000Z' }), cash({ amountXof: 1000, occurredAt: '2026-10-12T10:00:00.000Z' })],
        [count({ countedXof: 700 }), count({ date: '2026-10-11', countedXof: 600 }), count({ date: '2026-10-12', countedXof: 1250 })],
        o
    )
    expect(reconValues([], rows).map((v) => [v.dataElement, v.month, v.value])).toEqual([
        ['PAYREV_CASH_OVER', '2026-10', 250],
        ['PAYREV_CASH_SHORT', '2026-10', 700],
    ])
})

import type { LedgerLine } from '../domain/line'
import type { TracedLine } from '../state/lineage'
import { productCatalog, stockConfigSchema } from '../stock/config'
import { lmisMonthTotals } from '../stock/lmis'
import { computeRecords } from '../stock/records'
import { pharmacyLine } from '../../tests/fixtures/ledger-line'
import { explainLmisValue } from './explain-lmis'

// Two ledger codes for one MEDEXIS product (a box of 2 counted as 2 capsules by the LMIS: factor 2), and another product.
const stock = stockConfigSchema.parse({
    products: [
        { ledgerCode: 'AMOX', medexisCode: 'AMOX500', lmis: { dataElement: 'LMIS_AMOX', factor: 2 } },
        { ledgerCode: 'AMOX-BTE', medexisCode: 'AMOX500', lmis: { dataElement: 'LMIS_AMOX', factor: 2 } },
        { ledgerCode: 'PARA', lmis: { dataElement: 'LMIS_PARA' } },
    ],
})
const ctx = { zoneFor: () => 'Africa/Bamako', catalog: productCatalog(stock) }
const traced = (line: LedgerLine, row: number, runId = 1): TracedLine => ({ line, source: 'caisse.csv', row, runId })
const at = (day: string) => `2026-10-${day}T09:00:00.000Z`

const LINES = [
    pharmacyLine({ transactionId: 'S1', occurredAt: at('11'), quantity: 30 }), // counts
    pharmacyLine({ transactionId: 'R1', occurredAt: at('11'), quantity: 10, type: 'REFUND' }), // a return, same day
    pharmacyLine({ transactionId: 'S2', occurredAt: at('12'), quantity: 4, productCode: 'AMOX-BTE' }), // the other ledger code
    pharmacyLine({ transactionId: 'F1', occurredAt: at('12'), quantity: 5, status: 'FAILED' }), // does not count
    pharmacyLine({ transactionId: 'N1', occurredAt: at('12'), quantity: null }), // revenue, not stock
    pharmacyLine({ transactionId: 'R2', occurredAt: at('13'), quantity: 8, type: 'REFUND' }), // returns without sales: the day counts 0
    pharmacyLine({ transactionId: 'P1', occurredAt: at('12'), quantity: 100, productCode: 'PARA' }), // another element
    pharmacyLine({ transactionId: 'S3', occurredAt: '2026-11-01T09:00:00.000Z', quantity: 7 }), // another month
    pharmacyLine({ transactionId: 'S4', occurredAt: at('12'), quantity: 3, facilityCode: 'HBK' }), // another facility
]
const REPLACED: TracedLine = { ...traced(pharmacyLine({ transactionId: 'S1', occurredAt: at('11'), quantity: 25 }), 1), replacedByRun: 2 }

/** What the stock leg would push for LMIS_AMOX in October: records → month totals → lmisMonthTotals. */
function pushed(lines: LedgerLine[]): number {
    const records = computeRecords(lines, ctx).records.filter((r) => r.facility === 'HDB' && r.date.startsWith('2026-10'))
    const byProduct = new Map<string, { product: string; quantity: number; ledgerLines: number; ledgerCodes: string[] }>()
    for (const r of records) {
        const p = byProduct.get(r.product) ?? { product: r.product, quantity: 0, ledgerLines: 0, ledgerCodes: [] }
        p.quantity += r.quantity
        p.ledgerLines += r.ledgerLines
        byProduct.set(r.product, p)
    }
    return lmisMonthTotals(stock, ctx.catalog, [...byProduct.values()]).totals.find((t) => t.dataElement === 'LMIS_AMOX')!.value
}

/** October's LMIS_AMOX value of HDB (48 in the state), explained from these lines. */
const explainOctober = (lines: LedgerLine[], replaced: TracedLine[], sends: Parameters<typeof explainLmisValue>[0]['sends']) =>
    explainLmisValue({
        facility: 'HDB',
        month: '2026-10',
        values: [{ key: 'k', coc: null, desired: 48, accepted: 48 }],
        products: [{ product: 'AMOX500', factor: 2 }],
        traced: lines.map((l, i) => traced(l, i + 2)),
        replaced,
        sends,
        ctx,
    })

describe('explain of an LMIS value', () => {
    const result = explainOctober(LINES, [REPLACED], [{ key: 'k', runId: 1, at: '2026-11-01T02:00:00Z', value: 48, outcome: 'ACCEPTED', errorCode: null, repeats: 1, lastRunId: null, lastAt: null }])

    test('the value is the stock leg’s: factor × Σ days (sales − returns, a negative day 0), equal to what the push computes', () => {
        // 11 Oct: 30 − 10 = 20; 12 Oct: 4 (the other ledger code); 13 Oct: −8 → 0. 24 capsules × 2.
        expect(result.products).toEqual([
            {
                product: 'AMOX500',
                name: null,
                factor: 2,
                quantity: 24,
                records: [
                    { date: '2026-10-11', quantity: 20, ledgerLines: 2, negative: false },
                    { date: '2026-10-12', quantity: 4, ledgerLines: 1, negative: false },
                    { date: '2026-10-13', quantity: 0, ledgerLines: 1, negative: true },
                ],
            },
        ])
        expect(result.computed).toBe(48)
        expect(result.computed).toBe(pushed(LINES))
        expect(result.value).toBe(48)
        expect(result.method).toBe('QUANTITY')
    })

    test('the lines that count are the product’s SUCCESS sales and returns of the month; the others of the product say why', () => {
        expect(result.lines.map((l) => [l.transactionId, l.type, l.quantity])).toEqual([
            ['R1', 'REFUND', 10],
            ['S1', 'PAYMENT', 30],
            ['S2', 'PAYMENT', 4],
            ['R2', 'REFUND', 8],
        ])
        expect(result.lines[1]).toMatchObject({ source: 'caisse.csv', position: 2, productCode: 'AMOX' })
        expect(result.excluded.map((l) => [l.transactionId, l.reason.code])).toEqual([
            ['S1', 'REPLACED'],
            ['F1', 'FAILED'],
            ['N1', 'NO_QUANTITY'],
        ])
        expect(result.withoutQuantity).toBe(1)
        // Another product, month or facility is not listed at all.
        expect([...result.lines, ...result.excluded].some((l) => ['P1', 'S3', 'S4'].includes(l.transactionId))).toBe(false)
    })

    test('a later change in the ledger shows as a pending recomputation, and the sends keep their history', () => {
        const later = explainOctober([...LINES, pharmacyLine({ transactionId: 'S5', occurredAt: at('20'), quantity: 1 })], [], [])
        expect(later.computed).toBe(50)
        expect(later.value).toBe(48)
        expect(result.sends).toEqual([expect.objectContaining({ runId: 1, value: 48, outcome: 'ACCEPTED', channel: null, linesBrought: 6 })])
    })
})

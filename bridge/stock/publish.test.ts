import { buildEntries } from './publish'
import type { ReconcileReport, ReconcileRow } from './reconcile'
import { PUBLISHED_MONTHS, type StockReconcileEntry } from '../../contract/stock-reconcile'

const row = (facility: string, orgUnit: string | null, product: string, p: Partial<ReconcileRow> = {}): ReconcileRow => ({
    facility,
    orgUnit,
    product,
    productName: 'Amoxicilline 500 mg gélule',
    ledgerCodes: [product],
    month: '2026-10',
    sold: 10,
    soldLmisUnits: 10,
    amountXof: 750,
    ledgerLines: 2,
    factor: 1,
    lmisUnit: 'gélule',
    dispensed: 12,
    stockOnHand: 40,
    stockOutDays: 0,
    openingBalance: 30,
    received: 20,
    gapPercent: 16.7,
    flags: ['SALES_DISPENSED_GAP'],
    ...p,
})

const report = (month: string, rows: ReconcileRow[], lmisOperands: ReconcileReport['lmisOperands'] = {}): ReconcileReport => ({
    command: 'stock reconcile',
    month,
    dataSet: 'SIGL_PHARMA_MENSUEL',
    lmisRead: true,
    gapThresholdPercent: 10,
    rows: rows.map((r) => ({ ...r, month })),
    flagged: rows.filter((r) => r.flags.length).length,
    flagCounts: { SALE_DURING_STOCKOUT: 0, SALES_EXCEED_AVAILABLE: 0, SALES_DISPENSED_GAP: 0, UNMAPPED_PRODUCT: 0 },
    missingProduct: 0,
    warnings: [],
    exitCode: 0,
    lmisOperands,
})

const OPS = { AMOX500C: { dispensed: { dataElement: 'DeAmox50001', categoryOptionCombo: 'CocQd000001' } } }

describe('the reconciliation published for the dashboards', () => {
    it('one entry per org unit, months merged with what was there, product names left out', () => {
        const before: StockReconcileEntry = {
            kind: 'stock-reconcile',
            schemaVersion: 1,
            orgUnit: 'OuHdb000001',
            facility: 'ML-BKO-HDB',
            updatedAt: '2026-10-01T00:00:00.000Z',
            dataSet: 'SIGL_PHARMA_MENSUEL',
            gapThresholdPercent: 10,
            lmis: OPS,
            months: [
                { month: '2026-08', lmisRead: true, reconciledAt: '2026-10-01T00:00:00.000Z', rows: [] },
                { month: '2026-10', lmisRead: false, reconciledAt: '2026-10-01T00:00:00.000Z', rows: [] },
            ],
        }
        const entries = buildEntries(
            [
                report('2026-10', [row('ML-BKO-HDB', 'OuHdb000001', 'AMOX500C'), row('ML-BKO-CHUGT', 'OuChugt0001', 'AMOX500C', { flags: [] })], OPS),
                report('2026-09', [row('ML-BKO-HDB', 'OuHdb000001', 'AMOX500C', { sold: 4 }), row('XX-UNKNOWN', null, 'AMOX500C')], OPS),
            ],
            (ou) => (ou === 'OuHdb000001' ? before : null),
            '2026-11-23T06:00:00.000Z'
        )
        expect(entries.map((e) => e.orgUnit)).toEqual(['OuChugt0001', 'OuHdb000001'])
        const hdb = entries[1]
        expect(hdb.months.map((m) => [m.month, m.lmisRead, m.rows.length])).toEqual([
            ['2026-08', true, 0],
            ['2026-09', true, 1],
            ['2026-10', true, 1],
        ])
        expect(hdb.months[1].rows[0].sold).toBe(4)
        expect(hdb.months[2].rows[0].flags).toEqual(['SALES_DISPENSED_GAP'])
        expect(hdb.lmis).toEqual(OPS)
        expect(JSON.stringify(entries)).not.toContain('Amoxicilline')
        expect(JSON.stringify(entries)).not.toContain('XX-UNKNOWN')
    })

    it('keeps the newest months only, and the mapping it knew when a run could not read the LMIS', () => {
        const months = Array.from({ length: PUBLISHED_MONTHS + 3 }, (_, i) => new Date(Date.UTC(2024, i, 1)).toISOString().slice(0, 7))
        const [first] = buildEntries(
            months.map((m) => report(m, [row('ML-BKO-HDB', 'OuHdb000001', 'AMOX500C')], OPS)),
            () => null,
            '2026-11-23T06:00:00.000Z'
        )
        expect(first.months).toHaveLength(PUBLISHED_MONTHS)
        expect(first.months[0].month).toBe(months[3])
        expect(first.months.at(-1)!.month).toBe(months.at(-1))

        const [again] = buildEntries([report('2026-11', [row('ML-BKO-HDB', 'OuHdb000001', 'AMOX500C')], {})], () => first, '2026-11-24T06:00:00.000Z')
        expect(again.lmis).toEqual(OPS)
        expect(again.months).toHaveLength(PUBLISHED_MONTHS)
    })
})

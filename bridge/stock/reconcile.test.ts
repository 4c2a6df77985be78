import { stockConfigSchema, type LmisVariable } from './config'
import { previousMonth, reconcileRows, renderReconcile, type ReconcileReport } from './reconcile'

const cfg = stockConfigSchema.parse({
    lmis: { dataSet: 'LMIS_MONTHLY', categoryOptionCombos: { dispensed: 'DIST', stockOnHand: 'SDU', stockOutDays: 'JR', openingBalance: 'SI', received: 'RECU' } },
    products: [
        { ledgerCode: 'AMOX500C', lmis: { dataElement: 'LMIS_AMOX' } },
        { ledgerCode: 'PARA-BOX', medexisCode: 'PARA500', lmis: { dataElement: 'LMIS_PARA', factor: 100, unit: 'comprimé' } },
        // Shape (ii): its own elements, no opening balance / received mapped.
        { ledgerCode: 'SRO', lmis: { dataElement: 'SRO_DIST', categoryOptionCombo: 'default', stockOutDays: { dataElement: 'SRO_JR' } } },
    ],
})

type Figures = Partial<Record<LmisVariable, number>>
const lmis = (data: Record<string, Figures>) => (facility: string, v: LmisVariable, product: string) => data[`${facility}/${product}`]?.[v] ?? null
const sale = (product: string, sold: number, facility = 'ML-BKO-HDB') => ({ facility, product, productName: null, ledgerCodes: [product], sold, amountXof: sold * 100, ledgerLines: 1 })

function rowsFor(sales: ReturnType<typeof sale>[], data: Record<string, Figures>, threshold?: number) {
    const c = threshold === undefined ? cfg : { ...cfg, reconcile: { gapThresholdPercent: threshold } }
    return reconcileRows({ month: '2025-03', cfg: c, sales, facilities: ['ML-BKO-HDB'], lmisValue: lmis(data) })
}

describe('reconciliation flags', () => {
    it('no flag when sales, dispensed and stock agree', () => {
        const [r] = rowsFor([sale('AMOX500C', 100)], { 'ML-BKO-HDB/AMOX500C': { dispensed: 100, stockOnHand: 50, stockOutDays: 0, openingBalance: 80, received: 70 } })
        expect(r.flags).toEqual([])
        expect(r.gapPercent).toBe(0)
    })

    it('SALE_DURING_STOCKOUT: sold > 0 in a month with stock-out days', () => {
        const [r] = rowsFor([sale('AMOX500C', 10)], { 'ML-BKO-HDB/AMOX500C': { dispensed: 10, stockOutDays: 4 } })
        expect(r.flags).toEqual(['SALE_DURING_STOCKOUT'])
        const [none] = rowsFor([sale('AMOX500C', 0)], { 'ML-BKO-HDB/AMOX500C': { stockOutDays: 4 } })
        expect(none.flags).not.toContain('SALE_DURING_STOCKOUT')
    })

    it('SALES_EXCEED_AVAILABLE: sold more than opening + received, in LMIS units', () => {
        // 2 boxes × 100 = 200 tablets > 120 + 50.
        const [r] = rowsFor([sale('PARA500', 2)], { 'ML-BKO-HDB/PARA500': { openingBalance: 120, received: 50, dispensed: 200 } })
        expect(r.soldLmisUnits).toBe(200)
        expect(r.flags).toEqual(['SALES_EXCEED_AVAILABLE'])
        const [ok] = rowsFor([sale('PARA500', 1.7)], { 'ML-BKO-HDB/PARA500': { openingBalance: 120, received: 50, dispensed: 170 } })
        expect(ok.flags).toEqual([])
        // Not mapped for SRO: never judged.
        const [sro] = rowsFor([sale('SRO', 1000)], { 'ML-BKO-HDB/SRO': { dispensed: 1000 } })
        expect(sro.flags).toEqual([])
    })

    it('SALES_DISPENSED_GAP: above the threshold, relative to dispensed', () => {
        const at = (sold: number, dispensed: number, threshold?: number) => rowsFor([sale('AMOX500C', sold)], { 'ML-BKO-HDB/AMOX500C': { dispensed } }, threshold)[0]
        expect(at(90, 100).flags).toEqual([])
        expect(at(89, 100).flags).toEqual(['SALES_DISPENSED_GAP'])
        expect(at(89, 100).gapPercent).toBe(11)
        expect(at(111, 100).flags).toEqual(['SALES_DISPENSED_GAP'])
        expect(at(89, 100, 15).flags).toEqual([])
        expect(at(5, 0).flags).toEqual(['SALES_DISPENSED_GAP'])
        expect(at(0, 0).flags).toEqual([])
        // Nothing reported as dispensed: no judgement.
        expect(rowsFor([sale('AMOX500C', 5)], {})[0].flags).toEqual([])
    })

    it('UNMAPPED_PRODUCT: a product sold without LMIS mapping', () => {
        const rows = rowsFor([sale('IBU400', 3), sale('AMOX500C', 3)], { 'ML-BKO-HDB/AMOX500C': { dispensed: 3 } })
        expect(rows.map((r) => [r.product, r.flags])).toEqual([
            ['AMOX500C', []],
            ['IBU400', ['UNMAPPED_PRODUCT']],
        ])
    })

    it('reports mapped products the LMIS knows even without sales', () => {
        const rows = reconcileRows({
            month: '2025-03',
            cfg,
            sales: [],
            facilities: ['ML-BKO-HDB'],
            lmisValue: lmis({ 'ML-BKO-HDB/AMOX500C': { dispensed: 40 } }),
            lmisProducts: () => ['AMOX500C'],
        })
        expect(rows.map((r) => [r.product, r.sold, r.dispensed, r.flags])).toEqual([['AMOX500C', 0, 40, ['SALES_DISPENSED_GAP']]])
    })
})

describe('reconciliation report', () => {
    const rows = rowsFor([sale('AMOX500C', 10), sale('IBU400', 1)], { 'ML-BKO-HDB/AMOX500C': { dispensed: 10, stockOutDays: 3, stockOnHand: 0 } })
    const report: ReconcileReport = {
        command: 'stock reconcile',
        month: '2025-03',
        dataSet: 'LMIS_MONTHLY',
        lmisRead: true,
        gapThresholdPercent: 10,
        rows,
        flagged: 2,
        flagCounts: { SALE_DURING_STOCKOUT: 1, SALES_EXCEED_AVAILABLE: 0, SALES_DISPENSED_GAP: 0, UNMAPPED_PRODUCT: 1 },
        missingProduct: 0,
        warnings: [],
        exitCode: 0,
    }
    it('speaks French by default and English on request', () => {
        const fr = renderReconcile(report, 'fr')
        expect(fr).toContain('vendu pendant une rupture de stock')
        expect(fr).toContain('jours de rupture 3')
        const en = renderReconcile(report, 'en')
        expect(en).toContain('sold during a stock-out')
        expect(en).toContain('product without LMIS mapping')
    })
    it('defaults to the last closed month of the zone', () => {
        expect(previousMonth(new Date('2025-04-01T00:30:00Z'), 'Africa/Bamako')).toBe('2025-03')
        expect(previousMonth(new Date('2025-03-31T23:30:00Z'), 'Asia/Tokyo')).toBe('2025-03')
        expect(previousMonth(new Date('2025-01-15T12:00:00Z'), 'Africa/Bamako')).toBe('2024-12')
    })
})

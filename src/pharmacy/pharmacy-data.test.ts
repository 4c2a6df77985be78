import type { StockReconcileEntry } from '@recettes/contract'
import { lmisOperands, lmisRequest, parseLmisAnalytics, parseReconcileEntries, pharmacyFigures } from './pharmacy-data'

const op = (de: string, coc: string) => ({ dataElement: de, categoryOptionCombo: coc })
const entry = (orgUnit: string, updatedAt: string, lmis: StockReconcileEntry['lmis'], months: StockReconcileEntry['months'] = []): StockReconcileEntry => ({
    kind: 'stock-reconcile',
    schemaVersion: 1,
    orgUnit,
    facility: orgUnit,
    updatedAt,
    dataSet: 'LMIS',
    gapThresholdPercent: 10,
    lmis,
    months,
})

describe('pharmacy data', () => {
    it('keeps the entries asked for, lists unreadable ones of ours, ignores run summaries', () => {
        const good = entry('OuA00000001', '2026-11-01T00:00:00Z', {})
        const parsed = parseReconcileEntries(
            [
                { key: 'stock-reconcile-OuA00000001', value: good },
                { key: 'stock-reconcile-OuB00000001', value: entry('OuB00000001', '2026-11-01T00:00:00Z', {}) },
                { key: 'stock-reconcile-OuC00000001', value: { kind: 'stock-reconcile' } },
                { key: 'facility-OuA00000001', value: { orgUnit: 'OuA00000001' } },
            ],
            ['OuA00000001']
        )
        expect(parsed.entries).toEqual([good])
        expect(parsed.invalidKeys).toEqual(['stock-reconcile-OuC00000001'])
        expect(() => parseReconcileEntries({ nope: true }, [])).toThrow()
    })

    it('the newest mapping wins, and an operand two products share feeds both', () => {
        const older = entry('OuA00000001', '2026-10-01T00:00:00Z', { AMOX: { dispensed: op('OldDe000001', 'Coc00000001') } })
        const newer = entry('OuB00000001', '2026-11-01T00:00:00Z', {
            AMOX: { dispensed: op('DeAmox00001', 'CocQd000001'), stockOutDays: op('DeAmox00001', 'CocJr000001'), received: op('DeAmox00001', 'CocQr000001') },
            AMOXB: { dispensed: op('DeAmox00001', 'CocQd000001') },
        })
        const ops = lmisOperands([older, newer])
        expect(ops.get('AMOX')).toEqual({ dispensed: op('DeAmox00001', 'CocQd000001'), stockOutDays: op('DeAmox00001', 'CocJr000001') })
        const req = lmisRequest(ops, 'OuA00000001', { start: 2026 * 12 + 8, end: 2026 * 12 + 9 })!
        expect(req.dimension).toEqual(['dx:DeAmox00001.CocJr000001;DeAmox00001.CocQd000001', 'pe:202609;202610'])
        const figures = parseLmisAnalytics(
            {
                headers: [{ name: 'pe' }, { name: 'dx' }, { name: 'value' }],
                rows: [
                    ['202610', 'DeAmox00001.CocQd000001', '120'],
                    ['202610', 'DeAmox00001.CocJr000001', '3'],
                    ['202609', 'Unknown0001.CocQd000001', '9'],
                ],
            },
            ops
        )
        expect(figures.get('AMOX|dispensed')?.get('202610')).toBe(120)
        expect(figures.get('AMOXB|dispensed')?.get('202610')).toBe(120)
        expect(figures.get('AMOX|stockOutDays')?.get('202610')).toBe(3)
        expect(lmisRequest(new Map(), 'OuA00000001', { start: 1, end: 1 })).toBeNull()
    })

    it('months read without the LMIS are said to be sales only', () => {
        const e = entry('OuA00000001', '2026-11-01T00:00:00Z', {}, [
            {
                month: '2026-10',
                lmisRead: false,
                reconciledAt: '2026-11-01T00:00:00Z',
                rows: [
                    {
                        product: 'AMOX',
                        ledgerCodes: ['AMOX'],
                        sold: 5,
                        soldLmisUnits: 50,
                        factor: 10,
                        lmisUnit: 'comprimé',
                        amountXof: 500,
                        ledgerLines: 1,
                        dispensed: null,
                        stockOnHand: null,
                        stockOutDays: null,
                        openingBalance: null,
                        received: null,
                        gapPercent: null,
                        flags: [],
                    },
                ],
            },
        ])
        const f = pharmacyFigures([e], new Map(), null, { start: 2026 * 12 + 9, end: 2026 * 12 + 9 })
        expect(f.lmisReadEverywhere).toBe(false)
        expect(f.monthsCovered).toEqual(['2026-10'])
        // in LMIS units (× factor)
        expect(f.products.map((p) => [p.product, p.sold, p.dispensed])).toEqual([['AMOX', 50, null]])
    })
})

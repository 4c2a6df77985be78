import { line } from '../../tests/stock/helpers'
import { productCatalog, stockConfigSchema } from './config'
import { computeRecords, idPathSegment, localDate, recordId } from './records'

const zones: Record<string, string> = { 'ML-BKO-HDB': 'Africa/Bamako', 'JP-TKY': 'Asia/Tokyo', 'US-NYC': 'America/New_York' }
const ctx = (stock: unknown = {}) => ({ zoneFor: (f: string) => zones[f] ?? 'Africa/Bamako', catalog: productCatalog(stockConfigSchema.parse(stock)) })

describe('record id', () => {
    it('is facility:product:day and URL-safe', () => {
        expect(recordId('ML-BKO-HDB', 'AMOX500C', '2025-03-14')).toBe('ML-BKO-HDB:AMOX500C:2025-03-14')
        const odd = recordId('CS COM/1', 'PARA:500 é', '2025-03-14')
        expect(odd).toBe('CS%20COM%2F1:PARA%3A500%20%C3%A9:2025-03-14')
        expect(odd.split(':')).toHaveLength(3)
        expect(encodeURI(odd)).toBe(odd.replace(/%/g, '%25'))
        expect(decodeURIComponent(idPathSegment(odd))).toBe(odd)
    })
})

describe('daily totals', () => {
    it('cut days in each facility’s own time zone', () => {
        const instants = ['2025-03-14T23:30:00.000Z', '2025-03-14T03:00:00.000Z']
        const lines = ['ML-BKO-HDB', 'JP-TKY', 'US-NYC'].flatMap((f) => instants.map((at) => line({ facilityCode: f, occurredAt: at, quantity: 5 })))
        const { records } = computeRecords(lines, ctx())
        const byFacility = (f: string) => records.filter((r) => r.facility === f).map((r) => [r.date, r.quantity])
        // Bamako UTC+0: both on the 14th. Tokyo UTC+9: 03:00Z is the 14th at noon, 23:30Z the 15th. New York UTC−4 (DST since 9 March): 03:00Z is the 13th.
        expect(byFacility('ML-BKO-HDB')).toEqual([['2025-03-14', 10]])
        expect(byFacility('JP-TKY')).toEqual([
            ['2025-03-14', 5],
            ['2025-03-15', 5],
        ])
        expect(byFacility('US-NYC')).toEqual([
            ['2025-03-13', 5],
            ['2025-03-14', 5],
        ])
        expect(localDate('2025-03-14T23:30:00.000Z', 'Asia/Tokyo')).toBe('2025-03-15')
    })

    it('sum quantities, amounts and lines of successful payments per product and day', () => {
        const lines = [
            line({ occurredAt: '2025-03-14T08:00:00.000Z', quantity: 20, amountXof: 3000 }),
            line({ occurredAt: '2025-03-14T17:00:00.000Z', quantity: 4, amountXof: 600 }),
            line({ occurredAt: '2025-03-14T09:00:00.000Z', productCode: 'PARA500', productName: 'Paracétamol', quantity: 8, unit: 'comprimé', amountXof: 400 }),
            line({ occurredAt: '2025-03-14T10:00:00.000Z', status: 'PENDING', quantity: 100 }),
            line({ occurredAt: '2025-03-14T10:00:00.000Z', status: 'FAILED', quantity: 100 }),
            line({ occurredAt: '2025-03-14T10:00:00.000Z', status: 'CANCELLED', quantity: 100 }),
            line({ occurredAt: '2025-03-14T10:00:00.000Z', status: 'EXPIRED', quantity: 100 }),
            line({ occurredAt: '2025-03-14T10:00:00.000Z', service: 'CONSULTATION', quantity: 100 }),
        ]
        const { records, missingProduct } = computeRecords(lines, ctx())
        expect(missingProduct).toBe(0)
        expect(records.map((r) => [r.id, r.quantity, r.amountXof, r.ledgerLines, r.unit])).toEqual([
            ['ML-BKO-HDB:AMOX500C:2025-03-14', 24, 3600, 2, 'gélule'],
            ['ML-BKO-HDB:PARA500:2025-03-14', 8, 400, 1, 'comprimé'],
        ])
    })

    it('lower a day by its refunds (goods returned), on the refund’s own day', () => {
        const lines = [
            line({ occurredAt: '2025-03-14T08:00:00.000Z', quantity: 30, amountXof: 4500 }),
            line({ occurredAt: '2025-03-15T08:00:00.000Z', quantity: 10, amountXof: 1500 }),
            line({ occurredAt: '2025-03-15T09:00:00.000Z', type: 'REFUND', quantity: 6, amountXof: 900 }),
            line({ occurredAt: '2025-03-15T09:00:00.000Z', type: 'REFUND', status: 'PENDING', quantity: 50 }),
        ]
        const { records } = computeRecords(lines, ctx())
        expect(records.map((r) => [r.date, r.quantity, r.amountXof, r.ledgerLines, r.negative])).toEqual([
            ['2025-03-14', 30, 4500, 1, false],
            ['2025-03-15', 4, 600, 2, false],
        ])
    })

    it('never go below 0 and flag the day', () => {
        const lines = [
            line({ occurredAt: '2025-03-15T08:00:00.000Z', quantity: 2, amountXof: 300 }),
            line({ occurredAt: '2025-03-15T09:00:00.000Z', type: 'REFUND', quantity: 5, amountXof: 750 }),
        ]
        const [r] = computeRecords(lines, ctx()).records
        expect([r.quantity, r.amountXof, r.negative]).toEqual([0, 0, true])
    })

    it('stop counting a line once it is REVERSED (the latest version wins)', () => {
        const first = line({ occurredAt: '2025-03-14T08:00:00.000Z', quantity: 12 })
        const other = line({ occurredAt: '2025-03-14T09:00:00.000Z', quantity: 3 })
        expect(computeRecords([first, other], ctx()).records[0].quantity).toBe(15)
        const reversed = { ...first, status: 'REVERSED' as const, updatedAt: '2025-03-20T10:00:00.000Z' }
        const { records } = computeRecords([first, other, reversed], ctx())
        expect(records.map((r) => [r.date, r.quantity, r.ledgerLines])).toEqual([['2025-03-14', 3, 1]])
    })

    it('count pharmacy lines without product code or quantity as missing a product', () => {
        const lines = [
            line({ occurredAt: '2025-03-14T08:00:00.000Z', productCode: null, productName: null, quantity: null, unit: null }),
            line({ occurredAt: '2025-03-14T08:00:00.000Z', quantity: null }),
            line({ occurredAt: '2025-03-14T08:00:00.000Z', productCode: null, status: 'FAILED' }),
            line({ occurredAt: '2025-03-14T08:00:00.000Z', quantity: 7 }),
        ]
        const { records, missingProduct } = computeRecords(lines, ctx())
        expect(missingProduct).toBe(2)
        expect(records.map((r) => r.quantity)).toEqual([7])
    })

    it('use the mapping’s MEDEXIS code, name and unit, merging ledger codes of one product', () => {
        const stock = {
            products: [
                { ledgerCode: 'AMOX-CP', medexisCode: 'MX-AMOX500', name: 'Amoxicilline 500 mg', unit: 'gélule' },
                { ledgerCode: 'AMOX500', medexisCode: 'MX-AMOX500', name: 'Amoxicilline 500 mg', unit: 'gélule' },
            ],
        }
        const lines = [
            line({ occurredAt: '2025-03-14T08:00:00.000Z', productCode: 'AMOX-CP', quantity: 5, unit: 'cp' }),
            line({ occurredAt: '2025-03-14T08:00:00.000Z', productCode: 'AMOX500', quantity: 7, unit: 'gel' }),
            line({ occurredAt: '2025-03-14T08:00:00.000Z', productCode: 'UNMAPPED1', productName: 'Autre', quantity: 1 }),
        ]
        const { records } = computeRecords(lines, ctx(stock))
        expect(records.map((r) => [r.id, r.productName, r.unit, r.quantity, r.ledgerCodes, r.mixedUnits])).toEqual([
            ['ML-BKO-HDB:MX-AMOX500:2025-03-14', 'Amoxicilline 500 mg', 'gélule', 12, ['AMOX-CP', 'AMOX500'], false],
            ['ML-BKO-HDB:UNMAPPED1:2025-03-14', 'Autre', 'gélule', 1, ['UNMAPPED1'], false],
        ])
    })

    it('count a line seen twice once (the later version given wins)', () => {
        const a = line({ occurredAt: '2025-03-14T08:00:00.000Z', quantity: 5 })
        const b = { ...a, quantity: 9 }
        expect(computeRecords([a, b, a, b], ctx()).records.map((r) => [r.quantity, r.ledgerLines])).toEqual([[9, 1]])
    })
})

import { monthIndex } from '../compute/periods'
import { facilityRows, matchedShare, totalOf, trend, trendMonths, unreconciled, zeroFigures, type ReconFact } from './reconciliation'

const OCT = { start: monthIndex(2026, 10), end: monthIndex(2026, 10) }
const Q3 = { start: monthIndex(2026, 7), end: monthIndex(2026, 9) }

const f = (de: ReconFact['de'], pe: string, ou: string, channel: ReconFact['channel'], value: number): ReconFact => ({ de, pe, ou, channel, value })

// Two facilities in October: A has Orange Money discrepancies and a cash shortage, B only a card fee.
const FACTS: ReconFact[] = [
    f('PAYREV_RECON_MATCHED', '202610', 'A', 'ORANGE_MONEY', 900_000),
    f('PAYREV_RECON_LEDGER_ONLY', '202610', 'A', 'ORANGE_MONEY', 50_000),
    f('PAYREV_RECON_STATEMENT_ONLY', '202610', 'A', 'ORANGE_MONEY', 25_000),
    f('PAYREV_RECON_AMOUNT_GAP', '202610', 'A', 'ORANGE_MONEY', 5_000),
    f('PAYREV_FEES', '202610', 'A', 'ORANGE_MONEY', 9_000),
    f('PAYREV_RECON_MATCHED', '202610', 'A', 'CARD', 100_000),
    f('PAYREV_CASH_SHORT', '202610', 'A', null, 12_000),
    f('PAYREV_CASH_OVER', '202610', 'A', null, 3_000),
    f('PAYREV_RECON_MATCHED', '202610', 'B', 'CARD', 200_000),
    f('PAYREV_FEES', '202610', 'B', 'CARD', 4_000),
    // September: outside October, inside the trend
    f('PAYREV_RECON_LEDGER_ONLY', '202609', 'B', 'MOOV_MONEY', 70_000),
    // A facility outside the selection
    f('PAYREV_RECON_LEDGER_ONLY', '202610', 'Z', 'CARD', 1_000_000),
]
const FACILITIES = [
    { id: 'B', name: 'Béta' },
    { id: 'A', name: 'Alpha' },
    { id: 'C', name: 'Gamma' },
]

describe('definitions', () => {
    test('matched share = matched ÷ (matched + ledger only + statement only + amount gap); fees and cash stay out', () => {
        const x = { ...zeroFigures(), matched: 900, ledgerOnly: 50, statementOnly: 25, amountGap: 25, fees: 999, cashShort: 999, cashOver: 999 }
        expect(matchedShare(x)).toBe(0.9)
        expect(matchedShare({ ...zeroFigures(), cashShort: 10 })).toBeNull()
    })
    test('unreconciled = ledger only + statement only + amount gap + cash short + cash over (fees excluded)', () => {
        expect(unreconciled({ matched: 1, ledgerOnly: 2, statementOnly: 4, amountGap: 8, fees: 16, cashShort: 32, cashOver: 64 })).toBe(110)
    })
})

describe('facilityRows', () => {
    const rows = facilityRows(FACTS, FACILITIES, OCT, 'fr')

    test('ranks by unreconciled amount, facilities without data last and unranked', () => {
        expect(rows.map((r) => [r.id, r.rank])).toEqual([
            ['A', 1],
            ['B', 2],
            ['C', null],
        ])
        // A: 50 000 + 25 000 + 5 000 + 12 000 + 3 000
        expect(rows[0].unreconciled).toBe(95_000)
        expect(rows[1].unreconciled).toBe(0)
        expect(rows[2].hasData).toBe(false)
    })

    test('facility totals and matched share over the selection only', () => {
        const a = rows[0]
        expect(a.figures).toEqual({ matched: 1_000_000, ledgerOnly: 50_000, statementOnly: 25_000, amountGap: 5_000, fees: 9_000, cashShort: 12_000, cashOver: 3_000 })
        // 1 000 000 / (1 000 000 + 50 000 + 25 000 + 5 000)
        expect(a.matchedShare).toBeCloseTo(1_000_000 / 1_080_000, 12)
        expect(rows[1].matchedShare).toBe(1)
    })

    test('channels in product order; cash short/over belong to CASH, whose matched share is n/a; channels add up to the facility', () => {
        const a = rows[0]
        expect(a.channels.map((c) => c.channel)).toEqual(['CASH', 'ORANGE_MONEY', 'CARD'])
        const cash = a.channels[0]
        expect(cash.figures.cashShort).toBe(12_000)
        expect(cash.matchedShare).toBeNull()
        expect(cash.unreconciled).toBe(15_000)
        expect(a.channels[1].matchedShare).toBeCloseTo(900_000 / 980_000, 12)
        expect(a.channels.reduce((s, c) => s + c.unreconciled, 0)).toBe(a.unreconciled)
    })

    test('a quarter sums its months; ties are ranked by name', () => {
        const q = facilityRows(FACTS, FACILITIES, Q3, 'fr')
        expect(q.map((r) => [r.id, r.rank, r.unreconciled])).toEqual([
            ['B', 1, 70_000],
            ['A', null, 0],
            ['C', null, 0],
        ])
        const tie = facilityRows(
            [f('PAYREV_RECON_MATCHED', '202610', 'A', 'CARD', 1), f('PAYREV_RECON_MATCHED', '202610', 'B', 'CARD', 1)],
            FACILITIES,
            OCT,
            'fr'
        )
        expect(tie.map((r) => r.id)).toEqual(['A', 'B', 'C'])
    })

    test('the selection total is the sum of the facility rows (nothing outside them)', () => {
        expect(totalOf(rows).ledgerOnly).toBe(50_000)
        expect(totalOf(rows).fees).toBe(13_000)
    })
})

describe('trend', () => {
    test('12 months up to the selection end, summed over the facilities given', () => {
        const months = trendMonths(OCT)
        expect(months).toHaveLength(12)
        expect(months[0]).toBe('202511')
        expect(months[11]).toBe('202610')
        const points = trend(FACTS, ['A', 'B'], months)
        const sep = points.find((p) => p.pe === '202609')!
        expect(sep.ledgerOnly).toBe(70_000)
        expect(sep.matchedShare).toBe(0)
        const oct = points.find((p) => p.pe === '202610')!
        // Z is not among the facilities
        expect(oct.ledgerOnly).toBe(50_000)
        expect(oct.unreconciled).toBe(95_000)
        expect(points.find((p) => p.pe === '202601')!.hasData).toBe(false)
    })
})

import type { Fact } from '../analytics/parse'
import { comparisonRanges } from '../analytics/requests'
import { monthIndex } from '../compute/periods'
import type { Channel } from '@recettes/contract'
import { leagueRows, sortRows } from './league'

const f = (ou: string, de: Fact['de'], pe: string, channel: Channel, value: number): Fact => ({ de, pe, ou, channel, service: null, value })
const facilities = [
    { id: 'A', name: 'Hôpital A' },
    { id: 'B', name: 'Hôpital B' },
    { id: 'C', name: 'Centre C' },
]

describe('leagueRows', () => {
    it('computes revenue, growth, digital share, ticket, refund and failure rates per facility', () => {
        const rows = leagueRows(
            [
                f('A', 'PAYREV_GROSS', '202610', 'CASH', 600),
                f('A', 'PAYREV_GROSS', '202610', 'ORANGE_MONEY', 400),
                f('A', 'PAYREV_REFUNDS', '202610', 'CASH', 50),
                f('A', 'PAYREV_PAYMENTS', '202610', 'CASH', 8),
                f('A', 'PAYREV_PAYMENTS', '202610', 'ORANGE_MONEY', 2),
                f('A', 'PAYREV_FAILED', '202610', 'ORANGE_MONEY', 10),
                f('A', 'PAYREV_GROSS', '202609', 'CASH', 800),
                f('A', 'PAYREV_GROSS', '202510', 'CASH', 2000),
                f('B', 'PAYREV_GROSS', '202609', 'CASH', 100),
            ],
            facilities,
            comparisonRanges({ start: monthIndex(2026, 10), end: monthIndex(2026, 10) })
        )
        const a = rows.find((r) => r.id === 'A')!
        expect(a.gross).toBe(1000)
        expect(a.previousGrowth).toBeCloseTo(0.25)
        expect(a.yearGrowth).toBeCloseTo(-0.5)
        expect(a.digitalShare).toBeCloseTo(0.4)
        expect(a.averageTicket).toBe(100)
        expect(a.refundRate).toBeCloseTo(0.05)
        expect(a.failureRate).toBeCloseTo(0.5)
        const b = rows.find((r) => r.id === 'B')!
        expect(b).toMatchObject({ gross: 0, hasData: false, previousGrowth: -1, yearGrowth: null, digitalShare: null })
        expect(rows.find((r) => r.id === 'C')).toMatchObject({ hasData: false, previousGrowth: null })
    })

    it('sums each range over its own periods only, when a quarter and its months are both in the answer', () => {
        // A 9-month "this year" selection: previous = April–December 2025 (2025Q2–Q4), last year =
        // January–September 2025 (2025Q1–Q3). Both share 2025Q2; a month inside it, had the answer
        // held one too, must not be added on top of the quarter.
        const ranges = comparisonRanges({ start: monthIndex(2026, 1), end: monthIndex(2026, 9) })
        const facts = [
            f('A', 'PAYREV_GROSS', '2026Q1', 'CASH', 300),
            f('A', 'PAYREV_GROSS', '2026Q2', 'CASH', 300),
            f('A', 'PAYREV_GROSS', '2026Q3', 'CASH', 300),
            f('A', 'PAYREV_GROSS', '202504', 'CASH', 100), // inside both ranges, in neither cover
            f('A', 'PAYREV_GROSS', '2025Q2', 'CASH', 100), // in both covers
            f('A', 'PAYREV_GROSS', '2025Q1', 'CASH', 50),
        ]
        const a = leagueRows(facts, facilities, ranges).find((r) => r.id === 'A')!
        expect(a.gross).toBe(900)
        expect(a.previousGrowth).toBeCloseTo(900 / 100 - 1)
        expect(a.yearGrowth).toBeCloseTo(900 / 150 - 1)
    })
})

describe('sortRows', () => {
    const rows = leagueRows(
        [
            f('A', 'PAYREV_GROSS', '202610', 'CASH', 500),
            f('A', 'PAYREV_GROSS', '202609', 'CASH', 1000),
            f('B', 'PAYREV_GROSS', '202610', 'CASH', 900),
            f('B', 'PAYREV_GROSS', '202609', 'CASH', 300),
        ],
        facilities,
        comparisonRanges({ start: monthIndex(2026, 10), end: monthIndex(2026, 10) })
    )
    it('sorts by a figure either way, n/a always last', () => {
        expect(sortRows(rows, 'gross', 'desc', 'fr').map((r) => r.id)).toEqual(['B', 'A', 'C'])
        expect(sortRows(rows, 'previousGrowth', 'asc', 'fr').map((r) => r.id)).toEqual(['A', 'B', 'C'])
        expect(sortRows(rows, 'previousGrowth', 'desc', 'fr').map((r) => r.id)).toEqual(['B', 'A', 'C'])
    })
    it('sorts names with the locale’s collation', () => {
        expect(sortRows(rows, 'name', 'asc', 'fr').map((r) => r.name)).toEqual(['Centre C', 'Hôpital A', 'Hôpital B'])
    })
    it('does not change the input', () => {
        const before = rows.map((r) => r.id)
        sortRows(rows, 'gross', 'asc', 'fr')
        expect(rows.map((r) => r.id)).toEqual(before)
    })
})

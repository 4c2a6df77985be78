import {
    isoCover,
    isoMonth,
    isoPeriodRange,
    monthIndex,
    monthsOf,
    parsePeriodId,
    previousRange,
    recentMonths,
    recentQuarters,
    resolvePeriod,
    sameRangeLastYear,
    yearToDate,
    type MonthRange,
} from './periods'

const m = (y: number, mo: number) => monthIndex(y, mo)
const ids = (r: MonthRange) => monthsOf(r).map(isoMonth)
const today = new Date(2026, 10, 23, 10, 0) // 23 November 2026, local time

describe('month arithmetic', () => {
    it('crosses year boundaries both ways', () => {
        expect(isoMonth(m(2026, 1) - 1)).toBe('202512')
        expect(isoMonth(m(2025, 12) + 1)).toBe('202601')
        expect(isoMonth(m(2026, 3) - 14)).toBe('202501')
    })

    it('previous period has the same length and ends just before', () => {
        expect(ids(previousRange({ start: m(2026, 1), end: m(2026, 1) }))).toEqual(['202512'])
        expect(ids(previousRange({ start: m(2026, 1), end: m(2026, 3) }))).toEqual(['202510', '202511', '202512'])
    })

    it('same period last year shifts twelve months', () => {
        expect(ids(sameRangeLastYear({ start: m(2026, 2), end: m(2026, 3) }))).toEqual(['202502', '202503'])
    })

    it('year to date runs from January of the last month’s year', () => {
        expect(ids(yearToDate({ start: m(2026, 10), end: m(2026, 10) }))).toHaveLength(10)
        expect(ids(yearToDate({ start: m(2026, 10), end: m(2026, 10) }))[0]).toBe('202601')
        // a range across the new year counts from January of its end
        expect(ids(yearToDate({ start: m(2025, 11), end: m(2026, 1) }))).toEqual(['202601'])
    })
})

describe('period ids', () => {
    it('parses the kinds the picker offers and rejects the rest', () => {
        expect(parsePeriodId('202610')?.kind).toBe('MONTH')
        expect(parsePeriodId('2026Q3')?.kind).toBe('QUARTER')
        expect(parsePeriodId('2026')?.kind).toBe('YEAR')
        expect(parsePeriodId('LAST_12_MONTHS')?.kind).toBe('RELATIVE')
        expect(parsePeriodId('202613')).toBeNull()
        expect(parsePeriodId('2026Q5')).toBeNull()
        expect(parsePeriodId('2026W1')).toBeNull()
        expect(parsePeriodId('NEXT_YEAR')).toBeNull()
    })

    it('maps ISO quarters and years to months', () => {
        expect(ids(isoPeriodRange('2026Q4')!)).toEqual(['202610', '202611', '202612'])
        expect(ids(isoPeriodRange('2025')!)).toHaveLength(12)
        expect(isoPeriodRange('LAST_MONTH')).toBeNull()
    })

    it('resolves relative periods against today (LAST_n excludes the running month)', () => {
        expect(ids(resolvePeriod('THIS_MONTH', today)!)).toEqual(['202611'])
        expect(ids(resolvePeriod('LAST_MONTH', today)!)).toEqual(['202610'])
        expect(ids(resolvePeriod('LAST_3_MONTHS', today)!)).toEqual(['202608', '202609', '202610'])
        expect(ids(resolvePeriod('LAST_12_MONTHS', today)!)[0]).toBe('202511')
        expect(ids(resolvePeriod('THIS_QUARTER', today)!)).toEqual(['202610', '202611'])
        expect(ids(resolvePeriod('LAST_QUARTER', today)!)).toEqual(['202607', '202608', '202609'])
        expect(ids(resolvePeriod('THIS_YEAR', today)!)).toHaveLength(11)
        expect(ids(resolvePeriod('LAST_YEAR', today)!)).toEqual(ids(isoPeriodRange('2025')!))
    })

    it('resolves LAST_MONTH in January to December of the year before', () => {
        expect(ids(resolvePeriod('LAST_MONTH', new Date(2027, 0, 5))!)).toEqual(['202612'])
        expect(ids(resolvePeriod('LAST_QUARTER', new Date(2027, 0, 5))!)).toEqual(['202610', '202611', '202612'])
    })
})

describe('isoCover', () => {
    it('uses years and quarters where they fit exactly, months elsewhere', () => {
        expect(isoCover({ start: m(2025, 11), end: m(2026, 10) })).toEqual(['202511', '202512', '2026Q1', '2026Q2', '2026Q3', '202610'])
        expect(isoCover({ start: m(2025, 1), end: m(2025, 12) })).toEqual(['2025'])
        expect(isoCover({ start: m(2026, 10), end: m(2026, 10) })).toEqual(['202610'])
        expect(isoCover({ start: m(2026, 4), end: m(2026, 6) })).toEqual(['2026Q2'])
    })

    it('covers every month exactly once', () => {
        for (let start = m(2024, 1); start < m(2026, 1); start += 5) {
            for (let len = 1; len <= 24; len += 3) {
                const r = { start, end: start + len - 1 }
                const covered = isoCover(r).flatMap((p) => ids(isoPeriodRange(p)!))
                expect(covered).toEqual(ids(r))
            }
        }
    })
})

describe('picker lists', () => {
    it('lists recent months and quarters, newest first', () => {
        expect(recentMonths(today, 3)).toEqual(['202611', '202610', '202609'])
        expect(recentQuarters(today, 3)).toEqual(['2026Q4', '2026Q3', '2026Q2'])
    })
})

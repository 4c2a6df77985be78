/** ISO period parser (reference §9), period arithmetic, names, relative periods. */
import { RELATIVE_PERIODS, parsePeriod, periodContaining, periodName, shiftPeriod } from '../../standin/periods'

describe('parsePeriod', () => {
    test.each([
        ['20240115', 'Daily', '20240115', '2024-01-15', '2024-01-15'],
        ['2024-01-15', 'Daily', '20240115', '2024-01-15', '2024-01-15'],
        ['2024W1', 'Weekly', '2024W1', '2024-01-01', '2024-01-07'],
        ['2024W01', 'Weekly', '2024W1', '2024-01-01', '2024-01-07'],
        ['2020W53', 'Weekly', '2020W53', '2020-12-28', '2021-01-03'],
        ['2021W1', 'Weekly', '2021W1', '2021-01-04', '2021-01-10'],
        ['2024WedW5', 'WeeklyWednesday', '2024WedW5', '2024-01-31', '2024-02-06'],
        ['2024SunW1', 'WeeklySunday', '2024SunW1', '2023-12-31', '2024-01-06'],
        ['2024BiW1', 'BiWeekly', '2024BiW1', '2024-01-01', '2024-01-14'],
        ['202401', 'Monthly', '202401', '2024-01-01', '2024-01-31'],
        ['2024-02', 'Monthly', '202402', '2024-02-01', '2024-02-29'],
        ['202402B', 'BiMonthly', '202402B', '2024-03-01', '2024-04-30'],
        ['2024Q1', 'Quarterly', '2024Q1', '2024-01-01', '2024-03-31'],
        ['2024NovQ1', 'QuarterlyNov', '2024NovQ1', '2023-11-01', '2024-01-31'],
        ['2024S2', 'SixMonthly', '2024S2', '2024-07-01', '2024-12-31'],
        ['2024AprilS1', 'SixMonthlyApril', '2024AprilS1', '2024-04-01', '2024-09-30'],
        ['2024NovS1', 'SixMonthlyNov', '2024NovS1', '2023-11-01', '2024-04-30'],
        ['2024', 'Yearly', '2024', '2024-01-01', '2024-12-31'],
        ['2024April', 'FinancialApril', '2024April', '2024-04-01', '2025-03-31'],
        ['2024July', 'FinancialJuly', '2024July', '2024-07-01', '2025-06-30'],
        ['2024Oct', 'FinancialOct', '2024Oct', '2024-10-01', '2025-09-30'],
        ['2024Nov', 'FinancialNov', '2024Nov', '2023-11-01', '2024-10-31'],
    ])('%s → %s %s [%s, %s]', (raw, type, iso, start, end) => {
        expect(parsePeriod(raw)).toEqual({ type, iso, start, end })
    })

    test.each(['2024W54', '2025W53', '2024W0', '202413', '20240230', '2024Q5', '2024S3', '202407B', '2024-1-1', '24', 'abc', '', '2024Sep'])('%s is not a valid period', (raw) => {
        expect(parsePeriod(raw)).toBeNull()
    })

    test('FinancialSep only from 2.42', () => {
        expect(parsePeriod('2024Sep', { financialSep: true })).toMatchObject({ type: 'FinancialSep', start: '2024-09-01', end: '2025-08-31' })
    })
})

describe('period arithmetic and names', () => {
    test('containing, shifting across year boundaries', () => {
        expect(periodContaining('Weekly', '2021-01-02').iso).toBe('2020W53')
        expect(periodContaining('QuarterlyNov', '2024-12-15').iso).toBe('2025NovQ1')
        expect(shiftPeriod(periodContaining('Monthly', '2026-01-10'), -1).iso).toBe('202512')
        expect(shiftPeriod(periodContaining('Weekly', '2026-01-01'), 1).iso).toBe('2026W2')
        expect(shiftPeriod(periodContaining('Quarterly', '2026-11-23'), -4).iso).toBe('2025Q4')
    })

    test('display names as analytics metaData items', () => {
        expect(periodName(parsePeriod('202112')!)).toBe('December 2021')
        expect(periodName(parsePeriod('2021Q1')!)).toBe('January - March 2021')
        expect(periodName(parsePeriod('2022')!)).toBe('2022')
        expect(periodName(parsePeriod('2021W1')!)).toBe('Week 1 2021-01-04 - 2021-01-10')
        expect(periodName(parsePeriod('2024April')!)).toBe('April 2024 - March 2025')
        expect(periodName(parsePeriod('20240115')!)).toBe('2024-01-15')
    })

    test('relative periods resolve against the given date, LAST_n excluding the current period', () => {
        const at = '2022-01-01'
        expect(RELATIVE_PERIODS.LAST_12_MONTHS.resolve(at).map((p) => p.iso)).toEqual([
            '202101', '202102', '202103', '202104', '202105', '202106', '202107', '202108', '202109', '202110', '202111', '202112',
        ])
        expect(RELATIVE_PERIODS.THIS_YEAR.resolve(at).map((p) => p.iso)).toEqual(['2022'])
        expect(RELATIVE_PERIODS.THIS_MONTH.resolve('2026-11-23').map((p) => p.iso)).toEqual(['202611'])
        expect(RELATIVE_PERIODS.LAST_MONTH.resolve('2026-01-05').map((p) => p.iso)).toEqual(['202512'])
        expect(RELATIVE_PERIODS.MONTHS_THIS_YEAR.resolve('2026-11-23')).toHaveLength(12)
        expect(RELATIVE_PERIODS.QUARTERS_LAST_YEAR.resolve('2026-11-23').map((p) => p.iso)).toEqual(['2025Q1', '2025Q2', '2025Q3', '2025Q4'])
        expect(RELATIVE_PERIODS.LAST_5_YEARS.resolve('2026-11-23').map((p) => p.iso)).toEqual(['2021', '2022', '2023', '2024', '2025'])
        expect(RELATIVE_PERIODS.THIS_WEEK.resolve('2026-11-23').map((p) => p.iso)).toEqual(['2026W48'])
        expect(RELATIVE_PERIODS.WEEKS_THIS_YEAR.resolve('2026-06-01')).toHaveLength(53)
        expect(RELATIVE_PERIODS.THIS_FINANCIAL_YEAR.resolve('2026-11-23').map((p) => p.iso)).toEqual(['2026Oct'])
    })
})

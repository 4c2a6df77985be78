import type { LiveDataSet } from '../dhis2/metadata'
import { latestOpenPeriod, periodProblems } from './period-checks'

const dataSet = (over: Partial<LiveDataSet> = {}): LiveDataSet => ({
    id: 'dsPayrev001',
    code: 'PAYREV_MONTHLY',
    periodType: 'Monthly',
    expiryDays: 0,
    openFuturePeriods: 1,
    dataInputPeriods: [],
    organisationUnits: [],
    dataSetElements: [],
    ...over,
})
const ctx = (ds: LiveDataSet, today = '2026-11-23') => ({ dataSet: ds, periodType: 'Monthly' as const, today, zone: 'Africa/Bamako' })

describe('pre-flight: future periods', () => {
    test('openFuturePeriods = 1 opens the current month only: next month is in the future', () => {
        expect(latestOpenPeriod(ctx(dataSet()))).toBe('202611')
        expect(periodProblems('202611', ctx(dataSet()))).toEqual([])
        const [p] = periodProblems('202612', ctx(dataSet()))
        expect(p.en).toBe('Period 202612 is in the future: the latest open period of data set PAYREV_MONTHLY is 202611 (openFuturePeriods = 1)')
        expect(p.fr).toBe('Période 202612 dans le futur : la dernière période ouverte du jeu PAYREV_MONTHLY est 202611 (openFuturePeriods = 1)')
    })

    test('openFuturePeriods = 3 reaches two months ahead, across the year end', () => {
        expect(latestOpenPeriod(ctx(dataSet({ openFuturePeriods: 3 })))).toBe('202701')
        expect(periodProblems('202701', ctx(dataSet({ openFuturePeriods: 3 })))).toEqual([])
        expect(periodProblems('202702', ctx(dataSet({ openFuturePeriods: 3 })))).toHaveLength(1)
    })

    test('openFuturePeriods = 0 closes the current month too', () => {
        expect(latestOpenPeriod(ctx(dataSet({ openFuturePeriods: 0 })))).toBe('202610')
        expect(periodProblems('202611', ctx(dataSet({ openFuturePeriods: 0 })))[0].en).toMatch(/^Period 202611 is in the future: the latest open period .* is 202610/)
    })
})

describe('pre-flight: data input periods', () => {
    const withWindows = dataSet({
        dataInputPeriods: [
            { period: { id: '202610' }, openingDate: '2026-11-01T00:00:00.000', closingDate: '2026-11-30T00:00:00.000' },
            { period: '202609', openingDate: '2026-10-01', closingDate: '2026-10-15' },
        ],
    })

    test('a period inside its window is open (period as an object or a string)', () => {
        expect(periodProblems('202610', ctx(withWindows))).toEqual([])
    })

    test('a period whose window has closed is refused with its dates', () => {
        const [p] = periodProblems('202609', ctx(withWindows))
        expect(p.en).toBe('Period 202609 is closed for data input on data set PAYREV_MONTHLY (from 2026-10-01 to 2026-10-15)')
        expect(p.fr).toBe('Période 202609 fermée à la saisie pour le jeu PAYREV_MONTHLY (du 2026-10-01 au 2026-10-15)')
    })

    test('a window not open yet is closed too', () => {
        expect(periodProblems('202610', ctx(withWindows, '2026-10-31'))[0].en).toMatch(/^Period 202610 is closed for data input on data set PAYREV_MONTHLY \(from 2026-11-01T00:00:00.000 to /)
    })

    test('with input periods defined, a period without a window is closed', () => {
        expect(periodProblems('202608', ctx(withWindows))[0].en).toBe('Period 202608 is closed for data input on data set PAYREV_MONTHLY (no input window)')
    })

    test('without input periods, nothing is said', () => {
        expect(periodProblems('202608', ctx(dataSet()))).toEqual([])
    })
})

import { periodOf, periodOfDate, periodRange } from './periods'

describe('periodOf', () => {
    test.each([
        // instant (UTC), zone, Monthly, Weekly, Daily — worked out by hand
        ['2024-02-01T01:30:00.000Z', 'Africa/Bamako', '202402', '2024W5', '20240201'], // 2024-01-31T23:30-02:00
        ['2024-01-31T23:30:00.000Z', 'Africa/Bamako', '202401', '2024W5', '20240131'],
        ['2024-01-31T15:30:00.000Z', 'Asia/Tokyo', '202402', '2024W5', '20240201'], // 00:30 in Tokyo
        ['2024-02-29T23:30:00.000Z', 'Europe/Paris', '202403', '2024W9', '20240301'], // 00:30 CET
        ['2024-03-31T22:30:00.000Z', 'Europe/Paris', '202404', '2024W14', '20240401'], // 00:30 CEST
        ['2024-04-01T03:00:00.000Z', 'America/New_York', '202403', '2024W13', '20240331'], // 23:00 EDT
        ['2024-12-30T10:00:00.000Z', 'Africa/Bamako', '202412', '2025W1', '20241230'], // week-year 2025
        ['2021-01-03T12:00:00.000Z', 'Africa/Bamako', '202101', '2020W53', '20210103'], // Sunday of 2020W53
        ['2021-01-04T00:00:00.000Z', 'Africa/Bamako', '202101', '2021W1', '20210104'],
        ['2023-01-01T00:00:00.000Z', 'Africa/Bamako', '202301', '2022W52', '20230101'],
        ['2027-01-01T08:00:00.000Z', 'Africa/Bamako', '202701', '2026W53', '20270101'],
        ['2026-12-31T23:30:00.000Z', 'Asia/Tokyo', '202701', '2026W53', '20270101'],
    ])('%s in %s', (instant, zone, monthly, weekly, daily) => {
        expect(periodOf(instant, zone, 'Monthly')).toBe(monthly)
        expect(periodOf(instant, zone, 'Weekly')).toBe(weekly)
        expect(periodOf(instant, zone, 'Daily')).toBe(daily)
    })

    test('the host TZ does not matter', () => {
        const saved = process.env.TZ
        try {
            for (const tz of ['Pacific/Kiritimati', 'America/St_Johns', 'Etc/GMT+12']) {
                process.env.TZ = tz
                expect(periodOf('2024-01-31T23:30:00.000Z', 'Africa/Bamako', 'Monthly')).toBe('202401')
                expect(periodOf('2024-12-30T00:00:00.000Z', 'Africa/Bamako', 'Weekly')).toBe('2025W1')
            }
        } finally {
            if (saved === undefined) delete process.env.TZ
            else process.env.TZ = saved
        }
    })

    test('rejects what is not an instant', () => {
        expect(() => periodOf('yesterday', 'Africa/Bamako', 'Monthly')).toThrow()
    })
})

describe('periodRange', () => {
    test.each([
        ['202402', '2024-02-01', '2024-02-29'],
        ['202302', '2023-02-01', '2023-02-28'],
        ['202412', '2024-12-01', '2024-12-31'],
        ['2025W1', '2024-12-30', '2025-01-05'],
        ['2020W53', '2020-12-28', '2021-01-03'],
        ['2024W1', '2024-01-01', '2024-01-07'],
        ['2026W53', '2026-12-28', '2027-01-03'],
        ['20240229', '2024-02-29', '2024-02-29'],
        ['2024Q1', '2024-01-01', '2024-03-31'],
        ['2024Q4', '2024-10-01', '2024-12-31'],
        ['2024', '2024-01-01', '2024-12-31'],
    ])('%s', (period, start, end) => {
        expect(periodRange(period)).toEqual({ start, end })
    })

    test.each(['2021W53', '2024W0', '202413', '202400', '20230229', '2024-02', 'W1', ''])('rejects %j', (p) => {
        expect(() => periodRange(p)).toThrow()
    })
})

describe('periodOf: the per-hour table gives what the full computation gives', () => {
    const fc = require('fast-check') as typeof import('fast-check')
    const { localFields } = require('./tz') as typeof import('./tz')
    const { isoUtc } = require('./instant') as typeof import('./instant')
    const zones = ['Africa/Bamako', 'Europe/Paris', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/St_Johns', 'Africa/Monrovia', 'Pacific/Chatham']
    const direct = (iso: string, zone: string, type: 'Monthly' | 'Weekly' | 'Daily') => {
        const f = localFields(Date.parse(iso), zone)
        return periodOfDate(f.year, f.month, f.day, type)
    }
    test('random instants, asked twice and next to each other in the same UTC hour', () => {
        fc.assert(
            fc.property(fc.constantFrom(...zones), fc.constantFrom('Monthly' as const, 'Weekly' as const, 'Daily' as const), fc.integer({ min: -157_766_400_000, max: 1_924_992_000_000 }), (zone, type, ms) => {
                const iso = isoUtc(ms)
                expect(periodOf(iso, zone, type)).toBe(direct(iso, zone, type))
                expect(periodOf(iso, zone, type)).toBe(direct(iso, zone, type))
                const hourStart = isoUtc(Math.floor(ms / 3_600_000) * 3_600_000)
                const hourEnd = isoUtc(Math.floor(ms / 3_600_000) * 3_600_000 + 3_599_999)
                expect(periodOf(hourStart, zone, type)).toBe(direct(hourStart, zone, type))
                expect(periodOf(hourEnd, zone, type)).toBe(direct(hourEnd, zone, type))
            }),
            { numRuns: 4000 }
        )
    })
    test('a text that is not an instant still throws after a valid one of the same digits', () => {
        expect(periodOf('2025-01-05T10:00:00.000Z', 'Africa/Bamako', 'Monthly')).toBe('202501')
        expect(() => periodOf('2024-14-05T10:00:00.000Z', 'Africa/Bamako', 'Monthly')).toThrow(/not an ISO instant/)
    })
    test('the last hour remembered answers only the same hour, zone and period type, and only for an instant', () => {
        const t = '2025-01-31T23:10:00.000Z'
        expect(periodOf(t, 'Africa/Bamako', 'Monthly')).toBe('202501')
        expect(periodOf(t, 'Africa/Bamako', 'Monthly')).toBe('202501') // now remembered
        expect(periodOf('2025-01-31T23:59:59.999Z', 'Africa/Bamako', 'Monthly')).toBe('202501')
        expect(periodOf(t, 'Asia/Kolkata', 'Monthly')).toBe('202502')
        expect(periodOf(t, 'Africa/Bamako', 'Daily')).toBe('20250131')
        expect(periodOf(t, 'Africa/Bamako', 'Monthly')).toBe('202501')
        for (const bad of ['2025-01-31T23:1x:00.000Z', '2025-01-31T23:10:00.000X', '2025-01-31T23:10:00,000Z', '2025-01-31T23'])
            expect(() => periodOf(bad, 'Africa/Bamako', 'Monthly')).toThrow(/not an ISO instant/)
        // Another shape of the same instant is read in full, as before.
        expect(periodOf('2025-01-31T23:10:00Z', 'Africa/Bamako', 'Monthly')).toBe('202501')
    })
})

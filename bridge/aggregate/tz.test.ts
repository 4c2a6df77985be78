import fc from 'fast-check'
import { DateTime } from 'luxon'
import { isValidZone, localFields, localToUtcMs, zoneOffsetMs } from './tz'

const ZONES = [
    'Africa/Bamako',
    'Europe/Paris',
    'America/New_York',
    'America/Santiago',
    'America/St_Johns',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'Asia/Tokyo',
    'Africa/Casablanca',
    'Pacific/Chatham',
    'Pacific/Kiritimati',
]

const H = 3_600_000
const utc = (iso: string) => Date.parse(iso)

describe('zone offsets', () => {
    test('known offsets, read by hand from the tz database', () => {
        expect(zoneOffsetMs('Africa/Bamako', utc('2024-07-01T12:00:00Z'))).toBe(0)
        expect(zoneOffsetMs('Europe/Paris', utc('2024-01-15T12:00:00Z'))).toBe(1 * H)
        expect(zoneOffsetMs('Europe/Paris', utc('2024-07-15T12:00:00Z'))).toBe(2 * H)
        // Spring forward in Paris: 2024-03-31 at 01:00 UTC exactly.
        expect(zoneOffsetMs('Europe/Paris', utc('2024-03-31T00:59:59Z'))).toBe(1 * H)
        expect(zoneOffsetMs('Europe/Paris', utc('2024-03-31T01:00:00Z'))).toBe(2 * H)
        expect(zoneOffsetMs('Asia/Kathmandu', utc('2024-01-01T00:00:00Z'))).toBe(5.75 * H)
        expect(zoneOffsetMs('America/St_Johns', utc('2024-01-01T00:00:00Z'))).toBe(-3.5 * H)
    })

    test('agree with luxon (same tz data, independent code) on random instants', () => {
        fc.assert(
            fc.property(fc.constantFrom(...ZONES), fc.integer({ min: utc('1990-01-01T00:00:00Z'), max: utc('2040-01-01T00:00:00Z') }), (zone, ms) => {
                const l = DateTime.fromMillis(ms, { zone })
                const f = localFields(ms, zone)
                expect([f.year, f.month, f.day, f.hour, f.minute, f.second, f.millisecond]).toEqual([l.year, l.month, l.day, l.hour, l.minute, l.second, l.millisecond])
            }),
            { numRuns: 2000 }
        )
    })

    test('invalid zones are recognised', () => {
        expect(isValidZone('Africa/Bamako')).toBe(true)
        expect(isValidZone('Mars/Olympus_Mons')).toBe(false)
        expect(isValidZone('')).toBe(false)
    })
})

describe('local time → instant', () => {
    const f = (y: number, mo: number, d: number, h = 0, mi = 0) => ({ year: y, month: mo, day: d, hour: h, minute: mi, second: 0, millisecond: 0 })

    test('ordinary local times', () => {
        expect(new Date(localToUtcMs(f(2024, 1, 31, 23, 30), 'Africa/Bamako')).toISOString()).toBe('2024-01-31T23:30:00.000Z')
        expect(new Date(localToUtcMs(f(2024, 2, 1, 8, 59), 'Asia/Tokyo')).toISOString()).toBe('2024-01-31T23:59:00.000Z')
        expect(new Date(localToUtcMs(f(2024, 1, 1), 'Asia/Kathmandu')).toISOString()).toBe('2023-12-31T18:15:00.000Z')
    })

    test('a local time in a DST gap moves forward by the gap', () => {
        // Paris 2024-03-31 02:30 does not exist (02:00 → 03:00): read as 03:30 CEST = 01:30Z.
        expect(new Date(localToUtcMs(f(2024, 3, 31, 2, 30), 'Europe/Paris')).toISOString()).toBe('2024-03-31T01:30:00.000Z')
        // Santiago 2024-09-08 00:00 does not exist (midnight → 01:00, −04 → −03): 01:00−03 = 04:00Z.
        expect(new Date(localToUtcMs(f(2024, 9, 8), 'America/Santiago')).toISOString()).toBe('2024-09-08T04:00:00.000Z')
    })

    test('an ambiguous local time takes the first occurrence', () => {
        // Paris 2024-10-27 02:30 happens twice: 02:30 CEST (00:30Z) then 02:30 CET (01:30Z).
        expect(new Date(localToUtcMs(f(2024, 10, 27, 2, 30), 'Europe/Paris')).toISOString()).toBe('2024-10-27T00:30:00.000Z')
        expect(new Date(localToUtcMs(f(2024, 10, 27, 3, 30), 'Europe/Paris')).toISOString()).toBe('2024-10-27T02:30:00.000Z')
    })

    test('round trip: the instant found shows the same wall clock, and is never after the original', () => {
        fc.assert(
            fc.property(fc.constantFrom(...ZONES), fc.integer({ min: utc('1990-01-01T00:00:00Z'), max: utc('2040-01-01T00:00:00Z') }), (zone, ms) => {
                const wall = localFields(ms, zone)
                const back = localToUtcMs(wall, zone)
                expect(localFields(back, zone)).toEqual(wall)
                expect(back).toBeLessThanOrEqual(ms)
            }),
            { numRuns: 2000 }
        )
    })

    test('the host TZ does not matter', () => {
        const saved = process.env.TZ
        const results: string[] = []
        try {
            for (const tz of ['UTC', 'Pacific/Kiritimati', 'America/St_Johns', 'Asia/Kathmandu']) {
                process.env.TZ = tz
                results.push(
                    [
                        localToUtcMs(f(2024, 3, 31, 2, 30), 'Europe/Paris'),
                        localToUtcMs(f(2024, 10, 27, 2, 30), 'Europe/Paris'),
                        JSON.stringify(localFields(utc('2024-01-31T23:30:00Z'), 'Asia/Tokyo')),
                    ].join(' ')
                )
            }
        } finally {
            if (saved === undefined) delete process.env.TZ
            else process.env.TZ = saved
        }
        expect(new Set(results).size).toBe(1)
    })
})

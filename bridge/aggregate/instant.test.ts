import fc from 'fast-check'
import { civilFromDays, daysFromCivil, isoUtc, parseIsoUtc } from './instant'

const DAY = 86_400_000

describe('instants by arithmetic agree with Date', () => {
    test('isoUtc = toISOString over years 0–9999 (and beyond, by falling back)', () => {
        fc.assert(
            fc.property(fc.integer({ min: -62_198_755_200_000 - 10 * 365 * DAY, max: 253_402_300_799_999 + 10 * 365 * DAY }), (ms) => {
                expect(isoUtc(ms)).toBe(new Date(ms).toISOString())
            }),
            { numRuns: 5_000 }
        )
        for (const ms of [0, -1, 1, -62_167_219_200_000, 253_402_300_799_999, 951_782_400_000 /* 2000-02-29 */, 1.7, -0.5]) expect(isoUtc(ms)).toBe(new Date(ms).toISOString())
        expect(() => isoUtc(NaN)).toThrow(RangeError)
        expect(() => isoUtc(8.64e15 + 1)).toThrow(RangeError)
    })

    test('parseIsoUtc = Date.parse on its own output and on near misses', () => {
        fc.assert(
            fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (ms) => {
                const text = new Date(ms).toISOString()
                expect(parseIsoUtc(text)).toBe(ms)
            }),
            { numRuns: 5_000 }
        )
        for (const t of ['2024-02-30T10:00:00.000Z', '2023-02-29T00:00:00.000Z', '2024-04-31T00:00:00.000Z', '2024-13-01T00:00:00.000Z', '2024-01-01T24:00:00.000Z', '2024-01-01T10:00:00.000+', '2024-01-01 10:00:00.000Z', 'x024-01-01T10:00:00.000Z', '2024-01-01T10:00:00Z']) {
            expect(Number.isNaN(parseIsoUtc(t)) ? NaN : parseIsoUtc(t)).toEqual(Number.isNaN(Date.parse(t)) ? NaN : Date.parse(t))
        }
    })

    test('civil dates round-trip', () => {
        fc.assert(
            fc.property(fc.integer({ min: -800_000, max: 3_000_000 }), (days) => {
                const c = civilFromDays(days)
                const d = new Date(days * DAY)
                expect(c).toEqual({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() })
                expect(daysFromCivil(c.year, c.month, c.day)).toBe(days)
            }),
            { numRuns: 5_000 }
        )
    })
})

import { parseDateTime } from './datetime'

const ok = (text: string, zone = 'Africa/Bamako') => {
    const r = parseDateTime(text, zone, 'occurred_at')
    if (!r.ok) throw new Error(`${text}: ${r.reason.en}`)
    return r.value
}
const err = (text: string, zone = 'Africa/Bamako') => {
    const r = parseDateTime(text, zone, 'occurred_at')
    if (r.ok) throw new Error(`${text} accepted as ${r.value}`)
    return r.reason
}

describe('accepted forms (docs/contract.md §2)', () => {
    test.each([
        ['2024-06-15', 'Africa/Bamako', '2024-06-15T00:00:00.000Z'], // a date alone is local midnight
        ['2024-06-15', 'Asia/Tokyo', '2024-06-14T15:00:00.000Z'],
        ['2024-06-15T10:20', 'Africa/Bamako', '2024-06-15T10:20:00.000Z'],
        ['2024-06-15 10:20', 'Africa/Bamako', '2024-06-15T10:20:00.000Z'],
        ['2024-06-15t10:20', 'Africa/Bamako', '2024-06-15T10:20:00.000Z'],
        ['2024-06-15T10:20:30', 'Africa/Bamako', '2024-06-15T10:20:30.000Z'],
        ['2024-06-15T10:20:30.5', 'Africa/Bamako', '2024-06-15T10:20:30.500Z'],
        ['2024-06-15T10:20:30.123', 'Africa/Bamako', '2024-06-15T10:20:30.123Z'],
        ['2024-06-15T10:20:30.123999', 'Africa/Bamako', '2024-06-15T10:20:30.123Z'], // truncated, not rounded
        ['2024-06-15T10:20:30Z', 'Asia/Tokyo', '2024-06-15T10:20:30.000Z'], // an offset wins over the zone
        ['2024-06-15 10:20:30Z', 'Asia/Tokyo', '2024-06-15T10:20:30.000Z'],
        ['2024-06-15T10:20z', 'Asia/Tokyo', '2024-06-15T10:20:00.000Z'],
        ['2024-06-15T10:00+01:30', 'Africa/Bamako', '2024-06-15T08:30:00.000Z'],
        ['2024-06-15T10:00+0130', 'Africa/Bamako', '2024-06-15T08:30:00.000Z'],
        ['2024-06-15T10:00-05:30', 'Africa/Bamako', '2024-06-15T15:30:00.000Z'],
        ['2024-06-15T10:00-0530', 'Africa/Bamako', '2024-06-15T15:30:00.000Z'],
        ['2024-06-15T10:00+02', 'Africa/Bamako', '2024-06-15T08:00:00.000Z'],
        ['2024-01-31T23:30:00-02:00', 'Africa/Bamako', '2024-02-01T01:30:00.000Z'],
        ['2024-01-31 23:30', 'Asia/Tokyo', '2024-01-31T14:30:00.000Z'],
        ['2024-02-29', 'Africa/Bamako', '2024-02-29T00:00:00.000Z'],
        ['2024-07-01 12:00', 'Europe/Paris', '2024-07-01T10:00:00.000Z'], // CEST
        ['2024-01-01 12:00', 'Europe/Paris', '2024-01-01T11:00:00.000Z'], // CET
        ['2024-03-31 02:30', 'Europe/Paris', '2024-03-31T01:30:00.000Z'], // DST gap: forward to 03:30 CEST
        ['2024-10-27 02:30', 'Europe/Paris', '2024-10-27T00:30:00.000Z'], // ambiguous: first occurrence (CEST)
        ['2024-09-08', 'America/Santiago', '2024-09-08T04:00:00.000Z'], // midnight skipped: 01:00 −03
        ['  2024-06-15 10:20  ', 'Africa/Bamako', '2024-06-15T10:20:00.000Z'],
    ])('%j in %s → %s', (text, zone, iso) => {
        expect(ok(text, zone)).toBe(iso)
    })

    test('the host TZ never matters', () => {
        const saved = process.env.TZ
        try {
            for (const tz of ['Pacific/Kiritimati', 'America/St_Johns', 'Asia/Kathmandu', 'UTC']) {
                process.env.TZ = tz
                expect(ok('2024-01-31 23:30')).toBe('2024-01-31T23:30:00.000Z')
                expect(ok('2024-03-01', 'Asia/Tokyo')).toBe('2024-02-29T15:00:00.000Z')
                expect(ok('2024-10-27 02:30', 'Europe/Paris')).toBe('2024-10-27T00:30:00.000Z')
            }
        } finally {
            if (saved === undefined) delete process.env.TZ
            else process.env.TZ = saved
        }
    })
})

describe('refused', () => {
    test.each([
        ['2024-02-30', 'impossible'],
        ['2023-02-29', 'impossible'],
        ['2024-04-31 10:00', 'impossible'],
        ['2024-13-01', 'impossible'],
        ['2024-00-10', 'impossible'],
        ['2024-06-00', 'impossible'],
        ['2024-06-15 25:00', 'impossible'],
        ['2024-06-15 24:00', 'impossible'],
        ['2024-06-15 10:60', 'impossible'],
        ['2024-06-15 10:59:60', 'impossible'],
        ['2024-06-15T10:00+25:00', 'impossible'],
        ['2024-06-15Z', 'invalide'], // an offset needs a time
        ['2024-6-15', 'invalide'],
        ['2024-06-15 10', 'invalide'],
        ['2024-06-15T10:00:00 +01:00', 'invalide'],
        ['15/06/2024', 'JJ/MM/AAAA'],
        ['15/06/2024 10:00', 'JJ/MM/AAAA'],
        ['', 'invalide'],
        ['demain', 'invalide'],
    ])('%j', (text, fr) => {
        const reason = err(text)
        expect(reason.fr).toContain(fr)
        expect(reason.fr).toContain('occurred_at')
        expect(reason.en).toContain('occurred_at')
    })

    test('contract example: 2024-02-30 names the impossible day in both languages', () => {
        expect(err('2024-02-30')).toEqual({
            fr: 'Date impossible « 2024-02-30 » dans occurred_at : le 30 février 2024 n\'existe pas',
            en: 'Impossible date "2024-02-30" in occurred_at: February 30, 2024 does not exist',
        })
    })

    test('an unknown zone is an error, not a crash', () => {
        expect(err('2024-06-15 10:00', 'Mars/Olympus').en).toContain('Unknown time zone')
        // with an explicit offset the zone is not needed
        expect(ok('2024-06-15T10:00Z', 'Mars/Olympus')).toBe('2024-06-15T10:00:00.000Z')
    })
})

describe('the hand-read common shapes agree with the general reader', () => {
    const fc = require('fast-check') as typeof import('fast-check')
    const p = (n: number, w = 2) => String(n).padStart(w, '0')
    // `.0` adds nothing to the instant but sends the text through the regular expression.
    test('YYYY-MM-DD[T ]HH:MM:SS[Z] in several zones, valid or not', () => {
        fc.assert(
            fc.property(
                fc.integer({ min: 0, max: 9999 }),
                fc.integer({ min: 0, max: 13 }),
                fc.integer({ min: 0, max: 32 }),
                fc.integer({ min: 0, max: 25 }),
                fc.integer({ min: 0, max: 60 }),
                fc.integer({ min: 0, max: 60 }),
                fc.constantFrom('T', ' ', 't'),
                fc.constantFrom('', 'Z'),
                fc.constantFrom('Africa/Bamako', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Kiritimati', 'Nowhere/Zone'),
                (y, mo, d, h, mi, s, sep, z, zone) => {
                    const text = `${p(y, 4)}-${p(mo)}-${p(d)}${sep}${p(h)}:${p(mi)}:${p(s)}`
                    const quick = parseDateTime(`${text}${z}`, zone, 'occurred_at')
                    const general = parseDateTime(`${text}.0${z}`, zone, 'occurred_at')
                    expect(quick.ok).toBe(general.ok)
                    if (quick.ok && general.ok) expect(quick.value).toBe(general.value)
                }
            ),
            { numRuns: 5000 }
        )
    })

    test('around the spring and autumn changes of Europe/Paris', () => {
        for (const day of ['2025-03-30', '2025-10-26']) {
            for (let m = 0; m < 240; m += 7) {
                const text = `${day}T${p(Math.floor(m / 60))}:${p(m % 60)}:30`
                const quick = parseDateTime(text, 'Europe/Paris', 'occurred_at')
                const general = parseDateTime(`${text}.0`, 'Europe/Paris', 'occurred_at')
                expect(quick).toEqual(general)
            }
        }
    })
})

describe('the per-hour table gives what the full computation gives', () => {
    const fc = require('fast-check') as typeof import('fast-check')
    // Whole-hour zones with and without DST, half- and quarter-hour offsets, a 30-minute DST
    // shift (Lord Howe), and Monrovia's -0:44:30 until 1972 (an offset in seconds).
    const zones = ['Africa/Bamako', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/St_Johns', 'Africa/Monrovia', 'Pacific/Chatham']
    const pad = (n: number, w = 2) => String(n).padStart(w, '0')
    // Errors quote the text as written, which differs by the fraction: compare values and refusals.
    const read = (text: string, zone: string) => {
        const r = parseDateTime(text, zone, 'occurred_at')
        return r.ok ? r.value : 'refused'
    }
    test('random local times near DST changes, read twice (table filled, then used), equal the general path', () => {
        fc.assert(
            fc.property(
                fc.constantFrom(...zones),
                fc.integer({ min: 1965, max: 2030 }),
                fc.constantFrom(1, 3, 4, 9, 10, 11, 12),
                fc.integer({ min: 1, max: 31 }),
                fc.integer({ min: 0, max: 23 }),
                fc.integer({ min: 0, max: 59 }),
                fc.integer({ min: 0, max: 59 }),
                fc.constantFrom('T', ' ', 't'),
                fc.boolean(),
                (zone, year, month, day, hour, minute, second, sep, zulu) => {
                    const text = `${year}-${pad(month)}-${pad(day)}${sep}${pad(hour)}:${pad(minute)}:${pad(second)}${zulu ? 'Z' : ''}`
                    // With a fraction the text takes the general path (regex, zone arithmetic, no table).
                    const general = read(`${text.slice(0, 19)}.000${zulu ? 'Z' : ''}`, zone)
                    const first = read(text, zone)
                    const again = read(text, zone)
                    // Another minute of the same hour, after the hour is in the table.
                    const other = `${text.slice(0, 14)}${pad((minute + 17) % 60)}:${pad((second + 31) % 60)}${zulu ? 'Z' : ''}`
                    const otherGeneral = read(`${other.slice(0, 19)}.000${zulu ? 'Z' : ''}`, zone)
                    expect(first).toEqual(general)
                    expect(again).toEqual(general)
                    expect(read(other, zone)).toEqual(otherGeneral)
                }
            ),
            { numRuns: 4000 }
        )
    })
    test('every minute of a spring-forward and a fall-back day in Paris and Lord Howe', () => {
        for (const [zone, date] of [
            ['Europe/Paris', '2024-03-31'],
            ['Europe/Paris', '2024-10-27'],
            ['Australia/Lord_Howe', '2024-04-07'],
            ['Australia/Lord_Howe', '2024-10-06'],
        ]) {
            for (let m = 0; m < 24 * 60; m += 7) {
                const text = `${date}T${pad(Math.floor(m / 60))}:${pad(m % 60)}:30`
                expect([text, read(text, zone)]).toEqual([text, read(`${text}.000`, zone)])
            }
        }
    })
    test('an impossible date is refused even when a valid hour shares its digits', () => {
        ok('2025-01-05T10:00:00')
        ok('2025-03-01T10:00:00')
        expect(err('2024-14-05T10:00:00').en).toMatch(/no month 14/)
        expect(err('2025-02-29T10:00:00').en).toMatch(/does not exist/)
        expect(err('2025-01-05T10:60:00').en).toMatch(/Impossible time/)
        expect(err('2025-01-05T24:00:00').en).toMatch(/Impossible time/)
    })
})

import { daysInMonth } from '../aggregate/periods'
import { HOUR_MS, HourTables, hourKey, rememberHour } from '../aggregate/hour-tables'
import { civilFromDays, daysFromCivil, isoUtc } from '../aggregate/instant'
import { DAY_MS, isValidZone, localToUtcMs, wallMs, wallToUtcMs } from '../aggregate/tz'
import type { Parsed } from './numbers'
import { quoteValue, trimmed } from './text'

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/

const DIGITS_AT = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
const two = (s: string, i: number) => (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48
let knownZone = ''

/**
 * Per zone ('Z' for UTC): a valid local hour → the UTC text of that hour (`YYYY-MM-DDTHH:`), or ''
 * when minutes must be converted one by one (an offset that is not whole hours, or that changes
 * within the hour). Within such an hour, minutes and seconds carry over unchanged.
 */
const utcHours = new HourTables()

/** `MM:SS.000Z` for every minute and second of an hour: the tail of a converted time, built once. */
const MINUTE_SECOND = Array.from({ length: 3600 }, (_, i) => `${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000Z`)

/** The UTC text of a valid local hour, or '' when it cannot stand for every minute of that hour. */
function utcHourPrefix(wallHour: number, zone: string | null): string {
    if (zone === null) return isoUtc(wallHour).slice(0, 14)
    const start = wallToUtcMs(wallHour, zone)
    const last = wallToUtcMs(wallHour + HOUR_MS - 1000, zone)
    if (last - start !== HOUR_MS - 1000 || (wallHour - start) % HOUR_MS !== 0) return ''
    if (start < MIN_MS || last > MAX_MS) return ''
    return isoUtc(start).slice(0, 14)
}

/**
 * The shapes nearly every ledger writes, `YYYY-MM-DD[T ]HH:MM:SS` with an optional `Z`, read by
 * hand: the UTC ISO text, or null to let the general path below decide (and word any error).
 * The text is `n` characters of `s` from `o`: the CSV reader reads dates inside the whole line
 * (ledger/fast-row.ts) without cutting them out first.
 */
export function quickDateTimeAt(s: string, o: number, n: number, zone: string): string | null {
    if (n !== 19 && n !== 20) return null
    if (s.charCodeAt(o + 4) !== 45 || s.charCodeAt(o + 7) !== 45 || s.charCodeAt(o + 13) !== 58 || s.charCodeAt(o + 16) !== 58) return null
    const sep = s.charCodeAt(o + 10)
    if (sep !== 84 && sep !== 116 && sep !== 32) return null // T t space
    const zulu = n === 20
    if (zulu && s.charCodeAt(o + 19) !== 90 && s.charCodeAt(o + 19) !== 122) return null // Z z
    for (let k = 0; k < DIGITS_AT.length; k++) {
        const c = s.charCodeAt(o + DIGITS_AT[k])
        if (c < 48 || c > 57) return null
    }
    const year = two(s, o) * 100 + two(s, o + 2)
    const month = two(s, o + 5)
    const day = two(s, o + 8)
    const hour = two(s, o + 11)
    const minute = two(s, o + 14)
    const second = two(s, o + 17)
    // Fields in range before the key is made, so that no two texts share a key.
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return null
    const table = utcHours.table(zulu ? 'Z' : zone)
    const key = hourKey(year, month, day, hour)
    const prefix = table.get(key)
    // The date and hour were checked when the hour was added.
    if (prefix) return prefix + MINUTE_SECOND[minute * 60 + second]
    if (day > daysInMonth(year, month)) return null
    const wall = daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000
    let ms = wall
    if (!zulu) {
        if (zone !== knownZone) {
            if (!isValidZone(zone)) return null
            knownZone = zone
        }
        ms = wallToUtcMs(wall, zone)
    }
    if (prefix === undefined) rememberHour(table, key, utcHourPrefix(wall - (minute * 60 + second) * 1000, zulu ? null : zone))
    // Near year 0 or 9999 the offset may leave the range: the general path words it.
    if (ms < MIN_MS || ms > MAX_MS) return null
    return isoUtc(ms)
}
/** 0000-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z. */
const MIN_MS = -62_167_219_200_000
const MAX_MS = 253_402_300_799_999

const MONTHS_FR = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre']
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/**
 * docs/contract.md §2 date-times → UTC ISO with milliseconds and Z.
 * `YYYY-MM-DD` (local midnight), `YYYY-MM-DDTHH:MM[:SS[.fff]]` ('T', 't' or a space), then
 * optionally `Z`, `±HH:MM`, `±HHMM` (or `±HH`). No offset → local time of `zone`. Fractions
 * beyond milliseconds are truncated. Impossible dates and times (2024-02-30, 24:00, 25:00,
 * :60) are errors; a local time skipped by a DST change moves forward by the gap, an
 * ambiguous one takes the first occurrence (see aggregate/tz.ts). An offset on a date
 * without a time is not ISO 8601 and is refused.
 */
export function parseDateTime(text: string, zone: string, column: string): Parsed<string> {
    const s = trimmed(text)
    const quick = quickDateTimeAt(s, 0, s.length, zone)
    if (quick !== null) return { ok: true, value: quick }
    const m = DATE_TIME.exec(s)
    // Built only when a message needs it: most rows are valid.
    let quoted: string | undefined
    const qv = () => (quoted ??= quoteValue(text))
    if (!m) {
        const q = qv()
        const frenchDate = /^\d{1,2}\/\d{1,2}\/\d{2,4}/.test(s)
        return {
            ok: false,
            reason: {
                fr: `Date invalide « ${q} » dans ${column} : attendu AAAA-MM-JJ ou AAAA-MM-JJTHH:MM[:SS], éventuellement suivi de Z ou ±HH:MM${frenchDate ? ' (le format JJ/MM/AAAA est ambigu et n’est pas accepté)' : ''}`,
                en: `Invalid date "${q}" in ${column}: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS], optionally followed by Z or ±HH:MM${frenchDate ? ' (DD/MM/YYYY is ambiguous and not accepted)' : ''}`,
            },
        }
    }
    const year = Number(m[1])
    const month = Number(m[2])
    const day = Number(m[3])
    const hasTime = m[4] !== undefined
    const hour = hasTime ? Number(m[4]) : 0
    const minute = hasTime ? Number(m[5]) : 0
    const second = m[6] !== undefined ? Number(m[6]) : 0
    const millisecond = m[7] !== undefined ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
        const q = qv()
        const known = month >= 1 && month <= 12
        return {
            ok: false,
            reason: known
                ? {
                      fr: `Date impossible « ${q} » dans ${column} : le ${day} ${MONTHS_FR[month - 1]} ${year} n'existe pas`,
                      en: `Impossible date "${q}" in ${column}: ${MONTHS_EN[month - 1]} ${day}, ${year} does not exist`,
                  }
                : { fr: `Date impossible « ${q} » dans ${column} : le mois ${m[2]} n'existe pas`, en: `Impossible date "${q}" in ${column}: there is no month ${m[2]}` },
        }
    }
    if (hour > 23 || minute > 59 || second > 59) {
        const q = qv()
        return {
            ok: false,
            reason: { fr: `Heure impossible « ${q} » dans ${column} : attendu 00:00 à 23:59:59`, en: `Impossible time "${q}" in ${column}: expected 00:00 to 23:59:59` },
        }
    }
    const fields = { year, month, day, hour, minute, second, millisecond }
    let ms: number
    if (m[8]) {
        ms = wallMs(fields)
    } else if (m[9]) {
        const oh = Number(m[10])
        const om = m[11] !== undefined ? Number(m[11]) : 0
        if (oh > 23 || om > 59) {
            const q = qv()
            return { ok: false, reason: { fr: `Décalage horaire impossible « ${q} » dans ${column}`, en: `Impossible UTC offset "${q}" in ${column}` } }
        }
        const sign = m[9] === '-' ? -1 : 1
        ms = wallMs(fields) - sign * (oh * 60 + om) * 60_000
    } else {
        if (!isValidZone(zone)) {
            const q = qv()
            return {
                ok: false,
                reason: { fr: `Fuseau horaire inconnu « ${quoteValue(zone)} » pour lire ${column} « ${q} »`, en: `Unknown time zone "${quoteValue(zone)}" to read ${column} "${q}"` },
            }
        }
        ms = localToUtcMs(fields, zone)
    }
    // What new Date(ms) would hold (whole milliseconds, NaN beyond ±8.64e15), without building it.
    const valid = Number.isFinite(ms) && Math.abs(ms) <= 8.64e15
    const utcYear = valid ? civilFromDays(Math.floor(Math.trunc(ms) / DAY_MS)).year : NaN
    if (!valid || utcYear < 0 || utcYear > 9999) {
        const q = qv()
        return { ok: false, reason: { fr: `Date hors limites « ${q} » dans ${column}`, en: `Date out of range "${q}" in ${column}` } }
    }
    return { ok: true, value: isoUtc(ms) }
}

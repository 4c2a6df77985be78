/**
 * UTC instants ⇄ the ISO text the bridge stores (`YYYY-MM-DDTHH:MM:SS.sssZ`), by arithmetic.
 * Every ledger line is converted at least twice (read, then cut into a period), and V8's
 * Date#toISOString and Date.parse cost microseconds each; these cost tens of nanoseconds and
 * give the same answers (proleptic Gregorian calendar, as Date).
 */

import { hourKey } from './hour-tables'

const DAY_MS = 86_400_000

/** Calendar date of a day number (days since 1970-01-01), after H. Hinnant's civil_from_days. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
    const z = days + 719_468
    const era = Math.floor(z / 146_097)
    const doe = z - era * 146_097
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365)
    const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
    const mp = Math.floor((5 * doy + 2) / 153)
    const day = doy - Math.floor((153 * mp + 2) / 5) + 1
    const month = mp < 10 ? mp + 3 : mp - 9
    return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day }
}

/** Day number of a calendar date (inverse of civilFromDays; month 1–12). */
export function daysFromCivil(year: number, month: number, day: number): number {
    const y = month <= 2 ? year - 1 : year
    const era = Math.floor(y / 400)
    const yoe = y - era * 400
    const mp = month > 2 ? month - 3 : month + 9
    const doy = Math.floor((153 * mp + 2) / 5) + day - 1
    const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
    return era * 146_097 + doe - 719_468
}

// The text is written as bytes then read as one flat string: a template literal would build a
// rope that every later read (JSON, parsing the period back) must first flatten.
const out = Buffer.alloc(24)
type Latin1 = { latin1Slice(start: number, end: number): string }
const latin1 =
    typeof (Buffer.prototype as unknown as Partial<Latin1>).latin1Slice === 'function'
        ? () => (out as unknown as Latin1).latin1Slice(0, 24)
        : () => out.toString('latin1', 0, 24)

/** Same text as new Date(ms).toISOString() for years 0–9999 (throws RangeError outside, like it does for invalid dates). */
export function isoUtc(time: number): string {
    if (!Number.isFinite(time) || Math.abs(time) > 8.64e15) throw new RangeError('Invalid time value')
    const ms = Math.trunc(time) + 0 // Date keeps whole milliseconds (and no -0)
    const days = Math.floor(ms / DAY_MS)
    const { year, month, day } = civilFromDays(days)
    if (year < 0 || year > 9999) return new Date(ms).toISOString()
    let rest = ms - days * DAY_MS
    const milli = rest % 1000
    rest = (rest - milli) / 1000
    const sec = rest % 60
    rest = (rest - sec) / 60
    const min = rest % 60
    const hour = (rest - min) / 60
    const b = out
    b[0] = 48 + Math.floor(year / 1000)
    b[1] = 48 + (Math.floor(year / 100) % 10)
    b[2] = 48 + (Math.floor(year / 10) % 10)
    b[3] = 48 + (year % 10)
    b[4] = 45 // -
    b[5] = 48 + Math.floor(month / 10)
    b[6] = 48 + (month % 10)
    b[7] = 45
    b[8] = 48 + Math.floor(day / 10)
    b[9] = 48 + (day % 10)
    b[10] = 84 // T
    b[11] = 48 + Math.floor(hour / 10)
    b[12] = 48 + (hour % 10)
    b[13] = 58 // :
    b[14] = 48 + Math.floor(min / 10)
    b[15] = 48 + (min % 10)
    b[16] = 58
    b[17] = 48 + Math.floor(sec / 10)
    b[18] = 48 + (sec % 10)
    b[19] = 46 // .
    b[20] = 48 + Math.floor(milli / 100)
    b[21] = 48 + (Math.floor(milli / 10) % 10)
    b[22] = 48 + (milli % 10)
    b[23] = 90 // Z
    return latin1()
}

const d2 = (s: string, i: number) => (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48

/** The bridge's own `YYYY-MM-DDTHH:MM:SS.sssZ`: separators in place, digits where digits go (ranges not checked). */
function isBridgeInstant(text: string): boolean {
    if (text.length !== 24 || text.charCodeAt(23) !== 90 || text.charCodeAt(10) !== 84 || text.charCodeAt(19) !== 46) return false
    if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return false
    for (let k = 0; k < DIGITS.length; k++) {
        const c = text.charCodeAt(DIGITS[k])
        if (c < 48 || c > 57) return false
    }
    return true
}

/** Date.parse, with a fast path for the bridge's own `YYYY-MM-DDTHH:MM:SS.sssZ`. */
export function parseIsoUtc(text: string): number {
    if (isBridgeInstant(text)) {
        const year = d2(text, 0) * 100 + d2(text, 2)
        const month = d2(text, 5)
        const day = d2(text, 8)
        const hour = d2(text, 11)
        const min = d2(text, 14)
        const sec = d2(text, 17)
        const milli = d2(text, 20) * 10 + text.charCodeAt(22) - 48
        // Out-of-range fields: Date.parse decides (NaN), as before.
        if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 59) return Date.parse(text)
        // A day past the month's end (31 April) would roll over here: let Date.parse answer.
        const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
        if (day > (month === 2 ? (leap ? 29 : 28) : MONTH_DAYS[month - 1])) return Date.parse(text)
        return daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + min) * 60 + sec) * 1000 + milli
    }
    return Date.parse(text)
}

/** The UTC hour of a bridge instant as an hourKey, or -1 for any other text (or a field out of range). */
export function instantHourKey(text: string): number {
    if (!isBridgeInstant(text)) return -1
    const month = d2(text, 5)
    const day = d2(text, 8)
    const hour = d2(text, 11)
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23) return -1
    return hourKey(d2(text, 0) * 100 + d2(text, 2), month, day, hour)
}
const DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22]
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

import type { PeriodType } from '../../contract/codes'
import { HOUR_MS, HourTables, rememberHour } from './hour-tables'
import { instantHourKey, parseIsoUtc } from './instant'
import { DAY_MS, localFields } from './tz'

const pad = (n: number, w: number): string => String(n).padStart(w, '0')

/** ISO 8601 week-numbering year and week of a calendar date (weeks start on Monday). */
export function isoWeek(year: number, month: number, day: number): { weekYear: number; week: number } {
    const date = utcDate(year, month, day)
    const dow = (new Date(date).getUTCDay() + 6) % 7 // Monday = 0
    const thursday = new Date(date + (3 - dow) * DAY_MS)
    const weekYear = thursday.getUTCFullYear()
    return { weekYear, week: 1 + Math.floor((thursday.getTime() - utcDate(weekYear, 1, 1)) / (7 * DAY_MS)) }
}

/** Midnight UTC of a calendar date (month may overflow, day 0 = last day of previous month). Unlike Date.UTC, years 0–99 stay themselves. */
function utcDate(year: number, month: number, day: number): number {
    const d = new Date(0)
    d.setUTCFullYear(year, month - 1, day)
    return d.getTime()
}

/** DHIS2 period id of a local calendar date. */
export function periodOfDate(year: number, month: number, day: number, periodType: PeriodType): string {
    switch (periodType) {
        case 'Monthly':
            // The common case without padStart: this runs for every line.
            return year >= 1000 && year <= 9999 ? (month < 10 ? `${year}0${month}` : `${year}${month}`) : `${pad(year, 4)}${pad(month, 2)}`
        case 'Daily':
            return `${pad(year, 4)}${pad(month, 2)}${pad(day, 2)}`
        case 'Weekly': {
            const { weekYear, week } = isoWeek(year, month, day)
            // DHIS2 writes ISO weeks without zero padding: 2025W1.
            return `${pad(weekYear, 4)}W${week}`
        }
    }
}

/**
 * The DHIS2 period (Monthly `yyyyMM`, Weekly ISO `yyyyWn`, Daily `yyyyMMdd`) that contains the
 * instant in the facility's time zone.
 */
export function periodOf(instantUtcIso: string, zone: string, periodType: PeriodType): string {
    if (zone === last.zone && periodType === last.type && instantUtcIso.startsWith(last.hour) && sameHourTail(instantUtcIso)) return last.period
    const key = instantHourKey(instantUtcIso)
    let table: Map<number, string> | undefined
    if (key >= 0) {
        table = hourPeriods.table(zone, periodType)
        const known = table.get(key)
        if (known) {
            last.hour = instantUtcIso.slice(0, 13)
            last.zone = zone
            last.type = periodType
            last.period = known
            return known
        }
    }
    const ms = parseIsoUtc(instantUtcIso)
    if (Number.isNaN(ms)) throw new Error(`periodOf: not an ISO instant: ${instantUtcIso}`)
    const f = localFields(ms, zone)
    const period = periodOfDate(f.year, f.month, f.day, periodType)
    if (table && !table.has(key)) {
        // The whole UTC hour is one local day when its first and last milliseconds are
        // (always, unless the zone's offset is not whole hours or changes within that hour).
        const first = localFields(Math.floor(ms / HOUR_MS) * HOUR_MS, zone)
        const last = localFields(Math.floor(ms / HOUR_MS) * HOUR_MS + HOUR_MS - 1, zone)
        const oneDay = first.year === last.year && first.month === last.month && first.day === last.day
        rememberHour(table, key, oneDay ? period : '')
    }
    return period
}

/**
 * The last whole-hour answer (an hour that is one local day): a ledger is in time order, so most
 * lines fall in the hour of the line before. Checked by the text's first 13 characters
 * (`YYYY-MM-DDTHH`, valid when stored) and the shape of the rest, as instantHourKey would.
 */
const last = { hour: '\u0000', zone: '', type: '' as PeriodType | '', period: '' }

/** Characters 13–23 of a bridge instant: `:MM:SS.sssZ` (digits and separators in place). */
function sameHourTail(t: string): boolean {
    if (t.length !== 24 || t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58 || t.charCodeAt(19) !== 46 || t.charCodeAt(23) !== 90) return false
    // Indexed, not for…of: this runs for nearly every line, twice.
    for (let k = 0; k < TAIL_DIGITS.length; k++) {
        const c = t.charCodeAt(TAIL_DIGITS[k])
        if (c < 48 || c > 57) return false
    }
    return true
}
const TAIL_DIGITS = [14, 15, 17, 18, 20, 21, 22]

/** Per zone and period type: UTC hour → its period, or '' when that hour straddles a local midnight. */
const hourPeriods = new HourTables()

function isoDate(ms: number): string {
    return new Date(ms).toISOString().slice(0, 10)
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** The periods (of a type) that hold at least one day of a calendar month `YYYY-MM`. */
export function periodsOfMonth(month: string, periodType: PeriodType): string[] {
    const m = /^(\d{4})-(\d{2})$/.exec(month)
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new Error(`periodsOfMonth: not a month: ${month}`)
    const year = Number(m[1])
    const mo = Number(m[2])
    const out = new Set<string>()
    for (let day = 1; day <= daysInMonth(year, mo); day++) out.add(periodOfDate(year, mo, day, periodType))
    return [...out]
}

export function daysInMonth(year: number, month: number): number {
    // Proleptic Gregorian, as Date computes it; called for every date read.
    if (month === 2 && Number.isInteger(year)) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
    if (month >= 1 && month <= 12 && Number.isInteger(month)) return MONTH_DAYS[month - 1]
    return new Date(utcDate(year, month + 1, 0)).getUTCDate()
}

/**
 * First and last day (ISO dates, inclusive) of a DHIS2 period id. Monthly, Weekly and Daily are
 * the ones the bridge produces; Quarterly and Yearly are understood too (for pre-flight checks
 * on data sets configured that way). Throws on anything else.
 */
export function periodRange(period: string): { start: string; end: string } {
    let m: RegExpExecArray | null
    if ((m = /^(\d{4})(\d{2})(\d{2})$/.exec(period))) {
        const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
        if (mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo)) {
            const s = isoDate(utcDate(y, mo, d))
            return { start: s, end: s }
        }
    } else if ((m = /^(\d{4})(\d{2})$/.exec(period))) {
        const [y, mo] = [Number(m[1]), Number(m[2])]
        if (mo >= 1 && mo <= 12) return { start: isoDate(utcDate(y, mo, 1)), end: isoDate(utcDate(y, mo, daysInMonth(y, mo))) }
    } else if ((m = /^(\d{4})W(\d{1,2})$/.exec(period))) {
        const [y, w] = [Number(m[1]), Number(m[2])]
        // Week 1 is the week that holds 4 January; weeks start on Monday.
        const jan4 = utcDate(y, 1, 4)
        const start = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS + (w - 1) * 7 * DAY_MS
        const s = new Date(start)
        const check = isoWeek(s.getUTCFullYear(), s.getUTCMonth() + 1, s.getUTCDate())
        if (w >= 1 && check.weekYear === y && check.week === w) return { start: isoDate(start), end: isoDate(start + 6 * DAY_MS) }
    } else if ((m = /^(\d{4})Q([1-4])$/.exec(period))) {
        const [y, q] = [Number(m[1]), Number(m[2])]
        return { start: isoDate(utcDate(y, (q - 1) * 3 + 1, 1)), end: isoDate(utcDate(y, q * 3 + 1, 0)) }
    } else if ((m = /^(\d{4})$/.exec(period))) {
        return { start: `${m[1]}-01-01`, end: `${m[1]}-12-31` }
    }
    throw new Error(`periodRange: unsupported or invalid period "${period}"`)
}

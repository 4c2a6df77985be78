/**
 * Period arithmetic on whole months. Every selection the app offers (a month, a quarter, a year,
 * a relative range) is a contiguous range of months, so comparisons (previous period, same period
 * last year, year to date) are shifts of that range. Months are handled as an integer index
 * (year × 12 + month − 1) so that shifting never has to think about year boundaries.
 */

export type MonthIndex = number

/** Inclusive range of months. */
export interface MonthRange {
    start: MonthIndex
    end: MonthIndex
}

export const monthIndex = (year: number, month: number): MonthIndex => year * 12 + (month - 1)
export const yearOf = (i: MonthIndex): number => Math.floor(i / 12)
export const monthOf = (i: MonthIndex): number => (((i % 12) + 12) % 12) + 1

const pad2 = (n: number): string => String(n).padStart(2, '0')

/** ISO monthly period id, e.g. `202610`. */
export const isoMonth = (i: MonthIndex): string => `${yearOf(i)}${pad2(monthOf(i))}`

export const todayMonth = (today: Date): MonthIndex => monthIndex(today.getFullYear(), today.getMonth() + 1)

export const rangeLength = (r: MonthRange): number => r.end - r.start + 1
export const shiftRange = (r: MonthRange, months: number): MonthRange => ({ start: r.start + months, end: r.end + months })
export const contains = (r: MonthRange, i: MonthIndex): boolean => i >= r.start && i <= r.end

/** The range of the same length just before (a month → the month before; a quarter → the quarter before). */
export const previousRange = (r: MonthRange): MonthRange => shiftRange(r, -rangeLength(r))
/** The same months one year earlier. */
export const sameRangeLastYear = (r: MonthRange): MonthRange => shiftRange(r, -12)
/** January of the range's last year up to the range's last month. */
export const yearToDate = (r: MonthRange): MonthRange => ({ start: monthIndex(yearOf(r.end), 1), end: r.end })
export const lastMonths = (end: MonthIndex, n: number): MonthRange => ({ start: end - n + 1, end })

export function monthsOf(r: MonthRange): MonthIndex[] {
    const out: MonthIndex[] = []
    for (let i = r.start; i <= r.end; i++) out.push(i)
    return out
}

/** Relative selections, resolved against the client's current month. */
export const RELATIVE_PERIODS = [
    'THIS_MONTH',
    'LAST_MONTH',
    'LAST_3_MONTHS',
    'LAST_6_MONTHS',
    'LAST_12_MONTHS',
    'THIS_QUARTER',
    'LAST_QUARTER',
    'THIS_YEAR',
    'LAST_YEAR',
] as const
export type RelativePeriod = (typeof RELATIVE_PERIODS)[number]

/** What the app and the dashboard plugin show when nothing names a period. */
export const DEFAULT_PERIOD: RelativePeriod = 'LAST_MONTH'

export type PeriodKind = 'MONTH' | 'QUARTER' | 'YEAR' | 'RELATIVE'

export interface PeriodSelection {
    kind: PeriodKind
    /** ISO id (`202610`, `2026Q3`, `2026`) or relative keyword. */
    id: string
}

const MONTH_RE = /^(\d{4})(0[1-9]|1[0-2])$/
const QUARTER_RE = /^(\d{4})Q([1-4])$/
const YEAR_RE = /^(\d{4})$/

export function parsePeriodId(id: string): PeriodSelection | null {
    if (MONTH_RE.test(id)) return { kind: 'MONTH', id }
    if (QUARTER_RE.test(id)) return { kind: 'QUARTER', id }
    if (YEAR_RE.test(id)) return { kind: 'YEAR', id }
    if ((RELATIVE_PERIODS as readonly string[]).includes(id)) return { kind: 'RELATIVE', id }
    return null
}

/** Months covered by an ISO month, quarter or year id; null for anything else. */
export function isoPeriodRange(id: string): MonthRange | null {
    let m = MONTH_RE.exec(id)
    if (m) {
        const i = monthIndex(Number(m[1]), Number(m[2]))
        return { start: i, end: i }
    }
    m = QUARTER_RE.exec(id)
    if (m) {
        const start = monthIndex(Number(m[1]), (Number(m[2]) - 1) * 3 + 1)
        return { start, end: start + 2 }
    }
    m = YEAR_RE.exec(id)
    if (m) return { start: monthIndex(Number(m[1]), 1), end: monthIndex(Number(m[1]), 12) }
    return null
}

const quarterStart = (i: MonthIndex): MonthIndex => monthIndex(yearOf(i), Math.floor((monthOf(i) - 1) / 3) * 3 + 1)

/**
 * The months a selection stands for. "This quarter" and "this year" stop at the current month
 * (quarter / year to date), so that their comparisons are like for like.
 */
export function resolvePeriod(id: string, today: Date): MonthRange | null {
    const iso = isoPeriodRange(id)
    if (iso) return iso
    const now = todayMonth(today)
    switch (id as RelativePeriod) {
        case 'THIS_MONTH':
            return { start: now, end: now }
        case 'LAST_MONTH':
            return { start: now - 1, end: now - 1 }
        case 'LAST_3_MONTHS':
            return lastMonths(now - 1, 3)
        case 'LAST_6_MONTHS':
            return lastMonths(now - 1, 6)
        case 'LAST_12_MONTHS':
            return lastMonths(now - 1, 12)
        case 'THIS_QUARTER':
            return { start: quarterStart(now), end: now }
        case 'LAST_QUARTER': {
            const start = quarterStart(now) - 3
            return { start, end: start + 2 }
        }
        case 'THIS_YEAR':
            return { start: monthIndex(yearOf(now), 1), end: now }
        case 'LAST_YEAR':
            return { start: monthIndex(yearOf(now) - 1, 1), end: monthIndex(yearOf(now) - 1, 12) }
        default:
            return null
    }
}

/**
 * The fewest ISO periods (years, then quarters, then months) that cover exactly the range, in
 * chronological order. Asking analytics for `2025Q4` instead of three months keeps the row count
 * down when many facilities are in one answer.
 */
export function isoCover(r: MonthRange): string[] {
    const out: string[] = []
    let i = r.start
    while (i <= r.end) {
        if (monthOf(i) === 1 && i + 11 <= r.end) {
            out.push(String(yearOf(i)))
            i += 12
        } else if ((monthOf(i) - 1) % 3 === 0 && i + 2 <= r.end) {
            out.push(`${yearOf(i)}Q${(monthOf(i) - 1) / 3 + 1}`)
            i += 3
        } else {
            out.push(isoMonth(i))
            i += 1
        }
    }
    return out
}

/** Selections offered by the picker: the last `count` months / quarters / years ending now (newest first). */
export function recentMonths(today: Date, count: number): string[] {
    const now = todayMonth(today)
    return Array.from({ length: count }, (_, k) => isoMonth(now - k))
}

export function recentQuarters(today: Date, count: number): string[] {
    const q = quarterStart(todayMonth(today))
    return Array.from({ length: count }, (_, k) => {
        const s = q - 3 * k
        return `${yearOf(s)}Q${(monthOf(s) - 1) / 3 + 1}`
    })
}

export function recentYears(today: Date, count: number): string[] {
    const y = today.getFullYear()
    return Array.from({ length: count }, (_, k) => String(y - k))
}

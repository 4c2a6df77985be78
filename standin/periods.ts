/**
 * ISO periods as the DHIS2 server parses them (reference §9), their date ranges, display names,
 * and the relative-period keywords of analytics (§8.1). Calendar: ISO 8601 only. Dates are
 * 'yyyy-MM-dd' strings; arithmetic works on UTC day numbers.
 */

export type PeriodTypeName =
    | 'Daily'
    | 'Weekly'
    | 'WeeklyWednesday'
    | 'WeeklyThursday'
    | 'WeeklySaturday'
    | 'WeeklySunday'
    | 'BiWeekly'
    | 'Monthly'
    | 'BiMonthly'
    | 'Quarterly'
    | 'QuarterlyNov'
    | 'SixMonthly'
    | 'SixMonthlyApril'
    | 'SixMonthlyNov'
    | 'Yearly'
    | 'FinancialApril'
    | 'FinancialJuly'
    | 'FinancialSep'
    | 'FinancialOct'
    | 'FinancialNov'

export interface Period {
    /** Canonical ISO id (`2024W1`, `202401`, `20240115`). */
    iso: string
    type: PeriodTypeName
    /** First and last day, inclusive. */
    start: string
    end: string
}

const DAY_MS = 86_400_000
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

export function dayNumber(date: string): number {
    return Math.floor(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS)
}

export function dayString(n: number): string {
    return new Date(n * DAY_MS).toISOString().slice(0, 10)
}

export function addDays(date: string, n: number): string {
    return dayString(dayNumber(date) + n)
}

/** 0 = Sunday … 6 = Saturday */
function weekday(n: number): number {
    return (((n + 4) % 7) + 7) % 7
}

function validDate(y: number, m: number, d: number): boolean {
    if (m < 1 || m > 12 || d < 1) return false
    const dt = new Date(Date.UTC(y, m - 1, d))
    return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d
}

const p2 = (n: number) => String(n).padStart(2, '0')

// ---------------------------------------------------------------------------------------------
// Week-based types
// ---------------------------------------------------------------------------------------------

const WEEK_START: Record<string, number> = { Weekly: 1, WeeklyWednesday: 3, WeeklyThursday: 4, WeeklySaturday: 6, WeeklySunday: 0, BiWeekly: 1 }
const WEEK_PREFIX: Record<string, string> = { Weekly: 'W', WeeklyWednesday: 'WedW', WeeklyThursday: 'ThuW', WeeklySaturday: 'SatW', WeeklySunday: 'SunW', BiWeekly: 'BiW' }

/** Start (day number) of week 1 of `year`: the week starting on `startDay` that contains 4 January. */
function week1Start(year: number, startDay: number): number {
    const jan4 = Math.floor(Date.UTC(year, 0, 4) / DAY_MS)
    return jan4 - ((weekday(jan4) - startDay + 7) % 7)
}

function weeksInYear(year: number, startDay: number): number {
    return (week1Start(year + 1, startDay) - week1Start(year, startDay)) / 7
}

function weekPeriod(type: PeriodTypeName, year: number, week: number): Period | null {
    const s = WEEK_START[type]
    const span = type === 'BiWeekly' ? 14 : 7
    const count = type === 'BiWeekly' ? Math.ceil(weeksInYear(year, s) / 2) : weeksInYear(year, s)
    if (week < 1 || week > count) return null
    const start = week1Start(year, s) + (week - 1) * span
    return { iso: `${year}${WEEK_PREFIX[type]}${week}`, type, start: dayString(start), end: dayString(start + span - 1) }
}

function weekContaining(type: PeriodTypeName, day: number): Period {
    const s = WEEK_START[type]
    const span = type === 'BiWeekly' ? 14 : 7
    let year = new Date(day * DAY_MS).getUTCFullYear()
    if (day >= week1Start(year + 1, s)) year += 1
    else if (day < week1Start(year, s)) year -= 1
    const n = Math.floor((day - week1Start(year, s)) / span) + 1
    return weekPeriod(type, year, n)!
}

// ---------------------------------------------------------------------------------------------
// Month-based types: a length in months and the month (0-based) one of the periods starts in.
// ---------------------------------------------------------------------------------------------

interface MonthType {
    months: number
    align: number
    /** ISO id of the period starting in (year, month0). */
    iso(year: number, month0: number): string
}

const MONTH_TYPES: Partial<Record<PeriodTypeName, MonthType>> = {
    Monthly: { months: 1, align: 0, iso: (y, m) => `${y}${p2(m + 1)}` },
    BiMonthly: { months: 2, align: 0, iso: (y, m) => `${y}${p2(m / 2 + 1)}B` },
    Quarterly: { months: 3, align: 0, iso: (y, m) => `${y}Q${m / 3 + 1}` },
    QuarterlyNov: { months: 3, align: 10, iso: (y, m) => (m === 10 ? `${y + 1}NovQ1` : `${y}NovQ${(m + 2) / 3 + 1}`) },
    SixMonthly: { months: 6, align: 0, iso: (y, m) => `${y}S${m / 6 + 1}` },
    SixMonthlyApril: { months: 6, align: 3, iso: (y, m) => `${y}AprilS${m === 3 ? 1 : 2}` },
    SixMonthlyNov: { months: 6, align: 10, iso: (y, m) => (m === 10 ? `${y + 1}NovS1` : `${y}NovS2`) },
    Yearly: { months: 12, align: 0, iso: (y) => `${y}` },
    FinancialApril: { months: 12, align: 3, iso: (y) => `${y}April` },
    FinancialJuly: { months: 12, align: 6, iso: (y) => `${y}July` },
    FinancialSep: { months: 12, align: 8, iso: (y) => `${y}Sep` },
    FinancialOct: { months: 12, align: 9, iso: (y) => `${y}Oct` },
    FinancialNov: { months: 12, align: 10, iso: (y) => `${y + 1}Nov` },
}

function monthPeriod(type: PeriodTypeName, absMonth: number): Period {
    const t = MONTH_TYPES[type]!
    const y = Math.floor(absMonth / 12)
    const m = absMonth - y * 12
    const endAbs = absMonth + t.months
    const start = `${y}-${p2(m + 1)}-01`
    const end = addDays(`${Math.floor(endAbs / 12)}-${p2((endAbs % 12) + 1)}-01`, -1)
    return { iso: t.iso(y, m), type, start, end }
}

function monthContaining(type: PeriodTypeName, date: string): Period {
    const t = MONTH_TYPES[type]!
    const abs = Number(date.slice(0, 4)) * 12 + Number(date.slice(5, 7)) - 1
    const startAbs = abs - ((((abs - t.align) % t.months) + t.months) % t.months)
    return monthPeriod(type, startAbs)
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

export interface PeriodOptions {
    /** FinancialSep exists from 2.42. */
    financialSep?: boolean
}

/** Parses an ISO period; null when the server would reject it (E7611). */
export function parsePeriod(raw: unknown, opts: PeriodOptions = {}): Period | null {
    if (typeof raw !== 'string') return null
    const s = raw.trim()
    let m: RegExpExecArray | null
    if ((m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(s)) && (s.length === 8 || s.length === 10)) {
        if (s.length === 10 && !(s[4] === '-' && s[7] === '-')) return null
        const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
        if (!validDate(y, mo, d)) return null
        const date = `${m[1]}-${m[2]}-${m[3]}`
        return { iso: `${m[1]}${m[2]}${m[3]}`, type: 'Daily', start: date, end: date }
    }
    if ((m = /^(\d{4})(W|WedW|ThuW|SatW|SunW|BiW)(\d{1,2})$/.exec(s))) {
        const type = ({ W: 'Weekly', WedW: 'WeeklyWednesday', ThuW: 'WeeklyThursday', SatW: 'WeeklySaturday', SunW: 'WeeklySunday', BiW: 'BiWeekly' } as const)[
            m[2] as 'W'
        ]
        return weekPeriod(type, Number(m[1]), Number(m[3]))
    }
    if ((m = /^(\d{4})-?(\d{2})$/.exec(s))) {
        const mo = Number(m[2])
        if (mo < 1 || mo > 12) return null
        return monthPeriod('Monthly', Number(m[1]) * 12 + mo - 1)
    }
    if ((m = /^(\d{4})(\d{2})B$/.exec(s))) {
        const i = Number(m[2])
        if (i < 1 || i > 6) return null
        return monthPeriod('BiMonthly', Number(m[1]) * 12 + (i - 1) * 2)
    }
    if ((m = /^(\d{4})Q(\d)$/.exec(s))) {
        const q = Number(m[2])
        if (q < 1 || q > 4) return null
        return monthPeriod('Quarterly', Number(m[1]) * 12 + (q - 1) * 3)
    }
    if ((m = /^(\d{4})NovQ(\d)$/.exec(s))) {
        const q = Number(m[2])
        if (q < 1 || q > 4) return null
        return monthPeriod('QuarterlyNov', (Number(m[1]) - 1) * 12 + 10 + (q - 1) * 3)
    }
    if ((m = /^(\d{4})S(\d)$/.exec(s))) {
        const h = Number(m[2])
        if (h < 1 || h > 2) return null
        return monthPeriod('SixMonthly', Number(m[1]) * 12 + (h - 1) * 6)
    }
    if ((m = /^(\d{4})AprilS(\d)$/.exec(s))) {
        const h = Number(m[2])
        if (h < 1 || h > 2) return null
        return monthPeriod('SixMonthlyApril', Number(m[1]) * 12 + 3 + (h - 1) * 6)
    }
    if ((m = /^(\d{4})NovS(\d)$/.exec(s))) {
        const h = Number(m[2])
        if (h < 1 || h > 2) return null
        return monthPeriod('SixMonthlyNov', (Number(m[1]) - 1) * 12 + 10 + (h - 1) * 6)
    }
    if ((m = /^(\d{4})$/.exec(s))) return monthPeriod('Yearly', Number(m[1]) * 12)
    if ((m = /^(\d{4})(April|July|Oct|Nov|Sep)$/.exec(s))) {
        if (m[2] === 'Sep' && !opts.financialSep) return null
        const types: Record<string, PeriodTypeName> = { April: 'FinancialApril', July: 'FinancialJuly', Oct: 'FinancialOct', Nov: 'FinancialNov', Sep: 'FinancialSep' }
        const type = types[m[2]]
        const y = Number(m[1])
        return monthPeriod(type, (type === 'FinancialNov' ? y - 1 : y) * 12 + MONTH_TYPES[type]!.align)
    }
    return null
}

export const PERIOD_TYPES: PeriodTypeName[] = [
    'Daily',
    'Weekly',
    'WeeklyWednesday',
    'WeeklyThursday',
    'WeeklySaturday',
    'WeeklySunday',
    'BiWeekly',
    'Monthly',
    'BiMonthly',
    'Quarterly',
    'QuarterlyNov',
    'SixMonthly',
    'SixMonthlyApril',
    'SixMonthlyNov',
    'Yearly',
    'FinancialApril',
    'FinancialJuly',
    'FinancialSep',
    'FinancialOct',
    'FinancialNov',
]

export function isPeriodType(s: unknown): s is PeriodTypeName {
    return typeof s === 'string' && (PERIOD_TYPES as string[]).includes(s)
}

/** The period of `type` that contains `date`. */
export function periodContaining(type: PeriodTypeName, date: string): Period {
    if (type === 'Daily') return { iso: date.replace(/-/g, ''), type, start: date, end: date }
    if (type in WEEK_START) return weekContaining(type, dayNumber(date))
    return monthContaining(type, date)
}

/** The period `n` periods after `p` (n may be negative). */
export function shiftPeriod(p: Period, n: number): Period {
    if (n === 0) return p
    if (p.type === 'Daily') return periodContaining('Daily', addDays(p.start, n))
    if (p.type in WEEK_START) return weekContaining(p.type, dayNumber(p.start) + n * (p.type === 'BiWeekly' ? 14 : 7))
    const t = MONTH_TYPES[p.type]!
    const abs = Number(p.start.slice(0, 4)) * 12 + Number(p.start.slice(5, 7)) - 1
    return monthPeriod(p.type, abs + n * t.months)
}

/** Length in days, to compare granularity (a weekly value never counts toward a daily period). */
export function periodDays(p: Period): number {
    return dayNumber(p.end) - dayNumber(p.start) + 1
}

export function periodName(p: Period): string {
    const [sy, sm] = [Number(p.start.slice(0, 4)), Number(p.start.slice(5, 7))]
    const [ey, em] = [Number(p.end.slice(0, 4)), Number(p.end.slice(5, 7))]
    switch (p.type) {
        case 'Daily':
            return p.start
        case 'Monthly':
            return `${MONTHS[sm - 1]} ${sy}`
        case 'Yearly':
            return `${sy}`
        default:
            if (p.type in WEEK_START) {
                const n = /(\d+)$/.exec(p.iso)![1]
                return `${p.type === 'BiWeekly' ? 'Bi-Week' : 'Week'} ${n} ${p.start} - ${p.end}`
            }
            if (p.type.startsWith('Financial')) return `${MONTHS[sm - 1]} ${sy} - ${MONTHS[em - 1]} ${ey}`
            return sy === ey ? `${MONTHS[sm - 1]} - ${MONTHS[em - 1]} ${ey}` : `${MONTHS[sm - 1]} ${sy} - ${MONTHS[em - 1]} ${ey}`
    }
}

// ---------------------------------------------------------------------------------------------
// Relative periods (analytics)
// ---------------------------------------------------------------------------------------------

interface RelativeDef {
    name: string
    resolve(today: string): Period[]
}

function lastN(type: PeriodTypeName, n: number, includeCurrent = false) {
    return (today: string) => {
        const cur = periodContaining(type, today)
        const out: Period[] = []
        for (let i = n; i >= 1; i--) out.push(shiftPeriod(cur, -i + (includeCurrent ? 1 : 0)))
        return out
    }
}

function inYear(type: PeriodTypeName, yearOffset: number) {
    return (today: string) => {
        const y = Number(today.slice(0, 4)) + yearOffset
        const out: Period[] = []
        let p = type in WEEK_START ? weekPeriod(type, y, 1)! : periodContaining(type, `${y}-01-01`)
        while (Number(p.iso.slice(0, 4)) === y) {
            out.push(p)
            p = shiftPeriod(p, 1)
        }
        return out
    }
}

const relative = (type: PeriodTypeName, offset: number) => (today: string) => [shiftPeriod(periodContaining(type, today), offset)]

export const RELATIVE_PERIODS: Record<string, RelativeDef> = {
    TODAY: { name: 'Today', resolve: relative('Daily', 0) },
    YESTERDAY: { name: 'Yesterday', resolve: relative('Daily', -1) },
    LAST_3_DAYS: { name: 'Last 3 days', resolve: lastN('Daily', 3) },
    LAST_7_DAYS: { name: 'Last 7 days', resolve: lastN('Daily', 7) },
    LAST_14_DAYS: { name: 'Last 14 days', resolve: lastN('Daily', 14) },
    LAST_30_DAYS: { name: 'Last 30 days', resolve: lastN('Daily', 30) },
    LAST_60_DAYS: { name: 'Last 60 days', resolve: lastN('Daily', 60) },
    LAST_90_DAYS: { name: 'Last 90 days', resolve: lastN('Daily', 90) },
    LAST_180_DAYS: { name: 'Last 180 days', resolve: lastN('Daily', 180) },
    THIS_WEEK: { name: 'This week', resolve: relative('Weekly', 0) },
    LAST_WEEK: { name: 'Last week', resolve: relative('Weekly', -1) },
    LAST_4_WEEKS: { name: 'Last 4 weeks', resolve: lastN('Weekly', 4) },
    LAST_12_WEEKS: { name: 'Last 12 weeks', resolve: lastN('Weekly', 12) },
    LAST_52_WEEKS: { name: 'Last 52 weeks', resolve: lastN('Weekly', 52) },
    WEEKS_THIS_YEAR: { name: 'Weeks this year', resolve: inYear('Weekly', 0) },
    THIS_BIWEEK: { name: 'This bi-week', resolve: relative('BiWeekly', 0) },
    LAST_BIWEEK: { name: 'Last bi-week', resolve: relative('BiWeekly', -1) },
    LAST_4_BIWEEKS: { name: 'Last 4 bi-weeks', resolve: lastN('BiWeekly', 4) },
    THIS_MONTH: { name: 'This month', resolve: relative('Monthly', 0) },
    LAST_MONTH: { name: 'Last month', resolve: relative('Monthly', -1) },
    LAST_3_MONTHS: { name: 'Last 3 months', resolve: lastN('Monthly', 3) },
    LAST_6_MONTHS: { name: 'Last 6 months', resolve: lastN('Monthly', 6) },
    LAST_12_MONTHS: { name: 'Last 12 months', resolve: lastN('Monthly', 12) },
    MONTHS_THIS_YEAR: { name: 'Months this year', resolve: inYear('Monthly', 0) },
    MONTHS_LAST_YEAR: { name: 'Months last year', resolve: inYear('Monthly', -1) },
    THIS_BIMONTH: { name: 'This bi-month', resolve: relative('BiMonthly', 0) },
    LAST_BIMONTH: { name: 'Last bi-month', resolve: relative('BiMonthly', -1) },
    LAST_6_BIMONTHS: { name: 'Last 6 bi-months', resolve: lastN('BiMonthly', 6) },
    BIMONTHS_THIS_YEAR: { name: 'Bi-months this year', resolve: inYear('BiMonthly', 0) },
    THIS_QUARTER: { name: 'This quarter', resolve: relative('Quarterly', 0) },
    LAST_QUARTER: { name: 'Last quarter', resolve: relative('Quarterly', -1) },
    LAST_4_QUARTERS: { name: 'Last 4 quarters', resolve: lastN('Quarterly', 4) },
    QUARTERS_THIS_YEAR: { name: 'Quarters this year', resolve: inYear('Quarterly', 0) },
    QUARTERS_LAST_YEAR: { name: 'Quarters last year', resolve: inYear('Quarterly', -1) },
    THIS_SIX_MONTH: { name: 'This six-month', resolve: relative('SixMonthly', 0) },
    LAST_SIX_MONTH: { name: 'Last six-month', resolve: relative('SixMonthly', -1) },
    LAST_2_SIXMONTHS: { name: 'Last 2 six-months', resolve: lastN('SixMonthly', 2) },
    THIS_YEAR: { name: 'This year', resolve: relative('Yearly', 0) },
    LAST_YEAR: { name: 'Last year', resolve: relative('Yearly', -1) },
    LAST_5_YEARS: { name: 'Last 5 years', resolve: lastN('Yearly', 5) },
    LAST_10_YEARS: { name: 'Last 10 years', resolve: lastN('Yearly', 10) },
    // Financial-year keywords follow `analyticsFinancialYearStart`, default October.
    THIS_FINANCIAL_YEAR: { name: 'This financial year', resolve: relative('FinancialOct', 0) },
    LAST_FINANCIAL_YEAR: { name: 'Last financial year', resolve: relative('FinancialOct', -1) },
    LAST_5_FINANCIAL_YEARS: { name: 'Last 5 financial years', resolve: lastN('FinancialOct', 5) },
}

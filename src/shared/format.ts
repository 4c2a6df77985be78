import type { Maybe } from '../compute/metrics'
import { isoPeriodRange, monthOf, yearOf } from '../compute/periods'

/**
 * Display formats (pure; tests normalise the spaces Intl puts in). Money is always FCFA with French
 * digit grouping and no decimals (`1 234 567 FCFA`: XOF has no minor unit), whatever the language;
 * counts, percentages and dates follow the user's locale.
 */
export interface FormatLabels {
    /** Shown for a figure that cannot be computed (division by zero). */
    na: string
    /** `+3.2` → `+3.2 pts` */
    points: (value: string) => string
}

export interface Formatter {
    locale: string
    money(n: Maybe): string
    count(n: Maybe): string
    percent(r: Maybe): string
    growth(g: Maybe): string
    points(p: Maybe): string
    compact(n: number): string
    month(pe: string): string
    monthLong(pe: string): string
    /** `202601`, `202610` → "janv.–oct. 2026" */
    monthRange(startPe: string, endPe: string): string
    dateTime(iso: string): string
    relative(iso: string, now: Date): string
}

/** A locale Intl accepts (DHIS2 may hand over odd ones); French otherwise. */
export function safeLocale(locale: string | undefined): string {
    try {
        return Intl.getCanonicalLocales(locale ?? 'fr')[0] ?? 'fr'
    } catch {
        return 'fr'
    }
}

const MONEY = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 })

export function formatMoney(n: number): string {
    // Math.round first: Intl rounds half to even in some engines; FCFA amounts round half up.
    const rounded = Math.round(n)
    return `${MONEY.format(rounded === 0 ? 0 : rounded)}\u00a0FCFA`
}

const monthDate = (pe: string): Date | null => {
    const r = isoPeriodRange(pe)
    return r ? new Date(Date.UTC(yearOf(r.start), monthOf(r.start) - 1, 1)) : null
}

export function makeFormatter(localeIn: string, labels: FormatLabels): Formatter {
    const locale = safeLocale(localeIn)
    const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 })
    const percent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 })
    const signedPercent = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' })
    const signedNumber = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, signDisplay: 'exceptZero' })
    const compact = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 })
    const monthShort = new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' })
    const monthLong = new Intl.DateTimeFormat(locale, { month: 'long', year: 'numeric', timeZone: 'UTC' })
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' })
    const relative = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
    const na = labels.na
    return {
        locale,
        money: (n) => (n === null ? na : formatMoney(n)),
        count: (n) => (n === null ? na : count.format(n)),
        percent: (r) => (r === null ? na : percent.format(r)),
        growth: (g) => (g === null ? na : signedPercent.format(g)),
        points: (p) => (p === null ? na : labels.points(signedNumber.format(p * 100))),
        compact: (n) => compact.format(n),
        month: (pe) => {
            const d = monthDate(pe)
            return d ? monthShort.format(d) : pe
        },
        monthLong: (pe) => {
            const d = monthDate(pe)
            return d ? monthLong.format(d) : pe
        },
        monthRange: (startPe, endPe) => {
            const a = monthDate(startPe)
            const b = monthDate(endPe)
            if (!a || !b) return `${startPe} – ${endPe}`
            // formatRange is ES2021 (every browser DHIS2 supports has it); the project's lib is ES2020.
            const ranged = monthShort as Intl.DateTimeFormat & { formatRange(x: Date, y: Date): string }
            return startPe === endPe ? monthShort.format(a) : ranged.formatRange(a, b)
        },
        dateTime: (iso) => {
            const d = new Date(iso)
            return Number.isNaN(d.getTime()) ? na : dateTime.format(d)
        },
        relative: (iso, now) => {
            const d = new Date(iso)
            if (Number.isNaN(d.getTime())) return na
            const seconds = (d.getTime() - now.getTime()) / 1000
            const abs = Math.abs(seconds)
            if (abs < 60) return relative.format(Math.round(seconds), 'second')
            if (abs < 3600) return relative.format(Math.round(seconds / 60), 'minute')
            if (abs < 86400) return relative.format(Math.round(seconds / 3600), 'hour')
            return relative.format(Math.round(seconds / 86400), 'day')
        },
    }
}

import { DateTime } from 'luxon'

/**
 * The months a reconciliation reads from databases and APIs, and their bounds. A month is local
 * to a facility's time zone, as everywhere in reconcile (a statement row belongs to the local
 * month of its own instant): its bounds are that zone's first day and the next month's first
 * day — as local dates for columns written in local time, as UTC instants for columns that hold
 * instants. Half-open: from ≤ t < to. Pure.
 */
export interface MonthBounds {
    month: string
    /** Local first day (less the margin), YYYY-MM-DD. */
    from: string
    /** Local first day of the next month, YYYY-MM-DD (exclusive). */
    to: string
    /** Local last day, YYYY-MM-DD (for APIs that take an inclusive end date). */
    last: string
    /** The local month's start as a UTC instant, ISO with milliseconds and Z. */
    fromUtc: string
    /** The next local month's start as a UTC instant (exclusive). */
    toUtc: string
}

/**
 * `marginDays`: statements are asked for that many days more on each side, so that a payment
 * just before midnight on the last day still finds its statement row just after it (matching
 * window); those rows only serve matching (run.ts).
 */
export function monthBounds(month: string, zone: string, marginDays = 0): MonthBounds {
    const start = DateTime.fromISO(`${month}-01T00:00:00`, { zone }).minus({ days: marginDays })
    const next = DateTime.fromISO(`${month}-01T00:00:00`, { zone }).plus({ months: 1, days: marginDays })
    const date = (d: DateTime) => d.toFormat('yyyy-MM-dd')
    return {
        month,
        from: date(start),
        to: date(next),
        last: date(next.minus({ days: 1 })),
        fromUtc: start.toUTC().toISO()!,
        toUtc: next.toUTC().toISO()!,
    }
}

/** Whole days covering a matching window of `minutes` (0 for none). */
export const marginDaysFor = (minutes: number): number => Math.ceil(minutes / (24 * 60))

/**
 * Without --month: the current local month and the previous one, so that a statement posted
 * after the month's end still reaches its month (a re-run replaces a month's figures).
 */
export function defaultReconMonths(now: Date, zone: string): string[] {
    const cur = DateTime.fromJSDate(now, { zone }).startOf('month')
    return [cur.minus({ months: 1 }), cur].map((d) => d.toFormat('yyyy-MM'))
}

/**
 * Answers that hold for every minute of an hour, computed once per hour and kept in per-zone
 * tables: a ledger line costs a lookup instead of calendar and time-zone arithmetic. Used for
 * reading local times (ledger/datetime.ts) and cutting instants into periods (periods.ts).
 */

export const HOUR_MS = 3_600_000

/** Bound on one table: two years of a ledger hold ~17 500 hours. */
const MAX_HOURS = 100_000

/**
 * A small integer naming an hour (a number key: no text sliced or hashed per line). Callers check
 * month 1–12, day 1–31, hour 0–23 first, so that no two hours share a key.
 */
export const hourKey = (year: number, month: number, day: number, hour: number): number => ((year * 13 + month) * 32 + day) * 24 + hour

/**
 * Tables named by one or two texts (a zone, a period type). The two last used are kept at hand:
 * a ledger that mixes local and `Z` times alternates between two tables, and naming a table
 * (a text built and hashed) on each switch cost more than the lookup itself.
 */
export class HourTables {
    private readonly tables = new Map<string, Map<string, Map<number, string>>>()
    private lastA = ''
    private lastB = ''
    private last: Map<number, string> | null = null
    private prevA = ''
    private prevB = ''
    private prev: Map<number, string> | null = null

    table(a: string, b = ''): Map<number, string> {
        if (a === this.lastA && b === this.lastB && this.last) return this.last
        let t: Map<number, string> | undefined
        if (a === this.prevA && b === this.prevB && this.prev) t = this.prev
        else {
            let inner = this.tables.get(a)
            if (!inner) this.tables.set(a, (inner = new Map()))
            t = inner.get(b)
            if (!t) inner.set(b, (t = new Map()))
        }
        this.prevA = this.lastA
        this.prevB = this.lastB
        this.prev = this.last
        this.lastA = a
        this.lastB = b
        this.last = t
        return t
    }
}

/** Stores an hour's answer ('' = not valid for the whole hour), emptying a table that reached its bound. */
export function rememberHour(table: Map<number, string>, key: number, value: string): void {
    if (table.size >= MAX_HOURS) table.clear()
    table.set(key, value)
}

import { periodsOfMonth } from '../aggregate/periods'
import type { PeriodType } from '../../contract/codes'
import type { LedgerLine } from '../domain/line'
import type { StateDb } from '../state/db'
import { LineStore, scopesWithLines } from '../state/lines'

/**
 * The ledger's side of a reconciliation: the latest version of every line of the given calendar
 * months (the state's scopes that cut them, whatever the period type), plus the other payment
 * lines of their attempts (LineStore.linesForScope), once each. Read-only.
 */
export function ledgerLinesOfMonths(db: StateDb, months: readonly string[], periodType: PeriodType): LedgerLine[] {
    const periods = new Set<string>()
    for (const m of months) for (const p of periodsOfMonth(m, periodType)) periods.add(p)
    const store = new LineStore(db)
    const seen = new Set<string>()
    const out: LedgerLine[] = []
    for (const scope of scopesWithLines(db, [...periods])) {
        for (const l of store.linesForScope(scope)) {
            const id = `${l.transactionId}\u0000${l.lineNo}`
            if (seen.has(id)) continue
            seen.add(id)
            out.push(l)
        }
    }
    return out
}

/** YYYY-MM ± n months. */
export function shiftMonth(month: string, n: number): string {
    const [y, m] = month.split('-').map(Number)
    const k = y * 12 + (m - 1) + n
    return `${String(Math.floor(k / 12)).padStart(4, '0')}-${String((k % 12) + 1).padStart(2, '0')}`
}

/** The covered months and their neighbours (an item across a month end pairs with its other side). */
export function monthsToLoad(covered: readonly string[]): string[] {
    const s = new Set<string>()
    for (const m of covered) for (const n of [-1, 0, 1]) s.add(shiftMonth(m, n))
    return [...s].sort()
}

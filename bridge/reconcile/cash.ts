import type { ReconCash } from '../../contract/reconciliation'
import type { LedgerLine } from '../domain/line'
import { cmp, localDay } from './attempts'
import type { CashCount } from './rows'

/**
 * Cash, per facility × local day (× cashier when the day's counts name one), docs/contract.md
 * §7: expected = Σ CASH SUCCESS PAYMENT − Σ CASH SUCCESS REFUND; variance = counted − expected.
 * Pure. A day with cash in the ledger and no count is CASH_NOT_COUNTED — for facilities that
 * have counts at all (without any, cash is simply not reconciled). When the day's counts name
 * cashiers, the ledger's cash of cashiers without a count (or without cashier) forms one
 * uncounted row with `cashier: null`: the ledger's cashier ids are compared as keyed hashes
 * and never shown.
 */
export interface CashOptions {
    zoneFor: (facility: string) => string
    keyOf: (cashier: string) => string
    /** Only these local days (a month: YYYY-MM prefix); all when absent. */
    month?: string
    facility?: string | null
}

export function reconcileCash(lines: readonly LedgerLine[], counts: readonly CashCount[], o: CashOptions): ReconCash[] {
    const inScope = (facility: string, day: string) => (!o.month || day.startsWith(`${o.month}-`)) && (!o.facility || facility === o.facility)
    // Cash is reconciled for the facility × months that have counts at all (without any, it is simply not counted yet).
    const counted = new Set(counts.map((c) => `${c.facilityCode}|${c.date.slice(0, 7)}`))
    // facility|day → cashier key ('' = none) → expected
    const expected = new Map<string, Map<string, number>>()
    const seen = new Set<string>()
    for (const l of lines) {
        if (l.channel !== 'CASH' || l.status !== 'SUCCESS') continue
        const id = `${l.transactionId}\u0000${l.lineNo}`
        if (seen.has(id)) continue
        seen.add(id)
        const day = localDay(l.occurredAt, o.zoneFor(l.facilityCode))
        if (!counted.has(`${l.facilityCode}|${day.slice(0, 7)}`)) continue
        if (!inScope(l.facilityCode, day)) continue
        const k = `${l.facilityCode}\u0000${day}`
        let m = expected.get(k)
        if (!m) expected.set(k, (m = new Map()))
        const who = l.cashierKey ?? ''
        m.set(who, (m.get(who) ?? 0) + (l.type === 'REFUND' ? -l.amountXof : l.amountXof))
    }
    // facility|day → cashier id as counted ('' = the day as a whole) → counted
    const countsByDay = new Map<string, Map<string, number>>()
    for (const c of counts) {
        if (!inScope(c.facilityCode, c.date)) continue
        const k = `${c.facilityCode}\u0000${c.date}`
        let m = countsByDay.get(k)
        if (!m) countsByDay.set(k, (m = new Map()))
        const who = c.cashierId ?? ''
        m.set(who, (m.get(who) ?? 0) + c.countedXof)
    }
    const out: ReconCash[] = []
    const row = (facility: string, date: string, cashier: string | null, exp: number, cnt: number | null): ReconCash => {
        const variance = cnt === null ? null : cnt - exp
        const flag = cnt === null ? 'CASH_NOT_COUNTED' : variance! < 0 ? 'CASH_SHORT' : variance! > 0 ? 'CASH_OVER' : 'OK'
        return { facility, date, cashier, expected: exp, counted: cnt, variance, flag }
    }
    for (const k of new Set([...expected.keys(), ...countsByDay.keys()])) {
        const [facility, date] = k.split('\u0000')
        const exp = expected.get(k) ?? new Map<string, number>()
        const cnt = countsByDay.get(k)
        const total = [...exp.values()].reduce((s, v) => s + v, 0)
        if (!cnt) {
            out.push(row(facility, date, null, total, null))
            continue
        }
        const named = [...cnt.keys()].filter((c) => c !== '')
        if (!named.length) {
            out.push(row(facility, date, null, total, cnt.get('')!))
            continue
        }
        // Per cashier: each count against its cashier's cash; what no named count covers, apart.
        const covered = new Set<string>()
        for (const name of named.sort(cmp)) {
            const key = o.keyOf(name)
            covered.add(key)
            out.push(row(facility, date, name, exp.get(key) ?? 0, cnt.get(name)!))
        }
        const rest = [...exp.entries()].filter(([key]) => !covered.has(key)).reduce((s, [, v]) => s + v, 0)
        const hasRest = [...exp.keys()].some((key) => !covered.has(key))
        if (cnt.has('')) out.push(row(facility, date, null, rest, cnt.get('')!))
        else if (hasRest) out.push(row(facility, date, null, rest, null))
    }
    return out.sort((a, b) => cmp(a.facility, b.facility) || cmp(a.date, b.date) || cmp(a.cashier ?? '', b.cashier ?? ''))
}

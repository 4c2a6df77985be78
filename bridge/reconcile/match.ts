import type { ReconCategory, StatementChannel } from '../../contract/reconciliation'
import type { LineType } from '../../contract/codes'
import { cmp, localMonth, type LedgerAttempt } from './attempts'
import type { StatementRow } from './rows'

/**
 * Matching, docs/contract.md §7. Pure and deterministic; per facility × channel, each type
 * (PAYMENT, REFUND) apart:
 *  0. Statement rows sharing a reference (case and surrounding spaces ignored) and a type: the
 *     first SUCCESS one (else the first) is the row; the others are DUPLICATE_STATEMENT items.
 *     Order of rows: occurred_at, then source, then line.
 *  1. By reference: an attempt whose operator_ref equals a row's reference takes that row
 *     (an operator_ref on two attempts: the earlier attempt takes it).
 *  2. Within the window, same amount, both SUCCESS: the pairs are taken nearest in time first;
 *     ties by attempt time, attempt id, row time, row source, row line. One to one.
 *  3. Within the window, same amount, one side SUCCESS and the other not (what is still free
 *     after 2): a receipt marked failed that the operator settled, or the reverse.
 *  4. What is left: SUCCESS attempts are LEDGER_ONLY, SUCCESS rows STATEMENT_ONLY; failures
 *     on one side only are not items (no money either way).
 * A pair: both SUCCESS → MATCHED (or AMOUNT_MISMATCH when the amounts differ, which only a
 * reference pairing allows); one SUCCESS → STATUS_MISMATCH; none → not an item.
 * An item's month is its ledger attempt's (docs/contract.md §7: items crossing midnight or the
 * month end stay in the ledger line's period); a statement-only item's is its own local date.
 */

export interface MatchItem {
    category: ReconCategory
    facility: string
    channel: StatementChannel
    type: LineType
    matchedBy: 'reference' | 'window' | null
    attempt: LedgerAttempt | null
    row: StatementRow | null
    month: string
}

export interface MatchOptions {
    windowMinutes: number
    /** The same keyed hash the ledger's operator_ref went through (bridge/reconcile/keys.ts). */
    keyOf: (reference: string) => string
    zoneFor: (facility: string) => string
}

const groupKey = (facility: string, channel: string, type: string) => `${facility}\u0000${channel}\u0000${type}`

function rowOrder(a: StatementRow, b: StatementRow): number {
    return cmp(a.occurredAt, b.occurredAt) || cmp(a.source, b.source) || a.line - b.line
}

export function matchStatements(attempts: readonly LedgerAttempt[], rows: readonly StatementRow[], o: MatchOptions): MatchItem[] {
    const groups = new Map<string, { attempts: LedgerAttempt[]; rows: StatementRow[] }>()
    const group = (f: string, c: string, t: string) => {
        const k = groupKey(f, c, t)
        let g = groups.get(k)
        if (!g) groups.set(k, (g = { attempts: [], rows: [] }))
        return g
    }
    for (const a of attempts) group(a.facilityCode, a.channel, a.type).attempts.push(a)
    for (const r of rows) group(r.facilityCode, r.channel, r.type).rows.push(r)
    const items: MatchItem[] = []
    for (const k of [...groups.keys()].sort()) {
        const g = groups.get(k)!
        items.push(...matchGroup(g.attempts, g.rows, o))
    }
    return items
}

function matchGroup(attempts: LedgerAttempt[], allRows: StatementRow[], o: MatchOptions): MatchItem[] {
    const items: MatchItem[] = []
    const rowMonth = (r: StatementRow) => localMonth(r.occurredAt, o.zoneFor(r.facilityCode))
    const item = (category: ReconCategory, a: LedgerAttempt | null, r: StatementRow | null, by: MatchItem['matchedBy']): MatchItem => {
        const any = (a ?? r)!
        return {
            category,
            facility: a?.facilityCode ?? r!.facilityCode,
            channel: any.channel,
            type: any.type,
            matchedBy: by,
            attempt: a,
            row: r,
            month: a ? a.month : rowMonth(r!),
        }
    }

    // 0. One row per reference; the others are duplicates.
    const sorted = [...allRows].sort(rowOrder)
    const byRef = new Map<string, StatementRow[]>()
    for (const r of sorted) {
        const key = o.keyOf(r.reference)
        const list = byRef.get(key)
        if (list) list.push(r)
        else byRef.set(key, [r])
    }
    const rows: StatementRow[] = []
    const rowByKey = new Map<string, StatementRow>()
    for (const [key, list] of byRef) {
        const primary = list.find((r) => r.status === 'SUCCESS') ?? list[0]
        rows.push(primary)
        rowByKey.set(key, primary)
        for (const r of list) if (r !== primary) items.push(item('DUPLICATE_STATEMENT', null, r, null))
    }
    rows.sort(rowOrder)

    const pairs: Array<{ a: LedgerAttempt; r: StatementRow; by: 'reference' | 'window' }> = []
    const usedRows = new Set<StatementRow>()
    const usedAttempts = new Set<LedgerAttempt>()
    const pair = (a: LedgerAttempt, r: StatementRow, by: 'reference' | 'window') => {
        pairs.push({ a, r, by })
        usedRows.add(r)
        usedAttempts.add(a)
    }

    // 1. By reference (attempts are in time order).
    for (const a of attempts) {
        if (!a.refKey) continue
        const r = rowByKey.get(a.refKey)
        if (r && !usedRows.has(r)) pair(a, r, 'reference')
    }

    // 2 and 3. Within the window, same amount, nearest first.
    const windowMs = o.windowMinutes * 60_000
    const byWindow = (wantA: (a: LedgerAttempt) => boolean, wantR: (r: StatementRow) => boolean) => {
        const free = attempts.filter((a) => !usedAttempts.has(a) && wantA(a))
        const freeRows = rows.filter((r) => !usedRows.has(r) && wantR(r))
        const rowsByAmount = new Map<number, Array<{ r: StatementRow; t: number }>>()
        for (const r of freeRows) {
            const list = rowsByAmount.get(r.amountXof) ?? []
            list.push({ r, t: Date.parse(r.occurredAt) })
            rowsByAmount.set(r.amountXof, list)
        }
        const candidates: Array<{ d: number; a: LedgerAttempt; ta: number; r: StatementRow }> = []
        for (const a of free) {
            const list = rowsByAmount.get(a.amount)
            if (!list) continue
            const ta = Date.parse(a.at)
            // Rows are in time order: scan from the first one inside the window.
            let lo = 0
            let hi = list.length
            while (lo < hi) {
                const mid = (lo + hi) >> 1
                if (list[mid].t < ta - windowMs) lo = mid + 1
                else hi = mid
            }
            for (let i = lo; i < list.length && list[i].t <= ta + windowMs; i++) candidates.push({ d: Math.abs(list[i].t - ta), a, ta, r: list[i].r })
        }
        candidates.sort((x, y) => x.d - y.d || x.ta - y.ta || cmp(x.a.transactionId, y.a.transactionId) || rowOrder(x.r, y.r))
        for (const c of candidates) if (!usedAttempts.has(c.a) && !usedRows.has(c.r)) pair(c.a, c.r, 'window')
    }
    const ok = (x: { success: boolean } | { status: string }) => ('success' in x ? x.success : x.status === 'SUCCESS')
    byWindow(ok, ok)
    byWindow(ok, (r) => !ok(r))
    byWindow((a) => !ok(a), ok)

    for (const { a, r, by } of pairs) {
        const aOk = a.success
        const rOk = r.status === 'SUCCESS'
        if (aOk && rOk) items.push(item(a.amount === r.amountXof ? 'MATCHED' : 'AMOUNT_MISMATCH', a, r, by))
        else if (aOk || rOk) items.push(item('STATUS_MISMATCH', a, r, by))
    }
    // 4. Leftovers.
    for (const a of attempts) if (!usedAttempts.has(a) && a.success) items.push(item('LEDGER_ONLY', a, null, null))
    for (const r of rows) if (!usedRows.has(r) && r.status === 'SUCCESS') items.push(item('STATEMENT_ONLY', null, r, null))
    return items
}

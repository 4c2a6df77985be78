import { RECON_CATEGORIES, type ReconCash, type ReconChannel, type ReconDataElement, type ReconItem, type StatementChannel } from '../../contract/reconciliation'
import { cmp } from './attempts'
import type { MatchItem } from './match'

/**
 * Matched items → the report's per facility × channel figures (docs/contract.md §7 `channels`),
 * its item list, and the absolute totals DHIS2 receives per facility × month. Pure.
 */

/** The amount an item adds to its category: the statement's when it has a row, else the ledger's. */
export const itemAmount = (i: MatchItem): number => (i.row ? i.row.amountXof : i.attempt!.amount)

/** Statement rows that count as money on the statements (SUCCESS, a duplicated reference once). */
const countsAsStatement = (i: MatchItem) => i.row !== null && i.row.status === 'SUCCESS' && i.category !== 'DUPLICATE_STATEMENT'

function emptyChannel(facility: string, channel: StatementChannel): ReconChannel {
    const z = () => ({ count: 0, amount: 0 })
    return {
        facility,
        channel,
        ledgerCount: 0,
        ledgerAmount: 0,
        statementCount: 0,
        statementAmount: 0,
        fees: 0,
        categories: { MATCHED: z(), AMOUNT_MISMATCH: { ...z(), gap: 0 }, LEDGER_ONLY: z(), STATEMENT_ONLY: z(), STATUS_MISMATCH: z(), DUPLICATE_STATEMENT: z() },
    }
}

export function channelSummaries(items: readonly MatchItem[]): ReconChannel[] {
    const by = new Map<string, ReconChannel>()
    for (const i of items) {
        const k = `${i.facility}\u0000${i.channel}`
        let c = by.get(k)
        if (!c) by.set(k, (c = emptyChannel(i.facility, i.channel)))
        const amount = itemAmount(i)
        const cat = c.categories[i.category]
        cat.count++
        cat.amount += amount
        if (i.category === 'AMOUNT_MISMATCH') c.categories.AMOUNT_MISMATCH.gap += i.row!.amountXof - i.attempt!.amount
        if (i.attempt?.success) {
            c.ledgerCount++
            c.ledgerAmount += i.attempt.amount
        }
        if (countsAsStatement(i)) {
            c.statementCount++
            c.statementAmount += i.row!.amountXof
            c.fees += i.row!.feeXof
        }
    }
    return [...by.values()].sort((a, b) => cmp(a.facility, b.facility) || cmp(a.channel, b.channel))
}

/** Largest first (what a finance officer looks at first), then time, then ids. */
export function itemDetail(items: readonly MatchItem[]): ReconItem[] {
    const out = items.map(
        (i): ReconItem => ({
            category: i.category,
            facility: i.facility,
            channel: i.channel,
            type: i.type,
            matchedBy: i.matchedBy,
            transactionId: i.attempt?.transactionId ?? null,
            reference: i.row?.reference ?? null,
            ledgerAmount: i.attempt?.amount ?? null,
            statementAmount: i.row?.amountXof ?? null,
            amount: itemAmount(i),
            gap: i.attempt && i.row ? i.row.amountXof - i.attempt.amount : null,
            fee: i.row?.feeXof ?? null,
            ledgerStatus: i.attempt?.status ?? null,
            statementStatus: i.row?.status ?? null,
            ledgerAt: i.attempt?.at ?? null,
            statementAt: i.row?.occurredAt ?? null,
            msisdn: i.row?.msisdn ?? null,
        })
    )
    return out.sort(
        (a, b) =>
            RECON_CATEGORIES.indexOf(a.category) - RECON_CATEGORIES.indexOf(b.category) ||
            b.amount - a.amount ||
            cmp(a.ledgerAt ?? a.statementAt ?? '', b.ledgerAt ?? b.statementAt ?? '') ||
            cmp(a.transactionId ?? '', b.transactionId ?? '') ||
            cmp(a.reference ?? '', b.reference ?? '')
    )
}

export interface ReconValue {
    dataElement: ReconDataElement
    /** YYYY-MM */
    month: string
    facility: string
    /** null: default category option combo. */
    channel: StatementChannel | null
    value: number
}

/**
 * Absolute totals per facility × month (docs/contract.md §7): by channel MATCHED, LEDGER_ONLY,
 * STATEMENT_ONLY (their category amounts), AMOUNT_GAP (Σ |gap|) and FEES; cash SHORT and OVER
 * (≥ 0). Every facility × channel × month that has items gets all five values, zeros included, so
 * a late statement that clears a discrepancy sends the 0.
 */
export function reconValues(items: readonly MatchItem[], cash: readonly (ReconCash & { month?: string })[]): ReconValue[] {
    const out: ReconValue[] = []
    const byMonth = new Map<string, MatchItem[]>()
    for (const i of items) {
        const list = byMonth.get(i.month) ?? []
        list.push(i)
        byMonth.set(i.month, list)
    }
    for (const [month, list] of byMonth) {
        const gaps = new Map<string, number>()
        for (const i of list) {
            if (i.category !== 'AMOUNT_MISMATCH') continue
            const k = `${i.facility}\u0000${i.channel}`
            gaps.set(k, (gaps.get(k) ?? 0) + Math.abs(i.row!.amountXof - i.attempt!.amount))
        }
        for (const c of channelSummaries(list)) {
            const v = (dataElement: ReconDataElement, value: number) => out.push({ dataElement, month, facility: c.facility, channel: c.channel, value })
            v('PAYREV_RECON_MATCHED', c.categories.MATCHED.amount)
            v('PAYREV_RECON_LEDGER_ONLY', c.categories.LEDGER_ONLY.amount)
            v('PAYREV_RECON_STATEMENT_ONLY', c.categories.STATEMENT_ONLY.amount)
            v('PAYREV_RECON_AMOUNT_GAP', gaps.get(`${c.facility}\u0000${c.channel}`) ?? 0)
            v('PAYREV_FEES', c.fees)
        }
    }
    const cashBy = new Map<string, { facility: string; month: string; short: number; over: number }>()
    for (const c of cash) {
        const month = c.date.slice(0, 7)
        const k = `${c.facility}\u0000${month}`
        let t = cashBy.get(k)
        if (!t) cashBy.set(k, (t = { facility: c.facility, month, short: 0, over: 0 }))
        if (c.flag === 'CASH_SHORT') t.short += -c.variance!
        if (c.flag === 'CASH_OVER') t.over += c.variance!
    }
    for (const t of cashBy.values()) {
        out.push({ dataElement: 'PAYREV_CASH_SHORT', month: t.month, facility: t.facility, channel: null, value: t.short })
        out.push({ dataElement: 'PAYREV_CASH_OVER', month: t.month, facility: t.facility, channel: null, value: t.over })
    }
    return out.sort((a, b) => cmp(a.month, b.month) || cmp(a.facility, b.facility) || cmp(a.dataElement, b.dataElement) || cmp(a.channel ?? '', b.channel ?? ''))
}

import type { Channel, PeriodType } from '../../contract/codes'
import type { LedgerLine } from '../domain/line'
import { supersedes } from '../ledger/versions'
import { parseIsoUtc } from './instant'
import { scopeId, valueKeyId, type KeyedValue, type ValueKey } from './keys'
import { periodOf } from './periods'

export interface AggregationContext {
    periodType: PeriodType
    zoneFor(facilityCode: string): string
}

export function linePeriod(line: LedgerLine, ctx: AggregationContext): string {
    return periodOf(line.occurredAt, ctx.zoneFor(line.facilityCode), ctx.periodType)
}

/** The scope (facility, period) a line belongs to: its occurred_at in its facility's zone. */
export function lineScope(line: LedgerLine, ctx: AggregationContext): string {
    return scopeId(line.facilityCode, linePeriod(line, ctx))
}

/** Scopes to recompute after these line changes: where the old version was and where the new one is. */
export function touchedScopes(changes: Array<{ before: LedgerLine | null; after: LedgerLine }>, ctx: AggregationContext): Set<string> {
    const scopes = new Set<string>()
    for (const c of changes) {
        if (c.before) scopes.add(lineScope(c.before, ctx))
        scopes.add(lineScope(c.after, ctx))
    }
    return scopes
}

/** "Earliest" by occurred_at, then line_no, then the remaining fields, so ties never depend on input order. */
function earlier(a: LedgerLine, b: LedgerLine): boolean {
    const ta = parseIsoUtc(a.occurredAt)
    const tb = parseIsoUtc(b.occurredAt)
    if (ta !== tb) return ta < tb
    if (a.lineNo !== b.lineNo) return a.lineNo < b.lineNo
    const ka = `${a.facilityCode}\u0000${a.service}\u0000${a.status}\u0000${a.amountXof}`
    const kb = `${b.facilityCode}\u0000${b.service}\u0000${b.status}\u0000${b.amountXof}`
    return ka < kb
}

/**
 * docs/contract.md §3 absolute totals.
 * - PAYREV_GROSS / PAYREV_REFUNDS: Σ amount of SUCCESS PAYMENT / REFUND lines per
 *   (period, facility, channel, service); a key with such lines is returned even at 0.
 * - Attempts = (transaction_id, channel) over PAYMENT lines: one PAYREV_PAYMENTS in the
 *   period and facility of the earliest SUCCESS line if any; otherwise one PAYREV_FAILED in
 *   the period and facility of the earliest line (any status) if some line is FAILED or EXPIRED.
 * Lines are expected in their latest versions; should one identity (transaction_id, line_no)
 * appear twice, the contract precedence rule picks the version (input order = order seen).
 * `onlyScopes` keeps the output to those scopes; the caller must pass every payment line of
 * every attempt that touches them. Output sorted by key id.
 */
export function computeTotals(
    lines: Iterable<LedgerLine>,
    ctx: AggregationContext,
    onlyScopes?: ReadonlySet<string>,
    /** Traceability (docs/traceability.md): told which lines make each key's value; unset in a sync. */
    onCount?: (keyId: string, line: LedgerLine) => void
): KeyedValue[] {
    const latest = new Map<string, LedgerLine>()
    for (const line of lines) {
        const id = `${line.lineNo}|${line.transactionId}`
        const current = latest.get(id)
        if (!current || supersedes(line, current)) latest.set(id, line)
    }

    const totals = new Map<string, KeyedValue>()
    const add = (key: ValueKey, amount: number) => {
        const id = valueKeyId(key)
        const v = totals.get(id)
        if (v) v.value += amount
        else totals.set(id, { ...key, value: amount })
        return id
    }
    const periods = new Map<LedgerLine, string>()
    const periodFor = (line: LedgerLine) => {
        let p = periods.get(line)
        if (p === undefined) {
            p = linePeriod(line, ctx)
            periods.set(line, p)
        }
        return p
    }

    interface Attempt {
        earliestAny: LedgerLine
        earliestSuccess: LedgerLine | null
        failed: boolean
        /** Only with onCount: the attempt's payment lines, to name those behind its count. */
        lines?: LedgerLine[]
    }
    const attempts = new Map<string, Attempt>()

    for (const line of latest.values()) {
        if (line.status === 'SUCCESS') {
            const id = add(
                {
                    dataElement: line.type === 'PAYMENT' ? 'PAYREV_GROSS' : 'PAYREV_REFUNDS',
                    period: periodFor(line),
                    facilityCode: line.facilityCode,
                    channel: line.channel,
                    service: line.service,
                },
                line.amountXof
            )
            onCount?.(id, line)
        }
        if (line.type !== 'PAYMENT') continue
        const aid = `${line.channel}|${line.transactionId}`
        const a = attempts.get(aid)
        const isSuccess = line.status === 'SUCCESS'
        const isFailed = line.status === 'FAILED' || line.status === 'EXPIRED'
        if (!a) {
            attempts.set(aid, { earliestAny: line, earliestSuccess: isSuccess ? line : null, failed: isFailed, lines: onCount ? [line] : undefined })
            continue
        }
        a.lines?.push(line)
        if (earlier(line, a.earliestAny)) a.earliestAny = line
        if (isSuccess && (!a.earliestSuccess || earlier(line, a.earliestSuccess))) a.earliestSuccess = line
        if (isFailed) a.failed = true
    }

    for (const a of attempts.values()) {
        const where = a.earliestSuccess ?? (a.failed ? a.earliestAny : null)
        if (!where) continue // only PENDING / CANCELLED / REVERSED: counts nowhere
        const id = add(
            {
                dataElement: a.earliestSuccess ? 'PAYREV_PAYMENTS' : 'PAYREV_FAILED',
                period: periodFor(where),
                facilityCode: where.facilityCode,
                channel: where.channel as Channel,
                service: null,
            },
            1
        )
        // The lines that make the attempt count: its SUCCESS lines, or its FAILED / EXPIRED ones.
        for (const l of a.lines ?? []) if (a.earliestSuccess ? l.status === 'SUCCESS' : l.status === 'FAILED' || l.status === 'EXPIRED') onCount?.(id, l)
    }

    const ids = [...totals.keys()].filter((id) => {
        const v = totals.get(id)!
        return !onlyScopes || onlyScopes.has(scopeId(v.facilityCode, v.period))
    })
    ids.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    return ids.map((id) => totals.get(id)!)
}

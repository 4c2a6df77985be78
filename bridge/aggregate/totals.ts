import { CHANNELS, SERVICES, type Channel, type DataElementCode, type PeriodType, type Service } from '../../contract/codes'
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
    // The same text is the same instant: an attempt's lines mostly share it, no parse needed.
    if (a.occurredAt !== b.occurredAt) {
        const ta = parseIsoUtc(a.occurredAt)
        const tb = parseIsoUtc(b.occurredAt)
        if (ta !== tb) return ta < tb
    }
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
    return totalsOfLatest(latest.values(), ctx, onlyScopes, onCount)
}

/**
 * computeTotals of lines that hold one version per identity already — the state's `lines`
 * table, keyed by it (a recompute, explain) — without choosing versions again.
 */
export function totalsOfLatest(
    lines: Iterable<LedgerLine>,
    ctx: AggregationContext,
    onlyScopes?: ReadonlySet<string>,
    onCount?: (keyId: string, line: LedgerLine) => void
): KeyedValue[] {
    const keys = new KeyTable()

    interface Attempt {
        earliestAny: LedgerLine
        earliestSuccess: LedgerLine | null
        failed: boolean
        /** Only with onCount: the attempt's payment lines, to name those behind its count. */
        lines?: LedgerLine[]
    }
    const attempts = new Map<string, Attempt>()

    for (const line of lines) {
        if (line.status === 'SUCCESS') {
            const slot = keys.slot(line.type === 'PAYMENT' ? GROSS : REFUNDS, linePeriod(line, ctx), line.facilityCode, line.channel, line.service)
            slot.value.value += line.amountXof
            onCount?.(slot.id, line)
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
        const slot = keys.slot(a.earliestSuccess ? PAYMENTS : FAILED, linePeriod(where, ctx), where.facilityCode, where.channel, null)
        slot.value.value += 1
        // The lines that make the attempt count: its SUCCESS lines, or its FAILED / EXPIRED ones.
        for (const l of a.lines ?? []) if (a.earliestSuccess ? l.status === 'SUCCESS' : l.status === 'FAILED' || l.status === 'EXPIRED') onCount?.(slot.id, l)
    }

    const out = keys.values().filter((v) => !onlyScopes || onlyScopes.has(scopeId(v.value.facilityCode, v.value.period)))
    out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    return out.map((v) => v.value)
}

const GROSS = 0
const REFUNDS = 1
const PAYMENTS = 2
const FAILED = 3
const ELEMENTS: readonly DataElementCode[] = ['PAYREV_GROSS', 'PAYREV_REFUNDS', 'PAYREV_PAYMENTS', 'PAYREV_FAILED']
const CHANNEL_AT = new Map<string, number>(CHANNELS.map((c, i) => [c, i]))
const SERVICE_AT = new Map<string, number>(SERVICES.map((s, i) => [s, i]))
/** Per facility and period: one slot per (element, channel, service or none). */
const SLOTS = ELEMENTS.length * CHANNELS.length * (SERVICES.length + 1)

interface Slot {
    id: string
    value: KeyedValue
}

/**
 * The totals being summed, found without building each line's key text: period → facility →
 * a slot per (element, channel, service). The key id is built once per key.
 */
class KeyTable {
    private readonly byPeriod = new Map<string, Map<string, Array<Slot | undefined>>>()
    private readonly all: Slot[] = []

    slot(element: number, period: string, facilityCode: string, channel: Channel, service: Service | null): Slot {
        let byFacility = this.byPeriod.get(period)
        if (!byFacility) this.byPeriod.set(period, (byFacility = new Map()))
        let slots = byFacility.get(facilityCode)
        if (!slots) byFacility.set(facilityCode, (slots = new Array<Slot | undefined>(SLOTS)))
        const c = CHANNEL_AT.get(channel)
        const s = service === null ? SERVICES.length : SERVICE_AT.get(service)
        // A code outside the vocabularies (never from the reader) still gets its own key.
        if (c === undefined || s === undefined) return this.loose(element, period, facilityCode, channel, service)
        const at = (element * CHANNELS.length + c) * (SERVICES.length + 1) + s
        let slot = slots[at]
        if (!slot) slots[at] = slot = this.add(element, period, facilityCode, channel, service)
        return slot
    }

    values(): Slot[] {
        return this.all
    }

    private readonly others = new Map<string, Slot>()

    private loose(element: number, period: string, facilityCode: string, channel: Channel, service: Service | null): Slot {
        const key: ValueKey = { dataElement: ELEMENTS[element], period, facilityCode, channel, service }
        const id = valueKeyId(key)
        let slot = this.others.get(id)
        if (!slot) {
            slot = { id, value: { ...key, value: 0 } }
            this.others.set(id, slot)
            this.all.push(slot)
        }
        return slot
    }

    private add(element: number, period: string, facilityCode: string, channel: Channel, service: Service | null): Slot {
        const key: ValueKey = { dataElement: ELEMENTS[element], period, facilityCode, channel, service }
        const slot = { id: valueKeyId(key), value: { ...key, value: 0 } }
        this.all.push(slot)
        return slot
    }
}

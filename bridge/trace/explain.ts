import { computeTotals, linePeriod, scopeId, valueKeyId, type AggregationContext } from '../aggregate'
import { BY_CHANNEL_AND_SERVICE, type Channel, type DataElementCode, type Service } from '../../contract/codes'
import type { Bilingual, LedgerLine } from '../domain/line'
import type { SendRow, TracedLine } from '../state/lineage'

/**
 * `explain` without I/O (docs/traceability.md, docs/contract.md §6): which lines make a value,
 * which lines of its key do not count and why. The counting itself is computeTotals' (its
 * onCount hook): the rules of docs/contract.md §3 live in one place.
 */

export interface ExplainTarget {
    dataElement: DataElementCode
    period: string
    facility: string
    /** null: every channel of the facility × period. */
    channel: Channel | null
    /** null: every service (always null for PAYREV_PAYMENTS / PAYREV_FAILED). */
    service: Service | null
}

/** One revenue value of the state (dhis2_values, family revenue). */
export interface StateValue {
    key: string
    channel: string
    service: string | null
    desired: number | null
    accepted: number | null
}

export type ExcludedCode = 'PENDING' | 'FAILED' | 'EXPIRED' | 'CANCELLED' | 'REVERSED' | 'SUCCESS' | 'REFUND' | 'PAYMENT' | 'REPLACED' | 'ATTEMPT_COUNTED_ELSEWHERE' | 'NO_QUANTITY'

export interface ExplainedLine {
    transactionId: string
    lineNo: number
    occurredAt: string
    updatedAt: string | null
    type: string
    status: string
    channel: string
    service: string
    amountXof: number
    /** LMIS values (./explain-lmis.ts): the line's product and quantity. */
    productCode?: string | null
    quantity?: number | null
    /** Source name (file path or configured source), null when recorded before lineage. */
    source: string | null
    /** Data row in the source (file line, or rank in the run's read for SQL / HTTP); null when unknown. */
    position: number | null
    /** The run that brought this version. */
    runId: number
}

export interface ExcludedLine extends ExplainedLine {
    reason: { code: ExcludedCode; fr: string; en: string }
    replacedByRun?: number
    countedIn?: { dataElement: string; period: string }
}

export interface ExplainedSend {
    runId: number
    at: string
    value: number
    outcome: SendRow['outcome']
    errorCode: string | null
    /** The key's channel; null for an LMIS value. */
    channel: string | null
    service: string | null
    /** The same value and answer sent again by later runs (folded), and the last of them. */
    repeats: number
    lastRunId: number | null
    lastAt: string | null
    /** Lines of this key whose current version this run brought ("after N late receipts"). */
    linesBrought: number
}

export interface ExplainResult {
    value: number
    /** Sum of what DHIS2 last accepted for these keys; null when nothing was ever accepted. */
    accepted: number | null
    /** SUM of amounts, ATTEMPTS counted, or (LMIS) QUANTITY dispensed. */
    method: 'SUM' | 'ATTEMPTS' | 'QUANTITY'
    /** What computeTotals gives from the lines now: equals value unless a recomputation is pending. */
    computed: number
    keys: string[]
    sends: ExplainedSend[]
    lines: ExplainedLine[]
    excluded: ExcludedLine[]
}

/** What `explain` is asked (the command's arguments). */
export interface ExplainArgs {
    dataElement: string
    period: string
    facility: string
    channel?: string
    service?: string
}

/** Which value a report explains. */
export interface ExplainHead {
    /** revenue (PAYREV totals) or lmis (a configured LMIS data element's quantity dispensed: ./explain-lmis.ts). */
    family: 'revenue' | 'lmis'
    dataElement: string
    period: string
    facility: string
    channel: string | null
    service: string | null
}

export interface ExplainReport extends ExplainResult, ExplainHead {
    command: 'explain'
    orgUnit: string
    /** --check: what DHIS2 holds now for these keys (null when it holds none of them). */
    dhis2: { current: number | string | null; matches: boolean; requests: number } | null
    notes: Bilingual[]
}

const lineId = (l: LedgerLine) => `${l.transactionId}\u0000${l.lineNo}`
const attemptId = (l: LedgerLine) => `${l.channel}\u0000${l.transactionId}`

export const STATUS_REASONS: Record<string, Bilingual> = {
    PENDING: { fr: 'en attente (PENDING) : ne compte pas tant que le paiement n’est pas confirmé', en: 'pending (PENDING): does not count until the payment is confirmed' },
    FAILED: { fr: 'échoué (FAILED)', en: 'failed (FAILED)' },
    EXPIRED: { fr: 'expiré (EXPIRED)', en: 'expired (EXPIRED)' },
    CANCELLED: { fr: 'annulé (CANCELLED) : ne compte nulle part', en: 'cancelled (CANCELLED): counts nowhere' },
    REVERSED: { fr: 'extourné (REVERSED) : ne compte plus', en: 'reversed (REVERSED): no longer counts' },
    SUCCESS: { fr: 'réussi (SUCCESS), mais la tentative ne compte pas ici', en: 'successful (SUCCESS), but the attempt does not count here' },
}

export function explainValue(target: ExplainTarget, values: StateValue[], traced: TracedLine[], replaced: TracedLine[], sends: SendRow[], ctx: AggregationContext): ExplainResult {
    const keys = new Set(values.map((v) => v.key))
    const scope = scopeId(target.facility, target.period)
    /** Per line, the keys it counts in (a SUCCESS payment counts in GROSS and, through its attempt, in PAYMENTS). */
    const countsIn = new Map<string, string[]>()
    const totals = computeTotals(
        traced.map((t) => t.line),
        ctx,
        new Set([scope]),
        (key, line) => {
            const id = lineId(line)
            const list = countsIn.get(id)
            if (list) list.push(key)
            else countsIn.set(id, [key])
        }
    )
    const attempts = target.dataElement === 'PAYREV_PAYMENTS' || target.dataElement === 'PAYREV_FAILED'
    /** Where each attempt counts (any key of the attempt family), to say "counted elsewhere". */
    const attemptCountedIn = new Map<string, string>()
    for (const t of traced) {
        for (const k of countsIn.get(lineId(t.line)) ?? []) {
            if (k.startsWith('PAYREV_PAYMENTS|') || k.startsWith('PAYREV_FAILED|')) attemptCountedIn.set(attemptId(t.line), k)
        }
    }

    const lines: ExplainedLine[] = []
    const seen = new Set<string>()
    const excluded: ExcludedLine[] = []
    for (const t of traced) {
        const id = lineId(t.line)
        if (seen.has(id)) continue
        seen.add(id)
        if ((countsIn.get(id) ?? []).some((k) => keys.has(k))) {
            lines.push(shown(t))
            continue
        }
        // Only the lines of this key's own facility × period, channel and service are listed as not counting.
        if (!sameKeyFamily(t.line, target, ctx)) continue
        // An attempt counted in this very key (a failed try before the successful one) is not "elsewhere".
        const elsewhere = attempts ? attemptCountedIn.get(attemptId(t.line)) : undefined
        const other = elsewhere && !keys.has(elsewhere) ? elsewhere : undefined
        excluded.push({ ...shown(t), reason: reasonFor(t.line, target, other), ...counted(other) })
    }
    for (const r of replaced) if (sameKeyFamily(r.line, target, ctx)) excluded.push(replacedVersion(r))
    lines.sort(byTime)
    excluded.sort(byTime)

    const valueOf = (key: string) => values.find((v) => v.key === key)!
    /** Lines of one key (its channel, and service if it has one) whose version this run brought. */
    const brought = (runId: number, channel: string, service: string | null) => {
        const ofKey = (l: ExplainedLine) => l.channel === channel && (service === null || l.service === service)
        const ids = new Set([...lines.filter((l) => ofKey(l) && l.runId === runId), ...excluded.filter((l) => ofKey(l) && (l.runId === runId || l.replacedByRun === runId))].map((l) => `${l.transactionId}\u0000${l.lineNo}`))
        return ids.size
    }
    return {
        ...stateTotals(values),
        method: attempts ? 'ATTEMPTS' : 'SUM',
        computed: totals.filter((t) => keys.has(valueKeyId(t))).reduce((s, t) => s + t.value, 0),
        keys: [...keys].sort(),
        sends: sends.map((s) => ({
            runId: s.runId,
            at: s.at,
            value: s.value,
            outcome: s.outcome,
            errorCode: s.errorCode,
            channel: valueOf(s.key).channel,
            service: valueOf(s.key).service,
            repeats: s.repeats,
            lastRunId: s.lastRunId,
            lastAt: s.lastAt,
            linesBrought: brought(s.runId, valueOf(s.key).channel, valueOf(s.key).service),
        })),
        lines,
        excluded,
    }
}

/** The lines of an explanation in time order (then transaction and line). */
export const byTime = (a: ExplainedLine, b: ExplainedLine): number =>
    a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.transactionId < b.transactionId ? -1 : a.transactionId > b.transactionId ? 1 : a.lineNo - b.lineNo

/** An earlier version of a line, listed as not counting. */
export function replacedVersion(r: TracedLine): ExcludedLine {
    return {
        ...shown(r),
        reason: { code: 'REPLACED', fr: `remplacée par une version plus récente (exécution ${r.replacedByRun})`, en: `replaced by a later version (run ${r.replacedByRun})` },
        replacedByRun: r.replacedByRun,
    }
}

/** The value the state holds for these keys, and what DHIS2 last accepted (null: never). */
export function stateTotals(values: ReadonlyArray<{ desired: number | null; accepted: number | null }>): { value: number; accepted: number | null } {
    const everAccepted = values.filter((v) => v.accepted !== null)
    return {
        value: values.reduce((s, v) => s + (v.desired ?? 0), 0),
        accepted: everAccepted.length ? everAccepted.reduce((s, v) => s + (v.accepted ?? 0), 0) : null,
    }
}

export function shown(t: TracedLine): ExplainedLine {
    const l = t.line
    return {
        transactionId: l.transactionId,
        lineNo: l.lineNo,
        occurredAt: l.occurredAt,
        updatedAt: l.updatedAt,
        type: l.type,
        status: l.status,
        channel: l.channel,
        service: l.service,
        amountXof: l.amountXof,
        source: t.source,
        position: t.row,
        runId: t.runId,
    }
}

function counted(key: string | undefined): { countedIn?: { dataElement: string; period: string } } {
    if (!key) return {}
    const [dataElement, period] = key.split('|')
    return { countedIn: { dataElement, period } }
}

/** A line of the key's facility × period whose channel (and service, where the element has one) match. */
function sameKeyFamily(line: LedgerLine, target: ExplainTarget, ctx: AggregationContext): boolean {
    if (line.facilityCode !== target.facility || linePeriod(line, ctx) !== target.period) return false
    if (target.channel && line.channel !== target.channel) return false
    if (target.service && BY_CHANNEL_AND_SERVICE.has(target.dataElement) && line.service !== target.service) return false
    return true
}

function reasonFor(line: LedgerLine, target: ExplainTarget, attemptKey: string | undefined): ExcludedLine['reason'] {
    const de = target.dataElement
    if (de !== 'PAYREV_REFUNDS' && line.type === 'REFUND')
        return { code: 'REFUND', fr: 'remboursement : compté dans PAYREV_REFUNDS, jamais dans une recette ni une tentative', en: 'refund: counted in PAYREV_REFUNDS, never in revenue or an attempt' }
    if (de === 'PAYREV_REFUNDS' && line.type === 'PAYMENT') return { code: 'PAYMENT', fr: 'paiement, pas un remboursement', en: 'a payment, not a refund' }
    if (attemptKey && (de === 'PAYREV_PAYMENTS' || de === 'PAYREV_FAILED')) {
        const [elsewhere, period] = attemptKey.split('|')
        return {
            code: 'ATTEMPT_COUNTED_ELSEWHERE',
            fr: `la tentative (transaction × moyen) est comptée dans ${elsewhere} ${period}`,
            en: `the attempt (transaction × channel) is counted in ${elsewhere} ${period}`,
        }
    }
    const why = STATUS_REASONS[line.status] ?? { fr: line.status, en: line.status }
    return { code: line.status as ExcludedCode, ...why }
}

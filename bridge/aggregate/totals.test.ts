import fc from 'fast-check'
import type { LedgerLine } from '../domain/line'
import { ledgerLine } from '../../tests/fixtures/ledger-line'
import { computeTotals, lineScope, totalsOfLatest, touchedScopes, type AggregationContext } from './totals'
import { referenceTotals } from '../../tests/fixtures/reference-totals'
import { valueKeyId, type KeyedValue } from './keys'

const BKO: AggregationContext = { periodType: 'Monthly', zoneFor: () => 'Africa/Bamako' }

const L = (p: Partial<LedgerLine> & Pick<LedgerLine, 'transactionId' | 'occurredAt'>): LedgerLine => ledgerLine({ facilityCode: 'F1', ...p })

/** Totals as { keyId: value } for readable expectations. */
function totals(lines: LedgerLine[], ctx = BKO, only?: Set<string>): Record<string, number> {
    return Object.fromEntries(computeTotals(lines, ctx, only).map((v) => [valueKeyId(v), v.value]))
}

describe('PAYREV_GROSS and PAYREV_REFUNDS', () => {
    test('sums SUCCESS payments per channel × service and SUCCESS refunds apart; other statuses count nowhere', () => {
        const lines = [
            L({ transactionId: 'T1', lineNo: 1, occurredAt: '2024-03-02T09:00:00.000Z', service: 'CONSULTATION', amountXof: 3000 }),
            L({ transactionId: 'T1', lineNo: 2, occurredAt: '2024-03-02T09:00:00.000Z', service: 'PHARMACY', amountXof: 1500 }),
            L({ transactionId: 'T2', occurredAt: '2024-03-05T10:00:00.000Z', service: 'CONSULTATION', amountXof: 2000 }),
            L({ transactionId: 'T3', occurredAt: '2024-03-06T10:00:00.000Z', channel: 'ORANGE_MONEY', service: 'EXAM', amountXof: 12500 }),
            L({ transactionId: 'T4', occurredAt: '2024-03-07T10:00:00.000Z', channel: 'ORANGE_MONEY', service: 'EXAM', amountXof: 9999, status: 'PENDING' }),
            L({ transactionId: 'T5', occurredAt: '2024-03-07T11:00:00.000Z', channel: 'CARD', service: 'EXAM', amountXof: 8888, status: 'CANCELLED' }),
            L({ transactionId: 'T6', occurredAt: '2024-03-07T12:00:00.000Z', channel: 'CARD', service: 'HOSPITALISATION', amountXof: 75000, status: 'REVERSED' }),
            L({ transactionId: 'R1', occurredAt: '2024-03-08T12:00:00.000Z', type: 'REFUND', service: 'PHARMACY', amountXof: 500 }),
            L({ transactionId: 'R2', occurredAt: '2024-03-08T13:00:00.000Z', type: 'REFUND', service: 'PHARMACY', amountXof: 700, status: 'FAILED' }),
        ]
        expect(totals(lines)).toEqual({
            'PAYREV_GROSS|202403|F1|CASH|CONSULTATION': 5000,
            'PAYREV_GROSS|202403|F1|CASH|PHARMACY': 1500,
            'PAYREV_GROSS|202403|F1|ORANGE_MONEY|EXAM': 12500,
            'PAYREV_REFUNDS|202403|F1|CASH|PHARMACY': 500,
            'PAYREV_PAYMENTS|202403|F1|CASH|': 2, // T1 (two lines, one attempt), T2
            'PAYREV_PAYMENTS|202403|F1|ORANGE_MONEY|': 1,
        })
    })

    test('a key whose lines total 0 FCFA is kept (exemptions); a key with only non-counting lines is absent', () => {
        const lines = [
            L({ transactionId: 'E1', occurredAt: '2024-03-02T09:00:00.000Z', amountXof: 0 }),
            L({ transactionId: 'E2', occurredAt: '2024-03-02T09:10:00.000Z', amountXof: 0, type: 'REFUND', channel: 'SAMA_MONEY' }),
            L({ transactionId: 'P1', occurredAt: '2024-03-02T09:20:00.000Z', amountXof: 4000, channel: 'MOOV_MONEY', status: 'PENDING' }),
        ]
        expect(totals(lines)).toEqual({
            'PAYREV_GROSS|202403|F1|CASH|CONSULTATION': 0,
            'PAYREV_REFUNDS|202403|F1|SAMA_MONEY|CONSULTATION': 0,
            'PAYREV_PAYMENTS|202403|F1|CASH|': 1,
        })
    })

    test('the period is occurred_at in the facility zone: 2024-01-31T23:30-02:00 is February in Bamako', () => {
        // 2024-01-31T23:30:00-02:00 = 2024-02-01T01:30Z
        const lines = [L({ transactionId: 'T1', occurredAt: '2024-02-01T01:30:00.000Z', amountXof: 100 })]
        expect(totals(lines)).toEqual({ 'PAYREV_GROSS|202402|F1|CASH|CONSULTATION': 100, 'PAYREV_PAYMENTS|202402|F1|CASH|': 1 })
    })

    test('each facility in its own zone', () => {
        const ctx: AggregationContext = { periodType: 'Monthly', zoneFor: (f) => (f === 'TOKYO' ? 'Asia/Tokyo' : 'Africa/Bamako') }
        // 2024-01-31T16:00Z is 2024-02-01 01:00 in Tokyo, still January in Bamako.
        const lines = [
            L({ transactionId: 'A', facilityCode: 'TOKYO', occurredAt: '2024-01-31T16:00:00.000Z', amountXof: 10 }),
            L({ transactionId: 'B', facilityCode: 'BKO', occurredAt: '2024-01-31T16:00:00.000Z', amountXof: 20 }),
        ]
        expect(totals(lines, ctx)).toEqual({
            'PAYREV_GROSS|202401|BKO|CASH|CONSULTATION': 20,
            'PAYREV_GROSS|202402|TOKYO|CASH|CONSULTATION': 10,
            'PAYREV_PAYMENTS|202401|BKO|CASH|': 1,
            'PAYREV_PAYMENTS|202402|TOKYO|CASH|': 1,
        })
    })

    test('weekly and daily periods', () => {
        const lines = [
            L({ transactionId: 'A', occurredAt: '2024-12-30T10:00:00.000Z', amountXof: 10 }),
            L({ transactionId: 'B', occurredAt: '2024-12-29T10:00:00.000Z', amountXof: 20 }),
        ]
        expect(totals(lines, { ...BKO, periodType: 'Weekly' })).toEqual({
            'PAYREV_GROSS|2024W52|F1|CASH|CONSULTATION': 20,
            'PAYREV_GROSS|2025W1|F1|CASH|CONSULTATION': 10,
            'PAYREV_PAYMENTS|2024W52|F1|CASH|': 1,
            'PAYREV_PAYMENTS|2025W1|F1|CASH|': 1,
        })
        expect(totals(lines, { ...BKO, periodType: 'Daily' })).toEqual({
            'PAYREV_GROSS|20241229|F1|CASH|CONSULTATION': 20,
            'PAYREV_GROSS|20241230|F1|CASH|CONSULTATION': 10,
            'PAYREV_PAYMENTS|20241229|F1|CASH|': 1,
            'PAYREV_PAYMENTS|20241230|F1|CASH|': 1,
        })
    })
})

describe('attempts: PAYREV_PAYMENTS and PAYREV_FAILED', () => {
    test('FAILED then SUCCESS in the same transaction and channel counts once, as a payment', () => {
        const lines = [
            L({ transactionId: 'T2', lineNo: 1, occurredAt: '2024-03-10T10:00:00.000Z', channel: 'ORANGE_MONEY', service: 'EXAM', amountXof: 12500, status: 'FAILED' }),
            L({ transactionId: 'T2', lineNo: 2, occurredAt: '2024-03-10T10:05:00.000Z', channel: 'ORANGE_MONEY', service: 'EXAM', amountXof: 12500 }),
        ]
        expect(totals(lines)).toEqual({ 'PAYREV_GROSS|202403|F1|ORANGE_MONEY|EXAM': 12500, 'PAYREV_PAYMENTS|202403|F1|ORANGE_MONEY|': 1 })
    })

    test('an attempt across a month end counts in the period of its earliest SUCCESS line', () => {
        const lines = [
            L({ transactionId: 'T', lineNo: 1, occurredAt: '2024-01-31T23:50:00.000Z', channel: 'ORANGE_MONEY', status: 'EXPIRED', amountXof: 5000 }),
            L({ transactionId: 'T', lineNo: 2, occurredAt: '2024-02-01T00:10:00.000Z', channel: 'ORANGE_MONEY', amountXof: 5000 }),
            L({ transactionId: 'T', lineNo: 3, occurredAt: '2024-03-01T08:00:00.000Z', channel: 'ORANGE_MONEY', amountXof: 700, service: 'PHARMACY' }),
        ]
        expect(totals(lines)).toEqual({
            'PAYREV_GROSS|202402|F1|ORANGE_MONEY|CONSULTATION': 5000,
            'PAYREV_GROSS|202403|F1|ORANGE_MONEY|PHARMACY': 700,
            'PAYREV_PAYMENTS|202402|F1|ORANGE_MONEY|': 1,
        })
    })

    test('a failed-only attempt counts once in the period of its earliest line, whatever that line’s status', () => {
        const lines = [
            L({ transactionId: 'T', lineNo: 1, occurredAt: '2024-01-31T22:00:00.000Z', channel: 'MOOV_MONEY', status: 'PENDING' }),
            L({ transactionId: 'T', lineNo: 2, occurredAt: '2024-02-01T09:00:00.000Z', channel: 'MOOV_MONEY', status: 'FAILED' }),
            L({ transactionId: 'T', lineNo: 3, occurredAt: '2024-02-02T09:00:00.000Z', channel: 'MOOV_MONEY', status: 'EXPIRED' }),
        ]
        expect(totals(lines)).toEqual({ 'PAYREV_FAILED|202401|F1|MOOV_MONEY|': 1 })
    })

    test('a retry on another channel: the failed channel counts a failure, the other a payment', () => {
        const lines = [
            L({ transactionId: 'T', lineNo: 1, occurredAt: '2024-03-10T10:00:00.000Z', channel: 'ORANGE_MONEY', status: 'FAILED', amountXof: 3000 }),
            L({ transactionId: 'T', lineNo: 2, occurredAt: '2024-03-10T10:07:00.000Z', channel: 'CASH', amountXof: 3000 }),
        ]
        expect(totals(lines)).toEqual({
            'PAYREV_GROSS|202403|F1|CASH|CONSULTATION': 3000,
            'PAYREV_PAYMENTS|202403|F1|CASH|': 1,
            'PAYREV_FAILED|202403|F1|ORANGE_MONEY|': 1,
        })
    })

    test('PENDING, CANCELLED and REVERSED alone count nowhere', () => {
        const lines = [
            L({ transactionId: 'A', occurredAt: '2024-03-10T10:00:00.000Z', status: 'PENDING' }),
            L({ transactionId: 'B', occurredAt: '2024-03-10T10:00:00.000Z', status: 'CANCELLED' }),
            L({ transactionId: 'C', occurredAt: '2024-03-10T10:00:00.000Z', status: 'REVERSED' }),
            L({ transactionId: 'C', lineNo: 2, occurredAt: '2024-03-10T10:00:00.000Z', status: 'CANCELLED' }),
        ]
        expect(totals(lines)).toEqual({})
    })

    test('CANCELLED then EXPIRED: a failure, in the period of the (cancelled) earliest line', () => {
        const lines = [
            L({ transactionId: 'T', lineNo: 2, occurredAt: '2024-04-01T00:30:00.000Z', channel: 'SAMA_MONEY', status: 'EXPIRED' }),
            L({ transactionId: 'T', lineNo: 1, occurredAt: '2024-03-31T23:30:00.000Z', channel: 'SAMA_MONEY', status: 'CANCELLED' }),
        ]
        expect(totals(lines)).toEqual({ 'PAYREV_FAILED|202403|F1|SAMA_MONEY|': 1 })
    })

    test('REFUND lines are never part of an attempt', () => {
        const lines = [
            L({ transactionId: 'T', lineNo: 1, occurredAt: '2024-03-10T10:00:00.000Z', amountXof: 2000 }),
            L({ transactionId: 'T', lineNo: 2, occurredAt: '2024-02-01T10:00:00.000Z', amountXof: 500, type: 'REFUND' }),
            L({ transactionId: 'U', lineNo: 1, occurredAt: '2024-03-11T10:00:00.000Z', amountXof: 500, type: 'REFUND', status: 'FAILED' }),
        ]
        expect(totals(lines)).toEqual({
            'PAYREV_GROSS|202403|F1|CASH|CONSULTATION': 2000,
            'PAYREV_REFUNDS|202402|F1|CASH|CONSULTATION': 500,
            'PAYREV_PAYMENTS|202403|F1|CASH|': 1,
        })
    })

    test('an attempt with SUCCESS lines at two facilities counts where the earliest is; ties broken by line_no, not input order', () => {
        const a = L({ transactionId: 'T', lineNo: 2, facilityCode: 'FA', occurredAt: '2024-03-10T10:00:00.000Z' })
        const b = L({ transactionId: 'T', lineNo: 1, facilityCode: 'FB', occurredAt: '2024-03-10T10:00:00.000Z' })
        const expected = {
            'PAYREV_GROSS|202403|FA|CASH|CONSULTATION': 1000,
            'PAYREV_GROSS|202403|FB|CASH|CONSULTATION': 1000,
            'PAYREV_PAYMENTS|202403|FB|CASH|': 1,
        }
        expect(totals([a, b])).toEqual(expected)
        expect(totals([b, a])).toEqual(expected)
    })
})

describe('versions and late changes', () => {
    test('PENDING → SUCCESS (later version) moves the attempt into PAYREV_PAYMENTS and the amount into GROSS', () => {
        const pending = L({ transactionId: 'T3', occurredAt: '2024-09-30T23:30:00.000Z', channel: 'MOOV_MONEY', amountXof: 5000, status: 'PENDING' })
        expect(totals([pending])).toEqual({})
        const success = { ...pending, status: 'SUCCESS' as const, updatedAt: '2024-10-01T00:00:00.000Z' }
        expect(totals([pending, success])).toEqual({ 'PAYREV_GROSS|202409|F1|MOOV_MONEY|CONSULTATION': 5000, 'PAYREV_PAYMENTS|202409|F1|MOOV_MONEY|': 1 })
    })

    test('a version with an earlier updated_at does not replace a later one, even seen later', () => {
        const reversed = L({ transactionId: 'T4', occurredAt: '2024-10-01T08:00:00.000Z', channel: 'CARD', amountXof: 75000, status: 'REVERSED', updatedAt: '2024-10-03T10:00:00.000Z' })
        const stale = { ...reversed, status: 'SUCCESS' as const, updatedAt: '2024-10-01T08:00:00.000Z' }
        expect(totals([reversed, stale])).toEqual({})
        expect(totals([stale, reversed])).toEqual({})
    })

    test('without updated_at the version seen later wins; duplicates are never counted twice', () => {
        const a = L({ transactionId: 'T', occurredAt: '2024-10-01T08:00:00.000Z', amountXof: 100 })
        const b = { ...a, amountXof: 300 }
        expect(totals([a, b, b])).toEqual({ 'PAYREV_GROSS|202410|F1|CASH|CONSULTATION': 300, 'PAYREV_PAYMENTS|202410|F1|CASH|': 1 })
        expect(totals([b, a])).toEqual({ 'PAYREV_GROSS|202410|F1|CASH|CONSULTATION': 100, 'PAYREV_PAYMENTS|202410|F1|CASH|': 1 })
    })

    test('a later version that moves the line to another month moves its totals', () => {
        const a = L({ transactionId: 'T', occurredAt: '2024-10-01T08:00:00.000Z', amountXof: 100, updatedAt: '2024-10-01T08:00:00.000Z' })
        const b = { ...a, occurredAt: '2024-09-30T08:00:00.000Z', updatedAt: '2024-10-02T08:00:00.000Z' }
        expect(totals([a, b])).toEqual({ 'PAYREV_GROSS|202409|F1|CASH|CONSULTATION': 100, 'PAYREV_PAYMENTS|202409|F1|CASH|': 1 })
        expect(touchedScopes([{ before: a, after: b }], BKO)).toEqual(new Set(['F1|202410', 'F1|202409']))
        expect(touchedScopes([{ before: null, after: a }], BKO)).toEqual(new Set(['F1|202410']))
    })
})

describe('scopes and output', () => {
    const lines = [
        L({ transactionId: 'T', lineNo: 1, occurredAt: '2024-01-31T23:50:00.000Z', channel: 'ORANGE_MONEY', status: 'FAILED', amountXof: 5000 }),
        L({ transactionId: 'T', lineNo: 2, occurredAt: '2024-02-01T00:10:00.000Z', channel: 'ORANGE_MONEY', amountXof: 5000 }),
        L({ transactionId: 'U', occurredAt: '2024-01-15T10:00:00.000Z', facilityCode: 'F2', amountXof: 200 }),
    ]

    test('lineScope is facility|period', () => {
        expect(lineScope(lines[0], BKO)).toBe('F1|202401')
        expect(lineScope(lines[2], BKO)).toBe('F2|202401')
    })

    test('onlyScopes keeps only those scopes, with attempts decided on all the lines given', () => {
        expect(totals(lines, BKO, new Set(['F1|202401']))).toEqual({})
        expect(totals(lines, BKO, new Set(['F1|202402']))).toEqual({ 'PAYREV_GROSS|202402|F1|ORANGE_MONEY|CONSULTATION': 5000, 'PAYREV_PAYMENTS|202402|F1|ORANGE_MONEY|': 1 })
        expect(totals(lines, BKO, new Set(['F2|202401', 'F9|202401']))).toEqual({ 'PAYREV_GROSS|202401|F2|CASH|CONSULTATION': 200, 'PAYREV_PAYMENTS|202401|F2|CASH|': 1 })
    })

    test('output is sorted by key id and carries the key fields', () => {
        const out = computeTotals(lines, BKO)
        const ids = out.map(valueKeyId)
        expect(ids).toEqual([...ids].sort())
        expect(out.find((v) => v.dataElement === 'PAYREV_PAYMENTS' && v.facilityCode === 'F1')).toEqual<KeyedValue>({
            dataElement: 'PAYREV_PAYMENTS',
            period: '202402',
            facilityCode: 'F1',
            channel: 'ORANGE_MONEY',
            service: null,
            value: 1,
        })
    })
})

describe('properties', () => {
    const lineArb = fc.record({
        transactionId: fc.constantFrom('T1', 'T2', 'T3', 'T4'),
        lineNo: fc.integer({ min: 1, max: 3 }),
        occurredAt: fc.integer({ min: Date.parse('2024-01-25T00:00:00Z'), max: Date.parse('2024-02-05T00:00:00Z') }).map((ms) => new Date(ms).toISOString()),
        channel: fc.constantFrom('CASH' as const, 'ORANGE_MONEY' as const),
        service: fc.constantFrom('CONSULTATION' as const, 'PHARMACY' as const),
        amountXof: fc.integer({ min: 0, max: 50_000 }),
        type: fc.constantFrom('PAYMENT' as const, 'REFUND' as const),
        status: fc.constantFrom('SUCCESS' as const, 'PENDING' as const, 'FAILED' as const, 'EXPIRED' as const, 'CANCELLED' as const, 'REVERSED' as const),
    })
    /** One version per identity, as the caller passes them. */
    const uniqueLines = fc.uniqueArray(lineArb, { selector: (l) => `${l.transactionId}|${l.lineNo}`, maxLength: 12 }).map((ls) => ls.map((l) => L(l)))

    test('the result does not depend on the order of the lines', () => {
        fc.assert(
            fc.property(uniqueLines, fc.func(fc.integer()), (ls, f) => {
                const shuffled = [...ls].sort((a, b) => f(a.transactionId + a.lineNo) - f(b.transactionId + b.lineNo))
                expect(computeTotals(shuffled, BKO)).toEqual(computeTotals(ls, BKO))
            })
        )
    })

    test('GROSS adds up to the SUCCESS payments; each attempt counts at most once', () => {
        fc.assert(
            fc.property(uniqueLines, (ls) => {
                const out = computeTotals(ls, BKO)
                const sum = (de: string) => out.filter((v) => v.dataElement === de).reduce((s, v) => s + v.value, 0)
                expect(sum('PAYREV_GROSS')).toBe(ls.filter((l) => l.type === 'PAYMENT' && l.status === 'SUCCESS').reduce((s, l) => s + l.amountXof, 0))
                expect(sum('PAYREV_REFUNDS')).toBe(ls.filter((l) => l.type === 'REFUND' && l.status === 'SUCCESS').reduce((s, l) => s + l.amountXof, 0))
                const attempts = new Set(ls.filter((l) => l.type === 'PAYMENT').map((l) => `${l.transactionId}|${l.channel}`))
                const succeeded = new Set(ls.filter((l) => l.type === 'PAYMENT' && l.status === 'SUCCESS').map((l) => `${l.transactionId}|${l.channel}`))
                expect(sum('PAYREV_PAYMENTS')).toBe(succeeded.size)
                expect(sum('PAYREV_PAYMENTS') + sum('PAYREV_FAILED')).toBeLessThanOrEqual(attempts.size)
            })
        )
    })

    test('the same totals, in the same order, and the same lines named behind each key, as the contract read plainly (tests/fixtures/reference-totals.ts); totalsOfLatest the same on one version per line', () => {
        // Versions too (the same identity twice), two facilities, both sides of a month's end, a week and a day cut.
        const versioned = fc.array(
            fc.record({
                transactionId: fc.constantFrom('T1', 'T2', 'T3', 'T4', 'T5'),
                lineNo: fc.integer({ min: 1, max: 3 }),
                occurredAt: fc.constantFrom('2024-01-31T23:30:00.000Z', '2024-02-01T00:30:00.000Z', '2024-01-31T23:30:00.000Z', '2024-02-03T10:00:00.000Z'),
                updatedAt: fc.constantFrom(null, '2024-02-04T00:00:00.000Z', '2024-02-05T00:00:00.000Z'),
                facilityCode: fc.constantFrom('F1', 'F|2'),
                channel: fc.constantFrom('CASH' as const, 'ORANGE_MONEY' as const, 'CARD' as const),
                service: fc.constantFrom('CONSULTATION' as const, 'PHARMACY' as const, 'OTHER' as const),
                amountXof: fc.integer({ min: 0, max: 50_000 }),
                type: fc.constantFrom('PAYMENT' as const, 'REFUND' as const),
                status: fc.constantFrom('SUCCESS' as const, 'PENDING' as const, 'FAILED' as const, 'EXPIRED' as const, 'CANCELLED' as const, 'REVERSED' as const),
            }),
            { maxLength: 30 }
        )
        const contexts: AggregationContext[] = [BKO, { periodType: 'Weekly', zoneFor: (f) => (f === 'F1' ? 'Africa/Bamako' : 'Africa/Lagos') }, { periodType: 'Daily', zoneFor: () => 'Africa/Abidjan' }]
        fc.assert(
            fc.property(versioned, fc.constantFrom(...contexts), fc.boolean(), (xs, ctx, some) => {
                const ls = xs.map((x) => ledgerLine(x))
                const only = some && ls.length ? new Set([lineScope(ls[0], ctx)]) : undefined
                const named = () => {
                    const calls: string[] = []
                    return { calls, onCount: (key: string, l: LedgerLine) => calls.push(`${key} ${l.transactionId}/${l.lineNo}/${l.status}`) }
                }
                const mine = named()
                const theirs = named()
                expect(computeTotals(ls, ctx, only, mine.onCount)).toEqual(referenceTotals(ls, ctx, only, theirs.onCount))
                expect(mine.calls).toEqual(theirs.calls)
                // One version per identity (the store's lines): the same without choosing versions.
                const latest = [...new Map(ls.map((l) => [`${l.transactionId}|${l.lineNo}`, l])).values()]
                expect(totalsOfLatest(latest, ctx, only)).toEqual(referenceTotals(latest, ctx, only))
            }),
            { numRuns: 400 }
        )
    })
})

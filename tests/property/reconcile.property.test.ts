/**
 * Property test of the matching (docs/contract.md §7), fast-check: ledgers and statements are
 * generated from known scenarios, each in its own time slot (slots 3 windows apart, so no pairing
 * can cross them), in random order, facilities, channels, types, amounts, line splits and
 * reference spellings. Every planted discrepancy is found exactly — its category on the right
 * receipt and the right statement row — and nothing else is flagged.
 * FC_RUNS sets the number of runs; a failure prints its seed, FC_SEED=<seed> replays it.
 */
import fc from 'fast-check'
import type { LedgerLine } from '../../bridge/domain/line'
import { attemptsOf } from '../../bridge/reconcile/attempts'
import { matchStatements } from '../../bridge/reconcile/match'
import type { StatementRow } from '../../bridge/reconcile/rows'
import { channelSummaries } from '../../bridge/reconcile/summary'

const RUNS = Number(process.env.FC_RUNS ?? 150)
const WINDOW = 30
const MIN = 60_000
const T0 = Date.parse('2026-10-01T06:00:00.000Z')
const norm = (s: string) => s.trim().toLowerCase()
const opts = { windowMinutes: WINDOW, keyOf: norm, zoneFor: () => 'Africa/Bamako' }

const SCENARIOS = ['MATCHED_REF', 'MATCHED_WINDOW', 'WINDOW_PAIR', 'LEDGER_ONLY', 'STATEMENT_ONLY', 'AMOUNT_MISMATCH', 'STATUS_LEDGER_FAILED', 'STATUS_STATEMENT_FAILED', 'DUPLICATE', 'BOTH_FAILED'] as const
type Scenario = (typeof SCENARIOS)[number]

const slot = fc.record({
    scenario: fc.constantFrom(...SCENARIOS),
    facility: fc.constantFrom('F1', 'F2'),
    channel: fc.constantFrom('ORANGE_MONEY', 'MOOV_MONEY', 'SAMA_MONEY', 'CARD') as fc.Arbitrary<StatementRow['channel']>,
    type: fc.constantFrom('PAYMENT', 'REFUND') as fc.Arbitrary<'PAYMENT' | 'REFUND'>,
    amount: fc.integer({ min: 1, max: 200 }).map((k) => k * 500),
    typo: fc.integer({ min: 1, max: 9 }).map((k) => k * 100),
    lines: fc.integer({ min: 1, max: 3 }),
    offset: fc.integer({ min: -(WINDOW - 1), max: WINDOW - 1 }),
    refSpelling: fc.constantFrom('same', 'lower', 'spaces'),
})

interface Expected {
    /** category per ledger transaction id */
    ledger: Array<[string, string]>
    /** category per statement reference (+ line for duplicates) */
    statement: Array<[string, string]>
}

type Slot = typeof slot extends fc.Arbitrary<infer T> ? T : never

function build(slots: Slot[]): { lines: LedgerLine[]; rows: StatementRow[]; expected: Expected } {
    const lines: LedgerLine[] = []
    const rows: StatementRow[] = []
    const expected: Expected = { ledger: [], statement: [] }
    slots.forEach((s, k) => {
        const base = T0 + k * 3 * WINDOW * MIN
        const iso = (ms: number) => new Date(ms).toISOString()
        const tx = `T${k}`
        const ref = `OP-${k}-X`
        const spelt = s.refSpelling === 'lower' ? ref.toLowerCase() : s.refSpelling === 'spaces' ? `  ${ref} ` : ref
        const attempt = (id: string, status: 'SUCCESS' | 'FAILED', withRef: boolean, at = base) => {
            // The amount split over `lines` lines (an attempt sums its lines).
            const parts = Array.from({ length: s.lines }, (_, i) => (i < s.lines - 1 ? Math.floor(s.amount / s.lines) : s.amount - Math.floor(s.amount / s.lines) * (s.lines - 1)))
            parts.forEach((amountXof, i) => {
                const l: LedgerLine = {
                    transactionId: id,
                    lineNo: i + 1,
                    occurredAt: iso(at + i * 1000),
                    updatedAt: null,
                    facilityCode: s.facility,
                    channel: s.channel,
                    service: 'OTHER',
                    amountXof,
                    type: s.type,
                    status,
                    productCode: null,
                    productName: null,
                    quantity: null,
                    unit: null,
                }
                if (withRef) l.operatorRefKey = norm(ref)
                lines.push(l)
            })
        }
        const row = (reference: string, status: 'SUCCESS' | 'FAILED', amount = s.amount, at = base + s.offset * MIN, line = k * 10) =>
            rows.push({ reference, occurredAt: iso(at), amountXof: amount, feeXof: 0, type: s.type, status, channel: s.channel, facilityCode: s.facility, msisdn: null, source: 's.csv', line })
        const sc: Scenario = s.scenario
        switch (sc) {
            case 'MATCHED_REF':
                attempt(tx, 'SUCCESS', true)
                // A reference pairs whatever the time inside the slot.
                row(spelt, 'SUCCESS', s.amount, base + s.offset * 2 * MIN)
                expected.ledger.push([tx, 'MATCHED'])
                expected.statement.push([spelt, 'MATCHED'])
                break
            case 'MATCHED_WINDOW':
                attempt(tx, 'SUCCESS', false)
                row(ref, 'SUCCESS')
                expected.ledger.push([tx, 'MATCHED'])
                expected.statement.push([ref, 'MATCHED'])
                break
            case 'WINDOW_PAIR':
                attempt(tx, 'SUCCESS', false)
                attempt(`${tx}b`, 'SUCCESS', false, base + 5 * MIN)
                row(ref, 'SUCCESS')
                row(`${ref}b`, 'SUCCESS', s.amount, base + 7 * MIN, k * 10 + 1)
                expected.ledger.push([tx, 'MATCHED'], [`${tx}b`, 'MATCHED'])
                expected.statement.push([ref, 'MATCHED'], [`${ref}b`, 'MATCHED'])
                break
            case 'LEDGER_ONLY':
                attempt(tx, 'SUCCESS', s.offset % 2 === 0)
                expected.ledger.push([tx, 'LEDGER_ONLY'])
                break
            case 'STATEMENT_ONLY':
                row(ref, 'SUCCESS')
                expected.statement.push([ref, 'STATEMENT_ONLY'])
                break
            case 'AMOUNT_MISMATCH':
                attempt(tx, 'SUCCESS', true)
                row(spelt, 'SUCCESS', s.amount + (s.offset < 0 ? -Math.min(s.typo, s.amount - 1) : s.typo))
                expected.ledger.push([tx, 'AMOUNT_MISMATCH'])
                expected.statement.push([spelt, 'AMOUNT_MISMATCH'])
                break
            case 'STATUS_LEDGER_FAILED':
                // Found by reference or, without one, within the window.
                attempt(tx, 'FAILED', s.offset % 2 === 0)
                row(spelt, 'SUCCESS')
                expected.ledger.push([tx, 'STATUS_MISMATCH'])
                expected.statement.push([spelt, 'STATUS_MISMATCH'])
                break
            case 'STATUS_STATEMENT_FAILED':
                attempt(tx, 'SUCCESS', s.offset % 2 === 0)
                row(spelt, 'FAILED')
                expected.ledger.push([tx, 'STATUS_MISMATCH'])
                expected.statement.push([spelt, 'STATUS_MISMATCH'])
                break
            case 'DUPLICATE':
                attempt(tx, 'SUCCESS', true)
                row(ref, 'SUCCESS')
                row(spelt === ref ? ` ${ref.toLowerCase()}` : spelt, 'SUCCESS', s.amount, base + s.offset * MIN + MIN, k * 10 + 1)
                expected.ledger.push([tx, 'MATCHED'])
                expected.statement.push([ref, 'MATCHED'], [spelt === ref ? ` ${ref.toLowerCase()}` : spelt, 'DUPLICATE_STATEMENT'])
                break
            case 'BOTH_FAILED':
                attempt(tx, 'FAILED', s.offset % 2 === 0)
                row(spelt, 'FAILED')
                break
        }
    })
    return { lines, rows, expected }
}

const sorted = (xs: Array<[string, string]>) => xs.map((x) => x.join('|')).sort()

test('planted discrepancies are found exactly, and nothing else is flagged', () => {
    fc.assert(
        fc.property(fc.array(slot, { minLength: 0, maxLength: 40 }), fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })), (slots, noise) => {
            const { lines, rows, expected } = build(slots)
            // Input order never matters.
            const shuffle = <T>(xs: T[]) => xs.map((x) => ({ x, k: noise.next().value as number })).sort((a, b) => a.k - b.k).map((p) => p.x)
            const items = matchStatements(attemptsOf(shuffle(lines), opts.zoneFor), shuffle(rows), opts)
            const ledger = items.filter((i) => i.attempt).map((i): [string, string] => [i.attempt!.transactionId, i.category])
            const statement = items.filter((i) => i.row).map((i): [string, string] => [i.row!.reference, i.category])
            expect(sorted(ledger)).toEqual(sorted(expected.ledger))
            expect(sorted(statement)).toEqual(sorted(expected.statement))
            // The summary adds up: every category's count is its items'.
            const total = channelSummaries(items).reduce((s, c) => s + Object.values(c.categories).reduce((t, v) => t + v.count, 0), 0)
            expect(total).toBe(items.length)
        }),
        { numRuns: RUNS, seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined }
    )
})

import type { LedgerLine } from '../domain/line'
import { ledgerLine } from '../../tests/fixtures/ledger-line'
import { attemptsOf } from './attempts'
import { matchStatements, type MatchItem } from './match'
import type { StatementRow } from './rows'
import { channelSummaries, reconValues } from './summary'

const norm = (s: string) => s.trim().toLowerCase()
const opts = { windowMinutes: 30, keyOf: norm, zoneFor: () => 'Africa/Bamako' }

let seq = 0
function line(p: Partial<LedgerLine> & { ref?: string }): LedgerLine {
    const { ref, ...rest } = p
    const l = ledgerLine({ transactionId: `T${++seq}`, occurredAt: '2026-10-10T10:00:00.000Z', facilityCode: 'F1', channel: 'ORANGE_MONEY', amountXof: 5000, ...rest })
    if (ref) l.operatorRefKey = norm(ref)
    return l
}

let rowSeq = 0
function row(p: Partial<StatementRow>): StatementRow {
    return {
        reference: `R${++rowSeq}`,
        occurredAt: '2026-10-10T10:00:00.000Z',
        amountXof: 5000,
        feeXof: 0,
        type: 'PAYMENT',
        status: 'SUCCESS',
        channel: 'ORANGE_MONEY',
        facilityCode: 'F1',
        msisdn: null,
        source: 'om.csv',
        line: ++rowSeq,
        ...p,
    }
}

const run = (lines: LedgerLine[], rows: StatementRow[], o = opts) => matchStatements(attemptsOf(lines, o.zoneFor), rows, o)
const cats = (items: MatchItem[]) => items.map((i) => `${i.category}:${i.attempt?.transactionId ?? '-'}:${i.row?.reference ?? '-'}`).sort()

describe('matching by reference', () => {
    test('operator_ref equals reference, case and spaces ignored → MATCHED by reference', () => {
        const items = run([line({ transactionId: 'A', ref: 'MP2410.AB' })], [row({ reference: '  mp2410.ab ', occurredAt: '2026-10-10T15:00:00.000Z' })])
        expect(items).toHaveLength(1)
        expect(items[0]).toMatchObject({ category: 'MATCHED', matchedBy: 'reference' })
    })
    test('same reference, different amount → AMOUNT_MISMATCH with gap = statement − ledger', () => {
        const items = run([line({ transactionId: 'A', ref: 'X1', amountXof: 15000 })], [row({ reference: 'X1', amountXof: 1500 })])
        expect(items.map((i) => i.category)).toEqual(['AMOUNT_MISMATCH'])
        const [c] = channelSummaries(items)
        expect(c.categories.AMOUNT_MISMATCH).toEqual({ count: 1, amount: 1500, gap: -13500 })
        expect(reconValues(items, []).find((v) => v.dataElement === 'PAYREV_RECON_AMOUNT_GAP')?.value).toBe(13500)
    })
    test('a reference match wins over a nearer row of the same amount', () => {
        const items = run(
            [line({ transactionId: 'A', ref: 'FAR', occurredAt: '2026-10-10T10:00:00.000Z' })],
            [row({ reference: 'NEAR', occurredAt: '2026-10-10T10:00:10.000Z' }), row({ reference: 'FAR', occurredAt: '2026-10-10T10:20:00.000Z' })]
        )
        expect(cats(items)).toEqual(['MATCHED:A:FAR', 'STATEMENT_ONLY:-:NEAR'])
    })
    test('the same operator_ref on two attempts: the earlier one takes the row, the later is matched by window or left', () => {
        const items = run(
            [line({ transactionId: 'A', ref: 'R', occurredAt: '2026-10-10T10:00:00.000Z' }), line({ transactionId: 'B', ref: 'R', occurredAt: '2026-10-10T12:00:00.000Z' })],
            [row({ reference: 'R', occurredAt: '2026-10-10T12:00:00.000Z' })]
        )
        expect(cats(items)).toEqual(['LEDGER_ONLY:B:-', 'MATCHED:A:R'])
    })
})

describe('matching within the window', () => {
    test('same amount within 30 minutes → MATCHED by window; outside → one on each side', () => {
        const inside = run([line({ transactionId: 'A' })], [row({ reference: 'R', occurredAt: '2026-10-10T10:29:59.000Z' })])
        expect(inside[0]).toMatchObject({ category: 'MATCHED', matchedBy: 'window' })
        const outside = run([line({ transactionId: 'A' })], [row({ reference: 'R', occurredAt: '2026-10-10T10:30:01.000Z' })])
        expect(cats(outside)).toEqual(['LEDGER_ONLY:A:-', 'STATEMENT_ONLY:-:R'])
    })
    test('the window is configurable', () => {
        const items = run([line({ transactionId: 'A' })], [row({ reference: 'R', occurredAt: '2026-10-10T10:45:00.000Z' })], { ...opts, windowMinutes: 60 })
        expect(cats(items)).toEqual(['MATCHED:A:R'])
    })
    test('different amounts never pair by window (a typo needs the reference)', () => {
        expect(cats(run([line({ transactionId: 'A', amountXof: 5000 })], [row({ reference: 'R', amountXof: 500 })]))).toEqual(['LEDGER_ONLY:A:-', 'STATEMENT_ONLY:-:R'])
    })
    test('nearest time first, one to one', () => {
        const items = run(
            [line({ transactionId: 'A', occurredAt: '2026-10-10T10:00:00.000Z' }), line({ transactionId: 'B', occurredAt: '2026-10-10T10:10:00.000Z' })],
            [row({ reference: 'R1', occurredAt: '2026-10-10T10:09:00.000Z' }), row({ reference: 'R2', occurredAt: '2026-10-10T10:01:00.000Z' })]
        )
        expect(cats(items)).toEqual(['MATCHED:A:R2', 'MATCHED:B:R1'])
    })
    test('one row, two attempts at the same distance: the earlier attempt takes it (tie rule), the other is ledger only', () => {
        const items = run(
            [line({ transactionId: 'B', occurredAt: '2026-10-10T10:10:00.000Z' }), line({ transactionId: 'A', occurredAt: '2026-10-10T09:50:00.000Z' })],
            [row({ reference: 'R', occurredAt: '2026-10-10T10:00:00.000Z' })]
        )
        expect(cats(items)).toEqual(['LEDGER_ONLY:B:-', 'MATCHED:A:R'])
    })
    test('same time and distance: the smaller transaction id, then the earlier row by source and line', () => {
        const t = '2026-10-10T10:00:00.000Z'
        const items = run([line({ transactionId: 'Z', occurredAt: t }), line({ transactionId: 'Y', occurredAt: t })], [row({ reference: 'R2', occurredAt: t, source: 'b.csv', line: 1 }), row({ reference: 'R1', occurredAt: t, source: 'a.csv', line: 9 })])
        expect(cats(items)).toEqual(['MATCHED:Y:R1', 'MATCHED:Z:R2'])
    })
    test('deterministic whatever the input order', () => {
        const ls = [0, 1, 2, 3].map((k) => line({ transactionId: `A${k}`, occurredAt: `2026-10-10T10:0${k}:00.000Z` }))
        const rs = [0, 1, 2].map((k) => row({ reference: `R${k}`, occurredAt: `2026-10-10T10:0${k}:30.000Z` }))
        expect(cats(run([...ls].reverse(), [...rs].reverse()))).toEqual(cats(run(ls, rs)))
    })
})

describe('status, duplicates, refunds, fees', () => {
    test('ledger SUCCESS, statement FAILED (by reference) → STATUS_MISMATCH; both failed → nothing', () => {
        expect(cats(run([line({ transactionId: 'A', ref: 'R' })], [row({ reference: 'R', status: 'FAILED' })]))).toEqual(['STATUS_MISMATCH:A:R'])
        expect(run([line({ transactionId: 'A', ref: 'R', status: 'FAILED' })], [row({ reference: 'R', status: 'FAILED' })])).toEqual([])
    })
    test('a receipt marked FAILED that the operator settled (window) → STATUS_MISMATCH, its amount the statement’s', () => {
        const items = run([line({ transactionId: 'A', status: 'FAILED' })], [row({ reference: 'R', status: 'SUCCESS' })])
        expect(cats(items)).toEqual(['STATUS_MISMATCH:A:R'])
        expect(channelSummaries(items)[0].categories.STATUS_MISMATCH).toEqual({ count: 1, amount: 5000 })
    })
    test('a failed try then a successful retry: the success pairs, the failure is not an item', () => {
        const items = run(
            [line({ transactionId: 'A', status: 'FAILED', occurredAt: '2026-10-10T10:00:00.000Z' }), line({ transactionId: 'B', occurredAt: '2026-10-10T10:03:00.000Z' })],
            [row({ reference: 'R', occurredAt: '2026-10-10T10:01:00.000Z' })]
        )
        expect(cats(items)).toEqual(['MATCHED:B:R'])
    })
    test('a reference twice on the statements → one DUPLICATE_STATEMENT; fees counted once', () => {
        const items = run([line({ transactionId: 'A', ref: 'R' })], [row({ reference: 'R', feeXof: 50, line: 1 }), row({ reference: 'r ', feeXof: 50, line: 2 })])
        expect(cats(items)).toEqual(['DUPLICATE_STATEMENT:-:r ', 'MATCHED:A:R'])
        const [c] = channelSummaries(items)
        expect(c.fees).toBe(50)
        expect(c.statementCount).toBe(1)
        expect(c.categories.DUPLICATE_STATEMENT).toEqual({ count: 1, amount: 5000 })
    })
    test('refunds match refunds only, with positive amounts', () => {
        const items = run(
            [line({ transactionId: 'A', type: 'REFUND', amountXof: 2000 }), line({ transactionId: 'B', amountXof: 2000 })],
            [row({ reference: 'RF', type: 'REFUND', amountXof: 2000 })]
        )
        expect(cats(items)).toEqual(['LEDGER_ONLY:B:-', 'MATCHED:A:RF'])
        expect(items.find((i) => i.category === 'MATCHED')?.type).toBe('REFUND')
    })
    test('an attempt sums its SUCCESS lines; fees stay apart (gross matched, net = gross − fee)', () => {
        const items = run(
            [line({ transactionId: 'A', lineNo: 1, amountXof: 3000 }), line({ transactionId: 'A', lineNo: 2, amountXof: 2000 }), line({ transactionId: 'A', lineNo: 3, amountXof: 999, status: 'CANCELLED' })],
            [row({ reference: 'R', amountXof: 5000, feeXof: 75 })]
        )
        expect(cats(items)).toEqual(['MATCHED:A:R'])
        const [c] = channelSummaries(items)
        expect(c).toMatchObject({ ledgerCount: 1, ledgerAmount: 5000, statementCount: 1, statementAmount: 5000, fees: 75 })
    })
    test('facilities and channels never pair across', () => {
        const items = run([line({ transactionId: 'A', facilityCode: 'F1' }), line({ transactionId: 'B', channel: 'MOOV_MONEY' })], [row({ reference: 'R', facilityCode: 'F2' })])
        expect(cats(items)).toEqual(['LEDGER_ONLY:A:-', 'LEDGER_ONLY:B:-', 'STATEMENT_ONLY:-:R'])
    })
})

describe('periods', () => {
    test('an item across midnight at the month end stays in the ledger line’s month', () => {
        const items = run([line({ transactionId: 'A', occurredAt: '2026-10-31T23:50:00.000Z' })], [row({ reference: 'R', occurredAt: '2026-11-01T00:10:00.000Z' })])
        expect(items.map((i) => [i.category, i.month])).toEqual([['MATCHED', '2026-10']])
    })
    test('a statement-only item takes its own local date; months follow the facility’s zone', () => {
        const z = { ...opts, zoneFor: () => 'Africa/Lagos' } // UTC+1
        const items = run([], [row({ reference: 'R', occurredAt: '2026-10-31T23:30:00.000Z' })], z)
        expect(items.map((i) => [i.category, i.month])).toEqual([['STATEMENT_ONLY', '2026-11']])
    })
})

import type { LedgerLine } from '../domain/line'
import { ledgerLine } from '../../tests/fixtures/ledger-line'
import type { TracedLine } from '../state/lineage'
import { explainValue, type ExplainTarget, type StateValue } from './explain'

const ctx = { periodType: 'Monthly' as const, zoneFor: () => 'Africa/Bamako' }
const line = ledgerLine
const traced = (l: LedgerLine, row = 2, runId = 1): TracedLine => ({ line: l, source: 'export.csv', row, runId })
const value = (key: string, desired: number, accepted: number | null = desired): StateValue => {
    const parts = key.split('|')
    return { key, channel: parts[3], service: parts[4] || null, desired, accepted }
}
const gross: ExplainTarget = { dataElement: 'PAYREV_GROSS', period: '202610', facility: 'HDB', channel: 'CASH', service: 'CONSULTATION' }

describe('explainValue', () => {
    test('a sum: the SUCCESS payments count, the others are listed with their reason', () => {
        const lines = [
            traced(line({ transactionId: 'T1', amountXof: 1000 })),
            traced(line({ transactionId: 'T2', amountXof: 2500 }), 3),
            traced(line({ transactionId: 'T3', status: 'PENDING' }), 4),
            traced(line({ transactionId: 'T4', status: 'REVERSED' }), 5),
            traced(line({ transactionId: 'R1', type: 'REFUND', amountXof: 300 }), 6),
            traced(line({ transactionId: 'T5', channel: 'ORANGE_MONEY' }), 7), // another key: not listed
        ]
        const r = explainValue(gross, [value('PAYREV_GROSS|202610|HDB|CASH|CONSULTATION', 3500)], lines, [], [], ctx)
        expect(r.value).toBe(3500)
        expect(r.computed).toBe(3500)
        expect(r.method).toBe('SUM')
        expect(r.lines.map((l) => [l.transactionId, l.source, l.position])).toEqual([
            ['T1', 'export.csv', 2],
            ['T2', 'export.csv', 3],
        ])
        // Same time: by transaction id.
        expect(r.excluded.map((l) => [l.transactionId, l.reason.code])).toEqual([
            ['R1', 'REFUND'],
            ['T3', 'PENDING'],
            ['T4', 'REVERSED'],
        ])
    })

    test('a replaced version is listed with the run that replaced it; the send after it counts the lines that run brought', () => {
        const now = traced(line({ status: 'REVERSED', updatedAt: '2026-10-06T00:00:00.000Z' }), 9, 2)
        const before = { ...traced(line({}), 2, 1), replacedByRun: 2 }
        const sends = [
            { key: 'PAYREV_GROSS|202610|HDB|CASH|CONSULTATION', runId: 1, at: '2026-10-05T12:00:00.000Z', value: 1000, outcome: 'ACCEPTED' as const, errorCode: null, repeats: 1, lastRunId: null, lastAt: null },
            { key: 'PAYREV_GROSS|202610|HDB|CASH|CONSULTATION', runId: 2, at: '2026-10-06T12:00:00.000Z', value: 0, outcome: 'ACCEPTED' as const, errorCode: null, repeats: 1, lastRunId: null, lastAt: null },
        ]
        const r = explainValue(gross, [value('PAYREV_GROSS|202610|HDB|CASH|CONSULTATION', 0)], [now], [before], sends, ctx)
        expect(r.lines).toEqual([])
        expect(r.excluded.map((l) => [l.status, l.reason.code, l.replacedByRun ?? null])).toEqual([
            ['REVERSED', 'REVERSED', null],
            ['SUCCESS', 'REPLACED', 2],
        ])
        expect(r.sends.map((s) => [s.runId, s.value, s.linesBrought])).toEqual([
            [1, 1000, 1],
            [2, 0, 1],
        ])
    })

    test('attempts: counted once where the earliest SUCCESS is; a failed try of the same attempt does not count, an attempt counted in another month says so', () => {
        const lines = [
            traced(line({ transactionId: 'A', lineNo: 1, status: 'FAILED', occurredAt: '2026-10-01T10:00:00.000Z' })),
            traced(line({ transactionId: 'A', lineNo: 2, occurredAt: '2026-10-01T10:05:00.000Z' })),
            traced(line({ transactionId: 'B', lineNo: 1, occurredAt: '2026-10-31T23:00:00.000Z', status: 'PENDING' })),
            // B's SUCCESS line is in November: B counts there.
            traced(line({ transactionId: 'B', lineNo: 2, occurredAt: '2026-11-01T09:00:00.000Z' })),
        ]
        const target: ExplainTarget = { dataElement: 'PAYREV_PAYMENTS', period: '202610', facility: 'HDB', channel: 'CASH', service: null }
        const r = explainValue(target, [value('PAYREV_PAYMENTS|202610|HDB|CASH|', 1)], lines, [], [], ctx)
        expect(r.method).toBe('ATTEMPTS')
        expect(r.lines.map((l) => `${l.transactionId}#${l.lineNo}`)).toEqual(['A#2'])
        expect(r.excluded.map((l) => [`${l.transactionId}#${l.lineNo}`, l.reason.code, l.countedIn ?? null])).toEqual([
            ['A#1', 'FAILED', null],
            ['B#1', 'ATTEMPT_COUNTED_ELSEWHERE', { dataElement: 'PAYREV_PAYMENTS', period: '202611' }],
        ])
    })

    test('without channel and service: every key of the facility × period, the value their sum', () => {
        const lines = [traced(line({ transactionId: 'T1', amountXof: 100 })), traced(line({ transactionId: 'T2', channel: 'CARD', service: 'EXAM', amountXof: 50 }))]
        const all: ExplainTarget = { ...gross, channel: null, service: null }
        const r = explainValue(all, [value('PAYREV_GROSS|202610|HDB|CARD|EXAM', 50), value('PAYREV_GROSS|202610|HDB|CASH|CONSULTATION', 100)], lines, [], [], ctx)
        expect(r.value).toBe(150)
        expect(r.lines.reduce((s, l) => s + l.amountXof, 0)).toBe(150)
        expect(r.keys).toHaveLength(2)
    })

    test('a recomputation pending shows as computed ≠ value', () => {
        const r = explainValue(gross, [value('PAYREV_GROSS|202610|HDB|CASH|CONSULTATION', 999)], [traced(line({}))], [], [], ctx)
        expect(r.value).toBe(999)
        expect(r.computed).toBe(1000)
    })
})

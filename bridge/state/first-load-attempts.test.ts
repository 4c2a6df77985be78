import fc from 'fast-check'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { computeTotals, lineScope } from '../aggregate'
import type { LedgerLine } from '../domain/line'
import { ledgerLine } from '../../tests/fixtures/ledger-line'
import { openState } from './db'
import { BloomLayers, FirstLoadAttempts } from './first-load-attempts'
import { LineStore } from './lines'

const aggCtx = { periodType: 'Monthly' as const, zoneFor: () => 'Africa/Bamako' }
const sorted = (lines: LedgerLine[]) => lines.map((l) => JSON.stringify(l)).sort()

describe('the Bloom filter of attempts seen', () => {
    test('never forgets a key, across layers', () => {
        const bloom = new BloomLayers(64) // 6 keys per layer: many layers
        const keys = Array.from({ length: 2000 }, (_, i) => `ORANGE_MONEY|T${i}`)
        keys.forEach((k) => bloom.add(k))
        expect(keys.every((k) => bloom.has(k))).toBe(true)
    })

    test('answers no for most keys it never saw (about 1 % per layer)', () => {
        const bloom = new BloomLayers(1 << 16)
        for (let i = 0; i < 6000; i++) bloom.add(`CASH|T${i}`)
        let wrong = 0
        for (let i = 0; i < 10_000; i++) if (bloom.has(`CASH|U${i}`)) wrong++
        expect(wrong).toBeLessThan(300)
    })
})

describe('attempts that may span scopes in a first load', () => {
    /** The tracker fed like LineStore feeds it, with an exact answer from the lines kept so far. */
    function track(lines: Array<{ line: LedgerLine; scope: string }>, opts?: { firstLayerBits?: number; maxFlagged?: number }) {
        const stored: Array<{ line: LedgerLine; scope: string }> = []
        const tracker = new FirstLoadAttempts(
            (t, c, s) => stored.some((x) => x.line.type === 'PAYMENT' && x.line.transactionId === t && x.line.channel === c && x.scope !== s),
            opts
        )
        for (const x of lines) {
            stored.push(x)
            tracker.sawNew(x.line, x.scope)
        }
        return tracker
    }

    test('a payment attempt whose lines are in two months is flagged, even when its lines are far apart in the file', () => {
        const tracker = track([
            { line: ledgerLine({ transactionId: 'A' }), scope: 'HDB|202610' },
            { line: ledgerLine({ transactionId: 'B' }), scope: 'HDB|202610' },
            { line: ledgerLine({ transactionId: 'A', lineNo: 2 }), scope: 'HDB|202611' },
            { line: ledgerLine({ transactionId: 'C' }), scope: 'HDB|202610' },
            { line: ledgerLine({ transactionId: 'C', lineNo: 2 }), scope: 'HDB|202611' },
        ])
        expect(tracker.mayHaveLinesElsewhere('CASH', 'A')).toBe(true)
        expect(tracker.mayHaveLinesElsewhere('CASH', 'C')).toBe(true)
        expect(tracker.mayHaveLinesElsewhere('CASH', 'B')).toBe(false)
        // Another channel is another attempt; refund lines are in none.
        expect(tracker.mayHaveLinesElsewhere('ORANGE_MONEY', 'A')).toBe(false)
        expect(track([
            { line: ledgerLine({ transactionId: 'R' }), scope: 'HDB|202610' },
            { line: ledgerLine({ transactionId: 'R', lineNo: 2, type: 'REFUND' }), scope: 'HDB|202611' },
        ]).noneFlagged).toBe(true)
    })

    test('past the cap, every attempt may span (the recompute asks SQLite for all, as before)', () => {
        const lines = ['A', 'B', 'C'].flatMap((t) => [
            { line: ledgerLine({ transactionId: t }), scope: 'HDB|202610' },
            { line: ledgerLine({ transactionId: t, lineNo: 2 }), scope: 'HDB|202611' },
        ])
        const tracker = track(lines, { maxFlagged: 2 })
        expect(tracker.overflowed).toBe(true)
        expect(tracker.mayHaveLinesElsewhere('CASH', 'Z')).toBe(true)
    })

    test('property: every attempt that spans scopes is flagged, whatever the filter’s false positives', () => {
        const lineArb = fc.record({
            transactionId: fc.constantFrom('T1', 'T2', 'T3', 'T4', 'T5', 'T6'),
            lineNo: fc.integer({ min: 1, max: 3 }),
            channel: fc.constantFrom('CASH', 'ORANGE_MONEY'),
            type: fc.constantFrom('PAYMENT', 'PAYMENT', 'REFUND'),
            scope: fc.constantFrom('HDB|202610', 'HDB|202611', 'HBK|202610'),
        })
        fc.assert(
            fc.property(fc.array(lineArb, { maxLength: 40 }), fc.constantFrom(64, 1 << 16), (xs, bits) => {
                const lines = xs.map((x) => ({ line: ledgerLine({ transactionId: x.transactionId, lineNo: x.lineNo, channel: x.channel as LedgerLine['channel'], type: x.type as LedgerLine['type'] }), scope: x.scope }))
                const tracker = track(lines, { firstLayerBits: bits })
                const scopesOf = new Map<string, Set<string>>()
                for (const { line, scope } of lines) {
                    if (line.type !== 'PAYMENT') continue
                    const k = `${line.channel}|${line.transactionId}`
                    scopesOf.set(k, (scopesOf.get(k) ?? new Set()).add(scope))
                }
                for (const [k, scopes] of scopesOf) {
                    const [channel, transactionId] = k.split('|')
                    if (scopes.size > 1) expect(tracker.mayHaveLinesElsewhere(channel, transactionId)).toBe(true)
                }
            })
        )
    })
})

describe('a first load’s recompute reads what the general query reads', () => {
    test('property: for every scope, the same lines and the same totals as a store that did not see the load (versions, spanning attempts, a tiny filter)', () => {
        const lineArb = fc.record({
            transactionId: fc.constantFrom('T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7'),
            lineNo: fc.integer({ min: 1, max: 3 }),
            channel: fc.constantFrom('CASH', 'ORANGE_MONEY'),
            type: fc.constantFrom('PAYMENT', 'PAYMENT', 'REFUND'),
            status: fc.constantFrom('SUCCESS', 'SUCCESS', 'FAILED', 'PENDING'),
            // Around a month's end in Bamako: lines of one attempt fall in two periods.
            occurredAt: fc.constantFrom('2026-10-31T23:30:00.000Z', '2026-11-01T00:30:00.000Z', '2026-10-15T08:00:00.000Z'),
            facilityCode: fc.constantFrom('HDB', 'HBK'),
            service: fc.constantFrom('PHARMACY', 'CONSULTATION'),
            updatedAt: fc.constantFrom(null, '2026-11-02T00:00:00.000Z', '2026-11-03T00:00:00.000Z'),
            amountXof: fc.integer({ min: 0, max: 5000 }),
        })
        fc.assert(
            fc.property(fc.array(lineArb, { maxLength: 60 }), fc.constantFrom(64, 1 << 20), fc.constantFrom(1, 100_000), (xs, bits, cap) => {
                const db = openState(fs.mkdtempSync(path.join(os.tmpdir(), 'first-load-')))
                try {
                    const store = new LineStore(db, { firstLayerBits: bits, maxFlagged: cap })
                    for (const x of xs) {
                        const line = ledgerLine(x as Partial<LedgerLine>)
                        store.ingest(line, lineScope(line, aggCtx), 1)
                    }
                    const general = new LineStore(db)
                    for (const scope of store.dirtyScopes()) {
                        const read = store.readScope(scope)
                        const mine = read.lines
                        const theirs = general.linesForScope(scope)
                        expect(sorted(mine)).toEqual(sorted(theirs))
                        // The stock leg's share of the same read: what pharmacyLines reads, in its order, in both paths.
                        expect(read.ownPharmacy).toEqual(general.pharmacyLines(scope))
                        expect(general.readScope(scope).ownPharmacy).toEqual(general.pharmacyLines(scope))
                        expect(computeTotals(mine, aggCtx, new Set([scope]))).toEqual(computeTotals(theirs, aggCtx, new Set([scope])))
                    }
                } finally {
                    db.close()
                }
            }),
            { numRuns: 150 }
        )
    })

    test('a state that already held lines is not a first load: the general query is used', () => {
        const db = openState(fs.mkdtempSync(path.join(os.tmpdir(), 'first-load-')))
        new LineStore(db).ingest(ledgerLine({ transactionId: 'A', occurredAt: '2026-10-31T23:30:00.000Z' }), 'HDB|202610', 1)
        const store = new LineStore(db, { maxFlagged: 100_000 })
        store.ingest(ledgerLine({ transactionId: 'A', lineNo: 2, occurredAt: '2026-11-01T00:30:00.000Z' }), 'HDB|202611', 2)
        // The October line of attempt A was stored by an earlier run, never seen by this store's tracker.
        expect(store.linesForScope('HDB|202611').map((l) => l.lineNo).sort()).toEqual([1, 2])
    })
})

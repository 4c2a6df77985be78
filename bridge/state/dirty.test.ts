import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { LedgerLine } from '../domain/line'
import { ledgerLine } from '../../tests/fixtures/ledger-line'
import { openState, type StateDb } from './db'
import { LineStore } from './lines'

const line = (p: Partial<LedgerLine>) => ledgerLine({ occurredAt: '2026-10-31T23:50:00.000Z', channel: 'ORANGE_MONEY', ...p })
const attempts = (db: StateDb) => (db.prepare('SELECT COUNT(*) FROM dirty_attempts').pluck().get() as number)

describe('scopes to recompute', () => {
    test('a first load marks each line’s scope, and no attempt: every line of an attempt is new in that run', () => {
        const db = openState(fs.mkdtempSync(path.join(os.tmpdir(), 'dirty-')))
        const store = new LineStore(db)
        // One payment attempt across two months (line 2 just after midnight), and another transaction.
        store.ingest(line({}), 'HDB|202610', 1)
        store.ingest(line({ lineNo: 2, occurredAt: '2026-11-01T00:05:00.000Z' }), 'HDB|202611', 1)
        store.ingest(line({ transactionId: 'T2', occurredAt: '2026-09-10T10:00:00.000Z' }), 'HDB|202609', 1)
        expect(attempts(db)).toBe(0)
        expect(store.dirtyScopes()).toEqual(['HDB|202609', 'HDB|202610', 'HDB|202611'])
        store.clearDirty()

        // The next run (same store): a new line of that attempt in October only. November holds
        // another line of the attempt, so it is recomputed too, through the attempt.
        expect(store.ingest(line({ lineNo: 3 }), 'HDB|202610', 2)).toBe('new')
        expect(attempts(db)).toBe(1)
        expect(store.dirtyScopes()).toEqual(['HDB|202610', 'HDB|202611'])
    })

    test('a later version in the first load itself still marks its attempt', () => {
        const db = openState(fs.mkdtempSync(path.join(os.tmpdir(), 'dirty-')))
        const store = new LineStore(db)
        store.ingest(line({ updatedAt: '2026-11-01T00:00:00.000Z' }), 'HDB|202610', 1)
        expect(store.ingest(line({ updatedAt: '2026-11-02T00:00:00.000Z', status: 'REVERSED' }), 'HDB|202610', 1)).toBe('changed')
        expect(attempts(db)).toBe(1)
    })

    test('a run on a state that already holds lines marks the attempt of every new payment line', () => {
        const db = openState(fs.mkdtempSync(path.join(os.tmpdir(), 'dirty-')))
        new LineStore(db).ingest(line({ transactionId: 'T0' }), 'HDB|202610', 1)
        const store = new LineStore(db)
        store.ingest(line({ transactionId: 'T9' }), 'HDB|202610', 2)
        store.ingest(line({ transactionId: 'T9', lineNo: 2, type: 'REFUND' }), 'HDB|202610', 2)
        // T9's payment line marks its attempt (its refund line is not part of an attempt).
        expect(db.prepare('SELECT transaction_id FROM dirty_attempts').pluck().all()).toEqual(['T9'])
    })
})

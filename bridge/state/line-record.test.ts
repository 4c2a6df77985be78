import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { LedgerLine } from '../domain/line'
import { pharmacyLine } from '../../tests/fixtures/ledger-line'
import { openState } from './db'
import { replacedLinesForScope, tracedLinesForScope } from './lineage'
import { decodeLine, encodeRest, LINE_COLUMNS, type LineRow } from './line-record'
import { LineStore } from './lines'
import { MIGRATIONS } from './migrations'

const line = (p: Partial<LedgerLine> = {}) =>
    pharmacyLine({ channel: 'ORANGE_MONEY', amountXof: 1500, productCode: 'AMOX-500', productName: 'Amoxicilline 500 mg « gélules »', quantity: 2.5, unit: 'boîte', ...p })
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'line-record-'))

const LINES: LedgerLine[] = [
    line(),
    line({ transactionId: 'T2', updatedAt: '2026-10-06T08:00:00.000Z', operatorRefKey: 'k-op', cashierKey: 'k-ca', status: 'REVERSED' }),
    line({ transactionId: 'T3', service: 'CONSULTATION', productCode: null, productName: null, quantity: null, unit: null, type: 'REFUND', channel: 'CASH', amountXof: 0 }),
    line({ transactionId: 'T4', facilityCode: 'CODE|AVEC|BARRES', cashierKey: 'k-only' }),
]

describe('the compact line record (state migration 7)', () => {
    test.each(LINES.map((l) => [l.transactionId, l]))('%s reads back as the line that was stored, optional keys absent when it had none', (_id, l) => {
        const store = new LineStore(openState(tmp()))
        expect(store.ingest(l, `${l.facilityCode}|202610`, 1)).toBe('new')
        const [back] = store.linesForScope(`${l.facilityCode}|202610`)
        expect(back).toStrictEqual(l)
        // The same line again is recognised without a change, and so is one read from another source.
        expect(store.ingest({ ...l }, `${l.facilityCode}|202610`, 2)).toBe('unchanged')
    })

    test('a correction is stored and the replaced version is kept in the history, both decoded whole', () => {
        const db = openState(tmp())
        const store = new LineStore(db)
        store.ingest(LINES[1]!, 'HDB|202610', 1)
        const corrected = { ...LINES[1]!, amountXof: 1400, updatedAt: '2026-10-07T08:00:00.000Z', unit: null }
        expect(store.ingest(corrected, 'HDB|202610', 2)).toBe('changed')
        expect(store.linesForScope('HDB|202610')).toStrictEqual([corrected])
        expect(tracedLinesForScope(db, 'HDB|202610').map((t) => t.line)).toStrictEqual([corrected])
        expect(replacedLinesForScope(db, 'HDB|202610').map((t) => [t.line, t.runId, t.replacedByRun])).toStrictEqual([[LINES[1], 1, 2]])
    })

    test('a state of schema 6 is migrated: lines and history keep every field, and the data is the text a new ingest writes', () => {
        const dir = tmp()
        const old = new Database(path.join(dir, 'bridge.sqlite'))
        for (const step of MIGRATIONS.filter((m) => m.version <= 6)) old.exec(step.sql)
        old.pragma('user_version = 6')
        const insert = old.prepare(
            "INSERT INTO lines (transaction_id, line_no, facility, scope, channel, type, service, updated_at, data, run_id) VALUES (?, ?, ?, 'HDB|202610', ?, ?, ?, ?, ?, 3)"
        )
        for (const l of LINES) insert.run(l.transactionId, l.lineNo, l.facilityCode, l.channel, l.type, l.service, l.updatedAt, JSON.stringify(l))
        const earlier = { ...LINES[1]!, amountXof: 99, updatedAt: '2026-10-05T08:00:00.000Z' }
        old.prepare("INSERT INTO line_history (transaction_id, line_no, scope, data, run_id, replaced_by_run) VALUES ('T2', 1, 'HDB|202610', ?, 2, 3)").run(JSON.stringify(earlier))
        old.close()

        const db = openState(dir)
        const stored = db.prepare(`SELECT ${LINE_COLUMNS} FROM lines ORDER BY transaction_id`).raw().all() as LineRow[]
        expect(stored.map(decodeLine)).toStrictEqual(LINES)
        expect(stored.map((r) => r[7])).toEqual(LINES.map(encodeRest))
        expect(replacedLinesForScope(db, 'HDB|202610').map((t) => t.line)).toStrictEqual([earlier])
        // The fast path holds after the upgrade: re-reading the same ledger changes nothing.
        const store = new LineStore(db)
        expect(LINES.map((l) => store.ingest(l, 'HDB|202610', 4))).toEqual(LINES.map(() => 'unchanged'))
    })

    test('without lines_attempt, the lines of an attempt are found through the primary key, not a scan', () => {
        const db = openState(tmp())
        expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'lines_attempt'").all()).toEqual([])
        const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ scope: 'HDB|202610' }) as Array<{ detail: string }>).map((p) => p.detail).join('\n')
        const attemptLines = plan(
            `SELECT l.data FROM lines l JOIN (SELECT DISTINCT transaction_id, channel FROM lines WHERE scope = @scope AND type = 'PAYMENT') a
               ON l.transaction_id = a.transaction_id AND l.channel = a.channel WHERE l.type = 'PAYMENT' AND l.scope <> @scope`
        )
        expect(attemptLines).toMatch(/SEARCH l USING INDEX sqlite_autoindex_lines_1 \(transaction_id=\?/)
        expect(attemptLines).not.toMatch(/SCAN l\b/)
        const dirty = plan(`SELECT l.scope FROM dirty_attempts a CROSS JOIN lines l ON l.transaction_id = a.transaction_id AND l.channel = a.channel AND l.type = 'PAYMENT'`)
        expect(dirty).toMatch(/SEARCH l USING INDEX sqlite_autoindex_lines_1 \(transaction_id=\?/)
    })
})

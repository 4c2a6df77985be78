import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { LedgerLine } from '../domain/line'
import { ledgerLine } from '../../tests/fixtures/ledger-line'
import { openState } from './db'
import { LineStore } from './lines'
import { replacedLinesForScope, SendLog, SourceRegistry, tracedLinesForScope } from './lineage'

const line = ledgerLine
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'lineage-'))
const count = (db: Database.Database, table: string) => db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number

describe('lineage in the state', () => {
    test('each line version keeps its source and row; a replaced version goes to the history; a replay adds nothing', () => {
        const db = openState(tmp())
        const lines = new LineStore(db)
        const sources = new SourceRegistry(db)
        const a = sources.idOf('/srv/exports/a.csv')
        expect(sources.idOf('/srv/exports/a.csv')).toBe(a)
        const b = sources.idOf('b.csv')
        expect(lines.ingest(line(), 'HDB|202610', 1, { sourceId: a, row: 2 })).toBe('new')
        expect(lines.ingest(line({ status: 'REVERSED', updatedAt: '2026-10-06T00:00:00.000Z' }), 'HDB|202610', 2, { sourceId: b, row: 7 })).toBe('changed')
        const size = [count(db, 'line_history'), count(db, 'line_sources')]
        // The same file read again: nothing new anywhere.
        expect(lines.ingest(line({ status: 'REVERSED', updatedAt: '2026-10-06T00:00:00.000Z' }), 'HDB|202610', 3, { sourceId: b, row: 7 })).toBe('unchanged')
        expect([count(db, 'line_history'), count(db, 'line_sources')]).toEqual(size)
        expect(tracedLinesForScope(db, 'HDB|202610').map((t) => [t.line.status, t.source, t.row, t.runId])).toEqual([['REVERSED', 'b.csv', 7, 2]])
        expect(replacedLinesForScope(db, 'HDB|202610').map((t) => [t.line.status, t.source, t.row, t.runId, t.replacedByRun])).toEqual([['SUCCESS', '/srv/exports/a.csv', 2, 1, 2]])
        db.close()
    })

    test('sends: WAITING until DHIS2 answers; the same value with the same answer again folds into one row', () => {
        const db = openState(tmp())
        const log = new SendLog(db)
        const send = (run: number, value: number, outcome: 'ACCEPTED' | 'REFUSED', code: string | null = null) => {
            const rows = log.waiting(run, `2026-11-0${run}T10:00:00.000Z`, [{ key: 'K', value }])
            log.settle(rows, run, `2026-11-0${run}T10:00:01.000Z`, [{ key: 'K', outcome, errorCode: code }])
        }
        const waiting = log.waiting(1, '2026-11-01T09:00:00.000Z', [{ key: 'K', value: 10 }])
        expect(log.forKeys(['K']).map((s) => s.outcome)).toEqual(['WAITING'])
        log.settle(waiting, 1, '2026-11-01T09:00:01.000Z', [{ key: 'K', outcome: 'ACCEPTED', errorCode: null }])
        send(2, 10, 'ACCEPTED') // same value, same answer: folded
        send(3, 12, 'REFUSED', 'E7640')
        send(4, 12, 'REFUSED', 'E7640') // folded
        send(5, 12, 'ACCEPTED')
        expect(log.forKeys(['K']).map((s) => [s.runId, s.value, s.outcome, s.errorCode, s.repeats, s.lastRunId])).toEqual([
            [1, 10, 'ACCEPTED', null, 2, 2],
            [3, 12, 'REFUSED', 'E7640', 2, 4],
            [5, 12, 'ACCEPTED', null, 1, null],
        ])
        db.close()
    })

    test('a state written before lineage is migrated: its lines keep "position unknown", the run that brought them is kept', () => {
        const dir = tmp()
        const old = new Database(path.join(dir, 'bridge.sqlite'))
        // Schema 1 as the previous bridge wrote it (bridge/state/db.ts, first migration).
        old.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE lines (transaction_id TEXT NOT NULL, line_no INTEGER NOT NULL, facility TEXT NOT NULL, scope TEXT NOT NULL, channel TEXT NOT NULL, type TEXT NOT NULL, updated_at TEXT, data TEXT NOT NULL, run_id INTEGER NOT NULL, PRIMARY KEY (transaction_id, line_no));
            CREATE INDEX lines_scope ON lines (scope);
            CREATE INDEX lines_attempt ON lines (transaction_id, channel);
            CREATE TABLE dirty_scopes (scope TEXT PRIMARY KEY);
            CREATE TABLE dirty_attempts (transaction_id TEXT NOT NULL, channel TEXT NOT NULL, PRIMARY KEY (transaction_id, channel));
            CREATE TABLE data_values (key TEXT PRIMARY KEY, data_element TEXT NOT NULL, period TEXT NOT NULL, facility TEXT NOT NULL, channel TEXT NOT NULL, service TEXT, scope TEXT NOT NULL, desired INTEGER, accepted INTEGER, accepted_at TEXT, sent_unconfirmed INTEGER NOT NULL DEFAULT 0, last_error_code TEXT, last_error_message TEXT);
            CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, command TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, exit_code INTEGER, summary TEXT);
            CREATE TABLE quarantine (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL, col TEXT, reason_fr TEXT NOT NULL, reason_en TEXT NOT NULL, raw TEXT NOT NULL, created_at TEXT NOT NULL);
            CREATE TABLE org_units (ref TEXT PRIMARY KEY, id TEXT NOT NULL, code TEXT, name TEXT, seen_at TEXT NOT NULL);
            PRAGMA user_version = 1;`)
        old.prepare('INSERT INTO lines VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run('T1', 1, 'HDB', 'HDB|202610', 'CASH', 'PAYMENT', null, JSON.stringify(line()), 7)
        old.close()
        const db = openState(dir)
        expect(tracedLinesForScope(db, 'HDB|202610').map((t) => [t.source, t.row, t.runId])).toEqual([[null, null, 7]])
        // A later version of that old line still goes to the history (position unknown).
        new LineStore(db).ingest(line({ status: 'REVERSED', updatedAt: '2026-10-06T00:00:00.000Z' }), 'HDB|202610', 8, { sourceId: new SourceRegistry(db).idOf('new.csv'), row: 3 })
        expect(replacedLinesForScope(db, 'HDB|202610').map((t) => [t.source, t.row, t.runId, t.replacedByRun])).toEqual([[null, null, 7, 8]])
        db.close()
    })
})

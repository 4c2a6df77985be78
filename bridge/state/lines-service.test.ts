import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import type { LedgerLine } from '../domain/line'
import { pharmacyLine } from '../../tests/fixtures/ledger-line'
import { openState } from './db'
import { LineStore } from './lines'
import { MIGRATIONS, SCHEMA_VERSION } from './migrations'

const line = pharmacyLine
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'lines-service-'))
const services = (db: Database.Database) => db.prepare('SELECT transaction_id, service FROM lines ORDER BY transaction_id').all()

describe('lines.service (migration 6): the stock leg reads pharmacy lines through a column, not json_extract', () => {
    test('a state of the previous schema keeps its lines, their service filled from the line data', () => {
        const dir = tmp()
        const old = new Database(path.join(dir, 'bridge.sqlite'))
        // The schema as the previous release left it: every step before this one.
        for (const step of MIGRATIONS.filter((m) => m.version < 6)) old.exec(step.sql)
        old.pragma('user_version = 5')
        const insert = old.prepare('INSERT INTO lines (transaction_id, line_no, facility, scope, channel, type, updated_at, data, run_id) VALUES (?, 1, ?, ?, ?, ?, NULL, ?, 7)')
        const put = (l: LedgerLine) => insert.run(l.transactionId, l.facilityCode, 'HDB|202610', l.channel, l.type, JSON.stringify(l))
        put(line({ transactionId: 'T1' }))
        put(line({ transactionId: 'T2', service: 'CONSULTATION', productCode: null, quantity: null }))
        put(line({ transactionId: 'T3' }))
        old.close()

        const db = openState(dir)
        expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
        expect(services(db)).toEqual([
            { transaction_id: 'T1', service: 'PHARMACY' },
            { transaction_id: 'T2', service: 'CONSULTATION' },
            { transaction_id: 'T3', service: 'PHARMACY' },
        ])
        expect(new LineStore(db).pharmacyLines('HDB|202610').map((l) => l.transactionId).sort()).toEqual(['T1', 'T3'])
        db.close()
    })

    test('ingest writes the column on insert and on a later version that changes the service', () => {
        const db = openState(tmp())
        const store = new LineStore(db)
        expect(store.ingest(line(), 'HDB|202610', 1)).toBe('new')
        expect(store.ingest(line({ transactionId: 'T2', service: 'EXAM', productCode: null, quantity: null }), 'HDB|202610', 1)).toBe('new')
        expect(services(db)).toEqual([
            { transaction_id: 'T1', service: 'PHARMACY' },
            { transaction_id: 'T2', service: 'EXAM' },
        ])
        expect(store.pharmacyLines('HDB|202610').map((l) => l.transactionId)).toEqual(['T1'])
        // A correction that moves the line out of the pharmacy (and one that moves another in).
        expect(store.ingest(line({ service: 'CONSULTATION', updatedAt: '2026-10-06T00:00:00.000Z' }), 'HDB|202610', 2)).toBe('changed')
        expect(store.ingest(line({ transactionId: 'T2', updatedAt: '2026-10-06T00:00:00.000Z' }), 'HDB|202610', 2)).toBe('changed')
        expect(services(db)).toEqual([
            { transaction_id: 'T1', service: 'CONSULTATION' },
            { transaction_id: 'T2', service: 'PHARMACY' },
        ])
        expect(store.pharmacyLines('HDB|202610').map((l) => l.transactionId)).toEqual(['T2'])
        db.close()
    })

    test('the pharmacy lines of a scope are read through the scope index (migration 8 dropped the partial one: a sync takes them from the recompute’s read)', () => {
        const db = openState(tmp())
        expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'lines' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all()).toEqual(['lines_scope'])
        const plan = db.prepare("EXPLAIN QUERY PLAN SELECT data FROM lines WHERE scope = ? AND service = 'PHARMACY'").all('HDB|202610') as Array<{ detail: string }>
        expect(plan.map((p) => p.detail).join('\n')).toContain('lines_scope')
        db.close()
    })
})

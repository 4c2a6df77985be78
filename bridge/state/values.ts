import type Database from 'better-sqlite3'
import type { KeyedValue } from '../aggregate'
import type { StateDb } from './db'

export interface StoredValue {
    key: string
    dataElement: string
    period: string
    facility: string
    channel: string
    service: string | null
    desired: number
    accepted: number | null
}

/**
 * What each DHIS2 key should hold (desired) against what DHIS2 last accepted. The difference is
 * the outbox: it survives restarts, and a newer total for a key simply replaces an unsent one.
 */
export class ValueStore {
    constructor(private readonly db: StateDb) {}

    // Prepared once per store: applyTotals runs once per recomputed scope (thousands in a replay).
    private statements: { existing: Database.Statement; upsert: Database.Statement; zero: Database.Statement; drop: Database.Statement } | null = null

    private prepared() {
        return (this.statements ??= {
            existing: this.db.prepare('SELECT key, accepted, sent_unconfirmed FROM data_values WHERE scope = ?'),
            upsert: this.db.prepare(
                `INSERT INTO data_values (key, data_element, period, facility, channel, service, scope, desired)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT(key) DO UPDATE SET desired = excluded.desired`
            ),
            zero: this.db.prepare('UPDATE data_values SET desired = 0 WHERE key = ?'),
            drop: this.db.prepare('DELETE FROM data_values WHERE key = ?'),
        })
    }

    /** Replace the desired values of these scopes by freshly computed totals (SPEC §3 zero rule). */
    applyTotals(scope: string, totals: KeyedValue[], keyOf: (v: KeyedValue) => string): void {
        const { existing: selectExisting, upsert, zero, drop } = this.prepared()
        const existing = selectExisting.all(scope) as Array<{ key: string; accepted: number | null; sent_unconfirmed: number }>
        const fresh = new Set<string>()
        for (const v of totals) {
            const key = keyOf(v)
            fresh.add(key)
            upsert.run(key, v.dataElement, v.period, v.facilityCode, v.channel, v.service, scope, v.value)
        }
        for (const row of existing) {
            if (fresh.has(row.key)) continue
            // Had a value in DHIS2 (or may have: sent without an answer) → send 0, never leave it stale.
            if (row.accepted !== null || row.sent_unconfirmed) zero.run(row.key)
            else drop.run(row.key)
        }
    }

    pending(): StoredValue[] {
        return this.db
            .prepare(
                `SELECT key, data_element AS dataElement, period, facility, channel, service, desired, accepted
                   FROM data_values WHERE desired IS NOT accepted AND desired IS NOT NULL
                  ORDER BY period, facility, data_element, key`
            )
            .all() as StoredValue[]
    }

    markSent(keys: string[]): void {
        const stmt = this.db.prepare('UPDATE data_values SET sent_unconfirmed = 1 WHERE key = ?')
        this.db.transaction(() => keys.forEach((k) => stmt.run(k)))()
    }

    markAccepted(values: Array<{ key: string; value: number }>, at: string): void {
        const stmt = this.db.prepare(
            'UPDATE data_values SET accepted = ?, accepted_at = ?, sent_unconfirmed = 0, last_error_code = NULL, last_error_message = NULL WHERE key = ?'
        )
        this.db.transaction(() => values.forEach((v) => stmt.run(v.value, at, v.key)))()
    }

    markRejected(rejections: Array<{ key: string; code: string | null; message: string }>): void {
        const stmt = this.db.prepare('UPDATE data_values SET sent_unconfirmed = 0, last_error_code = ?, last_error_message = ? WHERE key = ?')
        this.db.transaction(() => rejections.forEach((r) => stmt.run(r.code, r.message, r.key)))()
    }

    counts(): { keys: number; pending: number; rejected: number } {
        return this.db
            .prepare(
                // SUM over no row is NULL in SQL: a state with nothing to send must say 0 (issue 16).
                `SELECT COUNT(*) AS keys,
                        COALESCE(SUM(CASE WHEN desired IS NOT accepted THEN 1 ELSE 0 END), 0) AS pending,
                        COALESCE(SUM(CASE WHEN desired IS NOT accepted AND last_error_code IS NOT NULL THEN 1 ELSE 0 END), 0) AS rejected
                   FROM data_values`
            )
            .get() as { keys: number; pending: number; rejected: number }
    }
}

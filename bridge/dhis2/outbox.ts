import type Database from 'better-sqlite3'
import type { StateDb } from '../state/db'

/**
 * The one outbox of DHIS2 aggregate values, for every "family" of values the bridge writes:
 * `revenue` (PAYREV totals, docs/contract.md §3), `lmis` (monthly dispensed quantities, §4) and
 * `recon` (reconciliation values, §7). One table (`dhis2_values`, migration step 4), one row per
 * (family, key): what the key should hold (`desired`) against what DHIS2 last accepted. The
 * difference is what goes out; it survives restarts, and a newer total simply replaces an unsent one.
 *
 * How a family plugs in:
 *  1. It declares its values: a stable `key` (unique within the family), the ledger `facility`
 *     code, the `dataElement` (a code or reference the family resolves later), `period`, the
 *     category option combo either as a reference (`coc`) or as `channel`/`service` the family
 *     maps to a combo, an optional JSON `detail` of its own, and the desired number `value`.
 *     Values are written per `scope` (a group recomputed together, e.g. `facility|period`) with
 *     `replaceScope`: the zero rule applies (a key that had — or may have had — a value in DHIS2
 *     falls to 0, a never-sent one is dropped).
 *  2. At push time it reads `pending()`, resolves each value against live metadata into a
 *     `ResolvedValue` (UIDs) or a local refusal (see sender.ts), and hands the resolved values
 *     to `sendValues` (sender.ts): batching, import-summary judgement, conflicts mapped to values,
 *     markSent / markAccepted / markRejected here. A dry run calls `previewAgainstServer` instead.
 */
export const VALUE_FAMILIES = ['revenue', 'lmis', 'recon'] as const
export type ValueFamily = (typeof VALUE_FAMILIES)[number]

/** A value a family wants DHIS2 to hold. */
export interface DesiredValue {
    key: string
    facility: string
    dataElement: string
    period: string
    /** Category option combo reference, when the family knows it (lmis); else null. */
    coc?: string | null
    /** Revenue's disaggregation, mapped to a combo at push time; else null. */
    channel?: string | null
    service?: string | null
    /** The family's own data, kept as JSON (lmis: the products behind the total). */
    detail?: unknown
    value: number
}

/** A value as the outbox holds it. */
export interface OutboxValue {
    family: ValueFamily
    key: string
    scope: string
    facility: string
    dataElement: string
    period: string
    coc: string | null
    channel: string | null
    service: string | null
    detail: unknown
    desired: number | null
    accepted: number | null
    lastErrorCode: string | null
    lastErrorMessage: string | null
}

export interface Rejection {
    key: string
    code: string | null
    message: string
}

/** A row as SQLite gives it: the family's detail still in JSON. */
type Row = Omit<OutboxValue, 'detail'> & { detail: string | null }

const COLUMNS = `family, key, scope, facility, data_element AS dataElement, period, coc, channel, service, detail, desired, accepted,
                 last_error_code AS lastErrorCode, last_error_message AS lastErrorMessage`

const toValue = (r: Row): OutboxValue => ({ ...r, detail: r.detail === null ? null : (JSON.parse(r.detail) as unknown) })

/** The outbox of one family. */
export class Outbox {
    constructor(
        private readonly db: StateDb,
        readonly family: ValueFamily
    ) {}

    // Prepared once per outbox: replaceScope runs once per recomputed scope (thousands in a replay).
    private statements: { existing: Database.Statement; upsert: Database.Statement; zero: Database.Statement; drop: Database.Statement } | null = null

    private prepared() {
        return (this.statements ??= {
            existing: this.db.prepare('SELECT key, accepted, sent_unconfirmed FROM dhis2_values WHERE family = ? AND scope = ?'),
            upsert: this.db.prepare(
                `INSERT INTO dhis2_values (family, key, scope, facility, data_element, period, coc, channel, service, detail, desired)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT(family, key) DO UPDATE SET desired = excluded.desired, detail = excluded.detail`
            ),
            zero: this.db.prepare('UPDATE dhis2_values SET desired = 0 WHERE family = ? AND key = ?'),
            drop: this.db.prepare('DELETE FROM dhis2_values WHERE family = ? AND key = ?'),
        })
    }

    /** Replace the desired values of one scope by freshly computed ones (docs/contract.md §3 zero rule). */
    replaceScope(scope: string, values: DesiredValue[]): void {
        const { existing: selectExisting, upsert, zero, drop } = this.prepared()
        const existing = selectExisting.all(this.family, scope) as Array<{ key: string; accepted: number | null; sent_unconfirmed: number }>
        const fresh = new Set<string>()
        for (const v of values) {
            fresh.add(v.key)
            const detail = v.detail === undefined ? null : JSON.stringify(v.detail)
            upsert.run(this.family, v.key, scope, v.facility, v.dataElement, v.period, v.coc ?? null, v.channel ?? null, v.service ?? null, detail, v.value)
        }
        for (const row of existing) {
            if (fresh.has(row.key)) continue
            // Had a value in DHIS2 (or may have: sent without an answer) → send 0, never leave it stale.
            if (row.accepted !== null || row.sent_unconfirmed) zero.run(this.family, row.key)
            else drop.run(this.family, row.key)
        }
    }

    /** What DHIS2 does not hold yet, by period, facility, data element and key. */
    pending(): OutboxValue[] {
        const rows = this.db
            .prepare(
                `SELECT ${COLUMNS} FROM dhis2_values
                  WHERE family = ? AND desired IS NOT accepted AND desired IS NOT NULL
                  ORDER BY period, facility, data_element, key`
            )
            .all(this.family) as Row[]
        return rows.map(toValue)
    }

    markSent(keys: string[]): void {
        const stmt = this.db.prepare('UPDATE dhis2_values SET sent_unconfirmed = 1 WHERE family = ? AND key = ?')
        this.db.transaction(() => keys.forEach((k) => stmt.run(this.family, k)))()
    }

    markAccepted(values: Array<{ key: string; value: number }>, at: string): void {
        const stmt = this.db.prepare(
            'UPDATE dhis2_values SET accepted = ?, accepted_at = ?, sent_unconfirmed = 0, last_error_code = NULL, last_error_message = NULL WHERE family = ? AND key = ?'
        )
        this.db.transaction(() => values.forEach((v) => stmt.run(v.value, at, this.family, v.key)))()
    }

    markRejected(rejections: Rejection[]): void {
        const stmt = this.db.prepare('UPDATE dhis2_values SET sent_unconfirmed = 0, last_error_code = ?, last_error_message = ? WHERE family = ? AND key = ?')
        this.db.transaction(() => rejections.forEach((r) => stmt.run(r.code, r.message, this.family, r.key)))()
    }

    /** Operator `outbox drop`: DHIS2's value is taken as right (accepted at its desired total) until the ledger changes the key. */
    acceptAsIs(key: string): boolean {
        return (
            this.db
                .prepare('UPDATE dhis2_values SET accepted = desired, last_error_code = NULL, last_error_message = NULL WHERE family = ? AND key = ? AND desired IS NOT accepted')
                .run(this.family, key).changes === 1
        )
    }

    /** Values sent without an answer from DHIS2 (a run was killed between the POST and its reply). */
    unconfirmed(): number {
        return (this.db.prepare('SELECT COUNT(*) AS n FROM dhis2_values WHERE family = ? AND sent_unconfirmed = 1').get(this.family) as { n: number }).n
    }

    /** Another DHIS2 (another data set UID): nothing it holds can be assumed; every value goes out again. */
    forgetAccepted(): number {
        return this.db
            .prepare('UPDATE dhis2_values SET accepted = NULL, accepted_at = NULL, sent_unconfirmed = 0 WHERE family = ? AND (accepted IS NOT NULL OR sent_unconfirmed = 1)')
            .run(this.family).changes
    }

    /** Values of one facility DHIS2 does not hold yet (its last delivery waits for 0; contract/health.ts). */
    pendingFor(facility: string): number {
        return this.db.prepare('SELECT COUNT(*) FROM dhis2_values WHERE family = ? AND facility = ? AND desired IS NOT accepted').pluck().get(this.family, facility) as number
    }

    counts(): { keys: number; pending: number; rejected: number } {
        return this.db
            .prepare(
                // SUM over no row is NULL in SQL: an outbox with nothing in it must say 0 (issue 16).
                `SELECT COUNT(*) AS keys,
                        COALESCE(SUM(CASE WHEN desired IS NOT accepted THEN 1 ELSE 0 END), 0) AS pending,
                        COALESCE(SUM(CASE WHEN desired IS NOT accepted AND last_error_code IS NOT NULL THEN 1 ELSE 0 END), 0) AS rejected
                   FROM dhis2_values WHERE family = ?`
            )
            .get(this.family) as { keys: number; pending: number; rejected: number }
    }
}

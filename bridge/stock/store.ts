import type { Bilingual } from '../domain/line'
import type { Statement } from 'better-sqlite3'
import type { StateDb } from '../state/db'
import { buildBody, contentKey, type ComputedRecord, type OutflowBody, type RecordContent } from './records'

/*
 * The stock leg's own tables (created by step 2 of state/migrations.ts):
 * stock_records: the current revision of every record and its frozen body (one body per id and
 *   revision, ever), plus what MEDEXIS holds.
 * stock_outbox: records whose latest revision MEDEXIS could not take yet (5xx, time-outs); sent
 *   first at the next run.
 * The monthly LMIS values live in the DHIS2 outbox (dhis2/outbox.ts, family `lmis`).
 */

/** Whether the stock tables exist (a read-only state of a bridge that never ran the stock leg has none). */
export function stockTablesExist(db: StateDb): boolean {
    return !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'stock_records'").get()
}

export interface StoredRecord {
    id: string
    facility: string
    product: string
    date: string
    scope: string
    revision: number
    body: OutflowBody
    quantity: number
    amountXof: number
    ledgerLines: number
    ledgerCodes: string[]
    negative: boolean
    deliveredRevision: number | null
    maybeDelivered: boolean
    rejectedRevision: number | null
    rejectStatus: number | null
    rejectReason: Bilingual | null
    inOutbox: boolean
}

interface Row {
    id: string
    facility: string
    product: string
    date: string
    scope: string
    revision: number
    content: string
    body: string
    quantity: number
    amount_xof: number
    ledger_lines: number
    ledger_codes: string
    negative: number
    delivered_revision: number | null
    maybe_delivered: number
    rejected_revision: number | null
    reject_status: number | null
    reject_reason: string | null
    in_outbox?: number
}

function toStored(r: Row): StoredRecord {
    return {
        id: r.id,
        facility: r.facility,
        product: r.product,
        date: r.date,
        scope: r.scope,
        revision: r.revision,
        body: JSON.parse(r.body) as OutflowBody,
        quantity: r.quantity,
        amountXof: r.amount_xof,
        ledgerLines: r.ledger_lines,
        ledgerCodes: JSON.parse(r.ledger_codes) as string[],
        negative: r.negative === 1,
        deliveredRevision: r.delivered_revision,
        maybeDelivered: r.maybe_delivered === 1,
        rejectedRevision: r.rejected_revision,
        rejectStatus: r.reject_status,
        rejectReason: r.reject_reason ? (JSON.parse(r.reject_reason) as Bilingual) : null,
        inOutbox: r.in_outbox === 1,
    }
}

/**
 * A record MEDEXIS should receive: its latest revision is neither held there nor refused, and it
 * is not a 0 that MEDEXIS never saw anything of (docs/contract.md §4: a never-sent 0 is not sent).
 */
const PENDING = `r.revision > COALESCE(r.delivered_revision, 0)
    AND r.revision IS NOT r.rejected_revision
    AND NOT (r.quantity = 0 AND r.maybe_delivered = 0)`

export interface ApplyOutcome {
    /** Records of these scopes after recomputation (zeroed ones included). */
    records: StoredRecord[]
    /** Ids whose revision went up (new records included). */
    changed: string[]
}

export class StockStore {
    constructor(private readonly db: StateDb) {}

    // Prepared on first use: planScope and applyPlan run once per recomputed scope.
    private ofScope: Statement | null = null
    private byId: Statement | null = null
    private startedEmpty: boolean | null = null
    private writes: { upsert: Statement; unqueue: Statement; outboxHolds: Statement } | null = null

    private rowsOfScope(scope: string): Row[] {
        return (this.ofScope ??= this.db.prepare('SELECT * FROM stock_records WHERE scope = ?')).all(scope) as Row[]
    }

    /**
     * Replace the records of one scope by freshly computed ones. Same content → same revision;
     * other content → revision + 1 with a new frozen body; a record of the scope that no longer
     * has lines falls to quantity 0.
     */
    planScope(scope: string, computed: ComputedRecord[], orgUnitOf: (facility: string) => string | null): { upserts: Array<{ row: Omit<Row, 'delivered_revision' | 'maybe_delivered' | 'rejected_revision' | 'reject_status' | 'reject_reason'>; isNew: boolean; bumped: boolean }> } {
        const existing = new Map(this.rowsOfScope(scope).map((r) => [r.id, r]))
        // A record may have been computed in another scope before (the state's cut is fixed, so only on a mapping change).
        // Not when the table held no record as this store began (a first sync): within one run a record's
        // facility and date give one scope, so the only records it can meet are in `existing`.
        this.startedEmpty ??= this.db.prepare('SELECT 1 FROM stock_records LIMIT 1').get() === undefined
        const lookup = this.startedEmpty ? null : (this.byId ??= this.db.prepare('SELECT * FROM stock_records WHERE id = ?'))
        const upserts: Array<{ row: Omit<Row, 'delivered_revision' | 'maybe_delivered' | 'rejected_revision' | 'reject_status' | 'reject_reason'>; isNew: boolean; bumped: boolean }> = []
        const seen = new Set<string>()
        const plan = (c: RecordContent & { id: string }, ledgerCodes: string[], negative: boolean) => {
            seen.add(c.id)
            const before = existing.get(c.id) ?? (lookup?.get(c.id) as Row | undefined)
            const content = contentKey(c)
            const same = before && before.content === content
            const revision = !before ? 1 : same ? before.revision : before.revision + 1
            const body = same ? before!.body : JSON.stringify(buildBody(c, revision, orgUnitOf(c.facility)))
            upserts.push({
                row: {
                    id: c.id,
                    facility: c.facility,
                    product: c.product,
                    date: c.date,
                    scope,
                    revision,
                    content,
                    body,
                    quantity: c.quantity,
                    amount_xof: c.amountXof,
                    ledger_lines: c.ledgerLines,
                    ledger_codes: JSON.stringify(ledgerCodes),
                    negative: negative ? 1 : 0,
                },
                isNew: !before,
                bumped: !!before && !same,
            })
        }
        for (const c of computed) plan(c, c.ledgerCodes, c.negative)
        for (const r of existing.values()) {
            if (seen.has(r.id)) continue
            const body = JSON.parse(r.body) as OutflowBody
            plan(
                { id: r.id, facility: r.facility, product: r.product, productName: body.product.name, date: r.date, quantity: 0, unit: body.unit, amountXof: 0, ledgerLines: 0 },
                JSON.parse(r.ledger_codes) as string[],
                false
            )
        }
        return { upserts }
    }

    /** Write a plan (in the caller's transaction). */
    applyPlan(plan: ReturnType<StockStore['planScope']>, at: string): void {
        const st = (this.writes ??= {
            upsert: this.db.prepare(
                `INSERT INTO stock_records (id, facility, product, date, scope, revision, content, body, quantity, amount_xof, ledger_lines, ledger_codes, negative, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT(id) DO UPDATE SET scope = excluded.scope, revision = excluded.revision, content = excluded.content, body = excluded.body,
                   quantity = excluded.quantity, amount_xof = excluded.amount_xof, ledger_lines = excluded.ledger_lines,
                   ledger_codes = excluded.ledger_codes, negative = excluded.negative,
                   updated_at = CASE WHEN stock_records.revision = excluded.revision THEN stock_records.updated_at ELSE excluded.updated_at END`
            ),
            unqueue: this.db.prepare(`DELETE FROM stock_outbox WHERE id = ? AND NOT EXISTS (SELECT 1 FROM stock_records r WHERE r.id = stock_outbox.id AND ${PENDING})`),
            outboxHolds: this.db.prepare('SELECT EXISTS (SELECT 1 FROM stock_outbox)').pluck(),
        })
        // Nothing waits in the outbox (a first sync, most runs): no record can leave it.
        const outboxHolds = st.outboxHolds.get() === 1
        for (const { row: r } of plan.upserts) {
            // Positional: a first sync writes ~170 000 records, and named parameters cost a copy of each.
            st.upsert.run(r.id, r.facility, r.product, r.date, r.scope, r.revision, r.content, r.body, r.quantity, r.amount_xof, r.ledger_lines, r.ledger_codes, r.negative, at)
            // A record that stopped needing a send (e.g. a never-sent record fell to 0) leaves the outbox.
            if (outboxHolds) st.unqueue.run(r.id)
        }
    }

    get(id: string): StoredRecord | null {
        const row = this.db.prepare('SELECT r.*, (SELECT 1 FROM stock_outbox o WHERE o.id = r.id) AS in_outbox FROM stock_records r WHERE r.id = ?').get(id) as Row | undefined
        return row ? toStored(row) : null
    }

    /** Records to send, the outbox first (oldest first), then by date and id. */
    pending(): StoredRecord[] {
        const rows = this.db
            .prepare(
                `SELECT r.*, CASE WHEN o.id IS NULL THEN 0 ELSE 1 END AS in_outbox FROM stock_records r
                   LEFT JOIN stock_outbox o ON o.id = r.id
                  WHERE ${PENDING}
                  ORDER BY CASE WHEN o.id IS NULL THEN 1 ELSE 0 END, o.queued_at, r.date, r.id`
            )
            .all() as Row[]
        return rows.map(toStored)
    }

    markDelivered(id: string, revision: number, at: string): void {
        this.db.transaction(() => {
            this.db
                .prepare('UPDATE stock_records SET delivered_revision = MAX(COALESCE(delivered_revision, 0), ?), delivered_at = ?, maybe_delivered = 1 WHERE id = ?')
                .run(revision, at, id)
            this.db.prepare('DELETE FROM stock_outbox WHERE id = ?').run(id)
        })()
    }

    markRejected(id: string, revision: number, status: number, reason: Bilingual): void {
        this.db.transaction(() => {
            this.db.prepare('UPDATE stock_records SET rejected_revision = ?, reject_status = ?, reject_reason = ? WHERE id = ?').run(revision, status, JSON.stringify(reason), id)
            this.db.prepare('DELETE FROM stock_outbox WHERE id = ?').run(id)
        })()
    }

    /** Keep the record for the next run. `maybeDelivered`: the outcome is unknown (time-out, cut connection). */
    queue(id: string, at: string, failure: { status: number | null; error: string; attempts: number; maybeDelivered: boolean }): void {
        this.db.transaction(() => {
            this.db
                .prepare(
                    `INSERT INTO stock_outbox (id, queued_at, attempts, last_status, last_error) VALUES (?, ?, ?, ?, ?)
                     ON CONFLICT(id) DO UPDATE SET attempts = stock_outbox.attempts + excluded.attempts, last_status = excluded.last_status, last_error = excluded.last_error`
                )
                .run(id, at, failure.attempts, failure.status, failure.error)
            if (failure.maybeDelivered) this.db.prepare('UPDATE stock_records SET maybe_delivered = 1 WHERE id = ?').run(id)
        })()
    }

    hasRecords(): boolean {
        return !!this.db.prepare('SELECT 1 FROM stock_records LIMIT 1').get()
    }

    outboxSize(): number {
        return (this.db.prepare('SELECT COUNT(*) AS n FROM stock_outbox').get() as { n: number }).n
    }

    /** Records for export, by facility, date and product. Dates are inclusive YYYY-MM-DD bounds. */
    list(filter: { from?: string; to?: string; facility?: string } = {}): StoredRecord[] {
        const where: string[] = []
        const args: string[] = []
        if (filter.from) (where.push('r.date >= ?'), args.push(filter.from))
        if (filter.to) (where.push('r.date <= ?'), args.push(filter.to))
        if (filter.facility) (where.push('r.facility = ?'), args.push(filter.facility))
        const rows = this.db
            .prepare(
                `SELECT r.*, CASE WHEN o.id IS NULL THEN 0 ELSE 1 END AS in_outbox FROM stock_records r LEFT JOIN stock_outbox o ON o.id = r.id
                 ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.facility, r.date, r.product`
            )
            .all(...args) as Row[]
        return rows.map(toStored)
    }

    counts(): { records: number; waiting: number; rejected: number; pending: number } {
        const c = this.db
            .prepare(
                `SELECT COUNT(*) AS records,
                        SUM(CASE WHEN rejected_revision = revision THEN 1 ELSE 0 END) AS rejected
                   FROM stock_records`
            )
            .get() as { records: number; rejected: number | null }
        const pending = (this.db.prepare(`SELECT COUNT(*) AS n FROM stock_records r WHERE ${PENDING}`).get() as { n: number }).n
        return { records: c.records, rejected: c.rejected ?? 0, waiting: this.outboxSize(), pending }
    }

    /** Σ quantity per MEDEXIS product of one facility and month (YYYY-MM), with the ledger lines behind it. */
    monthTotals(facility: string, month: string): Array<{ product: string; quantity: number; ledgerLines: number; ledgerCodes: string[] }> {
        const rows = this.db
            .prepare(
                `SELECT product, SUM(quantity) AS quantity, SUM(ledger_lines) AS ledgerLines, json_group_array(ledger_codes) AS codes
                   FROM stock_records WHERE facility = ? AND date >= ? AND date <= ? GROUP BY product ORDER BY product`
            )
            .all(facility, `${month}-01`, `${month}-31`) as Array<{ product: string; quantity: number; ledgerLines: number; codes: string }>
        return rows.map((r) => ({
            product: r.product,
            quantity: Math.round(r.quantity * 1e6) / 1e6,
            ledgerLines: r.ledgerLines,
            ledgerCodes: [...new Set((JSON.parse(r.codes) as string[]).flatMap((c) => JSON.parse(c) as string[]))].sort(),
        }))
    }
}

import { parseScopeId } from '../aggregate/keys'
import type { LedgerLine } from '../domain/line'
import { supersedes, sameContent } from '../ledger/versions'
import type { StateDb } from './db'
import { FirstLoadAttempts } from './first-load-attempts'
import { decodeLine, encodeRest, LINE_COLUMNS, lineColumnsOf, storedAs, type LineRow } from './line-record'
import type { LineOrigin } from './lineage'

export type IngestOutcome = 'new' | 'changed' | 'unchanged' | 'stale'

/**
 * Line versions. A line is (transaction_id, line_no); a later version replaces the earlier one
 * (docs/contract.md §2 updated_at rule) and marks the scopes and attempts it touches as dirty, in the same
 * transaction, so a crash between ingestion and recomputation loses nothing.
 */
export class LineStore {
    private readonly select
    private readonly insert
    private readonly update
    private readonly markScope
    private readonly markAttempt
    private readonly archive
    private readonly markSource
    private readonly paymentElsewhere
    /** (scope, source) pairs already recorded in scope_sources by this store. */
    private readonly sourced = new Map<number, Set<string>>()
    /**
     * Scopes already marked dirty through this store since the last clearDirty (bounded by the
     * number of scopes), and the last attempt marked (a transaction's lines come together): a
     * row that is already in the table need not be inserted again for every line.
     */
    private readonly marked = new Set<string>()
    private lastAttempt = ''
    /** The run whose first ingest was seen, and whether the state held no line at that moment. */
    private runSeen: number | null = null
    private firstLoad = false
    /** In a first load: the attempts that may span scopes, so that a recompute asks only for those. */
    private firstLoadAttempts: FirstLoadAttempts | null = null

    constructor(
        private readonly db: StateDb,
        /** Tests: a small filter and cap, to exercise false positives and the fall-back. */
        private readonly attemptOpts?: ConstructorParameters<typeof FirstLoadAttempts>[1]
    ) {
        // The line's columns, then its scope (LineRow's rest).
        this.select = db.prepare(`SELECT ${LINE_COLUMNS}, scope FROM lines WHERE transaction_id = ? AND line_no = ?`).raw()
        // New lines are the common case (a first sync, each day's new rows): try the insert first.
        this.insert = db.prepare(
            `INSERT INTO lines (transaction_id, line_no, facility, scope, channel, type, service, updated_at, data, run_id, source_id, source_row) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (transaction_id, line_no) DO NOTHING`
        )
        this.update = db.prepare(
            'UPDATE lines SET facility = ?, scope = ?, channel = ?, type = ?, service = ?, updated_at = ?, data = ?, run_id = ?, source_id = ?, source_row = ? WHERE transaction_id = ? AND line_no = ?'
        )
        // Lineage: the version being replaced is kept, with the run that replaced it (docs/traceability.md).
        this.archive = db.prepare(
            `INSERT INTO line_history (${LINE_COLUMNS}, scope, source_id, source_row, run_id, replaced_by_run)
             SELECT ${LINE_COLUMNS}, scope, source_id, source_row, run_id, ? FROM lines WHERE transaction_id = ? AND line_no = ?`
        )
        this.markScope = db.prepare('INSERT OR IGNORE INTO dirty_scopes (scope) VALUES (?)')
        this.markSource = db.prepare('INSERT OR IGNORE INTO scope_sources (scope, source_id) VALUES (?, ?)')
        this.markAttempt = db.prepare('INSERT OR IGNORE INTO dirty_attempts (transaction_id, channel) VALUES (?, ?)')
        // An attempt's payment lines outside one scope (the primary key's transaction_id prefix).
        this.paymentElsewhere = db.prepare(`SELECT ${LINE_COLUMNS} FROM lines WHERE transaction_id = ? AND channel = ? AND type = 'PAYMENT' AND scope <> ?`).raw()
    }

    /** `origin`: where this version was read (lineage); absent, the position is recorded as unknown. */
    ingest(line: LedgerLine, scope: string, runId: number, origin?: LineOrigin): IngestOutcome {
        const data = encodeRest(line)
        const sourceId = origin?.sourceId ?? null
        const sourceRow = origin?.row ?? null
        if (runId !== this.runSeen) {
            this.runSeen = runId
            this.firstLoad = this.db.prepare('SELECT 1 FROM lines LIMIT 1').get() === undefined
            this.firstLoadAttempts = this.firstLoad ? new FirstLoadAttempts((t, c, s) => this.paymentElsewhere.get(t, c, s) !== undefined, this.attemptOpts) : null
        }
        if (this.insert.run(line.transactionId, line.lineNo, line.facilityCode, scope, line.channel, line.type, line.service, line.updatedAt, data, runId, sourceId, sourceRow).changes === 1) {
            this.touch(line, scope, !this.firstLoad)
            this.firstLoadAttempts?.sawNew(line, scope)
            this.sourceBrought(scope, sourceId)
            return 'new'
        }
        const row = this.select.get(line.transactionId, line.lineNo) as LineRow
        const rowScope = row[8] as string
        // The same stored form is the same content (a re-export of the whole ledger); otherwise compare fields.
        if (storedAs(row, line, data)) return 'unchanged'
        const current = decodeLine(row)
        if (sameContent(current, line)) return 'unchanged'
        if (!supersedes(line, current)) return 'stale'
        this.archive.run(runId, line.transactionId, line.lineNo)
        this.update.run(line.facilityCode, scope, line.channel, line.type, line.service, line.updatedAt, data, runId, sourceId, sourceRow, line.transactionId, line.lineNo)
        this.touch(current, rowScope)
        this.touch(line, scope)
        this.firstLoadAttempts?.sawChanged(current, line)
        this.sourceBrought(scope, sourceId)
        return 'changed'
    }

    /** Lineage: this source brought a version to this scope (once per pair). */
    private sourceBrought(scope: string, sourceId: number | null): void {
        if (sourceId === null) return
        // Per source, the scopes: no pair text built for every line.
        let scopes = this.sourced.get(sourceId)
        if (!scopes) this.sourced.set(sourceId, (scopes = new Set()))
        if (scopes.has(scope)) return
        this.markSource.run(scope, sourceId)
        scopes.add(scope)
    }

    /**
     * `attempt`: whether the line's attempt must be recomputed wherever its other lines are. Not
     * for a new line of a first load: every other line of its attempt is new in this run too,
     * so their scopes are marked by their own touch (and a first sync of 1 M lines skips as many
     * dirty_attempts rows, and the join that reads them back).
     */
    private touch(line: LedgerLine, scope: string, attempt = true): void {
        if (!this.marked.has(scope)) {
            this.markScope.run(scope)
            this.marked.add(scope)
        }
        if (attempt && line.type === 'PAYMENT') {
            const attempt = `${line.channel}|${line.transactionId}`
            if (attempt !== this.lastAttempt) {
                this.markAttempt.run(line.transactionId, line.channel)
                this.lastAttempt = attempt
            }
        }
    }

    /** Every scope to recompute: dirty ones plus those of every line of a dirty attempt. */
    dirtyScopes(): string[] {
        const rows = this.db
            .prepare(
                // CROSS JOIN keeps dirty_attempts as the outer loop: without it SQLite scans every
                // line to probe the few dirty attempts, and an incremental run costs the whole ledger.
                `SELECT scope FROM dirty_scopes
                 UNION
                 SELECT l.scope FROM dirty_attempts a CROSS JOIN lines l
                   ON l.transaction_id = a.transaction_id AND l.channel = a.channel AND l.type = 'PAYMENT'
                 ORDER BY 1`
            )
            .all() as Array<{ scope: string }>
        return rows.map((r) => r.scope)
    }

    clearDirty(): void {
        this.db.exec('DELETE FROM dirty_scopes; DELETE FROM dirty_attempts;')
        this.marked.clear()
        this.lastAttempt = ''
    }

    /**
     * Lines needed to recompute one scope: its own lines, plus the other payment lines of
     * every attempt that has a payment line in it (an attempt counts where its earliest line is).
     */
    private scopeQuery: ReturnType<StateDb['prepare']> | null = null

    linesForScope(scope: string): LedgerLine[] {
        return this.readScope(scope).lines
    }

    /**
     * linesForScope, and among them the scope's own pharmacy lines (what pharmacyLines reads, in
     * the same order): the sync's recompute reads a scope once for the revenue and the stock leg.
     */
    readScope(scope: string): ScopeRead {
        const tracked = this.firstLoadAttempts
        if (tracked && !tracked.overflowed) return this.firstLoadScope(scope, tracked)
        // Prepared once: this runs for every recomputed scope. The last column tells the scope's own lines.
        const rows = (this.scopeQuery ??= this.db
            .prepare(
                `SELECT ${LINE_COLUMNS}, 1 FROM lines WHERE scope = @scope
                 UNION ALL
                 SELECT ${lineColumnsOf('l')}, 0 FROM lines l
                   JOIN (SELECT DISTINCT transaction_id, channel FROM lines WHERE scope = @scope AND type = 'PAYMENT') a
                     ON l.transaction_id = a.transaction_id AND l.channel = a.channel
                  WHERE l.type = 'PAYMENT' AND l.scope <> @scope`
            )
            .raw())
            .all({ scope }) as LineRow[]
        return decodeScope(rows, (row) => row[8] === 1)
    }

    /** The same lines in the run of a first load: the scope's own, and elsewhere only those of the attempts that may span scopes. */
    private ownQuery: ReturnType<StateDb['prepare']> | null = null

    private firstLoadScope(scope: string, tracked: FirstLoadAttempts): ScopeRead {
        const rows = (this.ownQuery ??= this.db.prepare(`SELECT ${LINE_COLUMNS} FROM lines WHERE scope = ?`).raw()).all(scope) as LineRow[]
        const own = rows.length
        if (!tracked.noneFlagged) {
            const asked = new Set<string>()
            for (let i = 0; i < own; i++) {
                const [transactionId, , , channel, type] = rows[i]
                if (type !== 'PAYMENT' || !tracked.mayHaveLinesElsewhere(channel, transactionId)) continue
                const attempt = `${channel}|${transactionId}`
                if (asked.has(attempt)) continue
                asked.add(attempt)
                for (const row of this.paymentElsewhere.all(transactionId, channel, scope) as LineRow[]) rows.push(row)
            }
        }
        return decodeScope(rows, (_, i) => i < own)
    }

    /**
     * The stock leg's lines of one scope, outside a sync (the stock command, the reconciliation
     * of months a run did not recompute): its own pharmacy lines (latest versions), nothing from
     * other periods, through lines_scope. A sync takes them from readScope instead.
     */
    private pharmacyQuery: ReturnType<StateDb['prepare']> | null = null

    pharmacyLines(scope: string): LedgerLine[] {
        const rows = (this.pharmacyQuery ??= this.db.prepare(`SELECT ${LINE_COLUMNS} FROM lines WHERE scope = ? AND service = 'PHARMACY'`).raw()).all(scope) as LineRow[]
        return rows.map(decodeLine)
    }

    count(): number {
        return (this.db.prepare('SELECT COUNT(*) AS n FROM lines').get() as { n: number }).n
    }
}

/** The lines a scope's recompute needs, and among them its own pharmacy lines (the stock leg's). */
export interface ScopeRead {
    lines: LedgerLine[]
    ownPharmacy: LedgerLine[]
}

/** Decoded lines of a scope's read, and its own pharmacy lines. */
function decodeScope(rows: LineRow[], isOwn: (row: LineRow, i: number) => boolean): ScopeRead {
    const lines: LedgerLine[] = new Array(rows.length)
    const ownPharmacy: LedgerLine[] = []
    for (let i = 0; i < rows.length; i++) {
        const line = (lines[i] = decodeLine(rows[i]))
        if (line.service === 'PHARMACY' && isOwn(rows[i], i)) ownPharmacy.push(line)
    }
    return { lines, ownPharmacy }
}

/**
 * The scopes (`facility|period`) that hold lines, for these periods: a walk of the lines_scope
 * index from one scope to the next (one seek per scope), so the cost follows the number of
 * scopes, not of lines. (Skipping a facility at once is not safe: a code may hold '|', so
 * another facility's scopes can sort between two of its own.)
 */
export function scopesWithLines(db: StateDb, periods: readonly string[]): string[] {
    const wanted = new Set(periods)
    const next = db.prepare('SELECT scope FROM lines WHERE scope > ? ORDER BY scope LIMIT 1').pluck()
    const out: string[] = []
    for (let scope = next.get('') as string | undefined; scope !== undefined; scope = next.get(scope) as string | undefined) {
        if (wanted.has(parseScopeId(scope).period)) out.push(scope)
    }
    return out
}

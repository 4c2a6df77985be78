import type Database from 'better-sqlite3'
import type { LedgerLine } from '../domain/line'
import type { ValueFamily } from '../dhis2/outbox'
import type { StateDb } from './db'
import { decodeLine, lineColumnsOf, type LineRow } from './line-record'

/** Where one line version came from: a source id of `line_sources` and its row there. */
export interface LineOrigin {
    sourceId: number
    row: number
}

/** Source name → small integer, remembered for the life of the store. */
export class SourceRegistry {
    private readonly ids = new Map<string, number>()
    constructor(private readonly db: StateDb) {}

    idOf(name: string): number {
        const known = this.ids.get(name)
        if (known !== undefined) return known
        this.db.prepare('INSERT OR IGNORE INTO line_sources (name) VALUES (?)').run(name)
        const id = this.db.prepare('SELECT id FROM line_sources WHERE name = ?').pluck().get(name) as number
        this.ids.set(name, id)
        return id
    }
}

export type SendOutcome = 'ACCEPTED' | 'REFUSED' | 'WAITING'

export interface SendRow {
    key: string
    runId: number
    at: string
    value: number
    outcome: SendOutcome
    errorCode: string | null
    repeats: number
    lastRunId: number | null
    lastAt: string | null
}

/**
 * The send history of values. `waiting` is written before the request (a run killed or cut off
 * leaves WAITING: sent, no answer), `settle` writes DHIS2's answer and folds a row identical to
 * the previous one for its key into it.
 */
export class SendLog {
    private statements: Record<'insert' | 'previous' | 'fold' | 'drop' | 'answer', Database.Statement> | null = null
    /** `family`: the outbox family whose values these are (bridge/dhis2/outbox.ts); keys are unique within it. */
    constructor(
        private readonly db: StateDb,
        readonly family: ValueFamily = 'revenue'
    ) {}

    private prepared() {
        return (this.statements ??= {
            insert: this.db.prepare("INSERT INTO value_sends (family, key, run_id, at, value, outcome) VALUES (?, ?, ?, ?, ?, 'WAITING')"),
            // The row before this one for the same key, and whether it sent the same value: one read per answer.
            previous: this.db.prepare(
                `SELECT p.id, p.value IS c.value AS sameValue, p.outcome, p.error_code AS errorCode
                   FROM value_sends c JOIN value_sends p ON p.family = c.family AND p.key = c.key AND p.id < c.id
                  WHERE c.id = ? ORDER BY p.id DESC LIMIT 1`
            ),
            fold: this.db.prepare('UPDATE value_sends SET repeats = repeats + 1, last_run_id = ?, last_at = ? WHERE id = ?'),
            drop: this.db.prepare('DELETE FROM value_sends WHERE id = ?'),
            answer: this.db.prepare('UPDATE value_sends SET outcome = ?, error_code = ? WHERE id = ?'),
        })
    }

    /** Before the request: one WAITING row per value; returns the row of each key. */
    waiting(runId: number, at: string, items: ReadonlyArray<{ key: string; value: number }>): Map<string, number> {
        const { insert } = this.prepared()
        const rows = new Map<string, number>()
        this.db.transaction(() => {
            for (const it of items) rows.set(it.key, Number(insert.run(this.family, it.key, runId, at, it.value).lastInsertRowid))
        })()
        return rows
    }

    /** DHIS2's answer for each key sent; a repeat of the previous row (same value, same answer) is folded into it. */
    settle(rows: Map<string, number>, runId: number, at: string, answers: ReadonlyArray<{ key: string; outcome: Exclude<SendOutcome, 'WAITING'>; errorCode: string | null }>): void {
        const { previous, fold, drop, answer } = this.prepared()
        this.db.transaction(() => {
            for (const a of answers) {
                const id = rows.get(a.key)
                if (id === undefined) continue
                const prev = previous.get(id) as { id: number; sameValue: 0 | 1; outcome: string; errorCode: string | null } | undefined
                if (prev && prev.sameValue === 1 && prev.outcome === a.outcome && prev.errorCode === a.errorCode) {
                    fold.run(runId, at, prev.id)
                    drop.run(id)
                } else answer.run(a.outcome, a.errorCode, id)
            }
        })()
    }

    forKeys(keys: readonly string[]): SendRow[] {
        const stmt = this.db.prepare(
            `SELECT key, run_id AS runId, at, value, outcome, error_code AS errorCode, repeats, last_run_id AS lastRunId, last_at AS lastAt
               FROM value_sends WHERE family = ? AND key = ? ORDER BY id`
        )
        return keys.flatMap((k) => stmt.all(this.family, k) as SendRow[]).sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
    }

    /**
     * Per facility × period of these facilities, the runs that sent its values, with the time of
     * their first send there, in run order: one read for all of them (the panel is rebuilt after
     * every run, and a read per scope cost more than the rest of an incremental sync's lineage).
     */
    runsByScope(facilities: readonly string[]): Map<string, Array<{ runId: number; at: string; values: number }>> {
        // CROSS JOIN fixes the order: the facilities' values first, then their sends by index.
        // Left to itself SQLite may walk every send of the family instead.
        const rows = this.db
            .prepare(
                `SELECT dv.scope, vs.run_id AS runId, MIN(vs.at) AS at, COUNT(*) AS "values"
                   FROM dhis2_values dv CROSS JOIN value_sends vs ON vs.family = dv.family AND vs.key = dv.key
                  WHERE dv.family = ? AND dv.facility IN (SELECT value FROM json_each(?))
                  GROUP BY dv.scope, vs.run_id ORDER BY dv.scope, vs.run_id`
            )
            .all(this.family, JSON.stringify(facilities)) as Array<{ scope: string; runId: number; at: string; values: number }>
        const out = new Map<string, Array<{ runId: number; at: string; values: number }>>()
        for (const { scope, ...run } of rows) {
            let runs = out.get(scope)
            if (!runs) out.set(scope, (runs = []))
            runs.push(run)
        }
        return out
    }
}

/** A line version with where it came from, as explain shows it. */
export interface TracedLine {
    line: LedgerLine
    source: string | null
    row: number | null
    runId: number
    /** Only for a replaced version: the run whose later version replaced it. */
    replacedByRun?: number
}

/** A raw row: the line's LINE_COLUMNS, then its source name, source row, run, and for a replaced version the run that replaced it. */
const toTraced = (r: LineRow): TracedLine => {
    const [source, row, runId, replacedByRun] = r.slice(8) as [string | null, number | null, number, number | undefined]
    return { line: decodeLine(r), source, row, runId, ...(replacedByRun !== undefined ? { replacedByRun } : {}) }
}

/**
 * The lines explain needs for one scope: the same set as LineStore.linesForScope (the scope's
 * lines plus the other payment lines of its attempts), with their origin.
 */
export function tracedLinesForScope(db: StateDb, scope: string): TracedLine[] {
    const rows = db
        .prepare(
            `SELECT ${lineColumnsOf('l')}, s.name, l.source_row, l.run_id FROM lines l LEFT JOIN line_sources s ON s.id = l.source_id WHERE l.scope = @scope
             UNION ALL
             SELECT ${lineColumnsOf('l')}, s.name, l.source_row, l.run_id FROM lines l
               JOIN (SELECT DISTINCT transaction_id, channel FROM lines WHERE scope = @scope AND type = 'PAYMENT') a
                 ON l.transaction_id = a.transaction_id AND l.channel = a.channel
               LEFT JOIN line_sources s ON s.id = l.source_id
              WHERE l.type = 'PAYMENT' AND l.scope <> @scope`
        )
        .raw()
        .all({ scope }) as LineRow[]
    return rows.map(toTraced)
}

/** Replaced versions of lines that were in this scope. */
export function replacedLinesForScope(db: StateDb, scope: string): TracedLine[] {
    const rows = db
        .prepare(
            `SELECT ${lineColumnsOf('h')}, s.name, h.source_row, h.run_id, h.replaced_by_run
               FROM line_history h LEFT JOIN line_sources s ON s.id = h.source_id WHERE h.scope = ? ORDER BY h.rowid`
        )
        .raw()
        .all(scope) as LineRow[]
    return rows.map(toTraced)
}

/** Per scope, the names of the sources that brought lines to it, sorted (for the app's panel: names only, no line). */
export function sourcesByScope(db: StateDb): Map<string, string[]> {
    const rows = db.prepare('SELECT ss.scope, s.name FROM scope_sources ss JOIN line_sources s ON s.id = ss.source_id ORDER BY s.name').all() as Array<{ scope: string; name: string }>
    const out = new Map<string, string[]>()
    for (const r of rows) {
        const names = out.get(r.scope)
        if (names) names.push(r.name)
        else out.set(r.scope, [r.name])
    }
    return out
}

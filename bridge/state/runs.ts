import type { QuarantineEntry } from '../domain/line'
import type { StateDb } from './db'
import { redact } from '../report/redact'

export interface RunRow {
    id: number
    command: string
    startedAt: string
    finishedAt: string | null
    exitCode: number | null
    summary: unknown
}

export class RunStore {
    constructor(private readonly db: StateDb) {}

    start(command: string, at: string): number {
        return Number(this.db.prepare('INSERT INTO runs (command, started_at) VALUES (?, ?)').run(command, at).lastInsertRowid)
    }

    finish(id: number, at: string, exitCode: number, summary: unknown): void {
        // The report as stored: no registered secret, whatever a server message may have echoed.
        this.db.prepare('UPDATE runs SET finished_at = ?, exit_code = ?, summary = ? WHERE id = ?').run(at, exitCode, redact(JSON.stringify(summary)), id)
    }

    /** Sync runs that never finished (power cut, kill -9), marked so that they are reported once. */
    takeInterrupted(): Array<{ id: number; startedAt: string }> {
        const interrupted = this.db
            .prepare("SELECT id, started_at AS startedAt FROM runs WHERE command = 'sync' AND finished_at IS NULL AND summary IS NULL ORDER BY id")
            .all() as Array<{ id: number; startedAt: string }>
        if (interrupted.length) this.db.prepare(`UPDATE runs SET summary = '{"interrupted":true}' WHERE id IN (${interrupted.map((r) => r.id).join(',')})`).run()
        return interrupted
    }

    quarantine(runId: number, entries: QuarantineEntry[], at: string): void {
        const stmt = this.db.prepare(
            'INSERT INTO quarantine (run_id, file, line, col, reason_fr, reason_en, raw, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
        )
        this.db.transaction(() => {
            for (const e of entries) stmt.run(runId, e.file, e.line, e.column, e.reason.fr, e.reason.en, JSON.stringify(e.raw), at)
        })()
    }

    recent(limit: number): RunRow[] {
        const rows = this.db
            .prepare('SELECT id, command, started_at, finished_at, exit_code, summary FROM runs ORDER BY id DESC LIMIT ?')
            .all(limit) as Array<{ id: number; command: string; started_at: string; finished_at: string | null; exit_code: number | null; summary: string | null }>
        return rows.map((r) => ({
            id: r.id,
            command: r.command,
            startedAt: r.started_at,
            finishedAt: r.finished_at,
            exitCode: r.exit_code,
            summary: r.summary ? JSON.parse(r.summary) : null,
        }))
    }

    lastSuccessAt(): string | null {
        const row = this.db.prepare("SELECT finished_at FROM runs WHERE command = 'sync' AND exit_code = 0 ORDER BY id DESC LIMIT 1").get() as
            | { finished_at: string }
            | undefined
        return row?.finished_at ?? null
    }

    quarantineCounts(): { total: number; lastRun: number } {
        const total = (this.db.prepare('SELECT COUNT(*) AS n FROM quarantine').get() as { n: number }).n
        const last = this.db.prepare('SELECT MAX(run_id) AS id FROM quarantine').get() as { id: number | null }
        const lastRun = last.id === null ? 0 : (this.db.prepare('SELECT COUNT(*) AS n FROM quarantine WHERE run_id = ?').get(last.id) as { n: number }).n
        return { total, lastRun }
    }
}

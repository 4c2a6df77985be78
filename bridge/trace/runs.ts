import type { StateDb } from '../state/db'
import { TraceArgumentError } from './explain-run'

/** `runs` and `runs show ID` (docs/contract.md §6): what each run read, recomputed and sent — from the state only. */
export interface RunListEntry {
    id: number
    command: string
    startedAt: string
    finishedAt: string | null
    exitCode: number | null
    linesRead: number | null
    quarantined: number | null
    valuesSent: number | null
    /** verify runs: drift found. */
    drifted: number | null
}

export interface RunDetail extends RunListEntry {
    interrupted: boolean
    /** Sources read (file paths or configured source names). */
    sources: string[]
    lines: { read: number; new: number; changed: number; unchanged: number; stale: number; quarantined: number } | null
    periodsRecomputed: number | null
    sent: { values: number; accepted: number; refused: number; waiting: number; repeats: number }
    /** Facility × periods this run sent values of, per family (revenue, lmis, recon). */
    scopes: Array<{ family: string; facility: string; period: string; values: number }>
    conflicts: number | null
    /** The run's own report, as it was printed (sync --json / verify --json). */
    summary: Record<string, unknown> | null
}

type Row = { id: number; command: string; started_at: string; finished_at: string | null; exit_code: number | null; summary: string | null }

function entry(r: Row): RunListEntry & { s: Record<string, unknown> | null } {
    const s = r.summary ? (JSON.parse(r.summary) as Record<string, unknown>) : null
    const num = (k: string) => (s && typeof s[k] === 'number' ? (s[k] as number) : null)
    return {
        id: r.id,
        command: r.command,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        exitCode: r.exit_code,
        linesRead: num('linesRead'),
        quarantined: num('quarantined'),
        valuesSent: num('valuesSent'),
        drifted: Array.isArray(s?.drifted) ? (s!.drifted as unknown[]).length : null,
        s,
    }
}

export function listRuns(db: StateDb, limit = 50): RunListEntry[] {
    const rows = db.prepare('SELECT id, command, started_at, finished_at, exit_code, summary FROM runs ORDER BY id DESC LIMIT ?').all(limit) as Row[]
    return rows.map((r) => {
        const { s: _s, ...e } = entry(r)
        return e
    })
}

export function showRun(db: StateDb, id: number): RunDetail {
    const row = db.prepare('SELECT id, command, started_at, finished_at, exit_code, summary FROM runs WHERE id = ?').get(id) as Row | undefined
    if (!row) {
        const last = db.prepare('SELECT MAX(id) FROM runs').pluck().get() as number | null
        throw new TraceArgumentError({
            fr: `Exécution n° ${id} inconnue${last ? ` (la dernière est la n° ${last})` : ' (aucune exécution enregistrée)'} : voir « revenue-bridge runs »`,
            en: `Unknown run #${id}${last ? ` (the last one is #${last})` : ' (no run recorded)'}: see "revenue-bridge runs"`,
        })
    }
    const { s, ...e } = entry(row)
    const n = (k: string) => (s && typeof s[k] === 'number' ? (s[k] as number) : 0)
    const sends = db
        .prepare(
            `SELECT SUM(CASE WHEN run_id = @id THEN 1 ELSE 0 END) AS "values",
                    SUM(CASE WHEN run_id = @id AND outcome = 'ACCEPTED' THEN 1 ELSE 0 END) AS accepted,
                    SUM(CASE WHEN run_id = @id AND outcome = 'REFUSED' THEN 1 ELSE 0 END) AS refused,
                    SUM(CASE WHEN run_id = @id AND outcome = 'WAITING' THEN 1 ELSE 0 END) AS waiting,
                    SUM(CASE WHEN last_run_id = @id AND run_id <> @id THEN 1 ELSE 0 END) AS repeats
               FROM value_sends WHERE run_id = @id OR last_run_id = @id`
        )
        .get({ id }) as Record<'values' | 'accepted' | 'refused' | 'waiting' | 'repeats', number | null>
    const scopes = db
        .prepare(
            `SELECT vs.family, dv.facility, dv.period, COUNT(*) AS "values" FROM value_sends vs JOIN dhis2_values dv ON dv.family = vs.family AND dv.key = vs.key
              WHERE vs.run_id = ? OR vs.last_run_id = ? GROUP BY dv.facility, dv.period, vs.family
              ORDER BY dv.facility, dv.period, CASE vs.family WHEN 'revenue' THEN 0 WHEN 'lmis' THEN 1 ELSE 2 END`
        )
        .all(id, id) as RunDetail['scopes']
    const isSync = row.command === 'sync' && s && 'linesRead' in s
    return {
        ...e,
        interrupted: !!s?.interrupted || row.finished_at === null,
        sources: Array.isArray(s?.files) ? (s!.files as string[]) : [],
        lines: isSync ? { read: n('linesRead'), new: n('linesNew'), changed: n('linesChanged'), unchanged: n('linesUnchanged'), stale: n('linesStale'), quarantined: n('quarantined') } : null,
        periodsRecomputed: isSync ? n('periodsRecomputed') : null,
        sent: { values: sends.values ?? 0, accepted: sends.accepted ?? 0, refused: sends.refused ?? 0, waiting: sends.waiting ?? 0, repeats: sends.repeats ?? 0 },
        scopes,
        conflicts: Array.isArray(s?.conflicts) ? (s!.conflicts as unknown[]).length : null,
        summary: s,
    }
}

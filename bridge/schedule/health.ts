import { isDelivery, type Health, type RunPoint } from '../../contract/health'
import type { Bilingual } from '../domain/line'
import { LEDGER_FOLDER_EMPTY } from '../ledger/paths'
import type { StateDb } from '../state/db'
import { Outbox } from '../dhis2/outbox'

/**
 * Health read from the state (so it survives a restart): the runs' stored reports, the outbox and
 * the quarantine. Words and rules in contract/health.ts; docs/installing.md §6.
 */
interface StoredSummary {
    exitCode?: number
    dhis2?: { reachable?: boolean }
    linesRead?: number
    valuesSent?: number
    valuesWaiting?: number | null
    valuesRejected?: number
    quarantined?: number
    warnings?: Array<Bilingual & { code?: string }>
    errors?: Bilingual[]
}

interface RunRecord {
    id: number
    finishedAt: string
    exitCode: number
    summary: StoredSummary
}

export interface LiveState {
    running: boolean
    failedInARow: number
    afterFailedRuns: number
    waitingLongerThanMinutes: number
    nextRunAt: Date | null
    now: Date
}

/** Finished sync runs, newest first (interrupted ones carry no report). */
function finishedRuns(db: StateDb, limit: number): RunRecord[] {
    const rows = db
        .prepare(
            `SELECT id, finished_at AS finishedAt, exit_code AS exitCode, summary FROM runs
              WHERE command = 'sync' AND finished_at IS NOT NULL AND summary IS NOT NULL ORDER BY id DESC LIMIT ?`
        )
        .all(limit) as Array<{ id: number; finishedAt: string; exitCode: number; summary: string }>
    return rows.map((r) => ({ ...r, summary: JSON.parse(r.summary) as StoredSummary }))
}

const delivered = (r: RunRecord) =>
    isDelivery({ exitCode: r.exitCode, reachable: r.summary.dhis2?.reachable ?? false, valuesRejected: r.summary.valuesRejected ?? 0, valuesWaiting: r.summary.valuesWaiting ?? 0 })

/**
 * Rows a run quarantined that the sync run before it had not (same file, line, column, reason
 * and row): those are new; the others are "still quarantined".
 */
export function quarantineNovelty(db: StateDb, runId: number): { newRows: number; stillRows: number } {
    const prev = db.prepare("SELECT MAX(id) AS id FROM runs WHERE command = 'sync' AND finished_at IS NOT NULL AND id < ?").get(runId) as { id: number | null }
    const row = db
        .prepare(
            `SELECT COUNT(*) AS total,
                    COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM quarantine p WHERE p.run_id = ? AND p.file = q.file AND p.line = q.line
                                 AND p.col IS q.col AND p.reason_en = q.reason_en AND p.raw = q.raw) THEN 1 ELSE 0 END), 0) AS still
               FROM quarantine q WHERE q.run_id = ?`
        )
        .get(prev.id ?? -1, runId) as { total: number; still: number }
    return { newRows: row.total - row.still, stillRows: row.still }
}

/** The last runs for the operator page's chart and table, oldest first. */
export function runHistory(db: StateDb, limit = 30): RunPoint[] {
    return finishedRuns(db, limit)
        .map((r) => {
            const s = r.summary
            return {
                id: r.id,
                finishedAt: r.finishedAt,
                exitCode: r.exitCode,
                delivered: delivered(r),
                linesRead: s.linesRead ?? 0,
                valuesSent: s.valuesSent ?? 0,
                valuesWaiting: s.valuesWaiting ?? 0,
                valuesRejected: s.valuesRejected ?? 0,
                quarantined: s.quarantined ?? 0,
                newlyQuarantined: quarantineNovelty(db, r.id).newRows,
            }
        })
        .reverse()
}

/** Runs in a row, newest first, that did not reach DHIS2 or failed (exit 4 or 1): for `status`, which has no scheduler's count. */
export function failedInARow(db: StateDb): number {
    let n = 0
    for (const r of finishedRuns(db, 100)) {
        if (r.exitCode !== 1 && r.exitCode !== 4) break
        n++
    }
    return n
}

/** isDelivery (contract/health.ts) in SQL, on the stored report. */
const DELIVERED_SQL = `exit_code IN (0, 3) AND json_extract(summary, '$.dhis2.reachable') = 1
    AND COALESCE(json_extract(summary, '$.valuesRejected'), 0) = 0 AND COALESCE(json_extract(summary, '$.valuesWaiting'), 0) = 0`

const FINISHED = "command = 'sync' AND finished_at IS NOT NULL AND summary IS NOT NULL AND json_valid(summary)"

function lastFinished(db: StateDb, where: string): { finishedAt: string } | null {
    return (db.prepare(`SELECT finished_at AS finishedAt FROM runs WHERE ${FINISHED} AND ${where} ORDER BY id DESC LIMIT 1`).get() as { finishedAt: string } | undefined) ?? null
}

function firstFinished(db: StateDb): { finishedAt: string } | null {
    return (db.prepare(`SELECT finished_at AS finishedAt FROM runs WHERE ${FINISHED} ORDER BY id LIMIT 1`).get() as { finishedAt: string } | undefined) ?? null
}

export function readHealth(db: StateDb, live: LiveState): Health {
    // Only the last run's report is parsed: every scrape of /metrics reads this, and a report can be long.
    const last = finishedRuns(db, 1)[0] ?? null
    const lastDelivery = lastFinished(db, DELIVERED_SQL)
    const lastClean = lastFinished(db, 'exit_code = 0')
    const outbox = new Outbox(db, 'revenue').counts()
    const problems: Bilingual[] = []
    let newProblems = 0
    let stillQuarantined = 0
    if (last) {
        const q = quarantineNovelty(db, last.id)
        stillQuarantined = q.stillRows
        const emptyFolders = (last.summary.warnings ?? []).filter((w) => w.code === LEDGER_FOLDER_EMPTY)
        const rejected = last.summary.valuesRejected ?? 0
        newProblems = q.newRows + rejected + emptyFolders.length
        if (q.newRows) problems.push({ fr: `${q.newRows} nouvelle(s) ligne(s) en quarantaine`, en: `${q.newRows} new row(s) in quarantine` })
        if (q.stillRows) problems.push({ fr: `${q.stillRows} ligne(s) toujours en quarantaine (inchangées)`, en: `${q.stillRows} row(s) still quarantined (unchanged)` })
        if (rejected) problems.push({ fr: `${rejected} valeur(s) refusée(s) par DHIS2`, en: `${rejected} value(s) refused by DHIS2` })
        for (const w of emptyFolders) problems.push({ fr: w.fr, en: w.en })
        for (const e of last.summary.errors ?? []) problems.push(e)
    }
    // Values wait since the last delivery, or since the first run when none ever delivered.
    const since = lastDelivery ?? firstFinished(db)
    const waitingSince = since ? Date.parse(since.finishedAt) : null
    const waitingTooLong = outbox.pending > 0 && waitingSince !== null && live.now.getTime() - waitingSince > live.waitingLongerThanMinutes * 60_000
    const failing = live.failedInARow >= live.afterFailedRuns || waitingTooLong
    if (live.failedInARow) problems.unshift({ fr: `${live.failedInARow} exécution(s) en échec de suite`, en: `${live.failedInARow} failed run(s) in a row` })
    if (waitingTooLong) {
        problems.unshift({
            fr: `${outbox.pending} valeur(s) en attente depuis plus de ${live.waitingLongerThanMinutes} min`,
            en: `${outbox.pending} value(s) waiting for more than ${live.waitingLongerThanMinutes} min`,
        })
    }
    return {
        status: failing ? 'failing' : newProblems || stillQuarantined || outbox.rejected ? 'problems' : 'ok',
        running: live.running,
        lastRunAt: last?.finishedAt ?? null,
        lastRunExitCode: last?.exitCode ?? null,
        lastDeliveryAt: lastDelivery?.finishedAt ?? null,
        lastCleanRunAt: lastClean?.finishedAt ?? null,
        newProblems,
        stillQuarantined,
        valuesWaiting: outbox.pending,
        valuesRejected: outbox.rejected,
        failedInARow: live.failedInARow,
        nextRunAt: live.nextRunAt?.toISOString() ?? null,
        problems,
    }
}

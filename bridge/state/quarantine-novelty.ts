import type { QuarantineEntry } from '../domain/line'
import type { StateDb } from './db'

/**
 * "New" against "still quarantined" (contract/health.ts): a row the previous finished sync run
 * quarantined too — same file, line, column, reason and row — is still quarantined; any other is
 * new. The same rule as bridge/schedule/health.ts applies in SQL to stored runs.
 */
const fingerprint = (file: string, line: number, column: string | null, reasonEn: string, raw: string) => JSON.stringify([file, line, column, reasonEn, raw])

/** Fingerprints of the quarantine of the last finished sync run before `runId`. */
export function previousQuarantine(db: StateDb, runId: number): Set<string> {
    const rows = db
        .prepare(
            `SELECT file, line, col, reason_en AS reasonEn, raw FROM quarantine
              WHERE run_id = (SELECT MAX(id) FROM runs WHERE command = 'sync' AND finished_at IS NOT NULL AND id < ?)`
        )
        .all(runId) as Array<{ file: string; line: number; col: string | null; reasonEn: string; raw: string }>
    return new Set(rows.map((r) => fingerprint(r.file, r.line, r.col, r.reasonEn, r.raw)))
}

/** This run's quarantined rows that the previous run did not have (stored as RunStore.quarantine stores them). */
export function isNewlyQuarantined(previous: Set<string>, e: QuarantineEntry): boolean {
    return !previous.has(fingerprint(e.file, e.line, e.column, e.reason.en, JSON.stringify(e.raw)))
}

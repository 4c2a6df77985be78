import type { StateDb } from './db'

/** What the operator commands (`outbox`, `quarantine`) read and change in the state. */
export interface OutboxEntry {
    key: string
    dataElement: string
    period: string
    facility: string
    channel: string
    service: string | null
    desired: number
    accepted: number | null
    lastErrorCode: string | null
    lastErrorMessage: string | null
}

export function listOutbox(db: StateDb): OutboxEntry[] {
    return db
        .prepare(
            `SELECT key, data_element AS dataElement, period, facility, channel, service, desired, accepted,
                    last_error_code AS lastErrorCode, last_error_message AS lastErrorMessage
               FROM data_values WHERE desired IS NOT accepted ORDER BY period, facility, data_element, key`
        )
        .all() as OutboxEntry[]
}

/**
 * Stop trying to send one value: DHIS2's value is taken as right (the key is marked as accepted
 * at its desired total). A later change of the ledger for that key makes it pending again.
 */
export function dropOutboxEntry(db: StateDb, key: string): boolean {
    return db.prepare('UPDATE data_values SET accepted = desired, last_error_code = NULL, last_error_message = NULL WHERE key = ? AND desired IS NOT accepted').run(key).changes === 1
}

export interface QuarantinedRow {
    id: number
    runId: number
    file: string
    line: number
    column: string | null
    reasonFr: string
    reasonEn: string
    raw: Record<string, string>
    createdAt: string
}

/** The rows of the latest run that quarantined anything: older runs re-read the same files. */
export function listQuarantine(db: StateDb, opts: { all?: boolean } = {}): QuarantinedRow[] {
    const where = opts.all ? '' : 'WHERE run_id = (SELECT MAX(run_id) FROM quarantine)'
    const rows = db
        .prepare(`SELECT id, run_id AS runId, file, line, col AS "column", reason_fr AS reasonFr, reason_en AS reasonEn, raw, created_at AS createdAt FROM quarantine ${where} ORDER BY id`)
        .all() as Array<Omit<QuarantinedRow, 'raw'> & { raw: string }>
    return rows.map((r) => ({ ...r, raw: JSON.parse(r.raw) as Record<string, string> }))
}

import { Outbox } from '../dhis2/outbox'
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
    return new Outbox(db, 'revenue')
        .pending()
        .map((v) => ({ key: v.key, dataElement: v.dataElement, period: v.period, facility: v.facility, channel: v.channel ?? '', service: v.service, desired: v.desired!, accepted: v.accepted, lastErrorCode: v.lastErrorCode, lastErrorMessage: v.lastErrorMessage }))
}

/**
 * Stop trying to send one value: DHIS2's value is taken as right (the key is marked as accepted
 * at its desired total). A later change of the ledger for that key makes it pending again.
 */
export function dropOutboxEntry(db: StateDb, key: string): boolean {
    return new Outbox(db, 'revenue').acceptAsIs(key)
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

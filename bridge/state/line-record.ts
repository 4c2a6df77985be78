import type { LedgerLine } from '../domain/line'

/*
 * How a line version is stored (state migration 7), in `lines` and `line_history` alike: the
 * fields the state looks lines up by are columns (transaction_id, line_no, facility, channel,
 * type, service, updated_at); the rest is one JSON array in `data`, in REST order. It replaced
 * the whole line as a JSON object, which repeated the columns and every field name: a stored
 * line went from ~350 to ~90 characters of data, so a commit writes and a recompute reads about
 * half the pages.
 */

/** The columns a line is read back from, in the order of a `LineRow`. */
export const LINE_COLUMNS = 'transaction_id, line_no, facility, channel, type, service, updated_at, data'

/** LINE_COLUMNS of a table alias, for joins (`l.transaction_id, l.line_no, …`). */
export const lineColumnsOf = (alias: string): string => LINE_COLUMNS.split(', ').map((c) => `${alias}.${c}`).join(', ')

/** A row selected with LINE_COLUMNS in raw mode (better-sqlite3 `.raw()`). */
export type LineRow = [string, number, string, string, string, string, string | null, string, ...unknown[]]

type Rest = [string, number, string, string | null, string | null, number | null, string | null, string | null, string | null]

/** `data` of a line: what no column holds. */
export function encodeRest(line: LedgerLine): string {
    const rest: Rest = [line.occurredAt, line.amountXof, line.status, line.productCode, line.productName, line.quantity, line.unit, line.operatorRefKey ?? null, line.cashierKey ?? null]
    return JSON.stringify(rest)
}

/** The line of a row read with LINE_COLUMNS (further columns after those are ignored). */
export function decodeLine(row: LineRow): LedgerLine {
    const r = JSON.parse(row[7]) as Rest
    const line: LedgerLine = {
        transactionId: row[0],
        lineNo: row[1],
        occurredAt: r[0],
        updatedAt: row[6],
        facilityCode: row[2],
        channel: row[3] as LedgerLine['channel'],
        service: row[5] as LedgerLine['service'],
        amountXof: r[1],
        type: row[4] as LedgerLine['type'],
        status: r[2] as LedgerLine['status'],
        productCode: r[3],
        productName: r[4],
        quantity: r[5],
        unit: r[6],
    }
    // Absent, not null, when the row had none (as the reader builds them).
    if (r[7] !== null) line.operatorRefKey = r[7]
    if (r[8] !== null) line.cashierKey = r[8]
    return line
}

/** Whether a stored row holds exactly this line (compared as stored: no decoding). */
export function storedAs(row: LineRow, line: LedgerLine, rest: string): boolean {
    return row[7] === rest && row[2] === line.facilityCode && row[3] === line.channel && row[4] === line.type && row[5] === line.service && row[6] === line.updatedAt
}

/** SQL: the `data` of migration 7 from a line stored as a JSON object (migration only). */
export function restFromObjectSql(column: string): string {
    const field = (name: string) => `json_extract(${column}, '$.${name}')`
    return `json_array(${['occurredAt', 'amountXof', 'status', 'productCode', 'productName', 'quantity', 'unit', 'operatorRefKey', 'cashierKey'].map(field).join(', ')})`
}

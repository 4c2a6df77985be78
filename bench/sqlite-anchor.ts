/**
 * The honest limit of a first sync: the `sqlite3` command-line tool imports the same canonical file
 * into a table keyed by (transaction_id, line_no) — the bridge must remember every line, for late
 * changes — then sums the same keys as the awk reference (bench/awk.ts), printed in the same form so
 * that its totals are checked equal before its time is compared. Same journal settings as the
 * bridge's state (bridge/state/db.ts: WAL, synchronous NORMAL, 16 MiB page cache), a file in the
 * same temporary directory as the benchmark's state. SQLite's own C import: no validation, no
 * time zones, no versions — a floor, not a competitor.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseTotals, timedRun } from './awk'

export const SQLITE3 = '/usr/bin/sqlite3'

export interface SqliteAnchorResult {
    wallMs: number
    cpuMs: number | null
    peakRssMiB: number | null
    lines: number
    totals: Map<string, number>
    dbBytes: number
    version: string
}

const INTEGER_COLUMNS = new Set(['line_no', 'amount_xof'])

/** The script fed to `sqlite3 DB`: table from the file's header, one `.import`, one GROUP BY. */
export function anchorScript(file: string, header: readonly string[]): string {
    const cols = header.map((c) => `${c} ${INTEGER_COLUMNS.has(c) ? 'INTEGER' : 'TEXT'}${c === 'transaction_id' || c === 'line_no' ? ' NOT NULL' : ''}`)
    return [
        'PRAGMA journal_mode = WAL;',
        'PRAGMA synchronous = NORMAL;',
        'PRAGMA cache_size = -16384;',
        `CREATE TABLE lines (${cols.join(', ')}, PRIMARY KEY (transaction_id, line_no));`,
        `.import --csv --skip 1 '${file.replace(/'/g, "''")}' lines`,
        '.mode tabs',
        '.headers off',
        "SELECT '#lines', count(*) FROM lines;",
        "SELECT CASE type WHEN 'REFUND' THEN 'PAYREV_REFUNDS' ELSE 'PAYREV_GROSS' END || '|' || substr(occurred_at, 1, 4) || substr(occurred_at, 6, 2)" +
            " || '|' || facility_code || '|' || channel || '|' || service, sum(amount_xof) FROM lines WHERE status = 'SUCCESS' GROUP BY 1;",
        '',
    ].join('\n')
}

function firstLine(file: string): string {
    const fd = fs.openSync(file, 'r')
    try {
        const buf = Buffer.alloc(4096)
        const n = fs.readSync(fd, buf, 0, buf.length, 0)
        return buf.subarray(0, n).toString('utf8').split('\n')[0].replace(/\r$/, '')
    } finally {
        fs.closeSync(fd)
    }
}

export function sqliteAvailable(): boolean {
    return fs.existsSync(SQLITE3)
}

export async function runSqliteAnchor(file: string): Promise<SqliteAnchorResult> {
    const header = firstLine(file).split(',')
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-sqlite-'))
    try {
        const db = path.join(dir, 'anchor.db')
        // The JOURNAL line PRAGMA journal_mode prints comes first: drop it before reading the totals.
        const run = await timedRun(SQLITE3, ['-batch', '-bail', db], anchorScript(file, header))
        const out = run.stdout.split('\n').filter((l) => l.includes('\t')).join('\n')
        const dbBytes = fs.readdirSync(dir).reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0)
        const version = (await timedRun(SQLITE3, ['-version'])).stdout.split(' ')[0]
        return { wallMs: run.wallMs, cpuMs: run.cpuMs, peakRssMiB: run.peakRssMiB, dbBytes, version, ...parseTotals(out) }
    } finally {
        fs.rmSync(dir, { recursive: true, force: true })
    }
}

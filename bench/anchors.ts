/**
 * Anchors of the full sync, measured in the same run on the same file, just before and just after
 * it (the machine's speed drifts; the two sides bracket the sync): the `sqlite3` CLI import +
 * aggregation (the honest limit of a first sync, bench/sqlite-anchor.ts) and the one-pass awk.
 */
import { awkBinaries, runAwk, type AwkResult } from './awk'
import { fmt, mib, secs, type Row } from './format'
import { runSqliteAnchor, sqliteAvailable, type SqliteAnchorResult } from './sqlite-anchor'

export interface AnchorRun {
    sqlite: SqliteAnchorResult | null
    awk: AwkResult | null
}

/** One measurement of each anchor; a missing program is logged once and left out. */
export async function measureAnchors(file: string, log: (l: string) => void): Promise<AnchorRun> {
    let sqlite: SqliteAnchorResult | null = null
    if (sqliteAvailable()) {
        sqlite = await runSqliteAnchor(file)
        log(`  sqlite3 ${sqlite.version} import + aggregate: ${secs(sqlite.wallMs)} wall, ${sqlite.cpuMs === null ? '?' : secs(sqlite.cpuMs)} CPU, peak ${mib(sqlite.peakRssMiB)}`)
    } else log('  sqlite3: not run (no /usr/bin/sqlite3)')
    let awk: AwkResult | null = null
    try {
        awk = await runAwk(awkBinaries()[0], file)
        log(`  ${awk.awk}: ${secs(awk.wallMs)} wall`)
    } catch (e) {
        log(`  awk: not run (${(e as Error).message.split('\n')[0]})`)
    }
    return { sqlite, awk }
}

function sameTotals(a: Map<string, number>, b: Map<string, number>): boolean {
    if (a.size !== b.size) return false
    for (const [k, v] of a) if (b.get(k) !== v) return false
    return true
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length

/** Rows (3a) and (3b): the full sync's time against each anchor, measured before and after it. */
export function anchorRows(lines: number, sync: { wallMs: number; cpuMs: number | null }, runs: AnchorRun[], command: string): Row[] {
    const syncMs = sync.wallMs
    const rows: Row[] = []
    const sqlite = runs.map((r) => r.sqlite).filter((r): r is SqliteAnchorResult => r !== null)
    const awk = runs.map((r) => r.awk).filter((r): r is AwkResult => r !== null)
    const times = (xs: Array<{ wallMs: number }>) => xs.map((x) => secs(x.wallMs)).join(' before, ') + (xs.length > 1 ? ' after' : '')
    if (sqlite.length) {
        const anchorMs = mean(sqlite.map((s) => s.wallMs))
        const ratio = syncMs / anchorMs
        // On a shared machine wall time includes waiting for a core: CPU time is compared too.
        const cpus = sqlite.map((s) => s.cpuMs).filter((c): c is number => c !== null)
        const cpuRatio = sync.cpuMs !== null && cpus.length ? `, on CPU time ${fmt(sync.cpuMs / mean(cpus), 2)} (${secs(sync.cpuMs)} ÷ ${secs(mean(cpus))})` : ''
        const agree = awk.length ? (sameTotals(sqlite[0].totals, awk[0].totals) ? 'totals identical to awk' : 'totals DIFFER from awk') : 'not checked against awk'
        rows.push({
            measure: `(3a) anchor: sqlite3 ${sqlite[0].version} CLI imports the same ${fmt(lines)} lines into a table keyed by (transaction_id, line_no) and aggregates them`,
            figure: `${times(sqlite)} the sync, ${cpus.map((c) => secs(c)).join(' / ')} CPU (${fmt(sqlite[0].lines)} rows, ${fmt(sqlite[0].dbBytes / 2 ** 20, 0)} MiB of database, peak ${mib(sqlite[0].peakRssMiB)}); ${agree}`,
            reference: `full sync ÷ sqlite3 = ${fmt(ratio, 2)} wall${cpuRatio} (target ≤ 2)`,
            verdict: `${ratio <= 2 ? 'met' : 'MISSED'} wall`,
            command,
        })
    } else rows.push({ measure: '(3a) anchor: sqlite3 CLI import + aggregation', figure: 'no /usr/bin/sqlite3 on this machine', reference: '', verdict: 'not compared', command })
    if (awk.length) {
        const anchorMs = mean(awk.map((a) => a.wallMs))
        rows.push({
            measure: `(3b) anchor: one-pass ${awk[0].awk} over the same file`,
            figure: `${times(awk)} the sync`,
            reference: `full sync ÷ awk = ${fmt(syncMs / anchorMs, 1)}`,
            verdict: 'information',
            command,
        })
    }
    return rows
}

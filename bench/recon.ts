/**
 * Reconciliation benchmark (docs/reconciliation.md): one month of the 1 M-line bench ledger
 * against one operator statement per mobile money channel.
 *   npm run build:bridge && node dist/bench/recon.js [--lines 1000000] [--month 2026-09]
 * Setup (not measured): the bench ledger (bench/generate.ts, kept in bench/data), read into a
 * fresh state (line store only, as a sync would leave it), and statements written from the
 * month's successful attempts (a statement row per attempt, a few seconds later, 1 % left out as
 * unsettled, a few rows without a receipt). Measured in a child process of its own: the
 * `reconcile` stages (read the statements, load the month and its neighbours from the state,
 * match, report) — wall time and peak resident memory (VmHWM).
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { scopeId } from '../bridge/aggregate/keys'
import { periodOf } from '../bridge/aggregate/periods'
import { configSchema } from '../bridge/config/schema'
import { readCsvLedger } from '../bridge/ledger/csv-source'
import { attemptsOf } from '../bridge/reconcile/attempts'
import { matchKeyFor } from '../bridge/reconcile/keys'
import { ledgerLinesOfMonths } from '../bridge/reconcile/ledger-side'
import { runReconcile } from '../bridge/reconcile/run'
import { openState } from '../bridge/state/db'
import { LineStore } from '../bridge/state/lines'
import { mulberry32 } from '../demo/generate-ledger'
import { BENCH_DEFAULTS, ensureBenchFiles } from './generate'
import { peakRssMiB } from './pass'

const ZONE = 'Africa/Bamako'
const arg = (name: string) => {
    const i = process.argv.indexOf(name)
    return i >= 0 ? process.argv[i + 1] : undefined
}

async function setup(lines: number, month: string): Promise<{ stateDir: string; statements: string[] }> {
    const { base } = await ensureBenchFiles(path.join(__dirname, '..', '..', 'bench', 'data'), { lines, ...BENCH_DEFAULTS })
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-recon-'))
    const stateDir = path.join(dir, 'state')
    const db = openState(stateDir)
    const store = new LineStore(db)
    const ctx = { zoneFor: () => ZONE, matchKey: matchKeyFor(db) }
    let n = 0
    db.exec('BEGIN')
    for await (const item of readCsvLedger(base, ctx)) {
        if (item.kind !== 'line') continue
        store.ingest(item.line, scopeId(item.line.facilityCode, periodOf(item.line.occurredAt, ZONE, 'Monthly')), 1)
        if (++n % 50_000 === 0) db.exec('COMMIT; BEGIN')
    }
    db.exec('COMMIT')
    const attempts = attemptsOf(ledgerLinesOfMonths(db, [month], 'Monthly'), () => ZONE).filter((a) => a.success && a.month === month)
    db.close()
    const rand = mulberry32(7)
    const statements: string[] = []
    for (const channel of ['ORANGE_MONEY', 'MOOV_MONEY', 'SAMA_MONEY']) {
        const out = ['reference,occurred_at,amount_xof,fee_xof,type,status,channel,facility_code,msisdn']
        let k = 0
        for (const a of attempts.filter((x) => x.channel === channel)) {
            if (rand() < 0.01) continue // unsettled
            const at = new Date(Date.parse(a.at) + Math.floor(rand() * 120_000)).toISOString()
            out.push([`${channel.slice(0, 2)}${++k}`, at, a.amount, Math.round(a.amount / 100), a.type, 'SUCCESS', channel, a.facilityCode, `+2237${String(Math.floor(rand() * 1e7)).padStart(7, '0')}`].join(','))
            if (rand() < 0.002) out.push([`${channel.slice(0, 2)}X${k}`, at, 17350, 174, 'PAYMENT', 'SUCCESS', channel, a.facilityCode, ''].join(','))
        }
        const f = path.join(dir, `${channel.toLowerCase()}.csv`)
        fs.writeFileSync(f, out.join('\n') + '\n')
        statements.push(f)
    }
    process.stderr.write(`setup: ${n} lines in the state, ${attempts.length} attempts in ${month}, statements ${statements.map((s) => path.basename(s)).join(', ')}\n`)
    return { stateDir, statements }
}

async function child(stateDir: string, month: string, statements: string[]): Promise<void> {
    const started = process.hrtime.bigint()
    const db = openState(stateDir)
    const rc = { config: configSchema.parse({}), zoneFor: () => ZONE }
    const r = await runReconcile(rc, db, { month, statements, cashCounts: [] })
    db.close()
    const ms = Number(process.hrtime.bigint() - started) / 1e6
    const counts = Object.fromEntries(['MATCHED', 'LEDGER_ONLY', 'STATEMENT_ONLY', 'AMOUNT_MISMATCH', 'STATUS_MISMATCH', 'DUPLICATE_STATEMENT'].map((c) => [c, r.report.items.filter((i) => i.category === c).length]))
    process.stdout.write(JSON.stringify({ ms, peakRssMiB: peakRssMiB(), statementRows: r.report.channels.reduce((s, c) => s + c.statementCount, 0), counts }) + '\n')
}

async function main(): Promise<void> {
    if (process.argv[2] === 'child') return child(process.argv[3], process.argv[4], process.argv.slice(5))
    const lines = Number(arg('--lines') ?? 1_000_000)
    const month = arg('--month') ?? '2026-09'
    const { stateDir, statements } = await setup(lines, month)
    const out = await new Promise<string>((resolve, reject) => {
        const c = spawn(process.execPath, [__filename, 'child', stateDir, month, ...statements], { stdio: ['ignore', 'pipe', 'inherit'] })
        let s = ''
        c.stdout.on('data', (d) => (s += d))
        c.on('exit', (code) => (code === 0 ? resolve(s) : reject(new Error(`child exited ${code}`))))
    })
    const r = JSON.parse(out.trim().split('\n').pop()!) as { ms: number; peakRssMiB: number | null; statementRows: number; counts: Record<string, number> }
    process.stdout.write(`reconcile ${month} of a ${lines}-line ledger, ${r.statementRows} statement rows (3 mobile channels): ${(r.ms / 1000).toFixed(2)} s, peak ${r.peakRssMiB?.toFixed(0) ?? '?'} MiB; ${JSON.stringify(r.counts)}\n`)
    fs.rmSync(path.dirname(stateDir), { recursive: true, force: true })
}

main().catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`)
    process.exit(1)
})

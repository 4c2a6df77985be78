import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs, runBench } from './run'

// Smoke test: the benchmark runs end to end on a small ledger and prints its table. No timing
// is asserted (the figures depend on the machine); only that every measure is there and that
// the bridge and awk computed the same totals.
test('npm run bench runs on a small ledger and prints its table', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-smoke-'))
    try {
        const opts = parseArgs(['--lines', '3000', '--sync-lines', '3000', '--facilities', '4', '--days', '30', '--repeat', '1', '--data', dataDir])
        const report = await runBench({ ...opts, inProcess: true, log: () => undefined })
        const measures = report.rows.map((r) => r.measure)
        for (const prefix of ['(1) ', '(2) ', '(3) ', '(3a) ', '(2b) ', '(4) ', '(4b) ', '(5) ']) expect(measures.some((m) => m.startsWith(prefix))).toBe(true)
        expect(report.table).toMatch(/^\| measure \| figure \|/m)
        expect(report.rows.length + 4).toBe(report.table.split('\n').length)
        // The bridge's pass and every awk agree on every key (the generator writes each line once).
        const awkRows = report.rows.filter((r) => r.measure.includes('reference: one-pass'))
        for (const r of awkRows) expect(r.verdict).toMatch(/totals identical/)
        // So does the sqlite3 anchor of the full sync, where the machine has the program.
        const anchor = report.rows.find((r) => r.measure.startsWith('(3a) '))!
        expect(anchor.figure).toMatch(/totals identical to awk|no \/usr\/bin\/sqlite3/)
        // The full sync sent something and the incremental one sent less.
        const full = report.raw.syncFull as { result: { valuesSent: number; exitCode: number } }
        const inc = report.raw.syncIncremental as { result: { valuesSent: number; linesRead: number } }
        expect(full.result.exitCode).toBe(0)
        expect(full.result.valuesSent).toBeGreaterThan(0)
        expect(inc.result.linesRead).toBe(30)
        expect(inc.result.valuesSent).toBeLessThan(full.result.valuesSent)
    } finally {
        fs.rmSync(dataDir, { recursive: true, force: true })
    }
}, 60_000)

test('sizes are chosen on the command line', () => {
    const o = parseArgs(['--lines', '200000', '--sync-lines', '0'])
    expect(o.lines).toEqual([200000])
    expect(o.syncLines).toBeNull()
    expect(() => parseArgs(['--lines', 'many'])).toThrow(/positive integer/)
    expect(parseArgs([]).lines).toEqual([1_000_000, 5_000_000])
})

test('--latency-ms: the push over a slow link, DHIS2 values/s and MEDEXIS records/s per concurrency', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-link-smoke-'))
    try {
        const opts = parseArgs(['--lines', '3000', '--skip', 'pass,sync', '--latency-ms', '5', '--link-lines', '3000', '--dhis2-concurrency', '2', '--medexis-concurrency', '1,3', '--facilities', '4', '--days', '30', '--data', dataDir])
        const report = await runBench({ ...opts, inProcess: true, log: () => undefined })
        const dhis2 = report.rows.filter((r) => r.measure.startsWith('(6a) '))
        expect(dhis2).toHaveLength(2)
        expect(dhis2[0].figure).toMatch(/values\/s/)
        expect(dhis2[1].measure).toMatch(/incremental/)
        expect(dhis2[0].measure).toMatch(/dhis2\.concurrency 2$/)
        type Sync = { requests: number; sync: { result: { exitCode: number } } }
        const [over] = (report.raw.slowLink as { dhis2: { link: Array<{ first: Sync; incremental: Sync }> } }).dhis2.link
        expect(over.first.sync.result.exitCode).toBe(0)
        expect(over.incremental.sync.result.exitCode).toBe(0)
        expect(over.incremental.requests).toBeLessThan(over.first.requests)
        const medexis = report.rows.filter((r) => r.measure.startsWith('(6b) '))
        expect(medexis.map((r) => /(\d+) PUTs? in flight/.exec(r.measure)?.[1])).toEqual(['1', '3'])
        // Every record of the first push reached the recorder, whatever the concurrency.
        const runs = (report.raw.slowLink as { medexis: Array<{ records: number }> }).medexis
        expect(runs[0].records).toBeGreaterThan(10)
        expect(runs[1].records).toBe(runs[0].records)
    } finally {
        fs.rmSync(dataDir, { recursive: true, force: true })
    }
}, 120_000)

/**
 * A SQL ledger source under faults, through the real CLI: the cursor moves only once the lines it
 * covers are committed in the state, so `kill -9` during ingestion, a dry run or a second sync
 * never skips a row nor reads everything again for nothing. The source is the demo's SQLite
 * billing database (demo/sqlite-billing.ts), read through a `type: sql` source.
 */
import fs from 'node:fs'
import path from 'node:path'
import { buildBillingDb, demoConfigYaml } from '../../demo/sqlite-billing'
import { readPayrevValues } from '../integration/dhis2-reader'
import { ensureFreshBuild, runCli, stateDiff, sync, tempDir, world, type World } from './helpers'

let dbFile: string
let reference: Record<string, string>
/** Rows the source returns on a first, uninterrupted read. */
let allRows: number
const worlds: World[] = []

/** A world whose configuration reads the billing database (fast retries, small batches). */
async function open(): Promise<World> {
    const w = await world()
    worlds.push(w)
    const yaml =
        demoConfigYaml(dbFile, w.stateDir) +
        'dhis2: { retries: 2, retryBaseDelayMs: 20, timeoutMs: 3000, batchSize: 150 }\nschedule: { http: { port: 0 } }\n'
    w.config = path.join(w.dir, 'bridge.yaml')
    fs.writeFileSync(w.config, yaml)
    const s = await runCli(['setup', '--config', w.config, '--json'], w.env)
    if (s.code !== 0) throw new Error(`setup failed (${s.code}): ${s.stdout}\n${s.stderr}`)
    return w
}

beforeAll(async () => {
    ensureFreshBuild()
    dbFile = path.join(tempDir('faults-sql-'), 'caisse.sqlite')
    buildBillingDb(dbFile, { seed: 7, endDate: '2026-10-31', months: 2 })
    const w = await open()
    const r = await sync(w, [])
    // The demo database holds the demo's deliberately bad rows: exit 3 (quarantine), the rest accepted.
    expect(r.code).toBe(3)
    expect(r.report.valuesRejected).toBe(0)
    allRows = r.report.linesRead
    expect(allRows).toBeGreaterThan(1000)
    reference = await readPayrevValues(w.standin.url)
    expect(Object.keys(reference).length).toBeGreaterThan(100)
    await worlds.pop()!.close()
}, 180_000)
afterEach(async () => {
    while (worlds.length) await worlds.pop()!.close()
})

test('a second sync reads nothing: the cursor was committed with the lines', async () => {
    const w = await open()
    const first = await sync(w, [])
    expect(first.report.linesRead).toBe(allRows)
    const second = await sync(w, [])
    expect(second.code).toBe(0)
    expect(second.report.linesRead).toBe(0)
    expect(second.report.valuesSent).toBe(0)
    expect(stateDiff(await readPayrevValues(w.standin.url), reference)).toEqual([])
})

test('a dry run does not move the cursor: the real sync after it reads every row', async () => {
    const w = await open()
    const dry = await runCli(['sync', '--config', w.config, '--json', '--dry-run'], w.env)
    const dryReport = dry.json<any>()
    expect(dryReport.linesRead).toBe(allRows)
    expect(await readPayrevValues(w.standin.url)).toEqual({})
    const real = await sync(w, [])
    expect(real.report.linesRead).toBe(dryReport.linesRead)
    expect(stateDiff(await readPayrevValues(w.standin.url), reference)).toEqual([])
})

// Killed while ingesting: the cursor was not committed, every row is read again (and recognised
// as unchanged where it was stored). Killed later: the cursor moved with the lines, nothing is
// read again, and what was not accepted goes out of the outbox.
test.each([
    ['ingest-commit:1', 'every row again'],
    ['after-recompute', 'nothing'],
    ['after-post:2', 'nothing'],
])(
    'kill -9 at %s: the next sync reads %s and converges',
    async (point, reread) => {
        const w = await open()
        // A commit every 2 000 rows (20 000 by default), so that the first one falls inside this database.
        const killed = await sync(w, [], { BRIDGE_TEST_CRASH_AT: point, BRIDGE_TEST_COMMIT_EVERY: '2000' })
        expect(killed.code).toBe(137)
        const next = await sync(w, [])
        expect([0, 3]).toContain(next.code)
        expect(next.report.valuesRejected).toBe(0)
        expect(stateDiff(await readPayrevValues(w.standin.url), reference)).toEqual([])
        if (reread === 'nothing') expect(next.report.linesRead).toBe(0)
        else expect(next.report.linesRead).toBe(allRows)
        const after = await sync(w, [])
        expect(after.report.linesRead).toBe(0)
    },
    120_000
)


/**
 * `kill -9` of the bridge (a child process) at several points of a sync, then a new sync: DHIS2
 * converges to the state of an uninterrupted run — nothing lost, nothing counted twice — and the
 * next report says the previous run was interrupted. Points are chosen three ways: by watching
 * the state file (ingestion), by the fault proxy (a batch held in flight, an answer just
 * delivered, an async import being polled), and by the test-only BRIDGE_TEST_CRASH_AT hook for
 * the exact windows between two state writes (bridge/sync/crash-points.ts).
 */
import path from 'node:path'
import Database from 'better-sqlite3'
import {
    cleanDemoLedger,
    ensureFreshBuild,
    expectSameAsUninterrupted,
    laterExport,
    referenceState,
    said,
    setup,
    spawnCli,
    sync,
    tempDir,
    until,
    world,
    writeLedger,
    type World,
} from './helpers'

const POST_VALUES = { method: 'POST', path: '/api/dataValueSets' }

let ledgerA: string
let ledgerB: string
let refA: Record<string, string>
let refAB: Record<string, string>
const worlds: World[] = []
async function open(config = {}): Promise<World> {
    const w = await world(config)
    worlds.push(w)
    await setup(w, ledgerA)
    return w
}
const syncArgs = (w: World, ledgers: string[]) => ['sync', '--config', w.config, '--json', ...ledgers.flatMap((l) => ['--ledger', l])]

beforeAll(async () => {
    ensureFreshBuild()
    const dir = tempDir('faults-ledger-')
    const base = cleanDemoLedger(3)
    ledgerA = writeLedger(dir, 'export-2026-10.csv', base)
    ledgerB = writeLedger(dir, 'export-2026-11.csv', laterExport(base))
    refA = await referenceState([[ledgerA]])
    refAB = await referenceState([[ledgerA], [ledgerB]])
}, 180_000)
afterEach(async () => {
    while (worlds.length) await worlds.pop()!.close()
})

function expectInterruptionReported(report: any): void {
    expect(said(report).en).toMatch(/Run #\d+ \(started [^)]+\) was interrupted before it finished/)
    expect(said(report).fr).toMatch(/L'exécution n° \d+ .* a été interrompue avant la fin/)
}

// A commit every 2 000 lines (100 000 by default): the test ledgers then hold several ingestion commits.
const SMALL_COMMITS = { BRIDGE_TEST_COMMIT_EVERY: '2000' }

describe('kill -9 at an exact point (BRIDGE_TEST_CRASH_AT), then a new sync', () => {
    const points = ['ingest-commit:1', 'after-recompute', 'after-mark-sent:2', 'after-post:2', 'after-accept:2']

    test.each(points)('killed at %s, the same export again: DHIS2 = the uninterrupted run', async (point) => {
        const w = await open()
        const killed = await sync(w, [ledgerA], { BRIDGE_TEST_CRASH_AT: point, ...SMALL_COMMITS })
        expect(killed.code).toBe(137) // the point was reached: SIGKILL
        const next = await sync(w, [ledgerA])
        expect(next.code).toBe(0)
        expectInterruptionReported(next.report)
        await expectSameAsUninterrupted(w.standin, refA)
    })

    test.each(points)('killed at %s, then a later export that changes history: DHIS2 = the uninterrupted runs', async (point) => {
        const w = await open()
        expect((await sync(w, [ledgerA], { BRIDGE_TEST_CRASH_AT: point, ...SMALL_COMMITS })).code).toBe(137)
        const next = await sync(w, [ledgerB])
        expect(next.code).toBe(0)
        expectInterruptionReported(next.report)
        await expectSameAsUninterrupted(w.standin, refAB, { allowNeverSent: true })
    })

    test('killed right after the recompute, the stock records of the recomputed days are kept: they are written with the totals (a later run recomputes nothing)', async () => {
        const stockRecords = (w: World) => {
            const db = new Database(path.join(w.stateDir, 'bridge.sqlite'), { readonly: true })
            try {
                return db.prepare('SELECT COUNT(*) FROM stock_records').pluck().get() as number
            } finally {
                db.close()
            }
        }
        const clean = await open()
        expect((await sync(clean, [ledgerA])).code).toBe(0)
        const expected = stockRecords(clean)
        expect(expected).toBeGreaterThan(0)

        const w = await open()
        expect((await sync(w, [ledgerA], { BRIDGE_TEST_CRASH_AT: 'after-recompute' })).code).toBe(137)
        expect(stockRecords(w)).toBe(expected)
        expect((await sync(w, [ledgerA])).code).toBe(0)
        expect(stockRecords(w)).toBe(expected)
    })

    test('killed twice in a row (after a post, then after recording the next answer), then a clean run', async () => {
        const w = await open()
        expect((await sync(w, [ledgerA], { BRIDGE_TEST_CRASH_AT: 'after-post:1' })).code).toBe(137)
        expect((await sync(w, [ledgerB], { BRIDGE_TEST_CRASH_AT: 'after-accept:1' })).code).toBe(137)
        const last = await sync(w, [ledgerB])
        expect(last.code).toBe(0)
        expect(last.report.warnings.filter((m: any) => /was interrupted/.test(m.en))).toHaveLength(1)
        await expectSameAsUninterrupted(w.standin, refAB, { allowNeverSent: true })
    })
})

describe('kill -9 from outside', () => {
    test('while ingesting a large ledger (12 months), seen in the state file', async () => {
        const dir = tempDir('faults-ledger-')
        const big = writeLedger(dir, 'export-12-months.csv', cleanDemoLedger(12))
        const ref = await referenceState([[big]])
        const w = await open()
        const run = spawnCli(syncArgs(w, [big]), w.env)
        const file = path.join(w.stateDir, 'bridge.sqlite')
        let seen = 0
        await until(() => {
            try {
                const db = new Database(file, { readonly: true, fileMustExist: true })
                try {
                    seen = (db.prepare('SELECT COUNT(*) AS n FROM lines').get() as { n: number }).n
                } finally {
                    db.close()
                }
            } catch {
                return false // not created yet
            }
            return seen >= 4000
        })
        run.child.kill('SIGKILL')
        const killed = await run.done
        expect(killed.code).toBe(137)
        const next = await sync(w, [big])
        expect(next.code).toBe(0)
        expect(next.report.linesUnchanged).toBeGreaterThanOrEqual(4000) // committed before the kill
        const r = next.report
        expect(r.linesNew + r.linesChanged + r.linesUnchanged + r.linesStale + r.quarantined).toBe(r.linesRead)
        expectInterruptionReported(next.report)
        await expectSameAsUninterrupted(w.standin, ref)
    }, 120_000)

    test.each([
        ['the server imports it after the bridge died', 'release'],
        ['the request is lost with the bridge', 'drop'],
    ])('while a batch is in flight (%s), then a later export', async (_label, outcome) => {
        const w = await open()
        // The first batch passes; the second is held by the proxy while the bridge is killed.
        let held: Promise<import('./proxy').Held> | null = null
        w.proxy.afterAnswer(POST_VALUES, 1, () => (held = w.proxy.hold(POST_VALUES)))
        const run = spawnCli(syncArgs(w, [ledgerA]), w.env)
        await until(() => held !== null)
        const h = await held!
        run.child.kill('SIGKILL')
        expect((await run.done).code).toBe(137)
        if (outcome === 'release') await h.release()
        else h.drop()
        await w.proxy.drain()
        const next = await sync(w, [ledgerB])
        expect(next.code).toBe(0)
        expectInterruptionReported(next.report)
        await expectSameAsUninterrupted(w.standin, refAB, { allowNeverSent: true })
    })

    test('right after a batch was accepted (answer delivered), then the same export', async () => {
        const w = await open()
        const run = spawnCli(syncArgs(w, [ledgerA]), w.env)
        w.proxy.afterAnswer(POST_VALUES, 2, () => run.child.kill('SIGKILL'))
        expect((await run.done).code).toBe(137)
        const next = await sync(w, [ledgerA])
        expect(next.code).toBe(0)
        expect(next.report.valuesSent).toBeLessThan(Object.keys(refA).length) // the first batches were recorded
        await expectSameAsUninterrupted(w.standin, refA)
    })

    test('while an async import is being polled (batches above asyncAbove), then the same export', async () => {
        const w = await open({ asyncAbove: 100 })
        const run = spawnCli(syncArgs(w, [ledgerA]), w.env)
        w.proxy.afterAnswer({ method: 'GET', path: '/api/system/tasks/DATAVALUE_IMPORT' }, 1, () => run.child.kill('SIGKILL'))
        expect((await run.done).code).toBe(137)
        const next = await sync(w, [ledgerA])
        expect(next.code).toBe(0)
        expect(w.standin.hooks.requests().some((r) => r.method === 'POST' && r.query.async === 'true')).toBe(true)
        await expectSameAsUninterrupted(w.standin, refA)
    })
})

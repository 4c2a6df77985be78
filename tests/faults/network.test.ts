/**
 * Transient network and server faults against the real CLI over HTTP: 503 bursts (inside and
 * beyond the run's retries), 429 with Retry-After, dropped connections (before and after the
 * server did the work), a server slower than the time-out, the server going away and coming
 * back. After each, DHIS2 holds exactly what an uninterrupted run puts there, and the report
 * says what happened.
 */
import {
    cleanDemoLedger,
    ensureFreshBuild,
    expectSameAsUninterrupted,
    referenceState,
    runCli,
    said,
    setup,
    sync,
    tempDir,
    world,
    writeLedger,
    type World,
} from './helpers'

const POST_VALUES = { method: 'POST', path: '/api/dataValueSets' }

let ledger: string
let reference: Record<string, string>
const worlds: World[] = []
async function open(config = {}): Promise<World> {
    const w = await world(config)
    worlds.push(w)
    await setup(w, ledger)
    return w
}

beforeAll(async () => {
    ensureFreshBuild()
    ledger = writeLedger(tempDir('faults-ledger-'), 'export-2026-10.csv', cleanDemoLedger(3))
    reference = await referenceState([[ledger]])
}, 120_000)
afterEach(async () => {
    while (worlds.length) await worlds.pop()!.close()
})

describe('5xx and 429', () => {
    test('a 503 burst shorter than the retries: every value accepted, exit 0, the retries reported', async () => {
        const w = await open()
        // retries = 2: two 503 then a success on the third attempt of the same batch.
        w.standin.hooks.failNext({ count: 2, status: 503, path: '/api/dataValueSets' })
        const { code, report } = await sync(w, [ledger])
        expect(code).toBe(0)
        expect(report.valuesRejected).toBe(0)
        expect(report.valuesWaiting).toBe(0)
        expect(said(report).en).toMatch(/2 DHIS2 request\(s\) retried after a transient failure: HTTP 503 ×2/)
        expect(said(report).fr).toMatch(/2 requête\(s\) DHIS2 refaite\(s\).*HTTP 503 ×2/)
        await expectSameAsUninterrupted(w.standin, reference)
    })

    test('a 503 burst longer than the retries: exit 4, what was not accepted waits, and the next run sends exactly that', async () => {
        const w = await open()
        // The first batch goes through; the second meets three 503 in a row (1 try + 2 retries).
        w.proxy.afterAnswer(POST_VALUES, 1, () => w.standin.hooks.failNext({ count: 3, status: 503, path: '/api/dataValueSets' }))
        const down = await sync(w, [ledger])
        expect(down.code).toBe(4)
        expect(down.report.dhis2.reachable).toBe(false)
        expect(down.report.valuesAccepted).toBe(150)
        expect(down.report.valuesWaiting).toBeGreaterThan(0)
        expect(down.report.valuesWaiting).toBe(Object.keys(reference).length - 150)
        expect(down.report.errors.map((e: any) => e.en).join('\n')).toMatch(/DHIS2 unreachable \(HTTP 503\) for POST \/api\/dataValueSets after 3 attempt\(s\)/)
        expect(down.report.errors.map((e: any) => e.fr).join('\n')).toMatch(/DHIS2 injoignable \(HTTP 503\)/)

        // The operator (or the scheduler) runs again without any ledger: the waiting values go out.
        const retry = await runCli(['outbox', 'retry', '--config', w.config, '--json'], w.env)
        const after = retry.json<any>()
        expect(retry.code).toBe(0)
        expect(after.linesRead).toBe(0)
        expect(after.valuesSent).toBe(down.report.valuesWaiting)
        expect(after.valuesWaiting).toBe(0)
        await expectSameAsUninterrupted(w.standin, reference)
    })

    test('429 with Retry-After: the bridge waits as long as the server asked, then goes on', async () => {
        const w = await open()
        w.standin.hooks.failNext({ count: 1, status: 429, retryAfter: 1, path: '/api/dataValueSets' })
        const { code, report } = await sync(w, [ledger])
        expect(code).toBe(0)
        const posts = w.proxy.log.filter((r) => r.method === 'POST' && r.path === '/api/dataValueSets')
        // Without Retry-After the back-off would be 10–20 ms (retryBaseDelayMs = 20).
        expect(posts[1].at - posts[0].at).toBeGreaterThanOrEqual(950)
        expect(said(report).en).toMatch(/HTTP 429 ×1/)
        await expectSameAsUninterrupted(w.standin, reference)
    })
})

describe('dropped connections', () => {
    test('the connection drops before the server reads the batch: retried, exit 0', async () => {
        const w = await open()
        w.proxy.afterAnswer(POST_VALUES, 1, () => w.standin.hooks.dropNext({ count: 1, path: '/api/dataValueSets' }))
        const { code, report } = await sync(w, [ledger])
        expect(code).toBe(0)
        expect(said(report).en).toMatch(/retried after a transient failure: (ECONNRESET|socket hang up|ERR_BAD_RESPONSE)/)
        await expectSameAsUninterrupted(w.standin, reference)
    })

    test('the server imports the batch and the answer is lost: the batch is sent again, nothing counted twice', async () => {
        const w = await open()
        w.proxy.afterAnswer(POST_VALUES, 1, () => w.proxy.swallowAnswer(POST_VALUES, 1))
        const { code, report } = await sync(w, [ledger])
        expect(code).toBe(0)
        // The second batch reached DHIS2 twice: the second time its values were already there.
        expect(report.imported + report.updated + report.ignored).toBe(report.valuesSent)
        expect(report.ignored + report.updated).toBeGreaterThan(0)
        await expectSameAsUninterrupted(w.standin, reference)
    })
})

describe('a slow server', () => {
    test('one answer slower than the time-out: retried, the late import does not double anything', async () => {
        const w = await open({ timeoutMs: 800 })
        w.proxy.delay(POST_VALUES, 1500, 1)
        const { code, report } = await sync(w, [ledger])
        expect(code).toBe(0)
        expect(said(report).en).toMatch(/timeout ×1/)
        await w.proxy.drain()
        await expectSameAsUninterrupted(w.standin, reference)
    })

    test('slower than the time-out on every try: exit 4, then the next run completes', async () => {
        const w = await open({ timeoutMs: 800 })
        w.proxy.delay(POST_VALUES, 1500, 3)
        const down = await sync(w, [ledger])
        expect(down.code).toBe(4)
        expect(down.report.errors[0].en).toMatch(/unreachable \(timeout\)/)
        expect(down.report.valuesWaiting).toBe(Object.keys(reference).length)
        // The server finishes what it was given before the next run (see the report: a request
        // processed after a later run's would carry older totals).
        await w.proxy.drain()
        const up = await sync(w, [])
        expect(up.code).toBe(0)
        await expectSameAsUninterrupted(w.standin, reference)
    })
})

describe('the server goes away', () => {
    test('down for a whole run (connection refused): exit 4 with every line kept; back up on the same port, the next run sends it all', async () => {
        const w = await open()
        const port = w.proxy.port
        await w.proxy.stop()
        const down = await sync(w, [ledger])
        expect(down.code).toBe(4)
        expect(down.report.dhis2.reachable).toBe(false)
        expect(down.report.linesRead).toBeGreaterThan(1000)
        expect(down.report.valuesWaiting).toBe(Object.keys(reference).length)
        expect(said(down.report).en).toMatch(/ECONNREFUSED/)
        expect(said(down.report).en).toMatch(/sending waits for the next run/)
        await w.proxy.start(port)
        const up = await sync(w, [])
        expect(up.code).toBe(0)
        expect(up.report.valuesSent).toBe(Object.keys(reference).length)
        await expectSameAsUninterrupted(w.standin, reference)
    })

    test('restarted in the middle of a batch: the run stops with exit 4, the next one converges', async () => {
        const w = await open()
        const port = w.proxy.port
        const held = w.proxy.hold(POST_VALUES)
        const run = sync(w, [ledger])
        await held
        await w.proxy.stop() // the held request is lost with the server
        const down = await run
        expect(down.code).toBe(4)
        await w.proxy.start(port)
        const up = await sync(w, [ledger])
        expect(up.code).toBe(0)
        await expectSameAsUninterrupted(w.standin, reference)
    })

    test('restored from an empty database (state reset): the bridge notices and sends every total again', async () => {
        const w = await open()
        expect((await sync(w, [ledger])).code).toBe(0)
        await expectSameAsUninterrupted(w.standin, reference)
        w.standin.hooks.reset() // metadata and data gone, as after a reinstall
        const again = await sync(w, [ledger])
        expect(again.code).toBe(0)
        expect(again.report.metadataInstalled).toBe(true)
        expect(said(again.report).en).toMatch(/no longer has the same identifier in DHIS2/)
        expect(again.report.valuesSent).toBe(Object.keys(reference).length)
        await expectSameAsUninterrupted(w.standin, reference)
    })
})

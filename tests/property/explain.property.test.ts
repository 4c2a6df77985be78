/**
 * Property (docs/traceability.md, docs/contract.md §6): after syncing a generated ledger, then
 * a second file of late changes (status changes, reversals, corrected amounts, lines moved to
 * another month, stale versions, repeats), for EVERY value DHIS2 holds, `explain` lists lines
 * whose amounts add up to it exactly (PAYREV_GROSS, PAYREV_REFUNDS) or whose distinct attempts
 * (transaction × channel) number it exactly (PAYREV_PAYMENTS, PAYREV_FAILED) — and explain's
 * value is that value. Real sync (in process) against the stand-in over HTTP, real SQLite.
 * Runs are bounded (FC_RUNS, default 20); a failure prints its seed: FC_SEED=<seed> replays it.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { resolveConfig, resolveLocalConfig } from '../../bridge/config/load'
import { runSync } from '../../bridge/sync/sync'
import { explainFromState } from '../../bridge/trace/explain-run'
import { startStandin, type Standin } from '../../standin'
import { readPayrevValues } from '../integration/dhis2-reader'

const RUNS = Number(process.env.FC_RUNS ?? 20)
const FACILITIES = ['ML-BKO-HDB', 'ML-SIK-HRS']
const CHANNELS = ['CASH', 'ORANGE_MONEY', 'MOOV_MONEY', 'CARD']
const SERVICES = ['CONSULTATION', 'EXAM', 'PHARMACY']
const STATUSES = ['SUCCESS', 'SUCCESS', 'SUCCESS', 'PENDING', 'FAILED', 'EXPIRED', 'CANCELLED', 'REVERSED']
const HEADER = 'transaction_id,line_no,occurred_at,updated_at,facility_code,channel,service,amount_xof,type,status'

interface Line {
    tx: string
    no: number
    day: number // 0..60 from 2026-09-01
    hour: number
    facility: string
    channel: string
    service: string
    amount: number
    type: string
    status: string
}

const day = (d: number, hour: number) => {
    const t = new Date(Date.UTC(2026, 8, 1 + d, hour, 0))
    return t.toISOString().slice(0, 16).replace('T', ' ')
}
const row = (l: Line, updated: string) => [l.tx, l.no, day(l.day, l.hour), updated, l.facility, l.channel, l.service, l.amount, l.type, l.status].join(',')

const lineArb = (tx: string, no: number, facility: string, channel: string) =>
    fc.record({
        tx: fc.constant(tx),
        no: fc.constant(no),
        day: fc.integer({ min: 0, max: 60 }),
        hour: fc.integer({ min: 0, max: 23 }),
        facility: fc.constant(facility),
        channel: fc.constant(channel),
        service: fc.constantFrom(...SERVICES),
        amount: fc.integer({ min: 0, max: 50_000 }),
        type: fc.constantFrom('PAYMENT', 'PAYMENT', 'PAYMENT', 'REFUND'),
        status: fc.constantFrom(...STATUSES),
    })

/** A transaction: one facility, one channel, 1–3 lines. */
const txArb = (i: number) =>
    fc
        .tuple(fc.constantFrom(...FACILITIES), fc.constantFrom(...CHANNELS), fc.integer({ min: 1, max: 3 }))
        .chain(([f, c, n]) => fc.tuple(...Array.from({ length: n }, (_, k) => lineArb(`T${i}`, k + 1, f, c))))

/** A late change of a line: new status, amount or day (maybe another month), newer or (stale) older updated_at. */
const changeArb = fc.record({
    pick: fc.nat(),
    status: fc.option(fc.constantFrom(...STATUSES), { nil: undefined }),
    amount: fc.option(fc.integer({ min: 0, max: 50_000 }), { nil: undefined }),
    day: fc.option(fc.integer({ min: 0, max: 60 }), { nil: undefined }),
    stale: fc.boolean(),
})

const ledgerArb = fc.integer({ min: 1, max: 25 }).chain((n) =>
    fc.tuple(fc.tuple(...Array.from({ length: n }, (_, i) => txArb(i))), fc.array(changeArb, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 4 }))
)

let standin: Standin
/** Values checked over all runs: the property must not hold vacuously. */
let checked = 0
beforeAll(async () => {
    standin = await startStandin({ version: '2.41.3', today: '2026-11-23', seedFixtures: false })
})
afterAll(() => standin.close())

test('every value DHIS2 holds is the sum (or the attempt count) of the lines explain lists for it', async () => {
    await fc.assert(
        fc.asyncProperty(ledgerArb, async ([txs, changes, repeats]) => {
            standin.hooks.reset()
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'explain-prop-'))
            try {
                const lines = txs.flat()
                const first = [HEADER, ...lines.map((l) => row(l, '2026-10-01T00:00:00Z'))]
                const second = [HEADER]
                for (const c of changes) {
                    const l = lines[c.pick % lines.length]
                    const changed: Line = { ...l, status: c.status ?? l.status, amount: c.amount ?? l.amount, day: c.day ?? l.day }
                    second.push(row(changed, c.stale ? '2026-09-01T00:00:00Z' : '2026-11-01T00:00:00Z'))
                }
                for (const r of repeats) second.push(first[1 + (r % lines.length)])
                fs.writeFileSync(path.join(dir, 'a.csv'), first.join('\n') + '\n')
                fs.writeFileSync(path.join(dir, 'b.csv'), second.join('\n') + '\n')
                const env = { DHIS2_BASE_URL: standin.url, DHIS2_USERNAME: 'admin', DHIS2_PASSWORD: 'district', BRIDGE_STATE_DIR: path.join(dir, 'state') }
                const rc = resolveConfig(undefined, env)
                for (const f of ['a.csv', 'b.csv']) {
                    const report = await runSync(rc, { ledgerPaths: [path.join(dir, f)], dryRun: false })
                    expect(report.exitCode).toBe(0)
                }
                const held = await readPayrevValues(standin.url)
                const lc = resolveLocalConfig(undefined, env)
                for (const [k, value] of Object.entries(held)) {
                    const [de, period, facility, options] = k.split('|')
                    const opts = options.split('+')
                    const channel = opts.find((o) => o.startsWith('PAYREV_CH_'))!.slice('PAYREV_CH_'.length)
                    const service = opts.find((o) => o.startsWith('PAYREV_SV_'))?.slice('PAYREV_SV_'.length)
                    const r = explainFromState(lc, { dataElement: de, period, facility, channel, service })
                    expect(r.value).toBe(Number(value))
                    const fromLines =
                        r.method === 'SUM' ? r.lines.reduce((s, l) => s + l.amountXof, 0) : new Set(r.lines.map((l) => `${l.transactionId}\u0000${l.channel}`)).size
                    if (fromLines !== Number(value)) throw new Error(`${k}: DHIS2 ${value}, explain's lines give ${fromLines}`)
                    // Every listed line is a latest version with a known source and row.
                    expect(r.lines.every((l) => l.source !== null && l.position !== null)).toBe(true)
                    checked++
                }
            } finally {
                fs.rmSync(dir, { recursive: true, force: true })
            }
        }),
        { numRuns: RUNS, seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined, endOnFailure: !process.env.FC_SHRINK }
    )
    expect(checked).toBeGreaterThan(RUNS)
}, 300_000)

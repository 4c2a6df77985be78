/**
 * Push over a slow link (`npm run bench -- --latency-ms 200`): the stand-in and the recording
 * MEDEXIS wait one round trip per request and one more per new connection (standin/link.ts), as
 * between a district hospital and a national server.
 *
 * (6a) DHIS2: the full sync of a ledger, then an incremental one (1 % changed), on loopback and
 *      over the link, side by side in the same run: values per second, requests, time waiting.
 * (6b) MEDEXIS: the first push of a small pharmacy ledger, once per concurrency given: records
 *      per second from the recorder's own log (first PUT received → last PUT received).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startStandin } from '../standin'
import { startMedexisRecorder } from '../standin/medexis'
import { fmt, secs, type Row } from './format'
import { BENCH_DEFAULTS, benchFacilities, ensureBenchFiles, type BenchLedgerOptions } from './generate'
import { measure, type Measured } from './measure'
import type { SyncRunResult } from './sync-run'

export interface SlowLinkOptions {
    latencyMs: number
    /** Lines of the DHIS2 ledger (40 facilities, 730 days unless told). */
    linkLines: number
    /** MEDEXIS PUTs in flight, one first push for each. */
    medexisConcurrency: number[]
    /** `dhis2.concurrency`, one pair of syncs over the link for each. */
    dhis2Concurrency: number[]
    facilities: number
    days: number
    dataDir: string
    inProcess: boolean
    log: (line: string) => void
}

const TODAY = '2026-10-16'
/** The MEDEXIS ledger: two facilities, one week — a few hundred daily records. */
const MEDEXIS_LEDGER = { lines: 3_000, facilities: 2, days: 7 }

interface LinkSync {
    sync: Measured<SyncRunResult>
    requests: number
    posts: number
    /** Arrival times (ms) of the PUTs MEDEXIS stored. */
    puts: number[]
}

/**
 * Syncs into one empty state, one after the other (a first sync, then incremental ones), against a
 * fresh stand-in (and a fresh MEDEXIS when its requests in flight are given).
 */
async function syncsOverLink(o: SlowLinkOptions, lo: BenchLedgerOptions, runs: string[][], latencyMs: number, inFlight: { medexis?: number; dhis2?: number }): Promise<LinkSync[]> {
    const standin = await startStandin({ today: TODAY, seedFixtures: false, latencyMs })
    const medexis = inFlight.medexis ? await startMedexisRecorder({ latencyMs }) : null
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-link-'))
    try {
        standin.hooks.addOrgUnits([
            { code: 'ML-BEN', name: 'Région de bench', parent: 'ML' },
            ...benchFacilities(lo.facilities).map((f) => ({ code: f.code, name: f.name, parent: 'ML-BEN' })),
        ])
        const config: Record<string, unknown> = {}
        if (medexis) config.stock = { medexis: { baseUrl: medexis.url, concurrency: inFlight.medexis } }
        if (inFlight.dhis2) config.dhis2 = { concurrency: inFlight.dhis2 }
        const env: Record<string, string> = {}
        if (Object.keys(config).length) {
            env.BENCH_BRIDGE_CONFIG = path.join(work, 'bridge.json')
            fs.writeFileSync(env.BENCH_BRIDGE_CONFIG, JSON.stringify(config))
        }
        const out: LinkSync[] = []
        for (const files of runs) {
            standin.hooks.clearRequests()
            const putsBefore = medexis?.records.length ?? 0
            const sync = await measure<SyncRunResult>(o, ['sync', path.join(work, 'state'), standin.url, ...files], env)
            const log = standin.hooks.requests()
            const puts = (medexis?.records ?? []).slice(putsBefore).filter((r) => r.status !== null && r.status < 300).map((r) => Date.parse(r.at))
            out.push({ sync, requests: log.length, posts: log.filter((r) => r.method === 'POST' && /^\/api\/(\d+\/)?dataValueSets/.test(r.path)).length, puts })
        }
        return out
    } finally {
        await standin.close()
        await medexis?.close()
        fs.rmSync(work, { recursive: true, force: true })
    }
}

export async function slowLinkRows(o: SlowLinkOptions): Promise<{ rows: Row[]; raw: Record<string, unknown> }> {
    const rows: Row[] = []
    const raw: Record<string, unknown> = {}
    const L = o.latencyMs
    const cmd = `npm run bench -- --skip pass,sync --latency-ms ${L} --link-lines ${o.linkLines} --dhis2-concurrency ${o.dhis2Concurrency.join(',')} --medexis-concurrency ${o.medexisConcurrency.join(',')}`
    const dir = path.join(o.dataDir, 'link')

    // (6a) DHIS2, loopback then the slow link, same ledger.
    const lo: BenchLedgerOptions = { ...BENCH_DEFAULTS, facilities: o.facilities, days: o.days, lines: o.linkLines }
    const { base, delta } = await ensureBenchFiles(dir, lo, { share: 0.01, spread: 'recent' })
    o.log(`Sync of ${fmt(o.linkLines)} lines on loopback, then over a ${L} ms link, each followed by an incremental one…`)
    const [near, nearInc] = await syncsOverLink(o, lo, [[base], [delta!]], 0, {})
    raw.dhis2 = { loopback: near, loopbackIncremental: nearInc, link: [] as unknown[] }
    for (const c of o.dhis2Concurrency) {
        const [far, farInc] = await syncsOverLink(o, lo, [[base], [delta!]], L, { dhis2: c })
        const r = far.sync.result
        const ir = farInc.sync.result
        o.log(`  dhis2.concurrency ${c}: loopback ${secs(near.sync.wallMs)}, ${L} ms link ${secs(far.sync.wallMs)} (${far.requests} requests); incremental ${secs(farInc.sync.wallMs)} (${farInc.requests})`)
        const waited = far.sync.wallMs - near.sync.wallMs
        rows.push({
            measure: `(6a) full sync of ${fmt(o.linkLines)} lines to DHIS2 over a ${L} ms link, dhis2.concurrency ${c}`,
            figure: `${secs(far.sync.wallMs)} wall (loopback, same run: ${secs(near.sync.wallMs)}); ${fmt(r.valuesSent)} values in ${far.posts} POSTs → **${fmt(r.valuesSent / (far.sync.wallMs / 1000), 0)} values/s**; ${far.requests} requests`,
            reference: `${secs(waited)} waiting on the link ≈ ${fmt(waited / Math.max(1, far.requests), 0)} ms per request; exit ${r.exitCode}`,
            verdict: 'information',
            command: cmd,
        })
        rows.push({
            measure: `(6a) the incremental sync that follows (${fmt(ir.linesRead)} lines, 1 %), same link, dhis2.concurrency ${c}`,
            figure: `${secs(farInc.sync.wallMs)} wall (loopback: ${secs(nearInc.sync.wallMs)}); ${fmt(ir.valuesSent)} values in ${farInc.posts} POSTs; ${farInc.requests} requests`,
            reference: `${secs(farInc.sync.wallMs - nearInc.sync.wallMs)} waiting on the link; exit ${ir.exitCode}`,
            verdict: 'information',
            command: cmd,
        })
        ;(raw.dhis2 as { link: unknown[] }).link.push({ concurrency: c, first: far, incremental: farInc })
    }

    // (6b) MEDEXIS first push, per concurrency.
    const mo: BenchLedgerOptions = { ...BENCH_DEFAULTS, ...MEDEXIS_LEDGER }
    const med = await ensureBenchFiles(path.join(dir, 'medexis'), mo)
    raw.medexis = []
    for (const c of o.medexisConcurrency) {
        const [run] = await syncsOverLink(o, mo, [[med.base]], L, { medexis: c })
        const n = run.puts.length
        const spanMs = n > 1 ? run.puts[n - 1] - run.puts[0] : 0
        const rate = spanMs > 0 ? ((n - 1) * 1000) / spanMs : 0
        o.log(`  MEDEXIS, ${c} in flight: ${n} records, ${fmt(rate, 1)} records/s (sync ${secs(run.sync.wallMs)})`)
        rows.push({
            measure: `(6b) MEDEXIS first push over a ${L} ms link, ${c} PUT${c > 1 ? 's' : ''} in flight (${fmt(MEDEXIS_LEDGER.lines)} lines, ${MEDEXIS_LEDGER.facilities} facilities, ${MEDEXIS_LEDGER.days} days)`,
            figure: `${fmt(n)} records in ${secs(spanMs)} → **${fmt(rate, 1)} records/s** (whole sync ${secs(run.sync.wallMs)}, exit ${run.sync.result.exitCode}, ${run.sync.result.medexisSent} accepted)`,
            reference: `ceiling ${c} ÷ ${L} ms = ${fmt((c * 1000) / Math.max(1, L), 1)} records/s`,
            verdict: 'information',
            command: cmd,
        })
        ;(raw.medexis as unknown[]).push({ concurrency: c, records: n, spanMs, rate, wallMs: run.sync.wallMs })
    }
    return { rows, raw }
}

/**
 * `schedule` for real (docs/installing.md §6): the scheduler in-process against the stand-in over
 * HTTP, /healthz and /metrics requested over its port and /metrics checked by `promtool check
 * metrics` (Debian's prometheus package); health telling delivery from data problems; the alerts
 * (DHIS2 message, webhook) sent, repeated and recovered; the cron firing and skipping a tick.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import Database from 'better-sqlite3'
import os from 'node:os'
import path from 'node:path'
import type { Health } from '../../contract/health'
import { resolveConfig } from '../../bridge/config/load'
import { startScheduler, type SchedulerHandle } from '../../bridge/schedule/scheduler'
import { startStandin, type Standin } from '../../standin'
import { messagesOf } from '../../standin/messages'
import { api } from '../integration/dhis2-reader'

jest.setTimeout(120_000)

const HEADER = 'transaction_id;line_no;occurred_at;facility_code;channel;service;amount_xof;type;status'
const GOOD = ['S1;1;2026-09-03 09:15;ML-BKO-HDB;Espèces;Consultation;3 000;PAYMENT;SUCCESS', 'S2;1;2026-09-04 10:00;ML-BKO-HDB;Orange Money;Examens;12 500;PAYMENT;SUCCESS']
const BAD = 'S3;1;2026-09-05 10:00;ML-BKO-HDB;Espèces;Consultation;douze;PAYMENT;SUCCESS'

let standin: Standin
let work: string
const running: SchedulerHandle[] = []

beforeAll(async () => {
    standin = await startStandin({ version: '2.41.3', today: '2026-11-23' })
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-schedule-'))
})
afterEach(async () => {
    for (const s of running.splice(0)) await s.stop()
    standin.hooks.faults({ clear: true })
})
afterAll(async () => {
    await standin.close()
    fs.rmSync(work, { recursive: true, force: true })
})

async function start(name: string, opts: { rows?: string[]; schedule?: Record<string, unknown>; dhis2?: Record<string, unknown> }): Promise<SchedulerHandle> {
    const dir = path.join(work, name)
    fs.mkdirSync(path.join(dir, 'exports'), { recursive: true })
    if (opts.rows) fs.writeFileSync(path.join(dir, 'exports', 'caisse.csv'), [HEADER, ...opts.rows].join('\n'))
    const config = {
        dhis2: { retries: 0, retryBaseDelayMs: 10, ...opts.dhis2 },
        ledger: { paths: opts.rows ? [path.join(dir, 'exports')] : [] },
        schedule: { cron: '0 0 1 1 *', http: { host: '127.0.0.1', port: await freePort() }, ...opts.schedule },
    }
    fs.writeFileSync(path.join(dir, 'bridge.json'), JSON.stringify(config))
    const env = { DHIS2_BASE_URL: standin.url, DHIS2_USERNAME: 'bridge', DHIS2_PASSWORD: 'Bridge-2024!', BRIDGE_STATE_DIR: path.join(dir, 'state') }
    const rc = resolveConfig(path.join(dir, 'bridge.json'), env)
    const s = await startScheduler(rc, () => undefined, env)
    running.push(s)
    return s
}

/** Port 0 means "no HTTP" in the configuration: take a free one. */
function freePort(): Promise<number> {
    return new Promise((resolve) => {
        const srv = http.createServer().listen(0, '127.0.0.1', () => {
            const { port } = srv.address() as { port: number }
            srv.close(() => resolve(port))
        })
    })
}

async function waitFor<T>(f: () => T | null | undefined | false | Promise<T | null>, what: string, ms = 30_000): Promise<T> {
    const end = Date.now() + ms
    for (;;) {
        const v = await f()
        if (v) return v
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
        await new Promise((r) => setTimeout(r, 50))
    }
}

/** The first run, started by the scheduler itself, has finished. */
const firstRun = (s: SchedulerHandle) => waitFor(() => { const h = s.health(); return h.lastRunAt && !h.running ? h : null }, 'the first run')

async function get(url: string): Promise<{ status: number; body: string; type: string }> {
    const r = await fetch(url)
    return { status: r.status, body: await r.text(), type: r.headers.get('content-type') ?? '' }
}

function promtool(page: string): { status: number | null; out: string } {
    const r = spawnSync('promtool', ['check', 'metrics'], { input: page, encoding: 'utf8' })
    return { status: r.status, out: `${r.stdout}${r.stderr}`.trim() }
}

const sample = (page: string, name: string) => {
    const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(page)
    return m ? Number(m[1]) : undefined
}

test('/metrics after a run with nothing to send: promtool accepts it, outbox depth 0, process and Node metrics; /healthz ok', async () => {
    const s = await start('nothing', {})
    const h = await firstRun(s)
    expect(h.lastRunExitCode).toBe(0)
    const metrics = await get(`${s.address}/metrics`)
    expect(metrics.status).toBe(200)
    expect(metrics.type).toMatch(/^text\/plain; version=0\.0\.4/)
    expect(promtool(metrics.body)).toEqual({ status: 0, out: '' })
    expect(metrics.body).not.toMatch(/ null$/m)
    expect(sample(metrics.body, 'revenue_bridge_outbox_depth')).toBe(0)
    expect(sample(metrics.body, 'revenue_bridge_delivering')).toBe(1)
    expect(sample(metrics.body, 'revenue_bridge_last_delivery_timestamp_seconds')).toBeGreaterThan(0)
    expect(metrics.body).toMatch(/^process_cpu_user_seconds_total \d/m)
    expect(metrics.body).toMatch(/^nodejs_heap_size_used_bytes \d/m)
    expect(metrics.body).toMatch(/^revenue_bridge_runs_total\{exit_code="0"\} 1$/m)
    // The check can fail: the page as it was before (a null gauge) is refused.
    expect(promtool(metrics.body.replace(/^revenue_bridge_outbox_depth 0$/m, 'revenue_bridge_outbox_depth null')).status).not.toBe(0)

    const health = await get(`${s.address}/healthz`)
    expect(health.status).toBe(200)
    const body = JSON.parse(health.body) as Health
    expect(body).toMatchObject({ status: 'ok', valuesWaiting: 0, newProblems: 0, stillQuarantined: 0, failedInARow: 0 })
    expect(body.lastDeliveryAt).toBe(body.lastCleanRunAt)
    expect(body.nextRunAt).toMatch(/-01-01T/)
})

test('a run that delivered everything but quarantined a row is a delivery; the same row next run is still quarantined, not new; the DHIS2 message goes out once', async () => {
    const s = await start('bad-row', { rows: [...GOOD, BAD], schedule: { alerts: { dhis2UserGroup: 'HMIS_ADMINS' } } })
    const first = await firstRun(s)
    expect(first).toMatchObject({ status: 'problems', lastRunExitCode: 3, newProblems: 1, stillQuarantined: 0, valuesWaiting: 0 })
    expect(first.lastDeliveryAt).not.toBeNull()
    expect(first.lastCleanRunAt).toBeNull()
    expect((await get(`${s.address}/healthz`)).status).toBe(200)
    const messages = () => messagesOf(standin.state).filter((m) => m.subject.includes('nouveaux problèmes'))
    await waitFor(() => messages().length === 1, 'the DHIS2 message')
    const [message] = messages()
    expect(message.userGroups).toEqual(['uGrpHmisAd1'])
    expect(message.text).toMatch(/Dernière livraison : 20\d\d-/)
    expect(message.text).toMatch(/New problems: 1/)

    await new Promise((r) => setTimeout(r, 20))
    expect(await s.runNow('sync')).toBe(true)
    const second = s.health()
    expect(second).toMatchObject({ status: 'problems', lastRunExitCode: 3, newProblems: 0, stillQuarantined: 1 })
    expect(Date.parse(second.lastDeliveryAt!)).toBeGreaterThan(Date.parse(first.lastDeliveryAt!))
    expect(messages()).toHaveLength(1)
    const page = (await get(`${s.address}/metrics`)).body
    expect(sample(page, 'revenue_bridge_new_problems')).toBe(0)
    expect(sample(page, 'revenue_bridge_still_quarantined_rows')).toBe(1)
    expect(page).toMatch(/^revenue_bridge_runs_total\{exit_code="3"\} 2$/m)
    // The dashboards' freshness view reads the same words from the data store.
    const ou = (await api(standin.url, 'organisationUnits?filter=code:eq:ML-BKO-HDB&fields=id')).body.organisationUnits[0].id
    const entry = (await api(standin.url, `dataStore/payrev/facility-${ou}`)).body
    expect(entry).toMatchObject({ lastRunStatus: 'QUARANTINE', quarantined: 1, newProblems: 0, stillQuarantined: 1, lastCleanRunAt: null })
    // Stamped by the publish stage of the second run, a moment before its report.
    expect(Math.abs(Date.parse(entry.lastDeliveryAt) - Date.parse(second.lastDeliveryAt!))).toBeLessThan(5000)
    expect(Date.parse(entry.lastDeliveryAt)).toBeGreaterThan(Date.parse(first.lastDeliveryAt!))
})

test('DHIS2 down: /healthz 503 and a webhook alert; back up: one recovery message', async () => {
    const received: Array<{ subject: string; fr: string; en: string }> = []
    const hook = http.createServer((req, res) => {
        let b = ''
        req.on('data', (c) => (b += c))
        req.on('end', () => {
            received.push(JSON.parse(b))
            res.end('{}')
        })
    })
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r))
    try {
        standin.hooks.faults({ failNext: { count: 1000, status: 503, path: '/api/system/info' } })
        const port = (hook.address() as { port: number }).port
        const s = await start('down', { rows: GOOD, schedule: { alerts: { webhookUrl: `http://127.0.0.1:${port}/hook`, afterFailedRuns: 1, repeatEveryMinutes: 60 } } })
        const h = await firstRun(s)
        expect(h).toMatchObject({ status: 'failing', lastRunExitCode: 4, failedInARow: 1, lastDeliveryAt: null })
        expect((await get(`${s.address}/healthz`)).status).toBe(503)
        await waitFor(() => received.length === 1, 'the failing alert')
        expect(received[0].subject).toBe('Pont des recettes : livraison en échec / Revenue bridge: delivery failing')
        // Still failing within the repeat interval: no second alert.
        await s.runNow('sync')
        expect(received).toHaveLength(1)

        standin.hooks.faults({ clear: true })
        await s.runNow('sync')
        await waitFor(() => received.length === 2, 'the recovery message')
        expect(received[1].subject).toBe('Pont des recettes : livraison rétablie / Revenue bridge: delivery recovered')
        expect(received[1].en).toMatch(/Values waiting: 0/)
        expect(s.health()).toMatchObject({ status: 'ok', failedInARow: 0 })
        expect((await get(`${s.address}/healthz`)).status).toBe(200)
    } finally {
        hook.close()
    }
})

test('a one-second cron fires by itself and skips a tick while a slow sync runs', async () => {
    // Every stand-in answer takes 400 ms: a sync spans several seconds, so some ticks find it running.
    standin.hooks.faults({ latencyMs: 400 })
    const s = await start('cron', { rows: GOOD, schedule: { cron: '* * * * * *' } })
    const text = await waitForMetrics(s, (t) => (sample(t, 'revenue_bridge_ticks_skipped_total') ?? 0) >= 1 && runsTotal(t) >= 2)
    expect(runsTotal(text)).toBeGreaterThanOrEqual(2)
    expect(sample(text, 'revenue_bridge_ticks_skipped_total')).toBeGreaterThanOrEqual(1)
    await s.stop()
    // Never two runs at once: each run started after the one before had finished.
    const db = new Database(path.join(work, 'cron', 'state', 'bridge.sqlite'), { readonly: true })
    const runs = db.prepare("SELECT started_at AS s, finished_at AS f FROM runs WHERE command = 'sync' ORDER BY id").all() as Array<{ s: string; f: string }>
    db.close()
    expect(runs.length).toBeGreaterThanOrEqual(2)
    for (let i = 1; i < runs.length; i++) expect(runs[i].s >= runs[i - 1].f).toBe(true)
})

function runsTotal(text: string): number {
    return [...text.matchAll(/^revenue_bridge_runs_total\{exit_code="\d"\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0)
}

async function waitForMetrics(s: SchedulerHandle, ok: (text: string) => boolean, ms = 30_000): Promise<string> {
    const end = Date.now() + ms
    for (;;) {
        const text = await s.metrics.render()
        if (ok(text)) return text
        if (Date.now() > end) throw new Error(`metrics never matched:\n${text.split('\n').filter((l) => l.startsWith('revenue_bridge')).join('\n')}`)
        await new Promise((r) => setTimeout(r, 200))
    }
}

describe('the page off loopback needs a token', () => {
    const TOKEN = 'page-token-0123456789abcdef'

    test('bound to 0.0.0.0 without a token: refused at start, in both languages', async () => {
        await expect(start('open', { schedule: { http: { host: '0.0.0.0', port: await freePort() } } })).rejects.toMatchObject({
            reason: { fr: expect.stringMatching(/n'est pas la boucle locale : la page de suivi exige un jeton/), en: expect.stringMatching(/is not loopback: the status page needs a token/) },
        })
    })

    test('with a token file: 401 without it, Bearer for /healthz and /metrics, ?token= once sets a cookie, the page says so', async () => {
        const tokenFile = path.join(work, 'page-token')
        fs.writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 })
        const port = await freePort()
        const s = await start('token', { schedule: { http: { host: '0.0.0.0', port, tokenFile } } })
        await firstRun(s)
        const base = `http://127.0.0.1:${port}`
        expect((await fetch(`${base}/`)).status).toBe(401)
        expect((await fetch(`${base}/metrics`)).status).toBe(401)
        expect((await fetch(`${base}/healthz`, { headers: { Authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401)
        expect((await fetch(`${base}/healthz`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(200)
        const login = await fetch(`${base}/?token=${TOKEN}&lang=en`, { redirect: 'manual' })
        expect(login.status).toBe(303)
        expect(login.headers.get('location')).toBe('/?lang=en')
        const cookie = login.headers.get('set-cookie')!
        expect(cookie).toMatch(/HttpOnly; SameSite=Strict/)
        const page = await fetch(`${base}/?lang=en`, { headers: { Cookie: cookie.split(';')[0] } })
        expect(page.status).toBe(200)
        expect(await page.text()).toContain('Access protected by a token')
    })
})

test('with schedule.verify, the page shows the last check of DHIS2 (docs/traceability.md)', async () => {
    const s = await start('verify', { rows: GOOD, schedule: { verify: '* * * * * *' } })
    await firstRun(s)
    const page = await waitFor(
        async () => {
            const html = (await get(`${s.address}/?lang=en`)).body
            return html.includes('id="last-verify"') ? html : null
        },
        'a verify on the page'
    )
    expect(page).toMatch(/Last check of DHIS2<\/dt><dd id="last-verify">20\d\d-\d\d-\d\d \d\d:\d\d — \d+ \/ 0 \/ 0 \/ 0 <small>\(values checked, drifted, repaired, left\)/)
    // The page reads the verify's result from the state as soon as it is stored; the gauge is set
    // once the verify has returned (after it publishes the dashboards' lineage): wait for it.
    expect(await waitForMetrics(s, (text) => /^revenue_bridge_drifted_values /m.test(text))).toMatch(/^revenue_bridge_drifted_values 0$/m)
})

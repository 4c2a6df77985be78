/**
 * Measurement, not a test (no assertion on times): a district of 200 facilities in the stand-in,
 * 24 months of values for every facility, then in headless Chromium
 *   - time to a fully rendered overview of the district (cards, 24-month trend, service mix),
 *   - time to a fully rendered facilities table (200 rows),
 *   - API requests per view (the stand-in's /__standin/requests log),
 *   - the bundle size of build/app.
 *   - on a throttled link (tests/e2e/throttle.mjs: 3G, 300 ms / 1.6 Mbit/s, and 600 ms / 400 kbit/s),
 *     first and repeat visit of the overview, with the stand-in serving the app as before
 *     (`compress: false, appCache: false`) and as a production DHIS2 behind nginx (the default),
 *     side by side in the same run. With `--before-app DIR`, "before" is instead another build of the
 *     app (a copy of an earlier build/app), served the same way as "after": two apps compared.
 * `--waterfall`: the requests of the first throttled run's visits (tests/e2e/throttle.mjs, printWaterfall).
 * Prints small tables. Needs `npm run build:bridge` and `npx d2-app-scripts build`.
 *
 *   node tests/e2e/measure-200.mjs [--runs 3] [--facilities 200] [--throttle 3g,slow-3g|none] [--throttled-runs 1] [--before-app DIR] [--waterfall]
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import zlib from 'node:zlib'
import { APP_DIR, APP_PATH, REPO, admin, launchBrowser, loadDist, runCli } from './harness.mjs'
import { PROFILES, printWaterfall, visits } from './throttle.mjs'

const argValue = (name, fallback) => {
    const i = process.argv.indexOf(name)
    return i >= 0 ? Number(process.argv[i + 1]) : fallback
}
const RUNS = argValue('--runs', 3)
const THROTTLED_RUNS = argValue('--throttled-runs', 1)
const argText = (name, fallback) => {
    const i = process.argv.indexOf(name)
    return i >= 0 ? process.argv[i + 1] : fallback
}
const THROTTLE = argText('--throttle', '3g,slow-3g')
    .split(',')
    .filter((p) => p && p !== 'none')
const BEFORE_APP = argText('--before-app', null)
// The first throttled run's requests, one table per visit (start, end, bytes, initiator, what each waited on).
const WATERFALL = process.argv.includes('--waterfall')
for (const p of THROTTLE) if (!PROFILES[p]) throw new Error(`--throttle: unknown profile ${p} (${Object.keys(PROFILES).join(', ')}, none)`)
const N = argValue('--facilities', 200)
const TODAY = '2026-11-20'
const PE = '202610'
const VERSION = '2.41.3'
const CHANNELS = ['CASH', 'ORANGE_MONEY', 'MOOV_MONEY', 'SAMA_MONEY', 'CARD']
const SERVICES = ['CONSULTATION', 'EXAM', 'PHARMACY', 'HOSPITALISATION', 'OTHER']
const MONTHS = Array.from({ length: 24 }, (_, i) => {
    const m = 2024 * 12 + 10 + i // 2024-11 … 2026-10
    return `${Math.floor(m / 12)}${String((m % 12) + 1).padStart(2, '0')}`
})

const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b)
    const m = Math.floor(s.length / 2)
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const ms = (x) => `${Math.round(x)} ms`
const kB = (n) => `${(n / 1024).toFixed(1)} kB`
const log = (s = '') => process.stdout.write(`${s}\n`)

function table(header, rows) {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)))
    const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`
    log(line(header))
    log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`)
    for (const r of rows) log(line(r))
}

/** `serving`: stand-in options for the app's files (compress, appCache); the defaults serve as DHIS2 behind nginx. */
export async function setUp(serving = {}) {
    const { standin: standinMod, ledger: ledgerMod } = loadDist()
    const standin = await standinMod.startStandin({ version: VERSION, today: TODAY, appDir: APP_DIR, autoLoginUser: 'admin', port: 0, ...serving })
    const codes = Array.from({ length: N }, (_, i) => `ML-TST-CS${String(i + 1).padStart(3, '0')}`)
    standin.hooks.addOrgUnits([
        { code: 'ML-TST', name: `District sanitaire de test (${N} établissements)`, parent: 'ML' },
        ...codes.map((code, i) => ({ code, name: `Centre de santé ${String(i + 1).padStart(3, '0')}`, parent: 'ML-TST' })),
    ])

    // `setup` installs the metadata and assigns the facilities it finds in the ledger: one row each.
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'payrev-measure-'))
    const ledgerDir = path.join(work, 'ledger')
    fs.mkdirSync(ledgerDir)
    const rows = codes.map((code, i) => ({
        transaction_id: `T-${i}`,
        line_no: '1',
        occurred_at: '2026-10-15 10:00:00',
        facility_code: code,
        channel: 'Espèces',
        service: 'Consultation',
        amount_xof: '2000',
        type: 'PAYMENT',
        status: 'SUCCESS',
    }))
    fs.writeFileSync(path.join(ledgerDir, 'facilities.csv'), ledgerMod.demoLedgerCsv({ header: [...ledgerMod.DEMO_HEADER], rows }))
    const env = {
        ...process.env,
        DHIS2_BASE_URL: standin.url,
        DHIS2_TOKEN: standinMod.seedTokenFor(VERSION),
        DHIS2_USERNAME: '',
        DHIS2_PASSWORD: '',
        BRIDGE_STATE_DIR: path.join(work, 'state'),
    }
    const setup = await runCli(['setup', '--ledger', ledgerDir, '--lang', 'en'], env)
    if (setup.code !== 0) throw new Error(`setup exited ${setup.code}:\n${setup.out}`)

    // 24 months of values for every facility, channel and service, posted as the bridge would.
    const get = (p) => admin(standin, 'GET', p)
    const des = Object.fromEntries(
        (await get('/api/dataElements?filter=code:like:PAYREV_&fields=id,code&paging=false')).dataElements.map((d) => [d.code, d.id])
    )
    const combos = (await get('/api/categoryCombos?filter=code:like:PAYREV_CC&fields=code,categoryOptionCombos[id,categoryOptions[code]]&paging=false'))
        .categoryCombos
    const cocOf = (comboCode, optionCodes) =>
        combos
            .find((c) => c.code === comboCode)
            .categoryOptionCombos.find((coc) => optionCodes.every((o) => coc.categoryOptions.some((x) => x.code === o))).id
    const uid = standinMod.orgUnitUid
    const rand = ledgerMod.mulberry32(200)
    let posted = 0
    for (const code of codes) {
        const dataValues = []
        const size = 0.3 + rand() * 2 // facility size
        for (const [m, pe] of MONTHS.entries()) {
            const digital = 0.1 + 0.5 * (m / 23) * rand()
            for (const [ci, ch] of CHANNELS.entries()) {
                const chShare = ch === 'CASH' ? 1 - digital : ch === 'CARD' ? digital * 0.1 : (digital * 0.9) / 3
                let payments = 0
                for (const sv of SERVICES) {
                    const gross = Math.round((size * 2_000_000 * chShare * (0.1 + rand() * 0.3)) / 5) * 5
                    payments += Math.max(1, Math.round(gross / (9000 + rand() * 6000)))
                    const coc = cocOf('PAYREV_CC_CHANNEL_SERVICE', [`PAYREV_CH_${ch}`, `PAYREV_SV_${sv}`])
                    dataValues.push({ dataElement: des.PAYREV_GROSS, period: pe, orgUnit: uid(code), categoryOptionCombo: coc, value: String(gross) })
                    if (rand() < 0.3) dataValues.push({ dataElement: des.PAYREV_REFUNDS, period: pe, orgUnit: uid(code), categoryOptionCombo: coc, value: String(Math.round(gross * 0.02)) })
                }
                const coc = cocOf('PAYREV_CC_CHANNEL', [`PAYREV_CH_${ch}`])
                dataValues.push({ dataElement: des.PAYREV_PAYMENTS, period: pe, orgUnit: uid(code), categoryOptionCombo: coc, value: String(payments) })
                if (ci > 0) dataValues.push({ dataElement: des.PAYREV_FAILED, period: pe, orgUnit: uid(code), categoryOptionCombo: coc, value: String(Math.round(payments * 0.03 * rand())) })
            }
        }
        await admin(standin, 'POST', '/api/dataValueSets', { dataValues })
        posted += dataValues.length
    }
    standin.hooks.refreshAnalytics()
    await admin(standin, 'POST', '/api/systemSettings/keyCacheStrategy?value=NO_CACHE')
    await admin(standin, 'POST', '/api/userSettings/keyUiLocale?value=fr')
    return {
        standin,
        posted,
        district: uid('ML-TST'),
        close: async () => {
            await standin.close()
            fs.rmSync(work, { recursive: true, force: true })
        },
    }
}

/** Requests logged by the stand-in since the last clear, by kind. */
async function requestsSince(standin) {
    const list = await (await fetch(`${standin.url}/__standin/requests`)).json()
    await fetch(`${standin.url}/__standin/requests`, { method: 'DELETE' })
    const api = list.filter((r) => r.path.startsWith('/api/') && !r.path.startsWith('/api/apps/'))
    return {
        total: list.length,
        assets: list.length - api.length,
        api: api.length,
        analytics: api.filter((r) => /^\/api\/(\d+\/)?analytics/.test(r.path)).length,
        paths: api.map((r) => r.path.replace(/^\/api\/\d+\//, '/api/')),
        others: list.filter((r) => !api.includes(r)).map((r) => r.path),
    }
}

const RENDERED = {
    overview: async (page) => {
        await page.getByTestId('kpi-gross-value').waitFor({ timeout: 60_000 })
        await page.getByTestId('trend-chart').locator('.recharts-bar-rectangle').first().waitFor({ timeout: 60_000 })
        await page.getByTestId('service-mix').locator('.recharts-pie-sector').first().waitFor({ timeout: 60_000 })
    },
    facilities: async (page) => {
        await page.locator('[data-test^="facility-row-"]').nth(N - 1).waitFor({ timeout: 60_000 })
    },
    channels: async (page) => {
        await page.getByTestId('channels-table').waitFor({ timeout: 60_000 })
        await page.getByTestId('channels-count-chart').locator('.recharts-bar-rectangle').first().waitFor({ timeout: 60_000 })
    },
    freshness: async (page) => {
        await page.getByTestId('freshness-view').locator('[data-test="freshness-table"], [data-test="empty-state"]').first().waitFor({ timeout: 60_000 })
    },
}

/** Milliseconds the page spent waiting for analytics answers (request start → response end). */
function trackAnalytics(page) {
    const spans = []
    page.on('requestfinished', (r) => {
        if (!/\/api\/\d+\/analytics/.test(r.url())) return
        const t = r.timing()
        spans.push(t.responseEnd)
    })
    return spans
}

async function main() {
    const t0 = Date.now()
    const env = await setUp()
    log(`District of ${N} facilities, ${env.posted.toLocaleString('en')} data values over 24 months, set up in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
    const browser = await launchBrowser()
    const url = (view) => `${env.standin.url}${APP_PATH}#/${view}?ou=${env.district}&pe=${PE}`
    const results = { cold: {}, switch: {}, analyticsWait: {} }
    let throttled = {}
    const requests = {}
    try {
        for (let run = 0; run < RUNS; run++) {
            // Cold: a new browser context (empty cache) straight onto the view.
            for (const view of ['overview', 'facilities']) {
                const context = await browser.newContext({ viewport: { width: 1366, height: 768 } })
                const page = await context.newPage()
                const spans = trackAnalytics(page)
                await requestsSince(env.standin)
                const start = Date.now()
                await page.goto(url(view))
                await RENDERED[view](page)
                const wall = Date.now() - start
                // the same from the page's clock (navigation start → now)
                const nav = await page.evaluate(() => performance.now())
                ;(results.cold[view] ??= []).push(wall)
                ;(results.analyticsWait[view] ??= []).push(Math.max(0, ...spans))
                if (run === 0) requests[`${view} (cold start)`] = await requestsSince(env.standin)
                if (run === 0) log(`  ${view}: cold render ${ms(wall)} (navigation start → rendered ${ms(nav)})`)
                await context.close()
            }
            // Switching views inside a running app (the app shell and metadata are loaded).
            const context = await browser.newContext({ viewport: { width: 1366, height: 768 } })
            const page = await context.newPage()
            await page.goto(url('freshness'))
            await RENDERED.freshness(page)
            for (const view of ['overview', 'facilities', 'channels', 'freshness']) {
                await requestsSince(env.standin)
                const start = Date.now()
                await page.getByTestId(`tab-${view}`).click()
                await RENDERED[view](page)
                ;(results.switch[view] ??= []).push(Date.now() - start)
                await page.waitForTimeout(300) // let late requests land in the log
                if (run === 0) requests[`${view} (tab switch)`] = await requestsSince(env.standin)
            }
            await context.close()
        }
        throttled = await measureThrottled(browser, env)
    } finally {
        await browser.close()
        await env.close()
    }

    log(`\nTime to a fully rendered view, district of ${N} facilities, period ${PE} (median of ${RUNS}; headless Chromium, 2 cores):`)
    table(
        ['view', 'cold load (new context)', 'of which longest analytics answer', 'tab switch'],
        ['overview', 'facilities', 'channels', 'freshness'].map((v) => [
            v,
            results.cold[v] ? ms(median(results.cold[v])) : '–',
            results.analyticsWait[v] ? ms(median(results.analyticsWait[v])) : '–',
            ms(median(results.switch[v])),
        ])
    )
    log('\nRequests per view (stand-in log; API = /api/* except the app files):')
    const counted = (paths) => {
        const n = new Map()
        for (const p of paths) n.set(p, (n.get(p) ?? 0) + 1)
        return [...n].map(([p, c]) => (c > 1 ? `${p} ×${c}` : p)).join(', ')
    }
    table(
        ['view', 'API requests', 'of which analytics', 'other requests (app files, menu)'],
        Object.entries(requests).map(([k, r]) => [k, r.api, r.analytics, r.assets])
    )
    for (const [k, r] of Object.entries(requests)) log(`  ${k}: ${counted(r.paths)}${r.others.length ? `; other: ${counted(r.others)}` : ''}`)

    if (THROTTLE.length) {
        const beforeIs = BEFORE_APP ? `the app of ${BEFORE_APP}, served as DHIS2 behind nginx; after: build/app, the same way` : 'the stand-in without compression or validators; after: as DHIS2 behind nginx'
        log(`\nOverview of the district on a throttled link (median of ${THROTTLED_RUNS}; before: ${beforeIs}):`)
        const kb = (n) => `${Math.round(n / 1024)} kB`
        table(
            ['profile', 'serving', 'first visit', 'on the wire', 'repeat visit', 'on the wire (requests, from cache)'],
            THROTTLE.flatMap((p) =>
                ['before', 'after'].map((v) => {
                    const f = throttled[p][v]
                    return [PROFILES[p].label, v, ms(f.firstMs), kb(f.firstBytes), ms(f.repeatMs), `${kb(f.repeatBytes)} (${f.repeatRequests}, ${f.repeatFromCache})`]
                })
            )
        )
    }

    // Bundle size.
    const assets = path.join(APP_DIR, 'assets')
    const files = fs.readdirSync(assets).filter((f) => f.endsWith('.js') || f.endsWith('.css'))
    const zip = fs.readdirSync(path.join(REPO, 'build', 'bundle')).find((f) => f.endsWith('.zip'))
    const dirSize = (d) => fs.readdirSync(d, { withFileTypes: true }).reduce((s, e) => s + (e.isDirectory() ? dirSize(path.join(d, e.name)) : fs.statSync(path.join(d, e.name)).size), 0)
    log('\nBundle (build/app/assets, .js and .css):')
    table(
        ['file', 'size', 'gzip'],
        files.map((f) => {
            const buf = fs.readFileSync(path.join(assets, f))
            return [f, kB(buf.length), kB(zlib.gzipSync(buf).length)]
        })
    )
    log(`build/app: ${kB(dirSize(APP_DIR))}; ${zip}: ${kB(fs.statSync(path.join(REPO, 'build', 'bundle', zip)).size)}`)

    // For `npm run bench`, whose table reads the app's figures from here (bench/data is not committed).
    const figures = {
        measuredAt: new Date().toISOString(),
        facilities: N,
        runs: RUNS,
        bundleGzipBytes: files.reduce((sum, f) => sum + zlib.gzipSync(fs.readFileSync(path.join(assets, f))).length, 0),
        overviewMs: median(results.cold.overview),
        overviewSwitchMs: median(results.switch.overview),
        facilitiesMs: median(results.cold.facilities),
        facilitiesSwitchMs: median(results.switch.facilities),
        throttledRuns: THROTTLED_RUNS,
        throttled,
    }
    if (throttled['3g']) {
        figures.overview3gFirstMs = throttled['3g'].after.firstMs
        figures.overview3gRepeatMs = throttled['3g'].after.repeatMs
    }
    const out = path.join(REPO, 'bench', 'data', 'app-figures.json')
    fs.mkdirSync(path.dirname(out), { recursive: true })
    fs.writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`)
    log(`\nFigures written to ${path.relative(REPO, out)} (read by npm run bench).`)
}

/** First and repeat visits of the overview under each profile, before and after, alternated run by run. */
async function measureThrottled(browser, after) {
    if (!THROTTLE.length) return {}
    const before = await setUp(BEFORE_APP ? { appDir: path.resolve(BEFORE_APP) } : { compress: false, appCache: false })
    const out = {}
    try {
        const samples = {}
        for (let run = 0; run < THROTTLED_RUNS; run++) {
            for (const p of THROTTLE) {
                for (const [variant, env] of [['before', before], ['after', after]]) {
                    const url = `${env.standin.url}${APP_PATH}#/overview?ou=${env.district}&pe=${PE}`
                    const v = await visits(browser, url, PROFILES[p], RENDERED.overview)
                    log(`  ${p} ${variant}: first ${ms(v.first.ms)} (${Math.round(v.first.bytes / 1024)} kB), repeat ${ms(v.repeat.ms)} (${Math.round(v.repeat.bytes / 1024)} kB)`)
                    if (WATERFALL && run === 0) {
                        printWaterfall(v.first, `${p} ${variant}, first visit (${ms(v.first.ms)})`)
                        printWaterfall(v.repeat, `${p} ${variant}, repeat visit (${ms(v.repeat.ms)})`)
                    }
                    delete v.first.waterfall
                    delete v.repeat.waterfall
                    ;((samples[p] ??= {})[variant] ??= []).push(v)
                }
            }
        }
        for (const [p, byVariant] of Object.entries(samples)) {
            out[p] = { profile: PROFILES[p] }
            for (const [variant, vs] of Object.entries(byVariant)) {
                out[p][variant] = {
                    firstMs: median(vs.map((v) => v.first.ms)),
                    repeatMs: median(vs.map((v) => v.repeat.ms)),
                    firstBytes: median(vs.map((v) => v.first.bytes)),
                    repeatBytes: median(vs.map((v) => v.repeat.bytes)),
                    firstRequests: median(vs.map((v) => v.first.requests)),
                    repeatRequests: median(vs.map((v) => v.repeat.requests)),
                    repeatFromCache: median(vs.map((v) => v.repeat.fromCache)),
                }
            }
        }
    } finally {
        await before.close()
    }
    return out
}

if (import.meta.url === pathToFileURL(process.argv[1]).href)
    main().catch((e) => {
        process.stderr.write(`${e?.stack ?? e}\n`)
        process.exit(1)
    })

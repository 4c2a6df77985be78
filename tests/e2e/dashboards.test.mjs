/**
 * The dashboards in headless Chromium against the demo: the stand-in serves the built app, the
 * real CLI has run `setup` then `sync` on the demo ledger (fixed seed, end date and "today"), and
 * every figure checked here is recomputed from the ledger rows by reference.mjs (docs/contract.md §2–§3),
 * never read from the app or the bridge. One browser for the whole file; a fresh context
 * (cookies, session storage, cache) per test. Screenshots go to tests/artifacts/.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { ARTIFACTS, launchBrowser, openApp, plain, startDemo } from './harness.mjs'
import { aggregate, enInt, fcfa, frInt, parsePercent, readLedger, total } from './reference.mjs'

const TODAY = '2026-11-20'
const END = '2026-10-31'
const PE = '202610'
const PREVIOUS = '202609'
const LAST_YEAR = '202510'
const BAMAKO = ['ML-BKO-HDB', 'ML-BKO-CHUGT', 'ML-BKO-CSREF4']
const DIGITAL = ['ORANGE_MONEY', 'MOOV_MONEY', 'SAMA_MONEY', 'CARD']
const DESKTOP = { width: 1366, height: 768 }
const PHONE = { width: 390, height: 844 }
const WAIT = { timeout: 20_000 }

let demo
let browser
let ref
let analyticsRefreshed = false
const uid = (code) => demo.orgUnitUid(code)
const months = (year, from, to) => Array.from({ length: to - from + 1 }, (_, i) => `${year}${String(from + i).padStart(2, '0')}`)

before(
    async () => {
        fs.mkdirSync(ARTIFACTS, { recursive: true })
        demo = await startDemo({ today: TODAY, endDate: END, seed: 42, months: 24 })
        const read = readLedger(demo.ledger.rows)
        ref = { ...read, cells: aggregate(read.lines) }
        browser = await launchBrowser()
    },
    { timeout: 120_000 }
)

after(async () => {
    await browser?.close()
    await demo?.close()
})

/** Generating the analytics tables is a step of its own: the first test looks at the app before it. */
function refreshAnalytics() {
    if (!analyticsRefreshed) demo.standin.hooks.refreshAnalytics()
    analyticsRefreshed = true
}

/** A fresh context on the app at `#/<hash>`; uncaught page errors fail the test. */
const open = (t, hash, { viewport = DESKTOP } = {}) => openApp(browser, t, `${demo.appUrl}#/${hash}`, { viewport })

const text = async (locator) => plain(await locator.innerText())
const shot = (page, name) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) })

/** A percentage shown with one decimal equals the reference ratio (rounding tolerance only). */
function assertPercent(shown, expected, what) {
    const got = parsePercent(shown)
    assert.notEqual(got, null, `${what}: "${shown}" is not a percentage`)
    assert.ok(Math.abs(got - expected) <= 0.0005 + 1e-9, `${what}: shown ${shown}, reference ${(expected * 100).toFixed(3)} %`)
}

test('setup and sync ran against the stand-in; the demo’s bad rows are quarantined (exit 3)', () => {
    assert.equal(demo.setup.code, 0, demo.setup.out)
    assert.equal(demo.sync.code, 3, demo.sync.out)
    assert.equal(ref.quarantined.length, 8)
    assert.match(demo.sync.out, /quarantined[^\n]*\b8\b/i)
})

test('before the analytics tables are generated, the analytics views explain it (409 E7144)', async (t) => {
    assert.equal(analyticsRefreshed, false, 'this test must run before the analytics refresh')
    const page = await open(t, `overview?ou=${uid('ML-BKO-HDB')}&pe=${PE}`)
    for (const view of ['overview', 'facilities', 'channels']) {
        if (view !== 'overview') await page.getByTestId(`tab-${view}`).click()
        const error = page.getByTestId(`${view}-view`).getByTestId('error-state')
        await error.waitFor(WAIT)
        assert.equal(await error.getAttribute('data-error-kind'), 'analytics-tables-missing')
        const shown = await text(error)
        assert.match(shown, /Tables d'analyse non générées/)
        assert.match(shown, /409 · E7144/)
        if (view === 'overview') await shot(page, 'e2e-analytics-not-generated-1366x768')
    }
    // The run summaries come from the data store, not analytics: freshness works already.
    await page.getByTestId('tab-freshness').click()
    await page.getByTestId('freshness-table').waitFor(WAIT)
})

test('overview: the cards of one hospital for October 2026 match the ledger', async (t) => {
    refreshAnalytics()
    const f = ['ML-BKO-HDB']
    const cur = total(ref.cells, { facilities: f, months: [PE] })
    const prev = total(ref.cells, { facilities: f, months: [PREVIOUS] })
    const ly = total(ref.cells, { facilities: f, months: [LAST_YEAR] })
    const ytd = total(ref.cells, { facilities: f, months: months(2026, 1, 10) })
    const digital = total(ref.cells, { facilities: f, months: [PE], channels: DIGITAL })
    assert.ok(cur.gross > 0 && cur.payments > 0 && cur.refunds > 0, 'the demo month has payments and refunds')

    const page = await open(t, `overview?ou=${uid('ML-BKO-HDB')}&pe=${PE}`)
    await page.getByTestId('kpi-gross-value').waitFor(WAIT)
    assert.match(await text(page.getByTestId('overview-view').locator('h2')), /Hôpital de Dermatologie de Bamako · octobre 2026/)
    assert.equal(await text(page.getByTestId('kpi-gross-value')), fcfa(cur.gross))
    assert.equal(await text(page.getByTestId('kpi-net-value')), fcfa(cur.gross - cur.refunds))
    assert.equal(await text(page.getByTestId('kpi-payments-value')), frInt(cur.payments))
    assert.equal(await text(page.getByTestId('kpi-refunds-value')), fcfa(cur.refunds))
    assert.equal(await text(page.getByTestId('kpi-average-ticket-value')), fcfa(cur.gross / cur.payments))
    assert.equal(await text(page.getByTestId('kpi-gross-ytd')), fcfa(ytd.gross))
    assertPercent(await text(page.getByTestId('kpi-gross-previous')), cur.gross / prev.gross - 1, 'gross vs previous month')
    assertPercent(await text(page.getByTestId('kpi-gross-year')), cur.gross / ly.gross - 1, 'gross vs October 2025')
    assertPercent(await text(page.getByTestId('kpi-digital-share-value-value')), digital.gross / cur.gross, 'digital share (value)')
    assertPercent(await text(page.getByTestId('kpi-failure-rate-value')), cur.failed / (cur.payments + cur.failed), 'failed payment rate')

    // The trend (24 monthly stacks) and the mix by service are drawn.
    await page.getByTestId('trend-chart').locator('.recharts-bar-rectangle').first().waitFor(WAIT)
    await page.getByTestId('service-mix').locator('.recharts-pie-sector').first().waitFor(WAIT)
    await shot(page, 'e2e-overview-1366x768')
})

test('overview: a district is the sum of its facilities', async (t) => {
    refreshAnalytics()
    const cur = total(ref.cells, { facilities: BAMAKO, months: [PE] })
    const page = await open(t, `overview?ou=${uid('ML-BKO')}&pe=${PE}`)
    await page.getByTestId('kpi-gross-value').waitFor(WAIT)
    assert.equal(await text(page.getByTestId('kpi-gross-value')), fcfa(cur.gross))
    assert.equal(await text(page.getByTestId('kpi-payments-value')), frInt(cur.payments))
})

test('facilities: the league table of the Bamako district, sorted by revenue, sortable by name', async (t) => {
    refreshAnalytics()
    const figures = (code, pe, channels) => total(ref.cells, { facilities: [code], months: [pe], channels })
    const page = await open(t, `facilities?ou=${uid('ML-BKO')}&pe=${PE}`)
    await page.getByTestId('facilities-table').waitFor(WAIT)
    assert.equal(await text(page.getByTestId('facilities-count')), `${BAMAKO.length} établissements`)

    const byRevenue = [...BAMAKO].sort((a, b) => figures(b, PE).gross - figures(a, PE).gross)
    const rowIds = async () => page.locator('[data-test^="facility-row-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-test').slice('facility-row-'.length)))
    assert.deepEqual(await rowIds(), byRevenue.map(uid))

    for (const code of BAMAKO) {
        const id = uid(code)
        const cur = figures(code, PE)
        const cell = (c) => text(page.getByTestId(`facility-${id}-${c}`))
        assert.equal(await cell('gross'), fcfa(cur.gross), `${code} gross`)
        assert.equal(await cell('averageTicket'), fcfa(cur.gross / cur.payments), `${code} average ticket`)
        assertPercent(await cell('previousGrowth'), cur.gross / figures(code, PREVIOUS).gross - 1, `${code} vs September`)
        assertPercent(await cell('yearGrowth'), cur.gross / figures(code, LAST_YEAR).gross - 1, `${code} vs October 2025`)
        assertPercent(await cell('digitalShare'), figures(code, PE, DIGITAL).gross / cur.gross, `${code} digital share`)
        assertPercent(await cell('refundRate'), cur.refunds / cur.gross, `${code} refund rate`)
        assertPercent(await cell('failureRate'), cur.failed / (cur.payments + cur.failed), `${code} failure rate`)
    }
    await shot(page, 'e2e-facilities-1366x768')

    await page.getByTestId('facilities-header-name').locator('button').click()
    const names = Object.fromEntries(BAMAKO.map((c) => [uid(c), c]))
    const shownNames = await page.locator('[data-test^="facility-row-"] td:first-child').allInnerTexts()
    assert.deepEqual(shownNames.map(plain), [...shownNames.map(plain)].sort((a, b) => a.localeCompare(b, 'fr')))
    assert.equal((await rowIds()).length, Object.keys(names).length)
})

test('facilities: the CSV export downloads the table', async (t) => {
    refreshAnalytics()
    const page = await open(t, `facilities?ou=${uid('ML-BKO')}&pe=${PE}`)
    await page.getByTestId('facilities-table').waitFor(WAIT)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('facilities-export-csv').click()])
    assert.equal(download.suggestedFilename(), `établissements-District-de-Bamako-${PE}.csv`)
    const file = path.join(ARTIFACTS, `e2e-${download.suggestedFilename()}`)
    await download.saveAs(file)
    const csv = fs.readFileSync(file, 'utf8')

    assert.ok(csv.startsWith('\ufeff'), 'a BOM so that Excel reads UTF-8')
    const lines = csv.slice(1).split('\r\n').filter(Boolean)
    assert.equal(lines.length, 1 + BAMAKO.length)
    const header = lines[0].split(';')
    assert.deepEqual(header.slice(0, 2), ['Établissement', 'Recettes encaissées (FCFA)'])
    assert.equal(header.length, 8)
    const rows = new Map(lines.slice(1).map((l) => [l.split(';')[0], l.split(';')]))
    const names = { 'ML-BKO-HDB': 'Hôpital de Dermatologie de Bamako', 'ML-BKO-CHUGT': 'CHU Gabriel Touré', 'ML-BKO-CSREF4': 'CSRéf Commune IV' }
    for (const code of BAMAKO) {
        const row = rows.get(names[code])
        assert.ok(row, `${names[code]} is in the file`)
        const cur = total(ref.cells, { facilities: [code], months: [PE] })
        const digital = total(ref.cells, { facilities: [code], months: [PE], channels: DIGITAL })
        assert.equal(row[1], String(cur.gross), `${code}: gross as a plain number`)
        assert.equal(row[5], String(Math.round(cur.gross / cur.payments)), `${code}: average ticket`)
        // percentages with one decimal and a decimal comma (French spreadsheet)
        assert.match(row[4], /^\d+(,\d)?$/)
        assert.ok(Math.abs(Number(row[4].replace(',', '.')) - (100 * digital.gross) / cur.gross) <= 0.05 + 1e-9, `${code}: digital share ${row[4]}`)
    }
})

test('facilities: clicking a facility opens its overview', async (t) => {
    refreshAnalytics()
    const page = await open(t, `facilities?ou=${uid('ML-BKO')}&pe=${PE}`)
    await page.getByTestId(`facility-${uid('ML-BKO-CHUGT')}-name`).click()
    await page.getByTestId('kpi-gross-value').waitFor(WAIT)
    assert.match(page.url(), new RegExp(`#/overview\\?ou=${uid('ML-BKO-CHUGT')}&pe=${PE}$`))
    assert.equal(await text(page.getByTestId('kpi-gross-value')), fcfa(total(ref.cells, { facilities: ['ML-BKO-CHUGT'], months: [PE] }).gross))
})

test('payment channels: value, count, share and failure rate per channel', async (t) => {
    refreshAnalytics()
    const f = ['ML-BKO-HDB']
    const all = total(ref.cells, { facilities: f, months: [PE] })
    const page = await open(t, `channels?ou=${uid('ML-BKO-HDB')}&pe=${PE}`)
    await page.getByTestId('channels-table').waitFor(WAIT)
    for (const [channel, id] of [
        ['ORANGE_MONEY', 'orange-money'],
        ['MOOV_MONEY', 'moov-money'],
        ['CASH', 'cash'],
    ]) {
        const c = total(ref.cells, { facilities: f, months: [PE], channels: [channel] })
        assert.ok(c.payments > 0, `${channel} was used in the demo month`)
        assert.equal(await text(page.getByTestId(`channel-${id}-gross`)), fcfa(c.gross), `${channel} gross`)
        assert.equal(await text(page.getByTestId(`channel-${id}-payments`)), frInt(c.payments), `${channel} payments`)
        assertPercent(await text(page.getByTestId(`channel-${id}-gross-share`)), c.gross / all.gross, `${channel} share of value`)
        assertPercent(await text(page.getByTestId(`channel-${id}-failure-rate`)), c.failed / (c.payments + c.failed), `${channel} failure rate`)
    }
    assert.match(await text(page.getByTestId('channel-row-orange-money')), /^Orange Money /)
    await page.getByTestId('channels-count-chart').locator('.recharts-bar-rectangle').first().waitFor(WAIT)
    await shot(page, 'e2e-channels-1366x768')
})

test('data freshness: each facility’s last sync, rows read and quarantined', async (t) => {
    const page = await open(t, `freshness?ou=${uid('ML')}&pe=${PE}`)
    await page.getByTestId('freshness-table').waitFor(WAIT)
    const facilities = [...ref.rowsPerFacility.keys()].filter(Boolean)
    assert.equal(facilities.length, 5)
    assert.equal(await page.locator('[data-test^="freshness-row-"]').count(), facilities.length)
    // The sync's minute(s) as the page shows them (Africa/Bamako = UTC).
    const minutes = new Set()
    for (let ms = demo.syncStarted.getTime() - 60_000; ms <= demo.syncEnded.getTime() + 60_000; ms += 30_000) minutes.add(new Date(ms).toISOString().slice(11, 16))
    const year = String(demo.syncEnded.getUTCFullYear())
    for (const code of facilities) {
        const id = uid(code)
        const cell = (c) => text(page.getByTestId(`freshness-${id}-${c}`))
        const quarantined = ref.quarantined.filter((q) => q.facility === code).length
        assert.ok(quarantined > 0, `${code}: the demo quarantines at least one of its rows`)
        assert.equal(await cell('lines-read'), frInt(ref.rowsPerFacility.get(code)), `${code} rows read`)
        assert.equal(await cell('quarantined'), frInt(quarantined), `${code} quarantined`)
        assert.equal(await cell('conflicts'), '0', `${code} rejected values`)
        assert.equal(await cell('status'), 'Lignes en quarantaine', `${code} last run result`)
        const lastRun = await cell('last-run')
        assert.ok(lastRun.includes(year) && [...minutes].some((m) => lastRun.includes(m)), `${code}: last run "${lastRun}" is the sync of this test run`)
        // values were delivered: a warning (look at the quarantine), not "never synced" or "late"
        assert.equal(await cell('state'), 'Livré, données à corriger', `${code} state`)
        const delivered = await cell('last-delivery')
        assert.ok(delivered.includes(year) && [...minutes].some((m) => delivered.includes(m)), `${code}: last delivery "${delivered}" is the sync of this test run`)
        assert.equal(await cell('last-clean'), '—', `${code}: no fully clean run yet`)
        assert.equal(await cell('new-problems'), frInt(quarantined), `${code}: every quarantined row is new at the first run`)
        assert.equal(await cell('still-quarantined'), '0', `${code} still quarantined`)
    }
    assert.match(await text(page.getByTestId('freshness-summary')), /^0 à jour, 5 avec /)
    await shot(page, 'e2e-freshness-1366x768')
})

test('the language switch turns the French labels into English', async (t) => {
    refreshAnalytics()
    const f = ['ML-BKO-HDB']
    const ytd = total(ref.cells, { facilities: f, months: months(2026, 1, 10) })
    const cur = total(ref.cells, { facilities: f, months: [PE] })
    assert.ok(ytd.payments >= 1000, 'a count with a thousands separator')
    const page = await open(t, `overview?ou=${uid('ML-BKO-HDB')}&pe=${PE}`)
    await page.getByTestId('kpi-gross-value').waitFor(WAIT)
    const tabs = async () => Promise.all(['overview', 'facilities', 'channels', 'freshness'].map((v) => text(page.getByTestId(`tab-${v}`))))

    assert.equal(await page.getByTestId('app-root').getAttribute('data-lang'), 'fr')
    assert.deepEqual(await tabs(), ["Vue d'ensemble", 'Établissements', 'Canaux de paiement', 'Fraîcheur des données'])
    assert.equal(await text(page.getByTestId('kpi-gross').locator('h3')), 'Recettes encaissées')
    assert.equal(await text(page.getByTestId('kpi-payments-ytd')), frInt(ytd.payments))

    await page.getByTestId('language-switch').getByText('English', { exact: true }).click()
    await page.getByTestId('app-root').and(page.locator('[data-lang="en"]')).waitFor(WAIT)
    assert.deepEqual(await tabs(), ['Overview', 'Facilities', 'Payment channels', 'Data freshness'])
    assert.equal(await text(page.locator('h1')), 'Hospital revenue')
    assert.equal(await text(page.getByTestId('kpi-gross').locator('h3')), 'Gross revenue')
    assert.match(await text(page.getByTestId('overview-view').locator('h2')), /· October 2026$/)
    // counts follow the language; money stays FCFA with French grouping
    assert.equal(await text(page.getByTestId('kpi-payments-ytd')), enInt(ytd.payments))
    assert.equal(await text(page.getByTestId('kpi-gross-value')), fcfa(cur.gross))
    await shot(page, 'e2e-overview-english-1366x768')

    // The choice holds for the session.
    await page.reload()
    await page.getByTestId('kpi-gross-value').waitFor(WAIT)
    assert.equal(await text(page.getByTestId('tab-freshness')), 'Data freshness')
})

test('a period without data shows the empty state', async (t) => {
    refreshAnalytics()
    const page = await open(t, `overview?ou=${uid('ML-BKO-HDB')}&pe=202301`)
    const empty = page.getByTestId('overview-view').getByTestId('empty-state')
    await empty.waitFor(WAIT)
    assert.match(await text(empty), /Aucune donnée pour cette période — le pont a-t-il été exécuté ?/)
    assert.equal(await page.getByTestId('kpi-gross-value').count(), 0)
})

test('phone width (390×844): the overview fits the screen', async (t) => {
    refreshAnalytics()
    const page = await open(t, `overview?ou=${uid('ML-BKO-HDB')}&pe=${PE}`, { viewport: PHONE })
    await page.getByTestId('kpi-gross-value').waitFor(WAIT)
    await page.getByTestId('trend-chart').locator('.recharts-bar-rectangle').first().waitFor(WAIT)
    const overflow = await page.evaluate(() => {
        const wide = [...document.querySelectorAll('[data-test="app-root"] *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        // Tables and the tab bar scroll inside their own box; anything else must fit.
        return wide.filter((e) => !e.closest('[data-test="view-tabs"], [class*="tableWrap"]')).map((e) => `${e.tagName}.${e.className}`.slice(0, 80))
    })
    assert.deepEqual(overflow, [], 'elements wider than the screen')
    const box = await page.getByTestId('kpi-gross').boundingBox()
    assert.ok(box && box.width <= PHONE.width, 'a card fits the width')
    await shot(page, 'e2e-overview-390x844')
})

/**
 * The dashboard plugin (plugin.html of the built app) in headless Chromium, inside a host page that
 * embeds it the way the Dashboard app does (tests/e2e/plugin-host.mjs: post-robot, the same props),
 * on the demo synced into the stand-in. The plugin's figures must be the app's overview figures for
 * the same org unit and period (and the ledger's, recomputed by reference.mjs), and follow a change
 * of the dashboard's filters.
 *
 *   node --test tests/e2e/plugin.test.mjs     (PLUGIN_DHIS2_VERSION=2.40.5 for another stand-in version)
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { admin, ARTIFACTS, launchBrowser, plain, startDemo } from './harness.mjs'
import { filters, ITEM, openPluginHost, routeHost, updatePluginProps } from './plugin-host.mjs'
import { aggregate, fcfa, readLedger, total } from './reference.mjs'

const VERSION = process.env.PLUGIN_DHIS2_VERSION || '2.41.3'
const TODAY = '2026-11-20'
const END = '2026-10-31'
const WAIT = { timeout: 20_000 }
/** The cards the plugin shows, with the value and the change vs last year of each. */
const CARDS = ['gross', 'net', 'digital-share-value']

let demo
let browser
let ref
const uid = (code) => demo.orgUnitUid(code)

before(
    async () => {
        fs.mkdirSync(ARTIFACTS, { recursive: true })
        demo = await startDemo({ version: VERSION, today: TODAY, endDate: END, seed: 42, months: 24 })
        demo.standin.hooks.refreshAnalytics()
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

async function newPage(t) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'fr-FR', timezoneId: 'Africa/Bamako' })
    await routeHost(context, demo.standin.url)
    const page = await context.newPage()
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    t.after(async () => {
        await context.close()
        assert.deepEqual(errors, [], 'uncaught errors in the page')
    })
    return page
}

const text = async (locator) => plain(await locator.innerText())
const unit = async (code) => {
    const u = await admin(demo.standin, 'GET', `/api/organisationUnits/${uid(code)}?fields=id,displayName,path`)
    return { id: u.id, name: u.displayName, path: u.path }
}

/** The value and the change vs last year of each card, as shown. */
async function cardFigures(root) {
    const out = {}
    for (const c of CARDS) {
        await root.getByTestId(`kpi-${c}-value`).waitFor(WAIT)
        out[c] = { value: await text(root.getByTestId(`kpi-${c}-value`)), year: await text(root.getByTestId(`kpi-${c}-year`)) }
    }
    return out
}

async function appFigures(t, ouId, pe) {
    const page = await newPage(t)
    await page.goto(`${demo.appUrl}#/overview?ou=${ouId}&pe=${pe}`)
    return cardFigures(page.getByTestId('overview-view'))
}

test(`the plugin shows the app's overview cards and freshness for the dashboard's filters, and follows a filter change (DHIS2 ${VERSION})`, async (t) => {
    const hdb = await unit('ML-BKO-HDB')
    const expected = await appFigures(t, hdb.id, '202610')
    assert.equal(expected.gross.value, fcfa(total(ref.cells, { facilities: ['ML-BKO-HDB'], months: ['202610'] }).gross))

    const appPage = await newPage(t)
    await appPage.goto(`${demo.appUrl}#/freshness?ou=${hdb.id}`)
    const freshness = await text(appPage.getByTestId('freshness-summary'))

    const page = await newPage(t)
    const plugin = await openPluginHost(page, demo.standin.url, '/api/apps/recettes-hospitalieres/index.html', {
        dashboardItemFilters: filters({ ou: [hdb], pe: ['202610'] }),
    })
    assert.deepEqual(await cardFigures(plugin), expected)
    assert.equal(await text(plugin.getByTestId('plugin-context')), 'Hôpital de Dermatologie de Bamako · octobre 2026')
    assert.equal(await plugin.getByTestId('plugin-root').getAttribute('data-lang'), 'fr')
    assert.equal(await text(plugin.getByTestId('plugin-open-app')), 'Ouvrir dans l’application'.replace('’', "'"))
    assert.equal(await text(plugin.getByTestId('plugin-freshness-summary')), freshness)
    await plugin.getByTestId('plugin-freshness-state').waitFor(WAIT)
    // Sized for a dashboard item: nothing wider than the item.
    const overflow = await page.frame({ url: /plugin\.html/ }).evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    assert.ok(overflow <= 0, `the plugin overflows its ${ITEM.width}px item by ${overflow}px`)
    await page.screenshot({ path: path.join(ARTIFACTS, 'e2e-plugin-hdb-202610.png') })

    // The link opens the full app at that facility and period; the Dashboard app's own
    // "open in app" menu gets the same address through setDashboardItemDetails.
    const href = await plugin.getByTestId('plugin-open-app').getAttribute('href')
    assert.equal(await plugin.getByTestId('plugin-open-app').getAttribute('target'), '_blank')
    await page.waitForFunction(() => window.itemDetails.length > 0, null, WAIT)
    const details = await page.evaluate(() => window.itemDetails.at(-1))
    assert.equal(details.appUrl, href)
    const linked = await newPage(t)
    await linked.goto(href)
    assert.deepEqual(await cardFigures(linked.getByTestId('overview-view')), expected)
    assert.match(await text(linked.getByTestId('overview-view').locator('h2')), /Hôpital de Dermatologie de Bamako · octobre 2026/)

    // The dashboard's filters change: the district of Bamako, third quarter 2026.
    const bko = await unit('ML-BKO')
    const expectedBko = await appFigures(t, bko.id, '2026Q3')
    assert.notDeepEqual(expectedBko, expected)
    const q3 = total(ref.cells, { facilities: ['ML-BKO-HDB', 'ML-BKO-CHUGT', 'ML-BKO-CSREF4'], months: ['202607', '202608', '202609'] })
    assert.equal(expectedBko.gross.value, fcfa(q3.gross))
    await updatePluginProps(page, { dashboardItemFilters: filters({ ou: [bko], pe: ['2026Q3'] }) })
    await plugin.getByTestId('plugin-context').filter({ hasText: 'District de Bamako' }).waitFor(WAIT)
    assert.equal(await text(plugin.getByTestId('plugin-context')), 'District de Bamako · T3 2026')
    assert.deepEqual(await cardFigures(plugin), expectedBko)
    await page.waitForFunction((u) => window.itemDetails.some((d) => d.appUrl.includes(u)), bko.id, WAIT)
    assert.equal(await page.evaluate(() => window.propsRequests), 1, 'one props request: the change came as an update, not a reload')

    // Filters the item cannot apply are named, and the rest still applies.
    await updatePluginProps(page, { dashboardItemFilters: { ...filters({ ou: [hdb], pe: ['LAST_12_WEEKS', '202610'] }) } })
    await plugin.getByTestId('plugin-ignored').waitFor(WAIT)
    assert.match(await text(plugin.getByTestId('plugin-ignored')), /LAST_12_WEEKS/)
    assert.deepEqual(await cardFigures(plugin), expected)
})

test('the plugin follows the user’s DHIS2 language (English)', async (t) => {
    await admin(demo.standin, 'POST', '/api/userSettings/keyUiLocale?value=en')
    t.after(() => admin(demo.standin, 'POST', '/api/userSettings/keyUiLocale?value=fr'))
    const hdb = await unit('ML-BKO-HDB')
    const page = await newPage(t)
    const plugin = await openPluginHost(page, demo.standin.url, '/api/apps/recettes-hospitalieres/index.html', {
        dashboardItemFilters: filters({ ou: [hdb], pe: ['202610'] }),
    })
    await plugin.getByTestId('kpi-gross-value').waitFor(WAIT)
    assert.equal(await plugin.getByTestId('plugin-root').getAttribute('data-lang'), 'en')
    assert.equal(await text(plugin.getByTestId('plugin-context')), 'Hôpital de Dermatologie de Bamako · October 2026')
    assert.equal(await text(plugin.getByTestId('plugin-open-app')), 'Open in the app')
})

/**
 * Accessibility (WCAG 2 A and AA rules of axe-core) and the App Hub screenshots, in headless
 * Chromium against the demo (stand-in, real CLI `setup` + `sync` with the demo's pharmacy
 * configuration, `reconcile` of its statements and cash counts, analytics generated), in French
 * at 1280 × 800.
 *
 * Every view the app's tab bar offers (read from the page, so a new view is checked without
 * touching this file) and the dashboard plugin inside a Dashboard-like host must have no axe
 * violation in what we render. The DHIS2 header bar (@dhis2/ui HeaderBar, rendered by the app
 * platform's shell, not by us) is checked too, and its findings are only tolerated when they are
 * the ones named in HEADER_BAR_KNOWN below.
 *
 * Screenshots: assets/screenshots/<view>.png (committed, for the App Hub listing) and
 * assets/screenshots/plugin.png.
 *
 *   node --test tests/e2e/a11y.test.mjs
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { admin, launchBrowser, REPO, startDemo } from './harness.mjs'
import { filters, openPluginHost, routeHost, updatePluginProps } from './plugin-host.mjs'

const require = createRequire(import.meta.url)
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')
const SCREENSHOTS = path.join(REPO, 'assets', 'screenshots')
const VIEWPORT = { width: 1280, height: 800 }
const WAIT = { timeout: 20_000 }
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']
/**
 * Findings of axe inside the DHIS2 header bar (the platform's, not ours), by rule id. Anything
 * else inside the header bar fails the test, so a new finding there is seen and named.
 */
const HEADER_BAR_KNOWN = new Set([
    'button-name', // the apps menu button (data-test="headerbar-apps-icon"): an icon with no text or aria-label
    'link-name', // the logo link to the server's start page: an image with no alternative text
    'label-content-name-mismatch', // the profile button (.headerbar-profile-btn): its aria-label leaves out the initials shown
])

let demo
let browser
const uid = (code) => demo.orgUnitUid(code)

before(
    async () => {
        fs.mkdirSync(SCREENSHOTS, { recursive: true })
        demo = await startDemo({ today: '2026-11-20', endDate: '2026-10-31', seed: 42, months: 24, stock: true, reconcile: true })
        demo.standin.hooks.refreshAnalytics()
        browser = await launchBrowser()
    },
    { timeout: 180_000 }
)

after(async () => {
    await browser?.close()
    await demo?.close()
})

async function newPage(t) {
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'fr-FR', timezoneId: 'Africa/Bamako' })
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

/** axe's WCAG 2 A/AA rules on a page or frame; violations split into ours and the header bar's. */
async function audit(target) {
    await target.evaluate(AXE)
    const violations = await target.evaluate(
        (tags) => {
            // The header bar is the platform shell's <header>, outside our app root (which has a <header> of its own).
            const inHeaderBar = (t) => {
                const header = t.length === 1 ? document.querySelector(t[0])?.closest('header') : null
                return !!header && !header.closest('[data-test="app-root"], [data-test="plugin-root"]')
            }
            return window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }).then((r) =>
                r.violations.map((v) => ({
                    id: v.id,
                    impact: v.impact,
                    help: v.help,
                    nodes: v.nodes.map((n) => ({
                        target: n.target.join(' '),
                        inHeaderBar: inHeaderBar(n.target),
                        summary: n.failureSummary,
                    })),
                }))
            )
        },
        TAGS
    )
    const pick = (inHeader) => violations.map((v) => ({ ...v, nodes: v.nodes.filter((n) => n.inHeaderBar === inHeader) })).filter((v) => v.nodes.length > 0)
    return { ours: pick(false), headerBar: pick(true) }
}

const describe = (violations) =>
    violations.map((v) => `${v.id} (${v.impact}, ${v.nodes.length} nodes): ${v.help}\n    ${v.nodes.slice(0, 4).map((n) => `${n.target} — ${n.summary?.split('\n').slice(-1)[0]}`).join('\n    ')}`).join('\n')

/** What fails, per place audited: our violations, and header bar findings not named above. */
function problems(where, { ours, headerBar }) {
    const unknown = headerBar.filter((v) => !HEADER_BAR_KNOWN.has(v.id))
    return [
        ...(ours.length ? [`${where}: axe WCAG 2 A/AA violations in what we render:\n${describe(ours)}`] : []),
        ...(unknown.length ? [`${where}: findings in the DHIS2 header bar not listed in HEADER_BAR_KNOWN:\n${describe(unknown)}`] : []),
    ]
}

function assertClean(report) {
    const found = Object.entries(report).flatMap(([where, r]) => problems(where, r))
    assert.deepEqual(found.map((f) => f.split('\n')[0]), [], found.join('\n\n'))
}

/** The loaded state of each view (what the view waits for before auditing). */
const READY = {
    overview: '[data-test="trend-chart"] .recharts-bar-rectangle',
    facilities: '[data-test="facilities-table"]',
    channels: '[data-test="channels-view"] table',
    pharmacy: '[data-test="pharmacy-view"] table',
    // The demo's statements and cash counts were reconciled for October: the view has its table.
    reconciliation: '[data-test="recon-table"]',
    freshness: '[data-test="freshness-table"]',
}

test('every view of the app passes axe’s WCAG 2 A/AA rules (French, demo data); App Hub screenshots', async (t) => {
    const page = await newPage(t)
    // The district of Bamako: a league of facilities, and the one pharmacy the LMIS seed covers.
    await page.goto(`${demo.appUrl}#/overview?ou=${uid('ML-BKO')}&pe=202610`)
    await page.getByTestId('view-tabs').waitFor(WAIT)
    const views = await page.locator('[data-test^="tab-"]').evaluateAll((tabs) => tabs.map((el) => el.getAttribute('data-test').slice('tab-'.length)))
    assert.ok(views.length >= 5, `tabs found: ${views}`)
    const report = {}
    for (const view of views) {
        await page.getByTestId(`tab-${view}`).click()
        const section = page.getByTestId(`${view}-view`)
        await section.waitFor(WAIT)
        await page.locator(READY[view] ?? `[data-test="${view}-view"] :is(table, h3, [data-test="empty-state"])`).first().waitFor(WAIT)
        await page.getByTestId('loading-state').waitFor({ state: 'detached', timeout: WAIT.timeout })
        assert.equal(await section.getByTestId('error-state').count(), 0, `${view}: the view shows an error`)
        const result = await audit(page)
        report[view] = result
        await page.screenshot({ path: path.join(SCREENSHOTS, `${view}.png`) })
    }
    assertClean(report)
    // The header bar's findings, for the record (the test output names them).
    const headerIds = [...new Set(Object.values(report).flatMap((r) => r.headerBar.map((v) => v.id)))]
    t.diagnostic(`header bar findings (tolerated, see HEADER_BAR_KNOWN): ${headerIds.join(', ') || 'none'}`)
})

test('the dashboard plugin passes axe’s WCAG 2 A/AA rules', async (t) => {
    const raw = await admin(demo.standin, 'GET', `/api/organisationUnits/${uid('ML-BKO-HDB')}?fields=id,displayName,path`)
    const hdb = { id: raw.id, name: raw.displayName, path: raw.path }
    const page = await newPage(t)
    // With a filter it cannot apply, so that the note is audited too.
    const plugin = await openPluginHost(page, demo.standin.url, '/api/apps/recettes-hospitalieres/index.html', {
        dashboardItemFilters: filters({ ou: [hdb], pe: ['202610', 'LAST_12_WEEKS'] }),
    })
    await plugin.getByTestId('kpi-gross-value').waitFor(WAIT)
    await plugin.getByTestId('plugin-freshness-state').waitFor(WAIT)
    await plugin.getByTestId('plugin-ignored').waitFor(WAIT)
    const frame = page.frame({ url: /plugin\.html/ })
    assertClean({ plugin: await audit(frame) })
    await updatePluginProps(page, { dashboardItemFilters: filters({ ou: [hdb], pe: ['202610'] }) })
    await plugin.getByTestId('plugin-ignored').waitFor({ state: 'detached', timeout: WAIT.timeout })
    await page.screenshot({ path: path.join(SCREENSHOTS, 'plugin.png'), clip: { x: 0, y: 0, width: 680, height: 500 } })
})

test('the empty state, the org unit dialog and the English overview pass axe’s WCAG 2 A/AA rules', async (t) => {
    const page = await newPage(t)
    const report = {}
    // A month before the ledger: the notice "no data".
    await page.goto(`${demo.appUrl}#/overview?ou=${uid('ML-BKO')}&pe=202001`)
    await page.getByTestId('overview-view').getByTestId('empty-state').waitFor(WAIT)
    report['overview, no data'] = await audit(page)

    await page.getByTestId('org-unit-button').click()
    await page.getByTestId('org-unit-modal').waitFor(WAIT)
    await page.getByTestId('org-unit-modal').getByText('Mali').first().waitFor(WAIT)
    report['org unit dialog'] = await audit(page)
    await page.keyboard.press('Escape')

    await page.goto(`${demo.appUrl}#/overview?ou=${uid('ML-BKO')}&pe=202610`)
    await page.getByTestId('language-switch').getByText('English').click()
    await page.getByTestId('overview-view').getByText('Gross revenue').first().waitFor(WAIT)
    await page.getByTestId('kpi-gross-value').waitFor(WAIT)
    report['overview, English'] = await audit(page)
    assertClean(report)
})

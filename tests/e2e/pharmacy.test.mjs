/**
 * The view « Pharmacie et stock » in headless Chromium, on the demo's data: the stand-in with the
 * LMIS seed and the built app, the demo ledger (fixed seed and end date), the real CLI (`setup`,
 * `sync` with the demo stock configuration), analytics generated — then the browser.
 *
 * Needs `npm run build:bridge` (dist/) and a built app (`npx d2-app-scripts build`, or
 * PHARMACY_APP_DIR pointing at another build/app) and Chromium (/usr/bin/chromium or CHROMIUM_PATH).
 *
 *   node --test tests/e2e/pharmacy.test.mjs   (or with the others: node tests/e2e/run.mjs)
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { APP_DIR as BUILT_APP, APP_PATH, ARTIFACTS, CLI, REPO, admin, launchBrowser, plain, runCli } from './harness.mjs'

const APP_DIR = process.env.PHARMACY_APP_DIR || BUILT_APP
const require = createRequire(import.meta.url)

const SEED = 42
const END = '2026-10-31'
const TODAY = '2026-11-23'

let ctx

before(async () => {
    for (const f of [CLI, path.join(REPO, 'dist', 'demo', 'stock-demo.js'), path.join(APP_DIR, 'index.html')]) {
        if (!fs.existsSync(f)) throw new Error(`${f} is missing: npm run build:bridge and npx d2-app-scripts build first`)
    }
    const { startStandin, seedTokenFor, orgUnitUid } = require(path.join(REPO, 'dist', 'standin', 'index.js'))
    const { generateDemoLedger, demoLedgerCsv } = require(path.join(REPO, 'dist', 'demo', 'generate-ledger.js'))
    const { prepareStockDemo, pharmacySales } = require(path.join(REPO, 'dist', 'demo', 'stock-demo.js'))
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pharmacy-view-'))
    const ledgerDir = path.join(workDir, 'ledger')
    fs.mkdirSync(ledgerDir)
    const ledger = generateDemoLedger({ seed: SEED, endDate: END, months: 24 })
    fs.writeFileSync(path.join(ledgerDir, `export-caisse-${END}.csv`), demoLedgerCsv(ledger), 'utf8')
    const standin = await startStandin({ version: '2.41.3', today: TODAY, appDir: APP_DIR, autoLoginUser: 'admin' })
    const stock = await prepareStockDemo({ standin, workDir, endDate: END, seed: SEED, months: 24, ledger })
    const env = {
        PATH: process.env.PATH,
        DHIS2_BASE_URL: standin.url,
        DHIS2_TOKEN: seedTokenFor('2.41.3'),
        BRIDGE_STATE_DIR: path.join(workDir, 'state'),
        ...stock.env,
    }
    const setup = await runCli(['setup', '--ledger', ledgerDir, '--config', stock.configFile], env)
    assert.equal(setup.code, 0, setup.out)
    const sync = await runCli(['sync', '--ledger', ledgerDir, '--config', stock.configFile], env)
    assert.ok([0, 3].includes(sync.code), sync.out)
    standin.hooks.refreshAnalytics()
    await admin(standin, 'POST', '/api/systemSettings/keyCacheStrategy?value=NO_CACHE')
    await admin(standin, 'POST', '/api/userSettings/keyUiLocale?value=fr')

    // The same Chromium, flags and test-id attribute as the other browser tests.
    const browser = await launchBrowser()
    ctx = { standin, stock, browser, workDir, orgUnitUid, monthly: pharmacySales(ledger, 'month') }
})

after(async () => {
    await ctx?.browser.close()
    await ctx?.stock.close()
    await ctx?.standin.close()
    if (ctx) fs.rmSync(ctx.workDir, { recursive: true, force: true })
})

async function open(ou, pe) {
    const page = await ctx.browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'fr-FR' })
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`${ctx.standin.url}${APP_PATH}#/pharmacy?ou=${ou}&pe=${pe}`)
    await page.getByTestId('pharmacy-products').waitFor({ timeout: 60_000 })
    return { page, errors }
}

test('a hospital, last closed month: the sale during the seeded stock-out is flagged, figures match the server', async () => {
    const hdb = ctx.orgUnitUid('ML-BKO-HDB')
    const { page, errors } = await open(hdb, '202610')
    const cell = async (id) => plain(await page.getByTestId(id).textContent())
    assert.equal(await cell('pharmacy-ARTLUM20-flags'), 'Vendu pendant une rupture')
    assert.equal(await cell('pharmacy-ARTLUM20-stockout'), '6')
    assert.match(await cell('pharmacy-product-ARTLUM20'), /Artéméther-luméfantrine 20\/120 mg comprimé/)
    assert.equal(await cell('pharmacy-HYDROC1-flags'), 'Sans correspondance LMIS')
    // Quantity sold = the ledger's own monthly sum; dispensed = what the bridge wrote to the LMIS for this hospital.
    const sold = ctx.monthly.get('ML-BKO-HDB|AMOX500C|2026-10')
    assert.equal(await cell('pharmacy-AMOX500C-sold'), `${sold.toLocaleString('fr-FR').replace(/\s/g, ' ')} gélule`)
    assert.equal(await cell('pharmacy-AMOX500C-dispensed'), sold.toLocaleString('fr-FR').replace(/\s/g, ' '))
    const flag = page.getByTestId('pharmacy-flag-ML-BKO-HDB-ARTLUM20-2026-10')
    assert.match(plain(await flag.textContent()), /Hôpital de Dermatologie de Bamako/)

    // Drug revenue = PAYREV_GROSS × Pharmacie for the month, asked from the server's analytics directly.
    const meta = await admin(ctx.standin, 'GET', '/api/dataElements?filter=code:eq:PAYREV_GROSS&fields=id&paging=false')
    const cats = await admin(ctx.standin, 'GET', '/api/categories?filter=code:eq:PAYREV_SERVICE&fields=id,categoryOptions[id,code]&paging=false')
    const pharmacy = cats.categories[0].categoryOptions.find((o) => o.code === 'PAYREV_SV_PHARMACY').id
    const a = await admin(
        ctx.standin,
        'GET',
        `/api/analytics?dimension=dx:${meta.dataElements[0].id}&dimension=${cats.categories[0].id}:${pharmacy}&filter=pe:202610&filter=ou:${hdb}`
    )
    const total = Number(a.rows[0][a.headers.findIndex((h) => h.name === 'value')])
    assert.equal(await cell('pharmacy-kpi-revenue-value'), `${total.toLocaleString('fr-FR').replace(/\s/g, ' ')} FCFA`)

    fs.mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: path.join(ARTIFACTS, 'pharmacy-hdb-202610-1366x768.png') })
    // The app scrolls inside its own frame: a tall window shows the whole view.
    await page.setViewportSize({ width: 1366, height: 1900 })
    await page.screenshot({ path: path.join(ARTIFACTS, 'pharmacy-hdb-202610-full.png') })
    assert.deepEqual(errors, [])
    await page.close()
})

test('the Bamako district over a quarter: the three facilities add up and every seeded flag of the district shows', async () => {
    const { page, errors } = await open(ctx.orgUnitUid('ML-BKO'), '2026Q3')
    const rows = await page.getByTestId(/^pharmacy-flag-/).evaluateAll((els) => els.map((e) => e.getAttribute('data-test')))
    assert.ok(rows.includes('pharmacy-flag-ML-BKO-CHUGT-PARA500T-2026-09'), rows.join(', '))
    const sold = ['ML-BKO-HDB', 'ML-BKO-CHUGT', 'ML-BKO-CSREF4']
        .flatMap((f) => ['2026-07', '2026-08', '2026-09'].map((m) => ctx.monthly.get(`${f}|METRO250|${m}`) ?? 0))
        .reduce((x, y) => x + y, 0)
    assert.equal(plain(await page.getByTestId('pharmacy-METRO250-sold').textContent()), `${sold.toLocaleString('fr-FR').replace(/\s/g, ' ')} comprimé`)
    await page.setViewportSize({ width: 1366, height: 1900 })
    await page.screenshot({ path: path.join(ARTIFACTS, 'pharmacy-bamako-2026Q3-full.png') })
    assert.deepEqual(errors, [])
    await page.close()
})

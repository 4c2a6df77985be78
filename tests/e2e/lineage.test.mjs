/**
 * « D'où vient ce chiffre ? » in headless Chromium (docs/traceability.md): the demo (with its
 * pharmacy configuration) synced into the stand-in, a value typed over in DHIS2 and found by
 * `verify`, then the panel of the Hôpital de Dermatologie de Bamako from its league table row: the
 * run that sent the month, the source by name, the drift the verify left — and no line. From the
 * pharmacy and reconciliation views, the same panel for the month's LMIS quantities and
 * reconciliation totals.
 *
 * Needs `npm run build:bridge`, a built app (`npx d2-app-scripts build`) and Chromium.
 *   node --test tests/e2e/lineage.test.mjs   (or with the others: node tests/e2e/run.mjs)
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { ARTIFACTS, admin, launchBrowser, plain, runCli, startDemo } from './harness.mjs'

let demo
let browser

before(async () => {
    demo = await startDemo({ today: '2026-11-23', endDate: '2026-10-31', months: 3, stock: true, reconcile: true })
    assert.ok([0, 3].includes(demo.sync.code), demo.sync.out)
    demo.standin.hooks.refreshAnalytics()
    browser = await launchBrowser()
})

after(async () => {
    await browser?.close()
    await demo?.close()
})

test('the league table row opens the panel: runs, sources and the drift verify found, no line', async () => {
    const hdb = demo.orgUnitUid('ML-BKO-HDB')
    // A clerk types over October's cash consultations of the hospital; the bridge's verify finds it (no repair).
    const de = (await admin(demo.standin, 'GET', '/api/dataElements?filter=code:eq:PAYREV_GROSS&fields=id')).dataElements[0].id
    const set = (await admin(demo.standin, 'GET', '/api/dataSets?filter=code:eq:PAYREV_MONTHLY&fields=id')).dataSets[0].id
    const held = await admin(demo.standin, 'GET', `/api/dataValueSets?dataSet=${set}&period=202610&orgUnit=${hdb}`)
    const v = held.dataValues.find((x) => x.dataElement === de)
    await admin(demo.standin, 'POST', '/api/dataValueSets', { dataValues: [{ ...v, value: String(Number(v.value) + 1) }] })
    const verify = await runCli(['verify', '--json', ...demo.configArgs], demo.env)
    assert.equal(verify.code, 3, verify.out)

    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'fr-FR' })
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`${demo.appUrl}#/facilities?ou=${demo.orgUnitUid('ML-BKO')}&pe=202610`)
    await page.getByTestId(`lineage-open-${hdb}`).click({ timeout: 60_000 })
    const month = page.getByTestId('lineage-period-202610')
    await month.waitFor({ timeout: 30_000 })
    const text = plain(await page.getByTestId('lineage-panel').textContent())
    assert.match(text, /D'où vient ce chiffre \?/)
    assert.match(plain(await month.getByTestId('lineage-sources').textContent()), /export-caisse-2026-10-31\.csv/)
    assert.equal(await month.getByTestId('lineage-run-1').count(), 1)
    assert.match(plain(await month.getByTestId('lineage-verify').textContent()), /1 des \d+ valeurs diffèrent/)
    // Counts and names only: no transaction id of the ledger reaches the browser.
    const someTx = demo.ledger.rows.find((r) => r.facility_code === 'ML-BKO-HDB').transaction_id
    assert.ok(!text.includes(someTx))
    fs.mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: path.join(ARTIFACTS, 'lineage-hdb-202610.png') })
    assert.deepEqual(errors, [])
    await page.close()
})

/**
 * One family's panel from its view, for the hospital's October: the page, the month's section,
 * and the values the given run sent there (its third column). Checked by the caller, then `done`.
 */
async function familyPanel(view, family, runId) {
    const hdb = demo.orgUnitUid('ML-BKO-HDB')
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'fr-FR' })
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`${demo.appUrl}#/${view}?ou=${hdb}&pe=202610`)
    await page.getByTestId(`lineage-open-${hdb}-${family}`).click({ timeout: 60_000 })
    const month = page.getByTestId('lineage-period-202610')
    await month.waitFor({ timeout: 30_000 })
    const sent = Number(plain(await month.getByTestId(`lineage-run-${runId}`).locator('td').nth(2).textContent()).replace(/\s/g, ''))
    const text = async (testId) => plain(await page.getByTestId(testId).textContent())
    const done = async () => {
        await page.screenshot({ path: path.join(ARTIFACTS, `lineage-${family}-hdb-202610.png`) })
        assert.deepEqual(errors, [])
        await page.close()
    }
    return { month, sent, text, done }
}

test("the pharmacy view's panel: the run that sent October's LMIS quantities, and what the verify found of them", async () => {
    const { month, sent, text, done } = await familyPanel('pharmacy', 'lmis', 1)
    assert.match(await text('lineage-family'), /ensemble de données LMIS/)
    // The sync sent the month's LMIS values; the verify of the first test found none of them changed.
    assert.ok(sent > 0, `LMIS values sent: ${sent}`)
    assert.match(plain(await month.getByTestId('lineage-verify').textContent()), new RegExp(`DHIS2 (détient|contient) les ${sent} valeurs`))
    await done()
})

test("the reconciliation view's panel: the reconcile run that sent October's totals, and what the verify found of them", async () => {
    // Run 1 is the sync, run 2 the reconcile (harness.mjs): only the reconcile sent reconciliation totals.
    const { month, sent, text, done } = await familyPanel('reconciliation', 'recon', 2)
    assert.match(await text('lineage-family'), /Totaux du rapprochement/)
    assert.equal(await month.getByTestId('lineage-run-1').count(), 0)
    assert.ok(sent > 0, `reconciliation values sent: ${sent}`)
    assert.match(plain(await month.getByTestId('lineage-verify').textContent()), new RegExp(`DHIS2 (détient|contient) les ${sent} valeurs`))
    assert.match(await text('lineage-panel'), /reconcile --month/)
    await done()
})

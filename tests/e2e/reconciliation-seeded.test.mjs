/**
 * The « Rapprochement » view in headless Chromium on hand-made figures (the demo's own are in
 * reconciliation.test.mjs): the edge cases the demo does not plant — several facilities with
 * discrepancies, cash over, a facility of another region, a quarter — and the CSV export and
 * phone width. The demo ledger synced by the real CLI (`setup`, `sync`: the revenue metadata and
 * data the app needs to start), then the
 * reconciliation totals of SEEDED below written through the stand-in's HTTP API
 * (POST /api/dataValueSets; the data set PAYREV_RECON_MONTHLY and its data elements through
 * POST /api/metadata where `setup` has not installed them), as `revenue-bridge reconcile` sends
 * them (docs/contract.md §7).
 * Every expected figure is computed here from SEEDED with the definitions of
 * docs/reconciliation-view.md, never read from the app.
 *
 * Needs `npm run build:bridge`, a built app (`npx d2-app-scripts build`) and Chromium.
 *   node --test tests/e2e/reconciliation.test.mjs   (or with the others: node tests/e2e/run.mjs)
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { ARTIFACTS, admin, launchBrowser, startDemo } from './harness.mjs'
import { fcfa } from './reference.mjs'
import { MONEY_COLUMNS, RECON_KEYS, cellText as cell, derive, frPercent, openReconciliation, rowOrder, zeroFigures } from './reconciliation-reference.mjs'

const TODAY = '2026-11-20'
const END = '2026-10-31'
const PE = '202610'
const BAMAKO = ['ML-BKO-HDB', 'ML-BKO-CHUGT', 'ML-BKO-CSREF4']
const WAIT = { timeout: 30_000 }

const BY_CHANNEL = ['PAYREV_RECON_MATCHED', 'PAYREV_RECON_LEDGER_ONLY', 'PAYREV_RECON_STATEMENT_ONLY', 'PAYREV_RECON_AMOUNT_GAP', 'PAYREV_FEES']
const CASH = ['PAYREV_CASH_SHORT', 'PAYREV_CASH_OVER']

// facility → month → channel (or CASH_COUNT for the default-combo cash elements) → element → FCFA.
// October holds a discrepancy of every kind the view shows; September and earlier feed the trend;
// Kayes (outside Bamako) holds the largest figures of all and must not show under Bamako.
const SEEDED = {
    'ML-BKO-HDB': {
        202610: {
            ORANGE_MONEY: { PAYREV_RECON_MATCHED: 2_412_500, PAYREV_RECON_LEDGER_ONLY: 37_500, PAYREV_RECON_STATEMENT_ONLY: 12_000, PAYREV_RECON_AMOUNT_GAP: 4_500, PAYREV_FEES: 24_125 },
            MOOV_MONEY: { PAYREV_RECON_MATCHED: 604_000, PAYREV_FEES: 6_040 },
            CARD: { PAYREV_RECON_MATCHED: 310_000, PAYREV_RECON_LEDGER_ONLY: 25_000, PAYREV_FEES: 5_425 },
            CASH_COUNT: { PAYREV_CASH_SHORT: 15_000 },
        },
        202609: { ORANGE_MONEY: { PAYREV_RECON_MATCHED: 2_100_000, PAYREV_RECON_LEDGER_ONLY: 5_000, PAYREV_FEES: 21_000 } },
        202601: { ORANGE_MONEY: { PAYREV_RECON_MATCHED: 1_500_000, PAYREV_RECON_STATEMENT_ONLY: 2_500 } },
    },
    'ML-BKO-CHUGT': {
        202610: {
            ORANGE_MONEY: { PAYREV_RECON_MATCHED: 980_000, PAYREV_RECON_STATEMENT_ONLY: 150_000, PAYREV_FEES: 9_800 },
            CASH_COUNT: { PAYREV_CASH_SHORT: 2_500, PAYREV_CASH_OVER: 1_000 },
        },
        202609: { CASH_COUNT: { PAYREV_CASH_SHORT: 40_000 } },
    },
    'ML-BKO-CSREF4': {
        202610: { SAMA_MONEY: { PAYREV_RECON_MATCHED: 120_000, PAYREV_FEES: 1_200 } },
    },
    'ML-KAY-HRK': {
        202610: { CARD: { PAYREV_RECON_MATCHED: 50_000, PAYREV_RECON_LEDGER_ONLY: 9_000_000 } },
    },
}

// ---- the reference: sums and the view's definitions, from SEEDED alone ------------------------

function figures(facilities, months, channel = null) {
    const out = zeroFigures()
    for (const f of facilities)
        for (const m of months)
            for (const [ch, values] of Object.entries(SEEDED[f]?.[m] ?? {}))
                if (channel === null || channel === ch) for (const [de, v] of Object.entries(values)) out[RECON_KEYS[de]] += v
    return derive(out)
}

// ---- set-up ------------------------------------------------------------------------------------

let demo
let browser
const uid = (code) => demo.orgUnitUid(code)

/**
 * Installs what `setup` has not (the reconciliation data elements and data set, by code: a bridge
 * that installs them keeps its own) and writes SEEDED, as `reconcile` would.
 */
async function seedReconciliation(standin) {
    const cc = await admin(standin, 'GET', '/api/categoryCombos?filter=code:eq:PAYREV_CC_CHANNEL&fields=id,categoryOptionCombos[id,categoryOptions[code]]&paging=false')
    const combo = cc.categoryCombos[0]
    assert.ok(combo, 'setup installed PAYREV_CC_CHANNEL')
    const cocOf = Object.fromEntries(combo.categoryOptionCombos.map((c) => [c.categoryOptions[0].code.replace('PAYREV_CH_', ''), c.id]))
    const defaults = await admin(standin, 'GET', '/api/categoryCombos?filter=name:eq:default&fields=id,categoryOptionCombos[id]&paging=false')
    const defaultCombo = defaults.categoryCombos[0]
    const codes = [...BY_CHANNEL, ...CASH]
    const existing = await admin(standin, 'GET', `/api/dataElements?filter=code:in:[${codes.join(',')}]&fields=id,code&paging=false`)
    const deId = Object.fromEntries(existing.dataElements.map((d) => [d.code, d.id]))
    const dataElements = codes
        .filter((code) => !deId[code])
        .map((code, i) => ({
            id: (deId[code] = `RcE2eDe${String(i).padStart(4, '0')}`),
            code,
            name: `E2E ${code}`,
            shortName: `E2E ${code}`.slice(0, 50),
            domainType: 'AGGREGATE',
            valueType: 'INTEGER_ZERO_OR_POSITIVE',
            aggregationType: 'SUM',
            categoryCombo: { id: BY_CHANNEL.includes(code) ? combo.id : defaultCombo.id },
        }))
    const facilities = Object.keys(SEEDED).map((code) => uid(code))
    const sets = await admin(standin, 'GET', '/api/dataSets?filter=code:eq:PAYREV_RECON_MONTHLY&fields=id,organisationUnits[id]&paging=false')
    const dataSets = []
    if (sets.dataSets.length === 0) {
        dataSets.push({
            id: 'RcE2eDs0001',
            code: 'PAYREV_RECON_MONTHLY',
            name: 'E2E Rapprochement des paiements',
            shortName: 'E2E Rapprochement',
            periodType: 'Monthly',
            categoryCombo: { id: defaultCombo.id },
            dataSetElements: codes.map((code) => ({ dataElement: { id: deId[code] }, dataSet: { id: 'RcE2eDs0001' } })),
            organisationUnits: facilities.map((id) => ({ id })),
        })
    } else {
        const assigned = new Set(sets.dataSets[0].organisationUnits.map((o) => o.id))
        assert.deepEqual(facilities.filter((id) => !assigned.has(id)), [], 'setup assigned the reconciliation data set to the demo facilities')
    }
    if (dataElements.length || dataSets.length) {
        const imported = await admin(standin, 'POST', '/api/metadata', { dataElements, dataSets })
        assert.equal(imported.status, 'OK', JSON.stringify(imported).slice(0, 500))
    }
    const dataValues = []
    for (const [facility, months] of Object.entries(SEEDED))
        for (const [period, channels] of Object.entries(months))
            for (const [channel, values] of Object.entries(channels))
                for (const [de, value] of Object.entries(values))
                    dataValues.push({
                        dataElement: deId[de],
                        period,
                        orgUnit: uid(facility),
                        categoryOptionCombo: channel === 'CASH_COUNT' ? defaultCombo.categoryOptionCombos[0].id : cocOf[channel],
                        value: String(value),
                    })
    const res = await admin(standin, 'POST', '/api/dataValueSets', { dataValues })
    const summary = res.response ?? res
    assert.equal(summary.importCount.imported, dataValues.length, JSON.stringify(summary).slice(0, 500))
}

before(
    async () => {
        fs.mkdirSync(ARTIFACTS, { recursive: true })
        demo = await startDemo({ today: TODAY, endDate: END, seed: 42, months: 24 })
        assert.equal(demo.setup.code, 0, demo.setup.out)
        await seedReconciliation(demo.standin)
        demo.standin.hooks.refreshAnalytics()
        browser = await launchBrowser()
    },
    { timeout: 180_000 }
)

after(async () => {
    await browser?.close()
    await demo?.close()
})

const open = (t, hash, viewport) => openReconciliation(browser, t, `${demo.appUrl}#/${hash}`, viewport)

// ---- tests -------------------------------------------------------------------------------------

test('Bamako, last month: the facilities ranked by unreconciled amount, every figure as seeded, Kayes absent', async (t) => {
    const page = await open(t, `reconciliation?ou=${uid('ML-BKO')}&pe=${PE}`)
    const expected = BAMAKO.map((code) => ({ code, ...figures([code], [PE]) })).sort((a, b) => b.unreconciled - a.unreconciled)
    const order = await rowOrder(page)
    // The Bamako facilities the reconciliation data set is assigned to (CHU du Point G is not).
    assert.deepEqual(order, expected.map((e) => uid(e.code)))
    for (const [i, e] of expected.entries()) {
        const id = `recon-${uid(e.code)}`
        assert.equal(await cell(page, `${id}-rank`), String(i + 1))
        for (const [column, key] of MONEY_COLUMNS) assert.equal(await cell(page, `${id}-${column}`), fcfa(e[key]), `${e.code} ${column}`)
        assert.equal(await cell(page, `${id}-matched-share`), frPercent(e.matchedShare), `${e.code} matched share`)
    }
    assert.equal(await page.getByTestId(`recon-row-${uid('ML-KAY-HRK')}`).count(), 0)
    const total = figures(BAMAKO, [PE])
    assert.equal(await cell(page, 'recon-kpi-unreconciled-value'), fcfa(total.unreconciled))
    assert.equal(await cell(page, 'recon-kpi-matched-share-value'), frPercent(total.matchedShare))
    assert.equal(await cell(page, 'recon-kpi-ledger-only-value'), fcfa(total.ledgerOnly))
    assert.equal(await cell(page, 'recon-kpi-statement-only-value'), fcfa(total.statementOnly))
    assert.equal(await cell(page, 'recon-kpi-fees-value'), fcfa(total.fees))
    assert.match(await cell(page, 'recon-trend'), /derniers 12 mois/)
    await page.screenshot({ path: path.join(ARTIFACTS, 'reconciliation-bamako-202610-1366x900.png') })
    // The app scrolls inside its own frame: a tall window shows the whole view.
    await page.getByTestId(`recon-${uid('ML-BKO-HDB')}-toggle`).click()
    await page.setViewportSize({ width: 1366, height: 2000 })
    await page.mouse.move(0, 0)
    await page.screenshot({ path: path.join(ARTIFACTS, 'reconciliation-bamako-202610-full.png') })
})

test('down to the channel: a facility opens on its channels, cash short/over on the cash line', async (t) => {
    const page = await open(t, `reconciliation?ou=${uid('ML-BKO')}&pe=${PE}`)
    const hdb = uid('ML-BKO-HDB')
    await page.getByTestId(`recon-${hdb}-toggle`).click()
    for (const channel of ['ORANGE_MONEY', 'MOOV_MONEY', 'CARD']) {
        const e = figures(['ML-BKO-HDB'], [PE], channel)
        assert.equal(await cell(page, `recon-${hdb}-${channel}-matched-share`), frPercent(e.matchedShare), channel)
        assert.equal(await cell(page, `recon-${hdb}-${channel}-ledger-only`), fcfa(e.ledgerOnly), channel)
        assert.equal(await cell(page, `recon-${hdb}-${channel}-fees`), fcfa(e.fees), channel)
    }
    assert.equal(await cell(page, `recon-${hdb}-CASH-cash-short`), fcfa(figures(['ML-BKO-HDB'], [PE], 'CASH_COUNT').cashShort))
    assert.equal(await cell(page, `recon-${hdb}-CASH-matched-share`), 'n.d.')
})

test('a quarter sums its months; one facility shows its channels at once', async (t) => {
    const page = await open(t, `reconciliation?ou=${uid('ML-BKO-CHUGT')}&pe=2026Q3`)
    const e = figures(['ML-BKO-CHUGT'], ['202607', '202608', '202609'])
    assert.equal(await cell(page, `recon-${uid('ML-BKO-CHUGT')}-cash-short`), fcfa(e.cashShort))
    assert.equal(await cell(page, `recon-${uid('ML-BKO-CHUGT')}-CASH-unreconciled`), fcfa(e.unreconciled))
})

test('the CSV export has the ranking and a line per channel', async (t) => {
    const page = await open(t, `reconciliation?ou=${uid('ML-BKO')}&pe=${PE}`)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('recon-export-csv').click()])
    assert.equal(download.suggestedFilename(), `rapprochement-District-de-Bamako-${PE}.csv`)
    const file = path.join(ARTIFACTS, `e2e-${download.suggestedFilename()}`)
    await download.saveAs(file)
    const lines = fs.readFileSync(file, 'utf8').replace(/^\ufeff/, '').trimEnd().split('\r\n').map((l) => l.split(';'))
    assert.equal(lines[0][0], 'Rang')
    const money = (n) => String(n)
    const hdb = figures(['ML-BKO-HDB'], [PE])
    const line = lines.find((l) => l[1] === 'Hôpital de Dermatologie de Bamako' && l[2] === 'Total')
    assert.ok(line, lines.map((l) => l.join(';')).join('\n'))
    assert.deepEqual(line.slice(4), [hdb.matched, hdb.ledgerOnly, hdb.statementOnly, hdb.amountGap, hdb.fees, hdb.cashShort, hdb.cashOver, hdb.unreconciled].map(money))
    const orange = lines.find((l) => l[1] === 'Hôpital de Dermatologie de Bamako' && l[2] === 'Orange Money')
    assert.equal(orange[5], money(figures(['ML-BKO-HDB'], [PE], 'ORANGE_MONEY').ledgerOnly))
})

test('phone width (390×844): the cards and the chart fit, the table scrolls in its own box', async (t) => {
    const page = await open(t, `reconciliation?ou=${uid('ML-BKO')}&pe=${PE}`, { width: 390, height: 844 })
    await page.getByTestId('recon-trend').locator('.recharts-bar-rectangle').first().waitFor(WAIT)
    const overflow = await page.evaluate(() => {
        const wide = [...document.querySelectorAll('[data-test="app-root"] *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
        return wide.filter((e) => !e.closest('[data-test="view-tabs"], [class*="tableWrap"]')).map((e) => `${e.tagName}.${e.className}`.slice(0, 80))
    })
    assert.deepEqual(overflow, [], 'elements wider than the screen')
    await page.screenshot({ path: path.join(ARTIFACTS, 'reconciliation-bamako-390x844.png') })
})

/**
 * The « Rapprochement » view in headless Chromium against the demo: the demo ledger (fixed seed
 * and end date), its operator statements and cash counts with planted discrepancies
 * (demo/recon-demo.ts, planted.json), and the real CLI — `setup`, `sync`, `reconcile` — against
 * the stand-in, analytics generated, then the browser.
 *
 * Expected figures, computed here and never read from the app:
 *   - unsettled, without receipt, amount gaps and cash short/over: from planted.json alone (the
 *     demo plants every discrepancy in one month and the other months reconcile cleanly);
 *   - matched and fees (not planted): the raw data values the stand-in holds for the month
 *     (GET /api/dataValueSets), summed here per facility and channel;
 *   - matched share and unreconciled: the definitions of docs/reconciliation-view.md.
 *
 * Needs the demo's statements and cash counts (demo/recon-demo.ts), `npm run build:bridge`, a built
 * app (`npx d2-app-scripts build`) and Chromium. The edge cases the demo does not plant are in
 * reconciliation-seeded.test.mjs.
 */
import assert from 'node:assert/strict'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import { after, before, test } from 'node:test'
import { APP_DIR, APP_PATH, ARTIFACTS, REPO, admin, launchBrowser, loadDist, runCli } from './harness.mjs'
import { fcfa } from './reference.mjs'
import { MONEY_COLUMNS, RECON_KEYS as KEYS, cellText as cell, derive, frPercent, openReconciliation, rowOrder, zeroFigures } from './reconciliation-reference.mjs'

const require = createRequire(import.meta.url)
const TODAY = '2026-11-20'
const END = '2026-10-31'
const BAMAKO = ['ML-BKO-HDB', 'ML-BKO-CHUGT', 'ML-BKO-CSREF4']
const RECON_DEMO = path.join(REPO, 'dist', 'demo', 'recon-demo.js')

let ctx
let browser

before(
    async () => {
        fs.mkdirSync(ARTIFACTS, { recursive: true })
        const { standin: standinMod, ledger: ledgerMod } = loadDist()
        if (!fs.existsSync(RECON_DEMO)) throw new Error(`${path.relative(REPO, RECON_DEMO)} is missing: the demo's statements and cash counts (demo/recon-demo.ts), then npm run build:bridge`)
        const { addDemoReconciliation } = require(RECON_DEMO)
        const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recon-view-'))
        const ledgerDir = path.join(workDir, 'ledger')
        fs.mkdirSync(ledgerDir)
        const ledger = ledgerMod.generateDemoLedger({ seed: 42, endDate: END, months: 24 })
        fs.writeFileSync(path.join(ledgerDir, `export-caisse-${END}.csv`), ledgerMod.demoLedgerCsv(ledger), 'utf8')
        const configFile = path.join(workDir, 'bridge.json')
        fs.writeFileSync(configFile, '{}\n')
        addDemoReconciliation(configFile, path.join(workDir, 'recon'), ledger, END)
        const standin = await standinMod.startStandin({ version: '2.41.3', today: TODAY, appDir: APP_DIR, autoLoginUser: 'admin', port: 0 })
        const env = { PATH: process.env.PATH, DHIS2_BASE_URL: standin.url, DHIS2_TOKEN: standinMod.seedTokenFor('2.41.3'), BRIDGE_STATE_DIR: path.join(workDir, 'state') }
        const common = ['--config', configFile, '--lang', 'en']
        ctx = { standin, workDir, uid: standinMod.orgUnitUid }
        ctx.setup = await runCli(['setup', '--ledger', ledgerDir, ...common], env)
        ctx.sync = await runCli(['sync', '--ledger', ledgerDir, ...common], env)
        ctx.reconcile = await runCli(['reconcile', ...common], env)
        standin.hooks.refreshAnalytics()
        await admin(standin, 'POST', '/api/systemSettings/keyCacheStrategy?value=NO_CACHE')
        await admin(standin, 'POST', '/api/userSettings/keyUiLocale?value=fr')
        ctx.planted = JSON.parse(fs.readFileSync(path.join(workDir, 'recon', 'planted.json'), 'utf8'))
        ctx.pe = ctx.planted.month.replace('-', '')
        ctx.held = await heldValues(standin, ctx.pe)
        browser = await launchBrowser()
    },
    { timeout: 240_000 }
)

after(async () => {
    await browser?.close()
    await ctx?.standin.close()
    if (ctx) fs.rmSync(ctx.workDir, { recursive: true, force: true })
})

/** facility code → channel (CASH for the default combo) → figure → FCFA, from the stand-in's raw values. */
async function heldValues(standin, pe) {
    const ds = await admin(standin, 'GET', '/api/dataSets?filter=code:eq:PAYREV_RECON_MONTHLY&fields=id&paging=false')
    const des = await admin(standin, 'GET', '/api/dataElements?filter=code:in:[' + Object.keys(KEYS).join(',') + ']&fields=id,code&paging=false')
    const cc = await admin(standin, 'GET', '/api/categoryCombos?filter=code:eq:PAYREV_CC_CHANNEL&fields=categoryOptionCombos[id,categoryOptions[code]]&paging=false')
    const ous = await admin(standin, 'GET', '/api/organisationUnits?fields=id,code&paging=false')
    const codeOf = new Map(des.dataElements.map((d) => [d.id, d.code]))
    const channelOf = new Map(cc.categoryCombos[0].categoryOptionCombos.map((c) => [c.id, c.categoryOptions[0].code.replace('PAYREV_CH_', '')]))
    const ouCode = new Map(ous.organisationUnits.map((o) => [o.id, o.code]))
    const root = ous.organisationUnits.find((o) => o.code === 'ML').id
    const set = await admin(standin, 'GET', `/api/dataValueSets?dataSet=${ds.dataSets[0].id}&period=${pe}&orgUnit=${root}&children=true`)
    const out = {}
    for (const v of set.dataValues ?? []) {
        const f = (out[ouCode.get(v.orgUnit)] ??= {})
        const ch = (f[channelOf.get(v.categoryOptionCombo) ?? 'CASH'] ??= {})
        const key = KEYS[codeOf.get(v.dataElement)]
        ch[key] = (ch[key] ?? 0) + Number(v.value)
    }
    return out
}

/** A facility's (or one channel's) expected figures: discrepancies from planted.json, matched and fees from the stand-in. */
function expected(facility, channel = null) {
    const out = zeroFigures()
    for (const i of ctx.planted.items) {
        if (i.facility !== facility || (channel !== null && i.channel !== channel)) continue
        if (i.category === 'LEDGER_ONLY') out.ledgerOnly += Math.abs(i.ledgerAmount)
        if (i.category === 'STATEMENT_ONLY') out.statementOnly += Math.abs(i.statementAmount)
        if (i.category === 'AMOUNT_MISMATCH') out.amountGap += Math.abs(i.statementAmount - i.ledgerAmount)
    }
    for (const c of ctx.planted.cash) {
        if (c.facility !== facility || (channel !== null && channel !== 'CASH')) continue
        if (c.variance < 0) out.cashShort -= c.variance
        else out.cashOver += c.variance
    }
    for (const [ch, figures] of Object.entries(ctx.held[facility] ?? {})) {
        if (channel !== null && ch !== channel) continue
        out.matched += figures.matched ?? 0
        out.fees += figures.fees ?? 0
    }
    return derive(out)
}

const open = (t, hash) => openReconciliation(browser, t, `${ctx.standin.url}${APP_PATH}#/${hash}`)

test('the demo ran setup, sync and reconcile; the planted month holds discrepancies of every kind', () => {
    assert.equal(ctx.setup.code, 0, ctx.setup.out)
    assert.ok([0, 3].includes(ctx.sync.code), ctx.sync.out)
    assert.equal(ctx.reconcile.code, 0, ctx.reconcile.out)
    const categories = new Set(ctx.planted.items.map((i) => i.category))
    for (const c of ['LEDGER_ONLY', 'STATEMENT_ONLY', 'AMOUNT_MISMATCH']) assert.ok(categories.has(c), c)
    assert.ok(ctx.planted.cash.length >= 2)
})

test('Bamako, the planted month: ranking and every figure of the planted discrepancies', async (t) => {
    const page = await open(t, `reconciliation?ou=${ctx.uid('ML-BKO')}&pe=${ctx.pe}`)
    const rows = BAMAKO.map((code) => ({ code, ...expected(code) })).sort((a, b) => b.unreconciled - a.unreconciled || a.code.localeCompare(b.code))
    assert.equal(new Set(rows.map((r) => r.unreconciled)).size, rows.length, 'the planted figures rank the facilities without a tie')
    assert.deepEqual(await rowOrder(page), rows.map((r) => ctx.uid(r.code)))
    for (const r of rows) {
        const id = `recon-${ctx.uid(r.code)}`
        for (const [column, key] of MONEY_COLUMNS) assert.equal(await cell(page, `${id}-${column}`), fcfa(r[key]), `${r.code} ${column}`)
        assert.equal(await cell(page, `${id}-matched-share`), frPercent(r.matchedShare), `${r.code} matched share`)
    }
    const total = BAMAKO.map((c) => expected(c)).reduce((a, b) => ({ unreconciled: a.unreconciled + b.unreconciled, ledgerOnly: a.ledgerOnly + b.ledgerOnly }))
    assert.equal(await cell(page, 'recon-kpi-unreconciled-value'), fcfa(total.unreconciled))
    assert.equal(await cell(page, 'recon-kpi-ledger-only-value'), fcfa(total.ledgerOnly))
    await page.getByTestId(`recon-${ctx.uid('ML-BKO-HDB')}-toggle`).click()
    for (const channel of [...new Set(ctx.planted.items.filter((i) => i.facility === 'ML-BKO-HDB').map((i) => i.channel))]) {
        const e = expected('ML-BKO-HDB', channel)
        assert.equal(await cell(page, `recon-${ctx.uid('ML-BKO-HDB')}-${channel}-unreconciled`), fcfa(e.unreconciled), channel)
    }
    await page.setViewportSize({ width: 1366, height: 2000 })
    await page.mouse.move(0, 0)
    await page.screenshot({ path: path.join(ARTIFACTS, `reconciliation-demo-bamako-${ctx.pe}.png`) })
})

test('the months before reconcile cleanly: nothing unreconciled in the trend before the planted month', async (t) => {
    const [before] = ctx.planted.months.filter((m) => m < ctx.planted.month).slice(-1)
    const page = await open(t, `reconciliation?ou=${ctx.uid('ML-BKO')}&pe=${before.replace('-', '')}`)
    assert.equal(await cell(page, 'recon-kpi-unreconciled-value'), fcfa(0))
})

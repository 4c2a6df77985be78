/**
 * The IT officer's page (docs/installing.md §6) in headless Chromium: the real CLI `schedule`
 * against the stand-in, with a ledger holding a bad row and a locked month (values waiting with
 * DHIS2's reason). French and English, the chart and the tables, the quarantine download, the two
 * buttons (same-origin POST with the page's CSRF token), the refresh by itself; cross-site posts
 * refused. Prints the page's weight and load time.
 *
 *   npm run build:bridge && node --test tests/e2e/operator-page.test.mjs
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { after, before, test } from 'node:test'
import { ARTIFACTS, CLI, REPO, launchBrowser } from './harness.mjs'

const require = createRequire(import.meta.url)
const HEADER = 'transaction_id;line_no;occurred_at;facility_code;channel;service;amount_xof;type;status'
const ROWS = [
    'P1;1;2026-10-03 09:15;ML-BKO-HDB;Espèces;Consultation;3 000;PAYMENT;SUCCESS',
    'P2;1;2026-10-04 10:00;ML-BKO-HDB;Orange Money;Examens;12 500;PAYMENT;SUCCESS',
    // Locked by expiryDays (set below): refused with E7640, waits in the outbox.
    'P3;1;2026-08-05 11:00;ML-BKO-HDB;Carte;Pharmacie;4 000;PAYMENT;SUCCESS',
    // Quarantined: an amount that is not a number.
    'P4;1;2026-10-06 12:00;ML-BKO-HDB;Espèces;Consultation;trois mille;PAYMENT;SUCCESS',
]

let ctx

function freePort() {
    return new Promise((resolve) => {
        const srv = net.createServer().listen(0, '127.0.0.1', () => {
            const { port } = srv.address()
            srv.close(() => resolve(port))
        })
    })
}

async function waitFor(f, what, ms = 60_000) {
    const end = Date.now() + ms
    for (;;) {
        const v = await f().catch(() => null)
        if (v) return v
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
        await new Promise((r) => setTimeout(r, 200))
    }
}

before(async () => {
    if (!fs.existsSync(CLI)) throw new Error('dist/ is missing: npm run build:bridge first')
    const { startStandin, seedTokenFor } = require(path.join(REPO, 'dist', 'standin', 'index.js'))
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'operator-page-'))
    fs.mkdirSync(path.join(work, 'exports'))
    fs.writeFileSync(path.join(work, 'exports', 'caisse.csv'), [HEADER, ...ROWS].join('\n'))
    const standin = await startStandin({ version: '2.41.3', today: '2026-11-23' })
    const port = await freePort()
    const config = path.join(work, 'bridge.json')
    fs.writeFileSync(config, JSON.stringify({ ledger: { paths: [path.join(work, 'exports')] }, schedule: { cron: '0 3 * * *', http: { host: '127.0.0.1', port } } }))
    const env = { PATH: process.env.PATH, DHIS2_BASE_URL: standin.url, DHIS2_TOKEN: seedTokenFor('2.41.3'), BRIDGE_STATE_DIR: path.join(work, 'state'), LANG: 'fr_FR.UTF-8' }
    const setup = spawn(process.execPath, [CLI, 'setup', '--config', config, '--ledger', path.join(work, 'exports')], { env, stdio: 'ignore' })
    await new Promise((r) => setup.on('exit', r))
    // The administrator locks months 30 days after they end: August is refused.
    standin.hooks.patchDataSet('PAYREV_MONTHLY', { expiryDays: 30 })
    const child = spawn(process.execPath, [CLI, 'schedule', '--config', config], { env, stdio: ['ignore', 'ignore', 'pipe'] })
    let log = ''
    child.stderr.on('data', (c) => (log += c))
    const base = `http://127.0.0.1:${port}`
    await waitFor(async () => (await (await fetch(`${base}/healthz`)).json()).lastRunAt, 'the first run')
    const browser = await launchBrowser()
    ctx = { standin, child, base, browser, work, log: () => log }
})

after(async () => {
    await ctx?.browser.close()
    if (ctx?.child.exitCode === null) {
        ctx.child.kill('SIGTERM')
        await new Promise((r) => ctx.child.on('exit', r))
    }
    await ctx?.standin.close()
})

test('the page in French: status, facts, chart, runs, outbox with the reason, quarantine download; weight and load time', async () => {
    const page = await ctx.browser.newPage({ locale: 'fr-FR' })
    const started = Date.now()
    await page.goto(`${ctx.base}/`, { waitUntil: 'load' })
    const wall = Date.now() - started
    const nav = await page.evaluate(() => {
        const n = performance.getEntriesByType('navigation')[0]
        return { bytes: n.encodedBodySize, transfer: n.transferSize, loadMs: Math.round(n.loadEventEnd - n.startTime), resources: performance.getEntriesByType('resource').length }
    })
    process.stdout.write(`operator page: ${nav.bytes} bytes of HTML (${nav.transfer} transferred), ${nav.resources} other resources, load event after ${nav.loadMs} ms (${wall} ms wall)\n`)
    assert.equal(nav.resources, 0)

    assert.equal(await page.title(), 'Pont des recettes — état')
    assert.equal(await page.textContent('#status-word'), 'Données à corriger')
    assert.match(await page.textContent('#status'), /Dernière livraison/)
    assert.match(await page.textContent('#status'), /Dernière exécution entièrement propre/)
    assert.equal((await page.textContent('#new-problems')).trim(), '3') // one new quarantined row + two refused values (gross and payments of August)
    assert.equal((await page.textContent('#values-waiting')).trim(), '2')
    assert.match(await page.textContent('#next-run'), /^\d{4}-\d\d-\d\d 03:00$/)
    assert.match(await page.textContent('#access'), /Accessible depuis ce serveur seulement/)
    assert.equal(await page.locator('#chart rect').count(), 5) // one run, five measures
    assert.equal(await page.locator('#runs tbody tr').count(), 1)
    const outbox = await page.textContent('#outbox')
    assert.match(outbox, /ML-BKO-HDB/)
    assert.match(outbox, /202608/)
    assert.match(outbox, /E7640/)
    assert.match(await page.textContent('#quarantine'), /caisse\.csv:5 \[amount_xof\]/)

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')])
    const csv = fs.readFileSync(await download.path(), 'utf8')
    assert.match(csv, /^\ufefftransaction_id,line_no,/)
    assert.match(csv, /P4,1,.*trois mille/)
    fs.mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: path.join(ARTIFACTS, 'operator-page-fr.png'), fullPage: true })
    await page.close()
})

test('English, then « Sync now » and « Resend » by POST; the page refreshes by itself', async () => {
    const page = await ctx.browser.newPage({ locale: 'fr-FR' })
    await page.goto(`${ctx.base}/`)
    await page.click('a[hreflang="en"]')
    assert.equal(await page.title(), 'Revenue bridge — status')
    assert.match(await page.textContent('#status'), /Last delivery/)
    assert.match(await page.textContent('#status'), /Last fully clean run/)

    await page.click('#sync-now')
    await page.waitForFunction(() => document.getElementById('notice').textContent.length > 0)
    assert.match(await page.textContent('#notice'), /^(Sync started|A sync is already running)$/)
    // No reload: the script refreshes the main section (every 15 s) until the second run shows.
    await page.waitForFunction(() => document.querySelectorAll('#runs tbody tr').length === 2, null, { timeout: 45_000 })
    // The same bad row again: still quarantined, not new.
    assert.equal((await page.textContent('#still-quarantined')).trim(), '1')
    await page.click('#retry')
    await page.waitForFunction(() => /Resending|already running/.test(document.getElementById('notice').textContent))
    await page.screenshot({ path: path.join(ARTIFACTS, 'operator-page-en.png'), fullPage: true })
    await page.close()
})

test('cross-site requests are refused: another origin, or no form token', async () => {
    const before = (await (await fetch(`${ctx.base}/healthz`)).json()).lastRunAt
    const page = await ctx.browser.newPage()
    await page.goto(`${ctx.base}/`)
    const token = await page.getAttribute('input[name=csrf]', 'value')
    await page.close()
    const evil = await fetch(`${ctx.base}/actions/sync`, { method: 'POST', headers: { Origin: 'http://evil.example', 'X-CSRF-Token': token } })
    assert.equal(evil.status, 403)
    const crossSite = await fetch(`${ctx.base}/actions/sync`, { method: 'POST', headers: { 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'application/x-www-form-urlencoded' }, body: `csrf=${token}` })
    assert.equal(crossSite.status, 403)
    const noToken = await fetch(`${ctx.base}/actions/retry`, { method: 'POST', headers: { Origin: ctx.base } })
    assert.equal(noToken.status, 403)
    // A real browser page on another origin (the stand-in) posting a form to the bridge.
    const other = await ctx.browser.newPage()
    await other.goto(`${ctx.standin.url}/api/system/ping`)
    const status = await other.evaluate(async (url) => (await fetch(url, { method: 'POST', body: new URLSearchParams({ csrf: 'guess' }) }).catch(() => ({ status: 0 }))).status, `${ctx.base}/actions/sync`)
    assert.notEqual(status, 202)
    await other.close()
    await new Promise((r) => setTimeout(r, 500))
    assert.equal((await (await fetch(`${ctx.base}/healthz`)).json()).lastRunAt, before)
})

/**
 * Shared by the browser tests and tests/e2e/measure-200.mjs: the stand-in in-process with the
 * built app, the demo ledger, the real CLI (setup, then sync) against it, and headless Chromium.
 * Needs `npm run build:bridge` (dist/) and `npx d2-app-scripts build` (build/app).
 */
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, selectors } from 'playwright-core'

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const CLI = path.join(REPO, 'dist', 'bridge', 'cli', 'main.js')
export const APP_DIR = path.join(REPO, 'build', 'app')
export const ARTIFACTS = path.join(REPO, 'tests', 'artifacts')
export const APP_PATH = '/api/apps/recettes-hospitalieres/index.html'
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'

const require = createRequire(import.meta.url)

/** The compiled stand-in and ledger generator (CommonJS under dist/). */
export function loadDist() {
    for (const f of [CLI, path.join(REPO, 'dist', 'standin', 'index.js'), path.join(REPO, 'dist', 'demo', 'generate-ledger.js')]) {
        if (!fs.existsSync(f)) throw new Error(`${path.relative(REPO, f)} is missing: run npm run build:bridge first`)
    }
    if (!fs.existsSync(path.join(APP_DIR, 'index.html'))) throw new Error('build/app is missing: run npx d2-app-scripts build first')
    return {
        standin: require(path.join(REPO, 'dist', 'standin', 'index.js')),
        ledger: require(path.join(REPO, 'dist', 'demo', 'generate-ledger.js')),
    }
}

export function runCli(args, env, { quiet = true } = {}) {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
        let out = ''
        child.stdout.on('data', (c) => (out += c))
        child.stderr.on('data', (c) => (out += c))
        child.on('error', reject)
        child.on('exit', (code) => {
            if (!quiet) process.stdout.write(out)
            resolve({ code: code ?? 1, out })
        })
    })
}

/**
 * Stand-in + ledger + `setup` + `sync`. Analytics is NOT refreshed here (the caller decides, so
 * that the "tables not generated" state can be seen first).
 */
export async function startDemo({ version = '2.41.3', today, endDate, seed = 42, months = 24, facilities, autoLoginUser = 'admin', uiLocale = 'fr', stock = false, reconcile = false }) {
    const { standin: standinMod, ledger: ledgerMod } = loadDist()
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'payrev-e2e-'))
    const ledgerDir = path.join(workDir, 'ledger')
    fs.mkdirSync(ledgerDir)
    const ledger = ledgerMod.generateDemoLedger({ seed, endDate, months, facilities })
    fs.writeFileSync(path.join(ledgerDir, `export-caisse-${endDate}.csv`), ledgerMod.demoLedgerCsv(ledger), 'utf8')

    const standin = await standinMod.startStandin({ version, today, appDir: APP_DIR, autoLoginUser, port: 0 })
    const env = {
        ...process.env,
        DHIS2_BASE_URL: standin.url,
        DHIS2_TOKEN: standinMod.seedTokenFor(version),
        DHIS2_USERNAME: '',
        DHIS2_PASSWORD: '',
        BRIDGE_STATE_DIR: path.join(workDir, 'state'),
    }
    // With `stock`: the demo's pharmacy configuration (LMIS seed, recording MEDEXIS), as `npm run demo`.
    const stockDemo = stock ? await require(path.join(REPO, 'dist', 'demo', 'stock-demo.js')).prepareStockDemo({ standin, workDir, endDate, seed, months, ledger }) : null
    if (stockDemo) Object.assign(env, stockDemo.env)
    // With `reconcile` (and `stock`, whose configuration file it extends): the demo's operator
    // statements and cash counts, reconciled after the sync. `npm run demo` ends its ledger
    // yesterday and its statements cover the three months before the running one; here the ledger
    // ends with a whole month, so the statements cover it and the two before, its discrepancies
    // planted in the ledger's last month.
    if (reconcile) {
        assert.ok(stockDemo, 'startDemo: reconcile needs stock')
        const dayAfterEnd = new Date(Date.parse(`${endDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
        require(path.join(REPO, 'dist', 'demo', 'recon-demo.js')).addDemoReconciliation(stockDemo.configFile, path.join(workDir, 'recon'), ledger, dayAfterEnd)
    }
    const config = stockDemo ? ['--config', stockDemo.configFile] : []
    const setup = await runCli(['setup', '--ledger', ledgerDir, '--lang', 'en', ...config], env)
    const syncStarted = new Date()
    const sync = await runCli(['sync', '--ledger', ledgerDir, '--lang', 'en', ...config], env)
    const syncEnded = new Date()
    const reconciled = reconcile ? await runCli(['reconcile', '--month', endDate.slice(0, 7), '--lang', 'en', ...config], env) : null
    if (reconciled) assert.equal(reconciled.code, 0, reconciled.out)

    // As the admin: analytics answers not cached by the browser, and the dashboards in French.
    await admin(standin, 'POST', '/api/systemSettings/keyCacheStrategy?value=NO_CACHE')
    if (uiLocale) await admin(standin, 'POST', `/api/userSettings/keyUiLocale?value=${uiLocale}`)

    return {
        standin,
        ledger,
        /** The CLI's environment (DHIS2 address, token, state directory), for more commands. */
        env,
        /** `--config FILE` of the stock demo's configuration (empty without `stock`), for more commands. */
        configArgs: config,
        setup,
        sync,
        syncStarted,
        syncEnded,
        appUrl: `${standin.url}${APP_PATH}`,
        orgUnitUid: standinMod.orgUnitUid,
        async close() {
            await stockDemo?.close()
            await standin.close()
            fs.rmSync(workDir, { recursive: true, force: true })
        },
    }
}

/** A request as the seeded superuser (Basic auth). */
export async function admin(standin, method, apiPath, body) {
    const res = await fetch(`${standin.url}${apiPath}`, {
        method,
        headers: {
            Authorization: `Basic ${Buffer.from('admin:district').toString('base64')}`,
            ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${apiPath} → ${res.status}: ${text.slice(0, 300)}`)
    return text ? JSON.parse(text) : null
}

export async function launchBrowser() {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`)
    selectors.setTestIdAttribute('data-test')
    return chromium.launch({
        executablePath: CHROMIUM,
        args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            // Chromium 156's headless mode builds its omnibox popup (a WebUI page of ~400 modules) in
            // every new window: 1 to 3 s of CPU next to the page under test on a 2-core machine, work a
            // user's browser does once, not per page load.
            '--disable-features=WebUIOmniboxPopup',
        ],
    })
}

/**
 * A fresh context (cookies, session storage, cache) on `url`: French, Bamako time, downloads
 * allowed. Uncaught page errors fail the test `t`; the context closes after it.
 */
export async function openApp(browser, t, url, { viewport = { width: 1366, height: 768 } } = {}) {
    const context = await browser.newContext({ viewport, acceptDownloads: true, locale: 'fr-FR', timezoneId: 'Africa/Bamako' })
    const page = await context.newPage()
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    t.after(async () => {
        await context.close()
        assert.deepEqual(errors, [], 'uncaught errors in the page')
    })
    await page.goto(url)
    return page
}

/** Spaces Intl puts in numbers (no-break, narrow no-break) → plain spaces. */
export const plain = (s) => String(s ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim()

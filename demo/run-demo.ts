/**
 * `npm run demo`: the whole product on one machine, no outside server.
 * Starts the DHIS2 stand-in on loopback, writes the synthetic ledger of a Bamako hospital and
 * four other facilities (24 months), runs the real CLI — `setup`, then `sync` — against it,
 * exactly as a hospital IT officer would against a real DHIS2, and prints the reports. Then it
 * generates the analytics tables, builds the DHIS2 app if needed and serves it from the stand-in
 * (no login: requests act as the admin), and prints the dashboards' URL.
 *
 * It keeps serving until Ctrl-C when run from a terminal; it exits by itself (0 when setup exited
 * 0 and sync 0 or 3) with --once, when CI is set or when stdin is not a terminal, so that scripts
 * and checkers never hang.
 *   --once         exit after the sync and the app check, even from a terminal
 *   --serve        keep serving even without a terminal (e.g. in the background)
 *   --port N       stand-in port (default 8080, 0 = any free port)
 *   --lang en      reports and dashboards in English (default fr)
 *   --version V    DHIS2 version the stand-in plays (default 2.41.3)
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { DateTime } from 'luxon'
import { startStandin, seedTokenFor, type Standin } from '../standin'
import { demoLedgerCsv, generateDemoLedger } from './generate-ledger'
import { prepareStockDemo } from './stock-demo'
import { traceDemo } from './trace-demo'

const REPO = path.resolve(__dirname, '..', '..')
const CLI = path.join(REPO, 'dist', 'bridge', 'cli', 'main.js')
const APP_DIR = path.join(REPO, 'build', 'app')
const APP_KEY = 'recettes-hospitalieres'
const DEMO_USER = 'admin'
const DEMO_PASSWORD = 'district'

function arg(name: string): string | undefined {
    const i = process.argv.indexOf(name)
    return i >= 0 ? process.argv[i + 1] : undefined
}

const say = (text: string) => process.stdout.write(text)

function run(command: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<number> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { env: opts.env ?? process.env, cwd: opts.cwd, stdio: 'inherit' })
        child.on('error', reject)
        child.on('exit', (code) => resolve(code ?? 1))
    })
}

/** Newest modification time under `dir` (files only), skipping generated folders. */
function newestMtime(entry: string, skip: ReadonlySet<string>): number {
    if (!fs.existsSync(entry) || skip.has(entry)) return 0
    const st = fs.statSync(entry)
    if (!st.isDirectory()) return st.mtimeMs
    let newest = 0
    for (const name of fs.readdirSync(entry)) newest = Math.max(newest, newestMtime(path.join(entry, name), skip))
    return newest
}

/** Why the app must be (re)built, or null when build/app is newer than its sources. */
export function appBuildReason(repo: string): { fr: string; en: string } | null {
    const index = path.join(repo, 'build', 'app', 'index.html')
    if (!fs.existsSync(index)) return { fr: 'build/app est absent', en: 'build/app is missing' }
    // src/locales is written by the build itself from i18n/*.po.
    const skip = new Set([path.join(repo, 'src', 'locales')])
    const sources = Math.max(
        newestMtime(path.join(repo, 'src'), skip),
        newestMtime(path.join(repo, 'i18n', 'fr.po'), skip),
        newestMtime(path.join(repo, 'd2.config.js'), skip)
    )
    const built = fs.statSync(index).mtimeMs
    return sources > built ? { fr: 'build/app est plus ancien que src/', en: 'build/app is older than src/' } : null
}

/** A request to the stand-in as the demo's administrator (Basic auth over loopback). */
async function asAdmin(standin: Standin, method: string, apiPath: string): Promise<void> {
    const res = await fetch(`${standin.url}${apiPath}`, {
        method,
        headers: { Authorization: `Basic ${Buffer.from(`${DEMO_USER}:${DEMO_PASSWORD}`).toString('base64')}` },
    })
    if (!res.ok) throw new Error(`${method} ${apiPath} → HTTP ${res.status}: ${(await res.text()).slice(0, 200)}`)
}

async function main(): Promise<void> {
    const once = process.argv.includes('--once')
    const forceServe = process.argv.includes('--serve')
    const lang = arg('--lang') === 'en' ? 'en' : 'fr'
    const port = Number(arg('--port') ?? process.env.DEMO_PORT ?? 8080)
    const version = arg('--version') ?? '2.41.3'
    const bi = (fr: string, en: string) => (lang === 'en' ? en : fr)
    // Serve until Ctrl-C only where someone can press it.
    const interactive = Boolean(process.stdin.isTTY) && !process.env.CI
    const serve = !once && (forceServe || interactive)

    const workDir = path.join(REPO, '.demo')
    fs.rmSync(workDir, { recursive: true, force: true })
    fs.mkdirSync(workDir, { recursive: true })

    const endDate = DateTime.now().setZone('Africa/Bamako').minus({ days: 1 }).toISODate()!
    const ledger = path.join(workDir, 'ledger', `export-caisse-${endDate}.csv`)
    fs.mkdirSync(path.dirname(ledger), { recursive: true })
    const demoLedger = generateDemoLedger({ seed: 42, endDate, months: 24 })
    fs.writeFileSync(ledger, demoLedgerCsv(demoLedger), 'utf8')

    // The app is served from build/app as it is on disk at each request, so it may be built later.
    const standin = await startStandin({ port, version, appDir: APP_DIR, autoLoginUser: DEMO_USER })
    say(`\nDHIS2 stand-in ${version}: ${standin.url}\n`)
    // The pharmacy leg: LMIS figures in the stand-in, a recording MEDEXIS endpoint, the product mapping.
    const stock = await prepareStockDemo({ standin, workDir, endDate, seed: 42, months: 24, ledger: demoLedger })
    say(`MEDEXIS (${bi('enregistreur de démonstration', 'demo recorder')}): ${stock.env.MEDEXIS_BASE_URL}\n`)
    const env = {
        ...process.env,
        ...stock.env,
        DHIS2_BASE_URL: standin.url,
        DHIS2_TOKEN: seedTokenFor(version),
        DHIS2_USERNAME: '',
        DHIS2_PASSWORD: '',
        BRIDGE_STATE_DIR: path.join(workDir, 'state'),
    }
    const common = ['--lang', lang, '--config', stock.configFile]
    const configRel = path.relative(REPO, stock.configFile)
    const ledgerDir = path.relative(REPO, path.dirname(ledger))
    say(`\n$ revenue-bridge setup --config ${configRel} --ledger ${ledgerDir}\n`)
    const setupCode = await run(process.execPath, [CLI, 'setup', '--ledger', path.dirname(ledger), ...common], { env })
    say(`\n$ revenue-bridge sync --config ${configRel} --ledger ${ledgerDir}\n`)
    const syncCode = await run(process.execPath, [CLI, 'sync', '--ledger', path.dirname(ledger), ...common], { env })
    say(`\nMEDEXIS: ${stock.recorder.held.size} ${bi('enregistrements de sortie de stock reçus', 'stock-outflow records received')} (${stock.recorder.records.length} PUT)\n`)
    // Sales against the LMIS stock figures of the last closed month: the demo seeds a sale during a stock-out.
    say(`\n$ revenue-bridge stock reconcile --config ${configRel}\n`)
    const reconcileCode = await run(process.execPath, [CLI, 'stock', 'reconcile', ...common], { env })
    // The demo ledger holds a few deliberately bad rows: exit 3 (quarantine) is the expected outcome.
    // Traceability: explain one Dermatology Hospital figure; a value typed over in DHIS2, found and repaired by verify.
    const traceOk = await traceDemo({ standin, endDate, say, bi, admin: { user: DEMO_USER, password: DEMO_PASSWORD }, cli: (args) => run(process.execPath, [CLI, ...args, ...common], { env }) })
    const ok = setupCode === 0 && (syncCode === 0 || syncCode === 3) && (reconcileCode === 0 || reconcileCode === 3) && traceOk

    // What a DHIS2 administrator does next: generate the analytics tables, and (for a demo that
    // reloads often) switch off the analytics cache so the browser never shows stale figures.
    say(`\n${bi("Génération des tables d'analyse", 'Generating the analytics tables')}\n`)
    standin.hooks.refreshAnalytics()
    await asAdmin(standin, 'POST', '/api/systemSettings/keyCacheStrategy?value=NO_CACHE')
    await asAdmin(standin, 'POST', `/api/userSettings/keyUiLocale?value=${lang}`)

    let appReady = true
    const reason = appBuildReason(REPO)
    if (reason) {
        say(`\n${bi("Construction de l'application DHIS2", 'Building the DHIS2 app')} (${bi(reason.fr, reason.en)}):\n$ npx d2-app-scripts build\n`)
        const buildCode = await run(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['d2-app-scripts', 'build'], { cwd: REPO })
        appReady = buildCode === 0 && fs.existsSync(path.join(APP_DIR, 'index.html'))
        if (!appReady)
            say(`\n${bi(`La construction de l'application a échoué (code ${buildCode}).`, `The app build failed (exit code ${buildCode}).`)}\n`)
    } else {
        say(`\n${bi("Application DHIS2 déjà construite (build/app est à jour)", 'DHIS2 app already built (build/app is up to date)')}\n`)
    }

    const dashboards = `${standin.url}/api/apps/${APP_KEY}/index.html`
    say(
        `\n${ok ? 'Démo terminée / Demo finished' : 'Démo en échec / Demo failed'} (setup=${setupCode}, sync=${syncCode}, reconcile=${reconcileCode}, trace=${traceOk ? 'ok' : 'KO'}).\n` +
            (appReady ? `Tableaux de bord / Dashboards: ${dashboards}\n` : '')
    )
    if (serve && ok && appReady) {
        say(`${bi('Le serveur reste ouvert. Ctrl-C pour arrêter.', 'Still serving. Ctrl-C to stop.')}\n`)
        const stop = () => Promise.all([standin.close(), stock.close()]).then(() => process.exit(0))
        process.on('SIGINT', stop)
        process.on('SIGTERM', stop)
        return
    }
    if (!serve && ok && appReady && !once)
        say(
            `${bi(
                'Exécution non interactive (CI ou pas de terminal) : arrêt du serveur ; --serve le garde ouvert.',
                'Not interactive (CI or no terminal): stopping the server; --serve keeps it running.'
            )}\n`
        )
    await Promise.all([standin.close(), stock.close()])
    process.exit(ok && appReady ? 0 : 1)
}

if (require.main === module)
    main().catch((e) => {
        process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
        process.exit(1)
    })

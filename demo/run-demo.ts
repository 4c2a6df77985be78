/**
 * `npm run demo`: the whole product on one machine, no outside server.
 * Starts the DHIS2 stand-in on loopback, writes the synthetic ledger of a Bamako hospital and
 * four other facilities (24 months), then runs the real CLI — `setup`, then `sync` — against it,
 * exactly as a hospital IT officer would against a real DHIS2, and prints the reports.
 *   --serve        keep the stand-in running afterwards (for the dashboards), until Ctrl-C
 *   --port N       stand-in port (default 8080, 0 = any free port)
 *   --lang en      reports in English
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { DateTime } from 'luxon'
import { startStandin, seedTokenFor } from '../standin'
import { writeDemoLedgerCsv } from './generate-ledger'

const REPO = path.resolve(__dirname, '..', '..')
const CLI = path.join(REPO, 'dist', 'bridge', 'cli', 'main.js')

function arg(name: string): string | undefined {
    const i = process.argv.indexOf(name)
    return i >= 0 ? process.argv[i + 1] : undefined
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...args], { env, stdio: 'inherit' })
        child.on('error', reject)
        child.on('exit', (code) => resolve(code ?? 1))
    })
}

async function main(): Promise<void> {
    const serve = process.argv.includes('--serve')
    const lang = arg('--lang') ?? 'fr'
    const port = Number(arg('--port') ?? process.env.DEMO_PORT ?? 8080)
    const version = arg('--version') ?? '2.41.3'
    const workDir = path.join(REPO, '.demo')
    fs.rmSync(workDir, { recursive: true, force: true })
    fs.mkdirSync(workDir, { recursive: true })

    const endDate = DateTime.now().setZone('Africa/Bamako').minus({ days: 1 }).toISODate()!
    const ledger = path.join(workDir, 'ledger', `export-caisse-${endDate}.csv`)
    fs.mkdirSync(path.dirname(ledger), { recursive: true })
    writeDemoLedgerCsv(ledger, { seed: 42, endDate, months: 24 })

    const appDir = path.join(REPO, 'build', 'app')
    const standin = await startStandin({ port, version, appDir: fs.existsSync(appDir) ? appDir : undefined, autoLoginUser: 'admin' })
    process.stdout.write(`\nDHIS2 stand-in ${version}: ${standin.url}\n`)
    const env = {
        ...process.env,
        DHIS2_BASE_URL: standin.url,
        DHIS2_TOKEN: seedTokenFor(version),
        DHIS2_USERNAME: '',
        DHIS2_PASSWORD: '',
        BRIDGE_STATE_DIR: path.join(workDir, 'state'),
    }
    const common = ['--lang', lang]
    process.stdout.write(`\n$ revenue-bridge setup --ledger ${path.relative(REPO, path.dirname(ledger))}\n`)
    const setupCode = await runCli(['setup', '--ledger', path.dirname(ledger), ...common], env)
    process.stdout.write(`\n$ revenue-bridge sync --ledger ${path.relative(REPO, path.dirname(ledger))}\n`)
    const syncCode = await runCli(['sync', '--ledger', path.dirname(ledger), ...common], env)
    standin.hooks.refreshAnalytics()

    // The demo ledger holds a few deliberately bad rows: exit 3 (quarantine) is the expected outcome.
    const ok = setupCode === 0 && (syncCode === 0 || syncCode === 3)
    process.stdout.write(
        `\n${ok ? 'Démo terminée / Demo finished' : 'Démo en échec / Demo failed'} (setup=${setupCode}, sync=${syncCode}).\n` +
            (fs.existsSync(appDir) ? `Tableaux de bord / Dashboards: ${standin.url}/api/apps/recettes-hospitalieres/index.html\n` : '')
    )
    if (serve && ok) {
        process.stdout.write('Ctrl-C pour arrêter / Ctrl-C to stop.\n')
        const stop = () => standin.close().then(() => process.exit(0))
        process.on('SIGINT', stop)
        process.on('SIGTERM', stop)
        return
    }
    await standin.close()
    process.exit(ok ? 0 : 1)
}

main().catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`)
    process.exit(1)
})

#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander'
import { resolveConfig } from '../config/load'
import { BridgeError, EXIT } from '../errors'
import type { Bilingual } from '../domain/line'
import { pickLang, type Lang } from '../report/lang'
import { renderSyncReport } from '../report/render'
import { runSetup } from '../setup/setup'
import { runStatus, renderStatus } from './status'
import { renderSetupReport } from './render-setup'
import { runSync } from '../sync/sync'
import { bridgeVersion } from './version'
import { diskFullReason, isDiskFull } from '../state/disk-full'
import { startScheduler } from '../schedule/scheduler'
import { registerOperatorCommands } from './operator'
import { registerStockCommands } from '../stock/cli'
import { registerConfigCommands } from './config-commands'
import { registerReconcileCommand } from '../reconcile/cli'
import { registerServiceCommands } from './service'
import { registerTraceCommands } from './trace-commands'
import { installOutputRedaction } from '../report/redact'
import type { ResolvedConfig } from '../config/load'

export { EXIT }

const collect = (value: string, previous: string[]) => [...previous, value]

function fail(reason: Bilingual, code: number, lang: Lang, json: boolean, todo?: Bilingual): never {
    if (json) process.stdout.write(JSON.stringify({ error: reason, exitCode: code, ...(todo ? { todo } : {}) }) + '\n')
    else process.stderr.write(`${reason[lang]}\n${todo ? `→ ${todo[lang]}\n` : ''}`)
    process.exit(code)
}

/** Configuration warnings (e.g. a secret file readable by others) on stderr; sync also puts them in its report. */
function warnConfig(rc: ResolvedConfig, lang: Lang): void {
    for (const w of rc.warnings ?? []) process.stderr.write(`${w[lang]}\n`)
}

/** Known failures (BridgeError) end with their own exit code and reason in both languages; the rest is exit 1. */
function handle(e: unknown, lang: Lang, json: boolean, stateDir?: string): never {
    if (e instanceof BridgeError) fail(e.reason, e.exitCode, lang, json, e.todo)
    // The state's disk full before a sync could say so itself (opening the state, starting the run).
    if (isDiskFull(e) && stateDir) fail(diskFullReason(stateDir), EXIT.CONFIG, lang, json)
    const message = e instanceof Error ? e.message : String(e)
    fail({ fr: `Erreur inattendue : ${message}`, en: `Unexpected error: ${message}` }, EXIT.UNEXPECTED, lang, json)
}

async function syncCommand(o: { config?: string; ledger: string[]; dryRun?: boolean; json: boolean; lang?: string }): Promise<void> {
    const lang = pickLang(o.lang)
    let stateDir: string | undefined
    try {
        const rc = resolveConfig(o.config)
        stateDir = rc.stateDir
        warnConfig(rc, lang)
        const interactive = !o.json && process.stderr.isTTY
        const report = await runSync(rc, {
            ledgerPaths: o.ledger,
            dryRun: o.dryRun ?? false,
            log: interactive ? (m) => process.stderr.write(`${m[lang]}\n`) : undefined,
            progress: interactive,
            lang,
        })
        process.stdout.write((o.json ? JSON.stringify(report) : renderSyncReport(report, lang)) + '\n')
        process.exitCode = report.exitCode
    } catch (e) {
        handle(e, lang, o.json, stateDir)
    }
}

export function buildProgram(): Command {
    const program = new Command('revenue-bridge')
        .description('Paiements hospitaliers → DHIS2 / Hospital payments → DHIS2')
        .version(bridgeVersion())
        .exitOverride()
        .showHelpAfterError()
    const common = (cmd: Command) =>
        cmd
            .option('--config <file>', 'configuration file (JSON or YAML) / fichier de configuration')
            .addOption(new Option('--lang <lang>', 'report language').choices(['fr', 'en']))

    common(program.command('setup'))
        .description('install or check the DHIS2 metadata package / installe ou vérifie les métadonnées')
        .option('--dry-run', 'list what would change, change nothing', false)
        .option('--with-dashboard', 'also install the standard DHIS2 dashboard « Recettes hospitalières » / installe aussi le tableau de bord', false)
        .option('--ledger <paths...>', 'ledger files or folders whose facilities to assign (repeatable)', collect, [])
        .option('--json', 'print one JSON document', false)
        .action(async (o) => {
            const lang = pickLang(o.lang)
            try {
                const rc = resolveConfig(o.config)
                warnConfig(rc, lang)
                const report = await runSetup(rc, { dryRun: o.dryRun, ledgerPaths: o.ledger, withDashboard: o.withDashboard })
                process.stdout.write((o.json ? JSON.stringify(report) : renderSetupReport(report, lang)) + '\n')
                process.exitCode = report.exitCode
            } catch (e) {
                handle(e, lang, o.json)
            }
        })

    common(program.command('sync'))
        .description('read the ledger and push absolute totals to DHIS2 / lit le registre et envoie les totaux')
        .option('--ledger <paths...>', 'ledger files or folders (repeatable)', collect, [])
        .option('--dry-run', 'show the difference with DHIS2, send and record nothing', false)
        .option('--json', 'print exactly one JSON document on stdout', false)
        .action((o) => syncCommand({ config: o.config, ledger: o.ledger, dryRun: o.dryRun, json: o.json, lang: o.lang }))

    common(program.command('schedule'))
        .description('run sync on the configured cron until stopped / synchronise selon le cron configuré')
        .action(async (o) => {
            const lang = pickLang(o.lang)
            try {
                const rc = resolveConfig(o.config)
                warnConfig(rc, lang)
                const log = (m: Bilingual) => process.stderr.write(`${new Date().toISOString()} ${m[lang]}\n`)
                const scheduler = await startScheduler(rc, log)
                log({
                    fr: `Planificateur démarré (cron « ${rc.config.schedule.cron} »)${scheduler.address ? ` — page ${scheduler.address}/, ${scheduler.address}/healthz, ${scheduler.address}/metrics` : ''}`,
                    en: `Scheduler started (cron "${rc.config.schedule.cron}")${scheduler.address ? ` — page ${scheduler.address}/, ${scheduler.address}/healthz, ${scheduler.address}/metrics` : ''}`,
                })
                await scheduler.done
                log({ fr: 'Planificateur arrêté', en: 'Scheduler stopped' })
            } catch (e) {
                handle(e, lang, false)
            }
        })

    common(program.command('status'))
        .description('last runs, values waiting, quarantine / dernières exécutions, valeurs en attente, quarantaine')
        .option('--json', 'print one JSON document', false)
        .action(async (o) => {
            const lang = pickLang(o.lang)
            try {
                const status = runStatus(o.config)
                process.stdout.write((o.json ? JSON.stringify(status) : renderStatus(status, lang)) + '\n')
            } catch (e) {
                handle(e, lang, o.json)
            }
        })
    registerOperatorCommands(program, syncCommand)
    registerStockCommands(program)
    registerConfigCommands(program)
    registerReconcileCommand(program)
    registerServiceCommands(program, handle)
    registerTraceCommands(program, handle) // trace: explain, verify, runs
    return program
}

async function main(argv: string[]): Promise<void> {
    const program = buildProgram()
    try {
        await program.parseAsync(argv)
    } catch (e) {
        if (e instanceof CommanderError) {
            // --help and --version exit 0; anything else about the arguments is exit 2.
            process.exit(e.exitCode === 0 ? 0 : EXIT.CONFIG)
        }
        throw e
    }
}

if (require.main === module) {
    // Secrets are registered as the configuration loads them; nothing printed carries them.
    installOutputRedaction()
    main(process.argv).catch((e) => {
        process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`)
        process.exit(EXIT.UNEXPECTED)
    })
}

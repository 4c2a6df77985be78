import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import { BridgeError, EXIT } from '../errors'
import { pickLang, type Lang } from '../report/lang'
import { DEFAULTS, envFileTemplate, renderUnit } from '../service/unit'

interface ServiceOptions {
    print?: boolean
    config?: string
    user: string
    stateDir: string
    secretsFile: string
    unitDir: string
    lang?: string
}

const say = (lang: Lang, fr: string, en: string) => process.stdout.write(`${lang === 'fr' ? fr : en}\n`)

/** The CLI's one error handler (main.ts): a BridgeError ends with its exit code and its reason. */
type Handle = (e: unknown, lang: Lang, json: boolean) => never

const refuse = (fr: string, en: string): never => {
    throw new BridgeError({ fr, en }, EXIT.CONFIG)
}

/** systemctl is only called when systemd runs (not in a container or a chroot). */
function systemctl(args: string[], lang: Lang): void {
    if (!fs.existsSync('/run/systemd/system')) {
        say(lang, `systemd ne tourne pas ici : « systemctl ${args.join(' ')} » non lancé`, `systemd is not running here: "systemctl ${args.join(' ')}" not run`)
        return
    }
    execFileSync('systemctl', args, { stdio: 'inherit' })
}

function userExists(user: string): boolean {
    try {
        execFileSync('id', ['-u', user], { stdio: 'ignore' })
        return true
    } catch {
        return false
    }
}

function unitFor(o: ServiceOptions): string {
    return renderUnit({
        node: process.execPath,
        main: path.resolve(__dirname, 'main.js'),
        user: o.user,
        stateDir: path.resolve(o.stateDir),
        envFile: path.resolve(o.secretsFile),
        configFile: o.config ? path.resolve(o.config) : null,
    })
}

function install(o: ServiceOptions, lang: Lang): void {
    const unit = unitFor(o)
    if (o.print) return void process.stdout.write(unit)
    if (process.platform !== 'linux') refuse('Le service systemd est pour Linux : voir docs/installing.md pour Windows', 'The systemd service is for Linux: see docs/installing.md for Windows')
    if (process.getuid?.() !== 0) refuse('Lancez « service install » en root (sudo), ou --print pour voir le fichier sans l\'écrire', 'Run "service install" as root (sudo), or --print to see the unit without writing it')
    if (!userExists(o.user)) {
        execFileSync('useradd', ['--system', '--home-dir', path.resolve(o.stateDir), '--no-create-home', '--shell', '/usr/sbin/nologin', o.user], { stdio: 'inherit' })
        say(lang, `Utilisateur système ${o.user} créé`, `System user ${o.user} created`)
    }
    const stateDir = path.resolve(o.stateDir)
    fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 })
    execFileSync('chown', [`${o.user}:`, stateDir])
    fs.chmodSync(stateDir, 0o700)

    // Secrets: created empty (names only) if absent; an existing file keeps its content, not a loose mode.
    const envFile = path.resolve(o.secretsFile)
    fs.mkdirSync(path.dirname(envFile), { recursive: true, mode: 0o755 })
    if (!fs.existsSync(envFile)) {
        fs.writeFileSync(envFile, envFileTemplate(), { mode: 0o600 })
        say(lang, `${envFile} créé (mode 600) : mettez-y DHIS2_BASE_URL et DHIS2_TOKEN`, `${envFile} created (mode 600): put DHIS2_BASE_URL and DHIS2_TOKEN in it`)
    } else if ((fs.statSync(envFile).mode & 0o077) !== 0) {
        fs.chmodSync(envFile, 0o600)
        say(lang, `${envFile} était lisible par d'autres : remis en mode 600`, `${envFile} was readable by others: set back to mode 600`)
    }
    execFileSync('chown', ['root:', envFile])

    // The service runs as its own user: the configuration (written by `init` as root, mode 600)
    // must be readable by that user's group, or `schedule` fails at every restart.
    if (o.config && fs.existsSync(o.config)) {
        const configFile = path.resolve(o.config)
        execFileSync('chown', [`root:${o.user}`, configFile])
        fs.chmodSync(configFile, 0o640)
        say(lang, `${configFile} : lisible par ${o.user} (root:${o.user}, mode 640)`, `${configFile}: readable by ${o.user} (root:${o.user}, mode 640)`)
    }

    const unitFile = path.join(o.unitDir, `${DEFAULTS.name}.service`)
    fs.mkdirSync(o.unitDir, { recursive: true })
    fs.writeFileSync(unitFile, unit, { mode: 0o644 })
    say(lang, `Service écrit : ${unitFile}`, `Service written: ${unitFile}`)
    systemctl(['daemon-reload'], lang)
    say(
        lang,
        `Ensuite : remplissez ${envFile}, puis « systemctl enable --now ${DEFAULTS.name} » ; journal : « journalctl -u ${DEFAULTS.name} »`,
        `Next: fill in ${envFile}, then "systemctl enable --now ${DEFAULTS.name}"; log: "journalctl -u ${DEFAULTS.name}"`
    )
}

function uninstall(o: ServiceOptions, lang: Lang): void {
    const unitFile = path.join(o.unitDir, `${DEFAULTS.name}.service`)
    if (o.print) return void say(lang, `Supprimerait ${unitFile}`, `Would remove ${unitFile}`)
    if (process.getuid?.() !== 0) refuse('Lancez « service uninstall » en root (sudo)', 'Run "service uninstall" as root (sudo)')
    if (!fs.existsSync(unitFile)) refuse(`Aucun service installé (${unitFile} absent)`, `No service installed (${unitFile} missing)`)
    systemctl(['disable', '--now', DEFAULTS.name], lang)
    fs.rmSync(unitFile)
    systemctl(['daemon-reload'], lang)
    // The state (values waiting, history) and the secrets stay: removing them is a decision of its own.
    say(
        lang,
        `Service supprimé. Gardés : l'état ${path.resolve(o.stateDir)}, les secrets ${path.resolve(o.secretsFile)}, l'utilisateur ${o.user}`,
        `Service removed. Kept: the state ${path.resolve(o.stateDir)}, the secrets ${path.resolve(o.secretsFile)}, the user ${o.user}`
    )
}

export function registerServiceCommands(program: Command, handle: Handle): void {
    const service = program.command('service').description('systemd service (Linux) / service systemd')
    const common = (cmd: Command) =>
        cmd
            .option('--print', 'show, write nothing / afficher sans écrire', false)
            .option('--config <file>', 'configuration file for schedule')
            .option('--user <name>', 'system user that runs it', DEFAULTS.user)
            .option('--state-dir <dir>', 'the only writable directory', DEFAULTS.stateDir)
            .option('--secrets-file <file>', 'secrets as an environment file, mode 600 (not --env-file: Node 20 reads that flag itself)', DEFAULTS.envFile)
            .option('--unit-dir <dir>', 'where the unit goes', DEFAULTS.unitDir)
            .option('--lang <lang>')
    const run = (step: (o: ServiceOptions, lang: Lang) => void) => (o: ServiceOptions) => {
        const lang = pickLang(o.lang)
        try {
            step(o, lang)
        } catch (e) {
            handle(e, lang, false)
        }
    }
    common(service.command('install').description('write the systemd unit / écrire le service systemd')).action(run(install))
    common(service.command('uninstall').description('remove the systemd unit / supprimer le service')).action(run(uninstall))
}

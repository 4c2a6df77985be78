import { openState } from '../state/db'
import fs from 'node:fs'
import { Option, type Command } from 'commander'
import { resolveConfig, resolveLocalConfig } from '../config/load'
import { pickLang, type Lang } from '../report/lang'
import { checkAgainstDhis2, explainFromState, TraceArgumentError } from '../trace/explain-run'
import { explainCsv, renderExplain, renderRun, renderRuns, renderVerify } from '../trace/render'
import { listRuns, showRun } from '../trace/runs'
import { runVerify } from '../trace/verify-run'

/**
 * Traceability commands (docs/traceability.md, docs/contract.md §6): explain, verify, runs.
 * explain and runs read the state only; verify (and explain --check) ask DHIS2.
 */
/** The CLI's one error handler: a BridgeError (bad key, missing metadata…) ends with its own exit code. */
type Handle = (e: unknown, lang: Lang, json: boolean) => never

function print(json: boolean, doc: unknown, text: () => string): void {
    process.stdout.write((json ? JSON.stringify(doc) : text()) + '\n')
}


export function registerTraceCommands(program: Command, handle: Handle): void {
    const lang = new Option('--lang <lang>', 'langue / language').choices(['fr', 'en'])

    program
        .command('explain')
        .description("d'où vient une valeur DHIS2 : total, envois, lignes / where a DHIS2 value comes from: total, sends, lines")
        .requiredOption('--data-element <code>', 'PAYREV_GROSS, PAYREV_REFUNDS, PAYREV_PAYMENTS, PAYREV_FAILED, ou un élément LMIS de stock.products / or an LMIS data element of stock.products')
        .requiredOption('--period <pe>', 'période DHIS2 / DHIS2 period (202610, 2026W44, 20261015)')
        .requiredOption('--facility <code>', "code de l'établissement (registre ou DHIS2) / facility code (ledger or DHIS2)")
        .option('--channel <ch>', 'moyen de paiement / payment channel (CASH, ORANGE_MONEY, OM, Espèces…); absent: all')
        .option('--service <sv>', 'service (CONSULTATION, EXAM, …); absent: all')
        .option('--json', 'un document JSON / one JSON document', false)
        .option('--csv <file>', 'écrit les lignes en CSV / writes the lines as CSV')
        .option('--check', 'demande aussi à DHIS2 sa valeur actuelle / also ask DHIS2 for its current value', false)
        .option('--config <file>', 'configuration file')
        .addOption(lang)
        .action(async (o) => {
            const l = pickLang(o.lang)
            try {
                const lc = resolveLocalConfig(o.config)
                let report = explainFromState(lc, { dataElement: o.dataElement, period: o.period, facility: o.facility, channel: o.channel, service: o.service })
                if (o.check) report = await checkAgainstDhis2(resolveConfig(o.config), report)
                if (o.csv) fs.writeFileSync(o.csv, explainCsv(report, l), { mode: 0o600 })
                print(o.json, report, () => renderExplain(report, l, lc.defaultTimeZone))
            } catch (e) {
                handle(e, l, o.json)
            }
        })

    program
        .command('verify')
        .description('compare DHIS2 à ce que le pont a fait accepter ; --repair renvoie / compare DHIS2 with what the bridge had accepted; --repair sends again')
        .option('--repair', 'renvoie les totaux attendus / send the expected totals again', false)
        .option('--json', 'un document JSON / one JSON document', false)
        .option('--config <file>', 'configuration file')
        .addOption(new Option('--lang <lang>', 'langue / language').choices(['fr', 'en']))
        .action(async (o) => {
            const l = pickLang(o.lang)
            try {
                const rc = resolveConfig(o.config)
                const interactive = !o.json && process.stderr.isTTY
                const report = await runVerify(rc, { repair: o.repair, log: interactive ? (m) => process.stderr.write(`${m[l]}\n`) : undefined })
                print(o.json, report, () => renderVerify(report, l))
                process.exitCode = report.exitCode
            } catch (e) {
                handle(e, l, o.json)
            }
        })

    const runs = program
        .command('runs')
        .description('les exécutions : ce que chacune a lu et envoyé / the runs: what each read and sent')
        .option('--json', 'un document JSON / one JSON document', false)
        .option('--config <file>', 'configuration file')
        .addOption(new Option('--lang <lang>', 'langue / language').choices(['fr', 'en']))
        .action((o) => {
            const l = pickLang(o.lang)
            try {
                const db = openState(resolveLocalConfig(o.config).stateDir, { readonly: true })
                try {
                    const list = listRuns(db)
                    print(o.json, { runs: list }, () => renderRuns(list, l))
                } finally {
                    db.close()
                }
            } catch (e) {
                handle(e, l, o.json)
            }
        })
    // --json, --config and --lang are the parent's options (commander reads them anywhere on the line).
    runs.command('show <id>')
        .description("ce qu'une exécution a lu, recalculé et envoyé / what one run read, recomputed and sent")
        .action((id: string, _o, cmd: Command) => {
            const o = cmd.optsWithGlobals() as { json: boolean; config?: string; lang?: string }
            const l = pickLang(o.lang)
            try {
                const n = Number(id.replace(/^#/, ''))
                if (!Number.isInteger(n) || n < 1) throw new TraceArgumentError({ fr: `Numéro d'exécution invalide « ${id} »`, en: `Invalid run number "${id}"` })
                const db = openState(resolveLocalConfig(o.config).stateDir, { readonly: true })
                try {
                    const detail = showRun(db, n)
                    print(o.json, detail, () => renderRun(detail, l))
                } finally {
                    db.close()
                }
            } catch (e) {
                handle(e, l, o.json)
            }
        })
}

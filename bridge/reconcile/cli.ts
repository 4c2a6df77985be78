import { Option, type Command } from 'commander'
import { ConfigError } from '../config/load'
import type { Bilingual } from '../domain/line'
import { describe, exitCodeOf, isKnown } from '../errors'
import { pickLang, type Lang } from '../report/lang'
import { openState } from '../state/db'
import { acquireLock } from '../state/lock'
import { stockContext } from '../stock/cli'
import { writeReconDetail } from './export'
import { reconcileAsRun } from './recorded'
import { renderReconReport } from './render'
import { runReconcile } from './run'

/**
 * `revenue-bridge reconcile [--month YYYY-MM] [--facility CODE] [--json] [--out FILE.csv|.xlsx]
 * [--statements F…] [--cash-counts F…] [--dry-run]` (docs/reconciliation.md). Exit 0 when it
 * ran: discrepancies are content, not failures. DHIS2 is optional: without its settings the
 * report is made and the totals wait in the outbox.
 */
const collect = (value: string, previous: string[]) => [...previous, value]

/** Known failures (BridgeError) end with their exit code and bilingual reason; anything else is exit 1. */
function fail(e: unknown, lang: Lang, json: boolean): never {
    const code = exitCodeOf(e)
    const reason = isKnown(e) ? describe(e) : { fr: `Erreur inattendue : ${describe(e).fr}`, en: `Unexpected error: ${describe(e).en}` }
    if (json) process.stdout.write(JSON.stringify({ error: reason, exitCode: code }) + '\n')
    else process.stderr.write(`${reason[lang]}\n`)
    process.exit(code)
}

export function registerReconcileCommand(program: Command): void {
    program
        .command('reconcile')
        .description('ledger ↔ operator statements ↔ cash counts / rapprochement registre, relevés, caisse')
        .option('--config <file>', 'configuration file (JSON or YAML) / fichier de configuration')
        .addOption(new Option('--lang <lang>', 'report language').choices(['fr', 'en']))
        .option('--month <YYYY-MM>', 'the month to report (default: the latest the statements cover)')
        .option('--facility <code>', 'one facility only')
        .option('--statements <paths...>', 'canonical statement CSV/XLSX files or folders (repeatable)', collect, [])
        .option('--cash-counts <paths...>', 'canonical cash-count CSV/XLSX files or folders (repeatable)', collect, [])
        .option('--out <file>', 'item-level detail, .csv or .xlsx (phone numbers masked)')
        .option('--dry-run', 'report only: send nothing, record nothing', false)
        .option('--json', 'print exactly one JSON document', false)
        .action(async (o) => {
            const lang = pickLang(o.lang)
            try {
                if (o.month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(o.month)) {
                    throw new ConfigError({ fr: `--month invalide « ${o.month} » : attendu AAAA-MM`, en: `Invalid --month "${o.month}": expected YYYY-MM` })
                }
                const { rc, client } = stockContext(o.config)
                const release = acquireLock(rc.stateDir)
                const db = openState(rc.stateDir)
                try {
                    const input = { month: o.month, facility: o.facility ?? null, statements: o.statements, cashCounts: o.cashCounts, dryRun: o.dryRun }
                    const log = !o.json && process.stderr.isTTY ? (m: Bilingual) => void process.stderr.write(`${m[lang]}\n`) : undefined
                    // A dry run records nothing, not even a run; otherwise the reconciliation is a run and its sends are in the history.
                    const { result, sent } = o.dryRun
                        ? { result: await runReconcile(rc, db, input), sent: { valuesSent: 0, valuesWaiting: 0, conflicts: [], warnings: [], exitCode: 0 } }
                        : await reconcileAsRun(rc, db, client, input, { log })
                    const report = { ...result.report, ...sent, warnings: [...result.warnings, ...sent.warnings] }
                    let text = o.json ? JSON.stringify(report) : renderReconReport(report, lang)
                    if (o.out) {
                        const files = await writeReconDetail(o.out, report.items, report.cash, lang)
                        if (!o.json) text += `\n${lang === 'fr' ? 'Détail écrit dans' : 'Detail written to'} ${files.join(', ')}`
                    }
                    process.stdout.write(text + '\n')
                    process.exitCode = report.exitCode
                } finally {
                    db.close()
                    release()
                }
            } catch (e) {
                fail(e, lang, o.json)
            }
        })
}

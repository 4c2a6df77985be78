import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import readline from 'node:readline/promises'
import type { Command } from 'commander'
import { readConfigFile } from '../config/load'
import type { Lang } from '../report/lang'
import { pickLang } from '../report/lang'
import { csvLine } from '../report/csv'
import { openState } from '../state/db'
import { acquireLock } from '../state/lock'
import { dropOutboxEntry, listOutbox, listQuarantine, type QuarantinedRow } from '../state/operator'

const CANONICAL = ['transaction_id', 'line_no', 'occurred_at', 'updated_at', 'facility_code', 'channel', 'service', 'amount_xof', 'type', 'status', 'product_code', 'product_name', 'quantity', 'unit']

function stateDirOf(configFile: string | undefined): string {
    const { config } = readConfigFile(configFile)
    return path.resolve(process.env.BRIDGE_STATE_DIR?.trim() || config.stateDir || '.bridge-state')
}

/** Quarantined rows as a canonical ledger CSV (plus where each came from and why): edit, then re-ingest. */
export function quarantineCsv(rows: QuarantinedRow[]): string {
    const header = [...CANONICAL, 'source_file', 'source_line', 'source_column', 'reason_fr', 'reason_en']
    const seen = new Set<string>()
    const lines = [csvLine(header)]
    for (const r of rows) {
        const id = JSON.stringify(r.raw)
        if (seen.has(id) && Object.keys(r.raw).length) continue
        seen.add(id)
        lines.push(csvLine([...CANONICAL.map((c) => r.raw[c] ?? ''), r.file, r.line, r.column ?? '', r.reasonFr, r.reasonEn]))
    }
    return '\ufeff' + lines.join('\r\n') + '\r\n'
}

export function registerOperatorCommands(program: Command, runSyncCli: (args: { config?: string; ledger: string[]; json: boolean; lang?: string }) => Promise<void>): void {
    const outbox = program.command('outbox').description('values waiting for DHIS2 / valeurs en attente pour DHIS2')
    outbox
        .command('list', { isDefault: true })
        .option('--config <file>')
        .option('--json', 'one JSON document', false)
        .option('--lang <lang>')
        .action((o) => {
            const lang = pickLang(o.lang)
            const db = openState(stateDirOf(o.config), { readonly: true })
            const entries = listOutbox(db)
            db.close()
            if (o.json) return void process.stdout.write(JSON.stringify({ outbox: entries }) + '\n')
            process.stdout.write(`${lang === 'fr' ? 'Valeurs en attente' : 'Values waiting'}: ${entries.length}\n`)
            for (const e of entries) {
                process.stdout.write(`  ${e.key} = ${e.desired} (DHIS2: ${e.accepted ?? '—'})${e.lastErrorCode ? ` — ${e.lastErrorCode} ${e.lastErrorMessage}` : ''}\n`)
            }
        })
    outbox
        .command('retry')
        .description('send what waits now / envoyer maintenant')
        .option('--config <file>')
        .option('--json', 'one JSON document', false)
        .option('--lang <lang>')
        .action((o) => runSyncCli({ config: o.config, ledger: [], json: o.json, lang: o.lang }))
    outbox
        .command('drop <key>')
        .description('stop sending one value (asks for confirmation) / ne plus envoyer une valeur')
        .option('--config <file>')
        .option('--yes', 'do not ask', false)
        .option('--lang <lang>')
        .action(async (key: string, o) => {
            const lang: Lang = pickLang(o.lang)
            if (!o.yes) {
                if (!process.stdin.isTTY) {
                    process.stderr.write(lang === 'fr' ? 'Confirmation requise : ajoutez --yes\n' : 'Confirmation needed: add --yes\n')
                    process.exit(2)
                }
                const rl = readline.createInterface({ input: process.stdin, output: process.stderr })
                const answer = await rl.question(lang === 'fr' ? `Ne plus envoyer ${key} ? (oui/non) ` : `Stop sending ${key}? (yes/no) `)
                rl.close()
                if (!/^(o|oui|y|yes)$/i.test(answer.trim())) process.exit(0)
            }
            const dir = stateDirOf(o.config)
            const release = acquireLock(dir)
            const db = openState(dir)
            const done = dropOutboxEntry(db, key)
            db.close()
            release()
            process.stdout.write(done ? (lang === 'fr' ? `${key} retiré de la file\n` : `${key} dropped from the outbox\n`) : lang === 'fr' ? `${key} n'est pas en attente\n` : `${key} is not waiting\n`)
            process.exitCode = done ? 0 : 2
        })

    const quarantine = program.command('quarantine').description('rows that failed validation / lignes en quarantaine')
    quarantine
        .command('list', { isDefault: true })
        .option('--config <file>')
        .option('--all', 'every run, not only the latest', false)
        .option('--json', 'one JSON document', false)
        .option('--lang <lang>')
        .action((o) => {
            const lang = pickLang(o.lang)
            const db = openState(stateDirOf(o.config), { readonly: true })
            const rows = listQuarantine(db, { all: o.all })
            db.close()
            if (o.json) return void process.stdout.write(JSON.stringify({ quarantine: rows.map(({ raw: _raw, ...r }) => r) }) + '\n')
            process.stdout.write(`${lang === 'fr' ? 'Lignes en quarantaine' : 'Quarantined rows'}: ${rows.length}\n`)
            for (const r of rows) process.stdout.write(`  ${r.file}:${r.line}${r.column ? ` [${r.column}]` : ''} — ${lang === 'fr' ? r.reasonFr : r.reasonEn}\n`)
        })
    quarantine
        .command('export')
        .requiredOption('--out <file>', 'CSV file to write')
        .option('--config <file>')
        .option('--all', 'every run, not only the latest', false)
        .action((o) => {
            const db = openState(stateDirOf(o.config), { readonly: true })
            const rows = listQuarantine(db, { all: o.all })
            db.close()
            fs.writeFileSync(o.out, quarantineCsv(rows))
            process.stdout.write(`${rows.length} → ${o.out}\n`)
        })
    quarantine
        .command('reingest')
        .description('read quarantined rows again (corrected file, or as stored) / réintégrer')
        .option('--file <file>', 'the corrected export')
        .option('--config <file>')
        .option('--json', 'one JSON document', false)
        .option('--lang <lang>')
        .action(async (o) => {
            let file = o.file as string | undefined
            if (!file) {
                const db = openState(stateDirOf(o.config), { readonly: true })
                const rows = listQuarantine(db).filter((r) => Object.keys(r.raw).length)
                db.close()
                file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'quarantine-')), 'quarantine-reingest.csv')
                fs.writeFileSync(file, quarantineCsv(rows))
            }
            await runSyncCli({ config: o.config, ledger: [file], json: o.json, lang: o.lang })
        })
}

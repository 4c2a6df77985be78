import fs from 'node:fs'
import { Option, type Command } from 'commander'
import { DateTime } from 'luxon'
import { ConfigError, readConfigFile, resolveConfig, type ResolvedConfig } from '../config/load'
import type { Bilingual, LedgerLine } from '../domain/line'
import { Dhis2AuthError, Dhis2Client, Dhis2ResponseError, Dhis2UnreachableError } from '../dhis2/client'
import { pickLang, type Lang } from '../report/lang'
import { openState, type StateDb } from '../state/db'
import { LineStore } from '../state/lines'
import { LockBusyError, acquireLock } from '../state/lock'
import { recordsCsv } from './export'
import { type StockLegReport } from './leg'
import { MedexisConfigError } from './medexis'
import { publishReconciliation } from './publish'
import { stockPushAsRun } from './push-run'
import { previousMonth, renderReconcile, runReconcile, type ReconcileReport } from './reconcile'
import { StockStore, stockTablesExist } from './store'
import { clientFromConfig } from '../dhis2/client-factory'

/** Typed failures → docs/contract.md §5 exit codes, message in the chosen language (both in --json). */
function fail(e: unknown, lang: Lang, json: boolean): never {
    let code = 1
    let reason: Bilingual
    if (e instanceof ConfigError || e instanceof MedexisConfigError || e instanceof Dhis2AuthError) (code = 2), (reason = e.reason)
    else if (e instanceof Dhis2UnreachableError) (code = 4), (reason = e.reason)
    else if (e instanceof Dhis2ResponseError || e instanceof LockBusyError) reason = e.reason
    else {
        const m = e instanceof Error ? e.message : String(e)
        reason = { fr: `Erreur inattendue : ${m}`, en: `Unexpected error: ${m}` }
    }
    if (json) process.stdout.write(JSON.stringify({ error: reason, exitCode: code }) + '\n')
    else process.stderr.write(`${reason[lang]}\n`)
    process.exit(code)
}

function usage(reason: Bilingual): never {
    throw new ConfigError(reason)
}

/**
 * The configuration for stock commands. DHIS2 is optional here (export and a sales-only
 * reconciliation work without it): when its address or credentials are missing, the zone and
 * facility settings are still resolved and `client` is null.
 */
export function stockContext(configFile: string | undefined, env: NodeJS.ProcessEnv = process.env): { rc: ResolvedConfig; client: Dhis2Client | null } {
    const { config } = readConfigFile(configFile)
    const hasDhis2 = !!(env.DHIS2_BASE_URL?.trim() || config.dhis2.baseUrl) && !!(env.DHIS2_TOKEN?.trim() || (env.DHIS2_USERNAME?.trim() && env.DHIS2_PASSWORD) || config.dhis2.tokenFile || config.dhis2.passwordFile)
    // Without DHIS2 settings, stand-ins that are never used let resolveConfig check everything else.
    const rc = resolveConfig(configFile, hasDhis2 ? env : { ...env, DHIS2_BASE_URL: 'http://dhis2.invalid', DHIS2_TOKEN: 'unused' })
    const client = hasDhis2
? clientFromConfig(rc) : null
    return { rc, client }
}

function validDate(s: string | undefined, flag: string): string | undefined {
    if (s === undefined) return undefined
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || !DateTime.fromISO(s).isValid) {
        usage({ fr: `${flag} invalide « ${s} » : attendu AAAA-MM-JJ`, en: `Invalid ${flag} "${s}": expected YYYY-MM-DD` })
    }
    return s
}

/** Every scope of the state with its own pharmacy lines (for `stock push`). */
function allScopes(db: StateDb): { scopes: string[]; pharmacyLines(scope: string): LedgerLine[] } {
    const scopes = (db.prepare('SELECT DISTINCT scope FROM lines ORDER BY scope').all() as Array<{ scope: string }>).map((r) => r.scope)
    const store = new LineStore(db)
    return { scopes, pharmacyLines: (scope) => store.pharmacyLines(scope) }
}

export function renderStockLegReport(r: StockLegReport, lang: Lang): string {
    const fr = lang === 'fr'
    const out: string[] = []
    out.push(
        fr
            ? `Stock : ${r.records} enregistrement(s) recalculé(s), ${r.changed} modifié(s)`
            : `Stock: ${r.records} record(s) recomputed, ${r.changed} changed`
    )
    if (!r.medexisEnabled) out.push(fr ? '  MEDEXIS : non configuré (MEDEXIS_BASE_URL)' : '  MEDEXIS: not configured (MEDEXIS_BASE_URL)')
    else if (r.wouldSend) out.push(fr ? `  MEDEXIS : ${r.wouldSend.length} enregistrement(s) seraient envoyés` : `  MEDEXIS: ${r.wouldSend.length} record(s) would be sent`)
    else
        out.push(
            fr
                ? `  MEDEXIS : ${r.sent} envoyé(s), ${r.rejected.length} refusé(s), ${r.waiting} en attente${r.medexisUnreachable ? ' (injoignable)' : ''}`
                : `  MEDEXIS: ${r.sent} sent, ${r.rejected.length} rejected, ${r.waiting} waiting${r.medexisUnreachable ? ' (unreachable)' : ''}`
        )
    for (const x of r.rejected) out.push(`    ✗ ${x.id} rev ${x.revision}: ${x.reason[lang]}`)
    if (r.lmis) {
        out.push(
            fr
                ? `  LMIS DHIS2 : ${r.lmis.valuesSent} valeur(s) envoyée(s), ${r.lmis.conflicts.length} conflit(s), ${r.lmis.waiting} en attente`
                : `  DHIS2 LMIS: ${r.lmis.valuesSent} value(s) sent, ${r.lmis.conflicts.length} conflict(s), ${r.lmis.waiting} waiting`
        )
        for (const p of r.lmis.preview ?? []) out.push(`    ${p.orgUnit} ${p.period} ${p.dataElement}/${p.categoryOptionCombo}: ${p.current ?? '—'} → ${p.next}`)
        for (const c of r.lmis.conflicts) out.push(`    ✗ ${[c.orgUnit, c.period, c.dataElement, c.categoryOptionCombo].filter(Boolean).join(' ')}: ${c.errorCode ?? ''} ${c.message}`)
    }
    if (r.reconciliationPublished?.entries) {
        out.push(
            fr
                ? `  Rapprochement publié pour les tableaux de bord : ${r.reconciliationPublished.entries} établissement(s), ${r.reconciliationPublished.months} mois`
                : `  Reconciliation published for the dashboards: ${r.reconciliationPublished.entries} facility(ies), ${r.reconciliationPublished.months} month(s)`
        )
    }
    if (r.unmappedProducts.length) out.push(fr ? `  Produits sans correspondance LMIS : ${r.unmappedProducts.join(', ')}` : `  Products without LMIS mapping: ${r.unmappedProducts.join(', ')}`)
    for (const w of r.warnings) out.push(`  ! ${w[lang]}`)
    return out.join('\n')
}

const common = (cmd: Command) =>
    cmd.option('--config <file>', 'configuration file (JSON or YAML) / fichier de configuration').addOption(new Option('--lang <lang>', 'report language').choices(['fr', 'en']))

export function registerStockCommands(program: Command): void {
    const stock = program.command('stock').description('pharmacy sales → stock outflows (MEDEXIS, DHIS2 LMIS) / ventes de pharmacie → sorties de stock')

    common(stock.command('export'))
        .description('stock-outflow records as CSV / enregistrements de sortie de stock en CSV')
        .option('--out <file>', 'write to this file instead of stdout')
        .option('--from <date>', 'first day, YYYY-MM-DD')
        .option('--to <date>', 'last day, YYYY-MM-DD')
        .option('--facility <code>', 'one facility only')
        .addOption(new Option('--delimiter <char>', 'cell separator').choices([',', ';']).default(','))
        .action((o) => {
            const lang = pickLang(o.lang)
            try {
                const from = validDate(o.from, '--from')
                const to = validDate(o.to, '--to')
                if (from && to && from > to) usage({ fr: '--from est après --to', en: '--from is after --to' })
                const { rc } = stockContext(o.config)
                const db = openState(rc.stateDir, { readonly: true })
                const records = stockTablesExist(db) ? new StockStore(db).list({ from, to, facility: o.facility }) : []
                db.close()
                const csv = recordsCsv(records, o.delimiter)
                if (o.out) {
                    fs.writeFileSync(o.out, csv)
                    process.stderr.write(lang === 'fr' ? `${records.length} enregistrement(s) écrits dans ${o.out}\n` : `${records.length} record(s) written to ${o.out}\n`)
                } else process.stdout.write(csv)
            } catch (e) {
                fail(e, lang, false)
            }
        })

    common(stock.command('reconcile'))
        .description('sales vs LMIS stock per facility × product × month / rapprochement ventes et stock LMIS')
        .option('--month <month>', 'YYYY-MM (default: the previous month)')
        .option('--json', 'print one JSON document', false)
        .option('--no-publish', 'do not write the result to the DHIS2 data store for the dashboards')
        .action(async (o) => {
            const lang = pickLang(o.lang)
            try {
                if (o.month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(o.month)) usage({ fr: `--month invalide « ${o.month} » : attendu AAAA-MM`, en: `Invalid --month "${o.month}": expected YYYY-MM` })
                const { rc, client } = stockContext(o.config)
                const db = openState(rc.stateDir)
                try {
                    const report: ReconcileReport & { published?: { entries: number } } = await runReconcile({
                        db,
                        rc,
                        client,
                        month: o.month ?? previousMonth(new Date(), rc.defaultTimeZone),
                        now: () => new Date(),
                    })
                    // The dashboards read the latest reconciliation from the data store (view "Pharmacie et stock").
                    if (o.publish && client && report.exitCode !== 4) {
                        const outcome = await publishReconciliation(client, [report], () => new Date())
                        report.published = { entries: outcome.entries }
                        if (outcome.warning) report.warnings.push(outcome.warning)
                    }
                    let text = o.json ? JSON.stringify(report) : renderReconcile(report, lang)
                    if (!o.json && report.published?.entries) {
                        text += `\n${lang === 'fr' ? `Publié pour les tableaux de bord : ${report.published.entries} établissement(s)` : `Published for the dashboards: ${report.published.entries} facility(ies)`}`
                    }
                    process.stdout.write(text + '\n')
                    process.exitCode = report.exitCode
                } finally {
                    db.close()
                }
            } catch (e) {
                fail(e, lang, o.json)
            }
        })

    common(stock.command('push'))
        .description('recompute every record from the stored ledger and send what waits / recalcule tout et envoie ce qui attend')
        .option('--dry-run', 'show what would be sent, change nothing', false)
        .option('--json', 'print one JSON document', false)
        .action(async (o) => {
            const lang = pickLang(o.lang)
            try {
                const { rc, client } = stockContext(o.config)
                const release = acquireLock(rc.stateDir)
                const db = openState(rc.stateDir)
                try {
                    const { scopes, pharmacyLines } = allScopes(db)
                    const interactive = !o.json && process.stderr.isTTY
                    const report = await stockPushAsRun({
                        db,
                        rc,
                        client,
                        scopes,
                        pharmacyLines,
                        dryRun: o.dryRun,
                        now: () => new Date(),
                        log: interactive ? (m) => process.stderr.write(`${m[lang]}\n`) : undefined,
                    })
                    process.stdout.write((o.json ? JSON.stringify({ command: 'stock push', dryRun: o.dryRun, ...report }) : renderStockLegReport(report, lang)) + '\n')
                    process.exitCode = report.exitCode
                } finally {
                    db.close()
                    release()
                }
            } catch (e) {
                fail(e, lang, o.json)
            }
        })

    common(stock.command('status'))
        .description('records, MEDEXIS outbox and refusals / enregistrements, file d’attente et refus MEDEXIS')
        .option('--json', 'print one JSON document', false)
        .action((o) => {
            const lang = pickLang(o.lang)
            try {
                const { rc } = stockContext(o.config)
                const db = openState(rc.stateDir, { readonly: true })
                const store = stockTablesExist(db) ? new StockStore(db) : null
                const counts = store?.counts() ?? { records: 0, waiting: 0, rejected: 0, pending: 0 }
                const all = store?.list() ?? []
                db.close()
                const rejected = all.filter((r) => r.rejectedRevision === r.revision).map((r) => ({ id: r.id, revision: r.revision, status: r.rejectStatus, reason: r.rejectReason }))
                const waiting = all.filter((r) => r.inOutbox).map((r) => ({ id: r.id, revision: r.revision, quantity: r.quantity }))
                if (o.json) return void process.stdout.write(JSON.stringify({ command: 'stock status', ...counts, outbox: waiting, rejectedRecords: rejected }) + '\n')
                const fr = lang === 'fr'
                const out = [
                    fr
                        ? `Enregistrements : ${counts.records} ; à envoyer : ${counts.pending} ; en file d'attente : ${counts.waiting} ; refusés : ${counts.rejected}`
                        : `Records: ${counts.records}; to send: ${counts.pending}; in the outbox: ${counts.waiting}; rejected: ${counts.rejected}`,
                    ...waiting.map((w) => `  … ${w.id} rev ${w.revision} (${w.quantity})`),
                    ...rejected.map((r) => `  ✗ ${r.id} rev ${r.revision} HTTP ${r.status ?? '—'}: ${r.reason?.[lang] ?? ''}`),
                ]
                process.stdout.write(out.join('\n') + '\n')
            } catch (e) {
                fail(e, lang, o.json)
            }
        })
}

import fs from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import type * as Yaml from 'yaml'
import { ConfigError, resolveDhis2, resolveLocalConfig, type LocalConfig } from '../config/load'
import { PRESET_NAMES, type PresetName } from '../config/sources'
import { starterConfig } from '../config/starter'
import type { Bilingual } from '../domain/line'
import { Dhis2AuthError, Dhis2Client, Dhis2ResponseError, Dhis2UnreachableError } from '../dhis2/client'
import { findOrgUnits, loadLiveMetadata, targetCodes } from '../dhis2/metadata'
import { LedgerPathError } from '../ledger/paths'
import { openLedgerSources, PRESETS, type LedgerSource } from '../ledger/sources'
import { inspectSource, type SourceReport } from '../ledger/sources/inspect'
import { formatNumber, pickLang, type Lang } from '../report/lang'
import { openState } from '../state/db'
import { clientFromConfig } from '../dhis2/client-factory'
import { describe, isKnown } from '../errors'

/**
 * `revenue-bridge config check`: validates the file, reads each source as the next sync would
 * (from the stored cursors, new files only; nothing is written) and asks DHIS2 — with GET
 * requests only — which organisation unit each facility maps to.
 * `revenue-bridge config presets [NAME]`: a shipped mapping as YAML, to copy and adjust.
 * `revenue-bridge init`: writes a commented starter configuration.
 */

export interface CheckReport {
    command: 'config check'
    configFile: string | null
    valid: boolean
    dhis2: { baseUrl: string | null; reachable: boolean; version: string | null; dataSet: string | null; missing: string[]; error: Bilingual | null }
    sources: SourceReport[]
    facilities: Array<{ code: string; ref: string; rows: number; orgUnit: { id: string; code: string | null; name: string | null } | null }>
    notes: Bilingual[]
    errors: Bilingual[]
    exitCode: number
}

export interface CheckOptions {
    config?: string
    env?: NodeJS.ProcessEnv
    limit?: number
    progress?: boolean
    lang?: Lang
}

export async function runConfigCheck(o: CheckOptions): Promise<CheckReport> {
    const env = o.env ?? process.env
    const report: CheckReport = {
        command: 'config check',
        configFile: o.config ? path.resolve(o.config) : null,
        valid: false,
        dhis2: { baseUrl: null, reachable: false, version: null, dataSet: null, missing: [], error: null },
        sources: [],
        facilities: [],
        notes: [],
        errors: [],
        exitCode: 0,
    }
    let local: LocalConfig
    try {
        local = resolveLocalConfig(o.config, env)
    } catch (e) {
        if (!(e instanceof ConfigError)) throw e
        report.errors.push(e.reason)
        report.exitCode = 2
        return report
    }
    report.valid = true

    // DHIS2, read-only.
    let client: Dhis2Client | null = null
    let unreachable = false
    try {
        const { baseUrl, credentials, ca, warnings } = resolveDhis2(local.config, env, local.configFile)
        report.dhis2.baseUrl = baseUrl
        report.notes.push(...warnings)
        client = clientFromConfig({ baseUrl, credentials, dhis2Ca: ca, config: local.config }, { timeoutMs: Math.min(local.config.dhis2.timeoutMs, 30_000), retries: 1, retryBaseDelayMs: 500 })
        const info = await client.get<{ version?: string }>('system/info', { fields: 'version' })
        report.dhis2.version = info.data?.version ?? null
        report.dhis2.reachable = true
        const codes = targetCodes(local.config)
        const live = await loadLiveMetadata(client, codes)
        report.dhis2.dataSet = live.dataSet ? codes.dataSet : null
        report.dhis2.missing = live.missing
        if (live.missing.length) {
            report.notes.push({
                fr: `Métadonnées absentes de DHIS2 : ${live.missing.join(', ')} — lancez « revenue-bridge setup » (ou corrigez « metadata »)`,
                en: `Metadata missing from DHIS2: ${live.missing.join(', ')} — run "revenue-bridge setup" (or fix "metadata")`,
            })
        }
    } catch (e) {
        if (!isKnown(e)) throw e
        report.dhis2.error = describe(e)
        if (e instanceof Dhis2UnreachableError) unreachable = true
        else if (!(e instanceof ConfigError || e instanceof Dhis2AuthError || e instanceof Dhis2ResponseError)) throw e
        if (report.dhis2.reachable === false) client = null
        if (!(e instanceof Dhis2UnreachableError)) report.errors.push(describe(e))
    }

    // Sources, as the next sync would read them; the state is opened read-only.
    const db = openState(local.stateDir, { readonly: true })
    try {
        const ctx = { zoneFor: local.zoneFor, channelAliases: local.config.aliases.channel, serviceAliases: local.config.aliases.service }
        let sources: LedgerSource[]
        try {
            sources = await openLedgerSources(local, [], db, { env, progress: o.progress, lang: o.lang, log: (m) => report.notes.push(m) })
        } catch (e) {
            if (!(e instanceof LedgerPathError)) throw e
            report.errors.push(e.reason)
            sources = []
        }
        if (!sources.length && !report.errors.length) {
            report.notes.push({
                fr: 'Aucune source à lire (ledger.paths et ledger.sources vides, ou dossiers sans nouveau fichier) : la synchronisation lira --ledger',
                en: 'No source to read (ledger.paths and ledger.sources empty, or folders without new files): sync will read --ledger',
            })
        }
        for (const s of sources) {
            const r = await inspectSource(s, ctx, o.limit ?? Infinity)
            report.sources.push(r)
            if (r.error) report.errors.push(r.error)
        }
    } finally {
        db.close()
    }

    // Facilities → organisation units.
    const rows = new Map<string, number>()
    for (const f of local.config.facilities) rows.set(f.code, 0)
    for (const s of report.sources) for (const [code, n] of Object.entries(s.facilities)) rows.set(code, (rows.get(code) ?? 0) + n)
    const codes = [...rows.keys()].sort()
    let found = new Map<string, { id: string; code?: string | null; name?: string | null }>()
    if (client && report.dhis2.reachable && codes.length) {
        try {
            found = await findOrgUnits(client, codes.map(local.orgUnitRefFor))
        } catch (e) {
            if (!isKnown(e)) throw e
            report.errors.push(describe(e))
        }
    }
    report.facilities = codes.map((code) => {
        const ref = local.orgUnitRefFor(code)
        const ou = found.get(ref)
        return { code, ref, rows: rows.get(code) ?? 0, orgUnit: ou ? { id: ou.id, code: ou.code ?? null, name: ou.name ?? null } : null }
    })

    const unmatched = report.dhis2.reachable && report.facilities.some((f) => !f.orgUnit)
    const rowsBad = report.sources.some((s) => s.quarantined > 0)
    report.exitCode = report.errors.length ? 2 : unreachable ? 4 : unmatched || rowsBad ? 3 : 0
    return report
}

// Rendering ----------------------------------------------------------------------------------

function listCounts(m: Record<string, number>, lang: Lang): string {
    return Object.entries(m)
        .sort((a, b) => b[1] - a[1])
        .map(([k, n]) => (lang === 'fr' ? `« ${k} » (${formatNumber(n, lang)})` : `"${k}" (${formatNumber(n, lang)})`))
        .join(', ')
}

export function renderCheck(r: CheckReport, lang: Lang): string {
    const fr = lang === 'fr'
    const n = (x: number) => formatNumber(x, lang)
    const out: string[] = []
    const file = r.configFile ?? (fr ? '(aucun fichier : environnement seul)' : '(no file: environment only)')
    if (!r.valid) {
        out.push(...r.errors.map((e) => e[lang]))
        out.push(fr ? `Code de sortie ${r.exitCode}` : `Exit code ${r.exitCode}`)
        return out.join('\n')
    }
    out.push(fr ? `Configuration ${file} : valide` : `Configuration ${file}: valid`)
    const d = r.dhis2
    if (d.reachable) {
        out.push(
            fr
                ? `DHIS2 ${d.baseUrl} : version ${d.version ?? '?'}, jeu de données ${d.dataSet ?? 'absent'}`
                : `DHIS2 ${d.baseUrl}: version ${d.version ?? '?'}, data set ${d.dataSet ?? 'missing'}`
        )
    } else out.push(`DHIS2 ${d.baseUrl ?? ''} : ${d.error?.[lang] ?? '?'}`.replace(/ : /, fr ? ' : ' : ': '))
    out.push(fr ? 'Sources :' : 'Sources:')
    if (!r.sources.length) out.push(fr ? '  (aucune)' : '  (none)')
    for (const s of r.sources) {
        const kind = s.kind ? ` (${s.kind})` : ''
        if (s.error) {
            out.push(`  ✗ ${s.name}${kind} : ${s.error[lang]}`.replace(' : ', fr ? ' : ' : ': '))
            continue
        }
        const more = s.truncated ? (fr ? ' (lecture arrêtée à la limite)' : ' (read stopped at the limit)') : ''
        out.push(
            fr
                ? `  ${s.quarantined ? '!' : '✓'} ${s.name}${kind} : ${n(s.rows)} ligne(s) lue(s), ${n(s.lines)} valide(s), ${n(s.quarantined)} en quarantaine${s.excluded ? `, ${n(s.excluded)} écartée(s) (mapping.exclude)` : ''}${more}`
                : `  ${s.quarantined ? '!' : '✓'} ${s.name}${kind}: ${n(s.rows)} row(s) read, ${n(s.lines)} valid, ${n(s.quarantined)} quarantined${s.excluded ? `, ${n(s.excluded)} left out (mapping.exclude)` : ''}${more}`
        )
        if (s.position !== null && s.position !== undefined) out.push(`      ${fr ? 'reprise après' : 'resumes after'} ${JSON.stringify(s.position)}`)
        if (Object.keys(s.unmappedChannels).length) out.push(`      ${fr ? 'moyens de paiement non reconnus (aliases.channel ou mapping.values.channel)' : 'unknown payment channels (aliases.channel or mapping.values.channel)'}${fr ? ' :' : ':'} ${listCounts(s.unmappedChannels, lang)}`)
        if (Object.keys(s.unmappedServices).length) out.push(`      ${fr ? 'services non reconnus (aliases.service ou mapping.values.service)' : 'unknown services (aliases.service or mapping.values.service)'}${fr ? ' :' : ':'} ${listCounts(s.unmappedServices, lang)}`)
        for (const p of s.problems) out.push(`      ${n(p.count)} × ${p.reason[lang]}`)
    }
    if (r.facilities.length) {
        out.push(fr ? 'Établissements → unités d’organisation DHIS2 :' : 'Facilities → DHIS2 organisation units:')
        for (const f of r.facilities) {
            const via = f.ref !== f.code ? ` (${fr ? 'via' : 'as'} ${f.ref})` : ''
            const target = f.orgUnit
                ? `${f.orgUnit.name ?? ''} [${f.orgUnit.id}]`
                : r.dhis2.reachable
                  ? fr
                      ? 'INTROUVABLE dans DHIS2 — ajoutez-le à « facilities » avec son orgUnit, ou créez l’unité'
                      : 'NOT FOUND in DHIS2 — add it under "facilities" with its orgUnit, or create the unit'
                  : fr
                    ? '(DHIS2 non consulté)'
                    : '(DHIS2 not asked)'
            out.push(`  ${f.code}${via} — ${n(f.rows)} ${fr ? 'ligne(s)' : 'row(s)'} → ${target}`)
        }
    }
    for (const note of r.notes) out.push(`${fr ? 'Note' : 'Note'} : ${note[lang]}`.replace(' : ', fr ? ' : ' : ': '))
    for (const e of r.errors) if (!r.sources.some((s) => s.error === e)) out.push(`${fr ? 'Erreur' : 'Error'} : ${e[lang]}`.replace(' : ', fr ? ' : ' : ': '))
    const verdict: Record<number, Bilingual> = {
        0: { fr: 'tout est prêt', en: 'everything is ready' },
        2: { fr: 'à corriger avant de synchroniser', en: 'to fix before syncing' },
        3: { fr: 'des lignes ou des établissements seraient mis en quarantaine', en: 'rows or facilities would be quarantined' },
        4: { fr: 'DHIS2 injoignable', en: 'DHIS2 unreachable' },
    }
    out.push(fr ? `Résultat : ${verdict[r.exitCode]?.fr ?? ''} (code ${r.exitCode})` : `Result: ${verdict[r.exitCode]?.en ?? ''} (code ${r.exitCode})`)
    return out.join('\n')
}

/** A preset as YAML, with the key it goes under. */
export function presetYaml(name: PresetName): string {
    // Loaded here only (see config/load.ts).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('yaml') as typeof Yaml).stringify({ preset: name, mapping: PRESETS[name] })
}

export function registerConfigCommands(program: Command): void {
    const config = program.command('config').description('check the configuration and the sources / vérifie la configuration et les sources')
    config
        .command('check')
        .description('validate, read each source, ask DHIS2 (read-only) / valide, lit chaque source, interroge DHIS2 (lecture seule)')
        .option('--config <file>', 'configuration file (YAML or JSON)')
        .option('--json', 'print one JSON document', false)
        .option('--limit <rows>', 'read at most this many rows per source', (v) => Number(v))
        .option('--lang <lang>', 'fr or en')
        .action(async (o) => {
            const lang = pickLang(o.lang)
            try {
                const report = await runConfigCheck({ config: o.config, limit: o.limit, lang, progress: !o.json && !!process.stderr.isTTY })
                process.stdout.write((o.json ? JSON.stringify(report) : renderCheck(report, lang)) + '\n')
                process.exitCode = report.exitCode
            } catch (e) {
                const message = e instanceof Error ? e.message : String(e)
                const reason = { fr: `Erreur inattendue : ${message}`, en: `Unexpected error: ${message}` }
                if (o.json) process.stdout.write(JSON.stringify({ error: reason, exitCode: 1 }) + '\n')
                else process.stderr.write(`${reason[lang]}\n`)
                process.exitCode = 1
            }
        })
    config
        .command('presets [name]')
        .description('print a shipped mapping as YAML / affiche un mapping fourni en YAML')
        .option('--lang <lang>', 'fr or en')
        .action((name: string | undefined, o) => {
            const lang = pickLang(o.lang)
            if (!name) {
                process.stdout.write(PRESET_NAMES.join('\n') + '\n')
                return
            }
            if (!(PRESET_NAMES as readonly string[]).includes(name)) {
                process.stderr.write(
                    (lang === 'fr' ? `Préréglage inconnu « ${name} » : ${PRESET_NAMES.join(', ')}` : `Unknown preset "${name}": ${PRESET_NAMES.join(', ')}`) + '\n'
                )
                process.exitCode = 2
                return
            }
            process.stdout.write(presetYaml(name as PresetName))
        })
    program
        .command('init')
        .description('write a commented starter configuration (YAML) / écrit une configuration de départ commentée')
        .option('--out <file>', 'where to write it', 'revenue-bridge.yaml')
        .option('--force', 'overwrite an existing file', false)
        .option('--lang <lang>', 'fr or en')
        .action((o) => {
            const lang = pickLang(o.lang)
            const out = path.resolve(o.out)
            if (fs.existsSync(out) && !o.force) {
                process.stderr.write(
                    (lang === 'fr' ? `« ${o.out} » existe déjà : choisissez un autre --out, ou --force pour l’écraser` : `"${o.out}" already exists: choose another --out, or --force to overwrite it`) + '\n'
                )
                process.exitCode = 2
                return
            }
            fs.mkdirSync(path.dirname(out), { recursive: true })
            fs.writeFileSync(out, starterConfig(), { encoding: 'utf8', mode: 0o600 })
            process.stdout.write(
                (lang === 'fr'
                    ? `Configuration de départ écrite dans ${o.out}. Ensuite : revenue-bridge config check --config ${o.out}`
                    : `Starter configuration written to ${o.out}. Next: revenue-bridge config check --config ${o.out}`) + '\n'
            )
        })
}

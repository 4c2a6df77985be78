import type { SyncReport } from './schema'
import { formatNumber, type Lang } from './lang'
import { renderStockLegReport } from '../stock/cli'

const T = {
    fr: {
        title: 'Rapport de synchronisation',
        dry: '(exécution à blanc : rien n’a été envoyé ni enregistré)',
        server: 'Serveur DHIS2',
        unreachable: 'injoignable',
        files: 'Sources lues (fichiers, bases, API)',
        lines: 'Lignes lues',
        detail: (r: SyncReport) => `nouvelles ${r.linesNew}, modifiées ${r.linesChanged}, inchangées ${r.linesUnchanged}, anciennes versions ignorées ${r.linesStale}`,
        quarantined: 'Lignes en quarantaine',
        periods: 'Périodes recalculées',
        sent: 'Valeurs envoyées',
        accepted: 'acceptées',
        rejected: 'refusées',
        waiting: 'Valeurs en attente d’envoi',
        counts: 'DHIS2 : importées {i}, mises à jour {u}, ignorées {g}, supprimées {d}',
        requests: 'Requêtes HTTP',
        conflicts: 'Valeurs refusées',
        warnings: 'Avertissements',
        errors: 'Erreurs',
        quarantine: 'Quarantaine',
        diff: 'Différences avec DHIS2',
        now: 'actuel',
        next: 'nouveau',
        none: 'vide',
        more: (n: number) => `… et ${n} de plus (voir --json)`,
        exit: 'Code de sortie',
        duration: 'Durée',
    },
    en: {
        title: 'Sync report',
        dry: '(dry run: nothing was sent or recorded)',
        server: 'DHIS2 server',
        unreachable: 'unreachable',
        files: 'Sources read (files, databases, APIs)',
        lines: 'Lines read',
        detail: (r: SyncReport) => `new ${r.linesNew}, changed ${r.linesChanged}, unchanged ${r.linesUnchanged}, older versions ignored ${r.linesStale}`,
        quarantined: 'Rows quarantined',
        periods: 'Periods recomputed',
        sent: 'Values sent',
        accepted: 'accepted',
        rejected: 'rejected',
        waiting: 'Values waiting to be sent',
        counts: 'DHIS2: imported {i}, updated {u}, ignored {g}, deleted {d}',
        requests: 'HTTP requests',
        conflicts: 'Rejected values',
        warnings: 'Warnings',
        errors: 'Errors',
        quarantine: 'Quarantine',
        diff: 'Differences with DHIS2',
        now: 'now',
        next: 'new',
        none: 'empty',
        more: (n: number) => `… and ${n} more (see --json)`,
        exit: 'Exit code',
        duration: 'Duration',
    },
}

const LIST_LIMIT = 50

/** The report for people: short, in the operator's language, every problem with its reason. */
export function renderSyncReport(r: SyncReport, lang: Lang): string {
    const t = T[lang]
    const n = (x: number) => formatNumber(x, lang)
    const out: string[] = []
    out.push(`${t.title} — ${r.startedAt}${r.dryRun ? ` ${t.dry}` : ''}`)
    out.push(`${t.server}: ${r.dhis2.baseUrl}${r.dhis2.version ? ` (${r.dhis2.version})` : ''}${r.dhis2.reachable ? '' : ` — ${t.unreachable}`}`)
    out.push(`${t.files}: ${r.files.length}`)
    out.push(`${t.lines}: ${n(r.linesRead)} (${t.detail(r)})`)
    out.push(`${t.quarantined}: ${n(r.quarantined)}${r.quarantined ? ` (${lang === 'fr' ? `nouvelles ${n(r.quarantinedNew)}, toujours en quarantaine ${n(r.quarantined - r.quarantinedNew)}` : `new ${n(r.quarantinedNew)}, still quarantined ${n(r.quarantined - r.quarantinedNew)}`})` : ''}`)
    out.push(`${t.periods}: ${n(r.periodsRecomputed)}`)
    out.push(`${t.sent}: ${n(r.valuesSent)} (${t.accepted} ${n(r.valuesAccepted)}, ${t.rejected} ${n(r.valuesRejected)})`)
    out.push(t.counts.replace('{i}', n(r.imported)).replace('{u}', n(r.updated)).replace('{g}', n(r.ignored)).replace('{d}', n(r.deleted)))
    out.push(`${t.waiting}: ${n(r.valuesWaiting)}`)
    out.push(`${t.requests}: ${n(r.requests)} — ${t.duration}: ${(r.durationMs / 1000).toFixed(1)} s`)
    const section = (title: string, items: string[]) => {
        if (!items.length) return
        out.push('', `${title} (${items.length})`)
        for (const i of items.slice(0, LIST_LIMIT)) out.push(`  - ${i}`)
        if (items.length > LIST_LIMIT) out.push(`  ${t.more(items.length - LIST_LIMIT)}`)
    }
    section(t.errors, r.errors.map((e) => e[lang]))
    section(t.warnings, r.warnings.map((w) => w[lang]))
    section(
        t.conflicts,
        r.conflicts.map((c) =>
            [c.dataElement, c.period, c.orgUnit, [c.channel, c.service].filter(Boolean).join('×')].filter(Boolean).join(' / ') +
            `${c.value !== null ? ` = ${c.value}` : ''} — ${c.errorCode ?? ''} ${c.message}`.trimEnd()
        )
    )
    section(t.quarantine, r.quarantine.map((q) => `${q.file}:${q.line}${q.column ? ` [${q.column}]` : ''} — ${q.reason[lang]}`))
    if (r.diff) {
        section(
            t.diff,
            r.diff
                .filter((d) => d.current !== d.next)
                .map((d) => `${d.dataElement} / ${d.period} / ${d.orgUnit} / ${[d.channel, d.service].filter(Boolean).join('×')}: ${t.now} ${d.current ?? t.none} → ${t.next} ${d.next}`)
        )
    }
    if (r.stock) out.push('', renderStockLegReport(r.stock, lang))
    out.push('', `${t.exit}: ${r.exitCode}`)
    return out.join('\n')
}

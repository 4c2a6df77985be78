import type { LocalConfig } from '../config/load'
import type { Bilingual } from '../domain/line'
import { LedgerPathError } from '../ledger/paths'
import { formatNumber, type Lang } from '../report/lang'
import { readReconInputs } from './sources'

/**
 * `config check`: the statements and cash counts configured under `reconciliation`, read as
 * `reconcile` would (nothing written): rows per kind, rows that would be left out and why.
 * Databases and APIs are asked for the current and previous months, as a scheduled run would.
 */
export interface ReconCheck {
    files: number
    /** Databases and APIs that answered (one that did not is among the problems, by name). */
    sources: number
    statementRows: number
    cashCountRows: number
    excluded: number
    problems: Array<{ reason: Bilingual; count: number; first: string }>
    error: Bilingual | null
}

export async function checkReconciliation(local: Pick<LocalConfig, 'config' | 'zoneFor'>): Promise<ReconCheck | null> {
    const cfg = local.config.reconciliation
    if (!cfg.statements.length && !cfg.cashCounts.length) return null
    try {
        const r = await readReconInputs(cfg, { statements: [], cashCounts: [] }, { zoneFor: local.zoneFor, channelAliases: local.config.aliases.channel })
        const problems = new Map<string, ReconCheck['problems'][number]>()
        for (const q of [...r.statements.quarantine, ...r.counts.quarantine]) {
            // Rows that fail the same way are counted together; a source that cannot be read at all
            // (line 0) is its own problem, so that each one is named.
            const key = q.line === 0 ? `${q.file}\u0000${q.reason.en}` : q.reason.en.replace(/"[^"]*"/g, '"…"')
            const p = problems.get(key)
            if (p) p.count++
            else problems.set(key, { reason: q.reason, count: 1, first: `${q.file}:${q.line}` })
        }
        return {
            files: r.statements.files.length + r.counts.files.length,
            sources: r.statements.sources.length + r.counts.sources.length,
            statementRows: r.statements.rows.length,
            cashCountRows: r.counts.rows.length,
            excluded: r.statements.excluded + r.counts.excluded,
            problems: [...problems.values()].sort((a, b) => b.count - a.count),
            error: null,
        }
    } catch (e) {
        if (!(e instanceof LedgerPathError)) throw e
        return { files: 0, sources: 0, statementRows: 0, cashCountRows: 0, excluded: 0, problems: [], error: e.reason }
    }
}

export function renderReconCheck(r: ReconCheck, lang: Lang): string[] {
    const fr = lang === 'fr'
    const n = (x: number) => formatNumber(x, lang)
    if (r.error) return [fr ? `Rapprochement : ✗ ${r.error.fr}` : `Reconciliation: ✗ ${r.error.en}`]
    const bad = r.problems.reduce((s, p) => s + p.count, 0)
    return [
        fr
            ? `Rapprochement : ${n(r.files)} fichier(s), ${r.sources ? `${n(r.sources)} base(s) ou API, ` : ''}${n(r.statementRows)} ligne(s) de relevé, ${n(r.cashCountRows)} arrêté(s) de caisse, ${n(bad)} ligne(s) illisible(s)${r.excluded ? `, ${n(r.excluded)} écartée(s) (mapping.exclude)` : ''}`
            : `Reconciliation: ${n(r.files)} file(s), ${r.sources ? `${n(r.sources)} database(s) or API(s), ` : ''}${n(r.statementRows)} statement row(s), ${n(r.cashCountRows)} cash count(s), ${n(bad)} unreadable row(s)${r.excluded ? `, ${n(r.excluded)} left out (mapping.exclude)` : ''}`,
        ...r.problems.slice(0, 10).map((p) => `      ${n(p.count)} × ${p.reason[lang]} (${fr ? 'p. ex.' : 'e.g.'} ${p.first})`),
    ]
}

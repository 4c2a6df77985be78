import { CHANNEL_NAMES, DATA_ELEMENT_NAMES, SERVICE_NAMES, shortName } from '../../contract/labels'
import type { Channel, DataElementCode, Service } from '../../contract/codes'
import { csvLine } from '../report/csv'
import { formatNumber, type Lang } from '../report/lang'
import type { ExplainedLine, ExplainedSend, ExcludedLine } from './explain'
import type { ExplainReport } from './explain'
import type { LmisExplainReport } from './explain-lmis-run'
import type { RunDetail, RunListEntry } from './runs'
import type { FamilyCheck, VerifyReport } from './verify-run'

/** People-facing text of explain, verify and runs: French first, English with --lang en. */

const SHOWN_LINES = 20

export function formatWhen(iso: string, lang: Lang, timeZone: string): string {
    return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone }).format(new Date(iso))
}

const channelName = (c: string | null, lang: Lang) => (c ? (CHANNEL_NAMES[c as Channel]?.[lang] ?? c) : null)
const serviceName = (s: string | null, lang: Lang) => (s ? (SERVICE_NAMES[s as Service] ? shortName(SERVICE_NAMES[s as Service], lang) : s) : null)

function position(l: ExplainedLine, lang: Lang): string {
    if (l.source === null) return lang === 'fr' ? `position inconnue (exécution ${l.runId})` : `position unknown (run ${l.runId})`
    return lang === 'fr' ? `${l.source} ligne ${l.position} (exécution ${l.runId})` : `${l.source} row ${l.position} (run ${l.runId})`
}

function lineText(l: ExplainedLine, lang: Lang): string {
    const id = `${l.transactionId} #${l.lineNo}`
    // An LMIS value's line: its product and quantity; a revenue line: its channel and service.
    const what = l.quantity !== undefined ? `${l.productCode ?? '—'} × ${l.quantity === null ? '—' : formatNumber(l.quantity, lang)}` : `${channelName(l.channel, lang)} × ${serviceName(l.service, lang)}`
    return `  ${id.padEnd(18)} ${l.occurredAt.slice(0, 16).replace('T', ' ')}  ${l.type.padEnd(7)} ${l.status.padEnd(9)} ${formatNumber(l.amountXof, lang).padStart(10)}  ${what}  — ${position(l, lang)}`
}

function outcomeText(s: ExplainedSend, lang: Lang): string {
    if (s.outcome === 'ACCEPTED') return lang === 'fr' ? 'accepté' : 'accepted'
    if (s.outcome === 'WAITING') return lang === 'fr' ? 'sans réponse (en attente)' : 'no answer (waiting)'
    return lang === 'fr' ? `refusé ${s.errorCode ?? ''}`.trim() : `refused ${s.errorCode ?? ''}`.trim()
}

/** "envoyé 8 500 000 le 3 nov. par l'exécution 41, puis 8 529 015 le 5 nov. par l'exécution 44 après 3 ligne(s)…" */
export function historyText(sends: ExplainedSend[], lang: Lang, timeZone: string, multiKey: boolean): string[] {
    if (!sends.length) return [lang === 'fr' ? '  jamais envoyé' : '  never sent']
    const seen = new Set<string>()
    return sends.map((s) => {
        const who = multiKey ? ` [${channelName(s.channel, lang)}${s.service ? ` × ${serviceName(s.service, lang)}` : ''}]` : ''
        const k = `${s.channel}|${s.service ?? ''}`
        const first = !seen.has(k)
        seen.add(k)
        const verb = lang === 'fr' ? (first ? 'envoyé' : 'puis') : first ? 'sent' : 'then'
        const base =
            lang === 'fr'
                ? `${verb} ${formatNumber(s.value, lang)} le ${formatWhen(s.at, lang, timeZone)} par l'exécution ${s.runId} (${outcomeText(s, lang)})`
                : `${verb} ${formatNumber(s.value, lang)} on ${formatWhen(s.at, lang, timeZone)} by run ${s.runId} (${outcomeText(s, lang)})`
        const after = !first && s.linesBrought ? (lang === 'fr' ? ` après ${s.linesBrought} ligne(s) nouvelle(s) ou modifiée(s) lue(s) par cette exécution` : ` after ${s.linesBrought} new or changed line(s) read by that run`) : ''
        const again = s.repeats > 1 ? (lang === 'fr' ? ` ; renvoyé à l'identique ${s.repeats - 1} fois, dernière par l'exécution ${s.lastRunId}` : `; sent again unchanged ${s.repeats - 1} time(s), last by run ${s.lastRunId}`) : ''
        return `  ${base}${after}${again}${who}`
    })
}

export function renderExplain(r: ExplainReport, lang: Lang, timeZone: string): string {
    const fr = lang === 'fr'
    if (r.family === 'lmis') return renderLmisExplain(r as LmisExplainReport, lang, timeZone)
    const de = r.dataElement as DataElementCode
    const what = [channelName(r.channel, lang), serviceName(r.service, lang)].filter(Boolean).join(' × ') || (fr ? 'tous moyens et services' : 'all channels and services')
    const out = [`${r.dataElement} — ${DATA_ELEMENT_NAMES[de]?.[lang] ?? ''} · ${r.period} · ${r.facility} (${r.orgUnit}) · ${what}`]
    out.push(...valueLines(r, lang, r.method === 'SUM' ? ' FCFA' : ''))
    const attempts = new Set(r.lines.map((l) => `${l.channel}|${l.transactionId}`)).size
    out.push(
        r.method === 'SUM'
            ? fr
                ? `Calcul : somme des montants des ${r.lines.length} ligne(s) ${de === 'PAYREV_REFUNDS' ? 'REMBOURSEMENT' : 'PAIEMENT'} au statut SUCCESS ci-dessous`
                : `How: sum of the amounts of the ${r.lines.length} ${de === 'PAYREV_REFUNDS' ? 'REFUND' : 'PAYMENT'} line(s) with status SUCCESS below`
            : fr
              ? `Calcul : nombre de tentatives distinctes (transaction × moyen) : ${attempts}, chacune comptée une fois dans la période de sa première ligne ${de === 'PAYREV_PAYMENTS' ? 'réussie' : ''}`
              : `How: number of distinct attempts (transaction × channel): ${attempts}, each counted once in the period of its earliest ${de === 'PAYREV_PAYMENTS' ? 'successful ' : ''}line`
    )
    out.push(fr ? 'Historique :' : 'History:', ...historyText(r.sends, lang, timeZone, r.keys.length > 1))
    lineLists(out, r, lang)
    return out.join('\n')
}

/** The value, whether DHIS2 accepted it, and with --check what DHIS2 holds now: the start of both explain texts. */
function valueLines(r: ExplainReport, lang: Lang, unit: string): string[] {
    const fr = lang === 'fr'
    const accepted =
        r.accepted === null
            ? fr
                ? ' (jamais acceptée par DHIS2)'
                : ' (never accepted by DHIS2)'
            : r.accepted !== r.value
              ? fr
                  ? ` (DHIS2 a accepté ${formatNumber(r.accepted, lang)} ; la nouvelle valeur attend d'être envoyée)`
                  : ` (DHIS2 accepted ${formatNumber(r.accepted, lang)}; the new value waits to be sent)`
              : fr
                ? ' (acceptée par DHIS2)'
                : ' (accepted by DHIS2)'
    const out = [`${fr ? 'Valeur :' : 'Value:'} ${formatNumber(r.value, lang)}${unit}${accepted}`]
    if (r.dhis2) {
        const cur = r.dhis2.current === null ? (fr ? 'aucune valeur' : 'no value') : typeof r.dhis2.current === 'number' ? formatNumber(r.dhis2.current, lang) : r.dhis2.current
        out.push(`${fr ? 'DHIS2 aujourd’hui :' : 'DHIS2 now:'} ${cur} — ${r.dhis2.matches ? (fr ? 'conforme' : 'matches') : fr ? 'DIFFÉRENT de ce qui a été accepté : lancez « revenue-bridge verify --repair »' : 'DIFFERENT from what was accepted: run "revenue-bridge verify --repair"'}`)
    }
    return out
}

/** The lines that count, those that do not (with why), and the notes: the end of both explain texts. */
function lineLists(out: string[], r: ExplainReport, lang: Lang): void {
    const fr = lang === 'fr'
    const list = (title: string, ls: ExplainedLine[], extra: (l: ExplainedLine) => string) => {
        out.push(`${title} (${ls.length})${fr ? ' :' : ':'}`)
        for (const l of ls.slice(0, SHOWN_LINES)) out.push(lineText(l, lang) + extra(l))
        if (ls.length > SHOWN_LINES) out.push(fr ? `  … et ${ls.length - SHOWN_LINES} autre(s) : --csv FICHIER ou --json pour toutes` : `  … and ${ls.length - SHOWN_LINES} more: --csv FILE or --json for all`)
    }
    list(fr ? 'Lignes qui comptent' : 'Lines that count', r.lines, () => '')
    list(fr ? 'Lignes qui ne comptent pas' : 'Lines that do not count', r.excluded, (l) => `\n      ↳ ${(l as ExcludedLine).reason[lang]}`)
    for (const n of r.notes) out.push(`${fr ? 'Note :' : 'Note:'} ${n[lang]}`)
}

/** An LMIS value: the quantity dispensed, product by product and day by day, then its lines. */
function renderLmisExplain(r: LmisExplainReport, lang: Lang, timeZone: string): string {
    const fr = lang === 'fr'
    const out = [`${r.dataElement} — ${fr ? 'LMIS, quantité distribuée' : 'LMIS, quantity dispensed'} · ${r.period} · ${r.facility} (${r.orgUnit})`]
    out.push(...valueLines(r, lang, ''))
    out.push(
        fr
            ? 'Calcul : pour chaque produit, facteur LMIS × Σ des jours du mois (ventes − retours des lignes SUCCESS, un jour négatif compte 0)'
            : 'How: for each product, LMIS factor × Σ over the days of the month (sales − returns of the SUCCESS lines, a negative day counts 0)'
    )
    for (const p of r.products) {
        out.push(`  ${p.product}${p.name ? ` (${p.name})` : ''} : ${formatNumber(p.factor, lang)} × ${formatNumber(p.quantity, lang)} = ${formatNumber(Math.round(p.factor * p.quantity * 1e6) / 1e6, lang)}`)
        for (const d of p.records) {
            const lines = fr ? `${d.ledgerLines} ligne(s)` : `${d.ledgerLines} line(s)`
            const clamped = d.negative ? (fr ? ', retours > ventes : 0' : ', returns > sales: 0') : ''
            out.push(`    ${d.date} : ${formatNumber(d.quantity, lang)} (${lines}${clamped})`)
        }
    }
    out.push(fr ? 'Historique :' : 'History:', ...historyText(r.sends, lang, timeZone, false))
    lineLists(out, r, lang)
    return out.join('\n')
}

/** --csv FILE: every line behind the value, those that count and those that do not (with why). */
export function explainCsv(r: ExplainReport, lang: Lang): string {
    // product_code and quantity: an LMIS value's (empty for revenue).
    const head = ['counts', 'reason', 'transaction_id', 'line_no', 'occurred_at', 'updated_at', 'type', 'status', 'channel', 'service', 'amount_xof', 'source', 'position', 'run_id', 'product_code', 'quantity']
    const row = (l: ExplainedLine, counts: boolean, reason: string) =>
        csvLine([counts ? 'yes' : 'no', reason, l.transactionId, l.lineNo, l.occurredAt, l.updatedAt, l.type, l.status, l.channel, l.service, l.amountXof, l.source, l.position, l.runId, l.productCode ?? null, l.quantity ?? null])
    return [csvLine(head), ...r.lines.map((l) => row(l, true, '')), ...r.excluded.map((l) => row(l, false, `${l.reason.code}: ${l.reason[lang]}`))].join('\n') + '\n'
}

const formatSeconds = (ms: number, lang: Lang) => new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(ms / 1000)

const FAMILY_LABELS: Record<FamilyCheck['family'], { fr: string; en: string }> = {
    revenue: { fr: 'Recettes', en: 'Revenue' },
    lmis: { fr: 'LMIS (ventes de la pharmacie)', en: 'LMIS (pharmacy sales)' },
    recon: { fr: 'Rapprochement', en: 'Reconciliation' },
}

export function renderVerify(r: VerifyReport, lang: Lang): string {
    const fr = lang === 'fr'
    const out = [
        fr
            ? `Vérification n° ${r.runId} : ${r.checked} valeur(s) comparée(s) avec DHIS2 en ${r.readRequests} requête(s) de lecture (${r.requests} en tout, ${formatSeconds(r.durationMs, lang)} s), ${r.matching} conforme(s), ${r.drifted.length} différente(s)`
            : `Verify #${r.runId}: ${r.checked} value(s) compared with DHIS2 in ${r.readRequests} read request(s) (${r.requests} in all, ${formatSeconds(r.durationMs, lang)} s), ${r.matching} matching, ${r.drifted.length} drifted`,
    ]
    for (const f of r.families) {
        if (f.skipped || (f.family !== 'revenue' && !f.checked && !f.unresolved)) continue
        out.push(fr ? `  ${FAMILY_LABELS[f.family].fr} : ${f.checked} comparée(s), ${f.drifted} différente(s)` : `  ${FAMILY_LABELS[f.family].en}: ${f.checked} compared, ${f.drifted} drifted`)
    }
    const key = (d: VerifyReport['drifted'][number]) =>
        `${d.family === 'revenue' ? '' : `[${d.family}] `}${d.dataElement} ${d.period} ${d.orgUnit} ${[channelName(d.channel, lang), serviceName(d.service, lang)].filter(Boolean).join(' × ')} (${d.categoryOptionCombo})`
    const actual = (a: number | string | null) => (a === null ? (fr ? 'absente' : 'absent') : typeof a === 'number' ? formatNumber(a, lang) : a)
    for (const d of r.drifted) out.push(`  ${key(d)} : ${fr ? 'attendu' : 'expected'} ${formatNumber(d.expected, lang)}, DHIS2 ${actual(d.actual)}`)
    if (r.repaired.length) out.push(fr ? `Réparé : ${r.repaired.length} valeur(s) renvoyée(s) et acceptée(s) (exécution ${r.repairRunId})` : `Repaired: ${r.repaired.length} value(s) sent again and accepted (run ${r.repairRunId})`)
    for (const d of r.refused) {
        // The bridge's own refusal (BRIDGE_…, e.g. an LMIS facility no longer enabled) is not DHIS2's: its message says what to do.
        if (d.errorCode?.startsWith('BRIDGE_')) out.push(`  ${fr ? 'NON RÉPARÉ' : 'NOT REPAIRED'} ${key(d)} : ${d.errorCode} ${d.message ?? ''}`)
        else out.push(fr ? `  NON RÉPARÉ ${key(d)} : DHIS2 refuse ${d.errorCode ?? ''} ${d.message ?? ''} (période verrouillée ? demandez à l'administrateur de la rouvrir, puis relancez « verify --repair »)` : `  NOT REPAIRED ${key(d)}: DHIS2 refuses ${d.errorCode ?? ''} ${d.message ?? ''} (locked period? ask the administrator to reopen it, then run "verify --repair" again)`)
    }
    if (r.drifted.length && !r.repaired.length && !r.refused.length) out.push(fr ? 'Pour renvoyer les valeurs attendues : revenue-bridge verify --repair' : 'To send the expected values again: revenue-bridge verify --repair')
    for (const w of r.warnings) out.push(`${fr ? 'Avertissement :' : 'Warning:'} ${w[lang]}`)
    return out.join('\n')
}

export function renderRuns(runs: RunListEntry[], lang: Lang): string {
    const fr = lang === 'fr'
    if (!runs.length) return fr ? 'Aucune exécution enregistrée' : 'No run recorded'
    return runs
        .map((r) => {
            const counts =
                r.command === 'verify'
                    ? `${fr ? 'écarts' : 'drift'}=${r.drifted ?? '?'}`
                    : r.linesRead !== null
                      ? `${fr ? 'lignes' : 'lines'}=${r.linesRead} ${fr ? 'quarantaine' : 'quarantined'}=${r.quarantined} ${fr ? 'valeurs' : 'values'}=${r.valuesSent}`
                      : r.valuesSent !== null
                        ? `${r.quarantined === null ? '' : `${fr ? 'quarantaine' : 'quarantined'}=${r.quarantined} `}${fr ? 'valeurs' : 'values'}=${r.valuesSent}`
                        : ''
            return `#${r.id} ${r.command.padEnd(9)} ${r.startedAt} → ${r.finishedAt ?? (fr ? 'interrompue' : 'interrupted')} exit=${r.exitCode ?? '?'} ${counts}`.trimEnd()
        })
        .join('\n')
}

export function renderRun(r: RunDetail, lang: Lang): string {
    const fr = lang === 'fr'
    const out = [`${fr ? 'Exécution' : 'Run'} n° ${r.id} — ${r.command} — ${r.startedAt} → ${r.finishedAt ?? (fr ? 'interrompue' : 'interrupted')} — exit ${r.exitCode ?? '?'}`]
    if (r.sources.length) out.push(fr ? 'Sources lues :' : 'Sources read:', ...r.sources.map((s) => `  ${s}`))
    if (r.lines) {
        const l = r.lines
        out.push(fr ? `Lignes : ${l.read} lues — ${l.new} nouvelles, ${l.changed} modifiées, ${l.unchanged} inchangées, ${l.stale} périmées, ${l.quarantined} en quarantaine` : `Lines: ${l.read} read — ${l.new} new, ${l.changed} changed, ${l.unchanged} unchanged, ${l.stale} stale, ${l.quarantined} quarantined`)
        out.push(fr ? `Recalculé : ${r.periodsRecomputed} établissement(s) × période(s)` : `Recomputed: ${r.periodsRecomputed} facility × period(s)`)
    }
    const v = r.command === 'verify' ? (r.summary as { checked?: number; repaired?: unknown[]; refused?: unknown[]; repairRunId?: number | null; families?: FamilyCheck[] } | null) : null
    if (v) {
        out.push(fr ? `Comparé : ${v.checked ?? '?'} valeur(s) ; écarts : ${r.drifted ?? '?'} ; réparés : ${v.repaired?.length ?? 0}${v.repairRunId ? ` (exécution ${v.repairRunId})` : ''} ; refusés : ${v.refused?.length ?? 0}` : `Compared: ${v.checked ?? '?'} value(s); drift: ${r.drifted ?? '?'}; repaired: ${v.repaired?.length ?? 0}${v.repairRunId ? ` (run ${v.repairRunId})` : ''}; refused: ${v.refused?.length ?? 0}`)
        // Verify runs recorded before the families were checked have no per-family part.
        for (const f of v.families ?? []) {
            const label = FAMILY_LABELS[f.family]?.[lang] ?? f.family
            if (f.skipped) out.push(`  ${label}${fr ? ' : non vérifié' : ': not checked'} — ${f.skipped[lang]}`)
            else if (f.checked || f.unresolved) out.push(fr ? `  ${label} : ${f.checked} comparée(s), ${f.drifted} écart(s), ${f.repaired} réparé(s), ${f.refused} refusé(s)` : `  ${label}: ${f.checked} compared, ${f.drifted} drifted, ${f.repaired} repaired, ${f.refused} refused`)
        }
        return out.join('\n')
    }
    const recon = r.command === 'reconcile' ? (r.summary as { month?: string; months?: string[]; items?: number; discrepancies?: number; cashDiscrepancies?: number; quarantined?: number } | null) : null
    if (recon?.month) {
        out.push(
            fr
                ? `Rapprochement de ${recon.month} (mois couverts : ${(recon.months ?? []).join(', ') || '—'}) : ${recon.items ?? 0} élément(s), ${recon.discrepancies ?? 0} écart(s) de paiement, ${recon.cashDiscrepancies ?? 0} écart(s) de caisse, ${recon.quarantined ?? 0} ligne(s) en quarantaine`
                : `Reconciliation of ${recon.month} (months covered: ${(recon.months ?? []).join(', ') || '—'}): ${recon.items ?? 0} item(s), ${recon.discrepancies ?? 0} payment discrepancy(ies), ${recon.cashDiscrepancies ?? 0} cash discrepancy(ies), ${recon.quarantined ?? 0} row(s) quarantined`
        )
    }
    const stock = r.command === 'stock push' ? (r.summary as { records?: number; recordsChanged?: number; medexisSent?: number; medexisRefused?: number; medexisWaiting?: number } | null) : null
    if (stock && stock.records !== undefined) {
        out.push(
            fr
                ? `Stock : ${stock.records} enregistrement(s) recalculé(s), ${stock.recordsChanged ?? 0} modifié(s) ; MEDEXIS : ${stock.medexisSent ?? 0} envoyé(s), ${stock.medexisRefused ?? 0} refusé(s), ${stock.medexisWaiting ?? 0} en attente`
                : `Stock: ${stock.records} record(s) recomputed, ${stock.recordsChanged ?? 0} changed; MEDEXIS: ${stock.medexisSent ?? 0} sent, ${stock.medexisRefused ?? 0} refused, ${stock.medexisWaiting ?? 0} waiting`
        )
    }
    const s = r.sent
    out.push(fr ? `Envoyé : ${s.values} valeur(s) — ${s.accepted} acceptée(s), ${s.refused} refusée(s), ${s.waiting} sans réponse ; ${s.repeats} renvoi(s) à l'identique` : `Sent: ${s.values} value(s) — ${s.accepted} accepted, ${s.refused} refused, ${s.waiting} without answer; ${s.repeats} unchanged resend(s)`)
    // Revenue's scopes as before; another family's named in brackets, as verify names drift.
    for (const sc of r.scopes.slice(0, 30)) out.push(`  ${sc.family === 'revenue' ? '' : `[${sc.family}] `}${sc.facility} ${sc.period} : ${sc.values}`)
    if (r.scopes.length > 30) out.push(fr ? `  … ${r.scopes.length - 30} autre(s) (--json)` : `  … ${r.scopes.length - 30} more (--json)`)
    return out.join('\n')
}

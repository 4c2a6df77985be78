import { CATEGORY_LABELS, type ReconCash, type ReconChannel, type ReconItem, type ReconReport } from '../../contract/reconciliation'
import { CHANNEL_NAMES } from '../../contract/labels'
import { formatNumber, type Lang } from '../report/lang'

/**
 * The reconciliation report a finance officer reads in two minutes: per facility × channel what
 * matched and what is missing on each side (how many, how much, the largest items), then cash
 * per day (and per cashier), then the statement rows that could not be read. French by default.
 */
const MAX_ITEMS = 5

export function renderReconReport(r: Omit<ReconReport, 'valuesSent' | 'valuesWaiting' | 'conflicts' | 'warnings' | 'exitCode'> & Partial<ReconReport>, lang: Lang): string {
    const fr = lang === 'fr'
    const n = (x: number) => formatNumber(x, lang)
    const fcfa = (x: number) => `${n(x)} FCFA`
    const out: string[] = []
    out.push(fr ? `Rapprochement des paiements — ${r.month}${r.facility ? ` — ${r.facility}` : ''}` : `Payment reconciliation — ${r.month}${r.facility ? ` — ${r.facility}` : ''}`)
    out.push(fr ? `(fenêtre de rapprochement : ${r.windowMinutes} min ; mois couverts par les relevés et arrêtés : ${r.months.join(', ') || 'aucun'})` : `(matching window: ${r.windowMinutes} min; months covered by statements and counts: ${r.months.join(', ') || 'none'})`)
    out.push('')
    if (!r.channels.length) out.push(fr ? 'Aucun relevé d’opérateur pour ce mois.' : 'No operator statement for this month.')
    for (const c of r.channels) out.push(...channelBlock(c, r.items, lang, fcfa))
    out.push(...cashBlock(r.cash, lang, fcfa))
    if (r.quarantined) {
        out.push('', fr ? `Lignes illisibles (${n(r.quarantined)}), non prises en compte :` : `Unreadable rows (${n(r.quarantined)}), left out:`)
        for (const q of r.quarantine.slice(0, 20)) out.push(`  ${q.file}:${q.line}${q.column ? ` [${q.column}]` : ''} — ${q.reason[lang]}`)
        if (r.quarantine.length > 20) out.push(fr ? `  … et ${n(r.quarantine.length - 20)} autres (--json)` : `  … and ${n(r.quarantine.length - 20)} more (--json)`)
    }
    if (r.valuesSent !== undefined) {
        out.push('', fr ? `DHIS2 (PAYREV_RECON_MONTHLY) : ${n(r.valuesSent)} valeur(s) envoyée(s), ${n(r.valuesWaiting ?? 0)} en attente` : `DHIS2 (PAYREV_RECON_MONTHLY): ${n(r.valuesSent)} value(s) sent, ${n(r.valuesWaiting ?? 0)} waiting`)
        for (const c of (r.conflicts ?? []).slice(0, 10)) out.push(`  ✗ ${c.dataElement ?? ''} ${c.period ?? ''} ${c.orgUnit ?? ''} ${c.categoryOptionCombo ?? ''}: ${c.errorCode ?? ''} ${c.message}`)
        for (const w of r.warnings ?? []) out.push(`  ${w[lang]}`)
    }
    // Blocks bring their own blank lines: never two in a row.
    return out.filter((l, i) => l !== '' || out[i - 1] !== '').join('\n')
}

function channelBlock(c: ReconChannel, items: ReconItem[], lang: Lang, fcfa: (x: number) => string): string[] {
    const fr = lang === 'fr'
    const k = c.categories
    const clean = (['LEDGER_ONLY', 'STATEMENT_ONLY', 'AMOUNT_MISMATCH', 'STATUS_MISMATCH', 'DUPLICATE_STATEMENT'] as const).every((cat) => k[cat].count === 0)
    // Nothing to look at: one line, so the discrepancies stand out.
    if (clean) {
        return [
            fr
                ? `✓ ${c.facility} — ${CHANNEL_NAMES[c.channel][lang]} : tout rapproché, ${k.MATCHED.count} paiement(s), ${fcfa(k.MATCHED.amount)} · frais ${fcfa(c.fees)}`
                : `✓ ${c.facility} — ${CHANNEL_NAMES[c.channel][lang]}: all matched, ${k.MATCHED.count} payment(s), ${fcfa(k.MATCHED.amount)} · fees ${fcfa(c.fees)}`,
        ]
    }
    const share = c.ledgerAmount ? Math.round((k.MATCHED.amount / c.ledgerAmount) * 1000) / 10 : null
    const out = [
        '',
        `${c.facility} — ${CHANNEL_NAMES[c.channel][lang]}`,
        fr
            ? `  Registre : ${c.ledgerCount} paiement(s), ${fcfa(c.ledgerAmount)} · Relevé : ${c.statementCount} ligne(s), ${fcfa(c.statementAmount)} · Frais : ${fcfa(c.fees)} (net ${fcfa(c.statementAmount - c.fees)})`
            : `  Ledger: ${c.ledgerCount} payment(s), ${fcfa(c.ledgerAmount)} · Statement: ${c.statementCount} row(s), ${fcfa(c.statementAmount)} · Fees: ${fcfa(c.fees)} (net ${fcfa(c.statementAmount - c.fees)})`,
        `  ${CATEGORY_LABELS.MATCHED[lang]}${fr ? ' :' : ':'} ${k.MATCHED.count}, ${fcfa(k.MATCHED.amount)}${share !== null ? ` (${String(share).replace('.', fr ? ',' : '.')} %${fr ? ' du registre' : ' of the ledger'})` : ''}`,
    ]
    for (const cat of ['LEDGER_ONLY', 'STATEMENT_ONLY', 'AMOUNT_MISMATCH', 'STATUS_MISMATCH', 'DUPLICATE_STATEMENT'] as const) {
        if (!k[cat].count) continue
        const gap = cat === 'AMOUNT_MISMATCH' ? (fr ? ` (écart ${fcfa(k.AMOUNT_MISMATCH.gap)})` : ` (gap ${fcfa(k.AMOUNT_MISMATCH.gap)})`) : ''
        out.push(`  ${CATEGORY_LABELS[cat][lang]}${fr ? ' :' : ':'} ${k[cat].count}, ${fcfa(k[cat].amount)}${gap}`)
        const mine = items.filter((i) => i.category === cat && i.facility === c.facility && i.channel === c.channel)
        for (const i of mine.slice(0, MAX_ITEMS)) out.push(`    ${itemLine(i, lang, fcfa)}`)
        if (mine.length > MAX_ITEMS) out.push(fr ? `    … et ${mine.length - MAX_ITEMS} autre(s) (--out pour le détail)` : `    … and ${mine.length - MAX_ITEMS} more (--out for the detail)`)
    }
    out.push('')
    return out
}

function itemLine(i: ReconItem, lang: Lang, fcfa: (x: number) => string): string {
    const fr = lang === 'fr'
    const when = (i.ledgerAt ?? i.statementAt ?? '').slice(0, 16).replace('T', ' ')
    const parts = [when, fcfa(i.amount)]
    if (i.type === 'REFUND') parts.push(fr ? 'remboursement' : 'refund')
    if (i.transactionId) parts.push(fr ? `reçu ${i.transactionId}` : `receipt ${i.transactionId}`)
    if (i.reference) parts.push(fr ? `réf. ${i.reference}` : `ref. ${i.reference}`)
    if (i.category === 'AMOUNT_MISMATCH') parts.push(fr ? `registre ${fcfa(i.ledgerAmount!)}, relevé ${fcfa(i.statementAmount!)}` : `ledger ${fcfa(i.ledgerAmount!)}, statement ${fcfa(i.statementAmount!)}`)
    if (i.category === 'STATUS_MISMATCH') parts.push(fr ? `registre ${i.ledgerStatus}, relevé ${i.statementStatus}` : `ledger ${i.ledgerStatus}, statement ${i.statementStatus}`)
    return parts.join(' · ')
}

function cashBlock(cash: ReconCash[], lang: Lang, fcfa: (x: number) => string): string[] {
    const fr = lang === 'fr'
    if (!cash.length) return []
    const out = ['', fr ? 'Caisse (espèces), par jour :' : 'Cash, per day:']
    const flagged = cash.filter((c) => c.flag !== 'OK')
    out.push(
        fr
            ? `  ${cash.length} arrêté(s) ou journée(s), ${cash.length - flagged.length} conforme(s)`
            : `  ${cash.length} count(s) or day(s), ${cash.length - flagged.length} OK`
    )
    for (const c of flagged) {
        const who = c.cashier ?? (fr ? 'caisse' : 'till')
        const counted = c.counted === null ? (fr ? 'non compté' : 'not counted') : fcfa(c.counted)
        const variance = c.variance === null ? '' : ` · ${fr ? 'écart' : 'variance'} ${c.variance > 0 ? '+' : ''}${fcfa(c.variance)}`
        out.push(`  ${c.date} ${c.facility} ${who} · ${fr ? 'attendu' : 'expected'} ${fcfa(c.expected)} · ${fr ? 'compté' : 'counted'} ${counted}${variance} · ${CATEGORY_LABELS[c.flag][lang]}`)
    }
    return out
}

/**
 * Operator statements and daily cash counts for the demo, generated from the demo ledger (fixed
 * seed), with planted discrepancies of every category (docs/reconciliation.md):
 *   three unsettled receipts (LEDGER_ONLY), a payment without a receipt (STATEMENT_ONLY), a
 *   settlement reduced by the fee and an amount typo (AMOUNT_MISMATCH), a duplicated statement
 *   line (DUPLICATE_STATEMENT), a status mismatch (STATUS_MISMATCH), a cash shortage on two days
 *   (CASH_SHORT) — all in the last complete month; the two months before it reconcile cleanly.
 * Orange Money statements are written in the operator's layout (read through the orange-money
 * preset), the others as canonical statement CSV; cash counts per cashier at the Dermatology
 * Hospital, per day elsewhere. The planted list is written to planted.json beside them, so a test
 * can compute the expected figures on its own.
 */
import fs from 'node:fs'
import path from 'node:path'
import { DateTime } from 'luxon'
import type { LedgerLine } from '../bridge/domain/line'
import { normaliseRow } from '../bridge/ledger/normalise'
import { supersedes } from '../bridge/ledger/versions'
import { attemptsOf, localDay, localMonth, type LedgerAttempt } from '../bridge/reconcile/attempts'
import { demoPlant, type DemoRecon, type StatementLine } from './recon-plant'
import { mulberry32, type DemoLedger } from './generate-ledger'
import { operatorRef } from './operator-refs'

const ZONE = 'Africa/Bamako'
/** Synthetic merchant commissions (real rates are not published): per mille of the gross amount. */
export const DEMO_FEE_PER_MILLE: Record<string, number> = { ORANGE_MONEY: 10, MOOV_MONEY: 10, SAMA_MONEY: 8, CARD: 15 }

/** The ledger's latest line versions, with operator_ref and cashier kept in clear (demo only). */
export function demoLines(ledger: DemoLedger): LedgerLine[] {
    const ctx = { zoneFor: () => ZONE, matchKey: (v: string) => v.trim() }
    const latest = new Map<string, LedgerLine>()
    ledger.rows.forEach((raw, i) => {
        const r = normaliseRow(raw, { file: 'demo', line: i + 2 }, ctx)
        if (!r.ok) return
        const k = `${r.line.transactionId}\u0000${r.line.lineNo}`
        const cur = latest.get(k)
        if (!cur || supersedes(r.line, cur)) latest.set(k, r.line)
    })
    return [...latest.values()]
}

/** The three complete months before the month of `endDate`. */
export function reconMonths(endDate: string): string[] {
    const end = DateTime.fromISO(endDate, { zone: ZONE }).startOf('month')
    return [3, 2, 1].map((n) => end.minus({ months: n }).toFormat('yyyy-MM'))
}

export function generateDemoRecon(ledger: DemoLedger, endDate: string, seed = 42): DemoRecon {
    const months = reconMonths(endDate)
    const covered = new Set(months)
    const lines = demoLines(ledger)
    const attempts = attemptsOf(lines, () => ZONE).filter((a) => a.success && covered.has(a.month))
    const rand = mulberry32(seed + 7)
    const statements = attempts.map((a) => statementOf(a, rand))
    const counts = cashCounts(lines, covered)
    const planted = { ...demoPlant({ month: months[months.length - 1], attempts, statements, counts, rand }), months }
    return { months, statements, counts, planted }
}

function statementOf(a: LedgerAttempt, rand: () => number): StatementLine {
    // Settled a few seconds to two minutes after the cashier's receipt.
    const at = new Date(Date.parse(a.at) + (5 + Math.floor(rand() * 115)) * 1000).toISOString()
    return {
        reference: operatorRef(a.transactionId, a.channel, true),
        occurredAt: at,
        amount: a.amount,
        fee: Math.round((a.amount * DEMO_FEE_PER_MILLE[a.channel]) / 1000),
        type: a.type,
        status: 'SUCCESS',
        channel: a.channel,
        facility: a.facilityCode,
        msisdn: a.channel === 'CARD' ? '' : `+223 7${String(Math.floor(rand() * 1e7)).padStart(7, '0')}`,
    }
}

/** Daily counts equal to the ledger's cash: per cashier at the Dermatology Hospital, per day elsewhere. */
function cashCounts(lines: LedgerLine[], covered: Set<string>): DemoRecon['counts'] {
    const by = new Map<string, number>()
    for (const l of lines) {
        if (l.channel !== 'CASH' || l.status !== 'SUCCESS' || !covered.has(localMonth(l.occurredAt, ZONE))) continue
        const cashier = l.facilityCode === 'ML-BKO-HDB' ? (l.cashierKey ?? '') : ''
        const k = `${l.facilityCode}\u0000${localDay(l.occurredAt, ZONE)}\u0000${cashier}`
        by.set(k, (by.get(k) ?? 0) + (l.type === 'REFUND' ? -l.amountXof : l.amountXof))
    }
    return [...by.entries()]
        .map(([k, counted]) => {
            const [facility, date, cashier] = k.split('\u0000')
            return { facility, date, counted, cashier }
        })
        .sort((a, b) => (a.facility + a.date + a.cashier < b.facility + b.date + b.cashier ? -1 : 1))
}

const csv = (cells: Array<string | number>, d: string) => cells.map((c) => (/[",;\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(d)

/** Writes the files; returns the `reconciliation` block of the demo configuration. */
export function writeDemoRecon(dir: string, recon: DemoRecon): { statements: Array<Record<string, unknown>>; cashCounts: Array<Record<string, unknown>> } {
    const statementsDir = path.join(dir, 'releves')
    fs.mkdirSync(path.join(statementsDir, 'canonique'), { recursive: true })
    const config: { statements: Array<Record<string, unknown>>; cashCounts: Array<Record<string, unknown>> } = { statements: [], cashCounts: [] }
    // Orange Money: one merchant account per facility, the operator's own layout (orange-money preset).
    const om = recon.statements.filter((s) => s.channel === 'ORANGE_MONEY')
    for (const facility of [...new Set(om.map((s) => s.facility))].sort()) {
        const file = path.join(statementsDir, `orange-money-${facility}.csv`)
        const out = ['\uFEFFOrange Money Mali — Relevé de transactions marchand', `Compte marchand;70${facility.length}0000;${facility}`, `Période;${recon.months[0]} au ${recon.months[recon.months.length - 1]}`, '', 'Date;Heure;Référence;Type de transaction;Numéro client;Montant (FCFA);Frais (FCFA);Statut']
        for (const s of om.filter((x) => x.facility === facility).sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : 1))) {
            const t = DateTime.fromISO(s.occurredAt, { zone: ZONE })
            const amount = String(s.amount).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')
            out.push(csv([t.toFormat('dd/MM/yyyy'), t.toFormat('HH:mm:ss'), s.reference, s.type === 'REFUND' ? 'Remboursement' : 'Paiement marchand', s.msisdn, s.type === 'REFUND' ? `-${amount}` : amount, s.fee, s.status === 'SUCCESS' ? 'Succès' : 'Échec'], ';'))
        }
        fs.writeFileSync(file, out.join('\r\n') + '\r\n', 'utf8')
        config.statements.push({ name: `om-${facility}`, paths: [file], preset: 'orange-money', facility })
    }
    // Moov Money, Sama Money and the card acquirer: canonical statement CSV, one file per channel.
    for (const channel of ['MOOV_MONEY', 'SAMA_MONEY', 'CARD']) {
        const rows = recon.statements.filter((s) => s.channel === channel).sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : 1))
        const out = ['reference,occurred_at,amount_xof,fee_xof,type,status,channel,facility_code,msisdn']
        for (const s of rows) out.push(csv([s.reference, s.occurredAt, s.amount, s.fee, s.type, s.status, s.channel, s.facility, s.msisdn], ','))
        fs.writeFileSync(path.join(statementsDir, 'canonique', `${channel.toLowerCase().replace('_', '-')}.csv`), out.join('\n') + '\n', 'utf8')
    }
    config.statements.push({ name: 'canonique', paths: [path.join(statementsDir, 'canonique')] })
    const countsFile = path.join(dir, 'arretes-de-caisse.csv')
    fs.writeFileSync(countsFile, ['facility_code,date,counted_xof,cashier_id', ...recon.counts.map((c) => csv([c.facility, c.date, c.counted, c.cashier], ','))].join('\n') + '\n', 'utf8')
    config.cashCounts.push({ paths: [countsFile] })
    fs.writeFileSync(path.join(dir, 'planted.json'), JSON.stringify(recon.planted, null, 2) + '\n', 'utf8')
    return config
}

import type { ReconCategory } from '../contract/reconciliation'
import type { LedgerAttempt } from '../bridge/reconcile/attempts'
import { operatorRef } from './operator-refs'

/** A row of an operator's statement, as the demo writes it (msisdn included: the demo's statements are the operator's files). */
export interface StatementLine {
    reference: string
    occurredAt: string
    amount: number
    fee: number
    type: 'PAYMENT' | 'REFUND'
    status: 'SUCCESS' | 'FAILED'
    channel: string
    facility: string
    msisdn: string
}

export interface DemoRecon {
    months: string[]
    statements: StatementLine[]
    counts: Array<{ facility: string; date: string; counted: number; cashier: string }>
    planted: Planted
}

/**
 * The discrepancies planted in the demo's statements and cash counts, and their list (planted.json)
 * for tests that compute the expected figures on their own. Deterministic: candidates in a fixed
 * order, picked with the seeded PRNG.
 */
export interface PlantedItem {
    category: ReconCategory
    facility: string
    channel: string
    type: 'PAYMENT' | 'REFUND'
    transactionId: string | null
    reference: string | null
    /** The ledger attempt's amount, the statement row's (as planted), its fee. */
    ledgerAmount: number | null
    statementAmount: number | null
    fee: number | null
    what: { fr: string; en: string }
}

export interface PlantedCash {
    facility: string
    date: string
    cashier: string | null
    expected: number
    counted: number
    variance: number
    flag: 'CASH_SHORT'
}

export interface Planted {
    /** The month that holds every planted discrepancy (the two months before reconcile cleanly). */
    month: string
    months: string[]
    windowMinutes: number
    items: PlantedItem[]
    cash: PlantedCash[]
}

export const DEMO_RECON_FACILITY = 'ML-BKO-HDB'

export function demoPlant(o: { month: string; attempts: LedgerAttempt[]; statements: StatementLine[]; counts: DemoRecon['counts']; rand: () => number }): Planted {
    const items: PlantedItem[] = []
    const used = new Set<LedgerAttempt>()
    const rowOf = new Map<LedgerAttempt, StatementLine>()
    o.attempts.forEach((a, i) => rowOf.set(a, o.statements[i]))
    const pick = (want: (a: LedgerAttempt) => boolean): LedgerAttempt => {
        const c = o.attempts.filter((a) => !used.has(a) && a.month === o.month && a.type === 'PAYMENT' && a.facilityCode === DEMO_RECON_FACILITY && want(a))
        if (!c.length) throw new Error('demo reconciliation: no candidate attempt to plant a discrepancy on')
        const a = c[Math.floor(o.rand() * c.length)]
        used.add(a)
        return a
    }
    const hasRef = (a: LedgerAttempt) => operatorRef(a.transactionId, a.channel) !== ''
    const plant = (category: ReconCategory, a: LedgerAttempt | null, row: StatementLine | null, what: PlantedItem['what']) =>
        items.push({
            category,
            facility: (a?.facilityCode ?? row?.facility)!,
            channel: (a?.channel ?? row?.channel)!,
            type: 'PAYMENT',
            transactionId: a?.transactionId ?? null,
            reference: row?.reference ?? null,
            ledgerAmount: a?.amount ?? null,
            statementAmount: row?.amount ?? null,
            fee: row?.fee ?? null,
            what,
        })
    const drop = (row: StatementLine) => o.statements.splice(o.statements.indexOf(row), 1)

    // Three receipts the operators never settled.
    for (let k = 0; k < 3; k++) {
        const a = pick((x) => x.amount > 0)
        drop(rowOf.get(a)!)
        plant('LEDGER_ONLY', a, null, { fr: 'reçu non réglé par l’opérateur', en: 'receipt the operator never settled' })
    }
    // Money received without a receipt: an Orange Money payment the cashier never entered.
    const anyOm = o.statements.find((s) => s.channel === 'ORANGE_MONEY' && s.facility === DEMO_RECON_FACILITY && s.occurredAt.startsWith(o.month))!
    const noReceipt: StatementLine = { ...anyOm, reference: 'MPSANSRECU0001', amount: 17350, fee: 174, occurredAt: `${o.month}-12T10:17:00.000Z`, msisdn: '+223 76 55 44 33' }
    o.statements.push(noReceipt)
    plant('STATEMENT_ONLY', null, noReceipt, { fr: 'paiement encaissé sans reçu', en: 'payment received without a receipt' })
    // Settled net of the commission instead of gross.
    const net = pick((x) => hasRef(x) && x.channel === 'ORANGE_MONEY' && x.amount >= 5000)
    const netRow = rowOf.get(net)!
    netRow.amount = net.amount - netRow.fee
    plant('AMOUNT_MISMATCH', net, netRow, { fr: 'réglé net de la commission', en: 'settled net of the commission' })
    // An amount typo: a zero lost on the statement.
    const typo = pick((x) => hasRef(x) && x.amount >= 10000 && x.amount % 10 === 0)
    const typoRow = rowOf.get(typo)!
    typoRow.amount = typo.amount / 10
    plant('AMOUNT_MISMATCH', typo, typoRow, { fr: 'faute de frappe sur le montant', en: 'amount typo' })
    // The same statement line twice.
    const dup = pick((x) => x.amount > 0)
    const dupRow = { ...rowOf.get(dup)! }
    o.statements.push(dupRow)
    plant('DUPLICATE_STATEMENT', null, dupRow, { fr: 'ligne de relevé en double', en: 'duplicated statement line' })
    // The operator says the payment failed; the cashier recorded it as paid.
    const status = pick((x) => hasRef(x) && x.amount > 0)
    const statusRow = rowOf.get(status)!
    statusRow.status = 'FAILED'
    plant('STATUS_MISMATCH', status, statusRow, { fr: 'payé au registre, échoué chez l’opérateur', en: 'paid in the ledger, failed at the operator' })

    // Cash short on two days: a cashier at the Dermatology Hospital, and a whole day at the CHU.
    const cash: PlantedCash[] = []
    const short = (facility: string, fromDay: number, amount: number) => {
        const c = o.counts.find((x) => x.facility === facility && x.date >= `${o.month}-${String(fromDay).padStart(2, '0')}` && x.date.startsWith(o.month) && x.counted >= amount)
        if (!c) throw new Error(`demo reconciliation: no cash count to plant a shortage on at ${facility}`)
        cash.push({ facility, date: c.date, cashier: c.cashier || null, expected: c.counted, counted: c.counted - amount, variance: -amount, flag: 'CASH_SHORT' })
        c.counted -= amount
    }
    short(DEMO_RECON_FACILITY, 5, 2500)
    short('ML-BKO-CHUGT', 19, 5000)
    cash.sort((a, b) => (a.facility < b.facility ? -1 : a.facility > b.facility ? 1 : a.date < b.date ? -1 : 1))
    return { month: o.month, months: [], windowMinutes: 30, items, cash }
}

/**
 * Synthetic cashier ledger for the demo: five Malian facilities over N months, written the way
 * a French Excel export looks (';', UTF-8 BOM, CRLF, French spellings, '12 500' amounts).
 * Deterministic: one seeded PRNG (mulberry32), drawn in a fixed order; no Math.random, no
 * dependence on the host clock or time zone (all facilities are in Africa/Bamako, UTC+0).
 *
 *   node dist/demo/generate-ledger.js --out FILE [--seed 42] [--end 2026-10-31] [--months 24] [--delimiter ,]
 *
 * Deliberately bad rows (DEMO_BAD_ROWS, quarantined by the bridge): an impossible date
 * (2025-02-30), a time 25:10, a fractional amount (2 500,50), a negative amount, an unknown
 * channel (Wave), an unknown service, a negative quantity, a missing transaction_id.
 */
import fs from 'node:fs'
import path from 'node:path'
import { LINE_COLUMNS, PERSONAL_COLUMNS } from '../bridge/ledger/columns'
import { DEMO_FACILITIES, DEMO_PRODUCTS, type DemoFacility, type DemoProduct } from './catalogue'
import { operatorRef } from './operator-refs'

export { DEMO_FACILITIES, DEMO_PRODUCTS, type DemoFacility, type DemoProduct } from './catalogue'

/** docs/contract.md §2 columns, then the personal ones: a cashier export carries them, the bridge drops them (operator_ref and cashier_id: kept as local hashes for reconciliation). */
export const DEMO_HEADER: readonly string[] = [...LINE_COLUMNS, ...PERSONAL_COLUMNS]

/** The rows that must be quarantined, with the column at fault (see the module comment). */
export const DEMO_BAD_ROWS: ReadonlyArray<{ transactionId: string; column: string; why: string }> = [
    { transactionId: 'HD-ERR-1', column: 'occurred_at', why: 'impossible date 2025-02-30 / date impossible' },
    { transactionId: 'HD-ERR-2', column: 'amount_xof', why: 'fractional amount 2 500,50 / montant avec centimes' },
    { transactionId: 'GT-ERR-3', column: 'channel', why: 'unknown channel Wave / moyen de paiement inconnu' },
    { transactionId: 'HD-ERR-4', column: 'quantity', why: 'negative quantity -2 / quantité négative' },
    { transactionId: 'C4-ERR-5', column: 'occurred_at', why: 'impossible time 25:10 / heure impossible' },
    { transactionId: 'SK-ERR-6', column: 'amount_xof', why: 'negative amount -1500 / montant négatif' },
    { transactionId: 'KY-ERR-7', column: 'service', why: 'unknown service Kinésithérapie / service inconnu' },
    { transactionId: '', column: 'transaction_id', why: 'missing transaction_id / identifiant manquant' },
]

export interface DemoLedgerOptions {
    seed: number
    /** YYYY-MM-DD, last day included. */
    endDate: string
    months: number
    facilities?: readonly DemoFacility[]
}

export interface DemoLedger {
    header: string[]
    rows: Record<string, string>[]
}

/** mulberry32: small, fast, good enough for synthetic data, and identical everywhere. */
export function mulberry32(seed: number): () => number {
    let a = seed >>> 0
    return () => {
        a = (a + 0x6d2b79f5) >>> 0
        let t = a
        t = Math.imul(t ^ (t >>> 15), t | 1)
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
}

const DAY = 86_400_000
const pad = (n: number, w = 2) => String(n).padStart(w, '0')

/** YYYY-MM-DD of a UTC instant (the last day is remembered: rows come day by day). */
let lastDay = NaN
let lastDayText = ''
function isoDay(ms: number): string {
    const day = Math.floor(ms / DAY)
    if (day !== lastDay) {
        lastDay = day
        lastDayText = new Date(day * DAY).toISOString().slice(0, 10)
    }
    return lastDayText
}

function localStamp(ms: number): string {
    const s = Math.floor(ms / 1000) % 86_400
    const secs = s < 0 ? s + 86_400 : s
    return `${isoDay(ms)} ${pad(Math.floor(secs / 3600))}:${pad(Math.floor(secs / 60) % 60)}:${pad(secs % 60)}`
}

type Channel = 'CASH' | 'ORANGE_MONEY' | 'MOOV_MONEY' | 'SAMA_MONEY' | 'CARD'

const CHANNEL_SPELLINGS: Record<Channel, readonly string[]> = {
    CASH: ['Espèces', 'Espèces', 'Espèces', 'ESPECES', 'Cash', 'espèces'],
    ORANGE_MONEY: ['OM', 'Orange Money', 'OM', 'orange money'],
    MOOV_MONEY: ['Moov', 'Moov Money'],
    SAMA_MONEY: ['Sama', 'Sama Money'],
    CARD: ['TPE', 'Carte', 'Carte bancaire'],
}

const SERVICE_SPELLINGS = {
    CONSULTATION: ['Consultation', 'Consultation', 'consultations', 'CONSULTATION'],
    EXAM: ['Laboratoire', 'Examens', 'Analyses', 'Imagerie', 'Radiologie', 'Examen'],
    PHARMACY: ['Pharmacie', 'Pharmacie', 'Médicaments', 'PHARMACIE'],
    HOSPITALISATION: ['Hospitalisation', 'hospitalisation'],
    OTHER: ['Autre', 'Autres'],
} as const
type ServiceName = keyof typeof SERVICE_SPELLINGS

/** First day included: the day after `endDate` minus `months` months. */
export function demoStartDate(endDate: string, months: number): string {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(endDate)
    if (!m) throw new Error(`endDate must be YYYY-MM-DD, got ${endDate}`)
    const end = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
    if (isoDay(end) !== endDate) throw new Error(`endDate is not a real date: ${endDate}`)
    const y = Number(m[1])
    const mo = Number(m[2]) - 1 - months
    // Clamp the day to the month (31 March − 1 month → 28/29 February), then the next day.
    const lastOfMonth = new Date(Date.UTC(y, mo + 1, 0)).getUTCDate()
    const back = Date.UTC(y, mo, Math.min(Number(m[3]), lastOfMonth))
    return isoDay(back + DAY)
}

export function generateDemoLedger(opts: DemoLedgerOptions): DemoLedger {
    const rand = mulberry32(opts.seed)
    const facilities = opts.facilities ?? DEMO_FACILITIES
    if (!Number.isInteger(opts.months) || opts.months < 1) throw new Error('months must be an integer ≥ 1')
    const startDay = Date.parse(`${demoStartDate(opts.endDate, opts.months)}T00:00:00Z`)
    const endDay = Date.parse(`${opts.endDate}T00:00:00Z`)
    const span = Math.max(1, endDay - startDay)

    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]
    const between = (lo: number, hi: number, step: number) => lo + Math.floor(rand() * ((hi - lo) / step + 1)) * step
    const chance = (p: number) => rand() < p
    /** Poisson-ish count around a mean (sum of Bernoulli trials). */
    const around = (mean: number) => {
        let n = 0
        const trials = Math.max(1, Math.ceil(mean * 2))
        for (let i = 0; i < trials; i++) if (rand() < mean / trials) n++
        return n
    }
    const amountText = (n: number) => {
        if (n < 1000 || chance(0.45)) return String(n)
        const grouped = String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')
        // Excel in French writes a no-break space or a narrow no-break space; typed files a plain space.
        const r = rand()
        return r < 0.6 ? grouped : r < 0.85 ? grouped.replace(/ /g, '\u00A0') : grouped.replace(/ /g, '\u202F')
    }
    const msisdn = () => `+223 ${pick(['7', '6', '9'])}${Math.floor(rand() * 10)} ${pad(Math.floor(rand() * 100))} ${pad(Math.floor(rand() * 100))} ${pad(Math.floor(rand() * 100))}`

    const rows: Record<string, string>[] = []
    /** Rows to add later in the file: status updates exported the next day, refunds. */
    const later: Array<{ at: number; row: Record<string, string> }> = []
    let refundSeq = 0

    for (let day = startDay; day <= endDay; day += DAY) {
        const t = (day - startDay) / span // 0 → 1 over the period
        const weekday = new Date(day).getUTCDay() // 0 = Sunday
        const todays: Array<{ at: number; row: Record<string, string> }> = []
        for (const f of facilities) {
            const growth = Math.pow(1 + f.growthPerYear, ((day - startDay) / DAY) / 365)
            const weekFactor = weekday === 0 ? 0.45 : weekday === 6 ? 0.7 : 1
            const receipts = around(f.dailyReceipts * growth * weekFactor)
            const mobileShare = f.mobileShareStart + (f.mobileShareEnd - f.mobileShareStart) * t
            // Opening hours 07:30–18:30, a few night admissions; receipt numbers follow the clock.
            const times: number[] = []
            for (let r = 0; r < receipts; r++) {
                const minute = chance(0.04) ? between(19 * 60, 23 * 60 + 59, 1) : between(7 * 60 + 30, 18 * 60 + 30, 1)
                times.push(day + minute * 60_000 + Math.floor(rand() * 60) * 1000)
            }
            times.sort((a, b) => a - b)
            for (let r = 0; r < receipts; r++) {
                const txId = `${f.prefix}-${isoDay(day).replace(/-/g, '')}-${pad(r + 1, 4)}`
                const at = times[r]
                const u = rand()
                const channel: Channel =
                    u < mobileShare ? (rand() < 0.62 ? 'ORANGE_MONEY' : rand() < 0.6 ? 'MOOV_MONEY' : 'SAMA_MONEY') : u < mobileShare + f.cardShare ? 'CARD' : 'CASH'
                const mobile = channel === 'ORANGE_MONEY' || channel === 'MOOV_MONEY' || channel === 'SAMA_MONEY'
                const patient = `P-${f.prefix}${pad(Math.floor(rand() * 1_000_000), 6)}`
                const payer = mobile ? msisdn() : ''
                const cashier = `CAISSE-${pad(1 + Math.floor(rand() * 4))}`

                // What the receipt pays for.
                const lines: Array<{ service: ServiceName; amount: number; product?: DemoProduct; quantity?: number }> = []
                const kind = rand()
                if (kind < 0.42) {
                    const exempt = chance(0.03) // indigent: 0-FCFA consultation
                    lines.push({ service: 'CONSULTATION', amount: exempt ? 0 : between(2000, 5000, 500) })
                    if (chance(0.45)) lines.push(...pharmacyLines())
                } else if (kind < 0.62) {
                    const exams = chance(0.3) ? 2 : 1
                    for (let i = 0; i < exams; i++) lines.push({ service: 'EXAM', amount: between(5000, 40000, 500) })
                } else if (kind < 0.92) {
                    lines.push(...pharmacyLines())
                } else if (kind < 0.96) {
                    lines.push({ service: 'HOSPITALISATION', amount: between(25000, 150000, 2500) })
                } else {
                    lines.push({ service: 'OTHER', amount: between(500, 3000, 500) })
                }
                function pharmacyLines() {
                    const n = 1 + Math.floor(rand() * 3)
                    const out: typeof lines = []
                    const used = new Set<string>()
                    for (let i = 0; i < n; i++) {
                        const p = pick(DEMO_PRODUCTS)
                        if (used.has(p.code)) continue
                        used.add(p.code)
                        const q = pick(p.quantities)
                        out.push({ service: 'PHARMACY', amount: Math.round((q * p.unitPrice) / 5) * 5, product: p, quantity: q })
                    }
                    return out
                }

                const stamp = chance(0.12) ? `${isoDay(at)}T${localStamp(at).slice(11)}Z` : localStamp(at)
                const row = (lineNo: number, l: (typeof lines)[number], ch: Channel, status: string, when: string, updatedAt = ''): Record<string, string> => ({
                    transaction_id: txId,
                    line_no: String(lineNo),
                    occurred_at: when,
                    updated_at: updatedAt,
                    facility_code: f.code,
                    channel: pick(CHANNEL_SPELLINGS[ch]),
                    service: pick(SERVICE_SPELLINGS[l.service]),
                    amount_xof: amountText(l.amount),
                    type: 'PAYMENT',
                    status,
                    product_code: l.product?.code ?? '',
                    product_name: l.product?.name ?? '',
                    quantity: l.quantity !== undefined ? String(l.quantity) : '',
                    unit: l.product?.unit ?? '',
                    payer_msisdn: ch === channel ? payer : ch === 'CASH' || ch === 'CARD' ? '' : msisdn(),
                    patient_id: patient,
                    cashier_id: cashier,
                    receipt_no: `REC-${txId}`,
                    operator_ref: operatorRef(txId, ch),
                })

                let lineNo = 1
                let payChannel = channel
                let payAt = at
                if (mobile && chance(0.09)) {
                    // A failed or expired mobile money attempt, then a retry in the same transaction:
                    // same channel a few minutes later, or cash / another operator.
                    const status = chance(0.6) ? 'FAILED' : 'EXPIRED'
                    for (const l of lines) todays.push({ at, row: row(lineNo++, l, channel, status, localStamp(at)) })
                    if (chance(0.08)) continue // the patient gave up: counts as a failed payment only
                    payChannel = chance(0.65) ? channel : chance(0.7) ? 'CASH' : channel === 'ORANGE_MONEY' ? 'MOOV_MONEY' : 'ORANGE_MONEY'
                    payAt = at + between(2, 25, 1) * 60_000
                }
                const pending = mobile && payChannel === channel && chance(0.015)
                const resolvedLater = pending && chance(0.6)
                for (const l of lines) {
                    const when = payAt === at ? stamp : localStamp(payAt)
                    if (pending) {
                        todays.push({ at: payAt, row: row(lineNo, l, payChannel, 'PENDING', when, localStamp(payAt)) })
                        // The operator confirms the next day; the next export holds the new version.
                        if (resolvedLater) later.push({ at: payAt + DAY, row: row(lineNo, l, payChannel, 'SUCCESS', when, localStamp(payAt + DAY / 2)) })
                    } else {
                        todays.push({ at: payAt, row: row(lineNo, l, payChannel, 'SUCCESS', when) })
                    }
                    lineNo++
                }
                // A card or mobile payment reversed by the operator a few days later.
                const reversed = !pending && payChannel !== 'CASH' && chance(0.004)
                if (reversed) {
                    const l = lines[0]
                    later.push({ at: payAt + 3 * DAY, row: row(lineNo - lines.length, l, payChannel, 'REVERSED', localStamp(payAt), localStamp(payAt + 3 * DAY)) })
                }
                // Goods returned or an overcharge refunded, with its own receipt. Medicines come back
                // at the counter the same day (so a day never returns more than it sold); other
                // refunds may take up to three days.
                if (!pending && !reversed && chance(0.012)) {
                    const l = lines[lines.length - 1]
                    if (l.amount > 0) {
                        const endOfDay = Math.floor(payAt / DAY) * DAY + DAY - 60_000
                        const refundAt = l.product ? Math.min(payAt + between(5, 120, 5) * 60_000, endOfDay) : payAt + between(1, 72, 1) * 3_600_000
                        const rid = `${f.prefix}-RB-${pad(++refundSeq, 5)}`
                        const partialQty = l.quantity !== undefined ? Math.max(1, Math.floor(l.quantity / 2)) : undefined
                        const refundAmount = l.product && partialQty !== undefined ? Math.round((partialQty * l.product.unitPrice) / 5) * 5 : l.amount
                        later.push({
                            at: refundAt,
                            row: {
                                ...row(1, { ...l, amount: refundAmount, quantity: partialQty }, payChannel, 'SUCCESS', localStamp(refundAt)),
                                transaction_id: rid,
                                type: 'REFUND',
                                receipt_no: `REC-${rid}`,
                                operator_ref: operatorRef(rid, payChannel),
                            },
                        })
                    }
                }
            }
        }
        // Rows scheduled for today (status updates, refunds) go after today's receipts.
        const due = later.filter((x) => x.at < day + DAY)
        for (let i = later.length - 1; i >= 0; i--) if (later[i].at < day + DAY) later.splice(i, 1)
        todays.sort((a, b) => a.at - b.at)
        for (const x of todays) rows.push(x.row)
        for (const x of due.sort((a, b) => a.at - b.at)) rows.push(x.row)
        // Overlapping exports: now and then a row is exported twice, unchanged.
        if (todays.length && chance(0.15)) rows.push({ ...todays[Math.floor(rand() * todays.length)].row })
    }
    for (const x of later.filter((x) => x.at <= endDay + DAY).sort((a, b) => a.at - b.at)) rows.push(x.row)

    insertBadRows(rows, startDay, endDay, rand)
    return { header: [...DEMO_HEADER], rows }
}

function insertBadRows(rows: Record<string, string>[], startDay: number, endDay: number, rand: () => number): void {
    const base = (transactionId: string, facility: string, at: number): Record<string, string> => ({
        transaction_id: transactionId,
        line_no: '1',
        occurred_at: localStamp(at),
        updated_at: '',
        facility_code: facility,
        channel: 'Espèces',
        service: 'Consultation',
        amount_xof: '3 000',
        type: 'PAYMENT',
        status: 'SUCCESS',
        product_code: '',
        product_name: '',
        quantity: '',
        unit: '',
        payer_msisdn: '',
        patient_id: 'P-ERR000',
        cashier_id: 'CAISSE-01',
        receipt_no: `REC-${transactionId || 'SANS-NUMERO'}`,
    })
    const bad: Record<string, string>[] = []
    const when = (i: number) => startDay + Math.floor(((endDay - startDay) / DAY) * ((i + 1) / (DEMO_BAD_ROWS.length + 1))) * DAY + 10 * 3_600_000
    const facilityOf = (id: string) => DEMO_FACILITIES.find((f) => id.startsWith(`${f.prefix}-`))?.code ?? 'ML-BKO-HDB'
    DEMO_BAD_ROWS.forEach((b, i) => {
        const r = base(b.transactionId, facilityOf(b.transactionId), when(i))
        switch (i) {
            case 0:
                r.occurred_at = '2025-02-30 10:15:00'
                break
            case 1:
                r.amount_xof = '2 500,50'
                break
            case 2:
                r.channel = 'Wave'
                break
            case 3:
                Object.assign(r, { service: 'Pharmacie', product_code: 'PARA500T', product_name: 'Paracétamol 500 mg comprimé', quantity: '-2', unit: 'comprimé', amount_xof: '50' })
                break
            case 4:
                r.occurred_at = `${r.occurred_at.slice(0, 10)} 25:10`
                break
            case 5:
                r.amount_xof = '-1500'
                break
            case 6:
                r.service = 'Kinésithérapie'
                break
            case 7:
                break
        }
        bad.push(r)
    })
    // Spread them through the file, at positions drawn from the same PRNG.
    for (const r of bad) rows.splice(Math.floor(rand() * (rows.length + 1)), 0, r)
}

export interface CsvWriteOptions {
    delimiter?: ';' | ','
    bom?: boolean
    lineEnd?: '\r\n' | '\n'
}

function csvCell(value: string, delimiter: string): string {
    return /["\r\n]/.test(value) || value.includes(delimiter) ? `"${value.replace(/"/g, '""')}"` : value
}

/** The ledger as CSV text: ';', BOM and CRLF by default, as a French Excel "CSV UTF-8" export. */
export function demoLedgerCsv(ledger: DemoLedger, opts: CsvWriteOptions = {}): string {
    const d = opts.delimiter ?? ';'
    const eol = opts.lineEnd ?? '\r\n'
    const out: string[] = [ledger.header.map((h) => csvCell(h, d)).join(d)]
    for (const row of ledger.rows) out.push(ledger.header.map((h) => csvCell(row[h] ?? '', d)).join(d))
    return `${opts.bom === false ? '' : '\uFEFF'}${out.join(eol)}${eol}`
}

export function writeDemoLedgerCsv(file: string, opts: DemoLedgerOptions & CsvWriteOptions): { rows: number } {
    const ledger = generateDemoLedger(opts)
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
    fs.writeFileSync(file, demoLedgerCsv(ledger, opts), 'utf8')
    return { rows: ledger.rows.length }
}

/** Yesterday in Bamako (UTC+0, no daylight saving). */
function yesterday(): string {
    return isoDay(Date.now() - DAY)
}

/** The CLI, testable: returns the exit code. */
export function generateLedgerCli(argv: string[]): number {
    const arg = (name: string) => {
        const i = argv.indexOf(name)
        return i >= 0 ? argv[i + 1] : undefined
    }
    const out = arg('--out')
    if (!out || argv.includes('--help')) {
        process.stderr.write('Usage: node dist/demo/generate-ledger.js --out FILE [--seed 42] [--end YYYY-MM-DD] [--months 24] [--delimiter ;|,]\n')
        return out ? 0 : 2
    }
    const seed = Number(arg('--seed') ?? 42)
    const months = Number(arg('--months') ?? 24)
    const endDate = arg('--end') ?? yesterday()
    const delimiter = (arg('--delimiter') ?? ';') as ';' | ','
    if (!Number.isInteger(seed) || !Number.isInteger(months) || months < 1 || !/^\d{4}-\d{2}-\d{2}$/.test(endDate) || ![';', ','].includes(delimiter)) {
        process.stderr.write('Arguments invalides / invalid arguments: --seed INT --months INT≥1 --end YYYY-MM-DD --delimiter ; or ,\n')
        return 2
    }
    const { rows } = writeDemoLedgerCsv(out, { seed, endDate, months, delimiter })
    process.stderr.write(`${rows} lignes écrites dans ${out} / ${rows} rows written to ${out} (${DEMO_BAD_ROWS.length} volontairement invalides / deliberately invalid)\n`)
    return 0
}

if (require.main === module) process.exit(generateLedgerCli(process.argv.slice(2)))

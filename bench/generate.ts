/**
 * Benchmark ledgers: canonical CSV (docs/contract.md §2 column names and codes, ',' delimiter, LF, no BOM),
 * written as a stream so that 5 M lines never sit in memory. Deterministic: one mulberry32 PRNG
 * drawn in a fixed order, no host clock, no time zone (Africa/Bamako is UTC+0).
 *
 * The base ledger holds each line identity (transaction_id, line_no) once, in chronological
 * order, like a year of daily exports concatenated. That keeps the plain per-key sums of the
 * awk reference equal to the docs/contract.md §3 GROSS / REFUNDS totals, so the benchmark can check that
 * the awk pass and the bridge's pass agree before it compares their speeds.
 *
 * The delta ledger is "1 % of lines changed or added": half are new versions of existing lines
 * (a later updated_at with a new status or amount), half are new transactions dated the day
 * after the base ledger ends.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { LINE_COLUMNS } from '../bridge/ledger/columns'
import { DEMO_HEADER, DEMO_PRODUCTS, mulberry32 } from '../demo/generate-ledger'

/** The demo's header: the docs/contract.md §2 columns and four personal ones (dropped at the door, but read). */
/** The demo's columns without operator_ref (the bench ledger has none: reconciliation pairs by amount and time). */
export const BENCH_HEADER = DEMO_HEADER.filter((c) => c !== 'operator_ref')

export interface BenchLedgerOptions {
    lines: number
    seed: number
    facilities: number
    /** YYYY-MM-DD, last day of the ledger. */
    endDate: string
    /** Number of days covered, ending at endDate. */
    days: number
}

export const BENCH_DEFAULTS: Omit<BenchLedgerOptions, 'lines'> = { seed: 20261015, facilities: 40, endDate: '2026-10-15', days: 730 }

export interface BenchFacility {
    code: string
    name: string
    weight: number
}

/** ML-BEN-H001… under a "Région de bench" org unit; a few large hospitals, many smaller ones. */
export function benchFacilities(n: number): BenchFacility[] {
    return Array.from({ length: n }, (_, i) => ({
        code: `ML-BEN-H${String(i + 1).padStart(3, '0')}`,
        name: `Hôpital de bench ${i + 1}`,
        weight: 1 + (i % 7) * (i % 3 === 0 ? 2 : 1),
    }))
}

const DAY = 86_400_000
const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n))
const CHANNELS = ['CASH', 'ORANGE_MONEY', 'MOOV_MONEY', 'SAMA_MONEY', 'CARD', 'OTHER'] as const
const CHANNEL_CUM = [0.55, 0.75, 0.85, 0.9, 0.97, 1]
const SERVICES = ['CONSULTATION', 'EXAM', 'PHARMACY', 'HOSPITALISATION', 'OTHER'] as const
const SERVICE_CUM = [0.35, 0.55, 0.9, 0.96, 1]
const STATUSES = ['SUCCESS', 'FAILED', 'EXPIRED', 'PENDING', 'CANCELLED', 'REVERSED'] as const
const STATUS_CUM = [0.95, 0.97, 0.98, 0.99, 0.995, 1]

function cumPick<T>(values: readonly T[], cum: readonly number[], r: number): T {
    for (let i = 0; i < cum.length; i++) if (r < cum[i]) return values[i]
    return values[values.length - 1]
}

/** One generated row, by column. */
export type BenchRow = Record<(typeof LINE_COLUMNS)[number] | 'payer_msisdn' | 'patient_id' | 'cashier_id' | 'receipt_no', string>

function dayText(ms: number): string {
    return new Date(ms).toISOString().slice(0, 10)
}

/**
 * The base ledger as rows, in order. A generator so that callers stream it; the same options
 * always give the same rows (the delta relies on it to find the lines it changes).
 */
export function* benchRows(opts: BenchLedgerOptions): Generator<BenchRow> {
    const rand = mulberry32(opts.seed)
    const facilities = benchFacilities(opts.facilities)
    const totalWeight = facilities.reduce((s, f) => s + f.weight, 0)
    const cumWeights: number[] = []
    let acc = 0
    for (const f of facilities) cumWeights.push((acc += f.weight / totalWeight))
    const end = Date.parse(`${opts.endDate}T00:00:00Z`)
    if (Number.isNaN(end)) throw new Error(`endDate must be YYYY-MM-DD, got ${opts.endDate}`)
    const start = end - (opts.days - 1) * DAY
    // ~1.6 lines per transaction: spread the transactions evenly over the days.
    const perDay = opts.lines / opts.days
    let emitted = 0
    let seq = 0
    for (let d = 0; d < opts.days && emitted < opts.lines; d++) {
        const day = start + d * DAY
        const date = dayText(day)
        const compact = date.replace(/-/g, '')
        const target = d === opts.days - 1 ? opts.lines : Math.min(opts.lines, Math.round(perDay * (d + 1)))
        // Times of the day's rows grow with the row index, so the ledger stays chronological.
        const count = target - emitted
        let i = 0
        while (emitted < target) {
            const f = facilities[cumIndex(cumWeights, rand())]
            const channel = cumPick(CHANNELS, CHANNEL_CUM, rand())
            const refund = rand() < 0.01
            const nLines = refund ? 1 : Math.min(target - emitted, rand() < 0.6 ? 1 : rand() < 0.6 ? 2 : 3)
            const status = refund ? 'SUCCESS' : cumPick(STATUSES, STATUS_CUM, rand())
            const secs = Math.floor(7.5 * 3600 + ((i + 0.5) / Math.max(1, count)) * 11 * 3600)
            const time = `${pad2(Math.floor(secs / 3600))}:${pad2(Math.floor(secs / 60) % 60)}:${pad2(secs % 60)}`
            const form = rand()
            const occurredAt = form < 0.7 ? `${date}T${time}` : form < 0.88 ? `${date} ${time}` : `${date}T${time}Z`
            const txId = `${refund ? 'RB' : 'TX'}-${f.code.slice(-4)}-${compact}-${String(++seq).padStart(7, '0')}`
            const mobile = channel === 'ORANGE_MONEY' || channel === 'MOOV_MONEY' || channel === 'SAMA_MONEY'
            const payer = mobile ? `+223 7${Math.floor(rand() * 10)} ${pad2(Math.floor(rand() * 100))} ${pad2(Math.floor(rand() * 100))} ${pad2(Math.floor(rand() * 100))}` : ''
            const patient = `P-${String(Math.floor(rand() * 1_000_000)).padStart(6, '0')}`
            const cashier = `CAISSE-0${1 + Math.floor(rand() * 4)}`
            for (let l = 1; l <= nLines; l++) {
                const service = cumPick(SERVICES, SERVICE_CUM, rand())
                let amount: number
                let product: (typeof DEMO_PRODUCTS)[number] | null = null
                let quantity = ''
                if (service === 'PHARMACY') {
                    product = DEMO_PRODUCTS[Math.floor(rand() * DEMO_PRODUCTS.length)]
                    const q = product.quantities[Math.floor(rand() * product.quantities.length)]
                    quantity = String(q)
                    amount = q * product.unitPrice
                } else if (service === 'HOSPITALISATION') {
                    amount = 25_000 + Math.floor(rand() * 50) * 2_500
                } else if (service === 'EXAM') {
                    amount = 5_000 + Math.floor(rand() * 70) * 500
                } else if (service === 'CONSULTATION') {
                    amount = rand() < 0.03 ? 0 : 2_000 + Math.floor(rand() * 7) * 500
                } else {
                    amount = 500 + Math.floor(rand() * 6) * 500
                }
                yield {
                    transaction_id: txId,
                    line_no: String(l),
                    occurred_at: occurredAt,
                    updated_at: '',
                    facility_code: f.code,
                    channel,
                    service,
                    amount_xof: String(amount),
                    type: refund ? 'REFUND' : 'PAYMENT',
                    status,
                    product_code: product?.code ?? '',
                    product_name: product?.name ?? '',
                    quantity,
                    unit: product?.unit ?? '',
                    payer_msisdn: payer,
                    patient_id: patient,
                    cashier_id: cashier,
                    receipt_no: `REC-${txId}`,
                }
                emitted++
                i++
            }
        }
    }
}

function cumIndex(cum: readonly number[], r: number): number {
    let lo = 0
    let hi = cum.length - 1
    while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (r < cum[mid]) hi = mid
        else lo = mid + 1
    }
    return lo
}

export function rowText(row: BenchRow): string {
    // No generated value holds ',', '"' or a line end: no quoting needed (the awk reference relies on it).
    let s = row.transaction_id
    for (let i = 1; i < BENCH_HEADER.length; i++) s += `,${row[BENCH_HEADER[i] as keyof BenchRow]}`
    return s
}

/** Write rows to a file through a buffered stream; resolves with the row count and size. */
export async function writeRows(file: string, rows: Iterable<BenchRow>): Promise<{ rows: number; bytes: number }> {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true })
    const tmp = `${file}.tmp`
    const out = fs.createWriteStream(tmp, { highWaterMark: 1 << 20 })
    let n = 0
    let pending = `${BENCH_HEADER.join(',')}\n`
    const flush = async () => {
        if (!out.write(pending)) await new Promise<void>((r) => out.once('drain', () => r()))
        pending = ''
    }
    for (const row of rows) {
        pending += `${rowText(row)}\n`
        n++
        if (pending.length > 1 << 20) await flush()
    }
    await flush()
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())))
    fs.renameSync(tmp, file)
    return { rows: n, bytes: fs.statSync(file).size }
}

export interface DeltaOptions {
    /** Share of the base lines: half changed, half added (0.01 = 1 %). */
    share: number
    /**
     * Where the changed lines are: 'recent' = status updates and corrections of the last 14
     * days (what an operator or a cashier system sends back); 'uniform' = anywhere in the
     * history (worst case: most periods must be recomputed).
     */
    spread: 'recent' | 'uniform'
}

/**
 * The delta ledger: new versions of existing lines (updated_at the day after the base ledger
 * ends: PENDING → SUCCESS, SUCCESS → REVERSED, amounts corrected) and new transactions dated
 * that day. Drawn with its own PRNG from the same base rows.
 */
export function* deltaRows(base: BenchLedgerOptions, opts: DeltaOptions): Generator<BenchRow> {
    const rand = mulberry32(base.seed ^ 0x5eed)
    const changed = Math.round((base.lines * opts.share) / 2)
    const added = Math.round(base.lines * opts.share) - changed
    const end = Date.parse(`${base.endDate}T00:00:00Z`)
    const next = dayText(end + DAY)
    // Rows come day by day, day d ending at row round(lines / days × (d + 1)): the last 14 days start here.
    const first = opts.spread === 'recent' ? Math.round((base.lines / base.days) * Math.max(0, base.days - 14)) : 0
    // Selection sampling (Knuth's algorithm S): exactly `changed` rows, evenly drawn from the eligible ones.
    let eligible = base.lines - first
    let needed = Math.min(changed, eligible)
    let index = -1
    let made = 0
    for (const row of benchRows(base)) {
        if (++index < first) continue
        if (needed === 0) break
        const take = rand() * eligible < needed
        eligible--
        if (!take) continue
        needed--
        made++
        const r = rand()
        const v: BenchRow = { ...row, updated_at: `${next}T09:${pad2(made % 60)}:00` }
        if (row.status === 'PENDING' || row.status === 'FAILED') v.status = 'SUCCESS'
        else if (r < 0.5) v.status = 'REVERSED'
        else if (r < 0.8) v.amount_xof = String(Number(row.amount_xof) + 500)
        else v.status = 'CANCELLED'
        yield v
    }
    // New transactions of the next day, shaped like the base ones.
    const fresh = benchRows({ ...base, seed: base.seed + 1, lines: added, days: 1, endDate: next })
    for (const row of fresh) yield { ...row, transaction_id: `N${row.transaction_id}`, receipt_no: `REC-N${row.transaction_id}` }
}

/** Base and delta file names under dir, for a given size. */
export function benchFiles(dir: string, lines: number, spread: DeltaOptions['spread'] = 'recent') {
    return { base: path.join(dir, `ledger-${lines}.csv`), delta: path.join(dir, `delta-${lines}-${spread}.csv`) }
}

/** Generate the files once (kept across runs: same seed, same bytes). */
/** Bumped whenever deltaRows changes its output, so that kept delta files are written again. */
const DELTA_VERSION = 2

export async function ensureBenchFiles(dir: string, opts: BenchLedgerOptions, delta?: DeltaOptions): Promise<{ base: string; delta: string | null; generatedMs: number }> {
    const files = benchFiles(dir, opts.lines, delta?.spread)
    const started = Date.now()
    const stamp = `${files.base}.opts.json`
    const want = JSON.stringify(opts)
    if (!fs.existsSync(files.base) || !fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== want) {
        await writeRows(files.base, benchRows(opts))
        fs.writeFileSync(stamp, want)
    }
    if (delta) {
        const dstamp = `${files.delta}.opts.json`
        const dwant = JSON.stringify({ DELTA_VERSION, opts, delta })
        if (!fs.existsSync(files.delta) || !fs.existsSync(dstamp) || fs.readFileSync(dstamp, 'utf8') !== dwant) {
            await writeRows(files.delta, deltaRows(opts, delta))
            fs.writeFileSync(dstamp, dwant)
        }
    }
    return { base: files.base, delta: delta ? files.delta : null, generatedMs: Date.now() - started }
}

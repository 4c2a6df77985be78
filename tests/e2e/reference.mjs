/**
 * The figures a ledger implies, computed independently of the bridge and the app, straight from
 * docs/contract.md §2 (reading and validating rows, which version of a line wins) and §3 (what each data
 * element counts). Small and slow on purpose: a second opinion, not a second implementation.
 * Facilities are in Africa/Bamako (UTC+0, no daylight saving), so local time = UTC.
 */

const DAYS_IN_MONTH = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate()

/** ISO 8601 local date-time (offset optional) → epoch ms, or null when malformed or impossible. */
export function parseDateTime(text) {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim())
    if (!m) return null
    const [y, mo, d, h = 0, mi = 0, s = 0] = m.slice(1, 7).map((x) => (x === undefined ? undefined : Number(x)))
    if (mo < 1 || mo > 12 || d < 1 || d > DAYS_IN_MONTH(y, mo) || h > 23 || mi > 59 || s > 59) return null
    let offsetMin = 0 // Africa/Bamako
    if (m[7] && m[7] !== 'Z') {
        const o = /^([+-])(\d{2}):?(\d{2})$/.exec(m[7])
        offsetMin = (o[1] === '-' ? -1 : 1) * (Number(o[2]) * 60 + Number(o[3]))
    }
    return Date.UTC(y, mo - 1, d, h, mi, s) - offsetMin * 60_000
}

/** Whole FCFA ≥ 0: `12500`, `12 500` (space, U+00A0, U+202F), `12500,00`, `12.500`. */
export function parseAmount(text) {
    const t = text.replace(/[ \u00a0\u202f]/g, '')
    if (/^\d+$/.test(t)) return Number(t)
    if (/^\d+,0+$/.test(t)) return Number(t.split(',')[0])
    if (/^\d{1,3}(\.\d{3})+$/.test(t)) return Number(t.replace(/\./g, ''))
    return null
}

const fold = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').trim().toLowerCase().replace(/\s+/g, ' ')

const CHANNEL_ALIASES = {
    CASH: ['cash', 'especes', 'liquide'],
    ORANGE_MONEY: ['orange_money', 'om', 'orange money', 'orange'],
    MOOV_MONEY: ['moov_money', 'moov', 'moov money', 'flooz'],
    SAMA_MONEY: ['sama_money', 'sama', 'sama money'],
    CARD: ['card', 'carte', 'carte bancaire', 'tpe', 'visa', 'gab'],
    OTHER: ['other', 'autre'],
}
const SERVICE_ALIASES = {
    CONSULTATION: ['consultation', 'consultations'],
    EXAM: ['exam', 'examen', 'examens', 'laboratoire', 'analyse', 'analyses', 'imagerie', 'radiologie'],
    PHARMACY: ['pharmacy', 'pharmacie', 'medicament', 'medicaments'],
    HOSPITALISATION: ['hospitalisation'],
    OTHER: ['other', 'autre', 'autres'],
}
const lookup = (aliases, text) => Object.keys(aliases).find((code) => aliases[code].includes(fold(text))) ?? null

const STATUSES = ['SUCCESS', 'PENDING', 'FAILED', 'EXPIRED', 'CANCELLED', 'REVERSED']

/** One CSV row → a line, or `{ error: column }` (the row is quarantined). */
export function readRow(r) {
    const bad = (column) => ({ error: column })
    const txId = (r.transaction_id ?? '').trim()
    if (!txId) return bad('transaction_id')
    const lineNoText = (r.line_no ?? '').trim() || '1'
    if (!/^\d+$/.test(lineNoText) || Number(lineNoText) < 1) return bad('line_no')
    const at = parseDateTime(r.occurred_at ?? '')
    if (at === null) return bad('occurred_at')
    const updated = (r.updated_at ?? '').trim() ? parseDateTime(r.updated_at) : undefined
    if (updated === null) return bad('updated_at')
    const facility = (r.facility_code ?? '').trim()
    if (!facility) return bad('facility_code')
    const channel = lookup(CHANNEL_ALIASES, r.channel ?? '')
    if (!channel) return bad('channel')
    const service = lookup(SERVICE_ALIASES, r.service ?? '')
    if (!service) return bad('service')
    const amount = parseAmount(r.amount_xof ?? '')
    if (amount === null) return bad('amount_xof')
    const type = (r.type ?? '').trim().toUpperCase() || 'PAYMENT'
    if (type !== 'PAYMENT' && type !== 'REFUND') return bad('type')
    const status = (r.status ?? '').trim().toUpperCase() || 'SUCCESS'
    if (!STATUSES.includes(status)) return bad('status')
    const q = (r.quantity ?? '').trim()
    if (q && !(Number(q.replace(',', '.')) > 0)) return bad('quantity')
    return { line: { txId, lineNo: Number(lineNoText), at, updated, facility, channel, service, amount, type, status } }
}

const monthOf = (ms) => new Date(ms).toISOString().slice(0, 4) + new Date(ms).toISOString().slice(5, 7)

/**
 * Reads rows in file order. Returns the latest version of every line, the quarantined rows (with
 * their facility code as written, and the column at fault) and how many rows each facility had.
 */
export function readLedger(rows) {
    const lines = new Map()
    const quarantined = []
    const rowsPerFacility = new Map()
    for (const r of rows) {
        const code = r.facility_code ?? ''
        rowsPerFacility.set(code, (rowsPerFacility.get(code) ?? 0) + 1)
        const got = readRow(r)
        if (got.error) {
            quarantined.push({ facility: code, column: got.error, transactionId: r.transaction_id })
            continue
        }
        const key = `${got.line.txId}\u0000${got.line.lineNo}`
        const prev = lines.get(key)
        // Both dated: the later updated_at (a tie goes to the row seen later); otherwise the later row.
        if (!prev || prev.updated === undefined || got.line.updated === undefined || got.line.updated >= prev.updated) lines.set(key, got.line)
    }
    return { lines: [...lines.values()], quarantined, rowsPerFacility }
}

const EMPTY = () => ({ gross: 0, refunds: 0, payments: 0, failed: 0 })

/**
 * docs/contract.md §3 totals, keyed `facility|YYYYMM|channel`. Gross and refunds: SUCCESS lines by their own
 * period. An attempt (transaction_id, channel) counts once: as a payment in the period of its
 * earliest SUCCESS payment line, else as a failure in the period of its earliest line if one is
 * FAILED or EXPIRED.
 */
export function aggregate(lines) {
    const cells = new Map()
    const cell = (facility, pe, channel) => {
        const k = `${facility}|${pe}|${channel}`
        if (!cells.has(k)) cells.set(k, EMPTY())
        return cells.get(k)
    }
    const attempts = new Map()
    for (const l of lines) {
        if (l.status === 'SUCCESS' && l.type === 'PAYMENT') cell(l.facility, monthOf(l.at), l.channel).gross += l.amount
        if (l.status === 'SUCCESS' && l.type === 'REFUND') cell(l.facility, monthOf(l.at), l.channel).refunds += l.amount
        if (l.type !== 'PAYMENT') continue
        const k = `${l.txId}\u0000${l.channel}`
        if (!attempts.has(k)) attempts.set(k, [])
        attempts.get(k).push(l)
    }
    for (const list of attempts.values()) {
        const earliest = (xs) => xs.reduce((a, b) => (b.at < a.at ? b : a))
        const ok = list.filter((l) => l.status === 'SUCCESS')
        if (ok.length) {
            const e = earliest(ok)
            cell(e.facility, monthOf(e.at), e.channel).payments++
        } else if (list.some((l) => l.status === 'FAILED' || l.status === 'EXPIRED')) {
            const e = earliest(list)
            cell(e.facility, monthOf(e.at), e.channel).failed++
        }
    }
    return cells
}

/** Sum of the cells matching facilities (codes), months (YYYYMM) and channels (all when omitted). */
export function total(cells, { facilities, months, channels }) {
    const t = EMPTY()
    for (const [k, v] of cells) {
        const [f, pe, ch] = k.split('|')
        if ((facilities && !facilities.includes(f)) || (months && !months.includes(pe)) || (channels && !channels.includes(ch))) continue
        t.gross += v.gross
        t.refunds += v.refunds
        t.payments += v.payments
        t.failed += v.failed
    }
    return t
}

/** `1 234 567 FCFA`, French grouping with plain spaces (compare after normalising the page's spaces). */
export const fcfa = (n) => `${String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')} FCFA`
export const frInt = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ')
export const enInt = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')

/** "+12,3 %", "68 %", "-1,5 %" (fr) → 0.123 etc.; null when not a percentage. */
export function parsePercent(text) {
    const m = /([+-]?\d+(?:[.,]\d+)?)\s*%/.exec(text.replace(/[\u00a0\u202f]/g, ' ').replace(/\u2212/g, '-'))
    return m ? Number(m[1].replace(',', '.')) / 100 : null
}

import { LINE_COLUMNS } from './columns'
import { readCsvLedgerFromString, type LedgerItem } from './csv-source'
import { fastLine } from './fast-row'
import { normaliseCells, READ_COLUMNS, type NormaliseContext } from './normalise'

/** The fast path (a line read whole) against the general one (split, normaliseCells): same line, or it steps aside. */

const HEADER = [...LINE_COLUMNS, 'payer_msisdn', 'patient_id', 'cashier_id', 'receipt_no', 'operator_ref']
const zones: Record<string, string> = { 'FR-PAR': 'Europe/Paris', 'IN-DEL': 'Asia/Kolkata', 'XX-BAD': 'Mars/Olympus' }
const plain: NormaliseContext = { zoneFor: (f) => zones[f] ?? 'Africa/Bamako' }
const keyed: NormaliseContext = { ...plain, matchKey: (v) => `k(${v})` }
const aliased: NormaliseContext = { ...plain, channelAliases: { cash: 'CARD', 'mobile pay': 'ORANGE_MONEY' }, serviceAliases: { pharma: 'PHARMACY' } }

/** One row of the header above, from the values that differ from a plain consultation. */
function row(v: Partial<Record<string, string>> = {}): string {
    const base: Record<string, string> = {
        transaction_id: 'TX-1',
        line_no: '1',
        occurred_at: '2024-10-16T07:30:14',
        facility_code: 'ML-BKO-H01',
        channel: 'CASH',
        service: 'CONSULTATION',
        amount_xof: '4500',
        type: 'PAYMENT',
        status: 'SUCCESS',
        patient_id: 'P-1',
        cashier_id: 'CAISSE-02',
        operator_ref: 'OM-778',
    }
    return HEADER.map((c) => (c in v ? v[c] : (base[c] ?? ''))).join(',')
}

const AWKWARD: string[] = [
    row(),
    row({ occurred_at: '2024-10-16 07:30:14' }),
    row({ occurred_at: '2024-10-16T07:30:14Z', updated_at: '2024-10-17t08:00:00z' }),
    row({ occurred_at: '2024-10-16' }),
    row({ occurred_at: '2024-10-16T07:30' }),
    row({ occurred_at: '2024-10-16T07:30:14.250' }),
    row({ occurred_at: '2024-10-16T07:30:14+01:00' }),
    row({ occurred_at: '2024-02-30T07:30:14' }),
    row({ occurred_at: '2023-02-29 10:00:00' }),
    row({ occurred_at: '2024-02-29 10:00:00' }),
    row({ occurred_at: '2024-10-16T24:00:00' }),
    row({ occurred_at: '2024-13-01T10:00:00' }),
    row({ occurred_at: '16/10/2024 07:30' }),
    row({ occurred_at: ' 2024-10-16T07:30:14' }),
    row({ occurred_at: '2024-10-16T07:30:14\u00a0' }),
    row({ occurred_at: '' }),
    row({ updated_at: '2024-10-16T07:30:6' }),
    row({ updated_at: '   ' }),
    // Time zones: DST-free Bamako, Paris across its spring gap and autumn overlap, a half-hour zone, an unknown one.
    row({ facility_code: 'FR-PAR', occurred_at: '2024-03-31T02:30:00' }),
    row({ facility_code: 'FR-PAR', occurred_at: '2024-10-27T02:30:00' }),
    row({ facility_code: 'FR-PAR', occurred_at: '2024-07-01 23:59:59' }),
    row({ facility_code: 'IN-DEL', occurred_at: '2024-07-01 23:59:59' }),
    row({ facility_code: 'XX-BAD', occurred_at: '2024-07-01 10:00:00' }),
    row({ facility_code: 'XX-BAD', occurred_at: '2024-07-01 10:00:00Z' }),
    row({ facility_code: ' ML-BKO-H01' }),
    row({ facility_code: '' }),
    row({ transaction_id: '' }),
    row({ transaction_id: 'TX-É1' }),
    row({ transaction_id: 'ÉTX-1é' }),
    row({ transaction_id: '\u00a0TX-1' }),
    row({ transaction_id: 'TX-1\t' }),
    // Amounts and numbers.
    row({ amount_xof: '0' }),
    row({ amount_xof: '0012' }),
    row({ amount_xof: '12 500' }),
    row({ amount_xof: '12\u202f500' }),
    row({ amount_xof: '12.500' }),
    row({ amount_xof: '12500.50' }),
    row({ amount_xof: '-5' }),
    row({ amount_xof: '1e3' }),
    row({ amount_xof: '1234567890123456' }),
    row({ amount_xof: '' }),
    row({ line_no: '' }),
    row({ line_no: '0' }),
    row({ line_no: '07' }),
    row({ line_no: ' 2' }),
    row({ line_no: 'x' }),
    row({ service: 'PHARMACY', product_code: 'AMOX500C', product_name: 'Amoxicilline 500 mg gélule', quantity: '24', unit: 'gélule' }),
    row({ service: 'Pharmacie', product_code: ' AMOX500C ', product_name: 'Paracétamol', quantity: '2.5', unit: 'ml' }),
    row({ service: 'Médicaments', product_name: 'Éosine aqueuse 2 % — flacon', quantity: '0', unit: 'flacon' }),
    row({ service: 'PHARMACY', product_name: '\u00a0Sirop\u00a0', quantity: '3' }),
    row({ service: 'PHARMACY', product_name: 'Ампициллин', quantity: '1' }),
    // Channels, services, types and statuses: canonical, aliases, case, unknown.
    row({ channel: 'Espèces' }),
    row({ channel: 'om' }),
    row({ channel: 'ORANGE MONEY' }),
    row({ channel: 'cash' }),
    row({ channel: 'Mobile Pay' }),
    row({ channel: 'BITCOIN' }),
    row({ channel: ' CASH' }),
    row({ channel: '' }),
    row({ service: 'pharma' }),
    row({ service: 'EXAMENS' }),
    row({ service: 'PHARMACIE ' }),
    row({ type: '' }),
    row({ type: 'refund' }),
    row({ type: 'REFUND', status: 'REVERSED' }),
    row({ type: 'CREDIT' }),
    row({ status: '' }),
    row({ status: 'Success' }),
    row({ status: 'failed' }),
    row({ status: 'EXPIRED ' }),
    row({ status: 'OK' }),
    // Personal columns read only when keyed.
    row({ operator_ref: '', cashier_id: '' }),
    row({ operator_ref: ' OM-778 ' }),
    row({ cashier_id: 'Caisse é' }),
    // Cell counts.
    row().split(',').slice(0, -1).join(','),
    `${row()},`,
    `${row()},extra`,
]

const at = Int32Array.from(READ_COLUMNS, (c) => HEADER.indexOf(c))

describe.each([
    ['no alias, not keyed', plain],
    ['keyed (reconciliation)', keyed],
    ['configured aliases, one over a canonical name', aliased],
])('fastLine against normaliseCells (%s)', (_name, ctx) => {
    const ctxAt = ctx.matchKey ? at : at.map((i, k) => (k < LINE_COLUMNS.length ? i : -1))
    test.each(AWKWARD.map((l, i) => [i, l]))('row %i: %s', (_i, text) => {
        const general = normaliseCells(text.split(','), ctxAt, { file: 'f.csv', line: 2 }, ctx)
        const fast = fastLine(text, ',', ctxAt, HEADER.length, ctx)
        // The fast path gives exactly the general path's line, or steps aside (null).
        if (fast !== null) {
            expect(general.ok).toBe(true)
            if (general.ok) expect(JSON.stringify(fast)).toBe(JSON.stringify(general.line))
        }
    })
})

test('the plain shapes of a ledger are read by the fast path', () => {
    const taken = [
        row(),
        row({ occurred_at: '2024-10-16 07:30:14' }),
        row({ occurred_at: '2024-10-16T07:30:14Z', updated_at: '2024-10-17T08:00:00Z' }),
        row({ facility_code: 'FR-PAR', occurred_at: '2024-03-31T02:30:00' }),
        row({ service: 'PHARMACY', product_code: 'AMOX500C', product_name: 'Amoxicilline 500 mg gélule', quantity: '24', unit: 'gélule' }),
        row({ channel: 'Espèces', service: 'Pharmacie', type: 'REFUND', status: 'FAILED' }),
        row({ line_no: '', type: '', status: '' }),
    ]
    for (const text of taken) expect(fastLine(text, ',', at, HEADER.length, plain)).not.toBeNull()
})

describe('the reader gives the same items whether lines take the fast path or not', () => {
    async function items(csv: string, ctx: NormaliseContext, chunkSize?: number): Promise<unknown[]> {
        const out: LedgerItem[] = []
        for await (const i of readCsvLedgerFromString(csv, 'f.csv', ctx, chunkSize)) out.push(i)
        return JSON.parse(JSON.stringify(out))
    }
    const lf = [HEADER.join(','), ...AWKWARD, ''].join('\n')
    // Every cell quoted: no line takes the fast path (quotes go through the byte-by-byte tokenizer).
    const quoted = [HEADER.join(','), ...AWKWARD.map((l) => l.split(',').map((c) => `"${c}"`).join(',')), ''].join('\n')

    test.each([
        ['plain', plain],
        ['keyed', keyed],
        ['aliased', aliased],
    ])('LF, CRLF, quoted fields and tiny chunks (%s)', async (_name, ctx) => {
        const expected = await items(quoted, ctx)
        expect(await items(lf, ctx)).toEqual(expected)
        expect(await items(lf.replace(/\n/g, '\r\n'), ctx)).toEqual(expected)
        // 7-byte chunks: nearly every line is cut by a chunk's end and read byte by byte.
        expect(await items(lf, ctx, 7)).toEqual(expected)
        // A semicolon file.
        expect(await items(lf.replace(/,/g, ';'), ctx)).toEqual(expected)
        expect(expected.length).toBe(AWKWARD.length)
    })
})

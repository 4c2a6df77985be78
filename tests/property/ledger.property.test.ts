/**
 * Property-based tests of the ledger reader and the aggregation (fast-check). Malformed and
 * hostile rows mixed with good ones, in random column orders, delimiters, line ends, BOM and
 * chunkings: the reader never throws, yields exactly one item per data row, quarantines every
 * bad row at its line with a reason in French and English, reads every good row as written,
 * and the totals of the good rows equal a reference computed here from the rows themselves.
 * Runs are bounded (FC_RUNS, default modest); a failure prints its seed: FC_SEED=<seed> replays it.
 */
import fs from 'node:fs'
import fc from 'fast-check'
import { computeTotals, valueKeyId } from '../../bridge/aggregate'
import type { LedgerLine } from '../../bridge/domain/line'
import { readCsvLedgerFromString, type LedgerItem } from '../../bridge/ledger/csv-source'
import { badRow, dialect, serialise, transaction, type GoodLine, type Row } from './ledger-gen'

const ctx = { zoneFor: () => 'Africa/Bamako' }
const agg = { periodType: 'Monthly' as const, zoneFor: () => 'Africa/Bamako' }
const RUNS = Number(process.env.FC_RUNS ?? 120)
// Shrinking a ledger of hundreds of kilobytes takes long: off unless FC_SHRINK is set (the seed is printed either way).
const params = (numRuns: number): fc.Parameters<unknown> => ({ numRuns, seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined, endOnFailure: !process.env.FC_SHRINK })

/** The ledger: transactions (good), bad rows and blank rows, shuffled. */
const ledgerRows = (opts: { maxGood: number; maxBad: number; allowHuge: boolean }) =>
    fc
        .tuple(fc.integer({ min: 0, max: opts.maxGood }), fc.integer({ min: 0, max: opts.maxBad }), fc.integer({ min: 0, max: 3 }))
        .chain(([g, b, blanks]) =>
            fc.tuple(
                fc.tuple(...Array.from({ length: g }, (_, i) => transaction(`G${i}`))),
                fc.tuple(...Array.from({ length: b }, (_, i) => badRow(`B${i}`, opts.allowHuge))),
                fc.array(fc.constantFrom<Row>({ kind: 'blank', text: 'empty' }, { kind: 'blank', text: 'delimiters' }, { kind: 'blank', text: 'spaces' }), { minLength: blanks, maxLength: blanks })
            )
        )
        .chain(([txs, bad, blanks]) => fc.shuffledSubarray([...txs.flat(), ...bad, ...blanks], { minLength: txs.flat().length + bad.length + blanks.length }))

async function read(bytes: Buffer, chunk: number): Promise<LedgerItem[]> {
    const items: LedgerItem[] = []
    for await (const item of readCsvLedgerFromString(bytes, 'hostile.csv', ctx, chunk)) items.push(item)
    return items
}

/** docs/contract.md §3 from the generated rows themselves (each transaction is one attempt: one facility, one channel, one period). */
function referenceTotals(lines: GoodLine[]): Map<string, number> {
    const out = new Map<string, number>()
    const add = (k: string, v: number) => out.set(k, (out.get(k) ?? 0) + v)
    const attempts = new Map<string, GoodLine[]>()
    for (const l of lines) {
        if (l.status === 'SUCCESS') add(`${l.type === 'PAYMENT' ? 'PAYREV_GROSS' : 'PAYREV_REFUNDS'}|202609|${l.facilityCode}|${l.channel}|${l.service}`, l.amountXof)
        if (l.type === 'PAYMENT') attempts.set(l.transactionId, [...(attempts.get(l.transactionId) ?? []), l])
    }
    for (const [, ls] of attempts) {
        const { facilityCode, channel } = ls[0]
        if (ls.some((l) => l.status === 'SUCCESS')) add(`PAYREV_PAYMENTS|202609|${facilityCode}|${channel}|`, 1)
        else if (ls.some((l) => l.status === 'FAILED' || l.status === 'EXPIRED')) add(`PAYREV_FAILED|202609|${facilityCode}|${channel}|`, 1)
    }
    return out
}

/**
 * A quote left open is only recognisable as such if no later quote closes it: `"open … "` ended
 * by a line break is a valid multi-line field, whatever the writer meant. Such a row is turned
 * into a misplaced quote (`"closed"then text`), which is unambiguous.
 */
function unambiguous(rows: Row[], d: Parameters<typeof serialise>[1]): ReturnType<typeof serialise> & { rows: Row[] } {
    for (;;) {
        const out = { ...serialise(rows, d), rows }
        const i = rows.findIndex((r, k) => r.kind === 'bad' && r.shape === 'unterminated-quote' && out.bytes.indexOf(0x22, out.bytes.indexOf('"never closed', lineOffset(out.bytes, out.startLines[k])) + 1) >= 0)
        if (i < 0) return out
        rows = rows.map((r, k) => (k === i ? { ...(r as Extract<Row, { kind: 'bad' }>), shape: 'misplaced-quote' as const } : r))
    }
}

/** Byte offset of a 1-based physical line (CRLF, CR and LF each end one). */
function lineOffset(bytes: Buffer, line: number): number {
    let k = 1
    for (let i = 0; i < bytes.length; i++) {
        if (k === line) return i
        if (bytes[i] === 0x0d) {
            k++
            if (bytes[i + 1] === 0x0a) i++
        } else if (bytes[i] === 0x0a) k++
    }
    return bytes.length
}

async function checkLedger(generated: Row[], d: Parameters<typeof serialise>[1], chunk: number): Promise<void> {
    const { bytes, startLines, rows } = unambiguous(generated, d)
    const items = await read(bytes, bytes.length > 200_000 ? Math.max(chunk, 4096) : chunk)
    const all = rows.map((r, i) => ({ r, line: startLines[i], next: startLines[i + 1] ?? Infinity }))
    const data = all.filter((x) => x.r.kind !== 'blank')
    // One item per data row, in order: nothing dropped, nothing invented. One known exception:
    // a row with broken quoting that also spans several physical lines (a valid multi-line
    // field besides the fault) is taken for a quote opened by mistake, and its inner lines are
    // read again, each quarantined too (more quarantine entries, never a line, never a loss).
    const matched: Array<{ row: Row; item: LedgerItem }> = []
    let k = 0
    const where = (it: LedgerItem) => (it.kind === 'line' ? `line@${it.pos.line}` : `quarantine@${it.entry.line}`)
    // FC_DEBUG=<file> (with FC_SEED): the expected and actual items and the file, readable.
    if (process.env.FC_DEBUG) {
        const expected = data.map((x) => `${x.r.kind}${x.r.kind === 'bad' ? `:${x.r.fault}` : ''}@${x.line}`).join(' ')
        const actual = items.map((it) => where(it) + (it.kind === 'quarantine' ? ` ${it.entry.reason.en.slice(0, 80)}` : '')).join('\n')
        const file = bytes.toString('latin1').replace(/\r/g, '<CR>').replace(/\n/g, '<LF>\n').replace(/\t/g, '<TAB>')
        fs.writeFileSync(process.env.FC_DEBUG, `${JSON.stringify(d)}\nexpected ${expected}\nactual\n${actual}\n${file}`)
    }
    for (const x of data) {
        const item = items[k++]
        expect(item && where(item)).toBe(`${x.r.kind === 'good' ? 'line' : 'quarantine'}@${x.line}`)
        matched.push({ row: x.r, item })
        if (x.r.kind === 'bad' && (x.r.shape === 'misplaced-quote' || x.r.shape === 'unterminated-quote')) {
            while (k < items.length && items[k].kind === 'quarantine' && (items[k] as Extract<LedgerItem, { kind: 'quarantine' }>).entry.line > x.line && (items[k] as Extract<LedgerItem, { kind: 'quarantine' }>).entry.line < x.next) {
                matched.push({ row: x.r, item: items[k++] })
            }
        }
    }
    expect(items.slice(k).map(where)).toEqual([])
    const good: LedgerLine[] = []
    for (const { row, item: it } of matched) {
        if (it.kind === 'line' && row.kind === 'good') {
            expect(it.line).toMatchObject(row.line)
            good.push(it.line)
        } else if (it.kind === 'quarantine') {
            const { fr, en } = it.entry.reason
            expect(fr.length).toBeGreaterThan(10)
            expect(en.length).toBeGreaterThan(10)
            expect(fr).not.toBe(en)
            // Quarantine keeps canonical columns only, cut short: personal and unknown columns never.
            expect(Object.keys(it.entry.raw).filter((c) => ['payer_msisdn', 'patient_id', 'notes'].includes(c))).toEqual([])
            for (const v of Object.values(it.entry.raw)) expect(v.length).toBeLessThanOrEqual(500)
        }
    }
    const totals = new Map(computeTotals(good, agg).map((v) => [valueKeyId(v), v.value]))
    expect(totals).toEqual(referenceTotals(rows.filter((r): r is Extract<Row, { kind: 'good' }> => r.kind === 'good').map((r) => r.line)))
}

describe('the ledger reader and the totals under hostile input', () => {
    test('good, bad and blank rows in any dialect and chunking', async () => {
        await fc.assert(
            fc.asyncProperty(ledgerRows({ maxGood: 25, maxBad: 15, allowHuge: false }), dialect, fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 41, max: 70_000 })), async (rows, d, chunk) => {
                await checkLedger(rows, d, chunk)
            }),
            params(RUNS)
        )
    }, 120_000)

    test('fields over the record limit (1 MiB) among good rows', async () => {
        await fc.assert(
            fc.asyncProperty(ledgerRows({ maxGood: 8, maxBad: 4, allowHuge: true }), dialect, fc.integer({ min: 4096, max: 70_000 }), async (rows, d, chunk) => {
                await checkLedger(rows, d, chunk)
            }),
            params(Math.max(5, Math.round(RUNS / 8)))
        )
    }, 120_000)

    test('10 MB lines: quarantined one by one, the good rows around them still counted', async () => {
        await fc.assert(
            fc.asyncProperty(
                fc.tuple(...Array.from({ length: 6 }, (_, i) => transaction(`G${i}`))),
                dialect,
                fc.constantFrom('notes', 'amount_xof', 'payer_msisdn', 'product_name'),
                fc.nat({ max: 5 }),
                fc.boolean(),
                async (txs, d, column, at, twice) => {
                    const good = txs.flat()
                    const huge = (id: string): Row => ({ kind: 'bad', fault: '10MB', cells: { ...(good[0] as Extract<Row, { kind: 'good' }>).cells, transaction_id: id, [column]: 'X'.repeat(10 * 1024 * 1024) } })
                    const rows = [...good]
                    rows.splice(Math.min(at, rows.length), 0, huge('H1'))
                    if (twice) rows.push(huge('H2'))
                    await checkLedger(rows, d, 65_536)
                }
            ),
            params(4)
        )
    }, 120_000)
})

/**
 * CSV exports people open in a spreadsheet (bridge/report/csv.ts csvCell, `quarantine export`)
 * never hand a formula to the spreadsheet: a cell that starts with = + - @ tab or CR comes back,
 * once parsed by an independent CSV parser (csv-parse), as the same text behind an apostrophe;
 * every other cell comes back exactly as it was. Then the whole path through the CLI: hostile
 * rows quarantined by a sync, exported, parsed.
 */
import fs from 'node:fs'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import fc from 'fast-check'
import { quarantineCsv } from '../../bridge/cli/operator'
import { csvCell, csvLine } from '../../bridge/report/csv'
import type { QuarantinedRow } from '../../bridge/state/operator'
import { ensureFreshBuild, runCli, tempDir } from '../faults/helpers'
import { HOSTILE_TEXT } from './ledger-gen'

const FORMULA_START = /^[=+\-@\t\r]/
const params = (numRuns: number): fc.Parameters<unknown> => ({ numRuns, seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined })
const RUNS = Number(process.env.FC_RUNS ?? 300)

/** Any text, often starting with a character a spreadsheet treats as a formula. */
const cellText = fc.oneof(
    fc.constantFrom(...HOSTILE_TEXT),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r', '"', ';', ',', '\n', ' ='), fc.string({ maxLength: 30 })).map(([a, b]) => a + b)
)
const expectedCell = (s: string) => (FORMULA_START.test(s) ? `'${s}` : s)

test('csvCell: parsed back, a formula-leading cell is the same text behind an apostrophe, any other cell is unchanged', () => {
    fc.assert(
        fc.property(fc.array(cellText, { minLength: 1, maxLength: 8 }), fc.constantFrom(',', ';'), (cells, delimiter) => {
            const text = `${csvLine(cells, delimiter)}\r\n`
            const parsed = parse(text, { delimiter, relax_quotes: false, record_delimiter: '\r\n' }) as string[][]
            expect(parsed).toEqual([cells.map(expectedCell)])
            for (const c of parsed[0]) expect(c).not.toMatch(FORMULA_START)
        }),
        params(RUNS)
    )
    expect(csvCell("=cmd|' /C calc'!A0")).toBe("'=cmd|' /C calc'!A0")
})

test('quarantine export: every cell of every row escaped, nothing else changed', () => {
    const entry = fc.record({
        raw: fc.dictionary(fc.constantFrom('transaction_id', 'occurred_at', 'channel', 'service', 'amount_xof', 'type', 'status', 'product_name', 'quantity'), cellText),
        file: fc.oneof(fc.constant('/ledgers/export.csv'), cellText),
        line: fc.nat(),
        column: fc.option(fc.constantFrom('channel', 'amount_xof'), { nil: null }),
        reasonFr: cellText,
        reasonEn: cellText,
    })
    fc.assert(
        fc.property(fc.array(entry, { maxLength: 10 }), (entries) => {
            // One row per distinct raw (the export keeps one copy of a row quarantined by several runs).
            const rows: QuarantinedRow[] = entries.map((e, i) => ({ id: i, runId: 1, createdAt: '2026-11-23T00:00:00Z', ...e, raw: { ...e.raw, transaction_id: `T${i}${e.raw.transaction_id ?? ''}` } }))
            const out = quarantineCsv(rows)
            const parsed = parse(out, { bom: true }) as string[][]
            const header = parsed[0]
            expect(parsed).toHaveLength(rows.length + 1)
            rows.forEach((r, i) => {
                const cells = parsed[i + 1]
                const expected = header.map((h) => {
                    if (h === 'source_file') return r.file
                    if (h === 'source_line') return String(r.line)
                    if (h === 'source_column') return r.column ?? ''
                    if (h === 'reason_fr') return r.reasonFr
                    if (h === 'reason_en') return r.reasonEn
                    return r.raw[h] ?? ''
                })
                expect(cells).toEqual(expected.map(expectedCell))
                for (const c of cells) expect(c).not.toMatch(FORMULA_START)
            })
        }),
        params(RUNS)
    )
})

test('through the CLI: hostile rows quarantined by a sync, `quarantine export` escapes them', async () => {
    ensureFreshBuild()
    const dir = tempDir('export-')
    const ledger = path.join(dir, 'hostile.csv')
    fs.writeFileSync(
        ledger,
        [
            'transaction_id;occurred_at;facility_code;channel;service;amount_xof;product_name;payer_msisdn',
            `T1;2026-09-10 10:00;ML-BKO-HDB;"=cmd|' /C calc'!A0";consultation;5000;;+223 76 00 00 01`,
            'T2;2026-09-10 10:00;ML-BKO-HDB;cash;@SUM(A1);5000;;+223 76 00 00 02',
            'T3;2026-09-10 10:00;ML-BKO-HDB;cash;consultation;-2+3;;+223 76 00 00 03',
            'T4;+2026-09-10;ML-BKO-HDB;cash;consultation;5000;"=HYPERLINK(""http://evil.example"")";+223 76 00 00 04',
            'T5;2026-09-10 10:00;ML-BKO-HDB;cash;consultation;5000;ok;+223 76 00 00 05',
        ].join('\r\n') + '\r\n'
    )
    // No DHIS2 needed for quarantine: the server is unreachable, the rows are judged anyway.
    const env = { DHIS2_BASE_URL: 'http://127.0.0.1:9', DHIS2_TOKEN: 'd2p_unused_for_this_test', BRIDGE_STATE_DIR: path.join(dir, 'state') }
    const config = path.join(dir, 'bridge.json')
    fs.writeFileSync(config, JSON.stringify({ dhis2: { retries: 0, retryBaseDelayMs: 1, timeoutMs: 1000 } }))
    const sync = await runCli(['sync', '--config', config, '--json', '--ledger', ledger], env)
    expect(sync.code).toBe(4)
    expect(sync.json<any>().quarantined).toBe(4)
    const out = path.join(dir, 'quarantine.csv')
    const r = await runCli(['quarantine', 'export', '--config', config, '--out', out], env)
    expect(r.code).toBe(0)
    const parsed = parse(fs.readFileSync(out, 'utf8'), { bom: true, columns: true }) as Array<Record<string, string>>
    expect(parsed.map((p) => p.transaction_id)).toEqual(['T1', 'T2', 'T3', 'T4'])
    for (const row of parsed) for (const v of Object.values(row)) expect(v).not.toMatch(FORMULA_START)
    expect(parsed[0].channel).toBe("'=cmd|' /C calc'!A0")
    expect(parsed[1].service).toBe("'@SUM(A1)")
    expect(parsed[2].amount_xof).toBe("'-2+3")
    expect(parsed[3].occurred_at).toBe("'+2026-09-10")
    expect(parsed[3].product_name).toBe('\'=HYPERLINK("http://evil.example")')
    expect(Object.keys(parsed[0])).not.toContain('payer_msisdn')
    expect(fs.readFileSync(out, 'utf8')).not.toMatch(/\+223 76/)
})

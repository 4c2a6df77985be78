import fs from 'node:fs'
import path from 'node:path'
import { LedgerFileError, readCsvLedger, type LedgerItem } from '../../bridge/ledger/csv-source'
import { expandLedgerPaths, LedgerPathError } from '../../bridge/ledger/paths'
import { collect, ctx, EXAMPLES, omLedgerMapping, open, readAll, stateDb, tmpDir } from './helpers'

const REPO = path.resolve(__dirname, '..', '..')
const FIXTURES = [path.join(REPO, 'tests', 'fixtures', 'ledger'), path.join(REPO, 'tests', 'integration', 'ledgers')]

async function items(gen: AsyncIterable<LedgerItem>): Promise<LedgerItem[]> {
    const out: LedgerItem[] = []
    for await (const i of gen) out.push(i)
    return out
}

describe('canonical files (ledger.paths and --ledger) keep working as before', () => {
    test('the same files in the same order as expandLedgerPaths, and the same items as readCsvLedger', async () => {
        const sources = await open(`ledger: { paths: [${JSON.stringify(FIXTURES[1])}] }`, stateDb(), [FIXTURES[0], path.join(FIXTURES[1], 'b-late-changes.csv')])
        const expected = await expandLedgerPaths([FIXTURES[1], FIXTURES[0], path.join(FIXTURES[1], 'b-late-changes.csv')])
        expect(expected.length).toBeGreaterThan(5)
        expect(sources.map((s) => s.name)).toEqual(expected)
        for (const s of sources) {
            const before = await items(readCsvLedger(s.name, ctx))
            const now = await items(s.read(ctx))
            expect(now).toEqual(before)
            expect(s.stats).toMatchObject({ rows: before.length, lines: before.filter((i) => i.kind === 'line').length })
        }
    })

    test('a missing path is a LedgerPathError, as before', async () => {
        const err = await open('{}', stateDb(), ['/nonexistent/ledger.csv']).catch((e) => e)
        expect(err).toBeInstanceOf(LedgerPathError)
        const before = await expandLedgerPaths(['/nonexistent/ledger.csv']).catch((e) => e)
        expect(err.reason).toEqual(before.reason)
    })

    test('a file that disappears before its read gives the reason readCsvLedger gives', async () => {
        const dir = tmpDir()
        const f = path.join(dir, 'x.csv')
        fs.writeFileSync(f, 'transaction_id\n')
        const [src] = await open('{}', stateDb(), [f])
        fs.unlinkSync(f)
        const mine = await collect(src).catch((e) => e)
        const theirs = await items(readCsvLedger(f, ctx)).catch((e) => e)
        expect(mine).toBeInstanceOf(LedgerFileError)
        expect(mine.reason).toEqual(theirs.reason)
    })
})

describe('mapped file sources', () => {
    test('each file of a `type: file` source is a source of its own, read every run', async () => {
        const dir = tmpDir()
        fs.copyFileSync(path.join(EXAMPLES, 'orange-money-releve.csv'), path.join(dir, '2024-03-15.csv'))
        fs.copyFileSync(path.join(EXAMPLES, 'orange-money-releve.csv'), path.join(dir, '2024-03-16.csv'))
        const yaml = `
ledger:
  sources:
    - { type: file, name: om, paths: [${JSON.stringify(dir)}], mapping: ${omLedgerMapping('F1')} }
`
        const db = stateDb()
        const sources = await open(yaml, db)
        expect(sources.map((s) => path.basename(s.name))).toEqual(['2024-03-15.csv', '2024-03-16.csv'])
        for (const s of sources) s.commit(db)
        expect(await open(yaml, db)).toHaveLength(2)
    })

    test('a header with the same canonical column twice quarantines every row, naming both columns', async () => {
        const dir = tmpDir()
        const f = path.join(dir, 'x.csv')
        fs.writeFileSync(f, 'Référence;Montant;Montant (FCFA);Date\nA;1;2;2024-01-01\n')
        const [src] = await open(`
ledger:
  sources:
    - type: file
      paths: [${JSON.stringify(f)}]
      mapping: ${omLedgerMapping('F', { columns: { Montant: 'amount_xof', 'Montant (FCFA)': 'amount_xof', Référence: 'transaction_id', Date: 'occurred_at' } })}
`)
        const r = await readAll([src])
        expect(r.quarantine).toHaveLength(1)
        expect(r.quarantine[0].reason.en).toMatch(/Columns "Montant" and "Montant \(FCFA\)" both give amount_xof/)
    })

    test('mapping.headerRow skips a title block that looks like data', async () => {
        const dir = tmpDir()
        const f = path.join(dir, 'x.csv')
        fs.writeFileSync(f, 'transaction_id;occurred_at;facility_code;channel;service;amount_xof\nT0;2024-01-01;F;CASH;EXAM;1\nT1;2024-01-02;F;CASH;EXAM;2\n')
        const [src] = await open(`
ledger:
  sources:
    - { type: file, paths: [${JSON.stringify(f)}], mapping: { headerRow: 2, columns: { T0: transaction_id, 2024-01-01: occurred_at, F: facility_code, CASH: channel, EXAM: service, "1": amount_xof } } }
`)
        const r = await readAll([src])
        expect(r.lines.map((l) => [l.transactionId, l.amountXof])).toEqual([['T1', 2]])
    })
})

describe('progress on long reads', () => {
    test('written to the given stream only when asked, with the file name and a share read', async () => {
        const dir = tmpDir()
        const f = path.join(dir, 'gros.csv')
        const rows = ['transaction_id,occurred_at,facility_code,channel,service,amount_xof']
        for (let i = 0; i < 2000; i++) rows.push(`T${i},2024-03-15,F,CASH,EXAM,${i}`)
        fs.writeFileSync(f, rows.join('\n'))
        // A clock that moves one second per reading: every row looks slow.
        let t = 0
        const now = () => new Date((t += 1000))
        const out: string[] = []
        const [src] = await open('{}', stateDb(), [f], { progress: true, stderr: { write: (s: string) => out.push(s) }, now, lang: 'en' })
        await collect(src)
        expect(out.length).toBeGreaterThan(1)
        expect(out.some((s) => /gros\.csv: [\d,]+ rows, [\d,.]+ rows\/s, 100 %/.test(s))).toBe(true)
        expect(out[out.length - 1]).toBe('\r\x1b[K')
        const silent: string[] = []
        const [quiet] = await open('{}', stateDb(), [f], { stderr: { write: (s: string) => silent.push(s) }, now })
        await collect(quiet)
        expect(silent).toEqual([])
    })
})

/**
 * Personal data stays in the hospital. The demo ledger (demo/generate-ledger.ts: 12 months, five
 * facilities, its deliberately bad rows included) is given an extra, unknown `payer_name` column;
 * every phone number, patient id, cashier id, receipt number and name it holds is collected.
 * After `setup` and a full `sync`, none of them appears in any request DHIS2 received (the
 * stand-in's request log: path, query, headers, body), in any byte of the state directory, in
 * the reports, or in the quarantine export.
 */
import fs from 'node:fs'
import path from 'node:path'
import { demoLedgerCsv, generateDemoLedger } from '../../demo/generate-ledger'
import { ensureFreshBuild, runCli, setup, tempDir, world, type World } from '../faults/helpers'
import { stateFiles } from './helpers'

const FIRST = ['Aminata', 'Moussa', 'Fatoumata', 'Oumar', 'Kadiatou', 'Bakary', 'Mariam', 'Seydou', 'Awa', 'Ibrahim', 'Djénéba', 'Souleymane']
const LAST = ['Traoré', 'Coulibaly', 'Diarra', 'Keïta', 'Konaté', 'Sidibé', 'Touré', 'Dembélé', 'Sangaré', 'Maïga']

interface Personal {
    phones: Set<string> // digits only, with the 223 country code
    spacedLocal: Set<string> // '76 12 34 56'
    ids: Set<string> // patient, cashier, receipt
    /** Names, and ids of no usual shape: looked for as they are. */
    names: Set<string>
}
const ID_SHAPE = /P-[A-Z0-9]{2}\d{6}|REC-[A-Z0-9]{2}-[A-Z0-9]+-\d+|CAISSE-\d{2}/g

/** Finds personal values in a text by their shapes, then keeps those that are in the ledger's (phones as digits). */
function personalIn(text: string, p: Personal): string[] {
    const found = new Set<string>()
    for (const m of text.matchAll(/\+?223[ \u00a0]?\d{2}(?:[ \u00a0]?\d{2}){3}/g)) if (p.phones.has(m[0].replace(/\D/g, ''))) found.add(m[0].replace(/\D/g, ''))
    for (const m of text.matchAll(/(?<![\d+])\d{2} \d{2} \d{2} \d{2}/g)) if (p.spacedLocal.has(m[0])) found.add(m[0])
    for (const m of text.matchAll(ID_SHAPE)) if (p.ids.has(m[0])) found.add(m[0])
    for (const n of p.names) if (text.includes(n)) found.add(n)
    return [...found]
}

let w: World
let dir: string
let ledgerFile: string
let personal: Personal
let syncOut: { code: number; stdout: string; stderr: string }

beforeAll(async () => {
    ensureFreshBuild()
    dir = tempDir('personal-')
    const ledger = generateDemoLedger({ seed: 42, endDate: '2026-10-31', months: 12 })
    ledger.header.push('payer_name')
    ledger.rows.forEach((r, i) => (r.payer_name = `${FIRST[i % FIRST.length]} ${LAST[(i * 7) % LAST.length]}`))
    ledgerFile = path.join(dir, 'export-caisse.csv')
    fs.writeFileSync(ledgerFile, demoLedgerCsv(ledger))
    personal = { phones: new Set(), spacedLocal: new Set(), ids: new Set(), names: new Set() }
    for (const r of ledger.rows) {
        if (r.payer_msisdn) {
            personal.phones.add(r.payer_msisdn.replace(/\D/g, ''))
            personal.spacedLocal.add(r.payer_msisdn.replace(/^\+223\s*/, ''))
        }
        for (const c of ['patient_id', 'cashier_id', 'receipt_no']) {
            if (r[c]) (r[c].replace(ID_SHAPE, '') === '' ? personal.ids : personal.names).add(r[c])
        }
        if (r.payer_name) personal.names.add(r.payer_name)
    }

    w = await world({ batchSize: 2000 })
    await setup(w, ledgerFile)
    syncOut = await runCli(['sync', '--config', w.config, '--json', '--ledger', ledgerFile], w.env)
}, 180_000)
afterAll(() => w?.close())

test('the ledger really holds personal data, and the shapes above find all of it', () => {
    expect(personal.phones.size).toBeGreaterThan(1000)
    expect(personal.ids.size).toBeGreaterThan(10_000)
    const raw = fs.readFileSync(ledgerFile, 'utf8')
    // Positive control: personalIn finds every collected value where it is.
    const inLedger = new Set(personalIn(raw, personal))
    const missed = [personal.phones, personal.spacedLocal, personal.ids, personal.names].flatMap((set) => [...set].filter((v) => !inLedger.has(v)))
    expect(missed).toEqual([])
})

test('the sync ran to its end: every good line counted, the bad rows quarantined', () => {
    expect(syncOut.code).toBe(3)
    const report = JSON.parse(syncOut.stdout)
    expect(report.quarantined).toBe(8)
    expect(report.valuesAccepted).toBeGreaterThan(1000)
})

test('no request DHIS2 received carries a phone number, a patient id, a receipt or cashier id, or a name', () => {
    const requests = w.standin.hooks.requests()
    expect(requests.filter((r) => r.method === 'POST' && r.path.endsWith('/dataValueSets')).length).toBeGreaterThan(0)
    const leaked = requests.flatMap((r) => personalIn(`${r.method} ${r.path} ${JSON.stringify(r.query)} ${JSON.stringify(r.headers)} ${r.body}`, personal).map((v) => `${r.method} ${r.path}: ${v}`))
    expect(leaked).toEqual([])
})

test('no byte of the state directory (bridge.sqlite, -wal, -shm) holds them', () => {
    const files = stateFiles(w.stateDir)
    expect(files.map((f) => f.name)).toEqual(expect.arrayContaining(['bridge.sqlite']))
    const leaked = files.flatMap((f) => personalIn(f.bytes.toString('utf8'), personal).map((v) => `${f.name}: ${v}`))
    expect(leaked).toEqual([])
})

test('nor the write-ahead log a crash leaves behind (kill -9 in the middle of ingesting and sending)', async () => {
    const w2 = await world({ batchSize: 200 })
    try {
        await setup(w2, ledgerFile)
        for (const point of ['ingest-commit:3', 'after-accept:2']) {
            const killed = await runCli(['sync', '--config', w2.config, '--json', '--ledger', ledgerFile], { ...w2.env, BRIDGE_TEST_CRASH_AT: point, BRIDGE_TEST_COMMIT_EVERY: '2000' })
            expect(killed.code).toBe(137)
            const files = stateFiles(w2.stateDir)
            expect(files.find((f) => f.name === 'bridge.sqlite-wal')?.bytes.length).toBeGreaterThan(0)
            expect(files.flatMap((f) => personalIn(f.bytes.toString('utf8'), personal).map((v) => `${point} ${f.name}: ${v}`))).toEqual([])
        }
    } finally {
        await w2.close()
    }
}, 120_000)

test('nor the reports, the status, the outbox or the quarantine export', async () => {
    const out = path.join(dir, 'quarantine.csv')
    const texts = [syncOut.stdout, syncOut.stderr]
    const c = w.config
    for (const args of [
        ['status', '--config', c, '--json'],
        ['outbox', 'list', '--config', c, '--json'],
        ['quarantine', 'list', '--config', c, '--json'],
        ['quarantine', 'export', '--config', c, '--out', out],
        ['sync', '--config', c, '--lang', 'fr', '--ledger', ledgerFile],
    ]) {
        const r = await runCli(args, w.env)
        texts.push(r.stdout, r.stderr)
    }
    const exported = fs.readFileSync(out, 'utf8')
    expect(exported.split('\r\n').length).toBeGreaterThan(8) // the bad rows are there, for correction
    texts.push(exported)
    expect(texts.flatMap((t) => personalIn(t, personal))).toEqual([])
})

// trace (docs/traceability.md): the lineage tables, explain (text, JSON, CSV), verify, runs and the
// data store entries for the dashboards hold no personal field and no personal value.
test('nor the lineage: its columns, explain, verify, runs and the data store entries', async () => {
    const Database = (await import('better-sqlite3')).default
    const db = new Database(path.join(w.stateDir, 'bridge.sqlite'), { readonly: true })
    const columns = ['lines', 'line_sources', 'line_history', 'value_sends'].flatMap((t) => (db.prepare(`PRAGMA table_info(${t})`).all() as Array<{ name: string }>).map((c) => `${t}.${c.name}`))
    expect(columns).toEqual(expect.arrayContaining(['lines.source_id', 'lines.source_row', 'line_sources.name', 'line_history.data', 'value_sends.value']))
    expect(columns.filter((c) => /msisdn|phone|patient|cashier|receipt|operator_ref|payer|name_of/i.test(c))).toEqual([])
    const keys = db.prepare("SELECT data_element AS de, period, facility, channel, service FROM dhis2_values WHERE family = 'revenue' AND data_element IN ('PAYREV_GROSS', 'PAYREV_PAYMENTS') ORDER BY desired DESC LIMIT 4").all() as Array<Record<string, string | null>>
    db.close()
    expect(keys).toHaveLength(4)
    const csv = path.join(dir, 'explain.csv')
    const texts: string[] = []
    for (const k of keys) {
        const args = ['explain', '--config', w.config, '--data-element', k.de!, '--period', k.period!, '--facility', k.facility!, '--channel', k.channel!, ...(k.service ? ['--service', k.service] : [])]
        for (const extra of [[], ['--json'], ['--csv', csv], ['--lang', 'en', '--check']]) {
            const r = await runCli([...args, ...extra], w.env)
            expect(r.code).toBe(0)
            texts.push(r.stdout, r.stderr)
        }
        texts.push(fs.readFileSync(csv, 'utf8'))
    }
    expect(texts.join('\n')).toMatch(/export-caisse\.csv/) // the lines really are there, with their source
    for (const args of [['verify', '--json'], ['verify'], ['runs', '--json'], ['runs', 'show', '1', '--json'], ['runs', 'show', '1']]) {
        const r = await runCli([...args, '--config', w.config], w.env)
        texts.push(r.stdout, r.stderr)
    }
    expect(texts.flatMap((t) => personalIn(t, personal))).toEqual([])
    const puts = w.standin.hooks.requests().filter((r) => r.path.includes('/dataStore/payrev/lineage-'))
    expect(puts.length).toBeGreaterThan(0)
    expect(puts.flatMap((r) => personalIn(r.body ?? '', personal))).toEqual([])
    expect(stateFiles(w.stateDir).flatMap((f) => personalIn(f.bytes.toString('utf8'), personal))).toEqual([])
}, 120_000)

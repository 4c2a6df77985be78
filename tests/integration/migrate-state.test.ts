import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Database from 'better-sqlite3'
import { startStandin, type Standin } from '../../standin'
import { openState } from '../../bridge/state/db'
import { SCHEMA_VERSION } from '../../bridge/state/migrations'
import { decodeLine, encodeRest, LINE_COLUMNS, type LineRow } from '../../bridge/state/line-record'
import type { LedgerLine } from '../../bridge/domain/line'
import { runSync } from '../../bridge/sync/sync'
import { makeRc } from '../stock/helpers'
import { installLmis } from '../stock/lmis-metadata'
import { omLedgerMapping } from '../connectors/helpers'

/**
 * A state directory written by the release before the one outbox and the numbered migrations
 * (main @ f9db4c5: revenue values in data_values, LMIS values in stock_lmis_values, the stock and
 * source tables created on first use). tests/fixtures/state-f9db4c5 holds the state of one sync
 * of that release: a canonical CSV with pharmacy lines, a watched folder (Orange Money statement),
 * stock mapping with the LMIS sink, a quarantined row and an unknown facility.
 */
const FIXTURE = path.join(__dirname, '../fixtures/state-f9db4c5')
let standin: Standin

beforeAll(async () => {
    standin = await startStandin({ today: '2025-04-10' })
    await installLmis(standin)
})
afterAll(async () => {
    await standin.close()
})

function copyFixture(): { stateDir: string; folder: string; ledger: string } {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-'))
    const stateDir = path.join(work, 'state')
    const folder = path.join(work, 'folder')
    fs.mkdirSync(stateDir)
    fs.mkdirSync(folder)
    fs.copyFileSync(path.join(FIXTURE, 'bridge.sqlite'), path.join(stateDir, 'bridge.sqlite'))
    const statement = path.join(folder, 'releve-2024-03-15.csv')
    fs.copyFileSync(path.join(FIXTURE, 'releve-2024-03-15.csv'), statement)
    fs.utimesSync(statement, new Date('2025-04-01'), new Date('2025-04-01'))
    const ledger = path.join(work, 'ledger.csv')
    fs.copyFileSync(path.join(FIXTURE, 'ledger.csv'), ledger)
    return { stateDir, folder, ledger }
}

const rows = (db: Database.Database, sql: string) => db.prepare(sql).all()

test('a state of the previous release opens, keeps every line, value, outbox entry and cursor, and the next sync sends nothing new', async () => {
    const old = new Database(path.join(FIXTURE, 'bridge.sqlite'), { readonly: true })
    expect(old.pragma('user_version', { simple: true })).toBe(1)
    const oldLines = rows(old, 'SELECT * FROM lines ORDER BY transaction_id, line_no')
    const oldRevenue = rows(old, 'SELECT key, scope, facility, data_element, period, channel, service, desired, accepted, accepted_at, sent_unconfirmed, last_error_code FROM data_values ORDER BY key')
    const oldLmis = rows(old, 'SELECT key, facility, data_element, coc, period, products, desired, accepted, accepted_at FROM stock_lmis_values ORDER BY key')
    const oldRecords = rows(old, 'SELECT * FROM stock_records ORDER BY id')
    const oldFiles = rows(old, 'SELECT source, sha256, file FROM ledger_source_files ORDER BY source, sha256')
    const oldRuns = rows(old, 'SELECT id, command, exit_code FROM runs ORDER BY id')
    const oldQuarantine = rows(old, 'SELECT run_id, file, line, reason_en FROM quarantine ORDER BY id')
    old.close()
    expect(oldRevenue.length).toBeGreaterThan(0)
    expect(oldLmis.length).toBeGreaterThan(0)
    expect(oldFiles).toHaveLength(1)

    const { stateDir, folder, ledger } = copyFixture()
    const db = openState(stateDir)
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    expect(rows(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('data_values', 'stock_lmis_values')")).toEqual([])
    // Lineage (docs/traceability.md): the old lines are kept as they were, their source and row
    // unknown; their service (migration 6) is taken from the line data, which migration 7 stores
    // as the compact record, the same text a new ingest writes.
    expect(rows(db, 'SELECT * FROM lines ORDER BY transaction_id, line_no')).toEqual(
        oldLines.map((l) => {
            const old = l as Record<string, unknown>
            const line = JSON.parse(old.data as string) as LedgerLine
            return { ...old, source_id: null, source_row: null, service: line.service, data: encodeRest(line) }
        })
    )
    // …and read back, every line is the line the old release stored.
    const stored = db.prepare(`SELECT ${LINE_COLUMNS} FROM lines ORDER BY transaction_id, line_no`).raw().all() as LineRow[]
    expect(stored.map(decodeLine)).toEqual(oldLines.map((l) => JSON.parse((l as { data: string }).data) as LedgerLine))
    expect(rows(db, "SELECT COUNT(*) AS n FROM lines WHERE service = 'PHARMACY'")).not.toEqual([{ n: 0 }])
    expect(
        rows(db, "SELECT key, scope, facility, data_element, period, channel, service, desired, accepted, accepted_at, sent_unconfirmed, last_error_code FROM dhis2_values WHERE family = 'revenue' ORDER BY key")
    ).toEqual(oldRevenue)
    expect(
        rows(db, "SELECT key, facility, data_element, coc, period, detail AS products, desired, accepted, accepted_at FROM dhis2_values WHERE family = 'lmis' ORDER BY key")
    ).toEqual(oldLmis)
    expect(rows(db, 'SELECT * FROM stock_records ORDER BY id')).toEqual(oldRecords)
    expect(rows(db, 'SELECT source, sha256, file FROM ledger_source_files ORDER BY source, sha256')).toEqual(oldFiles)
    expect(rows(db, 'SELECT id, command, exit_code FROM runs ORDER BY id')).toEqual(oldRuns)
    expect(rows(db, 'SELECT run_id, file, line, reason_en FROM quarantine ORDER BY id')).toEqual(oldQuarantine)
    db.close()

    const raw = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'config.json'), 'utf8').replace('__FOLDER__', folder))
    // That release read an operator statement as a ledger through the `orange-money` preset; statement
    // presets are refused under ledger.sources now (docs/reconciliation.md), so the same folder is
    // declared with the equivalent explicit mapping — same source name, so its file memory is kept.
    const source = raw.ledger.sources[0]
    delete source.preset
    source.mapping = JSON.parse(omLedgerMapping('ML-BKO-HDB'))
    const rc = { ...makeRc(raw, stateDir), baseUrl: standin.url, credentials: { kind: 'basic' as const, username: 'admin', password: 'district' } }
    const now = () => new Date('2025-04-10T12:00:00Z')
    const first = await runSync(rc, { ledgerPaths: [ledger], dryRun: false, now })
    // The watched folder's statement was read by the old release: not read again; the CSV's lines are unchanged.
    expect(first.files).toEqual([ledger])
    expect(first).toMatchObject({ linesNew: 0, linesChanged: 0, valuesWaiting: 0 })
    // The stand-in is another DHIS2 than the one the fixture was written against (another data set
    // UID): the values the old state knew as accepted — all of them, kept by the migration — go again.
    const accepted = oldRevenue.filter((v) => (v as { accepted: number | null }).accepted !== null).length
    expect(accepted).toBe(oldRevenue.length)
    expect(first.warnings.map((w) => w.en).join('\n')).toContain(`the ${accepted} value(s) sent before are sent again`)
    expect(first.valuesSent).toBe(accepted)
    // The LMIS values were accepted before the migration and are not sent again.
    expect(first.stock?.lmis).toMatchObject({ valuesSent: 0, waiting: 0, conflicts: [] })

    const second = await runSync(rc, { ledgerPaths: [ledger], dryRun: false, now })
    expect(second).toMatchObject({ linesNew: 0, linesChanged: 0, valuesSent: 0, valuesWaiting: 0, exitCode: first.exitCode })
    expect(second.stock?.lmis).toMatchObject({ valuesSent: 0, waiting: 0 })
    expect(second.stock?.sent).toBe(0)
})

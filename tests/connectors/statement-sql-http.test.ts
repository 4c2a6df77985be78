import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { ledgerLine } from '../fixtures/ledger-line'
import Database from 'better-sqlite3'
import mysql from 'mysql2/promise'
import { Client } from 'pg'
import { scopeId } from '../../bridge/aggregate/keys'
import { periodOf } from '../../bridge/aggregate/periods'
import { configSchema } from '../../bridge/config/schema'
import type { LedgerLine } from '../../bridge/domain/line'
import { checkReconciliation, renderReconCheck } from '../../bridge/reconcile/check'
import { matchKeyFor } from '../../bridge/reconcile/keys'
import { readReconInputs } from '../../bridge/reconcile/sources'
import { defaultReconMonths, monthBounds } from '../../bridge/reconcile/months'
import { bindMonth } from '../../bridge/reconcile/remote'
import { runReconcile } from '../../bridge/reconcile/run'
import type { StateDb } from '../../bridge/state/db'
import { LineStore } from '../../bridge/state/lines'
import { configFromYaml, configProblem, describeWithServer, stateDb, tmpDir } from './helpers'

/**
 * Statements from a database and from a JSON API (reconciliation.statements, type sql / http):
 * no cursor — each reconciliation asks for the whole month it reconciles, bounded in the query
 * (:from/:to local dates, :from_utc/:to_utc instants) or in the request's parameters. The zone
 * is Lagos (UTC+1) so that local and UTC bounds differ.
 */

const ZONE = 'Africa/Lagos'

// Local wall-clock times (the facility's zone), as a billing or operator database writes them.
const STATEMENT_ROWS = [
    // ref, date_op (local), montant, frais, numero
    ['OM-F', '2024-02-10 11:01:00', 2000, 20, '76001111'],
    ['OM-L', '2024-02-29 23:30:00', 800, 8, '76002222'], // 22:30Z: February, local and UTC
    ['OM-B', '2024-03-01 00:30:00', 1500, 15, '76003333'], // 23:30Z on 29 Feb: March locally
    ['OM-1', '2024-03-10 11:05:00', 5000, 50, '76004444'],
    ['OM-7', '2024-03-20 09:00:00', 3000, 30, '76005555'],
    ['OM-A', '2024-04-01 00:00:00', 900, 9, '76006666'], // the next month's first instant: not March
] as const

/** The ledger in the state: A (March, OM-1), B (March, ledger only), C (February, OM-F). */
type Seed = Partial<LedgerLine> & { ref: string }
function seedLedger(db: StateDb, extra: Seed[] = []): void {
    const key = matchKeyFor(db)!
    const store = new LineStore(db)
    const lines: Seed[] = [
        { transactionId: 'A', occurredAt: '2024-03-10T10:00:00.000Z', amountXof: 5000, ref: 'OM-1' },
        { transactionId: 'B', occurredAt: '2024-03-12T10:00:00.000Z', amountXof: 7000, ref: 'OM-X' },
        { transactionId: 'C', occurredAt: '2024-02-10T10:00:00.000Z', amountXof: 2000, ref: 'OM-F' },
        ...extra,
    ]
    for (const { ref, ...p } of lines) {
        const l = ledgerLine({ transactionId: 'T', facilityCode: 'F1', channel: 'ORANGE_MONEY', ...p, operatorRefKey: key(ref) })
        store.ingest(l, scopeId(l.facilityCode, periodOf(l.occurredAt, ZONE, 'Monthly')), 1)
    }
}

const rcOf = (reconciliation: object) => ({ config: configSchema.parse({ reconciliation }), zoneFor: () => ZONE })

const none = { count: 0, amount: 0 }

async function reconcile(reconciliation: object, month: string, env: NodeJS.ProcessEnv = {}, extra: Seed[] = []) {
    const db = stateDb()
    try {
        seedLedger(db, extra)
        return await runReconcile(rcOf(reconciliation), db, { month, statements: [], cashCounts: [], env, dryRun: true })
    } finally {
        db.close()
    }
}

/** What March must give whatever the source: OM-1 matched, B unsettled, OM-B and OM-7 statement only. */
function expectMarch(r: Awaited<ReturnType<typeof reconcile>>): void {
    expect(r.report.quarantine).toEqual([])
    expect(r.months).toEqual(['2024-03'])
    expect(r.report.channels).toEqual([
        expect.objectContaining({
            facility: 'F1',
            channel: 'ORANGE_MONEY',
            ledgerCount: 2,
            ledgerAmount: 12000,
            statementCount: 3,
            statementAmount: 9500,
            fees: 95,
            categories: expect.objectContaining({ MATCHED: { count: 1, amount: 5000 }, LEDGER_ONLY: { count: 1, amount: 7000 }, STATEMENT_ONLY: { count: 2, amount: 4500 }, DUPLICATE_STATEMENT: none }),
        }),
    ])
}

function expectFebruary(r: Awaited<ReturnType<typeof reconcile>>): void {
    expect(r.report.quarantine).toEqual([])
    expect(r.months).toEqual(['2024-02'])
    expect(r.report.channels).toEqual([
        expect.objectContaining({ ledgerCount: 1, statementCount: 2, statementAmount: 2800, categories: expect.objectContaining({ MATCHED: { count: 1, amount: 2000 }, STATEMENT_ONLY: { count: 1, amount: 800 } }) }),
    ])
}

describe('month bounds and parameters (pure)', () => {
    test('a local month: dates, and instants in UTC', () => {
        expect(monthBounds('2024-03', ZONE)).toEqual({ month: '2024-03', from: '2024-03-01', to: '2024-04-01', last: '2024-03-31', fromUtc: '2024-02-29T23:00:00.000Z', toUtc: '2024-03-31T23:00:00.000Z' })
        expect(monthBounds('2024-12', 'Africa/Bamako')).toMatchObject({ to: '2025-01-01', fromUtc: '2024-12-01T00:00:00.000Z' })
        expect(defaultReconMonths(new Date('2024-01-15T12:00:00Z'), ZONE)).toEqual(['2023-12', '2024-01'])
    })

    test(':from / :to become the driver’s placeholders; literals, quoted names and ::casts are left alone', () => {
        const b = monthBounds('2024-03', ZONE)
        const q = `SELECT ':from' AS x, "a:to" FROM t WHERE d >= :from::date AND d < :to AND z BETWEEN :from_utc AND :to_utc;`
        expect(bindMonth(q, b, (i) => `$${i}`)).toEqual({
            sql: `SELECT ':from' AS x, "a:to" FROM t WHERE d >= $1::date AND d < $2 AND z BETWEEN $3 AND $4`,
            params: ['2024-03-01', '2024-04-01', '2024-02-29T23:00:00.000Z', '2024-03-31T23:00:00.000Z'],
        })
        expect(bindMonth('SELECT * FROM t WHERE d >= :from AND d < :to AND e < :to', b, () => '?').params).toEqual(['2024-03-01', '2024-04-01', '2024-04-01'])
    })

    test('configuration: a query without the month bounds, a missing database, a ledger entry naming a statement preset are refused in both languages', () => {
        const noBounds = configProblem(`
reconciliation:
  statements:
    - { type: sql, name: om, driver: sqlite, file: x.db, query: "SELECT * FROM releve", channel: ORANGE_MONEY }
`)
        expect(noBounds.en).toMatch(/must bound the month.*:from.*:to/)
        expect(noBounds.fr).toMatch(/doit borner le mois/)
        expect(configProblem(`
reconciliation:
  statements:
    - { type: sql, name: om, driver: postgres, query: "SELECT * FROM r WHERE d >= :from AND d < :to" }
`).en).toMatch(/needs "database"/)
        // Statements are never revenue: a database or API under ledger.sources with a statement preset is refused.
        for (const type of ['sql', 'http']) {
            const conn = type === 'sql' ? 'driver: sqlite, file: x.db, query: "SELECT 1", cursor: { column: a }' : 'url: "http://127.0.0.1:1/x"'
            expect(configProblem(`
ledger:
  sources:
    - { type: ${type}, name: om, ${conn}, preset: orange-money }
`).en).toMatch(/operator statement, not a revenue ledger.*counted twice/)
        }
        // Entries written without `type` are still files.
        const { config } = configFromYaml(`
reconciliation:
  statements:
    - { paths: [a.csv], preset: orange-money, facility: F1 }
  cashCounts:
    - { paths: [c.csv] }
`)
        expect(config.reconciliation.statements[0]).toMatchObject({ type: 'file', paths: ['a.csv'] })
        expect(config.reconciliation.cashCounts[0]).toMatchObject({ type: 'file' })
    })
})

// SQL -----------------------------------------------------------------------------------------

interface Engine {
    exec(sql: string): Promise<void>
    table: string
    /** Connection keys of a source (no name, no query). */
    connection: Record<string, unknown>
    ts: string
}

const q = (v: unknown) => (typeof v === 'number' ? String(v) : `'${String(v)}'`)

async function createStatementTable(e: Engine): Promise<void> {
    await e.exec(`CREATE TABLE ${e.table} (ref_op VARCHAR(20) NOT NULL, date_op ${e.ts} NOT NULL, montant INTEGER NOT NULL, frais INTEGER NOT NULL, numero VARCHAR(20))`)
    for (const r of STATEMENT_ROWS) await e.exec(`INSERT INTO ${e.table} VALUES (${r.map(q).join(', ')})`)
}

const sqlSource = (e: Engine, extra: object = {}) => ({
    type: 'sql',
    name: 'om-db',
    ...e.connection,
    query: `SELECT ref_op AS reference, date_op AS occurred_at, montant AS amount_xof, frais AS fee_xof, numero AS msisdn FROM ${e.table} WHERE date_op >= :from AND date_op < :to`,
    channel: 'ORANGE_MONEY',
    facility: 'F1',
    ...extra,
})

function sqlTests(engine: () => Engine): void {
    test('reconciling a month reads that month’s rows only, every time; another month reads its own', async () => {
        const e = engine()
        expectMarch(await reconcile({ statements: [sqlSource(e)] }, '2024-03'))
        // Again: the same figures (no cursor moved).
        expectMarch(await reconcile({ statements: [sqlSource(e)] }, '2024-03'))
        expectFebruary(await reconcile({ statements: [sqlSource(e)] }, '2024-02'))
    })

    test('a source that fails is one bilingual quarantine entry naming it; the other sources are reconciled', async () => {
        const e = engine()
        const dir = tmpDir('stmt-sql-')
        const card = path.join(dir, 'carte.csv')
        fs.writeFileSync(card, 'reference,occurred_at,amount_xof,channel,facility_code\nCB-1,2024-03-05 10:00,4000,CARD,F1\n')
        const broken = sqlSource(e, { query: `SELECT nope FROM ${e.table} WHERE date_op >= :from AND date_op < :to` })
        const r = await reconcile({ statements: [broken, { paths: [card] }] }, '2024-03')
        expect(r.report.quarantine).toEqual([{ file: 'om-db', line: 0, column: null, reason: { fr: expect.stringMatching(/^Source « om-db » : la requête a échoué.*corrigez « query »/), en: expect.stringMatching(/^Source "om-db": the query failed.*fix "query"/) } }])
        expect(r.report.channels.map((c) => c.channel)).toEqual(['CARD'])
        // March is reported but its DHIS2 figures are not replaced: Orange Money's would fall to 0.
        expect(r.report.months).toEqual(['2024-03'])
        expect(r.months).toEqual([])
        expect(r.warnings).toEqual([{ fr: expect.stringMatching(/^Totaux de 2024-03 non envoyés à DHIS2/), en: expect.stringMatching(/^Totals of 2024-03 not sent to DHIS2/) }])
    })
}

describeWithServer('postgres', 'statement SQL source — PostgreSQL', () => {
    const schema = `rb_stmt_${randomBytes(4).toString('hex')}`
    const admin = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' })
    const engine = (): Engine => ({
        exec: async (sql) => void (await admin.query(sql)),
        table: `${schema}.releve`,
        connection: { driver: 'postgres', host: '127.0.0.1', port: 5432, database: 'test', user: 'postgres' },
        ts: 'timestamp',
    })
    beforeAll(async () => {
        await admin.connect()
        await admin.query(`CREATE SCHEMA ${schema}`)
        await createStatementTable(engine())
        // The same rows as instants (timestamptz), for :from_utc / :to_utc.
        await admin.query(`CREATE TABLE ${schema}.releve_tz AS SELECT ref_op, (date_op AT TIME ZONE '${ZONE}') AS date_op, montant, frais, numero FROM ${schema}.releve`)
    })
    afterAll(async () => {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
        await admin.end()
    })
    sqlTests(engine)

    test('a timestamptz column bounded by :from_utc / :to_utc gives the same local months', async () => {
        const src = sqlSource(engine(), {
            query: `SELECT ref_op AS reference, date_op AS occurred_at, montant AS amount_xof, frais AS fee_xof FROM ${schema}.releve_tz WHERE date_op >= :from_utc AND date_op < :to_utc`,
        })
        expectMarch(await reconcile({ statements: [src] }, '2024-03'))
        expectFebruary(await reconcile({ statements: [src] }, '2024-02'))
    })

    test('an unknown user: the bilingual reason names the variable of the password, never its value; the run goes on', async () => {
        const src = sqlSource(engine(), { user: `nobody_${schema}`, passwordEnv: 'OM_DB_PASSWORD' })
        const r = await reconcile({ statements: [src] }, '2024-03', { OM_DB_PASSWORD: 'S3cret-stmt-pw' })
        expect(r.report.quarantine).toHaveLength(1)
        expect(r.report.quarantine[0].reason.en).toMatch(/^Source "om-db": connection refused by postgres:\/\/nobody_.*wrong user or password.*OM_DB_PASSWORD/)
        expect(r.report.quarantine[0].reason.fr).toMatch(/^Source « om-db » : connexion refusée.*OM_DB_PASSWORD/)
        expect(JSON.stringify(r)).not.toContain('S3cret')
        expect(r.report.channels).toEqual([])
    })
})

describeWithServer('mysql', 'statement SQL source — MariaDB', () => {
    const table = `rb_stmt_${randomBytes(4).toString('hex')}`
    let admin: mysql.Connection
    const engine = (): Engine => ({
        exec: async (sql) => void (await admin.query(sql)),
        table,
        connection: { driver: 'mysql', host: '127.0.0.1', port: 3306, database: 'test', user: 'root' },
        ts: 'DATETIME',
    })
    beforeAll(async () => {
        admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: 'test' })
        await createStatementTable(engine())
    })
    afterAll(async () => {
        await admin.query(`DROP TABLE IF EXISTS ${table}`)
        await admin.end()
    })
    sqlTests(engine)

    test('a wrong password: the bilingual reason names the variable, never the value; the run goes on', async () => {
        const src = sqlSource(engine(), { passwordEnv: 'OM_DB_PASSWORD' })
        const r = await reconcile({ statements: [src] }, '2024-03', { OM_DB_PASSWORD: 'S3cret-stmt-pw' })
        expect(r.report.quarantine).toEqual([{ file: 'om-db', line: 0, column: null, reason: { fr: expect.stringMatching(/utilisateur ou mot de passe incorrect.*OM_DB_PASSWORD/), en: expect.stringMatching(/wrong user or password.*OM_DB_PASSWORD/) } }])
        expect(JSON.stringify(r)).not.toContain('S3cret')
    })
})

describe('statement SQL source — SQLite', () => {
    const dir = tmpDir('stmt-sqlite-')
    const file = path.join(dir, 'operateur.db')
    const engine = (): Engine => ({
        exec: async (sql) => void new Database(file).exec(sql).close(),
        table: 'releve',
        connection: { driver: 'sqlite', file },
        ts: 'TEXT',
    })
    beforeAll(async () => {
        await createStatementTable(engine())
    })
    sqlTests(engine)

    test('a payment just before the month’s end pairs with its statement row just after it (the margin), never reported on its own', async () => {
        // D: 23:50 local on 31 March; OM-A: 00:00 local on 1 April, same amount, ten minutes later.
        const D = { transactionId: 'D', occurredAt: '2024-03-31T22:50:00.000Z', amountXof: 900, ref: 'OM-Z' }
        const r = await reconcile({ statements: [sqlSource(engine())] }, '2024-03', {}, [D])
        expect(r.months).toEqual(['2024-03'])
        expect(r.report.channels[0]).toMatchObject({ ledgerCount: 3, categories: expect.objectContaining({ MATCHED: { count: 2, amount: 5900 }, LEDGER_ONLY: { count: 1, amount: 7000 }, STATEMENT_ONLY: { count: 2, amount: 4500 } }) })
        // OM-L (29 February, unmatched) came with the margin too: not a March item.
        expect(r.report.items.map((i) => i.reference).sort()).toEqual(['OM-1', 'OM-7', 'OM-A', 'OM-B', null].sort())
        // Without a window, no margin: D is unsettled.
        const tight = await reconcile({ windowMinutes: 0, statements: [sqlSource(engine())] }, '2024-03', {}, [D])
        expect(tight.report.channels[0]).toMatchObject({ categories: expect.objectContaining({ MATCHED: { count: 1, amount: 5000 }, LEDGER_ONLY: { count: 2, amount: 7900 } }) })
    })

    test('cash counts from a database too: the month’s days only, the cashier kept for the per-cashier match', async () => {
        const db = new Database(file)
        db.exec("CREATE TABLE caisse (jour TEXT, compte INTEGER, caissier TEXT); INSERT INTO caisse VALUES ('2024-02-29', 100, 'C1'), ('2024-03-01', 200, 'C1'), ('2024-03-31', 300, 'C2'), ('2024-04-01', 400, 'C1')")
        db.close()
        const cfg = configSchema.parse({
            reconciliation: { cashCounts: [{ type: 'sql', name: 'caisse-db', driver: 'sqlite', file, facility: 'F1', query: 'SELECT jour AS date, compte AS counted_xof, caissier AS cashier_id FROM caisse WHERE jour >= :from AND jour < :to' }] },
        }).reconciliation
        const r = await readReconInputs(cfg, { statements: [], cashCounts: [] }, { zoneFor: () => ZONE }, { months: ['2024-03'] })
        expect(r.counts.rows.map((c) => [c.facilityCode, c.date, c.countedXof, c.cashierId, c.source])).toEqual([
            ['F1', '2024-03-01', 200, 'C1', 'caisse-db'],
            ['F1', '2024-03-31', 300, 'C2', 'caisse-db'],
        ])
        expect(r.counts.sources).toEqual(['caisse-db'])
    })

    test('config check reads the current and previous months and counts the source', async () => {
        const db = new Database(file)
        db.prepare('INSERT INTO releve VALUES (?, ?, ?, ?, ?)').run('OM-NOW', new Date().toISOString().slice(0, 10) + ' 00:00:01', 100, 1, null)
        db.close()
        const r = (await checkReconciliation({ config: configSchema.parse({ reconciliation: { statements: [sqlSource(engine())] } }), zoneFor: () => ZONE }))!
        expect(r).toMatchObject({ files: 0, sources: 1, statementRows: 1, problems: [] })
        expect(renderReconCheck(r, 'en')[0]).toMatch(/^Reconciliation: 0 file\(s\), 1 database\(s\) or API\(s\), 1 statement row/)
        expect(renderReconCheck(r, 'fr')[0]).toMatch(/^Rapprochement : 0 fichier\(s\), 1 base\(s\) ou API, 1 ligne/)
        const gone = (await checkReconciliation({ config: configSchema.parse({ reconciliation: { statements: [sqlSource(engine(), { file: path.join(dir, 'nope.db') })] } }), zoneFor: () => ZONE }))!
        expect(gone).toMatchObject({ sources: 0, problems: [{ count: 1, first: 'om-db:0', reason: { en: expect.stringMatching(/cannot open SQLite database/) } }] })
    })
})

// HTTP ----------------------------------------------------------------------------------------

/** A statement API: items in `data`, two per page, only for the asked month; bearer token required. */
function statementApi(token: string): { url: Promise<string>; requests: URL[]; close(): void } {
    const requests: URL[] = []
    const items = STATEMENT_ROWS.map(([ref, at, amount, fee, msisdn]) => ({
        id: ref,
        at: `${at.replace(' ', 'T')}+01:00`,
        amount: { value: amount, fee },
        account: { msisdn, terminal: 'OM-MARCHAND-77' },
    }))
    const server = http.createServer((req, res) => {
        const u = new URL(req.url!, 'http://x')
        requests.push(u)
        if (req.headers.authorization !== `Bearer ${token}`) {
            res.writeHead(401).end('{"error":"unauthorized"}')
            return
        }
        const from = Date.parse(u.searchParams.get('from') ?? '')
        const to = Date.parse(u.searchParams.get('to') ?? '')
        const page = Number(u.searchParams.get('page'))
        const month = items.filter((i) => Date.parse(i.at) >= from && Date.parse(i.at) < to)
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: month.slice((page - 1) * 2, page * 2), total: month.length }))
    })
    const url = new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/releve`)))
    return { url, requests, close: () => server.close() }
}

describe('statement HTTP source', () => {
    const TOKEN = 'tok-stmt-9f8e7d'
    let api: ReturnType<typeof statementApi>
    // Listening from beforeAll: a run filtered to other tests (-t) must not be kept alive by it.
    beforeAll(() => {
        api = statementApi(TOKEN)
    })
    afterAll(() => api.close())
    const source = async (extra: object = {}) => ({
        type: 'http',
        name: 'om-api',
        url: await api.url,
        auth: { type: 'bearer', tokenEnv: 'OM_API_TOKEN' },
        items: 'data',
        paging: { type: 'page', size: 2 },
        mapping: { columns: { id: 'reference', at: 'occurred_at', 'amount.value': 'amount_xof', 'amount.fee': 'fee_xof', 'account.msisdn': 'msisdn', 'account.terminal': 'facility_code' }, values: { facility_code: { 'OM-MARCHAND-77': 'F1' } } },
        channel: 'ORANGE_MONEY',
        ...extra,
    })

    test('each month is asked with its bounds (UTC instants, to exclusive), page by page; the month’s rows only', async () => {
        api.requests.length = 0
        expectMarch(await reconcile({ statements: [await source()] }, '2024-03', { OM_API_TOKEN: TOKEN }))
        expect(api.requests.map((u) => Object.fromEntries(u.searchParams))).toEqual([
            // A day of margin on each side (the 30-minute matching window, in whole days).
            { from: '2024-02-28T23:00:00.000Z', to: '2024-04-01T23:00:00.000Z', page: '1', pageSize: '2' },
            { from: '2024-02-28T23:00:00.000Z', to: '2024-04-01T23:00:00.000Z', page: '2', pageSize: '2' },
            { from: '2024-02-28T23:00:00.000Z', to: '2024-04-01T23:00:00.000Z', page: '3', pageSize: '2' },
        ])
        expectFebruary(await reconcile({ statements: [await source()] }, '2024-02', { OM_API_TOKEN: TOKEN }))
    })

    test('month.format date: local dates, the last day inclusive, under the API’s own parameter names', async () => {
        api.requests.length = 0
        await reconcile({ statements: [await source({ month: { from: 'dateDebut', to: 'dateFin', format: 'date' } })] }, '2024-03', { OM_API_TOKEN: TOKEN })
        expect(Object.fromEntries(api.requests[0].searchParams)).toMatchObject({ dateDebut: '2024-02-29', dateFin: '2024-04-01' })
        api.requests.length = 0
        await reconcile({ windowMinutes: 0, statements: [await source({ month: { from: 'dateDebut', to: 'dateFin', format: 'date' } })] }, '2024-03', { OM_API_TOKEN: TOKEN })
        expect(Object.fromEntries(api.requests[0].searchParams)).toMatchObject({ dateDebut: '2024-03-01', dateFin: '2024-03-31' })
    })

    test('a refused token: one bilingual entry naming the variable, never the token; the run goes on', async () => {
        const r = await reconcile({ statements: [await source()] }, '2024-03', { OM_API_TOKEN: 'wrong-tok-1234' })
        expect(r.report.quarantine).toEqual([
            {
                file: 'om-api',
                line: 0,
                column: null,
                reason: { fr: expect.stringMatching(/^Source « om-api » : accès refusé .*HTTP 401.*OM_API_TOKEN/), en: expect.stringMatching(/^Source "om-api": access denied .*HTTP 401.*OM_API_TOKEN/) },
            },
        ])
        expect(JSON.stringify(r)).not.toMatch(/wrong-tok|tok-stmt/)
        const unset = await reconcile({ statements: [await source()] }, '2024-03', {})
        expect(unset.report.quarantine[0].reason.en).toMatch(/OM_API_TOKEN is not set/)
    })

    test('a server that does not answer: one entry, after the retries; rows of a row-level problem are quarantined like a file’s', async () => {
        const down = await reconcile({ statements: [await source({ url: 'http://127.0.0.1:9/releve', retries: 0, timeoutMs: 1000 })] }, '2024-03', { OM_API_TOKEN: TOKEN })
        expect(down.report.quarantine).toEqual([expect.objectContaining({ file: 'om-api', reason: { fr: expect.stringMatching(/injoignable/), en: expect.stringMatching(/unreachable.*is the service running/) } })])
        // Without the amount's path, every row of the month is quarantined with the reason a file row would get.
        const src = await source()
        const { 'amount.value': _, ...columns } = src.mapping.columns
        const noAmount = await reconcile({ statements: [{ ...src, mapping: { ...src.mapping, columns } }] }, '2024-03', { OM_API_TOKEN: TOKEN })
        // March's three rows and the two of the margin (29 February, 1 April): a bad row is reported wherever it is read.
        expect(noAmount.report.quarantine).toHaveLength(5)
        expect(noAmount.report.quarantine[0]).toEqual({ file: 'om-api', line: 1, column: 'amount_xof', reason: { fr: 'Colonne obligatoire « amount_xof » absente', en: 'Required column "amount_xof" is missing' } })
        expect(noAmount.report.channels).toEqual([])
    })
})

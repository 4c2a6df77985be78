import { randomBytes } from 'node:crypto'
import path from 'node:path'
import Database from 'better-sqlite3'
import mysql from 'mysql2/promise'
import { Client } from 'pg'
import { LedgerSourceError } from '../../bridge/ledger/sources'
import type { StateDb } from '../../bridge/state/db'
import { collect, describeWithServer, open, stateDb, tmpDir } from './helpers'

/**
 * The SQL source against real engines: a throwaway schema (PostgreSQL), database (MariaDB) or
 * file (SQLite) holding a cashier system's `paiements` table, read through a query that renames
 * its columns to the canonical ones.
 */

interface Engine {
    /** Runs statements as the administrator (fixtures). */
    exec(sql: string): Promise<void>
    /** The table's qualified name in queries. */
    table: string
    /** YAML lines of the connection (driver, host, …). */
    connection: string
    /** Column types of the dialect. */
    types: { ts: string; text: string; money: string }
    close(): Promise<void>
}

const ROWS = [
    // recu, ligne, paye_le, maj, structure, mode, prestation, montant, statut
    ['R01', 1, '2024-03-15 08:00:00', '2024-03-15 10:00:00', 'ML-BKO-HDB', 'Espèces', 'Consultation', 5000, 'SUCCESS'],
    ['R02', 1, '2024-03-15 08:10:00', '2024-03-15 10:00:00', 'ML-BKO-HDB', 'OM', 'Laboratoire', 12500, 'SUCCESS'],
    ['R02', 2, '2024-03-15 08:10:00', '2024-03-15 10:00:00', 'ML-BKO-HDB', 'OM', 'Pharmacie', 3750, 'SUCCESS'],
    ['R03', 1, '2024-03-15 08:20:00', '2024-03-15 10:00:00', 'ML-BKO-HDB', 'Carte', 'Imagerie', 25000, 'PENDING'],
    ['R04', 1, '2024-03-15 09:00:00', '2024-03-15 11:00:00', 'ML-BKO-CHUGT', 'Moov', 'Hospitalisation', 45000, 'SUCCESS'],
    ['R05', 1, '2024-03-15 09:30:00', '2024-03-15 11:30:00', 'ML-BKO-CHUGT', 'Sama', 'Consultation', 3000, 'SUCCESS'],
    ['R06', 1, '2024-03-15 10:00:00', '2024-03-15 12:00:00', 'ML-BKO-CHUGT', 'Espèces', 'Examens', 7000, 'FAILED'],
    ['R07', 1, '2024-03-16 08:00:00', '2024-03-16 08:00:00', 'ML-BKO-HDB', 'Espèces', 'Consultation', 5000, 'SUCCESS'],
    ['R08', 1, '2024-03-16 08:30:00', '2024-03-16 08:30:00', 'ML-BKO-HDB', 'Espèces', 'Consultation', 5000, 'SUCCESS'],
    ['R09', 1, '2024-03-16 09:00:00', '2024-03-16 09:00:00', 'ML-BKO-HDB', 'Espèces', 'Pharmacie', 1500, 'SUCCESS'],
] as const

const q = (v: unknown) => (typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`)

async function createFixture(e: Engine): Promise<void> {
    const { ts, text, money } = e.types
    await e.exec(
        `CREATE TABLE ${e.table} (id INTEGER PRIMARY KEY, recu ${text} NOT NULL, ligne INTEGER NOT NULL, paye_le ${ts} NOT NULL, maj ${ts} NOT NULL, structure ${text} NOT NULL, mode ${text} NOT NULL, prestation ${text} NOT NULL, montant ${money} NOT NULL, statut ${text}, telephone ${text}, photo_recu ${e.types.text === 'TEXT' && e.connection.includes('sqlite') ? 'BLOB' : e.connection.includes('mysql') ? 'BLOB' : 'BYTEA'})`
    )
    for (const [i, r] of ROWS.entries()) {
        await e.exec(`INSERT INTO ${e.table} (id, recu, ligne, paye_le, maj, structure, mode, prestation, montant, statut, telephone) VALUES (${i + 1}, ${r.map(q).join(', ')}, '7600000${i}')`)
    }
}

const QUERY = (table: string) =>
    `SELECT recu AS transaction_id, ligne AS line_no, paye_le AS occurred_at, maj AS updated_at, structure AS facility_code, mode AS channel, prestation AS service, montant AS amount_xof, statut AS status, telephone AS payer_msisdn FROM ${table}`

function yaml(e: Engine, extra: { query?: string; pageSize?: number; cursor?: string; more?: string } = {}): string {
    return `
ledger:
  sources:
    - type: sql
      name: facturation
${e.connection}
      query: ${JSON.stringify(extra.query ?? QUERY(e.table))}
      cursor: ${extra.cursor ?? '{ column: updated_at }'}
      pageSize: ${extra.pageSize ?? 3}
${extra.more ?? ''}`
}

function sqlTests(engine: () => Engine): void {
    let e: Engine
    beforeAll(() => {
        e = engine()
    })

    test('reads every row once in cursor order, paging through ties of updated_at', async () => {
        const [src] = await open(yaml(e))
        const r = await collect(src)
        expect(r.quarantine).toEqual([])
        expect(r.lines.map((l) => `${l.transactionId}/${l.lineNo}`)).toEqual(ROWS.map((x) => `${x[0]}/${x[1]}`))
        expect(r.lines[1]).toMatchObject({ channel: 'ORANGE_MONEY', service: 'EXAM', amountXof: 12500, occurredAt: '2024-03-15T08:10:00.000Z', updatedAt: '2024-03-15T10:00:00.000Z' })
        expect(r.lines[3]).toMatchObject({ status: 'PENDING', channel: 'CARD' })
        expect(src.stats).toMatchObject({ rows: 10, lines: 10 })
        expect(r.json).not.toMatch(/7600000/)
    })

    test('after commit, the next run reads only rows added or changed since', async () => {
        const db = stateDb()
        const [first] = await open(yaml(e), db)
        await collect(first)
        first.commit(db)
        const [nothing] = await open(yaml(e), db)
        expect((await collect(nothing)).lines).toEqual([])
        await e.exec(`UPDATE ${e.table} SET statut = 'SUCCESS', maj = '2024-03-17 09:00:00' WHERE recu = 'R03'`)
        await e.exec(`INSERT INTO ${e.table} (id, recu, ligne, paye_le, maj, structure, mode, prestation, montant, statut) VALUES (100, 'R10', 1, '2024-03-17 08:00:00', '2024-03-17 08:00:00', 'ML-BKO-HDB', 'Espèces', 'Consultation', 2000, 'SUCCESS')`)
        try {
            const [next] = await open(yaml(e), db)
            const r = await collect(next)
            expect(r.lines.map((l) => [l.transactionId, l.status])).toEqual([
                ['R10', 'SUCCESS'],
                ['R03', 'SUCCESS'],
            ])
        } finally {
            await e.exec(`DELETE FROM ${e.table} WHERE id = 100`)
            await e.exec(`UPDATE ${e.table} SET statut = 'PENDING', maj = '2024-03-15 10:00:00' WHERE recu = 'R03'`)
        }
    })

    test('an interrupted run: without commit everything is read again; a commit after a partial read never skips a row', async () => {
        const db: StateDb = stateDb()
        const [a] = await open(yaml(e), db)
        await collect(a) // the sync died before committing: no commit
        const [b] = await open(yaml(e), db)
        const seen: string[] = []
        for await (const item of b.read({ zoneFor: () => 'Africa/Bamako' })) {
            if (item.kind === 'line') seen.push(item.line.transactionId + '/' + item.line.lineNo)
            if (seen.length === 5) break // the fifth line was handed over but not processed
        }
        expect(seen).toHaveLength(5)
        b.commit(db)
        const [c] = await open(yaml(e), db)
        const rest = (await collect(c)).lines.map((l) => `${l.transactionId}/${l.lineNo}`)
        expect(rest).toEqual(ROWS.slice(4).map((x) => `${x[0]}/${x[1]}`))
    })

    test('cursor.start bounds the first run; a changed query starts again from the beginning', async () => {
        const db = stateDb()
        const [src] = await open(yaml(e, { cursor: `{ column: updated_at, start: "2024-03-16 00:00:00" }` }), db)
        expect((await collect(src)).lines.map((l) => l.transactionId)).toEqual(['R07', 'R08', 'R09'])
        src.commit(db)
        const notes: string[] = []
        const [changed] = await open(yaml(e, { query: QUERY(e.table) + ` WHERE montant > 0` }), db, [], { log: (m) => notes.push(m.en) })
        expect((await collect(changed)).lines).toHaveLength(10)
        expect(notes.join()).toMatch(/query or cursor changed/)
    })

    test('a cursor on an increasing id, with a mapping instead of AS aliases', async () => {
        const [src] = await open(
            yaml(e, {
                query: `SELECT id, recu, ligne, paye_le, structure, mode, prestation, montant FROM ${e.table}`,
                cursor: '{ column: id, tieBreaker: [] }',
                pageSize: 4,
                more: `      mapping:
        columns: { recu: transaction_id, ligne: line_no, paye_le: occurred_at, structure: facility_code, mode: channel, prestation: service, montant: amount_xof }
`,
            })
        )
        const r = await collect(src)
        expect(r.lines.map((l) => l.transactionId + '/' + l.lineNo)).toEqual(ROWS.map((x) => `${x[0]}/${x[1]}`))
    })

    test('a query returning a column of the wrong type is a clear error before any row', async () => {
        const cases: Array<[string, RegExp]> = [
            // SQLite has no column types to announce a date: its bytes are caught on the first value.
            [QUERY(e.table).replace('montant AS amount_xof', e.connection.includes('sqlite') ? "x'00ff' AS amount_xof" : 'paye_le AS amount_xof'), /amount_xof/],
            [QUERY(e.table).replace('paye_le AS occurred_at', 'id AS occurred_at'), /occurred_at/],
            [QUERY(e.table).replace('prestation AS service', 'photo_recu AS service'), /service/],
        ]
        for (const [query, column] of cases) {
            const [src] = await open(yaml(e, { query }))
            const err = await collect(src).catch((x) => x)
            expect(err).toBeInstanceOf(LedgerSourceError)
            expect(err.reason.en).toMatch(column)
            expect(err.reason.en).toMatch(/Source "facturation": .*(type|Unexpected)/)
            expect(err.reason.fr).toMatch(/Source « facturation » : .*type/i)
            expect(err.reason.en).toMatch(/CAST/)
        }
    })

    test('a query without a required column names it', async () => {
        const [src] = await open(yaml(e, { query: QUERY(e.table).replace('structure AS facility_code, ', '') }))
        const err = await collect(src).catch((x) => x)
        expect(err).toBeInstanceOf(LedgerSourceError)
        expect(err.reason.en).toMatch(/facility_code/)
        expect(err.reason.fr).toMatch(/facility_code/)
    })
}

describe('SQL source — SQLite file (read-only)', () => {
    const dir = tmpDir('sqlite-')
    const file = path.join(dir, 'caisse.sqlite')
    const db = new Database(file)
    const engine = (): Engine => ({
        exec: async (sql) => void db.exec(sql),
        table: 'paiements',
        connection: `      driver: sqlite\n      file: ${JSON.stringify(file)}`,
        types: { ts: 'TEXT', text: 'TEXT', money: 'INTEGER' },
        close: async () => void db.close(),
    })
    beforeAll(async () => createFixture(engine()))
    afterAll(() => db.close())
    sqlTests(engine)

    test('a missing database file is a clear error', async () => {
        const [src] = await open(`
ledger:
  sources:
    - { type: sql, name: facturation, driver: sqlite, file: /nonexistent/caisse.sqlite, query: "SELECT 1 AS x", cursor: { column: x } }
`)
        const err = await collect(src).catch((x) => x)
        expect(err).toBeInstanceOf(LedgerSourceError)
        expect(err.reason.en).toMatch(/cannot open SQLite database .*fix "file"/)
    })
})

describeWithServer('postgres', 'SQL source — PostgreSQL', () => {
    const schema = `rb_test_${randomBytes(4).toString('hex')}`
    const admin = new Client({ host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' })
    const engine = (): Engine => ({
        exec: async (sql) => void (await admin.query(sql)),
        table: `${schema}.paiements`,
        connection: '      driver: postgres\n      host: 127.0.0.1\n      port: 5432\n      database: test\n      user: postgres',
        types: { ts: 'timestamp', text: 'text', money: 'numeric(12,2)' },
        close: async () => undefined,
    })
    beforeAll(async () => {
        await admin.connect()
        await admin.query(`CREATE SCHEMA ${schema}`)
        await admin.query(`CREATE SEQUENCE ${schema}.compteur`)
        await createFixture(engine())
    })
    afterAll(async () => {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
        await admin.end()
    })
    sqlTests(engine)

    test('a bad credential: clear bilingual error naming the variable, never the secret', async () => {
        const env = { BILLING_PW: 'S3cret-do-not-print' }
        const [src] = await open(yaml(engine()).replace('user: postgres', `user: nobody_${schema}\n      passwordEnv: BILLING_PW`), stateDb(), [], { env })
        const err = await collect(src).catch((x) => x)
        expect(err).toBeInstanceOf(LedgerSourceError)
        expect(err.reason.en).toMatch(/wrong user or password.*BILLING_PW/)
        expect(err.reason.fr).toMatch(/utilisateur ou mot de passe incorrect.*BILLING_PW/)
        expect(JSON.stringify(err.reason) + err.message).not.toMatch(/S3cret/)
        // Named but not set: said before connecting.
        const [unset] = await open(yaml(engine()).replace('user: postgres', 'user: postgres\n      passwordEnv: BILLING_PW'), stateDb(), [], { env: {} })
        expect((await collect(unset).catch((x) => x)).reason.en).toMatch(/BILLING_PW \(passwordEnv\) is not set/)
    })

    test('the connection is read-only: a query that writes fails', async () => {
        const [src] = await open(yaml(engine(), { query: QUERY(engine().table).replace('FROM', `, nextval('${schema}.compteur') AS n FROM`) }))
        const err = await collect(src).catch((x) => x)
        expect(err).toBeInstanceOf(LedgerSourceError)
        expect(err.reason.en).toMatch(/read-only/)
    })

    test('a statement time-out stops a slow query with a clear error', async () => {
        const [src] = await open(yaml(engine(), { query: QUERY(engine().table).replace('FROM', ', pg_sleep(0.5) AS z FROM'), more: '      statementTimeoutMs: 300\n' }))
        const err = await collect(src).catch((x) => x)
        expect(err).toBeInstanceOf(LedgerSourceError)
        expect(err.reason.en).toMatch(/stopped after 300 ms \(statementTimeoutMs\)/)
    })

    test('timestamptz values keep their instant whatever the host time zone', async () => {
        const [src] = await open(
            yaml(engine(), { query: QUERY(engine().table).replace('paye_le AS occurred_at', `(paye_le AT TIME ZONE 'Europe/Paris') AS occurred_at`) })
        )
        const r = await collect(src)
        // paye_le 08:00 read as Paris wall time → 07:00Z.
        expect(r.lines[0].occurredAt).toBe('2024-03-15T07:00:00.000Z')
    })
})

describeWithServer('mysql', 'SQL source — MariaDB / MySQL', () => {
    const dbName = `rb_test_${randomBytes(4).toString('hex')}`
    const user = `rb_${randomBytes(3).toString('hex')}`
    let admin: mysql.Connection
    const engine = (): Engine => ({
        exec: async (sql) => void (await admin.query(sql)),
        table: `${dbName}.paiements`,
        connection: `      driver: mysql\n      host: 127.0.0.1\n      port: 3306\n      database: ${dbName}\n      user: root`,
        types: { ts: 'DATETIME', text: 'VARCHAR(100)', money: 'DECIMAL(12,2)' },
        close: async () => undefined,
    })
    beforeAll(async () => {
        admin = await mysql.createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: 'test' })
        await admin.query(`CREATE DATABASE ${dbName} CHARACTER SET utf8mb4`)
        await createFixture(engine())
        await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY 'right-password'`)
        await admin.query(`CREATE USER '${user}'@'localhost' IDENTIFIED BY 'right-password'`)
        await admin.query(`GRANT SELECT ON ${dbName}.* TO '${user}'@'%'`)
        await admin.query(`GRANT SELECT ON ${dbName}.* TO '${user}'@'localhost'`)
    })
    afterAll(async () => {
        await admin.query(`DROP DATABASE IF EXISTS ${dbName}`)
        await admin.query(`DROP USER IF EXISTS '${user}'@'%'`)
        await admin.query(`DROP USER IF EXISTS '${user}'@'localhost'`)
        await admin.end()
    })
    sqlTests(engine)

    test('a bad credential: clear bilingual error naming the variable, never the secret', async () => {
        const y = yaml(engine()).replace('user: root', `user: ${user}\n      passwordEnv: CAISSE_PW`)
        const [bad] = await open(y, stateDb(), [], { env: { CAISSE_PW: 'wrong-S3cret' } })
        const err = await collect(bad).catch((x) => x)
        expect(err).toBeInstanceOf(LedgerSourceError)
        expect(err.reason.en).toMatch(/wrong user or password.*CAISSE_PW/)
        expect(err.reason.fr).toMatch(/mot de passe incorrect.*CAISSE_PW/)
        expect(JSON.stringify(err.reason) + err.message).not.toMatch(/S3cret/)
        // The right password, from the environment only.
        const [good] = await open(y, stateDb(), [], { env: { CAISSE_PW: 'right-password' } })
        expect((await collect(good)).lines).toHaveLength(10)
    })

    test('a statement time-out stops a slow query with a clear error', async () => {
        const [src] = await open(
            yaml(engine(), { query: `SELECT t.*, (SELECT COUNT(*) FROM information_schema.columns a, information_schema.columns b, information_schema.columns c) AS z FROM (${QUERY(engine().table)}) t`, more: '      statementTimeoutMs: 300\n' })
        )
        const err = await collect(src).catch((x) => x)
        expect(err).toBeInstanceOf(LedgerSourceError)
        expect(err.reason.en).toMatch(/stopped after 300 ms/)
    })
})

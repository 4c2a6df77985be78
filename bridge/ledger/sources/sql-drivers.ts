import Database from 'better-sqlite3'
import type { FieldPacket, RowDataPacket } from 'mysql2'
import type * as MysqlPromise from 'mysql2/promise'
import type * as Pg from 'pg'
import type { SqlConnectionConfig } from '../../config/sources'

/** The SQL sources' drivers (sql.ts, bridge/reconcile/sql-statements.ts): PostgreSQL, MariaDB/MySQL and SQLite behind one small interface. */

// The drivers are loaded when a source of their kind is opened: with exceljs they cost about half
// a second at start-up, paid by every run (the scheduler starts one every hour), most of which use none.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadPg = () => require('pg') as typeof Pg
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadMysql = () => require('mysql2/promise') as typeof MysqlPromise

export type ColumnClass = 'temporal' | 'time' | 'numeric' | 'text' | 'binary' | 'boolean' | 'json' | 'other'

export interface Field {
    name: string
    cls: ColumnClass
    /** The database's own type name, for messages. */
    typeName: string
}

export interface Driver {
    /** Where it connects, without any secret (postgres://user@host:5432/db). */
    label: string
    open(): Promise<void>
    /** The result columns of a query, without reading rows. */
    fields(sql: string): Promise<Field[]>
    rows(sql: string, params: unknown[]): Promise<Record<string, unknown>[]>
    close(): Promise<void>
    placeholder(i: number): string
    quote(id: string): string
}

// PostgreSQL -------------------------------------------------------------------------------

const PG_CLASS: Record<number, [ColumnClass, string]> = {
    16: ['boolean', 'boolean'],
    17: ['binary', 'bytea'],
    18: ['text', 'char'],
    19: ['text', 'name'],
    20: ['numeric', 'bigint'],
    21: ['numeric', 'smallint'],
    23: ['numeric', 'integer'],
    25: ['text', 'text'],
    26: ['numeric', 'oid'],
    114: ['json', 'json'],
    700: ['numeric', 'real'],
    701: ['numeric', 'double precision'],
    790: ['other', 'money'],
    1042: ['text', 'character'],
    1043: ['text', 'varchar'],
    1082: ['temporal', 'date'],
    1083: ['time', 'time'],
    1114: ['temporal', 'timestamp'],
    1184: ['temporal', 'timestamptz'],
    1186: ['other', 'interval'],
    1266: ['time', 'timetz'],
    1700: ['numeric', 'numeric'],
    2950: ['text', 'uuid'],
    3802: ['json', 'jsonb'],
}
/** Dates and times stay the server's text: exact (microseconds) and independent of the host's TZ. */
const PG_AS_TEXT = new Set([1082, 1083, 1114, 1184, 1266])

export function pgDriver(cfg: SqlConnectionConfig, password: string | undefined, url: string | undefined): Driver {
    const { Client: PgClient, types: pgTypes } = loadPg()
    const client = new PgClient({
        ...(url ? { connectionString: url } : { host: cfg.host, port: cfg.port ?? 5432, database: cfg.database, user: cfg.user, password }),
        ssl: cfg.ssl ? { rejectUnauthorized: true } : undefined,
        connectionTimeoutMillis: cfg.connectTimeoutMs,
        statement_timeout: cfg.statementTimeoutMs,
        query_timeout: cfg.statementTimeoutMs + 5_000,
        application_name: 'revenue-bridge',
        // Read-only for every transaction of this session; UTC so timestamptz text is stable.
        options: '-c default_transaction_read_only=on -c TimeZone=UTC',
        types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (PG_AS_TEXT.has(oid) ? (v: string) => v : pgTypes.getTypeParser(oid, format as 'text'))) as typeof pgTypes.getTypeParser },
    })
    client.on('error', () => undefined) // a dropped connection surfaces on the next query
    return {
        label: url ? safeUrl(url) : `postgres://${cfg.user ? `${cfg.user}@` : ''}${cfg.host}:${cfg.port ?? 5432}/${cfg.database}`,
        async open() {
            await client.connect()
            await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
        },
        async fields(sql) {
            const r = await client.query(sql)
            return r.fields.map((f) => {
                const [cls, typeName] = PG_CLASS[f.dataTypeID] ?? ['other', `oid ${f.dataTypeID}`]
                return { name: f.name, cls, typeName }
            })
        },
        async rows(sql, params) {
            return (await client.query(sql, params)).rows
        },
        async close() {
            await client.query('ROLLBACK').catch(() => undefined)
            await client.end().catch(() => undefined)
        },
        placeholder: (i) => `$${i}`,
        quote: (id) => `"${id.replace(/"/g, '""')}"`,
    }
}

// MySQL / MariaDB ----------------------------------------------------------------------------

function mysqlClass(f: FieldPacket): [ColumnClass, string] {
    const t = f.columnType ?? f.type ?? -1
    const binary = f.characterSet === 63
    const name = (f.typeName ?? String(t)).toLowerCase()
    if ([0, 1, 2, 3, 4, 5, 8, 9, 13, 246].includes(t)) return ['numeric', name]
    if ([7, 10, 12, 14].includes(t)) return ['temporal', name]
    if (t === 11) return ['time', name]
    if (t === 16) return ['binary', 'bit']
    if (t === 245) return ['json', 'json']
    if ([249, 250, 251, 252, 253, 254, 15].includes(t)) return binary ? ['binary', name.includes('blob') ? name : 'binary'] : ['text', name]
    if (t === 247 || t === 248) return ['text', name]
    return ['other', name]
}

export function mysqlDriver(cfg: SqlConnectionConfig, password: string | undefined, url: string | undefined): Driver {
    let conn: MysqlPromise.Connection | null = null
    const timeout = cfg.statementTimeoutMs + 5_000
    const options = {
        connectTimeout: cfg.connectTimeoutMs,
        // Dates as the server's text, big integers and decimals as text: exact, host TZ irrelevant.
        dateStrings: true,
        supportBigNumbers: true,
        bigNumberStrings: true,
        decimalNumbers: false,
        timezone: 'Z',
        multipleStatements: false,
        ssl: cfg.ssl ? { rejectUnauthorized: true } : undefined,
    }
    return {
        label: url ? safeUrl(url) : `mysql://${cfg.user ? `${cfg.user}@` : ''}${cfg.host}:${cfg.port ?? 3306}/${cfg.database}`,
        async open() {
            conn = url
                ? await loadMysql().createConnection({ uri: url, ...options })
                : await loadMysql().createConnection({ host: cfg.host, port: cfg.port ?? 3306, user: cfg.user, password, database: cfg.database, ...options })
            conn.on('error', () => undefined)
            const [v] = await conn.query<RowDataPacket[]>('SELECT VERSION() AS v')
            const mariadb = /mariadb/i.test(String(v[0]?.v ?? ''))
            if (mariadb) await conn.query(`SET SESSION max_statement_time = ${(cfg.statementTimeoutMs / 1000).toFixed(3)}`)
            else await conn.query(`SET SESSION max_execution_time = ${Math.round(cfg.statementTimeoutMs)}`)
            await conn.query('SET SESSION TRANSACTION READ ONLY')
            await conn.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY')
        },
        async fields(sql) {
            const [, fields] = await conn!.query<RowDataPacket[]>({ sql, timeout })
            return (fields ?? []).map((f) => {
                const [cls, typeName] = mysqlClass(f)
                return { name: f.name, cls, typeName }
            })
        },
        async rows(sql, params) {
            const [rows] = await conn!.execute<RowDataPacket[]>({ sql, values: params, timeout })
            return rows as Record<string, unknown>[]
        },
        async close() {
            if (!conn) return
            await conn.query('ROLLBACK').catch(() => undefined)
            await conn.end().catch(() => undefined)
        },
        placeholder: () => '?',
        quote: (id) => `\`${id.replace(/`/g, '``')}\``,
    }
}

// SQLite -------------------------------------------------------------------------------------

function sqliteClass(declared: string | null): [ColumnClass, string] {
    const d = (declared ?? '').toUpperCase()
    if (!d) return ['other', 'expression']
    if (/BLOB/.test(d)) return ['binary', d]
    if (/INT|REAL|FLOA|DOUB|NUM|DEC/.test(d)) return ['numeric', d]
    if (/BOOL/.test(d)) return ['boolean', d]
    if (/CHAR|TEXT|CLOB|DATE|TIME/.test(d)) return ['text', d]
    return ['other', d]
}

export function sqliteDriver(cfg: SqlConnectionConfig): Driver {
    let db: Database.Database | null = null
    return {
        label: `sqlite:${cfg.file}`,
        async open() {
            db = new Database(cfg.file!, { readonly: true, fileMustExist: true, timeout: cfg.connectTimeoutMs })
            db.pragma('query_only = ON')
            // One read transaction: every page sees the same snapshot.
            db.exec('BEGIN')
        },
        async fields(sql) {
            return db!
                .prepare(sql)
                .columns()
                .map((c) => {
                    const [cls, typeName] = sqliteClass(c.type)
                    return { name: c.name, cls, typeName }
                })
        },
        async rows(sql, params) {
            return db!.prepare(sql).all(...params) as Record<string, unknown>[]
        },
        async close() {
            if (db?.inTransaction) db.exec('ROLLBACK')
            db?.close()
        },
        placeholder: () => '?',
        quote: (id) => `"${id.replace(/"/g, '""')}"`,
    }
}

function safeUrl(url: string): string {
    try {
        const u = new URL(url)
        u.password = ''
        u.search = ''
        return u.toString()
    } catch {
        return '(URL)'
    }
}


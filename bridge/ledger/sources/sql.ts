import { createHash } from 'node:crypto'
import Database from 'better-sqlite3'
import type { FieldPacket, RowDataPacket } from 'mysql2'
import type * as MysqlPromise from 'mysql2/promise'
import type * as Pg from 'pg'
import { defaultSecretEnv, type SqlSourceConfig } from '../../config/sources'
import type { Bilingual } from '../../domain/line'
import { registerSecret } from '../../report/redact'
import type { StateDb } from '../../state/db'
import type { LedgerItem } from '../csv-source'
import { normaliseRow, type NormaliseContext } from '../normalise'
import { quoteValue } from '../text'
import { kindOfColumn, wrongType } from './cells'
import { LedgerSourceError, sourceError } from './errors'
import { mapRow, planHeader, resolveMapping, type HeaderPlan, type ResolvedMapping } from './mapping'
import type { LedgerSource, SourceDeps } from './source'
import { loadCursor, saveCursor } from './state'
import { newStats, type SourceStats } from './tabular'

// The drivers are loaded when a source of their kind is opened: with exceljs they cost about half
// a second at start-up, paid by every run (the scheduler starts one every hour), most of which use none.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadPg = () => require('pg') as typeof Pg
// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadMysql = () => require('mysql2/promise') as typeof MysqlPromise

/**
 * A billing database read through a configured SELECT, page by page in cursor order (keyset
 * pagination: `(cursor, tie-breakers) > (last seen)`, bound parameters, never OFFSET), inside
 * one read-only transaction with a statement time-out. The position reached is remembered by
 * commit() only — after the sync has committed the lines — so an interrupted run reads the
 * same rows again next time (lines are idempotent: SPEC §2).
 */

type ColumnClass = 'temporal' | 'time' | 'numeric' | 'text' | 'binary' | 'boolean' | 'json' | 'other'

interface Field {
    name: string
    cls: ColumnClass
    /** The database's own type name, for messages. */
    typeName: string
}

interface Driver {
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

function pgDriver(cfg: SqlSourceConfig, password: string | undefined, url: string | undefined): Driver {
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

function mysqlDriver(cfg: SqlSourceConfig, password: string | undefined, url: string | undefined): Driver {
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

function sqliteDriver(cfg: SqlSourceConfig): Driver {
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

// Errors -------------------------------------------------------------------------------------

/** A driver error → what to check, naming the variable that holds the password (never its value). */
function describeDbError(e: unknown, name: string, driver: Driver, cfg: SqlSourceConfig, secretEnv: string): LedgerSourceError {
    if (e instanceof LedgerSourceError) return e
    const err = e as { code?: string | number; errno?: number; message?: string }
    const code = String(err.code ?? '')
    const errno = err.errno ?? 0
    const msg = String(err.message ?? e).replace(/\s+/g, ' ').slice(0, 300)
    const where = driver.label
    if (code === '28P01' || code === '28000' || errno === 1045 || code === 'ER_ACCESS_DENIED_ERROR') {
        return sourceError(
            name,
            `connexion refusée par ${where} : utilisateur ou mot de passe incorrect. Vérifiez « user » et la variable d'environnement ${secretEnv} (le mot de passe ne s'écrit jamais dans la configuration)`,
            `connection refused by ${where}: wrong user or password. Check "user" and the environment variable ${secretEnv} (the password never goes in the configuration)`
        )
    }
    if (code === '3D000' || errno === 1049 || errno === 1044) {
        return sourceError(name, `base de données inconnue ou interdite sur ${where} : corrigez « database » (${msg})`, `unknown or forbidden database on ${where}: fix "database" (${msg})`)
    }
    if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET'].includes(code) || /connection timeout|timeout expired|connect ETIMEDOUT/i.test(msg)) {
        return sourceError(
            name,
            `serveur injoignable (${code || 'délai de connexion dépassé'}) : ${where}. Le serveur tourne-t-il ? « host » et « port » sont-ils justes ? Un pare-feu bloque-t-il ? (connectTimeoutMs = ${cfg.connectTimeoutMs})`,
            `server unreachable (${code || 'connection time-out'}): ${where}. Is the server running? Are "host" and "port" right? Is a firewall in the way? (connectTimeoutMs = ${cfg.connectTimeoutMs})`
        )
    }
    if (code === '57014' || errno === 1969 || errno === 3024 || code === 'PROTOCOL_SEQUENCE_TIMEOUT' || /query read timeout|max_statement_time|maximum statement execution time/i.test(msg)) {
        return sourceError(
            name,
            `requête interrompue après ${cfg.statementTimeoutMs} ms (statementTimeoutMs) : indexez la colonne curseur « ${cfg.cursor.column} », réduisez pageSize ou augmentez statementTimeoutMs`,
            `query stopped after ${cfg.statementTimeoutMs} ms (statementTimeoutMs): index the cursor column "${cfg.cursor.column}", lower pageSize or raise statementTimeoutMs`
        )
    }
    if (code === '25006' || errno === 1792 || code === 'SQLITE_READONLY') {
        return sourceError(name, `la requête tente d'écrire alors que la connexion est en lecture seule : ${msg}`, `the query tries to write on a read-only connection: ${msg}`)
    }
    if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_NOTADB' || /unable to open database|directory does not exist|file is not a database/i.test(msg)) {
        return sourceError(name, `base SQLite illisible « ${cfg.file} » : ${msg} — corrigez « file »`, `cannot open SQLite database "${cfg.file}": ${msg} — fix "file"`)
    }
    return sourceError(name, `la requête a échoué sur ${where} : ${msg} — corrigez « query »`, `the query failed on ${where}: ${msg} — fix "query"`)
}

// Cursor -------------------------------------------------------------------------------------

type KeyValue = string | number | { big: string }

function toKey(v: unknown): KeyValue {
    if (typeof v === 'bigint') return { big: String(v) }
    return v as string | number
}
function fromKey(v: KeyValue): unknown {
    return typeof v === 'object' && v !== null ? BigInt(v.big) : v
}

const CLASS_OK: Record<string, ReadonlySet<ColumnClass>> = {
    date: new Set(['temporal', 'text', 'other']),
    time: new Set(['time', 'text', 'other']),
    number: new Set(['numeric', 'text', 'other']),
    text: new Set(['text', 'numeric', 'other']),
}

const FIX: Record<SqlSourceConfig['driver'], Bilingual> = {
    postgres: { fr: 'convertissez-la dans la requête (CAST(… AS text), to_char(…), … AS integer)', en: 'convert it in the query (CAST(… AS text), to_char(…), … AS integer)' },
    mysql: { fr: 'convertissez-la dans la requête (CAST(… AS CHAR), DATE_FORMAT(…), CAST(… AS SIGNED))', en: 'convert it in the query (CAST(… AS CHAR), DATE_FORMAT(…), CAST(… AS SIGNED))' },
    sqlite: { fr: 'convertissez-la dans la requête (CAST(… AS TEXT), strftime(…), CAST(… AS INTEGER))', en: 'convert it in the query (CAST(… AS TEXT), strftime(…), CAST(… AS INTEGER))' },
}

export class SqlSource implements LedgerSource {
    readonly stats: SourceStats
    private readonly mapping: ResolvedMapping
    private readonly signature: string
    private readonly secretEnv: string
    /** The last position yielded in this run; written by commit(). */
    private pending: KeyValue[] | null = null
    /** Rows a count query says are waiting (config check, progress). */
    remaining: number | null = null
    readonly kind = 'sql' as const

    constructor(
        private readonly cfg: SqlSourceConfig,
        private readonly db: StateDb,
        private readonly deps: SourceDeps
    ) {
        this.mapping = resolveMapping(cfg.preset, cfg.mapping)
        this.stats = newStats(this.mapping.exclude.length)
        this.signature = createHash('sha256')
            .update(JSON.stringify({ driver: cfg.driver, query: cfg.query.trim(), cursor: cfg.cursor.column, ties: cfg.cursor.tieBreaker ?? null }))
            .digest('hex')
            .slice(0, 16)
        this.secretEnv = cfg.urlEnv ?? cfg.passwordEnv ?? defaultSecretEnv(cfg.name, 'PASSWORD')
    }

    get name(): string {
        return this.cfg.name
    }

    private driver(): Driver {
        const cfg = this.cfg
        const env = this.deps.env
        let url: string | undefined
        if (cfg.urlEnv) {
            url = env[cfg.urlEnv]
            if (!url) throw sourceError(cfg.name, `la variable d'environnement ${cfg.urlEnv} (urlEnv) n'est pas définie`, `the environment variable ${cfg.urlEnv} (urlEnv) is not set`)
        }
        const pwEnv = cfg.passwordEnv ?? defaultSecretEnv(cfg.name, 'PASSWORD')
        const password = env[pwEnv]
        // Whatever the CLI prints goes through report/redact: these never show.
        registerSecret(password)
        if (url) {
            registerSecret(url)
            try {
                registerSecret(decodeURIComponent(new URL(url).password))
            } catch {
                /* not a URL: its text is registered whole */
            }
        }
        if (cfg.passwordEnv && password === undefined && !url && cfg.driver !== 'sqlite') {
            throw sourceError(cfg.name, `la variable d'environnement ${cfg.passwordEnv} (passwordEnv) n'est pas définie`, `the environment variable ${cfg.passwordEnv} (passwordEnv) is not set`)
        }
        if (cfg.driver === 'postgres') return pgDriver(cfg, password, url)
        if (cfg.driver === 'mysql') return mysqlDriver(cfg, password, url)
        return sqliteDriver(cfg)
    }

    /** The stored position, unless the query or cursor changed since (then everything is read again). */
    private start(): KeyValue[] | null {
        const stored = loadCursor(this.db, this.cfg.name)
        if (!stored) return null
        if (stored.signature !== this.signature) {
            this.deps.log({
                fr: `Source ${this.cfg.name} : la requête ou le curseur a changé depuis la dernière lecture, tout est relu`,
                en: `Source ${this.cfg.name}: the query or cursor changed since the last read, everything is read again`,
            })
            return null
        }
        return (JSON.parse(stored.position) as { values: KeyValue[] }).values
    }

    /** Where the next sync starts (for config check). */
    position(): unknown[] | null {
        return this.start()?.map(fromKey) ?? null
    }

    async *read(ctx: NormaliseContext, opts: { count?: boolean } = {}): AsyncGenerator<LedgerItem> {
        const cfg = this.cfg
        this.pending = null
        const driver = this.driver()
        const meter = this.deps.progress?.(cfg.name) ?? null
        const query = cfg.query.trim().replace(/;+\s*$/, '')
        const wrap = (where: string) => `SELECT * FROM (\n${query}\n) AS rb_src${where}`
        try {
            try {
                await driver.open()
            } catch (e) {
                throw describeDbError(e, cfg.name, driver, cfg, this.secretEnv)
            }
            let fields: Field[]
            try {
                fields = await driver.fields(`${wrap(' WHERE 1 = 0')}`)
            } catch (e) {
                throw describeDbError(e, cfg.name, driver, cfg, this.secretEnv)
            }
            const plan = this.checkColumns(fields)
            const byLower = new Map(fields.map((f) => [f.name.toLowerCase(), f.name]))
            const col = (n: string, key: string) => {
                const f = byLower.get(n.toLowerCase())
                if (!f) {
                    throw sourceError(
                        cfg.name,
                        `la colonne « ${n} » (${key}) n'est pas dans le résultat de la requête (colonnes : ${fields.map((x) => x.name).join(', ')})`,
                        `column "${n}" (${key}) is not in the query's result (columns: ${fields.map((x) => x.name).join(', ')})`
                    )
                }
                return f
            }
            const cursorCol = col(cfg.cursor.column, 'cursor.column')
            const ties = (cfg.cursor.tieBreaker ?? this.defaultTies(plan)).map((t) => col(t, 'cursor.tieBreaker'))
            const keyCols = [cursorCol, ...ties.filter((t) => t !== cursorCol)]
            const q = keyCols.map((c) => `rb_src.${driver.quote(c)}`)
            const order = ` ORDER BY ${q.join(', ')} LIMIT ${cfg.pageSize}`
            const pageQuery = (after: unknown[] | null): { sql: string; params: unknown[] } => {
                const where = [`${q[0]} IS NOT NULL`]
                let params: unknown[] = []
                if (after) {
                    where.push(`(${q.join(', ')}) > (${after.map((_, i) => driver.placeholder(i + 1)).join(', ')})`)
                    params = after
                } else if (cfg.cursor.start !== undefined) {
                    where.push(`${q[0]} >= ${driver.placeholder(1)}`)
                    params = [cfg.cursor.start]
                }
                return { sql: wrap(` WHERE ${where.join(' AND ')}`), params }
            }

            let after = this.start()?.map(fromKey) ?? null
            if (meter || opts.count) {
                const { sql, params } = pageQuery(after)
                try {
                    const [r] = await driver.rows(`SELECT COUNT(*) AS n FROM (${sql}) AS rb_count`, params)
                    this.remaining = Number(Object.values(r ?? {})[0] ?? 0)
                } catch (e) {
                    throw describeDbError(e, cfg.name, driver, cfg, this.secretEnv)
                }
            }
            let n = 0
            let previous: string | null = after ? JSON.stringify(after.map(toKey)) : null
            for (;;) {
                const { sql, params } = pageQuery(after)
                let rows: Record<string, unknown>[]
                try {
                    rows = await driver.rows(sql + order, params)
                } catch (e) {
                    throw describeDbError(e, cfg.name, driver, cfg, this.secretEnv)
                }
                for (const row of rows) {
                    const key = keyCols.map((c) => row[c])
                    const nullAt = key.findIndex((v) => v === null || v === undefined)
                    if (nullAt >= 0) {
                        throw sourceError(
                            cfg.name,
                            `la colonne « ${keyCols[nullAt]} » de cursor.tieBreaker est vide pour une ligne : les départages ne sont jamais NULL (utilisez COALESCE dans la requête)`,
                            `column "${keyCols[nullAt]}" of cursor.tieBreaker is empty on a row: tie-breakers are never NULL (use COALESCE in the query)`
                        )
                    }
                    const k = JSON.stringify(key.map(toKey))
                    if (k === previous) {
                        throw sourceError(
                            cfg.name,
                            `deux lignes ont la même position (${keyCols.join(', ')}) = ${quoteValue(k)} : ajoutez une colonne unique à cursor.tieBreaker (ex. line_no ou l'id de la ligne)`,
                            `two rows share the position (${keyCols.join(', ')}) = ${quoteValue(k)}: add a unique column to cursor.tieBreaker (e.g. line_no or the row's id)`
                        )
                    }
                    previous = k
                    const item = this.item(row, fields, plan, ++n, ctx)
                    // The position moves once the consumer has taken the item and asks for the next.
                    if (item) yield item
                    this.pending = key.map(toKey)
                    meter?.update(n, this.remaining ? Math.min(1, n / this.remaining) : null)
                }
                if (rows.length < cfg.pageSize) break
                after = keyCols.map((c) => rows[rows.length - 1][c])
            }
        } finally {
            meter?.done()
            await driver.close()
        }
    }

    private defaultTies(plan: HeaderPlan): string[] {
        const out: string[] = []
        for (const t of ['transaction_id', 'line_no']) {
            const i = plan.targets.indexOf(t as never)
            if (i >= 0) out.push(plan.names[i])
        }
        return out
    }

    /** Before any row: every required column is there, and each has a type that can hold it. */
    private checkColumns(fields: Field[]): HeaderPlan {
        const cfg = this.cfg
        const plan = planHeader(
            fields.map((f) => f.name),
            this.mapping
        )
        if (plan.problem) {
            throw sourceError(
                cfg.name,
                `${plan.problem.reason.fr} — la requête doit renvoyer les colonnes canoniques (… AS transaction_id, … AS occurred_at, …) ou les nommer dans mapping.columns`,
                `${plan.problem.reason.en} — the query must return the canonical columns (… AS transaction_id, … AS occurred_at, …) or name them in mapping.columns`
            )
        }
        plan.targets.forEach((t, i) => {
            if (!t) return
            const f = fields[i]
            if (CLASS_OK[kindOfColumn(t)].has(f.cls)) return
            const fix = FIX[cfg.driver]
            throw sourceError(
                cfg.name,
                `la colonne « ${f.name} » de la requête est de type ${f.typeName}, qui ne peut pas donner ${t} (${kindOfColumn(t) === 'date' ? 'une date-heure' : kindOfColumn(t) === 'number' ? 'un nombre' : 'un texte'}) : ${fix.fr}`,
                `query column "${f.name}" has type ${f.typeName}, which cannot give ${t} (${kindOfColumn(t) === 'date' ? 'a date-time' : kindOfColumn(t) === 'number' ? 'a number' : 'text'}): ${fix.en}`
            )
        })
        return plan
    }

    private item(row: Record<string, unknown>, fields: Field[], plan: HeaderPlan, n: number, ctx: NormaliseContext): LedgerItem | null {
        const cells = fields.map((f) => row[f.name])
        // Values the column types did not announce (SQLite, expressions): a wrong type stops the source.
        plan.targets.forEach((t, i) => {
            if (!t) return
            const v = cells[i]
            if (v === null || v === undefined || typeof v === 'string') return
            const kind = kindOfColumn(t)
            if ((typeof v === 'number' || typeof v === 'bigint') && kind !== 'date' && kind !== 'time') return
            const why = wrongType(t, v, fields[i].name)
            const fix = FIX[this.cfg.driver]
            throw sourceError(this.cfg.name, `${why.fr} — ${fix.fr}`, `${why.en} — ${fix.en}`)
        })
        this.stats.rows++
        const pos = { file: this.cfg.name, line: n }
        const out = mapRow(plan, cells, this.mapping, { spreadsheet: false })
        if (out.kind === 'excluded') {
            this.stats.excluded++
            this.stats.excludedByRule[out.rule]++
            return null
        }
        if (out.kind === 'error') {
            this.stats.quarantined++
            return { kind: 'quarantine', entry: { file: pos.file, line: n, column: out.column, reason: out.reason, raw: out.raw } }
        }
        const r = normaliseRow(out.raw, pos, ctx)
        if (r.ok) this.stats.lines++
        else this.stats.quarantined++
        return r.ok ? { kind: 'line', line: r.line, pos } : { kind: 'quarantine', entry: r.entry }
    }

    commit(db: StateDb): void {
        if (!this.pending) return
        saveCursor(db, this.cfg.name, this.signature, JSON.stringify({ values: this.pending }), this.deps.now().toISOString())
        this.pending = null
    }
}

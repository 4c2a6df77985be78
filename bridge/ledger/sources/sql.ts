import { createHash } from 'node:crypto'
import type { SqlSourceConfig } from '../../config/sources'
import type { Bilingual } from '../../domain/line'
import type { StateDb } from '../../state/db'
import type { LedgerItem } from '../csv-source'
import { normaliseRow, type NormaliseContext } from '../normalise'
import { quoteValue } from '../text'
import { kindOfColumn, wrongType } from './cells'
import { sourceError } from './errors'
import { mapRow, planHeader, resolveMapping, type HeaderPlan, type ResolvedMapping } from './mapping'
import type { LedgerSource, SourceDeps } from './source'
import { loadCursor, saveCursor } from './state'
import { newStats, type SourceStats } from './tabular'
import type { ColumnClass, Driver, Field } from './sql-drivers'
import { describeDbError, openSqlDriver, secretEnvOf } from './sql-connect'

/**
 * A billing database read through a configured SELECT, page by page in cursor order (keyset
 * pagination: `(cursor, tie-breakers) > (last seen)`, bound parameters, never OFFSET), inside
 * one read-only transaction with a statement time-out. The position reached is remembered by
 * commit() only — after the sync has committed the lines — so an interrupted run reads the
 * same rows again next time (lines are idempotent: docs/contract.md §2).
 */

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
        this.secretEnv = secretEnvOf(cfg)
    }

    get name(): string {
        return this.cfg.name
    }

    private driver(): Driver {
        return openSqlDriver(this.cfg, this.deps.env)
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
                throw describeDbError(e, cfg.name, driver, cfg, this.secretEnv, this.slowHint())
            }
            let fields: Field[]
            try {
                fields = await driver.fields(`${wrap(' WHERE 1 = 0')}`)
            } catch (e) {
                throw describeDbError(e, cfg.name, driver, cfg, this.secretEnv, this.slowHint())
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
                    throw describeDbError(e, cfg.name, driver, cfg, this.secretEnv, this.slowHint())
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
                    throw describeDbError(e, cfg.name, driver, cfg, this.secretEnv, this.slowHint())
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

    /** What to do when the query is too slow: the cursor column wants an index. */
    private slowHint(): Bilingual {
        return { fr: `indexez la colonne curseur « ${this.cfg.cursor.column} », réduisez pageSize`, en: `index the cursor column "${this.cfg.cursor.column}", lower pageSize` }
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

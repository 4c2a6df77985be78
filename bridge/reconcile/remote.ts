import type { QuarantineEntry } from '../domain/line'
import type { NormaliseContext } from '../ledger/normalise'
import { LedgerSourceError } from '../ledger/sources/errors'
import { flatten, httpItems } from '../ledger/sources/http-client'
import type { RowKind } from '../ledger/sources/kind'
import { RecordMapper, type ResolvedMapping } from '../ledger/sources/mapping'
import { describeDbError, openSqlDriver, secretEnvOf } from '../ledger/sources/sql-connect'
import { codeOf, type HttpReconSource, type SqlReconSource } from './config'
import { monthBounds, type MonthBounds } from './months'

/**
 * Statements and cash counts from a database or a JSON API (docs/reconciliation.md), through
 * the ledger's connections (sql-connect.ts, http-client.ts) but without their cursor: a
 * reconciliation needs every row of the month being reconciled, every time, so each run asks
 * for whole months — the query binds the month's bounds, the API gets them as parameters.
 * Rows go through the kind's mapping and normalisation like a file's. A source is read whole
 * or not at all: when it fails part-way, its rows are dropped and one quarantine entry says why
 * (a month half read would replace the month's figures with wrong ones).
 */

export interface RemoteRead<T> {
    rows: T[]
    quarantine: QuarantineEntry[]
    excluded: number
}

const BOUND = /(?<![:\w]):(from_utc|to_utc|from|to)\b/g

/** `:from`, `:to`, `:from_utc`, `:to_utc` outside string literals → the driver's placeholders, values in order. */
export function bindMonth(query: string, b: MonthBounds, placeholder: (i: number) => string): { sql: string; params: string[] } {
    const value: Record<string, string> = { from: b.from, to: b.to, from_utc: b.fromUtc, to_utc: b.toUtc }
    const text = query.trim().replace(/;+\s*$/, '')
    const params: string[] = []
    let sql = ''
    let at = 0
    // Matched on the text with its literals blanked (same length), replaced in the real text.
    for (const m of codeOf(text).matchAll(BOUND)) {
        params.push(value[m[1]])
        sql += text.slice(at, m.index) + placeholder(params.length)
        at = m.index! + m[0].length
    }
    return { sql: sql + text.slice(at), params }
}

/** One record (a result row, a flattened JSON item) → a row, a quarantine entry, or excluded. */
function take<T>(rec: Record<string, unknown>, line: number, file: string, mapper: RecordMapper, kind: RowKind<T>, ctx: NormaliseContext, out: RemoteRead<T>): void {
    const m = mapper.map(rec)
    if (m.kind === 'excluded') out.excluded++
    else if (m.kind === 'error') out.quarantine.push({ file, line, column: m.column, reason: m.reason, raw: m.raw })
    else {
        const r = kind.normalise(m.raw, { file, line }, ctx)
        if (r.ok) out.rows.push(r.value)
        else out.quarantine.push(r.entry)
    }
}

const SLOW = {
    fr: 'bornez la requête par une colonne indexée (date de l’opération)',
    en: 'bound the query on an indexed column (the operation date)',
}

async function readSql<T>(cfg: SqlReconSource, months: MonthBounds[], mapper: RecordMapper, kind: RowKind<T>, ctx: NormaliseContext, env: NodeJS.ProcessEnv, out: RemoteRead<T>): Promise<void> {
    const driver = openSqlDriver(cfg, env)
    const fail = (e: unknown) => describeDbError(e, cfg.name, driver, cfg, secretEnvOf(cfg), SLOW)
    let n = 0
    try {
        await driver.open().catch((e) => Promise.reject(fail(e)))
        for (const b of months) {
            const { sql, params } = bindMonth(cfg.query, b, driver.placeholder)
            const rows = await driver.rows(sql, params).catch((e) => Promise.reject(fail(e)))
            for (const row of rows) take(row, ++n, cfg.name, mapper, kind, ctx, out)
        }
    } finally {
        await driver.close()
    }
}

async function readHttp<T>(cfg: HttpReconSource, months: MonthBounds[], mapper: RecordMapper, kind: RowKind<T>, ctx: NormaliseContext, env: NodeJS.ProcessEnv, out: RemoteRead<T>): Promise<void> {
    let n = 0
    for (const b of months) {
        const bounds = cfg.month.format === 'date' ? { [cfg.month.from]: b.from, [cfg.month.to]: b.last } : { [cfg.month.from]: b.fromUtc, [cfg.month.to]: b.toUtc }
        for await (const it of httpItems(cfg, env, bounds)) take(flatten(it), ++n, cfg.name, mapper, kind, ctx, out)
    }
}

/**
 * Every row of `months` (YYYY-MM, local to the source's facility — else the default zone) from
 * one source, `marginDays` more on each side. A failure is one quarantine entry naming the source, in French and English.
 */
export async function readRemote<T>(
    cfg: SqlReconSource | HttpReconSource,
    mapping: ResolvedMapping,
    kind: RowKind<T>,
    months: readonly string[],
    ctx: NormaliseContext,
    env: NodeJS.ProcessEnv,
    marginDays = 0
): Promise<RemoteRead<T> & { ok: boolean }> {
    const zone = ctx.zoneFor(cfg.facility ?? '')
    const bounds = months.map((m) => monthBounds(m, zone, marginDays))
    const mapper = new RecordMapper(mapping, { spreadsheet: false }, kind)
    const out: RemoteRead<T> = { rows: [], quarantine: [], excluded: 0 }
    try {
        if (cfg.type === 'sql') await readSql(cfg, bounds, mapper, kind, ctx, env, out)
        else await readHttp(cfg, bounds, mapper, kind, ctx, env, out)
        return { ...out, ok: true }
    } catch (e) {
        if (!(e instanceof LedgerSourceError)) throw e
        return { rows: [], quarantine: [{ file: cfg.name, line: 0, column: null, reason: e.reason, raw: {} }], excluded: 0, ok: false }
    }
}

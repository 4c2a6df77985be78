import fs from 'node:fs'
import type { QuarantineEntry } from '../domain/line'
import { LedgerFileError } from '../ledger/csv-source'
import type { NormaliseContext } from '../ledger/normalise'
import { expandSourcePaths, openTable } from '../ledger/sources/files'
import type { RowKind } from '../ledger/sources/kind'
import { CANONICAL_MAPPING, resolveMapping, type ResolvedMapping } from '../ledger/sources/mapping'
import { kindTableItems, newStats } from '../ledger/sources/tabular'
import type { CashCountSourceConfig, ReconciliationConfig, StatementSourceConfig } from './config'
import { localMonth } from './attempts'
import { defaultReconMonths, marginDaysFor } from './months'
import { STATEMENT_PRESETS } from './presets'
import { readRemote } from './remote'
import { CASH_KIND, STATEMENT_KIND, type CashCount, type StatementRow } from './rows'

/**
 * Statements and cash counts, read in full on every reconciliation from their files and folders
 * (a folder where new statements land is read again each time: statements are small, and a
 * re-exported statement simply replaces what it repeats). CSV or XLSX, canonical columns or a
 * preset/mapping, through the ledger's table readers with the statement and cash row kinds.
 * Databases and APIs give the months being reconciled, whole (remote.ts).
 */

export interface Read<T> {
    rows: T[]
    quarantine: QuarantineEntry[]
    files: string[]
    /** Databases and APIs read (their names); one that failed is a quarantine entry instead. */
    sources: string[]
    /** Rows a database or API gave from the margin around the months asked: for matching only (run.ts). */
    context: T[]
    /** Months a database or API failed to give: their figures are not replaced (run.ts). */
    unread: string[]
    /** Rows left out by mapping.exclude (withdrawals, fees rows, totals). */
    excluded: number
}

interface TableSource {
    paths: string[]
    sheet?: string | number
    minAgeSeconds: number
    mapping: ResolvedMapping
}

async function readKind<T>(sources: TableSource[], kind: RowKind<T>, ctx: NormaliseContext, now: () => Date): Promise<Read<T>> {
    const out: Read<T> = { rows: [], quarantine: [], files: [], sources: [], unread: [], context: [], excluded: 0 }
    for (const src of sources) {
        for (const file of await expandSourcePaths(src.paths)) {
            // A file still being written into a watched folder waits for the next run.
            const st = await fs.promises.stat(file)
            if (src.minAgeSeconds > 0 && now().getTime() - st.mtimeMs < src.minAgeSeconds * 1000) continue
            out.files.push(file)
            const t = openTable(file, src.mapping, src.sheet)
            const stats = newStats(src.mapping.exclude.length)
            try {
                for await (const item of kindTableItems(t.rows, { ...t, file, mapping: src.mapping, ctx, stats }, kind)) {
                    if (item.kind === 'row') out.rows.push(item.value)
                    else out.quarantine.push(item.entry)
                }
            } catch (e) {
                if (!(e instanceof LedgerFileError)) throw e
                out.quarantine.push({ file, line: 0, column: null, reason: e.reason, raw: {} })
            }
            out.excluded += stats.excluded
        }
    }
    return out
}

/** A statement source's mapping: its preset, its own mapping, then the account's fixed channel and facility. */
export function statementMapping(cfg: Pick<StatementSourceConfig, 'preset' | 'mapping' | 'channel' | 'facility'>): ResolvedMapping {
    const own = cfg.mapping ?? {}
    const defaults = { ...own.defaults, ...(cfg.channel ? { channel: cfg.channel } : {}), ...(cfg.facility ? { facility_code: cfg.facility } : {}) }
    const m = resolveMapping(cfg.preset ? STATEMENT_PRESETS[cfg.preset] : undefined, { ...own, defaults } as never)
    // A canonical statement (no preset, no mapping of its own) reads amounts as the ledger does.
    return cfg.preset || cfg.mapping ? m : { ...m, mapped: false }
}

/** A cash-count source's mapping: its own, then its facility. */
export function cashMapping(c: Pick<CashCountSourceConfig, 'mapping' | 'facility'>): ResolvedMapping {
    return c.mapping || c.facility ? resolveMapping(undefined, { ...c.mapping, defaults: { ...c.mapping?.defaults, ...(c.facility ? { facility_code: c.facility } : {}) } } as never) : CANONICAL_MAPPING
}

export interface ReconInputs {
    statements: Read<StatementRow>
    counts: Read<CashCount>
}

export interface ReadOptions {
    now?: () => Date
    /** The months (YYYY-MM) databases and APIs are asked for; default the current and previous local months. */
    months?: readonly string[]
    /** Where the sources' secrets are read (default process.env). */
    env?: NodeJS.ProcessEnv
}

type AnySource = StatementSourceConfig | CashCountSourceConfig

/** Files and folders, then databases and APIs (each read whole for the months, or reported). */
async function readAll<C extends AnySource, T>(
    configured: C[],
    cli: string[],
    mappingOf: (c: C) => ResolvedMapping,
    kind: RowKind<T>,
    ctx: NormaliseContext,
    o: Required<ReadOptions>,
    margin: { days: number; monthOf: (row: T) => string } = { days: 0, monthOf: () => '' }
): Promise<Read<T>> {
    const tables: TableSource[] = []
    for (const c of configured) {
        const s: AnySource = c
        if (s.type === 'file') tables.push({ paths: s.paths, sheet: s.sheet, minAgeSeconds: s.minAgeSeconds, mapping: mappingOf(c) })
    }
    if (cli.length) tables.push({ paths: cli, minAgeSeconds: 0, mapping: CANONICAL_MAPPING })
    const out = await readKind(tables, kind, ctx, o.now)
    for (const c of configured) {
        const s: AnySource = c
        if (s.type === 'file') continue
        const r = await readRemote(s, mappingOf(c), kind, o.months, ctx, o.env, margin.days)
        for (const row of r.rows) (!margin.days || o.months.includes(margin.monthOf(row)) ? out.rows : out.context).push(row)
        out.quarantine.push(...r.quarantine)
        out.excluded += r.excluded
        if (r.ok) out.sources.push(s.name)
        else out.unread.push(...o.months.filter((m) => !out.unread.includes(m)))
    }
    return out
}

/**
 * Everything configured under `reconciliation`, then the files given on the command line
 * (canonical columns: `--statements F…`, `--cash-counts F…`).
 */
export async function readReconInputs(cfg: ReconciliationConfig, cli: { statements: string[]; cashCounts: string[] }, ctx: NormaliseContext, opts: ReadOptions = {}): Promise<ReconInputs> {
    const now = opts.now ?? (() => new Date())
    const o = { now, months: opts.months ?? defaultReconMonths(now(), ctx.zoneFor('')), env: opts.env ?? process.env }
    return {
        statements: await readAll(cfg.statements, cli.statements, statementMapping, STATEMENT_KIND, ctx, o, {
            days: marginDaysFor(cfg.windowMinutes),
            monthOf: (r) => localMonth(r.occurredAt, ctx.zoneFor(r.facilityCode)),
        }),
        counts: await readAll(cfg.cashCounts, cli.cashCounts, cashMapping, CASH_KIND, ctx, o),
    }
}

/** Statements or counts configured (the scheduler reconciles after each sync only then). */
export function reconConfigured(cfg: ReconciliationConfig): boolean {
    return cfg.statements.length > 0 || cfg.cashCounts.length > 0
}

import fs from 'node:fs'
import type { QuarantineEntry } from '../domain/line'
import { LedgerFileError } from '../ledger/csv-source'
import type { NormaliseContext } from '../ledger/normalise'
import { expandSourcePaths, openTable } from '../ledger/sources/files'
import type { RowKind } from '../ledger/sources/kind'
import { CANONICAL_MAPPING, resolveMapping, type ResolvedMapping } from '../ledger/sources/mapping'
import { kindTableItems, newStats } from '../ledger/sources/tabular'
import type { CashCountSourceConfig, ReconciliationConfig, StatementSourceConfig } from './config'
import { STATEMENT_PRESETS } from './presets'
import { CASH_KIND, STATEMENT_KIND, type CashCount, type StatementRow } from './rows'

/**
 * Statements and cash counts, read in full on every reconciliation from their files and folders
 * (a folder where new statements land is read again each time: statements are small, and a
 * re-exported statement simply replaces what it repeats). CSV or XLSX, canonical columns or a
 * preset/mapping, through the ledger's table readers with the statement and cash row kinds.
 */

export interface Read<T> {
    rows: T[]
    quarantine: QuarantineEntry[]
    files: string[]
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
    const out: Read<T> = { rows: [], quarantine: [], files: [], excluded: 0 }
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

export interface ReconInputs {
    statements: Read<StatementRow>
    counts: Read<CashCount>
}

/**
 * Everything configured under `reconciliation`, then the files given on the command line
 * (canonical columns: `--statements F…`, `--cash-counts F…`).
 */
export async function readReconInputs(
    cfg: ReconciliationConfig,
    cli: { statements: string[]; cashCounts: string[] },
    ctx: NormaliseContext,
    now: () => Date = () => new Date()
): Promise<ReconInputs> {
    const statementSources: TableSource[] = cfg.statements.map((s) => ({ paths: s.paths, sheet: s.sheet, minAgeSeconds: s.minAgeSeconds, mapping: statementMapping(s) }))
    if (cli.statements.length) statementSources.push({ paths: cli.statements, minAgeSeconds: 0, mapping: CANONICAL_MAPPING })
    const countSources: TableSource[] = cfg.cashCounts.map((c: CashCountSourceConfig) => ({
        paths: c.paths,
        sheet: c.sheet,
        minAgeSeconds: c.minAgeSeconds,
        mapping: c.mapping || c.facility ? resolveMapping(undefined, { ...c.mapping, defaults: { ...c.mapping?.defaults, ...(c.facility ? { facility_code: c.facility } : {}) } } as never) : CANONICAL_MAPPING,
    }))
    if (cli.cashCounts.length) countSources.push({ paths: cli.cashCounts, minAgeSeconds: 0, mapping: CANONICAL_MAPPING })
    return {
        statements: await readKind(statementSources, STATEMENT_KIND, ctx, now),
        counts: await readKind(countSources, CASH_KIND, ctx, now),
    }
}

/** Statements or counts configured (the scheduler reconciles after each sync only then). */
export function reconConfigured(cfg: ReconciliationConfig): boolean {
    return cfg.statements.length > 0 || cfg.cashCounts.length > 0
}

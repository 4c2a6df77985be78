import type { Bilingual, QuarantineEntry } from '../../domain/line'
import type { LedgerItem } from '../csv-source'
import type { NormaliseContext } from '../normalise'
import { isBlankCell, type CellOptions } from './cells'
import { LEDGER_KIND, type KindItem, type RowKind } from './kind'
import { mapRow, planHeader, type HeaderPlan, type ResolvedMapping } from './mapping'

/**
 * Rows of a table (a CSV file read field by field, a spreadsheet sheet) → ledger items.
 * Statements carry a title block above their table: without mapping.headerRow, the header is
 * the first row (among the first HEADER_SEARCH non-blank rows) that holds every required column;
 * the rows above it are not data. When no row qualifies, the first non-blank row is taken and
 * its problem quarantines every data row — counted, never dropped.
 */
export interface TableRow {
    /** Physical line (CSV) or row number (spreadsheet), 1-based. */
    line: number
    cells: unknown[]
    /** The row could not be read (malformed CSV record, invalid text encoding). */
    error?: Bilingual | null
}

export interface SourceStats {
    /** Data rows met (lines + quarantined + excluded). */
    rows: number
    lines: number
    quarantined: number
    /** Rows left out by mapping.exclude (not revenue: withdrawals, fees, totals). */
    excluded: number
    excludedByRule: number[]
    /** Rows above the detected header (title block of a statement). */
    preamble: number
}

export const newStats = (rules = 0): SourceStats => ({ rows: 0, lines: 0, quarantined: 0, excluded: 0, excludedByRule: new Array<number>(rules).fill(0), preamble: 0 })

export interface TableOptions {
    file: string
    mapping: ResolvedMapping
    ctx: NormaliseContext
    cells: CellOptions
    /** CSV: a row with fewer fields than the header (or extra non-blank ones) is a delimiter problem. */
    strictWidth: boolean
    stats: SourceStats
}

export const HEADER_SEARCH = 30

function headerNames(row: TableRow): string[] {
    return row.cells.map((c) => (isBlankCell(c) ? '' : String(c instanceof Date ? c.toISOString() : c).trim()))
}

export async function* tableItems(rows: AsyncIterable<TableRow>, o: TableOptions): AsyncGenerator<LedgerItem> {
    for await (const it of kindTableItems(rows, o, LEDGER_KIND)) yield it.kind === 'row' ? { kind: 'line', line: it.value, pos: it.pos } : it
}

/** The same for any row kind (statements, cash counts: bridge/reconcile/). */
export async function* kindTableItems<T>(rows: AsyncIterable<TableRow>, o: TableOptions, kind: RowKind<T>): AsyncGenerator<KindItem<T>> {
    let plan: HeaderPlan | null = null
    const held: TableRow[] = []
    const headerRow = o.mapping.headerRow
    const header = (names: string[]) => planHeader(names, o.mapping, true, kind)

    function* data(row: TableRow): Generator<KindItem<T>> {
        const item = dataItem(row, plan!, o, kind)
        if (!item) return
        o.stats.rows++
        if (item === 'excluded') return
        if (item.kind === 'row') o.stats.lines++
        else o.stats.quarantined++
        yield item
    }

    /**
     * No row qualifies: the row naming the most known columns (at least two) is the header, else
     * the first non-blank row; its problem (e.g. facility_code without a default) then
     * quarantines every data row, naming just what is missing.
     */
    function* settle(): Generator<KindItem<T>> {
        let at = held.findIndex((r) => !r.error && !r.cells.every(isBlankCell))
        let best = 1
        held.forEach((r, i) => {
            if (r.error) return
            const score = header(headerNames(r)).targets.filter(Boolean).length
            if (score > best) {
                best = score
                at = i
            }
        })
        if (at < 0) {
            // Nothing but unreadable rows: each is quarantined with its own reason.
            plan = header([])
            for (const r of held.splice(0)) yield* data(r)
            return
        }
        o.stats.preamble += held.slice(0, at).filter((r) => r.error || !r.cells.every(isBlankCell)).length
        plan = header(headerNames(held[at]))
        const rest = held.slice(at + 1)
        held.length = 0
        for (const r of rest) yield* data(r)
    }

    for await (const row of rows) {
        if (plan) {
            yield* data(row)
            continue
        }
        if (headerRow !== null) {
            if (row.line < headerRow) {
                o.stats.preamble++
                continue
            }
            plan = header(headerNames(row))
            continue
        }
        // Unreadable rows are held too: if no header turns up, each is quarantined with its reason.
        if (row.error || row.cells.every(isBlankCell)) {
            if (held.length || row.error) held.push(row)
            continue
        }
        const candidate = header(headerNames(row))
        if (!candidate.problem) {
            o.stats.preamble += held.filter((r) => r.error || !r.cells.every(isBlankCell)).length
            held.length = 0
            plan = candidate
            continue
        }
        held.push(row)
        if (held.filter((r) => !r.cells.every(isBlankCell)).length >= HEADER_SEARCH) yield* settle()
    }
    if (!plan) yield* settle()
}

/** One data row → an item, 'excluded', or null for a blank row. */
function dataItem<T>(row: TableRow, plan: HeaderPlan, o: TableOptions, kind: RowKind<T>): KindItem<T> | 'excluded' | null {
    const file = o.file
    const quarantine = (column: string | null, reason: Bilingual, raw: Record<string, string> = {}): KindItem<T> => ({
        kind: 'quarantine',
        entry: { file, line: row.line, column, reason, raw } satisfies QuarantineEntry,
    })
    if (row.error) return quarantine(null, row.error)
    if (row.cells.every(isBlankCell)) return null
    if (plan.problem) return quarantine(plan.problem.column, plan.problem.reason, bestEffortRaw(row, plan, o))
    const n = row.cells.length
    const h = plan.names.length
    if (o.strictWidth && (n < h || (n > h && !row.cells.slice(h).every(isBlankCell)))) {
        return quarantine(null, {
            fr: `Ligne de ${n} champ${n > 1 ? 's' : ''} alors que l'en-tête en a ${h} (séparateur en trop ou manquant ?)`,
            en: `Row has ${n} field${n > 1 ? 's' : ''} but the header has ${h} (an extra or missing delimiter?)`,
        })
    }
    const out = mapRow(plan, row.cells, o.mapping, o.cells)
    if (out.kind === 'excluded') {
        o.stats.excluded++
        o.stats.excludedByRule[out.rule] = (o.stats.excludedByRule[out.rule] ?? 0) + 1
        return 'excluded'
    }
    if (out.kind === 'error') return quarantine(out.column, out.reason, out.raw)
    const pos = { file, line: row.line }
    const r = kind.normalise(out.raw, pos, o.ctx)
    return r.ok ? { kind: 'row', value: r.value, pos } : { kind: 'quarantine', entry: r.entry }
}

/** The kept columns of a row whose header is unusable, for re-ingestion once fixed. */
function bestEffortRaw(row: TableRow, plan: HeaderPlan, o: TableOptions): Record<string, string> {
    const out = mapRow({ ...plan, problem: null }, row.cells, { ...o.mapping, exclude: [] }, o.cells)
    if (out.kind === 'excluded') return {}
    return plan.kind.quarantineRaw(out.raw)
}

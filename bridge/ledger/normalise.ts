import { CHANNELS, LINE_TYPES, SERVICES, STATUSES, type Channel, type LineType, type Service, type Status } from '../../contract/codes'
import type { Bilingual, LedgerLine, QuarantineEntry } from '../domain/line'
import { channelTable, serviceTable, type AliasTable } from './aliases'
import { keptRaw, LINE_COLUMNS, MATCH_COLUMNS } from './columns'
import { parseDateTime } from './datetime'
import { parseAmount, parseLineNo, parseQuantity } from './numbers'
import { foldKey, quoteValue, trimmed } from './text'

export interface NormaliseContext {
    /** IANA time zone of a facility (local times in the ledger are read in it). */
    zoneFor(facilityCode: string): string
    /** Configured spellings, added to the built-in ones (and winning over them). */
    channelAliases?: Record<string, Channel>
    serviceAliases?: Record<string, Service>
    /**
     * Source header → canonical column, for a given cashier system or operator statement
     * (applied by the sources to header cells, after case/space folding; unmapped headers keep
     * their own name). normaliseRow itself always receives canonical names.
     */
    columnMap?: Record<string, string>
    /**
     * Keyed hash for operator_ref and cashier_id (bridge/reconcile/keys.ts). Without it those
     * columns are not read at all; with it the line keeps the hash, never the value.
     */
    matchKey?: (value: string) => string
}

export interface RowPosition {
    file: string
    line: number
}

export type NormaliseResult = { ok: true; line: LedgerLine } | { ok: false; entry: QuarantineEntry }

export interface Compiled {
    channels: AliasTable<Channel>
    services: AliasTable<Service>
}

// Alias tables are built once per context (and once per alias object when contexts are rebuilt per row).
const compiledByCtx = new WeakMap<NormaliseContext, Compiled>()
const EMPTY = {}
const compiledByAliases = new WeakMap<object, WeakMap<object, Compiled>>()

// The context of the last row: a reader passes the same one for every row of a file.
let lastCtx: NormaliseContext | null = null
let lastCompiled: Compiled | null = null

export function compiled(ctx: NormaliseContext): Compiled {
    if (ctx === lastCtx && lastCompiled) return lastCompiled
    let c = compiledByCtx.get(ctx)
    if (c) {
        lastCtx = ctx
        lastCompiled = c
        return c
    }
    const ch = ctx.channelAliases ?? EMPTY
    const sv = ctx.serviceAliases ?? EMPTY
    let inner = compiledByAliases.get(ch)
    if (!inner) {
        inner = new WeakMap()
        compiledByAliases.set(ch, inner)
    }
    c = inner.get(sv)
    if (!c) {
        c = { channels: channelTable(ctx.channelAliases), services: serviceTable(ctx.serviceAliases) }
        inner.set(sv, c)
    }
    compiledByCtx.set(ctx, c)
    lastCtx = ctx
    lastCompiled = c
    return c
}

// Ledgers repeat a handful of spellings: each raw spelling is folded once (bounded, like the alias tables).
const enumCache = new WeakMap<readonly string[], Map<string, string | null>>()

export function enumValue<T extends string>(values: readonly T[], text: string): T | null {
    // The canonical spelling (nearly every line) without a lookup.
    for (let i = 0; i < values.length; i++) if (values[i] === text) return values[i]
    let seen = enumCache.get(values)
    if (!seen) enumCache.set(values, (seen = new Map()))
    let r = seen.get(text)
    if (r === undefined) {
        const k = foldKey(text).replace(/ /g, '_').toUpperCase()
        r = (values as readonly string[]).includes(k) ? k : null
        if (seen.size > 10_000) seen.clear()
        seen.set(text, r)
    }
    return r as T | null
}

class RowError {
    constructor(readonly column: string, readonly reason: Bilingual) {}
}

/**
 * Where each LINE_COLUMNS column sits in a row of cells (-1: the source has no such column).
 * Readers that split a line into cells (CSV) normalise by position, without building a
 * name → cell object per line.
 */
export type ColumnIndex = Int32Array

/** The columns a ColumnIndex locates: the line's, then the two read for reconciliation only. */
export const READ_COLUMNS = [...LINE_COLUMNS, ...MATCH_COLUMNS] as const
export const COL = Object.fromEntries(READ_COLUMNS.map((c, i) => [c, i])) as { [K in (typeof READ_COLUMNS)[number]]: number }

/** The index of a row given as an object: its own keys, in READ_COLUMNS order. */
function objectIndex(raw: Record<string, string>): ColumnIndex {
    return Int32Array.from(READ_COLUMNS, (c, i) => (c in raw ? i : -1))
}

/**
 * One raw row (canonical column → cell) → a normalised LedgerLine, or a quarantine entry
 * naming the first faulty column with a reason in French and English. Unknown columns are
 * ignored; personal columns are never copied, neither to the line nor to entry.raw.
 */
export function normaliseRow(raw: Record<string, string>, pos: RowPosition, ctx: NormaliseContext): NormaliseResult {
    return normaliseCells(
        READ_COLUMNS.map((c) => raw[c]),
        objectIndex(raw),
        pos,
        ctx
    )
}

/** The same for a row of cells read by position (`at`: see ColumnIndex); only LINE_COLUMNS cells are read. */
export function normaliseCells(cells: ArrayLike<string | undefined>, at: ColumnIndex, pos: RowPosition, ctx: NormaliseContext): NormaliseResult {
    try {
        return { ok: true, line: build(cells, at, ctx) }
    } catch (e) {
        if (!(e instanceof RowError)) throw e
        return { ok: false, entry: { file: pos.file, line: pos.line, column: e.column, reason: e.reason, raw: keptCells(cells, at) } }
    }
}

/** The row as a quarantine entry keeps it (LINE_COLUMNS only, values cut). */
function keptCells(cells: ArrayLike<string | undefined>, at: ColumnIndex): Record<string, string> {
    const raw: Record<string, string> = {}
    LINE_COLUMNS.forEach((c, k) => {
        const v = at[k] >= 0 ? cells[at[k]] : undefined
        if (typeof v === 'string') raw[c] = v
    })
    return keptRaw(raw)
}

function cellAt(cells: ArrayLike<string | undefined>, at: ColumnIndex, column: number): string {
    const i = at[column]
    const v = i >= 0 ? cells[i] : undefined
    return typeof v === 'string' ? trimmed(v) : ''
}

function required(cells: ArrayLike<string | undefined>, at: ColumnIndex, column: number): string {
    const v = cellAt(cells, at, column)
    if (!v) {
        const name = LINE_COLUMNS[column]
        throw new RowError(
            name,
            at[column] < 0
                ? { fr: `Colonne obligatoire « ${name} » absente`, en: `Required column "${name}" is missing` }
                : { fr: `Valeur obligatoire manquante dans « ${name} »`, en: `Required value missing in "${name}"` }
        )
    }
    return v
}

function optional(cells: ArrayLike<string | undefined>, at: ColumnIndex, column: number): string | null {
    return cellAt(cells, at, column) || null
}

function build(cells: ArrayLike<string | undefined>, at: ColumnIndex, ctx: NormaliseContext): LedgerLine {
    // Every required value first, in REQUIRED_COLUMNS order: a missing one is reported before any other fault.
    const transactionId = required(cells, at, COL.transaction_id)
    const occurredText = required(cells, at, COL.occurred_at)
    const facilityCode = required(cells, at, COL.facility_code)
    const channelText = required(cells, at, COL.channel)
    const serviceText = required(cells, at, COL.service)
    const amountText = required(cells, at, COL.amount_xof)

    const lineNoText = cellAt(cells, at, COL.line_no)
    let lineNo = 1
    if (lineNoText) {
        const p = parseLineNo(lineNoText)
        if (!p.ok) throw new RowError('line_no', p.reason)
        lineNo = p.value
    }

    const zone = ctx.zoneFor(facilityCode)

    const occurred = parseDateTime(occurredText, zone, 'occurred_at')
    if (!occurred.ok) throw new RowError('occurred_at', occurred.reason)

    let updatedAt: string | null = null
    const updatedText = cellAt(cells, at, COL.updated_at)
    if (updatedText) {
        const u = parseDateTime(updatedText, zone, 'updated_at')
        if (!u.ok) throw new RowError('updated_at', u.reason)
        updatedAt = u.value
    }

    const tables = compiled(ctx)
    const channel = tables.channels.resolve(channelText)
    if (!channel) {
        const q = quoteValue(channelText)
        throw new RowError('channel', {
            fr: `Moyen de paiement inconnu « ${q} » : attendu ${CHANNELS.join(', ')}, une orthographe connue (Espèces, OM, Orange Money, Moov, Sama, Carte, TPE…) ou un alias de la configuration (aliases.channel)`,
            en: `Unknown payment channel "${q}": expected ${CHANNELS.join(', ')}, a known spelling (Espèces, OM, Orange Money, Moov, Sama, Carte, TPE…) or an alias in the configuration (aliases.channel)`,
        })
    }
    const service = tables.services.resolve(serviceText)
    if (!service) {
        const q = quoteValue(serviceText)
        throw new RowError('service', {
            fr: `Service inconnu « ${q} » : attendu ${SERVICES.join(', ')}, une orthographe connue (Consultation, Examens, Laboratoire, Pharmacie, Hospitalisation…) ou un alias de la configuration (aliases.service)`,
            en: `Unknown service "${q}": expected ${SERVICES.join(', ')}, a known spelling (Consultation, Examens, Laboratoire, Pharmacie, Hospitalisation…) or an alias in the configuration (aliases.service)`,
        })
    }

    const amount = parseAmount(amountText)
    if (!amount.ok) throw new RowError('amount_xof', amount.reason)

    let type: LineType = 'PAYMENT'
    const typeText = cellAt(cells, at, COL.type)
    if (typeText) {
        const t = enumValue(LINE_TYPES, typeText)
        if (!t) {
            const q = quoteValue(typeText)
            throw new RowError('type', { fr: `Type inconnu « ${q} » : attendu PAYMENT ou REFUND`, en: `Unknown type "${q}": expected PAYMENT or REFUND` })
        }
        type = t
    }

    let status: Status = 'SUCCESS'
    const statusText = cellAt(cells, at, COL.status)
    if (statusText) {
        const s = enumValue(STATUSES, statusText)
        if (!s) {
            const q = quoteValue(statusText)
            throw new RowError('status', { fr: `Statut inconnu « ${q} » : attendu ${STATUSES.join(', ')}`, en: `Unknown status "${q}": expected ${STATUSES.join(', ')}` })
        }
        status = s
    }

    let quantity: number | null = null
    const quantityText = cellAt(cells, at, COL.quantity)
    if (quantityText) {
        const p = parseQuantity(quantityText)
        if (!p.ok) throw new RowError('quantity', p.reason)
        quantity = p.value
    }

    const line: LedgerLine = {
        transactionId,
        lineNo,
        occurredAt: occurred.value,
        updatedAt,
        facilityCode,
        channel,
        service,
        amountXof: amount.value,
        type,
        status,
        productCode: optional(cells, at, COL.product_code),
        productName: optional(cells, at, COL.product_name),
        quantity,
        unit: optional(cells, at, COL.unit),
    }
    if (ctx.matchKey && at.length > COL.cashier_id) {
        const ref = cellAt(cells, at, COL.operator_ref)
        if (ref) line.operatorRefKey = ctx.matchKey(ref)
        const cashier = cellAt(cells, at, COL.cashier_id)
        if (cashier) line.cashierKey = ctx.matchKey(cashier)
    }
    return line
}

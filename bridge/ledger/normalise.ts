import { CHANNELS, LINE_TYPES, SERVICES, STATUSES, type Channel, type LineType, type Service, type Status } from '../domain/codes'
import type { Bilingual, LedgerLine, QuarantineEntry } from '../domain/line'
import { channelTable, serviceTable, type AliasTable } from './aliases'
import { keptRaw } from './columns'
import { parseDateTime } from './datetime'
import { parseAmount, parseLineNo, parseQuantity } from './numbers'
import { foldKey, quoteValue } from './text'

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
}

export interface RowPosition {
    file: string
    line: number
}

export type NormaliseResult = { ok: true; line: LedgerLine } | { ok: false; entry: QuarantineEntry }

interface Compiled {
    channels: AliasTable<Channel>
    services: AliasTable<Service>
}

// Alias tables are built once per context (and once per alias object when contexts are rebuilt per row).
const compiledByCtx = new WeakMap<NormaliseContext, Compiled>()
const EMPTY = {}
const compiledByAliases = new WeakMap<object, WeakMap<object, Compiled>>()

function compiled(ctx: NormaliseContext): Compiled {
    let c = compiledByCtx.get(ctx)
    if (c) return c
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
    return c
}

// Ledgers repeat a handful of spellings: each raw spelling is folded once (bounded, like the alias tables).
const enumCache = new WeakMap<readonly string[], Map<string, string | null>>()

function enumValue<T extends string>(values: readonly T[], text: string): T | null {
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
 * One raw row (canonical column → cell) → a normalised LedgerLine, or a quarantine entry
 * naming the first faulty column with a reason in French and English. Unknown columns are
 * ignored; personal columns are never copied, neither to the line nor to entry.raw.
 */
export function normaliseRow(raw: Record<string, string>, pos: RowPosition, ctx: NormaliseContext): NormaliseResult {
    try {
        return { ok: true, line: build(raw, ctx) }
    } catch (e) {
        if (!(e instanceof RowError)) throw e
        return { ok: false, entry: { file: pos.file, line: pos.line, column: e.column, reason: e.reason, raw: keptRaw(raw) } }
    }
}

// Cells are read as raw.name (not raw[name]): a load the engine can specialise, for every line.
function cell(v: string | undefined): string {
    return typeof v === 'string' ? v.trim() : ''
}

function required(value: string | undefined, raw: Record<string, string>, column: string): string {
    const v = cell(value)
    if (!v) {
        const absent = !(column in raw)
        throw new RowError(
            column,
            absent
                ? { fr: `Colonne obligatoire « ${column} » absente`, en: `Required column "${column}" is missing` }
                : { fr: `Valeur obligatoire manquante dans « ${column} »`, en: `Required value missing in "${column}"` }
        )
    }
    return v
}

function optional(value: string | undefined): string | null {
    return cell(value) || null
}

function build(raw: Record<string, string>, ctx: NormaliseContext): LedgerLine {
    // Every required value first, in REQUIRED_COLUMNS order: a missing one is reported before any other fault.
    const transactionId = required(raw.transaction_id, raw, 'transaction_id')
    const occurredText = required(raw.occurred_at, raw, 'occurred_at')
    const facilityCode = required(raw.facility_code, raw, 'facility_code')
    const channelText = required(raw.channel, raw, 'channel')
    const serviceText = required(raw.service, raw, 'service')
    const amountText = required(raw.amount_xof, raw, 'amount_xof')

    const lineNoText = cell(raw.line_no)
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
    const updatedText = cell(raw.updated_at)
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
    const typeText = cell(raw.type)
    if (typeText) {
        const t = enumValue(LINE_TYPES, typeText)
        if (!t) {
            const q = quoteValue(typeText)
            throw new RowError('type', { fr: `Type inconnu « ${q} » : attendu PAYMENT ou REFUND`, en: `Unknown type "${q}": expected PAYMENT or REFUND` })
        }
        type = t
    }

    let status: Status = 'SUCCESS'
    const statusText = cell(raw.status)
    if (statusText) {
        const s = enumValue(STATUSES, statusText)
        if (!s) {
            const q = quoteValue(statusText)
            throw new RowError('status', { fr: `Statut inconnu « ${q} » : attendu ${STATUSES.join(', ')}`, en: `Unknown status "${q}": expected ${STATUSES.join(', ')}` })
        }
        status = s
    }

    let quantity: number | null = null
    const quantityText = cell(raw.quantity)
    if (quantityText) {
        const p = parseQuantity(quantityText)
        if (!p.ok) throw new RowError('quantity', p.reason)
        quantity = p.value
    }

    return {
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
        productCode: optional(raw.product_code),
        productName: optional(raw.product_name),
        quantity,
        unit: optional(raw.unit),
    }
}

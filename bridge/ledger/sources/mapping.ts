import { DateTime } from 'luxon'
import { type MappingConfig, type MappingTarget, type PresetName } from '../../config/sources'
import type { Bilingual } from '../../domain/line'
import { canonicalHeader } from '../columns'
import type { Parsed } from '../numbers'
import { foldKey, quoteValue } from '../text'
import { cellText, isBlankCell, type CellOptions } from './cells'
import { LEDGER_KIND, type RowKind } from './kind'
import { PRESETS } from './presets'

/**
 * A source's mapping (preset + its own `mapping`), compiled: source header → canonical column,
 * value spellings, defaults, date formats, debit/credit columns, rows to leave out. Pure: the
 * readers hand it header names and cells, it hands back the canonical raw row that
 * normaliseRow reads (personal columns never get past it), or why the row is bad.
 */

interface CompiledRule {
    column: string
    values: Set<string> | null
    pattern: RegExp | null
    empty: boolean
    /** For messages: the rule as written. */
    label: string
}

export interface ResolvedMapping {
    /** false for a canonical file (no preset, no mapping): no currency stripping, no defaults. */
    mapped: boolean
    columns: Map<string, MappingTarget>
    values: Map<string, Map<string, string>>
    defaults: Record<string, string>
    dateFormats: string[]
    negativeAmounts: 'error' | 'refund'
    debitCredit: { debit: string; credit: string } | null
    exclude: CompiledRule[]
    headerRow: number | null
    delimiter: string | null
    encoding: string
}

/** The kind-independent part of a row kind the header and row mapping need. */
type Kind = Pick<RowKind<unknown>, 'required' | 'targets' | 'known' | 'personal' | 'kept' | 'quarantineRaw'>

/**
 * `base`: a shipped mapping (a ledger preset by name, or a statement preset's mapping given
 * directly — bridge/reconcile/presets.ts).
 */
export function resolveMapping(preset?: PresetName | MappingConfig, own?: MappingConfig): ResolvedMapping {
    const base: MappingConfig = typeof preset === 'string' ? PRESETS[preset] : (preset ?? {})
    const m: MappingConfig = own ?? {}
    const columns = new Map<string, MappingTarget>()
    for (const [k, v] of Object.entries({ ...base.columns })) columns.set(foldKey(k), v)
    for (const [k, v] of Object.entries({ ...m.columns })) columns.set(foldKey(k), v)
    const values = new Map<string, Map<string, string>>()
    for (const layer of [base.values ?? {}, m.values ?? {}]) {
        for (const [col, table] of Object.entries(layer)) {
            if (!table) continue
            const t = values.get(col) ?? new Map<string, string>()
            for (const [k, v] of Object.entries(table)) t.set(foldKey(k), v as string)
            values.set(col, t)
        }
    }
    const dc = m.debitCredit ?? base.debitCredit
    return {
        mapped: !!preset || !!own,
        columns,
        values,
        defaults: { ...base.defaults, ...m.defaults } as Record<string, string>,
        dateFormats: m.dateFormats ?? base.dateFormats ?? [],
        negativeAmounts: m.negativeAmounts ?? base.negativeAmounts ?? 'error',
        debitCredit: dc ? { debit: foldKey(dc.debit), credit: foldKey(dc.credit) } : null,
        exclude: [...(base.exclude ?? []), ...(m.exclude ?? [])].map((r) => ({
            column: r.column,
            values: r.values ? new Set(r.values.map(foldKey)) : null,
            pattern: r.pattern ? new RegExp(r.pattern, 'iu') : null,
            empty: r.empty ?? false,
            label: `${r.column}${r.values ? ` ∈ [${r.values.join(', ')}]` : ''}${r.pattern ? ` ~ /${r.pattern}/` : ''}${r.empty ? ' = ∅' : ''}`,
        })),
        headerRow: m.headerRow ?? base.headerRow ?? null,
        delimiter: m.delimiter ?? base.delimiter ?? null,
        encoding: m.encoding ?? base.encoding ?? 'utf-8',
    }
}

export const CANONICAL_MAPPING: ResolvedMapping = resolveMapping()

export interface HeaderPlan {
    names: string[]
    /** Per source column: the canonical column (or helper) it fills, or null. */
    targets: Array<MappingTarget | null>
    debit: number
    credit: number
    /** Per exclude rule: where its value is read (a target or a source column), or null (absent: rule inactive). */
    ruleAt: Array<{ target: string } | { index: number } | null>
    problem: { column: string | null; reason: Bilingual } | null
    /** The row kind the plan was made for. */
    kind: Kind
}

/** The canonical name of a source column when no mapping names it. */
function passThrough(name: string, kind: Kind): MappingTarget | null {
    const c = canonicalHeader(name)
    return kind.targets.has(c) && (kind.known.has(c) || c.endsWith('_time')) ? (c as MappingTarget) : null
}

export function targetOf(name: string, m: ResolvedMapping, kind: Kind = LEDGER_KIND): MappingTarget | null {
    return m.columns.get(foldKey(name)) ?? passThrough(name, kind)
}

/**
 * Reads a header. `requireAll`: a required canonical column that neither a header nor a
 * default supplies is a problem of the whole file (every row is quarantined with it, as the
 * CSV reader does). JSON records pass false: absent fields are row problems there.
 */
export function planHeader(names: string[], m: ResolvedMapping, requireAll = true, kind: Kind = LEDGER_KIND): HeaderPlan {
    const targets = names.map((n) => (n.trim() ? targetOf(n, m, kind) : null))
    const folded = names.map(foldKey)
    const debit = m.debitCredit ? folded.indexOf(m.debitCredit.debit) : -1
    const credit = m.debitCredit ? folded.indexOf(m.debitCredit.credit) : -1
    const ruleAt = m.exclude.map((r) => {
        const c = canonicalHeader(r.column)
        if (kind.targets.has(c)) return targets.includes(c as MappingTarget) ? { target: c } : null
        const i = folded.indexOf(foldKey(r.column))
        return i >= 0 ? { index: i } : null
    })
    const plan: HeaderPlan = { names, targets, debit, credit, ruleAt, problem: null, kind }
    const seen = new Map<string, number>()
    for (let i = 0; i < targets.length; i++) {
        const t = targets[i]
        if (!t || kind.personal.has(t)) continue
        const first = seen.get(t)
        if (first !== undefined) {
            plan.problem = {
                column: t.replace(/_time$/, ''),
                reason: {
                    fr: `Les colonnes « ${quoteValue(names[first])} » et « ${quoteValue(names[i])} » donnent toutes deux ${t} : impossible de savoir laquelle lire (corrigez mapping.columns)`,
                    en: `Columns "${quoteValue(names[first])}" and "${quoteValue(names[i])}" both give ${t}: cannot tell which one to read (fix mapping.columns)`,
                },
            }
            return plan
        }
        seen.set(t, i)
    }
    if (!requireAll) return plan
    const missing = kind.required.filter((c) => !seen.has(c) && !m.defaults[c] && !(c === 'amount_xof' && debit >= 0 && credit >= 0))
    if (missing.length) {
        const unknown = names.filter((n, i) => n.trim() && !targets[i] && i !== debit && i !== credit).map((n) => `« ${quoteValue(n)} »`)
        let list = unknown.join(', ')
        if (list.length > 200) list = `${list.slice(0, 199)}…`
        const s = missing.length > 1 ? 's' : ''
        const hint = m.mapped
            ? {
                  fr: ` — nommez la colonne source dans mapping.columns, ou donnez une valeur dans mapping.defaults`,
                  en: ` — name the source column in mapping.columns, or give a value in mapping.defaults`,
              }
            : { fr: '', en: '' }
        plan.problem = {
            column: missing[0],
            reason: {
                fr: `Colonne${s} obligatoire${s} absente${s} de l'en-tête : ${missing.join(', ')}${unknown.length ? ` (colonnes non reconnues : ${list})` : ''}${hint.fr}`,
                en: `Required column${s} missing from the header: ${missing.join(', ')}${unknown.length ? ` (columns not recognised: ${list.replace(/« | »/g, '"')})` : ''}${hint.en}`,
            },
        }
    }
    return plan
}

/** A header candidate holds every required column (or its default) and no doubled column. */
export function isHeader(plan: HeaderPlan): boolean {
    return plan.problem === null
}

export type MapOutcome =
    | { kind: 'raw'; raw: Record<string, string> }
    | { kind: 'excluded'; rule: number }
    | { kind: 'error'; column: string | null; reason: Bilingual; raw: Record<string, string> }

const ISO_START = /^\d{4}-\d{2}-\d{2}/
const TIME = /^(\d{1,2})\s*[:hH]\s*(\d{2})(?:\s*[:mM]\s*(\d{2})(?:[.,]\d+)?)?\s*s?$/
const CURRENCY = /^(?:XOF|FCFA|F\s?CFA|CFA)\s*|\s*(?:XOF|FCFA|F\s?CFA|CFA|F)\.?$/i

/** Luxon format tokens outside quoted literals. */
function tokensOf(fmt: string): string {
    return fmt.replace(/'[^']*'/g, '')
}

/** A configured date format → the canonical text (local, or with its offset when the format has one). */
export function convertDate(text: string, formats: readonly string[]): Parsed<string> | null {
    const s = text.trim()
    if (!s || ISO_START.test(s)) return null
    for (const fmt of formats) {
        const tokens = tokensOf(fmt)
        const zoned = /Z|z/.test(tokens)
        const dt = DateTime.fromFormat(s, fmt, { zone: 'UTC', setZone: zoned, locale: 'fr' })
        if (!dt.isValid) continue
        if (zoned) return { ok: true, value: dt.toISO({ suppressMilliseconds: true })! }
        return { ok: true, value: /[Hhms]/.test(tokens) ? dt.toFormat("yyyy-MM-dd'T'HH:mm:ss") : dt.toFormat('yyyy-MM-dd') }
    }
    if (!formats.length) return null
    const q = quoteValue(text)
    return {
        ok: false,
        reason: {
            fr: `Date illisible ou impossible « ${q} » : formats attendus ${formats.join(' ; ')} ou ISO 8601 (mapping.dateFormats)`,
            en: `Unreadable or impossible date "${q}": expected ${formats.join('; ')} or ISO 8601 (mapping.dateFormats)`,
        },
    }
}

function cleanAmount(text: string): { text: string; negative: boolean } {
    let t = text.trim().replace(CURRENCY, '').trim()
    let negative = false
    if (/^\(.*\)$/.test(t)) {
        negative = true
        t = t.slice(1, -1).trim()
    }
    if (/^[-\u2212]/.test(t)) {
        negative = true
        t = t.slice(1).trim()
    } else if (/[-\u2212]$/.test(t)) {
        negative = true
        t = t.slice(0, -1).trim()
    } else if (t.startsWith('+')) t = t.slice(1).trim()
    return { text: t.replace(CURRENCY, '').trim(), negative }
}

const isZero = (t: string) => /^[0\s\u00A0\u202F.,]*$/.test(t)

function plainText(value: unknown): string {
    if (isBlankCell(value)) return ''
    const r = cellText(value, 'product_name', { spreadsheet: true })
    return r.ok ? r.value : String(value)
}

/**
 * One source row (cells in header order) → canonical raw row. The order of the steps matters:
 * exclusion sees the source's own spelling; aliases come before defaults, so a default only
 * fills what the row leaves empty.
 */
export function mapRow(plan: HeaderPlan, cells: readonly unknown[], m: ResolvedMapping, opts: CellOptions): MapOutcome {
    const kind = plan.kind
    const texts: Record<string, string> = {}
    let bad: { column: string; reason: Bilingual } | null = null
    for (let i = 0; i < plan.targets.length; i++) {
        const t = plan.targets[i]
        if (!t) continue
        const r = cellText(cells[i], t, opts, plan.names[i])
        if (!r.ok) {
            if (!kind.personal.has(t)) bad ??= { column: t.replace(/_time$/, ''), reason: r.reason }
            continue
        }
        if (texts[t] === undefined || texts[t] === '') texts[t] = r.value
    }
    for (let k = 0; k < m.exclude.length; k++) {
        const at = plan.ruleAt[k]
        if (!at) continue
        const rule = m.exclude[k]
        const value = 'target' in at ? (texts[at.target] ?? '') : plainText(cells[at.index])
        const v = value.trim()
        if ((rule.empty && v === '') || (v !== '' && (rule.values?.has(foldKey(v)) || rule.pattern?.test(v)))) return { kind: 'excluded', rule: k }
    }
    const fail = (column: string | null, reason: Bilingual): MapOutcome => ({ kind: 'error', column, reason, raw: kind.quarantineRaw(texts) })
    if (bad) return fail(bad.column, bad.reason)

    // Dates: configured formats, then a time written in its own column.
    for (const [dateCol, timeCol] of [
        ['occurred_at', 'occurred_at_time'],
        ['updated_at', 'updated_at_time'],
        ['date', 'date_time'],
    ] as const) {
        if (texts[dateCol]) {
            const c = convertDate(texts[dateCol], m.dateFormats)
            if (c && !c.ok) return fail(dateCol, { fr: `${c.reason.fr} dans ${dateCol}`, en: `${c.reason.en} in ${dateCol}` })
            if (c) texts[dateCol] = c.value
        }
        const time = texts[timeCol]?.trim()
        delete texts[timeCol]
        if (time && texts[dateCol]) {
            const t = TIME.exec(time)
            if (!t) {
                const q = quoteValue(time)
                return fail(dateCol, { fr: `Heure illisible « ${q} » : attendu HH:MM ou HH:MM:SS`, en: `Unreadable time "${q}": expected HH:MM or HH:MM:SS` })
            }
            const d = texts[dateCol].trim()
            // A time column completes a date alone; a date that has its own time keeps it.
            if (/^\d{4}-\d{2}-\d{2}$/.test(d)) texts[dateCol] = `${d}T${t[1].padStart(2, '0')}:${t[2]}:${t[3] ?? '00'}`
        }
    }

    // Amount: debit/credit columns, currency, sign.
    let impliedType: 'PAYMENT' | 'REFUND' | null = null
    if (plan.debit >= 0 && plan.credit >= 0) {
        const read = (i: number) => {
            const r = cellText(cells[i], 'amount_xof', opts, plan.names[i])
            return r.ok ? cleanAmount(r.value) : null
        }
        const d = read(plan.debit)
        const c = read(plan.credit)
        if (!d || !c) return fail('amount_xof', wrongAmountCell(plan))
        const hasD = d.text !== '' && !isZero(d.text)
        const hasC = c.text !== '' && !isZero(c.text)
        if (hasD && hasC) {
            return fail('amount_xof', {
                fr: `Débit et crédit remplis sur la même ligne (« ${quoteValue(d.text)} », « ${quoteValue(c.text)} ») : impossible de savoir le sens`,
                en: `Both debit and credit are filled on the same row ("${quoteValue(d.text)}", "${quoteValue(c.text)}"): cannot tell the direction`,
            })
        }
        if (hasC || hasD) {
            texts.amount_xof = hasC ? c.text : d.text
            impliedType = hasC ? 'PAYMENT' : 'REFUND'
        } else if (d.text !== '' || c.text !== '') texts.amount_xof = '0'
        else return fail('amount_xof', { fr: 'Ni débit ni crédit sur cette ligne', en: 'Neither debit nor credit on this row' })
    } else if (m.mapped && texts.amount_xof) {
        const a = cleanAmount(texts.amount_xof)
        if (a.negative && !isZero(a.text)) {
            if (m.negativeAmounts !== 'refund') {
                const q = quoteValue(texts.amount_xof)
                return fail('amount_xof', {
                    fr: `Montant négatif « ${q} » : un montant est ≥ 0 (si le relevé écrit les remboursements en négatif, mettez mapping.negativeAmounts: refund)`,
                    en: `Negative amount "${q}": amounts are ≥ 0 (if the statement writes refunds as negative amounts, set mapping.negativeAmounts: refund)`,
                })
            }
            impliedType = 'REFUND'
        }
        texts.amount_xof = a.text
    }

    // Spellings of this source, then what the row leaves empty.
    for (const [col, table] of m.values) {
        const v = texts[col]
        if (!v) continue
        const hit = table.get(foldKey(v))
        if (hit !== undefined) texts[col] = hit
    }
    if (impliedType === 'REFUND' || (impliedType && !texts.type?.trim())) texts.type = impliedType
    for (const [col, v] of Object.entries(m.defaults)) if (!texts[col]?.trim()) texts[col] = v

    const raw: Record<string, string> = {}
    for (const [k, v] of Object.entries(texts)) if (kind.kept.has(k)) raw[k] = v
    return { kind: 'raw', raw }
}

function wrongAmountCell(plan: HeaderPlan): Bilingual {
    return {
        fr: `Type inattendu dans « ${quoteValue(plan.names[plan.debit])} » ou « ${quoteValue(plan.names[plan.credit])} » : attendu un montant`,
        en: `Unexpected type in "${quoteValue(plan.names[plan.debit])}" or "${quoteValue(plan.names[plan.credit])}": expected an amount`,
    }
}

/** JSON records: names vary from one item to the next; plans are cached by their key list. */
export class RecordMapper {
    private readonly plans = new Map<string, HeaderPlan>()
    constructor(
        private readonly m: ResolvedMapping,
        private readonly opts: CellOptions,
        private readonly kind: Kind = LEDGER_KIND
    ) {}

    /** `fallback`: canonical values for what the record leaves empty (line_no of an exploded line). */
    map(record: Record<string, unknown>, fallback?: Record<string, string>): MapOutcome {
        const names = Object.keys(record)
        const key = names.join('\u0000')
        let plan = this.plans.get(key)
        if (!plan) {
            plan = planHeader(names, this.m, false, this.kind)
            if (this.plans.size > 1000) this.plans.clear()
            this.plans.set(key, plan)
        }
        if (plan.problem) return { kind: 'error', column: plan.problem.column, reason: plan.problem.reason, raw: {} }
        const out = mapRow(plan, Object.values(record), this.m, this.opts)
        if (out.kind === 'raw' && fallback) for (const [k, v] of Object.entries(fallback)) if (!out.raw[k]?.trim()) out.raw[k] = v
        return out
    }
}

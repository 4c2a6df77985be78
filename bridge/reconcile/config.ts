import { z } from 'zod'
import { STATEMENT_CHANNELS } from '../../contract/reconciliation'
import { bi, checkSqlConnection, httpRequestShape, mappingSchemaFor, sqlConnectionShape } from '../config/sources'
import { CASH_TARGETS, STATEMENT_TARGETS } from './rows'
import { STATEMENT_PRESET_NAMES } from './presets'

/**
 * `reconciliation` in the configuration (docs/reconciliation.md): operator statements and cash
 * counts, read from files or watched folders with the ledger's readers, or from a database or a
 * JSON API with the ledger's connections — without a cursor: every run reads the whole month
 * being reconciled, bounded by `:from`/`:to` (SQL) or the `month` query parameters (HTTP).
 * Their own columns and presets. Statements never feed the ledger: they have their own key and
 * their own row type, and these schemas are not `ledger.sources`'.
 */

const sourceName = z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, {
        message: bi('nom de source invalide : lettres, chiffres, « _ », « - » ou « . », sans espace', 'invalid source name: letters, digits, "_", "-" or ".", no spaces'),
    })

const statementMapping = mappingSchemaFor(STATEMENT_TARGETS)
const cashMapping = mappingSchemaFor(CASH_TARGETS)

const where = {
    /** Files or folders (every .csv and .xlsx in file-name order), read on every run. */
    paths: z.array(z.string().min(1)).min(1),
    /** XLSX: the sheet to read, by name or 1-based position; default the first. */
    sheet: z.union([z.string().min(1), z.number().int().min(1)]).optional(),
    /** Files younger than this are left for the next run (still being written). */
    minAgeSeconds: z.number().int().min(0).default(0),
}

/** The month's bounds in a query: local dates (first day, first day of the next month) or UTC instants. */
export const MONTH_PARAMETERS = ['from', 'to', 'from_utc', 'to_utc'] as const
const boundRef = /(?<![:\w]):(from_utc|to_utc|from|to)\b/g

/** A query's text outside its string literals and quoted identifiers (where `:from` is a parameter). */
export function codeOf(query: string): string {
    return query.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`/g, (m) => ' '.repeat(m.length))
}

export function boundsUsed(query: string): Set<string> {
    return new Set([...codeOf(query).matchAll(boundRef)].map((m) => m[1]))
}

const sqlOnly = {
    ...sqlConnectionShape,
    /**
     * A SELECT returning the month's rows only: it binds `:from` and `:to` (local dates, to
     * exclusive) or `:from_utc` and `:to_utc` (UTC instants, to exclusive).
     */
    query: z.string().min(1),
}

function checkMonthQuery(s: { query: string }, ctx: z.RefinementCtx): void {
    const used = boundsUsed(s.query)
    if (!((used.has('from') && used.has('to')) || (used.has('from_utc') && used.has('to_utc')))) {
        ctx.addIssue({
            code: 'custom',
            path: ['query'],
            message: bi(
                'la requête doit borner le mois rapproché : « … WHERE date_op >= :from AND date_op < :to » (dates locales) ou « :from_utc » / « :to_utc » (instants UTC)',
                'the query must bound the month being reconciled: "… WHERE op_date >= :from AND op_date < :to" (local dates) or ":from_utc" / ":to_utc" (UTC instants)'
            ),
        })
    }
}

const httpOnly = {
    ...httpRequestShape,
    /** The query parameters that carry the month being reconciled. */
    month: z
        .object({
            from: z.string().min(1).default('from'),
            to: z.string().min(1).default('to'),
            /** instant: UTC instants, `to` exclusive (the next month's start); date: local dates, `to` the month's last day. */
            format: z.enum(['instant', 'date']).default('instant'),
        })
        .strict()
        .default({ from: 'from', to: 'to', format: 'instant' }),
}

/** A file-like entry written before `type` existed is a file entry. */
const fileByDefault = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) && !('type' in v) ? { ...v, type: 'file' } : v)

const statementWhat = {
    preset: z.enum(STATEMENT_PRESET_NAMES).optional(),
    mapping: statementMapping.optional(),
    /** The merchant account's channel and facility, for statements that do not say them. */
    channel: z.enum(STATEMENT_CHANNELS).optional(),
    facility: z.string().min(1).optional(),
}

export const statementSourceSchema = z.preprocess(
    fileByDefault,
    z.discriminatedUnion('type', [
        z.object({ type: z.literal('file'), name: sourceName.optional(), ...where, ...statementWhat }).strict(),
        z.object({ type: z.literal('sql'), ...sqlOnly, ...statementWhat }).strict().superRefine((s, ctx) => (checkSqlConnection(s, ctx), checkMonthQuery(s, ctx))),
        z.object({ type: z.literal('http'), ...httpOnly, ...statementWhat }).strict(),
    ])
)
export type StatementSourceConfig = z.infer<typeof statementSourceSchema>

const cashWhat = {
    mapping: cashMapping.optional(),
    facility: z.string().min(1).optional(),
}

export const cashCountSourceSchema = z.preprocess(
    fileByDefault,
    z.discriminatedUnion('type', [
        z.object({ type: z.literal('file'), name: sourceName.optional(), ...where, ...cashWhat }).strict(),
        z.object({ type: z.literal('sql'), ...sqlOnly, ...cashWhat }).strict().superRefine((s, ctx) => (checkSqlConnection(s, ctx), checkMonthQuery(s, ctx))),
        z.object({ type: z.literal('http'), ...httpOnly, ...cashWhat }).strict(),
    ])
)
export type CashCountSourceConfig = z.infer<typeof cashCountSourceSchema>
export type SqlReconSource = Extract<StatementSourceConfig | CashCountSourceConfig, { type: 'sql' }>
export type HttpReconSource = Extract<StatementSourceConfig | CashCountSourceConfig, { type: 'http' }>

/**
 * A name given to a statement or cash-count source names it in the report and its quarantine, and
 * its secrets' default variables (BRIDGE_SOURCE_<NAME>_…): two sources of one name could not be told
 * apart, nor given different passwords. Names are compared without case, as the variables are.
 */
function uniqueSourceNames(r: { statements: Array<{ name?: string }>; cashCounts: Array<{ name?: string }> }, ctx: z.RefinementCtx): void {
    const seen = new Map<string, string>()
    for (const list of ['statements', 'cashCounts'] as const) {
        r[list].forEach((s, i) => {
            if (!s.name) return
            const where = `${list}[${i}]`
            const first = seen.get(s.name.toLowerCase())
            if (first === undefined) seen.set(s.name.toLowerCase(), where)
            else
                ctx.addIssue({
                    code: 'custom',
                    path: [list, i, 'name'],
                    message: bi(
                        `nom « ${s.name} » déjà pris par ${first} : chaque source de rapprochement a un nom unique (il la nomme dans le rapport et dans ses variables de secret)`,
                        `name "${s.name}" is already used by ${first}: each reconciliation source needs a unique name (it names it in the report and in its secret variables)`
                    ),
                })
        })
    }
}

export const reconciliationConfigSchema = z
    .object({
        /** Statement rows and ledger attempts of the same amount pair up when this close in time. */
        windowMinutes: z.number().int().min(0).max(7 * 24 * 60).default(30),
        statements: z.array(statementSourceSchema).default([]),
        cashCounts: z.array(cashCountSourceSchema).default([]),
        /** Run `reconcile` after each scheduled sync (when statements or counts are configured). */
        afterSync: z.boolean().default(true),
    })
    .strict()
    .superRefine(uniqueSourceNames)
export type ReconciliationConfig = z.infer<typeof reconciliationConfigSchema>

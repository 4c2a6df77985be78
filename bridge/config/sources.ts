import { z } from 'zod'
import { LINE_COLUMNS, PERSONAL_COLUMNS } from '../ledger/columns'
import { CHANNELS, LINE_TYPES, SERVICES, STATUSES } from '../../contract/codes'

/**
 * Configuration of the ledger sources (`ledger.sources`): CSV/XLSX files with a mapping, a
 * watched folder, a SQL database, an HTTP JSON API. Secrets never live here: a source names the
 * environment variable that holds its password or token (docs/connectors/).
 *
 * Custom messages are JSON `{ fr, en }` so that the configuration errors stay bilingual
 * (bridge/config/errors.ts reads them).
 */
export const bi = (fr: string, en: string): string => JSON.stringify({ fr, en })

/** Canonical ledger columns (docs/contract.md §2) a source column may be mapped to. */
export const CANONICAL_TARGETS = [...LINE_COLUMNS, ...PERSONAL_COLUMNS] as const
/** Plus two helpers: a time written in its own column, joined to the date of occurred_at / updated_at. */
export const MAPPING_TARGETS = [...CANONICAL_TARGETS, 'occurred_at_time', 'updated_at_time'] as const
export type MappingTarget = (typeof MAPPING_TARGETS)[number]

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
    message: bi(
        "nom de variable d'environnement invalide : lettres, chiffres et _ (ex. CAISSE_DB_PASSWORD)",
        'invalid environment variable name: letters, digits and _ (e.g. CAISSE_DB_PASSWORD)'
    ),
})

const sourceName = z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, {
        message: bi(
            'nom de source invalide : lettres, chiffres, « _ », « - » ou « . », sans espace (ex. caisse-principale)',
            'invalid source name: letters, digits, "_", "-" or ".", no spaces (e.g. main-cashier)'
        ),
    })

const excludeRuleSchema = z
    .object({
        /** A canonical column (its value before aliases) or a header of the source. */
        column: z.string().min(1),
        /** Skip the row when the value is one of these (case, accents and spaces ignored). */
        values: z.array(z.string()).optional(),
        /** …or matches this regular expression (case-insensitive). */
        pattern: z
            .string()
            .refine(
                (p) => {
                    try {
                        new RegExp(p, 'iu')
                        return true
                    } catch {
                        return false
                    }
                },
                { message: bi('expression régulière invalide', 'invalid regular expression') }
            )
            .optional(),
        /** …or is empty. */
        empty: z.boolean().optional(),
    })
    .strict()
    .refine((r) => r.values !== undefined || r.pattern !== undefined || r.empty !== undefined, {
        message: bi('une règle « exclude » a besoin de values, pattern ou empty', 'an "exclude" rule needs values, pattern or empty'),
    })
export type ExcludeRule = z.infer<typeof excludeRuleSchema>

/**
 * How a cashier export or an operator statement becomes canonical ledger rows. Every key is
 * optional: a preset supplies them, the source's own `mapping` adds to or replaces them.
 */
export function mappingSchemaFor<const T extends readonly [string, ...string[]]>(targets: T) {
    return z
        .object({
            /** Source header (or SQL column, or JSON path such as `facility.code`) → canonical column. */
            columns: z.record(z.string().min(1), z.enum(targets)).optional(),
            /** Source spellings → canonical value, per column (case, accents and spaces ignored). */
            values: z
                .object({
                    channel: z.record(z.string(), z.enum(CHANNELS)).optional(),
                    service: z.record(z.string(), z.enum(SERVICES)).optional(),
                    type: z.record(z.string(), z.enum(LINE_TYPES)).optional(),
                    status: z.record(z.string(), z.enum(STATUSES)).optional(),
                    /** e.g. a card terminal or merchant account number → facility code. */
                    facility_code: z.record(z.string(), z.string().min(1)).optional(),
                    unit: z.record(z.string(), z.string().min(1)).optional(),
                })
                .strict()
                .optional(),
            /** Values used when the column is absent or empty (a statement belongs to one facility, one channel). */
            defaults: z
                .object({
                    facility_code: z.string().min(1).optional(),
                    channel: z.enum(CHANNELS).optional(),
                    service: z.enum(SERVICES).optional(),
                    type: z.enum(LINE_TYPES).optional(),
                    status: z.enum(STATUSES).optional(),
                })
                .strict()
                .optional(),
            /** Date formats (Luxon tokens: dd/MM/yyyy HH:mm:ss); ISO 8601 is always accepted too. */
            dateFormats: z.array(z.string().min(1)).optional(),
            /** A negative amount: an error (default), or a refund of the absolute value. */
            negativeAmounts: z.enum(['error', 'refund']).optional(),
            /** Statements with separate debit and credit columns: credit → PAYMENT, debit → REFUND. */
            debitCredit: z.object({ debit: z.string().min(1), credit: z.string().min(1) }).strict().optional(),
            /** Rows that are not hospital revenue (withdrawals, fees, totals): skipped and counted. */
            exclude: z.array(excludeRuleSchema).optional(),
            /** Header row (1-based line or spreadsheet row); default: the first row holding the required columns. */
            headerRow: z.number().int().min(1).optional(),
            /** CSV delimiter; default: detected. */
            delimiter: z.enum([';', ',', '\t', '|']).optional(),
            /** CSV text encoding; Excel's "CSV (séparateur : point-virgule)" is windows-1252. */
            encoding: z.enum(['utf-8', 'windows-1252', 'iso-8859-1', 'utf-16le']).optional(),
        })
        .strict()
}
/** The same mapping keys serve statements and cash counts, with their own target columns (bridge/reconcile/config.ts). */
export const mappingSchema = mappingSchemaFor(MAPPING_TARGETS)
export type MappingConfig = z.infer<typeof mappingSchema>

export const PRESET_NAMES = ['cashier'] as const
export type PresetName = (typeof PRESET_NAMES)[number]

/** Operator statement presets (bridge/reconcile/presets.ts): named here so a ledger source naming one gets a clear error. */
const STATEMENT_PRESETS_NAMED = ['orange-money', 'moov-money', 'sama-money', 'card-acquirer']

/**
 * A ledger source's preset. A statement is never revenue (docs/contract.md §7): a statement
 * preset under `ledger.sources` would count every mobile money payment twice, so it is refused.
 */
const ledgerPreset = z
    .string()
    .superRefine((name, ctx) => {
        if (STATEMENT_PRESETS_NAMED.includes(name)) {
            ctx.addIssue({
                code: 'custom',
                message: bi(
                    `« ${name} » est un relevé d'opérateur, pas un registre de recettes : lu comme registre, chaque paiement serait compté deux fois. Déclarez-le sous reconciliation.statements (docs/reconciliation.md)`,
                    `"${name}" is an operator statement, not a revenue ledger: read as a ledger, every payment would be counted twice. Declare it under reconciliation.statements (docs/reconciliation.md)`
                ),
            })
        } else if (!(PRESET_NAMES as readonly string[]).includes(name)) {
            ctx.addIssue({ code: 'custom', message: bi(`préréglage inconnu « ${name} » : ${PRESET_NAMES.join(', ')}`, `unknown preset "${name}": ${PRESET_NAMES.join(', ')}`) })
        }
    })
    .transform((name) => name as PresetName)

const mappedCommon = {
    /** Start from a shipped mapping (docs/connectors/); `mapping` adds to it. */
    preset: ledgerPreset.optional(),
    mapping: mappingSchema.optional(),
    /** XLSX: the sheet to read, by name or 1-based position; default the first. */
    sheet: z.union([z.string().min(1), z.number().int().min(1)]).optional(),
}

export const fileSourceSchema = z
    .object({
        type: z.literal('file'),
        name: sourceName.optional(),
        /** Files or folders (every .csv and .xlsx in file-name order), read on every run. */
        paths: z.array(z.string().min(1)).min(1),
        ...mappedCommon,
    })
    .strict()

export const folderSourceSchema = z
    .object({
        type: z.literal('folder'),
        name: sourceName,
        /** A folder where daily exports land: each file is read once, again only if its content changes. */
        path: z.string().min(1),
        extensions: z.array(z.enum(['.csv', '.xlsx'])).min(1).default(['.csv', '.xlsx']),
        /** Files younger than this are left for the next run (still being written). */
        minAgeSeconds: z.number().int().min(0).default(10),
        ...mappedCommon,
    })
    .strict()

export const SQL_DRIVERS = ['postgres', 'mysql', 'sqlite'] as const

/** How to reach a database, shared by the ledger's SQL sources and the statements' (bridge/reconcile/config.ts). */
export const sqlConnectionShape = {
    name: sourceName,
    driver: z.enum(SQL_DRIVERS),
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(1).max(65535).optional(),
    database: z.string().min(1).optional(),
    user: z.string().min(1).optional(),
    /** Environment variable holding the password (default BRIDGE_SOURCE_<NAME>_PASSWORD, optional). */
    passwordEnv: envName.optional(),
    /** Environment variable holding a whole connection URL (postgres://… or mysql://…), instead of host/port/… */
    urlEnv: envName.optional(),
    ssl: z.boolean().default(false),
    /** SQLite: the database file, opened read-only. */
    file: z.string().min(1).optional(),
    /** A SELECT returning the canonical columns (or columns named in mapping.columns), without ORDER BY or LIMIT. */
    query: z.string().min(1),
    statementTimeoutMs: z.number().int().min(100).default(60_000),
    connectTimeoutMs: z.number().int().min(100).default(10_000),
}
/** The connection fields the drivers read (bridge/ledger/sources/sql-drivers.ts). */
export type SqlConnectionConfig = Pick<SqlSourceConfig, 'name' | 'driver' | 'host' | 'port' | 'database' | 'user' | 'passwordEnv' | 'urlEnv' | 'ssl' | 'file' | 'query' | 'statementTimeoutMs' | 'connectTimeoutMs'>

/** Checks every SQL source gets: a file for SQLite, a database otherwise. */
export function checkSqlConnection(s: { driver: string; file?: string; database?: string; urlEnv?: string }, ctx: z.RefinementCtx): void {
    if (s.driver === 'sqlite' && !s.file) {
        ctx.addIssue({ code: 'custom', path: ['file'], message: bi('une source sqlite a besoin de « file » (le fichier de la base)', 'a sqlite source needs "file" (the database file)') })
    }
    if (s.driver !== 'sqlite' && !s.database && !s.urlEnv) {
        ctx.addIssue({
            code: 'custom',
            path: ['database'],
            message: bi(`une source ${s.driver} a besoin de « database » (ou de « urlEnv »)`, `a ${s.driver} source needs "database" (or "urlEnv")`),
        })
    }
}

export const sqlSourceSchema = z
    .object({
        type: z.literal('sql'),
        ...sqlConnectionShape,
        cursor: z
            .object({
                /** A column of the query's result that grows when a row is added or changed (updated_at, an id). */
                column: z.string().min(1),
                /** Columns that order rows sharing a cursor value (default: transaction_id and line_no). Never NULL. */
                tieBreaker: z.array(z.string().min(1)).optional(),
                /** Lower bound of the first run (rows with a cursor value ≥ start); default: everything. */
                start: z.union([z.string(), z.number()]).optional(),
            })
            .strict(),
        pageSize: z.number().int().min(1).max(100_000).default(1_000),
        preset: ledgerPreset.optional(),
        mapping: mappingSchema.optional(),
    })
    .strict()
    .superRefine((s, ctx) => {
        checkSqlConnection(s, ctx)
        if (/\b(order\s+by|limit)\b[^)]*$/i.test(s.query.trim())) {
            ctx.addIssue({
                code: 'custom',
                path: ['query'],
                message: bi(
                    'retirez ORDER BY et LIMIT de la requête : le pont lit par pages, dans l’ordre du curseur',
                    'remove ORDER BY and LIMIT from the query: the bridge reads it in pages, in cursor order'
                ),
            })
        }
    })

export const authSchema = z.discriminatedUnion('type', [
    z.object({ type: z.literal('none') }).strict(),
    z.object({ type: z.literal('bearer'), tokenEnv: envName }).strict(),
    z.object({ type: z.literal('basic'), username: z.string().min(1).optional(), usernameEnv: envName.optional(), passwordEnv: envName }).strict(),
])

/** How to call a JSON API, shared by the ledger's HTTP sources and the statements' (bridge/reconcile/config.ts). */
export const httpRequestShape = {
    name: sourceName,
    url: z.string().url(),
    auth: authSchema.default({ type: 'none' }),
    /** Extra query parameters sent on every request. */
    query: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
    /** Non-secret headers (secrets go through auth). */
    headers: z.record(z.string(), z.string()).default({}),
    /** Dotted path of the array of items in the response ('' when the body is the array). */
    items: z.string().default(''),
    paging: z
        .discriminatedUnion('type', [
            z.object({ type: z.literal('none') }).strict(),
            z
                .object({
                    type: z.literal('page'),
                    param: z.string().min(1).default('page'),
                    sizeParam: z.string().min(1).default('pageSize'),
                    size: z.number().int().min(1).max(10_000).default(100),
                    first: z.number().int().min(0).default(1),
                })
                .strict(),
            z
                .object({
                    type: z.literal('offset'),
                    param: z.string().min(1).default('offset'),
                    sizeParam: z.string().min(1).default('limit'),
                    size: z.number().int().min(1).max(10_000).default(100),
                })
                .strict(),
            z
                .object({
                    type: z.literal('cursor'),
                    param: z.string().min(1).default('cursor'),
                    sizeParam: z.string().min(1).optional(),
                    size: z.number().int().min(1).max(10_000).default(100),
                    /** Dotted path of the next cursor in the response; absent, null or empty ends the read. */
                    next: z.string().min(1),
                })
                .strict(),
        ])
        .default({ type: 'none' }),
    /** Optional dotted path of the total number of items (for progress). */
    total: z.string().min(1).optional(),
    timeoutMs: z.number().int().min(100).default(30_000),
    retries: z.number().int().min(0).max(10).default(2),
}

export const httpSourceSchema = z
    .object({
        type: z.literal('http'),
        ...httpRequestShape,
        /** Dotted path of an array inside each item (receipt → lines): one ledger row per element, line_no = position unless mapped. */
        explode: z.string().min(1).optional(),
        /** Since-cursor: send the largest `field` value committed so far as `param`. */
        since: z
            .object({
                param: z.string().min(1),
                /** Dotted path in each item (before explode), e.g. updated_at. */
                field: z.string().min(1),
                start: z.string().min(1).optional(),
            })
            .strict()
            .optional(),
        preset: ledgerPreset.optional(),
        mapping: mappingSchema.optional(),
    })
    .strict()

export const ledgerSourceSchema = z.discriminatedUnion('type', [fileSourceSchema, folderSourceSchema, sqlSourceSchema, httpSourceSchema])
export type LedgerSourceConfig = z.infer<typeof ledgerSourceSchema>
export type FileSourceConfig = z.infer<typeof fileSourceSchema>
export type FolderSourceConfig = z.infer<typeof folderSourceSchema>
export type SqlSourceConfig = z.infer<typeof sqlSourceSchema>
export type HttpSourceConfig = z.infer<typeof httpSourceSchema>
/** The request fields the HTTP client reads (bridge/ledger/sources/http-client.ts). */
export type HttpRequestConfig = Pick<HttpSourceConfig, 'name' | 'url' | 'auth' | 'query' | 'headers' | 'items' | 'paging' | 'total' | 'timeoutMs' | 'retries'>

export const ledgerSourcesSchema = z.array(ledgerSourceSchema).superRefine((sources, ctx) => {
    const seen = new Map<string, number>()
    sources.forEach((s, i) => {
        const name = s.name ?? `file-${i + 1}`
        const first = seen.get(name.toLowerCase())
        if (first !== undefined) {
            ctx.addIssue({
                code: 'custom',
                path: [i, 'name'],
                message: bi(`nom « ${name} » déjà pris par la source n° ${first} : chaque source a un nom unique (il garde son curseur)`, `name "${name}" is already used by source ${first}: each source needs a unique name (it keeps its cursor)`),
            })
        } else seen.set(name.toLowerCase(), i)
    })
})

/** Default name of the variable holding a source's secret: BRIDGE_SOURCE_<NAME>_<WHAT>. */
export function defaultSecretEnv(sourceName: string, what: 'PASSWORD' | 'TOKEN' | 'URL'): string {
    return `BRIDGE_SOURCE_${sourceName.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_${what}`
}

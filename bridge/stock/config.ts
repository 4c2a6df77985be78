import { z } from 'zod'

/**
 * Configuration of the stock leg (docs/contract.md §4), under the key `stock` of the bridge configuration.
 * Secrets never live here: the MEDEXIS token or password come from the environment.
 */

/** A DHIS2 reference: code or UID (resolved by reading the server, never guessed). */
const dhis2Ref = z.string().trim().min(1)

/** Where one LMIS variable of a product lives: its own data element, or a category option combo of the product's element. */
const lmisVariableSchema = z
    .object({
        dataElement: dhis2Ref.optional(),
        categoryOptionCombo: dhis2Ref.optional(),
    })
    .strict()
export type LmisVariableRef = z.infer<typeof lmisVariableSchema>

export const LMIS_VARIABLES = ['dispensed', 'stockOnHand', 'stockOutDays', 'openingBalance', 'received'] as const
export type LmisVariable = (typeof LMIS_VARIABLES)[number]

const productLmisSchema = z
    .object({
        /** The product's data element; "dispensed" is written here (and read by the reconciliation). */
        dataElement: dhis2Ref,
        /** The "quantité distribuée" option combo; else `stock.lmis.categoryOptionCombos.dispensed`, else the element's only combo. */
        categoryOptionCombo: dhis2Ref.optional(),
        /** LMIS units per ledger unit (24 when the cashier sells boxes of 24 and the LMIS counts tablets). */
        factor: z.number().positive().finite().default(1),
        /** Name of the LMIS unit, for reports only. */
        unit: z.string().min(1).optional(),
        stockOnHand: lmisVariableSchema.optional(),
        stockOutDays: lmisVariableSchema.optional(),
        openingBalance: lmisVariableSchema.optional(),
        received: lmisVariableSchema.optional(),
    })
    .strict()

export const productMappingSchema = z
    .object({
        /** The product code as the ledger writes it (`product_code`). */
        ledgerCode: z.string().trim().min(1),
        /** MEDEXIS product code; the ledger code when absent. */
        medexisCode: z.string().trim().min(1).optional(),
        /** Product name sent to MEDEXIS; the ledger's `product_name` when absent. */
        name: z.string().trim().min(1).optional(),
        /** Dispensing unit sent to MEDEXIS; the ledger's `unit` when absent. */
        unit: z.string().trim().min(1).optional(),
        lmis: productLmisSchema.optional(),
    })
    .strict()
export type ProductMapping = z.infer<typeof productMappingSchema>

export const medexisConfigSchema = z
    .object({
        /** Off with false even when MEDEXIS_BASE_URL is set; on by default as soon as a base URL is known. */
        enabled: z.boolean().optional(),
        /** MEDEXIS_BASE_URL wins. */
        baseUrl: z.string().url().optional(),
        /** Path under the base URL; `{id}` is replaced by the (URL-safe) record id. */
        path: z
            .string()
            .startsWith('/')
            .refine((p) => p.includes('{id}'), { message: 'path must contain {id} / le chemin doit contenir {id}' })
            .default('/stock-outflows/{id}'),
        /** auto: bearer MEDEXIS_TOKEN if set, else Basic MEDEXIS_USERNAME/MEDEXIS_PASSWORD if set, else none. */
        auth: z.enum(['auto', 'bearer', 'basic', 'none']).default('auto'),
        timeoutMs: z.number().int().positive().default(30_000),
        /** Retries of one PUT on 5xx, 408, 429, time-outs and dropped connections. */
        retries: z.number().int().min(0).max(20).default(3),
        retryBaseDelayMs: z.number().int().min(0).default(1_000),
        /**
         * PUTs in flight at once; 1 sends strictly in order. A record goes per round trip and per
         * PUT in flight: over a 200 ms link 4.5 records/s one at a time, 18 with 4, 39 with 8
         * (bench/README.md (6b)); 8 stays a handful of connections for a national server.
         */
        concurrency: z.number().int().min(1).max(32).default(8),
    })
    .strict()

export const stockConfigSchema = z
    .object({
        products: z.array(productMappingSchema).default([]),
        medexis: medexisConfigSchema.prefault({}),
        lmis: z
            .object({
                /** The LMIS data set (code or UID): written to by the sink, read by the reconciliation. */
                dataSet: dhis2Ref.optional(),
                /** Ledger facility codes whose monthly dispensed totals are written to DHIS2 (off for all by default). */
                facilities: z.array(z.string().trim().min(1)).default([]),
                /** Shape "one element per product, one option per variable": the option combo of each variable. */
                categoryOptionCombos: z.partialRecord(z.enum(LMIS_VARIABLES), dhis2Ref).default({}),
            })
            .strict()
            .prefault({}),
        reconcile: z
            .object({
                /** Flag when |sold − dispensed| / dispensed is above this percentage. */
                gapThresholdPercent: z.number().min(0).max(1000).default(10),
            })
            .strict()
            .prefault({}),
    })
    .strict()
    .superRefine((cfg, ctx) => {
        const seen = new Set<string>()
        cfg.products.forEach((p, i) => {
            if (seen.has(p.ledgerCode)) {
                ctx.addIssue({ code: 'custom', path: ['products', i, 'ledgerCode'], message: `duplicate ledger code ${p.ledgerCode} / code registre en double` })
            }
            seen.add(p.ledgerCode)
        })
        // Several ledger codes may feed one MEDEXIS product, if they agree on what it is.
        const byTarget = new Map<string, ProductMapping>()
        cfg.products.forEach((p, i) => {
            const target = p.medexisCode ?? p.ledgerCode
            const other = byTarget.get(target)
            if (!other) return void byTarget.set(target, p)
            if ((other.unit ?? null) !== (p.unit ?? null) || JSON.stringify(other.lmis ?? null) !== JSON.stringify(p.lmis ?? null)) {
                ctx.addIssue({
                    code: 'custom',
                    path: ['products', i],
                    message: `${p.ledgerCode} and ${other.ledgerCode} both become MEDEXIS product ${target} but differ in unit or lmis / ${p.ledgerCode} et ${other.ledgerCode} deviennent tous deux le produit MEDEXIS ${target} mais diffèrent par l'unité ou lmis`,
                })
            }
        })
        if (cfg.lmis.facilities.length > 0 && !cfg.lmis.dataSet) {
            ctx.addIssue({ code: 'custom', path: ['lmis', 'dataSet'], message: 'required when lmis.facilities is not empty / requis quand lmis.facilities n’est pas vide' })
        }
    })

export type StockConfig = z.infer<typeof stockConfigSchema>

/** Product lookups the computation and the sinks share. */
export interface ProductCatalog {
    /** Mapping of a ledger code, if any. */
    byLedgerCode(code: string): ProductMapping | undefined
    /** The MEDEXIS product code of a ledger code. */
    medexisCode(ledgerCode: string): string
    /** The mapping that describes a MEDEXIS product (its LMIS side, unit, name). */
    byMedexisCode(code: string): ProductMapping | undefined
}

export function productCatalog(cfg: Pick<StockConfig, 'products'>): ProductCatalog {
    const byLedger = new Map(cfg.products.map((p) => [p.ledgerCode, p]))
    const byTarget = new Map<string, ProductMapping>()
    for (const p of cfg.products) {
        const t = p.medexisCode ?? p.ledgerCode
        if (!byTarget.has(t)) byTarget.set(t, p)
    }
    return {
        byLedgerCode: (c) => byLedger.get(c),
        medexisCode: (c) => byLedger.get(c)?.medexisCode ?? c,
        byMedexisCode: (c) => byTarget.get(c),
    }
}

/** Where the LMIS variable of a product lives, or null when it is not mapped. */
export function lmisTarget(cfg: StockConfig, mapping: ProductMapping | undefined, variable: LmisVariable): { dataElement: string; categoryOptionCombo: string | null } | null {
    const lmis = mapping?.lmis
    if (!lmis) return null
    const globalCoc = cfg.lmis.categoryOptionCombos[variable] ?? null
    if (variable === 'dispensed') return { dataElement: lmis.dataElement, categoryOptionCombo: lmis.categoryOptionCombo ?? globalCoc }
    const ref = lmis[variable]
    if (ref) return { dataElement: ref.dataElement ?? lmis.dataElement, categoryOptionCombo: ref.categoryOptionCombo ?? (ref.dataElement ? null : globalCoc) }
    // Shape (i): same element, the variable's option combo named once for all products.
    return globalCoc ? { dataElement: lmis.dataElement, categoryOptionCombo: globalCoc } : null
}

import { z } from 'zod'

/**
 * What the bridge publishes of its reconciliation for the dashboards (view "Pharmacie et stock"):
 * one data store entry per facility, namespace `payrev`, key `stock-reconcile-<orgUnitUid>`
 * (./datastore.ts).
 * Quantities, amounts, product codes and flags only — never a line, a receipt, a patient or a
 * cashier. Shared by the bridge (writes) and the app (reads): zod only, no Node imports.
 */

export const RECONCILE_FLAGS = ['SALE_DURING_STOCKOUT', 'SALES_EXCEED_AVAILABLE', 'SALES_DISPENSED_GAP', 'UNMAPPED_PRODUCT'] as const
export type ReconcileFlag = (typeof RECONCILE_FLAGS)[number]

/** Months kept per facility: enough for the app's longest comparisons. */
export const PUBLISHED_MONTHS = 24

export const LMIS_VARIABLE_KEYS = ['dispensed', 'stockOnHand', 'stockOutDays', 'openingBalance', 'received'] as const

/** A DHIS2 data element + option combo (UIDs): where the app finds an LMIS variable in analytics. */
export const lmisOperandSchema = z.object({ dataElement: z.string(), categoryOptionCombo: z.string() })
export type LmisOperand = z.infer<typeof lmisOperandSchema>

const figure = z.number().nullable()

export const publishedRowSchema = z.object({
    /** MEDEXIS product code (the ledger code when unmapped). */
    product: z.string(),
    ledgerCodes: z.array(z.string()),
    /** Ledger units. */
    sold: z.number(),
    /** sold × factor, LMIS units; null when the product has no LMIS mapping. */
    soldLmisUnits: figure,
    factor: figure,
    lmisUnit: z.string().nullable(),
    amountXof: z.number(),
    ledgerLines: z.number(),
    dispensed: figure,
    stockOnHand: figure,
    stockOutDays: figure,
    openingBalance: figure,
    received: figure,
    gapPercent: figure,
    flags: z.array(z.enum(RECONCILE_FLAGS)),
})
export type PublishedRow = z.infer<typeof publishedRowSchema>

export const publishedMonthSchema = z.object({
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/),
    /** Whether the LMIS data set could be read for this month (else the figures are sales only). */
    lmisRead: z.boolean(),
    reconciledAt: z.string(),
    rows: z.array(publishedRowSchema),
})
export type PublishedMonth = z.infer<typeof publishedMonthSchema>

export const stockReconcileEntrySchema = z.object({
    kind: z.literal('stock-reconcile'),
    schemaVersion: z.literal(1),
    orgUnit: z.string(),
    /** The ledger's facility code. */
    facility: z.string(),
    updatedAt: z.string(),
    /** The LMIS data set as configured (code or UID); null when none is configured. */
    dataSet: z.string().nullable(),
    gapThresholdPercent: z.number(),
    /** product → where each LMIS variable lives (resolved UIDs); absent variables are not mapped. */
    lmis: z.record(z.string(), z.partialRecord(z.enum(LMIS_VARIABLE_KEYS), lmisOperandSchema)),
    /** Oldest first, at most PUBLISHED_MONTHS. */
    months: z.array(publishedMonthSchema),
})
export type StockReconcileEntry = z.infer<typeof stockReconcileEntrySchema>

import { z } from 'zod'
import { CHANNELS, LINE_TYPES, SERVICES, STATUSES } from '../../contract/codes'

/**
 * One ledger line after validation and normalisation: the boundary between
 * the ledger sources (bridge/ledger) and everything downstream.
 * Personal fields (payer_msisdn, patient_id, cashier_id, receipt_no, operator_ref)
 * are deliberately absent: they never get past the source adapter.
 */
export const ledgerLineSchema = z.object({
    transactionId: z.string().min(1),
    lineNo: z.number().int().min(1),
    /** UTC instant, ISO 8601 with milliseconds and `Z`. */
    occurredAt: z.string(),
    /** UTC instant or null when the source had no updated_at. */
    updatedAt: z.string().nullable(),
    facilityCode: z.string().min(1),
    channel: z.enum(CHANNELS),
    service: z.enum(SERVICES),
    amountXof: z.number().int().min(0),
    type: z.enum(LINE_TYPES),
    status: z.enum(STATUSES),
    productCode: z.string().nullable(),
    productName: z.string().nullable(),
    quantity: z.number().positive().nullable(),
    unit: z.string().nullable(),
})
export type LedgerLine = z.infer<typeof ledgerLineSchema>

/** Where a row came from: file (or source name) and 1-based physical line of the data row. */
export const sourcePositionSchema = z.object({
    source: z.string(),
    line: z.number().int(),
})
export type SourcePosition = z.infer<typeof sourcePositionSchema>

/** A bilingual message: every error a person may read exists in French and English. */
export const bilingualSchema = z.object({ fr: z.string(), en: z.string() })
export type Bilingual = z.infer<typeof bilingualSchema>

/** A row that failed validation: kept, with its position and a reason, never dropped. */
export const quarantineEntrySchema = z.object({
    file: z.string(),
    line: z.number().int(),
    /** The column at fault (canonical name), or null when the row as a whole is bad. */
    column: z.string().nullable(),
    reason: bilingualSchema,
    /** The raw row (canonical column → cell), personal columns removed, for re-ingestion. */
    raw: z.record(z.string(), z.string()),
})
export type QuarantineEntry = z.infer<typeof quarantineEntrySchema>

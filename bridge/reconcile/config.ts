import { z } from 'zod'
import { STATEMENT_CHANNELS } from '../../contract/reconciliation'
import { bi, mappingSchemaFor } from '../config/sources'
import { CASH_TARGETS, STATEMENT_TARGETS } from './rows'
import { STATEMENT_PRESET_NAMES } from './presets'

/**
 * `reconciliation` in the configuration (docs/reconciliation.md): operator statements and cash
 * counts, read from files or watched folders with the ledger's readers, their own columns and
 * presets. Statements never feed the ledger: they have their own key and their own row type.
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

export const statementSourceSchema = z
    .object({
        name: sourceName.optional(),
        ...where,
        preset: z.enum(STATEMENT_PRESET_NAMES).optional(),
        mapping: statementMapping.optional(),
        /** The merchant account's channel and facility, for statements that do not say them. */
        channel: z.enum(STATEMENT_CHANNELS).optional(),
        facility: z.string().min(1).optional(),
    })
    .strict()
export type StatementSourceConfig = z.infer<typeof statementSourceSchema>

export const cashCountSourceSchema = z
    .object({
        name: sourceName.optional(),
        ...where,
        mapping: cashMapping.optional(),
        facility: z.string().min(1).optional(),
    })
    .strict()
export type CashCountSourceConfig = z.infer<typeof cashCountSourceSchema>

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
export type ReconciliationConfig = z.infer<typeof reconciliationConfigSchema>

import { z } from 'zod'
import { DIGITAL_CHANNELS } from './indicators'

/**
 * Payment reconciliation (docs/contract.md §7): the vocabulary the bridge and the app share —
 * categories, cash flags, the DHIS2 codes of the PAYREV_RECON_MONTHLY data set with their French
 * names and English translations, and the shape of `revenue-bridge reconcile --json`.
 * zod only, no Node imports (the app reads it too).
 */

export const RECON_CATEGORIES = ['MATCHED', 'AMOUNT_MISMATCH', 'LEDGER_ONLY', 'STATEMENT_ONLY', 'STATUS_MISMATCH', 'DUPLICATE_STATEMENT'] as const
export type ReconCategory = (typeof RECON_CATEGORIES)[number]

export const CASH_FLAGS = ['OK', 'CASH_SHORT', 'CASH_OVER', 'CASH_NOT_COUNTED'] as const
export type CashFlag = (typeof CASH_FLAGS)[number]

/** Channels that have operator statements (cash has counts instead). */
/** The channels an operator statement settles: the digital ones (cash is counted, not settled). */
export const STATEMENT_CHANNELS = DIGITAL_CHANNELS
export type StatementChannel = (typeof STATEMENT_CHANNELS)[number]

export const RECON_DATASET = 'PAYREV_RECON_MONTHLY'

/** By channel (category combo PAYREV_CC_CHANNEL). */
export const RECON_DE_BY_CHANNEL = ['PAYREV_RECON_MATCHED', 'PAYREV_RECON_LEDGER_ONLY', 'PAYREV_RECON_STATEMENT_ONLY', 'PAYREV_RECON_AMOUNT_GAP', 'PAYREV_FEES'] as const
/** Default category combo. */
export const RECON_DE_CASH = ['PAYREV_CASH_SHORT', 'PAYREV_CASH_OVER'] as const
export const RECON_DATA_ELEMENTS = [...RECON_DE_BY_CHANNEL, ...RECON_DE_CASH] as const
export type ReconDataElement = (typeof RECON_DATA_ELEMENTS)[number]

export interface Labels {
    name: string
    shortName: string
}

/** French names (DHIS2 name/shortName, ≤ 50 characters) and English translations. */
export const RECON_LABELS: Readonly<Record<ReconDataElement | typeof RECON_DATASET, { fr: Labels; en: Labels }>> = {
    PAYREV_RECON_MONTHLY: {
        fr: { name: 'Rapprochement des paiements', shortName: 'Rapprochement paiements' },
        en: { name: 'Payment reconciliation', shortName: 'Payment reconciliation' },
    },
    PAYREV_RECON_MATCHED: {
        fr: { name: 'Rapprochement - montant rapproché (FCFA)', shortName: 'Rappro. rapproché' },
        en: { name: 'Reconciliation - matched amount (FCFA)', shortName: 'Recon. matched' },
    },
    PAYREV_RECON_LEDGER_ONLY: {
        fr: { name: 'Rapprochement - non réglé par l’opérateur (FCFA)', shortName: 'Rappro. registre seul' },
        en: { name: 'Reconciliation - unsettled, ledger only (FCFA)', shortName: 'Recon. ledger only' },
    },
    PAYREV_RECON_STATEMENT_ONLY: {
        fr: { name: 'Rapprochement - encaissé sans reçu (FCFA)', shortName: 'Rappro. relevé seul' },
        en: { name: 'Reconciliation - received without receipt (FCFA)', shortName: 'Recon. statement only' },
    },
    PAYREV_RECON_AMOUNT_GAP: {
        fr: { name: 'Rapprochement - écarts de montant (FCFA)', shortName: 'Rappro. écarts montant' },
        en: { name: 'Reconciliation - amount gaps (FCFA)', shortName: 'Recon. amount gaps' },
    },
    PAYREV_FEES: {
        fr: { name: 'Frais et commissions opérateur (FCFA)', shortName: 'Frais opérateur' },
        en: { name: 'Operator fees and commissions (FCFA)', shortName: 'Operator fees' },
    },
    PAYREV_CASH_SHORT: {
        fr: { name: 'Caisse - manquant (FCFA)', shortName: 'Caisse manquant' },
        en: { name: 'Cash - shortage (FCFA)', shortName: 'Cash short' },
    },
    PAYREV_CASH_OVER: {
        fr: { name: 'Caisse - excédent (FCFA)', shortName: 'Caisse excédent' },
        en: { name: 'Cash - surplus (FCFA)', shortName: 'Cash over' },
    },
}

export const CATEGORY_LABELS: Readonly<Record<ReconCategory | CashFlag, { fr: string; en: string }>> = {
    MATCHED: { fr: 'Rapproché', en: 'Matched' },
    AMOUNT_MISMATCH: { fr: 'Écart de montant', en: 'Amount mismatch' },
    LEDGER_ONLY: { fr: 'Non réglé (registre seul)', en: 'Unsettled (ledger only)' },
    STATEMENT_ONLY: { fr: 'Encaissé sans reçu (relevé seul)', en: 'Received without receipt (statement only)' },
    STATUS_MISMATCH: { fr: 'Statuts contradictoires', en: 'Status mismatch' },
    DUPLICATE_STATEMENT: { fr: 'Ligne de relevé en double', en: 'Duplicated statement line' },
    OK: { fr: 'Conforme', en: 'OK' },
    CASH_SHORT: { fr: 'Manquant de caisse', en: 'Cash short' },
    CASH_OVER: { fr: 'Excédent de caisse', en: 'Cash over' },
    CASH_NOT_COUNTED: { fr: 'Caisse non comptée', en: 'Cash not counted' },
}

const amountSchema = z.object({ count: z.number().int(), amount: z.number().int() })

/** One entry per facility × channel of the month. */
export const reconChannelSchema = z.object({
    facility: z.string(),
    channel: z.enum(STATEMENT_CHANNELS),
    ledgerCount: z.number().int(),
    ledgerAmount: z.number().int(),
    statementCount: z.number().int(),
    statementAmount: z.number().int(),
    fees: z.number().int(),
    categories: z.object({
        MATCHED: amountSchema,
        AMOUNT_MISMATCH: amountSchema.extend({ gap: z.number().int() }),
        LEDGER_ONLY: amountSchema,
        STATEMENT_ONLY: amountSchema,
        STATUS_MISMATCH: amountSchema,
        DUPLICATE_STATEMENT: amountSchema,
    }),
})
export type ReconChannel = z.infer<typeof reconChannelSchema>

export const reconCashSchema = z.object({
    facility: z.string(),
    date: z.string(),
    cashier: z.string().nullable(),
    expected: z.number().int(),
    counted: z.number().int().nullable(),
    variance: z.number().int().nullable(),
    flag: z.enum(CASH_FLAGS),
})
export type ReconCash = z.infer<typeof reconCashSchema>

export const reconItemSchema = z.object({
    category: z.enum(RECON_CATEGORIES),
    facility: z.string(),
    channel: z.enum(STATEMENT_CHANNELS),
    type: z.enum(['PAYMENT', 'REFUND']),
    /** How the two sides were paired: by reference, within the time window, or not paired. */
    matchedBy: z.enum(['reference', 'window']).nullable(),
    transactionId: z.string().nullable(),
    reference: z.string().nullable(),
    ledgerAmount: z.number().int().nullable(),
    statementAmount: z.number().int().nullable(),
    /** The item's amount as the categories add it (statement's when there is a statement row). */
    amount: z.number().int(),
    gap: z.number().int().nullable(),
    fee: z.number().int().nullable(),
    ledgerStatus: z.string().nullable(),
    statementStatus: z.string().nullable(),
    ledgerAt: z.string().nullable(),
    statementAt: z.string().nullable(),
    /** The last four digits of the payer's number, masked (••••1234), or null. */
    msisdn: z.string().nullable(),
})
export type ReconItem = z.infer<typeof reconItemSchema>

export const reconReportSchema = z.object({
    month: z.string(),
    facility: z.string().nullable(),
    windowMinutes: z.number().int(),
    channels: z.array(reconChannelSchema),
    cash: z.array(reconCashSchema),
    items: z.array(reconItemSchema),
    /** Rows of statements and counts that failed validation (file, line, column, reason). */
    quarantined: z.number().int(),
    quarantine: z.array(z.object({ file: z.string(), line: z.number().int(), column: z.string().nullable(), reason: z.object({ fr: z.string(), en: z.string() }) })),
    /** Months reconciled in this run (their DHIS2 totals recomputed). */
    months: z.array(z.string()),
    valuesSent: z.number().int(),
    /** Totals DHIS2 does not hold yet (unreachable, refused, or no DHIS2 configured). */
    valuesWaiting: z.number().int(),
    /** Values DHIS2 (source `dhis2`) or the bridge (source `bridge`) refused, with codes where known. */
    conflicts: z.array(
        z.object({
            dataElement: z.string().nullable(),
            period: z.string().nullable(),
            orgUnit: z.string().nullable(),
            categoryOptionCombo: z.string().nullable(),
            channel: z.string().nullable(),
            value: z.string().nullable(),
            errorCode: z.string().nullable(),
            message: z.string(),
            source: z.string(),
        })
    ),
    warnings: z.array(z.object({ fr: z.string(), en: z.string() })),
    /** 0 ran; 2 metadata missing (run setup); 3 values refused; 4 DHIS2 unreachable (totals wait). */
    exitCode: z.number().int(),
})
export type ReconReport = z.infer<typeof reconReportSchema>

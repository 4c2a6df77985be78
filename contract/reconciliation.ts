/**
 * Payment reconciliation vocabulary (docs/contract.md §7), shared by the bridge (`reconcile`,
 * `setup`) and the app (« Rapprochement » view). Constants only: no Node imports.
 */

/** Data set of the monthly reconciliation totals (period type Monthly, per facility). */
export const RECON_DATASET_CODE = 'PAYREV_RECON_MONTHLY'

/** Sent per facility × month × channel (category combo PAYREV_CC_CHANNEL), in FCFA. */
export const RECON_CHANNEL_ELEMENTS = [
    'PAYREV_RECON_MATCHED',
    'PAYREV_RECON_LEDGER_ONLY',
    'PAYREV_RECON_STATEMENT_ONLY',
    'PAYREV_RECON_AMOUNT_GAP',
    'PAYREV_FEES',
] as const

/** Sent per facility × month with the default category combo, in FCFA, ≥ 0. */
export const RECON_CASH_ELEMENTS = ['PAYREV_CASH_SHORT', 'PAYREV_CASH_OVER'] as const

export const RECON_DATA_ELEMENTS = [...RECON_CHANNEL_ELEMENTS, ...RECON_CASH_ELEMENTS] as const
export type ReconChannelElement = (typeof RECON_CHANNEL_ELEMENTS)[number]
export type ReconCashElement = (typeof RECON_CASH_ELEMENTS)[number]
export type ReconDataElement = (typeof RECON_DATA_ELEMENTS)[number]

/** Item categories of the matching (docs/contract.md §7 table). */
export const RECON_CATEGORIES = [
    'MATCHED',
    'AMOUNT_MISMATCH',
    'LEDGER_ONLY',
    'STATEMENT_ONLY',
    'STATUS_MISMATCH',
    'DUPLICATE_STATEMENT',
] as const
export type ReconCategory = (typeof RECON_CATEGORIES)[number]

/** Cash per facility × local day (× cashier). */
export const CASH_FLAGS = ['OK', 'CASH_SHORT', 'CASH_OVER', 'CASH_NOT_COUNTED'] as const
export type CashFlag = (typeof CASH_FLAGS)[number]

/** Names of the data set and data elements, French first (what `setup` installs). */
export const RECON_LABELS: Record<ReconDataElement | typeof RECON_DATASET_CODE, { fr: string; en: string }> = {
    PAYREV_RECON_MONTHLY: { fr: 'Rapprochement des paiements (mensuel)', en: 'Payment reconciliation (monthly)' },
    PAYREV_RECON_MATCHED: { fr: 'Rapprochement - montant concordant', en: 'Reconciliation - matched amount' },
    PAYREV_RECON_LEDGER_ONLY: { fr: 'Rapprochement - non réglé (journal seul)', en: 'Reconciliation - unsettled (ledger only)' },
    PAYREV_RECON_STATEMENT_ONLY: { fr: 'Rapprochement - encaissé sans reçu (relevé seul)', en: 'Reconciliation - received without receipt (statement only)' },
    PAYREV_RECON_AMOUNT_GAP: { fr: 'Rapprochement - écarts de montant', en: 'Reconciliation - amount gaps' },
    PAYREV_FEES: { fr: 'Frais des opérateurs', en: 'Operator fees' },
    PAYREV_CASH_SHORT: { fr: 'Caisse - manquant', en: 'Cash - short' },
    PAYREV_CASH_OVER: { fr: 'Caisse - excédent', en: 'Cash - over' },
}

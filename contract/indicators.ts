/**
 * DHIS2 indicators the bridge installs with its package (docs/contract.md §8): codes, what each one
 * computes, and its French and English labels. Shared by the bridge (which builds the expressions
 * from the UIDs it reads back) and the app (which may show the same figures). No Node imports.
 */
import type { Channel } from './codes'
import type { Names } from './labels'

export const INDICATOR_CODES = [
    'PAYREV_IND_NET',
    'PAYREV_IND_DIGITAL_SHARE_VALUE',
    'PAYREV_IND_DIGITAL_SHARE_COUNT',
    'PAYREV_IND_AVG_TICKET',
    'PAYREV_IND_FAILURE_RATE',
    'PAYREV_IND_REFUND_RATE',
] as const
export type IndicatorCode = (typeof INDICATOR_CODES)[number]

export const INDICATOR_GROUP_CODE = 'PAYREV_INDICATORS'

/** Channels counted as digital: mobile money and bank card (cash and "other" are not). */
export const DIGITAL_CHANNELS = ['ORANGE_MONEY', 'MOOV_MONEY', 'SAMA_MONEY', 'CARD'] as const satisfies readonly Channel[]

/** `percent`: indicator type with factor 100; `number`: factor 1. */
export type IndicatorKind = 'percent' | 'number'

export interface IndicatorLabel {
    kind: IndicatorKind
    /** Short names at most 50 characters (DHIS2's limit). */
    name: Names
    numerator: Names
    denominator: Names
}

export const INDICATORS: Record<IndicatorCode, IndicatorLabel> = {
    PAYREV_IND_NET: {
        kind: 'number',
        name: { fr: 'Recettes nettes (FCFA)', en: 'Net revenue (FCFA)', shortFr: 'Recettes nettes', shortEn: 'Net revenue' },
        numerator: { fr: 'Recettes encaissées moins remboursements', en: 'Revenue collected minus refunds' },
        denominator: { fr: 'Un', en: 'One' },
    },
    PAYREV_IND_DIGITAL_SHARE_VALUE: {
        kind: 'percent',
        name: { fr: 'Part numérique des recettes (%)', en: 'Digital share of revenue (%)', shortFr: 'Part numérique (montant)', shortEn: 'Digital share (value)' },
        numerator: { fr: 'Recettes Orange Money, Moov Money, Sama Money et carte', en: 'Revenue by Orange Money, Moov Money, Sama Money and card' },
        denominator: { fr: 'Recettes encaissées', en: 'Revenue collected' },
    },
    PAYREV_IND_DIGITAL_SHARE_COUNT: {
        kind: 'percent',
        name: { fr: 'Part numérique des paiements (%)', en: 'Digital share of payments (%)', shortFr: 'Part numérique (nombre)', shortEn: 'Digital share (count)' },
        numerator: { fr: 'Paiements Orange Money, Moov Money, Sama Money et carte', en: 'Payments by Orange Money, Moov Money, Sama Money and card' },
        denominator: { fr: 'Paiements réussis', en: 'Successful payments' },
    },
    PAYREV_IND_AVG_TICKET: {
        kind: 'number',
        name: { fr: 'Montant moyen par paiement (FCFA)', en: 'Average payment (FCFA)', shortFr: 'Paiement moyen', shortEn: 'Average payment' },
        numerator: { fr: 'Recettes encaissées', en: 'Revenue collected' },
        denominator: { fr: 'Paiements réussis', en: 'Successful payments' },
    },
    PAYREV_IND_FAILURE_RATE: {
        kind: 'percent',
        name: { fr: 'Taux d’échec des paiements (%)', en: 'Payment failure rate (%)', shortFr: 'Taux d’échec', shortEn: 'Failure rate' },
        numerator: { fr: 'Paiements échoués', en: 'Failed payments' },
        denominator: { fr: 'Paiements réussis et échoués', en: 'Successful and failed payments' },
    },
    PAYREV_IND_REFUND_RATE: {
        kind: 'percent',
        name: { fr: 'Taux de remboursement (%)', en: 'Refund rate (%)', shortFr: 'Taux de remboursement', shortEn: 'Refund rate' },
        numerator: { fr: 'Remboursements', en: 'Refunds' },
        denominator: { fr: 'Recettes encaissées', en: 'Revenue collected' },
    },
}

export const INDICATOR_GROUP_NAME: Names = { fr: 'Recettes hospitalières — indicateurs', en: 'Hospital revenue — indicators' }

/** Indicator types: codes used when the server has no type with the right factor. */
export const INDICATOR_TYPES: Record<IndicatorKind, { code: string; factor: number; number: boolean; name: Names }> = {
    percent: { code: 'PAYREV_IT_PERCENT', factor: 100, number: false, name: { fr: 'Pourcentage', en: 'Percentage' } },
    number: { code: 'PAYREV_IT_NUMBER', factor: 1, number: true, name: { fr: 'Nombre (facteur 1)', en: 'Number (factor 1)' } },
}

/** The optional standard dashboard (`setup --with-dashboard`). */
export const DASHBOARD_CODE = 'PAYREV_DASHBOARD'
export const DASHBOARD_NAME: Names = { fr: 'Recettes hospitalières', en: 'Hospital revenue' }
export const VISUALIZATION_CODES = ['PAYREV_VIZ_DISTRICT_LEAGUE', 'PAYREV_VIZ_TREND_CHANNEL', 'PAYREV_VIZ_DIGITAL_SHARE'] as const
export type VisualizationCode = (typeof VISUALIZATION_CODES)[number]

import i18n from '@dhis2/d2-i18n'
import type { FigureKey } from './reconciliation'

/** A figure of the view: one of the seven totals, or one of the two derived from them. */
export type ReconColumn = FigureKey | 'matchedShare' | 'unreconciled'

/** Labels in the app's language, called at render time. */
export function reconLabel(c: ReconColumn): string {
    switch (c) {
        case 'matchedShare':
            return i18n.t('Matched share (value)')
        case 'matched':
            return i18n.t('Matched')
        case 'ledgerOnly':
            return i18n.t('Unsettled (ledger only)')
        case 'statementOnly':
            return i18n.t('Without receipt (statement only)')
        case 'amountGap':
            return i18n.t('Amount gaps')
        case 'fees':
            return i18n.t('Operator fees')
        case 'cashShort':
            return i18n.t('Cash short')
        case 'cashOver':
            return i18n.t('Cash over')
        case 'unreconciled':
            return i18n.t('Unreconciled')
    }
}

export function reconHelp(c: ReconColumn): string {
    switch (c) {
        case 'matchedShare':
            return i18n.t('Matched ÷ (matched + unsettled + without receipt + amount gaps), mobile money and card')
        case 'matched':
            return i18n.t('Payments found with the same amount on the operator statement')
        case 'ledgerOnly':
            return i18n.t('Recorded as paid in the ledger, absent from the statements')
        case 'statementOnly':
            return i18n.t('Received on a statement, with no receipt in the ledger')
        case 'amountGap':
            return i18n.t('Same reference, different amount (sum of the gaps)')
        case 'fees':
            return i18n.t('Commissions kept by the operators (not a discrepancy)')
        case 'cashShort':
            return i18n.t('Counted cash below the ledger, summed over the days')
        case 'cashOver':
            return i18n.t('Counted cash above the ledger, summed over the days')
        case 'unreconciled':
            return i18n.t('Unsettled + without receipt + amount gaps + cash short + cash over')
    }
}

export const reconTestId = (c: ReconColumn): string => c.replace(/[A-Z]/g, (x) => `-${x.toLowerCase()}`)

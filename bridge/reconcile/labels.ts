import type { StatementChannel } from '../../contract/reconciliation'

/** Channel names for the reports (the app has its own, from contract/). */
export const CHANNEL_NAMES: Readonly<Record<StatementChannel, { fr: string; en: string }>> = {
    ORANGE_MONEY: { fr: 'Orange Money', en: 'Orange Money' },
    MOOV_MONEY: { fr: 'Moov Money', en: 'Moov Money' },
    SAMA_MONEY: { fr: 'Sama Money', en: 'Sama Money' },
    CARD: { fr: 'Carte bancaire', en: 'Bank card' },
}

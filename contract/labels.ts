import type { Channel, DataElementCode, Service } from './codes'
import { CATCOMBO_CHANNEL, CATCOMBO_CHANNEL_SERVICE, CATEGORY_CHANNEL, CATEGORY_SERVICE } from './codes'

/**
 * The one source of the vocabulary's names: the metadata package installs them in DHIS2 (French
 * name, English translation) and the app shows them (short names) in its own language, so a
 * channel reads the same in Data Visualizer and in the dashboards.
 */
export interface Names {
    fr: string
    en: string
    shortFr?: string
    shortEn?: string
}
export type Lang = 'fr' | 'en'

export const CHANNEL_NAMES: Record<Channel, Names> = {
    CASH: { fr: 'Espèces', en: 'Cash' },
    ORANGE_MONEY: { fr: 'Orange Money', en: 'Orange Money' },
    MOOV_MONEY: { fr: 'Moov Money', en: 'Moov Money' },
    SAMA_MONEY: { fr: 'Sama Money', en: 'Sama Money' },
    CARD: { fr: 'Carte bancaire', en: 'Bank card' },
    OTHER: { fr: 'Autre moyen', en: 'Other channel' },
}

export const SERVICE_NAMES: Record<Service, Names> = {
    CONSULTATION: { fr: 'Consultations', en: 'Consultations' },
    EXAM: { fr: 'Examens (laboratoire, imagerie)', en: 'Exams (laboratory, imaging)', shortFr: 'Examens', shortEn: 'Exams' },
    PHARMACY: { fr: 'Pharmacie (médicaments)', en: 'Pharmacy (medicines)', shortFr: 'Pharmacie', shortEn: 'Pharmacy' },
    HOSPITALISATION: { fr: 'Hospitalisation', en: 'Hospitalisation' },
    OTHER: { fr: 'Autres services', en: 'Other services' },
}

export const DATA_ELEMENT_NAMES: Record<DataElementCode, Names> = {
    PAYREV_GROSS: { fr: 'Recettes encaissées (FCFA)', en: 'Revenue collected (FCFA)' },
    PAYREV_REFUNDS: { fr: 'Remboursements (FCFA)', en: 'Refunds (FCFA)' },
    PAYREV_PAYMENTS: { fr: 'Paiements réussis (nombre)', en: 'Successful payments (count)' },
    PAYREV_FAILED: { fr: 'Paiements échoués (nombre)', en: 'Failed payments (count)' },
}

export const CATEGORY_NAMES: Record<typeof CATEGORY_CHANNEL | typeof CATEGORY_SERVICE, Names> = {
    [CATEGORY_CHANNEL]: { fr: 'Moyen de paiement', en: 'Payment channel' },
    [CATEGORY_SERVICE]: { fr: 'Service facturé', en: 'Billed service' },
}
export const CATCOMBO_NAMES: Record<typeof CATCOMBO_CHANNEL_SERVICE | typeof CATCOMBO_CHANNEL, Names> = {
    [CATCOMBO_CHANNEL_SERVICE]: { fr: 'Moyen de paiement et service', en: 'Payment channel and service' },
    [CATCOMBO_CHANNEL]: { fr: 'Moyen de paiement (seul)', en: 'Payment channel (only)' },
}
export const DATASET_NAMES: Names = { fr: 'Recettes hospitalières', en: 'Hospital revenue' }

/** The short name in one language (what a chart legend or a table column shows). */
export const shortName = (n: Names, lang: Lang): string => (lang === 'en' ? (n.shortEn ?? n.en) : (n.shortFr ?? n.fr))

import type { MappingConfig, PresetName } from '../../config/sources'

/**
 * Shipped mappings for the exports a Malian hospital meets. No operator publishes its statement
 * format: these follow the statements we were shown (French headers, DD/MM/YYYY dates, amounts
 * with spaces), and are plain configuration — a source's own `mapping` adds to or replaces any
 * part (docs/connectors/; `revenue-bridge config presets NAME` prints one as YAML). An
 * example file for each lives in tests/connectors/examples/.
 *
 * Operator statements know neither the facility nor the hospital service: set
 * `mapping.defaults.facility_code` (one merchant account = one facility) and, if the cashier
 * writes it in the reference, map the service; otherwise it is OTHER.
 */

const STATUS_FR: Record<string, 'SUCCESS' | 'PENDING' | 'FAILED' | 'EXPIRED' | 'CANCELLED' | 'REVERSED'> = {
    succès: 'SUCCESS',
    réussi: 'SUCCESS',
    réussie: 'SUCCESS',
    validé: 'SUCCESS',
    validée: 'SUCCESS',
    payé: 'SUCCESS',
    effectué: 'SUCCESS',
    effectuée: 'SUCCESS',
    'en attente': 'PENDING',
    'en cours': 'PENDING',
    échec: 'FAILED',
    échoué: 'FAILED',
    échouée: 'FAILED',
    rejeté: 'FAILED',
    rejetée: 'FAILED',
    expiré: 'EXPIRED',
    expirée: 'EXPIRED',
    annulé: 'CANCELLED',
    annulée: 'CANCELLED',
    extourné: 'REVERSED',
    extournée: 'REVERSED',
    inversé: 'REVERSED',
    inversée: 'REVERSED',
}

/** Money leaving the merchant account that is not a refund to a patient. */
const NOT_REVENUE = '^(retrait|transfert|virement|frais|commission|cash ?out|reversement)'

export const PRESETS: Readonly<Record<PresetName, MappingConfig>> = {
    /** A cashier system's daily export ("Export caisse"): one row per receipt line. */
    cashier: {
        columns: {
            'N° reçu': 'transaction_id',
            Ligne: 'line_no',
            Date: 'occurred_at',
            Heure: 'occurred_at_time',
            'Modifié le': 'updated_at',
            'Code structure': 'facility_code',
            'Mode de paiement': 'channel',
            Prestation: 'service',
            'Montant (FCFA)': 'amount_xof',
            Type: 'type',
            Statut: 'status',
            'Code produit': 'product_code',
            Désignation: 'product_name',
            Quantité: 'quantity',
            Unité: 'unit',
            Caissier: 'cashier_id',
            'N° patient': 'patient_id',
        },
        values: {
            channel: { 'mobile money orange': 'ORANGE_MONEY', 'moov africa': 'MOOV_MONEY', chèque: 'OTHER', virement: 'OTHER' },
            service: { 'soins infirmiers': 'OTHER', 'bloc opératoire': 'HOSPITALISATION', 'chambre': 'HOSPITALISATION', échographie: 'EXAM', biologie: 'EXAM' },
            type: { encaissement: 'PAYMENT', paiement: 'PAYMENT', remboursement: 'REFUND', avoir: 'REFUND' },
            status: STATUS_FR,
        },
        dateFormats: ['dd/MM/yyyy HH:mm:ss', 'dd/MM/yyyy HH:mm', 'dd/MM/yyyy'],
        exclude: [{ column: 'transaction_id', pattern: '^(sous-)?total' }],
    },

    /** Orange Money merchant statement ("Relevé de transactions marchand"), CSV or XLSX, a title block above the table. */
    'orange-money': {
        columns: {
            Date: 'occurred_at',
            Heure: 'occurred_at_time',
            Référence: 'transaction_id',
            'Type de transaction': 'type',
            'Numéro client': 'payer_msisdn',
            'Montant (FCFA)': 'amount_xof',
            Statut: 'status',
        },
        values: {
            type: { 'paiement marchand': 'PAYMENT', paiement: 'PAYMENT', remboursement: 'REFUND', 'remboursement client': 'REFUND', annulation: 'REFUND' },
            status: STATUS_FR,
        },
        defaults: { channel: 'ORANGE_MONEY', service: 'OTHER' },
        dateFormats: ['dd/MM/yyyy HH:mm:ss', 'dd/MM/yyyy HH:mm', 'dd/MM/yyyy'],
        negativeAmounts: 'refund',
        exclude: [{ column: 'type', pattern: NOT_REVENUE }],
    },

    /** Moov Money account statement: separate Débit and Crédit columns, DD-MM-YYYY HH:MM dates. */
    'moov-money': {
        columns: {
            'Date opération': 'occurred_at',
            'ID Transaction': 'transaction_id',
            État: 'status',
            'Numéro payeur': 'payer_msisdn',
        },
        values: { status: STATUS_FR },
        defaults: { channel: 'MOOV_MONEY', service: 'OTHER' },
        debitCredit: { debit: 'Débit', credit: 'Crédit' },
        dateFormats: ['dd-MM-yyyy HH:mm:ss', 'dd-MM-yyyy HH:mm', 'dd/MM/yyyy HH:mm:ss', 'dd/MM/yyyy HH:mm'],
        exclude: [{ column: 'Libellé', pattern: NOT_REVENUE }],
    },

    /** Sama Money merchant history: a Sens column (C = credit, D = debit), "15/03/2024 à 10:20" dates, "15 000 F" amounts. */
    'sama-money': {
        columns: {
            Date: 'occurred_at',
            Identifiant: 'transaction_id',
            Montant: 'amount_xof',
            Sens: 'type',
            Etat: 'status',
            Téléphone: 'payer_msisdn',
        },
        values: {
            type: { c: 'PAYMENT', crédit: 'PAYMENT', d: 'REFUND', débit: 'REFUND' },
            status: STATUS_FR,
        },
        defaults: { channel: 'SAMA_MONEY', service: 'OTHER' },
        dateFormats: ["dd/MM/yyyy 'à' HH:mm:ss", "dd/MM/yyyy 'à' HH:mm", 'dd/MM/yyyy HH:mm:ss', 'dd/MM/yyyy HH:mm'],
        exclude: [{ column: 'Libellé', pattern: NOT_REVENUE }],
    },

    /**
     * Card acquirer settlement file ("Relevé de remise TPE"): gross amount per card transaction.
     * The terminal number says which facility: map it with values.facility_code.
     */
    'card-acquirer': {
        columns: {
            'Date transaction': 'occurred_at',
            Heure: 'occurred_at_time',
            'N° terminal': 'facility_code',
            'Référence transaction': 'transaction_id',
            'N° autorisation': 'operator_ref',
            'Type opération': 'type',
            'Montant brut': 'amount_xof',
        },
        values: {
            type: { achat: 'PAYMENT', vente: 'PAYMENT', paiement: 'PAYMENT', annulation: 'REFUND', remboursement: 'REFUND', crédit: 'REFUND' },
        },
        defaults: { channel: 'CARD', service: 'OTHER', status: 'SUCCESS' },
        dateFormats: ['dd/MM/yyyy HH:mm:ss', 'dd/MM/yyyy HH:mm', 'dd/MM/yyyy'],
        negativeAmounts: 'refund',
        exclude: [{ column: 'type', pattern: '^(frais|commission)' }],
    },
}

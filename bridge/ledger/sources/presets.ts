import type { MappingConfig, PresetName } from '../../config/sources'

/**
 * Shipped mappings for the ledger exports a Malian hospital meets (French headers, DD/MM/YYYY
 * dates, amounts with spaces); plain configuration — a source's own `mapping` adds to or
 * replaces any part (docs/connectors/; `revenue-bridge config presets NAME` prints one as YAML).
 * An example file lives in tests/connectors/examples/.
 *
 * Operator statements are not ledgers: read as revenue they counted every mobile money payment a
 * second time (once from the cashier's receipt, once from the operator's row). Their presets are
 * statement presets now (bridge/reconcile/presets.ts, docs/reconciliation.md), read under
 * `reconciliation.statements`; naming one under `ledger.sources` is a configuration error.
 */

export const STATUS_FR: Record<string, 'SUCCESS' | 'PENDING' | 'FAILED' | 'EXPIRED' | 'CANCELLED' | 'REVERSED'> = {
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
export const NOT_REVENUE = '^(retrait|transfert|virement|frais|commission|cash ?out|reversement)'

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
}

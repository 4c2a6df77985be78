import type { MappingConfig } from '../config/sources'
import { NOT_REVENUE, STATUS_FR } from '../ledger/sources/presets'

/**
 * Shipped mappings for operators' statements, as data (`revenue-bridge config presets NAME`
 * prints one; a source's own `mapping` adds to or replaces any part). The column names follow
 * the example statements in tests/connectors/examples/ — NOT verified against real Orange Money
 * Mali, Moov Africa Malitel, Sama Money or acquirer exports (none is published): adjust them
 * from a real file, `config check` shows what each column maps to.
 *
 * Targets are the statement columns of docs/contract.md §7 (reference, occurred_at, amount_xof,
 * fee_xof, type, status, channel, facility_code, msisdn). The facility comes from the source
 * (`facility:` — a merchant account belongs to one facility) or, for a card terminal, from
 * `mapping.values.facility_code`.
 */
export const STATEMENT_PRESET_NAMES = ['orange-money', 'moov-money', 'sama-money', 'card-acquirer'] as const
export type StatementPresetName = (typeof STATEMENT_PRESET_NAMES)[number]

const DMY = ['dd/MM/yyyy HH:mm:ss', 'dd/MM/yyyy HH:mm', 'dd/MM/yyyy']

/** Written with the statement targets; typed as a mapping (same keys) for the shared readers. */
const presets: Record<StatementPresetName, Record<string, unknown>> = {
    /** Orange Money merchant statement ("Relevé de transactions marchand"), CSV or XLSX, a title block above the table. */
    'orange-money': {
        columns: {
            Date: 'occurred_at',
            Heure: 'occurred_at_time',
            Référence: 'reference',
            'Type de transaction': 'type',
            'Numéro client': 'msisdn',
            'Montant (FCFA)': 'amount_xof',
            'Frais (FCFA)': 'fee_xof',
            Statut: 'status',
        },
        values: {
            type: { 'paiement marchand': 'PAYMENT', paiement: 'PAYMENT', remboursement: 'REFUND', 'remboursement client': 'REFUND', annulation: 'REFUND' },
            status: STATUS_FR,
        },
        defaults: { channel: 'ORANGE_MONEY' },
        dateFormats: DMY,
        negativeAmounts: 'refund',
        exclude: [{ column: 'type', pattern: NOT_REVENUE }],
    },

    /** Moov Money account statement: separate Débit and Crédit columns, DD-MM-YYYY HH:MM dates. */
    'moov-money': {
        columns: {
            'Date opération': 'occurred_at',
            'ID Transaction': 'reference',
            État: 'status',
            'Numéro payeur': 'msisdn',
            Frais: 'fee_xof',
        },
        values: { status: STATUS_FR },
        defaults: { channel: 'MOOV_MONEY' },
        debitCredit: { debit: 'Débit', credit: 'Crédit' },
        dateFormats: ['dd-MM-yyyy HH:mm:ss', 'dd-MM-yyyy HH:mm', 'dd/MM/yyyy HH:mm:ss', 'dd/MM/yyyy HH:mm'],
        exclude: [{ column: 'Libellé', pattern: NOT_REVENUE }],
    },

    /** Sama Money merchant history: a Sens column (C = credit, D = debit), "15/03/2024 à 10:20" dates, "15 000 F" amounts. */
    'sama-money': {
        columns: {
            Date: 'occurred_at',
            Identifiant: 'reference',
            Montant: 'amount_xof',
            Frais: 'fee_xof',
            Sens: 'type',
            Etat: 'status',
            Téléphone: 'msisdn',
        },
        values: {
            type: { c: 'PAYMENT', crédit: 'PAYMENT', d: 'REFUND', débit: 'REFUND' },
            status: STATUS_FR,
        },
        defaults: { channel: 'SAMA_MONEY' },
        dateFormats: ["dd/MM/yyyy 'à' HH:mm:ss", "dd/MM/yyyy 'à' HH:mm", 'dd/MM/yyyy HH:mm:ss', 'dd/MM/yyyy HH:mm'],
        exclude: [{ column: 'Libellé', pattern: NOT_REVENUE }],
    },

    /**
     * Card acquirer settlement ("Relevé de remise TPE"): gross amount and commission per card
     * transaction. `Référence transaction` is the reference; if the cashier writes the
     * authorisation number as operator_ref instead, map `N° autorisation: reference`. The
     * terminal number says which facility: map it with values.facility_code.
     */
    'card-acquirer': {
        columns: {
            'Date transaction': 'occurred_at',
            Heure: 'occurred_at_time',
            'N° terminal': 'facility_code',
            'Référence transaction': 'reference',
            'Type opération': 'type',
            'Montant brut': 'amount_xof',
            Commission: 'fee_xof',
        },
        values: {
            type: { achat: 'PAYMENT', vente: 'PAYMENT', paiement: 'PAYMENT', annulation: 'REFUND', remboursement: 'REFUND', crédit: 'REFUND' },
        },
        defaults: { channel: 'CARD', status: 'SUCCESS' },
        dateFormats: DMY,
        negativeAmounts: 'refund',
        exclude: [{ column: 'type', pattern: '^(frais|commission)' }],
    },
}

export const STATEMENT_PRESETS = presets as unknown as Readonly<Record<StatementPresetName, MappingConfig>>

export const isStatementPreset = (name: unknown): name is StatementPresetName => (STATEMENT_PRESET_NAMES as readonly unknown[]).includes(name)

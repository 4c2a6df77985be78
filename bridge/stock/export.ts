import { csvLine } from '../report/csv'
import type { StoredRecord } from './store'

/** Where a record stands with MEDEXIS, in words a person can filter on. */
export function medexisStatus(r: StoredRecord): 'delivered' | 'waiting' | 'rejected' | 'pending' | 'not_sent' {
    if (r.deliveredRevision === r.revision) return 'delivered'
    if (r.rejectedRevision === r.revision) return 'rejected'
    if (r.inOutbox) return 'waiting'
    if (r.quantity === 0 && !r.maybeDelivered) return 'not_sent'
    return 'pending'
}

export const EXPORT_COLUMNS = [
    'id',
    'revision',
    'facility_code',
    'org_unit',
    'date',
    'product_code',
    'product_name',
    'ledger_product_codes',
    'quantity',
    'unit',
    'reason',
    'amount_xof',
    'ledger_lines',
    'flags',
    'medexis_status',
    'medexis_revision',
] as const

/**
 * The records as CSV for manual entry: UTF-8 with BOM (Excel), CRLF, cells protected against
 * formula injection. `;` suits a French Excel, `,` the rest.
 */
export function recordsCsv(records: StoredRecord[], delimiter: ',' | ';' = ','): string {
    const lines = [csvLine([...EXPORT_COLUMNS], delimiter)]
    for (const r of records) {
        const b = r.body
        lines.push(
            csvLine(
                [
                    r.id,
                    r.revision,
                    r.facility,
                    b.facility.orgUnit ?? '',
                    r.date,
                    r.product,
                    b.product.name ?? '',
                    r.ledgerCodes.join(' '),
                    r.quantity,
                    b.unit ?? '',
                    b.reason,
                    r.amountXof,
                    r.ledgerLines,
                    r.negative ? 'NEGATIVE_CLAMPED' : '',
                    medexisStatus(r),
                    r.deliveredRevision ?? '',
                ],
                delimiter
            )
        )
    }
    return '\ufeff' + lines.join('\r\n') + '\r\n'
}

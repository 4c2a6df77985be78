import type { LedgerLine } from '../domain/line'

/**
 * docs/contract.md §2: does `candidate` (seen later) replace `current` for the same (transaction_id, line_no)?
 * Both with updated_at → the later updated_at; otherwise, and on a tie, the one seen later.
 */
export function supersedes(candidate: LedgerLine, current: LedgerLine): boolean {
    if (candidate.updatedAt !== null && current.updatedAt !== null) {
        const c = Date.parse(candidate.updatedAt)
        const k = Date.parse(current.updatedAt)
        if (c !== k) return c > k
    }
    return true
}

const FIELDS: ReadonlyArray<keyof LedgerLine> = [
    'transactionId',
    'lineNo',
    'occurredAt',
    'updatedAt',
    'facilityCode',
    'channel',
    'service',
    'amountXof',
    'type',
    'status',
    'productCode',
    'productName',
    'quantity',
    'unit',
    'operatorRefKey',
    'cashierKey',
]

/** Every field equal: an identical re-read is not a change. */
export function sameContent(a: LedgerLine, b: LedgerLine): boolean {
    return FIELDS.every((f) => a[f] === b[f])
}

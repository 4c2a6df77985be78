import { createHash } from 'node:crypto'

/**
 * The operator's transaction reference a cashier copies into the receipt (operator_ref), for the
 * demo: derived from the receipt and channel by a hash, so the seeded ledger draws no extra random
 * numbers (its figures stay exactly as before). One mobile or card payment in five has none (the
 * cashier did not copy it): those are matched by amount and time (docs/reconciliation.md).
 */
const PREFIX: Record<string, string> = { ORANGE_MONEY: 'MP', MOOV_MONEY: 'MM', SAMA_MONEY: 'SM-', CARD: 'RT' }

export function operatorRef(transactionId: string, channel: string, always = false): string {
    const prefix = PREFIX[channel]
    if (!prefix) return ''
    const h = createHash('sha1').update(`${transactionId}|${channel}`).digest('hex')
    if (!always && parseInt(h.slice(0, 2), 16) < 51) return ''
    return `${prefix}${h.slice(2, 14).toUpperCase()}`
}

/**
 * The business figures, as pure functions. `null` means "not computable" (a division by zero):
 * the UI shows it as "n/a", never as 0 % or Infinity.
 */

export type Maybe = number | null

/** Relative change (cur − prev) / prev. n/a when either side is n/a or the base is 0. */
export function growth(current: Maybe, previous: Maybe): Maybe {
    if (current === null || previous === null || previous === 0) return null
    return (current - previous) / Math.abs(previous)
}

/** Difference of two ratios, in ratio units (0.032 = +3.2 points). */
export function pointChange(current: Maybe, previous: Maybe): Maybe {
    if (current === null || previous === null) return null
    return current - previous
}

export function ratio(numerator: number, denominator: number): Maybe {
    return denominator === 0 ? null : numerator / denominator
}

/** Share of a part in a whole (0..1); n/a for an empty whole. */
export const share = ratio

/** Average amount of a successful payment: gross / successful payments. */
export const averageTicket = (gross: number, payments: number): Maybe => ratio(gross, payments)

/** Net revenue: what was collected minus what was refunded. */
export const netRevenue = (gross: number, refunds: number): number => gross - refunds

/** Failed attempts over all attempts: failed / (successful + failed). */
export const failureRate = (payments: number, failed: number): Maybe => ratio(failed, payments + failed)

/** Refunds over gross revenue. */
export const refundRate = (refunds: number, gross: number): Maybe => ratio(refunds, gross)

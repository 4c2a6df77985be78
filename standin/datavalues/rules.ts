/**
 * The rules the data value importer (./import.ts) checks each value against (reference §4): value
 * types (E7619) and booleans, insignificant zeros, identifier schemes, locking by expiry days,
 * the latest open period and data input periods.
 */
import { parseDateTime } from '../clock'
import type { MetadataStore, StoredObject } from '../metadata/store'
import { refId } from '../metadata/store'
import { type Period, parsePeriod, periodContaining, shiftPeriod } from '../periods'
import type { StandinState } from '../state'
import type { IdScheme } from './options'

/** E7619 reasons that have a translation; the others show their raw key. */
export const VALUE_REASON_TEXT: Record<string, string> = {
    value_not_numeric: 'Data value is not numeric',
    value_not_integer: 'Data value is not an integer',
    value_not_positive_integer: 'Data value is not a positive integer',
    value_not_negative_integer: 'Data value is not a negative integer',
}

const NUMERIC_TYPES = new Set(['NUMBER', 'INTEGER', 'INTEGER_POSITIVE', 'INTEGER_NEGATIVE', 'INTEGER_ZERO_OR_POSITIVE', 'PERCENTAGE', 'UNIT_INTERVAL'])
const NUMERIC = /^(-?0|-?[1-9]\d*)(\.\d+)?(E-?\d+)?$/

/** The reason key (i18n key) when `value` does not fit `valueType`, else null. */
export function valueTypeError(valueType: string, value: string): string | null {
    if (value.length > 50000) return 'value_length_greater_than_max_length'
    const n = Number(value)
    switch (valueType) {
        case 'NUMBER':
            return NUMERIC.test(value) ? null : 'value_not_numeric'
        case 'UNIT_INTERVAL':
            return !NUMERIC.test(value) ? 'value_not_numeric' : n >= 0 && n <= 1 ? null : 'value_not_unit_interval'
        case 'PERCENTAGE':
            return !NUMERIC.test(value) ? 'value_not_numeric' : n >= 0 && n <= 100 ? null : 'value_not_percentage'
        case 'INTEGER':
            return /^(0|-?[1-9]\d*)$/.test(value) ? null : 'value_not_integer'
        case 'INTEGER_POSITIVE':
            return /^[1-9]\d*$/.test(value) ? null : 'value_not_positive_integer'
        case 'INTEGER_NEGATIVE':
            return /^-[1-9]\d*$/.test(value) ? null : 'value_not_negative_integer'
        case 'INTEGER_ZERO_OR_POSITIVE':
            return /^(0|[1-9]\d*)$/.test(value) ? null : 'value_not_zero_or_positive_integer'
        case 'BOOLEAN':
            return value === 'true' || value === 'false' ? null : 'value_not_bool'
        case 'TRUE_ONLY':
            return value === 'true' ? null : 'value_not_true_only'
        case 'DATE':
            return /^\d{4}-\d{2}-\d{2}$/.test(value) && parseDateTime(value) && parseDateTime(value)!.toISOString().slice(0, 10) === value ? null : 'value_not_valid_date'
        case 'DATETIME':
            return parseDateTime(value) ? null : 'value_not_valid_datetime'
        case 'TIME':
            return /^([01]\d|2[0-3]):[0-5]\d$/.test(value) ? null : 'value_not_valid_time'
        case 'LETTER':
            return /^\p{L}$/u.test(value) ? null : 'value_not_valid_letter'
        case 'EMAIL':
            return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(value) ? null : 'value_not_valid_email'
        default:
            return null
    }
}

export function normaliseBoolean(v: string): string {
    const l = v.toLowerCase()
    if (['true', 't', '1'].includes(l)) return 'true'
    if (['false', 'f', '0'].includes(l)) return 'false'
    return v
}

export function isZeroInsignificant(value: string | null | undefined, de: StoredObject): boolean {
    if (value === null || value === undefined || !NUMERIC_TYPES.has(String(de.valueType))) return false
    if (de.zeroIsSignificant === true) return false
    if (de.aggregationType === 'AVERAGE' || de.aggregationType === 'AVERAGE_SUM_ORG_UNIT') return false
    return NUMERIC.test(value) && Number(value) === 0
}

export function lookup(store: MetadataStore, collection: string, scheme: IdScheme | undefined, ident: string | undefined): StoredObject | undefined {
    if (ident === undefined) return undefined
    switch (scheme?.type ?? 'UID') {
        case 'UID':
            return store.get(collection, ident)
        case 'CODE':
            return store.byCode(collection, ident)
        case 'NAME':
            return store.byName(collection, ident)
        case 'ATTRIBUTE':
            return store
                .all(collection)
                .find((o) =>
                    ((o.attributeValues as Array<{ attribute?: { id?: string }; value?: unknown }>) ?? []).some((a) => a.attribute?.id === scheme!.attribute && String(a.value) === ident)
                )
    }
}

/** The "now" used by locking and input-period rules: noon of `today` when it is fixed. */
function ruleNow(state: StandinState): Date {
    return state.clock.fixed ? new Date(`${state.clock.fixed}T12:00:00.000Z`) : new Date()
}

/** Locked by expiry days (2.42 compares with one more day). */
export function isLocked(state: StandinState, ds: StoredObject, period: Period): boolean {
    const expiry = Number(ds.expiryDays ?? 0)
    if (!(expiry > 0)) return false
    const endMs = Date.parse(`${period.end}T00:00:00.000Z`)
    const lockAt = endMs + (expiry + (state.version.v42 ? 1 : 0)) * 86_400_000
    return lockAt < ruleNow(state).getTime()
}

/** The latest period open for data entry: `openFuturePeriods` 0 means the previous period. */
export function latestOpenPeriod(state: StandinState, ds: StoredObject): Period | null {
    const type = String(ds.periodType)
    try {
        const current = periodContaining(type as Period['type'], state.clock.today())
        return shiftPeriod(current, Number(ds.openFuturePeriods ?? 0) - 1)
    } catch {
        return null
    }
}

export function inputPeriodOpen(state: StandinState, ds: StoredObject, period: Period): boolean {
    const dips = (ds.dataInputPeriods as Array<Record<string, unknown>>) ?? []
    if (!dips.length) return true
    const now = ruleNow(state).getTime()
    return dips.some((d) => {
        const pe = typeof d.period === 'string' ? d.period : refId(d.period)
        if (parsePeriod(pe)?.iso !== period.iso) return false
        const open = parseDateTime(d.openingDate)
        const close = parseDateTime(d.closingDate)
        return (!open || open.getTime() < now) && (!close || now < close.getTime())
    })
}

import { CHANNELS, DATA_ELEMENTS, SERVICES, type Channel, type DataElementCode, type Service } from '../../contract/codes'

/** One DHIS2 value slot, in ledger terms (codes, not UIDs). */
export interface ValueKey {
    dataElement: DataElementCode
    period: string
    facilityCode: string
    channel: Channel
    /** null for PAYREV_PAYMENTS / PAYREV_FAILED (channel-only category combo). */
    service: Service | null
}

export interface KeyedValue extends ValueKey {
    value: number
}

export function valueKeyId(k: ValueKey): string {
    return `${k.dataElement}|${k.period}|${k.facilityCode}|${k.channel}|${k.service ?? ''}`
}

/**
 * Inverse of valueKeyId. Only the facility code may contain '|' (the other parts are fixed
 * vocabularies), so it is whatever lies between the period and the last two parts.
 */
export function parseValueKeyId(id: string): ValueKey {
    const parts = id.split('|')
    if (parts.length < 5) throw new Error(`parseValueKeyId: not a value key: ${id}`)
    const dataElement = parts[0] as DataElementCode
    const period = parts[1]
    const service = parts[parts.length - 1]
    const channel = parts[parts.length - 2] as Channel
    const facilityCode = parts.slice(2, parts.length - 2).join('|')
    if (!DATA_ELEMENTS.includes(dataElement)) throw new Error(`parseValueKeyId: unknown data element in ${id}`)
    if (!CHANNELS.includes(channel)) throw new Error(`parseValueKeyId: unknown channel in ${id}`)
    if (service !== '' && !(SERVICES as readonly string[]).includes(service)) throw new Error(`parseValueKeyId: unknown service in ${id}`)
    if (!period || !facilityCode) throw new Error(`parseValueKeyId: empty period or facility in ${id}`)
    return { dataElement, period, facilityCode, channel, service: service === '' ? null : (service as Service) }
}

/** A recomputation unit: one facility, one period. */
export function scopeId(facilityCode: string, period: string): string {
    return `${facilityCode}|${period}`
}

/** Inverse of scopeId (the period never contains '|'; the facility code might). */
export function parseScopeId(id: string): { facilityCode: string; period: string } {
    const i = id.lastIndexOf('|')
    if (i <= 0 || i === id.length - 1) throw new Error(`parseScopeId: not a scope id: ${id}`)
    return { facilityCode: id.slice(0, i), period: id.slice(i + 1) }
}

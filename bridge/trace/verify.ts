import { scopeId } from '../aggregate'
import type { ValueFamily } from '../dhis2/outbox'
import type { ResolvedKey } from './dhis2-values'

/**
 * `verify` without I/O (docs/traceability.md, docs/contract.md §6): what DHIS2 holds against what
 * it last accepted from the bridge. Anything else — a value typed over in data entry, deleted,
 * lost in a restore — is drift.
 */
export interface Drift {
    /** The outbox family the value belongs to: revenue, lmis (pharmacy sales) or recon (reconciliation). */
    family: ValueFamily
    dataElement: string
    period: string
    orgUnit: string
    categoryOptionCombo: string
    facility: string
    /** Revenue and recon: the payment channel (recon's cash values: null); lmis: null. */
    channel: string | null
    service: string | null
    expected: number
    /** What DHIS2 holds now: a number, the raw text if it is not one, null when absent. */
    actual: number | string | null
}

export interface Comparison {
    checked: number
    matching: number
    drifted: Array<Drift & { key: string }>
}

export function asActual(raw: string | null): number | string | null {
    if (raw === null) return null
    const n = Number(raw)
    return raw.trim() !== '' && Number.isFinite(n) ? n : raw
}

export function findDrift(family: ValueFamily, expected: ReadonlyArray<{ key: ResolvedKey; expected: number }>, actual: ReadonlyMap<string, string | null>): Comparison {
    const drifted: Comparison['drifted'] = []
    for (const { key, expected: want } of expected) {
        const got = asActual(actual.get(key.key) ?? null)
        if (got === want) continue
        drifted.push({
            key: key.key,
            family,
            dataElement: key.codes.dataElement,
            period: key.period,
            orgUnit: key.codes.orgUnit,
            categoryOptionCombo: key.codes.categoryOptionCombo,
            facility: key.codes.facility,
            channel: key.codes.channel,
            service: key.codes.service,
            expected: want,
            actual: got,
        })
    }
    return { checked: expected.length, matching: expected.length - drifted.length, drifted }
}

/** Drift per scope id (facility|period), for the dashboards' « D'où vient ce chiffre ? » panel. */
export function countByScope(drifted: ReadonlyArray<Pick<Drift, 'facility' | 'period'>>): Record<string, number> {
    const out: Record<string, number> = {}
    for (const d of drifted) {
        const scope = scopeId(d.facility, d.period)
        out[scope] = (out[scope] ?? 0) + 1
    }
    return out
}

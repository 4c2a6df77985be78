import type { ResolvedConfig } from '../config/load'
import type { DataElementCode } from '../../contract/codes'
import type { Dhis2Client } from '../dhis2/client'
import { BridgeError, EXIT } from '../errors'
import { loadLiveMetadata, revenueCell, targetCodes, type LiveMetadata } from '../dhis2/metadata'
import { OrgUnitResolver } from '../dhis2/org-units'
import type { StateDb } from '../state/db'

/** A state key as DHIS2 names it: UIDs to ask with, codes to show. */
export interface ResolvedKey {
    key: string
    dataElement: string
    period: string
    orgUnit: string
    categoryOptionCombo: string
    codes: { dataElement: string; orgUnit: string; categoryOptionCombo: string; facility: string; channel: string | null; service: string | null }
}

export interface StateKey {
    key: string
    dataElement: string
    period: string
    facility: string
    channel: string
    service: string | null
}

/** Live metadata for the bridge's keys; throws the sync's bilingual errors when the package is missing. */
export async function liveMetadata(client: Dhis2Client, rc: ResolvedConfig): Promise<LiveMetadata> {
    const loaded = await loadLiveMetadata(client, targetCodes(rc.config))
    if (!loaded.dataSet || loaded.missing.length) {
        throw new BridgeError(
            { fr: `Métadonnées DHIS2 introuvables : ${loaded.missing.join(', ')}`, en: `DHIS2 metadata not found: ${loaded.missing.join(', ')}` },
            EXIT.CONFIG,
            { fr: 'Lancez « revenue-bridge setup »', en: 'Run "revenue-bridge setup"' }
        )
    }
    return loaded as LiveMetadata
}

/** State keys → DHIS2 UIDs; keys whose org unit, element or combo the server lacks come back apart. */
export async function resolveKeys(client: Dhis2Client, rc: ResolvedConfig, db: StateDb, live: LiveMetadata, keys: StateKey[], now: () => string): Promise<{ resolved: ResolvedKey[]; unresolved: StateKey[] }> {
    const codes = targetCodes(rc.config)
    const resolver = new OrgUnitResolver(client, db, rc.orgUnitRefFor, now)
    await resolver.prefetch([...new Set(keys.map((k) => k.facility))])
    const resolved: ResolvedKey[] = []
    const unresolved: StateKey[] = []
    for (const k of keys) {
        // The cell the push writes (sync's plan resolves through the same function).
        const cell = revenueCell(live, await resolver.resolve(k.facility), k)
        if (!cell.ok) {
            unresolved.push(k)
            continue
        }
        const { orgUnit: ou, coc } = cell
        resolved.push({
            key: k.key,
            dataElement: cell.dataElement,
            period: k.period,
            orgUnit: ou.id,
            categoryOptionCombo: coc.id,
            codes: { dataElement: codes.dataElement(k.dataElement as DataElementCode), orgUnit: ou.code ?? ou.id, categoryOptionCombo: coc.code ?? coc.id, facility: k.facility, channel: k.channel, service: k.service },
        })
    }
    return { resolved, unresolved }
}

// What DHIS2 holds now for a set of keys: shared with the dry run's preview (dhis2/current-values.ts).
export { readCurrentValues } from '../dhis2/current-values'

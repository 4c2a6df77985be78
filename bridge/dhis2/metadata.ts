import { z } from 'zod'
import {
    BY_CHANNEL_AND_SERVICE,
    DATASET_CODE,
    DATA_ELEMENTS,
    channelOptionCode,
    serviceOptionCode,
    type Channel,
    type DataElementCode,
    type Service,
} from '../../contract/codes'
import type { BridgeConfig } from '../config/schema'
import { Dhis2ResponseError, type Dhis2Client } from './client'
import { isUid } from './uid'

/** Codes the bridge writes to: the PAYREV package, or the national metadata named in the configuration. */
export interface TargetCodes {
    dataSet: string
    dataElement(de: DataElementCode): string
    channelOption(c: Channel): string
    serviceOption(s: Service): string
}

export function targetCodes(config: BridgeConfig): TargetCodes {
    const m = config.metadata
    return {
        dataSet: m.dataSet ?? DATASET_CODE,
        dataElement: (de) => m.dataElements[de] ?? de,
        channelOption: (c) => m.channelOptions[c] ?? channelOptionCode(c),
        serviceOption: (s) => m.serviceOptions[s] ?? serviceOptionCode(s),
    }
}

const refSchema = z.object({ id: z.string() })
const cocSchema = z.object({
    id: z.string(),
    code: z.string().optional(),
    name: z.string().optional(),
    categoryOptions: z.array(z.object({ id: z.string(), code: z.string().optional() })).default([]),
})
const dataSetSchema = z.object({
    id: z.string(),
    code: z.string().optional(),
    name: z.string().optional(),
    periodType: z.string(),
    expiryDays: z.number().default(0),
    openFuturePeriods: z.number().default(0),
    dataInputPeriods: z
        .array(z.object({ period: z.union([z.string(), refSchema]).optional(), openingDate: z.string().optional(), closingDate: z.string().optional() }))
        .default([]),
    organisationUnits: z.array(refSchema).default([]),
    dataSetElements: z
        .array(z.object({ dataElement: z.object({ id: z.string(), code: z.string().optional(), categoryCombo: refSchema.optional() }), categoryCombo: refSchema.optional() }))
        .default([]),
})
export type LiveDataSet = z.infer<typeof dataSetSchema>
const dataElementSchema = z.object({ id: z.string(), code: z.string().optional(), name: z.string().optional(), categoryCombo: refSchema })
const orgUnitSchema = z.object({ id: z.string(), code: z.string().optional(), name: z.string().optional(), path: z.string().optional() })
export type LiveOrgUnit = z.infer<typeof orgUnitSchema>

/** Splits long `in:[…]` filters so URLs stay well under proxy limits. */
export function chunks<T>(items: T[], size = 100): T[][] {
    const out: T[][] = []
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
    return out
}

export async function listByFilter<T>(
    client: Dhis2Client,
    collection: string,
    property: string,
    values: string[],
    fields: string,
    schema: z.ZodType<T>
): Promise<T[]> {
    const out: T[] = []
    for (const part of chunks([...new Set(values)])) {
        if (part.length === 0) continue
        const res = await client.get<Record<string, unknown>>(collection, {
            filter: `${property}:in:[${part.join(',')}]`,
            fields,
            paging: 'false',
        })
        const list = z.array(schema).parse((res.data ?? {})[collection] ?? [])
        out.push(...list)
    }
    return out
}

export async function findOrgUnits(client: Dhis2Client, refs: string[]): Promise<Map<string, LiveOrgUnit>> {
    const fields = 'id,code,name,path'
    const uids = refs.filter(isUid)
    const found = [
        ...(await listByFilter(client, 'organisationUnits', 'code', refs, fields, orgUnitSchema)),
        ...(await listByFilter(client, 'organisationUnits', 'id', uids, fields, orgUnitSchema)),
    ]
    const byRef = new Map<string, LiveOrgUnit>()
    for (const ou of found) {
        if (ou.code) byRef.set(ou.code, ou)
    }
    for (const ou of found) byRef.set(ou.id, ou)
    return new Map(refs.filter((r) => byRef.has(r)).map((r) => [r, byRef.get(r)!]))
}

export async function findDataSet(client: Dhis2Client, codeOrUid: string): Promise<LiveDataSet | null> {
    const fields =
        'id,code,name,periodType,expiryDays,openFuturePeriods,dataInputPeriods[period,openingDate,closingDate],organisationUnits[id],dataSetElements[dataElement[id,code,categoryCombo[id]],categoryCombo[id]]'
    const prop = isUid(codeOrUid) ? 'id' : 'code'
    const [ds] = await listByFilter(client, 'dataSets', prop, [codeOrUid], fields, dataSetSchema)
    return ds ?? null
}

export interface CocRef {
    id: string
    code: string | null
}

/** Live metadata the sync needs: what every value key maps to on this server. */
export interface LiveMetadata {
    dataSet: LiveDataSet
    dataElementIds: Map<DataElementCode, string>
    /** COC for a data element and its channel (and service): null when the server has none. */
    coc(de: DataElementCode, channel: Channel, service: Service | null): CocRef | null
    missing: string[]
}

export async function loadLiveMetadata(client: Dhis2Client, codes: TargetCodes): Promise<LiveMetadata | { missing: string[]; dataSet: null }> {
    const dataSet = await findDataSet(client, codes.dataSet)
    if (!dataSet) return { missing: [`dataSet ${codes.dataSet}`], dataSet: null }
    const deRefs = DATA_ELEMENTS.map((de) => codes.dataElement(de))
    const uidRefs = deRefs.filter(isUid)
    const des = [
        ...(await listByFilter(client, 'dataElements', 'code', deRefs, 'id,code,name,categoryCombo[id]', dataElementSchema)),
        ...(await listByFilter(client, 'dataElements', 'id', uidRefs, 'id,code,name,categoryCombo[id]', dataElementSchema)),
    ]
    const missing: string[] = []
    const dataElementIds = new Map<DataElementCode, string>()
    const comboOf = new Map<DataElementCode, string>()
    for (const de of DATA_ELEMENTS) {
        const ref = codes.dataElement(de)
        const found = des.find((d) => d.code === ref || d.id === ref)
        if (!found) {
            missing.push(`dataElement ${ref}`)
            continue
        }
        dataElementIds.set(de, found.id)
        // A data set element may override the data element's category combo.
        const override = dataSet.dataSetElements.find((e) => e.dataElement.id === found.id)?.categoryCombo?.id
        comboOf.set(de, override ?? found.categoryCombo.id)
    }
    const comboIds = [...new Set(comboOf.values())]
    const cocs = await listByFilter(client, 'categoryOptionCombos', 'categoryCombo.id', comboIds, 'id,code,name,categoryCombo[id],categoryOptions[id,code]', cocSchema.extend({ categoryCombo: refSchema }))
    // Key: combo id + sorted option codes. The server generated these; we only read them.
    const cocIndex = new Map<string, CocRef>()
    for (const c of cocs) {
        const key = `${c.categoryCombo.id}|${c.categoryOptions.map((o) => o.code ?? o.id).sort().join('|')}`
        cocIndex.set(key, { id: c.id, code: c.code ?? null })
    }
    return {
        dataSet,
        dataElementIds,
        missing,
        coc(de, channel, service) {
            const combo = comboOf.get(de)
            if (!combo) return null
            const options = [codes.channelOption(channel)]
            if (BY_CHANNEL_AND_SERVICE.has(de) && service) options.push(codes.serviceOption(service))
            return cocIndex.get(`${combo}|${options.sort().join('|')}`) ?? null
        },
    }
}

/**
 * Assign a data set to one more org unit. The collection endpoint changes only that link; a
 * server without it gets the data set re-posted through /api/metadata with every assignment it
 * already had (a metadata update replaces the whole object, so nothing may be left out).
 */
export async function assignOrgUnit(client: Dhis2Client, dataSetId: string, orgUnitId: string): Promise<void> {
    try {
        await client.post(`dataSets/${dataSetId}/organisationUnits/${orgUnitId}`, undefined)
        return
    } catch (e) {
        if (!(e instanceof Dhis2ResponseError)) throw e
    }
    const current = await client.get<Record<string, unknown> & { organisationUnits?: Array<{ id: string }> }>(`dataSets/${dataSetId}`, { fields: ':owner' })
    const ds = current.data ?? {}
    const ous = ds.organisationUnits ?? []
    if (ous.some((o) => o.id === orgUnitId)) return
    const res = await client.post<{ status?: string; response?: { status?: string } }>('metadata', { dataSets: [{ ...ds, organisationUnits: [...ous, { id: orgUnitId }] }] })
    const status = res.data?.response?.status ?? res.data?.status
    if (status && status !== 'OK') {
        throw new Dhis2ResponseError({ fr: `DHIS2 a refusé l'affectation du jeu ${dataSetId} à ${orgUnitId}`, en: `DHIS2 refused to assign data set ${dataSetId} to ${orgUnitId}` }, res.status, res.data)
    }
}

/** A revenue key's org unit as a resolver answers it: null unknown to DHIS2, 'unknown' never resolved while DHIS2 was away. */
export type ResolvedOrgUnit = LiveOrgUnit | null | 'unknown'

export type RevenueCell =
    | { ok: true; orgUnit: LiveOrgUnit; dataElement: string; coc: CocRef }
    | { ok: false; code: 'BRIDGE_ORG_UNIT' | 'BRIDGE_DATA_ELEMENT' | 'BRIDGE_CATEGORY_OPTION_COMBO' }

/**
 * The DHIS2 cell of a revenue key (docs/contract.md §3): the facility's org unit, the element and
 * the channel × service combo of the live PAYREV package. One place for the push (sync's plan)
 * and the read back (verify, explain --check): both name the same cell.
 */
export function revenueCell(live: LiveMetadata, orgUnit: ResolvedOrgUnit, key: { dataElement: string; channel: string | null; service: string | null }): RevenueCell {
    const de = key.dataElement as DataElementCode
    const deId = live.dataElementIds.get(de)
    const coc = live.coc(de, key.channel as Channel, key.service as Service | null)
    if (!orgUnit || orgUnit === 'unknown') return { ok: false, code: 'BRIDGE_ORG_UNIT' }
    if (!deId) return { ok: false, code: 'BRIDGE_DATA_ELEMENT' }
    if (!coc) return { ok: false, code: 'BRIDGE_CATEGORY_OPTION_COMBO' }
    return { ok: true, orgUnit, dataElement: deId, coc }
}

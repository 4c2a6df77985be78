import { z } from 'zod'
import {
    RECON_DE_CASH,
    RECON_DE_BY_CHANNEL,
    RECON_DATASET,
    RECON_DATA_ELEMENTS,
    type ReconDataElement,
} from '../../contract/reconciliation'
import { analyticsResponseSchema, UnexpectedResponseError } from '../analytics/parse'
import { CHANNELS, type Channel } from '../shared/codes'
import { toOrgUnitRef, type OrgUnitRef, type PayrevMetadata } from '../shared/metadata/metadata'
import type { ReconFact } from './reconciliation'

/**
 * What the « Rapprochement » view asks DHIS2 (pure): its metadata (the reconciliation data
 * elements' UIDs and the facilities the data set is assigned to) and one analytics round of two
 * requests — the by-channel elements with the channel category as a dimension, the cash elements
 * without (a category dimension drops the data elements that do not carry it, on DHIS2 as on the
 * stand-in). Query keys come from `reconKeys`; answers are parsed in react-query's `select`.
 */

export const reconKeys = {
    all: ['reconciliation'] as const,
    metadata: () => [...reconKeys.all, 'metadata'] as const,
    analytics: (ouItems: readonly string[], months: readonly string[]) => [...reconKeys.all, 'analytics', ...ouItems, '|', ...months] as const,
}

const ORG_UNIT_FIELDS = 'id,displayName,path,level'

export const RECON_METADATA_QUERY = {
    dataElements: {
        resource: 'dataElements',
        params: { filter: `code:in:[${RECON_DATA_ELEMENTS.join(',')}]`, fields: 'id,code', paging: false },
    },
    dataSets: {
        resource: 'dataSets',
        params: { filter: `code:eq:${RECON_DATASET}`, fields: `id,code,organisationUnits[${ORG_UNIT_FIELDS}]`, paging: false },
    },
}

const codedSchema = z.object({ id: z.string(), code: z.string().optional() })
const orgUnitSchema = z.object({
    id: z.string(),
    displayName: z.string().optional(),
    name: z.string().optional(),
    path: z.string().optional(),
    level: z.number().optional(),
})
const metadataAnswerSchema = z.object({
    dataElements: z.object({ dataElements: z.array(codedSchema) }),
    dataSets: z.object({ dataSets: z.array(codedSchema.extend({ organisationUnits: z.array(orgUnitSchema).optional().default([]) })) }),
})

export interface ReconMetadata {
    dataElements: Record<ReconDataElement, string>
    /** Org units the reconciliation data set is assigned to (empty when it is not installed). */
    facilities: OrgUnitRef[]
    dataSetFound: boolean
}

export type ReconMetadataResult = { ok: true; recon: ReconMetadata } | { ok: false; missing: string[] }

/** `select` of the metadata query: codes → UIDs, or the codes the server does not have. */
export function parseReconMetadata(raw: unknown): ReconMetadataResult {
    const parsed = metadataAnswerSchema.safeParse(raw)
    if (!parsed.success) throw new UnexpectedResponseError(`metadata: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
    const { dataElements, dataSets } = parsed.data
    const uids = {} as Record<ReconDataElement, string>
    const missing: string[] = []
    for (const code of RECON_DATA_ELEMENTS) {
        const found = dataElements.dataElements.find((d) => d.code === code)
        if (found) uids[code] = found.id
        else missing.push(code)
    }
    if (missing.length > 0) return { ok: false, missing }
    const dataSet = dataSets.dataSets.find((d) => d.code === RECON_DATASET)
    return { ok: true, recon: { dataElements: uids, facilities: (dataSet?.organisationUnits ?? []).map(toOrgUnitRef), dataSetFound: !!dataSet } }
}

type Params = { dimension: string[]; filter?: string[] }

/** The two analytics requests of one selection, as one data engine query. */
export function reconAnalyticsQuery(meta: PayrevMetadata, recon: ReconMetadata, ouItems: readonly string[], months: readonly string[]) {
    const dx = (codes: readonly ReconDataElement[]) => `dx:${codes.map((c) => recon.dataElements[c]).join(';')}`
    const ou = `ou:${ouItems.join(';')}`
    const pe = `pe:${months.join(';')}`
    const byChannel: Params = {
        dimension: [dx(RECON_DE_BY_CHANNEL), `${meta.channelCategory}:${CHANNELS.map((c) => meta.channelOptions[c]).join(';')}`, ou, pe],
    }
    const cash: Params = { dimension: [dx(RECON_DE_CASH), ou, pe] }
    return {
        byChannel: { resource: 'analytics', params: byChannel },
        cash: { resource: 'analytics', params: cash },
    }
}

function invert<K extends string>(uids: Record<K, string>): Map<string, K> {
    return new Map(Object.entries(uids).map(([k, uid]) => [uid as string, k as K]))
}

/**
 * Analytics rows → facts. Rows of UIDs the view did not ask for are dropped (never guessed); a
 * value that is not a number is an unexpected answer.
 */
function parseGrid(raw: unknown, deByUid: Map<string, ReconDataElement>, channelColumn: string | null, chByUid: Map<string, Channel>): ReconFact[] {
    const parsed = analyticsResponseSchema.safeParse(raw)
    if (!parsed.success) throw new UnexpectedResponseError(`analytics: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
    const res = parsed.data
    const col = (name: string) => res.headers.findIndex((h) => h.name === name)
    const [dx, pe, ou, val] = [col('dx'), col('pe'), col('ou'), col('value')]
    const ch = channelColumn ? col(channelColumn) : -1
    if (dx < 0 || pe < 0 || ou < 0 || val < 0 || (channelColumn && ch < 0)) throw new UnexpectedResponseError('analytics: missing dx, pe, ou, channel or value column')
    const facts: ReconFact[] = []
    for (const row of res.rows ?? []) {
        const de = deByUid.get(row[dx] ?? '')
        const channel = ch >= 0 ? chByUid.get(row[ch] ?? '') : null
        if (!de || channel === undefined || row[val] === null || row[val] === '') continue
        const value = Number(row[val])
        if (!Number.isFinite(value)) throw new UnexpectedResponseError(`analytics: value "${row[val]}" is not a number`)
        facts.push({ de, pe: row[pe] ?? '', ou: row[ou] ?? '', channel, value })
    }
    return facts
}

/** `select` of the analytics query. */
export function parseReconAnalytics(raw: unknown, meta: PayrevMetadata, recon: ReconMetadata): ReconFact[] {
    const answer = z.object({ byChannel: z.unknown(), cash: z.unknown() }).parse(raw)
    const deByUid = invert(recon.dataElements)
    const chByUid = invert(meta.channelOptions)
    return [...parseGrid(answer.byChannel, deByUid, meta.channelCategory, chByUid), ...parseGrid(answer.cash, deByUid, null, chByUid)]
}

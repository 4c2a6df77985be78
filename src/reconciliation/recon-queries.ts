import { CHANNELS, RECON_DATASET, RECON_DATA_ELEMENTS, RECON_DE_BY_CHANNEL, RECON_DE_CASH, type ReconDataElement } from '@recettes/contract'
import { z } from 'zod'
import { analyticsResponseSchema, UnexpectedResponseError } from '../analytics/parse'
import { keys, type Dhis2QueryKey } from '../shared/data/keys'
import { toOrgUnitRef, type OrgUnitRef, type PayrevMetadata } from '../shared/metadata/metadata'
import type { ReconFact } from './reconciliation'

/**
 * What the « Rapprochement » view asks DHIS2 (pure): its metadata (the reconciliation data
 * elements' UIDs and the facilities the data set is assigned to) and one analytics round of two
 * requests — the by-channel elements with the channel category as a dimension, the cash elements
 * without (a category dimension drops the data elements that do not carry it, on DHIS2 as on the
 * stand-in). Keys from `reconKeys`; answers parsed in `select` (../shared/data/use-dhis2-query.ts).
 */

const ORG_UNIT_FIELDS = 'id,displayName,path,level'

type Params = { dimension: string[]; filter?: string[] }

/** The view's query keys (each key is the resource query itself, see ../shared/data/keys.ts). */
export const reconKeys = {
    dataElements: (): Dhis2QueryKey => [
        { resource: 'dataElements', params: { filter: `code:in:[${RECON_DATA_ELEMENTS.join(',')}]`, fields: 'id,code', paging: false } },
    ],
    dataSet: (): Dhis2QueryKey => [
        { resource: 'dataSets', params: { filter: `code:eq:${RECON_DATASET}`, fields: `id,code,organisationUnits[${ORG_UNIT_FIELDS}]`, paging: false } },
    ],
    /** The two analytics requests of one selection, fetched together. */
    analytics: (meta: PayrevMetadata, recon: ReconMetadata, ouItems: readonly string[], months: readonly string[]): Record<'byChannel' | 'cash', Dhis2QueryKey> => {
        const dx = (codes: readonly ReconDataElement[]) => `dx:${codes.map((c) => recon.dataElements[c]).join(';')}`
        const ou = `ou:${ouItems.join(';')}`
        const pe = `pe:${months.join(';')}`
        const byChannel: Params = {
            dimension: [dx(RECON_DE_BY_CHANNEL), `${meta.channelCategory}:${CHANNELS.map((c) => meta.channelOptions[c]).join(';')}`, ou, pe],
        }
        return { byChannel: keys.analytics(byChannel), cash: keys.analytics({ dimension: [dx(RECON_DE_CASH), ou, pe] }) }
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
const dataElementsAnswer = z.object({ dataElements: z.array(codedSchema) })
const dataSetsAnswer = z.object({ dataSets: z.array(codedSchema.extend({ organisationUnits: z.array(orgUnitSchema).optional().default([]) })) })

const unexpected = (what: string, e: z.ZodError) => new UnexpectedResponseError(`${what}: ${e.issues[0]?.message ?? 'invalid'}`)

/** `select` of the data elements query: code → UID, or the codes the server does not have. */
export function parseReconDataElements(raw: unknown): { uids: Partial<Record<ReconDataElement, string>>; missing: ReconDataElement[] } {
    const parsed = dataElementsAnswer.safeParse(raw)
    if (!parsed.success) throw unexpected('dataElements', parsed.error)
    const uids: Partial<Record<ReconDataElement, string>> = {}
    for (const d of parsed.data.dataElements) if ((RECON_DATA_ELEMENTS as readonly string[]).includes(d.code ?? '')) uids[d.code as ReconDataElement] = d.id
    return { uids, missing: RECON_DATA_ELEMENTS.filter((c) => !uids[c]) }
}

/** `select` of the data set query: the org units it is assigned to, null when it does not exist. */
export function parseReconDataSet(raw: unknown): OrgUnitRef[] | null {
    const parsed = dataSetsAnswer.safeParse(raw)
    if (!parsed.success) throw unexpected('dataSets', parsed.error)
    const ds = parsed.data.dataSets.find((d) => d.code === RECON_DATASET)
    return ds ? ds.organisationUnits.map(toOrgUnitRef) : null
}

export interface ReconMetadata {
    dataElements: Record<ReconDataElement, string>
    /** Org units the reconciliation data set is assigned to (empty when it is not installed). */
    facilities: OrgUnitRef[]
    dataSetFound: boolean
}

export type ReconMetadataResult = { ok: true; recon: ReconMetadata } | { ok: false; missing: string[] }

/** Both answers together: the view's metadata, or the codes the server does not have. */
export function reconMetadataOf(des: ReturnType<typeof parseReconDataElements>, facilities: OrgUnitRef[] | null): ReconMetadataResult {
    if (des.missing.length > 0) return { ok: false, missing: des.missing }
    return { ok: true, recon: { dataElements: des.uids as Record<ReconDataElement, string>, facilities: facilities ?? [], dataSetFound: facilities !== null } }
}

function invert<K extends string>(uids: Record<K, string>): Map<string, K> {
    return new Map(Object.entries(uids).map(([k, uid]) => [uid as string, k as K]))
}

/**
 * `select` of each analytics answer: rows → facts, by header name; the channel column when the
 * request had the channel dimension. Rows of UIDs the view did not ask for are dropped (never
 * guessed); a value that is not a number is an unexpected answer.
 */
export function parseReconGrid(raw: unknown, meta: PayrevMetadata, recon: ReconMetadata): ReconFact[] {
    const parsed = analyticsResponseSchema.safeParse(raw)
    if (!parsed.success) throw unexpected('analytics', parsed.error)
    const res = parsed.data
    const col = (name: string) => res.headers.findIndex((h) => h.name === name)
    const [dx, pe, ou, ch, val] = [col('dx'), col('pe'), col('ou'), col(meta.channelCategory), col('value')]
    if (dx < 0 || pe < 0 || ou < 0 || val < 0) throw new UnexpectedResponseError('analytics: missing dx, pe, ou or value column')
    const deByUid = invert(recon.dataElements)
    const chByUid = invert(meta.channelOptions)
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

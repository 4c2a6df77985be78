import { z } from 'zod'
import { CHANNELS, DATA_ELEMENTS, SERVICES, type Channel, type DataElementCode, type Service } from '@recettes/contract'
import type { PayrevMetadata } from '../shared/metadata/metadata'

/** The analytics answer (reference §8.2): headers, metaData, rows of strings. */
export const analyticsResponseSchema = z.object({
    headers: z.array(z.object({ name: z.string() })),
    metaData: z
        .object({
            items: z.record(z.string(), z.object({ name: z.string().optional() })).optional(),
            dimensions: z.record(z.string(), z.array(z.string())).optional(),
        })
        .optional(),
    rows: z.array(z.array(z.union([z.string(), z.null()]))).optional(),
})
export type AnalyticsResponse = z.infer<typeof analyticsResponseSchema>

/** One aggregated value, with UIDs turned back into the product's codes. */
export interface Fact {
    de: DataElementCode
    /** ISO period as the server returned it (`202610`, `2026Q3`, `2026`). */
    pe: string
    ou: string | null
    channel: Channel | null
    service: Service | null
    value: number
}

export interface ParsedAnalytics {
    facts: Fact[]
    /** `metaData.items` names by UID (org units, periods…). */
    names: Record<string, string>
    /** `metaData.dimensions` (resolved items per dimension, e.g. the org units of LEVEL-n). */
    dimensions: Record<string, string[]>
}

export class UnexpectedResponseError extends Error {
    constructor(message: string) {
        super(message)
        this.name = 'UnexpectedResponseError'
    }
}

function invert<K extends string>(keys: readonly K[], uids: Record<K, string>): Map<string, K> {
    return new Map(keys.map((k) => [uids[k], k] as const))
}

/**
 * Turns an analytics answer into facts. Values are parsed as numbers (the server prints them as
 * strings, whole ones without decimals); rows for UIDs the app does not know are dropped rather
 * than guessed. Row order is not relied on.
 */
export function parseAnalytics(raw: unknown, meta: PayrevMetadata): ParsedAnalytics {
    const parsed = analyticsResponseSchema.safeParse(raw)
    if (!parsed.success) throw new UnexpectedResponseError(`analytics: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
    const res = parsed.data
    const col = (name: string): number => res.headers.findIndex((h) => h.name === name)
    const dx = col('dx')
    const pe = col('pe')
    const ou = col('ou')
    const ch = col(meta.channelCategory)
    const sv = col(meta.serviceCategory)
    const val = col('value')
    if (dx < 0 || val < 0) throw new UnexpectedResponseError('analytics: no dx or value column')

    const deByUid = invert(DATA_ELEMENTS, meta.dataElements)
    const chByUid = invert(CHANNELS, meta.channelOptions)
    const svByUid = invert(SERVICES, meta.serviceOptions)

    const facts: Fact[] = []
    for (const row of res.rows ?? []) {
        const de = deByUid.get(row[dx] ?? '')
        const value = Number(row[val])
        if (!de || row[val] === '' || row[val] === null || !Number.isFinite(value)) continue
        const channel = ch >= 0 ? chByUid.get(row[ch] ?? '') : undefined
        const service = sv >= 0 ? svByUid.get(row[sv] ?? '') : undefined
        if ((ch >= 0 && !channel) || (sv >= 0 && !service)) continue
        facts.push({
            de,
            pe: pe >= 0 ? (row[pe] ?? '') : '',
            ou: ou >= 0 ? (row[ou] ?? null) : null,
            channel: channel ?? null,
            service: service ?? null,
            value,
        })
    }
    const names: Record<string, string> = {}
    for (const [k, v] of Object.entries(res.metaData?.items ?? {})) if (v.name) names[k] = v.name
    return { facts, names, dimensions: res.metaData?.dimensions ?? {} }
}

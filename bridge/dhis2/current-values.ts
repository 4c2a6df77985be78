import { z } from 'zod'
import type { Dhis2Client } from './client'
import { chunks } from './metadata'

/** A value's key as DHIS2 names it (UIDs), with the caller's own key for the answer. */
export interface ValueKey {
    key: string
    dataElement: string
    period: string
    orgUnit: string
    categoryOptionCombo: string
}

const valueSetSchema = z.object({
    dataValues: z
        .array(z.object({ dataElement: z.string(), period: z.string(), orgUnit: z.string(), categoryOptionCombo: z.string(), value: z.string().nullable().optional(), deleted: z.boolean().optional() }))
        .optional(),
})

const uidKey = (de: string, pe: string, ou: string, coc: string) => `${de}|${pe}|${ou}|${coc}`

/**
 * What DHIS2 holds now for these keys, in few requests: `GET /api/dataValueSets` of the data set
 * with many `period` and `orgUnit` parameters per call (periods × org units in blocks that keep
 * the URL short). A key DHIS2 does not hold (deleted, lost in a restore) maps to null.
 */
export async function readCurrentValues(
    client: Dhis2Client,
    dataSetId: string,
    keys: readonly ValueKey[],
    limits: { periods: number; orgUnits: number } = { periods: 60, orgUnits: 50 }
): Promise<{ values: Map<string, string | null>; requests: number }> {
    const periods = [...new Set(keys.map((k) => k.period))].sort()
    const orgUnits = [...new Set(keys.map((k) => k.orgUnit))].sort()
    const held = new Map<string, string>()
    let requests = 0
    for (const pe of chunks(periods, limits.periods)) {
        for (const ou of chunks(orgUnits, limits.orgUnits)) {
            const res = await client.get('dataValueSets', { dataSet: dataSetId, period: pe, orgUnit: ou })
            requests++
            const parsed = valueSetSchema.safeParse(res.data ?? {})
            for (const v of parsed.success ? (parsed.data.dataValues ?? []) : []) {
                if (v.deleted || v.value === null || v.value === undefined) continue
                held.set(uidKey(v.dataElement, v.period, v.orgUnit, v.categoryOptionCombo), v.value)
            }
        }
    }
    const values = new Map<string, string | null>()
    for (const k of keys) values.set(k.key, held.get(uidKey(k.dataElement, k.period, k.orgUnit, k.categoryOptionCombo)) ?? null)
    return { values, requests }
}

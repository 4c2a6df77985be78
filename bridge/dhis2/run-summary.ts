import { z } from 'zod'
import type { Dhis2Client } from './client'

/**
 * What the dashboards' "data freshness" view reads: one data store entry per facility in
 * namespace `payrev`, key `facility-<orgUnitUid>`. Counts only — never a line, a name or a number
 * that could point to a patient.
 */
export const facilityRunSummarySchema = z.object({
    orgUnit: z.string(),
    orgUnitCode: z.string().nullable(),
    lastRunAt: z.string(),
    lastSuccessAt: z.string().nullable(),
    lastRunStatus: z.enum(['OK', 'CONFLICTS', 'QUARANTINE', 'UNREACHABLE', 'FAILED']),
    valuesSent: z.number().int(),
    conflicts: z.number().int(),
    quarantined: z.number().int(),
    linesRead: z.number().int(),
    bridgeVersion: z.string(),
})
export type FacilityRunSummary = z.infer<typeof facilityRunSummarySchema>

export const DATASTORE_NAMESPACE = 'payrev'

export async function publishRunSummaries(client: Dhis2Client, summaries: FacilityRunSummary[]): Promise<void> {
    for (const s of summaries) {
        await client.put(`dataStore/${DATASTORE_NAMESPACE}/facility-${s.orgUnit}`, facilityRunSummarySchema.parse(s))
    }
}

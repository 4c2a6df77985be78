import { z } from 'zod'

/**
 * What the dashboards' "data freshness" view reads: one data store entry per facility in
 * namespace `payrev`, key `facility-<orgUnitUid>` (./datastore.ts). Counts only — never a line, a
 * name or a number that could point to a patient.
 */
export const RUN_STATUSES = ['OK', 'CONFLICTS', 'QUARANTINE', 'UNREACHABLE', 'FAILED'] as const
export type RunStatus = (typeof RUN_STATUSES)[number]

export const facilityRunSummarySchema = z.object({
    orgUnit: z.string(),
    orgUnitCode: z.string().nullable(),
    lastRunAt: z.string(),
    lastSuccessAt: z.string().nullable(),
    lastRunStatus: z.enum(RUN_STATUSES),
    valuesSent: z.number().int(),
    conflicts: z.number().int(),
    quarantined: z.number().int(),
    linesRead: z.number().int(),
    bridgeVersion: z.string(),
})
export type FacilityRunSummary = z.infer<typeof facilityRunSummarySchema>

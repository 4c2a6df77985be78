import { z } from 'zod'

/**
 * What the dashboards' « D'où vient ce chiffre ? » panel reads from the DHIS2 data store
 * (namespace `payrev`), published by the bridge (docs/traceability.md, docs/contract.md §6).
 * Counts, run numbers, times and source names only: never a line, an amount of a line, a
 * transaction id or anything that could point to a patient, a payer or a cashier.
 * One entry per facility (`lineage-<orgUnitUid>`) holding each period: a sync rewrites the
 * entries of the facilities it sent to (one request each, not one per month).
 */
export const LINEAGE_KEY_PREFIX = 'lineage-'

export const lineageKey = (orgUnit: string): string => `${LINEAGE_KEY_PREFIX}${orgUnit}`

export const lineageRunSchema = z.object({
    runId: z.number().int(),
    /** When the run first sent a value of this facility × period. */
    at: z.string(),
    /** Values of this facility × period the run sent. */
    valuesSent: z.number().int(),
    /** Whole-run counts: rows read and quarantined by that run (all facilities). */
    linesRead: z.number().int().nullable(),
    quarantined: z.number().int().nullable(),
    exitCode: z.number().int().nullable(),
})
export type LineageRun = z.infer<typeof lineageRunSchema>

const sentValues = z.object({
    /** The runs that sent the family's values of this facility × period, oldest first (the last 10). */
    runs: z.array(lineageRunSchema),
    /** Values of the period DHIS2 had accepted. */
    values: z.number().int(),
})

/**
 * One family of values of a facility × period besides revenue: the runs that sent them, those
 * DHIS2 accepted, and those the last verify found changed and left so — null when that verify
 * ran before the bridge kept this family's drift per month (not known: verify again).
 */
export const familyLineageSchema = sentValues.extend({ drifted: z.number().int().nullable() })
export type FamilyLineage = z.infer<typeof familyLineageSchema>

/**
 * The revenue values (PAYREV data set) at the top level, as the first bridges published them;
 * `lmis`: the pharmacy's values in the LMIS data set (quantities sold, from the same lines);
 * `recon`: the payment reconciliation's totals (PAYREV_RECON_MONTHLY). Each absent when the
 * bridge sent none of its values for the period — or when an older bridge published the entry.
 */
export const periodLineageSchema = sentValues.extend({
    /** Revenue values the last verify found changed and left so. */
    drifted: z.number().int(),
    /** Names of the sources the current lines came from (file names without their folder, or configured source names). */
    sources: z.array(z.string()),
    lmis: familyLineageSchema.optional(),
    recon: familyLineageSchema.optional(),
})
export type PeriodLineage = z.infer<typeof periodLineageSchema>

export const facilityLineageSchema = z.object({
    orgUnit: z.string(),
    orgUnitCode: z.string().nullable(),
    updatedAt: z.string(),
    /** The last `verify` (null before the first one): when, which run, drift left in the facility. */
    verify: z.object({ at: z.string(), runId: z.number().int(), checked: z.number().int(), drifted: z.number().int() }).nullable(),
    periods: z.record(z.string(), periodLineageSchema),
    bridgeVersion: z.string(),
})
export type FacilityLineage = z.infer<typeof facilityLineageSchema>

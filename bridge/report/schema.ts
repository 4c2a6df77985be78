import { z } from 'zod'
import { bilingualSchema } from '../domain/line'
import type { StockLegReport } from '../stock/leg'
import { conflictReportSchema, type ConflictReport } from './conflict'

export { conflictReportSchema, type ConflictReport }

/** The machine report of `sync --json` (docs/contract.md §5): exactly one JSON document on stdout. */

export const quarantineReportSchema = z.object({
    file: z.string(),
    line: z.number().int(),
    column: z.string().nullable(),
    reason: bilingualSchema,
})

export const diffEntrySchema = z.object({
    dataElement: z.string(),
    period: z.string(),
    orgUnit: z.string(),
    categoryOptionCombo: z.string().nullable(),
    channel: z.string(),
    service: z.string().nullable(),
    current: z.string().nullable(),
    next: z.string(),
})
export type DiffEntry = z.infer<typeof diffEntrySchema>

export const syncReportSchema = z.object({
    command: z.literal('sync'),
    runId: z.number().int().nullable(),
    dryRun: z.boolean(),
    startedAt: z.string(),
    finishedAt: z.string(),
    durationMs: z.number(),
    dhis2: z.object({ baseUrl: z.string(), version: z.string().nullable(), reachable: z.boolean() }),
    files: z.array(z.string()),
    linesRead: z.number().int(),
    linesNew: z.number().int(),
    linesChanged: z.number().int(),
    linesUnchanged: z.number().int(),
    linesStale: z.number().int(),
    quarantined: z.number().int(),
    /** Of those, rows the previous run had not quarantined (the others are still quarantined, unchanged). */
    quarantinedNew: z.number().int(),
    quarantine: z.array(quarantineReportSchema),
    periodsRecomputed: z.number().int(),
    valuesSent: z.number().int(),
    valuesAccepted: z.number().int(),
    valuesRejected: z.number().int(),
    valuesWaiting: z.number().int(),
    imported: z.number().int(),
    updated: z.number().int(),
    ignored: z.number().int(),
    deleted: z.number().int(),
    conflicts: z.array(conflictReportSchema),
    requests: z.number().int(),
    bytesSent: z.number().int(),
    metadataInstalled: z.boolean(),
    assignedOrgUnits: z.array(z.string()),
    warnings: z.array(bilingualSchema),
    errors: z.array(bilingualSchema),
    diff: z.array(diffEntrySchema).optional(),
    /** The pharmacy stock leg (issue 4); absent when the run stopped before it. */
    stock: z.custom<StockLegReport>().optional(),
    exitCode: z.number().int(),
})
export type SyncReport = z.infer<typeof syncReportSchema>

import { z } from 'zod'

/**
 * A value refused, by DHIS2's import summary or by the bridge's own pre-flight (docs/contract.md
 * §5, `conflicts`): what every sender and report names, so its own module, below them all.
 */
export const conflictReportSchema = z.object({
    dataElement: z.string().nullable(),
    period: z.string().nullable(),
    orgUnit: z.string().nullable(),
    categoryOptionCombo: z.string().nullable(),
    channel: z.string().nullable(),
    service: z.string().nullable(),
    value: z.string().nullable(),
    errorCode: z.string().nullable(),
    message: z.string(),
    /** Where the refusal came from: DHIS2's import summary or the bridge's own pre-flight. */
    source: z.enum(['dhis2', 'bridge']),
})
export type ConflictReport = z.infer<typeof conflictReportSchema>

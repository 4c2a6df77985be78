import { z } from 'zod'

/** ImportSummary of POST /api/dataValueSets (reference §4.3); unknown fields are tolerated. */
export const importConflictSchema = z.object({
    object: z.string().optional(),
    objects: z.record(z.string(), z.string()).optional(),
    value: z.string().optional(),
    errorCode: z.string().optional(),
    property: z.string().optional(),
    indexes: z.array(z.number().int()).optional(),
})
export type ImportConflict = z.infer<typeof importConflictSchema>

const countSchema = z.object({
    imported: z.number().default(0),
    updated: z.number().default(0),
    ignored: z.number().default(0),
    deleted: z.number().default(0),
})

export const importSummarySchema = z.object({
    responseType: z.string().optional(),
    status: z.enum(['SUCCESS', 'WARNING', 'ERROR', 'OK']),
    description: z.string().optional(),
    importCount: countSchema.default({ imported: 0, updated: 0, ignored: 0, deleted: 0 }),
    conflicts: z.array(importConflictSchema).default([]),
    rejectedIndexes: z.array(z.number().int()).optional(),
})
export type ImportSummary = z.infer<typeof importSummarySchema>

/** Accepts the WebMessage envelope (2.39+) or a bare summary (API version < 38 on older servers). */
export function parseImportSummary(body: unknown): ImportSummary | null {
    const inner = body && typeof body === 'object' && 'response' in body ? (body as { response: unknown }).response : body
    const parsed = importSummarySchema.safeParse(inner)
    return parsed.success ? parsed.data : null
}

export interface BatchJudgement {
    status: ImportSummary['status']
    counts: z.infer<typeof countSchema>
    /** Payload positions DHIS2 refused (by rejectedIndexes, else by conflict indexes). */
    rejected: Set<number>
    /** Conflicts per payload position, for the report. */
    conflictsByIndex: Map<number, ImportConflict[]>
    /** Conflicts that name no value (header-level, or an aborted import). */
    generalConflicts: ImportConflict[]
    /** True when nothing in the batch was stored (status ERROR). */
    aborted: boolean
}

/**
 * What happened to each value of a batch. Never by HTTP status: 409 carries partial
 * successes on 2.39–2.42 and 200 will carry them from 2.43.
 */
export function judgeBatch(summary: ImportSummary, size: number): BatchJudgement {
    const conflictsByIndex = new Map<number, ImportConflict[]>()
    const generalConflicts: ImportConflict[] = []
    for (const c of summary.conflicts) {
        if (!c.indexes || c.indexes.length === 0) {
            generalConflicts.push(c)
            continue
        }
        for (const i of c.indexes) {
            if (i < 0 || i >= size) continue
            conflictsByIndex.set(i, [...(conflictsByIndex.get(i) ?? []), c])
        }
    }
    const aborted = summary.status === 'ERROR'
    let rejected: Set<number>
    if (aborted) {
        rejected = new Set(Array.from({ length: size }, (_, i) => i))
    } else if (summary.rejectedIndexes) {
        rejected = new Set([...summary.rejectedIndexes.filter((i) => i >= 0 && i < size), ...conflictsByIndex.keys()])
    } else {
        // Servers before 2.39.2 / 2.40.1 have no rejectedIndexes: conflict indexes are all we know.
        rejected = new Set(conflictsByIndex.keys())
    }
    return { status: summary.status, counts: summary.importCount, rejected, conflictsByIndex, generalConflicts, aborted }
}

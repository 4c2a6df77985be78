import { z } from 'zod'

/**
 * Health as the bridge's /healthz, /metrics, alerts, operator page and the app's freshness view
 * say it (docs/installing.md §6): delivery (DHIS2 holds every value the ledger gives) apart from
 * data problems (rows to correct). Zod only: the app imports this file too.
 */
const bilingual = z.object({ fr: z.string(), en: z.string() })

/** The shared words; every surface uses these labels. */
export const HEALTH_WORDS = {
    lastDelivery: { fr: 'Dernière livraison', en: 'Last delivery' },
    lastCleanRun: { fr: 'Dernière exécution entièrement propre', en: 'Last fully clean run' },
    newProblems: { fr: 'Nouveaux problèmes', en: 'New problems' },
    stillQuarantined: { fr: 'Toujours en quarantaine', en: 'Still quarantined' },
    valuesWaiting: { fr: 'Valeurs en attente', en: 'Values waiting' },
} as const

/**
 * A run is a delivery when it reached DHIS2 and, at its end, no value waits and none was refused:
 * quarantined rows do not stop a delivery (they are a data problem, shown apart).
 */
export function isDelivery(run: { exitCode: number; reachable: boolean; valuesRejected: number; valuesWaiting: number }): boolean {
    return (run.exitCode === 0 || run.exitCode === 3) && run.reachable && run.valuesRejected === 0 && run.valuesWaiting === 0
}

export const runPointSchema = z.object({
    id: z.number().int(),
    finishedAt: z.string(),
    exitCode: z.number().int(),
    delivered: z.boolean(),
    linesRead: z.number().int(),
    valuesSent: z.number().int(),
    valuesWaiting: z.number().int(),
    valuesRejected: z.number().int(),
    quarantined: z.number().int(),
    newlyQuarantined: z.number().int(),
})
export type RunPoint = z.infer<typeof runPointSchema>

export const healthSchema = z.object({
    /** ok: delivering, no new problem; problems: delivering, rows or values to look at; failing: not delivering. */
    status: z.enum(['ok', 'problems', 'failing']),
    running: z.boolean(),
    lastRunAt: z.string().nullable(),
    lastRunExitCode: z.number().int().nullable(),
    lastDeliveryAt: z.string().nullable(),
    lastCleanRunAt: z.string().nullable(),
    /** Of the last run: rows quarantined for the first time + values refused + ledger folders without ledger. */
    newProblems: z.number().int(),
    /** Rows quarantined by the last run that the run before had quarantined too, unchanged. */
    stillQuarantined: z.number().int(),
    valuesWaiting: z.number().int(),
    valuesRejected: z.number().int(),
    failedInARow: z.number().int(),
    nextRunAt: z.string().nullable(),
    problems: z.array(bilingual),
})
export type Health = z.infer<typeof healthSchema>

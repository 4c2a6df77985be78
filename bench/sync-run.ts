/**
 * One `revenue-bridge sync` run, the way the CLI does it (resolveConfig from the environment,
 * default configuration: Monthly, Africa/Bamako, batches of dhis2.batchSize = 5 000 values).
 */
import { resolveConfig } from '../bridge/config/load'
import { runSync } from '../bridge/sync/sync'

export interface SyncRunInput {
    stateDir: string
    baseUrl: string
    files: string[]
    /** A bridge configuration file (the slow-link benchmark's MEDEXIS settings); none by default. */
    configFile?: string
}

export interface SyncRunResult {
    exitCode: number
    durationMs: number
    linesRead: number
    linesNew: number
    linesChanged: number
    linesUnchanged: number
    quarantined: number
    periodsRecomputed: number
    valuesSent: number
    valuesAccepted: number
    valuesRejected: number
    requests: number
    bytesSent: number
    /** MEDEXIS records accepted in this run (0 when MEDEXIS is not configured). */
    medexisSent: number
    errors: string[]
}

export const BENCH_CREDENTIALS = { DHIS2_USERNAME: 'bridge', DHIS2_PASSWORD: 'Bridge-2024!' }

export async function syncOnce(input: SyncRunInput): Promise<SyncRunResult> {
    const rc = resolveConfig(input.configFile, { ...BENCH_CREDENTIALS, DHIS2_BASE_URL: input.baseUrl, BRIDGE_STATE_DIR: input.stateDir, BRIDGE_TIME_ZONE: 'Africa/Bamako' })
    const r = await runSync(rc, { ledgerPaths: input.files, dryRun: false })
    return {
        exitCode: r.exitCode,
        durationMs: r.durationMs,
        linesRead: r.linesRead,
        linesNew: r.linesNew,
        linesChanged: r.linesChanged,
        linesUnchanged: r.linesUnchanged,
        quarantined: r.quarantined,
        periodsRecomputed: r.periodsRecomputed,
        valuesSent: r.valuesSent,
        valuesAccepted: r.valuesAccepted,
        valuesRejected: r.valuesRejected,
        requests: r.requests,
        bytesSent: r.bytesSent,
        medexisSent: r.stock?.sent ?? 0,
        errors: r.errors.map((e) => e.en),
    }
}

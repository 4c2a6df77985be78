import type { ResolvedConfig } from '../config/load'
import type { Bilingual } from '../domain/line'
import type { Dhis2Client } from '../dhis2/client'
import type { ConflictReport } from '../report/schema'
import type { StateDb } from '../state/db'
import type { ReconValue } from './summary'

/**
 * The reconciliation totals → the shared DHIS2 outbox (family `recon`) and out through the shared
 * sender. Placeholder until the outbox lands on main (issue 12): nothing is sent yet.
 */
export interface PublishOutcome {
    valuesSent: number
    valuesWaiting: number
    conflicts: ConflictReport[]
    warnings: Bilingual[]
    exitCode: number
}

export async function publishRecon(_db: StateDb, _rc: ResolvedConfig, _client: Dhis2Client | null, _values: ReconValue[], _months: string[], _log?: (m: Bilingual) => void): Promise<PublishOutcome> {
    return { valuesSent: 0, valuesWaiting: 0, conflicts: [], warnings: [], exitCode: 0 }
}

import type { ResolvedConfig } from '../config/load'
import type { Dhis2Client } from '../dhis2/client'
import type { StateDb } from '../state/db'
import type { ReconValue } from './summary'

/**
 * The reconciliation totals → the shared DHIS2 outbox (family `recon`) and out through the shared
 * sender. Placeholder until the outbox lands on main (issue 12): nothing is sent yet.
 */
export async function publishRecon(_db: StateDb, _rc: ResolvedConfig, _client: Dhis2Client | null, _values: ReconValue[], _months: string[]): Promise<{ valuesSent: number; exitCode: number }> {
    return { valuesSent: 0, exitCode: 0 }
}

import { datastoreResource, runSummaryKey } from '../../contract/datastore'
import { facilityRunSummarySchema, type FacilityRunSummary } from '../../contract/run-summary'
import type { Dhis2Client } from './client'

/** Publishes the run summaries the app's "data freshness" view reads (schema: contract/run-summary.ts). */
export async function publishRunSummaries(client: Dhis2Client, summaries: FacilityRunSummary[]): Promise<void> {
    for (const s of summaries) {
        await client.put(datastoreResource(runSummaryKey(s.orgUnit)), facilityRunSummarySchema.parse(s))
    }
}

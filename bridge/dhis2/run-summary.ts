import { datastoreResource, runSummaryKey } from '../../contract/datastore'
import { facilityRunSummarySchema, type FacilityRunSummary } from '../../contract/run-summary'
import type { Dhis2Client } from './client'
import { mapInFlight } from './in-flight'

/**
 * Publishes the run summaries the app's "data freshness" view reads (schema: contract/run-summary.ts).
 * One entry per facility, independent of each other: `inFlight` at once (`dhis2.concurrency`), so
 * that forty facilities cost ten round trips over a slow link, not forty (bench/README.md (6a)).
 */
export async function publishRunSummaries(client: Dhis2Client, summaries: FacilityRunSummary[], inFlight = 1): Promise<void> {
    await mapInFlight(summaries, inFlight, (s) => client.put(datastoreResource(runSummaryKey(s.orgUnit)), facilityRunSummarySchema.parse(s)))
}

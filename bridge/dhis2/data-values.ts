import { z } from 'zod'
import type { Bilingual } from '../domain/line'
import { Dhis2Client, Dhis2UnreachableError } from './client'
import { parseImportSummary, type ImportSummary } from './import-summary'
import { BridgeError, EXIT } from '../errors'

export interface DataValuePayload {
    dataSet: string
    dataValues: Array<{ dataElement: string; period: string; orgUnit: string; categoryOptionCombo: string; value: string }>
}

export interface PostOptions {
    /** Batches larger than this go through async=true and task polling (reference §5). */
    asyncAbove: number
    pollIntervalMs: number
    /** 2.41+ start async jobs from a 20 s scheduler loop and run them one at a time: be patient. */
    maxWaitMs: number
}

const jobSchema = z.object({
    response: z.object({ id: z.string(), relativeNotifierEndpoint: z.string().optional() }).passthrough(),
})
const notificationsSchema = z.array(z.object({ completed: z.boolean().optional(), level: z.string().optional(), message: z.string().optional() }))

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export class ImportSummaryMissing extends BridgeError {
    constructor(reason: Bilingual) {
        super(reason, EXIT.UNEXPECTED)
    }
}

/** POST /api/dataValueSets and return its ImportSummary, synchronously or through the task API. */
export async function postDataValues(client: Dhis2Client, payload: DataValuePayload, opts: PostOptions): Promise<ImportSummary> {
    const params = { importStrategy: 'CREATE_AND_UPDATE' }
    if (payload.dataValues.length <= opts.asyncAbove) {
        const res = await client.post('dataValueSets', payload, params)
        const summary = parseImportSummary(res.data)
        if (!summary) {
            throw new ImportSummaryMissing({ fr: `Réponse de DHIS2 sans résumé d'import (HTTP ${res.status})`, en: `DHIS2 answered without an import summary (HTTP ${res.status})` })
        }
        return summary
    }
    const started = await client.post('dataValueSets', payload, { ...params, async: true })
    const job = jobSchema.safeParse(started.data)
    if (!job.success) {
        throw new ImportSummaryMissing({ fr: `DHIS2 n'a pas lancé l'import asynchrone (HTTP ${started.status})`, en: `DHIS2 did not start the async import (HTTP ${started.status})` })
    }
    const id = job.data.response.id
    const deadline = Date.now() + opts.maxWaitMs
    while (Date.now() < deadline) {
        await sleep(opts.pollIntervalMs)
        const tasks = await client.get(`system/tasks/DATAVALUE_IMPORT/${id}`)
        const notes = notificationsSchema.safeParse(tasks.data ?? [])
        if (!notes.success || !notes.data.some((n) => n.completed)) continue
        // The summary may lag the last notification: an empty 200 body means "not yet".
        for (let i = 0; i < 10 && Date.now() < deadline; i++) {
            const res = await client.get(`system/taskSummaries/DATAVALUE_IMPORT/${id}`)
            const summary = parseImportSummary(res.data)
            if (summary) return summary
            await sleep(opts.pollIntervalMs)
        }
    }
    // The job may still finish on the server; the values stay pending and are re-sent (absolute totals).
    throw new Dhis2UnreachableError({
        fr: `Import asynchrone ${id} non terminé après ${Math.round(opts.maxWaitMs / 1000)} s`,
        en: `Async import ${id} not finished after ${Math.round(opts.maxWaitMs / 1000)} s`,
    })
}

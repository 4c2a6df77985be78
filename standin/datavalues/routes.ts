/**
 * `/api/dataValueSets`: POST (sync and async) with the envelope of reference §4.3, GET (§6).
 */
import type { Request, Response, Router } from 'express'
import { requireAuthority } from '../auth'
import { sendJson, sendWebMessage, webMessage } from '../http'
import { type JobRunner, jobWebMessage } from '../jobs'
import type { StandinState } from '../state'
import { type ImportSummary, importDataValues } from './import'
import { echoImportOptions, parseImportOptions } from './options'
import { parseBody } from './parse'
import { readDataValueSet } from './read'

export function sendImportSummary(req: Request, res: Response, state: StandinState, summary: ImportSummary): void {
    // /api/37/dataValueSets (and below) answer the bare summary on 2.39-2.41; 2.42 always wraps.
    if (req.apiVersion !== undefined && req.apiVersion < 38 && !state.version.v42) return sendJson(res, 200, summary)
    if (summary.status === 'SUCCESS') return sendWebMessage(res, webMessage(200, 'OK', 'Import was successful.', { response: summary }))
    if (summary.status === 'WARNING')
        return sendWebMessage(res, webMessage(409, 'WARNING', 'One more conflicts encountered, please check import summary.', { response: summary }))
    sendWebMessage(res, webMessage(409, 'ERROR', 'An error occurred, please check import summary.', { response: summary, errorCode: null }))
}

function finalNotification(state: StandinState, s: ImportSummary): { message: string; level: 'INFO' | 'WARN' | 'ERROR' } {
    const c = s.importCount
    if (state.version.modernJobs)
        return {
            message: `Import complete with status ${s.status}, ${c.imported} created, ${c.updated} updated, ${c.deleted} deleted, ${c.ignored} ignored`,
            level: s.status === 'ERROR' ? 'ERROR' : 'INFO',
        }
    if (s.status !== 'ERROR') return { message: 'Import done', level: 'INFO' }
    if (s.description.startsWith('The import process failed: ')) return { message: `Process failed: ${s.description.slice('The import process failed: '.length)}`, level: 'ERROR' }
    return { message: 'Import process aborted', level: 'WARN' }
}

export function dataValueRoutes(router: Router, getState: () => StandinState, jobs: JobRunner): void {
    router.post('/dataValueSets', (req, res) => {
        const state = getState()
        requireAuthority(req, state, 'F_DATAVALUE_ADD')
        const options = parseImportOptions(req)
        const user = req.dhisUser!
        const text = req.rawBody ?? ''
        const contentType = req.headers['content-type']
        if (!options.async) {
            const summary = importDataValues({ state, user, options }, parseBody(contentType, text, options.firstRowIsHeader))
            return sendImportSummary(req, res, state, summary)
        }
        const hasCompletion = /"completeDate"\s*:/.test(text)
        const job = jobs.submit({
            type: 'DATAVALUE_IMPORT',
            legacyName: 'dataValueImport',
            jobParameters: echoImportOptions(options),
            startMessages: state.version.modernJobs ? ['Data value set import'] : ['Process started'],
            run: () => {
                const s = getState()
                const summary = importDataValues({ state: s, user, options }, parseBody(contentType, text, options.firstRowIsHeader))
                const stages = s.version.modernJobs
                    ? ['Loading file content', 'Reading data set header', 'Creating import context', 'Run data set validation', 'Importing values (list)']
                    : [...(hasCompletion ? ['Completing data set'] : []), 'Importing data values']
                return { summary, stages, final: finalNotification(s, summary) }
            },
        })
        jobWebMessage(req, res, state, job, echoImportOptions(options))
    })

    router.get('/dataValueSets', (req, res) => {
        const state = getState()
        const body = readDataValueSet(req, state, req.dhisUser!)
        sendJson(res, 200, body, { keepNulls: true })
    })
}

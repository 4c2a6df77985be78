/**
 * Test hooks, in-process (`standin.hooks.*`) and over HTTP under /__standin/ (loopback only, no
 * authentication), so a stand-in started as a child process can be driven too.
 */
import express, { type Request, type Response, type Router } from 'express'
import { refreshAnalytics } from './analytics-routes'
import { formatLocal } from './clock'
import { HttpError, sendJson } from './http'
import type { FailNext, DropNext, Faults, FaultsConfig, RecordedRequest } from './faults'
import type { JobRunner } from './jobs'
import type { ImportReport } from './metadata/import-report'
import type { SeedOrgUnit } from './seed'
import { type BuildOptions, type StandinState, addOrgUnits, fillState } from './state'

export interface StandinHooks {
    /** Same body as POST /__standin/faults. */
    faults(cfg: FaultsConfig): void
    failNext(rule: FailNext): void
    dropNext(rule: DropNext): void
    setLatency(ms: number): void
    clearFaults(): void
    /** 'YYYY-MM-DD', or null for the real date. */
    setToday(date: string | null): void
    /** Copies the raw values into the analytics snapshot now (synchronous). */
    refreshAnalytics(): void
    requests(): RecordedRequest[]
    clearRequests(): void
    /** Back to the seed state (data, metadata, tokens, sessions, jobs, faults, request log). */
    reset(): void
    /** Patches a data set found by code or UID (e.g. `{ expiryDays: 10, openFuturePeriods: 0 }`). */
    patchDataSet(codeOrUid: string, patch: Record<string, unknown>): void
    /** Adds org units (parents by code) through the metadata importer; levels are added as needed. */
    addOrgUnits(units: SeedOrgUnit[]): ImportReport
}

export function createHooks(state: StandinState, build: BuildOptions, faults: Faults, jobs: JobRunner): StandinHooks {
    return {
        faults: (cfg) => faults.configure(cfg),
        failNext: (rule) => faults.configure({ failNext: rule }),
        dropNext: (rule) => faults.configure({ dropNext: rule }),
        setLatency: (ms) => faults.configure({ latencyMs: ms }),
        clearFaults: () => faults.clear(),
        setToday: (date) => state.clock.setToday(date),
        refreshAnalytics: () => refreshAnalytics(state),
        requests: () => [...faults.requests],
        clearRequests: () => {
            faults.requests = []
        },
        reset: () => {
            jobs.cancelAll()
            fillState(state, build)
            faults.clear()
            faults.requests = []
        },
        patchDataSet: (codeOrUid, patch) => {
            const ds = state.metadata.get('dataSets', codeOrUid) ?? state.metadata.byCode('dataSets', codeOrUid)
            if (!ds) throw new HttpError(404, `DataSet with id ${codeOrUid} could not be found.`, 'E1005')
            const allowed = ['expiryDays', 'openFuturePeriods', 'timelyDays', 'periodType', 'dataInputPeriods', 'name', 'shortName']
            const next = { ...ds, lastUpdated: formatLocal(state.clock.now()) }
            for (const [k, v] of Object.entries(patch)) if (allowed.includes(k)) (next as Record<string, unknown>)[k] = v
            state.metadata.put('dataSets', next)
        },
        addOrgUnits: (units) => addOrgUnits(state, units),
    }
}

function isLoopback(req: Request): boolean {
    const a = req.socket.remoteAddress ?? ''
    return a === '127.0.0.1' || a === '::1' || a.startsWith('::ffff:127.') || a.startsWith('127.')
}

function body(req: Request): Record<string, unknown> {
    try {
        const v = JSON.parse(req.rawBody || '{}')
        return v && typeof v === 'object' ? v : {}
    } catch {
        throw new HttpError(400, 'Invalid JSON body', null)
    }
}

export function hookRoutes(hooks: StandinHooks): Router {
    const router = express.Router()
    router.use((req, res, next) => {
        if (!isLoopback(req)) return sendJson(res, 403, { status: 'ERROR', message: 'Test hooks are served on loopback only' })
        next()
    })
    const ok = (res: Response, extra: Record<string, unknown> = {}) => sendJson(res, 200, { status: 'OK', ...extra })
    const guard = (fn: () => void) => {
        try {
            fn()
        } catch (e) {
            if (e instanceof HttpError) throw e
            throw new HttpError(400, (e as Error).message, null)
        }
    }
    router.post('/faults', (req, res) => {
        guard(() => hooks.faults(body(req) as FaultsConfig))
        ok(res)
    })
    router.post('/today', (req, res) => {
        const b = body(req)
        guard(() => hooks.setToday((b.date as string | null | undefined) ?? null))
        ok(res, { today: b.date ?? null })
    })
    router.post('/analytics', (_req, res) => {
        hooks.refreshAnalytics()
        ok(res)
    })
    router.get('/requests', (_req, res) => sendJson(res, 200, hooks.requests(), { keepNulls: true }))
    router.delete('/requests', (_req, res) => {
        hooks.clearRequests()
        ok(res)
    })
    router.post('/reset', (_req, res) => {
        hooks.reset()
        ok(res)
    })
    router.post('/dataSets/:codeOrUid', (req, res) => {
        hooks.patchDataSet(String(req.params.codeOrUid), body(req))
        ok(res)
    })
    router.post('/orgUnits', (req, res) => {
        const b = body(req)
        let report: ImportReport | undefined
        guard(() => {
            report = hooks.addOrgUnits((b.organisationUnits ?? b.units ?? []) as SeedOrgUnit[])
        })
        ok(res, { stats: report?.stats })
    })
    return router
}

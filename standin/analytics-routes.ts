/** The analytics endpoints and the analytics table job (reference §8.3) over the snapshot. */
import type { Router } from 'express'
import { NOT_RUN, runAnalytics } from './analytics'
import { requireAuthority } from './auth'
import { durationText } from './clock'
import { qOne, sendJson } from './http'
import type { JobRunner } from './jobs'
import { jobWebMessage } from './jobs'
import type { StandinState } from './state'

/** Copies the raw values into the analytics snapshot (what the analytics table job does). */
export function refreshAnalytics(state: StandinState): void {
    const started = Date.now()
    state.analytics.snapshot = [...state.dataValues.values()].filter((v) => !v.deleted).map((v) => ({ ...v }))
    state.analytics.lastSuccess = state.clock.now()
    state.analytics.lastRuntimeMs = Date.now() - started
}

export function analyticsRoutes(router: Router, getState: () => StandinState, jobs: JobRunner): void {
    router.get(['/analytics', '/analytics.json'], (req, res) => {
        const state = getState()
        if (!state.analytics.snapshot) return sendJson(res, 409, NOT_RUN)
        const body = runAnalytics(req, state, req.dhisUser!)
        const strategy = String(state.systemSettings.keyCacheStrategy ?? 'NO_CACHE')
        const seconds = ({ CACHE_1_MINUTE: 60, CACHE_5_MINUTES: 300, CACHE_10_MINUTES: 600, CACHE_15_MINUTES: 900, CACHE_30_MINUTES: 1800, CACHE_1_HOUR: 3600 } as Record<string, number>)[
            strategy
        ]
        res.setHeader('Cache-Control', seconds ? `max-age=${seconds}, public` : 'no-cache, private')
        sendJson(res, 200, body)
    })
    router.post('/resourceTables/analytics', (req, res) => {
        const state = getState()
        requireAuthority(req, state, 'F_PERFORM_MAINTENANCE')
        const params: Record<string, unknown> = {
            skipResourceTables: (qOne(req, 'skipResourceTables') ?? '') === 'true',
            skipTableTypes: ['skipEvents', 'skipEnrollment', 'skipOrgUnitOwnership', 'skipAggregate']
                .filter((k) => qOne(req, k) === 'true')
                .map((k) => k.slice(4).toUpperCase()),
        }
        if (qOne(req, 'lastYears')) params.lastYears = Number(qOne(req, 'lastYears'))
        const job = jobs.submit({
            type: 'ANALYTICS_TABLE',
            legacyName: 'inMemoryAnalyticsJob',
            jobParameters: params,
            startMessages: ['Analytics table update process started'],
            run: () => {
                const s = getState()
                const started = Date.now()
                refreshAnalytics(s)
                return {
                    stages: ['Performing pre-create table work', 'Populating analytics tables', 'Swapping analytics tables'],
                    final: { message: `Analytics tables updated: ${durationText(Date.now() - started)}`, level: 'INFO' },
                }
            },
        })
        jobWebMessage(req, res, state, job, params)
    })
}

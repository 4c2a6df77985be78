/**
 * Asynchronous jobs (reference §5): job ids, one job at a time per job type, an optional delay
 * before each start (2.41+ servers wait up to 20 s for the scheduler loop), notification arrays
 * served newest first, task summaries that stay empty until the job is done.
 */
import type { Request, Response, Router } from 'express'
import { formatLocal } from './clock'
import { baseUrl, sendJson, sendWebMessage, webMessage } from './http'
import type { Job, Notification, StandinState } from './state'
import { generateUid } from './uid'

export type JobType = Job['type']

export interface JobOutcome {
    summary?: unknown
    /** Stage messages written while running (before the final one). */
    stages: string[]
    final: { message: string; level: Notification['level'] }
}

export interface JobSpec {
    type: JobType
    /** 2.39/2.40 job name (`dataValueImport`, `inMemoryAnalyticsJob`). */
    legacyName: string
    jobParameters?: Record<string, unknown>
    /** Messages written when the job starts. */
    startMessages: string[]
    run(): JobOutcome
}

export class JobRunner {
    private readonly queues = new Map<JobType, Array<{ job: Job; spec: JobSpec }>>()
    private readonly busy = new Set<JobType>()
    private readonly timers = new Set<NodeJS.Timeout>()
    private generation = 0

    constructor(
        private readonly getState: () => StandinState,
        private readonly delayMs: () => number
    ) {}

    /** Forget queued jobs (reset / close). */
    cancelAll(): void {
        this.generation++
        for (const t of this.timers) clearTimeout(t)
        this.timers.clear()
        this.queues.clear()
        this.busy.clear()
    }

    submit(spec: JobSpec): Job {
        const state = this.getState()
        const created = state.clock.now()
        const name = state.version.modernJobs ? `${spec.type} (${created.getTime()})` : spec.legacyName
        const job: Job = { id: generateUid(), type: spec.type, name, created, notifications: [], status: 'SCHEDULED' }
        state.jobs.set(job.id, job)
        const q = this.queues.get(spec.type) ?? []
        q.push({ job, spec })
        this.queues.set(spec.type, q)
        this.pump(spec.type)
        return job
    }

    private later(fn: () => void, ms: number): void {
        const gen = this.generation
        const t = setTimeout(() => {
            this.timers.delete(t)
            if (gen === this.generation) fn()
        }, ms)
        t.unref?.()
        this.timers.add(t)
    }

    private notify(job: Job, message: string, level: Notification['level'] = 'INFO', completed = false): void {
        const id = generateUid()
        job.notifications.push({ id, uid: id, level, category: job.type, time: formatLocal(this.getState().clock.now()), message, completed })
    }

    private pump(type: JobType): void {
        if (this.busy.has(type)) return
        const next = this.queues.get(type)?.shift()
        if (!next) return
        this.busy.add(type)
        this.later(() => {
            const { job, spec } = next
            job.status = 'RUNNING'
            for (const m of spec.startMessages) this.notify(job, m)
            // Let a poll observe the running job before it completes.
            this.later(() => {
                try {
                    const outcome = spec.run()
                    for (const m of outcome.stages) this.notify(job, m)
                    job.summary = outcome.summary
                    job.status = outcome.final.level === 'ERROR' ? 'FAILED' : 'COMPLETED'
                    this.notify(job, outcome.final.message, outcome.final.level, true)
                } catch (e) {
                    job.status = 'FAILED'
                    this.notify(job, `Process failed: ${(e as Error).message}`, 'ERROR', true)
                }
                this.busy.delete(type)
                this.pump(type)
            }, 5)
        }, Math.max(0, this.delayMs()))
    }
}

/** The job WebMessage answered to an async submission, per version. */
export function jobWebMessage(req: Request, res: Response, state: StandinState, job: Job, jobParameters?: Record<string, unknown>): void {
    const v = state.version
    const response: Record<string, unknown> = {}
    if (v.v42) response.responseType = 'JobConfiguration'
    Object.assign(response, { name: job.name, id: job.id, created: formatLocal(job.created), jobType: job.type })
    if (v.modernJobs && jobParameters) response.jobParameters = jobParameters
    response.relativeNotifierEndpoint = `/api/system/tasks/${job.type}/${job.id}`
    res.setHeader('Location', `${baseUrl(req)}/api/system/tasks/${job.type}`)
    sendWebMessage(res, webMessage(200, 'OK', `Initiated ${job.name}`, { response }))
}

function newestFirst(job: Job, state: StandinState): Notification[] {
    const list = [...job.notifications].reverse()
    // 2.42: a job that stopped without a completed notification reports its last one as completed.
    if (state.version.v42 && list.length && !list[0].completed && (job.status === 'COMPLETED' || job.status === 'FAILED')) return [{ ...list[0], completed: true }]
    return list
}

export function taskRoutes(router: Router, getState: () => StandinState): void {
    router.get('/system/tasks', (_req, res) => {
        const out: Record<string, Record<string, Notification[]>> = {}
        for (const j of getState().jobs.values()) (out[j.type] ??= {})[j.id] = newestFirst(j, getState())
        sendJson(res, 200, out)
    })
    router.get('/system/tasks/:type', (req, res) => {
        const out: Record<string, Notification[]> = {}
        for (const j of getState().jobs.values()) if (j.type === req.params.type) out[j.id] = newestFirst(j, getState())
        sendJson(res, 200, out)
    })
    router.get('/system/tasks/:type/:id', (req, res) => {
        const job = getState().jobs.get(String(req.params.id))
        sendJson(res, 200, job && job.type === req.params.type ? newestFirst(job, getState()) : [])
    })
    router.get('/system/taskSummaries/:type', (req, res) => {
        const out: Record<string, unknown> = {}
        for (const j of getState().jobs.values()) if (j.type === req.params.type && j.summary !== undefined) out[j.id] = j.summary
        sendJson(res, 200, out)
    })
    router.get('/system/taskSummaries/:type/:id', (req, res) => {
        const job = getState().jobs.get(String(req.params.id))
        if (!job || job.type !== req.params.type || job.summary === undefined) {
            // Not finished (or unknown): 200 with an empty body, no JSON at all.
            res.status(200).setHeader('Content-Type', 'application/json;charset=UTF-8')
            return res.end()
        }
        sendJson(res, 200, job.summary)
    })
}

/**
 * DHIS2 Web API stand-in (2.39–2.42): a faithful test double for integration tests (in-process),
 * the demo and browser tests (loopback HTTP). See docs in README and the contract tests in
 * tests/standin/.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Faults } from './faults'
import { type StandinHooks, createHooks } from './hooks'
import { JobRunner } from './jobs'
import { slowLink } from './link'
import { createServer } from './server'
import { type BuildOptions, type StandinState, buildState } from './state'

export interface StandinOptions {
    /** Default '2.41.3'; drives the version matrix (patch level matters: 2.39.2/2.39.5, 2.40.1/2.40.3). */
    version?: string
    /** Default 0 (ephemeral). */
    port?: number
    /** Default '127.0.0.1'. */
    host?: string
    /** 'YYYY-MM-DD' fixed "today" for expiry, future periods and relative periods; default the real date. */
    today?: string
    /** Delay before each async job starts (default 0; 2.41+ real servers wait up to 20 s). */
    asyncDelayMs?: number
    /** Serve this built DHIS2 app at /api/apps/recettes-hospitalieres/. */
    appDir?: string
    /** Default true: also load ../shared/dhis2-fixtures (or STANDIN_FIXTURES_DIR) metadata. */
    seedFixtures?: boolean
    /** Treat requests without credentials or session as this user (browser demos without a login step). */
    autoLoginUser?: string
    /** Round trip of a slow link, added to every request (and once more on a new connection): standin/link.ts. Default 0. */
    latencyMs?: number
    /** Default true: gzip HTML, JSON, JavaScript and CSS as DHIS2's reverse proxy does (docs/serving.md). */
    compress?: boolean
    /** Default true: `ETag`/`Last-Modified`, 304s, a year for content-hashed files, `no-cache` for the rest; false as before (for before/after measurements). */
    appCache?: boolean
}

export interface Standin {
    /** Server root, e.g. http://127.0.0.1:41234 (no /api). */
    url: string
    port: number
    close(): Promise<void>
    hooks: StandinHooks
    /** The live in-memory store (same object across hooks.reset()). */
    state: StandinState
}

export async function startStandin(opts: StandinOptions = {}): Promise<Standin> {
    const build: BuildOptions = { version: opts.version ?? '2.41.3', today: opts.today ?? null, seedFixtures: opts.seedFixtures ?? true }
    const state = buildState(build)
    const faults = new Faults(slowLink(opts.latencyMs))
    const jobs = new JobRunner(() => state, () => opts.asyncDelayMs ?? 0)
    const hooks = createHooks(state, build, faults, jobs)
    const app = createServer(() => state, hooks, faults, jobs, {
        appDir: opts.appDir,
        asyncDelayMs: opts.asyncDelayMs,
        autoLoginUser: opts.autoLoginUser,
        compress: opts.compress,
        appCache: opts.appCache,
    })
    const server = http.createServer(app)
    server.keepAliveTimeout = 5000
    const host = opts.host ?? '127.0.0.1'
    await new Promise<void>((resolve, reject) => {
        server.once('error', reject)
        server.listen(opts.port ?? 0, host, () => {
            server.off('error', reject)
            resolve()
        })
    })
    const port = (server.address() as AddressInfo).port
    return {
        url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
        port,
        hooks,
        state,
        close: () =>
            new Promise<void>((resolve) => {
                jobs.cancelAll()
                server.close(() => resolve())
                server.closeAllConnections?.()
            }),
    }
}

export { seedTokenFor } from './pat'
export type { StandinHooks } from './hooks'
export type { StandinState, DataValueRecord, UserRecord, Job } from './state'
export type { FaultsConfig, RecordedRequest } from './faults'
export type { SeedOrgUnit } from './seed'
export { SEED_ORG_UNITS, SEED_USERS, orgUnitUid } from './seed'
export { DEFAULTS } from './metadata/store'

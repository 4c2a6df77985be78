/**
 * The stand-in's in-memory store (exported for tests that inspect stored values) and how it is
 * seeded: default category model, Mali hierarchy, users, the bridge's token, and the fixture
 * metadata from ../shared/dhis2-fixtures loaded through the same code path as POST /api/metadata.
 */
import fs from 'node:fs'
import path from 'node:path'
import { Clock, formatLocal } from './clock'
import { importMetadata } from './metadata/import'
import { DEFAULT_METADATA_PARAMS, type ImportReport } from './metadata/import-report'
import { MetadataStore } from './metadata/store'
import { seedTokenFor } from './pat'
import { SEED_LEVELS, SEED_ORG_UNITS, SEED_USERS, type SeedOrgUnit, defaultCategoryPayload, levelUid, orgUnitPayload, orgUnitUid, userUid } from './seed'
import { uidFromSeed } from './uid'
import { type VersionInfo, parseVersion } from './version'

export interface UserRecord {
    id: string
    username: string
    password: string
    firstName: string
    surname: string
    email?: string
    authorities: string[]
    roleName: string
    /** Capture (data entry) org unit UIDs. */
    organisationUnits: string[]
    dataViewOrganisationUnits: string[]
    teiSearchOrganisationUnits: string[]
    settings: Record<string, string>
    disabled?: boolean
    created: string
}

export interface TokenAttribute {
    type: string
    allowedIps?: string[]
    allowedMethods?: string[]
    allowedReferrers?: string[]
}

export interface TokenRecord {
    uid: string
    key: string
    userId: string
    expire?: number
    attributes: TokenAttribute[]
    created: string
}

export interface DataValueRecord {
    dataElement: string
    period: string
    orgUnit: string
    categoryOptionCombo: string
    attributeOptionCombo: string
    value: string | null
    storedBy: string
    created: Date
    lastUpdated: Date
    comment: string | null
    followup: boolean
    deleted: boolean
}

export interface Registration {
    dataSet: string
    period: string
    organisationUnit: string
    attributeOptionCombo: string
    date: string
    storedBy: string
    completed: boolean
    lastUpdated: Date
    lastUpdatedBy: string
}

export interface DataStoreEntry {
    id: string
    /** The JSON text as stored (values are returned verbatim). */
    json: string
    created: Date
    lastUpdated: Date
    createdBy?: string
    lastUpdatedBy?: string
}

export type Namespaces = Map<string, Map<string, DataStoreEntry>>

export interface Notification {
    id: string
    uid: string
    level: 'INFO' | 'WARN' | 'ERROR' | 'LOOP' | 'DEBUG'
    category: string
    time: string
    message: string
    completed: boolean
}

export interface Job {
    id: string
    type: 'DATAVALUE_IMPORT' | 'ANALYTICS_TABLE'
    name: string
    created: Date
    /** Chronological; served newest first. */
    notifications: Notification[]
    /** Set when the job is done (the bare ImportSummary for imports). */
    summary?: unknown
    status: 'SCHEDULED' | 'RUNNING' | 'COMPLETED' | 'FAILED'
}

export interface StandinState {
    version: VersionInfo
    clock: Clock
    metadata: MetadataStore
    users: UserRecord[]
    tokens: Map<string, TokenRecord>
    /** JSESSIONID → user id */
    sessions: Map<string, string>
    /** Raw data values keyed by dataValueKey(). */
    dataValues: Map<string, DataValueRecord>
    registrations: Map<string, Registration>
    /** The analytics snapshot: copied from dataValues only by an analytics table run. */
    analytics: { snapshot: DataValueRecord[] | null; lastSuccess: Date | null; lastRuntimeMs: number | null }
    dataStore: Namespaces
    userDataStore: Map<string, Namespaces>
    jobs: Map<string, Job>
    systemSettings: Record<string, unknown>
}

export function dataValueKey(de: string, pe: string, ou: string, coc: string, aoc: string): string {
    return `${de}|${pe}|${ou}|${coc}|${aoc}`
}

export interface BuildOptions {
    version: string
    today: string | null
    seedFixtures: boolean
}

function findRepoRoot(): string | null {
    let dir = __dirname
    for (let i = 0; i < 8; i++) {
        const pkg = path.join(dir, 'package.json')
        if (fs.existsSync(pkg)) {
            try {
                if (JSON.parse(fs.readFileSync(pkg, 'utf8')).name === 'recettes-hospitalieres') return dir
            } catch {
                /* keep looking */
            }
        }
        const up = path.dirname(dir)
        if (up === dir) break
        dir = up
    }
    return null
}

/** `STANDIN_FIXTURES_DIR`, else `<repo>/../shared/dhis2-fixtures`; null when absent. */
export function fixturesDir(): string | null {
    if (process.env.STANDIN_FIXTURES_DIR) return process.env.STANDIN_FIXTURES_DIR
    const root = findRepoRoot()
    const dir = root ? path.resolve(root, '..', 'shared', 'dhis2-fixtures') : null
    return dir && fs.existsSync(dir) ? dir : null
}

function seedImport(state: StandinState, payload: Record<string, unknown>, what: string): ImportReport {
    const report = importMetadata(state.metadata, payload, { ...DEFAULT_METADATA_PARAMS, now: state.clock.now() })
    if (report.status !== 'OK') {
        const errors = report.typeReports.flatMap((t) => t.objectReports.flatMap((o) => o.errorReports.map((e) => e.message)))
        throw new Error(`DHIS2 stand-in: seeding ${what} failed: ${errors.join('; ')}`)
    }
    return report
}

export function buildState(opts: BuildOptions): StandinState {
    const state = {} as StandinState
    fillState(state, opts)
    return state
}

/** (Re)fills `state` in place, so references held by tests stay valid across a reset. */
export function fillState(state: StandinState, opts: BuildOptions): void {
    const version = parseVersion(opts.version)
    Object.assign(state, {
        version,
        clock: new Clock(opts.today),
        metadata: new MetadataStore(),
        users: [],
        tokens: new Map(),
        sessions: new Map(),
        dataValues: new Map(),
        registrations: new Map(),
        analytics: { snapshot: null, lastSuccess: null, lastRuntimeMs: null },
        dataStore: new Map(),
        userDataStore: new Map(),
        jobs: new Map(),
        systemSettings: {
            applicationTitle: 'DHIS 2 — Mali (stand-in)',
            helpPageLink: 'https://docs.dhis2.org',
            keyUiLocale: 'fr',
            keyDbLocale: 'fr',
            keyAnalysisDisplayProperty: 'name',
            keyCacheStrategy: 'CACHE_1_MINUTE',
            keyAnalyticsMaxLimit: 100000,
            analyticsFinancialYearStart: 'FINANCIAL_YEAR_OCTOBER',
        },
    } satisfies StandinState)

    seedImport(state, defaultCategoryPayload(), 'default categories')
    seedImport(state, { organisationUnitLevels: SEED_LEVELS.map((l) => ({ id: levelUid(l.level), name: l.name, level: l.level })) }, 'levels')
    seedImport(state, { organisationUnits: orgUnitPayload(SEED_ORG_UNITS) }, 'org units')

    for (const u of SEED_USERS) {
        state.users.push({
            id: userUid(u.username),
            username: u.username,
            password: u.password,
            firstName: u.firstName,
            surname: u.surname,
            authorities: u.authorities,
            roleName: u.roleName,
            organisationUnits: u.capture.map(orgUnitUid),
            dataViewOrganisationUnits: u.view.map(orgUnitUid),
            teiSearchOrganisationUnits: [],
            settings: { ...u.settings },
            created: formatLocal(state.clock.now()),
        })
    }
    const bridge = state.users.find((u) => u.username === 'bridge')!
    const token = seedTokenFor(version.version)
    state.tokens.set(token, { uid: uidFromSeed('token:bridge'), key: token, userId: bridge.id, attributes: [], created: formatLocal(state.clock.now()) })

    if (opts.seedFixtures) loadFixtures(state)
}

function loadFixtures(state: StandinState): void {
    const dir = fixturesDir()
    if (!dir) return
    for (const file of fs.readdirSync(dir).filter((f) => /^metadata_.*\.json$/.test(f)).sort()) {
        const payload = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>
        seedImport(state, payload, file)
    }
    const useCases = path.join(dir, 'datastore_USE_CASES_stockUseCases.json')
    if (fs.existsSync(useCases)) {
        const now = state.clock.now()
        state.dataStore.set(
            'USE_CASES',
            new Map([['stockUseCases', { id: uidFromSeed('ds:USE_CASES/stockUseCases'), json: JSON.stringify(JSON.parse(fs.readFileSync(useCases, 'utf8'))), created: now, lastUpdated: now }]])
        )
    }
}

/** Adds org units (e.g. 200 benchmark facilities) through the metadata import; parents by code. */
export function addOrgUnits(state: StandinState, units: SeedOrgUnit[]): ImportReport {
    const idOf = (code: string) => state.metadata.byCode('organisationUnits', code)?.id ?? units.find((u) => u.code === code)?.id
    const report = seedImport(state, { organisationUnits: orgUnitPayload(units, idOf) }, 'added org units')
    const maxLevel = Math.max(...state.metadata.all('organisationUnits').map((o) => state.metadata.level(o.id)))
    const levels = new Set(state.metadata.all('organisationUnitLevels').map((l) => l.level))
    const missing = []
    for (let l = 1; l <= maxLevel; l++) if (!levels.has(l)) missing.push({ id: levelUid(l), name: `Niveau ${l}`, level: l })
    if (missing.length) seedImport(state, { organisationUnitLevels: missing }, 'levels')
    return report
}

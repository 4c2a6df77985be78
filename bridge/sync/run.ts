import type { ResolvedConfig } from '../config/load'
import type { Bilingual, QuarantineEntry } from '../domain/line'
import type { Dhis2Client } from '../dhis2/client'
import type { LiveMetadata, TargetCodes } from '../dhis2/metadata'
import type { OrgUnitResolver } from '../dhis2/org-units'
import type { Outbox } from '../dhis2/outbox'
import { emptyTally, type SendTally } from '../dhis2/sender'
import type { AggregationContext } from '../aggregate'
import type { ConflictReport } from '../report/conflict'
import type { DiffEntry } from '../report/schema'
import type { Lang } from '../report/lang'
import type { StateDb } from '../state/db'
import { isNewlyQuarantined, previousQuarantine } from '../state/quarantine-novelty'
import type { LineStore } from '../state/lines'
import type { RunStore } from '../state/runs'
import type { StockLegReport } from '../stock/leg'

/** Per facility code, for the data store run summaries the dashboards read. */

/** What a sync is asked (bridge/sync/sync.ts runSync): the command's options, the scheduler's, verify --repair's. */
export interface SyncOptions {
    ledgerPaths: string[]
    dryRun: boolean
    /** Progress for people (stderr); silent in --json mode. */
    log?: (m: Bilingual) => void
    /** Rows per second and time left on stderr for long reads: only in a terminal, never with --json or the scheduler. */
    progress?: boolean
    lang?: Lang
    now?: () => Date
    /** verify --repair: send what waits without reading the ledger (docs/traceability.md). */
    skipLedger?: boolean
}

export interface FacilityTally {
    linesRead: number
    quarantined: number
    valuesSent: number
    conflicts: number
}

/**
 * Everything one sync run finds out, gathered as the stages go: the report, the stored run and
 * the exit code (exit-code.ts) are all read from it. Stages add to it; none keeps results of its own.
 */
export class Run {
    readonly warnings: Bilingual[]
    readonly errors: Bilingual[] = []
    readonly conflicts: ConflictReport[] = []
    readonly quarantine: QuarantineEntry[] = []
    readonly counts = { read: 0, new: 0, changed: 0, unchanged: 0, stale: 0 }
    /** What the revenue push went through (its conflicts are this run's conflicts). */
    readonly totals: SendTally
    readonly perFacility = new Map<string, FacilityTally>()
    /** Retries per reason: a run that recovered still says what it went through. */
    readonly retries = new Map<string, number>()
    readonly assigned: string[] = []
    files: string[] = []
    recomputed = 0
    /** Facility|period scopes recomputed in this run. */
    scopes: string[] = []
    version: string | null = null
    live: LiveMetadata | null = null
    unreachable = false
    metadataInstalled = false
    diff: DiffEntry[] | undefined
    stock: StockLegReport | null = null
    /** Set when an error stopped the run: its exit code wins (exit-code.ts). */
    stoppedWith: number | null = null

    constructor(
        readonly id: number,
        readonly started: Date,
        configWarnings: Bilingual[]
    ) {
        this.warnings = [...configWarnings]
        this.totals = emptyTally(this.conflicts)
    }

    tally(code: string | undefined): FacilityTally {
        const k = code ?? ''
        let t = this.perFacility.get(k)
        if (!t) this.perFacility.set(k, (t = { linesRead: 0, quarantined: 0, valuesSent: 0, conflicts: 0 }))
        return t
    }

    private fresh: QuarantineEntry[] | null = null

    /**
     * This run's quarantined rows that the previous finished sync run did not have (contract/health.ts):
     * asked by the data store summaries and by the report, read from the state once.
     */
    newlyQuarantined(db: StateDb): QuarantineEntry[] {
        if (this.fresh) return this.fresh
        if (!this.quarantine.length) return (this.fresh = [])
        const previous = previousQuarantine(db, this.id)
        return (this.fresh = this.quarantine.filter((q) => isNewlyQuarantined(previous, q)))
    }

    retried(reason: string): void {
        this.retries.set(reason, (this.retries.get(reason) ?? 0) + 1)
    }

    /** DHIS2 could be reached and its metadata is known. */
    get online(): boolean {
        return !this.unreachable && this.live !== null
    }
}

/** What the stages share: configuration, state stores, the DHIS2 client, the clock and the log. */
export interface SyncContext {
    rc: ResolvedConfig
    opts: SyncOptions
    db: StateDb
    runs: RunStore
    lines: LineStore
    /** The `revenue` family of the DHIS2 outbox. */
    values: Outbox
    client: Dhis2Client
    /** Null client when DHIS2 could not be reached: what the state remembers answers. */
    resolver: OrgUnitResolver
    codes: TargetCodes
    aggCtx: AggregationContext
    now: () => Date
    iso: () => string
    log: (m: Bilingual) => void
}

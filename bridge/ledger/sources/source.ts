import type { Bilingual } from '../../domain/line'
import type { StateDb } from '../../state/db'
import type { LedgerItem } from '../csv-source'
import type { NormaliseContext } from '../normalise'
import type { Progress } from './progress'
import type { SourceStats } from './tabular'

export interface LedgerSource {
    /** Shown in reports and used as `file` in quarantine entries (the file path, or the configured source name). */
    name: string
    read(ctx: NormaliseContext): AsyncIterable<LedgerItem>
    /** Called by the sync after the ingested lines of this source are committed: advance the cursor / remember the file hash. Never before. */
    commit(db: StateDb): void
    /** Counts of the last read (rows, lines, quarantined, excluded by mapping.exclude, title rows). */
    readonly stats?: SourceStats
    /** What kind of connector (for reports): file, folder, sql, http. */
    readonly kind?: SourceKind
    /** Where the next read starts (SQL cursor, HTTP since value), for config check. */
    position?(): unknown
}

export type SourceKind = 'file' | 'folder' | 'sql' | 'http'

/** What the sources get from openLedgerSources. */
export interface SourceDeps {
    env: NodeJS.ProcessEnv
    now: () => Date
    log: (m: Bilingual) => void
    /** A progress line for a long read, or null when progress is off. */
    progress: ((label: string) => Progress) | null
}

import type { LocalConfig } from '../../config/load'
import type { Bilingual } from '../../domain/line'
import type { Lang } from '../../report/lang'
import type { StateDb } from '../../state/db'
import { describeEmptyLedgerFolder } from '../paths'
import { expandSourcePaths, FileSource, openFileSources, openFolderSources, SOURCE_EXTENSIONS } from './files'
import { HttpSource } from './http'
import { Progress, type ProgressSink } from './progress'
import type { LedgerSource, SourceDeps } from './source'
import { SqlSource } from './sql'

export type { LedgerSource } from './source'
export type { SourceStats } from './tabular'
export { LedgerSourceError } from './errors'
export { expandSourcePaths, SOURCE_EXTENSIONS } from './files'
export { PRESETS } from './presets'

export interface OpenSourcesOptions {
    /** Progress lines on `stderr` for long reads: pass true only when stderr is a TTY and not --json / scheduler. */
    progress?: boolean
    lang?: Lang
    /** Notes for people (files already read, cursor reset); silent by default. */
    log?: (m: Bilingual) => void
    /** Where secrets are read (default process.env). */
    env?: NodeJS.ProcessEnv
    stderr?: ProgressSink
    now?: () => Date
    /** A folder given as a ledger with no ledger file at its top level (docs/installing.md §9). */
    onWarning?: (w: Bilingual & { code: string }) => void
    /** Files only (paths, mapped files, watched folders): `setup` reads no SQL or HTTP source (a whole billing database is costly to read at setup; sync assigns what it meets). */
    filesOnly?: boolean
}

/**
 * Every ledger source of a run, in reading order (later wins ties, docs/contract.md §2):
 *   1. `ledger.paths` then the CLI `--ledger` paths, expanded together exactly as before
 *      (files in the order given, folders in file-name order, a file once) — canonical CSV, and
 *      now canonical XLSX too;
 *   2. `ledger.sources`, in configuration order: mapped files (one source per file), the new
 *      files of watched folders (one per file), SQL, HTTP.
 * Throws LedgerPathError (bilingual, exit 2) for a path or folder that does not exist.
 * Connections are made by read(), so a source that cannot be reached fails alone.
 */
export async function openLedgerSources(
    rc: Pick<LocalConfig, 'config'>,
    cliPaths: string[],
    db: StateDb,
    opts: OpenSourcesOptions = {}
): Promise<LedgerSource[]> {
    const sink = opts.stderr ?? process.stderr
    const lang = opts.lang ?? 'fr'
    const now = opts.now ?? (() => new Date())
    const deps: SourceDeps = {
        env: opts.env ?? process.env,
        now,
        log: opts.log ?? (() => undefined),
        progress: opts.progress ? (label) => new Progress(label, sink, { lang, now: () => now().getTime() }) : null,
    }
    const out: LedgerSource[] = []
    const paths = [...rc.config.ledger.paths, ...cliPaths]
    for (const p of paths) {
        const empty = await describeEmptyLedgerFolder(p, SOURCE_EXTENSIONS)
        if (empty) opts.onWarning?.(empty)
    }
    for (const f of await expandSourcePaths(paths)) out.push(new FileSource(f, f, { mapping: null }, deps))
    for (const cfg of rc.config.ledger.sources ?? []) {
        if (cfg.type === 'file') out.push(...(await openFileSources(cfg, deps)))
        else if (cfg.type === 'folder') out.push(...(await openFolderSources(cfg, db, deps)))
        else if (opts.filesOnly) continue
        else if (cfg.type === 'sql') out.push(new SqlSource(cfg, db, deps))
        else out.push(new HttpSource(cfg, db, deps))
    }
    return out
}

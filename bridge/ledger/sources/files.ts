import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { FileSourceConfig, FolderSourceConfig } from '../../config/sources'
import type { StateDb } from '../../state/db'
import { ledgerFileError, readCsvLedgerFromChunks, type LedgerItem } from '../csv-source'
import type { NormaliseContext } from '../normalise'
import { expandLedgerPaths, folderLedgerFiles, LedgerPathError, statLedgerPath } from '../paths'
import { csvRows } from './csv-rows'
import { CANONICAL_MAPPING, resolveMapping, type ResolvedMapping } from './mapping'
import type { LedgerSource, SourceDeps, SourceKind } from './source'
import { fileSeen, rememberFile } from './state'
import type { CellOptions } from './cells'
import { newStats, tableItems, type SourceStats, type TableRow } from './tabular'
import { xlsxRows } from './xlsx-rows'

/** File types a ledger folder is scanned for (docs/contract.md §5: every .csv and other supported types). */
export const SOURCE_EXTENSIONS: readonly string[] = ['.csv', '.xlsx']

/**
 * docs/contract.md §5, as bridge/ledger/paths.ts, with XLSX: files in the order given; a folder becomes its
 * .csv and .xlsx files (not sub-folders) in file-name byte order; a file met twice is read once,
 * at its first place; a missing path throws LedgerPathError.
 */
export function expandSourcePaths(paths: string[], extensions: readonly string[] = SOURCE_EXTENSIONS): Promise<string[]> {
    return expandLedgerPaths(paths, extensions)
}

/** The file's bytes, counted for progress; errors as readCsvLedger reports them. */
async function* fileChunks(file: string, onBytes: (n: number, total: number) => void): AsyncGenerator<Buffer> {
    let stream: fs.ReadStream
    let total = 0
    try {
        const st = await fs.promises.stat(file)
        if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' })
        total = st.size
        stream = fs.createReadStream(file, { highWaterMark: 64 * 1024 })
    } catch (e) {
        throw ledgerFileError(file, e)
    }
    let read = 0
    try {
        for await (const c of stream) {
            read += (c as Buffer).length
            onBytes(read, total)
            yield c as Buffer
        }
    } catch (e) {
        throw ledgerFileError(file, e)
    } finally {
        stream.destroy()
    }
}

/**
 * A CSV or XLSX file as table rows, with the cell options its reader needs (shared by the ledger's
 * mapped files and by statements and cash counts, bridge/reconcile/sources.ts).
 */
export function openTable(
    file: string,
    mapping: ResolvedMapping,
    sheet: string | number | undefined,
    onFraction: (f: number | null) => void = () => undefined,
    onBytes: (n: number, total: number) => void = (n, total) => onFraction(total > 0 ? n / total : null)
): { rows: AsyncIterable<TableRow>; cells: CellOptions; strictWidth: boolean } {
    const xlsx = path.extname(file).toLowerCase() === '.xlsx'
    let date1904 = false
    let total = 0
    const rows = xlsx
        ? (async function* () {
              total = await fs.promises.stat(file).then((s) => s.size, () => 0)
              yield* xlsxRows(file, { sheet, onBytes: (n) => onFraction(total ? Math.min(1, n / total) : null), onDate1904: (v) => (date1904 = v) })
          })()
        : csvRows(fileChunks(file, onBytes), { delimiter: mapping.delimiter, encoding: mapping.encoding })
    const cells: CellOptions = {
        spreadsheet: xlsx,
        get date1904() {
            return date1904
        },
    }
    return { rows, cells, strictWidth: !xlsx }
}

export interface FileReadOptions {
    /** null: a canonical ledger (docs/contract.md §2 columns), read exactly like readCsvLedger. */
    mapping: ResolvedMapping | null
    sheet?: string | number
}

/** One file, read on every run; nothing to remember. */
export class FileSource implements LedgerSource {
    readonly stats: SourceStats
    /** Set when a read went to the end (a watched folder remembers the file only then). */
    complete = false
    readonly kind: SourceKind

    constructor(
        readonly name: string,
        private readonly file: string,
        private readonly opts: FileReadOptions,
        private readonly deps: SourceDeps,
        private readonly onCommit: ((db: StateDb) => void) | null = null
    ) {
        this.kind = onCommit ? 'folder' : 'file'
        this.stats = newStats(opts.mapping?.exclude.length ?? 0)
    }

    async *read(ctx: NormaliseContext): AsyncGenerator<LedgerItem> {
        this.complete = false
        const meter = this.deps.progress?.(path.basename(this.file)) ?? null
        let fraction: number | null = null
        const onBytes = (n: number, total: number) => {
            fraction = total > 0 ? n / total : null
        }
        const xlsx = path.extname(this.file).toLowerCase() === '.xlsx'
        let items: AsyncIterable<LedgerItem>
        if (!xlsx && !this.opts.mapping) {
            items = readCsvLedgerFromChunks(fileChunks(this.file, onBytes), this.file, ctx)
        } else {
            const t = openTable(this.file, this.opts.mapping ?? CANONICAL_MAPPING, this.opts.sheet, (f) => (fraction = f), onBytes)
            items = tableItems(t.rows, { ...t, file: this.file, mapping: this.opts.mapping ?? CANONICAL_MAPPING, ctx, stats: this.stats })
        }
        try {
            let n = 0
            for await (const item of items) {
                if (!this.opts.mapping && !xlsx) {
                    // The canonical reader keeps no stats of its own.
                    this.stats.rows++
                    if (item.kind === 'line') this.stats.lines++
                    else this.stats.quarantined++
                }
                yield item
                meter?.update(++n, fraction)
            }
            this.complete = true
        } finally {
            meter?.done()
        }
    }

    commit(db: StateDb): void {
        if (this.complete) this.onCommit?.(db)
    }
}

export function mappingOf(cfg: Pick<FileSourceConfig, 'preset' | 'mapping'>): ResolvedMapping | null {
    return cfg.preset || cfg.mapping ? resolveMapping(cfg.preset, cfg.mapping) : null
}

/** `type: file`: every file of the paths, every run. */
export async function openFileSources(cfg: FileSourceConfig, deps: SourceDeps): Promise<LedgerSource[]> {
    const files = await expandSourcePaths(cfg.paths)
    const mapping = mappingOf(cfg)
    return files.map((f) => new FileSource(f, f, { mapping, sheet: cfg.sheet }, deps))
}

async function sha256(file: string): Promise<{ hash: string; size: number }> {
    const h = createHash('sha256')
    let size = 0
    for await (const c of fs.createReadStream(file)) {
        h.update(c as Buffer)
        size += (c as Buffer).length
    }
    return { hash: h.digest('hex'), size }
}

/**
 * `type: folder`: the files whose content this source has not read yet (by SHA-256: a file
 * copied under another name is not read twice; a file replaced by new content is read again).
 * The hash is taken before the read and remembered by commit, so content that changes during
 * the read is read again next time, never skipped.
 */
export async function openFolderSources(cfg: FolderSourceConfig, db: StateDb, deps: SourceDeps): Promise<LedgerSource[]> {
    const st = await statLedgerPath(cfg.path)
    if (!st.isDirectory()) {
        throw new LedgerPathError(cfg.path, { fr: `« ${cfg.path} » n'est pas un dossier (source ${cfg.name}, clé path)`, en: `"${cfg.path}" is not a folder (source ${cfg.name}, key path)` })
    }
    const files = await folderLedgerFiles(cfg.path, cfg.extensions)
    const mapping = mappingOf(cfg)
    const out: LedgerSource[] = []
    let seen = 0
    let young = 0
    const now = deps.now().getTime()
    for (const file of files) {
        const fst = await fs.promises.stat(file)
        if (now - fst.mtimeMs < cfg.minAgeSeconds * 1000) {
            young++
            continue
        }
        const { hash, size } = await sha256(file)
        if (fileSeen(db, cfg.name, hash)) {
            seen++
            continue
        }
        const rel = path.relative(cfg.path, file)
        out.push(new FileSource(file, file, { mapping, sheet: cfg.sheet }, deps, (d) => rememberFile(d, cfg.name, hash, rel, size, deps.now().toISOString())))
    }
    if (seen || young) {
        deps.log({
            fr: `Dossier ${cfg.name} : ${out.length} fichier(s) à lire, ${seen} déjà lu(s)${young ? `, ${young} trop récent(s) (moins de ${cfg.minAgeSeconds} s, lu(s) au prochain passage)` : ''}`,
            en: `Folder ${cfg.name}: ${out.length} file(s) to read, ${seen} already read${young ? `, ${young} too recent (under ${cfg.minAgeSeconds} s, read next time)` : ''}`,
        })
    }
    return out
}

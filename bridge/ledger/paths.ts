import fs from 'node:fs'
import path from 'node:path'
import type { Bilingual } from '../domain/line'
import { BridgeError, EXIT } from '../errors'

/** File types a folder is scanned for (lower-case extensions; add '.xlsx' with its reader). */
export const SUPPORTED_LEDGER_EXTENSIONS: readonly string[] = ['.csv']

export class LedgerPathError extends BridgeError {
    constructor(
        readonly path: string,
        reason: Bilingual
    ) {
        super(reason, EXIT.CONFIG)
        this.name = 'LedgerPathError'
    }
}

/** Spreadsheet lock files and hidden files sit next to exports; they are not ledgers. */
function isCandidate(name: string, extensions: readonly string[]): boolean {
    if (name.startsWith('.') || name.startsWith('~$')) return false
    return extensions.includes(path.extname(name).toLowerCase())
}

function byteOrder(a: string, b: string): number {
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

/** stat, with a missing or unreachable path as a bilingual LedgerPathError. */
export async function statLedgerPath(p: string): Promise<fs.Stats> {
    try {
        return await fs.promises.stat(p)
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code
        throw new LedgerPathError(
            p,
            code === 'ENOENT' || code === 'ENOTDIR'
                ? { fr: `Registre introuvable : « ${p} » n'existe pas`, en: `Ledger not found: "${p}" does not exist` }
                : { fr: `Registre inaccessible « ${p} » : ${(e as Error).message}`, en: `Ledger not accessible "${p}": ${(e as Error).message}` }
        )
    }
}

/** A folder's files with these extensions (not its sub-folders; links to files followed), in file-name byte order. */
export async function folderLedgerFiles(p: string, extensions: readonly string[]): Promise<string[]> {
    let entries: fs.Dirent[]
    try {
        entries = await fs.promises.readdir(p, { withFileTypes: true })
    } catch (e) {
        throw new LedgerPathError(p, { fr: `Dossier illisible « ${p} » : ${(e as Error).message}`, en: `Cannot read folder "${p}": ${(e as Error).message}` })
    }
    const names: string[] = []
    for (const e of entries) {
        if (!isCandidate(e.name, extensions)) continue
        const full = path.join(p, e.name)
        const isFile = e.isFile() || (e.isSymbolicLink() && (await fs.promises.stat(full).then((s) => s.isFile(), () => false)))
        if (isFile) names.push(e.name)
    }
    return names.sort(byteOrder).map((n) => path.join(p, n))
}

/**
 * docs/contract.md §5 --ledger: files in the order given; a folder becomes its files with these extensions
 * (not its sub-folders) in file-name byte order. A file met twice is read once, at its first
 * place. A path that does not exist throws LedgerPathError (bilingual).
 */
export async function expandLedgerPaths(paths: string[], extensions: readonly string[] = SUPPORTED_LEDGER_EXTENSIONS): Promise<string[]> {
    const out: string[] = []
    const seen = new Set<string>()
    for (const p of paths) {
        const st = await statLedgerPath(p)
        for (const f of st.isDirectory() ? await folderLedgerFiles(p, extensions) : [p]) {
            const key = path.resolve(f)
            if (seen.has(key)) continue
            seen.add(key)
            out.push(f)
        }
    }
    return out
}

/** Code carried by the warning below, so that health and alerts count it as a problem. */
export const LEDGER_FOLDER_EMPTY = 'LEDGER_FOLDER_EMPTY'

/**
 * A folder given as a ledger that holds no ledger file at its top level (the exports one level
 * down, say): reading it gives 0 lines, which must not look like success. Names the folder and
 * what it holds instead. Null for a file, a missing path (LedgerPathError elsewhere) or a folder with ledgers.
 */
export async function describeEmptyLedgerFolder(p: string, extensions: readonly string[] = SUPPORTED_LEDGER_EXTENSIONS): Promise<(Bilingual & { code: string }) | null> {
    const st = await fs.promises.stat(p).catch(() => null)
    if (!st?.isDirectory()) return null
    if ((await folderLedgerFiles(p, extensions)).length) return null
    const entries = await fs.promises.readdir(p, { withFileTypes: true }).catch(() => [] as fs.Dirent[])
    const visible = entries.filter((e) => !e.name.startsWith('.'))
    const dirs = visible.filter((e) => e.isDirectory()).map((e) => e.name).sort(byteOrder)
    const withLedgers: string[] = []
    for (const d of dirs) if ((await folderLedgerFiles(path.join(p, d), extensions).catch(() => [])).length) withLedgers.push(d)
    const others = visible.filter((e) => !e.isDirectory()).map((e) => e.name).sort(byteOrder)
    const list = (xs: string[]) => xs.slice(0, 5).join(', ') + (xs.length > 5 ? ', …' : '')
    const exts = extensions.join(' ')
    const held = {
        fr: visible.length === 0 ? 'il est vide' : [dirs.length ? `${dirs.length} sous-dossier(s) (${list(dirs)})` : '', others.length ? `${others.length} autre(s) fichier(s) (${list(others)})` : ''].filter(Boolean).join(' et '),
        en: visible.length === 0 ? 'it is empty' : [dirs.length ? `${dirs.length} sub-folder(s) (${list(dirs)})` : '', others.length ? `${others.length} other file(s) (${list(others)})` : ''].filter(Boolean).join(' and '),
    }
    const hint = withLedgers.length
        ? { fr: ` ; des registres sont dans ${list(withLedgers)} : indiquez ce(s) sous-dossier(s)`, en: `; ledgers sit in ${list(withLedgers)}: point at that sub-folder` }
        : { fr: '', en: '' }
    return {
        code: LEDGER_FOLDER_EMPTY,
        fr: `Dossier « ${p} » : aucun fichier de registre (${exts}) à sa racine, 0 ligne lue — ${held.fr}${hint.fr}`,
        en: `Folder "${p}": no ledger file (${exts}) at its top level, 0 lines read — ${held.en}${hint.en}`,
    }
}

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
 * SPEC §5 --ledger: files in the order given; a folder becomes its files with these extensions
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

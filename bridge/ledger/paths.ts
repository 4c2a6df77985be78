import fs from 'node:fs'
import path from 'node:path'
import type { Bilingual } from '../domain/line'

/** File types a folder is scanned for (lower-case extensions; add '.xlsx' with its reader). */
export const SUPPORTED_LEDGER_EXTENSIONS: readonly string[] = ['.csv']

export class LedgerPathError extends Error {
    constructor(
        readonly path: string,
        readonly reason: Bilingual
    ) {
        super(reason.en)
        this.name = 'LedgerPathError'
    }
}

/** Spreadsheet lock files and hidden files sit next to exports; they are not ledgers. */
function isCandidate(name: string): boolean {
    if (name.startsWith('.') || name.startsWith('~$')) return false
    return SUPPORTED_LEDGER_EXTENSIONS.includes(path.extname(name).toLowerCase())
}

function byteOrder(a: string, b: string): number {
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}

/**
 * SPEC §5 --ledger: files in the order given; a folder becomes its supported files (not its
 * sub-folders) in file-name byte order. A file met twice is read once, at its first place.
 * A path that does not exist throws LedgerPathError (bilingual).
 */
export async function expandLedgerPaths(paths: string[]): Promise<string[]> {
    const out: string[] = []
    const seen = new Set<string>()
    const add = (p: string) => {
        const key = path.resolve(p)
        if (seen.has(key)) return
        seen.add(key)
        out.push(p)
    }
    for (const p of paths) {
        let st: fs.Stats
        try {
            st = await fs.promises.stat(p)
        } catch (e) {
            const code = (e as NodeJS.ErrnoException).code
            throw new LedgerPathError(
                p,
                code === 'ENOENT' || code === 'ENOTDIR'
                    ? { fr: `Registre introuvable : « ${p} » n'existe pas`, en: `Ledger not found: "${p}" does not exist` }
                    : { fr: `Registre inaccessible « ${p} » : ${(e as Error).message}`, en: `Ledger not accessible "${p}": ${(e as Error).message}` }
            )
        }
        if (!st.isDirectory()) {
            add(p)
            continue
        }
        let entries: fs.Dirent[]
        try {
            entries = await fs.promises.readdir(p, { withFileTypes: true })
        } catch (e) {
            throw new LedgerPathError(p, { fr: `Dossier illisible « ${p} » : ${(e as Error).message}`, en: `Cannot read folder "${p}": ${(e as Error).message}` })
        }
        const names: string[] = []
        for (const e of entries) {
            if (!isCandidate(e.name)) continue
            // Follow symbolic links to files; skip folders.
            const full = path.join(p, e.name)
            const isFile = e.isFile() || (e.isSymbolicLink() && (await fs.promises.stat(full).then((s) => s.isFile(), () => false)))
            if (isFile) names.push(e.name)
        }
        names.sort(byteOrder)
        for (const n of names) add(path.join(p, n))
    }
    return out
}

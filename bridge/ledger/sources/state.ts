import type { StateDb } from '../../state/db'

/**
 * What the sources remember between runs, in the bridge's state file (own tables, step 3 of
 * state/migrations.ts): the cursor of each SQL/HTTP source and the content hash of every file a watched
 * folder has read. Written only by LedgerSource.commit, after the sync committed the lines.
 */
function hasTable(db: StateDb, name: string): boolean {
    return !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name)
}

export interface StoredCursor {
    signature: string
    position: string
}

export function loadCursor(db: StateDb, source: string): StoredCursor | null {
    if (!hasTable(db, 'ledger_source_cursors')) return null
    const row = db.prepare('SELECT signature, position FROM ledger_source_cursors WHERE source = ?').get(source) as StoredCursor | undefined
    return row ?? null
}

export function saveCursor(db: StateDb, source: string, signature: string, position: string, at: string): void {
    db.prepare(
        'INSERT INTO ledger_source_cursors (source, signature, position, committed_at) VALUES (?, ?, ?, ?) ON CONFLICT(source) DO UPDATE SET signature = excluded.signature, position = excluded.position, committed_at = excluded.committed_at'
    ).run(source, signature, position, at)
}

export function fileSeen(db: StateDb, source: string, sha256: string): boolean {
    if (!hasTable(db, 'ledger_source_files')) return false
    return !!db.prepare('SELECT 1 FROM ledger_source_files WHERE source = ? AND sha256 = ?').get(source, sha256)
}

export function rememberFile(db: StateDb, source: string, sha256: string, file: string, size: number, at: string): void {
    db.prepare(
        'INSERT INTO ledger_source_files (source, sha256, file, size, read_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(source, sha256) DO UPDATE SET file = excluded.file, size = excluded.size, read_at = excluded.read_at'
    ).run(source, sha256, file, size, at)
}

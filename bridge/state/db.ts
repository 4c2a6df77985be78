import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { migrate, SCHEMA_VERSION } from './migrations'

/**
 * The bridge's memory, in one SQLite file under BRIDGE_STATE_DIR: every accepted ledger line
 * (latest version, personal fields never stored), the value each DHIS2 key should hold and the
 * value DHIS2 last accepted, scopes awaiting recomputation, runs and quarantined rows.
 * WAL mode and short transactions so that a power cut loses at most the work in flight.
 */
export type StateDb = Database.Database

export function openState(stateDir: string, opts: { readonly?: boolean } = {}): StateDb {
    const file = path.join(stateDir, 'bridge.sqlite')
    if (opts.readonly && !fs.existsSync(file)) {
        // status before any run: an empty, in-memory state answers the same questions.
        return openMemoryState()
    }
    fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 })
    if (opts.readonly) upgradeBeforeReading(file)
    const db = new Database(file, { readonly: opts.readonly ?? false })
    if (!opts.readonly) {
        db.pragma('journal_mode = WAL')
        db.pragma('synchronous = NORMAL')
        db.pragma('busy_timeout = 5000')
        // 16 MiB of pages instead of 2: an incremental run probes the indexes of a table of
        // millions of lines at random (bench/README.md: a 1 M-line state, 2.4 → 2.0 s).
        db.pragma('cache_size = -16384')
        migrate(db)
        try {
            fs.chmodSync(file, 0o600)
        } catch {
            /* not our file system to police */
        }
    }
    return db
}

/** An empty state in memory, all steps applied (status before any run, setup's reading of the sources). */
export function openMemoryState(): StateDb {
    const mem = new Database(':memory:')
    migrate(mem)
    return mem
}

/**
 * A read-only open (status, config check) of a state written by an older bridge: migrate it first
 * (steps never lose data), so that every reader sees one schema. Unwritable: read it as it is.
 */
function upgradeBeforeReading(file: string): void {
    const probe = new Database(file, { readonly: true })
    const version = probe.pragma('user_version', { simple: true }) as number
    probe.close()
    if (version >= SCHEMA_VERSION) return
    try {
        const db = new Database(file)
        db.pragma('busy_timeout = 5000')
        migrate(db)
        db.close()
    } catch {
        /* read-only file system or a state in use: the reader copes with what is there */
    }
}

export function getMeta(db: StateDb, key: string): string | null {
    const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined
    return row?.value ?? null
}

export function setMeta(db: StateDb, key: string, value: string): void {
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value)
}

import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { LINEAGE_MIGRATION } from './lineage-schema'

/**
 * The bridge's memory, in one SQLite file under BRIDGE_STATE_DIR: every accepted ledger line
 * (latest version, personal fields never stored), the value each DHIS2 key should hold and the
 * value DHIS2 last accepted, scopes awaiting recomputation, runs and quarantined rows.
 * WAL mode and short transactions so that a power cut loses at most the work in flight.
 */
const SCHEMA_VERSION = 2

const MIGRATIONS: string[] = [
    `
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE lines (
        transaction_id TEXT NOT NULL,
        line_no INTEGER NOT NULL,
        facility TEXT NOT NULL,
        scope TEXT NOT NULL,
        channel TEXT NOT NULL,
        type TEXT NOT NULL,
        updated_at TEXT,
        data TEXT NOT NULL,
        run_id INTEGER NOT NULL,
        PRIMARY KEY (transaction_id, line_no)
    );
    CREATE INDEX lines_scope ON lines (scope);
    CREATE INDEX lines_attempt ON lines (transaction_id, channel);
    CREATE TABLE dirty_scopes (scope TEXT PRIMARY KEY);
    CREATE TABLE dirty_attempts (transaction_id TEXT NOT NULL, channel TEXT NOT NULL, PRIMARY KEY (transaction_id, channel));
    CREATE TABLE data_values (
        key TEXT PRIMARY KEY,
        data_element TEXT NOT NULL,
        period TEXT NOT NULL,
        facility TEXT NOT NULL,
        channel TEXT NOT NULL,
        service TEXT,
        scope TEXT NOT NULL,
        desired INTEGER,
        accepted INTEGER,
        accepted_at TEXT,
        sent_unconfirmed INTEGER NOT NULL DEFAULT 0,
        last_error_code TEXT,
        last_error_message TEXT
    );
    CREATE INDEX data_values_scope ON data_values (scope);
    CREATE INDEX data_values_pending ON data_values (period, facility) WHERE desired IS NOT accepted;
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        command TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        exit_code INTEGER,
        summary TEXT
    );
    CREATE TABLE quarantine (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id INTEGER NOT NULL,
        file TEXT NOT NULL,
        line INTEGER NOT NULL,
        col TEXT,
        reason_fr TEXT NOT NULL,
        reason_en TEXT NOT NULL,
        raw TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX quarantine_run ON quarantine (run_id);
    CREATE TABLE org_units (ref TEXT PRIMARY KEY, id TEXT NOT NULL, code TEXT, name TEXT, seen_at TEXT NOT NULL);
    `,
    // trace: lineage of lines and sends (docs/traceability.md)
    LINEAGE_MIGRATION,
]

export type StateDb = Database.Database

export function openState(stateDir: string, opts: { readonly?: boolean } = {}): StateDb {
    const file = path.join(stateDir, 'bridge.sqlite')
    if (opts.readonly && !fs.existsSync(file)) {
        // status before any run: an empty, in-memory state answers the same questions.
        const mem = new Database(':memory:')
        migrate(mem)
        return mem
    }
    fs.mkdirSync(stateDir, { recursive: true, mode: 0o700 })
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

function migrate(db: Database.Database): void {
    const current = db.pragma('user_version', { simple: true }) as number
    if (current > SCHEMA_VERSION) {
        throw new Error(`State schema ${current} is newer than this bridge (${SCHEMA_VERSION}): upgrade the bridge`)
    }
    for (let v = current; v < SCHEMA_VERSION; v++) {
        db.transaction(() => {
            db.exec(MIGRATIONS[v])
            db.pragma(`user_version = ${v + 1}`)
        })()
    }
}

export function getMeta(db: StateDb, key: string): string | null {
    const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined
    return row?.value ?? null
}

export function setMeta(db: StateDb, key: string, value: string): void {
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value)
}

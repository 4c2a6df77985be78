import type Database from 'better-sqlite3'
import { LINEAGE_MIGRATION } from './lineage-schema'
import { restFromObjectSql } from './line-record'

/**
 * Every table of the state, created and changed in one place: an ordered list of numbered steps,
 * each run once in its own transaction (PRAGMA user_version = the last step applied). A new table
 * or column = a new step appended at the end; a step is never edited once released.
 *
 * Steps 2 and 3 use IF NOT EXISTS because releases before step 4 created those tables on first
 * use, outside the numbered steps: a state written by them may or may not hold them already.
 */
export interface MigrationStep {
    version: number
    what: string
    sql: string
}

export const MIGRATIONS: MigrationStep[] = [
    {
        version: 1,
        what: 'lines, scopes, revenue values, runs, quarantine, org units',
        sql: `
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
    },
    {
        version: 2,
        what: 'stock leg: records (current revision, frozen body, what MEDEXIS holds), MEDEXIS outbox, LMIS values',
        sql: `
    CREATE TABLE IF NOT EXISTS stock_records (
        id TEXT PRIMARY KEY,
        facility TEXT NOT NULL,
        product TEXT NOT NULL,
        date TEXT NOT NULL,
        scope TEXT NOT NULL,
        revision INTEGER NOT NULL,
        content TEXT NOT NULL,
        body TEXT NOT NULL,
        quantity REAL NOT NULL,
        amount_xof INTEGER NOT NULL,
        ledger_lines INTEGER NOT NULL,
        ledger_codes TEXT NOT NULL,
        negative INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        delivered_revision INTEGER,
        delivered_at TEXT,
        maybe_delivered INTEGER NOT NULL DEFAULT 0,
        rejected_revision INTEGER,
        reject_status INTEGER,
        reject_reason TEXT
    );
    CREATE INDEX IF NOT EXISTS stock_records_scope ON stock_records (scope);
    CREATE INDEX IF NOT EXISTS stock_records_month ON stock_records (facility, date);
    CREATE TABLE IF NOT EXISTS stock_outbox (
        id TEXT PRIMARY KEY,
        queued_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_status INTEGER,
        last_error TEXT
    );
    CREATE TABLE IF NOT EXISTS stock_lmis_values (
        key TEXT PRIMARY KEY,
        facility TEXT NOT NULL,
        data_element TEXT NOT NULL,
        coc TEXT,
        period TEXT NOT NULL,
        products TEXT NOT NULL,
        desired REAL,
        accepted REAL,
        accepted_at TEXT,
        sent_unconfirmed INTEGER NOT NULL DEFAULT 0,
        last_error_code TEXT,
        last_error_message TEXT
    );
    CREATE INDEX IF NOT EXISTS stock_lmis_month ON stock_lmis_values (facility, period);
    `,
    },
    {
        version: 3,
        what: 'ledger sources: cursors of SQL/HTTP sources, files a watched folder has read',
        sql: `
CREATE TABLE IF NOT EXISTS ledger_source_cursors (
    source TEXT PRIMARY KEY,
    signature TEXT NOT NULL,
    position TEXT NOT NULL,
    committed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ledger_source_files (
    source TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    file TEXT NOT NULL,
    size INTEGER NOT NULL,
    read_at TEXT NOT NULL,
    PRIMARY KEY (source, sha256)
);
`,
    },
    {
        version: 4,
        what: 'one outbox of DHIS2 values for every family (revenue, lmis, recon), from data_values and stock_lmis_values',
        sql: `
    CREATE TABLE dhis2_values (
        family TEXT NOT NULL,
        key TEXT NOT NULL,
        scope TEXT NOT NULL,
        facility TEXT NOT NULL,
        data_element TEXT NOT NULL,
        period TEXT NOT NULL,
        coc TEXT,
        channel TEXT,
        service TEXT,
        detail TEXT,
        desired NUMERIC,
        accepted NUMERIC,
        accepted_at TEXT,
        sent_unconfirmed INTEGER NOT NULL DEFAULT 0,
        last_error_code TEXT,
        last_error_message TEXT,
        PRIMARY KEY (family, key)
    );
    CREATE INDEX dhis2_values_scope ON dhis2_values (family, scope);
    CREATE INDEX dhis2_values_pending ON dhis2_values (family, period, facility) WHERE desired IS NOT accepted;
    INSERT INTO dhis2_values (family, key, scope, facility, data_element, period, coc, channel, service, detail, desired, accepted, accepted_at, sent_unconfirmed, last_error_code, last_error_message)
        SELECT 'revenue', key, scope, facility, data_element, period, NULL, channel, service, NULL, desired, accepted, accepted_at, sent_unconfirmed, last_error_code, last_error_message
          FROM data_values;
    INSERT INTO dhis2_values (family, key, scope, facility, data_element, period, coc, channel, service, detail, desired, accepted, accepted_at, sent_unconfirmed, last_error_code, last_error_message)
        SELECT 'lmis', key, facility || '|' || period, facility, data_element, period, coc, NULL, NULL, products, desired, accepted, accepted_at, sent_unconfirmed, last_error_code, last_error_message
          FROM stock_lmis_values;
    DROP TABLE data_values;
    DROP TABLE stock_lmis_values;
    `,
    },
    // trace
    {
        version: 5,
        what: 'lineage: sources and rows of line versions, replaced versions, sends of values (docs/traceability.md)',
        sql: LINEAGE_MIGRATION,
    },
    {
        version: 6,
        what: "lines.service, indexed for the stock leg's pharmacy lines of a scope (no json_extract over every line)",
        // A partial index: only pharmacy rows (about a third) pay for it on insert. Queries must
        // name service = 'PHARMACY' literally for SQLite to use it. line_history keeps only the
        // line's data, not lines' columns: nothing to add there.
        sql: `
    ALTER TABLE lines ADD COLUMN service TEXT;
    UPDATE lines SET service = json_extract(data, '$.service');
    CREATE INDEX lines_pharmacy ON lines (scope) WHERE service = 'PHARMACY';
    `,
    },
    {
        version: 7,
        what: 'a compact line record (state/line-record.ts); no lines_attempt index (the primary key starts with transaction_id)',
        // Every line is rewritten once. line_history gains the columns lines has, so that both
        // tables store a version the same way and are read back by the same decoder. The UPDATEs
        // read `data` as it was before them (SQLite evaluates a SET against the old row).
        sql: `
    DROP INDEX lines_attempt;
    UPDATE lines SET data = ${restFromObjectSql('data')};
    ALTER TABLE line_history ADD COLUMN facility TEXT;
    ALTER TABLE line_history ADD COLUMN channel TEXT;
    ALTER TABLE line_history ADD COLUMN type TEXT;
    ALTER TABLE line_history ADD COLUMN service TEXT;
    ALTER TABLE line_history ADD COLUMN updated_at TEXT;
    UPDATE line_history SET facility = json_extract(data, '$.facilityCode'), channel = json_extract(data, '$.channel'), type = json_extract(data, '$.type'),
        service = json_extract(data, '$.service'), updated_at = json_extract(data, '$.updatedAt'), data = ${restFromObjectSql('data')};
    `,
    },
    {
        version: 8,
        what: "no lines_pharmacy index: a sync's stock leg takes a scope's pharmacy lines from the recompute's read",
        // The partial index cost a fifth of every line insert (bench/README.md, session 7) and a
        // sync no longer reads through it; the stock command and the reconciliation of months a
        // run did not recompute read a scope's lines through lines_scope and keep the pharmacy ones.
        sql: `
    DROP INDEX lines_pharmacy;
    `,
    },
]

export const SCHEMA_VERSION = MIGRATIONS.length

/** Bring a state up to SCHEMA_VERSION, one step per transaction. */
export function migrate(db: Database.Database): void {
    const current = db.pragma('user_version', { simple: true }) as number
    if (current > SCHEMA_VERSION) {
        throw new Error(`State schema ${current} is newer than this bridge (${SCHEMA_VERSION}): upgrade the bridge`)
    }
    for (const step of MIGRATIONS.slice(current)) {
        db.transaction(() => {
            db.exec(step.sql)
            db.pragma(`user_version = ${step.version}`)
        })()
    }
}

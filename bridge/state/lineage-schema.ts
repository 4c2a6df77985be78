/**
 * Lineage (docs/traceability.md, docs/contract.md §6): where every accepted line version came
 * from and every time a value was sent. Kept compact on purpose — a 1 M-line state pays two
 * integers per line (`lines.source_id`, `lines.source_row`), not a repeated file name:
 * - `line_sources`: one row per source name (file path, or the configured SQL / HTTP source name);
 * - `lines.source_id` / `lines.source_row`: the source and its data row (file line, or the row's
 *   rank in that run's read for SQL / HTTP, whose row key is the line's own transaction_id × line_no);
 *   NULL for lines recorded before lineage existed (explain says "position unknown");
 * - `scope_sources`: which sources brought lines to each facility × period (the dashboards' panel
 *   names them without reading the period's lines);
 * - `line_history`: a line version replaced by a later one (only changes are kept: a replay adds nothing);
 * - `value_sends`: each send of a value and DHIS2's answer; the same value with the same answer sent
 *   again only bumps `repeats` on the last row, so the history keeps what changes.
 * No personal column anywhere: line data is the normalised line, which has none.
 */
export const LINEAGE_MIGRATION = `
    CREATE TABLE line_sources (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
    ALTER TABLE lines ADD COLUMN source_id INTEGER;
    ALTER TABLE lines ADD COLUMN source_row INTEGER;
    CREATE TABLE scope_sources (scope TEXT NOT NULL, source_id INTEGER NOT NULL, PRIMARY KEY (scope, source_id)) WITHOUT ROWID;
    CREATE TABLE line_history (
        transaction_id TEXT NOT NULL,
        line_no INTEGER NOT NULL,
        scope TEXT NOT NULL,
        data TEXT NOT NULL,
        source_id INTEGER,
        source_row INTEGER,
        run_id INTEGER NOT NULL,
        replaced_by_run INTEGER NOT NULL
    );
    CREATE INDEX line_history_scope ON line_history (scope);
    CREATE TABLE value_sends (
        id INTEGER PRIMARY KEY,
        family TEXT NOT NULL,
        key TEXT NOT NULL,
        run_id INTEGER NOT NULL,
        at TEXT NOT NULL,
        value INTEGER NOT NULL,
        outcome TEXT NOT NULL,
        error_code TEXT,
        repeats INTEGER NOT NULL DEFAULT 1,
        last_run_id INTEGER,
        last_at TEXT
    );
    CREATE INDEX value_sends_key ON value_sends (family, key, id);
`

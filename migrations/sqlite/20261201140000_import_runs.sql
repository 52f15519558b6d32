-- Each run of `kohtaamo import`: when it ran and how many lines it read, inserted, updated and
-- rejected (never what the lines said). Imports run as their own process; the server reads
-- these rows when `/metrics` is scraped. A run with no `finished_at` is running, failed or was
-- killed. Times are whole seconds since 1970-01-01 UTC.
CREATE TABLE import_runs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL CHECK (kind IN ('vacancies', 'municipalities', 'occupations')),
    started_at  INTEGER NOT NULL,
    finished_at INTEGER,
    lines_read  INTEGER NOT NULL DEFAULT 0 CHECK (lines_read >= 0),
    inserted    INTEGER NOT NULL DEFAULT 0 CHECK (inserted >= 0),
    updated     INTEGER NOT NULL DEFAULT 0 CHECK (updated >= 0),
    rejected    INTEGER NOT NULL DEFAULT 0 CHECK (rejected >= 0)
);
CREATE INDEX import_runs_kind ON import_runs (kind, started_at);

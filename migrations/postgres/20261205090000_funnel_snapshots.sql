-- The all-coaches funnel rows as of one state of the database (src/funnel/snapshot.rs), so that
-- a node that starts reads them at once and then only what changed since, instead of every
-- event. Derived data: one row, rewritten as the rows grow, never copied by `migrate --from`,
-- and safe to delete (the next report reads the events again). The versions are change-log
-- numbers here (see Backend::funnel_rows_between).
CREATE TABLE funnel_snapshots (
    id               BIGINT PRIMARY KEY CHECK (id = 1),
    format           BIGINT NOT NULL,
    events_version   BIGINT NOT NULL,
    contacts_version BIGINT NOT NULL,
    changes_version  BIGINT NOT NULL,
    -- When the read of every row that these rows descend from was made (seconds since 1970):
    -- rows older than a day are checked by a new read.
    full_read_at     BIGINT NOT NULL,
    data             BYTEA NOT NULL,
    written_at       TIMESTAMPTZ NOT NULL
);

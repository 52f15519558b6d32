-- The last times kept as counts since 1970-01-01 UTC become timestamptz, like every other time
-- here: users.disabled_at, the times of API tokens, sessions, sign-in links and import runs,
-- and funnel_snapshots.full_read_at (whole seconds), and match_lists.served_at (milliseconds).
-- SQLite keeps them as INTEGER counts; the Rust code binds and reads them as an Epoch
-- (src/store/db.rs): that count there, a timestamptz here. The conversion is exact: the epoch
-- plus the count as an interval, which does not depend on the session's TimeZone. The indexes
-- on these columns are rebuilt by the ALTERs.
ALTER TABLE users
    ALTER COLUMN disabled_at TYPE timestamptz
        USING TIMESTAMPTZ 'epoch' + disabled_at * INTERVAL '1 second';
ALTER TABLE api_tokens
    ALTER COLUMN expires_at TYPE timestamptz
        USING TIMESTAMPTZ 'epoch' + expires_at * INTERVAL '1 second',
    ALTER COLUMN revoked_at TYPE timestamptz
        USING TIMESTAMPTZ 'epoch' + revoked_at * INTERVAL '1 second',
    ALTER COLUMN last_used_at TYPE timestamptz
        USING TIMESTAMPTZ 'epoch' + last_used_at * INTERVAL '1 second';
ALTER TABLE sessions
    ALTER COLUMN created_at TYPE timestamptz
        USING TIMESTAMPTZ 'epoch' + created_at * INTERVAL '1 second',
    ALTER COLUMN last_seen_at TYPE timestamptz
        USING TIMESTAMPTZ 'epoch' + last_seen_at * INTERVAL '1 second',
    ALTER COLUMN expires_at TYPE timestamptz
        USING TIMESTAMPTZ 'epoch' + expires_at * INTERVAL '1 second';
ALTER TABLE sign_in_links
    ALTER COLUMN created_at TYPE timestamptz
        USING TIMESTAMPTZ 'epoch' + created_at * INTERVAL '1 second',
    ALTER COLUMN expires_at TYPE timestamptz
        USING TIMESTAMPTZ 'epoch' + expires_at * INTERVAL '1 second',
    ALTER COLUMN used_at TYPE timestamptz
        USING TIMESTAMPTZ 'epoch' + used_at * INTERVAL '1 second';
ALTER TABLE import_runs
    ALTER COLUMN started_at TYPE timestamptz
        USING TIMESTAMPTZ 'epoch' + started_at * INTERVAL '1 second',
    ALTER COLUMN finished_at TYPE timestamptz
        USING TIMESTAMPTZ 'epoch' + finished_at * INTERVAL '1 second';
ALTER TABLE funnel_snapshots
    ALTER COLUMN full_read_at TYPE timestamptz
        USING TIMESTAMPTZ 'epoch' + full_read_at * INTERVAL '1 second';
ALTER TABLE match_lists
    ALTER COLUMN served_at TYPE timestamptz
        USING TIMESTAMPTZ 'epoch' + served_at * INTERVAL '1 millisecond';

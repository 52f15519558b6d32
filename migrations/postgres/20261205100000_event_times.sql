-- The times of client events, employer contacts, feedback forms and the access log become
-- timestamptz, like every other time here (they were text in SQLite's '%Y-%m-%dT%H:%M:%SZ',
-- COLLATE "C"). The Rust code binds and reads them as a Stamp (src/store/db.rs): a
-- timestamptz here, that text on SQLite. Each text carries its zone ('Z'), so the cast does
-- not depend on the session's TimeZone.
ALTER TABLE client_events
    ALTER COLUMN at TYPE timestamptz USING CAST(at AS timestamptz),
    ALTER COLUMN created_at TYPE timestamptz USING CAST(created_at AS timestamptz);
ALTER TABLE employer_contacts
    ALTER COLUMN at TYPE timestamptz USING CAST(at AS timestamptz),
    ALTER COLUMN created_at TYPE timestamptz USING CAST(created_at AS timestamptz);
ALTER TABLE feedback_forms
    ALTER COLUMN created_at TYPE timestamptz USING CAST(created_at AS timestamptz),
    ALTER COLUMN submitted_at TYPE timestamptz USING CAST(submitted_at AS timestamptz);
ALTER TABLE access_log
    ALTER COLUMN at TYPE timestamptz USING CAST(at AS timestamptz);

-- Privacy by design, 1/3: an `auditor` role, and one access log of every read, change and
-- refused attempt on client data.

-- The auditor reads the access log and nothing else. SQLite cannot change a CHECK in place,
-- so `users` is rebuilt under the same name: with the foreign keys deferred to the commit,
-- the rows that point at users (tokens, clients, events, …) find their users again when the
-- rows are copied back, and the commit checks that every one does.
PRAGMA defer_foreign_keys = ON;
CREATE TEMP TABLE users_before_auditor AS SELECT * FROM users;
DROP TABLE users;
CREATE TABLE users (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL
                CHECK (role IN ('admin', 'coordinator', 'coach', 'employer', 'auditor')),
    employer_id INTEGER REFERENCES employers (id),
    created_at  TEXT NOT NULL,
    CHECK ((role = 'employer') = (employer_id IS NOT NULL))
);
INSERT INTO users (id, name, role, employer_id, created_at)
    SELECT id, name, role, employer_id, created_at FROM users_before_auditor;
DROP TABLE users_before_auditor;

-- One row per read of client data (one client, or a list with the clients it showed), per
-- change, and per refused attempt: who, when, which client or list, the action, and why it was
-- refused. A refused caller saw a 404 (another coach's client) or a 403 (a role that reads no
-- clients); the log says which.
CREATE TABLE access_log (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    -- UTC, '%Y-%m-%dT%H:%M:%SZ': sorts as text.
    at        TEXT NOT NULL,
    user_id   INTEGER NOT NULL REFERENCES users (id),
    action    TEXT NOT NULL,
    -- The client asked for. No foreign key: a refused probe of an id that names no client is
    -- logged with the id asked for.
    client_id INTEGER,
    -- Or the list read (`clients`, `dashboard`, …); the clients it showed are in
    -- access_log_clients.
    list      TEXT,
    outcome   TEXT NOT NULL CHECK (outcome IN ('allowed', 'denied')),
    -- Why a denied attempt was refused: role, not_on_caseload, no_such_client, erased.
    reason    TEXT,
    CHECK ((client_id IS NULL) <> (list IS NULL)),
    CHECK ((outcome = 'denied') = (reason IS NOT NULL))
);
CREATE INDEX access_log_client ON access_log (client_id, at) WHERE client_id IS NOT NULL;
CREATE INDEX access_log_user ON access_log (user_id, at);
CREATE INDEX access_log_at ON access_log (at);

-- The clients a list read showed.
CREATE TABLE access_log_clients (
    access_id INTEGER NOT NULL REFERENCES access_log (id),
    client_id INTEGER NOT NULL,
    PRIMARY KEY (client_id, access_id)
) WITHOUT ROWID;

-- The audit trail is append-only, like the events; erasing a client leaves it (it holds no
-- names or free text).
CREATE TRIGGER access_log_append_only_update BEFORE UPDATE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;
CREATE TRIGGER access_log_append_only_delete BEFORE DELETE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only');
END;
CREATE TRIGGER access_log_clients_append_only_update BEFORE UPDATE ON access_log_clients
BEGIN
    SELECT RAISE(ABORT, 'access_log_clients is append-only');
END;
CREATE TRIGGER access_log_clients_append_only_delete BEFORE DELETE ON access_log_clients
BEGIN
    SELECT RAISE(ABORT, 'access_log_clients is append-only');
END;

-- The reads, creations and changes logged so far move over, with their times in the new form.
INSERT INTO access_log (id, at, user_id, action, client_id, outcome)
    SELECT id, COALESCE(strftime('%Y-%m-%dT%H:%M:%SZ', at), at), user_id, action, client_id,
           'allowed'
    FROM client_access_log;
DROP TABLE client_access_log;

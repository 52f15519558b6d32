-- kohtaamo initial schema (SQLite).
-- The database is the source of truth; every write to a posting or client appends a row to
-- change_log in the same transaction, and the search index follows that log.

CREATE TABLE employers (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT NOT NULL,
    business_id  TEXT UNIQUE,
    industry     TEXT,
    municipality TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX employers_name ON employers (name);

CREATE TABLE users (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'coach', 'employer')),
    employer_id INTEGER REFERENCES employers (id),
    created_at  TEXT NOT NULL,
    CHECK ((role = 'employer') = (employer_id IS NOT NULL))
);

-- Only a SHA-256 of each token is kept; the token itself is shown once, at creation.
CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE vacancies (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    employer_id         INTEGER NOT NULL REFERENCES employers (id),
    external_id         TEXT UNIQUE,
    title               TEXT NOT NULL,
    description         TEXT NOT NULL,
    location            TEXT,
    municipality        TEXT,
    occupation_code     TEXT,
    hours_min           REAL,
    hours_max           REAL,
    employment_type     TEXT,
    language            TEXT,
    valid_through       TEXT,
    date_posted         TEXT NOT NULL,
    wage_subsidy_ok     INTEGER,
    work_trial_ok       INTEGER,
    adjustments_offered TEXT NOT NULL DEFAULT '[]',
    status              TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_by          INTEGER REFERENCES users (id),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    closed_at           TEXT
);
CREATE INDEX vacancies_employer ON vacancies (employer_id);
CREATE INDEX vacancies_status ON vacancies (status);

CREATE TABLE tasks (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    employer_id     INTEGER NOT NULL REFERENCES employers (id),
    title           TEXT NOT NULL,
    description     TEXT NOT NULL,
    location        TEXT,
    municipality    TEXT,
    site            TEXT CHECK (site IN ('buyer', 'provider')),
    starts_on       TEXT,
    ends_on         TEXT,
    estimated_hours REAL,
    group_size      INTEGER,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_by      INTEGER REFERENCES users (id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    closed_at       TEXT
);
CREATE INDEX tasks_employer ON tasks (employer_id);

-- No readiness, diagnosis or health field, by design (zero exclusion, GDPR art. 9).
CREATE TABLE clients (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    coach_id               INTEGER NOT NULL REFERENCES users (id),
    display_name           TEXT NOT NULL,
    home_municipality      TEXT NOT NULL,
    intake_date            TEXT NOT NULL,
    treatment_team_contact TEXT,
    preferences            TEXT NOT NULL DEFAULT '{}',
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL
);
CREATE INDEX clients_coach ON clients (coach_id);

-- Who read or changed a client's record, and when.
CREATE TABLE client_access_log (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES clients (id),
    user_id   INTEGER NOT NULL REFERENCES users (id),
    action    TEXT NOT NULL,
    at        TEXT NOT NULL
);
CREATE INDEX client_access_log_client ON client_access_log (client_id);

-- Monotonically numbered: the search index (and, later, every node's replica) tails it.
CREATE TABLE change_log (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    entity    TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    op        TEXT NOT NULL,
    at        TEXT NOT NULL
);

-- Reference data: municipalities with coordinates (import municipalities).
CREATE TABLE municipalities (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    name_lower  TEXT NOT NULL UNIQUE,
    region_code TEXT,
    region_name TEXT,
    lat         REAL NOT NULL,
    lon         REAL NOT NULL
);

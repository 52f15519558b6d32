-- Placement funnel: client events (append-only; corrections supersede), the coaches'
-- employer-contact log, and employers' work-trial feedback forms.

CREATE TABLE client_events (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id            INTEGER NOT NULL REFERENCES clients (id),
    recorded_by          INTEGER NOT NULL REFERENCES users (id),
    type                 TEXT NOT NULL,
    -- UTC, '%Y-%m-%dT%H:%M:%SZ': sorts as text.
    at                   TEXT NOT NULL,
    vacancy_id           INTEGER REFERENCES vacancies (id),
    task_id              INTEGER REFERENCES tasks (id),
    employer_id          INTEGER REFERENCES employers (id),
    placement_type       TEXT,
    hours_per_week       REAL,
    face_to_face         INTEGER,
    note                 TEXT,
    -- A correction names the event it replaces; the replaced row stays, for history.
    supersedes           INTEGER REFERENCES client_events (id),
    -- On `engaged` only: false when the client had work at entry (outcome denominators).
    out_of_work_at_entry INTEGER,
    -- On `closed` only: the client chose to end the service (cases never close otherwise).
    client_choice        INTEGER,
    created_at           TEXT NOT NULL
);
CREATE INDEX client_events_client_at ON client_events (client_id, at);
CREATE INDEX client_events_type ON client_events (type);
-- An event is corrected at most once; a later fix supersedes the correction.
CREATE UNIQUE INDEX client_events_supersedes ON client_events (supersedes)
    WHERE supersedes IS NOT NULL;

CREATE TRIGGER client_events_append_only_update BEFORE UPDATE ON client_events
BEGIN
    SELECT RAISE(ABORT, 'client_events is append-only');
END;
CREATE TRIGGER client_events_append_only_delete BEFORE DELETE ON client_events
BEGIN
    SELECT RAISE(ABORT, 'client_events is append-only');
END;

-- The coach's job-development log: every contact with an employer, with or without a client.
CREATE TABLE employer_contacts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    coach_id     INTEGER NOT NULL REFERENCES users (id),
    employer_id  INTEGER NOT NULL REFERENCES employers (id),
    at           TEXT NOT NULL,
    face_to_face INTEGER NOT NULL,
    client_id    INTEGER REFERENCES clients (id),
    purpose      TEXT,
    outcome      TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX employer_contacts_employer_at ON employer_contacts (employer_id, at);
CREATE INDEX employer_contacts_coach_at ON employer_contacts (coach_id, at);

-- A coach asks the employer hosting a placement for structured feedback; the employer sees
-- only the form (no client name, no history) and fills it once.
CREATE TABLE feedback_forms (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id          INTEGER NOT NULL REFERENCES clients (id),
    placement_event_id INTEGER NOT NULL REFERENCES client_events (id),
    employer_id        INTEGER NOT NULL REFERENCES employers (id),
    placement_type     TEXT NOT NULL,
    requested_by       INTEGER NOT NULL REFERENCES users (id),
    created_at         TEXT NOT NULL,
    submitted_by       INTEGER REFERENCES users (id),
    submitted_at       TEXT,
    tasks_managed      INTEGER,
    support_needed     TEXT,
    would_hire         INTEGER,
    comment            TEXT
);
CREATE INDEX feedback_forms_employer ON feedback_forms (employer_id);
CREATE INDEX feedback_forms_client ON feedback_forms (client_id);

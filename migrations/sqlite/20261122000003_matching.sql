-- Matching: the occupation taxonomy, and a log of every match list served with the features
-- of each suggestion (feature logging: the ranker learns from these and the events after).

CREATE TABLE occupations (
    code         TEXT PRIMARY KEY,
    concept_type TEXT NOT NULL CHECK (concept_type IN ('isco_group', 'occupation')),
    isco_group   TEXT NOT NULL,
    label_fi     TEXT NOT NULL,
    label_sv     TEXT NOT NULL,
    label_en     TEXT NOT NULL
);
CREATE INDEX occupations_group ON occupations (isco_group);

CREATE TABLE match_impressions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    list_id       TEXT NOT NULL,
    client_id     INTEGER NOT NULL REFERENCES clients (id),
    served_at     TEXT NOT NULL,
    model_version TEXT NOT NULL,
    position      INTEGER NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('vacancy', 'task', 'employer')),
    item_id       INTEGER NOT NULL,
    score         REAL NOT NULL,
    features      TEXT NOT NULL
);
CREATE INDEX match_impressions_client ON match_impressions (client_id, served_at);
CREATE INDEX match_impressions_list ON match_impressions (list_id);

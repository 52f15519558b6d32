-- What every node keeps in memory follows the database. Ranker models live here (the files in
-- models/ are only a record), and a version per kind of reference data tells a running node
-- what to load again: `model`, `occupations`, `municipalities`, each bumped in the
-- transaction that changes it.
CREATE TABLE ranker_models (
    version TEXT PRIMARY KEY NOT NULL,
    -- The model as JSON (rank::RankerModel).
    model TEXT NOT NULL,
    trained_at TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1)),
    activated_at TEXT
);
-- At most one active model; none: the shipped default.
CREATE UNIQUE INDEX ranker_models_one_active ON ranker_models (active) WHERE active = 1;

CREATE TABLE reference_versions (
    name TEXT PRIMARY KEY NOT NULL,
    version INTEGER NOT NULL
);

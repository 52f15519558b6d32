-- What every node keeps in memory follows the database. Ranker models live here (the files in
-- models/ are only a record), and a version per kind of reference data tells a running node
-- what to load again: `model`, `occupations`, `municipalities`, each bumped in the
-- transaction that changes it.
CREATE TABLE ranker_models (
    version text PRIMARY KEY,
    -- The model as JSON (rank::RankerModel).
    model text NOT NULL,
    trained_at timestamptz NOT NULL,
    active boolean NOT NULL DEFAULT false,
    activated_at timestamptz
);
-- At most one active model; none: the shipped default.
CREATE UNIQUE INDEX ranker_models_one_active ON ranker_models (active) WHERE active;

CREATE TABLE reference_versions (
    name text PRIMARY KEY,
    version bigint NOT NULL
);

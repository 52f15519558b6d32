-- Privacy by design, 3/3: served match lists kept compactly, one row per list.
--
-- A list of ~44 suggestions took ~44 rows (with two index entries each) in match_impressions.
-- Here it is one row whose `items` packs every suggestion (see src/store/impressions.rs):
-- kind, id, score and the non-zero features. Lists older than the retention setting are
-- deleted. match_impressions is no longer written; its rows are still read (training, export)
-- until the retention removes them.
CREATE TABLE match_lists (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id     INTEGER NOT NULL REFERENCES clients (id),
    -- Milliseconds since 1970-01-01 UTC.
    served_at     INTEGER NOT NULL,
    model_version TEXT NOT NULL,
    suggestions   INTEGER NOT NULL,
    items         BLOB NOT NULL
);
CREATE INDEX match_lists_client ON match_lists (client_id, served_at);
CREATE INDEX match_lists_served ON match_lists (served_at);
CREATE INDEX match_impressions_served ON match_impressions (served_at);

-- zstd dictionaries that posting descriptions are compressed with (src/store/text.rs): trained
-- once on the database's own postings, named by zstd's dictionary id, which every frame names.
-- Never deleted while a frame may name one.
CREATE TABLE text_dictionaries (
    id         INTEGER PRIMARY KEY,
    dictionary BLOB NOT NULL,
    created_at TEXT NOT NULL
);

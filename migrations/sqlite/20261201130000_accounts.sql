-- Accounts for people: an e-mail address and a password (argon2id, PHC string) to sign in
-- with, server-side browser sessions, one-time sign-in links; and API tokens that can be
-- listed, given an expiry and revoked. A disabled user authenticates in no way at all.
--
-- Every time added here is whole seconds since 1970-01-01 UTC (INTEGER): the checks that
-- matter (expired? idle?) are comparisons in SQL.

-- Stored in lower case (the domain's `Email` folds it), so the unique index is
-- case-insensitive; NOCASE on top keeps a hand-written upper-case ASCII row out too.
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN password_hash TEXT;
ALTER TABLE users ADD COLUMN disabled_at INTEGER;
CREATE UNIQUE INDEX users_email ON users (email COLLATE NOCASE) WHERE email IS NOT NULL;

-- Tokens get a stable id (to list and revoke one) and the first characters of the token
-- (`kht_` and 8 hex digits: enough to recognise it, 32 of its 256 random bits, never enough
-- to use it). Tokens issued before this migration have no known prefix (NULL). SQLite cannot
-- add a primary key in place, so the table is rebuilt; nothing refers to it.
CREATE TABLE api_tokens_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash   TEXT NOT NULL UNIQUE,
    prefix       TEXT,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    created_at   TEXT NOT NULL,
    expires_at   INTEGER,
    revoked_at   INTEGER,
    -- Updated at most once a minute per token: a read does not become a write every time.
    last_used_at INTEGER
);
INSERT INTO api_tokens_new (token_hash, user_id, created_at)
    SELECT token_hash, user_id, created_at FROM api_tokens ORDER BY rowid;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;
CREATE INDEX api_tokens_user ON api_tokens (user_id);
CREATE INDEX api_tokens_prefix ON api_tokens (prefix);

-- A browser session: only a SHA-256 of its 256-bit random id is kept, so the table does not
-- hold anything a cookie could be made from. The CSRF secret is the session's own; forms carry
-- a token derived from it.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    id_hash      TEXT NOT NULL UNIQUE,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    csrf_secret  TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    -- The absolute end (created_at + the maximum length); the idle end is last_seen_at + the
    -- idle setting, checked when the session is read.
    expires_at   INTEGER NOT NULL,
    -- Begun through a one-time sign-in link: may set a password without the current one.
    via_link     INTEGER NOT NULL DEFAULT 0 CHECK (via_link IN (0, 1)),
    -- The browser's User-Agent (cut to 200 characters), so the person can tell sessions apart.
    user_agent   TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- One-time sign-in links (printed by `kohtaamo users link` or made by the admin API): only a
-- SHA-256 of the link's secret is kept; used once, and only before it expires.
CREATE TABLE sign_in_links (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash TEXT NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX sign_in_links_user ON sign_in_links (user_id);

//! Browser sessions and one-time sign-in links. A session is found by the SHA-256 of its
//! random id (the cookie's value is never stored); it ends when idle too long, at its absolute
//! end, when its user signs out or is disabled. A sign-in link works once, before it expires.

use chrono::{DateTime, Utc};

use super::users::{hash_token, random_hex, require_user, user_from_row};
use super::{sql, Result, Secs, Store, Tx};
use crate::domain::{SessionInfo, User};

/// A session to begin.
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    /// SHA-256 of the session id (the cookie's value), hex.
    pub id_hash: &'a str,
    /// The session's CSRF secret.
    pub csrf_secret: &'a str,
    /// When it begins.
    pub now: DateTime<Utc>,
    /// When it ends at the latest.
    pub expires_at: DateTime<Utc>,
    /// Begun through a one-time sign-in link.
    pub via_link: bool,
    /// The browser's User-Agent (cut by the caller).
    pub user_agent: Option<&'a str>,
}

/// A live session and its user.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    /// Id of the row (not the cookie).
    pub id: i64,
    /// Whose session it is.
    pub user: User,
    /// The CSRF secret.
    pub csrf_secret: String,
    /// When it began.
    pub created_at: DateTime<Utc>,
    /// When it ends at the latest.
    pub expires_at: DateTime<Utc>,
    /// Begun through a one-time sign-in link.
    pub via_link: bool,
}

type SessionRow = (
    i64,
    String,
    Secs,
    Secs,
    Secs,
    bool,
    i64,
    String,
    String,
    Option<i64>,
);

async fn insert_session(tx: &mut Tx, user_id: i64, s: &NewSession<'_>) -> Result<i64> {
    let (id,): (i64,) = sql(
        "INSERT INTO sessions (id_hash, user_id, csrf_secret, created_at, last_seen_at, \
         expires_at, via_link, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(s.id_hash)
    .bind(user_id)
    .bind(s.csrf_secret)
    .bind(Secs::of(s.now))
    .bind(Secs::of(s.now))
    .bind(Secs::of(s.expires_at))
    .bind(s.via_link)
    .bind(s.user_agent)
    .fetch_one(&mut *tx)
    .await?;
    Ok(id)
}

impl Store {
    /// Begins a session for user `user_id` (not disabled); returns its row id.
    #[tracing::instrument(name = "store.create_session", skip_all, fields(user_id))]
    pub async fn create_session(&self, user_id: i64, session: &NewSession<'_>) -> Result<i64> {
        let mut tx = self.write_tx().await?;
        require_user(&mut tx, user_id, true).await?;
        let id = insert_session(&mut tx, user_id, session).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The live session whose id hashes to `id_hash`: not past its absolute end, last seen
    /// after `idle_cutoff`, its user not disabled. Its `last_seen_at` is moved to `now` when
    /// it is older than `touch_before` (a read is not a write every time).
    pub async fn session(
        &self,
        id_hash: &str,
        now: DateTime<Utc>,
        idle_cutoff: DateTime<Utc>,
        touch_before: DateTime<Utc>,
    ) -> Result<Option<SessionRecord>> {
        let row: Option<SessionRow> = sql(
            "SELECT s.id, s.csrf_secret, s.created_at, s.last_seen_at, s.expires_at, s.via_link, \
             u.id, u.name, u.role, u.employer_id \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = ? AND s.expires_at > ? AND s.last_seen_at > ? \
             AND u.disabled_at IS NULL",
        )
        .bind(id_hash)
        .bind(Secs::of(now))
        .bind(Secs::of(idle_cutoff))
        .fetch_optional(&self.pool)
        .await?;
        let Some((id, csrf_secret, created, seen, expires, via_link, uid, name, role, emp)) = row
        else {
            return Ok(None);
        };
        if seen < Secs::of(touch_before) {
            sql("UPDATE sessions SET last_seen_at = ? WHERE id = ?")
                .bind(Secs::of(now))
                .bind(id)
                .execute(&self.writer)
                .await?;
        }
        Ok(Some(SessionRecord {
            id,
            user: user_from_row((uid, name, role, emp))?,
            csrf_secret,
            created_at: created.0,
            expires_at: expires.0,
            via_link,
        }))
    }

    /// Ends the session whose id hashes to `id_hash` (nothing when there is none).
    pub async fn delete_session(&self, id_hash: &str) -> Result<()> {
        sql("DELETE FROM sessions WHERE id_hash = ?")
            .bind(id_hash)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Ends every session of user `user_id`; returns how many.
    pub async fn delete_sessions_of(&self, user_id: i64) -> Result<u64> {
        Ok(sql("DELETE FROM sessions WHERE user_id = ?")
            .bind(user_id)
            .execute(&self.writer)
            .await?
            .rows_affected())
    }

    /// The live sessions of user `user_id`, newest first.
    pub async fn sessions_of(
        &self,
        user_id: i64,
        now: DateTime<Utc>,
        idle_cutoff: DateTime<Utc>,
    ) -> Result<Vec<SessionInfo>> {
        let rows: Vec<(i64, Secs, Secs, Secs, Option<String>)> = sql(
            "SELECT id, created_at, last_seen_at, expires_at, user_agent FROM sessions \
             WHERE user_id = ? AND expires_at > ? AND last_seen_at > ? ORDER BY id DESC",
        )
        .bind(user_id)
        .bind(Secs::of(now))
        .bind(Secs::of(idle_cutoff))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, created, seen, expires, user_agent)| SessionInfo {
                id,
                created_at: created.0,
                last_seen_at: seen.0,
                expires_at: expires.0,
                user_agent,
            })
            .collect())
    }

    /// Deletes sessions past their end or idle since `idle_cutoff`, and sign-in links used or
    /// expired; returns the sessions deleted.
    pub async fn prune_sessions(
        &self,
        now: DateTime<Utc>,
        idle_cutoff: DateTime<Utc>,
    ) -> Result<u64> {
        let deleted = sql("DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?")
            .bind(Secs::of(now))
            .bind(Secs::of(idle_cutoff))
            .execute(&self.writer)
            .await?
            .rows_affected();
        sql("DELETE FROM sign_in_links WHERE used_at IS NOT NULL OR expires_at <= ?")
            .bind(Secs::of(now))
            .execute(&self.writer)
            .await?;
        Ok(deleted)
    }

    /// Makes a one-time sign-in link for user `user_id` (not disabled), working until
    /// `expires_at`; returns its secret (256 random bits, hex), which only the link holds: the
    /// database keeps its SHA-256.
    #[tracing::instrument(name = "store.create_sign_in_link", skip(self))]
    pub async fn create_sign_in_link(
        &self,
        user_id: i64,
        expires_at: DateTime<Utc>,
    ) -> Result<String> {
        let secret = random_hex();
        let mut tx = self.write_tx().await?;
        require_user(&mut tx, user_id, true).await?;
        sql(
            "INSERT INTO sign_in_links (token_hash, user_id, created_at, expires_at) \
             VALUES (?, ?, ?, ?)",
        )
        .bind(hash_token(&secret))
        .bind(user_id)
        .bind(Secs::of(super::now()))
        .bind(Secs::of(expires_at))
        .execute(&mut tx)
        .await?;
        tx.commit().await?;
        Ok(secret)
    }

    /// Uses the sign-in link with `secret`, if it is unused, unexpired and its user not
    /// disabled, and begins `session` for its user in the same transaction: a link works
    /// once, and is not used up without a session to show for it.
    #[tracing::instrument(name = "store.sign_in_with_link", skip_all)]
    pub async fn sign_in_with_link(
        &self,
        secret: &str,
        session: &NewSession<'_>,
    ) -> Result<Option<(User, i64)>> {
        let mut tx = self.write_tx().await?;
        let used: Option<(i64,)> = sql("UPDATE sign_in_links SET used_at = ? \
             WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? \
             AND user_id IN (SELECT id FROM users WHERE disabled_at IS NULL) RETURNING user_id")
        .bind(Secs::of(session.now))
        .bind(hash_token(secret))
        .bind(Secs::of(session.now))
        .fetch_optional(&mut tx)
        .await?;
        let Some((user_id,)) = used else {
            return Ok(None);
        };
        let user = require_user(&mut tx, user_id, true).await?;
        let id = insert_session(&mut tx, user_id, session).await?;
        tx.commit().await?;
        Ok(Some((user, id)))
    }
}

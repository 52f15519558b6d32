//! Users, their API tokens and how they sign in. Only SHA-256 hashes of tokens are stored
//! (with their first 12 characters, to recognise them), and only an argon2id hash of a
//! password. A revoked or expired token, and every token of a disabled user, authenticates
//! nothing.

use chrono::{DateTime, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::AssertSqlSafe;

use super::postings::Page;
use super::{now, sql, Result, Secs, Store, StoreError, Tx};
use crate::domain::{Account, Email, IssuedToken, Role, TokenInfo, User};

/// SHA-256 of a token, hex. Tokens are 256 random bits, so a plain hash is enough: there is
/// nothing to brute-force that a slow hash would protect.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// 256 random bits, hex.
pub(crate) fn random_hex() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn new_token() -> String {
    format!("kht_{}", random_hex())
}

/// Characters of a token kept in clear: `kht_` and 8 hex digits (32 of its 256 random bits),
/// the same characters the rate limiter names an account by.
pub const TOKEN_PREFIX_CHARS: usize = 12;

/// The first characters of a token, as listings show it.
pub fn token_prefix(token: &str) -> String {
    token.chars().take(TOKEN_PREFIX_CHARS).collect()
}

/// How stale a token's `last_used_at` may get before a use writes it again: a read does not
/// become a write every time.
const LAST_USED_EVERY_SECS: i64 = 60;

type UserRow = (i64, String, String, Option<i64>);
/// A user's row with one more column (its disabled time, a token's id, its password hash …).
type UserRowAnd<T> = (i64, String, String, Option<i64>, T);
/// A user's row with its token's id and last use.
type TokenUserRow = (i64, String, String, Option<i64>, i64, Option<Secs>);

pub(crate) fn user_from_row((id, name, role, employer_id): UserRow) -> Result<User> {
    let role = role.parse().map_err(StoreError::Corrupt)?;
    Ok(User {
        id,
        name,
        role,
        employer_id,
    })
}

type AccountRow = (
    i64,
    String,
    String,
    Option<i64>,
    Option<String>,
    bool,
    Option<Secs>,
    i64,
);

const ACCOUNT_COLUMNS: &str = "u.id, u.name, u.role, u.employer_id, u.email, \
     u.password_hash IS NOT NULL, u.disabled_at, \
     (SELECT COUNT(*) FROM api_tokens t WHERE t.user_id = u.id AND t.revoked_at IS NULL \
      AND (t.expires_at IS NULL OR t.expires_at > ?1) AND u.disabled_at IS NULL)";

fn account_from_row(row: AccountRow) -> Result<Account> {
    let (id, name, role, employer_id, email, has_password, disabled_at, active_tokens) = row;
    Ok(Account {
        id,
        name,
        role: role.parse().map_err(StoreError::Corrupt)?,
        employer_id,
        email,
        has_password,
        active_tokens,
        disabled_at: disabled_at.map(|t| t.0),
    })
}

type TokenRow = (
    i64,
    Option<String>,
    DateTime<Utc>,
    Option<Secs>,
    Option<Secs>,
    Option<Secs>,
    bool,
);

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewAccount<'a> {
    /// Name (already checked).
    pub name: &'a str,
    /// Role.
    pub role: Role,
    /// For employer users: their employer.
    pub employer_id: Option<i64>,
    /// Address to sign in with.
    pub email: Option<&'a Email>,
    /// argon2id PHC string of the password.
    pub password_hash: Option<String>,
    /// Whether to issue a first API token (a person who signs in in the browser may need
    /// none).
    pub with_token: bool,
    /// When the first API token stops working (never when `None`).
    pub token_expires_at: Option<DateTime<Utc>>,
}

fn email_taken(e: sqlx::Error, email: Option<&Email>) -> StoreError {
    match e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(format!(
            "a user with the e-mail address {} exists already",
            email.map(Email::as_str).unwrap_or("given")
        )),
        other => other.into(),
    }
}

/// Inserts a token for `user_id` in `tx`.
async fn insert_token(
    tx: &mut Tx,
    user_id: i64,
    expires_at: Option<DateTime<Utc>>,
) -> Result<IssuedToken> {
    let token = new_token();
    let prefix = token_prefix(&token);
    let (id,): (i64,) = sql(
        "INSERT INTO api_tokens (token_hash, prefix, user_id, created_at, expires_at) \
         VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(hash_token(&token))
    .bind(&prefix)
    .bind(user_id)
    .bind(now())
    .bind(expires_at.map(Secs::of))
    .fetch_one(&mut *tx)
    .await?;
    Ok(IssuedToken {
        id,
        prefix,
        token,
        expires_at,
    })
}

/// User `id`; fails when there is none, or (with `active`) when it is disabled.
pub(crate) async fn require_user(tx: &mut Tx, id: i64, active: bool) -> Result<User> {
    let row: Option<UserRowAnd<Option<Secs>>> =
        sql("SELECT id, name, role, employer_id, disabled_at FROM users WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    match row {
        None => Err(StoreError::NotFound { entity: "user", id }),
        Some((.., Some(_))) if active => Err(StoreError::Conflict(format!(
            "user {id} is disabled; enable it first"
        ))),
        Some((id, name, role, employer_id, _)) => user_from_row((id, name, role, employer_id)),
    }
}

impl Store {
    /// Creates a user and a first token; returns the user and the plain token (shown once).
    #[tracing::instrument(name = "store.create_user", skip(self))]
    pub async fn create_user(
        &self,
        name: &str,
        role: Role,
        employer_id: Option<i64>,
    ) -> Result<(User, String)> {
        let (user, token) = self
            .create_account(&NewAccount {
                name,
                role,
                employer_id,
                email: None,
                password_hash: None,
                with_token: true,
                token_expires_at: None,
            })
            .await?;
        let token = token.ok_or_else(|| StoreError::Corrupt("no token issued".into()))?;
        Ok((user, token.token))
    }

    /// Creates a user (with an e-mail address and password hash when given) and, when asked,
    /// a first token; returns the user and the token (shown once).
    #[tracing::instrument(name = "store.create_account", skip_all, fields(role = %new.role))]
    pub async fn create_account(
        &self,
        new: &NewAccount<'_>,
    ) -> Result<(User, Option<IssuedToken>)> {
        let mut tx = self.write_tx().await?;
        if let Some(eid) = new.employer_id {
            let exists: Option<(i64,)> = sql("SELECT id FROM employers WHERE id = ?")
                .bind(eid)
                .fetch_optional(&mut tx)
                .await?;
            if exists.is_none() {
                return Err(StoreError::InvalidReference {
                    field: "employer",
                    message: format!("no employer with id {eid}"),
                });
            }
        }
        let (id,): (i64,) = sql(
            "INSERT INTO users (name, role, employer_id, created_at, email, password_hash) \
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(new.name)
        .bind(new.role.as_str())
        .bind(new.employer_id)
        .bind(now())
        .bind(new.email.map(Email::as_str))
        .bind(new.password_hash.as_deref())
        .fetch_one(&mut tx)
        .await
        .map_err(|e| email_taken(e, new.email))?;
        let token = if new.with_token {
            Some(insert_token(&mut tx, id, new.token_expires_at).await?)
        } else {
            None
        };
        tx.commit().await?;
        let user = User {
            id,
            name: new.name.to_string(),
            role: new.role,
            employer_id: new.employer_id,
        };
        Ok((user, token))
    }

    /// Issues another token for an existing user.
    pub async fn add_token(&self, user_id: i64) -> Result<String> {
        Ok(self.issue_token(user_id, None).await?.token)
    }

    /// Issues another token for user `user_id`, working until `expires_at` (or for ever).
    /// A disabled user gets none.
    #[tracing::instrument(name = "store.issue_token", skip(self))]
    pub async fn issue_token(
        &self,
        user_id: i64,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<IssuedToken> {
        let mut tx = self.write_tx().await?;
        require_user(&mut tx, user_id, true).await?;
        let token = insert_token(&mut tx, user_id, expires_at).await?;
        tx.commit().await?;
        Ok(token)
    }

    /// The user a token belongs to, if the token is neither revoked nor expired and the user
    /// not disabled. Notes when the token was used, at most once a minute and without making
    /// the caller wait for the write.
    pub async fn user_by_token(&self, token: &str) -> Result<Option<User>> {
        let at = Secs::of(now());
        let row: Option<TokenUserRow> = sql(
            "SELECT u.id, u.name, u.role, u.employer_id, t.id, t.last_used_at \
             FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = ? AND t.revoked_at IS NULL \
             AND (t.expires_at IS NULL OR t.expires_at > ?) AND u.disabled_at IS NULL",
        )
        .bind(hash_token(token))
        .bind(at)
        .fetch_optional(&self.pool)
        .await?;
        let Some((id, name, role, employer_id, token_id, last_used)) = row else {
            return Ok(None);
        };
        if last_used.is_none_or(|t| t.0 <= at.0 - chrono::Duration::seconds(LAST_USED_EVERY_SECS)) {
            let pool = self.writer.clone();
            tokio::spawn(async move {
                let written = sql("UPDATE api_tokens SET last_used_at = ? WHERE id = ? \
                     AND (last_used_at IS NULL OR last_used_at < ?)")
                .bind(at)
                .bind(token_id)
                .bind(at)
                .execute(&pool)
                .await;
                if let Err(e) = written {
                    tracing::warn!(error = %e, "could not note when a token was used");
                }
            });
        }
        user_from_row((id, name, role, employer_id)).map(Some)
    }

    /// All users of a role, oldest first.
    pub async fn users_with_role(&self, role: Role) -> Result<Vec<User>> {
        let rows: Vec<UserRow> =
            sql("SELECT id, name, role, employer_id FROM users WHERE role = ? ORDER BY id")
                .bind(role.as_str())
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter().map(user_from_row).collect()
    }

    /// Every user as an admin sees it, oldest first.
    pub async fn accounts(&self, limit: i64, offset: i64) -> Result<Page<Account>> {
        let (total,): (i64,) = sql("SELECT COUNT(*) FROM users")
            .fetch_one(&self.pool)
            .await?;
        let rows: Vec<AccountRow> = sql(AssertSqlSafe(format!(
            "SELECT {ACCOUNT_COLUMNS} FROM users u ORDER BY u.id LIMIT ?2 OFFSET ?3"
        )))
        .bind(Secs::of(now()))
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        let items = rows
            .into_iter()
            .map(account_from_row)
            .collect::<Result<_>>()?;
        Ok(Page { total, items })
    }

    /// One user as an admin sees it.
    pub async fn account(&self, id: i64) -> Result<Account> {
        let row: Option<AccountRow> = sql(AssertSqlSafe(format!(
            "SELECT {ACCOUNT_COLUMNS} FROM users u WHERE u.id = ?2"
        )))
        .bind(Secs::of(now()))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(account_from_row)
            .transpose()?
            .ok_or(StoreError::NotFound { entity: "user", id })
    }

    /// Renames a user and sets or changes its e-mail address.
    #[tracing::instrument(name = "store.update_account", skip(self))]
    pub async fn update_account(
        &self,
        id: i64,
        name: Option<&str>,
        email: Option<&Email>,
    ) -> Result<Account> {
        let done = sql(
            "UPDATE users SET name = COALESCE(?, name), email = COALESCE(?, email) WHERE id = ?",
        )
        .bind(name)
        .bind(email.map(Email::as_str))
        .bind(id)
        .execute(&self.writer)
        .await
        .map_err(|e| email_taken(e, email))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound { entity: "user", id });
        }
        self.account(id).await
    }

    /// Disables user `id` (or enables it again). Disabling revokes every token, deletes every
    /// session and voids every unused sign-in link in the same transaction, so nothing the
    /// user held works a moment later. Enabling gives nothing back: new tokens and links are
    /// issued anew.
    #[tracing::instrument(name = "store.set_disabled", skip(self))]
    pub async fn set_disabled(&self, id: i64, disabled: bool) -> Result<Account> {
        let at = Secs::of(now());
        let mut tx = self.write_tx().await?;
        let done = if disabled {
            sql("UPDATE users SET disabled_at = COALESCE(disabled_at, ?) WHERE id = ?")
                .bind(at)
                .bind(id)
                .execute(&mut tx)
                .await?
        } else {
            sql("UPDATE users SET disabled_at = NULL WHERE id = ?")
                .bind(id)
                .execute(&mut tx)
                .await?
        };
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound { entity: "user", id });
        }
        if disabled {
            revoke_everything(&mut tx, id, at).await?;
        }
        tx.commit().await?;
        self.account(id).await
    }

    /// Revokes every token of user `id`, deletes its sessions and voids its unused sign-in
    /// links, in one transaction. Returns the number of tokens and sessions ended.
    #[tracing::instrument(name = "store.revoke_user", skip(self))]
    pub async fn revoke_user(&self, id: i64) -> Result<(u64, u64)> {
        let mut tx = self.write_tx().await?;
        require_user(&mut tx, id, false).await?;
        let ended = revoke_everything(&mut tx, id, Secs::of(now())).await?;
        tx.commit().await?;
        Ok(ended)
    }

    /// Revokes token `token_id` of user `user_id` (again is fine).
    #[tracing::instrument(name = "store.revoke_token", skip(self))]
    pub async fn revoke_token(&self, user_id: i64, token_id: i64) -> Result<()> {
        let done = sql(
            "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?) \
             WHERE id = ? AND user_id = ?",
        )
        .bind(Secs::of(now()))
        .bind(token_id)
        .bind(user_id)
        .execute(&self.writer)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                entity: "token",
                id: token_id,
            });
        }
        Ok(())
    }

    /// Revokes the tokens of user `user_id` whose prefix is `prefix`; returns how many were
    /// still active.
    #[tracing::instrument(name = "store.revoke_token_by_prefix", skip(self))]
    pub async fn revoke_token_by_prefix(&self, user_id: i64, prefix: &str) -> Result<u64> {
        let done = sql("UPDATE api_tokens SET revoked_at = ? \
             WHERE user_id = ? AND prefix = ? AND revoked_at IS NULL")
        .bind(Secs::of(now()))
        .bind(user_id)
        .bind(prefix)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected())
    }

    /// The tokens of user `user_id`, newest first: never the token itself.
    pub async fn tokens(&self, user_id: i64) -> Result<Vec<TokenInfo>> {
        let at = Secs::of(now());
        let user: Option<(Option<Secs>,)> = sql("SELECT disabled_at FROM users WHERE id = ?")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        let Some((disabled_at,)) = user else {
            return Err(StoreError::NotFound {
                entity: "user",
                id: user_id,
            });
        };
        let rows: Vec<TokenRow> = sql(
            "SELECT id, prefix, created_at, expires_at, last_used_at, revoked_at, \
             revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?) \
             FROM api_tokens WHERE user_id = ? ORDER BY id DESC",
        )
        .bind(at)
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, prefix, created_at, expires_at, last_used_at, revoked_at, active)| {
                    TokenInfo {
                        id,
                        prefix,
                        created_at,
                        expires_at: expires_at.map(|t| t.0),
                        last_used_at: last_used_at.map(|t| t.0),
                        revoked: revoked_at.is_some(),
                        active: active && disabled_at.is_none(),
                    }
                },
            )
            .collect())
    }

    /// The user with address `email` and its password hash, unless the user is disabled.
    pub async fn user_by_email(&self, email: &Email) -> Result<Option<(User, Option<String>)>> {
        let row: Option<UserRowAnd<Option<String>>> = sql(
            "SELECT id, name, role, employer_id, password_hash FROM users \
             WHERE email = ? AND disabled_at IS NULL",
        )
        .bind(email.as_str())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(id, name, role, employer_id, hash)| {
            Ok((user_from_row((id, name, role, employer_id))?, hash))
        })
        .transpose()
    }

    /// The password hash of user `id`, if it has a password.
    pub async fn password_hash(&self, id: i64) -> Result<Option<String>> {
        let row: Option<(Option<String>,)> = sql("SELECT password_hash FROM users WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|(h,)| h)
            .ok_or(StoreError::NotFound { entity: "user", id })
    }

    /// Sets the password hash of user `id` and ends its other sessions (`keep`: the session
    /// that set it), in one transaction: whoever knew the old password is signed out.
    #[tracing::instrument(name = "store.set_password", skip(self, hash))]
    pub async fn set_password(&self, id: i64, hash: &str, keep: Option<i64>) -> Result<()> {
        let mut tx = self.write_tx().await?;
        let done = sql("UPDATE users SET password_hash = ? WHERE id = ?")
            .bind(hash)
            .bind(id)
            .execute(&mut tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound { entity: "user", id });
        }
        sql("DELETE FROM sessions WHERE user_id = ? AND id IS DISTINCT FROM ?")
            .bind(id)
            .bind(keep)
            .execute(&mut tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Revokes every token of `user_id`, deletes its sessions and voids its unused sign-in links;
/// returns the tokens and sessions ended.
async fn revoke_everything(tx: &mut Tx, user_id: i64, at: Secs) -> Result<(u64, u64)> {
    let tokens =
        sql("UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL")
            .bind(at)
            .bind(user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    let sessions = sql("DELETE FROM sessions WHERE user_id = ?")
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    sql("UPDATE sign_in_links SET used_at = ? WHERE user_id = ? AND used_at IS NULL")
        .bind(at)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    Ok((tokens, sessions))
}

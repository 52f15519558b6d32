//! Users and their API tokens (only SHA-256 hashes are stored).

use rand::RngCore;
use sha2::{Digest, Sha256};

use super::{now, Result, Store, StoreError};
use crate::domain::{Role, User};

/// SHA-256 of a token, hex. Tokens are 256 random bits, so a plain hash is enough: there is
/// nothing to brute-force that a slow hash would protect.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("kht_{}", hex::encode(bytes))
}

type UserRow = (i64, String, String, Option<i64>);

fn user_from_row((id, name, role, employer_id): UserRow) -> Result<User> {
    let role = role.parse().map_err(StoreError::Corrupt)?;
    Ok(User {
        id,
        name,
        role,
        employer_id,
    })
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
        let mut tx = self.write_tx().await?;
        if let Some(eid) = employer_id {
            let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM employers WHERE id = ?")
                .bind(eid)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_none() {
                return Err(StoreError::InvalidReference {
                    field: "employer",
                    message: format!("no employer with id {eid}"),
                });
            }
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO users (name, role, employer_id, created_at) VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(name)
        .bind(role.as_str())
        .bind(employer_id)
        .bind(now())
        .fetch_one(&mut *tx)
        .await?;
        let token = new_token();
        sqlx::query("INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES (?, ?, ?)")
            .bind(hash_token(&token))
            .bind(id)
            .bind(now())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok((
            User {
                id,
                name: name.to_string(),
                role,
                employer_id,
            },
            token,
        ))
    }

    /// Issues another token for an existing user.
    pub async fn add_token(&self, user_id: i64) -> Result<String> {
        let token = new_token();
        sqlx::query("INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES (?, ?, ?)")
            .bind(hash_token(&token))
            .bind(user_id)
            .bind(now())
            .execute(&self.pool)
            .await?;
        Ok(token)
    }

    /// The user a token belongs to, if any.
    pub async fn user_by_token(&self, token: &str) -> Result<Option<User>> {
        let row: Option<UserRow> = sqlx::query_as(
            "SELECT u.id, u.name, u.role, u.employer_id FROM api_tokens t \
             JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?",
        )
        .bind(hash_token(token))
        .fetch_optional(&self.pool)
        .await?;
        row.map(user_from_row).transpose()
    }

    /// All users of a role, oldest first.
    pub async fn users_with_role(&self, role: Role) -> Result<Vec<User>> {
        let rows: Vec<UserRow> = sqlx::query_as(
            "SELECT id, name, role, employer_id FROM users WHERE role = ? ORDER BY id",
        )
        .bind(role.as_str())
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(user_from_row).collect()
    }
}

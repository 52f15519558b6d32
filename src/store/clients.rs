//! Clients on coaches' caseloads, and the log of who read them.

use chrono::{DateTime, NaiveDate, Utc};

use sqlx::AssertSqlSafe;

use super::changelog::{append, Entity};
use super::{now, Page, Result, Store, StoreError};
use crate::domain::{Client, ClientDraft};

const CLIENT_SELECT: &str = "SELECT id, coach_id, display_name, home_municipality, intake_date, \
    treatment_team_contact, preferences, created_at, updated_at FROM clients";

#[derive(sqlx::FromRow)]
struct ClientRow {
    id: i64,
    coach_id: i64,
    display_name: String,
    home_municipality: String,
    intake_date: NaiveDate,
    treatment_team_contact: Option<String>,
    preferences: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<ClientRow> for Client {
    type Error = StoreError;
    fn try_from(r: ClientRow) -> Result<Self> {
        Ok(Client {
            preferences: serde_json::from_str(&r.preferences)
                .map_err(|e| StoreError::Corrupt(format!("client {} preferences: {e}", r.id)))?,
            id: r.id,
            coach_id: r.coach_id,
            display_name: r.display_name,
            home_municipality: r.home_municipality,
            intake_date: r.intake_date,
            treatment_team_contact: r.treatment_team_contact,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

impl Store {
    /// Adds a client to `coach_id`'s caseload.
    #[tracing::instrument(name = "store.create_client", skip_all, fields(coach_id))]
    pub async fn create_client(&self, coach_id: i64, d: &ClientDraft) -> Result<Client> {
        let at = now();
        let prefs = serde_json::to_string(&d.preferences).expect("preferences serialize");
        let mut tx = self.write_tx().await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO clients (coach_id, display_name, home_municipality, intake_date, \
             treatment_team_contact, preferences, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(coach_id)
        .bind(&d.display_name)
        .bind(&d.home_municipality)
        .bind(d.intake_date)
        .bind(&d.treatment_team_contact)
        .bind(prefs)
        .bind(at)
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        append(&mut tx, Entity::Client, id, "create", at).await?;
        log_access(&mut tx, id, coach_id, "create", at).await?;
        tx.commit().await?;
        self.client_row(id).await
    }

    /// One client of `coach_id`, logging the read. Another coach's client is `NotFound`.
    #[tracing::instrument(name = "store.client_for_coach", skip(self))]
    pub async fn client_for_coach(&self, id: i64, coach_id: i64) -> Result<Client> {
        let client = self.client_row(id).await?;
        if client.coach_id != coach_id {
            return Err(StoreError::NotFound {
                entity: "client",
                id,
            });
        }
        let mut conn = self.pool.acquire().await?;
        log_access(&mut conn, id, coach_id, "read", now()).await?;
        Ok(client)
    }

    async fn client_row(&self, id: i64) -> Result<Client> {
        let row: Option<ClientRow> =
            sqlx::query_as(AssertSqlSafe(format!("{CLIENT_SELECT} WHERE id = ?")))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.ok_or(StoreError::NotFound {
            entity: "client",
            id,
        })?
        .try_into()
    }

    /// Replaces a client's fields; only the client's own coach may.
    #[tracing::instrument(name = "store.update_client", skip(self, d))]
    pub async fn update_client(&self, id: i64, coach_id: i64, d: &ClientDraft) -> Result<Client> {
        let at = now();
        let prefs = serde_json::to_string(&d.preferences).expect("preferences serialize");
        let mut tx = self.write_tx().await?;
        let done = sqlx::query(
            "UPDATE clients SET display_name = ?, home_municipality = ?, intake_date = ?, \
             treatment_team_contact = ?, preferences = ?, updated_at = ? \
             WHERE id = ? AND coach_id = ?",
        )
        .bind(&d.display_name)
        .bind(&d.home_municipality)
        .bind(d.intake_date)
        .bind(&d.treatment_team_contact)
        .bind(prefs)
        .bind(at)
        .bind(id)
        .bind(coach_id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                entity: "client",
                id,
            });
        }
        append(&mut tx, Entity::Client, id, "update", at).await?;
        log_access(&mut tx, id, coach_id, "update", at).await?;
        tx.commit().await?;
        self.client_row(id).await
    }

    /// A coach's caseload, newest intake first.
    pub async fn clients_of_coach(
        &self,
        coach_id: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Page<Client>> {
        let (total,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM clients WHERE coach_id = ?")
            .bind(coach_id)
            .fetch_one(&self.pool)
            .await?;
        let rows: Vec<ClientRow> = sqlx::query_as(AssertSqlSafe(format!(
            "{CLIENT_SELECT} WHERE coach_id = ? ORDER BY intake_date DESC, id DESC LIMIT ? OFFSET ?"
        )))
        .bind(coach_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        Ok(Page {
            total,
            items: rows
                .into_iter()
                .map(Client::try_from)
                .collect::<Result<_>>()?,
        })
    }

    /// How many times the access log records `action` on `client_id` (audit).
    pub async fn client_access_count(&self, client_id: i64, action: &str) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM client_access_log WHERE client_id = ? AND action = ?",
        )
        .bind(client_id)
        .bind(action)
        .fetch_one(&self.pool)
        .await?;
        Ok(n)
    }
}

async fn log_access(
    conn: &mut sqlx::SqliteConnection,
    client_id: i64,
    user_id: i64,
    action: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO client_access_log (client_id, user_id, action, at) VALUES (?, ?, ?, ?)",
    )
    .bind(client_id)
    .bind(user_id)
    .bind(action)
    .bind(at)
    .execute(conn)
    .await?;
    Ok(())
}

//! Clients on coaches' caseloads: who may see which (every read, change and refusal goes to
//! the access log), and erasure.

use chrono::{DateTime, NaiveDate, Utc};

use sqlx::AssertSqlSafe;

use super::access::{write_access, Access};
use super::changelog::{append, Entity};
use super::{now, sql, Page, Result, Store, StoreError, Tx};
use crate::domain::{pseudonym, AccessAction, AccessTarget, Client, ClientDraft, DenialReason};

pub(super) const CLIENT_SELECT: &str =
    "SELECT id, coach_id, display_name, home_municipality, intake_date, \
    treatment_team_contact, preferences, created_at, updated_at, erased_at FROM clients";

/// The name of the caseload list in the access log (`GET /api/v1/clients`).
pub const CASELOAD_LIST: &str = "clients";

#[derive(sqlx::FromRow)]
pub(super) struct ClientRow {
    id: i64,
    coach_id: i64,
    display_name: String,
    home_municipality: String,
    intake_date: NaiveDate,
    treatment_team_contact: Option<String>,
    preferences: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    erased_at: Option<DateTime<Utc>>,
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
        let (id,): (i64,) = sql(
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
        .fetch_one(&mut tx)
        .await?;
        append(&mut tx, Entity::Client, id, "create", at).await?;
        let access = Access::allowed(coach_id, AccessAction::Create, AccessTarget::Client(id));
        write_access(&mut tx, &access).await?;
        tx.commit().await?;
        self.client_row(id).await
    }

    /// One client of `coach_id`, logging the read. Another coach's client is `NotFound`.
    #[tracing::instrument(name = "store.client_for_coach", skip(self))]
    pub async fn client_for_coach(&self, id: i64, coach_id: i64) -> Result<Client> {
        self.client_for(id, coach_id, AccessAction::Read).await
    }

    /// One client of `coach_id` for `action`, written to the access log. Another coach's
    /// client, an erased client and an id that names none are `NotFound` to the caller and a
    /// refused attempt, with its reason, in the log.
    #[tracing::instrument(name = "store.client_for", skip(self), fields(action = action.as_str()))]
    pub async fn client_for(&self, id: i64, coach_id: i64, action: AccessAction) -> Result<Client> {
        let client = self.own_client(id, coach_id, action).await?;
        self.log_access(&Access::allowed(coach_id, action, AccessTarget::Client(id)))
            .await?;
        Ok(client)
    }

    /// [`Store::client_for`] without the allowed row: for a caller that logs the change it
    /// goes on to make in that change's transaction. A refusal is logged here.
    pub async fn own_client(&self, id: i64, coach_id: i64, action: AccessAction) -> Result<Client> {
        let row: Option<ClientRow> = sql(AssertSqlSafe(format!("{CLIENT_SELECT} WHERE id = ?")))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        let refused = match &row {
            None => Some(DenialReason::NoSuchClient),
            Some(r) if r.erased_at.is_some() => Some(DenialReason::Erased),
            Some(r) if r.coach_id != coach_id => Some(DenialReason::NotOnCaseload),
            Some(_) => None,
        };
        match (refused, row) {
            (None, Some(row)) => row.try_into(),
            (reason, _) => Err(self
                .refuse(
                    coach_id,
                    action,
                    id,
                    reason.unwrap_or(DenialReason::NoSuchClient),
                )
                .await),
        }
    }

    /// Logs a refused attempt on client `id` and returns what the caller is told: the client
    /// does not exist (or the logging error).
    async fn refuse(
        &self,
        user_id: i64,
        action: AccessAction,
        id: i64,
        reason: DenialReason,
    ) -> StoreError {
        let access = Access::denied(user_id, action, AccessTarget::Client(id), reason);
        match self.log_access(&access).await {
            Ok(()) => StoreError::NotFound {
                entity: "client",
                id,
            },
            Err(e) => e,
        }
    }

    async fn client_row(&self, id: i64) -> Result<Client> {
        let row: Option<ClientRow> = sql(AssertSqlSafe(format!("{CLIENT_SELECT} WHERE id = ?")))
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
        let done = sql(
            "UPDATE clients SET display_name = ?, home_municipality = ?, intake_date = ?, \
             treatment_team_contact = ?, preferences = ?, updated_at = ? \
             WHERE id = ? AND coach_id = ? AND erased_at IS NULL",
        )
        .bind(&d.display_name)
        .bind(&d.home_municipality)
        .bind(d.intake_date)
        .bind(&d.treatment_team_contact)
        .bind(prefs)
        .bind(at)
        .bind(id)
        .bind(coach_id)
        .execute(&mut tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                entity: "client",
                id,
            });
        }
        append(&mut tx, Entity::Client, id, "update", at).await?;
        let access = Access::allowed(coach_id, AccessAction::Update, AccessTarget::Client(id));
        write_access(&mut tx, &access).await?;
        tx.commit().await?;
        self.client_row(id).await
    }

    /// A coach's caseload, newest intake first (erased clients left out); the page read is
    /// written to the access log with the clients it shows.
    pub async fn clients_of_coach(
        &self,
        coach_id: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Page<Client>> {
        let (total,): (i64,) =
            sql("SELECT COUNT(*) FROM clients WHERE coach_id = ? AND erased_at IS NULL")
                .bind(coach_id)
                .fetch_one(&self.pool)
                .await?;
        let rows: Vec<ClientRow> = sql(AssertSqlSafe(format!(
            "{CLIENT_SELECT} WHERE coach_id = ? AND erased_at IS NULL \
             ORDER BY intake_date DESC, id DESC LIMIT ? OFFSET ?"
        )))
        .bind(coach_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        let items: Vec<Client> = rows
            .into_iter()
            .map(Client::try_from)
            .collect::<Result<_>>()?;
        let shown: Vec<i64> = items.iter().map(|c| c.id).collect();
        self.log_access(&Access::allowed(
            coach_id,
            AccessAction::List,
            AccessTarget::List(CASELOAD_LIST, &shown),
        ))
        .await?;
        Ok(Page { total, items })
    }

    /// Erases client `id` (GDPR art. 17, or the end of retention) on behalf of `user_id`: the
    /// client's own coach, or, with `any_caseload`, an admin (the caller checks the role).
    ///
    /// In one transaction: the display name becomes [`pseudonym`], the municipality,
    /// treatment-team contact and preferences are cleared; the notes of the client's events
    /// (the one update the events' trigger lets through, and only for an erased client), the
    /// purpose and outcome of employer contacts about the client and employers' comments on
    /// its placements are cleared, and feedback forms not yet answered are withdrawn. The
    /// events themselves, the answered forms' ratings, the served match lists and the access
    /// log stay as pseudonymous records: the funnel and fidelity figures count the client as
    /// before. A change-log row lets derived data follow. Afterwards the client is `NotFound`
    /// to everyone.
    #[tracing::instrument(name = "store.erase_client", skip(self))]
    pub async fn erase_client(&self, id: i64, user_id: i64, any_caseload: bool) -> Result<()> {
        let at = now();
        let mut tx = self.write_tx().await?;
        let row: Option<(i64, Option<DateTime<Utc>>)> = sql(AssertSqlSafe(format!(
            "SELECT coach_id, erased_at FROM clients WHERE id = ?{}",
            self.backend().row_lock(false)
        )))
        .bind(id)
        .fetch_optional(&mut tx)
        .await?;
        let refused = match row {
            None => Some(DenialReason::NoSuchClient),
            Some((_, Some(_))) => Some(DenialReason::Erased),
            Some((coach, None)) if coach != user_id && !any_caseload => {
                Some(DenialReason::NotOnCaseload)
            }
            Some(_) => None,
        };
        if let Some(reason) = refused {
            let access = Access::denied(
                user_id,
                AccessAction::Erase,
                AccessTarget::Client(id),
                reason,
            );
            write_access(&mut tx, &access).await?;
            tx.commit().await?;
            return Err(StoreError::NotFound {
                entity: "client",
                id,
            });
        }
        sql(
            "UPDATE clients SET display_name = ?, home_municipality = '', \
             treatment_team_contact = NULL, preferences = '{}', erased_at = ?, updated_at = ? \
             WHERE id = ?",
        )
        .bind(pseudonym(id))
        .bind(at)
        .bind(at)
        .bind(id)
        .execute(&mut tx)
        .await?;
        erase_free_text(&mut tx, id).await?;
        append(&mut tx, Entity::Client, id, "erase", at).await?;
        let access = Access::allowed(user_id, AccessAction::Erase, AccessTarget::Client(id));
        write_access(&mut tx, &access).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Clears the free text about erased client `id` kept outside its record.
async fn erase_free_text(conn: &mut Tx, id: i64) -> Result<()> {
    sql("UPDATE client_events SET note = NULL WHERE client_id = ? AND note IS NOT NULL")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sql(
        "UPDATE employer_contacts SET purpose = NULL, outcome = NULL \
         WHERE client_id = ? AND (purpose IS NOT NULL OR outcome IS NOT NULL)",
    )
    .bind(id)
    .execute(&mut *conn)
    .await?;
    sql("UPDATE feedback_forms SET comment = NULL WHERE client_id = ? AND comment IS NOT NULL")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    sql("DELETE FROM feedback_forms WHERE client_id = ? AND submitted_at IS NULL")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Whether `coach_id` may see client `id` now: `Err` with the reason when not.
pub(super) async fn caseload_check(
    conn: &mut Tx,
    id: i64,
    coach_id: i64,
) -> Result<std::result::Result<(), DenialReason>> {
    // Locked until the caller's write commits: an erasure waits for it (and then erases what
    // it wrote), or the caller waits for the erasure and is refused.
    let row: Option<(i64, bool)> = sql(AssertSqlSafe(format!(
        "SELECT coach_id, erased_at IS NOT NULL FROM clients WHERE id = ?{}",
        conn.backend().row_lock(true)
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(match row {
        None => Err(DenialReason::NoSuchClient),
        Some((_, true)) => Err(DenialReason::Erased),
        Some((coach, false)) if coach != coach_id => Err(DenialReason::NotOnCaseload),
        Some(_) => Ok(()),
    })
}

//! The access log: one row per read of client data (a client, or a list with the clients it
//! showed), per change, and per refused attempt; and the auditor's queries over it.

use chrono::{DateTime, Utc};

use sqlx::AssertSqlSafe;

use super::{now, sql, Page, Result, Stamp, Store, StoreError, Tx};
use crate::domain::{AccessAction, AccessEntry, AccessTarget, DenialReason};

/// One access to log.
#[derive(Debug, Clone, Copy)]
pub struct Access<'a> {
    /// Who.
    pub user_id: i64,
    /// What was done or tried.
    pub action: AccessAction,
    /// On what.
    pub target: AccessTarget<'a>,
    /// `None`: allowed; else why it was refused.
    pub denied: Option<DenialReason>,
}

impl<'a> Access<'a> {
    /// An allowed access.
    pub fn allowed(user_id: i64, action: AccessAction, target: AccessTarget<'a>) -> Self {
        Self {
            user_id,
            action,
            target,
            denied: None,
        }
    }

    /// A refused attempt.
    pub fn denied(
        user_id: i64,
        action: AccessAction,
        target: AccessTarget<'a>,
        reason: DenialReason,
    ) -> Self {
        Self {
            user_id,
            action,
            target,
            denied: Some(reason),
        }
    }
}

/// Which rows an auditor asks for; every field narrows.
#[derive(Debug, Clone, Default)]
pub struct AccessQuery {
    /// Rows about this client: asked for by id, or shown in a list.
    pub client_id: Option<i64>,
    /// Rows of this user.
    pub user_id: Option<i64>,
    /// At or after.
    pub from: Option<DateTime<Utc>>,
    /// At or before.
    pub to: Option<DateTime<Utc>>,
}

/// Writes `a` on `conn` (inside the caller's transaction when it has one).
pub(super) async fn write_access(conn: &mut Tx, a: &Access<'_>) -> Result<()> {
    let (client_id, list, clients) = match a.target {
        AccessTarget::Client(id) => (Some(id), None, &[][..]),
        AccessTarget::List(name, clients) => (None, Some(name), clients),
    };
    let (id,): (i64,) = sql(
        "INSERT INTO access_log (at, user_id, action, client_id, list, outcome, reason) \
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(Stamp::of(now()))
    .bind(a.user_id)
    .bind(a.action.as_str())
    .bind(client_id)
    .bind(list)
    .bind(if a.denied.is_some() {
        "denied"
    } else {
        "allowed"
    })
    .bind(a.denied.map(DenialReason::as_str))
    .fetch_one(&mut *conn)
    .await?;
    let mut shown = clients.to_vec();
    shown.sort_unstable();
    shown.dedup();
    // A few hundred ids at most (a caseload): one statement per chunk.
    for chunk in shown.chunks(400) {
        let rows = vec!["(?, ?)"; chunk.len()].join(", ");
        let mut q = sql(AssertSqlSafe(format!(
            "INSERT INTO access_log_clients (access_id, client_id) VALUES {rows}"
        )));
        for client in chunk {
            q = q.bind(id).bind(*client);
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    at: Stamp,
    user_id: i64,
    user_name: String,
    user_role: String,
    action: String,
    client_id: Option<i64>,
    list: Option<String>,
    clients: Option<String>,
    outcome: String,
    reason: Option<String>,
}

impl TryFrom<EntryRow> for AccessEntry {
    type Error = StoreError;
    fn try_from(r: EntryRow) -> Result<Self> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("access log row {}: {what}", r.id));
        Ok(AccessEntry {
            at: r.at.0,
            user_role: r.user_role.parse().map_err(|_| corrupt("role"))?,
            action: AccessAction::parse(&r.action).ok_or_else(|| corrupt("action"))?,
            clients: match &r.clients {
                Some(json) => serde_json::from_str(json).map_err(|_| corrupt("clients"))?,
                None => Vec::new(),
            },
            outcome: if r.outcome == "denied" {
                "denied"
            } else {
                "allowed"
            },
            reason: r
                .reason
                .as_deref()
                .map(|s| DenialReason::parse(s).ok_or_else(|| corrupt("reason")))
                .transpose()?,
            id: r.id,
            user_id: r.user_id,
            user_name: r.user_name,
            client_id: r.client_id,
            list: r.list,
        })
    }
}

/// The rows of `q`, as SQL over `access_log a` joined with `users u`; parameters ?1–?4.
const ACCESS_WHERE: &str = "WHERE (?1 IS NULL OR a.client_id = ?1 \
        OR a.id IN (SELECT access_id FROM access_log_clients WHERE client_id = ?1)) \
      AND (?2 IS NULL OR a.user_id = ?2) \
      AND (?3 IS NULL OR a.at >= ?3) \
      AND (?4 IS NULL OR a.at <= ?4)";

impl Store {
    /// Writes one access-log row. A failure fails the request that read: nothing is shown
    /// that the log does not record.
    #[tracing::instrument(name = "store.log_access", skip_all, fields(action = a.action.as_str()))]
    pub async fn log_access(&self, a: &Access<'_>) -> Result<()> {
        let mut tx = self.write_tx().await?;
        write_access(&mut tx, a).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A page of the log, newest first.
    #[tracing::instrument(name = "store.access_log", skip(self))]
    pub async fn access_log(
        &self,
        q: &AccessQuery,
        limit: i64,
        offset: i64,
    ) -> Result<Page<AccessEntry>> {
        let from = q.from.map(Stamp::of);
        let to = q.to.map(Stamp::of);
        let (total,): (i64,) = sql(AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM access_log a {ACCESS_WHERE}"
        )))
        .bind(q.client_id)
        .bind(q.user_id)
        .bind(from)
        .bind(to)
        .fetch_one(&self.pool)
        .await?;
        let rows: Vec<EntryRow> = sql(AssertSqlSafe(format!(
            "SELECT a.id, a.at, a.user_id, u.name AS user_name, u.role AS user_role, a.action, \
             a.client_id, a.list, a.outcome, a.reason, \
             (SELECT {clients} FROM access_log_clients c \
              WHERE c.access_id = a.id) AS clients \
             FROM access_log a JOIN users u ON u.id = a.user_id {ACCESS_WHERE} \
             ORDER BY a.id DESC LIMIT ?5 OFFSET ?6",
            clients = self.backend().json_array_agg("c.client_id")
        )))
        .bind(q.client_id)
        .bind(q.user_id)
        .bind(from)
        .bind(to)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        Ok(Page {
            total,
            items: rows
                .into_iter()
                .map(AccessEntry::try_from)
                .collect::<Result<_>>()?,
        })
    }

    /// Every row about `client_id`, oldest first (for the client's export).
    pub async fn access_log_of_client(&self, client_id: i64) -> Result<Vec<AccessEntry>> {
        let q = AccessQuery {
            client_id: Some(client_id),
            ..Default::default()
        };
        let mut page = self.access_log(&q, i64::MAX, 0).await?;
        page.items.reverse();
        Ok(page.items)
    }

    /// How many times the access log records `action` on `client_id` (audit).
    pub async fn client_access_count(&self, client_id: i64, action: &str) -> Result<i64> {
        let (n,): (i64,) =
            sql("SELECT COUNT(*) FROM access_log WHERE client_id = ? AND action = ?")
                .bind(client_id)
                .bind(action)
                .fetch_one(&self.pool)
                .await?;
        Ok(n)
    }
}

//! The change log: a monotonically numbered record of every write the index must follow.

use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

use super::{Result, Store};

/// The kinds of record the index follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Entity {
    /// A vacancy.
    Vacancy,
    /// A subcontracting task.
    Task,
    /// An employer (its name appears in its postings).
    Employer,
    /// A client (not indexed; logged for replicas and audit).
    Client,
}

impl Entity {
    fn as_str(self) -> &'static str {
        match self {
            Entity::Vacancy => "vacancy",
            Entity::Task => "task",
            Entity::Employer => "employer",
            Entity::Client => "client",
        }
    }

    fn from_db(s: &str) -> Option<Self> {
        Some(match s {
            "vacancy" => Entity::Vacancy,
            "task" => Entity::Task,
            "employer" => Entity::Employer,
            "client" => Entity::Client,
            _ => return None,
        })
    }
}

/// One change-log row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Sequence number, strictly increasing.
    pub seq: i64,
    /// What changed.
    pub entity: Entity,
    /// Its id.
    pub entity_id: i64,
}

pub(super) async fn append(
    conn: &mut SqliteConnection,
    entity: Entity,
    entity_id: i64,
    op: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    sqlx::query("INSERT INTO change_log (entity, entity_id, op, at) VALUES (?, ?, ?, ?)")
        .bind(entity.as_str())
        .bind(entity_id)
        .bind(op)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

impl Store {
    /// The latest change up to `seq` to something the search index holds (postings and
    /// employers; clients are logged but not indexed); 0 when none.
    pub async fn last_indexed_change(&self, seq: i64) -> Result<i64> {
        let last: Option<i64> = sqlx::query_scalar(
            "SELECT seq FROM change_log WHERE seq <= ? AND entity <> 'client' \
             ORDER BY seq DESC LIMIT 1",
        )
        .bind(seq)
        .fetch_optional(&self.pool)
        .await?;
        Ok(last.unwrap_or(0))
    }

    /// Changes after `seq`, oldest first, at most `limit`.
    pub async fn changes_since(&self, seq: i64, limit: i64) -> Result<Vec<Change>> {
        let rows: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT seq, entity, entity_id FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?",
        )
        .bind(seq)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(seq, entity, entity_id)| {
                Entity::from_db(&entity).map(|entity| Change {
                    seq,
                    entity,
                    entity_id,
                })
            })
            .collect())
    }

    /// Postings changed after `after` (up to `upto`) of the change log that are not open now:
    /// closed or gone. The index may still hold them until it applies those changes.
    pub async fn closed_postings_changed(
        &self,
        after: i64,
        upto: i64,
    ) -> Result<Vec<(Entity, i64)>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT DISTINCT c.entity, c.entity_id FROM change_log c \
             WHERE c.seq > ?1 AND c.seq <= ?2 AND ( \
               (c.entity = 'vacancy' AND NOT EXISTS (SELECT 1 FROM vacancies v \
                  WHERE v.id = c.entity_id AND v.status = 'open')) \
               OR (c.entity = 'task' AND NOT EXISTS (SELECT 1 FROM tasks t \
                  WHERE t.id = c.entity_id AND t.status = 'open')))",
        )
        .bind(after)
        .bind(upto)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(entity, id)| Entity::from_db(&entity).map(|e| (e, id)))
            .collect())
    }

    /// The newest sequence number, 0 for an empty log.
    pub async fn last_change_seq(&self) -> Result<i64> {
        let (seq,): (Option<i64>,) = sqlx::query_as("SELECT MAX(seq) FROM change_log")
            .fetch_one(&self.pool)
            .await?;
        Ok(seq.unwrap_or(0))
    }
}

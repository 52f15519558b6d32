//! The change log: a monotonically numbered record of every write the index must follow.
//!
//! A follower reads the changes after the last number it applied, so a number must never
//! become visible after a higher one has been read. On SQLite that holds by itself: one
//! writer at a time, numbers taken in commit order. On PostgreSQL a number drawn when the row
//! is written is not: a transaction that drew 10 may commit after one that drew 11 was read.
//! So there a change is written without a number (with its transaction id, `xid`) and gets
//! one only once every transaction that could still add an earlier change is over — the
//! outbox rule: only changes of transactions older than the oldest one still running
//! (`pg_snapshot_xmin(pg_current_snapshot())`) are numbered, in (transaction id, insertion)
//! order, by one numberer at a time (a transaction-scoped advisory lock). The numbers a
//! follower reads are then dense, final and in the order the changes became final, on every
//! node, and the rest of the service reads `seq` the same way on both databases.

use chrono::{DateTime, Utc};

use super::{sql, Backend, Pool, Result, Store, Tx};

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
    /// A funnel event (not indexed; logged on PostgreSQL only, where the funnel figures
    /// follow the log: ids there are not in commit order).
    Event,
    /// An employer contact (as [`Entity::Event`]).
    Contact,
}

impl Entity {
    fn as_str(self) -> &'static str {
        match self {
            Entity::Vacancy => "vacancy",
            Entity::Task => "task",
            Entity::Employer => "employer",
            Entity::Client => "client",
            Entity::Event => "client_event",
            Entity::Contact => "employer_contact",
        }
    }

    fn from_db(s: &str) -> Option<Self> {
        Some(match s {
            "vacancy" => Entity::Vacancy,
            "task" => Entity::Task,
            "employer" => Entity::Employer,
            "client" => Entity::Client,
            "client_event" => Entity::Event,
            "employer_contact" => Entity::Contact,
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
    conn: &mut Tx,
    entity: Entity,
    entity_id: i64,
    op: &str,
    at: DateTime<Utc>,
) -> Result<()> {
    sql("INSERT INTO change_log (entity, entity_id, op, at) VALUES (?, ?, ?, ?)")
        .bind(entity.as_str())
        .bind(entity_id)
        .bind(op)
        .bind(at)
        .execute(conn)
        .await?;
    Ok(())
}

/// Logs a new funnel event or employer contact, on PostgreSQL only: there the funnel rows
/// follow the numbered log (ids are drawn before commit, so "ids above the last read" could
/// miss one that commits late); on SQLite their ids are in commit order and say it all.
pub(super) async fn append_funnel_row(conn: &mut Tx, entity: Entity, id: i64) -> Result<()> {
    if conn.backend() == Backend::Postgres {
        append(conn, entity, id, "create", chrono::Utc::now()).await?;
    }
    Ok(())
}

/// The channel the change log's trigger notifies on PostgreSQL.
const CHANGES_CHANNEL: &str = "kohtaamo_changes";

/// The advisory lock key of the change-log numberer (any constant the service owns).
const NUMBERER_LOCK: i64 = 0x6b6f_6874_6161_6d6f; // "kohtaamo"

impl Store {
    /// On PostgreSQL, numbers the changes of transactions that are over (see the module's
    /// text). On SQLite every change is numbered when written.
    pub(crate) async fn number_changes(&self) -> Result<()> {
        if self.backend() != Backend::Postgres {
            return Ok(());
        }
        let waiting: Option<i64> = sql("SELECT id FROM change_log WHERE seq IS NULL LIMIT 1")
            .fetch_scalar(&self.pool)
            .await?;
        if waiting.is_none() {
            return Ok(());
        }
        let mut tx = self.write_tx().await?;
        sql("SELECT pg_advisory_xact_lock(?)")
            .bind(NUMBERER_LOCK)
            .execute(&mut tx)
            .await?;
        // A statement of its own after the lock: its snapshot sees the last numberer's work.
        let numbered = sql(
            "WITH base AS (SELECT COALESCE(MAX(seq), 0) AS b FROM change_log), \
             todo AS (SELECT id, row_number() OVER (ORDER BY xid, id) AS n FROM change_log \
                      WHERE seq IS NULL AND xid < pg_snapshot_xmin(pg_current_snapshot())) \
             UPDATE change_log c SET seq = base.b + todo.n FROM base, todo WHERE c.id = todo.id",
        )
        .execute(&mut tx)
        .await?;
        if numbered.rows_affected() > 0 {
            // The writes' own notices may have come while their changes could not be numbered
            // yet (an older transaction was still open): say again that there are new ones,
            // so that every follower reads them now rather than at its next poll.
            sql("SELECT pg_notify(?, '')")
                .bind(CHANGES_CHANNEL)
                .execute(&mut tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// On PostgreSQL, wakes `wake` whenever a transaction that wrote to the change log
    /// commits, on any node (LISTEN/NOTIFY: the log's trigger notifies `kohtaamo_changes`),
    /// until `shutdown` turns true. Polling covers a notice lost while the connection was
    /// down. On SQLite it returns at once: other processes are found by polling.
    pub async fn forward_change_notices(
        &self,
        wake: std::sync::Arc<tokio::sync::Notify>,
        mut shutdown: tokio::sync::watch::Receiver<bool>,
    ) -> Result<()> {
        let Pool::Postgres(pool) = &self.pool else {
            return Ok(());
        };
        let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
        listener.listen(CHANGES_CHANNEL).await?;
        loop {
            tokio::select! {
                notice = listener.try_recv() => match notice {
                    // A notice, or a reconnection (notices may have been lost): look.
                    Ok(_) => wake.notify_one(),
                    Err(e) => {
                        tracing::warn!(error = %e, "change notices interrupted; polling");
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    }
                },
                _ = shutdown.changed() => {
                    if *shutdown.borrow() {
                        return Ok(());
                    }
                }
            }
        }
    }

    /// The latest change up to `seq` to something the search index holds (postings and
    /// employers; clients, events and contacts are logged but not indexed); 0 when none.
    pub async fn last_indexed_change(&self, seq: i64) -> Result<i64> {
        let last: Option<i64> = sql("SELECT seq FROM change_log WHERE seq <= ? \
             AND entity IN ('vacancy', 'task', 'employer') \
             ORDER BY seq DESC LIMIT 1")
        .bind(seq)
        .fetch_scalar(&self.pool)
        .await?;
        Ok(last.unwrap_or(0))
    }

    /// Changes after `seq`, oldest first, at most `limit`.
    pub async fn changes_since(&self, seq: i64, limit: i64) -> Result<Vec<Change>> {
        self.number_changes().await?;
        let rows: Vec<(i64, String, i64)> =
            sql("SELECT seq, entity, entity_id FROM change_log WHERE seq > ? ORDER BY seq LIMIT ?")
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
        let rows: Vec<(String, i64)> =
            sql("SELECT DISTINCT c.entity, c.entity_id FROM change_log c \
             WHERE c.seq > ?1 AND c.seq <= ?2 AND ( \
               (c.entity = 'vacancy' AND NOT EXISTS (SELECT 1 FROM vacancies v \
                  WHERE v.id = c.entity_id AND v.status = 'open')) \
               OR (c.entity = 'task' AND NOT EXISTS (SELECT 1 FROM tasks t \
                  WHERE t.id = c.entity_id AND t.status = 'open')))")
            .bind(after)
            .bind(upto)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(entity, id)| Entity::from_db(&entity).map(|e| (e, id)))
            .collect())
    }

    /// The newest sequence number (0 for an empty log) and the changes written but not
    /// numbered yet, read together (one statement: a batch numbered in between is counted
    /// once). Unnumbered changes are, on PostgreSQL, those of transactions that are over but
    /// wait behind an older one still running; always none on SQLite.
    pub async fn change_positions(&self) -> Result<(i64, i64)> {
        if self.backend() != Backend::Postgres {
            return Ok((self.last_change_seq().await?, 0));
        }
        self.number_changes().await?;
        let (seq, unnumbered): (Option<i64>, i64) =
            sql("SELECT (SELECT MAX(seq) FROM change_log), \
             (SELECT COUNT(*) FROM change_log WHERE seq IS NULL)")
            .fetch_one(&self.pool)
            .await?;
        Ok((seq.unwrap_or(0), unnumbered))
    }

    /// The newest sequence number once every change committed before this call has one: the
    /// number that covers the caller's own write, which it has just committed. On PostgreSQL
    /// a change is numbered only once the transactions older than it are over, so this waits
    /// for the writes that were running at the time (milliseconds; at most a few seconds,
    /// then it answers what is numbered). On SQLite it is [`Store::last_change_seq`].
    pub async fn settled_change_seq(&self) -> Result<i64> {
        if self.backend() == Backend::Postgres {
            let written: Option<i64> = sql("SELECT MAX(id) FROM change_log")
                .fetch_scalar(&self.pool)
                .await?
                .flatten();
            let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
            loop {
                self.number_changes().await?;
                let waiting: Option<i64> =
                    sql("SELECT id FROM change_log WHERE seq IS NULL AND id <= ? LIMIT 1")
                        .bind(written.unwrap_or(0))
                        .fetch_scalar(&self.pool)
                        .await?;
                if waiting.is_none() {
                    break;
                }
                if std::time::Instant::now() > deadline {
                    tracing::warn!("a change is still unnumbered behind a long transaction");
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(2)).await;
            }
        }
        self.max_seq().await
    }

    /// The newest sequence number, 0 for an empty log.
    pub async fn last_change_seq(&self) -> Result<i64> {
        self.number_changes().await?;
        self.max_seq().await
    }

    /// The largest number given so far (0 for none), without numbering first.
    async fn max_seq(&self) -> Result<i64> {
        let (seq,): (Option<i64>,) = sql("SELECT MAX(seq) FROM change_log")
            .fetch_one(&self.pool)
            .await?;
        Ok(seq.unwrap_or(0))
    }
}

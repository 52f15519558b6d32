//! Runs of `kohtaamo import`: one row per run, with its counts, for `/metrics`.

use chrono::{DateTime, Utc};

use super::{now, sql, Result, Secs, Store};

/// What an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// Vacancies (JobPosting lines).
    Vacancies,
    /// Municipalities and their coordinates.
    Municipalities,
    /// The occupation taxonomy.
    Occupations,
}

impl ImportKind {
    /// Its name in the database and in metric labels.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Vacancies => "vacancies",
            ImportKind::Municipalities => "municipalities",
            ImportKind::Occupations => "occupations",
        }
    }
}

/// The counts of a finished run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    /// Lines (or CSV records) read.
    pub lines_read: u64,
    /// New records.
    pub inserted: u64,
    /// Existing records changed.
    pub updated: u64,
    /// Lines rejected.
    pub rejected: u64,
}

/// Every run of one kind together.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ImportTotals {
    /// `vacancies`, `municipalities` or `occupations`.
    pub kind: String,
    /// Runs started.
    pub runs: i64,
    /// Runs that finished.
    pub finished: i64,
    /// Lines read by finished runs.
    pub lines_read: i64,
    /// Records inserted by finished runs.
    pub inserted: i64,
    /// Records updated by finished runs.
    pub updated: i64,
    /// Lines rejected by finished runs.
    pub rejected: i64,
    /// When the newest run started (to the second).
    pub last_started: Option<DateTime<Utc>>,
    /// When the newest finished run finished (to the second).
    pub last_finished: Option<DateTime<Utc>>,
}

fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Store {
    /// Records that an import of `kind` starts; returns the run's id.
    #[tracing::instrument(name = "store.start_import_run", skip(self))]
    pub async fn start_import_run(&self, kind: ImportKind) -> Result<i64> {
        let (id,): (i64,) =
            sql("INSERT INTO import_runs (kind, started_at) VALUES (?, ?) RETURNING id")
                .bind(kind.as_str())
                .bind(Secs::of(now()))
                .fetch_one(&self.writer)
                .await?;
        Ok(id)
    }

    /// Records that run `id` finished with `counts`.
    #[tracing::instrument(name = "store.finish_import_run", skip(self))]
    pub async fn finish_import_run(&self, id: i64, counts: ImportCounts) -> Result<()> {
        sql(
            "UPDATE import_runs SET finished_at = ?, lines_read = ?, inserted = ?, updated = ?, \
             rejected = ? WHERE id = ?",
        )
        .bind(Secs::of(now()))
        .bind(to_i64(counts.lines_read))
        .bind(to_i64(counts.inserted))
        .bind(to_i64(counts.updated))
        .bind(to_i64(counts.rejected))
        .bind(id)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// Every kind's runs added up, by kind.
    pub async fn import_totals(&self) -> Result<Vec<ImportTotals>> {
        Ok(sql(
            "SELECT kind, COUNT(*) AS runs, COUNT(finished_at) AS finished, \
             CAST(COALESCE(SUM(lines_read), 0) AS BIGINT) AS lines_read, \
             CAST(COALESCE(SUM(inserted), 0) AS BIGINT) AS inserted, \
             CAST(COALESCE(SUM(updated), 0) AS BIGINT) AS updated, \
             CAST(COALESCE(SUM(rejected), 0) AS BIGINT) AS rejected, \
             MAX(started_at) AS last_started, MAX(finished_at) AS last_finished \
             FROM import_runs GROUP BY kind ORDER BY kind",
        )
        .fetch_all(&self.pool)
        .await?)
    }
}

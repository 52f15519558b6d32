//! The compact rows the funnel and fidelity figures are computed from, and their cache.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use sqlx::AssertSqlSafe;

use super::{sql, Backend, Result, Secs, Stamp, Store, StoreError, Tx};
use crate::domain::{EventType, PlacementType};
use crate::funnel::{ClientFacts, ContactFact, EventFact, FunnelData};

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether two sets of rows are the same rows (contacts in any order: an extension appends
/// them, a read returns them in the table's order).
fn same_rows(a: &FunnelData, b: &FunnelData) -> bool {
    let contacts = |d: &FunnelData| {
        let mut c: Vec<_> = d
            .contacts
            .iter()
            .map(|c| (c.coach_id, c.at, c.face_to_face))
            .collect();
        c.sort_unstable();
        c
    };
    a.clients == b.clients && a.events == b.events && contacts(a) == contacts(b)
}

/// Largest event id, contact id and change-log sequence: together they name one state of
/// everything the figures read.
type FunnelVersion = (i64, i64, i64);

/// The last day of the kept all-coaches rows: every row, whatever its date (a report leaves
/// out the rows after its own last day as it counts).
fn every_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).expect("a date")
}

/// The newest all-coaches funnel rows loaded, with their version.
#[derive(Debug, Default)]
pub(super) struct FunnelCache {
    newest: Mutex<Option<(FunnelVersion, Arc<FunnelData>)>>,
    /// Held while the rows of every day are loaded or extended: requests that come meanwhile
    /// wait for that work instead of loading everything again.
    loading: tokio::sync::Mutex<()>,
    /// The all-coaches rows kept in the database (`funnel_snapshots`) as this process last
    /// read or wrote them.
    kept_in_db: Mutex<Option<Kept>>,
    /// When the newest all-coaches rows in memory were last read whole from the database
    /// (seconds since 1970): rows extended since descend from that read.
    full_read_at: Mutex<Option<i64>>,
    /// Set while this process writes the kept rows.
    writing: std::sync::atomic::AtomicBool,
    /// Set while this process reads every row again to check the rows in memory.
    verifying: std::sync::atomic::AtomicBool,
    /// How the all-coaches rows were brought up to date, by [`Began`].
    loads: [AtomicU64; 3],
}

/// What the database keeps of the all-coaches rows (see [`FunnelCache::kept_in_db`]).
#[derive(Debug, Clone, Copy)]
struct Kept {
    version: FunnelVersion,
    /// Events and contacts.
    rows: usize,
    /// When the read of every row that they descend from was made.
    full_read_at: i64,
}

/// Where bringing the all-coaches rows up to date began (an index into `FunnelCache::loads`).
#[derive(Debug, Clone, Copy)]
enum Began {
    Database = 0,
    Kept = 1,
    Memory = 2,
}

/// How often this process brought the all-coaches funnel rows up to date, by where it began.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FunnelLoads {
    /// Every row read from the database (a start with no usable kept rows).
    pub database: u64,
    /// From the rows kept in the database, then what changed since (a start).
    pub kept: u64,
    /// From the rows in memory, then what changed since.
    pub memory: u64,
}

impl FunnelCache {
    fn get(&self, version: FunnelVersion) -> Option<Arc<FunnelData>> {
        lock(&self.newest)
            .as_ref()
            .filter(|(v, _)| *v == version)
            .map(|(_, d)| d.clone())
    }

    /// Takes the newest rows out of the cache, whatever their version: the caller extends
    /// them in place (no copy unless a request still holds them) and puts the result back.
    fn take_latest(&self) -> Option<(FunnelVersion, Arc<FunnelData>)> {
        lock(&self.newest).take()
    }

    fn count(&self, began: Began) {
        self.loads[began as usize].fetch_add(1, Ordering::Relaxed);
    }

    fn put(&self, version: FunnelVersion, data: Arc<FunnelData>) {
        let mut newest = lock(&self.newest);
        // A slower request of an older version leaves the newer rows alone.
        let newer = |v: &FunnelVersion| {
            *v != version && v.0 >= version.0 && v.1 >= version.1 && v.2 >= version.2
        };
        if newest.as_ref().is_some_and(|(v, _)| newer(v)) {
            return;
        }
        *newest = Some((version, data));
    }
}

/// The rows kept in the database are written again once the rows in memory have this many
/// more events and contacts than they hold: a node that starts then reads at most about this
/// many rows besides them.
const SNAPSHOT_REWRITE_AFTER: usize = 10_000;

/// What [`Store::load_facts`] selects and how [`crate::funnel::snapshot`] writes it: a build
/// that changes either must raise this. Rows kept by another format are not read, and a build
/// never replaces rows of a newer format than its own.
const SNAPSHOT_FORMAT: i64 = 1;

/// Rows brought up to date by extension descend from a read of every row; once that read is
/// older than this (seconds), every row is read again in the background and the rows in memory
/// are checked against it and replaced, so that a difference (a change made to the database
/// outside the service, say) cannot outlive a day in the kept rows.
const FULL_READ_EVERY: i64 = 86_400;

fn now_seconds() -> i64 {
    super::now().timestamp()
}

type FactRow = (
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
    Option<f64>,
    Option<bool>,
    Option<bool>,
    Option<i64>,
    Option<String>,
);

impl Store {
    /// What the funnel and fidelity figures are computed from: the clients with intake on or
    /// before `until`, their effective events up to the end of `until` (corrected events and
    /// those that move no figure left out), and the coaches' employer contacts — at least
    /// those of `coach` and those days; the figures filter by coach and leave out the rows
    /// after their period's last day themselves.
    ///
    /// Loading a million events takes seconds, so the all-coaches rows are kept and reused
    /// while the database's version is unchanged. The version is exact because events and
    /// contacts are append-only (their largest id grows with every write) and every other
    /// change that moves a figure (a client's intake date, a vacancy's occupation) appends to
    /// the change log.
    ///
    /// On PostgreSQL an id is drawn before commit, so an event with a smaller id can commit
    /// after the largest was read: there events and contacts are logged in the change log too,
    /// and the version is the log's number, which follows commits
    /// ([`Backend::funnel_rows_between`]).
    ///
    /// The kept rows are every row, whatever its date: every period is answered from the same
    /// rows, without a copy.
    #[tracing::instrument(name = "store.funnel_data", skip(self))]
    pub async fn funnel_data(
        &self,
        coach: Option<i64>,
        until: NaiveDate,
    ) -> Result<Arc<FunnelData>> {
        let version = self.funnel_version().await?;
        if let Some(all) = self.funnel_cache.get(version) {
            tracing::debug!("funnel rows from the cache");
            return Ok(all);
        }
        // One coach's figures filter every coach's rows when they are kept, else read only
        // that coach's from the database.
        if coach.is_some() {
            return Ok(Arc::new(self.load_funnel_data(coach, until).await?));
        }
        self.all_funnel_data(version).await
    }

    /// Every all-coaches row as of `version`, the database's current one (kept; see
    /// [`Store::funnel_data`]).
    async fn all_funnel_data(&self, version: FunnelVersion) -> Result<Arc<FunnelData>> {
        let _loading = self.funnel_cache.loading.lock().await;
        if let Some(all) = self.funnel_cache.get(version) {
            return Ok(all);
        }
        let mut cached = self.funnel_cache.take_latest();
        let mut began = Began::Memory;
        if cached.is_none() {
            // A process that starts: the rows some process kept in the database, then only
            // what changed since (below), instead of every event.
            cached = self.read_funnel_snapshot(version).await;
            began = Began::Kept;
        }
        self.bring_up_to_date(cached, version, began).await
    }

    /// `cached` (rows of every day as of its version, if any) extended to `version`, or every
    /// row read when there are none; kept in memory and, when due, in the database.
    async fn bring_up_to_date(
        &self,
        cached: Option<(FunnelVersion, Arc<FunnelData>)>,
        version: FunnelVersion,
        began: Began,
    ) -> Result<Arc<FunnelData>> {
        let until = every_day();
        // Since the rows were loaded, events and contacts were only added (both append-only),
        // clients added or edited, postings added, closed or edited: read the changed clients,
        // the new rows and the events of edited postings (an edit can change what earlier
        // events mean: their employer, their occupation) instead of everything.
        let (all, read_all) = match cached {
            Some((cached, data))
                if cached.0 <= version.0 && cached.1 <= version.1 && cached.2 <= version.2 =>
            {
                let data = Arc::unwrap_or_clone(data);
                let data = self
                    .extend_funnel_data(data, cached, version, until)
                    .await?;
                (Arc::new(data), false)
            }
            _ => (
                Arc::new(self.load_funnel_data_upto(None, until, version).await?),
                true,
            ),
        };
        self.funnel_cache.put(version, all.clone());
        self.funnel_cache
            .count(if read_all { Began::Database } else { began });
        if read_all {
            *lock(&self.funnel_cache.full_read_at) = Some(now_seconds());
        }
        self.keep_funnel_snapshot(version, &all);
        if !read_all {
            self.check_by_full_read_when_due(version, &all);
        }
        Ok(all)
    }

    /// Reads every row again in the background once the rows in memory descend from a read
    /// older than [`FULL_READ_EVERY`]: a difference from `all` (the rows as of `version`) is
    /// logged, and the rows read replace them (brought up to the newest version first).
    fn check_by_full_read_when_due(&self, version: FunnelVersion, all: &Arc<FunnelData>) {
        let due = lock(&self.funnel_cache.full_read_at)
            .is_none_or(|at| now_seconds() - at >= FULL_READ_EVERY);
        if !due || self.funnel_cache.verifying.swap(true, Ordering::AcqRel) {
            return;
        }
        let (store, all) = (self.clone(), all.clone());
        tokio::spawn(async move {
            let result = store.check_by_full_read(version, all).await;
            store.funnel_cache.verifying.store(false, Ordering::Release);
            if let Err(e) = result {
                tracing::warn!(error = %e, "could not check the funnel rows by reading them all");
            }
        });
    }

    async fn check_by_full_read(&self, version: FunnelVersion, all: Arc<FunnelData>) -> Result<()> {
        let until = every_day();
        let started = now_seconds();
        let read = self.load_funnel_data_upto(None, until, version).await?;
        self.funnel_cache.count(Began::Database);
        if !same_rows(&read, &all) {
            tracing::warn!(
                ?version,
                events_read = read.events.len(),
                events_kept = all.events.len(),
                contacts_read = read.contacts.len(),
                contacts_kept = all.contacts.len(),
                clients_read = read.clients.len(),
                clients_kept = all.clients.len(),
                "the funnel rows in memory differed from a read of every row: replaced"
            );
        }
        let _loading = self.funnel_cache.loading.lock().await;
        let read = match self.funnel_cache.take_latest() {
            Some((newest, kept)) if newest != version => {
                if !(version.0 <= newest.0 && version.1 <= newest.1 && version.2 <= newest.2) {
                    self.funnel_cache.put(newest, kept);
                    return Ok(());
                }
                let read = self
                    .extend_funnel_data(read, version, newest, until)
                    .await?;
                (newest, Arc::new(read))
            }
            _ => (version, Arc::new(read)),
        };
        self.funnel_cache.put(read.0, read.1.clone());
        *lock(&self.funnel_cache.full_read_at) = Some(started);
        self.keep_funnel_snapshot(read.0, &read.1);
        Ok(())
    }

    /// How often this process brought the all-coaches funnel rows up to date, by where it
    /// began (`/metrics`).
    pub fn funnel_loads(&self) -> FunnelLoads {
        let [database, kept, memory] = &self.funnel_cache.loads;
        FunnelLoads {
            database: database.load(Ordering::Relaxed),
            kept: kept.load(Ordering::Relaxed),
            memory: memory.load(Ordering::Relaxed),
        }
    }

    /// The all-coaches rows kept in the database, if there are rows of this build's format
    /// and of a state no later than `now` (a state is later when any of its parts is). Rows
    /// that cannot be read are logged and left for the next write to replace.
    async fn read_funnel_snapshot(
        &self,
        now: FunnelVersion,
    ) -> Option<(FunnelVersion, Arc<FunnelData>)> {
        let started = std::time::Instant::now();
        let row: Option<(i64, i64, i64, i64, Secs, Vec<u8>)> = match sql(
            "SELECT format, events_version, contacts_version, changes_version, full_read_at, \
             data FROM funnel_snapshots WHERE id = 1",
        )
        .fetch_optional(&self.pool)
        .await
        {
            Ok(row) => row,
            Err(e) => {
                tracing::warn!(error = %e, "could not read the kept funnel rows");
                return None;
            }
        };
        let (format, events, contacts, changes, full_read_at, bytes) = row?;
        let full_read_at = full_read_at.0.timestamp();
        let version = (events, contacts, changes);
        if format != SNAPSHOT_FORMAT || version.0 > now.0 || version.1 > now.1 || version.2 > now.2
        {
            tracing::info!(format, ?version, ?now, "kept funnel rows not used");
            return None;
        }
        let size = bytes.len();
        let decoded = tokio::task::spawn_blocking(move || crate::funnel::snapshot::decode(&bytes))
            .await
            .map_err(|e| e.to_string())
            .and_then(|r| r.map_err(|e| e.to_string()));
        match decoded {
            Ok(data) => {
                let rows = data.events.len() + data.contacts.len();
                *lock(&self.funnel_cache.kept_in_db) = Some(Kept {
                    version,
                    rows,
                    full_read_at,
                });
                *lock(&self.funnel_cache.full_read_at) = Some(full_read_at);
                tracing::info!(
                    ?version,
                    events = data.events.len(),
                    bytes = size,
                    ms = started.elapsed().as_millis() as u64,
                    "funnel rows read from the kept ones"
                );
                Some((version, Arc::new(data)))
            }
            Err(e) => {
                tracing::warn!(error = %e, "kept funnel rows not used");
                None
            }
        }
    }

    /// Makes the database keep all-coaches rows that a node can start from, when it keeps
    /// none of this build's format: every row is read (seconds at a million events) and
    /// written before this returns. `migrate` calls it, so that the first node to start after
    /// a move or an upgrade reads the kept rows instead of every row while it is not ready.
    /// Returns the size written, `None` when the kept rows were usable already.
    pub async fn keep_funnel_rows(&self) -> Result<Option<usize>> {
        let version = self.funnel_version().await?;
        if self.read_funnel_snapshot(version).await.is_some() {
            return Ok(None);
        }
        let started = now_seconds();
        let data = self
            .load_funnel_data_upto(None, every_day(), version)
            .await?;
        let kept = Kept {
            version,
            rows: data.events.len() + data.contacts.len(),
            full_read_at: started,
        };
        self.write_funnel_snapshot(kept, Arc::new(data)).await
    }

    /// Writes `data`, the all-coaches rows as of `version`, into the database in the
    /// background when the kept ones are missing or behind: rows of a newer read of every row,
    /// or rows grown by [`SNAPSHOT_REWRITE_AFTER`] events and contacts, or as many changes in
    /// the change log (edits a start would otherwise patch in one by one). One write at a
    /// time; a write that is due while another runs is made by a later call.
    fn keep_funnel_snapshot(&self, version: FunnelVersion, data: &Arc<FunnelData>) {
        let rows = data.events.len() + data.contacts.len();
        let Some(full_read_at) = *lock(&self.funnel_cache.full_read_at) else {
            return;
        };
        let due = match *lock(&self.funnel_cache.kept_in_db) {
            None => true,
            Some(kept) => {
                full_read_at > kept.full_read_at
                    || (kept.version != version
                        && (rows.abs_diff(kept.rows) >= SNAPSHOT_REWRITE_AFTER
                            || version.2 - kept.version.2 >= SNAPSHOT_REWRITE_AFTER as i64))
            }
        };
        if !due || self.funnel_cache.writing.swap(true, Ordering::AcqRel) {
            return;
        }
        let kept = Kept {
            version,
            rows,
            full_read_at,
        };
        let (store, data) = (self.clone(), data.clone());
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            let result = store.write_funnel_snapshot(kept, data).await;
            store.funnel_cache.writing.store(false, Ordering::Release);
            match result {
                Ok(Some(bytes)) => tracing::info!(
                    ?version,
                    bytes,
                    ms = started.elapsed().as_millis() as u64,
                    "funnel rows kept in the database"
                ),
                Ok(None) => tracing::info!(
                    ?version,
                    "the database keeps funnel rows of a later state or format: left alone"
                ),
                Err(e) => tracing::warn!(error = %e, "could not keep the funnel rows"),
            }
        });
    }

    /// Writes the kept all-coaches rows (see [`Store::keep_funnel_snapshot`]) unless the
    /// database already keeps rows of a later state or a newer format; returns the size
    /// written, `None` when nothing was.
    async fn write_funnel_snapshot(
        &self,
        kept: Kept,
        data: Arc<FunnelData>,
    ) -> Result<Option<usize>> {
        let version = kept.version;
        let bytes = tokio::task::spawn_blocking(move || crate::funnel::snapshot::encode(&data))
            .await
            .map_err(|e| StoreError::Corrupt(format!("encoding the funnel rows: {e}")))?;
        let size = bytes.len();
        // One statement, not a transaction: SQLite's write lock is taken and let go within
        // it, however long this task then waits to be polled again.
        let written = sql("INSERT INTO funnel_snapshots (id, format, events_version, \
             contacts_version, changes_version, full_read_at, data, written_at) \
             VALUES (1, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET format = excluded.format, \
               events_version = excluded.events_version, \
               contacts_version = excluded.contacts_version, \
               changes_version = excluded.changes_version, \
               full_read_at = excluded.full_read_at, \
               data = excluded.data, written_at = excluded.written_at \
             WHERE funnel_snapshots.format < excluded.format \
                OR (funnel_snapshots.format = excluded.format \
                    AND funnel_snapshots.events_version <= excluded.events_version \
                    AND funnel_snapshots.contacts_version <= excluded.contacts_version \
                    AND funnel_snapshots.changes_version <= excluded.changes_version)")
        .bind(SNAPSHOT_FORMAT)
        .bind(version.0)
        .bind(version.1)
        .bind(version.2)
        .bind(Secs::from_count(kept.full_read_at).ok_or_else(|| {
            StoreError::Corrupt(format!("time {} out of range", kept.full_read_at))
        })?)
        .bind(bytes)
        .bind(super::now())
        .execute(&self.writer)
        .await?;
        if written.rows_affected() == 0 {
            return Ok(None);
        }
        *lock(&self.funnel_cache.kept_in_db) = Some(kept);
        Ok(Some(size))
    }

    /// The employer and occupation, as they are now, of the events that name a vacancy or a
    /// task edited after change `seq` up to `upto` (an edit is the only change that can change
    /// what an already loaded event means): (event id, employer, occupation) by event id. Each edited
    /// posting's events are found by index, however many postings were edited.
    async fn events_of_edited_postings(
        &self,
        conn: &mut Tx,
        seq: i64,
        upto: i64,
    ) -> Result<Vec<(i64, Option<i64>, Option<String>)>> {
        let mut out = Vec::new();
        for (column, entity) in [("e.vacancy_id", "vacancy"), ("e.task_id", "task")] {
            let rows: Vec<(i64, Option<i64>, Option<String>)> = sql(AssertSqlSafe(format!(
                "SELECT e.id, COALESCE(e.employer_id, v.employer_id, t.employer_id), \
                 v.occupation_code FROM client_events e \
                 LEFT JOIN vacancies v ON v.id = e.vacancy_id \
                 LEFT JOIN tasks t ON t.id = e.task_id \
                 WHERE {column} IN (SELECT entity_id FROM change_log \
                   WHERE seq > ?1 AND seq <= ?2 AND entity = '{entity}' AND op = 'update')"
            )))
            .bind(seq)
            .bind(upto)
            .fetch_all(&mut *conn)
            .await?;
            out.extend(rows);
        }
        out.sort_unstable_by_key(|r| r.0);
        Ok(out)
    }

    async fn client_facts(
        &self,
        conn: &mut Tx,
        coach: Option<i64>,
        until: NaiveDate,
    ) -> Result<Vec<ClientFacts>> {
        let clients: Vec<(i64, i64, NaiveDate)> =
            sql("SELECT id, coach_id, intake_date FROM clients \
             WHERE intake_date <= ?1 AND (?2 IS NULL OR coach_id = ?2) ORDER BY id")
            .bind(until)
            .bind(coach)
            .fetch_all(conn)
            .await?;
        Ok(clients
            .into_iter()
            .map(|(id, coach_id, intake)| ClientFacts {
                id,
                coach_id,
                intake,
            })
            .collect())
    }

    /// `out` (all coaches, loaded at `version`) with the events and contacts added since:
    /// new events merged in order, and the events that new corrections supersede dropped.
    async fn extend_funnel_data(
        &self,
        mut out: FunnelData,
        version: FunnelVersion,
        now: FunnelVersion,
        until: NaiveDate,
    ) -> Result<FunnelData> {
        let mut conn = self.read_tx().await?;
        if now.2 != version.2 {
            let now_of = self
                .events_of_edited_postings(&mut conn, version.2, now.2)
                .await?;
            if !now_of.is_empty() {
                for e in &mut out.events {
                    if let Ok(at) = now_of.binary_search_by_key(&e.id, |r| r.0) {
                        let (_, employer, occupation) = &now_of[at];
                        e.employer_id = *employer;
                        e.occupation = occupation.as_deref().map(Arc::from);
                    }
                }
            }
        }
        let corrected: Vec<(i64,)> = sql(AssertSqlSafe(format!(
            "SELECT supersedes FROM client_events WHERE {} AND supersedes IS NOT NULL",
            self.backend()
                .funnel_rows_between("id", "client_event", ("?1", "?2"), false)
        )))
        .bind(version.0)
        .bind(now.0)
        .fetch_all(&mut conn)
        .await?;
        let mut corrected: Vec<i64> = corrected.into_iter().map(|r| r.0).collect();
        corrected.sort_unstable();
        let is_corrected = |id: &i64| corrected.binary_search(id).is_ok();
        let (events, contacts) = self
            .load_facts(
                &mut conn,
                None,
                until,
                (version.0, version.1),
                (now.0, now.1),
            )
            .await?;
        if now.2 != version.2 {
            // Only the clients the change log names since: re-read them in place (a client
            // whose intake now falls after `until` leaves the rows).
            let changed: Vec<(i64, Option<i64>, Option<NaiveDate>)> =
                sql("SELECT l.entity_id, c.coach_id, c.intake_date \
                 FROM (SELECT DISTINCT entity_id FROM change_log \
                       WHERE seq > ?1 AND seq <= ?2 AND entity = 'client') l \
                 LEFT JOIN clients c ON c.id = l.entity_id AND c.intake_date <= ?3")
                .bind(version.2)
                .bind(now.2)
                .bind(until)
                .fetch_all(&mut conn)
                .await?;
            if !changed.is_empty() {
                let names: HashSet<i64> = changed.iter().map(|r| r.0).collect();
                out.clients.retain(|c| !names.contains(&c.id));
                out.clients
                    .extend(changed.into_iter().filter_map(|(id, coach, intake)| {
                        Some(ClientFacts {
                            id,
                            coach_id: coach?,
                            intake: intake?,
                        })
                    }));
                out.clients.sort_by_key(|c| c.id);
            }
        }
        if !corrected.is_empty() {
            out.events.retain(|e| !is_corrected(&e.id));
        }
        out.events
            .extend(events.into_iter().filter(|e| !is_corrected(&e.id)));
        // Mostly sorted already: the new rows go to their place by client, time and id.
        out.events.sort_by_key(|e| (e.client_id, e.at, e.id));
        out.contacts.extend(contacts);
        Ok(out)
    }

    async fn funnel_version(&self) -> Result<FunnelVersion> {
        if self.backend() == Backend::Postgres {
            // One change-log number names the state of events, contacts and the rest: the one
            // that covers every write committed before this read (a coach sees the event just
            // recorded).
            let seq = self.settled_change_seq().await?;
            return Ok((seq, seq, seq));
        }
        let (events, contacts, changes): (Option<i64>, Option<i64>, Option<i64>) = sql(
            "SELECT (SELECT MAX(id) FROM client_events), (SELECT MAX(id) FROM employer_contacts), \
             (SELECT MAX(seq) FROM change_log)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok((
            events.unwrap_or(0),
            contacts.unwrap_or(0),
            changes.unwrap_or(0),
        ))
    }

    /// [`Store::funnel_data`] without the cache: always reads the database.
    pub async fn load_funnel_data(
        &self,
        coach: Option<i64>,
        until: NaiveDate,
    ) -> Result<FunnelData> {
        self.load_funnel_data_upto(coach, until, (i64::MAX, i64::MAX, i64::MAX))
            .await
    }

    /// Reads the rows as of `version`: events and contacts with ids up to its own, so that
    /// rows cached under a version are exactly that version's (a later extension adds the
    /// rest once).
    async fn load_funnel_data_upto(
        &self,
        coach: Option<i64>,
        until: NaiveDate,
        version: FunnelVersion,
    ) -> Result<FunnelData> {
        let mut conn = self.read_tx().await?;
        let clients = self.client_facts(&mut conn, coach, until).await?;
        // Corrections are few: fetch the corrected ids once instead of a lookup per event.
        let superseded: Vec<(i64,)> = sql(AssertSqlSafe(format!(
            "SELECT supersedes FROM client_events WHERE supersedes IS NOT NULL AND {}",
            self.backend().funnel_rows_between(
                "id",
                "client_event",
                ("0", "?1"),
                version.0 == i64::MAX
            )
        )))
        .bind(version.0)
        .fetch_all(&mut conn)
        .await?;
        let superseded: HashSet<i64> = superseded.into_iter().map(|r| r.0).collect();
        let (mut events, contacts) = self
            .load_facts(&mut conn, coach, until, (0, 0), (version.0, version.1))
            .await?;
        events.retain(|e| !superseded.contains(&e.id));
        Ok(FunnelData {
            clients,
            events,
            contacts,
        })
    }

    /// Events (every one, corrected or not) and employer contacts up to the end of `until`,
    /// of `coach` or everybody, with ids above `after_event` and `after_contact`.
    async fn load_facts(
        &self,
        conn: &mut Tx,
        coach: Option<i64>,
        until: NaiveDate,
        (after_event, after_contact): (i64, i64),
        (upto_event, upto_contact): (i64, i64),
    ) -> Result<(Vec<EventFact>, Vec<ContactFact>)> {
        let until_at = Stamp::of(
            until
                .and_hms_opt(23, 59, 59)
                .expect("the day's last second")
                .and_utc(),
        );
        // Profiling, match answers and benefits counselling move no figure: left in the table.
        let scope = if coach.is_some() {
            "e.client_id IN (SELECT id FROM clients WHERE coach_id = ?2)"
        } else {
            "?2 IS NULL"
        };
        // Types as their index in `EventType::ALL` / `PlacementType::ALL` and times as epoch
        // seconds: a million rows decode much faster as integers than as text.
        let kind_case: String = EventType::ALL
            .iter()
            .enumerate()
            .map(|(i, k)| format!(" WHEN '{}' THEN {i}", k.as_str()))
            .collect();
        let placement_case: String = PlacementType::ALL
            .iter()
            .enumerate()
            .map(|(i, k)| format!(" WHEN '{}' THEN {i}", k.as_str()))
            .collect();
        let rows: Vec<FactRow> = sql(AssertSqlSafe(format!(
            "SELECT e.id, e.client_id, CAST(CASE e.type{kind_case} END AS BIGINT), {at}, \
             CAST(CASE e.placement_type{placement_case} END AS BIGINT), e.hours_per_week, \
             e.face_to_face, e.out_of_work_at_entry, \
             COALESCE(e.employer_id, v.employer_id, t.employer_id), v.occupation_code \
             FROM client_events e \
             LEFT JOIN vacancies v ON v.id = e.vacancy_id \
             LEFT JOIN tasks t ON t.id = e.task_id \
             WHERE e.at <= ?1 AND {scope} AND {which} \
               AND e.type NOT IN ('match_interested', 'match_declined', 'match_applied', \
                                  'profiling', 'benefits_counselling') \
             ORDER BY e.client_id, e.at, e.id",
            at = self.backend().epoch("e.at"),
            which = self.backend().funnel_rows_between(
                "e.id",
                "client_event",
                ("?3", "?4"),
                upto_event == i64::MAX
            ),
        )))
        .bind(until_at)
        .bind(coach)
        .bind(after_event)
        .bind(upto_event)
        .fetch_all(&mut *conn)
        .await?;
        let mut events = Vec::with_capacity(rows.len());
        for (id, client_id, kind, at, placement, hours, f2f, out_of_work, employer, occupation) in
            rows
        {
            let kind = kind
                .and_then(|k| EventType::ALL.get(k as usize).copied())
                .ok_or_else(|| StoreError::Corrupt(format!("type of event {id}")))?;
            let placement = match placement {
                None => None,
                Some(p) => {
                    Some(PlacementType::ALL.get(p as usize).copied().ok_or_else(|| {
                        StoreError::Corrupt(format!("placement type of event {id}"))
                    })?)
                }
            };
            events.push(EventFact {
                id,
                client_id,
                kind,
                at: at.ok_or_else(|| StoreError::Corrupt(format!("time of event {id}")))?,
                placement,
                hours_per_week: hours,
                face_to_face: f2f.unwrap_or(false),
                out_of_work_at_entry: out_of_work,
                employer_id: employer,
                occupation: occupation.as_deref().map(Arc::from),
            });
        }
        let contacts: Vec<(i64, i64, bool)> = sql(AssertSqlSafe(format!(
            "SELECT coach_id, {at}, face_to_face FROM employer_contacts \
             WHERE at <= ?1 AND (?2 IS NULL OR coach_id = ?2) AND {which}",
            at = self.backend().epoch("at"),
            which = self.backend().funnel_rows_between(
                "id",
                "employer_contact",
                ("?3", "?4"),
                upto_contact == i64::MAX
            ),
        )))
        .bind(until_at)
        .bind(coach)
        .bind(after_contact)
        .bind(upto_contact)
        .fetch_all(&mut *conn)
        .await?;
        let contacts = contacts
            .into_iter()
            .map(|(coach_id, at, face_to_face)| ContactFact {
                coach_id,
                at,
                face_to_face,
            })
            .collect();
        Ok((events, contacts))
    }
}

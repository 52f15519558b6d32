//! Vacancies and subcontracting tasks.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};

use sqlx::AssertSqlSafe;

use super::changelog::{append, Entity};
use super::db::{Arg, Sql};
use super::employers::employer_id_by_name;
use super::text::{Compressor, StoredText};
use super::{now, sql, Backend, Result, Store, StoreError, Tx};
use crate::domain::{
    HoursRange, OccupationGuess, PostingStatus, Task, TaskDraft, Vacancy, VacancyDraft,
};

/// One page of a list, with the total count of matching rows.
#[derive(Debug, Clone)]
pub struct Page<T> {
    /// All rows that match, over every page.
    pub total: i64,
    /// This page.
    pub items: Vec<T>,
}

/// What an import did with one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    /// A new vacancy.
    Inserted,
    /// An existing vacancy (same external id) was updated.
    Updated,
}

/// One imported line: the vacancy's id and whether it was new.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportedVacancy {
    /// The vacancy's id.
    pub id: i64,
    /// Inserted or updated.
    pub outcome: ImportOutcome,
}

/// What storing one batch of an import did.
#[derive(Debug, Clone)]
pub struct ImportedBatch {
    /// One row per line of the batch, in its order.
    pub rows: Vec<ImportedVacancy>,
    /// The first and last change-log sequence the batch wrote (nothing else is between).
    pub changes: Option<(i64, i64)>,
    /// When it was written (the posting date of a line without one).
    pub at: DateTime<Utc>,
}

/// What the search index needs of an open posting.
#[derive(Debug, Clone)]
pub struct IndexablePosting {
    /// `vacancy` or `task`.
    pub kind: Entity,
    /// Id within its kind.
    pub id: i64,
    /// Source identifier.
    pub external_id: Option<String>,
    /// Title.
    pub title: String,
    /// Text.
    pub description: String,
    /// Employer id.
    pub employer_id: i64,
    /// Employer name.
    pub employer: String,
    /// Municipality.
    pub municipality: Option<String>,
    /// Stated language.
    pub language: Option<String>,
    /// Occupation code.
    pub occupation_code: Option<String>,
    /// Publication time.
    pub date_posted: DateTime<Utc>,
    /// Fewest hours per week offered.
    pub hours_min: Option<f64>,
    /// Most hours per week offered.
    pub hours_max: Option<f64>,
    /// Adjustments the employer can offer.
    pub adjustments_offered: Vec<String>,
    /// Occupations, best first.
    pub occupations: Vec<OccupationGuess>,
    /// Last moment to apply (vacancies); `None` when not given.
    pub valid_through: Option<DateTime<Utc>>,
    /// A task's estimated total hours of work (not per week); `None` for vacancies.
    pub estimated_hours: Option<f64>,
}

/// What the search index needs of an employer (for employer prospects): its line of work and
/// the titles of its latest postings, open or closed.
#[derive(Debug, Clone)]
pub struct IndexableEmployer {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Line of business.
    pub industry: Option<String>,
    /// Municipality.
    pub municipality: Option<String>,
    /// Distinct titles of its latest postings, newest first, at most 50.
    pub titles: Vec<String>,
    /// When it last posted (or joined the register).
    pub last_active: DateTime<Utc>,
}

const VACANCY_SELECT: &str = "SELECT v.id, v.employer_id, e.name AS employer, v.external_id, \
    v.title, v.description, v.location, v.municipality, v.occupation_code, v.hours_min, \
    v.hours_max, v.employment_type, v.language, v.valid_through, v.date_posted, \
    v.wage_subsidy_ok, v.work_trial_ok, v.adjustments_offered, v.occupations, v.status, \
    v.created_at, v.updated_at FROM vacancies v JOIN employers e ON e.id = v.employer_id";

const TASK_SELECT: &str = "SELECT t.id, t.employer_id, e.name AS employer, t.title, \
    t.description, t.location, t.municipality, t.site, t.starts_on, t.ends_on, \
    t.estimated_hours, t.group_size, t.occupations, t.status, t.created_at, t.updated_at \
    FROM tasks t JOIN employers e ON e.id = t.employer_id";

#[derive(sqlx::FromRow)]
struct VacancyRow {
    id: i64,
    employer_id: i64,
    employer: String,
    external_id: Option<String>,
    title: String,
    description: StoredText,
    location: Option<String>,
    municipality: Option<String>,
    occupation_code: Option<String>,
    hours_min: Option<f64>,
    hours_max: Option<f64>,
    employment_type: Option<String>,
    language: Option<String>,
    valid_through: Option<DateTime<Utc>>,
    date_posted: DateTime<Utc>,
    wage_subsidy_ok: Option<bool>,
    work_trial_ok: Option<bool>,
    adjustments_offered: String,
    occupations: String,
    status: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// Occupations as stored; a damaged value reads as none (they are derived and rewritten on the
/// next change).
fn occupations_of(json: &str) -> Vec<OccupationGuess> {
    serde_json::from_str(json).unwrap_or_default()
}

fn occupations_json(o: &[OccupationGuess]) -> String {
    serde_json::to_string(o).expect("occupations serialize")
}

impl TryFrom<VacancyRow> for Vacancy {
    type Error = StoreError;
    fn try_from(r: VacancyRow) -> Result<Self> {
        let adjustments_offered = serde_json::from_str(&r.adjustments_offered)
            .map_err(|e| StoreError::Corrupt(format!("vacancy {} adjustments: {e}", r.id)))?;
        let hours_per_week =
            (r.hours_min.is_some() || r.hours_max.is_some()).then_some(HoursRange {
                min: r.hours_min,
                max: r.hours_max,
            });
        Ok(Vacancy {
            id: r.id,
            kind: "vacancy",
            employer_id: r.employer_id,
            employer: r.employer,
            external_id: r.external_id,
            title: r.title,
            description: r.description.into(),
            location: r.location,
            municipality: r.municipality,
            occupation_code: r.occupation_code,
            hours_per_week,
            employment_type: r.employment_type,
            language: r.language,
            valid_through: r.valid_through,
            date_posted: r.date_posted,
            wage_subsidy_ok: r.wage_subsidy_ok,
            work_trial_ok: r.work_trial_ok,
            adjustments_offered,
            occupations: occupations_of(&r.occupations),
            status: PostingStatus::from_db(&r.status),
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct TaskRow {
    id: i64,
    employer_id: i64,
    employer: String,
    title: String,
    description: StoredText,
    location: Option<String>,
    municipality: Option<String>,
    site: Option<String>,
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    estimated_hours: Option<f64>,
    group_size: Option<i64>,
    occupations: String,
    status: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<TaskRow> for Task {
    fn from(r: TaskRow) -> Self {
        Task {
            id: r.id,
            kind: "task",
            employer_id: r.employer_id,
            employer: r.employer,
            title: r.title,
            description: r.description.into(),
            location: r.location,
            municipality: r.municipality,
            site: r.site,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            estimated_hours: r.estimated_hours,
            group_size: r.group_size,
            occupations: occupations_of(&r.occupations),
            status: PostingStatus::from_db(&r.status),
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

async fn check_employer(conn: &mut Tx, employer_id: i64) -> Result<()> {
    let found: Option<(i64,)> = sql("SELECT id FROM employers WHERE id = ?")
        .bind(employer_id)
        .fetch_optional(&mut *conn)
        .await?;
    found.map(|_| ()).ok_or(StoreError::InvalidReference {
        field: "employer_id",
        message: format!("no employer with id {employer_id}"),
    })
}

fn unique_external_id(e: sqlx::Error, external_id: Option<&str>) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(format!(
            "a vacancy with external_id '{}' already exists",
            external_id.unwrap_or_default()
        )),
        _ => StoreError::Database(e),
    }
}

async fn insert_vacancy(
    conn: &mut Tx,
    d: &VacancyDraft,
    created_by: Option<i64>,
    texts: &Compressor,
) -> Result<i64> {
    let at = now();
    let text = format!("{NEW_VACANCY} {NEW_VACANCY_ROW} RETURNING id");
    let description = texts.stored(conn.backend(), &d.description);
    let (id,): (i64,) = bind_new_vacancy(sql(AssertSqlSafe(text)), d, description, created_by, at)
        .fetch_one(&mut *conn)
        .await
        .map_err(|e| unique_external_id(e, d.external_id.as_deref()))?;
    append(conn, Entity::Vacancy, id, "create", at).await?;
    Ok(id)
}

/// The columns of a new vacancy, and one row's values as [`bind_new_vacancy`] binds them.
macro_rules! new_vacancy {
    (columns) => {
        "employer_id, external_id, title, description, location, municipality, \
         occupation_code, hours_min, hours_max, employment_type, language, valid_through, \
         date_posted, wage_subsidy_ok, work_trial_ok, adjustments_offered, occupations, status, \
         created_by, created_at, updated_at"
    };
    (row) => {
        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?"
    };
}
/// The INSERT of new vacancies, up to its VALUES; each row is [`NEW_VACANCY_ROW`].
const NEW_VACANCY: &str = concat!("INSERT INTO vacancies (", new_vacancy!(columns), ") VALUES");
/// One row of [`NEW_VACANCY`], bound by [`bind_new_vacancy`].
const NEW_VACANCY_ROW: &str = concat!("(", new_vacancy!(row), ")");
/// [`NEW_VACANCY`] with the id given first in each row ([`NEW_VACANCY_ROW_WITH_ID`]).
const NEW_VACANCY_WITH_ID: &str = concat!(
    "INSERT INTO vacancies (id, ",
    new_vacancy!(columns),
    ") VALUES"
);
/// One row of [`NEW_VACANCY_WITH_ID`]: the id, then [`bind_new_vacancy`]'s values.
const NEW_VACANCY_ROW_WITH_ID: &str = concat!("(?, ", new_vacancy!(row), ")");

/// Binds one [`NEW_VACANCY_ROW`]: the draft `d` with its description as stored, created by
/// `created_by` at `at`.
fn bind_new_vacancy(
    q: Sql,
    d: &VacancyDraft,
    description: Arg,
    created_by: Option<i64>,
    at: DateTime<Utc>,
) -> Sql {
    q.bind(d.employer_id)
        .bind(&d.external_id)
        .bind(&d.title)
        .bind_arg(description)
        .bind(&d.location)
        .bind(&d.municipality)
        .bind(d.occupation_code.as_ref().map(|c| c.as_str()))
        .bind(d.hours_per_week.and_then(|h| h.min))
        .bind(d.hours_per_week.and_then(|h| h.max))
        .bind(d.employment_type.map(|t| t.as_str()))
        .bind(d.language.as_ref().map(|l| l.as_str()))
        .bind(d.valid_through)
        .bind(d.date_posted.unwrap_or(at))
        .bind(d.wage_subsidy_ok)
        .bind(d.work_trial_ok)
        .bind(serde_json::to_string(&d.adjustments_offered).expect("strings serialize"))
        .bind(occupations_json(&d.occupations))
        .bind(created_by)
        .bind(at)
        .bind(at)
}

/// Overwrites every field of vacancy `id` from `d` (the draft is the merged, validated whole).
async fn update_vacancy_row(
    conn: &mut Tx,
    id: i64,
    d: &VacancyDraft,
    reopen: bool,
    texts: &Compressor,
) -> Result<()> {
    let at = now();
    let description = texts.stored(conn.backend(), &d.description);
    let adjustments = serde_json::to_string(&d.adjustments_offered).expect("strings serialize");
    let done = sql(
        "UPDATE vacancies SET employer_id = ?, external_id = ?, title = ?, description = ?, \
         location = ?, municipality = ?, occupation_code = ?, hours_min = ?, hours_max = ?, \
         employment_type = ?, language = ?, valid_through = ?, \
         date_posted = COALESCE(?, date_posted), wage_subsidy_ok = ?, work_trial_ok = ?, \
         adjustments_offered = ?, occupations = ?, updated_at = ?, \
         status = CASE WHEN ? THEN 'open' ELSE status END, \
         closed_at = CASE WHEN ? THEN NULL ELSE closed_at END WHERE id = ?",
    )
    .bind(d.employer_id)
    .bind(&d.external_id)
    .bind(&d.title)
    .bind_arg(description)
    .bind(&d.location)
    .bind(&d.municipality)
    .bind(d.occupation_code.as_ref().map(|c| c.as_str()))
    .bind(d.hours_per_week.and_then(|h| h.min))
    .bind(d.hours_per_week.and_then(|h| h.max))
    .bind(d.employment_type.map(|t| t.as_str()))
    .bind(d.language.as_ref().map(|l| l.as_str()))
    .bind(d.valid_through)
    .bind(d.date_posted)
    .bind(d.wage_subsidy_ok)
    .bind(d.work_trial_ok)
    .bind(adjustments)
    .bind(occupations_json(&d.occupations))
    .bind(at)
    .bind(reopen)
    .bind(reopen)
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(|e| unique_external_id(e, d.external_id.as_deref()))?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound {
            entity: "vacancy",
            id,
        });
    }
    append(conn, Entity::Vacancy, id, "update", at).await
}

/// An employer's id, name, industry, municipality and joining time, as the index reads them.
type EmployerIndexRow = (i64, String, Option<String>, Option<String>, DateTime<Utc>);

/// Latest postings of each kind read for an employer's prospect document.
const EMPLOYER_POSTINGS_READ: i64 = 200;
/// Distinct titles of those kept in the document.
const EMPLOYER_TITLES: usize = 50;

/// Rows per multi-row INSERT of an import (20 or 21 values each, far below SQLite's limit).
const INSERT_ROWS: usize = 100;

/// Records the identifiers of the `queued` lines just inserted as existing vacancies, and
/// empties the queue.
fn inserted(
    batch: &[(String, VacancyDraft)],
    queued: &mut Vec<usize>,
    rows: &[Option<ImportedVacancy>],
    existing: &mut HashMap<String, i64>,
) {
    for q in queued.drain(..) {
        if let (Some(ext), Some(r)) = (&batch[q].1.external_id, &rows[q]) {
            existing.insert(ext.clone(), r.id);
        }
    }
}

/// Inserts the vacancies of `batch` at `which` in one statement, logs each as created, and
/// records their ids in `rows`.
async fn insert_vacancies(
    conn: &mut Tx,
    batch: &[(String, VacancyDraft)],
    which: &[usize],
    rows: &mut [Option<ImportedVacancy>],
    at: DateTime<Utc>,
    texts: &Compressor,
) -> Result<()> {
    if which.is_empty() {
        return Ok(());
    }
    let descriptions = texts.stored_all(
        conn.backend(),
        which.iter().map(|&i| batch[i].1.description.as_str()),
    );
    // The rows' ids, in the order of `which`.
    let ids: Vec<i64> = match conn.backend() {
        // PostgreSQL does not promise to return an INSERT's rows in the order of its VALUES:
        // the ids are taken from the sequence first and written with their rows.
        Backend::Postgres => {
            let ids: Vec<i64> = sql("SELECT nextval(pg_get_serial_sequence('vacancies', 'id')) \
                 FROM generate_series(1, ?)")
            .bind(which.len() as i64)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|(id,)| id)
            .collect();
            let mut q = sql(AssertSqlSafe(format!(
                "{NEW_VACANCY_WITH_ID} {}",
                vec![NEW_VACANCY_ROW_WITH_ID; which.len()].join(", ")
            )));
            for ((&i, description), &id) in which.iter().zip(descriptions).zip(&ids) {
                q = bind_new_vacancy(q.bind(id), &batch[i].1, description, None, at);
            }
            q.execute(&mut *conn).await?;
            ids
        }
        // SQLite returns the rows in no set order, but the rows of one INSERT get consecutive
        // ids in the order of its VALUES (the transaction holds the write lock); anything else
        // would pair lines with the wrong ids.
        Backend::Sqlite => {
            let mut q = sql(AssertSqlSafe(format!(
                "{NEW_VACANCY} {} RETURNING id",
                vec![NEW_VACANCY_ROW; which.len()].join(", ")
            )));
            for (&i, description) in which.iter().zip(descriptions) {
                q = bind_new_vacancy(q, &batch[i].1, description, None, at);
            }
            let mut ids: Vec<i64> = q
                .fetch_all(&mut *conn)
                .await?
                .into_iter()
                .map(|(id,)| id)
                .collect();
            if ids.len() != which.len() {
                return Err(StoreError::Corrupt(format!(
                    "an import of {} vacancies got {} ids",
                    which.len(),
                    ids.len()
                )));
            }
            ids.sort_unstable();
            let (first, last) = (ids[0], ids[ids.len() - 1]);
            if last - first + 1 != which.len() as i64 {
                return Err(StoreError::Corrupt(format!(
                    "an import of {} vacancies got ids {first}..={last}",
                    which.len()
                )));
            }
            ids
        }
    };
    let mut log = sql(AssertSqlSafe(format!(
        "INSERT INTO change_log (entity, entity_id, op, at) VALUES {}",
        vec!["('vacancy', ?, 'create', ?)"; ids.len()].join(", ")
    )));
    for &id in &ids {
        log = log.bind(id).bind(at);
    }
    log.execute(&mut *conn).await?;
    for (&i, id) in which.iter().zip(ids) {
        rows[i] = Some(ImportedVacancy {
            id,
            outcome: ImportOutcome::Inserted,
        });
    }
    Ok(())
}

/// `(key, id)` rows of `sql` (a query with one `IN ({})` list) for each distinct key.
async fn ids_by_key<'a>(
    conn: &mut Tx,
    template: &str,
    keys: impl Iterator<Item = &'a str>,
) -> Result<HashMap<String, i64>> {
    let wanted: Vec<&str> = keys.collect::<BTreeSet<_>>().into_iter().collect();
    let mut found = HashMap::new();
    for chunk in wanted.chunks(500) {
        let text = template.replace("{}", &placeholders(chunk.len()));
        let mut q = sql(AssertSqlSafe(text));
        for key in chunk {
            q = q.bind(*key);
        }
        found.extend(q.fetch_all(&mut *conn).await?);
    }
    Ok(found)
}

/// Employer ids by name, adding the employers not yet in the register.
async fn employer_ids_by_name<'a>(
    conn: &mut Tx,
    names: impl Iterator<Item = &'a str> + Clone,
) -> Result<HashMap<String, i64>> {
    let text = "SELECT name, MIN(id) FROM employers WHERE name IN ({}) GROUP BY name";
    let mut found = ids_by_key(conn, text, names.clone()).await?;
    // New names in one order (each takes a lock on PostgreSQL): two imports that add the same
    // employers lock them in the same order and wait for each other instead of deadlocking.
    let missing: BTreeSet<&str> = names.filter(|n| !found.contains_key(*n)).collect();
    for name in missing {
        let id = employer_id_by_name(conn, name).await?;
        found.insert(name.to_string(), id);
    }
    Ok(found)
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

impl Store {
    /// Stores a new vacancy.
    #[tracing::instrument(name = "store.create_vacancy", skip_all)]
    pub async fn create_vacancy(
        &self,
        d: &VacancyDraft,
        created_by: Option<i64>,
    ) -> Result<Vacancy> {
        let mut tx = self.write_tx().await?;
        check_employer(&mut tx, d.employer_id).await?;
        let id = insert_vacancy(&mut tx, d, created_by, &self.texts).await?;
        tx.commit().await?;
        self.vacancy(id).await
    }

    /// One vacancy, open or closed.
    pub async fn vacancy(&self, id: i64) -> Result<Vacancy> {
        let row: Option<VacancyRow> = self
            .reading_texts(|| async {
                Ok(
                    sql(AssertSqlSafe(format!("{VACANCY_SELECT} WHERE v.id = ?")))
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?,
                )
            })
            .await?;
        row.ok_or(StoreError::NotFound {
            entity: "vacancy",
            id,
        })?
        .try_into()
    }

    /// Replaces a vacancy's fields with `d`.
    #[tracing::instrument(name = "store.update_vacancy", skip(self, d))]
    pub async fn update_vacancy(&self, id: i64, d: &VacancyDraft) -> Result<Vacancy> {
        let mut tx = self.write_tx().await?;
        check_employer(&mut tx, d.employer_id).await?;
        update_vacancy_row(&mut tx, id, d, false, &self.texts).await?;
        tx.commit().await?;
        self.vacancy(id).await
    }

    /// Closes a vacancy: it stays in the database, and leaves search and matches.
    #[tracing::instrument(name = "store.close_vacancy", skip(self))]
    pub async fn close_vacancy(&self, id: i64) -> Result<()> {
        self.close_posting("vacancies", Entity::Vacancy, "vacancy", id)
            .await
    }

    async fn close_posting(
        &self,
        table: &str,
        entity: Entity,
        name: &'static str,
        id: i64,
    ) -> Result<()> {
        let at = now();
        let mut tx = self.write_tx().await?;
        let done = sql(AssertSqlSafe(format!(
            "UPDATE {table} SET status = 'closed', closed_at = COALESCE(closed_at, ?), \
             updated_at = ? WHERE id = ?"
        )))
        .bind(at)
        .bind(at)
        .bind(id)
        .execute(&mut tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound { entity: name, id });
        }
        append(&mut tx, entity, id, "close", at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Closes every open vacancy whose `valid_through` has passed and every open task whose
    /// last day has passed, each with a change-log row (the index drops them). Returns how
    /// many of each were closed.
    #[tracing::instrument(name = "store.close_expired", skip(self))]
    pub async fn close_expired(&self, at: DateTime<Utc>) -> Result<(usize, usize)> {
        let mut tx = self.write_tx().await?;
        let vacancies: Vec<(i64,)> = sql(
            "UPDATE vacancies SET status = 'closed', closed_at = COALESCE(closed_at, ?), \
             updated_at = ? WHERE status = 'open' AND valid_through IS NOT NULL \
             AND valid_through < ? RETURNING id",
        )
        .bind(at)
        .bind(at)
        .bind(at)
        .fetch_all(&mut tx)
        .await?;
        let tasks: Vec<(i64,)> = sql(
            "UPDATE tasks SET status = 'closed', closed_at = COALESCE(closed_at, ?), \
             updated_at = ? WHERE status = 'open' AND ends_on IS NOT NULL AND ends_on < ? \
             RETURNING id",
        )
        .bind(at)
        .bind(at)
        .bind(at.date_naive())
        .fetch_all(&mut tx)
        .await?;
        for (id,) in &vacancies {
            append(&mut tx, Entity::Vacancy, *id, "close", at).await?;
        }
        for (id,) in &tasks {
            append(&mut tx, Entity::Task, *id, "close", at).await?;
        }
        tx.commit().await?;
        Ok((vacancies.len(), tasks.len()))
    }

    /// Vacancies newest first, optionally of one employer and one status.
    pub async fn vacancies(
        &self,
        employer_id: Option<i64>,
        status: Option<PostingStatus>,
        limit: i64,
        offset: i64,
    ) -> Result<Page<Vacancy>> {
        let filter = "(?1 IS NULL OR v.employer_id = ?1) AND (?2 IS NULL OR v.status = ?2)";
        let status = status.map(PostingStatus::as_str);
        let (total,): (i64,) = sql(AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM vacancies v WHERE {filter}"
        )))
        .bind(employer_id)
        .bind(status)
        .fetch_one(&self.pool)
        .await?;
        let rows: Vec<VacancyRow> = self
            .reading_texts(|| async {
                Ok(sql(AssertSqlSafe(format!(
                    "{VACANCY_SELECT} WHERE {filter} ORDER BY v.id DESC LIMIT ?3 OFFSET ?4"
                )))
                .bind(employer_id)
                .bind(status)
                .bind(limit)
                .bind(offset)
                .fetch_all(&self.pool)
                .await?)
            })
            .await?;
        Ok(Page {
            total,
            items: rows
                .into_iter()
                .map(Vacancy::try_from)
                .collect::<Result<_>>()?,
        })
    }

    /// Upserts a batch of imported vacancies by external id, in one transaction. Each item is
    /// the employer's name (found or created in the register) and the validated vacancy.
    #[tracing::instrument(name = "store.import_vacancies", skip_all, fields(n = batch.len()))]
    pub async fn import_vacancies(
        &self,
        batch: &mut [(String, VacancyDraft)],
    ) -> Result<ImportedBatch> {
        let at = now();
        let mut tx = self.write_tx().await?;
        // Two imports of one feed at once (on two nodes of one PostgreSQL) would both find a
        // new identifier missing and both insert it, and the second batch would fail on the
        // unique key: their batches take turns instead, and the second updates what the first
        // inserted. On SQLite the write transaction already excludes every other writer.
        tx.lock_key("vacancy import").await?;
        // On SQLite nobody else writes while this transaction holds the write lock: the
        // change-log rows after `before` are this batch's. On PostgreSQL a change gets its
        // number only once its transaction is over ([`Store::changes_since`]): the index reads
        // the batch back from the log.
        let (before,): (i64,) = sql("SELECT COALESCE(MAX(seq), 0) FROM change_log")
            .fetch_one(&mut tx)
            .await?;
        let employers =
            employer_ids_by_name(&mut tx, batch.iter().map(|(e, _)| e.as_str())).await?;
        let mut existing = ids_by_key(
            &mut tx,
            "SELECT external_id, id FROM vacancies WHERE external_id IN ({})",
            batch.iter().filter_map(|(_, d)| d.external_id.as_deref()),
        )
        .await?;
        let mut rows: Vec<Option<ImportedVacancy>> = vec![None; batch.len()];
        // Lines waiting to be inserted together (indexes into `batch`).
        let mut queued: Vec<usize> = Vec::new();
        for i in 0..batch.len() {
            let (employer, draft) = &mut batch[i];
            draft.employer_id = employers[employer.as_str()];
            let id = draft
                .external_id
                .as_ref()
                .and_then(|e| existing.get(e))
                .copied();
            let queued_twice = id.is_none()
                && draft.external_id.is_some()
                && queued
                    .iter()
                    .any(|&q| batch[q].1.external_id == batch[i].1.external_id);
            if queued_twice {
                // The same identifier twice in a batch: the later line updates the earlier.
                insert_vacancies(&mut tx, batch, &queued, &mut rows, at, &self.texts).await?;
                inserted(batch, &mut queued, &rows, &mut existing);
            }
            let (_, draft) = &batch[i];
            match draft
                .external_id
                .as_ref()
                .and_then(|e| existing.get(e))
                .copied()
            {
                Some(id) => {
                    // A re-imported ad is live again at its source: reopen it.
                    update_vacancy_row(&mut tx, id, draft, true, &self.texts).await?;
                    rows[i] = Some(ImportedVacancy {
                        id,
                        outcome: ImportOutcome::Updated,
                    });
                }
                None => queued.push(i),
            }
            if queued.len() >= INSERT_ROWS {
                insert_vacancies(&mut tx, batch, &queued, &mut rows, at, &self.texts).await?;
                // A later line of the batch with one of their identifiers updates its row.
                inserted(batch, &mut queued, &rows, &mut existing);
            }
        }
        insert_vacancies(&mut tx, batch, &queued, &mut rows, at, &self.texts).await?;
        let (after,): (i64,) = sql("SELECT COALESCE(MAX(seq), 0) FROM change_log")
            .fetch_one(&mut tx)
            .await?;
        tx.commit().await?;
        self.train_dictionary_when_due().await;
        Ok(ImportedBatch {
            rows: rows
                .into_iter()
                .map(|r| r.expect("every line was inserted or updated"))
                .collect(),
            changes: (self.backend() == Backend::Sqlite && after > before)
                .then_some((before + 1, after)),
            at,
        })
    }

    /// Stores a new subcontracting task.
    #[tracing::instrument(name = "store.create_task", skip_all)]
    pub async fn create_task(&self, d: &TaskDraft, created_by: Option<i64>) -> Result<Task> {
        let at = now();
        let mut tx = self.write_tx().await?;
        check_employer(&mut tx, d.employer_id).await?;
        let (id,): (i64,) = sql(
            "INSERT INTO tasks (employer_id, title, description, location, municipality, site, \
             starts_on, ends_on, estimated_hours, group_size, occupations, status, created_by, \
             created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?) RETURNING id",
        )
        .bind(d.employer_id)
        .bind(&d.title)
        .bind_arg(self.stored_text(&d.description))
        .bind(&d.location)
        .bind(&d.municipality)
        .bind(d.site.map(|s| s.as_str()))
        .bind(d.starts_on)
        .bind(d.ends_on)
        .bind(d.estimated_hours)
        .bind(d.group_size)
        .bind(occupations_json(&d.occupations))
        .bind(created_by)
        .bind(at)
        .bind(at)
        .fetch_one(&mut tx)
        .await?;
        append(&mut tx, Entity::Task, id, "create", at).await?;
        tx.commit().await?;
        self.task(id).await
    }

    /// One task.
    pub async fn task(&self, id: i64) -> Result<Task> {
        let row: Option<TaskRow> = self
            .reading_texts(|| async {
                Ok(sql(AssertSqlSafe(format!("{TASK_SELECT} WHERE t.id = ?")))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?)
            })
            .await?;
        row.map(Task::from)
            .ok_or(StoreError::NotFound { entity: "task", id })
    }

    /// Replaces a task's fields with `d`.
    #[tracing::instrument(name = "store.update_task", skip(self, d))]
    pub async fn update_task(&self, id: i64, d: &TaskDraft) -> Result<Task> {
        let at = now();
        let mut tx = self.write_tx().await?;
        check_employer(&mut tx, d.employer_id).await?;
        let done = sql(
            "UPDATE tasks SET employer_id = ?, title = ?, description = ?, location = ?, \
             municipality = ?, site = ?, starts_on = ?, ends_on = ?, estimated_hours = ?, \
             group_size = ?, occupations = ?, updated_at = ? WHERE id = ?",
        )
        .bind(d.employer_id)
        .bind(&d.title)
        .bind_arg(self.stored_text(&d.description))
        .bind(&d.location)
        .bind(&d.municipality)
        .bind(d.site.map(|s| s.as_str()))
        .bind(d.starts_on)
        .bind(d.ends_on)
        .bind(d.estimated_hours)
        .bind(d.group_size)
        .bind(occupations_json(&d.occupations))
        .bind(at)
        .bind(id)
        .execute(&mut tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound { entity: "task", id });
        }
        append(&mut tx, Entity::Task, id, "update", at).await?;
        tx.commit().await?;
        self.task(id).await
    }

    /// Closes a task.
    #[tracing::instrument(name = "store.close_task", skip(self))]
    pub async fn close_task(&self, id: i64) -> Result<()> {
        self.close_posting("tasks", Entity::Task, "task", id).await
    }

    /// Tasks newest first.
    pub async fn tasks(
        &self,
        employer_id: Option<i64>,
        status: Option<PostingStatus>,
        limit: i64,
        offset: i64,
    ) -> Result<Page<Task>> {
        let filter = "(?1 IS NULL OR t.employer_id = ?1) AND (?2 IS NULL OR t.status = ?2)";
        let status = status.map(PostingStatus::as_str);
        let (total,): (i64,) = sql(AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM tasks t WHERE {filter}"
        )))
        .bind(employer_id)
        .bind(status)
        .fetch_one(&self.pool)
        .await?;
        let rows: Vec<TaskRow> = self
            .reading_texts(|| async {
                Ok(sql(AssertSqlSafe(format!(
                    "{TASK_SELECT} WHERE {filter} ORDER BY t.id DESC LIMIT ?3 OFFSET ?4"
                )))
                .bind(employer_id)
                .bind(status)
                .bind(limit)
                .bind(offset)
                .fetch_all(&self.pool)
                .await?)
            })
            .await?;
        Ok(Page {
            total,
            items: rows.into_iter().map(Task::from).collect(),
        })
    }

    /// The open postings of `kind` among `ids`, in the shape the index needs. Closed or
    /// missing ids are simply absent: the caller deletes them from the index.
    pub async fn indexable(&self, kind: Entity, ids: &[i64]) -> Result<Vec<IndexablePosting>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let text = match kind {
            Entity::Vacancy => format!(
                "SELECT v.id, v.external_id, v.title, v.description, v.employer_id, \
                 e.name AS employer, v.municipality, v.language, v.occupation_code, \
                 v.date_posted, v.hours_min, v.hours_max, v.adjustments_offered, v.occupations, \
                 CAST(NULL AS DOUBLE PRECISION) AS estimated_hours, v.valid_through FROM vacancies v \
                 JOIN employers e ON e.id = v.employer_id \
                 WHERE v.status = 'open' AND v.id IN ({})",
                placeholders(ids.len())
            ),
            Entity::Task => format!(
                "SELECT t.id, NULL AS external_id, t.title, t.description, t.employer_id, \
                 e.name AS employer, t.municipality, NULL AS language, \
                 NULL AS occupation_code, t.created_at AS date_posted, \
                 CAST(NULL AS DOUBLE PRECISION) AS hours_min, \
                 CAST(NULL AS DOUBLE PRECISION) AS hours_max, '[]' AS adjustments_offered, t.occupations, \
                 t.estimated_hours, CAST(NULL AS TIMESTAMPTZ) AS valid_through FROM tasks t \
                 JOIN employers e ON e.id = t.employer_id \
                 WHERE t.status = 'open' AND t.id IN ({})",
                placeholders(ids.len())
            ),
            Entity::Employer | Entity::Client | Entity::Event | Entity::Contact => return Ok(Vec::new()),
        };
        let rows: Vec<IndexRow> = self
            .reading_texts(|| async {
                let mut q = sql(AssertSqlSafe(text.clone()));
                for id in ids {
                    q = q.bind(id);
                }
                Ok(q.fetch_all(&self.pool).await?)
            })
            .await?;
        Ok(rows.into_iter().map(|r| r.into_posting(kind)).collect())
    }

    /// Employers among `ids`, with the distinct titles of their latest postings (for employer
    /// prospects).
    pub async fn indexable_employers(&self, ids: &[i64]) -> Result<Vec<IndexableEmployer>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let text = format!(
            "SELECT id, name, industry, municipality, created_at FROM employers WHERE id IN ({})",
            placeholders(ids.len())
        );
        let mut q = sql(AssertSqlSafe(text));
        for id in ids {
            q = q.bind(id);
        }
        let employers: Vec<EmployerIndexRow> = q.fetch_all(&self.pool).await?;
        let mut out = Vec::with_capacity(employers.len());
        for (id, name, industry, municipality, created_at) in employers {
            // The latest postings only, by the (employer, date) indexes: a large employer's
            // thousands of postings are never read for its prospect document.
            let latest: Vec<(String, DateTime<Utc>)> = sql("SELECT title, at FROM ( \
                   SELECT * FROM (SELECT title, date_posted AS at FROM vacancies \
                     WHERE employer_id = ?1 ORDER BY date_posted DESC LIMIT ?2) AS v \
                   UNION ALL SELECT * FROM (SELECT title, created_at AS at FROM tasks \
                     WHERE employer_id = ?1 ORDER BY created_at DESC LIMIT ?2) AS t) AS latest \
                 ORDER BY at DESC")
            .bind(id)
            .bind(EMPLOYER_POSTINGS_READ)
            .fetch_all(&self.pool)
            .await?;
            let last_active = latest.first().map_or(created_at, |(_, at)| *at);
            let mut seen: Vec<String> = Vec::new();
            for (title, _) in latest {
                if seen.len() < EMPLOYER_TITLES && !seen.contains(&title) {
                    seen.push(title);
                }
            }
            out.push(IndexableEmployer {
                id,
                name,
                industry,
                municipality,
                titles: seen,
                last_active,
            });
        }
        Ok(out)
    }

    /// Title, text and given code of every posting of `kind` above id `after` (ascending, at
    /// most `limit`), open or closed: what reading occupations anew needs.
    pub async fn posting_texts(
        &self,
        kind: Entity,
        after: i64,
        limit: i64,
    ) -> Result<Vec<(i64, String, String, Option<String>)>> {
        let text = match kind {
            Entity::Vacancy => {
                "SELECT id, title, description, occupation_code FROM vacancies \
                 WHERE id > ? ORDER BY id LIMIT ?"
            }
            Entity::Task => {
                "SELECT id, title, description, NULL FROM tasks WHERE id > ? ORDER BY id LIMIT ?"
            }
            Entity::Employer | Entity::Client | Entity::Event | Entity::Contact => {
                return Ok(Vec::new())
            }
        };
        let rows: Vec<(i64, String, StoredText, Option<String>)> = self
            .reading_texts(|| async {
                Ok(sql(text)
                    .bind(after)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await?)
            })
            .await?;
        Ok(rows
            .into_iter()
            .map(|(id, title, text, code)| (id, title, text.into(), code))
            .collect())
    }

    /// The descriptions of `postings` (vacancies and tasks, open or closed), which only the
    /// database keeps: what snippets and match reasons read for the hits they show. A posting
    /// that is gone is absent.
    pub async fn descriptions(
        &self,
        postings: &[(Entity, i64)],
    ) -> Result<HashMap<(Entity, i64), String>> {
        let mut out = HashMap::with_capacity(postings.len());
        for (kind, table) in [(Entity::Vacancy, "vacancies"), (Entity::Task, "tasks")] {
            let ids: Vec<i64> = postings
                .iter()
                .filter(|(k, _)| *k == kind)
                .map(|(_, id)| *id)
                .collect();
            if ids.is_empty() {
                continue;
            }
            let text = format!(
                "SELECT id, description FROM {table} WHERE id IN ({})",
                placeholders(ids.len())
            );
            let rows: Vec<(i64, StoredText)> = self
                .reading_texts(|| async {
                    let mut q = sql(AssertSqlSafe(text.clone()));
                    for id in &ids {
                        q = q.bind(id);
                    }
                    Ok(q.fetch_all(&self.pool).await?)
                })
                .await?;
            out.extend(rows.into_iter().map(|(id, t)| ((kind, id), t.into())));
        }
        Ok(out)
    }

    /// Replaces the occupations of postings of `kind` (after a new taxonomy), each change
    /// logged so that the index follows; unchanged ones are left alone.
    pub async fn set_posting_occupations(
        &self,
        kind: Entity,
        items: &[(i64, Vec<OccupationGuess>)],
    ) -> Result<usize> {
        let table = match kind {
            Entity::Vacancy => "vacancies",
            Entity::Task => "tasks",
            Entity::Employer | Entity::Client | Entity::Event | Entity::Contact => return Ok(0),
        };
        let at = now();
        let mut tx = self.write_tx().await?;
        let mut changed = 0;
        for (id, occupations) in items {
            let done = sql(AssertSqlSafe(format!(
                "UPDATE {table} SET occupations = ? WHERE id = ? AND occupations IS DISTINCT FROM ?"
            )))
            .bind(occupations_json(occupations))
            .bind(id)
            .bind(occupations_json(occupations))
            .execute(&mut tx)
            .await?;
            if done.rows_affected() > 0 {
                append(&mut tx, kind, *id, "update", at).await?;
                changed += 1;
            }
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// How many vacancies and tasks are open.
    pub async fn open_posting_count(&self) -> Result<u64> {
        let (n,): (i64,) = sql(
            "SELECT (SELECT COUNT(*) FROM vacancies WHERE status = 'open') + \
                    (SELECT COUNT(*) FROM tasks WHERE status = 'open')",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(n.max(0) as u64)
    }

    /// Ids of what the index holds of `kind` (open vacancies or tasks, every employer) above
    /// `after`, ascending, at most `limit`: a full rebuild reads them a page at a time.
    pub async fn indexable_ids(&self, kind: Entity, after: i64, limit: i64) -> Result<Vec<i64>> {
        let text = match kind {
            Entity::Vacancy => {
                "SELECT id FROM vacancies WHERE status = 'open' AND id > ? ORDER BY id LIMIT ?"
            }
            Entity::Task => {
                "SELECT id FROM tasks WHERE status = 'open' AND id > ? ORDER BY id LIMIT ?"
            }
            Entity::Employer => "SELECT id FROM employers WHERE id > ? ORDER BY id LIMIT ?",
            Entity::Client | Entity::Event | Entity::Contact => return Ok(Vec::new()),
        };
        let rows: Vec<(i64,)> = sql(text)
            .bind(after)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }
}

#[derive(sqlx::FromRow)]
struct IndexRow {
    id: i64,
    external_id: Option<String>,
    title: String,
    description: StoredText,
    employer_id: i64,
    employer: String,
    municipality: Option<String>,
    language: Option<String>,
    occupation_code: Option<String>,
    date_posted: DateTime<Utc>,
    hours_min: Option<f64>,
    hours_max: Option<f64>,
    adjustments_offered: String,
    occupations: String,
    estimated_hours: Option<f64>,
    valid_through: Option<DateTime<Utc>>,
}

impl IndexRow {
    fn into_posting(self, kind: Entity) -> IndexablePosting {
        IndexablePosting {
            kind,
            id: self.id,
            external_id: self.external_id,
            title: self.title,
            description: self.description.into(),
            employer_id: self.employer_id,
            employer: self.employer,
            municipality: self.municipality,
            language: self.language,
            occupation_code: self.occupation_code,
            date_posted: self.date_posted,
            hours_min: self.hours_min,
            hours_max: self.hours_max,
            adjustments_offered: serde_json::from_str(&self.adjustments_offered)
                .unwrap_or_default(),
            occupations: occupations_of(&self.occupations),
            estimated_hours: self.estimated_hours,
            valid_through: self.valid_through,
        }
    }
}

//! Client events (append-only, corrections supersede), the employer-contact log, work-trial
//! feedback forms, and the compact rows the funnel figures are computed from.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{AssertSqlSafe, SqliteConnection};

use super::access::{write_access, Access};
use super::clients::caseload_check;
use super::{now, Result, Store, StoreError};
use crate::domain::{
    format_timestamp, AccessAction, AccessTarget, ClientEvent, ContactDraft, EmployerContact,
    EventDraft, EventType, FeedbackAnswers, FeedbackForm, MatchFeedback, PlacementType,
    SupportNeeded,
};
use crate::funnel::{check_history, ClientFacts, ContactFact, EventFact, FunnelData, Step};

const EVENT_SELECT: &str = "SELECT e.id, e.client_id, e.recorded_by, e.type, e.at, e.vacancy_id, \
    e.task_id, e.employer_id, e.placement_type, e.hours_per_week, e.face_to_face, e.note, \
    e.supersedes, s.id AS superseded_by, e.out_of_work_at_entry, e.client_choice, e.created_at \
    FROM client_events e LEFT JOIN client_events s ON s.supersedes = e.id";

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    client_id: i64,
    recorded_by: i64,
    #[sqlx(rename = "type")]
    kind: String,
    at: String,
    vacancy_id: Option<i64>,
    task_id: Option<i64>,
    employer_id: Option<i64>,
    placement_type: Option<String>,
    hours_per_week: Option<f64>,
    face_to_face: Option<bool>,
    note: Option<String>,
    supersedes: Option<i64>,
    superseded_by: Option<i64>,
    out_of_work_at_entry: Option<bool>,
    client_choice: Option<bool>,
    created_at: String,
}

pub(super) fn stored_time(what: &str, raw: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt(format!("{what} '{raw}': {e}")))
}

pub(super) fn stored_kind(raw: &str) -> Result<EventType> {
    EventType::parse(raw).ok_or_else(|| StoreError::Corrupt(format!("event type '{raw}'")))
}

pub(super) fn stored_placement(raw: Option<&str>) -> Result<Option<PlacementType>> {
    raw.map(|p| {
        PlacementType::parse(p).ok_or_else(|| StoreError::Corrupt(format!("placement '{p}'")))
    })
    .transpose()
}

impl TryFrom<EventRow> for ClientEvent {
    type Error = StoreError;
    fn try_from(r: EventRow) -> Result<Self> {
        Ok(ClientEvent {
            kind: stored_kind(&r.kind)?,
            at: stored_time("event time", &r.at)?,
            placement_type: stored_placement(r.placement_type.as_deref())?,
            created_at: stored_time("event created_at", &r.created_at)?,
            id: r.id,
            client_id: r.client_id,
            recorded_by: r.recorded_by,
            vacancy_id: r.vacancy_id,
            task_id: r.task_id,
            employer_id: r.employer_id,
            hours_per_week: r.hours_per_week,
            face_to_face: r.face_to_face,
            note: r.note,
            supersedes: r.supersedes,
            superseded_by: r.superseded_by,
            out_of_work_at_entry: r.out_of_work_at_entry,
            client_choice: r.client_choice,
        })
    }
}

async fn exists(conn: &mut SqliteConnection, table: &str, id: i64) -> Result<bool> {
    let found: Option<(i64,)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT id FROM {table} WHERE id = ?"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

async fn check_references(conn: &mut SqliteConnection, d: &EventDraft) -> Result<()> {
    for (field, table, id) in [
        ("vacancy_id", "vacancies", d.vacancy_id),
        ("task_id", "tasks", d.task_id),
        ("employer_id", "employers", d.employer_id),
    ] {
        if let Some(id) = id {
            if !exists(conn, table, id).await? {
                return Err(StoreError::InvalidReference {
                    field,
                    message: format!("there is no {} with id {id}", &table[..table.len() - 1]),
                });
            }
        }
    }
    Ok(())
}

/// Checks `d` against the client's effective history up to `d.at` and appends it.
async fn append_event(
    conn: &mut SqliteConnection,
    client_id: i64,
    recorded_by: i64,
    d: &EventDraft,
) -> Result<i64> {
    check_references(conn, d).await?;
    if let Some(old) = d.supersedes {
        let row: Option<(i64, Option<i64>)> = sqlx::query_as(
            "SELECT e.client_id, s.id FROM client_events e \
             LEFT JOIN client_events s ON s.supersedes = e.id WHERE e.id = ?",
        )
        .bind(old)
        .fetch_optional(&mut *conn)
        .await?;
        match row {
            Some((owner, None)) if owner == client_id => {}
            Some((owner, Some(by))) if owner == client_id => {
                return Err(StoreError::Conflict(format!(
                    "event {old} is already corrected by event {by}; correct that one instead"
                )))
            }
            _ => {
                return Err(StoreError::InvalidReference {
                    field: "supersedes",
                    message: format!("this client has no event {old}"),
                })
            }
        }
    }
    let at = format_timestamp(d.at);
    // The whole effective history with the new event in its place: it must fit the rules at
    // its time, and must not break any later step (a back-dated `closed`, say).
    let history: Vec<(String, Option<String>, String)> = sqlx::query_as(
        "SELECT e.type, e.placement_type, e.at FROM client_events e \
         WHERE e.client_id = ? AND e.id IS NOT ? \
           AND NOT EXISTS (SELECT 1 FROM client_events s WHERE s.supersedes = e.id) \
         ORDER BY e.at, e.id",
    )
    .bind(client_id)
    .bind(d.supersedes)
    .fetch_all(&mut *conn)
    .await?;
    let mut steps: Vec<Step> = Vec::with_capacity(history.len() + 1);
    let mut times: Vec<String> = Vec::with_capacity(history.len() + 1);
    let mut position = None;
    for (kind, placement, t) in history {
        if position.is_none() && t > at {
            position = Some(steps.len());
            steps.push((d.kind, d.placement_type));
            times.push(at.clone());
        }
        steps.push((stored_kind(&kind)?, stored_placement(placement.as_deref())?));
        times.push(t);
    }
    let position = position.unwrap_or_else(|| {
        steps.push((d.kind, d.placement_type));
        times.push(at.clone());
        steps.len() - 1
    });
    if let Err((i, e)) = check_history(&steps) {
        let message = if i == position {
            e.message
        } else {
            format!(
                "this would break the later `{}` of {}: {}",
                steps[i].0.as_str(),
                times[i],
                e.message
            )
        };
        return Err(StoreError::InvalidReference {
            field: "type",
            message,
        });
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO client_events (client_id, recorded_by, type, at, vacancy_id, task_id, \
         employer_id, placement_type, hours_per_week, face_to_face, note, supersedes, \
         out_of_work_at_entry, client_choice, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(client_id)
    .bind(recorded_by)
    .bind(d.kind.as_str())
    .bind(&at)
    .bind(d.vacancy_id)
    .bind(d.task_id)
    .bind(d.employer_id)
    .bind(d.placement_type.map(PlacementType::as_str))
    .bind(d.hours_per_week)
    .bind(d.face_to_face)
    .bind(&d.note)
    .bind(d.supersedes)
    .bind(d.out_of_work_at_entry)
    .bind(d.client_choice)
    .bind(format_timestamp(now()))
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(
            "that event was corrected at the same moment by someone else".into(),
        ),
        _ => StoreError::Database(e),
    })?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct ContactRow {
    id: i64,
    employer_id: i64,
    coach_id: i64,
    coach_name: String,
    at: String,
    face_to_face: bool,
    client_id: Option<i64>,
    purpose: Option<String>,
    outcome: Option<String>,
}

#[derive(sqlx::FromRow)]
struct FormRow {
    id: i64,
    client_id: i64,
    placement_event_id: i64,
    employer_id: i64,
    placement_type: String,
    placement_at: String,
    vacancy_id: Option<i64>,
    task_id: Option<i64>,
    posting_title: Option<String>,
    created_at: String,
    submitted_at: Option<String>,
    tasks_managed: Option<i64>,
    support_needed: Option<String>,
    would_hire: Option<bool>,
    comment: Option<String>,
}

/// A form with what tells its employer which placement it is about: the placement's first day
/// and the posting it names, only when that posting is the same employer's own.
const FORM_SELECT: &str = "SELECT f.id, f.client_id, f.placement_event_id, f.employer_id, \
    f.placement_type, e.at AS placement_at, v.id AS vacancy_id, t.id AS task_id, \
    COALESCE(v.title, t.title) AS posting_title, f.created_at, f.submitted_at, f.tasks_managed, \
    f.support_needed, f.would_hire, f.comment FROM feedback_forms f \
    JOIN client_events e ON e.id = f.placement_event_id \
    LEFT JOIN vacancies v ON v.id = e.vacancy_id AND v.employer_id = f.employer_id \
    LEFT JOIN tasks t ON t.id = e.task_id AND t.employer_id = f.employer_id";

impl FormRow {
    /// `with_client`: the client's coach sees which client and placement; an employer does not.
    fn into_form(self, with_client: bool) -> Result<FeedbackForm> {
        let answers = match (self.tasks_managed, self.support_needed, self.would_hire) {
            (Some(tasks_managed), Some(support), Some(would_hire)) => Some(FeedbackAnswers {
                tasks_managed,
                support_needed: SupportNeeded::parse(&support)
                    .ok_or_else(|| StoreError::Corrupt(format!("support_needed '{support}'")))?,
                would_hire,
                comment: self.comment,
            }),
            _ => None,
        };
        Ok(FeedbackForm {
            id: self.id,
            employer_id: self.employer_id,
            placement_type: stored_placement(Some(&self.placement_type))?.expect("placement given"),
            placement_started_on: stored_time("placement at", &self.placement_at)?.date_naive(),
            vacancy_id: self.vacancy_id,
            task_id: self.task_id,
            posting_title: self.posting_title,
            created_at: stored_time("form created_at", &self.created_at)?,
            status: if answers.is_some() {
                "submitted"
            } else {
                "pending"
            },
            submitted_at: self
                .submitted_at
                .as_deref()
                .map(|t| stored_time("form submitted_at", t))
                .transpose()?,
            answers,
            client_id: with_client.then_some(self.client_id),
            placement_event_id: with_client.then_some(self.placement_event_id),
        })
    }
}

/// Largest event id, contact id and change-log sequence: together they name one state of
/// everything the figures read.
type FunnelVersion = (i64, i64, i64);

/// Loaded all-coaches funnel rows by version and last day (a few periods at a time).
#[derive(Debug, Default)]
pub(super) struct FunnelCache {
    entries: Mutex<Vec<(FunnelVersion, NaiveDate, Arc<FunnelData>)>>,
}

impl FunnelCache {
    const SIZE: usize = 4;

    fn get(&self, version: FunnelVersion, until: NaiveDate) -> Option<Arc<FunnelData>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .iter()
            .find(|(v, u, _)| *v == version && *u == until)
            .map(|(_, _, d)| d.clone())
    }

    /// Takes the newest cached rows for `until` out of the cache, whatever their version: the
    /// caller extends them in place (no copy unless a request still holds them) and puts the
    /// result back.
    fn take_latest(&self, until: NaiveDate) -> Option<(FunnelVersion, Arc<FunnelData>)> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let at = entries.iter().rposition(|(_, u, _)| *u == until)?;
        let (v, _, d) = entries.remove(at);
        Some((v, d))
    }

    fn put(&self, version: FunnelVersion, until: NaiveDate, data: Arc<FunnelData>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        // Rows of an older version are never asked for again.
        entries.retain(|(v, _, _)| *v == version);
        if entries.len() >= Self::SIZE {
            entries.remove(0);
        }
        entries.push((version, until, data));
    }
}

/// coach, type, placement type, employer, correcting event.
type PlacementRow = (i64, String, Option<String>, Option<i64>, Option<i64>);

/// client, vacancy, task, signal, time.
type LabelRow = (i64, Option<i64>, Option<i64>, String, String);

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
    /// Appends an event to a client of `coach_id` after checking the stage rules against the
    /// client's history up to the event's time, and logs the access. Another coach's client
    /// (or an erased one) is `NotFound`, logged as refused.
    #[tracing::instrument(name = "store.record_event", skip(self, d), fields(kind = d.kind.as_str()))]
    pub async fn record_event(
        &self,
        client_id: i64,
        coach_id: i64,
        d: &EventDraft,
    ) -> Result<ClientEvent> {
        let mut tx = self.write_tx().await?;
        let target = AccessTarget::Client(client_id);
        if let Err(reason) = caseload_check(&mut tx, client_id, coach_id).await? {
            let access = Access::denied(coach_id, AccessAction::RecordEvent, target, reason);
            write_access(&mut tx, &access).await?;
            tx.commit().await?;
            return Err(StoreError::NotFound {
                entity: "client",
                id: client_id,
            });
        }
        let id = append_event(&mut tx, client_id, coach_id, d).await?;
        let access = Access::allowed(coach_id, AccessAction::RecordEvent, target);
        write_access(&mut tx, &access).await?;
        tx.commit().await?;
        self.event(id).await
    }

    async fn event(&self, id: i64) -> Result<ClientEvent> {
        let row: Option<EventRow> =
            sqlx::query_as(AssertSqlSafe(format!("{EVENT_SELECT} WHERE e.id = ?")))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.ok_or(StoreError::NotFound {
            entity: "event",
            id,
        })?
        .try_into()
    }

    /// Every event of a client, corrected ones included, in time order.
    pub async fn client_events(&self, client_id: i64) -> Result<Vec<ClientEvent>> {
        let rows: Vec<EventRow> = sqlx::query_as(AssertSqlSafe(format!(
            "{EVENT_SELECT} WHERE e.client_id = ? ORDER BY e.at, e.id"
        )))
        .bind(client_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(ClientEvent::try_from).collect()
    }

    /// Logs a coach's employer contact. With a client (one of the coach's own), the client's
    /// history gets an `employer_contact` event in the same transaction.
    #[tracing::instrument(name = "store.record_contact", skip(self, d))]
    pub async fn record_contact(&self, coach_id: i64, d: &ContactDraft) -> Result<i64> {
        let mut tx = self.write_tx().await?;
        if !exists(&mut tx, "employers", d.employer_id).await? {
            return Err(StoreError::InvalidReference {
                field: "employer_id",
                message: format!("there is no employer with id {}", d.employer_id),
            });
        }
        if let Some(client_id) = d.client_id {
            let target = AccessTarget::Client(client_id);
            if let Err(reason) = caseload_check(&mut tx, client_id, coach_id).await? {
                let access = Access::denied(coach_id, AccessAction::RecordContact, target, reason);
                write_access(&mut tx, &access).await?;
                tx.commit().await?;
                return Err(StoreError::InvalidReference {
                    field: "client_id",
                    message: format!("client {client_id} is not on your caseload"),
                });
            }
            let access = Access::allowed(coach_id, AccessAction::RecordContact, target);
            write_access(&mut tx, &access).await?;
            let event = EventDraft {
                kind: EventType::EmployerContact,
                at: d.at,
                vacancy_id: None,
                task_id: None,
                employer_id: Some(d.employer_id),
                placement_type: None,
                hours_per_week: None,
                face_to_face: Some(d.face_to_face),
                note: d.purpose.clone(),
                supersedes: None,
                out_of_work_at_entry: None,
                client_choice: None,
            };
            append_event(&mut tx, client_id, coach_id, &event).await?;
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO employer_contacts (coach_id, employer_id, at, face_to_face, client_id, \
             purpose, outcome, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(coach_id)
        .bind(d.employer_id)
        .bind(format_timestamp(d.at))
        .bind(d.face_to_face)
        .bind(d.client_id)
        .bind(&d.purpose)
        .bind(&d.outcome)
        .bind(format_timestamp(now()))
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// An employer's contact history across all coaches, newest first. `viewer_coach` sees
    /// which of its own clients a contact was about; nobody sees another coach's client.
    pub async fn employer_contacts(
        &self,
        employer_id: i64,
        viewer_coach: Option<i64>,
        limit: i64,
    ) -> Result<Vec<EmployerContact>> {
        let mut conn = self.pool.acquire().await?;
        if !exists(&mut conn, "employers", employer_id).await? {
            return Err(StoreError::NotFound {
                entity: "employer",
                id: employer_id,
            });
        }
        let rows: Vec<ContactRow> = sqlx::query_as(
            "SELECT c.id, c.employer_id, c.coach_id, u.name AS coach_name, c.at, c.face_to_face, \
             c.client_id, c.purpose, c.outcome FROM employer_contacts c \
             JOIN users u ON u.id = c.coach_id WHERE c.employer_id = ? \
             ORDER BY c.at DESC, c.id DESC LIMIT ?",
        )
        .bind(employer_id)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(EmployerContact {
                    at: stored_time("contact time", &r.at)?,
                    with_client: r.client_id.is_some(),
                    client_id: r.client_id.filter(|_| Some(r.coach_id) == viewer_coach),
                    id: r.id,
                    employer_id: r.employer_id,
                    coach_id: r.coach_id,
                    coach_name: r.coach_name,
                    face_to_face: r.face_to_face,
                    purpose: r.purpose,
                    outcome: r.outcome,
                })
            })
            .collect()
    }

    /// Every employer contact about `client_id`, oldest first, with the client named (for
    /// the client's export; the caller checks that the client is the caller's).
    pub async fn contacts_about_client(&self, client_id: i64) -> Result<Vec<EmployerContact>> {
        let rows: Vec<ContactRow> = sqlx::query_as(
            "SELECT c.id, c.employer_id, c.coach_id, u.name AS coach_name, c.at, c.face_to_face, \
             c.client_id, c.purpose, c.outcome FROM employer_contacts c \
             JOIN users u ON u.id = c.coach_id WHERE c.client_id = ? ORDER BY c.at, c.id",
        )
        .bind(client_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(EmployerContact {
                    at: stored_time("contact time", &r.at)?,
                    with_client: true,
                    client_id: r.client_id,
                    id: r.id,
                    employer_id: r.employer_id,
                    coach_id: r.coach_id,
                    coach_name: r.coach_name,
                    face_to_face: r.face_to_face,
                    purpose: r.purpose,
                    outcome: r.outcome,
                })
            })
            .collect()
    }

    /// A coach asks the employer of placement `event_id` (of the coach's own client) for
    /// feedback.
    pub async fn request_feedback(
        &self,
        client_id: i64,
        coach_id: i64,
        event_id: i64,
    ) -> Result<FeedbackForm> {
        let mut tx = self.write_tx().await?;
        let row: Option<PlacementRow> =
            sqlx::query_as(
                "SELECT c.coach_id, e.type, e.placement_type, \
                 COALESCE(e.employer_id, v.employer_id, t.employer_id), s.id \
                 FROM client_events e JOIN clients c ON c.id = e.client_id \
                 LEFT JOIN vacancies v ON v.id = e.vacancy_id LEFT JOIN tasks t ON t.id = e.task_id \
                 LEFT JOIN client_events s ON s.supersedes = e.id \
                 WHERE e.id = ? AND e.client_id = ?",
            )
            .bind(event_id)
            .bind(client_id)
            .fetch_optional(&mut *tx)
            .await?;
        let (_, kind, placement, employer, superseded) = match row {
            Some(r) if r.0 == coach_id => r,
            _ => {
                return Err(StoreError::InvalidReference {
                    field: "placement_event_id",
                    message: format!("this client has no event {event_id}"),
                })
            }
        };
        let (Some(placement), Some(employer_id), None) = (placement, employer, superseded) else {
            return Err(StoreError::InvalidReference {
                field: "placement_event_id",
                message: format!(
                    "event {event_id} ({kind}) is not a current placement with a known employer"
                ),
            });
        };
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO feedback_forms (client_id, placement_event_id, employer_id, \
             placement_type, requested_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(client_id)
        .bind(event_id)
        .bind(employer_id)
        .bind(&placement)
        .bind(coach_id)
        .bind(format_timestamp(now()))
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        self.feedback_form(id, None).await
    }

    /// One form; `employer` set: only that employer's form is found, without client reference.
    pub async fn feedback_form(&self, id: i64, employer: Option<i64>) -> Result<FeedbackForm> {
        let row: Option<FormRow> =
            sqlx::query_as(AssertSqlSafe(format!("{FORM_SELECT} WHERE f.id = ?")))
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        match row {
            Some(r) if employer.is_none_or(|e| e == r.employer_id) => {
                r.into_form(employer.is_none())
            }
            _ => Err(StoreError::NotFound {
                entity: "feedback form",
                id,
            }),
        }
    }

    /// An employer's forms, newest first, without client references.
    pub async fn feedback_forms_of_employer(&self, employer_id: i64) -> Result<Vec<FeedbackForm>> {
        let rows: Vec<FormRow> = sqlx::query_as(AssertSqlSafe(format!(
            "{FORM_SELECT} WHERE f.employer_id = ? ORDER BY f.id DESC"
        )))
        .bind(employer_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(|r| r.into_form(false)).collect()
    }

    /// A client's forms (for the client's coach; ownership is checked by the caller).
    pub async fn feedback_forms_of_client(&self, client_id: i64) -> Result<Vec<FeedbackForm>> {
        let rows: Vec<FormRow> = sqlx::query_as(AssertSqlSafe(format!(
            "{FORM_SELECT} WHERE f.client_id = ? ORDER BY f.id"
        )))
        .bind(client_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(|r| r.into_form(true)).collect()
    }

    /// The employer fills a pending form once; a second answer is a conflict.
    pub async fn submit_feedback(
        &self,
        id: i64,
        employer_id: i64,
        user_id: i64,
        a: &FeedbackAnswers,
    ) -> Result<FeedbackForm> {
        let current = self.feedback_form(id, Some(employer_id)).await?;
        if current.answers.is_some() {
            return Err(StoreError::Conflict(format!(
                "feedback form {id} is already submitted"
            )));
        }
        let done = sqlx::query(
            "UPDATE feedback_forms SET submitted_by = ?, submitted_at = ?, tasks_managed = ?, \
             support_needed = ?, would_hire = ?, comment = ? \
             WHERE id = ? AND employer_id = ? AND submitted_at IS NULL",
        )
        .bind(user_id)
        .bind(format_timestamp(now()))
        .bind(a.tasks_managed)
        .bind(a.support_needed.as_str())
        .bind(a.would_hire)
        .bind(&a.comment)
        .bind(id)
        .bind(employer_id)
        .execute(&self.writer)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "feedback form {id} is already submitted"
            )));
        }
        self.feedback_form(id, Some(employer_id)).await
    }

    /// What the funnel and fidelity figures are computed from: the clients with intake on or
    /// before `until`, their effective events up to the end of `until` (corrected events and
    /// those that move no figure left out), and the coaches' employer contacts — at least
    /// those of `coach`; the figures filter by coach themselves.
    ///
    /// Loading a million events takes seconds, so the all-coaches rows are kept and reused
    /// while the database's version is unchanged. The version is exact because events and
    /// contacts are append-only (their largest id grows with every write) and every other
    /// change that moves a figure (a client's intake date, a vacancy's occupation) appends to
    /// the change log.
    #[tracing::instrument(name = "store.funnel_data", skip(self))]
    pub async fn funnel_data(
        &self,
        coach: Option<i64>,
        until: NaiveDate,
    ) -> Result<Arc<FunnelData>> {
        let version = self.funnel_version().await?;
        if let Some(all) = self.funnel_cache.get(version, until) {
            tracing::debug!("funnel rows from the cache");
            return Ok(all);
        }
        if coach.is_some() {
            return Ok(Arc::new(self.load_funnel_data(coach, until).await?));
        }
        let cached = self.funnel_cache.take_latest(until);
        let all = match cached {
            // Since the rows were loaded only events and contacts were added (both
            // append-only), clients added or edited, postings added or closed: read the
            // client list and the new rows instead of everything. A posting's edit can change
            // what earlier events mean (its employer, its occupation), so it reloads all.
            Some((cached, data))
                if cached.0 <= version.0
                    && cached.1 <= version.1
                    && self.only_clients_changed(cached.2).await? =>
            {
                let data = Arc::unwrap_or_clone(data);
                Arc::new(
                    self.extend_funnel_data(data, cached, version, until)
                        .await?,
                )
            }
            _ => Arc::new(self.load_funnel_data_upto(None, until, version).await?),
        };
        self.funnel_cache.put(version, until, all.clone());
        Ok(all)
    }

    /// Whether no change-log entry after `seq` can change what an already loaded event means:
    /// clients, employers and new or closed postings cannot; an edited vacancy or task can
    /// (its employer, its occupation).
    async fn only_clients_changed(&self, seq: i64) -> Result<bool> {
        let (others,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM change_log \
             WHERE seq > ? AND entity IN ('vacancy', 'task') AND op = 'update'",
        )
        .bind(seq)
        .fetch_one(&self.pool)
        .await?;
        Ok(others == 0)
    }

    async fn client_facts(
        &self,
        conn: &mut sqlx::SqliteConnection,
        coach: Option<i64>,
        until: NaiveDate,
    ) -> Result<Vec<ClientFacts>> {
        let clients: Vec<(i64, i64, NaiveDate)> = sqlx::query_as(
            "SELECT id, coach_id, intake_date FROM clients \
             WHERE intake_date <= ?1 AND (?2 IS NULL OR coach_id = ?2) ORDER BY id",
        )
        .bind(until.to_string())
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
        let mut conn = self.pool.acquire().await?;
        let corrected: Vec<(i64,)> = sqlx::query_as(
            "SELECT supersedes FROM client_events \
             WHERE id > ? AND id <= ? AND supersedes IS NOT NULL",
        )
        .bind(version.0)
        .bind(now.0)
        .fetch_all(&mut *conn)
        .await?;
        let corrected: HashSet<i64> = corrected.into_iter().map(|r| r.0).collect();
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
            // Only the clients the change log names since: re-read them in place.
            let changed: Vec<(i64,)> = sqlx::query_as(
                "SELECT DISTINCT entity_id FROM change_log \
                 WHERE seq > ? AND seq <= ? AND entity = 'client'",
            )
            .bind(version.2)
            .bind(now.2)
            .fetch_all(&mut *conn)
            .await?;
            let changed: HashSet<i64> = changed.into_iter().map(|r| r.0).collect();
            if changed.len() > 1_000 {
                out.clients = self.client_facts(&mut conn, None, until).await?;
            } else {
                out.clients.retain(|c| !changed.contains(&c.id));
                for id in changed {
                    let row: Option<(i64, i64, NaiveDate)> = sqlx::query_as(
                        "SELECT id, coach_id, intake_date FROM clients \
                         WHERE id = ? AND intake_date <= ?",
                    )
                    .bind(id)
                    .bind(until.to_string())
                    .fetch_optional(&mut *conn)
                    .await?;
                    if let Some((id, coach_id, intake)) = row {
                        out.clients.push(ClientFacts {
                            id,
                            coach_id,
                            intake,
                        });
                    }
                }
                out.clients.sort_by_key(|c| c.id);
            }
        }
        out.events.retain(|e| !corrected.contains(&e.id));
        out.events
            .extend(events.into_iter().filter(|e| !corrected.contains(&e.id)));
        // Mostly sorted already: the new rows go to their place by client, time and id.
        out.events.sort_by_key(|e| (e.client_id, e.at, e.id));
        out.contacts.extend(contacts);
        Ok(out)
    }

    async fn funnel_version(&self) -> Result<FunnelVersion> {
        let (events, contacts, changes): (Option<i64>, Option<i64>, Option<i64>) = sqlx::query_as(
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
        let mut conn = self.pool.acquire().await?;
        let clients = self.client_facts(&mut conn, coach, until).await?;
        // Corrections are few: fetch the corrected ids once instead of a lookup per event.
        let superseded: Vec<(i64,)> = sqlx::query_as(
            "SELECT supersedes FROM client_events WHERE supersedes IS NOT NULL AND id <= ?",
        )
        .bind(version.0)
        .fetch_all(&mut *conn)
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
        conn: &mut sqlx::SqliteConnection,
        coach: Option<i64>,
        until: NaiveDate,
        (after_event, after_contact): (i64, i64),
        (upto_event, upto_contact): (i64, i64),
    ) -> Result<(Vec<EventFact>, Vec<ContactFact>)> {
        let until_at = format!("{until}T23:59:59Z");
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
        let rows: Vec<FactRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT e.id, e.client_id, CASE e.type{kind_case} END, unixepoch(e.at), \
             CASE e.placement_type{placement_case} END, e.hours_per_week, \
             e.face_to_face, e.out_of_work_at_entry, \
             COALESCE(e.employer_id, v.employer_id, t.employer_id), v.occupation_code \
             FROM client_events e \
             LEFT JOIN vacancies v ON v.id = e.vacancy_id \
             LEFT JOIN tasks t ON t.id = e.task_id \
             WHERE e.at <= ?1 AND {scope} AND e.id > ?3 AND e.id <= ?4 \
               AND e.type NOT IN ('match_interested', 'match_declined', 'match_applied', \
                                  'profiling', 'benefits_counselling') \
             ORDER BY e.client_id, e.at, e.id"
        )))
        .bind(&until_at)
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
                occupation,
            });
        }
        let contacts: Vec<(i64, i64, bool)> = sqlx::query_as(
            "SELECT coach_id, unixepoch(at), face_to_face FROM employer_contacts \
             WHERE at <= ?1 AND (?2 IS NULL OR coach_id = ?2) AND id > ?3 AND id <= ?4",
        )
        .bind(&until_at)
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

    /// Every label the ranker can learn from, oldest first: match answers, employer contacts,
    /// interviews and placements naming a vacancy or task (corrected events left out), and
    /// employers' submitted feedback on a placement that named one.
    pub async fn match_feedback_events(&self) -> Result<Vec<MatchFeedback>> {
        let rows: Vec<LabelRow> = sqlx::query_as(
            "SELECT e.client_id, e.vacancy_id, e.task_id, \
             CASE e.type WHEN 'match_interested' THEN 'interested' \
                         WHEN 'match_declined' THEN 'declined' \
                         WHEN 'match_applied' THEN 'applied' \
                         WHEN 'employed' THEN 'placed' ELSE 'contacted' END, e.at \
             FROM client_events e \
             WHERE e.type IN ('match_interested', 'match_declined', 'match_applied', 'employed', \
                              'employer_contact', 'interview') \
               AND (e.vacancy_id IS NOT NULL OR e.task_id IS NOT NULL) \
               AND NOT EXISTS (SELECT 1 FROM client_events s WHERE s.supersedes = e.id) \
             UNION ALL \
             SELECT f.client_id, e.vacancy_id, e.task_id, \
             CASE f.would_hire WHEN 1 THEN 'employer_would_hire' ELSE 'employer_would_not_hire' END, \
             f.submitted_at \
             FROM feedback_forms f JOIN client_events e ON e.id = f.placement_event_id \
             WHERE f.submitted_at IS NOT NULL \
               AND (e.vacancy_id IS NOT NULL OR e.task_id IS NOT NULL) \
             ORDER BY 5",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(client_id, vacancy_id, task_id, signal, at)| {
                Ok(MatchFeedback {
                    client_id,
                    vacancy_id,
                    task_id,
                    signal: match signal.as_str() {
                        "interested" => "interested",
                        "declined" => "declined",
                        "applied" => "applied",
                        "placed" => "placed",
                        "contacted" => "contacted",
                        "employer_would_hire" => "employer_would_hire",
                        _ => "employer_would_not_hire",
                    },
                    at: stored_time("label time", &at)?,
                })
            })
            .collect()
    }

    /// Display names of a coach's clients (for its own caseload and alerts on the dashboard);
    /// erased clients are left out.
    pub async fn client_names(&self, coach_id: i64) -> Result<Vec<(i64, String)>> {
        Ok(sqlx::query_as(
            "SELECT id, display_name FROM clients \
             WHERE coach_id = ? AND erased_at IS NULL ORDER BY id",
        )
        .bind(coach_id)
        .fetch_all(&self.pool)
        .await?)
    }
}

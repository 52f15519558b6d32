//! Work-trial feedback forms: a coach asks a placement's employer, the employer answers once.

use sqlx::AssertSqlSafe;

use super::events::stored_placement;
use super::{now, sql, Result, Stamp, Store, StoreError};
use crate::domain::{FeedbackAnswers, FeedbackForm, SupportNeeded};

#[derive(sqlx::FromRow)]
struct FormRow {
    id: i64,
    client_id: i64,
    placement_event_id: i64,
    employer_id: i64,
    placement_type: String,
    placement_at: Stamp,
    vacancy_id: Option<i64>,
    task_id: Option<i64>,
    posting_title: Option<String>,
    created_at: Stamp,
    submitted_at: Option<Stamp>,
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
            placement_started_on: self.placement_at.0.date_naive(),
            vacancy_id: self.vacancy_id,
            task_id: self.task_id,
            posting_title: self.posting_title,
            created_at: self.created_at.0,
            status: if answers.is_some() {
                "submitted"
            } else {
                "pending"
            },
            submitted_at: self.submitted_at.map(|t| t.0),
            answers,
            client_id: with_client.then_some(self.client_id),
            placement_event_id: with_client.then_some(self.placement_event_id),
        })
    }
}

/// coach, type, placement type, employer, correcting event.
type PlacementRow = (i64, String, Option<String>, Option<i64>, Option<i64>);

impl Store {
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
            sql(
                "SELECT c.coach_id, e.type, e.placement_type, \
                 COALESCE(e.employer_id, v.employer_id, t.employer_id), s.id \
                 FROM client_events e JOIN clients c ON c.id = e.client_id \
                 LEFT JOIN vacancies v ON v.id = e.vacancy_id LEFT JOIN tasks t ON t.id = e.task_id \
                 LEFT JOIN client_events s ON s.supersedes = e.id \
                 WHERE e.id = ? AND e.client_id = ?",
            )
            .bind(event_id)
            .bind(client_id)
            .fetch_optional(&mut tx)
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
        let (id,): (i64,) = sql(
            "INSERT INTO feedback_forms (client_id, placement_event_id, employer_id, \
             placement_type, requested_by, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(client_id)
        .bind(event_id)
        .bind(employer_id)
        .bind(&placement)
        .bind(coach_id)
        .bind(Stamp::of(now()))
        .fetch_one(&mut tx)
        .await?;
        tx.commit().await?;
        self.feedback_form(id, None).await
    }

    /// One form; `employer` set: only that employer's form is found, without client reference.
    pub async fn feedback_form(&self, id: i64, employer: Option<i64>) -> Result<FeedbackForm> {
        let row: Option<FormRow> = sql(AssertSqlSafe(format!("{FORM_SELECT} WHERE f.id = ?")))
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
        let rows: Vec<FormRow> = sql(AssertSqlSafe(format!(
            "{FORM_SELECT} WHERE f.employer_id = ? ORDER BY f.id DESC"
        )))
        .bind(employer_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(|r| r.into_form(false)).collect()
    }

    /// A client's forms (for the client's coach; ownership is checked by the caller).
    pub async fn feedback_forms_of_client(&self, client_id: i64) -> Result<Vec<FeedbackForm>> {
        let rows: Vec<FormRow> = sql(AssertSqlSafe(format!(
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
        let done = sql(
            "UPDATE feedback_forms SET submitted_by = ?, submitted_at = ?, tasks_managed = ?, \
             support_needed = ?, would_hire = ?, comment = ? \
             WHERE id = ? AND employer_id = ? AND submitted_at IS NULL",
        )
        .bind(user_id)
        .bind(Stamp::of(now()))
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
}

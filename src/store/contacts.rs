//! The employer-contact log: a coach's contact with an employer, about a client or not.

use super::access::{write_access, Access};
use super::changelog::{append_funnel_row, Entity};
use super::clients::caseload_check;
use super::events::{append_event, exists};
use super::{now, sql, Result, Stamp, Store, StoreError};
use crate::domain::{
    AccessAction, AccessTarget, ContactDraft, EmployerContact, EventDraft, EventType,
};

#[derive(sqlx::FromRow)]
struct ContactRow {
    id: i64,
    employer_id: i64,
    coach_id: i64,
    coach_name: String,
    at: Stamp,
    face_to_face: bool,
    client_id: Option<i64>,
    purpose: Option<String>,
    outcome: Option<String>,
}

impl ContactRow {
    /// The contact; the client it was about is named only with `show_client`.
    fn into_contact(self, show_client: bool) -> Result<EmployerContact> {
        Ok(EmployerContact {
            at: self.at.0,
            with_client: self.client_id.is_some(),
            client_id: self.client_id.filter(|_| show_client),
            id: self.id,
            employer_id: self.employer_id,
            coach_id: self.coach_id,
            coach_name: self.coach_name,
            face_to_face: self.face_to_face,
            purpose: self.purpose,
            outcome: self.outcome,
        })
    }
}

impl Store {
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
        let (id,): (i64,) = sql(
            "INSERT INTO employer_contacts (coach_id, employer_id, at, face_to_face, client_id, \
             purpose, outcome, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(coach_id)
        .bind(d.employer_id)
        .bind(Stamp::of(d.at))
        .bind(d.face_to_face)
        .bind(d.client_id)
        .bind(&d.purpose)
        .bind(&d.outcome)
        .bind(Stamp::of(now()))
        .fetch_one(&mut tx)
        .await?;
        append_funnel_row(&mut tx, Entity::Contact, id).await?;
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
        let mut conn = self.read_tx().await?;
        if !exists(&mut conn, "employers", employer_id).await? {
            return Err(StoreError::NotFound {
                entity: "employer",
                id: employer_id,
            });
        }
        let rows: Vec<ContactRow> = sql(
            "SELECT c.id, c.employer_id, c.coach_id, u.name AS coach_name, c.at, c.face_to_face, \
             c.client_id, c.purpose, c.outcome FROM employer_contacts c \
             JOIN users u ON u.id = c.coach_id WHERE c.employer_id = ? \
             ORDER BY c.at DESC, c.id DESC LIMIT ?",
        )
        .bind(employer_id)
        .bind(limit)
        .fetch_all(&mut conn)
        .await?;
        rows.into_iter()
            .map(|r| {
                let show = Some(r.coach_id) == viewer_coach;
                r.into_contact(show)
            })
            .collect()
    }

    /// Every employer contact about `client_id`, oldest first, with the client named (for
    /// the client's export; the caller checks that the client is the caller's).
    pub async fn contacts_about_client(&self, client_id: i64) -> Result<Vec<EmployerContact>> {
        let rows: Vec<ContactRow> = sql(
            "SELECT c.id, c.employer_id, c.coach_id, u.name AS coach_name, c.at, c.face_to_face, \
             c.client_id, c.purpose, c.outcome FROM employer_contacts c \
             JOIN users u ON u.id = c.coach_id WHERE c.client_id = ? ORDER BY c.at, c.id",
        )
        .bind(client_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(|r| r.into_contact(true)).collect()
    }
}

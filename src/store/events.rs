//! Client events: append-only, a correction supersedes; the stage rules are checked against
//! the client's whole history before one is appended. Also the labels the ranker learns from,
//! which are events.

use sqlx::AssertSqlSafe;

use super::access::{write_access, Access};
use super::changelog::{append_funnel_row, Entity};
use super::clients::caseload_check;
use super::{now, sql, Result, Stamp, Store, StoreError, Tx};
use crate::domain::{
    AccessAction, AccessTarget, ClientEvent, EventDraft, EventType, MatchFeedback, PlacementType,
};
use crate::funnel::check_insertion;

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
    at: Stamp,
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
    created_at: Stamp,
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
            at: r.at.0,
            placement_type: stored_placement(r.placement_type.as_deref())?,
            created_at: r.created_at.0,
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

pub(super) async fn exists(conn: &mut Tx, table: &str, id: i64) -> Result<bool> {
    let found: Option<(i64,)> = sql(AssertSqlSafe(format!(
        "SELECT id FROM {table} WHERE id = ?"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(found.is_some())
}

async fn check_references(conn: &mut Tx, d: &EventDraft) -> Result<()> {
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
pub(super) async fn append_event(
    conn: &mut Tx,
    client_id: i64,
    recorded_by: i64,
    d: &EventDraft,
) -> Result<i64> {
    // The stage rules judge the new event against the client's history: no other event of
    // the client may land in between.
    conn.lock_key(&format!("client events {client_id}")).await?;
    check_references(conn, d).await?;
    if let Some(old) = d.supersedes {
        let row: Option<(i64, Option<i64>)> = sql("SELECT e.client_id, s.id FROM client_events e \
             LEFT JOIN client_events s ON s.supersedes = e.id WHERE e.id = ?")
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
    let at = Stamp::of(d.at);
    // The whole effective history with the new event in its place: it must fit the rules at
    // its time, and must not break any later step (a back-dated `closed`, say).
    let history: Vec<(String, Option<String>, Stamp)> = sql(
        "SELECT e.type, e.placement_type, e.at FROM client_events e \
         WHERE e.client_id = ? AND e.id IS DISTINCT FROM ? \
           AND NOT EXISTS (SELECT 1 FROM client_events s WHERE s.supersedes = e.id) \
         ORDER BY e.at, e.id",
    )
    .bind(client_id)
    .bind(d.supersedes)
    .fetch_all(&mut *conn)
    .await?;
    let history = history
        .into_iter()
        .map(|(kind, placement, t)| {
            Ok((
                (stored_kind(&kind)?, stored_placement(placement.as_deref())?),
                t,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    if let Err(message) = check_insertion(history, (d.kind, d.placement_type), at) {
        return Err(StoreError::InvalidReference {
            field: "type",
            message,
        });
    }
    let (id,): (i64,) = sql(
        "INSERT INTO client_events (client_id, recorded_by, type, at, vacancy_id, task_id, \
         employer_id, placement_type, hours_per_week, face_to_face, note, supersedes, \
         out_of_work_at_entry, client_choice, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(client_id)
    .bind(recorded_by)
    .bind(d.kind.as_str())
    .bind(at)
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
    .bind(Stamp::of(now()))
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(
            "that event was corrected at the same moment by someone else".into(),
        ),
        _ => StoreError::Database(e),
    })?;
    append_funnel_row(conn, Entity::Event, id).await?;
    Ok(id)
}

/// client, vacancy, task, signal, time.
type LabelRow = (i64, Option<i64>, Option<i64>, String, Stamp);

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
        let row: Option<EventRow> = sql(AssertSqlSafe(format!("{EVENT_SELECT} WHERE e.id = ?")))
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
        let rows: Vec<EventRow> = sql(AssertSqlSafe(format!(
            "{EVENT_SELECT} WHERE e.client_id = ? ORDER BY e.at, e.id"
        )))
        .bind(client_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(ClientEvent::try_from).collect()
    }

    /// Every label the ranker can learn from, oldest first: match answers, employer contacts,
    /// interviews and placements naming a vacancy or task (corrected events left out), and
    /// employers' submitted feedback on a placement that named one.
    pub async fn match_feedback_events(&self) -> Result<Vec<MatchFeedback>> {
        let rows: Vec<LabelRow> = sql("SELECT e.client_id, e.vacancy_id, e.task_id, \
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
             CASE WHEN f.would_hire THEN 'employer_would_hire' ELSE 'employer_would_not_hire' END, \
             f.submitted_at \
             FROM feedback_forms f JOIN client_events e ON e.id = f.placement_event_id \
             WHERE f.submitted_at IS NOT NULL \
               AND (e.vacancy_id IS NOT NULL OR e.task_id IS NOT NULL) \
             ORDER BY 5")
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
                    at: at.0,
                })
            })
            .collect()
    }

    /// Display names of a coach's clients (for its own caseload and alerts on the dashboard);
    /// erased clients are left out.
    pub async fn client_names(&self, coach_id: i64) -> Result<Vec<(i64, String)>> {
        Ok(sql("SELECT id, display_name FROM clients \
             WHERE coach_id = ? AND erased_at IS NULL ORDER BY id")
        .bind(coach_id)
        .fetch_all(&self.pool)
        .await?)
    }
}

//! A coach's whole caseload with each client's effective events, read in two queries for the
//! caseload page and `GET /api/v1/caseload` (the rules that sort it are in `funnel::caseload`).

use std::collections::HashMap;

use sqlx::AssertSqlSafe;

use super::access::Access;
use super::clients::{ClientRow, CLIENT_SELECT};
use super::events::{stored_kind, stored_placement};
use super::{sql, Result, Stamp, Store};
use crate::domain::{AccessAction, AccessTarget, Client};
use crate::funnel::caseload::CaseEvent;

/// The name of the caseload overview in the access log.
pub const CASELOAD_OVERVIEW: &str = "caseload";

/// client, type, time, face to face, placement type.
type CaseEventRow = (i64, String, Stamp, Option<bool>, Option<String>);

impl Store {
    /// Every client of `coach_id` (erased ones left out), newest intake first, each with its
    /// effective events (corrected ones left out) in time order. The read is written to the
    /// access log with the clients it shows.
    #[tracing::instrument(name = "store.caseload", skip(self))]
    pub async fn caseload(&self, coach_id: i64) -> Result<Vec<(Client, Vec<CaseEvent>)>> {
        let rows: Vec<ClientRow> = sql(AssertSqlSafe(format!(
            "{CLIENT_SELECT} WHERE coach_id = ? AND erased_at IS NULL \
             ORDER BY intake_date DESC, id DESC"
        )))
        .bind(coach_id)
        .fetch_all(&self.pool)
        .await?;
        let clients: Vec<Client> = rows
            .into_iter()
            .map(Client::try_from)
            .collect::<Result<_>>()?;
        let event_rows: Vec<CaseEventRow> = sql(
            "SELECT e.client_id, e.type, e.at, e.face_to_face, e.placement_type \
             FROM client_events e JOIN clients c ON c.id = e.client_id \
             WHERE c.coach_id = ? AND c.erased_at IS NULL \
             AND NOT EXISTS (SELECT 1 FROM client_events s WHERE s.supersedes = e.id) \
             ORDER BY e.client_id, e.at, e.id",
        )
        .bind(coach_id)
        .fetch_all(&self.pool)
        .await?;
        let mut events: HashMap<i64, Vec<CaseEvent>> = HashMap::new();
        for (client_id, kind, at, face_to_face, placement) in event_rows {
            events.entry(client_id).or_default().push(CaseEvent {
                kind: stored_kind(&kind)?,
                at: at.0,
                face_to_face: face_to_face.unwrap_or(false),
                placement: stored_placement(placement.as_deref())?,
            });
        }
        let shown: Vec<i64> = clients.iter().map(|c| c.id).collect();
        self.log_access(&Access::allowed(
            coach_id,
            AccessAction::List,
            AccessTarget::List(CASELOAD_OVERVIEW, &shown),
        ))
        .await?;
        Ok(clients
            .into_iter()
            .map(|c| {
                let evs = events.remove(&c.id).unwrap_or_default();
                (c, evs)
            })
            .collect())
    }
}

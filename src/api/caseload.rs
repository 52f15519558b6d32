//! `GET /api/v1/caseload`: the calling coach's clients in the order of the day's work — those
//! who need an action on top (rapid-search clock, an ended job, a follow-up, benefits
//! counselling, suggestions not yet shown), then everyone, with stage and last activity. The
//! web app's caseload page is built from [`overview`] too.

use std::collections::HashSet;

use actix_web::{web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::access_log::require_logged;
use super::auth::Caller;
use super::error::{ApiError, ApiResult};
use super::AppState;
use crate::domain::{AccessAction, AccessTarget, Client, EventType, PlacementType, Role, User};
use crate::funnel::caseload::{status, Attention, CaseStatus};
use crate::store::CASELOAD_OVERVIEW;

/// How many of a client's best suggestions are checked for ones not yet shown.
pub const NEW_MATCHES_WINDOW: usize = 10;
/// How many clients whose best suggestions are out of date (the index moved) one caseload
/// request works out again; the others are counted from their last list this once and
/// worked out in the background after the answer.
pub const REFRESH_BUDGET: usize = 8;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/caseload", web::get().to(caseload));
}

/// One client of the caseload.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseloadEntry {
    /// Client id.
    pub id: i64,
    /// Pseudonymous display name.
    pub display_name: String,
    /// Home municipality.
    pub home_municipality: String,
    /// Intake date.
    pub intake_date: NaiveDate,
    /// The latest funnel stage; null before any stage event.
    #[schema(value_type = Option<String>, example = "job_search")]
    pub stage: Option<EventType>,
    /// The placement the client holds now.
    #[schema(value_type = Option<String>, example = "competitive")]
    pub placement_type: Option<PlacementType>,
    /// The client chose to end the service.
    pub closed: bool,
    /// The latest recorded step.
    pub last_activity: Option<DateTime<Utc>>,
    /// What needs doing, most urgent first; empty when nothing does.
    pub attention: Vec<Attention>,
}

/// The answer of `GET /api/v1/caseload`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Caseload {
    /// The day the clocks were read on.
    pub today: NaiveDate,
    /// Clients needing action first (most urgent first), then the others, newest intake first.
    pub clients: Vec<CaseloadEntry>,
}

/// The caseload of `coach` as of `today`, in the order of the day's work. New suggestions are
/// counted from each open case's best keys (remembered by the matcher until the index or the
/// client changes; worked out off the async workers) against everything served to the
/// coach's clients, read in one go; nothing is logged as served.
pub async fn overview(
    state: &AppState,
    coach: &User,
    today: NaiveDate,
) -> Result<Vec<CaseloadEntry>, ApiError> {
    let cases = state.store.caseload(coach.id).await?;
    let served = state.store.served_keys(coach.id).await?;
    let hires = state.hires.get(&state.store).await?;
    let applied = state.search.applied_seq();
    let index_seq = state.store.last_indexed_change(applied).await?;
    let matcher = state.matcher.clone();
    let now = Utc::now();
    let span = tracing::Span::current();
    let (entries, later) = web::block({
        let (matcher, hires) = (matcher.clone(), hires.clone());
        move || {
            span.in_scope(|| {
                let statuses: Vec<CaseStatus> = cases
                    .iter()
                    .map(|(client, events)| status(client.intake_date, events, today))
                    .collect();
                let open = cases
                    .iter()
                    .zip(&statuses)
                    .filter(|(_, s)| !s.closed)
                    .map(|((client, _), _)| client);
                let best = matcher.best_keys(
                    open,
                    NEW_MATCHES_WINDOW,
                    &hires,
                    now,
                    index_seq,
                    REFRESH_BUDGET,
                )?;
                let behind: HashSet<i64> = best.behind.iter().copied().collect();
                let later: Vec<Client> = cases
                    .iter()
                    .filter(|(c, _)| behind.contains(&c.id))
                    .map(|(c, _)| c.clone())
                    .collect();
                let nothing = HashSet::new();
                let best = best.keys;
                let entries = cases
                    .into_iter()
                    .zip(statuses)
                    .map(|((client, _), mut s)| {
                        if let Some(keys) = best.get(&client.id) {
                            let seen = served.get(&client.id).unwrap_or(&nothing);
                            let fresh = keys.iter().filter(|k| !seen.contains(*k)).count();
                            if fresh > 0 {
                                s.attention.push(Attention::NewMatches { count: fresh });
                            }
                        }
                        CaseloadEntry {
                            id: client.id,
                            display_name: client.display_name,
                            home_municipality: client.home_municipality,
                            intake_date: client.intake_date,
                            stage: s.stage,
                            placement_type: s.placement,
                            closed: s.closed,
                            last_activity: s.last_activity,
                            attention: s.attention,
                        }
                    })
                    .collect::<Vec<_>>();
                Ok::<_, crate::search::SearchError>((entries, later))
            })
        }
    })
    .await??;
    if !later.is_empty() {
        // Off the answer's path: the next caseload read finds these current.
        actix_web::rt::spawn(web::block(move || {
            if let Err(e) = matcher.refresh_keys(&later, NEW_MATCHES_WINDOW, &hires, now, index_seq)
            {
                tracing::warn!(error = %e, "could not refresh clients' best suggestions");
            }
        }));
    }
    Ok(in_work_order(entries))
}

/// Needing action first — by the most urgent reason, then the longest wait — then the rest in
/// the store's order (newest intake first).
fn in_work_order(mut entries: Vec<CaseloadEntry>) -> Vec<CaseloadEntry> {
    // A stable sort keeps the store's order within equal keys.
    entries.sort_by_key(|e| match e.attention.first() {
        Some(a) => (0, a.urgency(), -waiting_days(a)),
        None => (1, 0, 0),
    });
    entries
}

fn waiting_days(a: &Attention) -> i64 {
    match a {
        Attention::FirstContactOverdue { days }
        | Attention::FirstContactSoon { days }
        | Attention::FollowUpDue { days } => *days,
        Attention::NewMatches { count } => *count as i64,
        _ => 0,
    }
}

/// The calling coach's caseload, clients who need an action first. Each entry's `attention`
/// says why, most urgent first: `first_contact_overdue` (over 30 days from intake without a
/// face-to-face employer contact), `job_ended`, `follow_up_due` (in work, nothing recorded
/// for over 30 days), `first_contact_soon` (21–30 days), `benefits_counselling_due` (an
/// interview or a job without benefits counselling) and `new_matches` (suggestions among the
/// client's best 10 that were never served). The best 10 are remembered per client until a
/// posting or employer changes in the index or the client's wishes change; right after such a
/// change up to 8 clients are worked out again in the request and the others just after it,
/// so for a moment their count can be from before the change. The read is written to the
/// access log.
#[utoipa::path(get, path = "/api/v1/caseload", tag = "clients",
    responses((status = 200, description = "The caseload, clients needing action first", body = Caseload),
        super::openapi::TokenErrors, super::openapi::RoleErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.caseload", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn caseload(state: web::Data<AppState>, caller: Caller) -> ApiResult<HttpResponse> {
    let (action, target) = (
        AccessAction::List,
        AccessTarget::List(CASELOAD_OVERVIEW, &[]),
    );
    require_logged(
        &state,
        &caller,
        &[Role::Coach],
        "read a caseload",
        action,
        target,
    )
    .await?;
    let today = Utc::now().date_naive();
    let clients = overview(&state, &caller.0, today).await?;
    Ok(HttpResponse::Ok().json(Caseload { today, clients }))
}

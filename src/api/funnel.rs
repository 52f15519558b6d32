//! `/api/v1/funnel` and `/api/v1/fidelity`: aggregates for coordinators (everyone or one
//! coach) and for coaches (their own caseload only). The figures are computed by
//! [`crate::funnel`], off the async workers.

use std::sync::Arc;

use actix_web::{web, HttpResponse};
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;

use super::auth::Caller;
use super::error::{ApiError, ApiResult};
use super::query::ApiQuery;
use super::AppState;
use crate::domain::{parse_date, AccessAction, AccessTarget, DenialReason, Role, EARLIEST_DATE};
use crate::funnel::{self, FidelityReport, FunnelData, FunnelReport, Period};
use crate::store::Access;

/// The name of the fidelity report in the access log: its alerts name clients.
const FIDELITY_LIST: &str = "fidelity";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/funnel", web::get().to(get_funnel))
        .route("/fidelity", web::get().to(get_fidelity));
}

/// Period and coach of a report.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// First day, YYYY-MM-DD, 1900-01-01 to 2100-12-31, not after `to` and at most ten years
    /// before it (default: 364 days before `to`).
    #[param(value_type = Option<crate::domain::Day>, example = "2026-01-01")]
    pub from: Option<String>,
    /// Last day, YYYY-MM-DD, 1900-01-01 to 2100-12-31 (default: today).
    #[param(value_type = Option<crate::domain::Day>, example = "2026-12-31")]
    pub to: Option<String>,
    /// One coach's user id (a coach may give only its own; default for a coach).
    #[param(example = 3)]
    pub coach: Option<i64>,
}

impl ReportParams {
    /// The checked period.
    pub fn period(&self, today: NaiveDate) -> Result<Period, ApiError> {
        let param = |field: &str, raw: &str| {
            parse_date(field, raw).map_err(|e| ApiError::InvalidParameter {
                field: Some(field.into()),
                message: e.message,
            })
        };
        let to = match &self.to {
            Some(raw) => param("to", raw)?,
            None => today,
        };
        let from = match &self.from {
            Some(raw) => param("from", raw)?,
            // Never before the earliest date: the figures' date arithmetic stays in range.
            None => (to - chrono::Duration::days(364)).max(EARLIEST_DATE),
        };
        if from > to {
            return Err(ApiError::InvalidParameter {
                field: Some("from".into()),
                message: "from must not be after to".into(),
            });
        }
        if (to - from).num_days() > 366 * 10 {
            return Err(ApiError::InvalidParameter {
                field: Some("from".into()),
                message: "a report covers at most ten years".into(),
            });
        }
        Ok(Period { from, to })
    }
}

/// Whose figures the caller may see: coordinators anyone's or everyone's; a coach only its
/// own caseload (another coach is 403); employers and admins none.
pub fn scope(caller: &Caller, coach: Option<i64>) -> Result<Option<i64>, ApiError> {
    caller.require(&[Role::Coordinator, Role::Coach], "read funnel figures")?;
    match caller.0.role {
        Role::Coach => match coach {
            Some(other) if other != caller.id() => Err(ApiError::Forbidden(
                "a coach sees only its own caseload's figures".into(),
            )),
            _ => Ok(Some(caller.id())),
        },
        _ => Ok(coach),
    }
}

/// Why `caller` was refused figures: a coach asked for another coach's caseload; any other
/// role reads none.
pub fn refusal_reason(caller: &Caller) -> DenialReason {
    match caller.0.role {
        Role::Coach => DenialReason::NotOnCaseload,
        _ => DenialReason::Role,
    }
}

/// Loads the rows a report needs.
pub async fn load(
    state: &AppState,
    caller: &Caller,
    params: &ReportParams,
) -> Result<(Arc<FunnelData>, Period, Option<i64>), ApiError> {
    let coach = scope(caller, params.coach)?;
    let period = params.period(chrono::Utc::now().date_naive())?;
    let data = state.store.funnel_data(coach, period.to).await?;
    Ok((data, period, coach))
}

/// Stage counts, conversions, time in stage and outcomes.
#[utoipa::path(get, path = "/api/v1/funnel", tag = "funnel", params(ReportParams),
    responses((status = 200, description = "The funnel", body = FunnelReport), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::QueryErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.funnel", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn get_funnel(
    state: web::Data<AppState>,
    caller: Caller,
    params: ApiQuery<ReportParams>,
) -> ApiResult<HttpResponse> {
    let (data, period, coach) = load(&state, &caller, &params).await?;
    let span = tracing::Span::current();
    let report = web::block(move || span.in_scope(|| funnel::funnel(&data, period, coach))).await?;
    Ok(HttpResponse::Ok().json(report))
}

/// The computable IPS-25 items with scores, and the rapid-search alerts. The alerts name
/// clients, so each read is written to the access log with them.
#[utoipa::path(get, path = "/api/v1/fidelity", tag = "funnel", params(ReportParams),
    responses((status = 200, description = "The fidelity items and alerts", body = FidelityReport), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::QueryErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.fidelity", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn get_fidelity(
    state: web::Data<AppState>,
    caller: Caller,
    params: ApiQuery<ReportParams>,
) -> ApiResult<HttpResponse> {
    let action = AccessAction::Fidelity;
    let (data, period, coach) = match load(&state, &caller, &params).await {
        Err(ApiError::Forbidden(m)) => {
            let target = AccessTarget::List(FIDELITY_LIST, &[]);
            let access = Access::denied(caller.id(), action, target, refusal_reason(&caller));
            state.store.log_access(&access).await?;
            return Err(ApiError::Forbidden(m));
        }
        other => other?,
    };
    let span = tracing::Span::current();
    let report =
        web::block(move || span.in_scope(|| funnel::fidelity(&data, period, coach))).await?;
    // The alerts name clients (by id): that is a read of client data.
    let shown: Vec<i64> = report.alerts.iter().map(|a| a.client_id).collect();
    let target = AccessTarget::List(FIDELITY_LIST, &shown);
    state
        .store
        .log_access(&Access::allowed(caller.id(), action, target))
        .await?;
    Ok(HttpResponse::Ok().json(report))
}

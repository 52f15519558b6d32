//! `GET /api/v1/access-log` for the auditor, and the role check that writes a refused
//! attempt on client data to the log before answering 403.

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;

use super::auth::Caller;
use super::error::{ApiError, ApiResult};
use super::query::ApiQuery;
use super::{AppState, ListPage, PageParams};
use crate::domain::{
    parse_date, parse_timestamp, AccessAction, AccessEntry, AccessTarget, DenialReason, Role,
};
use crate::store::{Access, AccessQuery};

/// The roles that read the access log (the API and the web app's page).
pub const ACCESS_LOG_READERS: &[Role] = &[Role::Auditor];

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/access-log", web::get().to(access_log));
}

/// 403 unless the caller has one of `roles`; a refused caller is written to the access log
/// (`action` on `target`) first.
pub async fn require_logged(
    state: &AppState,
    caller: &Caller,
    roles: &[Role],
    what: &str,
    action: AccessAction,
    target: AccessTarget<'_>,
) -> ApiResult<()> {
    let Err(refusal) = caller.require(roles, what) else {
        return Ok(());
    };
    let access = Access::denied(caller.id(), action, target, DenialReason::Role);
    state.store.log_access(&access).await?;
    Err(refusal)
}

/// Which rows of the access log, and which page.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccessLogParams {
    /// Rows about this client: asked for by id, or shown in a list.
    #[param(example = 1)]
    pub client_id: Option<i64>,
    /// Rows of this user.
    #[param(example = 3)]
    pub user_id: Option<i64>,
    /// From this day (YYYY-MM-DD) or moment (RFC 3339), 1900-01-01 to 2100-12-31, not after
    /// `to`.
    #[param(value_type = Option<crate::domain::Moment>, example = "2026-01-01")]
    pub from: Option<String>,
    /// To the end of this day (YYYY-MM-DD), or to this moment (RFC 3339), 1900-01-01 to
    /// 2100-12-31.
    #[param(value_type = Option<crate::domain::Moment>, example = "2026-12-31T23:59:59Z")]
    pub to: Option<String>,
    /// Rows per page, 1–100 (default 20).
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<i64>,
    /// Rows to skip (default 0).
    #[param(minimum = 0, default = 0)]
    pub offset: Option<i64>,
}

fn invalid(field: &str, message: String) -> ApiError {
    ApiError::InvalidParameter {
        field: Some(field.into()),
        message,
    }
}

impl AccessLogParams {
    /// The checked query.
    fn query(&self) -> Result<AccessQuery, ApiError> {
        let from = self
            .from
            .as_deref()
            .map(|raw| parse_timestamp("from", raw).map_err(|e| invalid("from", e.message)))
            .transpose()?;
        let to = self.to.as_deref().map(end_of).transpose()?;
        if let (Some(from), Some(to)) = (from, to) {
            if from > to {
                return Err(invalid("from", "from must not be after to".into()));
            }
        }
        Ok(AccessQuery {
            client_id: self.client_id,
            user_id: self.user_id,
            from,
            to,
        })
    }
}

/// The last moment `raw` names: the end of a day, or a moment itself.
fn end_of(raw: &str) -> Result<DateTime<Utc>, ApiError> {
    if let Ok(day) = parse_date("to", raw) {
        let end = day.and_hms_opt(23, 59, 59).expect("a valid time");
        return Ok(end.and_utc());
    }
    parse_timestamp("to", raw).map_err(|e| invalid("to", e.message))
}

/// The access log, newest first: who read, changed or tried to reach client data, when, which
/// client or list (with the clients it showed), and why a refused attempt was refused. For
/// the `auditor` role only.
#[utoipa::path(get, path = "/api/v1/access-log", tag = "audit", params(AccessLogParams),
    responses((status = 200, description = "A page of the log, newest first", body = ListPage<AccessEntry>), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::QueryErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.access_log", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn access_log(
    state: web::Data<AppState>,
    caller: Caller,
    params: ApiQuery<AccessLogParams>,
) -> ApiResult<HttpResponse> {
    caller.require(ACCESS_LOG_READERS, "read the access log")?;
    let (limit, offset) = PageParams {
        limit: params.limit,
        offset: params.offset,
    }
    .checked()?;
    let query = params.query()?;
    let page = state.store.access_log(&query, limit, offset).await?;
    Ok(HttpResponse::Ok().json(ListPage::new(page, limit, offset)))
}

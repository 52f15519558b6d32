//! HTTP only: routes, extractors, the error mapping and the OpenAPI document. Handlers parse
//! requests into domain types, call the store or the index, and shape the JSON answer.

mod access_log;
mod auth;
mod caseload;
mod catch_panic;
mod clients;
mod employers;
mod error;
mod events;
mod feedback;
mod funnel;
mod health;
mod json;
mod limits;
mod matches;
mod metrics;
mod openapi;
mod postings;
mod query;
mod request_head;
mod request_id;
mod search;
mod users;

use std::sync::Arc;

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;
use utoipa::{IntoParams, ToSchema};

// The web app (`crate::web`) shares the API's authentication and the funnel's access rule.
pub use access_log::ACCESS_LOG_READERS;
pub use auth::{authenticate, Caller};
pub use caseload::{overview as caseload_overview, CaseloadEntry};
pub use catch_panic::catch_panic;
pub use error::{json_error_bodies, status_error_body, ApiError, ErrorBody};
pub use funnel::{refusal_reason, scope};
pub use health::Health;
pub use limits::{retry_after_secs, Limiter, Rate, RateLimits, Throttled};
pub use matches::suggestions;
pub use metrics::Metrics;
pub use openapi::ApiDoc;
pub use request_head::HeadGuard;
pub use request_id::{request_id, REQUEST_ID};
pub use search::{run as run_search, SearchParams};
pub use users::{
    create as create_user, set_disabled as set_user_disabled, sign_in_link, CreatedUser, UserInput,
};

use crate::search::SearchIndex;
use crate::store::{Page, Store};

/// What every handler can reach.
pub struct AppState {
    /// The database.
    pub store: Store,
    /// The index (read side).
    pub search: SearchIndex,
    /// Wakes the index follower after a write, so the write is searchable at once.
    pub index_notify: Arc<Notify>,
    /// Builds match lists.
    pub matcher: Arc<crate::matching::Matcher>,
    /// Hires per employer, refreshed at most once a minute (a ranking feature).
    pub hires: crate::matching::HiresCache,
    /// Request counts and latencies, and what `/metrics` shows.
    pub metrics: Arc<Metrics>,
    /// Rate limits of failed authentications and of searches and match lists.
    pub limiter: Arc<Limiter>,
    /// Largest index lag (in change-log changes) at which `/ready` still says ready.
    pub ready_max_lag: u64,
    /// How browser sessions are kept, and the public URL (sign-in links).
    pub sessions: crate::web::SessionConfig,
    /// Whether a write answers only once searches see it (see [`AppState::written`]).
    pub writes_wait_for_index: bool,
    /// Whether the all-coaches funnel rows have been loaded since the start (`/ready`).
    pub funnel_loaded: Arc<std::sync::atomic::AtomicBool>,
}

impl AppState {
    /// Tells the index follower that the change log has grown, and makes sure that a posting
    /// this request closed is in no answer to a request that starts after it is answered.
    ///
    /// By default a write does not wait for the index: the postings closed since the index's
    /// last commit are left out of searches and match lists until a commit covers them, and a
    /// new or changed posting is searchable once the follower has committed it (well within a
    /// second). With [`AppState::writes_wait_for_index`] the write answers only once searches
    /// see it.
    pub async fn written(&self) {
        let seq = match self.store.settled_change_seq().await {
            Ok(seq) => seq,
            Err(e) => {
                tracing::warn!(error = %e, "could not read the change log after a write");
                self.index_notify.notify_one();
                return;
            }
        };
        self.index_notify.notify_one();
        if !self.writes_wait_for_index {
            let applied = self.search.applied_seq();
            if applied >= seq {
                return;
            }
            match self.store.closed_postings_changed(applied, seq).await {
                Ok(closed) => {
                    self.search.hide_closed(&closed, seq);
                    return;
                }
                // Without the list, waiting for the index is the only way to keep the rule.
                Err(e) => tracing::warn!(error = %e, "could not read the postings just closed"),
            }
        }
        if !self.search.caught_up(seq, WRITE_VISIBLE_WITHIN).await {
            tracing::warn!(seq, "the index has not caught up with a write yet");
        }
    }
}

/// How long a write waits for the index to show it before answering anyway (the write
/// itself is safe in the database; the index catches up).
const WRITE_VISIBLE_WITHIN: std::time::Duration = std::time::Duration::from_secs(5);

/// Registers every route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::PayloadConfig::new(json::BODY_LIMIT))
        .app_data(web::QueryConfig::default().error_handler(|err, _| {
            ApiError::InvalidParameter {
                field: None,
                message: format!("invalid query string: {err}"),
            }
            .into()
        }))
        .app_data(web::PathConfig::default().error_handler(|_, req| {
            ApiError::NotFound(format!("nothing at {}", req.path())).into()
        }))
        .route("/health", web::get().to(health::health))
        .route("/ready", web::get().to(health::ready))
        .route("/metrics", web::get().to(metrics::metrics))
        .route(request_head::URI_TOO_LONG_PATH, web::to(uri_too_long))
        .route(request_head::HEAD_TOO_LARGE_PATH, web::to(head_too_large))
        .service(
            web::scope("/api/v1")
                .route("/openapi.json", web::get().to(openapi::openapi_json))
                .configure(employers::routes)
                .configure(postings::routes)
                .configure(caseload::routes)
                .configure(clients::routes)
                .configure(matches::routes)
                .configure(search::routes)
                .configure(events::routes)
                .configure(feedback::routes)
                .configure(funnel::routes)
                .configure(access_log::routes)
                .configure(users::routes),
        )
        .default_service(web::to(not_found));
}

/// Where [`HeadGuard`] sends a request whose target is too long for the HTTP parser.
async fn uri_too_long() -> Result<HttpResponse, ApiError> {
    Err(ApiError::UriTooLong(request_head::MAX_TARGET))
}

/// Where [`HeadGuard`] sends a request whose head is too large for the HTTP parser.
async fn head_too_large() -> Result<HttpResponse, ApiError> {
    Err(ApiError::HeadTooLarge(request_head::MAX_HEAD))
}

async fn not_found(req: actix_web::HttpRequest) -> Result<HttpResponse, ApiError> {
    // A documented path asked with a method it does not take is a 405 naming those it takes.
    if let Some(allow) = openapi::allowed_methods(req.path()) {
        if !allow.contains(&req.method().as_str()) {
            return Err(ApiError::MethodNotAllowed(allow.join(", ")));
        }
    }
    Err(ApiError::NotFound(format!(
        "no such endpoint: {} {}",
        req.method(),
        req.path()
    )))
}

/// Paging of list endpoints.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Items per page, 1–100 (default 20).
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<i64>,
    /// Items to skip (default 0).
    #[param(minimum = 0, default = 0)]
    pub offset: Option<i64>,
}

/// The `limit` of a list, search or match request: 1–100, 20 when absent.
pub fn checked_limit(limit: Option<i64>) -> Result<i64, ApiError> {
    let limit = limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::InvalidParameter {
            field: Some("limit".into()),
            message: "limit must be between 1 and 100".into(),
        });
    }
    Ok(limit)
}

impl PageParams {
    /// Checked `(limit, offset)`.
    pub fn checked(&self) -> Result<(i64, i64), ApiError> {
        let limit = checked_limit(self.limit)?;
        let offset = self.offset.unwrap_or(0);
        if offset < 0 {
            return Err(ApiError::InvalidParameter {
                field: Some("offset".into()),
                message: "offset must not be negative".into(),
            });
        }
        Ok((limit, offset))
    }
}

/// A page of a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListPage<T> {
    /// Items on every page together.
    pub total: i64,
    /// Page size asked for.
    pub limit: i64,
    /// Items skipped.
    pub offset: i64,
    /// This page.
    pub items: Vec<T>,
}

impl<T> ListPage<T> {
    fn new(page: Page<T>, limit: i64, offset: i64) -> Self {
        Self {
            total: page.total,
            limit,
            offset,
            items: page.items,
        }
    }
}

//! `GET /api/v1/search`: full-text search over open vacancies and tasks.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use super::auth::Caller;
use super::error::{ApiError, ApiResult};
use super::query::ApiQuery;
use super::AppState;
use crate::search::{SearchKind, SearchRequest, SearchResults};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/search", web::get().to(search));
}

/// Longest accepted query text.
const MAX_QUERY_CHARS: usize = 500;

/// Longest accepted municipality name.
const MAX_MUNICIPALITY_CHARS: usize = 200;

/// Search parameters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Words in Finnish, Swedish or English, at most 500 characters. Inflected forms and parts
    /// of compound words match ("varasto" finds "varastotyöntekijä"). Empty: the newest
    /// postings.
    #[param(max_length = 500, example = "varastotyö")]
    pub q: Option<String>,
    /// `vacancy` or `task` (default both).
    pub kind: Option<SearchKind>,
    /// Municipality name, at most 200 characters (postcodes are ignored).
    #[param(max_length = 200, example = "Lahti")]
    pub municipality: Option<String>,
    /// Hits per page, 1–100 (default 20).
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<i64>,
    /// Hits to skip, 0–10000 (default 0).
    #[param(minimum = 0, maximum = 10000, default = 0)]
    pub offset: Option<usize>,
}

/// Searches open postings. Employer users search their own employer's postings only.
/// Searches and match lists together are rate-limited per user (429 with `Retry-After`).
#[utoipa::path(get, path = "/api/v1/search", tag = "search", params(SearchParams),
    responses((status = 200, description = "Hits, best first", body = SearchResults), super::openapi::LimitedTokenErrors, super::openapi::QueryErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.search", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn search(
    state: web::Data<AppState>,
    caller: Caller,
    params: ApiQuery<SearchParams>,
) -> ApiResult<HttpResponse> {
    let results = run(&state, &caller, params.into_inner()).await?;
    Ok(HttpResponse::Ok().json(results))
}

/// A search as the API and the web app run it: rate-limited per user, the same bounds on
/// `limit`, `offset` and `q`, an employer user's search kept to its own postings.
pub async fn run(state: &AppState, caller: &Caller, p: SearchParams) -> ApiResult<SearchResults> {
    state.limiter.expensive(caller.id())?;
    let limit = super::checked_limit(p.limit)? as usize;
    let offset = p.offset.unwrap_or(0);
    if offset > 10_000 {
        return Err(ApiError::InvalidParameter {
            field: Some("offset".into()),
            message: "offset must be at most 10000; narrow the search instead".into(),
        });
    }
    let q = p.q.unwrap_or_default();
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(ApiError::InvalidParameter {
            field: Some("q".into()),
            message: format!("q must be at most {MAX_QUERY_CHARS} characters"),
        });
    }
    if let Some(m) = &p.municipality {
        if m.chars().count() > MAX_MUNICIPALITY_CHARS {
            return Err(ApiError::InvalidParameter {
                field: Some("municipality".into()),
                message: format!(
                    "municipality must be at most {MAX_MUNICIPALITY_CHARS} characters"
                ),
            });
        }
    }
    let req = SearchRequest {
        q,
        kind: p.kind,
        municipality: p.municipality,
        employer_id: caller.own_employer(),
        limit,
        offset,
    };
    Ok(state.search.search(req).await?)
}

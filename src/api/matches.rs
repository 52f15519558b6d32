//! `GET /api/v1/clients/{id}/matches`: suggestions for one of the calling coach's clients.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::access_log::require_logged;
use super::auth::Caller;
use super::error::ApiResult;
use super::query::ApiQuery;
use super::AppState;
use crate::domain::{AccessAction, AccessTarget, Role};
use crate::matching::{self, MatchRequest, ReasonLang, Suggestion};
use crate::search::CandidateKind;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/clients/{id}/matches", web::get().to(matches));
}

/// Parameters of a match request.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatchParams {
    /// Suggestions, 1–100 (default 20).
    #[param(minimum = 1, maximum = 100, default = 20)]
    pub limit: Option<i64>,
    /// `vacancy`, `task` or `employer`; default: vacancies first, then a few tasks and employer
    /// prospects.
    pub kind: Option<CandidateKind>,
}

/// The answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatchList {
    /// The client.
    pub client_id: i64,
    /// Version of the ranking model that ordered the list.
    pub model: String,
    /// Suggestions, best first within each kind.
    pub matches: Vec<Suggestion>,
}

/// Suggestions for a client, ranked, with reasons in Finnish, Swedish or English: the language
/// `Accept-Language` wants most (quality values count), Finnish when it names none of them.
/// Every list served is logged with its features so the ranker can learn from what follows.
/// Searches and match lists together are rate-limited per user (429 with `Retry-After`).
#[utoipa::path(get, path = "/api/v1/clients/{id}/matches", tag = "matching", params(super::openapi::IdPath, MatchParams),
    responses((status = 200, description = "Suggestions with reasons", body = MatchList), super::openapi::LimitedTokenErrors, super::openapi::RoleErrors, super::openapi::IdErrors, super::openapi::QueryErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.matches", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn matches(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    params: ApiQuery<MatchParams>,
    request: HttpRequest,
) -> ApiResult<HttpResponse> {
    let limit = super::checked_limit(params.limit)? as usize;
    let lang = ReasonLang::from_accept_language(
        request
            .headers()
            .get("accept-language")
            .and_then(|v| v.to_str().ok()),
    );
    let (client_id, model, suggestions) =
        suggestions(&state, &caller, id.into_inner(), params.kind, limit, lang).await?;
    Ok(HttpResponse::Ok().json(MatchList {
        client_id,
        model,
        matches: suggestions,
    }))
}

/// Suggestions for client `id` of the calling coach, as the API and the web app serve them:
/// rate-limited per user, refused roles and other coaches' clients written to the access log,
/// the read logged, and the list served logged for training. Returns the client id, the
/// model version and the suggestions.
pub async fn suggestions(
    state: &AppState,
    caller: &Caller,
    id: i64,
    kind: Option<CandidateKind>,
    limit: usize,
    lang: ReasonLang,
) -> ApiResult<(i64, String, Vec<Suggestion>)> {
    state.limiter.expensive(caller.id())?;
    let (action, target) = (AccessAction::Matches, AccessTarget::Client(id));
    let what = "ask for a client's matches";
    require_logged(state, caller, &[Role::Coach], what, action, target).await?;
    let client = state.store.client_for(id, caller.id(), action).await?;
    let now = chrono::Utc::now();
    let req = MatchRequest {
        kind,
        limit,
        lang,
        now,
    };
    let hires = state.hires.get(&state.store).await?;
    let model = state.matcher.model();
    let client_id = client.id;
    let suggestions = state.matcher.suggest(client, req, hires).await?;
    matching::log_in_background(&state.store, client_id, &model.version, now, &suggestions);
    Ok((client_id, model.version.clone(), suggestions))
}

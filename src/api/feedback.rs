//! Work-trial (and job) feedback: a coach asks the employer hosting a placement; the employer
//! sees only its own forms, with no client reference, and answers each once.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::access_log::require_logged;
use super::auth::Caller;
use super::error::{ApiError, ApiResult};
use super::json::ApiJson;
use super::AppState;
use crate::domain::{AccessAction, AccessTarget, FeedbackAnswers, FeedbackForm, Role};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/clients/{id}/feedback-requests",
        web::post().to(request_feedback),
    )
    .route("/feedback-forms", web::get().to(list_forms))
    .route("/feedback-forms/{id}", web::get().to(get_form))
    .route("/feedback-forms/{id}", web::put().to(submit_form));
}

/// Body of a feedback request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackRequest {
    /// The client's `employed` event (work trial or job) whose employer is asked.
    #[schema(example = 7)]
    pub placement_event_id: i64,
}

fn employer_of(caller: &Caller) -> Result<i64, ApiError> {
    caller.require(&[Role::Employer], "read or fill feedback forms")?;
    caller
        .own_employer()
        .ok_or_else(|| ApiError::Forbidden("this user acts for no employer".into()))
}

/// Asks the employer of one of the calling coach's client's placements for feedback.
#[utoipa::path(post, path = "/api/v1/clients/{id}/feedback-requests", tag = "feedback", params(super::openapi::IdPath), request_body(content = FeedbackRequest, example = json!({"placement_event_id": 7})),
    responses((status = 201, description = "The form sent to the employer", body = FeedbackForm), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::IdErrors, super::openapi::BodyErrors, super::openapi::ConflictErrors),
    security(("bearer" = [])))]
pub async fn request_feedback(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: ApiJson<FeedbackRequest>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let (action, target) = (AccessAction::RequestFeedback, AccessTarget::Client(id));
    let what = "ask employers for feedback";
    require_logged(&state, &caller, &[Role::Coach], what, action, target).await?;
    state.store.client_for(id, caller.id(), action).await?;
    let form = state
        .store
        .request_feedback(id, caller.id(), body.0.placement_event_id)
        .await?;
    Ok(HttpResponse::Created().json(form))
}

/// The calling employer's feedback forms.
#[utoipa::path(get, path = "/api/v1/feedback-forms", tag = "feedback",
    responses((status = 200, description = "The employer's forms", body = Vec<FeedbackForm>), super::openapi::TokenErrors, super::openapi::RoleErrors),
    security(("bearer" = [])))]
pub async fn list_forms(state: web::Data<AppState>, caller: Caller) -> ApiResult<HttpResponse> {
    let employer = employer_of(&caller)?;
    Ok(HttpResponse::Ok().json(state.store.feedback_forms_of_employer(employer).await?))
}

/// One of the calling employer's forms (another employer's is 404).
#[utoipa::path(get, path = "/api/v1/feedback-forms/{id}", tag = "feedback", params(super::openapi::IdPath),
    responses((status = 200, description = "The form", body = FeedbackForm), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::IdErrors),
    security(("bearer" = [])))]
pub async fn get_form(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let employer = employer_of(&caller)?;
    let form = state
        .store
        .feedback_form(id.into_inner(), Some(employer))
        .await?;
    Ok(HttpResponse::Ok().json(form))
}

/// Fills a form (once; a second answer is 409).
#[utoipa::path(put, path = "/api/v1/feedback-forms/{id}", tag = "feedback", params(super::openapi::IdPath), request_body(content = FeedbackAnswers, example = json!({"tasks_managed": 4, "support_needed": "some", "would_hire": true, "comment": "Oppi tehtävät nopeasti."})),
    responses((status = 200, description = "The answered form", body = FeedbackForm), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::IdErrors, super::openapi::BodyErrors, super::openapi::ConflictErrors),
    security(("bearer" = [])))]
pub async fn submit_form(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: ApiJson<FeedbackAnswers>,
) -> ApiResult<HttpResponse> {
    let employer = employer_of(&caller)?;
    let answers = FeedbackAnswers::parse(&body.0)?;
    let form = state
        .store
        .submit_feedback(id.into_inner(), employer, caller.id(), &answers)
        .await?;
    Ok(HttpResponse::Ok().json(form))
}

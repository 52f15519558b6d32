//! `/api/v1/clients/{id}/events` (a client's funnel steps and answers to suggestions),
//! `/api/v1/employer-contacts` (the job-development log) and an employer's contact history.
//! Only the client's own coach records or reads a client's events; another coach gets 404.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::access_log::require_logged;
use super::auth::Caller;
use super::error::ApiResult;
use super::json::ApiJson;
use super::query::ApiQuery;
use super::AppState;
use crate::domain::{
    AccessAction, AccessTarget, ClientEvent, ContactDraft, ContactInput, EmployerContact,
    EventDraft, EventInput, FeedbackForm, Role,
};
use crate::store::Access;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/clients/{id}/events", web::post().to(create_event))
        .route("/clients/{id}/events", web::get().to(list_events))
        .route("/employer-contacts", web::post().to(create_contact))
        .route("/employers/{id}/contacts", web::get().to(employer_contacts));
}

/// A client's history: events (corrected ones too, marked) and employers' feedback forms.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientHistory {
    /// Client.
    pub client_id: i64,
    /// Every event in time order; those with `superseded_by` no longer count.
    pub events: Vec<ClientEvent>,
    /// Work-trial and job feedback forms asked of employers.
    pub feedback: Vec<FeedbackForm>,
}

/// Records an event for one of the calling coach's clients, checked against the stage rules.
#[utoipa::path(post, path = "/api/v1/clients/{id}/events", tag = "funnel", params(super::openapi::IdPath), request_body(content = EventInput, example = json!({"type": "employer_contact", "at": "2026-01-20T10:00:00Z", "employer_id": 1, "face_to_face": true, "note": "Tutustumiskäynti varastolla"})),
    responses((status = 201, description = "Recorded", body = ClientEvent), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::IdErrors, super::openapi::BodyErrors, super::openapi::ConflictErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.create_event", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn create_event(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: ApiJson<EventInput>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let (action, target) = (AccessAction::RecordEvent, AccessTarget::Client(id));
    let what = "record client events";
    require_logged(&state, &caller, &[Role::Coach], what, action, target).await?;
    let draft = EventDraft::parse(&body.0, chrono::Utc::now())?;
    let event = state.store.record_event(id, caller.id(), &draft).await?;
    Ok(HttpResponse::Created().json(event))
}

/// One of the calling coach's clients' history.
#[utoipa::path(get, path = "/api/v1/clients/{id}/events", tag = "funnel", params(super::openapi::IdPath),
    responses((status = 200, description = "The client's history", body = ClientHistory), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::IdErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.list_events", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn list_events(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let (action, target) = (AccessAction::ReadEvents, AccessTarget::Client(id));
    let what = "read client events";
    require_logged(&state, &caller, &[Role::Coach], what, action, target).await?;
    // Ownership check, and the read goes to the access log.
    state.store.client_for(id, caller.id(), action).await?;
    Ok(HttpResponse::Ok().json(ClientHistory {
        client_id: id,
        events: state.store.client_events(id).await?,
        feedback: state.store.feedback_forms_of_client(id).await?,
    }))
}

/// Id of a logged contact.
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    /// Id.
    pub id: i64,
}

/// Logs an employer contact by the calling coach (with a client: also a client event).
#[utoipa::path(post, path = "/api/v1/employer-contacts", tag = "funnel", request_body(content = ContactInput, example = json!({"employer_id": 1, "at": "2026-01-20T10:00:00Z", "face_to_face": true, "purpose": "työpaikkojen kartoitus", "outcome": "kaksi avointa paikkaa keväällä"})),
    responses((status = 201, description = "Logged", body = Created), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::BodyErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.create_contact", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn create_contact(
    state: web::Data<AppState>,
    caller: Caller,
    body: ApiJson<ContactInput>,
) -> ApiResult<HttpResponse> {
    if let Some(client) = body.0.client_id {
        let (action, target) = (AccessAction::RecordContact, AccessTarget::Client(client));
        let what = "log employer contacts";
        require_logged(&state, &caller, &[Role::Coach], what, action, target).await?;
    } else {
        caller.require(&[Role::Coach], "log employer contacts")?;
    }
    let draft = ContactDraft::parse(&body.0, chrono::Utc::now())?;
    let id = state.store.record_contact(caller.id(), &draft).await?;
    Ok(HttpResponse::Created().json(Created { id }))
}

/// Query of the contact history.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryParams {
    /// At most this many, newest first (1–500, default 100).
    #[param(minimum = 1, maximum = 500, default = 100)]
    pub limit: Option<i64>,
}

/// An employer's contact history across all coaches, so two coaches don't call the same
/// employer the same week. Which client a contact was about is shown only to that client's
/// coach.
#[utoipa::path(get, path = "/api/v1/employers/{id}/contacts", tag = "funnel", params(super::openapi::IdPath, HistoryParams),
    responses((status = 200, description = "Contacts, newest first", body = Vec<EmployerContact>), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::IdErrors, super::openapi::QueryErrors),
    security(("bearer" = [])))]
pub async fn employer_contacts(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    params: ApiQuery<HistoryParams>,
) -> ApiResult<HttpResponse> {
    caller.require(
        &[Role::Coach, Role::Coordinator],
        "read the employer contact log",
    )?;
    let limit = params.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(super::ApiError::InvalidParameter {
            field: Some("limit".into()),
            message: "limit must be between 1 and 500".into(),
        });
    }
    let id = id.into_inner();
    let viewer = (caller.0.role == Role::Coach).then(|| caller.id());
    let contacts = state.store.employer_contacts(id, viewer, limit).await?;
    // A coach's own clients are named: that is a read of client data.
    let shown: Vec<i64> = contacts.iter().filter_map(|c| c.client_id).collect();
    if !shown.is_empty() {
        let list = format!("employers/{id}/contacts");
        let target = AccessTarget::List(&list, &shown);
        let access = Access::allowed(caller.id(), AccessAction::EmployerContacts, target);
        state.store.log_access(&access).await?;
    }
    Ok(HttpResponse::Ok().json(contacts))
}

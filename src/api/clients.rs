//! `/api/v1/clients`: a coach's caseload. Only the client's own coach sees a client; for
//! anyone else the client does not exist (404), and other roles may not ask at all (403).
//! Every read, change and refused attempt is written to the access log. A client's data can
//! be exported (GDPR art. 15) and erased (art. 17).

use actix_web::http::header;
use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::access_log::require_logged;
use super::auth::Caller;
use super::error::ApiResult;
use super::json::{merge_into, ApiJson};
use super::openapi::ClientPatch;
use super::query::ApiQuery;
use super::{AppState, ListPage, PageParams};
use crate::domain::{
    AccessAction, AccessEntry, AccessTarget, Client, ClientDraft, ClientEvent, ClientInput,
    EmployerContact, FeedbackForm, Role, ServedList,
};
use crate::matching::Understood;
use crate::rank::Feature;
use crate::store::CASELOAD_LIST;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/clients", web::post().to(create_client))
        .route("/clients", web::get().to(list_clients))
        .route("/clients/{id}", web::get().to(get_client))
        .route("/clients/{id}", web::patch().to(patch_client))
        .route("/clients/{id}", web::delete().to(erase_client))
        .route("/clients/{id}/export", web::get().to(export_client));
}

/// 403 unless the caller is a coach; a refused caller is written to the access log.
async fn coach_only(
    state: &AppState,
    caller: &Caller,
    action: AccessAction,
    target: AccessTarget<'_>,
) -> ApiResult<()> {
    let what = "read or change client records";
    require_logged(state, caller, &[Role::Coach], what, action, target).await
}

/// A client with how their wish was understood, so that the coach can correct the wish.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientView {
    /// The client record.
    #[serde(flatten)]
    pub client: Client,
    /// How `preferences.desired_work` (and `avoid`) were read: occupations, wanted and
    /// refused words as written, shifts, licences, part-time and summer-job wishes.
    pub understood: Understood,
}

impl ClientView {
    fn of(state: &AppState, client: Client) -> Self {
        let understood = state.matcher.understand(&client);
        ClientView { client, understood }
    }
}

fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// Adds a client to the calling coach's caseload.
#[utoipa::path(post, path = "/api/v1/clients", tag = "clients", request_body(content = ClientInput, example = json!({"display_name": "Asiakas A", "home_municipality": "Lahti", "intake_date": "2026-01-15", "preferences": {"desired_work": "varastotyö, mieluiten aamuvuoroja", "municipalities": ["Lahti", "Hollola"], "max_commute_km": 25, "hours_per_week": {"min": 20, "max": 30}, "avoid": "yötyö", "languages": ["fi"], "adjustments": ["kirjalliset ohjeet"]}})),
    responses((status = 201, description = "Added to the caseload", body = ClientView), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::BodyErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.create_client", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn create_client(
    state: web::Data<AppState>,
    caller: Caller,
    body: ApiJson<ClientInput>,
) -> ApiResult<HttpResponse> {
    let target = AccessTarget::List(CASELOAD_LIST, &[]);
    coach_only(&state, &caller, AccessAction::Create, target).await?;
    let draft = ClientDraft::parse(&body.0, today())?;
    let client = state.store.create_client(caller.id(), &draft).await?;
    Ok(HttpResponse::Created().json(ClientView::of(&state, client)))
}

/// One of the calling coach's clients.
#[utoipa::path(get, path = "/api/v1/clients/{id}", tag = "clients", params(super::openapi::IdPath),
    responses((status = 200, description = "The client and how the wish was read", body = ClientView), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::IdErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.get_client", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn get_client(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    coach_only(
        &state,
        &caller,
        AccessAction::Read,
        AccessTarget::Client(id),
    )
    .await?;
    let client = state.store.client_for_coach(id, caller.id()).await?;
    Ok(HttpResponse::Ok().json(ClientView::of(&state, client)))
}

/// Changes a client (JSON merge patch; `preferences` merge field by field).
#[utoipa::path(patch, path = "/api/v1/clients/{id}", tag = "clients", params(super::openapi::IdPath), request_body(content = ClientPatch, description = "A JSON merge patch (RFC 7396) of the client's `ClientInput`: the fields to change; `null` clears an optional one; `preferences` merge field by field", example = json!({"preferences": {"desired_work": "varastotyö tai pakkaaminen", "avoid": null}})),
    responses((status = 200, description = "The changed client", body = ClientView), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::IdErrors, super::openapi::BodyErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.patch_client", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn patch_client(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: ApiJson<Value>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    coach_only(
        &state,
        &caller,
        AccessAction::Update,
        AccessTarget::Client(id),
    )
    .await?;
    // The change is logged with the update; a refusal here.
    let current = state
        .store
        .own_client(id, caller.id(), AccessAction::Update)
        .await?;
    let input = ClientInput {
        display_name: current.display_name,
        home_municipality: current.home_municipality,
        intake_date: Some(current.intake_date.to_string()),
        treatment_team_contact: current.treatment_team_contact,
        preferences: current.preferences,
    };
    let input = merge_into(&input, body.0)?;
    let draft = ClientDraft::parse(&input, today())?;
    let client = state.store.update_client(id, caller.id(), &draft).await?;
    Ok(HttpResponse::Ok().json(ClientView::of(&state, client)))
}

/// The calling coach's caseload (erased clients are no longer on it). The page read is written
/// to the access log with the clients it shows.
#[utoipa::path(get, path = "/api/v1/clients", tag = "clients", params(PageParams),
    responses((status = 200, description = "A page of the caseload", body = ListPage<Client>), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::QueryErrors),
    security(("bearer" = [])))]
pub async fn list_clients(
    state: web::Data<AppState>,
    caller: Caller,
    page: ApiQuery<PageParams>,
) -> ApiResult<HttpResponse> {
    let target = AccessTarget::List(CASELOAD_LIST, &[]);
    coach_only(&state, &caller, AccessAction::List, target).await?;
    let (limit, offset) = page.checked()?;
    let found = state
        .store
        .clients_of_coach(caller.id(), limit, offset)
        .await?;
    Ok(HttpResponse::Ok().json(ListPage::new(found, limit, offset)))
}

/// Everything held on a client (GDPR art. 15), as one document.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientExport {
    /// When the export was made.
    pub exported_at: DateTime<Utc>,
    /// The client record with its preferences.
    pub client: Client,
    /// Every event, corrected ones too.
    pub events: Vec<ClientEvent>,
    /// Employer contacts about the client.
    pub employer_contacts: Vec<EmployerContact>,
    /// Feedback forms asked of employers about the client's placements, with their answers.
    pub feedback_forms: Vec<FeedbackForm>,
    /// Names of the values in each suggestion's `features`, in order.
    pub feature_names: Vec<&'static str>,
    /// Match lists served for the client (kept for a limited time), with the features the
    /// ranking read.
    pub match_lists: Vec<ServedList>,
    /// Who read, changed or tried to reach the client's data, this export included.
    pub access_log: Vec<AccessEntry>,
}

/// Everything held on one of the calling coach's clients (GDPR art. 15): the record and
/// preferences, events, employer contacts about them, feedback forms on their placements, the
/// match lists served for them and the access log about them. The export is itself logged.
#[utoipa::path(get, path = "/api/v1/clients/{id}/export", tag = "clients", params(super::openapi::IdPath),
    responses((status = 200, description = "Everything held on the client", body = ClientExport), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::IdErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.export_client", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn export_client(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    coach_only(
        &state,
        &caller,
        AccessAction::Export,
        AccessTarget::Client(id),
    )
    .await?;
    let client = state
        .store
        .client_for(id, caller.id(), AccessAction::Export)
        .await?;
    let export = ClientExport {
        exported_at: Utc::now(),
        client,
        events: state.store.client_events(id).await?,
        employer_contacts: state.store.contacts_about_client(id).await?,
        feedback_forms: state.store.feedback_forms_of_client(id).await?,
        feature_names: Feature::ALL.iter().map(|f| f.name()).collect(),
        match_lists: state.store.served_lists(id).await?,
        access_log: state.store.access_log_of_client(id).await?,
    };
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(r#"attachment; filename="client-{id}.json""#),
        ))
        .json(export))
}

/// Erases a client (GDPR art. 17, or the end of retention): the client's own coach, or an
/// admin. The display name becomes `poistettu-<id>`; the municipality, treatment-team contact,
/// preferences, event notes, the purpose and outcome of employer contacts about the client and
/// employers' comments are removed, and unanswered feedback forms withdrawn. The events stay
/// as pseudonymous records, so the funnel and fidelity figures are unchanged. Afterwards the
/// client is a 404 everywhere. The erasure is logged.
#[utoipa::path(delete, path = "/api/v1/clients/{id}", tag = "clients", params(super::openapi::IdPath),
    responses((status = 204, description = "Erased"), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::IdErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.erase_client", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn erase_client(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    require_logged(
        &state,
        &caller,
        &[Role::Coach, Role::Admin],
        "erase clients",
        AccessAction::Erase,
        AccessTarget::Client(id),
    )
    .await?;
    let any_caseload = caller.0.role == Role::Admin;
    state
        .store
        .erase_client(id, caller.id(), any_caseload)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

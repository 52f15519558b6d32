//! `/api/v1/clients`: a coach's caseload. Only the client's own coach sees a client; for
//! anyone else the client does not exist (404), and other roles may not ask at all (403).
//! Every read and change is written to the client access log.

use actix_web::{web, HttpResponse};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::auth::Caller;
use super::error::{ApiError, ApiResult};
use super::json::{merge_into, ApiJson};
use super::query::ApiQuery;
use super::{AppState, ListPage, PageParams};
use crate::domain::{Client, ClientDraft, ClientInput, Role};
use crate::matching::Understood;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/clients", web::post().to(create_client))
        .route("/clients", web::get().to(list_clients))
        .route("/clients/{id}", web::get().to(get_client))
        .route("/clients/{id}", web::patch().to(patch_client));
}

fn coach_only(caller: &Caller) -> Result<(), ApiError> {
    caller.require(&[Role::Coach], "read or change client records")
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
#[utoipa::path(post, path = "/api/v1/clients", tag = "clients", request_body = ClientInput,
    responses((status = 201, body = ClientView), (status = 422, body = super::ErrorBody),
        (status = 403, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.create_client", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn create_client(
    state: web::Data<AppState>,
    caller: Caller,
    body: ApiJson<ClientInput>,
) -> ApiResult<HttpResponse> {
    coach_only(&caller)?;
    let draft = ClientDraft::parse(&body.0, today())?;
    let client = state.store.create_client(caller.id(), &draft).await?;
    Ok(HttpResponse::Created().json(ClientView::of(&state, client)))
}

/// One of the calling coach's clients.
#[utoipa::path(get, path = "/api/v1/clients/{id}", tag = "clients",
    responses((status = 200, body = ClientView), (status = 404, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.get_client", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn get_client(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    coach_only(&caller)?;
    let client = state
        .store
        .client_for_coach(id.into_inner(), caller.id())
        .await?;
    Ok(HttpResponse::Ok().json(ClientView::of(&state, client)))
}

/// Changes a client (JSON merge patch; `preferences` merge field by field).
#[utoipa::path(patch, path = "/api/v1/clients/{id}", tag = "clients", request_body = Object,
    responses((status = 200, body = ClientView), (status = 404, body = super::ErrorBody),
        (status = 422, body = super::ErrorBody)),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.patch_client", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn patch_client(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: ApiJson<Value>,
) -> ApiResult<HttpResponse> {
    coach_only(&caller)?;
    let id = id.into_inner();
    let current = state.store.client_for_coach(id, caller.id()).await?;
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

/// The calling coach's caseload.
#[utoipa::path(get, path = "/api/v1/clients", tag = "clients", params(PageParams),
    responses((status = 200, body = ListPage<Client>)), security(("bearer" = [])))]
pub async fn list_clients(
    state: web::Data<AppState>,
    caller: Caller,
    page: ApiQuery<PageParams>,
) -> ApiResult<HttpResponse> {
    coach_only(&caller)?;
    let (limit, offset) = page.checked()?;
    let found = state
        .store
        .clients_of_coach(caller.id(), limit, offset)
        .await?;
    Ok(HttpResponse::Ok().json(ListPage::new(found, limit, offset)))
}

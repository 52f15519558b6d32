//! `/api/v1/employers`: the employer register.

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::auth::Caller;
use super::error::{ApiError, ApiResult};
use super::json::ApiJson;
use super::query::ApiQuery;
use super::{AppState, ListPage, PageParams};
use crate::domain::{Employer, EmployerDraft, Role};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/employers", web::post().to(create_employer))
        .route("/employers", web::get().to(list_employers))
        .route("/employers/{id}", web::get().to(get_employer));
}

/// Body of `POST /api/v1/employers`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmployerInput {
    /// Trade name.
    #[schema(min_length = 1, max_length = 200, example = "Lahden Logistiikka Oy")]
    pub name: String,
    /// Finnish business ID (Y-tunnus), `1234567-8` with a valid check digit; unique in the
    /// register.
    #[serde(default)]
    #[schema(max_length = 20, example = "0112038-9")]
    pub business_id: Option<String>,
    /// Line of business.
    #[serde(default)]
    #[schema(max_length = 200, example = "logistiikka")]
    pub industry: Option<String>,
    /// Municipality.
    #[serde(default)]
    #[schema(max_length = 100, example = "Lahti")]
    pub municipality: Option<String>,
}

/// Adds an employer to the register (coaches and admins).
#[utoipa::path(post, path = "/api/v1/employers", tag = "employers", request_body(content = EmployerInput, example = json!({"name": "Lahden Logistiikka Oy", "business_id": "0112038-9", "industry": "logistiikka", "municipality": "Lahti"})),
    responses((status = 201, description = "Added to the register", body = Employer), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::BodyErrors, super::openapi::ConflictErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.create_employer", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn create_employer(
    state: web::Data<AppState>,
    caller: Caller,
    body: ApiJson<EmployerInput>,
) -> ApiResult<HttpResponse> {
    caller.require(&[Role::Coach, Role::Admin], "add employers to the register")?;
    let b = body.0;
    let draft = EmployerDraft::parse(
        &b.name,
        b.business_id.as_deref(),
        b.industry.as_deref(),
        b.municipality.as_deref(),
    )?;
    let employer = state.store.create_employer(&draft).await?;
    state.written().await;
    Ok(HttpResponse::Created().json(employer))
}

/// One employer. An employer user sees only its own.
#[utoipa::path(get, path = "/api/v1/employers/{id}", tag = "employers", params(super::openapi::IdPath),
    responses((status = 200, description = "The employer", body = Employer), super::openapi::TokenErrors, super::openapi::IdErrors),
    security(("bearer" = [])))]
pub async fn get_employer(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    if caller.own_employer().is_some_and(|own| own != id) {
        return Err(ApiError::NotFound(format!("employer {id} not found")));
    }
    Ok(HttpResponse::Ok().json(state.store.employer(id).await?))
}

/// The register, by name.
#[utoipa::path(get, path = "/api/v1/employers", tag = "employers", params(PageParams),
    responses((status = 200, description = "A page of the register", body = ListPage<Employer>), super::openapi::TokenErrors, super::openapi::QueryErrors),
    security(("bearer" = [])))]
pub async fn list_employers(
    state: web::Data<AppState>,
    caller: Caller,
    page: ApiQuery<PageParams>,
) -> ApiResult<HttpResponse> {
    let (limit, offset) = page.checked()?;
    let found = state
        .store
        .employers(caller.own_employer(), limit, offset)
        .await?;
    Ok(HttpResponse::Ok().json(ListPage::new(found, limit, offset)))
}

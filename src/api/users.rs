//! `/api/v1/users`: accounts and their API tokens, for the admin role only. A token or a
//! sign-in link is shown once, in the answer that made it; listings show a token's first
//! characters only. Disabling a user revokes its tokens and ends its sessions at once.

use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::Caller;
use super::error::{ApiError, ApiResult};
use super::json::ApiJson;
use super::query::ApiQuery;
use super::{AppState, ListPage, PageParams};
use crate::domain::{bounded_text, Account, Email, IssuedToken, Role, TokenInfo};
use crate::store::NewAccount;
use crate::web::session::SIGN_IN_LINK_HOURS;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/users", web::get().to(list_users))
        .route("/users", web::post().to(create_user))
        .route("/users/{id}", web::get().to(get_user))
        .route("/users/{id}", web::patch().to(patch_user))
        .route("/users/{id}/tokens", web::get().to(list_tokens))
        .route("/users/{id}/tokens", web::post().to(create_token))
        .route(
            "/users/{id}/tokens/{token_id}",
            web::delete().to(revoke_token),
        );
}

fn admin_only(caller: &Caller) -> ApiResult<()> {
    caller.require(&[Role::Admin], "manage users and tokens")
}

/// Body of `POST /api/v1/users`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    /// Name shown in logs and pages, 1–100 characters.
    pub name: String,
    /// Role.
    pub role: Role,
    /// For employer users (required for them, refused for others): the employer they post
    /// for.
    #[serde(default)]
    pub employer_id: Option<i64>,
    /// Address the person signs in with in the browser. With it, the answer carries a
    /// one-time sign-in link (the person sets a password through it); without it, an API
    /// token (an integration).
    #[serde(default)]
    pub email: Option<String>,
}

/// A user just made, with what it signs in with, shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedUser {
    /// The user.
    pub user: Account,
    /// Its API token (when no e-mail address was given): keep it now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<IssuedToken>,
    /// Its one-time sign-in link (when an e-mail address was given): works once, for 24 h.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_in_link: Option<String>,
}

/// Body of `PATCH /api/v1/users/{id}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    /// `true` disables the user (every token revoked, every session ended, at once); `false`
    /// enables it again (with no token: issue new ones).
    #[serde(default)]
    pub disabled: Option<bool>,
    /// New name, 1–100 characters.
    #[serde(default)]
    pub name: Option<String>,
    /// New sign-in address.
    #[serde(default)]
    pub email: Option<String>,
}

/// Body of `POST /api/v1/users/{id}/tokens`.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenInput {
    /// Days until the token stops working, 1–3650 (never, when absent).
    #[serde(default)]
    pub expires_in_days: Option<i64>,
}

fn checked_name(raw: &str) -> ApiResult<String> {
    Ok(bounded_text("name", raw, 100)?)
}

/// Every user, oldest first: role, sign-in address, active tokens, disabled or not.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(PageParams),
    responses((status = 200, body = ListPage<Account>), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::QueryErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.list_users", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn list_users(
    state: web::Data<AppState>,
    caller: Caller,
    page: ApiQuery<PageParams>,
) -> ApiResult<HttpResponse> {
    admin_only(&caller)?;
    let (limit, offset) = page.checked()?;
    let found = state.store.accounts(limit, offset).await?;
    Ok(HttpResponse::Ok().json(ListPage::new(found, limit, offset)))
}

/// Makes a user. With an e-mail address the answer carries a one-time sign-in link (for a
/// person); without, an API token (for an integration). Either is shown only here.
#[utoipa::path(post, path = "/api/v1/users", tag = "users",
    request_body(content = UserInput, example = json!({"name": "Aino Valmentaja", "role": "coach", "email": "aino.valmentaja@example.fi"})),
    responses((status = 201, body = CreatedUser), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::BodyErrors, super::openapi::ConflictErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.create_user", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn create_user(
    state: web::Data<AppState>,
    caller: Caller,
    body: ApiJson<UserInput>,
) -> ApiResult<HttpResponse> {
    admin_only(&caller)?;
    let created = create(&state, body.0).await?;
    Ok(HttpResponse::Created().json(created))
}

/// Makes a user for an admin (the API and the admin's web page): with an e-mail address a
/// person, who gets a one-time sign-in link; without, an integration, which gets an API
/// token. Either is in the answer only.
pub async fn create(state: &AppState, input: UserInput) -> ApiResult<CreatedUser> {
    let b = input;
    let name = checked_name(&b.name)?;
    match (b.role, b.employer_id) {
        (Role::Employer, None) => {
            return Err(ApiError::invalid(
                "employer_id",
                "an employer user needs the employer it posts for",
            ))
        }
        (role, Some(_)) if role != Role::Employer => {
            return Err(ApiError::invalid(
                "employer_id",
                "only employer users have an employer",
            ))
        }
        _ => {}
    }
    let email = b
        .email
        .as_deref()
        .map(|e| Email::parse("email", e))
        .transpose()?;
    let (user, token) = state
        .store
        .create_account(&NewAccount {
            name: &name,
            role: b.role,
            employer_id: b.employer_id,
            email: email.as_ref(),
            password_hash: None,
            // A person signs in with the link; an integration gets a token.
            with_token: email.is_none(),
            token_expires_at: None,
        })
        .await
        .map_err(|e| match e {
            crate::store::StoreError::InvalidReference { message, .. } => {
                ApiError::invalid("employer_id", message)
            }
            other => other.into(),
        })?;
    let created = if email.is_some() {
        let link = sign_in_link(state, user.id).await?;
        CreatedUser {
            user: state.store.account(user.id).await?,
            token: None,
            sign_in_link: Some(link),
        }
    } else {
        CreatedUser {
            user: state.store.account(user.id).await?,
            token,
            sign_in_link: None,
        }
    };
    tracing::info!(created = user.id, role = %user.role, "user created");
    Ok(created)
}

/// A one-time sign-in link for user `id`, working once for [`SIGN_IN_LINK_HOURS`] hours. A
/// disabled user gets none (409).
pub async fn sign_in_link(state: &AppState, id: i64) -> ApiResult<String> {
    let expires = chrono::Utc::now() + chrono::Duration::hours(SIGN_IN_LINK_HOURS);
    let secret = state.store.create_sign_in_link(id, expires).await?;
    tracing::info!(target_user = id, "sign-in link made");
    Ok(state.sessions.sign_in_link(&secret))
}

/// An admin cannot disable itself: someone must be left who can enable users again.
fn may_disable(by: i64, id: i64, disabled: bool) -> ApiResult<()> {
    if disabled && id == by {
        return Err(ApiError::Conflict(
            "an admin cannot disable itself; another admin can".into(),
        ));
    }
    Ok(())
}

/// Disables (every token revoked, every session ended, at once) or enables user `id` for
/// admin `by`; an admin cannot disable itself (409).
pub async fn set_disabled(
    state: &AppState,
    by: i64,
    id: i64,
    disabled: bool,
) -> ApiResult<Account> {
    may_disable(by, id, disabled)?;
    let account = state.store.set_disabled(id, disabled).await?;
    tracing::info!(target_user = id, disabled, "user disabled or enabled");
    Ok(account)
}

/// One user.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users",
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = Account), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::IdErrors),
    security(("bearer" = [])))]
pub async fn get_user(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    admin_only(&caller)?;
    Ok(HttpResponse::Ok().json(state.store.account(id.into_inner()).await?))
}

/// Renames a user, changes its sign-in address, or disables (enables) it. Disabling revokes
/// every token and ends every session at once; an admin cannot disable itself.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users",
    request_body(content = UserPatch, example = json!({"disabled": true})),
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = Account), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::IdErrors, super::openapi::BodyErrors, super::openapi::ConflictErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.patch_user", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn patch_user(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: ApiJson<UserPatch>,
) -> ApiResult<HttpResponse> {
    admin_only(&caller)?;
    let id = id.into_inner();
    let b = body.0;
    let name = b.name.as_deref().map(checked_name).transpose()?;
    let email = b
        .email
        .as_deref()
        .map(|e| Email::parse("email", e))
        .transpose()?;
    // Checked before the name or address changes, so a refused patch changes nothing.
    may_disable(caller.id(), id, b.disabled == Some(true))?;
    let mut account = state.store.account(id).await?;
    if name.is_some() || email.is_some() {
        account = state
            .store
            .update_account(id, name.as_deref(), email.as_ref())
            .await?;
    }
    if let Some(disabled) = b.disabled {
        account = set_disabled(&state, caller.id(), id, disabled).await?;
    }
    Ok(HttpResponse::Ok().json(account))
}

/// A user's API tokens, newest first: id, first characters, dates, whether revoked or
/// active. Never a token itself.
#[utoipa::path(get, path = "/api/v1/users/{id}/tokens", tag = "users",
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = Vec<TokenInfo>), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::IdErrors),
    security(("bearer" = [])))]
pub async fn list_tokens(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    admin_only(&caller)?;
    Ok(HttpResponse::Ok().json(state.store.tokens(id.into_inner()).await?))
}

/// Issues another API token for a user, shown once in the answer. A disabled user gets none
/// (409).
#[utoipa::path(post, path = "/api/v1/users/{id}/tokens", tag = "users",
    request_body(content = TokenInput, description = "May be empty (`{}`)", example = json!({"expires_in_days": 90})),
    params(("id" = i64, Path, description = "User id")),
    responses((status = 201, body = IssuedToken), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::IdErrors, super::openapi::BodyErrors, super::openapi::ConflictErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.create_token", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn create_token(
    state: web::Data<AppState>,
    caller: Caller,
    id: web::Path<i64>,
    body: ApiJson<TokenInput>,
) -> ApiResult<HttpResponse> {
    admin_only(&caller)?;
    let expires_at = match body.0.expires_in_days {
        None => None,
        Some(days @ 1..=3650) => Some(chrono::Utc::now() + chrono::Duration::days(days)),
        Some(_) => {
            return Err(ApiError::invalid(
                "expires_in_days",
                "must be between 1 and 3650",
            ))
        }
    };
    let token = state.store.issue_token(id.into_inner(), expires_at).await?;
    Ok(HttpResponse::Created().json(token))
}

/// Revokes one token of a user at once (again is fine).
#[utoipa::path(delete, path = "/api/v1/users/{id}/tokens/{token_id}", tag = "users",
    params(("id" = i64, Path, description = "User id"),
        ("token_id" = i64, Path, description = "Token id, as the listing shows it")),
    responses((status = 204, description = "Revoked"), super::openapi::TokenErrors, super::openapi::RoleErrors, super::openapi::IdErrors),
    security(("bearer" = [])))]
#[tracing::instrument(name = "api.revoke_token", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn revoke_token(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(i64, i64)>,
) -> ApiResult<HttpResponse> {
    admin_only(&caller)?;
    let (user_id, token_id) = path.into_inner();
    state.store.revoke_token(user_id, token_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

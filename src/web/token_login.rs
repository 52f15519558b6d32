//! Signing in with an API token, kept in an HttpOnly cookie: how the web app knows its user
//! until sign-in with a password and server-side sessions replace it (then this module goes,
//! and [`super::signed_in_user`] reads the session instead).
//!
//! Failed sign-ins count against the address and the account like any failed
//! authentication; over the limit the form says when to try again (429 with `Retry-After`).

use actix_web::cookie::{time::Duration as CookieAge, Cookie, SameSite};
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::dashboard::DASHBOARD_PATH;
use super::i18n::Lang;
use super::page::{FieldError, Page};
use super::{html, local_path, request_lang, see_other, WebError, SESSION_COOKIE};
use crate::api::{authenticate, retry_after_secs, ApiError, AppState};
use crate::domain::{AccessAction, AccessTarget, DenialReason, Role};
use crate::store::Access;

/// The sign-in page.
pub const LOGIN_PATH: &str = "/dashboard/login";

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource(LOGIN_PATH)
            .route(web::get().to(login_form))
            .route(web::post().to(login)),
    )
    .route("/dashboard/logout", web::post().to(logout));
}

/// The sign-in page's template.
#[derive(Template)]
#[template(path = "token_login.html")]
struct LoginPage {
    page: Page,
    /// Where to go after signing in.
    next: String,
    /// What went wrong (shown in the error summary and at the field).
    error: Option<String>,
}

impl LoginPage {
    fn errors(&self) -> Vec<FieldError> {
        self.error
            .iter()
            .map(|message| FieldError {
                field: "token",
                message: message.clone(),
            })
            .collect()
    }
}

fn render(
    req: &HttpRequest,
    lang: Lang,
    status: StatusCode,
    next: &str,
    error: Option<String>,
) -> Result<HttpResponse, WebError> {
    let mut page = Page::new(req, lang, None, lang.t("login-title"));
    page.has_errors = error.is_some();
    let body = LoginPage {
        page,
        next: next.to_string(),
        error,
    }
    .render()?;
    Ok(html(status, body))
}

/// `GET /dashboard/login`.
async fn login_form(req: HttpRequest) -> Result<HttpResponse, WebError> {
    let lang = request_lang(&req);
    render(&req, lang, StatusCode::OK, DASHBOARD_PATH, None)
}

/// `POST /dashboard/login`: checks the token and keeps it in the session cookie.
async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let lang = request_lang(&req);
    let mut token = None;
    let mut next = None;
    for (k, v) in form_urlencoded::parse(&body) {
        match k.as_ref() {
            "token" => token = Some(v.trim().to_string()),
            "next" => next = Some(v.into_owned()),
            _ => {}
        }
    }
    let next = local_path(next.as_deref(), DASHBOARD_PATH).to_string();
    let fail = |status, id: &str| render(&req, lang, status, &next, Some(lang.t(id)));
    let Some(token) = token else {
        return fail(StatusCode::BAD_REQUEST, "login-error-unreadable");
    };
    if token.is_empty() {
        return fail(StatusCode::UNPROCESSABLE_ENTITY, "login-error-empty");
    }
    let user = match authenticate(&state, req.peer_addr().map(|a| a.ip()), &token).await {
        Ok(user) => user,
        Err(ApiError::TooManyRequests { retry_after, .. }) => {
            let secs = retry_after_secs(retry_after);
            let message = lang.t1("login-error-too-many", "seconds", secs.to_string());
            let mut resp = render(
                &req,
                lang,
                StatusCode::TOO_MANY_REQUESTS,
                &next,
                Some(message),
            )?;
            resp.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(secs));
            return Ok(resp);
        }
        Err(e) => return Err(e.into()),
    };
    match user {
        Some(u) if matches!(u.role, Role::Coordinator | Role::Coach | Role::Employer) => {
            // An employer's pages are its own postings, not the dashboard.
            let next: &str = match u.role {
                Role::Employer if next == DASHBOARD_PATH => "/",
                _ => &next,
            };
            let cookie = Cookie::build(SESSION_COOKIE, token)
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .max_age(CookieAge::hours(12))
                .finish();
            let mut resp = see_other(next);
            resp.add_cookie(&cookie)
                .map_err(|e| WebError::Internal(e.to_string()))?;
            Ok(resp)
        }
        Some(u) => {
            let target = AccessTarget::List(super::dashboard::DASHBOARD_LIST, &[]);
            let access = Access::denied(u.id, AccessAction::Dashboard, target, DenialReason::Role);
            state.store.log_access(&access).await?;
            fail(StatusCode::FORBIDDEN, "login-error-role")
        }
        None => fail(StatusCode::UNAUTHORIZED, "login-error-unknown"),
    }
}

/// `POST /dashboard/logout`: forgets the cookie.
async fn logout() -> HttpResponse {
    let mut cookie = Cookie::build(SESSION_COOKIE, "").path("/").finish();
    cookie.make_removal();
    let mut resp = see_other(LOGIN_PATH);
    // A removal cookie always serialises.
    let _ = resp.add_cookie(&cookie);
    resp
}

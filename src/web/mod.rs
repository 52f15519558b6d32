//! The web app for people: server-rendered pages (askama templates in `templates/`, escaped
//! automatically), messages in Finnish, Swedish and English ([`i18n`]), Finnish formats
//! ([`format`]), the Suomi.fi look (`static/`). Every page works without JavaScript; no page
//! has an inline script or style, so a strict `Content-Security-Policy` can apply.
//!
//! It calls the same services as the JSON API (the store, the funnel figures), never the API
//! over HTTP; the API stays JSON.
//!
//! People sign in at `/signin` ([`signin`]) and hold a server-side session ([`session`]);
//! [`signed_in_user`] is the one place that finds the user of a request, and
//! [`Page::csrf_token`] fills every form's hidden `csrf_token` field from the session (through
//! the one include, `templates/includes/csrf.html`); [`check_form`] checks it on every post.
//! Every HTML answer carries the security headers of [`security`].

mod admin;
mod assets;
mod coach;
pub mod csrf;
mod dashboard;
mod employer;
mod exports;
pub mod format;
pub mod i18n;
mod language;
mod page;
mod report;
pub mod security;
pub mod session;
pub mod signin;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;

pub use csrf::CsrfForm;
pub use page::{FieldError, NavLink, Page};
pub use session::{PageError, SessionConfig, SignedIn};

use crate::api::{authenticate, retry_after_secs, ApiError, AppState};
use crate::domain::{Role, User};
use crate::store::StoreError;
use i18n::Lang;

/// Registers the web app's routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home))
        .route("/language", web::post().to(language::switch))
        .route("/static/{file}", web::get().to(assets::serve))
        .configure(signin::routes)
        .configure(dashboard::routes)
        .configure(coach::routes)
        .configure(employer::routes)
        .configure(admin::routes);
}

/// The user behind a request, or `None` when nobody is signed in.
///
/// This is the one place that decides who is signed in: a bearer token (scripts and tests;
/// a failed check counts against the address and the account like any failed
/// authentication), else the browser's server-side session.
pub async fn signed_in_user(req: &HttpRequest, state: &AppState) -> Result<Option<User>, WebError> {
    if let Some(token) = bearer(req) {
        return Ok(authenticate(state, req.peer_addr().map(|a| a.ip()), &token).await?);
    }
    Ok(session::current(req, state).await?.map(|s| s.user))
}

/// The bearer token of a request, if it sent one.
fn bearer(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.trim().split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| token.trim().to_string())
        })
        .filter(|t| !t.is_empty())
}

/// Whether a posted form may change anything: a request with a bearer token carries no cookie
/// another site could ride on; a browser's post must come from this site and carry its
/// session's CSRF token (`fields` are the form's). A refusal is a 403 page.
pub fn check_form(
    req: &HttpRequest,
    state: &AppState,
    fields: &[(String, String)],
) -> Result<(), PageError> {
    if bearer(req).is_some() {
        return Ok(());
    }
    csrf::check_origin(req, &state.sessions)?;
    let signed_in = session::cached(req).ok_or(PageError::SignIn { next: None })?;
    csrf::verify(&signed_in, csrf::field(fields, csrf::FIELD))
}

/// The sign-in page, coming back to this page afterwards (a GET's address; after a post, the
/// start page).
pub fn sign_in_first(req: &HttpRequest) -> HttpResponse {
    let next = (req.method() == actix_web::http::Method::GET).then(|| {
        req.uri()
            .path_and_query()
            .map(|pq| pq.as_str().to_string())
            .unwrap_or_else(|| req.path().to_string())
    });
    see_other(&session::sign_in_url(next.as_deref()))
}

/// The language of a request: the `lang` cookie, else `Accept-Language`, else Finnish.
pub fn request_lang(req: &HttpRequest) -> Lang {
    let cookie = req.cookie(i18n::LANG_COOKIE);
    let accept = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    i18n::choose(cookie.as_ref().map(|c| c.value()), accept)
}

/// `/`: the signed-in user's start page (coordinators and coaches follow their figures);
/// the sign-in page for everyone else.
async fn home(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = request_lang(&req);
    let Some(user) = signed_in_user(&req, &state).await? else {
        return Ok(sign_in_first(&req));
    };
    if user.role == Role::Coach {
        return Ok(see_other(coach::CASELOAD_PATH));
    }
    if user.role == Role::Coordinator {
        return Ok(see_other(dashboard::DASHBOARD_PATH));
    }
    if user.role == Role::Employer {
        return Ok(see_other(employer::HOME_PATH));
    }
    if user.role == Role::Admin {
        return Ok(see_other(admin::USERS_PATH));
    }
    if user.role == Role::Auditor {
        return Ok(see_other(admin::ACCESS_LOG_PATH));
    }
    let page = Page::new(&req, lang, Some(&user), lang.t("not-available-title"));
    let body = MessagePage {
        text: lang.t("not-available-text"),
        page,
    }
    .render()?;
    Ok(html(StatusCode::OK, body))
}

/// A page with a heading and one paragraph (no access, nothing here yet).
#[derive(Template)]
#[template(path = "message.html")]
pub(crate) struct MessagePage {
    pub(crate) page: Page,
    pub(crate) text: String,
}

/// An HTML answer that no cache keeps (pages can name clients).
pub fn html(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body)
}

/// A 303 to `location`.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

/// `next` when it is a path of this service (no scheme, no host, no `//`), else `fallback`:
/// no open redirect.
pub fn local_path<'a>(next: Option<&'a str>, fallback: &'a str) -> &'a str {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains(['\\', '\r', '\n'])
                && n.len() <= 2048 =>
        {
            n
        }
        _ => fallback,
    }
}

/// What can go wrong in a page handler that the page itself does not show.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// The database failed.
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// A template failed to render.
    #[error("template: {0}")]
    Template(#[from] askama::Error),
    /// Too many failed authentications from this address or for this account.
    #[error("too many requests")]
    TooManyRequests(std::time::Duration),
    /// A refusal or error the session layer answers with a page of its own (sign in first,
    /// a form without its CSRF token).
    #[error(transparent)]
    Page(#[from] PageError),
    /// Anything else.
    #[error("{0}")]
    Internal(String),
}

impl From<ApiError> for WebError {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::TooManyRequests { retry_after, .. } => WebError::TooManyRequests(retry_after),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<actix_web::error::BlockingError> for WebError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        WebError::Internal(e.to_string())
    }
}

/// The page shown for an error the handler could not turn into a page of its own. It has no
/// request to read the language from, so it says the same in all three.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    messages: Vec<(Lang, String, String)>,
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            WebError::Page(p) => p.status_code(),
            WebError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let WebError::Page(p) = self {
            return p.error_response();
        }
        let (title, text) = match self {
            WebError::TooManyRequests(_) => ("login-title", "login-error-too-many"),
            other => {
                tracing::error!(error = %other, "web page failed");
                ("error-page-title", "error-page-text")
            }
        };
        let seconds = match self {
            WebError::TooManyRequests(wait) => retry_after_secs(*wait),
            _ => 0,
        };
        let messages = Lang::ALL
            .into_iter()
            .map(|l| (l, l.t(title), l.t1(text, "seconds", seconds.to_string())))
            .collect();
        let body = ErrorPage { messages }
            .render()
            .unwrap_or_else(|_| "<!doctype html><title>kohtaamo</title>".into());
        let mut resp = html(self.status_code(), body);
        if let WebError::TooManyRequests(_) = self {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
        }
        resp
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_service_are_followed() {
        assert_eq!(
            local_path(Some("/dashboard?from=x"), "/"),
            "/dashboard?from=x"
        );
        assert_eq!(local_path(Some("https://elsewhere.example/"), "/"), "/");
        assert_eq!(local_path(Some("//elsewhere.example/"), "/"), "/");
        assert_eq!(local_path(Some("/\\elsewhere"), "/"), "/");
        assert_eq!(local_path(None, "/dashboard"), "/dashboard");
    }
}

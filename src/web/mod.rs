//! The web app for people: server-rendered pages (askama templates in `templates/`, escaped
//! automatically), messages in Finnish, Swedish and English ([`i18n`]), Finnish formats
//! ([`format`]), the Suomi.fi look (`static/`). Every page works without JavaScript; no page
//! has an inline script or style, so a strict `Content-Security-Policy` can apply.
//!
//! It calls the same services as the JSON API (the store, the funnel figures), never the API
//! over HTTP; the API stays JSON.
//!
//! Two seams are kept narrow so sign-in with passwords and server-side sessions can replace
//! the API-token cookie in one place each: [`signed_in_user`] finds the user of a request, and
//! [`Page::csrf_token`] fills every form's hidden `csrf_token` field (through the one
//! include, `templates/includes/csrf.html`).

mod assets;
mod dashboard;
mod employer;
mod exports;
pub mod format;
pub mod i18n;
mod language;
mod page;
mod report;
mod token_login;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;

pub use page::{FieldError, NavLink, Page};

use crate::api::{authenticate, retry_after_secs, ApiError, AppState};
use crate::domain::{Role, User};
use crate::store::StoreError;
use i18n::Lang;

/// Name of the cookie that keeps the signed-in user's API token (until server-side sessions
/// replace it): HttpOnly, SameSite=Lax.
pub const SESSION_COOKIE: &str = "kohtaamo_session";

/// Registers the web app's routes.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home))
        .route("/language", web::post().to(language::switch))
        .route("/static/{file}", web::get().to(assets::serve))
        .configure(token_login::routes)
        .configure(dashboard::routes)
        .configure(employer::routes);
}

/// The user behind a request, or `None` when nobody is signed in.
///
/// This is the one place that decides who is signed in: a bearer token (scripts and tests)
/// or the session cookie. A failed check counts against the address and the account like any
/// failed authentication.
pub async fn signed_in_user(req: &HttpRequest, state: &AppState) -> Result<Option<User>, WebError> {
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.trim().split_once(' ')?;
            scheme
                .eq_ignore_ascii_case("bearer")
                .then(|| token.trim().to_string())
        });
    let token = bearer.or_else(|| req.cookie(SESSION_COOKIE).map(|c| c.value().to_string()));
    match token.filter(|t| !t.is_empty()) {
        Some(t) => Ok(authenticate(state, req.peer_addr().map(|a| a.ip()), &t).await?),
        None => Ok(None),
    }
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
        return Ok(see_other(token_login::LOGIN_PATH));
    };
    if matches!(user.role, Role::Coordinator | Role::Coach) {
        return Ok(see_other(dashboard::DASHBOARD_PATH));
    }
    if user.role == Role::Employer {
        return Ok(see_other(employer::HOME_PATH));
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
            WebError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
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

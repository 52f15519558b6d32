//! Browser sessions: the cookie, the [`SignedIn`] extractor every signed-in page takes, and
//! the HTML error pages of the web app.
//!
//! The cookie holds a random 256-bit id and nothing else; the database keeps only its SHA-256
//! (so a copy of the database makes no cookie), with the user, a CSRF secret, and the times
//! that end it: idle (`--session-idle-minutes`) and absolute (`--session-max-hours`), both
//! checked on the server at every request. The cookie is `HttpOnly`, `SameSite=Lax`, `Path=/`,
//! and `Secure` with the `__Host-` prefix when the public URL is https. A new id is made at
//! every sign-in (the old session, if any, is deleted), so an id planted before sign-in is
//! worth nothing after it.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpMessage, HttpRequest, HttpResponse, ResponseError};
use askama::Template;
use chrono::{DateTime, Utc};
use rand::RngCore;

use super::i18n::Lang;
use crate::api::{ApiError, AppState};
use crate::domain::User;
use crate::store::{hash_token, NewSession, StoreError};

/// Where the service is reached from outside, without a trailing slash (setting
/// `--public-url`, `KOHTAAMO_PUBLIC_URL`): the base of sign-in links, and `https://` makes
/// cookies `Secure`.
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";
/// Default of `--session-idle-minutes`.
pub const DEFAULT_SESSION_IDLE_MINUTES: u64 = 30;
/// Default of `--session-max-hours`.
pub const DEFAULT_SESSION_MAX_HOURS: u64 = 12;
/// How long a one-time sign-in link works.
pub const SIGN_IN_LINK_HOURS: i64 = 24;

/// How sessions are kept (settings of `serve`).
#[derive(Debug, Clone)]
pub struct SessionConfig {
    /// The public URL, without a trailing slash.
    pub public_url: String,
    /// A session unused this long has ended.
    pub idle: Duration,
    /// A session this old has ended, used or not.
    pub max: Duration,
}

impl Default for SessionConfig {
    fn default() -> Self {
        Self::new(
            DEFAULT_PUBLIC_URL,
            Duration::from_secs(DEFAULT_SESSION_IDLE_MINUTES * 60),
            Duration::from_secs(DEFAULT_SESSION_MAX_HOURS * 60 * 60),
        )
    }
}

impl SessionConfig {
    /// Settings with `public_url` (a trailing slash is dropped).
    pub fn new(public_url: &str, idle: Duration, max: Duration) -> Self {
        Self {
            public_url: public_url.trim().trim_end_matches('/').to_string(),
            idle,
            max,
        }
    }

    /// Whether the service is reached over https: cookies are then `Secure`, with the
    /// `__Host-` prefix (which browsers accept only from a secure origin, on `Path=/`, with no
    /// `Domain`: no sibling host can set or shadow them).
    pub fn secure(&self) -> bool {
        self.public_url
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
    }

    /// Name of the session cookie.
    pub fn cookie_name(&self) -> &'static str {
        if self.secure() {
            "__Host-kohtaamo_sid"
        } else {
            "kohtaamo_sid"
        }
    }

    /// Name of the sign-in form's own cookie (see [`super::csrf`]).
    pub fn presession_cookie_name(&self) -> &'static str {
        if self.secure() {
            "__Host-kohtaamo_signin"
        } else {
            "kohtaamo_signin"
        }
    }

    /// The one-time sign-in link for `secret`.
    pub fn sign_in_link(&self, secret: &str) -> String {
        format!("{}/signin/link/{secret}", self.public_url)
    }

    /// A cookie named `name` holding `value`, with this service's attributes.
    pub(crate) fn cookie(&self, name: &'static str, value: String) -> Cookie<'static> {
        Cookie::build(name, value)
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(self.secure())
            .finish()
    }

    /// A cookie that removes cookie `name` from the browser.
    pub(crate) fn removal(&self, name: &'static str) -> Cookie<'static> {
        let mut c = self.cookie(name, String::new());
        c.make_removal();
        c
    }

    /// How often a session's last use is written: often enough that the idle limit holds to
    /// within a tenth of it, at most once a minute.
    fn touch_every(&self) -> Duration {
        (self.idle / 10).min(Duration::from_secs(60))
    }
}

/// A signed-in person's session.
#[derive(Debug, Clone)]
pub struct Session {
    /// Row id (not the cookie).
    pub id: i64,
    /// The token every state-changing form of this session carries as `csrf_token`.
    pub csrf_token: String,
    /// When it began.
    pub created_at: DateTime<Utc>,
    /// When it ends at the latest.
    pub expires_at: DateTime<Utc>,
    /// Begun through a one-time sign-in link (may set a password without the current one).
    pub via_link: bool,
    /// The CSRF secret the token comes from.
    pub(crate) csrf_secret: String,
}

/// The person behind a request to a web page, and their session. As an extractor it sends a
/// browser without a live session to `/signin?next=<this page>`.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// Who.
    pub user: User,
    /// Their session.
    pub session: Session,
}

impl SignedIn {
    /// A 403 page unless the person has one of `roles` (`what`: what they tried, in words).
    pub fn require(&self, roles: &[crate::domain::Role], what: &str) -> Result<(), PageError> {
        if roles.contains(&self.user.role) {
            Ok(())
        } else {
            Err(PageError::Forbidden(format!(
                "the {} role may not {what}",
                self.user.role
            )))
        }
    }
}

/// The outcome of looking the session up, kept for the rest of the request (the page's
/// extractor and the form's CSRF check read it once).
#[derive(Clone)]
struct Looked(Option<SignedIn>);

/// The request's live session, if any (read from the database once per request).
pub async fn current(req: &HttpRequest, state: &AppState) -> Result<Option<SignedIn>, PageError> {
    if let Some(Looked(found)) = req.extensions().get::<Looked>() {
        return Ok(found.clone());
    }
    let config = &state.sessions;
    let found = match req.cookie(config.cookie_name()) {
        Some(cookie) if !cookie.value().is_empty() => {
            let now = Utc::now();
            let idle_cutoff = now - to_chrono(config.idle);
            let touch_before = now - to_chrono(config.touch_every());
            state
                .store
                .session(&hash_token(cookie.value()), now, idle_cutoff, touch_before)
                .await?
                .map(|s| SignedIn {
                    user: s.user,
                    session: Session {
                        id: s.id,
                        csrf_token: super::csrf::token(&s.csrf_secret),
                        created_at: s.created_at,
                        expires_at: s.expires_at,
                        via_link: s.via_link,
                        csrf_secret: s.csrf_secret,
                    },
                })
        }
        _ => None,
    };
    if let Some(s) = &found {
        tracing::Span::current().record("user_id", s.user.id);
    }
    req.extensions_mut().insert(Looked(found.clone()));
    Ok(found)
}

/// The session [`current`] found earlier in this request, if any (without a database read).
pub fn cached(req: &HttpRequest) -> Option<SignedIn> {
    req.extensions()
        .get::<Looked>()
        .and_then(|Looked(found)| found.clone())
}

impl FromRequest for SignedIn {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, PageError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let state = app_state(&req)?;
            current(&req, &state)
                .await?
                .ok_or_else(|| PageError::SignIn {
                    next: (req.method() == actix_web::http::Method::GET).then(|| {
                        let uri = req.uri();
                        uri.path_and_query()
                            .map(|pq| pq.as_str().to_string())
                            .unwrap_or_else(|| uri.path().to_string())
                    }),
                })
        })
    }
}

pub(crate) fn app_state(req: &HttpRequest) -> Result<web::Data<AppState>, PageError> {
    req.app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| PageError::Internal("app state missing".into()))
}

fn to_chrono(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// 256 random bits, hex.
pub(crate) fn random_id() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A session about to begin: its id (the cookie's value, shown to nobody else) and the row
/// to store.
pub(crate) struct Beginning {
    id: String,
    id_hash: String,
    csrf_secret: String,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    user_agent: Option<String>,
    via_link: bool,
}

impl Beginning {
    /// A fresh id and CSRF secret for a session begun now from `req`.
    pub(crate) fn new(config: &SessionConfig, req: &HttpRequest, via_link: bool) -> Self {
        let id = random_id();
        let now = Utc::now();
        Self {
            id_hash: hash_token(&id),
            id,
            csrf_secret: random_id(),
            now,
            expires_at: now + to_chrono(config.max),
            user_agent: req
                .headers()
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .map(|ua| ua.chars().filter(|c| !c.is_control()).take(200).collect()),
            via_link,
        }
    }

    /// The row to store.
    pub(crate) fn row(&self) -> NewSession<'_> {
        NewSession {
            id_hash: &self.id_hash,
            csrf_secret: &self.csrf_secret,
            now: self.now,
            expires_at: self.expires_at,
            via_link: self.via_link,
            user_agent: self.user_agent.as_deref(),
        }
    }

    /// The session cookie. It carries no `Max-Age`: the server ends the session, and a
    /// browser that closes forgets it sooner.
    pub(crate) fn cookie(&self, config: &SessionConfig) -> Cookie<'static> {
        config.cookie(config.cookie_name(), self.id.clone())
    }
}

/// Ends the session the browser holds now, if any (before another begins, and at sign-out).
pub(crate) async fn end_current(req: &HttpRequest, state: &AppState) -> Result<(), PageError> {
    if let Some(cookie) = req.cookie(state.sessions.cookie_name()) {
        if !cookie.value().is_empty() {
            state
                .store
                .delete_session(&hash_token(cookie.value()))
                .await?;
        }
    }
    req.extensions_mut().insert(Looked(None));
    Ok(())
}

/// `path` as request logs may show it: a one-time sign-in link's secret is left out (the link
/// may still work when its use failed, and logs are read by more people than the link was
/// meant for).
pub fn loggable_path(path: &str) -> String {
    match path.strip_prefix("/signin/link/") {
        Some(secret) if !secret.is_empty() => "/signin/link/…".to_string(),
        _ => path.to_string(),
    }
}

/// A `next` address that stays on this site: a path of its own (`/…`, not `//…` or `/\…`,
/// which browsers read as another host), without control characters, at most 2 KiB.
pub fn safe_next(next: Option<&str>) -> Option<&str> {
    next.filter(|n| {
        n.starts_with('/')
            && !n.starts_with("//")
            && !n.starts_with("/\\")
            && n.len() <= 2048
            && !n.chars().any(|c| c.is_control() || c == '\\')
    })
}

/// The sign-in page's address, coming back to `next` afterwards.
pub fn sign_in_url(next: Option<&str>) -> String {
    match safe_next(next) {
        Some(next) => {
            let query: String = form_urlencoded::Serializer::new(String::new())
                .append_pair("next", next)
                .finish();
            format!("/signin?{query}")
        }
        None => "/signin".to_string(),
    }
}

/// A web page's error, shown as a page (never as JSON).
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// No live session: to the sign-in page, and back to `next` afterwards.
    #[error("sign in first")]
    SignIn {
        /// The page asked for.
        next: Option<String>,
    },
    /// Refused: a form without its session's CSRF token, or sent from another site.
    #[error("a form without its CSRF token, or from another site")]
    FormRefused,
    /// Refused: a role that may not (the detail goes to the log, the page says it plainly).
    #[error("{0}")]
    Forbidden(String),
    /// A form that could not be read.
    #[error("{0}")]
    BadRequest(String),
    /// Too many failed attempts; answered with `Retry-After`.
    #[error("too many failed attempts")]
    TooManyRequests {
        /// Time until another attempt can pass.
        retry_after: Duration,
    },
    /// Nothing there.
    #[error("{0}")]
    NotFound(String),
    /// Something broke on our side; details go to the log.
    #[error("internal error")]
    Internal(String),
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        PageError::Internal(e.to_string())
    }
}

impl From<actix_web::error::BlockingError> for PageError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        PageError::Internal(e.to_string())
    }
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::TooManyRequests { retry_after, .. } => {
                PageError::TooManyRequests { retry_after }
            }
            ApiError::Forbidden(m) => PageError::Forbidden(m),
            ApiError::NotFound(m) => PageError::NotFound(m),
            other => PageError::Internal(other.to_string()),
        }
    }
}

impl From<crate::api::Throttled> for PageError {
    fn from(t: crate::api::Throttled) -> Self {
        PageError::TooManyRequests {
            retry_after: t.retry_after,
        }
    }
}

/// The page of a refusal or error. It has no request to read the language from, so it says
/// the same in all three (as the web app's own error page does).
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    messages: Vec<(Lang, String, String)>,
}

/// Renders `template`, or a plain-text 500 when the template itself fails (it cannot: askama
/// checks templates at compile time, but rendering still returns a `Result`).
pub(crate) fn html(status: StatusCode, template: &impl Template) -> HttpResponse {
    match template.render() {
        Ok(body) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(body),
        Err(e) => {
            tracing::error!(error = %e, "a page could not be rendered");
            HttpResponse::InternalServerError()
                .content_type("text/plain; charset=utf-8")
                .body("internal error")
        }
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::SignIn { .. } => StatusCode::SEE_OTHER,
            PageError::FormRefused | PageError::Forbidden(_) => StatusCode::FORBIDDEN,
            PageError::BadRequest(_) => StatusCode::BAD_REQUEST,
            PageError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            PageError::NotFound(_) => StatusCode::NOT_FOUND,
            PageError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (title, text) = match self {
            PageError::SignIn { next } => {
                return HttpResponse::SeeOther()
                    .insert_header((header::LOCATION, sign_in_url(next.as_deref())))
                    .finish();
            }
            PageError::FormRefused => ("page-refused-title", "page-refused-text"),
            PageError::Forbidden(detail) => {
                tracing::info!(refused = %detail, "page refused");
                ("forbidden-title", "page-forbidden-text")
            }
            PageError::BadRequest(detail) => {
                tracing::info!(refused = %detail, "form not read");
                ("page-bad-request-title", "page-bad-request-text")
            }
            PageError::NotFound(detail) => {
                tracing::info!(detail = %detail, "page not found");
                ("not-found-title", "page-not-found-text")
            }
            PageError::TooManyRequests { .. } => ("page-too-many-title", "signin-error-too-many"),
            PageError::Internal(detail) => {
                tracing::error!(error = %detail, "page failed");
                ("error-page-title", "error-page-text")
            }
        };
        let seconds = match self {
            PageError::TooManyRequests { retry_after } => {
                crate::api::retry_after_secs(*retry_after)
            }
            _ => 0,
        };
        let messages = Lang::ALL
            .into_iter()
            .map(|l| (l, l.t(title), l.t1(text, "seconds", seconds.to_string())))
            .collect();
        let mut response = html(self.status_code(), &ErrorPage { messages });
        if let PageError::TooManyRequests { retry_after } = self {
            let secs = crate::api::retry_after_secs(*retry_after);
            if let Ok(value) = header::HeaderValue::from_str(&secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_this_site() {
        assert_eq!(
            safe_next(Some("/dashboard?from=1")),
            Some("/dashboard?from=1")
        );
        for bad in [
            "https://elsewhere.example/",
            "//elsewhere.example/",
            "/\\elsewhere.example",
            "dashboard",
            "/a\r\nSet-Cookie: x=1",
        ] {
            assert_eq!(safe_next(Some(bad)), None, "{bad:?}");
        }
        assert_eq!(
            sign_in_url(Some("/account?x=1&y=2")),
            "/signin?next=%2Faccount%3Fx%3D1%26y%3D2"
        );
        assert_eq!(sign_in_url(Some("https://x.example")), "/signin");
    }

    #[test]
    fn a_sign_in_links_secret_stays_out_of_request_logs() {
        assert_eq!(
            loggable_path(&format!("/signin/link/{}", "ab".repeat(32))),
            "/signin/link/…"
        );
        assert_eq!(loggable_path("/api/v1/clients/7"), "/api/v1/clients/7");
    }

    #[test]
    fn https_makes_cookies_secure_and_host_prefixed() {
        let plain = SessionConfig::default();
        assert!(!plain.secure());
        assert_eq!(plain.cookie_name(), "kohtaamo_sid");
        let secure = SessionConfig::new(
            "https://kohtaamo.example.fi/",
            Duration::from_secs(60),
            Duration::from_secs(3600),
        );
        assert!(secure.secure());
        assert_eq!(secure.public_url, "https://kohtaamo.example.fi");
        let c = secure.cookie(secure.cookie_name(), "x".into());
        assert_eq!(c.name(), "__Host-kohtaamo_sid");
        assert_eq!(c.secure(), Some(true));
        assert_eq!(c.http_only(), Some(true));
        assert_eq!(c.path(), Some("/"));
        assert_eq!(c.same_site(), Some(SameSite::Lax));
        assert_eq!(
            secure.sign_in_link("abc"),
            "https://kohtaamo.example.fi/signin/link/abc"
        );
    }
}

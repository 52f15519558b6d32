//! Signing in and out, and the person's own account page.
//!
//! - `GET/POST /signin`: e-mail address and password. A failure says only that one of the two
//!   was wrong, takes as long whether or not the address exists, and counts against the
//!   client address and the account (the address typed) like a bad API token; past the limit,
//!   429 with `Retry-After`. Login CSRF is refused (see [`super::csrf`]).
//! - `GET /signin/link/{secret}`: a one-time sign-in link (printed by `kohtaamo users link`,
//!   made by the admin API). It signs in once, then leads to `/account/password` to set a
//!   password (or to `next` when given). Only a top-level navigation uses it (an image or a
//!   script of another site cannot sign the browser in); wrong links count as failures.
//! - `POST /signout`: ends the session on the server and removes the cookie.
//! - `GET /account`: name, role, the person's live sessions, "sign out everywhere"
//!   (`POST /account/sign-out-everywhere`) and the password form (`GET/POST
//!   /account/password`). A new password ends every other session.

use std::net::IpAddr;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::csrf::{self, CsrfForm};
use super::i18n::Lang;
use super::page::{role_name, Page};
use super::session::{
    current, end_current, html, random_id, safe_next, Beginning, PageError, SignedIn,
};
use super::{format, request_lang, MessagePage};
use crate::api::{retry_after_secs, AppState, Throttled};
use crate::domain::{password_matches, Email, Password, User, MIN_PASSWORD};

/// A turn at password work (argon2id: tens of milliseconds and 19 MiB each), at most as many at
/// once as there are cores: a burst of sign-in attempts queues here instead of taking a thread
/// and its memory each. The rate limit is checked again once a turn comes, and a failure is
/// counted before the turn ends, so attempts sent all at once cannot slip past the limit.
async fn password_turn() -> Result<tokio::sync::SemaphorePermit<'static>, PageError> {
    static SLOTS: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        tokio::sync::Semaphore::new(cores)
    });
    SLOTS
        .acquire()
        .await
        .map_err(|e| PageError::Internal(e.to_string()))
}

/// Where a person goes after signing in when no page was asked for.
pub const AFTER_SIGN_IN: &str = "/";

/// Registers the sign-in, sign-out and account pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/signin", web::get().to(sign_in_form))
        .route("/signin", web::post().to(sign_in))
        .route("/signin/link/{secret}", web::get().to(sign_in_with_link))
        .route("/signout", web::post().to(sign_out))
        .route("/account", web::get().to(account))
        .route(
            "/account/sign-out-everywhere",
            web::post().to(sign_out_everywhere),
        )
        .route("/account/password", web::get().to(password_form))
        .route("/account/password", web::post().to(set_password));
}

/// The sign-in form.
#[derive(Template)]
#[template(path = "signin/form.html")]
struct SignInPage<'a> {
    page: Page,
    next: Option<&'a str>,
    email: &'a str,
    error: Option<String>,
}

/// A page with a heading and one paragraph in the request's language (a link that does not
/// work, a form that expired), answered with `status`.
fn message(req: &HttpRequest, status: StatusCode, title: &str, text: &str) -> HttpResponse {
    let lang = request_lang(req);
    let page = MessagePage {
        page: Page::new(req, lang, None, lang.t(title)),
        text: lang.t(text),
    };
    html(status, &page)
}

fn query_param(req: &HttpRequest, name: &str) -> Option<String> {
    form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

fn peer(req: &HttpRequest) -> Option<IpAddr> {
    req.peer_addr().map(|a| a.ip())
}

/// The sign-in cookie's value when it looks like one this service made.
fn sign_in_cookie(req: &HttpRequest, state: &AppState) -> Option<String> {
    req.cookie(state.sessions.presession_cookie_name())
        .map(|c| c.value().to_string())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The sign-in page (`status`), with the sign-in cookie set when the browser has none yet.
fn sign_in_page(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    next: Option<&str>,
    email: &str,
    error: Option<String>,
) -> HttpResponse {
    let (cookie_value, fresh) = match sign_in_cookie(req, state) {
        Some(v) => (v, false),
        None => (random_id(), true),
    };
    let lang = request_lang(req);
    let mut layout = Page::new(req, lang, None, lang.t("signin-title"));
    // Every form of the page, the language switch's too, carries the sign-in form's token.
    layout.csrf_token = csrf::sign_in_token(&cookie_value);
    layout.has_errors = error.is_some();
    let page = SignInPage {
        page: layout,
        next: safe_next(next),
        email,
        error,
    };
    let mut response = html(status, &page);
    if fresh {
        let config = &state.sessions;
        let cookie = config.cookie(config.presession_cookie_name(), cookie_value);
        if let Err(e) = response.add_cookie(&cookie) {
            tracing::warn!(error = %e, "could not set the sign-in cookie");
        }
    }
    response
}

/// `GET /signin`.
async fn sign_in_form(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let next = query_param(&req, "next");
    sign_in_page(&req, &state, StatusCode::OK, next.as_deref(), "", None)
}

fn too_many(lang: Lang, retry_after: std::time::Duration) -> String {
    let secs = retry_after_secs(retry_after);
    lang.t1("signin-error-too-many", "seconds", secs.to_string())
}

/// The account a sign-in attempt names, for the rate limit: the address as typed (folded),
/// whether or not it exists.
fn email_account(raw: &str) -> String {
    let folded: String = raw.trim().to_lowercase().chars().take(254).collect();
    format!("email:{folded}")
}

/// `POST /signin`.
#[tracing::instrument(name = "web.sign_in", skip_all, fields(user_id = tracing::field::Empty))]
async fn sign_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let lang = request_lang(&req);
    let fields = match csrf::parse_form(&body) {
        Ok(f) => f,
        Err(PageError::BadRequest(_)) => {
            let error = lang.t("signin-error-unreadable");
            return Ok(sign_in_page(
                &req,
                &state,
                StatusCode::BAD_REQUEST,
                None,
                "",
                Some(error),
            ));
        }
        Err(e) => return Err(e),
    };
    let next = csrf::field(&fields, "next");
    let raw_email = csrf::field(&fields, "email").unwrap_or_default();
    let password = csrf::field(&fields, "password").unwrap_or_default();
    csrf::check_origin(&req, &state.sessions)?;
    let expected = sign_in_cookie(&req, &state).map(|c| csrf::sign_in_token(&c));
    if !expected.is_some_and(|t| csrf::matches(&t, csrf::field(&fields, csrf::FIELD))) {
        return Ok(message(
            &req,
            StatusCode::FORBIDDEN,
            "signin-expired-title",
            "signin-expired-text",
        ));
    }
    let page = |status, error| sign_in_page(&req, &state, status, next, raw_email, Some(error));
    let address = peer(&req);
    let account = email_account(raw_email);
    let turn = password_turn().await?;
    if let Err(t) = state.limiter.before_authentication(address, &account) {
        return Ok(throttled_page(
            page(StatusCode::TOO_MANY_REQUESTS, too_many(lang, t.retry_after)),
            &t,
        ));
    }
    let found = match Email::parse("email", raw_email) {
        Ok(email) => state.store.user_by_email(&email).await?,
        Err(_) => None,
    };
    let (user, hash) = match found {
        Some((user, hash)) => (Some(user), hash),
        None => (None, None),
    };
    let candidate = password.to_string();
    let verified = web::block(move || password_matches(hash.as_deref(), &candidate)).await?;
    let Some(user) = user.filter(|_| verified) else {
        // Counted before the turn ends: the next attempt in the queue sees it.
        let failed = state.limiter.failed_authentication(address, &account);
        drop(turn);
        return Ok(match failed {
            Err(t) => throttled_page(
                page(StatusCode::TOO_MANY_REQUESTS, too_many(lang, t.retry_after)),
                &t,
            ),
            Ok(()) => page(StatusCode::UNAUTHORIZED, lang.t("signin-error-wrong")),
        });
    };
    drop(turn);
    let target = safe_next(next).unwrap_or(AFTER_SIGN_IN).to_string();
    begin_session(&req, &state, &user, &target).await
}

/// Adds `Retry-After` to a 429 page.
fn throttled_page(mut response: HttpResponse, t: &Throttled) -> HttpResponse {
    let secs = retry_after_secs(t.retry_after);
    if let Ok(v) = header::HeaderValue::from_str(&secs.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, v);
    }
    response
}

/// Begins a session for `user` (ending the one the browser held) and sends it to `target`.
async fn begin_session(
    req: &HttpRequest,
    state: &AppState,
    user: &User,
    target: &str,
) -> Result<HttpResponse, PageError> {
    end_current(req, state).await?;
    let beginning = Beginning::new(&state.sessions, req, false);
    state
        .store
        .create_session(user.id, &beginning.row())
        .await?;
    prune_later(state);
    tracing::info!(user_id = user.id, "signed in");
    Ok(after_sign_in(state, &beginning, target))
}

/// The redirect that carries a new session's cookie (and drops the sign-in cookie).
fn after_sign_in(state: &AppState, beginning: &Beginning, target: &str) -> HttpResponse {
    let config = &state.sessions;
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, target))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .cookie(beginning.cookie(config))
        .cookie(config.removal(config.presession_cookie_name()))
        .finish()
}

/// Deletes ended sessions and used links in the background (at sign-in: there is no table to
/// grow without sign-ins).
fn prune_later(state: &AppState) {
    let store = state.store.clone();
    let idle = chrono::Duration::from_std(state.sessions.idle).unwrap_or(chrono::Duration::MAX);
    tokio::spawn(async move {
        let now = Utc::now();
        if let Err(e) = store.prune_sessions(now, now - idle).await {
            tracing::warn!(error = %e, "could not delete ended sessions");
        }
    });
}

/// `GET /signin/link/{secret}`.
#[tracing::instrument(name = "web.sign_in_with_link", skip_all, fields(user_id = tracing::field::Empty))]
async fn sign_in_with_link(
    req: HttpRequest,
    state: web::Data<AppState>,
    secret: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let navigating = req
        .headers()
        .get("sec-fetch-mode")
        .and_then(|v| v.to_str().ok())
        .is_none_or(|m| m.eq_ignore_ascii_case("navigate"));
    if !navigating {
        return Ok(message(
            &req,
            StatusCode::FORBIDDEN,
            "signin-link-title",
            "signin-link-not-page",
        ));
    }
    let secret = secret.into_inner();
    let address = peer(&req);
    let account = format!("link:{}", secret.chars().take(12).collect::<String>());
    state
        .limiter
        .before_authentication(address, &account)
        .map_err(PageError::from)?;
    let beginning = Beginning::new(&state.sessions, &req, true);
    let well_formed = secret.len() == 64 && secret.bytes().all(|b| b.is_ascii_hexdigit());
    let signed_in = if well_formed {
        state
            .store
            .sign_in_with_link(&secret.to_ascii_lowercase(), &beginning.row())
            .await?
    } else {
        None
    };
    let Some((user, session_id)) = signed_in else {
        state
            .limiter
            .failed_authentication(address, &account)
            .map_err(PageError::from)?;
        return Ok(message(
            &req,
            StatusCode::NOT_FOUND,
            "signin-link-title",
            "signin-link-used",
        ));
    };
    // The browser's earlier session (if any) ends; the new one is not it.
    if let Some(cookie) = req.cookie(state.sessions.cookie_name()) {
        let old = crate::store::hash_token(cookie.value());
        state.store.delete_session(&old).await?;
    }
    prune_later(&state);
    tracing::info!(
        user_id = user.id,
        session_id,
        "signed in with a one-time link"
    );
    let next = query_param(&req, "next");
    let target = match safe_next(next.as_deref()) {
        Some(next) => next.to_string(),
        None => "/account/password".to_string(),
    };
    Ok(after_sign_in(&state, &beginning, &target))
}

/// `POST /signout`: ends the session (checked by its CSRF token: another site cannot sign the
/// browser out either).
#[tracing::instrument(name = "web.sign_out", skip_all, fields(user_id = tracing::field::Empty))]
async fn sign_out(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, PageError> {
    let config = &state.sessions;
    let to_sign_in = || {
        HttpResponse::SeeOther()
            .insert_header((header::LOCATION, "/signin"))
            .cookie(config.removal(config.cookie_name()))
            .finish()
    };
    let Some(signed_in) = current(&req, &state).await? else {
        return Ok(to_sign_in());
    };
    csrf::check_origin(&req, config)?;
    let fields = csrf::parse_form(&body)?;
    csrf::verify(&signed_in, csrf::field(&fields, csrf::FIELD))?;
    end_current(&req, &state).await?;
    tracing::info!(user_id = signed_in.user.id, "signed out");
    Ok(to_sign_in())
}

/// One of the person's sessions, as the account page lists it.
struct SessionRow {
    created_at: String,
    last_seen_at: String,
    expires_at: String,
    user_agent: String,
    current: bool,
}

/// The account page.
#[derive(Template)]
#[template(path = "account/index.html")]
struct AccountPage<'a> {
    page: Page,
    name: &'a str,
    role: String,
    email: Option<String>,
    notice: Option<String>,
    sessions: Vec<SessionRow>,
    next: Option<&'a str>,
    needs_current: bool,
    min_password: usize,
}

/// Whether changing the password of `signed_in` asks for the current one: unless there is none
/// yet, or the session began through a one-time link (which stands in for it).
async fn needs_current(state: &AppState, signed_in: &SignedIn) -> Result<bool, PageError> {
    if signed_in.session.via_link {
        return Ok(false);
    }
    Ok(state
        .store
        .password_hash(signed_in.user.id)
        .await?
        .is_some())
}

/// `GET /account`.
#[tracing::instrument(name = "web.account", skip_all, fields(user_id = tracing::field::Empty))]
async fn account(
    req: HttpRequest,
    state: web::Data<AppState>,
    signed_in: SignedIn,
) -> Result<HttpResponse, PageError> {
    let lang = request_lang(&req);
    let when = |t: DateTime<Utc>| format::date_time(lang, t);
    let now = Utc::now();
    let idle = chrono::Duration::from_std(state.sessions.idle).unwrap_or(chrono::Duration::MAX);
    let sessions = state
        .store
        .sessions_of(signed_in.user.id, now, now - idle)
        .await?
        .into_iter()
        .map(|s| SessionRow {
            created_at: when(s.created_at),
            last_seen_at: when(s.last_seen_at),
            expires_at: when(s.expires_at),
            user_agent: s.user_agent.unwrap_or_else(|| "–".into()),
            current: s.id == signed_in.session.id,
        })
        .collect();
    let account = state.store.account(signed_in.user.id).await?;
    let notice = (query_param(&req, "password").as_deref() == Some("changed"))
        .then(|| lang.t("account-password-changed"));
    let page = AccountPage {
        page: Page::new(&req, lang, Some(&signed_in.user), lang.t("account-title")),
        name: &signed_in.user.name,
        role: role_name(lang, signed_in.user.role),
        email: account.email,
        notice,
        sessions,
        next: None,
        needs_current: needs_current(&state, &signed_in).await?,
        min_password: MIN_PASSWORD,
    };
    Ok(html(StatusCode::OK, &page))
}

/// A form with nothing but its CSRF token.
#[derive(Deserialize)]
struct Nothing {}

/// `POST /account/sign-out-everywhere`: ends every session of the person, this one too.
#[tracing::instrument(name = "web.sign_out_everywhere", skip_all, fields(user_id = tracing::field::Empty))]
async fn sign_out_everywhere(
    state: web::Data<AppState>,
    posted: CsrfForm<Nothing>,
) -> Result<HttpResponse, PageError> {
    let CsrfForm {
        signed_in,
        form: Nothing {},
    } = posted;
    let ended = state.store.delete_sessions_of(signed_in.user.id).await?;
    tracing::info!(user_id = signed_in.user.id, ended, "signed out everywhere");
    let config = &state.sessions;
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, "/signin"))
        .cookie(config.removal(config.cookie_name()))
        .finish())
}

/// The password page.
#[derive(Template)]
#[template(path = "account/password.html")]
struct PasswordPage<'a> {
    page: Page,
    name: &'a str,
    error: Option<String>,
    next: Option<&'a str>,
    needs_current: bool,
    min_password: usize,
}

/// `GET /account/password`.
#[tracing::instrument(name = "web.password_form", skip_all, fields(user_id = tracing::field::Empty))]
async fn password_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    signed_in: SignedIn,
) -> Result<HttpResponse, PageError> {
    let next = query_param(&req, "next");
    let lang = request_lang(&req);
    let page = PasswordPage {
        page: Page::new(&req, lang, Some(&signed_in.user), lang.t("password-title")),
        name: &signed_in.user.name,
        error: None,
        next: safe_next(next.as_deref()),
        needs_current: needs_current(&state, &signed_in).await?,
        min_password: MIN_PASSWORD,
    };
    Ok(html(StatusCode::OK, &page))
}

/// Body of `POST /account/password`.
#[derive(Deserialize)]
struct PasswordFormBody {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
    #[serde(default)]
    next: Option<String>,
}

/// `POST /account/password`: sets a new password and ends every other session.
#[tracing::instrument(name = "web.set_password", skip_all, fields(user_id = tracing::field::Empty))]
async fn set_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    posted: CsrfForm<PasswordFormBody>,
) -> Result<HttpResponse, PageError> {
    let CsrfForm { signed_in, form } = posted;
    let needs_current = needs_current(&state, &signed_in).await?;
    let next = safe_next(form.next.as_deref());
    let lang = request_lang(&req);
    let refuse = |status: StatusCode, error: String| {
        let mut layout = Page::new(&req, lang, Some(&signed_in.user), lang.t("password-title"));
        layout.has_errors = true;
        let page = PasswordPage {
            page: layout,
            name: &signed_in.user.name,
            error: Some(error),
            next,
            needs_current,
            min_password: MIN_PASSWORD,
        };
        html(status, &page)
    };
    if form.new_password != form.confirm_password {
        return Ok(refuse(
            StatusCode::UNPROCESSABLE_ENTITY,
            lang.t("password-error-differ"),
        ));
    }
    let password = match Password::parse("new_password", &form.new_password) {
        Ok(p) => p,
        Err(_) => {
            return Ok(refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                lang.t1("password-error-short", "min", MIN_PASSWORD.to_string()),
            ))
        }
    };
    if needs_current {
        let address = peer(&req);
        let account = format!("user:{}", signed_in.user.id);
        let turn = password_turn().await?;
        if let Err(t) = state.limiter.before_authentication(address, &account) {
            let page = refuse(StatusCode::TOO_MANY_REQUESTS, too_many(lang, t.retry_after));
            return Ok(throttled_page(page, &t));
        }
        let stored = state.store.password_hash(signed_in.user.id).await?;
        let candidate = form.current_password.clone();
        let verified = web::block(move || password_matches(stored.as_deref(), &candidate)).await?;
        if !verified {
            let failed = state.limiter.failed_authentication(address, &account);
            drop(turn);
            return Ok(match failed {
                Err(t) => throttled_page(
                    refuse(StatusCode::TOO_MANY_REQUESTS, too_many(lang, t.retry_after)),
                    &t,
                ),
                Ok(()) => refuse(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    lang.t("password-error-wrong"),
                ),
            });
        }
    }
    let turn = password_turn().await?;
    let hash = web::block(move || password.hash()).await?;
    drop(turn);
    let hash = hash.map_err(|e| PageError::Internal(e.to_string()))?;
    state
        .store
        .set_password(signed_in.user.id, &hash, Some(signed_in.session.id))
        .await?;
    tracing::info!(user_id = signed_in.user.id, "password set");
    let target = next.unwrap_or("/account?password=changed");
    Ok(HttpResponse::SeeOther()
        .insert_header((header::LOCATION, target))
        .finish())
}

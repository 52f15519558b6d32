//! The coach's workspace: the caseload in the order of the day's work, registering a client,
//! the client page (wishes, suggestions with reasons and one-click answers, the history as a
//! timeline), the funnel's steps and their corrections in a form, asking an employer for
//! feedback on a placement, the wishes form, a printable shortlist for the client, and search.
//!
//! Every page calls the same services as the JSON API (`crate::api::caseload_overview`,
//! `crate::api::suggestions`, `crate::api::run_search`, the store), so the rules, the access
//! log and the rate limits are the API's. Pages work without JavaScript: each action is a form
//! that posts and comes back with a 303 (or the form again, with its errors, and nothing typed
//! lost).

mod answers;
mod caseload;
mod client;
mod client_form;
mod employers;
mod events;
mod search;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::i18n::Lang;
use super::page::Page;
use super::{html, signed_in_user, MessagePage, WebError};
use crate::api::{ApiError, AppState, Caller};
use crate::domain::{AccessAction, AccessTarget, DenialReason, Role};
use crate::store::Access;

/// The caseload page: where a coach starts.
pub const CASELOAD_PATH: &str = "/caseload";
/// The search page.
pub const SEARCH_PATH: &str = "/search";
/// The employer register.
pub const REGISTER_PATH: &str = "/employers";
/// The new-client form.
pub const NEW_CLIENT_PATH: &str = "/clients/new";

/// Largest form body a coach's page accepts.
const FORM_LIMIT: usize = 64 * 1024;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(CASELOAD_PATH, web::get().to(caseload::page))
        .service(
            web::resource(NEW_CLIENT_PATH)
                .app_data(web::PayloadConfig::new(FORM_LIMIT))
                .route(web::get().to(client_form::new_form))
                .route(web::post().to(client_form::create)),
        )
        .route("/clients/{id}", web::get().to(client::page))
        .route("/clients/{id}/shortlist", web::get().to(client::shortlist))
        .service(
            web::resource("/clients/{id}/edit")
                .app_data(web::PayloadConfig::new(FORM_LIMIT))
                .route(web::get().to(client_form::edit_form))
                .route(web::post().to(client_form::update)),
        )
        .service(
            web::resource("/clients/{id}/answers")
                .app_data(web::PayloadConfig::new(FORM_LIMIT))
                .route(web::post().to(answers::record)),
        )
        .route("/clients/{id}/events/new", web::get().to(events::new_form))
        .route(
            "/clients/{id}/events/{event}/correct",
            web::get().to(events::correct_form),
        )
        .service(
            web::resource("/clients/{id}/events")
                .app_data(web::PayloadConfig::new(FORM_LIMIT))
                .route(web::post().to(events::record)),
        )
        .service(
            web::resource("/clients/{id}/feedback-requests")
                .app_data(web::PayloadConfig::new(FORM_LIMIT))
                .route(web::post().to(events::request_feedback)),
        )
        .route(SEARCH_PATH, web::get().to(search::page))
        .route(REGISTER_PATH, web::get().to(employers::register))
        .route("/employers/{id}", web::get().to(employers::page))
        .service(
            web::resource("/employers/{id}/contacts")
                .app_data(web::PayloadConfig::new(FORM_LIMIT))
                .route(web::post().to(employers::log_contact)),
        );
}

/// The signed-in coach of the request, or the answer for anyone else: the sign-in page for
/// nobody, a 403 page for another role (written to the access log as a denied `action` on
/// `target`).
pub(crate) async fn coach(
    req: &HttpRequest,
    state: &AppState,
    lang: Lang,
    action: AccessAction,
    target: AccessTarget<'_>,
) -> Result<Result<Caller, HttpResponse>, WebError> {
    let Some(user) = signed_in_user(req, state).await? else {
        return Ok(Err(super::sign_in_first(req)));
    };
    if user.role != Role::Coach {
        let access = Access::denied(user.id, action, target, DenialReason::Role);
        state.store.log_access(&access).await?;
        let page = Page::new(req, lang, Some(&user), lang.t("forbidden-title"));
        let body = MessagePage {
            text: lang.t("coach-only-text"),
            page,
        }
        .render()?;
        return Ok(Err(html(StatusCode::FORBIDDEN, body)));
    }
    Ok(Ok(Caller(user)))
}

/// A page that says the client (or page) is not there: another coach's client and an id
/// that names none look the same.
pub(crate) fn not_found(
    req: &HttpRequest,
    lang: Lang,
    caller: &Caller,
) -> Result<HttpResponse, WebError> {
    let page = Page::new(req, lang, Some(&caller.0), lang.t("client-not-found-title"));
    let body = MessagePage {
        text: lang.t("client-not-found-text"),
        page,
    }
    .render()?;
    Ok(html(StatusCode::NOT_FOUND, body))
}

/// Maps an API-layer refusal to the page a person sees: a missing client is the not-found
/// page, a rate limit the error page that says when to try again; anything else an error.
pub(crate) fn api_refusal(
    req: &HttpRequest,
    lang: Lang,
    caller: &Caller,
    e: ApiError,
) -> Result<HttpResponse, WebError> {
    match e {
        ApiError::NotFound(_) => not_found(req, lang, caller),
        other => Err(other.into()),
    }
}

/// Reads a urlencoded form body into (name, value) pairs; what cannot be read is dropped
/// rather than failing, and the form shown again says which fields are missing.
pub(crate) fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The first value of field `name`.
pub(crate) fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

//! The employer's pages: its own vacancies and subcontracting tasks (listed and closed in
//! [`postings`], posted and edited in [`vacancy_form`] and [`task_form`]) and the work-trial
//! feedback forms addressed to it ([`feedback`]).
//!
//! An employer user acts for its own employer only: another employer's posting or form is
//! "not found", exactly as in the API. No page here reads a client: a feedback form says which
//! placement it is about by its type, first day and posting, never by the person.
//!
//! The writes go through the same domain parsing, store functions and index wait as the JSON
//! API (`crate::api::postings`, `crate::api::feedback`); this module only reads forms and lays
//! out pages.

mod feedback;
mod form;
mod postings;
mod task_form;
mod vacancy_form;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::i18n::Lang;
use super::{
    check_form, html, request_lang, sign_in_first, signed_in_user, MessagePage, Page, PageError,
    WebError,
};
use crate::api::AppState;
use crate::domain::{Role, User};
use form::Posted;

/// The employer's start page: its own postings.
pub const HOME_PATH: &str = "/employer";

/// The feedback forms addressed to the employer.
pub const FEEDBACK_PATH: &str = "/employer/feedback";

/// Registers the employer's pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(HOME_PATH, web::get().to(postings::list))
        .configure(postings::routes)
        .configure(feedback::routes);
}

/// A signed-in employer user and the employer it acts for.
pub(crate) struct Acting {
    /// The user.
    pub user: User,
    /// Its employer.
    pub employer_id: i64,
    /// The page's language.
    pub lang: Lang,
}

/// The employer user behind `req`, or the answer for anyone else: the sign-in page for
/// nobody, a "not for you" page for other roles and for an employer user that acts for no
/// employer.
pub(crate) async fn acting(
    req: &HttpRequest,
    state: &AppState,
) -> Result<Result<Acting, HttpResponse>, WebError> {
    let lang = request_lang(req);
    let Some(user) = signed_in_user(req, state).await? else {
        return Ok(Err(sign_in_first(req)));
    };
    let refusal = match (user.role, user.employer_id) {
        (Role::Employer, Some(employer_id)) => {
            return Ok(Ok(Acting {
                user,
                employer_id,
                lang,
            }))
        }
        (Role::Employer, None) => "emp-no-employer-text",
        _ => "emp-forbidden-text",
    };
    let page = Page::new(req, lang, Some(&user), lang.t("emp-forbidden-title"));
    Ok(Err(message(StatusCode::FORBIDDEN, page, lang.t(refusal))?))
}

/// Reads a posted form and checks that it may change anything: a browser's post must come
/// from this site with its session's CSRF token (a request with a bearer token carries no
/// cookie another site could ride on). Otherwise why not (its page is its `error_response`).
pub(crate) fn posted(
    req: &HttpRequest,
    state: &AppState,
    body: &[u8],
) -> Result<Posted, PageError> {
    let form = Posted::parse(body);
    check_form(req, state, form.fields())?;
    Ok(form)
}

/// A page with a heading and one paragraph.
fn message(status: StatusCode, page: Page, text: String) -> Result<HttpResponse, WebError> {
    Ok(html(status, MessagePage { page, text }.render()?))
}

/// The 404 page of a posting or form that is not there or is another employer's: the two
/// look the same, so nobody learns what another employer has.
pub(crate) fn not_found(req: &HttpRequest, who: &Acting) -> Result<HttpResponse, WebError> {
    let lang = who.lang;
    let page = Page::new(req, lang, Some(&who.user), lang.t("emp-not-found-title"));
    message(StatusCode::NOT_FOUND, page, lang.t("emp-not-found-text"))
}

/// A numeric id from the path; anything else finds nothing.
pub(crate) fn path_id(raw: &str) -> Option<i64> {
    raw.parse::<i64>().ok().filter(|id| *id > 0)
}

/// A one-line confirmation shown at the top of a page after a redirect (`?notice=`): only
/// the known ones, so a link cannot make the page say anything else.
pub(crate) fn notice(req: &HttpRequest, lang: Lang) -> Option<String> {
    let wanted = form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "notice")
        .map(|(_, v)| v.into_owned())?;
    let id = match wanted.as_str() {
        "created" => "emp-notice-created",
        "updated" => "emp-notice-updated",
        "closed" => "emp-notice-closed",
        "sent" => "emp-notice-sent",
        _ => return None,
    };
    Some(lang.t(id))
}

//! The auditor's and the admin's pages: the access log ([`access_log`], for the roles that
//! read it through the API too) and users with their tokens, sessions and sign-in links
//! ([`users`], for admins).
//!
//! Both call the same services as the JSON API (`crate::api::ACCESS_LOG_READERS` and the
//! store's access-log query; `crate::api::create_user`, `set_user_disabled`, `sign_in_link`),
//! so the rules are the API's; this module reads forms and lays out pages.

mod access_log;
mod users;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::i18n::Lang;
use super::{html, request_lang, sign_in_first, signed_in_user, MessagePage, Page, WebError};
use crate::api::AppState;
use crate::domain::{Role, User};

/// The access log page.
pub const ACCESS_LOG_PATH: &str = "/access-log";
/// The users page.
pub const USERS_PATH: &str = "/users";

/// Largest form body an admin's page accepts.
const FORM_LIMIT: usize = 16 * 1024;

/// Registers the auditor's and the admin's pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(ACCESS_LOG_PATH, web::get().to(access_log::page))
        .service(
            web::resource(USERS_PATH)
                .app_data(web::PayloadConfig::new(FORM_LIMIT))
                .route(web::get().to(users::page))
                .route(web::post().to(users::add)),
        )
        .service(
            web::resource("/users/{id}/{action}")
                .app_data(web::PayloadConfig::new(FORM_LIMIT))
                .route(web::post().to(users::act)),
        );
}

/// The signed-in user of `req` when its role is one of `roles`; otherwise the answer: the
/// sign-in page for nobody, a 403 page saying `refusal` for another role.
async fn signed_in_as(
    req: &HttpRequest,
    state: &AppState,
    roles: &[Role],
    refusal: &str,
) -> Result<Result<(User, Lang), HttpResponse>, WebError> {
    let lang = request_lang(req);
    let Some(user) = signed_in_user(req, state).await? else {
        return Ok(Err(sign_in_first(req)));
    };
    if roles.contains(&user.role) {
        return Ok(Ok((user, lang)));
    }
    let page = Page::new(req, lang, Some(&user), lang.t("forbidden-title"));
    let body = MessagePage {
        text: lang.t(refusal),
        page,
    }
    .render()?;
    Ok(Err(html(StatusCode::FORBIDDEN, body)))
}

/// The first value of query parameter `name`.
fn query_value(req: &HttpRequest, name: &str) -> Option<String> {
    form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// The page number of `?page=` (1 when absent or not a page number).
fn page_number(req: &HttpRequest) -> i64 {
    query_value(req, "page")
        .and_then(|p| p.trim().parse::<i64>().ok())
        .filter(|p| (1..=1_000_000).contains(p))
        .unwrap_or(1)
}

/// Links to the previous and next page: (address, words), or none at either end.
struct Pager {
    prev: Option<(String, String)>,
    next: Option<(String, String)>,
    /// "Page 2 of 5".
    at: String,
}

impl Pager {
    /// The pager of page `number` of `total` rows at `per_page` a page; `href(n)` is page n's
    /// address.
    fn new(
        lang: Lang,
        number: i64,
        per_page: i64,
        total: i64,
        href: impl Fn(i64) -> String,
    ) -> Self {
        let pages = ((total + per_page - 1) / per_page).max(1);
        Pager {
            prev: (number > 1).then(|| (href(number - 1), lang.t("admin-page-prev"))),
            next: (number < pages).then(|| (href(number + 1), lang.t("admin-page-next"))),
            at: lang.t_args(
                "admin-page-of",
                &[("page", number.into()), ("pages", pages.into())],
            ),
        }
    }
}

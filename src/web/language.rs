//! `POST /language`: the language switcher's form. Keeps the choice in the `lang` cookie and
//! goes back to the page it came from.

use actix_web::cookie::{time::Duration as CookieAge, Cookie, SameSite};
use actix_web::http::header;
use actix_web::{web, HttpResponse};

use super::i18n::{Lang, LANG_COOKIE};
use super::local_path;

/// Reads the form by hand: whatever arrives, the answer is a redirect, never an error page.
pub async fn switch(body: web::Bytes) -> HttpResponse {
    let mut lang = None;
    let mut next = None;
    for (k, v) in form_urlencoded::parse(&body) {
        match k.as_ref() {
            "lang" => lang = Lang::parse(&v),
            "next" => next = Some(v.into_owned()),
            _ => {}
        }
    }
    let location = local_path(next.as_deref(), "/").to_string();
    let mut resp = HttpResponse::SeeOther();
    resp.insert_header((header::LOCATION, location));
    if let Some(lang) = lang {
        resp.cookie(
            Cookie::build(LANG_COOKIE, lang.code())
                .path("/")
                .http_only(true)
                .same_site(SameSite::Lax)
                .max_age(CookieAge::days(365))
                .finish(),
        );
    }
    resp.finish()
}

//! Cross-site request forgery: every state-changing form carries a token another site cannot
//! know, checked in constant time; a POST without the right one is a 403 page.
//!
//! - **Signed-in forms** (synchronizer token): the hidden field `csrf_token` is an HMAC of
//!   the session's own random secret, kept on the server. [`CsrfForm`] reads such a form and
//!   checks it; templates get the token from [`super::SignedIn`]'s `session.csrf_token`.
//! - **The sign-in form** (login CSRF: another site signing the browser in as someone else)
//!   has no session yet. It gets a cookie of its own (`kohtaamo_signin`, HttpOnly, random)
//!   and a hidden token derived from that cookie: another site can make the browser send the
//!   cookie but cannot read it, so cannot write the token (double submit, keyed).
//! - **Both** also refuse a POST that the browser says comes from another site:
//!   `Sec-Fetch-Site: cross-site`, or an `Origin` that is neither this request's host nor the
//!   public URL's. Browsers that send neither still meet the token check.

use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::session::{app_state, current, PageError, SessionConfig, SignedIn};

/// Name of the hidden form field that carries the token.
pub const FIELD: &str = "csrf_token";

/// Largest form accepted.
const FORM_LIMIT: usize = 64 * 1024;

/// HMAC-SHA256 of `purpose` under `secret`, hex.
fn derive(secret: &str, purpose: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes a key of any length");
    mac.update(purpose);
    hex::encode(mac.finalize().into_bytes())
}

/// The token of a session's forms, from its secret.
pub fn token(secret: &str) -> String {
    derive(secret, b"kohtaamo session form v1")
}

/// The token of the sign-in form, from the sign-in cookie's value.
pub fn sign_in_token(cookie: &str) -> String {
    derive(cookie, b"kohtaamo sign-in form v1")
}

/// Whether `submitted` is `expected`, compared in constant time.
pub fn matches(expected: &str, submitted: Option<&str>) -> bool {
    let Some(submitted) = submitted else {
        return false;
    };
    !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(submitted.as_bytes()))
}

/// Refuses a request the browser says comes from another site.
pub fn check_origin(req: &HttpRequest, config: &SessionConfig) -> Result<(), PageError> {
    let headers = req.headers();
    let fetch_site = headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .map(str::to_ascii_lowercase);
    if fetch_site.as_deref() == Some("cross-site") {
        return Err(PageError::FormRefused);
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return Ok(());
    };
    let origin = origin.to_str().unwrap_or("null").trim_end_matches('/');
    let authority = |url: &str| -> Option<String> {
        let (_, rest) = url.split_once("://")?;
        Some(rest.split('/').next()?.to_ascii_lowercase())
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_ascii_lowercase);
    let from = authority(origin);
    let ours = from.is_some() && (from == host || from == authority(&config.public_url))
        || origin.eq_ignore_ascii_case(&config.public_url);
    if ours {
        Ok(())
    } else {
        Err(PageError::FormRefused)
    }
}

/// Checks `submitted` against the session's token.
pub fn verify(signed_in: &SignedIn, submitted: Option<&str>) -> Result<(), PageError> {
    if matches(&token(&signed_in.session.csrf_secret), submitted) {
        Ok(())
    } else {
        Err(PageError::FormRefused)
    }
}

/// Reads an urlencoded form body into its fields.
pub(crate) async fn read_form(
    req: &HttpRequest,
    payload: &mut actix_web::dev::Payload,
) -> Result<Vec<(String, String)>, PageError> {
    let bytes = web::Bytes::from_request(req, payload)
        .await
        .map_err(|e| PageError::BadRequest(format!("the form could not be read: {e}")))?;
    parse_form(&bytes)
}

/// Reads an urlencoded form into its fields.
pub(crate) fn parse_form(bytes: &[u8]) -> Result<Vec<(String, String)>, PageError> {
    if bytes.len() > FORM_LIMIT {
        return Err(PageError::BadRequest("the form is too large".into()));
    }
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(bytes)
        .map_err(|e| PageError::BadRequest(format!("the form could not be read: {e}")))
}

/// The value of field `name` of a read form.
pub(crate) fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// A form posted from a signed-in page, its CSRF token checked: the person, and the form's
/// other fields as `T`. Without a live session, to the sign-in page; a missing or wrong token,
/// or a post from another site, is a 403 page.
pub struct CsrfForm<T> {
    /// Who posted it.
    pub signed_in: SignedIn,
    /// The form without `csrf_token`.
    pub form: T,
}

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = PageError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, PageError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            let state = app_state(&req)?;
            let signed_in = current(&req, &state)
                .await?
                .ok_or(PageError::SignIn { next: None })?;
            check_origin(&req, &state.sessions)?;
            let mut fields = read_form(&req, &mut payload).await?;
            verify(&signed_in, field(&fields, FIELD))?;
            fields.retain(|(k, _)| k != FIELD);
            let rest = serde_urlencoded::to_string(&fields)
                .map_err(|e| PageError::BadRequest(format!("the form could not be read: {e}")))?;
            let form = serde_urlencoded::from_str::<T>(&rest)
                .map_err(|e| PageError::BadRequest(format!("the form could not be read: {e}")))?;
            Ok(CsrfForm { signed_in, form })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn a_token_is_bound_to_its_secret_and_compared_whole() {
        let t = token("secret-a");
        assert_eq!(t.len(), 64);
        assert_ne!(t, token("secret-b"));
        assert_ne!(t, sign_in_token("secret-a"), "one purpose per token");
        assert!(matches(&t, Some(&t)));
        assert!(!matches(&t, Some(&t[..63])));
        assert!(!matches(&t, Some("")));
        assert!(!matches(&t, None));
        assert!(!matches("", Some("")));
    }

    #[test]
    fn posts_from_another_site_are_refused() {
        let config = SessionConfig::default();
        let ok = |req: HttpRequest| check_origin(&req, &config).is_ok();
        let at = |origin: &str| {
            TestRequest::post()
                .insert_header((header::HOST, "127.0.0.1:8080"))
                .insert_header((header::ORIGIN, origin))
                .to_http_request()
        };
        assert!(ok(at("http://127.0.0.1:8080")));
        assert!(!ok(at("https://evil.example")));
        assert!(!ok(at("null")));
        assert!(
            ok(TestRequest::post().to_http_request()),
            "no Origin: token decides"
        );
        assert!(!ok(TestRequest::post()
            .insert_header(("sec-fetch-site", "cross-site"))
            .to_http_request()));
        assert!(ok(TestRequest::post()
            .insert_header(("sec-fetch-site", "same-origin"))
            .to_http_request()));
    }
}

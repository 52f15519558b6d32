//! Security headers of every HTML page (the web app's and `/dashboard`): a
//! Content-Security-Policy that allows nothing but this service's own files and no inline
//! script, no framing, no referrer to other sites, no content sniffing, and no caching.
//!
//! Applied as one middleware around the whole app ([`html_headers`]): it acts on responses
//! whose `Content-Type` is `text/html`, so a page added anywhere gets the headers without
//! registering for them, and the JSON API is left as it is. `/docs/` (Swagger UI, which needs
//! its own inline set-up) is left out.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;

/// The policy of every page: this service's own files only, no inline script or style, no
/// plugins, no framing by anyone, forms only to this service, no `<base>`.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; frame-ancestors 'none'; \
     form-action 'self'; base-uri 'none'; object-src 'none'";

/// The policy of `/dashboard`: the same, except that its styles are inline (a `<style>` block
/// and one `style` attribute) and so need `'unsafe-inline'` for styles only (never scripts).
/// It goes when the dashboard moves onto the web app's stylesheet.
pub const DASHBOARD_CONTENT_SECURITY_POLICY: &str = "default-src 'self'; \
     style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'; \
     base-uri 'none'; object-src 'none'";

/// Pages under these paths keep the rules of their own (see the module documentation).
const LEFT_OUT: [&str; 1] = ["/docs/"];

/// Middleware (for `actix_web::middleware::from_fn`): the security headers on every HTML
/// response. `Cache-Control: no-store` unless the page set its own.
pub async fn html_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let dashboard = req.path() == "/dashboard" || req.path().starts_with("/dashboard/");
    let left_out = LEFT_OUT.iter().any(|p| req.path().starts_with(p));
    let mut res = next.call(req).await?;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim_start().to_ascii_lowercase().starts_with("text/html"));
    if !html || left_out {
        return Ok(res);
    }
    let headers = res.headers_mut();
    let policy = if dashboard {
        DASHBOARD_CONTENT_SECURITY_POLICY
    } else {
        CONTENT_SECURITY_POLICY
    };
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(policy),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(res)
}

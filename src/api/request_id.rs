//! `X-Request-Id` on every response: the caller's own id when it sends a sensible one,
//! otherwise a new random one. Every log line written while the request is handled carries it
//! (a `request` span around the rest of the service), and so does the one line logged per
//! request (target `kohtaamo::http`: method, path, status, duration; never the query string,
//! which can hold words typed about a client, nor any other header), so a caller's report of
//! a failure can be found in the log. The same middleware counts and times the request in the
//! service's metrics, by its route pattern ([`super::metrics`]).

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::InternalError;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, Error};
use tracing::Instrument;

use super::AppState;

/// The request id header.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Longest request id taken from a caller.
const MAX_LEN: usize = 100;

/// A caller's id is kept only when it cannot disturb a log line or a header.
fn acceptable(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

/// A new id: 128 random bits in hex.
fn generate() -> String {
    format!("{:032x}", rand::random::<u128>())
}

/// Middleware (for `actix_web::middleware::from_fn`, outside every other): takes or makes the
/// request id, handles the request inside a `request` span that carries it, puts it on the
/// response, also on an error that an inner middleware returned, and logs, counts and times the
/// request.
pub async fn request_id<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, Error> {
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| acceptable(v))
        .map(str::to_owned)
        .unwrap_or_else(generate);
    let header = HeaderValue::from_str(&id).expect("an acceptable id is a header value");
    let span = tracing::info_span!("request", request_id = %id);
    let started = Instant::now();
    let method = req.method().clone();
    let path = crate::web::session::loggable_path(req.path());
    let metrics = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.metrics.clone());
    // The pattern as the router would match it; a response knows the one it did match.
    let route = req.match_pattern();
    let log = |status: u16, route: Option<&str>| {
        let took = started.elapsed();
        tracing::info!(
            target: "kohtaamo::http",
            parent: &span,
            "{method} {path} -> {status} in {:.1}ms",
            took.as_secs_f64() * 1000.0
        );
        if let Some(metrics) = &metrics {
            metrics.observe(&method, route, status, took);
        }
    };
    match async { next.call(req).await }
        .instrument(span.clone())
        .await
    {
        Ok(mut res) => {
            res.headers_mut().insert(REQUEST_ID, header);
            let route = res.request().match_pattern().or(route);
            log(res.status().as_u16(), route.as_deref());
            Ok(res)
        }
        // No request to build a response on is left here (the service consumed it), so the
        // error goes on as one whose response is ready, with the id on it.
        Err(e) => {
            let mut response = span.in_scope(|| e.error_response());
            response.headers_mut().insert(REQUEST_ID, header);
            log(response.status().as_u16(), route.as_deref());
            Err(InternalError::from_response(e, response).into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_ids_are_taken_from_the_caller() {
        assert!(acceptable("3f2a-b9:1.x_y"));
        assert!(!acceptable(""));
        assert!(!acceptable("a b"));
        assert!(!acceptable("a\nb"));
        assert!(!acceptable(&"a".repeat(MAX_LEN + 1)));
        assert!(acceptable(&generate()));
        assert_ne!(generate(), generate());
    }
}

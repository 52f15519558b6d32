//! A panic anywhere in a handler or an extractor becomes the JSON 500 body (its details go to
//! the log, with the request id of the surrounding span), never a dropped connection.

use std::any::Any;
use std::panic::AssertUnwindSafe;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::Error;
use futures_util::FutureExt;

use super::error::ApiError;

/// What a panic said, when it said it as text.
fn panic_message(panic: &(dyn Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("a panic without a message")
}

/// Middleware (for `actix_web::middleware::from_fn`, inside [`super::request_id`]): runs the
/// rest of the service, its synchronous part (extractors start there) and its future alike,
/// and turns a panic into [`ApiError::Internal`]. That goes on as an error, not a response:
/// a response needs the request, which the service consumed (and an `HttpRequest` cloned
/// before routing would stop the router from matching it).
pub async fn catch_panic<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, Error> {
    // Nothing the request shares outlives it half-changed: the app state is behind locks or
    // read-only, and the request's own values are dropped with it.
    match AssertUnwindSafe(async move { next.call(req).await })
        .catch_unwind()
        .await
    {
        Ok(result) => result,
        Err(panic) => {
            Err(ApiError::Internal(format!("handler panicked: {}", panic_message(&*panic))).into())
        }
    }
}

#[cfg(test)]
mod tests {
    use actix_web::middleware::from_fn;
    use actix_web::{test, web, App, HttpResponse};
    use serde_json::Value;

    use super::super::request_id::{request_id, REQUEST_ID};
    use super::*;

    async fn panics() -> HttpResponse {
        panic!("a bug with a secret detail");
    }

    async fn fine() -> HttpResponse {
        HttpResponse::Ok().body("fine")
    }

    /// An extractor that panics before the handler runs.
    struct Broken;

    impl actix_web::FromRequest for Broken {
        type Error = Error;
        type Future = std::future::Ready<Result<Self, Error>>;

        fn from_request(
            _: &actix_web::HttpRequest,
            _: &mut actix_web::dev::Payload,
        ) -> Self::Future {
            panic!("an extractor bug")
        }
    }

    async fn broken_extractor(_: Broken) -> HttpResponse {
        HttpResponse::Ok().finish()
    }

    /// The response the server sends: the service's, or the one made from its error.
    async fn answer(
        app: &impl actix_web::dev::Service<
            actix_http::Request,
            Response = ServiceResponse,
            Error = Error,
        >,
        req: actix_http::Request,
    ) -> actix_web::HttpResponse {
        match test::try_call_service(app, req).await {
            Ok(res) => res.into_parts().1,
            Err(e) => e.error_response(),
        }
    }

    async fn app(
    ) -> impl actix_web::dev::Service<actix_http::Request, Response = ServiceResponse, Error = Error>
    {
        test::init_service(
            App::new()
                .wrap(from_fn(catch_panic))
                .wrap(from_fn(request_id))
                .route("/panics", web::get().to(panics))
                .route("/extractor", web::get().to(broken_extractor))
                .route("/fine", web::get().to(fine)),
        )
        .await
    }

    #[actix_web::test]
    async fn a_panicking_handler_gets_the_json_500_with_a_request_id() {
        let app = app().await;
        for path in ["/panics", "/extractor"] {
            let res = answer(&app, test::TestRequest::get().uri(path).to_request()).await;
            assert_eq!(res.status(), 500, "{path}");
            assert!(res.headers().contains_key(REQUEST_ID), "{path}");
            let body = actix_web::body::to_bytes(res.into_body()).await.unwrap();
            let body: Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(body["error"]["code"], "internal_error", "{path}");
            let message = body["error"]["message"].as_str().unwrap();
            assert!(
                !message.contains("secret") && !message.contains("bug"),
                "{message}"
            );
        }
        // The service goes on answering after a panic.
        let res = answer(&app, test::TestRequest::get().uri("/fine").to_request()).await;
        assert_eq!(res.status(), 200);
    }

    #[actix_web::test]
    async fn a_callers_request_id_is_kept_and_a_missing_one_made() {
        let app = app().await;
        for path in ["/fine", "/panics"] {
            let req = test::TestRequest::get()
                .uri(path)
                .insert_header((REQUEST_ID, "abc-123"))
                .to_request();
            let res = answer(&app, req).await;
            assert_eq!(res.headers().get(&REQUEST_ID).unwrap(), "abc-123", "{path}");
        }
        let req = test::TestRequest::get()
            .uri("/fine")
            .insert_header((REQUEST_ID, "not a plain id"))
            .to_request();
        let res = answer(&app, req).await;
        let made = res.headers().get(&REQUEST_ID).unwrap().to_str().unwrap();
        assert_eq!(made.len(), 32, "{made}");
    }
}

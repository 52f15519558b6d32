//! The one mapping from every error to an HTTP status and a JSON body:
//! `{"error": {"code": "snake_case_code", "message": "…", "field"?: "…"}}`.

use actix_web::body::{BodySize, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::ValidationError;
use crate::search::SearchError;
use crate::store::StoreError;

/// An error as the API reports it.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is not JSON at all.
    #[error("{0}")]
    InvalidJson(String),
    /// A query-string parameter is malformed.
    #[error("{message}")]
    InvalidParameter {
        /// Parameter name, when known.
        field: Option<String>,
        /// Explanation.
        message: String,
    },
    /// A field is missing, of the wrong type or out of bounds.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// No or unknown token.
    #[error("a valid bearer token is required")]
    Unauthorized,
    /// The caller's role may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Nothing there (or nothing the caller may see).
    #[error("{0}")]
    NotFound(String),
    /// A unique key is taken.
    #[error("{0}")]
    Conflict(String),
    /// The path does not take this method; holds the methods it takes (the `Allow` header).
    #[error("this path takes only {0}")]
    MethodNotAllowed(String),
    /// The body is larger than the limit.
    #[error("request body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// The request target (path and query string) is longer than the limit.
    #[error("the request's path and query string are longer than {0} bytes; shorten the query")]
    UriTooLong(usize),
    /// The request line and headers are longer than the limit.
    #[error("the request's headers are longer than {0} bytes")]
    HeadTooLarge(usize),
    /// Too many requests in too short a time (failed authentications, or searches and match
    /// lists); answered with `Retry-After`.
    #[error("{message}")]
    TooManyRequests {
        /// What was limited.
        message: String,
        /// Time until a request can pass again.
        retry_after: std::time::Duration,
    },
    /// Something broke on our side; details go to the log, not to the caller.
    #[error("internal error")]
    Internal(String),
}

/// The JSON error body.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// Inside the error body.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, machine-readable code.
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
    /// The JSON field (or query parameter) at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    fn code(&self) -> &'static str {
        match self {
            ApiError::InvalidJson(_) => "invalid_json",
            ApiError::InvalidParameter { .. } => "invalid_parameter",
            ApiError::Validation(_) => "validation_failed",
            ApiError::Unauthorized => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::Conflict(_) => "conflict",
            ApiError::MethodNotAllowed(_) => "method_not_allowed",
            ApiError::PayloadTooLarge(_) => "payload_too_large",
            ApiError::UriTooLong(_) => "uri_too_long",
            ApiError::HeadTooLarge(_) => "request_header_fields_too_large",
            ApiError::TooManyRequests { .. } => "too_many_requests",
            ApiError::Internal(_) => "internal_error",
        }
    }

    /// A validation error on `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Validation(ValidationError::new(field, message))
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::InvalidJson(_) => StatusCode::BAD_REQUEST,
            ApiError::InvalidParameter { .. } | ApiError::Validation(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            ApiError::HeadTooLarge(_) => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(detail) = self {
            tracing::error!(error = %detail, "request failed");
        }
        let (message, field) = match self {
            ApiError::Validation(v) => (v.message.clone(), Some(v.field.clone())),
            ApiError::InvalidParameter { field, message } => (message.clone(), field.clone()),
            other => (other.to_string(), None),
        };
        let mut resp = HttpResponse::build(self.status_code());
        match self {
            ApiError::Unauthorized => {
                resp.insert_header(("WWW-Authenticate", "Bearer"));
            }
            ApiError::MethodNotAllowed(allow) => {
                resp.insert_header((header::ALLOW, allow.as_str()));
            }
            ApiError::TooManyRequests { retry_after, .. } => {
                resp.insert_header((
                    header::RETRY_AFTER,
                    super::limits::retry_after_secs(*retry_after),
                ));
            }
            _ => {}
        }
        resp.json(ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message,
                field,
            },
        })
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { entity, id } => {
                ApiError::NotFound(format!("{entity} {id} not found"))
            }
            StoreError::InvalidReference { field, message } => ApiError::invalid(field, message),
            StoreError::Conflict(m) => ApiError::Conflict(m),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<SearchError> for ApiError {
    fn from(e: SearchError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::Internal(e.to_string())
    }
}

/// The code of an error response that actix made on its own.
fn code_of_status(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::UNAUTHORIZED => "unauthorized",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::NOT_ACCEPTABLE => "not_acceptable",
        StatusCode::CONFLICT => "conflict",
        StatusCode::PAYLOAD_TOO_LARGE => "payload_too_large",
        StatusCode::URI_TOO_LONG => "uri_too_long",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNPROCESSABLE_ENTITY => "invalid_parameter",
        StatusCode::TOO_MANY_REQUESTS => "too_many_requests",
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => "request_header_fields_too_large",
        s if s.is_server_error() => "internal_error",
        _ => "bad_request",
    }
}

/// The JSON error body for `status`, with the status's own words as the message.
pub fn status_error_body(status: StatusCode) -> ErrorBody {
    ErrorBody {
        error: ErrorDetail {
            code: code_of_status(status),
            message: status
                .canonical_reason()
                .unwrap_or("request failed")
                .to_lowercase(),
            field: None,
        },
    }
}

/// Middleware (for `actix_web::middleware::from_fn`): an error response that actix made on
/// its own with an empty body (405 for a method a path does not take, …) gets the JSON error
/// body; its other headers (`Allow`) stay.
pub async fn json_error_bodies<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let res = next.call(req).await?;
    let status = res.status();
    let empty = matches!(
        res.response().body().size(),
        BodySize::None | BodySize::Sized(0)
    );
    if !(status.is_client_error() || status.is_server_error()) || !empty {
        return Ok(res.map_into_left_body());
    }
    let (req, old) = res.into_parts();
    let mut new = HttpResponse::build(status).json(status_error_body(status));
    for (name, value) in old.headers() {
        if name != header::CONTENT_LENGTH && name != header::CONTENT_TYPE {
            new.headers_mut().append(name.clone(), value.clone());
        }
    }
    Ok(ServiceResponse::new(req, new).map_into_right_body())
}

/// Result alias for handlers.
pub type ApiResult<T> = Result<T, ApiError>;

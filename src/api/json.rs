//! The JSON body extractor: size-limited, and every failure names the field at fault.

use std::future::Future;
use std::pin::Pin;

use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::ApiError;

/// Largest accepted request body.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// A JSON request body deserialized into `T`.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ApiJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let bytes = bytes.await.map_err(|e| {
                if e.as_response_error().status_code()
                    == actix_web::http::StatusCode::PAYLOAD_TOO_LARGE
                {
                    ApiError::PayloadTooLarge(BODY_LIMIT)
                } else {
                    ApiError::InvalidJson(format!("could not read the request body: {e}"))
                }
            })?;
            parse(&bytes).map(ApiJson)
        })
    }
}

/// Parses `bytes` as `T`: 400 when it is not JSON, 422 naming the field when it is JSON of the
/// wrong shape.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::InvalidJson(
            "the request body is empty; JSON is expected".into(),
        ));
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize::<_, T>(&mut de).map_err(shape_error)?;
    de.end()
        .map_err(|e| ApiError::InvalidJson(format!("the request body is not valid JSON: {e}")))?;
    Ok(value)
}

/// Deserializes an already-parsed JSON value (a merged PATCH), naming the field on failure.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        field_error(&path, &inner.to_string())
    })
}

fn shape_error(e: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = e.path().to_string();
    let inner = e.into_inner();
    match inner.classify() {
        serde_json::error::Category::Data => field_error(&path, &inner.to_string()),
        _ => ApiError::InvalidJson(format!("the request body is not valid JSON: {inner}")),
    }
}

/// serde reports a missing field at its parent's path; name the field itself.
fn field_error(path: &str, message: &str) -> ApiError {
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .to_string();
    let parent = if path == "." { "" } else { path };
    let field = match message
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
    {
        Some(name) if parent.is_empty() => name.to_string(),
        Some(name) => format!("{parent}.{name}"),
        None if parent.is_empty() => "body".to_string(),
        None => parent.to_string(),
    };
    ApiError::invalid(field, message)
}

/// Applies an RFC 7396 JSON merge patch: objects merge, `null` removes, anything else replaces.
pub fn merge_patch(target: &mut Value, patch: Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    t.remove(&k);
                } else {
                    merge_patch(t.entry(k).or_insert(Value::Null), v);
                }
            }
        }
        (t, p) => *t = p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Inner {
        n: i64,
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Outer {
        title: String,
        inner: Option<Inner>,
    }

    fn field_of(body: &str) -> Option<String> {
        match parse::<Outer>(body.as_bytes()) {
            Err(ApiError::Validation(v)) => Some(v.field),
            _ => None,
        }
    }

    #[test]
    fn missing_and_mistyped_fields_are_named() {
        assert_eq!(field_of(r#"{}"#).as_deref(), Some("title"));
        assert_eq!(field_of(r#"{"title": 5}"#).as_deref(), Some("title"));
        assert_eq!(
            field_of(r#"{"title": "x", "inner": {}}"#).as_deref(),
            Some("inner.n")
        );
        assert_eq!(
            field_of(r#"{"title": "x", "inner": {"n": "y"}}"#).as_deref(),
            Some("inner.n")
        );
    }

    #[test]
    fn broken_json_is_a_bad_request() {
        assert!(matches!(
            parse::<Outer>(b"{\"title\": "),
            Err(ApiError::InvalidJson(_))
        ));
        assert!(matches!(parse::<Outer>(b""), Err(ApiError::InvalidJson(_))));
        assert!(matches!(
            parse::<Outer>(b"{\"title\": \"a\"} x"),
            Err(ApiError::InvalidJson(_))
        ));
    }

    #[test]
    fn merge_patch_follows_rfc_7396() {
        let mut t = serde_json::json!({"a": 1, "b": {"c": 2, "d": 3}});
        merge_patch(&mut t, serde_json::json!({"a": null, "b": {"c": 5}}));
        assert_eq!(t, serde_json::json!({"b": {"c": 5, "d": 3}}));
    }
}

//! The JSON body extractor: size-limited, and every failure names the field at fault.

use std::future::Future;
use std::pin::Pin;

use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

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
    // Every body is an object: serde would take a struct from an array of its fields too.
    let value = serde_path_to_error::deserialize::<_, crate::domain::ObjectOnly<T>>(&mut de)
        .map_err(shape_error)?
        .0;
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

/// serde reports a missing field at its parent's path; name the field itself (an unknown
/// field's path already ends with its name).
fn field_error(path: &str, message: &str) -> ApiError {
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .to_string();
    let parent = if path == "." { "" } else { path };
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next());
    let unknown = message.starts_with("unknown field `");
    let field = match missing {
        _ if unknown && !parent.is_empty() => parent.to_string(),
        Some(name) if parent.is_empty() => name.to_string(),
        Some(name) => format!("{parent}.{name}"),
        None if parent.is_empty() => "body".to_string(),
        None => parent.to_string(),
    };
    ApiError::invalid(field, message)
}

/// Applies an RFC 7396 JSON merge patch: objects merge, `null` removes, anything else replaces.
pub fn merge_patch(target: &mut Value, patch: Value) {
    let Value::Object(patch) = patch else {
        *target = patch;
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Map::new());
    }
    let Value::Object(t) = target else {
        unreachable!("made an object above")
    };
    for (k, v) in patch {
        if v.is_null() {
            t.remove(&k);
        } else {
            merge_patch(t.entry(k).or_insert(Value::Null), v);
        }
    }
}

/// Applies the JSON merge patch `patch` (a PATCH body) to `current` and reads the result back
/// as `T`, naming the field at fault. An unknown field is refused like in a POST body, also
/// when the patch only removes it (`{"desird_work": null}`), so a typo is never dropped.
pub fn merge_into<T: Serialize + DeserializeOwned>(
    current: &T,
    patch: Value,
) -> Result<T, ApiError> {
    if !patch.is_object() {
        return Err(ApiError::invalid(
            "body",
            "a PATCH body must be a JSON object",
        ));
    }
    let mut merged =
        serde_json::to_value(current).map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut removals = Vec::new();
    absent_removals(Some(&merged), &patch, &mut Vec::new(), &mut removals);
    merge_patch(&mut merged, patch);
    // Removing a field that is not there changes nothing, so the merged value cannot tell a
    // typo from a known optional field: put the name back (as null) and ask the type.
    for path in removals {
        let mut probe = merged.clone();
        set_null(&mut probe, &path);
        if let Err(ApiError::Validation(e)) = from_value::<T>(probe) {
            if e.message.starts_with("unknown field") {
                return Err(ApiError::Validation(e));
            }
        }
    }
    from_value(merged)
}

/// Paths of the patch's `null`s that name a member the target does not have.
fn absent_removals(
    target: Option<&Value>,
    patch: &Value,
    path: &mut Vec<String>,
    out: &mut Vec<Vec<String>>,
) {
    let Value::Object(patch) = patch else { return };
    let target = target.and_then(Value::as_object);
    for (k, v) in patch {
        let present = target.and_then(|t| t.get(k));
        path.push(k.clone());
        if v.is_null() && present.is_none() {
            out.push(path.clone());
        } else if v.is_object() {
            absent_removals(present, v, path, out);
        }
        path.pop();
    }
}

fn set_null(value: &mut Value, path: &[String]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut at = value;
    for key in parents {
        match at.get_mut(key.as_str()) {
            Some(next) => at = next,
            None => return,
        }
    }
    if let Value::Object(o) = at {
        o.insert(last.clone(), Value::Null);
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
        merge_patch(&mut t, serde_json::json!({"e": {"f": 1, "g": null}}));
        assert_eq!(t, serde_json::json!({"b": {"c": 5, "d": 3}, "e": {"f": 1}}));
    }

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Strict {
        title: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        #[serde(default)]
        inner: StrictInner,
    }

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq, Default)]
    #[serde(deny_unknown_fields)]
    struct StrictInner {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        n: Option<i64>,
    }

    fn strict_field(body: &str) -> Option<String> {
        match parse::<Strict>(body.as_bytes()) {
            Err(ApiError::Validation(v)) => Some(v.field),
            _ => None,
        }
    }

    #[test]
    fn unknown_fields_are_named() {
        assert_eq!(
            strict_field(r#"{"title": "x", "titel": "y"}"#).as_deref(),
            Some("titel")
        );
        assert_eq!(
            strict_field(r#"{"title": "x", "inner": {"m": 1}}"#).as_deref(),
            Some("inner.m")
        );
    }

    #[test]
    fn a_patch_refuses_unknown_fields_even_when_removing_them() {
        let current = Strict {
            title: "x".into(),
            note: None,
            inner: StrictInner::default(),
        };
        let field = |patch: Value| match merge_into(&current, patch) {
            Err(ApiError::Validation(v)) => Some(v.field),
            _ => None,
        };
        use serde_json::json;
        assert_eq!(field(json!({"titel": "y"})).as_deref(), Some("titel"));
        assert_eq!(field(json!({"titel": null})).as_deref(), Some("titel"));
        assert_eq!(
            field(json!({"inner": {"m": null}})).as_deref(),
            Some("inner.m")
        );
        assert_eq!(
            field(json!({"extra": {"m": null}})).as_deref(),
            Some("extra")
        );
        let patched = merge_into(&current, json!({"note": null, "inner": {"n": null}})).unwrap();
        assert_eq!(patched, current, "removing absent known fields is fine");
        let patched = merge_into(&current, json!({"note": "hi", "inner": {"n": 2}})).unwrap();
        assert_eq!(
            (patched.note.as_deref(), patched.inner.n),
            (Some("hi"), Some(2))
        );
    }
}

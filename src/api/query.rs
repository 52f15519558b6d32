//! The query-string extractor: every malformed parameter is a 422 naming the parameter
//! (`limit=abc`, `kind=employer`), in the contract's JSON error body.

use std::future::{ready, Ready};

use actix_web::{FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// Query-string parameters deserialized into `T`.
pub struct ApiQuery<T>(pub T);

impl<T> std::ops::Deref for ApiQuery<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> ApiQuery<T> {
    /// The parameters.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T: DeserializeOwned> FromRequest for ApiQuery<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        ready(parse_query(req.query_string()).map(ApiQuery))
    }
}

/// Parses a query string (without the `?`) as `T`, naming the parameter at fault.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        // A parameter given twice is reported at the top, by name.
        let repeated = message
            .strip_prefix("duplicate field `")
            .and_then(|r| r.split('`').next())
            .map(str::to_owned);
        let field = repeated.or((path != "." && !path.is_empty()).then_some(path));
        let message = match &field {
            Some(f) => format!("{f}: {message}"),
            None => format!("invalid query string: {message}"),
        };
        ApiError::InvalidParameter { field, message }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Params {
        limit: Option<i64>,
        kind: Option<Kind>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Vacancy,
    }

    fn field_of(query: &str) -> Option<String> {
        match parse_query::<Params>(query) {
            Err(ApiError::InvalidParameter { field, .. }) => field,
            _ => None,
        }
    }

    #[test]
    fn malformed_parameters_are_named() {
        assert_eq!(field_of("limit=abc").as_deref(), Some("limit"));
        assert_eq!(field_of("limit=").as_deref(), Some("limit"));
        assert_eq!(field_of("kind=employer").as_deref(), Some("kind"));
        assert_eq!(field_of("limit=1&limit=2").as_deref(), Some("limit"));
        assert!(parse_query::<Params>("limit=5&kind=vacancy&other=x").is_ok());
        assert!(parse_query::<Params>("").is_ok());
    }
}

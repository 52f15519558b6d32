//! Bearer-token authentication and role checks. Failed authentications are rate-limited per
//! client address and per account ([`super::limits`]).

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;

use actix_web::{web, FromRequest, HttpRequest};

use super::error::ApiError;
use super::limits::token_account;
use super::AppState;
use crate::domain::{Role, User};

/// The authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller(pub User);

impl Caller {
    /// 403 unless the caller has one of `roles`.
    pub fn require(&self, roles: &[Role], action: &str) -> Result<(), ApiError> {
        if roles.contains(&self.0.role) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "the {} role may not {action}",
                self.0.role
            )))
        }
    }

    /// The employer an employer user acts for; `None` for other roles.
    pub fn own_employer(&self) -> Option<i64> {
        match self.0.role {
            Role::Employer => self.0.employer_id,
            _ => None,
        }
    }

    /// The caller's user id.
    pub fn id(&self) -> i64 {
        self.0.id
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let token = req
            .headers()
            .get(actix_web::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, token) = v.trim().split_once(' ')?;
                scheme
                    .eq_ignore_ascii_case("bearer")
                    .then(|| token.trim().to_string())
            });
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let address = req.peer_addr().map(|a| a.ip());
        Box::pin(async move {
            let token = token
                .filter(|t| !t.is_empty())
                .ok_or(ApiError::Unauthorized)?;
            let state = state.ok_or_else(|| ApiError::Internal("app state missing".into()))?;
            let user = authenticate(&state, address, &token)
                .await?
                .ok_or(ApiError::Unauthorized)?;
            tracing::Span::current().record("user_id", user.id);
            Ok(Caller(user))
        })
    }
}

/// The user of `token`, presented from `address`; `None` for an unknown token, counted as a
/// failed authentication. A 429 (without looking the token up) while the address or the
/// token's account is over its failure limit, and for the failure that goes over it.
pub async fn authenticate(
    state: &AppState,
    address: Option<IpAddr>,
    token: &str,
) -> Result<Option<User>, ApiError> {
    let account = token_account(token);
    state.limiter.before_authentication(address, &account)?;
    match state.store.user_by_token(token).await? {
        Some(user) => Ok(Some(user)),
        None => {
            state.limiter.failed_authentication(address, &account)?;
            Ok(None)
        }
    }
}

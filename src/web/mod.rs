//! The web app for people: server-rendered pages (askama templates in `templates/`), browser
//! sessions, CSRF protection and the security headers of every page. It calls the store and
//! the services directly, never the JSON API over HTTP.

pub mod csrf;
pub mod security;
pub mod session;
pub mod signin;

use actix_web::web;

pub use csrf::CsrfForm;
pub use session::{PageError, SessionConfig, SignedIn};

/// Registers the web app's pages.
pub fn routes(cfg: &mut web::ServiceConfig) {
    signin::routes(cfg);
}

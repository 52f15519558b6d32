//! `GET /access-log`: the access log for the roles that read it through the API
//! ([`crate::api::ACCESS_LOG_READERS`]), newest first, 50 rows a page, filtered by client, user
//! and period. The period is days on Finnish clocks; a date that cannot be read, or a start
//! after the end, is shown at its field, never as a raw error.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{Duration, NaiveDate};

use super::{page_number, query_value, signed_in_as, Pager, ACCESS_LOG_PATH};
use crate::api::{AppState, ACCESS_LOG_READERS};
use crate::domain::{check_date_range, AccessEntry};
use crate::store::AccessQuery;
use crate::web::format;
use crate::web::i18n::Lang;
use crate::web::page::{role_name, FieldError, Page};
use crate::web::{html, WebError};

/// Rows a page.
pub const PER_PAGE: i64 = 50;

/// The filter form as typed, and what could not be used of it.
pub struct Filters {
    pub client_id: String,
    pub user_id: String,
    pub from: String,
    pub to: String,
    pub errors: Vec<FieldError>,
}

impl Filters {
    /// The error of field `id`, if any.
    pub fn error(&self, id: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|e| e.field == id)
            .map(|e| e.message.clone())
    }
}

/// One row as the table shows it.
pub struct Row {
    pub when: String,
    pub who: String,
    pub who_href: String,
    pub role: String,
    pub action: String,
    pub target: String,
    pub target_href: Option<String>,
    pub outcome: String,
    pub denied: bool,
}

#[derive(Template)]
#[template(path = "admin/access_log.html")]
struct AccessLogPage {
    page: Page,
    filters: Filters,
    rows: Vec<Row>,
    total: String,
    pager: Pager,
}

/// A positive id typed into `field`; empty is none.
fn id_field(
    lang: Lang,
    field: &'static str,
    raw: &str,
    errors: &mut Vec<FieldError>,
) -> Option<i64> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match raw.parse::<i64>() {
        Ok(id) if id > 0 => Some(id),
        _ => {
            errors.push(FieldError {
                field,
                message: lang.t(&format!("access-log-error-{field}")),
            });
            None
        }
    }
}

/// A day typed into `field` (`1.12.2026` or `2026-12-01`, within the range the API takes);
/// empty is none.
fn day_field(
    lang: Lang,
    field: &'static str,
    raw: &str,
    errors: &mut Vec<FieldError>,
) -> Option<NaiveDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    match format::parse_date_input(raw).map(|d| check_date_range(field, d)) {
        Some(Ok(day)) => Some(day),
        Some(Err(_)) => {
            errors.push(FieldError {
                field,
                message: lang.t("access-log-error-range"),
            });
            None
        }
        None => {
            errors.push(FieldError {
                field,
                message: lang.t("access-log-error-date"),
            });
            None
        }
    }
}

/// The filters of `req` and the query they make (`None` when a field is wrong).
fn filters(req: &HttpRequest, lang: Lang) -> (Filters, Option<AccessQuery>) {
    let value = |name| query_value(req, name).unwrap_or_default();
    let mut f = Filters {
        client_id: value("client_id"),
        user_id: value("user_id"),
        from: value("from"),
        to: value("to"),
        errors: Vec::new(),
    };
    let client_id = id_field(lang, "client_id", &f.client_id, &mut f.errors);
    let user_id = id_field(lang, "user_id", &f.user_id, &mut f.errors);
    let from = day_field(lang, "from", &f.from, &mut f.errors);
    let to = day_field(lang, "to", &f.to, &mut f.errors);
    if let (Some(from), Some(to)) = (from, to) {
        if from > to {
            f.errors.push(FieldError {
                field: "from",
                message: lang.t("access-log-error-order"),
            });
        }
    }
    if !f.errors.is_empty() {
        return (f, None);
    }
    let query = AccessQuery {
        client_id,
        user_id,
        // Whole days on Finnish clocks: from the midnight that starts `from` to the last
        // second before the midnight that ends `to`.
        from: from.map(format::finnish_midnight),
        to: to.map(|d| format::finnish_midnight(d + Duration::days(1)) - Duration::seconds(1)),
    };
    (f, Some(query))
}

/// The address of page `number` with the filters of `f`.
fn page_href(f: &Filters, number: i64) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (name, value) in [
        ("client_id", &f.client_id),
        ("user_id", &f.user_id),
        ("from", &f.from),
        ("to", &f.to),
    ] {
        if !value.trim().is_empty() {
            query.append_pair(name, value.trim());
        }
    }
    if number > 1 {
        query.append_pair("page", &number.to_string());
    }
    match query.finish() {
        q if q.is_empty() => ACCESS_LOG_PATH.to_string(),
        q => format!("{ACCESS_LOG_PATH}?{q}"),
    }
}

fn row(lang: Lang, e: &AccessEntry) -> Row {
    let (target, target_href) = match (&e.client_id, &e.list) {
        (Some(id), _) => (
            lang.t1("access-log-client", "id", id.to_string()),
            Some(format!("{ACCESS_LOG_PATH}?client_id={id}")),
        ),
        (None, Some(list)) => (
            lang.t_args(
                "access-log-list",
                &[
                    ("list", list.clone().into()),
                    ("count", (e.clients.len() as i64).into()),
                ],
            ),
            None,
        ),
        (None, None) => ("–".into(), None),
    };
    let outcome = match e.reason {
        Some(reason) => lang.t(&format!("access-log-denied-{}", reason.as_str())),
        None => lang.t("access-log-allowed"),
    };
    Row {
        when: format::date_time(lang, e.at),
        who: e.user_name.clone(),
        who_href: format!("{ACCESS_LOG_PATH}?user_id={}", e.user_id),
        role: role_name(lang, e.user_role),
        action: lang.t(&format!("access-action-{}", e.action.as_str())),
        target,
        target_href,
        outcome,
        denied: e.reason.is_some() || e.outcome == "denied",
    }
}

/// `GET /access-log`.
#[tracing::instrument(name = "web.access_log", skip_all, fields(user_id = tracing::field::Empty))]
pub async fn page(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let (user, lang) =
        match signed_in_as(&req, &state, ACCESS_LOG_READERS, "access-log-forbidden").await? {
            Ok(found) => found,
            Err(answer) => return Ok(answer),
        };
    let (filters, query) = filters(&req, lang);
    let number = page_number(&req);
    let (rows, total, status) = match &query {
        Some(q) => {
            let found = state
                .store
                .access_log(q, PER_PAGE, (number - 1) * PER_PAGE)
                .await?;
            let rows = found.items.iter().map(|e| row(lang, e)).collect();
            (rows, found.total, StatusCode::OK)
        }
        None => (Vec::new(), 0, StatusCode::UNPROCESSABLE_ENTITY),
    };
    let pager = Pager::new(lang, number, PER_PAGE, total, |n| page_href(&filters, n));
    let mut page = Page::new(&req, lang, Some(&user), lang.t("access-log-title"));
    page.has_errors = !filters.errors.is_empty();
    let body = AccessLogPage {
        page,
        total: lang.t_args("access-log-total", &[("count", total.into())]),
        filters,
        rows,
        pager,
    }
    .render()?;
    Ok(html(status, body))
}

//! `GET /search`: the API's search with the same filters (`q`, `kind`, `municipality`,
//! `limit`) as a form; the results link nowhere a coach cannot go and say how many matched.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::coach;
use crate::api::{run_search, ApiError, AppState, SearchParams};
use crate::domain::{AccessAction, AccessTarget};
use crate::search::{SearchKind, TotalRelation};
use crate::web::format;
use crate::web::page::{FieldError, Page};
use crate::web::{html, request_lang, WebError};

/// The search form as typed.
#[derive(Debug, Clone, Default)]
pub struct SearchFields {
    pub q: String,
    pub kind: String,
    pub municipality: String,
    pub limit: String,
}

/// One result.
pub struct Result {
    pub kind_words: String,
    pub title: String,
    pub employer: String,
    pub place: String,
    pub snippet: String,
}

#[derive(Template)]
#[template(path = "coach/search.html")]
struct SearchPage {
    page: Page,
    fields: SearchFields,
    errors: Vec<FieldError>,
    /// `None` before the first search.
    total: Option<String>,
    results: Vec<Result>,
    /// (value, words, selected) of the kind filter.
    kinds: Vec<(&'static str, String, bool)>,
}

impl SearchPage {
    fn error(&self, name: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| e.message.as_str())
    }
}

/// `GET /search?q=…&kind=…&municipality=…&limit=…`.
pub async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> std::result::Result<HttpResponse, WebError> {
    let lang = request_lang(&req);
    let target = AccessTarget::List("search", &[]);
    let caller = match coach(&req, &state, lang, AccessAction::List, target).await? {
        Ok(c) => c,
        Err(answer) => return Ok(answer),
    };
    let mut fields = SearchFields::default();
    let mut asked = false;
    for (k, v) in form_urlencoded::parse(req.query_string().as_bytes()) {
        let slot = match k.as_ref() {
            "q" => &mut fields.q,
            "kind" => &mut fields.kind,
            "municipality" => &mut fields.municipality,
            "limit" => &mut fields.limit,
            _ => continue,
        };
        asked = true;
        *slot = v.into_owned();
    }
    let mut errors = Vec::new();
    let kind = match fields.kind.as_str() {
        "" => None,
        "vacancy" => Some(SearchKind::Vacancy),
        "task" => Some(SearchKind::Task),
        _ => {
            errors.push(FieldError {
                field: "kind",
                message: lang.t("search-error-kind"),
            });
            None
        }
    };
    let limit = match fields.limit.trim() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => Some(0),
        },
    };
    let mut total = None;
    let mut results = Vec::new();
    if asked && errors.is_empty() {
        let params = SearchParams {
            q: Some(fields.q.clone()),
            kind,
            municipality: Some(fields.municipality.trim().to_string()).filter(|m| !m.is_empty()),
            limit,
            offset: None,
        };
        match run_search(&state, &caller, params).await {
            Ok(found) => {
                let id = if found.total_relation == TotalRelation::Gte {
                    "search-total-more"
                } else if found.total == 1 {
                    "search-total-one"
                } else {
                    "search-total"
                };
                total = Some(lang.t1(id, "count", format::count(lang, found.total)));
                results = found
                    .hits
                    .into_iter()
                    .map(|h| Result {
                        kind_words: lang.t(&format!("kind-{}", h.kind)),
                        title: h.title,
                        employer: h.employer,
                        place: h.municipality.unwrap_or_else(|| lang.t("place-unknown")),
                        snippet: h.snippet,
                    })
                    .collect();
            }
            Err(ApiError::InvalidParameter { field, .. }) => {
                let field = match field.as_deref() {
                    Some("limit") => "limit",
                    _ => "q",
                };
                errors.push(FieldError {
                    field,
                    message: lang.t(&format!("search-error-{field}")),
                });
            }
            Err(e) => return Err(e.into()),
        }
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let kinds = [
        ("", "search-kind-all"),
        ("vacancy", "kind-vacancy"),
        ("task", "kind-task"),
    ]
    .into_iter()
    .map(|(v, id)| (v, lang.t(id), fields.kind == v))
    .collect();
    let mut page = Page::new(&req, lang, Some(&caller.0), lang.t("search-title"));
    page.has_errors = !errors.is_empty();
    let body = SearchPage {
        page,
        fields,
        errors,
        total,
        results,
        kinds,
    }
    .render()?;
    Ok(html(status, body))
}

//! `/dashboard/export/{table}.csv` and `.xlsx`: one table of the dashboard, with the same
//! figures as the page, as a file named for the table and the period
//! (`kohorttisuppilo_2025-01-01_2025-06-30.csv`). Each download is written to the access log
//! with the clients the table names; a refused one too.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};

use super::dashboard::{self, PeriodInput, Refusal, DASHBOARD_LIST};
use super::{request_lang, sign_in_first, signed_in_user, WebError};
use crate::api::AppState;
use crate::domain::{AccessAction, AccessTarget};
use crate::store::Access;

/// The formats a table downloads as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    Xlsx,
}

impl Format {
    fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// `GET /dashboard/export/{file}`.
pub async fn export(
    req: HttpRequest,
    state: web::Data<AppState>,
    file: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let lang = request_lang(&req);
    let Some(user) = signed_in_user(&req, &state).await? else {
        return Ok(sign_in_first(&req));
    };
    let (id, format) = match file.rsplit_once('.') {
        Some((id, "csv")) => (id.to_string(), Format::Csv),
        Some((id, "xlsx")) => (id.to_string(), Format::Xlsx),
        _ => return dashboard::not_found(&req, lang, &user),
    };
    let input = PeriodInput::from_query(req.query_string());
    let action = AccessAction::DashboardExport;
    // The table asked for is not known to exist yet, so a refusal names the exports only.
    let refused_list = format!("{DASHBOARD_LIST}/export");
    let (checked, figures) =
        match dashboard::load(&state, lang, &user, &input, action, &refused_list).await? {
            Ok(loaded) => loaded,
            Err(Refusal::Forbidden) => return dashboard::forbidden(&req, lang, &user),
            Err(Refusal::Form(errors)) => {
                return dashboard::form_with_errors(&req, &state, lang, &user, &input, errors).await
            }
        };
    let Some(table) = dashboard::tables(lang, user.role, &checked, &figures)
        .into_iter()
        .find(|t| t.id == id)
    else {
        return dashboard::not_found(&req, lang, &user);
    };
    let list = format!("{DASHBOARD_LIST}/{}.{}", table.id, format.ext());
    let access = Access::allowed(user.id, action, AccessTarget::List(&list, &table.clients));
    state.store.log_access(&access).await?;
    let bytes = match format {
        Format::Csv => table
            .to_csv()
            .map_err(|e| WebError::Internal(format!("csv: {e}")))?,
        Format::Xlsx => table
            .to_xlsx()
            .map_err(|e| WebError::Internal(format!("xlsx: {e}")))?,
    };
    // File names are plain ASCII from the catalogue, so no encoding is needed.
    let name = format!(
        "{}_{}_{}.{}",
        lang.t(&format!("file-{}", table.id)),
        checked.period.from,
        checked.period.to,
        format.ext()
    );
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!(r#"attachment; filename="{name}""#),
        ))
        .body(bytes))
}

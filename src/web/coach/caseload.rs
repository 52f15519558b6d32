//! `GET /caseload`: the clients who need an action on top, each with why in words, then
//! everyone with stage and last activity (the same list as `GET /api/v1/caseload`).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::Utc;

use super::coach;
use crate::api::{caseload_overview, AppState, CaseloadEntry};
use crate::domain::{AccessAction, AccessTarget};
use crate::funnel::caseload::Attention;
use crate::store::CASELOAD_OVERVIEW;
use crate::web::format;
use crate::web::i18n::Lang;
use crate::web::page::Page;
use crate::web::{html, request_lang, WebError};

/// One client as the page shows it.
pub struct Row {
    /// Link to the client page.
    pub href: String,
    /// Display name.
    pub name: String,
    /// Stage in words.
    pub stage: String,
    /// Intake date.
    pub intake: String,
    /// Last recorded step, or a dash.
    pub last_activity: String,
    /// What needs doing, in words, most urgent first.
    pub reasons: Vec<String>,
    /// The most urgent reason is past an IPS limit (shown as a warning).
    pub urgent: bool,
}

#[derive(Template)]
#[template(path = "coach/caseload.html")]
struct CaseloadPage {
    page: Page,
    needs_action: Vec<Row>,
    everyone: Vec<Row>,
    new_client_href: &'static str,
}

/// Why a client needs attention, in words.
pub fn reason(lang: Lang, a: &Attention) -> String {
    match a {
        Attention::FirstContactOverdue { days } => {
            lang.t1("attention-first_contact_overdue", "days", days.to_string())
        }
        Attention::FirstContactSoon { days } => {
            lang.t1("attention-first_contact_soon", "days", days.to_string())
        }
        Attention::JobEnded { since } => {
            lang.t1("attention-job_ended", "date", format::date(lang, *since))
        }
        Attention::FollowUpDue { days } => {
            lang.t1("attention-follow_up_due", "days", days.to_string())
        }
        Attention::BenefitsCounsellingDue => lang.t("attention-benefits_counselling_due"),
        Attention::NewMatches { count: 1 } => lang.t("attention-new_matches-one"),
        Attention::NewMatches { count } => {
            lang.t1("attention-new_matches", "count", count.to_string())
        }
    }
}

/// The stage of a caseload entry in words.
pub fn stage_words(lang: Lang, e: &CaseloadEntry) -> String {
    if e.closed {
        return lang.t("stage-closed");
    }
    match e.stage {
        Some(s) => lang.t(&format!("stage-{}", s.as_str())),
        None => lang.t("stage-none"),
    }
}

fn row(lang: Lang, e: &CaseloadEntry) -> Row {
    Row {
        href: format!("/clients/{}", e.id),
        name: e.display_name.clone(),
        stage: stage_words(lang, e),
        intake: format::date(lang, e.intake_date),
        last_activity: e
            .last_activity
            .map(|at| format::date(lang, at.date_naive()))
            .unwrap_or_else(|| "–".into()),
        reasons: e.attention.iter().map(|a| reason(lang, a)).collect(),
        urgent: matches!(
            e.attention.first(),
            Some(Attention::FirstContactOverdue { .. } | Attention::JobEnded { .. })
        ),
    }
}

/// The caseload page.
pub async fn page(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let lang = request_lang(&req);
    let target = AccessTarget::List(CASELOAD_OVERVIEW, &[]);
    let caller = match coach(&req, &state, lang, AccessAction::List, target).await? {
        Ok(c) => c,
        Err(answer) => return Ok(answer),
    };
    let entries = caseload_overview(&state, &caller.0, Utc::now().date_naive()).await?;
    let (needs_action, everyone): (Vec<Row>, Vec<Row>) = (
        entries
            .iter()
            .filter(|e| !e.attention.is_empty())
            .map(|e| row(lang, e))
            .collect(),
        entries.iter().map(|e| row(lang, e)).collect(),
    );
    let page = Page::new(&req, lang, Some(&caller.0), lang.t("caseload-title"));
    let body = CaseloadPage {
        page,
        needs_action,
        everyone,
        new_client_href: super::NEW_CLIENT_PATH,
    }
    .render()?;
    Ok(html(StatusCode::OK, body))
}

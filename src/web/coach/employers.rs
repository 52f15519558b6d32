//! The employer register for job development: `GET /employers` lists the employers with who
//! contacted each in the last seven days (every coach's contacts, so two coaches don't call the
//! same employer the same week); `GET /employers/{id}` shows the whole contact log and a quick
//! form to log a contact (`POST /employers/{id}/contacts`, the same rules as
//! `POST /api/v1/employer-contacts`; with a client, the client's history gets the
//! `employer_contact` event too).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{Duration, Utc};

use super::{coach, field, form_pairs};
use crate::api::{AppState, Caller};
use crate::domain::{
    AccessAction, AccessTarget, ContactDraft, ContactInput, Employer, EmployerContact,
};
use crate::store::{Access, StoreError};
use crate::web::format;
use crate::web::i18n::Lang;
use crate::web::page::{FieldError, Page};
use crate::web::{html, request_lang, see_other, WebError};

/// Employers per page of the register.
const PAGE_SIZE: i64 = 50;
/// Contacts shown on an employer's page.
const LOG_SIZE: i64 = 100;

/// One contact in words.
pub struct ContactLine {
    pub date: String,
    pub coach: String,
    pub how: String,
    pub about: String,
}

/// One employer of the register.
pub struct RegisterRow {
    pub href: String,
    pub name: String,
    pub place: String,
    /// Contacts of the last seven days, newest first.
    pub this_week: Vec<ContactLine>,
}

#[derive(Template)]
#[template(path = "coach/employers.html")]
struct RegisterPage {
    page: Page,
    rows: Vec<RegisterRow>,
    next: Option<String>,
    previous: Option<String>,
}

#[derive(Template)]
#[template(path = "coach/employer.html")]
struct EmployerPage {
    page: Page,
    employer_id: i64,
    facts: Vec<(String, String)>,
    log: Vec<ContactLine>,
    errors: Vec<FieldError>,
    /// The form as typed: date, face to face, client id, purpose, outcome.
    at: String,
    face_to_face: bool,
    client: String,
    purpose: String,
    outcome: String,
    /// The coach's clients for the form: (id, name, selected).
    clients: Vec<(String, String, bool)>,
    notice: Option<String>,
}

impl EmployerPage {
    fn error(&self, name: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| e.message.as_str())
    }
}

fn line(lang: Lang, c: &EmployerContact, names: &[(i64, String)]) -> ContactLine {
    let about = match c.client_id {
        Some(id) => names
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default(),
        None if c.with_client => lang.t("contact-about-other-client"),
        None => String::new(),
    };
    ContactLine {
        date: format::date(lang, c.at.date_naive()),
        coach: c.coach_name.clone(),
        how: lang.t(if c.face_to_face {
            "contact-face-to-face"
        } else {
            "contact-remote"
        }),
        about,
    }
}

/// Writes the read of the coach's own clients that a contact log names.
async fn log_named(
    state: &AppState,
    caller: &Caller,
    list: &str,
    contacts: &[EmployerContact],
) -> Result<(), WebError> {
    let shown: Vec<i64> = contacts.iter().filter_map(|c| c.client_id).collect();
    if !shown.is_empty() {
        let target = AccessTarget::List(list, &shown);
        let access = Access::allowed(caller.id(), AccessAction::EmployerContacts, target);
        state.store.log_access(&access).await?;
    }
    Ok(())
}

/// `GET /employers?page=N`.
pub async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let lang = request_lang(&req);
    let target = AccessTarget::List("employers", &[]);
    let caller = match coach(&req, &state, lang, AccessAction::EmployerContacts, target).await? {
        Ok(c) => c,
        Err(answer) => return Ok(answer),
    };
    let page_no: i64 = form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "page")
        .and_then(|(_, v)| v.parse().ok())
        .filter(|n: &i64| (1..=10_000).contains(n))
        .unwrap_or(1);
    let found = state
        .store
        .employers(None, PAGE_SIZE, (page_no - 1) * PAGE_SIZE)
        .await?;
    let names = state.store.client_names(caller.id()).await?;
    let week_ago = Utc::now() - Duration::days(7);
    let mut rows = Vec::with_capacity(found.items.len());
    let mut named = Vec::new();
    for e in &found.items {
        let contacts: Vec<EmployerContact> = state
            .store
            .employer_contacts(e.id, Some(caller.id()), 20)
            .await?
            .into_iter()
            .filter(|c| c.at >= week_ago)
            .collect();
        rows.push(RegisterRow {
            href: format!("/employers/{}", e.id),
            name: e.name.clone(),
            place: e
                .municipality
                .clone()
                .unwrap_or_else(|| lang.t("place-unknown")),
            this_week: contacts.iter().map(|c| line(lang, c, &names)).collect(),
        });
        named.extend(contacts);
    }
    log_named(&state, &caller, "employers", &named).await?;
    let more = page_no * PAGE_SIZE < found.total;
    let page = Page::new(&req, lang, Some(&caller.0), lang.t("register-title"));
    let body = RegisterPage {
        page,
        rows,
        next: more.then(|| format!("/employers?page={}", page_no + 1)),
        previous: (page_no > 1).then(|| format!("/employers?page={}", page_no - 1)),
    }
    .render()?;
    Ok(html(StatusCode::OK, body))
}

/// The form's values as typed.
struct Typed {
    at: String,
    face_to_face: bool,
    client: String,
    purpose: String,
    outcome: String,
}

#[allow(clippy::too_many_arguments)]
async fn render(
    req: &HttpRequest,
    state: &AppState,
    lang: Lang,
    caller: &Caller,
    employer: &Employer,
    typed: Typed,
    errors: Vec<FieldError>,
    notice: Option<String>,
) -> Result<HttpResponse, WebError> {
    let contacts = state
        .store
        .employer_contacts(employer.id, Some(caller.id()), LOG_SIZE)
        .await?;
    let names = state.store.client_names(caller.id()).await?;
    log_named(
        state,
        caller,
        &format!("employers/{}/contacts", employer.id),
        &contacts,
    )
    .await?;
    let facts = [
        ("field-business_id", employer.business_id.clone()),
        ("field-industry", employer.industry.clone()),
        ("field-municipality", employer.municipality.clone()),
    ]
    .into_iter()
    .map(|(id, v)| (lang.t(id), v.unwrap_or_else(|| lang.t("not-given"))))
    .collect();
    let clients = names
        .iter()
        .map(|(id, n)| (id.to_string(), n.clone(), typed.client == id.to_string()))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut page = Page::new(req, lang, Some(&caller.0), employer.name.clone());
    page.has_errors = !errors.is_empty();
    let body = EmployerPage {
        page,
        employer_id: employer.id,
        facts,
        log: contacts.iter().map(|c| line(lang, c, &names)).collect(),
        errors,
        at: typed.at,
        face_to_face: typed.face_to_face,
        client: typed.client,
        purpose: typed.purpose,
        outcome: typed.outcome,
        clients,
        notice,
    }
    .render()?;
    Ok(html(status, body))
}

async fn employer_or_404(
    req: &HttpRequest,
    state: &AppState,
    lang: Lang,
    caller: &Caller,
    id: i64,
) -> Result<Result<Employer, HttpResponse>, WebError> {
    match state.store.employer(id).await {
        Ok(e) => Ok(Ok(e)),
        Err(StoreError::NotFound { .. }) => Ok(Err(super::not_found(req, lang, caller)?)),
        Err(e) => Err(e.into()),
    }
}

/// `GET /employers/{id}`.
pub async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, WebError> {
    let lang = request_lang(&req);
    let id = id.into_inner();
    let list = format!("employers/{id}/contacts");
    let target = AccessTarget::List(&list, &[]);
    let caller = match coach(&req, &state, lang, AccessAction::EmployerContacts, target).await? {
        Ok(c) => c,
        Err(answer) => return Ok(answer),
    };
    let employer = match employer_or_404(&req, &state, lang, &caller, id).await? {
        Ok(e) => e,
        Err(answer) => return Ok(answer),
    };
    let notice = form_urlencoded::parse(req.query_string().as_bytes())
        .any(|(k, v)| k == "logged" && v == "1")
        .then(|| lang.t("notice-contact-logged"));
    let typed = Typed {
        at: format::date_input(Utc::now().date_naive()),
        face_to_face: false,
        client: String::new(),
        purpose: String::new(),
        outcome: String::new(),
    };
    render(
        &req,
        &state,
        lang,
        &caller,
        &employer,
        typed,
        Vec::new(),
        notice,
    )
    .await
}

/// `POST /employers/{id}/contacts`: logs the calling coach's contact.
pub async fn log_contact(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let lang = request_lang(&req);
    let id = id.into_inner();
    let target = AccessTarget::List("employer-contacts", &[]);
    let caller = match coach(&req, &state, lang, AccessAction::RecordContact, target).await? {
        Ok(c) => c,
        Err(answer) => return Ok(answer),
    };
    let pairs = form_pairs(&body);
    crate::web::check_form(&req, &state, &pairs)?;
    let employer = match employer_or_404(&req, &state, lang, &caller, id).await? {
        Ok(e) => e,
        Err(answer) => return Ok(answer),
    };
    let text = |name: &str| field(&pairs, name).unwrap_or("").trim().to_string();
    let typed = Typed {
        at: text("at"),
        face_to_face: field(&pairs, "face_to_face").is_some(),
        client: text("client_id"),
        purpose: text("purpose"),
        outcome: text("outcome"),
    };
    let mut errors = Vec::new();
    let at = match format::parse_date_input(&typed.at) {
        Some(d) => d.to_string(),
        None => {
            errors.push(FieldError {
                field: "at",
                message: lang.t("contact-error-at"),
            });
            String::new()
        }
    };
    let client_id = match typed.client.as_str() {
        "" => None,
        raw => match raw.parse::<i64>() {
            Ok(c) => Some(c),
            Err(_) => {
                errors.push(FieldError {
                    field: "client_id",
                    message: lang.t("contact-error-client_id"),
                });
                None
            }
        },
    };
    let input = ContactInput {
        employer_id: id,
        at,
        face_to_face: typed.face_to_face,
        client_id,
        purpose: Some(typed.purpose.clone()).filter(|p| !p.is_empty()),
        outcome: Some(typed.outcome.clone()).filter(|p| !p.is_empty()),
    };
    if errors.is_empty() {
        match ContactDraft::parse(&input, Utc::now()) {
            Ok(draft) => match state.store.record_contact(caller.id(), &draft).await {
                Ok(_) => return Ok(see_other(&format!("/employers/{id}?logged=1"))),
                Err(StoreError::InvalidReference { field, .. }) => errors.push(FieldError {
                    field: if field == "client_id" {
                        "client_id"
                    } else {
                        "at"
                    },
                    message: lang.t(if field == "client_id" {
                        "contact-error-client_id"
                    } else {
                        "contact-error-at"
                    }),
                }),
                Err(e) => return Err(e.into()),
            },
            Err(e) => {
                let name: &'static str = match e.field.as_str() {
                    "purpose" => "purpose",
                    "outcome" => "outcome",
                    "client_id" => "client_id",
                    _ => "at",
                };
                errors.push(FieldError {
                    field: name,
                    message: lang.t(&format!("contact-error-{name}")),
                });
            }
        }
    }
    render(&req, &state, lang, &caller, &employer, typed, errors, None).await
}

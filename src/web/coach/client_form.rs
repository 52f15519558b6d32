//! Registering a client and editing a client's record and wishes: one form with every field
//! of the contract (`display_name`, `home_municipality`, `intake_date`,
//! `treatment_team_contact`, `desired_work`, `avoid`, `municipalities`, `max_commute_km`,
//! `hours_per_week.min`, `hours_per_week.max`, `languages`, `adjustments`, `occupations`).
//!
//! The rules are the API's ([`ClientDraft::parse`]); to report every problem at once the form
//! is parsed again with each faulty field set aside, so no rule is written twice. On an error
//! the form comes back with everything as typed.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{NaiveDate, Utc};

use super::{coach, field, form_pairs};
use crate::api::{AppState, Caller};
use crate::domain::{
    AccessAction, AccessTarget, Client, ClientDraft, ClientInput, HoursRange, Preferences,
    ValidationError,
};
use crate::store::{StoreError, CASELOAD_LIST};
use crate::web::format;
use crate::web::i18n::Lang;
use crate::web::page::{FieldError, Page};
use crate::web::{html, request_lang, see_other, WebError};

/// The form's fields as typed (text, so that nothing is lost when it comes back).
#[derive(Debug, Clone, Default)]
pub struct ClientFields {
    pub display_name: String,
    pub home_municipality: String,
    pub intake_date: String,
    pub treatment_team_contact: String,
    pub desired_work: String,
    pub avoid: String,
    pub municipalities: String,
    pub max_commute_km: String,
    pub hours_min: String,
    pub hours_max: String,
    pub languages: String,
    pub adjustments: String,
    pub occupations: String,
}

/// Every field name the form posts, in the order the error summary lists them.
pub const FIELDS: [&str; 13] = [
    "display_name",
    "home_municipality",
    "intake_date",
    "treatment_team_contact",
    "desired_work",
    "avoid",
    "municipalities",
    "max_commute_km",
    "hours_per_week.min",
    "hours_per_week.max",
    "languages",
    "adjustments",
    "occupations",
];

fn decimal_text(lang: Lang, x: Option<f64>) -> String {
    x.map(|v| {
        let s = format!("{v}");
        if lang == Lang::En {
            s
        } else {
            s.replace('.', ",")
        }
    })
    .unwrap_or_default()
}

impl ClientFields {
    /// The fields of a stored client.
    pub fn of(lang: Lang, c: &Client) -> Self {
        let p = &c.preferences;
        let hours = p.hours_per_week.unwrap_or_default();
        ClientFields {
            display_name: c.display_name.clone(),
            home_municipality: c.home_municipality.clone(),
            intake_date: format::date_input(c.intake_date),
            treatment_team_contact: c.treatment_team_contact.clone().unwrap_or_default(),
            desired_work: p.desired_work.clone().unwrap_or_default(),
            avoid: p.avoid.clone().unwrap_or_default(),
            municipalities: p.municipalities.join(", "),
            max_commute_km: decimal_text(lang, p.max_commute_km),
            hours_min: decimal_text(lang, hours.min),
            hours_max: decimal_text(lang, hours.max),
            languages: p.languages.join(", "),
            adjustments: p.adjustments.join("\n"),
            occupations: p.occupations.join(", "),
        }
    }

    /// The fields of a posted form; a field not sent is empty.
    pub fn from_form(pairs: &[(String, String)]) -> Self {
        let f = |name: &str| field(pairs, name).unwrap_or("").to_string();
        ClientFields {
            display_name: f("display_name"),
            home_municipality: f("home_municipality"),
            intake_date: f("intake_date"),
            treatment_team_contact: f("treatment_team_contact"),
            desired_work: f("desired_work"),
            avoid: f("avoid"),
            municipalities: f("municipalities"),
            max_commute_km: f("max_commute_km"),
            hours_min: f("hours_per_week.min"),
            hours_max: f("hours_per_week.max"),
            languages: f("languages"),
            adjustments: f("adjustments"),
            occupations: f("occupations"),
        }
    }
}

/// Splits a list typed with commas or semicolons (or one per line).
fn list(raw: &str) -> Vec<String> {
    raw.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Splits a list typed one item per line (items may contain commas).
fn lines(raw: &str) -> Vec<String> {
    raw.lines()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A number typed in Finnish or English style ("12,5" or "12.5"); blank is none.
fn number(raw: &str) -> Result<Option<f64>, ()> {
    let t = raw.trim().replace([' ', '\u{a0}'], "");
    if t.is_empty() {
        return Ok(None);
    }
    t.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .map(Some)
        .ok_or(())
}

fn blank_to_none(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The form field a domain error names (`preferences.languages[2]` → `languages`).
fn form_field(domain_field: &str) -> &'static str {
    let f = domain_field
        .strip_prefix("preferences.")
        .unwrap_or(domain_field);
    let f = f.split('[').next().unwrap_or(f);
    match f {
        "hours_per_week" | "hours_per_week.min" => "hours_per_week.min",
        "hours_per_week.max" => "hours_per_week.max",
        other => FIELDS
            .into_iter()
            .find(|k| *k == other)
            .unwrap_or("display_name"),
    }
}

/// Sets the field a domain error named aside (a value that passes), so the next parse finds
/// the next problem.
fn set_aside(input: &mut ClientInput, form_field: &str) {
    let p = &mut input.preferences;
    match form_field {
        "display_name" => input.display_name = "x".into(),
        "home_municipality" => input.home_municipality = "x".into(),
        "intake_date" => input.intake_date = None,
        "treatment_team_contact" => input.treatment_team_contact = None,
        "desired_work" => p.desired_work = None,
        "avoid" => p.avoid = None,
        "municipalities" => p.municipalities.clear(),
        "max_commute_km" => p.max_commute_km = None,
        "hours_per_week.min" | "hours_per_week.max" => p.hours_per_week = None,
        "languages" => p.languages.clear(),
        "adjustments" => p.adjustments.clear(),
        _ => p.occupations.clear(),
    }
}

/// The fields as a client draft, or every problem in the page's language.
pub fn parse(
    lang: Lang,
    fields: &ClientFields,
    today: NaiveDate,
) -> Result<ClientDraft, Vec<FieldError>> {
    let mut errors: Vec<FieldError> = Vec::new();
    let error = |field: &'static str| FieldError {
        field,
        message: lang.t(&format!("client-error-{}", field.replace('.', "-"))),
    };
    let mut numbers = Vec::new();
    for (name, raw) in [
        ("max_commute_km", &fields.max_commute_km),
        ("hours_per_week.min", &fields.hours_min),
        ("hours_per_week.max", &fields.hours_max),
    ] {
        match number(raw) {
            Ok(x) => numbers.push(x),
            Err(()) => {
                errors.push(error(name));
                numbers.push(None);
            }
        }
    }
    let hours = (numbers[1].is_some() || numbers[2].is_some()).then_some(HoursRange {
        min: numbers[1],
        max: numbers[2],
    });
    let mut input = ClientInput {
        display_name: fields.display_name.clone(),
        home_municipality: fields.home_municipality.clone(),
        intake_date: blank_to_none(&fields.intake_date).map(|d| {
            format::parse_date_input(&d)
                .map(|d| d.to_string())
                .unwrap_or(d)
        }),
        treatment_team_contact: blank_to_none(&fields.treatment_team_contact),
        preferences: Preferences {
            desired_work: blank_to_none(&fields.desired_work),
            occupations: list(&fields.occupations),
            municipalities: list(&fields.municipalities),
            max_commute_km: numbers[0],
            hours_per_week: hours,
            avoid: blank_to_none(&fields.avoid),
            languages: list(&fields.languages)
                .into_iter()
                .map(|l| l.to_lowercase())
                .collect(),
            adjustments: lines(&fields.adjustments),
        },
    };
    for (name, _) in errors.iter().map(|e| (e.field, ())).collect::<Vec<_>>() {
        set_aside(&mut input, name);
    }
    // Each round finds one problem; a field is set aside once, so this ends.
    for _ in 0..FIELDS.len() + 1 {
        match ClientDraft::parse(&input, today) {
            Ok(draft) if errors.is_empty() => return Ok(draft),
            Ok(_) => break,
            Err(ValidationError { field, .. }) => {
                let name = form_field(&field);
                if errors.iter().any(|e| e.field == name) {
                    break;
                }
                errors.push(error(name));
                set_aside(&mut input, name);
            }
        }
    }
    errors.sort_by_key(|e| FIELDS.iter().position(|f| *f == e.field));
    Err(errors)
}

#[derive(Template)]
#[template(path = "coach/client_form.html")]
struct FormPage {
    page: Page,
    /// Where the form posts.
    action: String,
    /// Where "cancel" goes.
    back: String,
    fields: ClientFields,
    errors: Vec<FieldError>,
    /// Registering (true) or editing.
    new: bool,
}

impl FormPage {
    /// The error message of field `name`, if any.
    fn error(&self, name: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| e.message.as_str())
    }
}

fn render(
    req: &HttpRequest,
    lang: Lang,
    caller: &Caller,
    status: StatusCode,
    form: (String, String, bool),
    fields: ClientFields,
    errors: Vec<FieldError>,
) -> Result<HttpResponse, WebError> {
    let (action, back, new) = form;
    let title = if new {
        lang.t("client-new-title")
    } else {
        lang.t1("client-edit-title", "name", fields.display_name.clone())
    };
    let mut page = Page::new(req, lang, Some(&caller.0), title);
    page.has_errors = !errors.is_empty();
    let body = FormPage {
        page,
        action,
        back,
        fields,
        errors,
        new,
    }
    .render()?;
    Ok(html(status, body))
}

fn new_form_parts() -> (String, String, bool) {
    (
        super::NEW_CLIENT_PATH.to_string(),
        super::CASELOAD_PATH.to_string(),
        true,
    )
}

/// `GET /clients/new`.
pub async fn new_form(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let lang = request_lang(&req);
    let target = AccessTarget::List(CASELOAD_LIST, &[]);
    let caller = match coach(&req, &state, lang, AccessAction::Create, target).await? {
        Ok(c) => c,
        Err(answer) => return Ok(answer),
    };
    let fields = ClientFields {
        intake_date: format::date_input(Utc::now().date_naive()),
        ..Default::default()
    };
    render(
        &req,
        lang,
        &caller,
        StatusCode::OK,
        new_form_parts(),
        fields,
        Vec::new(),
    )
}

/// `POST /clients/new`: registers the client and opens its page.
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let lang = request_lang(&req);
    let target = AccessTarget::List(CASELOAD_LIST, &[]);
    let caller = match coach(&req, &state, lang, AccessAction::Create, target).await? {
        Ok(c) => c,
        Err(answer) => return Ok(answer),
    };
    let pairs = form_pairs(&body);
    crate::web::check_form(&req, &state, &pairs)?;
    let fields = ClientFields::from_form(&pairs);
    match parse(lang, &fields, Utc::now().date_naive()) {
        Ok(draft) => {
            let client = state.store.create_client(caller.id(), &draft).await?;
            Ok(see_other(&format!("/clients/{}", client.id)))
        }
        Err(errors) => render(
            &req,
            lang,
            &caller,
            StatusCode::UNPROCESSABLE_ENTITY,
            new_form_parts(),
            fields,
            errors,
        ),
    }
}

fn edit_parts(id: i64) -> (String, String, bool) {
    (
        format!("/clients/{id}/edit"),
        format!("/clients/{id}"),
        false,
    )
}

/// `GET /clients/{id}/edit`.
pub async fn edit_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, WebError> {
    let lang = request_lang(&req);
    let id = id.into_inner();
    let target = AccessTarget::Client(id);
    let caller = match coach(&req, &state, lang, AccessAction::Read, target).await? {
        Ok(c) => c,
        Err(answer) => return Ok(answer),
    };
    let client = match state.store.client_for_coach(id, caller.id()).await {
        Ok(c) => c,
        Err(StoreError::NotFound { .. }) => return super::not_found(&req, lang, &caller),
        Err(e) => return Err(e.into()),
    };
    render(
        &req,
        lang,
        &caller,
        StatusCode::OK,
        edit_parts(id),
        ClientFields::of(lang, &client),
        Vec::new(),
    )
}

/// `POST /clients/{id}/edit`: saves every field of the form (the form holds them all, so
/// nothing is dropped) and goes back to the client page.
pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let lang = request_lang(&req);
    let id = id.into_inner();
    let target = AccessTarget::Client(id);
    let caller = match coach(&req, &state, lang, AccessAction::Update, target).await? {
        Ok(c) => c,
        Err(answer) => return Ok(answer),
    };
    let pairs = form_pairs(&body);
    crate::web::check_form(&req, &state, &pairs)?;
    // Only the client's own coach sees even the form with errors (a refusal is logged here;
    // the change is logged with the update).
    let current = match state
        .store
        .own_client(id, caller.id(), AccessAction::Update)
        .await
    {
        Ok(c) => c,
        Err(StoreError::NotFound { .. }) => return super::not_found(&req, lang, &caller),
        Err(e) => return Err(e.into()),
    };
    let mut fields = ClientFields::from_form(&pairs);
    // An intake date left empty keeps the one on record (the rapid-search clock must not
    // restart because a field was cleared).
    if fields.intake_date.trim().is_empty() {
        fields.intake_date = format::date_input(current.intake_date);
    }
    match parse(lang, &fields, Utc::now().date_naive()) {
        Ok(draft) => match state.store.update_client(id, caller.id(), &draft).await {
            Ok(_) => Ok(see_other(&format!("/clients/{id}?saved=1"))),
            Err(StoreError::NotFound { .. }) => super::not_found(&req, lang, &caller),
            Err(e) => Err(e.into()),
        },
        Err(errors) => render(
            &req,
            lang,
            &caller,
            StatusCode::UNPROCESSABLE_ENTITY,
            edit_parts(id),
            fields,
            errors,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        "2026-12-01".parse().unwrap()
    }

    #[test]
    fn every_faulty_field_is_reported_at_once() {
        let fields = ClientFields {
            display_name: " ".into(),
            home_municipality: "Lahti".into(),
            intake_date: "2999-01-01".into(),
            max_commute_km: "kymmenen".into(),
            languages: "fi, klingon".into(),
            ..Default::default()
        };
        let errors = parse(Lang::Fi, &fields, today()).unwrap_err();
        let names: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            names,
            ["display_name", "intake_date", "max_commute_km", "languages"]
        );
        assert!(errors
            .iter()
            .all(|e| !e.message.starts_with("client-error")));
    }

    #[test]
    fn finnish_numbers_and_dates_are_read() {
        let fields = ClientFields {
            display_name: "Asiakas A".into(),
            home_municipality: "Lahti".into(),
            intake_date: "1.11.2026".into(),
            max_commute_km: "12,5".into(),
            hours_min: "20".into(),
            adjustments: "kirjalliset ohjeet\nhiljainen tila, jos mahdollista".into(),
            ..Default::default()
        };
        let draft = parse(Lang::Fi, &fields, today()).unwrap();
        assert_eq!(
            draft.intake_date,
            "2026-11-01".parse::<NaiveDate>().unwrap()
        );
        assert_eq!(draft.preferences.max_commute_km, Some(12.5));
        assert_eq!(
            draft.preferences.adjustments,
            ["kirjalliset ohjeet", "hiljainen tila, jos mahdollista"]
        );
    }
}

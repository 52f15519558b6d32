//! The vacancy form: posting a vacancy and editing an open one, with every field of the
//! contract (`title`, `description`, `municipality`, `occupation_code`, `hours_per_week.min`,
//! `hours_per_week.max`, `employment_type`, `language`, `valid_through`, `wage_subsidy_ok`,
//! `work_trial_ok`, `adjustments_offered` one per line).
//!
//! The form is checked by the API's own `VacancyDraft::parse`. It stops at the first problem,
//! so the form is parsed again with each faulty field set aside until it passes: every problem
//! is shown at once, in the page's language, and the form comes back as typed.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;

use super::super::i18n::Lang;
use super::super::{format, html, see_other, FieldError, Page, WebError};
use super::form::{self, error_of, parse_all, Choice, Errors, Posted};
use super::postings::{error_id, load, text_message, Kind, Posting};
use super::{acting, not_found, posted, Acting, HOME_PATH};
use crate::api::AppState;
use crate::domain::{HoursRange, PostingStatus, Source, Vacancy, VacancyDraft, VacancyInput};

/// The vacancy form's fields in page order; the names are the contract's JSON names.
const VACANCY_FIELDS: [&str; 12] = [
    "title",
    "description",
    "municipality",
    "occupation_code",
    "hours_per_week.min",
    "hours_per_week.max",
    "employment_type",
    "language",
    "valid_through",
    "wage_subsidy_ok",
    "work_trial_ok",
    "adjustments_offered",
];

/// The vacancy form as typed.
#[derive(Debug, Clone, Default)]
pub struct VacancyFields {
    pub title: String,
    pub description: String,
    pub municipality: String,
    pub occupation_code: String,
    pub hours_min: String,
    pub hours_max: String,
    pub employment_type: String,
    pub language: String,
    pub valid_through: String,
    pub wage_subsidy_ok: String,
    pub work_trial_ok: String,
    pub adjustments_offered: String,
}

impl VacancyFields {
    fn from_posted(p: &Posted) -> Self {
        VacancyFields {
            title: p.text("title"),
            description: p.text("description"),
            municipality: p.text("municipality"),
            occupation_code: p.text("occupation_code"),
            hours_min: p.text("hours_per_week.min"),
            hours_max: p.text("hours_per_week.max"),
            employment_type: p.text("employment_type"),
            language: p.text("language"),
            valid_through: p.text("valid_through"),
            wage_subsidy_ok: p.text("wage_subsidy_ok"),
            work_trial_ok: p.text("work_trial_ok"),
            adjustments_offered: p.text("adjustments_offered"),
        }
    }

    fn from_vacancy(lang: Lang, v: &Vacancy) -> Self {
        let hours = v.hours_per_week.unwrap_or_default();
        let number = |x: Option<f64>| x.map(|x| form::number_value(lang, x)).unwrap_or_default();
        VacancyFields {
            title: v.title.clone(),
            description: v.description.clone(),
            municipality: v
                .location
                .clone()
                .or_else(|| v.municipality.clone())
                .unwrap_or_default(),
            occupation_code: v.occupation_code.clone().unwrap_or_default(),
            hours_min: number(hours.min),
            hours_max: number(hours.max),
            employment_type: v.employment_type.clone().unwrap_or_default(),
            language: v.language.clone().unwrap_or_default(),
            valid_through: v
                .valid_through
                .map(|t| format::date_input(t.date_naive()))
                .unwrap_or_default(),
            wage_subsidy_ok: form::yes_no_value(v.wage_subsidy_ok).into(),
            work_trial_ok: form::yes_no_value(v.work_trial_ok).into(),
            adjustments_offered: v.adjustments_offered.join("\n"),
        }
    }

    /// Checks the form with the domain's rules; `base` carries what the form does not show
    /// (the employer, and an edited posting's first publication and source id).
    fn check(
        &self,
        lang: Lang,
        base: VacancyInput,
    ) -> Result<Result<VacancyDraft, Vec<FieldError>>, WebError> {
        let mut errors = Errors::default();
        let mut spelling = |field: &'static str, id: &str| errors.add(field, lang.t(id));
        let min = form::decimal(&self.hours_min).unwrap_or_else(|()| {
            spelling("hours_per_week.min", "emp-error-hours_per_week-min-number");
            None
        });
        let max = form::decimal(&self.hours_max).unwrap_or_else(|()| {
            spelling("hours_per_week.max", "emp-error-hours_per_week-max-number");
            None
        });
        let valid_through = form::date(&self.valid_through).unwrap_or_else(|()| {
            spelling("valid_through", "emp-error-valid_through-format");
            None
        });
        let wage_subsidy_ok = form::yes_no(&self.wage_subsidy_ok).unwrap_or_else(|()| {
            spelling("wage_subsidy_ok", "emp-error-wage_subsidy_ok");
            None
        });
        let work_trial_ok = form::yes_no(&self.work_trial_ok).unwrap_or_else(|()| {
            spelling("work_trial_ok", "emp-error-work_trial_ok");
            None
        });
        let mut input = VacancyInput {
            title: self.title.clone(),
            description: self.description.clone(),
            municipality: Some(self.municipality.clone()),
            occupation_code: Some(self.occupation_code.clone()),
            hours_per_week: Some(HoursRange { min, max }),
            employment_type: Some(self.employment_type.clone()),
            language: Some(self.language.clone()),
            valid_through,
            wage_subsidy_ok,
            work_trial_ok,
            adjustments_offered: Some(form::lines(&self.adjustments_offered)),
            ..base
        };
        let message = |field: &'static str| match field {
            "title" => text_message(lang, field, &self.title),
            "description" => text_message(lang, field, &self.description),
            "municipality" => text_message(lang, field, &self.municipality),
            other => lang.t(&error_id(other)),
        };
        let draft = parse_all(
            &mut input,
            &mut errors,
            |i| VacancyDraft::parse(i, Source::Api),
            set_aside_vacancy,
            message,
        )?;
        Ok(draft.ok_or_else(|| errors.into_sorted(&VACANCY_FIELDS)))
    }
}

/// Replaces the field the domain refused with an acceptable value, so the next parse looks
/// further; returns the form field it was.
fn set_aside_vacancy(i: &mut VacancyInput, field: &str) -> Option<&'static str> {
    let stand_in = || "-".to_string();
    Some(match field {
        "title" => {
            i.title = stand_in();
            "title"
        }
        "description" => {
            i.description = stand_in();
            "description"
        }
        "municipality" => {
            i.municipality = Some(stand_in());
            "municipality"
        }
        "occupation_code" => {
            i.occupation_code = None;
            "occupation_code"
        }
        "hours_per_week.min" => {
            i.hours_per_week.get_or_insert_with(Default::default).min = None;
            "hours_per_week.min"
        }
        "hours_per_week.max" => {
            i.hours_per_week.get_or_insert_with(Default::default).max = None;
            "hours_per_week.max"
        }
        "employment_type" => {
            i.employment_type = None;
            "employment_type"
        }
        "language" => {
            i.language = None;
            "language"
        }
        "valid_through" => {
            i.valid_through = None;
            "valid_through"
        }
        f if f.starts_with("adjustments_offered") => {
            i.adjustments_offered = None;
            "adjustments_offered"
        }
        _ => return None,
    })
}

#[derive(Template)]
#[template(path = "employer/vacancy_form.html")]
struct VacancyFormPage {
    page: Page,
    heading: String,
    intro: String,
    action: String,
    submit: String,
    cancel_href: String,
    f: VacancyFields,
    errors: Vec<FieldError>,
    employment_types: Vec<Choice>,
    languages: Vec<Choice>,
    wage_subsidy: Vec<Choice>,
    work_trial: Vec<Choice>,
}

impl VacancyFormPage {
    fn error(&self, field: &str) -> Option<&str> {
        error_of(&self.errors, field)
    }
}

const EMPLOYMENT_TYPES: [(&str, &str); 9] = [
    ("", "emp-not-chosen"),
    ("FULL_TIME", "emp-employment-FULL_TIME"),
    ("PART_TIME", "emp-employment-PART_TIME"),
    ("TEMPORARY", "emp-employment-TEMPORARY"),
    ("PER_DIEM", "emp-employment-PER_DIEM"),
    ("CONTRACTOR", "emp-employment-CONTRACTOR"),
    ("INTERN", "emp-employment-INTERN"),
    ("VOLUNTEER", "emp-employment-VOLUNTEER"),
    ("OTHER", "emp-employment-OTHER"),
];

const LANGUAGES: [(&str, &str); 4] = [
    ("", "emp-language-detect"),
    ("fi", "emp-language-fi"),
    ("sv", "emp-language-sv"),
    ("en", "emp-language-en"),
];

const YES_NO: [(&str, &str); 3] = [
    ("true", "emp-yes"),
    ("false", "emp-no"),
    (form::NOT_SAID, "emp-not-said"),
];

/// The vacancy form page: new (`id` none) or editing, filled with `f`.
fn vacancy_form(
    req: &HttpRequest,
    who: &Acting,
    id: Option<i64>,
    f: VacancyFields,
    errors: Vec<FieldError>,
) -> Result<HttpResponse, WebError> {
    let lang = who.lang;
    let (heading, action, submit, cancel_href) = match id {
        None => (
            lang.t("emp-vacancy-new-title"),
            "/employer/vacancies".to_string(),
            lang.t("emp-submit-create"),
            HOME_PATH.to_string(),
        ),
        Some(id) => (
            lang.t("emp-vacancy-edit-title"),
            format!("{}/edit", Kind::Vacancy.path(id)),
            lang.t("emp-submit-update"),
            Kind::Vacancy.path(id),
        ),
    };
    let mut page = Page::new(req, lang, Some(&who.user), heading.clone());
    page.has_errors = !errors.is_empty();
    let mut languages = Choice::list(lang, &LANGUAGES, &f.language);
    // A language the list lacks (an imported ad's) stays chosen rather than lost.
    if !f.language.is_empty() && !languages.iter().any(|c| c.checked) {
        languages.push(Choice {
            value: f.language.clone(),
            label: f.language.clone(),
            checked: true,
        });
    }
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = VacancyFormPage {
        intro: lang.t("emp-vacancy-intro"),
        employment_types: Choice::list(lang, &EMPLOYMENT_TYPES, &f.employment_type),
        languages,
        wage_subsidy: Choice::list(lang, &YES_NO, &f.wage_subsidy_ok),
        work_trial: Choice::list(lang, &YES_NO, &f.work_trial_ok),
        page,
        heading,
        action,
        submit,
        cancel_href,
        f,
        errors,
    }
    .render()?;
    Ok(html(status, body))
}

pub(super) async fn new_vacancy(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let who = match acting(&req, &state).await? {
        Ok(who) => who,
        Err(resp) => return Ok(resp),
    };
    vacancy_form(&req, &who, None, VacancyFields::default(), Vec::new())
}

/// `POST /employer/vacancies`: posts a vacancy for the user's own employer.
#[tracing::instrument(name = "web.create_vacancy", skip_all)]
pub(super) async fn create_vacancy(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let who = match acting(&req, &state).await? {
        Ok(who) => who,
        Err(resp) => return Ok(resp),
    };
    let f = match posted(&req, &state, &body) {
        Ok(form) => VacancyFields::from_posted(&form),
        Err(refused) => return Ok(refused.error_response()),
    };
    let base = VacancyInput {
        employer_id: who.employer_id,
        ..Default::default()
    };
    let mut draft = match f.check(who.lang, base)? {
        Ok(d) => d,
        Err(errors) => return vacancy_form(&req, &who, None, f, errors),
    };
    state.matcher.occupations().fill_vacancy(&mut draft);
    let v = state
        .store
        .create_vacancy(&draft, Some(who.user.id))
        .await?;
    state.written().await;
    Ok(see_other(&format!(
        "{}?notice=created",
        Kind::Vacancy.path(v.id)
    )))
}

pub(super) async fn edit_vacancy(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let who = match acting(&req, &state).await? {
        Ok(who) => who,
        Err(resp) => return Ok(resp),
    };
    match load(&state, &who, Kind::Vacancy, &id).await? {
        Some(Posting::Vacancy(v)) if v.status == PostingStatus::Open => {
            let f = VacancyFields::from_vacancy(who.lang, &v);
            vacancy_form(&req, &who, Some(v.id), f, Vec::new())
        }
        Some(p) => Ok(see_other(&p.kind().path(p.id()))),
        None => not_found(&req, &who),
    }
}

/// `POST /employer/vacancies/{id}/edit`: saves every field of the form.
#[tracing::instrument(name = "web.update_vacancy", skip_all)]
pub(super) async fn update_vacancy(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let who = match acting(&req, &state).await? {
        Ok(who) => who,
        Err(resp) => return Ok(resp),
    };
    let current = match load(&state, &who, Kind::Vacancy, &id).await? {
        Some(Posting::Vacancy(v)) if v.status == PostingStatus::Open => v,
        Some(p) => return Ok(see_other(&p.kind().path(p.id()))),
        None => return not_found(&req, &who),
    };
    let f = match posted(&req, &state, &body) {
        Ok(form) => VacancyFields::from_posted(&form),
        Err(refused) => return Ok(refused.error_response()),
    };
    let base = VacancyInput {
        employer_id: current.employer_id,
        date_posted: Some(current.date_posted.to_rfc3339()),
        external_id: current.external_id.clone(),
        ..Default::default()
    };
    let mut draft = match f.check(who.lang, base)? {
        Ok(d) => d,
        Err(errors) => return vacancy_form(&req, &who, Some(current.id), f, errors),
    };
    state.matcher.occupations().fill_vacancy(&mut draft);
    let v = state.store.update_vacancy(current.id, &draft).await?;
    state.written().await;
    Ok(see_other(&format!(
        "{}?notice=updated",
        Kind::Vacancy.path(v.id)
    )))
}

#[cfg(test)]
mod tests {
    use super::super::task_form::TASK_FIELDS;
    use super::*;

    fn fields() -> VacancyFields {
        VacancyFields {
            title: "Varastotyöntekijä".into(),
            description: "Keräilyä".into(),
            municipality: "Lahti".into(),
            ..Default::default()
        }
    }

    fn base() -> VacancyInput {
        VacancyInput {
            employer_id: 1,
            ..Default::default()
        }
    }

    /// Ids made at run time (a field's error, an enum's words) are in every catalogue.
    #[test]
    fn every_message_made_from_a_name_exists_in_every_language() {
        let mut ids: Vec<String> = VACANCY_FIELDS
            .iter()
            .chain(TASK_FIELDS.iter())
            .map(|f| error_id(f))
            .collect();
        for f in ["title", "description", "municipality"] {
            ids.push(format!("{}-empty", error_id(f)));
        }
        ids.extend(EMPLOYMENT_TYPES.iter().map(|(_, id)| id.to_string()));
        for t in [
            "FULL_TIME",
            "PART_TIME",
            "CONTRACTOR",
            "TEMPORARY",
            "INTERN",
            "VOLUNTEER",
        ] {
            ids.push(format!("emp-employment-{t}"));
        }
        ids.extend(["emp-site-buyer", "emp-site-provider"].map(String::from));
        ids.extend(["fi", "sv", "en"].map(|c| format!("emp-language-{c}")));
        for lang in Lang::ALL {
            for id in &ids {
                assert_ne!(&lang.t(id), id, "{} lacks {id}", lang.code());
            }
        }
    }

    #[test]
    fn a_good_vacancy_form_becomes_the_domains_draft() {
        let mut f = fields();
        f.hours_min = "7,5".into();
        f.valid_through = "31.12.2026".into();
        f.adjustments_offered = "kirjalliset ohjeet\n\n rauhallinen tila \n".into();
        f.work_trial_ok = "true".into();
        let d = f.check(Lang::Fi, base()).unwrap().unwrap();
        assert_eq!(d.hours_per_week.unwrap().min, Some(7.5));
        assert_eq!(
            d.valid_through.unwrap().date_naive().to_string(),
            "2026-12-31"
        );
        assert_eq!(
            d.adjustments_offered,
            ["kirjalliset ohjeet", "rauhallinen tila"]
        );
        assert_eq!(d.work_trial_ok, Some(true));
        assert_eq!(d.wage_subsidy_ok, None);
    }

    #[test]
    fn every_problem_of_a_vacancy_form_is_reported_in_page_order() {
        let f = VacancyFields {
            title: " ".into(),
            municipality: "".into(),
            description: "x".repeat(50_001),
            occupation_code: "abc".into(),
            hours_min: "30".into(),
            hours_max: "10".into(),
            employment_type: "SOMETIMES".into(),
            valid_through: "31.2.2026".into(),
            ..Default::default()
        };
        let errors = f.check(Lang::Fi, base()).unwrap().unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "title",
                "description",
                "municipality",
                "occupation_code",
                "hours_per_week.min",
                "employment_type",
                "valid_through"
            ]
        );
        assert!(errors.iter().all(|e| !e.message.starts_with("emp-")));
    }
}

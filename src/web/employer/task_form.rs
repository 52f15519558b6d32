//! The subcontracting task form: posting a task and editing an open one, with every field of
//! the contract (`title`, `description`, `municipality`, `site`, `starts_on`, `ends_on`,
//! `estimated_hours`, `group_size`), checked by the API's own `TaskDraft::parse` in the same
//! way as the vacancy form.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;

use super::super::i18n::Lang;
use super::super::{format, html, see_other, FieldError, Page, WebError};
use super::form::{self, error_of, parse_all, Choice, Errors, Posted};
use super::postings::{error_id, load, text_message, Kind, Posting};
use super::{acting, not_found, posted, Acting, HOME_PATH};
use crate::api::AppState;
use crate::domain::{PostingStatus, Task, TaskDraft, TaskInput, EARLIEST_DATE, LATEST_DATE};

/// The task form's fields in page order; the names are the contract's JSON names.
pub(super) const TASK_FIELDS: [&str; 8] = [
    "title",
    "description",
    "municipality",
    "site",
    "starts_on",
    "ends_on",
    "estimated_hours",
    "group_size",
];

/// The subcontracting task form as typed.
#[derive(Debug, Clone, Default)]
pub struct TaskFields {
    pub title: String,
    pub description: String,
    pub municipality: String,
    pub site: String,
    pub starts_on: String,
    pub ends_on: String,
    pub estimated_hours: String,
    pub group_size: String,
}

impl TaskFields {
    fn from_posted(p: &Posted) -> Self {
        TaskFields {
            title: p.text("title"),
            description: p.text("description"),
            municipality: p.text("municipality"),
            site: p.text("site"),
            starts_on: p.text("starts_on"),
            ends_on: p.text("ends_on"),
            estimated_hours: p.text("estimated_hours"),
            group_size: p.text("group_size"),
        }
    }

    fn from_task(lang: Lang, t: &Task) -> Self {
        TaskFields {
            title: t.title.clone(),
            description: t.description.clone(),
            municipality: t
                .location
                .clone()
                .or_else(|| t.municipality.clone())
                .unwrap_or_default(),
            site: t.site.clone().unwrap_or_default(),
            starts_on: t.starts_on.map(format::date_input).unwrap_or_default(),
            ends_on: t.ends_on.map(format::date_input).unwrap_or_default(),
            estimated_hours: t
                .estimated_hours
                .map(|h| form::number_value(lang, h))
                .unwrap_or_default(),
            group_size: t.group_size.map(|g| g.to_string()).unwrap_or_default(),
        }
    }

    fn check(
        &self,
        lang: Lang,
        employer_id: i64,
    ) -> Result<Result<TaskDraft, Vec<FieldError>>, WebError> {
        let mut errors = Errors::default();
        let mut spelling = |field: &'static str, id: &str| errors.add(field, lang.t(id));
        let starts_on = form::date(&self.starts_on).unwrap_or_else(|()| {
            spelling("starts_on", "emp-error-starts_on-format");
            None
        });
        let ends_on = form::date(&self.ends_on).unwrap_or_else(|()| {
            spelling("ends_on", "emp-error-ends_on-format");
            None
        });
        let estimated_hours = form::decimal(&self.estimated_hours).unwrap_or_else(|()| {
            spelling("estimated_hours", "emp-error-estimated_hours-number");
            None
        });
        let group_size = form::integer(&self.group_size).unwrap_or_else(|()| {
            spelling("group_size", "emp-error-group_size-number");
            None
        });
        let site =
            Some(self.site.trim().to_string()).filter(|s| !s.is_empty() && s != form::NOT_SAID);
        // The last day's message: its order when it is a date the domain accepts at all.
        let ends_in_range = ends_on
            .as_deref()
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .is_some_and(|d| (EARLIEST_DATE..=LATEST_DATE).contains(&d));
        let mut input = TaskInput {
            employer_id,
            title: self.title.clone(),
            description: self.description.clone(),
            municipality: Some(self.municipality.clone()),
            site,
            starts_on,
            ends_on,
            estimated_hours,
            group_size,
        };
        let message = |field: &'static str| match field {
            "title" => text_message(lang, field, &self.title),
            "description" => text_message(lang, field, &self.description),
            "municipality" => text_message(lang, field, &self.municipality),
            "ends_on" if ends_in_range => lang.t("emp-error-ends_on-order"),
            other => lang.t(&error_id(other)),
        };
        let draft = parse_all(
            &mut input,
            &mut errors,
            TaskDraft::parse,
            set_aside_task,
            message,
        )?;
        Ok(draft.ok_or_else(|| errors.into_sorted(&TASK_FIELDS)))
    }
}

/// Replaces the task field the domain refused with an acceptable value; returns its name.
fn set_aside_task(i: &mut TaskInput, field: &str) -> Option<&'static str> {
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
        "site" => {
            i.site = None;
            "site"
        }
        "starts_on" => {
            i.starts_on = None;
            "starts_on"
        }
        "ends_on" => {
            i.ends_on = None;
            "ends_on"
        }
        "estimated_hours" => {
            i.estimated_hours = None;
            "estimated_hours"
        }
        "group_size" => {
            i.group_size = None;
            "group_size"
        }
        _ => return None,
    })
}

#[derive(Template)]
#[template(path = "employer/task_form.html")]
struct TaskFormPage {
    page: Page,
    heading: String,
    intro: String,
    action: String,
    submit: String,
    cancel_href: String,
    f: TaskFields,
    errors: Vec<FieldError>,
    sites: Vec<Choice>,
}

impl TaskFormPage {
    fn error(&self, field: &str) -> Option<&str> {
        error_of(&self.errors, field)
    }
}

const SITES: [(&str, &str); 3] = [
    ("buyer", "emp-site-buyer"),
    ("provider", "emp-site-provider"),
    (form::NOT_SAID, "emp-not-said"),
];

fn task_form(
    req: &HttpRequest,
    who: &Acting,
    id: Option<i64>,
    f: TaskFields,
    errors: Vec<FieldError>,
) -> Result<HttpResponse, WebError> {
    let lang = who.lang;
    let (heading, action, submit, cancel_href) = match id {
        None => (
            lang.t("emp-task-new-title"),
            "/employer/tasks".to_string(),
            lang.t("emp-submit-create"),
            HOME_PATH.to_string(),
        ),
        Some(id) => (
            lang.t("emp-task-edit-title"),
            format!("{}/edit", Kind::Task.path(id)),
            lang.t("emp-submit-update"),
            Kind::Task.path(id),
        ),
    };
    let mut page = Page::new(req, lang, Some(&who.user), heading.clone());
    page.has_errors = !errors.is_empty();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = TaskFormPage {
        intro: lang.t("emp-task-intro"),
        sites: Choice::list(lang, &SITES, f.site.trim()),
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

pub(super) async fn new_task(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let who = match acting(&req, &state).await? {
        Ok(who) => who,
        Err(resp) => return Ok(resp),
    };
    task_form(&req, &who, None, TaskFields::default(), Vec::new())
}

/// `POST /employer/tasks`: posts a subcontracting task for the user's own employer.
#[tracing::instrument(name = "web.create_task", skip_all)]
pub(super) async fn create_task(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let who = match acting(&req, &state).await? {
        Ok(who) => who,
        Err(resp) => return Ok(resp),
    };
    let f = match posted(&req, &state, &body) {
        Ok(form) => TaskFields::from_posted(&form),
        Err(refused) => return Ok(refused.error_response()),
    };
    let mut draft = match f.check(who.lang, who.employer_id)? {
        Ok(d) => d,
        Err(errors) => return task_form(&req, &who, None, f, errors),
    };
    state.matcher.occupations().fill_task(&mut draft);
    let t = state.store.create_task(&draft, Some(who.user.id)).await?;
    state.written().await;
    Ok(see_other(&format!(
        "{}?notice=created",
        Kind::Task.path(t.id)
    )))
}

pub(super) async fn edit_task(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let who = match acting(&req, &state).await? {
        Ok(who) => who,
        Err(resp) => return Ok(resp),
    };
    match load(&state, &who, Kind::Task, &id).await? {
        Some(Posting::Task(t)) if t.status == PostingStatus::Open => {
            let f = TaskFields::from_task(who.lang, &t);
            task_form(&req, &who, Some(t.id), f, Vec::new())
        }
        Some(p) => Ok(see_other(&p.kind().path(p.id()))),
        None => not_found(&req, &who),
    }
}

/// `POST /employer/tasks/{id}/edit`.
#[tracing::instrument(name = "web.update_task", skip_all)]
pub(super) async fn update_task(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let who = match acting(&req, &state).await? {
        Ok(who) => who,
        Err(resp) => return Ok(resp),
    };
    let current = match load(&state, &who, Kind::Task, &id).await? {
        Some(Posting::Task(t)) if t.status == PostingStatus::Open => t,
        Some(p) => return Ok(see_other(&p.kind().path(p.id()))),
        None => return not_found(&req, &who),
    };
    let f = match posted(&req, &state, &body) {
        Ok(form) => TaskFields::from_posted(&form),
        Err(refused) => return Ok(refused.error_response()),
    };
    let mut draft = match f.check(who.lang, current.employer_id)? {
        Ok(d) => d,
        Err(errors) => return task_form(&req, &who, Some(current.id), f, errors),
    };
    state.matcher.occupations().fill_task(&mut draft);
    let t = state.store.update_task(current.id, &draft).await?;
    state.written().await;
    Ok(see_other(&format!(
        "{}?notice=updated",
        Kind::Task.path(t.id)
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_of_a_task_form_is_reported() {
        let f = TaskFields {
            title: "Pakkaustyö".into(),
            description: "Pakkaamista".into(),
            municipality: "Lahti".into(),
            site: "moon".into(),
            starts_on: "1.6.2027".into(),
            ends_on: "1.5.2027".into(),
            estimated_hours: "-3".into(),
            group_size: "neljä".into(),
        };
        let errors = f.check(Lang::Fi, 1).unwrap().unwrap_err();
        let got: Vec<_> = errors
            .iter()
            .map(|e| (e.field, e.message.clone()))
            .collect();
        let fields: Vec<_> = got.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["site", "ends_on", "estimated_hours", "group_size"]);
        assert_eq!(got[1].1, Lang::Fi.t("emp-error-ends_on-order"));
    }
}

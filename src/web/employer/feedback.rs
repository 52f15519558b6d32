//! The work-trial (and job) feedback forms addressed to the employer: listed, answered once,
//! then shown read-only.
//!
//! A form says which placement it is about by what the employer already knows: its type, the
//! day it began and the employer's own posting, if it names one. It never names the person.
//! The answers are checked by `FeedbackAnswers::parse` and stored by `submit_feedback`, as in
//! the API; the client's coach reads them among the client's events.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;

use super::super::i18n::Lang;
use super::super::{format, html, see_other, FieldError, Page, WebError};
use super::form::{self, error_of, parse_all, Choice, Errors, Posted};
use super::{acting, not_found, notice, path_id, posted, Acting, FEEDBACK_PATH};
use crate::api::AppState;
use crate::domain::{FeedbackAnswers, FeedbackForm, SupportNeeded};
use crate::store::StoreError;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(FEEDBACK_PATH, web::get().to(list)).service(
        web::resource("/employer/feedback/{id}")
            .route(web::get().to(show))
            .route(web::post().to(submit)),
    );
}

/// The answer fields in page order (the contract's JSON names).
const FIELDS: [&str; 4] = ["tasks_managed", "support_needed", "would_hire", "comment"];

fn form_path(id: i64) -> String {
    format!("{FEEDBACK_PATH}/{id}")
}

/// The placement a form is about, in one line: "Työkokeilu, alkoi 3.2.2027".
fn about_line(lang: Lang, f: &FeedbackForm) -> String {
    lang.t_args(
        "emp-fb-about",
        &[
            (
                "placement",
                lang.t(&format!("placement-{}", f.placement_type.as_str()))
                    .into(),
            ),
            ("started", format::date(lang, f.placement_started_on).into()),
        ],
    )
}

// ---------------------------------------------------------------------------------------
// The list.

struct Item {
    href: String,
    about: String,
    posting: Option<String>,
    asked: String,
    answered: Option<String>,
}

#[derive(Template)]
#[template(path = "employer/feedback_list.html")]
struct ListPage {
    page: Page,
    pending: Vec<Item>,
    answered: Vec<Item>,
}

/// `GET /employer/feedback`: the forms waiting for an answer first, then those answered.
async fn list(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let who = match acting(&req, &state).await? {
        Ok(who) => who,
        Err(resp) => return Ok(resp),
    };
    let lang = who.lang;
    let forms = state
        .store
        .feedback_forms_of_employer(who.employer_id)
        .await?;
    let (mut pending, mut answered) = (Vec::new(), Vec::new());
    for f in &forms {
        let item = Item {
            href: form_path(f.id),
            about: about_line(lang, f),
            posting: f
                .posting_title
                .as_ref()
                .map(|t| lang.t1("emp-fb-posting-line", "title", t.clone())),
            asked: lang.t1(
                "emp-fb-asked-on",
                "date",
                format::date(lang, f.created_at.date_naive()),
            ),
            answered: f.submitted_at.map(|t| {
                lang.t1(
                    "emp-fb-answered-on",
                    "date",
                    format::date(lang, t.date_naive()),
                )
            }),
        };
        if f.answers.is_some() {
            answered.push(item);
        } else {
            pending.push(item);
        }
    }
    let page = Page::new(&req, lang, Some(&who.user), lang.t("emp-feedback-title"));
    let body = ListPage {
        page,
        pending,
        answered,
    }
    .render()?;
    Ok(html(StatusCode::OK, body))
}

// ---------------------------------------------------------------------------------------
// One form.

/// The answers as typed.
#[derive(Debug, Clone, Default)]
struct AnswerFields {
    tasks_managed: String,
    support_needed: String,
    would_hire: String,
    comment: String,
}

impl AnswerFields {
    fn from_posted(p: &Posted) -> Self {
        AnswerFields {
            tasks_managed: p.text("tasks_managed"),
            support_needed: p.text("support_needed"),
            would_hire: p.text("would_hire"),
            comment: p.text("comment"),
        }
    }

    /// Checks the answers with the domain's rules. A choice left unmade is asked for here; the
    /// domain then judges the rest (a stand-in fills the unmade choice meanwhile).
    fn check(&self, lang: Lang) -> Result<Result<FeedbackAnswers, Vec<FieldError>>, WebError> {
        let mut errors = Errors::default();
        let mut ask =
            |field: &'static str| errors.add(field, lang.t(&format!("emp-error-{field}")));
        let tasks_managed = form::integer(&self.tasks_managed).ok().flatten();
        if tasks_managed.is_none() {
            ask("tasks_managed");
        }
        let support_needed = SupportNeeded::parse(self.support_needed.trim());
        if support_needed.is_none() {
            ask("support_needed");
        }
        let would_hire = form::yes_no(&self.would_hire).ok().flatten();
        if would_hire.is_none() {
            ask("would_hire");
        }
        let mut raw = FeedbackAnswers {
            tasks_managed: tasks_managed.unwrap_or(3),
            support_needed: support_needed.unwrap_or(SupportNeeded::Some),
            would_hire: would_hire.unwrap_or(false),
            comment: Some(self.comment.clone()),
        };
        let answers = parse_all(
            &mut raw,
            &mut errors,
            FeedbackAnswers::parse,
            |a, field| match field {
                "tasks_managed" => {
                    a.tasks_managed = 3;
                    Some("tasks_managed")
                }
                "comment" => {
                    a.comment = None;
                    Some("comment")
                }
                _ => None,
            },
            |field| lang.t(&format!("emp-error-{field}")),
        )?;
        Ok(answers.ok_or_else(|| errors.into_sorted(&FIELDS)))
    }
}

#[derive(Template)]
#[template(path = "employer/feedback_form.html")]
struct FormPage {
    page: Page,
    notice: Option<String>,
    /// Why a second answer was not taken.
    refused: Option<String>,
    /// (label, value): which placement the form is about.
    about: Vec<(String, String)>,
    /// (label, value) of the answers given, once submitted.
    answers: Option<Vec<(String, String)>>,
    action: String,
    errors: Vec<FieldError>,
    tasks_managed: Vec<Choice>,
    support_needed: Vec<Choice>,
    would_hire: Vec<Choice>,
    comment: String,
}

impl FormPage {
    fn error(&self, field: &str) -> Option<&str> {
        error_of(&self.errors, field)
    }
}

const TASKS_MANAGED: [(&str, &str); 5] = [
    ("1", "emp-fb-tasks-1"),
    ("2", "emp-fb-tasks-2"),
    ("3", "emp-fb-tasks-3"),
    ("4", "emp-fb-tasks-4"),
    ("5", "emp-fb-tasks-5"),
];

const SUPPORT: [(&str, &str); 3] = [
    ("none", "emp-fb-support-none"),
    ("some", "emp-fb-support-some"),
    ("a_lot", "emp-fb-support-a_lot"),
];

const WOULD_HIRE: [(&str, &str); 2] = [("true", "emp-yes"), ("false", "emp-no")];

/// The form page: the questions (filled with `typed`) while the form waits for its answer,
/// the answers read-only after.
fn render(
    req: &HttpRequest,
    who: &Acting,
    f: &FeedbackForm,
    typed: AnswerFields,
    errors: Vec<FieldError>,
    status: StatusCode,
    refused: Option<String>,
) -> Result<HttpResponse, WebError> {
    let lang = who.lang;
    let l = |id: &str| lang.t(id);
    let mut about = vec![
        (
            l("emp-fb-placement"),
            l(&format!("placement-{}", f.placement_type.as_str())),
        ),
        (
            l("emp-fb-started"),
            format::date(lang, f.placement_started_on),
        ),
        (
            l("emp-fb-posting"),
            f.posting_title
                .clone()
                .unwrap_or_else(|| l("emp-fb-no-posting")),
        ),
        (
            l("emp-fb-asked"),
            format::date(lang, f.created_at.date_naive()),
        ),
    ];
    let answers = f.answers.as_ref().map(|a| {
        let tasks = TASKS_MANAGED
            .iter()
            .find(|(v, _)| *v == a.tasks_managed.to_string())
            .map(|(_, id)| l(id))
            .unwrap_or_else(|| a.tasks_managed.to_string());
        vec![
            (l("emp-fb-tasks_managed"), tasks),
            (
                l("emp-fb-support_needed"),
                l(&format!("emp-fb-support-{}", a.support_needed.as_str())),
            ),
            (
                l("emp-fb-would_hire"),
                l(if a.would_hire { "emp-yes" } else { "emp-no" }),
            ),
            (
                l("emp-fb-comment"),
                a.comment.clone().unwrap_or_else(|| l("emp-fb-no-comment")),
            ),
        ]
    });
    if let Some(at) = f.submitted_at {
        about.push((l("emp-fb-answered"), format::date(lang, at.date_naive())));
    }
    let mut page = Page::new(
        req,
        lang,
        Some(&who.user),
        lang.t1("emp-fb-form-title", "about", about_line(lang, f)),
    );
    page.has_errors = !errors.is_empty();
    let body = FormPage {
        notice: notice(req, lang),
        refused,
        about,
        answers,
        action: form_path(f.id),
        tasks_managed: Choice::list(lang, &TASKS_MANAGED, typed.tasks_managed.trim()),
        support_needed: Choice::list(lang, &SUPPORT, typed.support_needed.trim()),
        would_hire: Choice::list(lang, &WOULD_HIRE, typed.would_hire.trim()),
        comment: typed.comment,
        errors,
        page,
    }
    .render()?;
    Ok(html(status, body))
}

/// The form `raw_id` when it is addressed to `who`'s employer.
async fn load(
    state: &AppState,
    who: &Acting,
    raw_id: &str,
) -> Result<Option<FeedbackForm>, WebError> {
    let Some(id) = path_id(raw_id) else {
        return Ok(None);
    };
    match state.store.feedback_form(id, Some(who.employer_id)).await {
        Ok(f) => Ok(Some(f)),
        Err(StoreError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// `GET /employer/feedback/{id}`.
async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let who = match acting(&req, &state).await? {
        Ok(who) => who,
        Err(resp) => return Ok(resp),
    };
    let Some(f) = load(&state, &who, &id).await? else {
        return not_found(&req, &who);
    };
    let typed = AnswerFields::default();
    render(&req, &who, &f, typed, Vec::new(), StatusCode::OK, None)
}

/// `POST /employer/feedback/{id}`: the answers, taken once.
#[tracing::instrument(name = "web.submit_feedback", skip_all)]
async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let who = match acting(&req, &state).await? {
        Ok(who) => who,
        Err(resp) => return Ok(resp),
    };
    let Some(f) = load(&state, &who, &id).await? else {
        return not_found(&req, &who);
    };
    let lang = who.lang;
    let conflict = |f: &FeedbackForm| {
        let refused = Some(lang.t("emp-fb-already"));
        let typed = AnswerFields::default();
        render(
            &req,
            &who,
            f,
            typed,
            Vec::new(),
            StatusCode::CONFLICT,
            refused,
        )
    };
    if f.answers.is_some() {
        return conflict(&f);
    }
    let typed = match posted(&req, &state, &body) {
        Ok(form) => AnswerFields::from_posted(&form),
        Err(refused) => return Ok(refused.error_response()),
    };
    let answers = match typed.check(lang)? {
        Ok(a) => a,
        Err(errors) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return render(&req, &who, &f, typed, errors, status, None);
        }
    };
    match state
        .store
        .submit_feedback(f.id, who.employer_id, who.user.id, &answers)
        .await
    {
        Ok(_) => Ok(see_other(&format!("{}?notice=sent", form_path(f.id)))),
        // Someone else at the employer answered in between: show theirs.
        Err(StoreError::Conflict(_)) => match load(&state, &who, &id).await? {
            Some(now) => conflict(&now),
            None => not_found(&req, &who),
        },
        Err(StoreError::NotFound { .. }) => not_found(&req, &who),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unmade_choices_and_a_long_comment_are_all_reported() {
        let typed = AnswerFields {
            tasks_managed: "".into(),
            support_needed: "".into(),
            would_hire: "maybe".into(),
            comment: "x".repeat(2_001),
        };
        let errors = typed.check(Lang::Fi).unwrap().unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, FIELDS);
    }

    #[test]
    fn out_of_range_rating_is_the_domains_verdict() {
        let typed = AnswerFields {
            tasks_managed: "9".into(),
            support_needed: "none".into(),
            would_hire: "true".into(),
            comment: " ".into(),
        };
        let errors = typed.check(Lang::Fi).unwrap().unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "tasks_managed");
        let ok = AnswerFields {
            tasks_managed: "4".into(),
            ..typed
        };
        let a = ok.check(Lang::Fi).unwrap().unwrap();
        assert_eq!((a.tasks_managed, a.would_hire, a.comment), (4, true, None));
    }
}

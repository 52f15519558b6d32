//! The employer's own postings: the list (its start page), one posting's page, and closing it
//! after a page that asks. The forms that post and edit them are in [`super::vacancy_form`]
//! and [`super::task_form`].

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use askama::Template;

use super::super::i18n::Lang;
use super::super::{format, html, see_other, Page, WebError};
use super::form;
use super::task_form::{create_task, edit_task, new_task, update_task};
use super::vacancy_form::{create_vacancy, edit_vacancy, new_vacancy, update_vacancy};
use super::{acting, not_found, notice, path_id, posted, Acting, HOME_PATH};
use crate::api::AppState;
use crate::domain::{is_blank, HoursRange, PostingStatus, Task, Vacancy};
use crate::store::StoreError;

/// Postings shown per page of each list.
const PAGE_SIZE: i64 = 20;

pub fn routes(cfg: &mut web::ServiceConfig) {
    // `new` before `{id}`: routes match in the order registered.
    cfg.route("/employer/vacancies/new", web::get().to(new_vacancy))
        .route("/employer/vacancies", web::post().to(create_vacancy))
        .route("/employer/vacancies/{id}", web::get().to(show_vacancy))
        .service(
            web::resource("/employer/vacancies/{id}/edit")
                .route(web::get().to(edit_vacancy))
                .route(web::post().to(update_vacancy)),
        )
        .service(
            web::resource("/employer/vacancies/{id}/close")
                .route(web::get().to(confirm_close_vacancy))
                .route(web::post().to(close_vacancy)),
        )
        .route("/employer/tasks/new", web::get().to(new_task))
        .route("/employer/tasks", web::post().to(create_task))
        .route("/employer/tasks/{id}", web::get().to(show_task))
        .service(
            web::resource("/employer/tasks/{id}/edit")
                .route(web::get().to(edit_task))
                .route(web::post().to(update_task)),
        )
        .service(
            web::resource("/employer/tasks/{id}/close")
                .route(web::get().to(confirm_close_task))
                .route(web::post().to(close_task)),
        );
}

/// The two kinds of posting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Vacancy,
    Task,
}

impl Kind {
    /// The path segment of the kind.
    pub(super) fn segment(self) -> &'static str {
        match self {
            Kind::Vacancy => "vacancies",
            Kind::Task => "tasks",
        }
    }

    /// The page of posting `id`.
    pub(super) fn path(self, id: i64) -> String {
        format!("/employer/{}/{id}", self.segment())
    }

    /// What the kind is called.
    pub(super) fn name(self, lang: Lang) -> String {
        lang.t(match self {
            Kind::Vacancy => "emp-kind-vacancy",
            Kind::Task => "emp-kind-task",
        })
    }
}

/// A stored posting of either kind.
pub(super) enum Posting {
    Vacancy(Vacancy),
    Task(Task),
}

impl Posting {
    pub(super) fn kind(&self) -> Kind {
        match self {
            Posting::Vacancy(_) => Kind::Vacancy,
            Posting::Task(_) => Kind::Task,
        }
    }

    pub(super) fn id(&self) -> i64 {
        match self {
            Posting::Vacancy(v) => v.id,
            Posting::Task(t) => t.id,
        }
    }

    pub(super) fn title(&self) -> &str {
        match self {
            Posting::Vacancy(v) => &v.title,
            Posting::Task(t) => &t.title,
        }
    }

    pub(super) fn is_open(&self) -> bool {
        let status = match self {
            Posting::Vacancy(v) => v.status,
            Posting::Task(t) => t.status,
        };
        status == PostingStatus::Open
    }
}

/// Posting `raw_id` of `kind` when it is `who`'s employer's; `None` when it is missing or
/// another employer's (the API answers both with 404 too).
pub(super) async fn load(
    state: &AppState,
    who: &Acting,
    kind: Kind,
    raw_id: &str,
) -> Result<Option<Posting>, WebError> {
    let Some(id) = path_id(raw_id) else {
        return Ok(None);
    };
    let found = match kind {
        Kind::Vacancy => state.store.vacancy(id).await.map(|v| {
            let own = v.employer_id == who.employer_id;
            own.then_some(Posting::Vacancy(v))
        }),
        Kind::Task => state.store.task(id).await.map(|t| {
            let own = t.employer_id == who.employer_id;
            own.then_some(Posting::Task(t))
        }),
    };
    match found {
        Ok(p) => Ok(p),
        Err(StoreError::NotFound { .. }) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------
// The list.

/// One posting in a list.
struct Row {
    href: String,
    title: String,
    municipality: String,
    /// Hours and employment type (vacancy) or group size (task).
    work: String,
    status: String,
    open: bool,
    /// Last day to apply (vacancy) or the task's dates.
    dates: String,
}

/// One list (vacancies or tasks) with its pages.
struct Section {
    id: &'static str,
    title: String,
    count: String,
    rows: Vec<Row>,
    empty: String,
    work_header: String,
    dates_header: String,
    /// (href, words) of the previous and next page.
    prev: Option<(String, String)>,
    next: Option<(String, String)>,
    /// "Page 2 of 5", when there is more than one.
    page_of: Option<String>,
}

#[derive(Template)]
#[template(path = "employer/postings.html")]
struct ListPage {
    page: Page,
    intro: String,
    notice: Option<String>,
    /// How many feedback forms wait for an answer, in words, when any do.
    pending_feedback: Option<String>,
    sections: Vec<Section>,
}

/// The `name` page number in the query (1 when absent or unreadable).
fn page_number(req: &HttpRequest, name: &str) -> i64 {
    form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == name)
        .and_then(|(_, v)| v.trim().parse::<i64>().ok())
        .filter(|n| (1..=100_000).contains(n))
        .unwrap_or(1)
}

fn status_words(lang: Lang, open: bool) -> String {
    lang.t(if open {
        "emp-status-open"
    } else {
        "emp-status-closed"
    })
}

/// A date range in words: `1.3.2027 – 31.5.2027`, or one end.
pub(super) fn dates(
    lang: Lang,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
) -> String {
    let d = |x| format::date(lang, x);
    match (from, to) {
        (Some(a), Some(b)) => lang.t_args(
            "emp-dates-range",
            &[("from", d(a).into()), ("to", d(b).into())],
        ),
        (Some(a), None) => lang.t1("emp-dates-from", "from", d(a)),
        (None, Some(b)) => lang.t1("emp-dates-until", "to", d(b)),
        (None, None) => lang.t("emp-dates-none"),
    }
}

pub(super) fn hours(lang: Lang, h: Option<HoursRange>) -> Option<String> {
    let h = h?;
    let n = |x| format::decimal(lang, x, if x.fract() == 0.0 { 0 } else { 1 });
    Some(match (h.min, h.max) {
        (Some(a), Some(b)) if a == b => lang.t1("emp-hours-exactly", "hours", n(a)),
        (Some(a), Some(b)) => lang.t_args(
            "emp-hours-range",
            &[("min", n(a).into()), ("max", n(b).into())],
        ),
        (Some(a), None) => lang.t1("emp-hours-min", "hours", n(a)),
        (None, Some(b)) => lang.t1("emp-hours-max", "hours", n(b)),
        (None, None) => return None,
    })
}

pub(super) fn employment_type_words(lang: Lang, raw: Option<&str>) -> Option<String> {
    raw.map(|t| lang.t(&format!("emp-employment-{t}")))
}

/// The pager links of a section; `other` keeps the other list's page.
fn pager(
    lang: Lang,
    section: &mut Section,
    param: &str,
    other: (&str, i64),
    page: i64,
    total: i64,
) {
    let pages = ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    if pages <= 1 {
        return;
    }
    let href = |n: i64| {
        format!(
            "{HOME_PATH}?{param}={n}&{}={}#{}",
            other.0, other.1, section.id
        )
    };
    section.page_of = Some(lang.t_args(
        "emp-page-of",
        &[
            ("page", page.to_string().into()),
            ("pages", pages.to_string().into()),
        ],
    ));
    if page > 1 {
        section.prev = Some((href(page - 1), lang.t("emp-page-prev")));
    }
    if page < pages {
        section.next = Some((href(page + 1), lang.t("emp-page-next")));
    }
}

/// `GET /employer`: the employer's own vacancies and tasks, open and closed, newest first.
pub async fn list(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let who = match acting(&req, &state).await? {
        Ok(who) => who,
        Err(resp) => return Ok(resp),
    };
    let lang = who.lang;
    let employer = state.store.employer(who.employer_id).await?;
    let vpage = page_number(&req, "vacancies_page");
    let tpage = page_number(&req, "tasks_page");
    let vacancies = state
        .store
        .vacancies(
            Some(who.employer_id),
            None,
            PAGE_SIZE,
            (vpage - 1) * PAGE_SIZE,
        )
        .await?;
    let tasks = state
        .store
        .tasks(
            Some(who.employer_id),
            None,
            PAGE_SIZE,
            (tpage - 1) * PAGE_SIZE,
        )
        .await?;
    let pending = state
        .store
        .feedback_forms_of_employer(who.employer_id)
        .await?
        .iter()
        .filter(|f| f.answers.is_none())
        .count();

    let mut vsection = Section {
        id: "vacancies",
        title: lang.t("emp-vacancies-title"),
        count: lang.t_args("emp-count", &[("count", vacancies.total.into())]),
        rows: vacancies
            .items
            .iter()
            .map(|v| {
                let open = v.status == PostingStatus::Open;
                let work = [
                    employment_type_words(lang, v.employment_type.as_deref()),
                    hours(lang, v.hours_per_week),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
                Row {
                    href: Kind::Vacancy.path(v.id),
                    title: v.title.clone(),
                    municipality: place(v.municipality.as_deref(), v.location.as_deref()),
                    work,
                    status: status_words(lang, open),
                    open,
                    dates: v
                        .valid_through
                        .map(|t| format::date(lang, t.date_naive()))
                        .unwrap_or_else(|| lang.t("emp-valid-through-none")),
                }
            })
            .collect(),
        empty: lang.t("emp-none-vacancies"),
        work_header: lang.t("emp-col-work"),
        dates_header: lang.t("emp-col-valid-through"),
        prev: None,
        next: None,
        page_of: None,
    };
    pager(
        lang,
        &mut vsection,
        "vacancies_page",
        ("tasks_page", tpage),
        vpage,
        vacancies.total,
    );
    let mut tsection = Section {
        id: "tasks",
        title: lang.t("emp-tasks-title"),
        count: lang.t_args("emp-count", &[("count", tasks.total.into())]),
        rows: tasks
            .items
            .iter()
            .map(|t| {
                let open = t.status == PostingStatus::Open;
                Row {
                    href: Kind::Task.path(t.id),
                    title: t.title.clone(),
                    municipality: place(t.municipality.as_deref(), t.location.as_deref()),
                    work: t
                        .group_size
                        .map(|g| lang.t_args("emp-group-of", &[("count", g.into())]))
                        .unwrap_or_default(),
                    status: status_words(lang, open),
                    open,
                    dates: dates(lang, t.starts_on, t.ends_on),
                }
            })
            .collect(),
        empty: lang.t("emp-none-tasks"),
        work_header: lang.t("emp-col-group"),
        dates_header: lang.t("emp-col-dates"),
        prev: None,
        next: None,
        page_of: None,
    };
    pager(
        lang,
        &mut tsection,
        "tasks_page",
        ("vacancies_page", vpage),
        tpage,
        tasks.total,
    );

    let pending_feedback = (pending > 0).then(|| {
        lang.t_args(
            "emp-feedback-pending",
            &[("count", (pending as i64).into())],
        )
    });
    let page = Page::new(&req, lang, Some(&who.user), lang.t("emp-home-title"));
    let body = ListPage {
        page,
        intro: lang.t1("emp-home-intro", "employer", employer.name),
        notice: notice(&req, lang),
        pending_feedback,
        sections: vec![vsection, tsection],
    }
    .render()?;
    Ok(html(StatusCode::OK, body))
}

/// Where the work is, as the posting says it.
pub(super) fn place(municipality: Option<&str>, location: Option<&str>) -> String {
    municipality.or(location).unwrap_or("–").to_string()
}

// ---------------------------------------------------------------------------------------
// One posting.

#[derive(Template)]
#[template(path = "employer/posting.html")]
struct ShowPage {
    page: Page,
    kind: String,
    title: String,
    notice: Option<String>,
    open: bool,
    status: String,
    /// (label, value) of every field, empty ones included so nothing seems lost.
    rows: Vec<(String, String)>,
    edit_href: String,
    close_href: String,
}

fn or_dash(lang: Lang, v: Option<String>) -> String {
    v.filter(|s| !s.is_empty())
        .unwrap_or_else(|| lang.t("emp-not-given"))
}

fn yes_no_words(lang: Lang, v: Option<bool>) -> String {
    lang.t(match v {
        Some(true) => "emp-yes",
        Some(false) => "emp-no",
        None => "emp-not-said",
    })
}

/// Every field of a posting in words.
fn summary(lang: Lang, p: &Posting) -> Vec<(String, String)> {
    let l = |id: &str| lang.t(id);
    match p {
        Posting::Vacancy(v) => vec![
            (l("emp-f-description"), v.description.clone()),
            (
                l("emp-f-municipality"),
                place(v.municipality.as_deref(), v.location.as_deref()),
            ),
            (
                l("emp-s-occupation_code"),
                or_dash(lang, v.occupation_code.clone()),
            ),
            (
                l("emp-f-hours"),
                or_dash(lang, hours(lang, v.hours_per_week)),
            ),
            (
                l("emp-f-employment_type"),
                or_dash(
                    lang,
                    employment_type_words(lang, v.employment_type.as_deref()),
                ),
            ),
            (
                l("emp-f-language"),
                or_dash(lang, v.language.as_deref().map(|c| language_name(lang, c))),
            ),
            (
                l("emp-s-valid_through"),
                or_dash(
                    lang,
                    v.valid_through.map(|t| format::date(lang, t.date_naive())),
                ),
            ),
            (
                l("emp-s-wage_subsidy_ok"),
                yes_no_words(lang, v.wage_subsidy_ok),
            ),
            (
                l("emp-s-work_trial_ok"),
                yes_no_words(lang, v.work_trial_ok),
            ),
            (
                l("emp-s-adjustments_offered"),
                or_dash(lang, Some(v.adjustments_offered.join("\n"))),
            ),
            (
                l("emp-posted-on"),
                format::date(lang, v.date_posted.date_naive()),
            ),
        ],
        Posting::Task(t) => vec![
            (l("emp-f-description"), t.description.clone()),
            (
                l("emp-f-municipality"),
                place(t.municipality.as_deref(), t.location.as_deref()),
            ),
            (
                l("emp-s-site"),
                or_dash(lang, t.site.as_deref().map(|s| l(&format!("emp-site-{s}")))),
            ),
            (l("emp-col-dates"), dates(lang, t.starts_on, t.ends_on)),
            (
                l("emp-f-estimated_hours"),
                or_dash(lang, t.estimated_hours.map(|h| form::number_value(lang, h))),
            ),
            (
                l("emp-f-group_size"),
                or_dash(lang, t.group_size.map(|g| g.to_string())),
            ),
            (
                l("emp-posted-on"),
                format::date(lang, t.created_at.date_naive()),
            ),
        ],
    }
}

/// A language code in words (`fi` → suomi); a code we have no name for as itself.
pub(super) fn language_name(lang: Lang, code: &str) -> String {
    match code {
        "fi" | "sv" | "en" => lang.t(&format!("emp-language-{code}")),
        other => other.to_string(),
    }
}

async fn show(
    kind: Kind,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let who = match acting(&req, &state).await? {
        Ok(who) => who,
        Err(resp) => return Ok(resp),
    };
    let Some(p) = load(&state, &who, kind, &id).await? else {
        return not_found(&req, &who);
    };
    let lang = who.lang;
    let path = kind.path(p.id());
    let page = Page::new(&req, lang, Some(&who.user), p.title().to_string());
    let body = ShowPage {
        kind: kind.name(lang),
        title: p.title().to_string(),
        notice: notice(&req, lang),
        open: p.is_open(),
        status: status_words(lang, p.is_open()),
        rows: summary(lang, &p),
        edit_href: format!("{path}/edit"),
        close_href: format!("{path}/close"),
        page,
    }
    .render()?;
    Ok(html(StatusCode::OK, body))
}

async fn show_vacancy(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    show(Kind::Vacancy, req, state, id).await
}

async fn show_task(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    show(Kind::Task, req, state, id).await
}

// ---------------------------------------------------------------------------------------
// Checking a form with the domain's rules.

/// The message id of a field's error: `emp-error-hours_per_week-min` for `hours_per_week.min`.
pub(super) fn error_id(field: &str) -> String {
    format!("emp-error-{}", field.replace('.', "-"))
}

/// The message for a required text field the domain refused: "write it" when it was left
/// empty, else what is wrong with it.
pub(super) fn text_message(lang: Lang, field: &'static str, typed: &str) -> String {
    if is_blank(typed) {
        lang.t(&format!("{}-empty", error_id(field)))
    } else {
        lang.t(&error_id(field))
    }
}

// ---------------------------------------------------------------------------------------
// Closing, after a page that asks.

#[derive(Template)]
#[template(path = "employer/close.html")]
struct ClosePage {
    page: Page,
    text: String,
    action: String,
    cancel_href: String,
}

async fn confirm_close(
    kind: Kind,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let who = match acting(&req, &state).await? {
        Ok(who) => who,
        Err(resp) => return Ok(resp),
    };
    let p = match load(&state, &who, kind, &id).await? {
        Some(p) if p.is_open() => p,
        Some(p) => return Ok(see_other(&kind.path(p.id()))),
        None => return not_found(&req, &who),
    };
    let lang = who.lang;
    let page = Page::new(&req, lang, Some(&who.user), lang.t("emp-close-title"));
    let body = ClosePage {
        page,
        text: lang.t1("emp-close-text", "title", p.title()),
        action: format!("{}/close", kind.path(p.id())),
        cancel_href: kind.path(p.id()),
    }
    .render()?;
    Ok(html(StatusCode::OK, body))
}

/// Closes the posting: gone from search and matches once the index has it.
async fn close(
    kind: Kind,
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let who = match acting(&req, &state).await? {
        Ok(who) => who,
        Err(resp) => return Ok(resp),
    };
    if let Err(refused) = posted(&req, &state, &body) {
        return Ok(refused.error_response());
    }
    let Some(p) = load(&state, &who, kind, &id).await? else {
        return not_found(&req, &who);
    };
    match kind {
        Kind::Vacancy => state.store.close_vacancy(p.id()).await?,
        Kind::Task => state.store.close_task(p.id()).await?,
    }
    state.written().await;
    Ok(see_other(&format!("{HOME_PATH}?notice=closed")))
}

async fn confirm_close_vacancy(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    confirm_close(Kind::Vacancy, req, state, id).await
}

#[tracing::instrument(name = "web.close_vacancy", skip_all)]
async fn close_vacancy(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    close(Kind::Vacancy, req, state, id, body).await
}

async fn confirm_close_task(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    confirm_close(Kind::Task, req, state, id).await
}

#[tracing::instrument(name = "web.close_task", skip_all)]
async fn close_task(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    close(Kind::Task, req, state, id, body).await
}

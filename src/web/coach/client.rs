//! `GET /clients/{id}`: one client — the wishes in the client's own words and how they were
//! read, the suggestions with their reasons and a one-click answer for each, and the history
//! as a timeline (events, employers' feedback answers). `GET /clients/{id}/shortlist`: the
//! best suggestions in plain language, to print and hand to the client, who decides.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use super::{api_refusal, coach};
use crate::api::{suggestions, AppState, Caller};
use crate::domain::{AccessAction, AccessTarget, Client, ClientEvent, EventType, FeedbackForm};
use crate::funnel::CaseState;
use crate::matching::{ReasonLang, Suggestion};
use crate::store::StoreError;
use crate::web::format;
use crate::web::i18n::Lang;
use crate::web::page::{FieldError, Page};
use crate::web::{html, request_lang, WebError};

/// Suggestions shown on the client page.
const PAGE_SUGGESTIONS: usize = 20;
/// Suggestions on the printable shortlist.
const SHORTLIST_SUGGESTIONS: usize = 10;

/// The language of the reasons for a page language.
pub fn reason_lang(lang: Lang) -> ReasonLang {
    match lang {
        Lang::Fi => ReasonLang::Fi,
        Lang::Sv => ReasonLang::Sv,
        Lang::En => ReasonLang::En,
    }
}

/// One line of the wishes' summary list.
pub struct Fact {
    /// What it is.
    pub label: String,
    /// Its value in words; empty shows "not given".
    pub value: String,
    /// Shown one item per line.
    pub items: Vec<String>,
}

/// One suggestion as the page shows it.
pub struct Match {
    /// `vacancy`, `task` or `employer`.
    pub kind: &'static str,
    /// Id within the kind.
    pub id: i64,
    /// Kind in words.
    pub kind_words: String,
    /// Title (an employer prospect: its name).
    pub title: String,
    /// Employer.
    pub employer: String,
    /// Municipality or "unknown".
    pub place: String,
    /// Why it was suggested, strongest first.
    pub reasons: Vec<String>,
    /// The answers the coach can record with one click: (value, words).
    pub answers: Vec<(&'static str, String)>,
}

/// One entry of the timeline.
pub struct Step {
    /// The entry's element id (`event-12`, `feedback-3`): the feedback panel links to it.
    pub anchor: String,
    /// Date in words.
    pub date: String,
    /// What happened, in words.
    pub what: String,
    /// Details (posting, placement, hours, note, feedback answers).
    pub details: Vec<String>,
    /// A later correction replaced it: it no longer counts.
    pub corrected: bool,
    /// The correction form of an event that still counts.
    pub correct_href: Option<String>,
}

/// Where the case stands and the steps a coach can record next.
pub struct StagePanel {
    /// The current stage in words, with its date.
    pub now: String,
    /// The placement the client holds now, in words.
    pub placement: Option<String>,
    /// The steps that usually come next: (form address, words).
    pub next: Vec<(String, String)>,
    /// Every other step a coach records.
    pub other: Vec<(String, String)>,
}

/// A placement (an `employed` event that counts) and its employer's feedback.
pub struct Placement {
    /// The `employed` event.
    pub event_id: i64,
    /// Placement type, employer and start in words.
    pub what: String,
    /// Whether feedback can be asked (an employer is known).
    pub can_ask: bool,
    /// The forms asked about it: (status in words, link to the answers in the timeline).
    pub forms: Vec<(String, Option<String>)>,
}

#[derive(Template)]
#[template(path = "coach/client.html")]
struct ClientPage {
    page: Page,
    client_id: i64,
    name: String,
    facts: Vec<Fact>,
    understood: Vec<Fact>,
    matches: Vec<Match>,
    timeline: Vec<Step>,
    stage: StagePanel,
    placements: Vec<Placement>,
    /// What the last action did, to confirm it (`?saved=1`, `?done=interested`, …).
    notice: Option<String>,
    /// An answer that could not be recorded.
    errors: Vec<FieldError>,
}

#[derive(Template)]
#[template(path = "coach/shortlist.html")]
struct ShortlistPage {
    page: Page,
    client_id: i64,
    intro: String,
    today: String,
    matches: Vec<Match>,
}

fn or_dash(lang: Lang, s: Option<String>) -> String {
    s.filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| lang.t("not-given"))
}

/// The client's record and wishes in words.
pub fn facts(lang: Lang, c: &Client) -> Vec<Fact> {
    let p = &c.preferences;
    let hours = p.hours_per_week.map(|h| match (h.min, h.max) {
        (Some(a), Some(b)) => lang.t_args(
            "hours-range",
            &[
                ("min", format::decimal(lang, a, 0).into()),
                ("max", format::decimal(lang, b, 0).into()),
            ],
        ),
        (Some(a), None) => lang.t1("hours-at-least", "hours", format::decimal(lang, a, 0)),
        (None, Some(b)) => lang.t1("hours-at-most", "hours", format::decimal(lang, b, 0)),
        (None, None) => String::new(),
    });
    let fact = |id: &str, value: Option<String>| Fact {
        label: lang.t(id),
        value: or_dash(lang, value),
        items: Vec::new(),
    };
    let items = |id: &str, items: &[String]| Fact {
        label: lang.t(id),
        value: if items.is_empty() {
            lang.t("not-given")
        } else {
            String::new()
        },
        items: items.to_vec(),
    };
    let mut places = vec![c.home_municipality.clone()];
    places.extend(
        p.municipalities
            .iter()
            .filter(|m| **m != c.home_municipality)
            .cloned(),
    );
    vec![
        fact("field-desired_work", p.desired_work.clone()),
        fact("field-avoid", p.avoid.clone()),
        items("field-places", &places),
        fact(
            "field-max_commute_km",
            p.max_commute_km
                .map(|km| lang.t1("km", "km", format::decimal(lang, km, 0))),
        ),
        fact("field-hours", hours),
        items("field-adjustments", &p.adjustments),
        items("field-languages", &p.languages),
        fact(
            "field-treatment_team_contact",
            c.treatment_team_contact.clone(),
        ),
        fact(
            "field-intake_date",
            Some(format::date_with_week(lang, c.intake_date)),
        ),
    ]
}

fn understood_facts(lang: Lang, state: &AppState, c: &Client) -> Vec<Fact> {
    let u = state.matcher.understand(c);
    let mut out = Vec::new();
    let labels: Vec<String> = u.occupations.iter().map(|o| o.label.clone()).collect();
    if !labels.is_empty() {
        out.push(Fact {
            label: lang.t("understood-occupations"),
            value: String::new(),
            items: labels,
        });
    }
    if !u.wanted.is_empty() {
        out.push(Fact {
            label: lang.t("understood-wanted"),
            value: u.wanted.join(", "),
            items: Vec::new(),
        });
    }
    if !u.refused.is_empty() {
        out.push(Fact {
            label: lang.t("understood-refused"),
            value: u.refused.join(", "),
            items: Vec::new(),
        });
    }
    out
}

fn match_of(lang: Lang, s: &Suggestion) -> Match {
    let answers: Vec<(&'static str, String)> = match s.kind {
        // An employer prospect has no posting to answer; the coach can log a contact.
        "employer" => vec![("contacted", lang.t("answer-contacted"))],
        _ => ["interested", "applied", "contacted", "declined"]
            .into_iter()
            .map(|a| (a, lang.t(&format!("answer-{a}"))))
            .collect(),
    };
    Match {
        kind: s.kind,
        id: s.id,
        kind_words: lang.t(&format!("kind-{}", s.kind)),
        title: s.title.clone(),
        employer: s.employer.clone(),
        place: s
            .municipality
            .clone()
            .unwrap_or_else(|| lang.t("place-unknown")),
        reasons: s.reasons.clone(),
        answers,
    }
}

/// Names of the postings and employers a client's events refer to.
#[derive(Default)]
pub struct Names {
    /// Vacancy id → (title, employer's name, employer id).
    pub vacancies: HashMap<i64, (String, String, i64)>,
    /// Task id → (title, employer's name, employer id).
    pub tasks: HashMap<i64, (String, String, i64)>,
    /// Employer id → name.
    pub employers: HashMap<i64, String>,
}

impl Names {
    /// Looks up every posting and employer `events` name (one read each).
    pub async fn of(state: &AppState, events: &[ClientEvent]) -> Result<Self, WebError> {
        let mut names = Names::default();
        for e in events {
            if let Some(v) = e.vacancy_id.filter(|v| !names.vacancies.contains_key(v)) {
                match state.store.vacancy(v).await {
                    Ok(p) => {
                        names
                            .vacancies
                            .insert(v, (p.title, p.employer, p.employer_id));
                    }
                    Err(StoreError::NotFound { .. }) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            if let Some(t) = e.task_id.filter(|t| !names.tasks.contains_key(t)) {
                match state.store.task(t).await {
                    Ok(p) => {
                        names.tasks.insert(t, (p.title, p.employer, p.employer_id));
                    }
                    Err(StoreError::NotFound { .. }) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            if let Some(id) = e.employer_id.filter(|id| !names.employers.contains_key(id)) {
                match state.store.employer(id).await {
                    Ok(emp) => {
                        names.employers.insert(id, emp.name);
                    }
                    Err(StoreError::NotFound { .. }) => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Ok(names)
    }

    /// "Title (Employer)" of a vacancy.
    pub fn vacancy(&self, id: i64) -> Option<String> {
        self.vacancies
            .get(&id)
            .map(|(t, e, _)| format!("{t} ({e})"))
    }

    /// "Title (Employer)" of a task.
    pub fn task(&self, id: i64) -> Option<String> {
        self.tasks.get(&id).map(|(t, e, _)| format!("{t} ({e})"))
    }

    /// The employer an event is with: its own, else its posting's.
    pub fn employer_of(&self, e: &ClientEvent) -> Option<String> {
        e.employer_id
            .and_then(|id| self.employers.get(&id).cloned())
            .or_else(|| {
                e.vacancy_id
                    .and_then(|v| self.vacancies.get(&v))
                    .or_else(|| e.task_id.and_then(|t| self.tasks.get(&t)))
                    .map(|(_, name, _)| name.clone())
            })
    }
}

/// The events that count (no later correction replaced them), in time order.
pub fn effective(events: &[ClientEvent]) -> impl Iterator<Item = &ClientEvent> {
    events.iter().filter(|e| e.superseded_by.is_none())
}

/// The timeline, newest first, with posting titles, employers and employers' answers in
/// words.
fn timeline(
    lang: Lang,
    client_id: i64,
    names: &Names,
    events: &[ClientEvent],
    forms: &[FeedbackForm],
) -> Vec<Step> {
    let mut steps: Vec<(chrono::DateTime<chrono::Utc>, Step)> = Vec::new();
    for e in events {
        let mut details = Vec::new();
        if let Some(t) = e.vacancy_id.and_then(|v| names.vacancy(v)) {
            details.push(t);
        }
        if let Some(t) = e.task_id.and_then(|v| names.task(v)) {
            details.push(t);
        }
        if let Some(n) = e.employer_id.and_then(|id| names.employers.get(&id)) {
            if e.vacancy_id.is_none() && e.task_id.is_none() {
                details.push(n.clone());
            }
        }
        if let Some(p) = e.placement_type {
            details.push(lang.t(&format!("placement-{}", p.as_str())));
        }
        if let Some(h) = e.hours_per_week {
            details.push(lang.t1("hours-per-week", "hours", format::decimal(lang, h, 1)));
        }
        if e.kind == EventType::EmployerContact {
            details.push(lang.t(if e.face_to_face == Some(true) {
                "contact-face-to-face"
            } else {
                "contact-remote"
            }));
        }
        if e.out_of_work_at_entry == Some(false) {
            details.push(lang.t("timeline-working-at-entry"));
        }
        if let Some(old) = e.supersedes.and_then(|o| events.iter().find(|x| x.id == o)) {
            details.push(lang.t_args(
                "timeline-correction-of",
                &[
                    (
                        "what",
                        lang.t(&format!("event-{}", old.kind.as_str())).into(),
                    ),
                    ("date", format::date(lang, old.at.date_naive()).into()),
                ],
            ));
        }
        if let Some(n) = e.note.as_ref().filter(|n| !n.trim().is_empty()) {
            details.push(n.clone());
        }
        steps.push((
            e.at,
            Step {
                anchor: format!("event-{}", e.id),
                date: format::date(lang, e.at.date_naive()),
                what: lang.t(&format!("event-{}", e.kind.as_str())),
                details,
                corrected: e.superseded_by.is_some(),
                correct_href: e
                    .superseded_by
                    .is_none()
                    .then(|| format!("/clients/{client_id}/events/{}/correct", e.id)),
            },
        ));
    }
    for f in forms {
        let at = f.submitted_at.unwrap_or(f.created_at);
        let placement = lang.t(&format!("placement-{}", f.placement_type.as_str()));
        let mut details = vec![placement];
        match &f.answers {
            Some(a) => {
                details.push(lang.t1(
                    "feedback-tasks-managed",
                    "score",
                    a.tasks_managed.to_string(),
                ));
                details.push(lang.t(&format!("feedback-support-{}", a.support_needed.as_str())));
                details.push(lang.t(if a.would_hire {
                    "feedback-would-hire"
                } else {
                    "feedback-would-not-hire"
                }));
                if let Some(c) = a.comment.as_ref().filter(|c| !c.trim().is_empty()) {
                    details.push(lang.t1("feedback-comment", "comment", c.clone()));
                }
            }
            None => details.push(lang.t("feedback-waiting")),
        }
        steps.push((
            at,
            Step {
                anchor: format!("feedback-{}", f.id),
                date: format::date(lang, at.date_naive()),
                what: lang.t(if f.answers.is_some() {
                    "feedback-answered"
                } else {
                    "feedback-asked"
                }),
                details,
                corrected: false,
                correct_href: None,
            },
        ));
    }
    steps.sort_by_key(|s| std::cmp::Reverse(s.0));
    steps.into_iter().map(|(_, s)| s).collect()
}

/// The steps a coach records in the form (the match answers are recorded from the
/// suggestions), in funnel order.
pub const RECORDED_STEPS: [EventType; 11] = [
    EventType::Referred,
    EventType::Engaged,
    EventType::Profiling,
    EventType::JobSearch,
    EventType::EmployerContact,
    EventType::Interview,
    EventType::Employed,
    EventType::InWorkSupport,
    EventType::JobEnded,
    EventType::BenefitsCounselling,
    EventType::Closed,
];

/// The steps that usually follow `state` (a suggestion only: the stage rules decide when
/// the step is recorded).
fn next_steps(state: &CaseState) -> Vec<EventType> {
    use EventType::*;
    if state.closed {
        return vec![Engaged];
    }
    match state.stage {
        None => vec![Referred, Engaged],
        Some(Referred) => vec![Engaged],
        Some(Engaged) => vec![JobSearch, Profiling, EmployerContact],
        Some(Employed | InWorkSupport) => vec![InWorkSupport, Employed, JobEnded],
        Some(JobEnded) => vec![JobSearch, EmployerContact, Interview],
        Some(_) => vec![EmployerContact, Interview, BenefitsCounselling, Employed],
    }
}

fn stage_panel(lang: Lang, client_id: i64, events: &[ClientEvent]) -> StagePanel {
    let state = CaseState::after(effective(events).map(|e| (e.kind, e.placement_type)));
    let since = effective(events)
        .filter(|e| Some(e.kind) == state.stage)
        .last()
        .map(|e| format::date(lang, e.at.date_naive()));
    let now = match (state.stage, since) {
        (Some(k), Some(d)) => lang.t_args(
            "stage-now",
            &[
                ("stage", lang.t(&format!("event-{}", k.as_str())).into()),
                ("date", d.into()),
            ],
        ),
        _ => lang.t("stage-none"),
    };
    let link = |k: EventType| {
        (
            format!("/clients/{client_id}/events/new?type={}", k.as_str()),
            lang.t(&format!("record-step-{}", k.as_str())),
        )
    };
    let next = next_steps(&state);
    StagePanel {
        now,
        placement: state.employed.map(|p| {
            lang.t1(
                "stage-placement",
                "placement",
                lang.t(&format!("placement-{}", p.as_str())),
            )
        }),
        next: next.iter().map(|k| link(*k)).collect(),
        other: RECORDED_STEPS
            .into_iter()
            .filter(|k| !next.contains(k))
            .map(link)
            .collect(),
    }
}

fn placements(
    lang: Lang,
    names: &Names,
    events: &[ClientEvent],
    forms: &[FeedbackForm],
) -> Vec<Placement> {
    let mut out: Vec<Placement> = effective(events)
        .filter(|e| e.kind == EventType::Employed)
        .map(|e| {
            let employer = names.employer_of(e);
            let placement = e
                .placement_type
                .map(|p| lang.t(&format!("placement-{}", p.as_str())))
                .unwrap_or_default();
            let what = lang.t_args(
                "placement-line",
                &[
                    ("placement", placement.into()),
                    (
                        "employer",
                        employer
                            .clone()
                            .unwrap_or_else(|| lang.t("employer-unknown"))
                            .into(),
                    ),
                    ("date", format::date(lang, e.at.date_naive()).into()),
                ],
            );
            let forms = forms
                .iter()
                .filter(|f| f.placement_event_id == Some(e.id))
                .map(|f| match f.submitted_at {
                    Some(at) => (
                        lang.t1(
                            "feedback-status-answered",
                            "date",
                            format::date(lang, at.date_naive()),
                        ),
                        Some(format!("#feedback-{}", f.id)),
                    ),
                    None => (
                        lang.t1(
                            "feedback-status-pending",
                            "date",
                            format::date(lang, f.created_at.date_naive()),
                        ),
                        None,
                    ),
                })
                .collect();
            Placement {
                event_id: e.id,
                what,
                can_ask: employer.is_some(),
                forms,
            }
        })
        .collect();
    out.reverse();
    out
}

/// The client page, with `errors` from an answer that could not be recorded (then 422).
pub async fn render(
    req: &HttpRequest,
    state: &AppState,
    lang: Lang,
    caller: &Caller,
    id: i64,
    errors: Vec<FieldError>,
) -> Result<HttpResponse, WebError> {
    let client = match state.store.client_for_coach(id, caller.id()).await {
        Ok(c) => c,
        Err(StoreError::NotFound { .. }) => return super::not_found(req, lang, caller),
        Err(e) => return Err(e.into()),
    };
    let found = suggestions(state, caller, id, None, PAGE_SUGGESTIONS, reason_lang(lang)).await;
    let (_, _, list) = match found {
        Ok(found) => found,
        Err(e) => return api_refusal(req, lang, caller, e),
    };
    let events = state.store.client_events(id).await?;
    let forms = state.store.feedback_forms_of_client(id).await?;
    let names = Names::of(state, &events).await?;
    let notice = notice(lang, req.query_string());
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut page = Page::new(req, lang, Some(&caller.0), client.display_name.clone());
    page.has_errors = !errors.is_empty();
    let body = ClientPage {
        page,
        client_id: id,
        name: client.display_name.clone(),
        facts: facts(lang, &client),
        understood: understood_facts(lang, state, &client),
        matches: list.iter().map(|s| match_of(lang, s)).collect(),
        timeline: timeline(lang, id, &names, &events, &forms),
        stage: stage_panel(lang, id, &events),
        placements: placements(lang, &names, &events, &forms),
        notice,
        errors,
    }
    .render()?;
    Ok(html(status, body))
}

/// The confirmation of the action that led here, from the query string.
fn notice(lang: Lang, query: &str) -> Option<String> {
    form_urlencoded::parse(query.as_bytes()).find_map(|(k, v)| match (k.as_ref(), v.as_ref()) {
        ("saved", "1") => Some(lang.t("notice-saved")),
        ("done", a @ ("interested" | "applied" | "contacted" | "declined")) => {
            Some(lang.t(&format!("notice-answer-{a}")))
        }
        ("recorded", kind) => EventType::parse(kind).map(|k| {
            lang.t1(
                "notice-event-recorded",
                "what",
                lang.t(&format!("event-{}", k.as_str())),
            )
        }),
        ("corrected", "1") => Some(lang.t("notice-event-corrected")),
        ("feedback", "asked") => Some(lang.t("notice-feedback-asked")),
        _ => None,
    })
}

/// `GET /clients/{id}`.
pub async fn page(
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
    render(&req, &state, lang, &caller, id, Vec::new()).await
}

/// `GET /clients/{id}/shortlist`: plain words, large type, no navigation when printed.
pub async fn shortlist(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
) -> Result<HttpResponse, WebError> {
    let lang = request_lang(&req);
    let id = id.into_inner();
    let target = AccessTarget::Client(id);
    let caller = match coach(&req, &state, lang, AccessAction::Matches, target).await? {
        Ok(c) => c,
        Err(answer) => return Ok(answer),
    };
    let client = match state.store.client_for_coach(id, caller.id()).await {
        Ok(c) => c,
        Err(StoreError::NotFound { .. }) => return super::not_found(&req, lang, &caller),
        Err(e) => return Err(e.into()),
    };
    let found = suggestions(
        &state,
        &caller,
        id,
        None,
        SHORTLIST_SUGGESTIONS,
        reason_lang(lang),
    )
    .await;
    let (_, _, list) = match found {
        Ok(found) => found,
        Err(e) => return api_refusal(&req, lang, &caller, e),
    };
    let title = lang.t1("shortlist-title", "name", client.display_name.clone());
    let page = Page::new(&req, lang, Some(&caller.0), title);
    let body = ShortlistPage {
        page,
        client_id: id,
        intro: lang.t1("shortlist-intro", "name", client.display_name),
        today: format::date(lang, chrono::Utc::now().date_naive()),
        matches: list
            .iter()
            .filter(|s| s.kind != "employer")
            .map(|s| match_of(lang, s))
            .collect(),
    }
    .render()?;
    Ok(html(StatusCode::OK, body))
}

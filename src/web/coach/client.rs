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
    /// Date in words.
    pub date: String,
    /// What happened, in words.
    pub what: String,
    /// Details (posting, placement, hours, note, feedback answers).
    pub details: Vec<String>,
    /// A later correction replaced it: it no longer counts.
    pub corrected: bool,
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

/// The timeline, newest first, with posting titles and employers' answers in words.
async fn timeline(
    state: &AppState,
    lang: Lang,
    events: &[ClientEvent],
    forms: &[FeedbackForm],
) -> Result<Vec<Step>, WebError> {
    let mut titles: HashMap<(&str, i64), String> = HashMap::new();
    for e in events {
        if let Some(v) = e.vacancy_id {
            if let std::collections::hash_map::Entry::Vacant(slot) = titles.entry(("v", v)) {
                match state.store.vacancy(v).await {
                    Ok(p) => {
                        slot.insert(format!("{} ({})", p.title, p.employer));
                    }
                    Err(StoreError::NotFound { .. }) => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
        if let Some(t) = e.task_id {
            if let std::collections::hash_map::Entry::Vacant(slot) = titles.entry(("t", t)) {
                match state.store.task(t).await {
                    Ok(p) => {
                        slot.insert(format!("{} ({})", p.title, p.employer));
                    }
                    Err(StoreError::NotFound { .. }) => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
    }
    let mut steps: Vec<(chrono::DateTime<chrono::Utc>, Step)> = Vec::new();
    for e in events {
        let mut details = Vec::new();
        if let Some(t) = e.vacancy_id.and_then(|v| titles.get(&("v", v))) {
            details.push(t.clone());
        }
        if let Some(t) = e.task_id.and_then(|v| titles.get(&("t", v))) {
            details.push(t.clone());
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
        if let Some(n) = e.note.as_ref().filter(|n| !n.trim().is_empty()) {
            details.push(n.clone());
        }
        steps.push((
            e.at,
            Step {
                date: format::date(lang, e.at.date_naive()),
                what: lang.t(&format!("event-{}", e.kind.as_str())),
                details,
                corrected: e.superseded_by.is_some(),
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
                date: format::date(lang, at.date_naive()),
                what: lang.t(if f.answers.is_some() {
                    "feedback-answered"
                } else {
                    "feedback-asked"
                }),
                details,
                corrected: false,
            },
        ));
    }
    steps.sort_by_key(|s| std::cmp::Reverse(s.0));
    Ok(steps.into_iter().map(|(_, s)| s).collect())
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
        timeline: timeline(state, lang, &events, &forms).await?,
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

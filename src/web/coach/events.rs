//! The funnel's own steps from the client page: `GET /clients/{id}/events/new?type=K` is the
//! form of one step (only the fields that step carries, the date today unless changed),
//! `GET /clients/{id}/events/{event}/correct` the same form filled with a recorded event, and
//! `POST /clients/{id}/events` records either (a correction names the event it replaces in
//! `supersedes`, as the API's does). `POST /clients/{id}/feedback-requests` asks the employer
//! of a placement for feedback.
//!
//! The rules are the API's: the form is read into an [`EventInput`], parsed by
//! [`EventDraft::parse`] and recorded by the store, which checks the stage rules against the
//! client's history. A refusal comes back as the form with everything as typed and the
//! reason in the page's language at the field concerned.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};

use super::client::{Names, RECORDED_STEPS};
use super::{coach, field, form_pairs};
use crate::api::{AppState, Caller};
use crate::domain::{
    AccessAction, AccessTarget, ClientEvent, ContactDraft, ContactInput, EventDraft, EventInput,
    EventType, PlacementType, ValidationError,
};
use crate::store::StoreError;
use crate::web::format;
use crate::web::i18n::Lang;
use crate::web::page::{FieldError, Page};
use crate::web::{html, request_lang, see_other, WebError};

/// Employers offered in the form's list.
const EMPLOYER_CHOICES: i64 = 1_000;

/// One option of a radio group or a select.
pub struct Choice {
    /// The value sent.
    pub value: String,
    /// What the person reads.
    pub label: String,
    /// Chosen now.
    pub checked: bool,
}

/// The form's fields as typed (text, so that nothing is lost when it comes back). Field
/// names are the contract's (`at`, `employer_id`, `vacancy_id`, `task_id`, `placement_type`,
/// `hours_per_week`, `face_to_face`, `out_of_work_at_entry`, `client_choice`, `note`,
/// `supersedes`).
#[derive(Debug, Clone, Default)]
pub struct EventFields {
    pub at: String,
    pub employer_id: String,
    pub vacancy_id: String,
    pub task_id: String,
    pub placement_type: String,
    pub hours_per_week: String,
    pub face_to_face: bool,
    /// `true`, `false` or empty.
    pub out_of_work_at_entry: String,
    pub client_choice: bool,
    pub note: String,
}

/// Which of the form's fields a step carries.
pub fn carries(kind: EventType, name: &str) -> bool {
    use EventType::*;
    match name {
        "employer_id" => matches!(kind, EmployerContact | Interview | Employed),
        "vacancy_id" | "task_id" => matches!(
            kind,
            Interview | Employed | MatchInterested | MatchDeclined | MatchApplied
        ),
        "placement_type" => kind == Employed,
        "hours_per_week" => matches!(kind, Employed | InWorkSupport),
        "face_to_face" => kind == EmployerContact,
        "out_of_work_at_entry" => kind == Engaged,
        "client_choice" => kind == Closed,
        _ => true,
    }
}

impl EventFields {
    /// The fields of a recorded event (to correct it).
    fn of(e: &ClientEvent) -> Self {
        let id = |x: Option<i64>| x.map(|v| v.to_string()).unwrap_or_default();
        EventFields {
            at: format::date_input(e.at.date_naive()),
            employer_id: id(e.employer_id),
            vacancy_id: id(e.vacancy_id),
            task_id: id(e.task_id),
            placement_type: e
                .placement_type
                .map(|p| p.as_str().to_string())
                .unwrap_or_default(),
            hours_per_week: e
                .hours_per_week
                .map(|h| format!("{h}").replace('.', ","))
                .unwrap_or_default(),
            face_to_face: e.face_to_face == Some(true),
            out_of_work_at_entry: e
                .out_of_work_at_entry
                .map(|b| b.to_string())
                .unwrap_or_default(),
            client_choice: e.client_choice == Some(true),
            note: e.note.clone().unwrap_or_default(),
        }
    }

    /// The fields of a posted form; a field not sent is empty.
    fn from_form(pairs: &[(String, String)]) -> Self {
        let f = |name: &str| field(pairs, name).unwrap_or("").to_string();
        EventFields {
            at: f("at"),
            employer_id: f("employer_id"),
            vacancy_id: f("vacancy_id"),
            task_id: f("task_id"),
            placement_type: f("placement_type"),
            hours_per_week: f("hours_per_week"),
            face_to_face: field(pairs, "face_to_face").is_some(),
            out_of_work_at_entry: f("out_of_work_at_entry"),
            client_choice: field(pairs, "client_choice").is_some(),
            note: f("note"),
        }
    }
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

/// An id chosen from a list; blank is none.
fn chosen_id(raw: &str) -> Result<Option<i64>, ()> {
    match raw.trim() {
        "" => Ok(None),
        t => t.parse().map(Some).map_err(|_| ()),
    }
}

/// When an event on `day` happened: the corrected event's own moment when the day is
/// unchanged (so its order among the day's events stays), now for today, else midday.
fn moment(day: NaiveDate, now: DateTime<Utc>, original: Option<DateTime<Utc>>) -> DateTime<Utc> {
    match original {
        Some(t) if t.date_naive() == day => t,
        _ if day == now.date_naive() => now,
        _ => day
            .and_time(NaiveTime::from_hms_opt(12, 0, 0).expect("noon"))
            .and_utc(),
    }
}

/// Why the stage rules refused a step, in the page's language. The reasons are the funnel's
/// (`crate::funnel::CaseState`) and the store's; their English text is read here only to
/// choose the words, never to decide.
pub fn rule_message(lang: Lang, message: &str) -> String {
    let step = |k: &str| {
        EventType::parse(k)
            .map(|k| lang.t(&format!("event-{}", k.as_str())))
            .unwrap_or_else(|| k.to_string())
    };
    if let Some(rest) = message.strip_prefix("this would break the later `") {
        let (kind, rest) = rest.split_once('`').unwrap_or((rest, ""));
        let when = rest
            .trim_start_matches(" of ")
            .split(':')
            .next()
            .and_then(|t| t.get(..10))
            .and_then(|d| d.parse::<NaiveDate>().ok())
            .map(|d| format::date(lang, d))
            .unwrap_or_default();
        return lang.t_args(
            "event-error-rule-later",
            &[("step", step(kind).into()), ("date", when.into())],
        );
    }
    if message.contains("closed by the client's choice") {
        return lang.t("event-error-rule-closed");
    }
    if message.contains("a job can end only after") || message.contains("needs a placement") {
        return lang.t("event-error-rule-no-placement");
    }
    lang.t("event-error-rule")
}

/// The form field a domain or store error names, with the words for it.
fn form_error(lang: Lang, domain_field: &str, message: &str) -> FieldError {
    let (field, text): (&'static str, String) = match domain_field {
        "type" => ("at", rule_message(lang, message)),
        "supersedes" => ("at", lang.t("event-error-supersedes")),
        "purpose" => ("note", lang.t("event-error-note")),
        other => {
            let name = [
                "at",
                "employer_id",
                "vacancy_id",
                "task_id",
                "placement_type",
                "hours_per_week",
                "out_of_work_at_entry",
                "client_choice",
                "note",
            ]
            .into_iter()
            .find(|f| *f == other)
            .unwrap_or("at");
            (name, lang.t(&format!("event-error-{name}")))
        }
    };
    FieldError {
        field,
        message: text,
    }
}

/// The fields as the API's event input, or the fields whose spelling could not be read.
fn input_of(
    lang: Lang,
    kind: EventType,
    fields: &EventFields,
    now: DateTime<Utc>,
    original: Option<&ClientEvent>,
) -> Result<EventInput, Vec<FieldError>> {
    let mut errors = Vec::new();
    let error = |name: &'static str| FieldError {
        field: name,
        message: lang.t(&format!("event-error-{name}")),
    };
    let at = match fields.at.trim() {
        "" => Some(now),
        raw => match format::parse_date_input(raw) {
            Some(day) => Some(moment(day, now, original.map(|e| e.at))),
            None => {
                errors.push(error("at"));
                None
            }
        },
    };
    let mut id_of = |name: &'static str, raw: &str| {
        if !carries(kind, name) {
            return None;
        }
        chosen_id(raw).unwrap_or_else(|()| {
            errors.push(error(name));
            None
        })
    };
    let employer_id = id_of("employer_id", &fields.employer_id);
    let vacancy_id = id_of("vacancy_id", &fields.vacancy_id);
    let task_id = id_of("task_id", &fields.task_id);
    let hours_per_week = if carries(kind, "hours_per_week") {
        number(&fields.hours_per_week).unwrap_or_else(|()| {
            errors.push(error("hours_per_week"));
            None
        })
    } else {
        None
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let placement = fields.placement_type.trim();
    Ok(EventInput {
        kind: Some(kind.as_str().into()),
        at: at.map(crate::domain::format_timestamp),
        vacancy_id,
        task_id,
        employer_id,
        placement_type: (carries(kind, "placement_type") && !placement.is_empty())
            .then(|| placement.to_string()),
        hours_per_week,
        face_to_face: carries(kind, "face_to_face").then_some(fields.face_to_face),
        note: Some(fields.note.trim().to_string()).filter(|n| !n.is_empty()),
        supersedes: original.map(|e| e.id),
        out_of_work_at_entry: match fields.out_of_work_at_entry.as_str() {
            _ if !carries(kind, "out_of_work_at_entry") => None,
            "false" => Some(false),
            _ => Some(true),
        },
        client_choice: (carries(kind, "client_choice") && fields.client_choice).then_some(true),
    })
}

#[derive(Template)]
#[template(path = "coach/event_form.html")]
struct FormPage {
    page: Page,
    client_id: i64,
    client_name: String,
    kind: String,
    /// What the step means, in words.
    help: String,
    /// The event corrected, if this is a correction: (id, what and when in words).
    corrects: Option<(i64, String)>,
    /// For a correction: the other steps it can be recorded as (form address, words).
    other_kinds: Vec<(String, String)>,
    fields: EventFields,
    errors: Vec<FieldError>,
    employers: Vec<Choice>,
    vacancies: Vec<Choice>,
    tasks: Vec<Choice>,
    placement_types: Vec<Choice>,
    out_of_work: Vec<Choice>,
}

impl FormPage {
    fn error(&self, name: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == name)
            .map(|e| e.message.as_str())
    }

    fn carries(&self, name: &str) -> bool {
        EventType::parse(&self.kind).is_some_and(|k| carries(k, name))
    }
}

/// The choices of a select: "none" first, then `options` (value, words), `current` chosen.
fn select(lang: Lang, options: Vec<(String, String)>, current: &str) -> Vec<Choice> {
    let mut out = vec![Choice {
        value: String::new(),
        label: lang.t("event-choose-none"),
        checked: current.trim().is_empty(),
    }];
    out.extend(options.into_iter().map(|(value, label)| Choice {
        checked: value == current.trim(),
        value,
        label,
    }));
    out
}

#[allow(clippy::too_many_arguments)]
async fn render(
    req: &HttpRequest,
    state: &AppState,
    lang: Lang,
    caller: &Caller,
    client: (i64, String),
    kind: EventType,
    original: Option<&ClientEvent>,
    fields: EventFields,
    errors: Vec<FieldError>,
) -> Result<HttpResponse, WebError> {
    let (client_id, client_name) = client;
    let events = state.store.client_events(client_id).await?;
    let names = Names::of(state, &events).await?;
    let employers = if carries(kind, "employer_id") {
        let found = state.store.employers(None, EMPLOYER_CHOICES, 0).await?;
        let options = found
            .items
            .into_iter()
            .map(|e| (e.id.to_string(), e.name))
            .collect();
        select(lang, options, &fields.employer_id)
    } else {
        Vec::new()
    };
    let postings = |map: &std::collections::HashMap<i64, (String, String, i64)>| {
        let mut options: Vec<(String, String)> = map
            .iter()
            .map(|(id, (t, e, _))| (id.to_string(), format!("{t} ({e})")))
            .collect();
        options.sort_by(|a, b| a.1.cmp(&b.1));
        options
    };
    let vacancies = postings(&names.vacancies);
    let tasks = postings(&names.tasks);
    let placement_types = PlacementType::ALL
        .into_iter()
        .map(|p| Choice {
            value: p.as_str().into(),
            label: lang.t(&format!("placement-{}", p.as_str())),
            checked: fields.placement_type == p.as_str(),
        })
        .collect();
    let out_of_work = [
        ("true", "event-out-of-work-yes"),
        ("false", "event-out-of-work-no"),
    ]
    .into_iter()
    .map(|(value, id)| Choice {
        value: value.into(),
        label: lang.t(id),
        checked: fields.out_of_work_at_entry == value
            || (value == "true" && fields.out_of_work_at_entry.is_empty()),
    })
    .collect();
    let what = lang.t(&format!("event-{}", kind.as_str()));
    let title = match original {
        Some(_) => lang.t1("event-correct-title", "what", what),
        None => lang.t1("event-new-title", "what", what),
    };
    let corrects = original.map(|e| {
        (
            e.id,
            lang.t_args(
                "event-corrects",
                &[
                    ("what", lang.t(&format!("event-{}", e.kind.as_str())).into()),
                    ("date", format::date(lang, e.at.date_naive()).into()),
                ],
            ),
        )
    });
    let other_kinds = original
        .map(|e| {
            RECORDED_STEPS
                .into_iter()
                .filter(|k| *k != kind)
                .map(|k| {
                    (
                        format!(
                            "/clients/{client_id}/events/{}/correct?type={}",
                            e.id,
                            k.as_str()
                        ),
                        lang.t(&format!("event-{}", k.as_str())),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut page = Page::new(req, lang, Some(&caller.0), title);
    page.has_errors = !errors.is_empty();
    let body = FormPage {
        page,
        client_id,
        client_name,
        kind: kind.as_str().into(),
        help: lang.t(&format!("event-help-{}", kind.as_str())),
        corrects,
        other_kinds,
        employers,
        vacancies: if vacancies.is_empty() {
            Vec::new()
        } else {
            select(lang, vacancies, &fields.vacancy_id)
        },
        tasks: if tasks.is_empty() {
            Vec::new()
        } else {
            select(lang, tasks, &fields.task_id)
        },
        placement_types,
        out_of_work,
        fields,
        errors,
    }
    .render()?;
    Ok(html(status, body))
}

/// The step named by `?type=` (a step the form records; the match answers only when
/// correcting one).
fn kind_of(req: &HttpRequest, fallback: Option<EventType>) -> Option<EventType> {
    form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "type")
        .and_then(|(_, v)| EventType::parse(&v))
        .or(fallback)
}

/// The client's name, or the not-found page (another coach's client too).
async fn client_name(
    req: &HttpRequest,
    state: &AppState,
    lang: Lang,
    caller: &Caller,
    id: i64,
    action: AccessAction,
) -> Result<Result<String, HttpResponse>, WebError> {
    match state.store.client_for(id, caller.id(), action).await {
        Ok(c) => Ok(Ok(c.display_name)),
        Err(StoreError::NotFound { .. }) => Ok(Err(super::not_found(req, lang, caller)?)),
        Err(e) => Err(e.into()),
    }
}

/// `GET /clients/{id}/events/new?type=K`.
pub async fn new_form(
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
    let name = match client_name(&req, &state, lang, &caller, id, AccessAction::Read).await? {
        Ok(n) => n,
        Err(answer) => return Ok(answer),
    };
    let Some(kind) = kind_of(&req, None).filter(|k| RECORDED_STEPS.contains(k)) else {
        return Ok(see_other(&format!("/clients/{id}#stage")));
    };
    let fields = EventFields {
        at: format::date_input(Utc::now().date_naive()),
        ..Default::default()
    };
    render(
        &req,
        &state,
        lang,
        &caller,
        (id, name),
        kind,
        None,
        fields,
        Vec::new(),
    )
    .await
}

/// `GET /clients/{id}/events/{event}/correct[?type=K]`: the event's form, filled.
pub async fn correct_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, WebError> {
    let lang = request_lang(&req);
    let (id, event_id) = path.into_inner();
    let target = AccessTarget::Client(id);
    let caller = match coach(&req, &state, lang, AccessAction::ReadEvents, target).await? {
        Ok(c) => c,
        Err(answer) => return Ok(answer),
    };
    let name = match client_name(&req, &state, lang, &caller, id, AccessAction::ReadEvents).await? {
        Ok(n) => n,
        Err(answer) => return Ok(answer),
    };
    let events = state.store.client_events(id).await?;
    let Some(original) = events.iter().find(|e| e.id == event_id) else {
        return super::not_found(&req, lang, &caller);
    };
    let kind = kind_of(&req, Some(original.kind)).unwrap_or(original.kind);
    render(
        &req,
        &state,
        lang,
        &caller,
        (id, name),
        kind,
        Some(original),
        EventFields::of(original),
        Vec::new(),
    )
    .await
}

/// `POST /clients/{id}/events`: records the step (or, with `supersedes`, the correction) and
/// shows it in the timeline.
pub async fn record(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let lang = request_lang(&req);
    let id = id.into_inner();
    let target = AccessTarget::Client(id);
    let caller = match coach(&req, &state, lang, AccessAction::RecordEvent, target).await? {
        Ok(c) => c,
        Err(answer) => return Ok(answer),
    };
    let pairs = form_pairs(&body);
    crate::web::check_form(&req, &state, &pairs)?;
    let name = match client_name(&req, &state, lang, &caller, id, AccessAction::RecordEvent).await?
    {
        Ok(n) => n,
        Err(answer) => return Ok(answer),
    };
    let events = state.store.client_events(id).await?;
    let original = match field(&pairs, "supersedes").map(str::trim) {
        None | Some("") => None,
        Some(raw) => match raw
            .parse::<i64>()
            .ok()
            .and_then(|o| events.iter().find(|e| e.id == o))
        {
            Some(e) => Some(e),
            None => return super::not_found(&req, lang, &caller),
        },
    };
    let Some(kind) = field(&pairs, "type")
        .and_then(EventType::parse)
        .filter(|k| RECORDED_STEPS.contains(k) || original.is_some_and(|o| o.kind == *k))
    else {
        return Ok(see_other(&format!("/clients/{id}#stage")));
    };
    let fields = EventFields::from_form(&pairs);
    let now = Utc::now();
    let outcome = match input_of(lang, kind, &fields, now, original) {
        Err(errors) => Err(errors),
        Ok(input) => save(&state, &caller, id, &input, now)
            .await?
            .map_err(|(f, m)| vec![form_error(lang, &f, &m)]),
    };
    match outcome {
        Ok(()) if original.is_some() => {
            Ok(see_other(&format!("/clients/{id}?corrected=1#timeline")))
        }
        Ok(()) => Ok(see_other(&format!(
            "/clients/{id}?recorded={}#timeline",
            kind.as_str()
        ))),
        Err(errors) => {
            render(
                &req,
                &state,
                lang,
                &caller,
                (id, name),
                kind,
                original,
                fields,
                errors,
            )
            .await
        }
    }
}

/// Records `input` the way the API does; an employer contact about a new step is also
/// logged in the employer register. `Ok(Err((field, message)))` is a refusal to show.
async fn save(
    state: &AppState,
    caller: &Caller,
    client_id: i64,
    input: &EventInput,
    now: DateTime<Utc>,
) -> Result<Result<(), (String, String)>, WebError> {
    let draft = match EventDraft::parse(input, now) {
        Ok(d) => d,
        Err(ValidationError { field, message }) => return Ok(Err((field, message))),
    };
    let saved = match (draft.kind, draft.employer_id, draft.supersedes) {
        (EventType::EmployerContact, Some(employer_id), None) => {
            let contact = ContactInput {
                employer_id,
                at: crate::domain::format_timestamp(draft.at),
                face_to_face: draft.face_to_face == Some(true),
                client_id: Some(client_id),
                purpose: draft.note.clone(),
                outcome: None,
            };
            match ContactDraft::parse(&contact, now) {
                Ok(c) => state
                    .store
                    .record_contact(caller.id(), &c)
                    .await
                    .map(|_| ()),
                Err(ValidationError { field, message }) => return Ok(Err((field, message))),
            }
        }
        _ => state
            .store
            .record_event(client_id, caller.id(), &draft)
            .await
            .map(|_| ()),
    };
    match saved {
        Ok(()) => Ok(Ok(())),
        Err(StoreError::InvalidReference { field, message }) => {
            Ok(Err((field.to_string(), message)))
        }
        Err(StoreError::Conflict(message)) => Ok(Err(("supersedes".into(), message))),
        Err(e) => Err(e.into()),
    }
}

/// `POST /clients/{id}/feedback-requests`: asks the employer of the placement
/// `placement_event_id` for feedback, as `POST /api/v1/clients/{id}/feedback-requests` does.
pub async fn request_feedback(
    req: HttpRequest,
    state: web::Data<AppState>,
    id: web::Path<i64>,
    body: web::Bytes,
) -> Result<HttpResponse, WebError> {
    let lang = request_lang(&req);
    let id = id.into_inner();
    let target = AccessTarget::Client(id);
    let action = AccessAction::RequestFeedback;
    let caller = match coach(&req, &state, lang, action, target).await? {
        Ok(c) => c,
        Err(answer) => return Ok(answer),
    };
    let pairs = form_pairs(&body);
    crate::web::check_form(&req, &state, &pairs)?;
    if let Err(answer) = client_name(&req, &state, lang, &caller, id, action).await? {
        return Ok(answer);
    }
    let refused = || {
        vec![FieldError {
            field: "feedback",
            message: lang.t("feedback-error"),
        }]
    };
    let Some(event) = field(&pairs, "placement_event_id").and_then(|v| v.trim().parse().ok())
    else {
        return super::client::render(&req, &state, lang, &caller, id, refused()).await;
    };
    match state.store.request_feedback(id, caller.id(), event).await {
        Ok(_) => Ok(see_other(&format!("/clients/{id}?feedback=asked#feedback"))),
        Err(StoreError::InvalidReference { .. }) => {
            super::client::render(&req, &state, lang, &caller, id, refused()).await
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::parse_timestamp;
    use crate::funnel::CaseState;

    #[test]
    fn the_stage_rules_reasons_are_put_in_words() {
        let employed = CaseState::default().check_kind(EventType::JobEnded);
        let message = employed.unwrap_err().message;
        let fi = rule_message(Lang::Fi, &message);
        assert_eq!(fi, Lang::Fi.t("event-error-rule-no-placement"));
        let closed = CaseState::after([(EventType::Closed, None)])
            .check_kind(EventType::JobSearch)
            .unwrap_err()
            .message;
        assert_eq!(
            rule_message(Lang::Sv, &closed),
            Lang::Sv.t("event-error-rule-closed")
        );
        let later = "this would break the later `job_ended` of 2026-11-03T12:00:00Z: a job \
                     can end only after `employed`";
        let en = rule_message(Lang::En, later);
        assert!(en.contains("3 Nov 2026") || en.contains("2026"), "{en}");
        assert!(en.contains(&Lang::En.t("event-job_ended")), "{en}");
    }

    #[test]
    fn a_date_keeps_the_corrected_events_moment_and_today_is_now() {
        let now = parse_timestamp("now", "2026-12-01T15:00:00Z").unwrap();
        let earlier = parse_timestamp("t", "2026-11-20T08:30:00Z").unwrap();
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(moment(day("2026-11-20"), now, Some(earlier)), earlier);
        assert_eq!(moment(day("2026-12-01"), now, None), now);
        assert_eq!(
            moment(day("2026-11-21"), now, Some(earlier)),
            parse_timestamp("t", "2026-11-21T12:00:00Z").unwrap()
        );
    }

    #[test]
    fn a_step_sends_only_the_fields_it_carries() {
        let now = parse_timestamp("now", "2026-12-01T15:00:00Z").unwrap();
        let fields = EventFields {
            at: "1.11.2026".into(),
            employer_id: "4".into(),
            placement_type: "work_trial".into(),
            hours_per_week: "17,5".into(),
            face_to_face: true,
            ..Default::default()
        };
        let input = input_of(Lang::Fi, EventType::Employed, &fields, now, None).unwrap();
        assert_eq!(input.employer_id, Some(4));
        assert_eq!(input.hours_per_week, Some(17.5));
        assert_eq!(input.face_to_face, None);
        assert_eq!(input.at.as_deref(), Some("2026-11-01T12:00:00Z"));
        let input = input_of(Lang::Fi, EventType::JobSearch, &fields, now, None).unwrap();
        assert_eq!((input.employer_id, input.placement_type), (None, None));
        let bad = EventFields {
            at: "eilen".into(),
            hours_per_week: "paljon".into(),
            ..fields
        };
        let errors = input_of(Lang::Fi, EventType::Employed, &bad, now, None).unwrap_err();
        let names: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(names, ["at", "hours_per_week"]);
    }
}

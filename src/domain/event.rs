//! Client events (funnel steps and answers to suggestions), employer contacts and work-trial
//! feedback, as they arrive and as they are stored.
//!
//! Events are append-only: a correction is a new event that names the one it supersedes.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{optional_text, parse_timestamp, Validated, ValidationError};

/// What happened to a client: a funnel stage of DOMAIN.md, the client's answer to a suggested
/// match, or benefits counselling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    /// Ohjattu palveluun.
    Referred,
    /// Palveluun sitoutunut (intake).
    Engaged,
    /// Ammatillinen profilointi: runs in parallel, never a gate.
    Profiling,
    /// Nopea työnhaku.
    JobSearch,
    /// Työnantajakontakti.
    EmployerContact,
    /// Työhaastattelu.
    Interview,
    /// Työllistynyt (with a placement type).
    Employed,
    /// Tuki työssä.
    InWorkSupport,
    /// Työsuhde päättynyt (back to job search).
    JobEnded,
    /// Palvelu päättynyt: only by the client's choice.
    Closed,
    /// The client wants to pursue a suggested vacancy or task.
    MatchInterested,
    /// The client turned a suggestion down.
    MatchDeclined,
    /// The client applied for a suggested vacancy or task.
    MatchApplied,
    /// Benefits counselling done.
    BenefitsCounselling,
}

impl EventType {
    /// Every event type, in funnel order.
    pub const ALL: [EventType; 14] = [
        EventType::Referred,
        EventType::Engaged,
        EventType::Profiling,
        EventType::JobSearch,
        EventType::EmployerContact,
        EventType::Interview,
        EventType::Employed,
        EventType::InWorkSupport,
        EventType::JobEnded,
        EventType::Closed,
        EventType::MatchInterested,
        EventType::MatchDeclined,
        EventType::BenefitsCounselling,
        EventType::MatchApplied,
    ];

    /// The identifier stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Referred => "referred",
            EventType::Engaged => "engaged",
            EventType::Profiling => "profiling",
            EventType::JobSearch => "job_search",
            EventType::EmployerContact => "employer_contact",
            EventType::Interview => "interview",
            EventType::Employed => "employed",
            EventType::InWorkSupport => "in_work_support",
            EventType::JobEnded => "job_ended",
            EventType::Closed => "closed",
            EventType::MatchInterested => "match_interested",
            EventType::MatchDeclined => "match_declined",
            EventType::BenefitsCounselling => "benefits_counselling",
            EventType::MatchApplied => "match_applied",
        }
    }

    /// Parses a stored identifier.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// Whether this event moves the client's current stage (profiling runs in parallel; match
    /// answers and benefits counselling are not stages).
    pub fn is_stage(self) -> bool {
        !matches!(
            self,
            EventType::Profiling
                | EventType::MatchInterested
                | EventType::MatchDeclined
                | EventType::MatchApplied
                | EventType::BenefitsCounselling
        )
    }
}

/// The kind of work a placement is. Only `competitive` counts as a competitive job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlacementType {
    /// Open-market paid job (avoimet työmarkkinat).
    Competitive,
    /// Wage-subsidised job (palkkatuki): counted separately.
    WageSubsidised,
    /// Work trial (työkokeilu): never a job.
    WorkTrial,
    /// Rehabilitative work activity (kuntouttava työtoiminta): never a job.
    RehabilitativeWork,
    /// Work activity in disability services (avotyö): never a job.
    OpenWork,
    /// Group subcontracting (alihankinta): never a job.
    SubcontractingGroup,
    /// Studies.
    Education,
}

impl PlacementType {
    /// Every placement type.
    pub const ALL: [PlacementType; 7] = [
        PlacementType::Competitive,
        PlacementType::WageSubsidised,
        PlacementType::WorkTrial,
        PlacementType::RehabilitativeWork,
        PlacementType::OpenWork,
        PlacementType::SubcontractingGroup,
        PlacementType::Education,
    ];

    /// The identifier stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            PlacementType::Competitive => "competitive",
            PlacementType::WageSubsidised => "wage_subsidised",
            PlacementType::WorkTrial => "work_trial",
            PlacementType::RehabilitativeWork => "rehabilitative_work",
            PlacementType::OpenWork => "open_work",
            PlacementType::SubcontractingGroup => "subcontracting_group",
            PlacementType::Education => "education",
        }
    }

    /// Parses a stored identifier.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// Body of `POST /api/v1/clients/{id}/events`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    /// Event type: a DOMAIN.md stage, `benefits_counselling`, or the client's answer to a
    /// suggestion (`match_interested`, `match_declined`, `match_applied`, each naming its
    /// `vacancy_id` or `task_id`).
    #[serde(rename = "type")]
    #[schema(value_type = EventType)]
    pub kind: Option<String>,
    /// When it happened, not in the future; default now.
    #[serde(default)]
    #[schema(value_type = Option<super::Moment>)]
    pub at: Option<String>,
    /// The vacancy concerned.
    #[serde(default)]
    pub vacancy_id: Option<i64>,
    /// The subcontracting task concerned.
    #[serde(default)]
    pub task_id: Option<i64>,
    /// The employer concerned.
    #[serde(default)]
    pub employer_id: Option<i64>,
    /// On `employed`: the kind of placement (required there, and only there).
    #[serde(default)]
    #[schema(value_type = Option<PlacementType>)]
    pub placement_type: Option<String>,
    /// On `employed` / `in_work_support` only: hours per week (more than 0, at most 80).
    #[serde(default)]
    #[schema(exclusive_minimum = 0, maximum = 80)]
    pub hours_per_week: Option<f64>,
    /// On `employer_contact`: met face to face.
    #[serde(default)]
    pub face_to_face: Option<bool>,
    /// Free note (no health information).
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
    /// The id of an earlier event of this client that this one corrects.
    #[serde(default)]
    pub supersedes: Option<i64>,
    /// On `engaged`: whether the client was out of work at entry (default true).
    #[serde(default)]
    pub out_of_work_at_entry: Option<bool>,
    /// On `closed`: must be true — a case closes only by the client's own choice.
    #[serde(default)]
    pub client_choice: Option<bool>,
}

/// A validated event, before the stage rules are checked against the client's history.
#[derive(Debug, Clone, PartialEq)]
pub struct EventDraft {
    /// Type.
    pub kind: EventType,
    /// When.
    pub at: DateTime<Utc>,
    /// Vacancy.
    pub vacancy_id: Option<i64>,
    /// Task.
    pub task_id: Option<i64>,
    /// Employer.
    pub employer_id: Option<i64>,
    /// Placement type (on `employed` only).
    pub placement_type: Option<PlacementType>,
    /// Hours per week.
    pub hours_per_week: Option<f64>,
    /// Face to face.
    pub face_to_face: Option<bool>,
    /// Note.
    pub note: Option<String>,
    /// Corrected event.
    pub supersedes: Option<i64>,
    /// Out of work at entry (on `engaged`).
    pub out_of_work_at_entry: Option<bool>,
    /// Client's choice (on `closed`).
    pub client_choice: Option<bool>,
}

fn check_hours(field: &str, hours: Option<f64>) -> Validated<Option<f64>> {
    match hours {
        Some(h) if !h.is_finite() || h <= 0.0 || h > 80.0 => Err(ValidationError::new(
            field,
            "must be more than 0 and at most 80 hours per week",
        )),
        other => Ok(other),
    }
}

impl EventDraft {
    /// Validates the fields of one event on their own; `now` bounds `at` (no future events).
    pub fn parse(input: &EventInput, now: DateTime<Utc>) -> Validated<Self> {
        let raw_kind = input
            .kind
            .as_deref()
            .ok_or_else(|| ValidationError::new("type", "is required"))?;
        let kind = EventType::parse(raw_kind.trim()).ok_or_else(|| {
            let all: Vec<_> = EventType::ALL.iter().map(|t| t.as_str()).collect();
            ValidationError::new(
                "type",
                format!(
                    "'{raw_kind}' is not an event type; use one of {}",
                    all.join(", ")
                ),
            )
        })?;
        let at = match input.at.as_deref() {
            None => now,
            Some(raw) => parse_timestamp("at", raw)?,
        };
        if at > now + chrono::Duration::minutes(5) {
            return Err(ValidationError::new("at", "must not be in the future"));
        }
        let placement_type = match input.placement_type.as_deref() {
            None => None,
            Some(raw) => Some(PlacementType::parse(raw.trim()).ok_or_else(|| {
                let all: Vec<_> = PlacementType::ALL.iter().map(|t| t.as_str()).collect();
                ValidationError::new(
                    "placement_type",
                    format!(
                        "'{raw}' is not a placement type; use one of {}",
                        all.join(", ")
                    ),
                )
            })?),
        };
        match (kind, placement_type) {
            (EventType::Employed, None) => {
                return Err(ValidationError::new(
                    "placement_type",
                    "is required on an `employed` event",
                ))
            }
            (EventType::Employed, Some(_)) | (_, None) => {}
            (_, Some(_)) => {
                return Err(ValidationError::new(
                    "placement_type",
                    "belongs only on an `employed` event",
                ))
            }
        }
        let hours_per_week = check_hours("hours_per_week", input.hours_per_week)?;
        if hours_per_week.is_some()
            && !matches!(kind, EventType::Employed | EventType::InWorkSupport)
        {
            return Err(ValidationError::new(
                "hours_per_week",
                "belongs only on `employed` or `in_work_support`",
            ));
        }
        if matches!(
            kind,
            EventType::MatchInterested | EventType::MatchDeclined | EventType::MatchApplied
        ) && input.vacancy_id.is_none()
            && input.task_id.is_none()
        {
            return Err(ValidationError::new(
                "vacancy_id",
                "a match answer needs the vacancy_id or task_id it answers",
            ));
        }
        if input.out_of_work_at_entry.is_some() && kind != EventType::Engaged {
            return Err(ValidationError::new(
                "out_of_work_at_entry",
                "belongs only on `engaged`",
            ));
        }
        if kind == EventType::Closed && input.client_choice != Some(true) {
            return Err(ValidationError::new(
                "client_choice",
                "a case closes only by the client's own choice: send client_choice: true",
            ));
        }
        Ok(Self {
            kind,
            at,
            vacancy_id: input.vacancy_id,
            task_id: input.task_id,
            employer_id: input.employer_id,
            placement_type,
            hours_per_week,
            face_to_face: input.face_to_face,
            note: optional_text("note", input.note.as_deref(), 2_000)?,
            supersedes: input.supersedes,
            out_of_work_at_entry: input.out_of_work_at_entry,
            client_choice: (kind == EventType::Closed).then_some(true),
        })
    }
}

/// A stored client event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClientEvent {
    /// Id.
    pub id: i64,
    /// Client.
    pub client_id: i64,
    /// User who recorded it.
    pub recorded_by: i64,
    /// Type.
    #[serde(rename = "type")]
    pub kind: EventType,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Vacancy.
    pub vacancy_id: Option<i64>,
    /// Task.
    pub task_id: Option<i64>,
    /// Employer.
    pub employer_id: Option<i64>,
    /// Placement type.
    pub placement_type: Option<PlacementType>,
    /// Hours per week.
    pub hours_per_week: Option<f64>,
    /// Face to face.
    pub face_to_face: Option<bool>,
    /// Note.
    pub note: Option<String>,
    /// The event this one corrects.
    pub supersedes: Option<i64>,
    /// The later event that corrects this one (then this one no longer counts).
    pub superseded_by: Option<i64>,
    /// Out of work at entry (on `engaged`).
    pub out_of_work_at_entry: Option<bool>,
    /// Client's choice (on `closed`).
    pub client_choice: Option<bool>,
    /// Recorded at.
    pub created_at: DateTime<Utc>,
}

/// Body of `POST /api/v1/employer-contacts`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    /// Employer in the register.
    pub employer_id: i64,
    /// When, not in the future.
    #[schema(value_type = super::Moment)]
    pub at: String,
    /// Met face to face (IPS counts these).
    pub face_to_face: bool,
    /// The client the contact was about, if any (one of the coach's own).
    #[serde(default)]
    pub client_id: Option<i64>,
    /// Why.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub purpose: Option<String>,
    /// What came of it.
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub outcome: Option<String>,
}

/// A validated employer contact.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactDraft {
    /// Employer.
    pub employer_id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Face to face.
    pub face_to_face: bool,
    /// Client.
    pub client_id: Option<i64>,
    /// Purpose.
    pub purpose: Option<String>,
    /// Outcome.
    pub outcome: Option<String>,
}

impl ContactDraft {
    /// Validates a contact; `now` bounds `at`.
    pub fn parse(input: &ContactInput, now: DateTime<Utc>) -> Validated<Self> {
        let at = parse_timestamp("at", &input.at)?;
        if at > now + chrono::Duration::minutes(5) {
            return Err(ValidationError::new("at", "must not be in the future"));
        }
        Ok(Self {
            employer_id: input.employer_id,
            at,
            face_to_face: input.face_to_face,
            client_id: input.client_id,
            purpose: optional_text("purpose", input.purpose.as_deref(), 500)?,
            outcome: optional_text("outcome", input.outcome.as_deref(), 2_000)?,
        })
    }
}

/// A logged employer contact as the register shows it across coaches.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EmployerContact {
    /// Id.
    pub id: i64,
    /// Employer.
    pub employer_id: i64,
    /// Coach who made the contact.
    pub coach_id: i64,
    /// Coach's name.
    pub coach_name: String,
    /// When.
    pub at: DateTime<Utc>,
    /// Face to face.
    pub face_to_face: bool,
    /// Whether a client was involved (which one is shown only to that client's coach).
    pub with_client: bool,
    /// The client, for the client's own coach only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<i64>,
    /// Purpose.
    pub purpose: Option<String>,
    /// Outcome.
    pub outcome: Option<String>,
}

/// How much support the person needed in the placement, as the employer saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SupportNeeded {
    /// Managed on their own.
    None,
    /// Some guidance.
    Some,
    /// A lot of guidance.
    ALot,
}

impl SupportNeeded {
    /// Stored identifier.
    pub fn as_str(self) -> &'static str {
        match self {
            SupportNeeded::None => "none",
            SupportNeeded::Some => "some",
            SupportNeeded::ALot => "a_lot",
        }
    }

    /// Parses a stored identifier.
    pub fn parse(s: &str) -> Option<Self> {
        [
            SupportNeeded::None,
            SupportNeeded::Some,
            SupportNeeded::ALot,
        ]
        .into_iter()
        .find(|v| v.as_str() == s)
    }
}

/// The employer's answers on a work-trial (or job) feedback form.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackAnswers {
    /// How well the tasks were managed, 1 (not at all) – 5 (fully).
    #[schema(minimum = 1, maximum = 5, example = 4)]
    pub tasks_managed: i64,
    /// Support needed.
    pub support_needed: SupportNeeded,
    /// Would the employer hire the person (or keep them on).
    pub would_hire: bool,
    /// Free comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 2000)]
    pub comment: Option<String>,
}

impl FeedbackAnswers {
    /// Validates the answers.
    pub fn parse(raw: &FeedbackAnswers) -> Validated<Self> {
        if !(1..=5).contains(&raw.tasks_managed) {
            return Err(ValidationError::new(
                "tasks_managed",
                "must be between 1 and 5",
            ));
        }
        Ok(Self {
            comment: optional_text("comment", raw.comment.as_deref(), 2_000)?,
            ..raw.clone()
        })
    }
}

/// A feedback form. Employers see it without any client reference.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeedbackForm {
    /// Id.
    pub id: i64,
    /// Employer asked.
    pub employer_id: i64,
    /// The placement's type.
    pub placement_type: PlacementType,
    /// The day the placement began (the date of its `employed` event): with the type and the
    /// posting, it tells the employer which placement the form is about, without naming the
    /// person.
    pub placement_started_on: NaiveDate,
    /// The employer's own vacancy the placement is at, if it names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vacancy_id: Option<i64>,
    /// The employer's own subcontracting task the placement is at, if it names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_id: Option<i64>,
    /// The title of that vacancy or task.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub posting_title: Option<String>,
    /// Asked at.
    pub created_at: DateTime<Utc>,
    /// `pending` or `submitted`.
    pub status: &'static str,
    /// Submitted at.
    pub submitted_at: Option<DateTime<Utc>>,
    /// The answers, once submitted.
    pub answers: Option<FeedbackAnswers>,
    /// The client (shown to the client's coach only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_id: Option<i64>,
    /// The placement event (shown to the client's coach only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub placement_event_id: Option<i64>,
}

/// A label for the ranker: what a client (or the employer) said about a suggested vacancy or
/// task, from the effective events and the submitted feedback forms.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MatchFeedback {
    /// Client.
    pub client_id: i64,
    /// Vacancy, if the signal is about one.
    pub vacancy_id: Option<i64>,
    /// Task, if the signal is about one.
    pub task_id: Option<i64>,
    /// `interested`, `declined` (the client's answer), `contacted` (an employer contact or
    /// interview about the posting), `placed` (an `employed` event naming the posting),
    /// `employer_would_hire` or `employer_would_not_hire` (feedback form).
    pub signal: &'static str,
    /// When.
    pub at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        parse_timestamp("at", "2026-06-01T12:00:00Z").unwrap()
    }

    fn input(kind: &str) -> EventInput {
        EventInput {
            kind: Some(kind.into()),
            ..Default::default()
        }
    }

    #[test]
    fn employed_needs_a_placement_type() {
        let err = EventDraft::parse(&input("employed"), now()).unwrap_err();
        assert_eq!(err.field, "placement_type");
    }

    #[test]
    fn closing_needs_the_clients_choice() {
        let err = EventDraft::parse(&input("closed"), now()).unwrap_err();
        assert_eq!(err.field, "client_choice");
        let ok = EventDraft::parse(
            &EventInput {
                client_choice: Some(true),
                ..input("closed")
            },
            now(),
        );
        assert!(ok.is_ok());
    }

    #[test]
    fn a_match_answer_names_what_it_answers() {
        let err = EventDraft::parse(&input("match_declined"), now()).unwrap_err();
        assert_eq!(err.field, "vacancy_id");
    }

    #[test]
    fn future_events_are_rejected() {
        let e = EventInput {
            at: Some("2026-07-01".into()),
            ..input("job_search")
        };
        assert_eq!(EventDraft::parse(&e, now()).unwrap_err().field, "at");
    }
}

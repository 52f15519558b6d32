//! Funnel, outcome and fidelity figures, computed in memory from the rows the store loads.
//!
//! Definitions (the dashboard and the API say the same):
//! - *population*: clients with intake on or before `to`; their *current stage* is the last
//!   stage event up to the end of `to` (none yet: `engaged`, the intake itself).
//! - *cohort*: clients with intake within `[from, to]`; conversions, days to first job and the
//!   placement path are about the cohort.
//! - a *placement* is an `employed` event; it lasts until the client's next `employed` or
//!   `job_ended` event. Only `competitive` placements are competitive jobs.
//! - an *employer contact* for rapid search is a face-to-face `employer_contact` event.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use super::CaseState;
use crate::domain::{EventType, PlacementType};

const DAY: i64 = 86_400;

/// One client as the figures need it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientFacts {
    /// Client id.
    pub id: i64,
    /// The client's coach.
    pub coach_id: i64,
    /// Intake: the rapid-search clock starts.
    pub intake: NaiveDate,
}

/// One effective event (corrections applied), as the figures need it.
#[derive(Debug, Clone, PartialEq)]
pub struct EventFact {
    /// Event id (to drop it when a later correction supersedes it).
    pub id: i64,
    /// Client id.
    pub client_id: i64,
    /// Type.
    pub kind: EventType,
    /// Seconds since the epoch, UTC.
    pub at: i64,
    /// Placement type (on `employed`).
    pub placement: Option<PlacementType>,
    /// Hours per week.
    pub hours_per_week: Option<f64>,
    /// Face to face (absent counts as not).
    pub face_to_face: bool,
    /// On `engaged`: out of work at entry.
    pub out_of_work_at_entry: Option<bool>,
    /// Employer (of the event, or of its vacancy or task).
    pub employer_id: Option<i64>,
    /// Occupation code of the vacancy, when known (job-type diversity). Shared: rows are
    /// copied for a report that ends earlier than the kept ones.
    pub occupation: Option<Arc<str>>,
}

/// One logged employer contact.
#[derive(Debug, Clone, PartialEq)]
pub struct ContactFact {
    /// The coach.
    pub coach_id: i64,
    /// Seconds since the epoch, UTC.
    pub at: i64,
    /// Face to face.
    pub face_to_face: bool,
}

/// Everything the figures are computed from. `events` are sorted by client, time, id.
#[derive(Debug, Clone, Default)]
pub struct FunnelData {
    /// Clients.
    pub clients: Vec<ClientFacts>,
    /// Effective events.
    pub events: Vec<EventFact>,
    /// Employer contacts.
    pub contacts: Vec<ContactFact>,
}

impl FunnelData {
    /// A copy of the rows a report through `until` reads (the clients with intake on or before
    /// that day, the events and contacts up to its last second), as reading the database up to
    /// that day gives them. The reports themselves leave the later rows out without a copy.
    pub fn through(&self, until: NaiveDate) -> FunnelData {
        let end = end_of(until);
        FunnelData {
            clients: self
                .clients
                .iter()
                .filter(|c| c.intake <= until)
                .cloned()
                .collect(),
            events: self.events.iter().filter(|e| e.at < end).cloned().collect(),
            contacts: self
                .contacts
                .iter()
                .filter(|c| c.at < end)
                .cloned()
                .collect(),
        }
    }
}

/// The midnight after `day`: the first moment a report through `day` leaves out.
fn end_of(day: NaiveDate) -> i64 {
    midnight(day) + DAY
}

/// The period a report covers, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

impl Period {
    fn start(&self) -> i64 {
        midnight(self.from)
    }
    /// Exclusive end: midnight after `to`.
    fn end(&self) -> i64 {
        midnight(self.to) + DAY
    }
    fn contains(&self, at: i64) -> bool {
        (self.start()..self.end()).contains(&at)
    }
    fn contains_day(&self, d: NaiveDate) -> bool {
        (self.from..=self.to).contains(&d)
    }
}

/// Midnight UTC starting `d`, in epoch seconds.
pub fn midnight(d: NaiveDate) -> i64 {
    d.and_hms_opt(0, 0, 0)
        .expect("midnight")
        .and_utc()
        .timestamp()
}

/// The main path through the funnel, in order.
pub const PATH: [EventType; 5] = [
    EventType::Engaged,
    EventType::JobSearch,
    EventType::EmployerContact,
    EventType::Interview,
    EventType::Employed,
];

/// A step of the cohort funnel: the main path, ending in a competitive job. Other placements
/// (a work trial, a wage-subsidised job, …) never reach the last step; they are counted on
/// their own in [`FunnelReport::cohort_placements`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CohortStep {
    /// Entered the service (intake): the whole cohort.
    Engaged,
    /// Started the rapid job search.
    JobSearch,
    /// An employer was contacted for the client.
    EmployerContact,
    /// Went to a job interview.
    Interview,
    /// Started an open-market paid job.
    CompetitiveJob,
}

/// The steps of the cohort funnel, in order.
pub const COHORT_STEPS: [CohortStep; 5] = [
    CohortStep::Engaged,
    CohortStep::JobSearch,
    CohortStep::EmployerContact,
    CohortStep::Interview,
    CohortStep::CompetitiveJob,
];

impl CohortStep {
    /// The identifier (as in the JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            CohortStep::Engaged => "engaged",
            CohortStep::JobSearch => "job_search",
            CohortStep::EmployerContact => "employer_contact",
            CohortStep::Interview => "interview",
            CohortStep::CompetitiveJob => "competitive_job",
        }
    }

    /// The step `e` shows the client reached, if it is one of the funnel's.
    fn reached_by(e: &EventFact) -> Option<Self> {
        match e.kind {
            EventType::Engaged => Some(CohortStep::Engaged),
            EventType::JobSearch => Some(CohortStep::JobSearch),
            EventType::EmployerContact => Some(CohortStep::EmployerContact),
            EventType::Interview => Some(CohortStep::Interview),
            EventType::Employed if e.placement == Some(PlacementType::Competitive) => {
                Some(CohortStep::CompetitiveJob)
            }
            _ => None,
        }
    }
}

/// Stages that a client can be in, in funnel order.
pub const STAGES: [EventType; 9] = [
    EventType::Referred,
    EventType::Engaged,
    EventType::JobSearch,
    EventType::EmployerContact,
    EventType::Interview,
    EventType::Employed,
    EventType::InWorkSupport,
    EventType::JobEnded,
    EventType::Closed,
];

/// Finnish label of a stage (DOMAIN.md).
pub fn stage_label(kind: EventType) -> &'static str {
    match kind {
        EventType::Referred => "Ohjattu palveluun",
        EventType::Engaged => "Palveluun sitoutunut",
        EventType::Profiling => "Ammatillinen profilointi",
        EventType::JobSearch => "Nopea työnhaku",
        EventType::EmployerContact => "Työnantajakontakti",
        EventType::Interview => "Työhaastattelu",
        EventType::Employed => "Työllistynyt",
        EventType::InWorkSupport => "Tuki työssä",
        EventType::JobEnded => "Työsuhde päättynyt",
        EventType::Closed => "Palvelu päättynyt",
        EventType::MatchInterested => "Kiinnostunut ehdotuksesta",
        EventType::MatchDeclined => "Hylkäsi ehdotuksen",
        EventType::BenefitsCounselling => "Etuusneuvonta",
        EventType::MatchApplied => "Haki ehdotettua työtä",
    }
}

/// Median of `values` (mean of the middle two for an even count); `None` when empty.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// A placement: from its `employed` event to the next `employed` or `job_ended` (if any).
#[derive(Debug, Clone, PartialEq)]
struct Placement {
    start: i64,
    end: Option<i64>,
    /// The `employed` event's placement type and hours, copied: a report asks of every
    /// client's placements many times, and reading them off the events would jump across
    /// all of them each time.
    kind: Option<PlacementType>,
    hours_per_week: Option<f64>,
}

/// One client's effective events in time order, with what the figures ask of them worked
/// out once (a report asks many questions of 50,000 clients).
struct Timeline<'a> {
    client: &'a ClientFacts,
    events: &'a [EventFact],
    placements: Vec<Placement>,
    /// Each time the case closed (`true`) or reopened (`false`).
    closures: Vec<(i64, bool)>,
    current_stage: EventType,
    /// The placement held at the end of the events, if any.
    current_placement: Option<PlacementType>,
    out_of_work_at_entry: bool,
    furthest_path_step: usize,
    /// Furthest step of [`COHORT_STEPS`] reached: like `furthest_path_step`, but only a
    /// competitive placement reaches the last step (a work trial is not a job).
    furthest_cohort_step: usize,
    first_face_to_face_contact: Option<i64>,
}

impl<'a> Timeline<'a> {
    /// The timeline of `client` from `events`, its events in time order, up to `end` (the
    /// later ones are left out).
    fn new(client: &'a ClientFacts, events: &'a [EventFact], end: i64) -> Self {
        let mut state = CaseState::default();
        let mut placements: Vec<Placement> = Vec::new();
        let mut closures = Vec::new();
        // The last `engaged` that says decides; without one the client is taken to be out of
        // work (the usual case in IPS).
        let mut out_of_work_at_entry = true;
        let mut furthest_path_step = 0;
        let mut furthest_cohort_step = 0;
        let mut first_face_to_face_contact = None;
        // In one pass, in order: no second look at the events to find where they end.
        let mut seen = 0usize;
        for e in events {
            debug_assert!(events[seen.saturating_sub(1)].at <= e.at, "in time order");
            if e.at >= end {
                break;
            }
            seen += 1;
            let was_closed = state.closed;
            state.apply(e.kind, e.placement);
            if state.closed != was_closed {
                closures.push((e.at, state.closed));
            }
            if matches!(e.kind, EventType::Employed | EventType::JobEnded) {
                if let Some(last) = placements.last_mut() {
                    if last.end.is_none() {
                        last.end = Some(e.at);
                    }
                }
            }
            match e.kind {
                EventType::Employed => placements.push(Placement {
                    start: e.at,
                    end: None,
                    kind: e.placement,
                    hours_per_week: e.hours_per_week,
                }),
                EventType::Engaged => {
                    if let Some(v) = e.out_of_work_at_entry {
                        out_of_work_at_entry = v;
                    }
                }
                EventType::EmployerContact if e.face_to_face => {
                    first_face_to_face_contact.get_or_insert(e.at);
                }
                _ => {}
            }
            if let Some(step) = PATH.iter().position(|p| *p == e.kind) {
                furthest_path_step = furthest_path_step.max(step);
            }
            if let Some(step) = CohortStep::reached_by(e) {
                furthest_cohort_step = furthest_cohort_step.max(step as usize);
            }
        }
        Self {
            client,
            events: &events[..seen],
            placements,
            closures,
            current_stage: state.stage.unwrap_or(EventType::Engaged),
            current_placement: state.employed,
            out_of_work_at_entry,
            furthest_path_step,
            furthest_cohort_step,
            first_face_to_face_contact,
        }
    }

    fn current_stage(&self) -> EventType {
        self.current_stage
    }

    fn current_placement(&self) -> Option<PlacementType> {
        self.current_placement
    }

    /// Whether the case stood closed just before `at`.
    fn closed_before(&self, at: i64) -> bool {
        self.closures
            .iter()
            .take_while(|c| c.0 < at)
            .last()
            .is_some_and(|c| c.1)
    }

    fn placements(&self) -> &[Placement] {
        &self.placements
    }

    fn out_of_work_at_entry(&self) -> bool {
        self.out_of_work_at_entry
    }

    /// Furthest step of [`PATH`] ever reached (0 = engaged).
    fn furthest_path_step(&self) -> usize {
        self.furthest_path_step
    }

    /// Furthest step of [`COHORT_STEPS`] ever reached (0 = engaged).
    fn furthest_cohort_step(&self) -> usize {
        self.furthest_cohort_step
    }

    fn first_face_to_face_contact(&self) -> Option<i64> {
        self.first_face_to_face_contact
    }
}

/// The clients of `coach` (or everyone) with intake on or before `until`, each with their
/// events up to the end of that day: the rows may hold later ones, which a report through
/// `until` does not see.
fn timelines<'a>(data: &'a FunnelData, coach: Option<i64>, until: NaiveDate) -> Vec<Timeline<'a>> {
    let end = end_of(until);
    let events = &data.events;
    debug_assert!(
        events.is_sorted_by_key(|e| e.client_id),
        "events in client order"
    );
    let mut clients: Vec<&ClientFacts> = data
        .clients
        .iter()
        .filter(|c| c.intake <= until && coach.is_none_or(|k| c.coach_id == k))
        .collect();
    // The rows keep clients in id order; rows made otherwise are put in it.
    if !clients.is_sorted_by_key(|c| c.id) {
        clients.sort_by_key(|c| c.id);
    }
    // The clients and their events side by side, in one pass over the events.
    let mut next = 0;
    clients
        .into_iter()
        .map(|c| {
            let (first, last) = events_of(events, next, c.id);
            next = last;
            Timeline::new(c, &events[first..last], end)
        })
        .collect()
}

/// Where the events of `client` lie in `events` (in client order), looking from `from` on:
/// by galloping, since they usually begin where the previous client's ended.
fn events_of(events: &[EventFact], from: usize, client: i64) -> (usize, usize) {
    let rest = &events[from..];
    let (mut before, mut probe, mut step) = (0, 0, 1);
    while probe < rest.len() && rest[probe].client_id < client {
        before = probe + 1;
        probe += step;
        step *= 2;
    }
    let first =
        before + rest[before..probe.min(rest.len())].partition_point(|e| e.client_id < client);
    let len = rest[first..]
        .iter()
        .take_while(|e| e.client_id == client)
        .count();
    (from + first, from + first + len)
}

/// Clients at one stage now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StageCount {
    /// Stage identifier.
    pub stage: EventType,
    /// Finnish label.
    pub label: &'static str,
    /// Clients whose current stage this is.
    pub clients: usize,
}

/// How many of the cohort (clients whose intake falls within the period) reached one step of
/// the main path, or any later step, by the end of the period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CohortReach {
    /// The step.
    pub step: CohortStep,
    /// Cohort clients who reached it (or a later step).
    pub clients: usize,
    /// `clients` over the whole cohort; null for an empty cohort.
    pub share_of_cohort: Option<f64>,
    /// `clients` over those who reached the step before; null for the first step and when
    /// nobody reached the step before.
    pub from_previous: Option<f64>,
}

/// Clients by the type of placement.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlacementCount {
    /// The placement type.
    pub placement: PlacementType,
    /// Clients.
    pub clients: usize,
}

/// Share of the cohort that got from one step of the main path to the next.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Conversion {
    /// From stage.
    pub from: EventType,
    /// To stage.
    pub to: EventType,
    /// Cohort clients who reached `from` (or any later step).
    pub reached_from: usize,
    /// Cohort clients who reached `to` (or any later step).
    pub reached_to: usize,
    /// `reached_to / reached_from`; null when nobody reached `from`.
    pub rate: Option<f64>,
}

/// How long clients stay in a stage.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StageTime {
    /// Stage.
    pub stage: EventType,
    /// Finished stays that began within the period.
    pub stays: usize,
    /// Median length of those stays, in days.
    pub median_days: Option<f64>,
}

/// Competitive employment in one calendar quarter (clipped to the period).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuarterRate {
    /// `2025Q3`.
    pub quarter: String,
    /// Clients in service during the quarter who were out of work at entry (denominator).
    pub out_of_work_at_entry: usize,
    /// Of those, clients who held a competitive job at some time in the quarter.
    pub competitively_employed: usize,
    /// The rate; null with an empty denominator.
    pub rate: Option<f64>,
}

/// Days from intake to the first competitive job (cohort).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DaysToJob {
    /// Cohort clients with a competitive job.
    pub clients: usize,
    /// Median days.
    pub median_days: Option<f64>,
    /// Mean days.
    pub mean_days: Option<f64>,
}

/// Hours of competitive placements that began within the period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Hours {
    /// Placements with hours recorded.
    pub placements: usize,
    /// Mean hours per week.
    pub mean_hours_per_week: Option<f64>,
    /// Share working 20 hours a week or more.
    pub share_20_hours_or_more: Option<f64>,
}

/// Job tenure: competitive placements begun within the period and old enough to tell.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Tenure {
    /// Days after the start.
    pub days: i64,
    /// Placements that began at least `days` before the end of the period.
    pub placements: usize,
    /// Of those, still going `days` after the start.
    pub still_employed: usize,
    /// The share.
    pub rate: Option<f64>,
}

/// The staircase työkokeilu → palkkatuki → palkkatyö, for the cohort.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlacementPath {
    /// Cohort clients with a work trial.
    pub work_trial: usize,
    /// Of those, clients with a wage-subsidised job after the work trial.
    pub then_wage_subsidised: usize,
    /// Of those, clients with a competitive job after the wage-subsidised job.
    pub then_competitive: usize,
    /// Share lost between work trial and wage subsidy.
    pub drop_off_after_work_trial: Option<f64>,
    /// Share lost between wage subsidy and competitive job.
    pub drop_off_after_wage_subsidy: Option<f64>,
    /// Cohort clients whose first placement was a competitive job (IPS: place first).
    pub competitive_first: usize,
}

/// Outcome measures.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Outcomes {
    /// Quarterly competitive employment rate.
    pub quarters: Vec<QuarterRate>,
    /// Days from intake to first competitive job.
    pub days_to_first_job: DaysToJob,
    /// Hours per week.
    pub hours: Hours,
    /// Still employed at 90 and 180 days.
    pub tenure: Vec<Tenure>,
}

/// Per-coach summary.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CoachFunnel {
    /// Coach.
    pub coach_id: i64,
    /// Clients with intake on or before `to`.
    pub clients: usize,
    /// Of those, not closed.
    pub active: usize,
    /// Clients with intake within the period.
    pub cohort: usize,
    /// Cohort clients with a competitive job.
    pub competitive_jobs: usize,
}

/// `GET /api/v1/funnel`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FunnelReport {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Coach filter.
    pub coach: Option<i64>,
    /// Clients with intake on or before `to`.
    pub clients: usize,
    /// Clients with intake within the period.
    pub cohort: usize,
    /// Current stage counts (population).
    pub stages: Vec<StageCount>,
    /// Clients whose current stage is `employed`, by the placement they hold: a work trial is
    /// not a job.
    pub employed_by_placement: Vec<PlacementCount>,
    /// The cohort funnel: of the clients whose intake falls within the period, how many
    /// reached each step of the main path by its end (only a competitive placement reaches
    /// `competitive_job`).
    pub cohort_funnel: Vec<CohortReach>,
    /// Cohort clients who started a placement of each type by the end of the period (a
    /// client with several types counts under each).
    pub cohort_placements: Vec<PlacementCount>,
    /// Step-to-step conversion along the main path (cohort).
    pub conversions: Vec<Conversion>,
    /// Median time in stage.
    pub time_in_stage: Vec<StageTime>,
    /// Outcomes.
    pub outcomes: Outcomes,
    /// Drop-off on the staircase.
    pub placement_path: PlacementPath,
    /// Per coach (with a coach filter: that coach only).
    pub by_coach: Vec<CoachFunnel>,
}

fn quarters(p: Period) -> Vec<(String, i64, i64)> {
    let mut out = Vec::new();
    let mut y = p.from.year();
    let mut q = (p.from.month0() / 3) as i32;
    loop {
        let qs = NaiveDate::from_ymd_opt(y, (q * 3 + 1) as u32, 1).expect("quarter start");
        if qs > p.to {
            break;
        }
        let (ny, nq) = if q == 3 { (y + 1, 0) } else { (y, q + 1) };
        let qe = NaiveDate::from_ymd_opt(ny, (nq * 3 + 1) as u32, 1).expect("quarter end");
        out.push((
            format!("{y}Q{}", q + 1),
            midnight(qs).max(p.start()),
            midnight(qe).min(p.end()),
        ));
        (y, q) = (ny, nq);
    }
    out
}

/// The funnel report for `coach` (or everyone) over `period`.
pub fn funnel(data: &FunnelData, period: Period, coach: Option<i64>) -> FunnelReport {
    funnel_of(&timelines(data, coach, period.to), period, coach)
}

/// The funnel, the fidelity report (see [`funnel`], [`fidelity`]) and each client's stage and
/// placement held at the end of `period`, in client order, from one reading of the rows: what
/// a dashboard shows.
pub fn dashboard(
    data: &FunnelData,
    period: Period,
    coach: Option<i64>,
) -> (FunnelReport, FidelityReport, Vec<Case>) {
    let all = timelines(data, coach, period.to);
    (
        funnel_of(&all, period, coach),
        fidelity_of(&all, data, period, coach),
        cases_of(&all),
    )
}

/// [`funnel`] from the timelines of the period.
fn funnel_of(all: &[Timeline], period: Period, coach: Option<i64>) -> FunnelReport {
    // The timelines are of the clients with intake up to the period's end.
    let population: Vec<&Timeline> = all.iter().collect();
    let cohort: Vec<&Timeline> = population
        .iter()
        .copied()
        .filter(|t| period.contains_day(t.client.intake))
        .collect();

    let mut stage_count: HashMap<EventType, usize> = HashMap::new();
    for t in &population {
        *stage_count.entry(t.current_stage()).or_default() += 1;
    }
    let stages = STAGES
        .iter()
        .map(|s| StageCount {
            stage: *s,
            label: stage_label(*s),
            clients: stage_count.get(s).copied().unwrap_or(0),
        })
        .collect();

    let mut holding: HashMap<PlacementType, usize> = HashMap::new();
    for t in &population {
        if t.current_stage() == EventType::Employed {
            if let Some(p) = t.current_placement() {
                *holding.entry(p).or_default() += 1;
            }
        }
    }
    let employed_by_placement = PlacementType::ALL
        .iter()
        .map(|p| PlacementCount {
            placement: *p,
            clients: holding.get(p).copied().unwrap_or(0),
        })
        .collect();

    let reached: Vec<usize> = COHORT_STEPS
        .iter()
        .enumerate()
        .map(|(i, _)| {
            cohort
                .iter()
                .filter(|t| t.furthest_cohort_step() >= i)
                .count()
        })
        .collect();
    let cohort_funnel = COHORT_STEPS
        .iter()
        .enumerate()
        .map(|(i, step)| CohortReach {
            step: *step,
            clients: reached[i],
            share_of_cohort: ratio(reached[i], cohort.len()),
            from_previous: if i == 0 {
                None
            } else {
                ratio(reached[i], reached[i - 1])
            },
        })
        .collect();
    let cohort_placements = PlacementType::ALL
        .iter()
        .map(|kind| PlacementCount {
            placement: *kind,
            clients: cohort
                .iter()
                .filter(|t| t.placements().iter().any(|p| p.kind == Some(*kind)))
                .count(),
        })
        .collect();

    let furthest: Vec<usize> = cohort.iter().map(|t| t.furthest_path_step()).collect();
    let conversions = (0..PATH.len() - 1)
        .map(|i| {
            let reached_from = furthest.iter().filter(|f| **f >= i).count();
            let reached_to = furthest.iter().filter(|f| **f > i).count();
            Conversion {
                from: PATH[i],
                to: PATH[i + 1],
                reached_from,
                reached_to,
                rate: ratio(reached_to, reached_from),
            }
        })
        .collect();

    // A stay runs from the first of consecutive events of one stage to the next stage event
    // of another stage.
    let mut stays: HashMap<EventType, Vec<f64>> = HashMap::new();
    for t in &population {
        let mut current: Option<(EventType, i64)> = None;
        for e in t.events.iter().filter(|e| e.kind.is_stage()) {
            match current {
                Some((s, _)) if s == e.kind => {}
                Some((s, since)) => {
                    if period.contains(since) {
                        stays
                            .entry(s)
                            .or_default()
                            .push((e.at - since) as f64 / DAY as f64);
                    }
                    current = Some((e.kind, e.at));
                }
                None => current = Some((e.kind, e.at)),
            }
        }
    }
    let time_in_stage = STAGES
        .iter()
        .filter(|s| **s != EventType::Closed)
        .map(|s| {
            let mut v = stays.remove(s).unwrap_or_default();
            StageTime {
                stage: *s,
                stays: v.len(),
                median_days: median(&mut v),
            }
        })
        .collect();

    // Each client once, its quarters together (not every client once per quarter).
    let quarters = quarters(period);
    let mut per_quarter = vec![(0usize, 0usize); quarters.len()];
    for t in population.iter().filter(|t| t.out_of_work_at_entry()) {
        let intake = midnight(t.client.intake);
        for ((_, qs, qe), (denominator, employed)) in quarters.iter().zip(&mut per_quarter) {
            if intake >= *qe || t.closed_before(*qs) {
                continue;
            }
            *denominator += 1;
            if t.placements().iter().any(|p| {
                p.kind == Some(PlacementType::Competitive)
                    && p.start < *qe
                    && p.end.is_none_or(|end| end > *qs)
            }) {
                *employed += 1;
            }
        }
    }
    let quarter_rates = quarters
        .into_iter()
        .zip(per_quarter)
        .map(|((quarter, _, _), (denominator, employed))| QuarterRate {
            quarter,
            out_of_work_at_entry: denominator,
            competitively_employed: employed,
            rate: ratio(employed, denominator),
        })
        .collect();

    let mut days: Vec<f64> = cohort
        .iter()
        .filter_map(|t| {
            t.events
                .iter()
                .find(|e| {
                    e.kind == EventType::Employed && e.placement == Some(PlacementType::Competitive)
                })
                .map(|e| (e.at - midnight(t.client.intake)) as f64 / DAY as f64)
        })
        .collect();
    let mean_days = (!days.is_empty()).then(|| days.iter().sum::<f64>() / days.len() as f64);
    let days_to_first_job = DaysToJob {
        clients: days.len(),
        median_days: median(&mut days),
        mean_days,
    };

    let competitive: Vec<&Placement> = population
        .iter()
        .flat_map(|t| t.placements().iter())
        .filter(|p| p.kind == Some(PlacementType::Competitive) && period.contains(p.start))
        .collect();
    let hours: Vec<f64> = competitive
        .iter()
        .filter_map(|p| p.hours_per_week)
        .collect();
    let hours = Hours {
        placements: hours.len(),
        mean_hours_per_week: (!hours.is_empty())
            .then(|| hours.iter().sum::<f64>() / hours.len() as f64),
        share_20_hours_or_more: ratio(hours.iter().filter(|h| **h >= 20.0).count(), hours.len()),
    };
    let tenure = [90, 180]
        .into_iter()
        .map(|days| {
            let eligible: Vec<&&Placement> = competitive
                .iter()
                .filter(|p| p.start + days * DAY <= period.end())
                .collect();
            let still = eligible
                .iter()
                .filter(|p| p.end.is_none_or(|e| e >= p.start + days * DAY))
                .count();
            Tenure {
                days,
                placements: eligible.len(),
                still_employed: still,
                rate: ratio(still, eligible.len()),
            }
        })
        .collect();

    let mut path = PlacementPath {
        work_trial: 0,
        then_wage_subsidised: 0,
        then_competitive: 0,
        drop_off_after_work_trial: None,
        drop_off_after_wage_subsidy: None,
        competitive_first: 0,
    };
    for t in &cohort {
        let placements = t.placements();
        let first_of = |kind: PlacementType, after: i64| {
            placements
                .iter()
                .find(|p| p.kind == Some(kind) && p.start >= after)
                .map(|p| p.start)
        };
        if let Some(trial) = first_of(PlacementType::WorkTrial, i64::MIN) {
            path.work_trial += 1;
            if let Some(subsidy) = first_of(PlacementType::WageSubsidised, trial) {
                path.then_wage_subsidised += 1;
                if first_of(PlacementType::Competitive, subsidy).is_some() {
                    path.then_competitive += 1;
                }
            }
        }
        if placements.first().and_then(|p| p.kind) == Some(PlacementType::Competitive) {
            path.competitive_first += 1;
        }
    }
    path.drop_off_after_work_trial =
        ratio(path.work_trial - path.then_wage_subsidised, path.work_trial);
    path.drop_off_after_wage_subsidy = ratio(
        path.then_wage_subsidised - path.then_competitive,
        path.then_wage_subsidised,
    );

    let mut per_coach: HashMap<i64, CoachFunnel> = HashMap::new();
    for t in &population {
        let row = per_coach
            .entry(t.client.coach_id)
            .or_insert_with(|| CoachFunnel {
                coach_id: t.client.coach_id,
                clients: 0,
                active: 0,
                cohort: 0,
                competitive_jobs: 0,
            });
        row.clients += 1;
        if !t.closed_before(period.end()) {
            row.active += 1;
        }
        if period.contains_day(t.client.intake) {
            row.cohort += 1;
            if t.placements()
                .iter()
                .any(|p| p.kind == Some(PlacementType::Competitive))
            {
                row.competitive_jobs += 1;
            }
        }
    }
    let mut by_coach: Vec<CoachFunnel> = per_coach.into_values().collect();
    by_coach.sort_by_key(|c| c.coach_id);

    FunnelReport {
        from: period.from,
        to: period.to,
        coach,
        clients: population.len(),
        cohort: cohort.len(),
        stages,
        employed_by_placement,
        cohort_funnel,
        cohort_placements,
        conversions,
        time_in_stage,
        outcomes: Outcomes {
            quarters: quarter_rates,
            days_to_first_job,
            hours,
            tenure,
        },
        placement_path: path,
        by_coach,
    }
}

/// A client, the stage they are at and the placement they hold.
pub type Case = (i64, EventType, Option<PlacementType>);

fn cases_of(all: &[Timeline]) -> Vec<Case> {
    all.iter()
        .map(|t| (t.client.id, t.current_stage(), t.current_placement()))
        .collect()
}

/// One computable IPS-25 item.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FidelityItem {
    /// Identifier.
    pub item: &'static str,
    /// What it measures.
    pub label: &'static str,
    /// The raw figure.
    pub raw: Option<f64>,
    /// Unit of the raw figure.
    pub unit: &'static str,
    /// How many cases the figure rests on.
    pub n: usize,
    /// 1–5 by the thresholds of DOMAIN.md; null without data.
    pub score: Option<u8>,
}

/// A client past 21 or 30 days from intake without a face-to-face employer contact.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Alert {
    /// Client (coaches see names on the dashboard; the API gives the id only).
    pub client_id: i64,
    /// The client's coach.
    pub coach_id: i64,
    /// Intake.
    pub intake_date: NaiveDate,
    /// Days from intake to `to`.
    pub days_since_intake: i64,
    /// `over_21_days` (warning) or `over_30_days` (past the IPS limit).
    pub level: &'static str,
}

/// `GET /api/v1/fidelity`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FidelityReport {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Coach filter.
    pub coach: Option<i64>,
    /// The items.
    pub items: Vec<FidelityItem>,
    /// Mean of the scored items.
    pub mean_score: Option<f64>,
    /// Rapid-search alerts as of `to`, longest wait first.
    pub alerts: Vec<Alert>,
}

/// Score by thresholds: `steps` are the lower bounds for 5, 4, 3, 2 when `higher_is_better`,
/// else the upper bounds.
fn score(raw: f64, steps: [f64; 4], higher_is_better: bool) -> u8 {
    for (i, s) in steps.iter().enumerate() {
        if (higher_is_better && raw >= *s) || (!higher_is_better && raw <= *s) {
            return 5 - i as u8;
        }
    }
    1
}

/// Caseload size score (active clients per coach).
pub fn caseload_score(raw: f64) -> u8 {
    score(raw, [20.0, 25.0, 30.0, 40.0], false)
}
/// Rapid search score (median days from intake to first face-to-face employer contact).
pub fn rapid_search_score(days: f64) -> u8 {
    score(days, [30.0, 60.0, 90.0, 120.0], false)
}
/// Employer contact score (face-to-face contacts per coach per week).
pub fn employer_contact_score(per_week: f64) -> u8 {
    score(per_week, [6.0, 5.0, 4.0, 3.0], true)
}
/// Diversity score (percent different).
pub fn diversity_score(percent: f64) -> u8 {
    score(percent, [85.0, 70.0, 55.0, 40.0], true)
}
/// Competitive jobs score (percent of placements).
pub fn competitive_score(percent: f64) -> u8 {
    score(percent, [95.0, 85.0, 75.0, 65.0], true)
}

fn item(
    item: &'static str,
    label: &'static str,
    raw: Option<f64>,
    unit: &'static str,
    n: usize,
    scorer: fn(f64) -> u8,
) -> FidelityItem {
    FidelityItem {
        item,
        label,
        raw,
        unit,
        n,
        score: raw.map(scorer),
    }
}

/// The fidelity report for `coach` (or everyone) over `period`.
pub fn fidelity(data: &FunnelData, period: Period, coach: Option<i64>) -> FidelityReport {
    fidelity_of(&timelines(data, coach, period.to), data, period, coach)
}

/// [`fidelity`] from the timelines of the period (and the rows' employer contacts).
fn fidelity_of(
    all: &[Timeline],
    data: &FunnelData,
    period: Period,
    coach: Option<i64>,
) -> FidelityReport {
    // The timelines are of the clients with intake up to the period's end.
    let population: Vec<&Timeline> = all.iter().collect();
    let active: Vec<&Timeline> = population
        .iter()
        .copied()
        .filter(|t| !t.closed_before(period.end()))
        .collect();
    let coaches: HashSet<i64> = active.iter().map(|t| t.client.coach_id).collect();
    let caseload = ratio(active.len(), coaches.len());

    let mut first_contact_days: Vec<f64> = population
        .iter()
        .filter(|t| period.contains_day(t.client.intake))
        .filter_map(|t| {
            t.first_face_to_face_contact()
                .map(|at| (at - midnight(t.client.intake)) as f64 / DAY as f64)
        })
        .collect();
    let contacts_n = first_contact_days.len();

    let weeks = ((period.to - period.from).num_days() + 1) as f64 / 7.0;
    let f2f = data
        .contacts
        .iter()
        .filter(|c| {
            c.face_to_face && period.contains(c.at) && coach.is_none_or(|k| k == c.coach_id)
        })
        .count();
    let contact_coaches: HashSet<i64> = population.iter().map(|t| t.client.coach_id).collect();
    let per_week =
        (!contact_coaches.is_empty()).then(|| f2f as f64 / weeks / contact_coaches.len() as f64);

    let jobs: Vec<&EventFact> = population
        .iter()
        .flat_map(|t| t.events.iter())
        .filter(|e| {
            e.kind == EventType::Employed
                && period.contains(e.at)
                && e.placement != Some(PlacementType::Education)
        })
        .collect();
    let coded: Vec<&str> = jobs
        .iter()
        .filter_map(|e| e.occupation.as_deref())
        .collect();
    let distinct_codes: HashSet<&str> = coded.iter().copied().collect();
    let with_employer: Vec<i64> = jobs.iter().filter_map(|e| e.employer_id).collect();
    let distinct_employers: HashSet<i64> = with_employer.iter().copied().collect();
    let competitive = jobs
        .iter()
        .filter(|e| e.placement == Some(PlacementType::Competitive))
        .count();
    let percent = |part: usize, whole: usize| ratio(part, whole).map(|r| r * 100.0);

    let items = vec![
        item(
            "caseload_size",
            "Active clients per coach (≤ 20 scores 5)",
            caseload,
            "clients per coach",
            coaches.len(),
            caseload_score,
        ),
        item(
            "rapid_job_search",
            "Median days from intake to first face-to-face employer contact (≤ 30 scores 5)",
            median(&mut first_contact_days),
            "days",
            contacts_n,
            rapid_search_score,
        ),
        item(
            "employer_contacts",
            "Face-to-face employer contacts per coach per week (≥ 6 scores 5)",
            per_week,
            "contacts per coach per week",
            f2f,
            employer_contact_score,
        ),
        item(
            "diversity_of_job_types",
            "Different occupations among job placements (≥ 85 % scores 5)",
            percent(distinct_codes.len(), coded.len()),
            "%",
            coded.len(),
            diversity_score,
        ),
        item(
            "diversity_of_employers",
            "Different employers among job placements (≥ 85 % scores 5)",
            percent(distinct_employers.len(), with_employer.len()),
            "%",
            with_employer.len(),
            diversity_score,
        ),
        item(
            "competitive_jobs",
            "Competitive jobs among placements other than education (≥ 95 % scores 5)",
            percent(competitive, jobs.len()),
            "%",
            jobs.len(),
            competitive_score,
        ),
    ];
    let scored: Vec<f64> = items
        .iter()
        .filter_map(|i| i.score.map(f64::from))
        .collect();
    let mean_score = (!scored.is_empty()).then(|| scored.iter().sum::<f64>() / scored.len() as f64);

    let mut alerts: Vec<Alert> = active
        .iter()
        .filter(|t| {
            t.first_face_to_face_contact().is_none()
                && !t.events.iter().any(|e| e.kind == EventType::Employed)
        })
        .filter_map(|t| {
            let days = (period.to - t.client.intake).num_days();
            let level = super::caseload::rapid_search_level(days)?;
            Some(Alert {
                client_id: t.client.id,
                coach_id: t.client.coach_id,
                intake_date: t.client.intake,
                days_since_intake: days,
                level,
            })
        })
        .collect();
    alerts.sort_by(|a, b| {
        b.days_since_intake
            .cmp(&a.days_since_intake)
            .then(a.client_id.cmp(&b.client_id))
    });

    FidelityReport {
        from: period.from,
        to: period.to,
        coach,
        items,
        mean_score,
        alerts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_follow_domain_md() {
        assert_eq!(caseload_score(20.0), 5);
        assert_eq!(caseload_score(21.0), 4);
        assert_eq!(caseload_score(41.0), 1);
        assert_eq!(rapid_search_score(30.0), 5);
        assert_eq!(rapid_search_score(31.0), 4);
        assert_eq!(rapid_search_score(121.0), 1);
        assert_eq!(employer_contact_score(6.0), 5);
        assert_eq!(employer_contact_score(5.0), 4);
        assert_eq!(employer_contact_score(2.9), 1);
        assert_eq!(diversity_score(85.0), 5);
        assert_eq!(diversity_score(39.9), 1);
        assert_eq!(competitive_score(94.9), 4);
        assert_eq!(competitive_score(64.0), 1);
    }

    #[test]
    fn median_of_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn event(id: i64, client_id: i64, kind: EventType, at: &str) -> EventFact {
        EventFact {
            id,
            client_id,
            kind,
            at: midnight(day(at)),
            placement: None,
            hours_per_week: None,
            face_to_face: false,
            out_of_work_at_entry: None,
            employer_id: None,
            occupation: None,
        }
    }

    fn employed(id: i64, client_id: i64, placement: PlacementType, at: &str) -> EventFact {
        EventFact {
            placement: Some(placement),
            ..event(id, client_id, EventType::Employed, at)
        }
    }

    #[test]
    fn a_dashboard_shows_the_reports_and_each_case_as_at_the_end_of_its_period() {
        let clients = [(1, "2025-01-02"), (2, "2025-02-01")]
            .into_iter()
            .map(|(id, intake)| ClientFacts {
                id,
                coach_id: 10,
                intake: day(intake),
            })
            .collect();
        let data = FunnelData {
            clients,
            events: vec![
                event(1, 1, EventType::Engaged, "2025-01-02"),
                employed(2, 1, PlacementType::Competitive, "2025-03-01"),
                // After the period: not seen.
                event(3, 1, EventType::JobEnded, "2025-08-01"),
                event(4, 2, EventType::Engaged, "2025-02-01"),
            ],
            contacts: vec![],
        };
        let period = Period {
            from: day("2025-01-01"),
            to: day("2025-06-30"),
        };
        let (f, fi, cases) = dashboard(&data, period, Some(10));
        // Compared whole, as JSON.
        fn json(report: impl Serialize) -> serde_json::Value {
            serde_json::to_value(report).unwrap()
        }
        assert_eq!(json(&f), json(funnel(&data, period, Some(10))));
        assert_eq!(json(&fi), json(fidelity(&data, period, Some(10))));
        assert_eq!(
            cases,
            vec![
                (1, EventType::Employed, Some(PlacementType::Competitive)),
                (2, EventType::Engaged, None),
            ]
        );
    }

    #[test]
    fn each_client_gets_its_own_events_up_to_the_last_day_whichever_clients_are_asked_for() {
        // Clients 1, 3, 4 (coach 10) and 2, 5 (coach 20), listed out of order; client 2 has
        // no events, and 6 has events but is no client of the rows.
        let clients: Vec<ClientFacts> = [(3, 10), (1, 10), (2, 20), (5, 20), (4, 10)]
            .into_iter()
            .map(|(id, coach_id)| ClientFacts {
                id,
                coach_id,
                intake: day("2025-01-01"),
            })
            .collect();
        let mut events = Vec::new();
        for (client, n) in [(1, 2), (3, 3), (4, 1), (5, 4), (6, 2)] {
            for k in 0..n {
                let on = format!("2025-02-{:02}", 1 + k);
                events.push(event(client * 10 + k, client, EventType::JobSearch, &on));
            }
        }
        let data = FunnelData {
            clients,
            events,
            contacts: vec![],
        };
        let seen = |coach, until: &str| -> Vec<(i64, Vec<i64>)> {
            timelines(&data, coach, day(until))
                .iter()
                .map(|t| (t.client.id, t.events.iter().map(|e| e.id).collect()))
                .collect()
        };
        assert_eq!(
            seen(None, "2025-12-31"),
            vec![
                (1, vec![10, 11]),
                (2, vec![]),
                (3, vec![30, 31, 32]),
                (4, vec![40]),
                (5, vec![50, 51, 52, 53]),
            ]
        );
        assert_eq!(
            seen(Some(20), "2025-02-02"),
            vec![(2, vec![]), (5, vec![50, 51])]
        );
        assert_eq!(
            seen(Some(10), "2025-02-01"),
            vec![(1, vec![10]), (3, vec![30]), (4, vec![40])]
        );
    }

    #[test]
    fn the_cohort_funnel_counts_who_entered_in_the_period_and_a_work_trial_is_no_job() {
        let client = |id, intake: &str| ClientFacts {
            id,
            coach_id: 1,
            intake: day(intake),
        };
        use EventType::*;
        let data = FunnelData {
            // 4 entered in the period; client 5 entered before it and is not in the cohort.
            clients: vec![
                client(1, "2025-02-01"),
                client(2, "2025-02-01"),
                client(3, "2025-03-01"),
                client(4, "2025-03-01"),
                client(5, "2024-06-01"),
            ],
            events: vec![
                event(1, 1, JobSearch, "2025-02-02"),
                event(2, 1, EmployerContact, "2025-02-10"),
                // Straight to a competitive job: the interview step is counted as passed.
                employed(3, 1, PlacementType::Competitive, "2025-03-01"),
                event(4, 2, JobSearch, "2025-02-03"),
                employed(5, 2, PlacementType::WorkTrial, "2025-03-01"),
                event(6, 3, JobSearch, "2025-03-02"),
                employed(7, 3, PlacementType::WorkTrial, "2025-03-05"),
                event(8, 3, JobEnded, "2025-04-05"),
                employed(9, 3, PlacementType::WageSubsidised, "2025-04-10"),
                event(10, 5, JobSearch, "2024-06-02"),
                employed(11, 5, PlacementType::Competitive, "2024-07-01"),
            ],
            contacts: vec![],
        };
        let period = Period {
            from: day("2025-01-01"),
            to: day("2025-06-30"),
        };

        let report = funnel(&data, period, None);

        let reached: Vec<(&str, usize)> = report
            .cohort_funnel
            .iter()
            .map(|r| (r.step.as_str(), r.clients))
            .collect();
        assert_eq!(
            reached,
            [
                ("engaged", 4),
                ("job_search", 3),
                ("employer_contact", 1),
                ("interview", 1),
                ("competitive_job", 1)
            ]
        );
        assert_eq!(report.cohort_funnel[0].share_of_cohort, Some(1.0));
        assert_eq!(report.cohort_funnel[1].from_previous, Some(0.75));
        assert_eq!(report.cohort_funnel[0].from_previous, None);
        let placements: HashMap<PlacementType, usize> = report
            .cohort_placements
            .iter()
            .map(|p| (p.placement, p.clients))
            .collect();
        assert_eq!(placements[&PlacementType::WorkTrial], 2);
        assert_eq!(placements[&PlacementType::WageSubsidised], 1);
        assert_eq!(placements[&PlacementType::Competitive], 1);
        // Now: 5 holds a competitive job, 2 a work trial, 3 a wage-subsidised job, and 1
        // (whose placement was entered first) a competitive job.
        let holding: HashMap<PlacementType, usize> = report
            .employed_by_placement
            .iter()
            .map(|p| (p.placement, p.clients))
            .collect();
        assert_eq!(holding[&PlacementType::Competitive], 2);
        assert_eq!(holding[&PlacementType::WorkTrial], 1);
        assert_eq!(holding[&PlacementType::WageSubsidised], 1);
        let employed_now = report
            .stages
            .iter()
            .find(|s| s.stage == EventType::Employed)
            .unwrap()
            .clients;
        assert_eq!(holding.values().sum::<usize>(), employed_now);
    }

    #[test]
    fn quarters_are_clipped_to_the_period() {
        let p = Period {
            from: NaiveDate::from_ymd_opt(2025, 2, 15).unwrap(),
            to: NaiveDate::from_ymd_opt(2025, 7, 1).unwrap(),
        };
        let q = quarters(p);
        let names: Vec<&str> = q.iter().map(|q| q.0.as_str()).collect();
        assert_eq!(names, ["2025Q1", "2025Q2", "2025Q3"]);
        assert_eq!(q[0].1, p.start());
        assert_eq!(q[2].2, p.end());
    }
}

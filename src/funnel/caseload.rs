//! The coach's caseload in the order of the day's work: the clients who need an action first
//! (the IPS clocks and reminders of DOMAIN.md), then everyone else. Rules only: the store
//! loads each client's effective events, the caller adds what needs the index (new matches).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::stages::CaseState;
use crate::domain::{EventType, PlacementType};

/// Days from intake after which the first face-to-face employer contact is overdue (IPS
/// rapid job search) and from which the coach is warned.
pub const FIRST_CONTACT_LIMIT_DAYS: i64 = 30;
/// See [`FIRST_CONTACT_LIMIT_DAYS`].
pub const FIRST_CONTACT_WARN_DAYS: i64 = 21;
/// Days without any recorded step after which a client in work is due a follow-up
/// (time-unlimited support: at least a monthly contact).
pub const FOLLOW_UP_DAYS: i64 = 30;

/// How the rapid-search clock stands `days` after intake with no face-to-face employer
/// contact yet: `over_30_days` past the IPS limit, `over_21_days` a warning, else nothing.
/// The fidelity report's alerts and the caseload use this one rule.
pub fn rapid_search_level(days: i64) -> Option<&'static str> {
    match days {
        d if d > FIRST_CONTACT_LIMIT_DAYS => Some("over_30_days"),
        d if d >= FIRST_CONTACT_WARN_DAYS => Some("over_21_days"),
        _ => None,
    }
}

/// One effective event of a client (corrections applied), as the caseload rules need it.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseEvent {
    /// Type.
    pub kind: EventType,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// Face to face (employer contacts).
    pub face_to_face: bool,
    /// Placement type (on `employed`).
    pub placement: Option<PlacementType>,
}

/// Why a client needs the coach's attention. Serialized as `{"code": …, …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Attention {
    /// More than 30 days from intake and no face-to-face employer contact yet.
    FirstContactOverdue {
        /// Days since intake.
        days: i64,
    },
    /// The client's job ended and job search has not started again.
    JobEnded {
        /// When the job ended.
        since: NaiveDate,
    },
    /// In work, and nothing recorded for more than 30 days.
    FollowUpDue {
        /// Days since the last recorded step.
        days: i64,
    },
    /// 21–30 days from intake and no face-to-face employer contact yet.
    FirstContactSoon {
        /// Days since intake.
        days: i64,
    },
    /// An interview or a job, and no benefits counselling recorded.
    BenefitsCounsellingDue,
    /// Suggestions in the client's current matches that the coach has not been shown.
    NewMatches {
        /// How many.
        count: usize,
    },
}

impl Attention {
    /// Smaller is more urgent: the order of the caseload's top.
    pub fn urgency(&self) -> u8 {
        match self {
            Attention::FirstContactOverdue { .. } => 0,
            Attention::JobEnded { .. } => 1,
            Attention::FollowUpDue { .. } => 2,
            Attention::FirstContactSoon { .. } => 3,
            Attention::BenefitsCounsellingDue => 4,
            Attention::NewMatches { .. } => 5,
        }
    }
}

/// Where one client stands today and what, if anything, the coach should do.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseStatus {
    /// The latest stage, if any stage event was recorded.
    pub stage: Option<EventType>,
    /// The placement the client holds now.
    pub placement: Option<PlacementType>,
    /// Whether the client chose to end the service.
    pub closed: bool,
    /// The latest recorded step of any kind.
    pub last_activity: Option<DateTime<Utc>>,
    /// What needs doing, most urgent first (empty when nothing does).
    pub attention: Vec<Attention>,
}

/// The status of a client with intake `intake` and effective `events` (in time order) on day
/// `today`. A closed case needs nothing: it ends only by the client's choice.
pub fn status(intake: NaiveDate, events: &[CaseEvent], today: NaiveDate) -> CaseStatus {
    let state = CaseState::after(events.iter().map(|e| (e.kind, e.placement)));
    let last_activity = events.iter().map(|e| e.at).max();
    let mut attention = Vec::new();
    if !state.closed {
        let contacted = events
            .iter()
            .any(|e| e.kind == EventType::EmployerContact && e.face_to_face);
        let ever_employed = events.iter().any(|e| e.kind == EventType::Employed);
        if !contacted && !ever_employed {
            let days = (today - intake).num_days();
            match rapid_search_level(days) {
                Some("over_30_days") => attention.push(Attention::FirstContactOverdue { days }),
                Some(_) => attention.push(Attention::FirstContactSoon { days }),
                None => {}
            }
        }
        match state.stage {
            Some(EventType::JobEnded) => {
                let since = events
                    .iter()
                    .rev()
                    .find(|e| e.kind == EventType::JobEnded)
                    .map(|e| e.at.date_naive())
                    .unwrap_or(today);
                attention.push(Attention::JobEnded { since });
            }
            Some(EventType::Employed | EventType::InWorkSupport) => {
                let days = last_activity
                    .map(|at| (today - at.date_naive()).num_days())
                    .unwrap_or(0);
                if days > FOLLOW_UP_DAYS {
                    attention.push(Attention::FollowUpDue { days });
                }
            }
            _ => {}
        }
        let job_near = matches!(
            state.stage,
            Some(EventType::Interview | EventType::Employed | EventType::InWorkSupport)
        );
        let counselled = events
            .iter()
            .any(|e| e.kind == EventType::BenefitsCounselling);
        if job_near && !counselled {
            attention.push(Attention::BenefitsCounsellingDue);
        }
    }
    attention.sort_by_key(Attention::urgency);
    CaseStatus {
        stage: state.stage,
        placement: state.employed,
        closed: state.closed,
        last_activity,
        attention,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn ev(kind: EventType, on: &str) -> CaseEvent {
        let d = day(on);
        CaseEvent {
            kind,
            at: Utc.from_utc_datetime(&d.and_hms_opt(10, 0, 0).unwrap()),
            face_to_face: false,
            placement: None,
        }
    }

    #[test]
    fn the_rapid_search_clock_warns_at_21_days_and_is_overdue_after_30() {
        let intake = day("2026-01-01");
        let events = [ev(EventType::Engaged, "2026-01-01")];
        assert!(status(intake, &events, day("2026-01-21"))
            .attention
            .is_empty());
        assert_eq!(
            status(intake, &events, day("2026-01-22")).attention,
            [Attention::FirstContactSoon { days: 21 }]
        );
        assert_eq!(
            status(intake, &events, day("2026-02-01")).attention,
            [Attention::FirstContactOverdue { days: 31 }]
        );
    }

    #[test]
    fn a_face_to_face_employer_contact_stops_the_clock_but_a_phone_call_does_not() {
        let intake = day("2026-01-01");
        let mut call = ev(EventType::EmployerContact, "2026-01-10");
        let mut events = vec![ev(EventType::Engaged, "2026-01-01"), call.clone()];
        let today = day("2026-02-15");
        assert!(matches!(
            status(intake, &events, today).attention[..],
            [Attention::FirstContactOverdue { .. }]
        ));
        call.face_to_face = true;
        events[1] = call;
        assert!(status(intake, &events, today).attention.is_empty());
    }

    #[test]
    fn an_ended_job_needs_action_until_job_search_starts_again() {
        let intake = day("2026-01-01");
        let mut employed = ev(EventType::Employed, "2026-01-15");
        employed.placement = Some(PlacementType::Competitive);
        let mut events = vec![
            ev(EventType::Engaged, "2026-01-01"),
            ev(EventType::BenefitsCounselling, "2026-01-10"),
            employed,
            ev(EventType::JobEnded, "2026-03-01"),
        ];
        let s = status(intake, &events, day("2026-03-05"));
        assert_eq!(
            s.attention,
            [Attention::JobEnded {
                since: day("2026-03-01")
            }]
        );
        assert_eq!(s.placement, None);
        events.push(ev(EventType::JobSearch, "2026-03-06"));
        assert!(status(intake, &events, day("2026-03-07"))
            .attention
            .is_empty());
    }

    #[test]
    fn a_client_in_work_is_due_a_follow_up_after_a_quiet_month() {
        let intake = day("2026-01-01");
        let mut employed = ev(EventType::Employed, "2026-01-15");
        employed.placement = Some(PlacementType::Competitive);
        let events = vec![
            ev(EventType::Engaged, "2026-01-01"),
            ev(EventType::BenefitsCounselling, "2026-01-10"),
            employed,
        ];
        assert!(status(intake, &events, day("2026-02-14"))
            .attention
            .is_empty());
        assert_eq!(
            status(intake, &events, day("2026-02-15")).attention,
            [Attention::FollowUpDue { days: 31 }]
        );
    }

    #[test]
    fn an_interview_without_benefits_counselling_prompts_it() {
        let intake = day("2026-01-01");
        let mut contact = ev(EventType::EmployerContact, "2026-01-05");
        contact.face_to_face = true;
        let events = vec![
            ev(EventType::Engaged, "2026-01-01"),
            contact,
            ev(EventType::Interview, "2026-01-08"),
        ];
        assert_eq!(
            status(intake, &events, day("2026-01-09")).attention,
            [Attention::BenefitsCounsellingDue]
        );
    }

    #[test]
    fn a_case_the_client_closed_needs_nothing() {
        let intake = day("2026-01-01");
        let events = vec![
            ev(EventType::Engaged, "2026-01-01"),
            ev(EventType::Closed, "2026-01-03"),
        ];
        let s = status(intake, &events, day("2026-06-01"));
        assert!(s.closed);
        assert!(s.attention.is_empty());
    }

    #[test]
    fn the_most_urgent_reason_comes_first() {
        let intake = day("2026-01-01");
        let events = vec![
            ev(EventType::Engaged, "2026-01-01"),
            ev(EventType::Interview, "2026-01-05"),
        ];
        let s = status(intake, &events, day("2026-03-01"));
        assert!(matches!(
            s.attention[..],
            [
                Attention::FirstContactOverdue { .. },
                Attention::BenefitsCounsellingDue
            ]
        ));
    }
}

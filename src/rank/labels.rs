//! The grade a logged suggestion earns from what followed it: the labels the ranker learns
//! from.

use chrono::{DateTime, Duration, Utc};

use crate::domain::MatchFeedback;

/// How long after a list is served an outcome still counts for its suggestions.
pub const LABEL_HORIZON_DAYS: i64 = 90;

/// The grade of the suggestion of posting `kind` `id`, served at `served_at`, from the
/// strongest outcome in `feedback` (the client's) that followed it within
/// [`LABEL_HORIZON_DAYS`]: interested 1; an employer contact, interview or application 2;
/// placed, or the employer would hire, 3; declined, the employer would not hire, or nothing 0.
/// Employer prospects have no posting to answer about and stay 0.
pub fn grade<'a>(
    served_at: DateTime<Utc>,
    kind: &str,
    id: i64,
    feedback: impl IntoIterator<Item = &'a MatchFeedback>,
) -> u8 {
    feedback
        .into_iter()
        // Event times are kept to the second; a list served at 12:00:00.6 and answered at
        // once has an answer at 12:00:00.
        .filter(|l| l.at >= served_at - Duration::seconds(1))
        .filter(|l| l.at <= served_at + Duration::days(LABEL_HORIZON_DAYS))
        .filter(|l| match kind {
            "vacancy" => l.vacancy_id == Some(id),
            "task" => l.task_id == Some(id),
            _ => false,
        })
        .map(|l| match l.signal {
            "placed" | "employer_would_hire" => 3,
            // An application is as strong a sign as the coach's call.
            "contacted" | "applied" => 2,
            "interested" => 1,
            _ => 0,
        })
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(signal: &'static str, vacancy: i64, days: i64, at: DateTime<Utc>) -> MatchFeedback {
        MatchFeedback {
            client_id: 1,
            vacancy_id: Some(vacancy),
            task_id: None,
            signal,
            at: at + Duration::days(days),
        }
    }

    #[test]
    fn the_strongest_outcome_within_the_horizon_grades_the_suggestion() {
        let served = DateTime::parse_from_rfc3339("2026-03-01T12:00:00.6Z")
            .unwrap()
            .with_timezone(&Utc);
        let at_once = served - Duration::milliseconds(600);
        let feedback = [
            said("interested", 7, 0, at_once),
            said("contacted", 7, 10, served),
            said("placed", 7, LABEL_HORIZON_DAYS + 1, served),
            said("placed", 8, 5, served),
            said("declined", 9, 1, served),
        ];
        assert_eq!(grade(served, "vacancy", 7, &feedback), 2);
        assert_eq!(grade(served, "vacancy", 8, &feedback), 3);
        assert_eq!(grade(served, "vacancy", 9, &feedback), 0);
        assert_eq!(grade(served, "task", 7, &feedback), 0);
        assert_eq!(grade(served, "employer", 7, &feedback), 0);
        // Served twenty days later: what came before does not count, and the late placement
        // is inside the horizon now.
        let later = served + Duration::days(20);
        assert_eq!(grade(later, "vacancy", 8, &feedback), 0);
        assert_eq!(grade(later, "vacancy", 7, &feedback), 3);
    }
}

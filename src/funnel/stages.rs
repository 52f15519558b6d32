//! The stage rules of DOMAIN.md, applied to a client's history in time order.
//!
//! A job can end only after `employed`; `closed` happens only by the client's choice (checked
//! when the event is parsed) and nothing else closes a case; `profiling` runs in parallel and
//! never gates `job_search`; after `job_ended` the client is back in job search.

use crate::domain::{EventDraft, EventType, PlacementType, Validated, ValidationError};

/// One step of a history as the rules see it.
pub type Step = (EventType, Option<PlacementType>);

/// Checks a whole history in time order: every step must be allowed after the ones before.
/// Returns the index of the first step that breaks a rule, with the reason.
pub fn check_history(steps: &[Step]) -> Result<(), (usize, ValidationError)> {
    let mut state = CaseState::default();
    for (i, (kind, placement)) in steps.iter().enumerate() {
        state.check_kind(*kind).map_err(|e| (i, e))?;
        state.apply(*kind, *placement);
    }
    Ok(())
}

/// Checks that `new`, happening at `at`, fits a client's effective `history` (steps in time
/// order, each with its time): it must be allowed at its own time, and every later step must
/// still be allowed after it (a back-dated `closed`, say). The error says which rule, and
/// which later step it would break.
pub fn check_insertion<T>(history: Vec<(Step, T)>, new: Step, at: T) -> Result<(), String>
where
    T: PartialOrd + Clone + std::fmt::Display,
{
    let mut steps: Vec<Step> = Vec::with_capacity(history.len() + 1);
    let mut times: Vec<T> = Vec::with_capacity(history.len() + 1);
    let mut position = None;
    for (step, t) in history {
        if position.is_none() && t > at {
            position = Some(steps.len());
            steps.push(new);
            times.push(at.clone());
        }
        steps.push(step);
        times.push(t);
    }
    let position = position.unwrap_or_else(|| {
        steps.push(new);
        times.push(at);
        steps.len() - 1
    });
    check_history(&steps).map_err(|(i, e)| {
        if i == position {
            e.message
        } else {
            format!(
                "this would break the later `{}` of {}: {}",
                steps[i].0.as_str(),
                times[i],
                e.message
            )
        }
    })
}

/// Where a client's case stands after some events.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaseState {
    /// The last stage event (profiling, match answers and benefits counselling do not move it).
    pub stage: Option<EventType>,
    /// The placement the client holds now, if any.
    pub employed: Option<PlacementType>,
    /// The client chose to end the service.
    pub closed: bool,
}

impl CaseState {
    /// The state after `events` (already in time order, corrections applied).
    pub fn after<'a>(
        events: impl IntoIterator<Item = (EventType, Option<PlacementType>)> + 'a,
    ) -> Self {
        let mut s = Self::default();
        for (kind, placement) in events {
            s.apply(kind, placement);
        }
        s
    }

    /// Moves the state on by one event (assumed to have passed [`CaseState::check`]).
    pub fn apply(&mut self, kind: EventType, placement: Option<PlacementType>) {
        match kind {
            EventType::Referred | EventType::Engaged => self.closed = false,
            EventType::Employed => self.employed = placement,
            EventType::JobEnded => self.employed = None,
            EventType::Closed => self.closed = true,
            _ => {}
        }
        if kind.is_stage() {
            self.stage = Some(kind);
        }
    }

    /// Whether `draft` may follow this state.
    pub fn check(&self, draft: &EventDraft) -> Validated<()> {
        self.check_kind(draft.kind)
    }

    /// Whether an event of `kind` may follow this state.
    pub fn check_kind(&self, kind: EventType) -> Validated<()> {
        if self.closed && !matches!(kind, EventType::Referred | EventType::Engaged) {
            return Err(ValidationError::new(
                "type",
                format!(
                    "the case was closed by the client's choice before this time; record \
                     `engaged` to reopen it before `{}`",
                    kind.as_str()
                ),
            ));
        }
        match kind {
            EventType::JobEnded if self.employed.is_none() => Err(ValidationError::new(
                "type",
                "a job can end only after `employed`: the client holds no placement at this time",
            )),
            EventType::InWorkSupport if self.employed.is_none() => Err(ValidationError::new(
                "type",
                "in-work support needs a placement: record `employed` first",
            )),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{parse_timestamp, EventInput};

    fn draft(kind: &str) -> EventDraft {
        let input = EventInput {
            kind: Some(kind.into()),
            placement_type: (kind == "employed").then(|| "competitive".into()),
            client_choice: (kind == "closed").then_some(true),
            ..Default::default()
        };
        EventDraft::parse(&input, parse_timestamp("now", "2026-01-01").unwrap()).unwrap()
    }

    fn state(kinds: &[&str]) -> CaseState {
        CaseState::after(kinds.iter().map(|k| {
            let d = draft(k);
            (d.kind, d.placement_type)
        }))
    }

    #[test]
    fn a_job_ends_only_after_employed() {
        assert!(state(&["engaged", "job_search"])
            .check(&draft("job_ended"))
            .is_err());
        assert!(state(&["engaged", "employed"])
            .check(&draft("job_ended"))
            .is_ok());
        assert!(state(&["engaged", "employed", "job_ended"])
            .check(&draft("job_ended"))
            .is_err());
    }

    #[test]
    fn profiling_never_blocks_job_search() {
        assert!(state(&["engaged"]).check(&draft("job_search")).is_ok());
        assert_eq!(
            state(&["engaged", "profiling"]).stage,
            Some(EventType::Engaged)
        );
    }

    fn step(kind: &str) -> Step {
        let d = draft(kind);
        (d.kind, d.placement_type)
    }

    #[test]
    fn an_insertion_fits_at_its_time_and_keeps_the_later_steps_allowed() {
        let history = vec![
            (step("engaged"), 1),
            (step("employed"), 3),
            (step("job_ended"), 5),
        ];
        // At its own time: a job cannot end before anyone was employed.
        assert!(check_insertion(history.clone(), step("job_ended"), 2).is_err());
        // After the last step.
        assert!(check_insertion(history.clone(), step("closed"), 6).is_ok());
        // Back-dated: the case closed before the job that ended later.
        let e = check_insertion(history.clone(), step("closed"), 2).unwrap_err();
        assert!(
            e.starts_with("this would break the later `employed` of 3:"),
            "{e}"
        );
        // Into an empty history.
        assert!(check_insertion(Vec::new(), step("engaged"), 0).is_ok());
    }

    #[test]
    fn a_history_is_checked_step_by_step() {
        let employed = (EventType::Employed, Some(PlacementType::Competitive));
        let ended = (EventType::JobEnded, None);
        assert!(check_history(&[employed, ended]).is_ok());
        assert_eq!(check_history(&[ended, employed]).unwrap_err().0, 0);
        assert_eq!(check_history(&[employed, ended, ended]).unwrap_err().0, 2);
    }

    #[test]
    fn a_closed_case_takes_only_a_reopening() {
        let s = state(&["engaged", "closed"]);
        assert!(s.check(&draft("job_search")).is_err());
        assert!(s.check(&draft("engaged")).is_ok());
        assert!(!state(&["engaged", "closed", "engaged"]).closed);
    }
}

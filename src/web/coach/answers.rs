//! `POST /clients/{id}/answers`: one click on a suggestion records the client's answer as an
//! event of the contract — `match_interested`, `match_declined`, `match_applied`, or
//! `employer_contact` naming the posting (or the employer of a prospect) — and comes back to
//! the client page's timeline. A refused answer (a stage rule, a closed posting) shows the
//! client page again with the reason.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;

use super::{coach, field, form_pairs};
use crate::api::AppState;
use crate::domain::{AccessAction, AccessTarget, EventDraft, EventInput};
use crate::store::StoreError;
use crate::web::page::FieldError;
use crate::web::{request_lang, see_other, WebError};

/// The event input an answer makes, or `None` for an answer or kind the page never offers.
pub fn answer_event(answer: &str, kind: &str, item: i64, face_to_face: bool) -> Option<EventInput> {
    let kind_name = match answer {
        "interested" => "match_interested",
        "declined" => "match_declined",
        "applied" => "match_applied",
        "contacted" => "employer_contact",
        _ => return None,
    };
    let mut input = EventInput {
        kind: Some(kind_name.into()),
        ..Default::default()
    };
    match kind {
        "vacancy" => input.vacancy_id = Some(item),
        "task" => input.task_id = Some(item),
        "employer" if answer == "contacted" => input.employer_id = Some(item),
        _ => return None,
    }
    if answer == "contacted" {
        input.face_to_face = Some(face_to_face);
    }
    Some(input)
}

/// Records the answer.
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
    let answer = field(&pairs, "answer").unwrap_or("");
    let input = field(&pairs, "item_id")
        .and_then(|i| i.trim().parse::<i64>().ok())
        .and_then(|item| {
            answer_event(
                answer,
                field(&pairs, "kind").unwrap_or(""),
                item,
                field(&pairs, "face_to_face").is_some(),
            )
        });
    let refused = |message: String| {
        vec![FieldError {
            field: "matches",
            message,
        }]
    };
    let Some(input) = input else {
        let errors = refused(lang.t("answer-error-unknown"));
        return super::client::render(&req, &state, lang, &caller, id, errors).await;
    };
    let draft = match EventDraft::parse(&input, Utc::now()) {
        Ok(d) => d,
        Err(e) => {
            let errors = refused(lang.t1("answer-error-refused", "reason", e.message));
            return super::client::render(&req, &state, lang, &caller, id, errors).await;
        }
    };
    match state.store.record_event(id, caller.id(), &draft).await {
        Ok(_) => Ok(see_other(&format!("/clients/{id}?done={answer}#timeline"))),
        Err(StoreError::NotFound {
            entity: "client", ..
        }) => super::not_found(&req, lang, &caller),
        Err(StoreError::InvalidReference { message, .. } | StoreError::Conflict(message)) => {
            let errors = refused(lang.t1("answer-error-refused", "reason", message));
            super::client::render(&req, &state, lang, &caller, id, errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_answer_is_an_event_of_the_contract() {
        let e = answer_event("applied", "vacancy", 7, false).unwrap();
        assert_eq!(e.kind.as_deref(), Some("match_applied"));
        assert_eq!(e.vacancy_id, Some(7));
        let e = answer_event("contacted", "employer", 3, true).unwrap();
        assert_eq!(e.kind.as_deref(), Some("employer_contact"));
        assert_eq!((e.employer_id, e.face_to_face), (Some(3), Some(true)));
        assert!(answer_event("interested", "employer", 3, false).is_none());
        assert!(answer_event("hired", "vacancy", 3, false).is_none());
    }
}

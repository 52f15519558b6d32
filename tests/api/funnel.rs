//! Client events and their stage rules, corrections, and the employer-contact log.

use kohtaamo::domain::Role;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, RawDb, TestApp};

/// Creates a client for `coach` with `intake_date` and returns its id.
pub async fn client(app: &TestApp, coach: &str, name: &str, intake: &str) -> i64 {
    let r = app
        .post(
            "/api/v1/clients",
            coach,
            &json!({"display_name": name, "home_municipality": "Tampere", "intake_date": intake}),
        )
        .await;
    assert_eq!(r.status(), 201, "client created");
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

/// Posts an event and returns the response status and body.
pub async fn event(app: &TestApp, coach: &str, client: i64, body: Value) -> (u16, Value) {
    let r = app
        .post(&format!("/api/v1/clients/{client}/events"), coach, &body)
        .await;
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Posts an event that must be accepted; returns its id.
pub async fn ok_event(app: &TestApp, coach: &str, client: i64, body: Value) -> i64 {
    let (status, body) = event(app, coach, client, body).await;
    assert_eq!(status, 201, "event accepted: {body}");
    body["id"].as_i64().unwrap()
}

#[tokio::test]
async fn coach_records_a_placement_and_reads_the_history_back() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let c = client(&app, &coach, "A", "2025-01-10").await;

    ok_event(
        &app,
        &coach,
        c,
        json!({"type": "job_search", "at": "2025-01-12"}),
    )
    .await;
    let (status, e) = event(
        &app,
        &coach,
        c,
        json!({"type": "employed", "at": "2025-02-01T08:00:00+02:00", "placement_type": "competitive", "hours_per_week": 25}),
    )
    .await;

    assert_eq!(status, 201, "{e}");
    assert_eq!(e["type"], "employed");
    assert_eq!(e["placement_type"], "competitive");
    assert_eq!(e["at"], "2025-02-01T06:00:00Z");
    let history: Value = app
        .get(&format!("/api/v1/clients/{c}/events"), &coach)
        .await
        .json()
        .await
        .unwrap();
    let types: Vec<&str> = history["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["job_search", "employed"]);
}

#[tokio::test]
async fn a_job_cannot_end_before_the_client_is_employed() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let c = client(&app, &coach, "A", "2025-01-10").await;

    let (status, body) = event(
        &app,
        &coach,
        c,
        json!({"type": "job_ended", "at": "2025-02-01"}),
    )
    .await;

    assert_eq!(status, 422);
    assert_eq!(body["error"]["field"], "type");
}

#[tokio::test]
async fn a_job_ends_only_after_the_employed_event_in_time() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let c = client(&app, &coach, "A", "2025-01-10").await;
    ok_event(
        &app,
        &coach,
        c,
        json!({"type": "employed", "at": "2025-03-01", "placement_type": "competitive"}),
    )
    .await;

    let (before, _) = event(
        &app,
        &coach,
        c,
        json!({"type": "job_ended", "at": "2025-02-01"}),
    )
    .await;
    let (after, _) = event(
        &app,
        &coach,
        c,
        json!({"type": "job_ended", "at": "2025-04-01"}),
    )
    .await;

    assert_eq!(before, 422, "a job cannot end before it began");
    assert_eq!(after, 201);
}

#[tokio::test]
async fn a_placement_must_say_its_type() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let c = client(&app, &coach, "A", "2025-01-10").await;

    let (status, body) = event(
        &app,
        &coach,
        c,
        json!({"type": "employed", "at": "2025-02-01"}),
    )
    .await;
    let (bad, bad_body) = event(
        &app,
        &coach,
        c,
        json!({"type": "employed", "at": "2025-02-01", "placement_type": "permanent"}),
    )
    .await;

    assert_eq!(status, 422);
    assert_eq!(body["error"]["field"], "placement_type");
    assert_eq!(bad, 422);
    assert_eq!(bad_body["error"]["field"], "placement_type");
}

#[tokio::test]
async fn a_case_closes_only_by_the_clients_choice() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let c = client(&app, &coach, "A", "2025-01-10").await;

    let (without, body) = event(
        &app,
        &coach,
        c,
        json!({"type": "closed", "at": "2025-03-01"}),
    )
    .await;
    let (with, _) = event(
        &app,
        &coach,
        c,
        json!({"type": "closed", "at": "2025-03-01", "client_choice": true}),
    )
    .await;

    assert_eq!(without, 422);
    assert_eq!(body["error"]["field"], "client_choice");
    assert_eq!(with, 201);
}

#[tokio::test]
async fn a_closed_case_takes_no_steps_until_the_client_comes_back() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let c = client(&app, &coach, "A", "2025-01-10").await;
    ok_event(
        &app,
        &coach,
        c,
        json!({"type": "closed", "at": "2025-03-01", "client_choice": true}),
    )
    .await;

    let (while_closed, _) = event(
        &app,
        &coach,
        c,
        json!({"type": "job_search", "at": "2025-03-05"}),
    )
    .await;
    let (reopened, _) = event(
        &app,
        &coach,
        c,
        json!({"type": "engaged", "at": "2025-04-01"}),
    )
    .await;
    let (after, _) = event(
        &app,
        &coach,
        c,
        json!({"type": "job_search", "at": "2025-04-02"}),
    )
    .await;

    assert_eq!(while_closed, 422);
    assert_eq!(reopened, 201);
    assert_eq!(after, 201);
}

#[tokio::test]
async fn a_back_dated_event_may_not_break_the_history_after_it() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let c = client(&app, &coach, "A", "2025-01-10").await;
    ok_event(
        &app,
        &coach,
        c,
        json!({"type": "employed", "at": "2025-03-01", "placement_type": "competitive"}),
    )
    .await;
    ok_event(
        &app,
        &coach,
        c,
        json!({"type": "job_ended", "at": "2025-05-01"}),
    )
    .await;

    let (closed_before, body) = event(
        &app,
        &coach,
        c,
        json!({"type": "closed", "at": "2025-02-01", "client_choice": true}),
    )
    .await;
    let (second_end, _) = event(
        &app,
        &coach,
        c,
        json!({"type": "job_ended", "at": "2025-04-01"}),
    )
    .await;

    assert_eq!(
        closed_before, 422,
        "the later steps would follow a closed case"
    );
    assert!(body["error"]["message"].as_str().unwrap().contains("later"));
    assert_eq!(second_end, 422, "the job would end twice");
}

#[tokio::test]
async fn profiling_never_blocks_job_search() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let c = client(&app, &coach, "A", "2025-01-10").await;

    let (search_first, _) = event(
        &app,
        &coach,
        c,
        json!({"type": "job_search", "at": "2025-01-11"}),
    )
    .await;
    let (profiling_later, _) = event(
        &app,
        &coach,
        c,
        json!({"type": "profiling", "at": "2025-01-20"}),
    )
    .await;

    assert_eq!(search_first, 201);
    assert_eq!(profiling_later, 201);
}

#[tokio::test]
async fn a_correction_supersedes_the_event_and_keeps_the_history() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let c = client(&app, &coach, "A", "2025-01-10").await;
    let wrong = ok_event(
        &app,
        &coach,
        c,
        json!({"type": "employed", "at": "2025-02-01", "placement_type": "competitive"}),
    )
    .await;

    let fixed = ok_event(
        &app,
        &coach,
        c,
        json!({"type": "employed", "at": "2025-02-01", "placement_type": "wage_subsidised", "supersedes": wrong}),
    )
    .await;
    let (again, _) = event(
        &app,
        &coach,
        c,
        json!({"type": "employed", "at": "2025-02-01", "placement_type": "work_trial", "supersedes": wrong}),
    )
    .await;

    let history: Value = app
        .get(&format!("/api/v1/clients/{c}/events"), &coach)
        .await
        .json()
        .await
        .unwrap();
    let events = history["events"].as_array().unwrap();
    assert_eq!(events.len(), 2, "the corrected event is kept");
    let old = events.iter().find(|e| e["id"] == wrong).unwrap();
    assert_eq!(old["superseded_by"], fixed);
    assert_eq!(old["placement_type"], "competitive");
    assert_eq!(
        again, 409,
        "an event is corrected once; correct the correction instead"
    );
}

#[tokio::test]
async fn a_correction_that_removes_the_placement_makes_a_later_job_end_invalid() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let c = client(&app, &coach, "A", "2025-01-10").await;
    let employed = ok_event(
        &app,
        &coach,
        c,
        json!({"type": "employed", "at": "2025-02-01", "placement_type": "competitive"}),
    )
    .await;
    // It was only an interview.
    ok_event(
        &app,
        &coach,
        c,
        json!({"type": "interview", "at": "2025-02-01", "supersedes": employed}),
    )
    .await;

    let (status, _) = event(
        &app,
        &coach,
        c,
        json!({"type": "job_ended", "at": "2025-03-01"}),
    )
    .await;

    assert_eq!(status, 422);
}

#[tokio::test]
async fn events_cannot_be_changed_or_deleted_in_the_database() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let c = client(&app, &coach, "A", "2025-01-10").await;
    let id = ok_event(
        &app,
        &coach,
        c,
        json!({"type": "job_search", "at": "2025-01-12"}),
    )
    .await;

    let db = RawDb::connect(&app.database_url()).await;
    let update = db
        .execute(
            "UPDATE client_events SET type = 'employed' WHERE id = ?",
            &[id.into()],
        )
        .await;
    let delete = db
        .execute("DELETE FROM client_events WHERE id = ?", &[id.into()])
        .await;
    db.close().await;

    assert!(update.is_err(), "append-only: no update");
    assert!(delete.is_err(), "append-only: no delete");
}

#[tokio::test]
async fn a_match_answer_names_a_vacancy_that_exists() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let c = client(&app, &coach, "A", "2025-01-10").await;
    let employer = app.employer(&coach, "Varasto Oy").await;
    let vacancy = app
        .vacancy(&coach, employer, "Varastotyöntekijä", "Keräilyä", "Tampere")
        .await["id"]
        .as_i64()
        .unwrap();

    let (none, body) = event(&app, &coach, c, json!({"type": "match_declined"})).await;
    let (unknown, unknown_body) = event(
        &app,
        &coach,
        c,
        json!({"type": "match_declined", "vacancy_id": 999_999}),
    )
    .await;
    let (ok, _) = event(
        &app,
        &coach,
        c,
        json!({"type": "match_interested", "vacancy_id": vacancy}),
    )
    .await;

    assert_eq!(none, 422);
    assert_eq!(body["error"]["field"], "vacancy_id");
    assert_eq!(unknown, 422);
    assert_eq!(unknown_body["error"]["field"], "vacancy_id");
    assert_eq!(ok, 201);
}

#[tokio::test]
async fn unknown_event_types_and_future_times_are_rejected() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let c = client(&app, &coach, "A", "2025-01-10").await;

    let (unknown, body) = event(&app, &coach, c, json!({"type": "ready_for_work"})).await;
    let (future, future_body) = event(
        &app,
        &coach,
        c,
        json!({"type": "job_search", "at": "2999-01-01"}),
    )
    .await;

    assert_eq!(unknown, 422);
    assert_eq!(body["error"]["field"], "type");
    assert_eq!(future, 422);
    assert_eq!(future_body["error"]["field"], "at");
}

#[tokio::test]
async fn another_coachs_client_has_no_events_to_read_or_write() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let other = app.token(Role::Coach, None).await;
    let c = client(&app, &coach, "A", "2025-01-10").await;

    let (write, _) = event(&app, &other, c, json!({"type": "job_search"})).await;
    let read = app
        .get(&format!("/api/v1/clients/{c}/events"), &other)
        .await;

    assert_eq!(write, 404);
    assert_eq!(read.status(), 404);
}

#[tokio::test]
async fn an_employer_contact_with_a_client_enters_the_clients_history() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let c = client(&app, &coach, "A", "2025-01-10").await;
    let employer = app.employer(&coach, "Kahvila Oy").await;

    let r = app
        .post(
            "/api/v1/employer-contacts",
            &coach,
            &json!({"employer_id": employer, "at": "2025-01-20T10:00:00Z", "face_to_face": true, "client_id": c, "purpose": "esittely"}),
        )
        .await;

    assert_eq!(r.status(), 201);
    let history: Value = app
        .get(&format!("/api/v1/clients/{c}/events"), &coach)
        .await
        .json()
        .await
        .unwrap();
    let e = &history["events"][0];
    assert_eq!(e["type"], "employer_contact");
    assert_eq!(e["employer_id"], employer);
    assert_eq!(e["face_to_face"], true);
}

#[tokio::test]
async fn an_employer_contact_cannot_name_another_coachs_client() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let other = app.token(Role::Coach, None).await;
    let c = client(&app, &coach, "A", "2025-01-10").await;
    let employer = app.employer(&coach, "Kahvila Oy").await;

    let r = app
        .post(
            "/api/v1/employer-contacts",
            &other,
            &json!({"employer_id": employer, "at": "2025-01-20", "face_to_face": true, "client_id": c}),
        )
        .await;

    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["field"], "client_id");
}

#[tokio::test]
async fn the_employer_register_shows_contacts_by_every_coach_without_other_coaches_clients() {
    let app = spawn_app().await;
    let anna = app.token(Role::Coach, None).await;
    let ben = app.token(Role::Coach, None).await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let employer = app.employer(&anna, "Kahvila Oy").await;
    let annas_client = client(&app, &anna, "A", "2025-01-10").await;
    for (token, at, client) in [
        (&anna, "2025-01-20", Some(annas_client)),
        (&ben, "2025-01-21", None),
    ] {
        let r = app
            .post(
                "/api/v1/employer-contacts",
                token,
                &json!({"employer_id": employer, "at": at, "face_to_face": false, "client_id": client}),
            )
            .await;
        assert_eq!(r.status(), 201);
    }

    let seen_by_ben: Value = app
        .get(&format!("/api/v1/employers/{employer}/contacts"), &ben)
        .await
        .json()
        .await
        .unwrap();
    let seen_by_anna: Value = app
        .get(&format!("/api/v1/employers/{employer}/contacts"), &anna)
        .await
        .json()
        .await
        .unwrap();
    let coordinator_view = app
        .get(
            &format!("/api/v1/employers/{employer}/contacts"),
            &coordinator,
        )
        .await;

    assert_eq!(
        seen_by_ben.as_array().unwrap().len(),
        2,
        "newest first, both coaches"
    );
    assert_eq!(seen_by_ben[0]["at"], "2025-01-21T00:00:00Z");
    assert_eq!(seen_by_ben[1]["with_client"], true);
    assert!(
        seen_by_ben[1].get("client_id").is_none(),
        "not Ben's client"
    );
    assert_eq!(seen_by_anna[1]["client_id"], annas_client);
    assert_eq!(coordinator_view.status(), 200);
}

#[tokio::test]
async fn employers_cannot_read_the_contact_log() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Kahvila Oy").await;
    let employer_user = app.token(Role::Employer, Some(employer)).await;

    let r = app
        .get(
            &format!("/api/v1/employers/{employer}/contacts"),
            &employer_user,
        )
        .await;

    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn match_answers_placements_and_employer_feedback_become_ranker_labels() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let c = client(&app, &coach, "A", "2025-01-10").await;
    let employer = app.employer(&coach, "Varasto Oy").await;
    let employer_user = app.token(Role::Employer, Some(employer)).await;
    let v = app
        .vacancy(&coach, employer, "Varastotyöntekijä", "Keräilyä", "Tampere")
        .await["id"]
        .as_i64()
        .unwrap();
    let w = app
        .vacancy(&coach, employer, "Siivooja", "Siivousta", "Tampere")
        .await["id"]
        .as_i64()
        .unwrap();
    ok_event(
        &app,
        &coach,
        c,
        json!({"type": "match_declined", "at": "2025-01-12", "vacancy_id": w}),
    )
    .await;
    ok_event(
        &app,
        &coach,
        c,
        json!({"type": "match_interested", "at": "2025-01-13", "vacancy_id": v}),
    )
    .await;
    let wrong = ok_event(
        &app,
        &coach,
        c,
        json!({"type": "match_interested", "at": "2025-01-14", "vacancy_id": w}),
    )
    .await;
    ok_event(
        &app,
        &coach,
        c,
        json!({"type": "match_declined", "at": "2025-01-14", "vacancy_id": w, "supersedes": wrong}),
    )
    .await;
    let placed = ok_event(&app, &coach, c, json!({"type": "employed", "at": "2025-02-01", "placement_type": "work_trial", "vacancy_id": v})).await;
    let form = app
        .post(
            &format!("/api/v1/clients/{c}/feedback-requests"),
            &coach,
            &json!({"placement_event_id": placed}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = app
        .client
        .put(app.url(&format!("/api/v1/feedback-forms/{form}")))
        .bearer_auth(&employer_user)
        .json(&json!({"tasks_managed": 5, "support_needed": "none", "would_hire": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    let store = kohtaamo::store::Store::open(&app.database_url())
        .await
        .unwrap();
    let labels: Vec<(Option<i64>, &str)> = store
        .match_feedback_events()
        .await
        .unwrap()
        .iter()
        .map(|l| (l.vacancy_id, l.signal))
        .collect();

    assert_eq!(
        labels,
        [
            (Some(w), "declined"),
            (Some(v), "interested"),
            (Some(w), "declined"),
            (Some(v), "placed"),
            (Some(v), "employer_would_hire"),
        ]
    );
}

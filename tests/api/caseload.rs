//! The coach's caseload in the order of the day's work (`GET /api/v1/caseload`).

use chrono::{Duration, Utc};
use kohtaamo::domain::Role;
use serde_json::{json, Value};

use crate::funnel::{client, ok_event};
use crate::helpers::spawn_app;

fn days_ago(n: i64) -> String {
    (Utc::now().date_naive() - Duration::days(n)).to_string()
}

/// The reasons of an entry, leaving out `new_matches` (the employer register makes employer
/// prospects for every client; the next test covers them).
fn codes(entry: &Value) -> Vec<&str> {
    entry["attention"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap())
        .filter(|c| *c != "new_matches")
        .collect()
}

#[tokio::test]
async fn clients_who_need_action_come_first_with_the_reason() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let quiet = client(&app, &coach, "Hiljainen", &days_ago(3)).await;
    let overdue = client(&app, &coach, "Odottaja", &days_ago(40)).await;
    let soon = client(&app, &coach, "Pian", &days_ago(25)).await;
    let ended = client(&app, &coach, "Päättynyt", &days_ago(100)).await;
    let closed = client(&app, &coach, "Lopettanut", &days_ago(200)).await;
    for id in [quiet, overdue, soon] {
        ok_event(&app, &coach, id, json!({"type": "engaged"})).await;
    }
    let employer = app.employer(&coach, "Pesula Oy").await;
    ok_event(
        &app,
        &coach,
        ended,
        json!({"type": "engaged", "at": days_ago(100)}),
    )
    .await;
    ok_event(
        &app,
        &coach,
        ended,
        json!({"type": "employer_contact", "at": days_ago(90), "employer_id": employer,
               "face_to_face": true}),
    )
    .await;
    ok_event(
        &app,
        &coach,
        ended,
        json!({"type": "employed", "at": days_ago(80), "employer_id": employer,
               "placement_type": "competitive", "hours_per_week": 20}),
    )
    .await;
    ok_event(
        &app,
        &coach,
        ended,
        json!({"type": "job_ended", "at": days_ago(5)}),
    )
    .await;
    ok_event(
        &app,
        &coach,
        closed,
        json!({"type": "engaged", "at": days_ago(200)}),
    )
    .await;
    ok_event(
        &app,
        &coach,
        closed,
        json!({"type": "closed", "at": days_ago(150), "client_choice": true}),
    )
    .await;

    let r = app.get("/api/v1/caseload", &coach).await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    let clients = body["clients"].as_array().unwrap();
    let order: Vec<i64> = clients.iter().map(|c| c["id"].as_i64().unwrap()).collect();
    // `quiet` may have new matches (an employer prospect), which rank below every clock.
    assert_eq!(order, [overdue, ended, soon, quiet, closed]);
    assert_eq!(codes(&clients[0]), ["first_contact_overdue"]);
    assert_eq!(clients[0]["attention"][0]["days"], 40);
    assert_eq!(codes(&clients[1]), ["job_ended"]);
    assert_eq!(clients[1]["attention"][0]["since"], days_ago(5));
    assert_eq!(clients[1]["stage"], "job_ended");
    assert_eq!(codes(&clients[2]), ["first_contact_soon"]);
    assert!(codes(&clients[3]).is_empty());
    assert_eq!(clients[4]["closed"], true);
    assert!(codes(&clients[4]).is_empty());
    assert_eq!(clients[3]["display_name"], "Hiljainen");
    assert!(clients[3]["last_activity"].is_string());
}

#[tokio::test]
async fn suggestions_never_shown_count_as_new_matches_until_the_coach_sees_them() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Lahden Logistiikka Oy").await;
    app.vacancy(
        &coach,
        employer,
        "Varastotyöntekijä",
        "Keräilyä ja pakkaamista aamuvuorossa.",
        "Lahti",
    )
    .await;
    let r = app
        .post(
            "/api/v1/clients",
            &coach,
            &json!({"display_name": "Asiakas A", "home_municipality": "Lahti",
                    "intake_date": days_ago(2),
                    "preferences": {"desired_work": "varastotyö"}}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    let before: Value = app
        .get("/api/v1/caseload", &coach)
        .await
        .json()
        .await
        .unwrap();
    let attention = &before["clients"][0]["attention"];
    assert_eq!(attention[0]["code"], "new_matches", "{before}");
    assert!(attention[0]["count"].as_u64().unwrap() >= 1);

    let r = app
        .get(&format!("/api/v1/clients/{id}/matches"), &coach)
        .await;
    assert_eq!(r.status(), 200);
    // The served list is logged in the background; the caseload reads it once it is there.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let after: Value = app
            .get("/api/v1/caseload", &coach)
            .await
            .json()
            .await
            .unwrap();
        if after["clients"][0]["attention"]
            .as_array()
            .unwrap()
            .is_empty()
        {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the suggestions shown still count as new: {after}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_coach_sees_only_its_own_caseload_and_other_roles_none() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let other = app.token(Role::Coach, None).await;
    client(&app, &other, "Toisen asiakas", &days_ago(3)).await;
    let mine: Value = app
        .get("/api/v1/caseload", &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["clients"].as_array().unwrap().len(), 0);
    for role in [Role::Coordinator, Role::Admin] {
        let token = app.token(role, None).await;
        let r = app.get("/api/v1/caseload", &token).await;
        assert_eq!(r.status(), 403, "{role:?}");
    }
}

#[tokio::test]
async fn an_application_for_a_suggestion_is_recorded_without_moving_the_stage() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Pesula Oy").await;
    let vacancy = app
        .vacancy(
            &coach,
            employer,
            "Pesulatyöntekijä",
            "Pyykin lajittelua",
            "Tampere",
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let id = client(&app, &coach, "Hakija", &days_ago(3)).await;
    ok_event(&app, &coach, id, json!({"type": "engaged"})).await;

    let (without, body) =
        crate::funnel::event(&app, &coach, id, json!({"type": "match_applied"})).await;
    ok_event(
        &app,
        &coach,
        id,
        json!({"type": "match_applied", "vacancy_id": vacancy}),
    )
    .await;

    assert_eq!(without, 422);
    assert_eq!(body["error"]["field"], "vacancy_id");
    let caseload: Value = app
        .get("/api/v1/caseload", &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(caseload["clients"][0]["stage"], "engaged");
    let events: Value = app
        .get(&format!("/api/v1/clients/{id}/events"), &coach)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        events.to_string().contains("\"match_applied\""),
        "the application is in the history: {events}"
    );
}

/// The `new_matches` count of the caseload's only client (0 when it has none).
async fn new_matches(app: &crate::helpers::TestApp, coach: &str) -> u64 {
    let caseload: Value = app
        .get("/api/v1/caseload", coach)
        .await
        .json()
        .await
        .unwrap();
    caseload["clients"][0]["attention"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == "new_matches")
        .map_or(0, |a| a["count"].as_u64().unwrap())
}

/// Shows the client's matches and waits until the caseload has read the served list (it is
/// logged in the background).
async fn show_matches(app: &crate::helpers::TestApp, coach: &str, id: i64) {
    let r = app
        .get(&format!("/api/v1/clients/{id}/matches"), coach)
        .await;
    assert_eq!(r.status(), 200);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while new_matches(app, coach).await > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the suggestions shown still count as new"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_new_posting_for_the_wish_is_a_new_match_until_the_client_sees_it() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Lahden Logistiikka Oy").await;
    app.vacancy(
        &coach,
        employer,
        "Varastotyöntekijä",
        "Keräilyä ja pakkaamista aamuvuorossa.",
        "Lahti",
    )
    .await;
    let r = app
        .post(
            "/api/v1/clients",
            &coach,
            &json!({"display_name": "Asiakas B", "home_municipality": "Lahti",
                    "intake_date": days_ago(2),
                    "preferences": {"desired_work": "varastotyö"}}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    // Returns once nothing counts as new.
    show_matches(&app, &coach, id).await;

    app.vacancy(
        &coach,
        employer,
        "Varastotyöntekijä iltavuoroon",
        "Varastotyötä ja hyllytystä iltaisin.",
        "Lahti",
    )
    .await;
    let after_posting = new_matches(&app, &coach).await;
    show_matches(&app, &coach, id).await;

    assert_eq!(after_posting, 1, "the new vacancy is the one new match");
}

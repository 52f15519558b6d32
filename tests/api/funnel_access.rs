//! Who sees which funnel figures, the rapid-search alerts, and employers' feedback forms.

use kohtaamo::domain::Role;
use serde_json::{json, Value};

use crate::funnel::{client, ok_event};
use crate::helpers::spawn_app;

#[tokio::test]
async fn coordinator_reads_funnel_and_fidelity_for_everyone_and_per_coach() {
    let app = spawn_app().await;
    let anna = app.token(Role::Coach, None).await;
    let ben = app.token(Role::Coach, None).await;
    let coordinator = app.token(Role::Coordinator, None).await;
    client(&app, &anna, "A1", "2025-01-10").await;
    client(&app, &anna, "A2", "2025-02-10").await;
    let b = client(&app, &ben, "B1", "2025-03-10").await;
    let ben_id = app
        .get(&format!("/api/v1/clients/{b}"), &ben)
        .await
        .json::<Value>()
        .await
        .unwrap()["coach_id"]
        .clone();

    let all: Value = app
        .get("/api/v1/funnel?from=2025-01-01&to=2025-12-31", &coordinator)
        .await
        .json()
        .await
        .unwrap();
    let bens = app
        .get(
            &format!("/api/v1/funnel?from=2025-01-01&to=2025-12-31&coach={ben_id}"),
            &coordinator,
        )
        .await;
    let fidelity = app
        .get(
            "/api/v1/fidelity?from=2025-01-01&to=2025-12-31",
            &coordinator,
        )
        .await;

    assert_eq!(all["clients"], 3);
    assert_eq!(all["by_coach"].as_array().unwrap().len(), 2);
    assert_eq!(bens.status(), 200);
    assert_eq!(bens.json::<Value>().await.unwrap()["clients"], 1);
    assert_eq!(fidelity.status(), 200);
}

#[tokio::test]
async fn coordinator_never_reads_a_client_profile_or_history() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let c = client(&app, &coach, "A", "2025-01-10").await;

    let profile = app.get(&format!("/api/v1/clients/{c}"), &coordinator).await;
    let history = app
        .get(&format!("/api/v1/clients/{c}/events"), &coordinator)
        .await;
    let write = app
        .post(
            &format!("/api/v1/clients/{c}/events"),
            &coordinator,
            &json!({"type": "job_search"}),
        )
        .await;

    assert_eq!(profile.status(), 403);
    assert_eq!(history.status(), 403);
    assert_eq!(write.status(), 403);
}

#[tokio::test]
async fn a_coach_sees_only_its_own_caseloads_figures() {
    let app = spawn_app().await;
    let anna = app.token(Role::Coach, None).await;
    let ben = app.token(Role::Coach, None).await;
    client(&app, &anna, "A1", "2025-01-10").await;
    let b = client(&app, &ben, "B1", "2025-03-10").await;
    client(&app, &ben, "B2", "2025-03-11").await;
    let ben_id = app
        .get(&format!("/api/v1/clients/{b}"), &ben)
        .await
        .json::<Value>()
        .await
        .unwrap()["coach_id"]
        .clone();

    let own: Value = app
        .get("/api/v1/funnel?from=2025-01-01&to=2025-12-31", &anna)
        .await
        .json()
        .await
        .unwrap();
    let others = app
        .get(
            &format!("/api/v1/funnel?from=2025-01-01&to=2025-12-31&coach={ben_id}"),
            &anna,
        )
        .await;
    let others_fidelity = app
        .get(&format!("/api/v1/fidelity?coach={ben_id}"), &anna)
        .await;

    assert_eq!(own["clients"], 1);
    assert_eq!(own["by_coach"].as_array().unwrap().len(), 1);
    assert_eq!(others.status(), 403);
    assert_eq!(others_fidelity.status(), 403);
}

#[tokio::test]
async fn employers_and_anonymous_callers_get_no_funnel_figures() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Kahvila Oy").await;
    let employer_user = app.token(Role::Employer, Some(employer)).await;

    let as_employer = app.get("/api/v1/funnel", &employer_user).await;
    let fidelity_as_employer = app.get("/api/v1/fidelity", &employer_user).await;
    let anonymous = app
        .client
        .get(app.url("/api/v1/funnel"))
        .send()
        .await
        .unwrap();

    assert_eq!(as_employer.status(), 403);
    assert_eq!(fidelity_as_employer.status(), 403);
    assert_eq!(anonymous.status(), 401);
}

#[tokio::test]
async fn a_malformed_period_names_the_parameter() {
    let app = spawn_app().await;
    let coordinator = app.token(Role::Coordinator, None).await;

    let bad_date = app.get("/api/v1/funnel?from=last-year", &coordinator).await;
    let reversed = app
        .get(
            "/api/v1/fidelity?from=2025-06-01&to=2025-01-01",
            &coordinator,
        )
        .await;

    assert_eq!(bad_date.status(), 422);
    assert_eq!(
        bad_date.json::<Value>().await.unwrap()["error"]["field"],
        "from"
    );
    assert_eq!(reversed.status(), 422);
}

#[tokio::test]
async fn clients_waiting_past_21_and_30_days_for_an_employer_contact_raise_alerts() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let employer = app.employer(&coach, "Kahvila Oy").await;
    let fresh = client(&app, &coach, "Fresh", "2025-05-20").await; // 12 days
    let warned = client(&app, &coach, "Warned", "2025-05-05").await; // 27 days
    let overdue = client(&app, &coach, "Overdue", "2025-04-01").await; // 61 days
    let contacted = client(&app, &coach, "Contacted", "2025-04-01").await;
    let phoned_only = client(&app, &coach, "Phoned", "2025-04-01").await;
    for (c, f2f) in [(contacted, true), (phoned_only, false)] {
        let r = app
            .post(
                "/api/v1/employer-contacts",
                &coach,
                &json!({"employer_id": employer, "at": "2025-04-20", "face_to_face": f2f, "client_id": c}),
            )
            .await;
        assert_eq!(r.status(), 201);
    }

    let report: Value = app
        .get(
            "/api/v1/fidelity?from=2025-01-01&to=2025-06-01",
            &coordinator,
        )
        .await
        .json()
        .await
        .unwrap();

    let alerts: Vec<(i64, &str, i64)> = report["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["client_id"].as_i64().unwrap(),
                a["level"].as_str().unwrap(),
                a["days_since_intake"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        alerts,
        [
            (overdue, "over_30_days", 61),
            (phoned_only, "over_30_days", 61),
            (warned, "over_21_days", 27)
        ]
    );
    assert!(!alerts.iter().any(|a| a.0 == fresh || a.0 == contacted));
    let rapid = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item"] == "rapid_job_search")
        .unwrap();
    assert_eq!(
        rapid["raw"], 19.0,
        "intake 1 April, first face-to-face contact 20 April"
    );
    assert_eq!(rapid["score"], 5);
}

#[tokio::test]
async fn only_competitive_placements_count_as_competitive_jobs() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    for (i, kind) in [
        "competitive",
        "work_trial",
        "wage_subsidised",
        "subcontracting_group",
    ]
    .iter()
    .enumerate()
    {
        let c = client(&app, &coach, &format!("C{i}"), "2025-01-10").await;
        ok_event(
            &app,
            &coach,
            c,
            json!({"type": "employed", "at": "2025-03-01", "placement_type": kind}),
        )
        .await;
    }

    let report: Value = app
        .get("/api/v1/fidelity?from=2025-01-01&to=2025-06-30", &coach)
        .await
        .json()
        .await
        .unwrap();
    let funnel: Value = app
        .get("/api/v1/funnel?from=2025-01-01&to=2025-06-30", &coach)
        .await
        .json()
        .await
        .unwrap();

    let competitive = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item"] == "competitive_jobs")
        .unwrap();
    assert_eq!(competitive["raw"], 25.0);
    assert_eq!(competitive["score"], 1);
    assert_eq!(funnel["outcomes"]["days_to_first_job"]["clients"], 1);
    let q1 = &funnel["outcomes"]["quarters"][0];
    assert_eq!(q1["out_of_work_at_entry"], 4);
    assert_eq!(q1["competitively_employed"], 1);
}

async fn placement_with_feedback_form(
    app: &crate::helpers::TestApp,
    coach: &str,
    employer: i64,
) -> (i64, i64) {
    let c = client(app, coach, "A", "2025-01-10").await;
    let placement = ok_event(
        app,
        coach,
        c,
        json!({"type": "employed", "at": "2025-02-01", "placement_type": "work_trial", "employer_id": employer}),
    )
    .await;
    let r = app
        .post(
            &format!("/api/v1/clients/{c}/feedback-requests"),
            coach,
            &json!({"placement_event_id": placement}),
        )
        .await;
    assert_eq!(r.status(), 201);
    (c, r.json::<Value>().await.unwrap()["id"].as_i64().unwrap())
}

#[tokio::test]
async fn an_employer_fills_its_own_work_trial_feedback_once_and_the_coach_sees_it() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Kahvila Oy").await;
    let employer_user = app.token(Role::Employer, Some(employer)).await;
    let (c, form) = placement_with_feedback_form(&app, &coach, employer).await;

    let listed: Value = app
        .get("/api/v1/feedback-forms", &employer_user)
        .await
        .json()
        .await
        .unwrap();
    let answer = json!({"tasks_managed": 4, "support_needed": "some", "would_hire": true, "comment": "Hyvä työote"});
    let first = app
        .client
        .put(app.url(&format!("/api/v1/feedback-forms/{form}")))
        .bearer_auth(&employer_user)
        .json(&answer)
        .send()
        .await
        .unwrap();
    let second = app
        .client
        .put(app.url(&format!("/api/v1/feedback-forms/{form}")))
        .bearer_auth(&employer_user)
        .json(&answer)
        .send()
        .await
        .unwrap();
    let history: Value = app
        .get(&format!("/api/v1/clients/{c}/events"), &coach)
        .await
        .json()
        .await
        .unwrap();

    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["status"], "pending");
    assert!(
        listed[0].get("client_id").is_none(),
        "employers never see a client"
    );
    assert!(listed[0].get("placement_event_id").is_none());
    assert_eq!(first.status(), 200);
    assert_eq!(second.status(), 409);
    assert_eq!(history["feedback"][0]["answers"]["would_hire"], true);
    assert_eq!(history["feedback"][0]["client_id"], c);
}

#[tokio::test]
async fn an_employer_sees_no_other_employers_feedback_forms() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Kahvila Oy").await;
    let other = app.employer(&coach, "Leipomo Oy").await;
    let other_user = app.token(Role::Employer, Some(other)).await;
    let (_, form) = placement_with_feedback_form(&app, &coach, employer).await;

    let listed: Value = app
        .get("/api/v1/feedback-forms", &other_user)
        .await
        .json()
        .await
        .unwrap();
    let read = app
        .get(&format!("/api/v1/feedback-forms/{form}"), &other_user)
        .await;
    let write = app
        .client
        .put(app.url(&format!("/api/v1/feedback-forms/{form}")))
        .bearer_auth(&other_user)
        .json(&json!({"tasks_managed": 1, "support_needed": "a_lot", "would_hire": false}))
        .send()
        .await
        .unwrap();
    let as_coach = app.get("/api/v1/feedback-forms", &coach).await;

    assert_eq!(listed.as_array().unwrap().len(), 0);
    assert_eq!(read.status(), 404);
    assert_eq!(write.status(), 404);
    assert_eq!(as_coach.status(), 403);
}

#[tokio::test]
async fn feedback_answers_are_validated() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Kahvila Oy").await;
    let employer_user = app.token(Role::Employer, Some(employer)).await;
    let (_, form) = placement_with_feedback_form(&app, &coach, employer).await;

    let r = app
        .client
        .put(app.url(&format!("/api/v1/feedback-forms/{form}")))
        .bearer_auth(&employer_user)
        .json(&json!({"tasks_managed": 9, "support_needed": "some", "would_hire": true}))
        .send()
        .await
        .unwrap();

    assert_eq!(r.status(), 422);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"]["field"],
        "tasks_managed"
    );
}

#[tokio::test]
async fn the_figures_follow_every_new_event_and_client_change() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let c = client(&app, &coach, "A", "2025-01-10").await;
    let url = "/api/v1/funnel?from=2025-01-01&to=2025-12-31";
    let employed = |report: &Value| {
        report["stages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["stage"] == "employed")
            .unwrap()["clients"]
            .as_i64()
            .unwrap()
    };
    let before: Value = app.get(url, &coordinator).await.json().await.unwrap();

    ok_event(
        &app,
        &coach,
        c,
        json!({"type": "employed", "at": "2025-03-01", "placement_type": "competitive"}),
    )
    .await;
    let after_event: Value = app.get(url, &coordinator).await.json().await.unwrap();
    let r = app
        .patch(
            &format!("/api/v1/clients/{c}"),
            &coach,
            &json!({"intake_date": "2024-06-01"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let after_patch: Value = app.get(url, &coordinator).await.json().await.unwrap();

    assert_eq!(employed(&before), 0);
    assert_eq!(employed(&after_event), 1);
    assert_eq!(after_event["cohort"], 1);
    assert_eq!(
        after_patch["cohort"], 0,
        "the intake moved out of the period"
    );
}

#[tokio::test]
async fn openapi_document_describes_the_funnel_paths() {
    let app = spawn_app().await;

    let doc: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let paths = doc["paths"].as_object().expect("paths");
    for path in [
        "/api/v1/clients/{id}/events",
        "/api/v1/employer-contacts",
        "/api/v1/employers/{id}/contacts",
        "/api/v1/funnel",
        "/api/v1/fidelity",
        "/api/v1/clients/{id}/feedback-requests",
        "/api/v1/feedback-forms",
        "/api/v1/feedback-forms/{id}",
    ] {
        assert!(paths.contains_key(path), "{path} missing from OpenAPI");
    }
    assert!(doc["components"]["schemas"]["EventInput"].is_object());
    assert!(doc["components"]["schemas"]["FunnelReport"].is_object());
}

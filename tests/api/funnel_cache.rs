//! The all-coaches figures are kept between requests and brought up to date by reading only
//! the events and contacts added since; they must equal what a fresh start computes.

use kohtaamo::domain::Role;
use serde_json::{json, Value};

use crate::funnel::{client, ok_event};
use crate::helpers::{spawn_app_in, TestApp};

async fn figures(app: &TestApp, token: &str) -> (Value, Value) {
    let q = "from=2025-01-01&to=2025-12-31";
    let funnel: Value = app
        .get(&format!("/api/v1/funnel?{q}"), token)
        .await
        .json()
        .await
        .unwrap();
    let fidelity: Value = app
        .get(&format!("/api/v1/fidelity?{q}"), token)
        .await
        .json()
        .await
        .unwrap();
    (funnel, fidelity)
}

/// A new cook's vacancy (occupation 5120) of `employer`.
async fn cook_vacancy(app: &TestApp, coach: &str, employer: i64) -> i64 {
    app.post(
        "/api/v1/vacancies",
        coach,
        &json!({"employer_id": employer, "title": "Kokki", "description": "Keittiö.", "municipality": "Tampere", "occupation_code": "5120"}),
    )
    .await
    .json::<Value>()
    .await
    .unwrap()["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn figures_updated_in_place_equal_the_figures_of_a_fresh_start() {
    let app = crate::helpers::spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let employer = app.employer(&coach, "Kahvila Oy").await;
    let a = client(&app, &coach, "A", "2025-01-10").await;
    let b = client(&app, &coach, "B", "2025-02-01").await;
    for c in [a, b] {
        ok_event(
            &app,
            &coach,
            c,
            json!({"type": "engaged", "at": "2025-02-02"}),
        )
        .await;
        ok_event(
            &app,
            &coach,
            c,
            json!({"type": "job_search", "at": "2025-02-03"}),
        )
        .await;
    }
    let wrong = ok_event(&app, &coach, a, json!({"type": "employed", "at": "2025-03-01", "placement_type": "work_trial", "employer_id": employer})).await;
    let before = figures(&app, &coordinator).await;

    // Only events and contacts change: the kept figures are extended, not reloaded.
    ok_event(
        &app,
        &coach,
        a,
        json!({"type": "employed", "at": "2025-03-01", "placement_type": "competitive",
        "hours_per_week": 25, "employer_id": employer, "supersedes": wrong}),
    )
    .await;
    ok_event(
        &app,
        &coach,
        b,
        json!({"type": "interview", "at": "2025-02-20", "employer_id": employer}),
    )
    .await;
    let r = app
        .post("/api/v1/employer-contacts", &coach, &json!({"employer_id": employer, "at": "2025-02-10T10:00:00Z", "face_to_face": true, "client_id": b}))
        .await;
    assert_eq!(r.status(), 201);
    let mid = figures(&app, &coordinator).await;
    assert_ne!(mid, before, "the new events move the figures");

    // A new posting (created, not edited: earlier events keep their meaning) and a placement
    // in it, whose occupation counts for job-type diversity.
    let v = cook_vacancy(&app, &coach, employer).await;
    ok_event(&app, &coach, b, json!({"type": "employed", "at": "2025-03-10", "placement_type": "competitive", "hours_per_week": 30, "vacancy_id": v})).await;

    // A new client (a change-log entry about a client only) with its first steps.
    let c = client(&app, &coach, "C", "2025-04-01").await;
    ok_event(
        &app,
        &coach,
        c,
        json!({"type": "engaged", "at": "2025-04-01"}),
    )
    .await;
    ok_event(
        &app,
        &coach,
        c,
        json!({"type": "job_search", "at": "2025-04-02"}),
    )
    .await;
    let updated = figures(&app, &coordinator).await;
    assert_ne!(updated, mid, "the new client counts");

    // A second job of the same occupation, then an edit of the first job's vacancy: an edit
    // changes what earlier events mean (B's job is now of another occupation), and the kept
    // figures re-read the events that name the edited posting.
    let v2 = cook_vacancy(&app, &coach, employer).await;
    ok_event(&app, &coach, c, json!({"type": "employed", "at": "2025-04-10", "placement_type": "competitive", "hours_per_week": 20, "vacancy_id": v2})).await;
    let same_occupation = figures(&app, &coordinator).await;
    let r = app
        .patch(
            &format!("/api/v1/vacancies/{v}"),
            &coach,
            &json!({"occupation_code": "9112"}),
        )
        .await;
    assert_eq!(r.status(), 200, "{:?}", r.text().await);
    let edited = figures(&app, &coordinator).await;
    let diversity = |f: &(Value, Value)| {
        f.1["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["item"] == "diversity_of_job_types")
            .map(|i| i["raw"].clone())
    };
    assert_ne!(
        diversity(&edited),
        diversity(&same_occupation),
        "two jobs of one occupation, then of two: {:?}",
        diversity(&edited)
    );
    assert_ne!(updated, edited);

    // Every period is answered from the same kept rows, cut at the period's last day in
    // memory: the same rows as reading the database up to that day.
    let store = kohtaamo::store::Store::open(&app.database_url())
        .await
        .unwrap();
    let compare = |store: kohtaamo::store::Store| async move {
        for until in [
            "2025-02-02",
            "2025-02-03",
            "2025-03-01",
            "2025-04-01",
            "2025-04-09",
            "2025-04-10",
            "2026-01-01",
        ] {
            let until = until.parse().unwrap();
            let kept = store.funnel_data(None, until).await.unwrap();
            let read = store.load_funnel_data(None, until).await.unwrap();
            assert_eq!(kept.clients, read.clients, "{until}");
            assert_eq!(kept.events, read.events, "{until}");
            let by_time = |c: &Vec<kohtaamo::funnel::ContactFact>| {
                let mut c: Vec<_> = c
                    .iter()
                    .map(|c| (c.at, c.coach_id, c.face_to_face))
                    .collect();
                c.sort();
                c
            };
            assert_eq!(by_time(&kept.contacts), by_time(&read.contacts), "{until}");
        }
        store
    };
    let store = compare(store).await;
    // Rows added since are merged into the kept ones (not read anew): a contact in the last
    // second of a day and an event, then the same comparison.
    let r = app
        .post(
            "/api/v1/employer-contacts",
            &coach,
            &json!({"employer_id": employer, "at": "2025-04-09T23:59:59Z", "face_to_face": false}),
        )
        .await;
    assert_eq!(r.status(), 201);
    ok_event(
        &app,
        &coach,
        b,
        json!({"type": "job_ended", "at": "2025-04-10"}),
    )
    .await;
    let store = compare(store).await;
    store.close().await;
    let updated = figures(&app, &coordinator).await;

    let dir = app.stop().await;
    let fresh_app = spawn_app_in(dir).await;
    let fresh = figures(&fresh_app, &coordinator).await;
    assert_eq!(updated, fresh);
}

use kohtaamo::domain::Role;
use serde_json::{json, Value};

use crate::helpers::{contains_id, hit_keys, spawn_app, spawn_app_in};

#[tokio::test]
async fn coach_posts_a_vacancy_and_reads_it_back() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Lahden Logistiikka Oy").await;

    let r = app
        .post(
            "/api/v1/vacancies",
            &coach,
            &json!({
                "employer_id": employer, "title": "Varastotyöntekijä", "description": "Keräilyä ja pakkaamista.",
                "municipality": "15110 Lahti", "occupation_code": "4321", "hours_per_week": {"min": 20, "max": 30},
                "employment_type": "part_time", "language": "fi", "valid_through": "2026-12-31",
                "wage_subsidy_ok": true, "work_trial_ok": true, "adjustments_offered": ["kirjalliset ohjeet"],
                "external_id": "ext-1"
            }),
        )
        .await;
    assert_eq!(r.status(), 201);
    let created: Value = r.json().await.unwrap();
    let id = created["id"].as_i64().unwrap();

    let fetched: Value = app
        .get(&format!("/api/v1/vacancies/{id}"), &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(fetched["title"], "Varastotyöntekijä");
    assert_eq!(fetched["employer"], "Lahden Logistiikka Oy");
    assert_eq!(fetched["municipality"], "Lahti");
    assert_eq!(fetched["location"], "15110 Lahti");
    assert_eq!(fetched["employment_type"], "PART_TIME");
    assert_eq!(fetched["hours_per_week"], json!({"min": 20.0, "max": 30.0}));
    assert_eq!(
        fetched["adjustments_offered"],
        json!(["kirjalliset ohjeet"])
    );
    assert_eq!(fetched["external_id"], "ext-1");
    assert_eq!(fetched["status"], "open");
}

#[tokio::test]
async fn patch_changes_only_the_fields_sent_and_null_clears() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Oy Ab").await;
    let r = app
        .post(
            "/api/v1/vacancies",
            &coach,
            &json!({"employer_id": employer, "title": "Siivooja", "description": "Toimistosiivousta.",
                    "municipality": "Espoo", "occupation_code": "9112"}),
        )
        .await;
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    let r = app
        .patch(
            &format!("/api/v1/vacancies/{id}"),
            &coach,
            &json!({"title": "Toimitilahuoltaja", "occupation_code": null}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["title"], "Toimitilahuoltaja");
    assert_eq!(v["description"], "Toimistosiivousta.");
    assert_eq!(v["municipality"], "Espoo");
    assert_eq!(v["occupation_code"], Value::Null);
}

#[tokio::test]
async fn closing_a_vacancy_removes_it_from_search_but_keeps_its_record() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Kauppa Oy").await;
    let v = app
        .vacancy(
            &coach,
            employer,
            "Hyllyttäjä",
            "Hyllytystä aamuisin.",
            "Turku",
        )
        .await;
    let id = v["id"].as_i64().unwrap();
    app.search_until(&coach, "hyllyttäjä", |r| contains_id(r, id))
        .await;

    let r = app.delete(&format!("/api/v1/vacancies/{id}"), &coach).await;
    assert_eq!(r.status(), 204);

    app.search_until(&coach, "hyllyttäjä", |r| !contains_id(r, id))
        .await;
    let closed: Value = app
        .get(&format!("/api/v1/vacancies/{id}"), &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(closed["status"], "closed");
    let open_list: Value = app
        .get("/api/v1/vacancies", &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(open_list["total"], 0);
    let closed_list: Value = app
        .get("/api/v1/vacancies?status=closed", &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(closed_list["total"], 1);
}

#[tokio::test]
async fn subcontracting_task_lifecycle() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Pakkaamo Oy").await;
    let r = app
        .post(
            "/api/v1/tasks",
            &coach,
            &json!({"employer_id": employer, "title": "Kirjekuorien pakkaus", "description": "Esitteiden pakkaus ryhmänä.",
                    "municipality": "Lahti", "site": "provider", "starts_on": "2026-12-01", "ends_on": "2026-12-31",
                    "estimated_hours": 120, "group_size": 4}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let task: Value = r.json().await.unwrap();
    let id = task["id"].as_i64().unwrap();
    assert_eq!(task["kind"], "task");
    assert_eq!(task["site"], "provider");

    let key = ("task".to_string(), id);
    app.search_until(&coach, "pakkaus", |r| hit_keys(r).contains(&key))
        .await;

    let r = app
        .patch(
            &format!("/api/v1/tasks/{id}"),
            &coach,
            &json!({"group_size": 6}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["group_size"], 6);
    let list: Value = app.get("/api/v1/tasks", &coach).await.json().await.unwrap();
    assert_eq!(list["total"], 1);

    assert_eq!(
        app.delete(&format!("/api/v1/tasks/{id}"), &coach)
            .await
            .status(),
        204
    );
    app.search_until(&coach, "pakkaus", |r| !hit_keys(r).contains(&key))
        .await;
}

#[tokio::test]
async fn lists_are_paginated() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Monta Oy").await;
    for i in 0..3 {
        app.vacancy(&coach, employer, &format!("Työ {i}"), "Kuvaus.", "Oulu")
            .await;
    }
    let first: Value = app
        .get("/api/v1/vacancies?limit=2", &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first["total"], 3);
    assert_eq!(first["items"].as_array().unwrap().len(), 2);
    let second: Value = app
        .get("/api/v1/vacancies?limit=2&offset=2", &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second["items"].as_array().unwrap().len(), 1);
    let employers: Value = app
        .get("/api/v1/employers", &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(employers["total"], 1);
}

#[tokio::test]
async fn employer_register_has_business_ids() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let r = app
        .post("/api/v1/employers", &coach, &json!({"name": "Nokia Oyj", "business_id": "0112038-9", "industry": "tietoliikenne", "municipality": "Espoo"}))
        .await;
    assert_eq!(r.status(), 201);
    let e: Value = r.json().await.unwrap();
    let id = e["id"].as_i64().unwrap();
    let fetched: Value = app
        .get(&format!("/api/v1/employers/{id}"), &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(fetched["business_id"], "0112038-9");
    let dup = app
        .post(
            "/api/v1/employers",
            &coach,
            &json!({"name": "Toinen", "business_id": "0112038-9"}),
        )
        .await;
    assert_eq!(dup.status(), 409);
}

#[tokio::test]
async fn a_posting_past_its_last_day_leaves_search_and_matches_and_is_closed() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Varasto Oy").await;
    let yesterday = (chrono::Utc::now() - chrono::Duration::days(1)).to_rfc3339();
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    let mut ids = Vec::new();
    for until in [&yesterday, &tomorrow] {
        let r = app
            .post(
                "/api/v1/vacancies",
                &coach,
                &json!({"employer_id": employer, "title": "Varastotyöntekijä", "description": "Keräilyä.",
                        "municipality": "Lahti", "valid_through": until}),
            )
            .await;
        assert_eq!(r.status(), 201);
        ids.push(r.json::<Value>().await.unwrap()["id"].as_i64().unwrap());
    }
    let (expired, open) = (ids[0], ids[1]);
    let found = app
        .search_until(&coach, "varasto", |r| contains_id(r, open))
        .await;
    assert!(!contains_id(&found, expired), "{found}");
    let r = app
        .post(
            "/api/v1/clients",
            &coach,
            &json!({"display_name": "A", "home_municipality": "Lahti", "preferences": {"desired_work": "varastotyö"}}),
        )
        .await;
    let client = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let m: Value = app
        .get(&format!("/api/v1/clients/{client}/matches"), &coach)
        .await
        .json()
        .await
        .unwrap();
    let suggested: Vec<i64> = m["matches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "vacancy")
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert!(
        suggested.contains(&open) && !suggested.contains(&expired),
        "{m}"
    );

    // The expiry runs when the service starts (and every hour): the record is closed, with
    // its history kept.
    let dir = app.stop().await;
    let app = spawn_app_in(dir).await;
    let v: Value = app
        .get(&format!("/api/v1/vacancies/{expired}"), &coach)
        .await
        .json()
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let mut status = v["status"].clone();
    while status != "closed" && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        let v: Value = app
            .get(&format!("/api/v1/vacancies/{expired}"), &coach)
            .await
            .json()
            .await
            .unwrap();
        status = v["status"].clone();
    }
    assert_eq!(status, "closed");
    let v: Value = app
        .get(&format!("/api/v1/vacancies/{open}"), &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["status"], "open");
}

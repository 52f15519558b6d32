use kohtaamo::domain::Role;
use kohtaamo::store::Store;
use serde_json::{json, Value};

use crate::helpers::spawn_app;

#[tokio::test]
async fn coach_creates_a_client_with_empty_preferences() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let r = app
        .post(
            "/api/v1/clients",
            &coach,
            &json!({"display_name": "Asiakas A", "home_municipality": "Lahti", "preferences": {}}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let c: Value = r.json().await.unwrap();
    assert_eq!(c["display_name"], "Asiakas A");
    assert!(c["intake_date"].is_string());
    assert_eq!(c["preferences"], json!({}));
}

#[tokio::test]
async fn client_preferences_are_stored_and_merged_by_patch() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let r = app
        .post(
            "/api/v1/clients",
            &coach,
            &json!({"display_name": "Asiakas B", "home_municipality": "Helsinki", "intake_date": "2026-10-01",
                    "preferences": {"desired_work": "varastotyö", "occupations": ["4321"], "municipalities": ["00510 Helsinki", "Vantaa"],
                                    "max_commute_km": 25, "hours_per_week": {"min": 10, "max": 25}, "avoid": "yötyö",
                                    "languages": ["fi", "EN"], "adjustments": ["kirjalliset ohjeet"]}}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    let r = app
        .patch(
            &format!("/api/v1/clients/{id}"),
            &coach,
            &json!({"preferences": {"avoid": null, "max_commute_km": 40}}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let c: Value = app
        .get(&format!("/api/v1/clients/{id}"), &coach)
        .await
        .json()
        .await
        .unwrap();
    let p = &c["preferences"];
    assert_eq!(p["desired_work"], "varastotyö");
    assert_eq!(p["municipalities"], json!(["Helsinki", "Vantaa"]));
    assert_eq!(p["languages"], json!(["fi", "en"]));
    assert_eq!(p["max_commute_km"], 40.0);
    assert!(p.get("avoid").is_none());
    assert_eq!(c["intake_date"], "2026-10-01");
}

#[tokio::test]
async fn reading_a_client_is_logged() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let r = app
        .post(
            "/api/v1/clients",
            &coach,
            &json!({"display_name": "Asiakas C", "home_municipality": "Oulu"}),
        )
        .await;
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    app.get(&format!("/api/v1/clients/{id}"), &coach).await;
    app.get(&format!("/api/v1/clients/{id}"), &coach).await;

    let store = Store::open(&app.database_url()).await.unwrap();
    assert_eq!(store.client_access_count(id, "read").await.unwrap(), 2);
    assert_eq!(store.client_access_count(id, "create").await.unwrap(), 1);
}

#[tokio::test]
async fn coach_lists_own_caseload() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let other = app.token(Role::Coach, None).await;
    for name in ["A", "B"] {
        app.post(
            "/api/v1/clients",
            &coach,
            &json!({"display_name": name, "home_municipality": "Kuopio"}),
        )
        .await;
    }
    app.post(
        "/api/v1/clients",
        &other,
        &json!({"display_name": "C", "home_municipality": "Kuopio"}),
    )
    .await;
    let list: Value = app
        .get("/api/v1/clients", &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 2);
}

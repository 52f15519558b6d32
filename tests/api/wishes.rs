//! Reading the wish, through the real API: how it was understood is shown back with the
//! client, refusals written inside the wish demote what they name, Swedish and English wishes
//! reach Finnish ads through the occupation, and shifts and licences count.

use kohtaamo::domain::Role;
use serde_json::{json, Value};

use crate::cli::kohtaamo;
use crate::helpers::{contains_id, shared_data, spawn_app, spawn_app_in, TestApp};

async fn post(app: &TestApp, coach: &str, body: Value) -> i64 {
    let r = app.post("/api/v1/vacancies", coach, &body).await;
    assert_eq!(r.status(), 201, "{:?}", r.text().await);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    app.search_until(coach, "", |r| contains_id(r, id)).await;
    id
}

async fn client(app: &TestApp, coach: &str, preferences: Value) -> (i64, Value) {
    let r = app
        .post(
            "/api/v1/clients",
            coach,
            &json!({"display_name": "A", "home_municipality": "Lahti", "preferences": preferences}),
        )
        .await;
    assert_eq!(r.status(), 201, "{:?}", r.text().await);
    let body: Value = r.json().await.unwrap();
    (body["id"].as_i64().unwrap(), body)
}

async fn vacancy_ids(app: &TestApp, coach: &str, client: i64) -> Vec<i64> {
    let m: Value = app
        .get(
            &format!("/api/v1/clients/{client}/matches?kind=vacancy"),
            coach,
        )
        .await
        .json()
        .await
        .unwrap();
    m["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn the_client_record_shows_how_the_wish_was_understood() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let (id, created) = client(
        &app,
        &coach,
        json!({"desired_work": "Kahvilatyötä, mutta en halua olla kassalla. Ei yövuoroja. Hygieniapassi on, osa-aikaa"}),
    )
    .await;
    let u = &created["understood"];
    assert_eq!(u["wanted"], json!(["Kahvilatyötä"]));
    assert_eq!(u["refused"], json!(["kassalla", "yövuoroja"]));
    assert_eq!(u["shifts"], json!([{"shift": "night", "wanted": false}]));
    assert_eq!(u["licences"], json!(["hygieniapassi"]));
    assert_eq!(u["part_time"], true);
    // The same reading on GET.
    let got: Value = app
        .get(&format!("/api/v1/clients/{id}"), &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(got["understood"], created["understood"]);
    assert_eq!(
        got["preferences"]["desired_work"],
        "Kahvilatyötä, mutta en halua olla kassalla. Ei yövuoroja. Hygieniapassi on, osa-aikaa"
    );
}

#[tokio::test]
async fn a_refusal_inside_the_wish_demotes_what_it_names_and_says_why() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Kahvila Oy").await;
    let till = post(&app, &coach, json!({"employer_id": employer, "title": "Kahvilatyöntekijä", "description": "Työ on pääosin kassalla asiakkaiden palvelua.", "municipality": "Lahti"})).await;
    let kitchen = post(&app, &coach, json!({"employer_id": employer, "title": "Kahvilatyöntekijä", "description": "Leivontaa ja astioiden pesua keittiössä.", "municipality": "Lahti"})).await;
    let (id, _) = client(
        &app,
        &coach,
        json!({"desired_work": "Kahvilatyötä, mutta en halua olla kassalla"}),
    )
    .await;
    assert_eq!(vacancy_ids(&app, &coach, id).await[..2], [kitchen, till]);
    let m: Value = app
        .get(
            &format!("/api/v1/clients/{id}/matches?kind=vacancy"),
            &coach,
        )
        .await
        .json()
        .await
        .unwrap();
    let reasons = m["matches"][1]["reasons"].to_string();
    assert!(reasons.contains("kassalla"), "{reasons}");
    assert!(!m["matches"][0]["reasons"].to_string().contains("kassalla"));
}

#[tokio::test]
async fn a_refused_shift_demotes_and_a_wished_one_lifts() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Varasto Oy").await;
    let nights = post(&app, &coach, json!({"employer_id": employer, "title": "Varastotyöntekijä", "description": "Keräilyä yövuorossa.", "municipality": "Lahti"})).await;
    let mornings = post(&app, &coach, json!({"employer_id": employer, "title": "Varastotyöntekijä", "description": "Keräilyä aamuvuorossa.", "municipality": "Lahti"})).await;
    let (id, _) = client(
        &app,
        &coach,
        json!({"desired_work": "varastotyö aamuisin, ei öisin"}),
    )
    .await;
    assert_eq!(vacancy_ids(&app, &coach, id).await[..2], [mornings, nights]);
}

/// Swedish and English wishes reach Finnish ads through the occupation's labels in the three
/// languages (the ESCO taxonomy in ../shared/data).
#[tokio::test]
async fn swedish_and_english_wishes_find_finnish_ads_through_the_occupation() {
    let Some(data) = shared_data() else { return };
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let (db, index) = (app.database_url(), app.index_dir());
    let dir = app.stop().await;
    let esco = data.join("esco/esco_v1.1.1_occupations_isco_fi_sv_en.csv");
    let out = kohtaamo(
        &db,
        &index,
        &["import", "occupations", esco.to_str().unwrap()],
    );
    assert!(out.status.success(), "{out:?}");
    let app = spawn_app_in(dir).await;
    let employer = app.employer(&coach, "Logistiikka Oy").await;
    let warehouse = post(&app, &coach, json!({"employer_id": employer, "title": "Varastotyöntekijä", "description": "Keräilyä ja pakkaamista.", "municipality": "Lahti"})).await;
    let _sales = post(&app, &coach, json!({"employer_id": employer, "title": "Myyjä", "description": "Asiakaspalvelua myymälässä.", "municipality": "Lahti"})).await;
    for wish in ["lagerarbetare", "warehouse worker"] {
        let (id, body) = client(&app, &coach, json!({"desired_work": wish})).await;
        assert!(
            body["understood"]["occupations"]
                .as_array()
                .unwrap()
                .iter()
                .any(|o| o["code"].as_str().unwrap().starts_with("9333")),
            "{wish}: {}",
            body["understood"]
        );
        assert_eq!(vacancy_ids(&app, &coach, id).await[0], warehouse, "{wish}");
    }
}

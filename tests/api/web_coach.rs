//! The coach's workspace in the web app, through HTTP as a browser sends it (forms with the
//! contract's field names, 303s after each action). A bearer token stands in for the session
//! here; the browser suite signs in for real.

use chrono::{Duration, Utc};
use kohtaamo::domain::Role;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};

fn days_ago(n: i64) -> String {
    (Utc::now().date_naive() - Duration::days(n)).to_string()
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn encode(fields: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

async fn post_form(
    app: &TestApp,
    token: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    no_redirects()
        .post(app.url(path))
        .bearer_auth(token)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(encode(fields))
        .send()
        .await
        .unwrap()
}

async fn page(app: &TestApp, token: &str, path: &str) -> (u16, String) {
    let r = no_redirects()
        .get(app.url(path))
        .bearer_auth(token)
        .header("accept-language", "fi")
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn a_coach_registers_a_client_in_the_form_and_lands_on_the_client_page() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;

    let r = post_form(
        &app,
        &coach,
        "/clients/new",
        &[
            ("display_name", "Asiakas Lomake"),
            ("home_municipality", "Lahti"),
            ("intake_date", "1.11.2026"),
            ("desired_work", "varastotyö, mieluiten aamuvuoroja"),
            ("max_commute_km", "12,5"),
            ("hours_per_week.min", "20"),
            ("adjustments", "kirjalliset ohjeet"),
        ],
    )
    .await;

    assert_eq!(r.status(), 303);
    let to = location(&r);
    let id: i64 = to.trim_start_matches("/clients/").parse().unwrap();
    let client: Value = app
        .get(&format!("/api/v1/clients/{id}"), &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(client["display_name"], "Asiakas Lomake");
    assert_eq!(client["intake_date"], "2026-11-01");
    assert_eq!(client["preferences"]["max_commute_km"], 12.5);
    assert_eq!(client["preferences"]["hours_per_week"]["min"], 20.0);
    assert_eq!(
        client["preferences"]["adjustments"][0],
        "kirjalliset ohjeet"
    );
    let (status, html) = page(&app, &coach, &to).await;
    assert_eq!(status, 200);
    assert!(html.contains("varastotyö, mieluiten aamuvuoroja"));
    assert!(html.contains("kirjalliset ohjeet"));
}

#[tokio::test]
async fn a_form_with_errors_comes_back_filled_with_every_error_in_finnish() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;

    let r = post_form(
        &app,
        &coach,
        "/clients/new",
        &[
            ("display_name", ""),
            ("home_municipality", "Lahti"),
            ("intake_date", "2999-01-01"),
            ("desired_work", "siivous <b>ja</b> keittiö"),
            ("max_commute_km", "kymmenen"),
        ],
    )
    .await;

    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Kirjoita nimi tai nimimerkki"), "{html}");
    assert!(html.contains("Anna aloituspäivä muodossa"));
    assert!(html.contains("Anna työmatka kilometreinä"));
    // What was typed is there, escaped.
    assert!(html.contains("siivous &#60;b&#62;ja&#60;/b&#62; keittiö"));
    assert!(!html.contains("<b>ja</b>"));
    assert!(html.contains("value=\"kymmenen\""));
    assert!(html.contains("href=\"#display_name\""));
    let list: Value = app
        .get("/api/v1/clients", &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 0, "nothing was saved");
}

#[tokio::test]
async fn editing_a_wish_changes_the_matches_and_an_answer_lands_in_the_timeline() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Lahden Palvelut Oy").await;
    let store_job = app
        .vacancy(
            &coach,
            employer,
            "Varastotyöntekijä",
            "Keräilyä ja pakkaamista varastossa.",
            "Lahti",
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let cleaning_job = app
        .vacancy(
            &coach,
            employer,
            "Siivooja",
            "Toimistojen siivousta iltaisin.",
            "Lahti",
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let r = app
        .post(
            "/api/v1/clients",
            &coach,
            &json!({"display_name": "Asiakas B", "home_municipality": "Lahti",
                    "intake_date": days_ago(3),
                    "preferences": {"desired_work": "varastotyö"}}),
        )
        .await;
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/clients/{id}/events"),
        &coach,
        &json!({"type": "engaged"}),
    )
    .await;
    let first_match = |html: &str| {
        let at = html.find("class=\"match\" id=\"match-").unwrap();
        html[at..].split('"').nth(3).unwrap().to_string()
    };
    let (_, before) = page(&app, &coach, &format!("/clients/{id}")).await;
    assert_eq!(first_match(&before), format!("match-vacancy-{store_job}"));

    let (_, form) = page(&app, &coach, &format!("/clients/{id}/edit")).await;
    assert!(form.contains("name=\"desired_work\""));
    assert!(form.contains(">varastotyö</textarea>"));
    let r = post_form(
        &app,
        &coach,
        &format!("/clients/{id}/edit"),
        &[
            ("display_name", "Asiakas B"),
            ("home_municipality", "Lahti"),
            // Left empty: the date on record stays.
            ("intake_date", ""),
            ("desired_work", "siivous"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let kept: Value = app
        .get(&format!("/api/v1/clients/{id}"), &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(kept["intake_date"], days_ago(3), "the intake date is kept");
    let (_, after) = page(&app, &coach, &location(&r)).await;
    assert_eq!(first_match(&after), format!("match-vacancy-{cleaning_job}"));
    assert!(after.contains("Tiedot tallennettu"));

    let r = post_form(
        &app,
        &coach,
        &format!("/clients/{id}/answers"),
        &[
            ("kind", "vacancy"),
            ("item_id", &cleaning_job.to_string()),
            ("answer", "interested"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).ends_with("#timeline"));
    let (_, html) = page(&app, &coach, &format!("/clients/{id}?done=interested")).await;
    let timeline = &html[html.find("id=\"timeline\"").unwrap()..];
    assert!(timeline.contains("Kiinnostui ehdotuksesta"), "{timeline}");
    assert!(timeline.contains("Siivooja (Lahden Palvelut Oy)"));
    let events: Value = app
        .get(&format!("/api/v1/clients/{id}/events"), &coach)
        .await
        .json()
        .await
        .unwrap();
    let last = events["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["type"], "match_interested");
    assert_eq!(last["vacancy_id"], cleaning_job);
}

#[tokio::test]
async fn the_caseload_page_puts_clients_who_need_action_on_top_in_words() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    for (name, days) in [("Uusi", 2), ("Odottaja", 40)] {
        app.post(
            "/api/v1/clients",
            &coach,
            &json!({"display_name": name, "home_municipality": "Tampere",
                    "intake_date": days_ago(days)}),
        )
        .await;
    }
    let (status, html) = page(&app, &coach, "/caseload").await;
    assert_eq!(status, 200);
    let needs = &html[html.find("id=\"needs-action-title\"").unwrap()
        ..html.find("id=\"everyone-title\"").unwrap()];
    assert!(needs.contains("Odottaja"));
    assert!(needs.contains("40 päivää alusta ilman tapaamista työnantajan kanssa"));
    assert!(!needs.contains(">Uusi<"));
    let everyone = &html[html.find("id=\"everyone-title\"").unwrap()..];
    assert!(everyone.contains("Uusi") && everyone.contains("Odottaja"));
}

#[tokio::test]
async fn another_coachs_client_is_not_found_and_other_roles_are_refused() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let other = app.token(Role::Coach, None).await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let r = app
        .post(
            "/api/v1/clients",
            &other,
            &json!({"display_name": "Toisen asiakas", "home_municipality": "Oulu"}),
        )
        .await;
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    let (status, html) = page(&app, &coach, &format!("/clients/{id}")).await;
    assert_eq!(status, 404);
    assert!(!html.contains("Toisen asiakas"));
    let (status, _) = page(&app, &coordinator, "/caseload").await;
    assert_eq!(status, 403);
    let r = post_form(
        &app,
        &coach,
        &format!("/clients/{id}/edit"),
        &[("display_name", "Kaapattu"), ("home_municipality", "Oulu")],
    )
    .await;
    assert_eq!(r.status(), 404);
    let unchanged: Value = app
        .get(&format!("/api/v1/clients/{id}"), &other)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(unchanged["display_name"], "Toisen asiakas");
}

#[tokio::test]
async fn the_search_page_has_the_apis_filters_and_finds_a_posting() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Pesula Oy").await;
    app.vacancy(
        &coach,
        employer,
        "Pesulatyöntekijä",
        "Pyykin lajittelua.",
        "Kuopio",
    )
    .await;

    let (status, html) = page(
        &app,
        &coach,
        "/search?q=pesula&kind=vacancy&municipality=Kuopio&limit=5",
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains("Pesulatyöntekijä"), "{html}");
    assert!(html.contains("1 osuma<"));
    let (status, html) = page(&app, &coach, "/search?q=pesula&limit=500").await;
    assert_eq!(status, 422);
    assert!(html.contains("Anna tulosten määrä numerona 1–100."));
}

#[tokio::test]
async fn a_contact_logged_in_the_register_shows_to_every_coach_without_the_clients_name() {
    let app = spawn_app().await;
    let aino = app.token(Role::Coach, None).await;
    let mikko = app.token(Role::Coach, None).await;
    let employer = app.employer(&aino, "Pesula Oy").await;
    let r = app
        .post(
            "/api/v1/clients",
            &aino,
            &json!({"display_name": "Ainon Asiakas", "home_municipality": "Lahti"}),
        )
        .await;
    let client = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/clients/{client}/events"),
        &aino,
        &json!({"type": "engaged"}),
    )
    .await;
    let today = Utc::now().date_naive();
    let finnish_today = format!(
        "{}.{}.{}",
        today.format("%-d"),
        today.format("%-m"),
        today.format("%Y")
    );

    let bad = post_form(
        &app,
        &aino,
        &format!("/employers/{employer}/contacts"),
        &[("at", "huomenna"), ("purpose", "Esittely")],
    )
    .await;
    let logged = post_form(
        &app,
        &aino,
        &format!("/employers/{employer}/contacts"),
        &[
            ("at", &finnish_today),
            ("face_to_face", "true"),
            ("client_id", &client.to_string()),
            ("purpose", "Työkokeilusta sopiminen"),
        ],
    )
    .await;

    assert_eq!(bad.status(), 422);
    let html = bad.text().await.unwrap();
    assert!(html.contains("Anna päivä muodossa 1.12.2026"), "{html}");
    assert!(
        html.contains("value=\"Esittely\""),
        "what was typed is kept"
    );
    assert_eq!(logged.status(), 303);
    let (_, own) = page(&app, &aino, &format!("/employers/{employer}")).await;
    let log = &own[own.find("id=\"contact-log\"").unwrap()..];
    assert!(log.contains("tavattiin kasvokkain") && log.contains("Ainon Asiakas"));
    let (status, register) = page(&app, &mikko, "/employers").await;
    assert_eq!(status, 200);
    assert!(register.contains("Pesula Oy"));
    assert!(
        register.contains("test-coach, tavattiin kasvokkain"),
        "{register}"
    );
    assert!(
        !register.contains("Ainon Asiakas"),
        "another coach's client stays hidden"
    );
    let events: Value = app
        .get(&format!("/api/v1/clients/{client}/events"), &aino)
        .await
        .json()
        .await
        .unwrap();
    assert!(events.to_string().contains("\"employer_contact\""));
}

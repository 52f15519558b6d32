//! The web app over HTTP: sign-in, languages, Finnish formats, the coordinator pages and their
//! exports (CSV for Finnish Excel and XLSX, with the API's figures), static files, escaping.
//! The same pages in a real browser: `browser.rs`.

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use kohtaamo::domain::Role;
use kohtaamo::store::Store;
use reqwest::header::{ACCEPT_LANGUAGE, CONTENT_DISPOSITION, CONTENT_TYPE};
use serde_json::{json, Value};

use crate::funnel::{client, ok_event};
use crate::helpers::{spawn_app, TestApp};

/// The period the seeded history is read over.
pub const FROM: &str = "2025-01-01";
pub const TO: &str = "2025-06-30";

/// A seeded service: two named coaches with clients over half a year, the placements of
/// DOMAIN.md's staircase, employer contacts; a coordinator and an employer user.
pub struct Seeded {
    pub coordinator: String,
    pub aino: String,
    pub aino_id: i64,
    pub ben: String,
    pub employer_user: String,
    /// A client of Aino's (name) and its id.
    pub aino_client: (String, i64),
}

/// Creates a user with a name, as `kohtaamo users add` does; returns (id, token).
pub async fn user(app: &TestApp, name: &str, role: Role, employer: Option<i64>) -> (i64, String) {
    let store = Store::open(&app.database_url()).await.expect("store");
    let (user, token) = store.create_user(name, role, employer).await.expect("user");
    store.close().await;
    (user.id, token)
}

pub async fn seed(app: &TestApp) -> Seeded {
    let (_, coordinator) = user(app, "Kaisa Koordinaattori", Role::Coordinator, None).await;
    let (aino_id, aino) = user(app, "Aino Valmentaja", Role::Coach, None).await;
    let (_, ben) = user(app, "Ben Valmentaja", Role::Coach, None).await;
    let employer = app.employer(&aino, "Lahden Logistiikka Oy").await;
    let (_, employer_user) = user(app, "Lahden Logistiikka", Role::Employer, Some(employer)).await;

    let ev = |kind: &str, at: &str| json!({"type": kind, "at": at});
    let job = |placement: &str, at: &str, hours: f64| {
        json!({"type": "employed", "at": at, "placement_type": placement,
               "hours_per_week": hours, "employer_id": employer})
    };
    let contact = |at: &str| json!({"type": "employer_contact", "at": at, "face_to_face": true});

    // Straight to a paid job, the IPS way.
    let a1 = client(app, &aino, "Aapo Asiakas", "2025-01-10").await;
    for e in [
        ev("job_search", "2025-01-12"),
        contact("2025-01-20"),
        ev("interview", "2025-02-01"),
        job("competitive", "2025-02-15", 25.0),
    ] {
        ok_event(app, &aino, a1, e).await;
    }
    // Up the staircase: work trial, wage subsidy, paid job.
    let a2 = client(app, &aino, "Alli Asiakas", "2025-02-01").await;
    for e in [
        ev("job_search", "2025-02-03"),
        job("work_trial", "2025-03-01", 15.0),
        ev("job_ended", "2025-04-01"),
        job("wage_subsidised", "2025-04-15", 20.0),
        ev("job_ended", "2025-05-31"),
        job("competitive", "2025-06-10", 30.0),
    ] {
        ok_event(app, &aino, a2, e).await;
    }
    // Searching only.
    let a3 = client(app, &aino, "Arvo Asiakas", "2025-03-01").await;
    ok_event(app, &aino, a3, ev("job_search", "2025-03-02")).await;
    // Ben's clients: one got to an interview, one is in a work trial now, one waits.
    let b1 = client(app, &ben, "Bertta Beeta", "2025-01-15").await;
    for e in [
        ev("job_search", "2025-01-16"),
        contact("2025-02-10"),
        ev("interview", "2025-03-10"),
    ] {
        ok_event(app, &ben, b1, e).await;
    }
    let b2 = client(app, &ben, "Bruno Beeta", "2025-04-01").await;
    ok_event(app, &ben, b2, job("work_trial", "2025-04-20", 15.0)).await;
    client(app, &ben, "Bella Beeta", "2025-05-01").await;
    // Entered before the period: counted now, not in the cohort.
    let a0 = client(app, &aino, "Aarne Asiakas", "2024-11-01").await;
    ok_event(app, &aino, a0, job("competitive", "2025-01-05", 37.5)).await;
    // The job-development log.
    for (token, at) in [
        (&aino, "2025-01-20"),
        (&aino, "2025-03-03"),
        (&ben, "2025-02-10"),
    ] {
        let r = app
            .post(
                "/api/v1/employer-contacts",
                token,
                &json!({"employer_id": employer, "at": at, "face_to_face": true}),
            )
            .await;
        assert_eq!(r.status(), 201);
    }
    Seeded {
        coordinator,
        aino,
        aino_id,
        ben,
        employer_user,
        aino_client: ("Aapo Asiakas".into(), a1),
    }
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn page(app: &TestApp, path: &str, token: &str) -> (u16, String) {
    let r = app.get(path, token).await;
    (r.status().as_u16(), r.text().await.unwrap())
}

/// The text of the element carrying `data-figure="{key}"`.
fn figure(html: &str, key: &str) -> Option<String> {
    let marker = format!(r#"data-figure="{key}">"#);
    let start = html.find(&marker)? + marker.len();
    let end = start + html[start..].find('<')?;
    Some(html[start..end].to_string())
}

/// The page's text without its tags (what a reader sees, roughly).
fn visible_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// A CSV file as Finnish Excel reads it: the BOM, `;` separators, CRLF lines.
fn excel_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    assert!(
        bytes.starts_with(&[0xEF, 0xBB, 0xBF]),
        "UTF-8 byte-order mark"
    );
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert!(text.ends_with("\r\n"), "CRLF line ends");
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// A share as the CSV writes it: percent with one decimal and a decimal comma.
fn csv_percent(share: &Value) -> String {
    share
        .as_f64()
        .map(|s| format!("{:.1}", s * 100.0).replace('.', ","))
        .unwrap_or_default()
}

async fn export(app: &TestApp, token: &str, file: &str) -> reqwest::Response {
    let r = app
        .get(
            &format!("/dashboard/export/{file}?from={FROM}&to={TO}"),
            token,
        )
        .await;
    assert_eq!(r.status(), 200, "{file}");
    r
}

#[tokio::test]
async fn the_root_and_the_dashboard_send_a_caller_without_a_session_to_sign_in() {
    let app = spawn_app().await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let employer_user = {
        let coach = app.token(Role::Coach, None).await;
        let employer = app.employer(&coach, "Kahvila Oy").await;
        app.token(Role::Employer, Some(employer)).await
    };
    let client = no_redirects();

    let root = client.get(app.url("/")).send().await.unwrap();
    let dashboard = client.get(app.url("/dashboard")).send().await.unwrap();
    let root_signed_in = client
        .get(app.url("/"))
        .bearer_auth(&coordinator)
        .send()
        .await
        .unwrap();
    let root_employer = client
        .get(app.url("/"))
        .bearer_auth(&employer_user)
        .send()
        .await
        .unwrap();

    assert_eq!(root.status(), 303);
    assert_eq!(root.headers()["location"], "/signin?next=%2F");
    assert_eq!(dashboard.status(), 303);
    assert_eq!(dashboard.headers()["location"], "/signin?next=%2Fdashboard");
    assert_eq!(root_signed_in.headers()["location"], "/dashboard");
    assert_eq!(
        root_employer.status(),
        303,
        "an employer goes to its own pages"
    );
    assert_eq!(root_employer.headers()["location"], "/employer");
}

#[tokio::test]
async fn employers_and_admins_get_no_dashboard_and_a_coach_no_other_coachs_figures() {
    let app = spawn_app().await;
    let s = seed(&app).await;
    let admin = app.token(Role::Admin, None).await;

    for token in [&s.employer_user, &admin] {
        let (status, html) = page(&app, "/dashboard", token).await;
        assert_eq!(status, 403);
        assert!(html.contains("Ei käyttöoikeutta"), "{html}");
        let csv = app.get("/dashboard/export/stages.csv", token).await;
        assert_eq!(csv.status(), 403);
    }
    let (status, _) = page(&app, &format!("/dashboard?coach={}", s.aino_id), &s.ben).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn pages_are_in_finnish_by_default_and_in_the_language_the_user_chooses() {
    let app = spawn_app().await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let get = |lang_header: Option<&'static str>, cookie: Option<&'static str>| {
        let mut r = app
            .client
            .get(app.url("/dashboard"))
            .bearer_auth(&coordinator);
        if let Some(h) = lang_header {
            r = r.header(ACCEPT_LANGUAGE, h);
        }
        if let Some(c) = cookie {
            r = r.header("cookie", c);
        }
        async move { r.send().await.unwrap().text().await.unwrap() }
    };

    let default = get(None, None).await;
    let swedish = get(Some("de-DE, en;q=0.5, sv-FI;q=0.8"), None).await;
    let english = get(Some("fi"), Some("lang=en")).await;
    let switched = no_redirects()
        .post(app.url("/language"))
        .form(&[("lang", "sv"), ("next", "/dashboard?from=2025-01-01")])
        .send()
        .await
        .unwrap();
    let elsewhere = no_redirects()
        .post(app.url("/language"))
        .form(&[("lang", "en"), ("next", "//elsewhere.example/")])
        .send()
        .await
        .unwrap();

    assert!(default.contains(r#"<html lang="fi">"#));
    assert!(default.contains("Työllistymisen seuranta"));
    assert!(swedish.contains(r#"<html lang="sv">"#));
    assert!(swedish.contains("Uppföljning av sysselsättningen"));
    assert!(english.contains(r#"<html lang="en">"#));
    assert!(english.contains("Employment follow-up"));
    assert_eq!(switched.status(), 303);
    assert_eq!(switched.headers()["location"], "/dashboard?from=2025-01-01");
    let cookie = switched.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("lang=sv"), "{cookie}");
    assert_eq!(elsewhere.headers()["location"], "/");
}

#[tokio::test]
async fn the_coordinator_page_shows_a_cohort_funnel_in_plain_finnish_words_and_formats() {
    let app = spawn_app().await;
    let s = seed(&app).await;
    let query = format!("?from={FROM}&to={TO}");
    let api: Value = app
        .get(&format!("/api/v1/funnel{query}"), &s.coordinator)
        .await
        .json()
        .await
        .unwrap();

    let (status, html) = page(&app, &format!("/dashboard{query}"), &s.coordinator).await;

    assert_eq!(status, 200);
    assert_eq!(figure(&html, "cohort"), Some(api["cohort"].to_string()));
    assert_eq!(api["cohort"], 6);
    for step in api["cohort_funnel"].as_array().unwrap() {
        let key = format!("cohort:{}", step["step"].as_str().unwrap());
        assert_eq!(
            figure(&html, &key),
            Some(step["clients"].to_string()),
            "{key}"
        );
    }
    // 2 of 6 got an open-market job: the work trials do not count.
    assert_eq!(
        figure(&html, "cohort:competitive_job").as_deref(),
        Some("2")
    );
    assert!(html.contains("33,3\u{a0}%"), "Finnish percentages");
    assert!(
        html.contains("1.1.2025 (vk 1)"),
        "Finnish dates with ISO weeks"
    );
    assert!(html.contains("30.6.2025 (vk 27)"));
    assert!(
        html.contains("Kävi työhaastattelussa"),
        "steps in plain words"
    );
    assert!(
        html.contains("josta: Työkokeilu"),
        "who is in a work trial now"
    );
    assert!(
        !html.contains("Työllistynyt"),
        "a work trial is never 'employed'"
    );
    let text = visible_text(&html);
    for code in ["job_search", "employer_contact", "work_trial", "employed"] {
        assert!(!text.contains(code), "no stage code {code} in the text");
    }
    assert!(html.contains("Porrasmalli: työkokeilu → palkkatuki → palkkatyö"));
    assert_eq!(figure(&html, "path:work_trial").as_deref(), Some("2"));
    assert_eq!(figure(&html, "path:competitive").as_deref(), Some("1"));
    assert!(html.contains("Nopea työnhaku") && html.contains("IPS-mallissa"));
    assert!(
        html.contains("Kohorttisuppilo, CSV-tiedosto"),
        "links say which table"
    );
    assert!(html.contains("Kohorttisuppilo, Excel-tiedosto"));
    assert!(html.contains("Aino Valmentaja") && html.contains("Ben Valmentaja"));
    assert!(
        !html.contains("Aapo") && !html.contains("Bella"),
        "coordinators see no client names"
    );
    assert!(
        !html.contains("<script") && !html.contains(" style="),
        "CSP-ready"
    );
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
        "no external assets"
    );
}

#[tokio::test]
async fn a_coach_sees_its_own_caseload_by_name_and_what_it_types_is_escaped() {
    let app = spawn_app().await;
    let s = seed(&app).await;
    client(&app, &s.ben, "<b>Bold</b> & co", "2025-06-01").await;

    let (status, aino_page) = page(&app, "/dashboard", &s.aino).await;
    let (_, ben_page) = page(&app, "/dashboard", &s.ben).await;

    assert_eq!(status, 200);
    assert!(aino_page.contains("Aapo Asiakas") && aino_page.contains("Arvo Asiakas"));
    assert!(!aino_page.contains("Bertta"), "no other coach's client");
    assert!(
        ben_page.contains("&#60;b&#62;Bold&#60;/b&#62; &#38; co"),
        "escaped"
    );
    assert!(!ben_page.contains("<b>Bold"));
}

#[tokio::test]
async fn every_table_downloads_as_csv_for_finnish_excel_and_as_xlsx_with_the_api_figures() {
    let app = spawn_app().await;
    let s = seed(&app).await;
    let funnel: Value = app
        .get(
            &format!("/api/v1/funnel?from={FROM}&to={TO}"),
            &s.coordinator,
        )
        .await
        .json()
        .await
        .unwrap();
    let fidelity: Value = app
        .get(
            &format!("/api/v1/fidelity?from={FROM}&to={TO}"),
            &s.coordinator,
        )
        .await
        .json()
        .await
        .unwrap();

    let r = export(&app, &s.coordinator, "cohort_funnel.csv").await;
    assert!(r.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert_eq!(
        r.headers()[CONTENT_DISPOSITION],
        format!(r#"attachment; filename="kohorttisuppilo_{FROM}_{TO}.csv""#)
    );
    let rows = excel_csv(&r.bytes().await.unwrap());
    assert_eq!(
        rows[0],
        [
            "Vaihe",
            "Asiakkaita",
            "Osuus kohortista (%)",
            "Edellisestä vaiheesta (%)"
        ]
    );
    let steps = funnel["cohort_funnel"].as_array().unwrap();
    assert_eq!(rows.len(), steps.len() + 1);
    for (row, step) in rows[1..].iter().zip(steps) {
        assert_eq!(row[1], step["clients"].to_string());
        assert_eq!(row[2], csv_percent(&step["share_of_cohort"]));
        assert_eq!(row[3], csv_percent(&step["from_previous"]));
    }

    let rows = excel_csv(
        &export(&app, &s.coordinator, "stages.csv")
            .await
            .bytes()
            .await
            .unwrap(),
    );
    for stage in funnel["stages"].as_array().unwrap() {
        let label = match stage["stage"].as_str().unwrap() {
            "employed" => "Aloittanut työn tai jakson",
            "job_search" => "Nopea työnhaku",
            _ => continue,
        };
        let row = rows.iter().find(|r| r[0] == label).unwrap();
        assert_eq!(row[1], stage["clients"].to_string(), "{label}");
    }

    let rows = excel_csv(
        &export(&app, &s.coordinator, "fidelity.csv")
            .await
            .bytes()
            .await
            .unwrap(),
    );
    for (row, item) in rows[1..].iter().zip(fidelity["items"].as_array().unwrap()) {
        let raw = item["raw"]
            .as_f64()
            .map(|x| format!("{x:.1}").replace('.', ","))
            .unwrap_or_default();
        assert_eq!(row[2], raw, "{}", item["item"]);
        assert_eq!(row[4], item["n"].to_string());
        assert_eq!(
            row[5],
            item["score"]
                .as_u64()
                .map(|s| s.to_string())
                .unwrap_or_default()
        );
    }

    let rows = excel_csv(
        &export(&app, &s.coordinator, "quarters.csv")
            .await
            .bytes()
            .await
            .unwrap(),
    );
    for (row, q) in rows[1..]
        .iter()
        .zip(funnel["outcomes"]["quarters"].as_array().unwrap())
    {
        assert_eq!(row[1], q["out_of_work_at_entry"].to_string());
        assert_eq!(row[2], q["competitively_employed"].to_string());
        assert_eq!(row[3], csv_percent(&q["rate"]));
    }

    let r = export(&app, &s.coordinator, "cohort_funnel.xlsx").await;
    assert_eq!(
        r.headers()[CONTENT_DISPOSITION],
        format!(r#"attachment; filename="kohorttisuppilo_{FROM}_{TO}.xlsx""#)
    );
    let bytes = r.bytes().await.unwrap().to_vec();
    let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(rows[0][0], Data::String("Vaihe".into()));
    for (row, step) in rows[1..].iter().zip(steps) {
        assert_eq!(row[1], Data::Float(step["clients"].as_f64().unwrap()));
        match step["share_of_cohort"].as_f64() {
            Some(share) => assert_eq!(row[2], Data::Float(share)),
            None => assert_eq!(row[2], Data::Empty),
        }
    }

    for table in [
        "cohort_placements",
        "placement_path",
        "outcomes",
        "time_in_stage",
        "alerts",
        "coaches",
    ] {
        export(&app, &s.coordinator, &format!("{table}.csv")).await;
        export(&app, &s.coordinator, &format!("{table}.xlsx")).await;
    }
    let caseload = app
        .get(
            &format!("/dashboard/export/caseload.csv?from={FROM}&to={TO}"),
            &s.coordinator,
        )
        .await;
    assert_eq!(caseload.status(), 404, "no client list for coordinators");
    let own = export(&app, &s.aino, "caseload.csv").await;
    assert!(own.text().await.unwrap().contains("Aapo Asiakas"));
    let unknown = app
        .get("/dashboard/export/stages.pdf", &s.coordinator)
        .await;
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn a_bad_period_in_an_export_address_gives_the_form_with_the_error() {
    let app = spawn_app().await;
    let coordinator = app.token(Role::Coordinator, None).await;

    let r = app
        .get(
            "/dashboard/export/stages.csv?from=2026-02-01&to=2026-01-01",
            &coordinator,
        )
        .await;

    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"class="error-summary""#));
    assert!(html.contains("Alkupäivän on oltava sama tai aikaisempi kuin loppupäivä"));
}

#[tokio::test]
async fn stylesheets_are_served_by_the_service_and_cached_by_their_version() {
    let app = spawn_app().await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let (_, html) = page(&app, "/dashboard", &coordinator).await;
    let href = html
        .split(r#"<link rel="stylesheet" href=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();

    let r = app.client.get(app.url(&href)).send().await.unwrap();

    assert!(href.starts_with("/static/suomifi-tokens.css?v="), "{href}");
    assert_eq!(r.status(), 200);
    assert!(r.headers()[CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    assert!(r.headers()["cache-control"]
        .to_str()
        .unwrap()
        .contains("max-age=31536000"));
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let css = r.text().await.unwrap();
    assert!(css.contains("--fi-color-brand-base"));
    assert!(
        css.contains("MIT License"),
        "the licence travels with the tokens"
    );
    let again = app
        .client
        .get(app.url(&href))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    let missing = app
        .client
        .get(app.url("/static/nothing.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
}

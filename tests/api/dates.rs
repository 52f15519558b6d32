//! Every date the service takes, in a query string or a body, lies between 1900-01-01 and
//! 2100-12-31: anything else is a 422 naming the field, never a panic.

use kohtaamo::domain::Role;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};

async fn error_of(r: reqwest::Response) -> (u16, Value) {
    let status = r.status().as_u16();
    let body: Value = r.json().await.expect("error bodies are JSON");
    (status, body["error"].clone())
}

const OUT_OF_RANGE: [&str; 4] = ["+262142-12-31", "0001-01-01", "1899-12-31", "2101-01-01"];

#[tokio::test]
async fn report_dates_out_of_range_are_422_naming_the_parameter() {
    let app = spawn_app().await;
    let coordinator = app.token(Role::Coordinator, None).await;
    for report in ["funnel", "fidelity"] {
        for field in ["from", "to"] {
            for date in OUT_OF_RANGE {
                let path = format!("/api/v1/{report}?{field}={}", date.replace('+', "%2B"));
                let (status, err) = error_of(app.get(&path, &coordinator).await).await;
                assert_eq!(status, 422, "{path}");
                assert_eq!(err["field"], field, "{path}");
                assert!(
                    err["message"].as_str().unwrap().contains("2100-12-31"),
                    "{path}: {err}"
                );
            }
        }
    }
}

#[tokio::test]
async fn report_dates_at_the_edges_of_the_range_are_answered() {
    let app = spawn_app().await;
    let coordinator = app.token(Role::Coordinator, None).await;
    for query in [
        "to=2100-12-31",
        "from=2100-01-01&to=2100-12-31",
        "to=1900-01-01",
        "from=1900-01-01&to=1900-12-31",
    ] {
        for report in ["funnel", "fidelity"] {
            let path = format!("/api/v1/{report}?{query}");
            assert_eq!(app.get(&path, &coordinator).await.status(), 200, "{path}");
        }
    }
}

#[tokio::test]
async fn a_report_from_after_its_to_is_422() {
    let app = spawn_app().await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let (status, err) = error_of(
        app.get("/api/v1/funnel?from=2026-02-01&to=2026-01-01", &coordinator)
            .await,
    )
    .await;
    assert_eq!((status, err["field"].as_str()), (422, Some("from")));
}

async fn dashboard(app: &TestApp, token: &str, query: &str) -> (u16, String, String) {
    let r = app.get(&format!("/dashboard?{query}"), token).await;
    let status = r.status().as_u16();
    let content_type = r.headers()["content-type"].to_str().unwrap().to_string();
    (status, content_type, r.text().await.unwrap())
}

#[tokio::test]
async fn the_dashboard_shows_a_bad_period_in_the_page() {
    let app = spawn_app().await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let coach = app.token(Role::Coach, None).await;
    for token in [&coordinator, &coach] {
        for (query, field) in [
            ("to=%2B262142-12-31", "to"),
            ("from=0001-01-01&to=2026-01-01", "from"),
            ("from=2026-02-01&to=2026-01-01", "from"),
        ] {
            let (status, content_type, html) = dashboard(&app, token, query).await;
            assert_eq!(status, 422, "{query}");
            assert!(
                content_type.starts_with("text/html"),
                "{query}: {content_type}"
            );
            assert!(html.contains(r#"class="error-summary""#), "{query}: {html}");
            assert!(html.contains(&format!(r##"href="#{field}""##)), "{query}");
            assert!(html.contains(&format!(r#"id="{field}-error""#)), "{query}");
            assert!(
                html.contains(r#"<form class="period""#),
                "the form is there to fix it"
            );
        }
    }
    let (status, _, html) = dashboard(&app, &coordinator, "to=2100-12-31").await;
    assert_eq!(status, 200);
    assert!(!html.contains(r#"class="error-summary""#));
}

#[tokio::test]
async fn body_dates_out_of_range_are_422_naming_the_field() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Oy").await;
    let r = app
        .post(
            "/api/v1/clients",
            &coach,
            &json!({"display_name": "A", "home_municipality": "Lahti"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let client = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    let vacancy =
        json!({"employer_id": employer, "title": "t", "description": "d", "municipality": "Lahti"});
    let task = vacancy.clone();
    let client_body = json!({"display_name": "A", "home_municipality": "Lahti"});
    let event = json!({"type": "engaged"});
    let contact = json!({"employer_id": employer, "at": "2025-01-01", "face_to_face": true});
    let cases: [(&str, &Value, &str); 7] = [
        ("/api/v1/vacancies", &vacancy, "valid_through"),
        ("/api/v1/vacancies", &vacancy, "date_posted"),
        ("/api/v1/tasks", &task, "starts_on"),
        ("/api/v1/tasks", &task, "ends_on"),
        ("/api/v1/clients", &client_body, "intake_date"),
        ("/api/v1/employer-contacts", &contact, "at"),
        ("events", &event, "at"),
    ];
    for (path, base, field) in cases {
        let path = if path == "events" {
            format!("/api/v1/clients/{client}/events")
        } else {
            path.to_string()
        };
        for date in OUT_OF_RANGE {
            let mut body = base.clone();
            body[field] = json!(date);
            let (status, err) = error_of(app.post(&path, &coach, &body).await).await;
            assert_eq!(status, 422, "{path} {field}={date}");
            assert_eq!(err["field"], field, "{path} {field}={date}");
        }
    }
    let mut body = vacancy.clone();
    body["valid_through"] = json!("2100-12-31");
    assert_eq!(
        app.post("/api/v1/vacancies", &coach, &body).await.status(),
        201
    );
}

#[tokio::test]
async fn the_dashboard_shows_a_malformed_parameter_in_the_page() {
    let app = spawn_app().await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let (status, content_type, html) =
        dashboard(&app, &coordinator, "from=2026-01-01&coach=abc").await;
    assert_eq!(status, 422);
    assert!(content_type.starts_with("text/html"));
    assert!(html.contains(r##"href="#coach""##), "{html}");
    assert!(
        html.contains(r#"value="2026-01-01""#),
        "the form keeps what was sent"
    );
}

#[tokio::test]
async fn an_unreadable_sign_in_form_is_shown_as_the_sign_in_page() {
    let app = spawn_app().await;
    let r = app
        .client
        .post(app.url("/signin"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!("next=%2Fdashboard&email={}", "a".repeat(70_000)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(r.text().await.unwrap().contains(r#"name="email""#));
}

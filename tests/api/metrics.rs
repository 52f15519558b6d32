//! `/metrics`: request counts and latencies by route pattern and status, the index's lag and
//! size, in the Prometheus text format, without a token and without any client data.

use kohtaamo::domain::Role;
use serde_json::json;

use crate::helpers::{spawn_app, TestApp};

pub async fn metrics(app: &TestApp) -> String {
    let r = app.client.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let content_type = r.headers()["content-type"].to_str().unwrap().to_string();
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );
    r.text().await.unwrap()
}

/// The value of the sample line that starts with `series` (name and labels).
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .map(|v| v.trim().parse().expect("a number"))
}

#[tokio::test]
async fn requests_are_counted_by_route_pattern_and_status_never_by_path() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let r = app
        .post(
            "/api/v1/clients",
            &coach,
            &json!({"display_name": "Salainen Testiasiakas", "home_municipality": "Lahti",
                "preferences": {"desired_work": "sukellusopettaja"}}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let id = r.json::<serde_json::Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();

    assert_eq!(
        app.get(&format!("/api/v1/clients/{id}"), &coach)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.get("/api/v1/clients/987654", &coach).await.status(),
        404
    );
    app.search(&coach, "sukellusopettaja").await;
    assert_eq!(
        app.get("/api/v1/no-such-thing-tiina", &coach)
            .await
            .status(),
        404
    );
    let text = metrics(&app).await;

    let route = r#"method="GET",route="/api/v1/clients/{id}""#;
    assert_eq!(
        sample(
            &text,
            &format!(r#"kohtaamo_http_requests_total{{{route},status="200"}}"#)
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(
            &text,
            &format!(r#"kohtaamo_http_requests_total{{{route},status="404"}}"#)
        ),
        Some(1.0)
    );
    assert_eq!(
        sample(
            &text,
            &format!(r#"kohtaamo_http_request_duration_seconds_count{{{route},status="200"}}"#)
        ),
        Some(1.0)
    );
    assert!(text.contains(&format!(
        r#"kohtaamo_http_request_duration_seconds_bucket{{{route},status="200",le="#
    )));
    assert!(
        text.contains(r#"route="/api/v1/search",status="200""#),
        "{text}"
    );
    assert!(text.contains(r#"route="unmatched",status="404""#), "{text}");
    for private in [
        "Salainen",
        "Testiasiakas",
        "sukellusopettaja",
        "987654",
        "tiina",
        &format!("/api/v1/clients/{id}\""),
        coach.as_str(),
    ] {
        assert!(!text.contains(private), "{private:?} in the metrics");
    }
}

#[tokio::test]
async fn the_index_lag_and_documents_are_shown() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Lahden Logistiikka Oy").await;
    app.vacancy(&coach, employer, "Varastotyöntekijä", "Keräilyä.", "Lahti")
        .await;

    let text = metrics(&app).await;

    assert_eq!(
        sample(&text, "kohtaamo_index_lag_changes"),
        Some(0.0),
        "{text}"
    );
    assert_eq!(sample(&text, "kohtaamo_database_up"), Some(1.0));
    // The vacancy and its employer (as a prospect).
    assert!(sample(&text, "kohtaamo_index_documents").unwrap() >= 1.0);
    assert!(sample(&text, "kohtaamo_change_log_seq").unwrap() >= 2.0);
    assert_eq!(
        sample(&text, r#"kohtaamo_ranker_model_info{version="default"}"#),
        Some(1.0)
    );
    assert!(text.contains("# TYPE kohtaamo_http_request_duration_seconds histogram"));
}

#[tokio::test]
async fn each_import_run_is_counted_by_kind_and_result_once_it_has_finished() {
    let app = spawn_app().await;
    let file = app.dir.path().join("vacancies.jsonl");
    let posted = kohtaamo::demo::job_postings(5, 3, 2);
    let mut lines = posted.clone();
    lines.push("{not a posting".into());
    std::fs::write(&file, lines.join("\n")).unwrap();
    let before = chrono::Utc::now().timestamp();

    // Act: the same file twice, by the command line, as a separate process each time.
    for _ in 0..2 {
        crate::cli::import_vacancies(&app.database_url(), &app.index_dir(), &file);
    }
    let text = metrics(&app).await;

    // Assert: 4 lines read per run; inserted by the first, updated by the second.
    let lines = |result: &str| {
        sample(
            &text,
            &format!(r#"kohtaamo_import_lines_total{{kind="vacancies",result="{result}"}}"#),
        )
    };
    assert_eq!(lines("read"), Some(8.0), "{text}");
    assert_eq!(lines("inserted"), Some(3.0));
    assert_eq!(lines("updated"), Some(3.0));
    assert_eq!(lines("rejected"), Some(2.0));
    assert_eq!(
        sample(
            &text,
            r#"kohtaamo_import_runs_total{kind="vacancies",state="finished"}"#
        ),
        Some(2.0)
    );
    let finished = sample(
        &text,
        r#"kohtaamo_import_last_finished_timestamp_seconds{kind="vacancies"}"#,
    )
    .expect("last finished") as i64;
    assert!(
        (before..=chrono::Utc::now().timestamp()).contains(&finished),
        "{finished}"
    );
    assert!(text.contains("# TYPE kohtaamo_import_lines_total counter"));
    // Nothing of the lines themselves: no title, no employer.
    for line in &posted {
        let ad: serde_json::Value = serde_json::from_str(line).unwrap();
        for said in [&ad["title"], &ad["hiringOrganization"]["name"]] {
            let said = said.as_str().expect("the generated ad says it");
            assert!(!text.contains(said), "{said} in {text}");
        }
    }
}

//! `/ready` tells whether the node can serve: the database answers, the index has caught up
//! with the change log, the ranker is usable; `/health` stays liveness only.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::helpers::{settings, spawn_app, spawn_app_with, TestApp};

/// `/ready`'s status and body.
async fn ready(app: &TestApp) -> (u16, Value) {
    let r = app.client.get(app.url("/ready")).send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

/// Asks `/ready` until it is 200 (the index is built in the background at start).
pub async fn until_ready(app: &TestApp) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, body) = ready(app).await;
        if status == 200 {
            return body;
        }
        assert!(Instant::now() < deadline, "never ready: {body}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

#[tokio::test]
async fn ready_answers_200_without_a_token_when_every_check_passes() {
    let app = spawn_app().await;

    let body = until_ready(&app).await;

    assert_eq!(body["status"], "ready");
    assert!(body.get("error").is_none(), "{body}");
    let checks = &body["checks"];
    assert_eq!(checks["database"]["ok"], true);
    assert_eq!(checks["index"]["ok"], true);
    assert_eq!(checks["index"]["lag"], 0);
    assert_eq!(checks["index"]["max_lag"], 1000);
    assert_eq!(checks["model"]["ok"], true);
    assert_eq!(checks["model"]["version"], "default");
    assert_eq!(checks["funnel"]["ok"], true);
}

/// An import by another process lands in the database first; until the index follows it, a
/// node whose index may be at most 0 changes behind is not ready, and says why.
#[tokio::test]
async fn ready_is_503_naming_the_index_while_it_lags_behind_an_import() {
    let dir = crate::helpers::test_dir();
    let mut s = settings(dir.path());
    s.ready_max_lag = 0;
    // The index looks for other processes' writes only when told (by an API write) here, so
    // the lag stays until the test ends it.
    s.index_poll = Duration::from_secs(3600);
    s.change_notices = false;
    let app = spawn_app_with(dir, s).await;
    until_ready(&app).await;
    let coach = app.token(kohtaamo::domain::Role::Coach, None).await;

    let store = kohtaamo::store::Store::open(&app.database_url())
        .await
        .unwrap();
    let line = json!({"identifier": "r1", "title": "Varastotyöntekijä", "description": "Keräilyä.",
        "hiringOrganization": {"name": "Varasto Oy"}})
    .to_string();
    let report = kohtaamo::import::import_vacancies(&store, line.as_bytes(), |_| {})
        .await
        .unwrap();
    store.close().await;
    assert_eq!(report.imported, 1);

    let (status, body) = ready(&app).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["status"], "not_ready");
    assert_eq!(body["error"]["code"], "not_ready");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("index: "), "{message}");
    assert!(message.contains("behind"), "{message}");
    assert_eq!(body["checks"]["database"]["ok"], true);
    assert_eq!(body["checks"]["index"]["ok"], false);
    assert!(
        body["checks"]["index"]["lag"].as_i64().unwrap() >= 1,
        "{body}"
    );
    assert_eq!(body["checks"]["model"]["ok"], true);
    let health = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(
        health.status(),
        200,
        "liveness does not depend on the index"
    );

    // A write through the API wakes the index, which then takes the import in too.
    app.employer(&coach, "Herättäjä Oy").await;
    let body = until_ready(&app).await;
    assert_eq!(body["checks"]["index"]["lag"], 0);
}

use serde_json::Value;

use crate::helpers::spawn_app;

#[tokio::test]
async fn health_answers_ok_without_a_token() {
    let app = spawn_app().await;
    let r = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let body = r.json::<Value>().await.unwrap();
    assert_eq!(body["status"], "ok");
    let expected = match kohtaamo::search::Analyser::choose(None).unwrap() {
        kohtaamo::search::Analyser::Voikko => "voikko",
        kohtaamo::search::Analyser::Snowball => "snowball",
    };
    assert_eq!(body["analyser"], expected);
}

/// CI installs Voikko (`.ci/run` sets `KOHTAAMO_REQUIRE_VOIKKO=1`): there, a missing library
/// or dictionary fails the run instead of silently testing the fallback.
#[tokio::test]
async fn voikko_is_present_where_it_is_required() {
    if std::env::var("KOHTAAMO_REQUIRE_VOIKKO").is_ok_and(|v| v == "1") {
        kohtaamo::search::voikko::Voikko::get().expect("Voikko must be installed here");
        let app = spawn_app().await;
        let body: Value = app
            .client
            .get(app.url("/health"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(body["analyser"], "voikko");
    }
}

/// Without Voikko (forced here) the service runs on Snowball stems, says so, and still finds
/// inflected words and parts of compounds.
#[tokio::test]
async fn the_snowball_fallback_still_searches_finnish() {
    let dir = crate::helpers::test_dir();
    let mut settings = crate::helpers::settings(dir.path());
    settings.analyser = Some("snowball".into());
    let app = crate::helpers::spawn_app_with(dir, settings).await;
    let body: Value = app
        .client
        .get(app.url("/health"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["analyser"], "snowball");
    let coach = app.token(kohtaamo::domain::Role::Coach, None).await;
    let employer = app.employer(&coach, "Lahden Logistiikka Oy").await;
    app.vacancy(
        &coach,
        employer,
        "Varastotyöntekijä",
        "Keräilyä ja pakkaamista.",
        "Lahti",
    )
    .await;
    let r = app
        .search_until(&coach, "varastossa", |r| r["total"] == 1)
        .await;
    assert_eq!(r["hits"][0]["title"], "Varastotyöntekijä");
}

#[tokio::test]
async fn openapi_document_describes_the_contract_paths() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let doc: Value = r.json().await.unwrap();
    let paths = doc["paths"].as_object().expect("paths");
    for path in [
        "/health",
        "/api/v1/employers",
        "/api/v1/vacancies",
        "/api/v1/vacancies/{id}",
        "/api/v1/tasks",
        "/api/v1/tasks/{id}",
        "/api/v1/clients",
        "/api/v1/clients/{id}",
        "/api/v1/search",
    ] {
        assert!(paths.contains_key(path), "{path} missing from OpenAPI");
    }
    assert!(doc["components"]["schemas"]["VacancyInput"].is_object());
}

#[tokio::test]
async fn api_docs_page_is_served_without_internet() {
    let app = spawn_app().await;
    let r = app.client.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "docs page: {html}");
    assert!(
        !html.contains("https://"),
        "the docs page must not load anything from the internet"
    );
}

#[tokio::test]
async fn unknown_endpoint_is_a_json_404() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(app.url("/api/v1/nothing-here"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}

/// Every `$ref` string in `value`.
fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(o) => {
            for (k, v) in o {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn every_reference_in_the_openapi_document_resolves() {
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
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(!found.is_empty());
    let broken: Vec<&String> = found
        .iter()
        .filter(|r| {
            let Some(pointer) = r.strip_prefix('#') else {
                return true;
            };
            doc.pointer(pointer).is_none()
        })
        .collect();
    assert!(broken.is_empty(), "unresolved references: {broken:?}");
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = spawn_app().await;
    let coach = app.token(kohtaamo::domain::Role::Coach, None).await;
    let mut seen = Vec::new();
    for (path, token, status) in [
        ("/health", "", 200),
        ("/api/v1/vacancies", coach.as_str(), 200),
        ("/api/v1/vacancies", "bad-token", 401),
        ("/api/v1/vacancies/9", coach.as_str(), 404),
        ("/api/v1/search?limit=0", coach.as_str(), 422),
        ("/api/v1/nothing-here", coach.as_str(), 404),
    ] {
        let r = app.get(path, token).await;
        assert_eq!(r.status(), status, "{path}");
        let id = r.headers()["x-request-id"].to_str().unwrap().to_string();
        assert_eq!(id.len(), 32, "{path}: {id}");
        seen.push(id);
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 6, "a new id for every request");
    let r = app
        .client
        .get(app.url("/health"))
        .header("x-request-id", "caller-7f3a")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "caller-7f3a");
}

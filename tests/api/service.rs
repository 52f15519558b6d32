use serde_json::Value;

use crate::helpers::spawn_app;

#[tokio::test]
async fn health_answers_ok_without_a_token() {
    let app = spawn_app().await;
    let r = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.json::<Value>().await.unwrap(),
        serde_json::json!({"status": "ok"})
    );
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

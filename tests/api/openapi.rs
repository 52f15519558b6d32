//! The OpenAPI document as served at `/api/v1/openapi.json`: every reference resolves, and
//! every operation lists the error statuses it can answer with, each with the error body.
//! (Its validity against the OpenAPI 3.1 schema is checked by `openapi-spec-validator` in
//! `schemathesis.rs`, beside the schemathesis run.)

use serde_json::Value;

use crate::helpers::spawn_app;

async fn document() -> Value {
    let app = spawn_app().await;
    let r = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
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

/// `value`, or what it refers to.
fn resolved<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str() {
        Some(r) => doc
            .pointer(r.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("{r} does not resolve")),
        None => value,
    }
}

/// (method, path, operation) of every operation.
fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().unwrap() {
            out.push((method.to_uppercase(), path.clone(), op));
        }
    }
    out
}

#[tokio::test]
async fn every_reference_in_the_document_resolves() {
    let doc = document().await;
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(found.len() > 100, "only {} references", found.len());
    let broken: Vec<&String> = found
        .iter()
        .filter(|r| {
            r.strip_prefix('#')
                .is_none_or(|pointer| doc.pointer(pointer).is_none())
        })
        .collect();
    assert!(broken.is_empty(), "unresolved references: {broken:?}");
}

#[tokio::test]
async fn every_operation_lists_the_error_statuses_it_can_answer_with() {
    let doc = document().await;
    let mut missing = Vec::new();
    for (method, path, op) in operations(&doc) {
        let takes_token = op["security"]
            .as_array()
            .is_some_and(|s| s.iter().any(|r| r.get("bearer").is_some()));
        let takes_id = op["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["in"] == "path"));
        let takes_body = op.get("requestBody").is_some();
        let takes_query = op["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["in"] == "query"));
        let mut due = Vec::new();
        if takes_token {
            due.extend(["401", "429"]);
        }
        if takes_id {
            due.push("404");
        }
        if takes_body {
            due.extend(["400", "413", "422"]);
        }
        if takes_query {
            due.push("422");
        }
        for status in due {
            let response = &op["responses"][status];
            if response.is_null() {
                missing.push(format!("{method} {path}: no {status}"));
                continue;
            }
            let response = resolved(&doc, response);
            let schema = &response["content"]["application/json"]["schema"]["$ref"];
            if schema != "#/components/schemas/ErrorBody" {
                missing.push(format!("{method} {path}: {status} without the error body"));
            }
        }
        if takes_token {
            let retry = &resolved(&doc, &op["responses"]["429"])["headers"]["Retry-After"];
            if !retry.is_object() {
                missing.push(format!("{method} {path}: 429 without Retry-After"));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[tokio::test]
async fn every_api_operation_takes_a_token_and_the_service_endpoints_none() {
    let doc = document().await;
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    for (method, path, op) in operations(&doc) {
        let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
        assert_eq!(
            secured,
            path.starts_with("/api/v1/"),
            "{method} {path}: security {}",
            op["security"]
        );
    }
}

#[tokio::test]
async fn parameters_state_their_bounds_and_place() {
    let doc = document().await;
    let param = |path: &str, name: &str| -> Value {
        let op = &doc["paths"][path]["get"];
        op["parameters"]
            .as_array()
            .unwrap_or_else(|| panic!("{path} has parameters"))
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{path} has {name}"))
            .clone()
    };
    for path in [
        "/api/v1/search",
        "/api/v1/vacancies",
        "/api/v1/clients",
        "/api/v1/access-log",
    ] {
        let limit = param(path, "limit");
        assert_eq!(limit["in"], "query", "{path}");
        assert_eq!(limit["schema"]["minimum"], 1, "{path}");
        assert_eq!(limit["schema"]["maximum"], 100, "{path}");
    }
    assert_eq!(param("/api/v1/search", "q")["schema"]["maxLength"], 500);
    let kind = resolved(&doc, &param("/api/v1/search", "kind")["schema"]).clone();
    assert_eq!(kind["enum"], serde_json::json!(["vacancy", "task"]));
    let id = &doc["paths"]["/api/v1/vacancies/{id}"]["get"]["parameters"];
    assert_eq!(id.as_array().unwrap().len(), 1, "one id parameter: {id}");
    assert_eq!(id[0]["in"], "path");
    assert_eq!(id[0]["example"], 1);

    // Days are bounded in the document as in the parsers (schemathesis tries the pattern's
    // edges against the service).
    let day = resolved(&doc, &param("/api/v1/funnel", "from")["schema"]).clone();
    let pattern = day["pattern"].as_str().expect("a day has a pattern");
    assert!(
        pattern.starts_with("^(?:(?:19[0-9]{2}|20[0-9]{2}|2100)-"),
        "{pattern}"
    );
    assert!(day["description"]
        .as_str()
        .unwrap()
        .contains("1900-01-01 to 2100-12-31"));
}

#[tokio::test]
async fn request_bodies_have_examples_and_patches_their_own_schemas() {
    let doc = document().await;
    for (method, path, op) in operations(&doc) {
        let Some(body) = op.get("requestBody") else {
            continue;
        };
        let json = &body["content"]["application/json"];
        assert!(json["example"].is_object(), "{method} {path}: no example");
        if method == "PATCH" {
            let schema = resolved(&doc, &json["schema"]);
            assert!(
                schema["required"].as_array().is_none_or(|r| r.is_empty()),
                "{method} {path}: a merge patch requires nothing"
            );
            assert_eq!(schema["additionalProperties"], false, "{method} {path}");
        }
    }
}

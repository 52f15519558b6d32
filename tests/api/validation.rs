use kohtaamo::domain::Role;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};

async fn error_of(r: reqwest::Response) -> (u16, Value) {
    let status = r.status().as_u16();
    let body: Value = r.json().await.expect("error bodies are JSON");
    (status, body["error"].clone())
}

async fn setup() -> (TestApp, String, i64) {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Oy").await;
    (app, coach, employer)
}

#[tokio::test]
async fn broken_json_is_a_400_with_a_message() {
    let (app, coach, _) = setup().await;
    let (status, err) = error_of(
        app.post_raw("/api/v1/vacancies", &coach, "{\"title\": ")
            .await,
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(err["code"], "invalid_json");
    assert!(err["message"].as_str().unwrap().contains("JSON"));
    let (status, _) = error_of(app.post_raw("/api/v1/vacancies", &coach, "").await).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn wrong_types_and_missing_fields_name_the_field() {
    let (app, coach, employer) = setup().await;
    let (status, err) = error_of(
        app.post("/api/v1/vacancies", &coach, &json!({"employer_id": employer, "title": 7, "description": "d", "municipality": "Lahti"}))
            .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(err["field"], "title");

    let (status, err) = error_of(
        app.post(
            "/api/v1/vacancies",
            &coach,
            &json!({"employer_id": employer, "title": "t", "municipality": "Lahti"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(err["field"], "description");

    let (_, err) = error_of(
        app.post("/api/v1/clients", &coach, &json!({"display_name": "A", "home_municipality": "Lahti", "preferences": {"max_commute_km": "far"}}))
            .await,
    )
    .await;
    assert_eq!(err["field"], "preferences.max_commute_km");
}

#[tokio::test]
async fn empty_oversized_and_out_of_range_fields_are_422() {
    let (app, coach, employer) = setup().await;
    let base = json!({"employer_id": employer, "title": "Siivooja", "description": "Siivousta.", "municipality": "Lahti"});
    let cases = [
        ("title", json!("   "), "title"),
        ("title", json!("x".repeat(201)), "title"),
        ("municipality", json!(""), "municipality"),
        ("valid_through", json!("31.12.2026"), "valid_through"),
        ("occupation_code", json!("siivous"), "occupation_code"),
        (
            "hours_per_week",
            json!({"min": 30, "max": 10}),
            "hours_per_week.min",
        ),
        ("hours_per_week", json!({"max": 200}), "hours_per_week.max"),
        ("employment_type", json!("SOMETIMES"), "employment_type"),
        ("language", json!("finnish"), "language"),
        ("employer_id", json!(999_999), "employer_id"),
    ];
    for (key, value, field) in cases {
        let mut body = base.clone();
        body[key] = value.clone();
        let (status, err) = error_of(app.post("/api/v1/vacancies", &coach, &body).await).await;
        assert_eq!(status, 422, "{key} = {value}");
        assert_eq!(err["field"], field, "{key} = {value}");
        assert_eq!(err["code"], "validation_failed");
    }
    let list: Value = app
        .get("/api/v1/vacancies", &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 0, "nothing invalid was stored");
}

#[tokio::test]
async fn task_and_client_rules_are_checked() {
    let (app, coach, employer) = setup().await;
    let (status, err) = error_of(
        app.post("/api/v1/tasks", &coach, &json!({"employer_id": employer, "title": "T", "description": "D", "municipality": "Lahti",
            "starts_on": "2026-12-10", "ends_on": "2026-12-01"}))
            .await,
    )
    .await;
    assert_eq!((status, err["field"].as_str()), (422, Some("ends_on")));
    let (_, err) = error_of(
        app.post("/api/v1/tasks", &coach, &json!({"employer_id": employer, "title": "T", "description": "D", "municipality": "Lahti", "site": "moon"}))
            .await,
    )
    .await;
    assert_eq!(err["field"], "site");
    let (_, err) = error_of(
        app.post("/api/v1/clients", &coach, &json!({"display_name": "A", "home_municipality": "Lahti", "intake_date": "2999-01-01"}))
            .await,
    )
    .await;
    assert_eq!(err["field"], "intake_date");
    let (_, err) = error_of(
        app.post("/api/v1/clients", &coach, &json!({"display_name": "A", "home_municipality": "Lahti", "preferences": {"occupations": ["4321", "x"]}}))
            .await,
    )
    .await;
    assert_eq!(err["field"], "preferences.occupations[1]");
}

#[tokio::test]
async fn oversized_body_is_a_413() {
    let (app, coach, employer) = setup().await;
    let body = json!({"employer_id": employer, "title": "t", "description": "x".repeat(2 * 1024 * 1024), "municipality": "Lahti"});
    let (status, err) = error_of(app.post("/api/v1/vacancies", &coach, &body).await).await;
    assert_eq!(status, 413);
    assert_eq!(err["code"], "payload_too_large");
}

#[tokio::test]
async fn unknown_and_malformed_ids_are_404() {
    let (app, coach, _) = setup().await;
    for path in [
        "/api/v1/vacancies/424242",
        "/api/v1/vacancies/abc",
        "/api/v1/tasks/9",
        "/api/v1/clients/9",
        "/api/v1/employers/9",
    ] {
        let (status, err) = error_of(app.get(path, &coach).await).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(err["code"], "not_found");
    }
    let (status, _) = error_of(
        app.patch("/api/v1/vacancies/424242", &coach, &json!({"title": "x"}))
            .await,
    )
    .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn duplicate_external_id_is_a_409() {
    let (app, coach, employer) = setup().await;
    let body = json!({"employer_id": employer, "title": "t", "description": "d", "municipality": "Lahti", "external_id": "same"});
    assert_eq!(
        app.post("/api/v1/vacancies", &coach, &body).await.status(),
        201
    );
    let (status, err) = error_of(app.post("/api/v1/vacancies", &coach, &body).await).await;
    assert_eq!(status, 409);
    assert_eq!(err["code"], "conflict");
}

#[tokio::test]
async fn bad_query_parameters_are_422() {
    let (app, coach, _) = setup().await;
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=101", "limit"),
        ("kind=employer", "kind"),
        ("limit=abc", "limit"),
        ("offset=-1", "offset"),
        ("limit=5&limit=6", "limit"),
    ] {
        let (status, err) = error_of(
            app.get(&format!("/api/v1/search?q=x&{query}"), &coach)
                .await,
        )
        .await;
        assert_eq!(status, 422, "{query}");
        assert_eq!(err["code"], "invalid_parameter");
        assert_eq!(err["field"], field, "{query}");
    }
    for path in [
        "/api/v1/vacancies?offset=x",
        "/api/v1/tasks?status=maybe",
        "/api/v1/clients?limit=1e3",
        "/api/v1/employers?limit=%FF",
        "/api/v1/funnel?coach=abc",
        "/api/v1/clients/1/matches?kind=job",
        "/api/v1/employers/1/contacts?limit=many",
    ] {
        let (status, err) = error_of(app.get(path, &coach).await).await;
        assert_eq!(status, 422, "{path}");
        assert!(err["field"].is_string(), "{path}: {err}");
    }
    let (status, err) = error_of(app.get("/api/v1/vacancies?limit=1000", &coach).await).await;
    assert_eq!((status, err["field"].as_str()), (422, Some("limit")));
}

#[tokio::test]
async fn required_text_of_only_invisible_characters_is_422_naming_the_field() {
    let (app, coach, employer) = setup().await;
    let client = json!({"display_name": "A", "home_municipality": "Lahti"});
    let vacancy =
        json!({"employer_id": employer, "title": "t", "description": "d", "municipality": "Lahti"});
    let employer_body = json!({"name": "Oy"});
    let cases: [(&str, &Value, &str); 7] = [
        ("/api/v1/clients", &client, "display_name"),
        ("/api/v1/clients", &client, "home_municipality"),
        ("/api/v1/employers", &employer_body, "name"),
        ("/api/v1/vacancies", &vacancy, "title"),
        ("/api/v1/vacancies", &vacancy, "description"),
        ("/api/v1/vacancies", &vacancy, "municipality"),
        ("/api/v1/tasks", &vacancy, "title"),
    ];
    for (path, base, field) in cases {
        for blank in [
            "\u{200B}",
            "\u{FEFF}",
            "\u{00A0}",
            "\u{2060}",
            " \u{200B}\u{00A0} ",
        ] {
            let mut body = base.clone();
            body[field] = json!(blank);
            let (status, err) = error_of(app.post(path, &coach, &body).await).await;
            assert_eq!(status, 422, "{path} {field}={blank:?}");
            assert_eq!(err["field"], field, "{path} {field}={blank:?}");
        }
    }
    let list: Value = app
        .get("/api/v1/clients", &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        list["total"], 0,
        "no client without a visible name was stored"
    );
}

#[tokio::test]
async fn unknown_fields_in_request_bodies_are_422_naming_the_field() {
    let (app, coach, employer) = setup().await;
    let r = app
        .post(
            "/api/v1/clients",
            &coach,
            &json!({"display_name": "A", "home_municipality": "Lahti"}),
        )
        .await;
    let client = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let cases = [
        (
            "/api/v1/clients".to_string(),
            json!({"display_name": "A", "home_municipality": "Lahti", "preferences": {"desird_work": "varasto"}}),
            "preferences.desird_work",
        ),
        (
            "/api/v1/clients".to_string(),
            json!({"display_name": "A", "home_municipality": "Lahti", "preferences": {"hours_per_week": {"mni": 5}}}),
            "preferences.hours_per_week.mni",
        ),
        (
            "/api/v1/clients".to_string(),
            json!({"display_name": "A", "home_municipality": "Lahti", "diagnosis": "x"}),
            "diagnosis",
        ),
        (
            "/api/v1/vacancies".to_string(),
            json!({"employer_id": employer, "title": "t", "description": "d", "municipality": "Lahti", "valid_trough": "2026-12-31"}),
            "valid_trough",
        ),
        (
            "/api/v1/tasks".to_string(),
            json!({"employer_id": employer, "title": "t", "description": "d", "municipality": "Lahti", "groupsize": 3}),
            "groupsize",
        ),
        (
            "/api/v1/employers".to_string(),
            json!({"name": "Oy", "y_tunnus": "0112038-9"}),
            "y_tunnus",
        ),
        (
            format!("/api/v1/clients/{client}/events"),
            json!({"type": "engaged", "when": "2025-01-01"}),
            "when",
        ),
        (
            "/api/v1/employer-contacts".to_string(),
            json!({"employer_id": employer, "at": "2025-01-01", "face_to_face": true, "outcom": "x"}),
            "outcom",
        ),
        (
            format!("/api/v1/clients/{client}/feedback-requests"),
            json!({"placement_event_id": 1, "note": "x"}),
            "note",
        ),
    ];
    for (path, body, field) in cases {
        let (status, err) = error_of(app.post(&path, &coach, &body).await).await;
        assert_eq!(status, 422, "{path} {body}");
        assert_eq!(err["field"], field, "{path} {body}");
        assert!(
            err["message"].as_str().unwrap().contains("unknown field"),
            "{path}: {err}"
        );
    }
    let clients: Value = app
        .get("/api/v1/clients", &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(clients["total"], 1, "no client with a typo was stored");
}

#[tokio::test]
async fn unknown_fields_in_merge_patches_are_422_naming_the_field() {
    let (app, coach, employer) = setup().await;
    let vacancy = app.vacancy(&coach, employer, "t", "d", "Lahti").await;
    let vacancy = format!("/api/v1/vacancies/{}", vacancy["id"]);
    let r = app
        .post(
            "/api/v1/clients",
            &coach,
            &json!({"display_name": "A", "home_municipality": "Lahti"}),
        )
        .await;
    let client = format!("/api/v1/clients/{}", r.json::<Value>().await.unwrap()["id"]);
    let cases = [
        (
            &client,
            json!({"preferences": {"desird_work": "varasto"}}),
            "preferences.desird_work",
        ),
        (
            &client,
            json!({"preferences": {"desird_work": null}}),
            "preferences.desird_work",
        ),
        (&client, json!({"displayname": null}), "displayname"),
        (&vacancy, json!({"titel": "x"}), "titel"),
        (&vacancy, json!({"valid_trough": null}), "valid_trough"),
    ];
    for (path, patch, field) in cases {
        let (status, err) = error_of(app.patch(path, &coach, &patch).await).await;
        assert_eq!(status, 422, "{path} {patch}");
        assert_eq!(err["field"], field, "{path} {patch}");
    }
    // Removing a known field that is not set is still fine.
    let r = app
        .patch(
            &client,
            &coach,
            &json!({"preferences": {"desired_work": "varastotyö", "avoid": null}}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let r = app
        .patch(&vacancy, &coach, &json!({"valid_through": null}))
        .await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn a_method_a_path_does_not_take_gets_the_json_error_body() {
    let (app, coach, _) = setup().await;
    for (path, status, code) in [("/api/v1/vacancies", 405, "method_not_allowed")] {
        let r = app
            .client
            .put(app.url(path))
            .bearer_auth(&coach)
            .send()
            .await
            .unwrap();
        let (got, err) = error_of(r).await;
        assert_eq!((got, err["code"].as_str()), (status, Some(code)), "{path}");
        assert!(!err["message"].as_str().unwrap().is_empty());
    }
}

async fn get_with_query(
    app: &TestApp,
    token: &str,
    path: &str,
    query: &[(&str, String)],
) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .query(query)
        .bearer_auth(token)
        .send()
        .await
        .expect("a response, not a dropped connection")
}

/// Sends `request` as it is (reqwest refuses targets over 64 KiB) and returns the status and
/// the JSON body of the answer.
async fn raw(app: &TestApp, request: String) -> (u16, Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = app.address.trim_start_matches("http://").to_string();
    let mut socket = tokio::net::TcpStream::connect(&host).await.unwrap();
    socket.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    socket.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer);
    let status = answer
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("an HTTP answer: {answer:?}"));
    assert!(
        answer.to_ascii_lowercase().contains("x-request-id: "),
        "{answer}"
    );
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    let body = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {answer}"));
    (status, body)
}

#[tokio::test]
async fn oversized_query_strings_get_the_json_error_body() {
    let (app, coach, _) = setup().await;
    let (status, err) =
        error_of(get_with_query(&app, &coach, "/api/v1/search", &[("q", "a".repeat(1_000))]).await)
            .await;
    assert_eq!((status, err["field"].as_str()), (422, Some("q")));
    // Long, but within what the HTTP parser takes: answered on the kept-alive connection.
    for (param, size) in [("q", 10_000), ("municipality", 60_000)] {
        let (status, err) = error_of(
            get_with_query(&app, &coach, "/api/v1/search", &[(param, "a".repeat(size))]).await,
        )
        .await;
        assert_eq!(status, 414, "{param} of {size} bytes");
        assert_eq!(err["code"], "uri_too_long", "{param} of {size} bytes");
        assert!(!err["message"].as_str().unwrap().is_empty());
    }
    // Longer than the HTTP parser takes.
    for (path, size) in [
        ("/api/v1/search?q=", 100_000),
        ("/api/v1/search?q=", 200_000),
        ("/api/v1/funnel?from=", 100_000),
        ("/dashboard?from=", 100_000),
    ] {
        let request = format!(
            "GET {path}{} HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {coach}\r\n\r\n",
            "a".repeat(size)
        );
        let (status, body) = raw(&app, request).await;
        assert_eq!(status, 414, "{path} {size}");
        assert_eq!(body["error"]["code"], "uri_too_long", "{path} {size}");
    }
    // The service goes on answering, on the same client's kept-alive connections too.
    app.search(&coach, "varasto").await;
}

#[tokio::test]
async fn oversized_headers_get_the_json_error_body() {
    let (app, coach, _) = setup().await;
    let request = format!(
        "GET /api/v1/vacancies HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {coach}\r\ncookie: {}\r\n\r\n",
        "c".repeat(200_000)
    );
    let (status, body) = raw(&app, request).await;
    assert_eq!(status, 431);
    assert_eq!(body["error"]["code"], "request_header_fields_too_large");
    assert_eq!(app.get("/api/v1/vacancies", &coach).await.status(), 200);
}

/// Sends `requests` in uneven pieces, as a slow client does, and returns the status lines of
/// the answers.
async fn exchange(app: &TestApp, requests: &str) -> Vec<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = app.address.trim_start_matches("http://").to_string();
    let mut socket = tokio::net::TcpStream::connect(&host).await.unwrap();
    for piece in requests.as_bytes().chunks(4_099) {
        socket.write_all(piece).await.unwrap();
    }
    let mut answer = String::new();
    socket.read_to_string(&mut answer).await.unwrap();
    answer
        .lines()
        .filter(|l| l.starts_with("HTTP/1.1 "))
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn chunked_and_long_bodies_arriving_in_pieces_reach_the_service_whole() {
    let (app, coach, employer) = setup().await;
    let body = |title: &str| {
        json!({"employer_id": employer, "title": title,
            "description": "x".repeat(40_000), "municipality": "Lahti"})
        .to_string()
    };
    let mut chunked = String::new();
    for piece in body("Chunked").as_bytes().chunks(7_777) {
        chunked.push_str(&format!("{:x};ext=1\r\n", piece.len()));
        chunked.push_str(std::str::from_utf8(piece).unwrap());
        chunked.push_str("\r\n");
    }
    chunked.push_str("0\r\n\r\n");
    let head =
        format!("host: x\r\nconnection: close\r\nauthorization: Bearer {coach}\r\ncontent-type: application/json");
    // One request per connection: actix answers only the first of pipelined requests (the
    // guard's own tests cover pipelining).
    let request = format!(
        "POST /api/v1/vacancies HTTP/1.1\r\n{head}\r\ntransfer-encoding: chunked\r\n\r\n{chunked}"
    );
    assert_eq!(exchange(&app, &request).await, ["HTTP/1.1 201 Created"]);
    let long = body("Long");
    let request = format!(
        "POST /api/v1/vacancies HTTP/1.1\r\n{head}\r\ncontent-length: {}\r\n\r\n{long}",
        long.len()
    );
    assert_eq!(exchange(&app, &request).await, ["HTTP/1.1 201 Created"]);
    let list: Value = app
        .get("/api/v1/vacancies", &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 2);
    for item in list["items"].as_array().unwrap() {
        assert_eq!(item["description"].as_str().unwrap().len(), 40_000);
    }
}

//! Rate limits: repeated failed authentications per address and per account, and searches
//! and match lists per user, are answered 429 with `Retry-After` and the JSON error body.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use kohtaamo::api::{Rate, RateLimits};
use kohtaamo::domain::Role;
use serde_json::{json, Value};

use crate::helpers::{settings, spawn_app_with, unthrottled, TestApp};

/// The app with `limits`.
async fn spawn_limited(limits: RateLimits) -> TestApp {
    let dir = crate::helpers::test_dir();
    let mut s = settings(dir.path());
    s.rate_limits = limits;
    spawn_app_with(dir, s).await
}

/// The app allowing `failures` failed authentications a minute.
async fn spawn_with_auth_limit(failures: u32) -> TestApp {
    spawn_limited(RateLimits {
        auth_failures: Rate::per_minute(failures),
        ..unthrottled()
    })
    .await
}

/// A client whose requests come from `ip` (any address of 127.0.0.0/8 is this machine).
fn client_from(ip: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(ip.parse::<IpAddr>().unwrap())
        .build()
        .unwrap()
}

async fn get_as(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    token: &str,
) -> reqwest::Response {
    client
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

/// A token that does not exist, whose account (first 12 characters) is `kht_{account}`.
fn wrong_token(account: &str, n: u32) -> String {
    format!("kht_{account}{n:056x}")
}

/// Asserts a 429 with a whole-second `Retry-After` of at most `max` s and the JSON error
/// body; returns the seconds.
async fn assert_too_many(r: reqwest::Response, max: u64) -> u64 {
    assert_eq!(r.status(), 429);
    let secs: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=max).contains(&secs), "Retry-After {secs}");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "too_many_requests", "{body}");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("try again"));
    secs
}

#[tokio::test]
async fn repeated_bad_tokens_from_one_address_are_refused_with_retry_after() {
    let app = spawn_with_auth_limit(3).await;
    let coach = app.token(Role::Coach, None).await;
    let here = client_from("127.0.0.1");

    for (n, account) in ["0000000a", "0000000b", "0000000c"].iter().enumerate() {
        let r = get_as(
            &here,
            &app,
            "/api/v1/vacancies",
            &wrong_token(account, n as u32),
        )
        .await;
        assert_eq!(r.status(), 401);
    }
    let r = get_as(
        &here,
        &app,
        "/api/v1/vacancies",
        &wrong_token("0000000d", 9),
    )
    .await;

    assert_too_many(r, 60).await;
    // Until the limit allows another try, the address is refused whatever it sends, so a
    // right guess could not be told from a wrong one.
    let r = get_as(&here, &app, "/api/v1/vacancies", &coach).await;
    assert_too_many(r, 60).await;
    // Another address is not.
    let r = get_as(&client_from("127.0.0.2"), &app, "/api/v1/vacancies", &coach).await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn repeated_bad_tokens_for_one_account_are_refused_from_any_address() {
    let app = spawn_with_auth_limit(3).await;
    let coach = app.token(Role::Coach, None).await;

    for n in 2..=4u32 {
        let client = client_from(&format!("127.0.0.{n}"));
        let r = get_as(
            &client,
            &app,
            "/api/v1/vacancies",
            &wrong_token("0badc0de", n),
        )
        .await;
        assert_eq!(r.status(), 401);
    }
    let fifth = client_from("127.0.0.5");
    let r = get_as(
        &fifth,
        &app,
        "/api/v1/vacancies",
        &wrong_token("0badc0de", 5),
    )
    .await;

    assert_too_many(r, 60).await;
    // The address itself has failed once only: another account from it is served.
    let r = get_as(&fifth, &app, "/api/v1/vacancies", &coach).await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn an_address_is_served_again_after_retry_after() {
    let app = spawn_limited(RateLimits {
        auth_failures: Rate::per_second(2),
        ..unthrottled()
    })
    .await;
    let coach = app.token(Role::Coach, None).await;
    let here = client_from("127.0.0.1");
    for n in 0..2 {
        let r = get_as(
            &here,
            &app,
            "/api/v1/vacancies",
            &wrong_token("12345678", n),
        )
        .await;
        assert_eq!(r.status(), 401);
    }
    let secs = assert_too_many(
        get_as(
            &here,
            &app,
            "/api/v1/vacancies",
            &wrong_token("12345678", 2),
        )
        .await,
        1,
    )
    .await;

    tokio::time::sleep(Duration::from_secs(secs)).await;

    let r = get_as(&here, &app, "/api/v1/vacancies", &coach).await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn failed_sign_ins_are_limited_like_bad_tokens() {
    let app = spawn_with_auth_limit(2).await;
    let coach = app.token(Role::Coach, None).await;
    crate::sessions::person(&app, Role::Coach, "aino@example.fi").await;
    let mut browser = crate::sessions::Browser::new(&app);
    for _ in 0..2 {
        let r = browser
            .sign_in("aino@example.fi", "väärä salasana!!", "")
            .await;
        assert_eq!(r.status(), 401);
    }

    let r = browser
        .sign_in("aino@example.fi", "väärä salasana!!", "")
        .await;

    assert_eq!(r.status(), 429);
    assert!(r.headers().contains_key("retry-after"));
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Liian monta epäonnistunutta kirjautumista"),
        "{page}"
    );
    // The address is the same one the API sees.
    assert_too_many(app.get("/api/v1/vacancies", &coach).await, 60).await;
}

#[tokio::test]
async fn searches_and_match_lists_are_limited_per_user() {
    let app = spawn_limited(RateLimits {
        search: Rate::per_minute(1),
        search_burst: NonZeroU32::new(3).unwrap(),
        ..unthrottled()
    })
    .await;
    let coach = app.token(Role::Coach, None).await;
    let other = app.token(Role::Coach, None).await;
    let r = app
        .post(
            "/api/v1/clients",
            &coach,
            &json!({"display_name": "Asiakas A", "home_municipality": "Lahti", "preferences": {}}),
        )
        .await;
    let client: Value = r.json().await.unwrap();
    let matches = format!("/api/v1/clients/{}/matches", client["id"]);

    assert_eq!(
        app.get("/api/v1/search?q=varasto", &coach).await.status(),
        200
    );
    assert_eq!(
        app.get("/api/v1/search?q=kuski", &coach).await.status(),
        200
    );
    assert_eq!(app.get(&matches, &coach).await.status(), 200);

    assert_too_many(app.get("/api/v1/search?q=raksa", &coach).await, 60).await;
    assert_too_many(app.get(&matches, &coach).await, 60).await;
    // Other requests of the same user, and other users' searches, go on.
    assert_eq!(app.get("/api/v1/vacancies", &coach).await.status(), 200);
    assert_eq!(
        app.get("/api/v1/search?q=varasto", &other).await.status(),
        200
    );
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains(r#"kohtaamo_rate_limited_total{limit="search"} 2"#),
        "{metrics}"
    );
}

#[tokio::test]
async fn the_openapi_document_describes_the_limits_and_the_service_endpoints() {
    let app = crate::helpers::spawn_app().await;
    let doc: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    for path in ["/health", "/ready", "/metrics"] {
        assert!(doc["paths"][path]["get"].is_object(), "{path} missing");
    }
    assert!(doc["paths"]["/ready"]["get"]["responses"]["503"].is_object());
    for (path, method) in [
        ("/api/v1/search", "get"),
        ("/api/v1/clients/{id}/matches", "get"),
        ("/api/v1/vacancies", "post"),
    ] {
        let reference = doc["paths"][path][method]["responses"]["429"]["$ref"]
            .as_str()
            .unwrap_or_else(|| panic!("{path}: 429 is a reference"));
        let too_many = doc
            .pointer(reference.trim_start_matches('#'))
            .expect("the reference resolves");
        assert!(
            too_many["headers"]["Retry-After"].is_object(),
            "{path}: {too_many}"
        );
        assert_eq!(
            too_many["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ErrorBody"
        );
    }
    assert!(doc["paths"]["/health"]["get"]["responses"]["429"].is_null());
}

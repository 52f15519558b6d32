//! Accounts and API tokens: the admin API (`/api/v1/users`) and the `kohtaamo users`
//! commands. Tokens can be listed (never shown again), revoked and given an expiry; a
//! disabled user authenticates in no way.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use kohtaamo::domain::Role;
use kohtaamo::store::Store;
use serde_json::{json, Value};

use crate::cli::kohtaamo;
use crate::helpers::{spawn_app, TestApp};
use crate::sessions::Browser;

async fn json_of(r: reqwest::Response) -> (u16, Value) {
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

/// Creates an integration user through the admin API; returns (id, token).
async fn integration(app: &TestApp, admin: &str, name: &str) -> (i64, String) {
    let (status, body) = json_of(
        app.post(
            "/api/v1/users",
            admin,
            &json!({"name": name, "role": "coach"}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{body}");
    (
        body["user"]["id"].as_i64().unwrap(),
        body["token"]["token"].as_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn only_admins_manage_users_and_tokens() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let auditor = app.token(Role::Auditor, None).await;

    for token in [&coach, &auditor] {
        let (status, body) = json_of(app.get("/api/v1/users", token).await).await;
        assert_eq!(status, 403);
        assert_eq!(body["error"]["code"], "forbidden");
        let r = app
            .post(
                "/api/v1/users",
                token,
                &json!({"name": "X", "role": "admin"}),
            )
            .await;
        assert_eq!(r.status(), 403);
        assert_eq!(app.get("/api/v1/users/1/tokens", token).await.status(), 403);
        let r = app
            .patch("/api/v1/users/1", token, &json!({"disabled": true}))
            .await;
        assert_eq!(r.status(), 403);
    }
    assert_eq!(app.get("/api/v1/users", "kht_nope").await.status(), 401);
}

#[tokio::test]
async fn an_admin_makes_a_person_with_a_sign_in_link_and_an_integration_with_a_token() {
    let app = spawn_app().await;
    let admin = app.token(Role::Admin, None).await;

    let (status, person) = json_of(
        app.post(
            "/api/v1/users",
            &admin,
            &json!({"name": "Aino Valmentaja", "role": "coach", "email": "Aino@Example.fi"}),
        )
        .await,
    )
    .await;
    let (id, token) = integration(&app, &admin, "Raportointi").await;

    assert_eq!(status, 201, "{person}");
    assert_eq!(person["user"]["email"], "aino@example.fi");
    assert_eq!(person["user"]["active_tokens"], 0, "a person gets no token");
    assert!(person.get("token").is_none());
    let link = person["sign_in_link"].as_str().unwrap();
    let path = link
        .strip_prefix("http://127.0.0.1:8080")
        .expect("public URL");
    let mut browser = Browser::new(&app);
    let r = browser.get(path).await;
    assert_eq!(r.status(), 303, "the link signs the person in");
    assert_eq!(browser.get("/account").await.status(), 200);

    assert!(token.starts_with("kht_"));
    assert_eq!(app.get("/api/v1/clients", &token).await.status(), 200);
    let (_, listed) = json_of(app.get(&format!("/api/v1/users/{id}"), &admin).await).await;
    assert_eq!(listed["active_tokens"], 1);
    assert_eq!(listed["has_password"], false);
    let (_, all) = json_of(app.get("/api/v1/users", &admin).await).await;
    assert_eq!(all["total"], 3);
}

#[tokio::test]
async fn user_bodies_are_checked_and_addresses_are_unique_without_case() {
    let app = spawn_app().await;
    let admin = app.token(Role::Admin, None).await;
    let post = |body: Value| {
        let (app, admin) = (&app, &admin);
        async move { app.post("/api/v1/users", admin, &body).await }
    };

    let first = post(json!({"name": "A", "role": "coach", "email": "a@example.fi"})).await;
    let (dup, dup_body) =
        json_of(post(json!({"name": "B", "role": "coach", "email": "A@EXAMPLE.FI"})).await).await;
    let (typo, typo_body) =
        json_of(post(json!({"name": "B", "role": "coach", "emial": "x"})).await).await;
    let (bad_email, bad_email_body) =
        json_of(post(json!({"name": "B", "role": "coach", "email": "not an address"})).await).await;
    let (no_employer, no_employer_body) =
        json_of(post(json!({"name": "B", "role": "employer"})).await).await;
    let (blank, blank_body) =
        json_of(post(json!({"name": "\u{200b}", "role": "coach"})).await).await;

    assert_eq!(first.status(), 201);
    assert_eq!(dup, 409, "{dup_body}");
    assert_eq!(typo, 422);
    assert_eq!(typo_body["error"]["field"], "emial");
    assert_eq!(bad_email, 422);
    assert_eq!(bad_email_body["error"]["field"], "email");
    assert_eq!(no_employer, 422);
    assert_eq!(no_employer_body["error"]["field"], "employer_id");
    assert_eq!(blank, 422);
    assert_eq!(blank_body["error"]["field"], "name");
    let (status, body) = json_of(
        app.patch("/api/v1/users/1", &admin, &json!({"disabld": true}))
            .await,
    )
    .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("disabld"))
    );
}

#[tokio::test]
async fn the_token_listing_never_shows_a_usable_token() {
    let app = spawn_app().await;
    let admin = app.token(Role::Admin, None).await;
    let (id, first) = integration(&app, &admin, "Integraatio").await;
    let (status, second) = json_of(
        app.post(
            &format!("/api/v1/users/{id}/tokens"),
            &admin,
            &json!({"expires_in_days": 30}),
        )
        .await,
    )
    .await;
    assert_eq!(status, 201, "{second}");
    let second_token = second["token"].as_str().unwrap().to_string();
    assert_eq!(
        app.get("/api/v1/clients", &second_token).await.status(),
        200
    );

    let r = app.get(&format!("/api/v1/users/{id}/tokens"), &admin).await;
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    let listed: Value = serde_json::from_str(&text).unwrap();

    for token in [&first, &second_token] {
        assert!(
            !text.contains(token.as_str()),
            "the token itself is never listed"
        );
        assert!(!text.contains(&token[..20]), "nor enough of it to use");
        assert!(
            text.contains(&token[..12]),
            "its prefix is, to recognise it"
        );
    }
    let items = listed.as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["id"], second["id"], "newest first");
    assert!(items[0]["expires_at"].is_string());
    assert!(items[1].get("expires_at").is_none());
    for item in items {
        assert_eq!(item["prefix"].as_str().unwrap().len(), 12);
        assert_eq!(item["revoked"], false);
        assert_eq!(item["active"], true);
        assert!(item.get("token").is_none());
    }
    // Its use is noted (written after the answer, at most once a minute).
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (_, listed) =
            json_of(app.get(&format!("/api/v1/users/{id}/tokens"), &admin).await).await;
        if listed[0]["last_used_at"].is_string() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "last_used_at never written: {listed}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_revoked_token_stops_at_once_and_an_expired_one_never_works() {
    let app = spawn_app().await;
    let admin = app.token(Role::Admin, None).await;
    let (id, token) = integration(&app, &admin, "Integraatio").await;
    let (_, listed) = json_of(app.get(&format!("/api/v1/users/{id}/tokens"), &admin).await).await;
    let token_id = listed[0]["id"].as_i64().unwrap();
    let store = Store::open(&app.database_url()).await.unwrap();
    let expired = store
        .issue_token(id, Some(chrono::Utc::now() - chrono::Duration::seconds(1)))
        .await
        .unwrap();
    store.close().await;

    let r = app
        .delete(&format!("/api/v1/users/{id}/tokens/{token_id}"), &admin)
        .await;
    let again = app
        .delete(&format!("/api/v1/users/{id}/tokens/{token_id}"), &admin)
        .await;
    let elsewhere = app
        .delete(
            &format!("/api/v1/users/{}/tokens/{token_id}", id + 100),
            &admin,
        )
        .await;

    assert_eq!(r.status(), 204);
    assert_eq!(again.status(), 204, "revoking again is fine");
    assert_eq!(elsewhere.status(), 404);
    assert_eq!(app.get("/api/v1/clients", &token).await.status(), 401);
    assert_eq!(
        app.get("/api/v1/clients", &expired.token).await.status(),
        401
    );
    let (_, listed) = json_of(app.get(&format!("/api/v1/users/{id}/tokens"), &admin).await).await;
    let by_id = |tid: i64| {
        listed
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == tid)
            .unwrap()
            .clone()
    };
    assert_eq!(by_id(token_id)["revoked"], true);
    assert_eq!(by_id(token_id)["active"], false);
    assert_eq!(by_id(expired.id)["revoked"], false);
    assert_eq!(by_id(expired.id)["active"], false, "expired");
    let (_, user) = json_of(app.get(&format!("/api/v1/users/{id}"), &admin).await).await;
    assert_eq!(user["active_tokens"], 0);
}

#[tokio::test]
async fn a_disabled_user_gets_no_new_token_until_enabled_and_its_old_ones_stay_revoked() {
    let app = spawn_app().await;
    let admin = app.token(Role::Admin, None).await;
    let (id, token) = integration(&app, &admin, "Integraatio").await;
    let path = format!("/api/v1/users/{id}");

    let (status, disabled) =
        json_of(app.patch(&path, &admin, &json!({"disabled": true})).await).await;
    let refused = app
        .post(&format!("{path}/tokens"), &admin, &json!({}))
        .await;
    let (_, enabled) = json_of(app.patch(&path, &admin, &json!({"disabled": false})).await).await;
    let (fresh_status, fresh) = json_of(
        app.post(&format!("{path}/tokens"), &admin, &json!({}))
            .await,
    )
    .await;

    assert_eq!(status, 200);
    assert!(disabled["disabled_at"].is_string());
    assert_eq!(disabled["active_tokens"], 0);
    assert_eq!(refused.status(), 409);
    assert!(enabled.get("disabled_at").is_none());
    assert_eq!(
        app.get("/api/v1/clients", &token).await.status(),
        401,
        "still revoked"
    );
    assert_eq!(fresh_status, 201);
    let fresh = fresh["token"].as_str().unwrap();
    assert_eq!(app.get("/api/v1/clients", fresh).await.status(), 200);
    let (own, _) = json_of(
        app.patch("/api/v1/users/1", &admin, &json!({"disabled": true}))
            .await,
    )
    .await;
    assert_eq!(own, 409, "an admin cannot lock itself out");
}

/// Runs `kohtaamo users add … --password-stdin` with `password` on standard input.
fn add_with_password(app: &TestApp, email: &str, password: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kohtaamo"))
        .args([
            "users",
            "add",
            "--role",
            "coach",
            "--name",
            "Aino",
            "--email",
            email,
            "--password-stdin",
        ])
        .env("KOHTAAMO_DATABASE_URL", app.database_url())
        .env("KOHTAAMO_INDEX_DIR", app.index_dir())
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn users_add_with_an_email_and_a_password_from_stdin_signs_in_and_still_prints_the_token_last(
) {
    let app = spawn_app().await;
    let password = "pitkä ja hyvä salasana";

    let out = add_with_password(&app, "Aino@Example.fi", password);
    let short = add_with_password(&app, "eero@example.fi", "lyhyt");
    let taken = add_with_password(&app, "aino@example.fi", password);

    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let token = stdout.lines().last().unwrap().trim();
    assert!(token.starts_with("kht_"), "{stdout}");
    assert!(!stdout.contains(password));
    assert_eq!(app.get("/api/v1/clients", token).await.status(), 200);
    let r = Browser::new(&app)
        .sign_in("aino@example.fi", password, "")
        .await;
    assert_eq!(r.status(), 303, "signs in with the password");
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("12 characters"));
    assert!(!taken.status.success());
    assert!(String::from_utf8_lossy(&taken.stderr).contains("exists already"));
}

#[tokio::test]
async fn users_list_revoke_disable_enable_link_and_token_work_from_the_command_line() {
    let app = spawn_app().await;
    let db = app.database_url();
    let index = app.index_dir();
    let run = |args: &[&str]| {
        let out = kohtaamo(&db, &index, args);
        assert!(out.status.success(), "{args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let added = run(&[
        "users",
        "add",
        "--role",
        "coach",
        "--name",
        "Aino",
        "--email",
        "aino@example.fi",
    ]);
    let first = added.lines().last().unwrap().to_string();
    assert!(
        added.contains("/signin/link/"),
        "a sign-in link without a password: {added}"
    );

    let second = run(&["users", "token", "--user", "1", "--expires-in-days", "7"]);
    let second = second.lines().last().unwrap().to_string();
    let list = run(&["users", "list"]);
    let header = list.lines().next().unwrap();
    for column in [
        "id",
        "name",
        "role",
        "email",
        "employer",
        "active tokens",
        "disabled",
    ] {
        assert!(header.contains(column), "{header}");
    }
    let row = list.lines().nth(1).unwrap();
    assert!(
        row.contains("aino@example.fi") && row.contains("coach"),
        "{row}"
    );
    assert!(
        row.split_whitespace().any(|c| c == "2"),
        "two active tokens: {row}"
    );
    assert!(!list.contains(&first) && !list.contains(&second));

    // One token, by its prefix.
    run(&["users", "revoke", "--user", "1", "--token", &first[..12]]);
    assert_eq!(app.get("/api/v1/clients", &first).await.status(), 401);
    assert_eq!(app.get("/api/v1/clients", &second).await.status(), 200);

    let link = run(&["users", "link", "--user", "1"]);
    let link = link.lines().last().unwrap();
    let path = link
        .strip_prefix("http://127.0.0.1:8080")
        .expect("public URL");
    let mut browser = Browser::new(&app);
    assert_eq!(browser.get(path).await.status(), 303);
    assert_eq!(browser.get("/account").await.status(), 200);

    run(&["users", "disable", "--user", "1"]);
    assert_eq!(app.get("/api/v1/clients", &second).await.status(), 401);
    assert_eq!(browser.get("/account").await.status(), 303);
    let refused = kohtaamo(&db, &index, &["users", "token", "--user", "1"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("disabled"));
    let list = run(&["users", "list"]);
    let row = list.lines().nth(1).unwrap();
    assert!(!row.trim_end().ends_with('-'), "shows when disabled: {row}");

    run(&["users", "enable", "--user", "1"]);
    let third = run(&["users", "token", "--user", "1"]);
    let third = third.lines().last().unwrap();
    assert_eq!(app.get("/api/v1/clients", third).await.status(), 200);
    assert_eq!(app.get("/api/v1/clients", &second).await.status(), 401);

    let missing = kohtaamo(&db, &index, &["users", "revoke", "--user", "99"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("user 99 not found"));
}

#[tokio::test]
async fn the_openapi_document_describes_the_user_endpoints() {
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
    for (path, method) in [
        ("/api/v1/users", "get"),
        ("/api/v1/users", "post"),
        ("/api/v1/users/{id}", "get"),
        ("/api/v1/users/{id}", "patch"),
        ("/api/v1/users/{id}/tokens", "get"),
        ("/api/v1/users/{id}/tokens", "post"),
        ("/api/v1/users/{id}/tokens/{token_id}", "delete"),
    ] {
        let op = &doc["paths"][path][method];
        assert!(op.is_object(), "{method} {path}");
        assert!(
            op["responses"]["403"].is_object(),
            "{method} {path} documents 403"
        );
        assert!(
            op["responses"]["429"].is_object(),
            "{method} {path} documents 429"
        );
    }
    for schema in [
        "Account",
        "TokenInfo",
        "IssuedToken",
        "UserInput",
        "UserPatch",
    ] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
}

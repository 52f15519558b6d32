//! Restarts, a lost index, and writes from other processes: the database is the truth and the
//! index always finds its way back to it.

use kohtaamo::domain::Role;
use serde_json::{json, Value};

use crate::cli::kohtaamo;
use crate::helpers::{contains_id, spawn_app, spawn_app_in};

#[tokio::test]
async fn restart_keeps_data_and_search() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Pysyvä Oy").await;
    let vacancy = app
        .vacancy(
            &coach,
            employer,
            "Puutarhatyöntekijä",
            "Istutuksia.",
            "Porvoo",
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let client = app
        .post(
            "/api/v1/clients",
            &coach,
            &json!({"display_name": "A", "home_municipality": "Porvoo"}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    app.search_until(&coach, "puutarha", |r| contains_id(r, vacancy))
        .await;

    let dir = app.stop().await;
    let app = spawn_app_in(dir).await;

    let v: Value = app
        .get(&format!("/api/v1/vacancies/{vacancy}"), &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["title"], "Puutarhatyöntekijä");
    assert_eq!(
        app.get(&format!("/api/v1/clients/{client}"), &coach)
            .await
            .status(),
        200
    );
    let found = app.search(&coach, "puutarha").await;
    assert!(
        contains_id(&found, vacancy),
        "search works right after restart: {found}"
    );
}

#[tokio::test]
async fn a_lost_index_is_rebuilt_from_the_database_on_start() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Oy").await;
    let id = app
        .vacancy(&coach, employer, "Leipuri", "Leivontaa.", "Salo")
        .await["id"]
        .as_i64()
        .unwrap();
    let closed = app
        .vacancy(&coach, employer, "Leipuri", "Leivontaa yöllä.", "Salo")
        .await["id"]
        .as_i64()
        .unwrap();
    app.delete(&format!("/api/v1/vacancies/{closed}"), &coach)
        .await;
    app.search_until(&coach, "leipuri", |r| {
        contains_id(r, id) && !contains_id(r, closed)
    })
    .await;

    let index_dir = app.index_dir();
    let dir = app.stop().await;
    std::fs::remove_dir_all(&index_dir).unwrap();
    let app = spawn_app_in(dir).await;

    let r = app
        .search_until(&coach, "leipuri", |r| contains_id(r, id))
        .await;
    assert!(
        !contains_id(&r, closed),
        "a closed vacancy must not come back"
    );
}

#[tokio::test]
async fn writes_by_another_process_reach_a_running_servers_index() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let file = app.dir.path().join("ads.jsonl");
    std::fs::write(
        &file,
        r#"{"identifier":"x-1","title":"Kirjastoapulainen","description":"Kirjojen hyllytystä.","hiringOrganization":{"name":"Kaupunki"},"jobLocation":{"address":{"addressLocality":"Kotka"}}}"#,
    )
    .unwrap();
    let out = kohtaamo(
        &app.database_url(),
        &app.index_dir(),
        &["import", "vacancies", file.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("running server"));
    let r = app
        .search_until(&coach, "kirjasto", |r| r["total"] == 1)
        .await;
    assert_eq!(r["hits"][0]["external_id"], "x-1");
}

#[tokio::test]
async fn reindex_rebuilds_the_index_from_the_database() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Oy").await;
    let id = app
        .vacancy(&coach, employer, "Kokki", "Ruokaa.", "Kajaani")
        .await["id"]
        .as_i64()
        .unwrap();
    app.search_until(&coach, "kokki", |r| contains_id(r, id))
        .await;
    let db = app.database_url();
    let index = app.index_dir();

    let running = kohtaamo(&db, &index, &["reindex"]);
    assert!(
        !running.status.success(),
        "reindex refuses while the server holds the index"
    );
    assert!(String::from_utf8_lossy(&running.stderr).contains("stop it first"));

    let dir = app.stop().await;
    let out = kohtaamo(&db, &index, &["reindex"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("reindexed 1 postings"));
    let app = spawn_app_in(dir).await;
    assert!(contains_id(&app.search(&coach, "kokki").await, id));
}

//! Moving a county from its SQLite file to PostgreSQL: `kohtaamo migrate --from sqlite://FILE
//! --to postgres://…` copies every table with its ids, the change log and the audit trail,
//! and the service then runs on the new database as it did on the old one.
//!
//! The source is always a SQLite file in the test's directory; the target is the harness's
//! database. In the PostgreSQL pass (`KOHTAAMO_TEST_POSTGRES`) that is a fresh PostgreSQL
//! database and the whole move is checked; in the SQLite pass the target is SQLite too, and
//! the command must refuse it with a clear message and leave the source untouched.

use std::process::Command;

use kohtaamo::domain::Role;
use serde_json::{json, Value};

use crate::funnel::{client, ok_event};
use crate::helpers::{database_url_for, postgres_server, settings, spawn_app_with, test_dir};

fn migrate(from: &str, to: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kohtaamo"))
        .args(["migrate", "--from", from, "--to", to])
        .env("RUST_LOG", "warn")
        .output()
        .expect("kohtaamo migrate runs")
}

#[tokio::test]
async fn a_sqlite_database_moves_to_postgresql_with_its_ids_history_and_audit_trail() {
    // Arrange: a county's SQLite database with postings, a client, funnel events and reads
    // of the client in the access log.
    let dir = test_dir();
    let source = format!("sqlite://{}", dir.path().join("county.db").display());
    let mut s = settings(dir.path());
    s.database_url = source.clone();
    s.index_dir = dir.path().join("index-sqlite");
    let app = spawn_app_with(dir, s).await;
    let store = kohtaamo::store::Store::open(&source).await.unwrap();
    let (_, coach) = store
        .create_user("Muuttava valmentaja", Role::Coach, None)
        .await
        .unwrap();
    let (auditor_user, auditor) = store
        .create_user("Tarkastaja", Role::Auditor, None)
        .await
        .unwrap();
    // A token with an end: a time SQLite keeps as whole seconds.
    let expiry = chrono::Utc::now() + chrono::Duration::days(30);
    store
        .issue_token(auditor_user.id, Some(expiry))
        .await
        .unwrap();
    store.close().await;
    let employer = app.employer(&coach, "Muutto Oy").await;
    let mut vacancies = Vec::new();
    // The last description is long enough to be kept compressed in the SQLite file: the move
    // writes its text.
    let long = "Aamuvuoroja keittiössä, ruoanvalmistusta ja tiskausta. "
        .repeat(8)
        .trim_end()
        .to_string();
    for (title, description) in [
        ("Varastotyöntekijä", "Aamuvuoroja."),
        ("Siivooja", "Aamuvuoroja."),
        ("Kokki", long.as_str()),
    ] {
        let v = app
            .vacancy(&coach, employer, title, description, "Lahti")
            .await;
        vacancies.push(v["id"].as_i64().unwrap());
    }
    let closed = vacancies[1];
    assert_eq!(
        app.delete(&format!("/api/v1/vacancies/{closed}"), &coach)
            .await
            .status(),
        204
    );
    let c = client(&app, &coach, "Asiakas M", "2025-01-10").await;
    ok_event(
        &app,
        &coach,
        c,
        json!({"type": "engaged", "at": "2025-01-12"}),
    )
    .await;
    ok_event(
        &app,
        &coach,
        c,
        json!({"type": "employed", "at": "2025-02-01T08:00:00+02:00",
               "placement_type": "competitive", "hours_per_week": 25,
               "vacancy_id": vacancies[0]}),
    )
    .await;
    app.get(&format!("/api/v1/clients/{c}"), &coach).await;
    // A served match list: a time SQLite keeps as milliseconds.
    crate::privacy::served_matches_in(&app, &source, &coach, c).await;
    let events_before: Value = app
        .get(&format!("/api/v1/clients/{c}/events"), &coach)
        .await
        .json()
        .await
        .unwrap();
    let log_before: Value = app
        .get(&format!("/api/v1/access-log?client_id={c}"), &auditor)
        .await
        .json()
        .await
        .unwrap();
    let dir = app.stop().await;
    let target = database_url_for(dir.path());

    // Act
    let out = migrate(&source, &target);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);

    if postgres_server().is_none() {
        // SQLite pass: the target is a SQLite file, which a move does not go to.
        assert!(!out.status.success(), "{stdout}");
        assert!(
            stderr.contains("must be a PostgreSQL database"),
            "unclear refusal: {stderr}"
        );
        let store = kohtaamo::store::Store::open(&source).await.unwrap();
        assert_eq!(store.open_posting_count().await.unwrap(), 2);
        store.close().await;
        return;
    }

    // Assert: every table counted, and the service on PostgreSQL (with an index of its own,
    // built from the copied change log) answers as it did on SQLite.
    assert!(out.status.success(), "migrate failed: {stderr}");
    assert!(stdout.contains("vacancies: 3 rows"), "{stdout}");
    assert!(stdout.contains("client_events: 2 rows"), "{stdout}");
    assert!(stdout.contains("every table's count checked"), "{stdout}");
    // Moments are native there: no time column is text or a count of seconds (SQLite keeps
    // some as text, some as INTEGER counts).
    let db = crate::helpers::RawDb::connect(&target).await;
    let other_times: Vec<(String, String)> = db
        .fetch_all(
            "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT) \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() \
               AND data_type <> 'timestamp with time zone' \
               AND (column_name = 'at' OR column_name LIKE '%\\_at' ESCAPE '\\')",
            &[],
        )
        .await;
    assert_eq!(other_times, Vec::<(String, String)>::new());
    // Counts moved as the same moments: the token's end and last use to the second, the
    // served list's time to the millisecond.
    let src = crate::helpers::RawDb::connect(&source).await;
    type Times<T> = Vec<(i64, Option<T>, Option<T>)>;
    let tokens_here: Times<i64> = src
        .fetch_all(
            "SELECT id, expires_at, last_used_at FROM api_tokens ORDER BY id",
            &[],
        )
        .await;
    let lists_here: Vec<(i64, i64)> = src
        .fetch_all("SELECT id, served_at FROM match_lists ORDER BY id", &[])
        .await;
    src.close().await;
    let tokens_there: Times<chrono::DateTime<chrono::Utc>> = db
        .fetch_all(
            "SELECT id, expires_at, last_used_at FROM api_tokens ORDER BY id",
            &[],
        )
        .await;
    let lists_there: Vec<(i64, chrono::DateTime<chrono::Utc>)> = db
        .fetch_all("SELECT id, served_at FROM match_lists ORDER BY id", &[])
        .await;
    assert!(tokens_here.iter().any(|t| t.1 == Some(expiry.timestamp())));
    let seconds = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| t.timestamp());
    let tokens_there: Times<i64> = tokens_there
        .into_iter()
        .map(|(id, end, used)| (id, seconds(end), seconds(used)))
        .collect();
    assert_eq!(tokens_there, tokens_here);
    assert_eq!(lists_here.len(), 1);
    let lists_there: Vec<(i64, i64)> = lists_there
        .into_iter()
        .map(|(id, at)| (id, at.timestamp_millis()))
        .collect();
    assert_eq!(lists_there, lists_here);
    let (events_at,): (String,) = db
        .fetch_one(
            "SELECT CAST(data_type AS TEXT) FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = 'client_events' \
               AND column_name = 'at'",
            &[],
        )
        .await;
    assert_eq!(events_at, "timestamp with time zone");
    db.close().await;
    let mut s = settings(dir.path());
    s.index_dir = dir.path().join("index-postgres");
    assert_eq!(s.database_url, target);
    let app = spawn_app_with(dir, s).await;
    for &id in &vacancies {
        let v: Value = app
            .get(&format!("/api/v1/vacancies/{id}"), &coach)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(v["id"], id);
        let description = if id == vacancies[2] {
            long.as_str()
        } else {
            "Aamuvuoroja."
        };
        assert_eq!(v["description"], description, "{v}");
        let status = if id == closed { "closed" } else { "open" };
        assert_eq!(v["status"], status, "{v}");
    }
    // The new node's index is built from the copied log once it has started.
    let expected = [vacancies[0], vacancies[2]];
    let found = app
        .search_until(&coach, "", |r| {
            let mut ids = crate::helpers::hit_ids(r);
            ids.sort();
            ids == expected
        })
        .await;
    assert_eq!(found["total"], 2, "{found}");
    let events_after: Value = app
        .get(&format!("/api/v1/clients/{c}/events"), &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(events_after, events_before);
    let log_after: Value = app
        .get(&format!("/api/v1/access-log?client_id={c}"), &auditor)
        .await
        .json()
        .await
        .unwrap();
    // The moved log, then this session's own read of the events (logged on PostgreSQL).
    let moved = log_before["items"].as_array().unwrap();
    let now = log_after["items"].as_array().unwrap();
    assert_eq!(now.len(), moved.len() + 1, "{log_after}");
    assert_eq!(&now[1..], &moved[..], "the access log moved intact");
    // New rows get new ids after the copied ones.
    let v = app
        .vacancy(&coach, employer, "Uusi paikka", "Iltavuoroja.", "Lahti")
        .await;
    assert!(v["id"].as_i64().unwrap() > *vacancies.iter().max().unwrap());

    // A second move into the same (no longer empty) database is refused.
    let again = migrate(&source, &app.database_url());
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("not empty"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    app.stop().await;
}

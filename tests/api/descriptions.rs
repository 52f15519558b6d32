//! A posting's description is kept in one place, the database (compressed on SQLite); the
//! index keeps none of it. Everything that shows a description reads it from there: the
//! posting itself, search snippets, and the match reasons that name the client's words.

use serde_json::{json, Value};

use crate::helpers::{contains_id, spawn_app, Arg, RawDb, TestApp};
use kohtaamo::domain::Role;

/// Long enough to be compressed, with letters outside ASCII and an emoji, and the words the
/// search and the client below look for far from the start (the snippet must be cut from it).
fn long_description(lead: &str, tail: &str) -> String {
    format!(
        "{lead} {} {tail} Tervetuloa töihin – hae heti! 🧹",
        "Työ on päivävuorossa arkisin, ja perehdytys kestää kaksi viikkoa. ".repeat(12)
    )
}

async fn posted(app: &TestApp, token: &str, path: &str, body: Value) -> i64 {
    let r = app.post(path, token, &body).await;
    assert_eq!(r.status(), 201, "{:?}", r.text().await);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn descriptions_are_kept_compressed_and_every_reader_gets_them_whole() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Puhtaus Oy").await;
    let vacancy_text = long_description(
        "Haemme iloista tekijää sairaalaan.",
        "Tehtäviin kuuluu laitoshuoltoa ja ikkunanpesua.",
    );
    let task_text = long_description(
        "Ryhmätyö kierrätyskeskuksessa.",
        "Lajittelemme tekstiilejä ja pakkaamme ne.",
    );
    let vacancy = posted(
        &app,
        &coach,
        "/api/v1/vacancies",
        json!({"employer_id": employer, "title": "Sairaalahuoltaja", "description": vacancy_text,
            "municipality": "Lahti"}),
    )
    .await;
    let task = posted(
        &app,
        &coach,
        "/api/v1/tasks",
        json!({"employer_id": employer, "title": "Kierrätysryhmä", "description": task_text,
            "municipality": "Lahti"}),
    )
    .await;

    // The posting reads back as written.
    for (path, text) in [
        (format!("/api/v1/vacancies/{vacancy}"), &vacancy_text),
        (format!("/api/v1/tasks/{task}"), &task_text),
    ] {
        let r = app.get(&path, &coach).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.json::<Value>().await.unwrap()["description"], *text);
    }

    // On SQLite the row holds a compressed frame, much smaller than the text; on PostgreSQL
    // the text.
    let db = RawDb::connect(&app.database_url()).await;
    let sqlite = matches!(db, RawDb::Sqlite(_));
    for (table, id, text) in [
        ("vacancies", vacancy, &vacancy_text),
        ("tasks", task, &task_text),
    ] {
        let bytes = if sqlite {
            "length(CAST(description AS BLOB))"
        } else {
            "CAST(octet_length(description) AS BIGINT)"
        };
        let (stored_bytes,): (i64,) = db
            .fetch_one(
                &format!("SELECT {bytes} FROM {table} WHERE id = ?"),
                &[Arg::Int(id)],
            )
            .await;
        if sqlite {
            assert!(
                (stored_bytes as usize) < text.len() / 2,
                "{table}: {stored_bytes} bytes stored for a text of {}",
                text.len()
            );
        } else {
            assert_eq!(stored_bytes as usize, text.len(), "{table}");
        }
    }

    // A search's snippet is cut from the description around the word it found.
    let r = app
        .search_until(&coach, "ikkunanpesua", |r| contains_id(r, vacancy))
        .await;
    let html = r["hits"][0]["snippet_html"].as_str().unwrap();
    assert!(html.contains("<b>ikkunanpesua</b>"), "{html}");
    let r = app
        .search_until(&coach, "tekstiilejä", |r| {
            r["hits"]
                .as_array()
                .unwrap()
                .iter()
                .any(|h| h["kind"] == "task" && h["id"] == task)
        })
        .await;
    let html = r["hits"][0]["snippet_html"].as_str().unwrap();
    assert!(html.contains("<b>tekstiilejä</b>"), "{html}");

    // A match reason names the client's word, found only in the description.
    let r = app
        .post(
            "/api/v1/clients",
            &coach,
            &json!({"display_name": "A", "home_municipality": "Lahti",
                "preferences": {"desired_work": "ikkunanpesua"}}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let client = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = app
        .get(
            &format!("/api/v1/clients/{client}/matches?kind=vacancy"),
            &coach,
        )
        .await;
    assert_eq!(r.status(), 200);
    let m: Value = r.json().await.unwrap();
    let reasons: Vec<&str> = m["matches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == vacancy)
        .unwrap_or_else(|| panic!("no vacancy {vacancy} in {m}"))["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r.as_str())
        .collect();
    assert!(
        reasons.contains(&"Vastaa toivetta: ikkunanpesua"),
        "{reasons:?}"
    );

    // A row written as plain text (before descriptions were compressed) reads as before.
    let plain = long_description("Vanha ilmoitus.", "Tekstinä tallennettu.");
    db.execute(
        "UPDATE vacancies SET description = ? WHERE id = ?",
        &[Arg::Text(plain.clone()), Arg::Int(vacancy)],
    )
    .await
    .unwrap();
    if sqlite {
        let (kind,): (String,) = db
            .fetch_one(
                "SELECT typeof(description) FROM vacancies WHERE id = ?",
                &[Arg::Int(vacancy)],
            )
            .await;
        assert_eq!(kind, "text");
    }
    db.close().await;
    let r = app
        .get(&format!("/api/v1/vacancies/{vacancy}"), &coach)
        .await;
    assert_eq!(r.json::<Value>().await.unwrap()["description"], plain);
}

#[tokio::test]
async fn a_dictionary_trained_by_an_import_in_another_process_is_read_by_the_running_service() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    // More than one import batch (2,000 lines): the dictionary is trained after the first, and
    // the rest are compressed with it.
    let mut lines = kohtaamo::demo::job_postings(11, 2_600, 40);
    // The last one has a word of its own, to search for.
    lines.push(
        json!({"identifier": "oma-1", "title": "Kattohuoltaja",
            "description": long_description("Lumenpudotusta katoilta.", "Kattoturvallisuuskortti on eduksi."),
            "hiringOrganization": {"name": "Katto Oy"}})
        .to_string(),
    );
    let file = app.index_dir().with_file_name("postings.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let summary = crate::cli::import_vacancies(&app.database_url(), &app.index_dir(), &file);
    assert!(summary.starts_with("imported 2601,"), "{summary}");

    let db = RawDb::connect(&app.database_url()).await;
    let last: (i64,) = db.fetch_one("SELECT MAX(id) FROM vacancies", &[]).await;
    if let RawDb::Sqlite(_) = db {
        let (dictionaries,): (i64,) = db
            .fetch_one("SELECT COUNT(*) FROM text_dictionaries", &[])
            .await;
        assert_eq!(dictionaries, 1);
        // The same kind of text, a third smaller or more with the dictionary.
        let size = |order: &'static str| {
            let db = &db;
            async move {
                let (bytes,): (f64,) = db
                    .fetch_one(
                        &format!(
                            "SELECT AVG(length(CAST(description AS BLOB))) FROM \
                             (SELECT description FROM vacancies \
                             WHERE id < (SELECT MAX(id) FROM vacancies) \
                             ORDER BY id {order} LIMIT 300)"
                        ),
                        &[],
                    )
                    .await;
                bytes
            }
        };
        let (without, with) = (size("ASC").await, size("DESC").await);
        assert!(
            with < without * 0.67,
            "{with} bytes with, {without} without"
        );
    }
    db.close().await;

    // This process never read that dictionary: the service reads it when it meets it.
    let expected: Value = serde_json::from_str(lines.last().unwrap()).unwrap();
    let r = app
        .get(&format!("/api/v1/vacancies/{}", last.0), &coach)
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.json::<Value>().await.unwrap()["description"],
        expected["description"]
    );
    let r = app
        .search_until(&coach, "kattoturvallisuuskortti", |r| {
            contains_id(r, last.0)
        })
        .await;
    let html = r["hits"][0]["snippet_html"].as_str().unwrap();
    assert!(html.contains("<b>Kattoturvallisuuskortti</b>"), "{html}");
}

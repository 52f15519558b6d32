//! Matches through the real API: kinds, reasons, zero exclusion, the ordering rules.

use kohtaamo::domain::Role;
use serde_json::{json, Value};

use crate::cli::kohtaamo;
use crate::helpers::{contains_id, shared_data, spawn_app, spawn_app_in, TestApp};

async fn client(app: &TestApp, coach: &str, body: Value) -> i64 {
    let r = app.post("/api/v1/clients", coach, &body).await;
    assert_eq!(r.status(), 201, "{:?}", r.text().await);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn matches(app: &TestApp, coach: &str, client: i64, query: &str) -> Value {
    let r = app
        .get(&format!("/api/v1/clients/{client}/matches{query}"), coach)
        .await;
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

/// Matches asked for with an `Accept-Language` header.
async fn matches_in(
    app: &TestApp,
    coach: &str,
    client: i64,
    query: &str,
    accept_language: &str,
) -> Value {
    let r = app
        .client
        .get(app.url(&format!("/api/v1/clients/{client}/matches{query}")))
        .bearer_auth(coach)
        .header("Accept-Language", accept_language)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

/// The reasons of the suggestion of `kind` and `id`.
fn reasons_of(m: &Value, kind: &str, id: i64) -> Vec<String> {
    m["matches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == kind && s["id"] == id)
        .unwrap_or_else(|| panic!("no {kind} {id} in {m}"))["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap().to_string())
        .collect()
}

fn ids_of_kind(m: &Value, kind: &str) -> Vec<i64> {
    m["matches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == kind)
        .map(|s| s["id"].as_i64().unwrap())
        .collect()
}

/// Posts a vacancy with extra fields and waits until it is searchable.
async fn post(app: &TestApp, coach: &str, body: Value) -> i64 {
    let r = app.post("/api/v1/vacancies", coach, &body).await;
    assert_eq!(r.status(), 201, "{:?}", r.text().await);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    app.search_until(coach, "", |r| contains_id(r, id)).await;
    id
}

/// Posts a subcontracting task (it becomes matchable a moment later).
async fn post_task(app: &TestApp, coach: &str, body: Value) -> i64 {
    let r = app.post("/api/v1/tasks", coach, &body).await;
    assert_eq!(r.status(), 201, "{:?}", r.text().await);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn a_client_gets_vacancies_with_reasons_in_finnish_and_english() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Varasto Oy").await;
    let fit = post(&app, &coach, json!({"employer_id": employer, "title": "Varastotyöntekijä", "description": "Keräilyä aamuvuorossa.",
        "municipality": "Lahti", "occupation_code": "4321", "hours_per_week": {"min": 20, "max": 25}})).await;
    let other = post(&app, &coach, json!({"employer_id": employer, "title": "Kokki", "description": "Ravintolan keittiöön.",
        "municipality": "Oulu", "occupation_code": "5120", "hours_per_week": {"min": 37.5, "max": 37.5}})).await;
    let id = client(&app, &coach, json!({"display_name": "A", "home_municipality": "Lahti",
        "preferences": {"desired_work": "varastotyö aamuisin", "occupations": ["4321"], "hours_per_week": {"min": 15, "max": 30}}})).await;

    let m = matches(&app, &coach, id, "?kind=vacancy").await;
    assert_eq!(m["client_id"], id);
    assert_eq!(m["model"], "default");
    assert_eq!(
        ids_of_kind(&m, "vacancy"),
        vec![fit, other],
        "the fitting vacancy comes first"
    );
    let best = &m["matches"][0];
    assert_eq!(best["title"], "Varastotyöntekijä");
    assert_eq!(best["employer"], "Varasto Oy");
    assert!(best["score"].as_f64().unwrap() > m["matches"][1]["score"].as_f64().unwrap());
    let reasons: Vec<&str> = best["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    // Without the taxonomy there is no name to give, and a bare code helps nobody.
    assert!(reasons.contains(&"Toivottu ammattiala"), "{reasons:?}");
    assert!(
        reasons.contains(&"20–25 h/vk sopii toiveeseen 15–30 h"),
        "{reasons:?}"
    );
    assert!(
        reasons.contains(&"Lahti, toivotulla paikkakunnalla"),
        "{reasons:?}"
    );
    let worse: Vec<&str> = m["matches"][1]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(worse.contains(&"37,5 h/vk, toive 15–30 h"), "{worse:?}");

    let r = app
        .client
        .get(app.url(&format!("/api/v1/clients/{id}/matches?kind=vacancy")))
        .bearer_auth(&coach)
        .header("Accept-Language", "en-GB,en;q=0.9,fi;q=0.5")
        .send()
        .await
        .unwrap();
    let en: Value = r.json().await.unwrap();
    let reasons: Vec<&str> = en["matches"][0]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(reasons.contains(&"Wished occupation"), "{reasons:?}");
}

#[tokio::test]
async fn reasons_are_in_the_most_wanted_language_of_accept_language_swedish_included() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Varasto Oy").await;
    let fit = post(&app, &coach, json!({"employer_id": employer, "title": "Varastotyöntekijä", "description": "Keräilyä aamuvuorossa.",
        "municipality": "Lahti", "hours_per_week": {"min": 20, "max": 25}})).await;
    let id = client(
        &app,
        &coach,
        json!({"display_name": "A", "home_municipality": "Lahti",
        "preferences": {"hours_per_week": {"min": 15, "max": 30}}}),
    )
    .await;

    for (header, expected) in [
        (
            "sv-FI;q=0.9, en;q=0.8",
            "20–25 h/vecka passar önskemålet 15–30 h",
        ),
        ("fi;q=0.5, en", "20–25 h/week fits the wished 15–30 h"),
        (
            "en;q=0, sv;q=0.2",
            "20–25 h/vecka passar önskemålet 15–30 h",
        ),
        ("de-DE, fr;q=0.8", "20–25 h/vk sopii toiveeseen 15–30 h"),
    ] {
        let m = matches_in(&app, &coach, id, "?kind=vacancy", header).await;
        let reasons = reasons_of(&m, "vacancy", fit);
        assert!(
            reasons.iter().any(|r| r == expected),
            "{header}: {reasons:?}"
        );
    }
    let m = matches_in(&app, &coach, id, "?kind=vacancy", "sv").await;
    let reasons = reasons_of(&m, "vacancy", fit);
    assert!(
        reasons.iter().any(|r| r == "Lahti, en önskad kommun"),
        "{reasons:?}"
    );
}

#[tokio::test]
async fn a_postings_age_reads_today_yesterday_or_days_ago() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Oy").await;
    let mut ids = Vec::new();
    // Days are Finnish calendar days: a posting 90 × 24 hours old may be 89 days old across a
    // change of summer time, so the older ones are posted at noon of the Finnish day.
    let now = chrono::Utc::now();
    let today = kohtaamo::web::format::finnish_time(now).date();
    for days_ago in [0, 1, 3, 90] {
        let posted = if days_ago == 0 {
            now
        } else {
            kohtaamo::web::format::finnish_midnight(today - chrono::Duration::days(days_ago))
                + chrono::Duration::hours(12)
        };
        ids.push(
            post(
                &app,
                &coach,
                json!({"employer_id": employer, "title": "Myyjä", "description": "Myyntiä.",
            "municipality": "Lahti", "date_posted": posted.to_rfc3339()}),
            )
            .await,
        );
    }
    let id = client(
        &app,
        &coach,
        json!({"display_name": "A", "home_municipality": "Lahti"}),
    )
    .await;

    let expected = [
        (
            "fi",
            [
                "Uusi ilmoitus tänään",
                "Uusi ilmoitus eilen",
                "Uusi ilmoitus 3 päivää sitten",
                "Ilmoitus on 90 päivää vanha",
            ],
        ),
        (
            "sv",
            [
                "Nytt annons i dag",
                "Nytt annons i går",
                "Nytt annons för 3 dagar sedan",
                "Annonset är 90 dagar gammalt",
            ],
        ),
        (
            "en",
            [
                "New posting today",
                "New posting yesterday",
                "New posting 3 days ago",
                "The posting is 90 days old",
            ],
        ),
    ];
    for (lang, texts) in expected {
        let m = matches_in(&app, &coach, id, "?kind=vacancy", lang).await;
        for (vacancy, text) in ids.iter().zip(texts) {
            let reasons = reasons_of(&m, "vacancy", *vacancy);
            assert!(reasons.iter().any(|r| r == text), "{lang}: {reasons:?}");
            assert!(
                !reasons
                    .iter()
                    .any(|r| r.contains("(0 ") || r.contains(" 1 day")),
                "{reasons:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_tasks_estimated_hours_are_a_total_not_missing_working_hours() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Oy").await;
    let estimated = post_task(&app, &coach, json!({"employer_id": employer, "title": "Pakkausryhmä", "description": "Pakkaamista ryhmänä.",
        "municipality": "Lahti", "estimated_hours": 40})).await;
    let open_ended = post_task(&app, &coach, json!({"employer_id": employer, "title": "Lajitteluryhmä", "description": "Lajittelua ryhmänä.",
        "municipality": "Lahti"})).await;
    let id = client(
        &app,
        &coach,
        json!({"display_name": "A", "home_municipality": "Lahti",
        "preferences": {"hours_per_week": {"min": 10, "max": 20}}}),
    )
    .await;

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let m = loop {
        let m = matches(&app, &coach, id, "?kind=task").await;
        let tasks = ids_of_kind(&m, "task");
        if tasks.contains(&estimated) && tasks.contains(&open_ended) {
            break m;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "tasks never matched: {m}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let reasons = reasons_of(&m, "task", estimated);
    assert!(
        reasons.iter().any(|r| r == "Arvioitu työmäärä 40 h"),
        "{reasons:?}"
    );
    assert!(
        !reasons.iter().any(|r| r == "Työaikaa ei kerrottu"),
        "{reasons:?}"
    );
    let reasons = reasons_of(&m, "task", open_ended);
    assert!(
        reasons.iter().any(|r| r == "Työaikaa ei kerrottu"),
        "{reasons:?}"
    );
    let en = matches_in(&app, &coach, id, "?kind=task", "en").await;
    let reasons = reasons_of(&en, "task", estimated);
    assert!(
        reasons.iter().any(|r| r == "Estimated 40 h of work"),
        "{reasons:?}"
    );
}

#[tokio::test]
async fn reasons_name_the_clients_words_as_written_not_their_stems() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Oy").await;
    let garden = post(&app, &coach, json!({"employer_id": employer, "title": "Puutarhuri", "description": "Puutarhan hoitoa yövuorossa.",
        "municipality": "Lahti"})).await;
    let id = client(
        &app,
        &coach,
        json!({"display_name": "A", "home_municipality": "Lahti",
        "preferences": {"desired_work": "Töitä puutarhassa tai varastossa", "avoid": "yövuoroja"}}),
    )
    .await;

    let m = matches(&app, &coach, id, "?kind=vacancy").await;
    let reasons = reasons_of(&m, "vacancy", garden);
    assert!(
        reasons.iter().any(|r| r == "Vastaa toivetta: puutarhassa"),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r == "Mainitsee vältettävän asian: yövuoroja"),
        "{reasons:?}"
    );
}

#[tokio::test]
async fn reasons_never_contradict_each_other() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Oy").await;
    let warehouse = post(&app, &coach, json!({"employer_id": employer, "title": "Varastotyöntekijä", "description": "Varastotyötä.",
        "municipality": "Lahti", "occupation_code": "4321"})).await;
    let uncoded = post(&app, &coach, json!({"employer_id": employer, "title": "Kokki", "description": "Ruokaa.", "municipality": "Lahti"})).await;
    let cook = post(&app, &coach, json!({"employer_id": employer, "title": "Kokki", "description": "Ruokaa.", "municipality": "Lahti",
        "occupation_code": "5120"})).await;
    let id = client(
        &app,
        &coach,
        json!({"display_name": "A", "home_municipality": "Lahti",
        "preferences": {"desired_work": "varastotyö", "occupations": ["9112"]}}),
    )
    .await;

    let m = matches(&app, &coach, id, "?kind=vacancy").await;
    let reasons = reasons_of(&m, "vacancy", warehouse);
    assert!(
        reasons.iter().any(|r| r == "Vastaa toivetta: varastotyö"),
        "{reasons:?}"
    );
    assert!(
        !reasons.iter().any(|r| r == "Eri ammattiala kuin toiveissa"),
        "{reasons:?}"
    );
    // No code: nothing is known about its occupation, so nothing is said.
    let reasons = reasons_of(&m, "vacancy", uncoded);
    assert!(
        !reasons.iter().any(|r| r.contains("ammattiala")),
        "{reasons:?}"
    );
    assert!(
        reasons.iter().any(|r| r == "Ei mainitse toivottua työtä"),
        "{reasons:?}"
    );
    // A known other code, and none of the client's words: that is worth saying.
    let reasons = reasons_of(&m, "vacancy", cook);
    assert!(
        reasons.iter().any(|r| r == "Eri ammattiala kuin toiveissa"),
        "{reasons:?}"
    );
}

#[tokio::test]
async fn occupations_are_named_by_their_labels_in_the_reasons_language() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Oy").await;
    let group = post(
        &app,
        &coach,
        json!({"employer_id": employer, "title": "Siivooja", "description": "Siivousta.",
        "municipality": "Lahti", "occupation_code": "9112"}),
    )
    .await;
    let esco = post(
        &app,
        &coach,
        json!({"employer_id": employer, "title": "Siivooja", "description": "Siivousta.",
        "municipality": "Lahti", "occupation_code": "9112.1"}),
    )
    .await;
    let near = post(
        &app,
        &coach,
        json!({"employer_id": employer, "title": "Siivooja", "description": "Siivousta.",
        "municipality": "Lahti", "occupation_code": "9111"}),
    )
    .await;
    let csv = app.dir.path().join("occupations.csv");
    std::fs::write(
        &csv,
        "uri,concept_type,code,label_fi,label_sv,label_en,broader_uris\n\
         u:9111,isco_group,9111,Kotiapulaiset ja -siivoojat,Hemhjälp och hemstädare,Domestic cleaners and helpers,\n\
         u:9112,isco_group,9112,Toimisto- ja laitossiivoojat ym.,Hotell- och kontorsstädare m.fl.,\"Cleaners and helpers in offices, hotels and other establishments\",\n\
         u:9112.1,occupation,9112.1,laitossiivooja,lokalvårdare,commercial cleaner,u:9112\n",
    )
    .unwrap();
    let db = app.database_url();
    let index = app.index_dir();
    let dir = app.stop().await;
    let out = kohtaamo(
        &db,
        &index,
        &["import", "occupations", csv.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let app = spawn_app_in(dir).await;
    let id = client(
        &app,
        &coach,
        json!({"display_name": "A", "home_municipality": "Lahti",
        "preferences": {"occupations": ["9112"]}}),
    )
    .await;

    let expected = [
        ("fi", [
            "Toivottu ammattiala: toimisto- ja laitossiivoojat ym.",
            "Toivottu ammattiala: laitossiivooja",
            "Lähellä toivottua ammattialaa: kotiapulaiset ja -siivoojat",
        ]),
        ("sv", [
            "Önskat yrke: hotell- och kontorsstädare m.fl.",
            "Önskat yrke: lokalvårdare",
            "Nära det önskade yrket: hemhjälp och hemstädare",
        ]),
        ("en", [
            "Wished occupation: cleaners and helpers in offices, hotels and other establishments",
            "Wished occupation: commercial cleaner",
            "Close to the wished occupation: domestic cleaners and helpers",
        ]),
    ];
    for (lang, texts) in expected {
        let m = matches_in(&app, &coach, id, "?kind=vacancy", lang).await;
        for (vacancy, text) in [group, esco, near].into_iter().zip(texts) {
            let reasons = reasons_of(&m, "vacancy", vacancy);
            assert!(reasons.iter().any(|r| r == text), "{lang}: {reasons:?}");
        }
    }
}

#[tokio::test]
async fn only_the_clients_own_coach_gets_matches() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let other = app.token(Role::Coach, None).await;
    let employer_id = app.employer(&coach, "Oy").await;
    let id = client(
        &app,
        &coach,
        json!({"display_name": "A", "home_municipality": "Lahti"}),
    )
    .await;
    assert_eq!(
        app.get(&format!("/api/v1/clients/{id}/matches"), &other)
            .await
            .status(),
        404
    );
    for token in [
        app.token(Role::Coordinator, None).await,
        app.token(Role::Employer, Some(employer_id)).await,
    ] {
        assert_eq!(
            app.get(&format!("/api/v1/clients/{id}/matches"), &token)
                .await
                .status(),
            403
        );
    }
    assert_eq!(
        app.get(&format!("/api/v1/clients/{id}/matches?limit=0"), &coach)
            .await
            .status(),
        422
    );
}

#[tokio::test]
async fn nobody_is_left_without_suggestions() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Oy").await;
    let only = post(&app, &coach, json!({"employer_id": employer, "title": "Kokki", "description": "Ruokaa.", "municipality": "Oulu"})).await;
    let profiles = [
        json!({"display_name": "Empty", "home_municipality": "Lahti", "preferences": {}}),
        json!({"display_name": "Nowhere", "home_municipality": "Atlantis"}),
        json!({"display_name": "Words", "home_municipality": "Lahti", "preferences": {"desired_work": "avaruuslentäjä", "occupations": ["0110"],
            "municipalities": ["Inari"], "max_commute_km": 0, "hours_per_week": {"min": 1, "max": 2}, "avoid": "kokki ruokaa", "languages": ["sv"]}}),
    ];
    for body in profiles {
        let id = client(&app, &coach, body.clone()).await;
        let m = matches(&app, &coach, id, "").await;
        assert_eq!(ids_of_kind(&m, "vacancy"), vec![only], "{body}");
    }
}

#[tokio::test]
async fn things_to_avoid_demote_but_never_remove() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Oy").await;
    let night = post(&app, &coach, json!({"employer_id": employer, "title": "Siivooja", "description": "Yötyötä toimistoissa.", "municipality": "Lahti"})).await;
    let day = post(&app, &coach, json!({"employer_id": employer, "title": "Siivooja", "description": "Päivätyötä toimistoissa.", "municipality": "Lahti"})).await;
    let id = client(
        &app,
        &coach,
        json!({"display_name": "A", "home_municipality": "Lahti",
        "preferences": {"desired_work": "siivooja", "avoid": "yötyö"}}),
    )
    .await;
    let m = matches(&app, &coach, id, "?kind=vacancy").await;
    assert_eq!(ids_of_kind(&m, "vacancy"), vec![day, night]);
    let reasons = m["matches"][1]["reasons"].to_string();
    assert!(reasons.contains("Mainitsee vältettävän asian"), "{reasons}");
}

#[tokio::test]
async fn offered_adjustments_only_ever_help() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Oy").await;
    let plain = post(&app, &coach, json!({"employer_id": employer, "title": "Pakkaaja", "description": "Pakkaamista.", "municipality": "Lahti"})).await;
    let adjusted = post(&app, &coach, json!({"employer_id": employer, "title": "Pakkaaja", "description": "Pakkaamista.", "municipality": "Lahti",
        "adjustments_offered": ["kirjalliset ohjeet", "rauhallinen työtila"]})).await;
    let needs = client(
        &app,
        &coach,
        json!({"display_name": "A", "home_municipality": "Lahti",
        "preferences": {"desired_work": "pakkaaja", "adjustments": ["kirjalliset ohjeet"]}}),
    )
    .await;
    let none = client(&app, &coach, json!({"display_name": "B", "home_municipality": "Lahti", "preferences": {"desired_work": "pakkaaja"}})).await;

    let with = matches(&app, &coach, needs, "?kind=vacancy").await;
    assert_eq!(ids_of_kind(&with, "vacancy")[0], adjusted);
    assert!(with["matches"][0]["reasons"]
        .to_string()
        .contains("Työnantaja tarjoaa: kirjalliset ohjeet"));
    let without = matches(&app, &coach, none, "?kind=vacancy").await;
    let score = |m: &Value, id: i64| {
        m["matches"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap()["score"]
            .as_f64()
            .unwrap()
    };
    // Sharing an adjustment need never lowers any suggestion's score.
    assert!(score(&with, plain) >= score(&without, plain));
    assert!(score(&with, adjusted) > score(&without, adjusted));
}

#[tokio::test]
async fn unit_group_beats_minor_group_beats_major_group() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Oy").await;
    let mut ids = Vec::new();
    for code in ["2512", "9629", "9111", "9112"] {
        ids.push(post(&app, &coach, json!({"employer_id": employer, "title": "Työntekijä", "description": "Työtä.", "municipality": "Lahti", "occupation_code": code})).await);
    }
    let id = client(&app, &coach, json!({"display_name": "A", "home_municipality": "Lahti", "preferences": {"occupations": ["9112"]}})).await;
    let m = matches(&app, &coach, id, "?kind=vacancy").await;
    ids.reverse();
    assert_eq!(ids_of_kind(&m, "vacancy"), ids);
}

#[tokio::test]
async fn default_mix_puts_vacancies_first_then_tasks_and_employer_prospects() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let hotel = app.employer(&coach, "Hotelli Oy").await;
    let closed = post(&app, &coach, json!({"employer_id": hotel, "title": "Kerrossiivooja", "description": "Hotellihuoneiden siivousta.", "municipality": "Lahti"})).await;
    app.delete(&format!("/api/v1/vacancies/{closed}"), &coach)
        .await;
    let other = app.employer(&coach, "Kauppa Oy").await;
    let vacancy = post(&app, &coach, json!({"employer_id": other, "title": "Siivooja", "description": "Myymälän siivousta.", "municipality": "Lahti"})).await;
    let task = app
        .post("/api/v1/tasks", &coach, &json!({"employer_id": other, "title": "Siivousryhmä", "description": "Varaston siivous ryhmänä.", "municipality": "Lahti"}))
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let id = client(&app, &coach, json!({"display_name": "A", "home_municipality": "Lahti", "preferences": {"desired_work": "siivooja"}})).await;

    // The hotel has no open vacancy but has hired cleaners before: a job-development prospect.
    let prospects = app_wait(&app, &coach, id, |m| {
        ids_of_kind(m, "employer").contains(&hotel) && ids_of_kind(m, "task").contains(&task)
    })
    .await;
    let kinds: Vec<&str> = prospects["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.first(), Some(&"vacancy"));
    assert!(ids_of_kind(&prospects, "vacancy").contains(&vacancy));
    assert!(ids_of_kind(&prospects, "task").contains(&task));
    let first_task = kinds.iter().position(|k| *k == "task").unwrap();
    assert!(
        kinds[..first_task].iter().all(|k| *k == "vacancy"),
        "{kinds:?}"
    );
    let hotel_match = prospects["matches"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "employer" && s["id"] == hotel)
        .unwrap();
    assert!(hotel_match["reasons"]
        .to_string()
        .contains("Työnantaja ilman avointa paikkaa"));
    let only_employers = matches(&app, &coach, id, "?kind=employer").await;
    assert!(only_employers["matches"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["kind"] == "employer"));
}

#[tokio::test]
async fn an_employer_prospect_says_how_many_vacancies_it_has_open() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let hotel = app.employer(&coach, "Hotelli Oy").await;
    let closed = post(&app, &coach, json!({"employer_id": hotel, "title": "Kerrossiivooja", "description": "Hotellihuoneiden siivousta.", "municipality": "Lahti"})).await;
    app.delete(&format!("/api/v1/vacancies/{closed}"), &coach)
        .await;
    let shop = app.employer(&coach, "Kauppa Oy").await;
    for title in ["Siivooja", "Myymälän siivooja"] {
        post(&app, &coach, json!({"employer_id": shop, "title": title, "description": "Myymälän siivousta.", "municipality": "Lahti"})).await;
    }
    let id = client(&app, &coach, json!({"display_name": "A", "home_municipality": "Lahti", "preferences": {"desired_work": "siivooja"}})).await;

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let m = loop {
        let m = matches(&app, &coach, id, "?kind=employer").await;
        let employers = ids_of_kind(&m, "employer");
        if employers.contains(&hotel) && employers.contains(&shop) {
            break m;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "prospects never matched: {m}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let reasons = reasons_of(&m, "employer", hotel);
    assert!(
        reasons.contains(&"Työnantaja ilman avointa paikkaa: ota yhteyttä".to_string()),
        "{reasons:?}"
    );
    let reasons = reasons_of(&m, "employer", shop);
    assert!(
        reasons.contains(&"Työnantajalla on 2 avointa paikkaa: ota yhteyttä".to_string()),
        "{reasons:?}"
    );
    assert!(
        !reasons.iter().any(|r| r.contains("ilman avointa")),
        "{reasons:?}"
    );
    let sv = matches_in(&app, &coach, id, "?kind=employer", "sv").await;
    let reasons = reasons_of(&sv, "employer", shop);
    assert!(
        reasons.contains(&"Arbetsgivaren har 2 lediga platser: ta kontakt".to_string()),
        "{reasons:?}"
    );
}

async fn app_wait(
    app: &TestApp,
    coach: &str,
    client: i64,
    accept: impl Fn(&Value) -> bool,
) -> Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let m = matches(app, coach, client, "").await;
        if accept(&m) {
            return m;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "matches never as expected: {m}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn every_list_served_is_logged_with_its_features() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Oy").await;
    post(&app, &coach, json!({"employer_id": employer, "title": "Kokki", "description": "Ruokaa.", "municipality": "Oulu"})).await;
    let id = client(
        &app,
        &coach,
        json!({"display_name": "A", "home_municipality": "Oulu"}),
    )
    .await;
    matches(&app, &coach, id, "").await;
    let store = kohtaamo::store::Store::open(&app.database_url())
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while store.impression_count(id).await.unwrap() == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the list was never logged"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn commute_distance_comes_from_the_municipality_reference_data() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Oy").await;
    let far = post(&app, &coach, json!({"employer_id": employer, "title": "Myyjä", "description": "Myyntiä.", "municipality": "Rovaniemi"})).await;
    let near = post(&app, &coach, json!({"employer_id": employer, "title": "Myyjä", "description": "Myyntiä.", "municipality": "Hollola"})).await;
    let csv = app.dir.path().join("m.csv");
    std::fs::write(
        &csv,
        "kunta_code,kunta_name,lat,lon\n398,Lahti,60.98,25.66\n098,Hollola,60.99,25.51\n698,Rovaniemi,66.50,25.73\n",
    )
    .unwrap();
    let db = app.database_url();
    let index = app.index_dir();
    let dir = app.stop().await;
    let out = kohtaamo(
        &db,
        &index,
        &["import", "municipalities", csv.to_str().unwrap()],
    );
    assert!(out.status.success());
    let app = spawn_app_in(dir).await;
    let id = client(&app, &coach, json!({"display_name": "A", "home_municipality": "Lahti", "preferences": {"max_commute_km": 20}})).await;
    let m = matches(&app, &coach, id, "?kind=vacancy").await;
    assert_eq!(ids_of_kind(&m, "vacancy"), vec![near, far]);
    let reasons = m["matches"][0]["reasons"].to_string();
    assert!(reasons.contains("Hollola, 8 km"), "{reasons}");
    let reasons = m["matches"][1]["reasons"].to_string();
    assert!(
        reasons.contains("Rovaniemi, 614 km – yli toivotun 20 km"),
        "{reasons}"
    );
}

#[tokio::test]
async fn a_posting_beyond_the_commute_limit_sinks_below_every_one_within_it_but_stays() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Oy").await;
    // Everything the client wishes for, 700 km away.
    let rovaniemi = post(&app, &coach, json!({"employer_id": employer, "title": "Varastotyöntekijä", "description": "Varastotyötä: keräilyä ja pakkaamista.",
        "municipality": "Rovaniemi", "occupation_code": "4321", "hours_per_week": {"min": 20, "max": 30}})).await;
    let helsinki = post(&app, &coach, json!({"employer_id": employer, "title": "Myyjä", "description": "Myyntiä.", "municipality": "Helsinki"})).await;
    let vantaa = post(&app, &coach, json!({"employer_id": employer, "title": "Myyjä", "description": "Myyntiä.", "municipality": "Vantaa"})).await;
    let anywhere = post(&app, &coach, json!({"employer_id": employer, "title": "Myyjä", "description": "Myyntiä.", "municipality": "Koko Suomi"})).await;
    let csv = app.dir.path().join("m.csv");
    std::fs::write(
        &csv,
        "kunta_code,kunta_name,lat,lon\n091,Helsinki,60.17,24.94\n092,Vantaa,60.29,25.04\n698,Rovaniemi,66.50,25.73\n",
    )
    .unwrap();
    let db = app.database_url();
    let index = app.index_dir();
    let dir = app.stop().await;
    let out = kohtaamo(
        &db,
        &index,
        &["import", "municipalities", csv.to_str().unwrap()],
    );
    assert!(out.status.success());
    let app = spawn_app_in(dir).await;
    let id = client(&app, &coach, json!({"display_name": "A", "home_municipality": "Helsinki",
        "preferences": {"desired_work": "varastotyö", "occupations": ["4321"], "hours_per_week": {"min": 20, "max": 30}, "max_commute_km": 30}})).await;

    for query in ["?kind=vacancy", ""] {
        let m = matches(&app, &coach, id, query).await;
        let order = ids_of_kind(&m, "vacancy");
        assert_eq!(order.len(), 4, "nothing is removed: {m}");
        assert_eq!(order.last(), Some(&rovaniemi), "{query}: {m}");
        for within in [helsinki, vantaa, anywhere] {
            assert!(order.contains(&within), "{m}");
        }
        let reasons = reasons_of(&m, "vacancy", rovaniemi);
        assert!(
            reasons
                .iter()
                .any(|r| r.starts_with("Rovaniemi, ") && r.ends_with(" km – yli toivotun 30 km")),
            "{reasons:?}"
        );
    }
    // Without a stated limit the wish itself still decides.
    let free = client(&app, &coach, json!({"display_name": "B", "home_municipality": "Helsinki",
        "preferences": {"desired_work": "varastotyö", "occupations": ["4321"], "hours_per_week": {"min": 20, "max": 30}}})).await;
    let m = matches(&app, &coach, free, "?kind=vacancy").await;
    assert_eq!(ids_of_kind(&m, "vacancy")[0], rovaniemi, "{m}");
}

#[tokio::test]
async fn the_occupation_taxonomy_widens_a_clients_words_to_the_names_ads_use() {
    let Some(data) = shared_data() else { return };
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Oy").await;
    // "siistijä" shares no word with "siivous"; the taxonomy puts both under ISCO 9112.
    let siistija = post(&app, &coach, json!({"employer_id": employer, "title": "Siistijä", "description": "Toimitilojen puhtaanapitoa.", "municipality": "Lahti"})).await;
    let kokki = post(&app, &coach, json!({"employer_id": employer, "title": "Kokki", "description": "Ruoanlaittoa.", "municipality": "Lahti"})).await;
    let db = app.database_url();
    let index = app.index_dir();
    let dir = app.stop().await;
    let file = data.join("esco/esco_v1.1.1_occupations_isco_fi_sv_en.csv");
    let out = kohtaamo(
        &db,
        &index,
        &["import", "occupations", file.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().last().unwrap(),
        "imported 3626, rejected 0"
    );
    let app = spawn_app_in(dir).await;
    let id = client(&app, &coach, json!({"display_name": "A", "home_municipality": "Lahti", "preferences": {"desired_work": "siivous"}})).await;
    let m = matches(&app, &coach, id, "?kind=vacancy").await;
    assert_eq!(ids_of_kind(&m, "vacancy"), vec![siistija, kokki]);
}

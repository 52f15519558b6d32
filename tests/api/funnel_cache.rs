//! The all-coaches figures are kept between requests and brought up to date by reading only
//! the events and contacts added since; they must equal what a fresh start computes.

use kohtaamo::domain::Role;
use serde_json::{json, Value};

use crate::funnel::{client, ok_event};
use crate::helpers::{spawn_app_in, Arg, RawDb, TestApp};

async fn figures(app: &TestApp, token: &str) -> (Value, Value) {
    let q = "from=2025-01-01&to=2025-12-31";
    let funnel: Value = app
        .get(&format!("/api/v1/funnel?{q}"), token)
        .await
        .json()
        .await
        .unwrap();
    let fidelity: Value = app
        .get(&format!("/api/v1/fidelity?{q}"), token)
        .await
        .json()
        .await
        .unwrap();
    (funnel, fidelity)
}

/// The funnel and fidelity reports (all coaches) of a year that ends on `until`, from `rows`.
fn reports(rows: &kohtaamo::funnel::FunnelData, until: chrono::NaiveDate) -> (Value, Value) {
    let period = kohtaamo::funnel::Period {
        from: until - chrono::Days::new(364),
        to: until,
    };
    (
        serde_json::to_value(kohtaamo::funnel::funnel(rows, period, None)).unwrap(),
        serde_json::to_value(kohtaamo::funnel::fidelity(rows, period, None)).unwrap(),
    )
}

/// A client's first steps: engaged on `engaged`, looking for work from `searching`.
async fn first_steps(app: &TestApp, coach: &str, client: i64, engaged: &str, searching: &str) {
    ok_event(
        app,
        coach,
        client,
        json!({"type": "engaged", "at": engaged}),
    )
    .await;
    ok_event(
        app,
        coach,
        client,
        json!({"type": "job_search", "at": searching}),
    )
    .await;
}

/// The raw figure of the fidelity item on the diversity of job types.
fn diversity(f: &(Value, Value)) -> Option<Value> {
    f.1["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item"] == "diversity_of_job_types")
        .map(|i| i["raw"].clone())
}

/// A new cook's vacancy (occupation 5120) of `employer`.
async fn cook_vacancy(app: &TestApp, coach: &str, employer: i64) -> i64 {
    app.post(
        "/api/v1/vacancies",
        coach,
        &json!({"employer_id": employer, "title": "Kokki", "description": "Keittiö.", "municipality": "Tampere", "occupation_code": "5120"}),
    )
    .await
    .json::<Value>()
    .await
    .unwrap()["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn figures_updated_in_place_equal_the_figures_of_a_fresh_start() {
    let app = crate::helpers::spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let employer = app.employer(&coach, "Kahvila Oy").await;
    let a = client(&app, &coach, "A", "2025-01-10").await;
    let b = client(&app, &coach, "B", "2025-02-01").await;
    for c in [a, b] {
        ok_event(
            &app,
            &coach,
            c,
            json!({"type": "engaged", "at": "2025-02-02"}),
        )
        .await;
        ok_event(
            &app,
            &coach,
            c,
            json!({"type": "job_search", "at": "2025-02-03"}),
        )
        .await;
    }
    let wrong = ok_event(&app, &coach, a, json!({"type": "employed", "at": "2025-03-01", "placement_type": "work_trial", "employer_id": employer})).await;
    let before = figures(&app, &coordinator).await;

    // Only events and contacts change: the kept figures are extended, not reloaded.
    ok_event(
        &app,
        &coach,
        a,
        json!({"type": "employed", "at": "2025-03-01", "placement_type": "competitive",
        "hours_per_week": 25, "employer_id": employer, "supersedes": wrong}),
    )
    .await;
    ok_event(
        &app,
        &coach,
        b,
        json!({"type": "interview", "at": "2025-02-20", "employer_id": employer}),
    )
    .await;
    let r = app
        .post("/api/v1/employer-contacts", &coach, &json!({"employer_id": employer, "at": "2025-02-10T10:00:00Z", "face_to_face": true, "client_id": b}))
        .await;
    assert_eq!(r.status(), 201);
    let mid = figures(&app, &coordinator).await;
    assert_ne!(mid, before, "the new events move the figures");

    // A new posting (created, not edited: earlier events keep their meaning) and a placement
    // in it, whose occupation counts for job-type diversity.
    let v = cook_vacancy(&app, &coach, employer).await;
    ok_event(&app, &coach, b, json!({"type": "employed", "at": "2025-03-10", "placement_type": "competitive", "hours_per_week": 30, "vacancy_id": v})).await;

    // A new client (a change-log entry about a client only) with its first steps.
    let c = client(&app, &coach, "C", "2025-04-01").await;
    first_steps(&app, &coach, c, "2025-04-01", "2025-04-02").await;
    let updated = figures(&app, &coordinator).await;
    assert_ne!(updated, mid, "the new client counts");

    // A second job of the same occupation, then an edit of the first job's vacancy: an edit
    // changes what earlier events mean (B's job is now of another occupation), and the kept
    // figures re-read the events that name the edited posting.
    let v2 = cook_vacancy(&app, &coach, employer).await;
    ok_event(&app, &coach, c, json!({"type": "employed", "at": "2025-04-10", "placement_type": "competitive", "hours_per_week": 20, "vacancy_id": v2})).await;
    let same_occupation = figures(&app, &coordinator).await;
    let r = app
        .patch(
            &format!("/api/v1/vacancies/{v}"),
            &coach,
            &json!({"occupation_code": "9112"}),
        )
        .await;
    assert_eq!(r.status(), 200, "{:?}", r.text().await);
    let edited = figures(&app, &coordinator).await;
    assert_ne!(
        diversity(&edited),
        diversity(&same_occupation),
        "two jobs of one occupation, then of two: {:?}",
        diversity(&edited)
    );
    assert_ne!(updated, edited);

    // Every period is answered from the same kept rows, cut at the period's last day in
    // memory: the same rows as reading the database up to that day.
    let store = kohtaamo::store::Store::open(&app.database_url())
        .await
        .unwrap();
    let compare = |store: kohtaamo::store::Store| async move {
        for until in [
            "2025-02-02",
            "2025-02-03",
            "2025-03-01",
            "2025-04-01",
            "2025-04-09",
            "2025-04-10",
            "2026-01-01",
        ] {
            let until = until.parse().unwrap();
            let all = store.funnel_data(None, until).await.unwrap();
            let read = store.load_funnel_data(None, until).await.unwrap();
            // The reports leave out the later rows as they count, without a copy.
            assert_eq!(reports(&all, until), reports(&read, until), "{until}");
            let kept = all.through(until);
            assert_eq!(kept.clients, read.clients, "{until}");
            assert_eq!(kept.events, read.events, "{until}");
            assert_eq!(contacts(&kept), contacts(&read), "{until}");
        }
        store
    };
    let store = compare(store).await;
    // Rows added since are merged into the kept ones (not read anew): a contact in the last
    // second of a day and an event, then the same comparison.
    let r = app
        .post(
            "/api/v1/employer-contacts",
            &coach,
            &json!({"employer_id": employer, "at": "2025-04-09T23:59:59Z", "face_to_face": false}),
        )
        .await;
    assert_eq!(r.status(), 201);
    ok_event(
        &app,
        &coach,
        b,
        json!({"type": "job_ended", "at": "2025-04-10"}),
    )
    .await;
    let store = compare(store).await;
    store.close().await;
    let updated = figures(&app, &coordinator).await;

    let dir = app.stop().await;
    let fresh_app = spawn_app_in(dir).await;
    let fresh = figures(&fresh_app, &coordinator).await;
    assert_eq!(updated, fresh);
}

/// Stops `app`, starts a node again on its database and index, and waits until it is ready
/// (the all-coaches rows are loaded in the background at a start).
async fn restart(app: TestApp) -> TestApp {
    let app = spawn_app_in(app.stop().await).await;
    crate::readiness::until_ready(&app).await;
    app
}

/// How this node brought the all-coaches rows up to date, from `/metrics`: every row read from
/// the database, and the rows kept in the database read.
async fn loads(app: &TestApp) -> (u64, u64) {
    let text = crate::metrics::metrics(app).await;
    let count = |from: &str| {
        let series = format!("kohtaamo_funnel_loads_total{{from=\"{from}\"}} ");
        text.lines()
            .find_map(|l| l.strip_prefix(series.as_str()))
            .unwrap_or_else(|| panic!("no {series}in /metrics"))
            .parse::<u64>()
            .unwrap()
    };
    (count("database"), count("kept"))
}

/// Waits until the database keeps rows that meet `condition` (SQL on `funnel_snapshots`):
/// they are written in the background.
async fn until_kept(db: &RawDb, condition: &str, args: &[Arg], failure: &str) {
    let began = std::time::Instant::now();
    let query = format!("SELECT CAST(1 AS BIGINT) FROM funnel_snapshots WHERE {condition}");
    loop {
        let kept: Vec<(i64,)> = db.fetch_all(&query, args).await;
        if !kept.is_empty() {
            return;
        }
        assert!(
            began.elapsed() < std::time::Duration::from_secs(20),
            "{failure}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_node_that_starts_reads_the_kept_rows_and_then_only_what_changed() {
    let app = crate::helpers::spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let employer = app.employer(&coach, "Kahvila Oy").await;
    let a = client(&app, &coach, "A", "2025-01-10").await;
    let b = client(&app, &coach, "B", "2025-02-01").await;
    let v = cook_vacancy(&app, &coach, employer).await;
    for c in [a, b] {
        ok_event(
            &app,
            &coach,
            c,
            json!({"type": "engaged", "at": "2025-02-02", "out_of_work_at_entry": c == a}),
        )
        .await;
        ok_event(
            &app,
            &coach,
            c,
            json!({"type": "job_search", "at": "2025-02-03"}),
        )
        .await;
        ok_event(&app, &coach, c, json!({"type": "employer_contact", "at": "2025-02-04T10:00:00Z", "employer_id": employer, "face_to_face": true})).await;
    }
    let job_a = ok_event(&app, &coach, a, json!({"type": "employed", "at": "2025-03-01", "placement_type": "work_trial", "hours_per_week": 22.5, "vacancy_id": v})).await;
    let v2 = cook_vacancy(&app, &coach, employer).await;
    ok_event(&app, &coach, b, json!({"type": "employed", "at": "2025-03-05", "placement_type": "competitive", "hours_per_week": 30, "vacancy_id": v2})).await;
    let r = app
        .post(
            "/api/v1/employer-contacts",
            &coach,
            &json!({"employer_id": employer, "at": "2025-02-10T10:00:00Z", "face_to_face": true}),
        )
        .await;
    assert_eq!(r.status(), 201);
    // The rows kept at the first start are of an empty database; without them, the next
    // start reads every row and keeps them.
    let db = RawDb::connect(&app.database_url()).await;
    db.execute("DELETE FROM funnel_snapshots", &[])
        .await
        .unwrap();
    let before = figures(&app, &coordinator).await;

    let app = restart(app).await;
    assert_eq!(loads(&app).await, (1, 0), "no kept rows: every row is read");
    until_kept(
        &db,
        "events_version > 0",
        &[],
        "the rows read at the start were not kept in the database",
    )
    .await;
    assert_eq!(figures(&app, &coordinator).await, before);

    let app = restart(app).await;
    assert_eq!(
        loads(&app).await,
        (0, 1),
        "the kept rows are read, not every row"
    );
    assert_eq!(figures(&app, &coordinator).await, before);

    // Changes the kept rows lack: a correction of a kept event (A's work trial was a paid
    // job), a correction of a new one, a new event, a contact, a new client, a changed client
    // (B's intake a month earlier), and an edited posting (the jobs were of one occupation,
    // now of two).
    ok_event(&app, &coach, a, json!({"type": "employed", "at": "2025-03-01", "placement_type": "competitive", "hours_per_week": 22.5, "vacancy_id": v, "supersedes": job_a})).await;
    let r = app
        .patch(
            &format!("/api/v1/clients/{b}"),
            &coach,
            &json!({"intake_date": "2025-01-02"}),
        )
        .await;
    assert_eq!(r.status(), 200, "{:?}", r.text().await);
    let wrong = ok_event(
        &app,
        &coach,
        b,
        json!({"type": "interview", "at": "2025-02-20", "employer_id": employer}),
    )
    .await;
    ok_event(&app, &coach, b, json!({"type": "interview", "at": "2025-02-21", "employer_id": employer, "supersedes": wrong})).await;
    ok_event(
        &app,
        &coach,
        a,
        json!({"type": "job_ended", "at": "2025-06-30"}),
    )
    .await;
    let r = app
        .post(
            "/api/v1/employer-contacts",
            &coach,
            &json!({"employer_id": employer, "at": "2025-06-01T09:00:00Z", "face_to_face": false}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let c = client(&app, &coach, "C", "2025-04-01").await;
    ok_event(
        &app,
        &coach,
        c,
        json!({"type": "engaged", "at": "2025-04-01"}),
    )
    .await;
    let r = app
        .patch(
            &format!("/api/v1/vacancies/{v2}"),
            &coach,
            &json!({"occupation_code": "9112"}),
        )
        .await;
    assert_eq!(r.status(), 200, "{:?}", r.text().await);
    let changed = figures(&app, &coordinator).await;
    assert_ne!(changed, before);

    let app = restart(app).await;
    assert_eq!(
        loads(&app).await,
        (0, 1),
        "the kept rows, then what changed since"
    );
    assert_eq!(figures(&app, &coordinator).await, changed);
    // The rows in memory are those of reading every row, at every cut.
    let store = kohtaamo::store::Store::open(&app.database_url())
        .await
        .unwrap();
    for until in ["2025-02-03", "2025-03-01", "2025-04-01", "2026-01-01"] {
        let until = until.parse().unwrap();
        let kept = store.funnel_data(None, until).await.unwrap().through(until);
        let read = store.load_funnel_data(None, until).await.unwrap();
        assert_eq!(kept.clients, read.clients, "{until}");
        assert_eq!(kept.events, read.events, "{until}");
        assert_eq!(contacts(&kept), contacts(&read), "{until}");
    }
    store.close().await;

    // Kept rows that cannot be read are not used: every row is read again, and kept anew.
    db.execute(
        "UPDATE funnel_snapshots SET data = substr(data, 1, 20)",
        &[],
    )
    .await
    .unwrap();
    let app = restart(app).await;
    assert_eq!(
        loads(&app).await,
        (1, 0),
        "damaged kept rows: every row is read"
    );
    assert_eq!(figures(&app, &coordinator).await, changed);
    db.close().await;
    app.stop().await;
}

/// The contacts of `data` in one order (a read and an extension list them differently).
fn contacts(data: &kohtaamo::funnel::FunnelData) -> Vec<(i64, i64, bool)> {
    let mut c: Vec<_> = data
        .contacts
        .iter()
        .map(|c| (c.coach_id, c.at, c.face_to_face))
        .collect();
    c.sort();
    c
}

/// `count` postings of one employer as `kohtaamo import vacancies` reads them, the `i`th of
/// occupation `occupation(i)`.
fn feed(count: usize, occupation: impl Fn(usize) -> &'static str) -> String {
    (0..count)
        .map(|i| {
            json!({"@type": "JobPosting", "identifier": format!("v-{i}"), "title": "Kokki",
                   "description": "Keittiötyötä.", "hiringOrganization": {"name": "Tuonti Oy"},
                   "occupationalCategory": occupation(i)})
            .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn a_feed_that_edits_hundreds_of_postings_is_patched_in_not_read_again() {
    let app = crate::helpers::spawn_app().await;
    crate::readiness::until_ready(&app).await;
    let coach = app.token(Role::Coach, None).await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let path = app.dir.path().join("feed.jsonl");
    std::fs::write(&path, feed(600, |_| "5120")).unwrap();
    crate::cli::import_vacancies(&app.database_url(), &app.index_dir(), &path);
    let list: Value = app
        .get("/api/v1/vacancies?limit=100", &coach)
        .await
        .json()
        .await
        .unwrap();
    let id_of = |parity: usize| {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| {
                let n: usize = v["external_id"].as_str().unwrap()[2..].parse().unwrap();
                n % 2 == parity
            })
            .map(|v| v["id"].as_i64().unwrap())
            .unwrap()
    };
    let (even, odd) = (id_of(0), id_of(1));
    for (name, vacancy) in [("A", even), ("B", odd)] {
        let c = client(&app, &coach, name, "2025-01-10").await;
        ok_event(
            &app,
            &coach,
            c,
            json!({"type": "job_search", "at": "2025-02-03"}),
        )
        .await;
        ok_event(&app, &coach, c, json!({"type": "employed", "at": "2025-03-01", "placement_type": "competitive", "hours_per_week": 25, "vacancy_id": vacancy})).await;
    }
    let one_occupation = figures(&app, &coordinator).await;
    let (read_all, _) = loads(&app).await;

    // The same feed again with every odd posting of another occupation: 600 edits, and the
    // two jobs are now of two occupations.
    std::fs::write(
        &path,
        feed(600, |i| if i % 2 == 0 { "5120" } else { "9112" }),
    )
    .unwrap();
    let summary = crate::cli::import_vacancies(&app.database_url(), &app.index_dir(), &path);
    assert!(summary.contains("updated 600"), "{summary}");
    let two_occupations = figures(&app, &coordinator).await;
    assert_eq!(
        loads(&app).await.0,
        read_all,
        "600 edited postings: their events are patched in, no row is read again"
    );
    assert_ne!(
        diversity(&two_occupations),
        diversity(&one_occupation),
        "{:?}",
        diversity(&two_occupations)
    );
    // The same figures as a node that reads every row.
    let db = RawDb::connect(&app.database_url()).await;
    db.execute("DELETE FROM funnel_snapshots", &[])
        .await
        .unwrap();
    db.close().await;
    let app = restart(app).await;
    assert_eq!(loads(&app).await, (1, 0));
    assert_eq!(figures(&app, &coordinator).await, two_occupations);
    app.stop().await;
}

#[tokio::test]
async fn rows_that_descend_from_a_read_older_than_a_day_are_read_again_and_mended() {
    let app = crate::helpers::spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let a = client(&app, &coach, "A", "2025-01-10").await;
    ok_event(
        &app,
        &coach,
        a,
        json!({"type": "job_search", "at": "2025-02-03"}),
    )
    .await;
    let b = client(&app, &coach, "B", "2025-03-10").await;
    ok_event(
        &app,
        &coach,
        b,
        json!({"type": "job_search", "at": "2025-03-11"}),
    )
    .await;
    let db = RawDb::connect(&app.database_url()).await;
    db.execute("DELETE FROM funnel_snapshots", &[])
        .await
        .unwrap();
    let app = restart(app).await;
    until_kept(
        &db,
        "events_version > 0",
        &[],
        "the rows read at the start were not kept in the database",
    )
    .await;
    let before = figures(&app, &coordinator).await;

    // A change made beneath the service (no change-log entry): B's intake moves into the
    // next year, out of the report's period. The kept rows cannot know; and they say they
    // descend from a read of every row long ago.
    db.execute(
        "UPDATE clients SET intake_date = '2026-01-05' WHERE id = ?",
        &[b.into()],
    )
    .await
    .unwrap();
    db.execute(
        "UPDATE funnel_snapshots SET full_read_at = ?",
        &[Arg::Secs(chrono::DateTime::UNIX_EPOCH)],
    )
    .await
    .unwrap();
    let app = restart(app).await;
    assert_eq!(loads(&app).await.1, 1, "the start reads the kept rows");

    // Then, in the background, every row is read again, and the rows read replace them.
    let began = std::time::Instant::now();
    while loads(&app).await.0 == 0 {
        assert!(
            began.elapsed() < std::time::Duration::from_secs(20),
            "the rows were not read again"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let mended = figures(&app, &coordinator).await;
    assert_ne!(mended, before, "B's new intake counts");
    let store = kohtaamo::store::Store::open(&app.database_url())
        .await
        .unwrap();
    let until = "2026-12-31".parse().unwrap();
    let read = store.load_funnel_data(None, until).await.unwrap();
    assert!(read
        .clients
        .iter()
        .any(|c| c.id == b && c.intake.to_string() == "2026-01-05"));
    store.close().await;
    // And the kept rows are those read, written anew with the time of that read.
    until_kept(
        &db,
        "full_read_at > ?",
        &[Arg::Secs(chrono::DateTime::UNIX_EPOCH)],
        "the rows read were not kept",
    )
    .await;
    let app = restart(app).await;
    assert_eq!(loads(&app).await, (0, 1));
    assert_eq!(figures(&app, &coordinator).await, mended);
    db.close().await;
    app.stop().await;
}

#[tokio::test]
async fn migrate_keeps_the_funnel_rows_so_that_the_next_start_reads_them_not_every_row() {
    // Arrange: a client's events, then no kept rows (as after a move or a new format).
    let app = crate::helpers::spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let c = client(&app, &coach, "A", "2025-02-01").await;
    first_steps(&app, &coach, c, "2025-02-02", "2025-02-03").await;
    let before = figures(&app, &coordinator).await;
    let (url, index) = (app.database_url(), app.index_dir());
    let dir = app.stop().await;
    let db = RawDb::connect(&url).await;
    db.execute("DELETE FROM funnel_snapshots", &[])
        .await
        .unwrap();

    // Act
    let out = crate::cli::kohtaamo(&url, &index, &["migrate"]);

    // Assert: the rows are kept when migrate returns, and a start reads them.
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("funnel rows read and kept for the next start"),
        "{stdout}"
    );
    let kept: Vec<(i64,)> = db
        .fetch_all(
            "SELECT CAST(1 AS BIGINT) FROM funnel_snapshots WHERE events_version > 0",
            &[],
        )
        .await;
    assert_eq!(kept.len(), 1, "migrate returned before the rows were kept");
    // Kept rows that a node can start from are not read again.
    let again = crate::cli::kohtaamo(&url, &index, &["migrate"]);
    assert!(again.status.success());
    let again = String::from_utf8_lossy(&again.stdout);
    assert!(!again.contains("funnel rows read"), "{again}");
    db.close().await;
    let app = spawn_app_in(dir).await;
    crate::readiness::until_ready(&app).await;
    assert_eq!(loads(&app).await, (0, 1), "the kept rows, not every row");
    assert_eq!(figures(&app, &coordinator).await, before);
    app.stop().await;
}

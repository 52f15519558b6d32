//! Trustworthy under load: concurrent writers, closers and readers (`/matches` and search)
//! for a bounded time against one service. No request may get a server error, and no posting
//! closed before a request started may appear in its answer. The service runs as `serve` does
//! by default: writes do not wait for the index, so closes not yet committed to it must be
//! left out of answers by the closed set every request reads with its one searcher.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kohtaamo::domain::Role;
use serde_json::{json, Value};

use crate::helpers::{settings, spawn_app_with};

/// How long the load runs.
const RUN: Duration = Duration::from_secs(12);
/// Closes the run must have made to have tested anything; a slow machine runs longer (up to
/// [`MAX_RUN`]) rather than pass without them.
const MIN_CLOSED: usize = 11;
/// The longest the run goes on.
const MAX_RUN: Duration = Duration::from_secs(60);
/// Set when the run is over (this test's own flag: no other test reads it).
static DONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writes_closes_and_reads_give_no_error_and_no_closed_posting() {
    let dir = crate::helpers::test_dir();
    let mut settings = settings(dir.path());
    settings.writes_wait_for_index = false;
    let app = Arc::new(spawn_app_with(dir, settings).await);
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Kuormitus Oy").await;
    let mut clients = Vec::new();
    for (i, wish) in ["varastotyö", "siivous", "keittiö", ""].iter().enumerate() {
        let r = app
            .post(
                "/api/v1/clients",
                &coach,
                &json!({"display_name": format!("S{i}"), "home_municipality": "Lahti",
                        "preferences": {"desired_work": wish}}),
            )
            .await;
        clients.push(r.json::<Value>().await.unwrap()["id"].as_i64().unwrap());
    }
    let closed: Arc<Mutex<HashSet<i64>>> = Arc::default();
    let open: Arc<Mutex<Vec<i64>>> = Arc::default();
    let errors: Arc<Mutex<Vec<String>>> = Arc::default();
    let requests = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let titles = ["Varastotyöntekijä", "Siivooja", "Keittiöapulainen", "Myyjä"];
    let mut tasks = Vec::new();

    // Two writers post vacancies.
    for w in 0..2 {
        let (app, coach, open, errors, requests) = (
            app.clone(),
            coach.clone(),
            open.clone(),
            errors.clone(),
            requests.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut n = 0;
            while !DONE.load(std::sync::atomic::Ordering::Relaxed) {
                n += 1;
                let title = titles[(n + w) % titles.len()];
                let r = app
                    .post(
                        "/api/v1/vacancies",
                        &coach,
                        &json!({"employer_id": employer, "title": title,
                                "description": format!("Työtä Lahdessa, ilmoitus {w}-{n}."),
                                "municipality": "Lahti"}),
                    )
                    .await;
                requests.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if r.status() != 201 {
                    errors.lock().unwrap().push(format!("POST {}", r.status()));
                    continue;
                }
                let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
                open.lock().unwrap().push(id);
            }
        }));
    }
    // One closer closes the oldest open vacancy, and records it as closed once the 204 came.
    {
        let (app, coach, open, closed, errors, requests) = (
            app.clone(),
            coach.clone(),
            open.clone(),
            closed.clone(),
            errors.clone(),
            requests.clone(),
        );
        tasks.push(tokio::spawn(async move {
            while !DONE.load(std::sync::atomic::Ordering::Relaxed) {
                let next = {
                    let mut open = open.lock().unwrap();
                    (open.len() > 3).then(|| open.remove(0))
                };
                let Some(id) = next else {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    continue;
                };
                let r = app.delete(&format!("/api/v1/vacancies/{id}"), &coach).await;
                requests.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if r.status() == 204 {
                    closed.lock().unwrap().insert(id);
                } else {
                    errors
                        .lock()
                        .unwrap()
                        .push(format!("DELETE {}", r.status()));
                }
            }
        }));
    }
    // Three readers ask for matches and search, checking against what was closed before.
    for r in 0..3 {
        let (app, coach, closed, errors, requests, clients) = (
            app.clone(),
            coach.clone(),
            closed.clone(),
            errors.clone(),
            requests.clone(),
            clients.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut n = 0usize;
            while !DONE.load(std::sync::atomic::Ordering::Relaxed) {
                n += 1;
                let before: HashSet<i64> = closed.lock().unwrap().clone();
                let (path, key) = if (n + r).is_multiple_of(2) {
                    let c = clients[n % clients.len()];
                    (
                        format!("/api/v1/clients/{c}/matches?kind=vacancy&limit=50"),
                        "matches",
                    )
                } else {
                    let q = ["varasto", "siivooja", "keittiö", "lahdessa"][n % 4];
                    (format!("/api/v1/search?q={q}&limit=50"), "hits")
                };
                let resp = app.get(&path, &coach).await;
                requests.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let status = resp.status();
                if status != 200 {
                    let body = resp.text().await.unwrap_or_default();
                    errors
                        .lock()
                        .unwrap()
                        .push(format!("GET {path}: {status} {body}"));
                    continue;
                }
                let body: Value = resp.json().await.unwrap();
                for item in body[key].as_array().into_iter().flatten() {
                    let id = item["id"].as_i64().unwrap();
                    if item["kind"] == "vacancy" && before.contains(&id) {
                        errors
                            .lock()
                            .unwrap()
                            .push(format!("GET {path}: vacancy {id} was closed before"));
                    }
                }
            }
        }));
    }
    // The run ends after RUN once enough postings were closed, at MAX_RUN at the latest.
    let started = Instant::now();
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let enough = closed.lock().unwrap().len() >= MIN_CLOSED;
        if (started.elapsed() >= RUN && enough) || started.elapsed() >= MAX_RUN {
            break;
        }
    }
    DONE.store(true, std::sync::atomic::Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }
    let errors = errors.lock().unwrap();
    let n = requests.load(std::sync::atomic::Ordering::Relaxed);
    let closed = closed.lock().unwrap().len();
    println!(
        "{n} requests, {closed} vacancies closed during the run, {} errors",
        errors.len()
    );
    assert!(
        closed >= MIN_CLOSED,
        "the closer closed only {closed} postings in {MAX_RUN:?}"
    );
    assert!(errors.is_empty(), "{:#?}", &errors[..errors.len().min(20)]);
}

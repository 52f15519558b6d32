//! kill -9: the real binary is killed mid-stream (during concurrent API writes, and during
//! an import) and started again on the same database and index. Nothing acknowledged is lost,
//! and once the index has caught up it holds exactly the open postings of the database. Both
//! backends: the database is the harness's (a SQLite file in the test's directory, or a
//! PostgreSQL database of the test's own).

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kohtaamo::domain::Role;
use kohtaamo::store::Store;
use serde_json::{json, Value};

use crate::helpers::{database_url_for, test_dir};

/// Writes acknowledged before the kill; the kill comes after at least this many.
const MIN_ACKNOWLEDGED: usize = 40;
/// The longest the writers run before the kill, however few writes they got through.
const MAX_WRITING: Duration = Duration::from_secs(20);

/// A `kohtaamo serve` process on a database and an index.
pub struct Server {
    child: Child,
    pub base: String,
}

fn kohtaamo(dir: &Path) -> Command {
    kohtaamo_on(&database_url_for(dir), &dir.join("index"))
}

/// The `kohtaamo` command on the database at `url` with the index in `index_dir`.
pub fn kohtaamo_on(url: &str, index_dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kohtaamo"));
    cmd.env("KOHTAAMO_DATABASE_URL", url)
        .env("KOHTAAMO_INDEX_DIR", index_dir)
        // The database's active model, whatever the developer's shell or checkout has.
        .env_remove("KOHTAAMO_MODEL")
        .current_dir(index_dir.parent().unwrap_or(index_dir))
        .env("RUST_LOG", "warn");
    cmd
}

impl Server {
    /// Starts `kohtaamo serve` on `dir`'s database and index.
    fn start(dir: &Path) -> Server {
        Self::start_with(kohtaamo(dir))
    }

    /// Starts `kohtaamo serve` on the database at `url` with its own index in `index_dir`
    /// (one node of several on a shared database).
    pub fn start_on(url: &str, index_dir: &Path) -> Server {
        Self::start_with(kohtaamo_on(url, index_dir))
    }

    /// Starts `cmd serve` on a free port and waits until it says where it listens.
    fn start_with(mut cmd: Command) -> Server {
        let mut child = cmd
            .args(["serve", "--bind", "127.0.0.1:0", "--workers", "2"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("kohtaamo serve starts");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("serve prints where it listens")
                .expect("stdout");
            if let Some(rest) = line.strip_prefix("kohtaamo listening on ") {
                break rest.split_whitespace().next().expect("address").to_string();
            }
        };
        // Keep reading stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, base }
    }

    /// SIGKILL: no shutdown of any kind.
    pub fn kill_9(mut self) {
        self.child.kill().expect("kill -9");
        self.child.wait().expect("killed server is reaped");
    }

    /// Waits until the index reflects the whole change log (`/ready` reports the lag).
    pub async fn caught_up(&self, http: &reqwest::Client) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let ready: Value = http
                .get(format!("{}/ready", self.base))
                .send()
                .await
                .expect("ready")
                .json()
                .await
                .expect("ready body");
            let index = &ready["checks"]["index"];
            if index["lag"] == 0 && index["applied_seq"].as_i64().unwrap_or(-1) >= 0 {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the index did not catch up after the restart: {ready}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every id of a paged list (`/api/v1/vacancies?…` or `/api/v1/search?…`), with `key` naming
/// the array of items.
pub async fn all_ids(http: &reqwest::Client, token: &str, url: &str, key: &str) -> BTreeSet<i64> {
    let mut ids = BTreeSet::new();
    let mut offset = 0;
    loop {
        let page: Value = http
            .get(format!("{url}&limit=100&offset={offset}"))
            .bearer_auth(token)
            .send()
            .await
            .expect("list")
            .json()
            .await
            .expect("list body");
        let items = page[key].as_array().expect("items");
        for item in items {
            if item["kind"].as_str().is_none_or(|k| k == "vacancy") {
                ids.insert(item["id"].as_i64().expect("id"));
            }
        }
        offset += 100;
        if items.is_empty() || offset as i64 >= page["total"].as_i64().expect("total") {
            return ids;
        }
    }
}

/// What one writer knows was done: acknowledged (2xx) creates and closes, and the writes that
/// may or may not have happened (no answer before the kill).
#[derive(Default)]
struct Ledger {
    created: BTreeMap<i64, String>,
    closed: BTreeSet<i64>,
    close_unanswered: BTreeSet<i64>,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_acknowledged_write_is_lost_to_a_kill_9_and_the_index_catches_up_exactly() {
    let dir = test_dir();
    let store = Store::open(&database_url_for(dir.path())).await.unwrap();
    let (_, token) = store
        .create_user("crash-coach", Role::Coach, None)
        .await
        .unwrap();
    store.close().await;
    let server = Server::start(dir.path());
    let http = reqwest::Client::new();
    let r = http
        .post(format!("{}/api/v1/employers", server.base))
        .bearer_auth(&token)
        .json(&json!({"name": "Kaatuminen Oy"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let employer = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    // Arrange: 4 writers create vacancies and close every third one they made.
    let ledger: Arc<Mutex<Ledger>> = Arc::default();
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..4 {
        let (base, token, ledger, stop) = (
            server.base.clone(),
            token.clone(),
            ledger.clone(),
            stop.clone(),
        );
        writers.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let mut n = 0;
            let mut mine = Vec::new();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                n += 1;
                if n % 3 == 0 {
                    if let Some(id) = mine.pop() {
                        let r = http
                            .delete(format!("{base}/api/v1/vacancies/{id}"))
                            .bearer_auth(&token)
                            .send()
                            .await;
                        let mut l = ledger.lock().unwrap();
                        match r {
                            Ok(r) if r.status() == 204 => {
                                l.closed.insert(id);
                            }
                            Ok(r) => panic!("close of {id} answered {}", r.status()),
                            Err(_) => {
                                l.close_unanswered.insert(id);
                                return;
                            }
                        }
                        continue;
                    }
                }
                let title = format!("Kaatumistesti {w}-{n}");
                let r = http
                    .post(format!("{base}/api/v1/vacancies"))
                    .bearer_auth(&token)
                    .json(&json!({"employer_id": employer, "title": title,
                                  "description": "Varastotyötä aamuisin.", "municipality": "Lahti"}))
                    .send()
                    .await;
                let Ok(r) = r else { return };
                assert_eq!(r.status(), 201, "create answered {}", r.status());
                let Ok(body) = r.json::<Value>().await else {
                    return;
                };
                let id = body["id"].as_i64().expect("id");
                ledger.lock().unwrap().created.insert(id, title);
                mine.push(id);
            }
        }));
    }

    // Act: kill -9 while they write, then start again on the same files.
    let started = Instant::now();
    loop {
        tokio::time::sleep(Duration::from_millis(20)).await;
        let l = ledger.lock().unwrap();
        if l.created.len() + l.closed.len() >= MIN_ACKNOWLEDGED || started.elapsed() > MAX_WRITING {
            break;
        }
    }
    server.kill_9();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for w in writers {
        w.await.expect("writer");
    }
    let ledger = Arc::try_unwrap(ledger)
        .ok()
        .expect("writers done")
        .into_inner()
        .unwrap();
    assert!(
        ledger.created.len() + ledger.closed.len() >= MIN_ACKNOWLEDGED,
        "too few writes before the kill to test anything: {} creates, {} closes",
        ledger.created.len(),
        ledger.closed.len()
    );
    assert!(!ledger.closed.is_empty(), "no close was acknowledged");
    let server = Server::start(dir.path());
    server.caught_up(&http).await;

    // Assert: every acknowledged create is there with its title, every acknowledged close is
    // closed, and every other acknowledged vacancy is open.
    for (id, title) in &ledger.created {
        let r = http
            .get(format!("{}/api/v1/vacancies/{id}", server.base))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "acknowledged vacancy {id} lost");
        let v: Value = r.json().await.unwrap();
        assert_eq!(v["title"], title.as_str());
        let status = v["status"].as_str().unwrap();
        if ledger.closed.contains(id) {
            assert_eq!(status, "closed", "acknowledged close of {id} lost");
        } else if !ledger.close_unanswered.contains(id) {
            assert_eq!(status, "open", "vacancy {id} closed by nobody");
        }
    }
    // The index holds exactly the open postings.
    let open = all_ids(
        &http,
        &token,
        &format!("{}/api/v1/vacancies?status=open", server.base),
        "items",
    )
    .await;
    let searchable = all_ids(
        &http,
        &token,
        &format!("{}/api/v1/search?kind=vacancy&q=", server.base),
        "hits",
    )
    .await;
    assert_eq!(
        searchable, open,
        "index and database differ after the restart"
    );
    assert!(ledger.closed.iter().all(|id| !searchable.contains(id)));
    assert!(ledger
        .created
        .keys()
        .filter(|id| !ledger.closed.contains(id) && !ledger.close_unanswered.contains(id))
        .all(|id| searchable.contains(id)));
    server.kill_9();
}

/// Lines of generated JobPostings, each with its own identifier.
fn postings_file(path: &Path, n: usize) {
    let mut file = std::fs::File::create(path).unwrap();
    for line in kohtaamo::demo::job_postings(21, n, 40) {
        writeln!(file, "{line}").unwrap();
    }
}

async fn vacancy_count(dir: &Path) -> i64 {
    let store = Store::open(&database_url_for(dir)).await.unwrap();
    let count = store.open_posting_count().await.unwrap() as i64;
    store.close().await;
    count
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_killed_midway_and_run_again_imports_every_line_exactly_once() {
    const LINES: usize = 4_000;
    let dir = test_dir();
    let file = dir.path().join("vacancies.jsonl");
    postings_file(&file, LINES);
    // Migrated before the import starts, so the kill lands in the import itself.
    Store::open(&database_url_for(dir.path()))
        .await
        .unwrap()
        .close()
        .await;

    // Act: kill -9 once part of the file is in, then run the same import again.
    let mut import = kohtaamo(dir.path())
        .args(["import", "vacancies", file.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let watching = Store::open(&database_url_for(dir.path())).await.unwrap();
    let at_kill = loop {
        let n = watching.open_posting_count().await.unwrap() as i64;
        if n > 0 {
            break n;
        }
        assert!(
            import.try_wait().unwrap().is_none(),
            "the import ended before any of it was seen"
        );
        assert!(Instant::now() < deadline, "the import wrote nothing");
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    import.kill().unwrap();
    import.wait().unwrap();
    watching.close().await;
    let after_kill = vacancy_count(dir.path()).await;
    assert!(
        (at_kill as usize) < LINES && (after_kill as usize) < LINES,
        "the kill came after the import had finished ({after_kill} of {LINES})"
    );
    let again = kohtaamo(dir.path())
        .args(["import", "vacancies", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        again.status.success(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );

    // Assert: the rows are exact, and the second run says what it did.
    assert_eq!(vacancy_count(dir.path()).await, LINES as i64);
    let summary = String::from_utf8_lossy(&again.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        summary,
        format!(
            "imported {}, updated {after_kill}, rejected 0",
            LINES as i64 - after_kill
        )
    );
    // And the index, built from the database, holds every one of them once.
    let server = Server::start(dir.path());
    let http = reqwest::Client::new();
    server.caught_up(&http).await;
    let store = Store::open(&database_url_for(dir.path())).await.unwrap();
    let (_, token) = store
        .create_user("crash-coach", Role::Coach, None)
        .await
        .unwrap();
    store.close().await;
    let all: Value = http
        .get(format!(
            "{}/api/v1/search?kind=vacancy&limit=1",
            server.base
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(all["total"], LINES);
    server.kill_9();
}

//! Write on one node, search on another: two real `kohtaamo serve` processes on one database,
//! each with its own index. A vacancy with a word of its own is posted through node A; from
//! the moment A answers, node B's search is asked for the word every 2 ms until it finds it.
//! `KOHTAAMO_BENCH_WRITES` writes (1,000 by default), one after another; prints p50/p90/p99
//! and the slowest, per backend.
//!
//! Backends: PostgreSQL (the server at `KOHTAAMO_BENCH_POSTGRES`, by default
//! `postgres://postgres@127.0.0.1:5432`; a database `kohtaamo_bench_nodes` is created and
//! dropped) and SQLite (both processes on one file, for comparison).
//! `KOHTAAMO_BENCH_BACKENDS=postgres` (or `sqlite`) runs one. Target (issue 10): searchable
//! through another node within 1 second.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kohtaamo::domain::Role;
use kohtaamo::store::Store;
use serde_json::{json, Value};
use sqlx::{Connection, Executor};

struct Node {
    child: Child,
    base: String,
}

impl Node {
    fn start(url: &str, index_dir: &Path) -> Node {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kohtaamo"))
            .env("KOHTAAMO_DATABASE_URL", url)
            .env("KOHTAAMO_INDEX_DIR", index_dir)
            .env("KOHTAAMO_RATE_LIMIT_SEARCH", "1000000/s")
            .env("KOHTAAMO_RATE_LIMIT_SEARCH_BURST", "1000000")
            .env("RUST_LOG", "warn")
            .args(["serve", "--bind", "127.0.0.1:0", "--workers", "2"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("kohtaamo serve starts");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let base = loop {
            let line = lines.next().expect("serve says where").expect("stdout");
            if let Some(rest) = line.strip_prefix("kohtaamo listening on ") {
                break rest.split_whitespace().next().expect("address").to_string();
            }
        };
        std::thread::spawn(move || for _ in lines {});
        Node { child, base }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A word of letters only that no posting holds: `i` in base 26 after a fixed stem.
fn word(i: usize) -> String {
    let mut s = String::from("solmukoe");
    let mut n = i + 26 * 26;
    while n > 0 {
        s.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
    }
    s
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

async fn run(backend: &str, url: &str, writes: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(url).await.expect("database");
    let (_, token) = store
        .create_user("bench-coach", Role::Coach, None)
        .await
        .expect("user");
    store.close().await;
    let a = Node::start(url, &dir.path().join("index-a"));
    let b = Node::start(url, &dir.path().join("index-b"));
    let http = reqwest::Client::new();
    let employer: Value = http
        .post(format!("{}/api/v1/employers", a.base))
        .bearer_auth(&token)
        .json(&json!({"name": "Solmu Oy"}))
        .send()
        .await
        .expect("employer")
        .json()
        .await
        .expect("employer body");
    let employer = employer["id"].as_i64().expect("employer id");
    let mut latencies = Vec::with_capacity(writes);
    let started = Instant::now();
    for i in 0..writes {
        let w = word(i);
        let r = http
            .post(format!("{}/api/v1/vacancies", a.base))
            .bearer_auth(&token)
            .json(
                &json!({"employer_id": employer, "title": format!("Varastotyö {w}"),
                          "description": "Varastotyötä aamuisin.", "municipality": "Lahti"}),
            )
            .send()
            .await
            .expect("write");
        assert_eq!(r.status(), 201, "write answered {}", r.status());
        let answered = Instant::now();
        loop {
            let found: Value = http
                .get(format!("{}/api/v1/search?q={w}&limit=1", b.base))
                .bearer_auth(&token)
                .send()
                .await
                .expect("search")
                .json()
                .await
                .expect("search body");
            if found["hits"].as_array().is_some_and(|h| !h.is_empty()) {
                break;
            }
            assert!(
                answered.elapsed() < Duration::from_secs(30),
                "write {i} not searchable on node B after 30 s"
            );
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        latencies.push(answered.elapsed());
    }
    let took = started.elapsed();
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{backend}: {writes} writes through node A, searchable through node B after \
         p50 {:.1} ms, p90 {:.1} ms, p99 {:.1} ms, slowest {:.1} ms ({:.1} s in all)",
        ms(percentile(&latencies, 0.50)),
        ms(percentile(&latencies, 0.90)),
        ms(percentile(&latencies, 0.99)),
        ms(*latencies.last().expect("writes")),
        took.as_secs_f64()
    );
}

#[tokio::main]
async fn main() {
    let writes: usize = std::env::var("KOHTAAMO_BENCH_WRITES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1000);
    let backends =
        std::env::var("KOHTAAMO_BENCH_BACKENDS").unwrap_or_else(|_| "postgres,sqlite".into());
    for backend in backends.split(',').map(str::trim) {
        match backend {
            "sqlite" => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("nodes.db").display());
                run("SQLite", &url, writes).await;
            }
            "postgres" => {
                let server = std::env::var("KOHTAAMO_BENCH_POSTGRES")
                    .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
                let name = "kohtaamo_bench_nodes";
                let mut admin = sqlx::PgConnection::connect(&format!("{server}/postgres"))
                    .await
                    .expect("the PostgreSQL server answers (KOHTAAMO_BENCH_POSTGRES)");
                let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                admin
                    .execute(sqlx::AssertSqlSafe(drop.clone()))
                    .await
                    .expect("drop");
                admin
                    .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .await
                    .expect("create");
                run("PostgreSQL", &format!("{server}/{name}"), writes).await;
                admin
                    .execute(sqlx::AssertSqlSafe(drop))
                    .await
                    .expect("drop");
            }
            other => panic!("unknown backend {other} (postgres or sqlite)"),
        }
    }
}

//! The shared benchmark data set: 100,000 generated vacancies from 5,000 employers (seed 7),
//! built once into `target/bench-data/` and reused. `KOHTAAMO_BENCH_VACANCIES` sets another
//! size (300000, 1000000 for the scaling table), built once into its own directory.
//! `KOHTAAMO_BENCH_POSTGRES=postgres://USER@HOST:PORT` runs the benches that call [`backend`]
//! (`matches`; `funnel` copies its own data set; `floor` imports its corpus) on PostgreSQL
//! instead: the SQLite data set is moved once into a database of that server (`kohtaamo migrate
//! --from`'s copy, so ids and the change log are the same) with an index of its own.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kohtaamo::search::{SearchIndex, SCHEMA_VERSION};
use kohtaamo::store::Store;

/// Vacancies in the data set: `KOHTAAMO_BENCH_VACANCIES`, 100,000 when unset.
pub fn vacancies() -> usize {
    std::env::var("KOHTAAMO_BENCH_VACANCIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}
pub const EMPLOYERS: usize = 5_000;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/bench-data")
        .join(format!("search-{}-v{SCHEMA_VERSION}", vacancies()))
}

/// The data set's SQLite database.
pub fn url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("bench.db").display())
}

/// The PostgreSQL server the benches run on, when asked to.
pub fn postgres_server() -> Option<String> {
    std::env::var("KOHTAAMO_BENCH_POSTGRES")
        .ok()
        .map(|s| s.trim_end_matches('/').to_string())
        .filter(|s| !s.is_empty())
}

/// The database and index directory a service on the data set in `dir` runs on: the SQLite
/// file and `index/`, or on PostgreSQL a copy made once (see the module's note).
pub fn backend(rt: &tokio::runtime::Runtime, dir: &Path) -> (String, PathBuf) {
    let Some(server) = postgres_server() else {
        return (url(dir), dir.join("index"));
    };
    let name = format!(
        "kohtaamo_bench_{}",
        dir.file_name()
            .expect("data dir name")
            .to_string_lossy()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "_")
    );
    let pg = format!("{server}/{name}");
    let index = dir.join("index-postgres");
    let done = dir.join("ready-postgres");
    // The marker names the server the copy went to.
    if std::fs::read_to_string(&done).ok().as_deref() != Some(pg.as_str()) {
        eprintln!("copying the data set into PostgreSQL ({name}, once)…");
        let start = Instant::now();
        rt.block_on(copy_to_postgres(&url(dir), &server, &name));
        let _ = std::fs::remove_dir_all(&index);
        copy_dir(&dir.join("index"), &index);
        eprintln!("copied in {:.1} s", start.elapsed().as_secs_f64());
        std::fs::write(&done, &pg).expect("marker");
    }
    (pg, index)
}

/// Copies the SQLite database at `sqlite` into a new database `name` of `server` (as
/// [`postgres_server`] gives it; dropped first if there), analyzed by the copy; returns its URL.
pub async fn copy_to_postgres(sqlite: &str, server: &str, name: &str) -> String {
    let target = fresh_postgres_database(server, name).await;
    let from = Store::open(sqlite).await.expect("source");
    let to = Store::open(&target).await.expect("target");
    from.copy_into(&to, |_, _| {}).await.expect("copy");
    from.close().await;
    to.close().await;
    target
}

/// Creates database `name` on `server` (as [`postgres_server`] gives it), empty: dropped first
/// if there. Returns its URL.
pub async fn fresh_postgres_database(server: &str, name: &str) -> String {
    use sqlx::Connection;
    let mut admin = sqlx::PgConnection::connect(&format!("{server}/postgres"))
        .await
        .expect("PostgreSQL server");
    for statement in [
        format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        format!("CREATE DATABASE {name}"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(statement))
            .execute(&mut admin)
            .await
            .expect("database");
    }
    admin.close().await.expect("close");
    format!("{server}/{name}")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("index copy");
    for entry in std::fs::read_dir(from).expect("index") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// Builds (once) the benchmark database and index; returns their directory.
pub fn prepare(rt: &tokio::runtime::Runtime) -> PathBuf {
    let dir = data_dir();
    let done = dir.join("ready");
    if done.exists() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("bench dir");
    eprintln!(
        "building {} vacancies in {} (once)…",
        vacancies(),
        dir.display()
    );
    let start = Instant::now();
    rt.block_on(async {
        let store = Store::open(&url(&dir)).await.expect("store");
        let lines = kohtaamo::demo::job_postings(7, vacancies(), EMPLOYERS).join("\n");
        let (_, mut indexer) = SearchIndex::open(&dir.join("index"), store.clone()).expect("index");
        kohtaamo::import::import_vacancies_into(
            &store,
            lines.as_bytes(),
            |_| {},
            Some(&mut indexer),
        )
        .await
        .expect("import");
        indexer.close().await;
        store.close().await;
    });
    eprintln!("built in {:.1} s", start.elapsed().as_secs_f64());
    std::fs::write(done, "").expect("marker");
    dir
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// A service running on the benchmark data set (one HTTP worker).
pub struct Running {
    pub base: String,
    handle: kohtaamo::startup::AppHandle,
    join: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// The settings of a service on `dir`.
pub fn settings(dir: &Path) -> kohtaamo::startup::Settings {
    kohtaamo::startup::Settings {
        bind: "127.0.0.1:0".into(),
        database_url: url(dir),
        index_dir: dir.join("index"),
        model: None,
        workers: Some(1),
        analyser: None,
        // The benches measure the service, not its rate limits.
        rate_limits: kohtaamo::api::RateLimits {
            auth_failures: kohtaamo::api::Rate::per_second(1_000_000),
            search: kohtaamo::api::Rate::per_second(1_000_000),
            search_burst: std::num::NonZeroU32::new(1_000_000).unwrap(),
        },
        ready_max_lag: kohtaamo::startup::DEFAULT_READY_MAX_LAG,
        index_poll: kohtaamo::search::DEFAULT_POLL,
        change_notices: true,
        impression_retention_days: kohtaamo::startup::DEFAULT_IMPRESSION_RETENTION_DAYS,
        sessions: kohtaamo::web::SessionConfig::default(),
        // As `kohtaamo serve` runs by default.
        writes_wait_for_index: false,
    }
}

/// Starts the service on `dir`; call inside the runtime.
pub async fn start(dir: &Path) -> Running {
    start_with(&settings(dir)).await
}

/// Starts the service with `settings`; call inside the runtime.
pub async fn start_with(settings: &kohtaamo::startup::Settings) -> Running {
    let app = kohtaamo::startup::Application::build(settings)
        .await
        .expect("app");
    let base = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    let join = tokio::spawn(app.run_until_stopped());
    Running { base, handle, join }
}

impl Running {
    /// Stops the service and waits until it has released the index and database.
    pub async fn stop(self) {
        self.handle.stop().await;
        self.join.await.expect("server task").expect("server");
    }
}

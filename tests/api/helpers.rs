//! Starting the real application on a random port with its own database and index.
//!
//! Backends: by default each test's database is a SQLite file in its temporary directory.
//! With `KOHTAAMO_TEST_POSTGRES` set to a PostgreSQL server URL (such as
//! `postgres://postgres@127.0.0.1:5432`, without a database name), each test gets a fresh
//! database `kohtaamo_t_{pid}_{n}` on that server instead, created by the harness and dropped
//! when the test's [`TestDir`] is dropped; see [`database_url_for`].

use std::future::Future;
use std::io::Write;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use kohtaamo::api::{Rate, RateLimits};
use kohtaamo::domain::Role;
use kohtaamo::startup::{AppHandle, Application, Settings};
use kohtaamo::store::Store;
use serde_json::{json, Value};
use tempfile::TempDir;
use tokio::task::JoinHandle;

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub dir: TestDir,
    handle: AppHandle,
    join: JoinHandle<std::io::Result<()>>,
}

/// The environment variable that selects the PostgreSQL backend: a server URL.
pub const POSTGRES_ENV: &str = "KOHTAAMO_TEST_POSTGRES";

/// The file in a test's directory that names its database (PostgreSQL only), so that a restart
/// on the same directory, the command line and [`TestApp::database_url`] use the same one.
const DATABASE_URL_FILE: &str = "database-url";

/// The prefix of every database the harness creates; nothing else is ever dropped.
const DATABASE_PREFIX: &str = "kohtaamo_t_";

/// The PostgreSQL server the tests run on, when `KOHTAAMO_TEST_POSTGRES` is set (and not
/// empty); `None` for SQLite.
pub fn postgres_server() -> Option<String> {
    std::env::var(POSTGRES_ENV)
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// A test's temporary directory: its index, and its SQLite file or the name of its PostgreSQL
/// database (the `database-url` file). Dropping it drops that PostgreSQL database, then
/// removes the directory. A database whose directory is never dropped (a static, a test
/// process that was killed or aborted) is left behind: the first database the harness creates
/// in a later test process drops every leftover one whose process is gone (see
/// [`database_url_for`]), and `.ci/run` drops them all after the PostgreSQL run.
pub struct TestDir {
    dir: TempDir,
}

impl TestDir {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for TestDir {
    fn drop(&mut self) {
        // An app still running on the database (a test that ended without `stop`) loses its
        // connections here: `DROP DATABASE … WITH (FORCE)` ends them. The test is over.
        drop_test_database(self.dir.path());
    }
}

/// A fresh temporary directory for a test (its database is created on first use).
pub fn test_dir() -> TestDir {
    TestDir {
        dir: tempfile::tempdir().expect("temp dir"),
    }
}

/// The database URL of the test whose directory is `dir`, the same on every call.
///
/// SQLite (`KOHTAAMO_TEST_POSTGRES` unset): `sqlite://{dir}/kohtaamo.db`, created by whoever
/// opens it first. PostgreSQL: the URL in `{dir}/database-url`; when there is none yet, a
/// fresh database `kohtaamo_t_{pid}_{n}` is created on the server (over its `postgres`
/// database) and its URL written there. Creating the first one in this process also drops the
/// leftover `kohtaamo_t_…` databases of test processes that no longer run: their pid is not in
/// `/proc`, or is this process's own. This assumes that the server is shared only with test
/// processes on this machine, in this pid namespace (another machine's live test databases
/// would be dropped).
///
/// Synchronous so that plain functions (settings, command builders) can call it; the database
/// work runs on a thread of its own with its own runtime, so it may be called from inside a
/// tokio runtime, of either flavour.
pub fn database_url_for(dir: &Path) -> String {
    let Some(server) = postgres_server() else {
        return format!("sqlite://{}", dir.join("kohtaamo.db").display());
    };
    let file = dir.join(DATABASE_URL_FILE);
    // Serialises the check and the write of the file, not the (slow) creation: two callers
    // on one directory at once create two databases, and the loser drops its own.
    static FILES: Mutex<()> = Mutex::new(());
    let read = |file: &Path| {
        std::fs::read_to_string(file)
            .ok()
            .map(|s| s.trim().to_string())
    };
    {
        let _held = FILES.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(url) = read(&file) {
            return url;
        }
    }
    // Every creation waits for the sweep (`get_or_init` blocks the other callers meanwhile),
    // so the sweep may also drop databases named with this process's own pid: an earlier
    // process had it.
    static SWEPT: OnceLock<()> = OnceLock::new();
    SWEPT.get_or_init(|| sweep_leftover_databases(&server));
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = loop {
        let name = format!(
            "{DATABASE_PREFIX}{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let create = format!("CREATE DATABASE \"{name}\"");
        match on_own_runtime(admin(with_database(&server, "postgres"), vec![create])) {
            Ok(()) => break name,
            // Left by an earlier process with this pid that the sweep could not drop.
            Err(e) if e.contains("already exists") => continue,
            Err(e) => panic!("cannot create the test database {name} ({POSTGRES_ENV}): {e}"),
        }
    };
    let url = with_database(&server, &name);
    let held = FILES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(theirs) = read(&file) {
        drop(held);
        drop_database(&server, &name);
        return theirs;
    }
    let mut out = std::fs::File::create(&file).expect("database-url file");
    out.write_all(url.as_bytes()).expect("database-url file");
    drop(held);
    url
}

/// Drops the PostgreSQL database of the test whose directory is `dir` (named in its
/// `database-url` file), and forgets it; nothing to do for SQLite, whose file goes with the
/// directory. Called when a [`TestDir`] is dropped. Never panics (it runs in `drop`, maybe
/// while a failed test unwinds): a database it cannot drop is left to the sweep.
pub fn drop_test_database(dir: &Path) {
    let file = dir.join(DATABASE_URL_FILE);
    let Ok(url) = std::fs::read_to_string(&file) else {
        return;
    };
    let url = url.trim();
    let name = database_name(url);
    if !is_test_database(name) {
        eprintln!(
            "warning: {} names {url}, not a test database; not dropped",
            file.display()
        );
        return;
    }
    drop_database(url, name);
    let _ = std::fs::remove_file(&file);
}

/// `DROP DATABASE IF EXISTS "name" WITH (FORCE)` on `server`, warning on failure.
fn drop_database(server: &str, name: &str) {
    let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    if let Err(e) = on_own_runtime(admin(with_database(server, "postgres"), vec![sql])) {
        eprintln!("warning: the test database {name} was not dropped ({e}); a later run drops it");
    }
}

/// Drops every `kohtaamo_t_{pid}_{n}` database whose process is gone, or whose pid is this
/// process's (called before this process creates any). Best effort: a failure is only
/// reported, and creating the test's own database then says what is wrong.
fn sweep_leftover_databases(server: &str) {
    let maintenance = with_database(server, "postgres");
    let own = std::process::id().to_string();
    let sweep = async move {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&maintenance).await?;
        let names: Vec<(String,)> =
            sqlx::query_as("SELECT datname FROM pg_database WHERE datname LIKE 'kohtaamo_t_%'")
                .fetch_all(&mut conn)
                .await?;
        let _ = conn.close().await;
        let dead: Vec<String> = names
            .into_iter()
            .map(|(name,)| name)
            .filter(|name| is_test_database(name))
            .filter(|name| {
                let pid = name[DATABASE_PREFIX.len()..]
                    .split('_')
                    .next()
                    .unwrap_or("");
                pid == own || !Path::new("/proc").join(pid).exists()
            })
            .map(|name| format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .collect();
        admin(maintenance, dead).await?;
        Ok::<(), sqlx::Error>(())
    };
    if let Err(e) = on_own_runtime(sweep) {
        eprintln!("warning: leftover test databases were not dropped: {e}");
    }
}

/// Whether `name` is `kohtaamo_t_{pid}_{n}`: the only databases the harness drops.
fn is_test_database(name: &str) -> bool {
    name.strip_prefix(DATABASE_PREFIX)
        .and_then(|rest| rest.split_once('_'))
        .is_some_and(|(pid, n)| {
            [pid, n]
                .iter()
                .all(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// Runs `statements` one by one on a connection of its own to `url` (the simple query
/// protocol, as `CREATE DATABASE` and `DROP DATABASE` need: no transaction block).
async fn admin(url: String, statements: Vec<String>) -> Result<(), sqlx::Error> {
    use sqlx::{Connection, Executor};
    if statements.is_empty() {
        return Ok(());
    }
    let mut conn = sqlx::PgConnection::connect(&url).await?;
    for sql in statements {
        conn.execute(sqlx::AssertSqlSafe(sql)).await?;
    }
    conn.close().await
}

/// Runs `work` to completion on a new thread with a current-thread runtime of its own: usable
/// from plain code, from `drop`, and from inside a tokio runtime (where blocking on a future of
/// the same runtime would stall it). A panic in `work` is returned as an error.
fn on_own_runtime<T, E>(
    work: impl Future<Output = Result<T, E>> + Send + 'static,
) -> Result<T, String>
where
    T: Send + 'static,
    E: std::fmt::Display + Send + 'static,
{
    let joined = std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for the test harness")
            .block_on(work)
    })
    .join();
    match joined {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("the database helper thread panicked".into()),
    }
}

/// `server` (`postgres://user@host:port`, maybe with a database path and `?options`) with
/// its database set to `name`.
fn with_database(server: &str, name: &str) -> String {
    let (base, options) = match server.split_once('?') {
        Some((base, options)) => (base, Some(options)),
        None => (server, None),
    };
    let authority = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority..].find('/') {
        Some(slash) => &base[..authority + slash],
        None => base,
    };
    match options {
        Some(options) => format!("{base}/{name}?{options}"),
        None => format!("{base}/{name}"),
    }
}

/// The database named by a PostgreSQL URL.
fn database_name(url: &str) -> &str {
    let base = url.split('?').next().unwrap_or(url);
    let authority = base.find("://").map_or(0, |i| i + 3);
    match base[authority..].find('/') {
        Some(slash) => &base[authority + slash + 1..],
        None => "",
    }
}

pub fn settings(dir: &Path) -> Settings {
    Settings {
        bind: "127.0.0.1:0".into(),
        database_url: database_url_for(dir),
        index_dir: dir.join("index"),
        // The database's active model, followed while running: a new database has none, so
        // the shipped default.
        model: None,
        workers: Some(1),
        analyser: None,
        rate_limits: unthrottled(),
        ready_max_lag: kohtaamo::startup::DEFAULT_READY_MAX_LAG,
        index_poll: kohtaamo::search::DEFAULT_POLL,
        change_notices: true,
        impression_retention_days: kohtaamo::startup::DEFAULT_IMPRESSION_RETENTION_DAYS,
        sessions: kohtaamo::web::SessionConfig::default(),
        // Tests read their own writes at once (the stress test turns this off).
        writes_wait_for_index: true,
    }
}

/// Limits no test reaches unless it sets its own (every test calls from 127.0.0.1, and some
/// send bad tokens on purpose).
pub fn unthrottled() -> RateLimits {
    RateLimits {
        auth_failures: Rate::per_second(1_000_000),
        search: Rate::per_second(1_000_000),
        search_burst: NonZeroU32::new(1_000_000).unwrap(),
    }
}

/// Starts the app in a fresh temporary directory.
pub async fn spawn_app() -> TestApp {
    spawn_app_in(test_dir()).await
}

/// Starts the app on the database and index of `dir` (used to restart on the same ones).
pub async fn spawn_app_in(dir: TestDir) -> TestApp {
    let settings = settings(dir.path());
    spawn_app_with(dir, settings).await
}

/// An HTTP client for the service under test. The server closes a connection that has been
/// idle for 5 s (actix's default keep-alive); a pooled connection reused just then loses its
/// request (hyper's `IncompleteMessage`: the request went out as the server closed). Every
/// HTTP/1.1 client has that race with every keep-alive server; this one drops an idle
/// connection well before the server would, so it never reuses one the server may close.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_idle_timeout(Duration::from_secs(2))
        .build()
        .expect("http client")
}

/// Starts the app in `dir` with `settings`.
pub async fn spawn_app_with(dir: TestDir, settings: Settings) -> TestApp {
    if std::env::var("TEST_LOG").is_ok() {
        kohtaamo::telemetry::init();
    }
    let app = Application::build(&settings).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    let join = tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: http_client(),
        dir,
        handle,
        join,
    }
}

impl TestApp {
    /// The app's database (see [`database_url_for`]).
    pub fn database_url(&self) -> String {
        database_url_for(self.dir.path())
    }

    pub fn index_dir(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    /// Stops the app, waits until it has released the index and the database, and hands back
    /// the directory that holds them.
    pub async fn stop(self) -> TestDir {
        self.handle.stop().await;
        self.join.await.expect("server task").expect("server ran");
        self.dir
    }

    /// Creates a user the way `kohtaamo users add` does and returns its token.
    pub async fn token(&self, role: Role, employer: Option<i64>) -> String {
        let store = Store::open(&self.database_url()).await.expect("store");
        let (_, token) = store
            .create_user(&format!("test-{role}"), role, employer)
            .await
            .expect("user");
        store.close().await;
        token
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn post_raw(
        &self,
        path: &str,
        token: &str,
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn patch(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        self.client
            .patch(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn delete(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .delete(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("request")
    }

    /// Creates an employer as `token` and returns its id.
    pub async fn employer(&self, token: &str, name: &str) -> i64 {
        let r = self
            .post("/api/v1/employers", token, &json!({"name": name}))
            .await;
        assert_eq!(r.status(), 201, "employer created");
        r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
    }

    /// Posts a vacancy and returns its JSON.
    pub async fn vacancy(
        &self,
        token: &str,
        employer_id: i64,
        title: &str,
        description: &str,
        municipality: &str,
    ) -> Value {
        let r = self
            .post(
                "/api/v1/vacancies",
                token,
                &json!({"employer_id": employer_id, "title": title, "description": description, "municipality": municipality}),
            )
            .await;
        assert_eq!(r.status(), 201, "vacancy created: {:?}", r.text().await);
        r.json().await.unwrap()
    }

    pub async fn search(&self, token: &str, query: &str) -> Value {
        let r = self
            .client
            .get(self.url("/api/v1/search"))
            .query(&[("q", query)])
            .bearer_auth(token)
            .send()
            .await
            .expect("request");
        assert_eq!(r.status(), 200);
        r.json().await.unwrap()
    }

    /// Searches until `accept` holds for the result; panics after a generous deadline (the
    /// contract's 1 s is measured in the benchmark, not here, so a loaded CI does not flake).
    pub async fn search_until(
        &self,
        token: &str,
        query: &str,
        accept: impl Fn(&Value) -> bool,
    ) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let result = self.search(token, query).await;
            if accept(&result) {
                return result;
            }
            if Instant::now() > deadline {
                panic!("search for {query:?} never gave the expected result; last: {result}");
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }
}

/// Ids of the hits of a search result.
pub fn hit_ids(result: &Value) -> Vec<i64> {
    result["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_i64().expect("id"))
        .collect()
}

/// (kind, id) of the hits: ids are only unique within a kind.
pub fn hit_keys(result: &Value) -> Vec<(String, i64)> {
    result["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| {
            (
                h["kind"].as_str().expect("kind").to_string(),
                h["id"].as_i64().expect("id"),
            )
        })
        .collect()
}

pub fn contains_id(result: &Value, id: i64) -> bool {
    hit_ids(result).contains(&id)
}

/// Directory of the shared real data, when present.
pub fn shared_data() -> Option<PathBuf> {
    let dir = std::env::var_os("KOHTAAMO_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    if dir.is_dir() {
        Some(dir)
    } else if std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false") {
        panic!(
            "{} is missing: CI must run the real-data tests",
            dir.display()
        );
    } else {
        eprintln!(
            "NOTICE: {} is missing; skipping a test that needs the shared real data",
            dir.display()
        );
        None
    }
}

/// A connection of a test's own to its database, on either backend, for the tests that look
/// beneath the API (append-only triggers, what an erasure leaves, how served lists are kept).
/// Write SQL both SQLite and PostgreSQL accept, with `?` placeholders (numbered `$1`, `$2`, …
/// for PostgreSQL), and `CAST(… AS BIGINT)` or `CAST(… AS TEXT)` where the backends' types
/// may differ (PostgreSQL's `SUM` of a `BIGINT` is a `NUMERIC`, a JSON column may be `JSONB`).
pub enum RawDb {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

/// A value bound to a `?` of a [`RawDb`] statement.
#[derive(Clone, Debug)]
pub enum Arg {
    Int(i64),
    Text(String),
    Time(chrono::DateTime<chrono::Utc>),
    /// A time that SQLite keeps as whole seconds since 1970 (tokens, sessions, import runs,
    /// kept funnel rows): that count there, a `timestamptz` on PostgreSQL.
    Secs(chrono::DateTime<chrono::Utc>),
    /// A time that SQLite keeps as milliseconds since 1970 (served match lists).
    Millis(chrono::DateTime<chrono::Utc>),
}

impl From<i64> for Arg {
    fn from(v: i64) -> Arg {
        Arg::Int(v)
    }
}

impl From<&str> for Arg {
    fn from(v: &str) -> Arg {
        Arg::Text(v.to_string())
    }
}

impl From<String> for Arg {
    fn from(v: String) -> Arg {
        Arg::Text(v)
    }
}

impl From<chrono::DateTime<chrono::Utc>> for Arg {
    fn from(v: chrono::DateTime<chrono::Utc>) -> Arg {
        Arg::Time(v)
    }
}

/// Binds `args` to a query of either backend, in order.
macro_rules! bind_all {
    ($query:expr, $args:expr, $counts:expr) => {{
        let mut query = $query;
        for arg in $args {
            query = match arg {
                Arg::Int(v) => query.bind(*v),
                Arg::Text(v) => query.bind(v.clone()),
                Arg::Time(v) => query.bind(*v),
                Arg::Secs(v) if $counts => query.bind(v.timestamp()),
                Arg::Millis(v) if $counts => query.bind(v.timestamp_millis()),
                Arg::Secs(v) | Arg::Millis(v) => query.bind(*v),
            };
        }
        query
    }};
}

impl RawDb {
    pub async fn connect(url: &str) -> RawDb {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            RawDb::Postgres(
                sqlx::PgPool::connect(url)
                    .await
                    .expect("connect to PostgreSQL"),
            )
        } else {
            RawDb::Sqlite(
                sqlx::SqlitePool::connect(url)
                    .await
                    .expect("open the SQLite file"),
            )
        }
    }

    /// Runs a statement; the number of rows it changed.
    pub async fn execute(&self, sql: &str, args: &[Arg]) -> Result<u64, sqlx::Error> {
        match self {
            RawDb::Sqlite(pool) => {
                let query = sqlx::query::<sqlx::Sqlite>(sqlx::AssertSqlSafe(sql.to_string()));
                Ok(bind_all!(query, args, true)
                    .execute(pool)
                    .await?
                    .rows_affected())
            }
            RawDb::Postgres(pool) => {
                let query = sqlx::query::<sqlx::Postgres>(sqlx::AssertSqlSafe(
                    kohtaamo::store::numbered_placeholders(sql),
                ));
                Ok(bind_all!(query, args, false)
                    .execute(pool)
                    .await?
                    .rows_affected())
            }
        }
    }

    /// The first row of a query; panics when it fails or finds none.
    pub async fn fetch_one<O>(&self, sql: &str, args: &[Arg]) -> O
    where
        O: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
            + Send
            + Unpin
            + 'static,
    {
        self.fetch_all(sql, args)
            .await
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("{sql}: no row"))
    }

    /// Every row of a query; panics when it fails.
    pub async fn fetch_all<O>(&self, sql: &str, args: &[Arg]) -> Vec<O>
    where
        O: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
            + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>
            + Send
            + Unpin
            + 'static,
    {
        let rows = match self {
            RawDb::Sqlite(pool) => {
                let query = sqlx::query_as::<sqlx::Sqlite, O>(sqlx::AssertSqlSafe(sql.to_string()));
                bind_all!(query, args, true).fetch_all(pool).await
            }
            RawDb::Postgres(pool) => {
                let query = sqlx::query_as::<sqlx::Postgres, O>(sqlx::AssertSqlSafe(
                    kohtaamo::store::numbered_placeholders(sql),
                ));
                bind_all!(query, args, false).fetch_all(pool).await
            }
        };
        rows.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    pub async fn close(&self) {
        match self {
            RawDb::Sqlite(pool) => pool.close().await,
            RawDb::Postgres(pool) => pool.close().await,
        }
    }
}

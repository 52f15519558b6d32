//! Starting the real application on a random port with its own database and index.

use std::num::NonZeroU32;
use std::path::{Path, PathBuf};
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
    pub dir: TempDir,
    handle: AppHandle,
    join: JoinHandle<std::io::Result<()>>,
}

pub fn settings(dir: &Path) -> Settings {
    Settings {
        bind: "127.0.0.1:0".into(),
        database_url: format!("sqlite://{}", dir.join("kohtaamo.db").display()),
        index_dir: dir.join("index"),
        // The shipped model, not whatever `kohtaamo train` may have activated in this checkout.
        model: Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("models/ranker-default.json")),
        workers: Some(1),
        analyser: None,
        rate_limits: unthrottled(),
        ready_max_lag: kohtaamo::startup::DEFAULT_READY_MAX_LAG,
        index_poll: kohtaamo::search::DEFAULT_POLL,
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
    spawn_app_in(tempfile::tempdir().expect("temp dir")).await
}

/// Starts the app on the database and index in `dir` (used to restart on the same files).
pub async fn spawn_app_in(dir: TempDir) -> TestApp {
    let settings = settings(dir.path());
    spawn_app_with(dir, settings).await
}

/// Starts the app in `dir` with `settings`.
pub async fn spawn_app_with(dir: TempDir, settings: Settings) -> TestApp {
    if std::env::var("TEST_LOG").is_ok() {
        kohtaamo::telemetry::init();
    }
    let app = Application::build(&settings).await.expect("app builds");
    let address = format!("http://127.0.0.1:{}", app.port());
    let handle = app.handle();
    let join = tokio::spawn(app.run_until_stopped());
    TestApp {
        address,
        client: reqwest::Client::new(),
        dir,
        handle,
        join,
    }
}

impl TestApp {
    pub fn database_url(&self) -> String {
        format!("sqlite://{}", self.dir.path().join("kohtaamo.db").display())
    }

    pub fn index_dir(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    /// Stops the app, waits until it has released the index and the database, and hands back
    /// the directory that holds them.
    pub async fn stop(self) -> TempDir {
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

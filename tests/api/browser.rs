//! The web app in a real browser: each suite is one file under `tests/browser/` (Playwright's
//! `playwright-core` driving Debian's Chromium, axe-core on every page, screenshots at 1366
//! and 390 px in `target/screenshots/`), started here against the real app with seeded data
//! and its users' credentials. A suite waits for conditions and never retries; its output is
//! printed, and it must exit 0.
//!
//! Locally, a missing `node`, `npm ci --prefix tests/browser` or Chromium skips with a notice;
//! with `CI` set it fails (`.ci/run` installs them).

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use kohtaamo::domain::{Email, Password};
use kohtaamo::store::Store;

use crate::helpers::{spawn_app, TestApp};
use crate::sessions::PASSWORD;
use crate::web::{seed, FROM, TO};

/// How long one suite may run before it counts as hung.
const SUITE_TIMEOUT: Duration = Duration::from_secs(300);

/// Gives the user of `token` the e-mail address `email` and the password [`PASSWORD`], so a
/// browser signs in as that user on the sign-in page; returns the address.
pub async fn sign_in_details(app: &TestApp, token: &str, email: &str) -> String {
    let store = Store::open(&app.database_url()).await.expect("store");
    let user = store
        .user_by_token(token)
        .await
        .expect("token read")
        .expect("the token's user");
    let email = Email::parse("email", email).expect("an e-mail address");
    store
        .update_account(user.id, None, Some(&email))
        .await
        .expect("address set");
    let hash = Password::parse("password", PASSWORD)
        .expect("a password")
        .hash()
        .expect("hashed");
    store
        .set_password(user.id, &hash, None)
        .await
        .expect("password set");
    store.close().await;
    email.as_str().to_string()
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false")
}

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Node, the suites' packages and Chromium, when all are there.
fn tools() -> Option<(PathBuf, PathBuf)> {
    let chromium = std::env::var_os("KOHTAAMO_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    let node = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|p| p.join("node"))
            .find(|p| p.is_file())
    });
    let modules = browser_dir().join("node_modules");
    let missing: Vec<String> = [
        (node.is_none(), "node".to_string()),
        (
            !modules.join("playwright-core").is_dir() || !modules.join("axe-core").is_dir(),
            "tests/browser/node_modules (npm ci --prefix tests/browser)".to_string(),
        ),
        (!chromium.is_file(), chromium.display().to_string()),
    ]
    .into_iter()
    .filter_map(|(gone, what)| gone.then_some(what))
    .collect();
    if missing.is_empty() {
        return node.map(|n| (n, chromium));
    }
    if in_ci() {
        panic!("the browser tests need {}", missing.join(", "));
    }
    eprintln!(
        "NOTICE: skipping a browser test: missing {}",
        missing.join(", ")
    );
    None
}

/// Runs `tests/browser/{suite}.mjs` against `app` with `env`; prints its output and fails the
/// test unless it exits 0 in time.
async fn run_suite(app: &TestApp, suite: &str, env: &[(&str, String)]) {
    let Some((node, chromium)) = tools() else {
        return;
    };
    let screenshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
    let mut command = tokio::process::Command::new(node);
    command
        .arg(browser_dir().join(format!("{suite}.mjs")))
        .current_dir(browser_dir())
        .env("KOHTAAMO_URL", &app.address)
        .env("KOHTAAMO_CHROMIUM", chromium)
        .env("KOHTAAMO_SCREENSHOTS", &screenshots)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    for (k, v) in env {
        command.env(k, v);
    }
    let child = command.spawn().expect("node starts");
    let output = tokio::time::timeout(SUITE_TIMEOUT, child.wait_with_output())
        .await
        .unwrap_or_else(|_| panic!("browser suite {suite} did not finish in {SUITE_TIMEOUT:?}"))
        .expect("node ran");
    println!("{}", String::from_utf8_lossy(&output.stdout));
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        output.status.success(),
        "browser suite {suite} failed ({}); its output is above",
        output.status
    );
}

#[tokio::test]
async fn a_coordinator_follows_the_figures_and_downloads_a_table_by_keyboard_in_chromium() {
    let app = spawn_app().await;
    let s = seed(&app).await;

    run_suite(
        &app,
        "coordinator",
        &[
            ("KOHTAAMO_COORDINATOR_TOKEN", s.coordinator.clone()),
            (
                "KOHTAAMO_COORDINATOR_EMAIL",
                sign_in_details(&app, &s.coordinator, "koordinaattori@example.fi").await,
            ),
            (
                "KOHTAAMO_COACH_EMAIL",
                sign_in_details(&app, &s.aino, "aino@example.fi").await,
            ),
            ("KOHTAAMO_PASSWORD", PASSWORD.into()),
            ("KOHTAAMO_COACH_CLIENT", s.aino_client.0.clone()),
            ("KOHTAAMO_FROM", FROM.into()),
            ("KOHTAAMO_TO", TO.into()),
        ],
    )
    .await;
}

#[tokio::test]
async fn people_without_the_follow_up_pages_get_pages_that_say_why_in_chromium() {
    let app = spawn_app().await;
    let s = seed(&app).await;

    run_suite(
        &app,
        "access",
        &[
            ("KOHTAAMO_EMPLOYER_TOKEN", s.employer_user.clone()),
            ("KOHTAAMO_COORDINATOR_TOKEN", s.coordinator.clone()),
        ],
    )
    .await;
}

#[tokio::test]
async fn a_coach_works_through_the_caseload_edits_a_wish_and_records_an_answer_in_chromium() {
    use kohtaamo::domain::Role;
    use serde_json::{json, Value};

    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Lahden Palvelut Oy").await;
    app.vacancy(
        &coach,
        employer,
        "Varastotyöntekijä",
        "Keräilyä ja pakkaamista varastossa aamuvuorossa.",
        "Lahti",
    )
    .await;
    app.vacancy(
        &coach,
        employer,
        "Siivooja",
        "Toimistojen siivousta iltaisin.",
        "Lahti",
    )
    .await;
    let today = chrono::Utc::now().date_naive();
    let client = |name: &str, days: i64, wish: &str| {
        json!({"display_name": name, "home_municipality": "Lahti",
               "intake_date": (today - chrono::Duration::days(days)).to_string(),
               "preferences": {"desired_work": wish}})
    };
    let r = app
        .post(
            "/api/v1/clients",
            &coach,
            &client("Asiakas Varasto", 5, "varastotyö"),
        )
        .await;
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/clients/{id}/events"),
        &coach,
        &json!({"type": "engaged"}),
    )
    .await;
    app.post(
        "/api/v1/clients",
        &coach,
        &client("Odottava Asiakas", 40, "keittiö"),
    )
    .await;

    run_suite(
        &app,
        "coach",
        &[
            (
                "KOHTAAMO_COACH_EMAIL",
                sign_in_details(&app, &coach, "valmentaja@example.fi").await,
            ),
            ("KOHTAAMO_PASSWORD", PASSWORD.into()),
            ("KOHTAAMO_CLIENT_ID", id.to_string()),
            ("KOHTAAMO_OVERDUE_CLIENT", "Odottava Asiakas".into()),
            ("KOHTAAMO_CLEANING_TITLE", "Siivooja".into()),
            ("KOHTAAMO_EMPLOYER_NAME", "Lahden Palvelut Oy".into()),
        ],
    )
    .await;
}

#[tokio::test]
async fn an_employer_posts_by_keyboard_answers_feedback_and_a_coach_finds_the_task_at_once_in_chromium(
) {
    let w = crate::web_employer::world().await;
    let client_name = "Salainen Sanna";
    let (client, _, _) = crate::web_employer::work_trial(&w, client_name).await;

    run_suite(
        &w.app,
        "employer",
        &[
            (
                "KOHTAAMO_EMPLOYER_EMAIL",
                sign_in_details(&w.app, &w.employer, "rekry@lahdenlogistiikka.fi").await,
            ),
            ("KOHTAAMO_PASSWORD", PASSWORD.into()),
            ("KOHTAAMO_COACH_TOKEN", w.coach.clone()),
            ("KOHTAAMO_CLIENT_ID", client.to_string()),
            ("KOHTAAMO_CLIENT_NAME", client_name.into()),
        ],
    )
    .await;
}

#[tokio::test]
async fn an_admin_adds_and_disables_a_user_and_the_auditor_reads_the_log_in_chromium() {
    use kohtaamo::domain::Role;
    use serde_json::{json, Value};

    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let admin = app.token(Role::Admin, None).await;
    let auditor = app.token(Role::Auditor, None).await;
    let r = app
        .post(
            "/api/v1/clients",
            &coach,
            &json!({"display_name": "Asiakas Loki", "home_municipality": "Lahti",
                    "intake_date": "2026-01-10"}),
        )
        .await;
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    // More than a page of the log: reads, and a refused one.
    for _ in 0..55 {
        app.get(&format!("/api/v1/clients/{id}"), &coach).await;
    }
    app.get(&format!("/api/v1/clients/{id}"), &coordinator)
        .await;

    run_suite(
        &app,
        "admin",
        &[
            (
                "KOHTAAMO_ADMIN_EMAIL",
                sign_in_details(&app, &admin, "yllapito@example.fi").await,
            ),
            (
                "KOHTAAMO_AUDITOR_EMAIL",
                sign_in_details(&app, &auditor, "tarkastaja@example.fi").await,
            ),
            ("KOHTAAMO_PASSWORD", PASSWORD.into()),
            ("KOHTAAMO_CLIENT_ID", id.to_string()),
        ],
    )
    .await;
}

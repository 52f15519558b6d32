//! schemathesis (PyPI) over the whole OpenAPI document, once with each role's token, against
//! the real app holding realistic data: every check on, asserting no server error and no
//! response that breaks the document. `.ci/run` installs a pinned schemathesis; locally the
//! test skips with a notice when `st` is missing, in CI (`CI` set) it fails.

use std::path::PathBuf;
use std::process::Command;

use kohtaamo::domain::Role;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};

/// Test cases per operation and phase: bounded so that five roles take a few minutes on two
/// cores.
const MAX_EXAMPLES: u32 = 4;

/// schemathesis's settings. Every check runs; what is narrowed is narrowed for one reason,
/// given beside it.
const CONFIG: &str = r#"
# Ids that exist in the seeded data: half the generated path ids are one of them, so
# operations on a record are tested on real records, not only on 404s.
[dictionaries.ids]
values = [1, 2, 3]

[parameters]
"path.id" = { dictionary = "ids", probability = 0.5 }

[generation]
max-examples = MAX_EXAMPLES
deterministic = false

# A schema-valid request may still be refused with 422 where the rule is one JSON Schema
# cannot state: a referenced record that does not exist (`employer_id`, `placement_event_id`,
# `supersedes`), a date that must not be in the future (`intake_date`, `at`), one field
# bounded by another (`hours_per_week.min <= max`, `starts_on <= ends_on`, `from <= to` and at
# most ten years apart), fields that belong only to some event types, a list item's own length
# or code format. The rest of the check stands: 400, 413 and server errors still fail it.
[[operations]]
include-path-regex = "^/api/v1/(employers|vacancies|tasks|clients|employer-contacts|feedback-forms)"
include-method-regex = "^(POST|PATCH|PUT)$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422", "429"]

[[operations]]
include-path-regex = "^/api/v1/(funnel|fidelity|access-log)$"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422", "429"]

# DELETE of a vacancy or a task closes it: it leaves search and matches but stays readable in
# its history (`status: closed`), as the contract says. use_after_free expects a 404 after a
# DELETE, so it is wrong by design for these two; an erased client is a 404 and stays checked.
[[operations]]
include-path-regex = "^/api/v1/(vacancies|tasks)/\\{id\\}$"
checks.use_after_free.enabled = false

# schemathesis's coverage phase crashes inside CPython 3.11 on this one operation ("SystemError:
# AST constructor recursion depth mismatch" while Hypothesis parses its own source, whatever
# the recursion limit): a crash of the tool, not a finding about the API. The examples,
# fuzzing and stateful phases still test the operation for every role.
[[operations]]
include-path = "/api/v1/users/{id}/tokens"
include-method = "POST"
phases.coverage.enabled = false
"#;

/// The schemathesis command line: `SCHEMATHESIS` if set, else `st` on `PATH`, else the CI
/// virtualenv's.
fn schemathesis() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("SCHEMATHESIS") {
        return Some(PathBuf::from(path));
    }
    let on_path = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("st"))
            .find(|st| st.is_file())
    });
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/ci-venv/bin/st");
    on_path.or_else(|| venv.is_file().then_some(venv))
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false")
}

/// Posts `body` and returns the new record's id.
async fn created(app: &TestApp, token: &str, path: &str, body: Value) -> i64 {
    let r = app.post(path, token, &body).await;
    let status = r.status();
    let text = r.text().await.unwrap();
    assert!(status.is_success(), "{path}: {status} {text}");
    serde_json::from_str::<Value>(&text).unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// Employers, postings, clients with wishes and events, a contact log and a feedback form, so
/// that ids 1–3 of every kind exist and belong to the coach and the employer user.
async fn seed(app: &TestApp, coach: &str) {
    for (name, business_id, municipality) in [
        ("Lahden Logistiikka Oy", "0112038-9", "Lahti"),
        ("Hollolan Puutarha Oy", "", "Hollola"),
        ("Päijät-Hämeen Siivous Oy", "", "Lahti"),
    ] {
        let mut body = json!({"name": name, "municipality": municipality, "industry": "palvelut"});
        if !business_id.is_empty() {
            body["business_id"] = json!(business_id);
        }
        created(app, coach, "/api/v1/employers", body).await;
    }
}

/// Postings (the employer user posts for its own employer), clients with wishes and events, a
/// contact log and a feedback form.
async fn seed_postings(app: &TestApp, coach: &str, employer_user: &str) {
    for (employer, title, text) in [
        (
            1,
            "Varastotyöntekijä",
            "Keräilyä ja pakkaamista aamuvuorossa.",
        ),
        (
            1,
            "Trukinkuljettaja",
            "Tavaran siirtoja trukilla, trukkikortti tarvitaan.",
        ),
        (2, "Puutarhuri", "Istutuksia ja kastelua kasvihuoneessa."),
        (
            3,
            "Siivooja",
            "Toimistojen siivousta iltaisin, osa-aikainen.",
        ),
    ] {
        let body = json!({"employer_id": employer, "title": title, "description": text,
            "municipality": "Lahti", "hours_per_week": {"min": 20, "max": 37.5},
            "work_trial_ok": true, "adjustments_offered": ["kirjalliset ohjeet"]});
        created(
            app,
            employer_user_or(coach, employer_user, employer),
            "/api/v1/vacancies",
            body,
        )
        .await;
    }
    for (employer, title) in [(1, "Pakkaustyö"), (2, "Pihatyöt"), (3, "Pyykinpesu")] {
        let body = json!({"employer_id": employer, "title": title,
            "description": "Ryhmätyötä työkeskuksessa.", "municipality": "Lahti",
            "site": "provider", "starts_on": "2026-02-01", "ends_on": "2026-03-31",
            "estimated_hours": 120, "group_size": 4});
        created(app, coach, "/api/v1/tasks", body).await;
    }
    for (name, wish) in [
        ("Asiakas A", "varastotyö, mieluiten aamuvuoroja"),
        ("Asiakas B", "puutarhatyö ulkona, ei asiakaspalvelua"),
        ("Asiakas C", ""),
    ] {
        let mut body = json!({"display_name": name, "home_municipality": "Lahti",
            "intake_date": "2025-11-03", "preferences": {"municipalities": ["Lahti"],
            "hours_per_week": {"min": 20, "max": 30}, "languages": ["fi"]}});
        if !wish.is_empty() {
            body["preferences"]["desired_work"] = json!(wish);
        }
        created(app, coach, "/api/v1/clients", body).await;
    }
    for client in 1..=3 {
        let events = format!("/api/v1/clients/{client}/events");
        for event in [
            json!({"type": "engaged", "at": "2025-11-03"}),
            json!({"type": "job_search", "at": "2025-11-10"}),
            json!({"type": "employer_contact", "at": "2025-11-20", "employer_id": 1,
                "face_to_face": true}),
        ] {
            created(app, coach, &events, event).await;
        }
    }
    let placement = created(
        app,
        coach,
        "/api/v1/clients/1/events",
        json!({"type": "employed", "at": "2025-12-01", "employer_id": 1, "vacancy_id": 1,
            "placement_type": "work_trial", "hours_per_week": 20}),
    )
    .await;
    created(
        app,
        coach,
        "/api/v1/clients/1/feedback-requests",
        json!({"placement_event_id": placement}),
    )
    .await;
    created(
        app,
        coach,
        "/api/v1/employer-contacts",
        json!({"employer_id": 2, "at": "2025-11-21T09:30:00Z", "face_to_face": true,
            "purpose": "työpaikkojen kartoitus"}),
    )
    .await;
    // A match list, so the export and the ranker's log hold one.
    let r = app.get("/api/v1/clients/1/matches", coach).await;
    assert_eq!(r.status(), 200);
}

/// The employer user posts its own employer's vacancies; the coach the others.
fn employer_user_or<'a>(coach: &'a str, employer_user: &'a str, employer: i64) -> &'a str {
    if employer == 1 {
        employer_user
    } else {
        coach
    }
}

/// Validates the served document against the OpenAPI 3.1 schema with `openapi-spec-validator`
/// (PyPI, installed beside schemathesis by `.ci/run`).
async fn validate_against_the_openapi_schema(app: &TestApp, st: &std::path::Path) {
    let doc = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let file = app.dir.path().join("openapi.json");
    std::fs::write(&file, doc).unwrap();
    let python = st.with_file_name("python");
    let script = "import json, sys\n\
        from openapi_spec_validator import validate\n\
        validate(json.load(open(sys.argv[1])))\n";
    let out = Command::new(&python)
        .args(["-c", script])
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("could not run {}: {e}", python.display()));
    assert!(
        out.status.success(),
        "the document is not valid OpenAPI 3.1:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The part of schemathesis's output worth keeping: failures and the summary.
fn summary(output: &str) -> String {
    let from = output.find("FAILURES").or_else(|| output.find("SUMMARY"));
    from.map(|i| output[i..].to_string())
        .unwrap_or_else(|| output.to_string())
}

/// Whether a run's only problem is schemathesis crashing inside CPython 3.11's `ast` module
/// (a bug of that Python, hit by Hypothesis while it parses its own source; it moves between
/// phases and operations from run to run): no failure found, and every error a runtime error
/// with that message. A server error, a schema violation or any other error still fails.
fn only_the_cpython_ast_crash(stdout: &str) -> bool {
    const CRASH: &str = "AST constructor recursion depth mismatch";
    let crashes = stdout.matches(CRASH).count();
    let errors: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains('🚫') && l.contains("Error"))
        .collect();
    let runtime: usize = errors
        .iter()
        .filter_map(|l| l.split("Runtime Error:").nth(1))
        .filter_map(|n| n.trim().parse::<usize>().ok())
        .sum();
    crashes > 0
        && runtime > 0
        && runtime <= crashes
        && errors.iter().all(|l| l.contains("Runtime Error"))
        && !stdout.contains("Failures:")
        && !stdout.contains('❌')
}

#[tokio::test]
async fn schemathesis_finds_no_server_error_and_no_schema_violation_for_any_role() {
    let Some(st) = schemathesis() else {
        if in_ci() {
            panic!("schemathesis (`st`) is not installed: CI must run it (see .ci/run)");
        }
        eprintln!("NOTICE: schemathesis (`st`) is not installed; skipping the schemathesis run");
        return;
    };
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    seed(&app, &coach).await;
    let employer = app.token(Role::Employer, Some(1)).await;
    seed_postings(&app, &coach, &employer).await;
    let roles = [
        ("admin", app.token(Role::Admin, None).await),
        ("coordinator", app.token(Role::Coordinator, None).await),
        ("employer", employer.clone()),
        ("auditor", app.token(Role::Auditor, None).await),
        // Last: its run erases and closes records that the others read.
        ("coach", coach.clone()),
    ];
    let config = app.dir.path().join("schemathesis.toml");
    std::fs::write(
        &config,
        CONFIG.replace("MAX_EXAMPLES", &MAX_EXAMPLES.to_string()),
    )
    .unwrap();
    let schema = app.url("/api/v1/openapi.json");
    validate_against_the_openapi_schema(&app, &st).await;

    let mut failed = Vec::new();
    let (mut ran, mut crashed) = (0, 0);
    for (role, token) in roles {
        ran += 1;
        let program = st.clone();
        let config = config.clone();
        let schema = schema.clone();
        let reports = app.dir.path().join(format!("report-{role}"));
        let output = tokio::task::spawn_blocking(move || {
            Command::new(&program)
                .arg("--config-file")
                .arg(&config)
                .args([
                    "run",
                    &schema,
                    "--checks",
                    "all",
                    "--workers",
                    "2",
                    "--seed",
                    "1",
                ])
                .args(["--no-color", "--report-dir"])
                .arg(&reports)
                .args(["-H", &format!("Authorization: Bearer {token}")])
                .output()
        })
        .await
        .unwrap()
        .unwrap_or_else(|e| panic!("could not run {}: {e}", st.display()));
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let cases = stdout
            .lines()
            .find(|l| {
                l.contains(" generated,")
                    && l.trim_start().starts_with(|c: char| c.is_ascii_digit())
            })
            .unwrap_or("(no case count)")
            .trim()
            .to_string();
        eprintln!("schemathesis as {role}: {cases}");
        if !output.status.success() && only_the_cpython_ast_crash(&stdout) {
            crashed += 1;
            eprintln!(
                "NOTICE: schemathesis as {role} crashed inside CPython 3.11 (\"AST constructor \
                 recursion depth mismatch\"); it reported no failure and no other error"
            );
        } else if !output.status.success() {
            failed.push(format!(
                "=== as {role} ({}) ===\n{}\n{stderr}",
                output.status,
                summary(&stdout)
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "schemathesis found failures:\n{}",
        failed.join("\n")
    );
    // The crash is let through for a role, never for all: some run must have finished.
    assert!(
        crashed < ran,
        "schemathesis crashed inside CPython for every one of the {ran} roles: nothing was tested"
    );
}

#[test]
fn only_the_known_cpython_crash_is_let_through() {
    let crash = "________ POST /api/v1/users/{id}/tokens ________\nRuntime Error\n    \
                 SystemError: AST constructor recursion depth mismatch (before=69, after=100)\n\
                 Errors:\n  🚫 Runtime Error: 1\n\nWarnings:\n  ⚠️ Authentication failed\n";
    assert!(only_the_cpython_ast_crash(crash));
    let other = crash.replace("AST constructor recursion depth mismatch", "KeyError: 'x'");
    assert!(!only_the_cpython_ast_crash(&other));
    let and_a_network_error = format!("{crash}  🚫 Network Error: 1\n");
    assert!(!only_the_cpython_ast_crash(&and_a_network_error));
    let and_a_failure = format!("{crash}Failures:\n  ❌ Server error: 1\n");
    assert!(!only_the_cpython_ast_crash(&and_a_failure));
}

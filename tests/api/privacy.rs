//! Privacy by design: the access log and who reads it, a client's export (GDPR art. 15) and
//! erasure (art. 17), the retention of served match lists, and private database files.

use std::time::{Duration, Instant};

use kohtaamo::domain::Role;
use serde_json::{json, Value};

use crate::funnel::{client, ok_event};
use crate::helpers::{
    database_url_for, postgres_server, spawn_app, spawn_app_with, RawDb, TestApp,
};

/// The access log as the auditor reads it with `query`.
async fn access_log(app: &TestApp, auditor: &str, query: &str) -> Value {
    let r = app
        .get(&format!("/api/v1/access-log?{query}"), auditor)
        .await;
    assert_eq!(r.status(), 200, "{:?}", r.text().await);
    r.json().await.unwrap()
}

/// (action, outcome, reason) of each row, oldest first.
fn rows(log: &Value) -> Vec<(String, String, Option<String>)> {
    let mut out: Vec<_> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["action"].as_str().unwrap().to_string(),
                r["outcome"].as_str().unwrap().to_string(),
                r["reason"].as_str().map(str::to_string),
            )
        })
        .collect();
    out.reverse();
    out
}

fn allowed(action: &str) -> (String, String, Option<String>) {
    (action.into(), "allowed".into(), None)
}

fn denied(action: &str, reason: &str) -> (String, String, Option<String>) {
    (action.into(), "denied".into(), Some(reason.into()))
}

/// A vacancy to match against, and waits until matching sees it.
async fn open_vacancy(app: &TestApp, coach: &str) -> i64 {
    let employer = app.employer(coach, "Varasto Oy").await;
    let v = app
        .vacancy(coach, employer, "Varastotyöntekijä", "Keräilyä.", "Lahti")
        .await;
    app.search_until(coach, "varastotyöntekijä", |r| r["total"] != 0)
        .await;
    v["id"].as_i64().unwrap()
}

/// Asks for matches and waits until the served list is logged.
async fn served_matches(app: &TestApp, coach: &str, client: i64) -> Value {
    served_matches_in(app, &app.database_url(), coach, client).await
}

/// [`served_matches`] of an app on `database_url` (not the harness's database).
pub(crate) async fn served_matches_in(
    app: &TestApp,
    database_url: &str,
    coach: &str,
    client: i64,
) -> Value {
    let store = kohtaamo::store::Store::open(database_url).await.unwrap();
    let before = store.impression_count(client).await.unwrap();
    let r = app
        .get(&format!("/api/v1/clients/{client}/matches"), coach)
        .await;
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while store.impression_count(client).await.unwrap() == before {
        assert!(Instant::now() < deadline, "the list was never logged");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    store.close().await;
    body
}

#[tokio::test]
async fn every_read_of_a_client_is_in_the_access_log() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let auditor = app.token(Role::Auditor, None).await;
    open_vacancy(&app, &coach).await;
    let r = app
        .post(
            "/api/v1/clients",
            &coach,
            &json!({"display_name": "Asiakas A", "home_municipality": "Lahti"}),
        )
        .await;
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    app.get(&format!("/api/v1/clients/{id}"), &coach).await;
    app.get("/api/v1/clients", &coach).await;
    served_matches(&app, &coach, id).await;
    app.get(&format!("/api/v1/clients/{id}/events"), &coach)
        .await;
    assert_eq!(app.get("/dashboard", &coach).await.status(), 200);
    let csv = app.get("/dashboard/export/caseload.csv", &coach).await;
    assert_eq!(csv.status(), 200);
    let log = access_log(&app, &auditor, &format!("client_id={id}")).await;

    assert_eq!(
        rows(&log),
        [
            allowed("create"),
            allowed("read"),
            allowed("list"),
            allowed("matches"),
            allowed("read_events"),
            allowed("dashboard"),
            allowed("dashboard_export"),
        ]
    );
    let items = log["items"].as_array().unwrap();
    assert!(items.iter().all(|r| r["user_role"] == "coach"));
    let lists: Vec<(&str, &Value)> = items
        .iter()
        .filter_map(|r| Some((r["list"].as_str()?, &r["clients"])))
        .collect();
    assert_eq!(
        lists,
        [
            ("dashboard/caseload.csv", &json!([id])),
            ("dashboard", &json!([id])),
            ("clients", &json!([id])),
        ]
    );
    assert_eq!(items.last().unwrap()["client_id"], id);
    assert!(items[0]["at"].as_str().unwrap().ends_with('Z'));
}

#[tokio::test]
async fn another_coachs_client_is_a_404_that_the_log_records_as_denied() {
    let app = spawn_app().await;
    let aino = app.token(Role::Coach, None).await;
    let mikko = app.token(Role::Coach, None).await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let auditor = app.token(Role::Auditor, None).await;
    let id = client(&app, &aino, "A", "2025-01-10").await;

    let read = app.get(&format!("/api/v1/clients/{id}"), &mikko).await;
    let matches = app
        .get(&format!("/api/v1/clients/{id}/matches"), &mikko)
        .await;
    let event = app
        .post(
            &format!("/api/v1/clients/{id}/events"),
            &mikko,
            &json!({"type": "job_search"}),
        )
        .await;
    let by_role = app
        .get(&format!("/api/v1/clients/{id}"), &coordinator)
        .await;
    let nobody = app.get("/api/v1/clients/999999", &mikko).await;

    assert_eq!(read.status(), 404);
    assert_eq!(matches.status(), 404);
    assert_eq!(event.status(), 404);
    assert_eq!(by_role.status(), 403);
    assert_eq!(nobody.status(), 404);
    let log = access_log(&app, &auditor, &format!("client_id={id}")).await;
    assert_eq!(
        rows(&log),
        [
            allowed("create"),
            denied("read", "not_on_caseload"),
            denied("matches", "not_on_caseload"),
            denied("record_event", "not_on_caseload"),
            denied("read", "role"),
        ]
    );
    let refused_by_role = &log["items"][0];
    assert_eq!(refused_by_role["user_role"], "coordinator");
    let probe = access_log(&app, &auditor, "client_id=999999").await;
    assert_eq!(rows(&probe), [denied("read", "no_such_client")]);
}

#[tokio::test]
async fn only_the_auditor_reads_the_access_log() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Oy").await;

    for role in [Role::Admin, Role::Coordinator, Role::Coach] {
        let token = app.token(role, None).await;
        assert_eq!(app.get("/api/v1/access-log", &token).await.status(), 403);
    }
    let employer_user = app.token(Role::Employer, Some(employer)).await;
    assert_eq!(
        app.get("/api/v1/access-log", &employer_user).await.status(),
        403
    );
    let anonymous = app
        .client
        .get(app.url("/api/v1/access-log"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    // Nor does the auditor read a client.
    let auditor = app.token(Role::Auditor, None).await;
    let id = client(&app, &coach, "A", "2025-01-10").await;
    assert_eq!(
        app.get(&format!("/api/v1/clients/{id}"), &auditor)
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn the_access_log_is_filtered_by_user_and_period_and_paged() {
    let app = spawn_app().await;
    let aino = app.token(Role::Coach, None).await;
    let mikko = app.token(Role::Coach, None).await;
    let auditor = app.token(Role::Auditor, None).await;
    let a = client(&app, &aino, "A", "2025-01-10").await;
    client(&app, &mikko, "B", "2025-01-10").await;
    for _ in 0..3 {
        app.get(&format!("/api/v1/clients/{a}"), &aino).await;
    }
    let aino_id = app
        .get(&format!("/api/v1/clients/{a}"), &aino)
        .await
        .json::<Value>()
        .await
        .unwrap()["coach_id"]
        .as_i64()
        .unwrap();
    let today = chrono::Utc::now().date_naive();
    let tomorrow = today.succ_opt().unwrap();

    let all = access_log(&app, &auditor, "").await;
    let of_aino = access_log(&app, &auditor, &format!("user_id={aino_id}&limit=2")).await;
    let second_page = access_log(
        &app,
        &auditor,
        &format!("user_id={aino_id}&limit=2&offset=2"),
    )
    .await;
    let today_only = access_log(&app, &auditor, &format!("from={today}&to={today}")).await;
    let future = access_log(&app, &auditor, &format!("from={tomorrow}")).await;

    assert_eq!(all["total"], 6);
    assert_eq!(of_aino["total"], 5);
    assert_eq!(of_aino["items"].as_array().unwrap().len(), 2);
    assert_eq!(of_aino["limit"], 2);
    assert_ne!(of_aino["items"][0]["id"], second_page["items"][0]["id"]);
    assert!(of_aino["items"][0]["id"].as_i64() > of_aino["items"][1]["id"].as_i64());
    assert_eq!(today_only["total"], 6);
    assert_eq!(future["total"], 0);
    let reversed = format!("from={tomorrow}&to={today}");
    for (query, field) in [
        ("from=yesterday", "from"),
        ("to=2101-01-01", "to"),
        ("from=0001-01-01", "from"),
        (reversed.as_str(), "from"),
        ("client_id=abc", "client_id"),
        ("limit=0", "limit"),
        ("offset=-1", "offset"),
    ] {
        let r = app
            .get(&format!("/api/v1/access-log?{query}"), &auditor)
            .await;
        assert_eq!(r.status(), 422, "{query}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["field"], field, "{query}");
    }
}

#[tokio::test]
async fn the_dashboard_logs_a_coordinators_view_and_a_refused_visit() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let admin = app.token(Role::Admin, None).await;
    let auditor = app.token(Role::Auditor, None).await;
    // Waiting since long ago with no employer contact: an alert that names the client.
    let id = client(&app, &coach, "A", "2025-01-10").await;

    assert_eq!(app.get("/dashboard", &coordinator).await.status(), 200);
    assert_eq!(app.get("/dashboard", &admin).await.status(), 403);
    let fidelity = app.get("/api/v1/fidelity", &coordinator).await;
    assert_eq!(fidelity.status(), 200);

    let log = access_log(&app, &auditor, "").await;
    let dashboard: Vec<&Value> = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["list"].is_string())
        .collect();
    assert_eq!(dashboard.len(), 3, "{log}");
    assert_eq!(dashboard[0]["list"], "fidelity");
    assert_eq!(dashboard[0]["clients"], json!([id]));
    assert_eq!(dashboard[1]["outcome"], "denied");
    assert_eq!(dashboard[1]["reason"], "role");
    assert_eq!(dashboard[1]["user_role"], "admin");
    assert_eq!(dashboard[2]["list"], "dashboard");
    assert_eq!(dashboard[2]["user_role"], "coordinator");
    assert_eq!(dashboard[2]["clients"], json!([id]));
}

/// A client with something in every place the export reads: preferences, an event with a
/// note, an employer contact about them, an answered feedback form, and a served list.
/// Returns (client, employer user token).
async fn client_with_history(app: &TestApp, coach: &str) -> (i64, String) {
    open_vacancy(app, coach).await;
    let employer = app.employer(coach, "Kahvila Oy").await;
    let employer_user = app.token(Role::Employer, Some(employer)).await;
    let r = app
        .post(
            "/api/v1/clients",
            coach,
            &json!({"display_name": "Maija Meikäläinen", "home_municipality": "Lahti",
                    "intake_date": "2025-01-10", "treatment_team_contact": "Hoitaja Hanna",
                    "preferences": {"desired_work": "varastotyö aamuisin", "avoid": "yötyö",
                                    "adjustments": ["kirjalliset ohjeet"]}}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let c = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    ok_event(
        app,
        coach,
        c,
        json!({"type": "job_search", "at": "2025-01-12", "note": "Maija haluaa aamuvuoroja"}),
    )
    .await;
    let contact = app
        .post(
            "/api/v1/employer-contacts",
            coach,
            &json!({"employer_id": employer, "at": "2025-01-20T10:00:00Z", "face_to_face": true,
                    "client_id": c, "purpose": "Maijan työkokeilu", "outcome": "Sovittu aloitus"}),
        )
        .await;
    assert_eq!(contact.status(), 201);
    let placement = ok_event(app, coach, c, json!({"type": "employed", "at": "2025-02-01", "placement_type": "work_trial", "employer_id": employer})).await;
    let form = app
        .post(
            &format!("/api/v1/clients/{c}/feedback-requests"),
            coach,
            &json!({"placement_event_id": placement}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let answer = app
        .client
        .put(app.url(&format!("/api/v1/feedback-forms/{form}")))
        .bearer_auth(&employer_user)
        .json(&json!({"tasks_managed": 4, "support_needed": "some", "would_hire": true, "comment": "Maija oli täsmällinen"}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    served_matches(app, coach, c).await;
    (c, employer_user)
}

#[tokio::test]
async fn a_coach_exports_everything_held_on_a_client() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let other = app.token(Role::Coach, None).await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let (c, _) = client_with_history(&app, &coach).await;

    let r = app
        .get(&format!("/api/v1/clients/{c}/export"), &coach)
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let export: Value = r.json().await.unwrap();
    let by_other = app
        .get(&format!("/api/v1/clients/{c}/export"), &other)
        .await;
    let by_coordinator = app
        .get(&format!("/api/v1/clients/{c}/export"), &coordinator)
        .await;

    assert_eq!(export["client"]["display_name"], "Maija Meikäläinen");
    assert_eq!(export["client"]["treatment_team_contact"], "Hoitaja Hanna");
    assert_eq!(
        export["client"]["preferences"]["desired_work"],
        "varastotyö aamuisin"
    );
    let events = export["events"].as_array().unwrap();
    assert_eq!(events.len(), 3, "job search, the contact's event, employed");
    assert_eq!(events[0]["note"], "Maija haluaa aamuvuoroja");
    assert_eq!(
        export["employer_contacts"][0]["purpose"],
        "Maijan työkokeilu"
    );
    assert_eq!(export["employer_contacts"][0]["client_id"], c);
    assert_eq!(
        export["feedback_forms"][0]["answers"]["comment"],
        "Maija oli täsmällinen"
    );
    let names = export["feature_names"].as_array().unwrap();
    let list = &export["match_lists"][0];
    assert!(list["model_version"].is_string());
    let first = &list["suggestions"][0];
    assert_eq!(first["kind"], "vacancy");
    assert_eq!(first["features"].as_array().unwrap().len(), names.len());
    let actions: Vec<&str> = export["access_log"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions.first(), Some(&"create"));
    assert_eq!(actions.last(), Some(&"export"), "the export logs itself");
    assert!(actions.contains(&"matches"));
    assert_eq!(by_other.status(), 404);
    assert_eq!(by_coordinator.status(), 403);
}

#[tokio::test]
async fn an_erased_client_keeps_no_name_or_free_text_and_is_gone_for_everyone() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let auditor = app.token(Role::Auditor, None).await;
    let (c, employer_user) = client_with_history(&app, &coach).await;
    let history: Value = app
        .get(&format!("/api/v1/clients/{c}/events"), &coach)
        .await
        .json()
        .await
        .unwrap();
    let events_before = history["events"].as_array().unwrap().len();
    // A second form, still unanswered, is withdrawn with the erasure.
    let placement = history["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["type"] == "employed")
        .unwrap()["id"]
        .clone();
    let pending = app
        .post(
            &format!("/api/v1/clients/{c}/feedback-requests"),
            &coach,
            &json!({"placement_event_id": placement}),
        )
        .await;
    assert_eq!(pending.status(), 201);

    let r = app.delete(&format!("/api/v1/clients/{c}"), &coach).await;
    assert_eq!(r.status(), 204);

    for path in [
        format!("/api/v1/clients/{c}"),
        format!("/api/v1/clients/{c}/events"),
        format!("/api/v1/clients/{c}/export"),
        format!("/api/v1/clients/{c}/matches"),
    ] {
        assert_eq!(app.get(&path, &coach).await.status(), 404, "{path}");
    }
    let patch = app
        .patch(
            &format!("/api/v1/clients/{c}"),
            &coach,
            &json!({"display_name": "X"}),
        )
        .await;
    assert_eq!(patch.status(), 404);
    let event = app
        .post(
            &format!("/api/v1/clients/{c}/events"),
            &coach,
            &json!({"type": "job_search"}),
        )
        .await;
    assert_eq!(event.status(), 404);
    assert_eq!(
        app.delete(&format!("/api/v1/clients/{c}"), &coach)
            .await
            .status(),
        404
    );
    let list: Value = app
        .get("/api/v1/clients", &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 0);
    let page = app.get("/dashboard", &coach).await.text().await.unwrap();
    assert!(!page.contains("Maija"));
    let forms: Value = app
        .get("/api/v1/feedback-forms", &employer_user)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        forms.as_array().unwrap().len(),
        1,
        "the pending form is withdrawn"
    );
    assert_eq!(forms[0]["status"], "submitted");
    assert!(!forms.to_string().contains("Maija"));

    // What stays in the database: pseudonymous rows only. (`CAST … AS TEXT` reads the
    // preferences as text whatever type a backend keeps them in.)
    let db = RawDb::connect(&app.database_url()).await;
    let (name, municipality, contact, prefs): (String, String, Option<String>, String) = db
        .fetch_one(
            "SELECT display_name, home_municipality, treatment_team_contact, \
             CAST(preferences AS TEXT) FROM clients WHERE id = ?",
            &[c.into()],
        )
        .await;
    assert_eq!(name, format!("poistettu-{c}"));
    assert_eq!(
        (municipality.as_str(), contact, prefs.as_str()),
        ("", None, "{}")
    );
    let (events, notes): (i64, i64) = db
        .fetch_one(
            "SELECT COUNT(*), COUNT(note) FROM client_events WHERE client_id = ?",
            &[c.into()],
        )
        .await;
    assert_eq!((events, notes), (events_before as i64, 0));
    let (purposes, outcomes): (i64, i64) = db
        .fetch_one(
            "SELECT COUNT(purpose), COUNT(outcome) FROM employer_contacts WHERE client_id = ?",
            &[c.into()],
        )
        .await;
    assert_eq!((purposes, outcomes), (0, 0));
    let (comments, answered): (i64, i64) = db
        .fetch_one(
            "SELECT COUNT(comment), COUNT(would_hire) FROM feedback_forms WHERE client_id = ?",
            &[c.into()],
        )
        .await;
    assert_eq!(
        (comments, answered),
        (0, 1),
        "the rating stays, the words go"
    );
    let (changes,): (i64,) = db
        .fetch_one(
            "SELECT COUNT(*) FROM change_log \
             WHERE entity = 'client' AND entity_id = ? AND op = 'erase'",
            &[c.into()],
        )
        .await;
    assert_eq!(changes, 1);
    let text: Vec<(String,)> = db
        .fetch_all(
            "SELECT COALESCE(display_name, '') || COALESCE(treatment_team_contact, '') \
             || CAST(preferences AS TEXT) FROM clients \
             UNION ALL SELECT COALESCE(note, '') FROM client_events \
             UNION ALL SELECT COALESCE(purpose, '') || COALESCE(outcome, '') FROM employer_contacts \
             UNION ALL SELECT COALESCE(comment, '') FROM feedback_forms",
            &[],
        )
        .await;
    db.close().await;
    assert!(text
        .iter()
        .all(|(t,)| !t.contains("Maija") && !t.contains("Hanna")));

    let log = access_log(&app, &auditor, &format!("client_id={c}&limit=100")).await;
    let rows = rows(&log);
    let erased = rows.iter().position(|r| *r == allowed("erase")).unwrap();
    assert!(rows[erased + 1..]
        .iter()
        .all(|r| r.1 == "denied" && r.2.as_deref() == Some("erased")));
    assert_eq!(rows.len() - erased - 1, 7, "every later attempt is logged");
}

#[tokio::test]
async fn an_admin_may_erase_any_client_and_no_other_role_may() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let other = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Oy").await;
    let c = client(&app, &coach, "A", "2025-01-10").await;

    for token in [
        app.token(Role::Coordinator, None).await,
        app.token(Role::Employer, Some(employer)).await,
        app.token(Role::Auditor, None).await,
    ] {
        assert_eq!(
            app.delete(&format!("/api/v1/clients/{c}"), &token)
                .await
                .status(),
            403
        );
    }
    assert_eq!(
        app.delete(&format!("/api/v1/clients/{c}"), &other)
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get(&format!("/api/v1/clients/{c}"), &coach)
            .await
            .status(),
        200,
        "still there"
    );
    let admin = app.token(Role::Admin, None).await;
    assert_eq!(
        app.delete(&format!("/api/v1/clients/{c}"), &admin)
            .await
            .status(),
        204
    );
    assert_eq!(
        app.get(&format!("/api/v1/clients/{c}"), &coach)
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn events_stay_append_only_but_for_the_erasure_of_their_notes() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let c = client(&app, &coach, "A", "2025-01-10").await;
    let e = ok_event(
        &app,
        &coach,
        c,
        json!({"type": "job_search", "at": "2025-01-12", "note": "muistiinpano"}),
    )
    .await;
    let db = RawDb::connect(&app.database_url()).await;
    let clear = "UPDATE client_events SET note = NULL WHERE id = ?";

    let before_erasure = db.execute(clear, &[e.into()]).await;
    assert_eq!(
        app.delete(&format!("/api/v1/clients/{c}"), &coach)
            .await
            .status(),
        204
    );
    let retype = db
        .execute(
            "UPDATE client_events SET type = 'employed' WHERE id = ?",
            &[e.into()],
        )
        .await;
    let rewrite = db
        .execute(
            "UPDATE client_events SET note = 'uusi' WHERE id = ?",
            &[e.into()],
        )
        .await;
    let delete = db
        .execute("DELETE FROM client_events WHERE id = ?", &[e.into()])
        .await;
    let log_delete = db.execute("DELETE FROM access_log", &[]).await;
    db.close().await;

    assert!(before_erasure.is_err(), "a live client's note stays");
    assert!(retype.is_err());
    assert!(rewrite.is_err());
    assert!(delete.is_err());
    assert!(log_delete.is_err(), "the access log is append-only too");
}

#[tokio::test]
async fn served_lists_are_kept_compactly() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Oy").await;
    for i in 0..30 {
        app.vacancy(
            &coach,
            employer,
            &format!("Varastotyöntekijä {i}"),
            "Keräilyä ja pakkaamista.",
            "Lahti",
        )
        .await;
    }
    app.search_until(&coach, "varastotyöntekijä", |r| r["total"] == 30)
        .await;
    let c = app
        .post(
            "/api/v1/clients",
            &coach,
            &json!({"display_name": "A", "home_municipality": "Lahti",
                    "preferences": {"desired_work": "varastotyö"}}),
        )
        .await
        .json::<Value>()
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();

    let served = served_matches(&app, &coach, c).await;

    let n = served["matches"].as_array().unwrap().len() as i64;
    assert!(n >= 10, "{n} suggestions");
    // `CAST … AS BIGINT`: PostgreSQL's SUM of a BIGINT column is a NUMERIC.
    let db = RawDb::connect(&app.database_url()).await;
    let (lists, suggestions, bytes): (i64, i64, i64) = db
        .fetch_one(
            "SELECT COUNT(*), CAST(SUM(suggestions) AS BIGINT), \
             CAST(SUM(length(items)) AS BIGINT) FROM match_lists WHERE client_id = ?",
            &[c.into()],
        )
        .await;
    let (old_rows,): (i64,) = db
        .fetch_one("SELECT COUNT(*) FROM match_impressions", &[])
        .await;
    db.close().await;
    assert_eq!((lists, suggestions, old_rows), (1, n, 0));
    assert!(bytes <= 60 * n, "{bytes} bytes for {n} suggestions");
}

#[tokio::test]
async fn served_lists_past_the_retention_are_deleted() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    open_vacancy(&app, &coach).await;
    let c = client(&app, &coach, "A", "2025-01-10").await;
    served_matches(&app, &coach, c).await;
    served_matches(&app, &coach, c).await;
    let dir = app.stop().await;
    // One list served 40 days ago, one just now; and old-style rows (one row per suggestion,
    // from before lists were packed) of 40 days ago and of now.
    let db = RawDb::connect(&database_url_for(dir.path())).await;
    let old = chrono::Utc::now() - chrono::Duration::days(40);
    db.execute(
        "UPDATE match_lists SET served_at = ? WHERE id = (SELECT MIN(id) FROM match_lists)",
        &[crate::helpers::Arg::Millis(old)],
    )
    .await
    .unwrap();
    for (list, at) in [("legacy-old", old), ("legacy-new", chrono::Utc::now())] {
        db.execute(
            "INSERT INTO match_impressions (list_id, client_id, served_at, model_version, \
             position, kind, item_id, score, features) \
             VALUES (?, ?, ?, 'legacy', 0, 'vacancy', 1, 0.5, '[0.5]')",
            &[list.into(), c.into(), at.into()],
        )
        .await
        .unwrap();
    }
    db.close().await;

    let mut settings = crate::helpers::settings(dir.path());
    settings.impression_retention_days = 30;
    let app = spawn_app_with(dir, settings).await;

    let deadline = Instant::now() + Duration::from_secs(10);
    let lists = loop {
        let export: Value = app
            .get(&format!("/api/v1/clients/{c}/export"), &coach)
            .await
            .json()
            .await
            .unwrap();
        let lists = export["match_lists"].as_array().unwrap().clone();
        if lists.len() == 2 || Instant::now() > deadline {
            break lists;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert_eq!(lists.len(), 2, "only the recent lists are kept: {lists:?}");
    for list in &lists {
        let served =
            chrono::DateTime::parse_from_rfc3339(list["served_at"].as_str().unwrap()).unwrap();
        assert!(chrono::Utc::now() - served.to_utc() < chrono::Duration::days(1));
    }
    let versions: Vec<&str> = lists
        .iter()
        .map(|l| l["model_version"].as_str().unwrap())
        .collect();
    assert!(
        versions.contains(&"legacy"),
        "old-style rows are still read"
    );
    assert_eq!(lists[1]["suggestions"][0]["features"], json!([0.5]));
}

#[tokio::test]
async fn the_retention_setting_is_checked() {
    let dir = crate::helpers::test_dir();
    let db = database_url_for(dir.path());
    let out = crate::cli::kohtaamo(
        &db,
        &dir.path().join("index"),
        &[
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--impression-retention-days",
            "0",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("impression-retention-days"));
}

#[tokio::test]
async fn users_add_creates_an_auditor_who_reads_the_log() {
    let app = spawn_app().await;
    let out = crate::cli::kohtaamo(
        &app.database_url(),
        &app.index_dir(),
        &[
            "users",
            "add",
            "--role",
            "auditor",
            "--name",
            "Tietosuojavastaava",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let token = stdout.lines().last().unwrap().trim();

    assert_eq!(app.get("/api/v1/access-log", token).await.status(), 200);
}

/// The index (both backends) and the SQLite file (SQLite only) are private to their owner.
#[cfg(unix)]
#[tokio::test]
async fn the_index_and_the_sqlite_file_are_readable_by_their_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    client(&app, &coach, "A", "2025-01-10").await;

    assert_eq!(mode(&app.index_dir()), 0o700);
    // SQLite-only: the rest is about the permissions of the database file kohtaamo creates;
    // a PostgreSQL database lives in the server's data directory, whose permissions are the
    // server's business, not kohtaamo's.
    if postgres_server().is_some() {
        return;
    }
    let db = app.dir.path().join("kohtaamo.db");
    assert_eq!(mode(&db), 0o600);
    let wal = app.dir.path().join("kohtaamo.db-wal");
    if wal.exists() {
        assert_eq!(mode(&wal), 0o600);
    }
    // The command line creates it the same way.
    let dir = crate::helpers::test_dir();
    let fresh = dir.path().join("fresh.db");
    let out = crate::cli::kohtaamo(
        &format!("sqlite://{}", fresh.display()),
        &dir.path().join("index"),
        &["users", "add", "--role", "coach", "--name", "Aino"],
    );
    assert!(out.status.success());
    assert_eq!(mode(&fresh), 0o600);
}

#[tokio::test]
async fn the_openapi_document_describes_the_privacy_paths() {
    let app = spawn_app().await;

    let doc: Value = app
        .client
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    let paths = &doc["paths"];
    assert!(paths["/api/v1/access-log"]["get"].is_object());
    assert!(paths["/api/v1/clients/{id}/export"]["get"].is_object());
    assert!(paths["/api/v1/clients/{id}"]["delete"]["responses"]["204"].is_object());
    let params: Vec<&str> = paths["/api/v1/access-log"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for name in ["client_id", "user_id", "from", "to", "limit", "offset"] {
        assert!(params.contains(&name), "{name} in {params:?}");
    }
    for schema in [
        "AccessEntry",
        "AccessAction",
        "DenialReason",
        "ClientExport",
        "ServedList",
    ] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
}

//! The auditor's access log and the admin's users page, driven as a browser without JavaScript
//! would: plain GETs and form posts, each 303 checked by hand. What the pages changed is read
//! back through the API and by signing in.

use reqwest::header::{ACCEPT_LANGUAGE, LOCATION};
use reqwest::{redirect, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};
use crate::sessions::{csrf_token, person, Browser, PASSWORD};
use kohtaamo::domain::Role;

/// A client that follows no redirect, so each 303 can be checked.
fn web() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap()
}

async fn page(app: &TestApp, path: &str, token: &str) -> (StatusCode, String) {
    let r = web()
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn submit(
    app: &TestApp,
    path: &str,
    token: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    web()
        .post(app.url(path))
        .bearer_auth(token)
        .form(form)
        .send()
        .await
        .unwrap()
}

/// A client of `coach`; returns its id.
async fn client(app: &TestApp, coach: &str, name: &str) -> i64 {
    let r = app
        .post(
            "/api/v1/clients",
            coach,
            &json!({"display_name": name, "home_municipality": "Lahti",
                    "intake_date": "2026-01-10"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

/// The rows of the access-log table (its `<tr>`s in the body).
fn table_rows(body: &str) -> usize {
    body.split("<tbody>").nth(1).map_or(0, |t| {
        t.split("</tbody>").next().unwrap().matches("<tr").count()
    })
}

/// The path of the one-time sign-in link a page shows.
fn shown_link(body: &str) -> String {
    let start = body
        .find("/signin/link/")
        .unwrap_or_else(|| panic!("no sign-in link in {body}"));
    let end = start + body[start..].find('<').unwrap();
    body[start..end].to_string()
}

async fn user_id_of(app: &TestApp, admin: &str, email: &str) -> i64 {
    let users: Value = app
        .get("/api/v1/users?limit=100", admin)
        .await
        .json()
        .await
        .unwrap();
    users["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == email)
        .unwrap_or_else(|| panic!("{email} in {users}"))["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn only_the_auditor_opens_the_access_log_and_only_an_admin_the_users_page() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Oy").await;
    let mut tokens = Vec::new();
    for role in [Role::Admin, Role::Coordinator, Role::Coach, Role::Auditor] {
        tokens.push((role, app.token(role, None).await));
    }
    tokens.push((
        Role::Employer,
        app.token(Role::Employer, Some(employer)).await,
    ));

    for (role, token) in &tokens {
        let (log, log_body) = page(&app, "/access-log", token).await;
        let (users, users_body) = page(&app, "/users", token).await;
        let expected_log = if *role == Role::Auditor { 200 } else { 403 };
        let expected_users = if *role == Role::Admin { 200 } else { 403 };
        assert_eq!(log.as_u16(), expected_log, "{role} on the access log");
        assert_eq!(users.as_u16(), expected_users, "{role} on the users page");
        if expected_log == 403 {
            assert!(
                log_body.contains("Käyttölokia lukee vain"),
                "{role}: {log_body}"
            );
        }
        if expected_users == 403 {
            assert!(users_body.contains("Käyttäjiä hallitsee vain"), "{role}");
        }
    }
    // The header links each to the page it may use.
    let admin = &tokens[0].1;
    let auditor = &tokens[3].1;
    let (_, admin_page) = page(&app, "/users", admin).await;
    let (_, auditor_page) = page(&app, "/access-log", auditor).await;
    assert!(admin_page.contains(r#"href="/users" aria-current="page""#));
    assert!(!admin_page.contains(r#"href="/access-log""#));
    assert!(auditor_page.contains(r#"href="/access-log" aria-current="page""#));
    assert!(!auditor_page.contains(r#"href="/users""#));
    // `/` leads each to its page.
    for (token, to) in [(admin, "/users"), (auditor, "/access-log")] {
        let r = web()
            .get(app.url("/"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.headers()[LOCATION], to);
    }

    // Nobody signed in is sent to sign in, and comes back.
    for path in ["/access-log?from=1.1.2026", "/users"] {
        let r = web().get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        let to = r.headers()[LOCATION].to_str().unwrap();
        assert!(to.starts_with("/signin?next="), "{path} → {to}");
    }
    // Nor does anyone but an admin post to the users page.
    let coordinator = &tokens[1].1;
    let r = submit(&app, "/users/1/disable", coordinator, &[]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = submit(
        &app,
        "/users",
        coordinator,
        &[("role", "admin"), ("name", "X"), ("email", "x@example.fi")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let users: Value = app
        .get("/api/v1/users?limit=100", admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(users["total"], 6, "no user was added: {users}");
}

#[tokio::test]
async fn the_access_log_shows_who_read_which_client_and_who_was_refused() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let auditor = app.token(Role::Auditor, None).await;
    let id = client(&app, &coach, "Asiakas Aamu").await;
    let other = client(&app, &coach, "Asiakas Ilta").await;
    assert_eq!(
        app.get(&format!("/api/v1/clients/{id}"), &coach)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.get(&format!("/api/v1/clients/{id}"), &coordinator)
            .await
            .status(),
        403
    );

    let (status, body) = page(&app, &format!("/access-log?client_id={id}"), &auditor).await;

    assert_eq!(status, 200);
    // Created, read, refused: three rows, newest first.
    assert_eq!(table_rows(&body), 3, "{body}");
    let refused = body
        .find("Estetty: rooli ei saa lukea asiakastietoja")
        .expect("refused row");
    // The refused attempt was a read too: the last "read" is the coach's.
    assert_eq!(body.matches("Luki asiakkaan tiedot").count(), 2);
    let read = body.rfind("Luki asiakkaan tiedot").expect("read row");
    let created = body.find("Lisäsi asiakkaan").expect("created row");
    assert!(refused < read && read < created, "newest first");
    assert!(body.contains(&format!("Asiakas {id}")));
    assert!(body.contains("koordinaattori") && body.contains("työhönvalmentaja"));
    // Finnish date and time: `1.12.2026 klo 14.05`.
    assert!(body.contains(" klo "), "{body}");
    // No client's name: the log names clients by number only.
    assert!(!body.contains("Asiakas Aamu"));
    assert!(
        !body.contains(&format!("Asiakas {other}<")),
        "another client's rows"
    );
    // The filters stay in the form.
    assert!(body.contains(&format!(r#"name="client_id" type="text" value="{id}""#)));
}

#[tokio::test]
async fn filters_that_cannot_be_used_are_shown_at_their_fields_never_as_a_raw_error() {
    let app = spawn_app().await;
    let auditor = app.token(Role::Auditor, None).await;

    for (query, field, message) in [
        (
            "from=31.2.2026",
            "from",
            "Kirjoita päivämäärä muodossa 1.12.2026.",
        ),
        (
            "to=huomenna",
            "to",
            "Kirjoita päivämäärä muodossa 1.12.2026.",
        ),
        (
            "from=2.1.2026&to=1.1.2026",
            "from",
            "Alkupäivä ei voi olla loppupäivän jälkeen.",
        ),
        ("from=1.1.3000", "from", "vuosien 1900 ja 2100 väliltä"),
        (
            "client_id=abc",
            "client_id",
            "Asiakkaan tunnus on positiivinen kokonaisluku",
        ),
        (
            "user_id=-3",
            "user_id",
            "Käyttäjän tunnus on positiivinen kokonaisluku",
        ),
    ] {
        let (status, body) = page(&app, &format!("/access-log?{query}"), &auditor).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert!(body.contains("<title>Virhe: Käyttöloki"), "{query}");
        assert!(
            body.contains(&format!(r##"href="#{field}""##)),
            "{query}: summary links the field"
        );
        assert!(body.contains(message), "{query}: {body}");
        assert!(body.contains(r#"aria-invalid="true""#), "{query}");
        assert!(
            !body.contains("<tbody>"),
            "{query}: no rows beside an error"
        );
    }
    // A period of whole days, in either form, is fine.
    let (status, _) = page(
        &app,
        "/access-log?from=2026-01-01&to=1.1.2026&page=x",
        &auditor,
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_access_log_comes_fifty_rows_a_page_newest_first() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let auditor = app.token(Role::Auditor, None).await;
    let id = client(&app, &coach, "Asiakas").await;
    for _ in 0..54 {
        app.get(&format!("/api/v1/clients/{id}"), &coach).await;
    }
    // 1 create + 54 reads.
    let (_, first) = page(&app, "/access-log", &auditor).await;
    let (_, second) = page(&app, "/access-log?page=2", &auditor).await;
    let (_, past) = page(&app, "/access-log?page=9", &auditor).await;

    assert_eq!(table_rows(&first), 50);
    assert!(first.contains("55 tapahtumaa"));
    assert!(first.contains("Sivu 1 / 2"));
    assert!(
        first.contains(r#"href="/access-log?page=2" rel="next""#),
        "{first}"
    );
    assert!(!first.contains(r#"rel="prev""#));
    assert!(
        !first.contains("Lisäsi asiakkaan"),
        "the oldest row is on the last page"
    );
    assert_eq!(table_rows(&second), 5);
    assert!(second.contains("Lisäsi asiakkaan"));
    assert!(second.contains(r#"href="/access-log" rel="prev""#));
    assert!(!second.contains(r#"rel="next""#));
    assert_eq!(table_rows(&past), 0);
    assert!(past.contains("Rajauksiin ei osu yhtään tapahtumaa."));
}

#[tokio::test]
async fn disabling_a_user_ends_every_session_and_token_at_once_and_enabling_gives_none_back() {
    let app = spawn_app().await;
    let admin = app.token(Role::Admin, None).await;
    let (coach_id, coach_token) = person(&app, Role::Coach, "aino@example.fi").await;
    let mut coach = Browser::new(&app);
    assert_eq!(
        coach
            .sign_in("aino@example.fi", PASSWORD, "")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(coach.get("/caseload").await.status(), 200);
    let (_, before) = page(&app, "/users", &admin).await;
    assert!(before.contains("aino@example.fi"));
    assert!(before.contains(&format!(r#"action="/users/{coach_id}/disable""#)));

    let r = submit(&app, &format!("/users/{coach_id}/disable"), &admin, &[]).await;

    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[LOCATION], "/users?notice=disabled");
    let r = coach.get("/caseload").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "the session has ended");
    assert!(r.headers()[LOCATION]
        .to_str()
        .unwrap()
        .starts_with("/signin"));
    assert_eq!(app.get("/api/v1/clients", &coach_token).await.status(), 401);
    let (_, after) = page(&app, "/users?notice=disabled", &admin).await;
    assert!(after.contains("Käyttäjä poistettiin käytöstä."));
    assert!(after.contains("<strong>Poistettu käytöstä</strong>"));
    assert!(after.contains(&format!(r#"action="/users/{coach_id}/enable""#)));
    // A disabled user gets no sign-in link.
    let r = submit(&app, &format!("/users/{coach_id}/link"), &admin, &[]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Ota hänet ensin käyttöön."));

    let r = submit(&app, &format!("/users/{coach_id}/enable"), &admin, &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/api/v1/clients", &coach_token).await.status(),
        401,
        "tokens stay revoked"
    );
    assert_eq!(
        coach
            .sign_in("aino@example.fi", PASSWORD, "")
            .await
            .status(),
        StatusCode::SEE_OTHER,
        "the password works again"
    );
}

#[tokio::test]
async fn revoking_ends_a_users_tokens_and_sessions_and_keeps_it_active() {
    let app = spawn_app().await;
    let admin = app.token(Role::Admin, None).await;
    let (id, token) = person(&app, Role::Coordinator, "koordinaattori@example.fi").await;
    let mut browser = Browser::new(&app);
    browser
        .sign_in("koordinaattori@example.fi", PASSWORD, "")
        .await;
    let (_, before) = page(&app, "/users", &admin).await;
    let row = |body: &str| {
        let start = body.find(&format!(r#"<tr id="user-{id}">"#)).unwrap();
        body[start..start + body[start..].find("</tr>").unwrap()].to_string()
    };
    // One token, one session.
    assert_eq!(
        row(&before).matches(r#"class="num">1<"#).count(),
        2,
        "{}",
        row(&before)
    );

    let r = submit(&app, &format!("/users/{id}/revoke"), &admin, &[]).await;

    assert_eq!(r.headers()[LOCATION], "/users?notice=revoked");
    assert_eq!(app.get("/api/v1/funnel", &token).await.status(), 401);
    assert_eq!(
        browser.get("/dashboard").await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, after) = page(&app, "/users", &admin).await;
    assert_eq!(
        row(&after).matches(r#"class="num">0<"#).count(),
        2,
        "{}",
        row(&after)
    );
    assert!(row(&after).contains("Käytössä"));
}

#[tokio::test]
async fn an_admin_cannot_disable_itself_and_is_told_why() {
    let app = spawn_app().await;
    let (me, _) = person(&app, Role::Admin, "yllapito@example.fi").await;
    let mut browser = Browser::new(&app);
    browser.sign_in("yllapito@example.fi", PASSWORD, "").await;
    let token = browser.token_of("/users").await;

    let r = browser
        .post(&format!("/users/{me}/disable"), &[("csrf_token", &token)])
        .await;

    assert_eq!(r.status(), StatusCode::CONFLICT);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("Et voi poistaa omaa tunnustasi käytöstä."),
        "{body}"
    );
    assert_eq!(browser.get("/users").await.status(), 200, "still signed in");
    let own = browser.get("/users").await.text().await.unwrap();
    assert!(
        !own.contains(&format!(r#"action="/users/{me}/disable""#)),
        "no button to do it"
    );
    assert!(own.contains("(sinä)"));
}

#[tokio::test]
async fn a_forged_post_to_the_users_page_changes_nothing() {
    let app = spawn_app().await;
    person(&app, Role::Admin, "yllapito@example.fi").await;
    let (victim, victim_token) = person(&app, Role::Coach, "aino@example.fi").await;
    let mut browser = Browser::new(&app);
    browser.sign_in("yllapito@example.fi", PASSWORD, "").await;
    let disable = format!("/users/{victim}/disable");
    let real_token = browser.token_of("/users").await;

    let forged = [
        browser.post(&disable, &[]).await.status(),
        browser
            .post(&disable, &[("csrf_token", "forged")])
            .await
            .status(),
        browser
            .post(
                "/users",
                &[
                    ("role", "admin"),
                    ("name", "Hyökkääjä"),
                    ("email", "evil@example.fi"),
                ],
            )
            .await
            .status(),
        browser
            .post_with(
                &disable,
                &[("csrf_token", &real_token)],
                &[("Origin", "https://evil.example")],
            )
            .await
            .status(),
    ];

    assert_eq!(forged, [StatusCode::FORBIDDEN; 4]);
    let refusal = browser.post(&disable, &[]).await.text().await.unwrap();
    for words in ["Lomake vanhentui", "Formuläret gick ut", "The form expired"] {
        assert!(
            refusal.contains(words),
            "the refusal says {words}: {refusal}"
        );
    }
    assert_eq!(
        app.get("/api/v1/clients", &victim_token).await.status(),
        200
    );
    let listing = browser.get("/users").await.text().await.unwrap();
    assert!(!listing.contains("evil@example.fi"));
    // With the page's token the same post goes through.
    let token = csrf_token(&listing);
    let r = browser.post(&disable, &[("csrf_token", &token)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/api/v1/clients", &victim_token).await.status(),
        401
    );
}

#[tokio::test]
async fn a_user_added_on_the_page_signs_in_once_with_the_link_shown() {
    let app = spawn_app().await;
    let admin = app.token(Role::Admin, None).await;

    let r = submit(
        &app,
        "/users",
        &admin,
        &[
            ("role", "coach"),
            ("name", "Aino Valmentaja"),
            ("email", "aino@example.fi"),
            ("employer_id", ""),
        ],
    )
    .await;

    assert_eq!(r.status(), 200);
    let body = r.text().await.unwrap();
    assert!(body.contains("Käyttäjä Aino Valmentaja lisättiin."));
    assert!(body.contains("Se näytetään vain nyt"));
    let link = shown_link(&body);
    let mut first = Browser::new(&app);
    let r = first.get(&link).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()[LOCATION], "/account/password");
    assert_eq!(
        first.get("/caseload").await.status(),
        200,
        "signed in as the coach"
    );
    let mut second = Browser::new(&app);
    assert_eq!(
        second.get(&link).await.status(),
        StatusCode::NOT_FOUND,
        "used once"
    );
    // The listing never shows it again.
    let (_, listing) = page(&app, "/users", &admin).await;
    assert!(!listing.contains("/signin/link/"));

    // A new link for the same person works once too, and the first stays used.
    let id = user_id_of(&app, &admin, "aino@example.fi").await;
    let r = submit(&app, &format!("/users/{id}/link"), &admin, &[]).await;
    assert_eq!(r.status(), 200);
    let again = shown_link(&r.text().await.unwrap());
    assert_ne!(again, link);
    assert_eq!(
        Browser::new(&app).get(&again).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        Browser::new(&app).get(&again).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_add_form_says_what_to_fix_and_keeps_what_was_typed() {
    let app = spawn_app().await;
    let admin = app.token(Role::Admin, None).await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Lahden Logistiikka Oy").await;
    submit(
        &app,
        "/users",
        &admin,
        &[
            ("role", "coach"),
            ("name", "Aino"),
            ("email", "aino@example.fi"),
        ],
    )
    .await;
    let employer_id = employer.to_string();

    for (form, field, message) in [
        (
            vec![("role", ""), ("name", "Eero"), ("email", "eero@example.fi")],
            "role",
            "Valitse rooli.",
        ),
        (
            vec![
                ("role", "coach"),
                ("name", " "),
                ("email", "eero@example.fi"),
            ],
            "name",
            "Kirjoita nimi",
        ),
        (
            vec![("role", "coach"), ("name", "Eero"), ("email", "eero")],
            "email",
            "Kirjoita sähköpostiosoite",
        ),
        (
            vec![
                ("role", "coach"),
                ("name", "Eero"),
                ("email", "AINO@example.fi"),
            ],
            "email",
            "jo toisella käyttäjällä",
        ),
        (
            vec![
                ("role", "employer"),
                ("name", "Eero"),
                ("email", "eero@example.fi"),
            ],
            "employer_id",
            "Työnantajakäyttäjälle tarvitaan",
        ),
        (
            vec![
                ("role", "employer"),
                ("name", "Eero"),
                ("email", "eero@example.fi"),
                ("employer_id", "999"),
            ],
            "employer_id",
            "Työnantajakäyttäjälle tarvitaan",
        ),
        (
            vec![
                ("role", "coach"),
                ("name", "Eero"),
                ("email", "eero@example.fi"),
                ("employer_id", employer_id.as_str()),
            ],
            "employer_id",
            "Jätä kenttä tyhjäksi",
        ),
    ] {
        let r = submit(&app, "/users", &admin, &form).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{form:?}");
        let body = r.text().await.unwrap();
        assert!(body.contains(&format!(r##"href="#{field}""##)), "{form:?}");
        assert!(body.contains(message), "{form:?}: {body}");
        assert!(!body.contains("/signin/link/"), "{form:?}");
        if field != "name" {
            assert!(
                body.contains(r#"value="Eero""#),
                "{form:?}: the name is kept"
            );
        }
    }
    let users: Value = app
        .get("/api/v1/users?limit=100", &admin)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(users["total"], 3, "only Aino was added: {users}");

    // An employer user with its employer is fine.
    let r = submit(
        &app,
        "/users",
        &admin,
        &[
            ("role", "employer"),
            ("name", "Rekry"),
            ("email", "rekry@example.fi"),
            ("employer_id", &employer_id),
        ],
    )
    .await;
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn the_admin_pages_speak_swedish_and_english() {
    let app = spawn_app().await;
    let admin = app.token(Role::Admin, None).await;
    let auditor = app.token(Role::Auditor, None).await;

    for (lang, users, log, error) in [
        (
            "sv-FI,sv;q=0.9",
            "<h1>Användare</h1>",
            "<h1>Åtkomstlogg</h1>",
            "Skriv datumet i formen 1.12.2026.",
        ),
        (
            "en",
            "<h1>Users</h1>",
            "<h1>Access log</h1>",
            "Write the date as 1.12.2026.",
        ),
    ] {
        let get = |path: &str, token: &str| {
            web()
                .get(app.url(path))
                .bearer_auth(token)
                .header(ACCEPT_LANGUAGE, lang)
                .send()
        };
        let body = get("/users", &admin).await.unwrap().text().await.unwrap();
        assert!(body.contains(users), "{lang}: {body}");
        let body = get("/access-log", &auditor)
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(body.contains(log), "{lang}");
        let body = get("/access-log?from=x", &auditor)
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(body.contains(error), "{lang}");
    }
}

//! Signing in in the browser: password and one-time links, server-side sessions with idle and
//! absolute expiry, sign-out that ends the session on the server, CSRF tokens on every form,
//! the security headers of pages, and the sign-in rate limit.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::Duration;

use kohtaamo::api::{Rate, RateLimits};
use kohtaamo::domain::{Email, Password, Role};
use kohtaamo::store::{NewAccount, Store};
use kohtaamo::web::SessionConfig;
use reqwest::header::{HeaderMap, COOKIE, LOCATION, SET_COOKIE};
use reqwest::StatusCode;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::helpers::{settings, spawn_app, spawn_app_with, unthrottled, RawDb, TestApp};

pub const PASSWORD: &str = "pitkä ja hyvä salasana";

/// A person who signs in with `email` and [`PASSWORD`]; returns (user id, API token).
pub async fn person(app: &TestApp, role: Role, email: &str) -> (i64, String) {
    let store = Store::open(&app.database_url()).await.expect("store");
    let email = Email::parse("email", email).unwrap();
    let hash = Password::parse("password", PASSWORD)
        .unwrap()
        .hash()
        .unwrap();
    let (user, token) = store
        .create_account(&NewAccount {
            name: &format!("Henkilö {email}"),
            role,
            employer_id: None,
            email: Some(&email),
            password_hash: Some(hash),
            with_token: true,
            token_expires_at: None,
        })
        .await
        .expect("user");
    store.close().await;
    (user.id, token.unwrap().token)
}

/// A one-time sign-in link's path for user `id`, expiring `valid` from now (negative: past).
pub async fn link(app: &TestApp, id: i64, valid: chrono::Duration) -> String {
    let store = Store::open(&app.database_url()).await.expect("store");
    let secret = store
        .create_sign_in_link(id, chrono::Utc::now() + valid)
        .await
        .expect("link");
    store.close().await;
    format!("/signin/link/{secret}")
}

/// A browser: keeps cookies (by name, as this site sets them), follows no redirects.
pub struct Browser<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
    pub cookies: BTreeMap<String, String>,
}

impl<'a> Browser<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        Self::from_address(app, "127.0.0.1")
    }

    /// A browser whose requests come from `ip` (any address of 127.0.0.0/8 is this machine).
    pub fn from_address(app: &'a TestApp, ip: &str) -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .local_address(ip.parse::<IpAddr>().unwrap())
            .build()
            .unwrap();
        Self {
            app,
            client,
            cookies: BTreeMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep_cookies(&mut self, headers: &HeaderMap) {
        for set in headers.get_all(SET_COOKIE) {
            let set = set.to_str().unwrap();
            let (pair, attributes) = set.split_once(';').unwrap_or((set, ""));
            let (name, value) = pair.split_once('=').unwrap();
            let removed = value.is_empty() || attributes.to_ascii_lowercase().contains("max-age=0");
            if removed {
                self.cookies.remove(name.trim());
            } else {
                self.cookies
                    .insert(name.trim().to_string(), value.trim().to_string());
            }
        }
    }

    pub async fn get(&mut self, path: &str) -> reqwest::Response {
        let r = self
            .client
            .get(self.app.url(path))
            .header(COOKIE, self.cookie_header())
            .send()
            .await
            .unwrap();
        self.keep_cookies(r.headers());
        r
    }

    pub async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.post_with(path, form, &[]).await
    }

    pub async fn post_with(
        &mut self,
        path: &str,
        form: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut request = self
            .client
            .post(self.app.url(path))
            .header(COOKIE, self.cookie_header())
            .form(form);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        let r = request.send().await.unwrap();
        self.keep_cookies(r.headers());
        r
    }

    /// Opens the sign-in page and posts it; returns the answer to the post.
    pub async fn sign_in(&mut self, email: &str, password: &str, next: &str) -> reqwest::Response {
        let page = self.get("/signin").await.text().await.unwrap();
        let token = csrf_token(&page);
        self.post(
            "/signin",
            &[
                ("email", email),
                ("password", password),
                ("csrf_token", &token),
                ("next", next),
            ],
        )
        .await
    }

    /// The CSRF token of the page at `path`.
    pub async fn token_of(&mut self, path: &str) -> String {
        let r = self.get(path).await;
        assert_eq!(r.status(), 200, "{path}");
        csrf_token(&r.text().await.unwrap())
    }

    pub fn session_cookie(&self) -> Option<&String> {
        self.cookies.get("kohtaamo_sid")
    }
}

/// The value of the first `csrf_token` field of a page.
pub fn csrf_token(html: &str) -> String {
    let marker = r#"name="csrf_token" value=""#;
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("no csrf_token in {html}"))
        + marker.len();
    let end = start + html[start..].find('"').unwrap();
    html[start..end].to_string()
}

fn location(r: &reqwest::Response) -> &str {
    r.headers()[LOCATION].to_str().unwrap()
}

async fn spawn_with_sessions(idle: Duration, max: Duration) -> TestApp {
    let dir = crate::helpers::test_dir();
    let mut s = settings(dir.path());
    s.sessions = SessionConfig::new("http://127.0.0.1:8080", idle, max);
    spawn_app_with(dir, s).await
}

/// The SHA-256 hashes of the session ids the database holds.
async fn stored_session_hashes(app: &TestApp) -> Vec<String> {
    let db = RawDb::connect(&app.database_url()).await;
    let rows: Vec<(String,)> = db.fetch_all("SELECT id_hash FROM sessions", &[]).await;
    db.close().await;
    rows.into_iter().map(|(h,)| h).collect()
}

#[tokio::test]
async fn signing_in_with_a_password_gives_a_session_cookie_not_the_token_and_the_account_page_works(
) {
    let app = spawn_app().await;
    let (_, token) = person(&app, Role::Coach, "aino@example.fi").await;
    let mut browser = Browser::new(&app);

    let r = browser.sign_in("Aino@Example.FI", PASSWORD, "").await;

    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/");
    let set: Vec<_> = r.headers().get_all(SET_COOKIE).iter().collect();
    let session = set
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|v| v.starts_with("kohtaamo_sid="))
        .expect("a session cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(session.contains(attribute), "{attribute} in {session}");
    }
    assert!(!session.contains("Secure"), "not Secure over plain http");
    let id = browser.session_cookie().unwrap().clone();
    assert_eq!(id.len(), 64, "256 random bits, hex");
    assert!(
        !id.starts_with("kht_") && id != token,
        "never the API token"
    );
    let stored = stored_session_hashes(&app).await;
    assert_eq!(stored, vec![hex::encode(Sha256::digest(id.as_bytes()))]);
    assert!(!stored.contains(&id), "only a hash of the id is stored");

    let account = browser.get("/account").await;
    assert_eq!(account.status(), 200);
    let page = account.text().await.unwrap();
    assert!(page.contains("Henkilö aino@example.fi"), "{page}");
    assert!(page.contains("työhönvalmentaja"), "the role in words");
    assert!(page.contains(r#"action="/account/sign-out-everywhere""#));
    assert!(page.contains(r#"name="new_password""#));
}

#[tokio::test]
async fn a_wrong_password_or_an_unknown_address_shows_one_error_and_sets_no_session() {
    let app = spawn_app().await;
    person(&app, Role::Coach, "aino@example.fi").await;
    let mut browser = Browser::new(&app);

    let wrong_password = browser
        .sign_in("aino@example.fi", "väärä salasana!!", "")
        .await;
    let status = wrong_password.status();
    let wrong_page = wrong_password.text().await.unwrap();
    let unknown = browser.sign_in("eero@example.fi", PASSWORD, "").await;
    let unknown_status = unknown.status();
    let unknown_page = unknown.text().await.unwrap();

    assert_eq!(status, 401);
    assert_eq!(unknown_status, 401);
    let message = "Sähköpostiosoite tai salasana on väärin.";
    assert!(wrong_page.contains(message), "{wrong_page}");
    assert!(unknown_page.contains(message), "the same words either way");
    assert!(browser.session_cookie().is_none());
    assert!(stored_session_hashes(&app).await.is_empty());
    assert_eq!(browser.get("/account").await.status(), 303);
}

#[tokio::test]
async fn signing_out_deletes_the_session_on_the_server() {
    let app = spawn_app().await;
    person(&app, Role::Coach, "aino@example.fi").await;
    let mut browser = Browser::new(&app);
    browser.sign_in("aino@example.fi", PASSWORD, "").await;
    let old_cookie = browser.session_cookie().unwrap().clone();
    let token = browser.token_of("/account").await;

    let r = browser.post("/signout", &[("csrf_token", &token)]).await;

    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/signin");
    assert!(browser.session_cookie().is_none(), "the cookie is removed");
    assert!(stored_session_hashes(&app).await.is_empty());
    // A copy of the old cookie is worth nothing.
    browser.cookies.insert("kohtaamo_sid".into(), old_cookie);
    let r = browser.get("/account").await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/signin?next=%2Faccount");
}

#[tokio::test]
async fn a_session_ends_when_idle_for_the_idle_limit() {
    let app = spawn_with_sessions(Duration::from_secs(3), Duration::from_secs(3600)).await;
    person(&app, Role::Coach, "aino@example.fi").await;
    let mut browser = Browser::new(&app);
    browser.sign_in("aino@example.fi", PASSWORD, "").await;

    // Used every second, it lives past its idle limit ...
    for _ in 0..5 {
        tokio::time::sleep(Duration::from_secs(1)).await;
        assert_eq!(browser.get("/account").await.status(), 200);
    }
    // ... and ends once left alone for it.
    tokio::time::sleep(Duration::from_millis(4500)).await;
    let r = browser.get("/account").await;

    assert_eq!(r.status(), 303);
    assert!(location(&r).starts_with("/signin"));
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_limit_however_much_it_is_used() {
    // Wide margins: a loaded 2-core machine can take a second or more per request.
    let app = spawn_with_sessions(Duration::from_secs(3600), Duration::from_secs(8)).await;
    person(&app, Role::Coach, "aino@example.fi").await;
    let mut browser = Browser::new(&app);
    browser.sign_in("aino@example.fi", PASSWORD, "").await;
    assert_eq!(browser.get("/account").await.status(), 200);

    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(browser.get("/account").await.status(), 200);
    tokio::time::sleep(Duration::from_secs(6)).await;
    let r = browser.get("/account").await;

    assert_eq!(r.status(), 303);
    assert!(location(&r).starts_with("/signin"));
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused_with_a_403_page() {
    let app = spawn_app().await;
    person(&app, Role::Coach, "aino@example.fi").await;
    let mut browser = Browser::new(&app);
    browser.sign_in("aino@example.fi", PASSWORD, "").await;
    let token = browser.token_of("/account").await;
    let wrong = "0".repeat(64);

    let missing = browser.post("/signout", &[]).await;
    let wrong_token = browser.post("/signout", &[("csrf_token", &wrong)]).await;
    let everywhere = browser.post("/account/sign-out-everywhere", &[]).await;
    let password = browser
        .post(
            "/account/password",
            &[
                ("csrf_token", wrong.as_str()),
                ("current_password", PASSWORD),
                ("new_password", "uusi hyvä salasana"),
                ("confirm_password", "uusi hyvä salasana"),
            ],
        )
        .await;
    let cross_site = browser
        .post_with(
            "/signout",
            &[("csrf_token", &token)],
            &[("origin", "https://evil.example")],
        )
        .await;

    for (what, r) in [
        ("missing", missing),
        ("wrong", wrong_token),
        ("everywhere", everywhere),
        ("password", password),
        ("another site", cross_site),
    ] {
        assert_eq!(r.status(), 403, "{what}");
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
    }
    assert_eq!(
        browser.get("/account").await.status(),
        200,
        "still signed in"
    );
    let r = browser.post("/signout", &[("csrf_token", &token)]).await;
    assert_eq!(r.status(), 303, "the right token works");
}

#[tokio::test]
async fn the_sign_in_form_refuses_login_csrf() {
    let app = spawn_app().await;
    person(&app, Role::Coach, "aino@example.fi").await;
    let form = [("email", "aino@example.fi"), ("password", PASSWORD)];

    // Another site's form: no sign-in cookie of this site, no token.
    let mut elsewhere = Browser::new(&app);
    let no_token = elsewhere.post("/signin", &form).await;
    // A token from another browser's page does not fit this browser's cookie.
    let mut attacker = Browser::new(&app);
    let their_token = attacker.token_of("/signin").await;
    let mut victim = Browser::new(&app);
    victim.get("/signin").await;
    let borrowed = victim
        .post(
            "/signin",
            &[form[0], form[1], ("csrf_token", their_token.as_str())],
        )
        .await;
    // The right token, but the browser says the post came from another site.
    let own = victim.token_of("/signin").await;
    let cross_site = victim
        .post_with(
            "/signin",
            &[form[0], form[1], ("csrf_token", own.as_str())],
            &[("sec-fetch-site", "cross-site")],
        )
        .await;

    for r in [no_token, borrowed, cross_site] {
        assert_eq!(r.status(), 403);
    }
    assert!(victim.session_cookie().is_none());
    assert!(stored_session_hashes(&app).await.is_empty());
}

#[tokio::test]
async fn disabling_a_user_ends_its_sessions_and_tokens_at_once() {
    let app = spawn_app().await;
    let admin = app.token(Role::Admin, None).await;
    let (id, token) = person(&app, Role::Coach, "aino@example.fi").await;
    let mut browser = Browser::new(&app);
    browser.sign_in("aino@example.fi", PASSWORD, "").await;
    assert_eq!(browser.get("/account").await.status(), 200);
    assert_eq!(app.get("/api/v1/clients", &token).await.status(), 200);

    let r = app
        .patch(
            &format!("/api/v1/users/{id}"),
            &admin,
            &json!({"disabled": true}),
        )
        .await;

    assert_eq!(r.status(), 200);
    assert_eq!(app.get("/api/v1/clients", &token).await.status(), 401);
    assert_eq!(browser.get("/account").await.status(), 303);
    assert!(stored_session_hashes(&app).await.is_empty());
    let again = browser.sign_in("aino@example.fi", PASSWORD, "").await;
    assert_eq!(again.status(), 401, "a disabled user cannot sign in");
}

#[tokio::test]
async fn revoking_a_user_from_the_command_line_ends_its_sessions_and_tokens() {
    let app = spawn_app().await;
    let (id, token) = person(&app, Role::Coach, "aino@example.fi").await;
    let mut browser = Browser::new(&app);
    browser.sign_in("aino@example.fi", PASSWORD, "").await;

    let out = crate::cli::kohtaamo(
        &app.database_url(),
        &app.index_dir(),
        &["users", "revoke", "--user", &id.to_string()],
    );

    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("revoked 1 tokens, ended 1 sessions"));
    assert_eq!(app.get("/api/v1/clients", &token).await.status(), 401);
    assert_eq!(browser.get("/account").await.status(), 303);
}

#[tokio::test]
async fn every_page_carries_the_security_headers() {
    let app = spawn_app().await;
    let (_, token) = person(&app, Role::Coordinator, "koordinaattori@example.fi").await;
    let mut browser = Browser::new(&app);
    let sign_in = browser.get("/signin").await;
    browser
        .sign_in("koordinaattori@example.fi", PASSWORD, "")
        .await;
    let account = browser.get("/account").await;
    let dashboard = browser.get("/dashboard").await;
    let api = app.get("/api/v1/vacancies", &token).await;

    let strict = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; \
                  base-uri 'none'; object-src 'none'";
    for (page, r) in [
        ("signin", &sign_in),
        ("account", &account),
        ("dashboard", &dashboard),
    ] {
        assert_eq!(r.status(), 200, "{page}");
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        if page == "dashboard" {
            // Its inline styles (only) are allowed until it moves onto the web app's CSS.
            assert!(csp.contains("style-src 'self' 'unsafe-inline'"), "{csp}");
            assert!(!csp.contains("script-src"), "{csp}");
            assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        } else {
            assert_eq!(csp, strict, "{page}");
        }
        assert_eq!(h["x-frame-options"], "DENY", "{page}");
        assert_eq!(h["referrer-policy"], "same-origin", "{page}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{page}");
        assert_eq!(h["cache-control"], "no-store", "{page}");
    }
    let page = account.text().await.unwrap();
    assert!(!page.contains("<script"), "no scripts");
    assert!(!page.contains("style="), "no inline styles");
    assert!(
        !api.headers().contains_key("content-security-policy"),
        "JSON is left as it is"
    );
}

#[tokio::test]
async fn failed_sign_ins_are_limited_per_address_and_per_account() {
    let dir = crate::helpers::test_dir();
    let mut s = settings(dir.path());
    s.rate_limits = RateLimits {
        auth_failures: Rate::per_minute(2),
        ..unthrottled()
    };
    let app = spawn_app_with(dir, s).await;
    person(&app, Role::Coach, "aino@example.fi").await;
    person(&app, Role::Coach, "eero@example.fi").await;
    let mut here = Browser::from_address(&app, "127.0.0.1");
    for _ in 0..2 {
        let r = here
            .sign_in("aino@example.fi", "väärä salasana!!", "")
            .await;
        assert_eq!(r.status(), 401);
    }

    let over = here
        .sign_in("aino@example.fi", "väärä salasana!!", "")
        .await;
    // Past the limit even the right password waits, so guessing gains nothing.
    let right_but_waiting = here.sign_in("aino@example.fi", PASSWORD, "").await;
    // The account is limited from other addresses too, and the address for other accounts.
    let mut elsewhere = Browser::from_address(&app, "127.0.0.2");
    let account_elsewhere = elsewhere.sign_in("aino@example.fi", PASSWORD, "").await;
    let other_account_here = here.sign_in("eero@example.fi", PASSWORD, "").await;
    let other_account_elsewhere = elsewhere.sign_in("eero@example.fi", PASSWORD, "").await;

    for r in [
        over,
        right_but_waiting,
        account_elsewhere,
        other_account_here,
    ] {
        assert_eq!(r.status(), 429);
        let secs: u64 = r.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=60).contains(&secs), "Retry-After {secs}");
        assert!(r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        let page = r.text().await.unwrap();
        assert!(
            page.contains("Liian monta epäonnistunutta kirjautumista"),
            "{page}"
        );
        assert!(page.contains(r#"name="email""#), "shown as the form");
    }
    assert_eq!(
        other_account_elsewhere.status(),
        303,
        "nobody else is limited"
    );
    assert!(here.session_cookie().is_none());
}

#[tokio::test]
async fn a_sign_in_link_works_once_and_leads_to_setting_a_password() {
    let app = spawn_app().await;
    let store = Store::open(&app.database_url()).await.unwrap();
    let email = Email::parse("email", "uusi@example.fi").unwrap();
    let (user, _) = store
        .create_account(&NewAccount {
            name: "Uusi Valmentaja",
            role: Role::Coach,
            employer_id: None,
            email: Some(&email),
            password_hash: None,
            with_token: false,
            token_expires_at: None,
        })
        .await
        .unwrap();
    store.close().await;
    let path = link(&app, user.id, chrono::Duration::hours(24)).await;
    let mut browser = Browser::new(&app);

    let first = browser.get(&path).await;
    let mut other = Browser::new(&app);
    let second = other.get(&path).await;

    assert_eq!(first.status(), 303);
    assert_eq!(location(&first), "/account/password");
    assert!(browser.session_cookie().is_some());
    assert_eq!(second.status(), 404, "a link works once");
    assert!(other.session_cookie().is_none());

    // The link stands in for a current password: the person sets one, then signs in with it.
    let token = browser.token_of("/account/password").await;
    let form = |password: &'static str, confirm: &'static str| {
        [
            ("csrf_token", token.clone()),
            ("new_password", password.to_string()),
            ("confirm_password", confirm.to_string()),
        ]
    };
    let short = form("lyhyt", "lyhyt");
    let short: Vec<(&str, &str)> = short.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = browser.post("/account/password", &short).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("12"));
    let good = form(PASSWORD, PASSWORD);
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = browser.post("/account/password", &good).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/account?password=changed");
    let r = Browser::new(&app)
        .sign_in("uusi@example.fi", PASSWORD, "")
        .await;
    assert_eq!(r.status(), 303);
}

#[tokio::test]
async fn an_expired_or_made_up_sign_in_link_signs_nobody_in() {
    let app = spawn_app().await;
    let (id, _) = person(&app, Role::Coach, "aino@example.fi").await;
    let expired = link(&app, id, chrono::Duration::seconds(-1)).await;
    let mut browser = Browser::new(&app);

    let r = browser.get(&expired).await;
    let made_up = browser
        .get(&format!("/signin/link/{}", "ab".repeat(32)))
        .await;
    let image = browser
        .client
        .get(app.url(&link(&app, id, chrono::Duration::hours(1)).await))
        .header("sec-fetch-mode", "no-cors")
        .send()
        .await
        .unwrap();

    assert_eq!(r.status(), 404);
    assert_eq!(made_up.status(), 404);
    assert_eq!(image.status(), 403, "only a navigation uses a link");
    assert!(browser.session_cookie().is_none());
}

#[tokio::test]
async fn a_new_password_needs_the_current_one_and_ends_the_other_sessions() {
    let app = spawn_app().await;
    person(&app, Role::Coach, "aino@example.fi").await;
    let mut laptop = Browser::new(&app);
    let mut phone = Browser::new(&app);
    laptop.sign_in("aino@example.fi", PASSWORD, "").await;
    phone.sign_in("aino@example.fi", PASSWORD, "").await;
    let token = laptop.token_of("/account").await;
    let new = "toinen pitkä salasana";

    let wrong_current = laptop
        .post(
            "/account/password",
            &[
                ("csrf_token", token.as_str()),
                ("current_password", "väärä salasana!!"),
                ("new_password", new),
                ("confirm_password", new),
            ],
        )
        .await;
    let changed = laptop
        .post(
            "/account/password",
            &[
                ("csrf_token", token.as_str()),
                ("current_password", PASSWORD),
                ("new_password", new),
                ("confirm_password", new),
            ],
        )
        .await;

    assert_eq!(wrong_current.status(), 422);
    assert_eq!(changed.status(), 303);
    assert_eq!(laptop.get("/account").await.status(), 200, "this one stays");
    assert_eq!(phone.get("/account").await.status(), 303, "the other ends");
    let old = Browser::new(&app)
        .sign_in("aino@example.fi", PASSWORD, "")
        .await;
    assert_eq!(old.status(), 401);
    let r = Browser::new(&app).sign_in("aino@example.fi", new, "").await;
    assert_eq!(r.status(), 303);
}

#[tokio::test]
async fn next_leads_back_to_the_page_asked_for_and_never_to_another_site() {
    let app = spawn_app().await;
    person(&app, Role::Coach, "aino@example.fi").await;

    let page = Browser::new(&app).get("/account").await;
    let home = Browser::new(&app)
        .sign_in("aino@example.fi", PASSWORD, "/dashboard?from=2026-01-01")
        .await;
    let elsewhere = Browser::new(&app)
        .sign_in("aino@example.fi", PASSWORD, "https://elsewhere.example/")
        .await;
    let scheme_relative = Browser::new(&app)
        .sign_in("aino@example.fi", PASSWORD, "//elsewhere.example/")
        .await;

    assert_eq!(location(&page), "/signin?next=%2Faccount");
    assert_eq!(location(&home), "/dashboard?from=2026-01-01");
    assert_eq!(location(&elsewhere), "/");
    assert_eq!(location(&scheme_relative), "/");
}

#[tokio::test]
async fn an_https_public_url_makes_the_cookie_secure_and_host_prefixed() {
    let dir = crate::helpers::test_dir();
    let mut s = settings(dir.path());
    s.sessions = SessionConfig::new(
        "https://kohtaamo.example.fi",
        Duration::from_secs(1800),
        Duration::from_secs(3600),
    );
    let app = spawn_app_with(dir, s).await;
    person(&app, Role::Coach, "aino@example.fi").await;
    let mut browser = Browser::new(&app);
    let form = browser.get("/signin").await;
    let presession = form.headers()[SET_COOKIE].to_str().unwrap().to_string();

    let r = browser.sign_in("aino@example.fi", PASSWORD, "").await;

    assert!(
        presession.starts_with("__Host-kohtaamo_signin="),
        "{presession}"
    );
    assert!(presession.contains("Secure"));
    let session = r
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("__Host-kohtaamo_sid="))
        .expect("session cookie");
    assert!(session.contains("Secure"), "{session}");
    assert!(session.contains("Path=/"), "{session}");
    assert!(!session.contains("Domain"), "{session}");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_demo_users_get_addresses_and_one_time_sign_in_links() {
    let app = spawn_app().await;
    let store = Store::open(&app.database_url()).await.unwrap();
    let config = SessionConfig::default();

    let report = kohtaamo::demo::seed(&store, &config).await.unwrap();
    store.close().await;

    let printed = report.to_string();
    assert_eq!(report.links.len(), report.tokens.len());
    assert!(printed.contains("one-time sign-in links"), "{printed}");
    let (_, email, link) = report
        .links
        .iter()
        .find(|(role, _, _)| *role == Role::Coach)
        .unwrap();
    assert_eq!(email, "demo-coach-aino@kohtaamo.example");
    assert!(printed.contains(link.as_str()));
    let path = link.strip_prefix("http://127.0.0.1:8080").unwrap();
    let mut browser = Browser::new(&app);
    let r = browser.get(path).await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/account/password");
    let page = browser.get("/account").await.text().await.unwrap();
    assert!(page.contains("demo-coach-aino"), "{page}");
}

/// Posts the sign-in form of `b` (its token `token`) with `password`.
async fn guess(b: &mut Browser<'_>, token: String, password: &str) -> StatusCode {
    let form = [
        ("email", "aino@example.fi"),
        ("password", password),
        ("csrf_token", token.as_str()),
    ];
    b.post("/signin", &form).await.status()
}

#[tokio::test]
async fn sign_ins_sent_all_at_once_do_not_slip_past_the_limit() {
    let dir = crate::helpers::test_dir();
    let mut s = settings(dir.path());
    s.rate_limits = RateLimits {
        auth_failures: Rate::per_minute(2),
        ..unthrottled()
    };
    let app = spawn_app_with(dir, s).await;
    person(&app, Role::Coach, "aino@example.fi").await;
    // Each guess from its own browser, each with its form's token.
    let mut browsers: Vec<Browser> = (0..9).map(|_| Browser::new(&app)).collect();
    let mut tokens = Vec::new();
    for b in &mut browsers {
        tokens.push(b.token_of("/signin").await);
    }
    let (right, wrong) = browsers.split_last_mut().unwrap();
    // Eight wrong guesses at once; the right password is sent just after them, while they
    // wait their turns (each takes an argon2id verification).
    let wrong_guesses = futures_util::future::join_all(
        wrong
            .iter_mut()
            .zip(tokens.clone())
            .map(|(b, t)| guess(b, t, "väärä salasana!!")),
    );
    let right_guess = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        guess(right, tokens[8].clone(), PASSWORD).await
    };
    let (wrong_statuses, right_status) = tokio::join!(wrong_guesses, right_guess);

    let refused = wrong_statuses.iter().filter(|s| s.as_u16() == 429).count();
    assert_eq!(
        wrong_statuses.iter().filter(|s| s.as_u16() == 401).count(),
        2,
        "{wrong_statuses:?}"
    );
    assert_eq!(refused, 6, "{wrong_statuses:?}");
    assert_eq!(
        right_status.as_u16(),
        429,
        "the limit holds for guesses that were already waiting"
    );
}

#[tokio::test]
async fn the_account_page_lists_the_sessions_and_signs_out_everywhere() {
    let app = spawn_app().await;
    person(&app, Role::Coach, "aino@example.fi").await;
    let mut laptop = Browser::new(&app);
    let mut phone = Browser::new(&app);
    laptop.sign_in("aino@example.fi", PASSWORD, "").await;
    phone.sign_in("aino@example.fi", PASSWORD, "").await;

    let page = laptop.get("/account").await.text().await.unwrap();
    let token = csrf_token(&page);
    let r = laptop
        .post("/account/sign-out-everywhere", &[("csrf_token", &token)])
        .await;

    assert_eq!(
        page.matches("<tr").count(),
        3,
        "a heading and two sessions: {page}"
    );
    assert_eq!(page.matches(r#"<tr aria-current="true""#).count(), 1);
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), "/signin");
    assert_eq!(laptop.get("/account").await.status(), 303);
    assert_eq!(phone.get("/account").await.status(), 303);
    assert!(stored_session_hashes(&app).await.is_empty());
}

#[tokio::test]
async fn the_sign_in_and_account_pages_follow_the_language_switch() {
    let app = spawn_app().await;
    person(&app, Role::Coach, "aino@example.fi").await;
    let mut browser = Browser::new(&app);
    let finnish = browser.get("/signin").await.text().await.unwrap();
    assert!(finnish.contains(r#"<html lang="fi">"#));
    assert!(finnish.contains("<h1>Kirjaudu sisään</h1>"));
    assert!(finnish.contains(r#"<form class="lang-switch" method="post" action="/language">"#));
    assert!(
        !finnish.contains(r#"lang="en">/ Sign in"#),
        "one language a page"
    );

    // The same switch as every other page; the sign-in form's token rides along.
    let token = csrf_token(&finnish);
    let r = browser
        .post(
            "/language",
            &[("lang", "sv"), ("next", "/signin"), ("csrf_token", &token)],
        )
        .await;
    assert_eq!(location(&r), "/signin");
    let swedish = browser.get("/signin").await.text().await.unwrap();
    assert!(swedish.contains(r#"<html lang="sv">"#));
    assert!(swedish.contains(r#"<span class="lang-switch__current" lang="sv""#));
    assert!(swedish.contains("<h1>Logga in</h1>"));
    assert!(swedish.contains(r#"<label class="label" for="password">Lösenord</label>"#));
    let wrong = browser
        .sign_in("aino@example.fi", "fel lösenord!!!!", "")
        .await;
    assert!(wrong
        .text()
        .await
        .unwrap()
        .contains("E-postadressen eller lösenordet är fel."));
    let r = browser
        .sign_in("aino@example.fi", PASSWORD, "/account")
        .await;
    assert_eq!(location(&r), "/account");
    let account = browser.get("/account").await.text().await.unwrap();
    assert!(account.contains("<h1>Mina uppgifter</h1>"), "{account}");
    assert!(account.contains("Logga ut överallt"));
    assert!(
        account.contains(" kl. "),
        "times on Finnish clocks in Swedish"
    );
    let used = browser.get("/signin/link/00").await;
    assert_eq!(used.status(), 404);
    assert!(used
        .text()
        .await
        .unwrap()
        .contains("Inloggningslänken har redan använts"));
}

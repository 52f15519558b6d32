//! The employer's pages, driven as a browser without JavaScript would: plain form posts, 303
//! redirects followed by hand. What they wrote is read back through the JSON API.

use reqwest::header::{ACCEPT_LANGUAGE, LOCATION};
use reqwest::{redirect, StatusCode};
use serde_json::{json, Value};

use crate::browser::sign_in_details;
use crate::helpers::{hit_keys, spawn_app, TestApp};
use crate::sessions::{csrf_token, Browser, PASSWORD};
use kohtaamo::domain::Role;

/// A browser-like client that does not follow redirects, so each 303 can be checked.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap()
}

/// An employer in the register, an employer user acting for it, and a coach.
pub struct World {
    pub app: TestApp,
    pub web: reqwest::Client,
    pub coach: String,
    pub employer_id: i64,
    pub employer: String,
}

pub async fn world() -> World {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer_id = app.employer(&coach, "Lahden Logistiikka Oy").await;
    let employer = app.token(Role::Employer, Some(employer_id)).await;
    World {
        app,
        web: browser(),
        coach,
        employer_id,
        employer,
    }
}

impl World {
    async fn page(&self, path: &str, token: &str) -> (StatusCode, String) {
        let r = self
            .web
            .get(self.app.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }

    async fn submit(&self, path: &str, token: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.web
            .post(self.app.url(path))
            .bearer_auth(token)
            .form(form)
            .send()
            .await
            .unwrap()
    }

    async fn api(&self, path: &str, token: &str) -> Value {
        let r = self.app.get(path, token).await;
        assert_eq!(r.status(), 200, "{path}");
        r.json().await.unwrap()
    }
}

fn location(r: &reqwest::Response) -> String {
    r.headers()[LOCATION].to_str().unwrap().to_string()
}

/// The id at the end of `/employer/{kind}/{id}?notice=…`.
fn id_in(location: &str, kind: &str) -> i64 {
    let prefix = format!("/employer/{kind}/");
    let rest = location
        .strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{location} is a {kind} page"));
    rest.split('?').next().unwrap().parse().unwrap()
}

const VACANCY: [(&str, &str); 12] = [
    ("title", "Varastotyöntekijä"),
    (
        "description",
        "Keräilyä ja pakkaamista aamuvuorossa.\nPerehdytämme työhön.",
    ),
    ("municipality", "15110 Lahti"),
    ("occupation_code", "9321"),
    ("hours_per_week.min", "20"),
    ("hours_per_week.max", "30,5"),
    ("employment_type", "PART_TIME"),
    ("language", "fi"),
    ("valid_through", "31.12.2099"),
    ("wage_subsidy_ok", "true"),
    ("work_trial_ok", "false"),
    (
        "adjustments_offered",
        "kirjalliset ohjeet\r\n\r\nrauhallinen tila\r\n",
    ),
];

const TASK: [(&str, &str); 8] = [
    ("title", "Pakkaustyö"),
    ("description", "Ruuvipussien pakkaamista laatikoihin."),
    ("municipality", "Lahti"),
    ("site", "provider"),
    ("starts_on", "1.3.2099"),
    ("ends_on", "2099-05-31"),
    ("estimated_hours", "120,5"),
    ("group_size", "4"),
];

/// Every `<form>` of a page carries the hidden CSRF field.
fn assert_every_form_has_csrf(body: &str, page: &str) {
    let forms: Vec<&str> = body.split("<form").skip(1).collect();
    assert!(!forms.is_empty(), "{page} has forms");
    for form in forms {
        let form = &form[..form.find("</form>").expect("closed form")];
        assert!(
            form.contains(r#"name="csrf_token""#),
            "a form of {page} lacks csrf_token: {form}"
        );
    }
}

#[tokio::test]
async fn an_employer_lands_on_its_own_postings_and_not_on_anothers() {
    let w = world().await;
    let other = w.app.employer(&w.coach, "Toinen Oy").await;
    w.app
        .vacancy(
            &w.coach,
            w.employer_id,
            "Trukinkuljettaja",
            "Trukkia",
            "Lahti",
        )
        .await;
    w.app
        .vacancy(&w.coach, other, "Kokki", "Keittiötyötä", "Lahti")
        .await;

    // Signing in on the sign-in page leads to the start page, which is the employer's own.
    let email = sign_in_details(&w.app, &w.employer, "rekry@lahdenlogistiikka.fi").await;
    let mut browser = Browser::new(&w.app);
    let r = browser.sign_in(&email, PASSWORD, "").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "an employer signs in");
    assert_eq!(location(&r), "/");
    let r = browser.get("/").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/employer");
    let r = browser.get("/employer").await;

    assert_eq!(r.status(), 200);
    let body = r.text().await.unwrap();
    assert!(body.contains("Lahden Logistiikka Oy"), "{body}");
    assert!(body.contains("Trukinkuljettaja"));
    assert!(
        !body.contains("Kokki"),
        "another employer's posting is listed"
    );
    assert!(body.contains(r#"href="/employer/vacancies/new""#));
    assert!(body.contains(r#"href="/employer/tasks/new""#));
    assert!(body.contains("Avoin"));
}

#[tokio::test]
async fn an_employer_posts_edits_and_closes_a_vacancy_with_every_field() {
    let w = world().await;

    let (status, form) = w.page("/employer/vacancies/new", &w.employer).await;
    assert_eq!(status, 200);
    for (name, _) in VACANCY {
        assert!(
            form.contains(&format!(r#"name="{name}""#)),
            "the form has {name}"
        );
    }
    let r = w.submit("/employer/vacancies", &w.employer, &VACANCY).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id = id_in(&location(&r), "vacancies");

    let v = w.api(&format!("/api/v1/vacancies/{id}"), &w.coach).await;
    assert_eq!(v["employer_id"], w.employer_id);
    assert_eq!(v["title"], "Varastotyöntekijä");
    assert_eq!(
        v["description"],
        "Keräilyä ja pakkaamista aamuvuorossa.\nPerehdytämme työhön."
    );
    assert_eq!(v["municipality"], "Lahti");
    assert_eq!(v["occupation_code"], "9321");
    assert_eq!(v["hours_per_week"], json!({"min": 20.0, "max": 30.5}));
    assert_eq!(v["employment_type"], "PART_TIME");
    assert_eq!(v["language"], "fi");
    assert!(v["valid_through"]
        .as_str()
        .unwrap()
        .starts_with("2099-12-31"));
    assert_eq!(v["wage_subsidy_ok"], true);
    assert_eq!(v["work_trial_ok"], false);
    assert_eq!(
        v["adjustments_offered"],
        json!(["kirjalliset ohjeet", "rauhallinen tila"])
    );
    // The page answered once the index had it: a coach's search finds it at once.
    let found = w.app.search(&w.coach, "varastotyöntekijä").await;
    assert!(
        hit_keys(&found).contains(&("vacancy".into(), id)),
        "{found}"
    );

    let (status, shown) = w.page(&location(&r), &w.employer).await;
    assert_eq!(status, 200);
    assert!(shown.contains("Ilmoitus on julkaistu"), "{shown}");
    assert!(shown.contains("31.12.2099"));

    let (status, edit) = w
        .page(&format!("/employer/vacancies/{id}/edit"), &w.employer)
        .await;
    assert_eq!(status, 200);
    assert!(
        edit.contains(r#"value="30,5""#),
        "hours shown with a decimal comma"
    );
    assert!(edit.contains(r#"value="31.12.2099""#));
    assert!(edit.contains("kirjalliset ohjeet\nrauhallinen tila</textarea>"));
    let mut changed = VACANCY.to_vec();
    changed[0] = ("title", "Varastotyöntekijä, aamuvuoro");
    changed[5] = ("hours_per_week.max", "");
    changed[9] = ("wage_subsidy_ok", "");
    let r = w
        .submit(
            &format!("/employer/vacancies/{id}/edit"),
            &w.employer,
            &changed,
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&r),
        format!("/employer/vacancies/{id}?notice=updated")
    );
    let v = w.api(&format!("/api/v1/vacancies/{id}"), &w.coach).await;
    assert_eq!(v["title"], "Varastotyöntekijä, aamuvuoro");
    assert_eq!(v["hours_per_week"], json!({"min": 20.0}));
    assert_eq!(v["wage_subsidy_ok"], Value::Null);
    assert_eq!(v["status"], "open");

    let (status, confirm) = w
        .page(&format!("/employer/vacancies/{id}/close"), &w.employer)
        .await;
    assert_eq!(status, 200);
    assert!(confirm.contains("Suljetaanko ilmoitus?"));
    assert_eq!(
        w.api(&format!("/api/v1/vacancies/{id}"), &w.coach).await["status"],
        "open",
        "asking closes nothing"
    );
    let r = w
        .submit(&format!("/employer/vacancies/{id}/close"), &w.employer, &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), "/employer?notice=closed");

    assert_eq!(
        w.api(&format!("/api/v1/vacancies/{id}"), &w.coach).await["status"],
        "closed"
    );
    let found = w.app.search(&w.coach, "varastotyöntekijä").await;
    assert!(
        !hit_keys(&found).contains(&("vacancy".into(), id)),
        "{found}"
    );
    let (_, list) = w.page("/employer?notice=closed", &w.employer).await;
    assert!(list.contains("Ilmoitus on suljettu"));
    assert!(list.contains("Suljettu"));
}

#[tokio::test]
async fn an_employer_posts_edits_and_closes_a_subcontracting_task_with_every_field() {
    let w = world().await;

    let (status, form) = w.page("/employer/tasks/new", &w.employer).await;
    assert_eq!(status, 200);
    for (name, _) in TASK {
        assert!(
            form.contains(&format!(r#"name="{name}""#)),
            "the form has {name}"
        );
    }
    let r = w.submit("/employer/tasks", &w.employer, &TASK).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id = id_in(&location(&r), "tasks");

    let t = w.api(&format!("/api/v1/tasks/{id}"), &w.coach).await;
    assert_eq!(t["employer_id"], w.employer_id);
    assert_eq!(t["title"], "Pakkaustyö");
    assert_eq!(t["description"], "Ruuvipussien pakkaamista laatikoihin.");
    assert_eq!(t["municipality"], "Lahti");
    assert_eq!(t["site"], "provider");
    assert_eq!(t["starts_on"], "2099-03-01");
    assert_eq!(t["ends_on"], "2099-05-31");
    assert_eq!(t["estimated_hours"], 120.5);
    assert_eq!(t["group_size"], 4);
    let found = w.app.search(&w.coach, "pakkaustyö").await;
    assert!(hit_keys(&found).contains(&("task".into(), id)), "{found}");

    let (_, list) = w.page("/employer", &w.employer).await;
    assert!(list.contains("1.3.2099 – 31.5.2099"), "{list}");
    assert!(list.contains("4 henkilöä"));

    let (_, edit) = w
        .page(&format!("/employer/tasks/{id}/edit"), &w.employer)
        .await;
    assert!(edit.contains(r#"value="1.3.2099""#));
    assert!(edit.contains(r#"value="120,5""#));
    let mut changed = TASK.to_vec();
    changed[3] = ("site", "buyer");
    changed[7] = ("group_size", "6");
    let r = w
        .submit(&format!("/employer/tasks/{id}/edit"), &w.employer, &changed)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let t = w.api(&format!("/api/v1/tasks/{id}"), &w.coach).await;
    assert_eq!(
        (t["site"].clone(), t["group_size"].clone()),
        (json!("buyer"), json!(6))
    );

    let r = w
        .submit(&format!("/employer/tasks/{id}/close"), &w.employer, &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        w.api(&format!("/api/v1/tasks/{id}"), &w.coach).await["status"],
        "closed"
    );
    let found = w.app.search(&w.coach, "pakkaustyö").await;
    assert!(!hit_keys(&found).contains(&("task".into(), id)), "{found}");
    let (_, shown) = w.page(&format!("/employer/tasks/{id}"), &w.employer).await;
    assert!(
        shown.contains("Ilmoitus on suljettu."),
        "a closed posting says so"
    );
    assert!(!shown.contains("/edit\""), "and offers no edit");
}

#[tokio::test]
async fn errors_come_back_in_finnish_at_their_fields_with_the_form_filled() {
    let w = world().await;
    let typed = [
        ("title", "  "),
        ("description", "Keräilyä <b>aamulla</b>"),
        ("municipality", "Lahti"),
        ("hours_per_week.min", "kolmekymmentä"),
        ("hours_per_week.max", "10"),
        ("occupation_code", "abc"),
        ("valid_through", "31.2.2027"),
        ("adjustments_offered", "rauhallinen tila"),
    ];

    let r = w.submit("/employer/vacancies", &w.employer, &typed).await;

    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("<title>Virhe: "),
        "the title says there are errors"
    );
    for (field, message) in [
        ("title", "Kirjoita otsikko."),
        ("occupation_code", "Ammattiluokitus on ISCO-08-koodi"),
        ("hours_per_week.min", "Kirjoita vähimmäistunnit numerona"),
        (
            "valid_through",
            "Kirjoita hakuajan viimeinen päivä muodossa 31.12.2026.",
        ),
    ] {
        assert!(
            body.contains(&format!(r##"<a href="#{field}">{message}"##)),
            "the summary links {field} with {message:?}"
        );
        assert!(
            body.contains(&format!(r#"id="{field}-error""#)),
            "{field}'s own error"
        );
    }
    assert!(
        body.contains("Keräilyä &#60;b&#62;aamulla&#60;/b&#62;</textarea>"),
        "typed text kept, escaped"
    );
    assert!(body.contains(r#"value="kolmekymmentä""#));
    assert!(body.contains(r#"value="31.2.2027""#));
    assert!(body.contains("rauhallinen tila</textarea>"));
    let listed = w.api("/api/v1/vacancies?status=open", &w.coach).await;
    assert_eq!(listed["total"], 0, "nothing was posted");

    let task = [
        ("title", "Pakkaustyö"),
        ("description", "Pakkaamista"),
        ("municipality", ""),
        ("starts_on", "1.6.2099"),
        ("ends_on", "1.5.2099"),
        ("group_size", "0"),
    ];
    let r = w
        .web
        .post(w.app.url("/employer/tasks"))
        .bearer_auth(&w.employer)
        .header(ACCEPT_LANGUAGE, "en-GB,en;q=0.9")
        .form(&task)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    for message in [
        "Enter the municipality where the work is done.",
        "The last day cannot be before the first day.",
        "The group size must be 1–500 people.",
    ] {
        assert!(body.contains(message), "{message:?} in {body}");
    }
    assert!(body.contains(r#"value="1.6.2099""#));
}

#[tokio::test]
async fn another_employers_posting_is_not_found_and_stays_open() {
    let w = world().await;
    let other = w.app.employer(&w.coach, "Toinen Oy").await;
    let theirs = w
        .app
        .vacancy(&w.coach, other, "Kokki", "Keittiötyötä", "Lahti")
        .await["id"]
        .as_i64()
        .unwrap();

    for path in [
        format!("/employer/vacancies/{theirs}"),
        format!("/employer/vacancies/{theirs}/edit"),
        format!("/employer/vacancies/{theirs}/close"),
        "/employer/vacancies/999999".to_string(),
        "/employer/vacancies/abc".to_string(),
        "/employer/tasks/1".to_string(),
    ] {
        let (status, body) = w.page(&path, &w.employer).await;
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("Kokki"), "{path}");
    }
    let r = w
        .submit(
            &format!("/employer/vacancies/{theirs}/close"),
            &w.employer,
            &[],
        )
        .await;
    assert_eq!(r.status(), 404);
    let r = w
        .submit(
            &format!("/employer/vacancies/{theirs}/edit"),
            &w.employer,
            &VACANCY,
        )
        .await;
    assert_eq!(r.status(), 404);

    let v = w
        .api(&format!("/api/v1/vacancies/{theirs}"), &w.coach)
        .await;
    assert_eq!(
        (v["status"].clone(), v["title"].clone()),
        (json!("open"), json!("Kokki"))
    );
}

#[tokio::test]
async fn only_employer_users_reach_the_employer_pages() {
    let w = world().await;

    let r = w.web.get(w.app.url("/employer")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "nobody signed in");
    assert!(
        location(&r).contains("next=%2Femployer"),
        "{}",
        location(&r)
    );
    let (status, body) = w.page("/employer", &w.coach).await;
    assert_eq!(status, 403);
    assert!(body.contains("työnantajien käyttäjille"));
    let r = w.submit("/employer/vacancies", &w.coach, &VACANCY).await;
    assert_eq!(r.status(), 403);
    let listed = w.api("/api/v1/vacancies", &w.coach).await;
    assert_eq!(listed["total"], 0, "nothing was posted");
}

/// A client of the coach, placed in a work trial at the employer's vacancy, and the feedback
/// form the coach asks for. Returns (client id, vacancy id, form id).
pub async fn work_trial(w: &World, client_name: &str) -> (i64, i64, i64) {
    let vacancy = w
        .app
        .vacancy(
            &w.coach,
            w.employer_id,
            "Varastotyöntekijä",
            "Keräilyä",
            "Lahti",
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let r = w
        .app
        .post(
            "/api/v1/clients",
            &w.coach,
            &json!({"display_name": client_name, "home_municipality": "Lahti",
                    "intake_date": "2026-09-10", "preferences": {"desired_work": "varastotyö"}}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let client = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    for event in [
        json!({"type": "engaged", "at": "2026-09-10"}),
        json!({"type": "match_interested", "at": "2026-09-12", "vacancy_id": vacancy}),
        json!({"type": "employer_contact", "at": "2026-09-15", "vacancy_id": vacancy,
               "face_to_face": true, "note": "Tapasimme työnjohtajan"}),
    ] {
        let r = w
            .app
            .post(
                &format!("/api/v1/clients/{client}/events"),
                &w.coach,
                &event,
            )
            .await;
        assert_eq!(r.status(), 201, "{event}");
    }
    let r = w
        .app
        .post(
            &format!("/api/v1/clients/{client}/events"),
            &w.coach,
            &json!({"type": "employed", "at": "2026-10-05", "placement_type": "work_trial",
                    "vacancy_id": vacancy, "hours_per_week": 20}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let placed = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = w
        .app
        .post(
            &format!("/api/v1/clients/{client}/feedback-requests"),
            &w.coach,
            &json!({"placement_event_id": placed}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let form = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    (client, vacancy, form)
}

#[tokio::test]
async fn a_feedback_form_says_which_trial_is_filled_once_and_is_then_read_only() {
    let w = world().await;
    let (client, _, form) = work_trial(&w, "Asiakas Aamu").await;
    let path = format!("/employer/feedback/{form}");

    // The API's form says the same, and names no client.
    let api_form = w
        .api(&format!("/api/v1/feedback-forms/{form}"), &w.employer)
        .await;
    assert_eq!(api_form["placement_type"], "work_trial");
    assert_eq!(api_form["placement_started_on"], "2026-10-05");
    assert_eq!(api_form["posting_title"], "Varastotyöntekijä");
    assert!(api_form.get("client_id").is_none() && api_form.get("placement_event_id").is_none());

    let (status, list) = w.page("/employer/feedback", &w.employer).await;
    assert_eq!(status, 200);
    assert!(list.contains("Työkokeilu, alkoi 5.10.2026"), "{list}");
    assert!(list.contains("Ilmoitus: Varastotyöntekijä"));
    assert!(list.contains(&format!(r#"href="{path}""#)));
    let (_, home) = w.page("/employer", &w.employer).await;
    assert!(
        home.contains("Yksi palautelomake odottaa vastaustanne."),
        "{home}"
    );

    let (status, page) = w.page(&path, &w.employer).await;
    assert_eq!(status, 200);
    for name in ["tasks_managed", "support_needed", "would_hire", "comment"] {
        assert!(page.contains(&format!(r#"name="{name}""#)), "{name}");
    }
    let r = w
        .submit(
            &path,
            &w.employer,
            &[("would_hire", "true"), ("comment", "Täsmällinen")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("Valitse, miten työtehtävät sujuivat"));
    assert!(body.contains("Valitse, kuinka paljon ohjausta"));
    assert!(
        body.contains(r#"value="true" checked"#),
        "the choice made is kept"
    );
    assert!(body.contains("Täsmällinen</textarea>"));

    let answers = [
        ("tasks_managed", "4"),
        ("support_needed", "some"),
        ("would_hire", "true"),
        ("comment", "Täsmällinen ja oma-aloitteinen."),
    ];
    let r = w.submit(&path, &w.employer, &answers).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&r), format!("{path}?notice=sent"));

    let (status, done) = w.page(&format!("{path}?notice=sent"), &w.employer).await;
    assert_eq!(status, 200);
    assert!(done.contains("Kiitos! Palaute on tallennettu"));
    assert!(done.contains("4 – hyvin"));
    assert!(done.contains("Jonkin verran"));
    assert!(done.contains("Täsmällinen ja oma-aloitteinen."));
    assert!(
        !done.contains(r#"name="tasks_managed""#),
        "answered: no questions left"
    );

    let again = [
        ("tasks_managed", "1"),
        ("support_needed", "a_lot"),
        ("would_hire", "false"),
    ];
    let r = w.submit(&path, &w.employer, &again).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let body = r.text().await.unwrap();
    assert!(body.contains("Tähän lomakkeeseen on jo vastattu."));
    assert!(body.contains("4 – hyvin"));

    // The client's coach reads the first answers in the client's history.
    let history = w
        .api(&format!("/api/v1/clients/{client}/events"), &w.coach)
        .await;
    let sent = &history["feedback"][0];
    assert_eq!(sent["status"], "submitted");
    assert_eq!(
        sent["answers"],
        json!({"tasks_managed": 4, "support_needed": "some", "would_hire": true,
               "comment": "Täsmällinen ja oma-aloitteinen."})
    );
    let (_, list) = w.page("/employer/feedback", &w.employer).await;
    assert!(list.contains("Ei vastaamattomia lomakkeita."));

    let someone_else = w.app.employer(&w.coach, "Toinen Oy").await;
    let stranger = w.app.token(Role::Employer, Some(someone_else)).await;
    let (status, _) = w.page(&path, &stranger).await;
    assert_eq!(status, 404, "another employer's form is not found");
}

#[tokio::test]
async fn no_employer_page_names_a_client_even_where_coaches_recorded_events_on_its_postings() {
    let w = world().await;
    let (_, vacancy, form) = work_trial(&w, "Salainen Sanna").await;
    let task = w.submit("/employer/tasks", &w.employer, &TASK).await;
    let task = id_in(&location(&task), "tasks");
    let (client2, _, _) = work_trial(&w, "Piilo Pekka").await;
    let r = w
        .app
        .post(
            &format!("/api/v1/clients/{client2}/events"),
            &w.coach,
            &json!({"type": "match_interested", "at": "2026-10-10", "task_id": task}),
        )
        .await;
    assert_eq!(r.status(), 201);

    let mut pages = vec![
        "/employer".to_string(),
        format!("/employer/vacancies/{vacancy}"),
        format!("/employer/vacancies/{vacancy}/edit"),
        format!("/employer/vacancies/{vacancy}/close"),
        format!("/employer/tasks/{task}"),
        format!("/employer/tasks/{task}/edit"),
        "/employer/feedback".to_string(),
        format!("/employer/feedback/{form}"),
    ];
    let answers = [
        ("tasks_managed", "3"),
        ("support_needed", "none"),
        ("would_hire", "false"),
    ];
    let r = w
        .submit(&format!("/employer/feedback/{form}"), &w.employer, &answers)
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    pages.push(format!("/employer/feedback/{form}?notice=sent"));

    for path in &pages {
        let (status, body) = w.page(path, &w.employer).await;
        assert_eq!(status, 200, "{path}");
        for secret in ["Salainen", "Sanna", "Piilo", "Pekka", "Tapasimme"] {
            assert!(!body.contains(secret), "{path} names {secret}");
        }
    }
}

#[tokio::test]
async fn every_form_of_the_employer_pages_carries_the_csrf_field() {
    let w = world().await;
    let (_, vacancy, form) = work_trial(&w, "Asiakas Aamu").await;
    let task = id_in(
        &location(&w.submit("/employer/tasks", &w.employer, &TASK).await),
        "tasks",
    );

    for path in [
        "/employer".to_string(),
        "/employer/vacancies/new".to_string(),
        format!("/employer/vacancies/{vacancy}/edit"),
        format!("/employer/vacancies/{vacancy}/close"),
        "/employer/tasks/new".to_string(),
        format!("/employer/tasks/{task}/edit"),
        format!("/employer/tasks/{task}/close"),
        "/employer/feedback".to_string(),
        format!("/employer/feedback/{form}"),
    ] {
        let (status, body) = w.page(&path, &w.employer).await;
        assert_eq!(status, 200, "{path}");
        assert_every_form_has_csrf(&body, &path);
    }
    let r = w
        .submit("/employer/vacancies", &w.employer, &[("title", "")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_every_form_has_csrf(&r.text().await.unwrap(), "a vacancy form with errors");
}

#[tokio::test]
async fn every_employer_page_has_all_its_words_in_swedish_and_english() {
    let w = world().await;
    let (_, vacancy, form) = work_trial(&w, "Asiakas Aamu").await;
    let task = id_in(
        &location(&w.submit("/employer/tasks", &w.employer, &TASK).await),
        "tasks",
    );
    let pages = [
        "/employer".to_string(),
        "/employer/vacancies/new".to_string(),
        format!("/employer/vacancies/{vacancy}"),
        format!("/employer/vacancies/{vacancy}/close"),
        "/employer/tasks/new".to_string(),
        format!("/employer/tasks/{task}"),
        "/employer/feedback".to_string(),
        format!("/employer/feedback/{form}"),
    ];

    for (lang, heading) in [("sv", "Egna annonser"), ("en", "Your postings")] {
        for path in &pages {
            let r = w
                .web
                .get(w.app.url(path))
                .bearer_auth(&w.employer)
                .header(ACCEPT_LANGUAGE, lang)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "{lang} {path}");
            let body = r.text().await.unwrap();
            assert!(
                body.contains(&format!(r#"<html lang="{lang}">"#)),
                "{lang} {path}"
            );
            // A message missing from a catalogue shows as its id.
            let text = body.replace(r#"class="emp-form""#, "");
            assert!(
                !text.contains("emp-"),
                "{lang} {path} lacks a message: {body}"
            );
        }
        let r = w
            .web
            .get(w.app.url("/employer"))
            .bearer_auth(&w.employer)
            .header(ACCEPT_LANGUAGE, lang)
            .send()
            .await
            .unwrap();
        assert!(r.text().await.unwrap().contains(heading), "{lang}");
    }
}

#[tokio::test]
async fn a_browsers_post_changes_nothing_without_its_sessions_csrf_token() {
    let w = world().await;
    let email = sign_in_details(&w.app, &w.employer, "rekry@lahdenlogistiikka.fi").await;
    let mut browser = Browser::new(&w.app);
    let r = browser.sign_in(&email, PASSWORD, "").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, vacancy, form) = work_trial(&w, "Asiakas Aamu").await;
    let vacancy_path = format!("/employer/vacancies/{vacancy}/close");
    let form_path = format!("/employer/feedback/{form}");
    let answers = [
        ("tasks_managed", "4"),
        ("support_needed", "some"),
        ("would_hire", "true"),
    ];

    let forged = [
        browser.post("/employer/tasks", &TASK).await.status(),
        browser
            .post(&vacancy_path, &[("csrf_token", "forged")])
            .await
            .status(),
        browser.post(&form_path, &answers).await.status(),
    ];

    assert_eq!(forged, [StatusCode::FORBIDDEN; 3]);
    assert_eq!(
        w.api("/api/v1/tasks", &w.coach).await["total"],
        0,
        "no task was posted"
    );
    let v = w
        .api(&format!("/api/v1/vacancies/{vacancy}"), &w.coach)
        .await;
    assert_eq!(v["status"], "open", "the vacancy was not closed");
    let f = w
        .api(&format!("/api/v1/feedback-forms/{form}"), &w.employer)
        .await;
    assert_eq!(f["status"], "pending", "the form was not answered");

    // With the token the page gave, the same posts go through.
    let token = csrf_token(
        &browser
            .get("/employer/tasks/new")
            .await
            .text()
            .await
            .unwrap(),
    );
    let mut task = TASK.to_vec();
    task.push(("csrf_token", &token));
    assert_eq!(
        browser.post("/employer/tasks", &task).await.status(),
        StatusCode::SEE_OTHER
    );
    let r = browser.post(&vacancy_path, &[("csrf_token", &token)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mut answered = answers.to_vec();
    answered.push(("csrf_token", &token));
    assert_eq!(
        browser.post(&form_path, &answered).await.status(),
        StatusCode::SEE_OTHER
    );
    let v = w
        .api(&format!("/api/v1/vacancies/{vacancy}"), &w.coach)
        .await;
    assert_eq!(v["status"], "closed");
}

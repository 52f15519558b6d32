//! The coach's workspace in the web app, through HTTP as a browser sends it (forms with the
//! contract's field names, 303s after each action). A bearer token stands in for the session
//! here; the browser suite signs in for real.

use chrono::{Duration, Utc};
use kohtaamo::domain::Role;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp};

fn days_ago(n: i64) -> String {
    (Utc::now().date_naive() - Duration::days(n)).to_string()
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn encode(fields: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish()
}

async fn post_form(
    app: &TestApp,
    token: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    no_redirects()
        .post(app.url(path))
        .bearer_auth(token)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(encode(fields))
        .send()
        .await
        .unwrap()
}

async fn page(app: &TestApp, token: &str, path: &str) -> (u16, String) {
    let r = no_redirects()
        .get(app.url(path))
        .bearer_auth(token)
        .header("accept-language", "fi")
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn a_coach_registers_a_client_in_the_form_and_lands_on_the_client_page() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;

    let r = post_form(
        &app,
        &coach,
        "/clients/new",
        &[
            ("display_name", "Asiakas Lomake"),
            ("home_municipality", "Lahti"),
            ("intake_date", "1.11.2026"),
            ("desired_work", "varastotyö, mieluiten aamuvuoroja"),
            ("max_commute_km", "12,5"),
            ("hours_per_week.min", "20"),
            ("adjustments", "kirjalliset ohjeet"),
        ],
    )
    .await;

    assert_eq!(r.status(), 303);
    let to = location(&r);
    let id: i64 = to.trim_start_matches("/clients/").parse().unwrap();
    let client: Value = app
        .get(&format!("/api/v1/clients/{id}"), &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(client["display_name"], "Asiakas Lomake");
    assert_eq!(client["intake_date"], "2026-11-01");
    assert_eq!(client["preferences"]["max_commute_km"], 12.5);
    assert_eq!(client["preferences"]["hours_per_week"]["min"], 20.0);
    assert_eq!(
        client["preferences"]["adjustments"][0],
        "kirjalliset ohjeet"
    );
    let (status, html) = page(&app, &coach, &to).await;
    assert_eq!(status, 200);
    assert!(html.contains("varastotyö, mieluiten aamuvuoroja"));
    assert!(html.contains("kirjalliset ohjeet"));
}

#[tokio::test]
async fn a_form_with_errors_comes_back_filled_with_every_error_in_finnish() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;

    let r = post_form(
        &app,
        &coach,
        "/clients/new",
        &[
            ("display_name", ""),
            ("home_municipality", "Lahti"),
            ("intake_date", "2999-01-01"),
            ("desired_work", "siivous <b>ja</b> keittiö"),
            ("max_commute_km", "kymmenen"),
        ],
    )
    .await;

    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Kirjoita nimi tai nimimerkki"), "{html}");
    assert!(html.contains("Anna aloituspäivä muodossa"));
    assert!(html.contains("Anna työmatka kilometreinä"));
    // What was typed is there, escaped.
    assert!(html.contains("siivous &#60;b&#62;ja&#60;/b&#62; keittiö"));
    assert!(!html.contains("<b>ja</b>"));
    assert!(html.contains("value=\"kymmenen\""));
    assert!(html.contains("href=\"#display_name\""));
    let list: Value = app
        .get("/api/v1/clients", &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 0, "nothing was saved");
}

#[tokio::test]
async fn editing_a_wish_changes_the_matches_and_an_answer_lands_in_the_timeline() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Lahden Palvelut Oy").await;
    let store_job = app
        .vacancy(
            &coach,
            employer,
            "Varastotyöntekijä",
            "Keräilyä ja pakkaamista varastossa.",
            "Lahti",
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let cleaning_job = app
        .vacancy(
            &coach,
            employer,
            "Siivooja",
            "Toimistojen siivousta iltaisin.",
            "Lahti",
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let r = app
        .post(
            "/api/v1/clients",
            &coach,
            &json!({"display_name": "Asiakas B", "home_municipality": "Lahti",
                    "intake_date": days_ago(3),
                    "preferences": {"desired_work": "varastotyö"}}),
        )
        .await;
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/clients/{id}/events"),
        &coach,
        &json!({"type": "engaged"}),
    )
    .await;
    let first_match = |html: &str| {
        let at = html.find("class=\"match\" id=\"match-").unwrap();
        html[at..].split('"').nth(3).unwrap().to_string()
    };
    let (_, before) = page(&app, &coach, &format!("/clients/{id}")).await;
    assert_eq!(first_match(&before), format!("match-vacancy-{store_job}"));

    let (_, form) = page(&app, &coach, &format!("/clients/{id}/edit")).await;
    assert!(form.contains("name=\"desired_work\""));
    assert!(form.contains(">varastotyö</textarea>"));
    let r = post_form(
        &app,
        &coach,
        &format!("/clients/{id}/edit"),
        &[
            ("display_name", "Asiakas B"),
            ("home_municipality", "Lahti"),
            // Left empty: the date on record stays.
            ("intake_date", ""),
            ("desired_work", "siivous"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    let kept: Value = app
        .get(&format!("/api/v1/clients/{id}"), &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(kept["intake_date"], days_ago(3), "the intake date is kept");
    let (_, after) = page(&app, &coach, &location(&r)).await;
    assert_eq!(first_match(&after), format!("match-vacancy-{cleaning_job}"));
    assert!(after.contains("Tiedot tallennettu"));

    let r = post_form(
        &app,
        &coach,
        &format!("/clients/{id}/answers"),
        &[
            ("kind", "vacancy"),
            ("item_id", &cleaning_job.to_string()),
            ("answer", "interested"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert!(location(&r).ends_with("#timeline"));
    let (_, html) = page(&app, &coach, &format!("/clients/{id}?done=interested")).await;
    let timeline = &html[html.find("id=\"timeline\"").unwrap()..];
    assert!(timeline.contains("Kiinnostui ehdotuksesta"), "{timeline}");
    assert!(timeline.contains("Siivooja (Lahden Palvelut Oy)"));
    let events: Value = app
        .get(&format!("/api/v1/clients/{id}/events"), &coach)
        .await
        .json()
        .await
        .unwrap();
    let last = events["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["type"], "match_interested");
    assert_eq!(last["vacancy_id"], cleaning_job);
}

#[tokio::test]
async fn the_caseload_page_puts_clients_who_need_action_on_top_in_words() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    for (name, days) in [("Uusi", 2), ("Odottaja", 40)] {
        app.post(
            "/api/v1/clients",
            &coach,
            &json!({"display_name": name, "home_municipality": "Tampere",
                    "intake_date": days_ago(days)}),
        )
        .await;
    }
    let (status, html) = page(&app, &coach, "/caseload").await;
    assert_eq!(status, 200);
    let needs = &html[html.find("id=\"needs-action-title\"").unwrap()
        ..html.find("id=\"everyone-title\"").unwrap()];
    assert!(needs.contains("Odottaja"));
    assert!(needs.contains("40 päivää alusta ilman tapaamista työnantajan kanssa"));
    assert!(!needs.contains(">Uusi<"));
    let everyone = &html[html.find("id=\"everyone-title\"").unwrap()..];
    assert!(everyone.contains("Uusi") && everyone.contains("Odottaja"));
}

#[tokio::test]
async fn another_coachs_client_is_not_found_and_other_roles_are_refused() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let other = app.token(Role::Coach, None).await;
    let coordinator = app.token(Role::Coordinator, None).await;
    let r = app
        .post(
            "/api/v1/clients",
            &other,
            &json!({"display_name": "Toisen asiakas", "home_municipality": "Oulu"}),
        )
        .await;
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    let (status, html) = page(&app, &coach, &format!("/clients/{id}")).await;
    assert_eq!(status, 404);
    assert!(!html.contains("Toisen asiakas"));
    let (status, _) = page(&app, &coordinator, "/caseload").await;
    assert_eq!(status, 403);
    let r = post_form(
        &app,
        &coach,
        &format!("/clients/{id}/edit"),
        &[("display_name", "Kaapattu"), ("home_municipality", "Oulu")],
    )
    .await;
    assert_eq!(r.status(), 404);
    let unchanged: Value = app
        .get(&format!("/api/v1/clients/{id}"), &other)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(unchanged["display_name"], "Toisen asiakas");
}

#[tokio::test]
async fn the_search_page_has_the_apis_filters_and_finds_a_posting() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Pesula Oy").await;
    app.vacancy(
        &coach,
        employer,
        "Pesulatyöntekijä",
        "Pyykin lajittelua.",
        "Kuopio",
    )
    .await;

    let (status, html) = page(
        &app,
        &coach,
        "/search?q=pesula&kind=vacancy&municipality=Kuopio&limit=5",
    )
    .await;
    assert_eq!(status, 200);
    assert!(html.contains("Pesulatyöntekijä"), "{html}");
    assert!(html.contains("1 osuma<"));
    let (status, html) = page(&app, &coach, "/search?q=pesula&limit=500").await;
    assert_eq!(status, 422);
    assert!(html.contains("Anna tulosten määrä numerona 1–100."));
}

#[tokio::test]
async fn a_contact_logged_in_the_register_shows_to_every_coach_without_the_clients_name() {
    let app = spawn_app().await;
    let aino = app.token(Role::Coach, None).await;
    let mikko = app.token(Role::Coach, None).await;
    let employer = app.employer(&aino, "Pesula Oy").await;
    let r = app
        .post(
            "/api/v1/clients",
            &aino,
            &json!({"display_name": "Ainon Asiakas", "home_municipality": "Lahti"}),
        )
        .await;
    let client = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/clients/{client}/events"),
        &aino,
        &json!({"type": "engaged"}),
    )
    .await;
    let today = Utc::now().date_naive();
    let finnish_today = format!(
        "{}.{}.{}",
        today.format("%-d"),
        today.format("%-m"),
        today.format("%Y")
    );

    let bad = post_form(
        &app,
        &aino,
        &format!("/employers/{employer}/contacts"),
        &[("at", "huomenna"), ("purpose", "Esittely")],
    )
    .await;
    let logged = post_form(
        &app,
        &aino,
        &format!("/employers/{employer}/contacts"),
        &[
            ("at", &finnish_today),
            ("face_to_face", "true"),
            ("client_id", &client.to_string()),
            ("purpose", "Työkokeilusta sopiminen"),
        ],
    )
    .await;

    assert_eq!(bad.status(), 422);
    let html = bad.text().await.unwrap();
    assert!(html.contains("Anna päivä muodossa 1.12.2026"), "{html}");
    assert!(
        html.contains("value=\"Esittely\""),
        "what was typed is kept"
    );
    assert_eq!(logged.status(), 303);
    let (_, own) = page(&app, &aino, &format!("/employers/{employer}")).await;
    let log = &own[own.find("id=\"contact-log\"").unwrap()..];
    assert!(log.contains("tavattiin kasvokkain") && log.contains("Ainon Asiakas"));
    let (status, register) = page(&app, &mikko, "/employers").await;
    assert_eq!(status, 200);
    assert!(register.contains("Pesula Oy"));
    assert!(
        register.contains("test-coach, tavattiin kasvokkain"),
        "{register}"
    );
    assert!(
        !register.contains("Ainon Asiakas"),
        "another coach's client stays hidden"
    );
    let events: Value = app
        .get(&format!("/api/v1/clients/{client}/events"), &aino)
        .await
        .json()
        .await
        .unwrap();
    assert!(events.to_string().contains("\"employer_contact\""));
}

/// A date `n` days ago as a Finnish form field (`1.12.2026`).
fn fi_days_ago(n: i64) -> String {
    let d = Utc::now().date_naive() - Duration::days(n);
    format!("{}.{}.{}", d.format("%-d"), d.format("%-m"), d.format("%Y"))
}

/// A client of `coach` registered through the API, engaged `days` ago.
async fn engaged_client(app: &TestApp, coach: &str, name: &str, days: i64) -> i64 {
    let r = app
        .post(
            "/api/v1/clients",
            coach,
            &json!({"display_name": name, "home_municipality": "Lahti",
                    "intake_date": days_ago(days)}),
        )
        .await;
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = app
        .post(
            &format!("/api/v1/clients/{id}/events"),
            coach,
            &json!({"type": "engaged", "at": days_ago(days)}),
        )
        .await;
    assert_eq!(r.status(), 201);
    id
}

/// A step posted through its form: type, days ago, the step's own fields.
type Step<'a> = (&'a str, i64, Vec<(&'a str, &'a str)>);

/// The client's events as the API lists them.
async fn events_of(app: &TestApp, coach: &str, id: i64) -> Vec<Value> {
    let history: Value = app
        .get(&format!("/api/v1/clients/{id}/events"), coach)
        .await
        .json()
        .await
        .unwrap();
    history["events"].as_array().unwrap().clone()
}

#[tokio::test]
async fn every_step_of_the_funnel_is_recorded_through_its_form_and_lands_in_the_timeline() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Lahden Pakkaus Oy").await;
    let r = app
        .post(
            "/api/v1/clients",
            &coach,
            &json!({"display_name": "Asiakas Polku", "home_municipality": "Lahti",
                    "intake_date": days_ago(12)}),
        )
        .await;
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let employer = employer.to_string();
    let steps: Vec<Step> = vec![
        ("referred", 12, vec![]),
        ("engaged", 11, vec![("out_of_work_at_entry", "true")]),
        ("profiling", 11, vec![("note", "Vahvuudet: tarkkuus")]),
        ("job_search", 10, vec![]),
        (
            "employer_contact",
            9,
            vec![("employer_id", &employer), ("face_to_face", "true")],
        ),
        ("interview", 8, vec![("employer_id", &employer)]),
        ("benefits_counselling", 7, vec![]),
        (
            "employed",
            6,
            vec![
                ("employer_id", &employer),
                ("placement_type", "work_trial"),
                ("hours_per_week", "20"),
            ],
        ),
        ("in_work_support", 5, vec![("hours_per_week", "17,5")]),
        (
            "employed",
            4,
            vec![
                ("employer_id", &employer),
                ("placement_type", "wage_subsidised"),
                ("hours_per_week", "25"),
            ],
        ),
        ("job_ended", 3, vec![("note", "Määräaikainen päättyi")]),
        ("closed", 1, vec![("client_choice", "true")]),
    ];

    for (kind, days, extra) in &steps {
        let (status, form) = page(
            &app,
            &coach,
            &format!("/clients/{id}/events/new?type={kind}"),
        )
        .await;
        assert_eq!(status, 200, "{kind}");
        assert!(
            form.contains(&format!("value=\"{}\"", fi_days_ago(0))),
            "{kind}: today"
        );
        for (name, _) in extra {
            assert!(
                form.contains(&format!("name=\"{name}\"")),
                "{kind} has {name}"
            );
        }
        let date = fi_days_ago(*days);
        let mut fields = vec![("type", *kind), ("at", date.as_str())];
        fields.extend(extra.iter().copied());
        let r = post_form(&app, &coach, &format!("/clients/{id}/events"), &fields).await;
        assert_eq!(r.status(), 303, "{kind}: {}", r.text().await.unwrap());
        assert_eq!(
            location(&r),
            format!("/clients/{id}?recorded={kind}#timeline")
        );
    }

    let events = events_of(&app, &coach, id).await;
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    let expected: Vec<&str> = steps.iter().map(|s| s.0).collect();
    assert_eq!(kinds, expected);
    let trial = &events[7];
    assert_eq!(trial["placement_type"], "work_trial");
    assert_eq!(trial["employer_id"].as_i64().unwrap().to_string(), employer);
    assert_eq!(trial["hours_per_week"], 20.0);
    assert_eq!(trial["at"], format!("{}T12:00:00Z", days_ago(6)));
    assert_eq!(events[1]["out_of_work_at_entry"], true);
    assert_eq!(events[4]["face_to_face"], true);
    assert_eq!(events[8]["hours_per_week"], 17.5);
    assert_eq!(events[11]["client_choice"], true);
    let (_, html) = page(&app, &coach, &format!("/clients/{id}?recorded=closed")).await;
    assert!(html.contains("Kirjattu: Palvelu päättyi asiakkaan valinnasta."));
    let timeline = &html[html.find("id=\"timeline\"").unwrap()..];
    for words in [
        "Työkokeilu",
        "Palkkatuettu työ",
        "17,5 tuntia viikossa",
        "Määräaikainen päättyi",
        "Lahden Pakkaus Oy",
        "Etuusneuvonta",
    ] {
        assert!(timeline.contains(words), "{words} in {timeline}");
    }
    // The employer contact is in the register too, as the register's own form logs it.
    let (_, register) = page(&app, &coach, &format!("/employers/{employer}")).await;
    let log = &register[register.find("id=\"contact-log\"").unwrap()..];
    assert!(log.contains("Asiakas Polku"), "{log}");
    // A closed case offers reopening first.
    let stage =
        &html[html.find("id=\"stage\"").unwrap()..html.find("id=\"wishes-title\"").unwrap()];
    assert!(
        stage.contains("Nyt: Palvelu päättyi asiakkaan valinnasta"),
        "{stage}"
    );
    assert!(stage.contains(&format!("/clients/{id}/events/new?type=engaged")));
}

#[tokio::test]
async fn a_step_the_rules_refuse_comes_back_with_the_reason_at_the_field_and_nothing_lost() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let id = engaged_client(&app, &coach, "Asiakas Sääntö", 10).await;
    let path = format!("/clients/{id}/events");
    let yesterday = fi_days_ago(1);

    let ended = post_form(
        &app,
        &coach,
        &path,
        &[
            ("type", "job_ended"),
            ("at", &yesterday),
            ("note", "Sopimus <päättyi>"),
        ],
    )
    .await;
    let typo = post_form(
        &app,
        &coach,
        &path,
        &[
            ("type", "employed"),
            ("at", "eilen"),
            ("placement_type", "work_trial"),
            ("hours_per_week", "paljon"),
        ],
    )
    .await;
    let no_type = post_form(
        &app,
        &coach,
        &path,
        &[("type", "employed"), ("hours_per_week", "120")],
    )
    .await;
    let english = no_redirects()
        .post(app.url(&path))
        .bearer_auth(&coach)
        .header("accept-language", "en")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(encode(&[("type", "in_work_support"), ("at", &yesterday)]))
        .send()
        .await
        .unwrap();

    assert_eq!(ended.status(), 422);
    let html = ended.text().await.unwrap();
    assert!(
        html.contains("asiakkaalla ei ollut tuolloin työtä tai jaksoa"),
        "{html}"
    );
    assert!(
        html.contains("href=\"#at\""),
        "the summary links to the date"
    );
    assert!(
        html.contains("Sopimus &#60;päättyi&#62;"),
        "the note is kept"
    );
    assert!(
        html.contains(&format!("value=\"{yesterday}\"")),
        "the date is kept"
    );
    assert!(!html.contains("a job can end only"), "no raw error");
    assert_eq!(typo.status(), 422);
    let html = typo.text().await.unwrap();
    assert!(html.contains("Anna päivä muodossa 1.12.2026"));
    assert!(html.contains("Anna tunnit viikossa numerona"));
    assert!(html.contains("value=\"paljon\""));
    assert!(
        html.contains("value=\"work_trial\" checked"),
        "the choice is kept"
    );
    assert_eq!(no_type.status(), 422);
    let html = no_type.text().await.unwrap();
    assert!(
        html.contains("Valitse, millainen työ tai jakso alkoi."),
        "{html}"
    );
    assert!(html.contains("value=\"120\""));
    assert_eq!(english.status(), 422);
    let html = english.text().await.unwrap();
    assert!(
        html.contains("the client held no job or placement then"),
        "{html}"
    );
    let events = events_of(&app, &coach, id).await;
    assert_eq!(events.len(), 1, "nothing was recorded");
}

#[tokio::test]
async fn a_correction_supersedes_the_old_event_and_the_timeline_shows_it_corrected() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Kierrätys Oy").await;
    let id = engaged_client(&app, &coach, "Asiakas Korjaus", 20).await;
    let r = app
        .post(
            &format!("/api/v1/clients/{id}/events"),
            &coach,
            &json!({"type": "employed", "at": days_ago(5), "placement_type": "work_trial",
                    "employer_id": employer, "hours_per_week": 20, "note": "Lajittelu"}),
        )
        .await;
    let old = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    let (status, form) = page(&app, &coach, &format!("/clients/{id}/events/{old}/correct")).await;
    assert_eq!(status, 200);
    assert!(form.contains("value=\"work_trial\" checked"), "{form}");
    assert!(form.contains(&format!("value=\"{}\"", fi_days_ago(5))));
    assert!(form.contains("value=\"20\""));
    assert!(form.contains(&format!("name=\"supersedes\" value=\"{old}\"")));
    assert!(form.contains("Lajittelu"));
    let r = post_form(
        &app,
        &coach,
        &format!("/clients/{id}/events"),
        &[
            ("type", "employed"),
            ("supersedes", &old.to_string()),
            ("at", &fi_days_ago(5)),
            ("placement_type", "wage_subsidised"),
            ("employer_id", &employer.to_string()),
            ("hours_per_week", "20"),
            ("note", "Lajittelu"),
        ],
    )
    .await;
    assert_eq!(r.status(), 303);
    assert_eq!(location(&r), format!("/clients/{id}?corrected=1#timeline"));

    let events = events_of(&app, &coach, id).await;
    let replaced = events.iter().find(|e| e["id"] == old).unwrap();
    let new = events.iter().find(|e| e["supersedes"] == old).unwrap();
    assert_eq!(replaced["superseded_by"], new["id"]);
    assert_eq!(new["placement_type"], "wage_subsidised");
    assert_eq!(new["at"], replaced["at"], "the same day keeps the moment");
    let (_, html) = page(&app, &coach, &format!("/clients/{id}?corrected=1")).await;
    assert!(html.contains("Korjaus kirjattu"));
    let timeline = &html[html.find("id=\"timeline\"").unwrap()..];
    assert!(timeline.contains("korjattu myöhemmin"), "{timeline}");
    assert!(timeline.contains("Korjaa kirjauksen: Aloitti työn tai jakson"));
    assert!(
        !timeline.contains(&format!("/events/{old}/correct")),
        "only what counts is corrected"
    );

    // The old one again: refused, in words. A correction that breaks a later step: refused.
    let again = post_form(
        &app,
        &coach,
        &format!("/clients/{id}/events"),
        &[("type", "job_search"), ("supersedes", &old.to_string())],
    )
    .await;
    assert_eq!(again.status(), 422);
    assert!(again.text().await.unwrap().contains("on jo korjattu"));
    app.post(
        &format!("/api/v1/clients/{id}/events"),
        &coach,
        &json!({"type": "job_ended", "at": days_ago(2)}),
    )
    .await;
    let breaking = post_form(
        &app,
        &coach,
        &format!("/clients/{id}/events"),
        &[
            ("type", "job_search"),
            ("supersedes", &new["id"].to_string()),
            ("at", &fi_days_ago(5)),
        ],
    )
    .await;
    assert_eq!(breaking.status(), 422);
    let html = breaking.text().await.unwrap();
    assert!(
        html.contains("myöhempi kirjaus ”Työ tai jakso päättyi”"),
        "{html}"
    );
    assert_eq!(events_of(&app, &coach, id).await.len(), 4);
}

#[tokio::test]
async fn the_employer_is_asked_for_feedback_from_the_client_page_and_the_answers_are_readable() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Lahden Logistiikka Oy").await;
    let employer_user = app.token(Role::Employer, Some(employer)).await;
    let id = engaged_client(&app, &coach, "Asiakas Palaute", 30).await;
    let r = app
        .post(
            &format!("/api/v1/clients/{id}/events"),
            &coach,
            &json!({"type": "employed", "at": days_ago(10), "placement_type": "work_trial",
                    "employer_id": employer}),
        )
        .await;
    let placed = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let (_, before) = page(&app, &coach, &format!("/clients/{id}")).await;
    let panel =
        &before[before.find("id=\"feedback\"").unwrap()..before.find("id=\"timeline\"").unwrap()];
    assert!(
        panel.contains("Työkokeilu: Lahden Logistiikka Oy"),
        "{panel}"
    );
    assert!(panel.contains("Pyydä palautetta työnantajalta"));

    let bad = post_form(
        &app,
        &coach,
        &format!("/clients/{id}/feedback-requests"),
        &[("placement_event_id", "999999")],
    )
    .await;
    let r = post_form(
        &app,
        &coach,
        &format!("/clients/{id}/feedback-requests"),
        &[("placement_event_id", &placed.to_string())],
    )
    .await;

    assert_eq!(bad.status(), 422);
    assert!(bad
        .text()
        .await
        .unwrap()
        .contains("Palautetta ei voitu pyytää tästä jaksosta"));
    assert_eq!(r.status(), 303);
    assert_eq!(
        location(&r),
        format!("/clients/{id}?feedback=asked#feedback")
    );
    let (_, asked) = page(&app, &coach, &location(&r)).await;
    assert!(asked.contains("Palautetta pyydetty työnantajalta."));
    assert!(asked.contains("odottaa vastausta"), "{asked}");
    let forms: Value = app
        .get("/api/v1/feedback-forms", &employer_user)
        .await
        .json()
        .await
        .unwrap();
    let form = forms[0]["id"].as_i64().unwrap();
    let r = reqwest::Client::new()
        .put(app.url(&format!("/api/v1/feedback-forms/{form}")))
        .bearer_auth(&employer_user)
        .json(
            &json!({"tasks_managed": 4, "support_needed": "some", "would_hire": true,
                      "comment": "Oppi nopeasti."}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let (_, answered) = page(&app, &coach, &format!("/clients/{id}")).await;
    assert!(answered.contains("Työnantaja vastasi"), "{answered}");
    assert!(answered.contains(&format!("href=\"#feedback-{form}\"")));
    let entry = &answered[answered.find(&format!("id=\"feedback-{form}\"")).unwrap()..];
    assert!(entry.contains("Tehtävistä suoriutuminen: 4/5"));
    assert!(entry.contains("Kommentti: Oppi nopeasti."));
}

#[tokio::test]
async fn another_coachs_client_has_no_step_forms_and_its_history_stays_unchanged() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let other = app.token(Role::Coach, None).await;
    let id = engaged_client(&app, &other, "Toisen Asiakas", 10).await;
    let event = events_of(&app, &other, id).await[0]["id"].as_i64().unwrap();

    let new_form = page(
        &app,
        &coach,
        &format!("/clients/{id}/events/new?type=job_search"),
    )
    .await;
    let correct = page(
        &app,
        &coach,
        &format!("/clients/{id}/events/{event}/correct"),
    )
    .await;
    let record = post_form(
        &app,
        &coach,
        &format!("/clients/{id}/events"),
        &[("type", "job_search")],
    )
    .await;
    let corrected = post_form(
        &app,
        &coach,
        &format!("/clients/{id}/events"),
        &[("type", "referred"), ("supersedes", &event.to_string())],
    )
    .await;
    let asked = post_form(
        &app,
        &coach,
        &format!("/clients/{id}/feedback-requests"),
        &[("placement_event_id", &event.to_string())],
    )
    .await;

    assert_eq!(new_form.0, 404);
    assert!(!new_form.1.contains("Toisen Asiakas"));
    assert_eq!(correct.0, 404);
    assert_eq!(record.status(), 404);
    assert_eq!(corrected.status(), 404);
    assert_eq!(asked.status(), 404);
    let events = events_of(&app, &other, id).await;
    assert_eq!(events.len(), 1);
    assert!(events[0]["superseded_by"].is_null());
}

#[tokio::test]
async fn a_browsers_step_without_its_sessions_csrf_token_changes_nothing() {
    use crate::browser::sign_in_details;
    use crate::sessions::{csrf_token, Browser, PASSWORD};

    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let email = sign_in_details(&app, &coach, "valmentaja@example.fi").await;
    let id = engaged_client(&app, &coach, "Asiakas Lomake", 10).await;
    let mut browser = Browser::new(&app);
    assert_eq!(browser.sign_in(&email, PASSWORD, "").await.status(), 303);
    let path = format!("/clients/{id}/events");

    let forged = browser
        .post(&path, &[("type", "job_search"), ("csrf_token", "forged")])
        .await;
    let missing = browser
        .post(
            &format!("/clients/{id}/feedback-requests"),
            &[("placement_event_id", "1")],
        )
        .await;

    assert_eq!(forged.status(), 403);
    assert_eq!(missing.status(), 403);
    assert_eq!(events_of(&app, &coach, id).await.len(), 1);
    let token = csrf_token(
        &browser
            .get(&format!("/clients/{id}/events/new?type=job_search"))
            .await
            .text()
            .await
            .unwrap(),
    );
    let r = browser
        .post(&path, &[("type", "job_search"), ("csrf_token", &token)])
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(events_of(&app, &coach, id).await.len(), 2);
}

//! Generated demo data: Finnish vacancies across many occupations and municipalities, some
//! subcontracting tasks, coaches with clients. Seeded, so every run generates the same data.
//! The benchmarks use the same generator for their 100,000-vacancy sets.

use std::fmt;

use chrono::{Duration, Utc};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use crate::domain::{
    ClientDraft, ClientInput, ContactDraft, ContactInput, Email, EmployerDraft, EventDraft,
    EventInput, Preferences, Role, TaskDraft, TaskInput,
};
use crate::store::{NewAccount, Store, StoreError};
use crate::web::session::SIGN_IN_LINK_HOURS;
use crate::web::SessionConfig;

/// An occupation the generator writes ads for.
struct Occupation {
    isco: &'static str,
    titles: &'static [&'static str],
    field: &'static str,
    tasks: &'static [&'static str],
}

const OCCUPATIONS: &[Occupation] = &[
    Occupation {
        isco: "9112",
        titles: &[
            "Siivooja",
            "Toimitilahuoltaja",
            "Siistijä",
            "Laitoshuoltaja",
        ],
        field: "siivous",
        tasks: &[
            "toimistotilojen ylläpitosiivous",
            "koneellinen lattianhoito",
            "hotellihuoneiden siivous",
            "jätehuolto ja lajittelu",
        ],
    },
    Occupation {
        isco: "4321",
        titles: &[
            "Varastotyöntekijä",
            "Keräilijä",
            "Varastomies",
            "Lähettämötyöntekijä",
        ],
        field: "logistiikka",
        tasks: &[
            "tilausten keräily",
            "tavaran vastaanotto ja hyllytys",
            "pakkaaminen ja lähettäminen",
            "trukilla siirrot",
        ],
    },
    Occupation {
        isco: "8344",
        titles: &["Trukinkuljettaja", "Trukkikuski"],
        field: "logistiikka",
        tasks: &[
            "lavojen siirrot trukilla",
            "kuormien lastaus",
            "varastopaikkojen täydennys",
        ],
    },
    Occupation {
        isco: "9412",
        titles: &["Keittiöapulainen", "Tiskaaja", "Ravintolatyöntekijä"],
        field: "ravintola",
        tasks: &[
            "astianpesu",
            "salaattien ja kylmien ruokien valmistus",
            "keittiön siisteys",
            "linjaston täyttö",
        ],
    },
    Occupation {
        isco: "5223",
        titles: &[
            "Myyjä",
            "Myymälätyöntekijä",
            "Kassatyöntekijä",
            "Hyllyttäjä",
        ],
        field: "kauppa",
        tasks: &[
            "asiakaspalvelu kassalla",
            "hyllytys ja tuotteiden esillepano",
            "päivämäärävalvonta",
            "vastaanotto",
        ],
    },
    Occupation {
        isco: "9329",
        titles: &["Tuotantotyöntekijä", "Pakkaaja", "Kokoonpanija"],
        field: "teollisuus",
        tasks: &[
            "tuotteiden pakkaus",
            "kokoonpanotyö linjalla",
            "laadun tarkastus",
            "koneen syöttö",
        ],
    },
    Occupation {
        isco: "9613",
        titles: &["Kiinteistönhoitaja", "Talonmies", "Piha-alueiden hoitaja"],
        field: "kiinteistö",
        tasks: &[
            "piha-alueiden kunnossapito",
            "lumityöt",
            "pienet korjaustyöt",
            "kiinteistön tarkastuskierrokset",
        ],
    },
    Occupation {
        isco: "5322",
        titles: &["Kotiavustaja", "Hoiva-avustaja"],
        field: "hoiva",
        tasks: &[
            "kodinhoidolliset tehtävät",
            "asiointiapu",
            "ulkoilussa avustaminen",
            "ruoan lämmitys",
        ],
    },
    Occupation {
        isco: "8322",
        titles: &["Lähetti", "Kuljettaja", "Jakelukuljettaja"],
        field: "kuljetus",
        tasks: &[
            "pakettien jakelu",
            "ateriakuljetukset",
            "postin kuljetus toimipisteiden välillä",
        ],
    },
    Occupation {
        isco: "9214",
        titles: &["Puutarhatyöntekijä", "Viheralueiden hoitaja"],
        field: "viherala",
        tasks: &[
            "istutukset",
            "nurmikon leikkuu",
            "kasvihuoneen työt",
            "kastelu ja kitkentä",
        ],
    },
    Occupation {
        isco: "4110",
        titles: &["Toimistoavustaja", "Arkistoavustaja"],
        field: "toimisto",
        tasks: &[
            "skannaus ja arkistointi",
            "postin käsittely",
            "tietojen tallennus",
            "kokoustilojen valmistelu",
        ],
    },
    Occupation {
        isco: "7522",
        titles: &["Puusepän apulainen", "Verhoilija"],
        field: "käsityö",
        tasks: &[
            "huonekalujen kunnostus",
            "hionta ja maalaus",
            "verhoilutyöt",
        ],
    },
    Occupation {
        isco: "3512",
        titles: &["IT-tukihenkilö", "Lähituki"],
        field: "tietotekniikka",
        tasks: &[
            "käyttäjien neuvonta",
            "laitteiden asennus",
            "tikettien käsittely",
        ],
    },
    Occupation {
        isco: "9621",
        titles: &["Lähettipoika", "Jakaja", "Lehdenjakaja"],
        field: "jakelu",
        tasks: &[
            "lehtien jakelu aamuisin",
            "mainosten jakelu",
            "reittien suunnittelu",
        ],
    },
    Occupation {
        isco: "7512",
        titles: &["Leipomotyöntekijä", "Leipurin apulainen"],
        field: "elintarvike",
        tasks: &[
            "taikinan valmistus",
            "paistaminen",
            "pakkaaminen",
            "hygieniasta huolehtiminen",
        ],
    },
    Occupation {
        isco: "5414",
        titles: &["Järjestyksenvalvoja", "Vartija"],
        field: "turvallisuus",
        tasks: &["kulunvalvonta", "kierrokset", "asiakkaiden opastus"],
    },
];

/// Municipalities the demo data uses (names are facts; coordinates come from the reference
/// import, not from here).
pub const MUNICIPALITIES: &[&str] = &[
    "Helsinki",
    "Espoo",
    "Vantaa",
    "Tampere",
    "Turku",
    "Oulu",
    "Jyväskylä",
    "Lahti",
    "Kuopio",
    "Pori",
    "Joensuu",
    "Lappeenranta",
    "Hämeenlinna",
    "Vaasa",
    "Seinäjoki",
    "Rovaniemi",
    "Mikkeli",
    "Kotka",
    "Salo",
    "Porvoo",
    "Kouvola",
    "Hyvinkää",
    "Nurmijärvi",
    "Järvenpää",
    "Kokkola",
    "Kajaani",
    "Rauma",
    "Savonlinna",
    "Raasepori",
    "Heinola",
];

const BUSINESS_WORDS: &[&str] = &[
    "Logistiikka",
    "Palvelu",
    "Siivous",
    "Kiinteistöhuolto",
    "Ravintola",
    "Tuotanto",
    "Kauppa",
    "Puutarha",
    "Kuljetus",
    "Leipomo",
    "Hoiva",
    "Tekniikka",
    "Huolto",
    "Pakkaus",
    "Ateria",
];
const SUFFIXES: &[&str] = &["Oy", "Ab", "Oy Ab", "Ky", "Tmi", "Osuuskunta"];

const PERKS: &[&str] = &[
    "Tarjoamme perehdytyksen ja työkaverin tuen ensimmäisinä viikkoina.",
    "Työssä on mahdollista aloittaa työkokeilulla tai palkkatuella.",
    "Työaikoja voidaan sopia joustavasti, myös osa-aikaisesti.",
    "Kirjalliset ohjeet ja selkeät rutiinit auttavat pääsemään alkuun.",
    "Hyvät liikenneyhteydet, työpaikalle pääsee bussilla.",
    "Kokemusta ei tarvita, opetamme työn.",
    "Työvaatteet ja -välineet tulevat työnantajalta.",
];

/// A generated employer name.
pub fn employer_name(rng: &mut impl Rng, municipality: &str) -> String {
    let word = BUSINESS_WORDS.choose(rng).expect("non-empty");
    let suffix = SUFFIXES.choose(rng).expect("non-empty");
    match rng.gen_range(0..3) {
        0 => format!("{word} {municipality} {suffix}"),
        1 => format!("{word}-{} {suffix}", rng.gen_range(1..200)),
        _ => format!(
            "{} {word} {suffix}",
            ["Pohjolan", "Suomen", "Järvi", "Metsä", "Kivi", "Ranta"]
                .choose(rng)
                .expect("non-empty")
        ),
    }
}

/// One generated ad as a schema.org JobPosting JSON line.
pub fn job_posting(rng: &mut impl Rng, identifier: &str, employer: &str) -> String {
    let occ = OCCUPATIONS.choose(rng).expect("non-empty");
    let title = *occ.titles.choose(rng).expect("non-empty");
    let municipality = *MUNICIPALITIES.choose(rng).expect("non-empty");
    let part_time = rng.gen_bool(0.4);
    let (min, max) = if part_time {
        let min = [10, 15, 20, 25][rng.gen_range(0..4)];
        (min, min + [0, 5, 10][rng.gen_range(0..3)])
    } else {
        (37, 40)
    };
    let mut tasks: Vec<&str> = occ.tasks.to_vec();
    tasks.shuffle(rng);
    let n_tasks = rng.gen_range(2..=tasks.len().min(4));
    let mut perks: Vec<&str> = PERKS.to_vec();
    perks.shuffle(rng);
    let description = format!(
        "{employer} hakee {title_lower}a {kind} työsuhteeseen. Työpaikka: {municipality}. \
         Työtehtäviisi kuuluvat muun muassa {tasks}. Työ sopii hyvin myös alalle vaihtavalle, \
         ja {field}alan kokemus katsotaan eduksi. {perks} Työaika on {min}–{max} tuntia \
         viikossa{shift}. Lisätietoja antaa esihenkilö, hakemukset sähköisesti.",
        title_lower = title.to_lowercase(),
        kind = if part_time {
            "osa-aikaiseen"
        } else {
            "kokoaikaiseen"
        },
        tasks = tasks[..n_tasks].join(", "),
        field = occ.field,
        perks = perks[..rng.gen_range(1..=3)].join(" "),
        shift = [
            "",
            ", pääosin päivävuoroissa",
            ", aamuvuoroissa",
            ", myös iltaisin ja viikonloppuisin"
        ][rng.gen_range(0..4)],
    );
    let posted = Utc::now() - Duration::days(rng.gen_range(0..45));
    // Open to apply for a while yet: generated postings are not already past their last day.
    let valid = Utc::now() + Duration::days(rng.gen_range(7..60));
    json!({
        "@type": "JobPosting",
        "identifier": identifier,
        "title": title,
        "description": description,
        "hiringOrganization": {"name": employer},
        "jobLocation": {"address": {"addressLocality": municipality}},
        "datePosted": posted.to_rfc3339(),
        "validThrough": valid.to_rfc3339(),
        "employmentType": if part_time { "PART_TIME" } else { "FULL_TIME" },
        "workHours": format!("{min}-{max} h/vk"),
        "occupationalCategory": occ.isco,
        "inLanguage": "fi",
    })
    .to_string()
}

/// `n` JobPosting lines from `employers` generated employers, seeded by `seed`.
pub fn job_postings(seed: u64, n: usize, employers: usize) -> Vec<String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let names: Vec<String> = (0..employers.max(1))
        .map(|i| {
            let m = MUNICIPALITIES[i % MUNICIPALITIES.len()];
            format!("{} #{i}", employer_name(&mut rng, m))
        })
        .collect();
    (0..n)
        .map(|i| {
            let employer = names.choose(&mut rng).expect("non-empty").clone();
            job_posting(&mut rng, &format!("gen-{seed}-{i}"), &employer)
        })
        .collect()
}

/// What `seed` did, with the tokens to print.
pub struct DemoReport {
    /// Whether data was generated now (false: it was there already).
    pub seeded: bool,
    /// Vacancies in the demo set.
    pub vacancies: u64,
    /// (role, name, token) of each demo user.
    pub tokens: Vec<(Role, String, String)>,
    /// (role, e-mail address, one-time sign-in link) of each demo user.
    pub links: Vec<(Role, String, String)>,
}

impl fmt::Display for DemoReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.seeded {
            writeln!(
                f,
                "demo data: {} vacancies, tasks, employers, coaches and clients generated",
                self.vacancies
            )?;
        } else if self.tokens.is_empty() {
            return writeln!(f, "the database already holds data that is not demo data: nothing seeded; create users with `kohtaamo users add`");
        } else {
            writeln!(
                f,
                "demo data already present; new tokens for the demo users:"
            )?;
        }
        for (role, name, token) in &self.tokens {
            writeln!(f, "  {:<12} {name:<20} {token}", role.as_str())?;
        }
        if !self.links.is_empty() {
            writeln!(
                f,
                "one-time sign-in links for the browser (each works once, for {SIGN_IN_LINK_HOURS} h; \
                 it leads to setting a password):"
            )?;
        }
        for (role, email, link) in &self.links {
            writeln!(f, "  {:<12} {email:<32} {link}", role.as_str())?;
        }
        write!(f, "try: curl -H 'Authorization: Bearer <coach token>' 'http://127.0.0.1:8080/api/v1/search?q=varasto'")
    }
}

const DEMO_USERS: &[(Role, &str)] = &[
    (Role::Admin, "demo-admin"),
    (Role::Coordinator, "demo-coordinator"),
    (Role::Coach, "demo-coach-aino"),
    (Role::Coach, "demo-coach-mikko"),
    (Role::Employer, "demo-employer"),
    (Role::Auditor, "demo-auditor"),
];

/// A plausible path through the funnel for demo client number `n` (the later ones got
/// further): engaged at intake, job search, an employer contact, an interview, a job.
async fn history(
    store: &Store,
    coach: i64,
    client: i64,
    intake: chrono::NaiveDate,
    n: usize,
    employer: i64,
) -> Result<(), StoreError> {
    let now = Utc::now();
    let day = |d: i64| {
        let t = intake.and_hms_opt(9, 0, 0).expect("valid time").and_utc() + Duration::days(d);
        t.min(now - Duration::minutes(1)).to_rfc3339()
    };
    let event = |kind: &str, at: String| EventInput {
        kind: Some(kind.into()),
        at: Some(at),
        ..Default::default()
    };
    for step in [
        EventInput {
            out_of_work_at_entry: Some(true),
            ..event("engaged", day(0))
        },
        event("job_search", day(1)),
    ] {
        let draft = EventDraft::parse(&step, now).expect("demo event is valid");
        store.record_event(client, coach, &draft).await?;
    }
    if n >= 1 {
        let contact = ContactDraft::parse(
            &ContactInput {
                employer_id: employer,
                at: day(5),
                face_to_face: true,
                client_id: Some(client),
                purpose: Some("asiakkaan esittely".into()),
                outcome: None,
            },
            now,
        )
        .expect("demo contact is valid");
        store.record_contact(coach, &contact).await?;
    }
    let mut steps = Vec::new();
    if n >= 3 {
        steps.push(EventInput {
            employer_id: Some(employer),
            ..event("interview", day(12))
        });
    }
    if n >= 4 {
        steps.push(event("benefits_counselling", day(15)));
        steps.push(EventInput {
            employer_id: Some(employer),
            placement_type: Some(if n == 4 { "work_trial" } else { "competitive" }.into()),
            hours_per_week: Some(if n == 4 { 15.0 } else { 25.0 }),
            ..event("employed", day(20))
        });
    }
    for step in steps {
        let draft = EventDraft::parse(&step, now).expect("demo event is valid");
        store.record_event(client, coach, &draft).await?;
    }
    Ok(())
}

/// The sign-in address of demo user `name`.
fn demo_email(name: &str) -> Email {
    Email::parse("email", &format!("{name}@kohtaamo.example")).expect("a valid demo address")
}

/// A one-time sign-in link for each demo user, based on `config`'s public URL.
async fn demo_links(
    store: &Store,
    config: &SessionConfig,
    users: &[(i64, Role, String)],
) -> Result<Vec<(Role, String, String)>, StoreError> {
    let mut links = Vec::new();
    for (id, role, name) in users {
        let expires = Utc::now() + Duration::hours(SIGN_IN_LINK_HOURS);
        let secret = store.create_sign_in_link(*id, expires).await?;
        let email = demo_email(name).to_string();
        links.push((*role, email, config.sign_in_link(&secret)));
    }
    Ok(links)
}

/// Seeds the demo data set into an empty database, or issues fresh tokens and sign-in links
/// for the demo users when it was seeded before. A database with other data is left alone.
pub async fn seed(store: &Store, config: &SessionConfig) -> Result<DemoReport, StoreError> {
    let mut existing = Vec::new();
    for role in Role::ALL {
        existing.extend(store.users_with_role(role).await?);
    }
    let demo_users: Vec<_> = existing
        .iter()
        .filter(|u| u.name.starts_with("demo-"))
        .collect();
    if !demo_users.is_empty() {
        let mut tokens = Vec::new();
        let mut users = Vec::new();
        for u in demo_users {
            tokens.push((u.role, u.name.clone(), store.add_token(u.id).await?));
            // Demo data seeded before accounts had addresses gets them now.
            if store.account(u.id).await?.email.is_none() {
                store
                    .update_account(u.id, None, Some(&demo_email(&u.name)))
                    .await?;
            }
            users.push((u.id, u.role, u.name.clone()));
        }
        return Ok(DemoReport {
            seeded: false,
            vacancies: 0,
            tokens,
            links: demo_links(store, config, &users).await?,
        });
    }
    if !existing.is_empty() || store.open_posting_count().await? > 0 {
        return Ok(DemoReport {
            seeded: false,
            vacancies: 0,
            tokens: Vec::new(),
            links: Vec::new(),
        });
    }
    const VACANCIES: usize = 400;
    let lines = job_postings(2026, VACANCIES, 60);
    let report =
        crate::import::import_vacancies(store, lines.join("\n").as_bytes(), |_| {}).await?;
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let employer = store
        .create_employer(&EmployerDraft {
            name: "Päijät-Hämeen Pakkauspalvelu Oy".into(),
            business_id: None,
            industry: Some("pakkaus ja kokoonpano".into()),
            municipality: Some("Lahti".into()),
        })
        .await?;
    let task_titles = [
        (
            "Kirjekuorien pakkaus",
            "Kirjekuorten ja esitteiden pakkaus ja postitus. Työ tehdään työkeskuksessa ryhmänä.",
        ),
        (
            "Pihatyöt taloyhtiössä",
            "Haravointi, lehtien keruu ja roskien keräys taloyhtiön pihalla.",
        ),
        (
            "Pienosien kokoonpano",
            "Muoviosien kokoonpano ja laaduntarkastus pakkaamon tiloissa.",
        ),
        (
            "Pyykkihuolto",
            "Työvaatteiden pesu, silitys ja viikkaus pesulassa.",
        ),
        (
            "Tarrojen liimaus",
            "Tuotteiden merkintä ja tarroitus ennen lähetystä.",
        ),
    ];
    for (i, (title, description)) in task_titles.iter().enumerate() {
        let draft = TaskDraft::parse(&TaskInput {
            employer_id: employer.id,
            title: (*title).into(),
            description: (*description).into(),
            municipality: Some(MUNICIPALITIES[(i * 7) % MUNICIPALITIES.len()].into()),
            site: Some(if i % 2 == 0 { "provider" } else { "buyer" }.into()),
            starts_on: Some((Utc::now().date_naive() + Duration::days(7 * i as i64)).to_string()),
            ends_on: None,
            estimated_hours: Some(rng.gen_range(20..200) as f64),
            group_size: Some(rng.gen_range(2..6)),
        })
        .expect("demo task is valid");
        store.create_task(&draft, None).await?;
    }
    let mut tokens = Vec::new();
    let mut coaches = Vec::new();
    let mut users = Vec::new();
    for (role, name) in DEMO_USERS {
        let employer_id = (*role == Role::Employer).then_some(employer.id);
        let email = demo_email(name);
        let (user, token) = store
            .create_account(&NewAccount {
                name,
                role: *role,
                employer_id,
                email: Some(&email),
                password_hash: None,
                with_token: true,
                token_expires_at: None,
            })
            .await?;
        if *role == Role::Coach {
            coaches.push(user.id);
        }
        if let Some(token) = token {
            tokens.push((*role, name.to_string(), token.token));
        }
        users.push((user.id, *role, name.to_string()));
    }
    let links = demo_links(store, config, &users).await?;
    let wishes = [
        (
            "Asiakas A",
            "Lahti",
            "varastotyö, mieluiten aamuvuoroja",
            vec!["4321"],
            Some((20.0, 30.0)),
        ),
        (
            "Asiakas B",
            "Helsinki",
            "siivous tai toimitilahuolto",
            vec!["9112"],
            Some((10.0, 25.0)),
        ),
        ("Asiakas C", "Tampere", "keittiötyö", vec![], None),
        ("Asiakas D", "Oulu", "", vec![], None),
        (
            "Asiakas E",
            "Jyväskylä",
            "ulkotyöt, puutarha",
            vec!["9214"],
            Some((15.0, 20.0)),
        ),
        ("Asiakas F", "Espoo", "kaupan hyllytys", vec!["5223"], None),
    ];
    for (i, (name, home, desired, codes, hours)) in wishes.into_iter().enumerate() {
        let input = ClientInput {
            display_name: name.into(),
            home_municipality: home.into(),
            intake_date: Some(
                (Utc::now().date_naive() - Duration::days(10 * i as i64)).to_string(),
            ),
            treatment_team_contact: None,
            preferences: Preferences {
                desired_work: (!desired.is_empty()).then(|| desired.into()),
                occupations: codes.into_iter().map(String::from).collect(),
                municipalities: vec![home.into()],
                max_commute_km: Some(30.0),
                hours_per_week: hours.map(|(min, max)| crate::domain::HoursRange {
                    min: Some(min),
                    max: Some(max),
                }),
                ..Default::default()
            },
        };
        let draft =
            ClientDraft::parse(&input, Utc::now().date_naive()).expect("demo client is valid");
        let coach = coaches[i % coaches.len()];
        let client = store.create_client(coach, &draft).await?;
        history(
            store,
            coach,
            client.id,
            draft.intake_date,
            i,
            (i as i64) + 1,
        )
        .await?;
    }
    // Job development without a client: visits to employers over the last four weeks.
    for (n, coach) in coaches.iter().enumerate() {
        for week in 0..4i64 {
            for visit in 0..(4 + n as i64) {
                let at = Utc::now() - Duration::days(week * 7 + visit) - Duration::hours(2);
                let contact = ContactDraft::parse(
                    &ContactInput {
                        employer_id: 1 + (week * 5 + visit) % 40,
                        at: at.to_rfc3339(),
                        face_to_face: visit % 3 != 2,
                        client_id: None,
                        purpose: Some("työnkehittäminen: tutustumiskäynti".into()),
                        outcome: None,
                    },
                    Utc::now(),
                )
                .expect("demo contact is valid");
                store.record_contact(*coach, &contact).await?;
            }
        }
    }
    Ok(DemoReport {
        seeded: true,
        vacancies: report.imported,
        tokens,
        links,
    })
}

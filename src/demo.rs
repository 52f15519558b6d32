//! Generated demo data: Finnish vacancies across many occupations and municipalities, some
//! subcontracting tasks, coaches with a year of clients (intakes spread over the last twelve
//! months, each client's steps through the funnel, employer contacts, work-trial feedback),
//! so the caseload and the coordinator's figures look like real work. Seeded, so every run generates the same data.
//! The benchmarks use the same generator for their 100,000-vacancy sets.

use std::fmt;

use chrono::{Duration, Utc};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::json;

use crate::domain::{
    ClientDraft, ClientInput, ContactDraft, ContactInput, Email, EmployerDraft, EventDraft,
    EventInput, EventType, FeedbackAnswers, Preferences, Role, SupportNeeded, TaskDraft, TaskInput,
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
    /// Clients in the demo set, each with a history.
    pub clients: usize,
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
                "demo data: {} vacancies, tasks, employers, and {} clients with a year of \
                 history (intakes, steps, employer contacts, feedback) generated",
                self.vacancies, self.clients
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

/// Clients each demo coach has, their intake dates spread over the last year.
pub const CLIENTS_PER_COACH: usize = 36;

/// First names for pseudonymous display names ("Aino K.").
const FIRST_NAMES: &[&str] = &[
    "Aino", "Eino", "Helmi", "Onni", "Linnea", "Väinö", "Ella", "Leevi", "Sofia", "Elias", "Aada",
    "Oliver", "Lilja", "Toivo", "Venla", "Niilo", "Iida", "Eetu", "Kerttu", "Joona", "Siiri",
    "Matias", "Minea", "Aleksi", "Pihla", "Jesse", "Emilia", "Rasmus", "Hilla", "Otto", "Saana",
    "Lauri", "Inka", "Veeti", "Oona", "Arttu", "Jenna", "Sami", "Tiina", "Jari",
];
const INITIALS: &[char] = &[
    'A', 'H', 'K', 'L', 'M', 'N', 'P', 'R', 'S', 'T', 'V', 'J', 'E', 'O',
];

/// Wishes in a client's own words: (desired work, ISCO codes, hours per week).
type Wish = (&'static str, &'static [&'static str], Option<(f64, f64)>);
const WISHES: &[Wish] = &[
    (
        "varastotyö, mieluiten aamuvuoroja",
        &["4321"],
        Some((20.0, 30.0)),
    ),
    ("siivous tai toimitilahuolto", &["9112"], Some((10.0, 25.0))),
    ("keittiötyö", &[], None),
    ("", &[], None),
    ("ulkotyöt, puutarha", &["9214"], Some((15.0, 20.0))),
    ("kaupan hyllytys", &["5223"], None),
    (
        "kiinteistöhuolto, ei yötöitä",
        &["9613"],
        Some((20.0, 37.5)),
    ),
    (
        "pakkaaminen tai kokoonpano, rauhallinen työpaikka",
        &["9329"],
        Some((15.0, 25.0)),
    ),
    (
        "toimistoavustajan työt, skannaus ja arkistointi",
        &["4110"],
        Some((10.0, 20.0)),
    ),
    ("jakelu tai lähettinä", &["9621"], None),
    ("leipomo tai keittiö", &["7512"], Some((20.0, 30.0))),
    (
        "IT-tuki, asiakkaiden neuvonta",
        &["3512"],
        Some((25.0, 37.5)),
    ),
];

/// One step of a demo client's year: days from intake, then an event or a contact.
enum Planned {
    Event(i64, EventInput),
    Contact(i64, ContactInput),
    /// Ask the employer of the last placement for feedback (and, at the demo employer,
    /// answer it).
    Feedback(i64),
}

impl Planned {
    fn day(&self) -> i64 {
        match self {
            Planned::Event(d, _) | Planned::Contact(d, _) | Planned::Feedback(d) => *d,
        }
    }
}

/// What the demo's year is made of.
struct World {
    /// Employer ids of the register.
    employers: Vec<i64>,
    /// (vacancy id, its employer).
    vacancies: Vec<(i64, i64)>,
    /// The employer with a demo user (work trials there get answered feedback).
    demo_employer: i64,
    demo_employer_user: i64,
}

fn event(kind: &str) -> EventInput {
    EventInput {
        kind: Some(kind.into()),
        ..Default::default()
    }
}

fn employed(placement: &str, employer: i64, hours: f64) -> EventInput {
    EventInput {
        employer_id: Some(employer),
        placement_type: Some(placement.into()),
        hours_per_week: Some(hours),
        ..event("employed")
    }
}

/// A plausible year of one client, by dice: most reach an employer contact within the
/// 30 days, some find a paid job at once, some go work trial → wage subsidy → paid job, some
/// lose a job and search again, a few end the service by their own choice, and some are
/// still searching. Steps later than today (`elapsed` days from intake) are never recorded.
fn plan(rng: &mut ChaCha8Rng, w: &World, coach_contacts_well: bool, elapsed: i64) -> Vec<Planned> {
    let mut out = Vec::new();
    let employer = |rng: &mut ChaCha8Rng| *w.employers.choose(rng).expect("employers");
    if rng.gen_bool(0.35) {
        out.push(Planned::Event(-rng.gen_range(3..15), event("referred")));
    }
    out.push(Planned::Event(
        0,
        EventInput {
            out_of_work_at_entry: Some(rng.gen_bool(0.9)),
            ..event("engaged")
        },
    ));
    if rng.gen_bool(0.5) {
        out.push(Planned::Event(rng.gen_range(1..8), event("profiling")));
    }
    let search = rng.gen_range(1..5);
    out.push(Planned::Event(search, event("job_search")));
    for _ in 0..rng.gen_range(1..3) {
        let (vacancy, _) = *w.vacancies.choose(rng).expect("vacancies");
        let kind = ["match_interested", "match_applied", "match_declined"][rng.gen_range(0..3)];
        out.push(Planned::Event(
            search + rng.gen_range(2..15),
            EventInput {
                vacancy_id: Some(vacancy),
                ..event(kind)
            },
        ));
    }
    let roll = rng.gen_range(0..100);
    if roll >= 93 {
        // Slow starters: phone calls only so far, the 30-day clock runs.
        out.push(Planned::Contact(
            search + rng.gen_range(10..40),
            ContactInput {
                employer_id: employer(rng),
                face_to_face: false,
                purpose: Some("puhelu: avoimet paikat".into()),
                ..Default::default()
            },
        ));
        return out;
    }
    let first = if coach_contacts_well || rng.gen_bool(0.6) {
        rng.gen_range(5..29)
    } else {
        rng.gen_range(29..90)
    };
    let met = employer(rng);
    out.push(Planned::Contact(
        first,
        ContactInput {
            employer_id: met,
            face_to_face: true,
            purpose: Some("asiakkaan esittely".into()),
            ..Default::default()
        },
    ));
    let mut day = first;
    for _ in 0..rng.gen_range(0..3) {
        day += rng.gen_range(7..21);
        out.push(Planned::Contact(
            day,
            ContactInput {
                employer_id: employer(rng),
                face_to_face: rng.gen_bool(0.7),
                purpose: Some("työpaikan kartoitus asiakkaalle".into()),
                ..Default::default()
            },
        ));
    }
    if roll < 30 {
        // Still searching: an interview perhaps, no job yet.
        if rng.gen_bool(0.5) {
            out.push(Planned::Event(
                day + rng.gen_range(3..20),
                EventInput {
                    employer_id: Some(met),
                    ..event("interview")
                },
            ));
        }
        return out;
    }
    let interview = day + rng.gen_range(3..20);
    out.push(Planned::Event(
        interview,
        EventInput {
            employer_id: Some(met),
            ..event("interview")
        },
    ));
    let start = interview + rng.gen_range(7..30);
    let hours = [15.0, 20.0, 25.0, 30.0, 37.5][rng.gen_range(0..5)];
    let support = |out: &mut Vec<Planned>, rng: &mut ChaCha8Rng, from: i64, times: usize| {
        let mut d = from;
        for _ in 0..times {
            d += rng.gen_range(25..45);
            out.push(Planned::Event(d, event("in_work_support")));
        }
        d
    };
    match roll {
        30..=51 => {
            // A paid job at once (IPS: place first, then support).
            out.push(Planned::Event(start - 3, event("benefits_counselling")));
            out.push(Planned::Event(start, employed("competitive", met, hours)));
            let times = rng.gen_range(1..5);
            let last = support(&mut out, rng, start, times);
            if rng.gen_bool(0.25) {
                let end = last + rng.gen_range(10..90);
                out.push(Planned::Event(end, event("job_ended")));
                out.push(Planned::Event(
                    end + rng.gen_range(3..30),
                    event("job_search"),
                ));
            }
        }
        52..=69 => {
            // The staircase: work trial, then wage subsidy, then (for some) a paid job.
            let host = if rng.gen_bool(0.4) {
                w.demo_employer
            } else {
                met
            };
            out.push(Planned::Event(
                start,
                employed("work_trial", host, [15.0, 20.0, 25.0][rng.gen_range(0..3)]),
            ));
            out.push(Planned::Feedback(start + 20));
            let subsidy = start + rng.gen_range(45..90);
            if rng.gen_bool(0.7) {
                out.push(Planned::Event(subsidy - 5, event("benefits_counselling")));
                out.push(Planned::Event(
                    subsidy,
                    employed("wage_subsidised", host, hours),
                ));
                let times = rng.gen_range(1..4);
                let last = support(&mut out, rng, subsidy, times);
                if rng.gen_bool(0.5) {
                    out.push(Planned::Event(
                        last + rng.gen_range(10..60),
                        employed("competitive", host, hours.max(20.0)),
                    ));
                }
            } else {
                out.push(Planned::Event(subsidy, event("job_ended")));
                out.push(Planned::Event(
                    subsidy + rng.gen_range(3..30),
                    event("job_search"),
                ));
            }
        }
        70..=79 => {
            // A work trial that ended; back to job search.
            out.push(Planned::Event(start, employed("work_trial", met, 20.0)));
            out.push(Planned::Feedback(start + 14));
            let end = start + rng.gen_range(30..90);
            if end >= elapsed && elapsed - 10 > start + 14 {
                // Ended a few days ago: the caseload asks the coach to agree on what next.
                out.push(Planned::Event(
                    elapsed - rng.gen_range(2..10),
                    event("job_ended"),
                ));
                return out;
            }
            out.push(Planned::Event(end, event("job_ended")));
            out.push(Planned::Event(
                end + rng.gen_range(3..30),
                event("job_search"),
            ));
            out.push(Planned::Contact(
                end + rng.gen_range(3..20),
                ContactInput {
                    employer_id: employer(rng),
                    face_to_face: true,
                    purpose: Some("uusi työpaikka kokeilun jälkeen".into()),
                    ..Default::default()
                },
            ));
        }
        80..=87 => {
            // Placements that are not jobs, counted apart.
            let kind = [
                "rehabilitative_work",
                "open_work",
                "subcontracting_group",
                "education",
            ][rng.gen_range(0..4)];
            out.push(Planned::Event(start, employed(kind, met, 15.0)));
            if rng.gen_bool(0.5) {
                let end = start + rng.gen_range(60..150);
                out.push(Planned::Event(end, event("job_ended")));
                out.push(Planned::Event(
                    end + rng.gen_range(3..30),
                    event("job_search"),
                ));
            }
        }
        _ => {
            // The client chose to end the service.
            out.push(Planned::Event(
                interview + rng.gen_range(10..60),
                EventInput {
                    client_choice: Some(true),
                    note: Some("asiakas päätti keskittyä opintoihin".into()),
                    ..event("closed")
                },
            ));
        }
    }
    out
}

/// Records `steps` of `client` from its intake on, in time order, up to now.
async fn record_year(
    store: &Store,
    w: &World,
    rng: &mut ChaCha8Rng,
    (coach, client): (i64, i64),
    intake: chrono::NaiveDate,
    mut steps: Vec<Planned>,
) -> Result<(), StoreError> {
    let now = Utc::now();
    let elapsed = (now.date_naive() - intake).num_days();
    steps.sort_by_key(Planned::day);
    let mut placement: Option<(i64, i64)> = None;
    let mut last = intake.and_hms_opt(0, 0, 0).expect("valid time").and_utc();
    for (n, step) in steps.into_iter().enumerate() {
        if step.day() > elapsed {
            break;
        }
        // Morning, a few minutes apart, so same-day steps keep their order. A step of today
        // planned for later in the day is recorded just now instead, so that a demo seeded
        // at any hour has the same year.
        let planned = intake.and_hms_opt(8, 0, 0).expect("valid time").and_utc()
            + Duration::days(step.day())
            + Duration::minutes(n as i64 * 5);
        let at = planned
            .min(now - Duration::minutes(2))
            .max(last + Duration::seconds(1));
        last = at;
        match step {
            Planned::Event(_, input) => {
                let input = EventInput {
                    at: Some(at.to_rfc3339()),
                    ..input
                };
                let draft = EventDraft::parse(&input, now).expect("demo event is valid");
                let recorded = store.record_event(client, coach, &draft).await?;
                if let (EventType::Employed, Some(e)) = (recorded.kind, recorded.employer_id) {
                    placement = Some((recorded.id, e));
                }
            }
            Planned::Contact(_, input) => {
                let input = ContactInput {
                    at: at.to_rfc3339(),
                    client_id: Some(client),
                    ..input
                };
                let draft = ContactDraft::parse(&input, now).expect("demo contact is valid");
                store.record_contact(coach, &draft).await?;
            }
            Planned::Feedback(_) => {
                let Some((event_id, employer)) = placement else {
                    continue;
                };
                let form = store.request_feedback(client, coach, event_id).await?;
                if employer == w.demo_employer {
                    let answers = FeedbackAnswers {
                        tasks_managed: rng.gen_range(2..6),
                        support_needed: [
                            SupportNeeded::None,
                            SupportNeeded::Some,
                            SupportNeeded::ALot,
                        ][rng.gen_range(0..3)],
                        would_hire: rng.gen_bool(0.6),
                        comment: Some("Työ sujui, perehdytystä tarvittiin alussa.".into()),
                    };
                    store
                        .submit_feedback(form.id, employer, w.demo_employer_user, &answers)
                        .await?;
                }
            }
        }
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
            clients: 0,
            tokens,
            links: demo_links(store, config, &users).await?,
        });
    }
    if !existing.is_empty() || store.open_posting_count().await? > 0 {
        return Ok(DemoReport {
            seeded: false,
            vacancies: 0,
            clients: 0,
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
    let mut world = World {
        employers: store
            .employers(None, 1_000, 0)
            .await?
            .items
            .into_iter()
            .map(|e| e.id)
            .collect(),
        vacancies: store
            .vacancies(None, None, 1_000, 0)
            .await?
            .items
            .into_iter()
            .map(|v| (v.id, v.employer_id))
            .collect(),
        demo_employer: employer.id,
        demo_employer_user: 0,
    };
    world.demo_employer_user = users
        .iter()
        .find(|(_, role, _)| *role == Role::Employer)
        .map(|(id, _, _)| *id)
        .expect("a demo employer user");
    let today = Utc::now().date_naive();
    for (c, coach) in coaches.iter().enumerate() {
        for i in 0..CLIENTS_PER_COACH {
            let n = c * CLIENTS_PER_COACH + i;
            let (desired, codes, hours) = WISHES[n % WISHES.len()];
            let home = MUNICIPALITIES[rng.gen_range(0..12)];
            // Spread over the year, the newest first few days old.
            let intake = today - Duration::days(2 + (i as i64 * 363) / CLIENTS_PER_COACH as i64);
            let input = ClientInput {
                display_name: format!(
                    "{} {}.",
                    FIRST_NAMES[n % FIRST_NAMES.len()],
                    INITIALS[(n * 5 + c) % INITIALS.len()]
                ),
                home_municipality: home.into(),
                intake_date: Some(intake.to_string()),
                treatment_team_contact: rng
                    .gen_bool(0.4)
                    .then(|| "psykiatrinen sairaanhoitaja, aikuispsykiatrian poliklinikka".into()),
                preferences: Preferences {
                    desired_work: (!desired.is_empty()).then(|| desired.into()),
                    occupations: codes.iter().map(|c| c.to_string()).collect(),
                    municipalities: vec![home.into()],
                    max_commute_km: Some([15.0, 30.0, 50.0][rng.gen_range(0..3)]),
                    hours_per_week: hours.map(|(min, max)| crate::domain::HoursRange {
                        min: Some(min),
                        max: Some(max),
                    }),
                    ..Default::default()
                },
            };
            let draft = ClientDraft::parse(&input, today).expect("demo client is valid");
            let client = store.create_client(*coach, &draft).await?;
            let elapsed = (today - intake).num_days();
            let steps = plan(&mut rng, &world, c == 0, elapsed);
            record_year(store, &world, &mut rng, (*coach, client.id), intake, steps).await?;
        }
    }
    // Job development without a client: visits and calls to employers over the year (the
    // first coach meets the weekly target of six face to face, the second falls short).
    for (c, coach) in coaches.iter().enumerate() {
        for week in 0..52i64 {
            let visits = if c == 0 {
                rng.gen_range(5..8)
            } else {
                rng.gen_range(2..6)
            };
            for visit in 0..visits + 2 {
                let at = Utc::now()
                    - Duration::days(week * 7 + rng.gen_range(0..5))
                    - Duration::hours(2 + visit as i64);
                let contact = ContactDraft::parse(
                    &ContactInput {
                        employer_id: *world.employers.choose(&mut rng).expect("employers"),
                        at: at.to_rfc3339(),
                        face_to_face: visit < visits,
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
        clients: coaches.len() * CLIENTS_PER_COACH,
        tokens,
        links,
    })
}

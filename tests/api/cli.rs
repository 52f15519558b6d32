//! The command line, run as a real process against the test's database.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use kohtaamo::domain::Role;
use serde_json::{json, Value};

use crate::helpers::{database_url_for, shared_data, spawn_app, spawn_app_in, test_dir, TestApp};

/// Runs `kohtaamo ARGS` on the given database and index.
pub fn kohtaamo(database_url: &str, index_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kohtaamo"))
        .args(args)
        .env("KOHTAAMO_DATABASE_URL", database_url)
        .env("KOHTAAMO_INDEX_DIR", index_dir)
        .env_remove("KOHTAAMO_MODEL")
        .env("RUST_LOG", "warn")
        .output()
        .expect("kohtaamo runs")
}

/// Runs `kohtaamo import vacancies FILE`, which must succeed; returns its summary line.
pub fn import_vacancies(database_url: &str, index_dir: &Path, file: &Path) -> String {
    let out = kohtaamo(
        database_url,
        index_dir,
        &["import", "vacancies", file.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out).lines().last().unwrap_or_default().to_string()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[tokio::test]
async fn users_add_prints_a_working_token_on_the_last_line() {
    let app = spawn_app().await;
    let out = kohtaamo(
        &app.database_url(),
        &app.index_dir(),
        &["users", "add", "--role", "coach", "--name", "Aino"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let token = text.lines().last().unwrap().trim();
    assert!(token.starts_with("kht_"));
    let r = app
        .post(
            "/api/v1/clients",
            token,
            &json!({"display_name": "A", "home_municipality": "Lahti"}),
        )
        .await;
    assert_eq!(r.status(), 201);
}

#[tokio::test]
async fn users_add_works_before_the_first_serve_and_checks_its_arguments() {
    let dir = test_dir();
    let db = database_url_for(dir.path());
    let index = dir.path().join("index");
    let out = kohtaamo(
        &db,
        &index,
        &["users", "add", "--role", "admin", "--name", "Pääkäyttäjä"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let bad = kohtaamo(
        &db,
        &index,
        &["users", "add", "--role", "employer", "--name", "E"],
    );
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("--employer"));
    let bad_role = kohtaamo(
        &db,
        &index,
        &["users", "add", "--role", "boss", "--name", "E"],
    );
    assert!(!bad_role.status.success());
    assert!(stderr(&bad_role).contains("unknown role"));
    let missing = kohtaamo(
        &db,
        &index,
        &[
            "users",
            "add",
            "--role",
            "employer",
            "--name",
            "E",
            "--employer",
            "77",
        ],
    );
    assert!(!missing.status.success());
    assert!(stderr(&missing).contains("no employer with id 77"));
}

#[tokio::test]
async fn import_reports_bad_lines_by_number_and_keeps_the_rest() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let path = app.dir.path().join("mixed.jsonl");
    let good = |id: &str, title: &str, place: &str| {
        json!({"@type": "JobPosting", "identifier": id, "title": title, "description": "Työtä tarjolla.",
               "hiringOrganization": {"name": "Tuonti Oy"}, "jobLocation": {"address": {"addressLocality": place}},
               "datePosted": "2026-11-01", "validThrough": "2026-12-31", "workHours": "20-30"})
        .to_string()
    };
    let lines = [
        good("a", "Siivooja", "00510 - Helsinki"),
        "{not json".to_string(),
        good("b", "Myyjä", "Uusimaa"),
        json!({"identifier": "c", "description": "no title", "hiringOrganization": {"name": "X"}}).to_string(),
        String::new(),
        good("d", "Kokki", ""),
        json!({"identifier": "e", "title": "T", "description": "D", "hiringOrganization": {"name": "X"}, "validThrough": "someday"}).to_string(),
    ];
    std::fs::write(&path, lines.join("\n")).unwrap();

    let out = kohtaamo(
        &app.database_url(),
        &app.index_dir(),
        &["import", "vacancies", path.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out).lines().last().unwrap(),
        "imported 3, updated 0, rejected 3"
    );
    let err = stderr(&out);
    assert!(err.contains("line 2:"), "{err}");
    assert!(err.contains("line 4:") && err.contains("title"), "{err}");
    assert!(
        err.contains("line 7:") && err.contains("validThrough"),
        "{err}"
    );

    // Re-importing upserts by identifier.
    let again = kohtaamo(
        &app.database_url(),
        &app.index_dir(),
        &["import", "vacancies", path.to_str().unwrap()],
    );
    assert_eq!(
        stdout(&again).lines().last().unwrap(),
        "imported 0, updated 3, rejected 3"
    );

    let list: Value = app
        .get("/api/v1/vacancies?limit=10", &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 3);
    let by_title = |t: &str| {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["title"] == t)
            .unwrap()
            .clone()
    };
    assert_eq!(by_title("Siivooja")["municipality"], "Helsinki");
    assert_eq!(by_title("Myyjä")["municipality"], Value::Null);
    assert_eq!(by_title("Myyjä")["location"], "Uusimaa");
    assert_eq!(by_title("Kokki")["municipality"], Value::Null);
    // Unknown places are searchable all the same.
    app.search_until(&coach, "myyjä", |r| r["total"] == 1).await;
}

/// A JobPosting line of "Tuonti Oy" in Lahti.
fn tuonti_line(id: Option<&str>, title: &str) -> String {
    let mut ad = json!({"@type": "JobPosting", "title": title,
        "description": "Työtä tarjolla Lahdessa.", "hiringOrganization": {"name": "Tuonti Oy"}});
    if let Some(id) = id {
        ad["identifier"] = Value::from(id);
    }
    ad.to_string()
}

/// The same identifier twice in one file: the later line updates the vacancy the earlier one
/// made, in the database and in the index the import builds; lines with no identifier are
/// each their own vacancy.
#[tokio::test]
async fn an_identifier_twice_in_a_file_is_one_vacancy_that_the_later_line_updates() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let (db, index) = (app.database_url(), app.index_dir());
    let dir = app.stop().await;
    let path = dir.path().join("twice.jsonl");
    let lines = [
        tuonti_line(Some("a"), "Siivooja"),
        tuonti_line(Some("b"), "Myyjä"),
        tuonti_line(Some("a"), "Kiinteistönhoitaja"),
        tuonti_line(None, "Kokki"),
        tuonti_line(None, "Kokki"),
    ];
    std::fs::write(&path, lines.join("\n")).unwrap();
    assert_eq!(
        import_vacancies(&db, &index, &path),
        "imported 4, updated 1, rejected 0"
    );
    let app = spawn_app_in(dir).await;
    let all: Value = app
        .get("/api/v1/search?limit=10", &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["total"], 4, "{all}");
    let mut titles: Vec<&str> = all["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap())
        .collect();
    titles.sort();
    assert_eq!(titles, ["Kiinteistönhoitaja", "Kokki", "Kokki", "Myyjä"]);
    let list: Value = app
        .get("/api/v1/vacancies?limit=10", &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 4);
}

/// An identifier that comes again more than one insert's worth of lines later (the database
/// takes new lines a hundred at a time) updates the vacancy too, instead of failing the batch
/// on the unique identifier.
#[tokio::test]
async fn an_identifier_again_far_into_a_batch_updates_its_vacancy() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let (db, index) = (app.database_url(), app.index_dir());
    let dir = app.stop().await;
    let mut lines = vec![tuonti_line(Some("a"), "Siivooja")];
    lines.extend((0..150).map(|i| tuonti_line(Some(&format!("x{i}")), "Myyjä")));
    lines.push(tuonti_line(Some("a"), "Kiinteistönhoitaja"));
    let path = dir.path().join("again.jsonl");
    std::fs::write(&path, lines.join("\n")).unwrap();
    assert_eq!(
        import_vacancies(&db, &index, &path),
        "imported 151, updated 1, rejected 0"
    );
    let app = spawn_app_in(dir).await;
    for (path, total) in [
        ("/api/v1/search?q=kiinteist%C3%B6nhoitaja", 1),
        ("/api/v1/search?q=siivooja", 0),
        ("/api/v1/vacancies?limit=1", 151),
    ] {
        let found: Value = app.get(path, &coach).await.json().await.unwrap();
        assert_eq!(found["total"], total, "{path}: {found}");
    }
}

/// Two nodes import the same postings at once (each its own process and index, one database):
/// each posting is stored once, and both imports succeed (the later batch updates what the
/// earlier one inserted instead of failing on the identifier).
#[tokio::test]
async fn two_imports_of_the_same_postings_at_once_store_each_once() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let db = app.database_url();
    let dir = app.stop().await;
    // The same postings from two sources that name their employers differently (so the
    // imports do not already wait for each other on an employer's name).
    let feed = |source: &str| {
        let path = dir.path().join(format!("feed-{source}.jsonl"));
        let lines: Vec<String> = (0..400)
            .map(|i| {
                json!({"@type": "JobPosting", "identifier": format!("feed-{i}"), "title": "Siivooja",
                       "description": "Työtä tarjolla.",
                       "hiringOrganization": {"name": format!("Tuonti {source} {}", i % 7)}})
                .to_string()
            })
            .collect();
        std::fs::write(&path, lines.join("\n")).unwrap();
        path
    };
    let import = |source: &str| {
        tokio::process::Command::new(env!("CARGO_BIN_EXE_kohtaamo"))
            .args(["import", "vacancies", feed(source).to_str().unwrap()])
            .env("KOHTAAMO_DATABASE_URL", &db)
            .env(
                "KOHTAAMO_INDEX_DIR",
                dir.path().join(format!("index-{source}")),
            )
            .env_remove("KOHTAAMO_MODEL")
            .env("RUST_LOG", "warn")
            .output()
    };
    let (a, b) = tokio::join!(import("a"), import("b"));
    let mut summaries = Vec::new();
    for out in [a.unwrap(), b.unwrap()] {
        assert!(out.status.success(), "{}", stderr(&out));
        summaries.push(stdout(&out).lines().last().unwrap_or_default().to_string());
    }
    let imported: usize = summaries
        .iter()
        .map(|s| {
            s["imported ".len()..s.find(',').unwrap()]
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    assert_eq!(imported, 400, "{summaries:?}");
    let app = spawn_app_in(dir).await;
    let list: Value = app
        .get("/api/v1/vacancies?limit=1", &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 400, "{summaries:?}");
}

/// A compressed file that breaks off: the lines before the break go in (and into the index
/// the import builds), and the break is reported once, by line number.
#[tokio::test]
async fn a_file_that_breaks_off_keeps_the_lines_before_and_says_where() {
    use flate2::{write::GzEncoder, Compression};
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let (db, index) = (app.database_url(), app.index_dir());
    let dir = app.stop().await;
    let mut gz = GzEncoder::new(Vec::new(), Compression::default());
    for i in 0..3000 {
        let ad = json!({"@type": "JobPosting", "identifier": format!("g{i}"),
            "title": format!("Varastotyöntekijä {i}"),
            "description": format!("Keräilyä ja pakkaamista, vuoro {}.", i % 7),
            "hiringOrganization": {"name": format!("Varasto {} Oy", i % 9)}});
        writeln!(gz, "{ad}").unwrap();
    }
    let bytes = gz.finish().unwrap();
    let path = dir.path().join("broken.jsonl.gz");
    std::fs::write(&path, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let out = kohtaamo(
        &db,
        &index,
        &["import", "vacancies", path.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let summary = stdout(&out).lines().last().unwrap().to_string();
    let imported: u64 = summary
        .strip_prefix("imported ")
        .and_then(|s| s.split(',').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{summary}"));
    assert!((1000..3000).contains(&imported), "{summary}");
    assert!(summary.ends_with("updated 0, rejected 1"), "{summary}");
    let err = stderr(&out);
    assert_eq!(err.matches("cannot read").count(), 1, "{err}");
    assert!(
        err.contains(&format!("line {}: cannot read", imported + 1)),
        "{err}"
    );
    let app = spawn_app_in(dir).await;
    let all: Value = app.search(&coach, "").await;
    assert_eq!(all["total"].as_u64(), Some(imported), "{all}");
}

#[tokio::test]
async fn import_reads_standard_input() {
    let app = spawn_app().await;
    let line = json!({"identifier": "s1", "title": "Vartija", "description": "Kulunvalvontaa.", "hiringOrganization": {"name": "Turva Oy"}});
    let mut child = Command::new(env!("CARGO_BIN_EXE_kohtaamo"))
        .args(["import", "vacancies", "-"])
        .env("KOHTAAMO_DATABASE_URL", app.database_url())
        .env("KOHTAAMO_INDEX_DIR", app.index_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(line.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        stdout(&out).lines().last().unwrap(),
        "imported 1, updated 0, rejected 0"
    );
}

/// Converts the real Duunitori ads to JSON Lines of schema.org JobPosting.
pub fn duunitori_as_job_postings(data: &Path, out: &Path) -> usize {
    write_job_postings(duunitori_ads(data), out)
}

/// The 1,000 real Duunitori ads as JSON values.
pub fn duunitori_ads(data: &Path) -> Vec<Value> {
    use std::io::BufRead;
    let gz = std::fs::File::open(data.join("job_ads/duunitori_2022_1000.jsonl.gz")).unwrap();
    let reader = std::io::BufReader::new(flate2::read::GzDecoder::new(gz));
    reader
        .lines()
        .map(|line| serde_json::from_str(&line.unwrap()).unwrap())
        .collect()
}

/// The ads with their publication dates moved so that the newest was posted today (their ages
/// relative to each other kept), as a coach would meet them. Their deadlines are dropped: the
/// 2022 deadlines would close most of them, and the dev set's judges judged every ad as open.
pub fn duunitori_moved_to_today(data: &Path, out: &Path) -> usize {
    let parse = |v: &Value| {
        v.as_str().and_then(|s| {
            chrono::DateTime::parse_from_str(&format!("{s}:00"), "%Y-%m-%d %H:%M:%S%.f%:z").ok()
        })
    };
    let mut ads = duunitori_ads(data);
    let newest = ads
        .iter()
        .filter_map(|a| parse(&a["date_posted"]))
        .max()
        .unwrap();
    let shift = chrono::Utc::now().fixed_offset() - newest;
    for ad in &mut ads {
        if let Some(t) = parse(&ad["date_posted"]) {
            ad["date_posted"] = json!((t + shift).to_rfc3339());
        }
        ad["date_ends"] = Value::Null;
    }
    write_job_postings(ads, out)
}

fn write_job_postings(ads: Vec<Value>, out: &Path) -> usize {
    let mut file = std::fs::File::create(out).unwrap();
    let mut n = 0;
    for ad in ads {
        let posting = json!({
            "@context": "https://schema.org", "@type": "JobPosting",
            "identifier": ad["id"], "title": ad["heading"], "description": ad["descr"],
            "hiringOrganization": {"@type": "Organization", "name": ad["company_name"]},
            "jobLocation": {"@type": "Place", "address": {"@type": "PostalAddress", "addressLocality": ad["municipality_name"]}},
            "datePosted": ad["date_posted"], "validThrough": ad["date_ends"],
        });
        writeln!(file, "{posting}").unwrap();
        n += 1;
    }
    n
}

#[tokio::test]
async fn the_real_duunitori_ads_import_and_are_searchable() {
    let Some(data) = shared_data() else { return };
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let db = app.database_url();
    let index = app.index_dir();
    let dir = app.stop().await;
    let file = dir.path().join("duunitori.jsonl");
    // As a coach meets them: posted lately and open (their 2022 deadlines have passed).
    assert_eq!(duunitori_moved_to_today(&data, &file), 1000);

    assert_eq!(
        import_vacancies(&db, &index, &file),
        "imported 1000, updated 0, rejected 0"
    );

    let app = spawn_app_in(dir).await;
    let all: Value = app.search(&coach, "").await;
    assert_eq!(all["total"], 1000, "every imported ad is in the index");
    // Compounds in real ads: "Varastotyöntekijä", "Vastapainotrukinkuljettaja".
    let varasto = app.search(&coach, "varasto").await;
    let titles: Vec<String> = varasto["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_lowercase())
        .collect();
    assert!(
        titles.iter().any(|t| t.contains("varastotyöntekijä")),
        "{titles:?}"
    );
    let trukki = app.search(&coach, "trukki").await;
    let titles: Vec<String> = trukki["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_lowercase())
        .collect();
    assert!(
        titles.iter().any(|t| t.contains("trukinkuljettaja")),
        "{titles:?}"
    );
    // "00510 - Helsinki"-style localities were normalised; ads with no place stay searchable.
    let helsinki: Value = app
        .get("/api/v1/search?municipality=Helsinki&limit=1", &coach)
        .await
        .json()
        .await
        .unwrap();
    assert!(
        helsinki["total"].as_u64().unwrap() >= 233,
        "{}",
        helsinki["total"]
    );
    let store = kohtaamo::store::Store::open(&db).await.unwrap();
    let page = store.vacancies(None, None, 1000, 0).await.unwrap();
    let unknown = page
        .items
        .iter()
        .filter(|v| v.municipality.is_none())
        .count();
    assert!(
        unknown >= 93,
        "ads without a municipality are kept ({unknown})"
    );
}

/// One list of hits or matches, as far as it must not depend on how the index was built.
#[derive(Debug)]
struct ListView {
    name: String,
    total: Value,
    /// Scores, best first.
    scores: Vec<f64>,
    /// Every item, and those scoring clearly above the last (items that tie with the last
    /// one may come in another order from another segment layout).
    all: BTreeSet<String>,
    clear: BTreeSet<String>,
}

impl ListView {
    /// `tolerance`: how far scores may differ (match scores move with the clock between
    /// two reads; search scores only in their last bits, see [`SEARCH_TOLERANCE`]).
    fn of(name: &str, found: &Value, items: &str, tolerance: f64) -> ListView {
        let hits = found[items]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: {found}"));
        let id = |h: &Value| format!("{}:{}", h["kind"], h["id"]);
        let score = |h: &Value| h["score"].as_f64().unwrap();
        let last = hits.last().map(score).unwrap_or_default();
        ListView {
            name: name.to_string(),
            total: found["total"].clone(),
            scores: hits.iter().map(score).collect(),
            all: hits.iter().map(id).collect(),
            clear: hits
                .iter()
                .filter(|h| score(h) > last + tolerance)
                .map(id)
                .collect(),
        }
    }

    fn same_as(&self, other: &ListView, tolerance: f64) -> bool {
        self.name == other.name
            && self.total == other.total
            && self.scores.len() == other.scores.len()
            && self
                .scores
                .iter()
                .zip(&other.scores)
                .all(|(a, b)| (a - b).abs() <= tolerance)
            && self.clear.is_subset(&other.all)
            && other.clear.is_subset(&self.all)
    }
}

/// Tolerance of match scores between two reads a few seconds apart.
const MATCH_TOLERANCE: f64 = 0.001;
/// Tolerance of search scores between two indexes of the same postings: tantivy's Block-WAND
/// adds a document's term scores in the order of its posting lists' positions, which differs
/// with how segments were built, so the same score can differ in its last bit.
const SEARCH_TOLERANCE: f64 = 1e-4;

/// [`ListView`]s of a search for each query, and of the employer prospects matched for each
/// client.
async fn index_view(
    app: &TestApp,
    token: &str,
    queries: &[&str],
    clients: &[i64],
) -> Vec<(ListView, f64)> {
    let mut out = Vec::new();
    for q in queries {
        let found: Value = app
            .get(
                &format!("/api/v1/search?limit=20&q={}", urlencode(q)),
                token,
            )
            .await
            .json()
            .await
            .unwrap();
        out.push((
            ListView::of(q, &found, "hits", SEARCH_TOLERANCE),
            SEARCH_TOLERANCE,
        ));
    }
    for id in clients {
        let found: Value = app
            .get(
                &format!("/api/v1/clients/{id}/matches?kind=employer"),
                token,
            )
            .await
            .json()
            .await
            .unwrap();
        let name = format!("client {id}");
        out.push((
            ListView::of(&name, &found, "matches", MATCH_TOLERANCE),
            MATCH_TOLERANCE,
        ));
    }
    out
}

fn urlencode(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The import indexes each batch as it stores it, without reading it back. What it builds must
/// be what a rebuild from the database builds: the same postings and employer prospects with
/// the same scores. A second import that updates lines replaces their documents.
#[tokio::test]
async fn an_import_indexes_what_a_rebuild_from_the_database_would() {
    let Some(data) = shared_data() else { return };
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let db = app.database_url();
    let index = app.index_dir();
    let dir = app.stop().await;
    let file = dir.path().join("duunitori.jsonl");
    assert_eq!(duunitori_moved_to_today(&data, &file), 1000);
    assert_eq!(
        import_vacancies(&db, &index, &file),
        "imported 1000, updated 0, rejected 0"
    );
    let queries = [
        "varasto",
        "varastotyöntekijä",
        "trukki",
        "siivooja",
        "myyjä",
        "lähihoitaja",
        "asiakaspalvelu",
        "kokki",
        "ohjelmistokehittäjä",
        "helsinki",
    ];
    let app = spawn_app_in(dir).await;
    let mut clients = Vec::new();
    for wish in ["varastotyö", "siivous", "myyjä kauppaan", "keittiötyö"] {
        let r = app
            .post(
                "/api/v1/clients",
                &coach,
                &json!({"display_name": wish, "home_municipality": "Helsinki",
                        "preferences": {"desired_work": wish}}),
            )
            .await;
        assert_eq!(r.status(), 201);
        clients.push(r.json::<Value>().await.unwrap()["id"].as_i64().unwrap());
    }
    let imported = index_view(&app, &coach, &queries, &clients).await;
    let dir = app.stop().await;
    let out = kohtaamo(&db, &index, &["reindex"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let app = spawn_app_in(dir).await;
    let rebuilt = index_view(&app, &coach, &queries, &clients).await;
    assert!(
        imported.iter().filter(|(v, _)| !v.all.is_empty()).count() >= 12,
        "{imported:?}"
    );
    assert!(
        imported
            .iter()
            .filter(|(v, _)| v.name.starts_with("client") && !v.clear.is_empty())
            .count()
            >= 2,
        "prospects to compare: {imported:?}"
    );
    assert_eq!(imported.len(), rebuilt.len());
    for ((a, tolerance), (b, _)) in imported.iter().zip(&rebuilt) {
        assert!(a.same_as(b, *tolerance), "{a:?}\n{b:?}");
    }
    let dir = app.stop().await;

    // The same ads again, the first ten under a new title: updated, not added.
    let text = std::fs::read_to_string(&file).unwrap();
    let mut changed = String::new();
    for (i, line) in text.lines().take(300).enumerate() {
        let mut ad: Value = serde_json::from_str(line).unwrap();
        if i < 10 {
            ad["title"] = Value::from(format!("Kuorma-autonkuljettaja Zyxwv{i}"));
        }
        changed.push_str(&ad.to_string());
        changed.push('\n');
    }
    let again = dir.path().join("again.jsonl");
    std::fs::write(&again, changed).unwrap();
    assert_eq!(
        import_vacancies(&db, &index, &again),
        "imported 0, updated 300, rejected 0"
    );
    let app = spawn_app_in(dir).await;
    let all: Value = app.search(&coach, "").await;
    assert_eq!(all["total"], 1000, "an updated ad is not indexed twice");
    for i in 0..10 {
        let found = app.search(&coach, &format!("zyxwv{i}")).await;
        assert_eq!(found["total"], 1, "{found}");
        assert_eq!(
            found["hits"][0]["title"],
            format!("Kuorma-autonkuljettaja Zyxwv{i}")
        );
    }
}

#[tokio::test]
async fn municipalities_import_with_coordinates_and_bad_rows_by_line() {
    let dir = test_dir();
    let db = database_url_for(dir.path());
    let index = dir.path().join("index");
    let csv = dir.path().join("m.csv");
    std::fs::write(
        &csv,
        "kunta_code,kunta_name,maakunta_code,maakunta_name_geonames_en,seutukunta_code,seutukunta_name,lat,lon,n_postcodes,n_points_used\n\
         398,Lahti,07,Päijät-Häme,071,Lahti,60.98,25.66,20,20\n\
         999,Nowhere,01,X,011,X,north,25.0,1,1\n\
         091,Helsinki,01,Uusimaa,011,Helsinki,60.19,24.94,90,90\n",
    )
    .unwrap();
    let out = kohtaamo(
        &db,
        &index,
        &["import", "municipalities", csv.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out).lines().last().unwrap(),
        "imported 2, rejected 1"
    );
    assert!(stderr(&out).contains("line 3: lat 'north' is not a number"));
    let store = kohtaamo::store::Store::open(&db).await.unwrap();
    let lahti = store
        .municipality("LAHTI")
        .await
        .unwrap()
        .expect("Lahti imported");
    assert_eq!(lahti.code, "398");
    assert!((lahti.lat - 60.98).abs() < 1e-9);

    if let Some(data) = shared_data() {
        let real = data.join("geo/fi_municipalities_geonames_derived.csv");
        let out = kohtaamo(
            &db,
            &index,
            &["import", "municipalities", real.to_str().unwrap()],
        );
        assert_eq!(
            stdout(&out).lines().last().unwrap(),
            "imported 311, rejected 0"
        );
    }
}

/// The token printed for demo user `name` by `serve --demo`.
fn demo_token(printed: &str, name: &str) -> String {
    printed
        .lines()
        .map(str::split_whitespace)
        .filter_map(|mut words| {
            let (_, user, token) = (words.next()?, words.next()?, words.next()?);
            (user == name && token.starts_with("kht_")).then(|| token.to_string())
        })
        .next()
        .unwrap_or_else(|| panic!("no token for {name} in {printed}"))
}

#[tokio::test]
async fn serve_demo_seeds_a_year_of_work_that_the_funnel_and_the_caseload_show() {
    use tokio::io::{AsyncBufReadExt, BufReader};

    let dir = test_dir();
    let db = database_url_for(dir.path());
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_kohtaamo"))
        .args(["serve", "--demo", "--bind", "127.0.0.1:0"])
        .env("KOHTAAMO_DATABASE_URL", &db)
        .env("KOHTAAMO_INDEX_DIR", dir.path().join("index"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("kohtaamo starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = String::new();
    let address = tokio::time::timeout(std::time::Duration::from_secs(120), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            printed.push_str(&line);
            printed.push('\n');
            if let Some(rest) = line.strip_prefix("kohtaamo listening on ") {
                return rest.split_whitespace().next().unwrap().to_string();
            }
        }
        panic!("serve --demo ended without listening: {printed}");
    })
    .await
    .expect("the demo is seeded and served within two minutes");
    let coordinator = demo_token(&printed, "demo-coordinator");
    let aino = demo_token(&printed, "demo-coach-aino");
    let http = reqwest::Client::new();
    let get = |path: &str, token: &str| {
        http.get(format!("{address}{path}"))
            .bearer_auth(token)
            .send()
    };

    let funnel: Value = get("/api/v1/funnel", &coordinator)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let fidelity = get("/api/v1/fidelity", &coordinator).await.unwrap();
    let caseload: Value = get("/api/v1/caseload", &aino)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();

    assert!(funnel["clients"].as_u64().unwrap() >= 60, "{funnel}");
    let by_coach = funnel["by_coach"].as_array().unwrap();
    assert_eq!(by_coach.len(), 2, "two coaches");
    assert!(by_coach
        .iter()
        .all(|c| c["clients"].as_u64().unwrap() >= 24));
    let reached: Vec<&str> = funnel["stages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["clients"].as_u64().unwrap() > 0)
        .map(|s| s["stage"].as_str().unwrap())
        .collect();
    for stage in [
        "job_search",
        "employed",
        "in_work_support",
        "job_ended",
        "closed",
    ] {
        assert!(
            reached.contains(&stage),
            "someone is now at {stage}: {reached:?}"
        );
    }
    let placements: Vec<&str> = funnel["employed_by_placement"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["clients"].as_u64().unwrap() > 0)
        .map(|p| p["placement"].as_str().unwrap())
        .collect();
    assert!(placements.len() >= 4, "{placements:?}");
    for placement in ["competitive", "wage_subsidised", "work_trial"] {
        assert!(placements.contains(&placement), "{placements:?}");
    }
    let path = &funnel["placement_path"];
    assert!(path["work_trial"].as_u64().unwrap() > 0, "{path}");
    assert!(path["then_wage_subsidised"].as_u64().unwrap() > 0, "{path}");
    assert!(path["then_competitive"].as_u64().unwrap() > 0, "{path}");
    assert_eq!(fidelity.status(), 200);
    let items = caseload.to_string();
    assert!(
        items.contains("first_contact_overdue") || items.contains("job_ended"),
        "{items}"
    );
}

#[tokio::test]
async fn models_activate_checks_what_it_activates_and_list_shows_the_active_one() {
    let dir = test_dir();
    let db = database_url_for(dir.path());
    let index = dir.path().join("index");
    let run = |args: &[&str]| kohtaamo(&db, &index, args);
    let out = run(&["models", "activate", "nope"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("no model of version nope is stored"),
        "{}",
        stderr(&out)
    );

    let mut model: Value = serde_json::from_str(kohtaamo::rank::DEFAULT_MODEL_JSON).unwrap();
    model["version"] = json!("cli-1");
    let file = dir.path().join("ranker-cli-1.json");
    std::fs::write(&file, model.to_string()).unwrap();
    let path = file.to_str().unwrap();
    // A model of another build's features is refused before anything is stored.
    let mut foreign = model.clone();
    foreign["features"][0] = json!("no_such_feature");
    let foreign_file = dir.path().join("ranker-foreign.json");
    std::fs::write(&foreign_file, foreign.to_string()).unwrap();
    let out = run(&[
        "models",
        "activate",
        "--file",
        foreign_file.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("is not a kohtaamo ranker"),
        "{}",
        stderr(&out)
    );

    let out = run(&["models", "activate", "--file", path]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The same file again activates the stored copy; another model under its version is
    // refused.
    let out = run(&["models", "activate", "--file", path]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("stored before"));
    model["intercept"] = json!(-3.0);
    std::fs::write(&file, model.to_string()).unwrap();
    let out = run(&["models", "activate", "--file", path]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("another model of version cli-1 is stored already"),
        "{}",
        stderr(&out)
    );

    let listed = |out: Output| -> Vec<String> {
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.starts_with('*'))
            .map(String::from)
            .collect()
    };
    let active = listed(run(&["models", "list"]));
    assert_eq!(active.len(), 1, "{active:?}");
    assert!(active[0].contains("cli-1"), "{active:?}");
    assert!(run(&["models", "activate", "--default"]).status.success());
    let active = listed(run(&["models", "list"]));
    assert_eq!(active.len(), 1, "{active:?}");
    assert!(active[0].contains("default"), "{active:?}");
    assert!(run(&["models", "activate", "cli-1"]).status.success());
    let active = listed(run(&["models", "list"]));
    assert!(active[0].contains("cli-1"), "{active:?}");
}

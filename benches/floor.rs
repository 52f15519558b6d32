//! The floor under kohtaamo's search: raw tantivy on the shared performance corpus and its 300
//! queries (`../shared/perf`), next to the service's own search path on the same corpus, so
//! every search figure can also be read as "× the floor".
//!
//! - **floor**: one field (title and description) with tantivy's own Finnish stemmer, every
//!   query word required, `TopDocs` top 20 by BM25; no snippets, no total, no filters.
//! - **service**: `SearchIndex::search` with `limit` 20, as `GET /api/v1/search` runs it
//!   (analysis, filters, the count, stored fields, and snippets cut from the hits'
//!   descriptions read from the database), without HTTP.
//!
//! CPU per query is the process's CPU time (`/proc/self/stat`) over the whole timed loop
//! divided by the queries run, never a timer inside. Both run on one thread, one query at a
//! time, the 300 queries in order, round after round.
//!
//! Input: the corpus file made by `../shared/perf/make_corpus.py` (never committed), named by
//! `KOHTAAMO_PERF_CORPUS` (default `/tmp/perf/corpus-100000-s1.jsonl`):
//!
//! ```sh
//! python3 ../shared/perf/make_corpus.py --n 100000 --out /tmp/perf/corpus-100000-s1.jsonl
//! cargo bench --bench floor
//! ```
//!
//! Both indexes are built once into `target/bench-data/` (the build is timed and printed as
//! the ingest floor and the service's file → searchable) and reused by later runs.
//! `KOHTAAMO_BENCH_SECS` sets the timed seconds per side (default 20);
//! `KOHTAAMO_BENCH_QUERIES` (comma-separated) runs only the queries it names.
//! `KOHTAAMO_BENCH_ROUNDS=N` runs each side for exactly one round of the queries to warm up
//! and then `N` timed rounds, whatever the time: the same work in every run, for counting
//! instructions under `valgrind --tool=callgrind`, where time means nothing.
//!
//! With `KOHTAAMO_BENCH_POSTGRES=postgres://USER@HOST:PORT` the service side runs on
//! PostgreSQL: the corpus is imported once into a fresh database of that server
//! (`kohtaamo_floor_<corpus>_v<schema>`, timed the same way) with an index of its own, and its CPU
//! per query adds the CPU of every `postgres` process of this machine over the timed loop (the
//! snippets read the hits' descriptions from the database), so the server must be local and
//! otherwise idle.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions, STORED};
use tantivy::tokenizer::{Language, LowerCaser, SimpleTokenizer, Stemmer, TextAnalyzer};
use tantivy::{doc, Index, Term};

mod common;

use kohtaamo::search::{SearchIndex, SearchRequest, SCHEMA_VERSION};
use kohtaamo::store::Store;

/// The allocator `kohtaamo` runs with (`src/main.rs`), for both sides.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const TOP: usize = 20;

fn main() {
    let corpus = std::env::var("KOHTAAMO_PERF_CORPUS")
        .unwrap_or_else(|_| "/tmp/perf/corpus-100000-s1.jsonl".into());
    let corpus = PathBuf::from(corpus);
    if !corpus.exists() {
        eprintln!(
            "floor: no corpus at {}; make it with\n  python3 ../shared/perf/make_corpus.py --n 100000 --out {}",
            corpus.display(),
            corpus.display()
        );
        std::process::exit(1);
    }
    let queries = queries();
    let secs: u64 = std::env::var("KOHTAAMO_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let length = match std::env::var("KOHTAAMO_BENCH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        Some(rounds) => Length::Rounds(rounds),
        None => Length::Secs(secs),
    };
    let stem = corpus
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");

    // The floor.
    let floor_dir = data.join(format!("floor-{stem}"));
    let (index, field) = floor_index(&floor_dir, &corpus);
    let reader = index.reader().expect("reader");
    let searcher = reader.searcher();
    let mut analyzer = analyzer();
    let floor_queries: Vec<Box<dyn Query>> = queries
        .iter()
        .map(|q| {
            let mut terms = Vec::new();
            let mut stream = analyzer.token_stream(q);
            while let Some(t) = stream.next() {
                terms.push((
                    Occur::Must,
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, &t.text),
                        IndexRecordOption::WithFreqs,
                    )) as Box<dyn Query>,
                ));
            }
            Box::new(BooleanQuery::new(terms)) as Box<dyn Query>
        })
        .collect();
    println!(
        "corpus {} ({} postings), {} queries, {secs} s per side, 1 thread",
        corpus.display(),
        searcher.num_docs(),
        queries.len()
    );
    let floor = run(length, floor_queries.len(), no_other_cpu, |i| {
        searcher
            .search(
                floor_queries[i].as_ref(),
                &TopDocs::with_limit(TOP).order_by_score(),
            )
            .expect("floor search")
            .len()
    });
    floor.print("floor");
    floor.breakdown("floor", &queries);

    // The service's path, on SQLite or on PostgreSQL.
    let postgres = common::postgres_server();
    // On PostgreSQL: the server and the database of this corpus there.
    let database = postgres.as_deref().map(|server| {
        let name = format!(
            "kohtaamo_floor_{}_v{SCHEMA_VERSION}",
            stem.replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        );
        (server, name)
    });
    let (service_dir, url) = match &database {
        None => {
            let dir = data.join(format!("service-{stem}-v{SCHEMA_VERSION}"));
            let url = common::url(&dir);
            (dir, url)
        }
        Some((server, name)) => (
            data.join(format!("service-{stem}-v{SCHEMA_VERSION}-postgres")),
            format!("{server}/{name}"),
        ),
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let fresh = database
        .as_ref()
        .map(|(server, name)| (*server, name.as_str()));
    let search = service_index(&rt, &service_dir, &url, fresh, &corpus);
    print_index_usage(&search.searcher());
    let other_cpu = if database.is_some() {
        print_postgres_usage(&rt, &url);
        postgres_cpu
    } else {
        print_database_usage(&service_dir.join("bench.db"));
        no_other_cpu
    };
    let service = run(length, queries.len(), other_cpu, |i| {
        rt.block_on(search.search(SearchRequest {
            q: queries[i].clone(),
            limit: TOP,
            ..Default::default()
        }))
        .expect("service search")
        .hits
        .len()
    });
    service.print("service");
    service.breakdown("service", &queries);
    println!(
        "service / floor: CPU per query {:.1}×, p50 {:.1}×, p99 {:.1}×",
        service.cpu_per_query.as_secs_f64() / floor.cpu_per_query.as_secs_f64(),
        service.p50.as_secs_f64() / floor.p50.as_secs_f64(),
        service.p99.as_secs_f64() / floor.p99.as_secs_f64(),
    );
}

/// The 300 queries, or only those `KOHTAAMO_BENCH_QUERIES` names (comma-separated), to profile
/// a few slow ones.
fn queries() -> Vec<String> {
    let only = std::env::var("KOHTAAMO_BENCH_QUERIES").ok();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/perf/queries.txt");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let queries: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter(|l| {
            only.as_deref()
                .is_none_or(|only| only.split(',').any(|o| o.trim() == *l))
        })
        .map(str::to_string)
        .collect();
    assert!(
        !queries.is_empty(),
        "no query of {} is named by KOHTAAMO_BENCH_QUERIES={only:?}",
        path.display()
    );
    queries
}

fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(LowerCaser)
        .filter(Stemmer::new(Language::Finnish))
        .build()
}

/// Title and description of each JobPosting line.
fn postings(corpus: &Path) -> impl Iterator<Item = (String, String)> {
    let file = std::fs::File::open(corpus).expect("corpus");
    std::io::BufReader::new(file).lines().filter_map(|line| {
        let v: serde_json::Value = serde_json::from_str(&line.ok()?).ok()?;
        Some((
            v.get("title")?.as_str()?.to_string(),
            v.get("description")?.as_str()?.to_string(),
        ))
    })
}

fn floor_index(dir: &Path, corpus: &Path) -> (Index, tantivy::schema::Field) {
    let mut b = Schema::builder();
    let field = b.add_text_field(
        "text",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("fi")
                .set_index_option(IndexRecordOption::WithFreqs),
        ),
    );
    let title = b.add_text_field("title", STORED);
    let schema = b.build();
    let ready = dir.join("ready");
    let index = if ready.exists() {
        Index::open_in_dir(dir).expect("floor index")
    } else {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).expect("floor dir");
        let index = Index::create_in_dir(dir, schema).expect("floor index");
        index.tokenizers().register("fi", analyzer());
        let start = Instant::now();
        let mut writer: tantivy::IndexWriter = index.writer(256 * 1024 * 1024).expect("writer");
        let mut n = 0u64;
        for (t, d) in postings(corpus) {
            writer
                .add_document(doc!(field => format!("{t}\n{d}"), title => t))
                .expect("add");
            n += 1;
        }
        writer.commit().expect("commit");
        writer.wait_merging_threads().expect("merge");
        let took = start.elapsed();
        println!(
            "floor ingest: {n} postings in {:.1} s ({:.0}/s), index {}",
            took.as_secs_f64(),
            n as f64 / took.as_secs_f64(),
            size(dir)
        );
        std::fs::write(&ready, "").expect("marker");
        index
    };
    index.tokenizers().register("fi", analyzer());
    (index, field)
}

/// The service's index in `dir` on the database at `url`, built once by importing the corpus:
/// a SQLite file in `dir`, or the PostgreSQL database `postgres` names (server, database),
/// made empty first.
fn service_index(
    rt: &tokio::runtime::Runtime,
    dir: &Path,
    url: &str,
    postgres: Option<(&str, &str)>,
    corpus: &Path,
) -> SearchIndex {
    let ready = dir.join("ready");
    rt.block_on(async {
        // The marker names the database the import went to.
        if std::fs::read_to_string(&ready).ok().as_deref() != Some(url) {
            let _ = std::fs::remove_dir_all(dir);
            std::fs::create_dir_all(dir).expect("service dir");
            if let Some((server, name)) = postgres {
                common::fresh_postgres_database(server, name).await;
            }
            let start = Instant::now();
            let store = Store::open(url).await.expect("store");
            let (reader, _) = kohtaamo::import::open_input(&corpus.to_string_lossy()).expect("open");
            // As `kohtaamo import vacancies` runs it: indexing as it goes.
            let (_, mut indexer) =
                SearchIndex::open(&dir.join("index"), store.clone()).expect("index");
            let report =
                kohtaamo::import::import_vacancies_into(&store, reader, |_| {}, Some(&mut indexer))
                    .await
                    .expect("import");
            indexer.close().await;
            store.close().await;
            let took = start.elapsed();
            println!(
                "service file → searchable: {} postings in {:.1} s ({:.0}/s), index {}, database {}",
                report.imported,
                took.as_secs_f64(),
                report.imported as f64 / took.as_secs_f64(),
                size(&dir.join("index")),
                match postgres {
                    None => size(&dir.join("bench.db")),
                    Some(_) => "below".into(),
                },
            );
            std::fs::write(&ready, url).expect("marker");
        }
        let store = Store::open(url).await.expect("store");
        let (search, indexer) = SearchIndex::open(&dir.join("index"), store).expect("index");
        // Searches only: the writer is released, the reader stays.
        indexer.close().await;
        search
    })
}

/// Where the index's bytes go: by component, then the ten largest fields of each.
fn print_index_usage(searcher: &tantivy::Searcher) {
    let usage = searcher.space_usage().expect("space usage");
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    let mut by: std::collections::BTreeMap<(&str, String), u64> = Default::default();
    let mut store = 0u64;
    for s in usage.segments() {
        for (component, fields) in [
            ("termdict", s.termdict()),
            ("postings", s.postings()),
            ("positions", s.positions()),
            ("fast", s.fast_fields()),
            ("fieldnorms", s.fieldnorms()),
        ] {
            for f in fields.fields() {
                *by.entry((component, f.field_name().to_string()))
                    .or_default() += f.total().get_bytes();
            }
        }
        store += s.store().total().get_bytes();
    }
    println!(
        "index {:.1} MiB: stored documents {:.1} MiB",
        mib(usage.total().get_bytes()),
        mib(store)
    );
    let mut rows: Vec<_> = by.into_iter().collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.1));
    for ((component, field), bytes) in rows.iter().take(16) {
        println!("  {component:<10} {field:<20} {:>8.1} MiB", mib(*bytes));
    }
}

/// Where the database's bytes go, by table and index (SQLite's `dbstat`, when the library has
/// it).
fn print_database_usage(db: &Path) {
    let out = std::process::Command::new("sqlite3")
        .arg(db)
        .arg("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 12")
        .output();
    match out {
        Ok(o) if o.status.success() => {
            println!("database by table and index:");
            for line in String::from_utf8_lossy(&o.stdout).lines() {
                if let Some((name, bytes)) = line.split_once('|') {
                    let bytes: f64 = bytes.parse().unwrap_or(0.0);
                    println!("  {name:<32} {:>8.1} MiB", bytes / (1024.0 * 1024.0));
                }
            }
        }
        _ => println!("database by table: no sqlite3 with dbstat here"),
    }
}

/// Where the PostgreSQL database's bytes go: in all, then by table and index.
fn print_postgres_usage(rt: &tokio::runtime::Runtime, url: &str) {
    use sqlx::Connection;
    rt.block_on(async {
        let mut db = sqlx::PgConnection::connect(url).await.expect("PostgreSQL");
        let mib = |b: i64| b as f64 / (1024.0 * 1024.0);
        let total: i64 = sqlx::query_scalar("SELECT pg_database_size(current_database())")
            .fetch_one(&mut db)
            .await
            .expect("database size");
        println!("database {:.1} MiB, by table and index:", mib(total));
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT c.relname::text, pg_relation_size(c.oid) FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') \
             ORDER BY 2 DESC LIMIT 12",
        )
        .fetch_all(&mut db)
        .await
        .expect("relation sizes");
        for (name, bytes) in rows {
            println!("  {name:<32} {:>8.1} MiB", mib(bytes));
        }
        // TOAST tables hold long descriptions out of line: counted per owning table.
        let toast: i64 = sqlx::query_scalar(
            "SELECT coalesce(sum(pg_total_relation_size(reltoastrelid)), 0)::bigint \
             FROM pg_class WHERE reltoastrelid <> 0 \
             AND relnamespace = 'public'::regnamespace",
        )
        .fetch_one(&mut db)
        .await
        .expect("toast size");
        println!(
            "  {:<32} {:>8.1} MiB",
            "(out-of-line TOAST, all tables)",
            mib(toast)
        );
        db.close().await.expect("close");
    });
}

struct Figures {
    queries: u64,
    cpu_per_query: Duration,
    /// The part of `cpu_per_query` spent by other processes (PostgreSQL's).
    other_cpu_per_query: Duration,
    p50: Duration,
    p99: Duration,
    hits: u64,
    /// Wall time summed per query of the set, and how many times each ran.
    per_query: Vec<Duration>,
    rounds: u32,
}

impl Figures {
    fn print(&self, side: &str) {
        let other = if self.other_cpu_per_query.is_zero() {
            String::new()
        } else {
            format!(
                " (of which PostgreSQL {:.3} ms)",
                self.other_cpu_per_query.as_secs_f64() * 1e3
            )
        };
        println!(
            "{side:>8}: {} queries, CPU per query {:.3} ms{other}, p50 {:.3} ms, p99 {:.3} ms, {:.1} hits per query",
            self.queries,
            self.cpu_per_query.as_secs_f64() * 1e3,
            self.p50.as_secs_f64() * 1e3,
            self.p99.as_secs_f64() * 1e3,
            self.hits as f64 / self.queries as f64,
        );
    }

    /// Mean time per query by the number of words, and the slowest queries: where the time
    /// goes, read per query.
    fn breakdown(&self, side: &str, queries: &[String]) {
        let rounds = self.rounds.max(1);
        let mean = |i: usize| self.per_query[i] / rounds;
        let mut by_words: std::collections::BTreeMap<usize, (Duration, u32)> = Default::default();
        for (i, q) in queries.iter().enumerate() {
            let e = by_words.entry(q.split_whitespace().count()).or_default();
            e.0 += mean(i);
            e.1 += 1;
        }
        for (words, (sum, n)) in by_words {
            let all: Duration = self.per_query.iter().sum();
            println!(
                "{side:>8}: {n} queries of {words} word(s): mean {:.3} ms, {:.0} % of the time",
                (sum / n).as_secs_f64() * 1e3,
                100.0 * (sum * rounds).as_secs_f64() / all.as_secs_f64(),
            );
        }
        let mut slow: Vec<usize> = (0..queries.len()).collect();
        slow.sort_by_key(|&i| std::cmp::Reverse(self.per_query[i]));
        let list: Vec<String> = slow
            .iter()
            .take(8)
            .map(|&i| format!("{} {:.2} ms", queries[i], mean(i).as_secs_f64() * 1e3))
            .collect();
        println!("{side:>8}: slowest: {}", list.join(", "));
    }
}

/// How long a side runs: whole rounds of the queries for at least this many seconds after a
/// 2-second warm-up, or this many rounds after one round of warm-up.
#[derive(Clone, Copy)]
enum Length {
    Secs(u64),
    Rounds(usize),
}

/// Runs query `i mod n` for `length`. The CPU counted is this process's and `other_cpu`'s
/// (the CPU time so far of other processes the queries use).
fn run(
    length: Length,
    n: usize,
    other_cpu: fn() -> Duration,
    mut query: impl FnMut(usize) -> usize,
) -> Figures {
    let warm = Instant::now();
    let mut i = 0;
    let warming = |i: usize| match length {
        Length::Secs(_) => warm.elapsed() < Duration::from_secs(2),
        Length::Rounds(_) => i < n,
    };
    while warming(i) {
        query(i % n);
        i += 1;
    }
    let cpu0 = process_cpu();
    let other0 = other_cpu();
    let start = Instant::now();
    let mut times = Vec::new();
    let mut per_query = vec![Duration::ZERO; n];
    let mut hits = 0u64;
    let mut i = 0;
    let more = |i: usize| match length {
        Length::Secs(secs) => start.elapsed() < Duration::from_secs(secs) || !i.is_multiple_of(n),
        Length::Rounds(rounds) => i < rounds * n,
    };
    while more(i) {
        let t = Instant::now();
        hits += query(i % n) as u64;
        let took = t.elapsed();
        times.push(took);
        per_query[i % n] += took;
        i += 1;
    }
    let other = other_cpu().saturating_sub(other0);
    let cpu = process_cpu() - cpu0 + other;
    times.sort();
    let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    Figures {
        queries: times.len() as u64,
        cpu_per_query: cpu / times.len() as u32,
        other_cpu_per_query: other / times.len() as u32,
        p50: pct(0.5),
        p99: pct(0.99),
        hits,
        per_query,
        rounds: (i / n) as u32,
    }
}

/// CPU time of this process so far (user and system, every thread).
fn process_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat");
    stat_cpu(&stat).expect("/proc/self/stat")
}

fn no_other_cpu() -> Duration {
    Duration::ZERO
}

/// CPU time so far of every process named `postgres` on this machine (the server and its
/// connection processes). A process that exits in between takes its time with it; the pool
/// keeps its connections open over the timed loop.
fn postgres_cpu() -> Duration {
    let mut sum = Duration::ZERO;
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        if !entry
            .file_name()
            .to_string_lossy()
            .bytes()
            .all(|b| b.is_ascii_digit())
        {
            continue;
        }
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else {
            continue;
        };
        if stat.contains("(postgres)") {
            sum += stat_cpu(&stat).unwrap_or_default();
        }
    }
    sum
}

/// User and system CPU time of a `/proc/PID/stat` line.
fn stat_cpu(stat: &str) -> Option<Duration> {
    // Fields after the command name (which may hold spaces) start at ") ".
    let rest = stat.get(stat.rfind(')')? + 2..)?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
    let ticks = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // The kernel's USER_HZ is 100 on every Linux this runs on.
    Some(Duration::from_millis(ticks * 10))
}

fn size(path: &Path) -> String {
    fn walk(p: &Path) -> u64 {
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => std::fs::read_dir(p)
                .map(|d| d.flatten().map(|e| walk(&e.path())).sum())
                .unwrap_or(0),
            Ok(m) => m.len(),
            Err(_) => 0,
        }
    }
    let mut bytes = walk(path);
    // SQLite's write-ahead log belongs to the database.
    if path.extension().is_some_and(|e| e == "db") {
        for side in ["-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(side);
            bytes += walk(Path::new(&p));
        }
    }
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

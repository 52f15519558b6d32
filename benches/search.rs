//! Search latency at 100,000 generated vacancies (target: interactive, p99 well under 50 ms on
//! a 2-core machine), and how soon a write through the API is searchable (contract: within
//! 1 second of its 201).
//!
//! - `search/engine/*`: `SearchIndex::search` alone, one query class per benchmark.
//! - `search/http`: the same queries end to end through `GET /api/v1/search` on a running
//!   service (1 worker), one at a time; p50 and p99 over every query are printed as well.
//! - `search/write_to_searchable`: `POST /api/v1/vacancies`, then search until it is found.
//!
//! The 100,000-vacancy database and index (seed 7, 5,000 employers) are built once into
//! `target/bench-data/` and reused by later runs; building is outside every timed part.

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use kohtaamo::domain::Role;
use kohtaamo::search::{SearchIndex, SearchKind, SearchRequest};
use kohtaamo::store::Store;

mod common;

use common::{percentile, prepare, url, vacancies};

const QUERIES: &[(&str, &[&str])] = &[
    (
        "word",
        &[
            "siivooja",
            "myyjä",
            "kokki",
            "vartija",
            "leipuri",
            "kuljettaja",
        ],
    ),
    (
        "inflected",
        &["siivoojaa", "varastossa", "myyjän", "kiinteistönhoitajaksi"],
    ),
    (
        "compound_part",
        &["varasto", "trukki", "työntekijä", "huolto", "puutarha"],
    ),
    (
        "phrase",
        &[
            "osa-aikainen siivooja aamuvuoroissa",
            "trukilla siirrot varasto",
            "keittiö tiskaus ilta",
            "asiakaspalvelu kassalla hyllytys",
        ],
    ),
    (
        "no_match_fallback",
        &["siivooja astronautti", "varasto sukellus"],
    ),
];

fn search(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let dir = prepare(&rt);

    // Engine only: the index, and the hits' descriptions read from the database for their
    // snippets; no HTTP.
    let (index, indexer) = rt.block_on(async {
        let store = Store::open(&url(&dir)).await.expect("store");
        SearchIndex::open(&dir.join("index"), store).expect("index")
    });
    // write_to_searchable adds a few postings per run to the shared data set.
    assert!(index.num_docs() as usize >= vacancies());
    let mut group = c.benchmark_group("search/engine");
    for (class, queries) in QUERIES {
        group.bench_with_input(BenchmarkId::from_parameter(class), queries, |b, queries| {
            let mut i = 0;
            b.iter(|| {
                let q = queries[i % queries.len()];
                i += 1;
                let req = SearchRequest {
                    q: q.into(),
                    limit: 20,
                    ..Default::default()
                };
                rt.block_on(index.search(req)).expect("search")
            })
        });
    }
    group.bench_function("filtered_municipality_and_kind", |b| {
        b.iter(|| {
            let req = SearchRequest {
                q: "siivooja".into(),
                kind: Some(SearchKind::Vacancy),
                municipality: Some("Lahti".into()),
                limit: 20,
                ..Default::default()
            };
            rt.block_on(index.search(req)).expect("search")
        })
    });
    group.finish();
    rt.block_on(indexer.close());
    drop(index);

    // End to end through HTTP, and write-to-searchable.
    let (server, token) = rt.block_on(async {
        let server = common::start(&dir).await;
        let store = Store::open(&url(&dir)).await.expect("store");
        let (_, token) = store
            .create_user("bench", Role::Coach, None)
            .await
            .expect("user");
        (server, token)
    });
    let base = server.base.clone();
    let client = reqwest::Client::new();
    let all: Vec<&str> = QUERIES
        .iter()
        .flat_map(|(_, q)| q.iter().copied())
        .collect();
    let get = |q: &str| {
        let req = client
            .get(format!("{base}/api/v1/search"))
            .query(&[("q", q), ("limit", "20")])
            .bearer_auth(&token);
        async move {
            let r = req.send().await.expect("request");
            assert!(r.status().is_success());
            r.bytes().await.expect("body")
        }
    };

    // p50/p99 over 50 rounds of every query, after a warm-up round.
    rt.block_on(async {
        for q in &all {
            get(q).await;
        }
        let mut times = Vec::new();
        for _ in 0..50 {
            for q in &all {
                let start = Instant::now();
                get(q).await;
                times.push(start.elapsed());
            }
        }
        times.sort();
        println!(
            "search/http over {} requests at {} vacancies: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            times.len(),
            vacancies(),
            percentile(&times, 0.50).as_secs_f64() * 1e3,
            percentile(&times, 0.99).as_secs_f64() * 1e3,
            times.last().expect("times").as_secs_f64() * 1e3
        );
    });

    let mut group = c.benchmark_group("search");
    group.bench_function("http", |b| {
        let mut i = 0;
        b.iter(|| {
            let q = all[i % all.len()];
            i += 1;
            rt.block_on(get(q))
        })
    });

    let employer: i64 = rt.block_on(async {
        let r = client
            .post(format!("{base}/api/v1/employers"))
            .bearer_auth(&token)
            .json(&serde_json::json!({"name": "Bench Oy"}))
            .send()
            .await
            .expect("employer");
        r.json::<serde_json::Value>().await.expect("json")["id"]
            .as_i64()
            .expect("id")
    });
    let mut n = 0u64;
    let mut worst = Duration::ZERO;
    group.sample_size(20);
    group.bench_function("write_to_searchable", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                n += 1;
                let word = format!("benchsana{n}");
                total += rt.block_on(async {
                    let start = Instant::now();
                    let r = client
                        .post(format!("{base}/api/v1/vacancies"))
                        .bearer_auth(&token)
                        .json(&serde_json::json!({"employer_id": employer, "title": word, "description": "Kuvaus.", "municipality": "Lahti"}))
                        .send()
                        .await
                        .expect("post");
                    assert_eq!(r.status(), 201);
                    loop {
                        let body = get(&word).await;
                        let v: serde_json::Value = serde_json::from_slice(&body).expect("json");
                        if v["total"] == 1 {
                            break;
                        }
                        tokio::time::sleep(Duration::from_millis(2)).await;
                    }
                    start.elapsed()
                });
            }
            worst = worst.max(total / iters.max(1) as u32);
            total
        })
    });
    group.finish();
    println!(
        "search/write_to_searchable: worst sample mean {:.1} ms",
        worst.as_secs_f64() * 1e3
    );

    rt.block_on(server.stop());
}

criterion_group!(benches, search);
criterion_main!(benches);

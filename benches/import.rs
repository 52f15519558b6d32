//! Import throughput: JSON Lines of schema.org JobPosting into the database and the index,
//! the way `kohtaamo import vacancies FILE` does it (parse, validate, upsert in batches and
//! index each batch as it is stored), measured in vacancies per second from the first line
//! read to the index committed.
//!
//! Data: 5,000 generated Finnish ads (seed 42, 500 employers, ~700 characters each), imported
//! into a fresh SQLite file and a fresh index on every iteration; generating the lines and
//! creating the directories is outside the timed part. `vacancies_with_taxonomy` first loads
//! the ESCO taxonomy from `../shared/data` (outside the timed part), so every ad's occupations
//! are also read. The Finnish analyser is Voikko when installed (`KOHTAAMO_ANALYSER=snowball`
//! measures the fallback).

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kohtaamo::search::SearchIndex;
use kohtaamo::store::Store;

const ADS: usize = 5_000;
const EMPLOYERS: usize = 500;

fn import(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let lines = kohtaamo::demo::job_postings(42, ADS, EMPLOYERS).join("\n");
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(40));
    group.throughput(Throughput::Elements(ADS as u64));
    let esco = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/esco/esco_v1.1.1_occupations_isco_fi_sv_en.csv");
    for (name, taxonomy) in [
        ("vacancies_db_and_index", false),
        ("vacancies_with_taxonomy", true),
    ] {
        if taxonomy && !esco.exists() {
            eprintln!("NOTICE: {} is missing; skipping {name}", esco.display());
            continue;
        }
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let dir = tempfile::tempdir().expect("temp dir");
                    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
                    total += rt.block_on(async {
                        let store = Store::open(&url).await.expect("store");
                        if taxonomy {
                            kohtaamo::import::import_occupations(&store, &esco)
                                .await
                                .expect("taxonomy");
                        }
                        let start = Instant::now();
                        let (search, mut indexer) =
                            SearchIndex::open(&dir.path().join("index"), store.clone())
                                .expect("index");
                        let report = kohtaamo::import::import_vacancies_into(
                            &store,
                            lines.as_bytes(),
                            |_| {},
                            Some(&mut indexer),
                        )
                        .await
                        .expect("import");
                        assert_eq!(report.imported as usize, ADS);
                        let elapsed = start.elapsed();
                        // Every ad, and every employer as a job-development prospect.
                        assert_eq!(search.num_docs() as usize, ADS + EMPLOYERS);
                        indexer.close().await;
                        store.close().await;
                        elapsed
                    });
                }
                total
            })
        });
    }
    group.finish();
}

criterion_group!(benches, import);
criterion_main!(benches);

//! `GET /api/v1/clients/{id}/matches` end to end at 100,000 vacancies and 5,000 employers
//! (target: p99 under 20 ms on a 2-core machine with the index warm).
//!
//! 60 clients with varied preferences (seeded): words, occupations, places, hours, things to
//! avoid, adjustments, and some with nothing at all. Municipality coordinates are imported from
//! `../shared/data/geo/` when it is there (commute distances); the default model ranks.
//! p50 and p99 over 20 rounds of every client are printed; criterion times one request.

mod common;

use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion};
use kohtaamo::domain::{ClientDraft, ClientInput, HoursRange, Preferences, Role};
use kohtaamo::store::Store;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use common::{percentile, prepare, vacancies};

const WISHES: &[(&str, &str)] = &[
    ("varastotyö aamuvuoroissa", "4321"),
    ("siivous", "9112"),
    ("keittiötyö tiskaus", "9412"),
    ("kaupan hyllytys ja kassa", "5223"),
    ("trukinkuljettaja", "8344"),
    ("pihatyöt ja lumityöt", "9613"),
    ("toimistoapulainen arkistointi", "4110"),
    ("leipomo", "7512"),
    ("", ""),
];
const PLACES: &[&str] = &[
    "Lahti", "Helsinki", "Tampere", "Oulu", "Kuopio", "Joensuu", "Espoo", "Vantaa",
];

fn matches(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let dir = prepare(&rt);
    let (database_url, index_dir) = common::backend(&rt, &dir);
    let settings = kohtaamo::startup::Settings {
        database_url,
        index_dir,
        ..common::settings(&dir)
    };
    eprintln!("on {}", settings.database_url);
    let (server, token, clients) = rt.block_on(async {
        let store = Store::open(&settings.database_url).await.expect("store");
        let geo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/data/geo/fi_municipalities_geonames_derived.csv");
        if geo.exists() {
            kohtaamo::import::import_municipalities(&store, &geo)
                .await
                .expect("municipalities");
        }
        let (coach, token) = store
            .create_user("bench-coach", Role::Coach, None)
            .await
            .expect("user");
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(99);
        let mut clients = Vec::new();
        for i in 0..60 {
            let (words, code) = WISHES[i % WISHES.len()];
            let home = *PLACES.choose(&mut rng).expect("places");
            let input = ClientInput {
                display_name: format!("Bench {i}"),
                home_municipality: home.into(),
                preferences: Preferences {
                    desired_work: (!words.is_empty()).then(|| words.into()),
                    occupations: if code.is_empty() {
                        vec![]
                    } else {
                        vec![code.into()]
                    },
                    municipalities: vec![(*PLACES.choose(&mut rng).expect("places")).into()],
                    max_commute_km: Some(rng.gen_range(10.0..60.0)),
                    hours_per_week: rng.gen_bool(0.6).then_some(HoursRange {
                        min: Some(10.0),
                        max: Some(30.0),
                    }),
                    avoid: rng.gen_bool(0.3).then(|| "yötyö".into()),
                    adjustments: if rng.gen_bool(0.3) {
                        vec!["kirjalliset ohjeet".into()]
                    } else {
                        vec![]
                    },
                    ..Default::default()
                },
                ..Default::default()
            };
            let draft =
                ClientDraft::parse(&input, chrono::Utc::now().date_naive()).expect("valid client");
            clients.push(
                store
                    .create_client(coach.id, &draft)
                    .await
                    .expect("client")
                    .id,
            );
        }
        // The matcher alone (no HTTP, no database), before the server takes the index.
        let loaded: Vec<kohtaamo::domain::Client> = {
            let mut v = Vec::new();
            for id in &clients {
                v.push(store.client_for_coach(*id, coach.id).await.expect("client"));
            }
            v
        };
        let (search, indexer) =
            kohtaamo::search::SearchIndex::open(&settings.index_dir, store.clone()).expect("index");
        let matcher = std::sync::Arc::new(kohtaamo::matching::Matcher::new(
            search,
            kohtaamo::matching::Geo::new(store.municipality_coordinates().await.expect("geo")),
            kohtaamo::matching::Taxonomy::new(store.occupations().await.expect("taxonomy")),
            kohtaamo::rank::RankerModel::default_model(),
        ));
        let req = kohtaamo::matching::MatchRequest {
            kind: None,
            limit: 20,
            lang: kohtaamo::matching::ReasonLang::Fi,
            now: chrono::Utc::now(),
        };
        let hires: kohtaamo::matching::Hires = Default::default();
        // As the service runs it: chosen on a blocking thread, the chosen postings'
        // descriptions read from the database, the reasons written.
        for c in &loaded {
            matcher
                .suggest(c.clone(), req.clone(), hires.clone())
                .await
                .expect("warm");
        }
        let mut times = Vec::new();
        for _ in 0..10 {
            for c in &loaded {
                let start = Instant::now();
                matcher
                    .suggest(c.clone(), req.clone(), hires.clone())
                    .await
                    .expect("suggest");
                times.push(start.elapsed());
            }
        }
        times.sort();
        println!(
            "matches/engine over {} calls: p50 {:.2} ms, p99 {:.2} ms",
            times.len(),
            percentile(&times, 0.50).as_secs_f64() * 1e3,
            percentile(&times, 0.99).as_secs_f64() * 1e3
        );
        drop(matcher);
        indexer.close().await;
        store.close().await;
        (common::start_with(&settings).await, token, clients)
    });
    let base = server.base.clone();
    let http = reqwest::Client::new();
    let get = |client: i64| {
        let req = http
            .get(format!("{base}/api/v1/clients/{client}/matches?limit=20"))
            .bearer_auth(&token);
        async move {
            let r = req.send().await.expect("request");
            assert!(r.status().is_success(), "{}", r.status());
            r.bytes().await.expect("body")
        }
    };
    rt.block_on(async {
        for id in &clients {
            get(*id).await;
        }
        let mut times = Vec::new();
        for _ in 0..20 {
            for id in &clients {
                let start = Instant::now();
                get(*id).await;
                times.push(start.elapsed());
            }
        }
        times.sort();
        println!(
            "matches/http over {} requests at {} vacancies + 5000 employers: p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            times.len(),
            vacancies(),
            percentile(&times, 0.50).as_secs_f64() * 1e3,
            percentile(&times, 0.99).as_secs_f64() * 1e3,
            times.last().expect("times").as_secs_f64() * 1e3
        );
    });
    let mut i = 0;
    c.bench_function("matches/http", |b| {
        b.iter(|| {
            let id = clients[i % clients.len()];
            i += 1;
            rt.block_on(get(id))
        })
    });
    rt.block_on(server.stop());
}

criterion_group!(benches, matches);
criterion_main!(benches);

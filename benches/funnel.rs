//! Funnel and fidelity queries at county scale.
//!
//! Measures what `GET /api/v1/funnel` and `GET /api/v1/fidelity` do minus HTTP: load the
//! effective events from SQLite (`Store::funnel_data`) and compute the report
//! (`funnel::funnel` / `funnel::fidelity`), for everyone over two years and for one coach.
//! Data: 50,000 clients of 2,500 coaches, 1,000,000 client events, 200,000 employer contacts,
//! generated with a fixed seed and bulk-inserted once, outside the timed loop.
//! Target: under 200 ms per query on the 2-core build machine. Measured cold (rows read from
//! SQLite every time), warm (rows reused while the database is unchanged) and after a start
//! (a new store: the rows kept in the database, then what changed since).
//! `KOHTAAMO_BENCH_POSTGRES=postgres://USER@HOST:PORT` runs it on PostgreSQL: the seeded SQLite
//! database is copied into `kohtaamo_bench_funnel` there (`kohtaamo migrate --from`'s copy).

mod common;

use std::time::Instant;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use kohtaamo::domain::{format_timestamp, Role};
use kohtaamo::funnel::{self, Period};
use kohtaamo::store::Store;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::{QueryBuilder, Sqlite};

const CLIENTS: usize = 50_000;
const COACHES: usize = 2_500;
const EVENTS: usize = 1_000_000;
const CONTACTS: usize = 200_000;
const VACANCIES: usize = 2_000;
const EMPLOYERS: usize = 500;
const DAY: i64 = 86_400;

type EventRow = (
    i64,
    i64,
    &'static str,
    String,
    Option<i64>,
    Option<&'static str>,
    Option<f64>,
    Option<bool>,
);

fn stamp(t: i64) -> String {
    format_timestamp(chrono::DateTime::from_timestamp(t, 0).expect("time"))
}

/// One client's history, following the stage rules, `n` events long.
fn history(rng: &mut ChaCha8Rng, client: i64, intake: i64, n: usize, out: &mut Vec<EventRow>) {
    let mut t = intake + 9 * 3600;
    let mut employed = false;
    out.push((client, 0, "engaged", stamp(t), None, None, None, None));
    for _ in 1..n {
        t += rng.gen_range(1..12) * DAY;
        let roll: f64 = rng.gen();
        let row = if employed {
            if roll < 0.6 {
                (
                    client,
                    0,
                    "in_work_support",
                    stamp(t),
                    None,
                    None,
                    None,
                    None,
                )
            } else if roll < 0.8 {
                employed = false;
                (client, 0, "job_ended", stamp(t), None, None, None, None)
            } else {
                (
                    client,
                    0,
                    "benefits_counselling",
                    stamp(t),
                    None,
                    None,
                    None,
                    None,
                )
            }
        } else if roll < 0.15 {
            (client, 0, "job_search", stamp(t), None, None, None, None)
        } else if roll < 0.45 {
            let vacancy = rng.gen_range(1..=VACANCIES as i64);
            let kind = if rng.gen_bool(0.5) {
                "match_interested"
            } else {
                "match_declined"
            };
            (client, 0, kind, stamp(t), Some(vacancy), None, None, None)
        } else if roll < 0.7 {
            (
                client,
                0,
                "employer_contact",
                stamp(t),
                None,
                None,
                None,
                Some(rng.gen_bool(0.6)),
            )
        } else if roll < 0.85 {
            (client, 0, "interview", stamp(t), None, None, None, None)
        } else if roll < 0.9 {
            (client, 0, "profiling", stamp(t), None, None, None, None)
        } else {
            employed = true;
            let kind = [
                "competitive",
                "competitive",
                "competitive",
                "wage_subsidised",
                "work_trial",
            ][rng.gen_range(0..5)];
            let vacancy = rng.gen_range(1..=VACANCIES as i64);
            let hours = [10.0, 20.0, 25.0, 30.0, 37.5][rng.gen_range(0..5)];
            (
                client,
                0,
                "employed",
                stamp(t),
                Some(vacancy),
                Some(kind),
                Some(hours),
                None,
            )
        };
        out.push(row);
    }
}

async fn seed(url: &str) -> (Store, Vec<i64>) {
    let store = Store::open(url).await.expect("store");
    let mut coaches = Vec::with_capacity(COACHES);
    for i in 0..COACHES {
        let (user, _) = store
            .create_user(&format!("coach {i}"), Role::Coach, None)
            .await
            .expect("coach");
        coaches.push(user.id);
    }
    let pool = sqlx::SqlitePool::connect(url).await.expect("pool");
    let mut rng = ChaCha8Rng::seed_from_u64(50_000);
    let mut tx = pool.begin().await.expect("tx");
    let now = stamp(chrono::Utc::now().timestamp());
    for chunk in (0..EMPLOYERS).collect::<Vec<_>>().chunks(500) {
        let mut q: QueryBuilder<Sqlite> =
            QueryBuilder::new("INSERT INTO employers (name, created_at, updated_at) ");
        q.push_values(chunk, |mut b, i| {
            b.push_bind(format!("Employer {i}"))
                .push_bind(&now)
                .push_bind(&now);
        });
        q.build().execute(&mut *tx).await.expect("employers");
    }
    let codes = [
        "4321", "5120", "9112", "5223", "8160", "9621", "7112", "5131", "4110", "5414",
    ];
    for chunk in (0..VACANCIES).collect::<Vec<_>>().chunks(1_000) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO vacancies (employer_id, title, description, occupation_code, date_posted, created_at, updated_at) ",
        );
        q.push_values(chunk, |mut b, i| {
            b.push_bind((i % EMPLOYERS + 1) as i64)
                .push_bind(format!("Job {i}"))
                .push_bind("Work")
                .push_bind(codes[i % codes.len()])
                .push_bind(&now)
                .push_bind(&now)
                .push_bind(&now);
        });
        q.build().execute(&mut *tx).await.expect("vacancies");
    }
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let mut intakes = Vec::with_capacity(CLIENTS);
    for chunk in (0..CLIENTS).collect::<Vec<_>>().chunks(5_000) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO clients (coach_id, display_name, home_municipality, intake_date, created_at, updated_at) ",
        );
        let rows: Vec<(i64, NaiveDate)> = chunk
            .iter()
            .map(|_| {
                (
                    coaches[rng.gen_range(0..COACHES)],
                    start + chrono::Duration::days(rng.gen_range(0..700)),
                )
            })
            .collect();
        intakes.extend(rows.iter().map(|r| r.1));
        q.push_values(chunk.iter().zip(&rows), |mut b, (i, (coach, intake))| {
            b.push_bind(coach)
                .push_bind(format!("Client {i}"))
                .push_bind("Tampere")
                .push_bind(intake.to_string())
                .push_bind(&now)
                .push_bind(&now);
        });
        q.build().execute(&mut *tx).await.expect("clients");
    }
    let per_client = EVENTS / CLIENTS;
    let mut events: Vec<EventRow> = Vec::with_capacity(10_000);
    for (i, intake) in intakes.iter().enumerate() {
        let intake = intake.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp();
        history(&mut rng, i as i64 + 1, intake, per_client, &mut events);
        if events.len() >= 3_000 || i + 1 == CLIENTS {
            // Each client's coach records its events; coach ids are looked up in SQL.
            let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO client_events (client_id, recorded_by, type, at, vacancy_id, placement_type, hours_per_week, face_to_face, created_at) ",
            );
            q.push_values(events.drain(..), |mut b, e| {
                b.push_bind(e.0)
                    .push("(SELECT coach_id FROM clients WHERE id = ")
                    .push_bind_unseparated(e.0)
                    .push_unseparated(")")
                    .push_bind(e.2)
                    .push_bind(e.3)
                    .push_bind(e.4)
                    .push_bind(e.5)
                    .push_bind(e.6)
                    .push_bind(e.7)
                    .push_bind(&now);
            });
            q.build().execute(&mut *tx).await.expect("events");
        }
    }
    for chunk in (0..CONTACTS).collect::<Vec<_>>().chunks(5_000) {
        let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
            "INSERT INTO employer_contacts (coach_id, employer_id, at, face_to_face, created_at) ",
        );
        let rows: Vec<(i64, i64, String, bool)> = chunk
            .iter()
            .map(|_| {
                let at = start.and_hms_opt(13, 0, 0).unwrap().and_utc().timestamp()
                    + rng.gen_range(0..730) * DAY;
                (
                    coaches[rng.gen_range(0..COACHES)],
                    rng.gen_range(1..=EMPLOYERS as i64),
                    stamp(at),
                    rng.gen_bool(0.6),
                )
            })
            .collect();
        q.push_values(rows, |mut b, r| {
            b.push_bind(r.0)
                .push_bind(r.1)
                .push_bind(r.2)
                .push_bind(r.3)
                .push_bind(&now);
        });
        q.build().execute(&mut *tx).await.expect("contacts");
    }
    tx.commit().await.expect("commit");
    sqlx::query("ANALYZE")
        .execute(&pool)
        .await
        .expect("analyze");
    pool.close().await;
    (store, coaches)
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    // FUNNEL_BENCH_DB=PATH keeps the seeded database there (and reuses it) for inspection.
    let path = std::env::var("FUNNEL_BENCH_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| dir.path().join("bench.db"));
    let url = format!("sqlite://{}", path.display());
    let began = Instant::now();
    let (store, coaches) = if path.exists() {
        rt.block_on(async {
            let store = Store::open(&url).await.expect("store");
            let coaches = store
                .users_with_role(Role::Coach)
                .await
                .expect("coaches")
                .into_iter()
                .map(|u| u.id)
                .collect::<Vec<_>>();
            (store, coaches)
        })
    } else {
        rt.block_on(seed(&url))
    };
    eprintln!(
        "seeded {CLIENTS} clients, {EVENTS} events, {CONTACTS} contacts in {:.1} s",
        began.elapsed().as_secs_f64()
    );
    let (store, url) = match common::postgres_server() {
        None => (store, url),
        Some(server) => rt.block_on(async {
            let began = Instant::now();
            store.close().await;
            let target = common::copy_to_postgres(&url, &server, "kohtaamo_bench_funnel").await;
            eprintln!(
                "copied into PostgreSQL in {:.1} s",
                began.elapsed().as_secs_f64()
            );
            let store = Store::open(&target).await.expect("PostgreSQL store");
            (store, target)
        }),
    };
    let period = Period {
        from: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
    };
    let one = Some(coaches[7]);
    // Once, outside the timed loop: where the time goes (loading vs computing).
    let t = Instant::now();
    let data = rt
        .block_on(store.funnel_data(None, period.to))
        .expect("data");
    let load = t.elapsed();
    eprintln!("first load: {:?}", store.funnel_loads());
    let t = Instant::now();
    let report = funnel::funnel(&data, period, None);
    let compute_funnel = t.elapsed();
    let t = Instant::now();
    funnel::fidelity(&data, period, None);
    let compute_fidelity = t.elapsed();
    eprintln!(
        "phases (all coaches): load {} events {:.0} ms, funnel {:.0} ms, fidelity {:.0} ms; {} clients in the report",
        data.events.len(),
        load.as_secs_f64() * 1e3,
        compute_funnel.as_secs_f64() * 1e3,
        compute_fidelity.as_secs_f64() * 1e3,
        report.clients
    );

    let mut g = c.benchmark_group("funnel_50k_clients_1m_events");
    g.sample_size(10);
    // Cold: every iteration reads the database (the first request after any write).
    g.bench_function("funnel_all_coaches_two_years_cold", |b| {
        b.iter(|| {
            let data = rt
                .block_on(store.load_funnel_data(None, period.to))
                .expect("data");
            funnel::funnel(&data, period, None)
        })
    });
    g.bench_function("fidelity_all_coaches_two_years_cold", |b| {
        b.iter(|| {
            let data = rt
                .block_on(store.load_funnel_data(None, period.to))
                .expect("data");
            funnel::fidelity(&data, period, None)
        })
    });
    g.bench_function("funnel_one_coach_two_years_cold", |b| {
        b.iter(|| {
            let data = rt
                .block_on(store.load_funnel_data(one, period.to))
                .expect("data");
            funnel::funnel(&data, period, one)
        })
    });
    g.bench_function("fidelity_one_coach_two_years_cold", |b| {
        b.iter(|| {
            let data = rt
                .block_on(store.load_funnel_data(one, period.to))
                .expect("data");
            funnel::fidelity(&data, period, one)
        })
    });
    // Warm: the database has not changed since the rows were loaded (the version check is a
    // query, inside the timed loop), as for every request between two writes.
    rt.block_on(store.funnel_data(None, period.to))
        .expect("warm up");
    for (name, coach) in [("all_coaches", None), ("one_coach", one)] {
        g.bench_function(format!("funnel_{name}_two_years_warm"), |b| {
            b.iter(|| {
                let data = rt
                    .block_on(store.funnel_data(coach, period.to))
                    .expect("data");
                funnel::funnel(&data, period, coach)
            })
        });
        g.bench_function(format!("fidelity_{name}_two_years_warm"), |b| {
            b.iter(|| {
                let data = rt
                    .block_on(store.funnel_data(coach, period.to))
                    .expect("data");
                funnel::fidelity(&data, period, coach)
            })
        });
    }
    // What the web dashboard shows (the funnel, the fidelity report and the cases) from one
    // reading of the rows.
    g.bench_function("dashboard_all_coaches_two_years_warm", |b| {
        b.iter(|| {
            let data = rt
                .block_on(store.funnel_data(None, period.to))
                .expect("data");
            funnel::dashboard(&data, period, None)
        })
    });
    // Another period (2024 only): the same kept rows; the report leaves out those after 2024
    // as it counts.
    let year = Period {
        from: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2024, 12, 31).unwrap(),
    };
    let t = Instant::now();
    let data = rt.block_on(store.funnel_data(None, year.to)).expect("data");
    funnel::funnel(&data, year, None);
    eprintln!(
        "another period (2024), first request: {:.0} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    g.bench_function("funnel_all_coaches_2024_warm", |b| {
        b.iter(|| {
            let data = rt.block_on(store.funnel_data(None, year.to)).expect("data");
            funnel::funnel(&data, year, None)
        })
    });
    // After a write (not timed), the all-coaches report: the kept rows are extended with the
    // new ones, not reloaded.
    let report_after = |b: &mut criterion::Bencher, write: &mut dyn FnMut(i64)| {
        let mut n = 0i64;
        b.iter_custom(|iters| {
            let mut total = std::time::Duration::ZERO;
            for _ in 0..iters {
                n += 1;
                write(n);
                let t = Instant::now();
                let data = rt
                    .block_on(store.funnel_data(None, period.to))
                    .expect("data");
                funnel::funnel(&data, period, None);
                total += t.elapsed();
            }
            total
        })
    };
    // One employer contact logged by a coach.
    g.bench_function("funnel_all_coaches_two_years_after_a_write", |b| {
        report_after(b, &mut |n| {
            let contact = kohtaamo::domain::ContactDraft::parse(
                &kohtaamo::domain::ContactInput {
                    employer_id: 1,
                    at: format!("2025-06-{:02}T10:00:00Z", 1 + n % 28),
                    face_to_face: true,
                    client_id: None,
                    purpose: None,
                    outcome: None,
                },
                chrono::Utc::now(),
            )
            .expect("contact");
            rt.block_on(store.record_contact(coaches[0], &contact))
                .expect("write");
        })
    });
    // One new client (a change-log entry about a client: the client list is read again).
    g.bench_function("funnel_all_coaches_two_years_after_a_new_client", |b| {
        report_after(b, &mut |n| {
            let input = kohtaamo::domain::ClientInput {
                display_name: format!("Bench {n}"),
                home_municipality: "Lahti".into(),
                intake_date: Some("2025-06-01".into()),
                ..Default::default()
            };
            let draft =
                kohtaamo::domain::ClientDraft::parse(&input, chrono::Utc::now().date_naive())
                    .expect("client");
            rt.block_on(store.create_client(coaches[0], &draft))
                .expect("write");
        })
    });
    // One vacancy edited (its occupation): the events that name it are read again.
    g.bench_function("funnel_all_coaches_two_years_after_a_posting_edit", |b| {
        report_after(b, &mut |n| {
            let id = 1 + n % VACANCIES as i64;
            let draft = kohtaamo::domain::VacancyDraft::parse(
                &kohtaamo::domain::VacancyInput {
                    employer_id: 1 + (id - 1) % EMPLOYERS as i64,
                    title: format!("Job {id}"),
                    description: "Work".into(),
                    municipality: Some("Tampere".into()),
                    occupation_code: Some(if n % 2 == 0 { "5120" } else { "9112" }.into()),
                    ..Default::default()
                },
                kohtaamo::domain::Source::Api,
            )
            .expect("vacancy");
            rt.block_on(store.update_vacancy(id, &draft))
                .expect("write");
        })
    });
    // A node that starts (a new store on the same database, not timed): its first
    // all-coaches report reads the rows a node kept in the database and then what changed
    // since (the writes above), not every row. How each start began is counted and printed.
    let mut began = kohtaamo::store::FunnelLoads::default();
    g.bench_function("funnel_all_coaches_two_years_after_a_start", |b| {
        b.iter_custom(|iters| {
            let mut total = std::time::Duration::ZERO;
            for _ in 0..iters {
                let fresh = rt.block_on(Store::open(&url)).expect("store");
                let t = Instant::now();
                let data = rt
                    .block_on(fresh.funnel_data(None, period.to))
                    .expect("data");
                funnel::funnel(&data, period, None);
                total += t.elapsed();
                let loads = fresh.funnel_loads();
                began.database += loads.database;
                began.kept += loads.kept;
                rt.block_on(fresh.close());
            }
            total
        })
    });
    eprintln!(
        "starts: {} from the kept rows, {} read every row",
        began.kept, began.database
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

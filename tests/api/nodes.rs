//! Several nodes on one database: real `kohtaamo serve` processes, each with an index of its
//! own, on the harness's database (a SQLite file shared by the processes, or a PostgreSQL
//! database). Every node's index follows the change log to exactly the open postings of the
//! database, whoever wrote them, however many wrote at once, and whenever the node started.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kohtaamo::domain::Role;
use kohtaamo::store::Store;
use serde_json::{json, Value};

use crate::crash::{all_ids, kohtaamo_on, Server};
use crate::helpers::{database_url_for, http_client, test_dir, TestDir};

/// How long the concurrent writers write.
const WRITING: Duration = Duration::from_secs(20);
/// Concurrent writers, spread over the nodes.
const WRITERS: usize = 8;

async fn coach_token(url: &str) -> String {
    let store = Store::open(url).await.expect("store");
    let (_, token) = store
        .create_user("nodes-coach", Role::Coach, None)
        .await
        .expect("user");
    store.close().await;
    token
}

async fn create_employer(http: &reqwest::Client, node: &Server, token: &str) -> i64 {
    let r = http
        .post(format!("{}/api/v1/employers", node.base))
        .bearer_auth(token)
        .json(&json!({"name": "Solmu Oy"}))
        .send()
        .await
        .expect("employer");
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.expect("employer body")["id"]
        .as_i64()
        .expect("id")
}

async fn create_vacancy(
    http: &reqwest::Client,
    node: &str,
    token: &str,
    employer: i64,
    title: &str,
) -> i64 {
    let r = http
        .post(format!("{node}/api/v1/vacancies"))
        .bearer_auth(token)
        .json(&json!({"employer_id": employer, "title": title,
                      "description": "Varastotyötä aamuisin, perehdytys työpaikalla.",
                      "municipality": "Lahti"}))
        .send()
        .await
        .expect("create");
    assert_eq!(r.status(), 201, "create answered {}", r.status());
    r.json::<Value>().await.expect("create body")["id"]
        .as_i64()
        .expect("id")
}

async fn close_vacancy(http: &reqwest::Client, node: &str, token: &str, id: i64) {
    let r = http
        .delete(format!("{node}/api/v1/vacancies/{id}"))
        .bearer_auth(token)
        .send()
        .await
        .expect("close");
    assert_eq!(r.status(), 204, "close of {id} answered {}", r.status());
}

/// The open vacancies of the database (read through `node`'s API, from the database).
async fn open_in_database(http: &reqwest::Client, node: &Server, token: &str) -> BTreeSet<i64> {
    all_ids(
        http,
        token,
        &format!("{}/api/v1/vacancies?status=open", node.base),
        "items",
    )
    .await
}

/// The vacancies `node`'s index finds (every one: an empty query).
async fn in_index(http: &reqwest::Client, node: &Server, token: &str) -> BTreeSet<i64> {
    all_ids(
        http,
        token,
        &format!("{}/api/v1/search?kind=vacancy&q=", node.base),
        "hits",
    )
    .await
}

/// Two `kohtaamo serve` nodes on the harness's database of `dir`, a coach's token and an
/// employer.
struct TwoNodes {
    url: String,
    token: String,
    nodes: [Server; 2],
    http: reqwest::Client,
    employer: i64,
}

impl TwoNodes {
    async fn start(dir: &TestDir) -> TwoNodes {
        let url = database_url_for(dir.path());
        let token = coach_token(&url).await;
        let nodes = [
            Server::start_on(&url, &dir.path().join("index-a")),
            Server::start_on(&url, &dir.path().join("index-b")),
        ];
        let http = http_client();
        let employer = create_employer(&http, &nodes[0], &token).await;
        TwoNodes {
            url,
            token,
            nodes,
            http,
            employer,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_writers_on_two_nodes_leave_both_indexes_holding_exactly_the_open_postings() {
    let dir = test_dir();
    let TwoNodes {
        token,
        nodes,
        http,
        employer,
        ..
    } = TwoNodes::start(&dir).await;

    // Arrange: 8 writers, half on each node, create vacancies and close every third one
    // they made, for 20 seconds.
    let closed: Arc<Mutex<BTreeSet<i64>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let (base, token, closed, stop) = (
            nodes[w % 2].base.clone(),
            token.clone(),
            closed.clone(),
            stop.clone(),
        );
        writers.push(tokio::spawn(async move {
            let http = http_client();
            let (mut mine, mut n) = (Vec::new(), 0usize);
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                if n % 3 == 0 {
                    if let Some(id) = mine.pop() {
                        close_vacancy(&http, &base, &token, id).await;
                        closed.lock().unwrap().insert(id);
                        continue;
                    }
                }
                let title = format!("Solmutesti {w}-{n}");
                mine.push(create_vacancy(&http, &base, &token, employer, &title).await);
            }
            n
        }));
    }
    tokio::time::sleep(WRITING).await;
    stop.store(true, Ordering::Relaxed);
    let mut writes = 0;
    for w in writers {
        writes += w.await.expect("writer");
    }

    // Act: let both followers catch up with the log.
    for node in &nodes {
        node.caught_up(&http).await;
    }

    // Assert: each index holds exactly the open postings of the database.
    let open = open_in_database(&http, &nodes[0], &token).await;
    let closed = closed.lock().unwrap().clone();
    assert!(
        open.len() > 20 && closed.len() > 10,
        "too few writes to test anything: {writes} writes, {} open, {} closed",
        open.len(),
        closed.len()
    );
    assert!(open.is_disjoint(&closed));
    for (name, node) in ["A", "B"].iter().zip(&nodes) {
        let indexed = in_index(&http, node, &token).await;
        let missing: Vec<_> = open.difference(&indexed).collect();
        let extra: Vec<_> = indexed.difference(&open).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "node {name}'s index differs from the database after {writes} writes: \
             missing {missing:?}, extra {extra:?}"
        );
    }
}

/// Polls `node`'s search for `word` until `id` is found (or the deadline passes).
async fn searchable_on(
    http: &reqwest::Client,
    node: &Server,
    token: &str,
    word: &str,
    id: i64,
    within: Duration,
) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        let found = all_ids(
            http,
            token,
            &format!("{}/api/v1/search?kind=vacancy&q={word}", node.base),
            "hits",
        )
        .await;
        if found.contains(&id) {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_node_started_later_or_killed_and_restarted_catches_up_by_itself() {
    let dir = test_dir();
    let url = database_url_for(dir.path());
    let token = coach_token(&url).await;
    let http = http_client();
    let a = Server::start_on(&url, &dir.path().join("index-a"));
    let employer = create_employer(&http, &a, &token).await;
    for n in 0..30 {
        let id = create_vacancy(&http, &a.base, &token, employer, &format!("Aamu {n}")).await;
        if n % 4 == 0 {
            close_vacancy(&http, &a.base, &token, id).await;
        }
    }

    // A node started after the writes reads them from the log.
    let b_index = dir.path().join("index-b");
    let b = Server::start_on(&url, &b_index);
    b.caught_up(&http).await;
    let open = open_in_database(&http, &a, &token).await;
    assert_eq!(open.len(), 22);
    assert_eq!(in_index(&http, &b, &token).await, open);

    // A write through A reaches B's search without anything done on B.
    let id = create_vacancy(&http, &a.base, &token, employer, "Kattohuopaasentaja").await;
    assert!(
        searchable_on(
            &http,
            &b,
            &token,
            "kattohuopaasentaja",
            id,
            Duration::from_secs(10)
        )
        .await,
        "a vacancy written through node A never became searchable through node B"
    );

    // Killed with kill -9 while A goes on writing, B catches up when started again.
    b.kill_9();
    let mut more = Vec::new();
    for n in 0..20 {
        more.push(create_vacancy(&http, &a.base, &token, employer, &format!("Ilta {n}")).await);
    }
    for id in more.iter().step_by(5) {
        close_vacancy(&http, &a.base, &token, *id).await;
    }
    let b = Server::start_on(&url, &b_index);
    b.caught_up(&http).await;
    let open = open_in_database(&http, &a, &token).await;
    assert_eq!(open.len(), 22 + 1 + 16);
    assert_eq!(in_index(&http, &b, &token).await, open);

    // `reindex` of B's index (B stopped) rebuilds B's index and touches no other node.
    b.kill_9();
    // A's own last writes are in its index once it has caught up (writes do not wait for it).
    a.caught_up(&http).await;
    let a_before = in_index(&http, &a, &token).await;
    let out = kohtaamo_on(&url, &b_index)
        .arg("reindex")
        .output()
        .expect("reindex runs");
    assert!(
        out.status.success(),
        "reindex failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    a.caught_up(&http).await;
    assert_eq!(in_index(&http, &a, &token).await, a_before);
    let b = Server::start_on(&url, &b_index);
    b.caught_up(&http).await;
    assert_eq!(in_index(&http, &b, &token).await, open);
}

/// `node`'s match list of `client` (vacancies): the model's version and each vacancy's reasons.
async fn matches_on(
    http: &reqwest::Client,
    node: &Server,
    token: &str,
    client: i64,
) -> (String, Vec<(i64, String)>) {
    let m: Value = http
        .get(format!(
            "{}/api/v1/clients/{client}/matches?kind=vacancy",
            node.base
        ))
        .bearer_auth(token)
        .send()
        .await
        .expect("matches")
        .json()
        .await
        .expect("matches body");
    let items = m["matches"]
        .as_array()
        .expect("matches list")
        .iter()
        .map(|s| (s["id"].as_i64().expect("id"), s["reasons"].to_string()))
        .collect();
    (m["model"].as_str().expect("model").to_string(), items)
}

/// Polls `node`'s match list of `client` until `done` holds of it (or the deadline passes);
/// returns the last list.
async fn matches_until(
    http: &reqwest::Client,
    node: &Server,
    token: &str,
    client: i64,
    done: impl Fn(&(String, Vec<(i64, String)>)) -> bool,
) -> (String, Vec<(i64, String)>) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let m = matches_on(http, node, token, client).await;
        if done(&m) || Instant::now() > deadline {
            return m;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reference_data_and_the_active_model_reach_running_nodes_without_a_restart() {
    let dir = test_dir();
    let TwoNodes {
        url,
        token,
        nodes,
        http,
        employer,
    } = TwoNodes::start(&dir).await;
    let mut ids = Vec::new();
    for (title, place, code) in [
        ("Laitossiivooja", "Hollola", "9112.1"),
        ("Laitossiivooja", "Rovaniemi", "9112.1"),
    ] {
        let r = http
            .post(format!("{}/api/v1/vacancies", nodes[0].base))
            .bearer_auth(&token)
            .json(
                &json!({"employer_id": employer, "title": title, "description": "Siivousta.",
                          "municipality": place, "occupation_code": code}),
            )
            .send()
            .await
            .expect("create");
        assert_eq!(r.status(), 201);
        ids.push(
            r.json::<Value>().await.expect("body")["id"]
                .as_i64()
                .expect("id"),
        );
    }
    let (hollola, rovaniemi) = (ids[0], ids[1]);
    let r = http
        .post(format!("{}/api/v1/clients", nodes[0].base))
        .bearer_auth(&token)
        .json(&json!({"display_name": "A", "home_municipality": "Lahti",
                      "preferences": {"occupations": ["9112"], "max_commute_km": 20}}))
        .send()
        .await
        .expect("client");
    assert_eq!(r.status(), 201);
    let client = r.json::<Value>().await.expect("body")["id"]
        .as_i64()
        .expect("id");
    for node in &nodes {
        assert!(
            searchable_on(
                &http,
                node,
                &token,
                "Laitossiivooja",
                rovaniemi,
                Duration::from_secs(10)
            )
            .await,
            "{} never indexed the vacancies",
            node.base
        );
    }
    // Before: no taxonomy and no coordinates, so the wished occupation has no name and no
    // distance is a reason, and the shipped model ranks.
    for node in &nodes {
        let (model, items) = matches_on(&http, node, &token, client).await;
        assert_eq!(model, "default");
        assert_eq!(items.len(), 2, "{items:?}");
        for (_, reasons) in &items {
            assert!(
                reasons.contains("Toivottu ammattiala")
                    && !reasons.contains("Toivottu ammattiala:")
                    && !reasons.contains(" km"),
                "{reasons}"
            );
        }
    }

    // The operator imports the taxonomy and the municipalities, and activates a model, each
    // with the command line (another process), while both nodes run.
    let occupations = dir.path().join("occupations.csv");
    std::fs::write(
        &occupations,
        "uri,concept_type,code,label_fi,label_sv,label_en,broader_uris\n\
         u:9112,isco_group,9112,Toimisto- ja laitossiivoojat ym.,Hotell- och kontorsstädare m.fl.,Cleaners,\n\
         u:9112.1,occupation,9112.1,laitossiivooja,lokalvårdare,commercial cleaner,u:9112\n",
    )
    .expect("occupations file");
    let municipalities = dir.path().join("municipalities.csv");
    std::fs::write(
        &municipalities,
        "kunta_code,kunta_name,lat,lon\n398,Lahti,60.98,25.66\n098,Hollola,60.99,25.51\n698,Rovaniemi,66.50,25.73\n",
    )
    .expect("municipalities file");
    let mut model: Value = serde_json::from_str(kohtaamo::rank::DEFAULT_MODEL_JSON).expect("model");
    model["version"] = json!("nodes-test-1");
    let model_file = dir.path().join("ranker-nodes-test-1.json");
    std::fs::write(&model_file, model.to_string()).expect("model file");
    let cli_index = dir.path().join("index-cli");
    for args in [
        vec!["import", "occupations", occupations.to_str().expect("path")],
        vec![
            "import",
            "municipalities",
            municipalities.to_str().expect("path"),
        ],
        vec![
            "models",
            "activate",
            "--file",
            model_file.to_str().expect("path"),
        ],
    ] {
        let out = kohtaamo_on(&url, &cli_index)
            .args(&args)
            .output()
            .expect("kohtaamo runs");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // After: every node ranks with the new model, reads the wished occupation by its name and
    // the distances from the coordinates (Hollola within the commute, Rovaniemi beyond it),
    // with no restart.
    for node in &nodes {
        let (model, items) = matches_until(&http, node, &token, client, |(model, items)| {
            model == "nodes-test-1" && items.iter().all(|(_, r)| r.contains(" km"))
        })
        .await;
        assert_eq!(model, "nodes-test-1", "{}", node.base);
        assert_eq!(
            items.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
            vec![hollola, rovaniemi],
            "{items:?}"
        );
        let reasons: Vec<&str> = items.iter().map(|(_, r)| r.as_str()).collect();
        assert!(
            reasons[0].contains("Hollola, 8 km"),
            "{}: {reasons:?}",
            node.base
        );
        assert!(
            reasons[1].contains("Rovaniemi, 614 km – yli toivotun 20 km"),
            "{}: {reasons:?}",
            node.base
        );
        assert!(
            reasons
                .iter()
                .all(|r| r.contains("Toivottu ammattiala: laitossiivooja")),
            "{}: {reasons:?}",
            node.base
        );
    }
}

//! Ranking quality on real ads: a development set of realistic client profiles with judged
//! Duunitori ads (`tests/fixtures/devset.json`: ad ids and grades only; the ads stay in
//! `../shared/data`). Prints NDCG@10 for plain BM25 on the client's words (the search
//! endpoint), and for the matcher with the active (default) model.
//!
//! `DEVSET_POOL=FILE cargo test devset` writes the pool to judge instead: the union of both
//! systems' top 10 per profile, with titles and the start of each ad.

use std::collections::HashMap;

use kohtaamo::domain::Role;
use kohtaamo::rank::dcg_at;
use serde_json::{json, Value};

use crate::cli::{duunitori_as_job_postings, kohtaamo};
use crate::helpers::{shared_data, spawn_app, spawn_app_in};

#[tokio::test]
async fn devset_ndcg_on_real_ads() {
    let Some(data) = shared_data() else { return };
    let fixture: Value = serde_json::from_str(include_str!("../fixtures/devset.json")).unwrap();
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let (db, index) = (app.database_url(), app.index_dir());
    let dir = app.stop().await;
    let file = dir.path().join("duunitori.jsonl");
    duunitori_as_job_postings(&data, &file);
    for args in [
        vec!["import", "vacancies", file.to_str().unwrap()],
        vec![
            "import",
            "municipalities",
            data.join("geo/fi_municipalities_geonames_derived.csv")
                .to_str()
                .unwrap()
                .to_owned()
                .leak(),
        ],
        vec![
            "import",
            "occupations",
            data.join("esco/esco_v1.1.1_occupations_isco_fi_sv_en.csv")
                .to_str()
                .unwrap()
                .to_owned()
                .leak(),
        ],
    ] {
        assert!(kohtaamo(&db, &index, &args).status.success());
    }
    let app = spawn_app_in(dir).await;
    app.search_until(&coach, "", |r| r["total"] == 1000).await;
    let store = kohtaamo::store::Store::open(&db).await.unwrap();
    let by_external: HashMap<i64, String> = store
        .vacancies(None, None, 1000, 0)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|v| (v.id, v.external_id.unwrap_or_default()))
        .collect();

    let mut pool = Vec::new();
    let (mut bm25_sum, mut model_sum, mut n) = (0.0, 0.0, 0);
    println!("\nprofile                          BM25 NDCG@10   matcher NDCG@10");
    for profile in fixture["profiles"].as_array().unwrap() {
        let grades: HashMap<String, u8> = profile["judgments"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(id, g)| (id.clone(), g.as_u64().unwrap() as u8))
            .collect();
        let r = app
            .post("/api/v1/clients", &coach, &profile["client"])
            .await;
        let client = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
        let words = profile["client"]["preferences"]["desired_work"]
            .as_str()
            .unwrap_or_default();
        let bm25: Value = app
            .client
            .get(app.url("/api/v1/search"))
            .query(&[("q", words), ("kind", "vacancy"), ("limit", "10")])
            .bearer_auth(&coach)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let matched: Value = app
            .get(
                &format!("/api/v1/clients/{client}/matches?kind=vacancy&limit=10"),
                &coach,
            )
            .await
            .json()
            .await
            .unwrap();
        let ranked = |list: &Value, key: &str| -> Vec<String> {
            list[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| by_external[&h["id"].as_i64().unwrap()].clone())
                .collect()
        };
        let (b, m) = (ranked(&bm25, "hits"), ranked(&matched, "matches"));
        let graded = |ids: &[String]| -> Vec<u8> {
            ids.iter()
                .map(|i| grades.get(i).copied().unwrap_or(0))
                .collect()
        };
        // NDCG against the ideal order of every judged ad, not only of the retrieved ones.
        let ideal: Vec<u8> = {
            let mut g: Vec<u8> = grades.values().copied().collect();
            g.sort_unstable_by(|a, b| b.cmp(a));
            g
        };
        let ndcg = |ids: &[String]| dcg_at(10, &graded(ids)) / dcg_at(10, &ideal).max(1e-9);
        let (nb, nm) = (ndcg(&b), ndcg(&m));
        println!(
            "{:<32} {nb:>12.3} {nm:>17.3}",
            profile["name"].as_str().unwrap()
        );
        bm25_sum += nb;
        model_sum += nm;
        n += 1;
        if std::env::var("DEVSET_POOL").is_ok() {
            let mut ids: Vec<String> = b.iter().chain(m.iter()).cloned().collect();
            ids.sort();
            ids.dedup();
            let ads: Vec<Value> = ids
                .iter()
                .map(|ext| {
                    let id = by_external.iter().find(|(_, e)| *e == ext).unwrap().0;
                    json!({"id": ext, "vacancy": id})
                })
                .collect();
            pool.push(json!({"name": profile["name"], "client": profile["client"], "ads": ads}));
        }
    }
    println!(
        "{:<32} {:>12.3} {:>17.3}\n",
        "mean",
        bm25_sum / n as f64,
        model_sum / n as f64
    );
    if let Ok(path) = std::env::var("DEVSET_POOL") {
        let mut out = Vec::new();
        for p in pool {
            let mut ads = Vec::new();
            for ad in p["ads"].as_array().unwrap() {
                let v = store
                    .vacancy(ad["vacancy"].as_i64().unwrap())
                    .await
                    .unwrap();
                let lead: String = v.description.chars().take(400).collect();
                ads.push(json!({"id": ad["id"], "title": v.title, "municipality": v.municipality, "employer": v.employer, "lead": lead}));
            }
            out.push(json!({"name": p["name"], "client": p["client"], "ads": ads}));
        }
        std::fs::write(path, serde_json::to_string_pretty(&out).unwrap()).unwrap();
    }
}

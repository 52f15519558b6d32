//! Ranking quality on real ads: the development set (`tests/fixtures/devset.json`: 52 client
//! profiles written without seeing the matcher, ads judged blind from the pooled top 20s of
//! several systems; ad ids and grades only, the ads stay in `../shared/data`).
//!
//! The 1,000 Duunitori ads are imported with their dates moved to today, as a coach would meet
//! them, and evaluated as `kohtaamo eval --devset` does. The test prints NDCG@10 and Recall@20
//! per profile for plain BM25 (the search endpoint on the client's words) and the matcher, and
//! fails when the matcher does not beat BM25 by a margin on both metrics, on the 40 dev
//! profiles and on the 12 held-out ones.

use kohtaamo::devset::{self, DevSet};
use kohtaamo::search::SearchIndex;

use crate::cli::{duunitori_moved_to_today, kohtaamo};
use crate::helpers::{settings, shared_data};

/// The least lead over BM25 that the matcher must keep on the mean of each set.
const MARGIN: f64 = 0.05;

#[tokio::test]
async fn devset_matcher_beats_bm25_on_real_ads() {
    let Some(data) = shared_data() else { return };
    let set: DevSet = serde_json::from_str(include_str!("../fixtures/devset.json")).unwrap();
    assert!(set.profiles.len() >= 40);
    let dir = crate::helpers::test_dir();
    let s = settings(dir.path());
    let (db, index) = (s.database_url.clone(), s.index_dir.clone());
    let file = dir.path().join("duunitori.jsonl");
    assert_eq!(duunitori_moved_to_today(&data, &file), 1000);
    for args in [
        vec![
            "import".to_string(),
            "vacancies".into(),
            file.display().to_string(),
        ],
        vec![
            "import".into(),
            "municipalities".into(),
            data.join("geo/fi_municipalities_geonames_derived.csv")
                .display()
                .to_string(),
        ],
        vec![
            "import".into(),
            "occupations".into(),
            data.join("esco/esco_v1.1.1_occupations_isco_fi_sv_en.csv")
                .display()
                .to_string(),
        ],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = kohtaamo(&db, &index, &args);
        assert!(out.status.success(), "{args:?}: {out:?}");
    }

    let store = kohtaamo::store::Store::open(&db).await.unwrap();
    let (search, mut indexer) = SearchIndex::open(&index, store.clone()).unwrap();
    indexer.sync().await.unwrap();
    let model = kohtaamo::startup::active_model(&store, s.model.as_deref())
        .await
        .unwrap();
    let matcher = kohtaamo::startup::build_matcher(&store, &search, model)
        .await
        .unwrap();
    let external = devset::external_ids(&store).await.unwrap();
    let results = tokio::task::spawn_blocking(move || {
        devset::evaluate(&set, &search, &matcher, &external, chrono::Utc::now())
    })
    .await
    .unwrap()
    .unwrap();
    println!("\n{}", devset::table(&results));
    for part in ["dev", "heldout"] {
        let (bm25, matcher, n) = devset::mean(&results, Some(part));
        assert!(n > 0);
        assert!(
            matcher.ndcg_at_10 >= bm25.ndcg_at_10 + MARGIN,
            "{part}: matcher NDCG@10 {:.3} does not beat BM25 {:.3} by {MARGIN}",
            matcher.ndcg_at_10,
            bm25.ndcg_at_10
        );
        assert!(
            matcher.recall_at_20 >= bm25.recall_at_20 + MARGIN,
            "{part}: matcher Recall@20 {:.3} does not beat BM25 {:.3} by {MARGIN}",
            matcher.recall_at_20,
            bm25.recall_at_20
        );
    }
    indexer.close().await;
}

//! Properties over generated clients: everybody gets suggestions whenever anything is open,
//! and sharing an adjustment need never lowers a suggestion.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::Utc;
use kohtaamo::domain::{Client, HoursRange, Preferences};
use kohtaamo::matching::{Geo, MatchRequest, Matcher, ReasonLang, Suggestion, Taxonomy};
use kohtaamo::rank::{feature_index, RankerModel, N_FEATURES};
use kohtaamo::search::{CandidateKind, SearchError, SearchIndex};
use kohtaamo::store::Store;
use proptest::prelude::*;

use crate::helpers::{database_url_for, drop_test_database, test_dir, TestDir};

/// Open postings in the shared index: 40 generated vacancies; tasks and employers come along.
const VACANCIES: usize = 40;

fn matcher() -> &'static Matcher {
    static MATCHER: OnceLock<(Matcher, TestDir)> = OnceLock::new();
    &MATCHER
        .get_or_init(|| {
            let dir = test_dir();
            let url = database_url_for(dir.path());
            let rt = tokio::runtime::Runtime::new().unwrap();
            let search = rt.block_on(async {
                let store = Store::open(&url).await.unwrap();
                let lines = kohtaamo::demo::job_postings(3, VACANCIES, 8).join("\n");
                kohtaamo::import::import_vacancies(&store, lines.as_bytes(), |_| {})
                    .await
                    .unwrap();
                let (search, mut indexer) =
                    SearchIndex::open(&dir.path().join("index"), store.clone()).unwrap();
                indexer.sync().await.unwrap();
                indexer.close().await;
                store.close().await;
                search
            });
            // The matcher reads only the index from here on. A static is never dropped, so
            // its PostgreSQL database is dropped now rather than left to the next run's sweep.
            drop_test_database(dir.path());
            (
                Matcher::new(
                    search,
                    Geo::default(),
                    Taxonomy::default(),
                    RankerModel::default_model(),
                ),
                dir,
            )
        })
        .0
}

fn client(preferences: Preferences, home: String) -> Client {
    Client {
        id: 1,
        coach_id: 1,
        display_name: "P".into(),
        home_municipality: home,
        intake_date: Utc::now().date_naive(),
        treatment_team_contact: None,
        preferences,
        created_at: Utc::now(),
        updated_at: Utc::now(),
    }
}

prop_compose! {
    fn preferences()(
        desired_work in proptest::option::of("\\PC{0,60}"),
        occupations in proptest::collection::vec("[0-9]{1,4}", 0..4),
        municipalities in proptest::collection::vec(prop_oneof![Just("Lahti".to_string()), Just("Oulu".to_string()), "\\PC{1,20}"], 0..4),
        max_commute_km in proptest::option::of(0.0f64..500.0),
        hours in proptest::option::of((0.0f64..40.0, 0.0f64..40.0)),
        avoid in proptest::option::of("\\PC{0,40}"),
        languages in proptest::collection::vec(prop_oneof![Just("fi".to_string()), Just("sv".to_string()), Just("en".to_string()), Just("so".to_string())], 0..3),
        adjustments in proptest::collection::vec(prop_oneof![Just("kirjalliset ohjeet".to_string()), Just("rauhallinen tila".to_string()), "\\PC{1,30}"], 0..3),
    ) -> Preferences {
        Preferences {
            desired_work,
            occupations,
            municipalities,
            max_commute_km,
            hours_per_week: hours.map(|(a, b)| HoursRange { min: Some(a.min(b)), max: Some(a.max(b)) }),
            avoid,
            languages,
            adjustments,
        }
    }
}

/// The matcher's suggestions with their reasons. The database is gone (the matcher reads only
/// the index here): the reasons are written without the postings' descriptions.
fn suggest(
    client: &Client,
    req: &MatchRequest,
    hires: &HashMap<i64, u32>,
) -> Result<Vec<Suggestion>, SearchError> {
    let m = matcher();
    let prepared = m.prepare(client, req, hires)?;
    Ok(m.finish(prepared, hires, &HashMap::new()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn every_client_gets_a_full_list_of_vacancies(prefs in preferences(), home in "\\PC{0,30}") {
        let req = MatchRequest { kind: Some(CandidateKind::Vacancy), limit: 10, lang: ReasonLang::Fi, now: Utc::now() };
        let got = suggest(&client(prefs, home), &req, &HashMap::new()).unwrap();
        prop_assert_eq!(got.len(), 10);
        prop_assert!(got.iter().all(|s| !s.reasons.is_empty()));
    }

    #[test]
    fn the_default_mix_is_never_empty(prefs in preferences()) {
        let req = MatchRequest { kind: None, limit: 20, lang: ReasonLang::En, now: Utc::now() };
        let got = suggest(&client(prefs, "Lahti".into()), &req, &HashMap::new()).unwrap();
        prop_assert_eq!(got.len(), 20);
        prop_assert_eq!(got[0].kind, "vacancy");
    }

    #[test]
    fn an_adjustment_need_never_lowers_a_score(prefs in preferences(), need in "\\PC{1,30}") {
        let req = MatchRequest { kind: Some(CandidateKind::Vacancy), limit: VACANCIES, lang: ReasonLang::Fi, now: req_now() };
        let without = suggest(&client(prefs.clone(), "Lahti".into()), &req, &HashMap::new()).unwrap();
        let mut with_prefs = prefs;
        with_prefs.adjustments.push(need);
        let with = suggest(&client(with_prefs, "Lahti".into()), &req, &HashMap::new()).unwrap();
        let before: HashMap<i64, f64> = without.iter().map(|s| (s.id, s.score)).collect();
        for s in &with {
            if let Some(b) = before.get(&s.id) {
                prop_assert!(s.score >= *b, "{} fell from {} to {}", s.id, b, s.score);
            }
        }
    }

    #[test]
    fn any_model_keeps_adjustments_helpful_and_avoidance_unhelpful(
        weights in proptest::collection::vec(-5.0f64..5.0, N_FEATURES),
        x in proptest::collection::vec(0.0f64..1.0, N_FEATURES),
    ) {
        let mut model = RankerModel::default_model();
        model.weights = weights;
        let model = model.constrained();
        let mut x: [f64; N_FEATURES] = x.try_into().unwrap();
        let adj = feature_index("adjustments_met").unwrap();
        let avoid = feature_index("avoid_hit").unwrap();
        x[adj] = 0.0;
        let without = model.score(&x);
        x[adj] = 1.0;
        prop_assert!(model.score(&x) >= without);
        x[avoid] = 0.0;
        let clean = model.score(&x);
        x[avoid] = 1.0;
        prop_assert!(model.score(&x) <= clean);
    }
}

/// A fixed "now" so both halves of a comparison see the same freshness.
fn req_now() -> chrono::DateTime<Utc> {
    static NOW: OnceLock<chrono::DateTime<Utc>> = OnceLock::new();
    *NOW.get_or_init(Utc::now)
}

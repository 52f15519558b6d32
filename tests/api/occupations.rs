//! Every posting gets occupations: read from its title and text with the ESCO taxonomy (fi, sv
//! and en labels), stored, indexed, and shown in the posting's GET. Accuracy is measured on
//! `tests/fixtures/occupation-labels.json`: 240 real Duunitori ads labelled with their ISCO-08
//! unit group by an independent labeller who never saw the classifier (ids and codes only).

use std::collections::HashMap;

use kohtaamo::domain::Role;
use serde_json::{json, Value};

use crate::cli::{duunitori_as_job_postings, kohtaamo};
use crate::helpers::{shared_data, spawn_app, spawn_app_in};

/// Floors a little under the measured accuracy (Voikko, December 2026: top-1 0.377, top-3
/// 0.479 on 236 ads): a fall below them is a regression.
const TOP1_FLOOR: f64 = 0.34;
const TOP3_FLOOR: f64 = 0.44;

#[tokio::test]
async fn postings_get_occupations_that_match_an_independent_labelling() {
    let Some(data) = shared_data() else { return };
    let labels: Value =
        serde_json::from_str(include_str!("../fixtures/occupation-labels.json")).unwrap();
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let (db, index) = (app.database_url(), app.index_dir());
    let dir = app.stop().await;
    let file = dir.path().join("duunitori.jsonl");
    duunitori_as_job_postings(&data, &file);
    let esco = data.join("esco/esco_v1.1.1_occupations_isco_fi_sv_en.csv");
    // The taxonomy after the ads: importing it reads every posting's occupations anew.
    for args in [
        vec!["import", "vacancies", file.to_str().unwrap()],
        vec!["import", "occupations", esco.to_str().unwrap()],
    ] {
        let out = kohtaamo(&db, &index, &args);
        assert!(out.status.success(), "{out:?}");
    }
    let app = spawn_app_in(dir).await;
    let store = kohtaamo::store::Store::open(&db).await.unwrap();
    let ids: HashMap<String, i64> = kohtaamo::devset::external_ids(&store)
        .await
        .unwrap()
        .into_iter()
        .map(|(id, ext)| (ext, id))
        .collect();

    let (mut n, mut top1, mut top3, mut top1_lenient) = (0, 0, 0, 0);
    for label in labels["labels"].as_array().unwrap() {
        let Some(isco) = label["isco"].as_str() else {
            continue;
        };
        let mut accepted = vec![isco.to_string()];
        for a in label["also_isco"].as_array().into_iter().flatten() {
            accepted.push(a.as_str().unwrap().to_string());
        }
        let id = ids[label["id"].as_str().unwrap()];
        let v: Value = app
            .get(&format!("/api/v1/vacancies/{id}"), &coach)
            .await
            .json()
            .await
            .unwrap();
        let groups: Vec<String> = v["occupations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                assert!(o["label"].as_str().is_some_and(|l| !l.is_empty()));
                let c = o["confidence"].as_f64().unwrap();
                assert!(c > 0.0 && c <= 1.0, "{o}");
                o["code"]
                    .as_str()
                    .unwrap()
                    .split('.')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect();
        n += 1;
        top1 += usize::from(groups.first() == Some(&accepted[0]));
        top1_lenient += usize::from(groups.first().is_some_and(|g| accepted.contains(g)));
        top3 += usize::from(groups.iter().take(3).any(|g| g == &accepted[0]));
    }
    let rate = |k: usize| k as f64 / n as f64;
    println!(
        "\noccupations of {n} labelled real ads: top-1 {:.3} (also-accepted groups counted: {:.3}), top-3 {:.3}\n",
        rate(top1),
        rate(top1_lenient),
        rate(top3)
    );
    assert!(n >= 200);
    assert!(
        rate(top1) >= TOP1_FLOOR,
        "top-1 {:.3} < {TOP1_FLOOR}",
        rate(top1)
    );
    assert!(
        rate(top3) >= TOP3_FLOOR,
        "top-3 {:.3} < {TOP3_FLOOR}",
        rate(top3)
    );
}

#[tokio::test]
async fn a_given_occupation_code_wins_and_an_edit_reads_the_occupation_anew() {
    let app = spawn_app().await;
    let coach = app.token(Role::Coach, None).await;
    let employer = app.employer(&coach, "Siisti Oy").await;
    let r = app
        .post(
            "/api/v1/vacancies",
            &coach,
            &json!({"employer_id": employer, "title": "Siivooja", "description": "Toimistosiivousta.",
                    "municipality": "Lahti", "occupation_code": "9112"}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["occupations"][0]["code"], "9112");
    assert_eq!(v["occupations"][0]["confidence"], 1.0);
    let id = v["id"].as_i64().unwrap();
    let v: Value = app
        .get(&format!("/api/v1/vacancies/{id}"), &coach)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(v["occupations"][0]["code"], "9112");
}

/// Prints the classifier's reading of the ads *not* in the labelled fixture (the other half of
/// the 1,000), for looking at by eye while building it: `cargo test --test api
/// occupations_of_unlabelled_ads -- --ignored --nocapture`.
#[tokio::test]
#[ignore]
async fn occupations_of_unlabelled_ads() {
    let Some(data) = shared_data() else { return };
    let dir = crate::helpers::test_dir();
    let store = kohtaamo::store::Store::open(&crate::helpers::database_url_for(dir.path()))
        .await
        .unwrap();
    kohtaamo::import::import_occupations(
        &store,
        &data.join("esco/esco_v1.1.1_occupations_isco_fi_sv_en.csv"),
    )
    .await
    .unwrap();
    let analyser = kohtaamo::search::Analyser::choose(None).unwrap();
    let occ =
        kohtaamo::occupations::Occupations::new(&store.occupations().await.unwrap(), analyser);
    for probe in [
        "Myyjä",
        "siivooja",
        "varastotyöntekijä",
        "lagerarbetare",
        "warehouse work",
        "städare",
        "kokki",
    ] {
        println!("{probe:<50} | {:?}", occ.of_wish(probe));
    }
    for (i, ad) in crate::cli::duunitori_ads(&data).iter().enumerate() {
        if i % 4 < 2 || i % 8 > 3 {
            continue;
        }
        let g = occ.of_posting(
            None,
            ad["heading"].as_str().unwrap(),
            ad["descr"].as_str().unwrap(),
        );
        let shown: Vec<String> = g
            .iter()
            .map(|o| format!("{} {} ({:.2})", o.code, o.label, o.confidence))
            .collect();
        println!(
            "{:<50} | {}",
            ad["heading"].as_str().unwrap(),
            shown.join(" | ")
        );
    }
}

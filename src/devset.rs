//! The development set: realistic client profiles with ads judged for them, and the offline
//! evaluation of plain BM25 (the search endpoint on the client's words) against the matcher.
//!
//! A dev-set file holds profiles (`name`, `set`: `dev` or `heldout`, `classes`, `client`: the
//! body of `POST /api/v1/clients`) and, once judged, `judgments` by the ads' external ids
//! (2 a good fit within reach, 1 related or too far, absent: not relevant). Profiles are
//! evaluated in memory: nothing is written to the database.
//!
//! The same run can write a *pool* to judge: the union of every system's top 20 per profile,
//! with no mark of which system proposed an ad, so that judging stays blind.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{Client, ClientDraft, ClientInput};
use crate::matching::{MatchRequest, Matcher, ReasonLang};
use crate::rank::dcg_at;
use crate::search::{CandidateKind, SearchIndex, SearchKind, SearchRequest};
use crate::store::Store;

/// Depth of the lists that are judged and evaluated.
pub const DEPTH: usize = 20;

/// A dev-set file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DevSet {
    /// Who wrote and judged it, and how.
    #[serde(default)]
    pub about: String,
    /// The profiles.
    pub profiles: Vec<Profile>,
}

/// One judged client profile.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Profile {
    /// Short name.
    pub name: String,
    /// `dev` or `heldout`.
    #[serde(default = "dev")]
    pub set: String,
    /// Which kinds of wish it tests (`refusal`, `swedish`, …).
    #[serde(default)]
    pub classes: Vec<String>,
    /// The client, as posted to the API.
    pub client: ClientInput,
    /// Grades by external id of the ad.
    #[serde(default)]
    pub judgments: BTreeMap<String, u8>,
}

fn dev() -> String {
    "dev".into()
}

/// Figures of one system on one profile.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Scores {
    /// NDCG@10 against the ideal order of every judged ad.
    pub ndcg_at_10: f64,
    /// Share of the best-graded ads found in the top 20.
    pub recall_at_20: f64,
}

/// One profile's result.
#[derive(Debug, Clone, Serialize)]
pub struct ProfileResult {
    /// Profile name.
    pub name: String,
    /// `dev` or `heldout`.
    pub set: String,
    /// Plain BM25 on the client's words.
    pub bm25: Scores,
    /// The matcher.
    pub matcher: Scores,
    /// External ids of BM25's top 20.
    #[serde(skip)]
    pub bm25_ids: Vec<String>,
    /// External ids of the matcher's top 20.
    #[serde(skip)]
    pub matcher_ids: Vec<String>,
}

/// Scores of a ranked list against judgments.
pub fn score(ranked: &[String], judgments: &BTreeMap<String, u8>) -> Scores {
    let grades: Vec<u8> = ranked
        .iter()
        .map(|id| judgments.get(id).copied().unwrap_or(0))
        .collect();
    let mut ideal: Vec<u8> = judgments.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg = dcg_at(10, &ideal);
    let ndcg_at_10 = if idcg > 0.0 {
        dcg_at(10, &grades) / idcg
    } else {
        0.0
    };
    // "The best-fitting ads": the top grade present in the judgments.
    let best = judgments.values().copied().max().unwrap_or(0);
    let wanted = judgments
        .values()
        .filter(|g| **g == best && best > 0)
        .count();
    let found = grades
        .iter()
        .take(DEPTH)
        .filter(|g| **g == best && best > 0)
        .count();
    let recall_at_20 = if wanted > 0 {
        found as f64 / wanted as f64
    } else {
        0.0
    };
    Scores {
        ndcg_at_10,
        recall_at_20,
    }
}

/// External ids of every vacancy by id.
pub async fn external_ids(store: &Store) -> anyhow::Result<HashMap<i64, String>> {
    let mut out = HashMap::new();
    let mut offset = 0;
    loop {
        let page = store.vacancies(None, None, 1000, offset).await?;
        if page.items.is_empty() {
            break;
        }
        offset += page.items.len() as i64;
        for v in page.items {
            if let Some(e) = v.external_id {
                out.insert(v.id, e);
            }
        }
    }
    Ok(out)
}

/// A profile's client as the matcher sees it (never stored).
pub fn client_of(p: &Profile, today: chrono::NaiveDate) -> anyhow::Result<Client> {
    let draft = ClientDraft::parse(&p.client, today)
        .map_err(|e| anyhow::anyhow!("profile {:?}: {e}", p.name))?;
    let now = Utc::now();
    Ok(Client {
        id: 0,
        coach_id: 0,
        display_name: draft.display_name,
        home_municipality: draft.home_municipality,
        intake_date: draft.intake_date,
        treatment_team_contact: draft.treatment_team_contact,
        preferences: draft.preferences,
        created_at: now,
        updated_at: now,
    })
}

/// Runs BM25 and the matcher on every profile. `now` is the matcher's "now" (freshness).
pub fn evaluate(
    set: &DevSet,
    search: &SearchIndex,
    matcher: &Matcher,
    external: &HashMap<i64, String>,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<ProfileResult>> {
    let mut out = Vec::new();
    for p in &set.profiles {
        let client = client_of(p, now.date_naive())?;
        let words = client.preferences.desired_work.clone().unwrap_or_default();
        // Ids only: the snippets (from the database) are not needed.
        let hits = search.page(&SearchRequest {
            q: words,
            kind: Some(SearchKind::Vacancy),
            limit: DEPTH,
            ..SearchRequest::default()
        })?;
        let bm25_ids: Vec<String> = hits
            .hits()
            .iter()
            .filter_map(|h| external.get(&h.id).cloned())
            .collect();
        let req = MatchRequest {
            kind: Some(CandidateKind::Vacancy),
            limit: DEPTH,
            lang: ReasonLang::Fi,
            now,
        };
        // The order only: the reasons (from the descriptions) are not needed.
        let matcher_ids: Vec<String> = matcher
            .prepare(&client, &req, &HashMap::new())?
            .keys()
            .iter()
            .filter_map(|(_, id)| external.get(id).cloned())
            .collect();
        out.push(ProfileResult {
            name: p.name.clone(),
            set: p.set.clone(),
            bm25: score(&bm25_ids, &p.judgments),
            matcher: score(&matcher_ids, &p.judgments),
            bm25_ids,
            matcher_ids,
        });
    }
    Ok(out)
}

/// Mean scores of the results of one set (`None`: all).
pub fn mean(results: &[ProfileResult], set: Option<&str>) -> (Scores, Scores, usize) {
    let rows: Vec<&ProfileResult> = results
        .iter()
        .filter(|r| set.is_none_or(|s| r.set == s))
        .collect();
    let n = rows.len().max(1) as f64;
    let sum = |f: &dyn Fn(&ProfileResult) -> f64| rows.iter().map(|r| f(r)).sum::<f64>() / n;
    (
        Scores {
            ndcg_at_10: sum(&|r| r.bm25.ndcg_at_10),
            recall_at_20: sum(&|r| r.bm25.recall_at_20),
        },
        Scores {
            ndcg_at_10: sum(&|r| r.matcher.ndcg_at_10),
            recall_at_20: sum(&|r| r.matcher.recall_at_20),
        },
        rows.len(),
    )
}

/// The results as a table.
pub fn table(results: &[ProfileResult]) -> String {
    let mut s = format!(
        "{:<44} {:<8} {:>10} {:>10} {:>10} {:>10}\n",
        "profile", "set", "BM25 nDCG", "match nDCG", "BM25 R@20", "match R@20"
    );
    for r in results {
        s.push_str(&format!(
            "{:<44} {:<8} {:>10.3} {:>10.3} {:>10.3} {:>10.3}\n",
            r.name.chars().take(44).collect::<String>(),
            r.set,
            r.bm25.ndcg_at_10,
            r.matcher.ndcg_at_10,
            r.bm25.recall_at_20,
            r.matcher.recall_at_20
        ));
    }
    for set in [Some("dev"), Some("heldout"), None] {
        let (b, m, n) = mean(results, set);
        s.push_str(&format!(
            "{:<44} {:<8} {:>10.3} {:>10.3} {:>10.3} {:>10.3}\n",
            format!("mean ({n} profiles)"),
            set.unwrap_or("all"),
            b.ndcg_at_10,
            m.ndcg_at_10,
            b.recall_at_20,
            m.recall_at_20
        ));
    }
    s
}

/// One ad to judge.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PoolAd {
    /// External id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Employer.
    pub employer: String,
    /// Municipality.
    pub municipality: Option<String>,
    /// Opening of the description.
    pub lead: String,
}

/// The pool of one profile.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PoolEntry {
    /// Profile name.
    pub name: String,
    /// The client.
    pub client: ClientInput,
    /// Ads proposed by any system and not yet judged, in id order.
    pub ads: Vec<PoolAd>,
}

/// Adds the unjudged ads of both systems' lists to `pool` (created when empty).
pub async fn extend_pool(
    pool: &mut Vec<PoolEntry>,
    set: &DevSet,
    results: &[ProfileResult],
    store: &Store,
    by_external: &HashMap<String, i64>,
) -> anyhow::Result<()> {
    for (p, r) in set.profiles.iter().zip(results) {
        let at = match pool.iter().position(|e| e.name == p.name) {
            Some(i) => i,
            None => {
                pool.push(PoolEntry {
                    name: p.name.clone(),
                    client: p.client.clone(),
                    ads: Vec::new(),
                });
                pool.len() - 1
            }
        };
        for ext in r.bm25_ids.iter().chain(&r.matcher_ids) {
            if p.judgments.contains_key(ext) || pool[at].ads.iter().any(|a| &a.id == ext) {
                continue;
            }
            let Some(id) = by_external.get(ext) else {
                continue;
            };
            let v = store.vacancy(*id).await?;
            pool[at].ads.push(PoolAd {
                id: ext.clone(),
                title: v.title,
                employer: v.employer,
                municipality: v.municipality,
                lead: v.description.chars().take(500).collect(),
            });
        }
        pool[at].ads.sort_by(|a, b| a.id.cmp(&b.id));
    }
    Ok(())
}

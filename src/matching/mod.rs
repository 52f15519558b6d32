//! Matches for a client: candidates from the whole preference profile, features, the ranker's
//! score, and reasons a coach can read to the client.
//!
//! Zero exclusion: the candidate sources always include the newest open work, and preferences
//! only reorder, so every client gets suggestions whenever anything is open. Nothing about the
//! client other than their stated wishes is read.

mod features;
mod hires;
mod impressions;
mod profile;
mod reasons;
pub mod wish;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

pub use hires::{Hires, HiresCache};
pub use impressions::log_in_background;
pub use profile::{Geo, Taxonomy};
pub use reasons::ReasonLang;
pub use wish::Understood;

use features::FeatureContext;
use profile::Profile;
use reasons::Explainer;

use crate::domain::Client;
use crate::occupations::Occupations;
use crate::rank::{Features, RankerModel};
use crate::search::{
    Candidate, CandidateDoc, CandidateKind, CandidateSpec, SearchError, SearchIndex,
};
use crate::store::Entity;

/// Candidates taken from each retrieval source.
const PER_SOURCE: usize = 300;

/// What to suggest.
#[derive(Debug, Clone)]
pub struct MatchRequest {
    /// One kind only, or the default mix (vacancies first).
    pub kind: Option<CandidateKind>,
    /// How many suggestions.
    pub limit: usize,
    /// Language of the reasons.
    pub lang: ReasonLang,
    /// "Now", for freshness.
    pub now: DateTime<Utc>,
}

/// Suggestions chosen, their reasons not yet written: the reasons that name the client's
/// words read the postings' descriptions, which only the database keeps.
pub struct Prepared {
    chosen: Vec<Scored>,
    docs: Vec<CandidateDoc>,
    open_vacancies: HashMap<i64, u64>,
    profile: Profile,
    model: Arc<RankerModel>,
    reference: Arc<ReferenceData>,
    req: MatchRequest,
}

impl Prepared {
    /// The chosen postings, whose descriptions the reasons read.
    pub fn postings(&self) -> Vec<(Entity, i64)> {
        self.chosen
            .iter()
            .filter_map(|s| Some((s.candidate.kind.entity()?, s.candidate.id)))
            .collect()
    }

    /// The kind and id of each suggestion, best first.
    pub fn keys(&self) -> Vec<(&'static str, i64)> {
        self.chosen
            .iter()
            .map(|s| (s.candidate.kind.as_str(), s.candidate.id))
            .collect()
    }
}

/// One suggestion.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Suggestion {
    /// `vacancy`, `task` or `employer`.
    pub kind: &'static str,
    /// Id within the kind.
    pub id: i64,
    /// Source id of a vacancy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Title (for an employer prospect: its name).
    pub title: String,
    /// Employer.
    pub employer: String,
    /// Municipality, null when unknown.
    pub municipality: Option<String>,
    /// Ranker score in (0, 1).
    pub score: f64,
    /// Which wishes it meets and which it does not, strongest first.
    pub reasons: Vec<String>,
    /// Feature values (logged for training; not part of the JSON answer).
    #[serde(skip)]
    pub features: Features,
}

/// A candidate with its features and score.
struct Scored {
    /// Known to be beyond the commute the client stated: it comes after every candidate that
    /// is not, whatever the scores (a strong signal, but nothing is removed for it).
    beyond_commute: bool,
    score: f64,
    features: Features,
    candidate: Candidate,
}

impl Scored {
    /// The order of a list: within the commute first, then by score; ties go to the newer
    /// posting, then the lower id (stable output).
    fn order(a: &Scored, b: &Scored) -> std::cmp::Ordering {
        a.beyond_commute
            .cmp(&b.beyond_commute)
            .then(b.score.total_cmp(&a.score))
            .then(b.candidate.posted.cmp(&a.candidate.posted))
            .then(a.candidate.id.cmp(&b.candidate.id))
    }
}

/// Builds suggestions. Shared by all requests; the model can be swapped while serving.
pub struct Matcher {
    search: SearchIndex,
    /// Replaced whole when the database's reference data change (see `startup`).
    reference: RwLock<Arc<ReferenceData>>,
    model: RwLock<Arc<RankerModel>>,
    /// Each client's best keys, with what they were worked out from and when.
    best_keys_cache: Mutex<HashMap<i64, KnownKeys>>,
    /// A background refresh of best keys is under way.
    refreshing: AtomicBool,
}

/// The answer of [`Matcher::best_keys`].
#[derive(Debug, Default)]
pub struct BestKeys {
    /// Each client's best keys, best first within each kind.
    pub keys: HashMap<i64, Arc<[SuggestionKey]>>,
    /// Clients whose keys are from before the latest change (over the budget).
    pub behind: Vec<i64>,
}

/// The reference data a match list reads: where municipalities are, the occupation taxonomy,
/// and the classifier built from it. A request reads one version of it throughout.
pub struct ReferenceData {
    geo: Geo,
    taxonomy: Taxonomy,
    occupations: Arc<Occupations>,
}

/// A suggestion's kind (`vacancy`, `task`, `employer`) and id.
pub type SuggestionKey = (&'static str, i64);

/// How long a client's best keys are trusted when nothing they depend on changed.
const KEYS_TTL: chrono::TimeDelta = chrono::TimeDelta::hours(1);
/// Clients whose best keys are remembered at most (the memory is emptied beyond).
const KEYS_CACHED: usize = 50_000;

/// A client's best keys, what they were worked out from and when.
type KnownKeys = (KeysStamp, DateTime<Utc>, Arc<[SuggestionKey]>);

/// What a client's best keys were worked out from.
struct KeysStamp {
    /// The latest indexed change the index reflected (segment merges and client records
    /// leave it alone).
    index_seq: i64,
    updated_at: DateTime<Utc>,
    limit: usize,
    model: Arc<RankerModel>,
    reference: Arc<ReferenceData>,
    hires: Hires,
}

impl KeysStamp {
    fn same(&self, other: &KeysStamp) -> bool {
        self.index_seq == other.index_seq
            && self.updated_at == other.updated_at
            && self.limit == other.limit
            && Arc::ptr_eq(&self.model, &other.model)
            && Arc::ptr_eq(&self.reference, &other.reference)
            && (Arc::ptr_eq(&self.hires, &other.hires) || self.hires == other.hires)
    }
}

impl Matcher {
    /// A matcher over `search` with reference data and a model.
    pub fn new(search: SearchIndex, geo: Geo, taxonomy: Taxonomy, model: RankerModel) -> Self {
        let reference = ReferenceData::new(&search, geo, taxonomy);
        Self {
            search,
            reference: RwLock::new(Arc::new(reference)),
            model: RwLock::new(Arc::new(model)),
            best_keys_cache: Mutex::new(HashMap::new()),
            refreshing: AtomicBool::new(false),
        }
    }

    /// The occupation taxonomy and classifier the matcher reads wishes with.
    pub fn occupations(&self) -> Arc<Occupations> {
        self.reference().occupations.clone()
    }

    /// The reference data now in use.
    fn reference(&self) -> Arc<ReferenceData> {
        self.reference.read().expect("reference lock").clone()
    }

    /// Replaces the reference data (requests under way finish with the old). CPU-bound (the
    /// classifier reads every label): call from a blocking thread.
    pub fn set_reference(&self, geo: Geo, taxonomy: Taxonomy) {
        let reference = Arc::new(ReferenceData::new(&self.search, geo, taxonomy));
        *self.reference.write().expect("reference lock") = reference;
    }

    /// How the client's wish is understood (shown to the coach).
    pub fn understand(&self, client: &Client) -> Understood {
        let r = self.reference();
        Profile::new(client, &r.taxonomy, &r.occupations).understood
    }

    /// The active model.
    pub fn model(&self) -> Arc<RankerModel> {
        self.model.read().expect("model lock").clone()
    }

    /// Replaces the active model.
    pub fn set_model(&self, model: RankerModel) {
        *self.model.write().expect("model lock") = Arc::new(model);
    }

    /// The suggestions for `client`, chosen, their reasons not yet written (see [`Prepared`]).
    /// `hires` counts hires through the service per employer id. CPU-bound: call from a
    /// blocking thread.
    pub fn prepare(
        &self,
        client: &Client,
        req: &MatchRequest,
        hires: &HashMap<i64, u32>,
    ) -> Result<Prepared, SearchError> {
        let r = self.reference();
        let profile = Profile::new(client, &r.taxonomy, &r.occupations);
        // One searcher for the whole request: candidates, their documents, prospects' counts.
        let searcher = self.search.searcher();
        let model = self.model();
        let chosen = self.chosen(&searcher, client, &profile, req, hires, &model, &r)?;
        let addresses: Vec<_> = chosen.iter().map(|s| s.candidate.address).collect();
        let docs = self.search.candidate_docs(&searcher, &addresses)?;
        let prospects: Vec<i64> = chosen
            .iter()
            .filter(|s| s.candidate.kind == CandidateKind::Employer)
            .map(|s| s.candidate.id)
            .collect();
        let open_vacancies = self
            .search
            .open_vacancies_per_employer(&searcher, &prospects)?;
        Ok(Prepared {
            chosen,
            docs,
            open_vacancies,
            profile,
            model,
            reference: r,
            req: req.clone(),
        })
    }

    /// The suggestions of `prepared` with their reasons, the postings' descriptions read from
    /// `texts` (see [`Prepared::postings`]; a missing one reads as empty).
    pub fn finish(
        &self,
        prepared: Prepared,
        hires: &HashMap<i64, u32>,
        texts: &HashMap<(Entity, i64), String>,
    ) -> Vec<Suggestion> {
        let Prepared {
            chosen,
            mut docs,
            open_vacancies,
            profile,
            model,
            reference: r,
            req,
        } = prepared;
        for (s, doc) in chosen.iter().zip(docs.iter_mut()) {
            if let Some(text) = s
                .candidate
                .kind
                .entity()
                .and_then(|e| texts.get(&(e, s.candidate.id)))
            {
                doc.description.clone_from(text);
            }
        }
        let explainer = Explainer::new(
            &profile.words,
            &profile.refused,
            &self.search,
            &r.taxonomy,
            &model,
            req.lang,
        );
        chosen
            .into_iter()
            .zip(docs)
            .map(|(s, doc)| {
                let base = FeatureContext {
                    profile: &profile,
                    candidate: &s.candidate,
                    geo: &r.geo,
                    hires,
                    now: req.now,
                };
                let open = match s.candidate.kind {
                    CandidateKind::Employer => {
                        open_vacancies.get(&s.candidate.id).copied().unwrap_or(0)
                    }
                    CandidateKind::Vacancy | CandidateKind::Task => 0,
                };
                let reasons = explainer.explain(&base, &doc, &s.features, open);
                Suggestion {
                    kind: s.candidate.kind.as_str(),
                    id: s.candidate.id,
                    external_id: doc.external_id,
                    title: doc.title,
                    employer: doc.employer,
                    municipality: doc.municipality,
                    score: (s.score * 1e4).round() / 1e4,
                    reasons,
                    features: s.features,
                }
            })
            .collect()
    }

    /// Suggestions for `client` with their reasons: [`Matcher::prepare`] on a blocking
    /// thread, the descriptions of the chosen postings from the database, [`Matcher::finish`].
    pub async fn suggest(
        self: &Arc<Self>,
        client: Client,
        req: MatchRequest,
        hires: Hires,
    ) -> Result<Vec<Suggestion>, SearchError> {
        let matcher = self.clone();
        let span = tracing::Span::current();
        let h = hires.clone();
        let prepared = tokio::task::spawn_blocking(move || {
            span.in_scope(|| matcher.prepare(&client, &req, &h))
        })
        .await
        .map_err(|e| SearchError::Task(e.to_string()))??;
        let texts = self.search.descriptions_or_none(&prepared.postings()).await;
        let matcher = self.clone();
        tokio::task::spawn_blocking(move || matcher.finish(prepared, &hires, &texts))
            .await
            .map_err(|e| SearchError::Task(e.to_string()))
    }

    /// The kind and id of each of the best `limit` suggestions (default mix) of every client,
    /// as [`Matcher::suggest`] would list them, without loading documents or writing reasons.
    ///
    /// A client's list is remembered with what it was worked out from: it is current until the
    /// index content (`index_seq`, the latest change to an indexed posting or employer that
    /// the index reflects, read before this call: a searcher newer than it only makes a later
    /// request work the list out again), the client's record, the model or the hires change, or for an hour (freshness
    /// moves slowly). A client never worked out is worked out now; of those no longer current,
    /// the `budget` longest known are worked out again now and the others keep their last list
    /// and are named in [`BestKeys::behind`] (for [`Matcher::refresh_keys`] later). This keeps
    /// a request bounded when the index has just moved. CPU-bound: call from a blocking thread.
    pub fn best_keys<'a>(
        &self,
        clients: impl IntoIterator<Item = &'a Client>,
        limit: usize,
        hires: &Hires,
        now: DateTime<Utc>,
        index_seq: i64,
        budget: usize,
    ) -> Result<BestKeys, SearchError> {
        let searcher = self.search.searcher();
        let model = self.model();
        let r = self.reference();
        let req = MatchRequest {
            kind: None,
            limit,
            lang: ReasonLang::Fi,
            now,
        };
        let stamp = |client: &Client| KeysStamp {
            index_seq,
            updated_at: client.updated_at,
            limit,
            model: model.clone(),
            reference: r.clone(),
            hires: hires.clone(),
        };
        let mut out = BestKeys::default();
        let mut missing = Vec::new();
        let mut stale = Vec::new();
        {
            let cache = self.best_keys_cache.lock().expect("best keys lock");
            for client in clients {
                match cache.get(&client.id) {
                    Some((s, at, keys)) if s.same(&stamp(client)) && now - *at < KEYS_TTL => {
                        out.keys.insert(client.id, keys.clone());
                    }
                    Some((_, at, keys)) => stale.push((*at, client, keys.clone())),
                    None => missing.push(client),
                }
            }
        }
        stale.sort_by_key(|(at, client, _)| (*at, client.id));
        let mut work = missing;
        for (i, (_, client, keys)) in stale.into_iter().enumerate() {
            if i < budget {
                work.push(client);
            } else {
                out.keys.insert(client.id, keys);
                out.behind.push(client.id);
            }
        }
        for client in work {
            let profile = Profile::new(client, &r.taxonomy, &r.occupations);
            let keys: Arc<[SuggestionKey]> = self
                .chosen(&searcher, client, &profile, &req, hires, &model, &r)?
                .iter()
                .map(|s| (s.candidate.kind.as_str(), s.candidate.id))
                .collect();
            let mut cache = self.best_keys_cache.lock().expect("best keys lock");
            if cache.len() >= KEYS_CACHED {
                cache.clear();
            }
            cache.insert(client.id, (stamp(client), now, keys.clone()));
            out.keys.insert(client.id, keys);
        }
        Ok(out)
    }

    /// Works out the best keys of `clients` that are not current (see [`Matcher::best_keys`]),
    /// unless another refresh is under way. CPU-bound: call from a blocking thread.
    pub fn refresh_keys(
        &self,
        clients: &[Client],
        limit: usize,
        hires: &Hires,
        now: DateTime<Utc>,
        index_seq: i64,
    ) -> Result<(), SearchError> {
        if self.refreshing.swap(true, Ordering::AcqRel) {
            return Ok(());
        }
        /// Clears the flag however the refresh ends, a panic included: otherwise no refresh
        /// would run again.
        struct Refreshing<'a>(&'a AtomicBool);
        impl Drop for Refreshing<'_> {
            fn drop(&mut self) {
                self.0.store(false, Ordering::Release);
            }
        }
        let _refreshing = Refreshing(&self.refreshing);
        self.best_keys(clients, limit, hires, now, index_seq, usize::MAX)
            .map(|_| ())
    }

    /// The candidates of `client` that make the list, best first within each kind.
    #[allow(clippy::too_many_arguments)]
    fn chosen(
        &self,
        searcher: &crate::search::RequestSearcher,
        client: &Client,
        profile: &Profile,
        req: &MatchRequest,
        hires: &HashMap<i64, u32>,
        model: &RankerModel,
        r: &ReferenceData,
    ) -> Result<Vec<Scored>, SearchError> {
        let kinds = match req.kind {
            Some(k) => vec![k],
            None => vec![
                CandidateKind::Vacancy,
                CandidateKind::Task,
                CandidateKind::Employer,
            ],
        };
        let spec = CandidateSpec {
            text: profile.words.clone(),
            extra_text: profile.taxonomy_names.join(" "),
            occupation_groups: profile.all_groups(),
            municipalities: profile.place_names.clone(),
            avoid: client.preferences.avoid.clone().unwrap_or_default(),
            refused: profile.refused_in_wish.clone(),
            adjustments: client.preferences.adjustments.join(" "),
            kinds,
            per_source: PER_SOURCE,
            now: req.now.timestamp(),
        };
        let candidates = self.search.candidates(searcher, &spec)?;
        let mut scored = score(client, profile, candidates, hires, req.now, model, &r.geo);
        scored.sort_by(Scored::order);
        Ok(choose(scored, req.kind, req.limit))
    }
}

/// Features and score of each candidate.
#[allow(clippy::too_many_arguments)]
fn score(
    client: &Client,
    profile: &Profile,
    candidates: Vec<Candidate>,
    hires: &HashMap<i64, u32>,
    now: DateTime<Utc>,
    model: &RankerModel,
    geo: &Geo,
) -> Vec<Scored> {
    let commute_limit = client.preferences.max_commute_km.filter(|k| *k > 0.0);
    candidates
        .into_iter()
        .map(|candidate| {
            let features = features::extract(&FeatureContext {
                profile,
                candidate: &candidate,
                geo,
                hires,
                now,
            });
            Scored {
                beyond_commute: commute_limit
                    .is_some_and(|limit| features::beyond_commute(profile, &candidate, geo, limit)),
                score: model.score(features.values()),
                features,
                candidate,
            }
        })
        .collect()
}

impl ReferenceData {
    fn new(search: &SearchIndex, geo: Geo, taxonomy: Taxonomy) -> Self {
        let occupations = Arc::new(Occupations::new(taxonomy.rows(), search.analyser()));
        Self {
            geo,
            taxonomy,
            occupations,
        }
    }
}

/// The default mix: vacancies first, then a few subcontracting tasks and employer prospects
/// (IPS job development goes to employers before they advertise). A kind that has too few
/// items leaves its places to the others, so the list is as long as what is open allows.
fn choose(scored: Vec<Scored>, kind: Option<CandidateKind>, limit: usize) -> Vec<Scored> {
    if kind.is_some() {
        return scored.into_iter().take(limit).collect();
    }
    let of = |k: CandidateKind| scored.iter().filter(move |s| s.candidate.kind == k);
    let reserve = (limit / 10).max(1);
    let tasks = of(CandidateKind::Task).count().min(reserve);
    let employers = of(CandidateKind::Employer).count().min(reserve);
    let vacancies = of(CandidateKind::Vacancy)
        .count()
        .min(limit.saturating_sub(tasks + employers));
    let mut quota = HashMap::from([
        (CandidateKind::Vacancy, vacancies),
        (CandidateKind::Task, tasks),
        (CandidateKind::Employer, employers),
    ]);
    let mut left = limit - vacancies - tasks - employers;
    let mut out: Vec<Scored> = Vec::with_capacity(limit);
    let mut rest = Vec::new();
    for s in scored {
        let q = quota
            .get_mut(&s.candidate.kind)
            .expect("every kind has a quota");
        if *q > 0 {
            *q -= 1;
            out.push(s);
        } else {
            rest.push(s);
        }
    }
    for s in rest {
        if left == 0 {
            break;
        }
        left -= 1;
        out.push(s);
    }
    let rank = |k: CandidateKind| match k {
        CandidateKind::Vacancy => 0,
        CandidateKind::Task => 1,
        CandidateKind::Employer => 2,
    };
    out.sort_by(|a, b| {
        rank(a.candidate.kind)
            .cmp(&rank(b.candidate.kind))
            .then(Scored::order(a, b))
    });
    out
}

//! Candidate retrieval for matching: several cheap queries whose union is scored by the
//! ranker. The engine knows nothing of clients; matching turns a client into a
//! [`CandidateSpec`].
//!
//! Every source is bounded, and the last one (the newest open work) always returns something
//! when anything is open, so nobody gets an empty list.

use std::collections::{HashMap, HashSet};

use tantivy::collector::TopDocs;
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, BoostQuery, EnableScoring, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocSet, Order, Searcher, TantivyDocument, Term};

use super::analysis::{terms, Lang};
use super::collect::{kinds_mask, DocFilter, FilteredTopScore};
use super::index::{expired, isco_digits, lang_of_code, KIND_EMPLOYER, KIND_TASK, KIND_VACANCY};
use super::pruned::Pruned;
use super::{Result, SearchIndex};
use crate::store::Entity;

/// Distinct words of the taxonomy's names used in retrieval.
const EXTRA_WORDS: usize = 12;
/// The weight of the taxonomy's words next to the client's own.
const EXTRA_BOOST: f32 = 0.3;

/// Kinds of candidate.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum CandidateKind {
    /// An open vacancy.
    Vacancy,
    /// An open subcontracting task.
    Task,
    /// An employer in the register (a job-development prospect).
    Employer,
}

impl CandidateKind {
    /// The index's code of the kind.
    fn code(self) -> u64 {
        match self {
            CandidateKind::Vacancy => KIND_VACANCY,
            CandidateKind::Task => KIND_TASK,
            CandidateKind::Employer => KIND_EMPLOYER,
        }
    }

    fn from_code(code: u64) -> Self {
        match code {
            KIND_TASK => CandidateKind::Task,
            KIND_EMPLOYER => CandidateKind::Employer,
            _ => CandidateKind::Vacancy,
        }
    }

    /// The JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            CandidateKind::Vacancy => "vacancy",
            CandidateKind::Task => "task",
            CandidateKind::Employer => "employer",
        }
    }

    /// The kind of posting in the database (none for an employer prospect).
    pub fn entity(self) -> Option<Entity> {
        match self {
            CandidateKind::Vacancy => Some(Entity::Vacancy),
            CandidateKind::Task => Some(Entity::Task),
            CandidateKind::Employer => None,
        }
    }
}

/// What to retrieve.
#[derive(Debug, Clone, Default)]
pub struct CandidateSpec {
    /// The client's own words.
    pub text: String,
    /// Words the occupation taxonomy adds (names that ads use); weighted lower.
    pub extra_text: String,
    /// ISCO groups (1–4 digits) the client wishes.
    pub occupation_groups: Vec<String>,
    /// Lower-cased municipality names the client accepts (home included).
    pub municipalities: Vec<String>,
    /// Things to avoid, in the client's words: marks candidates, never removes them.
    pub avoid: String,
    /// Things refused inside the wish ("…, mutta en halua olla kassalla"): marks likewise.
    pub refused: String,
    /// Functional adjustments the client shared: marks employers that offer them.
    pub adjustments: String,
    /// Kinds to retrieve.
    pub kinds: Vec<CandidateKind>,
    /// Candidates per source.
    pub per_source: usize,
    /// "Now", unix seconds: postings whose last day to apply is before it are left out.
    pub now: i64,
}

/// A candidate with the values ranking needs (read from fast fields, not stored documents).
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Where it is in the index (to load it for display).
    pub address: DocAddress,
    /// Kind.
    pub kind: CandidateKind,
    /// Id within the kind.
    pub id: i64,
    /// Employer id.
    pub employer_id: i64,
    /// BM25 of the client's words; 0 when they do not occur.
    pub text_score: f32,
    /// ISCO digits of the posting's occupation (given, or inferred from its text).
    pub isco: Option<String>,
    /// How sure that occupation is: 1 given, less when inferred.
    pub isco_confidence: f64,
    /// Shifts and licences the posting names.
    pub signals: super::signals::Signals,
    /// [`super::place_key`] of the municipality, `None` when unknown.
    pub place: Option<u64>,
    /// Hours offered.
    pub hours_min: Option<f64>,
    /// Hours offered.
    pub hours_max: Option<f64>,
    /// Publication (or last activity) time, unix seconds.
    pub posted: i64,
    /// Language of the text.
    pub lang: Lang,
    /// Mentions something the client wants to avoid.
    pub avoid_hit: bool,
    /// Mentions something the client refused inside the wish.
    pub refused_hit: bool,
    /// The employer offers an adjustment the client asked for.
    pub adjustments_met: bool,
}

/// Display fields of a candidate, loaded from the stored document.
#[derive(Debug, Clone, Default)]
pub struct CandidateDoc {
    /// Source id.
    pub external_id: Option<String>,
    /// Title (an employer's name for prospects).
    pub title: String,
    /// Employer name.
    pub employer: String,
    /// Municipality.
    pub municipality: Option<String>,
    /// Description (postings) or line of work and past titles (employers).
    pub description: String,
    /// Occupation code as given.
    pub occupation_code: Option<String>,
    /// Adjustments offered.
    pub adjustments: Vec<String>,
    /// A task's estimated total hours of work.
    pub estimated_hours: Option<f64>,
}

struct Columns {
    kind: Column<u64>,
    id: Column<u64>,
    employer: Column<u64>,
    isco: Column<u64>,
    isco_confidence: Column<f64>,
    signals: Column<u64>,
    place: Column<u64>,
    lang: Column<u64>,
    posted: Column<i64>,
    hours_min: Column<f64>,
    hours_max: Column<f64>,
}

impl SearchIndex {
    /// Retrieves candidates for `spec`. CPU-bound: call from a blocking thread.
    /// `searcher` is the request's one searcher: the same one must read the candidates'
    /// documents ([`SearchIndex::candidate_docs`]), or a reload in between could make their
    /// addresses point elsewhere.
    pub fn candidates(
        &self,
        searcher: &super::RequestSearcher,
        spec: &CandidateSpec,
    ) -> Result<Vec<Candidate>> {
        // Every document is one of the three kinds. Asking for all needs no filter; vacancies
        // are nearly the whole index, so they are narrowed to by excluding the small kinds
        // (intersecting with a set that matches almost everything is what would cost).
        let all = [
            CandidateKind::Vacancy,
            CandidateKind::Task,
            CandidateKind::Employer,
        ];
        let mut kind_clauses: Vec<(Occur, Box<dyn Query>)> =
            if spec.kinds.contains(&CandidateKind::Vacancy) {
                all.iter()
                    .filter(|k| !spec.kinds.contains(k))
                    .map(|k| (Occur::MustNot, self.kind_filter(&[*k])))
                    .collect()
            } else {
                vec![(Occur::Must, self.kind_filter(&spec.kinds))]
            };
        // Postings past their last day to apply are gone from matches at once.
        kind_clauses.push((Occur::MustNot, expired(&self.fields, spec.now)));
        let filtered = |q: Box<dyn Query>| -> Box<dyn Query> {
            if kind_clauses.is_empty() {
                return q;
            }
            let mut clauses = vec![(Occur::Must, q)];
            clauses.extend(kind_clauses.iter().map(|(o, k)| (*o, k.box_clone())));
            Box::new(BooleanQuery::new(clauses))
        };
        let n = spec.per_source.max(1);
        let mut found: HashMap<DocAddress, f32> = HashMap::new();

        // 1. The client's words (and the taxonomy's), any of them, by BM25: one flat union
        // that tantivy prunes, with the kinds and the last day to apply read per document.
        if let Some(q) = self.words_query(&spec.text, &spec.extra_text) {
            let codes: Vec<u64> = spec.kinds.iter().map(|k| k.code()).collect();
            let top = FilteredTopScore {
                limit: n,
                offset: 0,
                filter: DocFilter {
                    kinds: kinds_mask(&codes),
                    now: spec.now,
                },
            };
            for (score, addr) in searcher.search(&q, &top)? {
                found.insert(addr, score);
            }
        }
        // 2. The wished occupations, nearest groups first.
        if !spec.occupation_groups.is_empty() {
            let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for group in &spec.occupation_groups {
                // From the sub-major group down: a one-digit major group spans a tenth of all
                // work and is left to the occupation feature.
                for len in group.len().min(2)..=group.len() {
                    let term = Term::from_field_text(self.fields.occupation, &group[..len]);
                    let q = TermQuery::new(term, IndexRecordOption::Basic);
                    should.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(q), len as f32)),
                    ));
                }
            }
            let q = filtered(Box::new(BooleanQuery::new(should)));
            for (_, addr) in searcher.search(&q, &TopDocs::with_limit(n).order_by_score())? {
                found.entry(addr).or_insert(0.0);
            }
        }
        // 3. The accepted places, newest first.
        if !spec.municipalities.is_empty() {
            let places: Vec<Box<dyn Query>> = spec
                .municipalities
                .iter()
                .map(|m| {
                    Box::new(TermQuery::new(
                        Term::from_field_text(self.fields.municipality_key, m),
                        IndexRecordOption::Basic,
                    )) as Box<dyn Query>
                })
                .collect();
            let q = filtered(Box::new(BooleanQuery::union(places)));
            let top = TopDocs::with_limit(n).order_by_fast_field::<i64>("posted", Order::Desc);
            for (_, addr) in searcher.search(&q, &top)? {
                found.entry(addr).or_insert(0.0);
            }
        }
        // 4. The newest open work of each kind: nobody is left without suggestions.
        for kind in &spec.kinds {
            let q: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
                (Occur::Must, self.kind_filter(&[*kind])),
                (Occur::MustNot, expired(&self.fields, spec.now)),
            ]));
            let top =
                TopDocs::with_limit(n.min(100)).order_by_fast_field::<i64>("posted", Order::Desc);
            for (_, addr) in searcher.search(&q, &top)? {
                found.entry(addr).or_insert(0.0);
            }
        }

        let mut addresses: Vec<DocAddress> = found.keys().copied().collect();
        addresses.sort_unstable();
        let avoid = self.marked(searcher, &spec.avoid, false, &addresses)?;
        let refused = self.marked(searcher, &spec.refused, false, &addresses)?;
        let adjustments = self.marked(searcher, &spec.adjustments, true, &addresses)?;
        // Postings closed after this searcher's commit are left out.
        let hidden: std::collections::HashSet<(crate::store::Entity, i64)> =
            searcher.hidden().iter().copied().collect();
        let mut columns: HashMap<u32, Columns> = HashMap::new();
        let mut out = Vec::with_capacity(found.len());
        for (addr, text_score) in found {
            let cols = match columns.entry(addr.segment_ord) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    let ff = searcher.segment_reader(addr.segment_ord).fast_fields();
                    e.insert(Columns {
                        kind: ff.u64("kind_code")?,
                        id: ff.u64("id")?,
                        employer: ff.u64("employer_id")?,
                        isco: ff.u64("isco")?,
                        isco_confidence: ff.f64("isco_confidence")?,
                        signals: ff.u64("signals")?,
                        place: ff.u64("place")?,
                        lang: ff.u64("lang_code")?,
                        posted: ff.i64("posted")?,
                        hours_min: ff.f64("hours_min")?,
                        hours_max: ff.f64("hours_max")?,
                    })
                }
            };
            let d = addr.doc_id;
            let kind = CandidateKind::from_code(cols.kind.first(d).unwrap_or(KIND_VACANCY));
            let id = cols.id.first(d).unwrap_or_default() as i64;
            let entity = match kind {
                CandidateKind::Vacancy => Some(crate::store::Entity::Vacancy),
                CandidateKind::Task => Some(crate::store::Entity::Task),
                CandidateKind::Employer => None,
            };
            if entity.is_some_and(|e| hidden.contains(&(e, id))) {
                continue;
            }
            out.push(Candidate {
                address: addr,
                kind,
                id,
                employer_id: cols.employer.first(d).unwrap_or_default() as i64,
                text_score,
                isco: cols.isco.first(d).and_then(isco_digits),
                isco_confidence: cols.isco_confidence.first(d).unwrap_or(0.0),
                signals: super::signals::Signals(cols.signals.first(d).unwrap_or(0)),
                place: cols.place.first(d).filter(|p| *p != 0),
                hours_min: cols.hours_min.first(d),
                hours_max: cols.hours_max.first(d),
                posted: cols.posted.first(d).unwrap_or_default(),
                lang: lang_of_code(cols.lang.first(d).unwrap_or_default()),
                avoid_hit: avoid.contains(&addr),
                refused_hit: refused.contains(&addr),
                adjustments_met: adjustments.contains(&addr),
            });
        }
        Ok(out)
    }

    /// Loads the display fields of candidates.
    pub fn candidate_docs(
        &self,
        searcher: &Searcher,
        addresses: &[DocAddress],
    ) -> Result<Vec<CandidateDoc>> {
        let f = &self.fields;
        addresses
            .iter()
            .map(|addr| {
                let doc: TantivyDocument = searcher.doc(*addr)?;
                let text = |field| {
                    doc.get_first(field)
                        .and_then(|v| v.as_str())
                        .map(str::to_string)
                };
                Ok(CandidateDoc {
                    external_id: text(f.external_id),
                    title: text(f.title).unwrap_or_default(),
                    employer: text(f.employer).unwrap_or_default(),
                    municipality: text(f.municipality),
                    description: text(f.description).unwrap_or_default(),
                    occupation_code: text(f.occupation_code),
                    adjustments: doc
                        .get_all(f.adjustments)
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect(),
                    estimated_hours: doc.get_first(f.estimated_hours).and_then(|v| v.as_f64()),
                })
            })
            .collect()
    }

    fn kind_filter(&self, kinds: &[CandidateKind]) -> Box<dyn Query> {
        let terms: Vec<Box<dyn Query>> = kinds
            .iter()
            .map(|k| {
                Box::new(TermQuery::new(
                    Term::from_field_text(self.fields.kind, k.as_str()),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>
            })
            .collect();
        Box::new(BooleanQuery::union(terms))
    }

    /// Any of the words of `text` and, weighted lower, of `extra`: one flat union of their
    /// term queries.
    fn words_query(&self, text: &str, extra: &str) -> Option<Pruned> {
        let mut leaves = self
            .text_queries(text, false)
            .map(|w| w.leaves())
            .unwrap_or_default();
        // The names ads use are Finnish labels: read in Finnish only, and no more than a
        // dozen distinct words (they repeat: "siivooja", "laitossiivooja", …).
        if let Some(extra) = self.text_queries_in(extra, false, &[Lang::Fi], EXTRA_WORDS) {
            leaves.extend(extra.leaves().boosted(EXTRA_BOOST));
        }
        (!leaves.is_empty()).then(|| Pruned::any(leaves))
    }

    /// Which of `candidates` (in increasing order) mention any word of `text`: for things to
    /// avoid, anywhere and in any language, compound pieces included (the client's
    /// "esimiestyö" is the ad's "esimiestehtävät" only through its parts); with
    /// `adjustments`, the stems in the employer's offered adjustments (short texts, plain term
    /// look-ups). Each candidate is looked up in the query's posting lists, so the cost is
    /// that of the candidates, not of every document that mentions the words.
    fn marked(
        &self,
        searcher: &Searcher,
        text: &str,
        adjustments: bool,
        candidates: &[DocAddress],
    ) -> Result<HashSet<DocAddress>> {
        if text.trim().is_empty() || candidates.is_empty() {
            return Ok(HashSet::new());
        }
        let tokenizers = self.index.tokenizers();
        let terms_of = |lang: Lang, field| -> Vec<Box<dyn Query>> {
            let mut analyzer = tokenizers
                .get(lang.words_analyzer())
                .expect("analyzers are registered");
            terms(&mut analyzer, text)
                .into_iter()
                .map(|t| {
                    Box::new(TermQuery::new(
                        Term::from_field_text(field, &t),
                        IndexRecordOption::Basic,
                    )) as Box<dyn Query>
                })
                .collect()
        };
        let query: Option<Box<dyn Query>> = if adjustments {
            let clauses = terms_of(Lang::Fi, self.fields.adjustments_text);
            (!clauses.is_empty()).then(|| Box::new(BooleanQuery::union(clauses)) as Box<dyn Query>)
        } else {
            self.text_queries(text, false)
                .map(|w| Box::new(w.any()) as Box<dyn Query>)
        };
        let Some(query) = query else {
            return Ok(HashSet::new());
        };
        let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
        let mut out = HashSet::new();
        for segment in candidates.chunk_by(|a, b| a.segment_ord == b.segment_ord) {
            let reader = searcher.segment_reader(segment[0].segment_ord);
            let mut scorer = weight.scorer(reader, 1.0)?;
            for addr in segment {
                if scorer.doc() < addr.doc_id {
                    scorer.seek(addr.doc_id);
                }
                if scorer.doc() == addr.doc_id {
                    out.insert(*addr);
                }
            }
        }
        Ok(out)
    }
}

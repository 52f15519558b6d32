//! Searching: user text becomes analysed terms (never query-parser syntax), every word must
//! match somewhere (in any language's stem, a compound piece or the employer's name), and when
//! no posting has every word, postings with most of them are returned instead.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::TopDocs;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};

use super::prefix::PrefixQuery;
use super::snippet::Cutter;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};
use utoipa::ToSchema;

use super::analysis::{
    colloquial, compound_forms, snippet_words, stem_root, terms, voikko_query_terms, words,
    Analyser, Lang, NAME_ANALYZER,
};
use super::collect::{
    count_up_to, kinds_mask, top_and_count_words, DocFilter, FilteredTopScore,
    FilteredTopScoreAndCount, COUNT_CAP,
};
use super::index::{KIND_TASK, KIND_VACANCY};
use super::pruned::{Leaves, Pruned};
use super::{Result, SearchError, SearchIndex};
use crate::store::Entity;

/// At most this many query words are used; the rest are ignored.
const MAX_WORDS: usize = 32;
/// The query words of a text, each as the queries that find it (its leaves).
pub(super) struct Words(Vec<Leaves>);

impl Words {
    /// Every word must match; the score is the sum of the matching leaves.
    pub(super) fn all(&self) -> Pruned {
        Pruned::all(self.0.clone())
    }

    /// Any word may match, with the same score.
    pub(super) fn any(&self) -> Pruned {
        Pruned::any(self.leaves())
    }

    /// Every leaf of every word.
    pub(super) fn leaves(&self) -> Leaves {
        let mut all = Leaves::default();
        for w in &self.0 {
            all.extend(w.clone());
        }
        all
    }

    /// The text is one word: "all" and "any" are the same query.
    fn one_word(&self) -> bool {
        self.0.len() == 1
    }
}

/// Characters of description shown around the matched words.
const SNIPPET_CHARS: usize = 220;

const TITLE_BOOST: f32 = 3.0;
const BODY_BOOST: f32 = 1.0;
const PART_BOOST: f32 = 0.5;
/// A compound query word's head found alone ("varastotyöntekijä" -> "työntekijä").
const TAIL_BOOST: f32 = 0.4;
/// A word of the same family ("hitsaus" -> "hitsaaja").
const ROOT_BOOST: f32 = 0.4;
const EMPLOYER_BOOST: f32 = 1.0;

/// Which postings to search.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SearchKind {
    /// Open-market vacancies.
    Vacancy,
    /// Subcontracting tasks.
    Task,
}

/// A search.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// Free text in Finnish, Swedish or English; empty lists the newest postings.
    pub q: String,
    /// Only this kind.
    pub kind: Option<SearchKind>,
    /// Only this municipality (case-insensitive).
    pub municipality: Option<String>,
    /// Only this employer's postings (employer users see their own only).
    pub employer_id: Option<i64>,
    /// Page size.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
}

/// One hit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Hit {
    /// `vacancy` or `task`.
    pub kind: String,
    /// Id within the kind.
    pub id: i64,
    /// Source identifier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_id: Option<String>,
    /// Title.
    pub title: String,
    /// Employer name.
    pub employer: String,
    /// Municipality, null when unknown.
    pub municipality: Option<String>,
    /// Relevance (BM25; higher is better). 0 when listing without a query.
    pub score: f32,
    /// A passage of the description around the matched words, plain text.
    pub snippet: String,
    /// The same passage as HTML with matched words in `<b>`.
    pub snippet_html: String,
}

/// A page of (score, address), the number of matches, and whether that number is a lower bound.
type Page = (Vec<(f32, DocAddress)>, usize, bool);

/// Query clauses with how each must occur.
type Clauses = Vec<(Occur, Box<dyn Query>)>;

/// What narrows a search besides its words: queries a posting must match (municipality,
/// employer) and one it must not (postings closed since the last commit).
struct Narrowing {
    required: Vec<Box<dyn Query>>,
    hidden: Option<Box<dyn Query>>,
}

impl Narrowing {
    /// `query` narrowed.
    fn apply(&self, mut query: Pruned) -> Pruned {
        for q in &self.required {
            query.require(q.box_clone());
        }
        if let Some(h) = &self.hidden {
            query.exclude(h.box_clone());
        }
        query
    }

    /// As query clauses, for a listing by date (nothing to prune).
    fn clauses(&self) -> Clauses {
        let mut out: Clauses = self
            .required
            .iter()
            .map(|q| (Occur::Must, q.box_clone()))
            .collect();
        out.extend(self.hidden.iter().map(|h| (Occur::MustNot, h.box_clone())));
        out
    }
}

/// Whether `total` is the exact number of matches or a lower bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TotalRelation {
    /// `total` is exact.
    Eq,
    /// At least `total` postings match (counting stops at 10,000).
    Gte,
}

/// A page of hits.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResults {
    /// Postings that match: exact up to 10,000; beyond that 10,000 with `total_relation`
    /// `gte` (at least that many).
    pub total: usize,
    /// `eq` when `total` is exact, `gte` when it is a lower bound.
    pub total_relation: TotalRelation,
    /// This page.
    pub hits: Vec<Hit>,
}

impl SearchResults {
    fn new(total: usize, more: bool, hits: Vec<Hit>) -> Self {
        SearchResults {
            total,
            total_relation: if more {
                TotalRelation::Gte
            } else {
                TotalRelation::Eq
            },
            hits,
        }
    }
}

/// A page of hits without their snippets yet: a snippet is cut from the posting's
/// description, which only the database keeps. [`UncutPage::postings`] says which to read,
/// [`UncutPage::cut`] cuts them ([`SearchIndex::search`] does both).
pub struct UncutPage {
    results: SearchResults,
    /// Per hit, the language its snippet is cut in.
    langs: Vec<Lang>,
    /// One snippet generator per language met (none when listing without words).
    generators: Vec<(Lang, Cutter)>,
}

impl UncutPage {
    /// The hits, their snippets still empty.
    pub fn hits(&self) -> &[Hit] {
        &self.results.hits
    }

    /// The postings of the page, in order: whose descriptions the snippets need.
    pub fn postings(&self) -> Vec<(Entity, i64)> {
        self.results
            .hits
            .iter()
            .filter_map(|h| Some((hit_entity(&h.kind)?, h.id)))
            .collect()
    }

    /// The results, each hit's snippet cut from its description in `texts` (a passage around
    /// the matched words, or the description's start). A hit whose description is missing
    /// (the posting is gone since the index was read) gets an empty snippet.
    pub fn cut(self, texts: &HashMap<(Entity, i64), String>) -> SearchResults {
        let UncutPage {
            mut results,
            langs,
            mut generators,
        } = self;
        for (hit, lang) in results.hits.iter_mut().zip(langs) {
            let description = hit_entity(&hit.kind)
                .and_then(|e| texts.get(&(e, hit.id)))
                .map(String::as_str)
                .unwrap_or_default();
            if let Some((_, g)) = generators.iter_mut().find(|(l, _)| *l == lang) {
                if let Some(cut) = g.cut(description) {
                    hit.snippet = cut.text;
                    hit.snippet_html = cut.html;
                    continue;
                }
            }
            let lead = lead(description, SNIPPET_CHARS);
            hit.snippet_html = html_escape(&lead);
            hit.snippet = lead;
        }
        results
    }
}

/// The posting kind of a hit's `kind`.
fn hit_entity(kind: &str) -> Option<Entity> {
    match kind {
        "vacancy" => Some(Entity::Vacancy),
        "task" => Some(Entity::Task),
        _ => None,
    }
}

impl SearchIndex {
    /// Runs a search: the page from the index on a blocking thread, the descriptions of its
    /// hits from the database, their snippets cut on a blocking thread.
    pub async fn search(&self, req: SearchRequest) -> Result<SearchResults> {
        let index = self.clone();
        let span = tracing::Span::current();
        let page = tokio::task::spawn_blocking(move || span.in_scope(|| index.page(&req)))
            .await
            .map_err(|e| SearchError::Task(e.to_string()))??;
        let texts = self.descriptions_or_none(&page.postings()).await;
        tokio::task::spawn_blocking(move || page.cut(&texts))
            .await
            .map_err(|e| SearchError::Task(e.to_string()))
    }

    /// A search's page, its snippets not cut yet. CPU-bound: call it from a blocking thread.
    pub fn page(&self, req: &SearchRequest) -> Result<UncutPage> {
        let searcher = self.searcher();
        let (filter, required) = self.filters(req);
        let narrowing = Narrowing {
            required,
            // Postings closed after this searcher's commit are left out (and not counted).
            hidden: self.hidden_query(searcher.hidden()),
        };
        let limit = req.limit.max(1);
        let Some(words) = self.text_queries(&req.q, true) else {
            let query = with_filters(Box::new(AllQuery), narrowing.clauses());
            let top = TopDocs::with_limit(limit)
                .and_offset(req.offset)
                .order_by_fast_field::<i64>("posted", Order::Desc);
            // Listing without words: the filter is a query here (nothing to prune).
            let filtered = with_filters(query.box_clone(), self.filter_clauses(req));
            let docs = searcher.search(&filtered, &top)?;
            let (total, more) = count_up_to(&searcher, query.as_ref(), &[], filter, COUNT_CAP)?;
            return self.uncut(
                &searcher,
                None,
                docs.into_iter().map(|(_, d)| (0.0, d)),
                (total, more),
            );
        };
        let top = FilteredTopScore {
            limit,
            offset: req.offset,
            filter,
        };
        // The page and the number of matches of one query. A page that is not full holds
        // every match (nothing was pruned before it filled), so it is its own count. Several
        // words that must all match visit every match anyway: counted on the way.
        let page = |q: &Pruned| -> Result<Page> {
            if q.visits_all() {
                let (docs, n) = match q.words_weight(&searcher)? {
                    // Each leaf's postings read once, term at a time.
                    Some(w) => top_and_count_words(&searcher, &w, top)?,
                    None => searcher.search(q, &FilteredTopScoreAndCount(top))?,
                };
                return Ok((docs, n.min(COUNT_CAP), n > COUNT_CAP));
            }
            let docs = searcher.search(q, &top)?;
            let (total, more) = if docs.len() < limit && req.offset == 0 {
                (docs.len(), false)
            } else {
                count_up_to(&searcher, q, &q.sure_terms(), filter, COUNT_CAP)?
            };
            Ok((docs, total, more))
        };
        let strict = narrowing.apply(words.all());
        let (mut docs, mut total, mut more) = page(&strict)?;
        let mut used = strict;
        // No posting has every word: one with any of them (one word: the same query).
        if total == 0 && !words.one_word() {
            let loose = narrowing.apply(words.any());
            (docs, total, more) = page(&loose)?;
            used = loose;
        }
        self.uncut(&searcher, Some(&used), docs.into_iter(), (total, more))
    }

    /// Finnish stems of the words of `text` (stop words dropped).
    pub fn finnish_stems(&self, text: &str) -> Vec<String> {
        let mut analyzer = self
            .index
            .tokenizers()
            .get(Lang::Fi.words_analyzer())
            .expect("analyzers are registered");
        let mut stems = terms(&mut analyzer, text);
        stems.dedup();
        stems
    }

    /// What a search keeps: the kinds and the last day to apply, checked per document in
    /// the collector; and the queries a posting must match (municipality, employer).
    fn filters(&self, req: &SearchRequest) -> (DocFilter, Vec<Box<dyn Query>>) {
        let f = &self.fields;
        // Employer prospects live in the index for matching only.
        let kinds = match req.kind {
            Some(SearchKind::Task) => kinds_mask(&[KIND_TASK]),
            Some(SearchKind::Vacancy) => kinds_mask(&[KIND_VACANCY]),
            None => kinds_mask(&[KIND_VACANCY, KIND_TASK]),
        };
        // Postings past their last day to apply are gone from search at once.
        let filter = DocFilter {
            kinds,
            now: chrono::Utc::now().timestamp(),
        };
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        if let Some(m) = req.municipality.as_deref().filter(|m| !m.trim().is_empty()) {
            let m = crate::domain::normalize_locality(m).unwrap_or_else(|| m.trim().to_string());
            out.push(term_query(Term::from_field_text(
                f.municipality_key,
                &m.to_lowercase(),
            )));
        }
        if let Some(e) = req.employer_id {
            out.push(term_query(Term::from_field_u64(
                f.employer_id,
                e.max(0) as u64,
            )));
        }
        (filter, out)
    }

    /// The kind and last-day filters as query clauses (for listings ordered by date, where
    /// there is no score to prune by).
    fn filter_clauses(&self, req: &SearchRequest) -> Clauses {
        let f = &self.fields;
        let kind = |k: &str| term_query(Term::from_field_text(f.kind, k));
        let mut out: Vec<(Occur, Box<dyn Query>)> = match req.kind {
            Some(SearchKind::Task) => vec![(Occur::Must, kind("task"))],
            Some(SearchKind::Vacancy) => vec![
                (Occur::MustNot, kind("task")),
                (Occur::MustNot, kind("employer")),
            ],
            None => vec![(Occur::MustNot, kind("employer"))],
        };
        out.push((
            Occur::MustNot,
            super::index::expired(f, chrono::Utc::now().timestamp()),
        ));
        out
    }

    /// The words of a text as the term queries that find each; `None` when the text has no
    /// searchable word. With `employer`, a word may also match the employer's name (search);
    /// matching leaves it out, since a wish is about the work.
    pub(super) fn text_queries(&self, q: &str, employer: bool) -> Option<Words> {
        self.text_queries_in(q, employer, &Lang::ALL, MAX_WORDS)
    }

    /// [`SearchIndex::text_queries`] with the words read in `langs` only, at most `max_words`
    /// distinct words.
    pub(super) fn text_queries_in(
        &self,
        q: &str,
        employer: bool,
        langs: &[Lang],
        max_words: usize,
    ) -> Option<Words> {
        let tokenizers = self.index.tokenizers();
        let mut names = tokenizers.get(NAME_ANALYZER)?;
        let mut analyzers: Vec<(Lang, _)> = langs
            .iter()
            .filter_map(|&l| tokenizers.get(l.words_analyzer()).map(|a| (l, a)))
            .collect();
        let present = self.languages_present();
        let mut words = terms(&mut names, q);
        let mut seen = std::collections::HashSet::new();
        words.retain(|w| seen.insert(w.clone()));
        let mut clauses: Vec<Leaves> = Vec::new();
        for word in words.into_iter().take(max_words) {
            let per_lang: Vec<(Lang, Vec<String>)> = analyzers
                .iter_mut()
                .map(|(l, a)| (*l, terms(a, &word)))
                .collect();
            // A stop word in any of the languages ("ja", "och", "the") carries no meaning.
            if per_lang.iter().any(|(_, t)| t.is_empty()) {
                continue;
            }
            let mut should = Leaves::default();
            if employer {
                should.terms.push((
                    Term::from_field_text(self.fields.employer, &word),
                    EMPLOYER_BOOST,
                ));
            }
            for (lang, stems) in per_lang {
                // No document in this language: its terms cannot match anything.
                if present.contains(&lang) {
                    self.word_clauses(&word, lang, stems, &mut should);
                }
            }
            // A colloquial job word also means the standard one ads use ("raksa" -> "rakennus").
            for standard in colloquial(&word) {
                if let Some(mut fi) = tokenizers.get(Lang::Fi.words_analyzer()) {
                    let stems = terms(&mut fi, &standard);
                    if !stems.is_empty() {
                        self.word_clauses(&standard, Lang::Fi, stems, &mut should);
                    }
                }
            }
            clauses.push(should);
        }
        (!clauses.is_empty()).then_some(Words(clauses))
    }

    /// The languages that have at least one document in the index now.
    fn languages_present(&self) -> Vec<Lang> {
        let searcher = self.reader.searcher();
        Lang::ALL
            .into_iter()
            .filter(|l| {
                searcher
                    .doc_freq(&Term::from_field_text(self.fields.lang, l.code()))
                    .is_ok_and(|n| n > 0)
            })
            .collect()
    }

    /// What one query word looks for in the fields of `lang`, given its `stems` there.
    fn word_clauses(&self, word: &str, lang: Lang, stems: Vec<String>, should: &mut Leaves) {
        let lf = self.fields.of(lang);
        let should = std::cell::RefCell::new(should);
        let add = |field, text: &str, boost| {
            should
                .borrow_mut()
                .terms
                .push((Term::from_field_text(field, text), boost));
        };
        // A prefix look-up scores the same for every match.
        let add_constant = |q: Box<dyn Query>| should.borrow_mut().constant.push(q);
        if lang == Lang::Fi && self.analyser == Analyser::Voikko {
            if let Some(qt) = voikko_query_terms(word) {
                for base in &qt.bases {
                    add(lf.title, base, TITLE_BOOST);
                    add(lf.body, base, BODY_BOOST);
                    // The word as a part of a compound: "keittiö" in "keittiöapulainen".
                    add(lf.parts, base, PART_BOOST);
                }
                for tail in &qt.tails {
                    add(lf.title, tail, TAIL_BOOST * TITLE_BOOST);
                    add(lf.body, tail, TAIL_BOOST);
                    add(lf.parts, tail, TAIL_BOOST * PART_BOOST);
                }
                for root in &qt.roots {
                    add(lf.roots, root, ROOT_BOOST);
                }
                return;
            }
        }
        for stem in stems {
            add(lf.title, &stem, TITLE_BOOST);
            add(lf.body, &stem, BODY_BOOST);
            if let Some(root) = stem_root(&stem) {
                add(lf.roots, &root, ROOT_BOOST);
            }
            // English barely compounds: its pieces would cost a look-up for nothing.
            if lang == Lang::En {
                continue;
            }
            for form in compound_forms(&stem, lang) {
                // Tails are indexed; a prefix of a tail is a part anywhere in a word.
                add_constant(Box::new(BoostQuery::new(
                    Box::new(PrefixQuery::new(lf.parts, &form)),
                    PART_BOOST,
                )));
            }
        }
    }

    /// Snippets of `lang` for `query`: a [`Cutter`] over the analyzer of [`snippet_words`]
    /// (Finnish under Voikko), or over the language's words analyzer, with tantivy's scores
    /// (1 / (1 + document frequency) of each of the query's terms in the body field).
    fn snippet_generator(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        lang: Lang,
    ) -> Result<Cutter> {
        let field = self.fields.of(lang).body;
        let mut terms: Vec<String> = Vec::new();
        query.query_terms(&mut |term, _| {
            if term.field() == field {
                if let Some(t) = term.value().as_str() {
                    terms.push(t.to_string());
                }
            }
        });
        // A word in several clauses is one term (one document frequency to read).
        terms.sort_unstable();
        terms.dedup();
        let analyzer = snippet_words(lang, self.analyser, &terms).unwrap_or_else(|| words(lang));
        let mut scores = Vec::with_capacity(terms.len());
        for t in terms {
            let n = searcher.doc_freq(&Term::from_field_text(field, &t))?;
            if n > 0 {
                scores.push((t, 1.0 / (1.0 + n as f32)));
            }
        }
        Ok(Cutter::new(scores, analyzer, SNIPPET_CHARS))
    }

    /// The page of `docs`, `query` being what matched them (none: a listing), `(total,
    /// more)` the count.
    fn uncut(
        &self,
        searcher: &Searcher,
        query: Option<&dyn Query>,
        docs: impl Iterator<Item = (f32, DocAddress)>,
        (total, more): (usize, bool),
    ) -> Result<UncutPage> {
        let f = &self.fields;
        let mut generators: Vec<(Lang, Cutter)> = Vec::new();
        let mut hits = Vec::new();
        let mut langs = Vec::new();
        for (score, address) in docs {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            let lang = text(f.lang)
                .as_deref()
                .and_then(Lang::from_code)
                .unwrap_or(Lang::Fi);
            if let Some(query) = query {
                if !generators.iter().any(|(l, _)| *l == lang) {
                    let g = self.snippet_generator(searcher, query, lang)?;
                    generators.push((lang, g));
                }
            }
            langs.push(lang);
            hits.push(Hit {
                kind: text(f.kind).unwrap_or_default(),
                id: doc
                    .get_first(f.id)
                    .and_then(|v| v.as_u64())
                    .unwrap_or_default() as i64,
                external_id: text(f.external_id),
                title: text(f.title).unwrap_or_default(),
                employer: text(f.employer).unwrap_or_default(),
                municipality: text(f.municipality),
                score,
                snippet: String::new(),
                snippet_html: String::new(),
            });
        }
        Ok(UncutPage {
            results: SearchResults::new(total, more, hits),
            langs,
            generators,
        })
    }
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

fn with_filters(query: Box<dyn Query>, filters: Vec<(Occur, Box<dyn Query>)>) -> Box<dyn Query> {
    if filters.is_empty() {
        return query;
    }
    let mut clauses = vec![(Occur::Must, query)];
    // Filters must hold (or must not) but add nothing to the score.
    clauses.extend(filters.into_iter().map(|(occur, f)| {
        let f: Box<dyn Query> = match occur {
            Occur::Must => Box::new(ConstScoreQuery::new(f, 0.0)),
            _ => f,
        };
        (occur, f)
    }));
    Box::new(BooleanQuery::new(clauses))
}

/// The first `max` characters of `text`, cut at a word boundary.
fn lead(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    match cut.rfind(' ') {
        Some(i) => format!("{}…", &cut[..i]),
        None => cut,
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

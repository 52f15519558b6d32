//! Searching: user text becomes analysed terms (never query-parser syntax), every word must
//! match somewhere (in any language's stem, a compound piece or the employer's name), and when
//! no posting has every word, postings with most of them are returned instead.

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, RegexQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};
use utoipa::ToSchema;

use super::analysis::{
    colloquial, compound_forms, stem_root, terms, voikko_query_terms, Analyser, Lang, NAME_ANALYZER,
};
use super::{Result, SearchIndex};

/// At most this many query words are used; the rest are ignored.
const MAX_WORDS: usize = 32;
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

/// A page of hits.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResults {
    /// All postings that match.
    pub total: usize,
    /// This page.
    pub hits: Vec<Hit>,
}

impl SearchIndex {
    /// Runs a search. CPU-bound: call it from a blocking thread.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let searcher = self.searcher();
        let mut filters = self.filters(req);
        // Postings closed after this searcher's commit are left out (and not counted).
        if let Some(q) = self.hidden_query(searcher.hidden()) {
            filters.push((Occur::MustNot, q));
        }
        let limit = req.limit.max(1);
        let Some((all_words, any_word)) = self.text_queries(&req.q, true) else {
            let query = with_filters(Box::new(AllQuery), filters);
            let top = TopDocs::with_limit(limit)
                .and_offset(req.offset)
                .order_by_fast_field::<i64>("posted", Order::Desc);
            let (total, docs) = searcher.search(&query, &(Count, top))?;
            let hits = self.hits(&searcher, None, docs.into_iter().map(|(_, d)| (0.0, d)))?;
            return Ok(SearchResults { total, hits });
        };
        let strict = with_filters(
            all_words,
            filters.iter().map(|(o, q)| (*o, q.box_clone())).collect(),
        );
        let top = || {
            TopDocs::with_limit(limit)
                .and_offset(req.offset)
                .order_by_score()
        };
        let (mut total, mut docs) = searcher.search(&strict, &(Count, top()))?;
        let mut used: Box<dyn Query> = strict;
        if total == 0 {
            let loose = with_filters(any_word, filters);
            (total, docs) = searcher.search(&loose, &(Count, top()))?;
            used = loose;
        }
        let hits = self.hits(&searcher, Some(used.as_ref()), docs.into_iter())?;
        Ok(SearchResults { total, hits })
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

    fn filters(&self, req: &SearchRequest) -> Vec<(Occur, Box<dyn Query>)> {
        let f = &self.fields;
        let kind = |k: &str| term_query(Term::from_field_text(f.kind, k));
        // Vacancies are nearly the whole index: narrowing to them is cheapest by excluding the
        // small kinds. Employer prospects live in the index for matching only.
        let mut out: Vec<(Occur, Box<dyn Query>)> = match req.kind {
            Some(SearchKind::Task) => vec![(Occur::Must, kind("task"))],
            Some(SearchKind::Vacancy) => vec![
                (Occur::MustNot, kind("task")),
                (Occur::MustNot, kind("employer")),
            ],
            None => vec![(Occur::MustNot, kind("employer"))],
        };
        // Postings past their last day to apply are gone from search at once.
        out.push((
            Occur::MustNot,
            super::index::expired(f, chrono::Utc::now().timestamp()),
        ));
        if let Some(m) = req.municipality.as_deref().filter(|m| !m.trim().is_empty()) {
            let m = crate::domain::normalize_locality(m).unwrap_or_else(|| m.trim().to_string());
            out.push((
                Occur::Must,
                term_query(Term::from_field_text(f.municipality_key, &m.to_lowercase())),
            ));
        }
        if let Some(e) = req.employer_id {
            out.push((
                Occur::Must,
                term_query(Term::from_field_u64(f.employer_id, e.max(0) as u64)),
            ));
        }
        out
    }

    /// The query where every word must match, and the one where any may; `None` when the text
    /// has no searchable word. With `employer`, a word may also match the employer's name
    /// (search); matching leaves it out, since a wish is about the work.
    pub(super) fn text_queries(
        &self,
        q: &str,
        employer: bool,
    ) -> Option<(Box<dyn Query>, Box<dyn Query>)> {
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
    ) -> Option<(Box<dyn Query>, Box<dyn Query>)> {
        let tokenizers = self.index.tokenizers();
        let mut names = tokenizers.get(NAME_ANALYZER)?;
        let mut analyzers: Vec<(Lang, _)> = langs
            .iter()
            .filter_map(|&l| tokenizers.get(l.words_analyzer()).map(|a| (l, a)))
            .collect();
        let mut words = terms(&mut names, q);
        let mut seen = std::collections::HashSet::new();
        words.retain(|w| seen.insert(w.clone()));
        let mut clauses: Vec<Box<dyn Query>> = Vec::new();
        for word in words.into_iter().take(max_words) {
            let per_lang: Vec<(Lang, Vec<String>)> = analyzers
                .iter_mut()
                .map(|(l, a)| (*l, terms(a, &word)))
                .collect();
            // A stop word in any of the languages ("ja", "och", "the") carries no meaning.
            if per_lang.iter().any(|(_, t)| t.is_empty()) {
                continue;
            }
            let mut should: Vec<Box<dyn Query>> = Vec::new();
            if employer {
                should.push(boosted(
                    Term::from_field_text(self.fields.employer, &word),
                    EMPLOYER_BOOST,
                ));
            }
            for (lang, stems) in per_lang {
                self.word_clauses(&word, lang, stems, &mut should);
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
            clauses.push(Box::new(BooleanQuery::union(should)));
        }
        if clauses.is_empty() {
            return None;
        }
        let any: Vec<(Occur, Box<dyn Query>)> = clauses
            .iter()
            .map(|c| (Occur::Should, c.box_clone()))
            .collect();
        let all: Vec<(Occur, Box<dyn Query>)> =
            clauses.into_iter().map(|c| (Occur::Must, c)).collect();
        Some((
            Box::new(BooleanQuery::new(all)),
            Box::new(BooleanQuery::new(any)),
        ))
    }

    /// What one query word looks for in the fields of `lang`, given its `stems` there.
    fn word_clauses(
        &self,
        word: &str,
        lang: Lang,
        stems: Vec<String>,
        should: &mut Vec<Box<dyn Query>>,
    ) {
        let lf = self.fields.of(lang);
        let should = std::cell::RefCell::new(should);
        let add = |field, text: &str, boost| {
            should
                .borrow_mut()
                .push(boosted(Term::from_field_text(field, text), boost));
        };
        let add_query = |q: Box<dyn Query>| should.borrow_mut().push(q);
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
                if let Ok(q) =
                    RegexQuery::from_pattern(&format!("{}.*", regex_escape(&form)), lf.parts)
                {
                    add_query(Box::new(BoostQuery::new(Box::new(q), PART_BOOST)));
                }
            }
        }
    }

    fn hits(
        &self,
        searcher: &Searcher,
        query: Option<&dyn Query>,
        docs: impl Iterator<Item = (f32, DocAddress)>,
    ) -> Result<Vec<Hit>> {
        let f = &self.fields;
        let mut generators: Vec<(Lang, SnippetGenerator)> = Vec::new();
        let mut hits = Vec::new();
        for (score, address) in docs {
            let doc: TantivyDocument = searcher.doc(address)?;
            let text = |field| {
                doc.get_first(field)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
            };
            let description = text(f.description).unwrap_or_default();
            let lang = text(f.lang)
                .as_deref()
                .and_then(Lang::from_code)
                .unwrap_or(Lang::Fi);
            let mut snippet = (String::new(), String::new());
            if let Some(query) = query {
                if !generators.iter().any(|(l, _)| *l == lang) {
                    let mut g = SnippetGenerator::create(searcher, query, f.of(lang).body)?;
                    g.set_max_num_chars(SNIPPET_CHARS);
                    generators.push((lang, g));
                }
                let g = &generators
                    .iter()
                    .find(|(l, _)| *l == lang)
                    .expect("just added")
                    .1;
                let s = g.snippet(&description);
                if !s.fragment().is_empty() {
                    snippet = (s.fragment().to_string(), s.to_html());
                }
            }
            if snippet.0.is_empty() {
                let lead = lead(&description, SNIPPET_CHARS);
                snippet = (lead.clone(), html_escape(&lead));
            }
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
                snippet: snippet.0,
                snippet_html: snippet.1,
            });
        }
        Ok(hits)
    }
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

fn boosted(term: Term, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(
        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
        boost,
    ))
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

/// Escapes regex metacharacters (stems are alphanumeric, but never trust that).
pub(super) fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else {
            out.push('\\');
            out.push(c);
        }
    }
    out
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

//! The query of a search, shaped so that tantivy skips what cannot reach the page.
//!
//! A search used to be an intersection of per-word unions of term queries, the per-word
//! unions nested inside. Its score is the sum of the terms that match, but tantivy prunes
//! (Block-WAND) only a flat union of term queries that read frequencies, so every document of
//! every word was scored. [`Pruned`] keeps that score and the same matches:
//!
//! - **One word, or any word** (the fallback, and matching's retrieval): a flat union of all
//!   the term queries, which tantivy prunes. A required query (a municipality, an employer)
//!   and an excluded one (postings closed since the last commit) are checked per document the
//!   union yields, as a forward seek on their posting lists.
//! - **Several words that must all match**: [`Conjunction`] leapfrogs on the words' posting
//!   lists through their skip data and scores only the documents every word holds. Measured
//!   at 1M postings, pruning the flat union and dropping documents that lack a word was
//!   slower: too many documents have one word well.
//! - **Leaves of constant score** (a compound piece looked up by prefix, where there is no
//!   Voikko) would stop the pruning if they joined the union. They are kept beside it: the
//!   union is pruned against the threshold less the most they can add, each document it
//!   yields gets theirs added, and the documents that only they match (scoring at most that
//!   much) are visited afterwards, only while the threshold is below it.
//!
//! Counting and explaining use the same conjunction, or else the equivalent nested boolean
//! query, so the paths cannot disagree on which documents match.

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EnableScoring, Explanation, Occur, Query, Scorer,
    TermQuery, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, Term, TERMINATED};

use super::maxscore::TermUnion;
use super::taat::WordsWeight;

/// One word of a query: the terms that find it, each scored by BM25 times its boost, and the
/// queries of constant score (prefix look-ups).
#[derive(Debug, Default)]
pub(super) struct Leaves {
    /// Terms of fields with frequencies, each with its boost.
    pub(super) terms: Vec<(Term, Score)>,
    /// Queries whose every match scores the same.
    pub(super) constant: Vec<Box<dyn Query>>,
}

impl Clone for Leaves {
    fn clone(&self) -> Self {
        Leaves {
            terms: self.terms.clone(),
            constant: clone_all(&self.constant),
        }
    }
}

/// A term scored by BM25 times `boost`, as a query.
fn term_query(term: &Term, boost: Score) -> Box<dyn Query> {
    Box::new(BoostQuery::new(
        Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
        boost,
    ))
}

impl Leaves {
    /// The term leaves as queries.
    fn term_queries(&self) -> Vec<Box<dyn Query>> {
        self.terms.iter().map(|(t, b)| term_query(t, *b)).collect()
    }

    /// Every query of both kinds.
    fn all(&self) -> Vec<Box<dyn Query>> {
        self.term_queries()
            .into_iter()
            .chain(clone_all(&self.constant))
            .collect()
    }

    /// The same leaves with their scores multiplied by `boost`.
    pub(super) fn boosted(self, boost: Score) -> Leaves {
        Leaves {
            terms: self
                .terms
                .into_iter()
                .map(|(t, b)| (t, b * boost))
                .collect(),
            constant: self
                .constant
                .into_iter()
                .map(|q| Box::new(BoostQuery::new(q, boost)) as Box<dyn Query>)
                .collect(),
        }
    }

    /// Both kinds of `other` added.
    pub(super) fn extend(&mut self, other: Leaves) {
        self.terms.extend(other.terms);
        self.constant.extend(other.constant);
    }

    pub(super) fn is_empty(&self) -> bool {
        self.terms.is_empty() && self.constant.is_empty()
    }
}

fn clone_all(qs: &[Box<dyn Query>]) -> Vec<Box<dyn Query>> {
    qs.iter().map(|q| q.box_clone()).collect()
}

/// The sum of `leaves` as the score, with the rule of `groups` and `excluded` checked per
/// document. See the module documentation.
#[derive(Debug)]
pub(super) struct Pruned {
    /// Every leaf: the score is the sum of those that match.
    leaves: Leaves,
    /// When several words must all match: the leaves of each.
    words: Vec<Vec<Box<dyn Query>>>,
    /// The same words as leaves, for scoring them term at a time ([`super::taat`]).
    word_leaves: Vec<Leaves>,
    /// Each of these must match too; they add nothing to the score.
    required: Vec<Box<dyn Query>>,
    /// No document that one of these matches is kept.
    excluded: Vec<Box<dyn Query>>,
}

impl Clone for Pruned {
    fn clone(&self) -> Self {
        Pruned {
            leaves: self.leaves.clone(),
            words: self.words.iter().map(|g| clone_all(g)).collect(),
            word_leaves: self.word_leaves.clone(),
            required: clone_all(&self.required),
            excluded: clone_all(&self.excluded),
        }
    }
}

impl Pruned {
    /// Any of `leaves`, scored by their sum.
    pub(super) fn any(leaves: Leaves) -> Self {
        Pruned {
            leaves,
            words: Vec::new(),
            word_leaves: Vec::new(),
            required: Vec::new(),
            excluded: Vec::new(),
        }
    }

    /// Every word must match (one of its leaves), and the score is the sum of all of them.
    pub(super) fn all(words: Vec<Leaves>) -> Self {
        let mut leaves = Leaves::default();
        for w in &words {
            leaves.extend(w.clone());
        }
        Pruned {
            leaves,
            // One word: its leaves are the union itself.
            words: if words.len() > 1 {
                words.iter().map(Leaves::all).collect()
            } else {
                Vec::new()
            },
            word_leaves: if words.len() > 1 { words } else { Vec::new() },
            required: Vec::new(),
            excluded: Vec::new(),
        }
    }

    /// Whether collecting the best documents visits every match anyway (several words that
    /// must all match: the intersection is scored whole).
    pub(super) fn visits_all(&self) -> bool {
        !self.words.is_empty()
    }

    /// Terms whose every document this query matches: the term leaves when one of them
    /// matching is enough (one word, or any word, with nothing required or excluded); none
    /// otherwise.
    pub(super) fn sure_terms(&self) -> Vec<Term> {
        if !self.words.is_empty() || !self.required.is_empty() || !self.excluded.is_empty() {
            return Vec::new();
        }
        self.leaves.terms.iter().map(|(t, _)| t.clone()).collect()
    }

    /// The words weighed to be scored term at a time ([`super::taat`]), when several words
    /// must all match.
    pub(super) fn words_weight(&self, searcher: &Searcher) -> tantivy::Result<Option<WordsWeight>> {
        if self.word_leaves.is_empty() {
            return Ok(None);
        }
        let scored = EnableScoring::enabled_from_searcher(searcher);
        let unscored = EnableScoring::disabled_from_searcher(searcher);
        let weights = |qs: &[Box<dyn Query>], e: EnableScoring<'_>| {
            qs.iter()
                .map(|q| q.weight(e))
                .collect::<tantivy::Result<Vec<_>>>()
        };
        let words = self
            .word_leaves
            .iter()
            .map(|w| Ok((w.terms.clone(), weights(&w.constant, scored)?)))
            .collect::<tantivy::Result<Vec<_>>>()?;
        WordsWeight::new(
            searcher,
            words,
            weights(&self.required, unscored)?,
            weights(&self.excluded, unscored)?,
        )
        .map(Some)
    }

    /// Only documents that `query` matches (unscored).
    pub(super) fn require(&mut self, query: Box<dyn Query>) {
        self.required.push(query);
    }

    /// No document that `query` matches.
    pub(super) fn exclude(&mut self, query: Box<dyn Query>) {
        self.excluded.push(query);
    }

    /// The same rule as one nested boolean query: the leaves' union must match (and gives the
    /// score), each group must match, no excluded query may.
    fn nested(&self) -> BooleanQuery {
        let union = BooleanQuery::union(self.leaves.all());
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(union))];
        let groups = self.words.iter().map(|w| clone_all(w));
        for group in groups.chain(self.required.iter().map(|q| vec![q.box_clone()])) {
            let any = BooleanQuery::union(group);
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(any), 0.0)),
            ));
        }
        for q in &self.excluded {
            clauses.push((Occur::MustNot, q.box_clone()));
        }
        BooleanQuery::new(clauses)
    }
}

impl Query for Pruned {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let unscored = match scoring.searcher() {
            Some(searcher) => EnableScoring::disabled_from_searcher(searcher),
            None => EnableScoring::disabled_from_schema(scoring.schema()),
        };
        let weights = |qs: &[Box<dyn Query>], e: EnableScoring<'_>| {
            qs.iter()
                .map(|q| q.weight(e))
                .collect::<tantivy::Result<Vec<_>>>()
        };
        let required = weights(&self.required, unscored)?;
        let excluded = weights(&self.excluded, unscored)?;
        // Several words: the intersection answers every path, and nothing else is weighed.
        if !self.words.is_empty() {
            return Ok(Box::new(PrunedWeight {
                terms: Union::Weight(BooleanQuery::union(Vec::new()).weight(scoring)?),
                terms_present: Vec::new(),
                constant: Vec::new(),
                words: self
                    .words
                    .iter()
                    .map(|g| weights(g, scoring))
                    .collect::<tantivy::Result<_>>()?,
                required,
                excluded,
                nested: None,
            }));
        }
        let constant = weights(&self.leaves.constant, scoring)?;
        let terms = match scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Union::MaxScore(TermUnion::new(statistics_provider, &self.leaves.terms)?),
            EnableScoring::Disabled { .. } => {
                Union::Weight(BooleanQuery::union(self.leaves.term_queries()).weight(scoring)?)
            }
        };
        Ok(Box::new(PrunedWeight {
            terms,
            // Only the second pass over constant leaves asks which documents they hold.
            terms_present: if constant.is_empty() {
                Vec::new()
            } else {
                weights(&self.leaves.term_queries(), unscored)?
            },
            constant,
            words: Vec::new(),
            required,
            excluded,
            nested: Some(self.nested().weight(scoring)?),
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (t, _) in &self.leaves.terms {
            visitor(t, false);
        }
        for q in &self.leaves.constant {
            q.query_terms(visitor);
        }
    }
}

/// The flat union of the term leaves.
enum Union {
    /// Scored: MaxScore over the leaves ([`super::maxscore`]).
    MaxScore(TermUnion),
    /// Unscored (or no leaves): tantivy's union.
    Weight(Box<dyn Weight>),
}

impl Union {
    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        match self {
            Union::MaxScore(u) => u.for_each_pruning(threshold, reader, callback),
            Union::Weight(w) => w.for_each_pruning(threshold, reader, callback),
        }
    }
}

struct PrunedWeight {
    /// The flat union of the term leaves, scored.
    terms: Union,
    /// The term leaves one by one, unscored (only with constant leaves).
    terms_present: Vec<Box<dyn Weight>>,
    /// The constant leaves, scored.
    constant: Vec<Box<dyn Weight>>,
    /// When several words must all match: the leaves of each, scored as the query is.
    words: Vec<Vec<Box<dyn Weight>>>,
    /// The queries that must match, unscored.
    required: Vec<Box<dyn Weight>>,
    /// The excluded queries, unscored.
    excluded: Vec<Box<dyn Weight>>,
    /// Everything as one boolean query, for the paths that do not prune (not with several
    /// words, where the intersection serves them).
    nested: Option<Box<dyn Weight>>,
}

/// Whether `scorer` holds `doc`, moving it forward to `doc` first. Documents are asked for
/// in increasing order.
fn holds(scorer: &mut Box<dyn Scorer>, doc: DocId) -> bool {
    if scorer.doc() < doc {
        scorer.seek(doc);
    }
    scorer.doc() == doc
}

/// The scorers of `weights` in a segment, without those that match nothing there.
fn scorers(
    ws: &[Box<dyn Weight>],
    reader: &SegmentReader,
) -> tantivy::Result<Vec<Box<dyn Scorer>>> {
    let mut out = Vec::with_capacity(ws.len());
    for w in ws {
        let s = w.scorer(reader, 1.0)?;
        if s.doc() != TERMINATED {
            out.push(s);
        }
    }
    Ok(out)
}

/// The required and excluded queries of one segment, checked for documents in increasing
/// order.
struct Rule {
    required: Vec<Box<dyn Scorer>>,
    excluded: Vec<Box<dyn Scorer>>,
}

impl Rule {
    /// `None` when a required query matches nothing in the segment (nothing there is kept).
    fn new(w: &PrunedWeight, reader: &SegmentReader) -> tantivy::Result<Option<Rule>> {
        let required = scorers(&w.required, reader)?;
        if required.len() < w.required.len() {
            return Ok(None);
        }
        Ok(Some(Rule {
            required,
            excluded: scorers(&w.excluded, reader)?,
        }))
    }

    fn keeps(&mut self, doc: DocId) -> bool {
        self.required.iter_mut().all(|s| holds(s, doc))
            && !self.excluded.iter_mut().any(|s| holds(s, doc))
    }
}

/// Documents that every word (and every required query) matches, found by leapfrogging on
/// the words' posting lists (each a forward seek through skip data), and scored as the sum of
/// the leaves on the document: only the documents of the intersection are scored.
struct Conjunction {
    /// The words' leaves, then each required query alone; the cheapest group first.
    groups: Vec<Vec<Box<dyn Scorer>>>,
    /// How many of the first groups are words (scored).
    scored: usize,
    /// The group that proposes documents: the cheapest.
    lead: usize,
    excluded: Vec<Box<dyn Scorer>>,
    doc: DocId,
}

impl Conjunction {
    /// `None` when a group matches nothing in this segment.
    fn new(
        w: &PrunedWeight,
        reader: &SegmentReader,
        boost: Score,
    ) -> tantivy::Result<Option<Self>> {
        let mut words = Vec::with_capacity(w.words.len());
        for word in &w.words {
            let mut leaves = Vec::with_capacity(word.len());
            for l in word {
                let s = l.scorer(reader, boost)?;
                if s.doc() != TERMINATED {
                    leaves.push(s);
                }
            }
            if leaves.is_empty() {
                return Ok(None);
            }
            words.push(leaves);
        }
        let mut required = Vec::with_capacity(w.required.len());
        for q in &w.required {
            let s = q.scorer(reader, 1.0)?;
            if s.doc() == TERMINATED {
                return Ok(None);
            }
            required.push(vec![s]);
        }
        let cost = |g: &Vec<Box<dyn Scorer>>| g.iter().map(|s| s.size_hint() as u64).sum::<u64>();
        // The words keep the query's order, so a score sums its terms in the same order in
        // every segment (an index built another way scores to the last bit the same).
        let scored = words.len();
        let mut groups = words;
        groups.extend(required);
        let lead = (0..groups.len())
            .min_by_key(|&i| cost(&groups[i]))
            .unwrap_or(0);
        let mut c = Conjunction {
            groups,
            scored,
            lead,
            excluded: scorers(&w.excluded, reader)?,
            doc: 0,
        };
        c.doc = c.find(0);
        Ok(Some(c))
    }

    /// The first document at or after `target` that every group holds and no excluded
    /// query does.
    fn find(&mut self, mut target: DocId) -> DocId {
        'next: loop {
            target = seek_group(&mut self.groups[self.lead], target);
            if target == TERMINATED {
                return TERMINATED;
            }
            for i in 0..self.groups.len() {
                if i == self.lead {
                    continue;
                }
                let d = seek_group(&mut self.groups[i], target);
                if d != target {
                    // The first document this group holds from the target on: the next
                    // candidate (or the end).
                    target = d;
                    continue 'next;
                }
            }
            if self.excluded.iter_mut().any(|s| holds(s, target)) {
                target += 1;
                continue;
            }
            return target;
        }
    }
}

/// The first document at or after `target` that any scorer of `group` holds. It stops at the
/// first scorer that holds `target`: the others stay behind until asked.
fn seek_group(group: &mut [Box<dyn Scorer>], target: DocId) -> DocId {
    let mut first = TERMINATED;
    for s in group.iter_mut() {
        if s.doc() < target {
            s.seek(target);
        }
        if s.doc() == target {
            return target;
        }
        first = first.min(s.doc());
    }
    first
}

impl DocSet for Conjunction {
    fn advance(&mut self) -> DocId {
        if self.doc != TERMINATED {
            self.doc = self.find(self.doc + 1);
        }
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc < target {
            self.doc = self.find(target);
        }
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.groups[self.lead]
            .iter()
            .map(|s| s.size_hint())
            .fold(0u32, u32::saturating_add)
    }
}

impl Scorer for Conjunction {
    /// The sum of the words' leaves on the document, as the nested query scores it.
    fn score(&mut self) -> Score {
        let doc = self.doc;
        self.groups[..self.scored]
            .iter_mut()
            .flatten()
            .filter_map(|s| holds(s, doc).then(|| s.score()))
            .sum()
    }
}

/// The threshold the term union must beat when constant leaves may still add `most`.
fn less(threshold: Score, most: Score) -> Score {
    if threshold == Score::MIN {
        Score::MIN
    } else {
        threshold - most
    }
}

impl Weight for PrunedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        if let Some(nested) = &self.nested {
            return nested.scorer(reader, boost);
        }
        Ok(match Conjunction::new(self, reader, boost)? {
            Some(c) => Box::new(c),
            None => Box::new(tantivy::query::EmptyScorer),
        })
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if let Some(nested) = &self.nested {
            return nested.explain(reader, doc);
        }
        let mut c = self.scorer(reader, 1.0)?;
        if c.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new("sum of the words' term scores", c.score()))
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        let mut scorer = self.scorer(reader, 1.0)?;
        Ok(match reader.alive_bitset() {
            Some(alive) => scorer.count(alive),
            None => scorer.count_including_deleted(),
        })
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        if self.words.is_empty()
            && self.required.is_empty()
            && self.excluded.is_empty()
            && self.constant.is_empty()
        {
            return self.terms.for_each_pruning(threshold, reader, callback);
        }
        // Several words: the flat union would weigh every document that has one of them
        // well, to keep only those that have all (measured slower at 1M postings), so the
        // intersection of the words drives, and only the documents in it are scored.
        if !self.words.is_empty() {
            let Some(mut c) = Conjunction::new(self, reader, 1.0)? else {
                return Ok(());
            };
            let mut current = threshold;
            let mut doc = c.doc();
            while doc != TERMINATED {
                let score = c.score();
                if score > current {
                    current = callback(doc, score);
                }
                doc = c.advance();
            }
            return Ok(());
        }
        let Some(mut rule) = Rule::new(self, reader)? else {
            return Ok(());
        };
        // The constant leaves of this segment with the score each adds.
        let constant = |reader| -> tantivy::Result<Vec<(Box<dyn Scorer>, Score)>> {
            Ok(scorers(&self.constant, reader)?
                .into_iter()
                .map(|mut s| {
                    let v = s.score();
                    (s, v)
                })
                .collect())
        };
        let mut extra = constant(reader)?;
        let most: Score = extra.iter().map(|(_, v)| *v).sum();
        let mut current = threshold;
        // A union without term leaves yields nothing.
        self.terms
            .for_each_pruning(less(threshold, most), reader, &mut |doc, score| {
                if rule.keeps(doc) {
                    let added: Score = extra
                        .iter_mut()
                        .filter_map(|(s, v)| holds(s, doc).then_some(*v))
                        .sum();
                    if score + added > current {
                        current = callback(doc, score + added);
                    }
                }
                less(current, most)
            })?;
        if extra.is_empty() || current >= most {
            return Ok(());
        }
        // Documents that only constant leaves match score at most `most`, which the
        // threshold does not reach yet: visit them in order.
        let Some(mut rule) = Rule::new(self, reader)? else {
            return Ok(());
        };
        let mut terms = scorers(&self.terms_present, reader)?;
        let mut extra = constant(reader)?;
        loop {
            let doc = extra
                .iter()
                .map(|(s, _)| s.doc())
                .min()
                .unwrap_or(TERMINATED);
            if doc == TERMINATED {
                break;
            }
            let mut score = 0.0;
            for (s, v) in extra.iter_mut() {
                if s.doc() == doc {
                    score += *v;
                    s.advance();
                }
            }
            // A document a term leaf matches was weighed in the first pass.
            if score > current && !terms.iter_mut().any(|s| holds(s, doc)) && rule.keeps(doc) {
                current = callback(doc, score);
                if current >= most {
                    break;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BoostQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, STRING, TEXT};
    use tantivy::{doc, Index};

    fn pair(field: tantivy::schema::Field, text: &str, boost: f32) -> (Term, Score) {
        (Term::from_field_text(field, text), boost)
    }

    fn term(field: tantivy::schema::Field, text: &str, boost: f32) -> Box<dyn Query> {
        Box::new(BoostQuery::new(
            Box::new(TermQuery::new(
                Term::from_field_text(field, text),
                IndexRecordOption::WithFreqs,
            )),
            boost,
        ))
    }

    /// Pruning returns what the nested query returns, scores included, for conjunctions,
    /// required filters and exclusions, over several segments.
    #[test]
    fn pruned_top_k_equals_the_nested_query() {
        let mut schema = Schema::builder();
        let title = schema.add_text_field("title", TEXT);
        let body = schema.add_text_field("body", TEXT);
        let place = schema.add_text_field("place", STRING);
        let id = schema.add_u64_field("id", tantivy::schema::INDEXED);
        let index = Index::create_in_ram(schema.build());
        let mut writer: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        let words = ["siivooja", "kokki", "myyjä", "hoitaja", "kuljettaja", "ja"];
        let places = ["espoo", "oulu", "turku"];
        // A fixed pseudo-random corpus: document i has a few words in title and body.
        let mut x: u64 = 7;
        let mut next = |n: usize| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((x >> 33) % n as u64) as usize
        };
        for i in 0..3000 {
            let mut t: Vec<&str> = (0..1 + next(2)).map(|_| words[next(words.len())]).collect();
            if i % 797 == 0 {
                t.push("harvinainen");
            }
            let mut b: Vec<&str> = (0..2 + next(12))
                .map(|_| words[next(words.len())])
                .collect();
            if i % 37 == 0 {
                b.push("satunnainen");
            }
            writer
                .add_document(doc!(
                    title => t.join(" "),
                    body => b.join(" "),
                    place => places[next(3)],
                    id => i as u64,
                ))
                .unwrap();
            if i % 700 == 699 {
                writer.commit().unwrap();
            }
        }
        // Deleted documents are never returned, on any path.
        for i in (0..3000u64).step_by(50) {
            writer.delete_term(Term::from_field_u64(id, i));
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let word = |w: &str| Leaves {
            terms: vec![pair(title, w, 3.0), pair(body, w, 1.0)],
            constant: Vec::new(),
        };
        // A constant leaf, as a prefix look-up is: every match scores `score`.
        let constant = |w: &str, score: f32| -> Box<dyn Query> {
            Box::new(ConstScoreQuery::new(
                Box::new(TermQuery::new(
                    Term::from_field_text(body, w),
                    IndexRecordOption::Basic,
                )),
                score,
            ))
        };
        let in_oulu = || -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(place, "oulu"),
                IndexRecordOption::Basic,
            ))
        };
        let cases: Vec<Pruned> = vec![
            Pruned::all(vec![word("siivooja")]),
            Pruned::all(vec![word("siivooja"), word("kokki")]),
            Pruned::all(vec![word("myyjä"), word("hoitaja"), word("kuljettaja")]),
            {
                let mut p = Pruned::all(vec![word("kokki"), word("ja")]);
                p.require(in_oulu());
                p.exclude(term(title, "hoitaja", 1.0));
                p
            },
            {
                let mut leaves = word("kokki");
                leaves.extend(word("myyjä"));
                let mut p = Pruned::any(leaves);
                p.exclude(term(body, "ja", 1.0));
                p
            },
            // Several words with a constant leaf in one of them (the intersection path).
            {
                let mut kokki = word("kokki");
                kokki.constant.push(constant("hoitaja", 0.7));
                Pruned::all(vec![kokki, word("myyjä")])
            },
            Pruned::any(Leaves {
                terms: vec![pair(title, "kokki", 1.0)],
                constant: vec![constant("hoitaja", 5.0), constant("myyjä", 2.5)],
            }),
            {
                let mut p = Pruned::any(Leaves {
                    terms: vec![pair(title, "kokki", 1.0)],
                    constant: vec![constant("hoitaja", 0.5)],
                });
                p.require(in_oulu());
                p
            },
            // A rare term barely weighed: most of the page is documents only the constant
            // leaf matches.
            Pruned::any(Leaves {
                terms: vec![pair(title, "harvinainen", 0.01)],
                constant: vec![constant("hoitaja", 0.8)],
            }),
            // The first pass ends with a full page below what the constant leaves can add:
            // the second pass must bring the documents only they match (several of them,
            // one excluded query).
            {
                let mut p = Pruned::any(Leaves {
                    terms: vec![pair(title, "kokki", 0.05)],
                    constant: vec![constant("hoitaja", 3.0), constant("satunnainen", 5.0)],
                });
                p.exclude(term(title, "myyjä", 1.0));
                p
            },
            // A prefix look-up, as search builds it where there is no Voikko.
            Pruned::any(Leaves {
                terms: vec![pair(title, "siivooja", 1.0)],
                constant: vec![Box::new(tantivy::query::BoostQuery::new(
                    Box::new(super::super::prefix::PrefixQuery::new(body, "kul")),
                    4.0,
                ))],
            }),
            Pruned::all(vec![
                Leaves {
                    terms: Vec::new(),
                    constant: vec![constant("siivooja", 1.5)],
                },
                word("kuljettaja"),
            ]),
        ];
        for (i, pruned) in cases.iter().enumerate() {
            let nested = pruned.nested();
            let top = TopDocs::with_limit(15).order_by_score();
            let a = searcher.search(pruned, &top).unwrap();
            let b = searcher.search(&nested, &top).unwrap();
            assert_eq!(a.len(), 15, "case {i} fills a page");
            assert_eq!(a.len(), b.len(), "case {i}");
            for (x, y) in a.iter().zip(&b) {
                assert!((x.0 - y.0).abs() < 1e-4, "case {i}: {x:?} vs {y:?}");
            }
            // Each pruned hit is a match of the nested query, with its score.
            let every: std::collections::HashMap<_, _> = searcher
                .search(&nested, &TopDocs::with_limit(10_000).order_by_score())
                .unwrap()
                .into_iter()
                .map(|(score, address)| (address, score))
                .collect();
            for (score, address) in &a {
                let s = every
                    .get(address)
                    .expect("a pruned hit matches the nested query");
                assert!((s - score).abs() < 1e-4, "case {i}");
            }
            // Explaining a hit gives its score, on either path.
            let explained = pruned.explain(&searcher, a[0].1).unwrap().value();
            assert!((explained - a[0].0).abs() < 1e-4, "case {i}: {explained}");
            // Documents tied on score may come in either order; the score sets agree above
            // and the matches counted agree here.
            assert_eq!(
                searcher.search(pruned, &Count).unwrap(),
                searcher.search(&nested, &Count).unwrap(),
                "case {i}"
            );
        }
    }
}

//! Collecting hits without giving up tantivy's top-k pruning: the cheap filters every search
//! has (which kinds, not past the last day to apply) are read from fast fields in the
//! collector instead of being query clauses, so a one-word search stays a pure union of term
//! queries and Block-WAND skips what cannot reach the top; and the number of matches is
//! counted exactly only up to a cap.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::postings::TermInfo;
use tantivy::query::{EnableScoring, Query, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{
    DocAddress, DocId, InvertedIndexReader, Score, Searcher, SegmentOrdinal, SegmentReader, Term,
    TERMINATED,
};

use super::taat::WordsWeight;

/// Matches are counted exactly up to this many; beyond it the count is a lower bound.
pub const COUNT_CAP: usize = 10_000;

/// Which documents a search may return, read from fast fields per document.
#[derive(Debug, Clone, Copy)]
pub struct DocFilter {
    /// Bit `1 << kind_code` set for each kind allowed.
    pub kinds: u64,
    /// Documents whose last day to apply is before this (unix seconds) are left out.
    pub now: i64,
}

impl DocFilter {
    /// What the filter keeps of one segment: from the cache of [`Kept`] sets when a set made
    /// earlier still holds at this filter's time, else read from the fast fields (and cached).
    fn kept_in(&self, reader: &SegmentReader) -> tantivy::Result<SegmentFilter> {
        let key = (reader.segment_id(), reader.num_deleted_docs(), self.kinds);
        let cached = KEPT
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&key)
            .filter(|k| k.holds_at(self.now))
            .cloned();
        let kept = match cached {
            Some(kept) => kept,
            None => {
                let kept = std::sync::Arc::new(Kept::read(reader, self)?);
                let mut cache = KEPT.lock().unwrap_or_else(|e| e.into_inner());
                if cache.len() >= KEPT_SETS {
                    // Sets of merged-away segments and other indexes go; the next searches
                    // read theirs again.
                    cache.clear();
                }
                cache.insert(key, kept.clone());
                kept
            }
        };
        Ok(SegmentFilter { kept })
    }
}

/// Sets of kept documents cached, at most: one per segment, kind mask and delete count in
/// use (a merge leaves sets of segments that are gone until the cache is emptied).
const KEPT_SETS: usize = 64;

type KeptKey = (tantivy::index::SegmentId, DocId, u64);

/// The [`Kept`] sets of every index in the process, by segment (segment ids are unique
/// across indexes), delete count (deletes only add up, so the count names the alive set) and
/// kind mask.
static KEPT: std::sync::LazyLock<
    std::sync::Mutex<std::collections::HashMap<KeptKey, std::sync::Arc<Kept>>>,
> = std::sync::LazyLock::new(Default::default);

/// The documents of one segment a filter keeps: alive, of a kind allowed and not past their
/// last day to apply at the filter's time when the set was read, one bit each. Reading the
/// kind and last day of each candidate from the fast fields, per search, was a tenth of a
/// search's CPU at 1M postings; a bit is one load. The set is the same at any time in `(before, until]`: no document's last day
/// falls between (see [`Kept::holds_at`]), so it is read again only when one does.
#[derive(Debug)]
struct Kept {
    bits: Vec<u64>,
    /// The latest last day to apply before the time the set was read at (or `i64::MIN`).
    before: i64,
    /// The earliest last day to apply at or after that time (or `i64::MAX`).
    until: i64,
}

impl Kept {
    fn read(reader: &SegmentReader, filter: &DocFilter) -> tantivy::Result<Kept> {
        let ff = reader.fast_fields();
        let kind = ff.u64("kind_code")?;
        let valid_through = ff.i64("valid_through")?;
        let alive = reader.alive_bitset();
        let max = reader.max_doc();
        let mut kept = Kept {
            bits: vec![0; (max as usize).div_ceil(64)],
            before: i64::MIN,
            until: i64::MAX,
        };
        for doc in 0..max {
            if alive.is_some_and(|a| a.is_deleted(doc)) {
                continue;
            }
            let k = kind.first(doc).unwrap_or(u64::MAX);
            if k >= 64 || filter.kinds & (1 << k) == 0 {
                continue;
            }
            let last = valid_through.first(doc).unwrap_or(i64::MAX);
            if last >= filter.now {
                kept.bits[doc as usize / 64] |= 1 << (doc % 64);
                kept.until = kept.until.min(last);
            } else {
                kept.before = kept.before.max(last);
            }
        }
        Ok(kept)
    }

    /// Whether the set is what the filter keeps at time `now`: no last day to apply lies
    /// between the time it was read at and `now` (a document kept while `last >= now`).
    fn holds_at(&self, now: i64) -> bool {
        self.before < now && now <= self.until
    }

    #[inline]
    fn keeps(&self, doc: DocId) -> bool {
        self.bits
            .get(doc as usize / 64)
            .is_some_and(|w| w & (1 << (doc % 64)) != 0)
    }
}

struct SegmentFilter {
    kept: std::sync::Arc<Kept>,
}

impl SegmentFilter {
    #[inline]
    fn keeps(&self, doc: DocId) -> bool {
        self.kept.keeps(doc)
    }
}

/// The best `limit` documents by score after skipping `offset`, among those the filter keeps.
#[derive(Clone, Copy)]
pub struct FilteredTopScore {
    /// Page size.
    pub limit: usize,
    /// Hits skipped.
    pub offset: usize,
    /// Which documents may be returned.
    pub filter: DocFilter,
}

/// Never used: [`FilteredTopScore`] collects each segment itself.
pub struct NoSegmentCollector;

impl SegmentCollector for NoSegmentCollector {
    type Fruit = Vec<(Score, DocAddress)>;
    fn collect(&mut self, _doc: DocId, _score: Score) {}
    fn harvest(self) -> Self::Fruit {
        Vec::new()
    }
}

impl Collector for FilteredTopScore {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = NoSegmentCollector;

    fn for_segment(&self, _: SegmentOrdinal, _: &SegmentReader) -> tantivy::Result<Self::Child> {
        Ok(NoSegmentCollector)
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        Ok(self.page(fruits.into_iter().flatten().collect()))
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment_ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Fruit> {
        let filter = self.filter.kept_in(reader)?;
        let mut top = TopHeap::new(self.limit + self.offset);
        weight.for_each_pruning(Score::MIN, reader, &mut |doc, score| {
            if filter.keeps(doc) {
                top.push(score, doc);
            }
            top.threshold()
        })?;
        Ok(top.into_docs(segment_ord))
    }
}

impl FilteredTopScore {
    /// The page of the segments' best documents: by score, then document.
    fn page(&self, mut all: Vec<(Score, DocAddress)>) -> Vec<(Score, DocAddress)> {
        all.sort_by(|a, b| {
            b.0.partial_cmp(&a.0)
                .unwrap_or(Ordering::Equal)
                .then_with(|| a.1.cmp(&b.1))
        });
        all.into_iter().skip(self.offset).take(self.limit).collect()
    }
}

/// [`FilteredTopScore`] and the number of documents the filter keeps, in one pass that visits
/// every match: for a query that visits them all anyway (several words that must all match),
/// this saves counting them in a second pass.
pub struct FilteredTopScoreAndCount(pub FilteredTopScore);

/// Never used: [`FilteredTopScoreAndCount`] collects each segment itself.
pub struct NoCountingSegmentCollector;

impl SegmentCollector for NoCountingSegmentCollector {
    type Fruit = (Vec<(Score, DocAddress)>, usize);
    fn collect(&mut self, _doc: DocId, _score: Score) {}
    fn harvest(self) -> Self::Fruit {
        (Vec::new(), 0)
    }
}

impl Collector for FilteredTopScoreAndCount {
    type Fruit = (Vec<(Score, DocAddress)>, usize);
    type Child = NoCountingSegmentCollector;

    fn for_segment(&self, _: SegmentOrdinal, _: &SegmentReader) -> tantivy::Result<Self::Child> {
        Ok(NoCountingSegmentCollector)
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        let count = fruits.iter().map(|(_, n)| n).sum();
        let all = fruits.into_iter().flat_map(|(docs, _)| docs).collect();
        Ok((self.0.page(all), count))
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment_ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Fruit> {
        let filter = self.0.filter.kept_in(reader)?;
        let mut top = TopHeap::new(self.0.limit + self.0.offset);
        let mut count = 0usize;
        weight.for_each(reader, &mut |doc, score| {
            if filter.keeps(doc) {
                count += 1;
                if score > top.threshold() {
                    top.push(score, doc);
                }
            }
        })?;
        Ok((top.into_docs(segment_ord), count))
    }
}

/// [`FilteredTopScoreAndCount`] for several words that must all match, scored term at a time
/// ([`super::taat`]): the same page and count.
pub(super) fn top_and_count_words(
    searcher: &Searcher,
    weight: &WordsWeight,
    top: FilteredTopScore,
) -> tantivy::Result<(Vec<(Score, DocAddress)>, usize)> {
    let mut all = Vec::new();
    let mut count = 0usize;
    let best = top.limit + top.offset;
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        let filter = top.filter.kept_in(reader)?;
        let mut heap = TopHeap::new(best);
        count += weight.for_each_match(
            reader,
            &mut |doc| filter.keeps(doc),
            best,
            &mut |doc, score| {
                if score > heap.threshold() {
                    heap.push(score, doc);
                }
            },
        )?;
        all.extend(heap.into_docs(ord as SegmentOrdinal));
    }
    Ok((top.page(all), count))
}

/// How many documents the filter keeps among those `query` matches, exactly up to `cap`;
/// the flag says the real number may be larger. `sure` are terms whose every document
/// `query` matches (any may be given, or none): when one of them alone holds more than `cap`
/// kept documents, so does the query, and its own leaves are never read. A common word
/// reaches the cap within its widest leaf's first blocks, where reading the union of a
/// dozen leaves to count the same was a tenth of a one-word search's CPU at 1M postings.
pub fn count_up_to(
    searcher: &Searcher,
    query: &dyn Query,
    sure: &[Term],
    filter: DocFilter,
    cap: usize,
) -> tantivy::Result<(usize, bool)> {
    if !sure.is_empty() && one_term_exceeds(searcher, sure, filter, cap)? {
        return Ok((cap, true));
    }
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut n = 0usize;
    for reader in searcher.segment_readers() {
        let keep = filter.kept_in(reader)?;
        let mut scorer = weight.scorer(reader, 1.0)?;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if keep.keeps(doc) {
                n += 1;
                if n > cap {
                    return Ok((cap, true));
                }
            }
            doc = scorer.advance();
        }
    }
    Ok((n, false))
}

/// Whether more than `cap` documents that the filter keeps hold one of `terms`, reading in
/// each segment (largest first) only the posting list of the term most documents there hold,
/// without frequencies, and stopping once the count exceeds `cap`. The count adds up across
/// segments; a term that holds fewer there leaves the answer at no.
fn one_term_exceeds(
    searcher: &Searcher,
    terms: &[Term],
    filter: DocFilter,
    cap: usize,
) -> tantivy::Result<bool> {
    let mut readers: Vec<&SegmentReader> = searcher.segment_readers().iter().collect();
    readers.sort_by_key(|r| Reverse(r.num_docs()));
    let mut n = 0usize;
    for reader in readers {
        let mut widest: Option<(TermInfo, std::sync::Arc<InvertedIndexReader>)> = None;
        for term in terms {
            let inverted = reader.inverted_index(term.field())?;
            if let Some(info) = inverted.get_term_info(term)? {
                if widest
                    .as_ref()
                    .is_none_or(|(w, _)| info.doc_freq > w.doc_freq)
                {
                    widest = Some((info, inverted));
                }
            }
        }
        let Some((info, inverted)) = widest else {
            continue;
        };
        let keep = filter.kept_in(reader)?;
        let mut block =
            inverted.read_block_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
        while !block.docs().is_empty() {
            n += block.docs().iter().filter(|&&d| keep.keeps(d)).count();
            if n > cap {
                return Ok(true);
            }
            block.advance();
        }
    }
    Ok(false)
}

/// Which kinds a search covers, as the filter's bit set.
pub fn kinds_mask(kinds: &[u64]) -> u64 {
    kinds.iter().fold(0, |m, k| m | (1 << k))
}

struct Entry {
    score: Score,
    doc: DocId,
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Entry {
    /// Higher score is greater; on equal scores the lower document wins.
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .partial_cmp(&other.score)
            .unwrap_or(Ordering::Equal)
            .then_with(|| other.doc.cmp(&self.doc))
    }
}

/// A min-heap of the best `k` (score, doc) whose threshold is always the k-th best score, so
/// Block-WAND prunes with a tight bound.
struct TopHeap {
    heap: BinaryHeap<Reverse<Entry>>,
    k: usize,
}

impl TopHeap {
    fn new(k: usize) -> Self {
        TopHeap {
            heap: BinaryHeap::with_capacity(k.min(1024)),
            k,
        }
    }

    #[inline]
    fn push(&mut self, score: Score, doc: DocId) {
        if self.k == 0 {
            return;
        }
        if self.heap.len() < self.k {
            self.heap.push(Reverse(Entry { score, doc }));
        } else if let Some(mut min) = self.heap.peek_mut() {
            // An equal score loses to the earlier document, whatever order they come in.
            let entry = Entry { score, doc };
            if entry > min.0 {
                *min = Reverse(entry);
            }
        }
    }

    /// The documents kept, with their segment.
    fn into_docs(self, segment_ord: SegmentOrdinal) -> Vec<(Score, DocAddress)> {
        self.heap
            .into_iter()
            .map(|Reverse(e)| (e.score, DocAddress::new(segment_ord, e.doc)))
            .collect()
    }

    #[inline]
    fn threshold(&self) -> Score {
        if self.heap.len() < self.k {
            Score::MIN
        } else {
            self.heap.peek().map_or(Score::MIN, |Reverse(e)| e.score)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_heap_keeps_the_best_and_the_earlier_of_equals() {
        let mut h = TopHeap::new(2);
        for (s, d) in [(1.0, 0), (3.0, 1), (2.0, 2), (3.0, 3), (0.5, 4)] {
            h.push(s, d);
        }
        let mut got: Vec<(Score, DocId)> = h
            .heap
            .into_iter()
            .map(|Reverse(e)| (e.score, e.doc))
            .collect();
        got.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap().then(a.1.cmp(&b.1)));
        assert_eq!(got, vec![(3.0, 1), (3.0, 3)]);
    }

    /// An empty index in memory with the fields a filter reads: text, `kind_code`,
    /// `valid_through` and an id.
    fn empty_index() -> (tantivy::Index, [tantivy::schema::Field; 4]) {
        use tantivy::schema::{Schema, FAST, STRING, TEXT};
        let mut b = Schema::builder();
        let text = b.add_text_field("text", TEXT);
        let kind = b.add_u64_field("kind_code", FAST);
        let valid = b.add_i64_field("valid_through", FAST);
        let id = b.add_text_field("id", STRING);
        let index = tantivy::Index::create_in_ram(b.build());
        (index, [text, kind, valid, id])
    }

    /// An index of `n` documents with the word "työ": kinds 0, 1, 2 in turn, and every
    /// fourth past its last day (at 100; now is 1000).
    fn index(n: u64) -> (tantivy::Index, tantivy::schema::Field) {
        let (index, [text, kind, valid, _]) = empty_index();
        let mut w: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        for i in 0..n {
            let until = if i % 4 == 3 { 100 } else { i64::MAX };
            w.add_document(tantivy::doc!(text => "työ", kind => i % 3, valid => until))
                .unwrap();
        }
        w.commit().unwrap();
        (index, text)
    }

    fn word(field: tantivy::schema::Field) -> tantivy::query::TermQuery {
        tantivy::query::TermQuery::new(
            tantivy::Term::from_field_text(field, "työ"),
            tantivy::schema::IndexRecordOption::WithFreqs,
        )
    }

    #[test]
    fn counting_is_exact_up_to_the_cap_and_then_a_lower_bound() {
        let (index, text) = index(24);
        let searcher = index.reader().unwrap().searcher();
        let all = DocFilter {
            kinds: kinds_mask(&[0, 1, 2]),
            now: 1000,
        };
        // 24 documents, 6 of them past their last day.
        assert_eq!(
            count_up_to(&searcher, &word(text), &[], all, 100).unwrap(),
            (18, false)
        );
        assert_eq!(
            count_up_to(&searcher, &word(text), &[], all, 18).unwrap(),
            (18, false)
        );
        assert_eq!(
            count_up_to(&searcher, &word(text), &[], all, 17).unwrap(),
            (17, true)
        );
        let vacancies = DocFilter {
            kinds: kinds_mask(&[0]),
            now: 1000,
        };
        // Kind 0 is documents 0, 3, …, 21; of those 3, 7, 11, 15, 19, 23 expire: 3 and 15.
        assert_eq!(
            count_up_to(&searcher, &word(text), &[], vacancies, 100).unwrap(),
            (6, false)
        );
    }

    /// Sure terms change no count: the widest of them settles it when it alone holds more
    /// than the cap (added up over segments), and the query counts otherwise.
    #[test]
    fn a_sure_term_over_the_cap_settles_the_count_and_changes_none() {
        use tantivy::query::{BooleanQuery, TermQuery};
        use tantivy::schema::IndexRecordOption;
        let (index, [text, kind, valid, _]) = empty_index();
        let mut w: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        // Three segments of ten: "työ" in all, "apu" in the even ones; 3 and 7 of each expire.
        for _ in 0..3 {
            for i in 0..10u64 {
                let words = if i % 2 == 0 { "apu työ" } else { "työ" };
                let until = if i % 4 == 3 { 100 } else { i64::MAX };
                w.add_document(tantivy::doc!(text => words, kind => i % 3, valid => until))
                    .unwrap();
            }
            w.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 3);
        let term = |t: &str| Term::from_field_text(text, t);
        let query = |t: &str| TermQuery::new(term(t), IndexRecordOption::Basic);
        let either = BooleanQuery::union(vec![Box::new(query("apu")), Box::new(query("työ"))]);
        let all = DocFilter {
            kinds: kinds_mask(&[0, 1, 2]),
            now: 1000,
        };
        let vacancies = DocFilter {
            kinds: kinds_mask(&[0]),
            now: 1000,
        };
        for filter in [all, vacancies] {
            for cap in 0..=31 {
                let exact = count_up_to(&searcher, &either, &[], filter, cap).unwrap();
                for sure in [vec![term("apu")], vec![term("apu"), term("työ")]] {
                    assert_eq!(
                        count_up_to(&searcher, &either, &sure, filter, cap).unwrap(),
                        exact,
                        "cap {cap}, sure {sure:?}"
                    );
                }
            }
        }
        // The sure term answers without the query (here one that matches nothing, which a
        // caller must never pair with it): 24 kept over three segments of 8.
        let nothing = query("ei");
        let sure = [term("työ")];
        assert_eq!(
            count_up_to(&searcher, &nothing, &sure, all, 23).unwrap(),
            (23, true)
        );
        assert_eq!(
            count_up_to(&searcher, &nothing, &sure, all, 24).unwrap(),
            (0, false)
        );
    }

    /// The kept sets are cached per segment: a search at another time, with another kind or
    /// after a delete counts what the fast fields say then, not what an earlier search kept.
    #[test]
    fn kept_sets_follow_the_time_the_kinds_and_the_deletes() {
        let (index, [text, kind, valid, id]) = empty_index();
        let mut w: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        // Document i's last day to apply is 100 * i; kinds alternate 0, 1.
        for i in 0..10i64 {
            w.add_document(tantivy::doc!(
                text => "työ", id => i.to_string(), kind => (i % 2) as u64, valid => 100 * i
            ))
            .unwrap();
        }
        w.commit().unwrap();
        let reader = index.reader().unwrap();
        let count = |kinds: &[u64], now: i64| {
            let filter = DocFilter {
                kinds: kinds_mask(kinds),
                now,
            };
            count_up_to(&reader.searcher(), &word(text), &[], filter, 100)
                .unwrap()
                .0
        };
        // Kept while last >= now: at 450, documents 5..=9.
        assert_eq!(count(&[0, 1], 450), 5);
        assert_eq!(count(&[0, 1], 500), 5);
        assert_eq!(count(&[0, 1], 501), 4);
        assert_eq!(count(&[0, 1], 900), 1);
        assert_eq!(count(&[0, 1], 901), 0);
        // Back in time, after the set was read again at a later time.
        assert_eq!(count(&[0, 1], 0), 10);
        assert_eq!(count(&[0, 1], 401), 5);
        // Another kind mask at the same time: kind 1 is the odd documents (5, 7, 9).
        assert_eq!(count(&[1], 401), 3);
        assert_eq!(count(&[0], 401), 2);
        // A delete in the same segment.
        w.delete_term(tantivy::Term::from_field_text(id, "7"));
        w.commit().unwrap();
        reader.reload().unwrap();
        assert_eq!(count(&[1], 401), 2);
        assert_eq!(count(&[0, 1], 401), 4);
    }

    #[test]
    fn the_top_documents_are_those_the_filter_keeps() {
        let (index, text) = index(30);
        let searcher = index.reader().unwrap().searcher();
        let top = FilteredTopScore {
            limit: 5,
            offset: 2,
            filter: DocFilter {
                kinds: kinds_mask(&[1]),
                now: 1000,
            },
        };
        let docs = searcher.search(&word(text), &top).unwrap();
        assert_eq!(docs.len(), 5);
        let kinds = searcher
            .segment_reader(0)
            .fast_fields()
            .u64("kind_code")
            .unwrap();
        for (_, d) in &docs {
            assert_eq!(kinds.first(d.doc_id), Some(1));
            assert_ne!(d.doc_id % 4, 3, "an expired document was returned");
        }
        // Equal scores: earlier documents first, after skipping two.
        // Kind 1 kept: 1, 4, 10, 13, 16, 22, 25, 28 (7 and 19 expired).
        let ids: Vec<u32> = docs.iter().map(|(_, d)| d.doc_id).collect();
        assert_eq!(ids, vec![10, 13, 16, 22, 25]);
        // Counted in the same pass: the same page, and every kept match (8).
        let (same, n) = searcher
            .search(&word(text), &FilteredTopScoreAndCount(top))
            .unwrap();
        assert_eq!(same, docs);
        assert_eq!(n, 8);
    }

    /// Scoring several words term at a time gives the page (scores to the last bit) and the
    /// count that walking their intersection gives: over segments, deleted and filtered
    /// documents, required and excluded queries, leaves of constant score, a rare word (its
    /// candidates are sought in long leaves) and a short page (the matches are narrowed to
    /// those that can reach it before they are scored), dense leaves whose bits are kept for
    /// the next searches (every case runs three times: from the second on, from the bits), and
    /// constant leaves both walked through and asked about each candidate.
    #[test]
    fn words_scored_term_at_a_time_equal_the_intersection() {
        use super::super::pruned::{Leaves, Pruned};
        use tantivy::query::{ConstScoreQuery, TermQuery};
        use tantivy::schema::{IndexRecordOption, Schema, FAST, INDEXED, STRING, TEXT};
        use tantivy::{doc, Term};
        let mut b = Schema::builder();
        let title = b.add_text_field("title", TEXT);
        let body = b.add_text_field("body", TEXT);
        let place = b.add_text_field("place", STRING);
        let id = b.add_u64_field("id", INDEXED);
        let kind = b.add_u64_field("kind_code", FAST);
        let valid = b.add_i64_field("valid_through", FAST);
        let index = tantivy::Index::create_in_ram(b.build());
        let mut w: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        let words = ["siivooja", "kokki", "myyjä", "hoitaja", "kuljettaja", "ja"];
        let mut x: u64 = 11;
        let mut next = |n: usize| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((x >> 33) % n as u64) as usize
        };
        for i in 0..4000u64 {
            let t: Vec<&str> = (0..1 + next(2)).map(|_| words[next(words.len())]).collect();
            let mut bd: Vec<&str> = (0..2 + next(12))
                .map(|_| words[next(words.len())])
                .collect();
            // A rare word: the other words' leaves hold many times more documents than it
            // does, so they are asked about its documents one by one instead of read whole.
            if i % 97 == 0 {
                bd.push("harvinainen");
            }
            w.add_document(doc!(
                title => t.join(" "),
                body => bd.join(" "),
                place => ["espoo", "oulu", "turku"][next(3)],
                id => i,
                kind => i % 2,
                valid => if i % 9 == 0 { 100 } else { i64::MAX },
            ))
            .unwrap();
            if i % 900 == 899 {
                w.commit().unwrap();
            }
        }
        for i in (0..4000u64).step_by(41) {
            w.delete_term(Term::from_field_u64(id, i));
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let pair = |f, t: &str, boost| (Term::from_field_text(f, t), boost);
        let word = |t: &str| Leaves {
            terms: vec![
                pair(title, t, 3.0),
                pair(body, t, 1.0),
                pair(title, "puuttuu", 2.0),
            ],
            constant: Vec::new(),
        };
        let query = |f, t: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(f, t),
                IndexRecordOption::Basic,
            ))
        };
        let cases: Vec<Pruned> = vec![
            Pruned::all(vec![word("siivooja"), word("kokki")]),
            Pruned::all(vec![word("myyjä"), word("hoitaja"), word("kuljettaja")]),
            {
                let mut p = Pruned::all(vec![word("kokki"), word("ja")]);
                p.require(query(place, "oulu"));
                p.exclude(query(title, "hoitaja"));
                p
            },
            {
                let mut kokki = word("kokki");
                kokki
                    .constant
                    .push(Box::new(ConstScoreQuery::new(query(body, "hoitaja"), 0.7)));
                Pruned::all(vec![kokki, word("myyjä").boosted(0.5)])
            },
            Pruned::all(vec![word("ja"), word("puuttuu")]),
            Pruned::all(vec![word("kokki"), word("harvinainen"), word("myyjä")]),
            {
                let mut p = Pruned::all(vec![word("harvinainen"), word("siivooja")]);
                p.require(query(place, "turku"));
                p
            }, // A constant leaf that holds fewer documents than the candidates: walked
            // through, not asked about each of them.
            {
                let mut myyja = word("myyjä");
                myyja.constant.push(Box::new(ConstScoreQuery::new(
                    query(body, "harvinainen"),
                    2.5,
                )));
                Pruned::all(vec![word("siivooja"), myyja])
            },
        ];
        use super::super::taat::{ASKED, DROPPED, KEPT_BITS, PATHS, READ_WHOLE, SOUGHT, WALKED};
        PATHS.with(|p| p.set([0; 6]));
        for (i, p) in cases.iter().enumerate() {
            // A short page: the matches are narrowed to those that can reach it first.
            for (limit, offset, kinds) in [(15, 0, vec![0, 1]), (7, 5, vec![1]), (2, 1, vec![0])] {
                let top = FilteredTopScore {
                    limit,
                    offset,
                    filter: DocFilter {
                        kinds: kinds_mask(&kinds),
                        now: 1000,
                    },
                };
                let walked = searcher.search(p, &FilteredTopScoreAndCount(top)).unwrap();
                let weight = p.words_weight(&searcher).unwrap().expect("several words");
                let summed = top_and_count_words(&searcher, &weight, top).unwrap();
                assert_eq!(summed, walked, "case {i}, page of {limit} from {offset}");
                if i != 4 && offset == 0 {
                    assert!(!walked.0.is_empty(), "case {i} has matches");
                }
            }
        }
        // Every path ran: leaves sought and read whole, matches dropped by narrowing, and
        // constant leaves walked and asked.
        let paths = PATHS.with(std::cell::Cell::get);
        assert!(paths[SOUGHT] > 0, "no leaf was sought: {paths:?}");
        assert!(paths[READ_WHOLE] > 0, "no leaf was read whole: {paths:?}");
        assert!(paths[DROPPED] > 0, "narrowing dropped nothing: {paths:?}");
        assert!(paths[KEPT_BITS] > 0, "no leaf's bits were kept: {paths:?}");
        assert!(paths[WALKED] > 0, "no constant leaf was walked: {paths:?}");
        assert!(paths[ASKED] > 0, "no constant leaf was asked: {paths:?}");
    }

    #[test]
    fn the_threshold_is_the_kth_best_once_full() {
        let mut h = TopHeap::new(2);
        assert_eq!(h.threshold(), Score::MIN);
        h.push(1.0, 0);
        assert_eq!(h.threshold(), Score::MIN);
        h.push(3.0, 1);
        assert_eq!(h.threshold(), 1.0);
        h.push(2.0, 2);
        assert_eq!(h.threshold(), 2.0);
    }
}

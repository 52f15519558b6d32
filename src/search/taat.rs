//! Several words that must all match, scored term at a time.
//!
//! A word is a union of boosted term leaves (title, body, compound parts, tails, roots, in
//! each language present, and the employer's name); a document's score is the sum of the
//! leaves that hold it. Walking the intersection document at a time (the conjunction in
//! [`super::pruned`]) asks every leaf of every other word about each document of the rarest
//! word: at 1M postings that was most of a several-word search's CPU. Block-max pruning does
//! not help here (tried: the sum of a dozen leaves' block maxima bounds almost nothing).
//!
//! Here the matches are found first, then only they are scored:
//!
//! 1. **Which documents match.** The word whose leaves hold the fewest documents is read
//!    whole, its documents set in a bit set (one bit per document: it stays in the cache where
//!    a per-document sum did not). Each other word, cheapest first, keeps only the candidates
//!    it holds: a leaf with many more documents than there are candidates is asked about each
//!    candidate (a forward seek through its skip data, decoding only the blocks that hold
//!    candidates), any other leaf is read whole against the bit set. Frequencies are not
//!    decoded here. The required and excluded queries are checked on what is left.
//! 2. **Which can reach the page.** When the matches are many times the page, the leaves are
//!    read strongest first, adding rough sums; a match whose sum plus the most the leaves not
//!    yet read could add is below the page's last sum so far is out (see
//!    [`WordsWeight::narrow`]). With a title leaf three times a body leaf, a few leaves
//!    usually leave little more than the page.
//! 3. **Their scores.** Each leaf, in the query's order of words and leaves, adds its BM25
//!    score to the matches left (read whole against the bit set, or seeked to each match when
//!    it is much longer than the matches), so a sum adds the same terms in the same order as
//!    the conjunction does, to the last bit.
//!
//! The bit sets are kept per thread. The documents of a leaf that holds a large share of a
//! segment ("helsinki", "osa-aikainen") are kept as bits too, for every later search of the
//! process ([`dense_bits`]): step 1 then adds them to the candidates a machine word at a time
//! instead of decoding the leaf again.

use std::cell::RefCell;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{BlockSegmentPostings, TermInfo};
use tantivy::query::{Bm25Weight, Scorer, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{
    DocId, DocSet, InvertedIndexReader, Score, Searcher, SegmentReader, Term, TERMINATED,
};

/// One word weighed for a searcher: its term leaves with their BM25 weights, then its leaves
/// of constant score (prefix look-ups, where there is no Voikko).
struct WordWeight {
    terms: Vec<(Term, Bm25Weight)>,
    constant: Vec<Box<dyn Weight>>,
}

/// The words of a search weighed for a searcher, with the queries that must and must not
/// match.
pub(super) struct WordsWeight {
    words: Vec<WordWeight>,
    required: Vec<Box<dyn Weight>>,
    excluded: Vec<Box<dyn Weight>>,
}

/// A word's terms with their boosts, and its constant leaves weighed.
pub(super) type WordLeaves = (Vec<(Term, Score)>, Vec<Box<dyn Weight>>);

impl WordsWeight {
    /// `words`, each its terms with their boosts and its constant leaves weighed already, as
    /// `searcher` scores them (a term scores as a `BoostQuery` of a `TermQuery` does).
    pub(super) fn new(
        searcher: &Searcher,
        words: Vec<WordLeaves>,
        required: Vec<Box<dyn Weight>>,
        excluded: Vec<Box<dyn Weight>>,
    ) -> tantivy::Result<Self> {
        let words = words
            .into_iter()
            .map(|(terms, constant)| {
                Ok(WordWeight {
                    terms: super::maxscore::weigh(searcher, &terms)?,
                    constant,
                })
            })
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(WordsWeight {
            words,
            required,
            excluded,
        })
    }

    /// The documents of `reader` that every word and every required query holds, no
    /// excluded query does and `keep` keeps: returns how many there are, and calls
    /// `each(doc, score)` in increasing order for every one that can be among the `best`
    /// highest scores (a document left out scores less than `best` others).
    pub(super) fn for_each_match(
        &self,
        reader: &SegmentReader,
        keep: &mut dyn FnMut(DocId) -> bool,
        best: usize,
        each: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<usize> {
        SETS.with(|sets| {
            let mut sets = sets.borrow_mut();
            let n = self.matches(reader, &mut sets, keep)?;
            if n > 0 {
                self.narrow(reader, &mut sets, best.max(1))?;
                self.score(reader, &mut sets, each)?;
            }
            Ok(n)
        })
    }

    /// Step 1: the matches, into `sets.docs` (increasing) and `sets.set`; how many.
    fn matches(
        &self,
        reader: &SegmentReader,
        sets: &mut Sets,
        keep: &mut dyn FnMut(DocId) -> bool,
    ) -> tantivy::Result<usize> {
        sets.docs.clear();
        // Each word's term leaves that this segment holds, in the word's order.
        let mut found = std::mem::take(&mut sets.found);
        found.clear();
        let mut cost: Vec<u64> = Vec::with_capacity(self.words.len());
        for word in &self.words {
            let mut leaves = Vec::with_capacity(word.terms.len());
            for (leaf, (term, _)) in word.terms.iter().enumerate() {
                let inverted = reader.inverted_index(term.field())?;
                if let Some(info) = inverted.get_term_info(term)? {
                    leaves.push(Found {
                        leaf,
                        inverted,
                        info,
                    });
                }
            }
            let mut constant = 0u64;
            for w in &word.constant {
                let s = w.scorer(reader, 1.0)?;
                if s.doc() != TERMINATED {
                    constant += u64::from(s.size_hint()).max(1);
                }
            }
            let terms: u64 = leaves.iter().map(|f| u64::from(f.info.doc_freq)).sum();
            if terms + constant == 0 {
                // A word that no document of this segment holds: nothing matches here.
                return Ok(0);
            }
            found.push(leaves);
            cost.push(terms + constant);
        }
        let mut order: Vec<usize> = (0..self.words.len()).collect();
        order.sort_by_key(|&w| cost[w]);
        sets.fit(reader.max_doc() as usize);

        // 1. Which documents match: the cheapest word read whole, the others asked.
        let first = order[0];
        for f in &found[first] {
            match dense_bits(reader, f, &self.words[first].terms[f.leaf].0)? {
                Some(bits) => sets.set.unite(&bits),
                None => f.read(IndexRecordOption::Basic, |doc, _| sets.set.insert(doc))?,
            }
        }
        for w in &self.words[first].constant {
            let mut s = w.scorer(reader, 1.0)?;
            let mut doc = s.doc();
            while doc != TERMINATED {
                sets.set.insert(doc);
                doc = s.advance();
            }
        }
        sets.set.fill_docs(&mut sets.docs);
        for &w in &order[1..] {
            if sets.docs.is_empty() {
                return Ok(0);
            }
            let Sets {
                set, next, docs, ..
            } = &mut *sets;
            next.clear();
            for f in &found[w] {
                if seeks(f.info.doc_freq, docs.len()) {
                    let mut p = f.postings(IndexRecordOption::Basic)?;
                    for &doc in docs.iter() {
                        if next.contains(doc) {
                            continue;
                        }
                        let i = p.seek(doc);
                        let at = p.doc(i);
                        if at == TERMINATED {
                            break;
                        }
                        if at == doc {
                            next.insert(doc);
                        }
                    }
                } else if let Some(bits) = dense_bits(reader, f, &self.words[w].terms[f.leaf].0)? {
                    // `next` is intersected with the candidates below.
                    next.unite(&bits);
                } else {
                    f.read(IndexRecordOption::Basic, |doc, _| {
                        if set.contains(doc) {
                            next.insert(doc);
                        }
                    })?;
                }
            }
            for cw in &self.words[w].constant {
                let mut s = cw.scorer(reader, 1.0)?;
                if walks(s.size_hint(), docs.len()) {
                    let mut doc = s.doc();
                    while doc != TERMINATED {
                        if set.contains(doc) {
                            next.insert(doc);
                        }
                        doc = s.advance();
                    }
                    continue;
                }
                for &doc in docs.iter() {
                    if holds(&mut s, doc) {
                        next.insert(doc);
                    } else if s.doc() == TERMINATED {
                        break;
                    }
                }
            }
            set.intersect(next);
            set.fill_docs(docs);
        }
        let mut required = Vec::with_capacity(self.required.len());
        for w in &self.required {
            required.push(w.scorer(reader, 1.0)?);
        }
        let mut excluded = Vec::with_capacity(self.excluded.len());
        for w in &self.excluded {
            excluded.push(w.scorer(reader, 1.0)?);
        }
        sets.found = found;
        let Sets { set, docs, .. } = &mut *sets;
        let before = docs.len();
        docs.retain(|&doc| {
            required.iter_mut().all(|s| holds(s, doc))
                && !excluded.iter_mut().any(|s| holds(s, doc))
                && keep(doc)
        });
        if docs.len() < before {
            set.clear();
            for &doc in docs.iter() {
                set.insert(doc);
            }
        }
        Ok(docs.len())
    }

    /// Step 2: the matches that can be among the `best` highest scores, as their places in
    /// `sets.docs` (`sets.live`, increasing) and in `sets.set`. The leaves are read strongest
    /// first (by the most each can add), each adding its score to the matches still in the
    /// running; once `best` of them have sums that the rest could not give a match without
    /// any, a match whose sum plus the most the leaves not yet read can add stays below the
    /// `best`-th sum so far is out. The sums are rough (another order of adding than the
    /// query's): step 3 scores the rest exactly, and a margin keeps rounding from dropping a
    /// match that ties.
    fn narrow(&self, reader: &SegmentReader, sets: &mut Sets, best: usize) -> tantivy::Result<()> {
        let Sets {
            set,
            docs,
            found,
            scores,
            live,
            highest,
            ..
        } = &mut *sets;
        live.clear();
        live.extend(0..docs.len() as u32);
        if docs.len() <= best.saturating_mul(NARROW_ABOVE) {
            return Ok(());
        }
        // Each leaf with the most it adds: a term's BM25 bound, a constant leaf's score.
        let mut leaves: Vec<(Score, Leaf)> = Vec::new();
        for (w, word) in self.words.iter().enumerate() {
            for (i, f) in found[w].iter().enumerate() {
                leaves.push((word.terms[f.leaf].1.max_score(), Leaf::Term(w, i)));
            }
            for (c, cw) in word.constant.iter().enumerate() {
                let mut s = cw.scorer(reader, 1.0)?;
                if s.doc() != TERMINATED {
                    leaves.push((s.score(), Leaf::Constant(w, c)));
                }
            }
        }
        leaves.sort_by(|a, b| b.0.total_cmp(&a.0));
        let margin = |x: Score| x * (1.0 + 1e-4);
        let mut rest: Score = leaves.iter().map(|(most, _)| most).sum();
        scores.clear();
        scores.resize(docs.len(), 0.0);
        // How many matches have a sum above 0 (an upper bound once some are out), and the
        // highest sum.
        let mut summed = 0usize;
        let mut top: Score = 0.0;
        for (most, leaf) in &leaves {
            let mut add = |k: usize, v: Score| {
                if scores[k] == 0.0 {
                    summed += 1;
                }
                scores[k] += v;
                top = top.max(scores[k]);
            };
            self.leaf_scores(reader, *leaf, found, docs, live, set, &mut add)?;
            rest -= most;
            // Nothing can be out while the highest sum is within what the rest could add.
            if summed < best || live.len() <= best || top <= margin(rest.max(0.0)) {
                continue;
            }
            let kth = kth_highest(live.iter().map(|&k| scores[k as usize]), best, highest);
            live.retain(|&k| {
                let in_running = margin(scores[k as usize] + rest.max(0.0)) >= kth;
                if !in_running {
                    set.remove(docs[k as usize]);
                    #[cfg(test)]
                    took(DROPPED);
                }
                in_running
            });
        }
        Ok(())
    }

    /// Step 3: the scores of the matches left (`sets.live`), leaf by leaf in the query's
    /// order.
    fn score(
        &self,
        reader: &SegmentReader,
        sets: &mut Sets,
        each: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        let Sets {
            set,
            docs,
            found,
            scores,
            live,
            ..
        } = &mut *sets;
        scores.clear();
        scores.resize(docs.len(), 0.0);
        let mut add = |k: usize, v: Score| scores[k] += v;
        for (w, word) in self.words.iter().enumerate() {
            let terms = (0..found[w].len()).map(|i| Leaf::Term(w, i));
            let constant = (0..word.constant.len()).map(|c| Leaf::Constant(w, c));
            for leaf in terms.chain(constant) {
                self.leaf_scores(reader, leaf, found, docs, live, set, &mut add)?;
            }
        }
        for &k in live.iter() {
            each(docs[k as usize], scores[k as usize]);
        }
        Ok(())
    }

    /// Calls `add(k, score)` for each place `k` in `live` (increasing) whose document
    /// `docs[k]` `leaf` holds, with the leaf's score there; `set` holds exactly the
    /// documents of `live`. A leaf much longer than `live` is sought to each document, any
    /// other is read whole against `set`.
    #[allow(clippy::too_many_arguments)]
    fn leaf_scores(
        &self,
        reader: &SegmentReader,
        leaf: Leaf,
        found: &[Vec<Found>],
        docs: &[DocId],
        live: &[u32],
        set: &Bits,
        add: &mut impl FnMut(usize, Score),
    ) -> tantivy::Result<()> {
        match leaf {
            Leaf::Term(w, i) => {
                let f = &found[w][i];
                let (term, weight) = &self.words[w].terms[f.leaf];
                let norms = norms(reader, term)?;
                let score = |doc: DocId, tf: u32| weight.score(norms.fieldnorm_id(doc), tf);
                if seeks(f.info.doc_freq, live.len()) {
                    let mut p = f.postings(IndexRecordOption::WithFreqs)?;
                    for &k in live {
                        let doc = docs[k as usize];
                        let i = p.seek(doc);
                        let at = p.doc(i);
                        if at == TERMINATED {
                            break;
                        }
                        if at == doc {
                            add(k as usize, score(doc, p.freq(i)));
                        }
                    }
                } else {
                    let mut k = 0;
                    f.read(IndexRecordOption::WithFreqs, |doc, tf| {
                        if set.contains(doc) {
                            k = gallop(docs, k, doc);
                            add(k, score(doc, tf));
                        }
                    })?;
                }
            }
            Leaf::Constant(w, c) => {
                let mut s = self.words[w].constant[c].scorer(reader, 1.0)?;
                if walks(s.size_hint(), live.len()) {
                    let mut k = 0;
                    let mut doc = s.doc();
                    while doc != TERMINATED {
                        if set.contains(doc) {
                            k = gallop(docs, k, doc);
                            add(k, s.score());
                        }
                        doc = s.advance();
                    }
                    return Ok(());
                }
                for &k in live {
                    let doc = docs[k as usize];
                    if holds(&mut s, doc) {
                        add(k as usize, s.score());
                    } else if s.doc() == TERMINATED {
                        break;
                    }
                }
            }
        }
        Ok(())
    }
}

/// A leaf of a word in a segment: the `i`-th term leaf it holds, or the `i`-th constant leaf.
#[derive(Clone, Copy)]
enum Leaf {
    Term(usize, usize),
    Constant(usize, usize),
}

/// Matches are narrowed to those that can reach the page only when there are more than this
/// many times the page's documents.
const NARROW_ABOVE: usize = 64;

/// The field norms of `term`'s field (1 for every document when it keeps none).
pub(super) fn norms(reader: &SegmentReader, term: &Term) -> tantivy::Result<FieldNormReader> {
    Ok(match reader.fieldnorms_readers().get_field(term.field())? {
        Some(n) => n,
        None => FieldNormReader::constant(reader.max_doc(), 1),
    })
}

/// A term leaf that a segment holds: which of its word's leaves, and where its postings are.
struct Found {
    leaf: usize,
    inverted: std::sync::Arc<InvertedIndexReader>,
    info: TermInfo,
}

impl Found {
    fn postings(&self, option: IndexRecordOption) -> tantivy::Result<BlockSegmentPostings> {
        Ok(self
            .inverted
            .read_block_postings_from_terminfo(&self.info, option)?)
    }

    /// Calls `each(doc, term frequency)` for every document of the leaf, block by block (the
    /// frequency is 0 unless `option` reads them).
    fn read(
        &self,
        option: IndexRecordOption,
        mut each: impl FnMut(DocId, u32),
    ) -> tantivy::Result<()> {
        let mut p = self.postings(option)?;
        let freqs = option.has_freq();
        loop {
            let docs = p.docs();
            if docs.is_empty() {
                return Ok(());
            }
            if freqs {
                for (&doc, &tf) in docs.iter().zip(p.freqs()) {
                    each(doc, tf);
                }
            } else {
                for &doc in docs {
                    each(doc, 0);
                }
            }
            p.advance();
        }
    }
}

/// A leaf of this many documents is asked about each of `candidates` (a seek that decodes a
/// block of 128 documents for one candidate) rather than read whole (which decodes every
/// block once for all of them) when it holds this many times more documents than there are
/// candidates.
const SEEK_RATIO: usize = 32;

fn seeks(doc_freq: u32, candidates: usize) -> bool {
    let sought = candidates.saturating_mul(SEEK_RATIO) < doc_freq as usize;
    #[cfg(test)]
    took(if sought { SOUGHT } else { READ_WHOLE });
    sought
}

/// Whether a leaf of constant score that holds about `size` documents is walked through (its
/// documents looked up among the candidates) rather than asked about each of `candidates`.
/// Its scorer holds its documents already (a prefix look-up reads them once per segment of a
/// search, as a sorted list), so walking costs its documents; asking costs a virtual call and
/// a seek per candidate (at 1M postings, a Swedish part looked up for "tuki" was asked about
/// 160,000 candidates per segment).
fn walks(size: u32, candidates: usize) -> bool {
    let walked = (size as usize) < candidates;
    #[cfg(test)]
    took(if walked { WALKED } else { ASKED });
    walked
}

// How often each path ran on this thread, by `SOUGHT`, `READ_WHOLE`, `DROPPED`, `KEPT_BITS`,
// `WALKED` and `ASKED` (tests only: they check that every path they mean to cover runs).
#[cfg(test)]
thread_local! {
    pub(super) static PATHS: std::cell::Cell<[usize; 6]> = const { std::cell::Cell::new([0; 6]) };
}

/// A leaf sought to each candidate, a leaf read whole, a match dropped by narrowing, a leaf's
/// documents taken from the bits kept of it by an earlier search, a constant leaf walked
/// through, a constant leaf asked about each candidate.
#[cfg(test)]
pub(super) const SOUGHT: usize = 0;
#[cfg(test)]
pub(super) const READ_WHOLE: usize = 1;
#[cfg(test)]
pub(super) const DROPPED: usize = 2;
#[cfg(test)]
pub(super) const KEPT_BITS: usize = 3;
#[cfg(test)]
pub(super) const WALKED: usize = 4;
#[cfg(test)]
pub(super) const ASKED: usize = 5;

#[cfg(test)]
fn took(path: usize) {
    PATHS.with(|p| {
        let mut n = p.get();
        n[path] += 1;
        p.set(n);
    });
}

/// The `k`-th highest of `values` (at least `k` of them), as `f32::total_cmp` orders them,
/// through a heap of the `k` highest so far in `heap` (cleared first). Most sums are below the
/// heap's least and cost one comparison each; selecting in a copy of every sum
/// (`select_nth_unstable`) moved each several times, and narrowing ranks the sums after every
/// leaf it reads.
fn kth_highest(values: impl Iterator<Item = Score>, k: usize, heap: &mut Heap) -> Score {
    heap.clear();
    for v in values {
        let key = total_key(v.to_bits() as i32);
        if heap.len() < k {
            heap.push(std::cmp::Reverse(key));
        } else if let Some(mut least) = heap.peek_mut() {
            if key > least.0 {
                *least = std::cmp::Reverse(key);
            }
        }
    }
    let least = heap.peek().map_or(i32::MIN, |r| r.0);
    Score::from_bits(total_key(least) as u32)
}

/// The `k` highest sums so far, least on top, by [`total_key`].
type Heap = std::collections::BinaryHeap<std::cmp::Reverse<i32>>;

/// The bits of an `f32` as an integer that orders as `f32::total_cmp` does (negative values
/// have their magnitude bits flipped); applied twice it gives the bits back.
fn total_key(bits: i32) -> i32 {
    bits ^ ((((bits >> 31) as u32) >> 1) as i32)
}

/// Whether `scorer` holds `doc`, moving it forward to `doc` first. Documents are asked for
/// in increasing order.
fn holds(s: &mut Box<dyn Scorer>, doc: DocId) -> bool {
    if s.doc() < doc {
        s.seek(doc);
    }
    s.doc() == doc
}

/// The first index from `from` on whose document in `docs` (increasing) is at least `doc`
/// (`docs.len()` when there is none): in steps that double, then by halves. The documents
/// looked for are usually close ahead.
pub(super) fn gallop(docs: &[DocId], from: usize, doc: DocId) -> usize {
    let mut lo = from;
    let mut step = 1;
    while lo + step < docs.len() && docs[lo + step] <= doc {
        lo += step;
        step *= 2;
    }
    let hi = (lo + step).min(docs.len());
    lo + docs[lo..hi].partition_point(|&d| d < doc)
}

/// One bit per document of a segment.
#[derive(Default)]
struct Bits(Vec<u64>);

impl Bits {
    #[inline]
    fn insert(&mut self, doc: DocId) {
        self.0[doc as usize / 64] |= 1 << (doc % 64);
    }

    #[inline]
    fn remove(&mut self, doc: DocId) {
        self.0[doc as usize / 64] &= !(1 << (doc % 64));
    }

    #[inline]
    fn contains(&self, doc: DocId) -> bool {
        self.0[doc as usize / 64] & (1 << (doc % 64)) != 0
    }

    fn clear(&mut self) {
        self.0.fill(0);
    }

    /// Adds the documents of `other` (a set of the same segment).
    fn unite(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= *b;
        }
    }

    fn intersect(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= *b;
        }
    }

    /// The documents set, in increasing order, into `out`.
    fn fill_docs(&self, out: &mut Vec<DocId>) {
        out.clear();
        for (i, &word) in self.0.iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                out.push((i * 64) as DocId + bits.trailing_zeros());
                bits &= bits - 1;
            }
        }
    }
}

/// A thread's working sets, reused from search to search: the candidates as bits and as a
/// list, the bits of the word being read, the term leaves the segment holds, the matches'
/// sums, those still in the running (by their place in the list) and the highest sums so far.
#[derive(Default)]
struct Sets {
    set: Bits,
    next: Bits,
    docs: Vec<DocId>,
    found: Vec<Vec<Found>>,
    scores: Vec<Score>,
    live: Vec<u32>,
    highest: Heap,
}

impl Sets {
    /// Empty sets for a segment of `n` documents.
    fn fit(&mut self, n: usize) {
        let words = n.div_ceil(64);
        for b in [&mut self.set, &mut self.next] {
            b.0.clear();
            b.0.resize(words, 0);
        }
    }
}

thread_local! {
    static SETS: RefCell<Sets> = RefCell::new(Sets::default());
}

/// A leaf holding at least this share of a segment's documents (1 / `DENSE_SHARE`), and at
/// least [`DENSE_LEAST`] of them, is kept as bits: uniting one bit per document of the segment
/// (a machine word per 64 documents) costs a small part of decoding its postings again, at
/// least one per 16 documents (at 1M postings the slowest several-word searches, "helsinki"
/// among their words, spent two fifths of their CPU on that step).
const DENSE_SHARE: usize = 16;

/// See [`DENSE_SHARE`]: a shorter leaf is decoded in less time than the cache takes to look
/// it up. The tests' segments are small.
const DENSE_LEAST: usize = if cfg!(test) { 64 } else { 16_384 };

/// At most this many bytes of leaf bits are kept; past it the cache is emptied (bits of
/// merged-away segments and other indexes go with the rest; the next searches read theirs
/// again).
const DENSE_BYTES: usize = 64 << 20;

type DenseKey = (tantivy::index::SegmentId, Term);

/// Leaf bits of every index in the process, by segment (segment ids are unique across
/// indexes, and a segment's postings never change) and term, with their bytes in all.
static DENSE: std::sync::LazyLock<std::sync::Mutex<Dense>> =
    std::sync::LazyLock::new(Default::default);

/// The leaf bits kept, and their bytes in all.
type Dense = (
    std::collections::HashMap<DenseKey, std::sync::Arc<Bits>>,
    usize,
);

/// The documents of leaf `f` (`term` in `reader`'s segment) as bits, deleted ones included as
/// in its postings, when the leaf is dense enough to keep them: from the cache, or read and
/// cached. `None` for a leaf that is not.
fn dense_bits(
    reader: &SegmentReader,
    f: &Found,
    term: &Term,
) -> tantivy::Result<Option<std::sync::Arc<Bits>>> {
    let max_doc = reader.max_doc() as usize;
    let n = f.info.doc_freq as usize;
    if n < DENSE_LEAST || n.saturating_mul(DENSE_SHARE) < max_doc {
        return Ok(None);
    }
    let key = (reader.segment_id(), term.clone());
    let kept = DENSE
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .0
        .get(&key)
        .cloned();
    if let Some(bits) = kept {
        #[cfg(test)]
        took(KEPT_BITS);
        return Ok(Some(bits));
    }
    let mut bits = Bits(vec![0; max_doc.div_ceil(64)]);
    f.read(IndexRecordOption::Basic, |doc, _| bits.insert(doc))?;
    let bits = std::sync::Arc::new(bits);
    let size = bits.0.len() * 8;
    let mut cache = DENSE.lock().unwrap_or_else(|e| e.into_inner());
    if cache.1 + size > DENSE_BYTES {
        cache.0.clear();
        cache.1 = 0;
    }
    if cache.0.insert(key, bits.clone()).is_none() {
        cache.1 += size;
    }
    Ok(Some(bits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The heap's `k`-th highest is the `k`-th of the values sorted highest first by
        /// `total_cmp`, to the bit: sums, ties, zeros of both signs, negatives and NaNs alike.
        #[test]
        fn kth_highest_is_the_kth_of_the_sorted_values(
            values in prop::collection::vec(
                prop_oneof![
                    (0u32..40).prop_map(|n| n as f32 * 0.25),
                    any::<f32>(),
                    Just(-0.0f32),
                ],
                1..200,
            ),
            pick in any::<prop::sample::Index>(),
        ) {
            let k = pick.index(values.len()) + 1;
            let mut sorted = values.clone();
            sorted.sort_by(|a, b| b.total_cmp(a));
            let mut heap = Heap::new();
            let got = kth_highest(values.iter().copied(), k, &mut heap);
            prop_assert_eq!(got.to_bits(), sorted[k - 1].to_bits());
        }
    }
}

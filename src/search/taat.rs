//! Several words that must all match, scored term at a time.
//!
//! A word is a union of boosted term leaves (title, body, compound parts, tails, roots, in
//! each language present, and the employer's name); a document's score is the sum of the
//! leaves that hold it. Walking the intersection document at a time (the conjunction in
//! [`super::pruned`]) asks every leaf of every other word about each document of the rarest
//! word: at 1M postings that was most of a several-word search's CPU. Block-max pruning does
//! not help here (tried: the sum of a dozen leaves' block maxima bounds almost nothing).
//!
//! Here each leaf's posting list is read once, block by block, adding its score to the
//! document's sum and its word's bit to the document's mask, in the query's order of words and
//! leaves (so a sum is the conjunction's to the last bit). The documents whose mask fills are
//! the matches; the required and excluded queries are checked on those only. The per-document
//! arrays are kept per thread and cleared by the documents touched, not by their length.

use std::cell::RefCell;

use tantivy::fieldnorm::FieldNormReader;
use tantivy::query::{Bm25Weight, Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, Term, TERMINATED};

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

/// At most this many words: one bit of a document's mask each.
pub(super) const MAX_TAAT_WORDS: usize = 32;

impl WordsWeight {
    /// `words`, each its terms with their boosts and its constant leaves weighed already, as
    /// `searcher` scores them (a term scores as a `BoostQuery` of a `TermQuery` does).
    pub(super) fn new(
        searcher: &Searcher,
        words: Vec<WordLeaves>,
        required: Vec<Box<dyn Weight>>,
        excluded: Vec<Box<dyn Weight>>,
    ) -> tantivy::Result<Self> {
        assert!(words.len() <= MAX_TAAT_WORDS, "one mask bit per word");
        let words = words
            .into_iter()
            .map(|(terms, constant)| {
                let terms = terms
                    .into_iter()
                    .map(|(term, boost)| {
                        let w = Bm25Weight::for_terms(searcher, std::slice::from_ref(&term))?;
                        Ok((term, w.boost_by(boost)))
                    })
                    .collect::<tantivy::Result<Vec<_>>>()?;
                Ok(WordWeight { terms, constant })
            })
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(WordsWeight {
            words,
            required,
            excluded,
        })
    }

    /// Calls `each(doc, score)` for every document of `reader` that every word and every
    /// required query holds and no excluded query does, in increasing order.
    pub(super) fn for_each_match(
        &self,
        reader: &SegmentReader,
        each: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        SUMS.with(|sums| {
            let mut sums = sums.borrow_mut();
            sums.fit(reader.max_doc() as usize);
            let result = self.matches(reader, &mut sums, each);
            // Cleared on every path: the arrays serve the thread's next search.
            sums.clear(result.is_ok());
            result
        })
    }

    fn matches(
        &self,
        reader: &SegmentReader,
        sums: &mut Sums,
        each: &mut dyn FnMut(DocId, Score),
    ) -> tantivy::Result<()> {
        let full: u32 = if self.words.len() == 32 {
            u32::MAX
        } else {
            (1u32 << self.words.len()) - 1
        };
        for (w, word) in self.words.iter().enumerate() {
            let bit = 1u32 << w;
            for (term, weight) in &word.terms {
                let inverted = reader.inverted_index(term.field())?;
                let Some(mut postings) =
                    inverted.read_block_postings(term, IndexRecordOption::WithFreqs)?
                else {
                    continue;
                };
                let norms = match reader.fieldnorms_readers().get_field(term.field())? {
                    Some(n) => n,
                    None => FieldNormReader::constant(reader.max_doc(), 1),
                };
                loop {
                    let docs = postings.docs();
                    if docs.is_empty() {
                        break;
                    }
                    for (&doc, &tf) in docs.iter().zip(postings.freqs()) {
                        sums.add(doc, bit, weight.score(norms.fieldnorm_id(doc), tf), full);
                    }
                    postings.advance();
                }
            }
            for constant in &word.constant {
                let mut scorer = constant.scorer(reader, 1.0)?;
                let mut doc = scorer.doc();
                while doc != TERMINATED {
                    let score = scorer.score();
                    sums.add(doc, bit, score, full);
                    doc = scorer.advance();
                }
            }
        }
        let mut required = Vec::with_capacity(self.required.len());
        for w in &self.required {
            required.push(w.scorer(reader, 1.0)?);
        }
        let mut excluded = Vec::with_capacity(self.excluded.len());
        for w in &self.excluded {
            excluded.push(w.scorer(reader, 1.0)?);
        }
        let holds = |s: &mut Box<dyn tantivy::query::Scorer>, doc: DocId| {
            if s.doc() < doc {
                s.seek(doc);
            }
            s.doc() == doc
        };
        // In increasing order without sorting: a common pair of words fills hundreds of
        // thousands of documents, and the bits cost one word per 64 documents to read.
        for i in 0..sums.filled.len() {
            let mut bits = std::mem::take(&mut sums.filled[i]);
            while bits != 0 {
                let doc = (i * 64) as DocId + bits.trailing_zeros();
                bits &= bits - 1;
                if required.iter_mut().all(|s| holds(s, doc))
                    && !excluded.iter_mut().any(|s| holds(s, doc))
                {
                    each(doc, sums.slots[doc as usize].score);
                }
            }
        }
        Ok(())
    }
}

/// Per document of a segment, its slot; the documents touched (to clear them), and a bit per
/// document whose mask filled.
#[derive(Default)]
struct Sums {
    slots: Vec<Slot>,
    touched: Vec<DocId>,
    filled: Vec<u64>,
}

/// The sum of a document's leaves' scores and the mask of its words, side by side: the
/// postings of a common word touch documents all over the segment, one cache line each.
#[derive(Clone, Copy, Default)]
struct Slot {
    score: Score,
    mask: u32,
}

thread_local! {
    static SUMS: RefCell<Sums> = RefCell::new(Sums::default());
}

impl Sums {
    /// Room for `n` documents (all zero).
    fn fit(&mut self, n: usize) {
        if self.slots.len() < n {
            self.slots.resize(n, Slot::default());
        }
        // Read up to the segment's last document only: a smaller segment scans fewer bits.
        self.filled.resize(n.div_ceil(64), 0);
    }

    #[inline]
    fn add(&mut self, doc: DocId, bit: u32, score: Score, full: u32) {
        let slot = &mut self.slots[doc as usize];
        let before = slot.mask;
        let after = before | bit;
        slot.mask = after;
        slot.score += score;
        if before == 0 {
            self.touched.push(doc);
        }
        if after == full && before != full {
            self.filled[doc as usize / 64] |= 1 << (doc % 64);
        }
    }

    /// Every touched document back to zero; the filled bits too, unless the matches were
    /// `read` (reading clears them).
    fn clear(&mut self, read: bool) {
        if !read {
            self.filled.fill(0);
        }
        for &doc in &self.touched {
            self.slots[doc as usize] = Slot::default();
        }
        self.touched.clear();
    }
}

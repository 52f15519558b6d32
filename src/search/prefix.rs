//! Every term of a field that starts with a prefix, at a constant score: a compound piece
//! looked up where there is no Voikko to split words at indexing.
//!
//! tantivy's `InvertedIndexRangeQuery` does the same look-up, but each call for a scorer
//! allocates a bit set as large as the segment and reads every matching term's documents into
//! it again. A search asks for a leaf's scorer several times per segment (how many documents
//! it holds, then which, then their scores), so at 1M postings that was about a fifteenth of a
//! search's instructions. Here a search reads a prefix's documents once per segment, as a
//! sorted list, and every later scorer of that search walks the same list.

use std::sync::{Arc, Mutex, PoisonError};

use tantivy::index::SegmentId;
use tantivy::query::{ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, TERMINATED};

/// Every term of `field` that starts with `prefix` (a range of the term dictionary, with no
/// automaton to compile), each of its documents scoring the boost given.
#[derive(Clone, Debug)]
pub(super) struct PrefixQuery {
    field: Field,
    prefix: String,
}

impl PrefixQuery {
    pub(super) fn new(field: Field, prefix: &str) -> Self {
        PrefixQuery {
            field,
            prefix: prefix.to_string(),
        }
    }
}

impl Query for PrefixQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(PrefixWeight {
            field: self.field,
            lower: self.prefix.as_bytes().to_vec(),
            upper: format!("{}{}", self.prefix, char::MAX).into_bytes(),
            read: Mutex::new(Vec::new()),
        }))
    }
}

/// A prefix weighed for one search, with the documents it holds in each segment read so far.
struct PrefixWeight {
    field: Field,
    /// The terms from `lower` (included) to `upper` (excluded): every term that starts with
    /// the prefix, since no UTF-8 text has the prefix followed by a character above
    /// `char::MAX`.
    lower: Vec<u8>,
    upper: Vec<u8>,
    read: Mutex<Vec<(SegmentId, Arc<Vec<DocId>>)>>,
}

impl PrefixWeight {
    /// The documents of `reader` that hold a term of the prefix, increasing, each once.
    fn docs(&self, reader: &SegmentReader) -> tantivy::Result<Arc<Vec<DocId>>> {
        let segment = reader.segment_id();
        let lock = || self.read.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, docs)) = lock().iter().find(|(s, _)| *s == segment) {
            return Ok(Arc::clone(docs));
        }
        // Read outside the lock: segments may be searched on several threads at once.
        let docs = Arc::new(self.read_docs(reader)?);
        lock().push((segment, Arc::clone(&docs)));
        Ok(docs)
    }

    fn read_docs(&self, reader: &SegmentReader) -> tantivy::Result<Vec<DocId>> {
        let inverted = reader.inverted_index(self.field)?;
        let mut infos = Vec::new();
        let mut terms = inverted
            .terms()
            .range()
            .ge(&self.lower)
            .lt(&self.upper)
            .into_stream()?;
        while terms.advance() {
            infos.push(terms.value().clone());
        }
        let total: usize = infos.iter().map(|i| i.doc_freq as usize).sum();
        let mut docs = Vec::with_capacity(total);
        for info in &infos {
            let mut block =
                inverted.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
            while !block.docs().is_empty() {
                docs.extend_from_slice(block.docs());
                block.advance();
            }
        }
        // One term's documents are in order already; several terms' overlap.
        if infos.len() > 1 {
            docs.sort_unstable();
            docs.dedup();
        }
        Ok(docs)
    }
}

impl Weight for PrefixWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let docs = Sorted {
            docs: self.docs(reader)?,
            at: 0,
        };
        Ok(Box::new(ConstScorer::new(docs, boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        if self.docs(reader)?.binary_search(&doc).is_err() {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new("PrefixQuery", 1.0))
    }
}

/// A sorted list of documents without repeats, walked as a [`DocSet`].
struct Sorted {
    docs: Arc<Vec<DocId>>,
    at: usize,
}

impl DocSet for Sorted {
    fn advance(&mut self) -> DocId {
        self.at = (self.at + 1).min(self.docs.len());
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.at = super::taat::gallop(&self.docs, self.at, target);
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.docs.get(self.at).copied().unwrap_or(TERMINATED)
    }

    fn size_hint(&self) -> u32 {
        self.docs.len() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tantivy::collector::DocSetCollector;
    use tantivy::query::InvertedIndexRangeQuery;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter, Term};

    /// `words` indexed as one document each (several words to a document where separated by
    /// spaces), committed in `segments` batches.
    fn index_of(words: &[String], segments: usize) -> (Index, Field) {
        let mut schema = Schema::builder();
        let field = schema.add_text_field("parts", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let per = words.len().div_ceil(segments.max(1)).max(1);
        for chunk in words.chunks(per) {
            for w in chunk {
                writer.add_document(doc!(field => w.as_str())).unwrap();
            }
            writer.commit().unwrap();
        }
        (index, field)
    }

    /// The documents of every segment, with their scores, as `query` finds them.
    fn found(index: &Index, query: &dyn Query) -> Vec<(u32, DocId, Score)> {
        let searcher = index.reader().unwrap().searcher();
        let weight = query
            .weight(EnableScoring::enabled_from_searcher(&searcher))
            .unwrap();
        let mut out = Vec::new();
        for (s, reader) in searcher.segment_readers().iter().enumerate() {
            let walk = || {
                let mut scorer = weight.scorer(reader, 2.5).unwrap();
                let mut doc = scorer.doc();
                let mut here = Vec::new();
                while doc != TERMINATED {
                    here.push((s as u32, doc, scorer.score()));
                    doc = scorer.advance();
                }
                here
            };
            let first = walk();
            // The second scorer of the same weight walks what the first read.
            assert_eq!(walk(), first, "segment {s} read again");
            out.extend(first);
        }
        out
    }

    proptest! {
        /// The same documents and scores as tantivy's range of the term dictionary, in every
        /// segment, read once or again, and a seek lands where walking would.
        #[test]
        fn holds_what_the_range_query_holds(
            words in prop::collection::vec("[a-cä]{1,4}( [a-cä]{1,4}){0,2}", 1..60),
            prefix in "[a-cä]{0,2}",
            segments in 1usize..4,
            targets in prop::collection::vec(0u32..70, 0..8),
        ) {
            let (index, field) = index_of(&words, segments);
            let ours = PrefixQuery::new(field, &prefix);
            let upper = format!("{prefix}{}", char::MAX);
            let theirs = InvertedIndexRangeQuery::new(
                std::ops::Bound::Included(Term::from_field_text(field, &prefix)),
                std::ops::Bound::Excluded(Term::from_field_text(field, &upper)),
            );
            prop_assert_eq!(found(&index, &ours), found(&index, &theirs));
            let searcher = index.reader().unwrap().searcher();
            prop_assert_eq!(
                searcher.search(&ours, &DocSetCollector).unwrap(),
                searcher.search(&theirs, &DocSetCollector).unwrap()
            );
            let weight = ours.weight(EnableScoring::disabled_from_searcher(&searcher)).unwrap();
            for reader in searcher.segment_readers() {
                let mut sorted = targets.clone();
                sorted.sort_unstable();
                let mut seeker = weight.scorer(reader, 1.0).unwrap();
                let mut walker = weight.scorer(reader, 1.0).unwrap();
                for t in sorted {
                    let t = t.max(seeker.doc());
                    while walker.doc() < t {
                        walker.advance();
                    }
                    prop_assert_eq!(seeker.seek(t), walker.doc());
                }
            }
        }
    }
}

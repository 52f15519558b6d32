//! A union of term leaves scored document at a time with MaxScore (Turtle and Flood, 1995),
//! for the best documents of one word.
//!
//! A search word is a dozen boosted leaves or more (title, body, compound parts and tails,
//! word family, in each language, the employer's name), and the families and tails are
//! long: "sosiaalityöntekijä" brings "työntekijä" (a third of the postings at 1M) and the
//! family of "tehdä" (nearly all of them). tantivy's block-max WAND over such a union took
//! 57% of the CPU of the one-word searches at 1M postings (profiled); MaxScore took their CPU
//! per query from 2.94 to 2.63 ms (means of five rounds each, alternately, on 2 cores).
//! Skipping windows of documents by the leaves' block maxima as well was tried and measured
//! no faster (2.65 ms).
//!
//! MaxScore splits the leaves by the most each can add instead. Sorted weakest first, the
//! leaves whose maxima together do not exceed the page's lowest score so far cannot bring a
//! document onto the page alone (the *non-essential* ones): only the others propose
//! documents, and a proposed document asks the non-essential leaves, strongest first, only
//! while its score plus what the rest could add still reaches the page. As the page fills
//! the threshold rises and more leaves become non-essential; the long weak ones are then
//! only sought to the few documents that need them.
//!
//! A document's score sums its leaves in one fixed order whatever was essential when it was
//! found, so every search scores a document to the same bit.

use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::{Bm25StatisticsProvider, Bm25Weight};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// `terms`, each with its boost, as BM25 weights from `stats`: a term scores as a
/// `BoostQuery` of a `TermQuery` does.
pub(super) fn weigh(
    stats: &dyn Bm25StatisticsProvider,
    terms: &[(Term, Score)],
) -> tantivy::Result<Vec<(Term, Bm25Weight)>> {
    terms
        .iter()
        .map(|(term, boost)| {
            let w = Bm25Weight::for_terms(stats, std::slice::from_ref(term))?;
            Ok((term.clone(), w.boost_by(*boost)))
        })
        .collect()
}

/// Term leaves with their BM25 weights (boost included), scored as their sum.
pub(super) struct TermUnion {
    leaves: Vec<(Term, Bm25Weight)>,
}

/// One leaf in one segment.
struct Cursor {
    postings: SegmentPostings,
    weight: Bm25Weight,
    norms: FieldNormReader,
    /// The most this leaf adds to a document.
    most: Score,
}

impl Cursor {
    fn score(&self) -> Score {
        let doc = self.postings.doc();
        self.weight
            .score(self.norms.fieldnorm_id(doc), self.postings.term_freq())
    }
}

/// Bounds are widened by this share so that adding in another order never drops a document
/// that reaches the page by the last bit.
const MARGIN: Score = 1e-5;

impl TermUnion {
    /// `terms`, each with its boost, weighed by `stats` as a `BoostQuery` of a `TermQuery`
    /// would be.
    pub(super) fn new(
        stats: &dyn Bm25StatisticsProvider,
        terms: &[(Term, Score)],
    ) -> tantivy::Result<Self> {
        Ok(TermUnion {
            leaves: weigh(stats, terms)?,
        })
    }

    /// As [`tantivy::query::Weight::for_each_pruning`]: calls `callback(doc, score)` in
    /// increasing order of documents for every document of `reader` that some leaf holds
    /// and whose score exceeds the threshold, which starts at `threshold` and then is what
    /// `callback` last returned. Deleted documents are not left out (the collector does).
    pub(super) fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let mut cursors = Vec::with_capacity(self.leaves.len());
        for (term, weight) in &self.leaves {
            let inverted = reader.inverted_index(term.field())?;
            let Some(postings) = inverted.read_postings(term, IndexRecordOption::WithFreqs)? else {
                continue;
            };
            if postings.doc() == TERMINATED {
                continue;
            }
            cursors.push(Cursor {
                postings,
                weight: weight.clone(),
                norms: super::taat::norms(reader, term)?,
                most: weight.max_score(),
            });
        }
        // Weakest first; `upto[i]` is the most the leaves `0..=i` add together.
        cursors.sort_by(|a, b| a.most.total_cmp(&b.most));
        let mut upto = Vec::with_capacity(cursors.len());
        let mut sum: Score = 0.0;
        for c in &cursors {
            sum += c.most;
            upto.push(sum * (1.0 + MARGIN));
        }
        let n = cursors.len();
        let mut threshold = threshold;
        // The leaves before `first` are non-essential.
        let mut first = upto.iter().take_while(|&&u| u <= threshold).count();
        let mut parts: Vec<Score> = vec![0.0; n];
        while first < n {
            let doc = cursors[first..]
                .iter()
                .map(|c| c.postings.doc())
                .min()
                .unwrap_or(TERMINATED);
            if doc == TERMINATED {
                break;
            }
            parts.fill(0.0);
            let mut so_far: Score = 0.0;
            for (i, c) in cursors.iter_mut().enumerate().skip(first) {
                if c.postings.doc() == doc {
                    parts[i] = c.score();
                    so_far += parts[i];
                    c.postings.advance();
                }
            }
            let mut reaches = true;
            for i in (0..first).rev() {
                if so_far + upto[i] <= threshold {
                    reaches = false;
                    break;
                }
                let c = &mut cursors[i];
                if c.postings.doc() < doc {
                    c.postings.seek(doc);
                }
                if c.postings.doc() == doc {
                    parts[i] = c.score();
                    so_far += parts[i];
                }
            }
            if !reaches {
                continue;
            }
            // The fixed order: the leaves as the query lists them is lost in the sort, so
            // weakest first, as sorted (ties keep the query's order: the sort is stable).
            let score: Score = parts.iter().sum();
            if score > threshold {
                threshold = callback(doc, score);
                while first < n && upto[first] <= threshold {
                    first += 1;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, BoostQuery, Query, TermQuery};
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, Index};

    /// The best documents of a union of many leaves, strong and weak, short and long (as a
    /// search word's are), are tantivy's own, scores included, at every page size and over
    /// several segments with deleted documents; and the long weak leaves are mostly sought,
    /// not read.
    #[test]
    fn maxscore_top_k_equals_tantivys_union() {
        let mut schema = Schema::builder();
        let title = schema.add_text_field("title", TEXT);
        let body = schema.add_text_field("body", TEXT);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 20_000_000).unwrap();
        // Word `w{k}` is in about one document in `k`: w1 in all, w97 in few.
        let mut state = 7u64;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        for i in 0..6000 {
            let mut t = Vec::new();
            let mut b = Vec::new();
            for k in [1usize, 2, 3, 5, 11, 29, 97] {
                if next() % k == 0 {
                    t.push(format!("w{k}"));
                }
                for _ in 0..next() % 3 {
                    if next() % k == 0 {
                        b.push(format!("w{k}"));
                    }
                }
                b.push(format!("filler{}", next() % 50));
            }
            writer
                .add_document(doc!(title => t.join(" "), body => b.join(" ")))
                .unwrap();
            if i % 1700 == 1699 {
                writer.commit().unwrap();
            }
        }
        writer.delete_term(Term::from_field_text(title, "w97"));
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert!(searcher.segment_readers().len() >= 3);
        let mut leaves = Vec::new();
        for k in [1, 2, 3, 5, 11, 29, 97] {
            let w = format!("w{k}");
            leaves.push((Term::from_field_text(title, &w), 3.0));
            leaves.push((Term::from_field_text(body, &w), 1.0));
        }
        leaves.push((Term::from_field_text(body, "missing"), 2.0));
        let union = TermUnion::new(&searcher, &leaves).unwrap();
        let theirs = BooleanQuery::union(
            leaves
                .iter()
                .map(|(t, b)| {
                    Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(t.clone(), IndexRecordOption::WithFreqs)),
                        *b,
                    )) as Box<dyn Query>
                })
                .collect(),
        );
        for k in [1usize, 7, 20, 150] {
            // The best `k` of each segment, as a collector keeps them.
            let mut ours: Vec<Score> = Vec::new();
            let mut visited = 0usize;
            for reader in searcher.segment_readers() {
                let alive = reader.alive_bitset();
                let mut top: Vec<Score> = Vec::new();
                union
                    .for_each_pruning(Score::MIN, reader, &mut |doc, score| {
                        visited += 1;
                        if alive.is_none_or(|a| a.is_alive(doc)) {
                            top.push(score);
                            top.sort_by(|a, b| b.total_cmp(a));
                            top.truncate(k);
                        }
                        if top.len() == k {
                            top[k - 1]
                        } else {
                            Score::MIN
                        }
                    })
                    .unwrap();
                ours.extend(top);
            }
            ours.sort_by(|a, b| b.total_cmp(a));
            ours.truncate(k);
            let expected: Vec<Score> = searcher
                .search(&theirs, &TopDocs::with_limit(k).order_by_score())
                .unwrap()
                .into_iter()
                .map(|(s, _)| s)
                .collect();
            assert_eq!(ours.len(), expected.len(), "top {k}");
            for (a, b) in ours.iter().zip(&expected) {
                assert!((a - b).abs() < 1e-4, "top {k}: {a} vs {b}");
            }
            // Pruning happened: far fewer documents reached the callback than match.
            if k <= 20 {
                assert!(
                    visited < 6000 / 4,
                    "top {k}: {visited} documents called back"
                );
            }
        }
    }
}

//! What the index knows of employers beyond their prospect documents: how many vacancies
//! each has open now (an employer prospect is only "without an open vacancy" when it has
//! none).

use std::collections::HashMap;

use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::Searcher;
use tantivy::Term;

use super::{Result, SearchIndex};

impl SearchIndex {
    /// Open vacancies per employer id, for each of `employer_ids` (0 when it has none), read
    /// with one searcher. The index holds open postings only, so every vacancy document
    /// counts. CPU-bound: call from a blocking thread.
    pub fn open_vacancies_per_employer(
        &self,
        searcher: &Searcher,
        employer_ids: &[i64],
    ) -> Result<HashMap<i64, u64>> {
        let term = |term: Term| -> Box<dyn Query> {
            Box::new(TermQuery::new(term, IndexRecordOption::Basic))
        };
        let vacancy = term(Term::from_field_text(self.fields.kind, "vacancy"));
        let mut counts = HashMap::with_capacity(employer_ids.len());
        for &id in employer_ids {
            let query = BooleanQuery::new(vec![
                (Occur::Must, vacancy.box_clone()),
                (
                    Occur::Must,
                    term(Term::from_field_u64(self.fields.employer_id, id as u64)),
                ),
            ]);
            counts.insert(id, searcher.search(&query, &Count)? as u64);
        }
        Ok(counts)
    }
}

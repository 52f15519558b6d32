//! The full-text index (tantivy): schema, analyzers, the one writer, the shared reader, and
//! the follower that keeps the index in step with the database's change log.
//!
//! The index is derived data. It is only ever changed from committed database state, and each
//! commit records the last change-log sequence it reflects, so a crash can leave it behind
//! the database (it catches up) but never ahead of it.

pub mod analysis;
mod candidates;
mod collect;
mod employers;
mod follower;
mod index;
mod maxscore;
mod prefix;
mod pruned;
mod query;
pub mod signals;
mod snippet;
mod taat;
pub mod voikko;

use std::path::Path;

use tantivy::{Index, IndexReader, ReloadPolicy};

use crate::store::Entity;

pub use analysis::Analyser;
pub use candidates::{Candidate, CandidateDoc, CandidateKind, CandidateSpec};
pub use collect::COUNT_CAP;
pub use follower::{spawn_follower, Indexer, DEFAULT_POLL};
pub use index::{isco_code, isco_digits, place_key, Fields, SCHEMA_VERSION};
pub use query::{Hit, SearchKind, SearchRequest, SearchResults, TotalRelation, UncutPage};

/// What can go wrong in the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// Another process holds the index writer.
    #[error("the index in {0} is in use by another kohtaamo process (a running server?)")]
    Locked(String),
    /// tantivy failed.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The file system failed.
    #[error("index directory {path}: {source}")]
    Io {
        /// Path involved.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// The database failed while the index was following it.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// The configured analyser cannot be used.
    #[error("{0}")]
    Analyser(String),
    /// A blocking task was cancelled or panicked.
    #[error("index task failed: {0}")]
    Task(String),
}

/// Result alias for the index.
pub type Result<T, E = SearchError> = std::result::Result<T, E>;

/// Memory for the writer's indexing buffer. tantivy splits it among its indexing threads.
const WRITER_HEAP_BYTES: usize = 128 * 1024 * 1024;

/// The read side of the index, shared by every request: one reader for the life of the
/// process, one searcher per request.
#[derive(Clone)]
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    analyser: Analyser,
    /// The change-log sequence the searchable index reflects (-1 before the first commit).
    applied: std::sync::Arc<tokio::sync::watch::Sender<i64>>,
    /// Postings closed in the database but still in the committed index: searches leave them
    /// out until the follower's commit covers their close.
    hidden: std::sync::Arc<std::sync::Mutex<Hidden>>,
    /// The database the index follows: it keeps the postings' descriptions, which snippets
    /// and match reasons read for the hits they show.
    store: crate::store::Store,
}

/// Postings closed since the index's last commit, each with the change-log sequence of its
/// close, and a snapshot of their keys for readers.
#[derive(Default)]
struct Hidden {
    by_key: std::collections::HashMap<(Entity, i64), i64>,
    snapshot: std::sync::Arc<Vec<(Entity, i64)>>,
}

impl Hidden {
    fn refresh(&mut self) {
        self.snapshot = std::sync::Arc::new(self.by_key.keys().copied().collect());
    }
}

/// The index as one request sees it: one [`tantivy::Searcher`] (dereferences to it) and the
/// postings closed after that searcher's commit, which every query of the request leaves out.
pub struct RequestSearcher {
    searcher: tantivy::Searcher,
    hidden: std::sync::Arc<Vec<(Entity, i64)>>,
}

impl std::ops::Deref for RequestSearcher {
    type Target = tantivy::Searcher;

    fn deref(&self) -> &tantivy::Searcher {
        &self.searcher
    }
}

impl RequestSearcher {
    /// Postings closed in the database that this searcher may still hold.
    pub fn hidden(&self) -> &[(Entity, i64)] {
        &self.hidden
    }
}

impl SearchIndex {
    /// Opens (or creates) the index in `dir` and takes its one writer. Returns the shared
    /// read side and an [`Indexer`] that owns the writer; the indexer knows whether the index
    /// was just created and must be rebuilt from the database.
    /// The Finnish analyser is chosen by `KOHTAAMO_ANALYSER` (see [`Analyser::choose`]).
    pub fn open(dir: &Path, store: crate::store::Store) -> Result<(SearchIndex, Indexer)> {
        let analyser = Analyser::choose(None).map_err(SearchError::Analyser)?;
        Self::open_with(dir, store, analyser)
    }

    /// [`SearchIndex::open`] with the Finnish analyser given.
    pub fn open_with(
        dir: &Path,
        store: crate::store::Store,
        analyser: Analyser,
    ) -> Result<(SearchIndex, Indexer)> {
        let (index, fields, created) = index::open_or_create(dir, analyser)?;
        let writer: follower::Writer = match index.writer(WRITER_HEAP_BYTES) {
            Ok(w) => w,
            Err(tantivy::TantivyError::LockFailure(..)) => {
                return Err(SearchError::Locked(dir.display().to_string()))
            }
            Err(e) => return Err(e.into()),
        };
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let search = SearchIndex {
            index,
            reader,
            fields,
            analyser,
            applied: std::sync::Arc::new(tokio::sync::watch::channel(-1).0),
            hidden: Default::default(),
            store: store.clone(),
        };
        let indexer = Indexer::new(store, search.clone(), writer, created);
        Ok((search, indexer))
    }

    /// The descriptions of `postings` from the database ([`crate::store::Store::descriptions`]),
    /// or none when they cannot be read (logged): the hits are still shown, with empty snippets
    /// and reasons from the rest of what is known, rather than one unreadable row failing every
    /// page it is on.
    pub async fn descriptions_or_none(
        &self,
        postings: &[(Entity, i64)],
    ) -> std::collections::HashMap<(Entity, i64), String> {
        match self.store.descriptions(postings).await {
            Ok(texts) => texts,
            Err(e) => {
                tracing::error!(error = %e, "descriptions unreadable: hits shown without them");
                Default::default()
            }
        }
    }

    /// The Finnish analyser this index was built with.
    pub fn analyser(&self) -> Analyser {
        self.analyser
    }

    /// Waits until searches see every change up to `seq` of the change log, at most
    /// `within`; returns whether they do. API writes wait for this, so that a posting closed
    /// (or changed) before a request starts is never in that request's answer.
    pub async fn caught_up(&self, seq: i64, within: std::time::Duration) -> bool {
        let mut rx = self.applied.subscribe();
        tokio::time::timeout(within, rx.wait_for(|applied| *applied >= seq))
            .await
            .is_ok_and(|r| r.is_ok())
    }

    /// The change-log sequence that searches see now (-1 before the index's first commit).
    pub fn applied_seq(&self) -> i64 {
        *self.applied.borrow()
    }

    /// A searcher on the index as committed now: one per request, used for everything the
    /// request reads from the index, with the postings closed since that commit.
    pub fn searcher(&self) -> RequestSearcher {
        // The closed set first: a close is only dropped from it after the commit that removes
        // the posting has been loaded, so the searcher taken next cannot be older than that.
        let hidden = self.lock_hidden().snapshot.clone();
        RequestSearcher {
            searcher: self.reader.searcher(),
            hidden,
        }
    }

    /// Leaves `postings` out of every search that starts from now on, until the index has
    /// applied the change log up to `seq` (which must cover their close). Call before the
    /// close is acknowledged.
    pub fn hide_closed(&self, postings: &[(Entity, i64)], seq: i64) {
        let mut hidden = self.lock_hidden();
        // Checked under the lock the follower clears with: a commit that already covers `seq`
        // has been loaded, and one that has not will clear these entries after it is.
        if postings.is_empty() || self.applied_seq() >= seq {
            return;
        }
        for key in postings {
            hidden.by_key.insert(*key, seq);
        }
        hidden.refresh();
    }

    /// Forgets the closes that the loaded index reflects (the follower calls this after each
    /// commit and reload up to `seq`).
    pub(crate) fn forget_hidden_through(&self, seq: i64) {
        let mut hidden = self.lock_hidden();
        let before = hidden.by_key.len();
        hidden.by_key.retain(|_, s| *s > seq);
        if hidden.by_key.len() != before {
            hidden.refresh();
        }
    }

    fn lock_hidden(&self) -> std::sync::MutexGuard<'_, Hidden> {
        // The map is valid after any panic (plain inserts and removes).
        self.hidden.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A query matching the `hidden` postings, if any.
    pub(crate) fn hidden_query(
        &self,
        hidden: &[(Entity, i64)],
    ) -> Option<Box<dyn tantivy::query::Query>> {
        (!hidden.is_empty()).then(|| {
            Box::new(tantivy::query::TermSetQuery::new(
                hidden
                    .iter()
                    .map(|(kind, id)| index::key_term(&self.fields, *kind, *id)),
            )) as Box<dyn tantivy::query::Query>
        })
    }

    /// Number of documents visible to searches now.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}

//! The one index writer and the loop that follows the change log.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use tantivy::IndexWriter;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

use super::index::{document, employer_document, key_term};
use super::{Result, SearchError, SearchIndex};
use crate::store::{Entity, IndexableEmployer, IndexablePosting, Store};

/// Changes applied per index commit while catching up.
const BATCH: i64 = 2_000;
/// How often the follower looks at the change log when nobody notified it, unless told
/// otherwise. Writes from this process notify at once; this covers other processes (an
/// import, another node).
pub const DEFAULT_POLL: Duration = Duration::from_millis(500);

/// Owns the index writer and applies database state to it.
pub struct Indexer {
    store: Store,
    search: SearchIndex,
    writer: Option<IndexWriter>,
    /// Last change-log sequence the committed index reflects; `None`: unknown, rebuild.
    applied: Option<i64>,
}

impl Indexer {
    pub(super) fn new(
        store: Store,
        search: SearchIndex,
        writer: IndexWriter,
        created: bool,
    ) -> Self {
        let applied = if created {
            None
        } else {
            search
                .index
                .load_metas()
                .ok()
                .and_then(|m| m.payload)
                .and_then(|p| p.trim().parse::<i64>().ok())
        };
        if let Some(seq) = applied {
            search.applied.send_replace(seq);
        }
        Self {
            store,
            search,
            writer: Some(writer),
            applied,
        }
    }

    /// Records that the committed (and reloaded) index reflects the change log up to `seq`,
    /// and tells whoever waits for it ([`SearchIndex::caught_up`]).
    fn set_applied(&mut self, seq: i64) {
        self.applied = Some(seq);
        self.search.applied.send_replace(seq);
        self.search.forget_hidden_through(seq);
    }

    /// The change-log sequence the index reflects, if known.
    pub fn applied_seq(&self) -> Option<i64> {
        self.applied
    }

    /// Brings the index up to date: a full rebuild when its state is unknown or ahead of the
    /// database (a different database), otherwise the changes since its last commit.
    /// Returns the number of changes or postings applied.
    pub async fn sync(&mut self) -> Result<u64> {
        let last = self.store.last_change_seq().await?;
        match self.applied {
            Some(applied) if applied <= last => self.catch_up().await,
            _ => self.rebuild(|_, _| {}).await,
        }
    }

    /// Rebuilds the whole index from the database. `progress(done, total)` is called after
    /// each page.
    #[tracing::instrument(name = "index.rebuild", skip_all)]
    pub async fn rebuild(&mut self, mut progress: impl FnMut(u64, u64)) -> Result<u64> {
        // Read the log position first: anything written during the rebuild is replayed after
        // it, and replaying is idempotent (each change re-reads the current row).
        let seq = self.store.last_change_seq().await?;
        let total = self.store.open_posting_count().await?;
        let mut writer = self.take_writer()?;
        if let Err(e) = writer.delete_all_documents() {
            self.writer = Some(rollback(writer));
            return Err(e.into());
        }
        let mut done = 0u64;
        let mut after = 0;
        loop {
            let employers = match self
                .store
                .indexable_ids(Entity::Employer, after, BATCH)
                .await
            {
                Ok(ids) if ids.is_empty() => break,
                Ok(ids) => {
                    after = *ids.last().expect("not empty");
                    self.store.indexable_employers(&ids).await
                }
                Err(e) => Err(e),
            };
            match employers {
                Ok(employers) => writer = self.add_blocking(writer, Vec::new(), employers).await?,
                Err(e) => {
                    self.writer = Some(rollback(writer));
                    return Err(e.into());
                }
            }
        }
        for kind in [Entity::Vacancy, Entity::Task] {
            let mut after = 0;
            loop {
                let page = self.store.indexable_ids(kind, after, BATCH).await;
                let postings = match page {
                    Ok(ids) if ids.is_empty() => break,
                    Ok(ids) => {
                        after = *ids.last().expect("not empty");
                        self.store.indexable(kind, &ids).await
                    }
                    Err(e) => Err(e),
                };
                let postings = match postings {
                    Ok(p) => p,
                    Err(e) => {
                        self.writer = Some(rollback(writer));
                        return Err(e.into());
                    }
                };
                done += postings.len() as u64;
                writer = self.add_blocking(writer, postings, Vec::new()).await?;
                progress(done, total);
            }
        }
        let writer = self.commit_blocking(writer, seq).await?;
        self.writer = Some(writer);
        self.set_applied(seq);
        tracing::info!(postings = done, seq, "index rebuilt");
        Ok(done)
    }

    /// Applies every change after the last committed one, a batch per commit.
    pub async fn catch_up(&mut self) -> Result<u64> {
        let Some(mut applied) = self.applied else {
            return self.rebuild(|_, _| {}).await;
        };
        let mut total = 0u64;
        loop {
            let changes = self.store.changes_since(applied, BATCH).await?;
            let Some(last) = changes.last().map(|c| c.seq) else {
                break;
            };
            let mut vacancies = BTreeSet::new();
            let mut tasks = BTreeSet::new();
            let mut employers = BTreeSet::new();
            for c in &changes {
                match c.entity {
                    Entity::Vacancy => {
                        vacancies.insert(c.entity_id);
                    }
                    Entity::Task => {
                        tasks.insert(c.entity_id);
                    }
                    Entity::Employer => {
                        employers.insert(c.entity_id);
                    }
                    Entity::Client => {}
                }
            }
            let vacancies: Vec<i64> = vacancies.into_iter().collect();
            let tasks: Vec<i64> = tasks.into_iter().collect();
            let mut postings = self.store.indexable(Entity::Vacancy, &vacancies).await?;
            postings.extend(self.store.indexable(Entity::Task, &tasks).await?);
            // A new or changed posting changes its employer's prospect document too.
            employers.extend(postings.iter().map(|p| p.employer_id));
            let employers: Vec<i64> = employers.into_iter().collect();
            let employer_docs = self.store.indexable_employers(&employers).await?;
            let writer = self.take_writer()?;
            let fields = self.search.fields.clone();
            // Delete every touched posting, then add back the ones still open: closed and
            // deleted postings leave the index, edited ones are replaced.
            let deleted = tokio::task::spawn_blocking(move || {
                for id in &vacancies {
                    writer.delete_term(key_term(&fields, Entity::Vacancy, *id));
                }
                for id in &tasks {
                    writer.delete_term(key_term(&fields, Entity::Task, *id));
                }
                for id in &employers {
                    writer.delete_term(key_term(&fields, Entity::Employer, *id));
                }
                writer
            })
            .await
            .map_err(|e| SearchError::Task(e.to_string()))?;
            let writer = self.add_blocking(deleted, postings, employer_docs).await?;
            let writer = self.commit_blocking(writer, last).await?;
            self.writer = Some(writer);
            self.set_applied(last);
            applied = last;
            total += changes.len() as u64;
        }
        Ok(total)
    }

    fn take_writer(&mut self) -> Result<IndexWriter> {
        self.writer
            .take()
            .ok_or_else(|| SearchError::Task("index writer lost after an earlier failure".into()))
    }

    async fn add_blocking(
        &mut self,
        writer: IndexWriter,
        postings: Vec<IndexablePosting>,
        employers: Vec<IndexableEmployer>,
    ) -> Result<IndexWriter> {
        let fields = self.search.fields.clone();
        let (writer, result) = tokio::task::spawn_blocking(move || {
            let docs = postings
                .iter()
                .map(|p| document(&fields, p))
                .chain(employers.iter().map(|e| employer_document(&fields, e)));
            let mut result = Ok(());
            for doc in docs {
                if let Err(e) = writer.add_document(doc) {
                    result = Err(SearchError::from(e));
                    break;
                }
            }
            (writer, result)
        })
        .await
        .map_err(|e| SearchError::Task(e.to_string()))?;
        match result {
            Ok(()) => Ok(writer),
            Err(e) => {
                self.writer = Some(rollback(writer));
                Err(e)
            }
        }
    }

    async fn commit_blocking(&mut self, writer: IndexWriter, seq: i64) -> Result<IndexWriter> {
        let reader = self.search.reader.clone();
        let (writer, result) = tokio::task::spawn_blocking(move || {
            let mut writer = writer;
            let result = (|| -> Result<()> {
                let mut prepared = writer.prepare_commit()?;
                prepared.set_payload(&seq.to_string());
                prepared.commit()?;
                reader.reload()?;
                Ok(())
            })();
            (writer, result)
        })
        .await
        .map_err(|e| SearchError::Task(e.to_string()))?;
        match result {
            Ok(()) => Ok(writer),
            Err(e) => {
                self.writer = Some(rollback(writer));
                Err(e)
            }
        }
    }

    /// Waits for tantivy's merge threads and releases the writer (and its lock).
    pub async fn close(mut self) {
        if let Some(writer) = self.writer.take() {
            let _ = tokio::task::spawn_blocking(move || writer.wait_merging_threads()).await;
        }
    }
}

fn rollback(mut writer: IndexWriter) -> IndexWriter {
    if let Err(e) = writer.rollback() {
        tracing::error!(error = %e, "index rollback failed");
    }
    writer
}

/// Runs the indexer in the background: syncs at once, then whenever `notify` fires or every
/// `poll` ([`DEFAULT_POLL`] unless set), until `shutdown` turns true. The returned task ends
/// after releasing the writer.
pub fn spawn_follower(
    mut indexer: Indexer,
    notify: Arc<Notify>,
    poll: Duration,
    mut shutdown: watch::Receiver<bool>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(e) = indexer.sync().await {
                tracing::error!(error = %e, "index follower failed; retrying");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            tokio::select! {
                _ = notify.notified() => {}
                _ = tokio::time::sleep(poll) => {}
                _ = shutdown.changed() => {}
            }
            if *shutdown.borrow() {
                break;
            }
        }
        indexer.close().await;
    })
}

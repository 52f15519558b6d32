//! The one index writer and the loop that follows the change log.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use tantivy::IndexWriter;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

use super::index::{document, employer_document, key_term, Fields, IndexDoc};
use super::{Result, SearchError, SearchIndex};
use crate::store::{Entity, IndexableEmployer, IndexablePosting, Store};

/// The index writer, taking kohtaamo's documents.
pub type Writer = IndexWriter<IndexDoc>;

/// Changes applied per index commit while catching up.
const BATCH: i64 = 2_000;
/// How often the follower looks at the change log when nobody notified it, unless told
/// otherwise. Writes from this process notify at once; this covers other processes (an
/// import, another node).
pub const DEFAULT_POLL: Duration = Duration::from_millis(500);

/// Postings an import indexes between commits: a killed import loses at most this much index
/// work (the next run reads it back from the change log).
const WRITTEN_PER_COMMIT: usize = 250_000;

/// Owns the index writer and applies database state to it.
pub struct Indexer {
    store: Store,
    search: SearchIndex,
    writer: Option<Writer>,
    /// Last change-log sequence the committed index reflects; `None`: unknown, rebuild.
    applied: Option<i64>,
    /// What an import handed over and is not committed yet ([`Indexer::index_written`]).
    written: Written,
}

/// See [`Indexer::index_written`].
#[derive(Default)]
struct Written {
    /// Last change-log sequence handed over.
    through: Option<i64>,
    /// Postings handed over since the last commit.
    postings: usize,
    /// Their employers, whose prospect documents change with them.
    employers: BTreeSet<i64>,
    /// The batch being analysed and added while the import writes the next one.
    pending: Option<JoinHandle<(Writer, Result<()>)>>,
}

impl Indexer {
    pub(super) fn new(store: Store, search: SearchIndex, writer: Writer, created: bool) -> Self {
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
            written: Written::default(),
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
                    Entity::Client | Entity::Event | Entity::Contact => {}
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

    /// Indexes postings an import has just written, without reading them back: `postings`
    /// are the open ones as written, `replaced` the vacancies they replace, `changes` the
    /// change-log rows of their transaction. The batch is analysed while the caller writes the
    /// next one; [`Indexer::finish_written`] commits (and so does every
    /// `WRITTEN_PER_COMMIT`-th posting). When anything else wrote to the change log since the
    /// last batch, the index reads the changes back instead, as it does for any writer.
    pub async fn index_written(
        &mut self,
        postings: Vec<IndexablePosting>,
        replaced: Vec<i64>,
        changes: (i64, i64),
    ) -> Result<()> {
        let (first, last) = changes;
        if self.written.through.or(self.applied) != Some(first - 1) {
            self.finish_written().await?;
            self.catch_up().await?;
            return Ok(());
        }
        self.wait_written().await?;
        let writer = self.take_writer()?;
        let fields = self.search.fields.clone();
        self.written
            .employers
            .extend(postings.iter().map(|p| p.employer_id));
        self.written.postings += postings.len();
        self.written.through = Some(last);
        self.written.pending = Some(tokio::task::spawn_blocking(move || {
            for id in replaced {
                writer.delete_term(key_term(&fields, Entity::Vacancy, id));
            }
            let result = add_all(&writer, &fields, &postings, &[]);
            (writer, result)
        }));
        if self.written.postings >= WRITTEN_PER_COMMIT {
            self.finish_written().await?;
        }
        Ok(())
    }

    /// Waits for the batch being added; on failure the uncommitted work is dropped (the
    /// change log still has it).
    async fn wait_written(&mut self) -> Result<()> {
        let Some(pending) = self.written.pending.take() else {
            return Ok(());
        };
        let (writer, result) = pending
            .await
            .map_err(|e| SearchError::Task(e.to_string()))?;
        match result {
            Ok(()) => {
                self.writer = Some(writer);
                Ok(())
            }
            Err(e) => {
                self.writer = Some(rollback(writer));
                self.written = Written::default();
                Err(e)
            }
        }
    }

    /// Commits what [`Indexer::index_written`] was given, with the prospect documents of the
    /// employers it touched.
    pub async fn finish_written(&mut self) -> Result<()> {
        self.wait_written().await?;
        let written = std::mem::take(&mut self.written);
        let Some(through) = written.through else {
            return Ok(());
        };
        let employers: Vec<i64> = written.employers.into_iter().collect();
        let mut writer = self.take_writer()?;
        for chunk in employers.chunks(BATCH as usize) {
            let docs = match self.store.indexable_employers(chunk).await {
                Ok(docs) => docs,
                Err(e) => {
                    self.writer = Some(rollback(writer));
                    return Err(e.into());
                }
            };
            for id in chunk {
                writer.delete_term(key_term(&self.search.fields, Entity::Employer, *id));
            }
            writer = self.add_blocking(writer, Vec::new(), docs).await?;
        }
        let writer = self.commit_blocking(writer, through).await?;
        self.writer = Some(writer);
        self.set_applied(through);
        Ok(())
    }

    fn take_writer(&mut self) -> Result<Writer> {
        self.writer
            .take()
            .ok_or_else(|| SearchError::Task("index writer lost after an earlier failure".into()))
    }

    async fn add_blocking(
        &mut self,
        writer: Writer,
        postings: Vec<IndexablePosting>,
        employers: Vec<IndexableEmployer>,
    ) -> Result<Writer> {
        let fields = self.search.fields.clone();
        let (writer, result) = tokio::task::spawn_blocking(move || {
            let result = add_all(&writer, &fields, &postings, &employers);
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

    async fn commit_blocking(&mut self, writer: Writer, seq: i64) -> Result<Writer> {
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
        // A batch still being added is dropped with the writer: it was never committed.
        let _ = self.wait_written().await;
        if let Some(writer) = self.writer.take() {
            let _ = tokio::task::spawn_blocking(move || writer.wait_merging_threads()).await;
        }
    }
}

/// Adds the documents of `postings` and `employers` (tantivy's indexing threads analyse
/// their texts); stops at the first failure.
fn add_all(
    writer: &Writer,
    fields: &Fields,
    postings: &[IndexablePosting],
    employers: &[IndexableEmployer],
) -> Result<()> {
    let docs = postings
        .iter()
        .map(|p| document(fields, p))
        .chain(employers.iter().map(|e| employer_document(fields, e)));
    for doc in docs {
        writer.add_document(doc)?;
    }
    Ok(())
}

fn rollback(mut writer: Writer) -> Writer {
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

//! Posting descriptions as the database keeps them: the one place their whole text is stored
//! (the index keeps only what search and matching read).
//!
//! On SQLite a description is written as a zstd frame (a BLOB in the TEXT column: SQLite keeps
//! each value's own type). Once the database holds [`TRAIN_AFTER`] postings, a dictionary is
//! trained on them and kept in `text_dictionaries`; later frames are compressed with it, to
//! about a third of the text (half without one), since postings share much of their wording.
//! A frame names its dictionary and carries a checksum. Rows written before any of this, and
//! short texts, stay text; reading accepts every form.
//!
//! On PostgreSQL the value stays `text`: the server compresses only rows over about 2 kB
//! (`TOAST_TUPLE_THRESHOLD`, fixed at build time; `toast_tuple_target` does not lower it),
//! which most descriptions are not.
//!
//! The dictionaries a process has read are kept for every store it opens (they are few,
//! 64 kB each, named by a 32-bit id zstd derives from their content; a clash would fail the
//! frame's checksum, never give another text); a frame whose dictionary this process has not
//! read yet (another process trained it) fails to decode with [`UnknownDictionary`], and the
//! store loads the dictionaries and reads again ([`super::Store::reading_texts`]).
//!
//! A dictionary holds pieces of the postings it was trained on (public ad texts, which may
//! name a recruiter); it is kept as long as a frame may name it.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, RwLock};

use sqlx::error::BoxDynError;
use sqlx::postgres::{PgTypeInfo, PgValueRef};
use sqlx::sqlite::{SqliteTypeInfo, SqliteValueRef};
use sqlx::{Decode, Postgres, Sqlite, Type};
use zstd::dict::{DecoderDictionary, EncoderDictionary};

use super::db::{Arg, Backend};

/// Where every zstd frame starts. No UTF-8 text starts so (0xB5 cannot follow an ASCII byte).
const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];

/// Texts shorter than this are kept as they are: a frame would save little or nothing (and a
/// frame no smaller than its text is not kept either).
const SHORTEST_COMPRESSED: usize = 160;

/// The longest text a frame is decoded to: far above any description the API accepts, so a
/// damaged size field cannot make a read allocate without bound.
const LONGEST_TEXT: usize = 16 * 1024 * 1024;

/// zstd's level: fast to write (an import's pace barely changes); with a dictionary, higher
/// levels gain little on texts this short.
const LEVEL: i32 = 3;

/// A dictionary is trained once the database holds this many vacancies.
const TRAIN_AFTER: i64 = 1_000;

/// The newest descriptions a dictionary is trained on.
const TRAINING_SAMPLES: i64 = 2_000;

/// A dictionary's size: zstd's usual choice for texts of a few kilobytes.
const DICTIONARY_BYTES: usize = 64 * 1024;

/// The dictionaries this process has read, by id.
static DECODERS: LazyLock<RwLock<HashMap<u32, Arc<DecoderDictionary<'static>>>>> =
    LazyLock::new(Default::default);

thread_local! {
    /// One decompression context per thread, reused by every description it reads: making
    /// one costs more than decompressing a description (measured: 7 % of a search's CPU).
    static DECOMPRESSOR: std::cell::RefCell<Option<zstd::zstd_safe::DCtx<'static>>> =
        const { std::cell::RefCell::new(None) };
}

/// A frame compressed with a dictionary this process has not read.
#[derive(Debug, thiserror::Error)]
#[error("a description was compressed with dictionary {0}, which this process has not read")]
pub(crate) struct UnknownDictionary(pub u32);

/// Whether `e` is a read that met a frame of a dictionary not read yet.
pub(crate) fn unknown_dictionary(e: &super::StoreError) -> bool {
    match e {
        super::StoreError::Database(sqlx::Error::ColumnDecode { source, .. }) => {
            source.downcast_ref::<UnknownDictionary>().is_some()
        }
        _ => false,
    }
}

/// Remembers a dictionary read from the database (or just trained).
pub(crate) fn remember(id: u32, bytes: &[u8]) {
    if DECODERS
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .contains_key(&id)
    {
        return;
    }
    let dictionary = Arc::new(DecoderDictionary::copy(bytes));
    DECODERS
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .entry(id)
        .or_insert(dictionary);
}

/// How one store compresses what it writes: with its database's newest dictionary, if any.
#[derive(Default)]
pub(crate) struct Compressor {
    dictionary: RwLock<Option<Arc<EncoderDictionary<'static>>>>,
    /// Training was tried and failed in this process: not tried again on every batch.
    training_failed: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for Compressor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Compressor")
            .field("dictionary", &self.has_dictionary())
            .finish()
    }
}

impl Compressor {
    /// Compresses from now on with `bytes`.
    pub(crate) fn set(&self, bytes: &[u8]) {
        *self.dictionary.write().unwrap_or_else(|e| e.into_inner()) =
            Some(Arc::new(EncoderDictionary::copy(bytes, LEVEL)));
    }

    /// Whether a dictionary is in use.
    pub(crate) fn has_dictionary(&self) -> bool {
        self.dictionary
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .is_some()
    }

    /// `text` as the value to store: a frame on SQLite (when long enough), text elsewhere.
    pub(crate) fn stored(&self, backend: Backend, text: &str) -> Arg {
        self.stored_all(backend, [text])
            .pop()
            .expect("one text, one value")
    }

    /// [`Compressor::stored`] of each text, with one compression context for them all (making
    /// one costs about as much as compressing a description).
    pub(crate) fn stored_all<'t>(
        &self,
        backend: Backend,
        texts: impl IntoIterator<Item = &'t str>,
    ) -> Vec<Arg> {
        let plain = |t: &str| Arg::Text(Some(t.to_string()));
        if backend != Backend::Sqlite {
            return texts.into_iter().map(plain).collect();
        }
        let dictionary = self
            .dictionary
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let mut context = match &dictionary {
            Some(d) => zstd::bulk::Compressor::with_prepared_dictionary(d),
            None => zstd::bulk::Compressor::new(LEVEL),
        }
        .and_then(|mut c| c.include_checksum(true).map(|_| c))
        .ok();
        texts
            .into_iter()
            .map(|text| {
                if text.len() < SHORTEST_COMPRESSED {
                    return plain(text);
                }
                match context.as_mut().map(|c| c.compress(text.as_bytes())) {
                    Some(Ok(frame)) if frame.len() < text.len() => Arg::Bytes(Some(frame)),
                    _ => plain(text),
                }
            })
            .collect()
    }
}

/// Trains a dictionary on `samples`: its id and bytes.
pub(crate) fn train(samples: &[String]) -> std::io::Result<(u32, Vec<u8>)> {
    let bytes = zstd::dict::from_samples(samples, DICTIONARY_BYTES)?;
    let id = zstd::zstd_safe::get_dict_id(&bytes)
        .map(|id| id.get())
        .ok_or_else(|| std::io::Error::other("the trained dictionary has no id"))?;
    Ok((id, bytes))
}

/// A text column that may hold a zstd frame: decoded to the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct StoredText(pub String);

impl From<StoredText> for String {
    fn from(t: StoredText) -> String {
        t.0
    }
}

/// The text of a stored value's bytes.
fn text_of(bytes: &[u8]) -> Result<String, BoxDynError> {
    if !bytes.starts_with(&ZSTD_MAGIC) {
        return Ok(std::str::from_utf8(bytes)?.to_string());
    }
    // Every frame written here records the text's size.
    let size = zstd::zstd_safe::get_frame_content_size(bytes)
        .ok()
        .flatten()
        .filter(|n| *n <= LONGEST_TEXT as u64)
        .ok_or("a description's frame does not say how long its text is")? as usize;
    let dictionary = match zstd::zstd_safe::get_dict_id_from_frame(bytes) {
        None => None,
        Some(id) => Some(
            DECODERS
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .get(&id.get())
                .cloned()
                .ok_or(UnknownDictionary(id.get()))?,
        ),
    };
    let mut plain = Vec::with_capacity(size);
    DECOMPRESSOR.with(|cell| {
        let mut dctx = cell.borrow_mut();
        let dctx = dctx.get_or_insert_with(zstd::zstd_safe::DCtx::create);
        match &dictionary {
            None => dctx.decompress(&mut plain, bytes),
            Some(d) => dctx.decompress_using_ddict(&mut plain, bytes, d.as_ddict()),
        }
        .map_err(|code| std::io::Error::other(zstd::zstd_safe::get_error_name(code).to_string()))
    })?;
    Ok(String::from_utf8(plain)?)
}

impl Type<Sqlite> for StoredText {
    fn type_info() -> SqliteTypeInfo {
        <String as Type<Sqlite>>::type_info()
    }

    fn compatible(ty: &SqliteTypeInfo) -> bool {
        <String as Type<Sqlite>>::compatible(ty) || <Vec<u8> as Type<Sqlite>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Sqlite> for StoredText {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        let bytes = <&[u8] as Decode<Sqlite>>::decode(value)?;
        Ok(StoredText(text_of(bytes)?))
    }
}

impl Type<Postgres> for StoredText {
    fn type_info() -> PgTypeInfo {
        <String as Type<Postgres>>::type_info()
    }

    fn compatible(ty: &PgTypeInfo) -> bool {
        <String as Type<Postgres>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Postgres> for StoredText {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(StoredText(<String as Decode<Postgres>>::decode(value)?))
    }
}

impl super::Store {
    /// Reads the database's dictionaries: each remembered for decoding, the newest used to
    /// compress from now on. Nothing on PostgreSQL.
    pub(crate) async fn load_dictionaries(&self) -> super::Result<()> {
        if self.backend() != Backend::Sqlite {
            return Ok(());
        }
        let rows: Vec<(i64, Vec<u8>)> =
            super::sql("SELECT id, dictionary FROM text_dictionaries ORDER BY created_at, id")
                .fetch_all(&self.pool)
                .await?;
        for (id, bytes) in &rows {
            remember(*id as u32, bytes);
        }
        if let Some((_, newest)) = rows.last() {
            self.texts.set(newest);
        }
        Ok(())
    }

    /// `read` again, after reading the database's dictionaries, when it met a description
    /// compressed with a dictionary this process has not read (another process trained it).
    pub(crate) async fn reading_texts<T, F>(&self, read: impl Fn() -> F) -> super::Result<T>
    where
        F: std::future::Future<Output = super::Result<T>>,
    {
        match read().await {
            Err(e) if unknown_dictionary(&e) => {
                self.load_dictionaries().await?;
                read().await
            }
            r => r,
        }
    }

    /// `text` as this store writes a description.
    pub(crate) fn stored_text(&self, text: &str) -> Arg {
        self.texts.stored(self.backend(), text)
    }

    /// Trains the database's dictionary once it holds [`TRAIN_AFTER`] vacancies and has none
    /// (SQLite only). Another process may have trained one meanwhile: then that one is used.
    /// A failure is logged, not returned: descriptions are then compressed without one.
    pub(crate) async fn train_dictionary_when_due(&self) {
        use std::sync::atomic::Ordering;
        if self.backend() != Backend::Sqlite
            || self.texts.has_dictionary()
            || self.texts.training_failed.load(Ordering::Relaxed)
        {
            return;
        }
        if let Err(e) = self.train_dictionary().await {
            self.texts.training_failed.store(true, Ordering::Relaxed);
            tracing::warn!(error = %e, "no dictionary for descriptions: compressed without one");
        }
    }

    async fn train_dictionary(&self) -> super::Result<()> {
        let (n,): (i64,) = super::sql("SELECT COUNT(*) FROM (SELECT 1 FROM vacancies LIMIT ?)")
            .bind(TRAIN_AFTER)
            .fetch_one(&self.pool)
            .await?;
        if n < TRAIN_AFTER {
            return Ok(());
        }
        self.load_dictionaries().await?;
        if self.texts.has_dictionary() {
            return Ok(());
        }
        let samples: Vec<(StoredText,)> = self
            .reading_texts(|| async {
                Ok(
                    super::sql("SELECT description FROM vacancies ORDER BY id DESC LIMIT ?")
                        .bind(TRAINING_SAMPLES)
                        .fetch_all(&self.pool)
                        .await?,
                )
            })
            .await?;
        let samples: Vec<String> = samples.into_iter().map(|(t,)| t.0).collect();
        let (id, bytes) = tokio::task::spawn_blocking(move || train(&samples))
            .await
            .map_err(|e| super::StoreError::Unsupported(format!("training stopped: {e}")))?
            .map_err(|e| super::StoreError::Unsupported(format!("training failed: {e}")))?;
        let mut tx = self.write_tx().await?;
        super::sql("INSERT INTO text_dictionaries (id, dictionary, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING")
            .bind(i64::from(id))
            .bind(bytes.as_slice())
            .bind(super::now())
            .execute(&mut tx)
            .await?;
        tx.commit().await?;
        // The newest in the database: this one, or one another process stored first.
        self.load_dictionaries().await?;
        tracing::info!(
            dictionary = id,
            "descriptions are compressed with a dictionary from now on"
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(a: Arg) -> Vec<u8> {
        match a {
            Arg::Bytes(Some(b)) => b,
            other => panic!("not a frame: {other:?}"),
        }
    }

    fn sample(i: usize) -> String {
        format!(
            "Haemme {i}. tekijää siivoustyöhön. Työ on päivävuorossa arkisin, ja perehdytys \
             kestää kaksi viikkoa. Tervetuloa töihin, paikka {i} täytetään heti sopivan \
             henkilön löydyttyä. Hae nyt!"
        )
    }

    #[test]
    fn texts_round_trip_in_every_form() {
        let c = Compressor::default();
        let text = sample(7).repeat(2);
        assert!(matches!(c.stored(Backend::Postgres, &text), Arg::Text(Some(t)) if t == text));
        assert!(matches!(c.stored(Backend::Sqlite, "lyhyt"), Arg::Text(Some(t)) if t == "lyhyt"));
        assert_eq!(text_of(text.as_bytes()).unwrap(), text);
        let plain_frame = frame(c.stored(Backend::Sqlite, &text));
        assert!(plain_frame.len() < text.len());
        assert_eq!(text_of(&plain_frame).unwrap(), text);

        let samples: Vec<String> = (0..400).map(sample).collect();
        let (id, bytes) = train(&samples).unwrap();
        c.set(&bytes);
        assert!(c.has_dictionary());
        let with = frame(c.stored(Backend::Sqlite, &text));
        assert!(
            with.len() < plain_frame.len(),
            "{} vs {}",
            with.len(),
            plain_frame.len()
        );
        // Not read in this process yet: a clear error, then read once remembered.
        let err = text_of(&with).unwrap_err();
        assert!(err.downcast_ref::<UnknownDictionary>().is_some(), "{err}");
        remember(id, &bytes);
        assert_eq!(text_of(&with).unwrap(), text);
    }

    #[test]
    fn a_damaged_frame_is_an_error_not_wrong_text() {
        let c = Compressor::default();
        let text = sample(3).repeat(3);
        let mut f = frame(c.stored(Backend::Sqlite, &text));
        let n = f.len();
        f[n - 6] ^= 0xFF;
        assert!(text_of(&f).is_err());
    }
}

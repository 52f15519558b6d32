//! The database: sqlx queries that take validated domain drafts and return domain records.
//!
//! SQLite is the embedded default (a file, created and migrated on open). Every write to a
//! posting or a client appends a `change_log` row in the same transaction: the search index
//! follows that log and can always be rebuilt from these tables.

mod access;
mod caseload;
mod changelog;
mod clients;
mod contacts;
mod copy;
mod db;
mod employers;
mod events;
mod feedback;
mod funnel_rows;
mod imports;
mod impressions;
mod matching;
mod models;
mod postings;
mod reference;
mod sessions;
mod text;
mod users;

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub use db::{numbered_placeholders, Backend};
pub(crate) use db::{sql, Millis, Pool, Secs, Stamp, Tx};
pub use funnel_rows::FunnelLoads;

pub use access::{Access, AccessQuery};
pub use caseload::CASELOAD_OVERVIEW;
pub use changelog::{Change, Entity};
pub use clients::CASELOAD_LIST;
pub use copy::CopiedTable;
pub use imports::{ImportCounts, ImportKind, ImportTotals};
pub use impressions::{Impression, LabelledImpression};
pub use matching::OccupationRow;
pub use models::{Activation, Reference, ReferenceVersions, StoredModel};
pub use postings::{
    ImportOutcome, ImportedBatch, ImportedVacancy, IndexableEmployer, IndexablePosting, Page,
};
pub use reference::MunicipalityRow;
pub use sessions::{NewSession, SessionRecord};
pub use users::{hash_token, token_prefix, NewAccount, TOKEN_PREFIX_CHARS};

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No row with that id (or not visible to the caller).
    #[error("{entity} {id} not found")]
    NotFound {
        /// Kind of record.
        entity: &'static str,
        /// Id asked for.
        id: i64,
    },
    /// A field refers to a record that does not exist.
    #[error("{field}: {message}")]
    InvalidReference {
        /// Field name.
        field: &'static str,
        /// Explanation.
        message: String,
    },
    /// A unique key is already taken.
    #[error("{0}")]
    Conflict(String),
    /// The database URL names something this build cannot open.
    #[error("{0}")]
    Unsupported(String),
    /// A stored value could not be read back.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Applying migrations failed.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Result alias for the store.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The database handle, cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    /// Reads.
    pool: Pool,
    /// Writes. On SQLite one connection, so this process's writers queue for it in turn
    /// instead of contending for SQLite's lock (each contender would sleep and retry: busy
    /// waits that add tens of milliseconds under load); other processes still wait by the busy
    /// timeout. On PostgreSQL the same pool as reads: the server lets writers run side by side.
    writer: Pool,
    /// Funnel rows already loaded, reused while the database has not changed.
    funnel_cache: std::sync::Arc<funnel_rows::FunnelCache>,
    /// How descriptions are compressed ([`text`]).
    texts: std::sync::Arc<text::Compressor>,
}

/// Default SQLite database in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://kohtaamo.db";

impl Store {
    /// Opens the database at `url`, creating the file and applying migrations when needed.
    #[tracing::instrument(name = "store.open", skip_all, fields(url = %redact(url)))]
    pub async fn open(url: &str) -> Result<Self> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Self::open_postgres(url).await;
        }
        let url = if url.contains("://") || url.starts_with("sqlite:") {
            url.to_string()
        } else {
            format!("sqlite://{url}")
        };
        let options = SqliteConnectOptions::from_str(&url)?;
        if !(url.contains(":memory:") || url.contains("mode=memory")) {
            create_private_file(options.get_filename())?;
        }
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            // Several processes (serve, import, users add) may write at once; wait, don't fail.
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            // A queue of writers can be long under load; none of them holds the turn for long.
            .acquire_timeout(Duration::from_secs(60))
            .connect_with(options)
            .await?;
        let store = Self {
            pool: Pool::Sqlite(pool),
            writer: Pool::Sqlite(writer),
            funnel_cache: Default::default(),
            texts: Default::default(),
        };
        store.load_dictionaries().await?;
        Ok(store)
    }

    /// Opens a PostgreSQL database and applies migrations (under the server's migration lock,
    /// so several nodes starting at once apply them once).
    async fn open_postgres(url: &str) -> Result<Self> {
        let options = PgConnectOptions::from_str(url)?.application_name("kohtaamo");
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(60))
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        let pool = Pool::Postgres(pool);
        Ok(Self {
            writer: pool.clone(),
            pool,
            funnel_cache: Default::default(),
            texts: Default::default(),
        })
    }

    /// Which database this store is on.
    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Begins a write transaction. On SQLite it waits for the one write connection in turn,
    /// and `BEGIN IMMEDIATE` takes SQLite's write lock up front, so a transaction that reads
    /// and then writes waits for another process's writer (busy timeout) instead of failing
    /// with "database is locked" when it committed in between; never begin a second one while
    /// holding one: it would wait for itself. On PostgreSQL it is a plain transaction (read
    /// committed): what must not interleave takes a row lock ([`Store::lock_row`]).
    pub(crate) async fn write_tx(&self) -> Result<Tx> {
        Ok(match &self.writer {
            Pool::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Begins a read-only transaction: the statements in it see one state of the database.
    pub(crate) async fn read_tx(&self) -> Result<Tx> {
        Ok(match &self.pool {
            Pool::Sqlite(p) => Tx::Sqlite(p.begin().await?),
            Pool::Postgres(p) => Tx::Postgres(
                p.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?,
            ),
        })
    }

    /// Closes every connection (used before a restart in tests).
    pub async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }
}

/// Creates a missing database file readable and writable by its owner only (0600 on Unix):
/// it holds client records. SQLite gives its `-wal` and `-shm` files the same permissions.
/// An existing file is left as the operator set it, with a warning when others may read it.
fn create_private_file(path: &std::path::Path) -> Result<()> {
    if path.as_os_str().is_empty() {
        return Ok(());
    }
    let io_error = |e: std::io::Error| {
        StoreError::Database(sqlx::Error::Io(std::io::Error::new(
            e.kind(),
            format!("database file {}: {e}", path.display()),
        )))
    };
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut open, 0o600);
    match open.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(path)
                    .map_err(io_error)?
                    .permissions()
                    .mode();
                if mode & 0o077 != 0 {
                    tracing::warn!(
                        path = %path.display(),
                        mode = format!("{:o}", mode & 0o777),
                        "the database file may be read by other users than its owner"
                    );
                }
            }
            Ok(())
        }
        Err(e) => Err(io_error(e)),
    }
}

/// Hides a password in a database URL before it is logged.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://***{}", &url[..s], &url[at..]),
        _ => url.to_string(),
    }
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

//! The dateline database: one SQLite file (WAL) holding articles with every layer, events
//! merged across articles with their mentions, full-text search over the articles, and the log
//! of runs and failures. Only this crate writes it.
//!
//! - [`Store::open`] creates or migrates a database for writing; [`Store::open_read_only`]
//!   opens one for queries (many readers may run beside the one writer).
//! - [`Store::write_batch`] stores processed articles in one transaction: a batch is stored
//!   whole or not at all, so an ingest killed at any point keeps every committed batch.
//! - [`query`] answers the questions of `dateline events`, `search`, `stats` and the HTTP API;
//!   [`export`] writes events as GDELT 2.0, CSV, JSON Lines or Parquet.

pub mod export;
mod hash;
pub mod merge;
mod parquet_export;
pub mod query;
mod schema;
mod write;

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub use hash::{simhash, text_hash};
pub use rusqlite;
pub use schema::SCHEMA_VERSION;
pub use write::{Known, NewArticle, WriteReport};

/// A database.
#[derive(Debug)]
pub struct Store {
    connection: Connection,
    path: String,
    /// Every stored article's simhash, loaded on the first write, for near-duplicate links.
    simhashes: Option<Vec<(i64, u64)>>,
}

/// What can go wrong with the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("{path}: {doing}: {source}")]
    Sqlite {
        /// The database file.
        path: String,
        /// What was being done.
        doing: String,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// The file is a SQLite database of something else.
    #[error("{path}: not a dateline database (it has tables of its own); give another --db")]
    NotDateline {
        /// The database file.
        path: String,
    },
    /// The file was written by a newer dateline.
    #[error("{path}: schema version {found} is newer than this dateline knows ({known}); use a newer dateline")]
    Newer {
        /// The database file.
        path: String,
        /// Its version.
        found: i64,
        /// This code's version.
        known: i64,
    },
    /// No database at the path.
    #[error("{path}: no such database; make one with `dateline ingest` or `dateline demo`")]
    Missing {
        /// The database file.
        path: String,
    },
    /// A query parameter is malformed.
    #[error("{0}")]
    BadQuery(String),
    /// Writing an export failed.
    #[error("writing the export: {0}")]
    Output(#[from] std::io::Error),
}

impl StoreError {
    pub(crate) fn sqlite(path: &str, doing: &str, source: rusqlite::Error) -> StoreError {
        match &source {
            rusqlite::Error::SqliteFailure(error, Some(message))
                if error.code == rusqlite::ErrorCode::Unknown && message.contains("fts5") =>
            {
                StoreError::BadQuery(format!("the text query is not valid full-text syntax: {message}"))
            }
            _ => StoreError::Sqlite { path: path.to_owned(), doing: doing.to_owned(), source },
        }
    }
}

impl Store {
    /// Opens the database at `path` for writing, creating it when missing and migrating it to
    /// the current schema.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let name = path.display().to_string();
        let mut connection =
            Connection::open(path).map_err(|error| StoreError::sqlite(&name, "opening the database", error))?;
        configure(&connection, &name, true)?;
        schema::migrate(&mut connection, &name)?;
        Ok(Store { connection, path: name, simhashes: None })
    }

    /// Opens an existing database for reading only.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        let name = path.display().to_string();
        if !path.exists() {
            return Err(StoreError::Missing { path: name });
        }
        let connection = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|error| StoreError::sqlite(&name, "opening the database", error))?;
        configure(&connection, &name, false)?;
        let version: i64 = connection
            .pragma_query_value(None, "user_version", |row| row.get(0))
            .map_err(|error| StoreError::sqlite(&name, "reading the schema version", error))?;
        if version == 0 {
            return Err(StoreError::NotDateline { path: name });
        }
        if version != SCHEMA_VERSION {
            return Err(StoreError::Newer { path: name, found: version, known: SCHEMA_VERSION });
        }
        Ok(Store { connection, path: name, simhashes: None })
    }

    /// The database file's path, as given.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// `PRAGMA integrity_check`: `ok`, or what is wrong.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        self.connection
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .map_err(|error| self.error("checking integrity", error))
    }

    pub(crate) fn error(&self, doing: &str, error: rusqlite::Error) -> StoreError {
        StoreError::sqlite(&self.path, doing, error)
    }

    /// Lets a long query be stopped from another thread (the server's time limit).
    pub fn interrupt_handle(&self) -> rusqlite::InterruptHandle {
        self.connection.get_interrupt_handle()
    }
}

/// WAL for concurrent readers beside the writer; `synchronous = NORMAL` keeps every committed
/// transaction across a crash of the process (WAL's guarantee) at a fraction of FULL's cost.
fn configure(connection: &Connection, path: &str, write: bool) -> Result<(), StoreError> {
    connection
        .busy_timeout(Duration::from_secs(10))
        .map_err(|error| StoreError::sqlite(path, "setting the busy timeout", error))?;
    if write {
        connection
            .execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
            .map_err(|error| StoreError::sqlite(path, "configuring the database", error))?;
    }
    Ok(())
}

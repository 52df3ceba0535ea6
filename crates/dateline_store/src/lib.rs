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
    /// The ingest run under way ([`Store::start_run`]): each batch adds its counts to the
    /// run's log row in the batch's own transaction, so that the log of a run cut short says
    /// exactly what it stored.
    run: Option<i64>,
}

/// What can go wrong with the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed. (Its error is part of the message rather than a source of its own, so
    /// that a printed chain does not say it twice.)
    #[error("{path}: {doing}: {cause}")]
    Sqlite {
        /// The database file.
        path: String,
        /// What was being done.
        doing: String,
        /// SQLite's error.
        cause: rusqlite::Error,
    },
    /// The disk (or file system) is full.
    #[error(
        "{path}: {doing}: the disk is full; what was committed before is kept: free some space and run again to go on"
    )]
    Full {
        /// The database file.
        path: String,
        /// What was being done.
        doing: String,
    },
    /// The database cannot be written.
    #[error("{path}: {doing}: the database is read-only (a read-only file system, or no permission to write it)")]
    ReadOnly {
        /// The database file.
        path: String,
        /// What was being done.
        doing: String,
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
    /// A database whose writer was killed mid-write, on a file this process cannot write: its
    /// log must be recovered before it can be read.
    #[error(
        "{path}: a write to it was interrupted (a killed ingest), and finishing it needs write access: \
         open it once where it can be written (any dateline ingest or dateline stats there)"
    )]
    NeedsRecovery {
        /// The database file.
        path: String,
    },
    /// A database with no tables yet: an ingest stopped before it stored anything.
    #[error("{path}: the database is empty (an ingest stopped before it stored anything); run dateline ingest")]
    Empty {
        /// The database file.
        path: String,
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
            rusqlite::Error::SqliteFailure(error, _) if error.code == rusqlite::ErrorCode::DiskFull => {
                StoreError::Full { path: path.to_owned(), doing: doing.to_owned() }
            }
            rusqlite::Error::SqliteFailure(error, _) if error.code == rusqlite::ErrorCode::ReadOnly => {
                StoreError::ReadOnly { path: path.to_owned(), doing: doing.to_owned() }
            }
            _ => StoreError::Sqlite { path: path.to_owned(), doing: doing.to_owned(), cause: source },
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
        Ok(Store { connection, path: name, simhashes: None, run: None })
    }

    /// Opens an existing database for reading only.
    ///
    /// A database whose writer was killed holds a write-ahead log that must be recovered
    /// before anyone reads it, and SQLite does not recover on a read-only connection: the
    /// log is recovered first on a connection that may write, when the file may be written.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        let name = path.display().to_string();
        if !path.exists() {
            return Err(StoreError::Missing { path: name });
        }
        let open = || -> Result<(Connection, i64), StoreError> {
            let connection = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
            )
            .map_err(|error| StoreError::sqlite(&name, "opening the database", error))?;
            configure(&connection, &name, false)?;
            let version: i64 = connection
                .pragma_query_value(None, "user_version", |row| row.get(0))
                .map_err(|error| StoreError::sqlite(&name, "reading the schema version", error))?;
            Ok((connection, version))
        };
        let (connection, version) = match open() {
            Err(StoreError::ReadOnly { .. }) => {
                recover(path, &name)?;
                open()?
            }
            other => other?,
        };
        if version == 0 {
            let tables: i64 = connection
                .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table'", [], |row| row.get(0))
                .map_err(|error| StoreError::sqlite(&name, "reading the tables", error))?;
            return Err(if tables == 0 {
                StoreError::Empty { path: name }
            } else {
                StoreError::NotDateline { path: name }
            });
        }
        if version != SCHEMA_VERSION {
            return Err(StoreError::Newer { path: name, found: version, known: SCHEMA_VERSION });
        }
        Ok(Store { connection, path: name, simhashes: None, run: None })
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

    /// Checks what the store itself keeps true, beyond SQLite's own integrity: every mention
    /// points at a stored event and article, every event has mentions and counts that match
    /// them, and near-duplicate links point at stored articles. Returns the problems found,
    /// each as a sentence; none on a sound database.
    pub fn consistency_check(&self) -> Result<Vec<String>, StoreError> {
        const CHECKS: &[(&str, &str)] = &[
            (
                "SELECT count(*) FROM mentions m WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.id = m.event_id)
                    OR NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = m.article_id)",
                "mentions point at no stored event or article",
            ),
            (
                "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM mentions m WHERE m.event_id = e.id)",
                "events have no mention",
            ),
            (
                "SELECT count(*) FROM events e WHERE num_mentions != (SELECT sum(count) FROM mentions m WHERE m.event_id = e.id)
                    OR num_articles != (SELECT count(DISTINCT article_id) FROM mentions m WHERE m.event_id = e.id)",
                "events have counts that differ from their mentions",
            ),
            (
                "SELECT count(*) FROM articles a WHERE duplicate_of IS NOT NULL
                    AND NOT EXISTS (SELECT 1 FROM articles b WHERE b.id = a.duplicate_of)",
                "articles are linked as near-duplicates of no stored article",
            ),
        ];
        let mut problems = Vec::new();
        for (sql, what) in CHECKS {
            let count: i64 = self
                .connection
                .query_row(sql, [], |row| row.get(0))
                .map_err(|error| self.error("checking consistency", error))?;
            if count > 0 {
                problems.push(format!("{count} {what}"));
            }
        }
        Ok(problems)
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
/// Recovers the write-ahead log of a database whose writer was killed, by opening it for
/// writing (without creating it) and reading from it.
fn recover(path: &Path, name: &str) -> Result<(), StoreError> {
    let needs_writing = |_| StoreError::NeedsRecovery { path: name.to_owned() };
    let connection =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
            .map_err(needs_writing)?;
    connection.busy_timeout(Duration::from_secs(10)).map_err(needs_writing)?;
    connection.pragma_query_value(None, "user_version", |row| row.get::<_, i64>(0)).map_err(needs_writing)?;
    Ok(())
}

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

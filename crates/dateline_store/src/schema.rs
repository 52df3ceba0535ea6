//! The schema and its migrations. `PRAGMA user_version` holds the schema version; each
//! migration takes the database from one version to the next inside one transaction, so a
//! database is always at a version this code knows, or newer (and then refused).

use rusqlite::Connection;

use crate::StoreError;

/// The schema version this code writes.
pub const SCHEMA_VERSION: i64 = 1;

/// Migration `i` takes the database from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    // 0 -> 1: the first schema.
    r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row per article. `layers` is the article's whole JSON (every layer, as `dateline
-- annotate` prints it), deflate-compressed.
CREATE TABLE articles (
    id               INTEGER PRIMARY KEY,
    doc_id           TEXT NOT NULL,
    input            TEXT NOT NULL,
    url              TEXT,
    text_hash        TEXT NOT NULL UNIQUE,
    simhash          INTEGER NOT NULL,
    title            TEXT,
    published        TEXT,
    site             TEXT,
    source_name      TEXT NOT NULL,
    authors          TEXT NOT NULL,
    tags             TEXT NOT NULL,
    language         TEXT,
    text             TEXT NOT NULL,
    tone             REAL,
    layers           BLOB NOT NULL,
    duplicate_of     INTEGER REFERENCES articles(id),
    pipeline_version TEXT NOT NULL,
    ingested_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX articles_url ON articles(url) WHERE url IS NOT NULL;
CREATE INDEX articles_published ON articles(published);
-- Counting sources and duplicates must not read the rows' text and layers.
CREATE INDEX articles_source ON articles(source_name);
CREATE INDEX articles_duplicate ON articles(duplicate_of) WHERE duplicate_of IS NOT NULL;

CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='id');

-- Real-world events, merged across articles: same source, target, CAMEO root and place, and
-- dates at most a day apart.
CREATE TABLE events (
    id            INTEGER PRIMARY KEY,
    date          TEXT,    -- YYYY-MM-DD: the day, or the first day of a coarser date_text
    date_text     TEXT,    -- the date as coded (TIMEX3: 2025-03-04, 2025-03, 2025-W10, 1998)
    source        TEXT,
    source_name   TEXT,
    target        TEXT,
    target_name   TEXT,
    cameo         TEXT NOT NULL,
    root          TEXT NOT NULL,
    quad          INTEGER NOT NULL,
    goldstein     REAL NOT NULL,
    plover        TEXT,
    place_name    TEXT,
    place_country TEXT,
    place_kind    TEXT,
    place_geonames INTEGER,
    lat           REAL,
    lon           REAL,
    num_mentions  INTEGER NOT NULL DEFAULT 0,
    num_sources   INTEGER NOT NULL DEFAULT 0,
    num_articles  INTEGER NOT NULL DEFAULT 0,
    first_article INTEGER,
    is_root       INTEGER NOT NULL DEFAULT 0,
    avg_tone      REAL,
    added         TEXT NOT NULL
);
CREATE INDEX events_key ON events(source, target, root, place_name, date);
CREATE INDEX events_date ON events(date);
CREATE INDEX events_target ON events(target);
CREATE INDEX events_cameo ON events(cameo);

-- Each article's statement of an event: its evidence and the rule that coded it.
CREATE TABLE mentions (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER NOT NULL REFERENCES events(id),
    article_id   INTEGER NOT NULL REFERENCES articles(id),
    idx          INTEGER NOT NULL,
    sentence     INTEGER NOT NULL,
    cameo        TEXT NOT NULL,
    source_text  TEXT,
    target_text  TEXT,
    trigger_start INTEGER NOT NULL,
    trigger_end  INTEGER NOT NULL,
    rule         TEXT NOT NULL,
    confidence   REAL NOT NULL,
    count        INTEGER NOT NULL,
    sentence_start INTEGER,  -- the sentence's span in the article's text (bytes)
    sentence_end INTEGER
);
CREATE INDEX mentions_event ON mentions(event_id);
CREATE INDEX mentions_article ON mentions(article_id, idx);

-- Documents that could not be read or processed, per run.
CREATE TABLE failures (
    id      INTEGER PRIMARY KEY,
    input   TEXT NOT NULL,
    doc_id  TEXT,
    message TEXT NOT NULL,
    at      TEXT NOT NULL
);

-- One row per `dateline ingest` run.
CREATE TABLE runs (
    id               INTEGER PRIMARY KEY,
    started          TEXT NOT NULL,
    finished         TEXT,
    inputs           TEXT NOT NULL,
    pipeline_version TEXT NOT NULL,
    articles         INTEGER NOT NULL DEFAULT 0,
    skipped          INTEGER NOT NULL DEFAULT 0,
    failed           INTEGER NOT NULL DEFAULT 0
);
"#,
];

/// Brings the database to [`SCHEMA_VERSION`].
pub(crate) fn migrate(connection: &mut Connection, path: &str) -> Result<(), StoreError> {
    let version: i64 = connection
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .map_err(|error| StoreError::sqlite(path, "reading the schema version", error))?;
    if version > SCHEMA_VERSION {
        return Err(StoreError::Newer { path: path.to_owned(), found: version, known: SCHEMA_VERSION });
    }
    if version == 0 {
        let tables: i64 = connection
            .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table'", [], |row| row.get(0))
            .map_err(|error| StoreError::sqlite(path, "reading the tables", error))?;
        if tables > 0 {
            return Err(StoreError::NotDateline { path: path.to_owned() });
        }
    }
    for (from, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let to = from as i64 + 1;
        let transaction =
            connection.transaction().map_err(|error| StoreError::sqlite(path, "starting a migration", error))?;
        transaction
            .execute_batch(sql)
            .and_then(|()| transaction.pragma_update(None, "user_version", to))
            .and_then(|()| transaction.commit())
            .map_err(|error| StoreError::sqlite(path, &format!("migrating the schema to version {to}"), error))?;
    }
    Ok(())
}

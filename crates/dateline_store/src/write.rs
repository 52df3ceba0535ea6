//! Storing processed articles: one transaction per batch, events merged across articles, and
//! the knowledge of what is stored already (so that a re-run skips it).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::Write;
use std::sync::Mutex;

use chrono::{Duration, NaiveDate, Utc};
use dateline_doc::{Article, Event, PlaceKind};
use flate2::Compression;
use flate2::write::DeflateEncoder;
use rusqlite::{OptionalExtension, Transaction, params};

use crate::hash::{self, distance};
use crate::{Store, StoreError};

/// Simhashes at most this many bits apart mark near-duplicate texts.
const NEAR_DUPLICATE_BITS: u32 = 6;

/// One processed article, ready to store.
#[derive(Debug)]
pub struct NewArticle {
    /// The document's id from ingest.
    pub doc_id: String,
    /// Where it was read from.
    pub input: String,
    /// The canonical URL.
    pub url: Option<String>,
    /// The headline.
    pub title: Option<String>,
    /// Publication time, RFC 3339.
    pub published: Option<String>,
    /// The publication's name.
    pub site: Option<String>,
    /// Authors.
    pub authors: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Language.
    pub language: Option<String>,
    /// The clean text.
    pub text: String,
    /// The article's tone.
    pub tone: Option<f64>,
    /// The whole JSON of the article with its layers.
    pub layers: String,
    /// Its events.
    pub events: Vec<Event>,
    /// For each event, the canonical names of its source and target ("United States"), when
    /// linking knew them; else the event's words are the names.
    pub actor_names: Vec<(Option<String>, Option<String>)>,
    /// The spans (start, end) of the article's sentences, which the events index.
    pub sentences: Vec<(usize, usize)>,
    /// The version of the pipeline that made it.
    pub pipeline_version: String,
}

impl NewArticle {
    /// An article with its layers' JSON, events and tone.
    pub fn new(article: &Article, tone: Option<f64>, events: Vec<Event>, layers: String, version: &str) -> NewArticle {
        let meta = &article.meta;
        NewArticle {
            doc_id: article.id.clone(),
            input: article.source.uri.clone(),
            url: meta.url.clone(),
            title: meta.title.clone(),
            published: meta.published.map(|published| published.to_string()),
            site: meta.site.clone(),
            authors: meta.authors.clone(),
            tags: meta.tags.clone(),
            language: meta.language.clone(),
            text: article.text.clone(),
            tone,
            layers,
            events,
            actor_names: Vec::new(),
            sentences: Vec::new(),
            pipeline_version: version.to_owned(),
        }
    }

    /// Who published it: the site's name, else the URL's host, else the input.
    fn source_name(&self) -> String {
        if let Some(site) = self.site.as_deref().filter(|site| !site.trim().is_empty()) {
            return site.trim().to_owned();
        }
        if let Some(host) = self.url.as_deref().and_then(url_host) {
            return host.to_owned();
        }
        self.input.clone()
    }
}

fn url_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit_once('@').map_or(host, |(_, host)| host);
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then_some(host)
}

/// What a batch did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Articles stored for the first time.
    pub stored: usize,
    /// Stored articles processed again by a newer pipeline and replaced.
    pub replaced: usize,
    /// Articles found stored already with this pipeline version.
    pub skipped: usize,
    /// Articles linked to a near-duplicate stored before.
    pub duplicates: usize,
    /// Mentions stored.
    pub mentions: usize,
    /// Events made (mentions of events stored before are merged into them).
    pub new_events: usize,
}

/// What is stored already, by text fingerprint and canonical URL, with the pipeline version
/// that made it; and what this run has taken on, so that two copies in one run are processed
/// once. Shared by the worker threads.
#[derive(Debug, Default)]
pub struct Known {
    stored: HashMap<String, String>,
    claimed: Mutex<HashSet<String>>,
}

impl Known {
    /// Whether to process `article` now: not when it is stored with `version` (or with any
    /// version, unless `reprocess`), and not when this run has it already.
    pub fn claim(&self, article: &Article, version: &str, reprocess: bool) -> bool {
        let keys = [Some(hash::text_hash(&article.text)), article.meta.url.as_ref().map(|url| format!("url:{url}"))];
        for key in keys.iter().flatten() {
            if let Some(stored) = self.stored.get(key)
                && (!reprocess || stored == version)
            {
                return false;
            }
        }
        let Ok(mut claimed) = self.claimed.lock() else { return true };
        if keys.iter().flatten().any(|key| claimed.contains(key)) {
            return false;
        }
        claimed.extend(keys.into_iter().flatten());
        true
    }
}

impl Store {
    /// What is stored already (see [`Known`]).
    pub fn known(&self) -> Result<Known, StoreError> {
        let mut statement = self
            .connection
            .prepare("SELECT text_hash, url, pipeline_version FROM articles")
            .map_err(|error| self.error("reading the stored articles", error))?;
        let rows = statement
            .query_map([], |row| {
                Ok((row.get::<_, String>(0)?, row.get::<_, Option<String>>(1)?, row.get::<_, String>(2)?))
            })
            .map_err(|error| self.error("reading the stored articles", error))?;
        let mut stored = HashMap::new();
        for row in rows {
            let (hash, url, version) = row.map_err(|error| self.error("reading the stored articles", error))?;
            if let Some(url) = url {
                stored.insert(format!("url:{url}"), version.clone());
            }
            stored.insert(hash, version);
        }
        Ok(Known { stored, claimed: Mutex::new(HashSet::new()) })
    }

    /// Starts the log entry of an ingest run; returns its id.
    pub fn start_run(&mut self, inputs: &[String], version: &str) -> Result<i64, StoreError> {
        let inputs = serde_json::to_string(inputs).unwrap_or_default();
        self.connection
            .execute(
                "INSERT INTO runs (started, inputs, pipeline_version) VALUES (?1, ?2, ?3)",
                params![now(), inputs, version],
            )
            .map_err(|error| self.error("logging the run", error))?;
        self.connection
            .execute(
                "INSERT INTO meta (key, value) VALUES ('pipeline_version', ?1)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                params![version],
            )
            .map_err(|error| self.error("logging the run", error))?;
        let run = self.connection.last_insert_rowid();
        self.run = Some(run);
        Ok(run)
    }

    /// Closes the log entry of an ingest run with the run's totals (which count, beyond what
    /// the batches logged, the articles skipped before processing as stored already).
    pub fn finish_run(&mut self, run: i64, stored: usize, skipped: usize, failed: usize) -> Result<(), StoreError> {
        self.connection
            .execute(
                "UPDATE runs SET finished = ?2, articles = ?3, skipped = ?4, failed = ?5 WHERE id = ?1",
                params![run, now(), stored as i64, skipped as i64, failed as i64],
            )
            .map_err(|error| self.error("logging the run", error))?;
        Ok(())
    }

    /// Stores a batch of articles and the documents that failed, in one transaction.
    pub fn write_batch(
        &mut self,
        articles: &[NewArticle],
        failures: &[(String, Option<String>, String)],
    ) -> Result<WriteReport, StoreError> {
        if self.simhashes.is_none() {
            self.simhashes = Some(self.load_simhashes()?);
        }
        let path = self.path.clone();
        let fail = |doing: &str| {
            let path = path.clone();
            let doing = doing.to_owned();
            move |error| StoreError::sqlite(&path, &doing, error)
        };
        let transaction = self.connection.transaction().map_err(fail("starting a transaction"))?;
        let simhashes = self.simhashes.as_mut().expect("loaded above");
        let mut report = WriteReport::default();
        for article in articles {
            if let Err(error) = write_article(&transaction, article, simhashes, &mut report) {
                // The fingerprints may name rows that the rollback removes: read them again.
                self.simhashes = None;
                return Err(fail(&format!("storing the article {}", article.input))(error));
            }
        }
        let at = now();
        for (input, doc_id, message) in failures {
            transaction
                .execute(
                    "INSERT INTO failures (input, doc_id, message, at) VALUES (?1, ?2, ?3, ?4)",
                    params![input, doc_id, message, at],
                )
                .map_err(fail("logging a failure"))?;
        }
        if let Some(run) = self.run {
            transaction
                .execute(
                    "UPDATE runs SET articles = articles + ?2, skipped = skipped + ?3, failed = failed + ?4 WHERE id = ?1",
                    params![
                        run,
                        (report.stored + report.replaced) as i64,
                        report.skipped as i64,
                        failures.len() as i64
                    ],
                )
                .map_err(fail("logging the run"))?;
        }
        transaction.commit().map_err(fail("committing"))?;
        Ok(report)
    }

    fn load_simhashes(&self) -> Result<Vec<(i64, u64)>, StoreError> {
        let mut statement = self
            .connection
            .prepare("SELECT id, simhash FROM articles ORDER BY id")
            .map_err(|error| self.error("reading the stored fingerprints", error))?;
        let rows = statement
            .query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)? as u64)))
            .map_err(|error| self.error("reading the stored fingerprints", error))?;
        rows.collect::<Result<_, _>>().map_err(|error| self.error("reading the stored fingerprints", error))
    }
}

fn now() -> String {
    Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn compress(text: &str) -> Vec<u8> {
    let mut encoder = DeflateEncoder::new(Vec::with_capacity(text.len() / 4), Compression::fast());
    encoder.write_all(text.as_bytes()).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

fn write_article(
    transaction: &Transaction<'_>,
    article: &NewArticle,
    simhashes: &mut Vec<(i64, u64)>,
    report: &mut WriteReport,
) -> rusqlite::Result<()> {
    let text_hash = hash::text_hash(&article.text);
    let existing: Option<(i64, String, Option<String>, String)> = transaction
        .query_row(
            "SELECT id, pipeline_version, title, text FROM articles
             WHERE text_hash = ?1 OR (?2 IS NOT NULL AND url = ?2) ORDER BY id LIMIT 1",
            params![text_hash, article.url],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .optional()?;
    let mut touched = BTreeSet::new();
    if let Some((_, version, _, _)) = &existing
        && *version == article.pipeline_version
    {
        report.skipped += 1;
        return Ok(());
    }
    let simhash = hash::simhash(&article.text);
    let own_id = existing.as_ref().map(|(id, ..)| *id);
    let duplicate_of = simhashes
        .iter()
        .find(|(id, other)| Some(*id) != own_id && distance(simhash, *other) <= NEAR_DUPLICATE_BITS)
        .map(|(id, _)| *id);
    let values = params![
        article.doc_id,
        article.input,
        article.url,
        text_hash,
        simhash as i64,
        article.title,
        article.published,
        article.site,
        article.source_name(),
        serde_json::to_string(&article.authors).unwrap_or_default(),
        serde_json::to_string(&article.tags).unwrap_or_default(),
        article.language,
        article.text,
        article.tone,
        compress(&article.layers),
        duplicate_of,
        article.pipeline_version,
        now(),
    ];
    let id = match &existing {
        Some((id, _, old_title, old_text)) => {
            let mut statement =
                transaction.prepare_cached("SELECT DISTINCT event_id FROM mentions WHERE article_id = ?1")?;
            for event in statement.query_map([id], |row| row.get::<_, i64>(0))? {
                touched.insert(event?);
            }
            transaction.execute("DELETE FROM mentions WHERE article_id = ?1", [id])?;
            transaction.execute(
                "INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', ?1, ?2, ?3)",
                params![id, old_title, old_text],
            )?;
            transaction.execute(
                "UPDATE articles SET doc_id = ?1, input = ?2, url = ?3, text_hash = ?4, simhash = ?5, title = ?6,
                 published = ?7, site = ?8, source_name = ?9, authors = ?10, tags = ?11, language = ?12, text = ?13,
                 tone = ?14, layers = ?15, duplicate_of = ?16, pipeline_version = ?17, ingested_at = ?18
                 WHERE id = ?19",
                rusqlite::params_from_iter(values.iter().copied().chain(std::iter::once(id as &dyn rusqlite::ToSql))),
            )?;
            report.replaced += 1;
            *id
        }
        None => {
            transaction.execute(
                "INSERT INTO articles (doc_id, input, url, text_hash, simhash, title, published, site, source_name,
                 authors, tags, language, text, tone, layers, duplicate_of, pipeline_version, ingested_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
                values,
            )?;
            report.stored += 1;
            transaction.last_insert_rowid()
        }
    };
    if duplicate_of.is_some() {
        report.duplicates += 1;
    }
    transaction.execute(
        "INSERT INTO articles_fts (rowid, title, text) VALUES (?1, ?2, ?3)",
        params![id, article.title, article.text],
    )?;
    let added = now();
    for (index, event) in article.events.iter().enumerate() {
        let names = article.actor_names.get(index).cloned().unwrap_or_default();
        let (event_id, new) = find_or_make_event(transaction, event, names, &added)?;
        report.new_events += usize::from(new);
        transaction.execute(
            "INSERT INTO mentions (event_id, article_id, idx, sentence, cameo, source_text, target_text,
             trigger_start, trigger_end, rule, confidence, count, sentence_start, sentence_end)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                event_id,
                id,
                index as i64,
                event.sentence as i64,
                event.cameo,
                event.source.text,
                event.target.as_ref().map(|target| target.text.as_str()),
                event.evidence.trigger.start as i64,
                event.evidence.trigger.end as i64,
                event.rule,
                event.confidence,
                event.count as i64,
                article.sentences.get(event.sentence).map(|span| span.0 as i64),
                article.sentences.get(event.sentence).map(|span| span.1 as i64),
            ],
        )?;
        report.mentions += 1;
        touched.insert(event_id);
    }
    for event in touched {
        refresh_event(transaction, event)?;
    }
    match simhashes.iter_mut().find(|(stored, _)| *stored == id) {
        Some(entry) => entry.1 = simhash,
        None => simhashes.push((id, simhash)),
    }
    Ok(())
}

/// The day of an event date (TIMEX3), and whether the date names that day exactly: a day is
/// itself; a month, year or ISO week starts on its first day (a weekend, on its Saturday).
pub(crate) fn event_day(date: Option<&str>) -> Option<(NaiveDate, bool)> {
    let date = date?;
    if let Some(day) = date.get(..10).and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()) {
        return Some((day, true));
    }
    let year: i32 = date.get(..4)?.parse().ok()?;
    let rest = &date[4..];
    if rest.is_empty() {
        return Some((NaiveDate::from_ymd_opt(year, 1, 1)?, false));
    }
    if let Some(week) = rest.strip_prefix("-W") {
        let number: u32 = week.get(..2)?.parse().ok()?;
        let weekday = if week.ends_with("-WE") { chrono::Weekday::Sat } else { chrono::Weekday::Mon };
        return Some((NaiveDate::from_isoywd_opt(year, number, weekday)?, false));
    }
    let month: u32 = rest.strip_prefix('-')?.get(..2)?.parse().ok()?;
    Some((NaiveDate::from_ymd_opt(year, month, 1)?, false))
}

/// The stored event this one is a mention of, or a new one: same source, target and root; the
/// same place, or the country of the other's place; and a date at most a day away (the same
/// date, when coarser than a day).
fn find_or_make_event(
    transaction: &Transaction<'_>,
    event: &Event,
    (source_name, target_name): (Option<String>, Option<String>),
    added: &str,
) -> rusqlite::Result<(i64, bool)> {
    let source = event.source.code.as_deref();
    let target = event.target.as_ref().and_then(|target| target.code.as_deref());
    let place = event.place.as_ref();
    let day = event_day(event.date.as_deref());
    let date = day.map(|(day, _)| day.format("%Y-%m-%d").to_string());
    // Days merge within a day of each other; coarser dates only with the same date.
    let (low, high) = match day {
        Some((day, true)) => (
            Some((day - Duration::days(1)).format("%Y-%m-%d").to_string()),
            Some((day + Duration::days(1)).format("%Y-%m-%d").to_string()),
        ),
        _ => (None, None),
    };
    let found: Option<i64> = transaction
        .prepare_cached(
            "SELECT id FROM events WHERE source IS ?1 AND target IS ?2 AND root = ?3
             AND (place_name IS ?4 OR (place_country IS ?8 AND (place_kind = 'country' OR ?9 = 'country')))
             AND (date_text IS ?5 OR date BETWEEN ?6 AND ?7) ORDER BY id LIMIT 1",
        )?
        .query_row(
            params![
                source,
                target,
                event.root,
                place.map(|place| &place.name),
                event.date,
                low,
                high,
                place.and_then(|place| place.country.as_deref()),
                place_kind(place),
            ],
            |row| row.get(0),
        )
        .optional()?;
    if let Some(id) = found {
        return Ok((id, false));
    }
    transaction.execute(
        "INSERT INTO events (date, source, source_name, target, target_name, cameo, root, quad, goldstein, plover,
         place_name, place_country, place_kind, place_geonames, lat, lon, added, date_text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
        params![
            date,
            source,
            source_name.as_deref().unwrap_or(&event.source.text),
            target,
            target_name.as_deref().or(event.target.as_ref().map(|target| target.text.as_str())),
            event.cameo,
            event.root,
            event.quad,
            event.goldstein,
            event.plover,
            place.map(|place| &place.name),
            place.and_then(|place| place.country.as_deref()),
            place_kind(place),
            place.and_then(|place| place.geonames_id),
            place.map(|place| place.lat),
            place.map(|place| place.lon),
            added,
            event.date,
        ],
    )?;
    Ok((transaction.last_insert_rowid(), true))
}

/// `country`, `admin1` or `city`.
fn place_kind(place: Option<&dateline_doc::EventPlace>) -> Option<&'static str> {
    place.and_then(|place| place.kind).map(|kind| match kind {
        PlaceKind::Country => "country",
        PlaceKind::Admin1 => "admin1",
        PlaceKind::City => "city",
    })
}

/// Recounts an event's mentions, articles and sources; removes it when no mention is left.
fn refresh_event(transaction: &Transaction<'_>, event: i64) -> rusqlite::Result<()> {
    transaction
        .prepare_cached(
            "UPDATE events SET
           num_mentions = (SELECT coalesce(sum(count), 0) FROM mentions WHERE event_id = ?1),
           num_articles = (SELECT count(DISTINCT article_id) FROM mentions WHERE event_id = ?1),
           num_sources = (SELECT count(DISTINCT a.source_name) FROM mentions m JOIN articles a ON a.id = m.article_id
                          WHERE m.event_id = ?1),
           first_article = (SELECT min(article_id) FROM mentions WHERE event_id = ?1),
           is_root = (SELECT coalesce(max(sentence = 0), 0) FROM mentions WHERE event_id = ?1),
           avg_tone = (SELECT avg(a.tone) FROM mentions m JOIN articles a ON a.id = m.article_id
                       WHERE m.event_id = ?1)
         WHERE id = ?1",
        )?
        .execute([event])?;
    transaction.prepare_cached("DELETE FROM events WHERE id = ?1 AND num_mentions = 0")?.execute([event])?;
    Ok(())
}

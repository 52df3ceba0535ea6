//! Storing processed articles: one transaction per batch, events merged across articles, and
//! the knowledge of what is stored already (so that a re-run skips it).

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::sync::Mutex;

use chrono::Utc;
use dateline_doc::{Article, Entity, Event};
use flate2::Compression;
use flate2::write::DeflateEncoder;
use rusqlite::{OptionalExtension, Transaction, params};

use crate::hash::{self, distance};
use crate::merge::{Claims, EventCounts, EventKey, Mention, MentionFacts, NewEvent, claim_keys, same_event};
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

    /// The article with what linking and parsing add for the store: the canonical names of
    /// its events' actors (from the entities their words fall in) and its sentences' spans.
    pub fn with_links(mut self, entities: &[Entity], sentences: Vec<(usize, usize)>) -> NewArticle {
        let name = |start: usize, end: usize| {
            entities
                .iter()
                .filter(|entity| entity.start < end && start < entity.end)
                .find_map(|entity| entity.canonical.clone())
        };
        self.actor_names = self
            .events
            .iter()
            .map(|event| {
                (
                    name(event.source.start, event.source.end),
                    event.target.as_ref().and_then(|target| name(target.start, target.end)),
                )
            })
            .collect();
        self.sentences = sentences;
        self
    }

    /// Its events as mentions to merge outside a database (see [`crate::merge`]), the
    /// article being `article` (a number that orders articles as they would be stored).
    pub fn mentions(&self, article: i64) -> Vec<Mention> {
        let source_name = self.source_name();
        let url = self.url.clone().unwrap_or_else(|| self.input.clone());
        self.events
            .iter()
            .enumerate()
            .map(|(index, event)| Mention {
                event: NewEvent::of(event, self.actor_names.get(index).cloned().unwrap_or_default()),
                facts: MentionFacts {
                    article,
                    source_name: source_name.clone(),
                    tone: self.tone,
                    sentence: event.sentence,
                    count: event.count as i64,
                },
                index,
                url: url.clone(),
            })
            .collect()
    }

    /// The keys the article is known by when copies are found (see [`Claims`]).
    pub fn claim_keys(&self) -> Vec<String> {
        claim_keys(&self.text, self.url.as_deref())
    }

    /// Who published it: the site's name, else the URL's host, else the input.
    pub fn source_name(&self) -> String {
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
    claimed: Mutex<Claims>,
}

impl Known {
    /// Whether to process `article` now: not when it is stored with `version` (or with any
    /// version, unless `reprocess`), and not when this run has it already.
    pub fn claim(&self, article: &Article, version: &str, reprocess: bool) -> bool {
        let keys = claim_keys(&article.text, article.meta.url.as_deref());
        for key in &keys {
            if let Some(stored) = self.stored.get(key)
                && (!reprocess || stored == version)
            {
                return false;
            }
        }
        let Ok(mut claimed) = self.claimed.lock() else { return true };
        claimed.claim(&keys)
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
        Ok(Known { stored, claimed: Mutex::new(Claims::default()) })
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
        let (event_id, new) = find_or_make_event(transaction, &NewEvent::of(event, names), &added)?;
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

/// The stored event `event` is a mention of, or a new one ([`same_event`]): the events with
/// its actors and root are tried in the order they were made.
fn find_or_make_event(transaction: &Transaction<'_>, event: &NewEvent, added: &str) -> rusqlite::Result<(i64, bool)> {
    let key = &event.key;
    let mut statement = transaction.prepare_cached(
        "SELECT id, place_name, place_country, place_kind, date_text FROM events
         WHERE source IS ?1 AND target IS ?2 AND root = ?3 ORDER BY id",
    )?;
    let mut rows = statement.query(params![key.source, key.target, key.root])?;
    while let Some(row) = rows.next()? {
        let stored = EventKey {
            source: key.source.clone(),
            target: key.target.clone(),
            root: key.root.clone(),
            place_name: row.get(1)?,
            place_country: row.get(2)?,
            place_kind: row.get(3)?,
            date_text: row.get(4)?,
        };
        if same_event(&stored, key) {
            return Ok((row.get(0)?, false));
        }
    }
    transaction.execute(
        "INSERT INTO events (date, source, source_name, target, target_name, cameo, root, quad, goldstein, plover,
         place_name, place_country, place_kind, place_geonames, lat, lon, added, date_text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
        params![
            key.date(),
            key.source,
            event.source_name,
            key.target,
            event.target_name,
            event.cameo,
            key.root,
            event.quad,
            event.goldstein,
            event.plover,
            key.place_name,
            key.place_country,
            key.place_kind,
            event.place_geonames,
            event.lat,
            event.lon,
            added,
            key.date_text,
        ],
    )?;
    Ok((transaction.last_insert_rowid(), true))
}

/// Recounts an event's mentions, articles and sources ([`EventCounts::of`]); removes it when
/// no mention is left.
fn refresh_event(transaction: &Transaction<'_>, event: i64) -> rusqlite::Result<()> {
    let facts = transaction
        .prepare_cached(
            "SELECT m.article_id, a.source_name, a.tone, m.sentence, m.count
             FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.event_id = ?1 ORDER BY m.id",
        )?
        .query_map([event], |row| {
            Ok(MentionFacts {
                article: row.get(0)?,
                source_name: row.get(1)?,
                tone: row.get(2)?,
                sentence: row.get::<_, i64>(3)? as usize,
                count: row.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let counts = EventCounts::of(&facts);
    if counts.num_mentions == 0 {
        transaction.prepare_cached("DELETE FROM events WHERE id = ?1")?.execute([event])?;
        return Ok(());
    }
    transaction
        .prepare_cached(
            "UPDATE events SET num_mentions = ?2, num_articles = ?3, num_sources = ?4, first_article = ?5,
             is_root = ?6, avg_tone = ?7 WHERE id = ?1",
        )?
        .execute(params![
            event,
            counts.num_mentions,
            counts.num_articles,
            counts.num_sources,
            counts.first_article,
            counts.is_root,
            counts.avg_tone
        ])?;
    Ok(())
}

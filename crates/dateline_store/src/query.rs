//! Questions asked of the database: events with filters, one event with its mentions, one
//! article with every layer, full-text search, and the aggregates the dashboard draws. The
//! CLI's `events`, `search` and `stats` and the HTTP API ask the same functions, so they
//! answer alike.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::OnceLock;

use chrono::NaiveDate;
use dateline_code::cameo::CameoTable;
use flate2::read::DeflateDecoder;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, params_from_iter};
use serde::Serialize;
use serde_json::json;

use crate::{SCHEMA_VERSION, Store, StoreError};

/// The filters of `dateline events` and `/api/events` (docs/API.md); every one optional,
/// combined with AND.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventFilter {
    /// Source or target actor code starts with it.
    pub actor: Option<String>,
    /// Source actor code starts with it.
    pub source: Option<String>,
    /// Target actor code starts with it.
    pub target: Option<String>,
    /// Source or target country (the code's first three letters), or the place's country.
    pub country: Option<String>,
    /// CAMEO code starts with it.
    pub code: Option<String>,
    /// CAMEO root, two digits.
    pub root: Option<String>,
    /// Quad class, 1 to 4.
    pub quad: Option<u8>,
    /// PLOVER type.
    pub plover: Option<String>,
    /// First event date, inclusive, `YYYY-MM-DD`.
    pub since: Option<String>,
    /// Last event date, inclusive, `YYYY-MM-DD`.
    pub until: Option<String>,
    /// Place name contains it.
    pub place: Option<String>,
    /// Full-text query over the reporting articles.
    pub q: Option<String>,
}

/// How to order events.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Sort {
    /// Newest first.
    #[default]
    DateDesc,
    /// Oldest first.
    Date,
    /// Most mentioned first.
    MentionsDesc,
    /// Least mentioned first.
    Mentions,
    /// Most conflictual first.
    Goldstein,
    /// Most cooperative first.
    GoldsteinDesc,
}

impl Sort {
    /// Reads `date`, `-date`, `mentions`, `-mentions`, `goldstein`, `-goldstein`.
    pub fn parse(text: &str) -> Result<Sort, StoreError> {
        Ok(match text {
            "-date" => Sort::DateDesc,
            "date" => Sort::Date,
            "-mentions" => Sort::MentionsDesc,
            "mentions" => Sort::Mentions,
            "goldstein" => Sort::Goldstein,
            "-goldstein" => Sort::GoldsteinDesc,
            other => {
                return Err(StoreError::BadQuery(format!(
                    "sort: '{other}' is not one of date, -date, mentions, -mentions, goldstein, -goldstein"
                )));
            }
        })
    }

    fn sql(self) -> &'static str {
        match self {
            Sort::DateDesc => "e.date DESC, e.id DESC",
            Sort::Date => "e.date ASC, e.id ASC",
            Sort::MentionsDesc => "e.num_mentions DESC, e.id DESC",
            Sort::Mentions => "e.num_mentions ASC, e.id ASC",
            Sort::Goldstein => "e.goldstein ASC, e.id ASC",
            Sort::GoldsteinDesc => "e.goldstein DESC, e.id ASC",
        }
    }
}

fn bad(parameter: &str, value: &str, expected: &str) -> StoreError {
    StoreError::BadQuery(format!("{parameter}: '{value}' is not {expected}"))
}

fn check_code(parameter: &str, value: &str) -> Result<(), StoreError> {
    if value.is_empty() || value.len() > 32 || !value.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(bad(parameter, value, "an actor code (letters and digits)"));
    }
    Ok(())
}

fn check_date(parameter: &str, value: &str) -> Result<(), StoreError> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d").map(|_| ()).map_err(|_| bad(parameter, value, "a date YYYY-MM-DD"))
}

impl EventFilter {
    /// Checks every parameter, naming the first malformed one.
    pub fn validate(&self) -> Result<(), StoreError> {
        for (name, value) in [("actor", &self.actor), ("source", &self.source), ("target", &self.target)] {
            if let Some(value) = value {
                check_code(name, value)?;
            }
        }
        if let Some(country) = &self.country
            && (country.len() != 3 || !country.chars().all(|c| c.is_ascii_alphabetic()))
        {
            return Err(bad("country", country, "a three-letter country code"));
        }
        if let Some(code) = &self.code
            && (code.is_empty() || code.len() > 4 || !code.chars().all(|c| c.is_ascii_digit()))
        {
            return Err(bad("code", code, "a CAMEO code (2 to 4 digits)"));
        }
        if let Some(root) = &self.root
            && !(root.len() == 2
                && root.chars().all(|c| c.is_ascii_digit())
                && (1..=20).contains(&root.parse().unwrap_or(0)))
        {
            return Err(bad("root", root, "a CAMEO root, 01 to 20"));
        }
        if let Some(quad) = self.quad
            && !(1..=4).contains(&quad)
        {
            return Err(bad("quad", &quad.to_string(), "a quad class, 1 to 4"));
        }
        if let Some(plover) = &self.plover
            && (plover.is_empty() || !plover.chars().all(|c| c.is_ascii_alphabetic() || c == '_'))
        {
            return Err(bad("plover", plover, "a PLOVER type"));
        }
        for (name, value) in [("since", &self.since), ("until", &self.until)] {
            if let Some(value) = value {
                check_date(name, value)?;
            }
        }
        if let Some(q) = &self.q
            && q.trim().is_empty()
        {
            return Err(bad("q", q, "a text query"));
        }
        Ok(())
    }

    /// The WHERE clause over `events e` and its parameters.
    fn sql(&self) -> Result<(String, Vec<Value>), StoreError> {
        self.validate()?;
        let mut clauses: Vec<String> = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        // Each `?` of a clause takes the next parameter, numbered across all clauses.
        let mut push = |clause: &str, params: &[String]| {
            let mut numbered = String::with_capacity(clause.len() + 8);
            let mut params = params.iter();
            for c in clause.chars() {
                if c == '?' {
                    let param = params.next().expect("a parameter for each placeholder");
                    values.push(Value::Text(param.clone()));
                    numbered.push_str(&format!("?{}", values.len()));
                } else {
                    numbered.push(c);
                }
            }
            clauses.push(numbered);
        };
        let upper = |value: &String| value.to_uppercase();
        if let Some(actor) = &self.actor {
            push("(e.source LIKE ? OR e.target LIKE ?)", &[format!("{}%", upper(actor)), format!("{}%", upper(actor))]);
        }
        if let Some(source) = &self.source {
            push("e.source LIKE ?", &[format!("{}%", upper(source))]);
        }
        if let Some(target) = &self.target {
            push("e.target LIKE ?", &[format!("{}%", upper(target))]);
        }
        if let Some(country) = &self.country {
            let country = upper(country);
            push(
                "(substr(e.source, 1, 3) = ? OR substr(e.target, 1, 3) = ? OR e.place_country = ?)",
                &[country.clone(), country.clone(), country],
            );
        }
        if let Some(code) = &self.code {
            push("e.cameo LIKE ?", &[format!("{code}%")]);
        }
        if let Some(root) = &self.root {
            push("e.root = ?", std::slice::from_ref(root));
        }
        if let Some(quad) = self.quad {
            // Validated above: a digit 1 to 4.
            push(&format!("e.quad = {quad}"), &[]);
        }
        if let Some(plover) = &self.plover {
            push("e.plover = ?", &[upper(plover)]);
        }
        if let Some(since) = &self.since {
            push("e.date >= ?", std::slice::from_ref(since));
        }
        if let Some(until) = &self.until {
            push("e.date <= ?", std::slice::from_ref(until));
        }
        if let Some(place) = &self.place {
            let escaped = place.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            push("e.place_name LIKE ? ESCAPE '\\'", &[format!("%{escaped}%")]);
        }
        if let Some(q) = self.q.as_deref().and_then(fts_query) {
            push(
                "e.id IN (SELECT m.event_id FROM mentions m WHERE m.article_id IN
                   (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?))",
                &[q],
            );
        }
        let clause = if clauses.is_empty() { "1".to_owned() } else { clauses.join(" AND ") };
        Ok((clause, values))
    }
}

/// A place in the JSON.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlaceRow {
    /// Its name.
    pub name: String,
    /// ISO3 of its country.
    pub country: Option<String>,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// `country`, `admin1` or `city`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// GeoNames id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub geonames_id: Option<i64>,
}

/// An event, merged across articles.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventRow {
    /// Its id.
    pub id: i64,
    /// When: `YYYY-MM-DD`, the first day of `date_text` when that is coarser.
    pub date: Option<String>,
    /// The date as coded, TIMEX3 (`2025-03-04`, `2025-03`, `2025-W10`, `1998`).
    pub date_text: Option<String>,
    /// Source actor code.
    pub source: Option<String>,
    /// Source actor's words in the first mention.
    pub source_name: Option<String>,
    /// Target actor code.
    pub target: Option<String>,
    /// Target actor's words in the first mention.
    pub target_name: Option<String>,
    /// CAMEO code.
    pub cameo: String,
    /// CAMEO root.
    pub root: String,
    /// Quad class.
    pub quad: u8,
    /// Goldstein score.
    pub goldstein: f64,
    /// PLOVER type.
    pub plover: Option<String>,
    /// The CAMEO code's name.
    pub event_name: Option<String>,
    /// Where.
    pub place: Option<PlaceRow>,
    /// Sentences reporting it.
    pub num_mentions: i64,
    /// Distinct publications reporting it.
    pub num_sources: i64,
    /// Articles reporting it.
    pub num_articles: i64,
    /// The first article that reported it.
    pub first_article: Option<i64>,
    /// Whether an article states it in its first sentence.
    #[serde(skip)]
    pub is_root: bool,
    /// Mean tone of the reporting articles.
    #[serde(skip)]
    pub avg_tone: Option<f64>,
    /// When it was stored.
    #[serde(skip)]
    pub added: String,
    /// The first article's URL (or input).
    #[serde(skip)]
    pub url: Option<String>,
}

const EVENT_COLUMNS: &str = "e.id, e.date, e.source, e.source_name, e.target, e.target_name, e.cameo, e.root, e.quad,
    e.goldstein, e.plover, e.place_name, e.place_country, e.lat, e.lon, e.place_kind, e.place_geonames,
    e.num_mentions, e.num_sources, e.num_articles, e.first_article, e.is_root, e.avg_tone, e.added,
    (SELECT coalesce(a.url, a.input) FROM articles a WHERE a.id = e.first_article), e.date_text";

fn event_row(row: &Row<'_>) -> rusqlite::Result<EventRow> {
    let cameo: String = row.get(6)?;
    let place_name: Option<String> = row.get(11)?;
    let place = match place_name {
        Some(name) => Some(PlaceRow {
            name,
            country: row.get(12)?,
            lat: row.get::<_, Option<f64>>(13)?.unwrap_or_default(),
            lon: row.get::<_, Option<f64>>(14)?.unwrap_or_default(),
            kind: row.get(15)?,
            geonames_id: row.get(16)?,
        }),
        None => None,
    };
    Ok(EventRow {
        id: row.get(0)?,
        date: row.get(1)?,
        source: row.get(2)?,
        source_name: row.get(3)?,
        target: row.get(4)?,
        target_name: row.get(5)?,
        event_name: event_name(&cameo),
        cameo,
        root: row.get(7)?,
        quad: row.get(8)?,
        goldstein: row.get(9)?,
        plover: row.get(10)?,
        place,
        num_mentions: row.get(17)?,
        num_sources: row.get(18)?,
        num_articles: row.get(19)?,
        first_article: row.get(20)?,
        is_root: row.get::<_, i64>(21)? != 0,
        avg_tone: row.get(22)?,
        added: row.get(23)?,
        url: row.get(24)?,
        date_text: row.get(25)?,
    })
}

/// The name of a CAMEO code ("Make a visit").
pub(crate) fn event_name(code: &str) -> Option<String> {
    static TABLE: OnceLock<CameoTable> = OnceLock::new();
    TABLE.get_or_init(CameoTable::embedded).get(code).map(|info| info.name.clone())
}

/// A page of events.
#[derive(Clone, Debug, Serialize)]
pub struct EventPage {
    /// Events matching the filters, in all.
    pub total: i64,
    /// The page size asked for.
    pub limit: i64,
    /// Where the page starts.
    pub offset: i64,
    /// The page.
    pub events: Vec<EventRow>,
}

/// An article's statement of an event.
#[derive(Clone, Debug, Serialize)]
pub struct MentionRow {
    /// The article's id.
    pub article: i64,
    /// Its headline.
    pub title: Option<String>,
    /// Its URL.
    pub url: Option<String>,
    /// Its publication time.
    pub published: Option<String>,
    /// The sentence's index in the article.
    pub sentence: i64,
    /// The sentence.
    pub text: String,
    /// The trigger's span, relative to `text`.
    pub trigger: Span,
    /// The CAMEO code of this mention.
    pub cameo: String,
    /// The rule that coded it.
    pub rule: String,
    /// The coder's confidence.
    pub confidence: f64,
}

/// A byte span.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// One event with every mention.
#[derive(Clone, Debug, Serialize)]
pub struct EventDetail {
    /// The event.
    #[serde(flatten)]
    pub event: EventRow,
    /// Its mentions.
    pub mentions: Vec<MentionRow>,
}

/// The numbers of `dateline stats` and `/api/stats`.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Stats {
    /// Articles stored.
    pub articles: i64,
    /// Events (merged).
    pub events: i64,
    /// Mentions.
    pub mentions: i64,
    /// Distinct publications.
    pub sources: i64,
    /// Articles that are near-duplicates of another.
    pub duplicates: i64,
    /// Documents that failed.
    pub failures: i64,
    /// Earliest event date.
    pub first_date: Option<String>,
    /// Latest event date.
    pub last_date: Option<String>,
    /// Events per quad class, 1 to 4.
    pub quad: BTreeMap<String, i64>,
    /// Events per CAMEO root.
    pub roots: BTreeMap<String, i64>,
    /// The schema version.
    pub schema_version: i64,
    /// The pipeline version of the last run.
    pub pipeline_version: Option<String>,
}

/// A search hit.
#[derive(Clone, Debug, Serialize)]
pub struct SearchHit {
    /// The article's id.
    pub id: i64,
    /// Its headline.
    pub title: Option<String>,
    /// Its URL.
    pub url: Option<String>,
    /// Its publication time.
    pub published: Option<String>,
    /// Escaped HTML of the matching passage, the matches in `<mark>`.
    pub snippet: String,
}

/// A page of search hits.
#[derive(Clone, Debug, Serialize)]
pub struct SearchPage {
    /// Hits in all.
    pub total: i64,
    /// The page.
    pub results: Vec<SearchHit>,
}

/// An article in a list.
#[derive(Clone, Debug, Serialize)]
pub struct ArticleRow {
    /// Its id.
    pub id: i64,
    /// Its headline.
    pub title: Option<String>,
    /// Its URL.
    pub url: Option<String>,
    /// Its publication.
    pub site: Option<String>,
    /// Its publication time.
    pub published: Option<String>,
    /// Its events (mentions).
    pub events: i64,
}

/// A page of articles.
#[derive(Clone, Debug, Serialize)]
pub struct ArticlePage {
    /// Articles in all.
    pub total: i64,
    /// The page.
    pub articles: Vec<ArticleRow>,
}

/// Events per date and quad class.
#[derive(Clone, Debug, Serialize)]
pub struct Timeline {
    /// `day`, `week` or `month`.
    pub bucket: &'static str,
    /// The focus: the first date of the middle 90% of the events.
    pub from: Option<String>,
    /// The last date of the middle 90% of the events.
    pub to: Option<String>,
    /// Dates ascending.
    pub series: Vec<TimelinePoint>,
}

/// One date of the timeline.
#[derive(Clone, Debug, Default, Serialize)]
pub struct TimelinePoint {
    /// The bucket's first day.
    pub date: String,
    /// Verbal cooperation.
    pub q1: i64,
    /// Material cooperation.
    pub q2: i64,
    /// Verbal conflict.
    pub q3: i64,
    /// Material conflict.
    pub q4: i64,
}

/// A place on the map.
#[derive(Clone, Debug, Serialize)]
pub struct MapPlace {
    /// Its name.
    pub name: String,
    /// Its country.
    pub country: Option<String>,
    /// Latitude.
    pub lat: f64,
    /// Longitude.
    pub lon: f64,
    /// Events there.
    pub events: i64,
    /// Their mean Goldstein score.
    pub goldstein: f64,
}

/// The actor network.
#[derive(Clone, Debug, Serialize)]
pub struct Network {
    /// Actors.
    pub nodes: Vec<NetworkNode>,
    /// Directed dyads.
    pub edges: Vec<NetworkEdge>,
}

/// An actor.
#[derive(Clone, Debug, Serialize)]
pub struct NetworkNode {
    /// Its code.
    pub id: String,
    /// Events it is in (among the edges shown).
    pub events: i64,
}

/// A dyad.
#[derive(Clone, Debug, Serialize)]
pub struct NetworkEdge {
    /// Source actor.
    pub source: String,
    /// Target actor.
    pub target: String,
    /// Events.
    pub events: i64,
    /// Mean Goldstein score.
    pub goldstein: f64,
}

/// The names of GDELT's quad classes 1 to 4.
pub const QUAD_NAMES: [&str; 4] =
    ["verbal cooperation", "material cooperation", "verbal conflict", "material conflict"];

/// Most rows a page may have.
pub const MAX_LIMIT: i64 = 1000;

fn check_page(limit: i64, offset: i64) -> Result<(), StoreError> {
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(bad("limit", &limit.to_string(), &format!("between 1 and {MAX_LIMIT}")));
    }
    if offset < 0 {
        return Err(bad("offset", &offset.to_string(), "0 or more"));
    }
    Ok(())
}

impl Store {
    /// Events matching `filter`, one page.
    pub fn events(&self, filter: &EventFilter, sort: Sort, limit: i64, offset: i64) -> Result<EventPage, StoreError> {
        check_page(limit, offset)?;
        let (clause, values) = filter.sql()?;
        let total: i64 = self
            .connection
            .query_row(
                &format!("SELECT count(*) FROM events e WHERE {clause}"),
                params_from_iter(values.iter()),
                |row| row.get(0),
            )
            .map_err(|error| self.error("counting events", error))?;
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events e WHERE {clause} ORDER BY {} LIMIT {limit} OFFSET {offset}",
            sort.sql()
        );
        let events = self.event_rows(&sql, &values)?;
        Ok(EventPage { total, limit, offset, events })
    }

    /// Every event matching `filter`, oldest first, handed to `each` one at a time (exports).
    pub fn each_event(
        &self,
        filter: &EventFilter,
        mut each: impl FnMut(&EventRow) -> Result<(), StoreError>,
    ) -> Result<usize, StoreError> {
        let (clause, values) = filter.sql()?;
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events e WHERE {clause} ORDER BY e.date ASC, e.id ASC");
        let mut statement = self.connection.prepare(&sql).map_err(|error| self.error("reading events", error))?;
        let rows = statement
            .query_map(params_from_iter(values.iter()), event_row)
            .map_err(|error| self.error("reading events", error))?;
        let mut count = 0;
        for row in rows {
            each(&row.map_err(|error| self.error("reading events", error))?)?;
            count += 1;
        }
        Ok(count)
    }

    fn event_rows(&self, sql: &str, values: &[Value]) -> Result<Vec<EventRow>, StoreError> {
        let mut statement = self.connection.prepare(sql).map_err(|error| self.error("reading events", error))?;
        let rows = statement
            .query_map(params_from_iter(values.iter()), event_row)
            .map_err(|error| self.error("reading events", error))?;
        rows.collect::<Result<_, _>>().map_err(|error| self.error("reading events", error))
    }

    /// One event with its mentions.
    pub fn event(&self, id: i64) -> Result<Option<EventDetail>, StoreError> {
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events e WHERE e.id = ?1");
        let Some(event) = self.event_rows(&sql, &[Value::Integer(id)])?.into_iter().next() else {
            return Ok(None);
        };
        let mut statement = self
            .connection
            .prepare(
                "SELECT m.article_id, a.title, a.url, a.published, m.sentence, a.text, m.sentence_start,
                 m.sentence_end, m.trigger_start, m.trigger_end, m.cameo, m.rule, m.confidence
                 FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.event_id = ?1
                 ORDER BY a.published, m.article_id, m.idx",
            )
            .map_err(|error| self.error("reading mentions", error))?;
        let rows = statement
            .query_map([id], |row| {
                let text: String = row.get(5)?;
                let sentence: i64 = row.get(4)?;
                let start = row.get::<_, Option<i64>>(6)?.map_or(0, |start| start as usize).min(text.len());
                let end = row.get::<_, Option<i64>>(7)?.map_or(text.len(), |end| end as usize).min(text.len());
                let trigger_start: i64 = row.get(8)?;
                let trigger_end: i64 = row.get(9)?;
                Ok(MentionRow {
                    article: row.get(0)?,
                    title: row.get(1)?,
                    url: row.get(2)?,
                    published: row.get(3)?,
                    sentence,
                    text: text.get(start..end).unwrap_or_default().to_owned(),
                    trigger: Span {
                        start: (trigger_start as usize).saturating_sub(start),
                        end: (trigger_end as usize).saturating_sub(start),
                    },
                    cameo: row.get(10)?,
                    rule: row.get(11)?,
                    confidence: row.get(12)?,
                })
            })
            .map_err(|error| self.error("reading mentions", error))?;
        let mentions = rows.collect::<Result<_, _>>().map_err(|error| self.error("reading mentions", error))?;
        Ok(Some(EventDetail { event, mentions }))
    }

    /// One article with every layer, as `dateline annotate` printed it, plus its database
    /// `id`, the merged event of each of its events (`event_ids`) and `duplicate_of`.
    pub fn article(&self, id: i64) -> Result<Option<serde_json::Value>, StoreError> {
        let found: Option<(Vec<u8>, Option<i64>)> = self
            .connection
            .query_row("SELECT layers, duplicate_of FROM articles WHERE id = ?1", [id], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()
            .map_err(|error| self.error("reading the article", error))?;
        let Some((layers, duplicate_of)) = found else { return Ok(None) };
        let mut document: serde_json::Value = decompress(&layers)
            .and_then(|json| serde_json::from_str(&json).ok())
            .ok_or_else(|| StoreError::BadQuery(format!("article {id}: its stored layers cannot be read")))?;
        let mut statement = self
            .connection
            .prepare("SELECT event_id FROM mentions WHERE article_id = ?1 ORDER BY idx")
            .map_err(|error| self.error("reading mentions", error))?;
        let event_ids: Vec<i64> = statement
            .query_map([id], |row| row.get(0))
            .and_then(|rows| rows.collect())
            .map_err(|error| self.error("reading mentions", error))?;
        if let Some(object) = document.as_object_mut() {
            object.insert("id".to_owned(), json!(id));
            object.insert("event_ids".to_owned(), json!(event_ids));
            object.insert("duplicate_of".to_owned(), json!(duplicate_of));
        }
        Ok(Some(document))
    }

    /// Articles, newest first, optionally those matching a full-text query.
    pub fn articles(&self, q: Option<&str>, limit: i64, offset: i64) -> Result<ArticlePage, StoreError> {
        check_page(limit, offset)?;
        let (clause, values) = match q.and_then(fts_query) {
            Some(q) => ("a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1)", vec![Value::Text(q)]),
            None => ("1", vec![]),
        };
        let total: i64 = self
            .connection
            .query_row(
                &format!("SELECT count(*) FROM articles a WHERE {clause}"),
                params_from_iter(values.iter()),
                |row| row.get(0),
            )
            .map_err(|error| self.error("counting articles", error))?;
        let sql = format!(
            "SELECT a.id, a.title, a.url, a.site, a.published,
             (SELECT count(*) FROM mentions m WHERE m.article_id = a.id)
             FROM articles a WHERE {clause} ORDER BY a.published DESC, a.id DESC LIMIT {limit} OFFSET {offset}"
        );
        let mut statement = self.connection.prepare(&sql).map_err(|error| self.error("reading articles", error))?;
        let articles = statement
            .query_map(params_from_iter(values.iter()), |row| {
                Ok(ArticleRow {
                    id: row.get(0)?,
                    title: row.get(1)?,
                    url: row.get(2)?,
                    site: row.get(3)?,
                    published: row.get(4)?,
                    events: row.get(5)?,
                })
            })
            .and_then(|rows| rows.collect())
            .map_err(|error| self.error("reading articles", error))?;
        Ok(ArticlePage { total, articles })
    }

    /// Full-text search over titles and texts, best matches first.
    pub fn search(&self, q: &str, limit: i64, offset: i64) -> Result<SearchPage, StoreError> {
        check_page(limit, offset)?;
        let Some(q) = fts_query(q) else {
            return Err(bad("q", q, "a text query with at least one word"));
        };
        let q = q.as_str();
        let total: i64 = self
            .connection
            .query_row("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?1", [q], |row| row.get(0))
            .map_err(|error| self.error("searching", error))?;
        let mut statement = self
            .connection
            .prepare(
                "SELECT a.id, a.title, a.url, a.published,
                 snippet(articles_fts, 1, char(1), char(2), '…', 16)
                 FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid
                 WHERE articles_fts MATCH ?1 ORDER BY rank LIMIT ?2 OFFSET ?3",
            )
            .map_err(|error| self.error("searching", error))?;
        let results = statement
            .query_map(rusqlite::params![q, limit, offset], |row| {
                let raw: String = row.get(4)?;
                Ok(SearchHit {
                    id: row.get(0)?,
                    title: row.get(1)?,
                    url: row.get(2)?,
                    published: row.get(3)?,
                    snippet: marked_snippet(&raw),
                })
            })
            .and_then(|rows| rows.collect())
            .map_err(|error| self.error("searching", error))?;
        Ok(SearchPage { total, results })
    }

    /// The figures of `dateline stats`.
    pub fn stats(&self) -> Result<Stats, StoreError> {
        let count = |sql: &str| -> Result<i64, StoreError> {
            self.connection.query_row(sql, [], |row| row.get(0)).map_err(|error| self.error("counting", error))
        };
        let (first_date, last_date): (Option<String>, Option<String>) = self
            .connection
            .query_row("SELECT min(date), max(date) FROM events", [], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(|error| self.error("counting", error))?;
        let pipeline_version = self
            .connection
            .query_row("SELECT value FROM meta WHERE key = 'pipeline_version'", [], |row| row.get(0))
            .optional()
            .map_err(|error| self.error("reading the pipeline version", error))?;
        let grouped = |sql: &str| -> Result<BTreeMap<String, i64>, StoreError> {
            let mut statement = self.connection.prepare(sql).map_err(|error| self.error("counting", error))?;
            statement
                .query_map([], |row| Ok((row.get::<_, rusqlite::types::Value>(0)?, row.get(1)?)))
                .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
                .map(|rows| {
                    rows.into_iter()
                        .map(|(key, count)| {
                            let key = match key {
                                Value::Integer(number) => number.to_string(),
                                Value::Text(text) => text,
                                _ => String::new(),
                            };
                            (key, count)
                        })
                        .collect()
                })
                .map_err(|error| self.error("counting", error))
        };
        Ok(Stats {
            articles: count("SELECT count(*) FROM articles")?,
            events: count("SELECT count(*) FROM events")?,
            mentions: count("SELECT count(*) FROM mentions")?,
            sources: count("SELECT count(DISTINCT source_name) FROM articles")?,
            duplicates: count("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL")?,
            failures: count("SELECT count(*) FROM failures")?,
            first_date,
            last_date,
            quad: grouped("SELECT quad, count(*) FROM events GROUP BY quad")?,
            roots: grouped("SELECT root, count(*) FROM events GROUP BY root")?,
            schema_version: SCHEMA_VERSION,
            pipeline_version,
        })
    }

    /// Events per date and quad class. Buckets are days when the focus (the dates between
    /// which the middle 90% of the events fall; reported history from decades ago lies
    /// outside it) spans up to 120 days, weeks up to two years, else months.
    pub fn timeline(&self, filter: &EventFilter) -> Result<Timeline, StoreError> {
        let (clause, values) = filter.sql()?;
        let dated: i64 = self
            .connection
            .query_row(
                &format!("SELECT count(*) FROM events e WHERE {clause} AND e.date IS NOT NULL"),
                params_from_iter(values.iter()),
                |row| row.get(0),
            )
            .map_err(|error| self.error("reading the timeline", error))?;
        let quantile = |rank: i64| -> Result<Option<String>, StoreError> {
            self.connection
                .query_row(
                    &format!(
                        "SELECT e.date FROM events e WHERE {clause} AND e.date IS NOT NULL
                         ORDER BY e.date LIMIT 1 OFFSET {rank}"
                    ),
                    params_from_iter(values.iter()),
                    |row| row.get(0),
                )
                .optional()
                .map_err(|error| self.error("reading the timeline", error))
        };
        let tail = dated / 20;
        let (from, to) = (quantile(tail)?, quantile((dated - 1 - tail).max(0))?);
        let span = match (from.as_deref().and_then(day), to.as_deref().and_then(day)) {
            (Some(first), Some(last)) => (last - first).num_days(),
            _ => 0,
        };
        let (bucket, expression) = if span <= 120 {
            ("day", "e.date")
        } else if span <= 730 {
            ("week", "date(e.date, '-6 days', 'weekday 1')")
        } else {
            ("month", "substr(e.date, 1, 7) || '-01'")
        };
        let sql = format!(
            "SELECT {expression} AS bucket, e.quad, count(*) FROM events e
             WHERE {clause} AND e.date IS NOT NULL GROUP BY bucket, e.quad ORDER BY bucket"
        );
        let mut statement = self.connection.prepare(&sql).map_err(|error| self.error("reading the timeline", error))?;
        let rows: Vec<(String, i64, i64)> = statement
            .query_map(params_from_iter(values.iter()), |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
            .and_then(|rows| rows.collect())
            .map_err(|error| self.error("reading the timeline", error))?;
        let mut series: Vec<TimelinePoint> = Vec::new();
        for (date, quad, count) in rows {
            if series.last().is_none_or(|point| point.date != date) {
                series.push(TimelinePoint { date, ..TimelinePoint::default() });
            }
            let point = series.last_mut().expect("pushed above");
            match quad {
                1 => point.q1 += count,
                2 => point.q2 += count,
                3 => point.q3 += count,
                _ => point.q4 += count,
            }
        }
        Ok(Timeline { bucket, from, to, series })
    }

    /// Event places with counts and mean Goldstein scores.
    pub fn map(&self, filter: &EventFilter) -> Result<Vec<MapPlace>, StoreError> {
        let (clause, values) = filter.sql()?;
        let sql = format!(
            "SELECT e.place_name, e.place_country, e.lat, e.lon, count(*), avg(e.goldstein) FROM events e
             WHERE {clause} AND e.place_name IS NOT NULL AND e.lat IS NOT NULL
             GROUP BY e.place_name, e.place_country, e.lat, e.lon ORDER BY count(*) DESC LIMIT 5000"
        );
        let mut statement = self.connection.prepare(&sql).map_err(|error| self.error("reading places", error))?;
        statement
            .query_map(params_from_iter(values.iter()), |row| {
                Ok(MapPlace {
                    name: row.get(0)?,
                    country: row.get(1)?,
                    lat: row.get(2)?,
                    lon: row.get(3)?,
                    events: row.get(4)?,
                    goldstein: row.get(5)?,
                })
            })
            .and_then(|rows| rows.collect())
            .map_err(|error| self.error("reading places", error))
    }

    /// The heaviest `limit` directed dyads and their actors.
    pub fn network(&self, filter: &EventFilter, limit: i64) -> Result<Network, StoreError> {
        check_page(limit, 0)?;
        let (clause, values) = filter.sql()?;
        let sql = format!(
            "SELECT e.source, e.target, count(*), avg(e.goldstein) FROM events e
             WHERE {clause} AND e.source IS NOT NULL AND e.target IS NOT NULL AND e.source != e.target
             GROUP BY e.source, e.target ORDER BY count(*) DESC, e.source, e.target LIMIT {limit}"
        );
        let mut statement = self.connection.prepare(&sql).map_err(|error| self.error("reading the network", error))?;
        let edges: Vec<NetworkEdge> = statement
            .query_map(params_from_iter(values.iter()), |row| {
                Ok(NetworkEdge {
                    source: row.get(0)?,
                    target: row.get(1)?,
                    events: row.get(2)?,
                    goldstein: row.get(3)?,
                })
            })
            .and_then(|rows| rows.collect())
            .map_err(|error| self.error("reading the network", error))?;
        let mut nodes: BTreeMap<&str, i64> = BTreeMap::new();
        for edge in &edges {
            *nodes.entry(&edge.source).or_default() += edge.events;
            *nodes.entry(&edge.target).or_default() += edge.events;
        }
        let nodes = nodes.into_iter().map(|(id, events)| NetworkNode { id: id.to_owned(), events }).collect();
        Ok(Network { nodes, edges })
    }
}

/// A user's search text as an FTS5 query that is always valid: every word or `"quoted
/// phrase"` becomes a phrase of its own (so `2025-03-03`, `U.S.` and `Russia-Ukraine` are
/// searched as written rather than read as query syntax); `AND`, `OR` and `NOT` between two
/// terms stay operators; a trailing `*` asks for a prefix; words with no letter or digit are
/// left out. `None` when no term is left.
pub fn fts_query(text: &str) -> Option<String> {
    let mut terms: Vec<(String, bool)> = Vec::new(); // (phrase, is an operator)
    // Control characters separate words: FTS5 reads its query as a C string, a NUL ends it.
    let text: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let (raw, quoted) = if let Some(inner) = rest.strip_prefix('"') {
            let end = inner.find('"').unwrap_or(inner.len());
            let phrase = &inner[..end];
            rest = inner.get(end + 1..).unwrap_or("");
            (phrase, true)
        } else {
            let end = rest.find(|c: char| c.is_whitespace() || c == '"').unwrap_or(rest.len());
            let word = &rest[..end];
            rest = &rest[end..];
            (word, false)
        };
        rest = rest.trim_start();
        if !quoted && matches!(raw, "AND" | "OR" | "NOT") {
            terms.push((raw.to_owned(), true));
            continue;
        }
        let (body, prefix) = match raw.strip_suffix('*') {
            Some(body) if !quoted => (body, true),
            _ => (raw, false),
        };
        if !body.chars().any(char::is_alphanumeric) {
            continue;
        }
        let phrase = format!("\"{}\"{}", body.replace('"', "\"\""), if prefix { "*" } else { "" });
        terms.push((phrase, false));
    }
    let mut query = String::new();
    for (index, (term, operator)) in terms.iter().enumerate() {
        let between_terms = index > 0 && !terms[index - 1].1 && terms.get(index + 1).is_some_and(|(_, next)| !next);
        if *operator && !between_terms {
            continue;
        }
        if !query.is_empty() {
            query.push(' ');
        }
        query.push_str(term);
    }
    (!query.is_empty()).then_some(query)
}

fn day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

pub(crate) fn decompress(bytes: &[u8]) -> Option<String> {
    let mut text = String::new();
    DeflateDecoder::new(bytes).read_to_string(&mut text).ok()?;
    Some(text)
}

/// Escapes a snippet's text as HTML and turns the match markers (U+0001, U+0002) into
/// `<mark>` tags: the only markup in the result.
fn marked_snippet(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 16);
    for c in raw.chars() {
        match c {
            '\u{1}' => out.push_str("<mark>"),
            '\u{2}' => out.push_str("</mark>"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn search_text_becomes_a_valid_fts_query() {
        assert_eq!(fts_query("talks Hanoi").as_deref(), Some(r#""talks" "Hanoi""#));
        // Found by fuzzing (fuzz/regressions/api_query): `-03` was read as a column filter.
        assert_eq!(fts_query("2025-03-03").as_deref(), Some(r#""2025-03-03""#));
        assert_eq!(
            fts_query(r#"U.S. "coast guard" sanction*"#).as_deref(),
            Some(r#""U.S." "coast guard" "sanction"*"#)
        );
        assert_eq!(fts_query("Russia OR Ukraine NOT peace").as_deref(), Some(r#""Russia" OR "Ukraine" NOT "peace""#));
        assert_eq!(fts_query("OR talks AND").as_deref(), Some(r#""talks""#));
        assert_eq!(fts_query(r#"say "hi"" there"#).as_deref(), Some(r#""say" "hi" " there""#));
        assert_eq!(fts_query("Russia - Ukraine").as_deref(), Some(r#""Russia" "Ukraine""#));
        assert_eq!(fts_query(r#"a"b"#).as_deref(), Some(r#""a" "b""#));
        assert_eq!(fts_query(" - | * "), None);
        // Found by fuzzing (fuzz/regressions/api_query): a NUL ended FTS5's reading of a phrase.
        assert_eq!(fts_query("x\0y\u{7}").as_deref(), Some(r#""x" "y""#));
        assert_eq!(fts_query(""), None);
    }
}

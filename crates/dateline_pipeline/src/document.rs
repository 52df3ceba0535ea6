//! The JSON of one article, as `dateline annotate` prints it and the database keeps it: the
//! article's fields and every layer that was made. Other tools read this shape; it is
//! extended, never renamed (`dateline_doc::SCHEMA`).

use dateline_doc::{Article, Entity, Event, Place, Quote, SCHEMA, Sentence, Suppressed, TimeMention, Token, Tone};
use serde::Serialize;

use crate::Processed;

/// One article with its layers.
#[derive(Debug, Serialize)]
pub struct Document<'a> {
    /// `dateline/1`.
    pub schema: &'static str,
    /// The article: id, source, metadata, text, paragraphs, removed chrome, diagnostics.
    #[serde(flatten)]
    pub article: &'a Article,
    /// Sentences, entities and tokens.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub nlp: Option<NlpLayers<'a>>,
    /// Places, times, quotes and tone.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub links: Option<LinkLayers<'a>>,
    /// Events and suppressed candidates.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub events: Option<EventLayers<'a>>,
    /// The flat fields extraction benches read.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub flat: Option<Flat<'a>>,
}

/// A document that could not be read or processed, where the JSON of the others stands, so
/// that batch consumers keep their count: `{"schema", "id", "input", "error"}`.
#[derive(Debug, Serialize)]
pub struct ErrorRecord<'a> {
    /// `dateline/1`.
    pub schema: &'static str,
    /// The document's id, when known.
    pub id: Option<&'a str>,
    /// The input that failed (path, `-`, `path#record`).
    pub input: &'a str,
    /// What is wrong.
    pub error: &'a str,
}

impl<'a> ErrorRecord<'a> {
    /// The record of one failed document.
    pub fn new(id: Option<&'a str>, input: &'a str, error: &'a str) -> ErrorRecord<'a> {
        ErrorRecord { schema: SCHEMA, id, input, error }
    }
}

/// The events in the JSON.
#[derive(Debug, Serialize)]
pub struct EventLayers<'a> {
    /// Coded events.
    pub events: &'a [Event],
    /// Candidates left uncoded, with the reason.
    pub suppressed: &'a [Suppressed],
}

/// The linked layers in the JSON (entities are in [`NlpLayers`], with their codes).
#[derive(Debug, Serialize)]
pub struct LinkLayers<'a> {
    /// Places with coordinates.
    pub places: &'a [Place],
    /// Times normalised against the publication time.
    pub times: &'a [TimeMention],
    /// Quotes with their speakers.
    pub quotes: &'a [Quote],
    /// Tone.
    pub tone: &'a Tone,
}

/// The linguistic layers in the JSON: sentences and entities always, tokens on request.
#[derive(Debug, Serialize)]
pub struct NlpLayers<'a> {
    /// Sentence spans.
    pub sentences: &'a [Sentence],
    /// Named entities, with actor codes once linked.
    pub entities: &'a [Entity],
    /// Every token with its annotations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokens: Option<&'a [Token]>,
}

/// The flat fields of extraction benches.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Flat<'a> {
    /// The clean text.
    pub article_body: &'a str,
    /// The headline.
    #[serde(rename = "title")]
    pub title: Option<&'a str>,
    /// Authors joined with commas.
    pub author: Option<String>,
    /// Publication time.
    pub date: Option<String>,
    /// Site name.
    pub site: Option<&'a str>,
    /// Tags.
    pub tags: &'a [String],
    /// Language.
    pub language: Option<&'a str>,
}

impl<'a> Flat<'a> {
    fn of(article: &'a Article) -> Flat<'a> {
        let meta = &article.meta;
        Flat {
            article_body: &article.text,
            title: meta.title.as_deref(),
            author: (!meta.authors.is_empty()).then(|| meta.authors.join(", ")),
            date: meta.published.map(|published| published.to_string()),
            site: meta.site.as_deref(),
            tags: &meta.tags,
            language: meta.language.as_deref(),
        }
    }
}

impl<'a> Document<'a> {
    pub(crate) fn of(processed: &'a Processed, tokens: bool, flat: bool) -> Document<'a> {
        let links = processed.links.as_ref();
        Document {
            schema: SCHEMA,
            article: &processed.article,
            nlp: processed.nlp.as_ref().map(|(analysis, _)| NlpLayers {
                sentences: &analysis.sentences,
                entities: links.map_or(&analysis.entities, |links| &links.entities),
                tokens: tokens.then_some(analysis.tokens.as_slice()),
            }),
            links: links.map(|links| LinkLayers {
                places: &links.places,
                times: &links.times,
                quotes: &links.quotes,
                tone: &links.tone,
            }),
            events: processed
                .events
                .as_ref()
                .map(|events| EventLayers { events: &events.events, suppressed: &events.suppressed }),
            flat: flat.then(|| Flat::of(&processed.article)),
        }
    }
}

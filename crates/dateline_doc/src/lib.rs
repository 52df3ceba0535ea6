//! The document model shared by every dateline stage.
//!
//! Stages are pure functions from one of these types to the next: ingest produces a
//! [`RawDoc`] (decoded text plus where it came from), clean turns it into an [`Article`]
//! (clean text, metadata, paragraph spans). Every span in every layer is a [`TextRange`] of
//! byte offsets into `Article::text`. Nothing in this crate does I/O.

#![deny(missing_docs)]

mod time;

use serde::{Deserialize, Serialize};

pub use crate::time::Timestamp;

/// The version tag of the JSON that `dateline annotate` writes.
pub const SCHEMA: &str = "dateline/1";

/// English weekday names, lower case: data shared by the stages that read dates in text.
pub const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

/// English month names, lower case.
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The project's place gazetteer, `resources/geo/places.tsv.gz` (derived from GeoNames, CC BY
/// 4.0; see its README), compiled in once for the stages that read it: the linker resolves
/// places with it and the recogniser takes name features from it. Gzip-compressed TSV of nine
/// columns: `geonames_id kind name country_iso3 admin1 lat lon population alternate_names(;)`.
pub static PLACES_TSV_GZ: &[u8] =
    include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../resources/geo/places.tsv.gz"));

/// A byte range into an article's clean text: `start` inclusive, `end` exclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct TextRange {
    /// First byte of the range.
    pub start: usize,
    /// One past the last byte of the range.
    pub end: usize,
}

impl TextRange {
    /// A range from `start` to `end`.
    pub fn new(start: usize, end: usize) -> TextRange {
        debug_assert!(start <= end, "inverted range {start}..{end}");
        TextRange { start, end }
    }

    /// Number of bytes covered.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the range covers no byte.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The slice of `text` this range covers.
    ///
    /// # Panics
    /// When the range is out of bounds or not on char boundaries: spans are made by the
    /// stages over the same text, so that is a bug.
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
}

/// The input format a document was read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    /// An HTML page.
    Html,
    /// Plain text, possibly scraped from a page and still carrying its chrome.
    Text,
    /// One record of a JSON Lines file.
    Jsonl,
    /// One response record of a WARC archive.
    Warc,
    /// One item of an RSS 2.0 feed.
    Rss,
    /// One entry of an Atom feed.
    Atom,
}

impl SourceFormat {
    /// The lower-case name used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::Html => "html",
            SourceFormat::Text => "text",
            SourceFormat::Jsonl => "jsonl",
            SourceFormat::Warc => "warc",
            SourceFormat::Rss => "rss",
            SourceFormat::Atom => "atom",
        }
    }
}

/// What the body of a raw document is, after decoding to UTF-8.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BodyKind {
    /// HTML markup: the cleaner extracts the main content.
    Html,
    /// Plain text that may still carry page chrome: the cleaner removes it line by line.
    Text,
    /// Plain text taken as is: paragraphs split at blank lines, nothing removed.
    Verbatim,
}

/// Where a document came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The file path, `-` for stdin, with `#n` or `#id` appended for records inside a file.
    pub uri: String,
    /// The format the document was read as.
    pub format: SourceFormat,
}

/// Metadata known before cleaning, from the container (JSONL fields, WARC and HTTP headers,
/// feed items). The cleaner prefers what it finds in the page and falls back to these.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hints {
    /// The page URL.
    pub url: Option<String>,
    /// The title given by the container.
    pub title: Option<String>,
    /// Publication time given by the container, as found (parsed by the cleaner).
    pub published: Option<String>,
    /// Authors given by the container.
    pub authors: Vec<String>,
    /// Tags or categories given by the container.
    pub tags: Vec<String>,
    /// The language given by the container (an HTTP header, a feed).
    pub language: Option<String>,
}

/// A decoded document as ingest hands it to the cleaner.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawDoc {
    /// A stable identifier: the JSONL `id`, else the source URI.
    pub id: String,
    /// Where the document came from.
    pub source: Source,
    /// What `body` holds.
    pub kind: BodyKind,
    /// The document, valid UTF-8.
    pub body: String,
    /// Metadata from the container.
    pub hints: Hints,
    /// Problems met while reading and decoding.
    pub diagnostics: Vec<Diagnostic>,
}

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; the output is complete.
    Info,
    /// Something was guessed or dropped; the output may be incomplete.
    Warning,
    /// The stage could not do its job on this document.
    Error,
}

/// A problem met while processing a document. A broken input is data, not a crash: stages
/// return their result plus diagnostics.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// A short stable kebab-case code, such as `charset-detected`.
    pub code: String,
    /// A sentence for people.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic of the given severity.
    pub fn new(severity: Severity, code: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity, code: code.into(), message: message.into() }
    }

    /// An informational diagnostic.
    pub fn info(code: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Info, code, message)
    }

    /// A warning.
    pub fn warning(code: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Warning, code, message)
    }

    /// An error.
    pub fn error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic::new(Severity::Error, code, message)
    }
}

/// A sentence of the clean text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sentence {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Index of the sentence's first token in `Analysis::tokens`.
    pub first_token: usize,
    /// Number of tokens.
    pub n_tokens: usize,
}

/// A token (a syntactic word, as Universal Dependencies counts them: "don't" is two) with its
/// annotations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// First byte in the clean text. The two words of a contraction ("do", "n't") share the
    /// span of the written word only when the text splits nowhere between them.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The word form (may differ from the span's text for normalised forms).
    pub form: String,
    /// Universal part of speech.
    pub upos: String,
    /// Penn Treebank part of speech.
    pub xpos: String,
    /// Lemma.
    pub lemma: String,
    /// Head: 1-based index of the head token within the sentence, 0 for the root.
    pub head: u32,
    /// Universal Dependencies relation to the head.
    pub deprel: String,
}

/// Named-entity types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EntityType {
    /// A person.
    #[serde(rename = "PER")]
    Person,
    /// An organisation.
    #[serde(rename = "ORG")]
    Organization,
    /// A location.
    #[serde(rename = "LOC")]
    Location,
    /// A nationality, religious or political group named as such ("Hungarian", "Iranians",
    /// "Shiite"), found by linking.
    #[serde(rename = "NORP")]
    Group,
    /// A common noun naming an actor by its role ("the rebels", "police", "the ministry"),
    /// found by linking.
    #[serde(rename = "ROLE")]
    Role,
}

impl EntityType {
    /// The BIO label suffix: `PER`, `ORG`, `LOC`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Person => "PER",
            EntityType::Organization => "ORG",
            EntityType::Location => "LOC",
            EntityType::Group => "NORP",
            EntityType::Role => "ROLE",
        }
    }
}

/// A named entity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The entity's text.
    pub text: String,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// Index of its first token in `Analysis::tokens`.
    pub first_token: usize,
    /// Number of tokens.
    pub n_tokens: usize,
    /// What the entity refers to, by its dictionary name ("Kim Jong Un", "North Korea"), when
    /// linking knows it; within-document aliases ("Kim", "the North") carry the full name.
    #[serde(default)]
    pub canonical: Option<String>,
    /// Its CAMEO actor code ("PRKGOV", "USAMIL", "IGOUNO", "REB"), when linking finds one.
    #[serde(default)]
    pub actor: Option<String>,
}

/// The linguistic layer of an article: sentences, tokens with their tags, lemmas and
/// dependency tree, and named entities. Spans point into the article's clean text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Analysis {
    /// Sentences in text order.
    pub sentences: Vec<Sentence>,
    /// Tokens of all sentences, in text order.
    pub tokens: Vec<Token>,
    /// Named entities in text order.
    pub entities: Vec<Entity>,
}

/// The linked layer of an article: entities with what they refer to, places, times, quotes
/// and tone. Spans point into the article's clean text.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Links {
    /// The named entities of [`Analysis`], each with its canonical name and actor code where
    /// found, plus the actor mentions that linking finds beyond them (nationalities, role
    /// nouns, dictionary names), in text order.
    pub entities: Vec<Entity>,
    /// Places resolved to coordinates.
    pub places: Vec<Place>,
    /// Temporal expressions normalised against the publication time.
    pub times: Vec<TimeMention>,
    /// Quotes and reported speech with their speakers.
    pub quotes: Vec<Quote>,
    /// Tone of the document and of each sentence.
    pub tone: Tone,
}

/// What kind of place a [`Place`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PlaceKind {
    /// A country or territory with its own ISO 3166 code.
    Country,
    /// A first-level division: a state, province, region.
    Admin1,
    /// A populated place: city, town, capital.
    City,
}

/// A mention of a place, resolved to one gazetteer entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The mention's text.
    pub text: String,
    /// The gazetteer's name for the place ("Hanoi").
    pub name: String,
    /// ISO 3166 alpha-3 code of the country it lies in (of itself, for a country).
    pub country: Option<String>,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Country, first-level division or populated place.
    pub kind: PlaceKind,
    /// GeoNames identifier, when the entry comes from GeoNames.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geonames_id: Option<u32>,
}

/// How precise a normalised time is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Granularity {
    /// A century or decade ("the 1990s").
    Decade,
    /// A year ("2017", "last year").
    Year,
    /// A quarter ("the third quarter").
    Quarter,
    /// A month ("December 2017", "last June").
    Month,
    /// An ISO week ("last week").
    Week,
    /// A day ("Feb. 27, 2019", "on Tuesday", "yesterday").
    Day,
    /// A time of day ("at 3 p.m. on Tuesday").
    Time,
}

/// A temporal expression with its normalised value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeMention {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The expression's text.
    pub text: String,
    /// ISO 8601 / TIMEX3 value: `2019-02-27`, `2017-12`, `2019-W09`, `2019-Q3`, `199X`,
    /// `2019-02-27T15:00`; a range is two values joined by `/` (`2019-02-27/2019-02-28`);
    /// a duration is `P3D`, `P2W`, `P6M`.
    pub value: String,
    /// The precision of `value` (of its start, for a range); for a duration, of its unit.
    pub granularity: Granularity,
    /// Whether the value is a point or period, a range, or a duration.
    #[serde(default)]
    pub kind: TimeKind,
}

/// Whether a [`TimeMention`] is a point, a range or a duration.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeKind {
    /// A day, month, year... ("last June").
    #[default]
    Date,
    /// From one date to another ("27-28 February").
    Range,
    /// A length of time ("three days").
    Duration,
}

/// A quote or a piece of reported speech.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// First byte of what was said (inside the quotation marks for a direct quote).
    pub start: usize,
    /// One past its last byte.
    pub end: usize,
    /// What was said.
    pub text: String,
    /// Who said it, as the text names them: the entity's canonical name where it resolves to
    /// one, else the speaker's own description ("a diplomatic source").
    pub speaker: Option<String>,
    /// The span of the speaker's mention in the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker_span: Option<TextRange>,
    /// The speaker's actor code, when the speaker is a coded actor.
    pub speaker_actor: Option<String>,
    /// True for words within quotation marks, false for reported speech.
    pub direct: bool,
}

/// Lexicon-based tone on the scale GDELT uses: percentages of the words.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Tone {
    /// `positive - negative`: from -100 (every word negative) to +100; news mostly lies
    /// between -10 and +10.
    pub tone: f64,
    /// Share of words that are positive, in percent.
    pub positive: f64,
    /// Share of words that are negative, in percent.
    pub negative: f64,
    /// `positive + negative`: how charged the text is, whichever way.
    pub polarity: f64,
    /// Number of words counted.
    pub words: usize,
    /// The tone of each sentence, in the order of `Analysis::sentences`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sentences: Vec<f64>,
}

/// The events layer of an article: who did what to whom, where and when, coded in CAMEO and
/// PLOVER, and the candidates that were not coded because they did not (yet) happen.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Events {
    /// Coded events, in text order of their first mention.
    pub events: Vec<Event>,
    /// Candidates left uncoded, with the reason.
    pub suppressed: Vec<Suppressed>,
}

/// One side of an event: the actor's code and the words that name it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventActor {
    /// The CAMEO actor code ("PRKGOV"), when the actor is coded.
    pub code: Option<String>,
    /// The words naming the actor ("North Korean leader Kim Jong Un").
    pub text: String,
    /// First byte of those words.
    pub start: usize,
    /// One past their last byte.
    pub end: usize,
}

/// Where an event's evidence lies: the trigger and the two actors' spans.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The word or words that name the act ("met", "imposed sanctions on").
    pub trigger: TextRange,
    /// The source actor's span.
    pub source: Option<TextRange>,
    /// The target actor's span.
    pub target: Option<TextRange>,
}

/// Where an event happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventPlace {
    /// The place's name ("Hanoi").
    pub name: String,
    /// ISO 3166 alpha-3 code of its country.
    pub country: Option<String>,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Whether it is a country, a first-level division or a city.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<PlaceKind>,
    /// The GeoNames id of the gazetteer entry, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geonames_id: Option<u32>,
}

/// A coded event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Index into `Analysis::sentences` of the sentence that states it (the first, when
    /// several do).
    pub sentence: usize,
    /// Who acts.
    pub source: EventActor,
    /// Whom the act is aimed at, when anyone.
    pub target: Option<EventActor>,
    /// CAMEO event code, 3 or 4 digits ("042", "1041").
    pub cameo: String,
    /// CAMEO root, 2 digits ("04").
    pub root: String,
    /// PLOVER event type ("CONSULT"), through CAMEO-to-PLOVER.
    pub plover: Option<String>,
    /// PLOVER mode, where the mapping gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plover_mode: Option<String>,
    /// PLOVER context, where the mapping gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plover_context: Option<String>,
    /// Goldstein score of the CAMEO code, -10 to +10.
    pub goldstein: f64,
    /// GDELT's QuadClass: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
    /// 4 material conflict.
    pub quad: u8,
    /// When: the sentence's time expression, else the publication date (ISO 8601 / TIMEX3).
    pub date: Option<String>,
    /// Where: the sentence's place, else the article's dateline place.
    pub place: Option<EventPlace>,
    /// The spans that show it.
    pub evidence: Evidence,
    /// The dictionary entry or rule that coded it ("V0360", "petrarch:CAMEO.2.0.txt:1234").
    pub rule: String,
    /// How sure the coder is, 0 to 1.
    pub confidence: f64,
    /// How many sentences of the article state this same event.
    pub count: usize,
}

/// A candidate event that was not coded, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppressed {
    /// Index into `Analysis::sentences`.
    pub sentence: usize,
    /// The CAMEO code it would have had.
    pub cameo: String,
    /// Why it was left uncoded: `negated`, `modal`, `conditional`, `question`, `future`,
    /// `intent`, `denied`, `history`, `generic`, `no-actor`, ...
    pub reason: String,
    /// The rule that proposed it.
    pub rule: String,
    /// The trigger's span.
    pub trigger: TextRange,
}

/// Article metadata.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// The headline.
    pub title: Option<String>,
    /// Publication time.
    pub published: Option<Timestamp>,
    /// Last modification time.
    pub modified: Option<Timestamp>,
    /// Author names, in page order, without duplicates.
    pub authors: Vec<String>,
    /// The publication's name.
    pub site: Option<String>,
    /// The canonical URL.
    pub url: Option<String>,
    /// Tags and keywords.
    pub tags: Vec<String>,
    /// The section of the site (World, Politics, ...).
    pub section: Option<String>,
    /// ISO 639-1 language code.
    pub language: Option<String>,
}

/// The role of a paragraph in the article.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ParagraphKind {
    /// Body text.
    Text,
    /// A subheading.
    Heading,
    /// An item of a list.
    Item,
    /// A block quotation.
    Quote,
    /// A preformatted block or a table row.
    Other,
}

/// A paragraph of the clean text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// What the paragraph is.
    pub kind: ParagraphKind,
}

impl Paragraph {
    /// The paragraph's span.
    pub fn range(&self) -> TextRange {
        TextRange::new(self.start, self.end)
    }
}

/// A piece of the page that the cleaner removed, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removed {
    /// The removed text (whitespace collapsed).
    pub text: String,
    /// A short stable reason code, such as `share-prompt` or `disclaimer`.
    pub reason: String,
}

/// A cleaned article: the text every later layer points into, and its metadata.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    /// The document's identifier.
    pub id: String,
    /// Where it came from.
    pub source: Source,
    /// Metadata.
    pub meta: Meta,
    /// The clean text: NFC, plain spaces, paragraphs separated by `\n\n`.
    pub text: String,
    /// The paragraphs of `text`, in order, not overlapping.
    pub paragraphs: Vec<Paragraph>,
    /// What was removed as page chrome.
    pub removed: Vec<Removed>,
    /// Problems met on the way.
    pub diagnostics: Vec<Diagnostic>,
}

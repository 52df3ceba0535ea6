//! Raw documents to clean articles.
//!
//! [`clean`] is the stage: it takes a decoded [`RawDoc`] and returns an [`Article`] whose
//! `text` holds the main content only, with its paragraph structure, metadata and a record of
//! what was removed. HTML pages go through main-content extraction ([`html`]) and metadata
//! extraction ([`meta`]); scraped text goes through line-wise chrome removal ([`text`]).
//! The stage never fails: problems become diagnostics on the article.

#![deny(missing_docs)]

mod attrs;
pub mod date;
mod html;
mod meta;
mod normalize;
mod text;

use dateline_doc::{Article, BodyKind, Diagnostic, Hints, Meta, ParagraphKind, RawDoc, Removed, Timestamp};

use crate::normalize::TextBuilder;
pub use crate::normalize::normalize_paragraph;

/// A block of article content, before normalisation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Block {
    pub(crate) kind: ParagraphKind,
    pub(crate) text: String,
}

/// Cleans one document.
pub fn clean(raw: &RawDoc) -> Article {
    let mut diagnostics = raw.diagnostics.clone();
    let mut removed = Vec::new();
    let mut builder = TextBuilder::default();
    let mut meta = match raw.kind {
        BodyKind::Html => {
            let document = scraper::Html::parse_document(&html::strip_unseen(&raw.body));
            let page = meta::extract(&document, &raw.hints, &mut diagnostics);
            let extraction = html::extract(&document, &page);
            for block in &extraction.blocks {
                builder.push(block.kind, &block.text);
            }
            removed.extend(extraction.removed);
            page.meta
        }
        BodyKind::Text => {
            let cleaned = text::clean_text(&raw.body);
            for block in &cleaned.blocks {
                builder.push(block.kind, &block.text);
            }
            removed.extend(cleaned.removed);
            Meta { title: cleaned.title, published: cleaned.published, authors: cleaned.authors, ..Meta::default() }
        }
        BodyKind::Verbatim => {
            for paragraph in split_blank_lines(&raw.body) {
                builder.push(ParagraphKind::Text, paragraph);
            }
            Meta::default()
        }
    };
    fill_from_hints(&mut meta, &raw.hints);
    let (text, paragraphs) = builder.finish();
    if meta.language.is_none() {
        meta.language = detect_language(&text);
    }
    if text.is_empty() {
        diagnostics.push(Diagnostic::warning("empty-text", "no article text was found"));
    }
    Article {
        id: raw.id.clone(),
        source: raw.source.clone(),
        meta,
        text,
        paragraphs,
        removed: dedup_removed(removed),
        diagnostics,
    }
}

/// Paragraphs of plain text: runs of lines between blank lines.
fn split_blank_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split("\n\n").flat_map(|chunk| chunk.split("\r\n\r\n")).filter(|chunk| !chunk.trim().is_empty())
}

/// Takes from the container's metadata whatever the page itself did not give.
fn fill_from_hints(meta: &mut Meta, hints: &Hints) {
    if meta.title.is_none() {
        meta.title = hints.title.as_deref().map(normalize_paragraph).filter(|title| !title.is_empty());
    }
    // A container's date-time (a feed's pubDate) beats a bare day found in the page, which
    // often comes from the URL.
    let hinted = hints.published.as_deref().and_then(date::parse_date);
    if meta.published.is_none()
        || matches!(meta.published, Some(Timestamp::Date(_))) && matches!(hinted, Some(Timestamp::DateTime(_)))
    {
        meta.published = hinted.or(meta.published);
    }
    if meta.url.is_none() {
        meta.url.clone_from(&hints.url);
    }
    if meta.authors.is_empty() {
        meta.authors.clone_from(&hints.authors);
    }
    if meta.tags.is_empty() {
        meta.tags.clone_from(&hints.tags);
    }
    if meta.language.is_none() {
        meta.language = hints.language.as_deref().and_then(normalize_language);
    }
}

/// `en-US`, `EN`, `en_GB` -> `en`.
pub(crate) fn normalize_language(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    ((primary.len() == 2 || primary.len() == 3) && primary.bytes().all(|b| b.is_ascii_lowercase())).then_some(primary)
}

/// The language of the text by its letters, when it is long enough to tell.
fn detect_language(text: &str) -> Option<String> {
    if text.len() < 40 {
        return None;
    }
    let sample = match text.char_indices().nth(1000) {
        Some((cut, _)) => &text[..cut],
        None => text,
    };
    let info = whatlang::detect(sample)?;
    if !info.is_reliable() {
        return None;
    }
    iso639_1(info.lang()).map(str::to_owned)
}

/// The two-letter code of a language whatlang knows, where one exists.
fn iso639_1(lang: whatlang::Lang) -> Option<&'static str> {
    #[allow(clippy::enum_glob_use, reason = "a table of every variant")]
    use whatlang::Lang::*;
    Some(match lang {
        Eng => "en",
        Rus => "ru",
        Cmn => "zh",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Ben => "bn",
        Fra => "fr",
        Deu => "de",
        Ukr => "uk",
        Kat => "ka",
        Ara => "ar",
        Hin => "hi",
        Jpn => "ja",
        Heb => "he",
        Yid => "yi",
        Pol => "pl",
        Amh => "am",
        Jav => "jv",
        Kor => "ko",
        Nob => "nb",
        Dan => "da",
        Swe => "sv",
        Fin => "fi",
        Tur => "tr",
        Nld => "nl",
        Hun => "hu",
        Ces => "cs",
        Ell => "el",
        Bul => "bg",
        Bel => "be",
        Mar => "mr",
        Kan => "kn",
        Ron => "ro",
        Slv => "sl",
        Hrv => "hr",
        Srp => "sr",
        Mkd => "mk",
        Lit => "lt",
        Lav => "lv",
        Est => "et",
        Tam => "ta",
        Vie => "vi",
        Urd => "ur",
        Tha => "th",
        Guj => "gu",
        Uzb => "uz",
        Pan => "pa",
        Aze => "az",
        Ind => "id",
        Tel => "te",
        Pes => "fa",
        Mal => "ml",
        Ori => "or",
        Mya => "my",
        Nep => "ne",
        Sin => "si",
        Khm => "km",
        Tuk => "tk",
        Aka => "ak",
        Zul => "zu",
        Sna => "sn",
        Afr => "af",
        Lat => "la",
        Slk => "sk",
        Cat => "ca",
        Tgl => "tl",
        Hye => "hy",
        Epo => "eo",
    })
}

/// Drops repeated removal records (the same share bar at the top and bottom of a page).
fn dedup_removed(removed: Vec<Removed>) -> Vec<Removed> {
    let mut seen = std::collections::HashSet::new();
    removed.into_iter().filter(|item| seen.insert((item.text.clone(), item.reason.clone()))).collect()
}

/// Parses a timestamp as pages and feeds write it; see [`date::parse_date`].
pub fn parse_date(text: &str) -> Option<Timestamp> {
    date::parse_date(text)
}

//! Reads RSS (0.9x, 1.0 and 2.0) and Atom feeds with `feed-rs`, one document per item.
//!
//! An item's body is its full content (`content:encoded`, Atom `content`) or else its
//! description or summary; it is an HTML fragment unless the feed says it is plain text.
//! The item's link becomes `hints.url`, its title, authors and categories the hints of the
//! same name, and its `pubDate`/`published` (else `updated`) date `hints.published`.
//!
//! Dates are handed on as written in the feed, not as `feed-rs` parses them: news feeds carry
//! dates that its parser drops (month names in other languages, odd zones), and the cleaner
//! has its own date parser. To get the original strings, the parser is given a timestamp
//! function that records each string it is asked about and answers with a token time, the
//! string's index in seconds after the epoch, which is then mapped back to the string.
//!
//! A feed is one document for the size limit: it is read whole (within
//! `max_document_bytes`) because `feed-rs` parses whole feeds.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use dateline_doc::{BodyKind, Hints, RawDoc, Source, SourceFormat};
use feed_rs::model::{Entry, Feed, FeedType, Link};

use crate::IngestError;

/// Parses a whole feed into its items' documents (or errors), in feed order.
pub(crate) fn read(name: &str, bytes: &[u8]) -> VecDeque<Result<RawDoc, IngestError>> {
    let stamps = Rc::new(RefCell::new(Vec::<String>::new()));
    let recorder = Rc::clone(&stamps);
    let parser = feed_rs::parser::Builder::new()
        .sanitize_content(false)
        // An empty id leaves items without a guid without one, so the link is used instead
        // of a hash that `feed-rs` would make up.
        .id_generator(|_, _, _| String::new())
        .timestamp_parser(move |text| {
            let mut stamps = recorder.borrow_mut();
            stamps.push(text.trim().to_owned());
            chrono::DateTime::from_timestamp(i64::try_from(stamps.len() - 1).ok()?, 0)
        })
        .build();
    // The parser is a third-party library fed with untrusted bytes: a panic in it becomes an
    // error for this input rather than the end of the whole run.
    let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| parser.parse(bytes)));
    let feed = match parsed {
        Ok(Ok(feed)) => feed,
        Ok(Err(error)) => {
            return VecDeque::from([Err(IngestError::new(name, None, format!("not a valid feed: {error}")))]);
        }
        Err(panic) => {
            let reason = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("no reason given");
            let message = format!("the feed parser failed on this input ({reason}); the feed is skipped");
            return VecDeque::from([Err(IngestError::new(name, None, message))]);
        }
    };
    let stamps = stamps.borrow();
    let original = |time: Option<chrono::DateTime<chrono::Utc>>| {
        let index = usize::try_from(time?.timestamp()).ok()?;
        stamps.get(index).filter(|text| !text.is_empty()).cloned()
    };
    let format = match feed.feed_type {
        FeedType::Atom => SourceFormat::Atom,
        FeedType::RSS0 | FeedType::RSS1 | FeedType::RSS2 | FeedType::JSON => SourceFormat::Rss,
    };
    if feed.entries.is_empty() {
        return VecDeque::from([Err(IngestError::new(name, None, "the feed has no items"))]);
    }
    let Feed { entries, language, .. } = feed;
    entries
        .into_iter()
        .enumerate()
        .map(|(index, entry)| {
            let published = original(entry.published).or_else(|| original(entry.updated));
            item(name, index + 1, format, entry, published, language.as_deref())
        })
        .collect()
}

/// Makes a document of one feed item.
fn item(
    name: &str,
    number: usize,
    format: SourceFormat,
    entry: Entry,
    published: Option<String>,
    feed_language: Option<&str>,
) -> Result<RawDoc, IngestError> {
    let uri = format!("{name}#{number}");
    let url = best_link(&entry.links).map(|link| link.href.trim().to_owned()).filter(|href| !href.is_empty());
    let guid = Some(entry.id.trim().to_owned()).filter(|id| !id.is_empty());
    let id = guid.or_else(|| url.clone()).unwrap_or_else(|| uri.clone());

    let content = entry
        .content
        .as_ref()
        .and_then(|content| Some((content.body.as_deref()?, content.content_type.essence().to_string())))
        .filter(|(body, _)| !body.trim().is_empty());
    let summary = entry
        .summary
        .as_ref()
        .map(|summary| (summary.content.as_str(), summary.content_type.essence().to_string()))
        .filter(|(body, _)| !body.trim().is_empty());
    let Some((body, media)) = content.or(summary) else {
        let message = format!("item {number} has neither content nor a description");
        return Err(IngestError::new(uri, Some(id), message));
    };
    let kind = if media == "text/plain" { BodyKind::Verbatim } else { BodyKind::Html };

    let mut authors: Vec<String> = Vec::new();
    for person in entry.authors.iter().chain(&entry.contributors) {
        let name = person.name.trim();
        if !name.is_empty() && !authors.iter().any(|known| known == name) {
            authors.push(name.to_owned());
        }
    }
    let mut tags: Vec<String> = Vec::new();
    for category in &entry.categories {
        let tag = category.label.as_deref().unwrap_or(&category.term).trim();
        if !tag.is_empty() && !tags.iter().any(|known| known == tag) {
            tags.push(tag.to_owned());
        }
    }
    let hints = Hints {
        url,
        title: entry.title.as_ref().map(|title| title.content.trim().to_owned()).filter(|title| !title.is_empty()),
        published,
        authors,
        tags,
        language: entry.language.as_deref().or(feed_language).map(str::to_owned),
    };
    Ok(RawDoc { id, source: Source { uri, format }, kind, body: body.to_owned(), hints, diagnostics: Vec::new() })
}

/// The item's own page: an `alternate` link (or one without `rel`), else the first link.
fn best_link(links: &[Link]) -> Option<&Link> {
    links.iter().find(|link| link.rel.as_deref().is_none_or(|rel| rel == "alternate")).or_else(|| links.first())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_kept_as_written() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
            <item><title>One</title><link>https://x.test/1</link><description>&lt;p&gt;Body&lt;/p&gt;</description>
            <pubDate>Lun, 6 Mai 2024 10:00:00 +0200</pubDate></item></channel></rss>"#;
        let docs = read("feed.xml", rss.as_bytes());
        let doc = docs[0].as_ref().expect("a document");
        assert_eq!(doc.hints.published.as_deref(), Some("Lun, 6 Mai 2024 10:00:00 +0200"));
        assert_eq!(doc.body, "<p>Body</p>");
        assert_eq!(doc.id, "https://x.test/1");
    }

    #[test]
    fn garbage_is_an_error() {
        let docs = read("feed.xml", b"<rss version=\"2.0\"><channel><item>");
        assert_eq!(docs.len(), 1);
        assert!(docs[0].is_err());
    }
}

//! Metadata from an HTML page.

use dateline_doc::{Diagnostic, Hints, Meta};
use scraper::{Html, Selector};

/// Metadata and extraction hints found in a page.
#[derive(Debug, Default)]
pub(crate) struct PageMeta {
    pub(crate) meta: Meta,
    /// The JSON-LD `articleBody`, when the page gives one.
    pub(crate) article_body: Option<String>,
}

/// Reads the page's metadata.
pub(crate) fn extract(document: &Html, _hints: &Hints, _diagnostics: &mut Vec<Diagnostic>) -> PageMeta {
    let title_selector = Selector::parse("title").expect("valid selector");
    let title = document
        .select(&title_selector)
        .next()
        .map(|node| crate::normalize_paragraph(&node.text().collect::<String>()));
    PageMeta { meta: Meta { title, ..Meta::default() }, article_body: None }
}

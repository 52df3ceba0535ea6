//! Main-content extraction from HTML.

use dateline_doc::{ParagraphKind, Removed};
use scraper::Html;

use crate::Block;
use crate::meta::PageMeta;

/// The article body found in a page.
#[derive(Debug, Default)]
pub(crate) struct Extraction {
    pub(crate) blocks: Vec<Block>,
    pub(crate) removed: Vec<Removed>,
}

/// Finds the article body.
pub(crate) fn extract(document: &Html, _page: &PageMeta) -> Extraction {
    let text: String = document.root_element().text().collect();
    Extraction { blocks: vec![Block { kind: ParagraphKind::Text, text }], removed: Vec::new() }
}

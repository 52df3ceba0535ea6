//! A flat, pre-order view of the parsed page, and its segmentation into text blocks.
//!
//! The html5ever tree is walked once, without recursion (pages nest 10,000 deep), into an
//! arena where the subtree of node `i` is the index range `i..end[i]`. Sums over subtrees then
//! become prefix-sum differences, so choosing the main container is linear in the page size.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

use crate::attrs::Attrs;
use crate::html::vocab::{self, ClassSignal};

/// What an element is for extraction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tag {
    /// Never article content: scripts, styles, forms controls, navigation, media.
    Drop,
    /// A paragraph-level block: starts and ends a text block.
    Block,
    /// A heading `h1`..`h6`.
    Heading(u8),
    /// A list item or definition.
    Item,
    /// A block quotation.
    Quote,
    /// Preformatted text.
    Pre,
    /// A table row: a block whose cells are joined with spaces.
    Row,
    /// A table cell: inline within its row.
    Cell,
    /// A line break: ends the current text block.
    Break,
    /// A link: its text counts as link text.
    Link,
    /// Anything else: inline, text flows through.
    Inline,
}

impl Tag {
    fn of(name: &str) -> Tag {
        match name {
            "script" | "style" | "noscript" | "template" | "svg" | "math" | "canvas" | "iframe" | "object"
            | "embed" | "video" | "audio" | "source" | "track" | "map" | "select" | "option" | "optgroup"
            | "button" | "input" | "textarea" | "datalist" | "dialog" | "nav" | "aside" | "footer" | "head"
            | "title" | "meta" | "link" | "base" | "img" | "picture" | "figcaption" | "label" | "menu" | "progress"
            | "meter" | "output" => Tag::Drop,
            "h1" => Tag::Heading(1),
            "h2" => Tag::Heading(2),
            "h3" => Tag::Heading(3),
            "h4" => Tag::Heading(4),
            "h5" => Tag::Heading(5),
            "h6" => Tag::Heading(6),
            "li" | "dt" | "dd" => Tag::Item,
            "blockquote" => Tag::Quote,
            "pre" => Tag::Pre,
            "tr" => Tag::Row,
            "td" | "th" => Tag::Cell,
            "br" | "hr" => Tag::Break,
            "a" => Tag::Link,
            "p" | "div" | "section" | "article" | "main" | "ul" | "ol" | "dl" | "table" | "tbody" | "thead"
            | "tfoot" | "caption" | "figure" | "address" | "center" | "body" | "html" | "details" | "summary"
            | "header" | "form" | "fieldset" | "legend" | "hgroup" | "font" => Tag::Block,
            _ => Tag::Inline,
        }
    }

    /// True for elements that start and end a text block.
    pub(crate) fn is_block(self) -> bool {
        !matches!(self, Tag::Inline | Tag::Link | Tag::Drop | Tag::Break | Tag::Cell)
    }
}

/// One element of the page, in document order.
#[derive(Debug)]
pub(crate) struct Element<'a> {
    /// Local name.
    pub(crate) name: &'a str,
    pub(crate) tag: Tag,
    /// Index of the parent element (the root points to itself).
    pub(crate) parent: u32,
    /// One past the index of the last element of this subtree.
    pub(crate) end: u32,
    /// What the class and id say about the element.
    pub(crate) signal: ClassSignal,
    /// Hidden by attribute or inline style.
    pub(crate) hidden: bool,
    /// `itemprop="articleBody"` or an equivalent marker of the article body.
    pub(crate) article_body: bool,
}

/// A run of text between block boundaries.
#[derive(Debug)]
pub(crate) struct TextBlock {
    /// The innermost block element holding the text.
    pub(crate) element: u32,
    /// The raw text (whitespace not yet collapsed).
    pub(crate) text: String,
    /// Weighted count of visible characters (CJK characters weigh more).
    pub(crate) chars: u32,
    /// The same count for text inside links.
    pub(crate) link_chars: u32,
    /// Sentence punctuation marks.
    pub(crate) punctuation: u32,
    /// Runs of characters between spaces, with wide characters counted as words.
    pub(crate) words: u32,
    /// Innermost heading, list item, quote, pre or table row ancestor, if any.
    pub(crate) role: Tag,
    /// Inside an element whose class or id marks it as boilerplate, with the reason; set by
    /// [`resolve_boilerplate`] once element sizes are known.
    pub(crate) boilerplate: Option<&'static str>,
    /// Inside a `<p>`.
    pub(crate) in_paragraph: bool,
}

impl TextBlock {
    /// True for a block that reads as running text.
    pub(crate) fn is_prose(&self) -> bool {
        self.words >= 4 && (self.chars >= 60 && self.punctuation >= 1 || self.chars >= 30 && ends_sentence(&self.text))
    }
}

/// True when the text ends like a sentence.
pub(crate) fn ends_sentence(text: &str) -> bool {
    let trimmed = text.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '”' | '’' | ')' | '»'));
    trimmed.ends_with(['.', '!', '?', '。', '！', '？', '…', ':'])
}

/// The page as elements and text blocks.
#[derive(Debug)]
pub(crate) struct Dom<'a> {
    pub(crate) elements: Vec<Element<'a>>,
    pub(crate) blocks: Vec<TextBlock>,
}

/// The state of one open element during the walk.
struct Open {
    /// The element's own arena index.
    index: u32,
    /// The innermost block element: the element itself when it is a block.
    block: u32,
    dropped: bool,
    link: bool,
    role: Tag,
    paragraph: bool,
}

/// Builds the flat view of `document`.
pub(crate) fn build(document: &Html) -> Dom<'_> {
    let mut elements: Vec<Element<'_>> = Vec::with_capacity(2048);
    let mut blocks = Vec::with_capacity(512);
    let mut stack: Vec<Open> = Vec::with_capacity(64);
    let mut current = BlockBuilder::default();

    for edge in document.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(element) => {
                    let name = element.name();
                    let index = elements.len() as u32;
                    let parent = stack.last();
                    let attributes = Attrs::of(element);
                    let hidden = attributes.hidden;
                    let signal = vocab::class_signal(attributes.class, attributes.id);
                    // An inline element named as furniture (a caption `<span>`) is cut out as a
                    // block of its own, so that it can be removed without its paragraph.
                    let tag = match Tag::of(name) {
                        Tag::Inline if matches!(signal, ClassSignal::Boilerplate(_)) => Tag::Block,
                        tag => tag,
                    };
                    let article_body = attributes.itemprop.is_some_and(|value| value.contains("articleBody"));
                    if tag.is_block() || tag == Tag::Break {
                        current.flush(&mut blocks);
                    } else if tag == Tag::Cell {
                        current.separate();
                    }
                    let role = match tag {
                        Tag::Heading(_) | Tag::Item | Tag::Quote | Tag::Pre | Tag::Row => tag,
                        _ => parent.map_or(Tag::Block, |open| open.role),
                    };
                    let open = Open {
                        index,
                        block: if tag.is_block() { index } else { parent.map_or(index, |open| open.block) },
                        dropped: parent.is_some_and(|open| open.dropped) || tag == Tag::Drop || hidden,
                        link: tag == Tag::Link || parent.is_some_and(|open| open.link),
                        role,
                        paragraph: name == "p" || parent.is_some_and(|open| open.paragraph),
                    };
                    elements.push(Element {
                        name,
                        tag,
                        parent: parent.map_or(index, |open| open.index),
                        end: index + 1,
                        signal,
                        hidden,
                        article_body,
                    });
                    stack.push(open);
                }
                Node::Text(text) => {
                    if let Some(open) = stack.last() {
                        current.push(text, open);
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(_) = node.value()
                    && let Some(open) = stack.pop()
                {
                    let end = elements.len() as u32;
                    let element = &mut elements[open.index as usize];
                    element.end = end;
                    if element.tag.is_block() {
                        current.flush(&mut blocks);
                    }
                }
            }
        }
    }
    current.flush(&mut blocks);
    let mut dom = Dom { elements, blocks };
    resolve_boilerplate(&mut dom);
    dom
}

/// Marks the blocks that sit inside furniture. A class name alone is weak evidence: pages
/// put `has-sidebar` or `share-enabled` on wrappers of the whole page. So an element counts as
/// furniture only when it holds less than half of the page's text and does not contain an
/// element that names itself the article body.
fn resolve_boilerplate(dom: &mut Dom<'_>) {
    let n_elements = dom.elements.len();
    let mut chars_at = vec![0u64; n_elements + 1];
    let mut prose_at = vec![0u64; n_elements + 1];
    let mut content_at = vec![0u32; n_elements + 1];
    for block in &dom.blocks {
        chars_at[block.element as usize] += u64::from(block.chars);
        if block.is_prose() {
            prose_at[block.element as usize] += u64::from(block.chars);
        }
    }
    for (index, element) in dom.elements.iter().enumerate() {
        if element.article_body || element.signal == ClassSignal::Content {
            content_at[index] = 1;
        }
    }
    let chars_prefix = prefix_sums(&chars_at[..n_elements]);
    let prose_prefix = prefix_sums(&prose_at[..n_elements]);
    let content_prefix = prefix_sums(&content_at[..n_elements]);
    let total = chars_prefix[n_elements];

    let mut reason_of: Vec<Option<&'static str>> = Vec::with_capacity(n_elements);
    let mut in_content: Vec<bool> = Vec::with_capacity(n_elements);
    for (index, element) in dom.elements.iter().enumerate() {
        let parent = element.parent as usize;
        let (inherited, parent_in_content) =
            if parent == index { (None, false) } else { (reason_of[parent], in_content[parent]) };
        let own = match element.signal {
            ClassSignal::Boilerplate(reason) => {
                let end = element.end as usize;
                let chars = chars_prefix[end] - chars_prefix[index];
                let prose = prose_prefix[end] - prose_prefix[index];
                let holds_content = content_prefix[end] - content_prefix[index] > 0;
                // Inside the article body, a wrapper named after an ad slot or a paywall that holds
                // mostly prose is layout, not furniture.
                let prose_in_body = parent_in_content
                    && prose * 2 > chars
                    && (reason == "advertisement" || reason == "subscription" && prose >= 400);
                (chars * 2 < total
                    && !holds_content
                    && !prose_in_body
                    && !matches!(element.name, "html" | "body" | "main" | "article"))
                .then_some(reason)
            }
            _ => None,
        };
        reason_of.push(inherited.or(own));
        in_content.push(parent_in_content || element.article_body || element.signal == ClassSignal::Content);
    }
    for block in &mut dom.blocks {
        block.boilerplate = reason_of[block.element as usize];
    }
}

/// `out[i]` is the sum of `values[..i]`.
pub(crate) fn prefix_sums<T: Copy + Default + std::ops::Add<Output = T>>(values: &[T]) -> Vec<T> {
    let mut out = Vec::with_capacity(values.len() + 1);
    let mut running = T::default();
    out.push(running);
    for value in values {
        running = running + *value;
        out.push(running);
    }
    out
}

/// Accumulates the text of the block being read.
#[derive(Default)]
struct BlockBuilder {
    block: Option<TextBlock>,
}

impl BlockBuilder {
    fn push(&mut self, text: &str, open: &Open) {
        if open.dropped {
            return;
        }
        let (chars, punctuation, words) = weigh(text);
        if chars == 0 {
            if let Some(block) = &mut self.block {
                block.text.push(' ');
            }
            return;
        }
        let block = self.block.get_or_insert_with(|| TextBlock {
            element: open.block,
            text: String::new(),
            chars: 0,
            link_chars: 0,
            punctuation: 0,
            words: 0,
            role: open.role,
            boilerplate: None,
            in_paragraph: open.paragraph,
        });
        block.text.push_str(text);
        block.chars += chars;
        block.punctuation += punctuation;
        block.words += words;
        if open.link {
            block.link_chars += chars;
        }
    }

    /// Ends a word: the next text is not glued to the last.
    fn separate(&mut self) {
        if let Some(block) = &mut self.block {
            block.text.push(' ');
        }
    }

    fn flush(&mut self, blocks: &mut Vec<TextBlock>) {
        if let Some(block) = self.block.take() {
            if block.chars > 0 {
                blocks.push(block);
            }
        }
    }
}

/// Weighted visible characters, sentence punctuation and words in `text`.
fn weigh(text: &str) -> (u32, u32, u32) {
    let mut chars = 0u32;
    let mut punctuation = 0u32;
    let mut words = 0u32;
    let mut in_word = false;
    for c in text.chars() {
        if c.is_whitespace() {
            in_word = false;
            continue;
        }
        if is_wide(c) {
            chars += 3;
            words += 1;
            in_word = false;
        } else {
            chars += 1;
            if !in_word {
                words += 1;
                in_word = true;
            }
        }
        if matches!(c, '.' | ',' | '!' | '?' | ';' | ':' | '。' | '、' | '，' | '！' | '？' | '؟' | '،' | '।')
        {
            punctuation += 1;
        }
    }
    (chars, punctuation, words)
}

/// CJK and similar scripts, where a character carries about a word.
fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}

//! One walk over the page tree that gathers the raw material of metadata extraction: `<meta>`
//! and `<link>` tags, JSON-LD blocks, microdata properties, `<time>` elements, top headings,
//! bylines and datelines. The walk does cheap checks on element names and attributes only;
//! text is read afterwards from the few nodes that were kept.

use std::ops::Deref;

use scraper::{ElementRef, Html, Node};

/// A node of the page tree.
pub(super) type NodeRef<'a> = <ElementRef<'a> as Deref>::Target;

/// The most nodes of each kind that are kept.
const MAX_HEADINGS: usize = 3;
const MAX_TIMES: usize = 20;
const MAX_ITEMPROPS: usize = 60;
const MAX_BYLINES: usize = 8;
const MAX_DATELINES: usize = 12;
const MAX_REL_AUTHORS: usize = 5;
const MAX_META_TAGS: usize = 400;

/// A `<meta>` tag: its `property`, `name` or `http-equiv` (lower-cased) and its `content`.
#[derive(Clone, Debug)]
pub(super) struct MetaTag<'a> {
    pub(super) key: String,
    pub(super) content: &'a str,
}

/// How a `<time>` element relates to the article.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum TimePlace {
    /// Marked as the publication time: `pubdate`, `itemprop=datePublished`, a class like
    /// `published`.
    Marked,
    /// Inside a byline, dateline or article header.
    Byline,
    /// Anywhere else in the page body.
    Elsewhere,
}

/// A `<time>` element.
#[derive(Clone, Debug)]
pub(super) struct TimeTag<'a> {
    pub(super) node: NodeRef<'a>,
    pub(super) datetime: Option<&'a str>,
    pub(super) place: TimePlace,
    /// Marked as a modification time (`itemprop=dateModified`, a class like `updated`).
    pub(super) modified: bool,
}

/// An element with an `itemprop`, outside nested items that are not the article.
#[derive(Clone, Debug)]
pub(super) struct ItemProp<'a> {
    pub(super) node: NodeRef<'a>,
    /// The property names, space-separated.
    pub(super) props: &'a str,
    /// The `content`, `datetime` or `href` attribute.
    pub(super) value: Option<&'a str>,
    /// True when the element is itself an item (`itemscope`), such as an author `Person`.
    pub(super) item: bool,
}

/// What the walk gathered.
#[derive(Debug)]
pub(super) struct Scan<'a> {
    pub(super) html_lang: Option<&'a str>,
    pub(super) title: Option<NodeRef<'a>>,
    pub(super) metas: Vec<MetaTag<'a>>,
    pub(super) canonical: Option<&'a str>,
    pub(super) json_ld: Vec<String>,
    pub(super) headings: Vec<NodeRef<'a>>,
    pub(super) times: Vec<TimeTag<'a>>,
    pub(super) itemprops: Vec<ItemProp<'a>>,
    pub(super) rel_authors: Vec<NodeRef<'a>>,
    pub(super) bylines: Vec<NodeRef<'a>>,
    pub(super) datelines: Vec<NodeRef<'a>>,
}

/// Where the walk is: flags inherited from the ancestors, and the microdata item around.
#[derive(Clone, Copy, Debug, Default)]
struct Context {
    flags: u16,
    scope: Scope,
}

/// The nearest microdata item around an element.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Scope {
    #[default]
    None,
    /// An article or web page item: its properties are the page's.
    Article,
    /// Another item (a person, a comment, a related story): its properties are not the page's.
    Other,
}

// Context flags.
const IN_HEAD: u16 = 1;
const EXCLUDED: u16 = 1 << 1;
const BYLINE_AREA: u16 = 1 << 2;
const IN_HEADER: u16 = 1 << 3;
const IN_ARTICLE: u16 = 1 << 4;
const IN_BYLINE: u16 = 1 << 5;
const PUBLISHED_AREA: u16 = 1 << 6;
const UPDATED_AREA: u16 = 1 << 7;

// What a class or id says about an element.
pub(super) const C_AUTHOR: u16 = 1;
pub(super) const C_DATE: u16 = 1 << 1;
pub(super) const C_META: u16 = 1 << 2;
pub(super) const C_EXCLUDE: u16 = 1 << 3;
pub(super) const C_UPDATED: u16 = 1 << 4;
pub(super) const C_PUBLISHED: u16 = 1 << 5;
pub(super) const C_NAME: u16 = 1 << 6;
pub(super) const C_FOOTER: u16 = 1 << 7;

pub(super) use crate::attrs::Attrs;

/// What an element's class and id say, for the metadata walk.
pub(super) trait ClassFlags {
    /// What the class and id say.
    fn class_flags(&self) -> u16;
}

impl ClassFlags for Attrs<'_> {
    fn class_flags(&self) -> u16 {
        self.class.map_or(0, class_flags) | self.id.map_or(0, class_flags)
    }
}

/// What to do after entering a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Visit {
    /// Visit the node's children.
    Descend,
    /// Skip the node's children.
    Skip,
    /// End the walk.
    Stop,
}

/// Walks the subtree of `root` in document order without recursion: `enter` is called on each
/// node and decides whether to visit its children.
pub(super) fn walk<'a>(root: NodeRef<'a>, mut enter: impl FnMut(NodeRef<'a>) -> Visit) {
    let mut node = root;
    loop {
        match enter(node) {
            Visit::Stop => return,
            Visit::Descend => {
                if let Some(child) = node.first_child() {
                    node = child;
                    continue;
                }
            }
            Visit::Skip => {}
        }
        loop {
            if node == root {
                return;
            }
            if let Some(sibling) = node.next_sibling() {
                node = sibling;
                break;
            }
            match node.parent() {
                Some(parent) => node = parent,
                None => return,
            }
        }
    }
}

/// Walks the page once and gathers what metadata extraction reads.
pub(super) fn scan(document: &Html) -> Scan<'_> {
    let mut scan = Scan {
        html_lang: None,
        title: None,
        metas: Vec::new(),
        canonical: None,
        json_ld: Vec::new(),
        headings: Vec::new(),
        times: Vec::new(),
        itemprops: Vec::new(),
        rel_authors: Vec::new(),
        bylines: Vec::new(),
        datelines: Vec::new(),
    };
    // The contexts of the open elements: an element's entry is dropped when the walk enters a
    // node outside it.
    let mut stack: Vec<(NodeRef<'_>, Context)> = Vec::with_capacity(64);
    walk(document.tree.root(), |node| {
        let Node::Element(element) = node.value() else { return Visit::Descend };
        let parent_node = node.parent();
        while stack.last().is_some_and(|(open, _)| Some(*open) != parent_node) {
            stack.pop();
        }
        let parent = stack.last().map(|(_, context)| *context).unwrap_or_default();
        let (context, visit) = scan.enter(node, element, parent);
        stack.push((node, context));
        visit
    });
    scan
}

impl<'a> Scan<'a> {
    /// Looks at one element; returns its context and whether to visit its children.
    fn enter(&mut self, node: NodeRef<'a>, element: &'a scraper::node::Element, parent: Context) -> (Context, Visit) {
        let attrs = Attrs::of(element);
        let name = element.name();
        let mut context = parent;
        let mut visit = Visit::Descend;
        match name {
            "html" => self.html_lang = self.html_lang.or(attrs.lang.filter(|lang| !lang.trim().is_empty())),
            "head" => context.flags |= IN_HEAD,
            "header" => context.flags |= IN_HEADER,
            "article" | "main" => context.flags |= IN_ARTICLE,
            "nav" | "aside" => context.flags |= EXCLUDED,
            // The footer of an article holds its byline and tags; the page's footer holds neither.
            "footer" if context.flags & IN_ARTICLE == 0 => context.flags |= EXCLUDED,
            "script" => {
                let json_ld = attrs.kind.is_some_and(|kind| {
                    kind.trim().get(..19).is_some_and(|kind| kind.eq_ignore_ascii_case("application/ld+json"))
                });
                if json_ld {
                    self.json_ld.push(child_text(node));
                }
                visit = Visit::Skip;
            }
            "style" | "noscript" | "template" | "svg" | "math" | "iframe" | "select" | "textarea" => {
                visit = Visit::Skip
            }
            "title" => {
                if self.title.is_none() {
                    self.title = Some(node);
                }
                visit = Visit::Skip;
            }
            "meta" => self.meta(&attrs),
            "link" if self.canonical.is_none() && has_token(attrs.rel, "canonical") => self.canonical = attrs.href,
            _ => {}
        }
        let in_body = context.flags & IN_HEAD == 0;
        let class = if in_body && (attrs.class.is_some() || attrs.id.is_some()) { attrs.class_flags() } else { 0 };
        let page_footer = class & C_FOOTER != 0 && context.flags & IN_ARTICLE == 0;
        if (class & C_EXCLUDE != 0 || page_footer) && !matches!(name, "html" | "body" | "main" | "article") {
            context.flags |= EXCLUDED;
        }
        if class & (C_AUTHOR | C_DATE | C_META) != 0 {
            context.flags |= BYLINE_AREA;
        }
        if class & C_PUBLISHED != 0 {
            context.flags |= PUBLISHED_AREA;
        }
        if class & C_UPDATED != 0 {
            context.flags |= UPDATED_AREA;
        }
        let excluded = context.flags & EXCLUDED != 0;
        if let Some(props) = attrs.itemprop {
            if parent.scope != Scope::Other && !excluded && self.itemprops.len() < MAX_ITEMPROPS {
                let value = attrs.content.or(attrs.datetime).or(if name == "link" { attrs.href } else { None });
                self.itemprops.push(ItemProp { node, props, value, item: attrs.itemscope });
            }
        }
        if attrs.itemscope {
            let article = attrs
                .itemtype
                .is_some_and(|kind| ["Article", "Posting", "WebPage", "Report"].iter().any(|name| kind.contains(name)));
            context.scope = if article { Scope::Article } else { Scope::Other };
        }
        if !in_body || excluded {
            return (context, visit);
        }
        match name {
            "h1" if self.headings.len() < MAX_HEADINGS => self.headings.push(node),
            "a" if self.rel_authors.len() < MAX_REL_AUTHORS && has_token(attrs.rel, "author") => {
                self.rel_authors.push(node);
            }
            "time" if self.times.len() < MAX_TIMES => {
                let itemprop = attrs.itemprop.unwrap_or("");
                let marked = attrs.pubdate
                    || super::strings::contains_ci(itemprop, "datepublished")
                    || context.flags & PUBLISHED_AREA != 0;
                let modified = super::strings::contains_ci(itemprop, "datemodified")
                    || class & C_UPDATED != 0
                    || (context.flags & UPDATED_AREA != 0 && class & C_PUBLISHED == 0);
                let byline = context.flags & BYLINE_AREA != 0
                    || context.flags & (IN_HEADER | IN_ARTICLE) == IN_HEADER | IN_ARTICLE;
                let place = if marked {
                    TimePlace::Marked
                } else if byline {
                    TimePlace::Byline
                } else {
                    TimePlace::Elsewhere
                };
                self.times.push(TimeTag { node, datetime: attrs.datetime, place, modified });
            }
            _ => {}
        }
        if class & C_AUTHOR != 0 && context.flags & IN_BYLINE == 0 && self.bylines.len() < MAX_BYLINES {
            self.bylines.push(node);
            context.flags |= IN_BYLINE;
        }
        if class & C_DATE != 0 && name != "time" && self.datelines.len() < MAX_DATELINES {
            self.datelines.push(node);
        }
        (context, visit)
    }

    /// Records a `<meta>` tag under each of its names.
    fn meta(&mut self, attrs: &Attrs<'a>) {
        let Some(content) = attrs.content else { return };
        if content.trim().is_empty() || self.metas.len() >= MAX_META_TAGS {
            return;
        }
        for key in [attrs.property, attrs.name, attrs.http_equiv].into_iter().flatten() {
            let key = key.trim();
            if !key.is_empty() && key.len() < 64 {
                self.metas.push(MetaTag { key: key.to_ascii_lowercase(), content });
            }
        }
    }
}

/// True when a space-separated attribute value such as `rel` holds `token`, ignoring ASCII case.
fn has_token(value: Option<&str>, token: &str) -> bool {
    value.is_some_and(|value| value.split_ascii_whitespace().any(|item| item.eq_ignore_ascii_case(token)))
}

/// The text directly inside an element (a `<script>` or `<title>`).
pub(super) fn child_text(node: NodeRef<'_>) -> String {
    let mut text = String::new();
    let mut child = node.first_child();
    while let Some(current) = child {
        if let Node::Text(part) = current.value() {
            text.push_str(part);
        }
        child = current.next_sibling();
    }
    text
}

/// The visible text of a subtree, whitespace normalised, or `None` when it is longer than
/// `limit` bytes (then it is not a heading, byline or date) or empty.
pub(super) fn text(node: NodeRef<'_>, limit: usize) -> Option<String> {
    let mut out = String::new();
    let mut too_long = false;
    walk(node, |current| match current.value() {
        Node::Text(part) => {
            out.push_str(part);
            if out.len() > limit {
                too_long = true;
                return Visit::Stop;
            }
            Visit::Skip
        }
        Node::Element(element) => match element.name() {
            "script" | "style" | "noscript" | "template" | "svg" | "button" | "select" => Visit::Skip,
            "br" | "p" | "div" | "li" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "section"
            | "figure" | "figcaption" | "address" | "dd" | "dt" => {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
                Visit::Descend
            }
            _ => Visit::Descend,
        },
        _ => Visit::Skip,
    });
    if too_long {
        return None;
    }
    let text = crate::normalize_paragraph(&out);
    (!text.is_empty()).then_some(text)
}

/// The `name` of a microdata item (an author or publisher): the first `itemprop=name` inside.
pub(super) fn item_name(node: NodeRef<'_>) -> Option<String> {
    let mut found = None;
    let mut seen = 0usize;
    walk(node, |current| {
        seen += 1;
        if seen > 300 {
            return Visit::Stop;
        }
        let Node::Element(element) = current.value() else { return Visit::Skip };
        let attrs = Attrs::of(element);
        let is_name = current != node
            && attrs
                .itemprop
                .is_some_and(|props| props.split_ascii_whitespace().any(|prop| prop.eq_ignore_ascii_case("name")));
        if is_name {
            found = attrs.content.map(crate::normalize_paragraph).or_else(|| text(current, 200));
            return Visit::Stop;
        }
        Visit::Descend
    });
    found.filter(|name| !name.is_empty())
}

/// Reads a class or id value in one pass: which of the words that matter for metadata it
/// contains, ignoring ASCII case. Words are looked for where a word starts: at the start, after
/// a character that is not a letter, or at a capital after a small letter (`article__byline`,
/// `entry-meta`, `PublishDate`, `postAuthor`).
pub(super) fn class_flags(value: &str) -> u16 {
    let bytes = value.as_bytes();
    let at = |i: usize, word: &str| {
        bytes.get(i..i + word.len()).is_some_and(|window| window.eq_ignore_ascii_case(word.as_bytes()))
    };
    let mut flags = 0;
    let mut previous = b' ';
    for (i, &byte) in bytes.iter().enumerate() {
        let starts_word =
            !previous.is_ascii_alphabetic() || (previous.is_ascii_lowercase() && byte.is_ascii_uppercase());
        previous = byte;
        if !starts_word {
            continue;
        }
        flags |= match byte.to_ascii_lowercase() {
            b'a' if at(i, "author") => C_AUTHOR,
            b'b' if at(i, "byline") || at(i, "by-line") => C_AUTHOR,
            b'w' if at(i, "writer") => C_AUTHOR,
            b'w' if at(i, "widget") => C_EXCLUDE,
            b'd' if at(i, "date") => C_DATE,
            b't' if at(i, "time") => C_DATE,
            b't' if at(i, "trending") || at(i, "taboola") => C_EXCLUDE,
            b'p' if at(i, "publish") || at(i, "pubdate") || at(i, "posted") => C_DATE | C_PUBLISHED,
            b'p' if at(i, "promo") || at(i, "popular") => C_EXCLUDE,
            b'c' if at(i, "created") => C_PUBLISHED,
            b'c' if at(i, "comment") => C_EXCLUDE,
            b'u' if at(i, "updated") => C_UPDATED | C_DATE,
            b'm' if at(i, "modified") => C_UPDATED | C_DATE,
            b'm' if at(i, "meta") => C_META,
            b'm' if at(i, "most-") || at(i, "mostread") || at(i, "more-stories") => C_EXCLUDE,
            b'r' if at(i, "related") || at(i, "recommend") => C_EXCLUDE,
            b's' if at(i, "sidebar") => C_EXCLUDE,
            b'f' if at(i, "footer") => C_FOOTER,
            b'n' if at(i, "newsletter") => C_EXCLUDE,
            b'n' if at(i, "name") => C_NAME,
            b'o' if at(i, "outbrain") => C_EXCLUDE,
            _ => 0,
        };
    }
    flags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_class_words() {
        assert_eq!(class_flags("article__byline"), C_AUTHOR);
        assert_eq!(class_flags("entry-meta"), C_META);
        assert_eq!(class_flags("PublishDate"), C_DATE | C_PUBLISHED);
        assert_eq!(class_flags("related-stories sidebar"), C_EXCLUDE);
        assert_eq!(class_flags("last-updated"), C_UPDATED | C_DATE);
        assert_eq!(class_flags("postAuthor"), C_AUTHOR);
        assert_eq!(class_flags("x"), 0);
        assert_eq!(class_flags("candidate validate"), 0);
    }

    #[test]
    fn walks_deep_trees_without_recursion() {
        let html = format!("<html><body>{}deep{}</body></html>", "<div>".repeat(5000), "</div>".repeat(5000));
        let document = Html::parse_document(&html);
        let scan = scan(&document);
        assert!(scan.headings.is_empty());
        let body = document.tree.root().first_child().and_then(|html| html.last_child());
        assert_eq!(body.and_then(|body| text(body, 100)).as_deref(), Some("deep"));
    }
}

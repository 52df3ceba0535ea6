//! The vocabulary of page furniture: what class and id names say about an element, and the
//! short lines that are chrome wherever they appear.
//!
//! The lists are general news-site conventions (share bars, related links, ad slots, cookie
//! notices), not the markup of any one site.

use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

/// What an element's class and id say about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ClassSignal {
    /// Nothing known.
    Neutral,
    /// Names the article body (`article-body`, `entry-content`, ...).
    Content,
    /// Names page furniture; the reason is a removal reason code.
    Boilerplate(&'static str),
}

/// Stems that name the article body. Matched as substrings of the lower-cased class and id.
const CONTENT_STEMS: &[&str] = &[
    "articlebody",
    "article-body",
    "article_body",
    "article__body",
    "article-content",
    "articlecontent",
    "article__content",
    "article-text",
    "articletext",
    "story-body",
    "storybody",
    "story-content",
    "story-text",
    "entry-content",
    "entry-body",
    "post-content",
    "postcontent",
    "post-body",
    "postbody",
    "post-entry",
    "content-body",
    "body-text",
    "bodytext",
    "rich-text",
    "richtext",
    "article-main",
    "main-text",
    "news-body",
    "text-body",
];

/// Stems that name furniture, with the removal reason. Matched as substrings of the lower-cased
/// class and id, so `shareBar`, `social-share` and `post-comments` all match.
const BOILERPLATE_STEMS: &[(&str, &str)] = &[
    ("comment", "comments"),
    ("disqus", "comments"),
    ("share", "share-prompt"),
    ("sharing", "share-prompt"),
    ("social", "share-prompt"),
    ("sociable", "share-prompt"),
    ("related", "related-links"),
    ("recommend", "related-links"),
    ("more-stories", "related-links"),
    ("morestories", "related-links"),
    ("read-more", "related-links"),
    ("readmore", "related-links"),
    ("read-next", "related-links"),
    ("readnext", "related-links"),
    ("also-read", "related-links"),
    ("popular", "related-links"),
    ("trending", "related-links"),
    ("most-read", "related-links"),
    ("mostread", "related-links"),
    ("top-stories", "related-links"),
    ("outbrain", "advertisement"),
    ("taboola", "advertisement"),
    ("newsletter", "subscription"),
    ("subscribe", "subscription"),
    ("subscription", "subscription"),
    ("signup", "subscription"),
    ("sign-up", "subscription"),
    ("paywall", "subscription"),
    ("regwall", "subscription"),
    ("advert", "advertisement"),
    ("adslot", "advertisement"),
    ("ad-slot", "advertisement"),
    ("adunit", "advertisement"),
    ("ad-unit", "advertisement"),
    ("ad-container", "advertisement"),
    ("adcontainer", "advertisement"),
    ("ad-wrapper", "advertisement"),
    ("ad-placeholder", "advertisement"),
    ("gpt-ad", "advertisement"),
    ("dfp-", "advertisement"),
    ("sponsor", "advertisement"),
    ("promo", "advertisement"),
    ("sidebar", "sidebar"),
    ("widget", "sidebar"),
    ("breadcrumb", "navigation"),
    ("navigation", "navigation"),
    ("navbar", "navigation"),
    ("pagination", "navigation"),
    ("pager", "navigation"),
    ("skip-link", "navigation"),
    ("skiplink", "navigation"),
    ("masthead", "navigation"),
    ("footer", "footer"),
    ("cookie", "cookie-notice"),
    ("consent", "cookie-notice"),
    ("gdpr", "cookie-notice"),
    ("popup", "popup"),
    ("modal", "popup"),
    ("lightbox", "popup"),
    ("byline", "byline"),
    ("dateline", "byline"),
    ("timestamp", "byline"),
    ("author", "byline"),
    ("article-meta", "byline"),
    ("post-meta", "byline"),
    ("entry-meta", "byline"),
    ("caption", "caption"),
    ("gallery", "gallery"),
    ("slideshow", "gallery"),
    ("carousel", "gallery"),
    ("credit", "caption"),
    ("tag-list", "tag-list"),
    ("taglist", "tag-list"),
    ("keywords", "tag-list"),
    ("toolbar", "toolbar"),
    ("sr-only", "hidden"),
    ("visually-hidden", "hidden"),
    ("visuallyhidden", "hidden"),
    ("screen-reader", "hidden"),
    ("screenreader", "hidden"),
    ("offscreen", "hidden"),
];

/// Whole tokens (class names split at punctuation) that name furniture. Short words that would
/// match too much as substrings.
const BOILERPLATE_TOKENS: &[(&str, &str)] = &[
    ("ad", "advertisement"),
    ("ads", "advertisement"),
    ("nav", "navigation"),
    ("menu", "navigation"),
    ("rail", "sidebar"),
    ("meta", "byline"),
    ("tags", "tag-list"),
    ("topics", "tag-list"),
    ("bio", "byline"),
    ("tools", "toolbar"),
    ("print", "toolbar"),
    ("hidden", "hidden"),
    ("hide", "hidden"),
];

/// What a stem found in a class or id means.
#[derive(Clone, Copy)]
enum StemMeaning {
    Content,
    /// `commentary` names opinion content, not a comment section.
    NotFurniture,
    Boilerplate(&'static str),
}

/// Every stem in one automaton, in priority order: content stems, exceptions, furniture.
static STEMS: LazyLock<(AhoCorasick, Vec<StemMeaning>)> = LazyLock::new(|| {
    let mut patterns: Vec<&str> = Vec::new();
    let mut meanings = Vec::new();
    for stem in CONTENT_STEMS {
        patterns.push(stem);
        meanings.push(StemMeaning::Content);
    }
    patterns.push("commentary");
    meanings.push(StemMeaning::NotFurniture);
    for (stem, reason) in BOILERPLATE_STEMS {
        patterns.push(stem);
        meanings.push(StemMeaning::Boilerplate(reason));
    }
    let automaton = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(&patterns)
        .expect("the stems are a valid pattern set");
    (automaton, meanings)
});

/// Classifies an element by its class and id attributes.
pub(crate) fn class_signal(class: Option<&str>, id: Option<&str>) -> ClassSignal {
    let (class, id) = (class.unwrap_or(""), id.unwrap_or(""));
    if class.is_empty() && id.is_empty() {
        return ClassSignal::Neutral;
    }
    let (automaton, meanings) = &*STEMS;
    // The match with the lowest pattern index wins, as if the lists were tried in order.
    let first = [class, id]
        .into_iter()
        .flat_map(|names| automaton.find_overlapping_iter(names))
        .map(|found| found.pattern().as_usize())
        .min();
    match first.map(|index| meanings[index]) {
        Some(StemMeaning::Content) => return ClassSignal::Content,
        Some(StemMeaning::NotFurniture) => return ClassSignal::Neutral,
        Some(StemMeaning::Boilerplate(reason)) => return ClassSignal::Boilerplate(reason),
        None => {}
    }
    for token in [class, id].into_iter().flat_map(|names| names.split(|c: char| !c.is_ascii_alphanumeric())) {
        if let Some((_, reason)) = BOILERPLATE_TOKENS.iter().find(|(word, _)| word.eq_ignore_ascii_case(token)) {
            return ClassSignal::Boilerplate(reason);
        }
    }
    ClassSignal::Neutral
}

/// Short lines that are chrome wherever they appear, matched against the whole block text
/// (lower-cased, whitespace collapsed, trailing punctuation trimmed), with the reason.
const CHROME_LINES: &[(&str, &str)] = &[
    ("advertisement", "advertisement"),
    ("advertisements", "advertisement"),
    ("ad", "advertisement"),
    ("sponsored", "advertisement"),
    ("sponsored content", "advertisement"),
    ("story continues below advertisement", "advertisement"),
    ("article continues below advertisement", "advertisement"),
    ("continue reading below", "advertisement"),
    ("scroll to continue with content", "advertisement"),
    ("continue reading", "related-links"),
    ("continue reading the main story", "related-links"),
    ("read more", "related-links"),
    ("read more stories", "related-links"),
    ("related", "related-links"),
    ("related articles", "related-links"),
    ("related stories", "related-links"),
    ("related content", "related-links"),
    ("related coverage", "related-links"),
    ("more on this story", "related-links"),
    ("recommended", "related-links"),
    ("you may also like", "related-links"),
    ("share", "share-prompt"),
    ("share this", "share-prompt"),
    ("share this article", "share-prompt"),
    ("share this story", "share-prompt"),
    ("share on facebook", "share-prompt"),
    ("share on twitter", "share-prompt"),
    ("tweet", "share-prompt"),
    ("email", "share-prompt"),
    ("print", "share-prompt"),
    ("copy link", "share-prompt"),
    ("get short url", "share-prompt"),
    ("comments", "comments"),
    ("view comments", "comments"),
    ("show comments", "comments"),
    ("leave a comment", "comments"),
    ("sign up", "subscription"),
    ("subscribe", "subscription"),
    ("subscribe now", "subscription"),
    ("newsletter", "subscription"),
    ("skip to main content", "navigation"),
    ("skip to content", "navigation"),
    ("back to top", "navigation"),
    ("loading", "navigation"),
    ("follow us", "share-prompt"),
    ("listen", "player-prompt"),
    ("listen live", "player-prompt"),
    ("listen to this article", "player-prompt"),
    ("play video", "player-prompt"),
    ("watch", "player-prompt"),
    ("image", "caption"),
    ("photo", "caption"),
    ("enlarge this image", "caption"),
    ("toggle caption", "caption"),
    ("hide caption", "caption"),
    ("image copyright", "caption"),
    ("image caption", "caption"),
    ("media playback is unsupported on your device", "player-prompt"),
    ("don't miss", "related-links"),
    ("don’t miss", "related-links"),
    ("must read", "related-links"),
    ("see also", "related-links"),
    ("also read", "related-links"),
    ("read also", "related-links"),
    ("more from", "related-links"),
    ("top stories", "related-links"),
    ("trending", "related-links"),
    ("most popular", "related-links"),
    ("most read", "related-links"),
    ("editor's picks", "related-links"),
    ("watch now", "player-prompt"),
    ("click to enlarge", "caption"),
    ("open image in gallery", "caption"),
];

/// The reason a short block is chrome, when it is one of the known chrome lines.
pub(crate) fn chrome_line(text: &str) -> Option<&'static str> {
    if text.len() > 60 {
        return None;
    }
    let mut key = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.trim().chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space && !key.is_empty() {
            key.push(' ');
        }
        pending_space = false;
        key.extend(c.to_lowercase());
    }
    let key =
        key.trim_end_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace() || matches!(c, '…' | '»' | '›'));
    CHROME_LINES.iter().find(|(line, _)| *line == key).map(|(_, reason)| *reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_names() {
        assert_eq!(class_signal(Some("post-comments"), None), ClassSignal::Boilerplate("comments"));
        assert_eq!(class_signal(Some("c-article-body"), Some("main")), ClassSignal::Content);
        assert_eq!(class_signal(None, Some("shareBar")), ClassSignal::Boilerplate("share-prompt"));
        assert_eq!(class_signal(Some("ad"), None), ClassSignal::Boilerplate("advertisement"));
        assert_eq!(class_signal(Some("header-lead"), None), ClassSignal::Neutral);
        assert_eq!(class_signal(Some("commentary"), None), ClassSignal::Neutral);
    }

    #[test]
    fn chrome_lines() {
        assert_eq!(chrome_line("  Advertisement "), Some("advertisement"));
        assert_eq!(chrome_line("Read more »"), Some("related-links"));
        assert_eq!(chrome_line("Read more about the budget in our explainer."), None);
    }
}

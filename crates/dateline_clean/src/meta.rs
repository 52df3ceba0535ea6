//! Metadata from an HTML page: headline, publication and modification times, authors, site
//! name, canonical address, tags, section and language.
//!
//! One walk over the tree ([`scan`]) gathers the raw material: `<meta>` and `<link>` tags,
//! JSON-LD blocks ([`jsonld`]), microdata, `<time>` elements, top headings, bylines and
//! datelines. Every value found is offered for its field with the rank of its source, and each
//! field takes the value of its most reliable source: JSON-LD article objects and `article:*`
//! meta tags first, then other meta tags, microdata, `<time>` elements, visible text and, for
//! the publication date, the page address last. Dates are parsed by [`crate::date::parse_date`].

mod jsonld;
mod names;
mod scan;
mod strings;
mod title;
mod url;

#[cfg(test)]
mod tests;

use chrono::Datelike;
use dateline_doc::{Diagnostic, Hints, Meta, Timestamp};
use scraper::Html;

use self::jsonld::{Kind, LdObject};
use self::names::{MAX_AUTHORS, Trust, push_authors};
use self::scan::{ClassFlags, Scan, TimePlace};
use self::strings::{clean_value, decode_entities, key, looks_like_url};
use self::title::{SiteClues, heading_matches, site_beside_heading, strip_site};

/// Metadata and extraction hints found in a page.
#[derive(Debug, Default)]
pub(crate) struct PageMeta {
    pub(crate) meta: Meta,
    /// The JSON-LD `articleBody`, when the page gives one.
    pub(crate) article_body: Option<String>,
    /// Every distinct form of the headline the page gives (the chosen title first, then the
    /// `og:title`, JSON-LD headline, top `<h1>` and `<title>` without the site name), whitespace
    /// normalised: the main-content extractor drops these from the start of the body.
    #[allow(dead_code, reason = "read by the main-content extractor as it adopts it")]
    pub(crate) headline_candidates: Vec<String>,
    /// The visible byline and dateline texts of the page ("By Jane Doe | January 19, 2021"),
    /// whitespace normalised, in page order: the main-content extractor may drop these.
    #[allow(dead_code, reason = "read by the main-content extractor as it adopts it")]
    pub(crate) bylines: Vec<String>,
}

/// Reads the page's metadata. Never fails: unreadable parts become diagnostics.
pub(crate) fn extract(document: &Html, hints: &Hints, diagnostics: &mut Vec<Diagnostic>) -> PageMeta {
    let scan = scan::scan(document);
    let objects = jsonld::read(&scan.json_ld, diagnostics);
    let mut offers = Offers::default();
    offers.meta_tags(&scan);
    let canonical = scan.canonical.and_then(|href| {
        let base = hints.url.as_deref().or_else(|| offers.urls.best().map(String::as_str));
        url::resolve(href, base)
    });
    let article = pick_article(&objects, canonical.as_deref().or(offers.urls.best().map(String::as_str)));
    if let Some(article) = article {
        offers.json_ld(article, 0);
    }
    if let Some(page) = objects.iter().find(|object| object.kind == Kind::Page) {
        offers.json_ld(page, 30);
    }
    for site in objects.iter().filter(|object| object.kind == Kind::Site) {
        offers.sites.add(12, site.name.clone());
    }
    offers.microdata(&scan);
    offers.times(&scan);
    let bylines = offers.visible(&scan);
    if let Some(url) = canonical {
        // A canonical link to the home page is a template default, not this page's address.
        let home = url::split(&url).is_none_or(|parts| parts.rest.trim_end_matches('/').is_empty());
        offers.urls.add(if home { 40 } else { 0 }, Some(url));
    }
    if let Some(lang) = scan.html_lang {
        offers.languages.add(0, Some(lang.to_owned()));
    }

    let url = offers.urls.best().cloned();
    let host = url.as_deref().or(hints.url.as_deref()).and_then(url::host);
    // Every address of the page, most reliable first: canonical link, `og:url`, JSON-LD, the
    // container's.
    let addresses: Vec<&str> = offers.urls.ranked().map(String::as_str).chain(hints.url.as_deref()).collect();
    // The labels of the page's hosts and the keys of its titles, to check stated site names by.
    let labels: Vec<String> = addresses
        .iter()
        .filter_map(|address| url::host(address))
        .filter_map(|host| url::site_label(&host).map(key))
        .collect();
    let title_keys: Vec<String> = offers
        .titles
        .0
        .iter()
        .filter(|(_, (_, kind))| *kind == TitleKind::Field)
        .map(|(_, (title, _))| key(title))
        .collect();
    let plausible = |name: &&String| plausible_site(name, &labels, &title_keys);
    let site = offers.sites.ranked().find(plausible).cloned();
    let clues = SiteClues { name: site.as_deref(), host: host.as_deref() };
    let (title, headline_candidates, suffix) = resolve_title(&scan, &offers, &clues);
    let published = offers
        .published
        .resolve()
        .or_else(|| addresses.iter().find_map(|address| url::date_in_path(address)).map(Timestamp::Date));
    let mut modified = offers.modified.resolve();
    if let (Some(published), Some(changed)) = (published, modified) {
        if earlier(&changed, &published) {
            diagnostics.push(Diagnostic::info(
                "modified-before-published",
                format!(
                    "the modification time {changed} is earlier than the publication time {published} and was dropped"
                ),
            ));
            modified = None;
        }
    }
    let meta = Meta {
        title,
        published,
        modified,
        authors: offers.resolve_authors(),
        site: site.or(suffix).or(host),
        url,
        tags: offers.resolve_tags(),
        section: offers.sections.best().cloned(),
        language: offers.languages.ranked().find_map(|lang| crate::normalize_language(lang)),
    };
    PageMeta { meta, article_body: article.and_then(|article| article.body.clone()), headline_candidates, bylines }
}

/// True when a stated site name can be believed: not an address, a handle or one of the page's
/// titles, and not a short code unrelated to the hosts (Reuters pages give `og:site_name`
/// "U.S."). `labels` are the main labels of the page's hosts, `titles` the keys of its titles.
fn plausible_site(name: &str, labels: &[String], titles: &[String]) -> bool {
    let name_key = key(name);
    if name_key.is_empty() || looks_like_url(name) || name.starts_with('@') || titles.contains(&name_key) {
        return false;
    }
    labels.is_empty() || name_key.chars().count() > 4 || labels.iter().any(|label| label.contains(&name_key))
}

/// Values offered for one field, each with the rank of its source: lower is more reliable, and
/// of equal ranks the first offered wins.
#[derive(Debug)]
struct Ranked<T>(Vec<(u8, T)>);

impl<T> Default for Ranked<T> {
    fn default() -> Self {
        Ranked(Vec::new())
    }
}

impl<T> Ranked<T> {
    /// Offers a value when there is one.
    fn add(&mut self, rank: u8, value: Option<T>) {
        if let Some(value) = value {
            self.0.push((rank, value));
        }
    }

    /// The values from the most reliable source down, in offer order within a rank.
    fn ranked(&self) -> impl Iterator<Item = &T> {
        let mut order: Vec<&(u8, T)> = self.0.iter().collect();
        order.sort_by_key(|(rank, _)| *rank);
        order.into_iter().map(|(_, value)| value)
    }

    /// The value of the most reliable source.
    fn best(&self) -> Option<&T> {
        let mut best: Option<&(u8, T)> = None;
        for offer in &self.0 {
            if best.is_none_or(|(rank, _)| offer.0 < *rank) {
                best = Some(offer);
            }
        }
        best.map(|(_, value)| value)
    }

    /// The distinct ranks offered, most reliable first.
    fn ranks(&self) -> Vec<u8> {
        let mut ranks: Vec<u8> = self.0.iter().map(|(rank, _)| *rank).collect();
        ranks.sort_unstable();
        ranks.dedup();
        ranks
    }

    /// The values offered at one rank.
    fn at(&self, rank: u8) -> impl Iterator<Item = &T> {
        self.0.iter().filter(move |(offered, _)| *offered == rank).map(|(_, value)| value)
    }
}

impl Ranked<Timestamp> {
    /// The most reliable time; a bare date is made precise by a less reliable source that gives
    /// a time on the same day.
    fn resolve(&self) -> Option<Timestamp> {
        let best = *self.best()?;
        if let Timestamp::Date(day) = best {
            let precise =
                self.ranked().find(|candidate| matches!(candidate, Timestamp::DateTime(_)) && candidate.date() == day);
            return Some(*precise.unwrap_or(&best));
        }
        Some(best)
    }

    /// Offers a date string, parsed by [`crate::date::parse_date`]; unreadable and implausible
    /// dates (CMS placeholders such as `0001-01-01`) are ignored.
    fn add_text(&mut self, rank: u8, text: Option<&str>) {
        self.add(rank, text.and_then(parse_time));
    }
}

/// A date string read by [`crate::date::parse_date`], when its year is plausible.
fn parse_time(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if text.is_empty() || text.len() > 200 {
        return None;
    }
    crate::date::parse_date(text).filter(|time| (1800..=2100).contains(&time.date().year()))
}

/// True when `a` is earlier than `b`; times are compared as instants when both have one, as
/// days otherwise.
fn earlier(a: &Timestamp, b: &Timestamp) -> bool {
    match (a, b) {
        (Timestamp::DateTime(a), Timestamp::DateTime(b)) => a < b,
        _ => a.date() < b.date(),
    }
}

/// A title candidate, and how its site name may be taken off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TitleKind {
    /// A title field: only a recognised site name is taken off.
    Field,
    /// A visible heading: taken as is.
    Heading,
}

/// Everything offered for every field.
#[derive(Debug, Default)]
struct Offers {
    titles: Ranked<(String, TitleKind)>,
    published: Ranked<Timestamp>,
    modified: Ranked<Timestamp>,
    authors: Ranked<(String, Trust)>,
    sites: Ranked<String>,
    urls: Ranked<String>,
    tags: Ranked<String>,
    sections: Ranked<String>,
    languages: Ranked<String>,
}

/// A short field value, cleaned, or `None` when empty or longer than `max` characters.
fn short(text: &str, max: usize) -> Option<String> {
    let value = clean_value(text);
    (!value.is_empty() && value.chars().count() <= max).then_some(value)
}

/// A web address as given, when it is one.
fn address(text: &str) -> Option<String> {
    let text = text.trim();
    url::split(text).is_some().then(|| text.to_owned())
}

impl Offers {
    /// Offers the values of `<meta>` tags by their names.
    fn meta_tags(&mut self, scan: &Scan<'_>) {
        for tag in &scan.metas {
            let content = tag.content;
            match tag.key.as_str() {
                "og:title" => self.title(10, content, TitleKind::Field),
                "twitter:title" => self.title(30, content, TitleKind::Field),
                "parsely-title" | "sailthru.title" | "dc.title" | "dcterms.title" | "title" | "headline" => {
                    self.title(31, content, TitleKind::Field);
                }
                "article:published_time" | "article:published" | "og:article:published_time" => {
                    self.published.add_text(10, Some(content));
                }
                "parsely-pub-date"
                | "sailthru.date"
                | "dc.date.issued"
                | "dcterms.issued"
                | "og:published_time"
                | "published_time"
                | "published-date"
                | "publish_date"
                | "publish-date"
                | "publishdate"
                | "pubdate"
                | "datepublished"
                | "date_published"
                | "article.published"
                | "article_date_original"
                | "original-publish-date"
                | "cxenseparse:recs:publishtime"
                | "citation_publication_date"
                | "rnews:datepublished"
                | "displaydate"
                | "dc.date.created"
                | "dcterms.created" => {
                    self.published.add_text(20, Some(content));
                }
                "date" | "dc.date" | "dcterms.date" | "citation_date" => self.published.add_text(25, Some(content)),
                "article:modified_time" | "article:modified" | "og:article:modified_time" => {
                    self.modified.add_text(10, Some(content));
                }
                "og:updated_time"
                | "article:updated_time"
                | "dcterms.modified"
                | "dc.date.modified"
                | "modified_time"
                | "datemodified"
                | "date_modified"
                | "article.updated"
                | "last-modified"
                | "lastmod"
                | "parsely-updated" => self.modified.add_text(20, Some(content)),
                "article:author" | "og:article:author" => self.author(10, content, Trust::Field),
                "author" => self.author(11, content, Trust::Field),
                "byl" => self.author(12, content, Trust::Field),
                "parsely-author" => self.author(13, content, Trust::Field),
                "sailthru.author" => self.author(14, content, Trust::Field),
                "dc.creator" | "dcterms.creator" => self.author(15, content, Trust::Field),
                "citation_author" => self.author(16, content, Trust::Field),
                "og:site_name" => self.sites.add(0, short(content, 100)),
                "application-name" => self.sites.add(20, short(content, 100)),
                "dc.publisher" | "dcterms.publisher" | "citation_publisher" => self.sites.add(21, short(content, 100)),
                "apple-mobile-web-app-title" => self.sites.add(22, short(content, 100)),
                "og:url" => self.urls.add(10, address(content)),
                "twitter:url" | "parsely-link" => self.urls.add(20, address(content)),
                "article:tag" | "og:article:tag" => self.tag(10, content),
                "news_keywords" => self.tag_list(20, content),
                "parsely-tags" | "sailthru.tags" => self.tag_list(21, content),
                "keywords" => self.tag_list(22, content),
                "dc.subject" | "dcterms.subject" => self.tag_list(23, content),
                "article:section" | "og:article:section" => self.section(10, content),
                "parsely-section" | "section" | "article.section" | "sailthru.section" => self.section(20, content),
                "content-language" => self.languages.add(10, Some(content.to_owned())),
                "og:locale" => self.languages.add(20, Some(content.to_owned())),
                "dc.language" | "dcterms.language" | "language" => self.languages.add(35, Some(content.to_owned())),
                "parsely-page" => self.parsely_page(content),
                _ => {}
            }
        }
    }

    fn title(&mut self, rank: u8, text: &str, kind: TitleKind) {
        self.titles.add(rank, short(text, 500).map(|title| (title, kind)));
    }

    fn author(&mut self, rank: u8, text: &str, trust: Trust) {
        let text = text.trim();
        if !text.is_empty() && text.len() <= 400 {
            self.authors.add(rank, Some((text.to_owned(), trust)));
        }
    }

    /// Offers each item of a comma-separated keyword list.
    fn tag_list(&mut self, rank: u8, text: &str) {
        for tag in decode_entities(text).split([',', ';']) {
            self.tag(rank, tag);
        }
    }

    /// Offers one tag; CMS-internal ones (`@river`, `/article`, `_no-apple-news`) are dropped.
    fn tag(&mut self, rank: u8, text: &str) {
        let tag = short(text.trim().trim_start_matches('#'), 100);
        self.tags.add(rank, tag.filter(|tag| tag.starts_with(char::is_alphanumeric)));
    }

    /// Offers a section; of a list written "News,Politics" the first is taken.
    fn section(&mut self, rank: u8, text: &str) {
        let text = match text.find(',') {
            Some(comma) if !text[comma + 1..].starts_with(' ') => &text[..comma],
            _ => text,
        };
        self.sections.add(rank, short(text, 80).filter(|section| !looks_like_url(section)));
    }

    /// The JSON object of the old Parse.ly `parsely-page` tag.
    fn parsely_page(&mut self, content: &str) {
        let Ok(serde_json::Value::Object(page)) = serde_json::from_str::<serde_json::Value>(content) else { return };
        let text = |name: &str| page.get(name).and_then(serde_json::Value::as_str);
        if let Some(title) = text("title") {
            self.title(31, title, TitleKind::Field);
        }
        self.published.add_text(20, text("pub_date"));
        if let Some(author) = text("author") {
            self.author(13, author, Trust::Field);
        }
        for author in page.get("authors").and_then(serde_json::Value::as_array).into_iter().flatten() {
            if let Some(author) = author.as_str() {
                self.author(13, author, Trust::Field);
            }
        }
        if let Some(section) = text("section") {
            self.section(20, section);
        }
        for tag in page.get("tags").and_then(serde_json::Value::as_array).into_iter().flatten() {
            if let Some(tag) = tag.as_str() {
                self.tag(21, tag);
            }
        }
    }

    /// Offers the fields of a JSON-LD object; `base` is 0 for the article, 30 for a page.
    fn json_ld(&mut self, object: &LdObject, base: u8) {
        let headline = if base == 0 {
            object.headline.as_ref().or(object.name.as_ref())
        } else {
            object.name.as_ref().or(object.headline.as_ref())
        };
        if let Some(headline) = headline {
            self.title(if base == 0 { 12 } else { 45 }, headline, TitleKind::Field);
        }
        self.published.add_text(base, object.published.as_deref());
        self.published.add_text(base + 1, object.created.as_deref());
        self.modified.add_text(base, object.modified.as_deref());
        for person in &object.persons {
            self.author(base, person, Trust::Field);
        }
        for organization in &object.organizations {
            self.author(55, organization, Trust::Field);
        }
        self.sites.add(base + 10, object.publisher.as_deref().and_then(|name| short(name, 100)));
        for keyword in &object.keywords {
            self.tag(base, keyword);
        }
        if let Some(section) = &object.section {
            self.section(base, section);
        }
        self.languages.add(base + 30, object.language.clone());
        self.urls.add(base / 2 + 15, object.url.as_deref().and_then(address));
    }

    /// Offers microdata properties outside nested items.
    fn microdata(&mut self, scan: &Scan<'_>) {
        for prop in &scan.itemprops {
            let value =
                || prop.value.map(|value| decode_entities(value).into_owned()).or_else(|| scan::text(prop.node, 200));
            for name in prop.props.split_ascii_whitespace() {
                match name.to_ascii_lowercase().as_str() {
                    "datepublished" => self.published.add_text(40, value().as_deref()),
                    "datecreated" => self.published.add_text(41, value().as_deref()),
                    "datemodified" => self.modified.add_text(40, value().as_deref()),
                    "headline" => {
                        if let Some(headline) = value() {
                            self.title(40, &headline, TitleKind::Field);
                        }
                    }
                    "author" | "creator" => {
                        let name = if prop.item { scan::item_name(prop.node) } else { None };
                        if let Some(name) = name.or_else(value) {
                            self.author(40, &name, Trust::Field);
                        }
                    }
                    "publisher" => {
                        let name = if prop.item { scan::item_name(prop.node) } else { value() };
                        self.sites.add(40, name.and_then(|name| short(&name, 100)));
                    }
                    "keywords" => {
                        if let Some(keywords) = value() {
                            self.tag_list(40, &keywords);
                        }
                    }
                    "articlesection" => {
                        if let Some(section) = value() {
                            self.section(40, &section);
                        }
                    }
                    "inlanguage" => self.languages.add(40, value()),
                    _ => {}
                }
            }
        }
    }

    /// Offers `<time>` elements: marked ones first, then those in bylines and article
    /// headers, then the first one elsewhere.
    fn times(&mut self, scan: &Scan<'_>) {
        for time in &scan.times {
            let parsed = time
                .datetime
                .and_then(parse_time)
                .or_else(|| scan::text(time.node, 100).as_deref().and_then(parse_time));
            let Some(parsed) = parsed else { continue };
            if time.modified {
                self.modified.add(50, Some(parsed));
                continue;
            }
            let rank = match time.place {
                TimePlace::Marked => 50,
                TimePlace::Byline => 51,
                TimePlace::Elsewhere => 52,
            };
            self.published.add(rank, Some(parsed));
        }
    }

    /// Offers what visible text gives: top headings, author links, bylines and datelines.
    /// Returns the byline and dateline texts.
    fn visible(&mut self, scan: &Scan<'_>) -> Vec<String> {
        for heading in &scan.headings {
            if let Some(text) = scan::text(*heading, 500) {
                self.titles.add(60, Some((text, TitleKind::Heading)));
            }
        }
        for link in &scan.rel_authors {
            if let Some(text) = scan::text(*link, 100) {
                self.author(45, &text, Trust::Visible);
            }
        }
        let mut texts: Vec<String> = Vec::new();
        for byline in &scan.bylines {
            let names = byline_names(*byline);
            for name in &names {
                self.author(50, name, Trust::Visible);
            }
            if let Some(text) = scan::text(*byline, 300) {
                if names.is_empty() {
                    self.author(50, &text, Trust::Visible);
                }
                self.dateline(&text);
                texts.push(text);
            }
        }
        for dateline in &scan.datelines {
            if let Some(text) = scan::text(*dateline, 120) {
                self.dateline(&text);
                texts.push(text);
            }
        }
        let mut seen = std::collections::HashSet::new();
        texts.retain(|text| seen.insert(text.clone()));
        texts
    }

    /// Offers the dates a visible byline or dateline states: each piece between separators and
    /// labels; a piece after "Updated" gives the modification time.
    fn dateline(&mut self, text: &str) {
        for piece in text.split(['|', '\u{2022}', '\u{b7}']).take(6) {
            for (label, part) in dateline_parts(piece) {
                if !part.chars().any(|c| c.is_ascii_digit()) {
                    continue;
                }
                let parsed = parse_time(part);
                if label == DateLabel::Updated {
                    self.modified.add(60, parsed);
                } else {
                    self.published.add(60, parsed);
                }
            }
        }
    }

    /// The authors from the most reliable source that names any.
    fn resolve_authors(&self) -> Vec<String> {
        for rank in self.authors.ranks() {
            let mut names = Vec::new();
            for (raw, trust) in self.authors.at(rank) {
                push_authors(raw, *trust, &mut names);
            }
            if !names.is_empty() {
                names.truncate(MAX_AUTHORS);
                return names;
            }
        }
        Vec::new()
    }

    /// The tags of the most reliable source that gives any, without duplicates.
    fn resolve_tags(&self) -> Vec<String> {
        let Some(rank) = self.tags.ranks().first().copied() else { return Vec::new() };
        let mut seen = std::collections::HashSet::new();
        self.tags.at(rank).filter(|tag| seen.insert(tag.to_lowercase())).take(100).cloned().collect()
    }
}

/// Names in a byline element: the texts of the links and name elements inside it.
fn byline_names(byline: scan::NodeRef<'_>) -> Vec<String> {
    let mut names = Vec::new();
    let mut seen = 0usize;
    scan::walk(byline, |node| {
        seen += 1;
        if seen > 200 || names.len() >= MAX_AUTHORS {
            return scan::Visit::Stop;
        }
        let scraper::Node::Element(element) = node.value() else { return scan::Visit::Skip };
        if node == byline {
            return scan::Visit::Descend;
        }
        let attrs = scan::Attrs::of(element);
        let named = element.name() == "a" || attrs.class_flags() & (scan::C_AUTHOR | scan::C_NAME) != 0;
        if named {
            if let Some(text) = scan::text(node, 100) {
                push_authors(&text, Trust::Visible, &mut names);
            }
            return scan::Visit::Skip;
        }
        scan::Visit::Descend
    });
    names
}

/// What a dateline's label says its date is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DateLabel {
    /// No label.
    None,
    /// "Published", "Posted".
    Published,
    /// "Updated", "Modified".
    Updated,
}

/// A dateline cut at its labels ("By Jane Doe Published: January 19, 2021 Updated on January
/// 20"): the text before the first label, then the text after each label, without the label.
fn dateline_parts(piece: &str) -> Vec<(DateLabel, &str)> {
    const LABELS: &[(&str, DateLabel)] = &[
        ("last updated", DateLabel::Updated),
        ("updated", DateLabel::Updated),
        ("modified", DateLabel::Updated),
        ("first published", DateLabel::Published),
        ("published", DateLabel::Published),
        ("posted", DateLabel::Published),
    ];
    let lower = piece.to_ascii_lowercase();
    let mut marks: Vec<(usize, usize, DateLabel)> = Vec::new();
    for (label, kind) in LABELS {
        let mut from = 0;
        while let Some(found) = lower[from..].find(label) {
            let at = from + found;
            let end = at + label.len();
            let overlaps = marks.iter().any(|&(start, stop, _)| at < stop && start < end);
            if !overlaps {
                marks.push((at, end, *kind));
            }
            from = end;
        }
    }
    marks.sort_unstable_by_key(|&(at, _, _)| at);
    let mut parts = Vec::new();
    let first = marks.first().map_or(piece.len(), |&(at, _, _)| at);
    parts.push((DateLabel::None, piece[..first].trim()));
    for (i, &(_, end, kind)) in marks.iter().enumerate() {
        let stop = marks.get(i + 1).map_or(piece.len(), |&(at, _, _)| at);
        let part = piece[end..stop].trim_start_matches(|c: char| c.is_whitespace() || c == ':');
        let part = part.strip_prefix("on ").or_else(|| part.strip_prefix("at ")).unwrap_or(part);
        parts.push((kind, part.trim()));
    }
    parts.retain(|(_, part)| !part.is_empty());
    parts
}

/// The article object of the page's JSON-LD: the one whose address is the page's when there
/// are several, else the first with a headline or a date.
fn pick_article<'o>(objects: &'o [LdObject], page_url: Option<&str>) -> Option<&'o LdObject> {
    let articles: Vec<&LdObject> = objects.iter().filter(|object| object.kind == Kind::Article).collect();
    if articles.len() > 1 {
        if let Some(page) = page_url.map(url_key) {
            if let Some(found) =
                articles.iter().find(|article| article.url.as_deref().map(url_key).as_ref() == Some(&page))
            {
                return Some(*found);
            }
        }
    }
    articles
        .iter()
        .find(|article| article.headline.is_some() || article.published.is_some())
        .or(articles.first())
        .copied()
}

/// An address reduced for comparison: no scheme, `www.`, query, fragment or trailing slash.
fn url_key(url: &str) -> String {
    let url = url.trim();
    let url = url.split_once("://").map_or(url, |(_, rest)| rest);
    let url = url.strip_prefix("www.").unwrap_or(url);
    let url = &url[..url.find(['?', '#']).unwrap_or(url.len())];
    url.trim_end_matches('/').to_lowercase()
}

/// Chooses the title, lists the headline candidates and returns the site name the `<title>`
/// gives, if it gives one.
fn resolve_title(
    scan: &Scan<'_>,
    offers: &Offers,
    clues: &SiteClues<'_>,
) -> (Option<String>, Vec<String>, Option<String>) {
    let page_title =
        scan.title.map(scan::child_text).map(|title| clean_value(&title)).filter(|title| !title.is_empty());
    let mut candidates: Vec<(u8, String)> = Vec::new();
    let mut suffix = None;
    if let Some(page_title) = &page_title {
        let stripped = strip_site(page_title, clues, true);
        let beside = offers
            .titles
            .0
            .iter()
            .filter(|(_, (_, kind))| *kind == TitleKind::Heading)
            .find_map(|(_, (heading, _))| site_beside_heading(page_title, heading));
        suffix = beside.or(stripped.suffix).filter(|suffix| suffix.chars().count() <= 60);
        candidates.push((50, stripped.headline));
    }
    for (rank, (title, kind)) in &offers.titles.0 {
        let title = match kind {
            TitleKind::Field => strip_site(title, clues, false).headline,
            TitleKind::Heading => title.clone(),
        };
        candidates.push((*rank, title));
    }
    // A top heading that the page title or a title field contains is the visible headline.
    let references: Vec<&str> = page_title
        .iter()
        .map(String::as_str)
        .chain(
            offers
                .titles
                .0
                .iter()
                .filter(|(_, (_, kind))| *kind == TitleKind::Field)
                .map(|(_, (title, _))| title.as_str()),
        )
        .collect();
    for (rank, (heading, kind)) in &offers.titles.0 {
        if *kind == TitleKind::Heading
            && *rank == 60
            && references.iter().any(|reference| heading_matches(heading, reference))
        {
            candidates.push((14, heading.clone()));
        }
    }
    candidates.sort_by_key(|(rank, _)| *rank);
    // One candidate per source: the first microdata headline or top heading, not every teaser's.
    candidates.dedup_by_key(|(rank, _)| *rank);
    let site_key = clues.name.map(key);
    let mut seen = std::collections::HashSet::new();
    let list: Vec<String> = candidates
        .into_iter()
        .map(|(_, title)| title)
        .filter(|title| !title.is_empty() && site_key.as_deref() != Some(key(title).as_str()))
        .filter(|title| seen.insert(key(title)))
        .take(8)
        .collect();
    (list.first().cloned(), list, suffix)
}

//! Chrome removal from scraped text: the visible text of a news page, menus, share prompts,
//! footers and all, becomes the article's paragraphs.
//!
//! The approach works line by line and in linear time:
//!
//! 1. Each line is classified: prose (long, with sentence punctuation and lower-case words),
//!    known chrome (a phrase of the vocabulary in `text/chrome.txt`, a bare timestamp, a
//!    byline, a tag list, a copyright line), or a short line of unknown role.
//! 2. Each line gets a weight, positive for prose and negative otherwise, and the article is
//!    the run of lines with the largest total weight: the densest run of prose, including the
//!    short subheadings and list items interleaved with it.
//! 3. The run is cut at lines that end an article (a comments header, a box of related
//!    stories) and at the byline or timestamp that starts one.
//! 4. Known chrome inside the run is removed; every removed line is recorded with its reason.
//!
//! Bare timestamp lines become the publication time, bylines become authors, and the line
//! that repeats the page's title becomes the title.

mod vocab;

use std::collections::HashSet;

use dateline_doc::{ParagraphKind, Removed, Timestamp};

use crate::Block;
use crate::date::find_timestamp;
use crate::normalize::normalize_paragraph;
use crate::text::vocab::Role;

/// What chrome removal keeps and finds.
#[derive(Debug, Default)]
pub(crate) struct TextCleaned {
    /// The article's paragraphs.
    pub(crate) blocks: Vec<Block>,
    /// Every removed line, with its reason.
    pub(crate) removed: Vec<Removed>,
    /// The headline, when a line repeats the page title.
    pub(crate) title: Option<String>,
    /// The publication time, from a bare timestamp line or a byline.
    pub(crate) published: Option<Timestamp>,
    /// Author names from bylines, in page order, without duplicates.
    pub(crate) authors: Vec<String>,
}

/// The bytes of a line's opening compared to find repeated lines.
const OPENING_LEN: usize = 60;

/// The longest line, in bytes, taken for a page title or a headline.
const MAX_TITLE_LEN: usize = 150;

/// The most words of a headline that reads like a sentence ("Does X Have $17 Million?").
const MAX_PROSE_TITLE_WORDS: usize = 15;

/// The weight added to the first prose line after the headline: the article starts there.
const HEADLINE_BONUS: i64 = 1000;

/// Prose before an end marker, in weighted characters, for the marker to end the article.
const MIN_PROSE_BEFORE_END: i64 = 300;

/// Lines after a box heading that may be the box's links.
const MAX_BOX_LINES: usize = 10;

/// Words of a line that can still be a marker (a box or comments heading).
const MAX_MARKER_WORDS: usize = 10;

/// The weight cap of one prose line, so that one huge line does not outweigh everything.
const MAX_PROSE_WEIGHT: i64 = 1000;

/// Common English function words, a sign of running text.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "of", "to", "in", "on", "at", "for", "with", "from", "by", "and", "or", "but", "is", "are",
    "was", "were", "be", "been", "has", "have", "had", "it", "its", "that", "this", "which", "who", "as", "not", "he",
    "she", "they", "we", "his", "her", "their", "will", "would", "said", "than", "after", "about", "into",
];

/// Words that may surround a timestamp on a line of its own.
const TIMESTAMP_WORDS: &[&str] = &[
    "published",
    "updated",
    "posted",
    "last",
    "modified",
    "on",
    "at",
    "date",
    "time",
    "first",
    "created",
    "by",
    "and",
    "am",
    "pm",
    "a",
    "p",
    "m",
    "uhr",
    "edited",
    "story",
    "this",
    "article",
    "was",
    "is",
    "originally",
    "appeared",
    "from",
    "et",
    "pt",
    "de",
    "le",
    "el",
];

/// What a line was classified as.
#[derive(Clone, Debug, PartialEq)]
enum Class {
    /// Running text.
    Prose,
    /// A short line that is not known chrome: a subheading, a list item, a menu entry.
    Short,
    /// Known chrome.
    Chrome { reason: &'static str, role: Role },
}

/// One non-empty line of the input and what is known about it.
#[derive(Debug)]
struct Line {
    /// The text with whitespace collapsed.
    text: String,
    /// The vocabulary key of the text.
    key: String,
    /// The number of words.
    words: usize,
    /// The length in characters, CJK characters counted twice.
    length: usize,
    class: Class,
    /// A timestamp the line states, for the publication time.
    timestamp: Option<Timestamp>,
    /// Names the line gives as authors.
    authors: Vec<String>,
}

impl Line {
    /// The line's weight in the search for the article's run.
    fn weight(&self) -> i64 {
        let length = i64::try_from(self.length).unwrap_or(i64::MAX);
        match self.class {
            Class::Prose => length.min(MAX_PROSE_WEIGHT),
            Class::Short => -(12 + length / 8),
            // Chrome that sits inside articles weighs like a short line; the rest separates
            // the article from the page around it.
            Class::Chrome { reason: "advertisement" | "player-prompt" | "share-prompt" | "caption", .. } => {
                -(12 + length / 8)
            }
            Class::Chrome { .. } => -(40 + length / 4),
        }
    }

    fn is_prose(&self) -> bool {
        self.class == Class::Prose
    }

    /// The chrome reason and role of the line, if it is known chrome.
    fn chrome(&self) -> Option<(&'static str, Role)> {
        match self.class {
            Class::Chrome { reason, role } => Some((reason, role)),
            _ => None,
        }
    }
}

/// Splits scraped text into paragraphs and removes the page chrome.
pub(crate) fn clean_text(text: &str) -> TextCleaned {
    let mut lines: Vec<Line> =
        text.lines().map(normalize_paragraph).filter(|line| !line.is_empty()).map(classify).collect();
    let page_title = mark_titles(&mut lines);
    mark_duplicates(&mut lines);
    let mut keep = vec![false; lines.len()];
    let mut reasons: Vec<Option<&'static str>> =
        lines.iter().map(|line| line.chrome().map(|(reason, _)| reason)).collect();

    let has_prose = lines.iter().any(Line::is_prose);
    let range = if has_prose { article_range(&lines, &mut reasons) } else { None };
    match range {
        Some((start, end)) => {
            for index in start..end {
                keep[index] = reasons[index].is_none();
            }
        }
        // Without any prose there is no article to find: keep whatever is not known chrome,
        // headlines included.
        None if !has_prose => {
            for (index, line) in lines.iter().enumerate() {
                keep[index] = matches!(line.chrome(), None | Some(("title", _)));
            }
        }
        None => {}
    }
    trim_to_positive(&lines, &mut keep);

    let first_kept = keep.iter().position(|&kept| kept).unwrap_or(lines.len());
    let (title_index, title) = find_title(&lines, first_kept, page_title);
    let published = find_published(&lines, first_kept);

    let mut cleaned = TextCleaned { title, published, ..TextCleaned::default() };
    for line in &lines {
        for author in &line.authors {
            if !cleaned.authors.contains(author) {
                cleaned.authors.push(author.clone());
            }
        }
    }
    for (index, line) in lines.iter().enumerate() {
        if keep[index] {
            let next_prose = lines[index + 1..]
                .iter()
                .zip(&keep[index + 1..])
                .find(|(_, kept)| **kept)
                .is_some_and(|(next, _)| next.is_prose());
            cleaned.blocks.push(Block { kind: paragraph_kind(line, next_prose), text: line.text.clone() });
        } else {
            let is_title = Some(index) == title_index || (index == 0 && page_title);
            let reason = if is_title { "title" } else { default_reason(line, reasons[index]) };
            cleaned.removed.push(Removed { text: line.text.clone(), reason: reason.to_owned() });
        }
    }
    cleaned
}

/// Marks the lines that repeat the page title (the first line, as scrapers write the
/// document title first) or one of its parts between separators, as headline chrome. Returns
/// whether the first line looks like a page title.
fn mark_titles(lines: &mut [Line]) -> bool {
    let Some(first) = lines.first() else { return false };
    if first.chrome().is_some() || first.words < 2 || first.text.len() > MAX_TITLE_LEN {
        return false;
    }
    let mut marked = first.key.clone();
    for separator in TITLE_SEPARATORS {
        marked = marked.replace(separator, "\u{1}");
    }
    let mut parts: Vec<String> =
        marked.split('\u{1}').map(str::trim).filter(|part| part.len() >= 12).map(str::to_owned).collect();
    parts.push(first.key.clone());
    let mut repeated = false;
    for line in &mut lines[1..] {
        let candidate = line.class == Class::Short || (line.is_prose() && line.words <= MAX_PROSE_TITLE_WORDS);
        if candidate && line.key.len() >= 12 && parts.contains(&line.key) {
            line.class = Class::Chrome { reason: "title", role: Role::Line };
            repeated = true;
        }
    }
    // A first line that reads like a sentence is a page title only when it is short and
    // repeated.
    if lines[0].is_prose() {
        if !repeated || lines[0].words > MAX_PROSE_TITLE_WORDS {
            return false;
        }
        lines[0].class = Class::Chrome { reason: "title", role: Role::Line };
    }
    true
}

/// Marks prose lines that repeat several earlier lines run together (a summary or a
/// metadata dump of the article after the article) as duplicates.
fn mark_duplicates(lines: &mut [Line]) {
    let mut starts: HashSet<&str> = HashSet::new();
    let mut duplicates = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        if !line.is_prose() {
            continue;
        }
        let text = line.text.as_str();
        let hits = sentence_starts(text)
            .filter_map(|position| opening(&text[position..]))
            .filter(|window| starts.contains(window))
            .take(2)
            .count();
        if hits >= 2 {
            duplicates.push(index);
        } else if let Some(window) = opening(text) {
            starts.insert(window);
        }
    }
    for index in duplicates {
        lines[index].class = Class::Chrome { reason: "duplicate", role: Role::Line };
    }
}

/// Byte positions where sentences start inside `text`: its start and after ". ", "! ", "? ".
fn sentence_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(
        memchr::memchr_iter(b' ', text.as_bytes())
            .filter(|&space| space > 0 && matches!(text.as_bytes()[space - 1], b'.' | b'!' | b'?'))
            .map(|space| space + 1),
    )
}

/// The first [`OPENING_LEN`] bytes of `text`, cut at a character boundary, when it is that
/// long.
fn opening(text: &str) -> Option<&str> {
    if text.len() < OPENING_LEN {
        return None;
    }
    let mut end = OPENING_LEN;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Some(&text[..end])
}

/// The reason recorded for a removed line: its chrome reason, else one by its shape.
fn default_reason(line: &Line, reason: Option<&'static str>) -> &'static str {
    match reason {
        Some(reason) => reason,
        None if line.is_prose() => "boilerplate",
        None if line.words <= MAX_MARKER_WORDS => "navigation",
        None => "related-links",
    }
}

/// The half-open range of line indices holding the article, or `None` when nothing does.
/// Lines inside the range that the markers show to be chrome get their reason in `reasons`.
fn article_range(lines: &[Line], reasons: &mut [Option<&'static str>]) -> Option<(usize, usize)> {
    let mut weights: Vec<i64> = lines.iter().map(Line::weight).collect();
    // The headline is the first line after the page title that repeats it, and the first prose
    // line soon after it is very likely the article's start.
    let headline =
        lines.iter().skip(1).position(|line| matches!(line.chrome(), Some(("title", _)))).map(|offset| offset + 1);
    if let Some(headline) = headline
        && let Some(offset) = lines[headline + 1..].iter().take(8).position(Line::is_prose)
    {
        weights[headline + 1 + offset] += HEADLINE_BONUS;
    }
    let (mut start, mut end) = densest_run(&weights)?;
    // Prefix sums of the prose weight, so that the prose between two lines costs nothing.
    let mut prose_sums = Vec::with_capacity(lines.len() + 1);
    prose_sums.push(0);
    for line in lines {
        let weight = if line.is_prose() { line.weight() } else { 0 };
        prose_sums.push(prose_sums.last().copied().unwrap_or(0) + weight);
    }
    let prose = |from: usize, to: usize| -> i64 { prose_sums[to] - prose_sums[from] };
    // A headline line among the first lines starts the article, and so does the headline
    // itself with less prose before it than after it, a timestamp among the first lines and
    // the last byline with less prose before it than after it.
    let mut prose_lines = 0;
    let mut title_cut = None;
    let mut cut = None;
    for (index, line) in lines.iter().enumerate().take(end).skip(start) {
        if line.is_prose() {
            prose_lines += 1;
            continue;
        }
        match line.chrome() {
            Some(("timestamp", _)) if prose_lines < 2 => cut = Some(index),
            Some(("title", _))
                if prose(index + 1, end) >= MIN_PROSE_BEFORE_END
                    && (prose_lines < 3
                        || (Some(index) == headline && prose(start, index) < prose(index + 1, end))) =>
            {
                title_cut = Some(index);
            }
            Some(("byline", _)) if prose(start, index) < prose(index + 1, end) => cut = Some(index),
            _ => {}
        }
    }
    if let Some(cut) = cut.max(title_cut) {
        start = cut + 1;
    }
    // A marker that ends the article cuts the run after enough prose. A one-word marker
    // ("Comments") may also be a link in a share bar above the article: it ends the article
    // only when the prose after it is not much heavier, and otherwise starts it.
    let mut index = start;
    while index < end {
        let line = &lines[index];
        let marker = line.chrome().filter(|_| !line.is_prose() && line.words <= MAX_MARKER_WORDS);
        match marker {
            Some((reason, Role::End)) => {
                let before = prose(start, index);
                let after = prose(index + 1, end);
                let one_word = !line.key.contains(' ');
                // More prose after a box of related links than before it: the box sits inside
                // the article, which goes on after it.
                if reason == "related-links" && after > before {
                    index = skip_box(lines, reasons, index, end, reason);
                    continue;
                }
                // The prose that would become the article is the prose up to the next marker.
                let next_end = lines[index + 1..end]
                    .iter()
                    .position(|next| matches!(next.chrome(), Some((_, Role::End))) && !next.is_prose())
                    .map_or(end, |offset| index + 1 + offset);
                let after_heavier = one_word && before * 3 < prose(index + 1, next_end);
                if before >= MIN_PROSE_BEFORE_END && !after_heavier {
                    end = index;
                    break;
                }
                if after_heavier {
                    start = index + 1;
                }
                index += 1;
            }
            Some((reason, Role::Box)) => {
                let next = skip_box(lines, reasons, index, end, reason);
                if next >= end && prose(start, index) >= MIN_PROSE_BEFORE_END {
                    end = index;
                    break;
                }
                index = next;
            }
            _ => index += 1,
        }
    }
    (start < end).then_some((start, end))
}

/// Marks the short lines after a box heading at `index` as the box's links, up to the next
/// prose line, and returns the index after the box.
fn skip_box(
    lines: &[Line],
    reasons: &mut [Option<&'static str>],
    index: usize,
    end: usize,
    reason: &'static str,
) -> usize {
    let mut next = index + 1;
    while next < end && next - index <= MAX_BOX_LINES && !lines[next].is_prose() {
        reasons[next].get_or_insert(reason);
        next += 1;
    }
    next
}

/// The run of lines with the largest total weight (Kadane's algorithm), as a half-open range.
fn densest_run(weights: &[i64]) -> Option<(usize, usize)> {
    let mut best: Option<(i64, usize, usize)> = None;
    let mut sum = 0;
    let mut run_start = 0;
    for (index, &weight) in weights.iter().enumerate() {
        if sum <= 0 {
            sum = 0;
            run_start = index;
        }
        sum += weight;
        if sum > 0 && best.is_none_or(|(best_sum, _, _)| sum > best_sum) {
            best = Some((sum, run_start, index + 1));
        }
    }
    best.map(|(_, start, end)| (start, end))
}

/// Drops kept lines from both ends of the article while a leading or trailing stretch of kept
/// lines weighs nothing or less, so that cleaning the result again finds the same run.
fn trim_to_positive(lines: &[Line], keep: &mut [bool]) {
    let kept: Vec<usize> = (0..lines.len()).filter(|&index| keep[index]).collect();
    if kept.is_empty() || !kept.iter().any(|&index| lines[index].is_prose()) {
        return;
    }
    let mut sum = 0;
    let mut drop_until = 0;
    for (position, &index) in kept.iter().enumerate() {
        sum += lines[index].weight();
        if sum <= 0 {
            drop_until = position + 1;
        }
    }
    for &index in &kept[..drop_until] {
        keep[index] = false;
    }
    let kept = &kept[drop_until..];
    let mut sum = 0;
    let mut drop_from = kept.len();
    for (position, &index) in kept.iter().enumerate().rev() {
        sum += lines[index].weight();
        if sum <= 0 {
            drop_from = position;
        }
    }
    for &index in &kept[drop_from..] {
        keep[index] = false;
    }
}

/// The separators between a page title's parts ("Headline | Site").
const TITLE_SEPARATORS: [&str; 8] = [" | ", " - ", " – ", " — ", " :: ", " · ", " • ", " / "];

/// The headline: the line nearest before the article that repeats the page title, else the
/// longest part of the page title itself.
fn find_title(lines: &[Line], first_kept: usize, page_title: bool) -> (Option<usize>, Option<String>) {
    let is_title = |line: &Line| matches!(line.chrome(), Some(("title", _)));
    let nearest = lines[..first_kept.min(lines.len())].iter().rposition(is_title);
    if let Some(index) = nearest.or_else(|| lines.iter().position(is_title)) {
        return (Some(index), Some(lines[index].text.clone()));
    }
    if !page_title || first_kept == 0 {
        return (None, None);
    }
    let mut text = lines[0].text.clone();
    for separator in TITLE_SEPARATORS {
        text = text.replace(separator, "\u{1}");
    }
    let longest = text.split('\u{1}').map(str::trim).max_by_key(|part| part.len()).unwrap_or_default();
    (None, (longest.split(' ').count() >= 3).then(|| longest.to_owned()))
}

/// The publication time: the timestamp nearest before the article, else the first one in it.
fn find_published(lines: &[Line], first_kept: usize) -> Option<Timestamp> {
    lines[..first_kept.min(lines.len())]
        .iter()
        .rev()
        .find_map(|line| line.timestamp)
        .or_else(|| lines.iter().find_map(|line| line.timestamp))
}

/// The paragraph kind of a kept line.
fn paragraph_kind(line: &Line, next_is_prose: bool) -> ParagraphKind {
    if is_bulleted(&line.text) {
        ParagraphKind::Item
    } else if !line.is_prose() && line.words <= 15 && !ends_sentence(&line.text) && next_is_prose {
        ParagraphKind::Heading
    } else {
        ParagraphKind::Text
    }
}

/// True for a line that starts with a bullet or a list number.
fn is_bulleted(text: &str) -> bool {
    let mut chars = text.chars();
    match chars.next() {
        Some('•' | '·' | '▪' | '■' | '●' | '◦' | '‣' | '○' | '*' | '–' | '-' | '—' | '►' | '▶' | '✓' | '✔') => {
            chars.next().is_some_and(char::is_whitespace)
        }
        Some(c) if c.is_ascii_digit() => {
            let rest = text.trim_start_matches(|c: char| c.is_ascii_digit());
            text.len() - rest.len() <= 2 && (rest.starts_with(". ") || rest.starts_with(") "))
        }
        _ => false,
    }
}

/// Classifies one line, whitespace already collapsed.
fn classify(text: String) -> Line {
    let words = text.split(' ').count();
    let length = text.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum();
    let key = vocab::key(&text);
    let mut line = Line { text, key, words, length, class: Class::Short, timestamp: None, authors: Vec::new() };
    if let Some(authors) = byline(&line.text) {
        line.authors = authors;
        line.timestamp = find_timestamp(&line.text).map(|(timestamp, _)| timestamp);
        line.class = Class::Chrome { reason: "byline", role: Role::Line };
        return line;
    }
    if let Some(timestamp) = bare_timestamp(&line.text) {
        line.timestamp = Some(timestamp);
        // "Posted on March 3, 2020 by Ann Whitley" names the author too.
        if let Some(by) = line.text.to_ascii_lowercase().find(" by ") {
            line.authors = names(&line.text[by + 4..]).unwrap_or_default();
        }
        line.class = Class::Chrome { reason: "timestamp", role: Role::Line };
        return line;
    }
    let comment_header = [" says", " said", " wrote"].iter().any(|verb| line.key.ends_with(verb));
    if line.words <= 14 && comment_header && line.text.ends_with(':') {
        line.class = Class::Chrome { reason: "comments", role: Role::End };
        return line;
    }
    // "About Acme Corp" after a press release heads the company's boilerplate.
    if line.key.starts_with("about ")
        && (2..=4).contains(&line.words)
        && line.text.split(' ').skip(1).all(|word| word.chars().next().is_some_and(char::is_uppercase))
        && !ends_sentence(&line.text)
    {
        line.class = Class::Chrome { reason: "boilerplate", role: Role::End };
        return line;
    }
    if let Some(rule) = vocab::lookup(&line.key, line.text.len()) {
        let applies = line.words <= 30 || !matches!(rule.reason, "navigation" | "share-prompt" | "related-links");
        if applies {
            line.class = Class::Chrome { reason: rule.reason, role: rule.role };
            return line;
        }
    }
    if let Some(reason) = list_line(&line.text) {
        line.class = Class::Chrome { reason, role: Role::Line };
        return line;
    }
    if is_prose(&line.text, words, length) {
        line.class = Class::Prose;
    }
    line
}

/// True for characters of scripts written without spaces, which say more per character.
fn is_wide(c: char) -> bool {
    matches!(c, '\u{1100}'..='\u{11FF}' | '\u{2E80}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}')
}

/// True when the text ends like a sentence, closing quotes and brackets aside.
fn ends_sentence(text: &str) -> bool {
    let trimmed = text.trim_end_matches(|c: char| {
        c.is_whitespace() || matches!(c, '"' | '\'' | '”' | '’' | '»' | ')' | ']' | '」' | '』' | '*')
    });
    trimmed.ends_with(['.', '!', '?', '…', '。', '！', '？', ':', '؟', '।'])
}

/// True for a line of running text.
fn is_prose(text: &str, words: usize, length: usize) -> bool {
    let mut cased = 0;
    let mut lower = 0;
    let mut function = 0;
    for word in text.split(' ') {
        let Some(first) = word.chars().find(|c| c.is_alphabetic()) else { continue };
        if first.is_lowercase() {
            lower += 1;
            cased += 1;
        } else if first.is_uppercase() {
            cased += 1;
        }
        let bare = word.trim_matches(|c: char| !c.is_alphanumeric());
        if FUNCTION_WORDS.iter().any(|function_word| function_word.eq_ignore_ascii_case(bare)) {
            function += 1;
        }
    }
    // Scripts without case (CJK, Arabic, Thai) are judged by length and punctuation alone.
    let caseless = cased * 2 < words;
    let lower_enough = caseless || lower * 10 >= cased * 4 || function * 5 >= words;
    let sentence = ends_sentence(text) || text.contains(". ") || text.contains("。");
    if length >= 150 {
        return lower_enough || sentence && lower * 5 >= cased;
    }
    if length >= 50 && sentence {
        return lower_enough;
    }
    words >= 6 && ends_sentence(text) && function >= 2
}

/// The authors of a byline line ("By Jane Doe and John Roe | Reuters", "Written by Jane
/// Doe"), or `None` when the line is not a byline.
fn byline(text: &str) -> Option<Vec<String>> {
    let lower = text.to_ascii_lowercase();
    let rest_start =
        ["by ", "written by ", "words by ", "story by ", "reported by ", "posted by ", "author: ", "authors: "]
            .iter()
            .find(|prefix| lower.starts_with(*prefix))
            .map(|prefix| prefix.len())?;
    if text.len() > 200 {
        return None;
    }
    let authors = names(&text[rest_start..])?;
    // Whatever follows the names (an agency, a role, a time) must be short.
    (text.split(' ').count() <= 16 && !ends_sentence(text.trim_end_matches('.'))).then_some(authors)
}

/// The names a byline gives after its "By": chunks between commas, bars and "and" that look
/// like names, starting with the first chunk. A time among them is skipped.
fn names(byline: &str) -> Option<Vec<String>> {
    let mut rest = byline.to_owned();
    if let Some((_, range)) = find_timestamp(&rest) {
        rest.replace_range(range, "|");
    }
    let mut authors = Vec::new();
    for (position, chunk) in rest
        .split([',', '|', '•', '·', '/', '&', '—', '–'])
        .flat_map(|part| part.split(" and "))
        .map(str::trim)
        .enumerate()
    {
        if chunk.is_empty() {
            continue;
        }
        if is_name(chunk) {
            authors.push(chunk.to_owned());
        } else if position == 0 {
            return None;
        }
    }
    (!authors.is_empty()).then_some(authors)
}

/// Words that make a capitalised phrase an organisation rather than a person.
const ORGANISATION_WORDS: &[&str] = &[
    "Press",
    "News",
    "Reuters",
    "Agency",
    "Agence",
    "Staff",
    "Times",
    "Post",
    "Media",
    "Network",
    "Service",
    "Bureau",
    "Desk",
    "Team",
    "Editors",
    "Editorial",
    "Online",
    "Radio",
    "Television",
    "TV",
    "Wire",
    "Daily",
    "Associated",
    "Newsroom",
    "Correspondent",
    "Reporter",
    "Writer",
    "Contributor",
    "Magazine",
    "Journal",
    "Group",
    "Company",
];
/// True for a person's name as bylines write it: two to four capitalised words.
fn is_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && !words.iter().any(|word| ORGANISATION_WORDS.contains(word))
        && words.iter().all(|word| {
            let mut chars = word.chars();
            chars.next().is_some_and(char::is_uppercase)
                && chars.all(|c| c.is_alphabetic() || matches!(c, '.' | '\'' | '’' | '-'))
        })
}

/// The timestamp of a line that holds little else: "09:52 GMT19 January 2021", "Updated:
/// Jan. 19, 2021 9:52 a.m. ET", "New Delhi | Published: 19 Jan 2021".
fn bare_timestamp(text: &str) -> Option<Timestamp> {
    if text.len() > 120 {
        return None;
    }
    let (timestamp, range) = find_timestamp(text)?;
    let rest = format!("{} {}", &text[..range.start], &text[range.end..]);
    let mut words = 0;
    for word in rest.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()) {
        words += 1;
        let first_upper = word.chars().next().is_some_and(char::is_uppercase);
        let known = TIMESTAMP_WORDS.iter().any(|known| known.eq_ignore_ascii_case(word));
        if !(first_upper || known || word.bytes().all(|b| b.is_ascii_digit())) {
            return None;
        }
    }
    (words <= 8).then_some(timestamp)
}

/// The reason for a line that is a list of short labels rather than text: tags ("Politics,
/// Elections, Congress") or menu entries run together ("Home | World | Business").
fn list_line(text: &str) -> Option<&'static str> {
    if ends_sentence(text) {
        return None;
    }
    let pipes = text.matches(" | ").count();
    if pipes >= 2 {
        let items = text.split(" | ").map(str::trim);
        if items.clone().all(|item| item.split(' ').count() <= 4) {
            return Some("navigation");
        }
    }
    let items: Vec<&str> = text.split([',', '•', '·']).map(str::trim).collect();
    let is_tags = items.len() >= 3
        && items.iter().all(|item| {
            let words = item.split(' ').count();
            (1..=4).contains(&words) && item.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        });
    is_tags.then_some("tag-list")
}

#[cfg(test)]
mod tests;

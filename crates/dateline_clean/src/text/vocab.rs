//! The chrome vocabulary: phrases that mark a line of scraped text as page chrome, with the
//! reason recorded for its removal.
//!
//! The phrases are data, in `chrome.txt` beside this file, so that they can be read and
//! extended without reading code. They are parsed once into hash maps (whole lines and line
//! starts) and substring finders (phrases anywhere in a line).

use std::collections::HashMap;
use std::sync::LazyLock;

use memchr::memmem;

/// The vocabulary as written.
const CHROME: &str = include_str!("chrome.txt");

/// Lines longer than this (in bytes) are not searched for `~` phrases: a long paragraph that
/// happens to contain one is body text.
const MAX_CONTAINS_LEN: usize = 600;

/// Caption phrases such as "getty images" are searched only in lines up to this length.
const MAX_CAPTION_LEN: usize = 200;

/// Only this many leading bytes of a key are tried as line starts.
const MAX_PREFIX_LEN: usize = 64;

/// What a chrome line means for the lines around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Role {
    /// The line alone is chrome.
    Line,
    /// The line ends the article: what follows is chrome too.
    End,
    /// The line heads a box of links: the short lines right after it are links.
    Box,
}

/// A vocabulary match: why the line is chrome, and what it means for its neighbours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Rule {
    /// The removal reason, a short kebab-case code.
    pub(super) reason: &'static str,
    /// What the line means for the lines around it.
    pub(super) role: Role,
}

/// The parsed vocabulary.
struct Vocabulary {
    whole: HashMap<&'static str, Rule>,
    starts: HashMap<&'static str, Rule>,
    contains: Vec<(memmem::Finder<'static>, Rule)>,
    words: HashMap<&'static str, Rule>,
}

static VOCABULARY: LazyLock<Vocabulary> = LazyLock::new(|| parse(CHROME));

/// Parses the vocabulary text. A malformed rule is a bug in `chrome.txt`, caught by the tests.
fn parse(text: &'static str) -> Vocabulary {
    let mut vocabulary =
        Vocabulary { whole: HashMap::new(), starts: HashMap::new(), contains: Vec::new(), words: HashMap::new() };
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((reason, rest)) = line.split_once(char::is_whitespace) else { continue };
        let Some((kind, phrase)) = rest.trim_start().split_once(char::is_whitespace) else { continue };
        let phrase = phrase.trim();
        let (role, kind) = match kind {
            "=" | "^" | "~" | "w" => (Role::Line, kind),
            "end=" | "end^" | "end~" => (Role::End, &kind[3..]),
            "box=" | "box^" => (Role::Box, &kind[3..]),
            _ => continue,
        };
        let rule = Rule { reason, role };
        match kind {
            "=" => {
                vocabulary.whole.entry(phrase).or_insert(rule);
            }
            "^" => {
                vocabulary.starts.entry(phrase).or_insert(rule);
            }
            "w" => {
                vocabulary.words.entry(phrase).or_insert(rule);
            }
            _ => vocabulary.contains.push((memmem::Finder::new(phrase.as_bytes()), rule)),
        }
    }
    vocabulary
}

/// True for characters trimmed from both ends of a key: decoration around menu entries and
/// prompts, such as "» Read more:" or "Share this |".
fn is_trimmed(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '»' | '«'
                | '›'
                | '‹'
                | '•'
                | '·'
                | '|'
                | '-'
                | '–'
                | '—'
                | ':'
                | ';'
                | ','
                | '.'
                | '*'
                | '>'
                | '<'
                | '▶'
                | '►'
                | '▸'
                | '■'
                | '●'
                | '▪'
                | '★'
                | '→'
                | '←'
                | '+'
                | '!'
                | '?'
                | '"'
                | '\''
                | '“'
                | '”'
                | '‘'
                | '’'
                | '…'
                | '/'
                | '\\'
                | '~'
                | '_'
                | '='
                | '^'
        )
}

/// The key a line is looked up by: lower case, whitespace collapsed to single spaces, digit
/// runs written as `#`, typographic apostrophes made plain, decoration trimmed from both ends.
pub(super) fn key(line: &str) -> String {
    let mut trimmed = line.trim_matches(is_trimmed);
    for (open, close) in [('[', ']'), ('(', ')')] {
        if let Some(inner) = trimmed.strip_prefix(open).and_then(|rest| rest.strip_suffix(close))
            && !inner.contains([open, close])
        {
            trimmed = inner.trim_matches(is_trimmed);
        }
    }
    let mut key = String::with_capacity(trimmed.len());
    let mut space = false;
    let mut digits = false;
    for c in trimmed.chars() {
        if c.is_whitespace() {
            space = true;
            digits = false;
            continue;
        }
        if space && !key.is_empty() {
            key.push(' ');
        }
        space = false;
        if c.is_ascii_digit() {
            if !digits {
                key.push('#');
            }
            digits = true;
            continue;
        }
        digits = false;
        match c {
            '’' | '‘' => key.push('\''),
            c if c.is_ascii() => key.push(c.to_ascii_lowercase()),
            c => key.extend(c.to_lowercase()),
        }
    }
    key
}

/// The rule a line's key matches, if any: the whole key first, then its starts (cut before a
/// non-alphanumeric character), then phrases anywhere in it. `line_len` is the line's length
/// in bytes.
pub(super) fn lookup(key: &str, line_len: usize) -> Option<Rule> {
    let vocabulary = &*VOCABULARY;
    if key.is_empty() {
        return None;
    }
    if let Some(rule) = vocabulary.whole.get(key) {
        return Some(*rule);
    }
    for (index, c) in key.char_indices().skip(1) {
        if index > MAX_PREFIX_LEN {
            break;
        }
        if !c.is_alphanumeric()
            && let Some(rule) = vocabulary.starts.get(&key[..index])
        {
            return Some(*rule);
        }
    }
    if let Some(rule) = vocabulary.starts.get(key) {
        return Some(*rule);
    }
    if let Some(rule) = word_run(vocabulary, key) {
        return Some(rule);
    }
    if line_len > MAX_CONTAINS_LEN {
        return None;
    }
    vocabulary
        .contains
        .iter()
        .find(|(finder, rule)| {
            (rule.reason != "caption" || line_len <= MAX_CAPTION_LEN) && finder.find(key.as_bytes()).is_some()
        })
        .map(|(_, rule)| *rule)
}

/// The rule of a line made of several chrome words run together ("facebook twitter email"):
/// each word is a `w` word or a whole-line phrase of one word. The first word's reason wins.
fn word_run(vocabulary: &Vocabulary, key: &str) -> Option<Rule> {
    let mut first = None;
    let mut count = 0;
    for word in key.split(' ') {
        let word = word.trim_matches(is_trimmed);
        if word.is_empty() {
            continue;
        }
        let rule = vocabulary.words.get(word).or_else(|| vocabulary.whole.get(word))?;
        first.get_or_insert(Rule { reason: rule.reason, role: Role::Line });
        count += 1;
    }
    if count >= 2 { first } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(line: &str, expected: Option<(&str, Role)>) {
        let found = lookup(&key(line), line.len()).map(|rule| (rule.reason, rule.role));
        assert_eq!(found, expected, "line: {line:?}");
    }

    #[test]
    fn vocabulary_is_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for line in CHROME.lines().map(str::trim).filter(|line| !line.is_empty() && !line.starts_with('#')) {
            let fields: Vec<&str> = line.splitn(3, char::is_whitespace).filter(|field| !field.is_empty()).collect();
            let mut parts = line.split_whitespace();
            let reason = parts.next().unwrap();
            let kind = parts.next().unwrap_or("");
            let phrase = parts.collect::<Vec<_>>().join(" ");
            assert!(fields.len() >= 2, "malformed rule: {line:?}");
            assert!(
                ["=", "^", "~", "w", "end=", "end^", "end~", "box=", "box^"].contains(&kind),
                "unknown kind {kind:?} in {line:?}"
            );
            assert!(reason.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "reason not kebab-case: {line:?}");
            assert!(!phrase.is_empty(), "empty phrase: {line:?}");
            // A phrase that keys differently could never match a line.
            if kind.ends_with('=') || kind == "w" {
                assert_eq!(key(&phrase), phrase, "phrase is not a key: {line:?}");
            } else if kind.ends_with('^') {
                assert_eq!(key(&phrase), phrase.trim_end_matches(is_trimmed), "phrase is not a key start: {line:?}");
            }
            let map = kind.trim_start_matches("end").trim_start_matches("box");
            assert!(seen.insert((map.to_owned(), phrase.clone())), "duplicate phrase: {line:?}");
        }
    }

    #[test]
    fn keys() {
        assert_eq!(key("  » Read   More: "), "read more");
        assert_eq!(key("12 Comments"), "# comments");
        assert_eq!(key("© 2019 The Times"), "© # the times");
        assert_eq!(key("Don’t miss"), "don't miss");
    }

    #[test]
    fn matches() {
        check("Listen Live", Some(("player-prompt", Role::Line)));
        check("Get short URL", Some(("share-prompt", Role::Line)));
        check("Share on Facebook", Some(("share-prompt", Role::Line)));
        check("Shares in the company rose.", None);
        check("37 Comments", Some(("comments", Role::End)));
        check("Related", Some(("related-links", Role::Box)));
        check("Related: Why the sky is blue", Some(("related-links", Role::Line)));
        check("[Related: Why the sky is blue]", Some(("related-links", Role::Line)));
        check("© 2021 Example Media", Some(("copyright", Role::Line)));
        check("We use cookies to give you the best experience.", Some(("cookie-notice", Role::Line)));
        check("Tags: Politics, Elections", Some(("tag-list", Role::Line)));
        check("Protesters marched (Image: GETTY)", Some(("caption", Role::Line)));
        check("The protest was large.", None);
        check("[ 167 comments ]", Some(("comments", Role::End)));
        check("Whatsapp Facebook Pint Email", Some(("share-prompt", Role::Line)));
        check("Home Depot", None);
    }
}

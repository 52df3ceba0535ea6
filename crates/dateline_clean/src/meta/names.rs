//! Author names as pages write them: in meta tags and JSON-LD, where the page says the value is
//! an author, and in visible bylines, where a name has to look like one to be believed.

use super::strings::{decode_entities, looks_like_url, word_count};

/// The most authors a page is taken to have.
pub(super) const MAX_AUTHORS: usize = 10;

/// How far a raw author string is trusted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Trust {
    /// A field that names authors (a meta tag, JSON-LD, microdata): anything name-shaped is kept.
    Field,
    /// Visible byline text: only parts that look like a person's name are kept.
    Visible,
}

/// Words that make a part a job title or a label rather than a name.
const ROLE_WORDS: &[&str] = &[
    "staff",
    "writer",
    "writers",
    "reporter",
    "reporters",
    "correspondent",
    "editor",
    "editors",
    "columnist",
    "contributor",
    "contributors",
    "updated",
    "published",
    "posted",
    "photographer",
    "producer",
];

/// Words never part of a name in visible text.
const VISIBLE_STOP_WORDS: &[&str] = &[
    "share",
    "comment",
    "comments",
    "follow",
    "read",
    "more",
    "view",
    "profile",
    "email",
    "contact",
    "subscribe",
    "newsletter",
    "sign",
    "login",
    "log",
    "photo",
    "photos",
    "image",
    "images",
    "video",
    "min",
    "mins",
    "ago",
    "news",
    "press",
    "associated",
    "the",
    "about",
    "all",
    "articles",
    "stories",
    "posts",
    "home",
    "menu",
    "search",
    "advertisement",
    "sponsored",
    "click",
    "here",
    "opinion",
    "twitter",
    "facebook",
    "linkedin",
    "instagram",
    "bio",
    "biography",
    "by",
    "and",
    "author",
    "authors",
    "latest",
    "today",
    "yesterday",
];

/// Lower-case name particles that may stand between the capitalised words of a name.
const PARTICLES: &[&str] = &[
    "de", "da", "di", "del", "della", "der", "den", "van", "von", "la", "le", "du", "dos", "das", "bin", "ibn", "al",
    "el", "y", "ter", "ten", "zu", "af", "st.",
];

/// Values that fill author fields without naming anyone.
const PLACEHOLDERS: &[&str] =
    &["admin", "administrator", "unknown", "anonymous", "null", "none", "undefined", "guest", "editor", "staff"];

/// Whether a lower-case word is a weekday or month name or their abbreviation, which ends a
/// byline before its date.
fn is_date_word(lower: &str) -> bool {
    const ABBREVIATIONS: &[&str] = &[
        "mon", "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun", "jan", "feb", "mar", "apr", "jun", "jul",
        "aug", "sep", "sept", "oct", "nov", "dec",
    ];
    ABBREVIATIONS.contains(&lower) || dateline_doc::WEEKDAYS.contains(&lower) || dateline_doc::MONTHS.contains(&lower)
}

/// Labels that introduce a byline, lower-case.
const LABELS: &[&str] = &[
    "written by",
    "posted by",
    "words by",
    "story by",
    "reporting by",
    "report by",
    "text by",
    "authors:",
    "author:",
    "by:",
    "by",
    "par",
    "por",
];

/// Splits a raw author string into names and appends the new ones to `out` (without
/// duplicates, ignoring case, at most [`MAX_AUTHORS`]).
pub(super) fn push_authors(raw: &str, trust: Trust, out: &mut Vec<String>) {
    let text = crate::normalize_paragraph(&decode_entities(raw));
    if text.is_empty() || text.len() > 400 || looks_like_url(&text) {
        return;
    }
    let text = match trust {
        Trust::Field => text.as_str(),
        Trust::Visible => cut_byline(&text),
    };
    let text = strip_label(text);
    let parts = split_parts(text);
    let several = parts.len() > 1;
    for part in parts {
        if out.len() >= MAX_AUTHORS {
            return;
        }
        let Some(name) = clean_part(part, trust) else { continue };
        if (several || trust == Trust::Visible) && has_word(&name, ROLE_WORDS) {
            continue;
        }
        if !out.iter().any(|seen| seen.to_lowercase() == name.to_lowercase()) {
            out.push(name);
        }
    }
}

/// The part of a visible byline before dates and labels that follow the names.
fn cut_byline(text: &str) -> &str {
    let mut end = text.find(|c: char| c.is_ascii_digit()).unwrap_or(text.len());
    let lower = text.to_ascii_lowercase();
    for marker in
        [" on ", " at ", " updated", " published", " posted", " last updated", " | ", " \u{2022} ", " \u{b7} "]
    {
        if let Some(found) = lower.find(marker) {
            end = end.min(found);
        }
    }
    let mut cut = text[..end].trim_end();
    // Drop a weekday or month name left in front of the cut date ("Jane Doe Monday, January 19").
    while let Some((head, last)) = cut.rsplit_once(' ') {
        let last = last.trim_end_matches(['.', ',']).to_lowercase();
        if is_date_word(&last) {
            cut = head.trim_end();
        } else {
            break;
        }
    }
    cut
}

/// `text` without a leading "By", "Written by", "Author:" and the like.
fn strip_label(mut text: &str) -> &str {
    loop {
        let trimmed = text.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '-' | '\u{2014}' | '|' | ':'));
        let mut stripped = None;
        for label in LABELS {
            let Some(head) = trimmed.get(..label.len()) else { continue };
            if !head.eq_ignore_ascii_case(label) {
                continue;
            }
            let rest = &trimmed[label.len()..];
            // A label ending in a letter must end a word ("By Jane", not "Byron").
            if label.ends_with(':') || rest.starts_with(|c: char| c.is_whitespace() || c == ':') {
                stripped = Some(rest);
                break;
            }
        }
        // A one-word label in any language ("Text: Jane Doe", "Текст: Венера Ерофеева").
        if stripped.is_none() {
            if let Some((label, rest)) = trimmed.split_once(':') {
                if !label.trim().is_empty()
                    && word_count(label) == 1
                    && label.chars().count() <= 20
                    && !rest.trim().is_empty()
                {
                    stripped = Some(rest);
                }
            }
        }
        match stripped {
            Some(rest) => text = rest,
            None => return trimmed,
        }
    }
}

/// Splits at commas, semicolons, bars, slashes and conjunctions.
fn split_parts(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    for piece in text.split([',', ';', '|', '/', '\u{2022}', '\u{b7}']) {
        let mut rest = piece;
        loop {
            let next = [" and ", " & ", " und ", " et ", " y "]
                .iter()
                .filter_map(|conjunction| rest.find(conjunction).map(|at| (at, conjunction.len())))
                .min();
            match next {
                Some((at, len)) => {
                    parts.push(&rest[..at]);
                    rest = &rest[at + len..];
                }
                None => {
                    parts.push(rest);
                    break;
                }
            }
        }
    }
    parts.into_iter().map(str::trim).filter(|part| !part.is_empty()).collect()
}

/// One name out of a split part, or `None` when the part is not one.
fn clean_part(part: &str, trust: Trust) -> Option<String> {
    let part = strip_label(part);
    let part = part.strip_prefix("and ").unwrap_or(part);
    // Drop a trailing parenthetical ("Jane Doe (Reuters)").
    let part = match part.find('(') {
        Some(open) if open > 0 => &part[..open],
        _ => part,
    };
    // Drop handles and e-mail addresses.
    let words: Vec<&str> = part.split_whitespace().filter(|word| !word.contains('@')).collect();
    let name = words.join(" ");
    let name = name.trim_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | ':' | ';' | '-' | '\u{2014}'));
    let name = restore_initial(part, name);
    let chars = name.chars().count();
    if !(2..=80).contains(&chars) || !name.chars().any(char::is_alphabetic) || looks_like_url(&name) {
        return None;
    }
    if name.contains(['<', '>', '{', '}', '=', '\\']) || PLACEHOLDERS.contains(&name.to_lowercase().as_str()) {
        return None;
    }
    let count = words.len();
    match trust {
        Trust::Field => (count <= 8).then_some(name),
        Trust::Visible => looks_like_person(&name).then_some(name),
    }
}

/// Puts back the full stop of a trailing initial that trimming took off ("Jane Q." stays so).
fn restore_initial(original: &str, trimmed: &str) -> String {
    let last = trimmed.rsplit(' ').next().unwrap_or("");
    let is_initial = last.chars().count() == 1 && last.chars().all(char::is_uppercase);
    if is_initial && original.contains(&format!("{trimmed}.")) { format!("{trimmed}.") } else { trimmed.to_owned() }
}

/// True when visible text has the shape of a person's name: two to five words, capitalised
/// (or in a script without case), with no digits or punctuation that names do not carry.
fn looks_like_person(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    if !(2..=5).contains(&words.len()) || name.chars().count() > 50 {
        return false;
    }
    if name.chars().any(|c| {
        c.is_ascii_digit()
            || matches!(
                c,
                ':' | '|' | '(' | ')' | '[' | ']' | '"' | '!' | '?' | '#' | '*' | '+' | '\u{201c}' | '\u{201d}'
            )
    }) {
        return false;
    }
    if has_word(name, VISIBLE_STOP_WORDS) {
        return false;
    }
    let capitalised = |word: &str| word.chars().next().is_some_and(|c| c.is_alphabetic() && !c.is_lowercase());
    let last_ok = words.last().is_some_and(|word| capitalised(word));
    last_ok && words.iter().all(|word| capitalised(word) || PARTICLES.contains(&word.to_lowercase().as_str()))
}

/// True when one of the words of `text`, lower-cased and without edge punctuation, is in `list`.
fn has_word(text: &str, list: &[&str]) -> bool {
    text.split_whitespace()
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .any(|word| list.contains(&word.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(raw: &str, trust: Trust) -> Vec<String> {
        let mut out = Vec::new();
        push_authors(raw, trust, &mut out);
        out
    }

    #[test]
    fn splits_bylines() {
        assert_eq!(names("By Jane Doe and John Roe", Trust::Visible), ["Jane Doe", "John Roe"]);
        assert_eq!(names("By Jane Doe, John Roe & Ann Lee", Trust::Visible), ["Jane Doe", "John Roe", "Ann Lee"]);
        assert_eq!(names("BY JANE DOE", Trust::Visible), ["JANE DOE"]);
        assert_eq!(names("By Jane Doe, Staff Writer", Trust::Visible), ["Jane Doe"]);
        assert_eq!(names("By Jane Doe on January 19, 2021", Trust::Visible), ["Jane Doe"]);
        assert_eq!(names("Jane Doe January 19, 2021 10:00 am", Trust::Visible), ["Jane Doe"]);
        assert_eq!(names("By Jane Doe | Updated 3 hours ago", Trust::Visible), ["Jane Doe"]);
        assert_eq!(names("Jane Doe @janedoe jane@example.com", Trust::Visible), ["Jane Doe"]);
        assert_eq!(
            names("By Ludwig van Beethoven and Jane Q. Public", Trust::Visible),
            ["Ludwig van Beethoven", "Jane Q. Public"]
        );
    }

    #[test]
    fn rejects_non_names_in_visible_text() {
        assert!(names("Share this article", Trust::Visible).is_empty());
        assert!(names("Read more stories by this author", Trust::Visible).is_empty());
        assert!(names("Associated Press", Trust::Visible).is_empty());
        assert!(names("jane doe", Trust::Visible).is_empty());
        assert!(names("Byron", Trust::Visible).is_empty());
    }

    #[test]
    fn fields_are_trusted_more() {
        assert_eq!(names("Reuters", Trust::Field), ["Reuters"]);
        assert_eq!(names("By Jamelle Bouie", Trust::Field), ["Jamelle Bouie"]);
        assert_eq!(names("jane doe", Trust::Field), ["jane doe"]);
        assert!(names("https://www.facebook.com/janedoe", Trust::Field).is_empty());
        assert!(names("admin", Trust::Field).is_empty());
    }

    #[test]
    fn dedupes_ignoring_case_and_caps() {
        let mut out = Vec::new();
        push_authors("Jane Doe", Trust::Field, &mut out);
        push_authors("JANE DOE and John Roe", Trust::Field, &mut out);
        assert_eq!(out, ["Jane Doe", "John Roe"]);
        let many: Vec<String> = (0..20).map(|i| format!("Name{i} Person")).collect();
        let mut out = Vec::new();
        push_authors(&many.join(", "), Trust::Field, &mut out);
        assert_eq!(out.len(), MAX_AUTHORS);
    }
}

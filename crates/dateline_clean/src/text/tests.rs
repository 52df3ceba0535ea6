//! Tests of chrome removal: hand-written scraped pages under `test_data/text/` with their
//! expected output, focused checks of single rules, and properties on arbitrary text.
//!
//! Each `test_data/text/NAME.txt` is cleaned and rendered as text (title, publication time,
//! authors, the kept blocks with their kinds, the removed lines with their reasons) and
//! compared with `NAME.expected`. Run with `UPDATE_EXPECT=1` to write the expected files after
//! a deliberate change, then review the diff.

use std::path::Path;

use proptest::prelude::*;

use super::*;

/// Renders what cleaning found, one item per line, for comparison with an expected file.
fn render(cleaned: &TextCleaned) -> String {
    let mut out = String::new();
    out.push_str(&format!("title: {}\n", cleaned.title.as_deref().unwrap_or("-")));
    out.push_str(&format!("published: {}\n", cleaned.published.map_or("-".to_owned(), |time| time.to_string())));
    out.push_str(&format!("authors: {}\n", cleaned.authors.join("; ")));
    out.push_str("--- kept\n");
    for block in &cleaned.blocks {
        let kind = match block.kind {
            ParagraphKind::Text => "text",
            ParagraphKind::Heading => "heading",
            ParagraphKind::Item => "item",
            ParagraphKind::Quote => "quote",
            ParagraphKind::Other => "other",
        };
        out.push_str(&format!("[{kind}] {}\n", block.text));
    }
    out.push_str("--- removed\n");
    for removed in &cleaned.removed {
        out.push_str(&format!("{}: {}\n", removed.reason, removed.text));
    }
    out
}

/// Cleans every page under `test_data/text/` and compares it with its expected output.
#[test]
fn scraped_pages() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("test_data/text");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut pages: Vec<_> = std::fs::read_dir(&folder)
        .expect("test_data/text exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "txt"))
        .collect();
    pages.sort();
    assert!(!pages.is_empty(), "no pages in {}", folder.display());
    let mut failures = Vec::new();
    for page in pages {
        let input = std::fs::read_to_string(&page).expect("readable page");
        let actual = render(&clean_text(&input));
        let expected_path = page.with_extension("expected");
        if update {
            std::fs::write(&expected_path, &actual).expect("writable expected file");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if actual != expected {
            failures.push(format!("{}:\n{actual}", page.display()));
        }
    }
    assert!(
        failures.is_empty(),
        "output differs from the expected files (UPDATE_EXPECT=1 rewrites them):\n{}",
        failures.join("\n")
    );
}

/// The texts of the kept blocks.
fn kept(text: &str) -> Vec<String> {
    clean_text(text).blocks.into_iter().map(|block| block.text).collect()
}

/// A paragraph long enough to count as prose.
const PROSE: &str = "The council said on Tuesday that the bridge would close in March so that engineers could \
                     replace the corroded bearings that hold up the main span.";

#[test]
fn glued_timestamp_becomes_the_publication_time() {
    let cleaned = clean_text(&format!("Menu\n09:52 GMT19 January 2021\n{PROSE}\n{PROSE}"));
    assert_eq!(cleaned.published.map(|time| time.to_string()).as_deref(), Some("2021-01-19T09:52:00Z"));
    assert!(cleaned.removed.iter().any(|removed| removed.reason == "timestamp"));
    assert_eq!(cleaned.blocks.len(), 2);
}

#[test]
fn relative_times_are_not_timestamps() {
    let cleaned = clean_text(&format!("Published 3 hours ago\n{PROSE}"));
    assert_eq!(cleaned.published, None);
}

#[test]
fn bylines_give_authors() {
    let cleaned = clean_text(&format!("By Jane Doe and John Roe, Reuters\n{PROSE}"));
    assert_eq!(cleaned.authors, ["Jane Doe", "John Roe"]);
    assert_eq!(kept(&format!("By Jane Doe\n{PROSE}")), [PROSE]);
}

#[test]
fn sentences_starting_with_by_are_kept() {
    let line = "By the end of the week, officials expect the flood water to have gone down in most streets.";
    assert_eq!(kept(&format!("{PROSE}\n{line}\n{PROSE}")), [PROSE, line, PROSE]);
}

#[test]
fn subheadings_and_items_inside_the_body_are_kept() {
    let text = format!(
        "Home\nNews\n{PROSE}\nWhat happens next\n{PROSE}\n• Buses will divert.\n• Trains run as usual.\n{PROSE}"
    );
    let cleaned = clean_text(&text);
    let kinds: Vec<ParagraphKind> = cleaned.blocks.iter().map(|block| block.kind).collect();
    assert_eq!(
        kinds,
        [
            ParagraphKind::Text,
            ParagraphKind::Heading,
            ParagraphKind::Text,
            ParagraphKind::Item,
            ParagraphKind::Item,
            ParagraphKind::Text
        ]
    );
}

#[test]
fn comments_end_the_article() {
    let text = format!("{PROSE}\n{PROSE}\n{PROSE}\n23 Comments\n{PROSE}\n{PROSE}");
    assert_eq!(kept(&text).len(), 3);
}

#[test]
fn text_without_prose_keeps_what_is_not_chrome() {
    assert_eq!(kept("Breaking: earthquake hits the coast\nShare on Facebook"), ["Breaking: earthquake hits the coast"]);
    assert!(kept("").is_empty());
}

#[test]
fn repeated_summaries_are_removed() {
    let first = "Officials said the storm had brought down power lines across the north of the county overnight.";
    let second = "Engineers expect to restore power to most homes by Thursday evening, the utility company said.";
    let summary = format!("{first} {second}");
    let text = format!("{first}\n{second}\n{PROSE}\nHome\n{summary}");
    let cleaned = clean_text(&text);
    assert!(cleaned.removed.iter().any(|removed| removed.reason == "duplicate"));
    assert_eq!(cleaned.blocks.len(), 3);
}

/// Cleans `lines` twice and checks that the second pass keeps the same blocks and removes
/// nothing.
fn check_idempotent(lines: &[&str]) {
    let first = clean_text(&lines.join("\n"));
    let joined: Vec<String> = first.blocks.iter().map(|block| block.text.clone()).collect();
    let second = clean_text(&joined.join("\n\n"));
    let again: Vec<String> = second.blocks.iter().map(|block| block.text.clone()).collect();
    assert_eq!(again, joined, "input: {lines:?}");
    assert!(second.removed.is_empty(), "removed on the second pass of {lines:?}: {:?}", second.removed);
}

/// Cases the idempotency property once failed on: a first line taken for a page title.
#[test]
fn idempotent_on_past_failures() {
    check_idempotent(&["Share on Facebook", ", A"]);
    check_idempotent(&["Home", "What happens next", "Menu", "What happens next"]);
}

/// Lines of the kind scraped pages are made of, to build arbitrary pages from.
fn page_line() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(PROSE.to_owned()),
        Just("Share on Facebook".to_owned()),
        Just("Home".to_owned()),
        Just("Related".to_owned()),
        Just("12 Comments".to_owned()),
        Just("By Jane Doe".to_owned()),
        Just("09:52 GMT19 January 2021".to_owned()),
        Just("What happens next".to_owned()),
        Just("• A list item.".to_owned()),
        Just("Advertisement".to_owned()),
        Just("© 2021 Example Media".to_owned()),
        "[a-zA-Z ,.]{1,80}",
        "[A-Z][a-z]{2,8}( [a-z]{2,8}){8,20}\\.",
        any::<String>(),
    ]
}

proptest! {
    #[test]
    fn never_panics(text in any::<String>()) {
        let _ = clean_text(&text);
    }

    /// Cleaning the kept paragraphs again removes nothing more: the article's run holds only
    /// lines that are not chrome, and is trimmed so that no leading or trailing stretch of it
    /// weighs nothing, so the second pass finds the same run. One known exception is left out
    /// of the generated lines: a short sentence (15 words or fewer) that opens the kept text
    /// and is repeated word for word later in it reads as a page title on the second pass.
    #[test]
    fn cleaning_is_idempotent(lines in prop::collection::vec(page_line(), 0..40)) {
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        check_idempotent(&lines);
    }
}

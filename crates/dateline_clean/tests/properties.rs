//! Properties of the cleaning stage over generated pages: spans stay in bounds and on
//! character boundaries, the clean text is normalised, and cleaning what was cleaned changes
//! nothing.

use dateline_clean::clean;
use dateline_doc::{Article, BodyKind, Hints, RawDoc, Source, SourceFormat};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

fn raw(kind: BodyKind, body: String) -> RawDoc {
    RawDoc {
        id: "generated".to_owned(),
        source: Source { uri: "generated".to_owned(), format: SourceFormat::Html },
        kind,
        body,
        hints: Hints::default(),
        diagnostics: Vec::new(),
    }
}

/// The invariants every article keeps, whatever the input.
fn check_invariants(article: &Article) {
    let text = &article.text;
    let mut previous_end = 0;
    for paragraph in &article.paragraphs {
        assert!(paragraph.start < paragraph.end, "empty paragraph {paragraph:?}");
        assert!(paragraph.end <= text.len(), "paragraph {paragraph:?} out of bounds");
        assert!(text.is_char_boundary(paragraph.start) && text.is_char_boundary(paragraph.end));
        assert!(paragraph.start >= previous_end, "paragraphs overlap or are out of order");
        previous_end = paragraph.end;
        let body = &text[paragraph.start..paragraph.end];
        assert_eq!(body.trim(), body, "paragraph has outer spaces");
        assert!(!body.contains("  ") && !body.contains('\n') && !body.contains('\u{a0}'), "{body:?}");
    }
    let nfc: String = text.nfc().collect();
    assert_eq!(&nfc, text, "clean text is not NFC");
}

/// Markup of a hostile kind: random tags, attributes, entities and text.
fn html_soup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-zA-Z ,.!?\u{a0}\u{200b}é中]{0,40}",
        Just("<p>".to_owned()),
        Just("</p>".to_owned()),
        Just("<div class=\"share\">".to_owned()),
        Just("<div class=\"article-body\">".to_owned()),
        Just("</div>".to_owned()),
        Just("<a href=\"x\">".to_owned()),
        Just("</a>".to_owned()),
        Just("<br>".to_owned()),
        Just("<h2>".to_owned()),
        Just("<li>".to_owned()),
        Just("<script>var a = '<p>';</script>".to_owned()),
        Just("<!-- <p> -->".to_owned()),
        Just("&amp;&nbsp;&#x41;".to_owned()),
        Just("<table><tr><td>1<td>2</table>".to_owned()),
        Just("<span class=\"caption\" data-x='a>b'>".to_owned()),
    ];
    proptest::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

/// An article of prose paragraphs.
fn prose_paragraphs() -> impl Strategy<Value = Vec<String>> {
    let word = proptest::sample::select(vec![
        "the",
        "minister",
        "said",
        "on",
        "Tuesday",
        "that",
        "talks",
        "with",
        "officials",
        "would",
        "resume",
        "in",
        "Geneva",
        "after",
        "a",
        "pause",
        "of",
        "two",
        "weeks",
        "and",
        "both",
        "sides",
        "agreed",
        "to",
        "continue",
    ]);
    let sentence = proptest::collection::vec(word, 6..18).prop_map(|words| {
        let mut sentence = words.join(" ");
        sentence[..1].make_ascii_uppercase();
        sentence.push('.');
        sentence
    });
    let paragraph = proptest::collection::vec(sentence, 1..4).prop_map(|sentences| sentences.join(" "));
    proptest::collection::vec(paragraph, 1..8)
}

/// A page holding `paragraphs` as its article, between a menu and a footer.
fn page(paragraphs: &[String]) -> String {
    let body: String = paragraphs.iter().map(|paragraph| format!("<p>{paragraph}</p>")).collect();
    format!(
        "<html><body><nav><a href=/>Home</a></nav><article>{body}</article><footer>© Example</footer></body></html>"
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn any_markup_gives_well_formed_articles(html in html_soup()) {
        check_invariants(&clean(&raw(BodyKind::Html, html)));
    }

    #[test]
    fn any_text_gives_well_formed_articles(text in "[a-zA-Z0-9 ,.:©\n\u{a0}\t-]{0,400}") {
        check_invariants(&clean(&raw(BodyKind::Text, text.clone())));
        check_invariants(&clean(&raw(BodyKind::Verbatim, text)));
    }

    #[test]
    fn verbatim_cleaning_is_idempotent(text in "[a-zA-Z ,.\n\u{a0}]{0,300}") {
        let once = clean(&raw(BodyKind::Verbatim, text));
        let twice = clean(&raw(BodyKind::Verbatim, once.text.clone()));
        prop_assert_eq!(once.text, twice.text);
    }

    #[test]
    fn extracted_articles_extract_to_themselves(paragraphs in prose_paragraphs()) {
        let once = clean(&raw(BodyKind::Html, page(&paragraphs)));
        prop_assert_eq!(&once.text, &paragraphs.join("\n\n"));
        let kept: Vec<String> = once.paragraphs.iter().map(|p| once.text[p.start..p.end].to_owned()).collect();
        let twice = clean(&raw(BodyKind::Html, page(&kept)));
        prop_assert_eq!(once.text, twice.text);
    }
}

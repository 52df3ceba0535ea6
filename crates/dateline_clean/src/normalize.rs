//! Text normalisation and the builder that lays blocks out as the clean text.
//!
//! The clean text is Unicode NFC, uses plain spaces only, has whitespace collapsed inside each
//! paragraph and separates paragraphs with one blank line. Every later layer's offsets point
//! into it, so it is built here once.

use dateline_doc::{Paragraph, ParagraphKind};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// True for characters that separate words like a space: ASCII whitespace, no-break spaces,
/// the Unicode space separators, line and paragraph separators.
pub(crate) fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{00A0}' | '\u{2007}' | '\u{202F}' | '\u{FEFF}')
}

/// True for invisible format characters dropped from the clean text: zero-width spaces and
/// joiners outside words, soft hyphens, directional marks, other controls.
fn is_dropped(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}' | '\u{2066}'..='\u{2069}'
    ) || (c.is_control() && !c.is_whitespace())
}

/// Appends `text` to `out` with whitespace runs collapsed to one space, odd spaces made plain
/// and invisible characters dropped. Leading and trailing whitespace is not written; `pending`
/// carries a space owed from a previous call, so that pieces of one paragraph can be appended
/// in turn.
pub(crate) fn push_collapsed(out: &mut String, text: &str, pending_space: &mut bool) {
    for c in text.chars() {
        if is_space(c) {
            *pending_space = true;
        } else if is_dropped(c) {
            continue;
        } else {
            if *pending_space && !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            *pending_space = false;
            out.push(c);
        }
    }
}

/// Collapses whitespace and normalises one paragraph: the result has no leading, trailing or
/// doubled spaces and is NFC.
pub fn normalize_paragraph(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending = false;
    push_collapsed(&mut out, text, &mut pending);
    to_nfc(out)
}

/// Returns `text` in Unicode NFC, without copying when it already is.
pub(crate) fn to_nfc(text: String) -> String {
    match is_nfc_quick(text.chars()) {
        IsNormalized::Yes => text,
        _ => text.nfc().collect(),
    }
}

/// Lays out paragraphs as the clean text and records their spans.
#[derive(Debug, Default)]
pub(crate) struct TextBuilder {
    text: String,
    paragraphs: Vec<Paragraph>,
}

impl TextBuilder {
    /// Appends one paragraph; it is normalised first and skipped when empty.
    pub(crate) fn push(&mut self, kind: ParagraphKind, raw: &str) {
        let paragraph = normalize_paragraph(raw);
        if paragraph.is_empty() {
            return;
        }
        if !self.text.is_empty() {
            self.text.push_str("\n\n");
        }
        let start = self.text.len();
        self.text.push_str(&paragraph);
        self.paragraphs.push(Paragraph { start, end: self.text.len(), kind });
    }

    /// The text and the paragraph spans.
    pub(crate) fn finish(self) -> (String, Vec<Paragraph>) {
        (self.text, self.paragraphs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapses_odd_spaces() {
        assert_eq!(normalize_paragraph("  a\u{00A0}\u{00A0}b\t\nc\u{200B}d  "), "a b cd");
    }

    #[test]
    fn composes_to_nfc() {
        assert_eq!(normalize_paragraph("Cafe\u{0301}"), "Caf\u{00E9}");
    }

    #[test]
    fn builder_spans() {
        let mut builder = TextBuilder::default();
        builder.push(ParagraphKind::Heading, " Title ");
        builder.push(ParagraphKind::Text, "   ");
        builder.push(ParagraphKind::Text, "Body  text.");
        let (text, paragraphs) = builder.finish();
        assert_eq!(text, "Title\n\nBody text.");
        assert_eq!(paragraphs.len(), 2);
        assert_eq!(paragraphs[1].range().slice(&text), "Body text.");
    }
}

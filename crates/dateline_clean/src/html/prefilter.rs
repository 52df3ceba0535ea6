//! A byte-level pass that empties `<script>`, `<style>` and `<svg>` elements before parsing.
//!
//! On news pages about half of the bytes are scripts and style sheets, which never hold article
//! text, and tokenising them costs as much as tokenising the text. This pass finds them with
//! `memchr` and drops their contents, keeping the tags themselves, so the parsed tree has the
//! same shape. JSON-LD scripts are kept whole: metadata is read from them.

use std::borrow::Cow;

use memchr::memchr;

/// Elements whose contents are dropped.
const EMPTIED: &[&[u8]] = &[b"script", b"style", b"svg"];

/// `html` with the contents of scripts (other than JSON-LD), style sheets and SVG images
/// removed. Returns the input unchanged when there is nothing to remove.
pub(crate) fn strip_unseen(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out: Option<String> = None;
    // Everything before `copied` is already in `out` (or unchanged, while `out` is None).
    let mut copied = 0;
    let mut position = 0;
    while let Some(offset) = memchr(b'<', &bytes[position..]) {
        let open = position + offset;
        position = open + 1;
        let Some(name) = EMPTIED.iter().find(|name| tag_name_at(bytes, open + 1, name)) else {
            continue;
        };
        let Some(tag_end) = end_of_tag(bytes, open + 1 + name.len()) else {
            break;
        };
        let attributes = &bytes[open + 1 + name.len()..tag_end];
        if *name == b"script" && is_json_ld(attributes) || bytes[tag_end - 1] == b'/' {
            position = tag_end + 1;
            continue;
        }
        let content_start = tag_end + 1;
        let Some(close) = find_close_tag(bytes, content_start, name) else {
            break;
        };
        if close > content_start {
            let out = out.get_or_insert_with(|| String::with_capacity(html.len() / 2));
            out.push_str(&html[copied..content_start]);
            copied = close;
        }
        position = close;
    }
    match out {
        None => Cow::Borrowed(html),
        Some(mut out) => {
            out.push_str(&html[copied..]);
            Cow::Owned(out)
        }
    }
}

/// True when `bytes[at..]` starts with the tag name `name` (any case), followed by a character
/// that ends a tag name.
fn tag_name_at(bytes: &[u8], at: usize, name: &[u8]) -> bool {
    let Some(candidate) = bytes.get(at..at + name.len()) else {
        return false;
    };
    candidate.eq_ignore_ascii_case(name)
        && bytes.get(at + name.len()).is_some_and(|&next| next == b'>' || next == b'/' || next.is_ascii_whitespace())
}

/// The index of the `>` that ends the tag whose attributes start at `from`, skipping quoted
/// attribute values.
fn end_of_tag(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quote: Option<u8> = None;
    for (index, &byte) in bytes.iter().enumerate().skip(from) {
        match quote {
            Some(open) if byte == open => quote = None,
            Some(_) => {}
            None if byte == b'"' || byte == b'\'' => quote = Some(byte),
            None if byte == b'>' => return Some(index),
            None => {}
        }
    }
    None
}

/// The index of the `<` of the first `</name` at or after `from`.
fn find_close_tag(bytes: &[u8], from: usize, name: &[u8]) -> Option<usize> {
    let mut position = from;
    while let Some(offset) = memchr(b'<', &bytes[position..]) {
        let candidate = position + offset;
        if bytes.get(candidate + 1) == Some(&b'/') && tag_name_at(bytes, candidate + 2, name) {
            return Some(candidate);
        }
        position = candidate + 1;
    }
    None
}

/// True for the attributes of a JSON-LD script.
fn is_json_ld(attributes: &[u8]) -> bool {
    attributes.windows(7).any(|window| window.eq_ignore_ascii_case(b"ld+json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        assert_eq!(strip_unseen(input), expected);
    }

    #[test]
    fn empties_scripts_and_styles() {
        check(
            "<p>a</p><script>var x = '<p>';</script><STYLE type=x>p{}</STYLE><p>b</p>",
            "<p>a</p><script></script><STYLE type=x></STYLE><p>b</p>",
        );
    }

    #[test]
    fn keeps_json_ld_and_quoted_brackets() {
        check(
            r#"<script type="application/ld+json">{"a":1}</script><script data-x="a>b">x()</script>"#,
            r#"<script type="application/ld+json">{"a":1}</script><script data-x="a>b"></script>"#,
        );
    }

    #[test]
    fn leaves_lookalikes_and_broken_tags() {
        check("<scripts>x</scripts><p>y</p>", "<scripts>x</scripts><p>y</p>");
        check("<p>x</p><script>unterminated", "<p>x</p><script>unterminated");
        check("<p>x</p><script", "<p>x</p><script");
        check("<svg/><p>é</p>", "<svg/><p>é</p>");
    }
}

//! A byte-level pass that lightens a page before parsing: it empties `<script>`, `<style>` and
//! `<svg>` elements and takes out of start tags the attributes that no stage reads.
//!
//! On news pages about half of the bytes are scripts and style sheets, which never hold article
//! text, and most of the rest is markup, where the HTML tokenizer spends its time attribute by
//! attribute. This pass finds tags with `memchr` and keeps the elements themselves, so the parsed
//! tree has the same shape. JSON-LD scripts are kept whole: metadata is read from them.
//! Comments are skipped whole, so nothing inside them is taken for a tag.
//!
//! It also bounds how deep elements nest: start tags past [`MAX_DEPTH`] open elements are
//! dropped with their end tags (their text is kept). The HTML tree builder checks scopes by
//! walking the stack of open elements, so a page of 100,000 nested `<div>`s would otherwise
//! take time quadratic in its depth; browsers bound the depth of their trees the same way.

use std::borrow::Cow;

use memchr::memchr;

/// Elements whose contents are dropped: raw text that is never article text, and elements
/// that the extractor and the metadata reader skip whole (navigation, sidebars, form controls).
const EMPTIED: &[&[u8]] =
    &[b"script", b"style", b"svg", b"nav", b"aside", b"noscript", b"select", b"button", b"template", b"iframe"];

/// Emptied elements whose contents are raw text: the first end tag closes them. The others
/// can nest, and the matching end tag is found by counting.
const RAW_TEXT: &[&[u8]] = &[b"script", b"style", b"noscript", b"iframe"];

/// The most elements open at once that the parsed tree keeps.
pub(crate) const MAX_DEPTH: usize = 512;

/// Elements that never hold content (void) or that the next sibling closes implicitly on
/// real pages (`<p>`, `<li>`, table cells): they do not count towards [`MAX_DEPTH`], since
/// pages leave them unclosed by the thousand, and the tree builder closes them cheaply.
const NOT_NESTING: &[&[u8]] = &[
    b"area",
    b"base",
    b"br",
    b"col",
    b"embed",
    b"hr",
    b"img",
    b"input",
    b"link",
    b"meta",
    b"source",
    b"track",
    b"wbr",
    b"param",
    b"p",
    b"li",
    b"dt",
    b"dd",
    b"td",
    b"th",
    b"tr",
    b"tbody",
    b"thead",
    b"tfoot",
    b"option",
    b"optgroup",
    b"colgroup",
    b"caption",
    b"html",
    b"head",
    b"body",
    b"rb",
    b"rt",
    b"rp",
];

/// Attributes that extraction and metadata read; the others (`href` of links, `src`,
/// `srcset`, `data-*`, event handlers, ...) are dropped before parsing. `href` is kept on
/// `<link>` and `<base>`, where it names the canonical URL.
const KEPT_ATTRIBUTES: &[&str] = &[
    "class",
    "id",
    "itemprop",
    "itemscope",
    "itemtype",
    "rel",
    "datetime",
    "pubdate",
    "content",
    "property",
    "name",
    "http-equiv",
    "charset",
    "type",
    "lang",
    "xml:lang",
    "hidden",
    "aria-hidden",
    "style",
];

/// `html` with the contents of scripts (other than JSON-LD), style sheets and SVG images
/// removed, and with the attributes no stage reads taken out of start tags. Returns the input
/// unchanged when there is nothing to remove.
pub(crate) fn strip_unseen(html: &str) -> Cow<'_, str> {
    let bytes = html.as_bytes();
    let mut out = String::new();
    // Everything before `copied` is already in `out`.
    let mut copied = 0;
    let mut position = 0;
    // Elements open (those that count), and the start tags dropped past the depth bound by
    // name (lower case), whose end tags go too.
    let mut depth = 0usize;
    let mut dropped: Vec<(Vec<u8>, usize)> = Vec::new();
    while let Some(offset) = memchr(b'<', &bytes[position..]) {
        let open = position + offset;
        position = open + 1;
        match bytes.get(open + 1) {
            Some(b'!') if bytes[open..].starts_with(b"<!--") => {
                // Comments are skipped whole: what looks like a tag inside one is not.
                match memchr::memmem::find(&bytes[open + 4..], b"-->") {
                    Some(end) => position = open + 4 + end + 3,
                    None => break,
                }
                continue;
            }
            Some(b'/') => {
                let name = tag_name(bytes, open + 2);
                if name.is_empty() || NOT_NESTING.iter().any(|other| name.eq_ignore_ascii_case(other)) {
                    continue;
                }
                match dropped.iter_mut().find(|(other, _)| name.eq_ignore_ascii_case(other)) {
                    Some((_, count)) if *count > 0 => {
                        let Some(tag_end) = memchr(b'>', &bytes[open..]).map(|end| open + end) else { break };
                        *count -= 1;
                        reserve(&mut out, html.len());
                        out.push_str(&html[copied..open]);
                        copied = tag_end + 1;
                        position = tag_end + 1;
                    }
                    _ => depth = depth.saturating_sub(1),
                }
                continue;
            }
            Some(byte) if byte.is_ascii_alphabetic() => {}
            _ => continue,
        }
        let name_end = open + 1 + tag_name(bytes, open + 1).len();
        let Some(tag_end) = end_of_tag(bytes, name_end) else {
            break;
        };
        let name = &bytes[open + 1..name_end];
        position = tag_end + 1;
        if let Some(emptied) = EMPTIED.iter().find(|emptied| name.eq_ignore_ascii_case(emptied)) {
            let attributes = &bytes[name_end..tag_end];
            if *emptied == b"script" && is_json_ld(attributes) || bytes[tag_end - 1] == b'/' {
                continue;
            }
            let raw_text = RAW_TEXT.contains(emptied);
            let Some(close) = find_close_tag(bytes, tag_end + 1, emptied, raw_text) else {
                break;
            };
            if close > tag_end + 1 {
                reserve(&mut out, html.len());
                out.push_str(&html[copied..=tag_end]);
                copied = close;
            }
            position = close;
            continue;
        }
        if bytes[tag_end - 1] != b'/' && !NOT_NESTING.iter().any(|other| name.eq_ignore_ascii_case(other)) {
            if depth >= MAX_DEPTH {
                match dropped.iter_mut().find(|(other, _)| name.eq_ignore_ascii_case(other)) {
                    Some((_, count)) => *count += 1,
                    None => dropped.push((name.to_ascii_lowercase(), 1)),
                }
                reserve(&mut out, html.len());
                out.push_str(&html[copied..open]);
                copied = tag_end + 1;
                continue;
            }
            depth += 1;
        }
        let keep_href = name.eq_ignore_ascii_case(b"link") || name.eq_ignore_ascii_case(b"base");
        if let Some(attributes) = filter_attributes(&html[name_end..tag_end], keep_href) {
            reserve(&mut out, html.len());
            out.push_str(&html[copied..name_end]);
            out.push_str(&attributes);
            copied = tag_end;
        }
    }
    if copied == 0 {
        return Cow::Borrowed(html);
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

/// The tag name that starts at `at`: letters, digits, `-` and `:`.
fn tag_name(bytes: &[u8], at: usize) -> &[u8] {
    let rest = bytes.get(at..).unwrap_or_default();
    let length = rest
        .iter()
        .position(|&byte| !(byte.is_ascii_alphanumeric() || byte == b'-' || byte == b':'))
        .unwrap_or(rest.len());
    &rest[..length]
}

/// True for the attributes in [`KEPT_ATTRIBUTES`], in any case.
fn is_kept(name: &str) -> bool {
    if name.len() > 11 {
        return false;
    }
    if name.bytes().all(|byte| !byte.is_ascii_uppercase()) {
        return KEPT_ATTRIBUTES.contains(&name);
    }
    KEPT_ATTRIBUTES.iter().any(|kept| name.eq_ignore_ascii_case(kept))
}

/// Gives `out` room for a rewritten page the first time it is written to.
fn reserve(out: &mut String, input_len: usize) {
    if out.capacity() == 0 {
        out.reserve(input_len / 2);
    }
}

/// The attributes of a start tag with the unread ones taken out, each kept one as written.
/// `None` when nothing is dropped, or when a dropped value holds a `<` (markup in an attribute
/// is left to the real tokenizer, whatever it means).
fn filter_attributes(raw: &str, keep_href: bool) -> Option<String> {
    let bytes = raw.as_bytes();
    let mut kept = String::new();
    let mut dropped_any = false;
    let mut at = 0;
    loop {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
            at += 1;
        }
        if at == bytes.len() {
            break;
        }
        let start = at;
        // A name runs to whitespace, `/`, `>` or `=`; an `=` in first place belongs to it.
        at += 1;
        while at < bytes.len() && !(bytes[at].is_ascii_whitespace() || matches!(bytes[at], b'/' | b'>' | b'=')) {
            at += 1;
        }
        let name = &raw[start..at];
        let mut after_name = at;
        while after_name < bytes.len() && bytes[after_name].is_ascii_whitespace() {
            after_name += 1;
        }
        if bytes.get(after_name) == Some(&b'=') {
            at = after_name + 1;
            while at < bytes.len() && bytes[at].is_ascii_whitespace() {
                at += 1;
            }
            match bytes.get(at) {
                Some(&quote @ (b'"' | b'\'')) => {
                    at = memchr(quote, &bytes[at + 1..]).map_or(bytes.len(), |end| at + 1 + end + 1);
                }
                _ => {
                    while at < bytes.len() && !bytes[at].is_ascii_whitespace() {
                        at += 1;
                    }
                }
            }
        }
        let attribute = &raw[start..at];
        let keep = is_kept(name) || keep_href && name.eq_ignore_ascii_case("href");
        if keep {
            kept.push(' ');
            kept.push_str(attribute);
        } else if attribute.contains('<') {
            return None;
        } else {
            dropped_any = true;
        }
    }
    if !dropped_any {
        return None;
    }
    if raw.trim_end().ends_with('/') {
        kept.push_str(" /");
    }
    Some(kept)
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

/// The index of the `<` of the end tag that closes an element `name` whose contents start at
/// `from`: the first `</name` in raw text, else the one that balances the nested `<name`s.
fn find_close_tag(bytes: &[u8], from: usize, name: &[u8], raw_text: bool) -> Option<usize> {
    let mut depth = 0usize;
    let mut position = from;
    while let Some(offset) = memchr(b'<', &bytes[position..]) {
        let candidate = position + offset;
        position = candidate + 1;
        if bytes.get(candidate + 1) == Some(&b'/') && tag_name_at(bytes, candidate + 2, name) {
            if depth == 0 {
                return Some(candidate);
            }
            depth -= 1;
        } else if !raw_text {
            if bytes[candidate..].starts_with(b"<!--") {
                let end = memchr::memmem::find(&bytes[candidate + 4..], b"-->")?;
                position = candidate + 4 + end + 3;
            } else if tag_name_at(bytes, candidate + 1, name) {
                let tag_end = end_of_tag(bytes, candidate + 1 + name.len())?;
                if bytes[tag_end - 1] != b'/' {
                    depth += 1;
                }
                position = tag_end + 1;
            }
        }
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
    fn drops_unread_attributes() {
        check(
            r#"<a href="/x" class=k data-x='{"a":1}'>t</a><link rel=canonical href="/c"><img src=a.jpg alt="A">"#,
            r#"<a class=k>t</a><link rel=canonical href="/c"><img>"#,
        );
        check(r#"<p data-html="<b>x</b>" id=a>t</p>"#, r#"<p data-html="<b>x</b>" id=a>t</p>"#);
        check(r#"<!-- <a href="x"> --><p hidden onclick=go()>t</p>"#, r#"<!-- <a href="x"> --><p hidden>t</p>"#);
        check(r#"<br/><input value=x />"#, r#"<br/><input />"#);
    }

    #[test]
    fn empties_nested_navigation() {
        check("<nav><ul><li><nav>x</nav></li></ul><!-- </nav> --></nav><p>kept</p>", "<nav></nav><p>kept</p>");
        check("<aside>a<aside/>b</aside><p>c</p>", "<aside></aside><p>c</p>");
        check("<nav>never closed<p>x</p>", "<nav>never closed<p>x</p>");
    }

    #[test]
    fn bounds_the_depth_of_nesting() {
        let deep = format!("{}<p>text</p>{}", "<div class=a>".repeat(MAX_DEPTH + 3), "</div>".repeat(MAX_DEPTH + 3));
        let expected = format!("{}<p>text</p>{}", "<div class=a>".repeat(MAX_DEPTH), "</div>".repeat(MAX_DEPTH));
        check(&deep, &expected);
        // Unclosed paragraphs and list items do not count; closed elements free their level.
        let flat = format!("{}{}", "<p>x".repeat(2 * MAX_DEPTH), "<div>y</div>".repeat(2 * MAX_DEPTH));
        check(&flat, &flat);
        let inside =
            format!("{}<span>a</span><b>b</b>{}", "<div>".repeat(MAX_DEPTH - 1), "</div>".repeat(MAX_DEPTH - 1));
        check(&inside, &inside);
        let full = format!("{}<span>a</span><b>b</b>{}", "<div>".repeat(MAX_DEPTH), "</div>".repeat(MAX_DEPTH));
        check(&full, &format!("{}ab{}", "<div>".repeat(MAX_DEPTH), "</div>".repeat(MAX_DEPTH)));
    }

    #[test]
    fn leaves_lookalikes_and_broken_tags() {
        check("<scripts>x</scripts><p>y</p>", "<scripts>x</scripts><p>y</p>");
        check("<p>x</p><script>unterminated", "<p>x</p><script>unterminated");
        check("<p>x</p><script", "<p>x</p><script");
        check("<svg/><p>é</p>", "<svg/><p>é</p>");
    }
}

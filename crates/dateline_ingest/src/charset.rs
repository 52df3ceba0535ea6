//! Decodes the bytes of a page or a text file into UTF-8, choosing the encoding the way a
//! browser would and saying in diagnostics which one was used.
//!
//! The order is: a byte order mark; the charset of the HTTP `Content-Type` header (WARC
//! records); a `<meta charset>` or `<meta http-equiv="Content-Type">` declaration in the
//! first 4 KiB of an HTML page; then, for undeclared bytes that are not valid UTF-8, a guess
//! by `chardetng`. Labels are WHATWG encoding labels, so `iso-8859-1` means windows-1252 as
//! it does in browsers. Decoding never fails: invalid sequences become U+FFFD and a warning
//! says so.

use dateline_doc::Diagnostic;
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// How far into an HTML page `<meta>` charset declarations are looked for.
const META_WINDOW: usize = 4096;

/// A decoded document and what was said about its encoding.
pub(crate) struct Decoded {
    /// The text, valid UTF-8.
    pub(crate) text: String,
    /// Diagnostics about the encoding: which one was used when it is not UTF-8, unknown
    /// declared labels, replaced bytes.
    pub(crate) diagnostics: Vec<Diagnostic>,
}

/// What is known about the bytes besides themselves.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Context<'a> {
    /// The charset parameter of an HTTP `Content-Type` header, if any.
    pub(crate) http_charset: Option<&'a str>,
    /// Whether the bytes are HTML, whose `<meta>` declarations count.
    pub(crate) html: bool,
    /// The URL the bytes came from, whose top-level domain helps the guess.
    pub(crate) url: Option<&'a str>,
}

/// Decodes `bytes` to UTF-8 (see the module documentation for how the encoding is chosen).
pub(crate) fn decode(bytes: &[u8], context: Context<'_>) -> Decoded {
    let mut diagnostics = Vec::new();

    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let note = (encoding != UTF_8).then(|| format!("decoded as {} (byte order mark)", encoding.name()));
        return finish(encoding, &bytes[bom_len..], "charset-bom", note, diagnostics);
    }

    if let Some(label) = context.http_charset {
        match Encoding::for_label(label.as_bytes()) {
            Some(encoding) => {
                let note = (encoding != UTF_8)
                    .then(|| format!("decoded as {} (declared by the HTTP Content-Type: {label})", encoding.name()));
                return finish(encoding, bytes, "charset-declared", note, diagnostics);
            }
            None => diagnostics.push(unknown_label(label, "the HTTP Content-Type")),
        }
    }

    if context.html {
        match meta_charset(&bytes[..bytes.len().min(META_WINDOW)]) {
            Some(Ok((encoding, label))) => {
                let note = (encoding != UTF_8)
                    .then(|| format!("decoded as {} (declared by a <meta> tag: {label})", encoding.name()));
                return finish(encoding, bytes, "charset-declared", note, diagnostics);
            }
            Some(Err(label)) => diagnostics.push(unknown_label(&label, "a <meta> tag")),
            None => {}
        }
    }

    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded { text: text.to_owned(), diagnostics };
    }
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(bytes, true);
    let tld = context.url.and_then(top_level_domain);
    let encoding = detector.guess(tld.as_deref().map(str::as_bytes), true);
    let note = Some(format!("decoded as {} (detected: no charset declared and not valid UTF-8)", encoding.name()));
    finish(encoding, bytes, "charset-detected", note, diagnostics)
}

/// Decodes with the chosen encoding and adds the notes.
fn finish(
    encoding: &'static Encoding,
    bytes: &[u8],
    code: &str,
    note: Option<String>,
    mut diagnostics: Vec<Diagnostic>,
) -> Decoded {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if let Some(note) = note {
        diagnostics.push(Diagnostic::info(code, note));
    }
    if had_errors {
        diagnostics.push(Diagnostic::warning(
            "charset-replaced",
            format!("some bytes were not valid {} and were replaced with U+FFFD", encoding.name()),
        ));
    }
    Decoded { text: text.into_owned(), diagnostics }
}

fn unknown_label(label: &str, by: &str) -> Diagnostic {
    Diagnostic::warning("charset-unknown", format!("ignored the unknown charset \"{label}\" declared by {by}"))
}

/// The charset parameter of a `Content-Type` value such as `text/html; charset="utf-8"`.
pub(crate) fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        let value = value.trim().trim_matches(|c| c == '"' || c == '\'').trim();
        (!value.is_empty()).then_some(value)
    })
}

/// Looks for a charset declared by a `<meta>` tag: `Some(Ok)` with the encoding and the label
/// as written, `Some(Err(label))` for a label that is not a known encoding, `None` when there
/// is no declaration. As in browsers, a declared UTF-16 means UTF-8 (the bytes would have a
/// BOM otherwise) and `x-user-defined` means windows-1252.
fn meta_charset(head: &[u8]) -> Option<Result<(&'static Encoding, String), String>> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = memchr::memmem::find(&lower[from..], b"<meta") {
        let start = from + found + 5;
        from = start;
        if lower.get(start).is_some_and(|byte| !(byte.is_ascii_whitespace() || *byte == b'/')) {
            continue;
        }
        let attributes = parse_attributes(&head[start..]);
        let charset = attribute(&attributes, "charset").map(str::to_owned).or_else(|| {
            let http_equiv = attribute(&attributes, "http-equiv")?;
            if !http_equiv.trim().eq_ignore_ascii_case("content-type") {
                return None;
            }
            charset_param(attribute(&attributes, "content")?).map(str::to_owned)
        });
        let Some(label) = charset else { continue };
        let label = label.trim().to_owned();
        return Some(match Encoding::for_label(label.as_bytes()) {
            Some(encoding) if encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE => {
                Ok((UTF_8, label))
            }
            Some(encoding) if encoding == encoding_rs::X_USER_DEFINED => Ok((WINDOWS_1252, label)),
            Some(encoding) => Ok((encoding, label)),
            None => Err(label),
        });
    }
    None
}

fn attribute<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
}

/// Parses the attributes of a tag, from just after its name to its `>` (or the end of the
/// bytes): names are lower-cased, values unquoted.
fn parse_attributes(bytes: &[u8]) -> Vec<(String, String)> {
    let mut attributes = Vec::new();
    let mut at = 0;
    let skip_space = |at: &mut usize| {
        while bytes.get(*at).is_some_and(|byte| byte.is_ascii_whitespace() || *byte == b'/') {
            *at += 1;
        }
    };
    loop {
        skip_space(&mut at);
        match bytes.get(at) {
            None | Some(b'>') => return attributes,
            _ => {}
        }
        let name_start = at;
        while bytes.get(at).is_some_and(|byte| !(byte.is_ascii_whitespace() || matches!(byte, b'=' | b'>' | b'/'))) {
            at += 1;
        }
        let name = String::from_utf8_lossy(&bytes[name_start..at]).to_ascii_lowercase();
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        let mut value = String::new();
        if bytes.get(at) == Some(&b'=') {
            at += 1;
            while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
                at += 1;
            }
            match bytes.get(at) {
                Some(&quote) if quote == b'"' || quote == b'\'' => {
                    let start = at + 1;
                    let end = memchr::memchr(quote, &bytes[start..]).map_or(bytes.len(), |end| start + end);
                    value = String::from_utf8_lossy(&bytes[start..end]).into_owned();
                    at = (end + 1).min(bytes.len());
                }
                _ => {
                    let start = at;
                    while bytes.get(at).is_some_and(|byte| !(byte.is_ascii_whitespace() || *byte == b'>')) {
                        at += 1;
                    }
                    value = String::from_utf8_lossy(&bytes[start..at]).into_owned();
                }
            }
        }
        if name.is_empty() {
            // A lone `=` or similar junk: step over it so the loop always advances.
            at += 1;
        } else {
            attributes.push((name, value));
        }
    }
}

/// The top-level domain of a URL, in the form `chardetng` accepts (lower-case ASCII, no dot).
fn top_level_domain(url: &str) -> Option<String> {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = after_scheme.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?.trim_end_matches('.');
    let tld = host.rsplit('.').next()?.to_ascii_lowercase();
    let valid = !tld.is_empty() && tld.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-');
    valid.then_some(tld)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(bytes: &[u8]) -> Decoded {
        decode(bytes, Context { html: true, ..Context::default() })
    }

    fn codes(decoded: &Decoded) -> Vec<&str> {
        decoded.diagnostics.iter().map(|diagnostic| diagnostic.code.as_str()).collect()
    }

    #[test]
    fn utf8_needs_no_note() {
        let decoded = html("<p>Zürich</p>".as_bytes());
        assert_eq!(decoded.text, "<p>Zürich</p>");
        assert!(decoded.diagnostics.is_empty());
    }

    #[test]
    fn meta_charset_wins_over_detection() {
        let mut page = b"<html><head><meta charset=\"windows-1252\"></head><body><p>Caf".to_vec();
        page.extend_from_slice(b"\xe9 \x93quoted\x94</p>");
        let decoded = html(&page);
        assert!(decoded.text.contains("Café “quoted”"), "{}", decoded.text);
        assert_eq!(codes(&decoded), ["charset-declared"]);
    }

    #[test]
    fn http_equiv_content_type() {
        let page = b"<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=ISO-8859-1'><p>na\xefve</p>";
        let decoded = html(page);
        assert!(decoded.text.contains("naïve"));
        assert!(decoded.diagnostics[0].message.contains("windows-1252"));
    }

    #[test]
    fn http_header_wins_over_meta() {
        let page = b"<meta charset=utf-8><p>\xe9t\xe9</p>";
        let decoded = decode(page, Context { http_charset: Some("latin1"), html: true, url: None });
        assert!(decoded.text.contains("été"));
    }

    #[test]
    fn bom_wins_over_everything() {
        let mut page = vec![0xfe, 0xff];
        for unit in "<meta charset=windows-1252><p>ß</p>".encode_utf16() {
            page.extend_from_slice(&unit.to_be_bytes());
        }
        let decoded = decode(&page, Context { http_charset: Some("koi8-r"), html: true, url: None });
        assert_eq!(decoded.text, "<meta charset=windows-1252><p>ß</p>");
        assert_eq!(codes(&decoded), ["charset-bom"]);
    }

    #[test]
    fn unknown_labels_are_reported_and_ignored() {
        let decoded = html(b"<meta charset=\"klingon\"><p>ok</p>");
        assert_eq!(decoded.text, "<meta charset=\"klingon\"><p>ok</p>");
        assert_eq!(codes(&decoded), ["charset-unknown"]);
    }

    #[test]
    fn invalid_bytes_are_replaced_with_a_warning() {
        let decoded = html(b"<meta charset=utf-8><p>bad \xff byte</p>");
        assert!(decoded.text.contains('\u{fffd}'));
        assert_eq!(codes(&decoded), ["charset-replaced"]);
    }

    #[test]
    fn content_type_parameters() {
        assert_eq!(charset_param("text/html; charset=\"UTF-8\""), Some("UTF-8"));
        assert_eq!(charset_param("text/html;Charset=Shift_JIS; q=1"), Some("Shift_JIS"));
        assert_eq!(charset_param("text/html"), None);
        assert_eq!(charset_param("text/html; charset="), None);
    }

    #[test]
    fn domains() {
        assert_eq!(top_level_domain("https://www.asahi.com/articles/x.html").as_deref(), Some("com"));
        assert_eq!(top_level_domain("http://user@news.example.JP:8080/").as_deref(), Some("jp"));
        assert_eq!(top_level_domain("not a url"), None);
    }

    #[test]
    fn attribute_parser_survives_junk() {
        for junk in [&b"= = '"[..], b"=", b"\"", b"a='", b"/ / /", b"a=b=c"] {
            parse_attributes(junk);
        }
        assert_eq!(parse_attributes(b" a=1 b='2' c>")[1], ("b".to_owned(), "2".to_owned()));
    }
}

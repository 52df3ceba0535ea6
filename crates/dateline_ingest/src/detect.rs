//! Sniffs the format of an input from its first bytes, so that `--from auto` does not depend
//! on file names (which lie, or are `-`). Decompression has already happened: this module
//! sees the start of the decompressed stream.
//!
//! The order of the checks matters and is: a WARC version line; an XML feed root (`<rss`,
//! `<feed`, `<rdf:RDF`, possibly after an XML declaration, comments and a doctype); a first
//! line that is a JSON object (JSONL); an HTML doctype or `<html`, or enough markup; else
//! plain text. Files that are certainly not text (images, PDFs, archives) are recognised by
//! their magic bytes so that they can be skipped.

/// The format of an input, as sniffed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Sniffed {
    /// A WARC archive.
    Warc,
    /// An RSS, RDF or Atom feed.
    Feed,
    /// JSON Lines.
    Jsonl,
    /// An HTML page.
    Html,
    /// Plain text.
    Text,
}

/// How many bytes of markup are looked at for the root element and for markup density.
const MARKUP_WINDOW: usize = 4096;

/// Magic numbers of formats that are certainly not news text, with a name for messages.
const MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"\x28\xb5\x2f\xfd", "a zstd archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "an executable"),
    (b"\x00asm", "a WebAssembly module"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
    (b"OggS", "an Ogg media file"),
    (b"fLaC", "a FLAC audio file"),
    (b"ID3", "an MP3 audio file"),
    (b"\x1a\x45\xdf\xa3", "a Matroska or WebM video"),
    (b"SQLite format 3\x00", "an SQLite database"),
];

/// Names what the bytes are when they are certainly not text: a known magic number, or NUL
/// bytes early on in a stream without a UTF-16 byte order mark.
pub(crate) fn binary_kind(prefix: &[u8]) -> Option<&'static str> {
    if let Some((_, name)) = MAGIC.iter().find(|(magic, _)| prefix.starts_with(magic)) {
        return Some(name);
    }
    if prefix.len() >= 12 && &prefix[4..8] == b"ftyp" {
        return Some("an MP4 or QuickTime media file");
    }
    if prefix.len() >= 12 && prefix.starts_with(b"RIFF") {
        return Some(match &prefix[8..12] {
            b"WEBP" => "a WebP image",
            b"WAVE" => "a WAV audio file",
            _ => "a RIFF media file",
        });
    }
    if prefix.len() > 262 && &prefix[257..262] == b"ustar" {
        return Some("a tar archive");
    }
    if prefix.starts_with(&[0x1f, 0x8b]) {
        return Some("gzip data inside gzip data");
    }
    let is_utf16 = prefix.starts_with(&[0xff, 0xfe]) || prefix.starts_with(&[0xfe, 0xff]);
    if !is_utf16 && is_mostly_control(&prefix[..prefix.len().min(1024)]) {
        return Some("binary data");
    }
    None
}

/// True when over one byte in 16 is a control character other than a space (NUL, other C0
/// codes, DEL): binary data. Text with a stray NUL or two, as scraped pages have, is still
/// text (the NULs are removed when it is cleaned).
fn is_mostly_control(bytes: &[u8]) -> bool {
    let controls = bytes
        .iter()
        .filter(|&&byte| byte == 0x7f || byte < 0x20 && !matches!(byte, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    controls * 16 > bytes.len()
}

/// Sniffs the format from the first bytes of a stream.
pub(crate) fn sniff(prefix: &[u8]) -> Sniffed {
    // A UTF-16 stream is sniffed on its UTF-8 transcoding.
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(prefix) {
        if encoding != encoding_rs::UTF_8 {
            let (text, _) = encoding.decode_with_bom_removal(prefix);
            return sniff_utf8(text.as_bytes());
        }
    }
    sniff_utf8(prefix.strip_prefix(b"\xef\xbb\xbf").unwrap_or(prefix))
}

/// Sniffs bytes that are ASCII-compatible (UTF-8 or a legacy encoding), without a BOM.
fn sniff_utf8(bytes: &[u8]) -> Sniffed {
    if bytes.starts_with(b"WARC/") {
        return Sniffed::Warc;
    }
    let start = bytes.iter().position(|byte| !byte.is_ascii_whitespace()).unwrap_or(bytes.len());
    let bytes = &bytes[start..];
    match bytes.first() {
        Some(b'{') if first_line_is_object(bytes) => Sniffed::Jsonl,
        Some(b'<') => sniff_markup(bytes),
        _ if looks_like_html(bytes) => Sniffed::Html,
        _ => Sniffed::Text,
    }
}

/// True when the first line is a JSON object, or, when the prefix ends before the first line
/// does, a valid beginning of one (JSONL records holding whole pages are longer than the
/// prefix).
fn first_line_is_object(bytes: &[u8]) -> bool {
    let (mut line, complete) = match memchr::memchr(b'\n', bytes) {
        Some(end) => (&bytes[..end], true),
        None => (bytes, false),
    };
    if !complete {
        // The prefix may end inside a multi-byte character: cut before it, so that only the
        // end of the input is seen, never bad UTF-8.
        if let Err(error) = std::str::from_utf8(line) {
            if error.error_len().is_none() {
                line = &line[..error.valid_up_to()];
            }
        }
    }
    match serde_json::from_slice::<serde_json::Value>(line) {
        Ok(value) => value.is_object(),
        Err(error) if !complete => error.is_eof(),
        Err(_) => later_lines_are_objects(bytes),
    }
}

/// True when the first line is broken but the complete lines of the prefix all look like
/// records (`{` … `}`) and at least one of the next few is a JSON object: a JSONL file whose
/// first record is damaged is still JSONL, and its bad line an error of its own.
fn later_lines_are_objects(bytes: &[u8]) -> bool {
    let mut lines = bytes.split(|&byte| byte == b'\n');
    let _ = lines.next_back(); // The last piece may be cut by the prefix's end.
    let mut objects = 0;
    for line in lines.map(<[u8]>::trim_ascii).filter(|line| !line.is_empty()).take(8) {
        if !(line.starts_with(b"{") && line.ends_with(b"}")) {
            return false;
        }
        if serde_json::from_slice::<serde_json::Value>(line).is_ok_and(|value| value.is_object()) {
            objects += 1;
        }
    }
    objects > 0
}

/// Sniffs text that starts with `<`: a feed root, an HTML root, or markup density.
fn sniff_markup(bytes: &[u8]) -> Sniffed {
    let window = bytes[..bytes.len().min(MARKUP_WINDOW)].to_ascii_lowercase();
    match root_element(&window) {
        Root::Doctype(doctype) if doctype.starts_with(b"html") => return Sniffed::Html,
        Root::Doctype(doctype) if doctype.starts_with(b"rss") => return Sniffed::Feed,
        Root::Element(name) => {
            let local = name.rsplit(|byte| *byte == b':').next().unwrap_or(name);
            if name == b"rss" || name == b"feed" || local == b"rdf" {
                return Sniffed::Feed;
            }
            if matches!(name, b"html" | b"head" | b"body") {
                return Sniffed::Html;
            }
        }
        _ => {}
    }
    if looks_like_html(bytes) { Sniffed::Html } else { Sniffed::Text }
}

/// The first thing in a markup document that is not an XML declaration, a processing
/// instruction or a comment.
enum Root<'a> {
    /// A `<!doctype ...>`, with what follows `doctype` (lower case, trimmed).
    Doctype(&'a [u8]),
    /// An element, with its (lower-case) name.
    Element(&'a [u8]),
    /// Nothing recognisable.
    Unknown,
}

/// Finds the root of lower-cased markup, skipping `<?...?>` and `<!--...-->`.
fn root_element(mut rest: &[u8]) -> Root<'_> {
    loop {
        rest = trim_start(rest);
        if let Some(after) = rest.strip_prefix(b"<?") {
            let Some(end) = memchr::memmem::find(after, b"?>") else { return Root::Unknown };
            rest = &after[end + 2..];
        } else if let Some(after) = rest.strip_prefix(b"<!--") {
            let Some(end) = memchr::memmem::find(after, b"-->") else { return Root::Unknown };
            rest = &after[end + 3..];
        } else if let Some(after) = rest.strip_prefix(b"<!doctype") {
            return Root::Doctype(trim_start(after));
        } else if let Some(after) = rest.strip_prefix(b"<") {
            let end = after
                .iter()
                .position(|byte| !(byte.is_ascii_alphanumeric() || matches!(byte, b':' | b'-' | b'_' | b'.')))
                .unwrap_or(after.len());
            return if end == 0 { Root::Unknown } else { Root::Element(&after[..end]) };
        } else {
            return Root::Unknown;
        }
    }
}

fn trim_start(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|byte| !byte.is_ascii_whitespace()).unwrap_or(bytes.len());
    &bytes[start..]
}

/// Tags that only HTML uses, looked for by the markup-density check.
const HTML_TAGS: &[&[u8]] = &[
    b"<html",
    b"<head",
    b"<body",
    b"<meta",
    b"<title",
    b"<div",
    b"<p>",
    b"<p ",
    b"<br",
    b"<span",
    b"<a ",
    b"<script",
    b"<style",
    b"<link ",
    b"<table",
    b"<article",
    b"<section",
    b"<h1",
    b"<h2",
    b"<h3",
    b"<ul",
    b"<li",
    b"<img",
    b"<nav",
];

/// True when the text holds an HTML doctype or `<html` near its start, or enough HTML tags
/// that it is a page (or a fragment) rather than prose that mentions a tag.
fn looks_like_html(bytes: &[u8]) -> bool {
    let window = bytes[..bytes.len().min(MARKUP_WINDOW)].to_ascii_lowercase();
    let head = &window[..window.len().min(1024)];
    if memchr::memmem::find(head, b"<!doctype html").is_some() || memchr::memmem::find(head, b"<html").is_some() {
        return true;
    }
    let known: usize = HTML_TAGS.iter().map(|tag| memchr::memmem::find_iter(&window, tag).count()).sum();
    let starts_with_tag = window.first() == Some(&b'<');
    known >= 4 || (starts_with_tag && known >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_each_format() {
        assert_eq!(sniff(b"WARC/1.1\r\nWARC-Type: warcinfo\r\n"), Sniffed::Warc);
        assert_eq!(sniff(b"<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>"), Sniffed::Feed);
        assert_eq!(sniff(b"<?xml version='1.0'?><!-- generated --><feed xmlns=\"x\">"), Sniffed::Feed);
        assert_eq!(sniff(b"<rdf:RDF xmlns:rdf=\"x\">"), Sniffed::Feed);
        assert_eq!(sniff(b"{\"id\": 1, \"html\": \"<p>x</p>\"}\n{\"id\": 2}\n"), Sniffed::Jsonl);
        assert_eq!(sniff(b"{\"id\": 1, \"html\": \"<p>a very long record cut by the pref"), Sniffed::Jsonl);
        assert_eq!(sniff(b"{\"id\": 1, \"html\": \"<p>cut inside a character: \xc3"), Sniffed::Jsonl);
        assert_eq!(sniff(b"<!DOCTYPE html>\n<html><head>"), Sniffed::Html);
        assert_eq!(sniff(b"  <html lang=en>"), Sniffed::Html);
        assert_eq!(sniff(b"<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0\">"), Sniffed::Html);
        assert_eq!(sniff(b"<div class=a><p>One</p><p>Two</p></div>"), Sniffed::Html);
        assert_eq!(sniff(b"Home | World | Sport\n\nThe minister said on Monday that ..."), Sniffed::Text);
        assert_eq!(sniff(b"{ not json at all\nsecond line"), Sniffed::Text);
        assert_eq!(sniff(b"{\"id\": \"caf\xe9\"}\n{\"id\": \"ok\"}\n"), Sniffed::Jsonl);
        assert_eq!(sniff(b"{ a brace }\n{ another }\n"), Sniffed::Text);
        assert_eq!(sniff(b"Use the <b> tag for bold."), Sniffed::Text);
    }

    #[test]
    fn sniffs_through_a_utf16_bom() {
        let mut bytes = vec![0xff, 0xfe];
        for unit in "<!DOCTYPE html><html>".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(sniff(&bytes), Sniffed::Html);
        assert_eq!(binary_kind(&bytes), None);
    }

    #[test]
    fn recognises_binary_files() {
        assert_eq!(binary_kind(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some("a PNG image"));
        assert_eq!(binary_kind(b"%PDF-1.7\n"), Some("a PDF document"));
        assert_eq!(binary_kind(b"abc\0\0\0\x01def\0\0"), Some("binary data"));
        let stray = [b"<html><body><p>Text with a stray\0NUL byte</p>".as_slice(), &[b'x'; 200]].concat();
        assert_eq!(binary_kind(&stray), None);
        assert_eq!(binary_kind(b"<html>"), None);
        assert_eq!(binary_kind(b""), None);
    }
}

//! A streaming reader of WARC archives (WARC/1.0 and 1.1, as written by Common Crawl and
//! CC-NEWS), yielding one document per HTML page.
//!
//! Records are framed by their `Content-Length` and read one at a time from a `BufRead`, so
//! memory stays flat whatever the archive's size: only one record's payload is held, and only
//! when it is wanted and within `max_document_bytes`. Gzip (per-record members) is undone
//! before this reader sees the stream.
//!
//! Which records become documents:
//! - `response` records holding an HTTP response with a 2xx status and an HTML
//!   `Content-Type` (`text/html`, `application/xhtml+xml`; when the type is missing, a body
//!   that sniffs as HTML). Redirects, errors, images, PDFs, robots.txt and the like are
//!   skipped silently: they are not articles.
//! - `resource` records whose own `Content-Type` is HTML.
//! - `conversion` records of type `text/plain` (WET files), as scraped text.
//!
//! Everything else (`warcinfo`, `request`, `metadata`, `revisit`) is skipped. The HTTP
//! body's chunked `Transfer-Encoding` and gzip or deflate `Content-Encoding` are undone;
//! when the headers claim an encoding that the stored body does not have (crawlers often
//! store the decoded body and keep the header), the body is taken as stored.
//!
//! `WARC-Target-URI` becomes `hints.url` and `Content-Language` `hints.language`. The
//! `WARC-Date` is the crawl time, not the publication time, so it is not put in
//! `hints.published` (the cleaner would take it for a publication date): it is kept as an
//! info diagnostic `warc-date` instead.
//!
//! A record that is malformed inside (a bad HTTP head, an undecodable body, a body over the
//! size limit) is an error and reading goes on with the next record. A record whose framing
//! is broken (a bad version line, missing `Content-Length`, an archive that ends inside a
//! record, corrupt gzip) is an error that ends the file: the records before it are kept.

use std::io::{self, BufRead, Read};

use dateline_doc::{BodyKind, Diagnostic, Hints, RawDoc, Source, SourceFormat};
use flate2::bufread::{DeflateDecoder, MultiGzDecoder, ZlibDecoder};

use crate::IngestError;
use crate::charset::{self, Context};
use crate::detect::{self, Sniffed};
use crate::source::{self, Line, ReadError, Stream, human_bytes};

/// The longest header line accepted, in WARC and HTTP heads.
const MAX_HEADER_LINE: usize = 64 * 1024;

/// The most header bytes accepted in one WARC or HTTP head.
const MAX_HEADER_BYTES: usize = 1024 * 1024;

/// Reads the documents of one WARC archive.
pub(crate) struct WarcReader {
    reader: Stream,
    record: Record,
    done: bool,
    line: Vec<u8>,
}

/// What the reader knows about the record at hand.
struct Record {
    /// The input's name.
    name: String,
    /// Whether the input was gzip-compressed (for error messages).
    compressed: bool,
    /// The size limit of one document.
    max: usize,
    /// The 1-based number of the current record in the archive.
    number: u64,
}

impl Record {
    fn uri(&self) -> String {
        format!("{}#{}", self.name, self.number)
    }

    fn error(&self, id: Option<String>, message: impl Into<String>) -> IngestError {
        IngestError::new(self.uri(), id, message)
    }

    fn read_error(&self, error: &io::Error) -> IngestError {
        self.error(None, crate::read_error_message(error, self.compressed))
    }
}

/// What reading one record gave.
enum Step {
    /// A document.
    Doc(Box<RawDoc>),
    /// A record that is not a document.
    Skip,
    /// A record that should have been a document but is broken; reading goes on.
    Error(IngestError),
}

impl WarcReader {
    pub(crate) fn new(name: String, reader: Stream, compressed: bool, max: usize) -> WarcReader {
        WarcReader { reader, record: Record { name, compressed, max, number: 0 }, done: false, line: Vec::new() }
    }

    /// Reads the next record. `Ok(None)` is the end of the archive; `Err` is an error after
    /// which the archive cannot be read further.
    fn next_record(&mut self) -> Result<Option<Step>, IngestError> {
        // Errors met while looking for the next record are reported as that record's.
        self.record.number += 1;
        loop {
            let line = source::read_line_bounded(&mut self.reader, &mut self.line, MAX_HEADER_LINE);
            match line.map_err(|error| self.record.read_error(&error))? {
                Line::Eof => return Ok(None),
                Line::TooLong { .. } => {
                    return Err(self.record.error(None, "expected a WARC version line, found a very long line"));
                }
                Line::Read { .. } if self.line.trim_ascii().is_empty() => continue,
                Line::Read { .. } => break,
            }
        }
        let version = self.line.trim_ascii();
        if !version.starts_with(b"WARC/") {
            let message = format!("expected a WARC version line such as WARC/1.1, found \"{}\"", preview(version));
            return Err(self.record.error(None, message));
        }
        let headers = match read_head(&mut self.reader, &mut self.line) {
            Ok(Some(headers)) => headers,
            Ok(None) => return Err(self.record.error(None, "the archive ends inside the WARC headers of this record")),
            Err(HeadError::Io(error)) => return Err(self.record.read_error(&error)),
            Err(HeadError::Bad(message)) => {
                return Err(self.record.error(None, format!("bad WARC headers: {message}")));
            }
        };
        let length = header(&headers, "content-length")
            .and_then(|value| value.trim().parse::<u64>().ok())
            .ok_or_else(|| self.record.error(None, "the WARC record has no valid Content-Length"))?;

        let mut content = (&mut self.reader).take(length);
        let warc_type = header(&headers, "warc-type").unwrap_or_default().trim().to_ascii_lowercase();
        let step = match warc_type.as_str() {
            "response" | "resource" | "conversion" => {
                payload(&self.record, &warc_type, &headers, &mut content, &mut self.line)
                    .map_err(|error| self.record.read_error(&error))?
            }
            _ => Step::Skip,
        };
        let left = content.limit();
        let skipped = source::skip(&mut content, left).map_err(|error| self.record.read_error(&error))?;
        if skipped < left {
            let message = format!(
                "the archive is truncated: it ends {} into a record whose Content-Length is {length} bytes",
                human_bytes(length - (left - skipped))
            );
            return Err(self.record.error(None, message));
        }
        Ok(Some(step))
    }
}

impl Iterator for WarcReader {
    type Item = Result<RawDoc, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            match self.next_record() {
                Ok(None) => self.done = true,
                Ok(Some(Step::Doc(doc))) => return Some(Ok(*doc)),
                Ok(Some(Step::Skip)) => {}
                Ok(Some(Step::Error(error))) => return Some(Err(error)),
                Err(error) => {
                    self.done = true;
                    return Some(Err(error));
                }
            }
        }
        None
    }
}

/// Headers, names lower-cased, in order.
type Headers = Vec<(String, String)>;

/// The value of the first header of that (lower-case) name.
fn header<'a>(headers: &'a Headers, name: &str) -> Option<&'a str> {
    headers.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
}

/// Why a head could not be read.
enum HeadError {
    /// The stream failed.
    Io(io::Error),
    /// The head is too large to be a head.
    Bad(String),
}

/// Reads `Name: value` lines up to an empty line, as in WARC and HTTP heads; continuation
/// lines (starting with a space or tab) extend the previous value. `Ok(None)` when the stream
/// ends first.
fn read_head(reader: &mut (impl BufRead + ?Sized), line: &mut Vec<u8>) -> Result<Option<Headers>, HeadError> {
    let mut headers: Headers = Vec::new();
    let mut total = 0usize;
    loop {
        match source::read_line_bounded(reader, line, MAX_HEADER_LINE).map_err(HeadError::Io)? {
            Line::Eof | Line::Read { terminated: false } => return Ok(None),
            Line::TooLong { len } => return Err(HeadError::Bad(format!("a header line is {len} bytes long"))),
            Line::Read { terminated: true } => {}
        }
        total += line.len();
        if total > MAX_HEADER_BYTES {
            let message = format!("the headers are longer than {}", human_bytes(MAX_HEADER_BYTES as u64));
            return Err(HeadError::Bad(message));
        }
        let text = String::from_utf8_lossy(line);
        let text = text.trim_end_matches('\r');
        if text.trim().is_empty() {
            return Ok(Some(headers));
        }
        if text.starts_with([' ', '\t']) {
            if let Some((_, value)) = headers.last_mut() {
                value.push(' ');
                value.push_str(text.trim());
            }
            continue;
        }
        if let Some((name, value)) = text.split_once(':') {
            headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
        }
    }
}

/// The media type of a `Content-Type` value, lower-cased, without parameters.
fn media_type(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

fn is_html_type(media: &str) -> bool {
    matches!(media, "text/html" | "application/xhtml+xml")
}

/// `<...>` around a value, as WARC writes record ids and some writers target URIs, removed.
fn strip_angles(value: &str) -> &str {
    let value = value.trim();
    value.strip_prefix('<').and_then(|inner| inner.strip_suffix('>')).unwrap_or(value)
}

/// A short printable excerpt of bytes for messages.
fn preview(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(40)]);
    text.chars().map(|c| if c.is_control() { '\u{fffd}' } else { c }).collect()
}

/// Reads the content of a `response`, `resource` or `conversion` record and makes it a
/// document if it is one. `Err` is an I/O error of the underlying stream.
fn payload(
    record: &Record,
    warc_type: &str,
    headers: &Headers,
    content: &mut io::Take<&mut Stream>,
    line: &mut Vec<u8>,
) -> io::Result<Step> {
    let target = header(headers, "warc-target-uri").map(strip_angles).filter(|uri| !uri.is_empty());
    let id = header(headers, "warc-record-id")
        .map(strip_angles)
        .filter(|id| !id.is_empty())
        .or(target)
        .map_or_else(|| record.uri(), str::to_owned);
    let record_type = header(headers, "content-type").unwrap_or_default();
    let mut page = Page {
        record,
        id,
        target,
        headers,
        content_type: None,
        language: None,
        kind: BodyKind::Html,
        diagnostics: Vec::new(),
    };

    let is_http = media_type(record_type) == "application/http" || (record_type.is_empty() && warc_type == "response");
    if warc_type == "response" && is_http {
        return http_response(page, content, line);
    }
    page.content_type = Some(record_type.to_owned()).filter(|value| !value.is_empty());
    let media = media_type(record_type);
    if warc_type == "conversion" {
        if media != "text/plain" {
            return Ok(Step::Skip);
        }
        page.kind = BodyKind::Text;
    } else if !media.is_empty() && !is_html_type(&media) {
        return Ok(Step::Skip);
    }
    let body = match read_body(&page, content)? {
        Ok(body) => body,
        Err(step) => return Ok(step),
    };
    Ok(page.finish(body))
}

/// A record on its way to becoming a document.
struct Page<'a> {
    record: &'a Record,
    id: String,
    target: Option<&'a str>,
    headers: &'a Headers,
    /// The `Content-Type` of the page (HTTP header or record header).
    content_type: Option<String>,
    /// The HTTP `Content-Language`.
    language: Option<String>,
    kind: BodyKind,
    diagnostics: Vec<Diagnostic>,
}

impl Page<'_> {
    fn error(&self, message: impl Into<String>) -> Step {
        Step::Error(self.record.error(Some(self.id.clone()), message))
    }

    fn too_large(&self, len: Option<u64>) -> Step {
        let size = len.map_or_else(String::new, |len| format!(" ({})", human_bytes(len)));
        self.error(format!(
            "the document{size} is larger than the {} limit (max_document_bytes)",
            human_bytes(self.record.max as u64)
        ))
    }

    /// Decodes the body and builds the document.
    fn finish(mut self, body: Vec<u8>) -> Step {
        if body.trim_ascii().is_empty() {
            return self.error("the page has an empty body");
        }
        let http_charset = self.content_type.as_deref().and_then(charset::charset_param);
        let context = Context { http_charset, html: self.kind == BodyKind::Html, url: self.target };
        let decoded = charset::decode(&body, context);
        if let Some(date) = header(self.headers, "warc-date").filter(|date| !date.is_empty()) {
            self.diagnostics.push(Diagnostic::info(
                "warc-date",
                format!("crawled at {date} (WARC-Date: when the page was fetched, not when it was published)"),
            ));
        }
        if let Some(reason) = header(self.headers, "warc-truncated") {
            self.diagnostics.push(Diagnostic::warning(
                "warc-truncated",
                format!("the crawler stored only part of this page (WARC-Truncated: {reason})"),
            ));
        }
        self.diagnostics.extend(decoded.diagnostics);
        let hints = Hints { url: self.target.map(str::to_owned), language: self.language, ..Hints::default() };
        Step::Doc(Box::new(RawDoc {
            id: self.id,
            source: Source { uri: self.record.uri(), format: SourceFormat::Warc },
            kind: self.kind,
            body: decoded.text,
            hints,
            diagnostics: self.diagnostics,
        }))
    }
}

/// Reads the rest of the record content within the size limit: `Ok(Err(step))` when it is
/// too large (the caller skips what is left).
fn read_body(page: &Page<'_>, content: &mut io::Take<&mut Stream>) -> io::Result<Result<Vec<u8>, Step>> {
    let len = content.limit();
    if len > page.record.max as u64 {
        return Ok(Err(page.too_large(Some(len))));
    }
    match source::read_bounded(content, page.record.max) {
        Ok(body) => Ok(Ok(body)),
        Err(ReadError::TooLarge) => Ok(Err(page.too_large(None))),
        Err(ReadError::Io(error)) => Err(error),
    }
}

/// Parses the HTTP response in a `response` record and makes its body a document when it is
/// a successful HTML page.
fn http_response(mut page: Page<'_>, content: &mut io::Take<&mut Stream>, line: &mut Vec<u8>) -> io::Result<Step> {
    let status = loop {
        match source::read_line_bounded(content, line, MAX_HEADER_LINE)? {
            Line::Eof => return Ok(page.error("the response record is empty")),
            Line::TooLong { .. } => return Ok(page.error("the HTTP status line is too long")),
            Line::Read { .. } if line.trim_ascii().is_empty() => continue,
            Line::Read { .. } => break String::from_utf8_lossy(line.trim_ascii()).into_owned(),
        }
    };
    let mut parts = status.split_ascii_whitespace();
    let code = match (parts.next(), parts.next().map(str::parse::<u16>)) {
        (Some(version), Some(Ok(code))) if version.starts_with("HTTP/") => code,
        _ => {
            let message =
                format!("the response does not start with an HTTP status line: \"{}\"", preview(status.as_bytes()));
            return Ok(page.error(message));
        }
    };
    let http_headers = match read_head(content, line) {
        Ok(Some(headers)) => headers,
        // A head with no blank line after it: a response with headers only.
        Ok(None) => return Ok(Step::Skip),
        Err(HeadError::Bad(message)) => return Ok(page.error(format!("bad HTTP headers: {message}"))),
        Err(HeadError::Io(error)) => return Err(error),
    };
    if !(200..300).contains(&code) {
        return Ok(Step::Skip);
    }
    page.content_type = header(&http_headers, "content-type").map(str::to_owned).filter(|value| !value.is_empty());
    let media = page.content_type.as_deref().map(media_type);
    if media.as_deref().is_some_and(|media| !is_html_type(media)) {
        return Ok(Step::Skip);
    }
    page.language = header(&http_headers, "content-language")
        .and_then(|value| value.split(',').next())
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .map(str::to_owned);

    let mut body = match read_body(&page, content)? {
        Ok(body) => body,
        Err(step) => return Ok(step),
    };
    let transfer = header(&http_headers, "transfer-encoding").unwrap_or_default().to_ascii_lowercase();
    if transfer.contains("chunked") {
        match dechunk(&body) {
            Some(joined) => body = joined,
            None => page.diagnostics.push(Diagnostic::info(
                "http-not-chunked",
                "the HTTP headers say chunked but the stored body is not: it was taken as stored",
            )),
        }
    }
    let encoding = header(&http_headers, "content-encoding").unwrap_or_default().trim().to_ascii_lowercase();
    body = match decompress(&page, &encoding, body) {
        Ok(body) => body,
        Err(step) => return Ok(step),
    };
    if media.is_none() && detect::sniff(&body) != Sniffed::Html {
        return Ok(Step::Skip);
    }
    Ok(page.finish(body))
}

/// Undoes the HTTP `Content-Encoding`, within the size limit.
fn decompress(page: &Page<'_>, encoding: &str, body: Vec<u8>) -> Result<Vec<u8>, Step> {
    let max = page.record.max;
    let result = match encoding {
        "" | "identity" | "none" => return Ok(body),
        "gzip" | "x-gzip" if body.starts_with(&source::GZIP_MAGIC) => {
            source::read_bounded(&mut MultiGzDecoder::new(&body[..]), max)
        }
        "deflate" if body.first().is_some_and(|byte| byte & 0x0f == 8) => {
            source::read_bounded(&mut ZlibDecoder::new(&body[..]), max)
                .or_else(|_| source::read_bounded(&mut DeflateDecoder::new(&body[..]), max))
        }
        "deflate" => source::read_bounded(&mut DeflateDecoder::new(&body[..]), max),
        // A gzip header on a body that is not gzip: the crawler stored it decoded.
        "gzip" | "x-gzip" => return Ok(body),
        other => return Err(page.error(format!("unsupported HTTP Content-Encoding \"{other}\""))),
    };
    match result {
        Ok(body) => Ok(body),
        Err(ReadError::TooLarge) => Err(page.too_large(None)),
        Err(ReadError::Io(error)) => {
            Err(page.error(format!("the HTTP body's {encoding} Content-Encoding is corrupt: {error}")))
        }
    }
}

/// Joins the chunks of a chunked HTTP body; `None` when the body is not validly chunked.
fn dechunk(mut body: &[u8]) -> Option<Vec<u8>> {
    let mut joined = Vec::with_capacity(body.len());
    loop {
        let end = memchr::memchr(b'\n', body)?;
        let size_line = std::str::from_utf8(&body[..end]).ok()?;
        let size_text = size_line.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        body = &body[end + 1..];
        if size == 0 {
            // What follows is optional trailers, which are dropped.
            return Some(joined);
        }
        if body.len() < size {
            return None;
        }
        joined.extend_from_slice(&body[..size]);
        body = &body[size..];
        body = body.strip_prefix(b"\r\n").or_else(|| body.strip_prefix(b"\n")).unwrap_or(body);
        if body.is_empty() {
            // The terminating zero chunk is missing: keep what was sent.
            return Some(joined);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_bodies() {
        assert_eq!(dechunk(b"5\r\nHello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n").as_deref(), Some(&b"Hello, world"[..]));
        assert_eq!(dechunk(b"<html>not chunked</html>"), None);
        assert_eq!(dechunk(b"ff\r\nshort"), None);
    }

    #[test]
    fn heads() {
        let mut input = &b"WARC-Type: response\r\nContent-Length: 12\r\nX-Long: a\r\n  b\r\n\r\nrest"[..];
        let mut line = Vec::new();
        let headers = read_head(&mut input, &mut line).ok().flatten().unwrap_or_default();
        assert_eq!(header(&headers, "content-length"), Some("12"));
        assert_eq!(header(&headers, "x-long"), Some("a b"));
        assert_eq!(input, b"rest");
        let mut cut = &b"WARC-Type: response\r\nContent-"[..];
        assert!(matches!(read_head(&mut cut, &mut line), Ok(None)));
    }

    #[test]
    fn ids_lose_their_angles() {
        assert_eq!(strip_angles("<urn:uuid:1234>"), "urn:uuid:1234");
        assert_eq!(strip_angles("https://example.com/"), "https://example.com/");
    }
}

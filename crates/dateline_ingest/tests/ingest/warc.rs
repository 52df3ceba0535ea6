//! WARC archives: record selection, HTTP decoding, compression, truncation and size limits.

use dateline_doc::{BodyKind, Severity, SourceFormat};
use dateline_ingest::{IngestConfig, InputFormat};

use crate::common::{
    article, gzip, http_response, read, read_with, response_record, scratch, summary, warc_record, write,
};

/// A chunked body, split in three chunks.
fn chunked(body: &[u8]) -> Vec<u8> {
    let third = body.len() / 3;
    let mut out = Vec::new();
    for chunk in [&body[..third], &body[third..2 * third], &body[2 * third..]] {
        out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

/// The records of a small crawl: only records 3, 6 and 8 are HTML pages.
fn crawl() -> Vec<Vec<u8>> {
    let plain = http_response(
        "200 OK",
        &[("Content-Type", "text/html; charset=UTF-8"), ("Content-Language", "en-GB, en")],
        article("Plain page").as_bytes(),
    );
    let png = http_response("200 OK", &[("Content-Type", "image/png")], b"\x89PNG\r\n\x1a\nnot really");
    let robots = http_response("200 OK", &[("Content-Type", "text/plain")], b"User-agent: *\nDisallow:\n");
    let encoded = http_response(
        "200 OK",
        &[("Content-Type", "text/html"), ("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")],
        &chunked(&gzip(article("Chunked and gzipped").as_bytes())),
    );
    let redirect = http_response("301 Moved Permanently", &[("Location", "https://news.test/b")], b"");
    vec![
        warc_record("warcinfo", 1, &[("Content-Type", "application/warc-fields")], b"software: test\r\n"),
        warc_record(
            "request",
            2,
            &[("WARC-Target-URI", "https://news.test/a"), ("Content-Type", "application/http; msgtype=request")],
            b"GET /a HTTP/1.1\r\nHost: news.test\r\n\r\n",
        ),
        response_record(3, "https://news.test/a", &plain),
        warc_record("metadata", 4, &[("Content-Type", "application/warc-fields")], b"fetchTimeMs: 12\r\n"),
        response_record(5, "https://news.test/logo.png", &png),
        response_record(6, "https://news.test/b", &encoded),
        response_record(7, "https://news.test/robots.txt", &robots),
        warc_record(
            "resource",
            8,
            &[("WARC-Target-URI", "<https://news.test/c>"), ("Content-Type", "text/html")],
            article("Resource page").as_bytes(),
        ),
        response_record(9, "https://news.test/old", &redirect),
    ]
}

#[test]
fn warc_records_are_selected_and_decoded() {
    let dir = scratch("warc");
    let path = write(&dir, "crawl.warc", &crawl().concat());
    let results = read(&[&path], InputFormat::Auto);
    assert_eq!(
        summary(&results),
        [
            format!("ok {path}#3 urn:uuid:00000000-0000-0000-0000-000000000003"),
            format!("ok {path}#6 urn:uuid:00000000-0000-0000-0000-000000000006"),
            format!("ok {path}#8 urn:uuid:00000000-0000-0000-0000-000000000008"),
        ]
    );
    let docs: Vec<_> = results.into_iter().flatten().collect();
    assert!(docs.iter().all(|doc| doc.source.format == SourceFormat::Warc && doc.kind == BodyKind::Html));
    assert_eq!(docs[0].hints.url.as_deref(), Some("https://news.test/a"));
    assert_eq!(docs[0].hints.language.as_deref(), Some("en-GB"));
    assert_eq!(docs[0].hints.published, None, "the crawl date is not a publication date");
    let date = docs[0].diagnostics.iter().find(|diagnostic| diagnostic.code == "warc-date").expect("warc-date");
    assert_eq!(date.severity, Severity::Info);
    assert!(date.message.contains("2024-05-06T10:00:00Z"));
    assert!(docs[1].body.contains("<h1>Chunked and gzipped</h1>"), "{}", docs[1].body);
    assert_eq!(docs[2].hints.url.as_deref(), Some("https://news.test/c"));
    assert!(docs[2].body.contains("Resource page"));
}

#[test]
fn multi_member_gzip_warc() {
    let dir = scratch("warc-gz");
    let members: Vec<u8> = crawl().iter().flat_map(|record| gzip(record)).collect();
    let path = write(&dir, "crawl.warc.gz", &members);
    let results = read(&[&path], InputFormat::Warc);
    assert_eq!(summary(&results).len(), 3, "{:?}", summary(&results));
    assert!(results.iter().all(Result::is_ok));
}

#[test]
fn headers_that_lie_about_the_body_are_tolerated() {
    // Crawlers often store the decoded body but keep the original headers.
    let http = http_response(
        "200 OK",
        &[("Content-Type", "text/html"), ("Transfer-Encoding", "chunked"), ("Content-Encoding", "gzip")],
        article("Stored decoded").as_bytes(),
    );
    let dir = scratch("warc-lying");
    let path = write(&dir, "a.warc", &response_record(1, "https://news.test/", &http));
    let results = read(&[&path], InputFormat::Auto);
    let doc = results[0].as_ref().expect("a document");
    assert!(doc.body.contains("Stored decoded"));
}

#[test]
fn truncated_warc_keeps_the_records_before() {
    let dir = scratch("warc-truncated");
    let mut bytes = crawl()[..4].concat();
    let last = response_record(5, "https://news.test/z", &http_response("200 OK", &[], article("Cut").as_bytes()));
    bytes.extend_from_slice(&last[..last.len() - 60]);
    let path = write(&dir, "cut.warc", &bytes);
    let results = read(&[&path], InputFormat::Auto);
    let lines = summary(&results);
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].starts_with(&format!("ok {path}#3 ")));
    assert!(lines[1].starts_with(&format!("error {path}#5: the archive is truncated")), "{}", lines[1]);

    let gz = write(&dir, "cut.warc.gz", &gzip(&bytes));
    let lines = summary(&read(&[&gz], InputFormat::Auto));
    assert_eq!(lines.len(), 2, "{lines:?}");
}

#[test]
fn truncated_gzip_keeps_the_records_before() {
    let dir = scratch("warc-gz-truncated");
    let mut members: Vec<u8> = crawl().iter().flat_map(|record| gzip(record)).collect();
    members.truncate(members.len() - 40);
    let path = write(&dir, "cut.warc.gz", &members);
    let lines = summary(&read(&[&path], InputFormat::Auto));
    assert_eq!(lines.len(), 4, "{lines:?}");
    assert!(lines[..3].iter().all(|line| line.starts_with("ok ")));
    assert!(lines[3].starts_with(&format!("error {path}#9: ")), "{}", lines[3]);
    assert!(lines[3].contains("gzip data is truncated or corrupt"), "{}", lines[3]);
}

#[test]
fn oversize_records_are_errors_and_reading_goes_on() {
    let dir = scratch("warc-oversize");
    let big = format!("<html><body><p>{}</p></body></html>", "news ".repeat(400));
    let bomb = gzip(format!("<html><body>{}</body></html>", "a".repeat(100_000)).as_bytes());
    let records = [
        response_record(
            1,
            "https://news.test/big",
            &http_response("200 OK", &[("Content-Type", "text/html")], big.as_bytes()),
        ),
        response_record(
            2,
            "https://news.test/bomb",
            &http_response("200 OK", &[("Content-Type", "text/html"), ("Content-Encoding", "gzip")], &bomb),
        ),
        response_record(3, "https://news.test/small", &http_response("200 OK", &[], article("Small").as_bytes())),
    ];
    let path = write(&dir, "big.warc", &records.concat());
    let config = IngestConfig { max_document_bytes: 1000, ..IngestConfig::default() };
    let lines = summary(&read_with(&[&path], &config));
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[0].starts_with(&format!("error {path}#1: the document (")), "{}", lines[0]);
    assert!(lines[0].contains("larger than the 1000 bytes limit"), "{}", lines[0]);
    assert!(lines[1].starts_with(&format!("error {path}#2: the document is larger")), "{}", lines[1]);
    assert!(lines[2].starts_with(&format!("ok {path}#3 ")), "{}", lines[2]);
}

#[test]
fn http_charset_and_content_language() {
    let body = b"<html><body><p>Caf\xe9 cr\xe8me</p></body></html>";
    let http =
        http_response("200 OK", &[("Content-Type", "text/html; charset=ISO-8859-1"), ("Content-Language", "fr")], body);
    let dir = scratch("warc-charset");
    let path = write(&dir, "fr.warc", &response_record(1, "https://news.test/fr", &http));
    let doc = crate::common::docs(read(&[&path], InputFormat::Auto)).remove(0);
    assert!(doc.body.contains("Café crème"));
    assert_eq!(doc.hints.language.as_deref(), Some("fr"));
    assert!(doc.diagnostics.iter().any(|diagnostic| diagnostic.code == "charset-declared"));
}

#[test]
fn a_broken_http_head_is_one_error() {
    let dir = scratch("warc-bad-http");
    let records = [
        response_record(1, "https://news.test/x", b"garbage instead of HTTP\r\n\r\n<p>x</p>"),
        response_record(2, "https://news.test/y", &http_response("200 OK", &[], article("Fine").as_bytes())),
    ];
    let path = write(&dir, "bad.warc", &records.concat());
    let lines = summary(&read(&[&path], InputFormat::Auto));
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines[0].contains("does not start with an HTTP status line"), "{}", lines[0]);
    assert!(lines[1].starts_with("ok "));
}

#[test]
fn a_file_that_is_not_warc_is_an_error_when_warc_is_forced() {
    let dir = scratch("warc-forced");
    let path = write(&dir, "page.html", article("Not a WARC").as_bytes());
    let lines = summary(&read(&[&path], InputFormat::Warc));
    assert_eq!(lines.len(), 1);
    assert!(lines[0].contains("expected a WARC version line"), "{}", lines[0]);
}

#[test]
fn wet_conversion_records_are_scraped_text() {
    let dir = scratch("wet");
    let records = [
        warc_record("warcinfo", 1, &[("Content-Type", "application/warc-fields")], b"isPartOf: test\r\n"),
        warc_record(
            "conversion",
            2,
            &[("WARC-Target-URI", "https://news.test/t"), ("Content-Type", "text/plain")],
            "Home | News\nThe bridge reopened on Monday.\n".as_bytes(),
        ),
    ];
    let path = write(&dir, "crawl.warc.wet", &records.concat());
    let docs = crate::common::docs(read(&[&path], InputFormat::Auto));
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].kind, BodyKind::Text);
    assert_eq!(docs[0].body, "Home | News\nThe bridge reopened on Monday.\n");
    assert_eq!(docs[0].hints.url.as_deref(), Some("https://news.test/t"));
}

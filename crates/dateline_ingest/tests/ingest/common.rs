//! Fixture builders shared by the integration tests: scratch directories, gzip, WARC records
//! and HTTP responses, all made in memory so that the tests need no data files.

use std::io::Write;
use std::path::{Path, PathBuf};

use dateline_doc::RawDoc;
use dateline_ingest::{IngestConfig, IngestError, InputFormat};

/// A fresh, empty scratch directory for one test.
pub fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dateline-ingest").join(test);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("removing an old scratch directory");
    }
    std::fs::create_dir_all(&dir).expect("creating a scratch directory");
    dir
}

/// Writes a file (and its parent directories) and returns its path as a string.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("creating fixture directories");
    }
    std::fs::write(&path, bytes).expect("writing a fixture");
    path.to_string_lossy().into_owned()
}

/// One gzip member holding `bytes`.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).expect("compressing in memory");
    encoder.finish().expect("compressing in memory")
}

/// Reads inputs with a format and the default limit.
pub fn read(inputs: &[&str], format: InputFormat) -> Vec<Result<RawDoc, IngestError>> {
    read_with(inputs, &IngestConfig { format, ..IngestConfig::default() })
}

/// Reads inputs with a configuration.
pub fn read_with(inputs: &[&str], config: &IngestConfig) -> Vec<Result<RawDoc, IngestError>> {
    let inputs: Vec<String> = inputs.iter().map(|input| (*input).to_owned()).collect();
    dateline_ingest::read_inputs(&inputs, config).collect()
}

/// The documents of results that must all be documents.
pub fn docs(results: Vec<Result<RawDoc, IngestError>>) -> Vec<RawDoc> {
    results.into_iter().map(|result| result.unwrap_or_else(|error| panic!("unexpected error: {error}"))).collect()
}

/// One line per result, for compact assertions: `ok <uri> <id>` or `error <input>: <message>`.
pub fn summary(results: &[Result<RawDoc, IngestError>]) -> Vec<String> {
    results
        .iter()
        .map(|result| match result {
            Ok(doc) => format!("ok {} {}", doc.source.uri, doc.id),
            Err(error) => format!("error {error}"),
        })
        .collect()
}

/// A WARC/1.1 record.
pub fn warc_record(warc_type: &str, id: u32, headers: &[(&str, &str)], content: &[u8]) -> Vec<u8> {
    let mut record = format!(
        "WARC/1.1\r\nWARC-Type: {warc_type}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-{id:012}>\r\n\
         WARC-Date: 2024-05-06T10:00:00Z\r\n"
    );
    for (name, value) in headers {
        record.push_str(&format!("{name}: {value}\r\n"));
    }
    record.push_str(&format!("Content-Length: {}\r\n\r\n", content.len()));
    let mut record = record.into_bytes();
    record.extend_from_slice(content);
    record.extend_from_slice(b"\r\n\r\n");
    record
}

/// An HTTP response as a WARC `response` record stores it.
pub fn http_response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut response = format!("HTTP/1.1 {status}\r\n");
    for (name, value) in headers {
        response.push_str(&format!("{name}: {value}\r\n"));
    }
    response.push_str("\r\n");
    let mut response = response.into_bytes();
    response.extend_from_slice(body);
    response
}

/// A `response` record for a URL.
pub fn response_record(id: u32, url: &str, http: &[u8]) -> Vec<u8> {
    warc_record(
        "response",
        id,
        &[("WARC-Target-URI", url), ("Content-Type", "application/http; msgtype=response")],
        http,
    )
}

/// A small HTML article.
pub fn article(title: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>\
         <p>The council voted on Monday to approve the plan.</p></article></body></html>"
    )
}

//! Arbitrary and damaged bytes never panic, whatever format they are read as.

use dateline_ingest::{IngestConfig, InputFormat};
use proptest::prelude::*;

use crate::common::{article, gzip, http_response, response_record};

const FORMATS: [InputFormat; 7] = [
    InputFormat::Auto,
    InputFormat::Html,
    InputFormat::Text,
    InputFormat::Scraped,
    InputFormat::Jsonl,
    InputFormat::Warc,
    InputFormat::Feed,
];

/// Reads bytes in every format with a small size limit, checking only that every result is
/// a document of valid UTF-8 or an error naming the input.
fn read_all_ways(bytes: &[u8]) {
    for format in FORMATS {
        let config = IngestConfig { format, max_document_bytes: 2048, ..IngestConfig::default() };
        for result in dateline_ingest::read_stream("in", std::io::Cursor::new(bytes.to_vec()), &config) {
            match result {
                Ok(doc) => assert!(doc.source.uri.starts_with("in")),
                Err(error) => assert!(error.input.starts_with("in") && !error.message.is_empty()),
            }
        }
    }
}

/// Starts that steer arbitrary bytes into each reader.
const STARTS: [&[u8]; 9] = [
    b"",
    b"\x1f\x8b",
    b"WARC/1.1\r\n",
    b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 40\r\n\r\nHTTP/1.1 200 OK\r\n",
    b"{\"id\": 1, \"html\": \"",
    b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><item><title>",
    b"<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>",
    b"<!DOCTYPE html><meta charset=",
    b"\xff\xfe<\0h\0",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(start in 0..STARTS.len(), tail in proptest::collection::vec(any::<u8>(), 0..600)) {
        let mut bytes = STARTS[start].to_vec();
        bytes.extend_from_slice(&tail);
        read_all_ways(&bytes);
    }

    #[test]
    fn damaged_archives_never_panic(cut in 0usize..2000, flip in 0usize..2000, byte in any::<u8>(), compress in any::<bool>()) {
        let http = http_response(
            "200 OK",
            &[("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")],
            format!("{:x}\r\n{}\r\n0\r\n\r\n", article("Damaged").len(), article("Damaged")).as_bytes(),
        );
        let mut bytes = [response_record(1, "https://news.test/1", &http), response_record(2, "https://news.test/2", &http)].concat();
        if compress {
            bytes = gzip(&bytes);
        }
        let flip = flip % bytes.len();
        bytes[flip] = byte;
        bytes.truncate(cut.min(bytes.len()));
        read_all_ways(&bytes);
    }
}

//! Any bytes as `dateline ingest` reads an unknown file: gzip undone, charset found, the
//! format sniffed (WARC, feed, JSONL, HTML, scraped text), then every document cleaned.
#![no_main]

use dateline_ingest::InputFormat;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    for doc in common::read(data, InputFormat::Auto) {
        common::clean(&doc);
    }
});

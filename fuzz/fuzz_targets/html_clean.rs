//! Bytes read as an HTML page (charset from BOM, `<meta>` or detection), then the extractor
//! and the metadata reader.
#![no_main]

use dateline_ingest::InputFormat;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    for doc in common::read(data, InputFormat::Html) {
        common::clean(&doc);
    }
});

//! Bytes read as JSON Lines article records (fields, types, nesting), then every document cleaned.
#![no_main]

use dateline_ingest::InputFormat;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    for doc in common::read(data, InputFormat::Jsonl) {
        common::clean(&doc);
    }
});

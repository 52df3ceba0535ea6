//! Bytes read as scraped text, then chrome removal (lines, timestamps, bylines, tag lists).
#![no_main]

use dateline_ingest::InputFormat;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    for doc in common::read(data, InputFormat::Scraped) {
        let article = common::clean(&doc);
        for removed in &article.removed {
            assert!(!removed.reason.is_empty(), "chrome removed without a reason");
        }
    }
});

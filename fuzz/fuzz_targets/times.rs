//! Time expressions in running text, normalised against a publication date, and the date
//! parser of metadata and scraped-text timestamps.
#![no_main]

use chrono::{Days, NaiveDate};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (anchor, text) = match data.split_first() {
        // The first byte picks the publication date: none, or a day from 1900 to 2080.
        Some((&0, rest)) => (None, rest),
        Some((&byte, rest)) => {
            let base = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a date");
            (base.checked_add_days(Days::new(u64::from(byte) * 257)), rest)
        }
        None => return,
    };
    let text = String::from_utf8_lossy(text);
    let mut last_end = 0;
    for mention in dateline_link::time::find_times(&text, anchor) {
        assert!(mention.start >= last_end && mention.start < mention.end && mention.end <= text.len());
        assert!(text.is_char_boundary(mention.start) && text.is_char_boundary(mention.end));
        last_end = mention.end;
    }
    let _ = dateline_clean::date::parse_date(&text);
    for line in text.lines() {
        if let Some((_, range)) = dateline_clean::date::find_timestamp(line) {
            assert!(range.start <= range.end && range.end <= line.len());
            assert!(line.is_char_boundary(range.start) && line.is_char_boundary(range.end));
        }
    }
});

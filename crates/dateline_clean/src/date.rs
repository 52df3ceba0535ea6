//! Dates and times as pages, feeds and scraped text write them.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use dateline_doc::Timestamp;

/// Parses a date or date-time string from a meta tag, JSON-LD, a `<time>` element, a feed or
/// an HTTP header: ISO 8601 and RFC 3339, RFC 2822.
pub fn parse_date(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Some(timestamp) = Timestamp::parse_rfc3339(text) {
        return Some(timestamp);
    }
    if let Ok(datetime) = DateTime::parse_from_rfc2822(text) {
        return Some(Timestamp::DateTime(datetime));
    }
    if let Ok(naive) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S") {
        return Some(Timestamp::from_naive_utc(naive));
    }
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok().map(Timestamp::Date)
}

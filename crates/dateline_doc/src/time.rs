//! Publication and modification times as pages state them: a full date-time with or without
//! a known UTC offset, or a calendar date alone.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in time as precise as its source: `2021-01-19` when only the day is known,
/// `2021-01-19T09:52:00Z` when the time and offset are known. A time without a stated offset
/// is taken as UTC.
///
/// Serialised as RFC 3339: a `full-date` for a day, a `date-time` otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Timestamp {
    /// A calendar day.
    Date(NaiveDate),
    /// A date and time with its offset.
    DateTime(DateTime<FixedOffset>),
}

impl Timestamp {
    /// A date-time from a local time with no stated offset, taken as UTC.
    pub fn from_naive_utc(naive: NaiveDateTime) -> Timestamp {
        Timestamp::DateTime(naive.and_utc().fixed_offset())
    }

    /// The calendar day (in the stated offset).
    pub fn date(&self) -> NaiveDate {
        match self {
            Timestamp::Date(date) => *date,
            Timestamp::DateTime(datetime) => datetime.date_naive(),
        }
    }

    /// The instant in UTC; a bare date is taken as its midnight UTC.
    pub fn to_utc(&self) -> DateTime<Utc> {
        match self {
            Timestamp::Date(date) => date.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc(),
            Timestamp::DateTime(datetime) => datetime.with_timezone(&Utc),
        }
    }

    /// Parses the RFC 3339 forms this type writes: a `full-date` or a `date-time`.
    pub fn parse_rfc3339(text: &str) -> Option<Timestamp> {
        let text = text.trim();
        if let Ok(datetime) = DateTime::parse_from_rfc3339(text) {
            return Some(Timestamp::DateTime(datetime));
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().map(Timestamp::Date)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Timestamp::Date(date) => write!(f, "{}", date.format("%Y-%m-%d")),
            Timestamp::DateTime(datetime) => {
                if datetime.offset().local_minus_utc() == 0 {
                    write!(f, "{}", datetime.format("%Y-%m-%dT%H:%M:%SZ"))
                } else {
                    write!(f, "{}", datetime.format("%Y-%m-%dT%H:%M:%S%:z"))
                }
            }
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Timestamp::parse_rfc3339(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not an RFC 3339 date or date-time: {text:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        let parsed = Timestamp::parse_rfc3339(input).expect("parses");
        assert_eq!(parsed.to_string(), expected);
        let json = serde_json::to_string(&parsed).unwrap();
        let back: Timestamp = serde_json::from_str(&json).unwrap();
        assert_eq!(back, parsed);
    }

    #[test]
    fn round_trips() {
        check("2021-01-19", "2021-01-19");
        check("2021-01-19T09:52:00Z", "2021-01-19T09:52:00Z");
        check("2021-01-19T09:52:00+00:00", "2021-01-19T09:52:00Z");
        check("2021-01-19T09:52:00-05:00", "2021-01-19T09:52:00-05:00");
    }

    #[test]
    fn rejects_garbage() {
        assert!(Timestamp::parse_rfc3339("19 January").is_none());
    }
}

//! Dates and times as pages, feeds and scraped text write them.
//!
//! [`parse_date`] reads a whole string from a meta tag, JSON-LD, a `<time>` element, a feed or
//! an HTTP header. [`find_timestamp`] finds a date or date-time expression inside a line of
//! scraped text. Both share one hand-written scanner: the line is split into number, word and
//! symbol tokens, and a few patterns (ISO order, numeric day and month, English month names,
//! clock times with a meridiem and a zone) are matched on the tokens. Nothing here allocates
//! more than the token list, and no regular expression is compiled.

use std::ops::Range;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike, Weekday};
use dateline_doc::Timestamp;

/// The years a parsed date may fall in; anything outside is taken as a misreading.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2100;

/// Parses a date or date-time string from a meta tag, JSON-LD, a `<time>` element, a feed or
/// an HTTP header: RFC 3339 and ISO 8601 in their common shapes, RFC 2822 (also sloppy, with
/// named zones), numeric dates, English month-name dates, and Unix epoch seconds or
/// milliseconds. A time without a zone is taken as UTC; a date alone gives
/// [`Timestamp::Date`]. Fractional seconds are dropped. Years outside 1900..=2100 are rejected.
pub fn parse_date(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Some(timestamp) = Timestamp::parse_rfc3339(text) {
        return plausible(timestamp);
    }
    if let Ok(datetime) = DateTime::parse_from_rfc2822(text) {
        return plausible(Timestamp::DateTime(datetime));
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return parse_all_digits(text);
    }
    find_timestamp(text).map(|(timestamp, _)| timestamp)
}

/// Finds the first date or date-time expression in `line` and returns it with its byte range,
/// which covers a leading weekday, the date, the time and its zone. A time needs a date beside
/// it: "Published 3 hours ago" and a bare "09:52" find nothing, since they have no anchor.
pub fn find_timestamp(line: &str) -> Option<(Timestamp, Range<usize>)> {
    if !line.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let tokens = tokenize(line);
    let scanner = Scanner { text: line, tokens: &tokens };
    (0..tokens.len()).find_map(|index| scanner.timestamp_at(index))
}

/// Keeps a timestamp whose year is in [`YEARS`], without fractional seconds.
fn plausible(timestamp: Timestamp) -> Option<Timestamp> {
    if !YEARS.contains(&timestamp.date().year()) {
        return None;
    }
    Some(match timestamp {
        Timestamp::DateTime(datetime) => Timestamp::DateTime(datetime.with_nanosecond(0).unwrap_or(datetime)),
        date => date,
    })
}

/// A string of digits only: Unix epoch seconds (10 digits), milliseconds (13 digits), or a
/// compact `YYYYMMDD` date.
fn parse_all_digits(text: &str) -> Option<Timestamp> {
    let seconds = match text.len() {
        8 => {
            let value: u32 = text.parse().ok()?;
            return ymd(value / 10_000, value / 100 % 100, value % 100).map(Timestamp::Date);
        }
        10 => text.parse::<i64>().ok()?,
        13 => text.parse::<i64>().ok()? / 1000,
        _ => return None,
    };
    let datetime = DateTime::from_timestamp(seconds, 0)?;
    plausible(Timestamp::DateTime(datetime.fixed_offset()))
}

/// A checked calendar date in [`YEARS`].
fn ymd(year: u32, month: u32, day: u32) -> Option<NaiveDate> {
    let year = i32::try_from(year).ok()?;
    if !YEARS.contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A run of ASCII digits; `value` saturates for runs too long to matter.
    Number { value: u64, digits: usize },
    /// A run of letters.
    Word,
    /// Any other single character that is not whitespace.
    Symbol(char),
}

/// One token of a line, with its byte range and whether whitespace precedes it.
#[derive(Clone, Copy, Debug)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
    spaced: bool,
}

/// Splits a line into digit runs, letter runs and single symbols. Letters and digits split
/// apart even when glued, so "GMT19" is the word "GMT" and the number 19.
fn tokenize(line: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = line.char_indices().peekable();
    let mut spaced = false;
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() || c == '\u{00A0}' {
            spaced = true;
            continue;
        }
        let kind = if c.is_ascii_digit() {
            let mut value = u64::from(c as u8 - b'0');
            let mut digits = 1;
            while let Some(&(_, next)) = chars.peek() {
                if !next.is_ascii_digit() {
                    break;
                }
                value = value.saturating_mul(10).saturating_add(u64::from(next as u8 - b'0'));
                digits += 1;
                chars.next();
            }
            Kind::Number { value, digits }
        } else if c.is_alphabetic() {
            while chars.peek().is_some_and(|&(_, next)| next.is_alphabetic()) {
                chars.next();
            }
            Kind::Word
        } else {
            Kind::Symbol(c)
        };
        let end = chars.peek().map_or(line.len(), |&(index, _)| index);
        tokens.push(Token { kind, start, end, spaced });
        spaced = false;
    }
    tokens
}

/// A matched calendar date and the tokens it covers.
#[derive(Clone, Copy, Debug)]
struct DateMatch {
    date: NaiveDate,
    start: usize,
    end: usize,
}

/// A matched clock time, its zone if one was stated, and the tokens it covers.
#[derive(Clone, Copy, Debug)]
struct TimeMatch {
    time: NaiveTime,
    zone: Option<Zone>,
    end: usize,
}

/// A stated time zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Zone {
    /// A fixed offset from UTC, in seconds.
    Fixed(i32),
    /// A North American zone name without its season ("ET", "PT"): the standard offset in
    /// seconds, one hour more while daylight saving time is in force.
    NorthAmerican(i32),
}

/// Named zones as pages write them after a time, with their offsets in minutes. `IST` is
/// India's, the commonest reading on English-language news pages.
const ZONES: &[(&str, i32)] = &[
    ("UTC", 0),
    ("GMT", 0),
    ("UT", 0),
    ("Z", 0),
    ("WET", 0),
    ("WEST", 60),
    ("BST", 60),
    ("IST", 330),
    ("CET", 60),
    ("CEST", 120),
    ("MEZ", 60),
    ("MESZ", 120),
    ("EET", 120),
    ("EEST", 180),
    ("MSK", 180),
    ("WAT", 60),
    ("CAT", 120),
    ("EAT", 180),
    ("SAST", 120),
    ("GST", 240),
    ("PKT", 300),
    ("NPT", 345),
    ("ICT", 420),
    ("WIB", 420),
    ("HKT", 480),
    ("SGT", 480),
    ("PHT", 480),
    ("AWST", 480),
    ("JST", 540),
    ("KST", 540),
    ("ACST", 570),
    ("AEST", 600),
    ("AEDT", 660),
    ("NZST", 720),
    ("NZDT", 780),
    ("EST", -300),
    ("EDT", -240),
    ("CST", -360),
    ("CDT", -300),
    ("MST", -420),
    ("MDT", -360),
    ("PST", -480),
    ("PDT", -420),
    ("AKST", -540),
    ("AKDT", -480),
    ("HST", -600),
    ("AST", -240),
    ("ADT", -180),
    ("NST", -210),
    ("NDT", -150),
];

/// North American zone names that leave the season open, with their standard offsets in
/// minutes.
const SEASONAL_ZONES: &[(&str, i32)] = &[("ET", -300), ("CT", -360), ("MT", -420), ("PT", -480)];

/// English month names and their usual abbreviations.
const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

/// English weekday names and abbreviations, absorbed into a date's range when they lead it.
const WEEKDAYS: &[&str] = &[
    "monday",
    "mon",
    "tuesday",
    "tue",
    "tues",
    "wednesday",
    "wed",
    "thursday",
    "thu",
    "thur",
    "thurs",
    "friday",
    "fri",
    "saturday",
    "sat",
    "sunday",
    "sun",
];

/// Words that may stand between a date and its time.
const CONNECTOR_WORDS: &[&str] = &["at", "on", "um", "à"];

/// Symbols that may stand between a date and its time.
const CONNECTOR_SYMBOLS: &[char] = &[',', '|', '-', '–', '—', '•', '·', '/', '@', '(', ')', ';'];

/// Matches date and time patterns on the tokens of one line.
struct Scanner<'a> {
    text: &'a str,
    tokens: &'a [Token],
}

impl Scanner<'_> {
    /// The token at `index`, if any.
    fn token(&self, index: usize) -> Option<&Token> {
        self.tokens.get(index)
    }

    /// The source text of the token at `index`, or "" past the end.
    fn word(&self, index: usize) -> &str {
        match self.token(index) {
            Some(token) if token.kind == Kind::Word => &self.text[token.start..token.end],
            _ => "",
        }
    }

    /// The number at `index` when it has `digits` digits within the given range.
    fn number(&self, index: usize, digits: Range<usize>) -> Option<u32> {
        match self.token(index)?.kind {
            Kind::Number { value, digits: count } if digits.contains(&count) => u32::try_from(value).ok(),
            _ => None,
        }
    }

    /// True when the token at `index` is the symbol `symbol`.
    fn is_symbol(&self, index: usize, symbol: char) -> bool {
        self.token(index).is_some_and(|token| token.kind == Kind::Symbol(symbol))
    }

    /// True when the token at `index` exists and no whitespace precedes it.
    fn glued(&self, index: usize) -> bool {
        self.token(index).is_some_and(|token| !token.spaced)
    }

    /// The glued separator symbol at `index` if it is one of `allowed`.
    fn separator(&self, index: usize, allowed: &[char]) -> Option<char> {
        match self.token(index)?.kind {
            Kind::Symbol(symbol) if allowed.contains(&symbol) && self.glued(index) && self.glued(index + 1) => {
                Some(symbol)
            }
            _ => None,
        }
    }

    /// The month named by the word at `index`.
    fn month(&self, index: usize) -> Option<u32> {
        let word = self.word(index);
        MONTHS.iter().find(|(name, _)| name.eq_ignore_ascii_case(word)).map(|&(_, month)| month)
    }

    /// True when the word at `index` names a weekday.
    fn is_weekday(&self, index: usize) -> bool {
        let word = self.word(index);
        WEEKDAYS.iter().any(|name| name.eq_ignore_ascii_case(word))
    }

    /// A full timestamp whose date starts at token `index`, with a time after or before it.
    fn timestamp_at(&self, index: usize) -> Option<(Timestamp, Range<usize>)> {
        let date = self.date_at(index)?;
        let mut first = self.weekday_before(date.start);
        let mut last = date.end;
        let timestamp = if let Some(time) = self.time_after(date.end) {
            last = time.end;
            combine(date.date, time)
        } else if let Some((start, time)) = self.time_before(first) {
            first = start;
            combine(date.date, time)
        } else {
            Some(Timestamp::Date(date.date))
        }?;
        let range = self.tokens[first].start..self.tokens[last - 1].end;
        Some((timestamp, range))
    }

    /// Moves `start` back over a leading weekday name and its comma.
    fn weekday_before(&self, start: usize) -> usize {
        let mut index = start;
        if index > 0 && self.is_symbol(index - 1, ',') {
            index -= 1;
        }
        if index > 0 && self.is_weekday(index - 1) { index - 1 } else { start }
    }

    /// A calendar date starting at token `index`.
    fn date_at(&self, index: usize) -> Option<DateMatch> {
        self.iso_date(index)
            .or_else(|| self.numeric_date(index))
            .or_else(|| self.month_first_date(index))
            .or_else(|| self.day_first_date(index))
    }

    /// `2021-01-19`, `2021/01/19`, `2021.01.19`, and compact `20210119` when a `T` and a time
    /// follow.
    fn iso_date(&self, index: usize) -> Option<DateMatch> {
        if let Some(value) = self.number(index, 8..9) {
            if self.word(index + 1).eq_ignore_ascii_case("t") && self.glued(index + 1) && self.glued(index + 2) {
                let date = ymd(value / 10_000, value / 100 % 100, value % 100)?;
                return Some(DateMatch { date, start: index, end: index + 1 });
            }
            return None;
        }
        let year = self.number(index, 4..5)?;
        let separator = self.separator(index + 1, &['-', '/', '.'])?;
        let month = self.number(index + 2, 1..3)?;
        self.separator(index + 3, &[separator])?;
        let day = self.number(index + 4, 1..3)?;
        let date = ymd(year, month, day)?;
        Some(DateMatch { date, start: index, end: index + 5 })
    }

    /// `19.01.2021` (day first), `1/19/2021` and `01-19-2021` (month first unless the first
    /// number cannot be a month), with two-digit years for `/` and `.`.
    fn numeric_date(&self, index: usize) -> Option<DateMatch> {
        let first = self.number(index, 1..3)?;
        let separator = self.separator(index + 1, &['/', '.', '-'])?;
        let second = self.number(index + 2, 1..3)?;
        self.separator(index + 3, &[separator])?;
        let year = match self.number(index + 4, 2..5)? {
            year if year >= 1000 => year,
            year if year < 100 && separator != '-' => {
                if year < 70 {
                    2000 + year
                } else {
                    1900 + year
                }
            }
            _ => return None,
        };
        // A glued separator and number after the year means a longer code, not a date.
        if self.separator(index + 5, &[separator]).is_some() {
            return None;
        }
        let day_first = separator == '.' || first > 12;
        let (day, month) = if day_first { (first, second) } else { (second, first) };
        let date = ymd(year, month, day)?;
        Some(DateMatch { date, start: index, end: index + 5 })
    }

    /// `January 19, 2021`, `Jan. 19 2021`, `Jan 19th, 2021`.
    fn month_first_date(&self, index: usize) -> Option<DateMatch> {
        let month = self.month(index)?;
        let mut next = index + 1;
        if self.is_symbol(next, '.') && self.glued(next) {
            next += 1;
        }
        let day = self.number(next, 1..3)?;
        next = self.skip_ordinal(next + 1);
        if self.is_symbol(next, ',') {
            next += 1;
        }
        let year = self.number(next, 4..5)?;
        let date = ymd(year, month, day)?;
        Some(DateMatch { date, start: index, end: next + 1 })
    }

    /// `19 January 2021`, `19 Jan. 2021`, `19-Jan-2021`, `19th of January, 2021`.
    fn day_first_date(&self, index: usize) -> Option<DateMatch> {
        let day = self.number(index, 1..3)?;
        let mut next = self.skip_ordinal(index + 1);
        if self.word(next).eq_ignore_ascii_case("of") {
            next += 1;
        }
        if self.separator(next, &['-', '/']).is_some() {
            next += 1;
        }
        let month = self.month(next)?;
        next += 1;
        if self.is_symbol(next, '.') && self.glued(next) {
            next += 1;
        }
        if self.is_symbol(next, ',') || self.separator(next, &['-', '/']).is_some() {
            next += 1;
        }
        let year = self.number(next, 4..5)?;
        let date = ymd(year, month, day)?;
        Some(DateMatch { date, start: index, end: next + 1 })
    }

    /// Skips a glued ordinal suffix ("st", "nd", "rd", "th") at `index`.
    fn skip_ordinal(&self, index: usize) -> usize {
        let word = self.word(index);
        let is_ordinal = ["st", "nd", "rd", "th"].iter().any(|suffix| suffix.eq_ignore_ascii_case(word));
        if is_ordinal && self.glued(index) { index + 1 } else { index }
    }

    /// Skips at most two connectors (", at", "|", "-") starting at `index`.
    fn skip_connectors(&self, mut index: usize) -> usize {
        for _ in 0..2 {
            let Some(token) = self.token(index) else { break };
            let is_connector = match token.kind {
                Kind::Symbol(symbol) => CONNECTOR_SYMBOLS.contains(&symbol),
                Kind::Word => {
                    let word = self.word(index);
                    CONNECTOR_WORDS.iter().any(|connector| connector.eq_ignore_ascii_case(word))
                }
                Kind::Number { .. } => false,
            };
            if !is_connector {
                break;
            }
            index += 1;
        }
        index
    }

    /// A time after a date that ends before token `index`: ISO's glued `T`, or a clock time
    /// after connectors.
    fn time_after(&self, index: usize) -> Option<TimeMatch> {
        if self.word(index).eq_ignore_ascii_case("t") && self.glued(index) && self.glued(index + 1) {
            return self.time_at(index + 1, true);
        }
        self.time_at(self.skip_connectors(index), false)
    }

    /// A time that ends, up to connectors, right before token `date_start`; returns its first
    /// token too.
    fn time_before(&self, date_start: usize) -> Option<(usize, TimeMatch)> {
        (date_start.saturating_sub(12)..date_start).find_map(|start| {
            let time = self.time_at(start, false)?;
            let mut end = time.end;
            // A leading weekday may sit between the time and the date ("9:52 AM ET, Tue Jan 19").
            end = self.skip_connectors(end);
            if end < date_start && self.is_weekday(end) {
                end = self.skip_connectors(end + 1);
            }
            (end == date_start || time.end == date_start).then_some((start, time))
        })
    }

    /// A clock time at token `index`: `09:52`, `9:52:07.5`, `9:52 a.m.`, `5pm`, `9.52am`, and
    /// after an ISO `T` also `0952` and `095200`. A zone may follow.
    fn time_at(&self, index: usize, after_t: bool) -> Option<TimeMatch> {
        let token = self.token(index)?;
        let Kind::Number { value, digits } = token.kind else { return None };
        let (mut hour, minute, mut second, mut next);
        if after_t && (digits == 4 || digits == 6) {
            let value = u32::try_from(value).ok()?;
            (hour, minute, second) = if digits == 4 {
                (value / 100, value % 100, 0)
            } else {
                (value / 10_000, value / 100 % 100, value % 100)
            };
            next = index + 1;
        } else if digits <= 2 {
            hour = u32::try_from(value).ok()?;
            second = 0;
            if self.separator(index + 1, &[':']).is_some() {
                minute = self.number(index + 2, 2..3)?;
                next = index + 3;
                if self.separator(next, &[':']).is_some() {
                    second = self.number(next + 1, 2..3)?;
                    next += 2;
                }
            } else if self.separator(index + 1, &['.']).is_some()
                && (self.meridiem(index + 3).is_some() || self.zone_name_at(index + 3).is_some())
            {
                minute = self.number(index + 2, 2..3)?;
                next = index + 3;
            } else if self.meridiem(index + 1).is_some() {
                minute = 0;
                next = index + 1;
            } else {
                return None;
            }
        } else {
            return None;
        }
        // Fractional seconds are read past and dropped.
        if (self.is_symbol(next, '.') || self.is_symbol(next, ','))
            && self.glued(next)
            && self.glued(next + 1)
            && self.number(next + 1, 1..10).is_some()
        {
            next += 2;
        }
        if let Some((is_pm, after)) = self.meridiem(next) {
            if hour == 0 || hour > 12 {
                return None;
            }
            hour = match (hour, is_pm) {
                (12, false) => 0,
                (12, true) => 12,
                (hour, true) => hour + 12,
                (hour, false) => hour,
            };
            next = after;
        }
        if second == 60 {
            second = 59;
        }
        let time = NaiveTime::from_hms_opt(hour, minute, second)?;
        let (zone, end) = match self.zone_at(next) {
            Some((zone, end)) => (Some(zone), end),
            None => (None, next),
        };
        // A time glued to more digits ("10:30:45:12", "12:301") is something else.
        if self.token(end).is_some_and(|token| matches!(token.kind, Kind::Number { .. }) && !token.spaced)
            && zone.is_none()
        {
            return None;
        }
        Some(TimeMatch { time, zone, end })
    }

    /// `am`, `pm`, `a.m.`, `p.m.` at `index`: whether it is afternoon, and the token after it.
    fn meridiem(&self, index: usize) -> Option<(bool, usize)> {
        let word = self.word(index);
        let is_pm = if word.eq_ignore_ascii_case("am") {
            false
        } else if word.eq_ignore_ascii_case("pm") {
            true
        } else if (word.eq_ignore_ascii_case("a") || word.eq_ignore_ascii_case("p"))
            && self.separator(index + 1, &['.']).is_some()
            && self.word(index + 2).eq_ignore_ascii_case("m")
        {
            let after = if self.is_symbol(index + 3, '.') && self.glued(index + 3) { index + 4 } else { index + 3 };
            return Some((word.eq_ignore_ascii_case("p"), after));
        } else {
            return None;
        };
        let after = if self.is_symbol(index + 1, '.') && self.glued(index + 1) { index + 2 } else { index + 1 };
        Some((is_pm, after))
    }

    /// A zone at `index`: `Z`, `+0000`, `+00:00`, `-05`, or an upper-case zone name,
    /// optionally followed by an offset ("GMT+1", "UTC+05:30").
    fn zone_at(&self, index: usize) -> Option<(Zone, usize)> {
        if let Some(found) = self.offset_at(index, false) {
            return Some(found);
        }
        let zone = self.zone_name_at(index)?;
        if zone == Zone::Fixed(0)
            && self.word(index) != "Z"
            && let Some(found) = self.offset_at(index + 1, true)
        {
            return Some(found);
        }
        Some((zone, index + 1))
    }

    /// An upper-case zone name at `index`; `Z` only when glued to the time.
    fn zone_name_at(&self, index: usize) -> Option<Zone> {
        let word = self.word(index);
        if word.is_empty() || !word.bytes().all(|b| b.is_ascii_uppercase()) {
            return None;
        }
        if word == "Z" && !self.glued(index) {
            return None;
        }
        if let Some(&(_, minutes)) = SEASONAL_ZONES.iter().find(|(name, _)| *name == word) {
            return Some(Zone::NorthAmerican(minutes * 60));
        }
        let &(_, minutes) = ZONES.iter().find(|(name, _)| *name == word)?;
        Some(Zone::Fixed(minutes * 60))
    }

    /// A numeric offset glued to its sign at `index`: `+0000`, `+00:00`, `-05`. A two-digit
    /// offset without minutes is read only right after a zone name (`loose`) or when glued to
    /// the time before it.
    fn offset_at(&self, index: usize, loose: bool) -> Option<(Zone, usize)> {
        let sign = match self.token(index)?.kind {
            Kind::Symbol('+') => 1,
            Kind::Symbol('-' | '−') => -1,
            _ => return None,
        };
        if !self.glued(index + 1) {
            return None;
        }
        let (hours, minutes, end) = if let Some(value) = self.number(index + 1, 4..5) {
            (value / 100, value % 100, index + 2)
        } else {
            let hours = self.number(index + 1, 1..3)?;
            if self.separator(index + 2, &[':']).is_some() {
                (hours, self.number(index + 3, 2..3)?, index + 4)
            } else if loose || self.glued(index) {
                (hours, 0, index + 2)
            } else {
                return None;
            }
        };
        if hours > 14 || minutes >= 60 {
            return None;
        }
        let seconds = i32::try_from(hours * 3600 + minutes * 60).ok()?;
        Some((Zone::Fixed(sign * seconds), end))
    }
}

/// A date and a time with its zone as one timestamp.
fn combine(date: NaiveDate, time: TimeMatch) -> Option<Timestamp> {
    let naive = date.and_time(time.time);
    let seconds = match time.zone {
        None => return Some(Timestamp::from_naive_utc(naive)),
        Some(Zone::Fixed(seconds)) => seconds,
        Some(Zone::NorthAmerican(standard)) => {
            if is_us_daylight_time(naive) {
                standard + 3600
            } else {
                standard
            }
        }
    };
    let offset = FixedOffset::east_opt(seconds)?;
    offset.from_local_datetime(&naive).single().map(Timestamp::DateTime)
}

/// True when US daylight saving time is in force at this local time: since 2007 from the
/// second Sunday of March to the first Sunday of November, before that from the first Sunday
/// of April to the last Sunday of October, switching at 02:00.
fn is_us_daylight_time(local: NaiveDateTime) -> bool {
    let year = local.year();
    let (start, end) = if year >= 2007 {
        (
            NaiveDate::from_weekday_of_month_opt(year, 3, Weekday::Sun, 2),
            NaiveDate::from_weekday_of_month_opt(year, 11, Weekday::Sun, 1),
        )
    } else {
        let last_october = (1..=5).rev().find_map(|n| NaiveDate::from_weekday_of_month_opt(year, 10, Weekday::Sun, n));
        (NaiveDate::from_weekday_of_month_opt(year, 4, Weekday::Sun, 1), last_october)
    };
    let (Some(start), Some(end)) = (start, end) else { return false };
    let two = NaiveTime::from_hms_opt(2, 0, 0).expect("02:00 exists");
    local >= start.and_time(two) && local < end.and_time(two)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses `input` as a whole string and compares it with the expected RFC 3339 form.
    fn check(input: &str, expected: &str) {
        let parsed = parse_date(input);
        assert_eq!(parsed.map(|timestamp| timestamp.to_string()).as_deref(), Some(expected), "input: {input:?}");
    }

    /// Finds a timestamp in a line and compares it and the text of its range with the
    /// expectations.
    fn check_find(line: &str, expected: &str, expected_text: &str) {
        let (timestamp, range) = find_timestamp(line).unwrap_or_else(|| panic!("no timestamp in {line:?}"));
        assert_eq!(timestamp.to_string(), expected, "line: {line:?}");
        assert_eq!(&line[range], expected_text, "line: {line:?}");
    }

    fn check_none(input: &str) {
        assert_eq!(parse_date(input), None, "input: {input:?}");
    }

    #[test]
    fn iso_8601_shapes() {
        check("2021-01-19", "2021-01-19");
        check("2021-01-19T09:52:00Z", "2021-01-19T09:52:00Z");
        check("2021-01-19T09:52:00+00:00", "2021-01-19T09:52:00Z");
        check("2021-01-19T09:52:00-05:00", "2021-01-19T09:52:00-05:00");
        check("2021-01-19T09:52:00.123456Z", "2021-01-19T09:52:00Z");
        check("2021-01-19T09:52:00.123+0100", "2021-01-19T09:52:00+01:00");
        check("2021-01-19T09:52Z", "2021-01-19T09:52:00Z");
        check("2021-01-19T09:52", "2021-01-19T09:52:00Z");
        check("2021-01-19T09:52:00", "2021-01-19T09:52:00Z");
        check("2021-01-19 09:52:00", "2021-01-19T09:52:00Z");
        check("2021-01-19 09:52:00 +0000", "2021-01-19T09:52:00Z");
        check("2021-01-19 09:52:00 UTC", "2021-01-19T09:52:00Z");
        check("2021-01-19T09:52:00+0530", "2021-01-19T09:52:00+05:30");
        check("2021-01-19T09:52:00-05", "2021-01-19T09:52:00-05:00");
        check("20210119T095200Z", "2021-01-19T09:52:00Z");
        check("20210119T0952", "2021-01-19T09:52:00Z");
        check("20210119", "2021-01-19");
        check("2021/01/19", "2021-01-19");
        check("2021.01.19", "2021-01-19");
        check("  2021-01-19T09:52:00Z\n", "2021-01-19T09:52:00Z");
    }

    #[test]
    fn rfc_2822_and_sloppy_feed_dates() {
        check("Tue, 19 Jan 2021 09:52:00 GMT", "2021-01-19T09:52:00Z");
        check("Tue, 19 Jan 2021 09:52:00 +0000", "2021-01-19T09:52:00Z");
        check("Tue, 19 Jan 2021 09:52 +0000", "2021-01-19T09:52:00Z");
        check("Tue, 19 Jan 2021 09:52:00 EST", "2021-01-19T09:52:00-05:00");
        check("Mon, 19 Jul 2021 09:52:00 EDT", "2021-07-19T09:52:00-04:00");
        check("Mon, 19 Jul 2021 09:52:00 PST", "2021-07-19T09:52:00-08:00");
        check("Tue, 19 Jan 2021 09:52:00 CET", "2021-01-19T09:52:00+01:00");
        check("Mon, 19 Jul 2021 09:52:00 BST", "2021-07-19T09:52:00+01:00");
        check("Tue, 19 Jan 2021 09:52:00 IST", "2021-01-19T09:52:00+05:30");
        // A wrong weekday, as feeds sometimes have, does not spoil the date.
        check("Mon, 19 Jan 2021 09:52:00 GMT", "2021-01-19T09:52:00Z");
        check("Tuesday, 19 January 2021 09:52:00 GMT", "2021-01-19T09:52:00Z");
        check("19 Jan 2021 09:52:00 GMT+1", "2021-01-19T09:52:00+01:00");
        check("19 Jan 2021 09:52 UTC+05:30", "2021-01-19T09:52:00+05:30");
    }

    #[test]
    fn numeric_dates() {
        check("19.01.2021", "2021-01-19");
        check("19.01.2021 09:52", "2021-01-19T09:52:00Z");
        check("01/19/2021", "2021-01-19");
        check("1/19/21", "2021-01-19");
        check("19/01/2021", "2021-01-19");
        // Both numbers could be the month: the US order is taken for slashes.
        check("03/04/2021", "2021-03-04");
        check("03.04.2021", "2021-04-03");
        check("01-19-2021", "2021-01-19");
    }

    #[test]
    fn month_name_dates() {
        check("January 19, 2021", "2021-01-19");
        check("Jan. 19, 2021", "2021-01-19");
        check("Jan 19 2021", "2021-01-19");
        check("19 January 2021", "2021-01-19");
        check("19th January 2021", "2021-01-19");
        check("19th of January, 2021", "2021-01-19");
        check("19-Jan-2021", "2021-01-19");
        check("Sept. 3, 2020", "2020-09-03");
        check("Jan. 19, 2021 9:52 a.m. ET", "2021-01-19T09:52:00-05:00");
        check("July 19, 2021 9:52 p.m. ET", "2021-07-19T21:52:00-04:00");
        check("Updated: 19 Jan 2021 14:05 IST", "2021-01-19T14:05:00+05:30");
        check("January 19, 2021 at 12:05 am", "2021-01-19T00:05:00Z");
        check("January 19, 2021 at 12 pm", "2021-01-19T12:00:00Z");
        check("Nov 7, 2021 1:30 AM PT", "2021-11-07T01:30:00-07:00");
        check("Nov 7, 2021 3:30 AM PT", "2021-11-07T03:30:00-08:00");
    }

    #[test]
    fn epoch_numbers() {
        check("1611049920", "2021-01-19T09:52:00Z");
        check("1611049920123", "2021-01-19T09:52:00Z");
        check_none("161104992");
        check_none("9999999999999");
    }

    #[test]
    fn rejects_implausible_and_garbage() {
        check_none("");
        check_none("yesterday");
        check_none("Published 3 hours ago");
        check_none("0001-01-01");
        check_none("2021-13-01");
        check_none("2021-02-30");
        check_none("1850-01-01");
        check_none("January 2021");
        check_none("09:52");
        check_none("31/31/2021");
    }

    #[test]
    fn finds_timestamps_in_lines() {
        check_find("09:52 GMT19 January 2021", "2021-01-19T09:52:00Z", "09:52 GMT19 January 2021");
        check_find("Posted on March 3, 2020 at 5:40 pm", "2020-03-03T17:40:00Z", "March 3, 2020 at 5:40 pm");
        check_find(
            "Updated 9:52 AM ET, Tue January 19, 2021",
            "2021-01-19T09:52:00-05:00",
            "9:52 AM ET, Tue January 19, 2021",
        );
        check_find("By Jane Doe | January 19, 2021", "2021-01-19", "January 19, 2021");
        check_find("Tuesday 19 January 2021 10.15am", "2021-01-19T10:15:00Z", "Tuesday 19 January 2021 10.15am");
        check_find("Last modified on Tue 19 Jan 2021 09.52 GMT", "2021-01-19T09:52:00Z", "Tue 19 Jan 2021 09.52 GMT");
        check_find("19 January 2021 - 09:52", "2021-01-19T09:52:00Z", "19 January 2021 - 09:52");
    }

    #[test]
    fn finds_nothing_without_an_anchor() {
        assert_eq!(find_timestamp("Published 3 hours ago"), None);
        assert_eq!(find_timestamp("Doors open at 9:30 pm on Friday"), None);
        assert_eq!(find_timestamp("He scored 3 goals in 2021."), None);
        assert_eq!(find_timestamp("Version 1.2.3.4 is out"), None);
        assert_eq!(find_timestamp("Call 555-12-2021-0000 now"), None);
    }
}

//! The patterns: absolute dates, relative expressions, durations and clock times, matched on
//! the tokens of one text, leftmost first and longest at each start.

use chrono::{Datelike, NaiveDate, Weekday};
use dateline_doc::{Granularity, TimeKind};

use super::calendar::{self, Which};
use super::token::{Kind, Lex, Token, Unit, Word};

/// A matched expression: its tokens `first..last` and its value.
#[derive(Clone, Debug)]
pub(super) struct Found {
    pub first: usize,
    pub last: usize,
    pub value: String,
    pub granularity: Granularity,
    pub kind: TimeKind,
}

impl Found {
    /// A point or period.
    fn date(first: usize, last: usize, value: String, granularity: Granularity) -> Found {
        Found { first, last, value, granularity, kind: TimeKind::Date }
    }

    /// True for a single day, which a clock time or a part of the day may refine.
    fn is_day(&self) -> bool {
        self.kind == TimeKind::Date && self.granularity == Granularity::Day
    }
}

/// The years a bare number may name.
const YEARS: std::ops::RangeInclusive<u32> = 1900..=2100;

/// Words that, right after a number, show it counts things rather than naming a year ("the
/// 2017 people").
const COUNTED: &[&str] = &[
    "people",
    "persons",
    "troops",
    "soldiers",
    "civilians",
    "residents",
    "refugees",
    "migrants",
    "workers",
    "members",
    "votes",
    "cases",
    "deaths",
    "dead",
    "children",
    "women",
    "men",
    "students",
    "police",
    "officers",
    "fighters",
    "prisoners",
    "jobs",
    "homes",
    "houses",
    "tons",
    "tonnes",
    "km",
    "miles",
    "metres",
    "meters",
    "dollars",
    "euros",
    "pounds",
    "delegates",
    "seats",
    "candidates",
    "protesters",
    "detainees",
    "hostages",
];

/// Matches the patterns over the tokens of one text.
pub(super) struct Scanner<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
    pub anchor: Option<NaiveDate>,
}

impl Scanner<'_> {
    /// Every expression, leftmost first, longest at each start, none overlapping.
    pub(super) fn scan(&self) -> Vec<Found> {
        let mut found = Vec::new();
        let mut index = 0;
        while index < self.tokens.len() {
            match self.starts(index).then(|| self.longest(index)).flatten() {
                Some(expression) => {
                    index = expression.last;
                    found.push(expression);
                }
                None => index += 1,
            }
        }
        found
    }

    /// True when an expression may start at token `index`: a cheap filter before the patterns.
    fn starts(&self, index: usize) -> bool {
        match self.tokens[index].kind {
            Kind::Number { .. } => true,
            Kind::Symbol(c) => c == '\'' || c == '’',
            Kind::Word(Lex::Other | Lex::OrdinalSuffix | Lex::Meridiem(_)) => false,
            Kind::Word(Lex::Word(word)) => matches!(
                word,
                Word::The
                    | Word::Last
                    | Word::Next
                    | Word::This
                    | Word::Past
                    | Word::Previous
                    | Word::Following
                    | Word::Coming
                    | Word::Current
                    | Word::Early
                    | Word::Late
                    | Word::Earlier
                    | Word::Later
                    | Word::Mid
                    | Word::End
                    | Word::Start
                    | Word::Middle
                    | Word::Q
            ),
            Kind::Word(_) => true,
        }
    }

    /// The longest expression starting at token `index`, a day refined by a time after it.
    fn longest(&self, index: usize) -> Option<Found> {
        let found = self.longest_plain(index)?;
        Some(self.with_time(found))
    }

    /// The longest expression starting at token `index`, without a time after it.
    fn longest_plain(&self, index: usize) -> Option<Found> {
        let candidates = [
            self.the_forms(index),
            self.modified(index),
            self.clock_expression(index),
            self.numeric_date(index),
            self.day_month(index),
            self.month_first(index),
            self.weekday(index),
            self.day_word(index),
            self.quarter(index),
            self.decade(index),
            self.year(index),
            self.duration(index),
        ];
        candidates.into_iter().flatten().reduce(|best, next| if next.last > best.last { next } else { best })
    }

    // Token access.

    /// The token at `index`, if any.
    fn token(&self, index: usize) -> Option<&Token> {
        self.tokens.get(index)
    }

    /// What the lexicon says of the word at `index`; `Lex::Other` for anything else.
    fn lex(&self, index: usize) -> Lex {
        match self.token(index).map(|token| token.kind) {
            Some(Kind::Word(lex)) => lex,
            _ => Lex::Other,
        }
    }

    /// True when the token at `index` is the function word `word`.
    fn is(&self, index: usize, word: Word) -> bool {
        self.lex(index) == Lex::Word(word)
    }

    /// The word at `index` when it is one of the lexicon's function words.
    fn word(&self, index: usize) -> Option<Word> {
        match self.lex(index) {
            Lex::Word(word) => Some(word),
            _ => None,
        }
    }

    /// The source text of the token at `index`, or "" past the end.
    fn text_of(&self, index: usize) -> &str {
        self.token(index).map_or("", |token| &self.text[token.start..token.end])
    }

    /// The number at `index` and its digit count.
    fn number(&self, index: usize) -> Option<(u32, usize)> {
        match self.token(index)?.kind {
            Kind::Number { value, digits } => Some((value, digits)),
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

    /// True when the token at `index` starts with a capital letter.
    fn upper(&self, index: usize) -> bool {
        self.token(index).is_some_and(|token| token.upper)
    }

    /// True when the token at `index` is a dash joining a range: a glued hyphen, or an en dash.
    fn is_dash(&self, index: usize) -> bool {
        (self.is_symbol(index, '-') && self.glued(index) && self.glued(index + 1))
            || self.is_symbol(index, '–')
            || self.is_symbol(index, '—')
    }

    /// True when the number at `index` is part of a longer figure ("1,000", "3.5", "$2019").
    fn in_figure(&self, index: usize) -> bool {
        let before = index > 0
            && self.glued(index)
            && match self.token(index - 1).map(|token| token.kind) {
                Some(Kind::Symbol(',' | '.')) => index > 1 && self.glued(index - 1) && self.number(index - 2).is_some(),
                Some(Kind::Symbol('$' | '£' | '€' | '#' | '+')) => true,
                _ => false,
            };
        let after = (self.is_symbol(index + 1, ',') || self.is_symbol(index + 1, '.'))
            && self.glued(index + 1)
            && self.glued(index + 2)
            && self.number(index + 2).is_some();
        let percent = self.is_symbol(index + 1, '%')
            || matches!(self.lex(index + 1), Lex::Other) && {
                let next = self.text_of(index + 1);
                next.eq_ignore_ascii_case("percent") || next.eq_ignore_ascii_case("per")
            };
        before || after || percent
    }

    /// A day of the month at `index`: 1 to 31 in one or two digits, not part of a figure or a
    /// clock time; returns it and the index after a glued ordinal suffix.
    fn day_number(&self, index: usize) -> Option<(u32, usize)> {
        let (value, digits) = self.number(index)?;
        if digits > 2 || !(1..=31).contains(&value) || self.in_figure(index) {
            return None;
        }
        if (self.is_symbol(index + 1, ':') || self.is_symbol(index + 1, '.'))
            && self.glued(index + 1)
            && self.number(index + 2).is_some()
            && self.glued(index + 2)
        {
            return None;
        }
        let next = index + 1;
        if self.lex(next) == Lex::OrdinalSuffix && self.glued(next) {
            return Some((value, next + 1));
        }
        Some((value, next))
    }

    /// A year at `index`: four digits in [`YEARS`], not part of a figure.
    fn year_number(&self, index: usize) -> Option<i32> {
        let (value, digits) = self.number(index)?;
        if digits != 4 || !YEARS.contains(&value) || self.in_figure(index) {
            return None;
        }
        if self.is_symbol(index + 1, ':') && self.glued(index + 1) {
            return None;
        }
        Some(value as i32)
    }

    /// The month named at `index` and the index after it: a capitalised full name, or a
    /// capitalised abbreviation with its glued full stop.
    fn month_name(&self, index: usize) -> Option<(u32, usize)> {
        if !self.upper(index) {
            return None;
        }
        match self.lex(index) {
            Lex::Month(month) => {
                let next = index + 1;
                // "Sept." keeps its full stop.
                if self.is_symbol(next, '.') && self.glued(next) && self.text_of(index).eq_ignore_ascii_case("sept") {
                    return Some((month, next + 1));
                }
                Some((month, next))
            }
            Lex::MonthAbbr(month) => {
                let next = index + 1;
                if self.is_symbol(next, '.') && self.glued(next) {
                    Some((month, next + 1))
                } else if self.number(next).is_some() {
                    Some((month, next))
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    // Tense.

    /// True when a sentence boundary lies at token `index`.
    fn ends_sentence(&self, index: usize) -> bool {
        match self.token(index).map(|token| token.kind) {
            Some(Kind::Symbol('!' | '?' | ';')) => true,
            Some(Kind::Symbol('.')) => {
                index == 0
                    || match self.token(index - 1).map(|token| token.kind) {
                        Some(Kind::Word(Lex::MonthAbbr(_) | Lex::WeekdayAbbr(_))) => false,
                        Some(Kind::Word(_)) => self.text_of(index - 1).len() >= 4,
                        Some(Kind::Number { .. }) => true,
                        _ => false,
                    }
            }
            _ => false,
        }
    }

    /// The tense of the word at `index`: `Some(true)` for the future, `Some(false)` for the
    /// past, `None` when it says nothing.
    fn cue(&self, index: usize) -> Option<bool> {
        match self.lex(index) {
            // "set to meet", not "set for February 16, were postponed".
            Lex::Word(Word::Future) if self.text_of(index).eq_ignore_ascii_case("set") => {
                self.is(index + 1, Word::To).then_some(true)
            }
            Lex::Word(Word::Future) => Some(true),
            Lex::Word(Word::PastVerb) => {
                // "to be held", "will be made".
                Some(index > 0 && self.text_of(index - 1).eq_ignore_ascii_case("be"))
            }
            Lex::Other => {
                let word = self.text_of(index);
                let past = word.len() >= 5
                    && word.is_char_boundary(word.len() - 2)
                    && word[word.len() - 2..].eq_ignore_ascii_case("ed")
                    && self.token(index).is_some_and(|token| !token.upper);
                if past {
                    let passive = index > 0 && self.text_of(index - 1).eq_ignore_ascii_case("be");
                    return Some(passive);
                }
                None
            }
            _ => None,
        }
    }

    /// Which occurrence a day or month without a year names, by the tense around token
    /// `index`: the nearest tense cue before it in its sentence decides, else the nearest
    /// after it; future cues are "will", "'ll", "shall", "scheduled", "upcoming", "due",
    /// "expected", "set to", "plans", "to be held"; past cues are past-tense verbs. Without a
    /// cue, or after "until" and "by" (a deadline, even in a past sentence), the nearest
    /// occurrence is taken.
    fn tense(&self, index: usize) -> Which {
        let before =
            if index > 0 && self.is(index - 1, Word::On) { index.saturating_sub(2) } else { index.wrapping_sub(1) };
        let deadline = matches!(self.word(before), Some(Word::Until | Word::By));
        match self.tense_cue(index) {
            Which::Past if deadline => Which::Nearest,
            which => which,
        }
    }

    /// The tense the cues around token `index` show.
    fn tense_cue(&self, index: usize) -> Which {
        const REACH: usize = 12;
        let mut back = index;
        while back > 0 && index - back < REACH {
            back -= 1;
            if self.ends_sentence(back) {
                break;
            }
            if let Some(future) = self.cue(back) {
                return if future { Which::Future } else { Which::Past };
            }
        }
        for ahead in index + 1..(index + REACH).min(self.tokens.len()) {
            if self.ends_sentence(ahead) {
                break;
            }
            if let Some(future) = self.cue(ahead) {
                return if future { Which::Future } else { Which::Past };
            }
        }
        Which::Nearest
    }

    // Values.

    /// A day and month without a year, placed by the anchor and the tense.
    fn day_month_value(&self, month: u32, day: u32, which: Which) -> Option<String> {
        match self.anchor {
            Some(anchor) => calendar::day_month(anchor, month, day, which).map(calendar::day),
            None => NaiveDate::from_ymd_opt(2000, month, day).map(|_| format!("XXXX-{month:02}-{day:02}")),
        }
    }

    /// A month without a year, placed by the anchor and `which`.
    fn month_value(&self, month: u32, which: Which) -> String {
        calendar::month(self.anchor.map(|anchor| calendar::month_year(anchor, month, which)), month)
    }

    /// A weekday placed by the anchor and `which`.
    fn weekday_value(&self, weekday: u32, which: Which) -> String {
        calendar::weekday(self.anchor, Weekday::try_from(weekday as u8).unwrap_or(Weekday::Mon), which)
    }

    // Patterns.

    /// Forms led by "the": "the 1990s", "the 5th of March", "the third quarter of 2019", "the
    /// previous day", "the past 24 hours", "the end of the year", "the weekend".
    fn the_forms(&self, index: usize) -> Option<Found> {
        if !self.is(index, Word::The) {
            return None;
        }
        let next = index + 1;
        let inner = match self.lex(next) {
            Lex::Word(Word::Previous | Word::Following | Word::Next) => self.shifted_unit(next, index),
            Lex::Word(Word::Past | Word::Last | Word::Coming) => self.counted_span(next, index),
            Lex::Word(Word::End | Word::Start | Word::Middle) => self.part_of(next, index),
            Lex::Unit(Unit::Weekend, false) => {
                let value = calendar::weekend(self.anchor, self.tense(next) == Which::Future);
                Some(Found::date(index, next + 1, value, Granularity::Week))
            }
            // "the third quarter", but "the | second-quarter figures".
            Lex::Ordinal(_) if !self.is_symbol(next + 1, '-') => self.quarter(next),
            _ => self.decade(next).or_else(|| self.day_month(next).filter(|found| self.has_of(found))),
        }?;
        Some(Found { first: index, ..inner })
    }

    /// True when a day-first date reads "5th of March": the article belongs to it.
    fn has_of(&self, found: &Found) -> bool {
        (found.first..found.last).any(|index| self.is(index, Word::Of))
    }

    /// "the previous day", "the following week", "the next month": a unit at `index + 1`,
    /// one before or after the anchor's.
    fn shifted_unit(&self, index: usize, first: usize) -> Option<Found> {
        let step = if self.is(index, Word::Previous) { -1 } else { 1 };
        let Lex::Unit(unit, false) = self.lex(index + 1) else { return None };
        let (value, granularity) = self.unit_value(unit, step)?;
        Some(Found::date(first, index + 2, value, granularity))
    }

    /// The anchor's day, week, month, quarter or year moved by `step` units.
    fn unit_value(&self, unit: Unit, step: i32) -> Option<(String, Granularity)> {
        Some(match unit {
            Unit::Day => (calendar::day_from(self.anchor, i64::from(step)), Granularity::Day),
            Unit::Week => (calendar::week_from(self.anchor, i64::from(step), false), Granularity::Week),
            Unit::Weekend => (calendar::week_from(self.anchor, i64::from(step), true), Granularity::Week),
            Unit::Month => (calendar::month_from(self.anchor, step), Granularity::Month),
            Unit::Quarter => (calendar::quarter_from(self.anchor, step), Granularity::Quarter),
            Unit::Year => (calendar::year_from(self.anchor, step), Granularity::Year),
            _ => return None,
        })
    }

    /// "past 24 hours", "last three years", "past week", "coming days" at `index` (after
    /// "the" at `first`): a duration.
    fn counted_span(&self, index: usize, first: usize) -> Option<Found> {
        if let Some(found) = self.duration(index + 1) {
            if found.kind == TimeKind::Duration {
                return Some(Found { first, ..found });
            }
        }
        let Lex::Unit(unit, false) = self.lex(index + 1) else { return None };
        if self.is(index, Word::Coming) {
            return None;
        }
        let (value, granularity) = duration_value(unit, Some(1))?;
        Some(Found { first, last: index + 2, value, granularity, kind: TimeKind::Duration })
    }

    /// "end of 2019", "start of next year", "middle of the month" at `index` (after "the" at
    /// `first`, if any): the period's value.
    fn part_of(&self, index: usize, first: usize) -> Option<Found> {
        if !self.is(index + 1, Word::Of) {
            return None;
        }
        let inner = index + 2;
        if self.is(inner, Word::The) {
            if let Lex::Unit(unit, false) = self.lex(inner + 1) {
                let (value, granularity) = self.unit_value(unit, 0)?;
                return Some(Found::date(first, inner + 2, value, granularity));
            }
        }
        if self.is_modifier(inner) {
            return None;
        }
        let found = self.longest_plain(inner).filter(|found| found.kind == TimeKind::Date)?;
        Some(Found { first, ..found })
    }

    /// True when the word at `index` modifies the period after it ("early", "end"): modifiers
    /// do not nest, which keeps the matching linear.
    fn is_modifier(&self, index: usize) -> bool {
        matches!(
            self.word(index),
            Some(
                Word::Early
                    | Word::Late
                    | Word::Earlier
                    | Word::Later
                    | Word::Mid
                    | Word::End
                    | Word::Start
                    | Word::Middle
            )
        )
    }

    /// Modified expressions: "early June", "late last year", "mid-2020", "earlier this month";
    /// "last Tuesday", "next June", "this week", "last night", "this morning", "past week";
    /// "end of the year".
    fn modified(&self, index: usize) -> Option<Found> {
        let word = self.word(index)?;
        let next = index + 1;
        match word {
            Word::Early | Word::Late | Word::Earlier | Word::Later | Word::Mid => {
                let inner =
                    if word == Word::Mid && self.is_symbol(next, '-') && self.glued(next) { next + 1 } else { next };
                if self.is_modifier(inner) {
                    return None;
                }
                let found = self.longest_plain(inner).filter(|found| found.kind == TimeKind::Date)?;
                Some(Found { first: index, ..found })
            }
            Word::End | Word::Start | Word::Middle => self.part_of(index, index),
            Word::Last | Word::Next | Word::This | Word::Coming | Word::Previous | Word::Current | Word::Past => {
                if index > 0 && self.is(index - 1, Word::The) && word != Word::This {
                    // "the last day" is handled with its article.
                    return None;
                }
                self.modified_unit(index, word)
            }
            _ => None,
        }
    }

    /// "last Tuesday", "next June", "this week", "last night", "this morning", "past week",
    /// "last three years" at `index`, led by `word`.
    fn modified_unit(&self, index: usize, word: Word) -> Option<Found> {
        let next = index + 1;
        let step = match word {
            Word::Last | Word::Previous | Word::Past => -1,
            Word::Next | Word::Coming => 1,
            _ => 0,
        };
        match self.lex(next) {
            Lex::Weekday(weekday) => {
                let which = match step {
                    -1 => Which::Last,
                    1 => Which::Next,
                    _ => self.tense(next),
                };
                Some(Found::date(index, next + 1, self.weekday_value(weekday, which), Granularity::Day))
            }
            Lex::Month(month) | Lex::MonthAbbr(month) => {
                let which = match step {
                    -1 => Which::Last,
                    1 => Which::Next,
                    _ => Which::Future,
                };
                let value = if step == 0 {
                    calendar::month(self.anchor.map(|anchor| anchor.year()), month)
                } else {
                    self.month_value(month, which)
                };
                Some(Found::date(index, next + 1, value, Granularity::Month))
            }
            Lex::Part(part) if word == Word::This || (word == Word::Last && part == "NI") => {
                let value = format!("{}T{part}", calendar::day_from(self.anchor, i64::from(step)));
                Some(Found::date(index, next + 1, value, Granularity::Time))
            }
            Lex::Unit(unit, false) if word == Word::Past => {
                let (value, granularity) = duration_value(unit, Some(1))?;
                Some(Found { first: index, last: next + 1, value, granularity, kind: TimeKind::Duration })
            }
            Lex::Unit(unit, false) => {
                let (value, granularity) = self.unit_value(unit, step)?;
                Some(Found::date(index, next + 1, value, granularity))
            }
            _ if matches!(word, Word::Past | Word::Last | Word::Next) => self
                .duration(next)
                .filter(|found| found.kind == TimeKind::Duration)
                .map(|found| Found { first: index, ..found }),
            _ => None,
        }
    }

    /// `2019-02-27`, and numeric dates `27/02/2019`, `27.02.2019`, `27-02-2019`, `2/6/19`.
    /// A numeric date is read day first, the order of most English-language news outside the
    /// United States (American news rarely writes numeric dates in running text), unless only
    /// the second number can be a day: `02/06/2019` is 2 June 2019, `02/16/2019` is 16
    /// February 2019.
    fn numeric_date(&self, index: usize) -> Option<Found> {
        let (first, digits) = self.number(index)?;
        if index > 0 && self.glued(index) && matches!(self.token(index - 1)?.kind, Kind::Symbol('/' | '-' | '.')) {
            return None;
        }
        let separator = match self.token(index + 1)?.kind {
            Kind::Symbol(c @ ('-' | '/' | '.')) if self.glued(index + 1) && self.glued(index + 2) => c,
            _ => return None,
        };
        let (second, second_digits) = self.number(index + 2)?;
        if !(self.is_symbol(index + 3, separator) && self.glued(index + 3) && self.glued(index + 4)) {
            return None;
        }
        let (third, third_digits) = self.number(index + 4)?;
        // A glued separator and number after the date means a longer code.
        if self.token(index + 5).is_some_and(|token| {
            !token.spaced && matches!(token.kind, Kind::Symbol('-' | '/' | '.' | ':')) && self.glued(index + 6)
        }) && self.number(index + 6).is_some()
        {
            return None;
        }
        let date = if digits == 4 && second_digits <= 2 && third_digits <= 2 {
            NaiveDate::from_ymd_opt(first as i32, second, third)
        } else if digits <= 2 && second_digits <= 2 && (third_digits == 4 || (third_digits == 2 && separator != '-')) {
            let year = if third_digits == 2 { if third < 70 { 2000 + third } else { 1900 + third } } else { third };
            let (day, month) = if second > 12 && first <= 12 { (second, first) } else { (first, second) };
            NaiveDate::from_ymd_opt(year as i32, month, day)
        } else {
            None
        }?;
        if !YEARS.contains(&(date.year() as u32)) {
            return None;
        }
        Some(Found::date(index, index + 5, calendar::day(date), Granularity::Day))
    }

    /// Day-first dates: "27 February 2019", "27-28 February", "3 November", "5th of March",
    /// "27 Feb., 2019".
    fn day_month(&self, index: usize) -> Option<Found> {
        let (day, mut next) = self.day_number(index)?;
        let mut end_day = None;
        if self.is_dash(next) || self.is(next, Word::To) {
            if let Some((second, after)) = self.day_number(next + 1) {
                if second > day {
                    end_day = Some(second);
                    next = after;
                }
            }
        }
        if self.is(next, Word::Of) {
            next += 1;
        }
        let (month, mut next) = self.month_name(next)?;
        let mut year = None;
        let mut year_at = next;
        if self.is_symbol(year_at, ',') {
            year_at += 1;
        }
        if let Some(found) = self.year_number(year_at) {
            year = Some(found);
            next = year_at + 1;
        }
        self.day_range(index, next, year, month, day, end_day)
    }

    /// The value of a day or a range of days in one month, with or without its year.
    fn day_range(
        &self,
        first: usize,
        last: usize,
        year: Option<i32>,
        month: u32,
        day: u32,
        end_day: Option<u32>,
    ) -> Option<Found> {
        let place = |day: u32| match year {
            Some(year) => NaiveDate::from_ymd_opt(year, month, day).map(calendar::day),
            None => self.day_month_value(month, day, self.tense(first)),
        };
        let start = place(day)?;
        match end_day {
            Some(end_day) => {
                let end = match year {
                    Some(year) => NaiveDate::from_ymd_opt(year, month, end_day).map(calendar::day)?,
                    // The end lies in the start's year.
                    None => format!("{}{end_day:02}", &start[..start.len() - 2]),
                };
                let value = format!("{start}/{end}");
                Some(Found { first, last, value, granularity: Granularity::Day, kind: TimeKind::Range })
            }
            None => Some(Found::date(first, last, start, Granularity::Day)),
        }
    }

    /// Month-first dates: "February 27, 2019", "Feb. 27-28, 2019", "March 5th", "December
    /// 2017", "December of 2017", and a month alone after a preposition ("in June").
    fn month_first(&self, index: usize) -> Option<Found> {
        let (month, next) = self.month_name(index)?;
        if let Some((day, mut after)) = self.day_number(next) {
            // "May 10 people" counts, "March 3 miles" measures.
            let counted = matches!(self.lex(after), Lex::Unit(..))
                || COUNTED.iter().any(|word| word.eq_ignore_ascii_case(self.text_of(after)));
            if !counted {
                let mut end_day = None;
                if self.is_dash(after) {
                    if let Some((second, beyond)) = self.day_number(after + 1) {
                        if second > day {
                            end_day = Some(second);
                            after = beyond;
                        }
                    }
                }
                let mut year_at = after;
                if self.is_symbol(year_at, ',') {
                    year_at += 1;
                }
                let year = self.year_number(year_at);
                let last = if year.is_some() { year_at + 1 } else { after };
                if let Some(found) = self.day_range(index, last, year, month, day, end_day) {
                    return Some(found);
                }
            }
        }
        let year_at = if self.is(next, Word::Of) { next + 1 } else { next };
        if let Some(year) = self.year_number(year_at) {
            return Some(Found::date(index, year_at + 1, calendar::month(Some(year), month), Granularity::Month));
        }
        if !self.month_licensed(index) {
            return None;
        }
        let value = self.month_value(month, self.tense(index));
        Some(Found::date(index, next, value, Granularity::Month))
    }

    /// True when the word before a month alone shows it names the month: "in June", "since
    /// May", "early March", "mid-May", "end of June", "May and June". "May" and "March" are
    /// also a verb and a noun, so they need a preposition of time.
    fn month_licensed(&self, index: usize) -> bool {
        if index == 0 {
            return false;
        }
        let before = index - 1;
        if self.is_symbol(before, '-') && self.glued(index) && self.is(before.wrapping_sub(1), Word::Mid) {
            return true;
        }
        let ambiguous = self.lex(index) == Lex::Month(5) || self.lex(index) == Lex::Month(3);
        match self.word(before) {
            Some(
                Word::In
                | Word::Since
                | Word::Until
                | Word::Through
                | Word::During
                | Word::Before
                | Word::After
                | Word::Early
                | Word::Late
                | Word::Mid
                | Word::Throughout
                | Word::Between,
            ) => true,
            Some(Word::By | Word::From) => true,
            Some(Word::To) => !ambiguous,
            Some(Word::Of) => {
                before > 0 && matches!(self.word(before - 1), Some(Word::End | Word::Start | Word::Middle))
            }
            Some(Word::And | Word::Or) => {
                before > 0
                    && matches!(self.lex(before - 1), Lex::Month(_) | Lex::MonthAbbr(_))
                    && self.upper(before - 1)
            }
            _ => false,
        }
    }

    /// A weekday: "Tuesday", "Tuesday, Feb. 26", "Wed., Feb. 27, 2019". A bare weekday names
    /// the last such day on or before the anchor, or the first after it in a sentence about
    /// the future (see [`Scanner::tense`]).
    fn weekday(&self, index: usize) -> Option<Found> {
        if !self.upper(index) {
            return None;
        }
        let (weekday, abbreviated) = match self.lex(index) {
            Lex::Weekday(weekday) => (weekday, false),
            Lex::WeekdayAbbr(weekday) => (weekday, true),
            _ => return None,
        };
        let mut next = index + 1;
        if abbreviated && self.is_symbol(next, '.') && self.glued(next) {
            next += 1;
        }
        if self.is_symbol(next, ',') {
            next += 1;
        }
        let date = self.month_first(next).or_else(|| self.day_month(next)).or_else(|| self.numeric_date(next));
        if let Some(date) = date.filter(Found::is_day) {
            return Some(Found { first: index, ..date });
        }
        if abbreviated {
            return None;
        }
        let value = self.weekday_value(weekday, self.tense(index));
        Some(Found::date(index, index + 1, value, Granularity::Day))
    }

    /// "today", "yesterday", "tomorrow", "tonight".
    fn day_word(&self, index: usize) -> Option<Found> {
        match self.lex(index) {
            Lex::DayWord(days) => {
                Some(Found::date(index, index + 1, calendar::day_from(self.anchor, days), Granularity::Day))
            }
            Lex::Tonight => {
                let value = format!("{}TNI", calendar::day_from(self.anchor, 0));
                Some(Found::date(index, index + 1, value, Granularity::Time))
            }
            _ => None,
        }
    }

    /// "Q3 2019", "Q3", "third quarter of 2019", "third-quarter".
    fn quarter(&self, index: usize) -> Option<Found> {
        let (quarter, mut next) = if self.is(index, Word::Q) && self.upper(index) && self.glued(index + 1) {
            let (value, digits) = self.number(index + 1)?;
            if digits != 1 {
                return None;
            }
            (value, index + 2)
        } else if let Lex::Ordinal(value) = self.lex(index) {
            let mut next = index + 1;
            if self.is_symbol(next, '-') && self.glued(next) {
                next += 1;
            }
            if self.lex(next) != Lex::Unit(Unit::Quarter, false) {
                return None;
            }
            (value, next + 1)
        } else {
            return None;
        };
        if !(1..=4).contains(&quarter) {
            return None;
        }
        let year_at = if self.is(next, Word::Of) { next + 1 } else { next };
        let relative_year = match (self.word(year_at), self.lex(year_at + 1)) {
            (Some(Word::Last | Word::Previous), Lex::Unit(Unit::Year, false)) => Some(-1),
            (Some(Word::This | Word::Current), Lex::Unit(Unit::Year, false)) => Some(0),
            (Some(Word::Next | Word::Coming), Lex::Unit(Unit::Year, false)) => Some(1),
            _ => None,
        };
        let year = if let Some(year) = self.year_number(year_at) {
            next = year_at + 1;
            Some(year)
        } else if let Some(offset) = relative_year.filter(|_| year_at > next) {
            // "the fourth quarter of last year".
            next = year_at + 2;
            self.anchor.map(|anchor| anchor.year() + offset)
        } else {
            self.anchor.map(|anchor| calendar::quarter_year(anchor, quarter, self.tense(index)))
        };
        Some(Found::date(index, next, calendar::quarter(year, quarter), Granularity::Quarter))
    }

    /// "1990s", "'90s": a decade.
    fn decade(&self, index: usize) -> Option<Found> {
        let (decade, last) = if self.is_symbol(index, '\'') || self.is_symbol(index, '’') {
            let (value, digits) = self.number(index + 1)?;
            if digits != 2 || !self.glued(index + 1) {
                return None;
            }
            (if value >= 30 { 190 + value / 10 } else { 200 + value / 10 }, index + 2)
        } else {
            let (value, digits) = self.number(index)?;
            if digits != 4 || !YEARS.contains(&value) || self.in_figure(index) {
                return None;
            }
            (value / 10, index + 1)
        };
        if !(self.is(last, Word::S) && self.glued(last)) {
            return None;
        }
        Some(Found::date(index, last + 1, format!("{decade}X"), Granularity::Decade))
    }

    /// A year alone in a year-ish context: "in 2017", "since 2015", "2017's", "the 2016
    /// election", "between 2015 and 2017", and year ranges "2015-2017", "2018-19".
    fn year(&self, index: usize) -> Option<Found> {
        let year = self.year_number(index)?;
        if self.is_dash(index + 1) && !self.is_symbol(index + 2, '-') {
            let end = match self.number(index + 2) {
                Some((value, 4)) => Some(value as i32),
                Some((value, 2)) => Some(year / 100 * 100 + value as i32),
                _ => None,
            };
            if let Some(end) = end.filter(|&end| end > year && end <= year + 30) {
                let value = format!("{year:04}/{end:04}");
                return Some(Found {
                    first: index,
                    last: index + 3,
                    value,
                    granularity: Granularity::Year,
                    kind: TimeKind::Range,
                });
            }
        }
        if !self.year_licensed(index) {
            return None;
        }
        Some(Found::date(index, index + 1, calendar::year(Some(year)), Granularity::Year))
    }

    /// True when the words around a bare year at `index` show it names a year.
    fn year_licensed(&self, index: usize) -> bool {
        let apostrophe = |at: usize| self.is_symbol(at, '\'') || self.is_symbol(at, '’');
        if apostrophe(index + 1) && self.glued(index + 1) && self.is(index + 2, Word::S) && self.glued(index + 2) {
            return true;
        }
        if index == 0 {
            return false;
        }
        let before = index - 1;
        let counted = || COUNTED.iter().any(|word| word.eq_ignore_ascii_case(self.text_of(index + 1)));
        if self.is_symbol(before, '-') && before > 0 && self.is(before - 1, Word::Mid) {
            return true;
        }
        if counted() {
            return false;
        }
        if self.is(before, Word::S) && before > 0 && apostrophe(before - 1) {
            return true;
        }
        match self.lex(before) {
            Lex::Word(
                Word::In
                | Word::Since
                | Word::By
                | Word::Until
                | Word::Through
                | Word::During
                | Word::From
                | Word::Before
                | Word::After
                | Word::Between
                | Word::Around
                | Word::Throughout
                | Word::Early
                | Word::Late
                | Word::Mid
                | Word::Of,
            ) => true,
            Lex::Word(Word::The) | Lex::Unit(Unit::Year, false) => true,
            Lex::Word(Word::And | Word::Or | Word::To) => before > 0 && self.year_number(before - 1).is_some(),
            _ => false,
        }
    }

    /// A count of units: "three days", "24 hours", "a decade", "a few weeks", "three-day";
    /// with "ago", "earlier", "later", "ahead", "from now" a date reckoned from the anchor
    /// ("two days ago"). Ages ("25 years old", "25-year-old") and rates ("twice a day") are
    /// not times.
    fn duration(&self, index: usize) -> Option<Found> {
        let (count, mut next) = match self.lex(index) {
            Lex::Cardinal(value) => (Some(value), index + 1),
            Lex::A if self.lex(index + 1) == Lex::Few => (None, index + 2),
            Lex::A => (Some(1), index + 1),
            Lex::Few => (None, index + 1),
            Lex::Other => {
                let (value, digits) = self.number(index)?;
                if digits > 3 || value == 0 || self.in_figure(index) {
                    return None;
                }
                (Some(value), index + 1)
            }
            _ => return None,
        };
        if index > 0 && matches!(self.word(index - 1), Some(Word::Times | Word::Per)) {
            return None;
        }
        if count.is_none() && self.is(next, Word::Of) {
            next += 1;
        }
        let hyphenated = self.is_symbol(next, '-') && self.glued(next) && self.glued(next + 1);
        if hyphenated {
            next += 1;
        }
        let Lex::Unit(unit, plural) = self.lex(next) else { return None };
        // "three-day" is singular; "one days" is not English.
        if plural && (hyphenated || count == Some(1)) {
            return None;
        }
        let last = next + 1;
        // Ages.
        if self.is(last, Word::Old) || (self.is_symbol(last, '-') && self.glued(last) && self.is(last + 1, Word::Old)) {
            return None;
        }
        if hyphenated {
            let (value, granularity) = duration_value(unit, count)?;
            return Some(Found { first: index, last, value, granularity, kind: TimeKind::Duration });
        }
        let direction = match self.word(last) {
            Some(Word::Ago | Word::Earlier) => Some(-1),
            Some(Word::Later | Word::Ahead) => Some(1),
            Some(Word::From) if self.is(last + 1, Word::Now) => Some(1),
            _ => None,
        };
        if let Some(direction) = direction {
            let count = count?;
            let (value, granularity) = self.unit_value_by(unit, direction * count as i32)?;
            let end = if self.is(last, Word::From) { last + 2 } else { last + 1 };
            return Some(Found::date(index, end, value, granularity));
        }
        let (value, granularity) = duration_value(unit, count)?;
        Some(Found { first: index, last, value, granularity, kind: TimeKind::Duration })
    }

    /// The anchor moved by `count` units, at the unit's granularity (a day for hours and
    /// minutes, a year for decades and centuries).
    fn unit_value_by(&self, unit: Unit, count: i32) -> Option<(String, Granularity)> {
        match unit {
            Unit::Minute | Unit::Hour => Some((calendar::day_from(self.anchor, 0), Granularity::Day)),
            Unit::Fortnight => self.unit_value(Unit::Week, count * 2),
            Unit::Decade => Some((calendar::year_from(self.anchor, count * 10), Granularity::Year)),
            Unit::Century => Some((calendar::year_from(self.anchor, count * 100), Granularity::Year)),
            unit => self.unit_value(unit, count),
        }
    }

    /// A clock time at `index` and the index after it: "3 p.m.", "3pm", "10:30 am", "15:00"
    /// (after "at", "from", "until", "by", "around"...), "noon", "midnight".
    fn clock(&self, index: usize) -> Option<(u32, u32, usize)> {
        if let Lex::Hour(hour) = self.lex(index) {
            return Some((hour, 0, index + 1));
        }
        let (hour, digits) = self.number(index)?;
        // "9.30am" reads like a figure but is a time.
        let dotted = self.is_symbol(index + 1, '.') && self.meridiem(index + 3).is_some();
        if digits > 2 || hour > 23 || (self.in_figure(index) && !dotted) {
            return None;
        }
        let (minute, next) = if self.is_symbol(index + 1, ':') && self.glued(index + 1) && self.glued(index + 2) {
            let (minute, digits) = self.number(index + 2)?;
            if digits != 2 || minute > 59 {
                return None;
            }
            (minute, index + 3)
        } else if self.is_symbol(index + 1, '.') && self.glued(index + 1) && self.glued(index + 2) {
            let (minute, digits) = self.number(index + 2)?;
            if digits != 2 || minute > 59 || self.meridiem(index + 3).is_none() {
                return None;
            }
            (minute, index + 3)
        } else {
            (0, index + 1)
        };
        match self.meridiem(next) {
            Some((pm, end)) => {
                if !(1..=12).contains(&hour) {
                    return None;
                }
                let hour = hour % 12 + if pm { 12 } else { 0 };
                Some((hour, minute, end))
            }
            None if next == index + 3 && self.is_symbol(index + 1, ':') => {
                let cued = index > 0
                    && matches!(
                        self.word(index - 1),
                        Some(
                            Word::At
                                | Word::From
                                | Word::Until
                                | Word::By
                                | Word::Around
                                | Word::Before
                                | Word::After
                                | Word::Since
                        )
                    );
                cued.then_some((hour, minute, next))
            }
            None => None,
        }
    }

    /// A meridiem at `index`: "am", "PM", "a.m.", "p.m"; whether it is afternoon, and the
    /// index after it.
    fn meridiem(&self, index: usize) -> Option<(bool, usize)> {
        if let Lex::Meridiem(pm) = self.lex(index) {
            return Some((pm, index + 1));
        }
        let letter = self.text_of(index);
        let pm = if letter.eq_ignore_ascii_case("p") {
            true
        } else if letter.eq_ignore_ascii_case("a") {
            false
        } else {
            return None;
        };
        if !(self.is_symbol(index + 1, '.') && self.glued(index + 1) && self.glued(index + 2)) {
            return None;
        }
        if !self.text_of(index + 2).eq_ignore_ascii_case("m") {
            return None;
        }
        let mut end = index + 3;
        if self.is_symbol(end, '.') && self.glued(end) {
            end += 1;
        }
        Some((pm, end))
    }

    /// A clock time, with the day after it when one follows ("3 p.m. on Tuesday", "10:30 am
    /// yesterday"), else on the anchor's day.
    fn clock_expression(&self, index: usize) -> Option<Found> {
        let (hour, minute, next) = self.clock(index)?;
        let time = format!("T{hour:02}:{minute:02}");
        let day_at = if self.is(next, Word::On) || self.is_symbol(next, ',') { next + 1 } else { next };
        // The day patterns only: a clock never reaches for another clock, which keeps the
        // matching linear.
        let day = self
            .weekday(day_at)
            .or_else(|| self.day_word(day_at))
            .or_else(|| self.numeric_date(day_at))
            .or_else(|| self.month_first(day_at))
            .or_else(|| self.day_month(day_at))
            .or_else(|| self.word(day_at).and_then(|word| self.modified_unit(day_at, word)));
        if let Some(day) = day.filter(Found::is_day) {
            return Some(Found::date(index, day.last, day.value + &time, Granularity::Time));
        }
        let value = calendar::day_from(self.anchor, 0) + &time;
        Some(Found::date(index, next, value, Granularity::Time))
    }

    /// A day refined by what follows it: a part of the day ("Tuesday night") or a clock time
    /// ("Tuesday at 3 p.m.", "Feb. 27, 2019, 10:30 am").
    fn with_time(&self, found: Found) -> Found {
        if !found.is_day() {
            return found;
        }
        if let Lex::Part(part) = self.lex(found.last) {
            let value = format!("{}T{part}", found.value);
            return Found { last: found.last + 1, value, granularity: Granularity::Time, ..found };
        }
        let mut at = found.last;
        if self.is_symbol(at, ',') {
            at += 1;
        }
        if matches!(self.word(at), Some(Word::At | Word::Around)) {
            at += 1;
        }
        if at == found.last {
            return found;
        }
        match self.clock(at) {
            Some((hour, minute, end)) => {
                let value = format!("{}T{hour:02}:{minute:02}", found.value);
                Found { last: end, value, granularity: Granularity::Time, ..found }
            }
            None => found,
        }
    }
}

/// The duration of `count` units (`None` for "a few"): `P3D`, `PT24H`, `P10Y`, `PXW`.
fn duration_value(unit: Unit, count: Option<u32>) -> Option<(String, Granularity)> {
    let n = |factor: u32| count.map_or_else(|| "X".to_owned(), |count| (count * factor).to_string());
    Some(match unit {
        Unit::Minute => (format!("PT{}M", n(1)), Granularity::Time),
        Unit::Hour => (format!("PT{}H", n(1)), Granularity::Time),
        Unit::Day => (format!("P{}D", n(1)), Granularity::Day),
        Unit::Week => (format!("P{}W", n(1)), Granularity::Week),
        Unit::Fortnight => (format!("P{}W", n(2)), Granularity::Week),
        Unit::Month => (format!("P{}M", n(1)), Granularity::Month),
        Unit::Quarter => (format!("P{}M", n(3)), Granularity::Quarter),
        Unit::Year => (format!("P{}Y", n(1)), Granularity::Year),
        Unit::Decade if count.is_none() => ("PXDE".to_owned(), Granularity::Decade),
        Unit::Decade => (format!("P{}Y", n(10)), Granularity::Decade),
        Unit::Century if count.is_none() => ("PXCE".to_owned(), Granularity::Decade),
        Unit::Century => (format!("P{}Y", n(100)), Granularity::Decade),
        Unit::Weekend => return None,
    })
}

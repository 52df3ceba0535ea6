//! The tokens the time finder matches on: digit runs, letter runs and single symbols, each
//! word looked up once in a small lexicon of the words temporal expressions are made of.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// A run of ASCII digits; `value` saturates for runs too long to matter.
    Number { value: u32, digits: usize },
    /// A run of letters, with what the lexicon says of it.
    Word(Lex),
    /// Any other single character that is not whitespace.
    Symbol(char),
}

/// One token, with its byte range, whether whitespace precedes it, and whether it starts with
/// a capital letter.
#[derive(Clone, Copy, Debug)]
pub(super) struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    pub spaced: bool,
    pub upper: bool,
}

/// A unit of time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Unit {
    Minute,
    Hour,
    Day,
    Week,
    Fortnight,
    Month,
    Quarter,
    Year,
    Decade,
    Century,
    Weekend,
}

/// What the lexicon knows of a word. Words it does not know are [`Lex::Other`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Lex {
    /// Any other word.
    Other,
    /// A month's full name (or "Sept"), 1-based.
    Month(u32),
    /// A month's three-letter abbreviation.
    MonthAbbr(u32),
    /// A weekday's full name, 0 for Monday.
    Weekday(u32),
    /// A weekday's abbreviation.
    WeekdayAbbr(u32),
    /// "today", "yesterday", "tomorrow": days from the anchor.
    DayWord(i64),
    /// "tonight".
    Tonight,
    /// A part of the day, as its TIMEX3 code: "MO", "AF", "EV", "NI".
    Part(&'static str),
    /// "noon" or "midnight": the hour.
    Hour(u32),
    /// A unit of time; `true` when plural.
    Unit(Unit, bool),
    /// A cardinal number word.
    Cardinal(u32),
    /// "a", "an".
    A,
    /// "few", "several", "couple": an unknown count.
    Few,
    /// An ordinal word ("first", "third").
    Ordinal(u32),
    /// "am", "pm".
    Meridiem(bool),
    /// "st", "nd", "rd", "th".
    OrdinalSuffix,
    /// A word shaping the reading of the next expression.
    Word(Word),
}

/// Function words and modifiers the patterns look for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Word {
    The,
    Of,
    In,
    On,
    At,
    For,
    Since,
    By,
    Until,
    Through,
    During,
    From,
    To,
    Before,
    After,
    Between,
    And,
    Or,
    Around,
    Throughout,
    Last,
    Next,
    This,
    Past,
    Previous,
    Following,
    Coming,
    Current,
    Ago,
    Earlier,
    Later,
    Ahead,
    Early,
    Late,
    Mid,
    End,
    Start,
    Middle,
    Now,
    Old,
    Aged,
    Q,
    S,
    Times,
    Per,
    /// A word that points to the future: "will", "scheduled", "upcoming".
    Future,
    /// A word that points to the past: "said", "was", "met".
    PastVerb,
}

/// Splits `text` into digit runs, letter runs and single symbols, and looks each word up.
pub(super) fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let mut chars = text.char_indices().peekable();
    let mut spaced = true;
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            spaced = true;
            continue;
        }
        let mut upper = false;
        let kind = if c.is_ascii_digit() {
            let mut value = u32::from(c as u8 - b'0');
            let mut digits = 1;
            while let Some(&(_, next)) = chars.peek() {
                if !next.is_ascii_digit() {
                    break;
                }
                value = value.saturating_mul(10).saturating_add(u32::from(next as u8 - b'0'));
                digits += 1;
                chars.next();
            }
            Kind::Number { value, digits }
        } else if c.is_alphabetic() {
            upper = c.is_uppercase();
            while chars.peek().is_some_and(|&(_, next)| next.is_alphabetic()) {
                chars.next();
            }
            let end = chars.peek().map_or(text.len(), |&(index, _)| index);
            Kind::Word(lookup(&text[start..end]))
        } else {
            Kind::Symbol(c)
        };
        let end = chars.peek().map_or(text.len(), |&(index, _)| index);
        tokens.push(Token { kind, start, end, spaced, upper });
        spaced = false;
    }
    tokens
}

/// Looks a word up in the lexicon, case-insensitively, without allocating.
pub(super) fn lookup(word: &str) -> Lex {
    let mut buffer = [0u8; 12];
    if word.len() > buffer.len() || !word.is_ascii() {
        return Lex::Other;
    }
    let lower = &mut buffer[..word.len()];
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    let lower = std::str::from_utf8(lower).unwrap_or("");
    match lower {
        "january" => Lex::Month(1),
        "february" => Lex::Month(2),
        "march" => Lex::Month(3),
        "april" => Lex::Month(4),
        "may" => Lex::Month(5),
        "june" => Lex::Month(6),
        "july" => Lex::Month(7),
        "august" => Lex::Month(8),
        "september" | "sept" => Lex::Month(9),
        "october" => Lex::Month(10),
        "november" => Lex::Month(11),
        "december" => Lex::Month(12),
        "jan" => Lex::MonthAbbr(1),
        "feb" => Lex::MonthAbbr(2),
        "mar" => Lex::MonthAbbr(3),
        "apr" => Lex::MonthAbbr(4),
        "jun" => Lex::MonthAbbr(6),
        "jul" => Lex::MonthAbbr(7),
        "aug" => Lex::MonthAbbr(8),
        "sep" => Lex::MonthAbbr(9),
        "oct" => Lex::MonthAbbr(10),
        "nov" => Lex::MonthAbbr(11),
        "dec" => Lex::MonthAbbr(12),
        "monday" => Lex::Weekday(0),
        "tuesday" => Lex::Weekday(1),
        "wednesday" => Lex::Weekday(2),
        "thursday" => Lex::Weekday(3),
        "friday" => Lex::Weekday(4),
        "saturday" => Lex::Weekday(5),
        "sunday" => Lex::Weekday(6),
        "mon" => Lex::WeekdayAbbr(0),
        "tue" | "tues" => Lex::WeekdayAbbr(1),
        "wed" => Lex::WeekdayAbbr(2),
        "thu" | "thur" | "thurs" => Lex::WeekdayAbbr(3),
        "fri" => Lex::WeekdayAbbr(4),
        "sat" => Lex::WeekdayAbbr(5),
        "sun" => Lex::WeekdayAbbr(6),
        "today" => Lex::DayWord(0),
        "yesterday" => Lex::DayWord(-1),
        "tomorrow" => Lex::DayWord(1),
        "tonight" => Lex::Tonight,
        "morning" => Lex::Part("MO"),
        "afternoon" => Lex::Part("AF"),
        "evening" => Lex::Part("EV"),
        "night" => Lex::Part("NI"),
        "noon" | "midday" => Lex::Hour(12),
        "midnight" => Lex::Hour(0),
        "minute" => Lex::Unit(Unit::Minute, false),
        "minutes" => Lex::Unit(Unit::Minute, true),
        "hour" => Lex::Unit(Unit::Hour, false),
        "hours" => Lex::Unit(Unit::Hour, true),
        "day" => Lex::Unit(Unit::Day, false),
        "days" => Lex::Unit(Unit::Day, true),
        "week" => Lex::Unit(Unit::Week, false),
        "weeks" => Lex::Unit(Unit::Week, true),
        "fortnight" => Lex::Unit(Unit::Fortnight, false),
        "month" => Lex::Unit(Unit::Month, false),
        "months" => Lex::Unit(Unit::Month, true),
        "quarter" => Lex::Unit(Unit::Quarter, false),
        "quarters" => Lex::Unit(Unit::Quarter, true),
        "year" => Lex::Unit(Unit::Year, false),
        "years" => Lex::Unit(Unit::Year, true),
        "decade" => Lex::Unit(Unit::Decade, false),
        "decades" => Lex::Unit(Unit::Decade, true),
        "century" => Lex::Unit(Unit::Century, false),
        "centuries" => Lex::Unit(Unit::Century, true),
        "weekend" => Lex::Unit(Unit::Weekend, false),
        "one" => Lex::Cardinal(1),
        "two" => Lex::Cardinal(2),
        "three" => Lex::Cardinal(3),
        "four" => Lex::Cardinal(4),
        "five" => Lex::Cardinal(5),
        "six" => Lex::Cardinal(6),
        "seven" => Lex::Cardinal(7),
        "eight" => Lex::Cardinal(8),
        "nine" => Lex::Cardinal(9),
        "ten" => Lex::Cardinal(10),
        "eleven" => Lex::Cardinal(11),
        "twelve" => Lex::Cardinal(12),
        "thirteen" => Lex::Cardinal(13),
        "fourteen" => Lex::Cardinal(14),
        "fifteen" => Lex::Cardinal(15),
        "sixteen" => Lex::Cardinal(16),
        "seventeen" => Lex::Cardinal(17),
        "eighteen" => Lex::Cardinal(18),
        "nineteen" => Lex::Cardinal(19),
        "twenty" => Lex::Cardinal(20),
        "thirty" => Lex::Cardinal(30),
        "forty" => Lex::Cardinal(40),
        "fifty" => Lex::Cardinal(50),
        "sixty" => Lex::Cardinal(60),
        "seventy" => Lex::Cardinal(70),
        "eighty" => Lex::Cardinal(80),
        "ninety" => Lex::Cardinal(90),
        "hundred" => Lex::Cardinal(100),
        "a" | "an" => Lex::A,
        "few" | "several" | "couple" => Lex::Few,
        "first" => Lex::Ordinal(1),
        "second" => Lex::Ordinal(2),
        "third" => Lex::Ordinal(3),
        "fourth" => Lex::Ordinal(4),
        "am" => Lex::Meridiem(false),
        "pm" => Lex::Meridiem(true),
        "st" | "nd" | "rd" | "th" => Lex::OrdinalSuffix,
        "the" => Lex::Word(Word::The),
        "of" => Lex::Word(Word::Of),
        "in" => Lex::Word(Word::In),
        "on" => Lex::Word(Word::On),
        "at" => Lex::Word(Word::At),
        "for" => Lex::Word(Word::For),
        "since" => Lex::Word(Word::Since),
        "by" => Lex::Word(Word::By),
        "until" | "till" => Lex::Word(Word::Until),
        "through" | "thru" => Lex::Word(Word::Through),
        "during" => Lex::Word(Word::During),
        "from" => Lex::Word(Word::From),
        "to" => Lex::Word(Word::To),
        "before" => Lex::Word(Word::Before),
        "after" => Lex::Word(Word::After),
        "between" => Lex::Word(Word::Between),
        "and" => Lex::Word(Word::And),
        "or" => Lex::Word(Word::Or),
        "around" => Lex::Word(Word::Around),
        "throughout" => Lex::Word(Word::Throughout),
        "last" => Lex::Word(Word::Last),
        "next" => Lex::Word(Word::Next),
        "this" => Lex::Word(Word::This),
        "past" => Lex::Word(Word::Past),
        "previous" | "preceding" => Lex::Word(Word::Previous),
        "following" => Lex::Word(Word::Following),
        "coming" => Lex::Word(Word::Coming),
        "current" => Lex::Word(Word::Current),
        "ago" => Lex::Word(Word::Ago),
        "earlier" => Lex::Word(Word::Earlier),
        "later" => Lex::Word(Word::Later),
        "ahead" => Lex::Word(Word::Ahead),
        "early" => Lex::Word(Word::Early),
        "late" => Lex::Word(Word::Late),
        "mid" => Lex::Word(Word::Mid),
        "end" => Lex::Word(Word::End),
        "start" | "beginning" => Lex::Word(Word::Start),
        "middle" => Lex::Word(Word::Middle),
        "now" => Lex::Word(Word::Now),
        "old" => Lex::Word(Word::Old),
        "aged" => Lex::Word(Word::Aged),
        "q" => Lex::Word(Word::Q),
        "s" => Lex::Word(Word::S),
        "times" | "once" | "twice" => Lex::Word(Word::Times),
        "per" | "every" | "each" => Lex::Word(Word::Per),
        "will" | "ll" | "shall" | "scheduled" | "upcoming" | "due" | "expected" | "slated" | "planned" | "plans"
        | "plan" | "set" | "going" | "aims" | "intends" | "forthcoming" | "tentatively" => Lex::Word(Word::Future),
        "said" | "says" | "told" | "was" | "were" | "had" | "did" | "met" | "held" | "took" | "made" | "came"
        | "went" | "began" | "left" | "won" | "lost" | "gave" | "saw" | "fled" | "fell" | "rose" | "spoke"
        | "wrote" | "sent" | "struck" | "hit" | "shot" | "led" | "ran" | "became" | "quit" | "resigned" => {
            Lex::Word(Word::PastVerb)
        }
        _ => Lex::Other,
    }
}

//! Temporal expressions: finding them in running text and normalising them against the
//! publication time.
//!
//! [`find_times`] splits the text once into number, word and symbol tokens, looks each word
//! up in a small lexicon, and matches hand-written patterns on the tokens, leftmost first and
//! longest at each start: absolute dates ("Feb. 27, 2019", "27-28 February", "02/06/2019",
//! "Q3 2019", "the 1990s"), relative ones ("yesterday", "on Tuesday", "last week", "two days
//! ago", "earlier this month"), durations ("three days", "the past 24 hours") and clock times
//! ("at 3 p.m. on Tuesday"). Values are ISO 8601 / TIMEX3 strings as
//! [`TimeMention`](dateline_doc::TimeMention) documents them.
//!
//! The anchoring rules, the project's own:
//!
//! - A bare weekday names the last such day on or before the anchor, or the first after it
//!   when the sentence is about the future. The nearest tense cue before the expression in
//!   its sentence decides, else the nearest after it: "will", "'ll", "shall", "scheduled",
//!   "upcoming", "due", "expected", "set to", "plans", "to be held" point ahead; past-tense
//!   verbs point back; no cue reads as past. "last Tuesday" is the Tuesday of the ISO week
//!   before the anchor's, "next Monday" the Monday of the week after.
//! - A day and month without a year ("3 November") go to the last such date on or before the
//!   anchor in a past sentence, to the first on or after it in a future one, and without a
//!   cue to the year that puts them nearest the anchor, a past date counting three times
//!   closer than a future one. After "until" and "by" (a deadline) a past verb does not
//!   count. A month alone ("in June") and a quarter alone follow the same rules; "last June"
//!   is the last June before the anchor's month, "next June" the first after it, "this June"
//!   the anchor year's.
//! - "N units ago / earlier / later / ahead / from now" count from the anchor, at the unit's
//!   granularity ("three weeks ago" is an ISO week); hours and minutes give the anchor's day.
//! - "early", "late", "mid-", "earlier", "later", "the end of" keep the value and the
//!   granularity of the period they modify ("late last year" is last year).
//! - A numeric date is read day first unless only its second number can be a day.
//! - A clock time takes the day next to it ("3 p.m. on Tuesday", "Tuesday at 3 p.m.") or
//!   else the anchor's; parts of the day use TIMEX3 codes (`2019-02-26TNI` for "Tuesday
//!   night", `TMO`, `TAF`, `TEV`).
//! - Without an anchor, what only the anchor could fix is written as X: "XXXX-06",
//!   "XXXX-WXX-2", "XXXX-XX-XX".
//!
//! Prepositions stay outside the span ("in 2017" gives "2017", "for two weeks" gives "two
//! weeks"); a leading "the" belongs to it ("the 1990s", "the past 24 hours").

mod calendar;
mod scan;
mod token;

use chrono::NaiveDate;
use dateline_doc::{Granularity, TimeMention};

/// Finds the temporal expressions of `text` and normalises them against `anchor` (the
/// publication time). Without an anchor, relative expressions get values with unknown parts
/// written as X (TIMEX3 style: "XXXX-06"). Mentions are sorted by start and do not overlap;
/// their byte offsets fall on char boundaries of `text`.
pub fn find_times(text: &str, anchor: Option<NaiveDate>) -> Vec<TimeMention> {
    let tokens = token::tokenize(text);
    let scanner = scan::Scanner { text, tokens: &tokens, anchor };
    scanner
        .scan()
        .into_iter()
        .map(|found| {
            let start = tokens[found.first].start;
            let end = tokens[found.last - 1].end;
            TimeMention {
                start,
                end,
                text: text[start..end].to_owned(),
                value: found.value,
                granularity: found.granularity,
                kind: found.kind,
            }
        })
        .collect()
}

/// How [`find_times`] fares on a gold file (see [`evaluate`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TimeScore {
    /// Expected expressions.
    pub expressions: usize,
    /// Expected expressions found with the same text and value.
    pub exact: usize,
    /// Expected expressions found with the same text but another value.
    pub span_only: usize,
    /// Exact matches whose granularity differs from the expected one.
    pub wrong_granularity: usize,
    /// Expressions found in sentences that should have none.
    pub false_positives: usize,
    /// Expressions found in other sentences that match no expected expression there.
    pub spurious: usize,
}

impl TimeScore {
    /// Share of the expected expressions found exactly, from 0 to 1.
    pub fn exact_rate(&self) -> f64 {
        if self.expressions == 0 { 1.0 } else { self.exact as f64 / self.expressions as f64 }
    }
}

/// One row of a gold file.
struct GoldRow<'a> {
    anchor: Option<NaiveDate>,
    sentence: &'a str,
    expression: &'a str,
    value: &'a str,
    granularity: Option<Granularity>,
}

/// Scores [`find_times`] on a gold file: tab-separated rows `anchor sentence expression value
/// granularity`, the anchor as `YYYY-MM-DD` (or `-` for none), the expression the exact
/// substring expected, or `-` for a sentence with no temporal expression. A sentence with
/// several expressions takes one row for each. Blank lines, lines starting with `#` and a
/// header line starting with `anchor` are skipped. Fails on a malformed row.
pub fn evaluate(rows: &str) -> Result<TimeScore, String> {
    let mut gold = Vec::new();
    for (number, line) in rows.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') || line.starts_with("anchor\t") {
            continue;
        }
        gold.push(parse_row(line).map_err(|error| format!("line {}: {error}", number + 1))?);
    }
    let mut score = TimeScore::default();
    let mut index = 0;
    while index < gold.len() {
        // The rows of one sentence.
        let first = &gold[index];
        let same =
            gold[index..].iter().take_while(|row| row.sentence == first.sentence && row.anchor == first.anchor).count();
        let rows = &gold[index..index + same];
        index += same;
        let found = find_times(first.sentence, first.anchor);
        let expected: Vec<&GoldRow> = rows.iter().filter(|row| row.expression != "-").collect();
        if expected.is_empty() {
            score.false_positives += found.len();
            continue;
        }
        for row in &expected {
            score.expressions += 1;
            match found.iter().find(|mention| mention.text == row.expression) {
                Some(mention) if mention.value == row.value => {
                    score.exact += 1;
                    if row.granularity.is_some_and(|granularity| granularity != mention.granularity) {
                        score.wrong_granularity += 1;
                    }
                }
                Some(_) => score.span_only += 1,
                None => {}
            }
        }
        score.spurious +=
            found.iter().filter(|mention| !expected.iter().any(|row| row.expression == mention.text)).count();
    }
    Ok(score)
}

/// Reads one gold row.
fn parse_row(line: &str) -> Result<GoldRow<'_>, String> {
    let mut fields = line.split('\t');
    let mut next = |name: &str| fields.next().ok_or_else(|| format!("no {name} column"));
    let anchor = next("anchor")?;
    let sentence = next("sentence")?;
    let expression = next("expression")?;
    let value = next("value").unwrap_or("-");
    let granularity = next("granularity").unwrap_or("-");
    let anchor = match anchor {
        "-" | "" => None,
        anchor => {
            Some(NaiveDate::parse_from_str(anchor, "%Y-%m-%d").map_err(|error| format!("anchor {anchor}: {error}"))?)
        }
    };
    if expression != "-" && !sentence.contains(expression) {
        return Err(format!("{expression:?} is not in the sentence"));
    }
    let granularity = match granularity.trim() {
        "-" | "" => None,
        "decade" => Some(Granularity::Decade),
        "year" => Some(Granularity::Year),
        "quarter" => Some(Granularity::Quarter),
        "month" => Some(Granularity::Month),
        "week" => Some(Granularity::Week),
        "day" => Some(Granularity::Day),
        "time" => Some(Granularity::Time),
        other => return Err(format!("unknown granularity {other:?}")),
    };
    Ok(GoldRow { anchor, sentence, expression, value: value.trim(), granularity })
}

#[cfg(test)]
mod tests {
    use dateline_doc::TimeKind;

    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    /// The (text, value) pairs found in `text` against `anchor`.
    fn found(text: &str, anchor: Option<&str>) -> Vec<(String, String)> {
        find_times(text, anchor.map(date)).into_iter().map(|mention| (mention.text, mention.value)).collect()
    }

    fn one(text: &str, anchor: Option<&str>) -> (String, String) {
        let mut all = found(text, anchor);
        assert_eq!(all.len(), 1, "{text}: {all:?}");
        all.remove(0)
    }

    #[test]
    fn month_lengths_and_leap_years() {
        assert_eq!(one("The talks ended on 29 February 2020.", None).1, "2020-02-29");
        assert!(found("The talks ended on 29 February 2019.", None).iter().all(|(_, value)| value != "2019-02-29"));
        assert!(found("It opened on 31/04/2019 in Lagos.", None).is_empty());
        // A 29 February without a year goes to the last leap year.
        assert_eq!(one("Voters went to the polls on 29 February.", Some("2021-03-10")).1, "2020-02-29");
        assert_eq!(one("Officials met two days ago.", Some("2019-03-01")).1, "2019-02-27");
        assert_eq!(one("Officials met two days ago.", Some("2020-03-01")).1, "2020-02-28");
        assert_eq!(one("The ministry said yesterday.", Some("2019-01-01")).1, "2018-12-31");
        assert_eq!(one("Prices rose last month.", Some("2019-01-15")).1, "2018-12");
    }

    #[test]
    fn iso_weeks_across_new_year() {
        // 2020-12-31 is in week 53 of 2020; 2021-01-03 too; 2019-12-30 is in week 1 of 2020.
        assert_eq!(one("Cases rose this week.", Some("2021-01-03")).1, "2020-W53");
        assert_eq!(one("Cases rose last week.", Some("2021-01-04")).1, "2020-W53");
        assert_eq!(one("Cases rose this week.", Some("2019-12-30")).1, "2020-W01");
        assert_eq!(one("Cases will rise next week.", Some("2019-12-27")).1, "2020-W01");
    }

    #[test]
    fn values_without_an_anchor() {
        assert_eq!(one("The vote is due in June.", None).1, "XXXX-06");
        assert_eq!(one("He said on Tuesday.", None).1, "XXXX-WXX-2");
        assert_eq!(one("He spoke yesterday.", None).1, "XXXX-XX-XX");
        assert_eq!(one("Growth slowed last year.", None).1, "XXXX");
        assert_eq!(one("Rebels attacked on 3 November.", None).1, "XXXX-11-03");
        assert_eq!(one("The blast came at 3 p.m.", None).1, "XXXX-XX-XXT15:00");
        assert_eq!(one("It grew in 2017.", None).1, "2017");
    }

    #[test]
    fn weekdays_follow_the_tense() {
        // 2019-02-27 is a Wednesday.
        assert_eq!(one("The minister said on Tuesday.", Some("2019-02-27")).1, "2019-02-26");
        assert_eq!(one("The minister said on Wednesday.", Some("2019-02-27")).1, "2019-02-27");
        assert_eq!(one("The minister will travel on Tuesday.", Some("2019-02-27")).1, "2019-03-05");
        assert_eq!(one("Talks are scheduled for Friday.", Some("2019-02-27")).1, "2019-03-01");
        assert_eq!(one("He left last Wednesday.", Some("2019-02-27")).1, "2019-02-20");
        assert_eq!(one("They meet next Monday.", Some("2019-02-27")).1, "2019-03-04");
    }

    #[test]
    fn ranges_durations_and_times() {
        let mentions = find_times("The summit was held on 27-28 February in Hanoi.", Some(date("2019-03-01")));
        assert_eq!(mentions[0].value, "2019-02-27/2019-02-28");
        assert_eq!(mentions[0].kind, TimeKind::Range);
        let mentions = find_times("The strike lasted three days.", None);
        assert_eq!((mentions[0].value.as_str(), mentions[0].kind), ("P3D", TimeKind::Duration));
        assert_eq!(
            one("Shelling began at 3 p.m. on Tuesday.", Some("2019-02-27")),
            ("3 p.m. on Tuesday".to_owned(), "2019-02-26T15:00".to_owned())
        );
        assert!(found("The 25-year-old was arrested.", None).is_empty());
        assert!(found("He is 25 years old.", None).is_empty());
    }

    #[test]
    fn offsets_fall_on_char_boundaries() {
        let text = "Le président — élu en 2017 — a parlé mardi; on 3 March 2019 he left.";
        for mention in find_times(text, None) {
            assert_eq!(&text[mention.start..mention.end], mention.text);
        }
    }

    #[test]
    fn modifier_chains_stay_linear() {
        let text = "late early mid-late end of the start of 3 pm 4 pm noon ".repeat(5000) + "2019";
        let started = std::time::Instant::now();
        let _ = find_times(&text, None);
        assert!(started.elapsed().as_secs() < 2);
    }

    #[test]
    fn evaluate_counts() {
        let rows = "anchor\tsentence\texpression\tvalue\tgranularity\n\
                    2019-02-27\tHe left on Tuesday.\tTuesday\t2019-02-26\tday\n\
                    2019-02-27\tHe left on Tuesday.\t-\t-\t-\n\
                    2019-02-27\tMay I ask?\t-\t-\t-\n";
        let score = evaluate(rows).unwrap();
        assert_eq!((score.expressions, score.exact, score.false_positives), (1, 1, 0));
        assert!(evaluate("2019-02-27\tHe left.\tTuesday\t-\t-").is_err());
    }
}

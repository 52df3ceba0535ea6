//! Calendar arithmetic on the anchor and the TIMEX3 value strings it yields.
//!
//! Every function that needs the anchor takes it as an `Option`: without one, the parts that
//! only the anchor could fix are written as `X` ("XXXX-06", "XXXX-WXX-2").

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// `2019-02-27`.
pub(super) fn day(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// The anchor moved by `days`, or `XXXX-XX-XX` without an anchor.
pub(super) fn day_from(anchor: Option<NaiveDate>, days: i64) -> String {
    anchor.and_then(|anchor| shift(anchor, days)).map_or_else(|| "XXXX-XX-XX".to_owned(), day)
}

/// `date` moved by `days` either way.
pub(super) fn shift(date: NaiveDate, days: i64) -> Option<NaiveDate> {
    if days >= 0 {
        date.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs()))
    }
}

/// `2017-12`, or `XXXX-12` when the year is unknown.
pub(super) fn month(year: Option<i32>, month: u32) -> String {
    match year {
        Some(year) => format!("{year:04}-{month:02}"),
        None => format!("XXXX-{month:02}"),
    }
}

/// The anchor's month moved by `months`, or `XXXX-XX`.
pub(super) fn month_from(anchor: Option<NaiveDate>, months: i32) -> String {
    match anchor {
        Some(anchor) => {
            let (year, month_number) = add_months(anchor.year(), anchor.month(), months);
            month(Some(year), month_number)
        }
        None => "XXXX-XX".to_owned(),
    }
}

/// Year and month `months` after (or before) `year`-`month`.
pub(super) fn add_months(year: i32, month: u32, months: i32) -> (i32, u32) {
    let index = year * 12 + month as i32 - 1 + months;
    (index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
}

/// `2019`, or `XXXX`.
pub(super) fn year(year: Option<i32>) -> String {
    match year {
        Some(year) => format!("{year:04}"),
        None => "XXXX".to_owned(),
    }
}

/// The anchor's year moved by `years`, or `XXXX`.
pub(super) fn year_from(anchor: Option<NaiveDate>, years: i32) -> String {
    year(anchor.map(|anchor| anchor.year() + years))
}

/// `2019-Q3`, or `XXXX-Q3`.
pub(super) fn quarter(year: Option<i32>, quarter: u32) -> String {
    match year {
        Some(year) => format!("{year:04}-Q{quarter}"),
        None => format!("XXXX-Q{quarter}"),
    }
}

/// The anchor's quarter moved by `quarters`, or `XXXX-QX`.
pub(super) fn quarter_from(anchor: Option<NaiveDate>, quarters: i32) -> String {
    match anchor {
        Some(anchor) => {
            let index = anchor.year() * 4 + (anchor.month() as i32 - 1) / 3 + quarters;
            quarter(Some(index.div_euclid(4)), index.rem_euclid(4) as u32 + 1)
        }
        None => "XXXX-QX".to_owned(),
    }
}

/// The ISO week of `date`: `2019-W09` (the ISO year, which differs from the calendar year
/// around New Year).
pub(super) fn week(date: NaiveDate) -> String {
    let week = date.iso_week();
    format!("{:04}-W{:02}", week.year(), week.week())
}

/// The ISO week of the anchor moved by `weeks`, or `XXXX-WXX`; with `weekend`, its weekend
/// (`2019-W09-WE`).
pub(super) fn week_from(anchor: Option<NaiveDate>, weeks: i64, weekend: bool) -> String {
    let mut value = anchor.and_then(|anchor| shift(anchor, weeks * 7)).map_or_else(|| "XXXX-WXX".to_owned(), week);
    if weekend {
        value.push_str("-WE");
    }
    value
}

/// The weekend a bare "the weekend" names: the last one begun on or before the anchor, or
/// with `future` the next one begun after it.
pub(super) fn weekend(anchor: Option<NaiveDate>, future: bool) -> String {
    let Some(anchor) = anchor else { return "XXXX-WXX-WE".to_owned() };
    let saturday = if future { following(anchor, Weekday::Sat) } else { on_or_before(anchor, Weekday::Sat) };
    let mut value = week(saturday);
    value.push_str("-WE");
    value
}

/// The last `weekday` on or before `date`.
pub(super) fn on_or_before(date: NaiveDate, weekday: Weekday) -> NaiveDate {
    let back = (7 + date.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
    shift(date, -i64::from(back)).unwrap_or(date)
}

/// The first `weekday` strictly after `date`.
pub(super) fn following(date: NaiveDate, weekday: Weekday) -> NaiveDate {
    let ahead = (7 + weekday.num_days_from_monday() - date.weekday().num_days_from_monday()) % 7;
    let ahead = if ahead == 0 { 7 } else { ahead };
    shift(date, i64::from(ahead)).unwrap_or(date)
}

/// A weekday reckoned from the anchor: [`Which::Past`] and [`Which::Nearest`] the last one on
/// or before it (news usage for a bare weekday in a past or neutral sentence),
/// [`Which::Future`] the first after it, [`Which::Last`] and [`Which::Next`] the one in the
/// ISO week before or after the anchor's ("last Tuesday", "next Friday"). Without an anchor
/// the week stays open (`XXXX-WXX-2`).
pub(super) fn weekday(anchor: Option<NaiveDate>, weekday: Weekday, which: Which) -> String {
    let Some(anchor) = anchor else {
        return format!("XXXX-WXX-{}", weekday.number_from_monday());
    };
    let in_week = |weeks: i64| {
        let monday = shift(anchor, -i64::from(anchor.weekday().num_days_from_monday())).unwrap_or(anchor);
        shift(monday, weeks * 7 + i64::from(weekday.num_days_from_monday())).unwrap_or(anchor)
    };
    let date = match which {
        Which::Past | Which::Nearest => on_or_before(anchor, weekday),
        Which::Future => following(anchor, weekday),
        Which::Last => in_week(-1),
        Which::Next => in_week(1),
    };
    day(date)
}

/// Which occurrence of a recurring day or month a mention names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Which {
    /// The last on or before the anchor: the sentence is about the past.
    Past,
    /// The nearest to the anchor, the past counting three times closer: the sentence has no
    /// tense cue (for a weekday, the last on or before the anchor).
    Nearest,
    /// The first after the anchor.
    Future,
    /// The last strictly before the anchor ("last Tuesday", "last June").
    Last,
    /// The first strictly after the anchor ("next Monday", "next June").
    Next,
}

/// How many times closer a past occurrence counts than a future one when a day or month
/// without a year is placed in the year nearest the anchor.
const PAST_WEIGHT: i64 = 3;

/// The year of a day and month given without one: with [`Which::Nearest`] the occurrence
/// nearest the anchor, the past counting three times closer ("3 November" in a February
/// article is last November, "5 March" in a late February article the coming one); with
/// [`Which::Past`] the last on or before the anchor; with [`Which::Future`] the first on or
/// after it. 29 February goes to the nearest leap year.
pub(super) fn day_month(anchor: NaiveDate, month: u32, day_number: u32, which: Which) -> Option<NaiveDate> {
    let year = anchor.year();
    let past =
        (0..=8).filter_map(|back| NaiveDate::from_ymd_opt(year - back, month, day_number)).find(|&d| d <= anchor);
    let future =
        (0..=8).filter_map(|ahead| NaiveDate::from_ymd_opt(year + ahead, month, day_number)).find(|&d| d > anchor);
    match (past, future) {
        (Some(past), Some(future)) => {
            let behind = (anchor - past).num_days();
            let ahead = (future - anchor).num_days();
            match which {
                Which::Future | Which::Next if behind > 0 => Some(future),
                Which::Nearest if ahead * PAST_WEIGHT < behind => Some(future),
                _ => Some(past),
            }
        }
        (past, future) => past.or(future),
    }
}

/// The year of a month given without one, by the rule of [`day_month`]: `Nearest` the nearest
/// (the past counting three times closer), `Past` the last up to the anchor's month, `Future`
/// the first from the anchor's month on, `Last` the last before the anchor's month, `Next` the
/// first after it.
pub(super) fn month_year(anchor: NaiveDate, month: u32, which: Which) -> i32 {
    cycle_year(anchor.year(), anchor.month(), month, 12, which)
}

/// The year of a quarter given without one, by the rule of [`month_year`].
pub(super) fn quarter_year(anchor: NaiveDate, quarter: u32, which: Which) -> i32 {
    cycle_year(anchor.year(), (anchor.month() - 1) / 3 + 1, quarter, 4, which)
}

/// The year of the period `target` (1-based, `period` per year) nearest the anchor's
/// `current` period in `year`.
fn cycle_year(year: i32, current: u32, target: u32, period: u32, which: Which) -> i32 {
    let (current, target, period) = (i64::from(current), i64::from(target), i64::from(period));
    let behind = (current - target).rem_euclid(period);
    let ahead = (target - current).rem_euclid(period);
    let past_year = if target <= current { year } else { year - 1 };
    let future_year = if target >= current { year } else { year + 1 };
    match which {
        Which::Future => future_year,
        Which::Next if ahead == 0 => year + 1,
        Which::Next => future_year,
        Which::Last if behind == 0 => year - 1,
        Which::Last => past_year,
        Which::Nearest if ahead > 0 && ahead * PAST_WEIGHT < behind => future_year,
        Which::Past | Which::Nearest => past_year,
    }
}

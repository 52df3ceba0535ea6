//! The rules that make one event of the sentences that report it and one article of its copies.
//!
//! The database's writer (`write.rs`) applies them to what is stored, one article at a time;
//! a run that merges outside a database (the Python module on Spark) applies them to a group
//! of mentions at a time with [`merge_mentions`]. Both go through [`same_event`],
//! [`EventCounts::of`] and [`Claims::claim`], so the two give the same events from the same
//! articles in the same order.
//!
//! Merging is order-dependent: an event takes its attributes (date, place, names) from its
//! first mention, and a later mention joins the earliest event it matches. The order is the
//! order articles are stored in, and within an article the order of its events.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use dateline_doc::{Event, EventPlace, PlaceKind};
use serde::{Deserialize, Serialize};

use crate::hash;
use crate::query::{EventRow, PlaceRow, event_name};

/// What decides whether two mentions report one event: the actors, the CAMEO root, the place
/// and the date (TIMEX3).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EventKey {
    /// Source actor code.
    pub source: Option<String>,
    /// Target actor code.
    pub target: Option<String>,
    /// CAMEO root (`04`).
    pub root: String,
    /// The place's name.
    pub place_name: Option<String>,
    /// ISO3 of the place's country.
    pub place_country: Option<String>,
    /// `country`, `admin1` or `city`.
    pub place_kind: Option<String>,
    /// The date as coded (`2025-03-04`, `2025-03`, `2025-W10`).
    pub date_text: Option<String>,
}

impl EventKey {
    /// The key of a coded event.
    pub fn of(event: &Event) -> EventKey {
        let place = event.place.as_ref();
        EventKey {
            source: event.source.code.clone(),
            target: event.target.as_ref().and_then(|target| target.code.clone()),
            root: event.root.clone(),
            place_name: place.map(|place| place.name.clone()),
            place_country: place.and_then(|place| place.country.clone()),
            place_kind: place_kind(place).map(str::to_owned),
            date_text: event.date.clone(),
        }
    }

    /// The event's day, `YYYY-MM-DD` (the first day of a coarser date), as stored.
    pub fn date(&self) -> Option<String> {
        event_day(self.date_text.as_deref()).map(|(day, _)| day.format("%Y-%m-%d").to_string())
    }
}

/// Whether `mention` reports the event `stored` (an event as its first mention made it): the
/// same source, target and root; the same place (or none on both), or one of the two is a
/// country and the other's place lies in it; and the same date, or, when the mention names a
/// day, a stored day at most one day away from it.
pub fn same_event(stored: &EventKey, mention: &EventKey) -> bool {
    if stored.source != mention.source || stored.target != mention.target || stored.root != mention.root {
        return false;
    }
    let country = |kind: &Option<String>| kind.as_deref() == Some("country");
    let same_place = stored.place_name == mention.place_name
        || (stored.place_country == mention.place_country
            && (country(&stored.place_kind) || country(&mention.place_kind)));
    if !same_place {
        return false;
    }
    if stored.date_text == mention.date_text {
        return true;
    }
    match (event_day(mention.date_text.as_deref()), event_day(stored.date_text.as_deref())) {
        (Some((day, true)), Some((stored_day, _))) => (stored_day - day).num_days().abs() <= 1,
        _ => false,
    }
}

/// The day of an event date (TIMEX3), and whether the date names that day exactly: a day is
/// itself; a month, year or ISO week starts on its first day (a weekend, on its Saturday).
pub fn event_day(date: Option<&str>) -> Option<(NaiveDate, bool)> {
    let date = date?;
    if let Some(day) = date.get(..10).and_then(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()) {
        return Some((day, true));
    }
    let year: i32 = date.get(..4)?.parse().ok()?;
    let rest = &date[4..];
    if rest.is_empty() {
        return Some((NaiveDate::from_ymd_opt(year, 1, 1)?, false));
    }
    if let Some(week) = rest.strip_prefix("-W") {
        let number: u32 = week.get(..2)?.parse().ok()?;
        let weekday = if week.ends_with("-WE") { chrono::Weekday::Sat } else { chrono::Weekday::Mon };
        return Some((NaiveDate::from_isoywd_opt(year, number, weekday)?, false));
    }
    let month: u32 = rest.strip_prefix('-')?.get(..2)?.parse().ok()?;
    Some((NaiveDate::from_ymd_opt(year, month, 1)?, false))
}

/// `country`, `admin1` or `city`.
pub(crate) fn place_kind(place: Option<&EventPlace>) -> Option<&'static str> {
    place.and_then(|place| place.kind).map(|kind| match kind {
        PlaceKind::Country => "country",
        PlaceKind::Admin1 => "admin1",
        PlaceKind::City => "city",
    })
}

/// An event as its first mention makes it: the key and the columns the key does not hold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewEvent {
    /// Actors, root, place, date.
    pub key: EventKey,
    /// The source's canonical name ("United States"), else its words in the sentence.
    pub source_name: String,
    /// The target's canonical name, else its words; none without a target.
    pub target_name: Option<String>,
    /// CAMEO code.
    pub cameo: String,
    /// Quad class.
    pub quad: u8,
    /// Goldstein score.
    pub goldstein: f64,
    /// PLOVER type.
    pub plover: Option<String>,
    /// The place's GeoNames id.
    pub place_geonames: Option<u32>,
    /// Latitude of the place.
    pub lat: Option<f64>,
    /// Longitude of the place.
    pub lon: Option<f64>,
}

impl NewEvent {
    /// The event `event` makes, with its actors' canonical names when linking knew them.
    pub fn of(event: &Event, (source_name, target_name): (Option<String>, Option<String>)) -> NewEvent {
        let place = event.place.as_ref();
        NewEvent {
            key: EventKey::of(event),
            source_name: source_name.unwrap_or_else(|| event.source.text.clone()),
            target_name: target_name.or_else(|| event.target.as_ref().map(|target| target.text.clone())),
            cameo: event.cameo.clone(),
            quad: event.quad,
            goldstein: event.goldstein,
            plover: event.plover.clone(),
            place_geonames: place.and_then(|place| place.geonames_id),
            lat: place.map(|place| place.lat),
            lon: place.map(|place| place.lon),
        }
    }
}

/// What an event's counts are made of, one per mention: the article (its database id, or any
/// number that orders articles as they were stored), who published it, its tone, the
/// sentence, and how many times the sentence states the event.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MentionFacts {
    /// The article's id.
    pub article: i64,
    /// Its publication's name (see [`crate::NewArticle::source_name`]).
    pub source_name: String,
    /// Its tone.
    pub tone: Option<f64>,
    /// The sentence's index in the article.
    pub sentence: usize,
    /// Times the sentence states the event.
    pub count: i64,
}

/// An event's counts, as GDELT defines them, from its mentions.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct EventCounts {
    /// Statements of it (NumMentions).
    pub num_mentions: i64,
    /// Articles reporting it (NumArticles).
    pub num_articles: i64,
    /// Distinct publications reporting it (NumSources).
    pub num_sources: i64,
    /// The first article reporting it.
    pub first_article: Option<i64>,
    /// Whether an article states it in its first sentence (IsRootEvent).
    pub is_root: bool,
    /// The mean tone over its mentions (AvgTone).
    pub avg_tone: Option<f64>,
}

impl EventCounts {
    /// The counts of an event with these mentions.
    pub fn of<'a>(mentions: impl IntoIterator<Item = &'a MentionFacts>) -> EventCounts {
        let mut counts = EventCounts::default();
        let mut articles = HashSet::new();
        let mut sources = HashSet::new();
        let (mut tone_sum, mut tones) = (0.0, 0usize);
        for mention in mentions {
            counts.num_mentions += mention.count;
            articles.insert(mention.article);
            sources.insert(mention.source_name.as_str());
            counts.first_article =
                Some(counts.first_article.map_or(mention.article, |first| first.min(mention.article)));
            counts.is_root |= mention.sentence == 0;
            if let Some(tone) = mention.tone {
                tone_sum += tone;
                tones += 1;
            }
        }
        counts.num_articles = articles.len() as i64;
        counts.num_sources = sources.len() as i64;
        counts.avg_tone = (tones > 0).then(|| tone_sum / tones as f64);
        counts
    }
}

/// One sentence's report of an event, with what its article adds, as merged outside a
/// database.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// The event as this mention would make it.
    pub event: NewEvent,
    /// What it adds to the event's counts.
    pub facts: MentionFacts,
    /// The event's index among its article's events.
    pub index: usize,
    /// The article's URL, else where it was read from (the export's SOURCEURL).
    pub url: String,
}

/// An event merged from mentions: the index of its first mention and the event as the
/// database's export reads it (`id` 0: ids are given once every group is merged).
#[derive(Clone, Debug)]
pub struct MergedEvent {
    /// The first mention, an index into the mentions given.
    pub first: usize,
    /// The indexes of all its mentions.
    pub mentions: Vec<usize>,
    /// The event's columns.
    pub row: EventRow,
}

/// Merges mentions into events as the database does when their articles are stored in the
/// order given (sort them by article, then index, first): each mention joins the earliest
/// event it is a mention of ([`same_event`]), or makes a new one; then each event is counted
/// ([`EventCounts::of`]). `added` is the time the events are stored (RFC 3339, UTC, seconds).
pub fn merge_mentions(mentions: &[Mention], added: &str) -> Vec<MergedEvent> {
    let mut groups: Vec<(usize, Vec<usize>)> = Vec::new();
    // The events by date and by day: a mention can only join an event with its date or, when it
    // names a day, one whose day is at most a day away, so only those are tried.
    let mut by_date: HashMap<Option<&str>, Vec<usize>> = HashMap::new();
    let mut by_day: HashMap<NaiveDate, Vec<usize>> = HashMap::new();
    for (index, mention) in mentions.iter().enumerate() {
        let key = &mention.event.key;
        let day = event_day(key.date_text.as_deref());
        let mut lists = vec![by_date.get(&key.date_text.as_deref())];
        if let Some((day, true)) = day {
            lists.extend([day.pred_opt(), Some(day), day.succ_opt()].into_iter().flatten().map(|day| by_day.get(&day)));
        }
        let earliest = lists
            .into_iter()
            .flatten()
            .filter_map(|list| {
                list.iter().copied().find(|&group| same_event(&mentions[groups[group].0].event.key, key))
            })
            .min();
        match earliest {
            Some(group) => groups[group].1.push(index),
            None => {
                by_date.entry(key.date_text.as_deref()).or_default().push(groups.len());
                if let Some((day, _)) = day {
                    by_day.entry(day).or_default().push(groups.len());
                }
                groups.push((index, vec![index]));
            }
        }
    }
    groups
        .into_iter()
        .map(|(first, members)| {
            let counts = EventCounts::of(members.iter().map(|&member| &mentions[member].facts));
            let url = members
                .iter()
                .map(|&member| &mentions[member])
                .find(|mention| Some(mention.facts.article) == counts.first_article)
                .map(|mention| mention.url.clone());
            let row = event_row(&mentions[first].event, &counts, added, url);
            MergedEvent { first, mentions: members, row }
        })
        .collect()
}

/// The columns of an event as stored: made by its first mention, counted over all of them.
fn event_row(event: &NewEvent, counts: &EventCounts, added: &str, url: Option<String>) -> EventRow {
    let key = &event.key;
    let place = key.place_name.as_ref().map(|name| PlaceRow {
        name: name.clone(),
        country: key.place_country.clone(),
        lat: event.lat.unwrap_or_default(),
        lon: event.lon.unwrap_or_default(),
        kind: key.place_kind.clone(),
        geonames_id: event.place_geonames.map(i64::from),
    });
    EventRow {
        id: 0,
        date: key.date(),
        date_text: key.date_text.clone(),
        source: key.source.clone(),
        source_name: Some(event.source_name.clone()),
        target: key.target.clone(),
        target_name: event.target_name.clone(),
        event_name: event_name(&event.cameo),
        cameo: event.cameo.clone(),
        root: key.root.clone(),
        quad: event.quad,
        goldstein: event.goldstein,
        plover: event.plover.clone(),
        place,
        num_mentions: counts.num_mentions,
        num_sources: counts.num_sources,
        num_articles: counts.num_articles,
        first_article: counts.first_article,
        is_root: counts.is_root,
        avg_tone: counts.avg_tone,
        added: added.to_owned(),
        url,
    }
}

/// The keys an article is known by: its text's fingerprint and, when it has one, its
/// canonical URL (`url:` and the URL).
pub fn claim_keys(text: &str, url: Option<&str>) -> Vec<String> {
    let mut keys = vec![hash::text_hash(text)];
    if let Some(url) = url {
        keys.push(format!("url:{url}"));
    }
    keys
}

/// The articles taken on so far, by their keys: an article is taken once, by the first copy
/// (same text or same canonical URL) that claims it.
#[derive(Debug, Default)]
pub struct Claims {
    keys: HashSet<String>,
}

impl Claims {
    /// Whether the article with these keys ([`claim_keys`]) is new: when none of its keys was
    /// claimed before, it claims them all and is new. A copy claims nothing, so a third article
    /// sharing a key with the copy alone is new.
    pub fn claim(&mut self, keys: &[String]) -> bool {
        if keys.iter().any(|key| self.keys.contains(key)) {
            return false;
        }
        self.keys.extend(keys.iter().cloned());
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(place: Option<(&str, &str, &str)>, date: Option<&str>) -> EventKey {
        EventKey {
            source: Some("USA".to_owned()),
            target: Some("CHN".to_owned()),
            root: "04".to_owned(),
            place_name: place.map(|place| place.0.to_owned()),
            place_country: place.map(|place| place.1.to_owned()),
            place_kind: place.map(|place| place.2.to_owned()),
            date_text: date.map(str::to_owned),
        }
    }

    #[test]
    fn mentions_merge_by_actors_place_and_date() {
        let hanoi = Some(("Hanoi", "VNM", "city"));
        let vietnam = Some(("Vietnam", "VNM", "country"));
        let paris = Some(("Paris", "FRA", "city"));
        let stored = key(hanoi, Some("2025-03-04"));
        assert!(same_event(&stored, &key(hanoi, Some("2025-03-05"))));
        assert!(same_event(&stored, &key(vietnam, Some("2025-03-03"))));
        assert!(!same_event(&stored, &key(paris, Some("2025-03-04"))));
        assert!(!same_event(&stored, &key(hanoi, Some("2025-03-06"))));
        assert!(!same_event(&stored, &key(None, Some("2025-03-04"))));
        // A coarse date merges only with the same date; a day near a coarse date's first day
        // merges with it.
        assert!(!same_event(&stored, &key(hanoi, Some("2025-03"))));
        assert!(same_event(&key(hanoi, Some("2025-03")), &key(hanoi, Some("2025-03-02"))));
        assert!(same_event(&key(None, None), &key(None, None)));
        let mut other = key(hanoi, Some("2025-03-04"));
        other.root = "05".to_owned();
        assert!(!same_event(&stored, &other));
    }

    #[test]
    fn counts_follow_gdelt() {
        let fact = |article, source: &str, tone, sentence, count| MentionFacts {
            article,
            source_name: source.to_owned(),
            tone,
            sentence,
            count,
        };
        let mentions = [
            fact(3, "a", Some(-2.0), 4, 1),
            fact(3, "a", Some(-2.0), 0, 2),
            fact(5, "b", None, 2, 1),
            fact(7, "a", Some(1.0), 1, 1),
        ];
        let counts = EventCounts::of(&mentions);
        assert_eq!(
            counts,
            EventCounts {
                num_mentions: 5,
                num_articles: 3,
                num_sources: 2,
                first_article: Some(3),
                is_root: true,
                avg_tone: Some(-1.0)
            }
        );
    }

    #[test]
    fn the_first_copy_claims_an_article() {
        let mut claims = Claims::default();
        let a = claim_keys("one text", Some("https://a.test/1"));
        let b = claim_keys("another text", Some("https://a.test/1"));
        let c = claim_keys("another text", None);
        assert!(claims.claim(&a));
        assert!(!claims.claim(&b));
        assert!(claims.claim(&c));
        assert!(!claims.claim(&a));
    }
}

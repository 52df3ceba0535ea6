//! Actor coding scored on gold event records: the share of gold actors whose text is found as
//! an entity carrying the right country (the first three letters of the gold code), as
//! measured on PLOVER's `PLOVER_GSR_CAMEO.txt`.

use chrono::NaiveDate;
use dateline_doc::{Analysis, Entity, Timestamp};
use serde::Serialize;

use crate::Linker;
use crate::actors::country_of;

/// The figures of an actor evaluation.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ActorScore {
    /// Records with a text.
    pub records: usize,
    /// Gold actors (source and target) with a text and a code.
    pub gold_actors: usize,
    /// Gold actors whose text overlaps an entity carrying the right country or group.
    pub found: usize,
    /// Gold actors whose text is not in the sentence at all (counted as missed).
    pub text_absent: usize,
    /// `found` over `gold_actors`, in percent.
    pub share: f64,
    /// One line per missed actor, with the entities found, for people.
    #[serde(skip)]
    pub misses: Vec<String>,
}

/// Scores linking on gold records: a JSON array of objects with `text`, `date` (YYYY-MM-DD)
/// and `source`/`target`, each a list (or one object) of `{actorText, code}`. `analyze` is the
/// NLP stage.
pub fn score_actors(
    records: &str,
    linker: &Linker,
    analyze: impl Fn(&str) -> Analysis,
) -> Result<ActorScore, serde_json::Error> {
    let records: Vec<serde_json::Value> = serde_json::from_str(records)?;
    let mut score = ActorScore::default();
    for record in &records {
        let Some(sentence) = record.get("text").and_then(|text| text.as_str()) else { continue };
        let date = record_date(record);
        let analysis = analyze(sentence);
        let links = linker.link(sentence, &analysis, date);
        score.records += 1;
        for (text, code) in gold_actors(record) {
            score.gold_actors += 1;
            let found = match find(sentence, &text) {
                Some((start, end)) => links.entities.iter().any(|entity| {
                    entity.start < end
                        && start < entity.end
                        && entity.actor.as_deref().is_some_and(|actor| same_head(actor, &code))
                }),
                None => {
                    score.text_absent += 1;
                    false
                }
            };
            if found {
                score.found += 1;
            } else {
                score
                    .misses
                    .push(format!("MISS {text} [{code}] in: {sentence}\n     found: {}", shown(&links.entities)));
            }
        }
    }
    score.share = if score.gold_actors == 0 { 0.0 } else { 100.0 * score.found as f64 / score.gold_actors as f64 };
    Ok(score)
}

/// The publication date of a gold record: its `date` (YYYY-MM-DD).
pub fn record_date(record: &serde_json::Value) -> Option<Timestamp> {
    let date = record.get("date")?.as_str()?;
    NaiveDate::parse_from_str(date, "%Y-%m-%d").ok().map(Timestamp::Date)
}

/// The actors of one side (`source` or `target`) of a gold record as (text, code): a list or a
/// single object of `{actorText, code}`; strings and nulls are not actors.
pub fn gold_side(record: &serde_json::Value, side: &str) -> Vec<(String, String)> {
    let items: Vec<&serde_json::Value> = match record.get(side) {
        Some(serde_json::Value::Array(items)) => items.iter().collect(),
        Some(item @ serde_json::Value::Object(_)) => vec![item],
        _ => Vec::new(),
    };
    items
        .into_iter()
        .filter_map(|item| {
            let text = item.get("actorText").and_then(|text| text.as_str()).unwrap_or_default().trim();
            let code = item.get("code").and_then(|code| code.as_str()).unwrap_or_default().trim();
            (code.len() >= 3).then(|| (text.to_owned(), modern_code(&code.to_ascii_uppercase())))
        })
        .collect()
}

/// Country codes of the older CAMEO (KEDS) dictionaries that some gold records carry, with the
/// ISO 3166 code dateline writes for the same country.
const LEGACY_COUNTRIES: &[(&str, &str)] = &[("JAP", "JPN"), ("ITL", "ITA"), ("VTN", "VNM")];

/// A gold code with a legacy country prefix rewritten to the ISO 3166 one ("JAPGOV" →
/// "JPNGOV"); other codes unchanged.
fn modern_code(code: &str) -> String {
    LEGACY_COUNTRIES
        .iter()
        .find_map(|(legacy, iso)| code.strip_prefix(legacy).map(|rest| format!("{iso}{rest}")))
        .unwrap_or_else(|| code.to_owned())
}

/// The `source` and `target` actors of a record with a text and a code.
fn gold_actors(record: &serde_json::Value) -> Vec<(String, String)> {
    let mut actors = gold_side(record, "source");
    actors.extend(gold_side(record, "target"));
    actors.retain(|(text, _)| !text.is_empty());
    actors
}

/// The byte span of `needle` in `haystack`: exact, else ignoring ASCII case.
fn find(haystack: &str, needle: &str) -> Option<(usize, usize)> {
    if let Some(start) = haystack.find(needle) {
        return Some((start, start + needle.len()));
    }
    let (lower_haystack, lower_needle) = (haystack.to_ascii_lowercase(), needle.to_ascii_lowercase());
    let start = lower_haystack.find(&lower_needle)?;
    Some((start, start + lower_needle.len()))
}

/// The country or group an actor code names: its country, else its first three letters
/// ("IGO" for "IGOUNO").
pub fn code_head(code: &str) -> Option<&str> {
    country_of(code).or_else(|| code.get(..3))
}

/// True when a code carries the gold code's country (or international group): the first three
/// letters agree.
fn same_head(code: &str, gold: &str) -> bool {
    code_head(code).is_some() && code_head(code) == code_head(gold)
}

fn shown(entities: &[Entity]) -> String {
    entities
        .iter()
        .map(|entity| format!("{}={}", entity.text, entity.actor.as_deref().unwrap_or("-")))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gold_actor_matching() {
        assert!(same_head("HUNGOV", "HUN"));
        assert!(same_head("IGOUNO", "IGO"));
        assert!(same_head("USA", "USAGOV"));
        assert!(!same_head("REB", "SYR"));
        assert_eq!(modern_code("JAPGOV"), "JPNGOV");
        assert_eq!(modern_code("VTN"), "VNM");
        assert_eq!(modern_code("ITA"), "ITA");
        assert_eq!(find("The Turkish side", "turkish"), Some((4, 11)));
        assert_eq!(find("abc", "x"), None);
        let record = serde_json::json!({"source": [{"actorText": "Hungarian", "code": "HUN"}], "target": "diplomatic"});
        assert_eq!(gold_actors(&record), vec![("Hungarian".to_owned(), "HUN".to_owned())]);
    }
}

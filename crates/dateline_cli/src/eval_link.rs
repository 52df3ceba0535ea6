//! `dateline eval actors|times|quotes`: scores the link stage on gold data, through the whole
//! pipeline (NLP then linking) as `dateline annotate` runs it.

use std::fs;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use clap::Args;
use dateline_doc::{Entity, Timestamp};
use dateline_link::{Linker, actors::country_of};
use dateline_nlp::pipeline::{self, Models};
use serde::Serialize;

/// Arguments of `dateline eval actors`.
#[derive(Debug, Args)]
pub(crate) struct ActorArgs {
    /// The gold records: a JSON array as in PLOVER's `PLOVER_GSR_CAMEO.txt`, each record with
    /// `text`, `date`, and `source`/`target` lists of `{actorText, code}`.
    #[arg(long)]
    gold: PathBuf,

    /// Print each gold actor that was missed, with the entities found.
    #[arg(long)]
    misses: bool,

    /// Print the scores as one JSON object.
    #[arg(long)]
    json: bool,

    /// Actor dictionaries of the user's to add, as `annotate --actors`.
    #[arg(long = "actors", value_name = "FILE")]
    actors: Vec<PathBuf>,
}

/// Arguments of `dateline eval times` and `dateline eval quotes`.
#[derive(Debug, Args)]
pub(crate) struct GoldArgs {
    /// The gold file (the project's TSV layout: see `crates/dateline_link/tests/data/`).
    #[arg(long)]
    gold: PathBuf,
}

#[derive(Debug, Default, Serialize)]
struct ActorScore {
    records: usize,
    gold_actors: usize,
    /// Gold actors whose text is an entity (or overlaps one) with the right country or group.
    found: usize,
    /// Gold actors whose text is not in the sentence at all (counted as missed).
    text_absent: usize,
    share: f64,
}

/// The share of gold actors whose text is found as an entity carrying the right country (the
/// first three letters of the gold code).
pub(crate) fn actors_command(args: &ActorArgs) -> anyhow::Result<ExitCode> {
    let text = fs::read_to_string(&args.gold).with_context(|| format!("reading {}", args.gold.display()))?;
    let records: Vec<serde_json::Value> =
        serde_json::from_str(&text).with_context(|| format!("{}: not a JSON array", args.gold.display()))?;
    let models = Models::embedded().context("loading the embedded NLP models")?;
    let mut linker = Linker::embedded().context("loading the embedded link resources")?;
    for path in &args.actors {
        for warning in linker.load_dictionary(path)? {
            eprintln!("dateline: warning: {warning}: line skipped");
        }
    }
    let mut score = ActorScore::default();
    let mut out = io::stdout().lock();
    for record in &records {
        let Some(sentence) = record.get("text").and_then(|text| text.as_str()) else { continue };
        let date = record
            .get("date")
            .and_then(|date| date.as_str())
            .and_then(|date| NaiveDate::parse_from_str(date, "%Y-%m-%d").ok())
            .map(Timestamp::Date);
        let (analysis, _) = pipeline::analyze(sentence, &models);
        let links = linker.link(sentence, &analysis, date);
        score.records += 1;
        for actor in gold_actors(record) {
            score.gold_actors += 1;
            let found = match find(sentence, &actor.text) {
                Some((start, end)) => links.entities.iter().any(|entity| {
                    entity.start < end
                        && start < entity.end
                        && entity.actor.as_deref().is_some_and(|code| same_head(code, &actor.code))
                }),
                None => {
                    score.text_absent += 1;
                    false
                }
            };
            if found {
                score.found += 1;
            } else if args.misses {
                writeln!(out, "MISS {} [{}] in: {}", actor.text, actor.code, sentence)?;
                writeln!(out, "     found: {}", shown(&links.entities))?;
            }
        }
    }
    score.share = if score.gold_actors == 0 { 0.0 } else { 100.0 * score.found as f64 / score.gold_actors as f64 };
    if args.json {
        serde_json::to_writer(&mut out, &score)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "records {}  gold actors {}  found with the right country {} ({:.2}%)  text not in the sentence {}",
            score.records, score.gold_actors, score.found, score.share, score.text_absent
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

struct GoldActor {
    text: String,
    code: String,
}

/// The `source` and `target` actors of a record (each a list or a single object; strings and
/// nulls are not actors).
fn gold_actors(record: &serde_json::Value) -> Vec<GoldActor> {
    let mut actors = Vec::new();
    for side in ["source", "target"] {
        let items = match record.get(side) {
            Some(serde_json::Value::Array(items)) => items.iter().collect(),
            Some(item @ serde_json::Value::Object(_)) => vec![item],
            _ => Vec::new(),
        };
        for item in items {
            let text = item.get("actorText").and_then(|text| text.as_str()).unwrap_or_default().trim();
            let code = item.get("code").and_then(|code| code.as_str()).unwrap_or_default().trim();
            if !text.is_empty() && code.len() >= 3 {
                actors.push(GoldActor { text: text.to_owned(), code: code.to_ascii_uppercase() });
            }
        }
    }
    actors
}

/// The byte span of `needle` in `haystack`: exact, else ignoring case.
fn find(haystack: &str, needle: &str) -> Option<(usize, usize)> {
    if let Some(start) = haystack.find(needle) {
        return Some((start, start + needle.len()));
    }
    let (lower_haystack, lower_needle) = (haystack.to_lowercase(), needle.to_lowercase());
    // Lower-casing keeps byte offsets for the ASCII text of the gold records; check anyway.
    let start = lower_haystack.find(&lower_needle)?;
    let end = start + lower_needle.len();
    (lower_haystack.len() == haystack.len() && haystack.is_char_boundary(start) && haystack.is_char_boundary(end))
        .then_some((start, end))
}

/// True when a code carries the gold code's country (or international group): the first three
/// letters agree.
fn same_head(code: &str, gold: &str) -> bool {
    let head = |code: &str| country_of(code).map(str::to_owned).or_else(|| code.get(..3).map(str::to_owned));
    head(code).is_some() && head(code) == head(gold)
}

fn shown(entities: &[Entity]) -> String {
    entities
        .iter()
        .map(|entity| format!("{}={}", entity.text, entity.actor.as_deref().unwrap_or("-")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `dateline eval times`: exact matches (text and value) over the expected expressions.
pub(crate) fn times_command(args: &GoldArgs) -> anyhow::Result<ExitCode> {
    let rows = fs::read_to_string(&args.gold).with_context(|| format!("reading {}", args.gold.display()))?;
    let score =
        dateline_link::time::evaluate(&rows).map_err(|error| anyhow::anyhow!("{}: {error}", args.gold.display()))?;
    writeln!(
        io::stdout().lock(),
        "expressions {}  exact {} ({:.2}%)  right span, wrong value {}  wrong granularity {}  false positives {}  spurious {}",
        score.expressions,
        score.exact,
        100.0 * score.exact_rate(),
        score.span_only,
        score.wrong_granularity,
        score.false_positives,
        score.spurious
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `dateline eval quotes`: quote spans and speakers through the whole pipeline.
pub(crate) fn quotes_command(args: &GoldArgs) -> anyhow::Result<ExitCode> {
    let rows = fs::read_to_string(&args.gold).with_context(|| format!("reading {}", args.gold.display()))?;
    let models = Models::embedded().context("loading the embedded NLP models")?;
    let score = dateline_link::quotes::evaluate(&rows, |text| pipeline::analyze(text, &models).0);
    let mut out = io::stdout().lock();
    for miss in &score.misses {
        writeln!(out, "{miss}")?;
    }
    writeln!(out, "{score}")?;
    Ok(ExitCode::SUCCESS)
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
        assert_eq!(find("The Turkish side", "turkish"), Some((4, 11)));
        assert_eq!(find("abc", "x"), None);
        let record = serde_json::json!({"source": [{"actorText": "Hungarian", "code": "HUN"}], "target": "diplomatic"});
        assert_eq!(gold_actors(&record).len(), 1);
    }
}

//! `dateline eval events`: event coding scored on PLOVER's gold records, through the whole
//! pipeline (NLP, linking, coding) as `dateline annotate` runs it.

use std::fs;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use dateline_code::Coder;
use dateline_doc::Event;
use dateline_link::Linker;
use dateline_link::eval::{code_head, gold_side, record_date};
use dateline_nlp::pipeline::{self, Models};
use serde::Serialize;

/// Arguments of `dateline eval events`.
#[derive(Debug, Args)]
pub(crate) struct EventArgs {
    /// The gold records: a JSON array as in PLOVER's `PLOVER_GSR_CAMEO.txt`, each record with
    /// `text`, `date`, `event` (a PLOVER type) and `source`/`target` actors with codes.
    #[arg(long)]
    gold: PathBuf,

    /// Print each record missed, with the events produced.
    #[arg(long)]
    misses: bool,

    /// Print the scores as one JSON object.
    #[arg(long)]
    json: bool,

    /// Fail (exit 1) when the share of records with a correct event is below this
    /// percentage: an accuracy gate for CI.
    #[arg(long, value_name = "PERCENT")]
    min_found: Option<f64>,

    /// Fail (exit 1) when the precision of the events produced is below this percentage.
    #[arg(long, value_name = "PERCENT")]
    min_precision: Option<f64>,
}

#[derive(Debug, Default, Serialize)]
struct EventScore {
    records: usize,
    /// Records with an event of the gold type whose source and target carry the gold
    /// countries (or groups).
    found: usize,
    /// `found` over `records`, in percent.
    recall: f64,
    /// Events produced over all records.
    events: usize,
    /// Of those, events matching their record's gold type, source and target.
    correct_events: usize,
    /// `correct_events` over `events`, in percent.
    precision: f64,
    /// Records with an event of the gold type, whatever its actors.
    type_found: usize,
}

/// The PLOVER type names of the records (v0.5b1) as today's names.
fn current_type(name: &str) -> &str {
    match name {
        "DEMAND" => "REQUEST",
        "DISAPPROVE" | "INVESTIGATE" => "ACCUSE",
        "FIGHT" => "ASSAULT",
        other => other,
    }
}

pub(crate) fn events_command(args: &EventArgs) -> anyhow::Result<ExitCode> {
    let text = fs::read_to_string(&args.gold).with_context(|| format!("reading {}", args.gold.display()))?;
    let records: Vec<serde_json::Value> =
        serde_json::from_str(&text).with_context(|| format!("{}: not a JSON array", args.gold.display()))?;
    let models = Models::embedded().context("loading the embedded NLP models")?;
    let linker = Linker::embedded().context("loading the embedded link resources")?;
    let coder = Coder::embedded();
    let mut score = EventScore::default();
    let mut out = io::stdout().lock();
    for record in &records {
        let (Some(sentence), Some(gold_type)) =
            (record.get("text").and_then(|t| t.as_str()), record.get("event").and_then(|t| t.as_str()))
        else {
            continue;
        };
        if gold_type == "DOCUMENT" {
            continue;
        }
        let gold_type = current_type(gold_type);
        let date = record_date(record);
        let (analysis, _) = pipeline::analyze(sentence, &models);
        let links = linker.link(sentence, &analysis, date);
        let coded = coder.code(sentence, &analysis, &links, date);
        let events = coded.events;
        let heads = |side: &str| -> Vec<String> {
            gold_side(record, side).iter().filter_map(|(_, code)| code_head(code)).map(str::to_owned).collect()
        };
        let (sources, targets) = (heads("source"), heads("target"));
        let matches = |event: &Event| {
            let source = event.source.code.as_deref().and_then(code_head).map(str::to_owned);
            let target =
                event.target.as_ref().and_then(|target| target.code.as_deref()).and_then(code_head).map(str::to_owned);
            event.plover.as_deref() == Some(gold_type)
                && source.is_some_and(|source| sources.contains(&source))
                && (targets.is_empty() || target.is_some_and(|target| targets.contains(&target)))
        };
        score.records += 1;
        score.events += events.len();
        let correct = events.iter().filter(|event| matches(event)).count();
        score.correct_events += correct;
        if correct > 0 {
            score.found += 1;
        } else if args.misses {
            let shown: Vec<String> = events
                .iter()
                .map(|e| {
                    let target = e.target.as_ref().and_then(|t| t.code.clone()).unwrap_or_else(|| "-".into());
                    format!(
                        "{}->{} {} {}",
                        e.source.code.as_deref().unwrap_or("-"),
                        target,
                        e.cameo,
                        e.plover.as_deref().unwrap_or("-")
                    )
                })
                .collect();
            let suppressed: Vec<String> =
                coded.suppressed.iter().map(|s| format!("{} {} {}", s.cameo, s.reason, s.rule)).collect();
            writeln!(
                out,
                "MISS {gold_type} {sources:?}->{targets:?}: {sentence}\n     produced: {shown:?} suppressed: {suppressed:?}"
            )?;
        }
        if events.iter().any(|event| event.plover.as_deref() == Some(gold_type)) {
            score.type_found += 1;
        }
    }
    let percent = |part: usize, whole: usize| if whole == 0 { 0.0 } else { 100.0 * part as f64 / whole as f64 };
    score.recall = percent(score.found, score.records);
    score.precision = percent(score.correct_events, score.events);
    if args.json {
        serde_json::to_writer(&mut out, &score)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "records {}  with a correct event {} ({:.2}%)  events {}  correct {} (precision {:.2}%)  records with the gold type {}",
            score.records,
            score.found,
            score.recall,
            score.events,
            score.correct_events,
            score.precision,
            score.type_found
        )?;
    }
    if args.min_found.is_some_and(|floor| score.recall < floor)
        || args.min_precision.is_some_and(|floor| score.precision < floor)
    {
        eprintln!(
            "dateline: below the gate: records with a correct event {:.2}% (floor {:?}), precision {:.2}% (floor {:?})",
            score.recall, args.min_found, score.precision, args.min_precision
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

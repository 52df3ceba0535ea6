//! `dateline eval`: scores a system's output against gold annotations, as the CoNLL 2018 shared
//! task's evaluation does, so that the project's NLP models are measured the way others report.

use std::fmt::Write as _;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand, ValueEnum};
use dateline_nlp::conllu::{self, ConlluSentence};
use dateline_nlp::eval::{self, Scores};
use dateline_nlp::ner;
use dateline_nlp::pipeline::{self, Models};

/// Arguments of `dateline eval`.
#[derive(Debug, Args)]
pub(crate) struct EvalArgs {
    #[command(subcommand)]
    command: EvalCommand,
}

#[derive(Debug, Subcommand)]
enum EvalCommand {
    /// Score a CoNLL-U file against a gold CoNLL-U file (tokens, sentences, words, tags,
    /// lemmas, UAS, LAS); the two must hold the same text once whitespace is removed.
    Conllu(ConlluArgs),
    /// Score the embedded named-entity model on a gold IOB2 file (UNER or CoNLL layout): the
    /// gold tokens are tagged and labelled, and entities are compared by exact span and type.
    Ner(NerArgs),
    /// Score actor coding on gold event records (PLOVER's `PLOVER_GSR_CAMEO.txt` layout): the
    /// share of gold actors found as an entity carrying the right country.
    Actors(crate::eval_link::ActorArgs),
    /// Score event coding on gold event records (PLOVER's `PLOVER_GSR_CAMEO.txt` layout): the
    /// share of records with an event of the gold type between the gold countries.
    Events(crate::eval_code::EventArgs),
    /// Score time normalisation on a gold TSV (`anchor sentence expression value granularity`).
    Times(crate::eval_link::GoldArgs),
    /// Score quotes and speakers on a gold TSV (`text quote speaker direct`).
    Quotes(crate::eval_link::GoldArgs),
    /// Code PETRARCH validation records with PETRARCH dictionaries and score the codings
    /// (exact source, target and event code).
    Petrarch(crate::eval_petrarch::PetrarchArgs),
}

/// Arguments of `dateline eval ner`.
#[derive(Debug, Args)]
struct NerArgs {
    /// The gold IOB2 file.
    #[arg(long)]
    gold: PathBuf,

    /// How to print the scores.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,

    /// Also list every error on standard error, one tab-separated line each: the kind
    /// (`missed`, `extra`, `type`: same words, other type; `span`: overlapping, other words),
    /// the gold and the predicted type, the gold words, the predicted words, the sentence id
    /// (when the file gives one) and the sentence.
    #[arg(long)]
    misses: bool,
}

/// Arguments of `dateline eval conllu`.
#[derive(Debug, Args)]
struct ConlluArgs {
    /// The gold CoNLL-U file.
    #[arg(long)]
    gold: PathBuf,

    /// The system's CoNLL-U file.
    #[arg(long)]
    system: PathBuf,

    /// How to print the scores.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// A table like the shared task's script prints.
    Text,
    /// One JSON object.
    Json,
}

pub(crate) fn run(args: &EvalArgs) -> anyhow::Result<ExitCode> {
    match &args.command {
        EvalCommand::Conllu(args) => conllu_command(args),
        EvalCommand::Ner(args) => ner_command(args),
        EvalCommand::Actors(args) => crate::eval_link::actors_command(args),
        EvalCommand::Times(args) => crate::eval_link::times_command(args),
        EvalCommand::Events(args) => crate::eval_code::events_command(args),
        EvalCommand::Quotes(args) => crate::eval_link::quotes_command(args),
        EvalCommand::Petrarch(args) => crate::eval_petrarch::petrarch_command(args),
    }
}

fn ner_command(args: &NerArgs) -> anyhow::Result<ExitCode> {
    let text = fs::read_to_string(&args.gold).with_context(|| format!("reading {}", args.gold.display()))?;
    let gold = conllu::parse_iob(&text).with_context(|| format!("parsing {}", args.gold.display()))?;
    let models = Models::embedded().context("loading the embedded NLP models")?;
    let predicted: Vec<Vec<String>> =
        gold.iter().map(|sentence| pipeline::entity_labels(&models, &sentence.tokens)).collect();
    let scores = ner::entity_scores(&gold, &predicted);
    if args.misses {
        let mut listing = String::new();
        for (sentence, labels) in gold.iter().zip(&predicted) {
            for error in ner::entity_errors(&sentence.labels, labels) {
                let words = sentence.tokens[error.start..error.end].join(" ");
                let predicted_words = error
                    .predicted_words
                    .map_or_else(|| "-".to_owned(), |(start, end)| sentence.tokens[start..end].join(" "));
                let text = sentence.tokens.join(" ");
                let id = sentence.id.as_deref().unwrap_or("-");
                let _ = writeln!(
                    listing,
                    "{}\t{}\t{}\t{words}\t{predicted_words}\t{id}\t{text}",
                    error.kind,
                    error.gold.unwrap_or("-"),
                    error.predicted.unwrap_or("-")
                );
            }
        }
        io::stderr().lock().write_all(listing.as_bytes()).context("writing the errors")?;
    }
    let output = match args.format {
        Format::Text => scores.to_string(),
        Format::Json => {
            let counts = |counts: &ner::Counts| {
                serde_json::json!({
                    "precision": counts.precision(), "recall": counts.recall(), "f1": counts.f1(),
                    "gold": counts.gold, "predicted": counts.predicted, "correct": counts.correct,
                })
            };
            let per_type: serde_json::Map<String, serde_json::Value> =
                scores.per_type.iter().map(|(kind, type_counts)| (kind.clone(), counts(type_counts))).collect();
            let value = serde_json::json!({
                "gold": args.gold.display().to_string(),
                "overall": counts(&scores.overall),
                "per_type": per_type,
            });
            format!("{value}\n")
        }
    };
    io::stdout().lock().write_all(output.as_bytes()).context("writing output")?;
    Ok(ExitCode::SUCCESS)
}

fn conllu_command(args: &ConlluArgs) -> anyhow::Result<ExitCode> {
    let gold = read(&args.gold)?;
    let system = read(&args.system)?;
    let scores = eval::conllu_scores(&gold, &system)
        .with_context(|| format!("comparing {} (system) with {} (gold)", args.system.display(), args.gold.display()))?;
    let output = match args.format {
        Format::Text => table(&scores),
        Format::Json => format!("{}\n", json(&scores, args)),
    };
    io::stdout().lock().write_all(output.as_bytes()).context("writing output")?;
    Ok(ExitCode::SUCCESS)
}

/// Reads and parses a CoNLL-U file; errors name the file.
fn read(path: &Path) -> anyhow::Result<Vec<ConlluSentence>> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    conllu::parse(&text).with_context(|| format!("parsing {}", path.display()))
}

/// The scores as the shared task's script prints them.
fn table(scores: &Scores) -> String {
    let mut out = String::from("Metric     | Precision |    Recall |  F1 Score | AligndAcc\n");
    out.push_str("-----------+-----------+-----------+-----------+-----------\n");
    for (name, metric) in scores.rows() {
        let aligned = metric.aligned_accuracy().map_or_else(String::new, |accuracy| format!("{accuracy:>9.2}"));
        let line = format!(
            "{name:<11}|{:>10.2} |{:>10.2} |{:>10.2} | {aligned}",
            metric.precision(),
            metric.recall(),
            metric.f1()
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The scores as one JSON object: per metric precision, recall, F1, aligned accuracy and counts.
fn json(scores: &Scores, args: &ConlluArgs) -> serde_json::Value {
    let metrics: serde_json::Map<String, serde_json::Value> = scores
        .rows()
        .into_iter()
        .map(|(name, metric)| {
            let value = serde_json::json!({
                "precision": metric.precision(),
                "recall": metric.recall(),
                "f1": metric.f1(),
                "aligned_accuracy": metric.aligned_accuracy(),
                "gold": metric.gold_total,
                "system": metric.system_total,
                "correct": metric.correct,
            });
            (name.to_owned(), value)
        })
        .collect();
    serde_json::json!({
        "gold": args.gold.display().to_string(),
        "system": args.system.display().to_string(),
        "metrics": metrics,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOLD: &str = "# text = I don't know.\n1\tI\tI\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_\n3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n";

    #[test]
    fn prints_the_shared_task_table() {
        let gold = conllu::parse(GOLD).unwrap();
        let scores = eval::conllu_scores(&gold, &gold).unwrap();
        let printed = table(&scores);
        let lines: Vec<&str> = printed.lines().collect();
        assert_eq!(lines[0], "Metric     | Precision |    Recall |  F1 Score | AligndAcc");
        assert_eq!(lines[2], "Tokens     |    100.00 |    100.00 |    100.00 |");
        assert_eq!(lines[4], "Words      |    100.00 |    100.00 |    100.00 |");
        assert_eq!(lines[10], "LAS        |    100.00 |    100.00 |    100.00 |    100.00");
    }

    #[test]
    fn prints_one_json_object() {
        let gold = conllu::parse(GOLD).unwrap();
        let scores = eval::conllu_scores(&gold, &gold).unwrap();
        let args = ConlluArgs { gold: "g".into(), system: "s".into(), format: Format::Json };
        let value = json(&scores, &args);
        assert_eq!(value["metrics"]["Tokens"]["f1"], 100.0);
        assert_eq!(value["metrics"]["Words"]["gold"], 5);
        assert_eq!(value["metrics"]["UPOS"]["aligned_accuracy"], 100.0);
    }
}

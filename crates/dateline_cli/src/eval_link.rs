//! `dateline eval actors|times|quotes`: scores the link stage on gold data, through the whole
//! pipeline (NLP then linking) as `dateline annotate` runs it.

use std::fs;
use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use dateline_link::Linker;
use dateline_link::eval::score_actors;
use dateline_nlp::pipeline::{self, Models};

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

/// The share of gold actors whose text is found as an entity carrying the right country (the
/// first three letters of the gold code).
pub(crate) fn actors_command(args: &ActorArgs) -> anyhow::Result<ExitCode> {
    let text = fs::read_to_string(&args.gold).with_context(|| format!("reading {}", args.gold.display()))?;
    let models = Models::embedded().context("loading the embedded NLP models")?;
    let mut linker = Linker::embedded().context("loading the embedded link resources")?;
    for path in &args.actors {
        for warning in linker.load_dictionary(path)? {
            eprintln!("dateline: warning: {warning}: line skipped");
        }
    }
    let score = score_actors(&text, &linker, |sentence| pipeline::analyze(sentence, &models).0)
        .with_context(|| format!("{}: not a JSON array of records", args.gold.display()))?;
    let mut out = io::stdout().lock();
    if args.misses {
        for miss in &score.misses {
            writeln!(out, "{miss}")?;
        }
    }
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

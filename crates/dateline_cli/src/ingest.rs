//! `dateline ingest`: documents in, a database out. One thread reads, the workers run every
//! stage, and this thread stores the results in batched transactions; a progress bar shows
//! articles/s, events, errors and the time left.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use dateline_ingest::{IngestConfig, InputFormat};
use dateline_nlp::pipeline::Models;
use dateline_pipeline::{Outcome, Pipeline, Processed, run_parallel, timings};
use dateline_store::{NewArticle, Store, WriteReport};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Arguments of `dateline ingest`.
#[derive(Debug, Args)]
pub(crate) struct IngestArgs {
    /// Files, directories (read recursively), glob patterns, WARC archives, feeds, JSONL, or
    /// `-` for stdin.
    #[arg(required = true)]
    inputs: Vec<String>,

    /// The database file (made when missing).
    #[arg(long, default_value = "dateline.db")]
    db: PathBuf,

    /// Worker threads (default: every core).
    #[arg(long)]
    threads: Option<usize>,

    /// Process again the stored articles that an older pipeline version made.
    #[arg(long)]
    reprocess: bool,

    /// Articles per transaction.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    batch: u64,

    /// An actor dictionary of the user's (as `dateline annotate --actors`). Repeatable.
    #[arg(long = "actors", value_name = "FILE")]
    actors: Vec<PathBuf>,

    /// Code events with a directory of PETRARCH dictionaries (as `dateline annotate --dict-dir`).
    #[arg(long = "dict-dir", value_name = "DIR")]
    dict_dir: Option<PathBuf>,

    /// Print no progress bar and no summary.
    #[arg(long, short)]
    quiet: bool,
}

/// What a run did, for the summary line.
#[derive(Debug, Default)]
pub(crate) struct Totals {
    pub(crate) report: WriteReport,
    pub(crate) skipped_known: usize,
    pub(crate) failed: usize,
    pub(crate) events: usize,
}

pub(crate) fn run(args: &IngestArgs) -> anyhow::Result<ExitCode> {
    let pipeline = timings::measure(timings::Part::Load, || load_pipeline(&args.actors, args.dict_dir.as_deref()))?;
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let config = IngestConfig { format: InputFormat::Auto, ..IngestConfig::default() };
    let documents = timings::measured(timings::Part::Read, dateline_ingest::read_inputs(&args.inputs, &config));
    let run =
        Run { inputs: &args.inputs, db: &args.db, threads, reprocess: args.reprocess, batch_size: args.batch as usize };
    let progress = progress_bar(dateline_ingest::count_files(&args.inputs), args.quiet);
    let totals = ingest(&pipeline, documents, &run, progress, args.quiet)?;
    if let Some(report) = timings::report() {
        eprint!("{report}");
    }
    Ok(if totals.failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// The full pipeline with the built-in or the user's dictionaries.
pub(crate) fn load_pipeline(actors: &[PathBuf], dict_dir: Option<&Path>) -> anyhow::Result<Pipeline> {
    let models = Models::embedded().context("loading the embedded NLP models")?;
    let (linker, coder) = crate::annotate::load_dictionaries(actors, dict_dir, true)?;
    let variant = dictionaries_fingerprint(actors, dict_dir)?;
    Ok(Pipeline::new(Some(models), Some(linker), coder, &variant))
}

/// A fingerprint of the user's dictionaries, so that the stored pipeline version changes when
/// they do; empty for the built-in ones.
fn dictionaries_fingerprint(actors: &[PathBuf], dict_dir: Option<&Path>) -> anyhow::Result<String> {
    let mut files: Vec<PathBuf> = actors.to_vec();
    if let Some(dir) = dict_dir {
        let mut listed: Vec<PathBuf> = std::fs::read_dir(dir)
            .with_context(|| format!("listing {}", dir.display()))?
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .collect();
        listed.sort();
        files.extend(listed);
    }
    if files.is_empty() {
        return Ok(String::new());
    }
    let mut all = String::new();
    for file in &files {
        if file.is_file() {
            let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
            all.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    Ok(format!("dict-{}", &dateline_store::text_hash(&all)[..12]))
}

/// How to run an ingest.
#[derive(Debug)]
pub(crate) struct Run<'a> {
    /// The inputs, as the user named them (for the run log).
    pub(crate) inputs: &'a [String],
    /// The database.
    pub(crate) db: &'a Path,
    /// Worker threads.
    pub(crate) threads: usize,
    /// Process stored articles of older pipeline versions again.
    pub(crate) reprocess: bool,
    /// Articles per transaction.
    pub(crate) batch_size: usize,
}

/// Ingests `documents` into the database.
pub(crate) fn ingest(
    pipeline: &Pipeline,
    documents: impl Iterator<Item = Result<dateline_doc::RawDoc, dateline_ingest::IngestError>> + Send,
    run: &Run<'_>,
    progress: ProgressBar,
    quiet: bool,
) -> anyhow::Result<Totals> {
    let Run { inputs, db, threads, reprocess, batch_size } = *run;
    let mut store = Store::open(db)?;
    let known = store.known()?;
    let version = pipeline.version().to_owned();
    let run_id = store.start_run(inputs, &version)?;

    let started = Instant::now();
    let mut totals = Totals::default();
    let mut batch: Vec<NewArticle> = Vec::with_capacity(batch_size);
    let mut failures: Vec<(String, Option<String>, String)> = Vec::new();
    let mut last_flush = Instant::now();
    let mut files_seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut error: Option<anyhow::Error> = None;

    let mut flush = |batch: &mut Vec<NewArticle>,
                     failures: &mut Vec<(String, Option<String>, String)>,
                     totals: &mut Totals|
     -> anyhow::Result<()> {
        if batch.is_empty() && failures.is_empty() {
            return Ok(());
        }
        let report = timings::measure(timings::Part::Output, || store.write_batch(batch, failures))?;
        add(&mut totals.report, &report);
        batch.clear();
        failures.clear();
        Ok(())
    };

    run_parallel(
        pipeline,
        documents,
        threads,
        |article| !known.claim(article, &version, reprocess),
        |outcome| {
            let uri = match &outcome {
                Outcome::Processed(processed) => processed.article.source.uri.clone(),
                Outcome::Skipped(article) => article.source.uri.clone(),
                Outcome::Failed(failure) => failure.input.clone(),
            };
            let file = uri.split('#').next().unwrap_or_default().to_owned();
            if files_seen.insert(file) {
                progress.set_position(files_seen.len() as u64);
            }
            match outcome {
                Outcome::Processed(processed) => {
                    totals.events += processed.events.as_ref().map_or(0, |events| events.events.len());
                    batch.push(to_new_article(&processed, &version));
                }
                Outcome::Skipped(_) => totals.skipped_known += 1,
                Outcome::Failed(failure) => {
                    totals.failed += 1;
                    progress.suspend(|| eprintln!("dateline: {failure}"));
                    failures.push((failure.input, failure.id, failure.message));
                }
            }
            if batch.len() >= batch_size || last_flush.elapsed() > Duration::from_secs(2) {
                if let Err(failure) = flush(&mut batch, &mut failures, &mut totals) {
                    error = Some(failure);
                    return false;
                }
                last_flush = Instant::now();
            }
            let done = totals.report.stored + totals.report.replaced + batch.len();
            let rate = done as f64 / started.elapsed().as_secs_f64().max(1e-3);
            progress.set_message(format!(
                "{done} articles ({rate:.1}/s), {} events, {} skipped, {} errors",
                totals.events,
                totals.skipped_known + totals.report.skipped,
                totals.failed
            ));
            true
        },
    );
    if let Some(error) = error {
        progress.abandon();
        return Err(error.context("storing articles; every batch committed before this one is kept"));
    }
    flush(&mut batch, &mut failures, &mut totals)?;
    let skipped = totals.skipped_known + totals.report.skipped;
    store.finish_run(run_id, totals.report.stored + totals.report.replaced, skipped, totals.failed)?;
    progress.finish_and_clear();
    if !quiet {
        let seconds = started.elapsed().as_secs_f64();
        let done = totals.report.stored + totals.report.replaced;
        eprintln!(
            "dateline: {} stored{} in {:.1} s ({:.1} articles/s on {threads} threads), {} events ({} new), \
             {} near-duplicates, {skipped} already stored, {} failed -> {}",
            totals.report.stored,
            if totals.report.replaced > 0 {
                format!(", {} reprocessed", totals.report.replaced)
            } else {
                String::new()
            },
            seconds,
            done as f64 / seconds.max(1e-3),
            totals.report.mentions,
            totals.report.new_events,
            totals.report.duplicates,
            totals.failed,
            db.display(),
        );
    }
    Ok(totals)
}

fn add(total: &mut WriteReport, report: &WriteReport) {
    total.stored += report.stored;
    total.replaced += report.replaced;
    total.skipped += report.skipped;
    total.duplicates += report.duplicates;
    total.mentions += report.mentions;
    total.new_events += report.new_events;
}

/// The article as the database keeps it: the JSON of `dateline annotate` (without tokens),
/// its events and its tone.
fn to_new_article(processed: &Processed, version: &str) -> NewArticle {
    let layers = serde_json::to_string(&processed.document(false, false)).unwrap_or_default();
    let events = processed.events.as_ref().map(|events| events.events.clone()).unwrap_or_default();
    let tone = processed.links.as_ref().map(|links| links.tone.tone);
    let entities = processed.links.as_ref().map(|links| links.entities.as_slice()).unwrap_or_default();
    let sentences = processed
        .nlp
        .as_ref()
        .map(|(analysis, _)| analysis.sentences.iter().map(|sentence| (sentence.start, sentence.end)).collect())
        .unwrap_or_default();
    NewArticle::new(&processed.article, tone, events, layers, version).with_links(entities, sentences)
}

/// A progress bar over `files` files (a spinner when unknown), on stderr when it is a terminal.
pub(crate) fn progress_bar(files: Option<u64>, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = match files {
        Some(files) => ProgressBar::new(files).with_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} files, ETA {eta} | {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        ),
        None => ProgressBar::new_spinner().with_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        ),
    };
    bar.set_draw_target(ProgressDrawTarget::stderr());
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

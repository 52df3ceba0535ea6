//! The `dateline` command line.
//!
//! Exit codes: 0 when every document was processed, 1 when some documents could not be read
//! or processed (each is reported and the rest go on), 2 for a usage error or when no input
//! could be opened at all.

mod annotate;
mod dictionaries;
mod eval;
mod eval_code;
mod eval_link;
mod eval_petrarch;
mod ingest;
mod query;
mod serve;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Parsing allocates many small strings and nodes per page; mimalloc serves them faster than
/// the system allocator (about 7% of the whole run, docs/BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// News in, event data out.
#[derive(Debug, Parser)]
#[command(name = "dateline", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Annotate documents: print one JSON object per article.
    Annotate(annotate::AnnotateArgs),
    /// Process documents into a database (made when missing): every stage, in parallel,
    /// skipping what is stored already.
    Ingest(ingest::IngestArgs),
    /// List the events of a database, filtered.
    Events(query::EventsArgs),
    /// Search the articles of a database (full text).
    Search(query::SearchArgs),
    /// Export the events of a database: GDELT 2.0, CSV, JSON Lines or Parquet.
    Export(query::ExportArgs),
    /// Print what a database holds.
    Stats(query::StatsArgs),
    /// Serve the JSON API and the dashboard over a database (read-only).
    Serve(serve::ServeArgs),
    /// Ingest the bundled demo corpus, print a summary, and (with --serve) serve the dashboard.
    Demo(serve::DemoArgs),
    /// Score annotations against gold data (`dateline eval conllu --gold G --system S`).
    Eval(eval::EvalArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Annotate(args) => annotate::run(&args),
        Command::Ingest(args) => ingest::run(&args),
        Command::Events(args) => query::events(&args),
        Command::Search(args) => query::search(&args),
        Command::Export(args) => query::export(&args),
        Command::Stats(args) => query::stats(&args),
        Command::Serve(args) => serve::serve(&args),
        Command::Demo(args) => serve::demo(&args),
        Command::Eval(args) => eval::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            let _ = writeln!(io::stderr(), "dateline: error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// True when the error is stdout closing under us (`dateline ... | head`): exit quietly.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let kind = match (cause.downcast_ref::<io::Error>(), cause.downcast_ref::<serde_json::Error>()) {
            (Some(io_error), _) => Some(io_error.kind()),
            (None, Some(json_error)) => json_error.io_error_kind(),
            (None, None) => None,
        };
        kind == Some(io::ErrorKind::BrokenPipe)
    })
}

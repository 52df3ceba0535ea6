//! `dateline serve` and `dateline demo`.

use std::io::{self, Cursor, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use dateline_ingest::{IngestConfig, InputFormat};
use dateline_serve::Config;
use dateline_store::Store;
use dateline_store::query::{EventFilter, QUAD_NAMES, Sort};
use rust_embed::RustEmbed;

use crate::ingest::{self, Run};

/// Arguments of `dateline serve`.
#[derive(Debug, Args)]
pub(crate) struct ServeArgs {
    /// The database.
    #[arg(long, default_value = "dateline.db")]
    db: PathBuf,
    /// Where to listen. The default is loopback only; another address exposes the (read-only)
    /// API and dashboard to the network.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Longest time a query may run, in seconds.
    #[arg(long, default_value_t = 5)]
    query_timeout: u64,
    /// Longest time a client may take to send a request's headers, and keep a connection idle,
    /// in seconds.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    header_timeout: u64,
}

pub(crate) fn serve(args: &ServeArgs) -> anyhow::Result<ExitCode> {
    let config = Config {
        query_timeout: Duration::from_secs(args.query_timeout),
        header_timeout: Duration::from_secs(args.header_timeout),
        ..Config::new(args.db.clone(), args.addr)
    };
    run_server(&config)
}

fn run_server(config: &Config) -> anyhow::Result<ExitCode> {
    if !config.addr.ip().is_loopback() {
        eprintln!("dateline: warning: listening on {}, reachable from other machines", config.addr);
    }
    let db = config.db.display().to_string();
    dateline_serve::serve(config, |addr| {
        eprintln!(
            "dateline: serving {db} at http://{addr}/ (API: http://{addr}/api/stats, /openapi.json); Ctrl-C stops"
        );
    })
    .map_err(anyhow::Error::msg)?;
    Ok(ExitCode::SUCCESS)
}

/// The demo corpus: wire-style reports the project wrote, as HTML pages and scraped text.
#[derive(RustEmbed)]
#[folder = "../../samples/demo/"]
#[include = "html/*"]
#[include = "text/*"]
struct DemoCorpus;

/// Arguments of `dateline demo`.
#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// The database to fill (made when missing; articles stored before are skipped).
    #[arg(long, default_value = "dateline-demo.db")]
    db: PathBuf,
    /// Then serve the dashboard.
    #[arg(long)]
    serve: bool,
    /// Where to serve it.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
}

pub(crate) fn demo(args: &DemoArgs) -> anyhow::Result<ExitCode> {
    let mut names: Vec<String> = DemoCorpus::iter().map(|name| name.into_owned()).collect();
    names.sort();
    let config = IngestConfig { format: InputFormat::Auto, ..IngestConfig::default() };
    let documents = names.clone().into_iter().flat_map(move |name| {
        let bytes = DemoCorpus::get(&name).map(|file| file.data.into_owned()).unwrap_or_default();
        dateline_ingest::read_stream(&format!("demo/{name}"), Cursor::new(bytes), &config)
    });
    eprintln!("dateline: the demo corpus: {} articles written by the project (fictional wire reports)", names.len());
    let pipeline = ingest::load_pipeline(&[], None)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let inputs = vec!["demo".to_owned()];
    let run = Run { inputs: &inputs, db: &args.db, threads, reprocess: true, batch_size: 64 };
    let progress = ingest::progress_bar(Some(names.len() as u64), false);
    let totals = ingest::ingest(&pipeline, documents, &run, progress, false)?;
    summary(args)?;
    if args.serve {
        return run_server(&Config::new(args.db.clone(), args.addr));
    }
    eprintln!("dateline: look at it: dateline serve --db {}", args.db.display());
    Ok(if totals.failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// What the demo database holds, in a few lines.
fn summary(args: &DemoArgs) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let store = Store::open_read_only(&args.db)?;
    let stats = store.stats()?;
    writeln!(
        out,
        "{} articles from {} sources ({} near-duplicates), {} events from {} mentions, {} to {}",
        stats.articles,
        stats.sources,
        stats.duplicates,
        stats.events,
        stats.mentions,
        stats.first_date.as_deref().unwrap_or("-"),
        stats.last_date.as_deref().unwrap_or("-"),
    )?;
    let by_quad: Vec<String> = QUAD_NAMES
        .iter()
        .enumerate()
        .map(|(index, name)| format!("{name} {}", stats.quad.get(&(index + 1).to_string()).unwrap_or(&0)))
        .collect();
    writeln!(out, "by quad class: {}", by_quad.join(", "))?;
    let network = store.network(&EventFilter::default(), 5)?;
    let dyads: Vec<String> =
        network.edges.iter().map(|edge| format!("{} -> {} ({})", edge.source, edge.target, edge.events)).collect();
    writeln!(out, "busiest dyads: {}", dyads.join(", "))?;
    let places = store.map(&EventFilter::default())?;
    let places: Vec<String> = places.iter().take(5).map(|place| format!("{} ({})", place.name, place.events)).collect();
    writeln!(out, "busiest places: {}", places.join(", "))?;
    writeln!(out, "most reported events:")?;
    for event in store.events(&EventFilter::default(), Sort::MentionsDesc, 5, 0)?.events {
        writeln!(
            out,
            "  {} {} {} -> {}: {} ({} mentions in {} articles from {} sources)",
            event.date.as_deref().unwrap_or("-"),
            event.cameo,
            event.source.as_deref().unwrap_or("-"),
            event.target.as_deref().unwrap_or("-"),
            event.event_name.as_deref().unwrap_or("-"),
            event.num_mentions,
            event.num_articles,
            event.num_sources,
        )?;
    }
    writeln!(
        out,
        "try: dateline events --db {0} --root 19 | dateline search --db {0} \"sanctions AND Iran\" | \
         dateline export --db {0} --format gdelt",
        args.db.display()
    )?;
    Ok(())
}

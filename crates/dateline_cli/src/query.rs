//! The commands that read the database: `dateline events`, `search`, `export` and `stats`.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use dateline_store::export::ExportFormat;
use dateline_store::query::{EventFilter, EventRow, QUAD_NAMES, Sort, Stats};
use dateline_store::{Store, StoreError};

/// The event filters shared by `events` and `export` (and the HTTP API's query parameters).
#[derive(Debug, Clone, Args)]
pub(crate) struct FilterArgs {
    /// Source or target actor code starts with it (USA, USAGOV).
    #[arg(long)]
    actor: Option<String>,
    /// Source actor code starts with it.
    #[arg(long)]
    source: Option<String>,
    /// Target actor code starts with it.
    #[arg(long)]
    target: Option<String>,
    /// Source, target or place country (ISO3).
    #[arg(long)]
    country: Option<String>,
    /// CAMEO code starts with it (04, 042).
    #[arg(long)]
    code: Option<String>,
    /// CAMEO root, 01 to 20.
    #[arg(long)]
    root: Option<String>,
    /// Quad class, 1 to 4.
    #[arg(long)]
    quad: Option<u8>,
    /// PLOVER type (CONSULT, ASSAULT, ...).
    #[arg(long)]
    plover: Option<String>,
    /// Events on or after this date (YYYY-MM-DD).
    #[arg(long)]
    since: Option<String>,
    /// Events on or before this date (YYYY-MM-DD).
    #[arg(long)]
    until: Option<String>,
    /// Place name contains it.
    #[arg(long)]
    place: Option<String>,
    /// Full-text query over the reporting articles (FTS5 syntax: `sanctions AND Iran`).
    #[arg(long = "text")]
    text: Option<String>,
}

impl FilterArgs {
    fn filter(&self) -> EventFilter {
        EventFilter {
            actor: self.actor.clone(),
            source: self.source.clone(),
            target: self.target.clone(),
            country: self.country.clone(),
            code: self.code.clone(),
            root: self.root.as_ref().map(|root| if root.len() == 1 { format!("0{root}") } else { root.clone() }),
            quad: self.quad,
            plover: self.plover.clone(),
            since: self.since.clone(),
            until: self.until.clone(),
            place: self.place.clone(),
            q: self.text.clone(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum EventsFormat {
    Table,
    Csv,
    Json,
    Jsonl,
    Gdelt,
}

/// Arguments of `dateline events`.
#[derive(Debug, Args)]
pub(crate) struct EventsArgs {
    #[command(flatten)]
    filters: FilterArgs,
    /// The database.
    #[arg(long, default_value = "dateline.db")]
    db: PathBuf,
    /// How to print them.
    #[arg(long, value_enum, default_value_t = EventsFormat::Table)]
    format: EventsFormat,
    /// Order: date, -date, mentions, -mentions, goldstein, -goldstein.
    #[arg(long, default_value = "-date", allow_hyphen_values = true)]
    sort: String,
    /// At most this many (table and json; the other formats print every match unless given).
    #[arg(long)]
    limit: Option<i64>,
    /// Skip this many.
    #[arg(long, default_value_t = 0)]
    offset: i64,
}

pub(crate) fn events(args: &EventsArgs) -> anyhow::Result<ExitCode> {
    let store = Store::open_read_only(&args.db)?;
    let filter = args.filters.filter();
    let sort = Sort::parse(&args.sort)?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match args.format {
        EventsFormat::Table | EventsFormat::Json => {
            let limit = args.limit.unwrap_or(if args.format == EventsFormat::Table { 50 } else { 1000 });
            let page = store.events(&filter, sort, limit, args.offset)?;
            if args.format == EventsFormat::Json {
                serde_json::to_writer_pretty(&mut out, &page)?;
                writeln!(out)?;
            } else {
                print_table(&mut out, &page.events)?;
                writeln!(
                    out,
                    "{} of {} events{}",
                    page.events.len(),
                    page.total,
                    if page.total > page.events.len() as i64 + args.offset {
                        " (--limit and --offset page through the rest)"
                    } else {
                        ""
                    }
                )?;
            }
        }
        EventsFormat::Csv | EventsFormat::Jsonl | EventsFormat::Gdelt => {
            let format = match args.format {
                EventsFormat::Csv => ExportFormat::Csv,
                EventsFormat::Jsonl => ExportFormat::Jsonl,
                _ => ExportFormat::Gdelt,
            };
            store.export(&filter, format, &mut out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn print_table(out: &mut impl Write, events: &[EventRow]) -> io::Result<()> {
    writeln!(
        out,
        "{:>6}  {:<10}  {:<10}  {:<10}  {:<5}  {:>5}  {:<18}  {:>3}  place",
        "id", "date", "source", "target", "cameo", "gold", "plover", "men"
    )?;
    for event in events {
        writeln!(
            out,
            "{:>6}  {:<10}  {:<10}  {:<10}  {:<5}  {:>5.1}  {:<18}  {:>3}  {}",
            event.id,
            event.date.as_deref().unwrap_or("-"),
            event.source.as_deref().unwrap_or("-"),
            event.target.as_deref().unwrap_or("-"),
            event.cameo,
            event.goldstein,
            event.plover.as_deref().unwrap_or("-"),
            event.num_mentions,
            event.place.as_ref().map_or("-".to_owned(), |place| format!(
                "{} ({})",
                place.name,
                place.country.as_deref().unwrap_or("?")
            )),
        )?;
    }
    Ok(())
}

/// Arguments of `dateline search`.
#[derive(Debug, Args)]
pub(crate) struct SearchArgs {
    /// The query, FTS5 syntax: words, "phrases", AND, OR, NOT, prefix*.
    query: String,
    /// The database.
    #[arg(long, default_value = "dateline.db")]
    db: PathBuf,
    /// At most this many hits.
    #[arg(long, default_value_t = 20)]
    limit: i64,
    /// Skip this many.
    #[arg(long, default_value_t = 0)]
    offset: i64,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

pub(crate) fn search(args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let store = Store::open_read_only(&args.db)?;
    let page = store.search(&args.query, args.limit, args.offset)?;
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.json {
        serde_json::to_writer_pretty(&mut out, &page)?;
        writeln!(out)?;
    } else {
        for hit in &page.results {
            writeln!(
                out,
                "[{}] {}  {}",
                hit.id,
                hit.published.as_deref().map_or("", |date| date.get(..10).unwrap_or(date)),
                hit.title.as_deref().unwrap_or("(no title)")
            )?;
            writeln!(out, "    {}", terminal_snippet(&hit.snippet))?;
        }
        writeln!(out, "{} of {} articles", page.results.len(), page.total)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The HTML snippet for a terminal: marks as `[...]`, entities decoded.
fn terminal_snippet(html: &str) -> String {
    html.replace("<mark>", "[")
        .replace("</mark>", "]")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ExportFormatArg {
    Gdelt,
    Csv,
    Jsonl,
    Parquet,
}

/// Arguments of `dateline export`.
#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// gdelt (GDELT 2.0 Events, 61 tab-separated columns), csv, jsonl (events with mentions),
    /// parquet.
    #[arg(long, value_enum)]
    format: ExportFormatArg,
    /// The file to write (default: stdout; parquet needs a file).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// The database.
    #[arg(long, default_value = "dateline.db")]
    db: PathBuf,
    #[command(flatten)]
    filters: FilterArgs,
}

pub(crate) fn export(args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let store = Store::open_read_only(&args.db)?;
    let filter = args.filters.filter();
    let format = match args.format {
        ExportFormatArg::Gdelt => ExportFormat::Gdelt,
        ExportFormatArg::Csv => ExportFormat::Csv,
        ExportFormatArg::Jsonl => ExportFormat::Jsonl,
        ExportFormatArg::Parquet => {
            let Some(path) = &args.output else {
                anyhow::bail!("--format parquet writes a file: give --output FILE.parquet");
            };
            let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
            let count = store.export_parquet(&filter, file)?;
            eprintln!("dateline: {count} events -> {}", path.display());
            return Ok(ExitCode::SUCCESS);
        }
    };
    let count = match &args.output {
        Some(path) => {
            let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
            let mut out = BufWriter::new(file);
            let count = store.export(&filter, format, &mut out)?;
            out.flush().with_context(|| format!("writing {}", path.display()))?;
            eprintln!("dateline: {count} events -> {}", path.display());
            count
        }
        None => {
            let stdout = io::stdout();
            let mut out = BufWriter::new(stdout.lock());
            let count = store.export(&filter, format, &mut out)?;
            out.flush()?;
            count
        }
    };
    let _ = count;
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `dateline stats`.
#[derive(Debug, Args)]
pub(crate) struct StatsArgs {
    /// The database.
    #[arg(long, default_value = "dateline.db")]
    db: PathBuf,
    /// `json` or `text`.
    #[arg(long, default_value = "text")]
    format: String,
    /// Also check the database: SQLite's integrity check (reads the whole file) and the
    /// store's own consistency (mentions, events and their counts); exits with 1 when either
    /// finds a problem.
    #[arg(long)]
    check: bool,
}

pub(crate) fn stats(args: &StatsArgs) -> anyhow::Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let (stats, integrity, problems) = match Store::open_read_only(&args.db) {
        Ok(store) => {
            let integrity = if args.check { Some(store.integrity_check()?) } else { None };
            let problems = if args.check { Some(store.consistency_check()?) } else { None };
            (store.stats()?, integrity, problems)
        }
        // An ingest stopped before it stored anything: nothing to count, nothing inconsistent.
        Err(StoreError::Empty { .. }) => {
            let stats = Stats { schema_version: 0, ..Stats::default() };
            (stats, args.check.then(|| "ok".to_owned()), args.check.then(Vec::new))
        }
        Err(error) => return Err(error.into()),
    };
    match args.format.as_str() {
        "json" => {
            let mut value = serde_json::to_value(&stats)?;
            if let (Some(integrity), Some(object)) = (&integrity, value.as_object_mut()) {
                object.insert("integrity".to_owned(), serde_json::Value::String(integrity.clone()));
            }
            if let (Some(problems), Some(object)) = (&problems, value.as_object_mut()) {
                object.insert("consistency".to_owned(), serde_json::json!(problems));
            }
            writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        }
        "text" => {
            writeln!(out, "database          {}", args.db.display())?;
            writeln!(out, "articles          {}", stats.articles)?;
            writeln!(out, "  near-duplicates {}", stats.duplicates)?;
            writeln!(out, "  sources         {}", stats.sources)?;
            writeln!(out, "  failed inputs   {}", stats.failures)?;
            writeln!(out, "events            {}", stats.events)?;
            writeln!(out, "  mentions        {}", stats.mentions)?;
            writeln!(
                out,
                "  dates           {} to {}",
                stats.first_date.as_deref().unwrap_or("-"),
                stats.last_date.as_deref().unwrap_or("-")
            )?;
            for (index, name) in QUAD_NAMES.iter().enumerate() {
                writeln!(
                    out,
                    "  quad {} {:<21} {}",
                    index + 1,
                    name,
                    stats.quad.get(&(index + 1).to_string()).unwrap_or(&0)
                )?;
            }
            if let Some(integrity) = &integrity {
                writeln!(out, "integrity check   {integrity}")?;
            }
            if let Some(problems) = &problems {
                let verdict = if problems.is_empty() { "ok".to_owned() } else { problems.join("; ") };
                writeln!(out, "consistency check {verdict}")?;
            }
            writeln!(out, "schema version    {}", stats.schema_version)?;
            writeln!(out, "pipeline version  {}", stats.pipeline_version.as_deref().unwrap_or("-"))?;
        }
        other => anyhow::bail!("--format: '{other}' is not json or text"),
    }
    let sound = integrity.as_deref().is_none_or(|integrity| integrity == "ok")
        && problems.as_ref().is_none_or(|problems| problems.is_empty());
    Ok(if sound { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

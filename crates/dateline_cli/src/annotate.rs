//! `dateline annotate`: documents in, one JSON object (or clean text) per article out.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use dateline_doc::{Article, SCHEMA};
use dateline_ingest::{IngestConfig, IngestError, InputFormat};
use serde::Serialize;

/// Arguments of `dateline annotate`.
#[derive(Debug, Args)]
pub(crate) struct AnnotateArgs {
    /// Files, directories (read recursively), glob patterns, or `-` for stdin (the default).
    inputs: Vec<String>,

    /// How to read the inputs: `text` takes plain text as is; `scraped` is text scraped from a
    /// page, whose chrome is removed (what `auto` does with text).
    #[arg(long = "from", value_enum, default_value_t = From::Auto)]
    from: From,

    /// Read JSON Lines (`id`, `url`, `html` or `text`, `title`, `published`) from the inputs or
    /// stdin and write one JSON line per article in input order, with flat bench fields.
    #[arg(long)]
    jsonl: bool,

    /// What to print for each article.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,

    /// Indent the JSON.
    #[arg(long)]
    pretty: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum From {
    Auto,
    Html,
    Text,
    Scraped,
    Jsonl,
    Warc,
    Rss,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// One JSON object per article.
    Json,
    /// The clean text, articles separated by a form feed line.
    Text,
}

/// The JSON written for one article: the article's layers plus, in `--jsonl` mode, the flat
/// fields extraction benches read.
#[derive(Serialize)]
struct Output<'a> {
    schema: &'static str,
    #[serde(flatten)]
    article: &'a Article,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    flat: Option<Flat<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Flat<'a> {
    article_body: &'a str,
    #[serde(rename = "title")]
    title: Option<&'a str>,
    author: Option<String>,
    date: Option<String>,
    site: Option<&'a str>,
    tags: &'a [String],
    language: Option<&'a str>,
}

impl<'a> Flat<'a> {
    fn of(article: &'a Article) -> Flat<'a> {
        let meta = &article.meta;
        Flat {
            article_body: &article.text,
            title: meta.title.as_deref(),
            author: (!meta.authors.is_empty()).then(|| meta.authors.join(", ")),
            date: meta.published.map(|published| published.to_string()),
            site: meta.site.as_deref(),
            tags: &meta.tags,
            language: meta.language.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct ErrorRecord<'a> {
    schema: &'static str,
    id: Option<&'a str>,
    input: &'a str,
    error: &'a str,
}

pub(crate) fn run(args: &AnnotateArgs) -> anyhow::Result<ExitCode> {
    let format = if args.jsonl {
        InputFormat::Jsonl
    } else {
        match args.from {
            From::Auto => InputFormat::Auto,
            From::Html => InputFormat::Html,
            From::Text => InputFormat::Text,
            From::Scraped => InputFormat::Scraped,
            From::Jsonl => InputFormat::Jsonl,
            From::Warc => InputFormat::Warc,
            From::Rss => InputFormat::Feed,
        }
    };
    let inputs = if args.inputs.is_empty() { vec!["-".to_owned()] } else { args.inputs.clone() };
    let config = IngestConfig { format, text_verbatim: args.from == From::Text, ..IngestConfig::default() };

    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut n_ok = 0usize;
    let mut n_failed = 0usize;
    for item in dateline_ingest::read_inputs(&inputs, &config) {
        match item {
            Ok(raw) => {
                let article = dateline_clean::clean(&raw);
                write_article(&mut out, &article, args)?;
                n_ok += 1;
            }
            Err(error) => {
                n_failed += 1;
                report_error(&mut out, &error, args)?;
            }
        }
    }
    out.flush().context("writing output")?;
    if n_failed == 0 {
        Ok(ExitCode::SUCCESS)
    } else if n_ok == 0 && !args.jsonl {
        Ok(ExitCode::from(2))
    } else {
        Ok(ExitCode::from(1))
    }
}

fn write_article(out: &mut impl Write, article: &Article, args: &AnnotateArgs) -> anyhow::Result<()> {
    match args.format {
        Format::Text => {
            out.write_all(article.text.as_bytes())?;
            out.write_all(b"\n\x0c\n")?;
        }
        Format::Json => {
            let output = Output { schema: SCHEMA, article, flat: args.jsonl.then(|| Flat::of(article)) };
            if args.pretty {
                serde_json::to_writer_pretty(&mut *out, &output)?;
            } else {
                serde_json::to_writer(&mut *out, &output)?;
            }
            out.write_all(b"\n")?;
        }
    }
    Ok(())
}

/// Reports a document that could not be read: always on stderr, and as an error record on
/// stdout when the output is JSON, so that batch consumers keep their line count.
fn report_error(out: &mut impl Write, error: &IngestError, args: &AnnotateArgs) -> anyhow::Result<()> {
    eprintln!("dateline: {error}");
    if args.format == Format::Json {
        let record =
            ErrorRecord { schema: SCHEMA, id: error.id.as_deref(), input: &error.input, error: &error.message };
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

//! `dateline annotate`: documents in, one JSON object (or clean text, or CoNLL-U) per article
//! out. The stages run up to `--until`: `clean` (text and metadata), `nlp` (sentences,
//! tokens, tags, lemmas, dependency parse, entities) or `link` (actor codes, places, times,
//! quotes, tone).

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use dateline_code::Coder;
use dateline_ingest::{IngestConfig, IngestError, InputFormat};
use dateline_link::Linker;
use dateline_nlp::conllu;
use dateline_nlp::pipeline::{self, Models};
use dateline_pipeline::{ErrorRecord, Pipeline, Processed, timings};

/// Arguments of `dateline annotate`.
#[derive(Debug, Args)]
pub(crate) struct AnnotateArgs {
    /// Files, directories (read recursively), glob patterns, or `-` for stdin (the default).
    inputs: Vec<String>,

    /// How to read the inputs: `text` takes plain text as is; `scraped` is text scraped from a
    /// page, whose chrome is removed (what `auto` does with text); `conllu` keeps a CoNLL-U
    /// file's sentences and tokens exactly and annotates them again (with `--format conllu`).
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

    /// The last stage to run: `clean` gives text and metadata only; `nlp` adds sentences,
    /// tokens, parts of speech, lemmas, dependency parse and named entities; `link` adds actor
    /// codes and canonical names, places, times, quotes and tone; `code` adds events.
    #[arg(long, value_enum, default_value_t = Until::Code)]
    until: Until,

    /// An actor dictionary of the user's, added to the built-in one (its entries win): the
    /// project's TSV format (`resources/actors/README.md`) or a PETRARCH actors or agents
    /// file. Repeatable. Malformed lines are reported with file:line and skipped.
    #[arg(long = "actors", value_name = "FILE")]
    actors: Vec<PathBuf>,

    /// Code with PETRARCH dictionaries instead of the built-in ones: a directory holding a
    /// verb dictionary (`*verbs*.txt` or `CAMEO*.txt`) and actor and agent dictionaries
    /// (`*actors*.txt`, `*agents*.txt`), as PETRARCH and UD-PETRARCH ship them.
    #[arg(long = "dict-dir", value_name = "DIR")]
    dict_dir: Option<PathBuf>,

    /// Include every token with its annotations in the JSON (large).
    #[arg(long)]
    tokens: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, ValueEnum)]
enum Until {
    /// Clean text and metadata.
    Clean,
    /// Sentences, tokens, tags, lemmas, parse, entities.
    Nlp,
    /// Actors, places, times, quotes, tone.
    Link,
    /// Events: CAMEO and PLOVER codes with evidence.
    Code,
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
    Conllu,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// One JSON object per article.
    Json,
    /// The clean text, articles separated by a form feed line.
    Text,
    /// CoNLL-U: sentences, tokens and every annotation, `NE=` labels in MISC.
    Conllu,
}

pub(crate) fn run(args: &AnnotateArgs) -> anyhow::Result<ExitCode> {
    if args.from == From::Conllu {
        return reannotate_conllu(args);
    }
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
            From::Conllu => unreachable!("handled above"),
        }
    };
    let (models, (linker, coder)) =
        timings::measure(timings::Part::Load, || anyhow::Ok((load_models(args)?, load_linker_and_coder(args)?)))?;
    let pipeline = Pipeline::new(models, linker, coder, "");
    let inputs = if args.inputs.is_empty() { vec!["-".to_owned()] } else { args.inputs.clone() };
    let config = IngestConfig { format, text_verbatim: args.from == From::Text, ..IngestConfig::default() };

    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut n_ok = 0usize;
    let mut n_failed = 0usize;
    for item in timings::measured(timings::Part::Read, dateline_ingest::read_inputs(&inputs, &config)) {
        match item {
            Ok(raw) => {
                let processed = pipeline.process(&raw);
                timings::measure(timings::Part::Output, || write_article(&mut out, &processed, args))?;
                n_ok += 1;
            }
            Err(error) => {
                n_failed += 1;
                report_error(&mut out, &error, args)?;
            }
        }
    }
    out.flush().context("writing output")?;
    if let Some(report) = timings::report() {
        eprint!("{report}");
    }
    if n_failed == 0 {
        Ok(ExitCode::SUCCESS)
    } else if n_ok == 0 && !args.jsonl {
        Ok(ExitCode::from(2))
    } else {
        Ok(ExitCode::from(1))
    }
}

/// The NLP models, when the output shows what they produce: `--format text` prints the clean
/// text alone, so it neither loads nor runs them.
fn load_models(args: &AnnotateArgs) -> anyhow::Result<Option<Models>> {
    let needed = match args.format {
        Format::Json => args.until >= Until::Nlp,
        Format::Conllu => true,
        Format::Text => false,
    };
    if !needed {
        return Ok(None);
    }
    Models::embedded().context("loading the embedded NLP models").map(Some)
}

/// The link and code stages' resources with the user's dictionaries, when the JSON shows
/// them: the built-in ones, or a PETRARCH dictionary directory's.
fn load_linker_and_coder(args: &AnnotateArgs) -> anyhow::Result<(Option<Linker>, Option<Coder>)> {
    if args.format != Format::Json || args.until < Until::Link {
        if !args.actors.is_empty() || args.dict_dir.is_some() {
            anyhow::bail!("--actors and --dict-dir need the link stage: JSON output with --until link or code");
        }
        return Ok((None, None));
    }
    let (linker, coder) = load_dictionaries(&args.actors, args.dict_dir.as_deref(), args.until >= Until::Code)?;
    Ok((Some(linker), coder))
}

/// The linker with the built-in actors or a PETRARCH directory's, plus the user's actor
/// files, and (when `with_coder`) the coder with the built-in or the directory's verbs.
pub(crate) fn load_dictionaries(
    actors: &[PathBuf],
    dict_dir: Option<&std::path::Path>,
    with_coder: bool,
) -> anyhow::Result<(Linker, Option<Coder>)> {
    let (mut linker, coder) = match dict_dir {
        Some(dir) => {
            let dictionaries = crate::dictionaries::load_petrarch_dir(dir)?;
            let linker = Linker::with_actors(dictionaries.actors).context("loading the embedded link resources")?;
            (linker, Coder::with_petrarch(dictionaries.verbs, dictionaries.discards))
        }
        None => (Linker::embedded().context("loading the embedded link resources")?, Coder::embedded()),
    };
    for path in actors {
        let warnings =
            linker.load_dictionary(path).with_context(|| format!("reading the dictionary {}", path.display()))?;
        for warning in &warnings {
            eprintln!("dateline: warning: {warning}: line skipped");
        }
    }
    Ok((linker, with_coder.then_some(coder)))
}

/// `--from conllu`: every sentence of the inputs keeps its words and gets new annotations.
fn reannotate_conllu(args: &AnnotateArgs) -> anyhow::Result<ExitCode> {
    if args.format != Format::Conllu {
        anyhow::bail!("--from conllu writes CoNLL-U: add --format conllu");
    }
    let models = Models::embedded().context("loading the embedded NLP models")?;
    let inputs = if args.inputs.is_empty() { vec!["-".to_owned()] } else { args.inputs.clone() };
    let stdout = io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    for input in &inputs {
        let text = if input == "-" {
            io::read_to_string(io::stdin()).context("reading stdin")?
        } else {
            std::fs::read_to_string(input).with_context(|| format!("reading {input}"))?
        };
        let mut sentences = conllu::parse(&text).with_context(|| format!("{input}: not valid CoNLL-U"))?;
        for sentence in &mut sentences {
            pipeline::annotate_sentence(&models, sentence);
        }
        out.write_all(conllu::write(&sentences).as_bytes())?;
    }
    out.flush().context("writing output")?;
    Ok(ExitCode::SUCCESS)
}

fn write_article(out: &mut impl Write, processed: &Processed, args: &AnnotateArgs) -> anyhow::Result<()> {
    let article = &processed.article;
    match args.format {
        Format::Text => {
            out.write_all(article.text.as_bytes())?;
            out.write_all(b"\n\x0c\n")?;
        }
        Format::Conllu => {
            let sentences = processed.nlp.as_ref().map(|(_, sentences)| sentences.as_slice()).unwrap_or_default();
            writeln!(out, "# newdoc id = {}", article.id)?;
            for (index, sentence) in sentences.iter().enumerate() {
                writeln!(out, "# sent_id = {}-{}", article.id, index + 1)?;
                out.write_all(conllu::write(std::slice::from_ref(sentence)).as_bytes())?;
            }
        }
        Format::Json => {
            let document = processed.document(args.tokens, args.jsonl);
            if args.pretty {
                serde_json::to_writer_pretty(&mut *out, &document)?;
            } else {
                serde_json::to_writer(&mut *out, &document)?;
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
        let record = ErrorRecord::new(error.id.as_deref(), &error.input, &error.message);
        serde_json::to_writer(&mut *out, &record)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

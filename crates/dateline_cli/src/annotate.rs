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
use dateline_doc::{
    Analysis, Article, Entity, Event, Events, Links, Place, Quote, SCHEMA, Sentence, Suppressed, TimeMention, Token,
    Tone,
};
use dateline_ingest::{IngestConfig, IngestError, InputFormat};
use dateline_link::Linker;
use dateline_nlp::conllu::{self, ConlluSentence};
use dateline_nlp::pipeline::{self, Models};
use serde::Serialize;

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

/// The JSON written for one article: the article's layers plus, in `--jsonl` mode, the flat
/// fields extraction benches read.
#[derive(Serialize)]
struct Output<'a> {
    schema: &'static str,
    #[serde(flatten)]
    article: &'a Article,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    nlp: Option<NlpLayers<'a>>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    links: Option<LinkLayers<'a>>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    events: Option<EventLayers<'a>>,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    flat: Option<Flat<'a>>,
}

/// The events in the JSON.
#[derive(Serialize)]
struct EventLayers<'a> {
    events: &'a [Event],
    suppressed: &'a [Suppressed],
}

/// The linked layers in the JSON (entities are in [`NlpLayers`], with their codes).
#[derive(Serialize)]
struct LinkLayers<'a> {
    places: &'a [Place],
    times: &'a [TimeMention],
    quotes: &'a [Quote],
    tone: &'a Tone,
}

/// The linguistic layers in the JSON: sentences and entities always, tokens on request.
#[derive(Serialize)]
struct NlpLayers<'a> {
    sentences: &'a [Sentence],
    entities: &'a [Entity],
    #[serde(skip_serializing_if = "Option::is_none")]
    tokens: Option<&'a [Token]>,
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
    let models = load_models(args)?;
    let (linker, coder) = load_linker_and_coder(args)?;
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
                let nlp = models.as_ref().map(|models| pipeline::analyze(&article.text, models));
                let links = linker
                    .as_ref()
                    .zip(nlp.as_ref())
                    .map(|(linker, (analysis, _))| linker.link(&article.text, analysis, article.meta.published));
                let events =
                    coder.as_ref().zip(nlp.as_ref().zip(links.as_ref())).map(|(coder, ((analysis, _), links))| {
                        coder.code(&article.text, analysis, links, article.meta.published)
                    });
                let layers = Layers { nlp: nlp.as_ref(), links: links.as_ref(), events: events.as_ref() };
                write_article(&mut out, &article, &layers, args)?;
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
    let (mut linker, coder) = match &args.dict_dir {
        Some(dir) => {
            let dictionaries = crate::dictionaries::load_petrarch_dir(dir)?;
            let linker = Linker::with_actors(dictionaries.actors).context("loading the embedded link resources")?;
            (linker, Coder::with_petrarch(dictionaries.verbs, dictionaries.discards))
        }
        None => (Linker::embedded().context("loading the embedded link resources")?, Coder::embedded()),
    };
    for path in &args.actors {
        let warnings =
            linker.load_dictionary(path).with_context(|| format!("reading the dictionary {}", path.display()))?;
        for warning in &warnings {
            eprintln!("dateline: warning: {warning}: line skipped");
        }
    }
    let coder = (args.until >= Until::Code).then_some(coder);
    Ok((Some(linker), coder))
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

/// What the stages made of one article.
struct Layers<'a> {
    nlp: Option<&'a (Analysis, Vec<ConlluSentence>)>,
    links: Option<&'a Links>,
    events: Option<&'a Events>,
}

fn write_article(
    out: &mut impl Write,
    article: &Article,
    layers: &Layers<'_>,
    args: &AnnotateArgs,
) -> anyhow::Result<()> {
    let (nlp, links) = (layers.nlp, layers.links);
    match args.format {
        Format::Text => {
            out.write_all(article.text.as_bytes())?;
            out.write_all(b"\n\x0c\n")?;
        }
        Format::Conllu => {
            let sentences = nlp.map(|(_, sentences)| sentences.as_slice()).unwrap_or_default();
            writeln!(out, "# newdoc id = {}", article.id)?;
            for (index, sentence) in sentences.iter().enumerate() {
                writeln!(out, "# sent_id = {}-{}", article.id, index + 1)?;
                out.write_all(conllu::write(std::slice::from_ref(sentence)).as_bytes())?;
            }
        }
        Format::Json => {
            let nlp_layers = nlp.map(|(analysis, _)| NlpLayers {
                sentences: &analysis.sentences,
                entities: links.map_or(&analysis.entities, |links| &links.entities),
                tokens: args.tokens.then_some(analysis.tokens.as_slice()),
            });
            let link_layers = links.map(|links| LinkLayers {
                places: &links.places,
                times: &links.times,
                quotes: &links.quotes,
                tone: &links.tone,
            });
            let output = Output {
                schema: SCHEMA,
                article,
                nlp: nlp_layers,
                links: link_layers,
                events: layers
                    .events
                    .map(|events| EventLayers { events: &events.events, suppressed: &events.suppressed }),
                flat: args.jsonl.then(|| Flat::of(article)),
            };
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

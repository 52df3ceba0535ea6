//! The native part of the `dateline` Python package: documents in, the JSON of
//! `dateline annotate` out, one document at a time or many on several threads.
//!
//! Documents are read as the command line reads a file (`dateline_ingest::read_stream`: gzip
//! undone, charset found, HTML or text sniffed) and run through `dateline_pipeline`. The
//! pipeline's models and dictionaries load once per process and stage, on first use. The GIL
//! is released while documents are read and processed. A document that cannot be read or
//! processed gives an error record (`schema`, `id`, `input`, `error`), as `dateline annotate`
//! prints one, rather than an exception; unknown options raise `ValueError`.
//!
//! This module returns JSON strings; the Python package (`dateline/__init__.py`) turns them
//! into dicts, Arrow record batches or pandas frames.

use std::io::Cursor;
use std::sync::{Mutex, OnceLock};

use dateline_doc::{Hints, RawDoc, SCHEMA};
use dateline_ingest::{IngestConfig, IngestError, InputFormat};
use dateline_pipeline::{ErrorRecord, Outcome, PIPELINE_VERSION, Pipeline, Processed, Stage};
use dateline_store::NewArticle;
use dateline_store::export::{GDELT_COLUMNS, gdelt_row};
use dateline_store::merge::{Claims, Mention, merge_mentions};
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};

/// The byte order mark put before the UTF-8 bytes of a `str`: Python text is decoded already,
/// so a `<meta charset>` in it must not make ingest decode it again as something else.
const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// The pipelines, one per last stage, each loaded on first use.
static PIPELINES: [OnceLock<Result<Pipeline, String>>; 4] =
    [OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new()];

/// A document as it came from Python, not yet read.
struct Input {
    /// What the document is called in ids and errors: its id, else its URL, else where it is.
    name: String,
    /// The id or URL given with the document, the id of its error record.
    id: Option<String>,
    /// The bytes, or `None` for a missing document (`None` in a batch).
    bytes: Option<Vec<u8>>,
    /// How to read the bytes.
    format: InputFormat,
    /// Metadata given with the document.
    hints: Hints,
}

fn parse_stage(until: &str) -> PyResult<Stage> {
    match until {
        "clean" => Ok(Stage::Clean),
        "nlp" => Ok(Stage::Nlp),
        "link" => Ok(Stage::Link),
        "code" => Ok(Stage::Code),
        other => Err(PyValueError::new_err(format!(
            "until={other:?}: the last stage is one of \"clean\", \"nlp\", \"link\", \"code\""
        ))),
    }
}

fn parse_format(format: &str) -> PyResult<InputFormat> {
    match format {
        "auto" => Ok(InputFormat::Auto),
        "html" => Ok(InputFormat::Html),
        "text" => Ok(InputFormat::Text),
        "scraped" => Ok(InputFormat::Scraped),
        other => Err(PyValueError::new_err(format!(
            "format={other:?}: documents are read as \"auto\" (sniffed, as the command line does), \"html\", \
             \"text\" (plain text taken as is) or \"scraped\" (text with page chrome to remove)"
        ))),
    }
}

/// The pipeline that runs up to `stage`, loaded (with the GIL released) on first use.
fn pipeline(py: Python<'_>, stage: Stage) -> PyResult<&'static Pipeline> {
    let slot = &PIPELINES[stage as usize];
    let loaded = match slot.get() {
        Some(loaded) => loaded,
        None => py.detach(|| slot.get_or_init(|| Pipeline::embedded(stage).map_err(|error| error.to_string()))),
    };
    loaded.as_ref().map_err(|message| PyRuntimeError::new_err(message.clone()))
}

/// The bytes of a document given as `str` or `bytes`.
fn document_bytes(doc: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<u8>> {
    if let Ok(text) = doc.cast::<PyString>() {
        let text = text.to_cow()?;
        let mut bytes = Vec::with_capacity(UTF8_BOM.len() + text.len());
        bytes.extend_from_slice(UTF8_BOM);
        bytes.extend_from_slice(text.as_bytes());
        Ok(bytes)
    } else if let Ok(bytes) = doc.cast::<PyBytes>() {
        Ok(bytes.as_bytes().to_vec())
    } else {
        Err(PyTypeError::new_err(format!(
            "{what}: a document is a str or bytes (HTML or text), not {}",
            doc.get_type().name()?
        )))
    }
}

/// An optional text argument: `None`, a `str`, or (for times) anything with `isoformat()`.
fn optional_text(value: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Option<String>> {
    let Some(value) = value.filter(|value| !value.is_none()) else {
        return Ok(None);
    };
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(Some(text.to_cow()?.into_owned()).filter(|text| !text.is_empty()));
    }
    if value.hasattr("isoformat")? {
        return Ok(Some(value.call_method0("isoformat")?.extract::<String>()?));
    }
    if let Ok(number) = value.extract::<i64>() {
        return Ok(Some(number.to_string()));
    }
    Err(PyTypeError::new_err(format!("{what} is a str, not {}", value.get_type().name()?)))
}

/// One document of a batch: `str`, `bytes`, `None`, or a dict with `id`, `url`, `title`,
/// `published` and the page as `html` or `text` (the fields of a `dateline annotate --jsonl`
/// record), or as `doc` (read as `format` says, as a bare document is); other keys are
/// ignored.
fn batch_input(item: &Bound<'_, PyAny>, index: usize, format: InputFormat) -> PyResult<Input> {
    let default_name = format!("docs[{index}]");
    if item.is_none() {
        return Ok(Input { name: default_name, id: None, bytes: None, format, hints: Hints::default() });
    }
    let Ok(record) = item.cast::<PyDict>() else {
        let bytes = document_bytes(item, &default_name)?;
        return Ok(Input { name: default_name, id: None, bytes: Some(bytes), format, hints: Hints::default() });
    };
    let field = |key: &str| -> PyResult<Option<String>> {
        optional_text(record.get_item(key)?.as_ref(), &format!("{default_name}[{key:?}]"))
    };
    let hints =
        Hints { url: field("url")?, title: field("title")?, published: field("published")?, ..Hints::default() };
    let id = field("id")?.or_else(|| hints.url.clone());
    let name = id.clone().unwrap_or(default_name);
    let body = |key: &str| -> PyResult<Option<Vec<u8>>> {
        match record.get_item(key)? {
            Some(value) if !value.is_none() => document_bytes(&value, &format!("{name}[{key:?}]")).map(Some),
            _ => Ok(None),
        }
    };
    let (bytes, format) = if let Some(html) = body("html")? {
        (Some(html), InputFormat::Html)
    } else if let Some(text) = body("text")? {
        (Some(text), if format == InputFormat::Text { InputFormat::Text } else { InputFormat::Scraped })
    } else if let Some(doc) = body("doc")? {
        (Some(doc), format)
    } else {
        (None, format)
    };
    Ok(Input { name, id, bytes, format, hints })
}

/// Reads one input as the command line reads a file, with the given metadata added. An input
/// that holds several documents (a JSONL, WARC or feed container) is an error.
fn read(input: Input) -> Result<RawDoc, IngestError> {
    let Input { name, bytes, format, hints, .. } = input;
    let error = |message: String| IngestError { input: name.clone(), id: None, message };
    let Some(bytes) = bytes else {
        return Err(error("no document (None, or a record without html, text or doc)".to_owned()));
    };
    let config = IngestConfig { format, text_verbatim: format == InputFormat::Text, ..IngestConfig::default() };
    let mut documents = dateline_ingest::read_stream(&name, Cursor::new(bytes), &config);
    let first = documents.next().unwrap_or_else(|| Err(error("empty input".to_owned())));
    let more = documents.count();
    if more > 0 {
        return Err(error(format!(
            "holds {} documents (a JSONL, WARC or feed container): annotate one document at a time, \
             or read containers with `dateline annotate`",
            more + 1
        )));
    }
    let mut raw = first?;
    raw.hints.url = hints.url.or(raw.hints.url);
    raw.hints.title = hints.title.or(raw.hints.title);
    raw.hints.published = hints.published.or(raw.hints.published);
    Ok(raw)
}

fn error_json(error: &IngestError) -> String {
    let record = ErrorRecord::new(error.id.as_deref(), &error.input, &error.message);
    serde_json::to_string(&record).expect("an error record serialises")
}

/// What a document is called while it runs: the id its article or error record gets.
struct Tag {
    /// The article's id in the output (its id, URL or position when given from Python).
    name: String,
    /// The id of its error record.
    id: Option<String>,
}

/// Runs the inputs through the pipeline on `threads` threads and gives each one's JSON, in
/// input order.
fn run(
    pipeline: &Pipeline,
    inputs: Vec<Input>,
    threads: usize,
    render: impl FnMut(&Processed) -> String,
) -> Vec<String> {
    let documents = inputs.into_iter().map(|input| {
        let tag = Tag { name: input.name.clone(), id: input.id.clone() };
        (tag, read(input))
    });
    run_tagged(pipeline, documents, threads, render)
}

/// Runs documents through the pipeline on `threads` threads and gives each one's JSON
/// (`render`, or an error record), in input order. Documents are tagged with their position
/// while they run, since outcomes come back in completion order; their ids are put back
/// afterwards.
fn run_tagged(
    pipeline: &Pipeline,
    documents: impl Iterator<Item = (Tag, Result<RawDoc, IngestError>)> + Send,
    threads: usize,
    mut render: impl FnMut(&Processed) -> String,
) -> Vec<String> {
    let tags: Mutex<Vec<Tag>> = Mutex::new(Vec::new());
    let mut results: Vec<Option<String>> = Vec::new();
    let documents = documents.enumerate().map(|(index, (tag, document))| {
        tags.lock().expect("the tags are not poisoned").push(tag);
        document
            .map(|mut raw| {
                raw.id = index.to_string();
                raw
            })
            .map_err(|mut error| {
                error.id = Some(index.to_string());
                error
            })
    });
    let index_of = |tag: Option<&str>| tag.and_then(|tag| tag.parse::<usize>().ok());
    let put = |results: &mut Vec<Option<String>>, index: usize, json: String| {
        if results.len() <= index {
            results.resize(index + 1, None);
        }
        results[index] = Some(json);
    };
    dateline_pipeline::run_parallel(
        pipeline,
        documents,
        threads,
        |_| false,
        |outcome| {
            match outcome {
                Outcome::Processed(mut processed) => {
                    if let Some(index) = index_of(Some(&processed.article.id)) {
                        let tags = tags.lock().expect("the tags are not poisoned");
                        if let Some(tag) = tags.get(index) {
                            processed.article.id.clone_from(&tag.name);
                            drop(tags);
                            put(&mut results, index, render(&processed));
                        }
                    }
                }
                Outcome::Failed(mut error) => {
                    if let Some(index) = index_of(error.id.as_deref()) {
                        let tags = tags.lock().expect("the tags are not poisoned");
                        if let Some(tag) = tags.get(index) {
                            error.id.clone_from(&tag.id);
                            drop(tags);
                            put(&mut results, index, error_json(&error));
                        }
                    }
                }
                Outcome::Skipped(_) => {}
            }
            true
        },
    );
    let tags = tags.into_inner().expect("the tags are not poisoned");
    results.resize(tags.len(), None);
    results
        .into_iter()
        .zip(tags)
        .map(|(result, tag)| {
            result.unwrap_or_else(|| {
                error_json(&IngestError {
                    input: tag.name,
                    id: tag.id,
                    message: "the document was lost on its way through the pipeline".to_owned(),
                })
            })
        })
        .collect()
}

/// The JSON of `dateline annotate` for a processed document.
fn annotate_render(tokens: bool) -> impl FnMut(&Processed) -> String {
    move |processed| serde_json::to_string(&processed.document(tokens, false)).expect("a document serialises")
}

/// Annotates one document (HTML or text, `str` or `bytes`) and gives the JSON of
/// `dateline annotate` for it, or an error record.
#[pyfunction]
#[pyo3(signature = (doc, *, id=None, url=None, title=None, published=None, until="code", format="auto", tokens=false))]
#[allow(clippy::too_many_arguments)]
fn annotate_json(
    py: Python<'_>,
    doc: &Bound<'_, PyAny>,
    id: Option<&Bound<'_, PyAny>>,
    url: Option<&Bound<'_, PyAny>>,
    title: Option<&Bound<'_, PyAny>>,
    published: Option<&Bound<'_, PyAny>>,
    until: &str,
    format: &str,
    tokens: bool,
) -> PyResult<String> {
    let stage = parse_stage(until)?;
    let format = parse_format(format)?;
    let hints = Hints {
        url: optional_text(url, "url")?,
        title: optional_text(title, "title")?,
        published: optional_text(published, "published")?,
        ..Hints::default()
    };
    let id = optional_text(id, "id")?.or_else(|| hints.url.clone());
    let name = id.clone().unwrap_or_else(|| "-".to_owned());
    let bytes = if doc.is_none() { None } else { Some(document_bytes(doc, &name)?) };
    let pipeline = pipeline(py, stage)?;
    let input = Input { name, id, bytes, format, hints };
    let mut results = py.detach(|| run(pipeline, vec![input], 1, annotate_render(tokens)));
    Ok(results.pop().expect("one result per document"))
}

/// The number of threads asked for: `None` for every core.
fn parse_threads(threads: Option<i64>) -> PyResult<usize> {
    match threads {
        None => Ok(std::thread::available_parallelism().map_or(1, usize::from)),
        Some(threads) if threads >= 1 => Ok(usize::try_from(threads).unwrap_or(usize::MAX).min(1024)),
        Some(threads) => {
            Err(PyValueError::new_err(format!("threads={threads}: at least one thread, or None for all cores")))
        }
    }
}

/// The documents of a batch (see [`batch_input`]).
fn batch_inputs(docs: &Bound<'_, PyAny>, format: InputFormat) -> PyResult<Vec<Input>> {
    if docs.cast::<PyString>().is_ok() || docs.cast::<PyBytes>().is_ok() || docs.cast::<PyDict>().is_ok() {
        return Err(PyTypeError::new_err(
            "docs is a list (or other iterable) of documents: for one document, call annotate",
        ));
    }
    let mut inputs = Vec::new();
    for (index, item) in docs.try_iter()?.enumerate() {
        inputs.push(batch_input(&item?, index, format)?);
    }
    Ok(inputs)
}

/// Annotates many documents on several threads and gives their JSON in input order.
#[pyfunction]
#[pyo3(signature = (docs, *, until="code", format="auto", tokens=false, threads=None))]
fn annotate_batch_json(
    py: Python<'_>,
    docs: &Bound<'_, PyAny>,
    until: &str,
    format: &str,
    tokens: bool,
    threads: Option<i64>,
) -> PyResult<Vec<String>> {
    let stage = parse_stage(until)?;
    let format = parse_format(format)?;
    let threads = parse_threads(threads)?;
    let inputs = batch_inputs(docs, format)?;
    if inputs.is_empty() {
        return Ok(Vec::new());
    }
    let pipeline = pipeline(py, stage)?;
    let threads = threads.min(inputs.len());
    Ok(py.detach(|| run(pipeline, inputs, threads, annotate_render(tokens))))
}

/// The record of a processed article as `dateline ingest` would store it: its columns, its
/// fingerprints and the keys copies are found by, and its events as mentions to merge
/// (`merge_events`), each with the actors and root it is grouped by. With `layers`, the JSON
/// of `dateline annotate` (without tokens) too, as the database keeps it.
fn store_render(version: String, layers: bool) -> impl FnMut(&Processed) -> String {
    move |processed| {
        let document = if layers {
            serde_json::to_string(&processed.document(false, false)).expect("a document serialises")
        } else {
            String::new()
        };
        let events = processed.events.as_ref().map(|events| events.events.clone()).unwrap_or_default();
        let tone = processed.links.as_ref().map(|links| links.tone.tone);
        let entities = processed.links.as_ref().map(|links| links.entities.as_slice()).unwrap_or_default();
        let sentences = processed
            .nlp
            .as_ref()
            .map(|(analysis, _)| analysis.sentences.iter().map(|sentence| (sentence.start, sentence.end)).collect())
            .unwrap_or_default();
        let article =
            NewArticle::new(&processed.article, tone, events, document, &version).with_links(entities, sentences);
        let mentions: Vec<serde_json::Value> = article
            .mentions(0)
            .iter()
            .map(|mention| {
                serde_json::json!({
                    "source": mention.event.key.source,
                    "target": mention.event.key.target,
                    "root": mention.event.key.root,
                    "index": mention.index,
                    "mention": serde_json::to_string(mention).expect("a mention serialises"),
                })
            })
            .collect();
        serde_json::json!({
            "schema": SCHEMA,
            "id": article.doc_id,
            "input": article.input,
            "url": article.url,
            "title": article.title,
            "published": article.published,
            "site": article.site,
            "source_name": article.source_name(),
            "authors": article.authors,
            "tags": article.tags,
            "language": article.language,
            "text": article.text,
            "tone": article.tone,
            "text_hash": dateline_store::text_hash(&article.text),
            "simhash": dateline_store::simhash(&article.text) as i64,
            "claim_keys": article.claim_keys(),
            "pipeline_version": article.pipeline_version,
            "n_events": article.events.len(),
            "mentions": mentions,
            "layers": if layers { Some(&article.layers) } else { None },
        })
        .to_string()
    }
}

/// Runs documents given as `annotate_batch` takes them through every stage and gives, for
/// each, in input order, its store record (see `store_render`) or an error record.
#[pyfunction]
#[pyo3(signature = (docs, *, format="auto", threads=None, layers=false))]
fn ingest_batch_json(
    py: Python<'_>,
    docs: &Bound<'_, PyAny>,
    format: &str,
    threads: Option<i64>,
    layers: bool,
) -> PyResult<Vec<String>> {
    let format = parse_format(format)?;
    let threads = parse_threads(threads)?;
    let inputs = batch_inputs(docs, format)?;
    if inputs.is_empty() {
        return Ok(Vec::new());
    }
    let pipeline = pipeline(py, Stage::Code)?;
    let threads = threads.min(inputs.len());
    let version = pipeline.version().to_owned();
    Ok(py.detach(|| run(pipeline, inputs, threads, store_render(version, layers))))
}

/// Reads every document of one file's bytes as `dateline ingest` reads a file called `name`
/// (gzip undone; a WARC archive, JSONL, feed or single page found from the content), runs
/// each through every stage on `threads` threads, and gives, in the file's order, each one's
/// store record or an error record naming the input (`name#record`).
#[pyfunction]
#[pyo3(signature = (data, name, *, format="auto", threads=None, layers=false))]
fn ingest_file_json(
    py: Python<'_>,
    data: &Bound<'_, PyBytes>,
    name: &str,
    format: &str,
    threads: Option<i64>,
    layers: bool,
) -> PyResult<Vec<String>> {
    let format = parse_format(format)?;
    let threads = parse_threads(threads)?;
    let pipeline = pipeline(py, Stage::Code)?;
    let bytes = data.as_bytes().to_vec();
    let version = pipeline.version().to_owned();
    let config = IngestConfig { format, text_verbatim: format == InputFormat::Text, ..IngestConfig::default() };
    Ok(py.detach(|| {
        let documents = dateline_ingest::read_stream(name, Cursor::new(bytes), &config).map(|document| {
            let tag = match &document {
                Ok(raw) => Tag { name: raw.id.clone(), id: Some(raw.id.clone()) },
                Err(error) => Tag { name: error.input.clone(), id: error.id.clone() },
            };
            (tag, document)
        });
        run_tagged(pipeline, documents, threads, store_render(version, layers))
    }))
}

/// Merges the mentions of one group (the same source, target and root), given as
/// `(article, mention)` pairs in the order their articles are stored (article, then the
/// mention's index), as `dateline ingest` merges them into its database: the article is a
/// number that orders articles (the database's article id), the mention the JSON of a store
/// record's `mentions[].mention`. Gives, for each event, the position of its first mention
/// and the event as the 61 columns of `dateline export --format gdelt` (GLOBALEVENTID 0:
/// ids are given once every group is merged). `added` is the DATEADDED time
/// (`YYYY-MM-DDTHH:MM:SSZ`).
#[pyfunction]
fn merge_events(py: Python<'_>, mentions: Vec<(i64, String)>, added: &str) -> PyResult<Vec<(usize, Vec<String>)>> {
    let mut parsed = Vec::with_capacity(mentions.len());
    for (position, (article, json)) in mentions.iter().enumerate() {
        let mut mention: Mention = serde_json::from_str(json).map_err(|error| {
            PyValueError::new_err(format!("mentions[{position}] (article {article}) is not a mention's JSON: {error}"))
        })?;
        mention.facts.article = *article;
        parsed.push(mention);
    }
    Ok(py.detach(|| {
        merge_mentions(&parsed, added).into_iter().map(|event| (event.first, gdelt_row(&event.row))).collect()
    }))
}

/// Whether `dateline ingest` leaves this file out when it walks a directory (a hidden file, or
/// one whose extension says it is not news).
#[pyfunction]
fn skipped(path: &str) -> bool {
    dateline_ingest::skipped_in_directories(path)
}

/// Which of these articles, in the order they are stored, are new rather than copies of an
/// earlier one, as `dateline ingest` decides: each article is given by its `claim_keys`.
#[pyfunction]
fn claim(keys: Vec<Vec<String>>) -> Vec<bool> {
    let mut claims = Claims::default();
    keys.iter().map(|keys| claims.claim(keys)).collect()
}

/// Loads the resources of the pipeline up to `until` now rather than on first use (on a Spark
/// executor, for instance, before the first batch arrives).
#[pyfunction]
#[pyo3(signature = (until="code"))]
fn load(py: Python<'_>, until: &str) -> PyResult<()> {
    pipeline(py, parse_stage(until)?).map(|_| ())
}

#[pymodule]
fn _dateline(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add_function(wrap_pyfunction!(annotate_json, module)?)?;
    module.add_function(wrap_pyfunction!(annotate_batch_json, module)?)?;
    module.add_function(wrap_pyfunction!(load, module)?)?;
    module.add_function(wrap_pyfunction!(ingest_batch_json, module)?)?;
    module.add_function(wrap_pyfunction!(ingest_file_json, module)?)?;
    module.add_function(wrap_pyfunction!(merge_events, module)?)?;
    module.add_function(wrap_pyfunction!(claim, module)?)?;
    module.add_function(wrap_pyfunction!(skipped, module)?)?;
    module.add("GDELT_COLUMNS", GDELT_COLUMNS.to_vec())?;
    module.add("SCHEMA", SCHEMA)?;
    module.add("PIPELINE_VERSION", PIPELINE_VERSION)?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}

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
use std::sync::OnceLock;

use dateline_doc::{Hints, RawDoc, SCHEMA};
use dateline_ingest::{IngestConfig, IngestError, InputFormat};
use dateline_pipeline::{ErrorRecord, Outcome, PIPELINE_VERSION, Pipeline, Stage};
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

/// Runs the inputs through the pipeline on `threads` threads and gives each one's JSON, in
/// input order. Documents are tagged with their index while they run, since outcomes come
/// back in completion order; the ids are put back afterwards.
fn run(pipeline: &Pipeline, inputs: Vec<Input>, threads: usize, tokens: bool) -> Vec<String> {
    let names: Vec<String> = inputs.iter().map(|input| input.name.clone()).collect();
    let ids: Vec<Option<String>> = inputs.iter().map(|input| input.id.clone()).collect();
    let mut results: Vec<Option<String>> = vec![None; inputs.len()];
    let documents = inputs.into_iter().enumerate().map(|(index, input)| {
        read(input)
            .map(|mut raw| {
                raw.id = index.to_string();
                raw
            })
            .map_err(|mut error| {
                error.id = Some(index.to_string());
                error
            })
    });
    let index_of =
        |tag: Option<&str>| tag.and_then(|tag| tag.parse::<usize>().ok()).filter(|&index| index < names.len());
    dateline_pipeline::run_parallel(
        pipeline,
        documents,
        threads,
        |_| false,
        |outcome| {
            match outcome {
                Outcome::Processed(mut processed) => {
                    if let Some(index) = index_of(Some(&processed.article.id)) {
                        processed.article.id.clone_from(&names[index]);
                        let json =
                            serde_json::to_string(&processed.document(tokens, false)).expect("a document serialises");
                        results[index] = Some(json);
                    }
                }
                Outcome::Failed(mut error) => {
                    if let Some(index) = index_of(error.id.as_deref()) {
                        error.id.clone_from(&ids[index]);
                        results[index] = Some(error_json(&error));
                    }
                }
                Outcome::Skipped(_) => {}
            }
            true
        },
    );
    results
        .into_iter()
        .zip(names.into_iter().zip(ids))
        .map(|(result, (name, id))| {
            result.unwrap_or_else(|| {
                error_json(&IngestError {
                    input: name,
                    id,
                    message: "the document was lost on its way through the pipeline".to_owned(),
                })
            })
        })
        .collect()
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
    let mut results = py.detach(|| run(pipeline, vec![input], 1, tokens));
    Ok(results.pop().expect("one result per document"))
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
    let threads = match threads {
        None => std::thread::available_parallelism().map_or(1, usize::from),
        Some(threads) if threads >= 1 => usize::try_from(threads).unwrap_or(usize::MAX).min(1024),
        Some(threads) => {
            return Err(PyValueError::new_err(format!(
                "threads={threads}: at least one thread, or None for all cores"
            )));
        }
    };
    if docs.cast::<PyString>().is_ok() || docs.cast::<PyBytes>().is_ok() || docs.cast::<PyDict>().is_ok() {
        return Err(PyTypeError::new_err(
            "docs is a list (or other iterable) of documents: for one document, call annotate",
        ));
    }
    let mut inputs = Vec::new();
    for (index, item) in docs.try_iter()?.enumerate() {
        inputs.push(batch_input(&item?, index, format)?);
    }
    if inputs.is_empty() {
        return Ok(Vec::new());
    }
    let pipeline = pipeline(py, stage)?;
    let threads = threads.min(inputs.len());
    Ok(py.detach(|| run(pipeline, inputs, threads, tokens)))
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
    module.add("SCHEMA", SCHEMA)?;
    module.add("PIPELINE_VERSION", PIPELINE_VERSION)?;
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}

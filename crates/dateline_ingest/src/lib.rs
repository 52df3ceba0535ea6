//! Reads news sources into decoded raw documents: the first stage of dateline.
//!
//! [`read_inputs`] takes what the command line names (files, directories, glob patterns, `-`
//! for stdin) and yields one [`RawDoc`] per document found, in a deterministic order:
//! inputs in the order given, directories walked in file name order, records in file order.
//! Every input is read as a stream, gzip-compressed or not, and its format (HTML page, text,
//! JSON Lines, WARC archive, RSS or Atom feed) is taken from the configuration or sniffed
//! from its content. Bodies are decoded to UTF-8 whatever their encoding.
//!
//! A broken input is data, not a crash: anything that cannot be read becomes an
//! [`IngestError`] in the stream of results, and reading goes on with what comes next.
//! Memory stays flat on archives and JSONL files of any size, since these are read record by
//! record, and no single document may exceed [`IngestConfig::max_document_bytes`].
//!
//! ```
//! use dateline_doc::BodyKind;
//! use dateline_ingest::{IngestConfig, read_stream};
//!
//! let jsonl = concat!(
//!     "{\"id\": \"a\", \"url\": \"https://news.test/a\", \"html\": \"<p>Hello</p>\"}\n",
//!     "not json\n",
//!     "{\"id\": \"b\", \"text\": \"Scraped text\"}\n",
//! );
//! let results: Vec<_> = read_stream("-", std::io::Cursor::new(jsonl), &IngestConfig::default()).collect();
//! assert_eq!(results.len(), 3);
//! let first = results[0].as_ref().expect("line 1 is a document");
//! assert_eq!((first.id.as_str(), first.kind), ("a", BodyKind::Html));
//! assert_eq!(results[1].as_ref().expect_err("line 2 is broken").input, "-#2");
//! assert_eq!(results[2].as_ref().map(|doc| doc.kind).ok(), Some(BodyKind::Text));
//! ```

#![deny(missing_docs)]

mod charset;
mod detect;
mod feed;
mod jsonl;
mod source;
mod warc;

use std::collections::VecDeque;
use std::io::{self, Read};
use std::iter::FusedIterator;

use dateline_doc::{BodyKind, Hints, RawDoc, Source, SourceFormat};

use crate::detect::Sniffed;
use crate::source::{Expansion, Found, Opened, ReadError, human_bytes};

/// The default of [`IngestConfig::max_document_bytes`]: 64 MiB.
pub const DEFAULT_MAX_DOCUMENT_BYTES: usize = 64 * 1024 * 1024;

/// The input format asked for on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// Detect from content: gzip, then WARC, feed, JSONL, HTML, else scraped text.
    #[default]
    Auto,
    /// HTML pages.
    Html,
    /// Plain text taken as is ([`BodyKind::Verbatim`]).
    Text,
    /// Scraped text with page chrome to remove ([`BodyKind::Text`]).
    Scraped,
    /// JSON Lines: one article per line.
    Jsonl,
    /// WARC archives.
    Warc,
    /// RSS or Atom feeds.
    Feed,
}

/// Options for reading.
#[derive(Clone, Debug)]
pub struct IngestConfig {
    /// The format to read inputs as.
    pub format: InputFormat,
    /// The largest document accepted, in bytes, after decompression: a whole page or text
    /// file, a feed, one WARC record's body or one JSONL line. A larger one is an error and
    /// reading goes on. This also bounds what a gzip bomb can make memory grow to.
    pub max_document_bytes: usize,
    /// Take plain text as is ([`BodyKind::Verbatim`]) wherever it is found, as
    /// [`InputFormat::Text`] does for whole files: this extends it to the `text` fields of
    /// JSONL records (which are otherwise scraped text, [`BodyKind::Text`]), so that JSONL
    /// can be read with `--from text` semantics.
    pub text_verbatim: bool,
}

impl Default for IngestConfig {
    fn default() -> Self {
        IngestConfig { format: InputFormat::Auto, max_document_bytes: DEFAULT_MAX_DOCUMENT_BYTES, text_verbatim: false }
    }
}

/// An input that could not be read, or a record inside it that could not be.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{input}: {message}")]
pub struct IngestError {
    /// The input (path, `-`, or `path#record`).
    pub input: String,
    /// The document id, when known.
    pub id: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl IngestError {
    pub(crate) fn new(input: impl Into<String>, id: Option<String>, message: impl Into<String>) -> IngestError {
        IngestError { input: input.into(), id, message: message.into() }
    }
}

/// Reads every input in turn and yields its documents.
///
/// An input is `-` (stdin), a file, a directory (read recursively in file name order,
/// skipping hidden files and files that are obviously not news, such as images), or a glob
/// pattern. Inputs are opened lazily, one at a time, as the iterator is advanced.
pub fn read_inputs(inputs: &[String], config: &IngestConfig) -> Documents {
    Documents {
        config: config.clone(),
        inputs: inputs.iter().cloned().collect(),
        expansion: None,
        current: None,
        stream: None,
    }
}

/// How many files the inputs expand to, as [`read_inputs`] would open them; `None` when an
/// input is stdin. Cheap: directories are walked, nothing is opened. Progress reports use it.
pub fn count_files(inputs: &[String]) -> Option<u64> {
    let mut count = 0;
    for input in inputs {
        for found in source::expand(input) {
            match found {
                source::Found::File { .. } => count += 1,
                source::Found::Stdin => return None,
                source::Found::Error(_) => {}
            }
        }
    }
    Some(count)
}

/// Whether a walk of a directory leaves this file out: a hidden file, or one whose extension
/// says it is not news (images, media, archives other than gzip, binaries). Readers that list
/// files themselves (a Spark job) use it to read what `read_inputs` would.
pub fn skipped_in_directories(path: &str) -> bool {
    source::is_skipped(std::path::Path::new(path))
}

/// Reads documents from any byte stream, as [`read_inputs`] reads a file: gzip is undone
/// and the format is sniffed unless the configuration forces one. `name` stands for the
/// stream in sources, ids and errors.
pub fn read_stream(name: &str, reader: impl Read + Send + 'static, config: &IngestConfig) -> Documents {
    Documents {
        config: config.clone(),
        inputs: VecDeque::new(),
        expansion: None,
        current: None,
        stream: Some((name.to_owned(), Box::new(reader))),
    }
}

/// The documents of a list of inputs, read lazily: see [`read_inputs`].
pub struct Documents {
    config: IngestConfig,
    /// The command-line inputs not yet started.
    inputs: VecDeque<String>,
    /// What the input at hand expands to, not yet opened.
    expansion: Option<Expansion>,
    /// The file being read.
    current: Option<Reader>,
    /// A stream given to [`read_stream`], not yet opened.
    stream: Option<(String, Box<dyn Read + Send>)>,
}

impl std::fmt::Debug for Documents {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_struct("Documents").field("config", &self.config).finish_non_exhaustive()
    }
}

/// A file being read.
enum Reader {
    /// Results already made: a page, a feed's items, an error.
    Ready(VecDeque<Result<RawDoc, IngestError>>),
    /// A WARC archive.
    Warc(warc::WarcReader),
    /// A JSON Lines file.
    Jsonl(jsonl::JsonlReader),
}

impl Reader {
    fn one(item: Result<RawDoc, IngestError>) -> Reader {
        Reader::Ready(VecDeque::from([item]))
    }
}

impl Iterator for Reader {
    type Item = Result<RawDoc, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Reader::Ready(items) => items.pop_front(),
            Reader::Warc(reader) => reader.next(),
            Reader::Jsonl(reader) => reader.next(),
        }
    }
}

impl Iterator for Documents {
    type Item = Result<RawDoc, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(reader) = &mut self.current {
                match reader.next() {
                    Some(item) => return Some(item),
                    None => self.current = None,
                }
            }
            if let Some((name, stream)) = self.stream.take() {
                self.current = open(name, source::open_stream(stream), true, &self.config);
                continue;
            }
            if let Some(expansion) = &mut self.expansion {
                match expansion.next() {
                    Some(found) => self.current = self.open_found(found),
                    None => self.expansion = None,
                }
                continue;
            }
            let input = self.inputs.pop_front()?;
            self.expansion = Some(source::expand(&input));
        }
    }
}

impl FusedIterator for Documents {}

impl Documents {
    /// Opens one file found by expanding an input; `None` for a file that is skipped.
    fn open_found(&self, found: Found) -> Option<Reader> {
        match found {
            Found::Error(error) => Some(Reader::one(Err(error))),
            Found::Stdin => open("-".to_owned(), source::open_stdin(), true, &self.config),
            Found::File { path, explicit } => {
                let name = path.to_string_lossy().into_owned();
                match source::open_file(&path) {
                    Ok(opened) => open(name, opened, explicit, &self.config),
                    Err(error) => Some(Reader::one(Err(IngestError::new(name, None, source::describe_io(&error))))),
                }
            }
        }
    }
}

/// Chooses the reader for an opened stream. Files that are not news are skipped when they
/// were found in a directory and are an error when named explicitly.
fn open(name: String, opened: Opened, explicit: bool, config: &IngestConfig) -> Option<Reader> {
    let Opened { mut reader, prefix, compressed } = opened;
    let fail = |name: String, message: String| Some(Reader::one(Err(IngestError::new(name, None, message))));
    if let Some(kind) = detect::binary_kind(&prefix) {
        return if explicit { fail(name, format!("not a news document: this looks like {kind}")) } else { None };
    }
    if prefix.len() < source::SNIFF_LEN && prefix.trim_ascii().is_empty() {
        // The prefix is short either because the input is or because reading it failed: the
        // stream replays that failure, if any.
        let message = match source::read_bounded(&mut reader, source::SNIFF_LEN) {
            Err(ReadError::Io(error)) => read_error_message(&error, compressed),
            _ => "empty input".to_owned(),
        };
        return fail(name, message);
    }
    let format = match config.format {
        InputFormat::Auto => detect::sniff(&prefix),
        InputFormat::Html => Sniffed::Html,
        InputFormat::Text | InputFormat::Scraped => Sniffed::Text,
        InputFormat::Jsonl => Sniffed::Jsonl,
        InputFormat::Warc => Sniffed::Warc,
        InputFormat::Feed => Sniffed::Feed,
    };
    let max = config.max_document_bytes;
    let verbatim = config.text_verbatim || config.format == InputFormat::Text;
    let text_kind = if verbatim { BodyKind::Verbatim } else { BodyKind::Text };
    match format {
        Sniffed::Warc => return Some(Reader::Warc(warc::WarcReader::new(name, reader, compressed, max))),
        Sniffed::Jsonl => {
            return Some(Reader::Jsonl(jsonl::JsonlReader::new(name, reader, compressed, max, text_kind)));
        }
        Sniffed::Feed | Sniffed::Html | Sniffed::Text => {}
    }
    let bytes = match source::read_bounded(&mut reader, max) {
        Ok(bytes) => bytes,
        Err(ReadError::TooLarge) => {
            let message =
                format!("the document is larger than the {} limit (max_document_bytes)", human_bytes(max as u64));
            return fail(name, message);
        }
        Err(ReadError::Io(error)) => return fail(name, read_error_message(&error, compressed)),
    };
    if format == Sniffed::Feed {
        return Some(Reader::Ready(feed::read(&name, &bytes)));
    }
    let (kind, source_format) =
        if format == Sniffed::Html { (BodyKind::Html, SourceFormat::Html) } else { (text_kind, SourceFormat::Text) };
    let context = charset::Context { http_charset: None, html: kind == BodyKind::Html, url: None };
    let decoded = charset::decode(&bytes, context);
    if decoded.text.trim().is_empty() {
        return fail(name, "empty input".to_owned());
    }
    Some(Reader::one(Ok(RawDoc {
        id: name.clone(),
        source: Source { uri: name, format: source_format },
        kind,
        body: decoded.text,
        hints: Hints::default(),
        diagnostics: decoded.diagnostics,
    })))
}

/// A message for a read error, which in a compressed stream is most likely bad gzip data.
pub(crate) fn read_error_message(error: &io::Error, compressed: bool) -> String {
    let corrupt =
        matches!(error.kind(), io::ErrorKind::UnexpectedEof | io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData);
    if compressed && corrupt {
        format!("the gzip data is truncated or corrupt ({error})")
    } else {
        format!("read error: {}", source::describe_io(error))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_can_move_between_threads() {
        fn assert_send<T: Send>() {}
        assert_send::<Documents>();
    }
}

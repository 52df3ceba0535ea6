//! Reads news sources into decoded raw documents.

#![deny(missing_docs)]

use std::path::PathBuf;

use dateline_doc::{BodyKind, Hints, RawDoc, Source, SourceFormat};

/// The input format asked for on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// Detect from content (and extension).
    #[default]
    Auto,
    /// HTML pages.
    Html,
    /// Plain text taken as is.
    Text,
    /// Scraped text with page chrome to remove.
    Scraped,
    /// JSON Lines.
    Jsonl,
    /// WARC archives.
    Warc,
    /// RSS or Atom feeds.
    Feed,
}

/// Options for reading.
#[derive(Clone, Debug, Default)]
pub struct IngestConfig {
    /// The format to read inputs as.
    pub format: InputFormat,
}

/// An input that could not be read, or a record inside it that could not be.
#[derive(Debug, thiserror::Error)]
#[error("{input}: {message}")]
pub struct IngestError {
    /// The input (path, `-`, or `path#record`).
    pub input: String,
    /// The document id, when known.
    pub id: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Reads every input in turn and yields its documents.
pub fn read_inputs(inputs: &[String], _config: &IngestConfig) -> impl Iterator<Item = Result<RawDoc, IngestError>> {
    inputs.to_vec().into_iter().map(|input| {
        let body = std::fs::read_to_string(PathBuf::from(&input)).map_err(|error| IngestError {
            input: input.clone(),
            id: None,
            message: error.to_string(),
        })?;
        Ok(RawDoc {
            id: input.clone(),
            source: Source { uri: input, format: SourceFormat::Html },
            kind: BodyKind::Html,
            body,
            hints: Hints::default(),
            diagnostics: Vec::new(),
        })
    })
}

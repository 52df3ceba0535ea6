//! A streaming reader of JSON Lines: one article per line, as extraction benches and
//! scrapers write them.
//!
//! Each line is an object with `id` (a string or a number), `url`, and the page as `html` or
//! already scraped to text as `text`, plus optionally `title`, `published`, `authors` or
//! `author` (a string or a list), `tags` (a string or a list) and `language`. Unknown fields
//! are ignored. Lines are read one at a time within `max_document_bytes`, so a file of any
//! size is read with flat memory. Blank lines are skipped (but counted, so that line numbers
//! stay those of the file). A bad line is an error that names its line number, and reading
//! goes on with the next line.

use dateline_doc::{BodyKind, Hints, RawDoc, Source, SourceFormat};
use serde_json::{Map, Value};

use crate::IngestError;
use crate::source::{self, Line, Stream, human_bytes};

/// Reads the documents of one JSON Lines stream.
pub(crate) struct JsonlReader {
    name: String,
    reader: Stream,
    compressed: bool,
    max: usize,
    /// The body kind of records that give `text`: scraped text, or verbatim when the input
    /// format was forced to plain text.
    text_kind: BodyKind,
    /// The number of the last line read, 1-based.
    number: u64,
    done: bool,
    line: Vec<u8>,
}

impl JsonlReader {
    pub(crate) fn new(name: String, reader: Stream, compressed: bool, max: usize, text_kind: BodyKind) -> JsonlReader {
        JsonlReader { name, reader, compressed, max, text_kind, number: 0, done: false, line: Vec::new() }
    }

    fn error(&self, id: Option<String>, message: String) -> IngestError {
        IngestError::new(format!("{}#{}", self.name, self.number), id, message)
    }
}

impl Iterator for JsonlReader {
    type Item = Result<RawDoc, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            let line = source::read_line_bounded(&mut self.reader, &mut self.line, self.max);
            self.number += 1;
            match line {
                Ok(Line::Eof) => self.done = true,
                Err(error) => {
                    self.done = true;
                    let message =
                        format!("line {}: {}", self.number, crate::read_error_message(&error, self.compressed));
                    return Some(Err(self.error(None, message)));
                }
                Ok(Line::TooLong { len }) => {
                    let message = format!(
                        "line {}: the record ({}) is larger than the {} limit (max_document_bytes)",
                        self.number,
                        human_bytes(len),
                        human_bytes(self.max as u64)
                    );
                    return Some(Err(self.error(None, message)));
                }
                Ok(Line::Read { .. }) => {
                    let mut text = &self.line[..];
                    if self.number == 1 {
                        text = text.strip_prefix(b"\xef\xbb\xbf").unwrap_or(text);
                    }
                    if text.trim_ascii().is_empty() {
                        continue;
                    }
                    return Some(self.record(text));
                }
            }
        }
        None
    }
}

impl JsonlReader {
    /// Makes a document of one non-blank line.
    fn record(&self, text: &[u8]) -> Result<RawDoc, IngestError> {
        let line = self.number;
        let value: Value = serde_json::from_slice(text.trim_ascii()).map_err(|error| {
            // The line is parsed alone, so serde's own "at line 1 column N" is replaced by the
            // line of the file and the column.
            let message = error.to_string();
            let position = format!(" at line {} column {}", error.line(), error.column());
            let message = message.strip_suffix(&position).unwrap_or(&message);
            self.error(None, format!("line {line}, column {}: invalid JSON: {message}", error.column()))
        })?;
        let Value::Object(mut object) = value else {
            return Err(self.error(None, format!("line {line}: expected a JSON object, found {}", kind_of(&value))));
        };
        let uri = format!("{}#{line}", self.name);
        let id = match object.get("id") {
            Some(Value::String(id)) if !id.is_empty() => id.clone(),
            Some(Value::Number(id)) => id.to_string(),
            _ => format!("{}#line-{line}", self.name),
        };
        let (kind, body) = if let Some(html) = take_string(&mut object, "html") {
            (BodyKind::Html, html)
        } else if let Some(text) = take_string(&mut object, "text") {
            (self.text_kind, text)
        } else {
            let message = format!("line {line}: the record has neither an \"html\" nor a \"text\" string");
            return Err(self.error(Some(id), message));
        };
        let mut authors = strings(&object, "authors");
        for author in strings(&object, "author") {
            if !authors.contains(&author) {
                authors.push(author);
            }
        }
        let hints = Hints {
            url: string(&object, "url"),
            title: string(&object, "title"),
            published: string(&object, "published").or_else(|| number(&object, "published")),
            authors,
            tags: strings(&object, "tags"),
            language: string(&object, "language"),
        };
        Ok(RawDoc {
            id,
            source: Source { uri, format: SourceFormat::Jsonl },
            kind,
            body,
            hints,
            diagnostics: Vec::new(),
        })
    }
}

/// A non-empty string field, moved out of the record (bodies are large: no copy).
fn take_string(object: &mut Map<String, Value>, key: &str) -> Option<String> {
    match object.remove(key) {
        Some(Value::String(value)) if !value.trim().is_empty() => Some(value),
        _ => None,
    }
}

/// A non-empty string field.
fn string(object: &Map<String, Value>, key: &str) -> Option<String> {
    match object.get(key) {
        Some(Value::String(value)) if !value.trim().is_empty() => Some(value.clone()),
        _ => None,
    }
}

/// A number field as text (a Unix time, say).
fn number(object: &Map<String, Value>, key: &str) -> Option<String> {
    match object.get(key) {
        Some(Value::Number(value)) => Some(value.to_string()),
        _ => None,
    }
}

/// A field that is a string or a list of strings (or of objects with a `name`), as a list of
/// non-empty strings.
fn strings(object: &Map<String, Value>, key: &str) -> Vec<String> {
    let one = |value: &Value| match value {
        Value::String(text) => Some(text.trim().to_owned()),
        Value::Object(inner) => inner.get("name").and_then(Value::as_str).map(|name| name.trim().to_owned()),
        _ => None,
    };
    let values = match object.get(key) {
        Some(Value::Array(values)) => values.iter().filter_map(one).collect(),
        Some(value) => one(value).into_iter().collect(),
        None => Vec::new(),
    };
    values.into_iter().filter(|value: &String| !value.is_empty()).collect()
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(input: &str) -> Vec<Result<RawDoc, IngestError>> {
        let reader: Stream = Box::new(std::io::Cursor::new(input.as_bytes().to_vec()));
        JsonlReader::new("in.jsonl".to_owned(), reader, false, 1000, BodyKind::Text).collect()
    }

    #[test]
    fn fields_become_hints() {
        let docs = read(concat!(
            r#"{"id": 7, "url": "https://x.test/a", "html": "<p>Hi</p>", "title": "T", "published": "2024-05-01","#,
            r#" "author": "Ann", "authors": ["Bob", {"name": "Ann"}], "tags": "world", "language": "en"}"#,
            "\n",
        ));
        let doc = docs[0].as_ref().expect("a document");
        assert_eq!(doc.id, "7");
        assert_eq!(doc.kind, BodyKind::Html);
        assert_eq!(doc.source.uri, "in.jsonl#1");
        assert_eq!(doc.hints.authors, ["Bob", "Ann"]);
        assert_eq!(doc.hints.tags, ["world"]);
        assert_eq!(doc.hints.published.as_deref(), Some("2024-05-01"));
        assert_eq!(doc.hints.language.as_deref(), Some("en"));
    }

    #[test]
    fn text_records_and_default_ids() {
        let docs = read("\n{\"text\": \"Home\\nStory\"}\r\n");
        let doc = docs[0].as_ref().expect("a document");
        assert_eq!(doc.id, "in.jsonl#line-2");
        assert_eq!(doc.kind, BodyKind::Text);
        assert_eq!(doc.body, "Home\nStory");
    }

    #[test]
    fn bad_lines_are_errors_that_name_the_line() {
        let docs = read("{\"html\": \"a\"}\n[1]\n{\"url\": \"u\", \"id\": \"x\"}\n{\"html\": \n{\"html\": \"b\"}\n");
        assert_eq!(docs.len(), 5);
        let messages: Vec<String> = docs.iter().filter_map(|doc| doc.as_ref().err().map(ToString::to_string)).collect();
        assert_eq!(messages.len(), 3);
        assert!(messages[0].contains("line 2: expected a JSON object, found an array"), "{}", messages[0]);
        assert!(messages[1].contains("line 3: the record has neither"), "{}", messages[1]);
        assert_eq!(messages[2], "in.jsonl#4: line 4, column 8: invalid JSON: EOF while parsing a value");
        assert_eq!(docs[2].as_ref().err().and_then(|error| error.id.as_deref()), Some("x"));
        assert!(docs[4].is_ok());
    }

    #[test]
    fn long_lines_are_errors_and_reading_goes_on() {
        let long = format!("{{\"html\": \"{}\"}}\n{{\"html\": \"ok\"}}\n", "x".repeat(2000));
        let docs = read(&long);
        assert_eq!(docs.len(), 2);
        assert!(docs[0].as_ref().is_err_and(|error| error.message.contains("limit")));
        assert!(docs[1].is_ok());
    }
}

//! What the fuzz targets share: reading bytes as `dateline_ingest` reads a file, and the
//! invariants every stage's output keeps, checked on whatever the fuzzer makes.
#![allow(dead_code)]

use std::io::Cursor;

use dateline_doc::{Article, RawDoc};
use dateline_ingest::{IngestConfig, InputFormat, read_stream};

/// A document bound small enough that the fuzzer spends its time parsing, not copying; the
/// bound itself is part of what is exercised.
pub const MAX_DOCUMENT_BYTES: usize = 1 << 20;

/// Reads `data` in `format` as a file of that format is read, checking each document's
/// invariants; returns the documents read (errors are fine: they are the clear-error path).
pub fn read(data: &[u8], format: InputFormat) -> Vec<RawDoc> {
    let config = IngestConfig { format, max_document_bytes: MAX_DOCUMENT_BYTES, text_verbatim: false };
    let mut docs = Vec::new();
    for result in read_stream("fuzz", Cursor::new(data.to_vec()), &config) {
        match result {
            Ok(doc) => {
                assert!(doc.body.len() <= MAX_DOCUMENT_BYTES, "a document over the bound was read");
                docs.push(doc);
            }
            Err(error) => {
                assert!(error.input.starts_with("fuzz"), "an error that does not name its input: {error}");
                assert!(!error.message.is_empty(), "an error that says nothing");
            }
        }
    }
    docs
}

/// Cleans a document and checks the article: paragraph spans lie inside the text, on
/// character boundaries, in order and without overlap.
pub fn clean(doc: &RawDoc) -> Article {
    let article = dateline_clean::clean(doc);
    check_article(&article);
    article
}

pub fn check_article(article: &Article) {
    let text = &article.text;
    let mut last_end = 0;
    for paragraph in &article.paragraphs {
        assert!(paragraph.start <= paragraph.end && paragraph.end <= text.len(), "paragraph out of the text");
        assert!(text.is_char_boundary(paragraph.start) && text.is_char_boundary(paragraph.end));
        assert!(paragraph.start >= last_end, "paragraphs overlap or are out of order");
        last_end = paragraph.end;
    }
}

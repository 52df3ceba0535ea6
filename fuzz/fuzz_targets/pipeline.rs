//! Any text through every stage (tokens, tags, parse, entities, links, events) with the
//! built-in models and dictionaries; the annotate JSON is written, and every span it gives
//! lies on the text's character boundaries.
#![no_main]

use std::sync::OnceLock;

use dateline_ingest::InputFormat;
use dateline_pipeline::{Pipeline, Stage};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| Pipeline::embedded(Stage::Code).expect("the embedded models load"))
}

fuzz_target!(|data: &[u8]| {
    for doc in common::read(data, InputFormat::Text) {
        let processed = pipeline().process(&doc);
        common::check_article(&processed.article);
        let text = &processed.article.text;
        if let Some((analysis, _)) = &processed.nlp {
            for token in &analysis.tokens {
                assert!(token.start <= token.end && token.end <= text.len());
                assert!(text.is_char_boundary(token.start) && text.is_char_boundary(token.end));
            }
        }
        if let Some(links) = &processed.links {
            for entity in &links.entities {
                assert!(text.is_char_boundary(entity.start) && text.is_char_boundary(entity.end));
            }
        }
        let json = serde_json::to_string(&processed.document(true, false)).expect("the document serialises");
        assert!(!json.is_empty());
    }
});

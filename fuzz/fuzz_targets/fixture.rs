//! One short news text run through the built-in NLP and link stages once per process, for
//! the targets that fuzz a dictionary and then use it on real sentences.
#![allow(dead_code)]

use std::io::Cursor;
use std::sync::OnceLock;

use dateline_doc::{Analysis, Links, Timestamp};
use dateline_ingest::{IngestConfig, InputFormat, read_stream};
use dateline_pipeline::{Pipeline, Stage};

pub const TEXT: &str = "KABUL, March 3 (Reuters) - Afghan troops attacked Taliban fighters near Kandahar on Monday, \
the Defence Ministry said. Pakistan's foreign minister met his Indian counterpart in Islamabad and \
called for talks. The United Nations did not condemn the strike. Rebels may seize the town next week, \
officials warned. President Ashraf Ghani accused Iran of backing the militants.\n\n\
Russia and China signed an agreement on Tuesday. Police arrested 12 protesters in Dhaka.";

pub struct Fixture {
    /// The clean text the analysis points into.
    pub text: String,
    pub analysis: Analysis,
    pub links: Links,
    pub published: Option<Timestamp>,
}

pub fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let pipeline = Pipeline::embedded(Stage::Link).expect("the embedded models load");
        let published = dateline_clean::parse_date("2024-03-04T10:00:00Z");
        let config = IngestConfig { format: InputFormat::Text, ..IngestConfig::default() };
        let raw = read_stream("fixture", Cursor::new(TEXT.as_bytes()), &config)
            .next()
            .expect("one document")
            .expect("the text reads");
        let mut article = pipeline.clean(&raw);
        article.meta.published = published;
        let processed = pipeline.analyze(article);
        let (analysis, _) = processed.nlp.expect("the NLP stage ran");
        let links = processed.links.expect("the link stage ran");
        Fixture { text: processed.article.text, analysis, links, published }
    })
}

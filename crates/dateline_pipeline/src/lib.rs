//! The stages composed. [`Pipeline::process`] takes one document read by ingest through
//! clean, NLP, link and code, as far as the pipeline was built to go; [`run_parallel`] does it
//! for a stream of documents on several threads, with bounded queues so that memory stays flat
//! however long the stream. The stages themselves know nothing of threads: this crate owns
//! concurrency.

mod document;
mod parallel;
pub mod timings;

pub use document::{Document, ErrorRecord, EventLayers, Flat, LinkLayers, NlpLayers};
pub use parallel::{Outcome, run_parallel};

use dateline_code::Coder;
use dateline_doc::{Analysis, Article, Events, Links, RawDoc};
use dateline_link::Linker;
use dateline_nlp::conllu::ConlluSentence;
use dateline_nlp::pipeline::{self, Models};

/// The version of what the pipeline produces. It changes whenever a model, dictionary or rule
/// change alters the output, so that stored articles made by an older pipeline can be found and
/// processed again (`dateline ingest --reprocess`).
pub const PIPELINE_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "+p1");

/// The last stage a pipeline runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// Clean text and metadata.
    Clean,
    /// Sentences, tokens, tags, lemmas, parse, entities.
    Nlp,
    /// Actors, places, times, quotes, tone.
    Link,
    /// Events.
    Code,
}

/// The stages' resources, loaded once and shared by reference by every thread.
#[derive(Debug)]
pub struct Pipeline {
    models: Option<Models>,
    linker: Option<Linker>,
    coder: Option<Coder>,
    /// Appended to [`PIPELINE_VERSION`] when user dictionaries change the output.
    version: String,
}

/// What the stages made of one document.
#[derive(Debug)]
pub struct Processed {
    /// Clean text and metadata.
    pub article: Article,
    /// The NLP layers and the CoNLL-U view of the same sentences.
    pub nlp: Option<(Analysis, Vec<ConlluSentence>)>,
    /// Actors, places, times, quotes, tone.
    pub links: Option<Links>,
    /// Events and suppressed candidates.
    pub events: Option<Events>,
}

/// A resource of the pipeline that could not be loaded.
#[derive(Debug)]
pub struct LoadError(String);

impl std::fmt::Display for LoadError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&self.0)
    }
}

impl std::error::Error for LoadError {}

impl Pipeline {
    /// A pipeline over the given resources. Stages without their resource are not run, nor
    /// any stage after them; `variant` names user dictionaries that change the output (empty
    /// for the built-in ones).
    pub fn new(models: Option<Models>, linker: Option<Linker>, coder: Option<Coder>, variant: &str) -> Pipeline {
        let version =
            if variant.is_empty() { PIPELINE_VERSION.to_owned() } else { format!("{PIPELINE_VERSION}+{variant}") };
        Pipeline { models, linker, coder, version }
    }

    /// The built-in models and dictionaries, up to `until`.
    pub fn embedded(until: Stage) -> Result<Pipeline, LoadError> {
        let models = if until >= Stage::Nlp {
            Some(Models::embedded().map_err(|error| LoadError(format!("loading the embedded NLP models: {error}")))?)
        } else {
            None
        };
        let linker = if until >= Stage::Link {
            Some(
                Linker::embedded()
                    .map_err(|error| LoadError(format!("loading the embedded link resources: {error}")))?,
            )
        } else {
            None
        };
        let coder = (until >= Stage::Code).then(Coder::embedded);
        Ok(Pipeline::new(models, linker, coder, ""))
    }

    /// The version of what this pipeline produces: [`PIPELINE_VERSION`], plus the user
    /// dictionaries' name when there are any.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The last stage this pipeline runs.
    pub fn until(&self) -> Stage {
        match (&self.models, &self.linker, &self.coder) {
            (None, _, _) => Stage::Clean,
            (Some(_), None, _) => Stage::Nlp,
            (Some(_), Some(_), None) => Stage::Link,
            (Some(_), Some(_), Some(_)) => Stage::Code,
        }
    }

    /// Cleans one document.
    pub fn clean(&self, raw: &RawDoc) -> Article {
        timings::measure(timings::Part::Clean, || dateline_clean::clean(raw))
    }

    /// Runs the stages after cleaning on an article.
    pub fn analyze(&self, article: Article) -> Processed {
        let nlp = self.models.as_ref().map(|models| {
            if timings::enabled() {
                let mut clock = timings::StepClock::start();
                let nlp = pipeline::analyze_observed(&article.text, models, |step| clock.done(step));
                timings::count_article(nlp.0.tokens.len());
                nlp
            } else {
                pipeline::analyze(&article.text, models)
            }
        });
        let links = self.linker.as_ref().zip(nlp.as_ref()).map(|(linker, (analysis, _))| {
            timings::measure(timings::Part::Link, || linker.link(&article.text, analysis, article.meta.published))
        });
        let events =
            self.coder.as_ref().zip(nlp.as_ref().zip(links.as_ref())).map(|(coder, ((analysis, _), links))| {
                timings::measure(timings::Part::Code, || {
                    coder.code(&article.text, analysis, links, article.meta.published)
                })
            });
        Processed { article, nlp, links, events }
    }

    /// Runs every stage of the pipeline on one document.
    pub fn process(&self, raw: &RawDoc) -> Processed {
        self.analyze(self.clean(raw))
    }
}

impl Processed {
    /// The document as `dateline annotate` prints it: every layer that was made, tokens on
    /// request, and the flat fields of extraction benches on request.
    pub fn document(&self, tokens: bool, flat: bool) -> Document<'_> {
        Document::of(self, tokens, flat)
    }
}

//! The link stage: from names to actors, places and times.
//!
//! Reads an article's clean text and its [`Analysis`] and adds the [`Links`] layer: entities with
//! canonical names and CAMEO actor codes, places with coordinates, times normalised against
//! the publication time, quotes with speakers, and tone. Every resource is the project's own,
//! in `resources/`, and compiled into the binary; users add their own dictionaries at the edge
//! ([`Linker::load_dictionary`]).

#![deny(missing_docs)]

pub mod actors;
pub mod geo;
pub mod quotes;
pub mod time;
pub mod tone;

use std::path::Path;

use chrono::NaiveDate;
use dateline_doc::{Analysis, Links, Timestamp};

use crate::actors::{ActorDictionary, DictionaryError};
use crate::tone::ToneLexicon;

/// Every resource of the stage, loaded once and shared by reference.
#[derive(Debug)]
pub struct Linker {
    /// Actor names and role words.
    pub actors: ActorDictionary,
    /// The tone lexicon.
    pub tone: ToneLexicon,
}

impl Linker {
    /// The resources compiled into the binary.
    pub fn embedded() -> Linker {
        Linker { actors: ActorDictionary::embedded(), tone: ToneLexicon::embedded() }
    }

    /// Adds a user's dictionary: the project's TSV format or a PETRARCH actors or agents file.
    /// Its entries replace built-in ones of the same name. Returns the lines skipped as
    /// malformed; fails when the file cannot be read or holds no entry.
    pub fn load_dictionary(&mut self, path: &Path) -> Result<Vec<DictionaryError>, DictionaryError> {
        self.actors.load_file(path)
    }

    /// Links one article: its clean text and analysis. `published`, the publication time,
    /// anchors relative times ("last June") and picks the office a person held.
    pub fn link(&self, text: &str, analysis: &Analysis, published: Option<Timestamp>) -> Links {
        let anchor: Option<NaiveDate> = published.map(|time| time.date());
        let entities = actors::resolve::link_entities(text, analysis, &self.actors, anchor);
        let tone = self.tone.score(analysis);
        Links { entities, tone, ..Links::default() }
    }
}

//! The link stage: from names to actors, places and times.
//!
//! Reads an article's clean text and its [`Analysis`] and adds the [`Links`] layer: entities with
//! canonical names and CAMEO actor codes, places with coordinates, times normalised against
//! the publication time, quotes with speakers, and tone. Every resource is the project's own,
//! in `resources/`, and compiled into the binary; users add their own dictionaries at the edge
//! ([`Linker::load_dictionary`]).

#![deny(missing_docs)]

pub mod actors;
pub mod eval;
pub mod geo;
pub mod quotes;
pub mod time;
pub mod tone;

use std::path::Path;

use chrono::NaiveDate;
use dateline_doc::{Analysis, Entity, EntityType, Links, Place, Quote, TextRange, Timestamp};

use crate::actors::{ActorDictionary, DictionaryError, country_of};
use crate::geo::{Gazetteer, GeoError};
use crate::tone::ToneLexicon;

/// Every resource of the stage, loaded once and shared by reference.
#[derive(Debug)]
pub struct Linker {
    /// Actor names and role words.
    pub actors: ActorDictionary,
    /// The tone lexicon.
    pub tone: ToneLexicon,
    /// Countries, divisions and populated places.
    pub gazetteer: Gazetteer,
}

impl Linker {
    /// The resources compiled into the binary.
    pub fn embedded() -> Result<Linker, GeoError> {
        Ok(Linker {
            actors: ActorDictionary::embedded(),
            tone: ToneLexicon::embedded(),
            gazetteer: Gazetteer::embedded()?,
        })
    }

    /// The built-in gazetteer and tone lexicon with the given actor dictionary instead of the
    /// built-in one: for coding with someone else's dictionaries alone (PETRARCH's validation
    /// suite and its fictional countries).
    pub fn with_actors(actors: ActorDictionary) -> Result<Linker, GeoError> {
        Ok(Linker { actors, tone: ToneLexicon::embedded(), gazetteer: Gazetteer::embedded()? })
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
        let mut entities = actors::resolve::link_entities(text, analysis, &self.actors, anchor);
        let places = self.places(text, analysis, &mut entities);
        let quotes = quotes(text, analysis, &entities);
        let times = time::find_times(text, anchor);
        let tone = self.tone.score(analysis);
        Links { entities, places, times, quotes, tone }
    }

    /// The places of the document: its location entities and the gazetteer names the
    /// recogniser missed, resolved in the context of the countries the document names. A
    /// location entity without a canonical name takes the place's.
    fn places(&self, text: &str, analysis: &Analysis, entities: &mut [Entity]) -> Vec<Place> {
        let mut mentions: Vec<TextRange> = entities
            .iter()
            .filter(|entity| entity.kind == EntityType::Location)
            .map(|entity| TextRange::new(entity.start, entity.end))
            .collect();
        for found in self.gazetteer.find_mentions(text, &analysis.tokens) {
            // A gazetteer name longer than the entities it holds wins: "Northern Ireland" over
            // an entity "Northern".
            let held: Vec<usize> = (0..mentions.len())
                .filter(|&i| found.start <= mentions[i].start && mentions[i].end <= found.end && mentions[i] != found)
                .collect();
            if !held.is_empty() {
                for i in held.into_iter().rev() {
                    mentions.remove(i);
                }
                mentions.push(found);
            } else if !entities.iter().any(|entity| entity.start < found.end && found.start < entity.end) {
                mentions.push(found);
            }
        }
        mentions.sort();
        let mut countries: Vec<&str> =
            entities.iter().filter_map(|entity| entity.actor.as_deref().and_then(country_of)).collect();
        countries.sort_unstable();
        countries.dedup();
        let places = self.gazetteer.resolve(text, &mentions, &countries);
        // A place entity names its country as an actor, as the gazetteer resolves it: "Bam" →
        // IRN, "Gaza Strip" → PSE.
        for place in &places {
            if let Some(entity) =
                entities.iter_mut().find(|entity| entity.start == place.start && entity.end == place.end)
            {
                if entity.canonical.is_none() {
                    entity.canonical = Some(place.name.clone());
                }
                if entity.actor.is_none() {
                    entity.actor = place.country.clone();
                }
            }
        }
        places
    }
}

/// The quotes of the document with their speakers resolved: an entity at the speaker's
/// mention gives its canonical name and actor code; otherwise the speaker is the mention's
/// own words ("a diplomatic source"), coded by an actor named inside it ("a Jordanian official").
fn quotes(text: &str, analysis: &Analysis, entities: &[Entity]) -> Vec<Quote> {
    quotes::find_quotes(text, analysis)
        .into_iter()
        .map(|found| {
            let (mut speaker, mut speaker_actor) = (None, None);
            if let Some(span) = found.speaker {
                let covering = entities.iter().find(|e| e.start <= span.start && span.end <= e.end);
                let inside = entities.iter().filter(|e| span.start <= e.start && e.end <= span.end);
                let exact = entities.iter().find(|e| e.start == span.start && e.end == span.end);
                if let Some(entity) = exact.or(covering) {
                    speaker = Some(entity.canonical.clone().unwrap_or_else(|| entity.text.clone()));
                    speaker_actor = entity.actor.clone();
                } else {
                    speaker = text.get(span.start..span.end).map(str::to_owned);
                    speaker_actor = inside.filter_map(|e| e.actor.clone()).max_by_key(|code| code.len());
                }
            }
            Quote {
                start: found.span.start,
                end: found.span.end,
                text: text.get(found.span.start..found.span.end).unwrap_or_default().to_owned(),
                speaker,
                speaker_span: found.speaker,
                speaker_actor,
                direct: found.direct,
            }
        })
        .collect()
}

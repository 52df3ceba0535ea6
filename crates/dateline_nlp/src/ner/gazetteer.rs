//! The recogniser's gazetteer: the project's own hand-written lists of countries, places,
//! organisation cues and person cues (`resources/gazetteer/*.tsv`) and the names of the
//! project's place gazetteer (`resources/geo/places.tsv.gz`, derived from GeoNames), turned into
//! membership bits for single words and for multi-word spans.
//!
//! The hand-written lists are small and written from general knowledge; they give the model a
//! prior for names it has never seen in training ("Ouagadougou", "Hezbollah"). The place
//! gazetteer adds 38,000 places in two tiers by size, so that towns the hand lists lack
//! ("Noida", "Baguio") are known as places. Matching is on lower-cased words, so the model
//! combines a match with the word's capitalisation itself.

use std::io::Read;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;

/// A country name ("France", "United States").
pub const COUNTRY: u16 = 1 << 0;
/// A demonym or national adjective ("French", "Vietnamese").
pub const DEMONYM: u16 = 1 << 1;
/// A capital or another well-known city.
pub const CITY: u16 = 1 << 2;
/// A state, province or region ("Texas", "Middle East").
pub const REGION: u16 = 1 << 3;
/// A well-known organisation ("NATO", "Reuters").
pub const ORG_NAME: u16 = 1 << 4;
/// A word that ends or starts organisation names ("Ministry", "Inc.").
pub const ORG_CUE: u16 = 1 << 5;
/// A common first name.
pub const FIRST_NAME: u16 = 1 << 6;
/// A title before a person's name ("Mr.", "President").
pub const TITLE: u16 = 1 << 7;
/// A place of the place gazetteer that is a country, a first-level division (state,
/// province), a capital, or a city of at least [`MAJOR_POPULATION`] people.
pub const GEO_MAJOR: u16 = 1 << 8;
/// Any other place of the place gazetteer (cities of 15,000 people or more).
pub const GEO_MINOR: u16 = 1 << 9;

/// Number of categories (bits).
pub const N_CATEGORIES: usize = 10;

/// Population from which a city of the place gazetteer is a [`GEO_MAJOR`] place.
const MAJOR_POPULATION: u64 = 100_000;
/// Population from which a place's other names (exonyms, older names: "Bombay") are added too.
const ALIASES_POPULATION: u64 = 500_000;

const COUNTRIES: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../resources/gazetteer/countries.tsv"));
const PLACES: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../resources/gazetteer/places.tsv"));
const ORGANISATIONS: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../resources/gazetteer/organisations.tsv"));
const PEOPLE: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../resources/gazetteer/people.tsv"));

/// Longest entry, in words, that span matching looks for.
const MAX_SPAN: usize = 6;

/// The lists, indexed for lookup.
#[derive(Debug, Default)]
pub struct Gazetteer {
    /// Categories of each one-word entry, by lower-cased word.
    words: FxHashMap<String, u16>,
    /// Multi-word entries by their lower-cased first word: the following words and the categories.
    spans: FxHashMap<String, Vec<(Vec<String>, u16)>>,
}

/// Where a word sits in the gazetteer.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Membership {
    /// Categories of one-word entries equal to the word.
    pub word: u16,
    /// Categories of multi-word entries that start at the word.
    pub span_begin: u16,
    /// Categories of multi-word entries that cover the word but do not start at it.
    pub span_inside: u16,
}

/// The gazetteer built from the embedded lists, once.
pub static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(Gazetteer::embedded);

impl Gazetteer {
    /// The gazetteer of the lists in `resources/gazetteer`.
    pub fn embedded() -> Gazetteer {
        let mut gazetteer = Gazetteer::default();
        for line in data_lines(COUNTRIES) {
            let mut columns = line.split('\t');
            for (category, column) in [COUNTRY, DEMONYM, CITY].into_iter().zip(&mut columns) {
                for name in column.split(';') {
                    gazetteer.add(name, category);
                }
            }
        }
        for (file, kinds) in [
            (PLACES, &[("state", REGION), ("region", REGION), ("city", CITY)][..]),
            (ORGANISATIONS, &[("cue", ORG_CUE), ("name", ORG_NAME)][..]),
            (PEOPLE, &[("title", TITLE), ("first", FIRST_NAME)][..]),
        ] {
            for line in data_lines(file) {
                let Some((kind, name)) = line.split_once('\t') else { continue };
                if let Some(&(_, category)) = kinds.iter().find(|(known, _)| *known == kind) {
                    gazetteer.add(name, category);
                }
            }
        }
        gazetteer.add_places(&places_text());
        gazetteer
    }

    /// Adds the places of the place gazetteer's TSV (see [`dateline_doc::PLACES_TSV_GZ`]):
    /// each one's name, and for large places their ASCII other names; names of one or two
    /// letters are left out.
    fn add_places(&mut self, tsv: &str) {
        for line in data_lines(tsv) {
            let columns: Vec<&str> = line.split('\t').collect();
            let [_, kind, name, _, _, _, _, population, aliases, ..] = columns[..] else { continue };
            let population: u64 = population.parse().unwrap_or(0);
            let major = matches!(kind, "country" | "admin1" | "capital") || population >= MAJOR_POPULATION;
            let category = if major { GEO_MAJOR } else { GEO_MINOR };
            let mut add = |name: &str| {
                if name.chars().filter(|c| c.is_alphabetic()).count() > 2 {
                    self.add(name, category);
                }
            };
            add(name);
            if major && (population >= ALIASES_POPULATION || kind != "city") {
                for alias in aliases.split(';').filter(|alias| alias.is_ascii()) {
                    add(alias);
                }
            }
        }
    }

    /// Adds an entry, both as written and with hyphens split off as their own words (the way
    /// the treebanks tokenise "Guinea-Bissau").
    fn add(&mut self, name: &str, category: u16) {
        let name = name.trim();
        if name.is_empty() {
            return;
        }
        let plain: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
        let mut hyphenated = Vec::new();
        for word in &plain {
            for (index, piece) in word.split('-').enumerate() {
                if index > 0 {
                    hyphenated.push("-".to_owned());
                }
                if !piece.is_empty() {
                    hyphenated.push(piece.to_owned());
                }
            }
        }
        let differs = hyphenated != plain;
        self.add_words(plain, category);
        if differs {
            self.add_words(hyphenated, category);
        }
    }

    fn add_words(&mut self, mut words: Vec<String>, category: u16) {
        match words.len() {
            0 => {}
            1 => *self.words.entry(words.remove(0)).or_default() |= category,
            n if n <= MAX_SPAN => {
                let first = words.remove(0);
                let entries = self.spans.entry(first).or_default();
                match entries.iter_mut().find(|(rest, _)| *rest == words) {
                    Some((_, categories)) => *categories |= category,
                    None => entries.push((words, category)),
                }
            }
            _ => {}
        }
    }

    /// Number of entries (one-word and multi-word).
    pub fn len(&self) -> usize {
        self.words.len() + self.spans.values().map(Vec::len).sum::<usize>()
    }

    /// True when there are no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Categories of the one-word entry `lower` (a lower-cased word).
    pub fn word(&self, lower: &str) -> u16 {
        self.words.get(lower).copied().unwrap_or(0)
    }

    /// Categories of the entry that is exactly `lower` (lower-cased words), 0 when there is none.
    pub fn entry(&self, lower: &[&str]) -> u16 {
        match lower {
            [] => 0,
            [word] => self.word(word),
            [first, rest @ ..] => self
                .spans
                .get(*first)
                .and_then(|entries| {
                    entries.iter().find(|(words, _)| words.iter().map(String::as_str).eq(rest.iter().copied()))
                })
                .map_or(0, |(_, categories)| *categories),
        }
    }

    /// Fills `out` with the membership of each word of a sentence, given the lower-cased words.
    pub fn annotate<'a>(&self, lower: impl Fn(usize) -> &'a str, n_words: usize, out: &mut Vec<Membership>) {
        out.clear();
        out.extend((0..n_words).map(|index| Membership { word: self.word(lower(index)), ..Membership::default() }));
        for start in 0..n_words {
            let Some(entries) = self.spans.get(lower(start)) else { continue };
            for (rest, categories) in entries {
                let end = start + 1 + rest.len();
                if end > n_words || !rest.iter().enumerate().all(|(offset, word)| lower(start + 1 + offset) == word) {
                    continue;
                }
                out[start].span_begin |= categories;
                for member in &mut out[start + 1..end] {
                    member.span_inside |= categories;
                }
            }
        }
    }
}

/// The place gazetteer's text, decompressed (empty if the embedded file were damaged, which
/// the tests rule out).
fn places_text() -> String {
    let mut text = String::new();
    if flate2::read::GzDecoder::new(dateline_doc::PLACES_TSV_GZ).read_to_string(&mut text).is_err() {
        text.clear();
    }
    text
}

/// The lines of a list that carry data: neither blank nor comments.
fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(|line| line.trim_end_matches('\r'))
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_the_embedded_lists() {
        let gazetteer = &*GAZETTEER;
        assert!(gazetteer.len() > 1000, "{} entries", gazetteer.len());
        assert_eq!(gazetteer.word("hanoi"), CITY | GEO_MAJOR);
        assert_ne!(gazetteer.word("vietnamese") & DEMONYM, 0);
        assert_ne!(gazetteer.word("france") & COUNTRY, 0);
        assert_ne!(gazetteer.word("nato") & ORG_NAME, 0);
        assert_ne!(gazetteer.word("ministry") & ORG_CUE, 0);
        assert_ne!(gazetteer.word("mr.") & TITLE, 0);
        assert_eq!(gazetteer.word("table"), 0);
        assert_eq!(gazetteer.word("noida") & GEO_MAJOR, GEO_MAJOR);
        assert_ne!(gazetteer.word("kerala") & GEO_MAJOR, 0);
        assert_ne!(gazetteer.word("bombay") & GEO_MAJOR, 0);
    }

    #[test]
    fn the_place_gazetteer_is_read() {
        assert!(places_text().lines().count() > 30_000);
        let mut gazetteer = Gazetteer::default();
        gazetteer.add_places("1\tcity\tLittle Town\tUSA\t\t0\t0\t20000\tOld Town\n2\tcity\tBig Ville\tFRA\t\t0\t0\t900000\tGrandville;Gränd\n3\tcity\tBo\tSLE\t\t0\t0\t200000\t\n");
        let words = ["little", "town", "big", "ville", "old", "town"];
        let mut out = Vec::new();
        gazetteer.annotate(|index| words[index], words.len(), &mut out);
        assert_eq!(out[0].span_begin, GEO_MINOR);
        assert_eq!(out[2].span_begin, GEO_MAJOR);
        assert_eq!(out[4].span_begin, 0, "a small place's other names are left out");
        assert_eq!(gazetteer.word("grandville"), GEO_MAJOR);
        assert_eq!(gazetteer.word("gränd"), 0, "only ASCII other names");
        assert_eq!(gazetteer.word("bo"), 0, "two-letter names are left out");
    }

    #[test]
    fn every_list_line_has_its_columns() {
        for line in data_lines(COUNTRIES) {
            assert_eq!(line.split('\t').count(), 3, "{line:?}");
        }
        for file in [PLACES, ORGANISATIONS, PEOPLE] {
            for line in data_lines(file) {
                assert_eq!(line.split('\t').count(), 2, "{line:?}");
            }
        }
    }

    #[test]
    fn matches_spans() {
        let words = ["the", "united", "nations", "met", "in", "guinea", "-", "bissau"];
        let mut out = Vec::new();
        GAZETTEER.annotate(|index| words[index], words.len(), &mut out);
        assert_ne!(out[1].span_begin & ORG_NAME, 0);
        assert_ne!(out[2].span_inside & ORG_NAME, 0);
        assert_eq!(out[3], Membership::default());
        assert_ne!(out[5].span_begin & COUNTRY, 0);
        assert_ne!(out[7].span_inside & COUNTRY, 0);
    }
}

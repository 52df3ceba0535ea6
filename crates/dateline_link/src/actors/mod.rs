//! The actor dictionary: names of countries, organisations and people with their CAMEO codes
//! (some valid only between two dates), and role words with the sector codes they add.
//!
//! Every source (the project's own files in `resources/actors/`, a user's files in the same
//! format, PETRARCH actor and agent dictionaries) is read into the same [`ActorDictionary`].
//! Names are matched over the words of a sentence, longest first; a user's entries for a name
//! replace the built-in ones.

mod petrarch;
pub(crate) mod resolve;
mod tsv;

use std::fmt;
use std::path::Path;

use chrono::NaiveDate;
use rustc_hash::FxHashMap;

pub use self::petrarch::{read_petrarch_actors, read_petrarch_agents};
pub use self::tsv::read_user_actors;

/// What kind of name an entry is: how it is matched and what it becomes in text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NameKind {
    /// A country's name ("North Korea").
    Country,
    /// A country's adjective or demonym ("North Korean", "Iranians").
    Adjective,
    /// A country's abbreviation, matched case-sensitively ("US", "DPRK").
    Abbreviation,
    /// A capital or seat of government: a place, or the government by metonymy.
    Capital,
    /// A name that stands for a government ("the Kremlin", "Downing Street").
    Metonym,
    /// An organisation ("NATO", "Hamas").
    Organisation,
    /// A person, with the codes of the offices they held.
    Person,
    /// An ethnic, religious or national group named without a country ("Kurds", "Yoruba"),
    /// with the countries it may belong to.
    Group,
    /// Any other actor name, from a user's or a PETRARCH dictionary.
    Other,
}

/// A code valid between two dates (both inclusive; open when `None`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatedCode {
    /// The CAMEO code ("USAGOV"), or empty for "no code" (PETRARCH's `---`).
    pub code: String,
    /// First day of validity.
    pub from: Option<NaiveDate>,
    /// Last day of validity.
    pub to: Option<NaiveDate>,
}

impl DatedCode {
    /// A code valid at all times.
    pub fn always(code: &str) -> DatedCode {
        DatedCode { code: code.to_owned(), from: None, to: None }
    }

    fn is_dated(&self) -> bool {
        self.from.is_some() || self.to.is_some()
    }

    fn covers(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|from| from <= date) && self.to.is_none_or(|to| date <= to)
    }
}

/// Where an entry was read: a built-in resource or a user's file, with its line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The file's name (`resources/actors/countries.tsv` for built-ins).
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// True for entries from a user's file, which replace built-in entries of the same name.
    pub user: bool,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One actor: its name, kind and codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The name the actor is known by ("North Korea", "Kim Jong Un").
    pub canonical: String,
    /// What kind of name it is.
    pub kind: NameKind,
    /// Its codes; undated codes apply when no dated one covers the date.
    pub codes: Vec<DatedCode>,
    /// Where it was defined.
    pub origin: Origin,
}

impl Actor {
    /// The code in force on `date`: the dated code covering it (the latest-starting when
    /// several do), else the undated code. Without a date, the latest-starting code. `None`
    /// when nothing applies or the code is PETRARCH's `---` (no code).
    pub fn code_at(&self, date: Option<NaiveDate>) -> Option<&str> {
        let chosen = match date {
            Some(date) => self
                .codes
                .iter()
                .filter(|code| code.is_dated() && code.covers(date))
                .max_by_key(|code| code.from)
                .or_else(|| self.codes.iter().find(|code| !code.is_dated())),
            None => self
                .codes
                .iter()
                .filter(|code| code.is_dated())
                .max_by_key(|code| (code.to.is_none(), code.from))
                .or_else(|| self.codes.iter().find(|code| !code.is_dated())),
        };
        chosen.map(|code| code.code.as_str()).filter(|code| !code.is_empty())
    }

    /// The code of a person out of office on `date`: the country of the office held nearest
    /// to it (the last before it, else the first after), as an elite ("USAELI" for a former
    /// president). `None` for other actors.
    pub fn former_code(&self, date: Option<NaiveDate>) -> Option<String> {
        if self.kind != NameKind::Person {
            return None;
        }
        let date = date?;
        let before = self.codes.iter().filter(|code| code.to.is_some_and(|to| to < date)).max_by_key(|code| code.to);
        let nearest = before.or_else(|| {
            self.codes.iter().filter(|code| code.from.is_some_and(|from| from > date)).min_by_key(|code| code.from)
        })?;
        country_of(&nearest.code).map(|country| format!("{country}ELI"))
    }

    /// The code in force on `date`, or for a person out of office their [`Actor::former_code`].
    pub fn code_or_former(&self, date: Option<NaiveDate>) -> Option<String> {
        self.code_at(date).map(str::to_owned).or_else(|| self.former_code(date))
    }

    /// The country part of the code in force (its first three letters when they name a
    /// country, not an international or sector-only code).
    pub fn country_at(&self, date: Option<NaiveDate>) -> Option<&str> {
        self.code_at(date).and_then(country_of)
    }
}

/// The country of a CAMEO code: its first three letters, unless they are a sector or an
/// international group.
pub fn country_of(code: &str) -> Option<&str> {
    let head = code.get(..3)?;
    if !head.bytes().all(|byte| byte.is_ascii_uppercase()) || NON_COUNTRY_HEADS.contains(&head) {
        return None;
    }
    Some(head)
}

/// Three-letter CAMEO heads that are not countries: international and transnational actors
/// and bare sectors.
const NON_COUNTRY_HEADS: &[&str] = &[
    "IGO", "NGO", "IMG", "MNC", "UIS", "GOV", "MIL", "REB", "INS", "OPP", "PTY", "MED", "BUS", "CVL", "REF", "JUD",
    "LEG", "COP", "SPY", "ELI", "LAB", "EDU", "HLH", "CRM", "REL", "UAF", "SEP", "MOD", "RAD", "AGR", "ENV", "IMG",
    "AFR", "ASA", "EUR", "MEA", "NMR", "SAM", "CAS", "WST", "BLK", "ARB", "MOS", "CHR", "JEW", "BUD", "HIN", "---",
];

/// True for a CAMEO sector (agent) code: "GOV", "MIL", "REB", ...
pub(crate) fn is_sector(code: &str) -> bool {
    code.len() == 3
        && NON_COUNTRY_HEADS.contains(&code)
        && !matches!(code, "IGO" | "NGO" | "IMG" | "MNC" | "UIS" | "---")
}

/// A role word's code: a sector added after a country ("GOV" in "USAGOV"), or before a code
/// (PETRARCH's `[IGO~]`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Role {
    /// The sector code ("GOV", "MIL", "REB").
    pub code: String,
    /// True when the code goes before the country's (`[IGO~]`), false after (`[~GOV]`).
    pub prefix: bool,
    /// Where it was defined.
    pub origin: Origin,
}

/// A problem in a dictionary file, named by file and line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct DictionaryError {
    /// The file.
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl DictionaryError {
    pub(crate) fn new(file: &str, line: usize, message: impl Into<String>) -> DictionaryError {
        DictionaryError { file: file.to_owned(), line, message: message.into() }
    }
}

/// What a dictionary file yields: entries, and the lines that were skipped with the reason.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Names with their actors.
    pub names: Vec<(Phrase, Actor)>,
    /// Role words with their codes.
    pub roles: Vec<(Phrase, Role)>,
    /// Malformed lines, skipped.
    pub warnings: Vec<DictionaryError>,
}

/// A name as the words it is matched on, lower-cased (unless case-sensitive).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Phrase {
    /// The words, split at spaces, underscores and hyphens.
    pub words: Vec<String>,
    /// True when the last word is a stem matching any word it begins (PETRARCH phrases that
    /// do not end in `_`).
    pub stem: bool,
    /// True when the words must match in the case written (abbreviations).
    pub case_sensitive: bool,
}

impl Phrase {
    /// The phrase of `name`, split into words as the tokenizer splits text: at spaces,
    /// underscores and hyphens, with a possessive "'s" a word of its own and other
    /// apostrophes dropped ("Kurdistan Workers' Party" → kurdistan workers party).
    pub fn new(name: &str, case_sensitive: bool) -> Phrase {
        let mut words = Vec::new();
        for word in split_words(name) {
            let word = word.replace('\u{2019}', "'");
            let (stem, possessive) = match word.strip_suffix("'s") {
                Some(stem) if !stem.is_empty() => (stem, true),
                _ => (word.as_str(), false),
            };
            let stem = stem.trim_matches('\'');
            if !stem.is_empty() {
                words.push(if case_sensitive { stem.to_owned() } else { stem.to_lowercase() });
            }
            if possessive {
                words.push("'s".to_owned());
            }
        }
        Phrase { words, stem: false, case_sensitive }
    }
}

/// The words of a name: split at spaces, underscores and hyphens.
pub(crate) fn split_words(name: &str) -> impl Iterator<Item = &str> {
    name.split(|c: char| c.is_whitespace() || c == '_' || c == '-' || c == '\u{2010}' || c == '\u{2011}')
        .filter(|word| !word.is_empty())
}

/// A token's form as the dictionary matches it: lower case, typographic apostrophes made
/// straight; `None` for tokens that are not words to match (hyphens, a lone apostrophe).
pub(crate) fn match_form(form: &str) -> Option<String> {
    if matches!(form, "-" | "\u{2010}" | "\u{2011}" | "'" | "\u{2019}") {
        return None;
    }
    Some(form.replace('\u{2019}', "'").to_lowercase())
}

/// Every actor name and role word known, with a fast matcher over sentence words.
#[derive(Debug, Default)]
pub struct ActorDictionary {
    actors: Vec<Actor>,
    /// Joined lower-case words (or as written, for case-sensitive phrases) → actors.
    names: FxHashMap<Box<str>, Vec<u32>>,
    /// Stems: joined words whose last word is a prefix → actors.
    stems: FxHashMap<Box<str>, Vec<u32>>,
    /// First word → the most words a phrase starting with it has.
    first: FxHashMap<Box<str>, u8>,
    roles: FxHashMap<Box<str>, Role>,
    role_first: FxHashMap<Box<str>, u8>,
    /// A person's last word → the people with that name.
    surnames: FxHashMap<Box<str>, Vec<u32>>,
    has_stems: bool,
}

/// The project's built-in dictionary files, compiled in.
const BUILT_IN: &[(&str, &str)] = &[
    ("resources/actors/countries.tsv", include_str!("../../../../resources/actors/countries.tsv")),
    ("resources/actors/organisations.tsv", include_str!("../../../../resources/actors/organisations.tsv")),
    ("resources/actors/people.tsv", include_str!("../../../../resources/actors/people.tsv")),
    ("resources/actors/roles.tsv", include_str!("../../../../resources/actors/roles.tsv")),
    ("resources/actors/groups.tsv", include_str!("../../../../resources/actors/groups.tsv")),
];

impl ActorDictionary {
    /// The project's own dictionary: countries, organisations, people in office, role words.
    ///
    /// # Panics
    /// When a built-in file is malformed: they are checked by the tests.
    pub fn embedded() -> ActorDictionary {
        let mut dictionary = ActorDictionary::default();
        for (file, text) in BUILT_IN {
            let loaded = tsv::read_built_in(file, text);
            assert!(loaded.warnings.is_empty(), "built-in dictionary {file}: {:?}", loaded.warnings);
            dictionary.add(loaded);
        }
        dictionary
    }

    /// Adds what a file yielded. A user's names replace built-in entries of the same phrase.
    pub fn add(&mut self, loaded: Loaded) {
        for (phrase, actor) in loaded.names {
            self.add_name(phrase, actor);
        }
        for (phrase, role) in loaded.roles {
            if phrase.words.is_empty() {
                continue;
            }
            let key: Box<str> = phrase.words.join(" ").into();
            let first = self.role_first.entry(phrase.words[0].clone().into()).or_default();
            *first = (*first).max(phrase.words.len().min(u8::MAX as usize) as u8);
            // A user's role replaces the built-in one; otherwise the first definition stays.
            let keep_existing = self.roles.get(&key).is_some_and(|existing| existing.origin.user || !role.origin.user);
            if !keep_existing {
                self.roles.insert(key, role);
            }
        }
    }

    fn add_name(&mut self, phrase: Phrase, actor: Actor) {
        if phrase.words.is_empty() {
            return;
        }
        let id = self.actors.len() as u32;
        let user = actor.origin.user;
        if actor.kind == NameKind::Person
            && phrase.words.len() > 1
            && let Some(last) = phrase.words.last()
        {
            let ids = self.surnames.entry(last.as_str().into()).or_default();
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        self.actors.push(actor);
        let key: Box<str> = phrase.words.join(" ").into();
        let first_key: Box<str> =
            if phrase.stem && phrase.words.len() == 1 { "".into() } else { phrase.words[0].as_str().into() };
        let first = self.first.entry(first_key).or_default();
        *first = (*first).max(phrase.words.len().min(u8::MAX as usize) as u8);
        let map = if phrase.stem {
            self.has_stems = true;
            &mut self.stems
        } else {
            &mut self.names
        };
        let ids = map.entry(key).or_default();
        // A user's entry replaces the built-in ones of the same phrase; entries from the same
        // kind of source accumulate (a country's name and a city's may coincide).
        let actors = &self.actors;
        if user && ids.iter().any(|&other| !actors[other as usize].origin.user) {
            ids.retain(|&other| actors[other as usize].origin.user);
        } else if !user && ids.iter().any(|&other| actors[other as usize].origin.user) {
            return;
        }
        ids.push(id);
    }

    /// Reads a user's dictionary file: the project's own TSV format, or a PETRARCH actors or
    /// agents file (told apart by content). Malformed lines are returned as warnings.
    pub fn load_file(&mut self, path: &Path) -> Result<Vec<DictionaryError>, DictionaryError> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|error| DictionaryError::new(&name, 0, error.to_string()))?;
        self.load_text(&name, &String::from_utf8_lossy(&bytes))
    }

    /// Reads a user's dictionary from its text, as [`ActorDictionary::load_file`] reads a file
    /// called `name`.
    pub fn load_text(&mut self, name: &str, text: &str) -> Result<Vec<DictionaryError>, DictionaryError> {
        let loaded = if tsv::looks_like_tsv(text) {
            read_user_actors(name, text)
        } else if petrarch::looks_like_agents(text) {
            read_petrarch_agents(name, text)
        } else {
            read_petrarch_actors(name, text)
        };
        if loaded.names.is_empty() && loaded.roles.is_empty() {
            return Err(DictionaryError::new(name, 0, "no dictionary entry found"));
        }
        let warnings = loaded.warnings.clone();
        self.add(loaded);
        Ok(warnings)
    }

    /// Number of actor entries.
    pub fn len(&self) -> usize {
        self.actors.len()
    }

    /// True when the dictionary has no actor.
    pub fn is_empty(&self) -> bool {
        self.actors.is_empty()
    }

    /// The actor of an id returned by [`ActorDictionary::match_name`].
    pub fn actor(&self, id: u32) -> &Actor {
        &self.actors[id as usize]
    }

    /// The longest name starting at `words[0]`: how many words it spans and its actors.
    /// `words` are the sentence's words from the start position: `(as written, lower case)`.
    pub fn match_name(&self, words: &[(&str, &str)]) -> Option<(usize, &[u32])> {
        let (_, first_lower) = words.first()?;
        let longest = self.first.get(*first_lower).copied().unwrap_or(0) as usize;
        let longest = longest.max(self.first.get(words[0].0).copied().unwrap_or(0) as usize).min(words.len());
        let mut lower_key = String::new();
        let mut cased_key = String::new();
        let mut found = None;
        for n in 1..=longest {
            if n > 1 {
                lower_key.push(' ');
                cased_key.push(' ');
            }
            lower_key.push_str(words[n - 1].1);
            cased_key.push_str(words[n - 1].0);
            // Case-insensitive phrases are stored in lower case, case-sensitive ones as written.
            if let Some(ids) = self.names.get(lower_key.as_str()).or_else(|| self.names.get(cased_key.as_str())) {
                found = Some((n, ids.as_slice()));
            }
        }
        if found.is_none() && self.has_stems {
            found = self.match_stem(words);
        }
        found
    }

    fn match_stem(&self, words: &[(&str, &str)]) -> Option<(usize, &[u32])> {
        let mut best = None;
        let longest = (self.first.get(words[0].1).copied().unwrap_or(1) as usize).min(words.len());
        let mut prefix = String::new();
        for n in 1..=longest.max(1) {
            let last = words[n - 1].1;
            let mut key = prefix.clone();
            if n > 1 {
                key.push(' ');
            }
            let base = key.len();
            for (end, _) in last.char_indices().skip(1).chain(std::iter::once((last.len(), ' '))) {
                key.truncate(base);
                key.push_str(&last[..end]);
                if let Some(ids) = self.stems.get(key.as_str()) {
                    best = Some((n, ids.as_slice()));
                }
            }
            if n > 1 {
                prefix.push(' ');
            }
            prefix.push_str(last);
        }
        best
    }

    /// The longest role phrase starting at `words[0]`, matched on lower-case forms or lemmas.
    pub fn match_role(&self, forms: &[&str], lemmas: &[&str]) -> Option<(usize, &Role)> {
        let mut found = None;
        for words in [forms, lemmas] {
            let Some(first) = words.first() else { continue };
            let longest = (self.role_first.get(*first).copied().unwrap_or(0) as usize).min(words.len());
            let mut key = String::new();
            for n in 1..=longest {
                if n > 1 {
                    key.push(' ');
                }
                key.push_str(words[n - 1]);
                if let Some(role) = self.roles.get(key.as_str())
                    && found.is_none_or(|(length, _)| n > length)
                {
                    found = Some((n, role));
                }
            }
        }
        found
    }

    /// The person in office on `date` whose name ends in `surname` ("Putin"), when exactly one
    /// is; else the one person of that surname the dictionary knows, if there is one.
    pub fn person_by_surname(&self, surname: &str, date: Option<NaiveDate>) -> Option<&Actor> {
        let ids = self.surnames.get(surname)?;
        let in_office = |actor: &Actor| {
            actor.codes.iter().any(|code| date.is_some_and(|date| code.is_dated() && code.covers(date)))
        };
        let unique = |keep: &dyn Fn(&Actor) -> bool| -> Result<Option<&Actor>, ()> {
            let mut found: Option<&Actor> = None;
            for &id in ids {
                let actor = &self.actors[id as usize];
                if !keep(actor) {
                    continue;
                }
                match found {
                    Some(known) if known.canonical != actor.canonical => return Err(()),
                    _ => found = Some(actor),
                }
            }
            Ok(found)
        };
        // The one in office on the date; failing that, the only person of that name at all;
        // failing that, when every person of that name served the same country, the one whose
        // office began last before the date ("President Bush" is American either way).
        match unique(&in_office) {
            Ok(Some(actor)) => Some(actor),
            Ok(None) => match unique(&|_| true) {
                Ok(found) => found,
                Err(()) => {
                    let people: Vec<&Actor> = ids.iter().map(|&id| &self.actors[id as usize]).collect();
                    fn country(actor: &Actor) -> Option<&str> {
                        actor.codes.first().and_then(|code| country_of(&code.code))
                    }
                    let first = country(people[0])?;
                    if people.iter().any(|actor| country(actor) != Some(first)) {
                        return None;
                    }
                    let start = |actor: &&Actor| {
                        actor
                            .codes
                            .iter()
                            .filter_map(|code| code.from)
                            .filter(|from| date.is_none_or(|date| *from <= date))
                            .max()
                    };
                    people.into_iter().max_by_key(start)
                }
            },
            Err(()) => None,
        }
    }

    /// The actor ids of an exact phrase (lower case), for tests and lookups by name.
    pub fn lookup(&self, name: &str) -> &[u32] {
        let key = Phrase::new(name, false).words.join(" ");
        self.names.get(key.as_str()).map(Vec::as_slice).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_dictionary_loads_and_knows_the_basics() {
        let dictionary = ActorDictionary::embedded();
        assert!(dictionary.len() > 1000, "{} entries", dictionary.len());
        let code = |name: &str, date: &str| {
            let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok();
            dictionary.lookup(name).iter().find_map(|&id| dictionary.actor(id).code_at(date)).map(str::to_owned)
        };
        assert_eq!(code("North Korea", "2019-02-27").as_deref(), Some("PRK"));
        assert_eq!(code("Hungarian", "2019-02-27").as_deref(), Some("HUN"));
        assert_eq!(code("Donald Trump", "2019-02-27").as_deref(), Some("USAGOV"));
        assert_eq!(code("Donald Trump", "2023-06-01"), None);
        let trump = dictionary.actor(dictionary.lookup("Donald Trump")[0]);
        assert_eq!(trump.code_or_former(NaiveDate::from_ymd_opt(2023, 6, 1)).as_deref(), Some("USAELI"));
    }

    #[test]
    fn dated_codes_pick_the_term_in_force() {
        let origin = Origin { file: "t".into(), line: 1, user: false };
        let date = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
        let actor = Actor {
            canonical: "A".into(),
            kind: NameKind::Person,
            codes: vec![
                DatedCode { code: "XXXELI".into(), from: None, to: None },
                DatedCode { code: "XXXGOV".into(), from: date("2010-01-01"), to: date("2014-12-31") },
                DatedCode { code: "XXXOPP".into(), from: date("2015-01-01"), to: None },
            ],
            origin,
        };
        assert_eq!(actor.code_at(date("2012-05-05")), Some("XXXGOV"));
        assert_eq!(actor.code_at(date("2020-05-05")), Some("XXXOPP"));
        assert_eq!(actor.code_at(date("2000-05-05")), Some("XXXELI"));
        assert_eq!(actor.code_at(None), Some("XXXOPP"));
        assert_eq!(country_of("USAGOV"), Some("USA"));
        assert_eq!(country_of("IGOUNO"), None);
        assert_eq!(country_of("REB"), None);
    }
}

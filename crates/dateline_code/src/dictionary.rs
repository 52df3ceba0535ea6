//! The project's event dictionary (`resources/events/verbs.tsv`): patterns over the
//! dependency tree, each with an id that names it in the events it codes.
//!
//! A pattern is space-separated lemmas. The first is the trigger: a verb (`visit`) or, with
//! `@`, an eventive noun (`@talk`). `TARGET` right after the trigger is its direct object;
//! after a preposition, that preposition's object (`meet with TARGET`, `@attack on TARGET`).
//! `SOURCE` after a preposition marks a noun's source (`@attack by SOURCE`). Other words must
//! occur among the trigger's dependents or theirs (`impose sanction on TARGET`, `call for
//! ceasefire`, `threaten use force`); `!word` must not.

use rustc_hash::FxHashMap;

const BUILT_IN: &str = include_str!("../../../resources/events/verbs.tsv");

/// One element of a pattern after its trigger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Element {
    /// A lemma that must be among the trigger's dependents (two levels deep).
    Word(String),
    /// A lemma that must not be there.
    Not(String),
    /// The target: the direct object (`preposition` is `None`) or the object of a preposition.
    Target {
        /// The preposition marking the target, if any.
        preposition: Option<String>,
    },
    /// The source of a noun trigger, marked by a preposition.
    Source {
        /// The preposition marking the source.
        preposition: String,
    },
}

/// A dictionary entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// Its id ("V042a"), or `file:line` for a user's entry without one.
    pub id: String,
    /// The CAMEO code it gives.
    pub cameo: String,
    /// The trigger's lemma.
    pub trigger: String,
    /// True for an eventive noun trigger.
    pub noun: bool,
    /// What else must (not) be there, and where the actors are.
    pub elements: Vec<Element>,
}

impl Pattern {
    /// How specific the pattern is: its required words and slots. More specific patterns are
    /// tried first.
    pub fn specificity(&self) -> usize {
        self.elements.iter().filter(|element| !matches!(element, Element::Not(_))).count()
    }

    /// The target slot, if the pattern has one.
    pub fn target(&self) -> Option<&Element> {
        self.elements.iter().find(|element| matches!(element, Element::Target { .. }))
    }
}

/// A problem in a dictionary line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct PatternError {
    /// The file.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Patterns by trigger lemma, most specific first.
#[derive(Debug, Default)]
pub struct EventDictionary {
    verbs: FxHashMap<String, Vec<Pattern>>,
    nouns: FxHashMap<String, Vec<Pattern>>,
    len: usize,
}

impl EventDictionary {
    /// The project's dictionary, compiled in.
    ///
    /// # Panics
    /// When the built-in file is malformed: the tests read it.
    pub fn embedded() -> EventDictionary {
        let (dictionary, errors) = EventDictionary::parse("resources/events/verbs.tsv", BUILT_IN, |_| true);
        assert!(errors.is_empty(), "built-in event dictionary: {errors:?}");
        dictionary
    }

    /// Reads a dictionary in the project's format (`id<TAB>cameo<TAB>pattern[<TAB>example]`);
    /// `known_code` says which CAMEO codes exist. Malformed lines are returned and skipped.
    pub fn parse(file: &str, text: &str, known_code: impl Fn(&str) -> bool) -> (EventDictionary, Vec<PatternError>) {
        let mut dictionary = EventDictionary::default();
        let mut errors = Vec::new();
        // Each id names one pattern in events' `rule`: the line of each id seen so far.
        let mut ids: rustc_hash::FxHashMap<String, usize> = rustc_hash::FxHashMap::default();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let error = |message: String| PatternError { file: file.to_owned(), line: index + 1, message };
            let columns: Vec<&str> = line.split('\t').collect();
            if columns.len() < 3 {
                errors.push(error("expected id, code and pattern separated by tabs".to_owned()));
                continue;
            }
            let (id, cameo) = (columns[0].trim(), columns[1].trim());
            if !cameo.bytes().all(|byte| byte.is_ascii_digit()) || !known_code(cameo) {
                errors.push(error(format!("`{cameo}` is not a CAMEO event code")));
                continue;
            }
            let id = if id.is_empty() { format!("{file}:{}", index + 1) } else { id.to_owned() };
            if let Some(first) = ids.get(&id) {
                errors.push(error(format!("the id `{id}` is already used on line {first}; entry skipped")));
                continue;
            }
            ids.insert(id.clone(), index + 1);
            match parse_pattern(columns[2]) {
                Ok((trigger, noun, elements)) => {
                    dictionary.add(Pattern { id, cameo: cameo.to_owned(), trigger, noun, elements });
                }
                Err(message) => errors.push(error(message)),
            }
        }
        (dictionary, errors)
    }

    fn add(&mut self, pattern: Pattern) {
        let map = if pattern.noun { &mut self.nouns } else { &mut self.verbs };
        let patterns = map.entry(pattern.trigger.clone()).or_default();
        patterns.push(pattern);
        patterns.sort_by_key(|pattern| std::cmp::Reverse(pattern.specificity()));
        self.len += 1;
    }

    /// The patterns of a verb lemma, most specific first.
    pub fn verb(&self, lemma: &str) -> &[Pattern] {
        self.verbs.get(lemma).map(Vec::as_slice).unwrap_or_default()
    }

    /// The patterns of a noun lemma, most specific first.
    pub fn noun(&self, lemma: &str) -> &[Pattern] {
        self.nouns.get(lemma).map(Vec::as_slice).unwrap_or_default()
    }

    /// Number of patterns.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there is no pattern.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every pattern, for tests and listings.
    pub fn patterns(&self) -> impl Iterator<Item = &Pattern> {
        self.verbs.values().chain(self.nouns.values()).flatten()
    }
}

/// A pattern's trigger, whether it is a noun, and its elements.
fn parse_pattern(text: &str) -> Result<(String, bool, Vec<Element>), String> {
    let mut words = text.split_whitespace();
    let first = words.next().ok_or("empty pattern")?;
    let (trigger, noun) = match first.strip_prefix('@') {
        Some(noun) => (noun, true),
        None => (first, false),
    };
    if trigger.is_empty() || trigger == "TARGET" || trigger == "SOURCE" {
        return Err(format!("`{first}` is not a trigger"));
    }
    let mut elements = Vec::new();
    let mut previous: Option<String> = None;
    for word in words {
        match word {
            "TARGET" => {
                // Right after the trigger (or after a word that is no preposition but an
                // object, as in `accuse TARGET`), the target is the direct object.
                let preposition = previous.take().filter(|word| is_preposition(word));
                if let Some(preposition) = &preposition {
                    elements.retain(|element| element != &Element::Word(preposition.clone()));
                }
                elements.push(Element::Target { preposition });
            }
            "SOURCE" => {
                let preposition =
                    previous.take().filter(|word| is_preposition(word)).ok_or("SOURCE needs a preposition")?;
                elements.retain(|element| element != &Element::Word(preposition.clone()));
                elements.push(Element::Source { preposition });
            }
            _ => {
                if let Some(negated) = word.strip_prefix('!') {
                    elements.push(Element::Not(negated.to_lowercase()));
                    previous = None;
                } else {
                    let word = word.to_lowercase();
                    elements.push(Element::Word(word.clone()));
                    previous = Some(word);
                }
            }
        }
    }
    if elements.iter().filter(|element| matches!(element, Element::Target { .. })).count() > 1 {
        return Err("more than one TARGET".to_owned());
    }
    Ok((trigger.to_lowercase(), noun, elements))
}

/// Prepositions that can mark an actor.
fn is_preposition(word: &str) -> bool {
    matches!(
        word,
        "with"
            | "to"
            | "on"
            | "against"
            | "from"
            | "for"
            | "by"
            | "between"
            | "at"
            | "in"
            | "into"
            | "of"
            | "over"
            | "toward"
            | "towards"
            | "upon"
            | "among"
            | "across"
            | "about"
            | "through"
            | "under"
            | "behind"
            | "near"
            | "inside"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_parse_with_slots_words_and_errors() {
        let text = "# comment\nV042a\t042\tvisit TARGET\tHe visited Paris.\n\
                    V163a\t163\timpose sanction on TARGET\nN190a\t190\t@attack on TARGET\n\
                    V190x\t999\tattack TARGET\nbad line\nV111a\t111\taccuse TARGET of\n\
                    V042a\t043\thost TARGET\n";
        let (dictionary, errors) = EventDictionary::parse("test.tsv", text, |code| code != "999");
        assert_eq!(dictionary.len(), 4);
        assert_eq!(dictionary.verb("visit")[0].elements, vec![Element::Target { preposition: None }]);
        assert_eq!(
            dictionary.verb("impose")[0].elements,
            vec![Element::Word("sanction".into()), Element::Target { preposition: Some("on".into()) }]
        );
        assert!(dictionary.noun("attack")[0].noun);
        assert_eq!(
            dictionary.verb("accuse")[0].elements,
            vec![Element::Target { preposition: None }, Element::Word("of".into())]
        );
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].starts_with("test.tsv:5: `999`"));
        assert!(messages[1].starts_with("test.tsv:6: expected"));
        assert_eq!(messages[2], "test.tsv:8: the id `V042a` is already used on line 2; entry skipped");
        assert!(dictionary.verb("host").is_empty());
    }
}

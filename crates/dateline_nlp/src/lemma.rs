//! The lemmatizer: the dictionary form of a word ("went" → "go", "cities" → "city") from its
//! form and its tags, by rules and exceptions learned from UD English-EWT; on the way, the
//! word's morphological features (`feats`), looked up by tag pair and form.
//!
//! Everything is keyed by the tag pair `UPOS XPOS` the tagger produces ("VERB VBD"):
//!
//! - *exceptions*: forms whose lemma the rules get wrong in training ("went" → "go",
//!   "better" → "good", "I" → "I");
//! - *suffix rules*: for each ending of a form (up to [`MAX_CONDITION`] characters), the most
//!   frequent rewrite of the form's end into the lemma's end ("ies" → "y" for `NOUN NNS`),
//!   kept only where it differs from the rule of the shorter ending;
//! - *features*: the most frequent `feats` of each tag pair (`Number=Plur` for `NOUN NNS`), and
//!   of forms whose own differ ("he" as `PRON PRP`: `Case=Nom|Gender=Masc|…`);
//! - *case*: whether capitalised forms keep their case in the lemma, as proper nouns and
//!   "American" do, learned apart for the first word of a sentence; other forms are
//!   lower-cased.
//!
//! The data is `resources/models/lemma.tsv.gz`, written by `cargo xtask train tagger`: a
//! comment line, then tab-separated lines `x  TAGS  form  lemma` (exceptions),
//! `r  TAGS  ending  strip  add` (rules: remove `strip` characters, append `add`) and
//! `c  TAGS` and `f  TAGS` (tags whose capitalised forms keep their case inside a sentence,
//! first in a sentence), `F  TAGS  feats` and `g  TAGS  form  feats` (features).

use std::fmt::Write as _;
use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use rustc_hash::FxHashMap;

use crate::conllu::{ConlluSentence, Word};
use crate::linear::ModelError;

/// The data compiled into the binary.
static EMBEDDED: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../resources/models/lemma.tsv.gz"));

/// The longest form ending a rule is conditioned on, in characters.
pub const MAX_CONDITION: usize = 6;

/// A form's own features are kept when seen this often.
const MIN_FEATS_COUNT: u32 = 2;

/// A rule needs this many training words behind it.
const MIN_RULE_COUNT: u32 = 1;

/// A rewrite of a form's end: drop `strip` characters, append `add`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Rewrite {
    strip: usize,
    add: String,
}

/// What is known of one tag pair.
#[derive(Debug, Default)]
struct TagRules {
    /// Lemma of each exceptional form.
    exceptions: FxHashMap<Box<str>, Box<str>>,
    /// Capitalised forms keep their case.
    keep_case: bool,
    /// Capitalised forms keep their case first in a sentence too.
    keep_case_first: bool,
    /// The most frequent morphological features of the tag pair.
    feats: Option<Box<str>>,
    /// Features of lower-cased forms that differ from `feats` ("he": `Case=Nom|…`).
    word_feats: FxHashMap<Box<str>, Box<str>>,
}

/// The lemmatizer.
#[derive(Debug, Default)]
pub struct Lemmatizer {
    /// Exceptions and case of each tag pair (`UPOS XPOS`).
    tags: FxHashMap<Box<str>, TagRules>,
    /// Rewrite for each form ending, for each rule group (see [`rule_group`]).
    rules: FxHashMap<Box<str>, FxHashMap<Box<str>, Rewrite>>,
}

/// The rule group of a tag pair: its XPOS, past participles pooled with past tenses, as their
/// endings behave alike ("resumed" → "resume" either way).
fn rule_group(tags: &str) -> &str {
    match tags.split_once(' ').map_or(tags, |(_, xpos)| xpos) {
        "VBN" => "VBD",
        xpos => xpos,
    }
}

impl Lemmatizer {
    /// The data compiled into the binary.
    pub fn embedded() -> Result<Lemmatizer, ModelError> {
        Lemmatizer::from_bytes(EMBEDDED)
    }

    /// Reads lemmatizer data written by [`Lemmatizer::to_bytes`] (gzip-compressed text).
    pub fn from_bytes(bytes: &[u8]) -> Result<Lemmatizer, ModelError> {
        let mut text = String::new();
        GzDecoder::new(bytes).read_to_string(&mut text)?;
        Lemmatizer::from_text(&text)
    }

    /// Reads the data from its text form.
    pub fn from_text(text: &str) -> Result<Lemmatizer, ModelError> {
        let mut lemmatizer = Lemmatizer::default();
        for (index, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = || ModelError::Format(format!("lemmatizer data, line {}: {line:?}", index + 1));
            let columns: Vec<&str> = line.split('\t').collect();
            match columns.as_slice() {
                ["x", tags, form, lemma] => {
                    lemmatizer.entry(tags).exceptions.insert((*form).into(), (*lemma).into());
                }
                ["r", group, ending, strip, add] => {
                    let strip = strip.parse().map_err(|_| bad())?;
                    let rewrite = Rewrite { strip, add: (*add).to_owned() };
                    lemmatizer.rules.entry((*group).into()).or_default().insert((*ending).into(), rewrite);
                }
                ["c", tags] => lemmatizer.entry(tags).keep_case = true,
                ["f", tags] => lemmatizer.entry(tags).keep_case_first = true,
                ["F", tags, feats] => lemmatizer.entry(tags).feats = Some((*feats).into()),
                ["g", tags, form, feats] => {
                    lemmatizer.entry(tags).word_feats.insert((*form).into(), (*feats).into());
                }
                _ => return Err(bad()),
            }
        }
        Ok(lemmatizer)
    }

    fn entry(&mut self, tags: &str) -> &mut TagRules {
        if !self.tags.contains_key(tags) {
            self.tags.insert(tags.into(), TagRules::default());
        }
        self.tags.get_mut(tags).expect("inserted above")
    }

    /// The data as text, in a stable order.
    pub fn to_text(&self) -> String {
        let mut text = String::from("# dateline lemmatizer: rules and exceptions learned from UD English-EWT train\n");
        let mut tags: Vec<&str> = self.tags.keys().map(|tags| &**tags).collect();
        tags.sort_unstable();
        for tag in tags {
            let rules = &self.tags[tag];
            if rules.keep_case {
                let _ = writeln!(text, "c\t{tag}");
            }
            if rules.keep_case_first {
                let _ = writeln!(text, "f\t{tag}");
            }
            if let Some(feats) = &rules.feats {
                let _ = writeln!(text, "F\t{tag}\t{feats}");
            }
            let mut word_feats: Vec<(&str, &str)> =
                rules.word_feats.iter().map(|(form, feats)| (&**form, &**feats)).collect();
            word_feats.sort_unstable();
            for (form, feats) in word_feats {
                let _ = writeln!(text, "g\t{tag}\t{form}\t{feats}");
            }
            let mut exceptions: Vec<(&str, &str)> =
                rules.exceptions.iter().map(|(form, lemma)| (&**form, &**lemma)).collect();
            exceptions.sort_unstable();
            for (form, lemma) in exceptions {
                let _ = writeln!(text, "x\t{tag}\t{form}\t{lemma}");
            }
        }
        let mut groups: Vec<&str> = self.rules.keys().map(|group| &**group).collect();
        groups.sort_unstable();
        for group in groups {
            let mut endings: Vec<(&str, &Rewrite)> =
                self.rules[group].iter().map(|(ending, rewrite)| (&**ending, rewrite)).collect();
            endings.sort_unstable();
            for (ending, rewrite) in endings {
                let _ = writeln!(text, "r\t{group}\t{ending}\t{}\t{}", rewrite.strip, rewrite.add);
            }
        }
        text
    }

    /// The data gzip-compressed, as [`Lemmatizer::from_bytes`] reads it.
    pub fn to_bytes(&self) -> std::io::Result<Vec<u8>> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(self.to_text().as_bytes())?;
        encoder.finish()
    }

    /// Fills `lemma` and `feats` of every word from its `form`, `upos` and `xpos` (`feats` is
    /// left alone for a tag pair never seen in training).
    pub fn lemmatize(&self, words: &mut [Word]) {
        let mut key = String::new();
        for word in words {
            key.clear();
            key.push_str(&word.upos);
            key.push(' ');
            key.push_str(&word.xpos);
            let lemma = self.lemma(&word.form, &key, word.id > 1);
            word.lemma = lemma;
            if let Some(feats) = self.feats(&word.form, &key) {
                word.feats.clear();
                word.feats.push_str(feats);
            }
        }
    }

    /// The morphological features (`Number=Plur`) of `form` tagged `tags`, when the tag pair is
    /// known.
    pub fn feats(&self, form: &str, tags: &str) -> Option<&str> {
        let rules = self.tags.get(tags)?;
        if !rules.word_feats.is_empty() {
            let found = if form.chars().any(char::is_uppercase) {
                rules.word_feats.get(lower(form).as_str())
            } else {
                rules.word_feats.get(form)
            };
            if let Some(feats) = found {
                return Some(feats);
            }
        }
        rules.feats.as_deref()
    }

    /// The lemma of `form` tagged `tags` (`UPOS XPOS`); `inside` when the word is not first in
    /// its sentence.
    pub fn lemma(&self, form: &str, tags: &str, inside: bool) -> String {
        let rules = self.tags.get(tags);
        if let Some(lemma) = rules.and_then(|rules| rules.exceptions.get(form)) {
            return lemma.to_string();
        }
        let capitalised = form.chars().next().is_some_and(char::is_uppercase);
        let keep_case = rules.is_some_and(|rules| if inside { rules.keep_case } else { rules.keep_case_first });
        let base = if keep_case && capitalised { form.to_owned() } else { lower(form) };
        if base != form
            && let Some(lemma) = rules.and_then(|rules| rules.exceptions.get(base.as_str()))
        {
            return lemma.to_string();
        }
        match self.rules.get(rule_group(tags)) {
            Some(rules) => apply_rules(rules, &base),
            None => base,
        }
    }
}

fn lower(form: &str) -> String {
    form.to_lowercase()
}

/// The rewrite of the longest ending of `base` that has one, applied.
fn apply_rules(rules: &FxHashMap<Box<str>, Rewrite>, base: &str) -> String {
    let boundaries: Vec<usize> = base.char_indices().map(|(at, _)| at).collect();
    let n_chars = boundaries.len();
    for length in (0..=MAX_CONDITION.min(n_chars)).rev() {
        let ending = &base[boundaries.get(n_chars - length).copied().unwrap_or(base.len())..];
        if let Some(rewrite) = rules.get(ending)
            && rewrite.strip <= n_chars
        {
            let keep = boundaries.get(n_chars - rewrite.strip).copied().unwrap_or(base.len());
            let mut lemma = String::with_capacity(keep + rewrite.add.len());
            lemma.push_str(&base[..keep]);
            lemma.push_str(&rewrite.add);
            return lemma;
        }
    }
    base.to_owned()
}

/// The ending one character shorter, `None` for the empty ending.
fn drop_first_char(ending: &str) -> Option<&str> {
    let first = ending.chars().next()?;
    Some(&ending[first.len_utf8()..])
}

/// The rewrite turning `base` into `lemma`: characters to drop from the end, text to append.
fn rewrite_of(base: &str, lemma: &str) -> Rewrite {
    let common = base.chars().zip(lemma.chars()).take_while(|(a, b)| a == b).count();
    let strip = base.chars().count() - common;
    let add: String = lemma.chars().skip(common).collect();
    Rewrite { strip, add }
}

/// Learns rules, exceptions and case from gold sentences.
pub fn learn(sentences: &[ConlluSentence]) -> Lemmatizer {
    // Case first: do capitalised words keep their case, inside a sentence and first in it?
    let mut case_counts: FxHashMap<(String, bool), (u32, u32)> = FxHashMap::default();
    for word in sentences.iter().flat_map(|sentence| &sentence.words) {
        let capitalised = word.form.chars().next().is_some_and(char::is_uppercase);
        if !capitalised || word.lemma == "_" {
            continue;
        }
        let counts = case_counts.entry((format!("{} {}", word.upos, word.xpos), word.id > 1)).or_default();
        if word.lemma.chars().next().is_some_and(char::is_uppercase) {
            counts.0 += 1;
        } else {
            counts.1 += 1;
        }
    }
    let mut lemmatizer = Lemmatizer::default();
    for ((tags, inside), (keep, lower_case)) in &case_counts {
        if keep > lower_case {
            let entry = lemmatizer.entry(tags);
            if *inside {
                entry.keep_case = true;
            } else {
                entry.keep_case_first = true;
            }
        }
    }

    // Counts of rewrites per tag pair and form ending, and of lemmas per form.
    type Counts<T> = FxHashMap<T, u32>;
    let mut endings: FxHashMap<String, FxHashMap<String, Counts<Rewrite>>> = FxHashMap::default();
    let mut forms: FxHashMap<(String, String), Counts<String>> = FxHashMap::default();
    let mut tag_feats: FxHashMap<String, Counts<String>> = FxHashMap::default();
    let mut form_feats: FxHashMap<(String, String), Counts<String>> = FxHashMap::default();
    for word in sentences.iter().flat_map(|sentence| &sentence.words) {
        let tags = format!("{} {}", word.upos, word.xpos);
        *tag_feats.entry(tags.clone()).or_default().entry(word.feats.clone()).or_default() += 1;
        *form_feats.entry((tags, lower(&word.form))).or_default().entry(word.feats.clone()).or_default() += 1;
    }
    let most_frequent = |counts: &Counts<String>| -> Option<(String, u32)> {
        counts
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(value, &count)| (value.clone(), count))
    };
    for (tags, counts) in &tag_feats {
        lemmatizer.entry(tags).feats = most_frequent(counts).map(|(feats, _)| feats.into());
    }
    for ((tags, form), counts) in &form_feats {
        let total: u32 = counts.values().sum();
        let entry = lemmatizer.entry(tags);
        if let Some((feats, _)) = most_frequent(counts)
            && total >= MIN_FEATS_COUNT
            && entry.feats.as_deref() != Some(feats.as_str())
        {
            entry.word_feats.insert(form.as_str().into(), feats.into());
        }
    }
    for sentence in sentences {
        for word in &sentence.words {
            if word.lemma == "_" || word.lemma.is_empty() {
                continue;
            }
            let tags = format!("{} {}", word.upos, word.xpos);
            let inside = word.id > 1;
            let keep_case = lemmatizer
                .tags
                .get(tags.as_str())
                .is_some_and(|rules| if inside { rules.keep_case } else { rules.keep_case_first });
            let capitalised = word.form.chars().next().is_some_and(char::is_uppercase);
            let base = if keep_case && capitalised { word.form.clone() } else { lower(&word.form) };
            let rewrite = rewrite_of(&base, &word.lemma);
            let by_ending = endings.entry(rule_group(&tags).to_owned()).or_default();
            let boundaries: Vec<usize> = base.char_indices().map(|(at, _)| at).collect();
            let n_chars = boundaries.len();
            for length in rewrite.strip.min(n_chars)..=MAX_CONDITION.min(n_chars) {
                let ending = &base[boundaries.get(n_chars - length).copied().unwrap_or(base.len())..];
                *by_ending.entry(ending.to_owned()).or_default().entry(rewrite.clone()).or_default() += 1;
            }
            *forms.entry((tags, word.form.clone())).or_default().entry(word.lemma.clone()).or_default() += 1;
        }
    }

    // Keep, per ending, the most frequent rewrite, where it differs from the shorter ending's.
    for (group, by_ending) in &endings {
        let best: FxHashMap<&str, (&Rewrite, u32)> = by_ending
            .iter()
            .filter_map(|(ending, rewrites)| {
                let (rewrite, &count) = rewrites.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))?;
                Some((ending.as_str(), (rewrite, count)))
            })
            .collect();
        let entry = lemmatizer.rules.entry(group.as_str().into()).or_default();
        for (&ending, &(rewrite, count)) in &best {
            if count < MIN_RULE_COUNT && !ending.is_empty() {
                continue;
            }
            // The rule that would apply without this ending: the nearest shorter one kept.
            let mut shorter = ending;
            let mut inherited = None;
            while let Some(next) = drop_first_char(shorter) {
                shorter = next;
                if let Some(&(parent, parent_count)) = best.get(shorter)
                    && (parent_count >= MIN_RULE_COUNT || shorter.is_empty())
                {
                    inherited = Some(parent);
                    break;
                }
            }
            let differs = match inherited {
                Some(parent) => parent != rewrite,
                None => true,
            };
            if differs {
                entry.insert(ending.into(), rewrite.clone());
            }
        }
    }

    // Exceptions: forms whose most frequent lemma the rules miss.
    let mut sorted: Vec<_> = forms.into_iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for ((tags, form), lemmas) in sorted {
        let Some((lemma, _)) = lemmas.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))) else {
            continue;
        };
        let predicted_inside = lemmatizer.lemma(&form, &tags, true);
        let predicted_first = lemmatizer.lemma(&form, &tags, false);
        if predicted_inside != *lemma || predicted_first != *lemma {
            lemmatizer.entry(&tags).exceptions.insert(form.into(), lemma.as_str().into());
        }
    }
    lemmatizer
}

/// Share of words whose features match gold, with the tags already in `tagged`.
pub fn feats_accuracy(lemmatizer: &Lemmatizer, tagged: &[ConlluSentence], gold: &[ConlluSentence]) -> f64 {
    let (mut right, mut total) = (0usize, 0usize);
    let mut words = Vec::new();
    for (sentence, truth) in tagged.iter().zip(gold) {
        words.clone_from(&sentence.words);
        for word in &mut words {
            word.feats.clear();
        }
        lemmatizer.lemmatize(&mut words);
        for (word, gold_word) in words.iter().zip(&truth.words) {
            total += 1;
            right += usize::from(word.feats == gold_word.feats);
        }
    }
    if total == 0 { 0.0 } else { 100.0 * right as f64 / total as f64 }
}

/// Share of words whose lemma matches gold, lemmatizing with the tags already in `words`.
pub fn accuracy(lemmatizer: &Lemmatizer, tagged: &[ConlluSentence], gold: &[ConlluSentence]) -> f64 {
    let (mut right, mut total) = (0usize, 0usize);
    let mut words = Vec::new();
    for (sentence, truth) in tagged.iter().zip(gold) {
        words.clone_from(&sentence.words);
        lemmatizer.lemmatize(&mut words);
        for (word, gold_word) in words.iter().zip(&truth.words) {
            total += 1;
            right += usize::from(word.lemma == gold_word.lemma);
        }
    }
    if total == 0 { 0.0 } else { 100.0 * right as f64 / total as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(id: u32, form: &str, upos: &str, xpos: &str) -> Word {
        Word { id, form: form.to_owned(), upos: upos.to_owned(), xpos: xpos.to_owned(), ..Word::default() }
    }

    fn check(form: &str, upos: &str, xpos: &str, expected: &str) {
        let lemmatizer = Lemmatizer::embedded().expect("the embedded lemmatizer data loads");
        let mut words = [word(2, form, upos, xpos)];
        lemmatizer.lemmatize(&mut words);
        assert_eq!(words[0].lemma, expected, "{form} {upos} {xpos}");
    }

    #[test]
    fn irregular_forms() {
        check("went", "VERB", "VBD", "go");
        check("was", "AUX", "VBD", "be");
        check("better", "ADJ", "JJR", "good");
        check("children", "NOUN", "NNS", "child");
        check("I", "PRON", "PRP", "I");
    }

    #[test]
    fn regular_endings() {
        check("cities", "NOUN", "NNS", "city");
        check("talks", "NOUN", "NNS", "talk");
        check("resumed", "VERB", "VBD", "resume");
        check("stopping", "VERB", "VBG", "stop");
        check("Ministers", "NOUN", "NNS", "minister");
        check("blorfed", "VERB", "VBD", "blorf");
    }

    #[test]
    fn features_by_tag_and_form() {
        let lemmatizer = Lemmatizer::embedded().unwrap();
        assert_eq!(lemmatizer.feats("cities", "NOUN NNS"), Some("Number=Plur"));
        assert!(lemmatizer.feats("He", "PRON PRP").is_some_and(|feats| feats.contains("Case=Nom")));
        assert_eq!(lemmatizer.feats("x", "NOPE NOPE"), None);
        let mut words = [word(1, "talks", "NOUN", "NNS")];
        lemmatizer.lemmatize(&mut words);
        assert_eq!(words[0].feats, "Number=Plur");
    }

    #[test]
    fn proper_nouns_keep_their_case() {
        let lemmatizer = Lemmatizer::embedded().unwrap();
        let mut first = [word(1, "Debra", "PROPN", "NNP"), word(2, "Smelled", "VERB", "VBD")];
        lemmatizer.lemmatize(&mut first);
        assert_eq!(first[0].lemma, "Debra");
        check("Obama", "PROPN", "NNP", "Obama");
        check("Americans", "PROPN", "NNPS", "American");
    }

    #[test]
    fn rules_learned_from_a_toy_treebank() {
        let text = "1\tcats\tcat\tNOUN\tNNS\t_\t0\troot\t_\t_\n2\tdogs\tdog\tNOUN\tNNS\t_\t1\tdep\t_\t_\n\
                    3\tmice\tmouse\tNOUN\tNNS\t_\t1\tdep\t_\t_\n\n";
        let sentences = crate::conllu::parse(text).unwrap();
        let lemmatizer = learn(&sentences);
        assert_eq!(lemmatizer.lemma("rats", "NOUN NNS", true), "rat");
        assert_eq!(lemmatizer.lemma("mice", "NOUN NNS", true), "mouse");
        let again = Lemmatizer::from_bytes(&lemmatizer.to_bytes().unwrap()).unwrap();
        assert_eq!(again.to_text(), lemmatizer.to_text());
        assert!(Lemmatizer::from_text("q\tbroken\n").is_err());
    }
}

//! Named-entity recognition: persons, organisations and locations, labelled BIO on the words of
//! a sentence.
//!
//! The model is an averaged perceptron ([`crate::linear::Linear`]) over hashed features of the
//! word and its neighbours (forms, lower case, shapes, affixes), the label before the word,
//! membership in the project's own gazetteer (`resources/gazetteer`), and universal
//! part-of-speech tags when the words carry them. It is trained on whole sentences (Collins'
//! structured perceptron) and decoded with Viterbi over the label before each word; decoding
//! never lets `I-X` follow anything but `B-X` or `I-X`, so the output is always a valid BIO
//! sequence.
//!
//! Labels go into each word's `misc` column as `NE=B-PER`; [`entities`] reads them back.

mod features;
pub mod gazetteer;
mod scores;
mod train;

use std::cell::RefCell;

use dateline_doc::EntityType;

use self::features::{FeatureSet, Featurizer, START};
use crate::conllu::Word;
use crate::linear::{Linear, ModelError, argmax};

pub use self::scores::{Counts, EntityError, Scores, chunks, entity_errors, entity_scores};
pub use self::train::{TrainError, train};

/// The model kind written in `ner.dlm`.
const KIND: &str = "ner";

/// The labels, in class order. Every `I-X` directly follows its `B-X`.
pub const LABELS: [&str; 7] = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC"];

/// Number of labels.
const N_LABELS: usize = LABELS.len();

/// The embedded model, trained by `cargo xtask train ner`.
static EMBEDDED: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../resources/models/ner.dlm"));

/// The feature groups of the shipped model.
const SHIPPED: FeatureSet = FeatureSet { gazetteer: true, tags: true };

/// The `misc` key of entity labels.
const MISC_KEY: &str = "NE=";

/// A named-entity recogniser.
#[derive(Clone, Debug)]
pub struct Recognizer {
    model: Linear,
    /// The feature groups the model was trained with.
    set: FeatureSet,
}

/// Buffers reused from sentence to sentence on each thread.
#[derive(Default)]
struct Scratch {
    featurizer: Featurizer,
    features: Vec<u64>,
    lattice: Lattice,
    labels: Vec<usize>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Recognizer {
    /// The model embedded in the binary.
    pub fn embedded() -> Result<Recognizer, ModelError> {
        Recognizer::from_bytes(EMBEDDED)
    }

    /// A model read from the bytes of a `ner.dlm` file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Recognizer, ModelError> {
        Recognizer::from_model(Linear::read(bytes, KIND)?)
    }

    /// A recogniser around a trained model, checking its labels.
    fn from_model(model: Linear) -> Result<Recognizer, ModelError> {
        if model.labels() != LABELS {
            return Err(ModelError::Format(format!("unexpected entity labels {:?}", model.labels())));
        }
        Ok(Recognizer { model, set: SHIPPED })
    }

    /// The model.
    pub fn model(&self) -> &Linear {
        &self.model
    }

    /// Labels the words of one sentence: `NE=B-PER`-style items are added to `misc` (after a
    /// `|` when it already holds something), replacing earlier entity labels; nothing is added
    /// for words outside entities. The model's labels are completed with the gazetteer's known
    /// organisations.
    pub fn recognize(&self, words: &mut [Word]) {
        SCRATCH.with_borrow_mut(|scratch| {
            let Scratch { featurizer, features, lattice, labels } = scratch;
            featurizer.set = self.set;
            featurizer.prepare(words.iter().map(|word| (word.form.as_str(), word.upos.as_str())));
            decode(featurizer, |keys, scores| self.model.scores(keys, scores), features, lattice, labels);
            known_organisations(words, labels);
            split_adjacent_places(words, labels);
            for (word, &label) in words.iter_mut().zip(labels.iter()) {
                set_label(&mut word.misc, LABELS[label]);
            }
        });
    }

    /// The model's own BIO labels of a sentence given as word forms (without tags), before the
    /// gazetteer's known organisations are added (see [`Recognizer::recognize`]).
    pub fn labels<S: AsRef<str>>(&self, forms: &[S]) -> Vec<&'static str> {
        self.labels_tagged(forms.iter().map(|form| (form.as_ref(), "")))
    }

    /// The BIO labels of a sentence given as (form, universal tag) pairs.
    pub fn labels_tagged<'a>(&self, words: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<&'static str> {
        SCRATCH.with_borrow_mut(|scratch| {
            let Scratch { featurizer, features, lattice, labels } = scratch;
            featurizer.set = self.set;
            featurizer.prepare(words);
            decode(featurizer, |keys, scores| self.model.scores(keys, scores), features, lattice, labels);
            labels.iter().map(|&label| LABELS[label]).collect()
        })
    }
}

/// Index of `B-ORG` in [`LABELS`].
const B_ORG: usize = 3;

/// Labels as an organisation every capitalised word that the model left outside any entity
/// and that the project's gazetteer lists as a well-known organisation and as nothing else
/// ("Google", "NATO"). The training data labels such names inconsistently; on UNER dev this
/// raises ORG recall from 42 to 50 at equal precision (micro F1 67.4 → 68.2; test 69.2 → 69.9).
/// A lone `B-ORG` between two `O`s keeps the sequence valid BIO.
fn known_organisations(words: &[Word], labels: &mut [usize]) {
    for (word, label) in words.iter().zip(labels.iter_mut()) {
        if *label == 0
            && word.form.chars().next().is_some_and(char::is_uppercase)
            && gazetteer::GAZETTEER.word(&word.form.to_lowercase()) == gazetteer::ORG_NAME
        {
            *label = B_ORG;
        }
    }
}

/// Index of `B-LOC` in [`LABELS`].
const B_LOC: usize = 5;
/// Index of `I-LOC` in [`LABELS`].
const I_LOC: usize = 6;

/// Splits a place the model labelled as one when it is two places written side by side with
/// no comma ("San Francisco California", "Miramar Florida"): a location whose words are no
/// gazetteer entry as a whole, but end in a country, state or major place after words that are
/// a place themselves, becomes two locations.
fn split_adjacent_places(words: &[Word], labels: &mut [usize]) {
    let gazetteer = &*gazetteer::GAZETTEER;
    let places = gazetteer::COUNTRY | gazetteer::CITY | gazetteer::REGION | gazetteer::GEO_MAJOR | gazetteer::GEO_MINOR;
    let containers = gazetteer::COUNTRY | gazetteer::REGION | gazetteer::GEO_MAJOR;
    let mut start = 0;
    while start < labels.len() {
        if labels[start] != B_LOC {
            start += 1;
            continue;
        }
        let end = start + 1 + labels[start + 1..].iter().take_while(|&&label| label == I_LOC).count();
        if end - start >= 2 {
            let lower: Vec<String> = words[start..end].iter().map(|word| word.form.to_lowercase()).collect();
            let phrase =
                |range: std::ops::Range<usize>| -> Vec<&str> { lower[range].iter().map(String::as_str).collect() };
            if gazetteer.entry(&phrase(0..lower.len())) & places == 0 {
                let split = (1..lower.len()).find(|&at| {
                    gazetteer.entry(&phrase(at..lower.len())) & containers != 0
                        && gazetteer.entry(&phrase(0..at)) & places != 0
                });
                if let Some(at) = split {
                    labels[start + at] = B_LOC;
                }
            }
        }
        start = end;
    }
}

/// True when label `class` may follow label `previous` (`START` at the sentence start): an
/// `I-X` only after `B-X` or `I-X`.
fn allowed(previous: usize, class: usize) -> bool {
    class == 0 || class % 2 == 1 || previous == class || previous + 1 == class
}

/// The label a gold `class` becomes after `previous`: an `I-X` that cannot follow becomes `B-X`.
fn repaired(previous: usize, class: usize) -> usize {
    if allowed(previous, class) { class } else { class - 1 }
}

/// Best-path tables reused between sentences: the best score of a path ending in each label at
/// each word, and the label before it on that path.
#[derive(Debug, Default)]
struct Lattice {
    best: Vec<[f32; N_LABELS]>,
    back: Vec<[u8; N_LABELS]>,
}

/// Labels the prepared sentence with the best-scoring valid BIO sequence (Viterbi over the
/// label before each word), with `score` giving class scores for a feature list. A word's score
/// for a label is the sum of its word features' weights and of the weights of its features
/// combined with the label before it.
fn decode(
    featurizer: &Featurizer,
    score: impl Fn(&[u64], &mut [f32]),
    features: &mut Vec<u64>,
    lattice: &mut Lattice,
    labels: &mut Vec<usize>,
) {
    labels.clear();
    let n_words = featurizer.len();
    if n_words == 0 {
        return;
    }
    let Lattice { best, back } = lattice;
    best.clear();
    back.clear();
    let mut word_scores = [0f32; N_LABELS];
    let mut label_scores = [0f32; N_LABELS];
    for index in 0..n_words {
        features.clear();
        featurizer.word_features(index, false, features);
        score(features, &mut word_scores);
        let mut row = [f32::NEG_INFINITY; N_LABELS];
        let mut from = [0u8; N_LABELS];
        let previous_labels = if index == 0 { START..START + 1 } else { 0..N_LABELS };
        for previous in previous_labels {
            let before = if index == 0 { 0.0 } else { best[index - 1][previous] };
            if before == f32::NEG_INFINITY {
                continue;
            }
            features.clear();
            featurizer.label_features(index, previous, features);
            score(features, &mut label_scores);
            for class in 0..N_LABELS {
                if !allowed(previous, class) {
                    continue;
                }
                let total = before + word_scores[class] + label_scores[class];
                if total > row[class] {
                    row[class] = total;
                    from[class] = previous as u8;
                }
            }
        }
        best.push(row);
        back.push(from);
    }
    let last = &best[n_words - 1];
    let mut label = argmax(last, |class| last[class] > f32::NEG_INFINITY);
    labels.resize(n_words, 0);
    for index in (0..n_words).rev() {
        labels[index] = label;
        label = usize::from(back[index][label]);
    }
}

/// The class of a label string (`O` for anything unknown).
fn label_index(label: &str) -> usize {
    LABELS.iter().position(|known| *known == label).unwrap_or(0)
}

/// Writes `label` into a `misc` column, dropping any entity label it held; `O` adds nothing.
fn set_label(misc: &mut String, label: &str) {
    if misc.contains(MISC_KEY) {
        let kept: Vec<&str> = misc.split('|').filter(|item| !item.starts_with(MISC_KEY)).collect();
        *misc = if kept.is_empty() { "_".to_owned() } else { kept.join("|") };
    }
    if label == "O" {
        return;
    }
    if misc == "_" {
        misc.clear();
    }
    if !misc.is_empty() {
        misc.push('|');
    }
    misc.push_str(MISC_KEY);
    misc.push_str(label);
}

/// The entity label in a `misc` column (`O` when there is none).
fn label_of(misc: &str) -> &str {
    misc.split('|').find_map(|item| item.strip_prefix(MISC_KEY)).unwrap_or("O")
}

/// Turns any label sequence into a valid BIO sequence: an `I-X` that does not follow `B-X` or
/// `I-X` becomes `B-X`, and labels that are neither `O`, `B-X` nor `I-X` of a known type become
/// `O`.
pub fn repair_bio(labels: &mut [String]) {
    let mut previous = START;
    for label in labels.iter_mut() {
        let class = label_index(label);
        let class = repaired(previous, class);
        if label != LABELS[class] {
            *label = LABELS[class].to_owned();
        }
        previous = class;
    }
}

/// The entity type of a label suffix.
fn entity_type(kind: &str) -> Option<EntityType> {
    match kind {
        "PER" => Some(EntityType::Person),
        "ORG" => Some(EntityType::Organization),
        "LOC" => Some(EntityType::Location),
        _ => None,
    }
}

/// The entities labelled in the words' `misc` columns, as word index ranges `start..end` (end
/// exclusive) and types. A stray `I-X` starts an entity, as conlleval reads it.
pub fn entities(words: &[Word]) -> Vec<(usize, usize, EntityType)> {
    let labels: Vec<&str> = words.iter().map(|word| label_of(&word.misc)).collect();
    chunks(&labels)
        .into_iter()
        .filter_map(|(start, end, kind)| entity_type(kind).map(|kind| (start, end, kind)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<Word> {
        text.split_whitespace()
            .enumerate()
            .map(|(index, form)| Word { id: index as u32 + 1, form: form.to_owned(), ..Word::default() })
            .collect()
    }

    /// The entities the embedded model finds in `text` (words split at spaces), as text.
    fn found(text: &str) -> Vec<(String, EntityType)> {
        let recognizer = Recognizer::embedded().unwrap();
        let mut words = words(text);
        // The shipped model reads the tagger's tags, as the pipeline runs it.
        crate::tagger::Tagger::embedded().unwrap().tag(&mut words);
        recognizer.recognize(&mut words);
        entities(&words)
            .into_iter()
            .map(|(start, end, kind)| {
                let name: Vec<&str> = words[start..end].iter().map(|word| word.form.as_str()).collect();
                (name.join(" "), kind)
            })
            .collect()
    }

    #[test]
    fn finds_obvious_entities() {
        let entities =
            found("Vietnamese Foreign Minister Bui Thanh Son met his Japanese counterpart in Hanoi on Tuesday .");
        assert!(entities.contains(&("Bui Thanh Son".to_owned(), EntityType::Person)), "{entities:?}");
        assert!(entities.contains(&("Hanoi".to_owned(), EntityType::Location)), "{entities:?}");
        let entities = found("The United Nations said on Monday that aid convoys had reached Gaza .");
        assert!(entities.contains(&("United Nations".to_owned(), EntityType::Organization)), "{entities:?}");
        assert!(entities.contains(&("Gaza".to_owned(), EntityType::Location)), "{entities:?}");
        let entities = found("John Smith works for Microsoft in Seattle .");
        assert!(entities.contains(&("John Smith".to_owned(), EntityType::Person)), "{entities:?}");
        assert!(entities.contains(&("Seattle".to_owned(), EntityType::Location)), "{entities:?}");
    }

    #[test]
    fn output_is_valid_bio_and_round_trips_through_misc() {
        let recognizer = Recognizer::embedded().unwrap();
        let mut words = words("In Paris , President Emmanuel Macron met NATO chief Jens Stoltenberg .");
        words[0].misc = "SpaceAfter=No".to_owned();
        recognizer.recognize(&mut words);
        recognizer.recognize(&mut words);
        assert!(words[0].misc.starts_with("SpaceAfter=No"));
        assert_eq!(words[0].misc.matches(MISC_KEY).count(), 0);
        let labels: Vec<String> = words.iter().map(|word| label_of(&word.misc).to_owned()).collect();
        let mut repaired_labels = labels.clone();
        repair_bio(&mut repaired_labels);
        assert_eq!(labels, repaired_labels);
        assert!(words.iter().all(|word| word.misc.matches(MISC_KEY).count() <= 1));
    }

    #[test]
    fn empty_and_odd_input_does_not_panic() {
        let recognizer = Recognizer::embedded().unwrap();
        recognizer.recognize(&mut []);
        let mut odd = words("ÉÉÉ \u{200b} 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 - 12,5 https://example.com/a?b=c");
        odd.push(Word::default());
        recognizer.recognize(&mut odd);
        assert!(recognizer.labels(&["a"; 300]).len() == 300);
    }

    #[test]
    fn splits_places_written_side_by_side() {
        let split = |text: &str, labels: &[usize]| {
            let mut labels = labels.to_vec();
            split_adjacent_places(&words(text), &mut labels);
            labels
        };
        assert_eq!(split("in San Francisco California", &[0, 5, 6, 6]), [0, 5, 6, 5]);
        assert_eq!(split("Miramar Florida", &[5, 6]), [5, 5]);
        // One place as a whole, or no place before the state: kept.
        assert_eq!(split("New Mexico", &[5, 6]), [5, 6]);
        assert_eq!(split("Papua New Guinea", &[5, 6, 6]), [5, 6, 6]);
        assert_eq!(split("Lake Victoria", &[5, 6]), [5, 6]);
        assert_eq!(split("Acme Texas", &[3, 4]), [3, 4]);
    }

    #[test]
    fn repairs_bio() {
        let mut labels: Vec<String> =
            ["I-PER", "I-PER", "O", "I-LOC", "B-ORG", "I-LOC", "B-MISC", "I-MISC", "I-ORG", "X"]
                .iter()
                .map(|label| (*label).to_owned())
                .collect();
        repair_bio(&mut labels);
        assert_eq!(labels, ["B-PER", "I-PER", "O", "B-LOC", "B-ORG", "B-LOC", "O", "O", "B-ORG", "O"]);
    }

    #[test]
    fn allowed_transitions() {
        assert!(allowed(START, 0) && allowed(START, 1) && !allowed(START, 2));
        assert!(allowed(1, 2) && allowed(2, 2) && !allowed(3, 2) && !allowed(0, 6) && allowed(5, 6));
    }

    #[test]
    fn reads_entities_back_from_misc() {
        let mut words = words("a b c d e");
        for (word, misc) in words.iter_mut().zip(["NE=B-PER", "SpaceAfter=No|NE=I-PER", "_", "NE=I-LOC", "NE=B-ORG"]) {
            word.misc = misc.to_owned();
        }
        assert_eq!(
            entities(&words),
            [(0, 2, EntityType::Person), (3, 4, EntityType::Location), (4, 5, EntityType::Organization)]
        );
    }

    #[test]
    fn misc_labels_are_replaced_not_stacked() {
        let mut misc = "_".to_owned();
        set_label(&mut misc, "B-LOC");
        assert_eq!(misc, "NE=B-LOC");
        set_label(&mut misc, "I-LOC");
        assert_eq!(misc, "NE=I-LOC");
        set_label(&mut misc, "O");
        assert_eq!(misc, "_");
        let mut misc = String::new();
        set_label(&mut misc, "O");
        assert_eq!(misc, "");
        let mut misc = "SpaceAfter=No".to_owned();
        set_label(&mut misc, "B-PER");
        assert_eq!(misc, "SpaceAfter=No|NE=B-PER");
    }
}

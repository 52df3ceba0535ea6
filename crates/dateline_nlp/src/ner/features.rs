//! The recogniser's features. Each word's strings (form, lower case, shape, affixes) are hashed
//! once per sentence; a feature is then a template number mixed with one or two of those hashes,
//! so that extracting a word's features allocates nothing and hashes no string.

use std::ops::Range;

use super::gazetteer::{GAZETTEER, Membership, N_CATEGORIES};
use crate::linear::feature;

/// Class index standing for "before the sentence" in label features.
pub const START: usize = 255;

/// Per-word hashes and flags of a sentence.
#[derive(Clone, Copy, Debug, Default)]
struct WordKeys {
    form: u64,
    lower: u64,
    shape: u64,
    prefixes: [u64; 3],
    suffixes: [u64; 4],
    upos: Option<u64>,
    capitalised: bool,
    gazetteer: Membership,
}

/// Which feature groups are on (all of them at run time; training switches some off to
/// measure them).
#[derive(Clone, Copy, Debug)]
pub struct FeatureSet {
    /// Gazetteer membership of words and spans.
    pub gazetteer: bool,
    /// Universal part-of-speech tags, when the words carry them.
    pub tags: bool,
}

impl Default for FeatureSet {
    fn default() -> FeatureSet {
        FeatureSet { gazetteer: true, tags: true }
    }
}

/// Extracts features of the words of one sentence, reusing its buffers between sentences.
#[derive(Debug, Default)]
pub struct Featurizer {
    /// The feature groups extracted.
    pub set: FeatureSet,
    lower: String,
    lower_spans: Vec<Range<usize>>,
    shape: String,
    words: Vec<WordKeys>,
    membership: Vec<Membership>,
    /// How the sentence uses capitals: 0 ordinary, 1 nearly every word capitalised (a
    /// headline), 2 no capital at all.
    sentence_case: u64,
}

// Template numbers: one per kind of feature.
const T_BIAS: u64 = 1;
const T_FORM: u64 = 2;
const T_LOWER: u64 = 3;
const T_SHAPE: u64 = 4;
const T_PREFIX: u64 = 5;
const T_SUFFIX: u64 = 9;
const T_LOWER_AT: u64 = 14;
const T_SHAPE_AT: u64 = 20;
const T_BIGRAM_LEFT: u64 = 26;
const T_BIGRAM_RIGHT: u64 = 27;
const T_SHAPE_TRIGRAM: u64 = 28;
const T_FIRST_SHAPE: u64 = 29;
const T_GAZ_WORD: u64 = 30;
const T_GAZ_LEFT: u64 = 31;
const T_GAZ_RIGHT: u64 = 32;
const T_GAZ_BEGIN: u64 = 33;
const T_GAZ_INSIDE: u64 = 34;
const T_UPOS: u64 = 35;
const T_UPOS_LEFT: u64 = 36;
const T_UPOS_RIGHT: u64 = 37;
const T_FORM_LEFT: u64 = 38;
const T_FORM_RIGHT: u64 = 39;
const T_PREV: u64 = 40;
const T_PREV_LOWER: u64 = 42;
const T_PREV_SHAPE: u64 = 43;
const T_SUFFIX_RIGHT: u64 = 44;
const T_GAZ_ANY: u64 = 45;
const T_CAPS_WINDOW: u64 = 46;
const T_SENTENCE_CASE: u64 = 47;
const T_UPOS_TRIGRAM: u64 = 48;
const T_UPOS_FAR: u64 = 50;
const T_PREV_GAZ: u64 = 52;
const T_PREV_UPOS: u64 = 53;

/// Hash of the padding "word" before the sentence.
const PAD_LEFT: u64 = 0x5bd1_e995_1234_5678;
/// Hash of the padding "word" after the sentence.
const PAD_RIGHT: u64 = 0x1b87_3593_8765_4321;

/// Mixes a template number with two values into a feature key.
#[inline]
fn mix(template: u64, first: u64, second: u64) -> u64 {
    let mut key = template.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ first;
    key = key.wrapping_mul(0xff51_afd7_ed55_8ccd);
    key ^= key >> 32;
    key ^= second;
    key = key.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    key ^ (key >> 29)
}

/// The shape of a word: `X` for upper case, `x` for lower case, `d` for digits, other
/// characters as they are, runs of the same class shortened to two ("Xxx" for "House",
/// "dd.dd" for "12.50").
fn write_shape(word: &str, out: &mut String) {
    out.clear();
    let mut last = '\0';
    let mut run = 0;
    for character in word.chars().take(24) {
        let class = if character.is_uppercase() {
            'X'
        } else if character.is_lowercase() {
            'x'
        } else if character.is_ascii_digit() {
            'd'
        } else if character.is_alphabetic() {
            'a'
        } else {
            character
        };
        if class == last {
            run += 1;
            if run > 2 {
                continue;
            }
        } else {
            run = 1;
            last = class;
        }
        out.push(class);
    }
}

impl Featurizer {
    /// A featurizer with some feature groups switched off.
    pub fn new(set: FeatureSet) -> Featurizer {
        Featurizer { set, ..Featurizer::default() }
    }

    /// Number of words prepared.
    #[allow(clippy::len_without_is_empty, reason = "only the number of words is ever asked for")]
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Hashes the words of a sentence: `forms` and their universal tags (empty or `_` when
    /// unknown).
    pub fn prepare<'a>(&mut self, forms: impl Iterator<Item = (&'a str, &'a str)>) {
        self.lower.clear();
        self.lower_spans.clear();
        self.words.clear();
        for (form, upos) in forms {
            let start = self.lower.len();
            if form.is_ascii() {
                self.lower.extend(form.bytes().map(|byte| char::from(byte.to_ascii_lowercase())));
            } else {
                self.lower.extend(form.chars().flat_map(char::to_lowercase));
            }
            self.lower_spans.push(start..self.lower.len());
            let lower = &self.lower[start..];
            write_shape(form, &mut self.shape);
            let mut prefixes = [0; 3];
            let mut suffixes = [0; 4];
            let n_chars = lower.chars().count();
            for (length, prefix) in prefixes.iter_mut().enumerate() {
                let end = lower.char_indices().nth(length + 1).map_or(lower.len(), |(index, _)| index);
                *prefix = if length < n_chars { feature(&[&lower.as_bytes()[..end]]) } else { 0 };
            }
            for (length, suffix) in suffixes.iter_mut().enumerate() {
                let start = if length + 1 >= n_chars {
                    0
                } else {
                    lower.char_indices().nth(n_chars - length - 1).map_or(0, |(index, _)| index)
                };
                *suffix = if length < n_chars { feature(&[&lower.as_bytes()[start..]]) } else { 0 };
            }
            let upos = (self.set.tags && !upos.is_empty() && upos != "_").then(|| feature(&[upos.as_bytes()]));
            self.words.push(WordKeys {
                form: feature(&[form.as_bytes()]),
                lower: feature(&[lower.as_bytes()]),
                shape: feature(&[self.shape.as_bytes()]),
                prefixes,
                suffixes,
                upos,
                capitalised: form.chars().next().is_some_and(char::is_uppercase),
                gazetteer: Membership::default(),
            });
        }
        let (mut n_alpha, mut n_capitalised) = (0usize, 0usize);
        for (keys, span) in self.words.iter().zip(&self.lower_spans) {
            let lower = &self.lower[span.clone()];
            if lower.chars().next().is_some_and(char::is_alphabetic) {
                n_alpha += 1;
                n_capitalised += usize::from(keys.capitalised);
            }
        }
        self.sentence_case = if n_alpha >= 3 && n_capitalised * 10 >= n_alpha * 8 {
            1
        } else if n_alpha >= 3 && n_capitalised == 0 {
            2
        } else {
            0
        };
        if self.set.gazetteer {
            let (lower, spans) = (&self.lower, &self.lower_spans);
            GAZETTEER.annotate(|index| &lower[spans[index].clone()], spans.len(), &mut self.membership);
            for (word, membership) in self.words.iter_mut().zip(&self.membership) {
                word.gazetteer = *membership;
            }
        }
    }

    fn keys(&self, index: isize) -> Option<&WordKeys> {
        usize::try_from(index).ok().and_then(|index| self.words.get(index))
    }

    fn lower_at(&self, index: isize) -> u64 {
        self.keys(index).map_or(if index < 0 { PAD_LEFT } else { PAD_RIGHT }, |keys| keys.lower)
    }

    fn shape_at(&self, index: isize) -> u64 {
        self.keys(index).map_or(if index < 0 { PAD_LEFT } else { PAD_RIGHT }, |keys| keys.shape)
    }

    fn form_at(&self, index: isize) -> u64 {
        self.keys(index).map_or(if index < 0 { PAD_LEFT } else { PAD_RIGHT }, |keys| keys.form)
    }

    /// Appends the features of word `index` that do not depend on labels. Training sometimes
    /// leaves out the word's identity (`drop_word`), so that the model also learns from context,
    /// shape and affixes what to do with words it has never seen.
    pub fn word_features(&self, index: usize, drop_word: bool, out: &mut Vec<u64>) {
        let word = &self.words[index];
        let at = index as isize;
        let cap = u64::from(word.capitalised);
        out.push(mix(T_BIAS, 0, 0));
        if !drop_word {
            out.push(mix(T_FORM, word.form, 0));
            out.push(mix(T_LOWER, word.lower, 0));
            out.push(mix(T_BIGRAM_LEFT, self.lower_at(at - 1), word.lower));
            out.push(mix(T_BIGRAM_RIGHT, word.lower, self.lower_at(at + 1)));
        }
        out.push(mix(T_SHAPE, word.shape, 0));
        for (length, &prefix) in word.prefixes.iter().enumerate() {
            if prefix != 0 {
                out.push(mix(T_PREFIX + length as u64, prefix, 0));
            }
        }
        for (length, &suffix) in word.suffixes.iter().enumerate() {
            if suffix != 0 {
                out.push(mix(T_SUFFIX + length as u64, suffix, cap));
            }
        }
        for (slot, offset) in [-2isize, -1, 1, 2].into_iter().enumerate() {
            out.push(mix(T_LOWER_AT + slot as u64, self.lower_at(at + offset), 0));
        }
        for (slot, offset) in [-1isize, 1].into_iter().enumerate() {
            out.push(mix(T_SHAPE_AT + slot as u64, self.shape_at(at + offset), 0));
        }
        out.push(mix(T_FORM_LEFT, self.form_at(at - 1), word.shape));
        out.push(mix(T_FORM_RIGHT, self.form_at(at + 1), word.shape));
        out.push(mix(T_SHAPE_TRIGRAM, self.shape_at(at - 1) ^ self.shape_at(at + 1).rotate_left(17), word.shape));
        if let Some(next) = self.keys(at + 1) {
            out.push(mix(T_SUFFIX_RIGHT, next.suffixes[2], word.shape));
        }
        if index == 0 {
            out.push(mix(T_FIRST_SHAPE, word.shape, 0));
        }
        let mut caps = 0u64;
        for offset in -2isize..=2 {
            caps = caps * 3 + self.keys(at + offset).map_or(2, |keys| u64::from(keys.capitalised));
        }
        out.push(mix(T_CAPS_WINDOW, caps, 0));
        out.push(mix(T_SENTENCE_CASE, self.sentence_case, word.shape));
        if self.set.gazetteer {
            let shape = word.shape;
            push_categories(out, T_GAZ_WORD, word.gazetteer.word, shape);
            push_categories(
                out,
                T_GAZ_ANY,
                word.gazetteer.word | word.gazetteer.span_begin | word.gazetteer.span_inside,
                0,
            );
            push_categories(out, T_GAZ_BEGIN, word.gazetteer.span_begin, shape);
            push_categories(out, T_GAZ_INSIDE, word.gazetteer.span_inside, shape);
            if let Some(left) = self.keys(at - 1) {
                push_categories(out, T_GAZ_LEFT, left.gazetteer.word | left.gazetteer.span_inside, cap);
            }
            if let Some(right) = self.keys(at + 1) {
                push_categories(out, T_GAZ_RIGHT, right.gazetteer.word | right.gazetteer.span_begin, cap);
            }
        }
        if let Some(upos) = word.upos {
            out.push(mix(T_UPOS, upos, cap));
            let left = self.keys(at - 1).map_or(PAD_LEFT, |left| left.upos.unwrap_or(0));
            let right = self.keys(at + 1).map_or(PAD_RIGHT, |right| right.upos.unwrap_or(0));
            out.push(mix(T_UPOS_LEFT, left, upos));
            out.push(mix(T_UPOS_RIGHT, upos, right));
            out.push(mix(T_UPOS_TRIGRAM, left.rotate_left(21) ^ right, upos));
            let far_left = self.keys(at - 2).map_or(PAD_LEFT, |keys| keys.upos.unwrap_or(0));
            let far_right = self.keys(at + 2).map_or(PAD_RIGHT, |keys| keys.upos.unwrap_or(0));
            out.push(mix(T_UPOS_FAR, far_left, upos));
            out.push(mix(T_UPOS_FAR + 1, upos, far_right));
        }
    }

    /// Appends the features of word `index` that depend on the label before it (`START`
    /// before the sentence).
    pub fn label_features(&self, index: usize, previous: usize, out: &mut Vec<u64>) {
        let word = &self.words[index];
        let previous = previous as u64;
        out.push(mix(T_PREV, previous, 0));
        out.push(mix(T_PREV_LOWER, previous, word.lower));
        out.push(mix(T_PREV_SHAPE, previous, word.shape));
        if self.set.gazetteer {
            let bits = word.gazetteer.word | word.gazetteer.span_inside;
            if bits != 0 {
                out.push(mix(T_PREV_GAZ, previous, u64::from(bits)));
            }
        }
        if let Some(upos) = word.upos {
            out.push(mix(T_PREV_UPOS, previous, upos));
        }
    }
}

/// Appends one feature per gazetteer category set in `bits`, combined with `context`.
fn push_categories(out: &mut Vec<u64>, template: u64, bits: u16, context: u64) {
    for category in 0..N_CATEGORIES {
        if bits & (1 << category) != 0 {
            out.push(mix(template, category as u64, context));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        let mut shape = String::new();
        for (word, expected) in [("House", "Xxx"), ("U.S.", "X.X."), ("12.50", "dd.dd"), ("iPhone", "xXxx"), ("", "")] {
            write_shape(word, &mut shape);
            assert_eq!(shape, expected, "{word}");
        }
    }

    #[test]
    fn features_are_deterministic_and_position_aware() {
        let mut featurizer = Featurizer::new(FeatureSet::default());
        featurizer.prepare([("Paris", ""), ("is", ""), ("big", "")].into_iter());
        let mut first = Vec::new();
        featurizer.word_features(0, false, &mut first);
        let mut again = Vec::new();
        featurizer.word_features(0, false, &mut again);
        assert_eq!(first, again);
        let mut second = Vec::new();
        featurizer.word_features(1, false, &mut second);
        assert_ne!(first, second);
        featurizer.prepare([("Ça", "PROPN"), ("é", "X")].into_iter());
        let mut accented = Vec::new();
        featurizer.word_features(1, false, &mut accented);
        assert!(!accented.is_empty());
    }
}

//! Feature templates of the parser, in the style of Zhang and Nivre (2011) adapted to the
//! arc-hybrid system: words and tags of the stack and buffer, leftmost and rightmost children
//! with their labels, valencies, distances and label sets.
//!
//! Each word is hashed once per sentence; a feature is the template number and its values
//! mixed into one 64-bit key, with no string built.

use crate::conllu::Word;
use crate::linear;
use crate::parser::system::{LEFT, NONE, State};

/// The hashed values of a sentence's words, with two extra positions: the root (`n`) and
/// "no word" (`n + 1`).
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    /// Normalised form.
    words: Vec<u64>,
    /// Part of speech (the Penn tag when given, else the universal one).
    tags: Vec<u64>,
    /// Universal part of speech.
    upos: Vec<u64>,
    /// Form and tag together.
    word_tags: Vec<u64>,
    /// Last three characters of the normalised form, with its shape (capitals, digits).
    suffixes: Vec<u64>,
    /// Number of punctuation marks before each position.
    puncts_before: Vec<u32>,
    /// Number of verbs before each position.
    verbs_before: Vec<u32>,
    /// Bytes of the normalised form being hashed.
    scratch: Vec<u8>,
}

impl Tokens {
    /// Number of words hashed.
    pub(crate) fn len(&self) -> u32 {
        self.words.len().saturating_sub(2) as u32
    }

    /// Hashes the words of a sentence, reusing the buffers.
    pub(crate) fn fill(&mut self, words: &[Word]) {
        self.words.clear();
        self.tags.clear();
        self.upos.clear();
        self.word_tags.clear();
        self.puncts_before.clear();
        self.verbs_before.clear();
        self.suffixes.clear();
        let (mut puncts, mut verbs) = (0u32, 0u32);
        for word in words {
            self.puncts_before.push(puncts);
            self.verbs_before.push(verbs);
            puncts += u32::from(word.upos == "PUNCT" || is_punctuation_tag(&word.xpos));
            verbs += u32::from(
                matches!(word.upos.as_str(), "VERB" | "AUX") || word.xpos.starts_with("VB") || word.xpos == "MD",
            );
            self.scratch.clear();
            self.scratch.extend(word.form.bytes().map(|byte| match byte {
                b'0'..=b'9' => b'0',
                _ => byte.to_ascii_lowercase(),
            }));
            let form = linear::feature(&[b"w", &self.scratch]);
            let start = self.scratch.len().saturating_sub(3);
            let shape = [
                u8::from(word.form.starts_with(|c: char| c.is_uppercase())),
                u8::from(word.form.chars().all(|c| !c.is_lowercase())),
                u8::from(word.form.contains(|c: char| c.is_ascii_digit())),
            ];
            self.suffixes.push(linear::feature(&[b"s", &self.scratch[start..], &shape]));
            let xpos = word.xpos.as_str();
            let tag = if xpos.is_empty() || xpos == "_" { word.upos.as_str() } else { xpos };
            let tag = linear::feature(&[b"t", tag.as_bytes()]);
            self.words.push(form);
            self.tags.push(tag);
            self.upos.push(linear::feature(&[b"u", word.upos.as_bytes()]));
            self.word_tags.push(combine(form, tag));
        }
        for marker in [&b"<root>"[..], b"<none>"] {
            self.puncts_before.push(puncts);
            self.verbs_before.push(verbs);
            let value = linear::feature(&[marker]);
            self.suffixes.push(value);
            self.words.push(value);
            self.tags.push(value);
            self.upos.push(value);
            self.word_tags.push(value);
        }
    }
}

/// Whether a Penn Treebank tag marks punctuation.
fn is_punctuation_tag(tag: &str) -> bool {
    matches!(tag, "," | "." | ":" | "``" | "''" | "-LRB-" | "-RRB-" | "HYPH" | "NFP")
}

const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;

fn combine(hash: u64, part: u64) -> u64 {
    (hash.rotate_left(26) ^ part).wrapping_mul(MULTIPLIER)
}

fn avalanche(mut key: u64) -> u64 {
    key ^= key >> 33;
    key = key.wrapping_mul(0xff51_afd7_ed55_8ccd);
    key ^= key >> 33;
    key = key.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    key ^ (key >> 33)
}

/// Appends features, numbering the templates in the order they are written.
struct Sink<'a> {
    out: &'a mut Vec<u64>,
    template: u64,
}

impl Sink<'_> {
    fn start(&mut self) -> u64 {
        self.template += 1;
        combine(0, self.template)
    }

    fn one(&mut self, a: u64) {
        let key = combine(self.start(), a);
        self.out.push(avalanche(key));
    }

    fn two(&mut self, a: u64, b: u64) {
        let key = combine(combine(self.start(), a), b);
        self.out.push(avalanche(key));
    }

    fn three(&mut self, a: u64, b: u64, c: u64) {
        let key = combine(combine(combine(self.start(), a), b), c);
        self.out.push(avalanche(key));
    }

    fn four(&mut self, a: u64, b: u64, c: u64, d: u64) {
        let key = combine(combine(combine(combine(self.start(), a), b), c), d);
        self.out.push(avalanche(key));
    }
}

/// Reads the hashed values of positions in a state.
struct View<'a> {
    tokens: &'a Tokens,
    state: &'a State,
}

impl View<'_> {
    fn at(&self, position: u32) -> usize {
        if position == NONE { self.state.n as usize + 1 } else { position as usize }
    }

    /// How many punctuation marks (`0`, `1`, `2` for more) and whether a verb lie strictly
    /// between two positions, as one value; a fixed value when one is missing.
    fn between(&self, a: u32, b: u32) -> u64 {
        if a == NONE || b == NONE {
            return 99;
        }
        let (first, last) = (a.min(b) as usize, a.max(b) as usize);
        let inside = |counts: &[u32]| counts[last].saturating_sub(counts[(first + 1).min(last)]);
        let puncts = u64::from(inside(&self.tokens.puncts_before).min(2));
        let verbs = u64::from(inside(&self.tokens.verbs_before).min(1));
        puncts * 2 + verbs
    }

    fn suffix(&self, position: u32) -> u64 {
        self.tokens.suffixes[self.at(position)]
    }

    fn w(&self, position: u32) -> u64 {
        self.tokens.words[self.at(position)]
    }

    fn t(&self, position: u32) -> u64 {
        self.tokens.tags[self.at(position)]
    }

    fn u(&self, position: u32) -> u64 {
        self.tokens.upos[self.at(position)]
    }

    fn wt(&self, position: u32) -> u64 {
        self.tokens.word_tags[self.at(position)]
    }

    /// The label of an attached word, 0 when it has none.
    fn l(&self, position: u32) -> u64 {
        if position == NONE || self.state.heads[position as usize] == NONE {
            return 0;
        }
        u64::from(self.state.labels[position as usize]) + 1
    }

    fn child(&self, column: &[u32], position: u32) -> u32 {
        if position == NONE { NONE } else { column[position as usize] }
    }

    fn left1(&self, position: u32) -> u32 {
        self.child(&self.state.left1, position)
    }

    fn left2(&self, position: u32) -> u32 {
        self.child(&self.state.left2, position)
    }

    fn right1(&self, position: u32) -> u32 {
        self.child(&self.state.right1, position)
    }

    fn right2(&self, position: u32) -> u32 {
        self.child(&self.state.right2, position)
    }

    fn valency_left(&self, position: u32) -> u64 {
        if position == NONE { 255 } else { u64::from(self.state.n_left[position as usize]) }
    }

    fn valency_right(&self, position: u32) -> u64 {
        if position == NONE { 255 } else { u64::from(self.state.n_right[position as usize]) }
    }

    fn labels_left(&self, position: u32) -> u64 {
        if position == NONE { u64::MAX } else { self.state.left_labels[position as usize] }
    }

    fn labels_right(&self, position: u32) -> u64 {
        if position == NONE { u64::MAX } else { self.state.right_labels[position as usize] }
    }
}

/// A bucketed distance between two positions, 0 when one is missing.
fn distance(a: u32, b: u32) -> u64 {
    if a == NONE || b == NONE {
        return 0;
    }
    match a.abs_diff(b) {
        gap @ 0..=4 => u64::from(gap) + 1,
        5..=6 => 6,
        7..=9 => 7,
        10..=14 => 8,
        _ => 9,
    }
}

/// The features that choose the next move.
pub(crate) fn move_features(tokens: &Tokens, state: &State, out: &mut Vec<u64>) {
    out.clear();
    let v = View { tokens, state };
    let mut f = Sink { out, template: 0 };
    let (s0, s1, s2) = (state.stack_at(0), state.stack_at(1), state.stack_at(2));
    let (b0, b1, b2, b3) = (state.b0, state.buffer_at(1), state.buffer_at(2), state.buffer_at(3));
    let (s0l, s0l2, s0r, s0r2) = (v.left1(s0), v.left2(s0), v.right1(s0), v.right2(s0));
    let (s1l, s1l2, s1r, s1r2) = (v.left1(s1), v.left2(s1), v.right1(s1), v.right2(s1));
    let (b0l, b0l2) = (v.left1(b0), v.left2(b0));

    f.one(1);
    // Single words.
    for position in [s0, s1, b0, b1] {
        f.one(v.w(position));
        f.one(v.t(position));
        f.one(v.wt(position));
    }
    f.one(v.w(b2));
    f.one(v.t(b2));
    f.one(v.t(b3));
    f.one(v.t(s2));
    f.one(v.wt(s2));
    f.one(v.u(s0));
    f.one(v.u(b0));
    // Pairs of the stack top and the buffer front, and of the two stack tops.
    for (a, b) in [(s0, b0), (s1, s0)] {
        f.two(v.wt(a), v.wt(b));
        f.two(v.wt(a), v.w(b));
        f.two(v.w(a), v.wt(b));
        f.two(v.wt(a), v.t(b));
        f.two(v.t(a), v.wt(b));
        f.two(v.w(a), v.w(b));
        f.two(v.t(a), v.t(b));
    }
    f.two(v.t(s1), v.t(b0));
    f.two(v.w(s1), v.w(b0));
    f.two(v.wt(s1), v.t(b0));
    f.two(v.t(s1), v.wt(b0));
    f.two(v.t(b0), v.t(b1));
    f.two(v.w(b0), v.w(b1));
    f.two(v.wt(b0), v.t(b1));
    f.two(v.t(b0), v.wt(b1));
    // Tag trigrams.
    f.three(v.t(b0), v.t(b1), v.t(b2));
    f.three(v.t(s0), v.t(b0), v.t(b1));
    f.three(v.t(s1), v.t(s0), v.t(b0));
    f.three(v.t(s2), v.t(s1), v.t(s0));
    f.three(v.t(s1), v.t(s0), v.t(b1));
    f.three(v.t(s2), v.t(s1), v.t(b0));
    f.three(v.t(s0), v.t(s0l), v.t(b0));
    f.three(v.t(s0), v.t(s0r), v.t(b0));
    f.three(v.t(s0), v.t(b0), v.t(b0l));
    f.three(v.t(s1), v.t(s0), v.t(s0l));
    f.three(v.t(s1), v.t(s0), v.t(s0r));
    f.three(v.t(s1), v.t(s1r), v.t(s0));
    f.three(v.t(s1), v.t(s1l), v.t(s0));
    f.three(v.t(s1), v.t(s0), v.t(b0l));
    // Distances.
    let near = distance(s0, b0);
    let inner = distance(s1, s0);
    f.two(v.w(s0), near);
    f.two(v.t(s0), near);
    f.two(v.w(b0), near);
    f.two(v.t(b0), near);
    f.three(v.w(s0), v.w(b0), near);
    f.three(v.t(s0), v.t(b0), near);
    f.two(v.w(s1), inner);
    f.two(v.t(s1), inner);
    f.two(v.w(s0), inner);
    f.two(v.t(s0), inner);
    f.three(v.w(s1), v.w(s0), inner);
    f.three(v.t(s1), v.t(s0), inner);
    f.four(v.t(s1), v.t(s0), v.t(b0), inner);
    // Word endings and upper-case, which hold when a tag is wrong.
    for position in [s0, s1, b0, b1] {
        f.one(v.suffix(position));
    }
    f.two(v.suffix(s0), v.suffix(b0));
    f.two(v.suffix(s1), v.suffix(s0));
    f.two(v.suffix(s0), v.t(b0));
    f.two(v.t(s0), v.suffix(b0));
    f.three(v.u(s1), v.u(s0), v.u(b0));
    f.two(v.u(s0), v.u(b0));
    f.two(v.u(s1), v.u(s0));
    // What lies between the words compared: commas, other marks, verbs.
    let near_between = v.between(s0, b0);
    let inner_between = v.between(s1, s0);
    f.three(v.t(s0), v.t(b0), near_between);
    f.three(v.t(s1), v.t(s0), inner_between);
    f.three(v.w(s0), v.t(b0), near_between);
    f.three(v.t(s1), v.w(s0), inner_between);
    f.four(v.t(s1), v.t(s0), v.t(b0), inner_between * 8 + near_between);
    // Valencies.
    for position in [s0, s1] {
        f.two(v.w(position), v.valency_left(position));
        f.two(v.t(position), v.valency_left(position));
        f.two(v.w(position), v.valency_right(position));
        f.two(v.t(position), v.valency_right(position));
    }
    f.two(v.w(b0), v.valency_left(b0));
    f.two(v.t(b0), v.valency_left(b0));
    // Children.
    for position in [s0l, s0r, s1l, s1r, b0l, s0l2, s0r2, s1r2, s1l2, b0l2] {
        f.one(v.w(position));
        f.one(v.t(position));
        f.one(v.l(position));
    }
    f.three(v.t(s0), v.l(s0l), v.l(s0l2));
    f.three(v.t(s0), v.l(s0r), v.l(s0r2));
    f.three(v.t(s1), v.l(s1r), v.l(s1r2));
    f.three(v.t(b0), v.l(b0l), v.l(b0l2));
    f.three(v.t(s0), v.t(s0l), v.t(s0l2));
    f.three(v.t(s0), v.t(s0r), v.t(s0r2));
    f.three(v.t(s1), v.t(s1r), v.t(s1r2));
    f.three(v.t(b0), v.t(b0l), v.t(b0l2));
    f.three(v.t(s0), v.l(s0l), v.t(b0));
    f.three(v.t(s0), v.l(s0r), v.t(b0));
    f.three(v.t(s1), v.l(s1r), v.t(s0));
    f.three(v.t(s1), v.t(s0), v.l(s0r));
    f.three(v.t(s1), v.t(s0), v.l(s0l));
    // Label sets.
    for position in [s0, s1] {
        f.two(v.w(position), v.labels_left(position));
        f.two(v.t(position), v.labels_left(position));
        f.two(v.w(position), v.labels_right(position));
        f.two(v.t(position), v.labels_right(position));
    }
    f.two(v.w(b0), v.labels_left(b0));
    f.two(v.t(b0), v.labels_left(b0));
    f.three(v.t(s1), v.labels_right(s1), v.t(s0));
    f.three(v.t(s0), v.labels_left(s0), v.t(b0));
}

/// The features that choose the label of the arc `mv` adds (its dependent is the stack top,
/// its head the buffer front for `LEFT`, the next word on the stack for `RIGHT`).
pub(crate) fn label_features(tokens: &Tokens, state: &State, mv: usize, out: &mut Vec<u64>) {
    out.clear();
    let v = View { tokens, state };
    let direction = if mv == LEFT { 0 } else { 1 << 20 };
    let mut f = Sink { out, template: direction };
    let (dependent, head) = state.arc(mv);
    let (d, h) = (dependent, head);
    let (dl, dl2, dr, dr2) = (v.left1(d), v.left2(d), v.right1(d), v.right2(d));
    let (hl, hr) = (v.left1(h), v.right1(h));
    let before = |position: u32| if position == NONE || position == 0 { NONE } else { position - 1 };
    let after = |position: u32| if position == NONE || position >= state.n { NONE } else { position + 1 };
    let gap = distance(d, h);

    f.one(1);
    f.one(v.w(d));
    f.one(v.t(d));
    f.one(v.wt(d));
    f.one(v.u(d));
    f.one(v.w(h));
    f.one(v.t(h));
    f.one(v.wt(h));
    f.two(v.t(d), v.t(h));
    f.two(v.w(d), v.t(h));
    f.two(v.t(d), v.w(h));
    f.two(v.w(d), v.w(h));
    f.two(v.wt(d), v.wt(h));
    f.three(v.t(d), v.t(h), gap);
    f.two(v.w(d), gap);
    f.one(v.suffix(d));
    f.two(v.suffix(d), v.t(h));
    f.two(v.u(d), v.u(h));
    f.three(v.t(d), v.t(h), v.between(d, h));
    f.two(v.t(h), gap);
    // The dependent's own dependents, all known once it is attached.
    for child in [dl, dr, dl2, dr2] {
        f.one(v.l(child));
        f.two(v.t(d), v.l(child));
        f.two(v.t(child), v.l(child));
    }
    f.two(v.w(dl), v.t(d));
    f.three(v.w(dl), v.t(d), v.t(h));
    f.two(v.w(dl), v.w(h));
    f.two(v.w(dr), v.t(d));
    f.three(v.t(d), v.l(dl), v.l(dr));
    f.three(v.t(d), v.t(h), v.l(dl));
    f.three(v.t(d), v.t(h), v.l(dr));
    f.one(v.labels_left(d));
    f.one(v.labels_right(d));
    f.two(v.t(d), v.labels_left(d));
    f.two(v.t(d), v.labels_right(d));
    f.three(v.t(d), v.t(h), v.labels_left(d));
    f.three(v.t(d), v.t(h), v.labels_right(d));
    f.two(v.w(d), v.labels_left(d));
    f.two(v.valency_left(d), v.valency_right(d));
    // What the head already has.
    f.two(v.t(h), v.labels_left(h));
    f.two(v.t(h), v.labels_right(h));
    f.three(v.t(d), v.t(h), v.labels_left(h));
    f.three(v.t(d), v.t(h), v.labels_right(h));
    f.two(v.t(h), v.l(hl));
    f.two(v.t(h), v.l(hr));
    f.three(v.t(d), v.t(h), v.l(hl));
    f.three(v.t(d), v.t(h), v.w(hl));
    // Neighbours and context.
    f.two(v.t(d), v.t(before(d)));
    f.two(v.t(d), v.t(after(d)));
    f.three(v.t(d), v.t(h), v.t(before(d)));
    f.three(v.t(d), v.t(h), v.t(after(d)));
    f.two(v.t(h), v.t(before(h)));
    f.two(v.t(h), v.t(after(h)));
    f.two(v.w(before(d)), v.t(d));
    f.three(v.t(d), v.t(h), v.t(state.buffer_at(if mv == LEFT { 1 } else { 0 })));
    f.three(v.t(d), v.t(h), v.t(state.stack_at(if mv == LEFT { 1 } else { 2 })));
}

//! The dependency parser: fills `head` and `deprel` of tagged words with a Universal
//! Dependencies tree (basic relations with their subtypes, `nmod:poss`, `compound:prt`).
//!
//! A greedy arc-hybrid transition parser (module `system`) with two linear models: one
//! picks the move (shift, left arc, right arc), the other the relation of each arc as it is
//! made. Both are averaged perceptrons trained with the dynamic oracle and error exploration
//! on the English Web Treebank. Every sentence gets a projective tree with exactly one word
//! under the root, whatever the input.
//!
//! On the EWT test set (gold tokens, punctuation included) it scores UAS 85.7 and LAS 82.8
//! with the project's tagger (`cargo xtask gate`), parsing over 200,000 words a second on one
//! thread (`parser::tests::ewt_scores` measures it, with gold tags too). The shipped model is
//! trained on EWT train and dev together, for the number of epochs dev chose for a model
//! trained on train alone.
//!
//! The model file holds the two linear models one after the other:
//!
//! ```text
//! magic "DLP1" | moves length u32 | moves model | labels length u32 | labels model
//! ```

mod features;
mod system;
mod train;

use crate::conllu::Word;
use crate::linear::{self, Linear, ModelError};
use features::Tokens;
use system::{LEFT, MOVE_NAMES, N_MOVES, NONE, RIGHT, State};

pub use train::{TrainError, train};

/// The file magic of the parser's model container.
const MAGIC: &[u8; 4] = b"DLP1";
/// The kind of the move model.
const MOVES_KIND: &str = "parser";
/// The kind of the label model.
const LABELS_KIND: &str = "parser-labels";
/// The relation of the word under the root.
const ROOT_LABEL: &str = "root";

/// A trained dependency parser.
#[derive(Clone, Debug)]
pub struct Parser {
    moves: Linear,
    /// The move model laid out for speed.
    dense_moves: DenseMoves,
    labels: Linear,
    root_label: u16,
}

/// The move model as one dense table, a row of weights per bucket, so that each feature costs
/// one memory access where the sparse [`Linear`] needs two.
#[derive(Clone, Debug)]
struct DenseMoves {
    mask: usize,
    rows: Vec<[i16; 4]>,
}

impl DenseMoves {
    fn new(moves: &Linear) -> DenseMoves {
        let buckets = 1usize << moves.bits();
        let mut rows = vec![[0i16; 4]; buckets];
        for (bucket, row) in rows.iter_mut().enumerate() {
            if let Some(weights) = moves.bucket_weights(bucket) {
                row[..N_MOVES].copy_from_slice(weights);
            }
        }
        DenseMoves { mask: buckets - 1, rows }
    }

    fn scores(&self, features: &[u64]) -> [f32; N_MOVES] {
        let mut totals = [0i32; N_MOVES];
        for &key in features {
            let row = &self.rows[key as usize & self.mask];
            for (total, &weight) in totals.iter_mut().zip(row) {
                *total += i32::from(weight);
            }
        }
        totals.map(|total| total as f32)
    }
}

/// Buffers reused from one sentence to the next.
#[derive(Debug, Default)]
struct Scratch {
    tokens: Tokens,
    state: State,
    features: Vec<u64>,
    scores: Vec<f32>,
}

impl Parser {
    /// The parser trained by the project, embedded in the binary.
    pub fn embedded() -> Result<Parser, ModelError> {
        Parser::from_bytes(include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../resources/models/parser.dlm")))
    }

    /// Reads a model file written by training.
    pub fn from_bytes(bytes: &[u8]) -> Result<Parser, ModelError> {
        let rest = bytes
            .strip_prefix(MAGIC)
            .ok_or_else(|| ModelError::Format("not a parser model (magic DLP1 missing)".to_owned()))?;
        let (moves, rest) = split_part(rest)?;
        let (labels, rest) = split_part(rest)?;
        if !rest.is_empty() {
            return Err(ModelError::Format(format!("{} stray bytes after the parser model", rest.len())));
        }
        let moves = Linear::read(moves, MOVES_KIND)?;
        let labels = Linear::read(labels, LABELS_KIND)?;
        Parser::new(moves, labels)
    }

    fn new(moves: Linear, labels: Linear) -> Result<Parser, ModelError> {
        if moves.labels() != MOVE_NAMES {
            return Err(ModelError::Format(format!("unexpected parser moves {:?}", moves.labels())));
        }
        let root_label = labels
            .labels()
            .iter()
            .position(|label| label == ROOT_LABEL)
            .and_then(|index| u16::try_from(index).ok())
            .ok_or_else(|| ModelError::Format("the parser has no root relation".to_owned()))?;
        let dense_moves = DenseMoves::new(&moves);
        Ok(Parser { moves, dense_moves, labels, root_label })
    }

    /// Writes the model file that [`Parser::from_bytes`] reads.
    fn to_bytes(&self) -> std::io::Result<Vec<u8>> {
        let mut bytes = MAGIC.to_vec();
        for model in [&self.moves, &self.labels] {
            let mut part = Vec::new();
            model.write(&mut part)?;
            let len = u32::try_from(part.len()).map_err(|_| std::io::Error::other("parser model part too large"))?;
            bytes.extend_from_slice(&len.to_le_bytes());
            bytes.extend_from_slice(&part);
        }
        Ok(bytes)
    }

    /// The relations the parser can assign.
    pub fn relations(&self) -> &[String] {
        self.labels.labels()
    }

    /// Fills `head` (1-based, 0 for the root) and `deprel` of every word, reading `form`,
    /// `upos` and `xpos`. The result is always a tree with exactly one word under the root.
    pub fn parse(&self, words: &mut [Word]) {
        thread_local! {
            /// Each thread's buffers, kept from one sentence to the next.
            static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
        }
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => self.parse_with(words, &mut scratch),
            Err(_) => self.parse_with(words, &mut Scratch::default()),
        });
    }

    fn parse_with(&self, words: &mut [Word], scratch: &mut Scratch) {
        let Ok(n) = u32::try_from(words.len()) else { return };
        if n == 0 || n >= NONE - 2 {
            return;
        }
        scratch.tokens.fill(words);
        self.run(scratch);
        let state = &scratch.state;
        for (index, word) in words.iter_mut().enumerate() {
            let head = state.heads[index];
            word.head = if head == NONE || head >= n { 0 } else { head + 1 };
            let label = usize::from(state.labels[index]);
            word.deprel.clear();
            word.deprel.push_str(self.labels.labels().get(label).map_or(ROOT_LABEL, String::as_str));
        }
    }

    /// Parses the words already hashed into `scratch.tokens`, leaving the tree in
    /// `scratch.state`.
    fn run(&self, scratch: &mut Scratch) {
        let Scratch { tokens, state, features, scores } = scratch;
        let n = tokens.len();
        state.reset(n);
        scores.resize(self.labels.n_classes(), 0.0);
        while !state.is_terminal() {
            features::move_features(tokens, state, features);
            let move_scores = self.dense_moves.scores(features);
            let mv = linear::argmax(&move_scores, |mv| state.is_valid(mv));
            let label = if mv == LEFT || mv == RIGHT { self.label(tokens, state, mv, features, scores) } else { 0 };
            state.apply(mv, label);
        }
    }

    fn label(&self, tokens: &Tokens, state: &State, mv: usize, features: &mut Vec<u64>, scores: &mut [f32]) -> u16 {
        let (_, head) = state.arc(mv);
        if head == state.n {
            return self.root_label;
        }
        features::label_features(tokens, state, mv, features);
        self.labels.scores(features, scores);
        let root = usize::from(self.root_label);
        linear::argmax(scores, |label| label != root) as u16
    }
}

/// Splits a length-prefixed part off the front of `bytes`.
fn split_part(bytes: &[u8]) -> Result<(&[u8], &[u8]), ModelError> {
    let truncated = || ModelError::Format("truncated parser model".to_owned());
    let (len, rest) = bytes.split_first_chunk::<4>().ok_or_else(truncated)?;
    let len = u32::from_le_bytes(*len) as usize;
    if rest.len() < len {
        return Err(truncated());
    }
    Ok(rest.split_at(len))
}

#[cfg(test)]
mod tests;

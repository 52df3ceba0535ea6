//! Sentences, tokens, parts of speech, lemmas, a Universal Dependencies parse and named
//! entities, from models the project trains itself on the treebanks in `../shared/data`.
//!
//! The components share one representation of a sentence, [`conllu::ConlluSentence`]: the
//! tokenizer produces its words, the tagger fills `upos` and `xpos`, the lemmatizer `lemma`,
//! the parser `head` and `deprel`, the recognizer writes `NE=B-PER`-style labels into `misc`.
//! Training reads gold sentences of the same type, so what is trained is what runs. Every
//! model is a [`linear::Linear`] (hashed features, averaged perceptron, quantised, gzip),
//! embedded in the binary.

#![deny(missing_docs)]

pub mod conllu;
pub mod eval;
pub mod lemma;
pub mod linear;
pub mod ner;
pub mod parser;
pub mod pipeline;
pub mod sentence;
pub mod tagger;
pub mod tokenize;

use std::path::PathBuf;

/// Where training reads its data and writes its model.
#[derive(Clone, Debug)]
pub struct TrainOptions {
    /// The folder holding `ud-english-ewt/`, `uner-english-ewt/`, `wikigold/`.
    pub data_dir: PathBuf,
    /// The folder the model file is written to (`resources/models`).
    pub out_dir: PathBuf,
    /// Seed for every random choice (example order), so that training is reproducible.
    pub seed: u64,
    /// Passes over the training data; `None` for the component's default.
    pub epochs: Option<usize>,
}

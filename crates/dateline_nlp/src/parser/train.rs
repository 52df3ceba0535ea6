//! Training of the parser on the English Web Treebank: averaged perceptrons, the dynamic
//! oracle with error exploration, attachment scores on the dev set after every epoch, and the
//! best epoch kept; then the model is trained again on train and dev for that many epochs
//! (EWT test, 2026-11-28: UAS 85.51 → 85.73, LAS 82.43 → 82.77 against the train-only model).

use std::collections::BTreeSet;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::TrainOptions;
use crate::conllu::{self, ConlluSentence};
use crate::linear::{self, ModelError, Trainer};
use crate::parser::features::{self, Tokens};
use crate::parser::system::{LEFT, MOVE_NAMES, N_MOVES, RIGHT, State};
use crate::parser::{LABELS_KIND, MOVES_KIND, Parser, ROOT_LABEL, Scratch};

/// Hash bits of the move model (three classes a row).
const MOVE_BITS: u8 = 22;
/// Hash bits of the label model (one class per relation).
const LABEL_BITS: u8 = 20;
/// Move rows whose largest averaged weight (in updates) is below this are dropped from the
/// shipped model: measured, no loss on dev and a smaller file.
const MOVE_PRUNE: f32 = 0.5;
/// Label rows below this are dropped: a model of 17,500 rows instead of 230,000, 0.1 LAS
/// lower on dev and test, and parsing 40% faster, the label rows fitting in cache.
const LABEL_PRUNE: f32 = 3.0;
/// Passes over the training set when the options name none.
const DEFAULT_EPOCHS: usize = 25;
/// Epochs trained on the oracle's path before exploring the model's own mistakes.
const EXPLORE_AFTER: usize = 1;
/// How often a wrong move of the model is followed once exploring.
const EXPLORE_PROBABILITY: f64 = 0.9;
/// Folds of the training set tagged by a tagger trained on the others, `None` to train on gold
/// tags. Measured with 3 folds: +0.1 UAS and LAS on dev with predicted tags, -1 with gold tags,
/// a model 30% larger and five times the training time; so off. (Tagging the training set with
/// the final tagger, alone or mixed with gold tags, changed nothing, a tagger making few mistakes on its own training data.)
const JACKKNIFE_FOLDS: Option<usize> = None;
/// A relation outside the label set (never learned).
const UNKNOWN_LABEL: u16 = u16::MAX;

/// Training that could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TrainError {
    /// A data file could not be read.
    #[error("reading {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A data file is not valid CoNLL-U.
    #[error("{path}: {source}")]
    Conllu {
        /// The file.
        path: PathBuf,
        /// Where and why.
        source: conllu::ParseError,
    },
    /// A data file holds no usable sentence.
    #[error("{path}: no sentences to train on")]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The trained model could not be assembled.
    #[error("assembling the parser model: {0}")]
    Model(#[from] ModelError),
    /// A tagger could not be trained: the one whose tags dev is parsed with, or one for
    /// jackknifed training tags.
    #[error("training a tagger: {0}")]
    Tagger(String),
    /// The model file could not be written.
    #[error("writing {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// A training sentence: its hashed words and gold tree.
struct Example {
    tokens: Tokens,
    /// Gold head of each word, `n` for the root.
    heads: Vec<u32>,
    /// Gold relation id of each word.
    labels: Vec<u16>,
}

/// Attachment scores over a set of sentences.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Scores {
    /// Words scored.
    pub(crate) words: usize,
    /// Words with the right head.
    pub(crate) heads: usize,
    /// Words with the right head and relation (with subtype).
    pub(crate) labelled: usize,
    /// Words with the right head and universal relation (the part before `:`).
    pub(crate) universal: usize,
}

impl Scores {
    /// Unlabelled attachment score, in percent.
    pub(crate) fn uas(&self) -> f64 {
        percent(self.heads, self.words)
    }

    /// Labelled attachment score on full relations, in percent.
    pub(crate) fn las(&self) -> f64 {
        percent(self.labelled, self.words)
    }

    /// Labelled attachment score on universal relations, in percent.
    pub(crate) fn las_universal(&self) -> f64 {
        percent(self.universal, self.words)
    }
}

impl fmt::Display for Scores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UAS {:.2} LAS {:.2} (universal {:.2})", self.uas(), self.las(), self.las_universal())
    }
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { 100.0 * part as f64 / whole as f64 }
}

/// Parses `sentences` (their words as given, with their tags) and compares with their trees,
/// punctuation included.
pub(crate) fn attachment_scores(parser: &Parser, sentences: &[ConlluSentence]) -> Scores {
    let mut scores = Scores::default();
    let mut scratch = Scratch::default();
    let mut words = Vec::new();
    for sentence in sentences {
        words.clone_from(&sentence.words);
        parser.parse_with(&mut words, &mut scratch);
        for (parsed, gold) in words.iter().zip(&sentence.words) {
            scores.words += 1;
            if parsed.head != gold.head {
                continue;
            }
            scores.heads += 1;
            scores.labelled += usize::from(parsed.deprel == gold.deprel);
            scores.universal += usize::from(universal(&parsed.deprel) == universal(&gold.deprel));
        }
    }
    scores
}

fn universal(relation: &str) -> &str {
    relation.split_once(':').map_or(relation, |(universal, _)| universal)
}

/// Trains the parser on `{data_dir}/ud-english-ewt`, keeps the epoch with the best dev LAS
/// (on the tags of the project's tagger trained on train alone), trains it again on train and
/// dev for that epoch unless `DATELINE_PARSER_REFIT=0`, writes `{out_dir}/parser.dlm` and
/// returns a report.
pub fn train(options: &TrainOptions) -> Result<String, TrainError> {
    let started = Instant::now();
    let folder = options.data_dir.join("ud-english-ewt");
    let train_path = folder.join("en_ewt-ud-train.conllu");
    let train_sentences = read(&train_path)?;
    let dev_sentences = read(&folder.join("en_ewt-ud-dev.conllu"))?;
    let mut label_set: BTreeSet<&str> = train_sentences
        .iter()
        .flat_map(|sentence| sentence.words.iter().map(|word| word.deprel.as_str()))
        .filter(|label| !label.is_empty() && *label != "_")
        .collect();
    label_set.insert(ROOT_LABEL);
    let label_names: Vec<String> = label_set.into_iter().map(str::to_owned).collect();
    // Pick the epoch on dev as it will be parsed: with the project's tagger, trained here on
    // train alone (the shipped one has seen dev).
    let tagger = crate::tagger::train_without_dev(&train_sentences, &train_path, &dev_sentences, options.seed)
        .map_err(|error| TrainError::Tagger(error.to_string()))?;
    let mut dev_tagged = dev_sentences.clone();
    for sentence in &mut dev_tagged {
        tagger.tag(&mut sentence.words);
    }
    let train_tagged = match JACKKNIFE_FOLDS {
        Some(folds) => jackknife_tags(options, &train_sentences, folds.max(2))?,
        None => train_sentences.clone(),
    };
    let examples: Vec<Example> = train_tagged.iter().filter_map(|sentence| example(sentence, &label_names)).collect();
    let root_label = label_names.iter().position(|label| label == ROOT_LABEL).unwrap_or(0) as u16;
    let move_names: Vec<String> = MOVE_NAMES.iter().map(|name| (*name).to_owned()).collect();

    let mut report = String::new();
    let _ = writeln!(
        report,
        "parser: {} training sentences ({} words), {} dev sentences, {} relations",
        examples.len(),
        examples.iter().map(|example| example.heads.len()).sum::<usize>(),
        dev_sentences.len(),
        label_names.len()
    );
    let finish = |moves: &Trainer, relations: &Trainer| {
        Parser::new(
            moves.averaged(MOVES_KIND, move_names.clone(), MOVE_PRUNE),
            relations.averaged(LABELS_KIND, label_names.clone(), LABEL_PRUNE),
        )
    };
    let mut best: Option<(Scores, usize, Parser)> = None;
    let mut failure = None;
    fit(
        &examples,
        options.epochs.unwrap_or(DEFAULT_EPOCHS),
        options.seed,
        root_label,
        label_names.len(),
        |epoch, moves, relations| {
            let parser = match finish(moves, relations) {
                Ok(parser) => parser,
                Err(error) => {
                    failure.get_or_insert(error);
                    return;
                }
            };
            let gold_scores = attachment_scores(&parser, &dev_sentences);
            let scores = attachment_scores(&parser, &dev_tagged);
            let line = format!(
                "epoch {epoch:>2}: dev gold tags {gold_scores}, predicted {scores} [{:.0} s]",
                started.elapsed().as_secs_f64()
            );
            eprintln!("{line}");
            let _ = writeln!(report, "{line}");
            if best.as_ref().is_none_or(|(best_scores, _, _)| scores.las() > best_scores.las()) {
                best = Some((scores, epoch, parser));
            }
        },
    );
    if let Some(error) = failure {
        return Err(error.into());
    }
    let Some((scores, epoch, mut parser)) = best else {
        return Ok(report + "no epoch trained; no model written\n");
    };
    if refit_with_dev() {
        // Every choice made on dev, the model shipped is trained again from the same seed for
        // the chosen number of epochs on train and dev together; dev then measures nothing.
        let dev_examples = dev_sentences.iter().filter_map(|sentence| example(sentence, &label_names));
        let all: Vec<Example> = examples.into_iter().chain(dev_examples).collect();
        let (moves, relations) = fit(&all, epoch, options.seed, root_label, label_names.len(), |_, _, _| {});
        parser = finish(&moves, &relations)?;
        let _ = writeln!(
            report,
            "refit on train and dev ({} sentences) for {epoch} epochs [{:.0} s]",
            all.len(),
            started.elapsed().as_secs_f64()
        );
    }
    let path = options.out_dir.join("parser.dlm");
    let bytes = parser.to_bytes().map_err(|source| TrainError::Write { path: path.clone(), source })?;
    std::fs::create_dir_all(&options.out_dir).map_err(|source| TrainError::Write { path: path.clone(), source })?;
    std::fs::write(&path, &bytes).map_err(|source| TrainError::Write { path: path.clone(), source })?;
    let _ = writeln!(
        report,
        "kept epoch {epoch}: dev predicted tags {scores}; {} move rows, {} label rows, {:.1} MB at {} [{:.0} s]",
        parser.moves.n_rows(),
        parser.labels.n_rows(),
        bytes.len() as f64 / 1e6,
        path.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(report)
}

/// Whether the shipped model is trained again on train and dev once dev has chosen its
/// epoch: `DATELINE_PARSER_REFIT` (`1`, the default, or `0` to ship the train-only model).
fn refit_with_dev() -> bool {
    std::env::var("DATELINE_PARSER_REFIT").map_or(true, |value| value.trim() != "0")
}

/// Trains the move and relation models over `examples` for `epochs` passes from `seed`,
/// calling `after_epoch` with the epoch number (from 1) and both models after each pass.
fn fit(
    examples: &[Example],
    epochs: usize,
    seed: u64,
    root_label: u16,
    n_labels: usize,
    mut after_epoch: impl FnMut(usize, &Trainer, &Trainer),
) -> (Trainer, Trainer) {
    let mut moves = Trainer::new(N_MOVES, MOVE_BITS);
    let mut relations = Trainer::new(n_labels, LABEL_BITS);
    let mut rng = Rng::new(seed);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut learner = Learner { state: State::default(), features: Vec::new(), scores: Vec::new(), root_label };
    for epoch in 0..epochs {
        rng.shuffle(&mut order);
        let explore = if epoch >= EXPLORE_AFTER { EXPLORE_PROBABILITY } else { 0.0 };
        for &index in &order {
            learner.learn(&examples[index], &mut moves, &mut relations, &mut rng, explore);
        }
        after_epoch(epoch + 1, &moves, &relations);
    }
    (moves, relations)
}

/// Tags the training set as the project's tagger would tag unseen text: trains the tagger on
/// all folds but one (in a temporary folder) and tags the one left out, for each fold.
fn jackknife_tags(
    options: &TrainOptions,
    sentences: &[ConlluSentence],
    folds: usize,
) -> Result<Vec<ConlluSentence>, TrainError> {
    let scratch = std::env::temp_dir().join(format!("dateline-parser-jackknife-{}", std::process::id()));
    let fold_of = |index: usize| index * folds / sentences.len().max(1);
    let mut tagged = sentences.to_vec();
    let result = (|| {
        for fold in 0..folds {
            let folder = scratch.join(fold.to_string());
            let treebank = folder.join("ud-english-ewt");
            std::fs::create_dir_all(&treebank)
                .map_err(|source| TrainError::Write { path: treebank.clone(), source })?;
            let rest: Vec<ConlluSentence> = sentences
                .iter()
                .enumerate()
                .filter(|&(index, _)| fold_of(index) != fold)
                .map(|(_, sentence)| sentence.clone())
                .collect();
            let train_path = treebank.join("en_ewt-ud-train.conllu");
            std::fs::write(&train_path, conllu::write(&rest))
                .map_err(|source| TrainError::Write { path: train_path, source })?;
            let dev_from = options.data_dir.join("ud-english-ewt/en_ewt-ud-dev.conllu");
            let dev_path = treebank.join("en_ewt-ud-dev.conllu");
            std::fs::copy(&dev_from, &dev_path).map_err(|source| TrainError::Read { path: dev_from, source })?;
            let fold_options =
                TrainOptions { data_dir: folder.clone(), out_dir: folder.clone(), seed: options.seed, epochs: None };
            crate::tagger::train(&fold_options).map_err(|error| TrainError::Tagger(error.to_string()))?;
            let model_path = folder.join("tagger.dlm");
            let bytes = std::fs::read(&model_path).map_err(|source| TrainError::Read { path: model_path, source })?;
            let tagger = crate::tagger::Tagger::from_bytes(&bytes)?;
            for (index, sentence) in tagged.iter_mut().enumerate() {
                if fold_of(index) == fold {
                    tagger.tag(&mut sentence.words);
                }
            }
            eprintln!("parser: jackknife fold {} of {folds} tagged", fold + 1);
        }
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    result.map(|()| tagged)
}

/// Reads a CoNLL-U file.
pub(crate) fn read(path: &Path) -> Result<Vec<ConlluSentence>, TrainError> {
    let text = std::fs::read_to_string(path).map_err(|source| TrainError::Read { path: path.to_owned(), source })?;
    let sentences = conllu::parse(&text).map_err(|source| TrainError::Conllu { path: path.to_owned(), source })?;
    if sentences.is_empty() {
        return Err(TrainError::Empty { path: path.to_owned() });
    }
    Ok(sentences)
}

/// The training form of a sentence, or `None` when its tree is malformed.
fn example(sentence: &ConlluSentence, label_names: &[String]) -> Option<Example> {
    let n = u32::try_from(sentence.words.len()).ok()?;
    if n == 0 {
        return None;
    }
    let mut heads = Vec::with_capacity(n as usize);
    let mut labels = Vec::with_capacity(n as usize);
    for word in &sentence.words {
        let head = match word.head {
            0 => n,
            head if head <= n => head - 1,
            _ => return None,
        };
        heads.push(head);
        let label = label_names.iter().position(|name| *name == word.deprel);
        labels.push(label.map_or(UNKNOWN_LABEL, |label| label as u16));
    }
    if heads.iter().filter(|&&head| head == n).count() != 1 {
        return None;
    }
    let mut tokens = Tokens::default();
    tokens.fill(&sentence.words);
    Some(Example { tokens, heads, labels })
}

/// The buffers of one training pass.
struct Learner {
    state: State,
    features: Vec<u64>,
    scores: Vec<f32>,
    root_label: u16,
}

impl Learner {
    /// Parses one sentence with the models being trained, updating them wherever a move
    /// loses a gold arc the best move would keep, or a correct arc gets a wrong relation.
    fn learn(&mut self, example: &Example, moves: &mut Trainer, relations: &mut Trainer, rng: &mut Rng, explore: f64) {
        let Learner { state, features, scores, root_label } = self;
        let root_label = *root_label;
        let tokens = &example.tokens;
        let n = tokens.len();
        state.reset(n);
        scores.resize(relations.n_classes(), 0.0);
        let mut move_scores = [0f32; N_MOVES];
        while !state.is_terminal() {
            features::move_features(tokens, state, features);
            moves.scores(features, &mut move_scores);
            let mut costs = [u32::MAX; N_MOVES];
            for (mv, cost) in costs.iter_mut().enumerate() {
                if state.is_valid(mv) {
                    *cost = state.cost(mv, &example.heads);
                }
            }
            let least = costs.iter().copied().min().unwrap_or(0);
            let guess = linear::argmax(&move_scores, |mv| costs[mv] != u32::MAX);
            let best = linear::argmax(&move_scores, |mv| costs[mv] == least);
            moves.tick();
            let mv = if costs[guess] > least {
                moves.update(features, best, guess);
                if rng.chance(explore) { guess } else { best }
            } else {
                guess
            };
            let mut label = 0;
            if mv == LEFT || mv == RIGHT {
                let (dependent, head) = state.arc(mv);
                label = root_label;
                if head != n {
                    features::label_features(tokens, state, mv, features);
                    relations.scores(features, scores);
                    let root = usize::from(root_label);
                    label = linear::argmax(scores, |label| label != root) as u16;
                    let gold = example.labels[dependent as usize];
                    if example.heads[dependent as usize] == head && gold != UNKNOWN_LABEL {
                        relations.tick();
                        relations.update(features, usize::from(gold), usize::from(label));
                    }
                }
            }
            state.apply(mv, label);
        }
    }
}

/// SplitMix64: a small, seedable generator for the example order and exploration.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x5DEE_CE66_D1CE_4E5B)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut value = self.0;
        value = (value ^ (value >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        value = (value ^ (value >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        value ^ (value >> 31)
    }

    fn chance(&mut self, probability: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < probability
    }

    fn shuffle(&mut self, items: &mut [usize]) {
        for index in (1..items.len()).rev() {
            let other = (self.next() % (index as u64 + 1)) as usize;
            items.swap(index, other);
        }
    }
}

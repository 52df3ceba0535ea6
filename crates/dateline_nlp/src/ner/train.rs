//! Training the recogniser on UNER English-EWT (the early train release, normalised), tuned on
//! the final dev file and reported on the final test file; WikiGold can be added to training.
//!
//! Training is deterministic given the seed: the example order is the only random choice. The
//! averaged model is measured on dev after each epoch and the best epoch is kept.
//!
//! A few environment variables switch parts off or on to measure them (all optional):
//! `DATELINE_NER_WIKIGOLD=0` leaves WikiGold out of training (`2`, `3`: sees it that many
//! times per epoch), `DATELINE_NER_TAGS=0` uses no tags, `1` reads gold
//! universal tags from `ud-english-ewt` by sentence id (`2`: tags from the project's tagger),
//! `DATELINE_NER_GAZETTEER=0` drops the gazetteer features, `DATELINE_NER_BITS` sets the feature
//! table size (log2), `DATELINE_NER_PRUNE` the weight below which rows are dropped,
//! `DATELINE_NER_DROP` how often (per mille) training hides a word's identity, and
//! `DATELINE_NER_DUMP=path` writes the dev predictions (`form  gold  predicted`) for study.
//!
//! Measured with seed 1 and 12 epochs (dev / test micro F1): WikiGold, gazetteer and the project's
//! tagger's tags (`DATELINE_NER_TAGS=2`, the shipped setting) 67.4 / 69.2; WikiGold and gazetteer
//! without tags 66.2 / 68.9; without WikiGold 66.2 / 67.1; without the gazetteer
//! 62.6 / 65.2; with gold EWT tags (optimistic: run-time tags are predicted) 69.8 / 71.7.
//! Hiding word identities (10 % or 25 %) did not help dev.
//!
//! Since then the model is trained on whole sentences: each sentence is decoded with Viterbi
//! under the current weights and, where the best path differs from the gold one, weight moves
//! from the features of the predicted path to those of the gold path (Collins' structured
//! perceptron); the second-previous label is no longer a feature. Greedy 67.4 / 69.2 became
//! 70.7 / 70.5, and it converges in 3 to 5 epochs (about 5 s). A window of capitalisation
//! (words -2..+2), the sentence's use of capitals (headline, none), tag trigrams and tags at
//! ±2, and the previous label with the word's tag and gazetteer categories: 71.2 / 71.3.
//! With these, hiding 10 % of word identities 70.4 / 70.7; 2^21 feature rows 70.4 / 71.9;
//! seed 2 70.3 / 70.7 (seed-to-seed spread is about a point). WikiGold (richer in ORG) seen
//! twice or three times per epoch: 69.8 / 71.0 and 70.9 / 70.2 — ORG did not gain. Suffixes of
//! the word before, the words on both sides together and word bigrams at -2..-1 and +1..+2:
//! 70.6 / 70.9 (dropped).
//!
//! The place gazetteer's 38,000 names as two gazetteer categories (large and small places)
//! took one run from 71.2 / 71.3 to 72.2 / 71.7. Since seeds differ by about a point, the
//! shipped model is the average of the weights of several runs from successive seeds
//! (`DATELINE_NER_RUNS`, default 10, each run keeping its best dev epoch): 1 run 72.2 / 71.7,
//! 5 runs 71.6 / 72.7, 10 runs 72.0 / 73.2 (the run-to-run spread on dev is 70.9 to 72.5, so
//! the single run's dev figure is its luckiest epoch).
//! 1,570 more organisations in the hand-written list (companies, media, public bodies, parties,
//! clubs): 72.0 / 73.2 → 72.3 / 73.6; 4,400 more on top of those: 71.4 dev (dropped). Features
//! from the parse (the word's relation, the head and the `case` word of the name it belongs to):
//! 71.4 / 73.0 (dropped).
//!
//! Last, with everything above chosen on dev, each run is trained again from its seed for the
//! number of epochs dev chose for it, on train and dev together (`DATELINE_NER_REFIT=1`, the
//! default; `0` ships the train-only average): dev then no longer measures anything, and test
//! goes from 73.6 to 75.5 (the model's own labels). Dev is final-release UNER, cleaner than the
//! early train release, and richer in the ORG cases train labels least consistently.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rustc_hash::FxHashMap;

use super::features::{FeatureSet, Featurizer, START};
use super::{KIND, LABELS, Lattice, N_LABELS, Recognizer, decode, entity_scores, label_index, repaired};
use crate::TrainOptions;
use crate::conllu::{self, IobSentence, ParseError, Word};
use crate::linear::{Linear, ModelError, Trainer};

/// Default number of passes over the training data.
const DEFAULT_EPOCHS: usize = 12;

/// Training failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TrainError {
    /// A data or model file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        source: io::Error,
    },
    /// A data file is malformed.
    #[error("{path}: {source}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        source: ParseError,
    },
    /// The trained model could not be read back.
    #[error("{path}: {source}")]
    Model {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        source: ModelError,
    },
    /// The tagger whose tags the recogniser reads could not be trained.
    #[error("training the tagger: {0}")]
    Tagger(String),
    /// An environment setting is not a number.
    #[error("{name}: not a valid value: {value:?}")]
    Setting {
        /// The variable.
        name: &'static str,
        /// Its value.
        value: String,
    },
}

/// What the training run uses.
#[derive(Clone, Copy, Debug)]
struct Config {
    /// How many times WikiGold is seen per epoch (0: left out).
    wikigold: u8,
    tags: u8,
    gazetteer: bool,
    bits: u8,
    prune: f32,
    drop_per_mille: u64,
    /// Training runs from successive seeds whose models are averaged.
    runs: u64,
    /// Whether each run, once its epoch is chosen on dev, is trained again on train and dev
    /// together for that many epochs.
    refit_with_dev: bool,
}

impl Config {
    fn from_env() -> Result<Config, TrainError> {
        Ok(Config {
            wikigold: setting("DATELINE_NER_WIKIGOLD", 1u8)?,
            tags: setting("DATELINE_NER_TAGS", 2u8)?,
            gazetteer: setting("DATELINE_NER_GAZETTEER", 1u8)? == 1,
            bits: setting("DATELINE_NER_BITS", 20u8)?,
            prune: setting("DATELINE_NER_PRUNE", 0.05f32)?,
            drop_per_mille: setting("DATELINE_NER_DROP", 0u64)?,
            runs: setting("DATELINE_NER_RUNS", 10u64)?,
            refit_with_dev: setting("DATELINE_NER_REFIT", 1u8)? == 1,
        })
    }
}

/// An environment setting, or its default.
fn setting<T: std::str::FromStr>(name: &'static str, default: T) -> Result<T, TrainError> {
    match std::env::var(name) {
        Ok(value) => value.trim().parse().map_err(|_| TrainError::Setting { name, value }),
        Err(_) => Ok(default),
    }
}

/// A sentence to learn from or to measure on.
#[derive(Clone)]
struct Example {
    forms: Vec<String>,
    tags: Vec<String>,
    labels: Vec<usize>,
}

fn read(path: &Path) -> Result<String, TrainError> {
    fs::read_to_string(path).map_err(|source| TrainError::Io { path: path.to_owned(), source })
}

fn read_iob(path: &Path) -> Result<Vec<IobSentence>, TrainError> {
    conllu::parse_iob(&read(path)?).map_err(|source| TrainError::Parse { path: path.to_owned(), source })
}

/// Universal tags of a CoNLL-U file by sentence id.
fn read_tags(path: &Path) -> Result<FxHashMap<String, Vec<String>>, TrainError> {
    let sentences =
        conllu::parse(&read(path)?).map_err(|source| TrainError::Parse { path: path.to_owned(), source })?;
    Ok(sentences
        .into_iter()
        .filter_map(|sentence| {
            let id = sentence.comment("sent_id")?.to_owned();
            Some((id, sentence.words.into_iter().map(|word| word.upos).collect()))
        })
        .collect())
}

/// WikiGold is IOB1 with a MISC class: `I-X` starts an entity unless it follows `X`, and MISC
/// becomes `O`.
fn wikigold_to_bio(sentence: &mut IobSentence) {
    let mut previous_kind = "";
    for label in &mut sentence.labels {
        let (prefix, kind) = label.split_once('-').unwrap_or(("O", ""));
        let kind = kind.to_owned();
        let new = match (prefix, kind.as_str()) {
            (_, "MISC") | ("O", _) | (_, "") => "O".to_owned(),
            ("I", _) if previous_kind == kind => format!("I-{kind}"),
            _ => format!("B-{kind}"),
        };
        previous_kind = if new == "O" { "" } else { LABELS[label_index(&new)].split_at(2).1 };
        *label = new;
    }
}

fn examples(sentences: Vec<IobSentence>, tags: Option<&FxHashMap<String, Vec<String>>>) -> Vec<Example> {
    sentences
        .into_iter()
        .map(|sentence| {
            let tags = sentence
                .id
                .as_ref()
                .and_then(|id| tags.and_then(|tags| tags.get(id)))
                .filter(|tags| tags.len() == sentence.tokens.len())
                .cloned()
                .unwrap_or_else(|| vec![String::new(); sentence.tokens.len()]);
            let mut previous = START;
            let labels = sentence
                .labels
                .iter()
                .map(|label| {
                    previous = repaired(previous, label_index(label));
                    previous
                })
                .collect();
            Example { forms: sentence.tokens, tags, labels }
        })
        .collect()
}

/// Fills the example's tags with the project's tagger, as the pipeline does at run time.
fn tag_with(tagger: &crate::tagger::Tagger, example: &mut Example) {
    let mut words: Vec<Word> =
        example.forms.iter().map(|form| Word { form: form.clone(), ..Word::default() }).collect();
    tagger.tag(&mut words);
    example.tags = words.into_iter().map(|word| word.upos).collect();
}

/// A small deterministic generator (splitmix64) for the example order.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut value = self.0;
        value = (value ^ (value >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        value = (value ^ (value >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        value ^ (value >> 31)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for index in (1..items.len()).rev() {
            let other = (self.next() % (index as u64 + 1)) as usize;
            items.swap(index, other);
        }
    }
}

/// Labels every example with `recognizer` and returns the label strings.
fn predict(recognizer: &Recognizer, examples: &[Example]) -> Vec<Vec<String>> {
    examples
        .iter()
        .map(|example| {
            let words = example.forms.iter().zip(&example.tags).map(|(form, tag)| (form.as_str(), tag.as_str()));
            recognizer.labels_tagged(words).into_iter().map(str::to_owned).collect()
        })
        .collect()
}

fn gold(examples: &[Example]) -> Vec<IobSentence> {
    examples
        .iter()
        .map(|example| IobSentence {
            id: None,
            tokens: example.forms.clone(),
            labels: example.labels.iter().map(|&label| LABELS[label].to_owned()).collect(),
        })
        .collect()
}

/// Trains the recogniser, writes `{out_dir}/ner.dlm` and returns a report of dev scores per
/// epoch and the test scores of the model kept.
pub fn train(options: &TrainOptions) -> Result<String, TrainError> {
    let started = Instant::now();
    let config = Config::from_env()?;
    let uner = options.data_dir.join("uner-english-ewt");
    let ewt = options.data_dir.join("ud-english-ewt");
    let tags = |split: &str| -> Result<Option<FxHashMap<String, Vec<String>>>, TrainError> {
        (config.tags == 1).then(|| read_tags(&ewt.join(format!("en_ewt-ud-{split}.conllu")))).transpose()
    };
    let mut train_set =
        examples(read_iob(&uner.join("en_ewt-ud-train.early-0c7ce0d.norm.iob2"))?, tags("train")?.as_ref());
    let mut dev = examples(read_iob(&uner.join("en_ewt-ud-dev.iob2"))?, tags("dev")?.as_ref());
    let mut test = examples(read_iob(&uner.join("en_ewt-ud-test.iob2"))?, tags("test")?.as_ref());
    let mut report =
        format!("NER: {} train, {} dev, {} test sentences; {config:?}\n", train_set.len(), dev.len(), test.len());
    if config.wikigold > 0 {
        let mut wikigold = read_iob(&options.data_dir.join("wikigold/wikigold.conll.txt"))?;
        wikigold.iter_mut().for_each(wikigold_to_bio);
        report.push_str(&format!("WikiGold adds {} sentences\n", wikigold.len()));
        for _ in 0..config.wikigold {
            train_set.extend(examples(wikigold.clone(), None));
        }
    }
    if config.tags == 2 {
        // The tagger as trained on EWT train alone: the shipped one has seen dev, whose tags
        // would then be better than at run time when dev chooses the epochs.
        let ewt = options.data_dir.join("ud-english-ewt");
        let (train_path, dev_path) = (ewt.join("en_ewt-ud-train.conllu"), ewt.join("en_ewt-ud-dev.conllu"));
        let tagger = crate::tagger::read_treebank(&train_path)
            .and_then(|train| {
                let dev = crate::tagger::read_treebank(&dev_path)?;
                crate::tagger::train_without_dev(&train, &train_path, &dev, options.seed)
            })
            .map_err(|error| TrainError::Tagger(error.to_string()))?;
        for example in train_set.iter_mut().chain(&mut dev).chain(&mut test) {
            tag_with(&tagger, example);
        }
    }
    let set = FeatureSet { gazetteer: config.gazetteer, tags: config.tags > 0 };
    let labels: Vec<String> = LABELS.iter().map(|label| (*label).to_owned()).collect();
    let dev_gold = gold(&dev);
    let mut sum = vec![0f32; (1usize << config.bits) * N_LABELS];
    let mut chosen = Vec::new();
    let most = options.epochs.unwrap_or(DEFAULT_EPOCHS);
    let runs = config.runs.max(1);
    for run in 0..runs {
        let seed = options.seed.wrapping_add(run);
        let (weights, epoch, epoch_report) =
            train_run(&train_set, &dev, &dev_gold, set, config, seed, Epochs::BestOnDev(most), started);
        report.push_str(&format!("run {} (seed {seed}):\n{epoch_report}", run + 1));
        sum.iter_mut().zip(&weights).for_each(|(total, weight)| *total += weight);
        chosen.push((seed, epoch));
    }
    if config.refit_with_dev {
        // The epochs are chosen; now each run again from its seed for its number of epochs,
        // on train and dev together.
        let mut both = train_set.clone();
        both.extend(dev.iter().cloned());
        sum.fill(0.0);
        for &(seed, epoch) in &chosen {
            let (weights, _, _) = train_run(&both, &dev, &dev_gold, set, config, seed, Epochs::Fixed(epoch), started);
            sum.iter_mut().zip(&weights).for_each(|(total, weight)| *total += weight);
        }
        report.push_str(&format!(
            "refitted the {} runs on train and dev together (dev scores below are no longer held out)\n",
            chosen.len()
        ));
    }
    sum.iter_mut().for_each(|weight| *weight /= runs as f32);
    let recognizer = Recognizer { model: Linear::from_dense(KIND, labels, config.bits, &sum, config.prune), set };
    let path = options.out_dir.join("ner.dlm");
    let io_error = |source| TrainError::Io { path: path.clone(), source };
    fs::create_dir_all(&options.out_dir).map_err(io_error)?;
    let mut bytes = Vec::new();
    recognizer.model.write(&mut bytes).map_err(io_error)?;
    fs::write(&path, &bytes).map_err(io_error)?;
    let mut recognizer =
        Recognizer::from_bytes(&bytes).map_err(|source| TrainError::Model { path: path.clone(), source })?;
    recognizer.set = set;
    let dev_predicted = predict(&recognizer, &dev);
    if let Ok(dump) = std::env::var("DATELINE_NER_DUMP") {
        let mut text = String::new();
        for (example, labels) in dev.iter().zip(&dev_predicted) {
            for ((form, gold), predicted) in example.forms.iter().zip(&example.labels).zip(labels) {
                text.push_str(&format!("{form}\t{}\t{predicted}\n", LABELS[*gold]));
            }
            text.push('\n');
        }
        fs::write(&dump, text).map_err(|source| TrainError::Io { path: dump.into(), source })?;
    }
    let dev_scores = entity_scores(&dev_gold, &dev_predicted);
    let timer = Instant::now();
    let test_predicted = predict(&recognizer, &test);
    let elapsed = timer.elapsed().as_secs_f64();
    let n_test_words: usize = test.iter().map(|example| example.forms.len()).sum();
    let test_scores = entity_scores(&gold(&test), &test_predicted);
    report.push_str(&format!(
        "averaged {runs} runs: {} rows, {} bytes written to {}\n\ndev (final UNER EWT):\n{dev_scores}\ntest (final UNER EWT):\n{test_scores}\n\
         labelling speed: {:.0} words/s on test; training took {:.0} s\n",
        recognizer.model.n_rows(),
        bytes.len(),
        path.display(),
        n_test_words as f64 / elapsed.max(1e-9),
        started.elapsed().as_secs_f64()
    ));
    Ok(report)
}

/// How many epochs a run trains.
#[derive(Clone, Copy, Debug)]
enum Epochs {
    /// Up to this many, keeping the one with the best dev F1 (stopping after three without
    /// gain).
    BestOnDev(usize),
    /// Exactly this many, with no look at dev.
    Fixed(usize),
}

/// One training run from `seed`: the averaged weights of the epoch kept, its number, and a
/// report line per epoch.
#[allow(clippy::too_many_arguments)]
fn train_run(
    train_set: &[Example],
    dev: &[Example],
    dev_gold: &[IobSentence],
    set: FeatureSet,
    config: Config,
    seed: u64,
    epochs: Epochs,
    started: Instant,
) -> (Vec<f32>, usize, String) {
    let labels: Vec<String> = LABELS.iter().map(|label| (*label).to_owned()).collect();
    let mut report = String::new();
    let mut trainer = Trainer::new(N_LABELS, config.bits);
    let mut featurizer = Featurizer::new(set);
    let mut features = Vec::new();
    let mut lattice = Lattice::default();
    let mut guesses = Vec::new();
    let mut order: Vec<usize> = (0..train_set.len()).collect();
    let mut rng = Rng(seed);
    let mut best: Option<(f64, usize, Vec<f32>)> = None;
    let mut since_best = 0;
    let (most, select) = match epochs {
        Epochs::BestOnDev(most) => (most, true),
        Epochs::Fixed(count) => (count, false),
    };
    for epoch in 1..=most {
        rng.shuffle(&mut order);
        let mut errors = 0usize;
        let mut n_words = 0usize;
        for &index in &order {
            let example = &train_set[index];
            featurizer
                .prepare(example.forms.iter().zip(&example.tags).map(|(form, tag)| (form.as_str(), tag.as_str())));
            decode(&featurizer, |keys, scores| trainer.scores(keys, scores), &mut features, &mut lattice, &mut guesses);
            trainer.tick();
            let (mut gold_previous, mut guess_previous) = (START, START);
            for (position, (&truth, &guess)) in example.labels.iter().zip(&guesses).enumerate() {
                if truth != guess {
                    features.clear();
                    featurizer.word_features(position, rng.next() % 1000 < config.drop_per_mille, &mut features);
                    trainer.update(&features, truth, guess);
                }
                if truth != guess || gold_previous != guess_previous {
                    features.clear();
                    featurizer.label_features(position, gold_previous, &mut features);
                    trainer.adjust(&features, truth, 1.0);
                    features.clear();
                    featurizer.label_features(position, guess_previous, &mut features);
                    trainer.adjust(&features, guess, -1.0);
                }
                errors += usize::from(guess != truth);
                n_words += 1;
                gold_previous = truth;
                guess_previous = guess;
            }
        }
        let weights = trainer.averaged_weights();
        if !select {
            if epoch == most {
                return (weights, epoch, report);
            }
            continue;
        }
        let recognizer =
            Recognizer { model: Linear::from_dense(KIND, labels.clone(), config.bits, &weights, config.prune), set };
        let dev_scores = entity_scores(dev_gold, &predict(&recognizer, dev));
        let f1 = dev_scores.overall.f1();
        report.push_str(&format!(
            "epoch {epoch:2}: train errors {:.2}%, dev F1 {f1:.2} ({:.0} s)\n",
            100.0 * errors as f64 / n_words.max(1) as f64,
            started.elapsed().as_secs_f64()
        ));
        if best.as_ref().is_none_or(|(best_f1, _, _)| f1 > *best_f1) {
            best = Some((f1, epoch, weights));
            since_best = 0;
        } else {
            since_best += 1;
            if since_best >= 3 {
                break;
            }
        }
    }
    match best {
        Some((f1, epoch, weights)) => {
            report.push_str(&format!("kept epoch {epoch} (dev F1 {f1:.2})\n"));
            (weights, epoch, report)
        }
        None => (vec![0.0; (1usize << config.bits) * N_LABELS], 0, report + "no epoch was run\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wikigold_iob1_becomes_bio_without_misc() {
        let mut sentence = IobSentence {
            id: None,
            tokens: vec![String::new(); 7],
            labels: ["I-ORG", "I-ORG", "B-ORG", "O", "I-MISC", "I-PER", "I-LOC"]
                .iter()
                .map(|l| (*l).to_owned())
                .collect(),
        };
        wikigold_to_bio(&mut sentence);
        assert_eq!(sentence.labels, ["B-ORG", "I-ORG", "B-ORG", "O", "O", "B-PER", "B-LOC"]);
    }

    #[test]
    fn shuffling_is_deterministic() {
        let mut first: Vec<usize> = (0..50).collect();
        let mut second = first.clone();
        Rng(7).shuffle(&mut first);
        Rng(7).shuffle(&mut second);
        assert_eq!(first, second);
        assert_ne!(first, (0..50).collect::<Vec<_>>());
    }
}

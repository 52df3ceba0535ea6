//! The linear models every component uses: hashed features, an averaged perceptron to train
//! them, and a compact, versioned file format to ship them.
//!
//! A feature is a string of bytes (`"w=house"`, `"s0t+b0t=NN VB"`); it is hashed to a 64-bit
//! key with [`feature`], and the key's low bits pick a row of class weights. Training keeps
//! dense `f32` rows with lazy averaging. A trained [`Linear`] keeps only the rows that carry
//! weight, behind an index, with weights quantised to `i16`, and is written gzip-compressed:
//!
//! ```text
//! magic "DLM1" | kind (u8 len + bytes) | n_classes u32 | bits u8 | scale f32 | n_rows u32
//! | n_rows × (bucket u32, n_classes × i16)         (all little-endian, then gzip)
//! | labels: n_classes × (u8 len + bytes)
//! ```

use std::hash::Hasher;
use std::io::{self, Read, Write};

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use rustc_hash::FxHasher;

/// Models with at most this many classes are scored with sums kept on the stack.
const MAX_STACK_CLASSES: usize = 256;

/// The file magic of format version 1.
const MAGIC: &[u8; 4] = b"DLM1";

/// Hashes a feature made of parts (a template name and its values) to a 64-bit key.
pub fn feature(parts: &[&[u8]]) -> u64 {
    let mut hasher = FxHasher::default();
    for part in parts {
        hasher.write(part);
        hasher.write_u8(0xff);
    }
    // FxHasher leaves the low bits weak for short inputs; mix them.
    let mut key = hasher.finish();
    key ^= key >> 33;
    key = key.wrapping_mul(0xff51_afd7_ed55_8ccd);
    key ^ (key >> 33)
}

/// An averaged perceptron being trained.
#[derive(Debug)]
pub struct Trainer {
    n_classes: usize,
    bits: u8,
    weights: Vec<f32>,
    totals: Vec<f64>,
    stamps: Vec<u32>,
    time: u32,
}

impl Trainer {
    /// A trainer for `n_classes` classes over `2^bits` feature rows.
    pub fn new(n_classes: usize, bits: u8) -> Trainer {
        let size = (1usize << bits) * n_classes;
        Trainer { n_classes, bits, weights: vec![0.0; size], totals: vec![0.0; size], stamps: vec![0; size], time: 0 }
    }

    /// Number of classes.
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    fn row(&self, key: u64) -> usize {
        (key as usize & ((1usize << self.bits) - 1)) * self.n_classes
    }

    /// Adds the current weights of `features` into `scores` (one slot per class).
    pub fn scores(&self, features: &[u64], scores: &mut [f32]) {
        scores.fill(0.0);
        for &key in features {
            let row = self.row(key);
            for (score, weight) in scores.iter_mut().zip(&self.weights[row..row + self.n_classes]) {
                *score += weight;
            }
        }
    }

    /// The best class by current weights, among those `allowed` says yes to.
    pub fn predict(&self, features: &[u64], allowed: impl Fn(usize) -> bool) -> usize {
        let mut scores = vec![0.0; self.n_classes];
        self.scores(features, &mut scores);
        argmax(&scores, allowed)
    }

    /// Counts one training example: call once per example, before its update.
    pub fn tick(&mut self) {
        self.time += 1;
    }

    /// Moves weight from `guess` to `truth` for `features` (nothing when they agree).
    pub fn update(&mut self, features: &[u64], truth: usize, guess: usize) {
        if truth == guess {
            return;
        }
        for &key in features {
            let row = self.row(key);
            self.bump(row + truth, 1.0);
            self.bump(row + guess, -1.0);
        }
    }

    /// Adds `delta` to the weight of `class` for every one of `features` (structured training
    /// moves weight along a whole gold and a whole predicted sequence).
    pub fn adjust(&mut self, features: &[u64], class: usize, delta: f32) {
        for &key in features {
            let row = self.row(key);
            self.bump(row + class, delta);
        }
    }

    fn bump(&mut self, index: usize, delta: f32) {
        let elapsed = self.time - self.stamps[index];
        self.totals[index] += f64::from(elapsed) * f64::from(self.weights[index]);
        self.stamps[index] = self.time;
        self.weights[index] += delta;
    }

    /// The averaged model. Rows whose largest averaged weight is below `prune` (in absolute
    /// value) are dropped.
    pub fn finish(mut self, kind: &str, labels: Vec<String>, prune: f32) -> Linear {
        assert_eq!(labels.len(), self.n_classes, "one label per class");
        let time = f64::from(self.time.max(1));
        let mut averaged = vec![0f32; self.weights.len()];
        for (index, average) in averaged.iter_mut().enumerate() {
            let elapsed = self.time - self.stamps[index];
            self.totals[index] += f64::from(elapsed) * f64::from(self.weights[index]);
            *average = (self.totals[index] / time) as f32;
        }
        Linear::from_dense(kind, labels, self.bits, &averaged, prune)
    }
}

/// The index of the highest score among the allowed classes (the first allowed class when
/// all scores tie; 0 when none is allowed).
pub fn argmax(scores: &[f32], allowed: impl Fn(usize) -> bool) -> usize {
    let mut best: Option<(usize, f32)> = None;
    for (class, &score) in scores.iter().enumerate() {
        if allowed(class) && best.is_none_or(|(_, best_score)| score > best_score) {
            best = Some((class, score));
        }
    }
    best.map_or(0, |(class, _)| class)
}

/// A trained linear model: sparse rows of quantised class weights behind a bucket index.
#[derive(Clone, Debug)]
pub struct Linear {
    kind: String,
    labels: Vec<String>,
    bits: u8,
    scale: f32,
    /// Row number for each bucket, `u32::MAX` when the bucket carries no weight.
    index: Vec<u32>,
    /// `n_rows × n_classes` quantised weights.
    rows: Vec<i16>,
    /// The same weights laid out for scoring (derived from `index` and `rows` at load).
    direct: Direct,
}

impl PartialEq for Linear {
    fn eq(&self, other: &Linear) -> bool {
        // `direct` is derived from the rest.
        (&self.kind, &self.labels, self.bits, self.scale.to_bits(), &self.index, &self.rows)
            == (&other.kind, &other.labels, other.bits, other.scale.to_bits(), &other.index, &other.rows)
    }
}

/// Models with at most this many classes are scored from a direct table of dense rows.
const DIRECT_DENSE_CLASSES: usize = 8;

/// Models with more buckets than `2^DIRECT_MAX_BITS` are scored through the index (the
/// parser's move model, 2^22 buckets, has a direct table of its own).
const DIRECT_MAX_BITS: u8 = 20;

/// The weights as scoring reads them. Scoring is bound by memory latency: through the index a
/// feature costs two memory accesses, the second waiting on the first. A model of few classes
/// gets a direct table with one row per bucket, one access per feature (the recognizer's 7
/// classes: 16 MB for 2^20 buckets; entities a third faster). Models of many classes keep the
/// index: their direct table would be 100 MB and more, and keeping only each row's non-zero
/// weights (5 of the tagger's 102 classes on average) was measured slower than whole rows,
/// whose additions vectorise. Integer sums do not depend on the order of additions, so the
/// scores are exactly those of the indexed rows.
#[derive(Clone, Debug, Default)]
enum Direct {
    /// Scored through the index.
    #[default]
    Indexed,
    /// Few classes: each bucket's row of weights, zeros for buckets without weight.
    Dense(Vec<[i16; DIRECT_DENSE_CLASSES]>),
}

impl Direct {
    fn new(index: &[u32], rows: &[i16], n_classes: usize, bits: u8) -> Direct {
        if bits > DIRECT_MAX_BITS || n_classes == 0 {
            return Direct::Indexed;
        }
        let row_of = |row: u32| (row != u32::MAX).then(|| &rows[row as usize * n_classes..][..n_classes]);
        if n_classes <= DIRECT_DENSE_CLASSES {
            let table = index
                .iter()
                .map(|&row| {
                    let mut dense = [0i16; DIRECT_DENSE_CLASSES];
                    if let Some(weights) = row_of(row) {
                        dense[..n_classes].copy_from_slice(weights);
                    }
                    dense
                })
                .collect();
            return Direct::Dense(table);
        }
        Direct::Indexed
    }
}

/// A model file that cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// Reading failed.
    #[error("reading the model: {0}")]
    Io(#[from] io::Error),
    /// The bytes are not a model of this version or kind.
    #[error("not a dateline model: {0}")]
    Format(String),
}

impl Linear {
    /// A model from one weight per bucket and class (`2^bits` rows of `labels.len()`), rows
    /// whose largest weight is below `prune` (in absolute value) dropped, the rest quantised.
    pub(crate) fn from_dense(kind: &str, labels: Vec<String>, bits: u8, weights: &[f32], prune: f32) -> Linear {
        let n_classes = labels.len();
        let max = weights.iter().fold(0f32, |max, weight| max.max(weight.abs()));
        let scale = if max > 0.0 { f32::from(i16::MAX) / max } else { 1.0 };
        let mut index = vec![u32::MAX; 1 << bits];
        let mut rows = Vec::new();
        for (bucket, row) in weights.chunks_exact(n_classes).enumerate() {
            let strongest = row.iter().fold(0f32, |max, weight| max.max(weight.abs()));
            if strongest == 0.0 || strongest < prune {
                continue;
            }
            index[bucket] = (rows.len() / n_classes) as u32;
            rows.extend(row.iter().map(|weight| (weight * scale).round() as i16));
        }
        let direct = Direct::new(&index, &rows, n_classes, bits);
        Linear { kind: kind.to_owned(), labels, bits, scale, index, rows, direct }
    }

    /// What the model is for (`tagger`, `parser`, ...).
    pub fn kind(&self) -> &str {
        &self.kind
    }

    /// The class labels, in class order.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Number of classes.
    pub fn n_classes(&self) -> usize {
        self.labels.len()
    }

    /// Number of feature rows kept.
    pub fn n_rows(&self) -> usize {
        self.rows.len() / self.labels.len().max(1)
    }

    /// Adds the weights of `features` into `scores` (one slot per class), in quantised units:
    /// comparable between classes, which is all prediction needs.
    pub fn scores(&self, features: &[u64], scores: &mut [f32]) {
        let n_classes = self.labels.len();
        let mask = (1usize << self.bits) - 1;
        match &self.direct {
            Direct::Dense(table) => {
                // One row of eight weights per feature: i16 widened to i32 lane by lane.
                let mut sums = [0i32; DIRECT_DENSE_CLASSES];
                for &key in features {
                    for (sum, &weight) in sums.iter_mut().zip(&table[key as usize & mask]) {
                        *sum += i32::from(weight);
                    }
                }
                for (score, &sum) in scores.iter_mut().zip(&sums[..n_classes]) {
                    *score = sum as f32;
                }
                return;
            }
            Direct::Indexed => {}
        }
        if n_classes > MAX_STACK_CLASSES {
            scores.fill(0.0);
            for row in self.rows_of(features) {
                for (score, &weight) in scores.iter_mut().zip(row) {
                    *score += f32::from(weight);
                }
            }
            return;
        }
        // Integer sums widen i16 to i32 lane by lane, which vectorises; one conversion at the end.
        let mut sums = [0i32; MAX_STACK_CLASSES];
        let sums = &mut sums[..n_classes];
        for row in self.rows_of(features) {
            for (sum, &weight) in sums.iter_mut().zip(row) {
                *sum += i32::from(weight);
            }
        }
        for (score, &sum) in scores.iter_mut().zip(sums.iter()) {
            *score = sum as f32;
        }
    }

    /// The weight rows of the features that have one.
    fn rows_of<'a>(&'a self, features: &'a [u64]) -> impl Iterator<Item = &'a [i16]> + 'a {
        let n_classes = self.labels.len();
        let mask = (1usize << self.bits) - 1;
        features.iter().filter_map(move |&key| {
            let row = self.index[key as usize & mask];
            (row != u32::MAX).then(|| {
                let start = row as usize * n_classes;
                &self.rows[start..start + n_classes]
            })
        })
    }

    /// The quantised weights of a bucket's row, one per class; `None` when the bucket carries no
    /// weight.
    pub fn bucket_weights(&self, bucket: usize) -> Option<&[i16]> {
        let row = *self.index.get(bucket)?;
        let n_classes = self.labels.len();
        (row != u32::MAX).then(|| &self.rows[row as usize * n_classes..(row as usize + 1) * n_classes])
    }

    /// The best class among those `allowed` says yes to.
    pub fn predict(&self, features: &[u64], allowed: impl Fn(usize) -> bool) -> usize {
        let mut scores = vec![0.0; self.labels.len()];
        self.scores(features, &mut scores);
        argmax(&scores, allowed)
    }

    /// The factor from real weights to the quantised units of [`Linear::scores`].
    pub fn scale(&self) -> f32 {
        self.scale
    }

    /// Writes the model in the compressed file format.
    pub fn write(&self, out: impl Write) -> io::Result<()> {
        let mut encoder = GzEncoder::new(out, Compression::best());
        encoder.write_all(MAGIC)?;
        write_str(&mut encoder, &self.kind)?;
        encoder.write_all(&(self.labels.len() as u32).to_le_bytes())?;
        encoder.write_all(&[self.bits])?;
        encoder.write_all(&self.scale.to_le_bytes())?;
        let n_rows = self.n_rows();
        encoder.write_all(&(n_rows as u32).to_le_bytes())?;
        let n_classes = self.labels.len();
        for (bucket, &row) in self.index.iter().enumerate() {
            if row == u32::MAX {
                continue;
            }
            encoder.write_all(&(bucket as u32).to_le_bytes())?;
            let start = row as usize * n_classes;
            for weight in &self.rows[start..start + n_classes] {
                encoder.write_all(&weight.to_le_bytes())?;
            }
        }
        for label in &self.labels {
            write_str(&mut encoder, label)?;
        }
        encoder.finish()?.flush()
    }

    /// Reads a model written by [`Linear::write`], checking that it is of `kind`.
    pub fn read(input: impl Read, kind: &str) -> Result<Linear, ModelError> {
        let mut decoder = GzDecoder::new(input);
        let mut magic = [0u8; 4];
        decoder.read_exact(&mut magic)?;
        if &magic != MAGIC {
            return Err(ModelError::Format("unknown magic or version".to_owned()));
        }
        let found_kind = read_str(&mut decoder)?;
        if found_kind != kind {
            return Err(ModelError::Format(format!("a {found_kind} model where a {kind} model was expected")));
        }
        let n_classes = read_u32(&mut decoder)? as usize;
        let mut bits = [0u8; 1];
        decoder.read_exact(&mut bits)?;
        let bits = bits[0];
        if n_classes == 0 || n_classes > 4096 || !(8..=28).contains(&bits) {
            return Err(ModelError::Format(format!("implausible shape: {n_classes} classes, {bits} bits")));
        }
        let scale = f32::from_le_bytes(read_array(&mut decoder)?);
        let n_rows = read_u32(&mut decoder)? as usize;
        if n_rows > 1 << bits {
            return Err(ModelError::Format(format!("{n_rows} rows for {} buckets", 1u64 << bits)));
        }
        let mut index = vec![u32::MAX; 1 << bits];
        let mut rows = vec![0i16; n_rows * n_classes];
        let mut row_bytes = vec![0u8; n_classes * 2];
        for row in 0..n_rows {
            let bucket = read_u32(&mut decoder)? as usize;
            if bucket >= index.len() {
                return Err(ModelError::Format(format!("bucket {bucket} out of range")));
            }
            index[bucket] = row as u32;
            decoder.read_exact(&mut row_bytes)?;
            for (weight, bytes) in
                rows[row * n_classes..(row + 1) * n_classes].iter_mut().zip(row_bytes.chunks_exact(2))
            {
                *weight = i16::from_le_bytes([bytes[0], bytes[1]]);
            }
        }
        let labels = (0..n_classes).map(|_| read_str(&mut decoder)).collect::<Result<Vec<_>, _>>()?;
        let direct = Direct::new(&index, &rows, n_classes, bits);
        Ok(Linear { kind: found_kind, labels, bits, scale, index, rows, direct })
    }
}

fn write_str(out: &mut impl Write, text: &str) -> io::Result<()> {
    let bytes = text.as_bytes();
    let len = u8::try_from(bytes.len()).map_err(|_| io::Error::other(format!("label too long: {text:?}")))?;
    out.write_all(&[len])?;
    out.write_all(bytes)
}

fn read_str(input: &mut impl Read) -> Result<String, ModelError> {
    let mut len = [0u8; 1];
    input.read_exact(&mut len)?;
    let mut bytes = vec![0u8; usize::from(len[0])];
    input.read_exact(&mut bytes)?;
    String::from_utf8(bytes).map_err(|_| ModelError::Format("a label is not UTF-8".to_owned()))
}

fn read_u32(input: &mut impl Read) -> Result<u32, ModelError> {
    Ok(u32::from_le_bytes(read_array(input)?))
}

fn read_array<const N: usize>(input: &mut impl Read) -> Result<[u8; N], ModelError> {
    let mut bytes = [0u8; N];
    input.read_exact(&mut bytes)?;
    Ok(bytes)
}

impl Trainer {
    /// The averaged model as training stands, without ending it (to measure an epoch and keep
    /// the best). Rows whose largest averaged weight is below `prune` are dropped, as in
    /// [`Trainer::finish`].
    pub fn averaged(&self, kind: &str, labels: Vec<String>, prune: f32) -> Linear {
        assert_eq!(labels.len(), self.n_classes, "one label per class");
        Linear::from_dense(kind, labels, self.bits, &self.averaged_weights(), prune)
    }

    /// The averaged weights as training stands: one per bucket and class, bucket-major.
    pub fn averaged_weights(&self) -> Vec<f32> {
        let time = f64::from(self.time.max(1));
        (0..self.weights.len())
            .map(|index| {
                let elapsed = f64::from(self.time - self.stamps[index]);
                ((self.totals[index] + elapsed * f64::from(self.weights[index])) / time) as f32
            })
            .collect()
    }
}

impl Linear {
    /// The number of hash bits: features pick one of `2^bits` buckets by their low bits.
    pub fn bits(&self) -> u8 {
        self.bits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A toy task: the class is the first letter of the word.
    fn examples() -> Vec<(Vec<u64>, usize)> {
        ["apple", "avocado", "banana", "blueberry", "cherry", "cranberry"]
            .iter()
            .map(|word| {
                let features = vec![feature(&[b"first", &word.as_bytes()[..1]]), feature(&[b"word", word.as_bytes()])];
                let class = usize::from(word.as_bytes()[0] - b'a');
                (features, class)
            })
            .collect()
    }

    fn trained() -> Linear {
        let mut trainer = Trainer::new(3, 10);
        for _ in 0..5 {
            for (features, truth) in examples() {
                trainer.tick();
                let guess = trainer.predict(&features, |_| true);
                trainer.update(&features, truth, guess);
            }
        }
        trainer.finish("toy", vec!["a".into(), "b".into(), "c".into()], 0.0)
    }

    #[test]
    fn learns_and_predicts() {
        let model = trained();
        for (features, truth) in examples() {
            assert_eq!(model.predict(&features, |_| true), truth);
        }
        let unseen = [feature(&[b"first", b"b"])];
        assert_eq!(model.labels()[model.predict(&unseen, |_| true)], "b");
        assert_ne!(model.predict(&unseen, |class| class != 1), 1, "a forbidden class is never chosen");
    }

    #[test]
    fn round_trips_through_the_file_format() {
        let model = trained();
        let mut bytes = Vec::new();
        model.write(&mut bytes).unwrap();
        let read = Linear::read(bytes.as_slice(), "toy").unwrap();
        assert_eq!(read, model);
        assert!(Linear::read(bytes.as_slice(), "parser").is_err());
        assert!(Linear::read(&bytes[..bytes.len() / 2], "toy").is_err());
        assert!(Linear::read(&b"not a model"[..], "toy").is_err());
    }
}

//! Exact-span entity scores, as conlleval counts them: an entity is right only when its first
//! word, last word and type all match; precision, recall and F1 are micro-averaged over all
//! entities and also given per type.

use std::collections::BTreeMap;
use std::fmt;

use crate::conllu::IobSentence;

/// Counts of one entity type (or of all).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Entities in the gold standard.
    pub gold: usize,
    /// Entities predicted.
    pub predicted: usize,
    /// Predicted entities that match a gold one exactly.
    pub correct: usize,
}

impl Counts {
    /// Share of predicted entities that are right, in percent (0 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        percent(self.correct, self.predicted)
    }

    /// Share of gold entities found, in percent (0 when there are none).
    pub fn recall(&self) -> f64 {
        percent(self.correct, self.gold)
    }

    /// Harmonic mean of precision and recall, in percent.
    pub fn f1(&self) -> f64 {
        let (precision, recall) = (self.precision(), self.recall());
        if precision + recall == 0.0 { 0.0 } else { 2.0 * precision * recall / (precision + recall) }
    }

    fn add(&mut self, other: Counts) {
        self.gold += other.gold;
        self.predicted += other.predicted;
        self.correct += other.correct;
    }
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { 100.0 * part as f64 / whole as f64 }
}

/// Entity scores over a corpus.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scores {
    /// All types together (micro average).
    pub overall: Counts,
    /// Each type by its label suffix (`LOC`, `ORG`, `PER`).
    pub per_type: BTreeMap<String, Counts>,
}

impl fmt::Display for Scores {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line = |formatter: &mut fmt::Formatter<'_>, name: &str, counts: &Counts| {
            writeln!(
                formatter,
                "{name:<8} P {:6.2}  R {:6.2}  F1 {:6.2}  (gold {}, predicted {}, correct {})",
                counts.precision(),
                counts.recall(),
                counts.f1(),
                counts.gold,
                counts.predicted,
                counts.correct
            )
        };
        line(formatter, "overall", &self.overall)?;
        for (name, counts) in &self.per_type {
            line(formatter, name, counts)?;
        }
        Ok(())
    }
}

/// An entity as a word range and a type.
type Chunk<'a> = (usize, usize, &'a str);

/// The entities of a BIO label sequence, read as conlleval reads them: an `I-X` that does not
/// continue an `X` entity starts one; anything but `O`, `B-` or `I-` counts as `O`.
pub fn chunks<S: AsRef<str>>(labels: &[S]) -> Vec<Chunk<'_>> {
    let mut found = Vec::new();
    let mut open: Option<(usize, &str)> = None;
    for (index, label) in labels.iter().enumerate() {
        let label = label.as_ref();
        let (prefix, kind) = match label.split_once('-') {
            Some((prefix @ ("B" | "I"), kind)) if !kind.is_empty() && kind != "O" => (prefix, kind),
            _ => ("O", ""),
        };
        let continues = prefix == "I" && open.is_some_and(|(_, open_kind)| open_kind == kind);
        if !continues {
            if let Some((start, open_kind)) = open.take() {
                found.push((start, index, open_kind));
            }
            if prefix != "O" {
                open = Some((index, kind));
            }
        }
    }
    if let Some((start, kind)) = open {
        found.push((start, labels.len(), kind));
    }
    found
}

/// Compares predicted label sequences with the gold sentences, sentence by sentence. A
/// prediction of the wrong length is scored on the words both have.
pub fn entity_scores(gold: &[IobSentence], predicted: &[Vec<String>]) -> Scores {
    let mut per_type: BTreeMap<String, Counts> = BTreeMap::new();
    let empty = Vec::new();
    for (index, sentence) in gold.iter().enumerate() {
        let prediction = predicted.get(index).unwrap_or(&empty);
        let gold_chunks = chunks(&sentence.labels);
        let predicted_chunks = chunks(prediction);
        for &(_, _, kind) in &gold_chunks {
            per_type.entry(kind.to_owned()).or_default().gold += 1;
        }
        for chunk in &predicted_chunks {
            let counts = per_type.entry(chunk.2.to_owned()).or_default();
            counts.predicted += 1;
            if gold_chunks.contains(chunk) {
                counts.correct += 1;
            }
        }
    }
    let mut overall = Counts::default();
    for counts in per_type.values() {
        overall.add(*counts);
    }
    Scores { overall, per_type }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence(labels: &[&str]) -> IobSentence {
        IobSentence {
            id: None,
            tokens: labels.iter().map(|_| "w".to_owned()).collect(),
            labels: labels.iter().map(|label| (*label).to_owned()).collect(),
        }
    }

    fn labels(labels: &[&str]) -> Vec<String> {
        labels.iter().map(|label| (*label).to_owned()).collect()
    }

    #[test]
    fn reads_chunks_like_conlleval() {
        assert_eq!(chunks(&["B-PER", "I-PER", "O", "B-LOC"]), [(0, 2, "PER"), (3, 4, "LOC")]);
        assert_eq!(chunks(&["I-ORG", "I-ORG", "B-ORG"]), [(0, 2, "ORG"), (2, 3, "ORG")]);
        assert_eq!(chunks(&["B-PER", "I-LOC", "O"]), [(0, 1, "PER"), (1, 2, "LOC")]);
        assert_eq!(chunks(&["O", "B-O", "weird"]), []);
    }

    #[test]
    fn perfect_prediction() {
        let gold = [sentence(&["B-PER", "I-PER", "O", "B-LOC"])];
        let scores = entity_scores(&gold, &[labels(&["B-PER", "I-PER", "O", "B-LOC"])]);
        assert_eq!(scores.overall, Counts { gold: 2, predicted: 2, correct: 2 });
        assert_eq!(scores.overall.f1(), 100.0);
    }

    #[test]
    fn partial_spans_and_wrong_types_count_as_errors() {
        let gold = [sentence(&["B-PER", "I-PER", "O", "B-LOC"]), sentence(&["B-ORG", "O"])];
        let predicted = [labels(&["B-PER", "O", "O", "B-ORG"]), labels(&["B-ORG", "O"])];
        let scores = entity_scores(&gold, &predicted);
        assert_eq!(scores.overall, Counts { gold: 3, predicted: 3, correct: 1 });
        assert_eq!(scores.per_type["ORG"], Counts { gold: 1, predicted: 2, correct: 1 });
        assert_eq!(scores.per_type["PER"], Counts { gold: 1, predicted: 1, correct: 0 });
        assert_eq!(scores.per_type["LOC"], Counts { gold: 1, predicted: 0, correct: 0 });
        assert!((scores.overall.f1() - 100.0 / 3.0).abs() < 1e-9);
        assert_eq!(scores.per_type["LOC"].precision(), 0.0);
        assert_eq!(scores.per_type["ORG"].precision(), 50.0);
    }

    #[test]
    fn missing_predictions_lose_recall_only() {
        let gold = [sentence(&["B-LOC"]), sentence(&["B-LOC"])];
        let scores = entity_scores(&gold, &[labels(&["B-LOC"])]);
        assert_eq!(scores.overall, Counts { gold: 2, predicted: 1, correct: 1 });
        assert_eq!(scores.overall.precision(), 100.0);
        assert_eq!(scores.overall.recall(), 50.0);
    }
}

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

/// A difference between gold and predicted entities of one sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntityError<'a> {
    /// `missed` (a gold entity no prediction overlaps), `extra` (a prediction no gold entity
    /// overlaps), `type` (same words, another type) or `span` (overlapping, other words).
    pub kind: &'static str,
    /// First word.
    pub start: usize,
    /// One past the last word (of the gold entity, or the prediction for `extra`).
    pub end: usize,
    /// The words of the prediction involved, when one is (`type`, `span`, `extra`).
    pub predicted_words: Option<(usize, usize)>,
    /// The gold type, when a gold entity is involved.
    pub gold: Option<&'a str>,
    /// The predicted type, when a prediction is involved.
    pub predicted: Option<&'a str>,
}

/// The errors of a predicted label sequence against the gold one: each gold entity not
/// predicted exactly, and each prediction overlapping no gold entity.
pub fn entity_errors<'a, S: AsRef<str>, T: AsRef<str>>(gold: &'a [S], predicted: &'a [T]) -> Vec<EntityError<'a>> {
    let gold_chunks = chunks(gold);
    let predicted_chunks = chunks(predicted);
    let overlaps = |a: &Chunk<'_>, b: &Chunk<'_>| a.0 < b.1 && b.0 < a.1;
    let mut errors = Vec::new();
    for chunk in &gold_chunks {
        if predicted_chunks.contains(chunk) {
            continue;
        }
        let (start, end, kind) = *chunk;
        let error = match predicted_chunks.iter().find(|other| overlaps(chunk, other)) {
            Some(other) => EntityError {
                kind: if (other.0, other.1) == (start, end) { "type" } else { "span" },
                start,
                end,
                predicted_words: Some((other.0, other.1)),
                gold: Some(kind),
                predicted: Some(other.2),
            },
            None => {
                EntityError { kind: "missed", start, end, predicted_words: None, gold: Some(kind), predicted: None }
            }
        };
        errors.push(error);
    }
    for chunk in &predicted_chunks {
        if !gold_chunks.iter().any(|other| overlaps(chunk, other)) {
            let (start, end, kind) = *chunk;
            errors.push(EntityError {
                kind: "extra",
                start,
                end,
                predicted_words: Some((start, end)),
                gold: None,
                predicted: Some(kind),
            });
        }
    }
    errors
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
    fn lists_each_kind_of_error() {
        let gold = ["B-PER", "I-PER", "O", "B-LOC", "O", "B-ORG", "I-ORG", "O"];
        let predicted = ["B-PER", "I-PER", "B-ORG", "B-ORG", "O", "B-ORG", "O", "O"];
        let kinds: Vec<(&str, usize, usize)> =
            entity_errors(&gold, &predicted).iter().map(|error| (error.kind, error.start, error.end)).collect();
        assert_eq!(kinds, [("type", 3, 4), ("span", 5, 7), ("extra", 2, 3)]);
        assert!(entity_errors(&gold, &gold).is_empty());
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

//! Evaluation metrics: the CoNLL 2018 shared task scores, implemented from the task's definition.
//!
//! Gold and system files must hold the same characters once whitespace is removed; positions in
//! that whitespace-free text align the two tokenisations. A token, a word or a sentence is a span
//! of it, and the system gets one right when the gold file has the same span: that gives
//! precision, recall and F1 for tokens, sentences and words. The words of a multiword token
//! ("don't" → do n't) all carry the token's span, so inside a stretch where either side has
//! multiword tokens the words are aligned by a longest common subsequence of their lower-cased
//! forms instead. Every annotation metric (UPOS, XPOS, UFeats, Lemmas, UAS, LAS) counts the aligned
//! words whose annotation matches: F1 over all gold and system words, and the accuracy over the
//! aligned words ("AligndAcc"). UFeats compares only the universal features; Lemmas treats a gold
//! lemma `_` as matching anything; LAS compares the universal part of the relation (`nmod:poss`
//! as `nmod`).

use crate::conllu::ConlluSentence;

/// The universal features of Universal Dependencies v2; UFeats compares only these.
const UNIVERSAL_FEATURES: &[&str] = &[
    "PronType",
    "NumType",
    "Poss",
    "Reflex",
    "Foreign",
    "Abbr",
    "Typo",
    "Gender",
    "Animacy",
    "NounClass",
    "Number",
    "Case",
    "Definite",
    "Degree",
    "VerbForm",
    "Mood",
    "Tense",
    "Aspect",
    "Voice",
    "Evident",
    "Polarity",
    "Person",
    "Polite",
    "Clusivity",
];

/// Largest number of cells the longest common subsequence of one multiword stretch may use;
/// a larger stretch aligns no words, so that absurd input cannot exhaust memory.
const MAX_ALIGNMENT_CELLS: usize = 1 << 24;

/// Counts behind one metric.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Metric {
    /// Units in the gold file.
    pub gold_total: usize,
    /// Units in the system file.
    pub system_total: usize,
    /// Units the system got right.
    pub correct: usize,
    /// Aligned words, for the annotation metrics (the denominator of the aligned accuracy).
    pub aligned_total: Option<usize>,
}

impl Metric {
    /// Correct over system units, in percent (100 when the system has none and the gold neither).
    pub fn precision(&self) -> f64 {
        percent(self.correct, self.system_total)
    }

    /// Correct over gold units, in percent.
    pub fn recall(&self) -> f64 {
        percent(self.correct, self.gold_total)
    }

    /// The harmonic mean of precision and recall, in percent: 2·correct / (gold + system).
    pub fn f1(&self) -> f64 {
        percent(2 * self.correct, self.gold_total + self.system_total)
    }

    /// Correct over aligned words, in percent, for the annotation metrics.
    pub fn aligned_accuracy(&self) -> Option<f64> {
        self.aligned_total.map(|aligned| percent(self.correct, aligned))
    }
}

/// `part / whole` in percent; 100 for an empty whole only when the part is empty too.
fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 { if part == 0 { 100.0 } else { 0.0 } } else { 100.0 * part as f64 / whole as f64 }
}

/// The CoNLL 2018 scores of a system file against a gold file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scores {
    /// Written tokens (multiword tokens count once).
    pub tokens: Metric,
    /// Sentences.
    pub sentences: Metric,
    /// Syntactic words.
    pub words: Metric,
    /// Universal parts of speech.
    pub upos: Metric,
    /// Language-specific parts of speech.
    pub xpos: Metric,
    /// Universal morphological features.
    pub ufeats: Metric,
    /// Lemmas.
    pub lemmas: Metric,
    /// Unlabelled attachment: the head.
    pub uas: Metric,
    /// Labelled attachment: the head and the universal relation.
    pub las: Metric,
}

impl Scores {
    /// The metrics with the names the shared task prints, in its order.
    pub fn rows(&self) -> [(&'static str, &Metric); 9] {
        [
            ("Tokens", &self.tokens),
            ("Sentences", &self.sentences),
            ("Words", &self.words),
            ("UPOS", &self.upos),
            ("XPOS", &self.xpos),
            ("UFeats", &self.ufeats),
            ("Lemmas", &self.lemmas),
            ("UAS", &self.uas),
            ("LAS", &self.las),
        ]
    }
}

/// Why two files cannot be compared.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[non_exhaustive]
pub enum EvalError {
    /// The files' characters differ once whitespace is removed.
    #[error(
        "the texts differ after removing whitespace, at character {offset}: gold has {gold:?}, system has {system:?}"
    )]
    TextMismatch {
        /// Offset of the first difference, in characters of the whitespace-free text.
        offset: usize,
        /// The gold text from there (a few characters).
        gold: String,
        /// The system text from there (a few characters).
        system: String,
    },
}

/// A word of a file, laid out over the whitespace-free text.
#[derive(Debug)]
struct FlatWord {
    start: usize,
    end: usize,
    in_multiword: bool,
    form: String,
    upos: String,
    xpos: String,
    ufeats: String,
    lemma: String,
    /// Index of the head word in the file, `None` for the root, `Some(usize::MAX)` for a head
    /// id that names no word.
    head: Option<usize>,
    deprel: String,
}

/// A file laid out over its whitespace-free text.
#[derive(Debug, Default)]
struct Flat {
    chars: Vec<char>,
    tokens: Vec<(usize, usize)>,
    sentences: Vec<(usize, usize)>,
    words: Vec<FlatWord>,
}

/// Lays out sentences over their whitespace-free text.
fn flatten(sentences: &[ConlluSentence]) -> Flat {
    let mut flat = Flat::default();
    for sentence in sentences {
        let sentence_start = flat.chars.len();
        let first_word = flat.words.len();
        for token in sentence.surface_tokens() {
            let start = flat.chars.len();
            flat.chars.extend(token.form.chars().filter(|c| !c.is_whitespace()));
            let end = flat.chars.len();
            flat.tokens.push((start, end));
            let in_multiword = token.words.len() > 1;
            for id in token.words.clone() {
                let Some(word) = sentence.words.iter().find(|word| word.id == id) else { continue };
                let head = match word.head {
                    0 => None,
                    head => Some(
                        sentence
                            .words
                            .iter()
                            .position(|other| other.id == head)
                            .map_or(usize::MAX, |at| first_word + at),
                    ),
                };
                flat.words.push(FlatWord {
                    start,
                    end,
                    in_multiword,
                    form: word.form.to_lowercase(),
                    upos: word.upos.clone(),
                    xpos: word.xpos.clone(),
                    ufeats: universal_features(&word.feats),
                    lemma: word.lemma.clone(),
                    head,
                    deprel: word.deprel.split(':').next().unwrap_or_default().to_owned(),
                });
            }
        }
        if flat.chars.len() > sentence_start {
            flat.sentences.push((sentence_start, flat.chars.len()));
        }
    }
    flat
}

/// The universal features of a `FEATS` value, sorted, `|`-joined.
fn universal_features(feats: &str) -> String {
    let mut kept: Vec<&str> = feats
        .split('|')
        .filter(|feature| {
            let name = feature.split('=').next().unwrap_or_default();
            UNIVERSAL_FEATURES.contains(&name)
        })
        .collect();
    kept.sort_unstable();
    kept.join("|")
}

/// Counts the spans two sorted, non-overlapping span lists share.
fn matching_spans(gold: &[(usize, usize)], system: &[(usize, usize)]) -> Metric {
    let (mut gold_index, mut system_index, mut correct) = (0, 0, 0);
    while gold_index < gold.len() && system_index < system.len() {
        let (gold_span, system_span) = (gold[gold_index], system[system_index]);
        if gold_span == system_span {
            correct += 1;
            gold_index += 1;
            system_index += 1;
        } else if gold_span.1 < system_span.1 {
            gold_index += 1;
        } else if system_span.1 < gold_span.1 {
            system_index += 1;
        } else {
            gold_index += 1;
            system_index += 1;
        }
    }
    Metric { gold_total: gold.len(), system_total: system.len(), correct, aligned_total: None }
}

/// Aligns gold and system words: pairs of indices, in order.
fn align_words(gold: &[FlatWord], system: &[FlatWord]) -> Vec<(usize, usize)> {
    let mut pairs = Vec::with_capacity(gold.len().min(system.len()));
    let (mut gold_index, mut system_index) = (0, 0);
    while gold_index < gold.len() && system_index < system.len() {
        let (gold_word, system_word) = (&gold[gold_index], &system[system_index]);
        if gold_word.in_multiword || system_word.in_multiword {
            // The stretch both sides cover, grown until neither side has a word crossing its end.
            let mut end = gold_word.end.max(system_word.end);
            let (mut gold_end, mut system_end) = (gold_index + 1, system_index + 1);
            loop {
                let mut grown = false;
                while gold_end < gold.len() && gold[gold_end].start < end {
                    end = end.max(gold[gold_end].end);
                    gold_end += 1;
                    grown = true;
                }
                while system_end < system.len() && system[system_end].start < end {
                    end = end.max(system[system_end].end);
                    system_end += 1;
                    grown = true;
                }
                if !grown {
                    break;
                }
            }
            align_by_forms(gold, gold_index..gold_end, system, system_index..system_end, &mut pairs);
            gold_index = gold_end;
            system_index = system_end;
            continue;
        }
        if (gold_word.start, gold_word.end) == (system_word.start, system_word.end) {
            pairs.push((gold_index, system_index));
            gold_index += 1;
            system_index += 1;
        } else if gold_word.end < system_word.end {
            gold_index += 1;
        } else if system_word.end < gold_word.end {
            system_index += 1;
        } else {
            gold_index += 1;
            system_index += 1;
        }
    }
    pairs
}

/// Aligns the words of a stretch with multiword tokens by the longest common subsequence of
/// their lower-cased forms.
fn align_by_forms(
    gold: &[FlatWord],
    gold_range: std::ops::Range<usize>,
    system: &[FlatWord],
    system_range: std::ops::Range<usize>,
    pairs: &mut Vec<(usize, usize)>,
) {
    let (rows, columns) = (gold_range.len(), system_range.len());
    if rows.saturating_mul(columns) > MAX_ALIGNMENT_CELLS {
        return;
    }
    // lengths[i][j]: the longest common subsequence of gold[i..] and system[j..].
    let width = columns + 1;
    let mut lengths = vec![0u32; (rows + 1) * width];
    for row in (0..rows).rev() {
        for column in (0..columns).rev() {
            let same = gold[gold_range.start + row].form == system[system_range.start + column].form;
            lengths[row * width + column] = if same {
                lengths[(row + 1) * width + column + 1] + 1
            } else {
                lengths[(row + 1) * width + column].max(lengths[row * width + column + 1])
            };
        }
    }
    let (mut row, mut column) = (0, 0);
    while row < rows && column < columns {
        if gold[gold_range.start + row].form == system[system_range.start + column].form {
            pairs.push((gold_range.start + row, system_range.start + column));
            row += 1;
            column += 1;
        } else if lengths[(row + 1) * width + column] >= lengths[row * width + column + 1] {
            row += 1;
        } else {
            column += 1;
        }
    }
}

/// Scores a system file against a gold file as the CoNLL 2018 shared task does.
///
/// # Errors
/// [`EvalError::TextMismatch`] when the two files' characters differ once whitespace is removed.
pub fn conllu_scores(gold: &[ConlluSentence], system: &[ConlluSentence]) -> Result<Scores, EvalError> {
    let gold = flatten(gold);
    let system = flatten(system);
    if gold.chars != system.chars {
        let offset = gold
            .chars
            .iter()
            .zip(&system.chars)
            .position(|(a, b)| a != b)
            .unwrap_or(gold.chars.len().min(system.chars.len()));
        let excerpt = |chars: &[char]| chars.iter().skip(offset).take(20).collect::<String>();
        return Err(EvalError::TextMismatch { offset, gold: excerpt(&gold.chars), system: excerpt(&system.chars) });
    }
    let pairs = align_words(&gold.words, &system.words);
    let mut gold_to_system = vec![None; gold.words.len()];
    for &(gold_index, system_index) in &pairs {
        gold_to_system[gold_index] = Some(system_index);
    }
    let annotation = |same: &dyn Fn(&FlatWord, &FlatWord) -> bool| Metric {
        gold_total: gold.words.len(),
        system_total: system.words.len(),
        correct: pairs.iter().filter(|&&(g, s)| same(&gold.words[g], &system.words[s])).count(),
        aligned_total: Some(pairs.len()),
    };
    let same_head = |gold_word: &FlatWord, system_word: &FlatWord| match (gold_word.head, system_word.head) {
        (None, None) => true,
        (Some(gold_head), Some(system_head)) => {
            gold_to_system.get(gold_head).copied().flatten().is_some_and(|aligned| aligned == system_head)
        }
        _ => false,
    };
    Ok(Scores {
        tokens: matching_spans(&gold.tokens, &system.tokens),
        sentences: matching_spans(&gold.sentences, &system.sentences),
        words: Metric {
            gold_total: gold.words.len(),
            system_total: system.words.len(),
            correct: pairs.len(),
            aligned_total: None,
        },
        upos: annotation(&|g, s| g.upos == s.upos),
        xpos: annotation(&|g, s| g.xpos == s.xpos),
        ufeats: annotation(&|g, s| g.ufeats == s.ufeats),
        lemmas: annotation(&|g, s| g.lemma == "_" || g.lemma == s.lemma),
        uas: annotation(&same_head),
        las: annotation(&|g, s| same_head(g, s) && g.deprel == s.deprel),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conllu;

    /// A sentence in a compact notation: one word per line as `form upos head deprel`, a
    /// multiword token as `2-3 don't`, `~` after a form for SpaceAfter=No (ignored by scoring).
    fn sentence(lines: &str) -> String {
        let mut out = String::new();
        for line in lines.lines().map(str::trim).filter(|line| !line.is_empty()) {
            let parts: Vec<&str> = line.split_whitespace().collect();
            match parts.as_slice() {
                [range, form] if range.contains('-') => {
                    out.push_str(&format!("{range}\t{form}\t_\t_\t_\t_\t_\t_\t_\t_\n"));
                }
                [id, form, upos, head, deprel] => {
                    out.push_str(&format!("{id}\t{form}\t{form}\t{upos}\t_\tNumber=Sing\t{head}\t{deprel}\t_\t_\n"));
                }
                _ => panic!("bad test line {line:?}"),
            }
        }
        out.push('\n');
        out
    }

    fn scores(gold: &str, system: &str) -> Scores {
        let gold = conllu::parse(gold).unwrap();
        let system = conllu::parse(system).unwrap();
        conllu_scores(&gold, &system).unwrap()
    }

    const GOLD: &str =
        "1 I PRON 4 nsubj\n2-3 don't\n2 do AUX 4 aux\n3 n't PART 4 advmod\n4 know VERB 0 root\n5 . PUNCT 4 punct";

    #[test]
    fn a_perfect_match_scores_100_everywhere() {
        let gold = sentence(GOLD) + &sentence("1 Yes INTJ 0 root");
        let result = scores(&gold, &gold);
        for (name, metric) in result.rows() {
            assert_eq!(metric.f1(), 100.0, "{name}");
            assert!(metric.aligned_accuracy().is_none_or(|accuracy| accuracy == 100.0), "{name}");
        }
        assert_eq!(result.tokens.gold_total, 5);
        assert_eq!(result.words.gold_total, 6);
    }

    #[test]
    fn a_wrong_split_costs_tokens_and_words() {
        // The system keeps "don't" as one word.
        let gold = sentence(GOLD);
        let system = sentence("1 I PRON 3 nsubj\n2 don't AUX 3 aux\n3 know VERB 0 root\n4 . PUNCT 3 punct");
        let result = scores(&gold, &system);
        assert_eq!(result.tokens.correct, 4);
        assert_eq!((result.tokens.precision(), result.tokens.recall()), (100.0, 100.0));
        assert_eq!(result.words.correct, 3);
        assert_eq!((result.words.gold_total, result.words.system_total), (5, 4));
        assert!((result.words.f1() - 2.0 * 3.0 / 9.0 * 100.0).abs() < 1e-9);
        // "I know ." keep their heads: I's gold head "know" is aligned with the system's.
        assert_eq!(result.uas.correct, 3);
        assert_eq!(result.uas.aligned_accuracy(), Some(100.0));
    }

    #[test]
    fn a_glued_token_is_a_wrong_token() {
        let gold = sentence("1 New PROPN 2 compound\n2 York PROPN 0 root");
        let system = sentence("1 NewYork PROPN 0 root");
        let result = scores(&gold, &system);
        assert_eq!((result.tokens.correct, result.tokens.gold_total, result.tokens.system_total), (0, 2, 1));
        assert_eq!(result.sentences.f1(), 100.0);
    }

    #[test]
    fn a_wrong_head_costs_uas_and_las() {
        let gold = sentence(GOLD);
        let system = sentence(&GOLD.replace("5 . PUNCT 4 punct", "5 . PUNCT 1 punct"));
        let result = scores(&gold, &system);
        assert_eq!(result.uas.correct, 4);
        assert_eq!(result.las.correct, 4);
        assert_eq!(result.uas.aligned_accuracy(), Some(80.0));
        assert_eq!(result.upos.f1(), 100.0);
    }

    #[test]
    fn las_compares_the_universal_relation() {
        let gold = sentence("1 his PRON 2 nmod:poss\n2 dog NOUN 0 root");
        let system = sentence("1 his PRON 2 nmod\n2 dog NOUN 0 root");
        assert_eq!(scores(&gold, &system).las.f1(), 100.0);
        let system = sentence("1 his PRON 2 det\n2 dog NOUN 0 root");
        assert_eq!(scores(&gold, &system).las.f1(), 50.0);
    }

    #[test]
    fn different_sentence_boundaries() {
        let gold = sentence("1 Hi INTJ 0 root\n2 . PUNCT 1 punct") + &sentence("1 Bye INTJ 0 root");
        let system = sentence("1 Hi INTJ 0 root\n2 . PUNCT 1 punct\n3 Bye INTJ 1 parataxis");
        let result = scores(&gold, &system);
        assert_eq!((result.sentences.correct, result.sentences.gold_total, result.sentences.system_total), (0, 2, 1));
        assert_eq!(result.tokens.f1(), 100.0);
        assert_eq!(result.uas.correct, 2);
    }

    #[test]
    fn different_texts_are_an_error() {
        let gold = conllu::parse(&sentence("1 Hi INTJ 0 root")).unwrap();
        let system = conllu::parse(&sentence("1 Ho INTJ 0 root")).unwrap();
        let error = conllu_scores(&gold, &system).unwrap_err();
        assert_eq!(error, EvalError::TextMismatch { offset: 1, gold: "i".to_owned(), system: "o".to_owned() });
        assert!(error.to_string().contains("character 1"));
    }

    #[test]
    fn ufeats_and_lemmas_follow_the_definition() {
        assert_eq!(universal_features("Number=Sing|ExtPos=ADP|Case=Nom"), "Case=Nom|Number=Sing");
        let gold = "1\tran\t_\tVERB\tVBD\tTense=Past\t0\troot\t_\t_\n\n";
        let system = "1\tran\trun\tVERB\tVBD\tTense=Past|Foo=Bar\t0\troot\t_\t_\n\n";
        let result = scores(gold, system);
        assert_eq!(result.lemmas.f1(), 100.0);
        assert_eq!(result.ufeats.f1(), 100.0);
    }
}

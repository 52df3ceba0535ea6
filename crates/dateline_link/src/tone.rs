//! Tone on the GDELT scale: the share of words that are positive minus the share that are
//! negative, in percent, from the project's own news lexicon (`resources/tone/`).
//!
//! Words are looked up by lemma (then by form, for participles the lemmatizer keeps), multi-word
//! entries first ("war crime", "tear gas"); proper nouns are skipped ("Great Britain", "Hope"),
//! and a negator among the three preceding words of the sentence flips a word's sign ("did
//! not attack"). Every word token counts in the denominator; punctuation and numbers do not.

use dateline_doc::{Analysis, Tone};
use rustc_hash::{FxHashMap, FxHashSet};

const LEXICON: &str = include_str!("../../../resources/tone/lexicon.tsv");
const NEGATORS: &str = include_str!("../../../resources/tone/negators.txt");

/// How far back a negator reaches, in words.
const NEGATION_WINDOW: usize = 3;

/// The tone lexicon: word or phrase → valence (-3..=3).
#[derive(Debug)]
pub struct ToneLexicon {
    words: FxHashMap<Box<str>, i8>,
    /// First word of a multi-word entry → the most words such an entry has.
    phrase_first: FxHashMap<Box<str>, usize>,
    negators: FxHashSet<Box<str>>,
}

impl ToneLexicon {
    /// The project's lexicon, compiled in.
    ///
    /// # Panics
    /// When the built-in lexicon is malformed: the tests read it.
    pub fn embedded() -> ToneLexicon {
        ToneLexicon::parse(LEXICON, NEGATORS).expect("the built-in tone lexicon is well formed")
    }

    /// Reads a lexicon (`word<TAB>valence` lines) and a negator list (a word a line); `#`
    /// starts a comment line. Errors name the line.
    pub fn parse(lexicon: &str, negators: &str) -> Result<ToneLexicon, String> {
        let mut words = FxHashMap::default();
        let mut phrase_first = FxHashMap::default();
        for (index, line) in lexicon.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (word, valence) = line.split_once('\t').ok_or_else(|| format!("line {}: no tab", index + 1))?;
            let valence: i8 = valence.trim().parse().map_err(|_| format!("line {}: bad valence", index + 1))?;
            if valence == 0 || !(-3..=3).contains(&valence) {
                return Err(format!("line {}: valence {valence} outside -3..=3 or zero", index + 1));
            }
            let word = word.trim().to_lowercase();
            let n = word.split(' ').count();
            if n > 1 {
                let first = word.split(' ').next().unwrap_or_default();
                let longest: &mut usize = phrase_first.entry(first.into()).or_default();
                *longest = (*longest).max(n);
            }
            words.insert(word.into(), valence);
        }
        let negators = negators
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .map(|line| line.to_lowercase().into())
            .collect();
        Ok(ToneLexicon { words, phrase_first, negators })
    }

    /// The tone of a document and of each of its sentences.
    pub fn score(&self, analysis: &Analysis) -> Tone {
        let mut tone = Tone::default();
        let (mut positive, mut negative) = (0usize, 0usize);
        for sentence in &analysis.sentences {
            let tokens = &analysis.tokens[sentence.first_token..sentence.first_token + sentence.n_tokens];
            let words: Vec<(String, String, bool)> = tokens
                .iter()
                .filter(|token| token.form.chars().any(char::is_alphabetic) && token.upos != "PUNCT")
                .map(|token| (token.lemma.to_lowercase(), token.form.to_lowercase(), token.upos == "PROPN"))
                .collect();
            let (mut sentence_positive, mut sentence_negative) = (0usize, 0usize);
            let mut at = 0;
            while at < words.len() {
                let (n, valence) = self.lookup(&words[at..]);
                if let Some(valence) = valence {
                    let negated = words[at.saturating_sub(NEGATION_WINDOW)..at].iter().any(|(lemma, form, _)| {
                        self.negators.contains(lemma.as_str()) || self.negators.contains(form.as_str())
                    });
                    let valence = if negated { -valence } else { valence };
                    if valence > 0 {
                        sentence_positive += 1;
                    } else {
                        sentence_negative += 1;
                    }
                }
                at += n;
            }
            tone.sentences.push(percent(sentence_positive, words.len()) - percent(sentence_negative, words.len()));
            positive += sentence_positive;
            negative += sentence_negative;
            tone.words += words.len();
        }
        tone.positive = percent(positive, tone.words);
        tone.negative = percent(negative, tone.words);
        tone.tone = tone.positive - tone.negative;
        tone.polarity = tone.positive + tone.negative;
        tone
    }

    /// The entry starting at `words[0]`: how many words it spans and its valence.
    fn lookup(&self, words: &[(String, String, bool)]) -> (usize, Option<i8>) {
        let (lemma, form, proper) = &words[0];
        if *proper || form == "goods" {
            return (1, None);
        }
        if let Some(&longest) = self.phrase_first.get(lemma.as_str()) {
            for n in (2..=longest.min(words.len())).rev() {
                let phrase = words[..n].iter().map(|(lemma, _, _)| lemma.as_str()).collect::<Vec<_>>().join(" ");
                if let Some(&valence) = self.words.get(phrase.as_str()) {
                    return (n, Some(valence));
                }
            }
        }
        let valence = self.words.get(lemma.as_str()).or_else(|| self.words.get(form.as_str())).copied();
        (1, valence)
    }
}

fn percent(count: usize, total: usize) -> f64 {
    if total == 0 { 0.0 } else { (count as f64 * 10_000.0 / total as f64).round() / 100.0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dateline_doc::{Sentence, Token};

    fn analysis(words: &[(&str, &str, &str)]) -> Analysis {
        let tokens: Vec<Token> = words
            .iter()
            .map(|(form, lemma, upos)| Token {
                start: 0,
                end: 0,
                form: (*form).to_owned(),
                upos: (*upos).to_owned(),
                xpos: String::new(),
                lemma: (*lemma).to_owned(),
                head: 0,
                deprel: String::new(),
            })
            .collect();
        let sentence = Sentence { start: 0, end: 0, first_token: 0, n_tokens: tokens.len() };
        Analysis { sentences: vec![sentence], tokens, entities: Vec::new() }
    }

    #[test]
    fn counts_negates_and_skips_names() {
        let lexicon = ToneLexicon::parse("attack\t-2\npeace\t2\nwar crime\t-3\nhope\t1\n", "not\nn't\n").unwrap();
        let tone = lexicon.score(&analysis(&[
            ("Rebels", "rebel", "NOUN"),
            ("did", "do", "AUX"),
            ("not", "not", "PART"),
            ("attack", "attack", "VERB"),
            ("Hope", "Hope", "PROPN"),
            ("after", "after", "ADP"),
            ("war", "war", "NOUN"),
            ("crimes", "crime", "NOUN"),
            ("and", "and", "CCONJ"),
            ("peace", "peace", "NOUN"),
            (".", ".", "PUNCT"),
        ]));
        // 10 words; positive: "not attack", "peace"; negative: "war crimes".
        assert_eq!(tone.words, 10);
        assert_eq!(tone.positive, 20.0);
        assert_eq!(tone.negative, 10.0);
        assert_eq!(tone.tone, 10.0);
        assert_eq!(tone.polarity, 30.0);
        assert_eq!(tone.sentences, vec![10.0]);
    }

    #[test]
    fn built_in_lexicon_loads_and_bad_lines_are_named() {
        let lexicon = ToneLexicon::embedded();
        assert!(lexicon.words.len() > 2000);
        assert_eq!(lexicon.words.get("kill"), Some(&-3));
        assert!(ToneLexicon::parse("kill\t-5\n", "").unwrap_err().starts_with("line 1"));
        assert!(ToneLexicon::parse("# c\nkill -3\n", "").unwrap_err().starts_with("line 2"));
        assert_eq!(lexicon.score(&Analysis::default()), Tone::default());
    }
}

//! The NLP stage as one function: clean text in, [`Analysis`] out, through the tokenizer and
//! sentence splitter, the tagger, the lemmatizer, the parser and the recognizer, in that order.

use dateline_doc::{Analysis, Entity, Sentence, Token};

use crate::conllu::{ConlluSentence, MultiwordToken, Word};
use crate::lemma::Lemmatizer;
use crate::linear::ModelError;
use crate::ner::{self, Recognizer};
use crate::parser::Parser;
use crate::sentence;
use crate::tagger::Tagger;

/// Every model of the stage, loaded once and shared by reference.
#[derive(Debug)]
pub struct Models {
    /// Parts of speech.
    pub tagger: Tagger,
    /// Lemmas.
    pub lemmatizer: Lemmatizer,
    /// Dependency trees.
    pub parser: Parser,
    /// Named entities.
    pub recognizer: Recognizer,
}

impl Models {
    /// The models compiled into the binary.
    pub fn embedded() -> Result<Models, ModelError> {
        Ok(Models {
            tagger: Tagger::embedded()?,
            lemmatizer: Lemmatizer::embedded()?,
            parser: Parser::embedded()?,
            recognizer: Recognizer::embedded()?,
        })
    }
}

/// The steps of the stage, as [`analyze_observed`] reports them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Tokenisation and sentence splitting.
    Split,
    /// Parts of speech.
    Tag,
    /// Lemmas and features.
    Lemma,
    /// Dependency parse.
    Parse,
    /// Named entities.
    Recognize,
    /// The sentences laid out as the `Analysis` and CoNLL-U layers.
    Layers,
}

/// Annotates the words of one sentence in place: tags, lemmas, tree, entity labels. The
/// words' forms are kept as given; earlier annotations are replaced.
pub fn annotate_sentence(models: &Models, sentence: &mut ConlluSentence) {
    annotate_sentence_observed(models, sentence, &mut |_| {});
}

/// [`annotate_sentence`], calling `done` as each step ends.
fn annotate_sentence_observed(models: &Models, sentence: &mut ConlluSentence, done: &mut impl FnMut(Step)) {
    for word in &mut sentence.words {
        word.upos.clear();
        word.xpos.clear();
        word.feats.clear();
        word.lemma.clear();
        word.head = 0;
        word.deprel.clear();
        word.misc = word
            .misc
            .split('|')
            .filter(|item| !item.is_empty() && !item.starts_with("NE="))
            .collect::<Vec<_>>()
            .join("|");
    }
    done(Step::Layers);
    models.tagger.tag(&mut sentence.words);
    done(Step::Tag);
    models.lemmatizer.lemmatize(&mut sentence.words);
    done(Step::Lemma);
    models.parser.parse(&mut sentence.words);
    done(Step::Parse);
    models.recognizer.recognize(&mut sentence.words);
    done(Step::Recognize);
}

/// The BIO entity labels (`O`, `B-PER`, `I-ORG`, ...) the stage gives a sentence of given
/// tokens: what entity evaluation compares with gold labels.
pub fn entity_labels(models: &Models, tokens: &[String]) -> Vec<String> {
    let words = tokens
        .iter()
        .enumerate()
        .map(|(index, form)| Word { id: index as u32 + 1, form: form.clone(), ..Word::default() })
        .collect();
    let mut sentence = ConlluSentence { words, ..ConlluSentence::default() };
    annotate_sentence(models, &mut sentence);
    let mut labels = vec!["O".to_owned(); sentence.words.len()];
    for (first, end, kind) in ner::entities(&sentence.words) {
        labels[first] = format!("B-{}", kind.as_str());
        for label in &mut labels[first + 1..end] {
            *label = format!("I-{}", kind.as_str());
        }
    }
    labels
}

/// Splits `text` into sentences and annotates them, as CoNLL-U sentences (with `# text`,
/// multiword tokens and `SpaceAfter=No`) and as the [`Analysis`] layer whose spans point into
/// `text`.
pub fn analyze(text: &str, models: &Models) -> (Analysis, Vec<ConlluSentence>) {
    analyze_observed(text, models, |_| {})
}

/// [`analyze`], calling `done` each time a step ends (once per sentence for the steps that
/// run sentence by sentence), so that a caller can time the steps.
pub fn analyze_observed(text: &str, models: &Models, mut done: impl FnMut(Step)) -> (Analysis, Vec<ConlluSentence>) {
    let tokenized = sentence::split(text);
    done(Step::Split);
    let mut analysis = Analysis::default();
    let mut conllu = Vec::with_capacity(tokenized.len());
    for split in &tokenized {
        let mut sentence = ConlluSentence {
            comments: vec![format!("text = {}", &text[split.start..split.end])],
            words: split
                .words
                .iter()
                .enumerate()
                .map(|(index, word)| {
                    let glued = split.words.get(index + 1).is_some_and(|next| next.start == word.end);
                    Word {
                        id: index as u32 + 1,
                        form: word.form.clone(),
                        misc: if glued { "SpaceAfter=No".to_owned() } else { String::new() },
                        ..Word::default()
                    }
                })
                .collect(),
            multiword: split
                .multiword
                .iter()
                .map(|&(first, last)| MultiwordToken {
                    first: first as u32 + 1,
                    last: last as u32 + 1,
                    form: text[split.words[first].start..split.words[last].end].to_owned(),
                    misc: String::new(),
                })
                .collect(),
        };
        annotate_sentence_observed(models, &mut sentence, &mut done);

        let first_token = analysis.tokens.len();
        for (word, span) in sentence.words.iter().zip(&split.words) {
            analysis.tokens.push(Token {
                start: span.start,
                end: span.end,
                form: word.form.clone(),
                upos: word.upos.clone(),
                xpos: word.xpos.clone(),
                lemma: word.lemma.clone(),
                head: word.head,
                deprel: word.deprel.clone(),
            });
        }
        for (first, end_word, kind) in ner::entities(&sentence.words) {
            let last = end_word - 1;
            let (start, end) = (split.words[first].start, split.words[last].end);
            analysis.entities.push(Entity {
                start,
                end,
                text: text[start..end].to_owned(),
                kind,
                first_token: first_token + first,
                n_tokens: end_word - first,
                canonical: None,
                actor: None,
            });
        }
        analysis.sentences.push(Sentence {
            start: split.start,
            end: split.end,
            first_token,
            n_tokens: split.words.len(),
        });
        conllu.push(sentence);
        done(Step::Layers);
    }
    (analysis, conllu)
}

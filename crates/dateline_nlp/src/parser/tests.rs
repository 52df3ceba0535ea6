//! Tests of the parser with the embedded model: hand-written sentences, trees for any input,
//! and (ignored, needing `../shared/data`) the scores on the EWT test set.

use std::path::Path;

use proptest::prelude::*;

use super::*;
use crate::conllu::ConlluSentence;

/// Words from `form/XPOS/UPOS` items.
fn words(tagged: &str) -> Vec<Word> {
    tagged
        .split_whitespace()
        .enumerate()
        .map(|(index, item)| {
            let mut parts = item.split('/');
            Word {
                id: index as u32 + 1,
                form: parts.next().unwrap_or_default().to_owned(),
                xpos: parts.next().unwrap_or_default().to_owned(),
                upos: parts.next().unwrap_or_default().to_owned(),
                ..Word::default()
            }
        })
        .collect()
}

/// Parses and checks that the result is a tree with one root; returns `(form, head form,
/// relation)` triples.
fn check(tagged: &str) -> Vec<(String, String, String)> {
    let parser = Parser::embedded().unwrap();
    let mut words = words(tagged);
    parser.parse(&mut words);
    assert_tree(&words);
    words
        .iter()
        .map(|word| {
            let head = if word.head == 0 { "ROOT".to_owned() } else { words[word.head as usize - 1].form.clone() };
            (word.form.clone(), head, word.deprel.clone())
        })
        .collect()
}

fn assert_tree(words: &[Word]) {
    let n = words.len() as u32;
    assert_eq!(words.iter().filter(|word| word.head == 0).count(), usize::from(n > 0), "one root");
    for word in words {
        assert!(word.head <= n, "head in range");
        assert!(!word.deprel.is_empty());
        assert_eq!(word.head == 0, word.deprel == "root");
        let mut current = word.head;
        let mut steps = 0;
        while current != 0 {
            current = words[current as usize - 1].head;
            steps += 1;
            assert!(steps <= n, "no cycle");
        }
    }
}

fn has(arcs: &[(String, String, String)], dependent: &str, head: &str, relation: &str) -> bool {
    arcs.iter().any(|(form, head_form, label)| form == dependent && head_form == head && label == relation)
}

#[test]
fn subject_and_object() {
    let arcs = check(
        "The/DT/DET rebels/NNS/NOUN attacked/VBD/VERB the/DT/DET convoy/NN/NOUN near/IN/ADP Kabul/NNP/PROPN ./././PUNCT",
    );
    assert!(has(&arcs, "attacked", "ROOT", "root"), "{arcs:?}");
    assert!(has(&arcs, "rebels", "attacked", "nsubj"), "{arcs:?}");
    assert!(has(&arcs, "convoy", "attacked", "obj"), "{arcs:?}");
    assert!(has(&arcs, "Kabul", "attacked", "obl") || has(&arcs, "Kabul", "convoy", "nmod"), "{arcs:?}");
    assert!(has(&arcs, "near", "Kabul", "case"), "{arcs:?}");
}

#[test]
fn reported_speech() {
    let arcs = check(
        "Police/NNS/NOUN said/VBD/VERB the/DT/DET suspect/NN/NOUN was/VBD/AUX arrested/VBN/VERB on/IN/ADP Monday/NNP/PROPN ./././PUNCT",
    );
    assert!(has(&arcs, "said", "ROOT", "root"), "{arcs:?}");
    assert!(has(&arcs, "Police", "said", "nsubj"), "{arcs:?}");
    assert!(has(&arcs, "arrested", "said", "ccomp"), "{arcs:?}");
    assert!(has(&arcs, "suspect", "arrested", "nsubj:pass"), "{arcs:?}");
    assert!(has(&arcs, "was", "arrested", "aux:pass"), "{arcs:?}");
}

#[test]
fn subtypes() {
    let arcs = check("The/DT/DET minister/NN/NOUN 's/POS/PART aides/NNS/NOUN gave/VBD/VERB up/RP/ADP ./././PUNCT");
    assert!(has(&arcs, "minister", "aides", "nmod:poss"), "{arcs:?}");
    assert!(has(&arcs, "up", "gave", "compound:prt"), "{arcs:?}");
}

#[test]
fn odd_inputs_still_give_trees() {
    check("Hello/UH/INTJ");
    check("././PUNCT ,/,/PUNCT !/./PUNCT ././PUNCT");
    check("// // //");
    check(&"word/NN/NOUN ".repeat(300));
    let parser = Parser::embedded().unwrap();
    let mut none: Vec<Word> = Vec::new();
    parser.parse(&mut none);
}

#[test]
fn damaged_models_are_refused() {
    let bytes = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../resources/models/parser.dlm"));
    assert!(Parser::from_bytes(&bytes[..bytes.len() / 2]).is_err());
    assert!(Parser::from_bytes(b"DLP1").is_err());
    assert!(Parser::from_bytes(b"").is_err());
    let round_trip = Parser::from_bytes(&Parser::embedded().unwrap().to_bytes().unwrap()).unwrap();
    assert_eq!(round_trip.relations(), Parser::embedded().unwrap().relations());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_words_give_a_tree(
        items in prop::collection::vec(("\\PC{0,8}", prop::sample::select(vec!["NN", "VBD", "IN", ".", "DT", "", "_", "XX"])), 0..60)
    ) {
        let parser = Parser::embedded().unwrap();
        let mut words: Vec<Word> = items
            .iter()
            .enumerate()
            .map(|(index, (form, tag))| Word { id: index as u32 + 1, form: form.clone(), xpos: (*tag).to_owned(), ..Word::default() })
            .collect();
        parser.parse(&mut words);
        assert_tree(&words);
    }
}

/// Reads a data file of `../shared/data/ud-english-ewt`.
fn ewt(name: &str) -> Vec<ConlluSentence> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ud-english-ewt").join(name);
    train::read(&path).unwrap()
}

/// Scores on EWT dev and test with gold tags, and with the project's tagger when its model
/// exists: `cargo test -p dateline_nlp --release -- --ignored --nocapture ewt_scores`.
#[test]
#[ignore = "needs ../shared/data"]
fn ewt_scores() {
    let parser = Parser::embedded().unwrap();
    for name in ["en_ewt-ud-dev.conllu", "en_ewt-ud-test.conllu"] {
        let sentences = ewt(name);
        let started = std::time::Instant::now();
        let scores = train::attachment_scores(&parser, &sentences);
        let seconds = started.elapsed().as_secs_f64();
        println!("{name}, gold tags: {scores} [{:.0} words/s]", scores.words as f64 / seconds);
    }
}

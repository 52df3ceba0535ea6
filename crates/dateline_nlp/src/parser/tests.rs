//! Tests of the parser with the embedded model: hand-written sentences, trees for any input,
//! and (ignored, needing `../shared/data`) the scores on the EWT test set.

use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;

use super::*;
use crate::conllu::ConlluSentence;

/// The embedded parser, read once for all tests.
fn parser() -> &'static Parser {
    static PARSER: OnceLock<Parser> = OnceLock::new();
    PARSER.get_or_init(|| Parser::embedded().unwrap())
}

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
    let parser = parser();
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
    let parser = parser();
    let mut none: Vec<Word> = Vec::new();
    parser.parse(&mut none);
}

#[test]
fn damaged_models_are_refused() {
    let bytes = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../resources/models/parser.dlm"));
    assert!(Parser::from_bytes(&bytes[..bytes.len() / 2]).is_err());
    assert!(Parser::from_bytes(b"DLP1").is_err());
    assert!(Parser::from_bytes(b"").is_err());
    let round_trip = Parser::from_bytes(&parser().to_bytes().unwrap()).unwrap();
    assert_eq!(round_trip.relations(), parser().relations());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn any_words_give_a_tree(
        items in prop::collection::vec(("\\PC{0,8}", prop::sample::select(vec!["NN", "VBD", "IN", ".", "DT", "", "_", "XX"])), 0..60)
    ) {
        let parser = parser();
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

/// CPU time of this thread so far, in seconds (Linux; wall time elsewhere would mislead on a
/// busy machine, so this returns `None` there).
fn thread_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(nanos / 1e9)
}

/// Scores on EWT dev and test with gold tags, and with the project's tagger when its model
/// exists, with the speed of parsing alone: `cargo test -p dateline_nlp --release --
/// --ignored --nocapture ewt_scores`.
#[test]
#[ignore = "needs ../shared/data"]
fn ewt_scores() {
    let parser = Parser::embedded().unwrap();
    for name in ["en_ewt-ud-dev.conllu", "en_ewt-ud-test.conllu"] {
        let gold = ewt(name);
        let mut parsed = gold.clone();
        let mut scratch = Scratch::default();
        let started = thread_seconds().unwrap_or_default();
        for sentence in &mut parsed {
            parser.parse_with(&mut sentence.words, &mut scratch);
        }
        let seconds = thread_seconds().unwrap_or_default() - started;
        let words: usize = gold.iter().map(|sentence| sentence.words.len()).sum();
        let ours = train::attachment_scores(&parser, &gold);
        let official = crate::eval::conllu_scores(&gold, &parsed).unwrap();
        println!(
            "{name}, gold tags: {ours}; CoNLL 2018 UAS {:.2} LAS {:.2}; {:.0} words/s (CPU)",
            official.uas.f1(),
            official.las.f1(),
            words as f64 / seconds
        );
        let tagger = crate::tagger::Tagger::embedded().unwrap();
        let mut tagged = gold.clone();
        for sentence in &mut tagged {
            tagger.tag(&mut sentence.words);
        }
        let mut parsed = tagged.clone();
        for sentence in &mut parsed {
            parser.parse_with(&mut sentence.words, &mut scratch);
        }
        let words_total: usize = gold.iter().map(|s| s.words.len()).sum();
        let upos_right: usize = gold
            .iter()
            .zip(&tagged)
            .flat_map(|(g, t)| g.words.iter().zip(&t.words))
            .filter(|(g, t)| g.upos == t.upos)
            .count();
        let xpos_right: usize = gold
            .iter()
            .zip(&tagged)
            .flat_map(|(g, t)| g.words.iter().zip(&t.words))
            .filter(|(g, t)| g.xpos == t.xpos)
            .count();
        println!(
            "tagger: upos {:.2} xpos {:.2}",
            100.0 * upos_right as f64 / words_total as f64,
            100.0 * xpos_right as f64 / words_total as f64
        );
        let ours = train::attachment_scores(&parser, &tagged);
        let official = crate::eval::conllu_scores(&gold, &parsed).unwrap();
        println!(
            "{name}, predicted tags: {ours}; CoNLL 2018 UAS {:.2} LAS {:.2}",
            official.uas.f1(),
            official.las.f1(),
        );
    }
}

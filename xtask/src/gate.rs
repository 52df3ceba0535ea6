//! The accuracy gate: the embedded models measured on the held-out test sets, each figure
//! checked against a floor.
//!
//! A floor is one point below the bar where the models meet the bar, and one point
//! below the measured figure where they do not yet: a change may not make any figure worse by
//! more than a point. The figures are written to docs/EVALUATION.md by hand when they move.

use std::fs;
use std::path::Path;

use anyhow::Context;
use dateline_link::Linker;
use dateline_link::eval::score_actors;
use dateline_nlp::conllu::{self, ConlluSentence};
use dateline_nlp::pipeline::{self, Models};
use dateline_nlp::{eval, ner, sentence};

/// A measured figure and the lowest value it may take.
struct Check {
    name: &'static str,
    value: f64,
    floor: f64,
}

/// Measures every figure, prints them, and says whether all are at or above their floors.
pub(crate) fn run(data: &Path) -> anyhow::Result<bool> {
    let models = Models::embedded().context("loading the embedded models")?;
    let ewt_test = data.join("ud-english-ewt/en_ewt-ud-test.conllu");
    let gold = read_conllu(&ewt_test)?;

    // Gold tokens: the test file's words, annotated again.
    let mut system = gold.clone();
    for sentence in &mut system {
        pipeline::annotate_sentence(&models, sentence);
    }
    let gold_tokens = eval::conllu_scores(&gold, &system).context("scoring gold-token annotation")?;

    // Raw text: the test text, paragraphs as the treebank marks them, tokenised and split.
    let text = raw_text(&gold);
    let mut raw = sentence::to_conllu(&text, &sentence::split(&text));
    for sentence in &mut raw {
        pipeline::annotate_sentence(&models, sentence);
    }
    let raw_scores = eval::conllu_scores(&gold, &raw).context("scoring raw-text annotation")?;

    // Named entities on UNER test, gold tokens.
    let uner_test = data.join("uner-english-ewt/en_ewt-ud-test.iob2");
    let uner =
        conllu::parse_iob(&fs::read_to_string(&uner_test).with_context(|| format!("reading {}", uner_test.display()))?)
            .with_context(|| format!("parsing {}", uner_test.display()))?;
    let predicted: Vec<Vec<String>> =
        uner.iter().map(|sentence| pipeline::entity_labels(&models, &sentence.tokens)).collect();
    let entities = ner::entity_scores(&uner, &predicted);

    // Actor coding on PLOVER's gold records, through NLP and linking.
    let plover = data.join("event-coding/plover/PLOVER_GSR_CAMEO.txt");
    let linker = Linker::embedded().context("loading the embedded link resources")?;
    let records = fs::read_to_string(&plover).with_context(|| format!("reading {}", plover.display()))?;
    let actors = score_actors(&records, &linker, |text| pipeline::analyze(text, &models).0)
        .with_context(|| format!("parsing {}", plover.display()))?;

    let checks = [
        Check { name: "UPOS (gold tokens)", value: gold_tokens.upos.f1(), floor: 94.5 },
        Check { name: "XPOS (gold tokens)", value: gold_tokens.xpos.f1(), floor: 94.1 },
        Check { name: "Lemmas (gold tokens)", value: gold_tokens.lemmas.f1(), floor: 95.8 },
        Check { name: "UAS (gold tokens)", value: gold_tokens.uas.f1(), floor: 84.6 },
        Check { name: "LAS (gold tokens)", value: gold_tokens.las.f1(), floor: 81.7 },
        Check { name: "Tokens F1 (raw text)", value: raw_scores.tokens.f1(), floor: 97.0 },
        Check { name: "Sentences F1 (raw text)", value: raw_scores.sentences.f1(), floor: 84.0 },
        Check { name: "UAS (raw text)", value: raw_scores.uas.f1(), floor: 82.0 },
        Check { name: "LAS (raw text)", value: raw_scores.las.f1(), floor: 79.0 },
        Check { name: "NER micro F1 (UNER test)", value: entities.overall.f1(), floor: 74.0 },
        Check { name: "Actors, right country (PLOVER)", value: actors.share, floor: 86.4 },
    ];
    let mut all_pass = true;
    println!("{:<32} {:>7} {:>7}", "figure", "value", "floor");
    for check in &checks {
        let pass = check.value >= check.floor;
        all_pass &= pass;
        println!("{:<32} {:>7.2} {:>7.2} {}", check.name, check.value, check.floor, if pass { "ok" } else { "BELOW" });
    }
    Ok(all_pass)
}

fn read_conllu(path: &Path) -> anyhow::Result<Vec<ConlluSentence>> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    conllu::parse(&text).with_context(|| format!("parsing {}", path.display()))
}

/// The treebank's text: sentences joined by spaces within a paragraph, paragraphs (and
/// documents) separated by a blank line.
fn raw_text(sentences: &[ConlluSentence]) -> String {
    let mut text = String::new();
    for sentence in sentences {
        let starts_paragraph =
            sentence.comments.iter().any(|comment| comment.starts_with("newpar") || comment.starts_with("newdoc"));
        if !text.is_empty() {
            text.push_str(if starts_paragraph { "\n\n" } else { " " });
        }
        text.push_str(&sentence.text());
    }
    text
}

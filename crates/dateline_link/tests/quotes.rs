//! Quote and reported-speech finding over the project's own test set
//! (`tests/data/quotes.tsv`), through the real NLP pipeline.

use std::sync::OnceLock;

use dateline_doc::Analysis;
use dateline_link::quotes::{evaluate, find_quotes};
use dateline_nlp::pipeline::{Models, analyze};

/// The NLP models, loaded once per test binary.
fn models() -> &'static Models {
    static MODELS: OnceLock<Models> = OnceLock::new();
    MODELS.get_or_init(|| Models::embedded().expect("embedded models load"))
}

fn analysis(text: &str) -> Analysis {
    analyze(text, models()).0
}

#[test]
fn test_set_scores() {
    let rows = include_str!("data/quotes.tsv");
    let score = evaluate(rows, analysis);
    for line in &score.misses {
        println!("{line}");
    }
    println!("{score}");
    assert!(score.gold >= 60, "the test set has {} quotes", score.gold);
    assert!(score.span_accuracy() >= 0.90, "quote span accuracy {:.3} < 0.90", score.span_accuracy());
    assert!(score.speaker_accuracy() >= 0.85, "speaker accuracy {:.3} < 0.85", score.speaker_accuracy());
}

#[test]
fn odd_inputs_do_not_panic() {
    for text in [
        "",
        "\"",
        "\"\"\"",
        "“”‘’'\"",
        "\" \" \"",
        "He said \"",
        "\"Unclosed quote, he said.\n\n\"And another",
        "'",
        "He said that",
        "according to",
        "according to\n\n, said",
        "”Backwards“ quotes,” she said “here.",
        "Ünïcödé «quotes» „German“ ‚single‘ — “ok,” said Zoë.",
    ] {
        let found = find_quotes(text, &analysis(text));
        for quote in found {
            assert!(quote.span.end <= text.len() && quote.span.start <= quote.span.end);
            assert!(text.is_char_boundary(quote.span.start) && text.is_char_boundary(quote.span.end));
            if let Some(speaker) = quote.speaker {
                assert!(text.is_char_boundary(speaker.start) && text.is_char_boundary(speaker.end));
            }
        }
    }
}

/// Prints the parse of `QUOTES_DUMP` and the quotes found in it: `QUOTES_DUMP='...' cargo test
/// -p dateline_link --test quotes dump -- --ignored --nocapture`.
#[test]
#[ignore]
fn dump() {
    let text = std::env::var("QUOTES_DUMP").unwrap_or_default().replace("\\n", "\n");
    let analysis = analysis(&text);
    for sentence in &analysis.sentences {
        for (index, token) in
            analysis.tokens[sentence.first_token..sentence.first_token + sentence.n_tokens].iter().enumerate()
        {
            println!(
                "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                sentence.first_token + index,
                index + 1,
                token.form,
                token.lemma,
                token.upos,
                token.head,
                token.deprel
            );
        }
        println!();
    }
    for entity in &analysis.entities {
        println!("{:?} {}", entity.kind, entity.text);
    }
    for quote in find_quotes(&text, &analysis) {
        println!(
            "{:?} [{}] speaker={:?} pronoun={} cue={:?}",
            quote.direct,
            quote.span.slice(&text),
            quote.speaker.map(|s| s.slice(&text)),
            quote.pronoun,
            quote.cue.map(|c| &analysis.tokens[c].form)
        );
    }
}

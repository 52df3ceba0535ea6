//! Measures the tokenizer and sentence splitter on a UD treebank file, end to end, and derives
//! the tokenizer's word lists from a training file. Nothing here runs in `cargo test`: the
//! treebanks live in `../shared/data`, which is never committed.
//!
//! ```text
//! cargo run --release -p dateline_nlp --example segment_ewt -- score ../shared/data/ud-english-ewt/en_ewt-ud-test.conllu [--layout paragraphs|documents|sentences] [--out system.conllu]
//! cargo run --release -p dateline_nlp --example segment_ewt -- derive ../shared/data/ud-english-ewt/en_ewt-ud-train.conllu crates/dateline_nlp/src/tokenize
//! ```
//!
//! `score` rebuilds the raw text from the `# text` comments: sentences of a paragraph joined by a
//! space, paragraphs (`# newpar`, `# newdoc`) separated by a blank line. With `--layout documents`
//! only documents are separated by blank lines; with `--layout sentences` every sentence is its
//! own paragraph (an upper bound). It then splits the text, writes CoNLL-U, scores it against
//! the gold file, and times the splitter.

use std::fs;
use std::process::ExitCode;
use std::time::Instant;

use dateline_nlp::{conllu, eval, sentence, tokenize};

fn main() -> ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let result = match arguments.first().map(String::as_str) {
        Some("score") => score(&arguments[1..]),
        Some("derive") => derive(&arguments[1..]),
        _ => Err("usage: segment_ewt score GOLD [--layout L] [--out FILE] | derive TRAIN DIR".to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("segment_ewt: {message}");
            ExitCode::from(2)
        }
    }
}

/// Reads a CoNLL-U file.
fn read(path: &str) -> Result<Vec<conllu::ConlluSentence>, String> {
    let text = fs::read_to_string(path).map_err(|error| format!("{path}: {error}"))?;
    conllu::parse(&text).map_err(|error| format!("{path}: {error}"))
}

/// Rebuilds the raw text of a treebank.
fn raw_text(gold: &[conllu::ConlluSentence], layout: &str) -> String {
    let mut text = String::new();
    for sentence in gold {
        let new_document = sentence.comments.iter().any(|comment| comment.starts_with("newdoc"));
        let new_paragraph = sentence.comments.iter().any(|comment| comment.starts_with("newpar"));
        let breaks = match layout {
            "documents" => new_document,
            "sentences" => true,
            _ => new_document || new_paragraph,
        };
        if !text.is_empty() {
            text.push_str(if breaks { "\n\n" } else { " " });
        }
        text.push_str(&sentence.text());
    }
    text
}

fn score(arguments: &[String]) -> Result<(), String> {
    let gold_path = arguments.first().ok_or("score needs a gold file")?;
    let option = |name: &str| arguments.windows(2).find(|pair| pair[0] == name).map(|pair| pair[1].clone());
    let layout = option("--layout").unwrap_or_else(|| "paragraphs".to_owned());
    let gold = read(gold_path)?;
    let text = raw_text(&gold, &layout);
    let sentences = sentence::split(&text);
    let system = sentence::to_conllu(&text, &sentences);
    if let Some(out) = option("--out") {
        fs::write(&out, conllu::write(&system)).map_err(|error| format!("{out}: {error}"))?;
    }
    let scores = eval::conllu_scores(&gold, &system).map_err(|error| error.to_string())?;
    println!("{gold_path} (layout {layout})");
    for (name, metric) in [("Tokens", scores.tokens), ("Words", scores.words), ("Sentences", scores.sentences)] {
        println!(
            "{name:<10} P {:6.2}  R {:6.2}  F1 {:6.2}  (gold {}, system {})",
            metric.precision(),
            metric.recall(),
            metric.f1(),
            metric.gold_total,
            metric.system_total
        );
    }
    // Speed: tokens per second of `split`, over enough repetitions to take a second or so.
    let tokens: usize = sentences.iter().map(|sentence| sentence.words.len() - sentence.multiword.len()).sum();
    let started = Instant::now();
    let mut rounds = 0;
    while started.elapsed().as_secs_f64() < 1.0 {
        std::hint::black_box(sentence::split(std::hint::black_box(&text)));
        rounds += 1;
    }
    let split_rate = (tokens * rounds) as f64 / started.elapsed().as_secs_f64();
    let started = Instant::now();
    let mut rounds = 0;
    while started.elapsed().as_secs_f64() < 1.0 {
        std::hint::black_box(tokenize::tokenize(std::hint::black_box(&text)));
        rounds += 1;
    }
    let tokenize_rate = (tokens * rounds) as f64 / started.elapsed().as_secs_f64();
    println!(
        "speed: split {:.2} M tokens/s, tokenize alone {:.2} M tokens/s ({} bytes, {tokens} tokens)",
        split_rate / 1e6,
        tokenize_rate / 1e6,
        text.len()
    );
    Ok(())
}

fn derive(arguments: &[String]) -> Result<(), String> {
    let [train, directory, ..] = arguments else { return Err("derive needs TRAIN and DIR".to_owned()) };
    let train_sentences = read(train)?;
    let abbreviations = tokenize::derive_abbreviations(&train_sentences);
    let prefixes = tokenize::derive_hyphen_prefixes(&train_sentences);
    let write = |name: &str, function: &str, list: &[String]| {
        let path = format!("{directory}/{name}");
        let body =
            format!("# Derived from the treebank's training file by tokenize::{function}.\n{}\n", list.join("\n"));
        fs::write(&path, body).map_err(|error| format!("{path}: {error}"))
    };
    write("abbreviations.txt", "derive_abbreviations", &abbreviations)?;
    write("hyphen_prefixes.txt", "derive_hyphen_prefixes", &prefixes)?;
    println!("{} abbreviations, {} hyphen prefixes", abbreviations.len(), prefixes.len());
    Ok(())
}

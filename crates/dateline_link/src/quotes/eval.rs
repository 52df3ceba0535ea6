//! Scoring [`find_quotes`](super::find_quotes) against a gold file of tab-separated rows
//! `text`, `quote`, `speaker`, `direct`.
//!
//! `text` is one to three sentences, with `\n` (backslash, n) standing for a line break;
//! `quote` is the exact text expected as a span, or `-` for a text that holds no quote;
//! `speaker` is the exact speaker mention expected, or `-` for none; `direct` is `yes` or `no`.
//! Rows with the same text list that text's quotes one per row. Empty lines, lines starting
//! with `#` and a header line starting with `text` are skipped.

use std::fmt;

use dateline_doc::Analysis;
use rustc_hash::FxHashMap;

use super::{QuoteSpan, find_quotes};

/// The counts of a gold-file evaluation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct QuoteScore {
    /// Rows expecting a quote.
    pub gold: usize,
    /// Of those, quotes found with exactly the expected span.
    pub spans_exact: usize,
    /// Of those, found with exactly the expected speaker (or none, when none is expected).
    pub speakers_exact: usize,
    /// Of those, found as direct or reported as expected.
    pub direct_correct: usize,
    /// Rows expecting no quote.
    pub negatives: usize,
    /// Of those, texts where nothing beyond the expected quotes was found.
    pub negatives_clean: usize,
    /// Quotes found over all distinct texts.
    pub found: usize,
    /// One line per row that failed, for people.
    pub misses: Vec<String>,
}

impl QuoteScore {
    /// Share of rows right: gold quotes found with their exact span, and negative rows with
    /// nothing found.
    pub fn span_accuracy(&self) -> f64 {
        ratio(self.spans_exact + self.negatives_clean, self.gold + self.negatives)
    }

    /// Share of gold quotes found with their exact span and exact speaker.
    pub fn speaker_accuracy(&self) -> f64 {
        ratio(self.speakers_exact, self.gold)
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 { 1.0 } else { part as f64 / whole as f64 }
}

impl fmt::Display for QuoteScore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "quote spans: {}/{} exact, negatives {}/{} clean: accuracy {:.1}%",
            self.spans_exact,
            self.gold,
            self.negatives_clean,
            self.negatives,
            100.0 * self.span_accuracy()
        )?;
        writeln!(f, "speakers: {}/{} exact: {:.1}%", self.speakers_exact, self.gold, 100.0 * self.speaker_accuracy())?;
        write!(f, "direct/reported right: {}/{}; quotes found in all: {}", self.direct_correct, self.gold, self.found)
    }
}

/// Scores [`find_quotes`](super::find_quotes) over the gold `rows`, analysing each distinct
/// text once with `analyze`.
pub fn evaluate(rows: &str, analyze: impl Fn(&str) -> Analysis) -> QuoteScore {
    let mut score = QuoteScore::default();
    let mut cache: FxHashMap<String, Vec<(String, Option<String>, bool)>> = FxHashMap::default();
    let parsed: Vec<[String; 4]> = rows
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#') && !line.starts_with("text\t"))
        .filter_map(|line| {
            let mut fields = line.split('\t').map(|field| field.trim().replace("\\n", "\n"));
            Some([fields.next()?, fields.next()?, fields.next()?, fields.next().unwrap_or_else(|| "yes".to_owned())])
        })
        .collect();
    for [text, quote, speaker, direct] in &parsed {
        let found = cache.entry(text.clone()).or_insert_with(|| {
            let analysis = analyze(text);
            let quotes = find_quotes(text, &analysis);
            score.found += quotes.len();
            quotes.iter().map(|quote: &QuoteSpan| describe(text, quote)).collect()
        });
        if quote == "-" {
            score.negatives += 1;
            let expected: Vec<&str> =
                parsed.iter().filter(|row| row[0] == *text && row[1] != "-").map(|row| row[1].as_str()).collect();
            let extra: Vec<&str> =
                found.iter().map(|(span, ..)| span.as_str()).filter(|span| !expected.contains(span)).collect();
            if extra.is_empty() {
                score.negatives_clean += 1;
            } else {
                score.misses.push(format!("NEGATIVE {text:?}: found {extra:?}"));
            }
            continue;
        }
        score.gold += 1;
        let Some((_, got_speaker, got_direct)) = found.iter().find(|(span, ..)| span == quote) else {
            let spans: Vec<&str> = found.iter().map(|(span, ..)| span.as_str()).collect();
            score.misses.push(format!("SPAN {text:?}: want {quote:?}, found {spans:?}"));
            continue;
        };
        score.spans_exact += 1;
        let want_speaker = (speaker != "-").then_some(speaker.as_str());
        if got_speaker.as_deref() == want_speaker {
            score.speakers_exact += 1;
        } else {
            score.misses.push(format!("SPEAKER {text:?} / {quote:?}: want {want_speaker:?}, got {got_speaker:?}"));
        }
        if *got_direct == (direct == "yes") {
            score.direct_correct += 1;
        } else {
            score.misses.push(format!("DIRECT {text:?} / {quote:?}: want {direct}"));
        }
    }
    score
}

/// A found quote as text: its span, its speaker, whether direct.
fn describe(text: &str, quote: &QuoteSpan) -> (String, Option<String>, bool) {
    let slice = |range: dateline_doc::TextRange| text.get(range.start..range.end).unwrap_or_default().to_owned();
    (slice(quote.span), quote.speaker.map(slice), quote.direct)
}

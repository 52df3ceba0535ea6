//! The time finder on the project's own gold sentences: exact matches (span text and value)
//! over the expected expressions, and no expression at all in the sentences that have none.

use dateline_link::time::{evaluate, find_times};

const GOLD: &str = include_str!("data/times.tsv");

/// The expressions the gold file expects in `sentence`.
fn expected_in(sentence: &str) -> impl Iterator<Item = &'static str> + '_ {
    GOLD.lines().filter_map(move |line| {
        let mut fields = line.split('\t');
        let _anchor = fields.next()?;
        (fields.next()? == sentence).then(|| fields.next()).flatten()
    })
}

#[test]
fn gold_sentences() {
    let score = evaluate(GOLD).expect("the gold file parses");
    let rate = score.exact_rate();
    println!(
        "times: {} expressions, {} exact ({:.1}%), {} span only, {} wrong granularity, {} false positives on \
         negative rows, {} spurious elsewhere",
        score.expressions,
        score.exact,
        rate * 100.0,
        score.span_only,
        score.wrong_granularity,
        score.false_positives,
        score.spurious,
    );
    // Show what went wrong (run with --nocapture).
    {
        for line in GOLD.lines().skip(1) {
            let fields: Vec<&str> = line.split('\t').collect();
            let [anchor, sentence, expression, value, _] = fields[..] else { continue };
            let anchor = chrono::NaiveDate::parse_from_str(anchor, "%Y-%m-%d").ok();
            let found = find_times(sentence, anchor);
            let hit = found.iter().any(|mention| mention.text == expression && mention.value == value);
            let wrong = if expression == "-" { !found.is_empty() } else { !hit };
            let extra: Vec<&str> = found
                .iter()
                .map(|mention| mention.text.as_str())
                .filter(|text| expression != "-" && !expected_in(sentence).any(|expected| expected == *text))
                .collect();
            if !extra.is_empty() {
                println!("EXTRA {sentence:?}: {extra:?}");
            }
            if wrong {
                let got: Vec<(&str, &str)> =
                    found.iter().map(|mention| (mention.text.as_str(), mention.value.as_str())).collect();
                println!("MISS {anchor:?} {sentence:?}: want {expression:?} = {value}, got {got:?}");
            }
        }
    }
    assert!(rate >= 0.95, "exact match rate {:.1}% is below 95%", rate * 100.0);
    assert_eq!(score.false_positives, 0, "expressions found in sentences that have none");
}

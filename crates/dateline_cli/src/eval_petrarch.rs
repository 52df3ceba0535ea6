//! `dateline eval petrarch`: codes PETRARCH validation records (`PETR_Validate_records_*.xml`)
//! with PETRARCH dictionaries and scores the codings against the records' expected ones
//! (exact source, target and event code).

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::NaiveDate;
use clap::Args;
use dateline_code::petrarch::{Discard, code_sentence};
use dateline_doc::{Analysis, Sentence, Timestamp, Token};
use dateline_link::Linker;
use dateline_nlp::conllu;
use dateline_nlp::pipeline::{self, Models};

/// Arguments of `dateline eval petrarch`.
#[derive(Debug, Args)]
pub(crate) struct PetrarchArgs {
    /// The validation records (XML: `<Sentence>` with `<EventCoding>`, `<Text>`, `<Parse>`).
    records: PathBuf,

    /// Directory of the verbs, actors and agents dictionaries (`*verbs*` or `CAMEO*`,
    /// `*actors*`, `*agents*`), and optionally the discard list (`*discards*`) and the coding
    /// ontology (`*ontology*`, for negated verbs); default: the records file's directory.
    #[arg(long)]
    dict_dir: Option<PathBuf>,

    /// Use each record's own CoNLL-U parse instead of dateline's pipeline on its text.
    #[arg(long)]
    keep_parse: bool,

    /// Write one JSON line per record with the codings found and the actors linked.
    #[arg(long)]
    details: Option<PathBuf>,

    /// Fail (exit 1) when the share of expected codings found is below this percentage: an
    /// accuracy gate for CI.
    #[arg(long, value_name = "PERCENT")]
    min_found: Option<f64>,

    /// Fail (exit 1) when there are more extra codings per 100 records than this.
    #[arg(long, value_name = "PER_100")]
    max_extra: Option<f64>,
}

/// One validation record.
#[derive(Debug, Default)]
struct Record {
    id: String,
    date: Option<NaiveDate>,
    evaluate: bool,
    expected: Vec<(String, String, String)>,
    text: String,
    parse: String,
}

pub(crate) fn petrarch_command(args: &PetrarchArgs) -> anyhow::Result<ExitCode> {
    let xml = fs::read_to_string(&args.records).with_context(|| format!("reading {}", args.records.display()))?;
    let records = read_records(&xml);
    let dir = match &args.dict_dir {
        Some(dir) => dir.clone(),
        None => args.records.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from(".")),
    };
    let crate::dictionaries::PetrarchDictionaries { verbs, actors, discards } =
        crate::dictionaries::load_petrarch_dir(&dir)?;
    let linker = Linker::with_actors(actors).context("loading the gazetteer")?;
    let models = if args.keep_parse { None } else { Some(Models::embedded().context("loading the NLP models")?) };
    let mut details = match &args.details {
        Some(path) => {
            Some(BufWriter::new(fs::File::create(path).with_context(|| format!("creating {}", path.display()))?))
        }
        None => None,
    };

    let (mut evaluated, mut expected, mut found, mut extra, mut passed) = (0usize, 0usize, 0usize, 0usize, 0usize);
    for record in records.iter().filter(|record| record.evaluate) {
        let (text, analysis) = match &models {
            None => match analysis_from_conllu(&record.parse) {
                Some(built) => built,
                None => {
                    eprintln!("{}: unreadable parse, coded from nothing", record.id);
                    (String::new(), Analysis::default())
                }
            },
            Some(models) => {
                let text = record.text.split_whitespace().collect::<Vec<_>>().join(" ");
                let (analysis, _) = pipeline::analyze(&text, models);
                (text, analysis)
            }
        };
        let published = record.date.map(Timestamp::Date);
        let links = linker.link(&text, &analysis, published);
        let mut codings: Vec<(String, String, String)> = Vec::new();
        let mut rules: Vec<String> = Vec::new();
        // A record is a story: a story discard anywhere drops it all, a sentence discard
        // its sentence.
        let discarded: Vec<Option<&Discard>> = analysis
            .sentences
            .iter()
            .map(|s| {
                discards.find(&analysis.tokens[s.first_token..(s.first_token + s.n_tokens).min(analysis.tokens.len())])
            })
            .collect();
        let story_discarded = discarded.iter().flatten().any(|discard| discard.story);
        for (sentence, discard) in discarded.iter().enumerate() {
            if story_discarded || discard.is_some() {
                continue;
            }
            for coding in code_sentence(&verbs, &analysis, sentence, &links.entities) {
                let rule = format!("{} {}: {}", coding.code, analysis.tokens[coding.trigger].form, coding.rule);
                let key = (coding.source.code, coding.target.code, coding.code);
                if !codings.contains(&key) {
                    codings.push(key);
                    rules.push(rule);
                }
            }
        }
        evaluated += 1;
        expected += record.expected.len();
        let hits = record.expected.iter().filter(|want| codings.contains(want)).count();
        let extras = codings.iter().filter(|got| !record.expected.contains(got)).count();
        found += hits;
        extra += extras;
        if hits == record.expected.len() && extras == 0 {
            passed += 1;
        }
        if let Some(out) = details.as_mut() {
            let list: Vec<serde_json::Value> = codings
                .iter()
                .map(|(source, target, code)| serde_json::json!({"source": source, "target": target, "code": code}))
                .collect();
            let expected: Vec<serde_json::Value> = record
                .expected
                .iter()
                .map(|(source, target, code)| serde_json::json!({"source": source, "target": target, "code": code}))
                .collect();
            let actors: Vec<String> = links
                .entities
                .iter()
                .filter_map(|entity| entity.actor.as_ref().map(|actor| format!("{}={actor}", entity.text)))
                .collect();
            let line = serde_json::json!({
                "id": record.id, "codings": list, "expected": expected, "text": text, "actors": actors,
                "rules": rules
            });
            writeln!(out, "{line}").context("writing details")?;
        }
    }
    if let Some(mut out) = details {
        out.flush().context("writing details")?;
    }
    let percent = |part: usize, whole: usize| if whole == 0 { 0.0 } else { 100.0 * part as f64 / whole as f64 };
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "records evaluated  {evaluated}")?;
    writeln!(stdout, "expected codings   {expected}")?;
    writeln!(stdout, "found              {found} ({:.1}%)", percent(found, expected))?;
    writeln!(stdout, "extra codings      {extra} ({:.1} per 100 records)", percent(extra, evaluated))?;
    writeln!(stdout, "records passed     {passed} ({:.1}%)", percent(passed, evaluated))?;
    let found_share = percent(found, expected);
    let extra_rate = percent(extra, evaluated);
    if args.min_found.is_some_and(|floor| found_share < floor)
        || args.max_extra.is_some_and(|ceiling| extra_rate > ceiling)
    {
        eprintln!(
            "dateline: below the gate: found {found_share:.1}% (floor {:?}), extra {extra_rate:.1} per 100 records (ceiling {:?})",
            args.min_found, args.max_extra
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Builds an `Analysis` from one record's CoNLL-U: the text is the words joined by spaces
/// (none after `SpaceAfter=No`), each sentence of the parse a sentence of the text.
fn analysis_from_conllu(parse: &str) -> Option<(String, Analysis)> {
    let sentences = conllu::parse(parse).ok()?;
    let mut text = String::new();
    let mut analysis = Analysis::default();
    for sentence in &sentences {
        if !text.is_empty() && !text.ends_with(' ') {
            text.push(' ');
        }
        let first_token = analysis.tokens.len();
        let start = text.len();
        for word in &sentence.words {
            let begin = text.len();
            text.push_str(&word.form);
            analysis.tokens.push(Token {
                start: begin,
                end: text.len(),
                form: word.form.clone(),
                upos: word.upos.clone(),
                xpos: word.xpos.clone(),
                lemma: word.lemma.clone(),
                head: word.head,
                deprel: word.deprel.clone(),
            });
            if !word.no_space_after() {
                text.push(' ');
            }
        }
        let end = text.trim_end().len().max(start);
        analysis.sentences.push(Sentence { start, end, first_token, n_tokens: sentence.words.len() });
    }
    let trimmed = text.trim_end().len();
    text.truncate(trimmed);
    Some((text, analysis))
}

/// A small reader for the records file: `<Sentence>` elements with their `<EventCoding>`,
/// `<Text>` and `<Parse>` children; comments are skipped.
fn read_records(xml: &str) -> Vec<Record> {
    let mut records = Vec::new();
    let mut current: Option<Record> = None;
    let mut at = 0;
    while let Some(offset) = xml[at..].find('<') {
        let open = at + offset;
        if xml[open..].starts_with("<!--") {
            at = xml[open..].find("-->").map_or(xml.len(), |close| open + close + 3);
            continue;
        }
        let Some(close) = xml[open..].find('>').map(|close| open + close) else { break };
        let tag = &xml[open + 1..close];
        at = close + 1;
        let name = tag.split(char::is_whitespace).next().unwrap_or("").trim_end_matches('/');
        match name {
            "Sentence" => {
                current = Some(Record {
                    id: attribute(tag, "id").unwrap_or_default(),
                    date: attribute(tag, "date").and_then(|date| NaiveDate::parse_from_str(&date, "%Y%m%d").ok()),
                    evaluate: attribute(tag, "evaluate").is_none_or(|value| !value.eq_ignore_ascii_case("false")),
                    ..Record::default()
                })
            }
            "/Sentence" => records.extend(current.take()),
            "EventCoding" => {
                if let (Some(record), Some(source), Some(target), Some(code)) = (
                    current.as_mut(),
                    attribute(tag, "sourcecode"),
                    attribute(tag, "targetcode"),
                    attribute(tag, "eventcode"),
                ) {
                    record.expected.push((source, target, code));
                }
            }
            "Text" | "Parse" => {
                let end_tag = format!("</{name}>");
                let end = xml[at..].find(&end_tag).map_or(xml.len(), |end| at + end);
                let content = unescape(&xml[at..end]);
                if let Some(record) = current.as_mut() {
                    if name == "Text" {
                        record.text = content;
                    } else {
                        record.parse = content;
                    }
                }
                at = (end + end_tag.len()).min(xml.len());
            }
            _ => {}
        }
    }
    records
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let mut rest = tag;
    while let Some(at) = rest.find(name) {
        let before_ok = at == 0 || rest[..at].ends_with(char::is_whitespace);
        let after = rest[at + name.len()..].trim_start();
        if let Some(value) = after.strip_prefix('=').filter(|_| before_ok) {
            let value = value.trim_start();
            let quote = value.chars().next()?;
            if quote == '"' || quote == '\'' {
                let body = &value[1..];
                let end = body.find(quote)?;
                return Some(unescape(&body[..end]));
            }
        }
        rest = &rest[at + name.len()..];
    }
    None
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

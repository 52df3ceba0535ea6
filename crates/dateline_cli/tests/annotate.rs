//! End-to-end tests of `dateline annotate` on pages the project wrote itself: the command is
//! run as a user runs it, and its JSON is checked field by field.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../samples/news")
}

fn test_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

/// Runs `dateline annotate` with `args`, feeding `stdin`.
fn annotate(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dateline"))
        .arg("annotate")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut input = child.stdin.take().expect("stdin is piped");
    let stdin = stdin.to_vec();
    // The command may stop reading early (an over-size document): a broken pipe is fine.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let output = child.wait_with_output().expect("the binary finishes");
    writer.join().expect("the writer thread finishes");
    output
}

/// The JSON objects printed, one per line.
fn records(output: &Output) -> Vec<Value> {
    String::from_utf8(output.stdout.clone())
        .expect("stdout is UTF-8")
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect()
}

fn paragraphs(record: &Value) -> Vec<String> {
    let text = record["text"].as_str().unwrap();
    record["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|paragraph| {
            let start = paragraph["start"].as_u64().unwrap() as usize;
            let end = paragraph["end"].as_u64().unwrap() as usize;
            text[start..end].to_owned()
        })
        .collect()
}

fn removed_reasons(record: &Value) -> Vec<(String, String)> {
    record["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| (item["text"].as_str().unwrap().to_owned(), item["reason"].as_str().unwrap().to_owned()))
        .collect()
}

#[test]
fn news_page_keeps_the_article_and_drops_the_chrome() {
    let path = samples().join("hanoi-talks.html");
    let output = annotate(&[path.to_str().unwrap()], b"");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let records = records(&output);
    assert_eq!(records.len(), 1);
    let record = &records[0];
    assert_eq!(record["schema"], "dateline/1");
    assert_eq!(record["source"]["format"], "html");

    let meta = &record["meta"];
    assert_eq!(meta["title"], "Vietnam and Japan agree to expand coast guard cooperation");
    assert_eq!(meta["published"], "2024-03-12T08:15:00+07:00");
    assert_eq!(meta["modified"], "2024-03-12T10:40:00+07:00");
    assert_eq!(meta["authors"], serde_json::json!(["Linh Tran", "Kenji Mori"]));
    assert_eq!(meta["site"], "The Meridian Post");
    assert_eq!(meta["url"], "https://meridianpost.example/world/2024/03/12/vietnam-japan-coast-guard");
    assert_eq!(meta["section"], "World");
    assert_eq!(meta["language"], "en");

    let paragraphs = paragraphs(record);
    assert!(paragraphs[0].starts_with("HANOI — Vietnam and Japan agreed on Tuesday"), "{paragraphs:?}");
    assert_eq!(
        paragraphs.last().unwrap(),
        "The ministers also agreed to hold their next round of talks in Tokyo later this year."
    );
    assert!(paragraphs.contains(&"What the agreement covers".to_owned()));
    assert!(paragraphs.contains(&"a hotline between the two coast guard headquarters;".to_owned()));
    let kinds: Vec<&str> =
        record["paragraphs"].as_array().unwrap().iter().map(|p| p["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"heading") && kinds.contains(&"item"));

    let text = record["text"].as_str().unwrap();
    for chrome in [
        "Skip to main content",
        "Share on Facebook",
        "Advertisement",
        "Related",
        "Philippines protests",
        "Good news for the region",
        "Most read",
        "All rights reserved",
        "We use cookies",
        "Sign up",
        "Photo:",
    ] {
        assert!(!text.contains(chrome), "{chrome:?} survived in {text}");
    }
    let removed = removed_reasons(record);
    assert!(removed.contains(&("Advertisement".to_owned(), "advertisement".to_owned())), "{removed:?}");
}

#[test]
fn dates_only_in_json_ld() {
    let path = test_data().join("jsonld-only.html");
    let output = annotate(&[path.to_str().unwrap()], b"");
    assert!(output.status.success());
    let record = &records(&output)[0];
    assert_eq!(record["meta"]["published"], "2023-11-02T14:30:00Z");
    assert_eq!(record["meta"]["modified"], "2023-11-03T09:00:00Z");
    assert_eq!(record["meta"]["authors"], serde_json::json!(["Dana Whitfield"]));
    assert!(record["text"].as_str().unwrap().starts_with("The city council voted on Thursday"));
}

#[test]
fn scraped_text_loses_its_chrome_and_keeps_its_body() {
    let path = samples().join("port-strike-scraped.txt");
    let output = annotate(&[path.to_str().unwrap()], b"");
    assert!(output.status.success());
    let record = &records(&output)[0];
    assert_eq!(record["source"]["format"], "text");
    assert_eq!(record["meta"]["published"], "2021-01-19T09:52:00Z");
    let paragraphs = paragraphs(record);
    assert!(paragraphs[0].starts_with("Dockworkers at the country's two largest container ports"), "{paragraphs:?}");
    assert!(paragraphs.contains(&"What the deal includes".to_owned()), "{paragraphs:?}");
    assert!(paragraphs.iter().any(|p| p.contains("hire 300 additional crane operators")), "{paragraphs:?}");
    assert!(paragraphs.last().unwrap().starts_with("Shipping agents said"), "{paragraphs:?}");
    let text = record["text"].as_str().unwrap();
    for chrome in [
        "Listen Live",
        "Get short URL",
        "Share this",
        "views and opinions",
        "Tags:",
        "Community standards",
        "Download our app",
        "©",
    ] {
        assert!(!text.contains(chrome), "{chrome:?} survived in {text}");
    }
    let reasons: Vec<String> = removed_reasons(record).into_iter().map(|(_, reason)| reason).collect();
    assert!(reasons.iter().any(|reason| reason == "disclaimer"), "{reasons:?}");
}

#[test]
fn text_taken_as_is_keeps_everything() {
    let output = annotate(&["--from", "text", "-"], b"Listen Live\n\nFirst paragraph.\nStill first.\n\nSecond.");
    assert!(output.status.success());
    let record = &records(&output)[0];
    assert_eq!(paragraphs(record), vec!["Listen Live", "First paragraph. Still first.", "Second."]);
}

#[test]
fn feed_items_become_articles() {
    let path = samples().join("feed.rss");
    let output = annotate(&[path.to_str().unwrap()], b"");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let records = records(&output);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["source"]["format"], "rss");
    assert_eq!(records[0]["meta"]["title"], "Kenya and Ethiopia sign border trade agreement");
    assert_eq!(records[0]["meta"]["published"], "2024-03-14T06:30:00Z");
    assert_eq!(records[0]["meta"]["url"], "https://meridianpost.example/world/2024/03/14/kenya-ethiopia-trade");
    assert!(records[0]["text"].as_str().unwrap().contains("Moyale"));
    assert!(records[1]["text"].as_str().unwrap().starts_with("SANTIAGO"));
}

/// A WARC with a request record, an HTML response and an image response, per-record gzip.
fn small_warc() -> Vec<u8> {
    use flate2::Compression;
    use flate2::write::GzEncoder;

    fn record(kind: &str, uri: &str, content_type: &str, body: &str) -> Vec<u8> {
        let payload = format!("HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n\r\n{body}");
        let payload = if kind == "request" { "GET / HTTP/1.1\r\nHost: example\r\n\r\n".to_owned() } else { payload };
        let head = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2024-03-15T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:{kind}-{}>\r\nContent-Type: application/http; msgtype={kind}\r\nContent-Length: {}\r\n\r\n",
            uri.len(),
            payload.len()
        );
        let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
        encoder.write_all(head.as_bytes()).unwrap();
        encoder.write_all(payload.as_bytes()).unwrap();
        encoder.write_all(b"\r\n\r\n").unwrap();
        encoder.finish().unwrap()
    }

    let page = "<html><head><title>Port reopens after storm</title></head><body><article><p>The port of Durban reopened on Friday after a storm closed it for two days, the harbour authority said.</p><p>Shipping lines said delays would ease by the end of next week.</p></article></body></html>";
    let mut warc = Vec::new();
    warc.extend(record("request", "https://news.example/port", "", ""));
    warc.extend(record("response", "https://news.example/port", "text/html; charset=utf-8", page));
    warc.extend(record("response", "https://news.example/logo.png", "image/png", "PNG"));
    warc
}

#[test]
fn warc_responses_become_articles() {
    let output = annotate(&["-"], &small_warc());
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let records = records(&output);
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["source"]["format"], "warc");
    assert_eq!(records[0]["meta"]["url"], "https://news.example/port");
    assert!(records[0]["text"].as_str().unwrap().starts_with("The port of Durban reopened"));
}

#[test]
fn jsonl_batch_keeps_ids_order_and_reports_bad_lines() {
    let input = concat!(
        r#"{"id": "a", "url": "https://news.example/a", "html": "<p>Talks between the two sides resumed in Geneva on Monday, diplomats said.</p>"}"#,
        "\n",
        "{not json\n",
        r#"{"id": "c", "text": "Share this\nThe strike ended on Tuesday after workers accepted the offer from the company."}"#,
        "\n",
    );
    let output = annotate(&["--jsonl"], input.as_bytes());
    assert_eq!(output.status.code(), Some(1), "a bad line gives exit code 1");
    let records = records(&output);
    assert_eq!(records.len(), 3);
    assert_eq!(records[0]["id"], "a");
    assert!(records[0]["articleBody"].as_str().unwrap().starts_with("Talks between"));
    assert!(records[1]["error"].as_str().unwrap().contains("line 2"), "{:?}", records[1]);
    assert_eq!(records[2]["id"], "c");
    assert_eq!(
        records[2]["articleBody"],
        "The strike ended on Tuesday after workers accepted the offer from the company."
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("line 2"));
}

#[test]
fn missing_input_is_a_clear_error() {
    let output = annotate(&["/nonexistent/page.html"], b"");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("/nonexistent/page.html"), "{stderr}");
}

#[test]
fn hostile_input_gives_output_not_a_panic() {
    let deep = "<div>".repeat(10_000) + "<p>Deep inside ten thousand elements, the text is still found.</p>";
    let binary: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    for input in [deep.as_bytes(), &binary, b"", b"\xff\xfe\x00<\x00p", b"<html><body><p>caf\xe9</p>"] {
        let output = annotate(&["-"], input);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(matches!(output.status.code(), Some(0..=2)), "{stderr}");
    }
    let output = annotate(&["-"], deep.as_bytes());
    assert!(records(&output)[0]["text"].as_str().unwrap().contains("ten thousand elements"));
}

#[test]
fn a_hundred_megabyte_page_is_refused_with_the_limit_named() {
    let mut page = b"<html><body><p>".to_vec();
    page.resize(100 * 1024 * 1024, b'a');
    let output = annotate(&["-"], &page);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("limit"), "{stderr}");
}

#[test]
fn nlp_layers_in_json_and_conllu() {
    let path = samples().join("hanoi-talks.html");
    let output = annotate(&["--tokens", path.to_str().unwrap()], b"");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let record = &records(&output)[0];
    let text = record["text"].as_str().unwrap();
    let sentences = record["sentences"].as_array().unwrap();
    assert!(sentences.len() >= 10, "{sentences:?}");
    let first = &sentences[0];
    let first_text = &text[first["start"].as_u64().unwrap() as usize..first["end"].as_u64().unwrap() as usize];
    assert!(first_text.ends_with("South China Sea."), "{first_text}");
    let entities: Vec<(String, String)> = record["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entity| (entity["text"].as_str().unwrap().to_owned(), entity["type"].as_str().unwrap().to_owned()))
        .collect();
    assert!(entities.contains(&("Bui Thanh Son".to_owned(), "PER".to_owned())), "{entities:?}");
    assert!(entities.contains(&("Hanoi".to_owned(), "LOC".to_owned())), "{entities:?}");
    let tokens = record["tokens"].as_array().unwrap();
    let agreed = tokens.iter().find(|token| token["form"] == "agreed").expect("a token for agreed");
    assert_eq!(agreed["upos"], "VERB");
    assert_eq!(agreed["lemma"], "agree");
    assert_eq!(agreed["deprel"], "root");

    let output = annotate(&["--format", "conllu", path.to_str().unwrap()], b"");
    let conllu = String::from_utf8(output.stdout).unwrap();
    assert!(conllu.contains("# text = HANOI — Vietnam and Japan agreed"), "{conllu}");
    assert!(conllu.contains("\tNE=B-PER"), "{conllu}");
}

#[test]
fn conllu_input_keeps_its_tokens() {
    let input = "# sent_id = a\n# text = Officials met in Geneva.\n1\tOfficials\t_\t_\t_\t_\t_\t_\t_\t_\n2\tmet\t_\t_\t_\t_\t_\t_\t_\t_\n3\tin\t_\t_\t_\t_\t_\t_\t_\t_\n4\tGeneva\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n5\t.\t_\t_\t_\t_\t_\t_\t_\t_\n\n";
    let output = annotate(&["--from", "conllu", "--format", "conllu", "-"], input.as_bytes());
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let conllu = String::from_utf8(output.stdout).unwrap();
    let rows: Vec<Vec<&str>> = conllu
        .lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(|l| l.split('\t').collect())
        .collect();
    assert_eq!(rows.len(), 5);
    assert_eq!(rows.iter().map(|row| row[1]).collect::<Vec<_>>(), ["Officials", "met", "in", "Geneva", "."]);
    assert_eq!(rows[1][7], "root");
    assert!(rows[3][9].contains("SpaceAfter=No") && rows[3][9].contains("NE=B-LOC"), "{conllu}");
    let refused = annotate(&["--from", "conllu", "-"], input.as_bytes());
    assert_eq!(refused.status.code(), Some(2));
}

#[test]
fn link_layers_on_the_sample_page() {
    let page = samples().join("hanoi-talks.html");
    let output = annotate(&[page.to_str().unwrap()], b"");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let record = &records(&output)[0];
    let coded = |text: &str| {
        record["entities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|entity| entity["text"] == text)
            .map(|entity| entity["actor"].as_str().unwrap_or("-").to_owned())
    };
    assert_eq!(coded("Bui Thanh Son").as_deref(), Some("VNMGOV"));
    assert_eq!(coded("Japan").as_deref(), Some("JPN"));
    let place = record["places"].as_array().unwrap().iter().find(|place| place["text"] == "Tokyo").unwrap();
    assert_eq!(place["country"], "JPN");
    assert!((place["lat"].as_f64().unwrap() - 35.69).abs() < 0.1);
    // The page was published on 2024-03-12 (a Tuesday): "Tuesday" is that day.
    let tuesday = record["times"].as_array().unwrap().iter().find(|time| time["text"] == "Tuesday").unwrap();
    assert_eq!(tuesday["value"], "2024-03-12");
    let quote = &record["quotes"][0];
    assert_eq!(quote["direct"], true);
    assert_eq!(quote["speaker_actor"], "JPNGOV");
    assert!(record["tone"]["words"].as_u64().unwrap() > 100);
}

#[test]
fn user_dictionary_wins_and_bad_lines_are_named() {
    let dir = std::env::temp_dir().join(format!("dateline-actors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let dictionary = dir.join("mine.tsv");
    std::fs::write(&dictionary, "# names\tcode\nBui Thanh Son\tVNMELI\nbroken line\n").unwrap();
    let page = samples().join("hanoi-talks.html");
    let output = annotate(&["--actors", dictionary.to_str().unwrap(), page.to_str().unwrap()], b"");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("mine.tsv:3:") && stderr.contains("line skipped"), "{stderr}");
    let record = &records(&output)[0];
    let bui = record["entities"].as_array().unwrap().iter().find(|entity| entity["text"] == "Bui Thanh Son").unwrap();
    assert_eq!(bui["actor"], "VNMELI");

    let missing = annotate(&["--actors", dir.join("absent.tsv").to_str().unwrap(), page.to_str().unwrap()], b"");
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("absent.tsv"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn events_from_the_built_in_dictionary_and_from_petrarch_dictionaries() {
    let text = r#"{"id": "a", "text": "Israel attacked Hamas positions in Gaza on Tuesday. The rebels did not attack the base.", "published": "2019-02-28"}"#;
    let output = annotate(&["--jsonl"], text.as_bytes());
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let record = &records(&output)[0];
    let event = &record["events"][0];
    assert_eq!(event["source"]["code"], "ISR");
    assert_eq!(event["cameo"], "190");
    assert_eq!(event["quad"], 4);
    assert_eq!(record["suppressed"][0]["reason"], "negated");

    // The same text with a PETRARCH dictionary directory of the project's own making.
    let dir = std::env::temp_dir().join(format!("dateline-dict-dir-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("test.verbs.txt"), "--- ATTACK [190] ---\nATTACK\n- * + [193]\n").unwrap();
    std::fs::write(dir.join("test.actors.txt"), "ISRAEL_ [ISR]\nHAMAS_ [PSEREB]\n").unwrap();
    std::fs::write(dir.join("test.agents.txt"), "REBEL [~REB]\n").unwrap();
    let output = annotate(&["--jsonl", "--dict-dir", dir.to_str().unwrap()], text.as_bytes());
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let record = &records(&output)[0];
    let event = &record["events"][0];
    assert_eq!((event["source"]["code"].as_str(), event["target"]["code"].as_str()), (Some("ISR"), Some("PSEREB")));
    assert_eq!(event["cameo"], "193");
    assert!(event["rule"].as_str().unwrap().starts_with("petrarch:"), "{}", event["rule"]);

    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let output = annotate(&["--jsonl", "--dict-dir", empty.to_str().unwrap()], text.as_bytes());
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no verb dictionary"));
    std::fs::remove_dir_all(&dir).ok();
}

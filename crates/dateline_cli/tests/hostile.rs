//! Hostile inputs, made here: compression bombs, a 1 GiB line, 100,000-deep nesting, invalid
//! UTF-8, NUL bytes, huge attributes, invisible and bidirectional characters, markup in every
//! metadata field. Each runs through the whole command (`dateline annotate`, every stage) under
//! stated bounds: a clear error naming the input or a clean output, within [`MAX_SECONDS`] and
//! [`MAX_RSS_MIB`] of peak resident memory, and the rest of the batch processed. The bounds are
//! those of a debug build on a loaded 2-core machine; docs/RELIABILITY.md lists the measured
//! times and memory of each run.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use flate2::Compression;
use flate2::write::GzEncoder;
use serde_json::Value;

/// The longest any one hostile input may take, start-up and model loading included.
const MAX_SECONDS: u64 = 120;
/// The most resident memory any one run may reach.
const MAX_RSS_MIB: u64 = 1024;

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    seconds: f64,
    peak_rss_mib: u64,
}

impl Run {
    /// The JSON documents printed, one per line.
    fn documents(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .filter(|line| !line.trim().is_empty())
            .map(|line| serde_json::from_str(line).unwrap_or_else(|error| panic!("not JSON ({error}): {line:.200}")))
            .collect()
    }
}

/// The high-water mark of the process's resident memory, in KiB.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// What writes a run's standard input, on a thread of its own.
type Feeder = Box<dyn FnOnce(&mut dyn Write) + Send>;

/// Runs `dateline ARGS`, feeding `stdin` from a thread, and checks the bounds.
fn run(name: &str, args: &[&str], stdin: Option<Feeder>) -> Run {
    let start = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dateline"))
        .args(args)
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let feeder = stdin.map(|feed| {
        let mut pipe = child.stdin.take().expect("piped");
        thread::spawn(move || feed(&mut pipe))
    });
    let mut out_pipe = child.stdout.take().expect("piped");
    let mut err_pipe = child.stderr.take().expect("piped");
    let out_reader = thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = out_pipe.read_to_end(&mut bytes);
        bytes
    });
    let err_reader = thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = err_pipe.read_to_end(&mut bytes);
        bytes
    });
    let mut peak = 0;
    let status = loop {
        if let Some(kib) = peak_rss_kib(child.id()) {
            peak = peak.max(kib);
        }
        if let Some(status) = child.try_wait().expect("waiting") {
            break status;
        }
        if start.elapsed() > Duration::from_secs(MAX_SECONDS) {
            let _ = child.kill();
            panic!("{name}: still running after {MAX_SECONDS} s");
        }
        thread::sleep(Duration::from_millis(5));
    };
    let seconds = start.elapsed().as_secs_f64();
    if let Some(feeder) = feeder {
        feeder.join().expect("the feeder ends");
    }
    let stdout = String::from_utf8(out_reader.join().expect("stdout")).expect("stdout is UTF-8");
    let stderr = String::from_utf8_lossy(&err_reader.join().expect("stderr")).into_owned();
    let run = Run { code: status.code(), stdout, stderr, seconds, peak_rss_mib: peak / 1024 };
    eprintln!("{name}: exit {:?} in {:.1} s, peak RSS {} MiB", run.code, run.seconds, run.peak_rss_mib);
    assert!(run.code.is_some(), "{name}: killed by a signal: {}", run.stderr);
    assert!(run.peak_rss_mib <= MAX_RSS_MIB, "{name}: peak RSS {} MiB", run.peak_rss_mib);
    run
}

fn annotate(name: &str, files: &[&Path]) -> Run {
    let mut args = vec!["annotate"];
    args.extend(files.iter().map(|file| file.to_str().expect("a UTF-8 path")));
    run(name, &args, None)
}

/// A short news page, the batch's good document that must come through every hostile one.
const GOOD_PAGE: &str = "<html><head><title>Talks resume</title></head><body><article>\
<p>HANOI, March 3 - Vietnam's foreign minister met his Philippine counterpart in Hanoi on Monday \
and the two governments agreed to expand coast guard cooperation.</p></article></body></html>";

fn assert_good_page_processed(run: &Run) {
    let found =
        run.documents().into_iter().any(|doc| doc["text"].as_str().is_some_and(|text| text.contains("coast guard")));
    assert!(found, "the good page was not processed: {:.2000}", run.stdout);
}

/// The error records of a run, as `input: message` lines.
fn errors(run: &Run) -> Vec<String> {
    run.documents()
        .into_iter()
        .filter_map(|doc| {
            let error = doc["error"].as_str()?.to_owned();
            Some(format!("{}: {error}", doc["input"].as_str().unwrap_or("")))
        })
        .collect()
}

/// `bytes` of text (one letter repeated) in gzip: a thousandth of the size.
fn gzip_bomb(bytes: usize) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..bytes / chunk.len() {
        encoder.write_all(&chunk).unwrap();
    }
    encoder.finish().unwrap()
}

#[test]
fn compression_bombs_are_cut_at_the_document_bound() {
    let dir = tempfile::tempdir().unwrap();
    // 1 GiB of text in ~1 MiB of gzip.
    let bomb = gzip_bomb(1 << 30);
    let page_bomb = dir.path().join("bomb.html.gz");
    std::fs::write(&page_bomb, &bomb).unwrap();
    // A WARC whose first record, a per-record gzip member of ~1 MiB, holds a 1 GiB page; then a
    // good record. And a WARC whose second record declares a body of a petabyte.
    let record = |body: &[u8], declared: usize| {
        let http_head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n";
        let length = if declared > 0 { declared } else { http_head.len() + body.len() };
        let head = format!(
            "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:1>\r\nWARC-Target-URI: https://example.org/a\r\n\
             Content-Type: application/http; msgtype=response\r\nContent-Length: {length}\r\n\r\n"
        );
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(head.as_bytes()).unwrap();
        encoder.write_all(http_head).unwrap();
        encoder.write_all(body).unwrap();
        encoder.write_all(b"\r\n\r\n").unwrap();
        encoder.finish().unwrap()
    };
    let warc = dir.path().join("bomb.warc.gz");
    let http_head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n";
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    write!(
        encoder,
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:0>\r\nWARC-Target-URI: https://example.org/bomb\r\n\
         Content-Type: application/http; msgtype=response\r\nContent-Length: {}\r\n\r\n",
        http_head.len() + (1 << 30)
    )
    .unwrap();
    encoder.write_all(http_head).unwrap();
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..1024 {
        encoder.write_all(&chunk).unwrap();
    }
    encoder.write_all(b"\r\n\r\n").unwrap();
    let mut archive = encoder.finish().unwrap();
    archive.extend(record(GOOD_PAGE.as_bytes(), 0));
    std::fs::write(&warc, &archive).unwrap();
    let huge = dir.path().join("huge-length.warc");
    let mut declared = record(GOOD_PAGE.as_bytes(), 0);
    declared.extend(record(b"<p>short</p>", 1_000_000_000_000_000));
    std::fs::write(&huge, &declared).unwrap();
    let good = dir.path().join("good.html");
    std::fs::write(&good, GOOD_PAGE).unwrap();

    let run = annotate("gzip and WARC bombs", &[&page_bomb, &warc, &huge, &good]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let errors = errors(&run);
    assert!(errors.iter().any(|error| error.contains("bomb.html.gz") && error.contains("64 MiB")), "{errors:?}");
    assert!(errors.iter().any(|error| error.contains("bomb.warc.gz#1") && error.contains("64 MiB")), "{errors:?}");
    assert!(
        errors.iter().any(|error| error.contains("huge-length.warc#2") && error.contains("truncated")),
        "{errors:?}"
    );
    assert_good_page_processed(&run);
    // The good record after the WARC bomb and the one before the huge declaration come through.
    let from_warcs = run
        .documents()
        .into_iter()
        .filter(|doc| doc["text"].as_str().is_some_and(|text| text.contains("coast guard")))
        .count();
    assert_eq!(from_warcs, 3, "{}", run.stdout);
}

#[test]
fn a_gigabyte_line_on_stdin_is_refused_without_reading_it_all() {
    let feed = |pipe: &mut dyn Write| {
        let chunk = vec![b'x'; 1 << 20];
        for _ in 0..1024 {
            if pipe.write_all(&chunk).is_err() {
                return; // The reader stopped at its bound: what a bounded reader should do.
            }
        }
    };
    let run = run("1 GiB line", &["annotate", "--from", "text", "-"], Some(Box::new(feed)));
    let errors = errors(&run);
    assert!(errors.iter().any(|error| error.starts_with('-') && error.contains("64 MiB")), "{errors:?} {}", run.stderr);
}

#[test]
fn deep_nesting_reads_or_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    const DEPTH: usize = 100_000;
    let text = "Police arrested 40 protesters in Nairobi on Tuesday, witnesses said.";
    let html = format!("<html><body>{}<p>{text}</p>{}</body></html>", "<div>".repeat(DEPTH), "</div>".repeat(DEPTH));
    let deep_html = dir.path().join("deep.html");
    std::fs::write(&deep_html, html).unwrap();
    let inline = format!("<html><body><p>{}{text}</p></body></html>", "<b><i><span>".repeat(DEPTH / 3));
    let deep_inline = dir.path().join("deep-inline.html");
    std::fs::write(&deep_inline, inline).unwrap();
    let json = format!(
        "{{\"id\":\"deep\",\"text\":\"x\",\"tags\":{}{}}}\n{{\"id\":\"ok\",\"text\":\"{text}\"}}\n",
        "[".repeat(DEPTH),
        "]".repeat(DEPTH)
    );
    let deep_jsonl = dir.path().join("deep.jsonl");
    std::fs::write(&deep_jsonl, json).unwrap();
    let rss = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title><item><title>x</title>\
         <description>{}{text}{}</description></item></channel></rss>",
        "<x>".repeat(DEPTH),
        "</x>".repeat(DEPTH)
    );
    let deep_feed = dir.path().join("deep.rss");
    std::fs::write(&deep_feed, rss).unwrap();
    let good = dir.path().join("good.html");
    std::fs::write(&good, GOOD_PAGE).unwrap();

    let run = annotate("100,000-deep nesting", &[&deep_html, &deep_inline, &deep_jsonl, &deep_feed, &good]);
    assert_good_page_processed(&run);
    let documents = run.documents();
    let texts: Vec<&str> = documents.iter().filter_map(|doc| doc["text"].as_str()).collect();
    // The pages' text is found under any depth of markup; the deep JSON record is an error.
    assert!(texts.iter().filter(|t| t.contains("40 protesters")).count() >= 2, "{texts:?}");
    // The deep JSON record is read (its tags are not strings) or refused; the next one is read.
    assert!(texts.iter().any(|t| t.contains("40 protesters in Nairobi")), "the JSONL record after the deep one");
    for error in errors(&run) {
        assert!(error.contains("deep.jsonl#1") || error.contains("deep.rss"), "{error}");
    }
}

#[test]
fn broken_bytes_and_invisible_characters_give_clean_text_and_valid_offsets() {
    let dir = tempfile::tempdir().unwrap();
    // Invalid UTF-8 and NUL bytes in the title, the metadata and the body of a UTF-8 page.
    let mut page = b"<html><head><meta charset=\"utf-8\"><title>Talks\xff\xfe in \x00Hanoi\xc3</title>\
<meta name=\"author\" content=\"Jane\x00 Doe\x80\"></head><body><article><p>HANOI - Vietnam\xed\xa0\x80's \
minister\x00 met his Philippine counterpart \xf0\x9f in Hanoi on Monday.</p>"
        .to_vec();
    page.extend_from_slice(
        b"<p>The two\x00\x00 governments agreed to expand \xc0\xafcooperation.</p></article></body></html>",
    );
    let broken = dir.path().join("broken.html");
    std::fs::write(&broken, &page).unwrap();
    // Zero-width spaces and joiners, a byte-order mark, right-to-left marks and overrides.
    let invisible = "President\u{200b} Emmanuel\u{200d} Macron met\u{feff} Chancellor \u{202e}Olaf Scholz\u{202c} in \
Berlin\u{200f} on Monday and called for talks with Russia.\n\n\u{2067}Israeli troops\u{2069} attacked Hamas \
fighters in Gaza, the army said.\u{200e}";
    let rtl = dir.path().join("invisible.txt");
    std::fs::write(&rtl, invisible).unwrap();
    // A JSONL file with invalid UTF-8 in one record and NULs in another.
    let mut jsonl = b"{\"id\":\"bad\",\"text\":\"caf\xe9 \xff\"}\n".to_vec();
    jsonl.extend_from_slice(b"{\"id\":\"nul\",\"text\":\"Troops\\u0000 attacked the town of Kidal on Friday.\"}\n");
    let records = dir.path().join("records.jsonl");
    std::fs::write(&records, jsonl).unwrap();

    let run = annotate("invalid UTF-8, NULs, invisible characters", &[&broken, &rtl, &records]);
    for doc in run.documents() {
        let Some(text) = doc["text"].as_str() else { continue };
        assert!(!text.contains('\0'), "a NUL in the clean text: {text:?}");
        for field in ["title", "authors", "tags"] {
            assert!(!doc["meta"][field].to_string().contains("\\u0000"), "a NUL in {field}: {}", doc["meta"][field]);
        }
        // Every span lies on the text's character boundaries.
        for entity in doc["entities"].as_array().into_iter().flatten() {
            let (start, end) = (entity["start"].as_u64().unwrap() as usize, entity["end"].as_u64().unwrap() as usize);
            assert!(text.get(start..end).is_some(), "entity {entity} off the text's boundaries");
        }
        for sentence in doc["sentences"].as_array().into_iter().flatten() {
            let (start, end) =
                (sentence["start"].as_u64().unwrap() as usize, sentence["end"].as_u64().unwrap() as usize);
            assert!(text.get(start..end).is_some(), "sentence {sentence} off the text's boundaries");
        }
    }
    let texts: Vec<String> = run.documents().iter().filter_map(|doc| doc["text"].as_str().map(str::to_owned)).collect();
    assert!(texts.iter().any(|text| text.contains("Philippine counterpart")), "{texts:?}");
    assert!(texts.iter().any(|text| text.contains("Macron")), "{texts:?}");
    assert!(texts.iter().any(|text| text.contains("Kidal")), "{texts:?}");
    let errors = errors(&run);
    assert!(errors.iter().all(|error| error.contains("records.jsonl")), "{errors:?}");
}

#[test]
fn huge_attributes_and_markup_in_metadata_stay_text() {
    let dir = tempfile::tempdir().unwrap();
    let attribute = "a".repeat(32 << 20);
    let many = (0..100_000).map(|n| format!(" data-a{n}=\"{n}\"")).collect::<String>();
    let huge = format!(
        "<html><body><div class=\"{attribute}\"{many}><article><p>Rebels seized the town of Goma on Sunday, \
the army said.</p></article></div></body></html>"
    );
    let huge_page = dir.path().join("huge-attributes.html");
    std::fs::write(&huge_page, huge).unwrap();
    let script = "<script>alert(1)</script>";
    let injected = format!(
        "<html><head><title>{script} Talks</title><meta name=\"author\" content=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\">\
<meta property=\"article:tag\" content=\"&lt;/script&gt;&lt;svg onload=alert(2)&gt;\">\
<script type=\"application/ld+json\">{{\"@type\":\"NewsArticle\",\"headline\":\"<\\/script><b>bold</b>\",\
\"author\":{{\"name\":\"<img src=x onerror=alert(3)>\"}}}}</script></head><body><article>\
<p>&lt;script&gt;alert(4)&lt;/script&gt; Police arrested 40 protesters in Nairobi on Tuesday.</p></article></body></html>"
    );
    let injected_page = dir.path().join("injected.html");
    std::fs::write(&injected_page, injected).unwrap();

    let run = annotate("huge attributes, markup in metadata", &[&huge_page, &injected_page]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let documents = run.documents();
    assert!(documents[0]["text"].as_str().unwrap().contains("Goma"), "{}", documents[0]);
    let injected = &documents[1];
    // Markup written as text in the page stays text, whole, in the output; nothing of it is
    // taken as structure (no field gains an element, none loses the words around it).
    assert!(injected["text"].as_str().unwrap().contains("<script>alert(4)</script> Police arrested"), "{injected}");
    // Markup in metadata values is their text: kept as written, never parsed into elements.
    assert_eq!(injected["meta"]["title"], "</script><b>bold</b>", "{injected}");
    for author in injected["meta"]["authors"].as_array().unwrap() {
        assert!(author.as_str().unwrap().contains("<img"), "{author}");
    }
}

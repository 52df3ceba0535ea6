//! Input expansion and per-input errors: directories, globs, missing paths, empty and binary
//! files, size limits.

use dateline_ingest::{IngestConfig, InputFormat};

use crate::common::{article, gzip, read, read_with, scratch, summary, write};

/// A tree with pages at several depths, hidden files, images and an unreadable-as-news file.
fn tree(test: &str) -> std::path::PathBuf {
    let dir = scratch(test);
    write(&dir, "b.html", article("B").as_bytes());
    write(&dir, "a.html", article("A").as_bytes());
    write(&dir, "sub/c.txt", b"Story C.\n");
    write(&dir, "sub/deeper/d.html.gz", &gzip(article("D").as_bytes()));
    write(&dir, "sub/photo.jpg", b"\xff\xd8\xff\xe0 not news");
    write(&dir, "sub/photo-without-extension", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    write(&dir, ".hidden.html", article("Hidden").as_bytes());
    write(&dir, ".git/config", b"[core]\n");
    write(&dir, "z.css", b"body { color: red }\n");
    dir
}

#[test]
fn directories_are_walked_recursively_in_sorted_order() {
    let dir = tree("walk");
    let root = dir.to_string_lossy().into_owned();
    let results = read(&[&root], InputFormat::Auto);
    let uris: Vec<String> = results
        .iter()
        .map(|result| result.as_ref().map(|doc| doc.source.uri.clone()).unwrap_or_else(|error| error.to_string()))
        .collect();
    let expected: Vec<String> =
        ["a.html", "b.html", "sub/c.txt", "sub/deeper/d.html.gz"].iter().map(|name| format!("{root}/{name}")).collect();
    assert_eq!(uris, expected);
}

#[test]
fn glob_patterns_expand_to_matching_files() {
    let dir = tree("glob");
    let root = dir.to_string_lossy().into_owned();
    let lines = summary(&read(&[&format!("{root}/*.html"), &format!("{root}/**/*.gz")], InputFormat::Auto));
    assert_eq!(
        lines,
        [
            format!("ok {root}/a.html {root}/a.html"),
            format!("ok {root}/b.html {root}/b.html"),
            format!("ok {root}/sub/deeper/d.html.gz {root}/sub/deeper/d.html.gz"),
        ]
    );
}

#[test]
fn bad_inputs_are_errors_and_reading_goes_on() {
    let dir = scratch("bad-inputs");
    let root = dir.to_string_lossy().into_owned();
    let good = write(&dir, "good.html", article("Good").as_bytes());
    let empty = write(&dir, "empty.html", b"");
    let blank = write(&dir, "blank.txt", b"  \n\n ");
    let image = write(&dir, "picture.html", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    let missing = format!("{root}/missing.html");
    let nothing = format!("{root}/*.nothing");
    let bad_pattern = format!("{root}/[*.html");
    let lines = summary(&read(&[&missing, &empty, &blank, &nothing, &image, &bad_pattern, &good], InputFormat::Auto));
    assert_eq!(
        lines,
        [
            format!("error {missing}: no such file or directory"),
            format!("error {empty}: empty input"),
            format!("error {blank}: empty input"),
            format!("error {nothing}: no file matches this glob pattern"),
            format!("error {image}: not a news document: this looks like a PNG image"),
            format!(
                "error {bad_pattern}: invalid glob pattern: Pattern syntax error near position {}: invalid range pattern",
                root.len() + 1
            ),
            format!("ok {good} {good}"),
        ]
    );
}

#[test]
fn oversize_files_are_errors_and_reading_goes_on() {
    let dir = scratch("oversize");
    let big = write(&dir, "big.html", format!("<p>{}</p>", "x".repeat(5000)).as_bytes());
    let bomb = write(&dir, "bomb.txt.gz", &gzip("word ".repeat(200_000).as_bytes()));
    let jsonl = format!("{{\"html\": \"{}\"}}\n{{\"id\": \"small\", \"html\": \"<p>ok</p>\"}}\n", "y".repeat(5000));
    let lines_file = write(&dir, "lines.jsonl", jsonl.as_bytes());
    let small = write(&dir, "small.html", article("Small").as_bytes());
    let config = IngestConfig { max_document_bytes: 4096, ..IngestConfig::default() };
    let lines = summary(&read_with(&[&big, &bomb, &lines_file, &small], &config));
    assert_eq!(
        lines,
        [
            format!("error {big}: the document is larger than the 4 KiB limit (max_document_bytes)"),
            format!("error {bomb}: the document is larger than the 4 KiB limit (max_document_bytes)"),
            format!(
                "error {lines_file}#1: line 1: the record (4 KiB) is larger than the 4 KiB limit (max_document_bytes)"
            ),
            format!("ok {lines_file}#2 small"),
            format!("ok {small} {small}"),
        ]
    );
}

#[test]
fn truncated_gzip_of_a_plain_file_is_an_error() {
    let dir = scratch("gzip-truncated");
    let mut bytes = gzip(article("Cut short").repeat(50).as_bytes());
    bytes.truncate(bytes.len() / 2);
    let path = write(&dir, "cut.html.gz", &bytes);
    let lines = summary(&read(&[&path], InputFormat::Auto));
    assert_eq!(lines.len(), 1);
    assert!(lines[0].starts_with(&format!("error {path}: the gzip data is truncated or corrupt")), "{}", lines[0]);
}

#[test]
fn truncated_gzip_jsonl_keeps_the_lines_before() {
    let dir = scratch("gzip-jsonl-truncated");
    let mut jsonl = String::new();
    for n in 0..200 {
        jsonl.push_str(&format!("{{\"id\": {n}, \"text\": \"Story number {n} with some words in it.\"}}\n"));
    }
    let mut bytes = gzip(jsonl.as_bytes());
    bytes.truncate(bytes.len() - 100);
    let path = write(&dir, "cut.jsonl.gz", &bytes);
    let results = read(&[&path], InputFormat::Auto);
    let (ok, errors): (Vec<_>, Vec<_>) = results.iter().partition(|result| result.is_ok());
    assert!(ok.len() > 100, "most lines come out: {}", ok.len());
    assert_eq!(errors.len(), 1);
    assert!(results.last().is_some_and(|last| last.as_ref().is_err_and(|error| error.message.contains("gzip"))));
}

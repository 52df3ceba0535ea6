//! Encodings: declared, detected and marked by a byte order mark, end to end.

use dateline_doc::{BodyKind, Severity};
use dateline_ingest::InputFormat;

use crate::common::{docs, read, scratch, write};

fn codes(doc: &dateline_doc::RawDoc) -> Vec<&str> {
    doc.diagnostics.iter().map(|diagnostic| diagnostic.code.as_str()).collect()
}

#[test]
fn windows_1252_page_with_meta_charset() {
    let dir = scratch("cp1252");
    let mut page = b"<!DOCTYPE html><html><head><meta charset=\"windows-1252\"><title>Caf\xe9</title></head>".to_vec();
    page.extend_from_slice(b"<body><p>\x93Cr\xe8me br\xfbl\xe9e\x94 costs \x805.</p></body></html>");
    let path = write(&dir, "page.html", &page);
    let doc = &docs(read(&[&path], InputFormat::Auto))[0];
    assert!(doc.body.contains("<p>“Crème brûlée” costs €5.</p>"), "{}", doc.body);
    assert_eq!(codes(doc), ["charset-declared"]);
    assert_eq!(doc.diagnostics[0].severity, Severity::Info);
    assert!(doc.diagnostics[0].message.contains("windows-1252"));
}

#[test]
fn shift_jis_is_detected_without_a_declaration() {
    let text = "<html><body><p>東京都は六日、新しい防災計画を発表した。計画では、大規模な地震や台風に備えて、\
                避難所の数を増やし、食料や水の備蓄を強化する方針を示している。</p><p>知事は記者会見で、\
                都民の安全を守るため、あらゆる手段を講じると述べた。専門家からは、高齢者への支援が課題だとの\
                指摘も出ている。</p></body></html>";
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable);
    let dir = scratch("shift-jis");
    let path = write(&dir, "page.html", &bytes);
    let doc = &docs(read(&[&path], InputFormat::Auto))[0];
    assert_eq!(doc.body, text);
    assert_eq!(codes(doc), ["charset-detected"]);
    assert!(doc.diagnostics[0].message.contains("Shift_JIS"), "{}", doc.diagnostics[0].message);
}

#[test]
fn utf16_with_a_bom() {
    let text = "Nachrichten aus Köln\n\nDer Rat hat am Montag den Plan gebilligt.\n";
    let mut bytes = vec![0xff, 0xfe];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let dir = scratch("utf16");
    let path = write(&dir, "story.txt", &bytes);
    let doc = &docs(read(&[&path], InputFormat::Auto))[0];
    assert_eq!(doc.kind, BodyKind::Text);
    assert_eq!(doc.body, text);
    assert_eq!(codes(doc), ["charset-bom"]);
    assert!(doc.diagnostics[0].message.contains("UTF-16LE"));
}

#[test]
fn utf8_bom_is_removed_silently() {
    let dir = scratch("utf8-bom");
    let path = write(&dir, "page.html", "\u{feff}<html><body><p>Grüße</p></body></html>".as_bytes());
    let doc = &docs(read(&[&path], InputFormat::Auto))[0];
    assert_eq!(doc.kind, BodyKind::Html);
    assert_eq!(doc.body, "<html><body><p>Grüße</p></body></html>");
    assert!(doc.diagnostics.is_empty());
}

#[test]
fn invalid_bytes_in_declared_utf8_give_a_warning() {
    let dir = scratch("utf8-invalid");
    let path = write(&dir, "page.html", b"<meta charset=utf-8><p>broken \xc3 byte</p>");
    let doc = &docs(read(&[&path], InputFormat::Html))[0];
    assert!(doc.body.contains("broken \u{fffd} byte"));
    assert_eq!(codes(doc), ["charset-replaced"]);
    assert_eq!(doc.diagnostics[0].severity, Severity::Warning);
}

//! Each format, read plainly and gzip-compressed, sniffed and forced.

use dateline_doc::{BodyKind, SourceFormat};
use dateline_ingest::InputFormat;

use crate::common::{article, docs, gzip, read, scratch, summary, write};

#[test]
fn html_pages_are_sniffed_from_content_not_names() {
    let dir = scratch("html");
    let page = write(&dir, "page.txt", article("Council approves plan").as_bytes());
    let doc = &docs(read(&[&page], InputFormat::Auto))[0];
    assert_eq!(doc.kind, BodyKind::Html);
    assert_eq!(doc.source.format, SourceFormat::Html);
    assert_eq!(doc.id, page);
    assert_eq!(doc.source.uri, page);
    assert!(doc.body.contains("<h1>Council approves plan</h1>"));
    assert!(doc.diagnostics.is_empty());
}

#[test]
fn text_is_scraped_unless_forced_verbatim() {
    let dir = scratch("text");
    let text = "Home | World | Sport\n\nThe council voted on Monday to approve the plan.\n\nShare this story\n";
    let path = write(&dir, "story.html", text.as_bytes());
    let kinds: Vec<(BodyKind, SourceFormat)> =
        [InputFormat::Auto, InputFormat::Scraped, InputFormat::Text, InputFormat::Html]
            .into_iter()
            .map(|format| {
                let doc = &docs(read(&[&path], format))[0];
                assert_eq!(doc.body, text);
                (doc.kind, doc.source.format)
            })
            .collect();
    assert_eq!(
        kinds,
        [
            (BodyKind::Text, SourceFormat::Text),
            (BodyKind::Text, SourceFormat::Text),
            (BodyKind::Verbatim, SourceFormat::Text),
            (BodyKind::Html, SourceFormat::Html),
        ]
    );
}

const JSONL: &str = concat!(
    r#"{"id": "a-1", "url": "https://news.test/a", "html": "<p>First</p>", "title": "First", "published": "2024-05-06T10:00:00Z"}"#,
    "\n",
    r#"{"id": 2, "text": "Second story text", "authors": ["Ann Lee"], "tags": ["politics"], "language": "en"}"#,
    "\n",
    r#"{"id": "broken", "html": "<p>never closed}"#,
    "\n",
    "\n",
    r#"{"url": "https://news.test/d", "html": "<p>Fourth</p>"}"#,
    "\n",
);

#[test]
fn jsonl_with_a_broken_line_in_the_middle() {
    let dir = scratch("jsonl");
    let path = write(&dir, "articles.data", JSONL.as_bytes());
    let results = read(&[&path], InputFormat::Auto);
    assert_eq!(
        summary(&results)[..2],
        [format!("ok {path}#1 a-1"), format!("ok {path}#2 2")],
        "{:?}",
        summary(&results)
    );
    let error = results[2].as_ref().expect_err("line 3 is broken");
    assert_eq!(error.input, format!("{path}#3"));
    assert_eq!(error.message, "line 3, column 42: invalid JSON: EOF while parsing a string");
    assert_eq!(summary(&results)[3], format!("ok {path}#5 {path}#line-5"));
    assert_eq!(results.len(), 4);

    let docs = docs(results.into_iter().filter(Result::is_ok).collect());
    assert_eq!(docs[0].kind, BodyKind::Html);
    assert_eq!(docs[0].source.format, SourceFormat::Jsonl);
    assert_eq!(docs[0].hints.url.as_deref(), Some("https://news.test/a"));
    assert_eq!(docs[0].hints.title.as_deref(), Some("First"));
    assert_eq!(docs[0].hints.published.as_deref(), Some("2024-05-06T10:00:00Z"));
    assert_eq!(docs[1].kind, BodyKind::Text);
    assert_eq!(docs[1].body, "Second story text");
    assert_eq!(docs[1].hints.authors, ["Ann Lee"]);
    assert_eq!(docs[1].hints.tags, ["politics"]);
    assert_eq!(docs[1].hints.language.as_deref(), Some("en"));
}

#[test]
fn jsonl_text_is_verbatim_when_text_is_forced() {
    let dir = scratch("jsonl-verbatim");
    let path = write(&dir, "a.jsonl", b"{\"id\": \"x\", \"text\": \"Plain\"}\n");
    assert_eq!(docs(read(&[&path], InputFormat::Jsonl))[0].kind, BodyKind::Text);
    let verbatim =
        dateline_ingest::IngestConfig { format: InputFormat::Jsonl, text_verbatim: true, ..Default::default() };
    assert_eq!(docs(crate::common::read_with(&[&path], &verbatim))[0].kind, BodyKind::Verbatim);
    // Forcing text on a JSONL file reads it as one text document, as asked.
    assert_eq!(docs(read(&[&path], InputFormat::Text))[0].kind, BodyKind::Verbatim);
    assert_eq!(docs(read(&[&path], InputFormat::Text))[0].source.format, SourceFormat::Text);
}

pub const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Test News</title><link>https://news.test/</link><language>en-gb</language>
  <item>
    <title>Bridge reopens</title>
    <link>https://news.test/bridge</link>
    <guid isPermaLink="false">news-test-1001</guid>
    <pubDate>Mon, 06 May 2024 10:00:00 +0100</pubDate>
    <dc:creator>Ann Lee</dc:creator>
    <category>Transport</category>
    <category>Local</category>
    <description>Short summary.</description>
    <content:encoded><![CDATA[<p>The bridge reopened on Monday after repairs.</p>]]></content:encoded>
  </item>
  <item>
    <title>Second item</title>
    <link>https://news.test/second</link>
    <description>&lt;p&gt;Only a description.&lt;/p&gt;</description>
  </item>
  <item>
    <title>Title only</title>
    <link>https://news.test/title-only</link>
  </item>
</channel>
</rss>
"#;

pub const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Test Atom</title>
  <id>urn:test:feed</id>
  <updated>2024-05-06T12:00:00Z</updated>
  <entry>
    <title>Atom entry</title>
    <id>urn:test:entry:1</id>
    <link rel="alternate" href="https://news.test/atom-1"/>
    <published>2024-05-06T09:30:00+02:00</published>
    <updated>2024-05-06T11:00:00+02:00</updated>
    <author><name>Bo Chen</name></author>
    <category term="science" label="Science"/>
    <content type="html">&lt;p&gt;Full text of the entry.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Plain summary</title>
    <id>urn:test:entry:2</id>
    <updated>2024-05-05T08:00:00Z</updated>
    <summary type="text">Just words.</summary>
  </entry>
</feed>
"#;

#[test]
fn rss_items_become_documents() {
    let dir = scratch("rss");
    let path = write(&dir, "feed", RSS.as_bytes());
    let results = read(&[&path], InputFormat::Auto);
    assert_eq!(results.len(), 3, "{:?}", summary(&results));
    let first = results[0].as_ref().expect("item 1");
    assert_eq!(first.id, "news-test-1001");
    assert_eq!(first.source.uri, format!("{path}#1"));
    assert_eq!(first.source.format, SourceFormat::Rss);
    assert_eq!(first.kind, BodyKind::Html);
    assert_eq!(first.body, "<p>The bridge reopened on Monday after repairs.</p>");
    assert_eq!(first.hints.url.as_deref(), Some("https://news.test/bridge"));
    assert_eq!(first.hints.title.as_deref(), Some("Bridge reopens"));
    assert_eq!(first.hints.published.as_deref(), Some("Mon, 06 May 2024 10:00:00 +0100"));
    assert_eq!(first.hints.authors, ["Ann Lee"]);
    assert_eq!(first.hints.tags, ["Transport", "Local"]);
    assert_eq!(first.hints.language.as_deref(), Some("en-gb"));

    let second = results[1].as_ref().expect("item 2");
    assert_eq!(second.id, "https://news.test/second");
    assert_eq!(second.body, "<p>Only a description.</p>");
    assert_eq!(second.hints.published, None);

    let third = results[2].as_ref().expect_err("item 3 has no body");
    assert_eq!(third.input, format!("{path}#3"));
    assert!(third.message.contains("item 3 has neither content nor a description"));
}

#[test]
fn atom_entries_become_documents() {
    let dir = scratch("atom");
    let path = write(&dir, "atom.xml", ATOM.as_bytes());
    let docs = docs(read(&[&path], InputFormat::Feed));
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0].source.format, SourceFormat::Atom);
    assert_eq!(docs[0].id, "urn:test:entry:1");
    assert_eq!(docs[0].kind, BodyKind::Html);
    assert_eq!(docs[0].body, "<p>Full text of the entry.</p>");
    assert_eq!(docs[0].hints.url.as_deref(), Some("https://news.test/atom-1"));
    assert_eq!(docs[0].hints.published.as_deref(), Some("2024-05-06T09:30:00+02:00"));
    assert_eq!(docs[0].hints.authors, ["Bo Chen"]);
    assert_eq!(docs[0].hints.tags, ["Science"]);
    assert_eq!(docs[1].kind, BodyKind::Verbatim);
    assert_eq!(docs[1].body, "Just words.");
    assert_eq!(docs[1].hints.published.as_deref(), Some("2024-05-05T08:00:00Z"), "updated when not published");
}

#[test]
fn gzip_of_each_format_is_read_transparently() {
    let dir = scratch("gzip-each");
    let html = write(&dir, "page.html.gz", &gzip(article("Zipped").as_bytes()));
    let text = write(&dir, "story.txt.gz", &gzip(b"Just a story.\n\nTwo paragraphs."));
    let jsonl = write(&dir, "a.jsonl.gz", &gzip(JSONL.as_bytes()));
    let rss = write(&dir, "feed.rss.gz", &gzip(RSS.as_bytes()));
    let atom = write(&dir, "atom.gz", &gzip(ATOM.as_bytes()));
    let http = crate::common::http_response("200 OK", &[("Content-Type", "text/html")], article("W").as_bytes());
    let warc = write(&dir, "w.warc.gz", &gzip(&crate::common::response_record(1, "https://news.test/w", &http)));

    let kinds = |path: &str| -> Vec<(SourceFormat, BodyKind)> {
        read(&[path], InputFormat::Auto).into_iter().flatten().map(|doc| (doc.source.format, doc.kind)).collect()
    };
    assert_eq!(kinds(&html), [(SourceFormat::Html, BodyKind::Html)]);
    assert_eq!(kinds(&text), [(SourceFormat::Text, BodyKind::Text)]);
    assert_eq!(kinds(&jsonl).len(), 3);
    assert_eq!(kinds(&rss).len(), 2);
    assert_eq!(kinds(&atom), [(SourceFormat::Atom, BodyKind::Html), (SourceFormat::Atom, BodyKind::Verbatim)]);
    assert_eq!(kinds(&warc), [(SourceFormat::Warc, BodyKind::Html)]);
    assert!(docs(read(&[&html], InputFormat::Auto))[0].body.contains("<h1>Zipped</h1>"));
}

#[test]
fn read_stream_reads_any_reader() {
    let bytes = gzip(JSONL.as_bytes());
    let config = dateline_ingest::IngestConfig::default();
    let results: Vec<_> = dateline_ingest::read_stream("-", std::io::Cursor::new(bytes), &config).collect();
    assert_eq!(summary(&results)[0], "ok -#1 a-1");
    assert_eq!(results.len(), 4);
}

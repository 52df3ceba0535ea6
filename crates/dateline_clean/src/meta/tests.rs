//! Whole-page tests of metadata extraction over the pages in `test_data/meta/`.

use dateline_doc::{Diagnostic, Hints, Meta, Severity, Timestamp};
use proptest::prelude::*;
use scraper::Html;

use super::{PageMeta, extract};

/// Reads a test page.
fn page(name: &str) -> String {
    let path = format!("{}/test_data/meta/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"))
}

fn time(text: &str) -> Option<Timestamp> {
    Some(Timestamp::parse_rfc3339(text).expect("a valid test timestamp"))
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| (*item).to_owned()).collect()
}

/// Extracts the metadata of `html` and checks it against `expected`; returns the whole result
/// and the diagnostics for further checks.
fn check(html: &str, hints: &Hints, expected: &Meta) -> (PageMeta, Vec<Diagnostic>) {
    let document = Html::parse_document(html);
    let mut diagnostics = Vec::new();
    let page = extract(&document, hints, &mut diagnostics);
    assert_eq!(&page.meta, expected, "diagnostics: {diagnostics:?}");
    (page, diagnostics)
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<&str> {
    diagnostics.iter().map(|diagnostic| diagnostic.code.as_str()).collect()
}

#[test]
fn news_page_with_opengraph_and_json_ld_graph() {
    let expected = Meta {
        title: Some("Harbour bridge reopens after storm repairs".into()),
        published: time("2021-03-04T08:15:00Z"),
        modified: time("2021-03-04T10:40:00Z"),
        authors: strings(&["Mara Lindqvist", "Tomasz Wren"]),
        site: Some("The Coastal Herald".into()),
        url: Some("https://www.coastalherald.example/news/2021/03/harbour-bridge-reopens".into()),
        tags: strings(&["Transport", "Harbour"]),
        section: Some("Local News".into()),
        language: Some("en".into()),
    };
    let (page, diagnostics) = check(&page("opengraph_graph.html"), &Hints::default(), &expected);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(page.article_body.as_deref(), Some("The harbour bridge reopened to traffic on Thursday morning."));
    assert_eq!(page.headline_candidates, ["Harbour bridge reopens after storm repairs"]);
    assert_eq!(page.bylines, ["By Mara Lindqvist and Tomasz Wren"]);
}

#[test]
fn dates_only_in_json_ld() {
    let expected = Meta {
        title: Some("Council approves new budget".into()),
        published: time("2022-11-02T17:30:00-05:00"),
        modified: time("2022-11-03T09:00:00-05:00"),
        authors: strings(&["Ines Okafor"]),
        site: Some("Riverside Daily".into()),
        url: Some("https://riverside.example/politics/council-approves-new-budget".into()),
        tags: strings(&["budget", "council"]),
        section: Some("Politics".into()),
        language: Some("en".into()),
    };
    check(&page("jsonld_dates_only.html"), &Hints::default(), &expected);
}

#[test]
fn time_element_and_byline_only() {
    let expected = Meta {
        title: Some("Neue Bahnlinie eröffnet".into()),
        published: time("2023-05-30T06:00:00+02:00"),
        authors: strings(&["Lena Vogt"]),
        site: Some("Talblatt".into()),
        language: Some("de".into()),
        ..Meta::default()
    };
    check(&page("time_and_byline.html"), &Hints::default(), &expected);
}

#[test]
fn date_only_in_the_address() {
    let hints = Hints {
        url: Some("https://www.harbourtimes.example/2021/01/19/lighthouse-keeper-retires/".into()),
        ..Hints::default()
    };
    let expected = Meta {
        title: Some("Lighthouse keeper retires after 40 years".into()),
        published: time("2021-01-19"),
        site: Some("harbourtimes.example".into()),
        ..Meta::default()
    };
    check(&page("url_date_only.html"), &hints, &expected);
}

#[test]
fn broken_json_ld_is_repaired_or_reported() {
    let expected = Meta {
        title: Some("Grève des transports : ce qui change lundi".into()),
        published: time("2020-01-12T07:00:00+01:00"),
        authors: strings(&["Claire Dubois"]),
        tags: strings(&["grève", "transports"]),
        language: Some("fr".into()),
        ..Meta::default()
    };
    let (_, diagnostics) = check(&page("broken_jsonld.html"), &Hints::default(), &expected);
    assert_eq!(codes(&diagnostics), ["json-ld-repaired", "json-ld-repaired", "bad-json-ld"]);
    assert_eq!(diagnostics[2].severity, Severity::Warning);
}

#[test]
fn several_authors_in_one_byline() {
    let expected = Meta {
        title: Some("Drought tightens grip on farms".into()),
        published: time("2019-08-21T14:00:00Z"),
        modified: time("2019-08-22"),
        authors: strings(&["Ana Ruiz", "Dev Patel"]),
        site: Some("Plains Ledger".into()),
        tags: strings(&["drought", "farming", "weather"]),
        language: Some("en".into()),
        ..Meta::default()
    };
    let (page, _) = check(&page("multiple_authors.html"), &Hints::default(), &expected);
    assert_eq!(page.bylines, ["By Ana Ruiz and Dev Patel, Staff Writers | Updated 2019-08-22"]);
}

#[test]
fn byline_authors_when_no_field_names_them() {
    let html = page("multiple_authors.html")
        .replace("<meta name=\"byl\" content=\"By Ana Ruiz and Dev Patel\">", "")
        .replace("<meta name=\"parsely-author\" content=\"Somebody Else\">", "");
    let document = Html::parse_document(&html);
    let page = extract(&document, &Hints::default(), &mut Vec::new());
    assert_eq!(page.meta.authors, ["Ana Ruiz", "Dev Patel"]);
}

#[test]
fn article_footers_count_but_page_footers_do_not() {
    let html = r#"<html><body><article><h1>Storm closes the coast road again</h1><p>Text.</p>
        <footer class="article-footer"><span class="byline">By Nora Quist</span></footer></article>
        <footer class="site-footer"><span class="author">Page Footer Person</span><time datetime="2001-01-01">x</time></footer>
        </body></html>"#;
    let page = extract(&Html::parse_document(html), &Hints::default(), &mut Vec::new());
    assert_eq!(page.meta.authors, ["Nora Quist"]);
    assert_eq!(page.meta.published, None);
}

#[test]
fn microdata_items_and_modified_before_published() {
    let expected = Meta {
        title: Some("Museum returns stolen painting".into()),
        published: time("2018-02-14T12:00:00+01:00"),
        authors: strings(&["Joris de Vries"]),
        site: Some("Het Kunstblad".into()),
        language: Some("nl".into()),
        ..Meta::default()
    };
    let (_, diagnostics) = check(&page("microdata.html"), &Hints::default(), &expected);
    assert_eq!(codes(&diagnostics), ["modified-before-published"]);
    assert_eq!(diagnostics[0].severity, Severity::Info);
}

#[test]
fn empty_and_hostile_pages_do_not_fail() {
    for html in [
        "",
        "<html>",
        "<script type=application/ld+json>",
        "<script type=\"application/ld+json\">[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]</script>",
        "<meta property=og:title content=\"\"><title></title><h1></h1>",
        "<meta name=author content=\"https://facebook.com/x\"><time datetime=nonsense>x</time>",
        "<link rel=canonical href=\"javascript:alert(1)\"><meta property=og:url content=\"not a url\">",
    ] {
        let document = Html::parse_document(html);
        let page = extract(&document, &Hints { url: Some("::::".into()), ..Hints::default() }, &mut Vec::new());
        assert!(page.meta.authors.is_empty());
        assert!(page.meta.url.is_none());
    }
}

/// Pieces of markup that metadata extraction reacts to, for building random pages.
const PIECES: &[&str] = &[
    "<html lang=\"en\">",
    "<head>",
    "</head>",
    "<body>",
    "<title>Headline | Site</title>",
    "<meta property=\"og:title\" content=\"Headline &amp; more\">",
    "<meta property=\"og:site_name\" content=\"Site\">",
    "<meta name=\"author\" content=\"By A and B, C\">",
    "<meta property=\"article:published_time\" content=\"2021-01-19T09:52:00Z\">",
    "<meta name=\"keywords\" content=\"a, b;&quot;\">",
    "<link rel=\"canonical\" href=\"/x/2021/01/19/y\">",
    "<script type=\"application/ld+json\">",
    "</script>",
    "{\"@type\": [\"NewsArticle\"], \"headline\": \"H\", \"author\": {\"@id\": \"#p\"}, ",
    "\"@graph\": [",
    "]}",
    "'single', // comment\n",
    "\\'",
    "<!--",
    "-->",
    "<div class=\"byline\">",
    "<span itemprop=\"author\" itemscope><span itemprop=\"name\">",
    "<time datetime=\"2020-02-02\" pubdate>",
    "</time>",
    "</span>",
    "</div>",
    "<h1>",
    "</h1>",
    "By Jane Doe on January 19, 2021",
    "Updated: 3 hours ago |",
    "\u{0}\u{1}\t\n",
    "é́",
    "<footer><aside class=\"related\">",
];

proptest! {
    #[test]
    fn random_pages_never_fail(indices in proptest::collection::vec(0..PIECES.len(), 0..40), url in "\\PC{0,40}") {
        let html: String = indices.iter().map(|&index| PIECES[index]).collect();
        let hints = Hints { url: Some(url), ..Hints::default() };
        let mut diagnostics = Vec::new();
        let page = extract(&Html::parse_document(&html), &hints, &mut diagnostics);
        prop_assert!(page.meta.authors.len() <= super::names::MAX_AUTHORS);
        if let (Some(published), Some(modified)) = (page.meta.published, page.meta.modified) {
            prop_assert!(!super::earlier(&modified, &published));
        }
    }
}

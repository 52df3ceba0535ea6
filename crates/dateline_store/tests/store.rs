//! The database end to end on constructed articles: merging across articles, idempotent
//! re-runs, reprocessing, near-duplicates, filters, search, exports, and clear errors.

use dateline_doc::{
    Article, Event, EventActor, EventPlace, Evidence, Meta, PlaceKind, Source, SourceFormat, TextRange, Timestamp,
};
use dateline_store::export::{ExportFormat, gdelt_row};
use dateline_store::merge::{Mention, merge_mentions};
use dateline_store::query::{EventFilter, Sort};
use dateline_store::{NewArticle, Store, StoreError};

fn article(id: &str, site: &str, text: &str, published: &str) -> Article {
    Article {
        id: id.to_owned(),
        source: Source { uri: format!("{id}.html"), format: SourceFormat::Html },
        meta: Meta {
            title: Some(format!("Title of {id}")),
            published: Timestamp::parse_rfc3339(published),
            site: Some(site.to_owned()),
            url: Some(format!("https://{site}/{id}")),
            ..Meta::default()
        },
        text: text.to_owned(),
        paragraphs: Vec::new(),
        removed: Vec::new(),
        diagnostics: Vec::new(),
    }
}

fn event(source: &str, target: Option<&str>, cameo: &str, date: &str, place: Option<(&str, &str, PlaceKind)>) -> Event {
    let actor = |code: &str| EventActor { code: Some(code.to_owned()), text: code.to_owned(), start: 0, end: 3 };
    Event {
        sentence: 0,
        source: actor(source),
        target: target.map(actor),
        cameo: cameo.to_owned(),
        root: cameo[..2].to_owned(),
        plover: Some("CONSULT".to_owned()),
        plover_mode: None,
        plover_context: None,
        goldstein: 1.0,
        quad: 1,
        date: Some(date.to_owned()),
        place: place.map(|(name, country, kind)| EventPlace {
            name: name.to_owned(),
            country: Some(country.to_owned()),
            lat: 21.0,
            lon: 105.8,
            kind: Some(kind),
            geonames_id: Some(1),
        }),
        evidence: Evidence { trigger: TextRange { start: 4, end: 8 }, source: None, target: None },
        rule: "V0001".to_owned(),
        confidence: 0.9,
        count: 1,
    }
}

fn new(article: &Article, events: Vec<Event>, version: &str) -> NewArticle {
    let layers = format!(
        r#"{{"id":"{}","text":{},"sentences":[{{"start":0,"end":{}}}]}}"#,
        article.id,
        serde_json::to_string(&article.text).unwrap(),
        article.text.len()
    );
    let mut new = NewArticle::new(article, Some(-1.5), events, layers, version);
    new.sentences = vec![(0, article.text.len())];
    new
}

const HANOI: Option<(&str, &str, PlaceKind)> = Some(("Hanoi", "VNM", PlaceKind::City));

fn open() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("test.db")).unwrap();
    (dir, store)
}

#[test]
fn one_event_reported_by_two_sites_is_merged_with_counts() {
    let (_dir, mut store) = open();
    let a = article("a", "wire.example", "Vietnam and Japan met in Hanoi on Tuesday.", "2025-03-04T08:00:00Z");
    let b = article("b", "post.example", "Japan's minister held talks with Vietnam in Hanoi.", "2025-03-05T08:00:00Z");
    let other = article("c", "post.example", "Police arrested protesters in Nairobi.", "2025-03-05T09:00:00Z");
    let report = store
        .write_batch(
            &[
                new(&a, vec![event("VNMGOV", Some("JPNGOV"), "040", "2025-03-04", HANOI)], "v1"),
                new(
                    &b,
                    vec![event(
                        "VNMGOV",
                        Some("JPNGOV"),
                        "042",
                        "2025-03-05",
                        Some(("Vietnam", "VNM", PlaceKind::Country)),
                    )],
                    "v1",
                ),
                new(&other, vec![event("VNMGOV", Some("JPNGOV"), "040", "2025-03-09", HANOI)], "v1"),
            ],
            &[],
        )
        .unwrap();
    assert_eq!((report.stored, report.mentions, report.new_events), (3, 3, 2));
    let page = store.events(&EventFilter::default(), Sort::MentionsDesc, 10, 0).unwrap();
    assert_eq!(page.total, 2);
    let merged = &page.events[0];
    assert_eq!((merged.num_mentions, merged.num_articles, merged.num_sources), (2, 2, 2));
    assert_eq!(merged.event_name.as_deref(), Some("Consult, not specified below"));
    let detail = store.event(merged.id).unwrap().unwrap();
    assert_eq!(detail.mentions.len(), 2);
    assert_eq!(&detail.mentions[0].text[detail.mentions[0].trigger.start..detail.mentions[0].trigger.end], "nam ");
    assert_eq!(store.integrity_check().unwrap(), "ok");
}

#[test]
fn a_second_run_skips_what_is_stored_and_reprocess_replaces_it() {
    let (dir, mut store) = open();
    let a = article("a", "wire.example", "Vietnam and Japan met in Hanoi on Tuesday.", "2025-03-04T08:00:00Z");
    store
        .write_batch(&[new(&a, vec![event("VNMGOV", Some("JPNGOV"), "040", "2025-03-04", HANOI)], "v1")], &[])
        .unwrap();
    let known = store.known().unwrap();
    assert!(!known.claim(&a, "v1", false), "stored with this version: skipped");
    assert!(!known.claim(&a, "v2", false), "stored, no --reprocess: skipped");
    assert!(known.claim(&a, "v2", true), "an older version with --reprocess: processed again");
    assert!(!known.claim(&a, "v2", true), "claimed once per run");

    let again = store
        .write_batch(&[new(&a, vec![event("VNMGOV", Some("JPNGOV"), "040", "2025-03-04", HANOI)], "v1")], &[])
        .unwrap();
    assert_eq!((again.stored, again.skipped), (0, 1));
    let replaced = store
        .write_batch(&[new(&a, vec![event("JPNGOV", Some("VNMGOV"), "111", "2025-03-04", HANOI)], "v2")], &[])
        .unwrap();
    assert_eq!(replaced.replaced, 1);
    let stats = store.stats().unwrap();
    assert_eq!((stats.articles, stats.events, stats.mentions), (1, 1, 1), "the old event went with its only mention");
    drop(store);
    let reopened = Store::open_read_only(&dir.path().join("test.db")).unwrap();
    assert_eq!(reopened.events(&EventFilter::default(), Sort::Date, 10, 0).unwrap().events[0].cameo, "111");
}

#[test]
fn near_duplicates_are_linked_and_exact_copies_skipped() {
    let (_dir, mut store) = open();
    let text = "The foreign ministers of Vietnam and Japan met in Hanoi on Tuesday to discuss trade, maritime \
                security and a new fund for infrastructure along the Mekong river, officials said. The talks \
                lasted three hours and ended with a joint statement on fishing rights and coast guard patrols.";
    let a = article("a", "wire.example", text, "2025-03-04T08:00:00Z");
    let copy = article(
        "b",
        "post.example",
        &format!("{text} The Mekong flows through six countries."),
        "2025-03-04T09:00:00Z",
    );
    let report = store.write_batch(&[new(&a, vec![], "v1"), new(&copy, vec![], "v1")], &[]).unwrap();
    assert_eq!((report.stored, report.duplicates), (2, 1));
    let document = store.article(2).unwrap().unwrap();
    assert_eq!(document["duplicate_of"], 1);
    assert_eq!(document["id"], 2);
    let exact = article("c", "other.example", text, "2025-03-04T10:00:00Z");
    assert!(!store.known().unwrap().claim(&exact, "v1", false));
}

#[test]
fn filters_select_and_bad_parameters_are_named() {
    let (_dir, mut store) = open();
    let a = article("a", "wire.example", "Russia attacked Ukraine; sanctions followed.", "2025-03-04T08:00:00Z");
    let mut attack = event("RUSMIL", Some("UKR"), "190", "2025-03-04", Some(("Kyiv", "UKR", PlaceKind::City)));
    attack.quad = 4;
    let sanction = event("USAGOV", Some("RUS"), "163", "2025-03-10", None);
    store.write_batch(&[new(&a, vec![attack, sanction], "v1")], &[]).unwrap();
    let count = |filter: EventFilter| store.events(&filter, Sort::Date, 10, 0).unwrap().total;
    assert_eq!(count(EventFilter { actor: Some("rus".into()), ..EventFilter::default() }), 2);
    assert_eq!(count(EventFilter { source: Some("RUS".into()), ..EventFilter::default() }), 1);
    assert_eq!(count(EventFilter { root: Some("19".into()), ..EventFilter::default() }), 1);
    assert_eq!(count(EventFilter { quad: Some(4), ..EventFilter::default() }), 1);
    assert_eq!(count(EventFilter { country: Some("UKR".into()), ..EventFilter::default() }), 1);
    assert_eq!(count(EventFilter { since: Some("2025-03-05".into()), ..EventFilter::default() }), 1);
    assert_eq!(count(EventFilter { until: Some("2025-03-04".into()), ..EventFilter::default() }), 1);
    assert_eq!(count(EventFilter { place: Some("kyi".into()), ..EventFilter::default() }), 1);
    assert_eq!(count(EventFilter { q: Some("sanctions".into()), ..EventFilter::default() }), 2);
    assert_eq!(count(EventFilter { q: Some("ceasefire".into()), ..EventFilter::default() }), 0);
    let timeline = store.timeline(&EventFilter::default()).unwrap();
    let sum: i64 = timeline.series.iter().map(|point| point.q1 + point.q2 + point.q3 + point.q4).sum();
    assert_eq!(sum, 2);
    let network = store.network(&EventFilter::default(), 10).unwrap();
    assert_eq!(network.edges.len(), 2);
    for (filter, parameter) in [
        (EventFilter { root: Some("25".into()), ..EventFilter::default() }, "root"),
        (EventFilter { since: Some("March".into()), ..EventFilter::default() }, "since"),
        (EventFilter { actor: Some("US A".into()), ..EventFilter::default() }, "actor"),
        (EventFilter { quad: Some(7), ..EventFilter::default() }, "quad"),
    ] {
        match store.events(&filter, Sort::Date, 10, 0) {
            Err(StoreError::BadQuery(message)) => assert!(message.starts_with(parameter), "{message}"),
            other => panic!("{parameter}: {other:?}"),
        }
    }
    assert!(matches!(store.search(" - ", 10, 0), Err(StoreError::BadQuery(_))));
    // Search text is searched as written, never read as query syntax that fails.
    assert!(store.search("sanctions AND", 10, 0).is_ok());
    let dated = EventFilter { q: Some("2025-03-03 -a|2d title:x".into()), ..EventFilter::default() };
    assert!(store.events(&dated, Sort::Date, 10, 0).is_ok());
    assert!(matches!(store.events(&EventFilter::default(), Sort::Date, 0, 0), Err(StoreError::BadQuery(_))));
}

#[test]
fn search_snippets_escape_the_page_text() {
    let (_dir, mut store) = open();
    let a = article(
        "a",
        "wire.example",
        "Protesters wrote <script>alert(1)</script> on sanctions banners & signs.",
        "2025-03-04T08:00:00Z",
    );
    store.write_batch(&[new(&a, vec![], "v1")], &[]).unwrap();
    let page = store.search("sanctions", 10, 0).unwrap();
    assert_eq!(page.total, 1);
    let snippet = &page.results[0].snippet;
    assert!(
        snippet.contains("&lt;script&gt;") && snippet.contains("<mark>sanctions</mark>") && snippet.contains("&amp;"),
        "{snippet}"
    );
    assert!(!snippet.replace("<mark>", "").replace("</mark>", "").contains('<'));
}

#[test]
fn exports_have_the_formats_columns() {
    let (dir, mut store) = open();
    let a = article("a", "wire.example", "Vietnam and Japan met in Hanoi.", "2025-03-04T08:00:00Z");
    store
        .write_batch(
            &[new(
                &a,
                vec![
                    event("VNMGOV", Some("JPNGOV"), "040", "2025-03", HANOI),
                    event("VNM", None, "010", "2025-03-04", None),
                ],
                "v1",
            )],
            &[],
        )
        .unwrap();
    let mut gdelt = Vec::new();
    assert_eq!(store.export(&EventFilter::default(), ExportFormat::Gdelt, &mut gdelt).unwrap(), 2);
    let gdelt = String::from_utf8(gdelt).unwrap();
    for line in gdelt.lines() {
        let columns: Vec<&str> = line.split('\t').collect();
        assert_eq!(columns.len(), 61, "{line}");
        assert_eq!(columns[1].len(), 8, "SQLDATE: {line}");
    }
    let first: Vec<&str> = gdelt.lines().next().unwrap().split('\t').collect();
    assert_eq!((first[5], first[7], first[12], first[26], first[29]), ("VNMGOV", "VNM", "GOV", "040", "1"));
    assert_eq!((first[1], first[52], first[53], first[60]), ("20250301", "Hanoi", "VM", "https://wire.example/a"));
    let mut csv = Vec::new();
    store.export(&EventFilter::default(), ExportFormat::Csv, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with("id,date,date_text,source,"));
    assert_eq!(csv.lines().count(), 3);
    let mut jsonl = Vec::new();
    store.export(&EventFilter::default(), ExportFormat::Jsonl, &mut jsonl).unwrap();
    for line in String::from_utf8(jsonl).unwrap().lines() {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(value["mentions"].as_array().unwrap().len(), 1);
    }
    let path = dir.path().join("events.parquet");
    assert_eq!(store.export_parquet(&EventFilter::default(), std::fs::File::create(&path).unwrap()).unwrap(), 2);
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
}

#[test]
fn opening_the_wrong_file_says_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let missing = Store::open_read_only(&dir.path().join("none.db")).unwrap_err();
    assert!(missing.to_string().contains("no such database"), "{missing}");
    let foreign = dir.path().join("foreign.db");
    dateline_store::rusqlite::Connection::open(&foreign).unwrap().execute_batch("CREATE TABLE t (x)").unwrap();
    let error = Store::open(&foreign).unwrap_err();
    assert!(error.to_string().contains("not a dateline database"), "{error}");
}

#[test]
fn merging_outside_the_database_gives_the_exported_events() {
    let (_dir, mut store) = open();
    let vietnam = Some(("Vietnam", "VNM", PlaceKind::Country));
    let paris = Some(("Paris", "FRA", PlaceKind::City));
    let mut a = new(
        &article("a", "wire.test", "Talks in Hanoi.", "2025-03-04T08:00:00Z"),
        vec![event("USA", Some("VNM"), "040", "2025-03-04", HANOI), event("USA", Some("VNM"), "040", "2025-03", None)],
        "v1",
    );
    a.events[1].sentence = 2;
    let b = new(
        &article("b", "paper.test", "Talks in Vietnam.", "2025-03-05T08:00:00Z"),
        vec![
            event("USA", Some("VNM"), "042", "2025-03-05", vietnam),
            event("USA", Some("VNM"), "040", "2025-03-07", HANOI),
            event("FRA", None, "010", "2025-03-05", paris),
        ],
        "v1",
    );
    let c = new(
        &article("c", "wire.test", "More talks.", "2025-03-06T08:00:00Z"),
        vec![event("USA", Some("VNM"), "040", "2025-03", None), event("USA", Some("VNM"), "040", "2025-03-06", HANOI)],
        "v1",
    );
    let articles = [a, b, c];
    store.write_batch(&articles, &[]).unwrap();
    let mut exported = Vec::new();
    store.export(&EventFilter::default(), ExportFormat::Gdelt, &mut exported).unwrap();
    let mut exported: Vec<Vec<String>> = String::from_utf8(exported)
        .unwrap()
        .lines()
        .map(|line| line.split('\t').map(str::to_owned).collect())
        .collect();

    // The same articles merged as a Spark job does: the mentions grouped by actors and root,
    // each group in storing order.
    let mut groups: std::collections::BTreeMap<_, Vec<Mention>> = std::collections::BTreeMap::new();
    for (id, article) in articles.iter().enumerate() {
        for mention in article.mentions(id as i64 + 1) {
            let key =
                (mention.event.key.source.clone(), mention.event.key.target.clone(), mention.event.key.root.clone());
            groups.entry(key).or_default().push(mention);
        }
    }
    let added = "2025-03-08T00:00:00Z";
    let mut merged: Vec<((i64, usize), Vec<String>)> = groups
        .values()
        .flat_map(|mentions| {
            merge_mentions(mentions, added).into_iter().map(|event| {
                let first = &mentions[event.first];
                ((first.facts.article, first.index), gdelt_row(&event.row))
            })
        })
        .collect();
    merged.sort_by_key(|a| a.0);
    let mut ours: Vec<Vec<String>> = merged
        .into_iter()
        .enumerate()
        .map(|(index, (_, mut row))| {
            row[0] = (index + 1).to_string();
            row
        })
        .collect();
    assert_eq!(exported.len(), 4, "{exported:?}");
    for row in exported.iter_mut().chain(ours.iter_mut()) {
        row[59] = String::new();
    }
    ours.sort_by(|a, b| (a[1].as_str(), a[0].parse::<i64>().unwrap()).cmp(&(b[1].as_str(), b[0].parse().unwrap())));
    assert_eq!(ours, exported);
}

#[test]
fn batches_log_their_run_and_the_consistency_check_finds_broken_counts() {
    let (dir, mut store) = open();
    let run = store.start_run(&["a.html".to_owned()], "v1").unwrap();
    let a = article("a", "wire.example", "Vietnam and Japan met in Hanoi on Tuesday.", "2025-03-04T08:00:00Z");
    let b = article("b", "post.example", "Japan's minister held talks with Vietnam in Hanoi.", "2025-03-05T08:00:00Z");
    let failure = ("c.html".to_owned(), None, "not a news document".to_owned());
    store
        .write_batch(&[new(&a, vec![event("VNMGOV", Some("JPNGOV"), "040", "2025-03-04", HANOI)], "v1")], &[])
        .unwrap();
    store
        .write_batch(&[new(&b, vec![event("VNMGOV", Some("JPNGOV"), "040", "2025-03-05", HANOI)], "v1")], &[failure])
        .unwrap();
    assert!(store.consistency_check().unwrap().is_empty());
    drop(store);

    // A run cut short (never finished) still says what its committed batches stored.
    let connection = dateline_store::rusqlite::Connection::open(dir.path().join("test.db")).unwrap();
    let (articles, failed, finished): (i64, i64, Option<String>) = connection
        .query_row("SELECT articles, failed, finished FROM runs WHERE id = ?1", [run], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .unwrap();
    assert_eq!((articles, failed, finished), (2, 1, None));
    connection.execute("UPDATE events SET num_mentions = 7", []).unwrap();
    connection.pragma_update(None, "foreign_keys", false).unwrap();
    connection.execute("DELETE FROM articles WHERE id = 2", []).unwrap();
    drop(connection);
    let store = Store::open_read_only(&dir.path().join("test.db")).unwrap();
    let problems = store.consistency_check().unwrap();
    assert_eq!(
        problems,
        ["1 mentions point at no stored event or article", "1 events have counts that differ from their mentions"],
        "{problems:?}"
    );
}

#[test]
fn a_database_left_by_a_killed_writer_opens_for_reading() {
    let (dir, mut store) = open();
    let a = article("a", "wire.example", "Vietnam and Japan met in Hanoi on Tuesday.", "2025-03-04T08:00:00Z");
    store
        .write_batch(&[new(&a, vec![event("VNMGOV", Some("JPNGOV"), "040", "2025-03-04", HANOI)], "v1")], &[])
        .unwrap();
    // What a writer killed now leaves: the database file, its write-ahead log (holding the
    // batch, not yet checkpointed) and its shared-memory index, which no live process holds.
    // The reader sees the committed batch.
    let killed = dir.path().join("killed.db");
    for suffix in ["", "-wal", "-shm"] {
        std::fs::copy(dir.path().join(format!("test.db{suffix}")), dir.path().join(format!("killed.db{suffix}")))
            .unwrap();
    }
    drop(store);
    let reader = Store::open_read_only(&killed).unwrap();
    assert_eq!(reader.stats().unwrap().articles, 1);
    assert!(reader.consistency_check().unwrap().is_empty());
    assert_eq!(reader.integrity_check().unwrap(), "ok");
}

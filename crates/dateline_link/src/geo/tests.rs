//! Tests of the gazetteer: a small hand-written TSV, and the embedded file.

use std::sync::OnceLock;

use super::*;

/// The project's own few lines, in the embedded file's format.
const SMALL: &str = "\
# geonames_id\tkind\tname\tcountry_iso3\tadmin1\tlat\tlon\tpopulation\talternate_names
1\tcountry\tFrance\tFRA\t\t48.8534\t2.3488\t67000000\tFrench Republic
2\tcountry\tUnited States\tUSA\t\t38.8951\t-77.0364\t327000000\tUS;U.S.;USA;America
3\tadmin1\tTexas\tUSA\tTX\t31.0\t-97.5\t22000000\tState of Texas
4\tcapital\tParis\tFRA\t11\t48.8534\t2.3488\t2138551\tLutetia
5\tcity\tParis\tUSA\tTX\t33.6609\t-95.5555\t24782\t
6\tcity\tSão Paulo\tBRA\t27\t-23.5475\t-46.6361\t12400232\tSampa
7\tcity\tSaint-Denis\tFRA\t11\t48.9362\t2.3574\t110000\t
8\tcity\tNice\tFRA\t93\t43.7031\t7.2661\t342669\t
9\tadmin1\tIllinois\tUSA\tIL\t40.0\t-89.2\t12000000\t
10\tcity\tSpringfield\tUSA\tIL\t39.8017\t-89.6437\t114394\t
11\tcity\tSpringfield\tUSA\tMO\t37.2153\t-93.2982\t170188\t
12\tcity\tRio de Janeiro\tBRA\t21\t-22.9064\t-43.1822\t6023699\t
";

fn small() -> Gazetteer {
    Gazetteer::from_tsv(SMALL).unwrap()
}

fn embedded() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(|| Gazetteer::embedded().unwrap())
}

/// Ranges of each of `names` in `text` (every occurrence), in text order.
fn spans(text: &str, names: &[&str]) -> Vec<TextRange> {
    let mut out: Vec<TextRange> = names
        .iter()
        .flat_map(|n| text.match_indices(n).map(|(i, _)| TextRange::new(i, i + n.len())).collect::<Vec<_>>())
        .collect();
    out.sort_by_key(|r| r.start);
    out
}

fn resolve_one(g: &Gazetteer, text: &str, name: &str, countries: &[&str]) -> Option<Place> {
    g.resolve(text, &spans(text, &[name]), countries).into_iter().next()
}

#[test]
fn normalises_case_accents_punctuation_and_abbreviations() {
    assert_eq!(normalise("São Paulo"), "sao paulo");
    assert_eq!(normalise("  SAO-PAULO "), "sao paulo");
    assert_eq!(normalise("St. Petersburg"), "saint petersburg");
    assert_eq!(normalise("Saint Petersburg"), "saint petersburg");
    assert_eq!(normalise("the Netherlands"), "netherlands");
    assert_eq!(normalise("Xi'an"), "xian");
    assert_eq!(normalise("Łódź"), "lodz");
    assert_eq!(normalise("Straße"), "strasse");
    assert_eq!(normalise("U.S."), "u s");
    assert_eq!(normalise("..."), "");
}

#[test]
fn small_lookup() {
    let g = small();
    assert_eq!(g.len(), 12);
    assert_eq!(g.candidates("Sao Paulo"), g.candidates("SÃO PAULO"));
    assert_eq!(g.candidates("Sao Paulo").len(), 1);
    assert_eq!(g.candidates("St Denis"), g.candidates("Saint-Denis"));
    // Most likely first: the capital of France before the Texan town.
    let paris = g.candidates("paris");
    assert_eq!(paris.len(), 2);
    assert_eq!(&*g.entry(paris[0]).country, "FRA");
    assert!(g.entry(paris[0]).capital);
    assert_eq!(g.entry(paris[1]).kind, PlaceKind::City);
    assert_eq!(g.admin1_of(paris[1]).map(|id| &*g.entry(id).name), Some("Texas"));
    assert!(g.candidates("Atlantis").is_empty());
    assert!(g.candidates("").is_empty());
}

#[test]
fn small_resolution() {
    let g = small();
    let p = resolve_one(&g, "Protests in Paris on Monday.", "Paris", &[]).unwrap();
    assert_eq!((p.name.as_str(), p.country.as_deref()), ("Paris", Some("FRA")));
    let text = "A storm hit Paris, Texas, on Monday.";
    let places = g.resolve(text, &spans(text, &["Paris", "Texas"]), &[]);
    assert_eq!(places.len(), 2);
    assert_eq!(places[0].country.as_deref(), Some("USA"));
    assert_eq!(places[0].geonames_id, Some(5));
    assert_eq!(places[1].kind, PlaceKind::Admin1);
    let p = resolve_one(&g, "Flooding in Paris, Tex., closed schools.", "Paris", &[]).unwrap();
    assert_eq!(p.geonames_id, Some(5));
    // A country name resolves to the country.
    let p = resolve_one(&g, "Talks between France and Germany.", "France", &[]).unwrap();
    assert_eq!((p.kind, p.geonames_id), (PlaceKind::Country, Some(1)));
    // An alternate name.
    let p = resolve_one(&g, "Carnival in Sampa.", "Sampa", &[]).unwrap();
    assert_eq!(p.name, "São Paulo");
}

#[test]
fn small_context_from_other_places() {
    let g = small();
    let text = "The governor of Illinois visited Springfield.";
    let places = g.resolve(text, &spans(text, &["Illinois", "Springfield"]), &["USA"]);
    assert_eq!(places.len(), 2);
    assert_eq!(places[1].geonames_id, Some(10));
    let text = "The mayor of Springfield spoke.";
    assert_eq!(resolve_one(&g, text, "Springfield", &["USA"]).unwrap().geonames_id, Some(11));
}

#[test]
fn common_words_need_strong_evidence() {
    let g = small();
    // Capitalised at the start of a sentence, no evidence: dropped.
    assert!(resolve_one(&g, "Nice work, said the coach.", "Nice", &[]).is_none());
    // Lower case never resolves.
    assert!(resolve_one(&g, "a nice day", "nice", &[]).is_none());
    // A comma and its country, or a locative preposition with the country in context.
    assert!(resolve_one(&g, "The attack in Nice, France, killed 86.", "Nice", &[]).is_some());
    assert!(resolve_one(&g, "The attack in Nice killed 86.", "Nice", &["FRA"]).is_some());
    assert!(resolve_one(&g, "The attack in Nice killed 86.", "Nice", &[]).is_none());
}

#[test]
fn errors_name_the_line() {
    let err = Gazetteer::from_tsv("1\tcountry\tFrance\tFRA\t\t48.8\t2.3\t1\t\n2\tcity\tX\tFRA\t\tnorth\t2.3\t1\t\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("line 2") && err.contains("latitude"), "{err}");
    let err = Gazetteer::from_tsv("1\tcountry\tFrance\n").unwrap_err().to_string();
    assert!(err.contains("line 1") && err.contains("3 columns"), "{err}");
    let err = Gazetteer::from_tsv("\n1\tvillage\tX\tFRA\t\t1\t1\t1\t\n").unwrap_err().to_string();
    assert!(err.contains("line 2") && err.contains("village"), "{err}");
    let err = Gazetteer::from_tsv("1\tcity\tX\tfr\t\t1\t1\t1\t\n").unwrap_err().to_string();
    assert!(err.contains("ISO3"), "{err}");
}

#[test]
fn junk_input() {
    let g = small();
    for text in ["", " ", "...", ",,,", "é", "\u{200B}"] {
        assert!(g.resolve(text, &[TextRange::new(0, text.len())], &[]).is_empty());
        assert!(g.candidates(text).is_empty());
    }
    // Out-of-range and mid-character spans are skipped, not a panic.
    assert!(g.resolve("São", &[TextRange::new(0, 2), TextRange::new(5, 9)], &[]).is_empty());
}

fn token(text: &str, start: usize, end: usize) -> Token {
    Token {
        start,
        end,
        form: text[start..end].to_string(),
        upos: String::new(),
        xpos: String::new(),
        lemma: String::new(),
        head: 0,
        deprel: String::new(),
    }
}

fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        let word = c.is_alphanumeric() || c == '-';
        match (start, word) {
            (None, true) => start = Some(i),
            (Some(s), false) => {
                out.push(token(text, s, i));
                start = None;
            }
            _ => {}
        }
        if !word && !c.is_whitespace() && i < text.len() {
            let e = i + c.len_utf8();
            out.push(token(text, i, e));
        }
    }
    out
}

#[test]
fn finds_mentions() {
    let g = small();
    let text = "Delegates flew from Rio de Janeiro to Paris. Nice weather in St. Denis too.";
    let found: Vec<&str> = g.find_mentions(text, &tokens(text)).iter().map(|r| r.slice(text)).collect();
    assert_eq!(found, ["Rio de Janeiro", "Paris", "St. Denis"]);
}

#[test]
fn embedded_loads() {
    let g = embedded();
    assert!(g.len() > 30_000, "{}", g.len());
    let count = |k: PlaceKind| g.entries.iter().filter(|e| e.kind == k).count();
    assert!(count(PlaceKind::Country) > 240);
    assert!(count(PlaceKind::Admin1) > 3_000);
}

#[test]
fn embedded_hanoi() {
    let p = resolve_one(embedded(), "Officials in Hanoi said.", "Hanoi", &[]).unwrap();
    assert_eq!(p.country.as_deref(), Some("VNM"));
    assert!((p.lat - 21.0).abs() < 0.2, "{}", p.lat);
    let p = resolve_one(embedded(), "Officials in Ha Noi said.", "Ha Noi", &[]).unwrap();
    assert_eq!(p.name, "Hanoi");
}

#[test]
fn embedded_paris() {
    let g = embedded();
    let p = resolve_one(g, "Protesters marched in Paris on Saturday.", "Paris", &[]).unwrap();
    assert_eq!(p.country.as_deref(), Some("FRA"));
    let p = resolve_one(g, "Protesters marched in Paris on Saturday.", "Paris", &["USA"]).unwrap();
    assert_eq!(p.country.as_deref(), Some("FRA"));
    let text = "A tornado struck Paris, Texas, on Saturday.";
    let places = g.resolve(text, &spans(text, &["Paris", "Texas"]), &[]);
    assert_eq!(places[0].country.as_deref(), Some("USA"));
    assert_eq!(places[0].name, "Paris");
    assert!((places[0].lat - 33.66).abs() < 0.1);
    assert_eq!(places[1].kind, PlaceKind::Admin1);
}

#[test]
fn embedded_georgia() {
    let g = embedded();
    let text = "Voters in Georgia went to the polls.";
    let p = resolve_one(g, text, "Georgia", &[]).unwrap();
    assert_eq!((p.kind, p.country.as_deref()), (PlaceKind::Country, Some("GEO")));
    let p = resolve_one(g, text, "Georgia", &["USA"]).unwrap();
    assert_eq!((p.kind, p.country.as_deref()), (PlaceKind::Admin1, Some("USA")));
    let text = "Voters in Atlanta, the capital of Georgia, went to the polls.";
    let places = g.resolve(text, &spans(text, &["Atlanta", "Georgia"]), &[]);
    assert_eq!(places.len(), 2);
    assert_eq!(places[1].country.as_deref(), Some("USA"), "{places:?}");
}

#[test]
fn embedded_washington() {
    let g = embedded();
    let p = resolve_one(g, "Officials in Washington said.", "Washington", &[]).unwrap();
    assert_eq!(p.country.as_deref(), Some("USA"));
    assert_eq!(p.kind, PlaceKind::City);
    assert!((p.lat - 38.9).abs() < 0.1 && (p.lon + 77.0).abs() < 0.1, "{p:?}");
    let p = resolve_one(g, "Wildfires in Washington state.", "Washington state", &[]).unwrap();
    assert_eq!(p.kind, PlaceKind::Admin1);
}

#[test]
fn embedded_springfield() {
    let g = embedded();
    let p = resolve_one(g, "A rally in Springfield, Ill., drew thousands.", "Springfield", &[]).unwrap();
    assert!((p.lat - 39.80).abs() < 0.05, "{p:?}");
    let text = "Illinois lawmakers met in Springfield on Tuesday.";
    let places = g.resolve(text, &spans(text, &["Illinois", "Springfield"]), &["USA"]);
    assert_eq!(places.len(), 2);
    assert!((places[1].lat - 39.80).abs() < 0.05, "{places:?}");
    let text = "Lawmakers met in Springfield, Massachusetts.";
    let p = resolve_one(g, text, "Springfield", &[]).unwrap();
    assert!((p.lat - 42.10).abs() < 0.05, "{p:?}");
}

#[test]
fn embedded_sao_paulo() {
    let g = embedded();
    for name in ["São Paulo", "Sao Paulo", "SAO PAULO"] {
        let text = format!("Traffic in {name} was heavy.");
        let p = resolve_one(g, &text, name, &[]).unwrap();
        assert_eq!((p.name.as_str(), p.kind), ("São Paulo", PlaceKind::City), "{name}");
        assert_eq!(p.country.as_deref(), Some("BRA"));
    }
}

#[test]
fn embedded_well_known_names() {
    let g = embedded();
    for (name, want, kind, country) in [
        ("New York", "New York City", PlaceKind::City, "USA"),
        ("Kiev", "Kyiv", PlaceKind::City, "UKR"),
        ("Bombay", "Mumbai", PlaceKind::City, "IND"),
        ("Britain", "United Kingdom", PlaceKind::Country, "GBR"),
        ("U.S.", "United States", PlaceKind::Country, "USA"),
        ("St. Petersburg", "Saint Petersburg", PlaceKind::City, "RUS"),
        ("California", "California", PlaceKind::Admin1, "USA"),
        ("Mexico", "Mexico", PlaceKind::Country, "MEX"),
    ] {
        let text = format!("Reports from {name} said.");
        let p = resolve_one(g, &text, name, &[]).unwrap();
        assert_eq!((p.name.as_str(), p.kind, p.country.as_deref()), (want, kind, Some(country)), "{name}");
    }
    // Gaza: a province of Mozambique by the prior; the city when the document names Palestine.
    let p = resolve_one(g, "Strikes on Gaza continued.", "Gaza", &["ISR", "PSE"]).unwrap();
    assert_eq!((p.kind, p.country.as_deref()), (PlaceKind::City, Some("PSE")));
}

#[test]
fn embedded_common_words() {
    let g = embedded();
    for (text, name) in [
        ("Police said the suspect fled.", "Police"),
        ("Mobile phone sales rose.", "Mobile"),
        ("Reading the report, she frowned.", "Reading"),
        ("Victoria Beckham attended.", "Victoria"),
        ("Talks resume in March.", "March"),
        ("The Split was bitter.", "Split"),
        ("Of the ten, three died.", "Of"),
    ] {
        assert!(resolve_one(g, text, name, &[]).is_none(), "{text}");
    }
    assert!(resolve_one(g, "Fans gathered in Split, Croatia.", "Split", &[]).is_some());
}

#[test]
fn embedded_junk() {
    let g = embedded();
    for text in ["", "!!!", "- -", "12345", "\u{0301}"] {
        assert!(g.resolve(text, &[TextRange::new(0, text.len())], &[]).is_empty(), "{text:?}");
        assert!(g.find_mentions(text, &tokens(text)).is_empty());
    }
}

#[test]
fn embedded_find_mentions() {
    let g = embedded();
    let text = "Fighting spread from Aleppo to the outskirts of New York and Rio de Janeiro, officials said.";
    let found: Vec<&str> = g.find_mentions(text, &tokens(text)).iter().map(|r| r.slice(text)).collect();
    assert_eq!(found, ["Aleppo", "New York", "Rio de Janeiro"]);
}

#[test]
#[ignore = "timing: run with --release --ignored --nocapture"]
fn embedded_load_time() {
    let t = std::time::Instant::now();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(dateline_doc::PLACES_TSV_GZ), &mut text).unwrap();
    println!("inflate: {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let n: usize = text.lines().flat_map(|l| l.split(['\t', ';'])).map(|f| normalise(f).len()).sum();
    println!("normalise every field: {:?} ({n})", t.elapsed());
    let t = std::time::Instant::now();
    let g = Gazetteer::embedded().unwrap();
    let elapsed = t.elapsed();
    println!("embedded(): {} entries, {} names in {:?}", g.len(), g.index.len(), elapsed);
}

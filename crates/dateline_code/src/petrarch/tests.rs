//! Tests of the PETRARCH reader and coder on small dictionaries written for them and
//! hand-built parses.

use dateline_doc::{Analysis, Entity, EntityType, Sentence, Token};

use super::*;

const DICT: &str = "\
# a tiny dictionary for the tests
&TIES_KIND
+TRADE
+MILITARY
+COLD_HARD

--- MEND [050] ---
MEND
FIX {FIXES FIXED FIXING}
- * {&TIES_KIND LINKS}  [057]   # kinds of links
- * (WITH +) PEACE  [051]
- % *  [053:053]
- * TOOLS  [---]

--- VISIT [042:043] ---
VISIT
+CALL_ON {+CALLED_ON +CALLS_ON}
- (FROM $) *  [044]

--- BAD [0X1] ---
BAD
- * {UNCLOSED [050]
- * NOTHING [07A]
GREET
";

/// A one-sentence analysis: (form, lemma, upos, head, deprel) per word; entities as
/// (first word, words, code).
fn analysis(words: &[(&str, &str, &str, u32, &str)], actors: &[(usize, usize, &str)]) -> (Analysis, Vec<Entity>) {
    let mut text = String::new();
    let mut tokens = Vec::new();
    for &(form, lemma, upos, head, deprel) in words {
        if !text.is_empty() {
            text.push(' ');
        }
        let start = text.len();
        text.push_str(form);
        tokens.push(Token {
            start,
            end: text.len(),
            form: form.to_owned(),
            upos: upos.to_owned(),
            xpos: if upos == "VERB" { "VBD".to_owned() } else { "NN".to_owned() },
            lemma: lemma.to_owned(),
            head,
            deprel: deprel.to_owned(),
        });
    }
    let entities = actors
        .iter()
        .map(|&(first, n, code)| Entity {
            start: tokens[first].start,
            end: tokens[first + n - 1].end,
            text: text[tokens[first].start..tokens[first + n - 1].end].to_owned(),
            kind: EntityType::Location,
            first_token: first,
            n_tokens: n,
            canonical: None,
            actor: Some(code.to_owned()),
        })
        .collect();
    let sentence = Sentence { start: 0, end: text.len(), first_token: 0, n_tokens: tokens.len() };
    (Analysis { sentences: vec![sentence], tokens, entities: Vec::new() }, entities)
}

fn triples(codings: &[Coding]) -> Vec<(String, String, String)> {
    codings.iter().map(|c| (c.source.code.clone(), c.target.code.clone(), c.code.clone())).collect()
}

fn owned(list: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
    list.iter().map(|&(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned())).collect()
}

#[test]
fn reads_blocks_synsets_and_codes() {
    let dict = VerbDictionary::parse("test.txt", DICT);
    assert_eq!(dict.blocks.len(), 3);
    assert_eq!(dict.synsets["TIES_KIND"].len(), 3);
    assert_eq!(dict.blocks[0].patterns.len(), 4);
    assert!(dict.blocks[0].patterns[2].compound);
    assert_eq!(dict.blocks[1].code, Code { forward: Some("042".into()), reverse: Some("043".into()) });
    assert!(dict.blocks[0].patterns[3].code.is_null());
    let fixed = &dict.verbs["FIXED"][0];
    assert!(!fixed.base);
    let called = &dict.verbs["CALLED"][0];
    assert_eq!(called.words, vec!["CALLED".to_owned(), "ON".to_owned()]);
    assert_eq!(dict.blocks[0].patterns[0].rule.as_ref(), "test.txt:10");
}

#[test]
fn malformed_lines_warn_with_file_and_line() {
    let dict = VerbDictionary::parse("test.txt", DICT);
    let lines: Vec<usize> = dict.warnings.iter().map(|w| w.line).collect();
    // Block code 0X1 (line 20), unclosed brace (22), code 07A (23).
    assert!(lines.contains(&20) && lines.contains(&22) && lines.contains(&23), "{:?}", dict.warnings);
    assert!(dict.warnings.iter().all(|w| w.to_string().starts_with("test.txt:")));
    // The block with the bad code keeps its verbs but codes nothing by default.
    assert!(dict.blocks[2].code.is_null());
    assert_eq!(dict.blocks[2].patterns.len(), 0);
}

#[test]
fn default_code_subject_and_object() {
    let dict = VerbDictionary::parse("test.txt", DICT);
    // Arnor mended relations with Gondor .
    let (a, e) = analysis(
        &[
            ("Arnor", "Arnor", "PROPN", 2, "nsubj"),
            ("mended", "mend", "VERB", 0, "root"),
            ("relations", "relation", "NOUN", 2, "obj"),
            ("with", "with", "ADP", 5, "case"),
            ("Gondor", "Gondor", "PROPN", 2, "obl"),
            (".", ".", "PUNCT", 2, "punct"),
        ],
        &[(0, 1, "ARN"), (4, 1, "GON")],
    );
    let codings = code_sentence(&dict, &a, 0, &e);
    assert_eq!(triples(&codings), owned(&[("ARN", "GON", "050")]));
    assert_eq!(codings[0].trigger, 1);
    assert_eq!(codings[0].rule, "test.txt:8");
    assert_eq!(codings[0].target.tokens, 4..5);
}

#[test]
fn synset_phrase_pattern_and_irregular_form() {
    let dict = VerbDictionary::parse("test.txt", DICT);
    // Arnor fixed cold hard links with Gondor  (FIXED by form; COLD_HARD a phrase member)
    let (a, e) = analysis(
        &[
            ("Arnor", "Arnor", "PROPN", 2, "nsubj"),
            ("fixed", "fixed", "VERB", 0, "root"),
            ("cold", "cold", "ADJ", 5, "amod"),
            ("hard", "hard", "ADJ", 5, "amod"),
            ("links", "link", "NOUN", 2, "obj"),
            ("with", "with", "ADP", 7, "case"),
            ("Gondor", "Gondor", "PROPN", 5, "nmod"),
        ],
        &[(0, 1, "ARN"), (6, 1, "GON")],
    );
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("ARN", "GON", "057")]));
}

#[test]
fn prepositional_target_and_null_code() {
    let dict = VerbDictionary::parse("test.txt", DICT);
    // Arnor mended with Gondor peace
    let (a, e) = analysis(
        &[
            ("Arnor", "Arnor", "PROPN", 2, "nsubj"),
            ("mended", "mend", "VERB", 0, "root"),
            ("with", "with", "ADP", 4, "case"),
            ("Gondor", "Gondor", "PROPN", 2, "obl"),
            ("peace", "peace", "NOUN", 2, "obj"),
        ],
        &[(0, 1, "ARN"), (3, 1, "GON")],
    );
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("ARN", "GON", "051")]));
    // Arnor mended tools for Gondor: [---] codes nothing.
    let (a, e) = analysis(
        &[
            ("Arnor", "Arnor", "PROPN", 2, "nsubj"),
            ("mended", "mend", "VERB", 0, "root"),
            ("tools", "tool", "NOUN", 2, "obj"),
            ("for", "for", "ADP", 5, "case"),
            ("Gondor", "Gondor", "PROPN", 3, "nmod"),
        ],
        &[(0, 1, "ARN"), (4, 1, "GON")],
    );
    assert!(code_sentence(&dict, &a, 0, &e).is_empty());
}

#[test]
fn paired_codes_and_coordinated_targets() {
    let dict = VerbDictionary::parse("test.txt", DICT);
    // Arnor visited Gondor and Rohan
    let (a, e) = analysis(
        &[
            ("Arnor", "Arnor", "PROPN", 2, "nsubj"),
            ("visited", "visit", "VERB", 0, "root"),
            ("Gondor", "Gondor", "PROPN", 2, "obj"),
            ("and", "and", "CCONJ", 5, "cc"),
            ("Rohan", "Rohan", "PROPN", 3, "conj"),
        ],
        &[(0, 1, "ARN"), (2, 1, "GON"), (4, 1, "ROH")],
    );
    let mut got = triples(&code_sentence(&dict, &a, 0, &e));
    got.sort();
    assert_eq!(
        got,
        owned(&[("ARN", "GON", "042"), ("ARN", "ROH", "042"), ("GON", "ARN", "043"), ("ROH", "ARN", "043")])
    );
}

#[test]
fn compound_subject_acts_on_itself() {
    let dict = VerbDictionary::parse("test.txt", DICT);
    // Arnor and Gondor mended
    let (a, e) = analysis(
        &[
            ("Arnor", "Arnor", "PROPN", 4, "nsubj"),
            ("and", "and", "CCONJ", 3, "cc"),
            ("Gondor", "Gondor", "PROPN", 1, "conj"),
            ("mended", "mend", "VERB", 0, "root"),
        ],
        &[(0, 1, "ARN"), (2, 1, "GON")],
    );
    let mut got = triples(&code_sentence(&dict, &a, 0, &e));
    got.sort();
    assert_eq!(got, owned(&[("ARN", "GON", "053"), ("GON", "ARN", "053")]));
}

#[test]
fn passive_agent_phrasal_verb_and_source_slot() {
    let dict = VerbDictionary::parse("test.txt", DICT);
    // Gondor was called on by Arnor
    let (a, e) = analysis(
        &[
            ("Gondor", "Gondor", "PROPN", 3, "nsubj:pass"),
            ("was", "be", "AUX", 3, "aux:pass"),
            ("called", "call", "VERB", 0, "root"),
            ("on", "on", "ADP", 3, "compound:prt"),
            ("by", "by", "ADP", 6, "case"),
            ("Arnor", "Arnor", "PROPN", 3, "obl:agent"),
        ],
        &[(0, 1, "GON"), (5, 1, "ARN")],
    );
    let mut got = triples(&code_sentence(&dict, &a, 0, &e));
    got.sort();
    assert_eq!(got, owned(&[("ARN", "GON", "042"), ("GON", "ARN", "043")]));
    // From Rohan Arnor visited Gondor: `(FROM $) *` puts the source in the phrase.
    let (a, e) = analysis(
        &[
            ("From", "from", "ADP", 2, "case"),
            ("Rohan", "Rohan", "PROPN", 4, "obl"),
            ("Arnor", "Arnor", "PROPN", 4, "nsubj"),
            ("visited", "visit", "VERB", 0, "root"),
            ("Gondor", "Gondor", "PROPN", 4, "obj"),
        ],
        &[(1, 1, "ROH"), (2, 1, "ARN"), (4, 1, "GON")],
    );
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("ROH", "GON", "044")]));
}

#[test]
fn controlled_verb_takes_its_controllers_subject() {
    let dict = VerbDictionary::parse("test.txt", DICT);
    // Arnor is about to mend ties with Gondor
    let (a, e) = analysis(
        &[
            ("Arnor", "Arnor", "PROPN", 3, "nsubj"),
            ("is", "be", "AUX", 3, "cop"),
            ("about", "about", "ADJ", 0, "root"),
            ("to", "to", "PART", 5, "mark"),
            ("mend", "mend", "VERB", 3, "xcomp"),
            ("ties", "tie", "NOUN", 5, "obj"),
            ("with", "with", "ADP", 8, "case"),
            ("Gondor", "Gondor", "PROPN", 5, "obl"),
        ],
        &[(0, 1, "ARN"), (7, 1, "GON")],
    );
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("ARN", "GON", "050")]));
}

#[test]
fn broken_trees_do_not_panic() {
    let dict = VerbDictionary::parse("test.txt", DICT);
    let (a, e) = analysis(
        &[("Arnor", "Arnor", "PROPN", 2, "nsubj"), ("mended", "mend", "VERB", 1, "root"), ("x", "x", "X", 9, "dep")],
        &[(0, 1, "ARN")],
    );
    assert!(code_sentence(&dict, &a, 0, &e).is_empty());
    assert!(code_sentence(&dict, &a, 5, &e).is_empty());
}

/// Speed of the coder alone over the validation records' own parses, one thread, with every
/// proper noun standing for an actor. Needs the UD-PETRARCH validation suite: set
/// `PETRARCH_VALIDATE_DIR` (default `../shared/data/event-coding/universalpetrarch-validate`
/// from the workspace root). Run with `cargo test --release -p dateline_code -- --ignored`.
#[test]
#[ignore]
fn speed_on_validation_parses() {
    let dir = std::env::var("PETRARCH_VALIDATE_DIR").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/event-coding/universalpetrarch-validate").to_owned()
    });
    let verbs = std::fs::read_to_string(format!("{dir}/PETR_Validate_verbs_2_02.txt")).expect("verbs file");
    let records = std::fs::read_to_string(format!("{dir}/PETR_Validate_records_2_02.xml")).expect("records file");
    let dict = VerbDictionary::parse("verbs", &verbs);
    let mut cases = Vec::new();
    for chunk in records.split("<Parse>").skip(1) {
        let parse = chunk.split("</Parse>").next().unwrap_or("");
        let Ok(sentences) = dateline_nlp::conllu::parse(parse) else { continue };
        for sentence in sentences {
            let words: Vec<(&str, &str, &str, u32, &str)> = sentence
                .words
                .iter()
                .map(|w| (w.form.as_str(), w.lemma.as_str(), w.upos.as_str(), w.head, w.deprel.as_str()))
                .collect();
            let codes: Vec<String> = sentence.words.iter().map(|w| w.form.to_uppercase()).collect();
            let actors: Vec<(usize, usize, &str)> = sentence
                .words
                .iter()
                .enumerate()
                .filter(|(_, w)| w.upos == "PROPN")
                .map(|(i, _)| (i, 1, codes[i].as_str()))
                .collect();
            cases.push(analysis(&words, &actors));
        }
    }
    assert!(cases.len() > 200);
    let rounds = 40;
    let started = std::time::Instant::now();
    let mut codings = 0;
    for _ in 0..rounds {
        for (a, e) in &cases {
            codings += code_sentence(&dict, a, 0, e).len();
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let rate = (rounds * cases.len()) as f64 / seconds;
    eprintln!("{} sentences x {rounds}: {rate:.0} sentences/s ({codings} codings)", cases.len());
    assert!(rate > 20_000.0, "{rate:.0} sentences/s");
}

#[test]
fn negated_verb_codes_the_negated_event() {
    let mut dict = VerbDictionary::parse("test.txt", DICT);
    // Arnor did n't mend relations with Gondor .
    let words = [
        ("Arnor", "Arnor", "PROPN", 4, "nsubj"),
        ("did", "do", "AUX", 4, "aux"),
        ("n't", "not", "PART", 4, "neg"),
        ("mend", "mend", "VERB", 0, "root"),
        ("relations", "relation", "NOUN", 4, "obj"),
        ("with", "with", "ADP", 7, "case"),
        ("Gondor", "Gondor", "PROPN", 4, "obl"),
    ];
    let (a, e) = analysis(&words, &[(0, 1, "ARN"), (6, 1, "GON")]);
    // Without an ontology the verb's own code stands.
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("ARN", "GON", "050")]));
    assert_eq!(dict.add_ontology("onto.txt", "050:0x0080\n110:0x1007F\n042:0xB002\n"), 3);
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("ARN", "GON", "110")]));
    // Arnor did not visit Gondor : 042 has no negation, so nothing is coded.
    let (a, e) = analysis(
        &[
            ("Arnor", "Arnor", "PROPN", 4, "nsubj"),
            ("did", "do", "AUX", 4, "aux"),
            ("not", "not", "PART", 4, "advmod"),
            ("visit", "visit", "VERB", 0, "root"),
            ("Gondor", "Gondor", "PROPN", 4, "obj"),
        ],
        &[(0, 1, "ARN"), (4, 1, "GON")],
    );
    assert!(code_sentence(&dict, &a, 0, &e).is_empty());
}

#[test]
fn target_named_by_a_noun_modifier_comes_before_a_later_place() {
    let dict = VerbDictionary::parse("test.txt", DICT);
    // Arnor mended the harm by Gondor soldiers in Rohan .
    let (a, e) = analysis(
        &[
            ("Arnor", "Arnor", "PROPN", 2, "nsubj"),
            ("mended", "mend", "VERB", 0, "root"),
            ("the", "the", "DET", 4, "det"),
            ("harm", "harm", "NOUN", 2, "obj"),
            ("by", "by", "ADP", 7, "case"),
            ("Gondor", "Gondor", "PROPN", 7, "compound"),
            ("soldiers", "soldier", "NOUN", 4, "nmod"),
            ("in", "in", "ADP", 9, "case"),
            ("Rohan", "Rohan", "PROPN", 4, "nmod"),
        ],
        &[(0, 1, "ARN"), (5, 1, "GONMIL"), (8, 1, "ROH")],
    );
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("ARN", "GONMIL", "050")]));
}

#[test]
fn bare_roles_are_no_actors() {
    let dict = VerbDictionary::parse("test.txt", DICT);
    // Arnor mended relations with the government in Gondor ; then the government alone.
    let words = [
        ("Arnor", "Arnor", "PROPN", 2, "nsubj"),
        ("mended", "mend", "VERB", 0, "root"),
        ("relations", "relation", "NOUN", 2, "obj"),
        ("with", "with", "ADP", 5, "case"),
        ("government", "government", "NOUN", 2, "obl"),
        ("in", "in", "ADP", 7, "case"),
        ("Gondor", "Gondor", "PROPN", 5, "nmod"),
    ];
    let (a, mut e) = analysis(&words, &[(0, 1, "ARN"), (4, 1, "GOV"), (6, 1, "GON")]);
    e[1].kind = EntityType::Role;
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("ARN", "GONGOV", "050")]));
    let (a, mut e) = analysis(&words[..5], &[(0, 1, "ARN"), (4, 1, "GOV")]);
    e[1].kind = EntityType::Role;
    assert!(code_sentence(&dict, &a, 0, &e).is_empty());
}

#[test]
fn conjuncts_of_a_modifier_and_appositive_lists_all_act() {
    let dict = VerbDictionary::parse("test.txt", DICT);
    // The envoys of Arnor , Rhun and Gondor visited Harad .
    let words = [
        ("The", "the", "DET", 2, "det"),
        ("envoys", "envoy", "NOUN", 9, "nsubj"),
        ("of", "of", "ADP", 4, "case"),
        ("Arnor", "Arnor", "PROPN", 2, "nmod"),
        (",", ",", "PUNCT", 4, "punct"),
        ("Rhun", "Rhun", "PROPN", 4, "conj"),
        ("and", "and", "CCONJ", 4, "cc"),
        ("Gondor", "Gondor", "PROPN", 4, "conj"),
        ("visited", "visit", "VERB", 0, "root"),
        ("Harad", "Harad", "PROPN", 9, "obj"),
    ];
    let (a, e) = analysis(&words, &[(3, 1, "ARN"), (5, 1, "RHU"), (7, 1, "GON"), (9, 1, "HAR")]);
    let forward: Vec<_> = triples(&code_sentence(&dict, &a, 0, &e)).into_iter().filter(|t| t.2 == "042").collect();
    assert_eq!(forward, owned(&[("ARN", "HAR", "042"), ("RHU", "HAR", "042"), ("GON", "HAR", "042")]));
    // Rhun , the Shire , Arnor and Bree visited Harad : a list parsed as an apposition with
    // conjuncts.
    let words = [
        ("Rhun", "Rhun", "PROPN", 8, "nsubj"),
        (",", ",", "PUNCT", 1, "punct"),
        ("Shire", "Shire", "PROPN", 1, "appos"),
        (",", ",", "PUNCT", 3, "punct"),
        ("Arnor", "Arnor", "PROPN", 3, "conj"),
        ("and", "and", "CCONJ", 3, "cc"),
        ("Bree", "Bree", "PROPN", 3, "conj"),
        ("visited", "visit", "VERB", 0, "root"),
        ("Harad", "Harad", "PROPN", 8, "obj"),
    ];
    let (a, e) = analysis(&words, &[(0, 1, "RHU"), (2, 1, "SHI"), (4, 1, "ARN"), (6, 1, "BRE"), (8, 1, "HAR")]);
    let mut got: Vec<String> =
        triples(&code_sentence(&dict, &a, 0, &e)).into_iter().filter(|t| t.2 == "042").map(|t| t.0).collect();
    got.sort();
    assert_eq!(got, vec!["ARN", "BRE", "RHU", "SHI"]);
    // Harad , the old ally , mended ties with Rhun : a lone apposition is the same actor.
    let words = [
        ("Harad", "Harad", "PROPN", 6, "nsubj"),
        (",", ",", "PUNCT", 1, "punct"),
        ("the", "the", "DET", 5, "det"),
        ("old", "old", "ADJ", 5, "amod"),
        ("Arnor", "Arnor", "PROPN", 1, "appos"),
        ("mended", "mend", "VERB", 0, "root"),
        ("ties", "tie", "NOUN", 6, "obj"),
        ("with", "with", "ADP", 9, "case"),
        ("Rhun", "Rhun", "PROPN", 7, "nmod"),
    ];
    let (a, e) = analysis(&words, &[(0, 1, "HAR"), (4, 1, "ARN"), (8, 1, "RHU")]);
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("HAR", "RHU", "050")]));
}

#[test]
fn group_allows_modifiers_before_inner_elements_only() {
    let dict =
        VerbDictionary::parse("test.txt", "--- MEND [050] ---\nMEND\n- * {NEW &KIND LINKS} [057]\n\n&KIND\n+TRADE\n");
    // Arnor mended new strong trade links with Gondor : 057.
    let sentence = |middle: &[(&'static str, &'static str)]| {
        let mut words = vec![("Arnor", "Arnor", "PROPN", 2, "nsubj"), ("mended", "mend", "VERB", 0, "root")];
        let links = 3 + middle.len() as u32;
        for &(form, rel) in middle {
            words.push((form, form, "ADJ", links, rel));
        }
        words.push(("links", "link", "NOUN", 2, "obj"));
        words.push(("with", "with", "ADP", links + 2, "case"));
        words.push(("Gondor", "Gondor", "PROPN", links, "nmod"));
        let gondor = words.len() - 1;
        let (a, e) = analysis(&words, &[(0, 1, "ARN"), (gondor, 1, "GON")]);
        triples(&code_sentence(&dict, &a, 0, &e)).into_iter().map(|t| t.2).collect::<Vec<_>>()
    };
    assert_eq!(sentence(&[("new", "amod"), ("trade", "amod")]), vec!["057"]);
    assert_eq!(sentence(&[("new", "amod"), ("strong", "amod"), ("trade", "amod")]), vec!["057"]);
    // The head follows the element before it directly.
    assert_eq!(sentence(&[("new", "amod"), ("trade", "amod"), ("rail", "compound")]), vec!["050"]);
    // The first element starts the group.
    assert_eq!(sentence(&[("trade", "amod")]), vec!["050"]);
}

#[test]
fn passive_without_agent_raising_and_verb_adverbs() {
    let dict = VerbDictionary::parse(
        "test.txt",
        "--- BLAME [111] ---\nBLAME\n- HARSHLY * [122]\n- TOUGH * [123]\n\n--- RAID [120] ---\nRAID\n\n--- SEE [010] ---\nSEE {SEEN}\n",
    );
    // Arnor was harshly blamed over its feud with Gondor : Gondor blames Arnor; the verb's
    // adverb is no word before the verb for a pattern.
    let (a, e) = analysis(
        &[
            ("Arnor", "Arnor", "PROPN", 4, "nsubj:pass"),
            ("was", "be", "AUX", 4, "aux:pass"),
            ("harshly", "harshly", "ADV", 4, "advmod"),
            ("blamed", "blame", "VERB", 0, "root"),
            ("over", "over", "ADP", 7, "case"),
            ("its", "its", "PRON", 7, "nmod:poss"),
            ("feud", "feud", "NOUN", 4, "obl"),
            ("with", "with", "ADP", 9, "case"),
            ("Gondor", "Gondor", "PROPN", 7, "nmod"),
        ],
        &[(0, 1, "ARN"), (8, 1, "GON")],
    );
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("GON", "ARN", "111")]));
    // Tough Arnor blamed Gondor : a word of the subject side matches.
    let (a, e) = analysis(
        &[
            ("Tough", "tough", "ADJ", 2, "amod"),
            ("Arnor", "Arnor", "PROPN", 3, "nsubj"),
            ("blamed", "blame", "VERB", 0, "root"),
            ("Gondor", "Gondor", "PROPN", 3, "obj"),
        ],
        &[(1, 1, "ARN"), (3, 1, "GON")],
    );
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("ARN", "GON", "123")]));
    // Arnor was seen to raid Gondor : Arnor raids; the raising verb codes nothing.
    let (a, e) = analysis(
        &[
            ("Arnor", "Arnor", "PROPN", 3, "nsubj:pass"),
            ("was", "be", "AUX", 3, "aux:pass"),
            ("seen", "see", "VERB", 0, "root"),
            ("to", "to", "PART", 5, "mark"),
            ("raid", "raid", "VERB", 3, "xcomp"),
            ("Gondor", "Gondor", "PROPN", 5, "obj"),
        ],
        &[(0, 1, "ARN"), (5, 1, "GON")],
    );
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("ARN", "GON", "120")]));
}

#[test]
fn prepositional_element_uses_up_its_phrase() {
    let dict = VerbDictionary::parse("test.txt", "--- FEAST [051] ---\nFEAST\n- * IFTAR (IN ^) + [017]\n");
    // Arnor feasted Iftar in Osgiliath with Gondor : the target lies past "in Osgiliath".
    let (a, e) = analysis(
        &[
            ("Arnor", "Arnor", "PROPN", 2, "nsubj"),
            ("feasted", "feast", "VERB", 0, "root"),
            ("Iftar", "Iftar", "PROPN", 2, "obj"),
            ("in", "in", "ADP", 5, "case"),
            ("Osgiliath", "Osgiliath", "PROPN", 2, "obl"),
            ("with", "with", "ADP", 7, "case"),
            ("Gondor", "Gondor", "PROPN", 2, "obl"),
        ],
        &[(0, 1, "ARN"), (4, 1, "OSG"), (6, 1, "GON")],
    );
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("ARN", "GON", "017")]));
}

#[test]
fn that_complements_are_no_pattern_ground_and_no_further_event() {
    let dict = VerbDictionary::parse(
        "test.txt",
        "--- ALLOW [080] ---\nALLOW\n- * {NICE PLACE} [027]\n\n--- NOTE [010] ---\nNOTE\n\n--- BLAME [111] ---\nBLAME\n",
    );
    // Arnor allowed that Gondor is a nice place : 080, not the pattern inside the clause.
    let (a, e) = analysis(
        &[
            ("Arnor", "Arnor", "PROPN", 2, "nsubj"),
            ("allowed", "allow", "VERB", 0, "root"),
            ("that", "that", "SCONJ", 8, "mark"),
            ("Gondor", "Gondor", "PROPN", 8, "nsubj"),
            ("is", "be", "AUX", 8, "cop"),
            ("a", "a", "DET", 8, "det"),
            ("nice", "nice", "ADJ", 8, "amod"),
            ("place", "place", "NOUN", 2, "ccomp"),
        ],
        &[(0, 1, "ARN"), (3, 1, "GON")],
    );
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("ARN", "GON", "080")]));
    // Arnor noted that Gondor blamed Bree : the noting only; without an actor noting, the
    // content is coded.
    let words = |subject: (&'static str, &'static str, &'static str, u32, &'static str)| {
        vec![
            subject,
            ("noted", "note", "VERB", 0, "root"),
            ("that", "that", "SCONJ", 5, "mark"),
            ("Gondor", "Gondor", "PROPN", 5, "nsubj"),
            ("blamed", "blame", "VERB", 2, "ccomp"),
            ("Bree", "Bree", "PROPN", 5, "obj"),
        ]
    };
    let (a, e) =
        analysis(&words(("Arnor", "Arnor", "PROPN", 2, "nsubj")), &[(0, 1, "ARN"), (3, 1, "GON"), (5, 1, "BRE")]);
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("ARN", "GON", "010")]));
    let (a, e) = analysis(&words(("It", "it", "PRON", 2, "nsubj")), &[(3, 1, "GON"), (5, 1, "BRE")]);
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("GON", "BRE", "111")]));
}

#[test]
fn longer_match_wins_a_tie_and_own_function_words_are_no_subject_side() {
    let dict = VerbDictionary::parse(
        "test.txt",
        "&CASH\n+FLORIN\n\n&RARE\n+GOLD FLORIN\n\n--- GIVE [070] ---\nGIVE\n- * &CASH [071]\n- * &RARE [190]\n\n\
         --- ACCORD [013] ---\nACCORD\n- (TO) * [073]\n",
    );
    // Arnor gave gold florin to Gondor : the two-word member wins.
    let (a, e) = analysis(
        &[
            ("Arnor", "Arnor", "PROPN", 2, "nsubj"),
            ("gave", "give", "VERB", 0, "root"),
            ("gold", "gold", "ADJ", 4, "amod"),
            ("florin", "florin", "NOUN", 2, "obj"),
            ("to", "to", "ADP", 6, "case"),
            ("Gondor", "Gondor", "PROPN", 2, "obl"),
        ],
        &[(0, 1, "ARN"), (5, 1, "GON")],
    );
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("ARN", "GON", "190")]));
    // Arnor came to accord with Gondor : "to" is the verb's own, no `(TO) *`.
    let (a, e) = analysis(
        &[
            ("Arnor", "Arnor", "PROPN", 2, "nsubj"),
            ("came", "come", "VERB", 0, "root"),
            ("to", "to", "PART", 4, "mark"),
            ("accord", "accord", "VERB", 2, "xcomp"),
            ("with", "with", "ADP", 6, "case"),
            ("Gondor", "Gondor", "PROPN", 4, "obl"),
        ],
        &[(0, 1, "ARN"), (5, 1, "GON")],
    );
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("ARN", "GON", "013")]));
}

#[test]
fn verb_conjuncts_are_no_actors_and_wrong_es_forms_no_verbs() {
    let dict = VerbDictionary::parse("test.txt", "--- MEND [050] ---\nMEND\n\n--- DEPART [040] ---\nDEPART\n");
    // Arnor mended ties with Gondor , after Bree crowds burned ... (the clause misparsed as a
    // conjunct of Gondor): Gondor only.
    let (a, e) = analysis(
        &[
            ("Arnor", "Arnor", "PROPN", 2, "nsubj"),
            ("mended", "mend", "VERB", 0, "root"),
            ("ties", "tie", "NOUN", 2, "obj"),
            ("with", "with", "ADP", 5, "case"),
            ("Gondor", "Gondor", "PROPN", 2, "nmod"),
            ("after", "after", "ADP", 8, "case"),
            ("Bree", "Bree", "PROPN", 8, "compound"),
            ("crowds", "crowd", "NOUN", 9, "nmod"),
            ("burned", "burn", "VERB", 5, "conj"),
        ],
        &[(0, 1, "ARN"), (4, 1, "GON"), (6, 1, "BRE")],
    );
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("ARN", "GON", "050")]));
    // Arnor departes from Gondor : no form of DEPART; "departs" is.
    let sentence = |form: &'static str| {
        let (a, e) = analysis(
            &[
                ("Arnor", "Arnor", "PROPN", 2, "nsubj"),
                (form, "depart", "VERB", 0, "root"),
                ("from", "from", "ADP", 4, "case"),
                ("Gondor", "Gondor", "PROPN", 2, "obl"),
            ],
            &[(0, 1, "ARN"), (3, 1, "GON")],
        );
        triples(&code_sentence(&dict, &a, 0, &e))
    };
    assert!(sentence("departes").is_empty());
    assert_eq!(sentence("departs"), owned(&[("ARN", "GON", "040")]));
}

#[test]
fn open_complement_tells_the_event_and_source_only_patterns_and_skips() {
    let dict = VerbDictionary::parse(
        "test.txt",
        "--- HOST [043:042] ---\nHOST\n\n--- CELEBRATE [051] ---\nCELEBRATE\n- * FEAST $ [017]\n- * TABASKI ^ $ [018]\n",
    );
    // Arnor hosted Gondor to celebrate WORD with Bree at Minas : the celebration only, Arnor's;
    // `$` names the source and makes Arnor the target; `^` skips Bree.
    let sentence = |word: &'static str| {
        let (a, e) = analysis(
            &[
                ("Arnor", "Arnor", "PROPN", 2, "nsubj"),
                ("hosted", "host", "VERB", 0, "root"),
                ("Gondor", "Gondor", "PROPN", 2, "obj"),
                ("to", "to", "PART", 5, "mark"),
                ("celebrate", "celebrate", "VERB", 2, "xcomp"),
                (word, word, "NOUN", 5, "obj"),
                ("with", "with", "ADP", 8, "case"),
                ("Bree", "Bree", "PROPN", 5, "obl"),
                ("at", "at", "ADP", 10, "case"),
                ("Minas", "Minas", "PROPN", 5, "obl"),
            ],
            &[(0, 1, "ARN"), (2, 1, "GON"), (7, 1, "BRE"), (9, 1, "MIN")],
        );
        triples(&code_sentence(&dict, &a, 0, &e))
    };
    assert_eq!(sentence("feast"), owned(&[("BRE", "ARN", "017")]));
    assert_eq!(sentence("Tabaski"), owned(&[("MIN", "ARN", "018")]));
    // Without a pattern, the celebration's source is the host, its target the first actor.
    assert_eq!(sentence("games"), owned(&[("ARN", "BRE", "051")]));
}

#[test]
fn words_of_a_prepositional_element_follow_the_preposition() {
    let dict = VerbDictionary::parse(
        "test.txt",
        "--- BARGAIN [031] ---\nBARGAIN\n- * (FOR ASYLUM) [1032]\n- * ASYLUM [1033]\n",
    );
    // Arnor bargained for (the | foreign) asylum in Gondor.
    let sentence = |word: &'static str, rel: &'static str| {
        let (a, e) = analysis(
            &[
                ("Arnor", "Arnor", "PROPN", 2, "nsubj"),
                ("bargained", "bargain", "VERB", 0, "root"),
                ("for", "for", "ADP", 5, "case"),
                (word, word, "ADJ", 5, rel),
                ("asylum", "asylum", "NOUN", 2, "obl"),
                ("in", "in", "ADP", 7, "case"),
                ("Gondor", "Gondor", "PROPN", 5, "nmod"),
            ],
            &[(0, 1, "ARN"), (6, 1, "GON")],
        );
        triples(&code_sentence(&dict, &a, 0, &e))
    };
    assert_eq!(sentence("the", "det"), owned(&[("ARN", "GON", "1032")]));
    assert_eq!(sentence("foreign", "amod"), owned(&[("ARN", "GON", "1033")]));
}

#[test]
fn infinitive_beside_the_verb_names_the_target_and_groups_are_noun_phrases() {
    let dict = VerbDictionary::parse(
        "test.txt",
        "--- VOW [170] ---\nVOW\n- * WAR [190]\n\n--- SIGN [057] ---\nSIGN\n- * {TO SUPPLY} [057]\n- * ACCORD [056]\n",
    );
    // Arnor vowed to wage war on Gondor (the infinitive parsed as an adverbial clause).
    let (a, e) = analysis(
        &[
            ("Arnor", "Arnor", "PROPN", 2, "nsubj"),
            ("vowed", "vow", "VERB", 0, "root"),
            ("to", "to", "PART", 4, "mark"),
            ("wage", "wage", "VERB", 2, "advcl"),
            ("war", "war", "NOUN", 4, "obj"),
            ("on", "on", "ADP", 7, "case"),
            ("Gondor", "Gondor", "PROPN", 4, "obl"),
        ],
        &[(0, 1, "ARN"), (6, 1, "GON")],
    );
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("ARN", "GON", "190")]));
    // Arnor signed an accord to supply Gondor : "to supply" is no noun phrase.
    let (a, e) = analysis(
        &[
            ("Arnor", "Arnor", "PROPN", 2, "nsubj"),
            ("signed", "sign", "VERB", 0, "root"),
            ("an", "a", "DET", 4, "det"),
            ("accord", "accord", "NOUN", 2, "obj"),
            ("to", "to", "PART", 6, "mark"),
            ("supply", "supply", "VERB", 4, "acl"),
            ("Gondor", "Gondor", "PROPN", 6, "obj"),
        ],
        &[(0, 1, "ARN"), (6, 1, "GON")],
    );
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("ARN", "GON", "056")]));
}

#[test]
fn coordinating_words_are_no_pattern_words() {
    let dict = VerbDictionary::parse("test.txt", "--- SNUB [163] ---\nSNUB\n- NEITHER * [057]\n");
    // Neither Arnor nor Bree snubbed Gondor: "neither" hangs from the verb (as in the suite's
    // parse) or from the first subject (cc:preconj); either way it joins the subjects.
    for (head, rel) in [(5, "cc"), (2, "cc:preconj")] {
        let (a, e) = analysis(
            &[
                ("Neither", "neither", "CCONJ", head, rel),
                ("Arnor", "Arnor", "PROPN", 5, "nsubj"),
                ("nor", "nor", "CCONJ", 4, "cc"),
                ("Bree", "Bree", "PROPN", 2, "conj"),
                ("snubbed", "snub", "VERB", 0, "root"),
                ("Gondor", "Gondor", "PROPN", 5, "obj"),
            ],
            &[(1, 1, "ARN"), (3, 1, "BRE"), (5, 1, "GON")],
        );
        assert_eq!(
            triples(&code_sentence(&dict, &a, 0, &e)),
            owned(&[("ARN", "GON", "163"), ("BRE", "GON", "163")]),
            "neither as {rel}"
        );
    }
}

#[test]
fn adverbial_clause_takes_its_verbs_source_only_as_an_infinitive() {
    let dict = VerbDictionary::parse("test.txt", "--- MEND [050] ---\nMEND\n\n--- LEAVE [012] ---\nLEAVE\n");
    // Arnor is inching nearer to mend ties with Gondor: the infinitive is Arnor's.
    let (a, e) = analysis(
        &[
            ("Arnor", "Arnor", "PROPN", 3, "nsubj"),
            ("is", "be", "AUX", 3, "aux"),
            ("inching", "inch", "VERB", 0, "root"),
            ("nearer", "nearer", "ADJ", 3, "xcomp"),
            ("to", "to", "PART", 6, "mark"),
            ("mend", "mend", "VERB", 3, "advcl"),
            ("ties", "tie", "NOUN", 6, "obj"),
            ("with", "with", "ADP", 9, "case"),
            ("Gondor", "Gondor", "PROPN", 6, "obl"),
        ],
        &[(0, 1, "ARN"), (8, 1, "GON")],
    );
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("ARN", "GON", "050")]));
    // Arnor mended ties with Gondor after leaving Bree: the clause of "after" codes nothing.
    let (a, e) = analysis(
        &[
            ("Arnor", "Arnor", "PROPN", 2, "nsubj"),
            ("mended", "mend", "VERB", 0, "root"),
            ("ties", "tie", "NOUN", 2, "obj"),
            ("with", "with", "ADP", 5, "case"),
            ("Gondor", "Gondor", "PROPN", 2, "obl"),
            ("after", "after", "SCONJ", 7, "mark"),
            ("leaving", "leave", "VERB", 2, "advcl"),
            ("Bree", "Bree", "PROPN", 7, "obj"),
        ],
        &[(0, 1, "ARN"), (4, 1, "GON"), (7, 1, "BRE")],
    );
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("ARN", "GON", "050")]));
}

#[test]
fn object_names_the_target_before_prepositional_phrases() {
    let dict = VerbDictionary::parse("test.txt", "--- WARN [130] ---\nWARN\n");
    // Arnor warned the people of Gondor about Mordor: the object's Gondor, though Mordor is
    // nearer the verb in the tree.
    let (a, e) = analysis(
        &[
            ("Arnor", "Arnor", "PROPN", 2, "nsubj"),
            ("warned", "warn", "VERB", 0, "root"),
            ("the", "the", "DET", 4, "det"),
            ("people", "people", "NOUN", 2, "obj"),
            ("of", "of", "ADP", 6, "case"),
            ("Gondor", "Gondor", "PROPN", 4, "nmod"),
            ("about", "about", "ADP", 8, "case"),
            ("Mordor", "Mordor", "PROPN", 2, "obl"),
        ],
        &[(0, 1, "ARN"), (5, 1, "GON"), (7, 1, "MOR")],
    );
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("ARN", "GON", "130")]));
    // Without an object, the prepositional phrase names it: Arnor warned about Mordor.
    let (a, e) = analysis(
        &[
            ("Arnor", "Arnor", "PROPN", 2, "nsubj"),
            ("warned", "warn", "VERB", 0, "root"),
            ("about", "about", "ADP", 4, "case"),
            ("Mordor", "Mordor", "PROPN", 2, "obl"),
        ],
        &[(0, 1, "ARN"), (3, 1, "MOR")],
    );
    assert_eq!(triples(&code_sentence(&dict, &a, 0, &e)), owned(&[("ARN", "MOR", "130")]));
}

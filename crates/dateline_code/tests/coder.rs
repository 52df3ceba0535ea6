//! Event coding through the real pipeline (NLP, linking, coding) on the project's own
//! sentences, and on every example sentence of the built-in dictionary.

use std::sync::OnceLock;

use chrono::NaiveDate;
use dateline_code::Coder;
use dateline_doc::{Events, Timestamp};
use dateline_link::Linker;
use dateline_nlp::pipeline::{Models, analyze};

fn models() -> &'static Models {
    static MODELS: OnceLock<Models> = OnceLock::new();
    MODELS.get_or_init(|| Models::embedded().expect("embedded models load"))
}

fn linker() -> &'static Linker {
    static LINKER: OnceLock<Linker> = OnceLock::new();
    LINKER.get_or_init(|| Linker::embedded().expect("embedded resources load"))
}

fn coder() -> &'static Coder {
    static CODER: OnceLock<Coder> = OnceLock::new();
    CODER.get_or_init(Coder::embedded)
}

fn code(text: &str) -> Events {
    let published = NaiveDate::from_ymd_opt(2019, 2, 28).map(Timestamp::Date);
    let (analysis, _) = analyze(text, models());
    let links = linker().link(text, &analysis, published);
    coder().code(text, &analysis, &links, published)
}

/// The events as `SOURCE>TARGET:CAMEO`, and the suppressed candidates as `CAMEO:reason`.
fn shown(events: &Events) -> (Vec<String>, Vec<String>) {
    let coded = events
        .events
        .iter()
        .map(|event| {
            let target = event.target.as_ref().and_then(|target| target.code.clone()).unwrap_or_else(|| "-".into());
            format!("{}>{}:{}", event.source.code.as_deref().unwrap_or("-"), target, event.cameo)
        })
        .collect();
    let suppressed = events.suppressed.iter().map(|s| format!("{}:{}", s.cameo, s.reason)).collect();
    (coded, suppressed)
}

#[test]
fn who_did_what_to_whom() {
    let (events, _) = shown(&code("Israel attacked Hamas positions in Gaza on Tuesday."));
    assert_eq!(events, ["ISR>PSEREBHMS:190"]);
    let (events, _) = shown(&code("The EU imposed sanctions on Iran."));
    assert_eq!(events, ["IGOEUREEC>IRN:163"]);
    let (events, _) = shown(&code("Iran accused Israel of sabotage."));
    assert_eq!(events, ["IRN>ISR:112"]);
}

#[test]
fn passives_coordination_and_both_directions() {
    let (events, _) = shown(&code("Hamas positions were attacked by Israel."));
    assert_eq!(events, ["ISR>PSEREBHMS:190"]);
    let (events, _) = shown(&code("Israel attacked Syria and Lebanon."));
    assert_eq!(events, ["ISR>SYR:190", "ISR>LBN:190"]);
    let (events, _) = shown(&code("Kim Jong Un met Donald Trump in Hanoi."));
    assert_eq!(events, ["PRKGOV>USAGOV:040", "USAGOV>PRKGOV:040"]);
}

#[test]
fn what_did_not_happen_is_not_coded() {
    let events = code("The rebels did not attack the base. Russia will attack Ukraine. Did Israel attack Iran?");
    let (coded, suppressed) = shown(&events);
    // A future attack is a threat of force (138); the negated one and the question are not events.
    assert_eq!(coded, ["RUS>UKR:138"]);
    assert_eq!(suppressed, ["190:negated", "190:question"]);
}

#[test]
fn events_carry_evidence_place_date_and_scores() {
    let text = "Israel attacked Hamas positions in Gaza on Tuesday.";
    let events = code(text);
    let event = &events.events[0];
    assert_eq!(&text[event.evidence.trigger.start..event.evidence.trigger.end], "attacked");
    assert_eq!(event.source.text, "Israel");
    assert_eq!(event.place.as_ref().map(|place| place.name.as_str()), Some("Gaza"));
    assert_eq!(event.date.as_deref(), Some("2019-02-26"));
    assert_eq!((event.goldstein, event.quad, event.plover.as_deref()), (-10.0, 4, Some("ASSAULT")));
    assert_eq!(event.rule, "V190a");
    assert_eq!(event.count, 1);
}

/// Every entry of the built-in dictionary codes its own example sentence with its code (as an
/// event, or as a suppressed candidate when the example is itself a statement of intent).
#[test]
fn dictionary_examples_code_with_their_entries() {
    let dictionary = include_str!("../../../resources/events/verbs.tsv");
    let (mut total, mut right) = (0usize, 0usize);
    let mut wrong = Vec::new();
    for line in dictionary.lines().filter(|line| !line.starts_with('#') && !line.trim().is_empty()) {
        let columns: Vec<&str> = line.split('\t').collect();
        let (id, cameo, example) = (columns[0], columns[1], columns.get(3).copied().unwrap_or(""));
        if example.is_empty() {
            continue;
        }
        total += 1;
        let events = code(example);
        let hit = events.events.iter().any(|event| event.cameo == cameo || event.rule == id)
            || events.suppressed.iter().any(|candidate| candidate.rule == id);
        if hit {
            right += 1;
        } else {
            let (coded, suppressed) = shown(&events);
            wrong.push(format!("{id} {cameo} {example} => {coded:?} {suppressed:?}"));
        }
    }
    let rate = right as f64 / total.max(1) as f64;
    if std::env::var_os("DATELINE_SHOW_MISSES").is_some() {
        for line in &wrong {
            println!("{line}");
        }
    }
    println!("dictionary examples coded with their entry: {right}/{total} ({:.1}%)", 100.0 * rate);
    assert!(rate >= 0.85, "only {right} of {total} dictionary examples code with their entry");
}

#[test]
fn opinions_and_habits_are_not_events() {
    let (coded, suppressed) =
        shown(&code("Analysts believe Israel attacked Syria. Israel often attacks Hamas positions."));
    assert!(coded.is_empty(), "{coded:?}");
    assert_eq!(suppressed, ["190:opinion", "190:generic"]);
}

#[test]
fn what_is_demanded_is_not_what_happened() {
    let (coded, suppressed) = shown(&code("China demanded that the United States cancel the arms sale to Taiwan."));
    assert!(coded.iter().all(|event| event.starts_with("CHN>")), "{coded:?}");
    assert!(coded.iter().any(|event| event.starts_with("CHN>USA:1")), "{coded:?}");
    assert!(suppressed.iter().all(|s| !s.starts_with("19")), "{suppressed:?}");
}

#[test]
fn a_verb_the_parser_hangs_as_a_modifier_still_heads_its_clause() {
    // "European" tagged as an adjective leads the parser to hang "imposed" from "sanctions".
    let (events, _) = shown(&code("The European Union imposed sanctions on Iran."));
    assert_eq!(events, ["IGOEUREEC>IRN:163"]);
    // The second of two coordinated acts keeps the first one's subject.
    let (events, _) =
        shown(&code("Japan summoned the Chinese ambassador on Monday and imposed sanctions on Chinese officials."));
    assert!(events.iter().any(|event| event.starts_with("JPN>") && event.ends_with(":163")), "{events:?}");
}

#[test]
fn months_and_participles_are_no_acts() {
    let (events, _) = shown(&code("Vietnam will host talks in March."));
    assert!(events.iter().all(|event| !event.ends_with(":141") && !event.ends_with(":133")), "{events:?}");
    let (events, _) = shown(&code("Israeli jets struck the city and surrounding villages."));
    assert!(events.iter().all(|event| !event.ends_with(":191")), "{events:?}");
}

#[test]
fn a_dateline_is_no_actor() {
    let (events, _) = shown(&code("CAIRO, May 2 (XYZ) - Egypt and Jordan signed an agreement on water."));
    assert_eq!(events, ["EGY>JOR:057", "JOR>EGY:057"]);
}

#[test]
fn alleged_and_denied_acts_are_not_events() {
    let (events, suppressed) = shown(&code("Iran accused Israel of attacking its ships."));
    assert_eq!(events, ["IRN>ISR:112"]);
    assert_eq!(suppressed, ["190:alleged"]);
    let (events, _) = shown(&code("Syria denies bombing civilians."));
    assert!(events.iter().all(|event| !event.contains(":19")), "{events:?}");
}

#[test]
fn an_act_named_by_a_noun_takes_its_verbs_modality() {
    let (events, suppressed) = shown(&code("Turkey could reduce its cooperation with NATO."));
    assert!(events.is_empty(), "{events:?}");
    assert_eq!(suppressed, ["060:modal"]);
}

#[test]
fn roles_take_no_country_from_a_region_or_the_other_side() {
    let (events, _) = shown(&code("European leaders met Iran's president."));
    assert!(events.contains(&"GOV>IRNGOV:040".to_owned()), "{events:?}");
    // Where the envoy is posted is no target: the envoy is.
    let (events, _) = shown(&code("Turkey summoned the Egyptian envoy in Ankara."));
    assert!(events.iter().all(|event| !event.ends_with(">TUR:114")), "{events:?}");
}

#[test]
fn purposes_efforts_and_intent_take_their_actor() {
    // An adjective of intent has a subject, however the parser labels it.
    let (events, _) = shown(&code("Turkey says it is ready to withdraw its soldiers from northern Iraq."));
    assert_eq!(events, ["TUR>IRQ:035"]);
    // The act named before a noun of effort is that noun's.
    let (events, _) = shown(&code("Norway launched a mediation effort between Sri Lanka and the Tamil rebels."));
    assert!(events.contains(&"NOR>LKA:045".to_owned()), "{events:?}");
    // A purpose infinitive has its governing verb's subject; a demand as a purpose is the
    // governing act's aim, no act of its own.
    let (events, _) = shown(&code("The European Union sent experts to Kosovo to investigate the killings."));
    assert!(events.iter().any(|event| event.starts_with("IGOEUREEC>") && event.ends_with(":091")), "{events:?}");
    let (events, _) = shown(&code("Students staged protests in Jakarta to demand the resignation of the president."));
    assert!(events.iter().all(|event| !event.contains(":104")), "{events:?}");
}

#[test]
fn a_verb_hung_from_a_coordinated_noun_heads_its_clause() {
    let (events, _) = shown(&code("Russian jets and warships shelled positions of Ukrainian forces near Kherson."));
    assert!(events.contains(&"RUS>UKRMIL:194".to_owned()), "{events:?}");
    // The second conjunct shares the first one's "Russian".
    assert!(events.contains(&"RUSMIL>UKRMIL:194".to_owned()), "{events:?}");
}

#[test]
fn a_clause_on_what_the_subject_made_is_the_subject_s() {
    // "a declaration demanding": the declaration's issuer demands.
    let (events, _) = shown(&code("The Kurdish rebels issued a declaration demanding that Turkey free their leader."));
    assert!(events.iter().any(|event| event.starts_with("TURREB>TUR") && event.contains(":10")), "{events:?}");
    // "opened fire to disperse": the police disperse.
    let (events, suppressed) = shown(&code("Egyptian police opened fire to disperse demonstrators in Cairo."));
    assert!(events.iter().any(|event| event.starts_with("EGYCOP>")), "{events:?} {suppressed:?}");
}

#[test]
fn an_organisation_s_official_is_not_its_target() {
    let (events, _) =
        shown(&code("Arab League Secretary General Chadli Klibi began a mediation mission between Syria and Lebanon."));
    assert!(events.iter().all(|event| !event.contains(">IGOMEAARL:")), "{events:?}");
}

#[test]
fn a_bare_role_is_the_last_choice_of_target() {
    // The peacekeepers Pakistan will not send are its own; Iraq is what the refusal is about.
    let (events, _) = shown(&code("Pakistan has refused to deploy peacekeepers in Iraq."));
    assert!(events.iter().any(|event| event.starts_with("PAK>IRQ:12")), "{events:?}");
}

#[test]
fn an_act_counted_by_a_measure_is_its_verb_s_subject_s() {
    let (events, _) = shown(&code("French and Egyptian warships launched ten days of war games in the Mediterranean."));
    assert!(events.iter().any(|event| event.starts_with("FRA") && event.ends_with(":062")), "{events:?}");
}

#[test]
fn police_of_no_named_country_are_the_text_s_country_s() {
    // Officials of no named country may be anyone's; police act at home.
    let (events, _) = shown(&code(
        "Police said they arrested two protesters. Police arrested three men after the protest in Dallas.",
    ));
    assert!(events.iter().any(|event| event.starts_with("USACOP>")), "{events:?}");
    assert!(events.iter().all(|event| !event.starts_with("COP>")), "{events:?}");
    // A capital at the start of the sentence makes no region of "Federal".
    let (events, _) = shown(&code("Federal prosecutors accused the company of fraud in New York."));
    assert!(events.iter().any(|event| event.starts_with("USAJUD>")), "{events:?}");
}

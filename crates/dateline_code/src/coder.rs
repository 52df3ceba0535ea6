//! The coder: dictionary patterns matched over each sentence's dependency tree, actors read
//! from the linked entities, factuality checked, events assembled and merged.
//!
//! For each token whose lemma triggers patterns (a verb, or an eventive noun with `@`), the
//! most specific pattern whose words and slots are found among the trigger's dependents wins.
//! The source is the verb's subject (the `by` agent of a passive; the subject of the verb a
//! complement or conjunct hangs from; the noun a relative clause modifies), or a noun's
//! possessor or the subject of the light verb that governs it ("held talks"). Each side is
//! the coded entity at or under the phrase's head; coordinated phrases give one event per
//! actor ("A and B attacked C" → A→C, B→C), and the symmetric consult codes give both
//! directions. Pronouns take the nearest coded person (he, she) or other actor (it, they)
//! before them.
//!
//! A candidate is not coded as an event that happened when it is negated, under a modal, in a
//! condition or a question, denied, or a complement of an intention verb ("plans to attack");
//! future and intended acts become CAMEO's intent and threat codes where CAMEO has them (a
//! future meeting is 036, a future attack 138), else they are listed as suppressed.

use dateline_doc::{
    Analysis, Entity, EntityType, Event, EventActor, EventPlace, Events, Evidence, Links, Suppressed, TextRange,
    TimeKind, Timestamp, Token,
};
use rustc_hash::FxHashMap;

use crate::cameo::{CameoTable, quad_class};
use crate::dictionary::{Element, EventDictionary, Pattern};
use crate::petrarch::{Discards, VerbDictionary, code_sentence};

/// Verbs whose complement is only intended: "plans to attack", "wants to meet".
const INTENT_VERBS: &[&str] = &[
    "plan", "intend", "want", "seek", "hope", "aim", "prepare", "expect", "consider", "propose", "try", "attempt",
    "wish", "mull", "weigh", "threaten", "vow", "swear", "pledge", "promise", "offer", "agree", "decide", "need",
    "ask", "urge", "call",
];

/// Nouns that take the act they are an effort at from the noun before them: "mediation
/// effort", "peace mission", "aid programme".
const EFFORT_NOUNS: &[&str] =
    &["effort", "mission", "bid", "initiative", "campaign", "drive", "attempt", "operation", "programme", "program"];

/// Nouns that count or time what an "of" phrase names: "ten days of war games", "a wave of
/// strikes", "a new round of talks".
const MEASURE_NOUNS: &[&str] = &[
    "day", "week", "month", "year", "hour", "round", "series", "wave", "spate", "string", "flurry", "number", "barrage",
];

/// Adjectives whose complement is intended: "willing to", "ready to", "prepared to".
const WILLING: &[&str] =
    &["willing", "ready", "prepared", "committed", "determined", "eager", "keen", "poised", "set", "due", "likely"];

/// Verbs whose complement did not happen because the actor would not or could not: a
/// cooperative complement is a rejection ("failed to reach agreement").
const REFUSAL_VERBS: &[&str] = &["fail", "refuse", "decline"];

/// Verbs whose complement is someone's belief, not a report.
const OPINION_VERBS: &[&str] =
    &["believe", "think", "suspect", "fear", "doubt", "assume", "guess", "feel", "speculate", "imagine", "wonder"];

/// Verbs whose "that" clause says what the speaker asks of, or holds against, its subject.
const DEMANDING_VERBS: &[&str] = &[
    "demand",
    "urge",
    "ask",
    "insist",
    "propose",
    "suggest",
    "request",
    "order",
    "accuse",
    "warn",
    "appeal",
    "call",
    "require",
    "recommend",
];

/// Verbs whose complement ("of attacking", "for the attack") is alleged, not reported.
const ACCUSING_VERBS: &[&str] = &["accuse", "blame", "allege", "charge", "suspect"];

/// Verbs that deny what their complement says.
const DENIAL_VERBS: &[&str] = &["deny", "reject", "dismiss", "refute"];

/// Verbs whose object noun names an act that is refused, sought or undone rather than done
/// ("rejected talks", "called for a ceasefire"): the noun is no event of its subject's.
const REFUSING_VERBS: &[&str] = &[
    "reject",
    "refuse",
    "cancel",
    "postpone",
    "suspend",
    "break",
    "call",
    "urge",
    "propose",
    "demand",
    "seek",
    "want",
    "oppose",
    "boycott",
    "end",
    "halt",
    "deny",
    "condemn",
    "criticize",
    "criticise",
    "welcome",
    "praise",
    "support",
    "back",
    "request",
    "ask",
    "plan",
    "consider",
    "offer",
    "promise",
    "pledge",
    "threaten",
    "avoid",
    "prevent",
    "block",
    "stop",
    "fear",
    "warn",
    "reduce",
    "cut",
    "limit",
    "restrict",
    "downgrade",
];

/// Verbs that report what someone said: a statement event only when nothing else is coded.
const REPORTING_VERBS: &[&str] =
    &["say", "tell", "report", "state", "add", "announce", "confirm", "quote", "note", "write", "explain", "comment"];

/// Verbs that state something: with a clause saying another actor must act, a demand.
const STATING_VERBS: &[&str] = &[
    "say",
    "declare",
    "reiterate",
    "insist",
    "state",
    "stress",
    "tell",
    "warn",
    "announce",
    "add",
    "repeat",
    "emphasize",
    "emphasise",
    "argue",
    "write",
];

/// Codes that hold in both directions: "A and B met" is A→B and B→A.
const SYMMETRIC: &[&str] = &["040", "046", "057"];

/// Relations that open a clause of its own: a pattern's words are not sought inside them.
const CLAUSE: &[&str] = &["ccomp", "advcl", "parataxis", "acl:relcl", "csubj", "csubj:pass", "list", "discourse"];

/// The project's event coder: its dictionary and the CAMEO table, or a PETRARCH verb
/// dictionary in its place.
#[derive(Debug)]
pub struct Coder {
    /// The patterns.
    pub dictionary: EventDictionary,
    /// Goldstein scores and PLOVER types.
    pub cameo: CameoTable,
    /// A PETRARCH verb dictionary that codes instead of `dictionary`, when given.
    pub petrarch: Option<VerbDictionary>,
    /// PETRARCH discard phrases: a sentence holding one is not coded; a story discard (`+`)
    /// anywhere leaves the whole article uncoded.
    pub discards: Discards,
}

/// A candidate before factuality and assembly.
struct Candidate {
    trigger: usize,
    /// The CAMEO code the rule gives.
    cameo: String,
    /// The rule's id.
    rule: String,
    /// How specific the rule is (words and slots).
    specificity: usize,
    /// Whether the rule names a target.
    has_target: bool,
    sources: Vec<Side>,
    targets: Vec<Side>,
}

/// One side of a candidate: the phrase head and the entity coding it, if any.
#[derive(Clone, Copy)]
struct Side {
    head: usize,
    entity: Option<usize>,
}

impl Default for Coder {
    fn default() -> Self {
        Coder::embedded()
    }
}

impl Coder {
    /// The built-in dictionary and table.
    pub fn embedded() -> Coder {
        Coder {
            dictionary: EventDictionary::embedded(),
            cameo: CameoTable::embedded(),
            petrarch: None,
            discards: Discards::default(),
        }
    }

    /// A coder that codes with a PETRARCH verb dictionary (and the actors the linker found
    /// with the matching PETRARCH actor and agent dictionaries); factuality, dates, places and
    /// merging are the same as with the built-in dictionary.
    pub fn with_petrarch(verbs: VerbDictionary, discards: Discards) -> Coder {
        Coder { petrarch: Some(verbs), discards, ..Coder::embedded() }
    }

    /// Codes one article: its clean text, analysis and links, with its publication time.
    pub fn code(&self, text: &str, analysis: &Analysis, links: &Links, published: Option<Timestamp>) -> Events {
        let mut events: Vec<Event> = Vec::new();
        let mut suppressed = Vec::new();
        let mut index: FxHashMap<(Option<String>, Option<String>, String), usize> = FxHashMap::default();
        let dateline = dateline_place(text, links);
        let document_country = most_named_country(&links.entities);
        // PETRARCH discard phrases: each sentence's, once (none with the built-in dictionary).
        let discards: Vec<Option<bool>> = if self.discards.phrases.is_empty() {
            vec![None; analysis.sentences.len()]
        } else {
            analysis
                .sentences
                .iter()
                .map(|sentence| {
                    let tokens = &analysis.tokens[sentence.first_token..sentence.first_token + sentence.n_tokens];
                    self.discards.find(tokens).map(|discard| discard.story)
                })
                .collect()
        };
        let story_discarded = discards.contains(&Some(true));
        for (number, sentence) in analysis.sentences.iter().enumerate() {
            if story_discarded || discards[number].is_some() {
                continue;
            }
            let range = sentence.first_token..sentence.first_token + sentence.n_tokens;
            let tree = Tree::new(&analysis.tokens, range.clone(), &links.entities);
            let question = text.get(sentence.start..sentence.end).is_some_and(|s| s.trim_end().ends_with('?'));
            let mut candidates = match &self.petrarch {
                Some(verbs) => petrarch_candidates(verbs, analysis, number, &links.entities),
                None => tree.candidates(&self.dictionary, &links.entities),
            };
            // A word inside a time expression is no act: "in March" is no protest march.
            candidates.retain(|candidate| {
                let token = &analysis.tokens[candidate.trigger];
                !links.times.iter().any(|time| time.start <= token.start && token.end <= time.end)
            });
            let triggers: Vec<usize> = candidates.iter().map(|candidate| candidate.trigger).collect();
            // "agreed to provide aid to Romania": the complement's target is the governing
            // act's target when that has none of its own.
            for index in 0..candidates.len() {
                let Some(governor) = tree.governing_trigger(candidates[index].trigger, &triggers) else { continue };
                let Some(governing) = candidates.iter().position(|candidate| candidate.trigger == governor) else {
                    continue;
                };
                if candidates[governing].targets.is_empty() && !candidates[index].targets.is_empty() {
                    candidates[governing].targets = candidates[index].targets.clone();
                }
            }
            // A statement ("officials said") is no event of its own when the sentence states
            // another act.
            // A noun whose verb is coded itself is part of that act, not another: "lifted the
            // curfew" is easing a curfew, not imposing one; "went on strike" is one strike.
            let triggers_now: Vec<usize> = candidates.iter().map(|candidate| candidate.trigger).collect();
            candidates.retain(|candidate| {
                let token = &analysis.tokens[candidate.trigger];
                let noun = token.upos == "NOUN" || token.upos == "PROPN";
                !(noun
                    && (matches!(tree.deprel(candidate.trigger), "obj" | "nsubj:pass")
                        || (tree.deprel(candidate.trigger) == "obl" && !tree.adjunct_of_time(candidate.trigger)))
                    && tree.head(candidate.trigger).is_some_and(|verb| triggers_now.contains(&verb)))
            });
            // A reporting verb that attributes what the sentence says ("…, officials said",
            // "X said that …") is a statement only when nothing else is: the report's content
            // is the news, coded where the dictionary knows it.
            let substantive = candidates.iter().any(|candidate| !candidate.cameo.starts_with("01"));
            candidates.retain(|candidate| {
                let reporting =
                    candidate.cameo.starts_with("01") && REPORTING_VERBS.contains(&tree.lemma(candidate.trigger));
                !(reporting && (substantive || tree.attributes(candidate.trigger)))
            });
            for candidate in candidates {
                let trigger_span =
                    TextRange::new(analysis.tokens[candidate.trigger].start, analysis.tokens[candidate.trigger].end);
                let mut cameo = candidate.cameo.clone();
                let factuality =
                    if question { Some("question") } else { tree.factuality(candidate.trigger, &triggers) };
                // With PETRARCH dictionaries, negation is the dictionary's: its ontology gives
                // the negated act's own code ("didn't clash" → 050), or nothing is coded.
                let factuality = factuality.filter(|reason| !(self.petrarch.is_some() && *reason == "negated"));
                if let Some(reason) = factuality {
                    let cooperative = matches!(cameo.get(..2), Some("03" | "04" | "05" | "06" | "07" | "08"));
                    match (reason, intent_code(&cameo)) {
                        ("future" | "intent", Some(intent)) => cameo = intent.to_owned(),
                        // "failed to reach agreement", "refused to meet": a rejection.
                        ("refused", _) if cooperative => cameo = "120".to_owned(),
                        _ => {
                            suppressed.push(Suppressed {
                                sentence: number,
                                cameo,
                                reason: reason.to_owned(),
                                rule: candidate.rule.clone(),
                                trigger: trigger_span,
                            });
                            continue;
                        }
                    }
                }
                let sources = tree.resolve_pronouns(&candidate.sources, &analysis.tokens, &links.entities, range.start);
                let targets = candidate.targets.clone();
                let date = event_date(links, sentence.start, sentence.end, published);
                let place =
                    tree.event_place(links, sentence.start, sentence.end).or(dateline).map(|place| EventPlace {
                        name: place.name.clone(),
                        country: place.country.clone(),
                        lat: place.lat,
                        lon: place.lon,
                        kind: Some(place.kind),
                        geonames_id: place.geonames_id,
                    });
                let mut pairs: Vec<(Side, Option<Side>)> = Vec::new();
                let targets: Vec<Option<Side>> =
                    if targets.is_empty() { vec![None] } else { targets.into_iter().map(Some).collect() };
                for source in &sources {
                    for target in &targets {
                        pairs.push((*source, *target));
                    }
                }
                // "A and B met": each with the other, for the symmetric codes (a PETRARCH
                // dictionary says so itself, with `[a:b]` codes).
                if SYMMETRIC.contains(&cameo.as_str()) && self.petrarch.is_none() {
                    if candidate.targets.is_empty() && sources.len() > 1 {
                        pairs = sources
                            .iter()
                            .flat_map(|a| sources.iter().filter(move |b| a.head != b.head).map(move |b| (*a, Some(*b))))
                            .collect();
                    } else {
                        let reversed: Vec<(Side, Option<Side>)> = pairs
                            .iter()
                            .filter_map(|(source, target)| target.map(|target| (target, Some(*source))))
                            .collect();
                        pairs.extend(reversed);
                    }
                }
                let mut coded_any = false;
                for (source, target) in pairs {
                    let mut source_actor = actor(text, &analysis.tokens, &links.entities, &tree, source);
                    let mut target_actor =
                        target.map(|target| actor(text, &analysis.tokens, &links.entities, &tree, target));
                    // A role with no country ("opposition groups", "rebels") belongs to the
                    // country its phrase names ("in Zimbabwe"), else to the other side's, else
                    // to the sentence's main one.
                    let other_country = |other: Option<&EventActor>| {
                        other.and_then(|other| other.code.as_deref()).and_then(country_code).map(str::to_owned)
                    };
                    let target_country = other_country(target_actor.as_ref());
                    let source_country = other_country(Some(&source_actor));
                    if let Some(code) = source_actor.code.clone().filter(|code| is_sector(code)) {
                        let country = tree.role_country(
                            source.head,
                            &code,
                            target_country.as_deref(),
                            Some(candidate.trigger),
                            &links.entities,
                            document_country.as_deref(),
                        );
                        if let Some(country) = country {
                            source_actor.code = Some(format!("{country}{code}"));
                        }
                    }
                    if let (Some(target_actor), Some(target)) = (target_actor.as_mut(), target)
                        && let Some(code) = target_actor.code.clone().filter(|code| is_sector(code))
                    {
                        let country = tree.role_country(
                            target.head,
                            &code,
                            source_country.as_deref(),
                            None,
                            &links.entities,
                            document_country.as_deref(),
                        );
                        if let Some(country) = country {
                            target_actor.code = Some(format!("{country}{code}"));
                        }
                    }
                    // The same words on both sides is no event; two mentions of one country
                    // are ("Iraqi Kurds demonstrated against Iraq").
                    // The same words, or the same code, on both sides is no event ("Kenya and
                    // Kenya"); two different actors of one country are ("Iraqi Kurds against
                    // the Iraqi government").
                    let same = target.is_some_and(|target| target.entity.is_some() && target.entity == source.entity)
                        || (SYMMETRIC.contains(&cameo.as_str())
                            && target_actor.as_ref().is_some_and(|t| t.code.is_some() && t.code == source_actor.code));
                    if same || source_actor.code.is_none() {
                        continue;
                    }
                    coded_any = true;
                    // Protests, force and violence with no target named are aimed at the
                    // country where they happen.
                    if target_actor.is_none()
                        && matches!(cameo.get(..2), Some("14" | "15" | "17" | "18" | "19" | "20"))
                        && let Some(place) = place.as_ref().filter(|place| place.country.is_some())
                    {
                        let sentence_place = links
                            .places
                            .iter()
                            .find(|p| p.name == place.name && p.start >= sentence.start && p.end <= sentence.end);
                        if let Some(found) = sentence_place {
                            target_actor = Some(EventActor {
                                code: found.country.clone(),
                                text: found.text.clone(),
                                start: found.start,
                                end: found.end,
                            });
                        }
                    }
                    let key =
                        (source_actor.code.clone(), target_actor.as_ref().and_then(|t| t.code.clone()), cameo.clone());
                    if let Some(&existing) = index.get(&key) {
                        events[existing].count += 1;
                        continue;
                    }
                    let info = self.cameo.get(&cameo);
                    let plover = self.cameo.plover(&cameo);
                    let evidence = Evidence {
                        trigger: trigger_span,
                        source: Some(TextRange::new(source_actor.start, source_actor.end)),
                        target: target_actor.as_ref().map(|target| TextRange::new(target.start, target.end)),
                    };
                    let confidence =
                        confidence(&source_actor, target_actor.as_ref(), candidate.specificity, candidate.has_target);
                    index.insert(key, events.len());
                    events.push(Event {
                        sentence: number,
                        source: source_actor,
                        target: target_actor,
                        root: cameo.get(..2).unwrap_or_default().to_owned(),
                        plover: plover.and_then(|info| info.plover.clone()),
                        plover_mode: plover.and_then(|info| info.mode.clone()),
                        plover_context: plover.and_then(|info| info.context.clone()),
                        goldstein: info.map_or(0.0, |info| info.goldstein),
                        quad: quad_class(&cameo),
                        cameo: cameo.clone(),
                        date: date.clone(),
                        place: place.clone(),
                        evidence,
                        rule: candidate.rule.clone(),
                        confidence,
                        count: 1,
                    });
                }
                // The act is there but whoever does it is no coded actor ("the strike spread").
                if !coded_any {
                    suppressed.push(Suppressed {
                        sentence: number,
                        cameo,
                        reason: "no-actor".to_owned(),
                        rule: candidate.rule.clone(),
                        trigger: trigger_span,
                    });
                }
            }
        }
        Events { events, suppressed }
    }
}

/// The candidates of one sentence under a PETRARCH verb dictionary: one per coding.
fn petrarch_candidates(
    verbs: &VerbDictionary,
    analysis: &Analysis,
    sentence: usize,
    entities: &[Entity],
) -> Vec<Candidate> {
    code_sentence(verbs, analysis, sentence, entities)
        .into_iter()
        .map(|coding| Candidate {
            trigger: coding.trigger,
            cameo: coding.code,
            rule: format!("petrarch:{}", coding.rule),
            specificity: 2,
            has_target: true,
            sources: vec![Side { head: coding.source.tokens.start, entity: Some(coding.source.entity) }],
            targets: vec![Side { head: coding.target.tokens.start, entity: Some(coding.target.entity) }],
        })
        .collect()
}

/// The base forms a regular inflected verb may have: "shelled" → shell, "raided" → raid,
/// "massacred" → massacre, "gassed" → gas, "boycotting" → boycott, "easing" → ease.
fn regular_stems(form: &str) -> Vec<String> {
    let mut stems = Vec::new();
    for suffix in ["ed", "ing", "s"] {
        let Some(stem) = form.strip_suffix(suffix) else { continue };
        if stem.len() < 2 {
            continue;
        }
        stems.push(stem.to_owned());
        stems.push(format!("{stem}e"));
        // A doubled final consonant ("shelled"): an English spelling rule, so ASCII letters
        // only (two equal trailing bytes can be the inside of one multi-byte character).
        let mut last_two = stem.chars().rev();
        if let (Some(last), Some(before)) = (last_two.next(), last_two.next())
            && last == before
            && last.is_ascii_alphabetic()
            && stem.len() >= 3
        {
            stems.push(stem[..stem.len() - 1].to_owned());
        }
        if let Some(base) = stem.strip_suffix('i').filter(|_| suffix != "ing") {
            stems.push(format!("{base}y"));
        }
    }
    stems
}

/// What a future or intended act becomes: CAMEO's intent codes for cooperation (03x), its
/// threats for hostile acts (13x: a boycott announced is a threat to boycott, an attack a
/// threat of force); `None` where CAMEO has no such code.
fn intent_code(cameo: &str) -> Option<&'static str> {
    match cameo.get(..2)? {
        "04" => Some("036"),
        "05" => Some("032"),
        "06" => Some("031"),
        "07" => Some("033"),
        "08" => Some("035"),
        // Announcing a hostile act is threatening it.
        "12" => Some("130"),
        "14" => Some("133"),
        "16" => Some(match cameo.get(..3)? {
            "161" => "1313",
            "162" => "1311",
            "163" => "1312",
            "164" => "134",
            "165" => "135",
            "166" => "136",
            _ => "131",
        }),
        "17" => Some("137"),
        "15" | "18" | "19" | "20" => Some("138"),
        _ => None,
    }
}

/// How sure the coder is: both sides coded and a specific pattern count for.
fn confidence(source: &EventActor, target: Option<&EventActor>, specificity: usize, has_target: bool) -> f64 {
    let mut confidence: f64 = 0.4;
    if source.code.is_some() {
        confidence += 0.25;
    }
    match target {
        Some(target) if target.code.is_some() => confidence += 0.2,
        None if !has_target => confidence += 0.15,
        _ => {}
    }
    if specificity > 1 {
        confidence += 0.1;
    }
    (confidence.min(0.95) * 100.0).round() / 100.0
}

/// The sentence's date (a point time, not a duration), else the publication date.
fn event_date(links: &Links, start: usize, end: usize, published: Option<Timestamp>) -> Option<String> {
    links
        .times
        .iter()
        .find(|time| {
            time.start >= start && time.end <= end && time.kind != TimeKind::Duration && !time.value.starts_with('P')
        })
        .map(|time| time.value.split('/').next().unwrap_or(&time.value).to_owned())
        .or_else(|| published.map(|published| published.date().format("%Y-%m-%d").to_string()))
}

/// The country the document's actors name most (the first named, on a tie).
fn most_named_country(entities: &[Entity]) -> Option<String> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for country in entities.iter().filter_map(|entity| entity.actor.as_deref().and_then(country_code)) {
        match counts.iter_mut().find(|(known, _)| *known == country) {
            Some((_, count)) => *count += 1,
            None => counts.push((country, 1)),
        }
    }
    let best = counts.iter().map(|(_, count)| *count).max()?;
    counts.into_iter().find(|(_, count)| *count == best).map(|(country, _)| country.to_owned())
}

/// Sectors of the state: a government's people act towards others, so they take no country
/// from the other side of the act ("leaders agreed to keep sanctions on Russia").
const STATE_SECTORS: &[&str] = &["GOV", "MIL", "ELI", "LEG", "JUD", "SPY", "COP", "MED"];

/// The place of a dateline ("HANOI —"): a place named in the text's first few words.
fn dateline_place<'l>(text: &str, links: &'l Links) -> Option<&'l dateline_doc::Place> {
    let first = links.places.first()?;
    let before = text.get(..first.start)?;
    (first.start < 40 && before.split_whitespace().count() <= 3).then_some(first)
}

/// The actor of one side: the entity's code and span, or the phrase head's word.
fn actor(text: &str, tokens: &[Token], entities: &[Entity], tree: &Tree, side: Side) -> EventActor {
    match side.entity {
        Some(entity) => {
            let entity = &entities[entity];
            EventActor { code: entity.actor.clone(), text: entity.text.clone(), start: entity.start, end: entity.end }
        }
        None => {
            let (start, end) = tree.phrase_span(side.head);
            let _ = tokens;
            EventActor { code: None, text: text.get(start..end).unwrap_or_default().to_owned(), start, end }
        }
    }
}

/// Sector codes that name a role with no country ("GOV", "REB").
const SECTORS: &[&str] = &[
    "GOV", "MIL", "REB", "INS", "OPP", "PTY", "MED", "BUS", "CVL", "REF", "JUD", "LEG", "COP", "SPY", "ELI", "LAB",
    "EDU", "HLH", "CRM", "REL", "UAF", "SEP", "MOD", "RAD", "AGR", "ENV",
];

/// True for a bare sector code: a role with no country.
fn is_sector(code: &str) -> bool {
    code.len() == 3 && SECTORS.contains(&code)
}

/// The country of an actor code: its first three letters, when they are no sector and no
/// international or transnational group.
fn country_code(code: &str) -> Option<&str> {
    let head = code.get(..3)?;
    let transnational = matches!(head, "IGO" | "NGO" | "IMG" | "MNC" | "UIS");
    (!transnational && !SECTORS.contains(&head) && head.bytes().all(|b| b.is_ascii_uppercase())).then_some(head)
}

/// The words of a dateline opening a sentence ("HANOI, Jan 14 (Wire) -", "SEOUL —"): a place
/// in capitals or an agency in brackets, a date, up to a dash. The mask is empty otherwise.
fn dateline_tokens(tokens: &[Token]) -> Vec<bool> {
    let mut mask = vec![false; tokens.len()];
    let Some(dash) =
        tokens.iter().take(12).position(|token| matches!(token.form.as_str(), "-" | "--" | "\u{2013}" | "\u{2014}"))
    else {
        return mask;
    };
    if dash == 0 || dash + 3 > tokens.len() {
        return mask;
    }
    let before = &tokens[..dash];
    let plain = before.iter().all(|token| {
        token.upos == "PUNCT"
            || token.upos == "NUM"
            || token.form.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
    });
    let capitals = |token: &Token| {
        token.form.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !token.form.chars().any(char::is_lowercase)
    };
    let bracket = before.iter().any(|token| token.form == "(");
    if plain && (capitals(&before[0]) || bracket) {
        mask[..=dash].iter_mut().for_each(|word| *word = true);
    }
    mask
}

/// Repairs to a sentence's tree where the parser went astray in ways the grammar rules out
/// (indices in `heads` are absolute, the vectors relative to `start`):
/// - a dateline's words are taken out, their dependents outside it put in their place;
/// - a past-tense verb hung as a modifier of the noun after it while a subject stands before
///   it ("Union imposed sanctions", "forces fired missiles") heads its clause, the noun its
///   object; after "and" it is coordinated with the verb before ("summoned X and imposed
///   sanctions");
/// - a passive subject of a verb with no passive auxiliary and an object of its own is the
///   verb's subject;
/// - a noun right before a subjectless past verb, hung from it as a bare time phrase, is its
///   subject; a noun hung as a modifier of the time word after it is the verb's object; an
///   infinitive of purpose hung from a phrase of time belongs to that phrase's verb.
///
/// Returns the words tagged as adjectives that the repairs made verbs ("and imposed
/// sanctions", with "imposed" tagged an adjective).
fn repair(
    tokens: &[Token],
    start: usize,
    heads: &mut [Option<usize>],
    deprels: &mut [String],
    dateline: &[bool],
) -> Vec<bool> {
    let n = tokens.len();
    let mut made_verbs = vec![false; n];
    let rel = |index: usize| index - start;
    // The dateline.
    if dateline.iter().any(|&word| word) {
        // When the dateline holds the root, its first dependent outside becomes the root and
        // the others hang from that one.
        let mut new_root: Option<usize> = None;
        for index in 0..n {
            if dateline[index] {
                continue;
            }
            let Some(head) = heads[index] else { continue };
            if !dateline[rel(head)] {
                continue;
            }
            let mut top = head;
            while let Some(up) = heads[rel(top)].filter(|&up| dateline[rel(up)]) {
                top = up;
            }
            match (heads[rel(top)], new_root) {
                (Some(up), _) => {
                    heads[index] = Some(up);
                    deprels[index] = deprels[rel(top)].clone();
                }
                (None, Some(root)) => heads[index] = Some(root + start),
                (None, None) => {
                    heads[index] = None;
                    deprels[index] = "root".to_owned();
                    new_root = Some(index);
                }
            }
        }
        for index in 0..n {
            if dateline[index] {
                heads[index] = None;
                deprels[index] = "dep".to_owned();
            }
        }
    }
    // Verbs hung as modifiers.
    for index in 0..n {
        let token = &tokens[index];
        let verb = token.upos == "VERB" && matches!(token.xpos.as_str(), "VBD" | "VBN");
        // A past form tagged an adjective ("and imposed sanctions").
        let adjective = token.upos == "ADJ"
            && matches!(token.xpos.as_str(), "JJ" | "VBN")
            && token.form.len() > 4
            && token.form.ends_with("ed");
        if !(verb || adjective) || deprels[index] != "amod" {
            continue;
        }
        let Some(noun) = heads[index].filter(|&noun| rel(noun) > index) else { continue };
        if !matches!(tokens[rel(noun)].upos.as_str(), "NOUN" | "PROPN") {
            continue;
        }
        let children_of = |head: usize, heads: &[Option<usize>]| -> Vec<usize> {
            (0..n).filter(|&child| heads[child] == Some(head + start)).collect()
        };
        let own = children_of(index, heads);
        let subject = own
            .iter()
            .copied()
            .find(|&child| child < index && matches!(deprels[child].as_str(), "nsubj" | "nsubj:pass"))
            .or_else(|| {
                // The noun's nearest dependent before the verb, when the words between are its
                // own ("Russian jets and warships shelled positions", with "warships" a conjunct
                // of "jets").
                let nearest = (0..index).rev().find(|&before| heads[before] == Some(noun))?;
                let below = |mut word: usize| {
                    for _ in 0..n {
                        match heads[word] {
                            Some(up) if rel(up) == nearest => return true,
                            Some(up) if rel(up) < n => word = rel(up),
                            _ => return false,
                        }
                    }
                    false
                };
                (matches!(deprels[nearest].as_str(), "compound" | "nsubj")
                    && matches!(tokens[nearest].upos.as_str(), "NOUN" | "PROPN")
                    && (nearest + 1..index).all(below))
                .then_some(nearest)
            });
        let (noun_head, noun_rel) = (heads[rel(noun)], deprels[rel(noun)].clone());
        if let Some(subject) = subject {
            heads[index] = noun_head;
            deprels[index] = if noun_head.is_none() { "root".to_owned() } else { noun_rel };
            heads[subject] = Some(index + start);
            deprels[subject] = "nsubj".to_owned();
            heads[rel(noun)] = Some(index + start);
            deprels[rel(noun)] = "obj".to_owned();
            made_verbs[index] = adjective;
            continue;
        }
        // "Israeli helicopters and tanks shelled positions": the verb hung from a noun
        // coordinated with the sentence's first noun, the root, heads the clause; that noun
        // is its subject.
        let after_and = index.checked_sub(1).is_some_and(|before| deprels[before] == "cc");
        if noun_rel == "conj"
            && !after_and
            && !adjective
            && let Some(first) = noun_head.filter(|&first| rel(first) < index && heads[rel(first)].is_none())
            && matches!(tokens[rel(first)].upos.as_str(), "NOUN" | "PROPN")
        {
            heads[index] = None;
            deprels[index] = "root".to_owned();
            heads[rel(first)] = Some(index + start);
            deprels[rel(first)] = "nsubj".to_owned();
            heads[rel(noun)] = Some(index + start);
            deprels[rel(noun)] = "obj".to_owned();
            for child in 0..n {
                if heads[child] == Some(first) && child > index && deprels[child] == "punct" {
                    heads[child] = Some(index + start);
                }
            }
            continue;
        }
        // "… and imposed sanctions": coordinated with the verb before.
        let and = index
            .checked_sub(1)
            .filter(|&before| deprels[before] == "cc" && matches!(tokens[before].lemma.as_str(), "and" | "but"));
        if let Some(and) = and
            && noun_rel == "conj"
        {
            let mut up = noun_head;
            let mut verb = None;
            for _ in 0..3 {
                let Some(node) = up else { break };
                if tokens[rel(node)].upos == "VERB" && rel(node) < index {
                    verb = Some(node);
                    break;
                }
                up = heads[rel(node)];
            }
            if let Some(verb) = verb {
                heads[index] = Some(verb);
                deprels[index] = "conj".to_owned();
                heads[rel(noun)] = Some(index + start);
                deprels[rel(noun)] = "obj".to_owned();
                heads[and] = Some(index + start);
                made_verbs[index] = adjective;
            }
        }
    }
    // Passive subjects of active verbs.
    for index in 0..n {
        if deprels[index] != "nsubj:pass" {
            continue;
        }
        let Some(verb) = heads[index] else { continue };
        let siblings: Vec<usize> = (0..n).filter(|&child| heads[child] == Some(verb)).collect();
        let auxiliary = siblings.iter().any(|&child| deprels[child] == "aux:pass");
        let object = siblings.iter().any(|&child| deprels[child] == "obj");
        if !auxiliary && object {
            deprels[index] = "nsubj".to_owned();
        }
    }
    // Subjects read as bare noun phrases of time ("The Israeli army lifted Friday a blockade",
    // tagged a participle): a noun right before a past-tense verb or participle, hung from it
    // as `obl:unmarked` with no preposition, is its subject when the verb has no subject and
    // no auxiliary of its own, and the noun is no word of time.
    for index in 1..n {
        let verb = &tokens[index];
        if verb.upos != "VERB" || !matches!(verb.xpos.as_str(), "VBD" | "VBN") {
            continue;
        }
        let noun = index - 1;
        if heads[noun] != Some(index + start)
            || deprels[noun] != "obl:unmarked"
            || !matches!(tokens[noun].upos.as_str(), "NOUN" | "PROPN")
            || is_time_word(&tokens[noun].lemma)
        {
            continue;
        }
        let own: Vec<usize> = (0..n).filter(|&child| heads[child] == Some(index + start)).collect();
        let has_subject =
            own.iter().any(|&child| deprels[child].starts_with("nsubj") || deprels[child].starts_with("csubj"));
        let has_auxiliary = own.iter().any(|&child| deprels[child].starts_with("aux"));
        let noun_has_case = (0..n).any(|child| heads[child] == Some(noun + start) && deprels[child] == "case");
        if !has_subject && !has_auxiliary && !noun_has_case {
            deprels[noun] = "nsubj".to_owned();
        }
    }
    // An object read as a modifier of the time word after it ("staged mass demonstrations
    // Saturday", "launched attacks Monday"): the noun is the verb's object when the verb has
    // none.
    for index in 1..n {
        if !is_time_word(&tokens[index].lemma) || !deprels[index].starts_with("obl") {
            continue;
        }
        let Some(verb) = heads[index].filter(|&verb| tokens[rel(verb)].upos == "VERB" && rel(verb) < index) else {
            continue;
        };
        let noun = index - 1;
        if heads[noun] != Some(index + start)
            || !matches!(deprels[noun].as_str(), "nmod:desc" | "compound")
            || !matches!(tokens[noun].upos.as_str(), "NOUN" | "PROPN")
            || is_time_word(&tokens[noun].lemma)
        {
            continue;
        }
        let has_object = (0..n).any(|child| heads[child] == Some(verb) && deprels[child] == "obj");
        if !has_object {
            heads[noun] = Some(verb);
            deprels[noun] = "obj".to_owned();
        }
    }
    // A subject read as a modifier of "today" before the verb ("A top U.S. official today
    // praised", with "official" tagged an adjective and "today" taken for the noun): the
    // modifier heads the subject, and the day is a time phrase of the verb.
    for index in 1..n.saturating_sub(1) {
        let verb = index + 1;
        if heads[index] != Some(verb + start)
            || tokens[verb].upos != "VERB"
            || !matches!(deprels[index].as_str(), "obl:unmarked" | "obl" | "nsubj" | "obl:tmod")
            || !["today", "yesterday", "tonight"].iter().any(|day| day.eq_ignore_ascii_case(&tokens[index].lemma))
        {
            continue;
        }
        let noun = index - 1;
        let has_subject = (0..n).any(|child| heads[child] == Some(verb + start) && deprels[child].starts_with("nsubj"));
        if has_subject
            || heads[noun] != Some(index + start)
            || !matches!(tokens[noun].upos.as_str(), "ADJ" | "NOUN" | "PROPN")
            || is_time_word(&tokens[noun].lemma)
        {
            continue;
        }
        for head in heads.iter_mut().take(noun) {
            if *head == Some(index + start) {
                *head = Some(noun + start);
            }
        }
        heads[noun] = Some(verb + start);
        deprels[noun] = "nsubj".to_owned();
        heads[index] = Some(verb + start);
        deprels[index] = "obl:unmarked".to_owned();
    }
    // A passive subject of a verb in the simple past with no passive auxiliary ("rebels
    // surrendered", tagged VBD): the parser's voice is wrong, the noun is the subject.
    for subject in 0..n {
        let Some(verb) = heads[subject] else { continue };
        if deprels[subject] != "nsubj:pass" || tokens[rel(verb)].xpos != "VBD" {
            continue;
        }
        if !(0..n).any(|child| heads[child] == Some(verb) && deprels[child] == "aux:pass") {
            deprels[subject] = "nsubj".to_owned();
        }
    }
    // An object read as in apposition to the time word before it ("lifted Friday a
    // blockade"): the noun is the verb's object when the verb has none.
    for index in 1..n {
        let Some(verb) = heads[index].filter(|&verb| rel(verb) + 1 == index && tokens[rel(verb)].upos == "VERB") else {
            continue;
        };
        if !deprels[index].starts_with("obl") || !is_time_word(&tokens[index].lemma) {
            continue;
        }
        let Some(noun) = (index + 1..n).find(|&child| heads[child] == Some(index + start) && deprels[child] == "appos")
        else {
            continue;
        };
        let has_object = (0..n).any(|child| heads[child] == Some(verb) && deprels[child] == "obj");
        if !has_object && tokens[noun].upos == "NOUN" && !is_time_word(&tokens[noun].lemma) {
            heads[noun] = Some(verb);
            deprels[noun] = "obj".to_owned();
        }
    }
    // An infinitive of purpose hung from a phrase of time ("opened the bridge after four
    // years to allow deliveries"): it belongs to the verb that phrase modifies.
    for index in 0..n {
        if deprels[index] != "acl" || tokens[index].upos != "VERB" {
            continue;
        }
        let Some(noun) = heads[index] else { continue };
        let to = (0..n).any(|child| {
            heads[child] == Some(index + start) && deprels[child] == "mark" && tokens[child].lemma == "to"
        });
        if to && deprels[rel(noun)] == "obl" && is_time_word(&tokens[rel(noun)].lemma) {
            if let Some(verb) = heads[rel(noun)].filter(|&verb| tokens[rel(verb)].upos == "VERB") {
                heads[index] = Some(verb);
                deprels[index] = "advcl".to_owned();
            }
        }
    }
    made_verbs
}

/// Whether a noun's lemma names a time ("Friday", "week", "morning"), which may stand bare
/// before a verb as an adverbial. Case does not matter.
fn is_time_word(lemma: &str) -> bool {
    const OTHER_TIMES: &[&str] = &[
        "today",
        "yesterday",
        "tomorrow",
        "tonight",
        "day",
        "week",
        "month",
        "year",
        "morning",
        "afternoon",
        "evening",
        "night",
        "weekend",
        "time",
        "hour",
        "minute",
        "moment",
        "decade",
        "century",
        "season",
        "spring",
        "summer",
        "autumn",
        "winter",
    ];
    dateline_doc::WEEKDAYS
        .iter()
        .chain(&dateline_doc::MONTHS)
        .chain(OTHER_TIMES)
        .any(|time| time.eq_ignore_ascii_case(lemma))
}

/// One sentence's tree with the entities over its tokens.
struct Tree<'a> {
    tokens: &'a [Token],
    range: std::ops::Range<usize>,
    children: Vec<Vec<usize>>,
    lemmas: Vec<String>,
    /// Each token's head (absolute index) after the repairs below; `None` for the root and
    /// for the words of a dateline.
    heads: Vec<Option<usize>>,
    /// Each token's relation after the repairs.
    deprels: Vec<String>,
    /// Tokens of a dateline ("HANOI, Jan 14 (Wire) -"): outside the sentence's clauses.
    dateline: Vec<bool>,
    /// Words tagged as adjectives that the repairs made verbs ("and imposed sanctions").
    made_verbs: Vec<bool>,
    /// Token → the linked entity over it.
    entity_at: FxHashMap<usize, usize>,
}

impl<'a> Tree<'a> {
    fn new(tokens: &'a [Token], range: std::ops::Range<usize>, entities: &[Entity]) -> Tree<'a> {
        let n = range.len();
        let mut heads: Vec<Option<usize>> = range
            .clone()
            .map(|index| {
                let head = tokens[index].head as usize;
                (head != 0 && head <= n).then(|| range.start + head - 1)
            })
            .collect();
        let mut deprels: Vec<String> = tokens[range.clone()].iter().map(|token| token.deprel.clone()).collect();
        let dateline = dateline_tokens(&tokens[range.clone()]);
        let made_verbs = repair(&tokens[range.clone()], range.start, &mut heads, &mut deprels, &dateline);
        let mut children = vec![Vec::new(); n];
        for index in range.clone() {
            if let Some(head) = heads[index - range.start] {
                children[head - range.start].push(index);
            }
        }
        let lemmas = tokens[range.clone()].iter().map(|token| token.lemma.to_lowercase()).collect();
        let mut entity_at = FxHashMap::default();
        for (number, entity) in entities.iter().enumerate() {
            // A dateline ("HANOI — Vietnam and Japan agreed …") says where the story was
            // filed; it is no actor of the sentence it opens.
            let last = entity.first_token + entity.n_tokens;
            let in_dateline = range.contains(&entity.first_token) && dateline[entity.first_token - range.start];
            let dateline_name = entity.first_token == range.start
                && !entity.text.chars().any(char::is_lowercase)
                && tokens
                    .get(last)
                    .is_some_and(|next| matches!(next.form.as_str(), "-" | "\u{2013}" | "\u{2014}" | "," | ":"));
            if range.contains(&entity.first_token) && !dateline_name && !in_dateline {
                for token in entity.first_token..entity.first_token + entity.n_tokens {
                    entity_at.entry(token).or_insert(number);
                }
            }
        }
        Tree { tokens, range, children, lemmas, heads, deprels, dateline, made_verbs, entity_at }
    }

    /// The word's universal tag, `VERB` for an adjective the repairs made a verb.
    fn upos(&self, index: usize) -> &str {
        if self.made_verbs[index - self.range.start] { "VERB" } else { &self.tokens[index].upos }
    }

    fn head(&self, index: usize) -> Option<usize> {
        self.heads[index - self.range.start]
    }

    fn children(&self, index: usize) -> &[usize] {
        &self.children[index - self.range.start]
    }

    fn lemma(&self, index: usize) -> &str {
        &self.lemmas[index - self.range.start]
    }

    fn deprel(&self, index: usize) -> &str {
        &self.deprels[index - self.range.start]
    }

    fn child_with(&self, index: usize, relations: &[&str]) -> Option<usize> {
        self.children(index).iter().copied().find(|&child| relations.contains(&self.deprel(child)))
    }

    /// Every pattern match of the sentence: per trigger token, the most specific pattern.
    fn candidates(&self, dictionary: &EventDictionary, entities: &[Entity]) -> Vec<Candidate> {
        let mut candidates = self.obligations(entities);
        for index in self.range.clone() {
            let upos = self.upos(index);
            if self.dateline[index - self.range.start] || self.adjectival(index) {
                continue;
            }
            let patterns = match upos {
                "VERB" => {
                    let by_lemma = dictionary.verb(self.lemma(index));
                    if by_lemma.is_empty() {
                        // The lemmatizer cuts unfamiliar regular forms wrongly ("shelled" →
                        // "shel"): the form's own regular stems are tried too.
                        regular_stems(&self.tokens[index].form.to_lowercase())
                            .into_iter()
                            .map(|stem| dictionary.verb(&stem))
                            .find(|patterns| !patterns.is_empty())
                            .unwrap_or_default()
                    } else {
                        by_lemma
                    }
                }
                "NOUN" | "PROPN" => dictionary.noun(self.lemma(index)),
                _ => continue,
            };
            if patterns.is_empty() {
                continue;
            }
            let mut scope = self.scope(index);
            // "launched a mediation effort between X and Y": the act named before a noun of
            // effort is that noun's, with its phrases.
            let effort = self.effort_head(index);
            if let Some(effort) = effort {
                scope.extend(self.scope(effort).into_iter().filter(|&token| token != index));
            }
            let phrase = effort.unwrap_or(index);
            // "held talks with Iran": the light verb's phrases belong to its object noun.
            if upos != "VERB"
                && self.deprel(phrase) == "obj"
                && let Some(verb) = self.head(phrase)
            {
                let subjects = self.child_with(verb, &["nsubj", "nsubj:pass"]);
                scope.extend(self.scope(verb).into_iter().filter(|&token| {
                    token != index
                        && token != phrase
                        && subjects.is_none_or(|subject| !self.descends_from(token, subject))
                }));
            }
            for pattern in patterns {
                if let Some(candidate) = self.match_pattern(index, pattern, &scope, entities) {
                    candidates.push(candidate);
                    break;
                }
            }
        }
        candidates
    }

    /// A participle that describes the noun right after it rather than stating an act:
    /// "surrounding regions", "the ruling party", "the capital and surrounding regions" (a
    /// gerund with no subject of its own, before its "object", hung as a modifier or
    /// coordinated with a word of another form).
    fn adjectival(&self, index: usize) -> bool {
        let token = &self.tokens[index];
        if token.upos != "VERB" || token.xpos != "VBG" {
            return false;
        }
        if self
            .children(index)
            .iter()
            .any(|&child| matches!(self.deprel(child), "nsubj" | "nsubj:pass" | "aux" | "aux:pass" | "expl" | "mark"))
        {
            return false;
        }
        let next_is_noun = |next: usize| next < self.range.end && matches!(self.upos(next), "NOUN" | "PROPN" | "ADJ");
        match self.deprel(index) {
            "amod" => self.head(index).is_some_and(|head| head > index && head <= index + 3),
            "conj" => {
                let before = index.checked_sub(1).filter(|&before| before >= self.range.start);
                let after_and = before.is_some_and(|before| matches!(self.lemma(before), "and" | "or"));
                let object_next = self
                    .children(index)
                    .iter()
                    .any(|&child| self.deprel(child) == "obj" && child > index && child <= index + 2);
                let mismatched = self.head(index).is_some_and(|head| {
                    let head = &self.tokens[head];
                    matches!(head.upos.as_str(), "NOUN" | "PROPN") || (head.upos == "VERB" && head.xpos != "VBG")
                });
                after_and && object_next && mismatched && next_is_noun(index + 1)
            }
            _ => false,
        }
    }

    /// "Britain said Libya must hand over the suspects": a statement that another actor must
    /// act is a demand (CAMEO 100) of the speaker's on that actor (rule `R100must`).
    fn obligations(&self, entities: &[Entity]) -> Vec<Candidate> {
        let mut candidates = Vec::new();
        for verb in self.range.clone() {
            if self.upos(verb) != "VERB" || !STATING_VERBS.contains(&self.lemma(verb)) {
                continue;
            }
            let Some(clause) = self.child_with(verb, &["ccomp"]) else { continue };
            let must =
                self.children(clause).iter().any(|&child| self.deprel(child) == "aux" && self.lemma(child) == "must");
            let Some(subject) = self.child_with(clause, &["nsubj", "nsubj:pass"]) else { continue };
            if !must {
                continue;
            }
            let sources: Vec<Side> =
                self.source_heads(verb, false, false).into_iter().map(|head| self.side(head, entities)).collect();
            let targets = vec![self.side(subject, entities)];
            candidates.push(Candidate {
                trigger: verb,
                cameo: "100".to_owned(),
                rule: "R100must".to_owned(),
                specificity: 2,
                has_target: true,
                sources,
                targets,
            });
        }
        candidates
    }

    /// The trigger's dependents and theirs, two levels deep, not entering other clauses; a
    /// complement verb's own dependents count too ("threatened to use force").
    fn scope(&self, trigger: usize) -> Vec<usize> {
        let mut scope = Vec::new();
        let mut stack: Vec<(usize, usize)> = self.children(trigger).iter().map(|&child| (child, 1)).collect();
        while let Some((node, depth)) = stack.pop() {
            // A clause of its own is out of scope, unless it is an infinitive with no subject
            // of its own ("urged Iran to lift sanctions", however the tree labels it).
            let infinitive = matches!(self.deprel(node), "ccomp" | "advcl")
                && self.child_with(node, &["nsubj", "nsubj:pass", "expl"]).is_none()
                && self.children(node).iter().any(|&child| self.deprel(child) == "mark" && self.lemma(child) == "to");
            // What a demand or an accusation asks of someone is part of it, subject and all:
            // "demanded that the US cancel the sale".
            let demanded = depth == 1 && self.deprel(node) == "ccomp" && DEMANDING_VERBS.contains(&self.lemma(trigger));
            if CLAUSE.contains(&self.deprel(node)) && !infinitive && !demanded {
                continue;
            }
            let infinitive = infinitive || demanded;
            scope.push(node);
            let complement = self.deprel(node) == "xcomp" || infinitive;
            let deeper = if complement { depth } else { depth + 1 };
            // Two levels of words, and the prepositions of the second level's nouns ("imposed
            // sanctions on Iran": impose → sanction → Iran → on).
            if deeper <= 2 || (deeper == 3 && !complement) {
                stack.extend(self.children(node).iter().map(|&child| (child, deeper)));
            }
        }
        scope
    }

    fn match_pattern(
        &self,
        trigger: usize,
        pattern: &Pattern,
        scope: &[usize],
        entities: &[Entity],
    ) -> Option<Candidate> {
        // A preposition of time is no pattern word: "agreed on Wednesday" is not "agree on".
        let has = |lemma: &str| scope.iter().any(|&token| self.lemma(token) == lemma && !self.temporal_case(token));
        let passive = self.child_with(trigger, &["nsubj:pass", "aux:pass"]).is_some();
        let mut target_head = None;
        let mut source_head = None;
        for element in &pattern.elements {
            match element {
                Element::Word(word) => {
                    if !has(word) {
                        return None;
                    }
                }
                Element::Not(word) => {
                    if has(word) {
                        return None;
                    }
                }
                Element::Target { preposition: None } => {
                    // A missing object (a tree gone astray: "hosted Japanese Prime Minister
                    // Hashimoto") leaves the target to the search below.
                    target_head = if pattern.noun {
                        self.child_with(trigger, &["nmod", "compound"])
                    } else if passive {
                        self.child_with(trigger, &["nsubj:pass"])
                    } else {
                        self.child_with(trigger, &["obj", "iobj"])
                    };
                }
                Element::Target { preposition: Some(preposition) } => {
                    // The tree may hang the phrase elsewhere ("withdraw its troops from
                    // neighboring Lebanon"): the preposition right after the trigger's words,
                    // before any other verb, serves too.
                    let found = self
                        .object_of(preposition, trigger, scope)
                        .or_else(|| self.following_object(preposition, trigger));
                    target_head = Some(found?);
                }
                Element::Source { preposition } => {
                    source_head = Some(self.object_of(preposition, trigger, scope)?);
                }
            }
        }
        let sources = match source_head {
            Some(head) => self.conjuncts(head),
            None => self.source_heads(trigger, pattern.noun, passive),
        };
        let sources: Vec<Side> = sources.into_iter().map(|head| self.side(head, entities)).collect();
        let mut targets: Vec<Side> = target_head
            .map(|head| self.conjuncts(head))
            .unwrap_or_default()
            .into_iter()
            .map(|head| self.side(head, entities))
            .collect();
        // Without a target slot, or with a slot naming no actor, the first coded actor among
        // the trigger's other dependents is the target ("rejected a U.S. request", "refused to
        // deploy peacekeepers in Iraq").
        let coded = |side: &Side| side.entity.is_some_and(|entity| entities[entity].actor.is_some());
        if targets.iter().all(|side| !coded(side)) {
            let exclude: Vec<usize> = sources.iter().filter_map(|side| side.entity).collect();
            // Where a meeting or statement happens is no target ("met in Hanoi"); for material
            // acts the place is often their object ("troops in Liberia").
            let verbal = matches!(pattern.cameo.get(..2), Some("01" | "02" | "03" | "04" | "05" | "10" | "11"));
            if let Some(side) = self.first_actor_below(trigger, scope, entities, &exclude, !verbal) {
                targets = vec![side];
            }
        }
        if sources.is_empty() && targets.is_empty() {
            return None;
        }
        Some(Candidate {
            trigger,
            cameo: pattern.cameo.clone(),
            rule: pattern.id.clone(),
            specificity: pattern.specificity(),
            has_target: pattern.target().is_some(),
            sources,
            targets,
        })
    }

    /// The first coded entity among the trigger's dependents in `scope`, objects first, then
    /// prepositional phrases, then anything else; never one of `exclude` (the sources) nor one
    /// in the subject; a place where something happens ("in Hanoi") only when
    /// `allow_locative`.
    fn first_actor_below(
        &self,
        trigger: usize,
        scope: &[usize],
        entities: &[Entity],
        exclude: &[usize],
        allow_locative: bool,
    ) -> Option<Side> {
        let subjects: Vec<usize> = self
            .children(trigger)
            .iter()
            .copied()
            .filter(|&child| matches!(self.deprel(child), "nsubj" | "nsubj:pass" | "csubj"))
            .collect();
        let in_subject = |token: usize| {
            let mut node = token;
            for _ in 0..8 {
                if subjects.contains(&node) {
                    return true;
                }
                match self.head(node) {
                    Some(head) if head != trigger => node = head,
                    _ => return false,
                }
            }
            false
        };
        let rank = |token: usize| {
            let mut node = token;
            while let Some(head) = self.head(node) {
                if head == trigger {
                    break;
                }
                node = head;
            }
            match self.deprel(node) {
                "obj" | "iobj" => 0,
                "xcomp" | "ccomp" | "advcl" => 1,
                "obl" | "nmod" => 2,
                _ => 3,
            }
        };
        // An actor coded exactly as a source is, beyond a bare country ("Arab League Secretary
        // General Chadli Klibi" beside "Arab League"), is the source again, not its target.
        let source_codes: Vec<&str> = exclude
            .iter()
            .filter_map(|&entity| entities[entity].actor.as_deref())
            .filter(|code| code.len() > 3)
            .collect();
        let mut best: Option<(bool, usize, usize, usize)> = None;
        for &token in scope {
            let Some(&entity) = self.entity_at.get(&token) else { continue };
            let Some(code) = entities[entity].actor.as_deref() else { continue };
            if exclude.contains(&entity) || source_codes.contains(&code) || in_subject(token) {
                continue;
            }
            // The entity's head word carries the preposition ("in Addis Ababa": Addis).
            let mut word = token;
            while matches!(self.deprel(word), "flat" | "compound" | "amod")
                && let Some(up) = self.head(word)
                && self.entity_at.get(&up) == Some(&entity)
            {
                word = up;
            }
            if !allow_locative && self.has_locative_case(word) {
                continue;
            }
            // A time adjunct's actors are its own: "talks since Russia's invasion", "signed
            // during a visit to Brasilia".
            let mut node = word;
            let mut temporal = false;
            while let Some(up) = self.head(node) {
                if self.children(node).iter().any(|&child| {
                    self.deprel(child) == "case" && matches!(self.lemma(child), "during" | "since" | "amid" | "until")
                }) {
                    temporal = true;
                    break;
                }
                if up == trigger {
                    break;
                }
                node = up;
            }
            if temporal {
                continue;
            }
            // A bare role ("peacekeepers" with no country: IGO) names less than a country or a
            // named actor does: "refused to deploy peacekeepers in Iraq" is about Iraq.
            let bare = entities[entity].kind == EntityType::Role && code.len() == 3;
            let key = (bare, rank(token), token);
            if best.is_none_or(|(b, r, t, _)| key < (b, r, t)) {
                best = Some((key.0, key.1, key.2, entity));
            }
        }
        if let Some((_, _, token, entity)) = best {
            return Some(Side { head: token, entity: Some(entity) });
        }
        // "demanded that the US cancel the sale": the subject of the clause it governs.
        let clause = self.child_with(trigger, &["ccomp"])?;
        let subject = self.child_with(clause, &["nsubj", "nsubj:pass"])?;
        let side = self.side(subject, entities);
        side.entity.filter(|entity| entities[*entity].actor.is_some() && !exclude.contains(entity)).map(|_| side)
    }

    /// A phrase that says when rather than what: "during the visit", "after the talks".
    fn adjunct_of_time(&self, token: usize) -> bool {
        self.children(token).iter().any(|&child| {
            self.deprel(child) == "case"
                && matches!(self.lemma(child), "during" | "since" | "after" | "before" | "amid" | "until" | "despite")
        })
    }

    /// A place preposition: "in Islamabad", "at the border".
    fn has_locative_case(&self, token: usize) -> bool {
        self.children(token).iter().any(|&child| {
            self.deprel(child) == "case"
                && matches!(self.lemma(child), "in" | "at" | "near" | "inside" | "within" | "throughout")
        })
    }

    /// A preposition whose noun is a time: "on Wednesday", "in March", "at night".
    fn temporal_case(&self, token: usize) -> bool {
        self.deprel(token) == "case"
            && self.head(token).is_some_and(|noun| is_time_word(self.lemma(noun)) || self.upos(noun) == "NUM")
    }

    /// True when `token` is `ancestor` or lies under it.
    fn descends_from(&self, token: usize, ancestor: usize) -> bool {
        let mut node = token;
        for _ in 0..32 {
            if node == ancestor {
                return true;
            }
            match self.head(node) {
                Some(head) => node = head,
                None => return false,
            }
        }
        false
    }

    /// The noun after the first `preposition` that follows the trigger in the sentence, when
    /// no verb stands between them; the noun is the first after the preposition that a coded
    /// entity covers.
    fn following_object(&self, preposition: &str, trigger: usize) -> Option<usize> {
        let mut at = trigger + 1;
        while at < self.range.end {
            let token = &self.tokens[at];
            if token.upos == "VERB" && self.lemma(at) != preposition || token.upos == "PUNCT" && token.form != "-" {
                return None;
            }
            if self.lemma(at) == preposition {
                return (at + 1..self.range.end.min(at + 5)).find(|&next| self.entity_at.contains_key(&next));
            }
            at += 1;
        }
        None
    }

    /// The noun a preposition marks, within the trigger's scope.
    fn object_of(&self, preposition: &str, trigger: usize, scope: &[usize]) -> Option<usize> {
        scope
            .iter()
            .copied()
            .filter(|&token| {
                self.deprel(token) == "case" && self.lemma(token) == preposition && !self.temporal_case(token)
            })
            .filter_map(|case| self.head(case))
            .find(|&head| head != trigger)
    }

    /// The source phrases of a trigger.
    fn source_heads(&self, trigger: usize, noun: bool, passive: bool) -> Vec<usize> {
        if noun && let Some(effort) = self.effort_head(trigger) {
            return self.source_heads(effort, true, false);
        }
        if noun {
            // "Israel's attack", "Israeli attack", "the attack by Israel" (with a SOURCE slot),
            // or the light verb's subject: "Israel launched an attack".
            // A possessive pronoun ("its invasion") leaves the source to the verb below.
            if let Some(owner) = self.child_with(trigger, &["nmod:poss"]).filter(|&owner| self.upos(owner) != "PRON") {
                return self.conjuncts(owner);
            }
            if let Some(modifier) =
                self.children(trigger).iter().copied().find(|&child| {
                    matches!(self.deprel(child), "amod" | "compound") && self.entity_at.contains_key(&child)
                })
            {
                return vec![modifier];
            }
            // "launched ten days of war games": the measure's verb names who acts.
            if self.deprel(trigger) == "nmod"
                && self.children(trigger).iter().any(|&child| self.deprel(child) == "case" && self.lemma(child) == "of")
                && let Some(measure) = self.head(trigger)
                && MEASURE_NOUNS.contains(&self.lemma(measure))
            {
                return self.source_heads(measure, true, false);
            }
            // The verb whose object the noun is names who acts: "held talks", "renewed
            // negotiations", "launched an attack".
            if matches!(self.deprel(trigger), "obj" | "nsubj:pass" | "obl" | "nmod:desc" | "xcomp")
                && let Some(verb) = self.head(trigger)
                && self.upos(verb) == "VERB"
                && !REFUSING_VERBS.contains(&self.lemma(verb))
            {
                return self.source_heads(verb, false, self.child_with(verb, &["nsubj:pass", "aux:pass"]).is_some());
            }
            return Vec::new();
        }
        if passive {
            let agent = self.children(trigger).iter().copied().find(|&child| {
                matches!(self.deprel(child), "obl:agent" | "obl")
                    && self.children(child).iter().any(|&c| self.deprel(c) == "case" && self.lemma(c) == "by")
            });
            return agent.map(|agent| self.conjuncts(agent)).unwrap_or_default();
        }
        // "Syria says it is willing to withdraw": the parser takes the subject of an
        // adjective of intent for an expletive, which these adjectives cannot have.
        let subject = self.child_with(trigger, &["nsubj"]).or_else(|| {
            WILLING
                .contains(&self.lemma(trigger))
                .then(|| self.child_with(trigger, &["expl"]))
                .flatten()
                .filter(|&expl| self.upos(expl) == "PRON")
        });
        if let Some(subject) = subject {
            // "the rebels who attacked": the relative pronoun stands for the noun.
            if self.upos(subject) == "PRON"
                && self.deprel(trigger) == "acl:relcl"
                && matches!(self.lemma(subject), "who" | "which" | "that")
                && let Some(noun) = self.head(trigger)
            {
                return self.conjuncts(noun);
            }
            return self.conjuncts(subject);
        }
        match self.deprel(trigger) {
            // "agreed to meet", "met and signed": the governing verb's subject.
            "xcomp" | "conj" => {
                self.head(trigger).map(|head| self.source_heads(head, false, false)).unwrap_or_default()
            }
            // "sent experts to investigate": a purpose infinitive has its governing verb's
            // subject (an active one's). A demand, protest or statement as the purpose ("staged
            // rallies to demand reforms", "called a strike to protest") is what the governing
            // act is for, no act of its own.
            "advcl"
                if self.purpose(trigger)
                    && !DEMANDING_VERBS.contains(&self.lemma(trigger))
                    && !matches!(self.lemma(trigger), "protest" | "press")
                    && !STATING_VERBS.contains(&self.lemma(trigger)) =>
            {
                self.head(trigger)
                    .filter(|&head| {
                        self.upos(head) == "VERB" && self.child_with(head, &["nsubj:pass", "aux:pass"]).is_none()
                    })
                    .map(|head| self.source_heads(head, false, false))
                    .unwrap_or_default()
            }
            // "forces loyal to X attacking Y": a reduced relative clause. A clause on a thing
            // the verb's subject made or did ("issued a declaration demanding", "opened fire
            // to disperse") has that subject.
            "acl" | "acl:relcl" => self
                .head(trigger)
                .map(|noun| {
                    if self.deprel(trigger) == "acl"
                        && self.deprel(noun) == "obj"
                        && !self.names_an_actor(noun)
                        && let Some(verb) = self.head(noun)
                        && self.upos(verb) == "VERB"
                    {
                        return self.source_heads(
                            verb,
                            false,
                            self.child_with(verb, &["nsubj:pass", "aux:pass"]).is_some(),
                        );
                    }
                    self.conjuncts(noun)
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// True when an entity is in the noun's phrase (see [`Tree::phrase_nodes`]).
    fn names_an_actor(&self, noun: usize) -> bool {
        self.phrase_nodes(noun).iter().any(|(node, _, _)| self.entity_at.contains_key(node))
    }

    /// The words of a noun phrase, breadth first from its head: `(word, depth, located)`, three
    /// levels of modifiers, possessors, appositions and noun modifiers deep; `located` when the
    /// word is inside a locative noun modifier ("the envoy in Islamabad").
    fn phrase_nodes(&self, head: usize) -> Vec<(usize, usize, bool)> {
        let mut nodes: Vec<(usize, usize, bool)> = vec![(head, 0, false)];
        let mut index = 0;
        while index < nodes.len() {
            let (node, depth, located) = nodes[index];
            index += 1;
            if depth == 3 {
                continue;
            }
            for &child in self.children(node) {
                if matches!(
                    self.deprel(child),
                    "compound" | "amod" | "nmod:poss" | "flat" | "appos" | "nmod" | "nmod:desc" | "det"
                ) {
                    let locative = self.deprel(child) == "nmod" && self.has_locative_case(child);
                    nodes.push((child, depth + 1, located || locative));
                }
            }
        }
        nodes
    }

    /// The noun of effort a noun trigger names the act of: "a mediation effort", "a rescue
    /// mission".
    fn effort_head(&self, trigger: usize) -> Option<usize> {
        if self.deprel(trigger) != "compound" || !matches!(self.upos(trigger), "NOUN" | "PROPN") {
            return None;
        }
        self.head(trigger).filter(|&head| EFFORT_NOUNS.contains(&self.lemma(head)))
    }

    /// True for an infinitive of purpose with no subject of its own: "sent experts to
    /// investigate", "in order to investigate".
    fn purpose(&self, clause: usize) -> bool {
        if self.child_with(clause, &["nsubj", "nsubj:pass", "expl"]).is_some() || self.tokens[clause].xpos != "VB" {
            return false;
        }
        let marks: Vec<&str> = self
            .children(clause)
            .iter()
            .filter(|&&child| self.deprel(child) == "mark")
            .map(|&child| self.lemma(child))
            .collect();
        matches!(marks.as_slice(), ["to"] | ["in", "order", "to"])
    }

    /// A phrase head and its coordinated heads: "A and B" → [A, B].
    fn conjuncts(&self, head: usize) -> Vec<usize> {
        let mut heads = vec![head];
        let mut index = 0;
        while index < heads.len() {
            let node = heads[index];
            heads.extend(self.children(node).iter().copied().filter(|&child| self.deprel(child) == "conj"));
            index += 1;
        }
        heads
    }

    /// The side of a phrase: the coded entity at its head, else the nearest coded entity
    /// hanging from it (modifiers, possessors, appositions), else the first entity there.
    fn side(&self, head: usize, entities: &[Entity]) -> Side {
        if let Some(&entity) = self.entity_at.get(&head) {
            return Side { head, entity: Some(entity) };
        }
        // Of the entities under the head, one hanging from it directly before one deeper in
        // the phrase ("the Turkish side of Cyprus": Turkish); among those, a coded person or
        // organisation first ("North Korean leader Kim Jong Un": Kim), then a coded place, then
        // a coded group or role, then any.
        let rank = |entity: usize| {
            let entity = &entities[entity];
            let coded = entity.actor.is_some();
            match (coded, entity.kind) {
                (true, EntityType::Person | EntityType::Organization) => 0,
                (true, EntityType::Location) => 1,
                (true, _) => 2,
                (false, _) => 3,
            }
        };
        // A place the phrase puts its head in ("the envoy in Islamabad") says where, not who:
        // it comes after everything else.
        // (entity, located, deeper than a direct dependent of the head)
        let mut found: Option<(usize, bool, bool)> = None;
        for (node, depth, located) in self.phrase_nodes(head) {
            let deep = depth > 1;
            if let Some(&entity) = self.entity_at.get(&node)
                && found.is_none_or(|(known, known_located, known_deep)| {
                    (located, deep, rank(entity)) < (known_located, known_deep, rank(known))
                })
            {
                found = Some((entity, located, deep));
            }
        }
        // "Israeli intelligence officials" with the adjective hung elsewhere: an entity right
        // before the head, with only nouns between, names it.
        let found = found.map(|(entity, _, _)| entity).or_else(|| {
            let mut left = head;
            while left > self.range.start && left + 3 > head {
                left -= 1;
                if let Some(&entity) = self.entity_at.get(&left) {
                    let last = entities[entity].first_token + entities[entity].n_tokens.max(1) - 1;
                    return (last == left && entities[entity].actor.is_some()).then_some(entity);
                }
                if self.upos(left) != "NOUN" {
                    return None;
                }
            }
            None
        });
        Side { head, entity: found }
    }

    /// Pronoun sources stand for the nearest coded actor before them: a person for he/she,
    /// anything else for it/they.
    fn resolve_pronouns(
        &self,
        sides: &[Side],
        tokens: &[Token],
        entities: &[Entity],
        sentence_start: usize,
    ) -> Vec<Side> {
        sides
            .iter()
            .map(|side| {
                if side.entity.is_some() || tokens[side.head].upos != "PRON" {
                    return *side;
                }
                let person = match tokens[side.head].lemma.to_lowercase().as_str() {
                    "he" | "she" => true,
                    "it" | "they" | "we" => false,
                    _ => return *side,
                };
                let window_start = sentence_start.saturating_sub(60);
                // The antecedent acted: a place where something happened ("met in Hanoi,
                // after which they signed") is no antecedent of "they".
                let acted = |entity: &Entity| {
                    let relation = (entity.first_token..entity.first_token + entity.n_tokens)
                        .map(|token| tokens[token].deprel.as_str())
                        .find(|relation| !matches!(*relation, "compound" | "flat" | "amod" | "det" | "punct"))
                        .unwrap_or("");
                    entity.kind != EntityType::Location || matches!(relation, "nsubj" | "nsubj:pass" | "conj" | "appos")
                };
                let antecedent = entities.iter().enumerate().rev().find(|(_, entity)| {
                    entity.first_token < side.head
                        && entity.first_token >= window_start
                        && entity.actor.is_some()
                        && (entity.kind == EntityType::Person) == person
                        && acted(entity)
                });
                Side { head: side.head, entity: antecedent.map(|(index, _)| index) }
            })
            .collect()
    }

    /// Where the sentence's events happen: a place it puts something in, at or near ("in
    /// Hanoi"), else its first place that is no actor of the sentence.
    fn event_place<'l>(&self, links: &'l Links, start: usize, end: usize) -> Option<&'l dateline_doc::Place> {
        let places: Vec<&dateline_doc::Place> =
            links.places.iter().filter(|place| place.start >= start && place.end <= end).collect();
        let token_at = |offset: usize| self.range.clone().find(|&token| self.tokens[token].start == offset);
        let locative = places.iter().copied().find(|place| {
            token_at(place.start).is_some_and(|first| {
                let head = (first..self.range.end)
                    .take_while(|&token| self.tokens[token].end <= place.end)
                    .find(|&token| {
                        self.head(token).is_none_or(|head| {
                            self.tokens[head].start >= place.end || self.tokens[head].end <= place.start
                        })
                    })
                    .unwrap_or(first);
                self.children(head).iter().any(|&child| {
                    self.deprel(child) == "case"
                        && matches!(self.lemma(child), "in" | "at" | "near" | "inside" | "outside")
                })
            })
        });
        locative.or_else(|| {
            places.iter().copied().find(|place| {
                !links.entities.iter().any(|entity| {
                    entity.start == place.start && entity.actor.is_some() && entity.kind != EntityType::Location
                })
            })
        })
    }

    /// The country a phrase names inside it: "opposition groups in Zimbabwe", "the army of
    /// Myanmar".
    fn phrase_country(&self, head: usize, entities: &[Entity]) -> Option<String> {
        let mut stack: Vec<(usize, usize)> = vec![(head, 0)];
        while let Some((node, depth)) = stack.pop() {
            if node != head
                && let Some(&entity) = self.entity_at.get(&node)
                && let Some(country) = entities[entity].actor.as_deref().and_then(country_code)
            {
                return Some(country.to_owned());
            }
            if depth < 3 {
                for &child in self.children(node) {
                    if matches!(self.deprel(child), "nmod" | "amod" | "compound" | "nmod:poss" | "flat" | "appos") {
                        stack.push((child, depth + 1));
                    }
                }
            }
        }
        None
    }

    /// The country a role with none of its own belongs to: the one its phrase names ("groups
    /// in Zimbabwe"); none when a modifier names a region or people of no one country
    /// ("European leaders" even "in Paris": an adjective of a state's role); the antecedent of its possessive pronoun ("its
    /// state media"); for roles outside the state, the other side's ("rebels attacked Iraq");
    /// none for a plural state role (leaders of several countries); else the country, not the
    /// other side's, the sentence names most before the act (a source) or anywhere (a
    /// target), else the document's.
    fn role_country(
        &self,
        head: usize,
        sector: &str,
        other: Option<&str>,
        trigger: Option<usize>,
        entities: &[Entity],
        document: Option<&str>,
    ) -> Option<String> {
        let state = STATE_SECTORS.contains(&sector);
        // A capital says nothing of the sentence's first word ("Federal prosecutors"): there
        // the adjective must be a recognised name ("European leaders").
        let regional = state
            && self.children(head).iter().any(|&child| {
                matches!(self.deprel(child), "amod" | "compound")
                    && self.upos(child) == "ADJ"
                    && self.tokens[child].form.chars().next().is_some_and(char::is_uppercase)
                    && (child != self.range.start || self.entity_at.contains_key(&child))
                    && self
                        .entity_at
                        .get(&child)
                        .is_none_or(|&entity| entities[entity].actor.as_deref().and_then(country_code).is_none())
                    && self.entity_at.get(&head).is_none_or(|&entity| self.entity_at.get(&child) != Some(&entity))
            });
        if regional {
            return None;
        }
        if let Some(country) = self.phrase_country(head, entities) {
            return Some(country);
        }
        // "Russian jets and warships": a conjunct with no modifiers of its own shares the
        // first one's.
        if self.deprel(head) == "conj"
            && !self
                .children(head)
                .iter()
                .any(|&child| matches!(self.deprel(child), "amod" | "compound" | "nmod:poss" | "nmod" | "det"))
            && let Some(first) = self.head(head)
            && let Some(country) = self.phrase_country(first, entities)
        {
            return Some(country);
        }
        if let Some(owner) = self
            .child_with(head, &["nmod:poss"])
            .filter(|&owner| self.upos(owner) == "PRON" && matches!(self.lemma(owner), "its" | "their" | "it" | "they"))
        {
            let window = self.range.start.saturating_sub(60);
            return entities
                .iter()
                .rev()
                .filter(|entity| entity.first_token < owner && entity.first_token >= window)
                .filter(|entity| entity.kind != EntityType::Person)
                .find_map(|entity| entity.actor.as_deref().and_then(country_code))
                .map(str::to_owned);
        }
        if !state && let Some(other) = other {
            return Some(other.to_owned());
        }
        // Officials or troops of no named country may be anyone's ("leaders agreed to keep
        // sanctions"); police and courts act at home, in the country the text is about.
        if state && !matches!(sector, "COP" | "JUD") && matches!(self.tokens[head].xpos.as_str(), "NNS" | "NNPS") {
            return None;
        }
        self.main_country_before(entities, trigger, other).or_else(|| document.map(str::to_owned))
    }

    /// The country the sentence names most (the first named, on a tie), among the names
    /// before `before` when given, other than `not` (the other side's).
    fn main_country_before(&self, entities: &[Entity], before: Option<usize>, not: Option<&str>) -> Option<String> {
        let mut counts: Vec<(String, usize)> = Vec::new();
        let mut seen: Vec<usize> = self
            .entity_at
            .iter()
            .filter(|(token, _)| before.is_none_or(|before| **token < before))
            .map(|(_, entity)| *entity)
            .collect();
        seen.sort_unstable();
        seen.dedup();
        for entity in seen {
            if let Some(country) = entities[entity].actor.as_deref().and_then(country_code).filter(|&c| Some(c) != not)
            {
                match counts.iter_mut().find(|(known, _)| known == country) {
                    Some((_, count)) => *count += 1,
                    None => counts.push((country.to_owned(), 1)),
                }
            }
        }
        let best = counts.iter().map(|(_, count)| *count).max()?;
        counts.into_iter().find(|(_, count)| *count == best).map(|(country, _)| country)
    }

    /// The span of a phrase: its head with its modifiers.
    fn phrase_span(&self, head: usize) -> (usize, usize) {
        let (mut first, mut last) = (head, head);
        for &child in self.children(head) {
            if matches!(self.deprel(child), "compound" | "amod" | "det" | "nmod:poss" | "flat" | "nummod") {
                first = first.min(child);
                last = last.max(child);
            }
        }
        (self.tokens[first].start, self.tokens[last].end)
    }

    /// An infinitive clause without a subject of its own ("urged Iran to lift sanctions").
    fn is_infinitive(&self, node: usize) -> bool {
        matches!(self.deprel(node), "ccomp" | "advcl")
            && self.child_with(node, &["nsubj", "nsubj:pass"]).is_none()
            && self.children(node).iter().any(|&child| self.deprel(child) == "mark" && self.lemma(child) == "to")
    }

    /// The trigger a complement hangs from ("agreed to provide": provide → agree), if the
    /// complement is one.
    fn governing_trigger(&self, trigger: usize, triggers: &[usize]) -> Option<usize> {
        let mut node = trigger;
        for _ in 0..3 {
            if self.deprel(node) != "xcomp" && !self.is_infinitive(node) {
                return None;
            }
            node = self.head(node)?;
            if triggers.contains(&node) {
                return Some(node);
            }
        }
        None
    }

    /// True when a reporting verb attributes a clause: it governs one ("said that …") or hangs
    /// from one ("…, officials said").
    fn attributes(&self, verb: usize) -> bool {
        matches!(self.deprel(verb), "parataxis" | "ccomp" | "advcl")
            || self.children(verb).iter().any(|&child| matches!(self.deprel(child), "ccomp" | "parataxis"))
    }

    /// True when the clause of `node` is what someone said: the complement of a speech verb.
    fn reported(&self, node: usize) -> bool {
        self.deprel(node) == "ccomp" && self.head(node).is_some_and(|head| STATING_VERBS.contains(&self.lemma(head)))
    }

    /// Why a trigger does not state an event that happened, if it does not.
    fn factuality(&self, trigger: usize, triggers: &[usize]) -> Option<&'static str> {
        let mut node = trigger;
        let mut first = true;
        loop {
            for &child in self.children(node) {
                let lemma = self.lemma(child);
                match self.deprel(child) {
                    "advmod" | "neg" if matches!(lemma, "not" | "never" | "n't") => return Some("negated"),
                    // "Israel often raids the camps": a habit, not an event.
                    "advmod"
                        if first
                            && matches!(
                                lemma,
                                "often"
                                    | "usually"
                                    | "always"
                                    | "generally"
                                    | "regularly"
                                    | "routinely"
                                    | "frequently"
                                    | "sometimes"
                                    | "typically"
                                    | "rarely"
                                    | "seldom"
                            ) =>
                    {
                        return Some("generic");
                    }
                    "aux" => match lemma {
                        "could" | "might" | "may" | "should" | "must" | "can" => return Some("modal"),
                        // "said it would allow": the future of reported speech.
                        "would" if self.reported(node) => return Some("future"),
                        "would" => return Some("conditional"),
                        "will" | "shall" => return Some("future"),
                        _ => {}
                    },
                    "mark" if matches!(lemma, "if" | "unless") => return Some("conditional"),
                    _ => {}
                }
            }
            // Governing verbs: "plans to attack", "denied that it attacked".
            let relation = self.deprel(node).to_owned();
            let Some(head) = self.head(node) else { break };
            let clause = matches!(relation.as_str(), "acl" | "advcl" | "ccomp" | "xcomp");
            // "Moscow denies targeting civilians", however the tree hangs the clause.
            if clause && DENIAL_VERBS.contains(&self.lemma(head)) {
                return Some("denied");
            }
            // "accused Pakistan of firing at civilians", "blamed Israel for the attack": what
            // is alleged is the accusation's, not an act reported.
            let marked = self.children(node).iter().any(|&child| {
                matches!(self.deprel(child), "mark" | "case") && matches!(self.lemma(child), "of" | "for")
            });
            let accusing = |verb: usize| ACCUSING_VERBS.contains(&self.lemma(verb));
            // The accused may be a list: "accused soldiers and militias of killing".
            let mut accused = head;
            while self.deprel(accused) == "conj"
                && let Some(up) = self.head(accused)
            {
                accused = up;
            }
            if (clause || (marked && matches!(relation.as_str(), "obl" | "nmod")))
                && (accusing(head) || (self.deprel(accused) == "obj" && self.head(accused).is_some_and(accusing)))
            {
                return Some("alleged");
            }
            // An act named by a noun is as factual as the verb it is the object of: "Iran
            // could reduce its cooperation", "did not hold talks".
            let upos = self.upos(node);
            if first
                && matches!(upos, "NOUN" | "PROPN")
                && matches!(relation.as_str(), "obj" | "nsubj:pass" | "obl")
                && self.upos(head) == "VERB"
            {
                node = head;
                first = false;
                continue;
            }
            match relation.as_str() {
                "xcomp" | "ccomp" | "advcl"
                    if relation == "xcomp"
                        || self.governing_trigger(node, triggers).is_some()
                        || self.is_infinitive(node) =>
                {
                    // "threatened to attack": the governing verb's own pattern codes it.
                    if triggers.contains(&head) && first {
                        return Some("covered");
                    }
                    if REFUSAL_VERBS.contains(&self.lemma(head)) {
                        return Some("refused");
                    }
                    // "is willing to withdraw", "ready to host", "prepared to lift".
                    if WILLING.contains(&self.lemma(head)) {
                        return Some("intent");
                    }
                    if INTENT_VERBS.contains(&self.lemma(head)) {
                        return Some("intent");
                    }
                    // "going to attack"
                    if self.lemma(head) == "go" && self.children(head).iter().any(|&c| self.deprel(c) == "aux") {
                        return Some("future");
                    }
                }
                "ccomp" => {
                    if DENIAL_VERBS.contains(&self.lemma(head)) {
                        return Some("denied");
                    }
                    // "analysts believe Iran attacked": an opinion, not a report.
                    if OPINION_VERBS.contains(&self.lemma(head)) {
                        return Some("opinion");
                    }
                    // "demanded that the US cancel the sale": asked for, not done.
                    if DEMANDING_VERBS.contains(&self.lemma(head)) {
                        return Some("demanded");
                    }
                    break;
                }
                "advcl" => {
                    if self
                        .children(node)
                        .iter()
                        .any(|&c| self.deprel(c) == "mark" && matches!(self.lemma(c), "if" | "unless"))
                    {
                        return Some("conditional");
                    }
                    break;
                }
                _ => break,
            }
            node = head;
            first = false;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use dateline_doc::Token;

    use super::{is_time_word, regular_stems, repair};

    /// A parsed sentence from `form/UPOS/XPOS/lemma/head/relation` items (heads 1-based).
    fn sentence(items: &str) -> Vec<Token> {
        items
            .split_whitespace()
            .map(|item| {
                let parts: Vec<&str> = item.split('/').collect();
                Token {
                    start: 0,
                    end: 0,
                    form: parts[0].to_owned(),
                    upos: parts[1].to_owned(),
                    xpos: parts[2].to_owned(),
                    lemma: parts[3].to_owned(),
                    head: parts[4].parse().unwrap(),
                    deprel: parts[5].to_owned(),
                }
            })
            .collect()
    }

    /// The relation and head (1-based, 0 for the root) of each word after the repairs.
    fn repaired(tokens: &[Token]) -> Vec<(u32, String)> {
        repaired_with_verbs(tokens).0
    }

    /// [`repaired`], with the words the repairs made verbs.
    fn repaired_with_verbs(tokens: &[Token]) -> (Vec<(u32, String)>, Vec<bool>) {
        let mut heads: Vec<Option<usize>> =
            tokens.iter().map(|token| (token.head != 0).then(|| token.head as usize - 1)).collect();
        let mut deprels: Vec<String> = tokens.iter().map(|token| token.deprel.clone()).collect();
        let made_verbs = repair(tokens, 0, &mut heads, &mut deprels, &vec![false; tokens.len()]);
        let tree =
            heads.iter().zip(deprels).map(|(head, deprel)| (head.map_or(0, |head| head as u32 + 1), deprel)).collect();
        (tree, made_verbs)
    }

    #[test]
    fn a_past_form_tagged_an_adjective_after_and_is_the_second_verb() {
        // "Japan summoned the envoy and imposed sanctions", "imposed" tagged an adjective of
        // "sanctions", which the parser coordinated with "envoy".
        let tokens = sentence(
            "Japan/PROPN/NNP/Japan/2/nsubj summoned/VERB/VBD/summon/0/root the/DET/DT/the/4/det \
             envoy/NOUN/NN/envoy/2/obj and/CCONJ/CC/and/7/cc imposed/ADJ/JJ/imposed/7/amod \
             sanctions/NOUN/NNS/sanction/4/conj",
        );
        let (tree, made_verbs) = repaired_with_verbs(&tokens);
        assert_eq!(tree[5], (2, "conj".to_owned()));
        assert_eq!(tree[6], (6, "obj".to_owned()));
        assert_eq!(made_verbs, [false, false, false, false, false, true, false]);
        // An adjective that is no past form stays one.
        let plain = sentence(
            "Japan/PROPN/NNP/Japan/2/nsubj summoned/VERB/VBD/summon/0/root the/DET/DT/the/4/det \
             envoy/NOUN/NN/envoy/2/obj and/CCONJ/CC/and/7/cc new/ADJ/JJ/new/7/amod \
             sanctions/NOUN/NNS/sanction/4/conj",
        );
        assert_eq!(repaired(&plain)[5], (7, "amod".to_owned()));
    }

    #[test]
    fn a_subject_read_as_a_time_phrase_is_the_subject() {
        // "army" hung from "lifted" as a bare phrase of time.
        let tokens = sentence(
            "The/DET/DT/the/2/det army/NOUN/NN/army/3/obl:unmarked lifted/VERB/VBN/lift/0/root \
             Friday/PROPN/NNP/Friday/3/obl:unmarked the/DET/DT/the/6/det blockade/NOUN/NN/blockade/3/obj",
        );
        let tree = repaired(&tokens);
        assert_eq!(tree[1], (3, "nsubj".to_owned()));
        assert_eq!(tree[3], (3, "obl:unmarked".to_owned()), "the day stays a time phrase");
    }

    #[test]
    fn an_object_read_as_a_modifier_of_the_day_is_the_object() {
        let tokens = sentence(
            "Students/NOUN/NNS/student/2/nsubj staged/VERB/VBD/stage/0/root \
             demonstrations/NOUN/NNS/demonstration/4/nmod:desc Saturday/PROPN/NNP/Saturday/2/obl:unmarked",
        );
        assert_eq!(repaired(&tokens)[2], (2, "obj".to_owned()));
        // A verb with an object of its own keeps it.
        let with_object = sentence(
            "Students/NOUN/NNS/student/2/nsubj staged/VERB/VBD/stage/0/root rallies/NOUN/NNS/rally/2/obj \
             demonstrations/NOUN/NNS/demonstration/5/nmod:desc Saturday/PROPN/NNP/Saturday/2/obl:unmarked",
        );
        assert_eq!(repaired(&with_object)[3], (5, "nmod:desc".to_owned()));
    }

    #[test]
    fn a_subject_read_as_a_modifier_of_today_is_the_subject() {
        let tokens = sentence(
            "A/DET/DT/a/4/det U.S./PROPN/NNP/U.S./4/compound official/ADJ/JJ/official/4/amod \
             today/NOUN/NN/today/5/obl:unmarked praised/VERB/VBD/praise/0/root Haiti/PROPN/NNP/Haiti/5/obj",
        );
        let tree = repaired(&tokens);
        assert_eq!(tree[2], (5, "nsubj".to_owned()));
        assert_eq!(tree[1], (3, "compound".to_owned()), "the subject keeps its modifiers");
        assert_eq!(tree[3], (5, "obl:unmarked".to_owned()));
    }

    #[test]
    fn a_passive_subject_of_a_simple_past_is_the_subject() {
        let tokens = sentence("rebels/NOUN/NNS/rebel/2/nsubj:pass surrendered/VERB/VBD/surrender/0/root");
        assert_eq!(repaired(&tokens)[0], (2, "nsubj".to_owned()));
        // A real passive keeps its voice.
        let passive =
            sentence("rebels/NOUN/NNS/rebel/3/nsubj:pass were/AUX/VBD/be/3/aux:pass captured/VERB/VBN/capture/0/root");
        assert_eq!(repaired(&passive)[0], (3, "nsubj:pass".to_owned()));
    }

    #[test]
    fn an_object_read_as_in_apposition_to_the_day_is_the_object() {
        let tokens = sentence(
            "army/NOUN/NN/army/2/nsubj lifted/VERB/VBD/lift/0/root Friday/PROPN/NNP/Friday/2/obl:unmarked \
             a/DET/DT/a/5/det blockade/NOUN/NN/blockade/3/appos",
        );
        assert_eq!(repaired(&tokens)[4], (2, "obj".to_owned()));
    }

    #[test]
    fn an_infinitive_hung_from_a_phrase_of_time_belongs_to_its_verb() {
        let tokens = sentence(
            "Uzbekistan/PROPN/NNP/Uzbekistan/2/nsubj opened/VERB/VBD/open/0/root the/DET/DT/the/4/det \
             bridge/NOUN/NN/bridge/2/obj after/ADP/IN/after/6/case years/NOUN/NNS/year/2/obl \
             to/PART/TO/to/8/mark allow/VERB/VB/allow/6/acl deliveries/NOUN/NNS/delivery/8/obj",
        );
        assert_eq!(repaired(&tokens)[7], (2, "advcl".to_owned()));
    }

    #[test]
    fn time_words_ignore_case() {
        assert!(is_time_word("Friday") && is_time_word("march") && is_time_word("Weekend"));
        assert!(!is_time_word("army") && !is_time_word("fall"));
    }

    #[test]
    fn regular_stems_undo_english_endings() {
        let stems = regular_stems("shelled");
        assert!(stems.contains(&"shell".to_owned()) && stems.contains(&"shel".to_owned()), "{stems:?}");
        assert!(regular_stems("easing").contains(&"ease".to_owned()));
        assert!(regular_stems("carried").contains(&"carry".to_owned()));
    }

    #[test]
    fn regular_stems_keep_characters_whole() {
        // '萐' is E8 90 90: its last two bytes are equal, and are no doubled consonant (found
        // by fuzzing: the stem was cut inside the character, a panic).
        assert_eq!(regular_stems("a萐ed"), ["a萐", "a萐e"]);
        for form in ["萐萐ed", "ééing", "xßßs"] {
            assert!(regular_stems(form).iter().all(|stem| !stem.is_empty()), "{form}");
        }
    }
}

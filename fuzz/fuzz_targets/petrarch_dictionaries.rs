//! PETRARCH dictionaries (`--dict-dir`): the same text read as a verb dictionary, an ontology,
//! a discard list, an actors and an agents file; then the verb dictionary and discards code
//! a short news text.
#![no_main]

use dateline_code::Coder;
use dateline_code::petrarch::{Discards, VerbDictionary};
use dateline_link::actors::{ActorDictionary, read_petrarch_actors, read_petrarch_agents};
use libfuzzer_sys::fuzz_target;

#[path = "fixture.rs"]
mod fixture;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut verbs = VerbDictionary::parse("fuzz.verbs.txt", &text);
    verbs.add_ontology("fuzz.ontology.txt", &text);
    let discards = Discards::parse(&text);
    let mut actors = ActorDictionary::default();
    actors.add(read_petrarch_actors("fuzz.actors.txt", &text));
    actors.add(read_petrarch_agents("fuzz.agents.txt", &text));
    let fixture = fixture::fixture();
    let events =
        Coder::with_petrarch(verbs, discards).code(&fixture.text, &fixture.analysis, &fixture.links, fixture.published);
    for event in &events.events {
        assert!(event.sentence < fixture.analysis.sentences.len(), "an event in no sentence");
    }
});

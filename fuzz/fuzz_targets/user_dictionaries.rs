//! A user's actor dictionary (`--actors FILE`: the project's TSV or a PETRARCH actors or
//! agents file, told apart by content), then name and role lookups over a news text's words.
#![no_main]

use dateline_link::actors::ActorDictionary;
use libfuzzer_sys::fuzz_target;

#[path = "fixture.rs"]
mod fixture;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut dictionary = ActorDictionary::default();
    if dictionary.load_text("fuzz.txt", &text).is_err() {
        return;
    }
    let fixture = fixture::fixture();
    let tokens = &fixture.analysis.tokens;
    let words: Vec<(&str, &str)> =
        tokens.iter().map(|token| (&fixture.text[token.start..token.end], token.lemma.as_str())).collect();
    for start in 0..words.len() {
        if let Some((length, ids)) = dictionary.match_name(&words[start..]) {
            assert!(length >= 1 && length <= words.len() - start);
            for &id in ids {
                let _ = dictionary.actor(id);
            }
        }
        let forms: Vec<&str> = words[start..].iter().map(|(form, _)| *form).collect();
        let lemmas: Vec<&str> = words[start..].iter().map(|(_, lemma)| *lemma).collect();
        let _ = dictionary.match_role(&forms, &lemmas);
    }
});

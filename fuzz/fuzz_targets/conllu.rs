//! CoNLL-U (`dateline annotate --from conllu`, `dateline eval conllu`) and IOB2 named-entity
//! files (`dateline eval ner`): whatever parses writes back to text that parses to the same
//! sentences.
#![no_main]

use dateline_nlp::conllu;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(sentences) = conllu::parse(text) {
        let written = conllu::write(&sentences);
        let again = conllu::parse(&written).expect("the writer's own output parses");
        assert_eq!(again, sentences, "CoNLL-U does not round-trip");
    }
    let _ = conllu::parse_iob(text);
});

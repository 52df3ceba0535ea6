//! Fingerprints of article text: an exact hash (the same text seen again) and a simhash
//! (nearly the same text: a syndicated copy with another headline or a changed sentence).

use xxhash_rust::xxh3::{xxh3_64, xxh3_128};

/// The exact fingerprint of a text: 128-bit XXH3 in hex. XXH3 is a fixed, published
/// algorithm, so stored fingerprints stay valid across versions.
pub fn text_hash(text: &str) -> String {
    format!("{:032x}", xxh3_128(text.as_bytes()))
}

/// A 64-bit simhash over the text's lower-cased word trigrams: texts that share most of their
/// trigrams have hashes a few bits apart.
pub fn simhash(text: &str) -> u64 {
    let words: Vec<String> =
        text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()).map(str::to_lowercase).collect();
    let mut weights = [0i64; 64];
    let mut add = |hash: u64| {
        for (bit, weight) in weights.iter_mut().enumerate() {
            if hash >> bit & 1 == 1 {
                *weight += 1;
            } else {
                *weight -= 1;
            }
        }
    };
    if words.len() < 3 {
        add(xxh3_64(words.join(" ").as_bytes()));
    } else {
        for trigram in words.windows(3) {
            add(xxh3_64(trigram.join(" ").as_bytes()));
        }
    }
    weights.iter().enumerate().filter(|(_, weight)| **weight > 0).fold(0u64, |hash, (bit, _)| hash | 1 << bit)
}

/// Bits in which two simhashes differ.
pub(crate) fn distance(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_copies_are_close_and_other_texts_far() {
        let story = "The foreign ministers of Vietnam and Japan met in Hanoi on Tuesday to discuss trade, \
                     maritime security and a new fund for infrastructure along the Mekong river, officials said. \
                     The talks lasted three hours and ended with a joint statement on fishing rights.";
        let copy = format!("{story} Reporting by the Hanoi bureau.");
        let other = "Police fired tear gas at thousands of protesters in Nairobi on Monday as anger over a \
                     new finance bill spilled into the streets for a third day, witnesses said.";
        assert!(distance(simhash(story), simhash(&copy)) <= 6, "{}", distance(simhash(story), simhash(&copy)));
        assert!(distance(simhash(story), simhash(other)) > 12);
        assert_eq!(text_hash(story), text_hash(story));
        assert_ne!(text_hash(story), text_hash(&copy));
    }
}

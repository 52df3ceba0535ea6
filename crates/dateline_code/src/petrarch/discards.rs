//! PETRARCH discard lists (`PETR_*_discards_*.txt`): phrases that mark a sentence, or with a
//! leading `+` a whole story, as not worth coding (sports, weather: "BASEBALL", "+TYPHOON").
//!
//! One phrase a line, words separated by spaces or `_`, matched case-insensitively on whole
//! adjacent tokens; `#` starts a comment.

use dateline_doc::Token;

/// One discard phrase.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Discard {
    /// The words, upper case.
    pub words: Vec<String>,
    /// True for a story discard (`+`): the whole story goes, not only the sentence.
    pub story: bool,
}

/// The phrases of a discard list.
#[derive(Clone, Debug, Default)]
pub struct Discards {
    /// The phrases in file order.
    pub phrases: Vec<Discard>,
}

impl Discards {
    /// Reads a discard list's text.
    pub fn parse(text: &str) -> Discards {
        let mut discards = Discards::default();
        for raw in text.lines() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() || line.starts_with("<!--") {
                continue;
            }
            let (story, phrase) = match line.strip_prefix('+') {
                Some(rest) => (true, rest),
                None => (false, line),
            };
            let words: Vec<String> = phrase
                .split(|c: char| c.is_whitespace() || c == '_')
                .filter(|word| !word.is_empty())
                .map(str::to_uppercase)
                .collect();
            if !words.is_empty() {
                discards.phrases.push(Discard { words, story });
            }
        }
        discards
    }

    /// The first phrase found among `tokens` (one sentence's), if any.
    pub fn find(&self, tokens: &[Token]) -> Option<&Discard> {
        let forms: Vec<String> = tokens.iter().map(|token| token.form.to_uppercase()).collect();
        self.phrases.iter().find(|discard| forms.windows(discard.words.len()).any(|window| window == discard.words))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(text: &str) -> Vec<Token> {
        text.split(' ')
            .map(|form| Token {
                start: 0,
                end: 0,
                form: form.to_owned(),
                upos: String::new(),
                xpos: String::new(),
                lemma: form.to_lowercase(),
                head: 0,
                deprel: String::new(),
            })
            .collect()
    }

    #[test]
    fn sentence_and_story_discards() {
        let discards = Discards::parse("# sport and weather\nCROQUET   # a note\n+HAIL_STORM\nTABLE TENNIS\n\n");
        assert_eq!(discards.phrases.len(), 3);
        let found = |text: &str| discards.find(&tokens(text)).map(|d| (d.words.join(" "), d.story));
        assert_eq!(found("Arnor won the croquet final"), Some(("CROQUET".to_owned(), false)));
        assert_eq!(found("a hail storm hit Gondor"), Some(("HAIL STORM".to_owned(), true)));
        assert_eq!(found("Table Tennis resumes"), Some(("TABLE TENNIS".to_owned(), false)));
        assert_eq!(found("a table fell on tennis shoes"), None);
        assert_eq!(found("croquets"), None, "whole words only");
    }
}

//! The sentence splitter: tokenizes text and cuts the tokens into sentences, in one pass.
//!
//! Paragraph breaks (a blank line; the clean text separates paragraphs with "\n\n") always end a
//! sentence, so headings and captions without final punctuation stand alone. Within a paragraph
//! a sentence ends after a run of final punctuation (".", "?!", "...") and the closing quotes and
//! brackets glued to it, when what follows can start a sentence: not a comma or a closing
//! bracket, and after an ellipsis not a lower-case word. The tokenizer has already kept the periods of abbreviations and initials ("Dr.", "U.S.",
//! "David C. Kang", "Feb. 27") inside their tokens, so those do not end sentences; an abbreviation
//! that can end one ("etc.", "Inc.", "U.S.") does so only before a word that usually opens a
//! sentence ("The", "He", "But"). Emoticons, e-mail addresses in angle brackets and clock times
//! ("08:02 PM") end a sentence before a capital, as in e-mail headers. A line break inside a paragraph ends a sentence unless the next
//! line goes on in lower case, and a bullet always starts one.

use std::sync::LazyLock;

use dateline_doc::Paragraph;
use rustc_hash::FxHashSet;

use crate::conllu::{self, ConlluSentence, MultiwordToken};
use crate::tokenize::{self, Token, TokenizedSentence, Word};

/// Abbreviations written before a name or a number, which never end a sentence ("Dr. Smith",
/// "Feb. 27", "No. 5"), without their period.
static PREFIX_ABBREVIATIONS: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    [
        "Mr", "Mrs", "Ms", "Messrs", "Dr", "Prof", "Gen", "Lt", "Col", "Maj", "Capt", "Cmdr", "Adm", "Sgt", "Cpl",
        "Pvt", "Gov", "Sen", "Sens", "Rep", "Reps", "Rev", "Hon", "Pres", "Supt", "Det", "Fr", "St", "Ste", "Mt", "Ft",
        "Jan", "Feb", "Mar", "Apr", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "No", "Nos", "Vol", "vs", "Nr", "Sec",
        "Art",
    ]
    .into_iter()
    .collect()
});

/// Capitalised words that usually open a sentence: after an abbreviation that can end one
/// ("etc.", "Inc."), they mark a sentence break.
static SENTENCE_OPENERS: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    [
        "The",
        "A",
        "An",
        "He",
        "She",
        "It",
        "They",
        "We",
        "I",
        "You",
        "This",
        "That",
        "These",
        "Those",
        "There",
        "But",
        "And",
        "So",
        "Yet",
        "In",
        "On",
        "At",
        "For",
        "If",
        "When",
        "While",
        "After",
        "Before",
        "His",
        "Her",
        "Its",
        "Their",
        "Our",
        "My",
        "Your",
        "What",
        "Why",
        "How",
        "Who",
        "Where",
        "Some",
        "Many",
        "Most",
        "All",
        "No",
        "Not",
        "However",
        "Also",
        "Then",
        "Now",
        "Still",
        "Meanwhile",
        "As",
        "Since",
        "Although",
        "Though",
        "Please",
        "Thanks",
        "Thank",
        "Let",
        "Do",
        "Does",
        "Did",
        "Is",
        "Are",
        "Can",
        "Will",
        "Here",
        "Each",
        "Every",
        "Both",
        "Even",
        "Only",
        "Just",
        "Yes",
        "To",
        "With",
        "From",
        "By",
    ]
    .into_iter()
    .collect()
});

/// Splits `text` into tokenized sentences; blank lines separate paragraphs.
pub fn split(text: &str) -> Vec<TokenizedSentence> {
    let mut sentences = Vec::new();
    let mut tokens = Vec::new();
    for (start, end) in blank_line_paragraphs(text) {
        split_paragraph(text, start, end, &mut tokens, &mut sentences);
    }
    sentences
}

/// Splits `text` into tokenized sentences, given its paragraphs: no sentence crosses a paragraph
/// boundary. Text outside the paragraphs is left out; paragraphs out of bounds, off char
/// boundaries or out of order are skipped.
pub fn split_paragraphs(text: &str, paragraphs: &[Paragraph]) -> Vec<TokenizedSentence> {
    let mut sentences = Vec::new();
    let mut tokens = Vec::new();
    let mut done = 0;
    for paragraph in paragraphs {
        if paragraph.start < done || text.get(paragraph.start..paragraph.end).is_none() {
            continue;
        }
        for (start, end) in blank_line_paragraphs(&text[paragraph.start..paragraph.end]) {
            split_paragraph(text, paragraph.start + start, paragraph.start + end, &mut tokens, &mut sentences);
        }
        done = paragraph.end;
    }
    sentences
}

/// The byte ranges of the paragraphs of `text`, separated by lines holding only whitespace.
fn blank_line_paragraphs(text: &str) -> Vec<(usize, usize)> {
    let mut paragraphs = Vec::new();
    let mut paragraph_start = 0;
    let mut line_start = 0;
    let mut in_blank_run = false;
    for line in text.split_inclusive('\n') {
        let line_end = line_start + line.len();
        let blank = line.trim().is_empty();
        if blank && !in_blank_run {
            paragraphs.push((paragraph_start, line_start));
            in_blank_run = true;
        }
        if !blank && in_blank_run {
            paragraph_start = line_start;
            in_blank_run = false;
        }
        line_start = line_end;
    }
    if !in_blank_run {
        paragraphs.push((paragraph_start, text.len()));
    }
    paragraphs.retain(|(start, end)| start < end);
    paragraphs
}

/// Tokenizes the paragraph `text[start..end]` and appends its sentences.
fn split_paragraph(
    text: &str,
    start: usize,
    end: usize,
    tokens: &mut Vec<Token>,
    sentences: &mut Vec<TokenizedSentence>,
) {
    tokens.clear();
    tokenize::tokenize_into(text, start, end, tokens);
    let mut first = 0;
    let mut index = 0;
    while index < tokens.len() {
        if index > first && starts_new_line_sentence(text, tokens, index) {
            sentences.push(sentence(text, &tokens[first..index]));
            first = index;
        }
        if is_final_punctuation(token_text(text, &tokens[index])) {
            let mut last = index;
            while last + 1 < tokens.len() && is_closer(text, tokens, last + 1) {
                last += 1;
            }
            let next = last + 1;
            let ellipsis = is_ellipsis(token_text(text, &tokens[index]));
            if next < tokens.len() && opens_sentence(text, tokens, next, ellipsis) {
                sentences.push(sentence(text, &tokens[first..next]));
                first = next;
            }
            index = next;
            continue;
        }
        if index + 1 < tokens.len() && ends_before(text, tokens, index) {
            sentences.push(sentence(text, &tokens[first..index + 1]));
            first = index + 1;
        }
        index += 1;
    }
    if first < tokens.len() {
        sentences.push(sentence(text, &tokens[first..]));
    }
}

/// The text of a token.
fn token_text<'a>(text: &'a str, token: &Token) -> &'a str {
    &text[token.start..token.end]
}

/// True for a run of sentence-final punctuation: ".", "?!", "...".
fn is_final_punctuation(token: &str) -> bool {
    !token.is_empty() && token.chars().all(|c| matches!(c, '.' | '!' | '?' | '…'))
}

/// True when the token at `index` closes what the previous token ended: a closing quote or
/// bracket; a straight quote only when glued to the previous token.
fn is_closer(text: &str, tokens: &[Token], index: usize) -> bool {
    let token = token_text(text, &tokens[index]);
    match token {
        ")" | "]" | "}" | "”" | "’" | "»" | "''" => true,
        "\"" | "'" => tokens[index].start == tokens[index - 1].end,
        _ => false,
    }
}

/// True for an ellipsis: "...", "…", "....".
fn is_ellipsis(token: &str) -> bool {
    token == "…" || token.len() > 1 && token.bytes().all(|b| b == b'.')
}

/// True when the token at `index` can open a sentence after final punctuation. After a period,
/// question or exclamation mark a lower-case word opens one too (informal writing; the periods
/// of abbreviations are inside their tokens); after an ellipsis it goes on.
fn opens_sentence(text: &str, tokens: &[Token], index: usize, after_ellipsis: bool) -> bool {
    let token = token_text(text, &tokens[index]);
    let Some(first) = token.chars().next() else { return false };
    if first.is_lowercase() {
        return !after_ellipsis;
    }
    if first.is_alphanumeric() {
        return true;
    }
    !matches!(first, ',' | ';' | ':' | ')' | ']' | '}' | '%' | '.' | '!' | '?' | '…')
}

/// True when a line break or a bullet before the token at `index` starts a new sentence.
fn starts_new_line_sentence(text: &str, tokens: &[Token], index: usize) -> bool {
    let token = token_text(text, &tokens[index]);
    if matches!(token, "•" | "·" | "▪" | "►" | "◦" | "‣" | "●") {
        return true;
    }
    let gap = &text[tokens[index - 1].end..tokens[index].start];
    if !gap.contains('\n') {
        return false;
    }
    let previous = token_text(text, &tokens[index - 1]);
    let continues = token.chars().next().is_some_and(char::is_lowercase) || matches!(previous, "," | "-" | "&" | "/");
    !continues
}

/// True when a sentence ends after the token at `index`, which is not final punctuation: an
/// abbreviation that can end a sentence before a word that usually opens one ("etc. The"); an
/// emoticon, a closing `>` (of an e-mail address) or a clock time's "AM"/"PM" before a capital
/// or a digit, as in e-mail headers and informal writing.
fn ends_before(text: &str, tokens: &[Token], index: usize) -> bool {
    let token = token_text(text, &tokens[index]);
    let next = token_text(text, &tokens[index + 1]);
    if ends_with_abbreviation(token) {
        return SENTENCE_OPENERS.contains(next);
    }
    if !next.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()) {
        return false;
    }
    let after_time = || {
        index > 0 && {
            let previous = token_text(text, &tokens[index - 1]);
            previous.contains(':') && previous.bytes().all(|b| b.is_ascii_digit() || b == b':')
        }
    };
    match token {
        ">" => true,
        "AM" | "PM" | "am" | "pm" => after_time(),
        _ => tokenize::is_emoticon(token),
    }
}

/// True when the token is an abbreviation that can end a sentence ("etc.", "Inc.", "U.S."), as
/// opposed to one written before a name or number ("Dr.", "Feb.") or an initial ("C.").
fn ends_with_abbreviation(token: &str) -> bool {
    let Some(stem) = token.strip_suffix('.') else { return false };
    if stem.is_empty() || stem.ends_with('.') || !stem.chars().next().is_some_and(char::is_alphabetic) {
        return false;
    }
    let mut chars = stem.chars();
    let single_letter = chars.next().is_some() && chars.next().is_none();
    !single_letter && !PREFIX_ABBREVIATIONS.contains(stem) && tokenize::is_abbreviation(stem)
}

/// Builds a sentence from its tokens (at least one).
fn sentence(text: &str, tokens: &[Token]) -> TokenizedSentence {
    let mut sentence = TokenizedSentence {
        start: tokens.first().map_or(0, |token| token.start),
        end: tokens.last().map_or(0, |token| token.end),
        words: Vec::with_capacity(tokens.len() + 2),
        multiword: Vec::new(),
    };
    for token in tokens {
        match token.cut {
            Some(cut) if cut > token.start && cut < token.end => {
                let first = sentence.words.len();
                sentence.words.push(Word { start: token.start, end: cut, form: text[token.start..cut].to_owned() });
                sentence.words.push(Word { start: cut, end: token.end, form: text[cut..token.end].to_owned() });
                sentence.multiword.push((first, first + 1));
            }
            _ => sentence.words.push(Word {
                start: token.start,
                end: token.end,
                form: text[token.start..token.end].to_owned(),
            }),
        }
    }
    sentence
}

/// Writes tokenized sentences as CoNLL-U: a `# text` comment, the words with their ids and forms
/// (other columns blank), multiword token lines, and `SpaceAfter=No` where no whitespace follows
/// a written token.
pub fn to_conllu(text: &str, sentences: &[TokenizedSentence]) -> Vec<ConlluSentence> {
    let no_space_after = |end: usize| text[end.min(text.len())..].chars().next().is_some_and(|c| !c.is_whitespace());
    let mut out = Vec::with_capacity(sentences.len());
    for sentence in sentences {
        let sentence_text = text.get(sentence.start..sentence.end).unwrap_or_default();
        let flat_text: String =
            sentence_text.chars().map(|c| if c == '\n' || c == '\r' || c == '\t' { ' ' } else { c }).collect();
        let mut conllu_sentence = ConlluSentence {
            comments: vec![format!("text = {flat_text}")],
            words: Vec::with_capacity(sentence.words.len()),
            multiword: Vec::with_capacity(sentence.multiword.len()),
        };
        let mut index = 0;
        while index < sentence.words.len() {
            let group = sentence.multiword.iter().find(|(first, last)| *first == index && *last >= index);
            let last = group.map_or(index, |(_, last)| (*last).min(sentence.words.len() - 1));
            let token_start = sentence.words[index].start;
            let token_end = sentence.words[last].end.max(sentence.words[index].end);
            let glued = no_space_after(token_end);
            let misc = if glued { "SpaceAfter=No".to_owned() } else { String::new() };
            if last > index {
                conllu_sentence.multiword.push(MultiwordToken {
                    first: index as u32 + 1,
                    last: last as u32 + 1,
                    form: text.get(token_start..token_end).unwrap_or_default().to_owned(),
                    misc: misc.clone(),
                });
            }
            for word_index in index..=last {
                let word = &sentence.words[word_index];
                conllu_sentence.words.push(conllu::Word {
                    id: word_index as u32 + 1,
                    form: word.form.clone(),
                    misc: if last == index { misc.clone() } else { String::new() },
                    ..conllu::Word::default()
                });
            }
            index = last + 1;
        }
        out.push(conllu_sentence);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Splits `text` and renders the sentences one per line, words separated by spaces.
    fn check(text: &str, expected: &[&str]) {
        let sentences = split(text);
        let rendered: Vec<String> = sentences
            .iter()
            .map(|sentence| sentence.words.iter().map(|word| word.form.as_str()).collect::<Vec<_>>().join(" "))
            .collect();
        assert_eq!(rendered, expected, "splitting {text:?}");
        for sentence in &sentences {
            for word in &sentence.words {
                assert!(word.start >= sentence.start && word.end <= sentence.end);
            }
        }
    }

    #[test]
    fn splits_at_final_punctuation() {
        check(
            "It rained. Then it stopped! Why? Nobody knows.",
            &["It rained .", "Then it stopped !", "Why ?", "Nobody knows ."],
        );
    }

    #[test]
    fn keeps_abbreviations_and_initials() {
        check(
            "Mr. Smith met David C. Kang in the U.S. on Feb. 27. He left.",
            &["Mr. Smith met David C. Kang in the U.S. on Feb. 27 .", "He left ."],
        );
        check(
            "They sell apples, pears, etc. The shop is new.",
            &["They sell apples , pears , etc.", "The shop is new ."],
        );
        check("U.S. President Biden spoke.", &["U.S. President Biden spoke ."]);
        check("Love it :) Thanks", &["Love it :)", "Thanks"]);
        check("Sent 08/16/2000 12:05 PM I just wanted", &["Sent 08/16/2000 12:05 PM", "I just wanted"]);
    }

    #[test]
    fn ends_after_closing_quotes() {
        check("\"We will win.\" The crowd cheered.", &["\" We will win . \"", "The crowd cheered ."]);
        check("He said: \"Go home!\" (They did.) Fine.", &["He said : \" Go home ! \"", "( They did . )", "Fine ."]);
        check("\"Stop,\" he said. \"Now.\"", &["\" Stop , \" he said .", "\" Now . \""]);
    }

    #[test]
    fn lower_case_continues_after_ellipses_only() {
        check("Wait... and then nothing. So it goes.", &["Wait ... and then nothing .", "So it goes ."]);
        check("where did you grow up? india? cool.", &["where did you grow up ?", "india ?", "cool ."]);
        check("The value was 3.5 in the 2nd test.", &["The value was 3.5 in the 2nd test ."]);
    }

    #[test]
    fn paragraphs_and_headings_end_sentences() {
        check(
            "Storm hits coast\n\nThousands fled on Monday.\n\n  \n\nMore follows",
            &["Storm hits coast", "Thousands fled on Monday .", "More follows"],
        );
    }

    #[test]
    fn bullets_and_lines() {
        check(
            "Key points:\n• Prices rose\n• Wages fell\nand so on",
            &["Key points :", "• Prices rose", "• Wages fell and so on"],
        );
    }

    #[test]
    fn given_paragraphs_bound_sentences() {
        let text = "Title here Body text. More";
        let paragraphs = [
            Paragraph { start: 0, end: 10, kind: dateline_doc::ParagraphKind::Heading },
            Paragraph { start: 11, end: 26, kind: dateline_doc::ParagraphKind::Text },
        ];
        let sentences = split_paragraphs(text, &paragraphs);
        let spans: Vec<&str> = sentences.iter().map(|sentence| &text[sentence.start..sentence.end]).collect();
        assert_eq!(spans, ["Title here", "Body text.", "More"]);
    }

    #[test]
    fn writes_conllu_with_multiword_tokens() {
        let text = "I don't know.";
        let written = conllu::write(&to_conllu(text, &split(text)));
        assert_eq!(
            written,
            "# text = I don't know.\n1\tI\t_\t_\t_\t_\t_\t_\t_\t_\n2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tdo\t_\t_\t_\t_\t_\t_\t_\t_\n3\tn't\t_\t_\t_\t_\t_\t_\t_\t_\n4\tknow\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No\n5\t.\t_\t_\t_\t_\t_\t_\t_\t_\n\n"
        );
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::*;

        proptest! {
            #[test]
            fn spans_are_ordered_in_bounds_and_on_char_boundaries(text in "\\PC{0,80}|[a-zA-Z.!?'\" \\n-]{0,80}") {
                let sentences = split(&text);
                let mut previous_end = 0;
                for sentence in &sentences {
                    prop_assert!(sentence.start <= sentence.end && sentence.end <= text.len());
                    prop_assert!(!sentence.words.is_empty());
                    for word in &sentence.words {
                        prop_assert!(word.start >= previous_end);
                        prop_assert!(word.start < word.end && word.end <= text.len());
                        prop_assert!(text.is_char_boundary(word.start) && text.is_char_boundary(word.end));
                        prop_assert_eq!(&text[word.start..word.end], word.form.as_str());
                        previous_end = word.end;
                    }
                    for &(first, last) in &sentence.multiword {
                        prop_assert!(first < last && last < sentence.words.len());
                    }
                }
                let _ = to_conllu(&text, &sentences);
            }
        }
    }
}

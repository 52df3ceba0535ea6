//! The tokenizer: clean text to words with byte offsets, following UD English conventions.
//!
//! Text is cut at whitespace into chunks, and each chunk into tokens by rules that follow the
//! English Web Treebank: punctuation is split off ("area." → area .), runs of the same mark
//! stay one token ("...", "!!", "--"), most hyphens are split ("Al-Zaman" → Al - Zaman) but not
//! after prefixes such as "non-" or "e-", nor between numbers ("713-853-3989"); URLs, e-mail
//! addresses, domain names, numbers ("1,000.50", "10:30", "11/20/2000"), abbreviations ("U.S.",
//! "Feb.", "Dr.") and emoticons stay whole. A token may hold two syntactic words, a clitic
//! split ("don't" → do n't, "John's" → John 's, "cannot" → can not, "gonna" → gon na): the
//! token records where the second word starts.
//!
//! The abbreviations and hyphen prefixes are data, in `tokenize/*.txt`: lists derived from the
//! treebank's training file by [`derive_abbreviations`] and [`derive_hyphen_prefixes`], plus
//! the project's own additions for news. The tokenizer allocates nothing per character: it
//! works on byte offsets and looks words up as borrowed slices.

use std::sync::LazyLock;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::conllu::ConlluSentence;

/// A syntactic word: its span in the text and its form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The word form (the text of the span).
    pub form: String,
}

/// A sentence cut into words.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TokenizedSentence {
    /// First byte of the first word.
    pub start: usize,
    /// One past the last byte of the last word.
    pub end: usize,
    /// The words, in order, not overlapping.
    pub words: Vec<Word>,
    /// Inclusive index ranges into `words` of the words that form one written token, such as
    /// do + n't for "don't".
    pub multiword: Vec<(usize, usize)>,
}

/// A written token: a span of text without whitespace, holding one word or two (a clitic split).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// Where the second word starts, for a token of two words ("don't": the offset of "n't").
    pub cut: Option<usize>,
}

impl Token {
    fn whole(start: usize, end: usize) -> Token {
        Token { start, end, cut: None }
    }
}

/// Abbreviations that keep their final period, stored without it.
static ABBREVIATIONS: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    let derived = include_str!("tokenize/abbreviations.txt");
    let own = include_str!("tokenize/abbreviations_news.txt");
    list_lines(derived).chain(list_lines(own)).map(|line| line.strip_suffix('.').unwrap_or(line)).collect()
});

/// Lower-case prefixes after which a hyphen does not split a word ("non-", "e-").
static HYPHEN_PREFIXES: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| {
    let derived = include_str!("tokenize/hyphen_prefixes.txt");
    let own = include_str!("tokenize/hyphen_prefixes_news.txt");
    list_lines(derived).chain(list_lines(own)).collect()
});

/// Contractions written without an apostrophe, lower case, with where the second word starts.
static BARE_CONTRACTIONS: LazyLock<FxHashMap<&'static str, usize>> = LazyLock::new(|| {
    [
        ("cannot", 3),
        ("gonna", 3),
        ("wanna", 3),
        ("gotta", 3),
        ("gimme", 3),
        ("lemme", 3),
        ("dont", 2),
        ("didnt", 3),
        ("doesnt", 4),
        ("isnt", 2),
        ("wasnt", 3),
        ("arent", 3),
        ("werent", 4),
        ("couldnt", 5),
        ("wouldnt", 5),
        ("shouldnt", 6),
        ("havent", 4),
        ("hasnt", 3),
        ("hadnt", 3),
        ("cant", 2),
        ("wont", 2),
        ("im", 1),
        ("ive", 1),
        ("youre", 3),
        ("thats", 4),
    ]
    .into_iter()
    .collect()
});

/// Units written glued to a number and split from it ("35mm" → 35 mm, "7:30PM" → 7:30 PM).
const UNITS: &[&str] = &[
    "am", "pm", "AM", "PM", "k", "K", "mm", "cm", "km", "kg", "lb", "lbs", "ft", "mph", "GB", "MB", "KB", "hrs", "hr",
    "min",
];

/// Emoticons, longest first where one is a prefix of another.
const EMOTICONS: &[&str] = &[
    ":-)", ":-(", ";-)", ":-D", ":-P", ":-p", ":-/", ":'(", ":)", ":(", ";)", ":D", ":P", ":p", ";P", ";p", ":/", ":|",
    ":o", ":O", "=)", "=(", "<3", ":]", ":[", "^_^", "^^",
];

/// True when the token is one of the emoticons the tokenizer keeps whole.
pub fn is_emoticon(token: &str) -> bool {
    EMOTICONS.contains(&token)
}

/// Top-level domains that make "word.tld" a domain name.
const TOP_LEVEL_DOMAINS: &[&str] = &[
    "com", "org", "net", "edu", "gov", "mil", "int", "info", "biz", "io", "co", "uk", "us", "ca", "au", "de", "fr",
    "jp", "cn", "ru", "in", "eu", "tv", "nz", "ie", "za", "ch", "nl", "se", "es", "it", "br", "mx",
];

/// The non-comment, non-empty lines of a list file.
fn list_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines().map(str::trim).filter(|line| !line.is_empty() && !line.starts_with('#'))
}

/// The character at byte offset `pos`, which must be a char boundary below `text.len()`.
#[inline]
fn char_at(text: &str, pos: usize) -> char {
    let byte = text.as_bytes()[pos];
    if byte < 0x80 { byte as char } else { text[pos..].chars().next().unwrap_or('\u{FFFD}') }
}

/// The character at `pos`, or `None` at or past `end`.
#[inline]
fn char_before_end(text: &str, pos: usize, end: usize) -> Option<char> {
    (pos < end).then(|| char_at(text, pos))
}

/// True for characters that make up words: letters, digits, marks and the underscore.
#[inline]
fn is_word_char(c: char) -> bool {
    if c.is_ascii() { c.is_ascii_alphanumeric() || c == '_' } else { c.is_alphanumeric() || is_combining_mark(c) }
}

/// Combining marks that may follow a letter (common Unicode blocks only).
fn is_combining_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}')
}

/// Apostrophes, straight and curly.
#[inline]
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '`')
}

/// Tokenizes `text[start..end]` and appends the tokens to `out`. A range that is out of bounds
/// or not on char boundaries is ignored.
pub fn tokenize_into(text: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    if text.get(start..end).is_none() {
        return;
    }
    let mut pos = start;
    while pos < end {
        let c = char_at(text, pos);
        if c.is_whitespace() {
            pos += c.len_utf8();
            continue;
        }
        let chunk_start = pos;
        while pos < end {
            let c = char_at(text, pos);
            if c.is_whitespace() {
                break;
            }
            pos += c.len_utf8();
        }
        tokenize_chunk(text, chunk_start, pos, out);
    }
}

/// Tokenizes the whole text.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5);
    tokenize_into(text, 0, text.len(), &mut tokens);
    tokens
}

/// Tokenizes one chunk of text without whitespace.
fn tokenize_chunk(text: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    let mut pos = start;
    while pos < end {
        let c = char_at(text, pos);
        if is_word_char(c) {
            if let Some(len) = protected_len(&text[pos..end]) {
                out.push(Token::whole(pos, pos + len));
                pos += len;
            } else {
                pos = word(text, pos, end, out);
            }
            continue;
        }
        if let Some(len) = emoticon_len(&text[pos..end]) {
            out.push(Token::whole(pos, pos + len));
            pos += len;
            continue;
        }
        let len = punctuation_len(text, pos, end, c);
        out.push(Token::whole(pos, pos + len));
        pos += len;
    }
}

/// The length of an emoticon at the start of `rest`, when one is there and no word character
/// follows it.
fn emoticon_len(rest: &str) -> Option<usize> {
    let first = *rest.as_bytes().first()?;
    if !matches!(first, b':' | b';' | b'=' | b'<' | b'^') {
        return None;
    }
    EMOTICONS.iter().find_map(|emoticon| {
        let after = rest.strip_prefix(emoticon)?;
        let followed_by_word = after.chars().next().is_some_and(is_word_char);
        (!followed_by_word).then_some(emoticon.len())
    })
}

/// The length of a punctuation token starting with `c` at `pos`.
fn punctuation_len(text: &str, pos: usize, end: usize, c: char) -> usize {
    let bytes = text.as_bytes();
    match c {
        '.' | '!' | '?' | '…' => {
            let mut q = pos;
            while let Some(next) = char_before_end(text, q, end) {
                if !matches!(next, '.' | '!' | '?' | '…') {
                    break;
                }
                q += next.len_utf8();
            }
            q - pos
        }
        '\'' if pos + 1 < end && bytes[pos + 1] == b'\'' => 2,
        '-' | '`' | '*' | '=' | '~' | '#' | '<' | '>' | '+' | '^' | '|' | '_' => {
            let byte = bytes[pos];
            let mut q = pos;
            while q < end && bytes[q] == byte {
                q += 1;
            }
            q - pos
        }
        _ => c.len_utf8(),
    }
}

/// The length of a URL, e-mail address or domain name at the start of `rest`, without the
/// punctuation that ends it.
fn protected_len(rest: &str) -> Option<usize> {
    let core = rest.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '}', '>', '"', '\'', '”', '’', '»']);
    if core.len() < 4 {
        return None;
    }
    let lower_prefix = |prefix: &str| core.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix));
    if ["http://", "https://", "ftp://", "www."].iter().any(|prefix| lower_prefix(prefix) && core.len() > prefix.len())
    {
        return Some(core.len());
    }
    if let Some(at) = core.find('@') {
        let (user, domain) = (&core[..at], &core[at + 1..]);
        let allowed = |c: char| is_word_char(c) || matches!(c, '.' | '%' | '+' | '-' | '\'');
        let plausible = !user.is_empty()
            && user.chars().all(allowed)
            && domain.contains('.')
            && !domain.ends_with('.')
            && domain.chars().all(|c| is_word_char(c) || matches!(c, '.' | '-'));
        return plausible.then_some(core.len());
    }
    domain_len(core)
}

/// The length of a domain name ("example.com", "news.bbc.co.uk/path") at the start of `core`.
fn domain_len(core: &str) -> Option<usize> {
    let host_end = core.find('/').unwrap_or(core.len());
    let host = &core[..host_end];
    let (name, tld) = host.rsplit_once('.')?;
    if name.is_empty() || name.len() < 2 || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.') {
        return None;
    }
    if name.starts_with('.') || name.ends_with('.') || name.contains("..") {
        return None;
    }
    let known = TOP_LEVEL_DOMAINS.iter().any(|known| known.eq_ignore_ascii_case(tld));
    let one_case = tld.bytes().all(|b| b.is_ascii_lowercase()) || tld.bytes().all(|b| b.is_ascii_uppercase());
    if !known || !one_case {
        return None;
    }
    if host_end < core.len() && !core[host_end..].chars().all(|c| !c.is_whitespace()) {
        return None;
    }
    Some(core.len())
}

/// Scans a word starting at `start` (a word character), splits it at hyphens, units and clitics,
/// appends its tokens to `out`, and returns where the word ends.
fn word(text: &str, start: usize, end: usize, out: &mut Vec<Token>) -> usize {
    let mut q = start;
    let mut previous = char_at(text, q);
    q += previous.len_utf8();
    while q < end {
        let c = char_at(text, q);
        if is_word_char(c) {
            previous = c;
            q += c.len_utf8();
            continue;
        }
        let Some(next) = char_before_end(text, q + c.len_utf8(), end) else { break };
        let joins = match c {
            '.' => is_word_char(next),
            ',' | ':' | '/' => previous.is_ascii_digit() && next.is_ascii_digit(),
            '\'' | '’' => next.is_alphabetic(),
            '`' => previous.is_alphabetic() && matches!(next, 's' | 'S'),
            '-' => is_word_char(next),
            '&' => previous.is_ascii_uppercase() && next.is_ascii_uppercase(),
            _ => false,
        };
        if !joins {
            break;
        }
        previous = next;
        q += c.len_utf8() + next.len_utf8();
    }
    let bytes = text.as_bytes();
    // A period that belongs to an abbreviation or an initial; of two periods ("Inc.."), the first
    // does and the second ends the sentence.
    let periods = bytes[q..end].iter().take_while(|&&b| b == b'.').count();
    if (periods == 1 || periods == 2) && is_abbreviation(&text[start..q]) {
        q += 1;
    }
    split_hyphens(text, start, q, out);
    q
}

/// True when `stem` followed by a period is an abbreviation: listed, a single letter (an
/// initial), or letters separated by periods ("U.S", "e.g", "Ph.D").
pub fn is_abbreviation(stem: &str) -> bool {
    if ABBREVIATIONS.contains(stem) {
        return true;
    }
    let mut chars = stem.chars();
    if let (Some(first), None) = (chars.next(), chars.next()) {
        // "I." ends sentences far more often than it is an initial.
        return first.is_alphabetic() && first != 'I';
    }
    stem.contains('.')
        && stem.split('.').all(|part| (1..=2).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// Splits the word `text[start..end]` at the hyphens that UD English splits, and appends the
/// pieces and hyphens as tokens.
fn split_hyphens(text: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    let word = &text[start..end];
    if !word.contains('-') || word.ends_with('.') && is_abbreviation(&word[..word.len() - 1]) {
        split_units(text, start, end, out);
        return;
    }
    let number_kept = digit_groups_kept(word);
    let mut group_start = start;
    let mut piece_start = start;
    for (offset, _) in word.match_indices('-') {
        let hyphen = start + offset;
        let left = &text[piece_start..hyphen];
        let right_end = text[hyphen + 1..end].find('-').map_or(end, |next| hyphen + 1 + next);
        let right = &text[hyphen + 1..right_end];
        if !hyphen_splits(left, right, number_kept) {
            piece_start = hyphen + 1;
            continue;
        }
        split_units(text, group_start, hyphen, out);
        out.push(Token::whole(hyphen, hyphen + 1));
        group_start = hyphen + 1;
        piece_start = hyphen + 1;
    }
    split_units(text, group_start, end, out);
}

/// For a word of digit groups joined by hyphens, whether it stays one token: telephone numbers
/// ("713-853-3989", "853-3989"), dates ("11-20-2000", "2004-11-17") and ZIP+4 codes do, ranges and scores
/// ("13-17", "1998-2001", "3-2") do not. `false` for any other word.
fn digit_groups_kept(word: &str) -> bool {
    let mut groups = 0;
    let mut first_length = 0;
    let mut lengths = [0usize; 2];
    for group in word.split('-') {
        if group.is_empty() || !group.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        if groups == 0 {
            first_length = group.len();
        }
        groups += 1;
        lengths = [lengths[1], group.len()];
    }
    match groups {
        2 => matches!(lengths, [3, 4] | [5, 4]),
        3.. => lengths[1] >= 4 || first_length == 4,
        _ => false,
    }
}

/// True when a hyphen between `left` and `right` separates two tokens; `number_kept` says
/// whether a word made only of digit groups stays whole.
fn hyphen_splits(left: &str, right: &str, number_kept: bool) -> bool {
    if left.is_empty() || right.is_empty() {
        return false;
    }
    let all_digits = |piece: &str| piece.bytes().all(|b| b.is_ascii_digit());
    if all_digits(left) && all_digits(right) {
        return !number_kept;
    }
    if left.len() <= 8 && left.bytes().all(|b| b.is_ascii_alphabetic()) {
        let mut lower = [0u8; 8];
        for (slot, byte) in lower.iter_mut().zip(left.bytes()) {
            *slot = byte.to_ascii_lowercase();
        }
        let lower = std::str::from_utf8(&lower[..left.len()]).unwrap_or("");
        if HYPHEN_PREFIXES.contains(lower) {
            return false;
        }
    }
    true
}

/// Splits a unit glued to a number ("35mm", "7:30PM"), then clitics, and appends the tokens.
fn split_units(text: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    if start >= end {
        return;
    }
    let word = &text[start..end];
    let bytes = word.as_bytes();
    if bytes[0].is_ascii_digit() {
        let digits = bytes.iter().position(|b| !(b.is_ascii_digit() || matches!(b, b',' | b'.' | b':'))).unwrap_or(0);
        if digits > 0 && bytes[digits - 1].is_ascii_digit() {
            let unit = &word[digits..];
            if UNITS.contains(&unit) {
                out.push(Token::whole(start, start + digits));
                out.push(Token::whole(start + digits, end));
                return;
            }
        }
    }
    out.push(clitic_split(text, start, end));
}

/// The token for `text[start..end]`, cut before a clitic when it ends in one.
fn clitic_split(text: &str, start: usize, end: usize) -> Token {
    let word = &text[start..end];
    let cut = clitic_offset(word).filter(|&offset| offset > 0 && offset < word.len());
    Token { start, end, cut: cut.map(|offset| start + offset) }
}

/// Where the clitic of `word` starts, if it has one.
fn clitic_offset(word: &str) -> Option<usize> {
    let bytes = word.as_bytes();
    let n = bytes.len();
    if n < 2 {
        return None;
    }
    // "n't" with a straight or curly apostrophe.
    let lower_t = bytes[n - 1] | 0x20 == b't';
    if lower_t && n >= 4 && bytes[n - 2] == b'\'' && bytes[n - 3] | 0x20 == b'n' {
        return Some(n - 3);
    }
    if lower_t && n >= 6 && word.ends_with("’t") && bytes[n - 5] | 0x20 == b'n' {
        return Some(n - 5);
    }
    // "'s", "'m", "'d", "'re", "'ve", "'ll".
    for suffix_len in [1usize, 2] {
        if n <= suffix_len {
            break;
        }
        let Some(suffix) = word.get(n - suffix_len..) else { continue };
        let known = if suffix_len == 1 {
            matches!(bytes[n - 1] | 0x20, b's' | b'm' | b'd')
        } else {
            ["re", "ve", "ll"].iter().any(|clitic| clitic.eq_ignore_ascii_case(suffix))
        };
        if !known {
            continue;
        }
        let before = &word[..word.len() - suffix.len()];
        if let Some(apostrophe) = before.chars().next_back().filter(|&c| is_apostrophe(c)) {
            let offset = before.len() - apostrophe.len_utf8();
            return (offset > 0).then_some(offset);
        }
    }
    let lower_after_first = bytes[1..].iter().all(u8::is_ascii_lowercase);
    if n <= 8 && bytes[0].is_ascii_alphabetic() && lower_after_first {
        let mut lower = [0u8; 8];
        for (slot, byte) in lower.iter_mut().zip(bytes) {
            *slot = byte.to_ascii_lowercase();
        }
        let lower = std::str::from_utf8(&lower[..n]).unwrap_or("");
        return BARE_CONTRACTIONS.get(lower).copied();
    }
    None
}

/// Derives the abbreviation list from treebank sentences: forms of letters and periods that end
/// in a period and are written with it more often than split from it. Single letters are left
/// out (every initial keeps its period), and so are capitals without inner periods ("LA."),
/// codes that happened to end a sentence.
pub fn derive_abbreviations(sentences: &[ConlluSentence]) -> Vec<String> {
    let mut attached: FxHashMap<String, usize> = FxHashMap::default();
    let mut split: FxHashMap<String, usize> = FxHashMap::default();
    for sentence in sentences {
        let tokens = sentence.surface_tokens();
        for (index, token) in tokens.iter().enumerate() {
            let form = token.form.as_str();
            if let Some(stem) = form.strip_suffix('.') {
                let letters = stem.chars().filter(|c| c.is_alphabetic()).count();
                let shaped = stem.chars().all(|c| c.is_alphabetic() || c == '.') && !stem.ends_with('.');
                // All-capital forms without inner periods ("LA.") are codes that ended a sentence.
                let code = !stem.contains('.') && stem.chars().all(char::is_uppercase);
                if letters >= 2 && shaped && !code {
                    *attached.entry(form.to_owned()).or_default() += 1;
                }
            }
            if token.no_space_after && tokens.get(index + 1).is_some_and(|next| next.form == ".") {
                *split.entry(format!("{form}.")).or_default() += 1;
            }
        }
    }
    let mut list: Vec<String> = attached
        .into_iter()
        .filter(|(form, count)| *count >= split.get(form).copied().unwrap_or(0))
        .map(|(form, _)| form)
        .collect();
    list.sort();
    list
}

/// Derives the hyphen prefixes from treebank sentences: lower-case letter sequences that stay
/// joined to the next piece by a hyphen at least three times and more often than they are split.
pub fn derive_hyphen_prefixes(sentences: &[ConlluSentence]) -> Vec<String> {
    let mut kept: FxHashMap<String, usize> = FxHashMap::default();
    let mut split: FxHashMap<String, usize> = FxHashMap::default();
    for sentence in sentences {
        let tokens = sentence.surface_tokens();
        for (index, token) in tokens.iter().enumerate() {
            if let Some((left, right)) = token.form.split_once('-') {
                if !left.is_empty() && left.chars().all(|c| c.is_ascii_alphabetic()) && !right.is_empty() {
                    *kept.entry(left.to_ascii_lowercase()).or_default() += 1;
                }
            }
            let glued_hyphen = token.no_space_after
                && token.form.chars().all(|c| c.is_ascii_alphabetic())
                && tokens.get(index + 1).is_some_and(|next| next.form == "-" && next.no_space_after);
            if glued_hyphen {
                *split.entry(token.form.to_ascii_lowercase()).or_default() += 1;
            }
        }
    }
    let mut list: Vec<String> = kept
        .into_iter()
        .filter(|(prefix, count)| *count >= 3 && *count > split.get(prefix).copied().unwrap_or(0))
        .map(|(prefix, _)| prefix)
        .collect();
    list.sort();
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tokenizes `text` and renders the tokens, a clitic split shown as `do|n't`.
    fn check(text: &str, expected: &str) {
        let rendered: Vec<String> = tokenize(text)
            .iter()
            .map(|token| match token.cut {
                Some(cut) => format!("{}|{}", &text[token.start..cut], &text[cut..token.end]),
                None => text[token.start..token.end].to_owned(),
            })
            .collect();
        assert_eq!(rendered.join(" "), expected, "tokenizing {text:?}");
    }

    #[test]
    fn splits_clitics() {
        check("I don't know.", "I do|n't know .");
        check("We won't, can't and cannot go.", "We wo|n't , ca|n't and can|not go .");
        check("I'm sure John's gonna win.", "I|'m sure John|'s gon|na win .");
        check(
            "They’re here and we’ve left; she'd go, you'll see.",
            "They|’re here and we|’ve left ; she|'d go , you|'ll see .",
        );
        check("Don’t dont.", "Do|n’t do|nt .");
    }

    #[test]
    fn keeps_names_with_apostrophes() {
        check("O'Brien met rock'n'roll fans.", "O'Brien met rock'n'roll fans .");
        check("the students' union", "the students ' union");
    }

    #[test]
    fn splits_most_hyphens() {
        check("Al-Zaman reported a 15-year term.", "Al - Zaman reported a 15 - year term .");
        check("Send an e-mail to non-members and co-workers.", "Send an e-mail to non-members and co-workers .");
        check("Call 713-853-3989 on 2004-11-17.", "Call 713-853-3989 on 2004-11-17 .");
        check("It ended 3-2 -- a shock.", "It ended 3 - 2 -- a shock .");
        check("Ages 13-17 in 1990-1995, call 853-3989.", "Ages 13 - 17 in 1990 - 1995 , call 853-3989 .");
        check("a vice-president's counter-attack", "a vice-president|'s counter-attack");
    }

    #[test]
    fn keeps_abbreviations_and_initials() {
        check(
            "Dr. Smith of the U.S. met David C. Kang on Feb. 27.",
            "Dr. Smith of the U.S. met David C. Kang on Feb. 27 .",
        );
        check("Apples, pears, etc. are fruit, e.g. these.", "Apples , pears , etc. are fruit , e.g. these .");
        check("at 7:30PM or 10am on 3G for 10MM", "at 7:30 PM or 10 am on 3G for 10MM");
        check("It is CCNG, Inc.. On", "It is CCNG , Inc. . On");
    }

    #[test]
    fn keeps_numbers() {
        check("It cost $1,000.50 (about 3.5%) on 11/20/2000.", "It cost $ 1,000.50 ( about 3.5 % ) on 11/20/2000 .");
    }

    #[test]
    fn keeps_urls_and_e_mails() {
        check(
            "See http://www.example.com/a-b?c=1. Or (www.bbc.co.uk), mail <jo.smith@enron.com>.",
            "See http://www.example.com/a-b?c=1 . Or ( www.bbc.co.uk ) , mail < jo.smith@enron.com > .",
        );
        check("Visit Liquidweb.com today.", "Visit Liquidweb.com today .");
    }

    #[test]
    fn groups_punctuation_runs() {
        check("Wait... what?! No!!", "Wait ... what ?! No !!");
        check("\"Yes,\" he said.", "\" Yes , \" he said .");
        check("``Hi'' ***", "`` Hi '' ***");
    }

    #[test]
    fn keeps_emoticons() {
        check("great :) see you :-(", "great :) see you :-(");
        check("fun;)", "fun ;)");
    }

    #[test]
    fn handles_odd_text() {
        check("", "");
        check("   \n ", "");
        check("né café—ok", "né café — ok");
        check("'", "'");
    }
}

//! Direct quotes: pairing quotation marks into pieces of quoted text, then finding each
//! piece's attribution after it (`"...," Kim said`), before it (`Kim said: "..."`) or above it
//! in the tree (`Kim said the deal was "a step toward peace"`).

use dateline_doc::TextRange;

use super::{Doc, QUOTE_CHARS, QuoteSpan};

/// Double or single quotation marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Double,
    Single,
}

/// Whether a mark opens, closes, or (a straight `"` between two words or two spaces) may do
/// either.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Open,
    Close,
    Either,
}

/// One quotation mark in the text.
#[derive(Clone, Copy, Debug)]
struct Mark {
    at: usize,
    len: usize,
    kind: Kind,
    role: Role,
    /// A `'` or `’` after an "s" and before a space: as likely a plural possessive as a close.
    possessive: bool,
    /// A straight mark, which toggles.
    straight: bool,
}

/// A stretch of text between quotation marks, within one paragraph.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Piece {
    /// The text inside the marks, trimmed of space and of a final comma.
    pub(crate) content: TextRange,
    /// Byte of the opening mark.
    open: usize,
    /// Byte just after the closing mark; none when the piece runs to its paragraph's end.
    close: Option<usize>,
    /// Pieces of one quote running over several paragraphs share a group.
    group: usize,
    /// What the text inside the marks ends with before trimming (`,` `.` `?`...).
    last: Option<char>,
    /// Number of words inside.
    words: usize,
}

fn opening_context(previous: Option<char>) -> bool {
    previous.is_none_or(|c| c.is_whitespace() || "([{—–-/".contains(c) || QUOTE_CHARS.contains(&c))
}

fn closing_context(next: Option<char>) -> bool {
    next.is_none_or(|c| c.is_whitespace() || ",.;:!?)]}—–-…".contains(c) || QUOTE_CHARS.contains(&c))
}

/// Classifies the character `c` at byte `at` as a quotation mark, if it is one here.
fn classify(text: &str, at: usize, c: char) -> Option<Mark> {
    let len = c.len_utf8();
    let previous = text[..at].chars().next_back();
    let next = text[at + len..].chars().next();
    let solid_before = previous.is_some_and(|p| !p.is_whitespace());
    let solid_after = next.is_some_and(|n| !n.is_whitespace());
    let mark = |kind, role| Some(Mark { at, len, kind, role, possessive: false, straight: c == '"' || c == '\'' });
    match c {
        '“' | '„' | '«' => mark(Kind::Double, Role::Open),
        '”' | '»' => mark(Kind::Double, Role::Close),
        '"' => {
            let left = opening_context(previous) && solid_after;
            let right = solid_before && closing_context(next);
            match (left, right) {
                (true, false) => mark(Kind::Double, Role::Open),
                (false, true) => mark(Kind::Double, Role::Close),
                _ => mark(Kind::Double, Role::Either),
            }
        }
        '‘' | '‚' if opening_context(previous) && solid_after => mark(Kind::Single, Role::Open),
        '’' | '\'' => {
            if c == '\'' && opening_context(previous) && next.is_some_and(char::is_alphabetic) {
                mark(Kind::Single, Role::Open)
            } else if solid_before && closing_context(next) {
                let possessive =
                    previous.is_some_and(|p| p == 's' || p == 'S') && next.is_some_and(char::is_whitespace);
                Some(Mark { possessive, ..mark(Kind::Single, Role::Close)? })
            } else {
                None
            }
        }
        _ => None,
    }
}

/// True when the paragraph at `range` opens with a quotation mark of `kind`.
fn opens_with(text: &str, range: TextRange, kind: Kind) -> bool {
    let first = text[range.start..range.end].trim_start().chars().next();
    match kind {
        Kind::Double => first.is_some_and(|c| matches!(c, '"' | '“' | '„' | '«')),
        Kind::Single => first.is_some_and(|c| matches!(c, '\'' | '‘')),
    }
}

/// The pieces of quoted text of `text`, in text order.
pub(crate) fn pieces(text: &str, paragraphs: &[TextRange]) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut groups = 0;
    let mut carried: Option<usize> = None;
    for (index, paragraph) in paragraphs.iter().enumerate() {
        let marks: Vec<Mark> = text[paragraph.start..paragraph.end]
            .char_indices()
            .filter_map(|(offset, c)| classify(text, paragraph.start + offset, c))
            .collect();
        // The open mark: its kind, byte, content start and group.
        let mut open: Option<(Kind, usize, usize, usize, bool)> = None;
        for (position, mark) in marks.iter().enumerate() {
            match open {
                None => {
                    if mark.role != Role::Close {
                        let group = match carried.take() {
                            Some(group) => group,
                            None => {
                                groups += 1;
                                groups
                            }
                        };
                        open = Some((mark.kind, mark.at, mark.at + mark.len, group, mark.straight));
                    }
                }
                Some((kind, at, start, group, straight)) if kind == mark.kind => {
                    let closes = match mark.role {
                        Role::Close | Role::Either => true,
                        Role::Open => mark.straight && straight,
                    };
                    if closes {
                        let later_close = marks[position + 1..]
                            .iter()
                            .any(|other| other.kind == kind && other.role == Role::Close && !other.possessive);
                        if mark.possessive && later_close {
                            continue;
                        }
                        push(text, &mut pieces, at, start, mark.at, Some(mark.at + mark.len), group);
                        open = None;
                    } else {
                        // A second opening mark: the first was stray.
                        open = Some((kind, mark.at, mark.at + mark.len, group, mark.straight));
                    }
                }
                Some(_) => {}
            }
            carried = None;
        }
        carried = None;
        if let Some((kind, at, start, group, _)) = open {
            let continues = paragraphs.get(index + 1).is_some_and(|next| opens_with(text, *next, kind));
            let before = pieces.len();
            push(text, &mut pieces, at, start, paragraph.end, None, group);
            if continues {
                carried = Some(group);
            } else if pieces.len() > before && pieces[before].words < 4 {
                pieces.truncate(before);
            }
        }
    }
    pieces
}

/// Adds the piece between `start` and `end` unless it holds no word.
fn push(
    text: &str,
    pieces: &mut Vec<Piece>,
    open: usize,
    start: usize,
    end: usize,
    close: Option<usize>,
    group: usize,
) {
    let raw = &text[start..end];
    let last = raw.trim_end().chars().next_back();
    let mut inner = raw.trim();
    if let Some(stripped) = inner.strip_suffix(',') {
        inner = stripped.trim_end();
    }
    let words = inner.split_whitespace().filter(|word| word.chars().any(char::is_alphanumeric)).count();
    if words == 0 {
        return;
    }
    let offset = start + (raw.len() - raw.trim_start().len());
    let content = TextRange { start: offset, end: offset + inner.len() };
    pieces.push(Piece { content, open, close, group, last, words });
}

/// An attribution found for a piece.
#[derive(Clone, Copy)]
struct Attribution {
    cue: usize,
    /// Tight: punctuation joins the quote and its attribution (`"No," he said`, `He said: "No."`).
    tight: bool,
}

/// The speech verb after a piece: `"...," Kim said`, `"...," said Kim`, `"...?" she asked`.
fn after(doc: &Doc, piece: &Piece) -> Option<Attribution> {
    let close = piece.close?;
    if piece.last == Some('.') {
        return None;
    }
    let first = doc.token_from(close)?;
    if doc.paragraph_of(doc.token(first).start) != doc.paragraph_of(piece.content.start) {
        return None;
    }
    let sentence = doc.sentence_range(first);
    let mut tight = matches!(piece.last, Some(',' | '?' | '!' | '—' | '–' | '-' | '…'));
    let mut index = first;
    while index < sentence.end && index < first + 10 {
        let form = doc.token(index).form.as_str();
        if doc.is_quote_mark(index) {
            if index == first {
                index += 1;
                continue;
            }
            break;
        }
        if index == first && form == "," {
            tight = true;
            index += 1;
            continue;
        }
        if matches!(form, "." | ";" | "!" | "?" | ":" | "(" | ")") {
            break;
        }
        if doc.is_speech_verb(index) || doc.is_according(index) {
            return Some(Attribution { cue: index, tight });
        }
        let upos = doc.token(index).upos.as_str();
        if upos == "VERB" || upos == "CCONJ" || upos == "SCONJ" {
            break;
        }
        index += 1;
    }
    None
}

/// The speech verb before a piece: `Kim said: "..."`, `He told reporters "..."`, and the second
/// half of an interrupted quote (`"...," he said, "..."`).
fn before(doc: &Doc, piece: &Piece) -> Option<Attribution> {
    let mark = doc.token_from(piece.open)?;
    let sentence = doc.sentence_range(mark);
    let previous = doc.token_until(piece.open)?;
    if previous < sentence.start || doc.paragraph_of(doc.token(previous).start) != doc.paragraph_of(piece.open) {
        return None;
    }
    let tight = matches!(doc.token(previous).form.as_str(), ":" | ",");
    let mut index = if tight { previous.checked_sub(1)? } else { previous };
    let mut steps = 0;
    while index >= sentence.start && steps < 14 {
        let form = doc.token(index).form.as_str();
        if doc.is_quote_mark(index) || matches!(form, "." | ";" | "!" | "?") {
            break;
        }
        if doc.is_speech_verb(index) || doc.is_according(index) {
            return Some(Attribution { cue: index, tight });
        }
        if index > 0 && doc.is_according(index - 1) {
            return Some(Attribution { cue: index - 1, tight });
        }
        if !tight && (steps >= 4 || doc.token(index).upos == "VERB") {
            break;
        }
        if index == 0 {
            break;
        }
        index -= 1;
        steps += 1;
    }
    None
}

/// A speech verb governing the quote in the tree: `Kim said the deal was "a step toward peace"`.
fn governing(doc: &Doc, piece: &Piece) -> Option<Attribution> {
    let first = doc.token_from(piece.content.start)?;
    let outside = |token: usize| {
        let t = doc.token(token);
        t.end <= piece.content.start || t.start >= piece.content.end
    };
    let mut token = first;
    let mut steps_outside = 0;
    for _ in 0..16 {
        token = doc.head(token)?;
        if outside(token) {
            if doc.is_speech_verb(token) {
                return Some(Attribution { cue: token, tight: false });
            }
            steps_outside += 1;
            if steps_outside >= 3 {
                break;
            }
        }
    }
    None
}

/// The direct quotes of the document, with speakers.
pub(super) fn find(doc: &Doc) -> Vec<QuoteSpan> {
    let mut found: Vec<(Piece, QuoteSpan)> = Vec::new();
    let multi = |group: usize| doc.pieces.iter().filter(|piece| piece.group == group).count() > 1;
    for piece in &doc.pieces {
        let attribution = after(doc, piece)
            .filter(|a| a.tight || piece.words > 3)
            .or_else(|| before(doc, piece).filter(|a| a.tight || piece.words > 3))
            .or_else(|| governing(doc, piece).filter(|_| piece.words > 3));
        let tight = attribution.is_some_and(|a| a.tight);
        if piece.words <= 3 && !tight && !multi(piece.group) {
            continue;
        }
        let mut quote = QuoteSpan { span: piece.content, speaker: None, pronoun: false, cue: None, direct: true };
        if let Some(attribution) = attribution {
            let whole = TextRange { start: piece.open, end: piece.close.unwrap_or(piece.content.end) };
            let (speaker, pronoun) = doc.speaker_of(attribution.cue, Some(whole));
            quote.speaker = speaker;
            quote.pronoun = pronoun;
            quote.cue = Some(attribution.cue);
        }
        found.push((*piece, quote));
    }
    // The pieces of one quote share its attribution.
    for index in 0..found.len() {
        if found[index].1.cue.is_some() {
            continue;
        }
        let group = found[index].0.group;
        let source =
            found.iter().find(|(piece, quote)| piece.group == group && quote.cue.is_some()).map(|(_, q)| q.clone());
        if let Some(source) = source {
            let quote = &mut found[index].1;
            quote.speaker = source.speaker;
            quote.pronoun = source.pronoun;
            quote.cue = source.cue;
        }
    }
    // A quote without attribution: the speaker of the nearest attributed one in its paragraph.
    let attributed: Vec<(usize, TextRange, Option<TextRange>, bool)> = found
        .iter()
        .filter(|(_, quote)| quote.cue.is_some())
        .map(|(_, quote)| (doc.paragraph_of(quote.span.start), quote.span, quote.speaker, quote.pronoun))
        .collect();
    for (_, quote) in found.iter_mut().filter(|(_, quote)| quote.cue.is_none()) {
        let paragraph = doc.paragraph_of(quote.span.start);
        let distance = |span: &TextRange| {
            if span.start >= quote.span.end {
                span.start - quote.span.end
            } else {
                quote.span.start.saturating_sub(span.end)
            }
        };
        if let Some(&(_, _, speaker, pronoun)) =
            attributed.iter().filter(|(p, ..)| *p == paragraph).min_by_key(|(_, span, ..)| distance(span))
        {
            quote.speaker = speaker;
            quote.pronoun = pronoun;
        }
    }
    found.into_iter().map(|(_, quote)| quote).collect()
}

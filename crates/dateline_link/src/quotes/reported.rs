//! Reported speech: the clause a speech verb reports (`Kim said (that) CLAUSE`, `CLAUSE, Kim
//! said.`) and the clause beside `according to X`.

use dateline_doc::TextRange;

use super::{Doc, QuoteSpan};

/// The reported speech of the document, leaving out what direct quotes already cover.
pub(super) fn find(doc: &Doc, direct: &[QuoteSpan]) -> Vec<QuoteSpan> {
    let mut found = Vec::new();
    for token in 0..doc.tokens().len() {
        let at = doc.token(token).start;
        if doc.pieces.iter().any(|piece| at >= piece.content.start && at < piece.content.end) {
            continue;
        }
        // The clause, and whether it must show a verb (all but one opened by "that").
        let clause = if doc.is_according(token) {
            according(doc, token).map(|range| (range, true))
        } else if doc.is_speech_verb(token) {
            final_attribution(doc, token)
                .or_else(|| complement(doc, token))
                .map(|range| (range, true))
                .or_else(|| that_clause(doc, token).map(|range| (range, false)))
                .or_else(|| bare_clause(doc, token).map(|range| (range, true)))
        } else {
            None
        };
        let Some(((first, last), needs_verb)) =
            clause.and_then(|((first, last), needs_verb)| Some((trim_clause(doc, first, last)?, needs_verb)))
        else {
            continue;
        };
        let verb = (first..=last).any(|t| matches!(doc.token(t).upos.as_str(), "VERB" | "AUX"));
        if (needs_verb && !verb) || last == first {
            continue;
        }
        let span = doc.span(first, last);
        if !clear_of_direct(doc.text, span, direct) {
            continue;
        }
        let (speaker, pronoun) = doc.speaker_of(token, Some(span));
        found.push(QuoteSpan { span, speaker, pronoun, cue: Some(token), direct: false });
    }
    found
}

/// False when the clause cuts a direct quote or holds nothing but direct quotes.
fn clear_of_direct(text: &str, span: TextRange, direct: &[QuoteSpan]) -> bool {
    let mut outside = String::new();
    let mut at = span.start;
    for quote in direct.iter().filter(|quote| quote.span.start < span.end && quote.span.end > span.start) {
        if quote.span.start < span.start || quote.span.end > span.end {
            return false;
        }
        outside.push_str(&text[at.min(quote.span.start)..quote.span.start]);
        at = at.max(quote.span.end);
    }
    outside.push_str(&text[at.min(span.end)..span.end]);
    outside.split_whitespace().any(|word| word.chars().any(char::is_alphanumeric))
}

/// Tokens `first..=last` without punctuation at either end or a leading complementizer.
fn trim_clause(doc: &Doc, mut first: usize, mut last: usize) -> Option<(usize, usize)> {
    loop {
        if first > last {
            return None;
        }
        let t = doc.token(first);
        let complementizer = t.form.eq_ignore_ascii_case("that") && (t.deprel == "mark" || t.upos == "SCONJ");
        if doc.is_punct(first) || complementizer {
            first += 1;
        } else {
            break;
        }
    }
    while last > first && doc.is_punct(last) {
        // A closing quote mark stays when its opening mark is inside the clause.
        let marks = (first..=last).filter(|&t| doc.is_quote_mark(t)).count();
        if doc.is_quote_mark(last) && marks % 2 == 0 {
            break;
        }
        last -= 1;
    }
    Some((first, last))
}

/// The last token of the sentence of `token` that is not final punctuation or a quote mark.
fn sentence_last_word(doc: &Doc, token: usize) -> usize {
    let sentence = doc.sentence_range(token);
    let mut last = sentence.end.saturating_sub(1).max(sentence.start);
    while last > token && doc.is_punct(last) {
        last -= 1;
    }
    last
}

/// `CLAUSE, Kim said (on Tuesday).` and `CLAUSE, said Kim.`: the clause before the comma.
fn final_attribution(doc: &Doc, verb: usize) -> Option<(usize, usize)> {
    let sentence = doc.sentence_range(verb);
    let last = sentence_last_word(doc, verb);
    for after in verb + 1..=last.max(verb) {
        if after > last {
            break;
        }
        let t = doc.token(after);
        if matches!(t.upos.as_str(), "VERB" | "AUX" | "SCONJ") || t.form.eq_ignore_ascii_case("that") {
            return None;
        }
    }
    let mut index = verb;
    while index > sentence.start {
        index -= 1;
        let t = doc.token(index);
        if t.form == "," {
            break;
        }
        if index == sentence.start
            || doc.is_punct(index)
            || matches!(t.upos.as_str(), "VERB" | "SCONJ" | "CCONJ")
            || verb - index > 10
        {
            return None;
        }
    }
    let comma = index;
    if comma < sentence.start + 2 || doc.token(comma).form != "," {
        return None;
    }
    Some((sentence.start, comma - 1))
}

/// The clausal complement of the verb in the tree.
fn complement(doc: &Doc, verb: usize) -> Option<(usize, usize)> {
    let sentence = doc.sentence_range(verb);
    let colon = verb + 1 < sentence.end && doc.token(verb + 1).form == ":";
    let head = doc.children[verb]
        .iter()
        .copied()
        .filter(|&child| {
            let relation = doc.token(child).deprel.as_str();
            relation == "ccomp" || (colon && relation == "parataxis" && child > verb)
        })
        .filter(|&child| clause_like(doc, child))
        .max_by_key(|&child| child > verb)?;
    let mut member = vec![false; sentence.len()];
    let mut stack = vec![head];
    let mut steps = 0;
    while let Some(token) = stack.pop() {
        steps += 1;
        if steps > 400 || !sentence.contains(&token) || member[token - sentence.start] {
            continue;
        }
        member[token - sentence.start] = true;
        stack.extend(doc.children[token].iter().copied());
    }
    let inside = |token: usize| sentence.contains(&token) && member[token - sentence.start];
    let (mut first, mut last) = (head, head);
    while first > sentence.start && inside(first - 1) {
        first -= 1;
    }
    while last + 1 < sentence.end && inside(last + 1) {
        last += 1;
    }
    if head > verb {
        first = first.max(verb + 1);
        // "acknowledged that customer data had been stolen" with "that" misread as a
        // determiner: the clause starts after the "that" the verb governs.
        if let Some(that) = (verb + 1..first.min(verb + 8)).rev().find(|&t| doc.lower(t) == "that") {
            if (verb + 1..that).all(|t| !matches!(doc.token(t).upos.as_str(), "VERB" | "AUX")) {
                first = that + 1;
            }
        }
    } else if last >= verb {
        return None;
    }
    Some((first, last))
}

/// True when `head` heads a clause with a nominal subject or a complementizer: not "said
/// goodbye to the old town as demolition began" misread as a complement.
fn clause_like(doc: &Doc, head: usize) -> bool {
    doc.children[head].iter().any(|&child| {
        let t = doc.token(child);
        (t.deprel.starts_with("nsubj") && matches!(t.upos.as_str(), "NOUN" | "PROPN" | "PRON" | "NUM" | "DET" | "X"))
            || t.deprel == "expl"
            || t.deprel == "csubj"
            || (t.deprel == "mark" && matches!(doc.lower(child).as_str(), "that" | "whether" | "if"))
    })
}

/// Without a tree complement: `told reporters on Tuesday that CLAUSE` read off the surface.
fn that_clause(doc: &Doc, verb: usize) -> Option<(usize, usize)> {
    let sentence = doc.sentence_range(verb);
    let mut index = verb + 1;
    while index < sentence.end && index <= verb + 7 {
        let t = doc.token(index);
        if t.form.eq_ignore_ascii_case("that") {
            return (index + 1 < sentence.end).then(|| (index + 1, sentence.end - 1));
        }
        if matches!(t.upos.as_str(), "VERB" | "AUX") || doc.is_punct(index) {
            return None;
        }
        index += 1;
    }
    None
}

/// `According to X, CLAUSE.` and `CLAUSE, according to X.`
fn according(doc: &Doc, according: usize) -> Option<(usize, usize)> {
    let sentence = doc.sentence_range(according);
    let (_, object_last) = doc.according_object(according)?;
    let first_word = (sentence.start..sentence.end).find(|&t| !doc.is_punct(t))?;
    let last = sentence_last_word(doc, according);
    if according == first_word {
        let comma = object_last + 1;
        if comma >= sentence.end || doc.token(comma).form != "," || comma + 1 > last {
            return None;
        }
        Some((comma + 1, sentence.end - 1))
    } else if object_last >= last && according > sentence.start {
        Some((sentence.start, according - 1))
    } else {
        None
    }
}

/// Without a tree complement or "that": `said the leaders were ...`, a short noun phrase right
/// after "say" followed by a finite verb, read off the surface.
fn bare_clause(doc: &Doc, verb: usize) -> Option<(usize, usize)> {
    if doc.token(verb).lemma != "say" {
        return None;
    }
    let sentence = doc.sentence_range(verb);
    let first = verb + 1;
    let mut next = first;
    while next < sentence.end && next < first + 6 && doc.is_nominal(next) {
        next += 1;
    }
    if next == first || next >= sentence.end {
        return None;
    }
    let t = doc.token(next);
    let finite = matches!(t.xpos.as_str(), "VBD" | "VBZ" | "VBP" | "MD");
    (finite && matches!(t.upos.as_str(), "VERB" | "AUX")).then(|| (first, sentence.end - 1))
}

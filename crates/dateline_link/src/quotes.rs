//! Quotes and reported speech with their speakers.
//!
//! [`find_quotes`] finds two kinds of statement in an analysed text:
//!
//! - **Direct quotes**, between quotation marks: straight `"`, typographic `“ ”`, guillemets
//!   `« »`, and single `‘ ’` / `'` marks where they clearly open and close a quotation (an
//!   apostrophe inside a word or after a plural never does). A quote may run over several
//!   sentences, and over paragraphs by the news convention: a paragraph left without a closing
//!   mark whose next paragraph opens with a mark goes on there. Each paragraph's piece is its own
//!   span (spans never cross a paragraph break) and all pieces share one speaker. A quote
//!   interrupted by its attribution (`"We will not back down," he said, "and we will win."`) is
//!   likewise two spans with the same speaker and cue. The span is the text inside the marks,
//!   without the comma that joins it to a following attribution. A short phrase of one to three
//!   words in marks that is not tightly attributed (`the so-called "axis of evil"`, `the film
//!   "Parasite"`) is a scare quote or a title and is left out.
//! - **Reported speech**: the clause of a speech verb (`said (that)`, `told reporters that`,
//!   `warned that`...; the verbs are matched by lemma), the clause before a final attribution
//!   (`The talks failed, the minister said.`) and the clause beside `according to X`.
//!
//! The speaker is the subject of the speech verb expanded to its noun phrase (compounds,
//! modifiers, `a source close to the talks`, appositions; not relative clauses), or the object
//! of `according to`. The parser is right about 85% of the time, so every tree rule has a
//! surface fallback: the run of nominal words before or after the verb. A pronoun speaker (`he
//! said`) is replaced by its antecedent, the nearest preceding person entity outside quotes in
//! the same or the three previous sentences, with [`QuoteSpan::pronoun`] set (the speaker is
//! `None` when there is no such entity). A direct quote without an attribution of its own takes
//! the speaker of the nearest attributed direct quote in its paragraph.

mod direct;
mod eval;
mod reported;

use dateline_doc::{Analysis, EntityType, TextRange, Token};

pub use eval::{QuoteScore, evaluate};

/// A quote or reported statement found in the text, before speaker resolution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuoteSpan {
    /// What was said: for a direct quote the text inside the marks; for reported speech the
    /// clause reported.
    pub span: TextRange,
    /// The speaker's mention as written ("Kim", "a diplomatic source", "the ministry"), when
    /// found; for a pronoun speaker ("he said") the span of its antecedent, the nearest preceding
    /// person entity in the same or previous three sentences, with `pronoun` set.
    pub speaker: Option<TextRange>,
    /// True when the text names the speaker by a pronoun and `speaker` is its antecedent.
    pub pronoun: bool,
    /// Index into [`Analysis::tokens`] of the speech verb ("said", "told") or of "according"
    /// in "according to", when there is one.
    pub cue: Option<usize>,
    /// True for a quote in quotation marks, false for reported speech.
    pub direct: bool,
}

/// Finds the direct quotes and reported speech of `text`, sorted by span start, with their
/// speakers where the text gives them. `analysis` must be the analysis of `text`; an
/// inconsistent one yields fewer results, never a panic.
pub fn find_quotes(text: &str, analysis: &Analysis) -> Vec<QuoteSpan> {
    let doc = Doc::new(text, analysis);
    let mut quotes = direct::find(&doc);
    let reported = reported::find(&doc, &quotes);
    quotes.extend(reported);
    quotes.retain(|quote| doc.valid(quote.span) && quote.speaker.is_none_or(|speaker| doc.valid(speaker)));
    quotes.sort_by_key(|quote| (quote.span.start, quote.span.end));
    quotes.dedup_by(|later, earlier| later.span == earlier.span);
    quotes
}

/// Lemmas of the verbs that report speech.
const SPEECH_VERBS: &[&str] = &[
    "say",
    "tell",
    "announce",
    "state",
    "warn",
    "claim",
    "insist",
    "add",
    "note",
    "deny",
    "confirm",
    "report",
    "explain",
    "argue",
    "stress",
    "declare",
    "acknowledge",
    "reveal",
    "suggest",
    "predict",
    "vow",
    "pledge",
    "promise",
    "threaten",
    "urge",
    "accuse",
    "assert",
    "allege",
    "admit",
    "caution",
    "comment",
    "complain",
    "concede",
    "contend",
    "disclose",
    "emphasise",
    "emphasize",
    "estimate",
    "indicate",
    "inform",
    "maintain",
    "mention",
    "reiterate",
    "remark",
    "reply",
    "respond",
    "retort",
    "tweet",
    "write",
    "ask",
    "assure",
    "boast",
    "counter",
    "demand",
    "observe",
    "recall",
    "underline",
    "underscore",
    "agree",
    "signal",
    "testify",
    "quip",
    "shout",
    "chant",
    "scream",
    "conclude",
];

/// Written forms of the commonest speech verbs, for when the lemmatizer or tagger errs.
const SPEECH_FORMS: &[&str] = &["said", "says", "saying", "told", "tells", "telling"];

/// Characters that mark quotations.
const QUOTE_CHARS: &[char] = &['"', '“', '”', '‘', '’', '\'', '«', '»', '„', '‚'];

/// A text with its analysis and the indexes the rules need.
pub(crate) struct Doc<'a> {
    /// The text.
    text: &'a str,
    /// Its analysis.
    analysis: &'a Analysis,
    /// Paragraph spans: the text between blank lines.
    paragraphs: Vec<TextRange>,
    /// For each token, the index of its sentence.
    sentence_of: Vec<usize>,
    /// For each token, its dependents, as token indexes.
    children: Vec<Vec<usize>>,
    /// The pieces of text between quotation marks.
    pieces: Vec<direct::Piece>,
}

impl<'a> Doc<'a> {
    fn new(text: &'a str, analysis: &'a Analysis) -> Doc<'a> {
        let n = analysis.tokens.len();
        let mut sentence_of = vec![usize::MAX; n];
        for (index, sentence) in analysis.sentences.iter().enumerate() {
            let end = sentence.first_token.saturating_add(sentence.n_tokens).min(n);
            for slot in sentence_of.iter_mut().take(end).skip(sentence.first_token) {
                *slot = index;
            }
        }
        let paragraphs = paragraphs(text);
        let pieces = direct::pieces(text, &paragraphs);
        let mut doc = Doc { text, analysis, paragraphs, sentence_of, children: vec![Vec::new(); n], pieces };
        for token in 0..n {
            if let Some(head) = doc.head(token) {
                doc.children[head].push(token);
            }
        }
        doc
    }

    /// True when `range` lies in the text on char boundaries.
    fn valid(&self, range: TextRange) -> bool {
        range.start < range.end
            && range.end <= self.text.len()
            && self.text.is_char_boundary(range.start)
            && self.text.is_char_boundary(range.end)
    }

    fn tokens(&self) -> &'a [Token] {
        &self.analysis.tokens
    }

    fn token(&self, index: usize) -> &'a Token {
        &self.analysis.tokens[index]
    }

    /// The token range of the sentence of `token`.
    fn sentence_range(&self, token: usize) -> std::ops::Range<usize> {
        match self.sentence_of.get(token).and_then(|&s| self.analysis.sentences.get(s)) {
            Some(sentence) => {
                sentence.first_token..sentence.first_token.saturating_add(sentence.n_tokens).min(self.tokens().len())
            }
            None => token..token + 1,
        }
    }

    fn same_sentence(&self, a: usize, b: usize) -> bool {
        self.sentence_of.get(a).is_some_and(|&s| s != usize::MAX && self.sentence_of.get(b) == Some(&s))
    }

    /// The head of `token` as a token index, none for the root.
    fn head(&self, token: usize) -> Option<usize> {
        let head = self.tokens().get(token)?.head as usize;
        if head == 0 {
            return None;
        }
        let first = self.sentence_range(token).start;
        let index = first + head - 1;
        (index < self.tokens().len() && index != token && self.same_sentence(index, token)).then_some(index)
    }

    /// The first token starting at or after byte `at`.
    fn token_from(&self, at: usize) -> Option<usize> {
        let index = self.tokens().partition_point(|token| token.start < at);
        (index < self.tokens().len()).then_some(index)
    }

    /// The last token ending at or before byte `at`.
    fn token_until(&self, at: usize) -> Option<usize> {
        self.tokens().partition_point(|token| token.end <= at).checked_sub(1)
    }

    /// The index of the paragraph holding byte `at`.
    fn paragraph_of(&self, at: usize) -> usize {
        self.paragraphs.partition_point(|paragraph| paragraph.end < at).min(self.paragraphs.len().saturating_sub(1))
    }

    /// The byte span of tokens `first..=last`.
    fn span(&self, first: usize, last: usize) -> TextRange {
        TextRange { start: self.token(first).start, end: self.token(last).end.max(self.token(first).start) }
    }

    fn lower(&self, token: usize) -> String {
        self.token(token).form.to_lowercase()
    }

    fn is_speech_verb(&self, token: usize) -> bool {
        let t = self.token(token);
        let form = t.form.to_lowercase();
        if SPEECH_FORMS.contains(&form.as_str()) {
            return t.upos != "NOUN" && t.upos != "PROPN";
        }
        if t.upos != "VERB" {
            return false;
        }
        if SPEECH_VERBS.contains(&t.lemma.to_lowercase().as_str()) {
            return true;
        }
        // The lemmatizer errs now and then ("shouted" → "shoute"): the regular stems of the form.
        ["ed", "d", "s", "es", "ing"]
            .iter()
            .any(|suffix| form.strip_suffix(suffix).is_some_and(|stem| stem.len() > 2 && SPEECH_VERBS.contains(&stem)))
    }

    /// True for "according" in "according to".
    fn is_according(&self, token: usize) -> bool {
        self.lower(token) == "according" && token + 1 < self.tokens().len() && self.lower(token + 1) == "to"
    }

    /// True for a quotation mark; not for the apostrophe of a plural possessive ("workers '").
    fn is_quote_mark(&self, token: usize) -> bool {
        let t = self.token(token);
        !t.form.is_empty() && t.form.chars().all(|c| QUOTE_CHARS.contains(&c)) && t.deprel != "case"
    }

    fn is_punct(&self, token: usize) -> bool {
        let t = self.token(token);
        t.upos == "PUNCT" || (!t.form.is_empty() && t.form.chars().all(|c| !c.is_alphanumeric()))
    }

    /// True for a word that can be part of a noun phrase naming a speaker.
    fn is_nominal(&self, token: usize) -> bool {
        let t = self.token(token);
        matches!(t.upos.as_str(), "DET" | "ADJ" | "NOUN" | "PROPN" | "NUM" | "PRON") || t.form == "'s" || t.form == "’s"
    }

    /// The nominal-phrase speaker of speech verb `cue`: its subject by the tree, else the run
    /// of nominal words before it, else (in "said Kim") after it. Tokens inside `exclude` (the
    /// quote itself) never count. Returns the speaker's range and whether it was a pronoun.
    fn speaker_of(&self, cue: usize, exclude: Option<TextRange>) -> (Option<TextRange>, bool) {
        if self.is_according(cue) {
            return self.resolve(self.according_object(cue));
        }
        let inside = |token: usize| {
            exclude.is_some_and(|range| self.token(token).start < range.end && self.token(token).end > range.start)
        };
        let mut verb = cue;
        for _ in 0..3 {
            let subject = self.children[verb]
                .iter()
                .copied()
                .find(|&child| self.token(child).deprel == "nsubj" && !inside(child));
            if let Some(subject) = subject {
                let lower = self.lower(subject);
                if matches!(lower.as_str(), "who" | "that" | "which") {
                    // "a source who said": the relative clause's noun.
                    if let Some(noun) = self.head(verb).filter(|_| self.token(verb).deprel.starts_with("acl")) {
                        return self.resolve(self.noun_phrase(noun));
                    }
                    break;
                }
                if lower == "it" || lower == "there" {
                    return (None, false);
                }
                let phrase = self.noun_phrase(subject).map(|(mut first, last)| {
                    // An adjective misread as the subject ("two diplomats familiar with the
                    // talks said"): the nouns before it belong to the phrase.
                    if !matches!(self.token(subject).upos.as_str(), "NOUN" | "PROPN" | "PRON" | "NUM") {
                        let start = self.sentence_range(first).start;
                        while first > start && self.is_nominal(first - 1) {
                            first -= 1;
                        }
                    }
                    if first > cue { (first, self.trailing_modifier(last)) } else { (first, last) }
                });
                return self.resolve(phrase);
            }
            // "..., adding that", "and said": the subject of the verb it hangs from.
            let relation = self.token(verb).deprel.as_str();
            match self.head(verb) {
                Some(head)
                    if matches!(relation, "advcl" | "xcomp" | "conj")
                        && self.token(head).upos == "VERB"
                        && !inside(head) =>
                {
                    verb = head
                }
                _ => break,
            }
        }
        if let Some(range) = self.nominal_run_before(cue).filter(|&(first, _)| !inside(first)) {
            return self.resolve(Some(range));
        }
        if let Some((first, last)) = self.nominal_run_after(cue).filter(|&(first, _)| !inside(first)) {
            return self.resolve(Some((first, self.trailing_modifier(last))));
        }
        (None, false)
    }

    /// The run of nominal words right before `cue` in its sentence (skipping adverbs and
    /// auxiliaries: "Kim also said", "the ministry has said").
    fn nominal_run_before(&self, cue: usize) -> Option<(usize, usize)> {
        let sentence = self.sentence_range(cue);
        let mut last = cue;
        while last > sentence.start {
            let t = self.token(last - 1);
            if matches!(t.upos.as_str(), "ADV" | "AUX") && !self.is_nominal(last - 1) {
                last -= 1;
            } else {
                break;
            }
        }
        if last == sentence.start || !self.is_nominal(last - 1) {
            return None;
        }
        let last = last - 1;
        let mut first = last;
        while first > sentence.start {
            let previous = first - 1;
            if self.is_nominal(previous) {
                first = previous;
            } else if self.lower(previous) == "of" && previous > sentence.start && self.is_nominal(previous - 1) {
                first = previous - 1;
            } else {
                break;
            }
        }
        Some((first, last))
    }

    /// The run of nominal words right after `cue` ("said Kim", "said a spokesman for the
    /// ministry"), stopping before time words.
    fn nominal_run_after(&self, cue: usize) -> Option<(usize, usize)> {
        let sentence = self.sentence_range(cue);
        let first = cue + 1;
        if first >= sentence.end || !self.is_nominal(first) || self.is_time_word(first) {
            return None;
        }
        let mut last = first;
        while last + 1 < sentence.end {
            let next = last + 1;
            if self.is_nominal(next) && !self.is_time_word(next) {
                last = next;
            } else if matches!(self.lower(next).as_str(), "of" | "for")
                && next + 1 < sentence.end
                && self.is_nominal(next + 1)
                && !self.is_time_word(next + 1)
            {
                last = next + 1;
            } else {
                break;
            }
        }
        Some((first, last))
    }

    /// After an inverted subject ("said a commander in the region."), the prepositional phrase
    /// that ends the sentence or clause belongs to the subject, whatever the tree says: the last
    /// token of the phrase that runs from `last`.
    fn trailing_modifier(&self, last: usize) -> usize {
        let sentence = self.sentence_range(last);
        let preposition = last + 1;
        if preposition + 1 >= sentence.end
            || !matches!(
                self.lower(preposition).as_str(),
                "in" | "of" | "for" | "from" | "at" | "with" | "close" | "to"
            )
        {
            return last;
        }
        let mut end = preposition;
        while end + 1 < sentence.end && self.is_nominal(end + 1) && !self.is_time_word(end + 1) {
            end += 1;
        }
        let closes = end + 1 >= sentence.end || self.is_punct(end + 1);
        if end > preposition && closes { end } else { last }
    }

    fn is_time_word(&self, token: usize) -> bool {
        let lower = self.lower(token);
        dateline_doc::WEEKDAYS.contains(&lower.as_str())
            || matches!(
                lower.as_str(),
                "today" | "yesterday" | "tonight" | "earlier" | "later" | "last" | "this" | "on" | "in" | "at"
            )
    }

    /// The object of "according to" at `according`: the words after "to" up to punctuation
    /// or a verb, without a trailing relative pronoun.
    fn according_object(&self, according: usize) -> Option<(usize, usize)> {
        let sentence = self.sentence_range(according);
        let first = according + 2;
        if first >= sentence.end {
            return None;
        }
        let mut last = None;
        let mut index = first;
        while index < sentence.end && index < first + 14 {
            let t = self.token(index);
            if self.is_punct(index) || matches!(t.upos.as_str(), "VERB" | "AUX") {
                break;
            }
            last = Some(index);
            index += 1;
        }
        let mut last = last?;
        while last > first && matches!(self.lower(last).as_str(), "who" | "which" | "that" | "whom") {
            last -= 1;
        }
        Some((first, last))
    }

    /// The noun phrase of `head`: its contiguous subtree without relative or other clauses,
    /// trimmed of punctuation and quote marks.
    fn noun_phrase(&self, head: usize) -> Option<(usize, usize)> {
        let sentence = self.sentence_range(head);
        let mut inside = vec![false; sentence.len()];
        let mut stack = vec![head];
        let mut seen = 0;
        while let Some(token) = stack.pop() {
            seen += 1;
            if seen > 200 || !sentence.contains(&token) || inside[token - sentence.start] {
                continue;
            }
            inside[token - sentence.start] = true;
            for &child in &self.children[token] {
                let relation = self.token(child).deprel.as_str();
                // A participle set off by commas ("The minister, speaking to reporters, said").
                let aside = relation == "acl" && child > 0 && self.token(child - 1).form == ",";
                if !aside
                    && !matches!(
                        relation,
                        "acl:relcl"
                            | "parataxis"
                            | "ccomp"
                            | "advcl"
                            | "csubj"
                            | "xcomp"
                            | "dep"
                            | "discourse"
                            | "vocative"
                    )
                    && !self.is_quote_mark(child)
                {
                    stack.push(child);
                }
            }
        }
        let member = |token: usize| sentence.contains(&token) && inside[token - sentence.start];
        let (mut first, mut last) = (head, head);
        while first > sentence.start && member(first - 1) {
            first -= 1;
        }
        while last + 1 < sentence.end && member(last + 1) {
            last += 1;
        }
        // A parse that makes the phrase absurdly long: keep the words next to the head.
        if last - first > 14 {
            first = head;
            while first > sentence.start && self.is_nominal(first - 1) && head - first < 5 {
                first -= 1;
            }
            last = head;
        }
        self.trim(first, last)
    }

    /// Tokens `first..=last` without punctuation, quote marks or conjunctions at either end.
    fn trim(&self, mut first: usize, mut last: usize) -> Option<(usize, usize)> {
        let loose = |token: usize| self.is_punct(token) || matches!(self.token(token).upos.as_str(), "CCONJ" | "ADP");
        while first <= last && loose(first) {
            first += 1;
        }
        while last > first && loose(last) {
            last -= 1;
        }
        (first <= last && !loose(first)).then_some((first, last))
    }

    /// The speaker range of tokens `first..=last`, widened to the entities it cuts, or the
    /// antecedent of a pronoun.
    fn resolve(&self, phrase: Option<(usize, usize)>) -> (Option<TextRange>, bool) {
        let Some((first, last)) = phrase else { return (None, false) };
        if first == last && self.token(first).upos == "PRON" {
            let lower = self.lower(first);
            if matches!(lower.as_str(), "he" | "she" | "they") {
                return (self.antecedent(first, lower == "they"), true);
            }
        }
        let mut range = self.span(first, last);
        for entity in &self.analysis.entities {
            if entity.start < range.end && entity.end > range.start && entity.end <= self.text.len() {
                range.start = range.start.min(entity.start);
                range.end = range.end.max(entity.end);
            }
        }
        (Some(self.whole_words(range)), false)
    }

    /// `range` widened to the end of its last word: an entity cut at a hyphen ("Moon Jae" of
    /// "Moon Jae-in") gets its whole name.
    fn whole_words(&self, mut range: TextRange) -> TextRange {
        let bytes = self.text.as_bytes();
        while range.end + 1 < bytes.len() && bytes[range.end] == b'-' && bytes[range.end + 1].is_ascii_alphanumeric() {
            range.end += 1;
            while range.end < bytes.len() && bytes[range.end].is_ascii_alphanumeric() {
                range.end += 1;
            }
        }
        range
    }

    /// The nearest person entity before `pronoun` in its sentence or the three before, not
    /// inside quotation marks; for "they" an organisation also serves.
    fn antecedent(&self, pronoun: usize, plural: bool) -> Option<TextRange> {
        let sentence = *self.sentence_of.get(pronoun)?;
        let earliest = self.analysis.sentences.get(sentence.saturating_sub(3))?.start;
        let at = self.token(pronoun).start;
        self.analysis
            .entities
            .iter()
            .rev()
            .filter(|entity| entity.end <= at && entity.start >= earliest)
            .filter(|entity| entity.kind == EntityType::Person || (plural && entity.kind == EntityType::Organization))
            .find(|entity| {
                !self.pieces.iter().any(|piece| entity.start >= piece.content.start && entity.end <= piece.content.end)
            })
            .map(|entity| self.whole_words(TextRange { start: entity.start, end: entity.end }))
    }
}

/// The paragraphs of `text`: the spans between blank lines, without their surrounding space.
fn paragraphs(text: &str) -> Vec<TextRange> {
    let mut paragraphs = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'\n' {
            // A blank line: a newline, optional spaces, another newline.
            let mut next = index + 1;
            while next < bytes.len() && (bytes[next] == b' ' || bytes[next] == b'\t' || bytes[next] == b'\r') {
                next += 1;
            }
            if next < bytes.len() && bytes[next] == b'\n' {
                paragraphs.push(TextRange { start, end: index });
                while next < bytes.len() && bytes[next].is_ascii_whitespace() {
                    next += 1;
                }
                start = next;
                index = next;
                continue;
            }
        }
        index += 1;
    }
    paragraphs.push(TextRange { start, end: bytes.len() });
    paragraphs
}

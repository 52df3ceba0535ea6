//! Reading PETRARCH verb dictionaries (`CAMEO.2.0.txt`, `PETR_Validate_verbs_*.txt`) into a
//! [`VerbDictionary`]: synonym sets, verb blocks with their verbs and patterns. Malformed lines
//! are skipped with a [`DictWarning`] naming `file:line`.

use std::fmt;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::ontology::Ontology;

/// A problem met while reading a dictionary, with where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DictWarning {
    /// The file's name as given to the reader.
    pub file: Arc<str>,
    /// 1-based line number (0 when the problem is not on one line).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for DictWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file, self.line, self.message)
    }
}

/// An event code as a dictionary gives it: `[042:043]` codes the source→target event as 042
/// and the target→source one as 043; `[:173]` codes only the reverse; `[---]` codes nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Code {
    /// Code of the event from source to target.
    pub forward: Option<String>,
    /// Code of the event from target back to source.
    pub reverse: Option<String>,
}

impl Code {
    /// True for `[---]`: the entry says "do not code".
    pub fn is_null(&self) -> bool {
        self.forward.is_none() && self.reverse.is_none()
    }
}

/// One word of a pattern or synonym set, upper case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WordSpec {
    /// The word.
    pub text: String,
    /// Written with a trailing `_`: only this form matches (no lemma, no plural).
    pub exact: bool,
}

/// An element of a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Elem {
    /// A word, matched by form or lemma.
    Word(WordSpec),
    /// `A_B`: adjacent words, in order.
    Phrase(Vec<Elem>),
    /// `{A B}`: words of one noun phrase, in order; the phrase's modifiers may stand between
    /// them ("new global economic relations" matches `{NEW &TIETYPES RELATIONS}`).
    Group(Vec<Elem>),
    /// `(P ...)`: a prepositional phrase headed by its first element.
    Prep(Vec<Elem>),
    /// `&NAME`: any member of a synonym set.
    Synset(String),
    /// `$`: where the source actor is.
    Source,
    /// `+`: where the target actor is.
    Target,
    /// `^`: skips the next actor, if there is one ("TABASKI ^ $": the source is the actor after
    /// the next one). It says nothing: it weighs nothing.
    Skip,
}

impl Elem {
    /// How much this element says: patterns that say more win.
    pub fn weight(&self) -> usize {
        match self {
            Elem::Word(_) | Elem::Synset(_) | Elem::Source | Elem::Target => 1,
            Elem::Skip => 0,
            Elem::Phrase(items) | Elem::Group(items) | Elem::Prep(items) => {
                items.iter().map(Elem::weight).sum::<usize>() + 1
            }
        }
    }
}

/// A pattern line of a verb block: `- BEFORE * AFTER [code] # comment`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    /// Elements before the verb (`*`), in text order.
    pub before: Vec<Elem>,
    /// Elements after the verb, in text order.
    pub after: Vec<Elem>,
    /// `%`: the subject is a compound whose members act on each other.
    pub compound: bool,
    /// The code.
    pub code: Code,
    /// Where the line is: `file:line`.
    pub rule: Arc<str>,
    /// How much the pattern says (elements matched); the heaviest matching pattern wins.
    pub weight: usize,
}

/// A verb block: `--- NAME [code] ---`, its verbs and its patterns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// The block's name.
    pub name: String,
    /// The default code of the block.
    pub code: Code,
    /// The patterns, in file order.
    pub patterns: Vec<Pattern>,
}

/// A verb of a block: one word (`RESTORE`), or several with the verb marked by `+`
/// (`+BREAK_DOWN`, `WIRE_+TAP`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerbEntry {
    /// Index of its block.
    pub block: usize,
    /// The words, upper case.
    pub words: Vec<String>,
    /// Which word is the verb.
    pub verb: usize,
    /// True for the line's base word (matched by lemma too); false for a listed irregular form.
    pub base: bool,
    /// The code the verb line gives itself, else the block's.
    pub code: Code,
    /// Where the verb line is: `file:line`.
    pub rule: Arc<str>,
}

/// A PETRARCH verb dictionary, possibly read from several files.
#[derive(Clone, Debug, Default)]
pub struct VerbDictionary {
    /// Synonym sets by name (without `&`), members as element sequences.
    pub synsets: FxHashMap<String, Vec<Vec<Elem>>>,
    /// Verb blocks in file order.
    pub blocks: Vec<Block>,
    /// Verb entries keyed by the verb word (upper case).
    pub verbs: FxHashMap<String, Vec<VerbEntry>>,
    /// Lines skipped or doubtful, with `file:line`.
    pub warnings: Vec<DictWarning>,
    /// The coding ontology, when one was read: negated verbs take the negated event's code.
    pub ontology: Option<Ontology>,
}

impl VerbDictionary {
    /// An empty dictionary.
    pub fn new() -> VerbDictionary {
        VerbDictionary::default()
    }

    /// Reads one dictionary file's text.
    pub fn parse(file: &str, text: &str) -> VerbDictionary {
        let mut dict = VerbDictionary::new();
        dict.add(file, text);
        dict
    }

    /// Adds the entries of one more file. Returns the number of patterns read.
    pub fn add(&mut self, file: &str, text: &str) -> usize {
        let file: Arc<str> = Arc::from(file);
        let mut reader = Reader { dict: self, file: file.clone(), synset: None, block: None, patterns: 0 };
        for (index, raw) in text.lines().enumerate() {
            reader.line(index + 1, raw);
        }
        let patterns = reader.patterns;
        self.check_synsets(&file);
        patterns
    }

    /// Reads PETRARCH's internal coding ontology, by which a negated verb is coded ("did not
    /// clash" as cooperation). Returns the number of codes read.
    pub fn add_ontology(&mut self, file: &str, text: &str) -> usize {
        let ontology = Ontology::parse(file, text);
        let count = ontology.len();
        self.warnings.extend(ontology.warnings.iter().cloned());
        self.ontology = Some(ontology);
        count
    }

    /// Number of patterns over all blocks.
    pub fn pattern_count(&self) -> usize {
        self.blocks.iter().map(|block| block.patterns.len()).sum()
    }

    /// Warns once per pattern that names a synonym set no file defines.
    fn check_synsets(&mut self, file: &Arc<str>) {
        let mut missing = Vec::new();
        for block in &self.blocks {
            for pattern in &block.patterns {
                if !pattern.rule.starts_with(&**file) {
                    continue;
                }
                let mut names = Vec::new();
                collect_synsets(&pattern.before, &mut names);
                collect_synsets(&pattern.after, &mut names);
                for name in names {
                    if !self.synsets.contains_key(name) {
                        missing.push((pattern.rule.clone(), name.to_owned()));
                    }
                }
            }
        }
        for (rule, name) in missing {
            let line = rule.rsplit(':').next().and_then(|n| n.parse().ok()).unwrap_or(0);
            self.warnings.push(DictWarning {
                file: file.clone(),
                line,
                message: format!("synonym set &{name} is not defined: the pattern never matches"),
            });
        }
    }
}

fn collect_synsets<'a>(elems: &'a [Elem], out: &mut Vec<&'a str>) {
    for elem in elems {
        match elem {
            Elem::Synset(name) => out.push(name),
            Elem::Phrase(items) | Elem::Group(items) | Elem::Prep(items) => collect_synsets(items, out),
            _ => {}
        }
    }
}

struct Reader<'d> {
    dict: &'d mut VerbDictionary,
    file: Arc<str>,
    /// The synonym set being read.
    synset: Option<String>,
    /// The block being read.
    block: Option<usize>,
    patterns: usize,
}

impl Reader<'_> {
    fn warn(&mut self, line: usize, message: impl Into<String>) {
        self.dict.warnings.push(DictWarning { file: self.file.clone(), line, message: message.into() });
    }

    fn rule(&self, line: usize) -> Arc<str> {
        Arc::from(format!("{}:{line}", self.file))
    }

    fn line(&mut self, number: usize, raw: &str) {
        let text = match raw.find('#') {
            Some(at) => &raw[..at],
            None => raw,
        };
        let text = text.trim();
        if text.is_empty() {
            // A blank line ends a synonym set, not a block; a comment line ends nothing.
            if raw.trim().is_empty() {
                self.synset = None;
            }
            return;
        }
        if text.starts_with("<!") {
            return;
        }
        if let Some(rest) = text.strip_prefix("---") {
            self.synset = None;
            self.block_header(number, rest);
        } else if let Some(name) = text.strip_prefix('&') {
            let name = name.split_whitespace().next().unwrap_or("").to_uppercase();
            if name.is_empty() {
                self.warn(number, "synonym set without a name");
                return;
            }
            self.dict.synsets.entry(name.clone()).or_default();
            self.synset = Some(name);
            self.block = None;
        } else if let (Some(name), Some(member)) = (self.synset.clone(), text.strip_prefix('+')) {
            match parse_elems(member) {
                Ok(elems) if !elems.is_empty() => self.dict.synsets.entry(name).or_default().push(elems),
                Ok(_) => self.warn(number, "empty synonym set member"),
                Err(message) => self.warn(number, message),
            }
        } else if let Some(pattern) = text.strip_prefix('-') {
            self.pattern(number, pattern);
        } else if text.contains('*') && text.contains('[') {
            self.warn(number, "pattern without its leading '-': read as a pattern");
            self.pattern(number, text);
        } else {
            self.verb_line(number, text);
        }
    }

    fn block_header(&mut self, number: usize, rest: &str) {
        let inner = rest.trim().trim_end_matches('-').trim();
        let (name, code) = match inner.find('[') {
            Some(at) => (inner[..at].trim(), Some(&inner[at..])),
            None => (inner, None),
        };
        let code = match code.map(parse_code) {
            Some(Ok(code)) => code,
            Some(Err(message)) => {
                self.warn(number, format!("block {name}: {message}; the block codes nothing by default"));
                Code::default()
            }
            None => Code::default(),
        };
        if name.is_empty() {
            self.warn(number, "verb block without a name");
        }
        self.dict.blocks.push(Block { name: name.to_uppercase(), code, patterns: Vec::new() });
        self.block = Some(self.dict.blocks.len() - 1);
    }

    fn verb_line(&mut self, number: usize, text: &str) {
        let Some(block) = self.block else {
            self.warn(number, format!("line outside any verb block or synonym set: {text:?}"));
            return;
        };
        // WORD {FORM FORM} [code]
        let (head, code_text) = match text.find('[') {
            Some(at) => (text[..at].trim(), Some(text[at..].trim())),
            None => (text, None),
        };
        let code = match code_text.map(parse_code) {
            Some(Ok(code)) => code,
            Some(Err(message)) => {
                self.warn(number, format!("{message}; the verb takes its block's code"));
                self.dict.blocks[block].code.clone()
            }
            None => self.dict.blocks[block].code.clone(),
        };
        let (base, forms) = match head.find('{') {
            Some(at) => {
                let Some(close) = head[at..].find('}') else {
                    self.warn(number, "unclosed '{' in the verb forms");
                    return;
                };
                (head[..at].trim(), head[at + 1..at + close].split_whitespace().collect::<Vec<_>>())
            }
            None => (head, Vec::new()),
        };
        if base.is_empty() || base.split_whitespace().count() != 1 {
            self.warn(number, format!("malformed verb line: {text:?}"));
            return;
        }
        let rule = self.rule(number);
        for (index, word) in std::iter::once(base).chain(forms).enumerate() {
            let Some((words, verb)) = split_verb(word) else {
                self.warn(number, format!("malformed verb form {word:?}"));
                continue;
            };
            let key = words[verb].clone();
            let entry = VerbEntry { block, words, verb, base: index == 0, code: code.clone(), rule: rule.clone() };
            self.dict.verbs.entry(key).or_default().push(entry);
        }
    }

    fn pattern(&mut self, number: usize, text: &str) {
        let Some(block) = self.block else {
            self.warn(number, "pattern outside any verb block");
            return;
        };
        let Some(open) = text.rfind('[') else {
            self.warn(number, "pattern without a code");
            return;
        };
        let code = match parse_code(&text[open..]) {
            Ok(code) => code,
            Err(message) => {
                self.warn(number, format!("{message}; pattern skipped"));
                return;
            }
        };
        let body = text[..open].trim();
        let Some(star) = find_star(body) else {
            self.warn(number, "pattern without the verb marker '*'; skipped");
            return;
        };
        let (mut before_text, after_text) = (body[..star].trim(), body[star + 1..].trim());
        let mut compound = false;
        if before_text.contains('%') {
            compound = true;
            before_text = before_text.trim_matches(|c: char| c == '%' || c.is_whitespace());
            if before_text.contains('%') {
                self.warn(number, "'%' away from the start of the pattern; skipped");
                return;
            }
        }
        let (before, after) = match (parse_elems(before_text), parse_elems(after_text)) {
            (Ok(before), Ok(after)) => (before, after),
            (Err(message), _) | (_, Err(message)) => {
                self.warn(number, format!("{message}; pattern skipped"));
                return;
            }
        };
        let weight = before.iter().chain(&after).map(Elem::weight).sum::<usize>() + usize::from(compound);
        let rule = self.rule(number);
        self.dict.blocks[block].patterns.push(Pattern { before, after, compound, code, rule, weight });
        self.patterns += 1;
    }
}

/// The byte offset of the verb marker `*` outside brackets.
fn find_star(body: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (at, c) in body.char_indices() {
        match c {
            '(' | '{' => depth += 1,
            ')' | '}' => depth -= 1,
            '*' if depth == 0 => return Some(at),
            _ => {}
        }
    }
    None
}

/// `[042:043]`, `[:173]`, `[---]`, `[050]`.
pub(crate) fn parse_code(text: &str) -> Result<Code, String> {
    let text = text.trim();
    let inner = text
        .strip_prefix('[')
        .and_then(|rest| rest.find(']').map(|close| &rest[..close]))
        .ok_or_else(|| format!("malformed code {text:?}"))?
        .trim();
    let one = |part: &str| -> Result<Option<String>, String> {
        let part = part.trim();
        if part.is_empty() || part == "---" {
            Ok(None)
        } else if (2..=4).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Some(part.to_owned()))
        } else {
            Err(format!("invalid event code {part:?}"))
        }
    };
    match inner.split_once(':') {
        Some((forward, reverse)) => Ok(Code { forward: one(forward)?, reverse: one(reverse)? }),
        None => Ok(Code { forward: one(inner)?, reverse: None }),
    }
}

/// `GO_+BY`-style verb words: the words and the index of the verb (marked `+`, else the first).
fn split_verb(word: &str) -> Option<(Vec<String>, usize)> {
    let mut words = Vec::new();
    let mut verb = None;
    for (index, part) in word.split('_').filter(|part| !part.is_empty()).enumerate() {
        let part = match part.strip_prefix('+') {
            Some(rest) => {
                verb.get_or_insert(index);
                rest
            }
            None => part,
        };
        if part.is_empty() || part.contains(['{', '}', '[', ']', '(', ')']) {
            return None;
        }
        words.push(part.to_uppercase());
    }
    if words.is_empty() {
        return None;
    }
    Some((words, verb.unwrap_or(0)))
}

/// Lexes a pattern body into elements; brackets must balance.
pub(crate) fn parse_elems(text: &str) -> Result<Vec<Elem>, String> {
    let mut lexemes = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if matches!(c, '(' | ')' | '{' | '}') || c.is_whitespace() {
            if !current.is_empty() {
                lexemes.push(std::mem::take(&mut current));
            }
            if !c.is_whitespace() {
                lexemes.push(c.to_string());
            }
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        lexemes.push(current);
    }
    let mut at = 0;
    let elems = parse_seq(&lexemes, &mut at, None)?;
    if at != lexemes.len() {
        return Err(format!("unbalanced '{}'", lexemes[at]));
    }
    Ok(elems)
}

fn parse_seq(lexemes: &[String], at: &mut usize, close: Option<&str>) -> Result<Vec<Elem>, String> {
    let mut elems = Vec::new();
    while *at < lexemes.len() {
        let lexeme = lexemes[*at].as_str();
        *at += 1;
        match lexeme {
            ")" | "}" => {
                if close == Some(lexeme) {
                    return Ok(elems);
                }
                return Err(format!("unbalanced '{lexeme}'"));
            }
            "(" => {
                let inner = parse_seq(lexemes, at, Some(")"))?;
                if inner.is_empty() {
                    return Err("empty '()'".to_owned());
                }
                elems.push(Elem::Prep(inner));
            }
            "{" => {
                let inner = parse_seq(lexemes, at, Some("}"))?;
                if inner.is_empty() {
                    return Err("empty '{}'".to_owned());
                }
                elems.push(Elem::Group(inner));
            }
            "$" => elems.push(Elem::Source),
            "+" => elems.push(Elem::Target),
            // `^` skips a noun phrase (here: an actor); `=` marks a location in PETRARCH and
            // does not constrain the match here.
            "^" => elems.push(Elem::Skip),
            "=" => {}
            "*" | "%" => return Err(format!("misplaced '{lexeme}'")),
            word => elems.push(word_elem(word)?),
        }
    }
    match close {
        Some(close) => Err(format!("missing '{close}'")),
        None => Ok(elems),
    }
}

fn word_elem(word: &str) -> Result<Elem, String> {
    if let Some(name) = word.strip_prefix('&') {
        if name.is_empty() {
            return Err("'&' without a synonym set name".to_owned());
        }
        return Ok(Elem::Synset(name.to_uppercase()));
    }
    if word.contains(['[', ']', '*', '$', '%']) {
        return Err(format!("malformed word {word:?}"));
    }
    let exact = word.ends_with('_');
    let parts: Vec<&str> = word.split('_').filter(|part| !part.is_empty()).collect();
    let to_word = |part: &str, exact: bool| Elem::Word(WordSpec { text: part.to_uppercase(), exact });
    match parts.len() {
        0 => Err(format!("malformed word {word:?}")),
        1 => Ok(to_word(parts[0], exact)),
        n => Ok(Elem::Phrase(parts.iter().enumerate().map(|(i, part)| to_word(part, exact && i + 1 == n)).collect())),
    }
}

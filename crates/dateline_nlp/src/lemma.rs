//! The lemmatizer: the dictionary form of a word ("went" → "go", "cities" → "city") from its
//! form and its tags, by rules and exceptions learned from UD English-EWT; on the way, the
//! word's morphological features (`feats`), looked up by tag pair and form.
//!
//! Everything is keyed by the tag pair `UPOS XPOS` the tagger produces ("VERB VBD"):
//!
//! - *exceptions*: forms whose lemma the rules get wrong in training ("went" → "go",
//!   "better" → "good", "I" → "I");
//! - *suffix rules*: for each ending of a form (up to [`MAX_CONDITION`] characters), the most
//!   frequent rewrite of the form's end into the lemma's end ("ies" → "y" for `NOUN NNS`),
//!   kept only where it differs from the rule of the shorter ending;
//! - *features*: the most frequent `feats` of each tag pair (`Number=Plur` for `NOUN NNS`), and
//!   of forms whose own differ ("he" as `PRON PRP`: `Case=Nom|Gender=Masc|…`);
//! - *case*: whether capitalised forms keep their case in the lemma, as proper nouns and
//!   "American" do, learned apart for the first word of a sentence; other forms are
//!   lower-cased;
//! - *known lemmas*: the lower-case lemmas of training's verbs, nouns, adjectives and adverbs,
//!   the vocabulary that decides between the stems a verb form may have.
//!
//! A word is looked up in this order: its tag pair's exceptions; for a past tense or past
//! participle of a `VERB` or `AUX` (`VBD`, `VBN`), the irregular verbs
//! (`resources/models/irregular_verbs.tsv`, written by the project and compiled in: "froze" →
//! "freeze", "overran" → "overrun", "withdrew" → "withdraw"); then the suffix rules. Adjectives
//! and nouns keep their form even when they are participles ("relaxed", "wounded"), as
//! UD English-EWT lemmatizes them.
//!
//! # Regular verb forms
//!
//! For a `VERB` or `AUX` ending in -ed (`VBD`, `VBN`), -ing (`VBG`) or -s (`VBZ`), the suffix
//! rules see only the form's last characters and cut unseen verbs wrongly ("shelled" → "shel",
//! "raided" → "raide"). The stems English spelling allows are listed instead — the form without
//! the ending ("raided" → "raid"), with a silent e ("consoled" → "console"), a doubled final
//! consonant undoubled ("planned" → "plan"), "ck" as "c" ("panicked" → "panic"), -ied as -y or,
//! after a single consonant, -ie ("cried" → "cry", "died" → "die"), -es and -ies likewise — and
//! one is chosen:
//!
//! 1. the rules' own answer when it is a known lemma and spelling allows it;
//! 2. else the first candidate spelling allows that is a known lemma ("shelled" → "shell",
//!    "gassed" → "gas");
//! 3. else, among the candidates spelling allows, the rules' answer if it is one, else the
//!    first. Spelling rules out: a stem with a final e before -ed ("agre"), consonant + y
//!    before -ed ("dy": it would be "died"), endings words do not have without a silent e (v,
//!    c, u, consonant + l or r as in "massacr", consonant + s, "dg"), a one-syllable stem ending
//!    in one vowel and one consonant (it would have doubled: "vot" for "voted"), the endings
//!    of longer stems that take a silent e ("dominat", "includ", "examin", "consol", ...), and
//!    a silent e after a vowel pair read as one sound and a plain consonant ("raide",
//!    "riote") or after a consonant pair no English word ends in before e ("pointe").
//!
//! Undoubling comes first unless the consonant is l, s, f or z after a one-syllable stem (the
//! floss rule: "shelled" → "shell", "kissed" → "kiss"), or s, f, z anyway, or "ll" after a or i
//! ("installed" → "install"); exceptions learned in training override all of this for the
//! words training has.
//!
//! The data is `resources/models/lemma.tsv.gz`, written by `cargo xtask train tagger`: a
//! comment line, then tab-separated lines `x  TAGS  form  lemma` (exceptions),
//! `r  TAGS  ending  strip  add` (rules: remove `strip` characters, append `add`) and
//! `c  TAGS` and `f  TAGS` (tags whose capitalised forms keep their case inside a sentence,
//! first in a sentence), `F  TAGS  feats` and `g  TAGS  form  feats` (features), `v  lemma`
//! (known lemmas).

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::sync::LazyLock;

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::conllu::{ConlluSentence, Word};
use crate::linear::ModelError;

/// The data compiled into the binary.
static EMBEDDED: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../resources/models/lemma.tsv.gz"));

/// The irregular verbs, written by the project: base, past tense and past participle a line.
static IRREGULAR_VERBS: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../resources/models/irregular_verbs.tsv"));

/// The base of every past tense and past participle form of [`IRREGULAR_VERBS`] (the first
/// line wins where two verbs share a form).
static IRREGULAR: LazyLock<FxHashMap<&'static str, &'static str>> = LazyLock::new(|| {
    let mut bases = FxHashMap::default();
    for line in IRREGULAR_VERBS.lines().filter(|line| !line.is_empty() && !line.starts_with('#')) {
        let mut columns = line.split('\t');
        let Some(base) = columns.next() else { continue };
        for form in columns.flat_map(|column| column.split('/')) {
            bases.entry(form).or_insert(base);
        }
    }
    bases
});

/// The base of an irregular verb's past tense or past participle (`"froze"` → `"freeze"`).
pub fn irregular_base(form: &str) -> Option<&'static str> {
    IRREGULAR.get(form).copied()
}

/// The longest form ending a rule is conditioned on, in characters.
pub const MAX_CONDITION: usize = 6;

/// A form's own features are kept when seen this often.
const MIN_FEATS_COUNT: u32 = 2;

/// A rule needs this many training words behind it.
const MIN_RULE_COUNT: u32 = 1;

/// A rewrite of a form's end: drop `strip` characters, append `add`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Rewrite {
    strip: usize,
    add: String,
}

/// What is known of one tag pair.
#[derive(Debug, Default)]
struct TagRules {
    /// Lemma of each exceptional form.
    exceptions: FxHashMap<Box<str>, Box<str>>,
    /// Capitalised forms keep their case.
    keep_case: bool,
    /// Capitalised forms keep their case first in a sentence too.
    keep_case_first: bool,
    /// The most frequent morphological features of the tag pair.
    feats: Option<Box<str>>,
    /// Features of lower-cased forms that differ from `feats` ("he": `Case=Nom|…`).
    word_feats: FxHashMap<Box<str>, Box<str>>,
}

/// The lemmatizer.
#[derive(Debug, Default)]
pub struct Lemmatizer {
    /// Exceptions and case of each tag pair (`UPOS XPOS`).
    tags: FxHashMap<Box<str>, TagRules>,
    /// Rewrite for each form ending, for each rule group (see [`rule_group`]).
    rules: FxHashMap<Box<str>, FxHashMap<Box<str>, Rewrite>>,
    /// Lower-case lemmas of training's open-class words.
    known: FxHashSet<Box<str>>,
}

/// The rule group of a tag pair: its XPOS, past participles pooled with past tenses, as their
/// endings behave alike ("resumed" → "resume" either way).
fn rule_group(tags: &str) -> &str {
    match tags.split_once(' ').map_or(tags, |(_, xpos)| xpos) {
        "VBN" => "VBD",
        xpos => xpos,
    }
}

impl Lemmatizer {
    /// The data compiled into the binary.
    pub fn embedded() -> Result<Lemmatizer, ModelError> {
        Lemmatizer::from_bytes(EMBEDDED)
    }

    /// Reads lemmatizer data written by [`Lemmatizer::to_bytes`] (gzip-compressed text).
    pub fn from_bytes(bytes: &[u8]) -> Result<Lemmatizer, ModelError> {
        let mut text = String::new();
        GzDecoder::new(bytes).read_to_string(&mut text)?;
        Lemmatizer::from_text(&text)
    }

    /// Reads the data from its text form.
    pub fn from_text(text: &str) -> Result<Lemmatizer, ModelError> {
        let mut lemmatizer = Lemmatizer::default();
        for (index, line) in text.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = || ModelError::Format(format!("lemmatizer data, line {}: {line:?}", index + 1));
            let columns: Vec<&str> = line.split('\t').collect();
            match columns.as_slice() {
                ["x", tags, form, lemma] => {
                    lemmatizer.entry(tags).exceptions.insert((*form).into(), (*lemma).into());
                }
                ["r", group, ending, strip, add] => {
                    let strip = strip.parse().map_err(|_| bad())?;
                    let rewrite = Rewrite { strip, add: (*add).to_owned() };
                    lemmatizer.rules.entry((*group).into()).or_default().insert((*ending).into(), rewrite);
                }
                ["c", tags] => lemmatizer.entry(tags).keep_case = true,
                ["f", tags] => lemmatizer.entry(tags).keep_case_first = true,
                ["F", tags, feats] => lemmatizer.entry(tags).feats = Some((*feats).into()),
                ["g", tags, form, feats] => {
                    lemmatizer.entry(tags).word_feats.insert((*form).into(), (*feats).into());
                }
                ["v", lemma] => {
                    lemmatizer.known.insert((*lemma).into());
                }
                _ => return Err(bad()),
            }
        }
        Ok(lemmatizer)
    }

    fn entry(&mut self, tags: &str) -> &mut TagRules {
        if !self.tags.contains_key(tags) {
            self.tags.insert(tags.into(), TagRules::default());
        }
        self.tags.get_mut(tags).expect("inserted above")
    }

    /// The data as text, in a stable order.
    pub fn to_text(&self) -> String {
        let mut text = String::from("# dateline lemmatizer: rules and exceptions learned from UD English-EWT train\n");
        let mut tags: Vec<&str> = self.tags.keys().map(|tags| &**tags).collect();
        tags.sort_unstable();
        for tag in tags {
            let rules = &self.tags[tag];
            if rules.keep_case {
                let _ = writeln!(text, "c\t{tag}");
            }
            if rules.keep_case_first {
                let _ = writeln!(text, "f\t{tag}");
            }
            if let Some(feats) = &rules.feats {
                let _ = writeln!(text, "F\t{tag}\t{feats}");
            }
            let mut word_feats: Vec<(&str, &str)> =
                rules.word_feats.iter().map(|(form, feats)| (&**form, &**feats)).collect();
            word_feats.sort_unstable();
            for (form, feats) in word_feats {
                let _ = writeln!(text, "g\t{tag}\t{form}\t{feats}");
            }
            let mut exceptions: Vec<(&str, &str)> =
                rules.exceptions.iter().map(|(form, lemma)| (&**form, &**lemma)).collect();
            exceptions.sort_unstable();
            for (form, lemma) in exceptions {
                let _ = writeln!(text, "x\t{tag}\t{form}\t{lemma}");
            }
        }
        let mut groups: Vec<&str> = self.rules.keys().map(|group| &**group).collect();
        groups.sort_unstable();
        for group in groups {
            let mut endings: Vec<(&str, &Rewrite)> =
                self.rules[group].iter().map(|(ending, rewrite)| (&**ending, rewrite)).collect();
            endings.sort_unstable();
            for (ending, rewrite) in endings {
                let _ = writeln!(text, "r\t{group}\t{ending}\t{}\t{}", rewrite.strip, rewrite.add);
            }
        }
        let mut known: Vec<&str> = self.known.iter().map(|lemma| &**lemma).collect();
        known.sort_unstable();
        for lemma in known {
            let _ = writeln!(text, "v\t{lemma}");
        }
        text
    }

    /// The data gzip-compressed, as [`Lemmatizer::from_bytes`] reads it.
    pub fn to_bytes(&self) -> std::io::Result<Vec<u8>> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
        encoder.write_all(self.to_text().as_bytes())?;
        encoder.finish()
    }

    /// Fills `lemma` and `feats` of every word from its `form`, `upos` and `xpos` (`feats` is
    /// left alone for a tag pair never seen in training).
    pub fn lemmatize(&self, words: &mut [Word]) {
        let mut key = String::new();
        for word in words {
            key.clear();
            key.push_str(&word.upos);
            key.push(' ');
            key.push_str(&word.xpos);
            let lemma = self.lemma(&word.form, &key, word.id > 1);
            word.lemma = lemma;
            if let Some(feats) = self.feats(&word.form, &key) {
                word.feats.clear();
                word.feats.push_str(feats);
            }
        }
    }

    /// The morphological features (`Number=Plur`) of `form` tagged `tags`, when the tag pair is
    /// known.
    pub fn feats(&self, form: &str, tags: &str) -> Option<&str> {
        let rules = self.tags.get(tags)?;
        if !rules.word_feats.is_empty() {
            let found = if form.chars().any(char::is_uppercase) {
                rules.word_feats.get(lower(form).as_str())
            } else {
                rules.word_feats.get(form)
            };
            if let Some(feats) = found {
                return Some(feats);
            }
        }
        rules.feats.as_deref()
    }

    /// The lemma of `form` tagged `tags` (`UPOS XPOS`); `inside` when the word is not first in
    /// its sentence.
    pub fn lemma(&self, form: &str, tags: &str, inside: bool) -> String {
        let rules = self.tags.get(tags);
        if let Some(lemma) = rules.and_then(|rules| rules.exceptions.get(form)) {
            return lemma.to_string();
        }
        let capitalised = form.chars().next().is_some_and(char::is_uppercase);
        let keep_case = rules.is_some_and(|rules| if inside { rules.keep_case } else { rules.keep_case_first });
        let base = if keep_case && capitalised { form.to_owned() } else { lower(form) };
        if base != form
            && let Some(lemma) = rules.and_then(|rules| rules.exceptions.get(base.as_str()))
        {
            return lemma.to_string();
        }
        let (upos, xpos) = tags.split_once(' ').unwrap_or((tags, ""));
        let verb = matches!(upos, "VERB" | "AUX");
        if verb
            && matches!(xpos, "VBD" | "VBN")
            && let Some(lemma) = irregular_base(&base)
        {
            return lemma.to_owned();
        }
        let learned = match self.rules.get(rule_group(tags)) {
            Some(rules) => apply_rules(rules, &base),
            None => base.clone(),
        };
        let ending = match xpos {
            "VBD" | "VBN" => Ending::Ed,
            "VBG" => Ending::Ing,
            "VBZ" => Ending::S,
            _ => return learned,
        };
        if !verb || base.chars().any(|c| !c.is_ascii_lowercase()) {
            return learned;
        }
        self.choose_stem(&base, ending, learned)
    }

    /// Whether training has `lemma` as the lemma of an open-class word.
    pub fn is_known(&self, lemma: &str) -> bool {
        self.known.contains(lemma)
    }

    /// The stem of a regular verb form, as the module documentation says: the rules' answer
    /// `learned` if known, else a known candidate, else what spelling allows.
    fn choose_stem(&self, form: &str, ending: Ending, learned: String) -> String {
        let candidates = regular_stems(form, ending);
        let learned_allowed = candidates.iter().find(|stem| stem.text == learned).is_none_or(|stem| stem.allowed);
        if candidates.is_empty() || (learned_allowed && self.is_known(&learned)) {
            return learned;
        }
        if let Some(stem) = candidates.iter().find(|stem| stem.allowed && self.is_known(&stem.text)) {
            return stem.text.clone();
        }
        let mut allowed = candidates.into_iter().filter(|stem| stem.allowed).map(|stem| stem.text);
        match allowed.next() {
            Some(first) if first != learned && !allowed.any(|stem| stem == learned) => first,
            _ => learned,
        }
    }
}

/// The inflectional ending of a regular verb form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ending {
    /// -ed, past tense and past participle.
    Ed,
    /// -ing.
    Ing,
    /// -s, third person singular present.
    S,
}

/// A possible stem of a verb form, and whether English spelling allows it.
#[derive(Debug)]
struct Stem {
    text: String,
    allowed: bool,
}

impl Stem {
    fn new(text: String, allowed: bool) -> Stem {
        Stem { text, allowed }
    }
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')
}

/// Which letters of `word` are vowels: a `u` after `q`, or after `g` before a vowel, counts as
/// a consonant ("quot", "guid"), a `y` after a consonant as a vowel.
fn vowel_flags(word: &str) -> Vec<bool> {
    let letters: Vec<char> = word.chars().collect();
    (0..letters.len())
        .map(|at| {
            let c = letters[at];
            let next_vowel = letters.get(at + 1).is_some_and(|&next| is_vowel(next));
            match c {
                'u' => !(at > 0 && (letters[at - 1] == 'q' || (letters[at - 1] == 'g' && next_vowel))),
                'y' => at > 0 && !is_vowel(letters[at - 1]),
                _ => is_vowel(c),
            }
        })
        .collect()
}

/// Syllables of `word`, as groups of vowels.
fn syllables(word: &str) -> usize {
    let flags = vowel_flags(word);
    flags.iter().enumerate().filter(|&(at, &vowel)| vowel && (at == 0 || !flags[at - 1])).count()
}

/// Whether `word` ends in one vowel letter and one consonant (after a consonant or at the
/// start): the shape whose final consonant doubles before -ed and -ing when stressed.
fn ends_short(word: &str) -> bool {
    let letters: Vec<char> = word.chars().collect();
    let flags = vowel_flags(word);
    let n = letters.len();
    n >= 2 && !flags[n - 1] && !matches!(letters[n - 1], 'w' | 'x' | 'y') && flags[n - 2] && (n == 2 || !flags[n - 3])
}

/// Endings (one vowel, one consonant) of stems of two syllables or more that take a silent e
/// ("dominat-ed", "includ-ed", "examin-ed", "consol-ed").
const SILENT_E_ENDINGS: &[&str] = &[
    "at", "ut", "id", "ud", "od", "ur", "ir", "ar", "in", "ol", "is", "os", "as", "um", "ib", "ik", "ok", "uk", "eg",
    "ig",
];

/// Consonant pairs English words end in before a silent e ("dance", "solve", "judge",
/// "massacre", "paste").
const PAIRS_BEFORE_E: &[&str] = &[
    "nc", "rc", "lv", "rv", "rs", "ns", "ls", "ps", "dg", "ng", "rg", "bl", "tl", "dl", "gl", "pl", "kl", "fl", "cl",
    "zl", "br", "tr", "cr", "gr", "dr", "pr", "st", "th", "ch", "rz", "nz", "lg", "rn", "rm", "rb", "rd", "rt", "gu",
];

/// Whether English spelling lets `stem` take `ending` with nothing added or dropped ("raid" +
/// ed, not "agre" + ed nor "vot" + ed).
fn bare_stem_allowed(stem: &str, ending: Ending) -> bool {
    let letters: Vec<char> = stem.chars().collect();
    let n = letters.len();
    if n < 2 || !vowel_flags(stem).contains(&true) {
        return false;
    }
    let (last, before) = (letters[n - 1], letters[n - 2]);
    let consonant = |c: char| !is_vowel(c) && !matches!(c, 'w' | 'y');
    if last == 'e' && (ending == Ending::Ed || consonant(before)) {
        return false;
    }
    if ending == Ending::Ed && last == 'y' && consonant(before) {
        return false;
    }
    let ends_in_cluster = matches!(last, 'l' | 'r') && consonant(before) && !matches!(before, 'l' | 'r');
    let ends_badly = matches!(last, 'v' | 'c' | 'u')
        || ends_in_cluster
        || (last == 's' && !is_vowel(before) && before != 's')
        || (last == 'z' && before != 'z' && before != 't')
        || stem.ends_with("dg");
    if ends_badly {
        return false;
    }
    if ends_short(stem) {
        if syllables(stem) <= 1 {
            return false;
        }
        if SILENT_E_ENDINGS.iter().any(|ending| stem.ends_with(ending)) {
            return false;
        }
    }
    true
}

/// Whether English spelling allows `stem` + "e" as a verb ("console", "dye"; not "raide",
/// "pointe", "playe").
fn silent_e_allowed(stem: &str) -> bool {
    let letters: Vec<char> = stem.chars().collect();
    let flags = vowel_flags(stem);
    let n = letters.len();
    if n < 2 || !flags.contains(&true) {
        return n == 1 || (n == 2 && !is_vowel(letters[0]));
    }
    let last = letters[n - 1];
    if is_vowel(last) {
        return matches!(last, 'e' | 'o' | 'u') || n <= 2;
    }
    if matches!(last, 'x') || (matches!(last, 'w' | 'y') && n > 2 && is_vowel(letters[n - 2])) {
        return last == 'y' && !is_vowel(letters[n - 2]);
    }
    if last == 'y' {
        return true;
    }
    let pair: String = letters[n - 2..].iter().collect();
    if !flags[n - 2] {
        return PAIRS_BEFORE_E.contains(&pair.as_str());
    }
    // A vowel, then the consonant: after a vowel pair read as one sound only a soft consonant
    // takes an e ("raise", "leave", "seize"), not "raide", "riote" ("create", "negotiate" and
    // "evaluate" sound both vowels).
    let pair: String = letters[n.saturating_sub(3)..n - 1].iter().collect();
    let digraph = n >= 3 && flags[n - 3] && VOWEL_DIGRAPHS.contains(&pair.as_str());
    !digraph || matches!(last, 's' | 'v' | 'z' | 'c')
}

/// Vowel pairs after which a plain consonant takes no silent e ("raid", "riot", "shoot").
const VOWEL_DIGRAPHS: &[&str] = &["ai", "ee", "oa", "oo", "ou", "oi", "io", "ei", "au", "ui"];

/// The stems a regular verb form may have, in the order English spelling prefers them; empty
/// when the form does not end in `ending`.
fn regular_stems(form: &str, ending: Ending) -> Vec<Stem> {
    let suffix = match ending {
        Ending::Ed => "ed",
        Ending::Ing => "ing",
        Ending::S => "s",
    };
    let Some(stem) = form.strip_suffix(suffix) else { return Vec::new() };
    if stem.chars().count() < 2 || !vowel_flags(stem).contains(&true) {
        return Vec::new();
    }
    if ending == Ending::S {
        return s_stems(form, stem);
    }
    let letters: Vec<char> = stem.chars().collect();
    let n = letters.len();
    let (last, before) = (letters[n - 1], letters[n - 2]);
    let mut stems = Vec::new();
    // -ied → -y or -ie ("cried", "died"); -ying → -ie after a single consonant ("dying").
    if ending == Ending::Ed && last == 'i' {
        let head: String = letters[..n - 1].iter().collect();
        let single = n == 2;
        stems.push(Stem::new(format!("{head}ie"), single));
        stems.push(Stem::new(format!("{head}y"), !single));
        if !single {
            stems.reverse();
        }
        return stems;
    }
    if ending == Ending::Ing && last == 'y' && n == 2 {
        let head: String = letters[..1].iter().collect();
        stems.push(Stem::new(format!("{head}ie"), true));
        return stems;
    }
    // "panicked" → "panic", after "attacked" → "attack".
    if last == 'k' && before == 'c' {
        stems.push(Stem::new(stem.to_owned(), true));
        let undone: String = letters[..n - 1].iter().collect();
        let allowed = ends_short(&undone);
        stems.push(Stem::new(undone, allowed));
        return stems;
    }
    // A doubled final consonant: "planned" → "plan", "shelled" → "shell".
    if last == before && !is_vowel(last) && !matches!(last, 'w' | 'x' | 'y') {
        let undoubled: String = letters[..n - 1].iter().collect();
        let allowed = ends_short(&undoubled);
        let keep_double = match last {
            's' | 'f' | 'z' => true,
            'l' => syllables(&undoubled) <= 1 || undoubled.ends_with("al") || undoubled.ends_with("il"),
            _ => false,
        };
        if keep_double || !allowed {
            stems.push(Stem::new(stem.to_owned(), true));
            stems.push(Stem::new(undoubled, allowed));
        } else {
            stems.push(Stem::new(undoubled, true));
            stems.push(Stem::new(stem.to_owned(), true));
        }
        return stems;
    }
    let bare = Stem::new(stem.to_owned(), bare_stem_allowed(stem, ending));
    let with_e = Stem::new(format!("{stem}e"), silent_e_allowed(stem) && !(ending == Ending::Ing && last == 'e'));
    if bare.allowed || !with_e.allowed {
        stems.push(bare);
        stems.push(with_e);
    } else {
        stems.push(with_e);
        stems.push(bare);
    }
    stems
}

/// The stems of an -s form: -ies → -y or -ie, -es after s, x, z, ch, sh, o, else -s.
fn s_stems(form: &str, stem: &str) -> Vec<Stem> {
    if form.ends_with("ss") || form.ends_with("us") || form.ends_with("is") {
        return Vec::new();
    }
    let mut stems = Vec::new();
    if let Some(head) = form.strip_suffix("ies") {
        let single = head.chars().count() == 1;
        stems.push(Stem::new(format!("{head}y"), !single));
        stems.push(Stem::new(format!("{head}ie"), single));
        if single {
            stems.reverse();
        }
        return stems;
    }
    if let Some(head) = form.strip_suffix("es") {
        let sibilant = ["ss", "x", "zz", "ch", "sh", "o"].iter().any(|end| head.ends_with(end));
        let after_s = head.ends_with('s') || head.ends_with('z');
        if sibilant {
            stems.push(Stem::new(head.to_owned(), true));
            stems.push(Stem::new(stem.to_owned(), true));
        } else {
            stems.push(Stem::new(stem.to_owned(), true));
            stems.push(Stem::new(head.to_owned(), after_s));
        }
        return stems;
    }
    stems.push(Stem::new(stem.to_owned(), true));
    stems
}

fn lower(form: &str) -> String {
    form.to_lowercase()
}

/// The rewrite of the longest ending of `base` that has one, applied.
fn apply_rules(rules: &FxHashMap<Box<str>, Rewrite>, base: &str) -> String {
    let boundaries: Vec<usize> = base.char_indices().map(|(at, _)| at).collect();
    let n_chars = boundaries.len();
    for length in (0..=MAX_CONDITION.min(n_chars)).rev() {
        let ending = &base[boundaries.get(n_chars - length).copied().unwrap_or(base.len())..];
        if let Some(rewrite) = rules.get(ending)
            && rewrite.strip <= n_chars
        {
            let keep = boundaries.get(n_chars - rewrite.strip).copied().unwrap_or(base.len());
            let mut lemma = String::with_capacity(keep + rewrite.add.len());
            lemma.push_str(&base[..keep]);
            lemma.push_str(&rewrite.add);
            return lemma;
        }
    }
    base.to_owned()
}

/// The ending one character shorter, `None` for the empty ending.
fn drop_first_char(ending: &str) -> Option<&str> {
    let first = ending.chars().next()?;
    Some(&ending[first.len_utf8()..])
}

/// The rewrite turning `base` into `lemma`: characters to drop from the end, text to append.
fn rewrite_of(base: &str, lemma: &str) -> Rewrite {
    let common = base.chars().zip(lemma.chars()).take_while(|(a, b)| a == b).count();
    let strip = base.chars().count() - common;
    let add: String = lemma.chars().skip(common).collect();
    Rewrite { strip, add }
}

/// Learns rules, exceptions and case from gold sentences.
pub fn learn(sentences: &[ConlluSentence]) -> Lemmatizer {
    // Case first: do capitalised words keep their case, inside a sentence and first in it?
    let mut case_counts: FxHashMap<(String, bool), (u32, u32)> = FxHashMap::default();
    for word in sentences.iter().flat_map(|sentence| &sentence.words) {
        let capitalised = word.form.chars().next().is_some_and(char::is_uppercase);
        if !capitalised || word.lemma == "_" {
            continue;
        }
        let counts = case_counts.entry((format!("{} {}", word.upos, word.xpos), word.id > 1)).or_default();
        if word.lemma.chars().next().is_some_and(char::is_uppercase) {
            counts.0 += 1;
        } else {
            counts.1 += 1;
        }
    }
    let mut lemmatizer = Lemmatizer::default();
    for ((tags, inside), (keep, lower_case)) in &case_counts {
        if keep > lower_case {
            let entry = lemmatizer.entry(tags);
            if *inside {
                entry.keep_case = true;
            } else {
                entry.keep_case_first = true;
            }
        }
    }

    // Counts of rewrites per tag pair and form ending, and of lemmas per form.
    type Counts<T> = FxHashMap<T, u32>;
    let mut endings: FxHashMap<String, FxHashMap<String, Counts<Rewrite>>> = FxHashMap::default();
    let mut forms: FxHashMap<(String, String), Counts<String>> = FxHashMap::default();
    let mut tag_feats: FxHashMap<String, Counts<String>> = FxHashMap::default();
    let mut form_feats: FxHashMap<(String, String), Counts<String>> = FxHashMap::default();
    for word in sentences.iter().flat_map(|sentence| &sentence.words) {
        let tags = format!("{} {}", word.upos, word.xpos);
        *tag_feats.entry(tags.clone()).or_default().entry(word.feats.clone()).or_default() += 1;
        *form_feats.entry((tags, lower(&word.form))).or_default().entry(word.feats.clone()).or_default() += 1;
    }
    let most_frequent = |counts: &Counts<String>| -> Option<(String, u32)> {
        counts
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(value, &count)| (value.clone(), count))
    };
    for (tags, counts) in &tag_feats {
        lemmatizer.entry(tags).feats = most_frequent(counts).map(|(feats, _)| feats.into());
    }
    for ((tags, form), counts) in &form_feats {
        let total: u32 = counts.values().sum();
        let entry = lemmatizer.entry(tags);
        if let Some((feats, _)) = most_frequent(counts)
            && total >= MIN_FEATS_COUNT
            && entry.feats.as_deref() != Some(feats.as_str())
        {
            entry.word_feats.insert(form.as_str().into(), feats.into());
        }
    }
    for sentence in sentences {
        for word in &sentence.words {
            if word.lemma == "_" || word.lemma.is_empty() {
                continue;
            }
            let tags = format!("{} {}", word.upos, word.xpos);
            let inside = word.id > 1;
            let keep_case = lemmatizer
                .tags
                .get(tags.as_str())
                .is_some_and(|rules| if inside { rules.keep_case } else { rules.keep_case_first });
            let capitalised = word.form.chars().next().is_some_and(char::is_uppercase);
            let base = if keep_case && capitalised { word.form.clone() } else { lower(&word.form) };
            let rewrite = rewrite_of(&base, &word.lemma);
            let by_ending = endings.entry(rule_group(&tags).to_owned()).or_default();
            let boundaries: Vec<usize> = base.char_indices().map(|(at, _)| at).collect();
            let n_chars = boundaries.len();
            for length in rewrite.strip.min(n_chars)..=MAX_CONDITION.min(n_chars) {
                let ending = &base[boundaries.get(n_chars - length).copied().unwrap_or(base.len())..];
                *by_ending.entry(ending.to_owned()).or_default().entry(rewrite.clone()).or_default() += 1;
            }
            *forms.entry((tags, word.form.clone())).or_default().entry(word.lemma.clone()).or_default() += 1;
        }
    }

    // Keep, per ending, the most frequent rewrite, where it differs from the shorter ending's.
    for (group, by_ending) in &endings {
        let best: FxHashMap<&str, (&Rewrite, u32)> = by_ending
            .iter()
            .filter_map(|(ending, rewrites)| {
                let (rewrite, &count) = rewrites.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))?;
                Some((ending.as_str(), (rewrite, count)))
            })
            .collect();
        let entry = lemmatizer.rules.entry(group.as_str().into()).or_default();
        for (&ending, &(rewrite, count)) in &best {
            if count < MIN_RULE_COUNT && !ending.is_empty() {
                continue;
            }
            // The rule that would apply without this ending: the nearest shorter one kept.
            let mut shorter = ending;
            let mut inherited = None;
            while let Some(next) = drop_first_char(shorter) {
                shorter = next;
                if let Some(&(parent, parent_count)) = best.get(shorter)
                    && (parent_count >= MIN_RULE_COUNT || shorter.is_empty())
                {
                    inherited = Some(parent);
                    break;
                }
            }
            let differs = match inherited {
                Some(parent) => parent != rewrite,
                None => true,
            };
            if differs {
                entry.insert(ending.into(), rewrite.clone());
            }
        }
    }

    // Known lemmas: those of open-class words, lower case, letters only.
    for word in sentences.iter().flat_map(|sentence| &sentence.words) {
        let lemma = lower(&word.lemma);
        if matches!(word.upos.as_str(), "VERB" | "AUX" | "NOUN" | "ADJ" | "ADV")
            && lemma.len() >= 2
            && lemma.chars().all(|c| c.is_ascii_lowercase())
        {
            lemmatizer.known.insert(lemma.into());
        }
    }

    // Exceptions: forms whose most frequent lemma the rules miss.
    let mut sorted: Vec<_> = forms.into_iter().collect();
    sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for ((tags, form), lemmas) in sorted {
        let Some((lemma, _)) = lemmas.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))) else {
            continue;
        };
        let predicted_inside = lemmatizer.lemma(&form, &tags, true);
        let predicted_first = lemmatizer.lemma(&form, &tags, false);
        if predicted_inside != *lemma || predicted_first != *lemma {
            lemmatizer.entry(&tags).exceptions.insert(form.into(), lemma.as_str().into());
        }
    }
    lemmatizer
}

/// Share of words whose features match gold, with the tags already in `tagged`.
pub fn feats_accuracy(lemmatizer: &Lemmatizer, tagged: &[ConlluSentence], gold: &[ConlluSentence]) -> f64 {
    let (mut right, mut total) = (0usize, 0usize);
    let mut words = Vec::new();
    for (sentence, truth) in tagged.iter().zip(gold) {
        words.clone_from(&sentence.words);
        for word in &mut words {
            word.feats.clear();
        }
        lemmatizer.lemmatize(&mut words);
        for (word, gold_word) in words.iter().zip(&truth.words) {
            total += 1;
            right += usize::from(word.feats == gold_word.feats);
        }
    }
    if total == 0 { 0.0 } else { 100.0 * right as f64 / total as f64 }
}

/// Share of words whose lemma matches gold, lemmatizing with the tags already in `words`.
pub fn accuracy(lemmatizer: &Lemmatizer, tagged: &[ConlluSentence], gold: &[ConlluSentence]) -> f64 {
    let (mut right, mut total) = (0usize, 0usize);
    let mut words = Vec::new();
    for (sentence, truth) in tagged.iter().zip(gold) {
        words.clone_from(&sentence.words);
        lemmatizer.lemmatize(&mut words);
        for (word, gold_word) in words.iter().zip(&truth.words) {
            total += 1;
            right += usize::from(word.lemma == gold_word.lemma);
        }
    }
    if total == 0 { 0.0 } else { 100.0 * right as f64 / total as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(id: u32, form: &str, upos: &str, xpos: &str) -> Word {
        Word { id, form: form.to_owned(), upos: upos.to_owned(), xpos: xpos.to_owned(), ..Word::default() }
    }

    fn check(form: &str, upos: &str, xpos: &str, expected: &str) {
        let lemmatizer = Lemmatizer::embedded().expect("the embedded lemmatizer data loads");
        let mut words = [word(2, form, upos, xpos)];
        lemmatizer.lemmatize(&mut words);
        assert_eq!(words[0].lemma, expected, "{form} {upos} {xpos}");
    }

    #[test]
    fn irregular_forms() {
        check("went", "VERB", "VBD", "go");
        check("was", "AUX", "VBD", "be");
        check("better", "ADJ", "JJR", "good");
        check("children", "NOUN", "NNS", "child");
        check("I", "PRON", "PRP", "I");
    }

    #[test]
    fn regular_endings() {
        check("cities", "NOUN", "NNS", "city");
        check("talks", "NOUN", "NNS", "talk");
        check("resumed", "VERB", "VBD", "resume");
        check("stopping", "VERB", "VBG", "stop");
        check("Ministers", "NOUN", "NNS", "minister");
        check("blorfed", "VERB", "VBD", "blorf");
    }

    #[test]
    fn irregular_verbs_from_the_table() {
        for (form, lemma) in [
            ("froze", "freeze"),
            ("unfroze", "unfreeze"),
            ("forgave", "forgive"),
            ("overran", "overrun"),
            ("retook", "retake"),
            ("shot", "shoot"),
            ("drove", "drive"),
            ("spoke", "speak"),
            ("sought", "seek"),
            ("fled", "flee"),
            ("struck", "strike"),
            ("withdrew", "withdraw"),
            ("overrode", "override"),
            ("beset", "beset"),
            ("shed", "shed"),
            ("bled", "bleed"),
            ("lay", "lie"),
            ("undertook", "undertake"),
            ("outbid", "outbid"),
            ("mistook", "mistake"),
            ("overthrew", "overthrow"),
            ("rebuilt", "rebuild"),
        ] {
            check(form, "VERB", "VBD", lemma);
        }
        for (form, lemma) in [
            ("overrun", "overrun"),
            ("retaken", "retake"),
            ("unfrozen", "unfreeze"),
            ("withdrawn", "withdraw"),
            ("undertaken", "undertake"),
            ("forgiven", "forgive"),
            ("mistaken", "mistake"),
            ("overthrown", "overthrow"),
            ("stricken", "strike"),
            ("beset", "beset"),
        ] {
            check(form, "VERB", "VBN", lemma);
        }
        assert_eq!(irregular_base("withdrew"), Some("withdraw"));
        assert_eq!(irregular_base("walked"), None);
    }

    #[test]
    fn the_irregular_table_is_well_formed() {
        for line in IRREGULAR_VERBS.lines().filter(|line| !line.starts_with('#')) {
            let columns: Vec<&str> = line.split('\t').collect();
            assert_eq!(columns.len(), 3, "{line:?}");
            assert!(
                columns
                    .iter()
                    .flat_map(|column| column.split('/'))
                    .all(|form| { !form.is_empty() && form.chars().all(|c| c.is_ascii_lowercase()) })
            );
        }
    }

    #[test]
    fn unseen_regular_verbs() {
        for (form, lemma) in [
            ("shelled", "shell"),
            ("boycotted", "boycott"),
            ("hanged", "hang"),
            ("consoled", "console"),
            ("rioted", "riot"),
            ("raided", "raid"),
            ("massacred", "massacre"),
            ("gassed", "gas"),
            ("planned", "plan"),
            ("dyed", "dye"),
            ("died", "die"),
            ("lied", "lie"),
            ("cried", "cry"),
            ("stopped", "stop"),
            ("visited", "visit"),
            ("admitted", "admit"),
            ("referred", "refer"),
            ("offered", "offer"),
            ("panicked", "panic"),
            ("embargoed", "embargo"),
            ("relaxed", "relax"),
            ("wounded", "wound"),
            ("blorfed", "blorf"),
        ] {
            check(form, "VERB", "VBD", lemma);
            check(form, "VERB", "VBN", lemma);
        }
        for (form, lemma) in [
            ("shelling", "shell"),
            ("boycotting", "boycott"),
            ("consoling", "console"),
            ("rioting", "riot"),
            ("massacring", "massacre"),
            ("gassing", "gas"),
            ("planning", "plan"),
            ("dying", "die"),
            ("lying", "lie"),
            ("dyeing", "dye"),
            ("panicking", "panic"),
        ] {
            check(form, "VERB", "VBG", lemma);
        }
        for (form, lemma) in
            [("shells", "shell"), ("boycotts", "boycott"), ("raids", "raid"), ("massacres", "massacre")]
        {
            check(form, "VERB", "VBZ", lemma);
        }
        // Adjectives keep their form, as in UD English-EWT.
        check("relaxed", "ADJ", "JJ", "relaxed");
    }

    #[test]
    fn spelling_alone_decides_for_words_training_lacks() {
        let stems = |form: &str, ending| -> Vec<(String, bool)> {
            regular_stems(form, ending).into_iter().map(|stem| (stem.text, stem.allowed)).collect()
        };
        let untrained = Lemmatizer::default();
        for (form, lemma) in [
            ("zorbed", "zorb"),
            ("glotted", "glot"),
            ("consoled", "console"),
            ("raided", "raid"),
            ("rioted", "riot"),
            ("massacred", "massacre"),
            ("voted", "vote"),
            ("dyed", "dye"),
            ("died", "die"),
            ("cried", "cry"),
            ("agreed", "agree"),
            ("argued", "argue"),
            ("danced", "dance"),
            ("judged", "judge"),
            ("shelled", "shell"),
            ("kissed", "kiss"),
            ("cancelled", "cancel"),
            ("installed", "install"),
            ("stopped", "stop"),
            ("pointed", "point"),
            ("dominated", "dominate"),
            ("played", "play"),
        ] {
            assert_eq!(
                untrained.choose_stem(form, Ending::Ed, String::new()),
                lemma,
                "{form}: {:?}",
                stems(form, Ending::Ed)
            );
        }
        for (form, lemma) in
            [("hoping", "hope"), ("hopping", "hop"), ("seeing", "see"), ("tying", "tie"), ("crying", "cry")]
        {
            assert_eq!(
                untrained.choose_stem(form, Ending::Ing, String::new()),
                lemma,
                "{form}: {:?}",
                stems(form, Ending::Ing)
            );
        }
        for (form, lemma) in [("watches", "watch"), ("cries", "cry"), ("ties", "tie"), ("makes", "make")] {
            assert_eq!(
                untrained.choose_stem(form, Ending::S, String::new()),
                lemma,
                "{form}: {:?}",
                stems(form, Ending::S)
            );
        }
    }

    #[test]
    fn features_by_tag_and_form() {
        let lemmatizer = Lemmatizer::embedded().unwrap();
        assert_eq!(lemmatizer.feats("cities", "NOUN NNS"), Some("Number=Plur"));
        assert!(lemmatizer.feats("He", "PRON PRP").is_some_and(|feats| feats.contains("Case=Nom")));
        assert_eq!(lemmatizer.feats("x", "NOPE NOPE"), None);
        let mut words = [word(1, "talks", "NOUN", "NNS")];
        lemmatizer.lemmatize(&mut words);
        assert_eq!(words[0].feats, "Number=Plur");
    }

    #[test]
    fn proper_nouns_keep_their_case() {
        let lemmatizer = Lemmatizer::embedded().unwrap();
        let mut first = [word(1, "Debra", "PROPN", "NNP"), word(2, "Smelled", "VERB", "VBD")];
        lemmatizer.lemmatize(&mut first);
        assert_eq!(first[0].lemma, "Debra");
        check("Obama", "PROPN", "NNP", "Obama");
        check("Americans", "PROPN", "NNPS", "American");
    }

    #[test]
    fn rules_learned_from_a_toy_treebank() {
        let text = "1\tcats\tcat\tNOUN\tNNS\t_\t0\troot\t_\t_\n2\tdogs\tdog\tNOUN\tNNS\t_\t1\tdep\t_\t_\n\
                    3\tmice\tmouse\tNOUN\tNNS\t_\t1\tdep\t_\t_\n\n";
        let sentences = crate::conllu::parse(text).unwrap();
        let lemmatizer = learn(&sentences);
        assert_eq!(lemmatizer.lemma("rats", "NOUN NNS", true), "rat");
        assert_eq!(lemmatizer.lemma("mice", "NOUN NNS", true), "mouse");
        let again = Lemmatizer::from_bytes(&lemmatizer.to_bytes().unwrap()).unwrap();
        assert_eq!(again.to_text(), lemmatizer.to_text());
        assert!(Lemmatizer::from_text("q\tbroken\n").is_err());
    }
}

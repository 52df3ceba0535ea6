//! CoNLL-U, the Universal Dependencies file format: a reader and a writer, and a reader for
//! the IOB2 named-entity files laid out like it (UNER: `id  token  tag  -  annotator`).
//!
//! Empty nodes (ids like `8.1`) belong to enhanced dependencies and are skipped; multiword
//! tokens (ids like `2-3`, "don't") are kept beside the words they span, for raw-text
//! evaluation and for writing them back.

use std::fmt::Write as _;

/// One syntactic word of a sentence.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Word {
    /// 1-based index in the sentence.
    pub id: u32,
    /// Form.
    pub form: String,
    /// Lemma (`_` when unknown).
    pub lemma: String,
    /// Universal part of speech.
    pub upos: String,
    /// Language-specific part of speech (Penn Treebank for English).
    pub xpos: String,
    /// Morphological features.
    pub feats: String,
    /// Head id, 0 for the root.
    pub head: u32,
    /// Relation to the head.
    pub deprel: String,
    /// Enhanced dependencies.
    pub deps: String,
    /// Anything else, `|`-separated (`SpaceAfter=No`, `NE=B-PER`).
    pub misc: String,
}

impl Word {
    /// True when the `MISC` column says no space follows the word.
    pub fn no_space_after(&self) -> bool {
        self.misc.split('|').any(|item| item == "SpaceAfter=No")
    }
}

/// A multiword token: one written form for the words `first..=last` ("don't" for do + n't).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MultiwordToken {
    /// Id of the first word.
    pub first: u32,
    /// Id of the last word.
    pub last: u32,
    /// Written form.
    pub form: String,
    /// `MISC` column.
    pub misc: String,
}

/// A sentence of a CoNLL-U file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConlluSentence {
    /// Comment lines without the leading `# `, in order (`sent_id = …`, `text = …`).
    pub comments: Vec<String>,
    /// The words.
    pub words: Vec<Word>,
    /// Multiword tokens.
    pub multiword: Vec<MultiwordToken>,
}

impl ConlluSentence {
    /// The value of a `# key = value` comment.
    pub fn comment(&self, key: &str) -> Option<&str> {
        self.comments.iter().find_map(|comment| {
            let (name, value) = comment.split_once('=')?;
            (name.trim() == key).then(|| value.trim())
        })
    }

    /// The sentence text: the `# text` comment, else the words joined by their spacing.
    pub fn text(&self) -> String {
        if let Some(text) = self.comment("text") {
            return text.to_owned();
        }
        let mut text = String::new();
        for token in self.surface_tokens() {
            text.push_str(&token.form);
            if !token.no_space_after {
                text.push(' ');
            }
        }
        text.trim_end().to_owned()
    }

    /// The written tokens: multiword tokens in place of the words they span.
    pub fn surface_tokens(&self) -> Vec<SurfaceToken> {
        let mut tokens = Vec::with_capacity(self.words.len());
        let mut index = 0;
        while index < self.words.len() {
            let word = &self.words[index];
            if let Some(multiword) = self.multiword.iter().find(|multiword| multiword.first == word.id) {
                let no_space_after = multiword.misc.split('|').any(|item| item == "SpaceAfter=No");
                tokens.push(SurfaceToken {
                    form: multiword.form.clone(),
                    words: multiword.first..multiword.last + 1,
                    no_space_after,
                });
                index += (multiword.last - multiword.first + 1) as usize;
            } else {
                tokens.push(SurfaceToken {
                    form: word.form.clone(),
                    words: word.id..word.id + 1,
                    no_space_after: word.no_space_after(),
                });
                index += 1;
            }
        }
        tokens
    }
}

/// A token as written in the text: a word, or a multiword token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SurfaceToken {
    /// Written form.
    pub form: String,
    /// Ids of the words it stands for.
    pub words: std::ops::Range<u32>,
    /// No space follows it.
    pub no_space_after: bool,
}

/// A line that could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("line {line}: {message}")]
pub struct ParseError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// Reads every sentence of a CoNLL-U text.
pub fn parse(text: &str) -> Result<Vec<ConlluSentence>, ParseError> {
    let mut sentences = Vec::new();
    let mut current = ConlluSentence::default();
    // The line of each multiword token of the sentence at hand.
    let mut multiword_lines = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_number = index + 1;
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !current.words.is_empty() || !current.comments.is_empty() || !current.multiword.is_empty() {
                check_multiwords(&current, &multiword_lines)?;
                sentences.push(std::mem::take(&mut current));
            }
            multiword_lines.clear();
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            current.comments.push(comment.trim_start().to_owned());
            continue;
        }
        // An empty column is invalid CoNLL-U; it is read as `_`, as the writer writes it back.
        let columns: Vec<&str> = line.split('\t').map(|column| if column.is_empty() { "_" } else { column }).collect();
        if columns.len() != 10 {
            let message = format!("expected 10 tab-separated columns, found {}", columns.len());
            return Err(ParseError { line: line_number, message });
        }
        let id = columns[0];
        if id.contains('.') {
            continue;
        }
        let error = |message: String| ParseError { line: line_number, message };
        if let Some((first, last)) = id.split_once('-') {
            let first = first.parse().map_err(|_| error(format!("bad multiword id {id:?}")))?;
            let last = last.parse().map_err(|_| error(format!("bad multiword id {id:?}")))?;
            if last < first {
                return Err(error(format!("bad multiword range {id:?}")));
            }
            current.multiword.push(MultiwordToken {
                first,
                last,
                form: columns[1].to_owned(),
                misc: columns[9].to_owned(),
            });
            multiword_lines.push(line_number);
            continue;
        }
        let id: u32 = id.parse().map_err(|_| error(format!("bad word id {id:?}")))?;
        let expected = current.words.len() + 1;
        if id as usize != expected {
            return Err(error(format!(
                "word id {id} out of sequence: the sentence's words are numbered 1, 2, … ({expected} expected)"
            )));
        }
        let head = match columns[6] {
            "_" => 0,
            head => head.parse().map_err(|_| error(format!("bad head {head:?}")))?,
        };
        current.words.push(Word {
            id,
            form: columns[1].to_owned(),
            lemma: columns[2].to_owned(),
            upos: columns[3].to_owned(),
            xpos: columns[4].to_owned(),
            feats: columns[5].to_owned(),
            head,
            deprel: columns[7].to_owned(),
            deps: columns[8].to_owned(),
            misc: columns[9].to_owned(),
        });
    }
    if !current.words.is_empty() || !current.multiword.is_empty() {
        check_multiwords(&current, &multiword_lines)?;
        sentences.push(current);
    }
    Ok(sentences)
}

/// Every multiword token of a sentence stands for words the sentence has, and no two stand
/// for the same word.
fn check_multiwords(sentence: &ConlluSentence, lines: &[usize]) -> Result<(), ParseError> {
    for (index, (multiword, &line)) in sentence.multiword.iter().zip(lines).enumerate() {
        if let Some(other) = sentence.multiword[..index]
            .iter()
            .find(|other| other.first <= multiword.last && multiword.first <= other.last)
        {
            let message = format!(
                "the multiword token {}-{} overlaps the token {}-{}",
                multiword.first, multiword.last, other.first, other.last
            );
            return Err(ParseError { line, message });
        }
        let covered = (multiword.first..=multiword.last).all(|id| sentence.words.iter().any(|word| word.id == id));
        if !covered {
            let message = format!(
                "the multiword token {}-{} stands for words the sentence does not have",
                multiword.first, multiword.last
            );
            return Err(ParseError { line, message });
        }
    }
    Ok(())
}

/// Writes sentences as CoNLL-U.
pub fn write(sentences: &[ConlluSentence]) -> String {
    let mut out = String::new();
    for sentence in sentences {
        for comment in &sentence.comments {
            let _ = writeln!(out, "# {comment}");
        }
        for word in &sentence.words {
            if let Some(multiword) = sentence.multiword.iter().find(|multiword| multiword.first == word.id) {
                let _ = writeln!(
                    out,
                    "{}-{}\t{}\t_\t_\t_\t_\t_\t_\t_\t{}",
                    multiword.first,
                    multiword.last,
                    multiword.form,
                    or_blank(&multiword.misc)
                );
            }
            // A word not yet parsed has no relation: its head is written `_`, not root.
            let head = if word.deprel.is_empty() { "_".to_owned() } else { word.head.to_string() };
            let _ = writeln!(
                out,
                "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                word.id,
                word.form,
                or_blank(&word.lemma),
                or_blank(&word.upos),
                or_blank(&word.xpos),
                or_blank(&word.feats),
                head,
                or_blank(&word.deprel),
                or_blank(&word.deps),
                or_blank(&word.misc)
            );
        }
        out.push('\n');
    }
    out
}

fn or_blank(value: &str) -> &str {
    if value.is_empty() { "_" } else { value }
}

/// A sentence of an IOB2 named-entity file: tokens and their BIO labels.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IobSentence {
    /// The `# sent_id`, when given.
    pub id: Option<String>,
    /// Token forms.
    pub tokens: Vec<String>,
    /// Labels: `O`, `B-PER`, `I-LOC`, ...
    pub labels: Vec<String>,
}

/// Reads an IOB2 file: either `id  token  label  …` (UNER) or `token  label` (CoNLL 2003
/// style, as wikigold), blank lines between sentences, `#` comments and `-DOCSTART-` lines
/// ignored.
pub fn parse_iob(text: &str) -> Result<Vec<IobSentence>, ParseError> {
    let mut sentences = Vec::new();
    let mut current = IobSentence::default();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            if !current.tokens.is_empty() {
                sentences.push(std::mem::take(&mut current));
            }
            continue;
        }
        if let Some(comment) = line.strip_prefix('#') {
            if let Some(id) = comment.trim().strip_prefix("sent_id =") {
                current.id = Some(id.trim().to_owned());
            }
            continue;
        }
        let columns: Vec<&str> =
            if line.contains('\t') { line.split('\t').collect() } else { line.split_whitespace().collect() };
        let (token, label) = match columns.as_slice() {
            [id, token, label, ..] if id.parse::<u32>().is_ok() => (*token, *label),
            [token, .., label] => (*token, *label),
            _ => {
                return Err(ParseError { line: index + 1, message: "expected a token and a label".to_owned() });
            }
        };
        if token == "-DOCSTART-" {
            continue;
        }
        current.tokens.push(token.to_owned());
        current.labels.push(label.to_owned());
    }
    if !current.tokens.is_empty() {
        sentences.push(current);
    }
    Ok(sentences)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# sent_id = s1\n# text = I don't know.\n1\tI\tI\tPRON\tPRP\t_\t4\tnsubj\t_\t_\n2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_\n3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_\n4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No\n4.1\tx\tx\tX\tX\t_\t_\t_\t_\t_\n5\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n";

    #[test]
    fn reads_words_and_multiword_tokens() {
        let sentences = parse(SAMPLE).unwrap();
        assert_eq!(sentences.len(), 1);
        let sentence = &sentences[0];
        assert_eq!(sentence.comment("sent_id"), Some("s1"));
        assert_eq!(sentence.words.len(), 5);
        assert_eq!(sentence.words[3].head, 0);
        let surface: Vec<String> = sentence.surface_tokens().into_iter().map(|token| token.form).collect();
        assert_eq!(surface, ["I", "don't", "know", "."]);
        assert_eq!(sentence.text(), "I don't know.");
    }

    #[test]
    fn round_trips() {
        let sentences = parse(SAMPLE).unwrap();
        let again = parse(&write(&sentences)).unwrap();
        assert_eq!(sentences, again);
    }

    #[test]
    fn empty_columns_read_as_blank_and_round_trip() {
        // Found by fuzzing (fuzz/regressions/conllu): an empty DEPREL and DEPS were read as
        // empty strings and written back as `_`, so the file did not read back the same.
        let sentences = parse("1\tgas\tgas\tNOUN\tNN\t_\t0\t\t\tNE=O\n").unwrap();
        assert_eq!(sentences[0].words[0].deprel, "_");
        assert_eq!(sentences[0].words[0].deps, "_");
        assert_eq!(parse(&write(&sentences)).unwrap(), sentences);
    }

    #[test]
    fn a_multiword_token_without_its_words_is_an_error() {
        // Found by fuzzing (fuzz/regressions/conllu): the token was read, then not written.
        let error = parse("# c\n1-3\trry\t_\t_\t_\t_\t_\t_\t_\t_\n\n").unwrap_err();
        assert_eq!(error.line, 2, "{error}");
        let partly = "1-2\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n1\tdo\tdo\tAUX\tVBP\t_\t0\troot\t_\t_\n";
        assert!(parse(partly).is_err());
        // Found by fuzzing (fuzz/regressions/conllu): a second token over the same word was
        // read, then not written.
        let twice = "1-2\tdon't\t_\t_\t_\t_\t_\t_\t_\t_\n1-2\tdont\t_\t_\t_\t_\t_\t_\t_\t_\n\
                     1\tdo\tdo\tAUX\tVBP\t_\t0\troot\t_\t_\n2\tn't\tnot\tPART\tRB\t_\t1\tadvmod\t_\t_\n";
        assert_eq!(parse(twice).unwrap_err().line, 2);
    }

    #[test]
    fn word_ids_run_from_one() {
        // Found by fuzzing (fuzz/regressions/conllu): two words numbered 1 made the multiword
        // token before them written twice.
        let twice = "1\ta\ta\tX\tX\t_\t0\troot\t_\t_\n1\tb\tb\tX\tX\t_\t1\tdep\t_\t_\n";
        assert_eq!(parse(twice).unwrap_err().line, 2);
        assert!(parse("2\ta\ta\tX\tX\t_\t0\troot\t_\t_\n").is_err());
    }

    #[test]
    fn bad_lines_name_their_number() {
        assert_eq!(parse("1\tx\n").unwrap_err().line, 1);
        assert!(parse("# c\nx\ty\t_\t_\t_\t_\t0\troot\t_\t_\n").is_err());
    }

    #[test]
    fn reads_both_iob_layouts() {
        let uner = parse_iob("# sent_id = a\n1\tJohn\tB-PER\t-\t-\n2\tran\tO\t-\t-\n\n").unwrap();
        assert_eq!(uner[0].labels, ["B-PER", "O"]);
        assert_eq!(uner[0].id.as_deref(), Some("a"));
        let conll = parse_iob("-DOCSTART- O\n\nParis I-LOC\nis O\n").unwrap();
        assert_eq!(conll[0].tokens, ["Paris", "is"]);
    }
}

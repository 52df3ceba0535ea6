//! PETRARCH's internal coding ontology (`PETR_*_Internal_Coding_Ontology_*.txt`): each CAMEO
//! event code as a number, so that a negated verb's code can be found from its own.
//!
//! A line is `CODE:VALUE`, the value a sum of hexadecimal terms (`0x1000`, `0x1000-0xFFFF`,
//! `-0xFFFF+0x0200`); `#` starts a comment. A negated event is the one whose value differs
//! by `0xFFFF`: the value of "disapprove" (110) is that of "diplomatic cooperation" (050) plus
//! `0xFFFF`, so "did not clash" (coded 110) is 050 and "will not wire tap" (170, the negation
//! of 057) is 057; "decline to comment" (011) is "make a statement" (010) less `0xFFFF`.

use rustc_hash::FxHashMap;

use super::dict::DictWarning;

/// The negation flag of a value.
const NEGATION: i64 = 0xFFFF;

/// Event codes with their values in the ontology.
#[derive(Clone, Debug, Default)]
pub struct Ontology {
    values: FxHashMap<String, i64>,
    /// Value → the first code given it.
    codes: FxHashMap<i64, String>,
    /// Lines skipped, with `file:line`.
    pub warnings: Vec<DictWarning>,
}

impl Ontology {
    /// Reads an ontology file's text.
    pub fn parse(file: &str, text: &str) -> Ontology {
        let mut ontology = Ontology::default();
        for (index, raw) in text.lines().enumerate() {
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let parsed = line.split_once(':').and_then(|(code, value)| Some((code.trim(), sum(value.trim())?)));
            match parsed {
                Some((code, value)) if !code.is_empty() && !code.starts_with('-') => {
                    ontology.values.insert(code.to_owned(), value);
                    ontology.codes.entry(value).or_insert_with(|| code.to_owned());
                }
                Some(_) => {}
                None => ontology.warnings.push(DictWarning {
                    file: file.into(),
                    line: index + 1,
                    message: format!("unreadable ontology line `{line}`"),
                }),
            }
        }
        ontology
    }

    /// Number of codes read.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// True when no code was read.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The code of the negated event: the value with its negation flag removed, or added
    /// (first above, then below). `None` when no code has that value.
    pub fn negate(&self, code: &str) -> Option<&str> {
        let value = *self.values.get(code)?;
        let flagged = !(0..NEGATION).contains(&value);
        let candidates: &[i64] = if flagged {
            &[if value < 0 { value + NEGATION } else { value - NEGATION }]
        } else {
            &[value + NEGATION, value - NEGATION]
        };
        candidates.iter().find_map(|value| self.codes.get(value)).map(String::as_str)
    }
}

/// `0x1000-0xFFFF+0x20`: a sum of hexadecimal (or decimal) terms.
fn sum(text: &str) -> Option<i64> {
    if text.is_empty() {
        return None;
    }
    let mut total = 0i64;
    let mut sign = 1i64;
    let mut term = String::new();
    let finish = |term: &mut String, sign: i64, total: &mut i64| -> Option<()> {
        if term.is_empty() {
            return Some(());
        }
        let value = match term.strip_prefix("0x").or_else(|| term.strip_prefix("0X")) {
            Some(hex) => i64::from_str_radix(hex, 16).ok()?,
            None => term.parse().ok()?,
        };
        *total += sign * value;
        term.clear();
        Some(())
    };
    for c in text.chars() {
        match c {
            '+' | '-' => {
                finish(&mut term, sign, &mut total)?;
                sign = if c == '-' { -1 } else { 1 };
            }
            c if c.is_whitespace() => {}
            c => term.push(c),
        }
    }
    finish(&mut term, sign, &mut total)?;
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negation_adds_or_removes_the_flag() {
        let text = "# a made-up ontology\n\
                    010:0x1000#Say\n011:0x1000-0xFFFF\n050:0x0080\n057:0x0087\n\
                    110:0x1007f#0xFFFF+0x0080\n170:0x10086\n120:-0xFFFF\n080:0x0200\n124:-0xFFFF+0x0200\n\
                    190:0x00A0\n---:0\nnonsense\n";
        let ontology = Ontology::parse("onto.txt", text);
        assert_eq!(ontology.len(), 10);
        assert_eq!(ontology.warnings.len(), 1);
        assert_eq!(ontology.negate("110"), Some("050"));
        assert_eq!(ontology.negate("050"), Some("110"));
        assert_eq!(ontology.negate("170"), Some("057"));
        assert_eq!(ontology.negate("010"), Some("011"));
        assert_eq!(ontology.negate("011"), Some("010"));
        assert_eq!(ontology.negate("080"), Some("124"));
        assert_eq!(ontology.negate("190"), None, "no code for a negated fight");
        assert_eq!(ontology.negate("999"), None);
    }
}

//! PETRARCH (TABARI) actor and agent dictionaries, so that users can code with the
//! dictionaries they already have.
//!
//! Actors: a root phrase (words joined by `_` or spaces, matched as whole words: PETRARCH does
//! not stem, and a trailing `_`, TABARI's mark of an exact word, changes nothing), `+`
//! synonyms, and codes in brackets on the root's line or on their own lines: `[USAGOV]`,
//! `[AFGGOV 011222-141231]`, `[IGOUNO >20070101]`, `[KORGOV <071231]`, with or without spaces
//! around `<`, `>` and `-` (`[HOB < 950601]`). Six-digit dates are `YYMMDD` (years up to 30 are
//! 20YY). `---` is "no code"; other codes are kept as written, `ELR/GAL` and `+++` included.
//!
//! Agents: `PHRASE [~GOV]` adds a sector after a country, `PHRASE [IGO~]` before (spaces
//! inside the brackets allowed); `!PERSON! = MAN, MEN` defines a substitution used inside
//! phrases; `{...}` lists plural forms (`{}`: none), and without it the regular plural is
//! formed. `#` starts a comment, and `<!-- ... -->` lines are skipped.

use chrono::NaiveDate;

use super::{Actor, DatedCode, DictionaryError, Loaded, NameKind, Origin, Phrase, Role, split_words};

/// True when the text is an agents file: its codes carry a `~`.
pub(crate) fn looks_like_agents(text: &str) -> bool {
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .any(|line| line.contains("[~") || line.contains("~]"))
}

/// A phrase with the canonical name shown for it: words joined by spaces, in title case.
fn phrase_of(raw: &str) -> Option<(Phrase, String)> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let phrase = Phrase::new(raw, false);
    if phrase.words.is_empty() {
        return None;
    }
    let canonical = split_words(raw).map(title_case).collect::<Vec<_>>().join(" ");
    Some((phrase, canonical))
}

fn title_case(word: &str) -> String {
    let lower = word.to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The text of a line without its comment.
fn content(line: &str) -> &str {
    let line = line.trim_end_matches('\r');
    match line.find('#') {
        Some(at) => &line[..at],
        None => line,
    }
}

/// Reads a PETRARCH actors dictionary.
pub fn read_petrarch_actors(file: &str, text: &str) -> Loaded {
    let mut loaded = Loaded::default();
    let mut group = Group::default();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if line.trim_start().starts_with("<!--") || line.trim_start().starts_with("-->") {
            continue;
        }
        let line = content(line);
        if line.trim().is_empty() {
            continue;
        }
        let trimmed = line.trim();
        let (phrase_part, codes_part) = match trimmed.find('[') {
            Some(at) => (&trimmed[..at], Some(&trimmed[at..])),
            None => (trimmed, None),
        };
        let phrase_part = phrase_part.trim();
        if let Some(synonym) = phrase_part.strip_prefix('+') {
            if group.number == 0 {
                loaded.warnings.push(DictionaryError::new(file, number, "synonym `+` before any actor"));
            } else if let Some(phrase) = phrase_of(synonym) {
                group.phrases.push(phrase);
            }
        } else if !phrase_part.is_empty() {
            // A root without codes shares the codes of the roots after it ("IVO_JOSIPOVIC_",
            // "JOSIPOVIC_", then "[HRVGOV >20120219]").
            group.flush(file, &mut loaded);
            let pending = std::mem::take(&mut group.phrases);
            let first = if pending.is_empty() { number } else { group.number };
            group = Group { number: first, phrases: pending, ..Group::default() };
            match phrase_of(phrase_part) {
                Some(phrase) => group.phrases.push(phrase),
                None => loaded.warnings.push(DictionaryError::new(file, number, "empty actor phrase")),
            }
        }
        if let Some(codes) = codes_part {
            if group.number == 0 {
                loaded.warnings.push(DictionaryError::new(file, number, "code before any actor"));
                continue;
            }
            match parse_codes(codes) {
                Ok(codes) => group.codes.extend(codes),
                Err(message) => loaded.warnings.push(DictionaryError::new(file, number, message)),
            }
        }
    }
    group.flush(file, &mut loaded);
    if !group.phrases.is_empty() {
        loaded.warnings.push(DictionaryError::new(file, group.number, "actor without a code"));
    }
    loaded
}

/// An actor being read: its phrases and codes, from the line of its root phrase on.
#[derive(Default)]
struct Group {
    number: usize,
    phrases: Vec<(Phrase, String)>,
    codes: Vec<DatedCode>,
}

impl Group {
    fn flush(&mut self, file: &str, loaded: &mut Loaded) {
        if self.phrases.is_empty() {
            return;
        }
        if self.codes.is_empty() {
            // Kept: the next root's codes apply to it too.
            return;
        }
        let origin = Origin { file: file.to_owned(), line: self.number, user: true };
        let actor = Actor {
            canonical: self.phrases[0].1.clone(),
            kind: NameKind::Other,
            codes: std::mem::take(&mut self.codes),
            origin,
        };
        for (phrase, _) in self.phrases.drain(..) {
            loaded.names.push((phrase, actor.clone()));
        }
    }
}

/// The bracketed codes of a line: `[CODE]`, `[CODE >DATE]`, `[CODE <DATE]`, `[CODE D1-D2]`.
fn parse_codes(text: &str) -> Result<Vec<DatedCode>, String> {
    let mut codes = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let Some(inner) = rest.strip_prefix('[') else {
            return Err(format!("expected `[` at `{rest}`"));
        };
        let Some(close) = inner.find(']') else {
            return Err(format!("unclosed `[` in `{text}`"));
        };
        codes.push(parse_code(&inner[..close])?);
        rest = inner[close + 1..].trim_start();
    }
    Ok(codes)
}

fn parse_code(inner: &str) -> Result<DatedCode, String> {
    let inner = inner.trim();
    let (code, restriction) = match inner.find(char::is_whitespace) {
        Some(at) => (&inner[..at], inner[at..].trim()),
        None => (inner, ""),
    };
    if code.is_empty() {
        return Err("empty code `[]`".to_owned());
    }
    let code = code.to_ascii_uppercase();
    let code = if code.bytes().all(|byte| byte == b'-') { String::new() } else { code };
    // Codes are kept as written: several actors at once (`ELR/GAL`) and PETRARCH's `+++`.
    if !code.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'/' || byte == b'+') {
        return Err(format!("bad code `{code}`"));
    }
    // The restriction may be written with spaces: `< 950601`, `19950601 - 19990815`.
    let restriction: String = restriction.split_whitespace().collect();
    let mut dated = DatedCode { code, from: None, to: None };
    if !restriction.is_empty() {
        if let Some(date) = restriction.strip_prefix('>') {
            dated.from = Some(parse_date(date)?);
        } else if let Some(date) = restriction.strip_prefix('<') {
            dated.to = Some(parse_date(date)?);
        } else if let Some((from, to)) = restriction.split_once('-') {
            dated.from = Some(parse_date(from)?);
            dated.to = Some(parse_date(to)?);
        } else {
            return Err(format!("bad date restriction `{restriction}`"));
        }
    }
    Ok(dated)
}

/// `YYMMDD` (years up to 30 are 20YY, later ones 19YY) or `YYYYMMDD`.
fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let bad = || format!("bad date `{text}` (expected YYMMDD or YYYYMMDD)");
    if !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(bad());
    }
    let (year, rest) = match text.len() {
        6 => {
            let year: i32 = text[..2].parse().map_err(|_| bad())?;
            (if year <= 30 { 2000 + year } else { 1900 + year }, &text[2..])
        }
        8 => (text[..4].parse().map_err(|_| bad())?, &text[4..]),
        _ => return Err(bad()),
    };
    let month = rest[..2].parse().map_err(|_| bad())?;
    let day = rest[2..].parse().map_err(|_| bad())?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(bad)
}

/// Reads a PETRARCH agents dictionary.
pub fn read_petrarch_agents(file: &str, text: &str) -> Loaded {
    let mut loaded = Loaded::default();
    let mut substitutions: Vec<(String, Vec<String>)> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let line = content(line).trim();
        if line.is_empty() || line.starts_with("<!--") {
            continue;
        }
        if line.starts_with('!')
            && let Some((name, values)) = line.split_once('=')
        {
            let values = values.split(',').map(|value| value.trim().to_owned()).filter(|v| !v.is_empty()).collect();
            substitutions.push((name.trim().to_owned(), values));
            continue;
        }
        let Some(open) = line.find('[') else {
            loaded.warnings.push(DictionaryError::new(file, number, "agent without a `[code]`"));
            continue;
        };
        let (phrase_part, code_part) = line.split_at(open);
        let Some(inner) = code_part.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')) else {
            loaded.warnings.push(DictionaryError::new(file, number, format!("malformed code `{code_part}`")));
            continue;
        };
        let inner = inner.trim();
        let (code, prefix) = match (inner.strip_prefix('~'), inner.strip_suffix('~')) {
            (Some(code), _) => (code, false),
            (None, Some(code)) => (code, true),
            _ => {
                loaded.warnings.push(DictionaryError::new(file, number, format!("agent code `{inner}` lacks `~`")));
                continue;
            }
        };
        if code.len() < 3 || !code.bytes().all(|byte| byte.is_ascii_alphanumeric()) {
            loaded.warnings.push(DictionaryError::new(file, number, format!("bad agent code `{inner}`")));
            continue;
        }
        // `{...}` lists the plural forms of the phrase (`{}`: none); without it the regular
        // plural is formed.
        let (phrase, plurals) = match phrase_part.find('{') {
            Some(at) => {
                let plurals = phrase_part[at + 1..].trim_end().trim_end_matches('}');
                (&phrase_part[..at], plurals.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
            }
            None => (phrase_part, regular_plural(phrase_part.trim()).into_iter().collect()),
        };
        let origin = Origin { file: file.to_owned(), line: number, user: true };
        let role = Role { code: code.to_ascii_uppercase(), prefix, origin };
        for form in std::iter::once(phrase.trim()).chain(plurals.iter().map(String::as_str)) {
            let Some(forms) = expand(form, &substitutions) else {
                loaded.warnings.push(DictionaryError::new(
                    file,
                    number,
                    format!(
                        "substitutions make more than {MAX_FORMS} phrases or a phrase over {MAX_FORM_BYTES} bytes: \
                         line skipped"
                    ),
                ));
                break;
            };
            for expanded in forms {
                let phrase = Phrase::new(&expanded, false);
                if !phrase.words.is_empty() {
                    loaded.roles.push((phrase, role.clone()));
                }
            }
        }
    }
    loaded
}

/// The regular plural of a phrase, on its last word: `MINISTRY` → `MINISTRIES`, `CONGRESS` →
/// `CONGRESSES`, `LAWMAKER` → `LAWMAKERS`. `None` for a phrase ending in a substitution.
fn regular_plural(phrase: &str) -> Option<String> {
    if phrase.is_empty() || phrase.ends_with('!') {
        return None;
    }
    let upper = phrase.to_ascii_uppercase();
    let before_y = upper.strip_suffix('Y').and_then(|stem| stem.chars().last());
    Some(if before_y.is_some_and(|c| !"AEIOU".contains(c)) {
        format!("{}IES", &phrase[..phrase.len() - 1])
    } else if ["S", "X", "Z", "CH", "SH"].iter().any(|end| upper.ends_with(end)) {
        format!("{phrase}ES")
    } else {
        format!("{phrase}S")
    })
}

/// The most phrases one agents line may stand for once substituted.
const MAX_FORMS: usize = 4096;
/// The longest phrase a substitution may make.
const MAX_FORM_BYTES: usize = 1024;

/// Every phrase `form` stands for once its `!NAME!` substitutions are made; `None` when they
/// would make more than [`MAX_FORMS`] phrases or one longer than [`MAX_FORM_BYTES`] (found by
/// fuzzing: substitutions whose values hold other substitutions' names multiply without
/// bound, and a hostile file took seconds and a gigabyte per line).
fn expand(form: &str, substitutions: &[(String, Vec<String>)]) -> Option<Vec<String>> {
    let mut forms = vec![form.to_owned()];
    for (name, values) in substitutions {
        // A substitution with no values leaves the phrase as written (found by fuzzing: it
        // emptied the list, and the next substitution looked at a form that was not there).
        if values.is_empty() || !forms.iter().any(|form| form.contains(name.as_str())) {
            continue;
        }
        if forms.len().saturating_mul(values.len()) > MAX_FORMS {
            return None;
        }
        let mut next = Vec::with_capacity(forms.len() * values.len());
        for form in &forms {
            for value in values {
                let replaced = form.replace(name.as_str(), value);
                if replaced.len() > MAX_FORM_BYTES {
                    return None;
                }
                next.push(replaced);
            }
        }
        forms = next;
    }
    Some(forms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitutions_without_values_leave_the_phrase() {
        let substitutions =
            vec![("!A!".to_owned(), Vec::new()), ("!B!".to_owned(), vec!["X".to_owned(), "Y".to_owned()])];
        assert_eq!(expand("!A! !B!", &substitutions).unwrap(), ["!A! X", "!A! Y"]);
        assert_eq!(expand("PLAIN", &substitutions).unwrap(), ["PLAIN"]);
    }

    #[test]
    fn substitutions_that_multiply_without_bound_skip_the_line() {
        // Each substitution's values name the next one twice over: 2^20 phrases.
        let mut text = String::new();
        for level in 0..20 {
            text.push_str(&format!("!S{level}! = !S{next}! A, !S{next}! B\n", next = level + 1));
        }
        text.push_str("!S0! [~GOV]\nMINISTER [~GOV]\n");
        let loaded = read_petrarch_agents("bomb.txt", &text);
        assert_eq!(loaded.roles.len(), 2, "MINISTER and its plural only");
        assert!(
            loaded.warnings.iter().any(|warning| warning.to_string().contains("bomb.txt:21")),
            "{:?}",
            loaded.warnings
        );
    }

    const ACTORS: &str = "\
# comment
<!-- a validation-suite comment -->
AFGHANISTAN_  [AFG]
+AFGHAN_
+ISLAMIC_REPUBLIC_OF_AFGHANISTAN

NUR_MOHAMMAD_TARAKI_  # a note
\t[AFGELI 350101-780430]
\t[AFGGOV 780430-790916]
BAN_KI-MOON
+UN_SECRETARY-GENERAL_BAN_KI-MOON
\t[IGOUNO >20070101]
\t[KORGOVBUS 2004017-20061201]
BOROMIR  [---]
PALESTINIAN [pse]
IVO_JOSIPOVIC_
JOSIPOVIC_
\t[HRVGOV >20120219]
ORPHAN_WITHOUT_CODE
";

    #[test]
    fn actors_with_synonyms_dates_and_bad_lines() {
        let loaded = read_petrarch_actors("Phoenix.test.actors.txt", ACTORS);
        let words: Vec<String> = loaded.names.iter().map(|(phrase, _)| phrase.words.join(" ")).collect();
        assert_eq!(
            words,
            [
                "afghanistan",
                "afghan",
                "islamic republic of afghanistan",
                "nur mohammad taraki",
                "ban ki moon",
                "un secretary general ban ki moon",
                "boromir",
                "palestinian",
                "ivo josipovic",
                "josipovic"
            ]
        );
        assert!(loaded.names.iter().all(|(phrase, _)| !phrase.stem), "PETRARCH does not stem");
        let taraki = &loaded.names[3].1;
        assert_eq!(taraki.canonical, "Nur Mohammad Taraki");
        assert_eq!(taraki.code_at(NaiveDate::from_ymd_opt(1979, 1, 1)), Some("AFGGOV"));
        assert_eq!(taraki.code_at(NaiveDate::from_ymd_opt(1970, 1, 1)), Some("AFGELI"));
        let ban = &loaded.names[4].1;
        assert_eq!(ban.codes.len(), 1, "the malformed date is skipped");
        assert_eq!(ban.code_at(NaiveDate::from_ymd_opt(2010, 1, 1)), Some("IGOUNO"));
        assert_eq!(loaded.names[6].1.code_at(None), None, "--- is no code");
        assert_eq!(loaded.names[7].1.code_at(None), Some("PSE"));
        assert_eq!(loaded.names[9].1.code_at(NaiveDate::from_ymd_opt(2013, 1, 1)), Some("HRVGOV"));
        let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].starts_with("Phoenix.test.actors.txt:13: bad date `2004017`"), "{warnings:?}");
        assert!(warnings[1].starts_with("Phoenix.test.actors.txt:19: actor without a code"), "{warnings:?}");
    }

    #[test]
    fn spaced_dates_several_codes_and_plus_codes() {
        let text = "\
WIDOW_TWANKEY
+TWANKEY
\t[PNT < 880301]
\t[PNTGOV 19880301 - 19921231]
\t[PNTREB >  930101]
THE_TWO_RIVERS  [RIV/ERS]
ALADDIN [+++]
GENIE [ LMP ]
";
        let loaded = read_petrarch_actors("panto.txt", text);
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
        let code = |index: usize, date: Option<NaiveDate>| loaded.names[index].1.code_at(date).map(str::to_owned);
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(code(1, day(1987, 5, 1)).as_deref(), Some("PNT"));
        assert_eq!(code(1, day(1990, 5, 1)).as_deref(), Some("PNTGOV"));
        assert_eq!(code(0, day(1994, 5, 1)).as_deref(), Some("PNTREB"));
        assert_eq!(code(2, None).as_deref(), Some("RIV/ERS"));
        assert_eq!(code(3, None).as_deref(), Some("+++"));
        assert_eq!(code(4, None).as_deref(), Some("LMP"));
        let agents = read_petrarch_agents("agents.txt", "CONSTABLE {} [ ~COP]\nCHARITY_WORKER  [  NGO~]\n");
        assert!(agents.warnings.is_empty(), "{:?}", agents.warnings);
        let roles: Vec<(&str, bool)> = agents.roles.iter().map(|(_, role)| (role.code.as_str(), role.prefix)).collect();
        assert_eq!(roles, [("COP", false), ("NGO", true), ("NGO", true)], "the worker and the workers");
    }

    #[test]
    fn agents_with_substitutions_and_plurals() {
        let text = "!PERSON! = MAN, MEN\nCATTLE!PERSON! [~AGR]\nPEACEKEEPING_TROOPS {} [IGO~]\n\
                    MINISTER {MINISTERS} [~GOV]\nDEPARMENT_OF_ENVIRONMENT [~ENV}\nNO_CODE_HERE\n";
        assert!(looks_like_agents(text));
        let loaded = read_petrarch_agents("agents.txt", text);
        let roles: Vec<(String, &str, bool)> = loaded
            .roles
            .iter()
            .map(|(phrase, role)| (phrase.words.join(" "), role.code.as_str(), role.prefix))
            .collect();
        assert_eq!(
            roles,
            [
                ("cattleman".to_owned(), "AGR", false),
                ("cattlemen".to_owned(), "AGR", false),
                ("peacekeeping troops".to_owned(), "IGO", true),
                ("minister".to_owned(), "GOV", false),
                ("ministers".to_owned(), "GOV", false),
            ]
        );
        let plurals = read_petrarch_agents(
            "agents.txt",
            "PANTOMIME_DAME [~ART]\nFAIRY_GODMOTHER_AUTHORITY [~GOV]\nBOX [~BOX]\nWITCH [~WCH]\nGUARDS {} [~MIL]\n",
        );
        let words: Vec<String> = plurals.roles.iter().map(|(phrase, _)| phrase.words.join(" ")).collect();
        assert_eq!(
            words,
            [
                "pantomime dame",
                "pantomime dames",
                "fairy godmother authority",
                "fairy godmother authorities",
                "box",
                "boxes",
                "witch",
                "witches",
                "guards"
            ]
        );
        let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].starts_with("agents.txt:5: malformed code"), "{warnings:?}");
        assert!(warnings[1].starts_with("agents.txt:6: agent without"), "{warnings:?}");
    }
}

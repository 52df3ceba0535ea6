//! The project's own dictionary format: tab-separated text, one entry a line, lists inside a
//! column separated by `;`, `#` comments. The built-in files in `resources/actors/` each have
//! their own columns (see `resources/actors/README.md`); users write the general form read by
//! [`read_user_actors`]:
//!
//! ```text
//! # names                      code     from        to          canonical
//! Kim Jong Un;Kim Jong-un      PRKGOV   2011-12-17              Kim Jong Un
//! Ministry of Magic            GBRGOV
//! peacekeeper;peacekeepers     ~MIL
//! ```
//!
//! A code starting with `~` makes the names role words adding that sector to a country's code.
//! Dates are `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (a `to` date stands for the end of its month or
//! year); empty when open.

use chrono::{Datelike, NaiveDate};

use super::{Actor, DatedCode, DictionaryError, Loaded, NameKind, Origin, Phrase, Role};

/// True when `text` is in the project's TSV format rather than a PETRARCH dictionary: its
/// first entry line has a tab-separated code column and no bracketed code.
pub(crate) fn looks_like_tsv(text: &str) -> bool {
    text.lines()
        .map(str::trim_end)
        .find(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#') && !line.starts_with("<!--"))
        .is_some_and(|line| !line.contains('[') && line.split('\t').filter(|column| !column.is_empty()).count() >= 2)
}

/// Reads a user's dictionary in the general TSV form.
pub fn read_user_actors(file: &str, text: &str) -> Loaded {
    let mut loaded = Loaded::default();
    for (number, columns) in entry_lines(text) {
        let origin = Origin { file: file.to_owned(), line: number, user: true };
        let get = |index: usize| columns.get(index).map(|column| column.trim()).unwrap_or("");
        let (names, code) = (get(0), get(1));
        if names.is_empty() || code.is_empty() {
            loaded.warnings.push(DictionaryError::new(file, number, "expected names and a code separated by a tab"));
            continue;
        }
        if let Some(sector) = code.strip_prefix('~') {
            if !is_code(sector) {
                loaded.warnings.push(DictionaryError::new(file, number, format!("bad role code `{code}`")));
                continue;
            }
            for name in list(names) {
                let role = Role { code: sector.to_owned(), prefix: false, origin: origin.clone() };
                loaded.roles.push((Phrase::new(name, false), role));
            }
            continue;
        }
        if !is_code(code) {
            loaded.warnings.push(DictionaryError::new(file, number, format!("bad actor code `{code}`")));
            continue;
        }
        let (from, to) = match (parse_date(get(2), false), parse_date(get(3), true)) {
            (Ok(from), Ok(to)) => (from, to),
            (Err(bad), _) | (_, Err(bad)) => {
                loaded.warnings.push(DictionaryError::new(file, number, format!("bad date `{bad}`")));
                continue;
            }
        };
        let canonical = if get(4).is_empty() { list(names).next().unwrap_or(names) } else { get(4) };
        let actor = Actor {
            canonical: canonical.to_owned(),
            kind: NameKind::Other,
            codes: vec![DatedCode { code: code.to_owned(), from, to }],
            origin,
        };
        for name in list(names) {
            push_name(&mut loaded, name, false, actor.clone());
        }
    }
    loaded
}

/// Reads one of the built-in files, by its name.
pub(crate) fn read_built_in(file: &str, text: &str) -> Loaded {
    let mut loaded = Loaded::default();
    let kind = file.rsplit('/').next().unwrap_or(file).trim_end_matches(".tsv");
    let mut people: Vec<(Vec<String>, Actor)> = Vec::new();
    for (number, columns) in entry_lines(text) {
        let origin = Origin { file: file.to_owned(), line: number, user: false };
        let get = |index: usize| columns.get(index).map(|column| column.trim()).unwrap_or("");
        let problem = match kind {
            "countries" => read_country(&mut loaded, &get, &origin),
            "organisations" => read_organisation(&mut loaded, &get, &origin),
            "roles" => read_role(&mut loaded, &get, &origin),
            "people" => read_person(&mut people, &get, &origin),
            "groups" => read_group(&mut loaded, &get, &origin),
            _ => Some(format!("unknown built-in dictionary `{file}`")),
        };
        if let Some(message) = problem {
            loaded.warnings.push(DictionaryError::new(file, number, message));
        }
    }
    for (names, actor) in people {
        for name in names {
            push_name(&mut loaded, &name, false, actor.clone());
        }
    }
    loaded
}

type Column<'a> = dyn Fn(usize) -> &'a str + 'a;

fn read_country(loaded: &mut Loaded, get: &Column<'_>, origin: &Origin) -> Option<String> {
    let (code, name) = (get(0), get(2));
    if !is_code(code) || code.len() != 3 || name.is_empty() {
        return Some(format!("expected an ISO 3166 alpha-3 code and a name, found `{code}` `{name}`"));
    }
    let actor = |canonical: &str, kind: NameKind, code: &str| Actor {
        canonical: canonical.to_owned(),
        kind,
        codes: vec![DatedCode::always(code)],
        origin: origin.clone(),
    };
    let government = format!("{code}GOV");
    for alias in std::iter::once(name).chain(list(get(3))) {
        push_name(loaded, alias, false, actor(name, NameKind::Country, code));
    }
    for adjective in list(get(4)) {
        push_name(loaded, adjective, false, actor(name, NameKind::Adjective, code));
    }
    for capital in list(get(5)) {
        push_name(loaded, capital, false, actor(capital, NameKind::Capital, code));
    }
    for metonym in list(get(6)) {
        push_name(loaded, metonym, false, actor(strip_article(metonym), NameKind::Metonym, &government));
    }
    for abbreviation in list(get(7)) {
        push_name(loaded, abbreviation, true, actor(name, NameKind::Abbreviation, code));
    }
    None
}

fn read_organisation(loaded: &mut Loaded, get: &Column<'_>, origin: &Origin) -> Option<String> {
    let (code, name) = (get(0), get(1));
    if !is_code(code) || name.is_empty() {
        return Some(format!("expected a CAMEO code and a name, found `{code}` `{name}`"));
    }
    let actor = Actor {
        canonical: name.to_owned(),
        kind: NameKind::Organisation,
        codes: vec![DatedCode::always(code)],
        origin: origin.clone(),
    };
    for alias in std::iter::once(name).chain(list(get(2))) {
        push_name(loaded, alias, false, actor.clone());
    }
    for abbreviation in list(get(3)) {
        push_name(loaded, abbreviation, true, actor.clone());
    }
    None
}

fn read_group(loaded: &mut Loaded, get: &Column<'_>, origin: &Origin) -> Option<String> {
    let countries: Vec<&str> = list(get(1)).collect();
    if list(get(0)).next().is_none() || countries.is_empty() || countries.iter().any(|c| !is_code(c) || c.len() != 3) {
        return Some(format!("expected names and ISO 3166 alpha-3 codes, found `{}` `{}`", get(0), get(1)));
    }
    let canonical = list(get(0)).next().unwrap_or_default();
    let actor = Actor {
        canonical: canonical.to_owned(),
        kind: NameKind::Group,
        codes: countries.iter().map(|country| DatedCode::always(country)).collect(),
        origin: origin.clone(),
    };
    for name in list(get(0)) {
        push_name(loaded, name, false, actor.clone());
    }
    None
}

fn read_role(loaded: &mut Loaded, get: &Column<'_>, origin: &Origin) -> Option<String> {
    let code = get(0);
    if !is_code(code) {
        return Some(format!("bad sector code `{code}`"));
    }
    for word in list(get(1)) {
        let role = Role { code: code.to_owned(), prefix: false, origin: origin.clone() };
        loaded.roles.push((Phrase::new(word, false), role));
    }
    None
}

/// People: one line a term; the terms of one name are gathered into one actor.
fn read_person(people: &mut Vec<(Vec<String>, Actor)>, get: &Column<'_>, origin: &Origin) -> Option<String> {
    let (name, code) = (get(0), get(2));
    if name.is_empty() || !is_code(code) {
        return Some(format!("expected a name and a CAMEO code, found `{name}` `{code}`"));
    }
    let (from, to) = match (parse_date(get(3), false), parse_date(get(4), true)) {
        (Ok(from), Ok(to)) => (from, to),
        (Err(bad), _) | (_, Err(bad)) => return Some(format!("bad date `{bad}`")),
    };
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return Some(format!("term ends ({to}) before it starts ({from})"));
    }
    let term = DatedCode { code: code.to_owned(), from, to };
    if let Some((names, actor)) = people.iter_mut().find(|(_, actor)| actor.canonical == name) {
        actor.codes.push(term);
        for alias in list(get(1)) {
            if !names.iter().any(|known| known == alias) {
                names.push(alias.to_owned());
            }
        }
        return None;
    }
    let names = std::iter::once(name).chain(list(get(1))).map(str::to_owned).collect();
    let actor = Actor { canonical: name.to_owned(), kind: NameKind::Person, codes: vec![term], origin: origin.clone() };
    people.push((names, actor));
    None
}

fn push_name(loaded: &mut Loaded, name: &str, case_sensitive: bool, actor: Actor) {
    let name = strip_article(name);
    if name.is_empty() {
        return;
    }
    loaded.names.push((Phrase::new(name, case_sensitive), actor));
}

/// A name without its leading "the": "the Kremlin" is matched as "Kremlin".
fn strip_article(name: &str) -> &str {
    let name = name.trim();
    for article in ["the ", "The "] {
        if let Some(rest) = name.strip_prefix(article) {
            return rest.trim_start();
        }
    }
    name
}

/// The non-comment, non-empty lines with their 1-based numbers, split at tabs.
fn entry_lines(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines().enumerate().filter_map(|(index, line)| {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            return None;
        }
        Some((index + 1, line.split('\t').collect()))
    })
}

fn list(column: &str) -> impl Iterator<Item = &str> {
    column.split(';').map(str::trim).filter(|item| !item.is_empty())
}

/// A CAMEO code: upper-case letters and digits, 3 to 15 of them.
fn is_code(code: &str) -> bool {
    (3..=15).contains(&code.len()) && code.bytes().all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit())
}

/// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`; an end date stands for the last day of its month or
/// year. Empty is open (`None`); anything else is returned as the error.
fn parse_date(text: &str, end: bool) -> Result<Option<NaiveDate>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let parts: Vec<&str> = text.split('-').collect();
    let number = |index: usize| parts.get(index).and_then(|part| part.parse::<u32>().ok());
    let date = match parts.len() {
        1 => number(0).and_then(|year| {
            if end { NaiveDate::from_ymd_opt(year as i32, 12, 31) } else { NaiveDate::from_ymd_opt(year as i32, 1, 1) }
        }),
        2 => number(0).zip(number(1)).and_then(|(year, month)| {
            let first = NaiveDate::from_ymd_opt(year as i32, month, 1)?;
            if end { last_day_of_month(first) } else { Some(first) }
        }),
        3 => NaiveDate::from_ymd_opt(number(0).unwrap_or(0) as i32, number(1).unwrap_or(0), number(2).unwrap_or(0)),
        _ => None,
    };
    match date {
        Some(date) if parts[0].len() == 4 => Ok(Some(date)),
        _ => Err(text.to_owned()),
    }
}

fn last_day_of_month(first: NaiveDate) -> Option<NaiveDate> {
    let (year, month) = if first.month() == 12 { (first.year() + 1, 1) } else { (first.year(), first.month() + 1) };
    NaiveDate::from_ymd_opt(year, month, 1)?.pred_opt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_file_entries_roles_and_bad_lines() {
        let text = "# my actors\nKim Jong Un;Kim Jong-un\tPRKGOV\t2011-12\t\tKim Jong Un\n\
                    peacekeeper\t~MIL\nBroken line without code\n\
                    Someone\tXXXGOV\t2020-13-01\nThe Ministry of Magic\tGBRGOV\n";
        let loaded = read_user_actors("mine.tsv", text);
        assert_eq!(loaded.names.len(), 3);
        assert_eq!(loaded.names[0].0.words, ["kim", "jong", "un"]);
        assert_eq!(loaded.names[1].0.words, ["kim", "jong", "un"]);
        assert_eq!(loaded.names[0].1.codes[0].from, NaiveDate::from_ymd_opt(2011, 12, 1));
        assert_eq!(loaded.names[2].0.words, ["ministry", "of", "magic"]);
        assert_eq!(loaded.roles.len(), 1);
        let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].starts_with("mine.tsv:4:"), "{warnings:?}");
        assert!(warnings[1].starts_with("mine.tsv:5: bad date"), "{warnings:?}");
    }

    #[test]
    fn dates_and_detection() {
        assert_eq!(parse_date("2019", true), Ok(NaiveDate::from_ymd_opt(2019, 12, 31)));
        assert_eq!(parse_date("2020-02", true), Ok(NaiveDate::from_ymd_opt(2020, 2, 29)));
        assert_eq!(parse_date("2020-02", false), Ok(NaiveDate::from_ymd_opt(2020, 2, 1)));
        assert!(parse_date("20-02-01", false).is_err());
        assert!(looks_like_tsv("# x\nKim\tPRKGOV\n"));
        assert!(!looks_like_tsv("# x\nKIM_JONG_UN_\n\t[PRKGOV]\n"));
    }
}

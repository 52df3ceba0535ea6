//! JSON-LD blocks: parsing, with a light repair of the breakage pages ship (trailing commas,
//! raw control characters, HTML comment and CDATA wrappers, bad escapes), and the fields of
//! the article, page and site objects they describe.

use std::collections::HashMap;

use dateline_doc::Diagnostic;
use serde_json::{Map, Value};

use super::strings::{clean_value, decode_entities, looks_like_url};

/// The most objects read from one page.
const MAX_OBJECTS: usize = 200;

/// What a JSON-LD object describes, as far as metadata is concerned.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) enum Kind {
    /// An article or a post: `NewsArticle`, `BlogPosting`, `LiveBlogPosting`, ...
    Article,
    /// A web page: `WebPage`, `ItemPage`, ...
    Page,
    /// The site or its publisher: `WebSite`, `Organization`, `NewsMediaOrganization`, ...
    Site,
    /// Anything else.
    #[default]
    Other,
}

/// The fields of one JSON-LD object that metadata extraction reads, as found.
#[derive(Clone, Debug, Default)]
pub(super) struct LdObject {
    pub(super) kind: Kind,
    pub(super) headline: Option<String>,
    pub(super) name: Option<String>,
    pub(super) published: Option<String>,
    pub(super) created: Option<String>,
    pub(super) modified: Option<String>,
    /// Authors given as people or as bare names.
    pub(super) persons: Vec<String>,
    /// Authors given as organisations.
    pub(super) organizations: Vec<String>,
    pub(super) publisher: Option<String>,
    pub(super) keywords: Vec<String>,
    pub(super) section: Option<String>,
    pub(super) language: Option<String>,
    pub(super) url: Option<String>,
    pub(super) body: Option<String>,
}

/// Parses the text of every `<script type="application/ld+json">` block and returns the
/// article, page and site objects in page order. Blocks that cannot be read even after repair
/// are reported as `bad-json-ld` warnings.
pub(super) fn read(blocks: &[String], diagnostics: &mut Vec<Diagnostic>) -> Vec<LdObject> {
    let mut values = Vec::new();
    for block in blocks {
        match parse_block(block) {
            Ok((parsed, repaired)) => {
                if repaired {
                    diagnostics
                        .push(Diagnostic::info("json-ld-repaired", "a broken JSON-LD block was read after repair"));
                }
                values.extend(parsed);
            }
            Err(error) => {
                diagnostics.push(Diagnostic::warning(
                    "bad-json-ld",
                    format!("a JSON-LD block could not be parsed and was skipped: {error}"),
                ));
            }
        }
    }
    let mut maps = Vec::new();
    for value in &values {
        collect(value, 0, &mut maps);
    }
    let index: HashMap<&str, &Map<String, Value>> =
        maps.iter().filter(|map| map.len() > 1).filter_map(|map| Some((map.get("@id")?.as_str()?, *map))).collect();
    maps.iter().filter_map(|map| object(map, &index)).collect()
}

/// Parses one block: as it is, else repaired. Returns the values and whether repair was needed.
fn parse_block(text: &str) -> Result<(Vec<Value>, bool), String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok((Vec::new(), false));
    }
    let first_error = match serde_json::from_str::<Value>(trimmed) {
        Ok(value) => return Ok((vec![value], false)),
        Err(error) => error,
    };
    let fixed = repair(trimmed);
    if fixed.is_empty() {
        return Ok((Vec::new(), true));
    }
    if let Ok(value) = serde_json::from_str::<Value>(&fixed) {
        return Ok((vec![value], true));
    }
    if let Ok(value) = serde_json::from_str::<Value>(&format!("[{fixed}]")) {
        return Ok((vec![value], true));
    }
    // Several values one after another, or one whole value followed by junk (an unbalanced
    // brace): the values read before the first error are kept.
    let values: Vec<Value> =
        serde_json::Deserializer::from_str(&fixed).into_iter::<Value>().map_while(Result::ok).collect();
    if !values.is_empty() {
        return Ok((values, true));
    }
    Err(first_error.to_string())
}

/// Mends the common breakage of hand-made JSON-LD: wrappers around it, JavaScript comments,
/// single-quoted strings, raw control characters and invalid escapes inside strings, trailing
/// commas before `}` and `]`, a final semicolon.
fn repair(text: &str) -> String {
    let text = strip_wrappers(text);
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.char_indices().peekable();
    // The quote of the string the scanner is in, if any.
    let mut quote: Option<char> = None;
    while let Some((at, c)) = chars.next() {
        if let Some(open) = quote {
            match c {
                c if c == open => {
                    quote = None;
                    out.push('"');
                }
                '"' => out.push_str("\\\""),
                '\\' => match chars.peek().map(|&(_, next)| next) {
                    Some(next @ ('"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't' | 'u')) => {
                        out.push('\\');
                        out.push(next);
                        chars.next();
                    }
                    Some('\'') => {
                        out.push('\'');
                        chars.next();
                    }
                    // Otherwise the backslash escapes nothing JSON knows and is dropped.
                    _ => {}
                },
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                c if c.is_control() => out.push(' '),
                c => out.push(c),
            }
        } else {
            match c {
                '"' | '\'' => {
                    quote = Some(c);
                    out.push('"');
                }
                '/' if text[at + 1..].starts_with('/') => {
                    // A line comment: skip to the end of the line.
                    while chars.next_if(|&(_, next)| next != '\n').is_some() {}
                }
                '/' if text[at + 1..].starts_with('*') => {
                    // A block comment: skip past its end.
                    chars.next();
                    let mut last = ' ';
                    for (_, next) in chars.by_ref() {
                        if last == '*' && next == '/' {
                            break;
                        }
                        last = next;
                    }
                }
                ',' => {
                    let next = text[at + 1..].trim_start().chars().next();
                    if !matches!(next, None | Some('}' | ']' | ',')) {
                        out.push(',');
                    }
                }
                c if c.is_control() => out.push(' '),
                c => out.push(c),
            }
        }
    }
    out
}

/// `text` without HTML comment and CDATA wrappers and a trailing semicolon.
fn strip_wrappers(text: &str) -> &str {
    const PREFIXES: &[&str] = &["<!--", "/*<![CDATA[*/", "//<![CDATA[", "<![CDATA["];
    const SUFFIXES: &[&str] = &["-->", "/*]]>*/", "//]]>", "]]>", ";"];
    let mut text = text.trim();
    loop {
        let before = text.len();
        for prefix in PREFIXES {
            if let Some(rest) = text.strip_prefix(prefix) {
                text = rest.trim_start();
            }
        }
        for suffix in SUFFIXES {
            if let Some(rest) = text.strip_suffix(suffix) {
                text = rest.trim_end();
            }
        }
        if text.len() == before {
            return text;
        }
    }
}

/// Collects the objects of a value that describe the page: top-level objects and arrays,
/// `@graph` members and `mainEntity` objects, without descending into other properties.
fn collect<'v>(value: &'v Value, depth: usize, out: &mut Vec<&'v Map<String, Value>>) {
    if depth > 6 || out.len() >= MAX_OBJECTS {
        return;
    }
    match value {
        Value::Array(items) => {
            for item in items {
                collect(item, depth + 1, out);
            }
        }
        Value::Object(map) => {
            out.push(map);
            for property in ["@graph", "mainEntity"] {
                if let Some(inner) = map.get(property) {
                    collect(inner, depth + 1, out);
                }
            }
        }
        _ => {}
    }
}

/// The kind of an object by its `@type`, which may be a string or an array, with or without a
/// `schema:` or `https://schema.org/` prefix.
fn kind(map: &Map<String, Value>) -> Kind {
    let types: Vec<&str> = match map.get("@type") {
        Some(Value::String(name)) => vec![name.as_str()],
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let mut kind = Kind::Other;
    for name in types {
        let name = name.trim().rsplit(['/', ':', '#']).next().unwrap_or("");
        if name.ends_with("Article") || name.ends_with("Posting") || name == "Report" {
            return Kind::Article;
        }
        if name.ends_with("Page") {
            kind = Kind::Page;
        } else if kind == Kind::Other && is_organization(name) {
            kind = Kind::Site;
        }
    }
    kind
}

fn is_organization(name: &str) -> bool {
    name == "WebSite" || name == "Corporation" || name.ends_with("Organization")
}

/// True when an object's `@type` names an organisation.
fn is_organization_object(map: &Map<String, Value>) -> bool {
    match map.get("@type") {
        Some(Value::String(name)) => is_organization(name.rsplit(['/', ':']).next().unwrap_or("")),
        Some(Value::Array(names)) => names
            .iter()
            .filter_map(Value::as_str)
            .any(|name| is_organization(name.rsplit(['/', ':']).next().unwrap_or(""))),
        _ => false,
    }
}

/// The fields of an article, page or site object.
fn object(map: &Map<String, Value>, index: &HashMap<&str, &Map<String, Value>>) -> Option<LdObject> {
    let kind = kind(map);
    if kind == Kind::Other {
        return None;
    }
    let mut object = LdObject {
        kind,
        headline: map.get("headline").and_then(text),
        name: map.get("name").and_then(text),
        published: map.get("datePublished").and_then(text),
        created: map.get("dateCreated").and_then(text),
        modified: map.get("dateModified").and_then(text),
        publisher: map.get("publisher").and_then(|value| name_of(value, index, 0)),
        section: map.get("articleSection").and_then(text),
        language: map.get("inLanguage").and_then(language),
        url: url(map),
        body: map.get("articleBody").and_then(Value::as_str).map(|body| decode_entities(body).trim().to_owned()),
        ..LdObject::default()
    };
    object.body = object.body.filter(|body| !body.is_empty());
    for property in ["author", "creator"] {
        if let Some(value) = map.get(property) {
            authors(value, index, 0, &mut object);
        }
        if !object.persons.is_empty() || !object.organizations.is_empty() {
            break;
        }
    }
    if let Some(value) = map.get("keywords") {
        keywords(value, &mut object.keywords);
    }
    Some(object)
}

/// A short text value: a string, a number, the first such item of an array, or an `@value`.
fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(string) => Some(clean_value(string)).filter(|string| !string.is_empty()),
        Value::Number(number) => Some(number.to_string()),
        Value::Array(items) => items.iter().find_map(text),
        Value::Object(map) => map.get("@value").and_then(text),
        _ => None,
    }
}

/// The name of a thing given as a string, an object with a `name` (possibly only by `@id`
/// reference to another object), or an array of those.
fn name_of(value: &Value, index: &HashMap<&str, &Map<String, Value>>, depth: usize) -> Option<String> {
    if depth > 3 {
        return None;
    }
    match value {
        Value::String(_) => text(value),
        Value::Array(items) => items.iter().find_map(|item| name_of(item, index, depth + 1)),
        Value::Object(map) => {
            let map = resolve(map, index);
            map.get("name").and_then(text).or_else(|| full_name(map))
        }
        _ => None,
    }
}

/// An object, or the object its bare `{"@id": ...}` reference points to.
fn resolve<'m>(map: &'m Map<String, Value>, index: &HashMap<&str, &'m Map<String, Value>>) -> &'m Map<String, Value> {
    if map.contains_key("name") {
        return map;
    }
    map.get("@id").and_then(Value::as_str).and_then(|id| index.get(id).copied()).unwrap_or(map)
}

/// `givenName familyName`, for people given in parts.
fn full_name(map: &Map<String, Value>) -> Option<String> {
    let given = map.get("givenName").and_then(text);
    let family = map.get("familyName").and_then(text);
    match (given, family) {
        (Some(given), Some(family)) => Some(format!("{given} {family}")),
        (given, family) => given.or(family),
    }
}

/// Authors from a string, an object or an array, sorted into people and organisations.
fn authors(value: &Value, index: &HashMap<&str, &Map<String, Value>>, depth: usize, object: &mut LdObject) {
    if depth > 3 {
        return;
    }
    match value {
        Value::String(_) => object.persons.extend(text(value)),
        Value::Array(items) => {
            for item in items.iter().take(20) {
                authors(item, index, depth + 1, object);
            }
        }
        Value::Object(map) => {
            let map = resolve(map, index);
            let Some(name) = map.get("name").and_then(text).or_else(|| full_name(map)) else { return };
            if is_organization_object(map) {
                object.organizations.push(name);
            } else {
                object.persons.push(name);
            }
        }
        _ => {}
    }
}

/// Keywords from a comma-separated string or an array of strings.
fn keywords(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(string) => out.extend(string.split(',').map(clean_value).filter(|keyword| !keyword.is_empty())),
        // A list of one string is a comma-separated string in a list.
        Value::Array(items) if items.len() == 1 => keywords(&items[0], out),
        Value::Array(items) => out.extend(items.iter().take(200).filter_map(text)),
        _ => {}
    }
}

/// A language code from `inLanguage`: a string, or a `Language` object.
fn language(value: &Value) -> Option<String> {
    match value {
        Value::Object(map) => map.get("alternateName").and_then(text).or_else(|| map.get("name").and_then(text)),
        _ => text(value),
    }
}

/// The page's address: `url`, else `mainEntityOfPage`, else an `@id` that is an address.
fn url(map: &Map<String, Value>) -> Option<String> {
    let address = |value: &Value| text(value).filter(|url| looks_like_url(url));
    map.get("url")
        .and_then(address)
        .or_else(|| match map.get("mainEntityOfPage")? {
            Value::Object(page) => page.get("@id").and_then(address).or_else(|| page.get("url").and_then(address)),
            value => address(value),
        })
        .or_else(|| map.get("@id").and_then(address).filter(|id| !id.contains('#')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<Value>, String> {
        parse_block(text).map(|(values, _)| values)
    }

    #[test]
    fn repairs_common_breakage() {
        let broken = "<!--\n{\"@type\": \"NewsArticle\",\n \"headline\": \"Line one\nline two\",\n \"x\": \"it\\'s\",\n \"k\": [\"a\", \"b\",],\n};\n-->";
        let values = parse(broken).expect("repaired");
        assert_eq!(values[0]["headline"], "Line one\nline two");
        assert_eq!(values[0]["x"], "it's");
        assert_eq!(values[0]["k"], serde_json::json!(["a", "b"]));
        let cdata = "//<![CDATA[\n{\"@type\": \"Article\"}\n//]]>";
        assert_eq!(parse(cdata).expect("unwrapped")[0]["@type"], "Article");
        let concatenated = "{\"a\": 1}\n{\"b\": 2}";
        assert_eq!(parse(concatenated).expect("stream").len(), 2);
        let listed = "{\"a\": 1}, {\"b\": 2}";
        assert_eq!(parse(listed).expect("wrapped")[0].as_array().map(Vec::len), Some(2));
        assert!(parse("{\"headline\": \"unterminated").is_err());
        let quoted = "{'headline': 'It\\'s \"here\"', // a comment\n /* another */ \"b\": 1}";
        let values = parse(quoted).expect("single quotes and comments");
        assert_eq!(values[0]["headline"], "It's \"here\"");
        assert_eq!(values[0]["b"], 1);
        let unbalanced = "{\"headline\": \"Kept\"}}, \"description\": \"lost\"}";
        assert_eq!(parse(unbalanced).expect("first value")[0]["headline"], "Kept");
        assert!(parse("   ").expect("empty").is_empty());
    }

    #[test]
    fn reads_graphs_and_references() {
        let block = r##"{"@context": "https://schema.org", "@graph": [
            {"@type": "Organization", "@id": "https://ex.com/#org", "name": "Example News"},
            {"@type": "Person", "@id": "https://ex.com/#jane", "name": "Jane Doe"},
            {"@type": ["NewsArticle"], "headline": "Big &amp; Small", "author": [{"@id": "https://ex.com/#jane"}, {"@type": "Organization", "name": "Wire"}],
             "publisher": {"@id": "https://ex.com/#org"}, "keywords": "one, two,, three", "mainEntityOfPage": {"@id": "https://ex.com/story"},
             "inLanguage": {"@type": "Language", "alternateName": "en"}, "articleSection": ["World", "Europe"]}
        ]}"##;
        let mut diagnostics = Vec::new();
        let objects = read(&[block.to_owned()], &mut diagnostics);
        assert!(diagnostics.is_empty());
        let article = objects.iter().find(|object| object.kind == Kind::Article).expect("article");
        assert_eq!(article.headline.as_deref(), Some("Big & Small"));
        assert_eq!(article.persons, ["Jane Doe"]);
        assert_eq!(article.organizations, ["Wire"]);
        assert_eq!(article.publisher.as_deref(), Some("Example News"));
        assert_eq!(article.keywords, ["one", "two", "three"]);
        assert_eq!(article.url.as_deref(), Some("https://ex.com/story"));
        assert_eq!(article.language.as_deref(), Some("en"));
        assert_eq!(article.section.as_deref(), Some("World"));
        assert_eq!(objects.iter().filter(|object| object.kind == Kind::Site).count(), 1);
    }

    #[test]
    fn reports_unreadable_blocks() {
        let mut diagnostics = Vec::new();
        let objects = read(&["{\"@type\": \"Article\", \"headline\": ".to_owned()], &mut diagnostics);
        assert!(objects.is_empty());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, "bad-json-ld");
    }
}

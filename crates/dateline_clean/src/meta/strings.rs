//! Small string helpers shared by the metadata extractors.

/// Decodes the HTML character references that leak into JSON-LD and meta values: numeric
/// references and the common named ones. Unknown references are kept as written.
pub(super) fn decode_entities(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('&') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        // A reference is at most a few dozen bytes up to its semicolon.
        let end = after.char_indices().take(12).find(|&(_, c)| c == ';').map(|(i, _)| i);
        let decoded = end.and_then(|end| decode_reference(&after[..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// The character of one reference, given what lies between `&` and `;`.
fn decode_reference(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse::<u32>().ok()?,
        };
        return char::from_u32(code).filter(|&c| c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "rsquo" => '\u{2019}',
        "lsquo" => '\u{2018}',
        "rdquo" => '\u{201d}',
        "ldquo" => '\u{201c}',
        "ndash" => '\u{2013}',
        "mdash" => '\u{2014}',
        "hellip" => '\u{2026}',
        "eacute" => '\u{e9}',
        "egrave" => '\u{e8}',
        "aacute" => '\u{e1}',
        "oacute" => '\u{f3}',
        "iacute" => '\u{ed}',
        "uacute" => '\u{fa}',
        "ntilde" => '\u{f1}',
        "ccedil" => '\u{e7}',
        "auml" => '\u{e4}',
        "ouml" => '\u{f6}',
        "uuml" => '\u{fc}',
        "szlig" => '\u{df}',
        _ => return None,
    })
}

/// Decodes references and normalises whitespace: the form every short metadata value takes.
pub(super) fn clean_value(text: &str) -> String {
    crate::normalize_paragraph(&decode_entities(text))
}

/// A comparison key: the letters and digits of `text`, lower-cased.
pub(super) fn key(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// True when `haystack` contains `needle` ignoring ASCII case; `needle` must be lower-case.
pub(super) fn contains_ci(haystack: &str, needle: &str) -> bool {
    let needle = needle.as_bytes();
    needle.is_empty() || haystack.as_bytes().windows(needle.len()).any(|window| window.eq_ignore_ascii_case(needle))
}

/// True when `text` is an absolute or protocol-relative web address.
pub(super) fn looks_like_url(text: &str) -> bool {
    let text = text.trim_start();
    text.contains("://") || text.starts_with("//") || text.get(..4).is_some_and(|s| s.eq_ignore_ascii_case("www."))
}

/// Number of whitespace-separated words.
pub(super) fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_references() {
        assert_eq!(
            decode_entities("Tom &amp; Jerry&#8217;s &#x2014; &bogus; & more"),
            "Tom & Jerry\u{2019}s \u{2014} &bogus; & more"
        );
        assert_eq!(decode_entities("&#0; &#xFFFFFFFF;"), "&#0; &#xFFFFFFFF;");
        assert_eq!(decode_entities("trailing &"), "trailing &");
    }

    #[test]
    fn keys_and_search() {
        assert_eq!(key("The Washington-Post!"), "thewashingtonpost");
        assert!(contains_ci("Article-BYLINE", "byline"));
        assert!(!contains_ci("art", "article"));
        assert!(looks_like_url("https://example.com/a"));
        assert!(looks_like_url("WWW.example.com"));
        assert!(!looks_like_url("Jane Doe"));
    }
}

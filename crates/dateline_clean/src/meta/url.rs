//! Web addresses: their host, links made absolute, and publication dates written into paths
//! (`/2021/01/19/`, `/2021/jan/19/`, `/20210119/`, `2021-01-19`).

use chrono::NaiveDate;

/// The parts of an `http` or `https` address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Parts<'a> {
    /// `http` or `https`, as written.
    pub(super) scheme: &'a str,
    /// The authority: host, and port when given.
    pub(super) authority: &'a str,
    /// Everything after the authority, starting with `/`, `?` or `#`, or empty.
    pub(super) rest: &'a str,
}

/// Splits an absolute `http(s)` address; anything else gives `None`.
pub(super) fn split(url: &str) -> Option<Parts<'_>> {
    let url = url.trim();
    let (scheme, after) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let authority = &after[..end];
    if authority.is_empty() || authority.contains(char::is_whitespace) {
        return None;
    }
    Some(Parts { scheme, authority, rest: &after[end..] })
}

/// The host of an address, lower-cased, without user information, port or a `www.` prefix.
pub(super) fn host(url: &str) -> Option<String> {
    let parts = split(url)?;
    let authority = parts.authority.rsplit_once('@').map_or(parts.authority, |(_, host)| host);
    let host = authority.split(':').next().unwrap_or(authority).trim_end_matches('.').to_ascii_lowercase();
    let host = host.strip_prefix("www.").map(str::to_owned).unwrap_or(host);
    (host.contains('.') && !host.starts_with('.')).then_some(host)
}

/// The label of a host that names the site: `bbc` for `news.bbc.co.uk`, `wsj` for `wsj.com`.
pub(super) fn site_label(host: &str) -> Option<&str> {
    let labels: Vec<&str> = host.split('.').filter(|label| !label.is_empty()).collect();
    let n = labels.len();
    if n < 2 {
        return None;
    }
    let second_level =
        matches!(labels[n - 2], "co" | "com" | "org" | "net" | "ac" | "gov" | "edu" | "ne" | "or" | "go");
    if second_level && labels[n - 1].len() == 2 && n >= 3 { Some(labels[n - 3]) } else { Some(labels[n - 2]) }
}

/// Makes `href` absolute against `base`. Only web addresses are kept: absolute `http(s)`,
/// protocol-relative and root-relative links.
pub(super) fn resolve(href: &str, base: Option<&str>) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.contains(char::is_whitespace) {
        return None;
    }
    if split(href).is_some() {
        return Some(href.to_owned());
    }
    let base = base.and_then(split);
    if let Some(rest) = href.strip_prefix("//") {
        let scheme = base.map_or("https", |parts| parts.scheme);
        let url = format!("{scheme}://{rest}");
        return split(&url).is_some().then_some(url);
    }
    if href.starts_with('/') {
        let base = base?;
        return Some(format!("{}://{}{href}", base.scheme, base.authority));
    }
    None
}

/// A publication date written into the path of an address.
pub(super) fn date_in_path(url: &str) -> Option<NaiveDate> {
    let path = match split(url) {
        Some(parts) => parts.rest,
        None => url,
    };
    let path = &path[..path.find(['?', '#']).unwrap_or(path.len())];
    slash_date(path).or_else(|| compact_date(path))
}

/// `/2021/01/19/` or `/2021/jan/19/`: a year, month and day as consecutive path segments.
fn slash_date(path: &str) -> Option<NaiveDate> {
    let segments: Vec<&str> = path.split('/').collect();
    segments.windows(3).find_map(|window| {
        let year = four_digits(window[0])?;
        let month = small_number(window[1]).or_else(|| month_name(window[1]))?;
        let day = small_number(window[2])?;
        date(year, month, day)
    })
}

/// `2021-01-19`, `2021_01_19` or `20210119` as a run of digits within the path.
fn compact_date(path: &str) -> Option<NaiveDate> {
    let bytes = path.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let run = &path[start..i];
        if run.len() == 8 {
            if let Some(found) = date(number(&run[..4]), number(&run[4..6]), number(&run[6..])) {
                return Some(found);
            }
        } else if run.len() == 4 {
            if let Some(found) = separated_date(&path[start..]) {
                return Some(found);
            }
        }
    }
    None
}

/// `YYYY-MM-DD` or `YYYY_MM_DD` at the start of `text`, not followed by another digit.
fn separated_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() < 10 {
        return None;
    }
    let separator = bytes[4];
    if !matches!(separator, b'-' | b'_') || bytes[7] != separator {
        return None;
    }
    if bytes.get(10).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    let digits = |range: std::ops::Range<usize>| text.get(range).filter(|s| s.bytes().all(|b| b.is_ascii_digit()));
    date(number(digits(0..4)?), number(digits(5..7)?), number(digits(8..10)?))
}

/// A plausible publication date.
fn date(year: u32, month: u32, day: u32) -> Option<NaiveDate> {
    if !(1990..=2100).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

fn number(digits: &str) -> u32 {
    digits.parse().unwrap_or(0)
}

fn four_digits(segment: &str) -> Option<u32> {
    (segment.len() == 4 && segment.bytes().all(|b| b.is_ascii_digit())).then(|| number(segment))
}

fn small_number(segment: &str) -> Option<u32> {
    ((1..=2).contains(&segment.len()) && segment.bytes().all(|b| b.is_ascii_digit())).then(|| number(segment))
}

/// An English month abbreviation or name, as some sites write in paths.
fn month_name(segment: &str) -> Option<u32> {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    if segment.len() < 3 || segment.len() > 9 {
        return None;
    }
    let lower = segment.to_ascii_lowercase();
    let index = MONTHS.iter().position(|month| lower.starts_with(month))?;
    u32::try_from(index + 1).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn dates_in_paths() {
        assert_eq!(date_in_path("https://example.com/2021/01/19/some-story/"), ymd(2021, 1, 19));
        assert_eq!(date_in_path("https://www.theguardian.com/world/2021/jan/19/story"), ymd(2021, 1, 19));
        assert_eq!(date_in_path("https://example.com/news/20210119/story.html"), ymd(2021, 1, 19));
        assert_eq!(date_in_path("https://example.com/news/story-2021-01-19.html"), ymd(2021, 1, 19));
        assert_eq!(date_in_path("https://example.com/2021_01_19_story"), ymd(2021, 1, 19));
        assert_eq!(date_in_path("/2019/11/19/opinion/x.html"), ymd(2019, 11, 19));
    }

    #[test]
    fn no_date_in_ids_or_queries() {
        assert_eq!(date_in_path("https://example.com/article/202101191234"), None);
        assert_eq!(date_in_path("https://example.com/article/12345678"), None);
        assert_eq!(date_in_path("https://example.com/a?date=2021-01-19"), None);
        assert_eq!(date_in_path("https://example.com/2021/13/45/x"), None);
        assert_eq!(date_in_path("https://2021-01-19.example.com/"), None);
        assert_eq!(date_in_path(""), None);
    }

    #[test]
    fn hosts_and_links() {
        assert_eq!(host("https://www.WSJ.com/articles/x").as_deref(), Some("wsj.com"));
        assert_eq!(host("http://user@news.bbc.co.uk:8080/x").as_deref(), Some("news.bbc.co.uk"));
        assert_eq!(host("mailto:a@b.c"), None);
        assert_eq!(site_label("news.bbc.co.uk"), Some("bbc"));
        assert_eq!(site_label("edition.cnn.com"), Some("cnn"));
        assert_eq!(resolve("/a/b", Some("https://example.com/x?y")).as_deref(), Some("https://example.com/a/b"));
        assert_eq!(resolve("//cdn.example.com/a", None).as_deref(), Some("https://cdn.example.com/a"));
        assert_eq!(resolve("relative/path", Some("https://example.com/")), None);
        assert_eq!(resolve("javascript:void(0)", None), None);
    }
}

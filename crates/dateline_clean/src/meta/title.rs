//! Headlines out of page titles: the site name and section that pages put before or after the
//! headline in `<title>` and `og:title` ("Headline - WSJ", "Headline | Reuters", "Site: Headline").

use super::strings::{key, word_count};
use super::url::site_label;

/// Separators between a headline and the site name, with spaces around them.
const SEPARATORS: &[&str] =
    &[" | ", " - ", " \u{2013} ", " \u{2014} ", " \u{b7} ", " \u{2022} ", " :: ", " \u{bb} ", " \u{ab} ", " // "];

/// What the page says about its own name, to recognise it in titles.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct SiteClues<'a> {
    /// The site name from meta tags or JSON-LD.
    pub(super) name: Option<&'a str>,
    /// The host of the page's address, without `www.`.
    pub(super) host: Option<&'a str>,
}

impl SiteClues<'_> {
    /// True when `segment` names the site: its name, or the main label of its host.
    pub(super) fn names_site(&self, segment: &str) -> bool {
        let segment_key = key(segment);
        if segment_key.is_empty() {
            return false;
        }
        if self.name.is_some_and(|name| key(name) == segment_key) {
            return true;
        }
        if word_count(segment) > 5 {
            return false;
        }
        if let Some(host) = self.host {
            if key(host) == segment_key {
                return true;
            }
            if let Some(label) = site_label(host) {
                let label = key(label);
                // "BBC News" for bbc.co.uk, "The Washington Post" for washingtonpost.com, but not
                // "comwrap auf der DMEXCO 2018" for comwrap.com.
                let contains =
                    segment_key.contains(&label) && (word_count(segment) <= 3 || 2 * label.len() >= segment_key.len());
                if label.len() >= 3 && (contains || (segment_key.len() >= 3 && label.contains(&segment_key))) {
                    return true;
                }
            }
        }
        false
    }
}

/// A title with the site's name taken off.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Stripped {
    /// The headline.
    pub(super) headline: String,
    /// The last segment taken off the end when it was not recognised as the site by name: the
    /// site name the title gives, if it gives one.
    pub(super) suffix: Option<String>,
}

/// Takes the site name off the ends of a normalised title. With `guess`, for `<title>`, a short
/// last segment is taken off too even when it is not recognised as the site.
pub(super) fn strip_site(title: &str, clues: &SiteClues<'_>, guess: bool) -> Stripped {
    let mut headline = title.trim();
    let mut suffix = None;
    let mut rounds = 0;
    // Known site name at the end, then at the start.
    while let Some((at, sep)) = last_separator(headline) {
        let tail = &headline[at + sep.len()..];
        if at == 0 || rounds >= 3 || !clues.names_site(tail) {
            break;
        }
        suffix = Some(tail.trim().to_owned());
        headline = headline[..at].trim_end();
        rounds += 1;
    }
    if let Some((at, sep)) = first_separator(headline, true) {
        if at > 0 && clues.names_site(&headline[..at]) && headline.len() > at + sep.len() {
            if suffix.is_none() {
                suffix = Some(headline[..at].trim().to_owned());
            }
            headline = headline[at + sep.len()..].trim_start();
        }
    }
    // "Headline - Section | Site": with `guess`, short trailing segments go as well, at most
    // two in all, and a second one only after a bar.
    while guess && rounds < 2 {
        let Some((at, sep)) = last_separator(headline) else { break };
        let tail = headline[at + sep.len()..].trim();
        let head = headline[..at].trim_end();
        let short = word_count(tail) <= 4 && tail.chars().count() <= 40;
        let starts_well = tail.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
        if !short || !starts_well || word_count(head) < 2 * word_count(tail).max(2) {
            break;
        }
        if suffix.is_none() {
            suffix = Some(tail.to_owned());
        }
        headline = head;
        rounds += 1;
        if sep.trim() != "|" {
            break;
        }
    }
    Stripped { headline: headline.to_owned(), suffix }
}

/// The rightmost separator in `text`.
fn last_separator(text: &str) -> Option<(usize, &'static str)> {
    SEPARATORS.iter().filter_map(|sep| text.rfind(sep).map(|at| (at, *sep))).max_by_key(|&(at, _)| at)
}

/// The leftmost separator in `text`, counting `: ` when `colon` is set.
fn first_separator(text: &str, colon: bool) -> Option<(usize, &'static str)> {
    let colon = colon.then(|| text.find(": ").map(|at| (at, ": "))).flatten();
    SEPARATORS.iter().filter_map(|sep| text.find(sep).map(|at| (at, *sep))).chain(colon).min_by_key(|&(at, _)| at)
}

/// True when `heading` is the headline inside `title`: the title contains it and it is long
/// enough to mean something.
pub(super) fn heading_matches(heading: &str, title: &str) -> bool {
    let heading = key(heading);
    heading.chars().count() >= 8 && key(title).contains(&heading)
}

/// The site name beside a heading that a title holds whole: "Headline :: Site" or "Site |
/// Headline" with the heading "Headline" give "Site". Only short capitalised parts count.
pub(super) fn site_beside_heading(title: &str, heading: &str) -> Option<String> {
    let heading_key = key(heading);
    if heading_key.chars().count() < 8 {
        return None;
    }
    for sep in SEPARATORS.iter().chain(&[": "]) {
        let mut from = 0;
        while let Some(found) = title[from..].find(sep) {
            let at = from + found;
            let (before, after) = (title[..at].trim(), title[at + sep.len()..].trim());
            let other = if key(before) == heading_key {
                after
            } else if key(after) == heading_key && *sep != ": " {
                before
            } else {
                from = at + sep.len();
                continue;
            };
            let site_like = key(other).len() < heading_key.len()
                && word_count(other) <= 5
                && other.chars().count() <= 60
                && other.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
            return site_like.then(|| other.to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(title: &str, name: Option<&str>, host: Option<&str>, guess: bool) -> (String, Option<String>) {
        let stripped = strip_site(title, &SiteClues { name, host }, guess);
        (stripped.headline, stripped.suffix)
    }

    #[test]
    fn strips_known_site_names() {
        assert_eq!(strip("Stocks Rally - WSJ", Some("WSJ"), None, false), ("Stocks Rally".into(), Some("WSJ".into())));
        assert_eq!(strip("Stocks Rally | Reuters", None, Some("reuters.com"), false).0, "Stocks Rally");
        assert_eq!(strip("BBC News: Stocks rally again", None, Some("bbc.co.uk"), false).0, "Stocks rally again");
        assert_eq!(
            strip("Stocks Rally on Fed Hopes - Markets | The Washington Post", None, Some("washingtonpost.com"), true),
            ("Stocks Rally on Fed Hopes".into(), Some("The Washington Post".into()))
        );
    }

    #[test]
    fn keeps_long_segments_that_merely_mention_the_host() {
        assert_eq!(
            strip("Take C.A.R.E. - comwrap auf der DMEXCO 2018", None, Some("blog.comwrap.com"), false).0,
            "Take C.A.R.E. - comwrap auf der DMEXCO 2018"
        );
    }

    #[test]
    fn guesses_short_suffixes_only_for_page_titles() {
        assert_eq!(
            strip("Stocks rally as the Fed holds rates | Daily Planet", None, None, true),
            ("Stocks rally as the Fed holds rates".into(), Some("Daily Planet".into()))
        );
        assert_eq!(
            strip("Stocks rally as the Fed holds rates | Daily Planet", None, None, false).0,
            "Stocks rally as the Fed holds rates | Daily Planet"
        );
        assert_eq!(strip("Brexit - what happens next", None, None, true).0, "Brexit - what happens next");
        assert_eq!(
            strip("Opinion | Republicans Are Following Trump to Nowhere", Some("The New York Times"), None, true).0,
            "Opinion | Republicans Are Following Trump to Nowhere"
        );
    }

    #[test]
    fn site_names_beside_headings() {
        assert_eq!(
            site_beside_heading("Neue Bahnlinie er\u{f6}ffnet :: Talblatt", "Neue Bahnlinie er\u{f6}ffnet").as_deref(),
            Some("Talblatt")
        );
        assert_eq!(
            site_beside_heading("Daily Planet | Stocks rally again", "Stocks rally again").as_deref(),
            Some("Daily Planet")
        );
        assert_eq!(site_beside_heading("Stocks rally again - what happens next", "Stocks rally again"), None);
        assert_eq!(site_beside_heading("Stocks rally again", "Stocks rally again"), None);
        assert_eq!(site_beside_heading("September 2018 open thread | The GiveWell Blog", "The GiveWell Blog"), None);
    }

    #[test]
    fn headings_match_titles() {
        assert!(heading_matches("Stocks Rally Again", "Stocks rally again - WSJ"));
        assert!(!heading_matches("WSJ", "Stocks rally again - WSJ"));
    }
}

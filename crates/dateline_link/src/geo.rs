//! The gazetteer: countries, first-level divisions and populated places with coordinates, and
//! the choice of one reading for a place name.
//!
//! The data is `resources/geo/places.tsv.gz` (GeoNames, CC BY 4.0; see its README), compiled
//! into the binary. Names are looked up by a normalised key ([`normalise`]): case, accents and
//! punctuation are ignored, "St." reads as "Saint", "Mt." as "Mount", "Ft." as "Fort", and a
//! leading "the" is dropped.
//!
//! # Choosing a reading
//!
//! [`Gazetteer::resolve`] scores every candidate of a mention and keeps the best:
//! - kind: country 4 > division 3 > capital 2.5 > other place 2; a national capital gets 1 more,
//!   as a bare name shared with a division of its own country means the capital in the news
//!   ("Washington");
//! - population prior: 0.7 × log10(population); for a division, of a tenth of its population
//!   (its population sums a whole area, a place's does not);
//! - a match on an alternate name rather than the primary name costs 1.5, and 2 more when
//!   another entry has the name as its primary name ("Gaza": the city, not an alternate name
//!   of the Palestinian Territory), unless it lies in a division of that primary name ("New
//!   York City" for "New York");
//! - a division named like a place of its own that holds at least a tenth of its people
//!   ("São Paulo", "New York") costs 3: the bare name means the place;
//! - context: +2 for a candidate in a country the document mentions (`countries`), +1.5 for one
//!   in the country of another resolved place, +3 for a place in a division the document names
//!   ("Springfield" … "Illinois"), +2 for a division that holds another resolved place
//!   ("Atlanta" … "Georgia");
//! - a comma followed by a division or country the candidate lies in ("Paris, Texas",
//!   "Springfield, Ill.") is strong evidence: +10.
//!
//! A country's coordinates are those of its capital (of the population-weighted centroid of its
//! places, for the few without one).
//!
//! # Common words
//!
//! A mention whose first letter is not a capital never resolves (places are capitalised in
//! English). A name on a small stop list of English words and first names that are also places
//! ("Of", "Mobile", "Police", "Nice", "Split", "Bath", "Reading", "Sale", "Victoria"…) resolves
//! only on strong evidence: a comma followed by its division or country, or a locative
//! preposition before it ("in", "near", "outside"…) together with the document naming the
//! country of the reading. Months and weekdays ("March", "May") resolve only after a comma.

use std::fmt;
use std::io::Read;

use dateline_doc::{Place, PlaceKind, TextRange, Token};
use rustc_hash::FxHashMap;

/// Why a gazetteer could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GeoError {
    /// The compressed file could not be inflated or is not UTF-8.
    #[error("gazetteer: cannot read the compressed file: {0}")]
    Io(#[from] std::io::Error),
    /// A line of the TSV is malformed.
    #[error("gazetteer line {line}: {what}")]
    Line {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        what: String,
    },
}

/// One entry of the gazetteer.
#[derive(Clone, Debug, PartialEq)]
pub struct GazetteerEntry {
    /// GeoNames id.
    pub geonames_id: u32,
    /// Country, first-level division or populated place.
    pub kind: PlaceKind,
    /// True for the capital of a country (then `kind` is [`PlaceKind::City`]).
    pub capital: bool,
    /// The primary name ("Hanoi", "São Paulo").
    pub name: Box<str>,
    /// ISO 3166 alpha-3 code of the country (of itself, for a country).
    pub country: Box<str>,
    /// GeoNames admin1 code of the division within the country ("TX"); empty for a country.
    pub admin1: Box<str>,
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Population (for a division, a lower bound: the sum of its places').
    pub population: u64,
}

/// Candidates of one normalised name: those whose primary name it is come first.
#[derive(Debug, Default)]
struct Candidates {
    ids: Vec<u32>,
    primary: u32,
}

/// Countries, first-level divisions and populated places, indexed by normalised name.
pub struct Gazetteer {
    entries: Vec<GazetteerEntry>,
    index: FxHashMap<Box<str>, Candidates>,
    /// "USA.TX" → id of the division.
    admin1: FxHashMap<Box<str>, u32>,
}

impl fmt::Debug for Gazetteer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Gazetteer").field("entries", &self.entries.len()).field("names", &self.index.len()).finish()
    }
}

/// English words and first names that are also names of places (normalised). They resolve only
/// on strong evidence.
const STOP: &[&str] = &[
    "of",
    "a",
    "an",
    "and",
    "at",
    "by",
    "in",
    "on",
    "to",
    "mobile",
    "police",
    "nice",
    "split",
    "bath",
    "reading",
    "sale",
    "victoria",
    "florence",
    "man",
    "same",
    "hope",
    "union",
    "orange",
    "independence",
    "liberty",
    "commerce",
    "enterprise",
    "progress",
    "opportunity",
    "surprise",
    "eagle",
    "marathon",
    "media",
    "price",
    "mission",
    "university",
    "college",
    "center",
    "centre",
    "city",
    "north",
    "south",
    "east",
    "west",
    "central",
    "middle",
    "new",
    "best",
    "bar",
    "ban",
    "bay",
    "van",
    "home",
    "life",
    "love",
    "deal",
    "power",
    "trust",
    "obama",
    "jackson",
    "lincoln",
    "kent",
    "chandler",
    "irving",
    "warren",
    "franklin",
    "clinton",
    "aurora",
    "hamilton",
    "troy",
    "gary",
    "eugene",
    "tyler",
    "lafayette",
    "normal",
    "temple",
    "pleasant",
    "bella",
    "gross",
    "ware",
    "wells",
    "rugby",
    "nelson",
    "sandy",
    "mercedes",
    "esperanza",
    "asia",
    "europe",
    "africa",
    "mart",
    "post",
    "guard",
    "camp",
    "pride",
    "paradise",
    "harmony",
    "unity",
    "trump",
    "sun",
    "mary",
    "marion",
    "elizabeth",
    "jasper",
    "tours",
    "mans",
    "nancy",
    "niles",
    "bend",
    "wilson",
    "moore",
    "goes",
    "said",
    "will",
    "can",
    "sole",
    "gap",
    "bra",
    "boom",
    "bolt",
    "batman",
    "dun",
    "most",
    "cant",
    // Generic geographic words that name first-level divisions somewhere (Papua New Guinea's
    // "Gulf", Ghana's "Northern"): in news they are almost always part of another name.
    "gulf",
    "northern",
    "southern",
    "eastern",
    "western",
    "coast",
    "capital",
    "highlands",
    "lakes",
    "islands",
    "national",
    "federal",
    "border",
    "delta",
    "upper",
    "lower",
    "interior",
    "littoral",
    "plateau",
    "atlantic",
    "pacific",
];

/// Months and weekdays ("May", "March", "Sunday" are places too): they resolve only after a
/// comma.
fn is_calendar_word(lower: &str) -> bool {
    dateline_doc::MONTHS.contains(&lower) || dateline_doc::WEEKDAYS.contains(&lower)
}

/// Words before a place name that mark it as a place.
const LOCATIVE: &[&str] =
    &["in", "near", "outside", "from", "to", "at", "into", "across", "around", "toward", "towards", "via", "visited"];

/// Lower-case words allowed inside a multi-word place name ("Rio de Janeiro").
const CONNECTORS: &[&str] = &["de", "del", "da", "al", "el", "do", "dos", "das", "of"];

/// US state abbreviations used after a comma in news (AP style and postal), → admin1 code.
const US_STATES: &[(&str, &str)] = &[
    ("ala", "AL"),
    ("al", "AL"),
    ("alaska", "AK"),
    ("ak", "AK"),
    ("ariz", "AZ"),
    ("az", "AZ"),
    ("ark", "AR"),
    ("ar", "AR"),
    ("calif", "CA"),
    ("cal", "CA"),
    ("ca", "CA"),
    ("colo", "CO"),
    ("co", "CO"),
    ("conn", "CT"),
    ("ct", "CT"),
    ("del", "DE"),
    ("de", "DE"),
    ("d c", "DC"),
    ("dc", "DC"),
    ("fla", "FL"),
    ("fl", "FL"),
    ("ga", "GA"),
    ("hawaii", "HI"),
    ("hi", "HI"),
    ("idaho", "ID"),
    ("id", "ID"),
    ("ill", "IL"),
    ("il", "IL"),
    ("ind", "IN"),
    ("in", "IN"),
    ("iowa", "IA"),
    ("ia", "IA"),
    ("kan", "KS"),
    ("kans", "KS"),
    ("ks", "KS"),
    ("ky", "KY"),
    ("la", "LA"),
    ("maine", "ME"),
    ("me", "ME"),
    ("md", "MD"),
    ("mass", "MA"),
    ("ma", "MA"),
    ("mich", "MI"),
    ("mi", "MI"),
    ("minn", "MN"),
    ("mn", "MN"),
    ("miss", "MS"),
    ("ms", "MS"),
    ("mo", "MO"),
    ("mont", "MT"),
    ("mt", "MT"),
    ("mount", "MT"),
    ("neb", "NE"),
    ("nebr", "NE"),
    ("ne", "NE"),
    ("nev", "NV"),
    ("nv", "NV"),
    ("n h", "NH"),
    ("nh", "NH"),
    ("n j", "NJ"),
    ("nj", "NJ"),
    ("n m", "NM"),
    ("nm", "NM"),
    ("n y", "NY"),
    ("ny", "NY"),
    ("n c", "NC"),
    ("nc", "NC"),
    ("n d", "ND"),
    ("nd", "ND"),
    ("ohio", "OH"),
    ("oh", "OH"),
    ("okla", "OK"),
    ("ok", "OK"),
    ("ore", "OR"),
    ("or", "OR"),
    ("pa", "PA"),
    ("r i", "RI"),
    ("ri", "RI"),
    ("s c", "SC"),
    ("sc", "SC"),
    ("s d", "SD"),
    ("sd", "SD"),
    ("tenn", "TN"),
    ("tn", "TN"),
    ("tex", "TX"),
    ("tx", "TX"),
    ("utah", "UT"),
    ("ut", "UT"),
    ("vt", "VT"),
    ("va", "VA"),
    ("wash", "WA"),
    ("wa", "WA"),
    ("w va", "WV"),
    ("wv", "WV"),
    ("wis", "WI"),
    ("wi", "WI"),
    ("wyo", "WY"),
    ("wy", "WY"),
];

/// The normalised key of a name: lower case, accents and punctuation removed, words separated
/// by one space, "st"/"ste"/"mt"/"ft" spelt out, a leading "the" dropped.
pub fn normalise(name: &str) -> String {
    let mut folded = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii() {
            if c.is_ascii_alphanumeric() {
                folded.push(c.to_ascii_lowercase());
            } else if c != '\'' && c != '`' {
                folded.push(' ');
            }
            continue;
        }
        match c {
            '\u{2018}' | '\u{2019}' | '\u{02BB}' | '\u{02BC}' | '\u{02BF}' | '\u{02BE}' => {}
            'ß' => folded.push_str("ss"),
            'æ' | 'Æ' => folded.push_str("ae"),
            'œ' | 'Œ' => folded.push_str("oe"),
            'ø' | 'Ø' => folded.push('o'),
            'đ' | 'Đ' | 'ð' | 'Ð' => folded.push('d'),
            'ł' | 'Ł' => folded.push('l'),
            'ı' => folded.push('i'),
            'þ' | 'Þ' => folded.push_str("th"),
            _ => unicode_normalization::char::decompose_canonical(c, |d| {
                if unicode_normalization::char::is_combining_mark(d) {
                } else if d.is_alphanumeric() {
                    folded.extend(d.to_lowercase());
                } else {
                    folded.push(' ');
                }
            }),
        }
    }
    let mut out = String::with_capacity(folded.len());
    for (i, word) in folded.split_ascii_whitespace().enumerate() {
        if i == 0 && word == "the" {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(match word {
            "st" => "saint",
            "ste" => "sainte",
            "mt" => "mount",
            "ft" => "fort",
            w => w,
        });
    }
    out
}

fn parse_field<T: std::str::FromStr>(field: &str, line: usize, what: &str) -> Result<T, GeoError> {
    field.parse().map_err(|_| GeoError::Line { line, what: format!("{what} is not a number: {field:?}") })
}

impl Gazetteer {
    /// The gazetteer compiled into the binary (`resources/geo/places.tsv.gz`).
    pub fn embedded() -> Result<Gazetteer, GeoError> {
        let embedded = dateline_doc::PLACES_TSV_GZ;
        let mut text = String::with_capacity(embedded.len() * 3);
        flate2::read::GzDecoder::new(embedded).read_to_string(&mut text)?;
        Gazetteer::from_tsv(&text)
    }

    /// Reads a gazetteer in the format of `resources/geo/places.tsv.gz`, uncompressed: nine
    /// tab-separated columns `geonames_id kind name country_iso3 admin1 lat lon population
    /// alternate_names(;)`. Empty lines and lines starting with `#` are skipped.
    pub fn from_tsv(text: &str) -> Result<Gazetteer, GeoError> {
        let mut entries = Vec::with_capacity(text.len() / 80);
        let mut index: FxHashMap<Box<str>, Candidates> = FxHashMap::default();
        index.reserve(text.len() / 12);
        let mut admin1 = FxHashMap::default();
        let mut alternates: Vec<(String, u32)> = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line_no = n + 1;
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split('\t').collect();
            if fields.len() != 9 {
                return Err(GeoError::Line { line: line_no, what: format!("{} columns, expected 9", fields.len()) });
            }
            let (kind, capital) = match fields[1] {
                "country" => (PlaceKind::Country, false),
                "admin1" => (PlaceKind::Admin1, false),
                "capital" => (PlaceKind::City, true),
                "city" => (PlaceKind::City, false),
                other => {
                    return Err(GeoError::Line { line: line_no, what: format!("unknown kind {other:?}") });
                }
            };
            let name = fields[2].trim();
            if name.is_empty() {
                return Err(GeoError::Line { line: line_no, what: "empty name".into() });
            }
            let country = fields[3];
            if country.len() != 3 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(GeoError::Line { line: line_no, what: format!("country {country:?} is not an ISO3 code") });
            }
            let lat: f64 = parse_field(fields[5], line_no, "latitude")?;
            let lon: f64 = parse_field(fields[6], line_no, "longitude")?;
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                return Err(GeoError::Line { line: line_no, what: format!("coordinates {lat},{lon} out of range") });
            }
            let id = u32::try_from(entries.len())
                .map_err(|_| GeoError::Line { line: line_no, what: "too many entries".into() })?;
            let entry = GazetteerEntry {
                geonames_id: parse_field(fields[0], line_no, "geonames_id")?,
                kind,
                capital,
                name: name.into(),
                country: country.into(),
                admin1: fields[4].into(),
                lat,
                lon,
                population: parse_field(fields[7], line_no, "population")?,
            };
            if kind == PlaceKind::Admin1 && !entry.admin1.is_empty() {
                admin1.insert(format!("{country}.{}", entry.admin1).into_boxed_str(), id);
            }
            let key = normalise(name);
            if !key.is_empty() {
                index.entry(key.into_boxed_str()).or_default().ids.push(id);
            }
            for alt in fields[8].split(';') {
                let key = normalise(alt);
                if !key.is_empty() {
                    alternates.push((key, id));
                }
            }
            entries.push(entry);
        }
        for list in index.values_mut() {
            list.primary = list.ids.len() as u32;
        }
        for (key, id) in alternates {
            let list = index.entry(key.into_boxed_str()).or_default();
            if !list.ids.contains(&id) {
                list.ids.push(id);
            }
        }
        let mut gazetteer = Gazetteer { entries, index, admin1 };
        // Most likely reading first, within the primary and the alternate matches (the alternate
        // penalty is the same for all, so one prior orders both).
        let priors: Vec<f64> = (0..gazetteer.entries.len() as u32).map(|id| gazetteer.prior(id, true)).collect();
        for list in gazetteer.index.values_mut() {
            let (p, a) = list.ids.split_at_mut(list.primary as usize);
            for part in [p, a] {
                part.sort_by(|&x, &y| priors[y as usize].total_cmp(&priors[x as usize]));
            }
        }
        Ok(gazetteer)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the gazetteer has no entry.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Candidates for a name (case-, accent- and punctuation-insensitive: "Sao Paulo" = "São
    /// Paulo"; "St." = "Saint"): those whose primary name it is first, each group most likely
    /// first by kind and population.
    pub fn candidates(&self, name: &str) -> &[u32] {
        self.lookup(&normalise(name)).map_or(&[], |c| &c.ids)
    }

    /// The entry with this id. Panics on an id that no lookup returned.
    pub fn entry(&self, id: u32) -> &GazetteerEntry {
        &self.entries[id as usize]
    }

    /// The division a place or division lies in.
    pub fn admin1_of(&self, id: u32) -> Option<u32> {
        let e = self.entry(id);
        if e.kind == PlaceKind::Country || e.admin1.is_empty() {
            return None;
        }
        self.admin1.get(format!("{}.{}", e.country, e.admin1).as_str()).copied()
    }

    fn lookup(&self, key: &str) -> Option<&Candidates> {
        if key.is_empty() { None } else { self.index.get(key) }
    }

    /// Score of a reading before context.
    fn prior(&self, id: u32, primary: bool) -> f64 {
        let e = self.entry(id);
        let (kind, population) = match e.kind {
            PlaceKind::Country => (4.0, e.population as f64),
            PlaceKind::Admin1 => (3.0, e.population as f64 / 10.0),
            PlaceKind::City if e.capital => (3.5, e.population as f64),
            PlaceKind::City => (2.0, e.population as f64),
        };
        kind + 0.7 * (population + 1.0).log10() - if primary { 0.0 } else { 1.5 }
    }

    /// Divisions and countries named after a comma that follows `end` ("Paris, Texas").
    fn comma_follower(&self, text: &str, end: usize) -> Vec<u32> {
        let Some(rest) = text.get(end..) else { return Vec::new() };
        let rest = rest.trim_start_matches([' ', '\t']);
        let Some(rest) = rest.strip_prefix(',') else { return Vec::new() };
        let rest = rest.trim_start_matches([' ', '\t']);
        // Up to four capitalised words (dots allowed inside: "D.C.", "Tex.").
        let mut ends = Vec::new();
        let mut pos = 0;
        for _ in 0..4 {
            let word_len =
                rest[pos..].find(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-')).unwrap_or(rest.len() - pos);
            let word = &rest[pos..pos + word_len];
            if word.is_empty() || !word.chars().next().is_some_and(char::is_uppercase) && !CONNECTORS.contains(&word) {
                break;
            }
            ends.push(pos + word_len);
            pos += word_len;
            let spaces = rest[pos..].len() - rest[pos..].trim_start_matches(' ').len();
            if spaces != 1 {
                break;
            }
            pos += spaces;
        }
        for &end in ends.iter().rev() {
            let key = normalise(&rest[..end]);
            let mut out: Vec<u32> = self
                .lookup(&key)
                .map(|c| {
                    c.ids.iter().copied().filter(|&id| self.entry(id).kind != PlaceKind::City).collect::<Vec<u32>>()
                })
                .unwrap_or_default();
            if let Some(&(_, code)) = US_STATES.iter().find(|(abbr, _)| *abbr == key) {
                if let Some(&id) = self.admin1.get(format!("USA.{code}").as_str()) {
                    out.push(id);
                }
            }
            if !out.is_empty() {
                return out;
            }
        }
        Vec::new()
    }

    /// Resolves place mentions to one reading each. `mentions`: spans of candidate place names
    /// in `text`, in text order; `countries`: ISO3 codes of countries the document mentions, as
    /// context. Mentions that are not in the gazetteer, or are common words without strong
    /// evidence (see the module documentation), are dropped.
    pub fn resolve(&self, text: &str, mentions: &[TextRange], countries: &[&str]) -> Vec<Place> {
        struct Mention<'a> {
            range: TextRange,
            surface: &'a str,
            key: String,
            cands: &'a Candidates,
            /// Candidates named by a comma follower: strong evidence.
            followers: Vec<u32>,
            /// Needs strong evidence to resolve.
            guarded: bool,
            calendar: bool,
            locative: bool,
        }
        let mut found = Vec::new();
        for &range in mentions {
            let Some(surface) = text.get(range.start..range.end) else { continue };
            let surface = surface.trim();
            let Some(first) = surface.chars().next() else { continue };
            if !first.is_uppercase() {
                continue;
            }
            let key = normalise(surface);
            let Some(cands) = self.lookup(&key) else { continue };
            let calendar = is_calendar_word(&key);
            let guarded = calendar || STOP.contains(&key.as_str());
            let before = text[..range.start].trim_end();
            let prev_word = before.rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("").to_lowercase();
            found.push(Mention {
                range,
                surface,
                followers: self.comma_follower(text, range.end),
                cands,
                key,
                guarded,
                calendar,
                locative: LOCATIVE.contains(&prev_word.as_str()),
            });
        }
        // Pass 1: document countries only; pass 2: also the countries and divisions of the
        // readings of pass 1 (from other names).
        let mut chosen: Vec<Option<u32>> = vec![None; found.len()];
        for pass in 0..2 {
            let mut next = vec![None; found.len()];
            for (i, m) in found.iter().enumerate() {
                let context_country = |country: &str| countries.contains(&country);
                let mut best: Option<(f64, u32, bool)> = None;
                for (rank, &id) in m.cands.ids.iter().enumerate() {
                    let e = self.entry(id);
                    let primary = rank < m.cands.primary as usize;
                    let mut score = self.prior(id, primary);
                    if e.kind == PlaceKind::Admin1 && self.named_after_place(id, m.cands) {
                        score -= 3.0;
                    }
                    if !primary && m.cands.primary > 0 && !self.names_own_division(id, m.cands) {
                        score -= 2.0;
                    }
                    if context_country(&e.country) {
                        score += 2.0;
                    }
                    let admin1 = self.admin1_of(id);
                    let followed = m.followers.iter().any(|&f| {
                        let fe = self.entry(f);
                        f != id
                            && ((fe.kind == PlaceKind::Country && fe.country == e.country)
                                || (fe.kind == PlaceKind::Admin1 && Some(f) == admin1))
                    });
                    if followed {
                        score += 10.0;
                    }
                    if pass == 1 {
                        let others = found.iter().zip(&chosen).filter(|(o, _)| o.key != m.key).filter_map(|(_, c)| *c);
                        let mut same_country = false;
                        let mut same_admin1 = false;
                        let mut holds_other = false;
                        for o in others {
                            let oe = self.entry(o);
                            same_country |= oe.country == e.country;
                            same_admin1 |= oe.kind == PlaceKind::Admin1 && Some(o) == admin1;
                            holds_other |= e.kind == PlaceKind::Admin1 && self.admin1_of(o) == Some(id);
                        }
                        if holds_other {
                            score += 2.0;
                        }
                        if same_country {
                            score += 1.5;
                        }
                        if same_admin1 {
                            score += 3.0;
                        }
                    }
                    if best.is_none_or(|(s, _, _)| score > s) {
                        best = Some((score, id, followed));
                    }
                }
                let Some((_, id, strong)) = best else { continue };
                if m.guarded && !strong {
                    let e = self.entry(id);
                    let in_context = countries.contains(&&*e.country)
                        || found
                            .iter()
                            .zip(&chosen)
                            .any(|(o, c)| o.key != m.key && c.is_some_and(|c| self.entry(c).country == e.country));
                    if m.calendar || !(m.locative && in_context) {
                        continue;
                    }
                }
                next[i] = Some(id);
            }
            chosen = next;
        }
        found
            .iter()
            .zip(chosen)
            .filter_map(|(m, id)| {
                let e = self.entry(id?);
                Some(Place {
                    start: m.range.start,
                    end: m.range.end,
                    text: m.surface.to_string(),
                    name: e.name.to_string(),
                    country: Some(e.country.to_string()),
                    lat: e.lat,
                    lon: e.lon,
                    kind: e.kind,
                    geonames_id: Some(e.geonames_id),
                })
            })
            .collect()
    }

    /// True when a place lies in a division whose primary name is the name looked up ("New York
    /// City" for "New York").
    fn names_own_division(&self, place: u32, cands: &Candidates) -> bool {
        let p = self.entry(place);
        p.kind == PlaceKind::City
            && cands.ids[..cands.primary as usize].iter().any(|&id| {
                let e = self.entry(id);
                e.kind == PlaceKind::Admin1 && e.country == p.country && e.admin1 == p.admin1
            })
    }

    /// True when a division shares its name with a place of its own that holds at least a tenth
    /// of its people ("São Paulo", "New York").
    fn named_after_place(&self, admin1: u32, cands: &Candidates) -> bool {
        let a = self.entry(admin1);
        cands.ids.iter().any(|&id| {
            let e = self.entry(id);
            e.kind == PlaceKind::City
                && e.country == a.country
                && e.admin1 == a.admin1
                && e.population.saturating_mul(10) >= a.population
        })
    }

    /// Capitalised token sequences (up to four tokens; lower-case "de/del/da/al/el/do/dos/das/of"
    /// inside) that name a gazetteer entry, longest first, for places the named-entity
    /// recogniser missed. A sequence matches on a primary name, or on an alternate name of a
    /// country, a division or a place above a million people. Stop-listed words and months are
    /// left out, and so is a single word opening a sentence unless it names a country, a
    /// division or a place above 100,000 people.
    pub fn find_mentions(&self, text: &str, tokens: &[Token]) -> Vec<TextRange> {
        let token_text = |t: &Token| text.get(t.start..t.end).unwrap_or("");
        let capitalised = |s: &str| s.chars().next().is_some_and(char::is_uppercase);
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            let first = token_text(&tokens[i]);
            if !capitalised(first) {
                i += 1;
                continue;
            }
            let start = tokens[i].start;
            let sentence_initial = text.get(..start).is_some_and(|b| {
                b.trim_end().chars().last().is_none_or(|c| matches!(c, '.' | '!' | '?' | '"' | '\u{201C}' | ':' | '\n'))
            });
            let mut best = None;
            let mut words = 0;
            let mut j = i;
            while j < tokens.len() && words < 4 {
                let t = token_text(&tokens[j]);
                if j > i {
                    let gap = text.get(tokens[j - 1].end..tokens[j].start).unwrap_or("\n");
                    if gap.len() > 1 || gap.contains('\n') {
                        break;
                    }
                    // A dot glued to the word before ("St. Louis") does not count as a word.
                    if gap.is_empty() && t == "." {
                        j += 1;
                        continue;
                    }
                }
                let connector = j > i && CONNECTORS.contains(&t);
                if !connector && !capitalised(t) {
                    break;
                }
                words += 1;
                if !connector {
                    let key = normalise(text.get(start..tokens[j].end).unwrap_or(""));
                    if self.mention_ok(&key, words == 1 && sentence_initial) {
                        best = Some(j);
                    }
                }
                j += 1;
            }
            match best {
                Some(j) => {
                    out.push(TextRange::new(start, tokens[j].end));
                    i = j + 1;
                }
                None => i += 1,
            }
        }
        out
    }

    fn mention_ok(&self, key: &str, sentence_initial: bool) -> bool {
        if STOP.contains(&key) || is_calendar_word(key) {
            return false;
        }
        let Some(c) = self.lookup(key) else { return false };
        c.ids.iter().enumerate().any(|(rank, &id)| {
            let e = self.entry(id);
            let big = e.kind != PlaceKind::City || e.population >= 1_000_000;
            let notable = e.kind != PlaceKind::City || e.capital || e.population >= 100_000;
            (rank < c.primary as usize || big) && (!sentence_initial || notable)
        })
    }
}

#[cfg(test)]
mod tests;

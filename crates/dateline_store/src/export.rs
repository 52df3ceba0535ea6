//! Events out, in the formats other tools read: GDELT 2.0's Events table (61 tab-separated
//! columns in GDELT's order, no header, as GDELT's own files), CSV with a header, JSON Lines
//! (one event per line, with its mentions), and Parquet.

use std::collections::HashMap;
use std::io::Write;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDateTime};

use crate::merge::event_day;
use crate::query::{EventFilter, EventRow};
use crate::{Store, StoreError};

/// An export format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// GDELT 2.0 Events, 61 columns, tab-separated.
    Gdelt,
    /// Comma-separated with a header row.
    Csv,
    /// One JSON object per event, with its mentions.
    Jsonl,
}

/// The CAMEO type codes that follow (or stand instead of) a country in an actor code.
const TYPE_CODES: &[&str] = &[
    "GOV", "MIL", "REB", "OPP", "PTY", "COP", "JUD", "SPY", "MED", "EDU", "BUS", "CRM", "CVL", "ELI", "HLH", "HRI",
    "IGO", "IMG", "INS", "LAB", "LEG", "MNC", "NGM", "NGO", "REF", "REL", "SET", "UAF", "AGR", "ENV", "RAD", "MOD",
    "DEV", "KID", "SEP", "UIS",
];

/// Codes that name a kind of organisation whose next three letters are the organisation.
const GROUP_PREFIXES: &[&str] = &["IGO", "NGO", "IMG", "MNC"];

/// An actor code taken apart as GDELT's columns want it: country, known group, three types.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ActorParts {
    pub(crate) country: String,
    pub(crate) group: String,
    pub(crate) types: [String; 3],
}

pub(crate) fn actor_parts(code: &str) -> ActorParts {
    let mut parts = ActorParts::default();
    let chunks: Vec<&str> =
        (0..code.len()).step_by(3).filter_map(|start| code.get(start..(start + 3).min(code.len()))).collect();
    let mut types = Vec::new();
    let mut index = 0;
    while index < chunks.len() {
        let chunk = chunks[index];
        if index == 0 && !TYPE_CODES.contains(&chunk) {
            parts.country = chunk.to_owned();
        } else if GROUP_PREFIXES.contains(&chunk) && parts.group.is_empty() {
            types.push(chunk.to_owned());
            if let Some(next) = chunks.get(index + 1).filter(|next| !TYPE_CODES.contains(next)) {
                parts.group = (*next).to_owned();
                index += 1;
            }
        } else if TYPE_CODES.contains(&chunk) {
            types.push(chunk.to_owned());
        }
        index += 1;
    }
    for (slot, code) in parts.types.iter_mut().zip(types) {
        *slot = code;
    }
    parts
}

/// GDELT's geographic type: 1 country, 2 US state, 3 US city, 4 world city, 5 world state.
fn geo_type(event: &EventRow) -> &'static str {
    let Some(place) = &event.place else { return "0" };
    let usa = place.country.as_deref() == Some("USA");
    match (place.kind.as_deref(), usa) {
        (Some("country"), _) => "1",
        (Some("admin1"), true) => "2",
        (Some("admin1"), false) => "5",
        (_, true) => "3",
        (_, false) => "4",
    }
}

/// The FIPS 10-4 code of an ISO 3166 alpha-3 country code: GDELT's geographic columns use
/// FIPS (its actor columns use CAMEO codes, which are ISO3).
fn fips(iso3: &str) -> Option<&'static str> {
    static TABLE: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    TABLE
        .get_or_init(|| {
            include_str!("../../../resources/geo/fips.tsv")
                .lines()
                .filter(|line| !line.starts_with('#'))
                .filter_map(|line| line.split_once('\t'))
                .collect()
        })
        .get(iso3)
        .copied()
}

fn clean(text: &str) -> String {
    text.chars().map(|c| if c == '\t' || c == '\n' || c == '\r' { ' ' } else { c }).collect()
}

/// The names of GDELT 2.0's 61 Events columns, in order, as GDELT's BigQuery table
/// (`gdeltv2.events`) names them.
pub const GDELT_COLUMNS: [&str; 61] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// One event as GDELT 2.0's 61 columns (named by [`GDELT_COLUMNS`]), as `export --format gdelt`
/// writes them.
pub fn gdelt_row(event: &EventRow) -> Vec<String> {
    let day = event_day(event.date.as_deref()).map(|(day, _)| day);
    let mut row: Vec<String> = Vec::with_capacity(61);
    row.push(event.id.to_string());
    match day {
        Some(day) => {
            row.push(day.format("%Y%m%d").to_string());
            row.push(day.format("%Y%m").to_string());
            row.push(day.year().to_string());
            let fraction = f64::from(day.month() * 30 + day.day()) / 365.0;
            row.push(format!("{:.4}", f64::from(day.year()) + fraction));
        }
        None => row.extend(std::iter::repeat_n(String::new(), 4)),
    }
    for (code, name) in [(&event.source, &event.source_name), (&event.target, &event.target_name)] {
        let code = code.as_deref().unwrap_or_default();
        let parts = actor_parts(code);
        row.push(code.to_owned());
        row.push(if code.is_empty() {
            String::new()
        } else {
            clean(name.as_deref().unwrap_or_default()).to_uppercase()
        });
        row.push(parts.country);
        row.push(parts.group);
        row.extend([String::new(), String::new(), String::new()]);
        row.extend(parts.types);
    }
    row.push(u8::from(event.is_root).to_string());
    row.push(event.cameo.clone());
    row.push(event.cameo.get(..3).unwrap_or(&event.cameo).to_owned());
    row.push(event.root.clone());
    row.push(event.quad.to_string());
    row.push(format!("{:.1}", event.goldstein));
    row.push(event.num_mentions.to_string());
    row.push(event.num_sources.to_string());
    row.push(event.num_articles.to_string());
    row.push(event.avg_tone.map(|tone| format!("{tone:.4}")).unwrap_or_default());
    // Actor1Geo and Actor2Geo: the coder places the action, not the actors.
    for _ in 0..2 {
        row.push("0".to_owned());
        row.extend(std::iter::repeat_n(String::new(), 7));
    }
    row.push(geo_type(event).to_owned());
    match &event.place {
        Some(place) => {
            let fips = place.country.as_deref().and_then(fips).unwrap_or_default();
            row.push(clean(&place.name));
            row.push(fips.to_owned());
            // ADM1: GDELT gives a country-level place its country's code.
            row.push(if place.kind.as_deref() == Some("country") { fips.to_owned() } else { String::new() });
            row.push(String::new());
            row.push(format!("{:.4}", place.lat));
            row.push(format!("{:.4}", place.lon));
            row.push(place.geonames_id.map(|id| id.to_string()).unwrap_or_default());
        }
        None => row.extend(std::iter::repeat_n(String::new(), 7)),
    }
    let added = NaiveDateTime::parse_from_str(&event.added, "%Y-%m-%dT%H:%M:%SZ")
        .map(|added| added.format("%Y%m%d%H%M%S").to_string())
        .unwrap_or_default();
    row.push(added);
    row.push(clean(event.url.as_deref().unwrap_or_default()));
    debug_assert_eq!(row.len(), 61);
    row
}

/// The CSV columns.
const CSV_HEADER: &[&str] = &[
    "id",
    "date",
    "date_text",
    "source",
    "source_name",
    "target",
    "target_name",
    "cameo",
    "root",
    "event_name",
    "quad",
    "goldstein",
    "plover",
    "place",
    "place_country",
    "lat",
    "lon",
    "num_mentions",
    "num_sources",
    "num_articles",
    "first_article",
    "url",
];

/// One event as the CSV columns of [`CSV_HEADER`]. Text that comes from articles or
/// dictionaries goes through [`inert`], so that a spreadsheet opening the file evaluates none
/// of it; numbers are written as they are.
fn csv_row(event: &EventRow) -> Vec<String> {
    let text = |value: &Option<String>| inert(value.as_deref().unwrap_or_default());
    let place = event.place.as_ref();
    vec![
        event.id.to_string(),
        text(&event.date),
        text(&event.date_text),
        text(&event.source),
        text(&event.source_name),
        text(&event.target),
        text(&event.target_name),
        inert(&event.cameo),
        inert(&event.root),
        text(&event.event_name),
        event.quad.to_string(),
        event.goldstein.to_string(),
        text(&event.plover),
        place.map(|place| inert(&place.name)).unwrap_or_default(),
        place.and_then(|place| place.country.as_deref()).map(inert).unwrap_or_default(),
        place.map(|place| place.lat.to_string()).unwrap_or_default(),
        place.map(|place| place.lon.to_string()).unwrap_or_default(),
        event.num_mentions.to_string(),
        event.num_sources.to_string(),
        event.num_articles.to_string(),
        event.first_article.map(|id| id.to_string()).unwrap_or_default(),
        text(&event.url),
    ]
}

/// A text cell that spreadsheets will not read as a formula: a value starting with `=`, `+`,
/// `-`, `@` (or their full-width forms), a tab or a carriage return gets a leading `'`, as
/// OWASP advises against CSV injection ("=HYPERLINK(…)" in a headline). Other text is
/// unchanged.
fn inert(value: &str) -> String {
    let starts_formula =
        value.starts_with(['=', '+', '-', '@', '\t', '\r', '\u{FF1D}', '\u{FF0B}', '\u{FF0D}', '\u{FF20}']);
    if starts_formula { format!("'{value}") } else { value.to_owned() }
}

impl Store {
    /// Writes every event matching `filter` to `out` in `format`; returns how many.
    pub fn export(&self, filter: &EventFilter, format: ExportFormat, out: &mut dyn Write) -> Result<usize, StoreError> {
        match format {
            ExportFormat::Gdelt => self.each_event(filter, |event| {
                out.write_all(gdelt_row(event).join("\t").as_bytes())?;
                out.write_all(b"\n")?;
                Ok(())
            }),
            ExportFormat::Csv => {
                let mut writer = csv::Writer::from_writer(out);
                let csv_error = |error: csv::Error| StoreError::Output(std::io::Error::other(error));
                writer.write_record(CSV_HEADER).map_err(csv_error)?;
                let count = self.each_event(filter, |event| writer.write_record(csv_row(event)).map_err(csv_error))?;
                writer.flush()?;
                Ok(count)
            }
            ExportFormat::Jsonl => {
                let mut ids = Vec::new();
                self.each_event(filter, |event| {
                    ids.push(event.id);
                    Ok(())
                })?;
                for id in &ids {
                    if let Some(detail) = self.event(*id)? {
                        serde_json::to_writer(&mut *out, &detail).map_err(std::io::Error::from)?;
                        out.write_all(b"\n")?;
                    }
                }
                Ok(ids.len())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    #[test]
    fn csv_text_cannot_start_a_formula() {
        for (value, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1-555", "'+1-555"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\u{FF1D}1+1", "'\u{FF1D}1+1"),
            ("Hanoi", "Hanoi"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(inert(value), written, "{value:?}");
        }
    }

    #[test]
    fn actor_codes_split_into_gdelt_columns() {
        let parts = actor_parts("USAGOV");
        assert_eq!((parts.country.as_str(), parts.types[0].as_str()), ("USA", "GOV"));
        let parts = actor_parts("IGOUNOKID");
        assert_eq!((parts.country.as_str(), parts.group.as_str()), ("", "UNO"));
        assert_eq!(parts.types[0], "IGO");
        assert_eq!(parts.types[1], "KID");
        let parts = actor_parts("GOV");
        assert_eq!((parts.country.as_str(), parts.types[0].as_str()), ("", "GOV"));
        let parts = actor_parts("RUSMILREB");
        assert_eq!(parts.types, ["MIL".to_owned(), "REB".to_owned(), String::new()]);
    }

    #[test]
    fn geographic_country_codes_are_fips() {
        assert_eq!(fips("DEU"), Some("GM"));
        assert_eq!(fips("VNM"), Some("VM"));
        assert_eq!(fips("XXX"), None);
    }

    #[test]
    fn coarse_dates_have_a_first_day() {
        let day = |text| event_day(Some(text));
        assert_eq!(day("2025-03-04T10:00"), Some((NaiveDate::from_ymd_opt(2025, 3, 4).unwrap(), true)));
        assert_eq!(day("2025-03"), Some((NaiveDate::from_ymd_opt(2025, 3, 1).unwrap(), false)));
        assert_eq!(day("2003"), Some((NaiveDate::from_ymd_opt(2003, 1, 1).unwrap(), false)));
        assert_eq!(day("2025-W05"), Some((NaiveDate::from_ymd_opt(2025, 1, 27).unwrap(), false)));
        assert_eq!(day("2025-W23-WE"), Some((NaiveDate::from_ymd_opt(2025, 6, 7).unwrap(), false)));
        assert_eq!(day("PRESENT_REF"), None);
    }
}

//! The CAMEO code table: every event code with its Goldstein score, PLOVER type, mode and
//! context, and GDELT's quad class (`resources/events/cameo.tsv`, built by
//! `scripts/build_cameo_table.py` from the codebook tables).

use rustc_hash::FxHashMap;

const TABLE: &str = include_str!("../../../resources/events/cameo.tsv");

/// What the table says of one code.
#[derive(Clone, Debug, PartialEq)]
pub struct CodeInfo {
    /// Goldstein score, -10 to +10.
    pub goldstein: f64,
    /// PLOVER event type, when the mapping gives one.
    pub plover: Option<String>,
    /// PLOVER mode.
    pub mode: Option<String>,
    /// PLOVER context.
    pub context: Option<String>,
    /// The codebook's name of the code.
    pub name: String,
}

/// Every CAMEO code.
#[derive(Debug)]
pub struct CameoTable {
    codes: FxHashMap<String, CodeInfo>,
}

impl CameoTable {
    /// The table compiled into the binary.
    ///
    /// # Panics
    /// When the built-in table is malformed: the tests read it.
    pub fn embedded() -> CameoTable {
        let mut codes = FxHashMap::default();
        for line in TABLE.lines().filter(|line| !line.starts_with('#') && !line.trim().is_empty()) {
            let columns: Vec<&str> = line.split('\t').collect();
            assert!(columns.len() == 6, "malformed CAMEO table line: {line}");
            let optional = |text: &str| (!text.trim().is_empty()).then(|| text.trim().to_owned());
            let info = CodeInfo {
                goldstein: columns[1].parse().expect("Goldstein scores are numbers"),
                plover: optional(columns[2]),
                mode: optional(columns[3]),
                context: optional(columns[4]),
                name: columns[5].to_owned(),
            };
            codes.insert(columns[0].to_owned(), info);
        }
        CameoTable { codes }
    }

    /// What the table says of `code`, if it is a CAMEO code.
    pub fn get(&self, code: &str) -> Option<&CodeInfo> {
        self.codes.get(code)
    }

    /// True when `code` is a CAMEO event code.
    pub fn contains(&self, code: &str) -> bool {
        self.codes.contains_key(code)
    }

    /// The PLOVER type of `code`, from the code itself or, failing that, its parents
    /// (a 4-digit code inherits its 3-digit code's type, and so on).
    pub fn plover(&self, code: &str) -> Option<&CodeInfo> {
        (2..=code.len())
            .rev()
            .filter_map(|length| code.get(..length))
            .find_map(|prefix| self.codes.get(prefix).filter(|info| info.plover.is_some()))
    }
}

/// GDELT's quad class of a code: roots 01–05 verbal cooperation (1), 06–09 material
/// cooperation (2), 10–14 verbal conflict (3), 15–20 material conflict (4).
pub fn quad_class(code: &str) -> u8 {
    match code.get(..2).and_then(|root| root.parse::<u8>().ok()).unwrap_or(0) {
        1..=5 => 1,
        6..=9 => 2,
        10..=14 => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_every_code_with_scores_and_types() {
        let table = CameoTable::embedded();
        assert_eq!(table.codes.len(), 311);
        assert_eq!(table.get("190").unwrap().goldstein, -10.0);
        assert_eq!(table.plover("042").and_then(|info| info.plover.as_deref()), Some("CONSULT"));
        assert_eq!(table.plover("0311").and_then(|info| info.plover.as_deref()), Some("AGREE"));
        assert!(table.get("010").unwrap().plover.is_none());
        assert_eq!(quad_class("042"), 1);
        assert_eq!(quad_class("073"), 2);
        assert_eq!(quad_class("1041"), 3);
        assert_eq!(quad_class("190"), 4);
    }
}
